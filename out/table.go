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
	fmt.Fprintf(b, "crmroi — %s\n", run.Scenario.TitleIn(string(l)))
	fmt.Fprint(b, l.Tf("%s iterations, seed %d, %s sampling, %d workers, %s s\n\n",
		l.Money(float64(run.iterations())), run.seed(), l.Sampling(run.sampling()), run.workers(), l.Number(run.Elapsed, 2)))
}

// WriteTableLang writes the terminal summary of WriteTable in language l,
// with numbers formatted for it; a formula model's is writeFormulaTable.
func WriteTableLang(w io.Writer, run *Run, files []string, l Lang) error {
	if run.Scenario.IsFormula() {
		return writeFormulaTable(w, run, files, l)
	}
	r, s, d := run.Result, run.Scenario, run.Det
	Money, Percent := l.Money, l.Percent
	t := NewSummaryTable(run)
	var b strings.Builder
	writeRunHeader(&b, run, l)

	// The key outputs, each with P5, P50, P95, its mean, the plan case and
	// the TEI row. Numbers align right; the labels are padded so that they
	// read left-aligned.
	key := t.Key()
	width := 0
	for _, row := range key {
		width = max(width, utf8.RuneCountInString(row.label(l, s.Currency)))
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tP5\tP50\tP95\t%s\t%s\t%s\t\n", strings.Repeat(" ", width), l.T("Mean"), l.T("Plan"), l.T("TEI"))
	for _, row := range key {
		lb := row.label(l, s.Currency)
		st := row.Stats
		mean, tei := "", ""
		if !row.Info.NoMoments {
			mean = row.value(l, st.Mean)
		}
		if row.Info.TEI {
			tei = row.value(l, row.TEI)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", lb+strings.Repeat(" ", width-utf8.RuneCountInString(lb)),
			row.value(l, st.Pct[pctP5]), row.value(l, st.Pct[pctP50]), row.value(l, st.Pct[pctP95]), mean, row.value(l, row.Plan), tei)
	}
	tw.Flush()

	fmt.Fprintf(&b, l.T("\nP(loss) %s   payback within 12 / 24 / 36 months: %s / %s / %s   not reached: %s\n"),
		Percent(lossProb(r)), Percent(t.Prob("prob_within_12")), Percent(t.Prob("prob_within_24")), Percent(t.Prob("prob_within_36")), Percent(t.Prob("prob_not_reached")))
	fmt.Fprintf(&b, l.T("Outcomes: ok %s, cancelled %s, abandoned %s\n"),
		Percent(r.Outcomes[model.OK]), Percent(r.Outcomes[model.Cancelled]), Percent(r.Outcomes[model.Abandoned]))
	for _, line := range GateLines(run, l) {
		b.WriteString(line + "\n")
	}
	if v := voiOf(run); v != nil {
		b.WriteString(l.T("\nValue of information (invest or not):\n"))
		for _, line := range VOILines(v, run.Scenario.Currency, l) {
			b.WriteString("  " + line + "\n")
		}
	}

	if len(d.Tornado) > 0 {
		b.WriteString(l.T("\nTop drivers (NPV with the input at its P10 → P90, or the risk event off → forced on; others at plan):\n"))
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for i, t := range d.Tornado {
			if i == TopDrivers {
				break
			}
			fmt.Fprintf(tw, l.T("  %s\t%s → %s\tswing %s\n"), l.Label(t.Input), Money(t.NPVLow), Money(t.NPVHigh), Money(t.Swing))
		}
		tw.Flush()
	}
	writeFooter(&b, l, "\nWarnings:\n", WarningsIn(run, l), files)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeFormulaTable writes the terminal summary of a formula model in
// language l: each output's P5, P50, P95, mean, SD and plan value, the
// probabilities of the primary output's thresholds (P(< 0)), the top drivers
// of the primary output and where the files went.
func writeFormulaTable(w io.Writer, run *Run, files []string, l Lang) error {
	d := run.Det
	t := NewSummaryTable(run)
	var b strings.Builder
	writeRunHeader(&b, run, l)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tP5\tP50\tP95\t%s\t%s\t%s\t\n", l.T("Output"), l.T("Mean"), l.T("SD"), l.T("Plan"))
	for _, row := range t.Rows {
		st := row.Stats
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", row.label(l, ""), row.value(l, st.Pct[pctP5]), row.value(l, st.Pct[pctP50]),
			row.value(l, st.Pct[pctP95]), row.value(l, st.Mean), row.value(l, st.SD), row.value(l, row.Plan))
	}
	tw.Flush()
	if len(t.Rows) > 0 {
		primary := &t.Rows[0]
		for j, th := range primary.Info.Thresholds {
			fmt.Fprintf(&b, "\n%s %s\n", th.Label.In(string(l)), l.Percent(primary.Probs[j]))
		}
		if len(d.Tornado) > 0 {
			fmt.Fprintf(&b, l.T("\nTop drivers of %s (input at its P10 → P90, others at plan):\n"), primary.Info.Name)
			tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
			for i, t := range d.Tornado {
				if i == TopDrivers {
					break
				}
				fmt.Fprintf(tw, l.T("  %s\t%s → %s\tswing %s\n"), l.Label(t.Input), l.plain(t.NPVLow), l.plain(t.NPVHigh), l.plain(t.Swing))
			}
			tw.Flush()
		}
	}
	writeFooter(&b, l, "\nWarnings:\n", WarningsIn(run, l), files)
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
