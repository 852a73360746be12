package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"

	"github.com/crmroi/crmroi/fit"
	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
	"github.com/spf13/pflag"
)

// fitCmd is `crmroi fit DATA.csv --column NAME`: fits the candidate
// families to one column of historical data, prints them ranked by AIC with
// their goodness of fit, and writes fit.json and the charts fit.png and
// fit_qq.png.
// fitOptions are the options of fit.
type fitOptions struct {
	column, sheet string // where the data are
	families      string // the families to try, comma-separated
	min, max      string // known bounds of the data, "" if none
	bootstrap     int
	seed          uint64
	workers       int
	outDir        string
	force         bool
	format        string
	json          bool
	lang          string
	param         string // the scenario parameter the data are for
}

// AddFlags adds fit's flags to fs.
func (o *fitOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVarP(&o.column, "column", "c", "", "the column to fit, by its header (may be omitted when the file has one column)")
	fs.StringVar(&o.sheet, "sheet", "", "worksheet of an .xlsx file (default: the first)")
	fs.StringVar(&o.families, "families", strings.Join(fit.Families, ","), "families to try, comma-separated")
	fs.StringVar(&o.min, "min", "", "known lower bound of the data (support of beta, triangular, pert, uniform)")
	fs.StringVar(&o.max, "max", "", "known upper bound of the data")
	fs.IntVar(&o.bootstrap, "bootstrap", fit.DefaultBootstrap, "parametric bootstrap resamples for the KS and AD p-values (0: none)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the bootstrap; the same seed gives the same p-values")
	fs.IntVarP(&o.workers, "workers", "w", runtime.NumCPU(), "parallel workers; results do not depend on it")
	fs.StringVarP(&o.outDir, "out", "o", "crmroi-out", "output folder for fit.json and the charts, created if missing")
	fs.BoolVar(&o.force, "force", false, "replace files in the output folder that crmroi did not write")
	fs.StringVar(&o.format, "format", "png", "chart format: png, svg or none")
	fs.BoolVar(&o.json, "json", false, "print fit.json to stdout instead of the table")
	fs.StringVar(&o.lang, "lang", "en", "language of the charts: en or ru")
	fs.StringVar(&o.param, "param", "", "the scenario parameter the data are for, e.g. company.churn: every fit is kept within its domain and printed as an expression it accepts")
}

// runFit fits distributions to a column of the data file args names.
func runFit(ctx context.Context, opts *fitOptions, args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return usagef("fit needs exactly one data file (CSV with a header row, or .xlsx), got %d arguments", len(args))
	}
	file := args[0]
	lang, err := out.ParseLang(opts.lang)
	if err != nil {
		return usagef("%v", err)
	}
	switch opts.format {
	case "png", "svg", "none":
	default:
		return usagef("--format must be png, svg or none, got %q", opts.format)
	}
	if opts.bootstrap < 0 || opts.bootstrap > 100_000 {
		return usagef("--bootstrap must be between 0 and 100000, got %d", opts.bootstrap)
	}
	if opts.workers < 1 || opts.workers > 4096 {
		return usagef("--workers must be between 1 and 4096, got %d", opts.workers)
	}
	if opts.outDir == "" {
		return usagef("--out must name a folder")
	}
	opt := fit.Options{Bootstrap: opts.bootstrap, Seed: opts.seed, Workers: opts.workers, Min: math.NaN(), Max: math.NaN()}
	for _, f := range strings.Split(opts.families, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		if !fitHas(fit.Families, f) {
			return usagef("--families: unknown family %q; the families are %s", f, strings.Join(fit.Families, ", "))
		}
		opt.Families = append(opt.Families, f)
	}
	if len(opt.Families) == 0 {
		return usagef("--families names no family; the families are %s", strings.Join(fit.Families, ", "))
	}
	for _, b := range []struct {
		name string
		s    string
		v    *float64
	}{{"--min", opts.min, &opt.Min}, {"--max", opts.max, &opt.Max}} {
		if b.s == "" {
			continue
		}
		v, ok := fitNumber(b.s)
		if !ok {
			return usagef("%s must be a finite number, got %q", b.name, b.s)
		}
		*b.v = v
	}
	var info model.ParamInfo
	if opts.param != "" {
		var ok bool
		if info, ok = model.InputParam(opts.param); !ok || info.NumberOnly {
			return usagef("--param must name an uncertain parameter of the CRM model, e.g. company.churn, got %q%s", opts.param, suggestParam(opts.param))
		}
	}
	// The output folder is checked and made ready before the data is read
	// and fitted; excelize's temporary files go into its staging folder.
	od := out.NewOutDir(opts.outDir, opts.force, "fit")
	names := []string{"fit.json"}
	if opts.format != "none" {
		for _, c := range out.FitChartNames {
			names = append(names, c+"."+opts.format)
		}
	}
	if err := od.Check(names...); err != nil {
		return err
	}
	if err := od.Open(); err != nil {
		return err
	}
	defer od.Abort()
	col, err := fit.ReadColumnIn(file, opts.column, opts.sheet, od.Stage())
	if ctx.Err() != nil { // an interrupt, whatever reading the data gave
		return ctx.Err()
	}
	if err != nil {
		var de *fit.DataError
		if errors.As(err, &de) {
			return &model.Error{Pos: model.Pos{File: de.File, Line: de.Line, Col: de.Col}, Msg: de.Msg}
		}
		return err
	}
	if opts.param != "" {
		if err := inDomain(info, file, col); err != nil {
			return err
		}
	}
	opt.Context = ctx
	rep, err := fit.Fit(col.Values, opt)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		msg := err.Error()
		if rep != nil {
			var why []string
			for _, s := range rep.Skipped {
				why = append(why, s.Family+": "+s.Reason)
			}
			msg += " (" + strings.Join(why, "; ") + ")"
		}
		return &model.Error{Pos: model.Pos{File: file}, Path: "column " + col.Name, Msg: msg}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	d := out.FitData{File: file, Sheet: col.Sheet, Column: col.Name, Blank: col.Blank, SHA256: col.SHA256, Values: col.Values}
	if opts.param != "" {
		if d.Cut, err = cutFits(rep, info, file, col.Name); err != nil {
			return err
		}
	}
	var charts []out.RenderedChart
	if opts.format != "none" {
		if charts, err = out.RenderFitCharts(rep, d, lang, opts.format); err != nil {
			return err
		}
	}
	obj := out.FitJSON(rep, d)
	js, err := obj.MarshalJSON()
	if err != nil {
		return err
	}
	files, err := od.WriteAll(ctx, append([]out.File{{Name: "fit.json", Write: func(w io.Writer) error {
		_, err := w.Write(append(js, '\n'))
		return err
	}}}, out.ChartFiles("", charts)...))
	if err == nil {
		err = od.Commit()
	}
	if err != nil {
		return err
	}
	if opts.json {
		_, err := stdout.Write(append(js, '\n'))
		return err
	}
	return out.WriteFitTable(stdout, rep, d, files)
}

// fitNumber reads a finite number as the scenario files write them.
func fitNumber(s string) (float64, bool) {
	var v float64
	if _, err := fmt.Sscan(strings.ReplaceAll(strings.TrimSpace(s), "_", ""), &v); err != nil {
		return 0, false
	}
	return v, !math.IsNaN(v) && !math.IsInf(v, 0)
}

func fitHas(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// suggestParam is " (did you mean X?)" for the uncertain parameter nearest to s.
func suggestParam(s string) string {
	best, bestD := "", 1<<30
	for _, p := range model.Builtin {
		if d := editDistance(s, p.Path); d < bestD {
			best, bestD = p.Path, d
		}
	}
	if bestD > len(s)/3+1 {
		return ""
	}
	return " (did you mean " + best + "?)"
}

// inDomain refuses data that lie outside the domain of the parameter they
// are for, with the likely reason where the data are percentages.
func inDomain(p model.ParamInfo, file string, col *fit.Column) error {
	out, pctOK := 0, true
	for _, v := range col.Values {
		if !p.Domain.Contains(v) {
			out++
		}
		if !p.Domain.Contains(v / 100) {
			pctOK = false
		}
	}
	if out == 0 {
		return nil
	}
	msg := fmt.Sprintf("%d of the %d values lie outside the domain of %s, %s (%s)", out, len(col.Values), p.Path, p.Domain, p.Unit)
	if pctOK {
		msg += "; are they percentages? Divide them by 100"
	}
	return &model.Error{Pos: model.Pos{File: file}, Path: "column " + col.Name, Msg: msg}
}

// cutFits cuts every fit at the edges of the domain of parameter p where it
// reaches beyond them, as the scenario would, and notes it; it returns the
// cut of the best fit by AIC as a suffix for its empirical(…, fit=…) form.
func cutFits(rep *fit.Report, p model.ParamInfo, file, column string) (string, error) {
	best := ""
	for i := range rep.Results {
		r := &rep.Results[i]
		c, mass, suffix, err := model.CutToDomain(p.Path, r.Dist)
		if err != nil {
			return "", &model.Error{Pos: model.Pos{File: file}, Path: "column " + column,
				Msg: fmt.Sprintf("the %s fit cannot be kept within the domain of %s, %s: %v", r.Family, p.Path, p.Domain, err)}
		}
		if suffix != "" {
			r.Dist, r.Expr = c, c.String()
			share := "less than 0.0001%"
			if mass >= 1e-6 {
				share = strconv.FormatFloat(100*mass, 'g', 2, 64) + "%"
			}
			note := fmt.Sprintf("cut at the domain of %s, %s: %s of the fit lay outside", p.Path, p.Domain, share)
			if r.Note != "" {
				note = r.Note + "; " + note
			}
			r.Note = note
		}
		if r == rep.BestAIC {
			best = suffix
		}
	}
	return best, nil
}
