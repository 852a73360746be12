package out

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strings"

	"github.com/crmroi/crmroi/sim"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ComparisonChartNames are the charts `batch` writes, without the extension.
var ComparisonChartNames = []string{"comparison_npv", "comparison_cdf", "comparison_fan"}

// scenarioColors tell scenarios apart in the comparison charts (Okabe–Ito).
var scenarioColors = []color.RGBA{colBlue, colOrange, colGreen, colVermillion, colPurple, colSky, colBlack}

// scenarioLine is the line style of series i: its colour, dashed once the
// colours have all been used.
func scenarioLine(i int, width float64) draw.LineStyle {
	c := scenarioColors[i%len(scenarioColors)]
	if i >= len(scenarioColors) {
		return dashed(c, width)
	}
	return solid(c, width)
}

// maxLabelRunes is the longest scenario label a chart shows in full.
const maxLabelRunes = 40

// shortLabel cuts a label to maxLabelRunes with an ellipsis.
func shortLabel(s string) string {
	r := []rune(s)
	if len(r) <= maxLabelRunes {
		return s
	}
	return string(r[:maxLabelRunes-1]) + "…"
}

// comparisonSubtitle is the second line of the comparison charts.
func comparisonSubtitle(c *Comparison, l Lang) string {
	r := c.Runs[0]
	return l.Tf("%d scenarios · %s iterations · seed %d · common random numbers", len(c.Runs), l.Number(float64(r.iterations()), 0), r.seed())
}

// BuildComparisonChart builds the comparison chart called name (one of ComparisonChartNames).
func BuildComparisonChart(name string, c *Comparison, l Lang) (*Chart, error) {
	switch name {
	case "comparison_npv":
		return ComparisonNPVChart(c, l)
	case "comparison_cdf":
		return ComparisonCDFChart(c, l)
	case "comparison_fan":
		return ComparisonFanChart(c, l)
	}
	return nil, fmt.Errorf("no chart called %q", name)
}

// zeroLineX draws a vertical line at x = 0 when it is in range.
func zeroLineX() plot.Plotter {
	return drawFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, _ := p.Transforms(&c)
		if 0 >= p.X.Min && 0 <= p.X.Max {
			c.StrokeLine2(solid(colText, 1), trX(0), c.Min.Y, trX(0), c.Max.Y)
		}
	})
}

// zeroLineY draws a horizontal line at y = 0 when it is in range.
func zeroLineY() plot.Plotter {
	return drawFunc(func(c draw.Canvas, p *plot.Plot) {
		_, trY := p.Transforms(&c)
		if 0 >= p.Y.Min && 0 <= p.Y.Max {
			c.StrokeLine2(solid(colText, 1), c.Min.X, trY(0), c.Max.X, trY(0))
		}
	})
}

// ComparisonNPVChart is comparison_npv: one box-and-whisker per scenario
// (whiskers P5–P95, box P25–P75, median line, mean diamond, plan case in
// green), with each scenario's P(loss) beside its box. The scenarios' names
// are wrapped on the axis (or keyed, axisNames); the range leaves room on
// the right for every P(loss), which so never runs into a name or out of
// the chart.
func ComparisonNPVChart(c *Comparison, l Lang) (*Chart, error) {
	n := len(c.Runs)
	if n == 0 {
		return nil, errors.New("no scenarios to compare")
	}
	cur := c.Runs[0].Scenario.Currency
	p := newPlot()
	p.X.Label.Text = l.Tf("NPV, %s", CurrencySign(cur))
	p.X.Tick.Marker = moneyTicks(l, cur)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range c.Runs {
		m := r.Result.Metrics[0]
		lo = math.Min(lo, math.Min(m.Pct[pctP5], r.Det.Plan.NPV))
		hi = math.Max(hi, math.Max(m.Pct[pctP95], r.Det.Plan.NPV))
	}
	ticks := make([]plot.Tick, n) // set by fit, for the chart's size
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Tick.Length = 0
	p.Y.LineStyle.Width = 0
	p.Add(grid(true), zeroLineX())
	planStyle := solid(colGreen, 2.2)
	lossSty := textStyle(9, true, darken(colVermillion, 0.25), draw.XLeft, draw.YCenter)
	lossText := func(r *Run) string { return l.Tf("P(loss) %s", l.Percent(lossProb(r.Result))) }
	const gapPt = 6 // points between a whisker or the plan line and its P(loss)
	p.Add(drawFunc(func(dc draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&dc)
		half := (trY(0) - trY(1)) * 0.30
		if half < 0 {
			half = -half
		}
		for i, r := range c.Runs {
			m := r.Result.Metrics[0]
			col := scenarioColors[i%len(scenarioColors)]
			y := trY(float64(n - 1 - i))
			p5, p25, p50, p75, p95 := trX(m.Pct[pctP5]), trX(m.Pct[pctP25]), trX(m.Pct[pctP50]), trX(m.Pct[pctP75]), trX(m.Pct[pctP95])
			wh := solid(darken(col, 0.2), 1.2)
			dc.StrokeLine2(wh, p5, y, p25, y)
			dc.StrokeLine2(wh, p75, y, p95, y)
			dc.StrokeLine2(wh, p5, y-half*0.55, p5, y+half*0.55)
			dc.StrokeLine2(wh, p95, y-half*0.55, p95, y+half*0.55)
			dc.FillPolygon(tint(col, 0.55), dc.ClipPolygonXY(rectPts(p25, y-half, p75, y+half)))
			dc.StrokeLines(solid(darken(col, 0.2), 1), dc.ClipLinesXY(append(rectPts(p25, y-half, p75, y+half), vg.Point{X: p25, Y: y - half}))...)
			dc.StrokeLine2(solid(darken(col, 0.45), 2.4), p50, y-half, p50, y+half)
			plan := trX(r.Det.Plan.NPV)
			dc.StrokeLine2(planStyle, plan, y-half*1.25, plan, y+half*1.25)
			dc.DrawGlyph(draw.GlyphStyle{Color: colBlack, Radius: vg.Points(3.2), Shape: draw.PyramidGlyph{}}, vg.Point{X: trX(m.Mean), Y: y})

			// Right of the whisker and the plan line, which the range
			// leaves room for; kept within the plot all the same.
			txt := lossText(r)
			w := lossSty.Width(txt) + vg.Points(4)
			x := max(p95, plan) + vg.Points(gapPt)
			x = max(min(x, dc.Max.X-w), dc.Min.X)
			labelBox(dc, lossSty, x-vg.Points(2), y+lossSty.Height(txt)/2+vg.Points(1), txt)
		}
	}))
	span := hi - lo
	if !(span > 0) {
		span = math.Max(math.Abs(hi)*0.1, 1)
	}
	p.X.Min = lo - span*0.06
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.Y.Padding = 0
	ch := &Chart{
		Name:     "comparison_npv",
		Title:    l.T("NPV by scenario · box P25–P75, whiskers P5–P95, P(loss) beside"),
		Subtitle: comparisonSubtitle(c, l),
		Plot:     p,
		legend: []legendItem{
			{label: "P25–P75", fill: tint(colBlue, 0.55)},
			{label: l.T("Median"), line: solid(darken(colBlue, 0.45), 2.4)},
			{label: l.T("▲ mean"), line: draw.LineStyle{}},
			{label: l.T("Plan case"), line: planStyle},
		},
	}
	// The names, and so the room right of the boxes, depend on the size
	// the chart is drawn at.
	ch.fit = func(w, h vg.Length) {
		names := axisNames(c.Labels, w, h*plotShare/vg.Length(n))
		tickSty := textStyle(tickFontSize, false, colText, draw.XRight, draw.YCenter)
		axisW := vg.Length(0)
		for i := range c.Runs {
			ticks[i] = plot.Tick{Value: float64(n - 1 - i), Label: names.Names[i]}
			for _, line := range strings.Split(names.Names[i], "\n") {
				axisW = max(axisW, tickSty.Width(line))
			}
		}
		ch.foot = names.Foot
		// The data area is about the chart's width less the names' axis;
		// each P(loss) needs its width right of its whisker or plan line:
		// the range ends where the most demanding one fits.
		dataW := w - vg.Points(10) - axisW - vg.Points(14)
		p.X.Max = hi + span*0.04
		for _, r := range c.Runs {
			right := math.Max(r.Result.Metrics[0].Pct[pctP95], r.Det.Plan.NPV)
			f := float64((lossSty.Width(lossText(r)) + vg.Points(gapPt+6)) / dataW)
			if f > 0 && f < 0.9 {
				p.X.Max = math.Max(p.X.Max, (right-f*p.X.Min)/(1-f))
			}
		}
	}
	ch.fit(ChartWidth, ChartHeight)
	return ch, nil
}

// ComparisonCDFChart is comparison_cdf: every scenario's S-curve of NPV on
// one chart, with the point where each crosses zero (its P(loss)).
func ComparisonCDFChart(c *Comparison, l Lang) (*Chart, error) {
	if len(c.Runs) == 0 {
		return nil, errors.New("no scenarios to compare")
	}
	const points = 1000
	levels := make([]float64, points+1)
	for i := range levels {
		levels[i] = float64(i) / points
	}
	cur := c.Runs[0].Scenario.Currency
	p := newPlot()
	p.X.Label.Text = l.Tf("NPV, %s", CurrencySign(cur))
	p.Y.Label.Text = l.T("Cumulative probability")
	p.X.Tick.Marker = moneyTicks(l, cur)
	p.Y.Tick.Marker = percentTicks(l, 5)
	p.Add(grid(true), zeroLineX())
	// S-curves leave the lower right corner empty.
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(8), vg.Points(8)
	p.Legend.ThumbnailWidth = vg.Points(22)
	p.Legend.Padding = vg.Points(2.5)
	suffix := make([]string, len(c.Runs))
	for i, r := range c.Runs {
		suffix[i] = l.Tf(" · P(loss) %s", l.Percent(lossProb(r.Result)))
	}
	var thumbs []plot.Thumbnailer
	for i, npv := range c.NPV {
		if len(npv) == 0 {
			return nil, ErrNoValues
		}
		q := sim.Quantiles(npv, levels)
		xy := make(plotter.XYs, len(q))
		for k, v := range q {
			xy[k] = plotter.XY{X: v, Y: levels[k]}
		}
		line, err := plotter.NewLine(xy)
		if err != nil {
			return nil, err
		}
		line.LineStyle = scenarioLine(i, 2)
		p.Add(line)
		thumbs = append(thumbs, line)
	}
	p.Add(drawFunc(func(dc draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&dc)
		if !(0 >= p.X.Min && 0 <= p.X.Max) {
			return
		}
		for i, r := range c.Runs {
			col := scenarioColors[i%len(scenarioColors)]
			dc.DrawGlyph(draw.GlyphStyle{Color: col, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}},
				vg.Point{X: trX(0), Y: trY(lossProb(r.Result))})
		}
	}))
	p.Y.Min, p.Y.Max = 0, 1
	ch := &Chart{
		Name:     "comparison_cdf",
		Title:    l.T("NPV S-curves · the further right, the better; dots: P(loss)"),
		Subtitle: comparisonSubtitle(c, l),
		Plot:     p,
	}
	fitLegend(ch, c.Labels, suffix, thumbs)
	return ch, nil
}

// ComparisonFanChart is comparison_fan: every scenario's median cumulative
// cash flow with its P10–P90 band, over months 0..H.
func ComparisonFanChart(c *Comparison, l Lang) (*Chart, error) {
	if len(c.Runs) == 0 {
		return nil, errors.New("no scenarios to compare")
	}
	cur := c.Runs[0].Scenario.Currency
	h := 0
	for _, r := range c.Runs {
		h = max(h, len(r.Result.Bands))
	}
	p := newPlot()
	p.X.Label.Text = l.T("Month")
	p.Y.Label.Text = l.Tf("Cumulative cash flow, %s", CurrencySign(cur))
	p.X.Tick.Marker = monthTicks(float64(h))
	p.Y.Tick.Marker = moneyTicks(l, cur)
	p.Add(grid(false))
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(8), -vg.Points(6)
	p.Legend.ThumbnailWidth = vg.Points(22)
	p.Legend.Padding = vg.Points(2.5)
	band := func(r *Run, k int) plotter.XYs {
		xy := plotter.XYs{{X: 0, Y: 0}}
		for _, b := range r.Result.Bands {
			xy = append(xy, plotter.XY{X: float64(b.Month), Y: b.Pct[k]})
		}
		return xy
	}
	ymin, ymax := 0.0, 0.0
	var lines []plot.Plotter
	suffix := make([]string, len(c.Runs))
	for i, r := range c.Runs {
		suffix[i] = l.Tf(" · median breaks even in month %d", MedianBreakEven(r.Result.Bands))
		if MedianBreakEven(r.Result.Bands) == 0 {
			suffix[i] = l.Tf(" · median does not break even within %d months", len(r.Result.Bands))
		}
	}
	var thumbs []plot.Thumbnailer
	for i, r := range c.Runs {
		col := scenarioColors[i%len(scenarioColors)]
		lo, hi := band(r, bandP10), band(r, bandP90)
		poly := append(plotter.XYs{}, lo...)
		for k := len(hi) - 1; k >= 0; k-- {
			poly = append(poly, hi[k])
		}
		pg, err := plotter.NewPolygon(poly)
		if err != nil {
			return nil, err
		}
		pg.Color = color.NRGBA{col.R, col.G, col.B, 0x30}
		pg.LineStyle = draw.LineStyle{Color: color.NRGBA{col.R, col.G, col.B, 0x90}, Width: vg.Points(0.6)}
		p.Add(pg)
		med, err := plotter.NewLine(band(r, bandP50))
		if err != nil {
			return nil, err
		}
		med.LineStyle = scenarioLine(i, 2.2)
		lines = append(lines, med)
		thumbs = append(thumbs, med)
		for _, xy := range [][]plotter.XY{lo, hi} {
			for _, v := range xy {
				ymin, ymax = math.Min(ymin, v.Y), math.Max(ymax, v.Y)
			}
		}
	}
	p.Add(zeroLineY())
	p.Add(lines...)
	pad := (ymax - ymin) * 0.06
	if !(pad > 0) {
		pad = 1
	}
	p.X.Min, p.X.Max = 0, float64(h)
	p.Y.Min, p.Y.Max = ymin-pad, ymax+pad*(2+float64(len(c.Runs)))
	ch := &Chart{
		Name:     "comparison_fan",
		Title:    l.T("Cumulative cash flow by scenario · median and P10–P90"),
		Subtitle: comparisonSubtitle(c, l),
		Plot:     p,
		legend:   []legendItem{{label: l.T("Median"), line: solid(colText, 2.2)}, {label: "P10–P90", fill: tint(colText, 0.8)}},
	}
	fitLegend(ch, c.Labels, suffix, thumbs)
	// On a small chart whose foot lists the names, the axis's label may be
	// longer than the plot is high: the currency alone then (the title
	// says what is plotted).
	fitNames := ch.fit
	yLabel := p.Y.Label.Text
	ch.fit = func(w, h vg.Length) {
		fitNames(w, h)
		p.Y.Label.Text = yLabel
		if p.Y.Label.TextStyle.Width(yLabel) > h*plotShare-footHeight(ch.foot)-vg.Points(12) {
			p.Y.Label.Text = CurrencySign(cur)
		}
	}
	ch.fit(ChartWidth, ChartHeight)
	return ch, nil
}

// fitLegend names the options in the legend of ch (whose plot's legend has
// its style but no entries yet), entry i being the name and suffix[i] by
// thumbs[i]: whole or keyed (legendNames) for the size ch is drawn at.
func fitLegend(ch *Chart, labels, suffix []string, thumbs []plot.Thumbnailer) {
	style := ch.Plot.Legend
	ch.fit = func(w, _ vg.Length) {
		names := legendNames(labels, suffix, w)
		ch.Plot.Legend = style
		for i, th := range thumbs {
			ch.Plot.Legend.Add(names.Names[i]+suffix[i], th)
		}
		ch.foot = names.Foot
	}
	ch.fit(ChartWidth, ChartHeight)
}

// RenderComparisonCharts builds and renders every chart of
// ComparisonChartNames in format ("png" or "svg"), and always as PNG for
// the report, concurrently, in order.
func RenderComparisonCharts(c *Comparison, l Lang, format string) ([]RenderedChart, error) {
	return renderAll(ComparisonChartNames, func(name string) (*Chart, error) { return BuildComparisonChart(name, c, l) }, format, true)
}
