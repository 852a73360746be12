package out

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/crmroi/crmroi/model"
)

// TopDrivers is how many tornado rows the terminal table shows.
const TopDrivers = 5

// WriteTable writes the short terminal summary of cli.md in English: the key
// metrics with P5/P50/P95 and mean beside the plan case and TEI row, P(loss),
// payback probabilities, outcome shares, the top tornado drivers and where the
// files went.
func WriteTable(w io.Writer, run *Run, files []string) error {
	return WriteTableLang(w, run, files, English)
}

// writeRunHeader writes the first lines of a run's terminal summary: the
// scenario and the run's size, seed, sampling, workers and time.
func writeRunHeader(b *strings.Builder, run *Run, l Lang) {
	fmt.Fprintf(b, "crmroi — %s\n", run.Scenario.Title())
	fmt.Fprint(b, l.Tf("%s iterations, seed %d, %s sampling, %d workers, %s s\n\n",
		l.Money(float64(run.Iterations)), run.Seed, run.Sampling, run.Workers, l.Number(run.Elapsed, 2)))
}

// WriteTableLang writes the terminal summary of WriteTable in language l,
// with numbers formatted for it.
func WriteTableLang(w io.Writer, run *Run, files []string, l Lang) error {
	r, s, d := run.Result, run.Scenario, run.Det
	Money, Percent, Months := l.Money, l.Percent, l.Months
	cur := s.Currency
	var b strings.Builder
	writeRunHeader(&b, run, l)

	// Numbers align right; the labels are padded so that they read left-aligned.
	labels := []string{fmt.Sprintf(l.T("NPV, %s"), cur), l.T("ROI"), l.T("Payback, months"), fmt.Sprintf(l.T("Peak funding, %s"), cur)}
	width := 0
	for _, lb := range labels {
		width = max(width, utf8.RuneCountInString(lb))
	}
	pad := func(i int) string { return labels[i] + strings.Repeat(" ", width-utf8.RuneCountInString(labels[i])) }
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tP5\tP50\tP95\t%s\t%s\t%s\t\n", strings.Repeat(" ", width), l.T("Mean"), l.T("Plan"), l.T("TEI"))
	pct := func(k, i int) float64 { return r.Metrics[k].Pct[i] }
	const p5, p50, p95 = 1, 4, 7
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", pad(0),
		Money(pct(0, p5)), Money(pct(0, p50)), Money(pct(0, p95)), Money(r.Metrics[0].Mean), Money(d.Plan.NPV), Money(d.TEI.NPV))
	fmt.Fprintf(tw, pad(1)+"\t%s\t%s\t%s\t%s\t%s\t%s\t\n",
		Percent(pct(1, p5)), Percent(pct(1, p50)), Percent(pct(1, p95)), Percent(r.Metrics[1].Mean), Percent(d.Plan.ROI), Percent(d.TEI.ROI))
	fmt.Fprintf(tw, pad(2)+"\t%s\t%s\t%s\t%s\t%s\t%s\t\n",
		Months(pct(4, p5)), Months(pct(4, p50)), Months(pct(4, p95)), "", Months(d.Plan.Payback), "")
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", pad(3),
		Money(pct(5, p5)), Money(pct(5, p50)), Money(pct(5, p95)), Money(r.Metrics[5].Mean), Money(d.Plan.PeakFunding), "")
	tw.Flush()

	fmt.Fprintf(&b, l.T("\nP(loss) %s   payback within 12 / 24 / 36 months: %s / %s / %s   not reached: %s\n"),
		Percent(lossProb(r)), Percent(probOf(r, "prob_within_12")), Percent(probOf(r, "prob_within_24")), Percent(probOf(r, "prob_within_36")), Percent(probOf(r, "prob_not_reached")))
	fmt.Fprintf(&b, l.T("Outcomes: ok %s, cancelled %s, abandoned %s\n"),
		Percent(r.Outcomes[model.OK]), Percent(r.Outcomes[model.Cancelled]), Percent(r.Outcomes[model.Abandoned]))

	if len(d.Tornado) > 0 {
		b.WriteString(l.T("\nTop drivers (NPV with the input at its P10 → P90, others at plan):\n"))
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for i, t := range d.Tornado {
			if i == TopDrivers {
				break
			}
			fmt.Fprintf(tw, l.T("  %s\t%s → %s\tswing %s\n"), t.Input, Money(t.NPVLow), Money(t.NPVHigh), Money(t.Swing))
		}
		tw.Flush()
	}
	writeFooter(&b, l, "\nWarnings:\n", Warnings(run), files)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeFooter ends a terminal table: a list of notes under heading (the
// warnings), then where the files went, one folder and their names.
func writeFooter(b *strings.Builder, l Lang, heading string, notes, files []string) {
	if len(notes) > 0 {
		b.WriteString(l.T(heading))
		for _, n := range notes {
			fmt.Fprintf(b, "  - %s\n", n)
		}
	}
	if len(files) > 0 {
		names := make([]string, len(files))
		for i, f := range files {
			names[i] = filepath.Base(f)
		}
		fmt.Fprintf(b, l.T("\nFiles in %s: %s\n"), filepath.Dir(files[0]), strings.Join(names, ", "))
	}
}
