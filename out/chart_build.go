package out

import (
	"image/color"
	"math"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Indices into sim.Stats.Pct (sim.PctLevels) and sim.Band.Pct (sim.BandLevels).
const (
	pctP5, pctP25, pctP50, pctP75, pctP95 = 1, 3, 4, 5, 7
	bandP5, bandP10, bandP25, bandP50     = 0, 1, 2, 3
	bandP75, bandP90, bandP95             = 4, 5, 6
)

// Histogram bin counts are kept within these bounds.
const (
	MinBins = 20
	MaxBins = 120
)

// MaxTornadoRows is how many inputs the tornado chart shows at most.
const MaxTornadoRows = 15

// subtitle is the chart's second line: the scenario and the run.
func subtitle(run *Run, l Lang) string {
	return run.Scenario.TitleIn(string(l)) + " · " + l.Tf("%s iterations · seed %d", l.Number(float64(run.iterations()), 0), run.seed())
}

// FDBins returns the histogram bins of values by the Freedman–Diaconis rule,
// width 2·IQR·n^(−1/3), with the count kept within MinBins..MaxBins, and the
// edges shifted so that 0 is an edge when the range spans it. iqr is the
// interquartile range, lo and hi the smallest and largest value.
func FDBins(n int, iqr, lo, hi float64) (start, width float64, bins int) {
	if !(hi > lo) {
		w := math.Max(math.Abs(lo)*0.01, 1)
		return lo - w*float64(MinBins)/2, w, MinBins
	}
	span := hi - lo
	w := 2 * iqr / math.Cbrt(float64(max(n, 1)))
	k := MinBins
	if w > 0 && !math.IsNaN(w) {
		k = int(math.Ceil(span / w))
	}
	k = min(max(k, MinBins), MaxBins)
	w = span / float64(k)
	start = lo
	if lo < 0 && hi > 0 {
		start = math.Floor(lo/w) * w
		k = int(math.Ceil((hi - start) / w))
		if start+float64(k)*w <= hi {
			k++
		}
	}
	return start, w, k
}

// NPVHistogram is npv_hist: the histogram of NPV, losses coloured apart from
// gains, with P5, P50, P95 and the plan case marked and P(loss) in the title.
func NPVHistogram(run *Run, l Lang) (*Chart, error) {
	r := run.Result
	if len(r.Values) == 0 {
		return nil, ErrNoValues
	}
	npv, st := r.Values[0], r.Metrics[0]
	cur := CurrencySign(run.Scenario.Currency)
	start, w, k := FDBins(len(npv), st.Pct[pctP75]-st.Pct[pctP25], st.Min, st.Max)
	counts := make([]int, k)
	for _, v := range npv {
		i := int((v - start) / w)
		counts[min(max(i, 0), k-1)]++
	}
	loss, gain := tint(colVermillion, 0.08), tint(colBlue, 0.08)
	b := &bars{}
	maxY := 0.0
	for i, c := range counts {
		x0 := start + float64(i)*w
		y := float64(c) / float64(len(npv))
		b.x0 = append(b.x0, x0)
		b.x1 = append(b.x1, x0+w)
		b.y = append(b.y, y)
		col := gain
		if x0+w/2 < 0 {
			col = loss
		}
		b.colors = append(b.colors, col)
		maxY = math.Max(maxY, y)
	}
	p := newPlot()
	p.X.Label.Text = l.Tf("NPV, %s", cur)
	p.Y.Label.Text = l.T("Share of iterations")
	p.X.Tick.Marker = moneyTicks(l, run.Scenario.Currency)
	p.Y.Tick.Marker = percentTicks(l, 5)
	p.Add(grid(false), b)
	pctLine := dashed(colText, 1)
	ms := []marker{
		{x: st.Pct[pctP5], label: "P5 " + l.MoneyCompact(st.Pct[pctP5], run.Scenario.Currency), line: pctLine, color: colText},
		{x: st.Pct[pctP50], label: "P50 " + l.MoneyCompact(st.Pct[pctP50], run.Scenario.Currency), line: pctLine, color: colText},
		{x: st.Pct[pctP95], label: "P95 " + l.MoneyCompact(st.Pct[pctP95], run.Scenario.Currency), line: pctLine, color: colText},
		{x: run.Det.Plan.NPV, label: l.Tf("Plan %s", l.MoneyCompact(run.Det.Plan.NPV, run.Scenario.Currency)),
			line: solid(colGreen, 1.6), color: darken(colGreen, 0.3)},
	}
	p.Add(markers(ms))
	p.X.Min = math.Min(p.X.Min, run.Det.Plan.NPV)
	p.X.Max = math.Max(p.X.Max, run.Det.Plan.NPV)
	p.Y.Min, p.Y.Max = 0, maxY*1.38
	return &Chart{
		Name:     "npv_hist",
		Title:    l.Tf("NPV distribution · P(loss) = %s", l.Percent(lossProb(r))),
		Subtitle: subtitle(run, l),
		Plot:     p,
		legend: []legendItem{
			{label: l.T("Loss (NPV < 0)"), fill: loss},
			{label: l.T("Gain (NPV ≥ 0)"), fill: gain},
			{label: l.T("Percentiles"), line: pctLine},
			{label: l.T("Plan case"), line: solid(colGreen, 1.6)},
		},
	}, nil
}

// NPVCurve is npv_cdf: the S-curve (cumulative probability) of NPV, with the
// zero line and P(loss) marked where the curve crosses it.
func NPVCurve(run *Run, l Lang) (*Chart, error) {
	r := run.Result
	if len(r.Values) == 0 {
		return nil, ErrNoValues
	}
	const points = 1000
	levels := make([]float64, points+1)
	for i := range levels {
		levels[i] = float64(i) / points
	}
	q := sim.Quantiles(r.Values[0], levels) // exact, without sorting a copy
	xy := make(plotter.XYs, len(q))
	for i, v := range q {
		xy[i] = plotter.XY{X: v, Y: levels[i]}
	}
	cur := run.Scenario.Currency
	p, err := sCurvePlot(xy, l.Tf("NPV, %s", CurrencySign(cur)), cur, l)
	if err != nil {
		return nil, err
	}
	p.Add(markers([]marker{{x: run.Det.Plan.NPV, label: l.Tf("Plan %s", l.MoneyCompact(run.Det.Plan.NPV, cur)),
		line: solid(colGreen, 1.4), color: darken(colGreen, 0.3)}}))
	st := r.Metrics[0]
	ploss := lossProb(r)
	p.Add(drawFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&c)
		if 0 >= p.X.Min && 0 <= p.X.Max {
			x0, y0 := trX(0), trY(ploss)
			c.StrokeLine2(solid(colText, 0.9), x0, c.Min.Y, x0, c.Max.Y)
			c.StrokeLine2(dashed(colVermillion, 1.2), c.Min.X, y0, x0, y0)
			c.DrawGlyph(draw.GlyphStyle{Color: colVermillion, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}, vg.Point{X: x0, Y: y0})
			sty := textStyle(10, true, darken(colVermillion, 0.25), draw.XRight, draw.YBottom)
			txt := l.Tf("P(loss) %s", l.Percent(ploss))
			if x0-vg.Points(6)-sty.Width(txt) >= c.Min.X {
				c.FillText(sty, vg.Point{X: x0 - vg.Points(6), Y: y0 + vg.Points(4)}, txt)
			} else { // no room left of zero: right of it, under the curve
				sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
				c.FillText(sty, vg.Point{X: x0 + vg.Points(7), Y: y0 - vg.Points(5)}, txt)
			}
		}
		curvePercentiles(c, trX, trY, st, func(v float64) string { return l.MoneyCompact(v, cur) })
	}))
	p.Y.Min, p.Y.Max = 0, 1.0
	return &Chart{
		Name:     "npv_cdf",
		Title:    l.Tf("NPV S-curve · P(NPV < 0) = %s", l.Percent(ploss)),
		Subtitle: subtitle(run, l),
		Plot:     p,
		legend: []legendItem{
			{label: l.T("Probability that NPV ≤ x"), line: solid(colBlue, 2)},
			{label: l.T("Plan case"), line: solid(colGreen, 1.4)},
		},
	}, nil
}

// GoLiveRange returns the go-live month G (model.md: max(1, ⌊implementation
// months × slip + 0.5⌋)) at the P5, plan and P95 of the scenario's schedule slip.
func GoLiveRange(s *model.Scenario) (p5, plan, p95 int) {
	d := s.Inputs[model.ScheduleSlip].Dist
	return s.GoLive(d.Quantile(0.05)), s.GoLive(d.Plan()), s.GoLive(d.Quantile(0.95))
}

// MedianBreakEven is the first month from which the median cumulative cash
// flow stays at or above zero, or 0 when it ends below zero.
func MedianBreakEven(bands []sim.Band) int {
	m := 1
	for _, b := range bands {
		if b.Pct[bandP50] < 0 {
			m = b.Month + 1
		}
	}
	if m > len(bands) {
		return 0
	}
	return m
}

// CashFlowFan is cashflow_fan: the cumulative cash flow over months 0..H as
// P5–P95, P10–P90 and P25–P75 bands, the median and the mean, the zero line
// and the range of go-live months.
func CashFlowFan(run *Run, l Lang) (*Chart, error) {
	r, s := run.Result, run.Scenario
	h := len(r.Bands)
	band := func(i int) plotter.XYs {
		xy := plotter.XYs{{X: 0, Y: 0}}
		for _, b := range r.Bands {
			xy = append(xy, plotter.XY{X: float64(b.Month), Y: b.Pct[i]})
		}
		return xy
	}
	p := newPlot()
	p.X.Label.Text = l.T("Month")
	p.Y.Label.Text = l.Tf("Cumulative cash flow, %s", CurrencySign(s.Currency))
	p.X.Tick.Marker = monthTicks(float64(h))
	p.Y.Tick.Marker = moneyTicks(l, s.Currency)

	g5, _, g95 := GoLiveRange(s)
	goLive := tint(colOrange, 0.72)
	p.Add(drawFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, _ := p.Transforms(&c)
		a, b := trX(float64(g5)), trX(float64(g95))
		if b-a < vg.Points(2) {
			a, b = a-vg.Points(1), b+vg.Points(1)
		}
		c.FillPolygon(goLive, c.ClipPolygonXY(rectPts(a, c.Min.Y, b, c.Max.Y)))
	}), grid(false))

	fills := []struct {
		lo, hi int
		col    color.Color
		name   string
	}{
		{bandP5, bandP95, tint(colBlue, 0.80), "P5–P95"},
		{bandP10, bandP90, tint(colBlue, 0.62), "P10–P90"},
		{bandP25, bandP75, tint(colBlue, 0.42), "P25–P75"},
	}
	var legend []legendItem
	for _, f := range fills {
		lo, hi := band(f.lo), band(f.hi)
		poly := append(plotter.XYs{}, lo...)
		for i := len(hi) - 1; i >= 0; i-- {
			poly = append(poly, hi[i])
		}
		pg, err := plotter.NewPolygon(poly)
		if err != nil {
			return nil, err
		}
		pg.Color = f.col
		pg.LineStyle.Width = 0
		p.Add(pg)
		legend = append(legend, legendItem{label: f.name, fill: f.col})
	}
	zero := drawFunc(func(c draw.Canvas, p *plot.Plot) {
		_, trY := p.Transforms(&c)
		if 0 >= p.Y.Min && 0 <= p.Y.Max {
			c.StrokeLine2(solid(colText, 1), c.Min.X, trY(0), c.Max.X, trY(0))
		}
	})
	median, err := plotter.NewLine(band(bandP50))
	if err != nil {
		return nil, err
	}
	median.LineStyle = solid(darken(colBlue, 0.35), 2.2)
	meanXY := plotter.XYs{{X: 0, Y: 0}}
	for _, b := range r.Bands {
		meanXY = append(meanXY, plotter.XY{X: float64(b.Month), Y: b.Mean})
	}
	mean, err := plotter.NewLine(meanXY)
	if err != nil {
		return nil, err
	}
	mean.LineStyle = dashed(colVermillion, 1.8)
	p.Add(zero, median, mean)
	// With a finance: section, the plan case's own cumulative cash flow
	// (model.md section 6); without one the chart is as it always was.
	var planLine *plotter.Line
	if s.Finance != nil && len(run.Det.PlanCumulative) == h {
		xy := plotter.XYs{{X: 0, Y: 0}}
		for t, v := range run.Det.PlanCumulative {
			xy = append(xy, plotter.XY{X: float64(t + 1), Y: v})
		}
		if planLine, err = plotter.NewLine(xy); err != nil {
			return nil, err
		}
		planLine.LineStyle = solid(colGreen, 1.6)
		p.Add(planLine)
	}

	// With actuals (crmroi track): the forecast before them as a dashed
	// P5–P95 and the actual cumulative cash flows as points.
	var priorLo, priorHi *plotter.Line
	actualPts := run.Track.cumulativePoints()
	if len(actualPts) > 0 {
		pb := run.Track.Update.Prior.Bands
		lo, hi := plotter.XYs{{X: 0, Y: 0}}, plotter.XYs{{X: 0, Y: 0}}
		for _, b := range pb {
			lo = append(lo, plotter.XY{X: float64(b.Month), Y: b.Pct[bandP5]})
			hi = append(hi, plotter.XY{X: float64(b.Month), Y: b.Pct[bandP95]})
		}
		if priorLo, err = plotter.NewLine(lo); err != nil {
			return nil, err
		}
		if priorHi, err = plotter.NewLine(hi); err != nil {
			return nil, err
		}
		priorLo.LineStyle, priorHi.LineStyle = dashed(colMuted, 1.2), dashed(colMuted, 1.2)
		p.Add(priorLo, priorHi)
		pts := actualPts
		p.Add(drawFunc(func(c draw.Canvas, p *plot.Plot) {
			trX, trY := p.Transforms(&c)
			for _, pt := range pts {
				c.DrawGlyph(draw.GlyphStyle{Color: colBlack, Radius: vg.Points(3.2), Shape: draw.CircleGlyph{}},
					vg.Point{X: trX(pt.X), Y: trY(pt.Y)})
			}
		}))
	}

	trough := 0
	for i, b := range r.Bands {
		if b.Pct[bandP50] < r.Bands[trough].Pct[bandP50] {
			trough = i
		}
	}
	if h > 0 && r.Bands[trough].Pct[bandP50] < 0 {
		tb := r.Bands[trough]
		txt := l.Tf("median low %s, month %d", l.MoneyCompact(tb.Pct[bandP50], s.Currency), tb.Month)
		p.Add(drawFunc(func(c draw.Canvas, p *plot.Plot) {
			trX, trY := p.Transforms(&c)
			pt := vg.Point{X: trX(float64(tb.Month)), Y: trY(tb.Pct[bandP50])}
			c.DrawGlyph(draw.GlyphStyle{Color: darken(colBlue, 0.35), Radius: vg.Points(3), Shape: draw.CircleGlyph{}}, pt)
			sty := textStyle(8.5, false, colText, draw.XLeft, draw.YTop)
			y := trY(tb.Pct[bandP5]) - vg.Points(4)
			if y-sty.Height(txt) < c.Min.Y {
				y = c.Min.Y + sty.Height(txt) + vg.Points(2)
			}
			labelBox(c, sty, pt.X+vg.Points(4), y, txt)
		}))
	}

	label := l.Tf("go-live, months %d–%d", g5, g95)
	if g5 == g95 {
		label = l.Tf("go-live, month %d", g5)
	}
	p.Add(drawFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, _ := p.Transforms(&c)
		sty := textStyle(8.5, false, darken(colOrange, 0.45), draw.XLeft, draw.YTop)
		x := trX(float64(g95)) + vg.Points(3)
		if x+sty.Width(label)+vg.Points(4) > c.Max.X {
			x = trX(float64(g5)) - vg.Points(7) - sty.Width(label)
		}
		labelBox(c, sty, x, c.Max.Y-vg.Points(3), label)
	}))
	p.X.Min, p.X.Max = 0, float64(h)
	_, _, ymin, ymax := plotter.XYRange(band(bandP5))
	_, _, _, ymax95 := plotter.XYRange(band(bandP95))
	ymax = math.Max(ymax, ymax95)
	if planLine != nil {
		_, _, lo, hi := plotter.XYRange(planLine.XYs)
		ymin, ymax = math.Min(ymin, lo), math.Max(ymax, hi)
	}
	for _, l := range []*plotter.Line{priorLo, priorHi} {
		if l != nil {
			_, _, lo, hi := plotter.XYRange(l.XYs)
			ymin, ymax = math.Min(ymin, lo), math.Max(ymax, hi)
		}
	}
	for _, pt := range actualPts {
		ymin, ymax = math.Min(ymin, pt.Y), math.Max(ymax, pt.Y)
	}
	pad := (ymax - ymin) * 0.06
	p.Y.Min, p.Y.Max = ymin-pad*2.2, ymax+pad*1.5

	title := l.Tf("Cumulative cash flow · median does not break even within %d months", h)
	if m := MedianBreakEven(r.Bands); m > 0 {
		title = l.Tf("Cumulative cash flow · median breaks even in month %d", m)
	}
	legend = append(legend,
		legendItem{label: l.T("Median"), line: median.LineStyle},
		legendItem{label: l.T("Mean (dashed)"), line: mean.LineStyle},
		legendItem{label: l.T("Go-live P5–P95"), fill: goLive})
	if planLine != nil {
		legend = append(legend, legendItem{label: l.T("Plan case"), line: planLine.LineStyle})
	}
	if len(actualPts) > 0 {
		title = l.Tf("Cumulative cash flow updated by the actuals of months 1–%d", run.Track.LastMonth())
		legend = append(legend, legendItem{label: l.T("Actuals"), fill: colBlack},
			legendItem{label: l.T("Before the actuals P5–P95"), line: priorLo.LineStyle})
	}
	return &Chart{Name: "cashflow_fan", Title: title, Subtitle: subtitle(run, l), Plot: p, legend: legend}, nil
}

// PaybackHistogram is payback_hist: the distribution of the payback month,
// with a separate bar for the share not reached within the horizon.
func PaybackHistogram(run *Run, l Lang) (*Chart, error) {
	r := run.Result
	pb := monthsOutput(r)
	if len(r.Values) == 0 || pb < 0 || pb >= len(r.Values) {
		return nil, ErrNoValues
	}
	h := float64(len(r.Bands))
	bw := math.Max(1, math.Ceil(h/60))
	k := int(math.Ceil(h / bw))
	counts := make([]int, k)
	n := len(r.Values[pb])
	for _, v := range r.Values[pb] {
		if math.IsInf(v, 1) || math.IsNaN(v) {
			continue
		}
		i := int(v / bw)
		counts[min(max(i, 0), k-1)]++
	}
	reached := tint(colBlue, 0.08)
	never := tint(colVermillion, 0.08)
	b := &bars{}
	maxY := 0.0
	for i, c := range counts {
		y := float64(c) / float64(n)
		b.x0 = append(b.x0, float64(i)*bw)
		b.x1 = append(b.x1, float64(i+1)*bw)
		b.y = append(b.y, y)
		b.colors = append(b.colors, reached)
		maxY = math.Max(maxY, y)
	}
	gap := math.Max(2*bw, h*0.07) // room for the label of the last month and of the bar
	nrW := math.Max(3*bw, h*0.08)
	nrX := h + gap
	nr := probOf(r, "prob_not_reached")
	b.x0 = append(b.x0, nrX)
	b.x1 = append(b.x1, nrX+nrW)
	b.y = append(b.y, nr)
	b.colors = append(b.colors, never)
	maxY = math.Max(maxY, nr)

	p := newPlot()
	p.X.Label.Text = l.T("Payback month")
	p.Y.Label.Text = l.T("Share of iterations")
	mt := monthTicks(h)
	nrLabel := l.Tf("not reached\nwithin %d", int(h))
	p.X.Tick.Marker = plot.TickerFunc(func(min, max float64) []plot.Tick {
		ts := mt.Ticks(0, h)
		return append(ts, plot.Tick{Value: nrX + nrW/2, Label: nrLabel})
	})
	p.Y.Tick.Marker = percentTicks(l, 5)
	p.Add(grid(false), b)
	st := r.Metrics[pb]
	var ms []marker
	p50 := st.Pct[pctP50]
	if !math.IsInf(p50, 0) && !math.IsNaN(p50) {
		ms = append(ms, marker{x: p50, label: l.Tf("P50 %s", l.Months(p50)), line: dashed(colText, 1), color: colText})
	}
	var note string
	switch {
	case h >= 36:
		note = l.Tf("≤12 months %s · ≤24 %s · ≤36 %s", l.Percent(probOf(r, "prob_within_12")), l.Percent(probOf(r, "prob_within_24")), l.Percent(probOf(r, "prob_within_36")))
	case h >= 24:
		note = l.Tf("≤12 months %s · ≤24 %s", l.Percent(probOf(r, "prob_within_12")), l.Percent(probOf(r, "prob_within_24")))
	case h >= 12:
		note = l.Tf("≤12 months %s", l.Percent(probOf(r, "prob_within_12")))
	}
	nrText := l.Percent(nr)
	p.Add(markersNote(ms, note))
	p.Add(drawFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&c)
		sty := textStyle(10, true, darken(colVermillion, 0.25), draw.XCenter, draw.YBottom)
		c.FillText(sty, vg.Point{X: trX(nrX + nrW/2), Y: trY(nr) + vg.Points(3)}, nrText)
	}))
	p.X.Min, p.X.Max = 0, nrX+nrW+bw/2
	p.Y.Min, p.Y.Max = 0, maxY*1.3

	title := l.Tf("Payback · not reached within %d months: %s", int(h), l.Percent(nr))
	if !math.IsInf(p50, 0) && !math.IsNaN(p50) {
		title = l.Tf("Payback · P50 %s months · not reached within %d months: %s", l.Months(p50), int(h), l.Percent(nr))
	}
	return &Chart{
		Name: "payback_hist", Title: title, Subtitle: subtitle(run, l), Plot: p,
		legend: []legendItem{
			{label: l.T("Reached"), fill: reached},
			{label: l.Tf("Not reached within %d months", int(h)), fill: never},
		},
	}, nil
}

// TornadoChart is tornado: for the inputs with the largest swing (at most
// MaxTornadoRows), horizontal bars from the plan NPV to the NPV with the input
// at its P10 and at its P90, labelled with the input's name and values.
func TornadoChart(run *Run, l Lang) (*Chart, error) {
	rows := run.Det.Tornado
	if len(rows) > MaxTornadoRows {
		rows = rows[:MaxTornadoRows]
	}
	ch := &Chart{
		Name:     "tornado",
		Title:    l.T("What moves NPV · each input from its P10 to its P90, each risk off and on, others at plan"),
		Subtitle: subtitle(run, l),
	}
	if len(rows) == 0 {
		ch.Message = l.T("No uncertain inputs")
		return ch, nil
	}
	plan := run.Det.Plan.NPV
	cur := run.Scenario.Currency
	lowCol, highCol, riskCol := colOrange, tint(colBlue, 0.05), colVermillion
	n := len(rows)
	lo, hi := plan, plan
	for _, t := range rows {
		lo = math.Min(lo, math.Min(t.NPVLow, t.NPVHigh))
		hi = math.Max(hi, math.Max(t.NPVLow, t.NPVHigh))
	}
	span := hi - lo
	if span <= 0 {
		span = math.Max(math.Abs(plan)*0.1, 1)
	}
	p := newPlot()
	p.X.Label.Text = l.Tf("NPV, %s", CurrencySign(cur))
	p.X.Tick.Marker = moneyTicks(l, cur)
	names := make([]plot.Tick, n)
	for i, t := range rows {
		names[i] = plot.Tick{Value: float64(n - 1 - i), Label: l.Label(t.Input)}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(names)
	p.Y.Tick.Length = 0
	p.Y.LineStyle.Width = 0
	p.Add(grid(true))
	p.Add(markers([]marker{{x: plan, label: l.Tf("Plan %s", l.MoneyCompact(plan, cur)), line: solid(colText, 1.2), color: colText}}))
	p.Add(drawFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&c)
		half := (trY(0) - trY(1)) * 0.34
		if half < 0 {
			half = -half
		}
		sty := textStyle(8.5, false, colText, draw.XLeft, draw.YCenter)
		for i, t := range rows {
			y := trY(float64(n - 1 - i))
			type end struct {
				npv, value float64
				col        color.Color
			}
			ends := []end{{t.NPVLow, t.LowValue, lowCol}, {t.NPVHigh, t.HighValue, highCol}}
			if t.Risk {
				ends[1].col = riskCol
			}
			if math.Abs(t.NPVLow-plan) < math.Abs(t.NPVHigh-plan) {
				ends[0], ends[1] = ends[1], ends[0] // the longer bar first, the shorter on top
			}
			for _, e := range ends {
				x0, x1 := trX(plan), trX(e.npv)
				c.FillPolygon(e.col, c.ClipPolygonXY(rectPts(x0, y-half, x1, y+half)))
			}
			for _, e := range ends {
				txt := l.Compact(e.value)
				if t.Risk {
					txt = map[bool]string{false: l.T("off"), true: l.T("on")}[e.value == 1]
				}
				w := sty.Width(txt) + vg.Points(4)
				x := trX(e.npv) + vg.Points(2)
				if e.npv < plan {
					x = max(trX(e.npv)-vg.Points(2)-w, c.Min.X) // never over the names
				}
				labelBox(c, sty, x, y+sty.Height(txt)/2+vg.Points(1), txt)
			}
		}
	}))
	p.X.Min, p.X.Max = lo-span*0.12, hi+span*0.12
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4+0.9
	p.Y.Padding = 0
	ch.Plot = p
	ch.legend = []legendItem{
		{label: l.T("Input at P10"), fill: lowCol},
		{label: l.T("Input at P90"), fill: highCol},
	}
	for _, t := range rows {
		if t.Risk {
			ch.legend = append(ch.legend, legendItem{label: l.T("Risk event on"), fill: riskCol})
			break
		}
	}
	return ch, nil
}

// curvePercentiles marks P5, P50 and P95 on an S-curve, each labelled with
// its value as format writes it (on the left where the right has no room).
func curvePercentiles(c draw.Canvas, trX, trY func(float64) vg.Length, st sim.Stats, format func(float64) string) {
	dot := draw.GlyphStyle{Color: colText, Radius: vg.Points(2.6), Shape: draw.CircleGlyph{}}
	for _, q := range []struct {
		name string
		i    int
		p    float64
	}{{"P5", pctP5, 0.05}, {"P50", pctP50, 0.50}, {"P95", pctP95, 0.95}} {
		v := st.Pct[q.i]
		pt := vg.Point{X: trX(v), Y: trY(q.p)}
		c.DrawGlyph(dot, pt)
		txt := q.name + " " + format(v)
		sty := textStyle(9, false, colText, draw.XLeft, draw.YCenter)
		x := pt.X + vg.Points(7)
		if x+sty.Width(txt)+vg.Points(4) > c.Max.X {
			x = pt.X - vg.Points(7) - sty.Width(txt) - vg.Points(4)
		}
		labelBox(c, sty, x, pt.Y+sty.Height(txt)/2, txt)
	}
}

// sCurvePlot is the plot of an S-curve: cumulative probability (xy) against
// the output, labelled xLabel, on a grid.
func sCurvePlot(xy plotter.XYs, xLabel, cur string, l Lang) (*plot.Plot, error) {
	p := newPlot()
	p.X.Label.Text = xLabel
	p.Y.Label.Text = l.T("Cumulative probability")
	p.X.Tick.Marker = moneyTicks(l, cur)
	p.Y.Tick.Marker = percentTicks(l, 5)
	curve, err := plotter.NewLine(xy)
	if err != nil {
		return nil, err
	}
	curve.LineStyle = solid(colBlue, 2)
	p.Add(grid(true), curve)
	return p, nil
}
