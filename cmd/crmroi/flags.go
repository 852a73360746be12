package main

import (
	"fmt"
	"math"
	"runtime"
	"strconv"
	"strings"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
	"github.com/spf13/pflag"
)

// simFlags are the flags shared by the simulating commands (cli.md).
type simFlags struct {
	iterations int
	seed       uint64
	workers    int
	outDir     string
	sampling   string
	sets       []string
	force      bool // replace files in the output folder that crmroi did not write
	format     string
	samples    bool
	// samplesFormat is --samples-format: "" (csv) or a list ParseSamplesFormats reads.
	samplesFormat string
	// xlsx is --xlsx (run and batch): also write summary.xlsx / comparison.xlsx.
	xlsx bool
	// samplesDir is where a run streams its samples files: its output
	// folder's staging folder (out.OutDir.Stage).
	samplesDir string
	// sampleDirs, when set (batch), is samplesDir for each scenario.
	sampleDirs []string
	quiet      bool
	json       bool
	lang       string
	csvLocale  string
	tolerance  float64
	maxIter    int
	shard      string
	progress   func(done, total int) // set by the command when stderr is a terminal
	// strict is --strict: the scenario's warnings are errors (exit 2).
	strict bool
}

// registerStrict adds --strict, for the commands that load scenarios to simulate.
func (f *simFlags) registerStrict(fs *pflag.FlagSet) {
	fs.BoolVar(&f.strict, "strict", false, "treat the scenario's warnings (implausible values, distributions cut at their domain) as errors: exit 2")
}

// strictErrors returns, with --strict, the warnings of the scenarios as
// errors, and nil without it or when there are none.
func strictErrors(strict bool, scenarios ...*model.Scenario) error {
	if !strict {
		return nil
	}
	var errs model.ErrorList
	for _, s := range scenarios {
		if s != nil {
			errs = append(errs, s.StrictErrors()...)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func (f *simFlags) register(fs *pflag.FlagSet) {
	fs.VarP(newCountValue(100000, &f.iterations), "iterations", "n", "Monte Carlo iterations (1e6 and 1_000_000 are accepted)")
	fs.Uint64Var(&f.seed, "seed", 1, "master seed; the same seed gives the same results")
	fs.IntVarP(&f.workers, "workers", "w", runtime.NumCPU(), "parallel workers; results do not depend on it")
	fs.StringVarP(&f.outDir, "out", "o", "crmroi-out", "output folder, created if missing")
	fs.BoolVar(&f.force, "force", false, "replace files in the output folder that crmroi did not write")
	fs.StringVar(&f.sampling, "sampling", "mc", "sampling design: mc, lhs (Latin hypercube) or sobol (scrambled Sobol)")
	fs.StringArrayVar(&f.sets, "set", nil, "override a parameter, NAME=VALUE (repeatable)")
	fs.StringVar(&f.format, "format", "png", "chart format: png, svg or none")
	fs.BoolVar(&f.samples, "samples", false, "also write every iteration's inputs and outputs (samples.csv)")
	fs.StringVar(&f.samplesFormat, "samples-format", "", "format of the samples file: csv (the default), parquet, or csv,parquet; implies --samples")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "no progress and no table on the terminal")
	fs.BoolVar(&f.json, "json", false, "print summary.json to stdout instead of the table")
	fs.StringVar(&f.lang, "lang", "en", "language of the table, charts and report: en or ru")
	fs.StringVar(&f.csvLocale, "csv-locale", "machine", "layout of the CSV files: machine (',' and 1.5e-05) or ru (';', decimal commas, no exponent, UTF-8 BOM: for Excel in a Russian locale); --lang does not change it")
	fs.Float64Var(&f.tolerance, "tolerance", 0, "keep running past -n until the 95% half-widths of NPV's mean, P5, P50, P95 are below this share of P95−P5")
	fs.Var(newCountValue(10_000_000, &f.maxIter), "max-iterations", "the most iterations --tolerance may run")
	fs.StringVar(&f.shard, "shard", "", "compute only shard i of N (0-based, i/N) and write a partial result for 'crmroi merge'")
}

// maxIterations is the most iterations one run may ask for.
const maxIterations = 1_000_000_000

func (f *simFlags) check() error {
	if f.iterations < 1 || f.iterations > maxIterations {
		return usageMsg(msgIterations, maxIterations, f.iterations)
	}
	if f.workers < 1 || f.workers > 4096 {
		return usageMsg(msgWorkers, f.workers)
	}
	switch f.sampling {
	case "mc", "lhs", "sobol":
	default:
		return usageMsg(msgSampling, f.sampling)
	}
	if f.tolerance < 0 || f.tolerance >= 1 || f.tolerance != f.tolerance {
		return usageMsg(msgTolerance, f.tolerance)
	}
	if f.maxIter < 1 || f.maxIter > maxIterations {
		return usageMsg(msgMaxIterations, maxIterations, f.maxIter)
	}
	if f.tolerance > 0 && f.maxIter < f.iterations {
		// A run with a tolerance starts with -n iterations: a cap below it
		// could not be honoured (10 of 1,000 ran 1,024).
		return usageMsg(msgMaxBelow, f.maxIter, f.iterations)
	}
	switch f.format {
	case "png", "svg", "none":
	default:
		return usageMsg(msgFormat, f.format)
	}
	if f.outDir == "" {
		return usageMsg(msgOutEmpty)
	}
	if f.samplesFormat != "" {
		if _, err := out.ParseSamplesFormats(f.samplesFormat); err != nil {
			return usageMsg(msgSamplesFormat, f.samplesFormat)
		}
		f.samples = true
	}
	if _, err := out.ParseCSVLocale(f.csvLocale); err != nil {
		return usagef("--csv-locale %s", err)
	}
	if _, err := out.ParseLang(f.lang); err != nil {
		return usageMsg(msgLang, f.lang)
	}
	return nil
}

// parsedSets turns the --set flags into overrides.
func (f *simFlags) parsedSets() ([]model.Set, error) {
	var sets []model.Set
	var errs model.ErrorList
	for i, a := range f.sets {
		s, err := model.ParseSet(a, i+1)
		if err != nil {
			errs = append(errs, err.(*model.Error))
			continue
		}
		sets = append(sets, s)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return sets, nil
}

// csvLayout is the --csv-locale flag (out.CSVMachine or out.CSVRussian);
// check() has validated it.
func (f *simFlags) csvLayout() string {
	l, _ := out.ParseCSVLocale(f.csvLocale)
	return l
}

// openOut is the output folder of a command's set, writing its CSV files in
// the --csv-locale layout.
func (f *simFlags) openOut(set string) *out.OutDir {
	d := out.NewOutDir(f.outDir, f.force, set)
	d.SetCSVLocale(f.csvLayout())
	return d
}

// language is the --lang flag as an out.Lang; check() has validated it.
func (f *simFlags) language() out.Lang {
	l, err := out.ParseLang(f.lang)
	if err != nil {
		return out.English
	}
	return l
}

// registerXLSX adds --xlsx, for the commands that write it (run and batch).
func (f *simFlags) registerXLSX(fs *pflag.FlagSet, what string) {
	fs.BoolVar(&f.xlsx, "xlsx", false, "also write "+what+", an Excel workbook with native charts")
}

// samplesFormats are the formats of the samples files: csv unless
// --samples-format says otherwise; none without --samples.
func (f *simFlags) samplesFormats() []string {
	if !f.samples {
		return nil
	}
	if f.samplesFormat == "" {
		return []string{"csv"}
	}
	formats, err := out.ParseSamplesFormats(f.samplesFormat)
	if err != nil {
		return []string{"csv"} // check() has refused it
	}
	return formats
}

// loadScenarioArg loads the command's one optional scenario argument, in args
// (none: the built-in default), with the --set overrides; several says what to
// use for more than one file.
func (f *simFlags) loadScenarioArg(args []string, cmd, several string) (*model.Scenario, []model.Set, error) {
	s, _, sets, err := f.loadScenarioSource(args, cmd, several)
	return s, sets, err
}

// loadScenarioSource is loadScenarioArg that also returns what the scenario
// was read from (its text and data files, each read once: a pipe cannot be
// read twice).
func (f *simFlags) loadScenarioSource(args []string, cmd, several string) (*model.Scenario, *model.Source, []model.Set, error) {
	if len(args) > 1 {
		return nil, nil, nil, usagef("%s takes one scenario file, got %d%s", cmd, len(args), several)
	}
	file := ""
	if len(args) == 1 {
		file = args[0]
	}
	sets, err := f.parsedSets()
	if err != nil {
		return nil, nil, nil, err
	}
	s, src, err := model.LoadSource(file, sets)
	if err == nil {
		err = strictErrors(f.strict, s)
	}
	return s, src, sets, err
}

// registerOnly registers, of the flags register defines, only those named
// (the others keep their defaults), for a command to which the rest would
// mean nothing.
func (f *simFlags) registerOnly(fs *pflag.FlagSet, names ...string) {
	all := pflag.NewFlagSet("", pflag.ContinueOnError)
	f.register(all)
	for _, n := range names {
		fs.AddFlag(all.Lookup(n))
	}
}

// countValue is an integer flag that may be written as analysts write
// counts: 100000, 100_000 or 1e5 (an exponent, as long as the value is whole).
type countValue int

func newCountValue(def int, p *int) *countValue {
	*p = def
	return (*countValue)(p)
}

func (c *countValue) Set(s string) error {
	t := strings.ReplaceAll(strings.TrimSpace(s), "_", "")
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		if n != int64(int(n)) {
			return fmt.Errorf("%s is too large", s)
		}
		*c = countValue(n)
		return nil
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || strings.ContainsAny(t, "xXpP") || math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%q is not a whole number (write 100000, 100_000 or 1e5)", s)
	}
	if v != math.Trunc(v) {
		return fmt.Errorf("%s is not a whole number", s)
	}
	if math.Abs(v) > 1<<62 {
		return fmt.Errorf("%s is too large", s)
	}
	*c = countValue(int(v))
	return nil
}

func (c *countValue) Type() string   { return "int" }
func (c *countValue) String() string { return strconv.Itoa(int(*c)) }
