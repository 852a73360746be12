package out

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// affine is a 2-D transform: (x, y) → (a·x + b·y + c, d·x + e·y + f).
type affine struct{ a, b, c, d, e, f float64 }

func (m affine) apply(x, y float64) (float64, float64) {
	return m.a*x + m.b*y + m.c, m.d*x + m.e*y + m.f
}

// then is m after n: n applied first, in m's frame.
func (m affine) then(n affine) affine {
	return affine{
		a: m.a*n.a + m.b*n.d, b: m.a*n.b + m.b*n.e, c: m.a*n.c + m.b*n.f + m.c,
		d: m.d*n.a + m.e*n.d, e: m.d*n.b + m.e*n.e, f: m.d*n.c + m.e*n.f + m.f,
	}
}

// textBox is where a text was drawn: its bounding box on the page.
type textBox struct {
	s                      string
	minX, minY, maxX, maxY float64
}

// textCanvas is a canvas that records where every text goes, measured with
// the font it is drawn in, and draws nothing.
type textCanvas struct {
	w, h  vg.Length
	m     affine
	stack []affine
	texts []textBox
}

func newTextCanvas(w, h vg.Length) *textCanvas {
	return &textCanvas{w: w, h: h, m: affine{a: 1, e: 1}}
}

func (c *textCanvas) Size() (vg.Length, vg.Length)        { return c.w, c.h }
func (c *textCanvas) SetLineWidth(vg.Length)              {}
func (c *textCanvas) SetLineDash([]vg.Length, vg.Length)  {}
func (c *textCanvas) SetColor(color.Color)                {}
func (c *textCanvas) Stroke(vg.Path)                      {}
func (c *textCanvas) Fill(vg.Path)                        {}
func (c *textCanvas) DrawImage(vg.Rectangle, image.Image) {}
func (c *textCanvas) Push()                               { c.stack = append(c.stack, c.m) }
func (c *textCanvas) Pop() {
	c.m = c.stack[len(c.stack)-1]
	c.stack = c.stack[:len(c.stack)-1]
}
func (c *textCanvas) Rotate(r float64) {
	s, co := math.Sincos(r)
	c.m = c.m.then(affine{a: co, b: -s, d: s, e: co})
}
func (c *textCanvas) Translate(p vg.Point) {
	c.m = c.m.then(affine{a: 1, c: float64(p.X), e: 1, f: float64(p.Y)})
}
func (c *textCanvas) Scale(x, y float64) { c.m = c.m.then(affine{a: x, e: y}) }

func (c *textCanvas) FillString(f font.Face, p vg.Point, s string) {
	if strings.TrimSpace(s) == "" {
		return
	}
	ext := f.Extents()
	x0, x1 := float64(p.X), float64(p.X+f.Width(s))
	// The line's box: from the descent below the baseline, one em high, the
	// pitch at which gonum sets the lines of a text (the font's ascent has
	// room for accents over capitals, which a next line's descent may share).
	y0 := float64(p.Y - ext.Descent)
	y1 := y0 + float64(f.Font.Size)
	b := textBox{s: s, minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
	for _, pt := range [][2]float64{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}} {
		x, y := c.m.apply(pt[0], pt[1])
		b.minX, b.maxX = math.Min(b.minX, x), math.Max(b.maxX, x)
		b.minY, b.maxY = math.Min(b.minY, y), math.Max(b.maxY, y)
	}
	c.texts = append(c.texts, b)
}

// overlap is how far two boxes overlap in each direction (both positive:
// they do), with a tolerance for glyphs' side bearings.
func overlap(p, q textBox) bool {
	const tol = 0.5 // points
	return math.Min(p.maxX, q.maxX)-math.Max(p.minX, q.minX) > tol &&
		math.Min(p.maxY, q.maxY)-math.Max(p.minY, q.minY) > tol
}

// chartTexts draws the chart w × h and returns where its texts went.
func chartTexts(ch *Chart, w, h vg.Length) []textBox {
	c := newTextCanvas(w, h)
	ch.draw(draw.New(c), true)
	return c.texts
}

// checkTexts fails when two texts of a chart overlap or one leaves the page.
func checkTexts(t *testing.T, what string, texts []textBox, w, h vg.Length) {
	t.Helper()
	for i, p := range texts {
		if p.minX < -0.5 || p.minY < -0.5 || p.maxX > float64(w)+0.5 || p.maxY > float64(h)+0.5 {
			t.Errorf("%s: %q is cut by the edge of the chart: x %.1f–%.1f, y %.1f–%.1f", what, p.s, p.minX, p.maxX, p.minY, p.maxY)
		}
		for _, q := range texts[i+1:] {
			if overlap(p, q) {
				t.Errorf("%s: %q overlaps %q", what, p.s, q.s)
			}
		}
	}
}

// TestComparisonChartLabels draws the comparison charts of 2 to 6 options
// with long Cyrillic names, in both languages, and checks with the chart's
// own font that no two texts overlap, none is cut by the chart's edge, and
// every name is shown whole: on the axis or in a legend (wrapped), or in the
// foot beside its key.
func TestComparisonChartLabels(t *testing.T) {
	all := testComparison(t, 6)
	extra := strings.Repeat("очень длинное название варианта ", 6) + "Сверхдлинноесловобезпробеловкотороененапишетниктоизаналитиковнаэтомсвете"
	for n := 2; n <= 7; n++ {
		c := &Comparison{Runs: all.Runs[:min(n, 6)], Labels: all.Labels[:min(n, 6)], NPV: all.NPV[:min(n, 6)], Slugs: all.Slugs[:min(n, 6)]}
		if n == 7 { // a name no axis holds: every option keyed
			c.Runs = append([]*Run{}, all.Runs[:3]...)
			c.NPV = all.NPV[:3]
			c.Labels = []string{all.Labels[0], extra, all.Labels[2]}
		}
		for _, l := range Langs {
			// The size of a chart's file, and summary.pdf's, where the names
			// are short (the page's table names the options in full).
			for _, size := range [][2]vg.Length{{ChartWidth, ChartHeight}, {5.3 * vg.Inch, 3.4 * vg.Inch}} {
				c := c
				if size[0] < ChartWidth {
					short := *c
					short.Labels = make([]string, len(c.Labels))
					for i, s := range c.Labels {
						if r := []rune(s); len(r) > 18 {
							s = string(r[:17]) + "…"
						}
						short.Labels[i] = s
					}
					c = &short
				}
				for _, name := range ComparisonChartNames {
					ch, err := BuildComparisonChart(name, c, l)
					if err != nil {
						t.Fatal(err)
					}
					what := fmt.Sprintf("%s, %d options, %s, %.1f × %.1f in", name, len(c.Runs), l, size[0]/vg.Inch, size[1]/vg.Inch)
					texts := chartTexts(ch, size[0], size[1])
					checkTexts(t, what, texts, size[0], size[1])
					var all []string
					for _, tx := range texts {
						all = append(all, tx.s)
					}
					shown := strings.Join(all, " ")
					for i, label := range c.Labels {
						key := OptionKey(i)
						keyed := key + nbsp + "—" + nbsp + label
						if !strings.Contains(shown, key+keySep+label) && !strings.Contains(shown, keyed) &&
							!strings.Contains(strings.Join(strings.Fields(shown), ""), strings.Join(strings.Fields(keyed), "")) {
							t.Errorf("%s: %q is not shown whole", what, label)
						}
					}
					if n == 7 && size[0] == ChartWidth && len(ch.foot) == 0 {
						t.Errorf("%s: a name too long for the chart, but no foot lists the names", what)
					}
				}
			}
		}
	}
}

// TestComparisonNPVLossLabelsRight checks that every P(loss) of the box
// chart is right of its scenario's names, in the plot.
func TestComparisonNPVLossLabelsRight(t *testing.T) {
	c := testComparison(t, 4)
	ch, err := ComparisonNPVChart(c, Russian)
	if err != nil {
		t.Fatal(err)
	}
	texts := chartTexts(ch, ChartWidth, ChartHeight)
	right := math.Inf(-1) // the right end of the names on the axis
	var losses []textBox
	for _, tx := range texts {
		switch {
		case strings.HasPrefix(tx.s, "P(убытка)"):
			losses = append(losses, tx)
		case strings.ContainsAny(tx.s, "·") && !strings.Contains(tx.s, "сценариев") && !strings.Contains(tx.s, "NPV"):
			right = math.Max(right, tx.maxX)
		}
	}
	if len(losses) != len(c.Runs) {
		t.Fatalf("%d P(loss) labels, want %d", len(losses), len(c.Runs))
	}
	for _, b := range losses {
		if b.minX <= right {
			t.Errorf("%q starts at %.1f, left of the names' end %.1f", b.s, b.minX, right)
		}
	}
}

func TestWrapName(t *testing.T) {
	sty := textStyle(9, false, colText, draw.XLeft, draw.YTop)
	w := vg.Points(80)
	for _, s := range []string{"", "короткое", longNames[1], strings.Repeat("ж", 60) + " конец"} {
		lines := wrapName(sty, s, w)
		for _, line := range lines {
			if sty.Width(line) > w {
				t.Errorf("wrapName(%q): line %q is %.1f wide, more than %.1f", s, line, sty.Width(line), w)
			}
		}
		if got := strings.Join(lines, ""); strings.ReplaceAll(got, " ", "") != strings.ReplaceAll(s, " ", "") {
			t.Errorf("wrapName(%q) lost text: %q", s, lines)
		}
	}
}
