package model

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/crmroi/crmroi/distributions"
	"github.com/crmroi/crmroi/fit"
)

// dataCache holds the data columns a scenario's empirical inputs read,
// each (file, sheet, column) read once per load.
type dataCache struct {
	cols map[string]*fit.Column
	errs map[string]error
}

// parseDist parses the value of a parameter. empirical(file=…, column=…)
// reads its data relative to the scenario file's directory.
func (l *loader) parseDist(text string) (distributions.Dist, error) {
	if !strings.Contains(strings.ToLower(text), "empirical") {
		return distributions.Parse(text)
	}
	return distributions.ParseWith(text, distributions.Options{Empirical: l.empirical})
}

// dataPath resolves a data file named in the scenario.
func (l *loader) dataPath(file string) string {
	if filepath.IsAbs(file) {
		return file
	}
	return filepath.Join(filepath.Dir(l.file), file)
}

// column reads a data column once per load.
func (l *loader) column(ref distributions.EmpiricalRef) (*fit.Column, error) {
	if l.data == nil {
		l.data = &dataCache{cols: map[string]*fit.Column{}, errs: map[string]error{}}
	}
	path := l.dataPath(ref.File)
	key := path + "\x00" + ref.Sheet + "\x00" + ref.Column
	if c, ok := l.data.cols[key]; ok {
		return c, nil
	}
	if err, ok := l.data.errs[key]; ok {
		return nil, err
	}
	var (
		raw []byte
		err error
	)
	if l.files != nil {
		var ok bool
		if raw, ok = l.files[path]; !ok && l.record == nil {
			err = &fit.DataError{File: path, Msg: "the data file is not in the partial result"}
		} else if !ok {
			raw, err = fit.ReadDataFile(path)
		}
	} else {
		raw, err = fit.ReadDataFile(path)
	}
	var c *fit.Column
	if err == nil {
		c, err = fit.ParseColumn(path, raw, ref.Column, ref.Sheet)
	}
	if err == nil && l.record != nil {
		l.record[path] = raw
	}
	if err != nil {
		l.data.errs[key] = err
		return nil, err
	}
	l.data.cols[key] = c
	return c, nil
}

// empirical builds the distribution of an empirical(…) input.
func (l *loader) empirical(ref distributions.EmpiricalRef) (distributions.Dist, error) {
	if l.file == DefaultFile || l.file == "" {
		return nil, &distributions.SyntaxError{Offset: ref.Off, Msg: "empirical inputs need a scenario file: the data file is read relative to it"}
	}
	c, err := l.column(ref)
	if err != nil {
		return nil, err
	}
	if ref.SHA256 != "" && !strings.HasPrefix(c.SHA256, ref.SHA256) {
		return nil, fmt.Errorf("the data in %s have changed: the scenario says sha256=%s, the file's SHA-256 is now %s; remove sha256= to use the new data",
			c.File, ref.SHA256, c.SHA256[:distributions.SHA256Len])
	}
	expr := ref.Expr(c.SHA256)
	where := fmt.Sprintf("%s, column %s", ref.File, strconv.Quote(c.Name))
	if c.Sheet != "" {
		where = fmt.Sprintf("%s, sheet %s, column %s", ref.File, strconv.Quote(c.Sheet), strconv.Quote(c.Name))
	}
	n := len(c.Values)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range c.Values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	blank := ""
	if c.Blank > 0 {
		blank = fmt.Sprintf(" (%d blank cells skipped)", c.Blank)
	}
	if ref.Fit == "" {
		d, err := distributions.NewEmpirical(c.Values, ref.Smooth, ref.Min, ref.Max, expr)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", where, err)
		}
		how := "resampled (bootstrap)"
		if h, ok := distributions.Bandwidth(d); ok {
			how = "kernel density, bandwidth " + fmtSig(h)
		}
		src := fmt.Sprintf("%s: n = %d%s, mean %s, range %s to %s; %s; sha256 %s",
			where, n, blank, fmtSig(d.Mean()), fmtSig(lo), fmtSig(hi), how, c.SHA256)
		return distributions.WithSource(d, "", src), nil
	}
	opt := fit.Options{Min: math.NaN(), Max: math.NaN()}
	if ref.Fit != "best" {
		opt.Families = []string{ref.Fit}
	}
	rep, err := fit.Fit(c.Values, opt)
	if err != nil {
		msg := err.Error()
		if rep != nil && len(rep.Skipped) > 0 {
			msg = fmt.Sprintf("%s cannot be fitted: %s", rep.Skipped[0].Family, rep.Skipped[0].Reason)
		}
		return nil, fmt.Errorf("%s: %s", where, msg)
	}
	r := rep.BestAIC
	src := fmt.Sprintf("%s fitted by maximum likelihood to %s: n = %d%s, log-likelihood %s, AIC %s, BIC %s, KS %s, AD %s; sha256 %s",
		r.Expr, where, n, blank, fmtSig(r.LogLik), fmtSig(r.AIC), fmtSig(r.BIC), fmtSig(r.KS), fmtSig(r.AD), c.SHA256)
	if ref.Fit == "best" && len(rep.Results) > 1 {
		src += fmt.Sprintf("; best by AIC of %d families (next: %s, ΔAIC %s)", len(rep.Results), rep.Results[1].Family, fmtSig(rep.Results[1].DeltaAIC))
	}
	return distributions.WithSource(r.Dist, expr, src), nil
}

// fmtSig formats a number with 4 significant digits for source notes.
func fmtSig(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }
