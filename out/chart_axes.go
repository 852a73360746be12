package out

import (
	"image/color"
	"math"
	"sort"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// niceStep returns a step of 1, 2, 2.5 or 5 × 10^k that cuts span into about n parts.
func niceStep(span float64, n int) float64 {
	if !(span > 0) || math.IsInf(span, 0) {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw*0.999 {
			return m * mag
		}
	}
	return 10 * mag
}

// stepDecimals is the fewest decimals (at most 4) that write every multiple of step exactly.
func stepDecimals(step float64) int {
	for d := 0; d < 4; d++ {
		x := step * math.Pow10(d)
		if math.Abs(x-math.Round(x)) < 1e-6*math.Max(1, x) {
			return d
		}
	}
	return 4
}

// ticks is a plot.Ticker with about n labelled ticks at nice steps, minor ticks
// between them, and labels written by label(value, step).
type ticks struct {
	n     int
	minor int // minor intervals per major interval; ≤ 1 for none
	label func(v, step float64) string
	step  float64 // fixed step, when > 0
}

// Ticks returns the ticks in [min, max].
func (t ticks) Ticks(min, max float64) []plot.Tick {
	step := t.step
	if step <= 0 {
		step = niceStep(max-min, t.n)
	}
	var out []plot.Tick
	first := math.Ceil(min/step - 1e-9)
	for i := first; i*step <= max+step*1e-9; i++ {
		v := i * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		out = append(out, plot.Tick{Value: v, Label: t.label(v, step)})
		if len(out) > 1000 {
			break
		}
	}
	if t.minor > 1 {
		ms := step / float64(t.minor)
		for i := math.Ceil(min/ms - 1e-9); i*ms <= max+ms*1e-9; i++ {
			v := i * ms
			if math.Abs(math.Remainder(v, step)) > ms*1e-6 {
				out = append(out, plot.Tick{Value: v})
			}
		}
	}
	return out
}

// moneyTicks labels amounts of currency cur in a common scale, picked once
// for the axis: −10M, 0, 10M, 20M (−10 млн … in Russian). A currency that
// carries a scale (тыс. руб.) multiplies into it, the axis's label giving
// the base (CurrencySign): 60 700 тыс. руб. is 60,7 млн on an axis "NPV, руб.".
func moneyTicks(l Lang, cur string) ticks {
	mult, _ := currencyScale(cur)
	return ticks{n: 6, label: func(v, step float64) string {
		if v == 0 {
			return "0"
		}
		return l.scaled(v*mult, step*mult)
	}}
}

// scaled writes v in the scale of step's size with as many decimals as step needs.
func (l Lang) scaled(v, step float64) string {
	s := scaleFor(math.Max(math.Abs(v), step))
	if step < s.div { // e.g. ticks of 500k beside 1M: write 1.5M, not 1,500k
		s = scaleFor(step)
	}
	d := stepDecimals(step / s.div)
	return typoMinus(l.Number(v/s.div, d)) + l.suffix(s)
}

// percentTicks labels shares as percentages: 0%, 2.5%, 5%.
func percentTicks(l Lang, n int) ticks {
	return ticks{n: n, label: func(v, step float64) string {
		d := stepDecimals(step * 100)
		if l == Russian {
			return l.Number(v*100, d) + nbsp + "%"
		}
		return strconv.FormatFloat(v*100, 'f', d, 64) + "%"
	}}
}

// monthTicks labels whole months, every step months (chosen for the horizon h).
func monthTicks(h float64) ticks {
	step := 1.0
	switch {
	case h > 240:
		step = 60
	case h > 120:
		step = 24
	case h > 48:
		step = 12
	case h > 24:
		step = 6
	case h > 12:
		step = 3
	}
	minor := int(step)
	if h > 72 {
		minor = int(step / 12 * 4)
		if minor < 2 {
			minor = 0
		}
	}
	return ticks{step: step, minor: minor, label: func(v, _ float64) string {
		return strconv.Itoa(int(math.Round(v)))
	}}
}

// rectPts is the polygon of the rectangle with corners (x0, y0) and (x1, y1).
func rectPts(x0, y0, x1, y1 vg.Length) []vg.Point {
	return []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
}

// finitePts says whether every coordinate of pts is finite.
func finitePts(pts []vg.Point) bool {
	for _, p := range pts {
		if math.IsNaN(float64(p.X)) || math.IsInf(float64(p.X), 0) || math.IsNaN(float64(p.Y)) || math.IsInf(float64(p.Y), 0) {
			return false
		}
	}
	return true
}

// bars is a plotter of vertical bars from 0 to y over [x0, x1), each in its colour.
type bars struct {
	x0, x1, y []float64
	colors    []color.Color
}

// Plot draws the bars.
func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i := range b.y {
		if b.y[i] <= 0 {
			continue
		}
		pts := rectPts(trX(b.x0[i]), trY(0), trX(b.x1[i]), trY(b.y[i]))
		if !finitePts(pts) { // the rasterizer would scan without end
			continue
		}
		c.FillPolygon(b.colors[i], c.ClipPolygonXY(pts))
	}
}

// DataRange is the range of the bars.
func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), 0, 0
	for i := range b.y {
		xmin = math.Min(xmin, b.x0[i])
		xmax = math.Max(xmax, b.x1[i])
		ymax = math.Max(ymax, b.y[i])
	}
	return
}

// marker is a vertical line across the plot with a label at its top.
type marker struct {
	x     float64
	label string
	line  draw.LineStyle
	color color.Color // of the label
}

// labelBox draws txt on a white box with its top left at (x, top) and returns the box's width.
func labelBox(c draw.Canvas, sty text.Style, x, top vg.Length, txt string) {
	h := sty.Height(txt)
	w := sty.Width(txt)
	pad := vg.Points(2)
	c.FillPolygon(color.NRGBA{255, 255, 255, 225}, rectPts(x, top-h-pad/2, x+w+2*pad, top+pad/2))
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
	c.FillText(sty, vg.Point{X: x + pad, Y: top}, txt)
}

// markers draws vertical lines with their labels at the top, stacked on as
// many rows as it takes for no two labels to overlap. The plot should leave
// room at the top (about 8% of the height per row).
func markers(ms []marker) plot.Plotter { return markersNote(ms, "") }

// markersNote is markers with a note at the top left, which labels avoid.
func markersNote(ms []marker, note string) plot.Plotter {
	return drawFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, _ := p.Transforms(&c)
		order := make([]int, 0, len(ms))
		for i, m := range ms {
			if m.x >= p.X.Min && m.x <= p.X.Max && !math.IsNaN(m.x) {
				order = append(order, i)
			}
		}
		sort.SliceStable(order, func(a, b int) bool { return ms[order[a]].x < ms[order[b]].x })
		for _, i := range order {
			x := trX(ms[i].x)
			c.StrokeLine2(ms[i].line, x, c.Min.Y, x, c.Max.Y)
		}
		type span struct{ a, b vg.Length }
		var rows [][]span
		gap := vg.Points(3)
		if note != "" {
			sty := textStyle(9, false, colText, draw.XLeft, draw.YTop)
			a := c.Min.X + vg.Points(4)
			labelBox(c, sty, a, c.Max.Y-vg.Points(3), note)
			rows = append(rows, []span{{a, a + sty.Width(note) + vg.Points(4)}})
		}
		for _, i := range order {
			m := ms[i]
			sty := textStyle(8.5, false, m.color, draw.XLeft, draw.YTop)
			x := trX(m.x)
			w := sty.Width(m.label) + vg.Points(4)
			a := x + vg.Points(2)
			if a+w > c.Max.X {
				a = x - vg.Points(2) - w
			}
			row := 0
			for ; row < len(rows); row++ {
				free := true
				for _, s := range rows[row] {
					if a < s.b+gap && a+w > s.a-gap {
						free = false
						break
					}
				}
				if free {
					break
				}
			}
			if row == len(rows) {
				rows = append(rows, nil)
			}
			rows[row] = append(rows[row], span{a, a + w})
			lh := sty.Height("Hg") + vg.Points(4)
			labelBox(c, sty, a, c.Max.Y-vg.Points(3)-vg.Length(row)*lh, m.label)
		}
	})
}

// dashed is a dashed line style.
func dashed(c color.Color, width float64) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(width), Dashes: []vg.Length{vg.Points(4), vg.Points(2.5)}}
}

// solid is a solid line style.
func solid(c color.Color, width float64) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(width)}
}

// darken mixes c with black: f = 0 is c, f = 1 is black.
func darken(c color.RGBA, f float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(math.Round(float64(v) * (1 - f))) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 0xff}
}
