package main

import (
	"context"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/crmroi/crmroi/fit"
	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
	"github.com/crmroi/crmroi/sim"
	"github.com/spf13/pflag"
)

// trackOptions are the options of track.
type trackOptions struct {
	simFlags
	noise  []string // --noise SD or COLUMN=SD
	minESS float64
	sheet  string
}

// AddFlags adds track's flags to fs.
func (o *trackOptions) AddFlags(fs *pflag.FlagSet) {
	o.register(fs)
	o.registerStrict(fs)
	o.registerXLSX(fs, "summary.xlsx")
	fs.StringArrayVar(&o.noise, "noise", nil, "relative sd of the actuals' measurement error: 0.05 (every column, the default) or COLUMN=SD (repeatable); a file's sd_COLUMN cells override it")
	fs.Float64Var(&o.minESS, "min-ess", 2000, "run more iterations (up to --max-iterations, at most 1,048,576) until the weights' effective sample size reaches this")
	fs.StringVar(&o.sheet, "sheet", "", "worksheet of an .xlsx actuals file (default the first)")
}

// minUsableESS is the effective sample size below which track refuses: a
// distribution carried by fewer iterations is not one.
const minUsableESS = 100

// maxOutsideSD is how far, in measurement sd, an actual may lie beyond
// every simulated path before track refuses it as impossible; nearer, it
// is reported as outside every path.
const maxOutsideSD = 4

// defaultNoise is the relative sd of the actuals without --noise.
const defaultNoise = 0.05

// parseNoise reads the --noise flags.
func parseNoise(flags []string) (model.Noise, error) {
	n := model.Noise{Default: defaultNoise, Column: map[string]float64{}}
	names := model.ActualColumnNames()
	for _, f := range flags {
		col, val, named := strings.Cut(f, "=")
		if !named {
			col, val = "", f
		}
		col = strings.TrimSpace(col)
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil || !(v > 0 && v <= model.MaxNoise) {
			return n, usagef("--noise %q: the relative sd must be a number above 0 and at most %g (0.05 = 5%%)", f, model.MaxNoise)
		}
		switch {
		case !named:
			n.Default = v
		case contains(names, col):
			n.Column[col] = v
		default:
			return n, usagef("--noise %q: no column %q; the columns are %s", f, col, strings.Join(names, ", "))
		}
	}
	return n, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// runTrack compares the actuals of the months since the project started
// with the scenario's forecast and writes the forecast updated by them.
func runTrack(ctx context.Context, opts *trackOptions, args []string, stdout, stderr io.Writer) error {
	f := &opts.simFlags
	if err := f.check(); err != nil {
		return err
	}
	switch {
	case len(args) != 2:
		return usagef("track takes a scenario file and an actuals file (CSV or .xlsx), got %d arguments", len(args))
	case f.shard != "":
		return usagef("track cannot be sharded yet (its weights need every iteration in one process); run it without --shard")
	case f.tolerance > 0:
		return usagef("--tolerance is not available in track: it runs until the effective sample size reaches --min-ess")
	case f.samples:
		return usagef("--samples is not available in track; write the samples of the forecast with 'crmroi run --samples'")
	case f.iterations > sim.ExactLimit:
		return usagef("track keeps every iteration: at most %d iterations (-n), got %d", sim.ExactLimit, f.iterations)
	case !(opts.minESS >= 0) || opts.minESS > float64(sim.ExactLimit):
		return usagef("--min-ess must be between 0 and %d, got %v", sim.ExactLimit, opts.minESS)
	}
	noise, err := parseNoise(opts.noise)
	if err != nil {
		return err
	}
	s, _, _, err := f.loadScenarioSource(args[:1], "track", "")
	if err != nil {
		return err
	}
	if s.IsFormula() {
		return usagef("track compares months of the CRM model; %s is a formula model, which has none", args[0])
	}
	table, err := fit.ReadTable(args[1], opts.sheet)
	if err != nil {
		return dataError(err)
	}
	actuals, err := model.ParseActuals(table, s.Horizon, noise)
	if err != nil {
		return dataError(err)
	}
	tm, err := model.NewTrack(s, actuals)
	if err != nil {
		return usagef("%v", err)
	}
	capacity := min(max(f.maxIter, f.iterations), sim.ExactLimit)
	cfg := simConfig(f, f.workers, true)
	cfg.LogWeight, cfg.MaxIterations = model.LogWeightOutput, capacity
	if len(actuals.Obs) > 0 && opts.minESS > 0 {
		cfg.MinESS = opts.minESS
	}
	if err := checkTrackMemory(s, cfg, len(actuals.Obs)); err != nil {
		return err
	}
	d := f.openOut("track")
	if err := d.Check(append(runFileNames(s, f), "track.json")...); err != nil {
		return err
	}
	if err := d.Open(); err != nil {
		return err
	}
	defer d.Abort()
	start := time.Now()
	stop := f.startProgress(stderr)
	det, err := model.Analyze(s, model.Compile(s))
	if err != nil {
		stop()
		return err
	}
	u, err := sim.RunWeighted(ctx, s, tm, cfg, len(actuals.Obs) > 0)
	stop()
	if err != nil {
		return err
	}
	res := u.Posterior
	if len(actuals.Obs) == 0 {
		// No actual: every weight is 1, and the forecast is run's, exactly.
		res = withoutWeighting(u.Prior, len(res.Outputs))
	}
	plan := func(c model.ActualColumn, month int) float64 { return tm.Plan[c][month-1] }
	track := out.NewTrack(actuals, u, plan, opts.minESS, noise.Default)
	if len(actuals.Obs) > 0 && !(u.ESS >= minUsableESS) {
		return impossibleActuals(track, s.Currency)
	}
	for _, m := range track.Months {
		if max(m.Min-m.Value, m.Value-m.Max) > maxOutsideSD*m.SD {
			return outsideActual(track, m, s.Currency)
		}
	}
	run := &out.Run{Scenario: s, Result: res, Det: det, Elapsed: time.Since(start).Seconds(), Version: version, Track: track}
	files, err := writeRunFiles(ctx, d, "", run, nil, f.xlsx, f.format, f.language(),
		out.Table("track.json", out.WriteTrackJSON, run))
	if err != nil {
		return err
	}
	if err := d.Commit(); err != nil {
		return err
	}
	switch {
	case f.json:
		return out.WriteSummaryJSON(stdout, run)
	case !f.quiet:
		if err := out.WriteTableLang(stdout, run, files, f.language()); err != nil {
			return err
		}
		return out.WriteTrackTable(stdout, run, f.language())
	}
	return nil
}

// withoutWeighting is r without the weighting's outputs (the first n kept).
func withoutWeighting(r *sim.Result, n int) *sim.Result {
	c := *r
	c.Outputs, c.Info, c.Metrics, c.Undefined, c.Probs = r.Outputs[:n], r.Info[:n], r.Metrics[:n], r.Undefined[:n], r.Probs[:n]
	if c.Values != nil {
		c.Values = r.Values[:n]
	}
	c.Config.KeepSamples, c.Config.LogWeight, c.Config.MinESS = false, "", 0
	c.Inputs, c.InputNames, c.Outcome = nil, nil, nil
	return &c
}

// impossibleActuals is the error of actuals the scenario cannot produce: it
// names the actual worst fitted by the iterations that carry the weight
// (the largest weighted mean of ((value − actual)/sd)²), with the
// simulated range.
func impossibleActuals(t *out.Track, cur string) error {
	u := t.Update
	worst, score := 0, -1.0
	for i, m := range t.Months {
		vals := u.Values(m.Name())
		sc := 0.0
		for it, w := range u.Weights {
			if w > 0 {
				z := (vals[it] - m.Value) / m.SD
				sc += w * z * z
			}
		}
		if sc /= u.WeightSum; sc > score {
			worst, score = i, sc
		}
	}
	m := t.Months[worst]
	l := out.English
	return usagef("the actuals are impossible under the scenario: only %.1f effective iterations of %d carry weight. %s:%d:%d: month %d, %s = %s is the actual worst fitted (by %.0f sd by the paths that fit the others best); the %d simulated paths give %s to %s for it. Check the actual, its month and units, or widen the scenario's ranges (or raise --noise if the figure is rough)",
		u.ESS, u.Iterations, t.Actuals.File, m.Line, m.Col, m.Month, model.ActualColumns[m.Column].Name,
		formatTrack(l, m, m.Value, cur), math.Sqrt(score), u.Prior.Iterations, formatTrack(l, m, m.Min, cur), formatTrack(l, m, m.Max, cur))
}

// outsideActual is the error of an actual farther than maxOutsideSD
// measurement sd beyond every simulated path.
func outsideActual(t *out.Track, m out.TrackMonth, cur string) error {
	l := out.English
	return usagef("the actuals are impossible under the scenario: %s:%d:%d: month %d, %s = %s lies beyond every one of the %d simulated paths (%s to %s) by more than %d times its measurement sd (%s). Check the actual, its month and units, or widen the scenario's ranges (or raise --noise if the figure is rough)",
		t.Actuals.File, m.Line, m.Col, m.Month, model.ActualColumns[m.Column].Name, formatTrack(l, m, m.Value, cur),
		t.Update.Prior.Iterations, formatTrack(l, m, m.Min, cur), formatTrack(l, m, m.Max, cur), maxOutsideSD, formatTrack(l, m, m.SD, cur))
}

// formatTrack prints a value of an actual's column.
func formatTrack(l out.Lang, m out.TrackMonth, v float64, cur string) string {
	if model.ActualColumns[m.Column].Unit == model.UnitShare {
		return l.Percent(v)
	}
	return l.MoneyCompact(v, cur)
}

// dataError is a problem with the actuals file: exit 2, file:line:col.
func dataError(err error) error {
	var de *fit.DataError
	if errors.As(err, &de) {
		return usagef("%s", de.Error())
	}
	return err
}

// checkTrackMemory refuses a track run whose kept values would not fit in
// memory: run's estimate at the cap of iterations, plus every iteration's
// inputs, weight and value of each actual, and the sort of a column.
func checkTrackMemory(s *model.Scenario, cfg sim.Config, obs int) error {
	n := int64(max(cfg.MaxIterations, cfg.Iterations))
	c := cfg
	c.Iterations, c.MinESS, c.KeepSamples = int(n), 0, true
	need := sim.EstimateMemory(s, c) + n*int64(8*(obs+2)+16)*2
	if avail := availableMemory(); avail > 0 && need > avail*9/10 {
		return usagef("this run would need about %s MB of memory, more than the %s MB available; use fewer iterations (-n, --max-iterations)",
			out.Money(float64(need>>20)), out.Money(float64(avail>>20)))
	}
	return nil
}
