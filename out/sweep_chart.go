package out

import (
	"fmt"
	"image/color"
	"math"

	"github.com/crmroi/crmroi/model"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// subtitle is the second line of the sweep charts.
// scenarioLabelIn is ScenarioLabel for a reader of l: the built-in
// scenario's name translated (model.Scenario.TitleIn).
func scenarioLabelIn(s *model.Scenario, l Lang) string {
	if t := s.TitleIn(string(l)); t != s.Title() {
		return t
	}
	return ScenarioLabel(s)
}

func (s *Sweep) subtitle(l Lang) string {
	r := s.Runs[0]
	return scenarioLabelIn(s.Base, l) + " · " + l.Tf("%s iterations · seed %d", l.Number(float64(r.iterations()), 0), r.seed()) +
		" · " + l.T("common random numbers")
}

// BuildSweepChart builds the sweep chart called name (one of s.ChartNames()).
func BuildSweepChart(name string, s *Sweep, l Lang) (*Chart, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	switch {
	case name == "sweep" && len(s.Axes) == 1:
		return SweepChart(s, l)
	case name == "sweep_map" && len(s.Axes) == 2:
		return SweepMap(s, l)
	}
	return nil, fmt.Errorf("no chart called %q for a sweep of %d parameters", name, len(s.Axes))
}

// RenderSweepCharts builds and renders the sweep's charts in format ("png" or "svg").
func RenderSweepCharts(s *Sweep, l Lang, format string) ([]RenderedChart, error) {
	return renderAll(s.ChartNames(), func(name string) (*Chart, error) { return BuildSweepChart(name, s, l) }, format, false)
}

// axisTicks labels a swept parameter's axis: plain numbers for numeric values,
// each value's text at its position otherwise. Labels are left out when bare.
func axisTicks(a SweepAxis, l Lang, bare bool) plot.Ticker {
	if a.Numeric {
		return ticks{n: 6, label: func(v, step float64) string {
			if bare {
				return ""
			}
			if v == 0 {
				return "0"
			}
			if s := scaleFor(math.Max(math.Abs(v), step)); s.div >= 1e3 {
				return l.scaled(v, step)
			}
			return typoMinus(l.Number(v, stepDecimals(step)))
		}}
	}
	ts := make([]plot.Tick, len(a.Values))
	for i, v := range a.Values {
		ts[i] = plot.Tick{Value: float64(i)}
		if !bare {
			ts[i].Label = shortLabel(v)
		}
	}
	return plot.ConstantTicks(ts)
}

// axisRange sets the plot's horizontal range to the axis's values with a margin.
func axisRange(p *plot.Plot, a SweepAxis) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range a.X {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	if !a.Numeric {
		p.X.Min, p.X.Max = lo-0.5, hi+0.5
		return
	}
	pad := (hi - lo) * 0.04
	if !(pad > 0) {
		pad = math.Max(math.Abs(lo)*0.05, 0.5)
	}
	p.X.Min, p.X.Max = lo-pad, hi+pad
}

// crossingMarkers marks crossings as vertical lines labelled with text(c).
func crossingMarkers(a SweepAxis, cs []Crossing, col color.RGBA, text func(Crossing) string) []marker {
	var ms []marker
	for _, c := range cs {
		x := c.Value
		if !a.Numeric {
			x = (a.X[c.From] + a.X[c.To]) / 2
		}
		ms = append(ms, marker{x: x, label: text(c), line: dashed(col, 1.3), color: darken(col, 0.3)})
	}
	return ms
}

// SweepChart is sweep: above, P50 NPV with its P5–P95 band against the swept
// value, where P50 crosses zero marked; below, P(loss) against the value, with
// the accepted risk and where P(loss) crosses it.
func SweepChart(s *Sweep, l Lang) (*Chart, error) {
	a := s.Axes[0]
	cur := s.Base.Currency
	n := len(a.Values)
	p50 := make(plotter.XYs, n)
	loss := make(plotter.XYs, n)
	band := make(plotter.XYs, 0, 2*n)
	ymin, ymax := 0.0, 0.0
	for i := range n {
		m := s.Runs[i].Result.Metrics[0]
		p50[i] = plotter.XY{X: a.X[i], Y: m.Pct[pctP50]}
		loss[i] = plotter.XY{X: a.X[i], Y: lossProb(s.Runs[i].Result)}
		band = append(band, plotter.XY{X: a.X[i], Y: m.Pct[pctP5]})
		ymin, ymax = math.Min(ymin, m.Pct[pctP5]), math.Max(ymax, m.Pct[pctP95])
	}
	for i := n - 1; i >= 0; i-- {
		band = append(band, plotter.XY{X: a.X[i], Y: s.Runs[i].Result.Metrics[0].Pct[pctP95]})
	}
	be := s.BreakEvens()[0]

	top := newPlot()
	top.Y.Label.Text = l.Tf("NPV, %s", CurrencySign(cur))
	top.Y.Tick.Marker = moneyTicks(l, cur)
	top.X.Tick.Marker = axisTicks(a, l, true)
	bandCol := tint(colBlue, 0.72)
	pg, err := plotter.NewPolygon(band)
	if err != nil {
		return nil, err
	}
	pg.Color = bandCol
	pg.LineStyle.Width = 0
	medLine := solid(darken(colBlue, 0.3), 2.2)
	med, pts, err := plotter.NewLinePoints(p50)
	if err != nil {
		return nil, err
	}
	med.LineStyle = medLine
	pts.GlyphStyle = draw.GlyphStyle{Color: darken(colBlue, 0.3), Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	top.Add(grid(true), pg, zeroLineY(), med, pts)
	top.Add(markers(crossingMarkers(a, be.NPV, colGreen, func(c Crossing) string {
		if a.Numeric {
			return l.Tf("P50 NPV = 0 at %s", l.plain(c.Value))
		}
		return l.T("P50 NPV = 0")
	})))
	axisRange(top, a)
	pad := (ymax - ymin) * 0.06
	if !(pad > 0) {
		pad = 1
	}
	top.Y.Min, top.Y.Max = ymin-pad, ymax+pad*4

	bottom := newPlot()
	bottom.X.Label.Text = l.Label(a.Param)
	bottom.X.Tick.Marker = axisTicks(a, l, false)
	bottom.Y.Label.Text = l.T("P(loss)")
	bottom.Y.Tick.Marker = percentTicks(l, 4)
	lossLine := solid(colVermillion, 2)
	ll, lp, err := plotter.NewLinePoints(loss)
	if err != nil {
		return nil, err
	}
	ll.LineStyle = lossLine
	lp.GlyphStyle = draw.GlyphStyle{Color: colVermillion, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	riskLine := dashed(colText, 1.1)
	riskText := l.Tf("accepted risk %s", l.Percent(s.Risk))
	bottom.Add(grid(true), drawFunc(func(c draw.Canvas, p *plot.Plot) {
		_, trY := p.Transforms(&c)
		y := trY(s.Risk)
		c.StrokeLine2(riskLine, c.Min.X, y, c.Max.X, y)
		sty := textStyle(8.5, false, colText, draw.XLeft, draw.YBottom)
		labelBox(c, sty, c.Min.X+vg.Points(4), y+sty.Height(riskText)+vg.Points(3), riskText)
	}), ll, lp)
	bottom.Add(markers(crossingMarkers(a, be.Loss, colText, func(c Crossing) string {
		if a.Numeric {
			return l.Tf("P(loss) = %s at %s", l.Percent(s.Risk), l.plain(c.Value))
		}
		return l.Tf("P(loss) = %s", l.Percent(s.Risk))
	})))
	axisRange(bottom, a)
	lmax := s.Risk
	for _, v := range loss {
		lmax = math.Max(lmax, v.Y)
	}
	bottom.Y.Min, bottom.Y.Max = 0, math.Min(1, lmax*1.3+0.02)

	panels := [][]*plot.Plot{{top}, {bottom}}
	var gateLine draw.LineStyle
	if s.BestGate() >= 0 { // a gate's parameter is swept: its value, between the two
		var gp *plot.Plot
		gp, gateLine = s.gatePanel(l)
		panels = [][]*plot.Plot{{top}, {gp}, {bottom}}
	}
	outer := newPlot()
	outer.HideAxes()
	outer.X.Min, outer.X.Max, outer.Y.Min, outer.Y.Max = 0, 1, 0, 1
	outer.Add(drawFunc(func(c draw.Canvas, _ *plot.Plot) {
		tiles := draw.Tiles{Rows: len(panels), Cols: 1, PadY: vg.Points(6)}
		cs := plot.Align(panels, tiles, c)
		for i, row := range panels {
			row[0].Draw(cs[i][0])
		}
	}))
	title := l.Tf("NPV and P(loss) across %s", l.Label(a.Param))
	if len(be.NPV) > 0 && a.Numeric {
		title = l.Tf("NPV and P(loss) across %s · P50 NPV = 0 at %s", l.Label(a.Param), l.plain(be.NPV[0].Value))
	}
	legend := []legendItem{
		{label: "P5–P95", fill: bandCol},
		{label: "P50", line: medLine},
		{label: l.T("P(loss)"), line: lossLine},
		{label: l.T("Accepted risk"), line: riskLine},
	}
	if len(panels) == 3 {
		legend = append(legend, legendItem{label: l.T("Value of the gate ± 2 se"), line: gateLine})
	}
	return &Chart{
		Name:     "sweep",
		Title:    title,
		Subtitle: s.subtitle(l),
		Plot:     outer,
		legend:   legend,
	}, nil
}

// gatePanel is the sweep chart's panel of the value of the gate against
// the swept value, with ±2 standard errors and the best value marked.
func (s *Sweep) gatePanel(l Lang) (*plot.Plot, draw.LineStyle) {
	a := s.Axes[0]
	p := newPlot()
	p.Y.Label.Text = l.Tf("Value of the gate, %s", CurrencySign(s.Base.Currency))
	p.Y.Tick.Marker = moneyTicks(l, s.Base.Currency)
	p.X.Tick.Marker = axisTicks(a, l, true)
	col := darken(colGreen, 0.2)
	line := solid(col, 2)
	var xy plotter.XYs
	lo, hi := 0.0, 0.0
	type bar struct{ x, lo, hi float64 }
	var bars []bar
	for i := range a.Values {
		f := GateOf(s.Runs[i])
		if f == nil {
			continue
		}
		xy = append(xy, plotter.XY{X: a.X[i], Y: f.Value})
		bars = append(bars, bar{a.X[i], f.Value - 2*f.SE, f.Value + 2*f.SE})
		lo, hi = math.Min(lo, f.Value-2*f.SE), math.Max(hi, f.Value+2*f.SE)
	}
	if ln, pts, err := plotter.NewLinePoints(xy); err == nil {
		ln.LineStyle = line
		pts.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Add(grid(true), zeroLineY(), ln, pts)
	}
	p.Add(drawFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&c)
		for _, b := range bars {
			c.StrokeLine2(solid(col, 1.2), trX(b.x), trY(b.lo), trX(b.x), trY(b.hi))
		}
	}))
	if k := s.BestGate(); k >= 0 {
		best := a.X[k/s.inner()]
		p.Add(markers([]marker{{x: best, label: l.Tf("best %s", a.Values[k/s.inner()]), line: dashed(col, 1.3), color: darken(col, 0.3)}}))
	}
	axisRange(p, a)
	pad := (hi - lo) * 0.08
	if !(pad > 0) {
		pad = 1
	}
	p.Y.Min, p.Y.Max = lo-pad, hi+pad*3
	return p, line
}

// lossScale is the P(loss) at which the heat map's colour is darkest.
const lossScale = 0.5

// lossColor is the heat map's colour for a P(loss): light for low, dark vermillion for high.
func lossColor(p float64) color.RGBA {
	f := math.Min(math.Max(p/lossScale, 0), 1)
	return tint(darken(colVermillion, 0.25), 0.92*(1-f))
}

// SweepMap is sweep_map: a heat map of P(loss) over the grid of two swept
// parameters, each cell labelled with P(loss) and P50 NPV, and the cells
// within the accepted risk outlined.
func SweepMap(s *Sweep, l Lang) (*Chart, error) {
	a, b := s.Axes[0], s.Axes[1]
	ax, bx := a, b
	// Cells have equal sizes whatever the values: the axes show positions.
	ax.Numeric, bx.Numeric = false, false
	ax.X, bx.X = positions(len(a.Values)), positions(len(b.Values))
	cur := s.Base.Currency
	p := newPlot()
	p.X.Label.Text = l.Label(a.Param)
	p.Y.Label.Text = l.Label(b.Param)
	p.X.Tick.Marker = axisTicks(ax, l, false)
	p.Y.Tick.Marker = axisTicks(bx, l, false)
	p.X.Tick.Length, p.Y.Tick.Length = 0, 0
	okLine := solid(colGreen, 2.4)
	p.Add(drawFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&c)
		for i := range a.Values {
			for j := range b.Values {
				r := s.Cell(i, j)
				x0, x1 := trX(float64(i)-0.5), trX(float64(i)+0.5)
				y0, y1 := trY(float64(j)-0.5), trY(float64(j)+0.5)
				fill := lossColor(lossProb(r.Result))
				c.FillPolygon(fill, rectPts(x0, y0, x1, y1))
				c.StrokeLines(solid(color.White, 1), append(rectPts(x0, y0, x1, y1), vg.Point{X: x0, Y: y0}))
				if lossProb(r.Result) <= s.Risk {
					in := vg.Points(2)
					c.StrokeLines(okLine, append(rectPts(x0+in, y0+in, x1-in, y1-in), vg.Point{X: x0 + in, Y: y0 + in}))
				}
				ink := colText
				if float64(fill.R)*0.299+float64(fill.G)*0.587+float64(fill.B)*0.114 < 140 {
					ink = color.RGBA{0xff, 0xff, 0xff, 0xff}
				}
				top := l.Percent(lossProb(r.Result))
				sub := l.MoneyCompact(r.Result.Metrics[0].Pct[pctP50], cur)
				big := textStyle(9, true, ink, draw.XCenter, draw.YBottom)
				small := textStyle(7.5, false, ink, draw.XCenter, draw.YTop)
				w := x1 - x0 - vg.Points(4)
				h := y1 - y0
				if big.Width(top) > w || big.Height(top)+small.Height(sub) > h-vg.Points(2) {
					continue
				}
				mid := vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}
				c.FillText(big, vg.Point{X: mid.X, Y: mid.Y + vg.Points(0.5)}, top)
				if small.Width(sub) <= w {
					c.FillText(small, vg.Point{X: mid.X, Y: mid.Y - vg.Points(0.5)}, sub)
				}
			}
		}
	}))
	p.X.Min, p.X.Max = -0.5, float64(len(a.Values))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(b.Values))-0.5
	p.X.Padding, p.Y.Padding = 0, 0
	legend := []legendItem{}
	for _, v := range []float64{0, 0.125, 0.25, 0.375, 0.5} {
		lab := l.Percent(v)
		if v == lossScale {
			lab = "≥ " + lab
		}
		legend = append(legend, legendItem{label: lab, fill: lossColor(v)})
	}
	legend = append(legend, legendItem{label: l.Tf("P(loss) ≤ %s", l.Percent(s.Risk)), line: okLine})
	return &Chart{
		Name:     "sweep_map",
		Title:    l.Tf("P(loss) over %s × %s · cells: P(loss) and P50 NPV", l.Label(a.Param), l.Label(b.Param)),
		Subtitle: s.subtitle(l),
		Plot:     p,
		legend:   legend,
	}, nil
}

// positions returns 0, 1, …, n−1.
func positions(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i)
	}
	return x
}
