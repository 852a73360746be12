package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/crmroi/crmroi/internal/buildinfo"
	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
	"github.com/crmroi/crmroi/sim"
	"github.com/spf13/pflag"
)

// parseShard reads --shard i/N (i from 0 to N−1).
func parseShard(v string) (i, n int, err error) {
	a, b, ok := strings.Cut(v, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || n > 100_000 || i < 0 || i >= n {
		return 0, 0, usagef("--shard must be i/N with 0 ≤ i < N (for example 0/4), got %q", v)
	}
	return i, n, nil
}

// partName is the file a shard writes into the output folder.
func partName(i, n int) string { return fmt.Sprintf("part-%d-of-%d.crmroi", i, n) }

// runShard computes one shard of the run and writes its partial result,
// which carries the scenario's source (its text and data files).
func runShard(ctx context.Context, s *model.Scenario, f *simFlags, cfg sim.Config, src *model.Source, sets []model.Set, stdout io.Writer) error {
	i, n, err := parseShard(f.shard)
	if err != nil {
		return err
	}
	if f.samples || f.tolerance > 0 {
		return usagef("--shard takes neither --samples nor --tolerance")
	}
	// The part's file is checked and the folder made ready before the
	// shard is computed. Each part is a set of its own, so that the shards
	// of a run may write into one folder at once.
	d := out.NewOutDir(f.outDir, f.force, partName(i, n))
	if err := d.Check(partName(i, n)); err != nil {
		return err
	}
	if err := d.Open(); err != nil {
		return err
	}
	defer d.Abort()
	cfg.Shard, cfg.Shards = i, n
	part, err := sim.RunShard(ctx, s, cfg, version, revision, src, sets)
	if err != nil {
		return err
	}
	path, err := d.Write(partName(i, n), func(w io.Writer) error { return sim.WritePartial(w, part) })
	if err == nil {
		err = d.Commit()
	}
	if err != nil {
		return err
	}
	if !f.quiet {
		fmt.Fprintf(stdout, "shard %d of %d (blocks %d–%d of the run's %s iterations) written to %s\n",
			i, n, part.From, part.To-1, out.Money(float64(part.Iterations)), path)
	}
	return nil
}

// revision is the full VCS revision of the build, which parts record and
// merge checks ("" when the build does not know it).
var revision = buildinfo.Read().Revision

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// mergeFlags are the flags of merge: where and how to write the merged
// run. The run's own settings (seed, iterations, sampling, overrides) come
// from the parts; a flag that would change them is unknown (exit 2).
var mergeFlags = []string{"workers", "out", "force", "format", "quiet", "json", "lang"}

// mergeOptions are the options of merge.
type mergeOptions struct{ simFlags }

// AddFlags adds merge's flags to fs: mergeFlags and --xlsx.
func (o *mergeOptions) AddFlags(fs *pflag.FlagSet) {
	o.registerOnly(fs, mergeFlags...)
	o.registerXLSX(fs, "summary.xlsx")
}

// runMerge combines the part files args names into the run they split.
func runMerge(ctx context.Context, opts *mergeOptions, args []string, stdout, stderr io.Writer) error {
	f := &opts.simFlags
	if err := f.check(); err != nil {
		return err
	}
	if len(args) == 0 {
		return usagef("merge needs the partial results of a run split with --shard")
	}
	var parts []*sim.Partial
	var size int64
	for _, name := range args {
		st, err := statRegular(name, "a partial result")
		if err != nil {
			return err
		}
		size += st.Size()
	}
	if avail := availableMemory(); avail > 0 && 3*size > avail*9/10 {
		return usagef("merging these parts would need about %s MB of memory, more than the %s MB available",
			out.Money(float64(3*size>>20)), out.Money(float64(avail>>20)))
	}
	var compute float64
	for _, name := range args {
		data, err := readRegular(name, "a partial result")
		if err != nil {
			return err
		}
		p, err := sim.ReadPartial(bytes.NewReader(data))
		if err != nil {
			return usagef("%s: %v", name, err)
		}
		if p.Tool != version || p.Revision != revision {
			return usagef("%s was written by crmroi %s (revision %s); this is %s (revision %s): merge parts with the build that wrote them",
				name, p.Tool, orUnknown(p.Revision), version, orUnknown(revision))
		}
		parts = append(parts, p)
		compute += p.Seconds
	}
	p0 := parts[0]
	s, err := model.ParseSource(&p0.Source, p0.Sets)
	if err != nil {
		return err
	}
	cfg := sim.Config{Iterations: p0.Iterations, Sampling: p0.Sampling, Workers: f.workers, KeepOutputs: p0.KeepOutputs}
	if err := checkMemory(s, cfg); err != nil {
		return err
	}
	res, err := sim.MergePartials(s, parts, f.workers)
	if err != nil {
		return usagef("%v", err)
	}
	det, err := model.Analyze(s, model.Compile(s))
	if err != nil {
		return err
	}
	// The merged run's time is the shards' summed compute time.
	run := &out.Run{Scenario: s, Result: res, Det: det, Elapsed: compute, Version: version}
	if f.format != "none" && !p0.KeepOutputs {
		f.format = "none" // the shards kept no values to draw from
	}
	d := f.openOut("run")
	if err := d.Check(runFileNames(s, f)...); err != nil {
		return err
	}
	if err := d.Open(); err != nil {
		return err
	}
	defer d.Abort()
	return emitRun(ctx, s, run, f, d, stdout)
}
