package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
	"github.com/spf13/pflag"
)

// batchOptions are the options of batch.
type batchOptions struct{ simFlags }

// AddFlags adds batch's flags to fs.
func (o *batchOptions) AddFlags(fs *pflag.FlagSet) {
	o.register(fs)
	o.registerStrict(fs)
	o.registerXLSX(fs, "comparison.xlsx and each scenario's summary.xlsx")
}

// runBatch simulates the scenario files args names under common random
// numbers and compares them.
func runBatch(ctx context.Context, opts *batchOptions, args []string, stdout, stderr io.Writer) error {
	f := &opts.simFlags
	if err := f.check(); err != nil {
		return err
	}
	files := args
	if len(files) == 0 {
		return usagef("batch needs one or more scenario files (see 'crmroi batch -h')")
	}
	if err := checkComparable("batch", f); err != nil {
		return err
	}
	sets, err := f.parsedSets()
	if err != nil {
		return err
	}
	scenarios, err := loadAll(files, sets)
	if err != nil {
		return err
	}
	if err := strictErrors(f.strict, scenarios...); err != nil {
		return err
	}
	for i, s := range scenarios {
		if s.IsFormula() {
			return usagef("%s is a formula model: batch compares CRM scenarios (simulate it with 'crmroi run')", files[i])
		}
		if s.Currency != scenarios[0].Currency {
			return usagef("%s is in %s and %s in %s: scenarios compared in a batch must share one currency",
				files[i], s.Currency, files[0], scenarios[0].Currency)
		}
	}
	slugs := batchSlugs(files, scenarios)
	concurrent, each := shareWorkers(f.workers, len(scenarios))
	if err := checkMemoryAll(scenarios, f, each, concurrent, true, int64(f.iterations)*8); err != nil {
		return err
	}
	// Every file of every scenario's folder and of the comparison is
	// checked, and the folder made ready, before anything is simulated; the
	// whole batch is then committed as one set.
	d := f.openOut("batch")
	if err := d.Check(batchFileNames(scenarios, slugs, f)...); err != nil {
		return err
	}
	if err := d.Open(); err != nil {
		return err
	}
	defer d.Abort()
	lang := f.language()
	if f.samples { // each scenario's samples go to its own folder
		for _, slug := range slugs {
			f.sampleDirs = append(f.sampleDirs, d.StagePath(slug))
		}
	}
	stop := f.startProgress(stderr)
	start := time.Now()
	npv := make([][]float64, len(scenarios))
	runs, err := simulateAll(ctx, scenarios, f, true, func(i int, run *out.Run) error {
		// Each scenario's own files, exactly as run writes them; then only
		// its NPV column is kept, for the comparison.
		if _, err := writeRunFiles(ctx, d, slugs[i], run, f.samplesFormats(), f.xlsx, f.format, lang); err != nil {
			return fmt.Errorf("%s: %w", files[i], err)
		}
		npv[i] = run.Result.Values[0]
		run.Result.Values = nil
		return nil
	})
	stop()
	if err != nil {
		return err
	}
	cmp, err := out.NewComparison(runs, slugs, npv)
	if err != nil {
		return err
	}
	cmp.Workers, cmp.Elapsed, cmp.Version = f.workers, time.Since(start).Seconds(), version
	written, err := writeComparisonFiles(ctx, d, cmp, f.xlsx, f.format, lang)
	if err != nil {
		return err
	}
	if err := d.Commit(); err != nil {
		return err
	}
	switch {
	case f.json:
		return out.WriteComparisonJSON(stdout, cmp)
	case !f.quiet:
		return out.WriteComparisonTable(stdout, cmp, written, lang)
	}
	return nil
}

// checkComparable refuses the flags under which the simulations of batch or
// sweep could not be compared iteration by iteration.
func checkComparable(cmd string, f *simFlags) error {
	if f.tolerance > 0 {
		return usagef("--tolerance is not available in %s: every simulation runs the same -n iterations, so that they compare iteration by iteration", cmd)
	}
	if f.shard != "" {
		return usagef("--shard is not available in %s; shard the scenarios' runs with 'crmroi run --shard'", cmd)
	}
	return nil
}

// loadAll loads every scenario with the same overrides and reports every
// error of every file at once (an error of a --set only once).
func loadAll(files []string, sets []model.Set) ([]*model.Scenario, error) {
	scenarios := make([]*model.Scenario, len(files))
	var errs model.ErrorList
	seen := map[string]bool{}
	for i, file := range files {
		s, err := model.Load(file, sets)
		if err == nil {
			scenarios[i] = s
			continue
		}
		var el model.ErrorList
		if !errors.As(err, &el) {
			return nil, err
		}
		for _, e := range el {
			if !seen[e.Error()] {
				seen[e.Error()] = true
				errs = append(errs, e)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return scenarios, nil
}

// batchFileNames are the files batch writes: each scenario's, in its
// folder, and the comparison's.
func batchFileNames(scenarios []*model.Scenario, slugs []string, f *simFlags) []string {
	names := []string{"comparison.csv", "comparison.json", "pairwise.csv"}
	if f.xlsx {
		names = append(names, "comparison.xlsx")
	}
	if f.format != "none" {
		for _, c := range out.ComparisonChartNames {
			names = append(names, c+"."+f.format)
		}
		names = append(names, "report.html", out.SummaryPDF)
	}
	for i, s := range scenarios {
		for _, n := range runFileNames(s, f) {
			names = append(names, filepath.Join(slugs[i], n))
		}
	}
	return names
}

// writeComparisonFiles writes comparison.csv, comparison.json, pairwise.csv,
// comparison.xlsx with xlsx and, unless format is "none", the comparison
// charts, report.html and the one-page summary.pdf into d, each atomically, and returns their paths.
func writeComparisonFiles(ctx context.Context, d *out.OutDir, c *out.Comparison, xlsx bool, format string, lang out.Lang) ([]string, error) {
	files := []out.File{
		out.Table("comparison.csv", out.WriteComparisonCSV, c),
		out.Table("comparison.json", out.WriteComparisonJSON, c),
		out.Table("pairwise.csv", out.WritePairwiseCSV, c),
	}
	if xlsx {
		files = append(files, out.File{Name: "comparison.xlsx", Write: func(w io.Writer) error { return out.WriteComparisonXLSX(w, c, lang) }})
	}
	if format != "none" {
		charts, err := out.RenderComparisonCharts(c, lang, format)
		if err != nil {
			return nil, fmt.Errorf("drawing the charts: %w", err)
		}
		files = append(files, out.ChartFiles("", charts)...)
		files = append(files, out.File{Name: "report.html",
			Write: func(w io.Writer) error { return out.WriteComparisonReport(w, c, lang, charts) }})
		files = append(files, out.File{Name: out.SummaryPDF, Write: func(w io.Writer) error { return out.WriteComparisonPDF(w, c, lang) }})
	}
	return d.WriteAll(ctx, files)
}

// maxSlug is the longest folder name a slug may have, in bytes.
const maxSlug = 48

// batchSlugs names each scenario's output folder: its name as a slug, or its
// file name where the name gives none, made unique with -2, -3, … in order.
func batchSlugs(files []string, scenarios []*model.Scenario) []string {
	out := make([]string, len(files))
	used := map[string]bool{}
	for i, file := range files {
		s := slugify(scenarios[i].Name)
		if s == "" {
			s = slugify(strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)))
		}
		if s == "" {
			s = "scenario"
		}
		u := s
		for k := 2; used[u]; k++ {
			u = fmt.Sprintf("%s-%d", s, k)
		}
		used[u] = true
		out[i] = u
	}
	return out
}

// translit spells Russian (and Ukrainian, Belarusian) letters in Latin.
var translit = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i",
	'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t",
	'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "",
	'э': "e", 'ю': "yu", 'я': "ya", 'і': "i", 'ї': "yi", 'є': "ye", 'ґ': "g", 'ў': "u",
}

// slugify turns a name into an ASCII folder name: lower-case letters and
// digits, Cyrillic transliterated, anything else a single hyphen, at most
// maxSlug bytes (cut at a word's end); "" when nothing is left.
func slugify(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(name) {
		var part string
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			part = string(r)
		default:
			if t, ok := translit[r]; ok {
				part = t
			}
		}
		if part == "" {
			if _, ok := translit[r]; !ok {
				hyphen = b.Len() > 0
			}
			continue
		}
		if hyphen {
			b.WriteByte('-')
			hyphen = false
		}
		b.WriteString(part)
	}
	s := b.String()
	if len(s) > maxSlug {
		s = s[:maxSlug]
		if i := strings.LastIndexByte(s, '-'); i > maxSlug/2 {
			s = s[:i] // at a word's end
		}
		s = strings.TrimRight(s, "-")
	}
	return s
}
