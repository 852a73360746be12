package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
	"github.com/crmroi/crmroi/sim"
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

// runShard computes one shard of the run and writes its partial result.
func runShard(ctx context.Context, s *model.Scenario, f *simFlags, cfg sim.Config, file string, sets []model.Set, stdout io.Writer) error {
	i, n, err := parseShard(f.shard)
	if err != nil {
		return err
	}
	if f.samples || f.tolerance > 0 {
		return usagef("--shard takes neither --samples nor --tolerance")
	}
	data := model.DefaultYAML
	if file != "" {
		if data, err = os.ReadFile(file); err != nil {
			return err
		}
	}
	cfg.Shard, cfg.Shards = i, n
	part, err := sim.RunShard(ctx, s, cfg, version, file, data, sets)
	if err != nil {
		return err
	}
	d := out.NewOutDir(f.outDir, f.force)
	if err := d.Mkdir(""); err != nil {
		return err
	}
	path, err := d.Write(partName(i, n), func(w io.Writer) error { return sim.WritePartial(w, part) })
	if err != nil {
		return err
	}
	if !f.quiet {
		fmt.Fprintf(stdout, "shard %d of %d (blocks %d–%d of the run's %s iterations) written to %s\n",
			i, n, part.From, part.To-1, out.Money(float64(part.Iterations)), path)
	}
	return nil
}

func mergeCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlags("merge", "merge PART… [-o DIR] [flags]", stderr)
	var f simFlags
	f.register(fl)
	if err := parseFlags(fl, args); err != nil {
		return err
	}
	if err := f.check(); err != nil {
		return err
	}
	if f.samples { // the parts keep no iteration's values
		return usagef("merge cannot write samples: a run split with --shard keeps no per-iteration values")
	}
	if fl.NArg() == 0 {
		return usagef("merge needs the partial results of a run split with --shard")
	}
	var parts []*sim.Partial
	for _, name := range fl.Args() {
		fh, err := os.Open(name)
		if err != nil {
			return usagef("%v", err)
		}
		p, err := sim.ReadPartial(fh)
		fh.Close()
		if err != nil {
			return usagef("%s: %v", name, err)
		}
		parts = append(parts, p)
	}
	p0 := parts[0]
	if p0.Tool != version {
		return usagef("%s was written by crmroi %s; this is %s", fl.Arg(0), p0.Tool, version)
	}
	s, err := model.Parse(p0.ScenarioFile, p0.ScenarioData, p0.Sets)
	if err != nil {
		return err
	}
	if p0.ScenarioFile == "" {
		s.File = model.DefaultFile
	}
	res, err := sim.MergePartials(s, parts, f.workers)
	if err != nil {
		return usagef("%v", err)
	}
	det, err := model.Analyze(s, model.Compile(s))
	if err != nil {
		return err
	}
	run := &out.Run{Scenario: s, Result: res, Det: det, Iterations: res.Iterations, Seed: p0.Seed,
		Sampling: p0.Sampling, Workers: f.workers, Version: version}
	if f.format != "none" && !p0.KeepOutputs {
		f.format = "none" // the shards kept no values to draw from
	}
	return emitRun(ctx, s, run, &f, stdout)
}
