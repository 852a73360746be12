package out

import (
	"bytes"
	"image/png"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/distributions"
	"github.com/crmroi/crmroi/fit"
)

func fitFixture(t *testing.T) (*fit.Report, FitData) {
	t.Helper()
	r := rand.New(rand.NewPCG(4, 5))
	x := make([]float64, 300)
	for i := range x {
		x[i] = math.Exp(0.3 + 0.4*r.NormFloat64())
	}
	rep, err := fit.Fit(x, fit.Options{Min: math.NaN(), Max: math.NaN(), Bootstrap: 20, Seed: 1, Families: []string{"lognormal", "gamma", "normal", "weibull", "uniform"}})
	if err != nil {
		t.Fatal(err)
	}
	return rep, FitData{File: "history.csv", Column: "overrun", Values: x, SHA256: strings.Repeat("ab", 32)}
}

func TestFitTableAndJSON(t *testing.T) {
	rep, d := fitFixture(t)
	var b bytes.Buffer
	if err := WriteFitTable(&b, rep, d, []string{"out/fit.png"}); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{"column \"overrun\": n = 300", "Best by AIC: " + rep.BestAIC.Family, rep.BestAIC.Expr,
		"empirical(file=history.csv, column=overrun, fit=" + rep.BestAIC.Family + ")", "± ", "Files: out/fit.png"} {
		if !strings.Contains(s, want) {
			t.Errorf("table lacks %q:\n%s", want, s)
		}
	}
	js, err := FitJSON(rep, d).MarshalJSON()
	if err != nil || !bytes.Contains(js, []byte(`"best_expression":"`+rep.BestAIC.Expr+`"`)) {
		t.Errorf("json: %v %s", err, js)
	}
}

func TestFitChartsRender(t *testing.T) {
	rep, d := fitFixture(t)
	for _, lang := range []Lang{English, Russian} {
		charts, err := RenderFitCharts(rep, d, lang, "png")
		if err != nil {
			t.Fatal(err)
		}
		if len(charts) != 2 || charts[0].File != "fit.png" || charts[1].File != "fit_qq.png" {
			t.Fatalf("charts %+v", charts)
		}
		for _, c := range charts {
			img, err := png.Decode(bytes.NewReader(c.Data))
			if err != nil || img.Bounds().Dx() != 1600 {
				t.Errorf("%s: %v", c.File, err)
			}
		}
	}
	if _, err := RenderFitCharts(rep, d, English, "gif"); err == nil {
		t.Error("gif accepted")
	}
}

func TestInputNote(t *testing.T) {
	e, _ := distributions.NewEmpirical([]float64{1, 2, 3}, false, math.Inf(-1), math.Inf(1), "empirical(file=h.csv)")
	d := distributions.WithSource(e, "", "h.csv, column \"x\": n = 3")
	if got := inputNote("doc", d, English); got != `doc — Source: h.csv, column "x": n = 3` {
		t.Errorf("note %q", got)
	}
	if got := inputNote("", d, Russian); got != `Источник: h.csv, column "x": n = 3` {
		t.Errorf("note %q", got)
	}
	p, _ := distributions.Parse("pert(1, 2, 3)")
	if got := inputNote("doc", p, English); got != "doc" || InputSource(p) != "" {
		t.Errorf("note %q", got)
	}
}
