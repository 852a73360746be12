package out

import (
	_ "embed"
	"html/template"
	"io"
	"math"
	"path"
	"strconv"

	"github.com/crmroi/crmroi/model"
)

//go:embed assets/batch_report.html.tmpl
var batchReportTemplate string

// batchReportTmpl is batch's report.html; it shares the run report's style sheet.
var batchReportTmpl = template.Must(template.New("batch").Funcs(reportFuncs).
	Funcs(template.FuncMap{"inc": func(n int) int { return n + 1 }}).Parse(batchReportTemplate))

// ReportLink is the path of a run's report.html in its folder of a batch,
// relative to the batch's report.html.
func ReportLink(slug string) string { return path.Join(slug, "report.html") }

// batchOption is one option (scenario) of the batch report.
type batchOption struct {
	Key   string // A, B, C… as the charts and the pairs call it
	Name  string // its label
	Link  string // its own report, relative
	Slug  string
	Cards []reportRow // Label = the figure, Cells[0] = what it is
	Info  []reportRow // file, SHA-256, horizon
	Warns int         // how many warnings its own report lists
}

// batchCell is one cell of the side-by-side table.
type batchCell struct {
	Text string
	Best bool // the best value of its row
}

// batchRow is a row of the side-by-side table: a heading (no cells) or a
// figure for every option.
type batchRow struct {
	Label   string
	Heading bool
	Cells   []batchCell
}

// batchPair is one pair of options compared iteration by iteration.
type batchPair struct {
	A, B     string // their keys
	AName    string
	BName    string
	Sentence string
	Cells    []string
}

// batchReportView is what the batch report template shows, every value
// already formatted.
type batchReportView struct {
	L         Lang
	Title     string
	Subtitle  string
	Options   []batchOption
	Rows      []batchRow
	Note      string
	Pairs     []batchPair
	PairsHead []string
	CRN       []string
	Figures   []reportFigure
	Warnings  []string
	Audit     []reportRow
}

// comparisonChartNotes tell how to read each comparison chart, under it in the report.
var comparisonChartNotes = map[string]string{
	"comparison_npv": "Each option's NPV: the box holds the middle half of the iterations (P25–P75), the whiskers reach P5 and P95; the dark line is the median, the triangle the mean, green the plan case. P(loss) is the share of iterations with NPV below zero.",
	"comparison_cdf": "Each option's S-curve: for any NPV on the horizontal axis, the probability of doing no better. A curve further right is better; where a curve crosses zero is the option's P(loss).",
	"comparison_fan": "Each option's cumulative cash flow month by month: the line is the median, the band holds 80% of the iterations (P10–P90). Where the median crosses zero, the option has paid back.",
}

// WriteComparisonReport writes batch's report.html in language l: one page
// with no external reference (the comparison charts embedded as base64
// PNG) holding the options side by side, every pair compared iteration by
// iteration with the common random numbers explained, the charts, and a
// link to each option's own report.html in its folder.
func WriteComparisonReport(w io.Writer, c *Comparison, l Lang, charts []RenderedChart) error {
	return batchReportTmpl.Execute(w, buildComparisonReport(c, l, charts))
}

// OptionKey is the short name of option i in the charts and the report: A,
// B, …, Z, then AA, AB, ….
func OptionKey(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return OptionKey(i/26-1) + OptionKey(i%26)
}

func buildComparisonReport(c *Comparison, l Lang, charts []RenderedChart) *batchReportView {
	r0 := c.Runs[0]
	cur := r0.Scenario.Currency
	v := &batchReportView{L: l, Title: l.Tf("Comparison of %d options", len(c.Runs))}
	v.Subtitle = l.Tf("%s iterations each · random seed %d · common random numbers", l.Number(float64(r0.iterations()), 0), r0.seed()) + " · " + cur
	tables := make([]*SummaryTable, len(c.Runs))
	for i, r := range c.Runs {
		tables[i] = NewSummaryTable(r)
		o := batchOption{Key: OptionKey(i), Name: c.Labels[i], Slug: c.Slugs[i], Link: ReportLink(c.Slugs[i]), Warns: len(Warnings(r))}
		if key := tables[i].Key(); len(key) > 0 && len(key[0].Probs) > 0 {
			p := key[0]
			o.Cards = append(o.Cards,
				reportRow{Label: p.compact(l, p.Stats.Pct[pctP50], cur), Cells: []string{"P50 " + p.Info.Label.In(string(l))}},
				reportRow{Label: l.Percent(p.Probs[0]), Cells: []string{p.Info.Thresholds[0].Label.In(string(l))}})
			for _, row := range key[1:] {
				if row.Info.Unit == model.UnitMonths {
					o.Cards = append(o.Cards, reportRow{Label: row.typeset(l, row.Stats.Pct[pctP50]), Cells: []string{"P50 " + row.Info.Label.In(string(l))}})
				}
			}
		}
		s := r.Scenario
		o.Info = []reportRow{
			{Label: l.T("Folder"), Cells: []string{c.Slugs[i] + "/"}},
			{Label: l.T("Scenario file"), Cells: []string{s.File}},
			{Label: l.T("Scenario SHA-256"), Cells: []string{s.SHA256()}},
			{Label: l.T("Horizon, months"), Cells: []string{strconv.Itoa(s.Horizon)}},
		}
		v.Options = append(v.Options, o)
	}
	v.Rows = sideBySide(tables, l, cur)
	outcomes := []struct {
		label string
		o     model.Outcome
	}{{"Project succeeds", model.OK}, {"Cancelled before go-live", model.Cancelled}, {"Abandoned after go-live", model.Abandoned}}
	v.Rows = append(v.Rows, batchRow{Label: l.T("Outcomes"), Heading: true})
	for _, oc := range outcomes {
		row := batchRow{Label: l.T(oc.label)}
		for _, r := range c.Runs {
			row.Cells = append(row.Cells, batchCell{Text: l.Percent(r.Result.Outcomes[oc.o])})
		}
		v.Rows = append(v.Rows, row)
	}
	v.Note = l.Tf("Money in %s. P5, P50, P95: percentiles over the iterations; Plan: every input at its plan value, no risk event; TEI: Forrester's fixed risk adjustment of the plan. In bold: the best option of a row.", cur)

	money := func(x float64) string { return typoMinus(l.Money(x)) }
	v.PairsHead = []string{"A", "B", l.T("P(A beats B)"), l.T("P(tie)"), l.T("P(B beats A)"), l.T("Mean A − B"), "P5", "P50", "P95"}
	for _, p := range c.Pairs {
		d := p.Diff
		bp := batchPair{A: OptionKey(p.A), B: OptionKey(p.B), AName: c.Labels[p.A], BName: c.Labels[p.B],
			Cells: []string{l.Percent(p.ProbAGreater), l.Percent(p.ProbTie), l.Percent(p.ProbBGreater),
				money(d.Mean), money(d.P5), money(d.P50), money(d.P95)}}
		bp.Sentence = pairSentence(c, p, l, cur)
		v.Pairs = append(v.Pairs, bp)
	}
	v.CRN = []string{
		l.T("Every option was simulated with the same random seed and the same iterations, and every input and risk draws its random numbers from a stream of its own (common random numbers). In iteration i, an input that two options share takes the same value in both: the difference between their NPVs in that iteration comes from the options, not from chance."),
		l.T("P(A beats B) is the share of iterations in which A's NPV is higher than B's. It is not the same as comparing the two options' P50s: an option can have the higher median and still lose in many iterations, or the lower median and win in most."),
	}
	for _, ch := range charts {
		v.Figures = append(v.Figures, pngFigure(l.T(comparisonChartNotes[ch.Name]), ch.Title, ch.PNG))
	}
	for i, r := range c.Runs {
		if r.Scenario.Horizon != r0.Scenario.Horizon {
			v.Warnings = append(v.Warnings, l.Tf("%s has a horizon of %d months and %s of %d: their NPVs cover different periods",
				OptionKey(i), r.Scenario.Horizon, OptionKey(0), r0.Scenario.Horizon))
		}
	}
	v.Audit = []reportRow{
		{Label: l.T("Iterations"), Cells: []string{l.Number(float64(r0.iterations()), 0)}},
		{Label: l.T("Random seed"), Cells: []string{strconv.FormatUint(r0.seed(), 10)}},
		{Label: l.T("Sampling"), Cells: []string{samplingName(r0.sampling(), l)}},
		{Label: l.T("Workers"), Cells: []string{strconv.Itoa(c.Workers)}},
		{Label: l.T("Elapsed"), Cells: []string{l.Tf("%s s", l.Number(c.Elapsed, 2))}},
		{Label: l.T("Tool version"), Path: "crmroi " + c.Version},
	}
	return v
}

// samplingName is a sampling design's name for a reader in l: its key in
// English, its name in Russian.
func samplingName(key string, l Lang) string {
	if l != Russian {
		return key
	}
	switch key {
	case "mc":
		return "Монте-Карло"
	case "lhs":
		return "латинский гиперкуб"
	case "sobol":
		return "последовательность Соболя"
	}
	return key
}

// pairSentence says in words which option of a pair is ahead and how often.
func pairSentence(c *Comparison, p Pair, l Lang, cur string) string {
	a, b := OptionKey(p.A), OptionKey(p.B)
	d := p.Diff
	switch {
	case d.AllZero:
		return l.Tf("%s and %s have the same NPV in every iteration.", a, b)
	case p.ProbBGreater > p.ProbAGreater:
		a, b = b, a
		return l.Tf("%s beats %s in %s of iterations, by %s on average.", a, b, l.Percent(p.ProbBGreater), l.MoneyCompact(-d.Mean, cur))
	}
	return l.Tf("%s beats %s in %s of iterations, by %s on average.", a, b, l.Percent(p.ProbAGreater), l.MoneyCompact(d.Mean, cur))
}

// sideBySide are the rows of the side-by-side table: for every key output
// (from its one description) its percentiles, mean, plan case and TEI
// value; then every probability the outputs report.
func sideBySide(tables []*SummaryTable, l Lang, cur string) []batchRow {
	var rows []batchRow
	first := tables[0]
	for k := range first.Rows {
		info := &first.Rows[k]
		if !info.Info.Key {
			continue
		}
		rows = append(rows, batchRow{Label: info.label(l, cur), Heading: true})
		stats := []struct {
			label string
			value func(row *SummaryRow) float64
			ok    bool
		}{
			{"P5", func(row *SummaryRow) float64 { return row.Stats.Pct[pctP5] }, true},
			{"P50", func(row *SummaryRow) float64 { return row.Stats.Pct[pctP50] }, true},
			{"P95", func(row *SummaryRow) float64 { return row.Stats.Pct[pctP95] }, true},
			{l.T("Mean"), func(row *SummaryRow) float64 { return row.Stats.Mean }, !info.Info.NoMoments},
			{l.T("Plan"), func(row *SummaryRow) float64 { return row.Plan }, true},
			{"TEI", func(row *SummaryRow) float64 { return row.TEI }, info.Info.TEI},
		}
		for _, st := range stats {
			if !st.ok {
				continue
			}
			row := batchRow{Label: st.label}
			vals := make([]float64, len(tables))
			for i, t := range tables {
				sr := t.row(info.Info.Name)
				vals[i] = math.NaN()
				if sr != nil {
					vals[i] = st.value(sr)
				}
				row.Cells = append(row.Cells, batchCell{Text: info.typeset(l, vals[i])})
			}
			markBest(row.Cells, vals, !info.Info.LowerBetter)
			rows = append(rows, row)
		}
	}
	rows = append(rows, batchRow{Label: l.T("Probabilities"), Heading: true})
	for _, info := range first.Rows {
		for j, th := range info.Info.Thresholds {
			row := batchRow{Label: th.Label.In(string(l))}
			vals := make([]float64, len(tables))
			for i, t := range tables {
				vals[i] = math.NaN()
				if sr := t.row(info.Info.Name); sr != nil && j < len(sr.Probs) {
					vals[i] = sr.Probs[j]
				}
				row.Cells = append(row.Cells, batchCell{Text: l.Percent(vals[i])})
			}
			// A loss, or no payback, is worse the more likely; a payback
			// within a time better.
			markBest(row.Cells, vals, th.Cmp == model.AtMost)
			rows = append(rows, row)
		}
	}
	return rows
}

// markBest marks the best of vals (the highest, or the lowest unless
// higher) in cells, where there is one best and the values differ.
func markBest(cells []batchCell, vals []float64, higher bool) {
	if len(vals) < 2 {
		return
	}
	best := -1
	for i, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if best < 0 || higher && v > vals[best] || !higher && v < vals[best] {
			best = i
		}
	}
	if best < 0 {
		return
	}
	for i, v := range vals {
		if i != best && v == vals[best] {
			return // a tie: no single best
		}
	}
	cells[best].Best = true
}

// row returns the row of the output called name, or nil.
func (t *SummaryTable) row(name string) *SummaryRow {
	for i := range t.Rows {
		if t.Rows[i].Info.Name == name {
			return &t.Rows[i]
		}
	}
	return nil
}
