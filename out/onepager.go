package out

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SummaryPDF is the file name of the one-page summary of run and batch.
const SummaryPDF = "summary.pdf"

// The page of summary.pdf: A4 landscape, in points.
var (
	pageWidth  = 297 * vg.Millimeter
	pageHeight = 210 * vg.Millimeter
)

// paybackHorizons are the payback thresholds the first sentence may name,
// the longest first: the longest within the scenario's horizon is used.
var paybackHorizons = []struct {
	months int
	key    string
}{{24, "prob_within_24"}, {12, "prob_within_12"}}

// onePage is what a one-page summary shows, every text already in its
// language: it is drawn by draw, and tests read it.
type onePage struct {
	lang      Lang
	title     string
	subtitle  string
	note      string     // under the subtitle: what the figures include (finance:), or ""
	head      []string   // the table's header; its first cell heads the labels
	rows      [][]string // the table's rows: a label, then one cell per column
	cards     []card     // large figures beside the table
	sentences []string   // generated from the numbers
	voi       string     // the value of information, when computed; else ""
	charts    [2]*Chart  // left and right, below the text
	footer    string
}

// card is a large figure with what it is under it.
type card struct{ value, label string }

// WriteSummaryPDF writes summary.pdf for a CRM run: one A4 landscape page
// with the decision figures (NPV in the plan and at P5, P50, P95, P(loss),
// payback, peak funding), three sentences generated from them, the value
// of information when run.VOI (or run.Sensitivity.VOI) is set, the fan chart and the tornado, in
// language l. The file is the same, byte for byte, for the same run.
func WriteSummaryPDF(w io.Writer, run *Run, l Lang) error {
	p, err := runOnePage(run, l)
	if err != nil {
		return err
	}
	data, _, err := p.render()
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// WriteComparisonPDF writes batch's summary.pdf: one A4 landscape page
// comparing the options (a table of their key figures, P(A beats B), three
// sentences, the NPV box chart and the median cash flows), in language l.
func WriteComparisonPDF(w io.Writer, c *Comparison, l Lang) error {
	p, err := comparisonOnePage(c, l)
	if err != nil {
		return err
	}
	data, _, err := p.render()
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// render draws the page into a PDF and returns it with the canvas, which
// knows every string drawn.
func (p *onePage) render() ([]byte, *pdfCanvas, error) {
	c := newPDFCanvas(pageWidth, pageHeight, p.title, string(p.lang))
	p.draw(draw.New(c))
	data, err := c.bytes()
	return data, c, err
}

// rowNamed is the summary table's row of the output called name, or nil.
func rowNamed(t *SummaryTable, name string) *SummaryRow {
	for i := range t.Rows {
		if t.Rows[i].Info.Name == name {
			return &t.Rows[i]
		}
	}
	return nil
}

// rowProb is the row's probability of the threshold key, NaN if it has none.
func rowProb(row *SummaryRow, key string) float64 {
	if row == nil {
		return math.NaN()
	}
	for j, th := range row.Info.Thresholds {
		if th.Key == key && j < len(row.Probs) {
			return row.Probs[j]
		}
	}
	return math.NaN()
}

// pageFigures are the numbers of a CRM run that the page and its sentences
// use, taken from the summary table (so they are the summary's own).
type pageFigures struct {
	cur                     string
	horizon                 int
	npv, payback, peak      *SummaryRow
	probLoss                float64
	paybackMonths           int     // the threshold named: 24, 12 or 0 (the horizon)
	probPayback, probNoPay  float64 // P(payback ≤ paybackMonths) and P(not reached)
	tornado                 []model.TornadoRow
	planNPV                 float64
	voi                     *sim.VOI
	voiFactor               string // the factor of largest EVPPI ("" when none is > 0)
	voiValue, voiEVPI       float64
	npvP5, npvP50, npvP95   float64
	paybackP50, peakFunding float64 // P50 payback, P95 peak funding
}

// figuresOf collects the page's numbers of run.
func figuresOf(run *Run) (*pageFigures, error) {
	t := NewSummaryTable(run)
	f := &pageFigures{cur: run.Scenario.Currency, horizon: run.Scenario.Horizon, tornado: run.Det.Tornado, voi: run.VOI}
	if f.voi == nil && run.Sensitivity != nil { // run --sensitivity computes it too
		f.voi = run.Sensitivity.VOI
	}
	f.npv, f.payback, f.peak = rowNamed(t, "npv"), rowNamed(t, "payback_months"), rowNamed(t, "peak_funding")
	if f.npv == nil || f.payback == nil || f.peak == nil {
		return nil, fmt.Errorf("summary.pdf needs the CRM model's npv, payback_months and peak_funding")
	}
	f.planNPV = f.npv.Plan
	f.npvP5, f.npvP50, f.npvP95 = f.npv.Stats.Pct[pctP5], f.npv.Stats.Pct[pctP50], f.npv.Stats.Pct[pctP95]
	f.probLoss = rowProb(f.npv, model.ProbNegative)
	f.probNoPay = rowProb(f.payback, "prob_not_reached")
	f.probPayback = 1 - f.probNoPay
	for _, ph := range paybackHorizons {
		if ph.months <= f.horizon {
			f.paybackMonths, f.probPayback = ph.months, rowProb(f.payback, ph.key)
			break
		}
	}
	f.paybackP50, f.peakFunding = f.payback.Stats.Pct[pctP50], f.peak.Stats.Pct[pctP95]
	if v := f.voi; v != nil {
		f.voiEVPI = v.EVPI.Value
		for _, in := range v.Inputs {
			if in.Value > f.voiValue {
				f.voiFactor, f.voiValue = in.Name, in.Value
			}
		}
	}
	return f, nil
}

// money is an amount for the page: compact, with the currency's sign.
func (l Lang) pageMoney(v float64, cur string) string { return l.MoneyCompact(v, cur) }

// sentenceLabel names a parameter or risk event inside a sentence: its
// label in quotes, with the path in parentheses in English (where the
// label is the reader's name and the path the file's).
func (l Lang) sentenceLabel(name string) string {
	t, known := model.LabelOf(name)
	if l == Russian {
		return "«" + t.Ru + "»"
	}
	if !known || t.En == name {
		return "“" + name + "”"
	}
	return "“" + t.En + "” (" + name + ")"
}

// runSentences are the three sentences of a run's page, from its numbers:
// the payback, the spread of NPV with the plan and P(loss), the main risk.
func runSentences(f *pageFigures, l Lang) []string {
	pct := l.Percent
	m := func(v float64) string { return l.pageMoney(v, f.cur) }
	var s1 string
	within := l.Tf("within %s", l.monthsWord(f.paybackMonths))
	if f.paybackMonths == 0 {
		within = l.Tf("within %s", l.horizonWord(f.horizon))
	}
	switch {
	case f.probPayback == 1:
		s1 = l.Tf("In every simulated future the project pays back %s", within)
	case f.probPayback == 0:
		s1 = l.Tf("In no simulated future does the project pay back %s", within)
	default:
		s1 = l.Tf("In %s of simulated futures the project pays back %s", pct(f.probPayback), within)
	}
	if f.paybackMonths > 0 && f.probNoPay > 0 {
		s1 += l.Tf("; in %s it does not pay back within %s", pct(f.probNoPay), l.horizonWord(f.horizon))
	}
	s1 += "."
	s2 := l.Tf("In 90%% of them NPV lies between %s and %s, with a median of %s against %s in the plan; the probability of a loss is %s.",
		m(f.npvP5), m(f.npvP95), m(f.npvP50), m(f.planNPV), pct(f.probLoss))
	s3 := l.T("No input is uncertain: the plan's figures are the only ones.")
	if len(f.tornado) > 0 {
		top := f.tornado[0]
		if top.Risk {
			s3 = l.Tf("The main risk is %s: if it happens, NPV is %s instead of %s.", l.sentenceLabel(top.Input), m(top.NPVHigh), m(top.NPVLow))
		} else {
			lo, hi := math.Min(top.NPVLow, top.NPVHigh), math.Max(top.NPVLow, top.NPVHigh)
			s3 = l.Tf("The main risk is %s: between its P10 and P90 values NPV ranges from %s to %s.", l.sentenceLabel(top.Input), m(lo), m(hi))
		}
	}
	return []string{s1, s2, s3}
}

// voiSentence is the line on the value of information, "" when none was
// computed (or every factor's value is 0 and so is the EVPI).
func voiSentence(v *sim.VOI, factor string, value, evpi float64, cur string, l Lang, options bool) string {
	if v == nil {
		return ""
	}
	m := func(x float64) string { return l.pageMoney(x, cur) }
	before := l.T("before deciding")
	if options {
		before = l.T("before choosing among the options")
	}
	if factor == "" {
		return l.Tf("Perfect information about every input %s is worth up to %s (EVPI).", before, m(evpi))
	}
	return l.Tf("Knowing %s %s is worth up to %s; perfect information about every input, up to %s (EVPI).",
		l.sentenceLabel(factor), before, m(value), m(evpi))
}

// monthsWord is "24 months" (Russian: 24 месяца, with the plural form the number takes).
func (l Lang) monthsWord(n int) string {
	if l == Russian {
		return fmt.Sprintf("%d%s%s", n, nbsp, ruPlural(n, "месяц", "месяца", "месяцев"))
	}
	if n == 1 {
		return "1 month"
	}
	return fmt.Sprintf("%d months", n)
}

// horizonWord is "the 36-month horizon" (Russian: горизонт в 36 месяцев).
func (l Lang) horizonWord(h int) string {
	if l == Russian {
		return "горизонт в " + l.monthsWord(h)
	}
	return fmt.Sprintf("the %d-month horizon", h)
}

// ruPlural picks the Russian form for n: one (1, 21, 101 месяц), few (2–4,
// 22–24 месяца) or many (0, 5–20, 25 месяцев).
func ruPlural(n int, one, few, many string) string {
	n = max(n, -n) % 100
	switch {
	case n%10 == 1 && n != 11:
		return one
	case n%10 >= 2 && n%10 <= 4 && (n < 12 || n > 14):
		return few
	}
	return many
}

// runOnePage builds the page of a CRM run.
func runOnePage(run *Run, l Lang) (*onePage, error) {
	if run.Scenario.IsFormula() {
		return nil, fmt.Errorf("summary.pdf is written for CRM scenarios, not formula models")
	}
	f, err := figuresOf(run)
	if err != nil {
		return nil, err
	}
	s := run.Scenario
	p := &onePage{lang: l, title: s.Title()}
	p.subtitle = l.Tf("One-page summary · %s iterations · seed %d · horizon %s · money in %s",
		l.Number(float64(run.iterations()), 0), run.seed(), l.monthsWord(s.Horizon), CurrencySign(f.cur))
	p.head = []string{"", l.T("Plan"), "P5", "P50", "P95"}
	money := func(v float64) string { return l.pageMoney(v, f.cur) }
	p.rows = [][]string{
		{"NPV", money(f.npv.Plan), money(f.npvP5), money(f.npvP50), money(f.npvP95)},
		{f.payback.Info.Label.In(string(l)), f.payback.typeset(l, f.payback.Plan), f.payback.typeset(l, f.payback.Stats.Pct[pctP5]),
			f.payback.typeset(l, f.paybackP50), f.payback.typeset(l, f.payback.Stats.Pct[pctP95])},
		{f.peak.Info.Label.In(string(l)), money(f.peak.Plan), money(f.peak.Stats.Pct[pctP5]), money(f.peak.Stats.Pct[pctP50]), money(f.peakFunding)},
	}
	p.cards = []card{{l.Percent(f.probLoss), l.T("probability of a loss, P(NPV\u00a0<\u00a00)")}}
	within := l.monthsWord(f.paybackMonths)
	if f.paybackMonths == 0 {
		within = l.horizonWord(f.horizon)
	}
	p.cards = append(p.cards, card{l.Percent(f.probPayback), l.Tf("pays back within %s", within)})
	p.note = FinanceLine(s, l)
	p.sentences = runSentences(f, l)
	p.voi = voiSentence(f.voi, f.voiFactor, f.voiValue, f.voiEVPI, f.cur, l, false)
	if g := GateLines(run, l); len(g) > 0 {
		p.sentences = append(p.sentences, g[0])
	}
	fan, err := CashFlowFan(run, l)
	if err != nil {
		return nil, err
	}
	short := *run
	if len(short.Det.Tornado) > pageTornadoRows {
		short.Det.Tornado = short.Det.Tornado[:pageTornadoRows]
	}
	tor, err := TornadoChart(&short, l)
	if err != nil {
		return nil, err
	}
	tor.Title = l.T("What moves NPV · inputs at P10 and P90, risks off and on")
	fan.Subtitle, tor.Subtitle = "", ""
	p.charts = [2]*Chart{fan, tor}
	p.footer = pageFooter(l, run.Version, s.File, s.SHA256())
	return p, nil
}

// pageLabelRunes is the longest option name the page's charts show in full
// (their keys, A, B…, lead the names in the table).
const pageLabelRunes = 14

// pageTornadoRows is how many rows the page's tornado shows at most.
const pageTornadoRows = 8

// pageFooter is the page's last line: the tool, the scenario file and its hash.
func pageFooter(l Lang, version, file, sha string) string {
	s := "crmroi " + version
	switch file {
	case "":
	case model.DefaultFile:
		s += " · " + l.T("the built-in default scenario")
	default:
		s += " · " + l.Tf("scenario file %s", file)
	}
	if sha != "" {
		s += " · SHA-256 " + sha[:min(16, len(sha))]
	}
	return s + " · " + l.T("details: report.html, summary.json")
}

// comparisonOnePage builds batch's page: the options side by side.
func comparisonOnePage(c *Comparison, l Lang) (*onePage, error) {
	if len(c.Runs) == 0 {
		return nil, fmt.Errorf("no scenarios to compare")
	}
	figs := make([]*pageFigures, len(c.Runs))
	for i, r := range c.Runs {
		f, err := figuresOf(r)
		if err != nil {
			return nil, err
		}
		figs[i] = f
	}
	first := c.Runs[0]
	cur := figs[0].cur
	p := &onePage{lang: l, title: l.Tf("Options compared: %s", strings.Join(c.Labels, ", "))}
	p.subtitle = l.Tf("One-page comparison · %d options · %s iterations each · seed %d · common random numbers · money in %s",
		len(c.Runs), l.Number(float64(first.iterations()), 0), first.seed(), CurrencySign(cur))
	months := figs[0].paybackMonths
	for _, f := range figs {
		months = min(months, f.paybackMonths)
	}
	payHead := l.Tf("Pays back within %s", l.horizonWord(figs[0].horizon))
	if months > 0 {
		payHead = l.Tf("Pays back within %s", l.monthsWord(months))
	}
	p.head = []string{l.T("Option"), l.T("Plan NPV"), "P5", "P50", "P95", l.T("P(loss)"), payHead, l.T("Payback P50"), l.T("Peak funding P95")}
	for i, f := range figs {
		pay := f.probPayback
		if months > 0 && months != f.paybackMonths {
			pay = rowProb(f.payback, "prob_within_12")
		}
		if months == 0 {
			pay = 1 - f.probNoPay
		}
		figs[i].probPayback, figs[i].paybackMonths = pay, months
		m := func(v float64) string { return l.pageMoney(v, cur) }
		p.rows = append(p.rows, []string{OptionKey(i) + keySep + c.Labels[i], m(f.planNPV), m(f.npvP5), m(f.npvP50), m(f.npvP95), l.Percent(f.probLoss),
			l.Percent(pay), f.payback.typeset(l, f.paybackP50), m(f.peakFunding)})
	}
	p.sentences = comparisonSentences(c, figs, l)
	if c.VOI != nil {
		var factor string
		var value float64
		for _, in := range c.VOI.Inputs {
			if in.Value > value {
				factor, value = in.Name, in.Value
			}
		}
		p.voi = voiSentence(c.VOI, factor, value, c.VOI.EVPI.Value, cur, l, true)
	}
	// The charts name the options shortly: the table names them in full.
	short := *c
	short.Labels = make([]string, len(c.Labels))
	for i, s := range c.Labels {
		if r := []rune(s); len(r) > pageLabelRunes {
			s = strings.TrimSpace(string(r[:pageLabelRunes-1])) + "…"
		}
		short.Labels[i] = s
	}
	box, err := ComparisonNPVChart(&short, l)
	if err != nil {
		return nil, err
	}
	fan, err := ComparisonFanChart(&short, l)
	if err != nil {
		return nil, err
	}
	box.Subtitle, fan.Subtitle = "", ""
	p.charts = [2]*Chart{box, fan}
	p.footer = pageFooter(l, c.Version, "", "")
	return p, nil
}

// comparisonSentences are the three sentences of batch's page: the option
// of highest median NPV, how often it beats the next, and the options of
// lowest P(loss) and of earliest median payback.
func comparisonSentences(c *Comparison, figs []*pageFigures, l Lang) []string {
	cur := figs[0].cur
	m := func(v float64) string { return l.pageMoney(v, cur) }
	name := func(i int) string { return "«" + c.Labels[i] + "»" }
	if l != Russian {
		name = func(i int) string { return "“" + c.Labels[i] + "”" }
	}
	best, second := 0, -1
	for i, f := range figs {
		if f.npvP50 > figs[best].npvP50 {
			best = i
		}
	}
	for i, f := range figs {
		if i != best && (second < 0 || f.npvP50 > figs[second].npvP50) {
			second = i
		}
	}
	b := figs[best]
	s1 := l.Tf("%s has the highest median NPV, %s (P5 %s, P95 %s, plan %s), with a probability of a loss of %s.",
		name(best), m(b.npvP50), m(b.npvP5), m(b.npvP95), m(b.planNPV), l.Percent(b.probLoss))
	if len(figs) == 1 {
		return []string{s1}
	}
	s2 := l.Tf("Iteration by iteration, on the same simulated futures, it beats %s in %s of them.", name(second), l.Percent(beats(c, best, second)))
	safest, fastest := 0, 0
	for i, f := range figs {
		if f.probLoss < figs[safest].probLoss {
			safest = i
		}
		if f.paybackP50 < figs[fastest].paybackP50 {
			fastest = i
		}
	}
	pb := figs[fastest].payback.typeset(l, figs[fastest].paybackP50)
	if !math.IsInf(figs[fastest].paybackP50, 0) {
		pb = l.Tf("%s months", pb)
	}
	s3 := l.Tf("The lowest probability of a loss: %s (%s); the earliest median payback: %s (%s).",
		name(safest), l.Percent(figs[safest].probLoss), name(fastest), pb)
	return []string{s1, s2, s3}
}

// beats is P(NPV of option a > NPV of option b) over the iterations.
func beats(c *Comparison, a, b int) float64 {
	for _, p := range c.Pairs {
		switch {
		case p.A == a && p.B == b:
			return p.ProbAGreater
		case p.A == b && p.B == a:
			return p.ProbBGreater
		}
	}
	return math.NaN()
}

// Page layout, in points.
const (
	pageMargin = 28
	gap        = 12
)

// draw draws the page on dc.
func (p *onePage) draw(dc draw.Canvas) {
	loadFonts()
	dc.FillPolygon(color.White, rectPts(dc.Min.X, dc.Min.Y, dc.Max.X, dc.Max.Y))
	left, right := dc.Min.X+pageMargin, dc.Max.X-pageMargin
	width := right - left
	y := dc.Max.Y - pageMargin

	// The title: shrunk to fit, down to 11 points, then cut.
	size := 18.0
	title := textStyle(size, true, colText, draw.XLeft, draw.YTop)
	for size > 11 && title.Width(p.title) > width {
		size -= 0.5
		title = textStyle(size, true, colText, draw.XLeft, draw.YTop)
	}
	t := fitText(title, p.title, width)
	dc.FillText(title, vg.Point{X: left, Y: y}, t)
	y -= title.Height(t) + 3
	sub := textStyle(9.5, false, colMuted, draw.XLeft, draw.YTop)
	st := fitText(sub, p.subtitle, width)
	dc.FillText(sub, vg.Point{X: left, Y: y}, st)
	y -= sub.Height(st) + 3
	if p.note != "" {
		ns := textStyle(8.5, false, colMuted, draw.XLeft, draw.YTop)
		for _, line := range wrapText(ns, p.note, width) {
			dc.FillText(ns, vg.Point{X: left, Y: y}, line)
			y -= ns.Height(line) + 1
		}
	}
	y -= 7

	// The table on the left, the cards on the right.
	cardW := vg.Length(0)
	if len(p.cards) > 0 {
		cardW = vg.Length(150 * len(p.cards))
	}
	tableW := width - cardW
	if cardW > 0 {
		tableW -= gap
	}
	th := p.drawTable(dc, left, y, tableW)
	if cardW > 0 {
		ch := p.drawCards(dc, right-cardW, y, cardW)
		th = max(th, ch)
	}
	y -= th + 10

	// The sentences, wrapped to the page's width, then the value of information.
	body := textStyle(10.5, false, colText, draw.XLeft, draw.YTop)
	lineH := body.Height("Hg") * 1.18
	paras := append([]string(nil), p.sentences...)
	if p.voi != "" {
		paras = append(paras, p.voi)
	}
	footH := textStyle(7.5, false, colMuted, draw.XLeft, draw.YBottom).Height("Hg")
	bottom := dc.Min.Y + pageMargin + footH + 6
	for i, s := range paras {
		sty := body
		if i == len(paras)-1 && p.voi != "" {
			sty = textStyle(10.5, true, darken(colBlue, 0.2), draw.XLeft, draw.YTop)
		}
		lines := wrapText(sty, s, width-10)
		h := vg.Length(len(lines)) * lineH
		dc.FillPolygon(tint(colBlue, 0.3), rectPts(left, y-h+2, left+3, y))
		for _, line := range lines {
			dc.FillText(sty, vg.Point{X: left + 10, Y: y}, line)
			y -= lineH
		}
		y -= 4
	}
	y -= 6

	// The two charts, side by side, down to the footer.
	chartW := (width - gap) / 2
	for i, ch := range p.charts {
		if ch == nil || y-bottom < 60 {
			continue
		}
		x := left + vg.Length(i)*(chartW+gap)
		area := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: x, Y: bottom}, Max: vg.Point{X: x + chartW, Y: y}}}
		ch.Draw(area)
		dc.StrokeLines(solid(colGrid, 0.8), rectPts(x, bottom, x+chartW, y), []vg.Point{{X: x, Y: bottom}})
	}
	foot := textStyle(7.5, false, colMuted, draw.XLeft, draw.YBottom)
	dc.FillText(foot, vg.Point{X: left, Y: dc.Min.Y + pageMargin}, fitText(foot, p.footer, width))
}

// drawTable draws the figures' table with its top left at (x, top), at most
// w wide, and returns its height. The figures' columns are as wide as their
// widest cell; the first column takes the rest, its labels cut to fit. The
// font shrinks (to 7 points) when the columns do not fit.
func (p *onePage) drawTable(dc draw.Canvas, x, top, w vg.Length) vg.Length {
	if len(p.head) == 0 {
		return 0
	}
	const pad = 8
	var size float64
	var widths []vg.Length
	var head, cell, bold text.Style
	for size = 10.5; ; size -= 0.5 {
		head = textStyle(size-1, true, colMuted, draw.XRight, draw.YTop)
		cell = textStyle(size, false, colText, draw.XRight, draw.YTop)
		bold = textStyle(size, true, colText, draw.XLeft, draw.YTop)
		widths = make([]vg.Length, len(p.head))
		for j := 1; j < len(p.head); j++ {
			// A header wraps on two lines: its column is as wide as its
			// widest cell, its longest word or half the header.
			widths[j] = max(head.Width(p.head[j])/2, longestWord(head, p.head[j]))
			for _, r := range p.rows {
				widths[j] = max(widths[j], cell.Width(r[j]))
			}
			widths[j] += pad
		}
		rest := w
		for _, cw := range widths[1:] {
			rest -= cw
		}
		widths[0] = rest
		labels := vg.Length(0)
		for _, r := range p.rows {
			labels = max(labels, bold.Width(r[0]))
		}
		if size <= 7 || rest >= min(labels+pad, w*0.3) {
			// Room left over widens the columns whose headers wrap, in
			// order, so that they take fewer lines.
			spare := rest - min(labels+pad, w*0.3)
			for j := 1; j < len(p.head) && spare > 0; j++ {
				grow := min(spare, max(0, head.Width(p.head[j])+pad-widths[j]))
				widths[j] += grow
				widths[0] -= grow
				spare -= grow
			}
			break
		}
	}
	// Header cells that are too wide wrap on two lines.
	rowH := cell.Height("Hg") + 6
	headLines := 1
	for j := 1; j < len(p.head); j++ {
		headLines = max(headLines, len(wrapText(head, p.head[j], widths[j]-pad/2)))
	}
	headLines = min(headLines, 3)
	y := top
	xe := x
	hl := head
	hl.XAlign = draw.XLeft
	if p.head[0] != "" {
		dc.FillText(hl, vg.Point{X: x, Y: y}, fitText(hl, p.head[0], widths[0]-pad))
	}
	xe += widths[0]
	for j := 1; j < len(p.head); j++ {
		xe += widths[j]
		lines := wrapText(head, p.head[j], widths[j]-pad/2)
		for k, ln := range lines[:min(len(lines), headLines)] {
			if k == headLines-1 && len(lines) > headLines {
				ln = fitText(head, strings.Join(lines[k:], " "), widths[j]-pad/2)
			}
			dc.FillText(head, vg.Point{X: xe, Y: y - vg.Length(k)*head.Height("Hg")}, ln)
		}
	}
	y -= vg.Length(headLines)*head.Height("Hg") + 4
	dc.StrokeLine2(solid(colAxis, 0.8), x, y, x+w, y)
	y -= 3
	for i, r := range p.rows {
		if i%2 == 1 {
			dc.FillPolygon(tint(colBlue, 0.93), rectPts(x, y-rowH+2, x+w, y+2))
		}
		dc.FillText(bold, vg.Point{X: x + 2, Y: y - 1}, fitText(bold, r[0], widths[0]-pad))
		xe := x + widths[0]
		for j := 1; j < len(r); j++ {
			xe += widths[j]
			dc.FillText(cell, vg.Point{X: xe - 2, Y: y - 1}, fitText(cell, r[j], widths[j]-2))
		}
		y -= rowH
	}
	dc.StrokeLine2(solid(colAxis, 0.8), x, y+1, x+w, y+1)
	return top - y
}

// drawCards draws the large figures side by side in a box w wide with its
// top at top, and returns their height.
func (p *onePage) drawCards(dc draw.Canvas, x, top, w vg.Length) vg.Length {
	n := len(p.cards)
	cw := (w - vg.Length(n-1)*8) / vg.Length(n)
	big := textStyle(24, true, colBlue, draw.XLeft, draw.YTop)
	small := textStyle(9, false, colMuted, draw.XLeft, draw.YTop)
	h := vg.Length(0)
	for i, c := range p.cards {
		cx := x + vg.Length(i)*(cw+8)
		lines := wrapText(small, c.label, cw-16)
		ch := big.Height("0") + 16 + vg.Length(len(lines))*small.Height("Hg")
		h = max(h, ch)
		dc.FillPolygon(tint(colBlue, 0.9), rectPts(cx, top-ch, cx+cw, top))
		dc.FillText(big, vg.Point{X: cx + 8, Y: top - 6}, fitText(big, c.value, cw-16))
		y := top - 6 - big.Height("0") - 4
		for _, ln := range lines {
			dc.FillText(small, vg.Point{X: cx + 8, Y: y}, ln)
			y -= small.Height("Hg")
		}
	}
	return h
}

// longestWord is the width of the widest word of s.
func longestWord(sty text.Style, s string) vg.Length {
	w := vg.Length(0)
	for _, word := range strings.Split(s, " ") {
		w = max(w, sty.Width(word))
	}
	return w
}

// wrapText breaks s into lines at most w wide, at spaces; a word wider
// than w alone is cut with an ellipsis.
func wrapText(sty text.Style, s string, w vg.Length) []string {
	// Only ordinary spaces break: a non-breaking one keeps a number with
	// its unit and the groups of its digits together.
	words := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' })
	var lines []string
	line := ""
	for _, word := range words {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if sty.Width(try) <= w {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = fitText(sty, word, w)
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}
