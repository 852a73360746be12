package out

import (
	"context"
	"fmt"
	"io"
)

// The results of a formula model (model: formula): the same statistics as the
// CRM model's for each of its outputs, the plan case of every output and the
// tornado of the primary output. There is no month axis, so no bands.csv, no
// cash-flow fan and no payback chart; report.html is not written either.

// WriteFormulaTornadoCSV writes the tornado of the primary output, largest swing first:
// input,plan,low_value,high_value,output_low,output_high,swing.
func WriteFormulaTornadoCSV(w io.Writer, run *Run) error {
	return writeTornadoCSV(w, run, "output_low", "output_high")
}

// WriteFormulaFiles writes the result files of a formula model into d, each
// atomically, and returns their paths: summary.json, summary.csv,
// tornado.csv (samples.csv is streamed during the run), then, unless format is
// "none", the charts of FormulaChartNames in format (png or svg).
func WriteFormulaFiles(ctx context.Context, d *OutDir, run *Run, format string, lang Lang) ([]string, error) {
	if err := d.Mkdir(""); err != nil {
		return nil, err
	}
	files := []File{
		Table("summary.json", WriteSummaryJSON, run),
		Table("summary.csv", WriteSummaryCSV, run),
		Table("tornado.csv", WriteFormulaTornadoCSV, run),
	}
	if format != "none" {
		charts, err := RenderFormulaCharts(run, lang, format)
		if err != nil {
			return nil, fmt.Errorf("drawing the charts: %w", err)
		}
		files = append(files, ChartFiles("", charts)...)
	}
	return d.WriteAll(ctx, files)
}
