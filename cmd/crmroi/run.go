package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
	"github.com/crmroi/crmroi/sim"
	"github.com/spf13/pflag"
)

// runOptions are the options of run.
type runOptions struct {
	simFlags
	sensitivity bool // also analyse sensitivity
}

// AddFlags adds run's flags to fs.
func (o *runOptions) AddFlags(fs *pflag.FlagSet) {
	o.register(fs)
	o.registerStrict(fs)
	o.registerXLSX(fs, "summary.xlsx")
	fs.BoolVar(&o.sensitivity, "sensitivity", false, "also analyse sensitivity (Sobol N = 4096) and add a section to report.html")
}

// runRun simulates the scenario args names (none: the default scenario).
func runRun(ctx context.Context, opts *runOptions, args []string, stdout, stderr io.Writer) error {
	f := &opts.simFlags
	if err := f.check(); err != nil {
		return err
	}
	s, src, sets, err := f.loadScenarioSource(args, "run", " (use 'crmroi batch' for several)")
	if err != nil {
		return err
	}
	if opts.sensitivity && (f.format == "none" || s.IsFormula() || f.shard != "") {
		// Its only place is a section of report.html: computing it for a run
		// that writes none would discard it.
		return usagef("--sensitivity adds a section to report.html, which a run with --format none, --shard or a formula model does not write; use 'crmroi sensitivity'")
	}
	cfg := simConfig(f, f.workers, f.format != "none" || s.IsFormula() || f.xlsx)
	if err := checkMemory(s, cfg); err != nil {
		return err
	}
	if f.shard != "" {
		return runShard(ctx, s, f, cfg, src, sets, stdout)
	}
	// The folder is checked and made ready (its staging folder, where the
	// samples are streamed) before the simulation, so that nothing is
	// computed for a run that could not be written.
	d := f.openOut("run")
	if err := d.Check(runFileNames(s, f)...); err != nil {
		return err
	}
	if err := d.Open(); err != nil {
		return err
	}
	defer d.Abort()
	f.samplesDir = d.Stage()
	stop := f.startProgress(stderr)
	defer stop()
	run, err := simulate(ctx, s, f, f.workers, cfg.KeepOutputs)
	if err != nil {
		return err
	}
	if opts.sensitivity {
		sf := sensFlags{base: sim.DefaultBase, sampling: "sobol", resamples: sim.DefaultResamples}
		if run.Sensitivity, err = sim.RunSensitivity(ctx, s, sf.config(f)); err != nil {
			return err
		}
	}
	return emitRun(ctx, s, run, f, d, stdout)
}

// emitRun writes the files of a finished run into d, commits them as one
// set and prints its table or JSON, as run and merge do.
func emitRun(ctx context.Context, s *model.Scenario, run *out.Run, f *simFlags, d *out.OutDir, stdout io.Writer) error {
	if s.IsFormula() { // no month axis: no bands, fan or payback chart, no report.html
		files, err := out.WriteFormulaFiles(ctx, d, run, f.format, f.language())
		if err == nil && f.xlsx {
			var more []string
			more, err = d.WriteAll(ctx, []out.File{xlsxFile(run, f.language())})
			files = append(files, more...)
		}
		var samples []string
		if err == nil {
			samples, err = adoptSamples(d, "", f.samplesFormats())
		}
		if err == nil {
			err = d.Commit()
		}
		files = insertAfterTables(files, samples)
		switch {
		case err != nil:
			return err
		case f.json:
			return out.WriteSummaryJSON(stdout, run)
		case !f.quiet:
			return out.WriteTableLang(stdout, run, files, f.language())
		}
		return nil
	}
	files, err := writeRunFiles(ctx, d, "", run, f.samplesFormats(), f.xlsx, f.format, f.language())
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
		return out.WriteTableLang(stdout, run, files, f.language())
	}
	return nil
}

// runFileNames are the files run writes (besides the streamed samples), for
// the check, before the simulation, that none would replace a file crmroi did
// not write.
func runFileNames(s *model.Scenario, f *simFlags) []string {
	names := []string{"summary.json", "summary.csv", "tornado.csv"}
	if s.IsFormula() && f.format != "none" {
		for _, o := range model.Compile(s).Outputs() {
			names = append(names, o.Name+"_hist."+f.format, o.Name+"_cdf."+f.format)
		}
		names = append(names, "tornado."+f.format)
	}
	if !s.IsFormula() {
		names = append(names, "bands.csv")
		if f.format != "none" {
			for _, c := range out.ChartNames {
				names = append(names, c+"."+f.format)
			}
			names = append(names, "report.html", out.SummaryPDF)
		}
	}
	if f.xlsx {
		names = append(names, "summary.xlsx")
	}
	return append(names, samplesPaths("", f.samplesFormats())...)
}

// writeRunFiles writes the result files of run into sub of d's stage and
// returns the paths they will have: the summary and CSV files, the extra
// tables (track.json), the samples
// files of samplesFormats already streamed into the stage during the run
// (added to the set), summary.xlsx with xlsx, then, unless format is "none",
// the charts in format (png or svg), report.html and summary.pdf, in lang. It writes
// nothing if any would replace a file crmroi did not write.
func writeRunFiles(ctx context.Context, d *out.OutDir, sub string, run *out.Run, samplesFormats []string, xlsx bool, format string, lang out.Lang, extra ...out.File) ([]string, error) {
	if err := d.Mkdir(sub); err != nil {
		return nil, err
	}
	samples, err := adoptSamples(d, sub, samplesFormats)
	if err != nil {
		return nil, err
	}
	files := []out.File{
		out.Table(filepath.Join(sub, "summary.json"), out.WriteSummaryJSON, run),
		out.Table(filepath.Join(sub, "summary.csv"), out.WriteSummaryCSV, run),
		out.Table(filepath.Join(sub, "bands.csv"), out.WriteBandsCSV, run),
		out.Table(filepath.Join(sub, "tornado.csv"), out.WriteTornadoCSV, run),
	}
	files = append(files, extra...)
	if xlsx {
		x := xlsxFile(run, lang)
		x.Name = filepath.Join(sub, x.Name)
		files = append(files, x)
	}
	var charts []out.RenderedChart
	if format != "none" {
		var err error
		if charts, err = out.RenderCharts(run, lang, format); err != nil {
			return nil, fmt.Errorf("drawing the charts: %w", err)
		}
		files = append(files, out.ChartFiles(sub, charts)...)
		files = append(files, out.File{Name: filepath.Join(sub, "report.html"),
			Write: func(w io.Writer) error { return out.WriteReport(w, run, lang, charts) }},
			out.File{Name: filepath.Join(sub, out.SummaryPDF), Write: func(w io.Writer) error { return out.WriteSummaryPDF(w, run, lang) }})
	}
	written, err := d.WriteAll(ctx, files)
	return insertAfterTables(written, samples), err
}

// adoptSamples adds the samples files of formats, streamed into sub of d's
// stage during the run, to d's set, and returns the paths they will have.
func adoptSamples(d *out.OutDir, sub string, formats []string) ([]string, error) {
	names := samplesPaths(sub, formats)
	if err := d.Adopt(names...); err != nil {
		return nil, err
	}
	paths := make([]string, len(names))
	for i, n := range names {
		paths[i] = filepath.Join(d.Dir(), n)
	}
	return paths, nil
}

// xlsxFile is summary.xlsx.
func xlsxFile(run *out.Run, lang out.Lang) out.File {
	return out.File{Name: "summary.xlsx", Write: func(w io.Writer) error { return out.WriteSummaryXLSX(w, run, lang) }}
}

// insertAfterTables inserts paths into files after the last table file
// (.json, .csv, .xlsx), before the charts.
func insertAfterTables(files, paths []string) []string {
	at := 0
	for i, f := range files {
		switch filepath.Ext(f) {
		case ".json", ".csv", ".xlsx":
			at = i + 1
		}
	}
	return append(files[:at:at], append(paths, files[at:]...)...)
}

// checkMemory refuses a run whose results would not fit in memory, before it starts.
func checkMemory(s *model.Scenario, cfg sim.Config) error {
	need := sim.EstimateMemory(s, cfg)
	avail := availableMemory()
	if avail > 0 && need > avail*9/10 {
		return usagef("this run would need about %s MB of memory, more than the %s MB available; use fewer iterations (-n) or a shorter horizon",
			out.Money(float64(need>>20)), out.Money(float64(avail>>20)))
	}
	return nil
}
