package main

import (
	"context"
	"io"
	"time"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
	"github.com/crmroi/crmroi/sim"
	"github.com/spf13/pflag"
)

// voiOptions are the options of voi.
type voiOptions struct {
	simFlags
	resamples int
}

// AddFlags adds voi's flags to fs.
func (o *voiOptions) AddFlags(fs *pflag.FlagSet) {
	o.register(fs)
	o.registerStrict(fs)
	fs.IntVar(&o.resamples, "resamples", 200, "bootstrap replicates for the 95% intervals of each input's EVPPI")
}

// runVOI estimates the value of information of investing in the scenario
// args names (none: the default scenario) or, with several, of choosing among
// them (and doing nothing) under common random numbers.
func runVOI(ctx context.Context, opts *voiOptions, args []string, stdout, stderr io.Writer) error {
	f := &opts.simFlags
	if err := f.check(); err != nil {
		return err
	}
	if opts.resamples < 20 || opts.resamples > 100000 {
		return usagef("--resamples must be between 20 and 100000, got %d", opts.resamples)
	}
	if f.shard != "" {
		return usagef("--shard is not available in voi: %s", voiShardReason)
	}
	if err := checkComparable("voi", f); err != nil {
		return err
	}
	if f.samples {
		return usagef("--samples is not available in voi; write the samples with 'crmroi run --samples'")
	}
	if f.iterations < sim.MinVOIIterations {
		return usagef("voi needs at least %d iterations (-n) to smooth the payoff on each input, got %d", sim.MinVOIIterations, f.iterations)
	}
	var scenarios []*model.Scenario
	var names []string
	if len(args) <= 1 {
		s, _, err := f.loadScenarioArg(args, "voi", "")
		if err != nil {
			return err
		}
		scenarios, names = []*model.Scenario{s}, []string{"invest"}
	} else {
		sets, err := f.parsedSets()
		if err != nil {
			return err
		}
		if scenarios, err = loadAll(args, sets); err != nil {
			return err
		}
		if err := strictErrors(f.strict, scenarios...); err != nil {
			return err
		}
		for i, s := range scenarios {
			if s.Currency != scenarios[0].Currency {
				return usagef("%s is in %s and %s in %s: the options of a decision must share one currency",
					args[i], s.Currency, args[0], scenarios[0].Currency)
			}
		}
		names = batchSlugs(args, scenarios)
	}
	if need, avail := sim.EstimateVOIMemory(scenarios, f.iterations, f.workers), availableMemory(); avail > 0 && need > avail*9/10 {
		return usagef("this analysis would need about %s MB of memory, more than the %s MB available; use fewer iterations (-n)",
			out.Money(float64(need>>20)), out.Money(float64(avail>>20)))
	}
	d := f.openOut("voi")
	if err := d.Check(voiFileNames(f.format)...); err != nil {
		return err
	}
	if err := d.Open(); err != nil {
		return err
	}
	defer d.Abort()
	start := time.Now()
	stop := f.startProgress(stderr)
	cfg := sim.SensitivityConfig{Iterations: f.iterations, Seed: f.seed, Workers: f.workers, Progress: f.progress}
	v, err := sim.RunVOI(ctx, scenarios, names, cfg, sim.VOIConfig{Boot: opts.resamples})
	stop()
	if err != nil {
		return err
	}
	vr := &out.VOIRun{Scenarios: scenarios, VOI: v, Currency: scenarios[0].Currency, Workers: f.workers,
		Elapsed: time.Since(start).Seconds(), Version: version}
	files, err := writeVOIFiles(ctx, d, vr, f.format, f.language())
	if err == nil {
		err = d.Commit()
	}
	if err != nil {
		return err
	}
	switch {
	case f.json:
		return out.WriteVOIJSON(stdout, vr)
	case !f.quiet:
		return out.WriteVOITable(stdout, vr, files, f.language())
	}
	return nil
}

// voiShardReason is why voi and sensitivity (which carries the value of
// information) take no --shard: only the EVPI could be merged from the parts'
// sums; the EVPPI is not a sum.
const voiShardReason = "the EVPPI smooths the payoff against each input's ranks over all the iterations at once, " +
	"so it needs every iteration's inputs and payoff in one process (about 12 bytes per input and iteration), " +
	"which the parts of a split run do not carry; run it on one machine, whose memory is checked before it starts"

// voiFileNames are the files voi writes with charts in format.
func voiFileNames(format string) []string {
	return tablesAndChartNames(format, out.VOIChartNames, "voi.json", "voi.csv")
}

// writeVOIFiles writes voi.json, voi.csv and, unless format is "none", the
// voi chart into d, as one set, and returns their paths.
func writeVOIFiles(ctx context.Context, d *out.OutDir, vr *out.VOIRun, format string, lang out.Lang) ([]string, error) {
	return writeTablesAndCharts(ctx, d, format, func() ([]out.RenderedChart, error) { return out.RenderVOICharts(vr, lang, format) },
		out.Table("voi.json", out.WriteVOIJSON, vr),
		out.Table("voi.csv", out.WriteVOICSV, vr))
}
