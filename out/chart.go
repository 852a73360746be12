package out

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"sort"
	"strings"

	"github.com/crmroi/crmroi/internal/parallel"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Chart size: 8 × 5 inches, which is 1600 × 1000 pixels at ChartDPI, a
// 16:10 shape that fills a slide.
const (
	ChartWidth  = 8 * vg.Inch
	ChartHeight = 5 * vg.Inch
	ChartDPI    = 200
)

// ChartNames are the charts `run` writes, in the order of cli.md, without the
// file extension.
var ChartNames = []string{"npv_hist", "npv_cdf", "cashflow_fan", "payback_hist", "tornado"}

// ErrNoValues is returned by the charts that need every iteration's outputs
// when the run did not keep them (sim.Config.KeepOutputs).
var ErrNoValues = errors.New("charts need every iteration's outputs: run the simulation with KeepOutputs")

// The Okabe–Ito palette, which colour-blind readers can tell apart.
var (
	colBlack      = color.RGBA{0x00, 0x00, 0x00, 0xff}
	colOrange     = color.RGBA{0xe6, 0x9f, 0x00, 0xff}
	colSky        = color.RGBA{0x56, 0xb4, 0xe9, 0xff}
	colGreen      = color.RGBA{0x00, 0x9e, 0x73, 0xff}
	colBlue       = color.RGBA{0x00, 0x72, 0xb2, 0xff}
	colVermillion = color.RGBA{0xd5, 0x5e, 0x00, 0xff}
	colPurple     = color.RGBA{0xcc, 0x79, 0xa7, 0xff}
	colText       = color.RGBA{0x22, 0x22, 0x22, 0xff}
	colMuted      = color.RGBA{0x5f, 0x5f, 0x5f, 0xff}
	colAxis       = color.RGBA{0x80, 0x80, 0x80, 0xff}
	colGrid       = color.RGBA{0xe4, 0xe4, 0xe4, 0xff}
)

// tint mixes c with white: f = 0 is c, f = 1 is white.
func tint(c color.RGBA, f float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(math.Round(float64(v) + (255-float64(v))*f)) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 0xff}
}

// legendItem is one entry of a chart's legend: a filled box or a line.
type legendItem struct {
	label string
	fill  color.Color    // a box, when set
	line  draw.LineStyle // a line, when fill is nil
}

// Chart is one chart, ready to render: a gonum plot under a header with the
// title, a subtitle (the scenario and the run) and a legend.
type Chart struct {
	Name     string // file name without extension, one of ChartNames
	Title    string
	Subtitle string
	Plot     *plot.Plot // nil when there is nothing to plot; Message says why
	Message  string
	legend   []legendItem
	foot     []string // lines under the plot (the comparison charts' names of keyed options)
	// fit, when set, lays out what depends on the chart's size (the
	// comparison charts' names, which wrap or turn into keys) for a
	// chart drawn w × h; draw calls it first.
	fit func(w, h vg.Length)
}

// BuildChart builds the chart called name (one of ChartNames) for run.
func BuildChart(name string, run *Run, lang Lang) (*Chart, error) {
	switch name {
	case "npv_hist":
		return NPVHistogram(run, lang)
	case "npv_cdf":
		return NPVCurve(run, lang)
	case "cashflow_fan":
		return CashFlowFan(run, lang)
	case "payback_hist":
		return PaybackHistogram(run, lang)
	case "tornado":
		return TornadoChart(run, lang)
	}
	return nil, fmt.Errorf("no chart called %q", name)
}

// textStyle is the chart font at size points in colour c, aligned as said.
func textStyle(size float64, bold bool, c color.Color, xa text.XAlignment, ya text.YAlignment) text.Style {
	loadFonts()
	return text.Style{Color: c, Font: chartFont(size, bold), XAlign: xa, YAlign: ya, Handler: fontHandler}
}

// newPlot returns a plot in the house style: the embedded font, grey axes, no title.
func newPlot() *plot.Plot {
	loadFonts()
	p := plot.New()
	p.TextHandler = fontHandler
	p.BackgroundColor = nil // the chart's page is white already
	p.Legend.TextStyle = textStyle(9, false, colText, draw.XLeft, draw.YBottom)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		lab := textStyle(10.5, false, colText, a.Label.TextStyle.XAlign, a.Label.TextStyle.YAlign)
		a.Label.TextStyle = lab
		a.Tick.Label = textStyle(9, false, colText, a.Tick.Label.XAlign, a.Tick.Label.YAlign)
		a.LineStyle.Color = colAxis
		a.Tick.LineStyle.Color = colAxis
		a.Padding = vg.Points(2)
	}
	p.X.Label.Padding = vg.Points(4)
	p.Y.Label.Padding = vg.Points(4)
	return p
}

// grid returns light grid lines; vertical ones only where asked.
func grid(vertical bool) plot.Plotter {
	return drawFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&c)
		sty := draw.LineStyle{Color: colGrid, Width: vg.Points(0.6)}
		for _, t := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
			if t.IsMinor() || t.Value < p.Y.Min || t.Value > p.Y.Max {
				continue
			}
			y := trY(t.Value)
			c.StrokeLine2(sty, c.Min.X, y, c.Max.X, y)
		}
		if !vertical {
			return
		}
		for _, t := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
			if t.IsMinor() || t.Value < p.X.Min || t.Value > p.X.Max {
				continue
			}
			x := trX(t.Value)
			c.StrokeLine2(sty, x, c.Min.Y, x, c.Max.Y)
		}
	})
}

// drawFunc is a plotter that is just a drawing function.
type drawFunc func(c draw.Canvas, p *plot.Plot)

// Plot draws f.
func (f drawFunc) Plot(c draw.Canvas, p *plot.Plot) { f(c, p) }

// Draw draws the chart on dc: a white page, the header, then the plot.
func (ch *Chart) Draw(dc draw.Canvas) { ch.draw(dc, true) }

// draw draws the chart, on a white page when fill is set (an image canvas
// starts white already).
func (ch *Chart) draw(dc draw.Canvas, fill bool) {
	loadFonts()
	if ch.fit != nil {
		ch.fit(dc.Max.X-dc.Min.X, dc.Max.Y-dc.Min.Y)
	}
	if fill {
		dc.FillPolygon(color.White, []vg.Point{dc.Min, {X: dc.Max.X, Y: dc.Min.Y}, dc.Max, {X: dc.Min.X, Y: dc.Max.Y}})
	}
	pad := vg.Points(10)
	left, right := dc.Min.X+pad, dc.Max.X-pad
	avail := right - left
	y := dc.Max.Y - pad

	size := 13.0
	title := textStyle(size, true, colText, draw.XLeft, draw.YTop)
	for size > 8 && title.Width(ch.Title) > avail {
		size -= 0.5
		title = textStyle(size, true, colText, draw.XLeft, draw.YTop)
	}
	shown := fitText(title, ch.Title, avail)
	dc.FillText(title, vg.Point{X: left, Y: y}, shown)
	y -= title.Height(shown) + vg.Points(3)

	sub := textStyle(9, false, colMuted, draw.XLeft, draw.YTop)
	subtitle := fitText(sub, ch.Subtitle, avail)
	dc.FillText(sub, vg.Point{X: left, Y: y}, subtitle)
	lineH := sub.Height("Hg")
	if len(ch.legend) > 0 {
		// On one line at the right, below the subtitle where they do not
		// fit beside each other; a legend wider than the chart (a small one,
		// on summary.pdf) on as many lines as it needs.
		rows := legendRows(ch.legend, avail)
		if sub.Width(subtitle)+vg.Points(24) > avail-legendWidth(rows[0]) {
			y -= lineH + vg.Points(3)
		}
		for i, row := range rows {
			if i > 0 {
				y -= lineH + vg.Points(3)
			}
			drawLegend(dc, row, right-legendWidth(row), y)
		}
	}
	y -= lineH + vg.Points(8)

	area := draw.Crop(dc, pad/2, -pad, pad/2+footHeight(ch.foot), y-dc.Max.Y)
	drawFoot(dc, ch.foot, left, dc.Min.Y+pad/2)
	if ch.Plot == nil || !drawableAxes(ch.Plot) {
		msg := textStyle(12, false, colMuted, draw.XCenter, draw.YCenter)
		text := ch.Message
		if ch.Plot != nil {
			text = "the values span too small or too large a range to draw"
		}
		dc.FillText(msg, area.Center(), fitText(msg, text, avail))
		return
	}
	ch.Plot.Draw(area)
}

// drawableAxes says whether the plot's axes have finite ranges whose
// spans are normal floats: the transforms of other ranges give infinite or
// NaN coordinates (values in [1e-320, 1e-310] give bars of infinite density),
// on which the rasterizer scans without end.
func drawableAxes(p *plot.Plot) bool {
	for _, r := range [][2]float64{{p.X.Min, p.X.Max}, {p.Y.Min, p.Y.Max}} {
		span := r[1] - r[0]
		if math.IsNaN(span) || math.IsInf(span, 0) || span < 0 || span > 0 && span < 0x1p-1000 {
			return false
		}
	}
	return true
}

// fitText shortens s with an ellipsis until it is at most w wide. The
// width of a prefix grows with its length, so the longest prefix that fits
// is found by bisection: O(n log n) for a string of n runes (shortening one
// rune at a time took 15 s for a name of 10 KB).
func fitText(sty text.Style, s string, w vg.Length) string {
	if sty.Width(s) <= w {
		return s
	}
	r := []rune(s)
	// The first length whose prefix and ellipsis are too wide; the prefix
	// kept is one shorter, at least one rune, at most all runes but one.
	k := sort.Search(len(r), func(k int) bool { return k > 0 && sty.Width(string(r[:k])+"…") > w })
	return string(r[:max(k-1, 1)]) + "…"
}

const (
	swatchW   = 14
	swatchGap = 4
	itemGap   = 12
)

// legendWidth is the width of the legend drawn on one line.
func legendWidth(items []legendItem) vg.Length {
	sty := textStyle(9, false, colText, draw.XLeft, draw.YTop)
	w := vg.Length(0)
	for i, it := range items {
		if i > 0 {
			w += vg.Points(itemGap)
		}
		w += vg.Points(swatchW+swatchGap) + sty.Width(it.label)
	}
	return w
}

// legendRows splits a legend into lines at most w wide (one item per line
// at least), in order.
func legendRows(items []legendItem, w vg.Length) [][]legendItem {
	var rows [][]legendItem
	start := 0
	for i := 1; i <= len(items); i++ {
		if i == len(items) || legendWidth(items[start:i+1]) > w {
			rows = append(rows, items[start:i])
			start = i
		}
	}
	return rows
}

// drawLegend draws the legend on one line with its top left at (x, top).
func drawLegend(dc draw.Canvas, items []legendItem, x, top vg.Length) {
	sty := textStyle(9, false, colText, draw.XLeft, draw.YTop)
	h := sty.Height("Hg")
	mid := top - h/2
	for _, it := range items {
		if it.fill != nil {
			b := vg.Points(4)
			dc.FillPolygon(it.fill, []vg.Point{{X: x, Y: mid - b}, {X: x + vg.Points(swatchW), Y: mid - b},
				{X: x + vg.Points(swatchW), Y: mid + b}, {X: x, Y: mid + b}})
		} else {
			dc.StrokeLine2(it.line, x, mid, x+vg.Points(swatchW), mid)
		}
		x += vg.Points(swatchW + swatchGap)
		dc.FillText(sty, vg.Point{X: x, Y: top}, it.label)
		x += sty.Width(it.label) + vg.Points(itemGap)
	}
}

// PNG renders the chart as a PNG of 1600 × 1000 pixels.
func (ch *Chart) PNG() ([]byte, error) {
	c := vgimg.NewWith(vgimg.UseWH(ChartWidth, ChartHeight), vgimg.UseDPI(ChartDPI), vgimg.UseBackgroundColor(color.White))
	ch.draw(draw.New(c), false)
	var buf bytes.Buffer
	if rgba, ok := c.Image().(*image.RGBA); ok {
		err := encodePNG(&buf, rgba)
		return buf.Bytes(), err
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, c.Image()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// SVG renders the chart as an SVG of 8 × 5 inches. Fonts are not embedded:
// the text asks for DejaVu Sans and falls back to the viewer's sans-serif.
func (ch *Chart) SVG() ([]byte, error) {
	c := vgsvg.NewWith(vgsvg.UseWH(ChartWidth, ChartHeight))
	ch.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, err
	}
	s := strings.ReplaceAll(buf.String(), "font-family:DejaVu Sans;", "font-family:'DejaVu Sans',Verdana,Arial,sans-serif;")
	return []byte(s), nil
}

// RenderedChart is a chart rendered for the output folder and the report.
type RenderedChart struct {
	Name  string // one of ChartNames
	Title string
	File  string // file name in the output folder: Name + "." + format
	Data  []byte // the file's content
	PNG   []byte // the PNG rendering, embedded in the report
}

// RenderCharts builds every chart of ChartNames and renders it in format
// ("png" or "svg"), and always as PNG for the report, all concurrently. The
// result is in the order of ChartNames.
func RenderCharts(run *Run, lang Lang, format string) ([]RenderedChart, error) {
	return renderAll(ChartNames, func(name string) (*Chart, error) { return BuildChart(name, run, lang) }, format, true)
}

// renderAll builds every named chart with build and renders it in format,
// concurrently (internal/parallel: an error is the first failing chart's in
// names). With withPNG, an SVG chart also gets its PNG (RenderedChart.PNG,
// for report.html), rendered from a second build, because a plot must not be
// drawn by two goroutines at once.
func renderAll(names []string, build func(name string) (*Chart, error), format string, withPNG bool) ([]RenderedChart, error) {
	if format != "png" && format != "svg" {
		return nil, fmt.Errorf("chart format must be png or svg, got %q", format)
	}
	out := make([]RenderedChart, len(names))
	err := parallel.For(context.Background(), len(names), len(names), func(_, i int) error {
		if err := renderOne(&out[i], names[i], build, format, withPNG); err != nil {
			return fmt.Errorf("%s: %w", names[i], err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// renderOne builds chart name and renders it into rc.
func renderOne(rc *RenderedChart, name string, build func(name string) (*Chart, error), format string, withPNG bool) error {
	ch, err := build(name)
	if err != nil {
		return err
	}
	*rc = RenderedChart{Name: name, Title: ch.Title, File: name + "." + format}
	if format == "png" {
		rc.PNG, err = ch.PNG()
		rc.Data = rc.PNG
		return err
	}
	if !withPNG {
		rc.Data, err = ch.SVG()
		return err
	}
	sch, err := build(name)
	if err != nil {
		return err
	}
	var svgErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		rc.Data, svgErr = sch.SVG()
	}()
	rc.PNG, err = ch.PNG()
	<-done
	return errors.Join(err, svgErr)
}
