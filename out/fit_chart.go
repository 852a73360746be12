package out

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"github.com/crmroi/crmroi/fit"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// FitChartNames are the charts `crmroi fit` writes, without extension.
var FitChartNames = []string{"fit", "fit_qq"}

// maxFitCurves is how many of the best fits the charts draw.
const maxFitCurves = 4

var fitColors = []color.RGBA{colBlue, colVermillion, colGreen, colPurple}

// fitStyles are the line styles of the fitted curves, best first.
func fitStyle(i int) draw.LineStyle {
	st := solid(fitColors[i%len(fitColors)], 1.8)
	if i > 0 {
		st = dashed(fitColors[i%len(fitColors)], 1.4)
		st.Dashes = [][]vg.Length{{vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(2), vg.Points(2), vg.Points(2)}}[(i-1)%3]
	}
	return st
}

func fitSubtitle(rep *fit.Report, d FitData) string {
	return fmt.Sprintf("%s · %s · n = %d · best by AIC: %s", d.File, d.Column, rep.N, rep.BestAIC.Expr)
}

// FitHistogram is fit.png: the histogram of the data as a density with the
// densities of the best fits (up to 4) drawn over it.
func FitHistogram(rep *fit.Report, d FitData, l Lang) (*Chart, error) {
	x := append([]float64(nil), d.Values...)
	sort.Float64s(x)
	n := len(x)
	iqr := x[(3*n)/4] - x[n/4]
	start, w, k := FDBins(n, iqr, x[0], x[n-1])
	counts := make([]int, k)
	for _, v := range x {
		i := int((v - start) / w)
		counts[min(max(i, 0), k-1)]++
	}
	b := &bars{}
	maxY := 0.0
	fill := tint(colSky, 0.45)
	for i, c := range counts {
		x0 := start + float64(i)*w
		y := float64(c) / float64(n) / w
		b.x0, b.x1, b.y = append(b.x0, x0), append(b.x1, x0+w), append(b.y, y)
		b.colors = append(b.colors, fill)
		maxY = math.Max(maxY, y)
	}
	p := newPlot()
	p.X.Label.Text = d.Column
	p.Y.Label.Text = l.T("Density")
	p.Add(grid(false), b)
	xlo, xhi := start, start+float64(k)*w
	pad := 0.08 * (xhi - xlo)
	xlo, xhi = xlo-pad, xhi+pad
	legend := []legendItem{{label: l.T("Data"), fill: fill}}
	for i, r := range rep.Results {
		if i >= maxFitCurves {
			break
		}
		const m = 400
		pts := make(plotter.XYs, 0, m+1)
		for j := 0; j <= m; j++ {
			xv := xlo + (xhi-xlo)*float64(j)/m
			y := r.Dist.Prob(xv) // the family's own density
			if math.IsNaN(y) || math.IsInf(y, 0) {
				continue
			}
			pts = append(pts, plotter.XY{X: xv, Y: y})
		}
		line, err := plotter.NewLine(pts)
		if err != nil {
			continue
		}
		line.LineStyle = fitStyle(i)
		p.Add(line)
		legend = append(legend, legendItem{label: r.Family, line: fitStyle(i)})
	}
	p.X.Min, p.X.Max = xlo, xhi
	p.Y.Min, p.Y.Max = 0, maxY*1.3
	return &Chart{
		Name:     "fit",
		Title:    l.Tf("Fitted distributions · %s", d.Column),
		Subtitle: fitSubtitle(rep, d),
		Plot:     p,
		legend:   legend,
	}, nil
}

// FitQQ is fit_qq.png: the Q–Q plot of the best fits (up to 4): the data's
// order statistics against the fitted quantiles at (i − 0.5)/n, with the
// line y = x.
func FitQQ(rep *fit.Report, d FitData, l Lang) (*Chart, error) {
	x := append([]float64(nil), d.Values...)
	sort.Float64s(x)
	n := len(x)
	p := newPlot()
	p.X.Label.Text = l.T("Fitted quantile")
	p.Y.Label.Text = l.T("Data quantile")
	lo, hi := x[0], x[n-1]
	var legend []legendItem
	// thin large samples to at most 400 points per family
	step := max(1, n/400)
	for i, r := range rep.Results {
		if i >= maxFitCurves {
			break
		}
		pts := make(plotter.XYs, 0, n/step+1)
		for j := 0; j < n; j += step {
			q := r.Dist.Quantile((float64(j) + 0.5) / float64(n))
			pts = append(pts, plotter.XY{X: q, Y: x[j]})
			lo, hi = math.Min(lo, q), math.Max(hi, q)
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			continue
		}
		col := fitColors[i%len(fitColors)]
		sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(1.8), Shape: []draw.GlyphDrawer{
			draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.CrossGlyph{}}[i%4]}
		p.Add(sc)
		legend = append(legend, legendItem{label: r.Family, fill: col})
	}
	diag, _ := plotter.NewLine(plotter.XYs{{X: lo, Y: lo}, {X: hi, Y: hi}})
	diag.LineStyle = solid(colMuted, 1)
	p.Add(diag)
	p.Add(grid(true))
	legend = append(legend, legendItem{label: "y = x", line: solid(colMuted, 1)})
	pad := 0.04 * (hi - lo)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = lo-pad, hi+pad, lo-pad, hi+pad
	return &Chart{
		Name:     "fit_qq",
		Title:    l.Tf("Q–Q plot · %s: points on the line fit well", d.Column),
		Subtitle: fitSubtitle(rep, d),
		Plot:     p,
		legend:   legend,
	}, nil
}

// RenderFitCharts builds fit and fit_qq and renders them in format (png or svg).
func RenderFitCharts(rep *fit.Report, d FitData, l Lang, format string) ([]RenderedChart, error) {
	build := func(name string) (*Chart, error) {
		if name == "fit_qq" {
			return FitQQ(rep, d, l)
		}
		return FitHistogram(rep, d, l)
	}
	return renderAll(FitChartNames, build, format, false)
}

var _ plot.Plotter = (*bars)(nil)
