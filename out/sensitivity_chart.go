package out

import (
	"fmt"
	"image/color"
	"math"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MaxSpiderLines is how many inputs the spider chart shows at most.
const MaxSpiderLines = 8

// MaxSobolRows is how many inputs the Sobol chart shows at most.
const MaxSobolRows = 20

// seriesColors are the Okabe–Ito colours for series, in order.
var seriesColors = []color.RGBA{colBlue, colOrange, colGreen, colVermillion, colSky, colPurple, colBlack,
	tint(colBlue, 0.5), tint(colOrange, 0.5), tint(colGreen, 0.5)}

// sensitivitySubtitle is the second line of the sensitivity charts.
func sensitivitySubtitle(sr *SensitivityRun, l Lang) string {
	return sr.Scenario.TitleIn(string(l)) + " · " + l.Tf("Sobol N = %s, %s model runs · seed %d", l.Number(float64(sr.Sens.Base), 0),
		l.Number(float64(sr.Sens.ModelRuns), 0), sr.Sens.Seed)
}

// outputLabel names the primary output on an axis.
func outputLabel(sr *SensitivityRun, l Lang) string {
	if sr.Sens.Info.Unit == model.UnitMoney {
		return sr.Sens.Info.Label.In(string(l)) + ", " + CurrencySign(sr.Scenario.Currency)
	}
	return sr.Sens.Output
}

// BuildSensitivityChart builds the chart called name (one of SensitivityChartNames).
func BuildSensitivityChart(name string, sr *SensitivityRun, l Lang) (*Chart, error) {
	switch name {
	case "tornado":
		return SensitivityTornado(sr, l)
	case "spider":
		return SpiderChart(sr, l)
	case "sobol":
		return SobolChart(sr, l)
	case "sensitivity_over_time":
		return SharesOverTimeChart(sr, l)
	case "voi":
		if sr.Sens.VOI == nil {
			return &Chart{Name: "voi", Title: l.T("What is it worth to know an input before deciding? · EVPPI, largest first"),
				Message: l.Tf("The value of information needs at least %d iterations (-n)", sim.MinVOIIterations)}, nil
		}
		return VOIChart(voiRunOf(sr.Scenario, sr.Sens.VOI), l)
	}
	return nil, fmt.Errorf("no sensitivity chart called %q", name)
}

// SensitivityTornado is the tornado of `run` drawn from the one-at-a-time
// analysis (P10 and P90 of each input, others at plan, no risk event).
func SensitivityTornado(sr *SensitivityRun, l Lang) (*Chart, error) {
	r := sr.Sens
	run := &Run{Scenario: sr.Scenario, Result: &sim.Result{Iterations: r.Iterations, Config: sim.Config{Seed: r.Seed}}}
	run.Det.Plan.NPV = r.Plan
	for _, o := range r.OAT {
		n := len(o.Outputs) - 1
		run.Det.Tornado = append(run.Det.Tornado, model.TornadoRow{Input: o.Input, Plan: o.Plan, LowValue: o.Values[0], HighValue: o.Values[n],
			NPVLow: o.Outputs[0], NPVHigh: o.Outputs[n], Swing: o.Swing})
	}
	return TornadoChart(run, l)
}

// SpiderChart is spider: the primary output as each of the inputs with the
// largest swings (at most MaxSpiderLines) moves through its P10, P25, P50,
// P75 and P90, the others at plan.
func SpiderChart(sr *SensitivityRun, l Lang) (*Chart, error) {
	r := sr.Sens
	ch := &Chart{Name: "spider", Title: l.Tf("Spider · %s as each input moves through its percentiles, others at plan", l.Label(r.Output)),
		Subtitle: sensitivitySubtitle(sr, l)}
	rows := r.OAT
	if len(rows) > MaxSpiderLines {
		rows = rows[:MaxSpiderLines]
	}
	if len(rows) == 0 {
		ch.Message = l.T("No uncertain inputs")
		return ch, nil
	}
	p := newPlot()
	p.X.Label.Text = l.T("Percentile of the input")
	p.Y.Label.Text = outputLabel(sr, l)
	p.X.Tick.Marker = percentTicks(l, 8)
	if r.Info.Unit == model.UnitMoney {
		p.Y.Tick.Marker = moneyTicks(l, sr.Scenario.Currency)
	}
	p.Add(grid(true))
	lo, hi := r.Plan, r.Plan
	for i, o := range rows {
		pts := make(plotter.XYs, len(o.Outputs))
		for k, v := range o.Outputs {
			pts[k] = plotter.XY{X: sim.SpiderLevels[k], Y: v}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		line, sc, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		c := seriesColors[i%len(seriesColors)]
		line.LineStyle = solid(c, 1.6)
		sc.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(2.4), Shape: draw.CircleGlyph{}}
		p.Add(line, sc)
		p.Legend.Add(l.Label(o.Input), line, sc)
	}
	planLine := plotter.NewFunction(func(float64) float64 { return r.Plan })
	planLine.LineStyle = dashed(colMuted, 1)
	p.Add(planLine)
	span := hi - lo
	if span <= 0 {
		span = math.Max(math.Abs(r.Plan)*0.1, 1)
	}
	p.X.Min, p.X.Max = 0.08, 0.92
	p.Y.Min, p.Y.Max = lo-span*0.06, hi+span*0.06
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(8), -vg.Points(4)
	p.Legend.Padding = vg.Points(1)
	ch.Plot = p
	ch.legend = []legendItem{{label: l.Tf("Plan %s", l.MoneyCompact(r.Plan, sr.Scenario.Currency)), line: dashed(colMuted, 1)}}
	if r.Info.Unit != model.UnitMoney {
		ch.legend[0].label = l.Tf("Plan %s", l.plain(r.Plan))
	}
	return ch, nil
}

// SobolChart is sobol: the first-order and total Sobol indices of the inputs
// with the largest total index (at most MaxSobolRows), with their bootstrap
// 95% intervals.
func SobolChart(sr *SensitivityRun, l Lang) (*Chart, error) {
	r := sr.Sens
	ch := &Chart{Name: "sobol", Title: l.Tf("Sobol indices of %s · share of its variance, alone (first order) and with interactions (total)", l.Label(r.Output)),
		Subtitle: sensitivitySubtitle(sr, l)}
	rows := sortedBySobol(r.Inputs)
	if len(rows) > MaxSobolRows {
		rows = rows[:MaxSobolRows]
	}
	if len(rows) == 0 || math.IsNaN(rows[0].SobolTotal) {
		ch.Message = l.T("No Sobol indices: the output does not vary")
		return ch, nil
	}
	n := len(rows)
	firstCol, totalCol := colBlue, colOrange
	p := newPlot()
	p.X.Label.Text = l.T("Share of variance")
	p.X.Tick.Marker = percentTicks(l, 8)
	names := make([]plot.Tick, n)
	hi := 0.0
	for i, in := range rows {
		names[i] = plot.Tick{Value: float64(n - 1 - i), Label: l.Label(in.Name)}
		hi = math.Max(hi, math.Max(in.SobolTotalCI[1], in.SobolFirstCI[1]))
	}
	p.Y.Tick.Marker = plot.ConstantTicks(names)
	p.Y.Tick.Length = 0
	p.Y.LineStyle.Width = 0
	p.Add(grid(true))
	p.Add(drawFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&c)
		half := (trY(0) - trY(1)) * 0.2
		if half < 0 {
			half = -half
		}
		whisker := solid(colText, 0.9)
		for i, in := range rows {
			y := trY(float64(n - 1 - i))
			for k, bar := range []struct {
				v   float64
				ci  [2]float64
				col color.Color
			}{{in.SobolTotal, in.SobolTotalCI, totalCol}, {in.SobolFirst, in.SobolFirstCI, firstCol}} {
				yc := y + half*1.05
				if k == 1 {
					yc = y - half*1.05
				}
				if !math.IsNaN(bar.v) {
					c.FillPolygon(bar.col, c.ClipPolygonXY(rectPts(trX(0), yc-half, trX(bar.v), yc+half)))
				}
				if !math.IsNaN(bar.ci[0]) {
					x0, x1 := trX(bar.ci[0]), trX(bar.ci[1])
					c.StrokeLines(whisker, c.ClipLinesXY([]vg.Point{{X: x0, Y: yc}, {X: x1, Y: yc}})...)
					for _, x := range []vg.Length{x0, x1} {
						c.StrokeLines(whisker, c.ClipLinesXY([]vg.Point{{X: x, Y: yc - half*0.6}, {X: x, Y: yc + half*0.6}})...)
					}
				}
			}
		}
		zero := trX(0)
		c.StrokeLine2(solid(colAxis, 0.8), zero, c.Min.Y, zero, c.Max.Y)
	}))
	lo := 0.0
	for _, in := range rows {
		lo = math.Min(lo, math.Min(in.SobolFirstCI[0], in.SobolFirst))
	}
	p.X.Min, p.X.Max = math.Min(lo*1.1, -0.01), math.Max(hi*1.08, 0.05)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.Y.Padding = 0
	ch.Plot = p
	ch.legend = []legendItem{
		{label: l.T("First order"), fill: firstCol},
		{label: l.T("Total"), fill: totalCol},
		{label: l.T("95% interval"), line: solid(colText, 0.9)},
	}
	return ch, nil
}

// SharesOverTimeChart is sensitivity_over_time: for every month, the share of
// the variance of the cumulative cash flow explained by each group alone,
// stacked, and the rest (interactions) on top.
func SharesOverTimeChart(sr *SensitivityRun, l Lang) (*Chart, error) {
	r := sr.Sens
	ch := &Chart{Name: "sensitivity_over_time", Title: l.T("What drives the cumulative cash flow, month by month · share of its variance by group"),
		Subtitle: sensitivitySubtitle(sr, l)}
	if len(r.OverTime) == 0 || len(r.Groups) == 0 {
		ch.Message = l.T("No month-by-month shares: the model has no months or no groups")
		return ch, nil
	}
	ng := len(r.Groups)
	h := len(r.OverTime)
	// Stacked layers: each group's share clipped to [0, 1], the rest on top.
	stack := make([][]float64, ng+1) // cumulative tops per layer, per month
	for g := range stack {
		stack[g] = make([]float64, h)
	}
	for t, m := range r.OverTime {
		top := 0.0
		for g := 0; g < ng; g++ {
			v := m.Shares[g]
			if math.IsNaN(v) || m.Variance == 0 {
				v = 0
			}
			top = math.Min(top+math.Max(v, 0), 1)
			stack[g][t] = top
		}
		if m.Variance > 0 {
			stack[ng][t] = 1
		} else {
			stack[ng][t] = top
		}
	}
	colors := make([]color.Color, ng+1)
	for g := 0; g < ng; g++ {
		colors[g] = seriesColors[g%len(seriesColors)]
		if r.Groups[g].Name == model.RiskGroup {
			colors[g] = color.RGBA{0xb0, 0xb0, 0xb0, 0xff}
		}
	}
	colors[ng] = color.RGBA{0xe8, 0xe8, 0xe8, 0xff}
	p := newPlot()
	p.X.Label.Text = l.T("Month")
	p.Y.Label.Text = l.T("Share of the variance of the cumulative cash flow")
	p.X.Tick.Marker = monthTicks(float64(h))
	p.Y.Tick.Marker = percentTicks(l, 5)
	p.Add(drawFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&c)
		for g := ng; g >= 0; g-- {
			var pts []vg.Point
			for t := 0; t < h; t++ {
				x := float64(t + 1)
				pts = append(pts, vg.Point{X: trX(x - 0.5), Y: trY(stack[g][t])}, vg.Point{X: trX(x + 0.5), Y: trY(stack[g][t])})
			}
			pts = append(pts, vg.Point{X: trX(float64(h) + 0.5), Y: trY(0)}, vg.Point{X: trX(0.5), Y: trY(0)})
			c.FillPolygon(colors[g], c.ClipPolygonXY(pts))
		}
	}))
	p.Add(grid(false))
	p.X.Min, p.X.Max = 0.5, float64(h)+0.5
	p.Y.Min, p.Y.Max = 0, 1
	ch.Plot = p
	for g := 0; g < ng; g++ {
		ch.legend = append(ch.legend, legendItem{label: l.Label(r.Groups[g].Name), fill: colors[g]})
	}
	ch.legend = append(ch.legend, legendItem{label: l.T("interactions"), fill: colors[ng]})
	return ch, nil
}

// RenderSensitivityCharts builds every chart of SensitivityChartNames and
// renders it in format ("png" or "svg") and as PNG for the report, concurrently.
func RenderSensitivityCharts(sr *SensitivityRun, lang Lang, format string) ([]RenderedChart, error) {
	return renderAll(SensitivityChartNames, func(name string) (*Chart, error) { return BuildSensitivityChart(name, sr, lang) }, format, true)
}
