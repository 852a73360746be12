package out

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// The results of a formula model (model: formula): the same statistics as the
// CRM model's for each of its outputs, the plan case of every output and the
// tornado of the primary output. There is no month axis, so no bands.csv, no
// cash-flow fan and no payback chart; report.html is not written either.

// formulaProbNeg is the share of iterations in which output k is negative.
func formulaProbNeg(r *sim.Result, k int) float64 { return r.Prob(k, model.ProbNegative) }

// FormulaSummary builds summary.json for a formula model: metrics keyed by
// output name (mean, sd, se_mean, min, max, p1…p99, prob_negative), the plan
// case of every output, and the tornado of the primary output, whose name is
// tornado_output; the tornado rows' output_low and output_high are that output
// with the input at its P10 and P90.
func FormulaSummary(run *Run) Obj {
	r, s, d := run.Result, run.Scenario, run.Det
	metrics := Obj{}
	for k, name := range r.Outputs {
		st := r.Metrics[k]
		o := Obj{{"mean", Num(st.Mean)}, {"sd", Num(st.SD)}, {"se_mean", Num(st.SE)}, {"min", Num(st.Min)}, {"max", Num(st.Max)}}
		for i, key := range pctKeys {
			o = append(o, kv{key, Num(st.Pct[i])})
		}
		o = append(o, kv{"prob_negative", Num(formulaProbNeg(r, k))})
		metrics = append(metrics, kv{name, o})
	}
	plan := Obj{}
	for k, name := range r.Outputs {
		v := math.NaN()
		if k < len(d.PlanValues) {
			v = d.PlanValues[k]
		}
		plan = append(plan, kv{name, Num(v)})
	}
	tornado := make([]Obj, 0, len(d.Tornado))
	for _, t := range d.Tornado {
		tornado = append(tornado, Obj{{"input", t.Input}, {"plan", Num(t.Plan)}, {"low_value", Num(t.LowValue)},
			{"high_value", Num(t.HighValue)}, {"output_low", Num(t.NPVLow)}, {"output_high", Num(t.NPVHigh)}, {"swing", Num(t.Swing)}})
	}
	primary := ""
	if len(r.Outputs) > 0 {
		primary = r.Outputs[0]
	}
	return Obj{
		{"tool", Obj{{"name", "crmroi"}, {"version", run.Version}}},
		{"scenario", Obj{{"name", s.Name}, {"file", s.File}, {"sha256", s.SHA256()}, {"model", s.Model}}},
		{"run", Obj{{"iterations", run.Iterations}, {"seed", run.Seed}, {"sampling", run.Sampling},
			{"workers", run.Workers}, {"elapsed_seconds", Num(math.Round(run.Elapsed*1000) / 1000)}, {"converged", nil}}},
		{"metrics", metrics},
		{"plan", plan},
		{"tornado_output", primary},
		{"tornado", tornado},
		{"warnings", append([]string{}, s.Warnings...)},
	}
}

// WriteFormulaSummaryJSON writes summary.json of a formula model, indented, with a final newline.
func WriteFormulaSummaryJSON(w io.Writer, run *Run) error {
	return writeIndented(w, FormulaSummary(run))
}

// WriteFormulaSummaryCSV writes one row per output with the statistics of summary.json.
func WriteFormulaSummaryCSV(w io.Writer, run *Run) error {
	cw := csv.NewWriter(w)
	head := append([]string{"output", "n", "plan", "mean", "sd", "se_mean", "min", "max"}, pctKeys...)
	if err := cw.Write(append(head, "prob_negative")); err != nil {
		return err
	}
	r := run.Result
	for k, name := range r.Outputs {
		st := r.Metrics[k]
		plan := math.NaN()
		if k < len(run.Det.PlanValues) {
			plan = run.Det.PlanValues[k]
		}
		row := []string{name, strconv.Itoa(st.N), csvNum(plan), csvNum(st.Mean), csvNum(st.SD), csvNum(st.SE), csvNum(st.Min), csvNum(st.Max)}
		for _, p := range st.Pct {
			row = append(row, csvNum(p))
		}
		if err := cw.Write(append(row, csvNum(formulaProbNeg(r, k)))); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteFormulaTornadoCSV writes the tornado of the primary output, largest swing first:
// input,plan,low_value,high_value,output_low,output_high,swing.
func WriteFormulaTornadoCSV(w io.Writer, run *Run) error {
	return writeTornadoCSV(w, run, "output_low", "output_high")
}

// WriteFormulaTable writes the terminal summary of a formula model in
// language l: each output's P5, P50, P95, mean, SD and plan value, P(<0) of
// the primary output, the top drivers of the primary output and where the files went.
func WriteFormulaTable(w io.Writer, run *Run, files []string, l Lang) error {
	r, s, d := run.Result, run.Scenario, run.Det
	var b strings.Builder
	writeRunHeader(&b, run, l)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tP5\tP50\tP95\t%s\t%s\t%s\t\n", l.T("Output"), l.T("Mean"), l.T("SD"), l.T("Plan"))
	for k, o := range r.Outputs {
		st := r.Metrics[k]
		plan := math.NaN()
		if k < len(d.PlanValues) {
			plan = d.PlanValues[k]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", o, l.plain(st.Pct[pctP5]), l.plain(st.Pct[pctP50]), l.plain(st.Pct[pctP95]),
			l.plain(st.Mean), l.plain(st.SD), l.plain(plan))
	}
	tw.Flush()
	if len(r.Outputs) > 0 {
		fmt.Fprintf(&b, l.T("\nP(%s < 0) %s\n"), r.Outputs[0], l.Percent(lossProb(r)))
	}
	if len(d.Tornado) > 0 {
		fmt.Fprintf(&b, l.T("\nTop drivers of %s (input at its P10 → P90, others at plan):\n"), r.Outputs[0])
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for i, t := range d.Tornado {
			if i == TopDrivers {
				break
			}
			fmt.Fprintf(tw, l.T("  %s\t%s → %s\tswing %s\n"), t.Input, l.plain(t.NPVLow), l.plain(t.NPVHigh), l.plain(t.Swing))
		}
		tw.Flush()
	}
	writeFooter(&b, l, "\nWarnings:\n", s.Warnings, files)
	_, err := io.WriteString(w, b.String())
	return err
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
		Table("summary.json", WriteFormulaSummaryJSON, run),
		Table("summary.csv", WriteFormulaSummaryCSV, run),
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
