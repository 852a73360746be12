package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/crmroi/crmroi/distributions"
	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
	"github.com/spf13/pflag"
)

// Limits of a sweep.
const (
	maxSweepValues = 1000
	maxSweepCells  = 10000
)

// axisSpec is one --values or --range flag, in the order given.
type axisSpec struct {
	flag string // "--values" or "--range"
	nth  int    // 1-based number among the flags of that name
	text string
}

// axisSpecs collects --values and --range into one list, so that the k-th
// of them belongs to the k-th --param.
type axisSpecs struct {
	list *[]axisSpec
	flag string
}

func (a axisSpecs) String() string { return "" }

func (a axisSpecs) Set(v string) error {
	n := 1
	for _, s := range *a.list {
		if s.flag == a.flag {
			n++
		}
	}
	*a.list = append(*a.list, axisSpec{flag: a.flag, nth: n, text: v})
	return nil
}

func (a axisSpecs) Type() string {
	if a.flag == "--range" {
		return "lo:hi:n"
	}
	return "v1,v2,…"
}

// sweepValue is one value of an axis with where it was written.
type sweepValue struct {
	text string
	col  int // 1-based column in the flag's text (0 for --range)
}

// sweepOptions are the options of sweep.
type sweepOptions struct {
	simFlags
	params []string   // --param, in order
	specs  []axisSpec // --values or --range of each --param, in order
	risk   float64    // the P(loss) accepted
}

// AddFlags adds sweep's flags to fs.
func (o *sweepOptions) AddFlags(fs *pflag.FlagSet) {
	o.register(fs)
	o.registerStrict(fs)
	fs.StringArrayVar(&o.params, "param", nil, "parameter to sweep, named as --set names it; a second --param makes a grid")
	fs.Var(axisSpecs{&o.specs, "--values"}, "values", "values of the --param in the same position: numbers or distribution expressions, comma-separated")
	fs.Var(axisSpecs{&o.specs, "--range"}, "range", "numbers for the --param in the same position: n evenly spaced from lo to hi")
	fs.Float64Var(&o.risk, "risk", 0.2, "the P(loss) you accept: the sweep reports the value where P(loss) crosses it")
}

// runSweep simulates the scenario args names (none: the default scenario)
// across the values of one parameter, or a grid of two.
func runSweep(ctx context.Context, opts *sweepOptions, args []string, stdout, stderr io.Writer) error {
	f, params, specs, risk := &opts.simFlags, opts.params, opts.specs, opts.risk
	if err := f.check(); err != nil {
		return err
	}
	switch {
	case f.samples:
		return usagef("--samples is not available in sweep; run the value you want with 'crmroi run --set'")
	case len(args) > 1:
		return usagef("sweep takes one scenario file, got %d", len(args))
	case len(params) == 0:
		return usagef("sweep needs --param NAME with --values v1,v2,… or --range lo:hi:n (see 'crmroi sweep -h')")
	case len(params) > 2:
		return usagef("sweep takes one --param, or two for a grid, got %d", len(params))
	case len(specs) != len(params):
		return usagef("each --param needs one --values or --range, in the same order: got %d --param and %d --values/--range", len(params), len(specs))
	case len(params) == 2 && params[0] == params[1]:
		return usagef("--param %s is given twice", params[0])
	case !(risk > 0 && risk < 1):
		return usagef("--risk must be a probability between 0 and 1 (exclusive), got %v", risk)
	}
	if err := checkComparable("sweep", f); err != nil {
		return err
	}
	sets, err := f.parsedSets()
	if err != nil {
		return err
	}
	file := ""
	if len(args) == 1 {
		file = args[0]
	}
	// The file is read and decoded once; every value's and every cell's
	// scenario is made from base (model.Scenario.With).
	base, err := model.Load(file, sets)
	if err != nil {
		return err
	}
	if err := strictErrors(f.strict, base); err != nil {
		return err
	}
	if base.IsFormula() {
		return usagef("%s is a formula model: sweep works on CRM scenarios (use 'crmroi run --set' for single values)", file)
	}

	// Every value is checked, alone, before anything runs.
	axes := make([]out.SweepAxis, len(params))
	var errs model.ErrorList
	for k, p := range params {
		a, el := sweepAxis(base, len(sets), k, strings.TrimSpace(p), specs[k])
		errs = append(errs, el...)
		axes[k] = a
	}
	if len(errs) > 0 {
		return errs
	}
	cells := 1
	for _, a := range axes {
		cells *= len(a.Values)
	}
	if cells > maxSweepCells {
		return usagef("a sweep of %d cells is more than the limit of %d", cells, maxSweepCells)
	}
	scenarios, err := sweepScenarios(base, len(sets), axes, f.strict)
	if err != nil {
		return err
	}
	concurrent, each := shareWorkers(f.workers, len(scenarios))
	if err := checkMemoryAll(scenarios, f, each, concurrent, false, 0); err != nil {
		return err
	}
	// Every file (the charts too) is checked and the folder made ready
	// before anything is simulated.
	d := f.openOut("sweep")
	names := []string{"sweep.csv", "sweep.json"}
	if f.format != "none" {
		for _, c := range (&out.Sweep{Axes: axes}).ChartNames() {
			names = append(names, c+"."+f.format)
		}
	}
	if err := d.Check(names...); err != nil {
		return err
	}
	if err := d.Open(); err != nil {
		return err
	}
	defer d.Abort()
	stop := f.startProgress(stderr)
	start := time.Now()
	runs, err := simulateAll(ctx, scenarios, f, false, nil)
	stop()
	if err != nil {
		return err
	}
	sw := &out.Sweep{Base: base, Axes: axes, Runs: runs, Risk: risk, Workers: f.workers,
		Elapsed: time.Since(start).Seconds(), Version: version}
	lang := f.language()
	written, err := writeSweepFiles(ctx, d, sw, f.format, lang)
	if err == nil {
		err = d.Commit()
	}
	if err != nil {
		return err
	}
	switch {
	case f.json:
		return out.WriteSweepJSON(stdout, sw)
	case !f.quiet:
		return out.WriteSweepTable(stdout, sw, written, lang)
	}
	return nil
}

// sweepAxis reads the values of the k-th --param and checks each one as an
// override of the loaded scenario base (made with nsets --set flags),
// reporting errors at the --values or --range flag.
func sweepAxis(base *model.Scenario, nsets, k int, param string, spec axisSpec) (out.SweepAxis, model.ErrorList) {
	a := out.SweepAxis{Param: param}
	if param == "name" || param == "currency" {
		return a, model.ErrorList{{Pos: model.Pos{File: "--param", Line: k + 1, Col: 1}, Path: param,
			Msg: "is text, not a number; sweep one of the numeric parameters"}}
	}
	var (
		vals []sweepValue
		err  *model.Error
	)
	if spec.flag == "--range" {
		vals, err = rangeValues(spec)
	} else {
		vals, err = listValues(spec)
	}
	if err != nil {
		return a, model.ErrorList{err}
	}
	var errs model.ErrorList
	n := nsets + 1
	for _, v := range vals {
		_, lerr := base.With(model.Set{Name: param, Value: v.text, N: n})
		if lerr == nil {
			continue
		}
		var el model.ErrorList
		if !errors.As(lerr, &el) {
			return a, model.ErrorList{{Pos: model.Pos{File: base.File}, Msg: lerr.Error()}}
		}
		for _, e := range el {
			e = remapSweepError(e, n, k, param, spec, v)
			if e.Pos.File == "--param" { // an unknown name: once, not once per value
				return a, model.ErrorList{e}
			}
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return a, errs
	}
	// Plain numbers are swept in increasing order; distributions as given.
	a.Numeric = true
	xs := make([]float64, len(vals))
	for i, v := range vals {
		d, perr := distributions.Parse(v.text)
		if perr != nil || !d.Fixed() {
			a.Numeric = false
			break
		}
		xs[i] = d.Plan()
	}
	order := make([]int, len(vals))
	for i := range order {
		order[i] = i
	}
	if a.Numeric {
		sort.SliceStable(order, func(i, j int) bool { return xs[order[i]] < xs[order[j]] })
	}
	for pos, i := range order {
		v := vals[i]
		if pos > 0 {
			prev := vals[order[pos-1]]
			if a.Numeric && xs[i] == xs[order[pos-1]] || !a.Numeric && strings.EqualFold(v.text, prev.text) {
				return a, model.ErrorList{{Pos: model.Pos{File: spec.flag, Line: spec.nth, Col: v.col}, Path: param,
					Msg: fmt.Sprintf("value %s is given twice", v.text)}}
			}
		}
		a.Values = append(a.Values, v.text)
		if a.Numeric {
			a.X = append(a.X, xs[i])
		} else {
			a.X = append(a.X, float64(pos))
		}
	}
	return a, nil
}

// remapSweepError moves an error found in the sweep's override (--set number
// n) to the flag it came from: --param for an unknown name, else the value in
// --values (with its column) or --range.
func remapSweepError(e *model.Error, n, k int, param string, spec axisSpec, v sweepValue) *model.Error {
	if e.Pos.File != "--set" || e.Pos.Line != n {
		return e
	}
	c := *e
	if e.Code == model.UnknownName {
		c.Pos = model.Pos{File: "--param", Line: k + 1, Col: 1}
		return &c
	}
	c.Pos = model.Pos{File: spec.flag, Line: spec.nth}
	if spec.flag == "--values" {
		c.Pos.Col = v.col + max(0, e.Pos.Col-(len(param)+2))
	} else {
		c.Msg += fmt.Sprintf(" (value %s of the range)", v.text)
	}
	return &c
}

// listValues splits --values at the commas outside parentheses, so that
// distribution expressions such as pert(0.1, 0.2, 0.3) stay whole.
func listValues(spec axisSpec) ([]sweepValue, *model.Error) {
	var vals []sweepValue
	depth, start := 0, 0
	add := func(end int) *model.Error {
		raw := spec.text[start:end]
		lead := len(raw) - len(strings.TrimLeft(raw, " \t"))
		v := strings.TrimSpace(raw)
		if v == "" {
			return &model.Error{Pos: model.Pos{File: spec.flag, Line: spec.nth, Col: start + 1},
				Msg: "empty value; give values separated by commas, e.g. --values 0.1,0.2,0.3"}
		}
		vals = append(vals, sweepValue{text: v, col: start + lead + 1})
		return nil
	}
	for i, r := range spec.text {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				if err := add(i); err != nil {
					return nil, err
				}
				start = i + 1
			}
		}
	}
	if err := add(len(spec.text)); err != nil {
		return nil, err
	}
	if len(vals) > maxSweepValues {
		return nil, &model.Error{Pos: model.Pos{File: spec.flag, Line: spec.nth}, Msg: fmt.Sprintf("%d values, more than the limit of %d", len(vals), maxSweepValues)}
	}
	return vals, nil
}

// rangeValues expands --range lo:hi:n into n evenly spaced numbers from lo to
// hi, each rounded to 12 significant digits so that 0.1:0.4:4 gives 0.1, 0.2, 0.3, 0.4.
func rangeValues(spec axisSpec) ([]sweepValue, *model.Error) {
	bad := func(msg string) *model.Error {
		return &model.Error{Pos: model.Pos{File: spec.flag, Line: spec.nth, Col: 1}, Msg: msg}
	}
	parts := strings.Split(spec.text, ":")
	if len(parts) != 3 {
		return nil, bad(fmt.Sprintf("expected lo:hi:n (n evenly spaced values from lo to hi), got %q", spec.text))
	}
	lo, err1 := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
	hi, err2 := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64)
	n, err3 := strconv.Atoi(strings.TrimSpace(parts[2]))
	switch {
	case err1 != nil || err2 != nil || math.IsInf(lo, 0) || math.IsInf(hi, 0) || math.IsNaN(lo) || math.IsNaN(hi):
		return nil, bad(fmt.Sprintf("lo and hi must be finite numbers, got %q", spec.text))
	case err3 != nil || n < 2 || n > maxSweepValues:
		return nil, bad(fmt.Sprintf("n must be a whole number of values from 2 to %d, got %q", maxSweepValues, parts[2]))
	case lo == hi:
		return nil, bad(fmt.Sprintf("lo and hi are equal (%v): there is nothing to sweep", lo))
	}
	vals := make([]sweepValue, n)
	for i := range n {
		v := lo + (hi-lo)*float64(i)/float64(n-1)
		if i == n-1 {
			v = hi
		}
		r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
		vals[i] = sweepValue{text: strconv.FormatFloat(r, 'g', -1, 64)}
	}
	return vals, nil
}

// sweepScenarios makes the scenario of each cell from the loaded scenario
// base (made with nsets --set flags): the value of each swept parameter
// applied to it; with strict, a cell's warnings are errors too.
func sweepScenarios(base *model.Scenario, nsets int, axes []out.SweepAxis, strict bool) ([]*model.Scenario, error) {
	inner := []string{""}
	if len(axes) == 2 {
		inner = axes[1].Values
	}
	var scenarios []*model.Scenario
	var errs model.ErrorList
	seen := map[string]bool{}
	for _, v0 := range axes[0].Values {
		for _, v1 := range inner {
			cs := []model.Set{{Name: axes[0].Param, Value: v0, N: nsets + 1}}
			if len(axes) == 2 {
				cs = append(cs, model.Set{Name: axes[1].Param, Value: v1, N: nsets + 2})
			}
			s, err := base.With(cs...)
			if err == nil && strict {
				if se := s.StrictErrors(); len(se) > 0 {
					err = se
				}
			}
			if err == nil {
				scenarios = append(scenarios, s)
				continue
			}
			var el model.ErrorList
			if !errors.As(err, &el) {
				return nil, err
			}
			for _, e := range el {
				// A combination of values that is invalid together.
				c := *e
				if c.Pos.File == "--set" && c.Pos.Line > nsets || c.Pos.Line == 0 {
					if c.Pos.File == "--set" {
						c.Pos = model.Pos{File: "--param"}
					}
					c.Msg += fmt.Sprintf(" (with %s = %s", axes[0].Param, v0)
					if len(axes) == 2 {
						c.Msg += fmt.Sprintf(", %s = %s", axes[1].Param, v1)
					}
					c.Msg += ")"
				}
				if !seen[c.Error()] {
					seen[c.Error()] = true
					errs = append(errs, &c)
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return scenarios, nil
}

// writeSweepFiles writes sweep.csv, sweep.json and, unless format is "none",
// the sweep's chart into d, each atomically, and returns their paths.
func writeSweepFiles(ctx context.Context, d *out.OutDir, s *out.Sweep, format string, lang out.Lang) ([]string, error) {
	if err := d.Mkdir(""); err != nil {
		return nil, err
	}
	files := []out.File{out.Table("sweep.csv", out.WriteSweepCSV, s), out.Table("sweep.json", out.WriteSweepJSON, s)}
	if format != "none" {
		charts, err := out.RenderSweepCharts(s, lang, format)
		if err != nil {
			return nil, fmt.Errorf("drawing the charts: %w", err)
		}
		files = append(files, out.ChartFiles("", charts)...)
	}
	return d.WriteAll(ctx, files)
}
