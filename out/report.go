package out

import (
	_ "embed"
	"encoding/base64"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/crmroi/crmroi/model"
)

//go:embed assets/report.html.tmpl
var reportTemplate string

// reportCSS is the style sheet of every report crmroi writes (run's and
// batch's report.html), inlined in each page.
//
//go:embed assets/report.css
var reportCSS string

// reportFuncs are the functions of the report templates: T translates,
// css is the shared style sheet.
var reportFuncs = template.FuncMap{
	"T":   func(l Lang, s string) string { return l.T(s) },
	"css": func() template.CSS { return template.CSS(reportCSS) },
}

// reportTmpl is parsed once.
var reportTmpl = template.Must(template.New("report").Funcs(reportFuncs).Parse(reportTemplate))

// reportRow is a row of a table of the report: a label and its cells.
type reportRow struct {
	Label string
	Note  string // smaller text under the label
	Path  string // the path under a label that is not it (Russian)
	Cells []string
	// Lit marks a cell that is machine text (a file path, a digest, a
	// version): shown as code, class "path", in any language.
	Lit bool
}

// reportFigure is an embedded chart.
type reportFigure struct {
	Title string
	Alt   string
	Src   template.HTMLAttr // src="data:image/png;base64,…", unescaped (base64 needs none)
}

// pngFigure embeds a PNG chart with its caption and alternative text.
func pngFigure(caption, alt string, png []byte) reportFigure {
	return reportFigure{Title: caption, Alt: alt,
		Src: template.HTMLAttr(`src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(png) + `"`)}
}

// reportView is what the report template shows, every value already formatted.
type reportView struct {
	L          Lang
	Name       string
	Subtitle   string
	Cards      []reportRow // Label = the figure, Cells[0] = what it is
	KeyHead    []string
	Key        []reportRow
	KeyNote    string
	Probs      []reportRow
	Outcomes   []reportRow
	Figures    []reportFigure
	DriverHead []string
	Drivers    []reportRow
	StatsHead  []string
	Stats      []reportRow
	Settings   []reportRow
	Inputs     []reportRow
	Risks      []reportRow
	Corr       []reportRow
	Audit      []reportRow
	Warnings   []string
	// Finance is the line on what the figures include (a finance: section), or "".
	Finance string
	// Gate are the lines on the go/no-go gate (a gate: section), or nil.
	Gate []string
	// Sensitivity is the sensitivity and value-of-information sections
	// (run --sensitivity), or empty.
	Sensitivity template.HTML
	// Track is the section of the actuals (crmroi track), or empty.
	Track template.HTML
}

// plain writes a parameter value to four significant digits, grouped and
// without trailing zeros: 0.1972, 61 970, 3 500 000.
func (l Lang) plain(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return l.Number(v, 0)
	}
	e := int(math.Floor(math.Log10(math.Abs(v)))) - 3
	p := math.Pow10(e)
	r := math.Round(v/p) * p
	d := min(max(-e, 0), 12)
	s := l.Number(r, d)
	if d > 0 {
		dec := "."
		if l == Russian {
			dec = ","
		}
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, dec)
	}
	return typoMinus(s)
}

// chartNotes tell how to read each chart, under it in the report.
var chartNotes = map[string]string{
	"npv_hist":     "Each bar is the share of iterations whose NPV falls in its range; losses are orange. Dashed lines: P5, P50, P95; green: the plan case.",
	"npv_cdf":      "For any NPV on the horizontal axis, the curve gives the probability of doing no better. Where it crosses zero is the probability of a loss.",
	"cashflow_fan": "Cumulative cash flow month by month: half of the iterations lie in the darkest band, 90% in the lightest. Where the median crosses zero, the project has paid back; its lowest point is the funding it needs.",
	"payback_hist": "The month in which the cumulative cash flow turns positive; the separate bar is the share of iterations that do not pay back within the horizon.",
	"tornado":      "NPV with one input at its P10 or P90 and every other at plan, with no risk event, and with each risk event forced on (risk.cancel, risk.abandon: at the middle of its timing and severity); the largest swings first. Numbers at the bar ends are the input's values (a risk: off, on).",
}

// chartSections are the sections of docs/methodology.md (and .ru.md) that
// explain each chart; the report names them in plain text, so that it stays
// self-contained.
var chartSections = map[string]string{"npv_hist": "5.2", "npv_cdf": "5.3", "cashflow_fan": "5.4", "payback_hist": "5.5", "tornado": "5.6"}

// methodologyRef is " (Methodology §5.2)" for a chart, in language l.
func methodologyRef(l Lang, chart string) string {
	sec, ok := chartSections[chart]
	if !ok {
		return ""
	}
	if l == Russian {
		return " (Методика, §" + sec + ")"
	}
	return " (Methodology §" + sec + ")"
}

// WriteReport writes report.html: one page with no external reference (the
// charts are embedded as base64 PNG), holding the key figures, the outcome
// shares, every chart, the drivers, the statistics of every output, the
// scenario's parameters as resolved and the audit trail, in language l.
func WriteReport(w io.Writer, run *Run, l Lang, charts []RenderedChart) error {
	return reportTmpl.Execute(w, buildReport(run, l, charts))
}

func buildReport(run *Run, l Lang, charts []RenderedChart) *reportView {
	r, s, d := run.Result, run.Scenario, run.Det
	cur := s.Currency
	v := &reportView{L: l, Name: s.TitleIn(string(l))}
	v.Subtitle = l.Tf("%s iterations · seed %d", l.Number(float64(run.iterations()), 0), run.seed()) + " · " + cur
	t := NewSummaryTable(run)
	key := t.Key()
	// The cards: the primary output's first probability (P(loss)), its P50
	// and plan value, then the P50 of every other key output that is not a
	// percentage.
	if len(key) > 0 && len(key[0].Probs) > 0 {
		p := key[0]
		v.Cards = append(v.Cards, reportRow{Label: l.Percent(p.Probs[0]), Cells: []string{p.Info.Thresholds[0].Label.In(string(l))}},
			reportRow{Label: p.compact(l, p.Stats.Pct[pctP50], cur), Cells: []string{"P50 " + p.Info.Label.In(string(l))}},
			reportRow{Label: p.compact(l, p.Plan, cur), Cells: []string{l.T("Plan") + " " + p.Info.Label.In(string(l))}})
		for _, row := range key[1:] {
			if !row.Info.Unit.Percent() {
				v.Cards = append(v.Cards, reportRow{Label: row.compact(l, row.Stats.Pct[pctP50], cur), Cells: []string{"P50 " + row.Info.Label.In(string(l))}})
			}
		}
	}
	v.KeyHead = []string{l.T("Metric"), "P5", "P50", "P95", l.T("Mean"), l.T("Plan"), "TEI"}
	for _, row := range key {
		st := row.Stats
		mean, tei := "", ""
		if !row.Info.NoMoments {
			mean = row.typeset(l, st.Mean)
		}
		if row.Info.TEI {
			tei = row.typeset(l, row.TEI)
		}
		v.Key = append(v.Key, reportRow{Label: row.label(l, cur), Cells: []string{row.typeset(l, st.Pct[pctP5]), row.typeset(l, st.Pct[pctP50]),
			row.typeset(l, st.Pct[pctP95]), mean, row.typeset(l, row.Plan), tei}})
	}
	v.KeyNote = l.Tf("Money in %s. P5, P50, P95: percentiles over the iterations; Plan: every input at its plan value, no risk event; TEI: Forrester's fixed risk adjustment of the plan.", cur)
	for _, row := range t.Rows {
		for j, th := range row.Info.Thresholds {
			v.Probs = append(v.Probs, reportRow{Label: th.Label.In(string(l)), Cells: []string{l.Percent(row.Probs[j])}})
		}
	}
	v.Outcomes = []reportRow{
		{Label: l.T("Project succeeds (ok)"), Cells: []string{l.Percent(r.Outcomes[model.OK])}},
		{Label: l.T("Cancelled before go-live"), Cells: []string{l.Percent(r.Outcomes[model.Cancelled])}},
		{Label: l.T("Abandoned after go-live"), Cells: []string{l.Percent(r.Outcomes[model.Abandoned])}},
	}
	for _, c := range charts {
		v.Figures = append(v.Figures, pngFigure(l.T(chartNotes[c.Name])+methodologyRef(l, c.Name), c.Title, c.PNG))
	}
	money := func(x float64) string { return typoMinus(l.Money(x)) }
	v.DriverHead = []string{"#", l.T("Input"), l.T("Plan value"), l.T("P10 value"), l.T("P90 value"), l.T("NPV at P10"), l.T("NPV at P90"), l.T("Swing")}
	for i, t := range d.Tornado {
		plan, lo, hi := l.plain(t.Plan), l.plain(t.LowValue), l.plain(t.HighValue)
		if t.Risk { // its probability; the event off and forced on
			plan, lo, hi = l.Percent(t.Plan), l.T("off"), l.T("on")
		}
		v.Drivers = append(v.Drivers, reportRow{Label: strconv.Itoa(i + 1), Path: l.labelPath(t.Input), Cells: []string{l.Label(t.Input), plan, lo,
			hi, money(t.NPVLow), money(t.NPVHigh), money(t.Swing)}})
	}
	// All outputs: each in its own unit (issue 17 item 1: revenue_uplift,
	// a share, was printed as money and so as 0).
	v.StatsHead = []string{l.T("Metric"), l.T("Mean"), l.T("SD"), "P1", "P5", "P25", "P50", "P75", "P95", "P99", l.T("Defined")}
	for _, row := range t.Rows {
		st := row.Stats
		rr := reportRow{Label: row.Info.Label.In(string(l)), Note: row.Info.Name}
		mean, sd := "", ""
		if !row.Info.NoMoments {
			mean, sd = row.typeset(l, st.Mean), row.typeset(l, st.SD)
		}
		rr.Cells = append(rr.Cells, mean, sd)
		for _, i := range []int{0, 1, 3, 4, 5, 7, 8} {
			rr.Cells = append(rr.Cells, row.typeset(l, st.Pct[i]))
		}
		rr.Cells = append(rr.Cells, l.Percent(float64(st.N)/float64(max(r.Iterations, 1))))
		v.Stats = append(v.Stats, rr)
	}
	v.Finance = FinanceLine(s, l)
	v.Gate = GateLines(run, l)

	num := func(x float64) string { return l.plain(x) }
	v.Settings = []reportRow{
		{Label: l.T("Name"), Note: "name", Cells: []string{v.Name}},
		{Label: l.T("Currency"), Note: "currency", Cells: []string{currencyCell(cur)}},
		{Label: l.T("Horizon, months"), Note: "horizon_months", Cells: []string{strconv.Itoa(s.Horizon)}},
		{Label: l.T("Seats"), Note: "seats", Cells: []string{num(s.Seats)}},
		{Label: l.T("Implementation, months"), Note: "implementation_months", Cells: []string{num(s.ImplementationMonths)}},
		{Label: l.T("Sales lag, months"), Note: "sales_lag_months", Cells: []string{strconv.Itoa(s.SalesLag)}},
		{Label: l.T("Subscription escalation per year"), Note: "subscription_escalation", Cells: []string{num(s.SubscriptionEscalation)}},
		{Label: l.T("Presale seat share"), Note: "presale_seat_share", Cells: []string{num(s.PresaleSeatShare)}},
		{Label: l.T("TEI benefit haircut"), Note: "tei.benefit_haircut", Cells: []string{num(s.TEI.BenefitHaircut)}},
		{Label: l.T("TEI cost uplift"), Note: "tei.cost_uplift", Cells: []string{num(s.TEI.CostUplift)}},
	}
	if s.Finance != nil {
		v.Settings = append(v.Settings, reportRow{Label: l.T("Depreciation, months"), Note: "finance.depreciation_months",
			Cells: []string{strconv.Itoa(s.Finance.DepreciationMonths)}})
	}
	for i, in := range s.Inputs {
		unit, doc := "", ""
		if p, ok := model.InputParam(in.Path); ok && (i < model.NumBuiltin || p.Section == "finance") {
			unit, doc = p.UnitIn(string(l), unitSign(cur, l)), p.DocIn(string(l))
		}
		v.Inputs = append(v.Inputs, reportRow{Label: l.Label(in.Path), Path: l.labelPath(in.Path), Note: inputNote(doc, in.Dist, l), Cells: []string{in.Dist.String(), num(in.Dist.Plan()), unit}})
	}
	v.Risks = []reportRow{
		{Label: l.T("Cancellation probability"), Note: "risks.cancel", Cells: []string{num(s.Risks.Cancel)}},
		{Label: l.T("Abandonment probability"), Note: "risks.abandon", Cells: []string{num(s.Risks.Abandon)}},
	}
	for _, c := range s.Correlations {
		v.Corr = append(v.Corr, reportRow{Label: c.A, Cells: []string{c.B, num(c.Rho)}})
	}
	file := s.FileIn(string(l))
	v.Audit = []reportRow{
		{Label: l.T("Scenario"), Cells: []string{v.Name}},
		{Label: l.T("Scenario file"), Cells: []string{file}, Lit: file == s.File},
		{Label: l.T("Scenario SHA-256"), Cells: []string{s.SHA256()}, Lit: true},
		{Label: l.T("Iterations"), Cells: []string{l.Number(float64(run.iterations()), 0)}},
		{Label: l.T("Seed"), Cells: []string{strconv.FormatUint(run.seed(), 10)}},
		{Label: l.T("Sampling"), Cells: []string{l.Sampling(run.sampling())}},
		{Label: l.T("Workers"), Cells: []string{strconv.Itoa(run.workers())}},
		{Label: l.T("Elapsed"), Cells: []string{l.Tf("%s s", l.Number(run.Elapsed, 2))}},
		{Label: l.T("Tool version"), Cells: []string{"crmroi " + run.Version}, Lit: true},
	}
	v.Warnings = WarningsIn(run, l)
	v.Sensitivity = sensitivitySection(run, l) + voiSection(run, l)
	v.Track = trackSection(run, l)
	return v
}

// currencyCell is the report's currency setting: the code and its sign
// (RUB (₽)); a currency carrying a scale as written (тыс. руб.).
func currencyCell(cur string) string {
	if mult, _ := currencyScale(cur); mult != 1 {
		return cur
	}
	return cur + " (" + CurrencySign(cur) + ")"
}
