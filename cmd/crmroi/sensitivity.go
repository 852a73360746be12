package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/crmroi/crmroi/out"
	"github.com/crmroi/crmroi/sim"
	"github.com/spf13/pflag"
)

// sensFlags are the flags of the sensitivity analysis beyond the shared ones.
type sensFlags struct {
	base      int
	sampling  string
	resamples int
}

func (f *sensFlags) register(fs *pflag.FlagSet) {
	fs.IntVar(&f.base, "base", sim.DefaultBase, "base sample size N of the Sobol (Saltelli) design, a power of two; it costs N(k+2) model runs for k inputs")
	fs.StringVar(&f.sampling, "sobol-sampling", "sobol", "base matrices of the Sobol design: sobol (scrambled Sobol sequence) or mc")
	fs.IntVar(&f.resamples, "resamples", sim.DefaultResamples, "bootstrap resamples for the 95% intervals of the Sobol indices")
}

// maxBase is the largest --base: 2^24 base rows.
const maxBase = 1 << 24

func (f *sensFlags) check() error {
	if !sim.IsPowerOfTwo(f.base) || f.base < 2 || f.base > maxBase {
		return usagef("--base must be a power of two between 2 and %d (e.g. 1024, 4096, 16384), got %d", maxBase, f.base)
	}
	if f.sampling != "sobol" && f.sampling != "mc" {
		return usagef("--sobol-sampling must be sobol or mc, got %q", f.sampling)
	}
	if f.resamples < 100 || f.resamples > 100000 {
		return usagef("--resamples must be between 100 and 100000, got %d", f.resamples)
	}
	return nil
}

func (f *sensFlags) config(sf *simFlags) sim.SensitivityConfig {
	return sim.SensitivityConfig{Iterations: sf.iterations, Seed: sf.seed, Workers: sf.workers, Base: f.base,
		Sampling: f.sampling, Resamples: f.resamples, Progress: sf.progress, VOI: sf.iterations >= sim.MinVOIIterations}
}

// sensitivityOptions are the options of sensitivity.
type sensitivityOptions struct {
	simFlags
	sens sensFlags
}

// AddFlags adds sensitivity's flags to fs.
func (o *sensitivityOptions) AddFlags(fs *pflag.FlagSet) {
	o.register(fs)
	o.registerStrict(fs)
	o.sens.register(fs)
}

// runSensitivity analyses the sensitivity of the scenario args names (none:
// the default scenario).
func runSensitivity(ctx context.Context, opts *sensitivityOptions, args []string, stdout, stderr io.Writer) error {
	f, sf := &opts.simFlags, &opts.sens
	if err := f.check(); err != nil {
		return err
	}
	if err := sf.check(); err != nil {
		return err
	}
	if f.shard != "" { // it would run whole and ignore the flag
		return usagef("--shard is not available in sensitivity: the value of information in its results needs the whole sample: %s", voiShardReason)
	}
	s, _, err := f.loadScenarioArg(args, "sensitivity", "")
	if err != nil {
		return err
	}
	if need, avail := sim.EstimateSensitivityMemory(s, sf.config(f)), availableMemory(); avail > 0 && need > avail*9/10 {
		return usagef("this analysis would need about %s MB of memory, more than the %s MB available; use fewer iterations (-n), a smaller --base or fewer inputs",
			out.Money(float64(need>>20)), out.Money(float64(avail>>20)))
	}
	d := f.openOut("sensitivity")
	if err := d.Check(sensitivityFileNames(f.format)...); err != nil {
		return err
	}
	if err := d.Open(); err != nil {
		return err
	}
	defer d.Abort()
	start := time.Now()
	stop := f.startProgress(stderr)
	sens, err := sim.RunSensitivity(ctx, s, sf.config(f))
	stop()
	if err != nil {
		return err
	}
	sr := &out.SensitivityRun{Scenario: s, Sens: sens, Workers: f.workers, Elapsed: time.Since(start).Seconds(), Version: version}
	files, err := writeSensitivityFiles(ctx, d, sr, f.format, f.language())
	if err == nil {
		err = d.Commit()
	}
	if err != nil {
		return err
	}
	switch {
	case f.json:
		return out.WriteSensitivityJSON(stdout, sr)
	case !f.quiet:
		return out.WriteSensitivityTable(stdout, sr, files, f.language())
	}
	return nil
}

// sensitivityFileNames are the files sensitivity writes with charts in format.
func sensitivityFileNames(format string) []string {
	return tablesAndChartNames(format, out.SensitivityChartNames, "sensitivity.json", "sensitivity.csv", "sensitivity_over_time.csv")
}

// writeSensitivityFiles writes sensitivity.json, sensitivity.csv,
// sensitivity_over_time.csv and, unless format is "none", the sensitivity
// charts into d, as one set, and returns their paths.
func writeSensitivityFiles(ctx context.Context, d *out.OutDir, sr *out.SensitivityRun, format string, lang out.Lang) ([]string, error) {
	return writeTablesAndCharts(ctx, d, format, func() ([]out.RenderedChart, error) { return out.RenderSensitivityCharts(sr, lang, format) },
		out.Table("sensitivity.json", out.WriteSensitivityJSON, sr),
		out.Table("sensitivity.csv", out.WriteSensitivityCSV, sr),
		out.Table("sensitivity_over_time.csv", out.WriteSensitivityOverTimeCSV, sr))
}

// tablesAndChartNames are the names of a command's table files followed, unless
// format is "none", by its charts' files in that format.
func tablesAndChartNames(format string, charts []string, tables ...string) []string {
	names := append([]string(nil), tables...)
	if format != "none" {
		for _, c := range charts {
			names = append(names, c+"."+format)
		}
	}
	return names
}

// writeTablesAndCharts writes a command's table files and, unless format is
// "none", the charts render draws, into d as one set, and returns their paths.
func writeTablesAndCharts(ctx context.Context, d *out.OutDir, format string, render func() ([]out.RenderedChart, error), tables ...out.File) ([]string, error) {
	if err := d.Mkdir(""); err != nil {
		return nil, err
	}
	files := tables
	if format != "none" {
		charts, err := render()
		if err != nil {
			return nil, fmt.Errorf("drawing the charts: %w", err)
		}
		files = append(files, out.ChartFiles("", charts)...)
	}
	return d.WriteAll(ctx, files)
}
