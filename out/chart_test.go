package out

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
	"gonum.org/v1/plot/cmpimg"
)

// update rewrites the golden images: go test ./out/ -run Golden -update
var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// goldenDelta is the per-pixel YIQ tolerance of cmpimg.EqualApprox.
const goldenDelta = 0.1

// statsOf is the sim.Stats of x (no NaN), for fixtures.
func statsOf(x []float64) sim.Stats {
	s := sim.Stats{N: len(x), Min: math.Inf(1), Max: math.Inf(-1)}
	sum, fin := 0.0, 0
	for _, v := range x {
		s.Min, s.Max = math.Min(s.Min, v), math.Max(s.Max, v)
		if !math.IsInf(v, 0) {
			sum += v
			fin++
		}
	}
	s.Mean = sum / float64(max(fin, 1))
	ss := 0.0
	for _, v := range x {
		if !math.IsInf(v, 0) {
			ss += (v - s.Mean) * (v - s.Mean)
		}
	}
	s.SD = math.Sqrt(ss / float64(max(fin-1, 1)))
	s.SE = s.SD / math.Sqrt(float64(max(fin, 1)))
	s.Pct = sim.Quantiles(x, sim.PctLevels)
	return s
}

// fixtureRun is a synthetic run that does not depend on the engine, so the
// golden images change only when the charts do: NPV a mixture of a loss
// bump and a skewed gain bump, payback with 20% never reached, a fan of
// cumulative cash flows, a fixed tornado.
func fixtureRun(t testing.TB, name string) *Run {
	t.Helper()
	s := model.Default()
	s.Name = name
	const n = 20000
	const h = 36
	rng := rand.New(rand.NewPCG(7, 11))
	vals := make([][]float64, len(model.Outputs))
	for k := range vals {
		vals[k] = make([]float64, n)
	}
	cum := make([][]float64, h)
	for m := range cum {
		cum[m] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		u := rng.Float64()
		var npv, payback float64
		slope := 1.4e6 + 0.6e6*rng.NormFloat64()
		g := 4 + rng.IntN(4)
		if u < 0.2 {
			npv = -4e6 + 1.5e6*rng.NormFloat64()
			payback = math.Inf(1)
			slope = -0.05e6
		} else {
			npv = 25e6 + 12e6*math.Exp(0.35*rng.NormFloat64()) - 12e6
			payback = math.Max(6, 14+2.5*rng.NormFloat64())
		}
		vals[0][i], vals[4][i] = npv, payback
		vals[1][i] = npv / 8e6
		vals[5][i] = 3e6 + 1e6*rng.Float64()
		c := 0.0
		for m := 0; m < h; m++ {
			if m < g {
				c -= 0.9e6
			} else {
				c += slope
			}
			cum[m][i] = c
		}
	}
	r := &sim.Result{Iterations: n, Values: vals, Metrics: make([]sim.Stats, len(model.Outputs)), Undefined: make([]int, len(model.Outputs))}
	for k := range vals {
		r.Metrics[k] = statsOf(vals[k])
	}
	r.Outputs, r.Info = model.Outputs, model.CRMOutputs()
	r.Config = sim.Config{Iterations: n, Seed: 1, Sampling: "mc", Workers: 2}
	fn := float64(n)
	setProbs(r)
	r.Outcomes = [model.NumOutcomes]float64{0.78, 0.1, 0.12}
	for m := 0; m < h; m++ {
		sum := 0.0
		for _, v := range cum[m] {
			sum += v
		}
		r.Bands = append(r.Bands, sim.Band{Month: m + 1, Mean: sum / fn, Pct: sim.Quantiles(cum[m], sim.BandLevels)})
	}
	det := model.Deterministic{
		Plan: model.Result{NPV: 28.6e6, ROI: 3.3, Payback: 12.4, PeakFunding: 4.7e6, PVBenefits: 37e6, PVCosts: 8.6e6},
		TEI:  model.TEIRow{NPV: 22.2e6, ROI: 2.34},
	}
	rows := []struct {
		in       string
		lo, hi   float64
		nlo, nhi float64
	}{
		{"company.margin", 0.197, 0.322, 20.6e6, 39.7e6},
		{"benefits.capacity_to_sales", 0.243, 0.596, 20.9e6, 38.4e6},
		{"adoption.ramp_months", 8.8, 4.38, 26.1e6, 30.2e6},
		{"costs.one_off", 5.1e6, 2.68e6, 26.8e6, 29.6e6},
		{"benefits.other_savings", 22.8e3, 156e3, 28.1e6, 30.3e6},
	}
	for _, x := range rows {
		det.Tornado = append(det.Tornado, model.TornadoRow{Input: x.in, LowValue: x.lo, HighValue: x.hi,
			NPVLow: x.nlo, NPVHigh: x.nhi, Swing: math.Abs(x.nhi - x.nlo)})
	}
	pv := det.Plan.Values()
	det.Outputs, det.PlanValues = model.Outputs, pv[:]
	det.TEIValues = []float64{det.TEI.NPV, det.TEI.ROI}
	for len(det.TEIValues) < len(pv) {
		det.TEIValues = append(det.TEIValues, math.NaN())
	}
	return &Run{Scenario: s, Result: r, Det: det, Elapsed: 0.12, Version: "test"}
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./out/ -run Golden -update to create it)", err)
	}
	ok, err := cmpimg.EqualApprox("png", got, want, goldenDelta)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		bad := filepath.Join(t.TempDir(), name)
		_ = os.WriteFile(bad, got, 0o644)
		t.Errorf("%s differs from its golden image; this rendering is in %s (run with -update if the change is intended)", name, bad)
	}
}

func TestChartsGolden(t *testing.T) {
	cases := []struct {
		lang  Lang
		name  string
		chart []string
	}{
		{English, "Default CRM business case", ChartNames},
		{Russian, "Внедрение CRM — ООО «Ромашка»", ChartNames},
	}
	for _, c := range cases {
		run := fixtureRun(t, c.name)
		for _, name := range c.chart {
			t.Run(string(c.lang)+"/"+name, func(t *testing.T) {
				ch, err := BuildChart(name, run, c.lang)
				if err != nil {
					t.Fatal(err)
				}
				b, err := ch.PNG()
				if err != nil {
					t.Fatal(err)
				}
				checkGolden(t, name+"_"+string(c.lang)+".png", b)
			})
		}
	}
}

// checkPNG decodes b and checks its size and that it is not blank.
func checkPNG(t *testing.T, name string, b []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if sz := img.Bounds().Size(); sz != (image.Point{1600, 1000}) {
		t.Errorf("%s is %v, want 1600×1000", name, sz)
	}
	colors := map[[4]uint32]int{}
	nonWhite := 0
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y += 3 {
		for x := bd.Min.X; x < bd.Max.X; x += 3 {
			r, g, b, a := img.At(x, y).RGBA()
			colors[[4]uint32{r >> 8, g >> 8, b >> 8, a >> 8}]++
			if r>>8 < 240 || g>>8 < 240 || b>>8 < 240 {
				nonWhite++
			}
		}
	}
	total := (bd.Dx() / 3) * (bd.Dy() / 3)
	if len(colors) < 8 || nonWhite < total/50 {
		t.Errorf("%s looks blank: %d colours, %d of %d sampled pixels not white", name, len(colors), nonWhite, total)
	}
}

func TestRenderChartsPNGDecode(t *testing.T) {
	run := fixtureRun(t, "Decode")
	for _, lang := range Langs {
		charts, err := RenderCharts(run, lang, "png")
		if err != nil {
			t.Fatal(err)
		}
		if len(charts) != len(ChartNames) {
			t.Fatalf("%d charts, want %d", len(charts), len(ChartNames))
		}
		for i, c := range charts {
			if c.Name != ChartNames[i] || c.File != ChartNames[i]+".png" {
				t.Errorf("chart %d is %q in %q", i, c.Name, c.File)
			}
			if !bytes.Equal(c.Data, c.PNG) {
				t.Errorf("%s: the png file is not the report's png", c.Name)
			}
			checkPNG(t, string(lang)+"/"+c.File, c.Data)
		}
	}
}

func TestRenderChartsSVG(t *testing.T) {
	run := fixtureRun(t, "Внедрение SVG")
	charts, err := RenderCharts(run, Russian, "svg")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range charts {
		s := string(c.Data)
		if c.File != c.Name+".svg" || !strings.Contains(s, "<svg") || !strings.Contains(s, "</svg>") {
			t.Errorf("%s: not an SVG file", c.File)
		}
		if !strings.Contains(s, "Внедрение SVG") {
			t.Errorf("%s: the scenario name is missing", c.File)
		}
		checkPNG(t, c.Name+" (report png)", c.PNG)
	}
}

func TestChartsNeedValues(t *testing.T) {
	run := fixtureRun(t, "x")
	run.Result.Values = nil
	for _, name := range []string{"npv_hist", "npv_cdf", "payback_hist"} {
		if _, err := BuildChart(name, run, English); err != ErrNoValues {
			t.Errorf("%s without values: %v, want ErrNoValues", name, err)
		}
	}
	for _, name := range []string{"cashflow_fan", "tornado"} {
		if _, err := BuildChart(name, run, English); err != nil {
			t.Errorf("%s without values: %v", name, err)
		}
	}
}

func TestTornadoWithoutInputs(t *testing.T) {
	run := fixtureRun(t, "x")
	run.Det.Tornado = nil
	ch, err := TornadoChart(run, English)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Plot != nil || ch.Message == "" {
		t.Fatal("want a message instead of a plot")
	}
	b, err := ch.PNG()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
}

func TestDegenerateRunsDraw(t *testing.T) {
	// Every iteration the same: no IQR, no spread; and all losses.
	run := fixtureRun(t, "flat")
	r := run.Result
	for k := range r.Values {
		for i := range r.Values[k] {
			r.Values[k][i] = -1e6
		}
		r.Metrics[k] = statsOf(r.Values[k])
	}
	for k := range r.Values[4] {
		r.Values[4][k] = math.Inf(1)
	}
	r.Metrics[4] = statsOf(r.Values[4])
	setProbs(r)
	for _, name := range ChartNames {
		ch, err := BuildChart(name, run, English)
		if err != nil {
			t.Fatal(name, err)
		}
		if _, err := ch.PNG(); err != nil {
			t.Fatal(name, err)
		}
	}
}

func TestFDBins(t *testing.T) {
	for _, c := range []struct {
		n           int
		iqr, lo, hi float64
	}{
		{100000, 20e6, -12e6, 100e6}, {10, 1, 0, 1000}, {1e6, 1e-9, -5, 5}, {100, 0, 3, 3}, {100, 1, -1, 1},
	} {
		start, w, k := FDBins(c.n, c.iqr, c.lo, c.hi)
		if k < MinBins || k > MaxBins+1 || !(w > 0) {
			t.Errorf("%+v: %d bins of %g", c, k, w)
		}
		if start > c.lo || start+float64(k)*w < c.hi {
			t.Errorf("%+v: bins [%g, %g) miss the range", c, start, start+float64(k)*w)
		}
		if c.lo < 0 && c.hi > 0 {
			if z := -start / w; math.Abs(z-math.Round(z)) > 1e-6 {
				t.Errorf("%+v: 0 is not a bin edge", c)
			}
		}
	}
}

func TestGlyphs(t *testing.T) {
	// The embedded font must draw Cyrillic and the currency signs we use.
	for _, r := range "₽$€£Жжё−→≤≥·«»" {
		if !HasGlyph(r) {
			t.Errorf("no glyph for %q", r)
		}
	}
	if got := CurrencySign("RUB"); got != "₽" {
		t.Errorf("RUB shows as %q", got)
	}
	if got := CurrencySign("usd"); got != "$" {
		t.Errorf("usd shows as %q", got)
	}
	if got := CurrencySign("CHF"); got != "CHF" {
		t.Errorf("CHF shows as %q", got)
	}
}

// TestRubleRenders draws ₽ and checks ink appears, so the glyph is really
// drawn and not an empty box of a missing one.
func TestRubleRenders(t *testing.T) {
	loadFonts()
	face := fontCache.Lookup(chartFont(40, false), 40)
	if w := face.Width("₽"); w <= 0 {
		t.Fatalf("₽ has width %v", w)
	}
	ch := &Chart{Title: "₽", Subtitle: "₽", Message: "₽₽₽"}
	b, err := ch.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, _ := png.Decode(bytes.NewReader(b))
	ink := 0
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r>>8 < 128 {
				ink++
			}
		}
	}
	if ink < 200 {
		t.Fatalf("₽ drew %d dark pixels", ink)
	}
}

func TestNumberFormats(t *testing.T) {
	cases := []struct {
		got, want string
	}{
		{English.Number(1234567.8, 1), "1,234,567.8"},
		{Russian.Number(1234567.8, 1), "1\u00a0234\u00a0567,8"},
		{Russian.Number(-1234.5, 1), "−1\u00a0234,5"},
		{Russian.Money(28640083.4), "28\u00a0640\u00a0083"},
		{English.Money(28640083.4), "28,640,083"},
		{English.Percent(0.229), "22.9%"},
		{Russian.Percent(0.229), "22,9\u00a0%"},
		{Russian.Months(math.Inf(1)), "не окупается"},
		{English.Compact(28.64e6), "28.6M"},
		{English.Compact(-5.672e6), "−5.67M"},
		{English.Compact(999.7e3), "1.00M"},
		{English.Compact(0.0967), "0.0967"},
		{Russian.Compact(28.64e6), "28,6\u00a0млн"},
		{Russian.Compact(62e3), "62,0\u00a0тыс."},
		{English.MoneyCompact(28.64e6, "RUB"), "28.6M\u00a0₽"},
		{English.MoneyCompact(-3.1e6, "USD"), "−$3.10M"},
		{Russian.MoneyCompact(28.64e6, "RUB"), "28,6\u00a0млн\u00a0₽"},
		{English.MoneyCompact(1500, "CHF"), "1.50k\u00a0CHF"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	tk := moneyTicks(English, "RUB").Ticks(-12e6, 101e6)
	var labels []string
	for _, x := range tk {
		if x.Label != "" {
			labels = append(labels, x.Label)
		}
	}
	if want := []string{"−10M", "0", "10M", "20M", "30M", "40M", "50M", "60M", "70M", "80M", "90M", "100M"}; !slices.Equal(labels, want) && !slices.Equal(labels, []string{"0", "20M", "40M", "60M", "80M", "100M"}) {
		t.Errorf("money ticks %v", labels)
	}
}

func TestParseLang(t *testing.T) {
	for _, s := range []string{"en", "ru"} {
		if l, err := ParseLang(s); err != nil || string(l) != s {
			t.Errorf("ParseLang(%q) = %q, %v", s, l, err)
		}
	}
	if _, err := ParseLang("de"); err == nil {
		t.Error("de accepted")
	}
}

// TestRussianComplete renders everything in Russian and checks that every
// text asked for has a translation.
func TestRussianComplete(t *testing.T) {
	run := fixtureRun(t, "Проверка")
	charts, err := RenderCharts(run, Russian, "png")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteReport(&b, run, Russian, charts); err != nil {
		t.Fatal(err)
	}
	if err := WriteTableLang(&b, run, []string{"/tmp/x/summary.json"}, Russian); err != nil {
		t.Fatal(err)
	}
	assertTranslated(t)
}

// TestChartsFromEngine runs the engine with KeepOutputs and draws every chart
// and the report from its result.
func TestChartsFromEngine(t *testing.T) {
	s := model.Default()
	res, err := sim.Run(context.Background(), s, sim.Config{Iterations: 3000, Seed: 3, Workers: 2, Sampling: "mc", KeepOutputs: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Values) != len(model.Outputs) || len(res.Values[0]) != 3000 {
		t.Fatalf("KeepOutputs kept %d outputs", len(res.Values))
	}
	if res.Inputs != nil || res.Outcome != nil || res.InputNames != nil {
		t.Error("KeepOutputs kept the inputs too")
	}
	run := &Run{Scenario: s, Result: res, Det: model.NewCRM(s).Deterministic(), Version: "test"}
	charts, err := RenderCharts(run, Russian, "png")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range charts {
		checkPNG(t, c.File, c.Data)
	}
	var b bytes.Buffer
	if err := WriteReport(&b, run, English, charts); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkChartsAndReport is what charts and the report add to a run of the
// default scenario with 100,000 iterations.
func BenchmarkChartsAndReport(b *testing.B) {
	s := model.Default()
	res, err := sim.Run(context.Background(), s, sim.Config{Iterations: 100000, Seed: 1, Sampling: "mc", KeepOutputs: true})
	if err != nil {
		b.Fatal(err)
	}
	run := &Run{Scenario: s, Result: res, Det: model.NewCRM(s).Deterministic(), Version: "bench"}
	b.ResetTimer()
	for range b.N {
		charts, err := RenderCharts(run, English, "png")
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteReport(&buf, run, English, charts); err != nil {
			b.Fatal(err)
		}
	}
}

// assertTranslated fails the test if any text looked up so far has no
// Russian translation.
func assertTranslated(t *testing.T) {
	t.Helper()
	var missing []string
	missingText.Range(func(k, _ any) bool {
		missing = append(missing, k.(string))
		return true
	})
	if len(missing) > 0 {
		t.Errorf("no Russian for %q", missing)
	}
}

// setProbs sets r.Probs from r.Values (every iteration kept) and r.Info.
func setProbs(r *sim.Result) {
	r.Probs = make([][]float64, len(r.Info))
	for k, o := range r.Info {
		r.Probs[k] = make([]float64, len(o.Thresholds))
		for j, th := range o.Thresholds {
			n := 0
			for _, v := range r.Values[k] {
				if th.Holds(v) {
					n++
				}
			}
			r.Probs[k][j] = float64(n) / float64(r.Iterations)
		}
	}
}

// TestRenderAllFirstError: when several charts fail, the error is that of the
// first in the list, however late it fails.
func TestRenderAllFirstError(t *testing.T) {
	names := []string{"a", "b", "c", "d"}
	for trial := 0; trial < 10; trial++ {
		_, err := renderAll(names, func(name string) (*Chart, error) {
			if name == "a" {
				time.Sleep(time.Duration(trial%3) * time.Millisecond) // a fails last
			}
			return nil, fmt.Errorf("cannot build %s", name)
		}, "png", false)
		if err == nil || err.Error() != "a: cannot build a" {
			t.Fatalf("err = %v, want a's", err)
		}
	}
}
