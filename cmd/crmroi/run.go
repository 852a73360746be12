package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
	"github.com/crmroi/crmroi/sim"
)

func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlags("run", "run [SCENARIO.yaml] [flags]", stderr)
	var f simFlags
	f.register(fl)
	f.registerXLSX(fl, "summary.xlsx")
	sensitivity := fl.Bool("sensitivity", false, "also analyse sensitivity (Sobol N = 4096) and add a section to report.html")
	if err := parseFlags(fl, args); err != nil {
		return err
	}
	if err := f.check(); err != nil {
		return err
	}
	if fl.NArg() > 1 {
		return usagef("run takes one scenario file, got %d (use 'crmroi batch' for several)", fl.NArg())
	}
	sets, err := f.parsedSets()
	if err != nil {
		return err
	}
	s, err := model.Load(fl.Arg(0), sets)
	if err != nil {
		return err
	}
	cfg := simConfig(&f, f.workers, f.format != "none" || s.IsFormula() || f.xlsx)
	if err := checkMemory(s, cfg); err != nil {
		return err
	}
	if f.shard != "" {
		return runShard(ctx, s, &f, cfg, fl.Arg(0), sets, stdout)
	}
	stop := f.startProgress(stderr)
	defer stop()
	run, err := simulate(ctx, s, &f, f.workers, cfg.KeepOutputs)
	if err != nil {
		return err
	}
	if *sensitivity {
		sf := sensFlags{base: sim.DefaultBase, sampling: "sobol", resamples: sim.DefaultResamples}
		if run.Sensitivity, err = sim.RunSensitivity(ctx, s, sf.config(&f)); err != nil {
			return err
		}
	}
	return emitRun(ctx, s, run, &f, stdout)
}

// emitRun writes the files of a finished run and prints its table or JSON,
// as run and merge do.
func emitRun(ctx context.Context, s *model.Scenario, run *out.Run, f *simFlags, stdout io.Writer) error {
	if s.IsFormula() { // no month axis: no bands, fan or payback chart, no report.html
		// samples.csv was streamed during the run (simulate).
		files, err := out.WriteFormulaFiles(ctx, f.outDir, run, false, f.format, f.language())
		if err == nil && f.xlsx {
			files, err = writeXLSX(f.outDir, run, f.language(), files)
		}
		files = insertAfterTables(files, samplesPaths(f.outDir, f.samplesFormats()))
		switch {
		case err != nil:
			return err
		case f.json:
			return out.WriteFormulaSummaryJSON(stdout, run)
		case !f.quiet:
			return out.WriteFormulaTable(stdout, run, files, f.language())
		}
		return nil
	}
	files, err := writeRunFiles(ctx, f.outDir, run, samplesPaths(f.outDir, f.samplesFormats()), f.xlsx, f.format, f.language())
	if err != nil {
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

// writeRunFiles writes the result files of run into dir, each atomically, and
// returns their paths: the summary and CSV files, the samples files already
// streamed during the run (listed only), summary.xlsx with xlsx, then, unless
// format is "none", the charts in format (png or svg) and report.html, in lang.
func writeRunFiles(ctx context.Context, dir string, run *out.Run, samples []string, xlsx bool, format string, lang out.Lang) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create the output folder %s: %w", dir, err)
	}
	// The charts render on other goroutines while the CSV files are written.
	type rendered struct {
		charts []out.RenderedChart
		err    error
	}
	var chartsDone chan rendered
	if format != "none" {
		chartsDone = make(chan rendered, 1)
		go func() {
			c, err := out.RenderCharts(run, lang, format)
			chartsDone <- rendered{c, err}
		}()
	}
	writers := []struct {
		name  string
		write func(io.Writer, *out.Run) error
	}{
		{"summary.json", out.WriteSummaryJSON},
		{"summary.csv", out.WriteSummaryCSV},
		{"bands.csv", out.WriteBandsCSV},
		{"tornado.csv", out.WriteTornadoCSV},
	}
	var files []string
	for _, w := range writers {
		if ctx.Err() != nil {
			return files, sim.ErrInterrupted
		}
		path := filepath.Join(dir, w.name)
		if err := out.WriteFileAtomic(path, func(wr io.Writer) error { return w.write(wr, run) }); err != nil {
			return files, fmt.Errorf("writing %s: %w", path, err)
		}
		files = append(files, path)
	}
	files = append(files, samples...)
	if xlsx {
		var err error
		if files, err = writeXLSX(dir, run, lang, files); err != nil {
			return files, err
		}
	}
	if chartsDone == nil {
		return files, nil
	}
	r := <-chartsDone
	if r.err != nil {
		return files, fmt.Errorf("drawing the charts: %w", r.err)
	}
	if ctx.Err() != nil {
		return files, sim.ErrInterrupted
	}
	for _, c := range r.charts {
		path := filepath.Join(dir, c.File)
		if err := out.WriteFileAtomic(path, func(wr io.Writer) error { _, err := wr.Write(c.Data); return err }); err != nil {
			return files, fmt.Errorf("writing %s: %w", path, err)
		}
		files = append(files, path)
	}
	path := filepath.Join(dir, "report.html")
	if err := out.WriteFileAtomic(path, func(wr io.Writer) error { return out.WriteReport(wr, run, lang, r.charts) }); err != nil {
		return files, fmt.Errorf("writing %s: %w", path, err)
	}
	return append(files, path), nil
}

// writeXLSX writes summary.xlsx into dir and appends its path to files.
func writeXLSX(dir string, run *out.Run, lang out.Lang, files []string) ([]string, error) {
	path := filepath.Join(dir, "summary.xlsx")
	if err := out.WriteFileAtomic(path, func(w io.Writer) error { return out.WriteSummaryXLSX(w, run, lang) }); err != nil {
		return files, fmt.Errorf("writing %s: %w", path, err)
	}
	return append(files, path), nil
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

// availableMemory reads MemAvailable from /proc/meminfo, or 0 where unknown.
// availableMemory is a variable so that tests can pretend a smaller machine.
var availableMemory = func() int64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	var kb int64
	for _, line := range splitLines(string(data)) {
		if n, _ := fmt.Sscanf(line, "MemAvailable: %d kB", &kb); n == 1 {
			return kb << 10
		}
	}
	return 0
}

func splitLines(s string) []string {
	var lines []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			lines = append(lines, s[start:i])
			start = i + 1
		}
	}
	return lines
}
