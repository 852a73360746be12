package out

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"math"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
	"github.com/xuri/excelize/v2"
)

// trackRun tracks the default scenario with nine months of actuals, one of
// them outside every simulated path but within its measurement error.
func trackRun(t *testing.T) *Run {
	t.Helper()
	s := model.Default()
	a := &model.Actuals{File: "act.csv"}
	for m, v := range []float64{-850e3, -1720e3, -2600e3, -3500e3, -4400e3, -4800e3, -5000e3, -4900e3, -4500e3} {
		a.Obs = append(a.Obs, model.Observation{Month: m + 1, Column: model.ActualCumulative, Value: v, Noise: 0.2, Line: m + 2, Col: 3})
	}
	a.Obs = append(a.Obs, model.Observation{Month: 9, Column: model.ActualAdoption, Value: 0.4, Noise: 0.2, Line: 10, Col: 5},
		model.Observation{Month: 2, Column: model.ActualCost, Value: 2.4e6, Noise: 0.3, Line: 3, Col: 7})
	tm, err := model.NewTrack(s, a)
	if err != nil {
		t.Fatal(err)
	}
	cfg := sim.Config{Iterations: 4096, Seed: 3, Workers: 2, LogWeight: model.LogWeightOutput, MinESS: 500, MaxIterations: 16384, KeepOutputs: true}
	u, err := sim.RunWeighted(context.Background(), s, tm, cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	det, err := model.Analyze(s, model.Compile(s))
	if err != nil {
		t.Fatal(err)
	}
	plan := func(c model.ActualColumn, m int) float64 { return tm.Plan[c][m-1] }
	return &Run{Scenario: s, Result: u.Posterior, Det: det, Version: "test", Track: NewTrack(a, u, plan, 500, 0.2)}
}

// TestTrackJSONContent checks track.json's contract on a tracked run: every
// actual with the prior's P5 ≤ P50 ≤ P95 and a rank in [0, 1], the actual
// outside every path flagged, the inputs most narrowed first, the ESS and
// the outcome shares consistent.
func TestTrackJSONContent(t *testing.T) {
	run := trackRun(t)
	var b bytes.Buffer
	if err := WriteTrackJSON(&b, run); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		ESS        float64 `json:"ess"`
		Iterations int     `json:"iterations"`
		Months     []struct {
			Month          int
			Column         string
			Actual         float64
			P5, P50, P95   float64
			Rank, Min, Max float64
			Outside        bool
			Verdict        string
		}
		Inputs []struct {
			Name           string
			Prior, Updated struct{ Mean, P10, P90 float64 }
			Narrowed       float64
		}
		Outcomes map[string]float64
		Outputs  map[string]struct{ Prior, Updated map[string]float64 }
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Months) != 11 || doc.ESS < 100 || doc.ESS > float64(doc.Iterations) {
		t.Fatalf("months %d, ess %v of %d", len(doc.Months), doc.ESS, doc.Iterations)
	}
	outside := 0
	for _, m := range doc.Months {
		if !(m.P5 <= m.P50 && m.P50 <= m.P95) || m.Rank < 0 || m.Rank > 1 || !strings.HasPrefix(m.Verdict, "month ") {
			t.Errorf("month %+v", m)
		}
		if m.Outside {
			outside++
			if m.Column != "cost" || m.Month != 2 || m.Rank != 1 || !strings.Contains(m.Verdict, "outside every simulated path") {
				t.Errorf("outside: %+v", m)
			}
		}
	}
	if outside != 1 {
		t.Errorf("%d actuals outside every path, want the month-2 cost", outside)
	}
	for i, in := range doc.Inputs {
		if i > 0 && in.Narrowed > doc.Inputs[i-1].Narrowed {
			t.Errorf("inputs not sorted by narrowing at %s", in.Name)
		}
	}
	if doc.Inputs[0].Narrowed < 0.3 {
		t.Errorf("nine months of cash flow narrowed no input by 30%%: %+v", doc.Inputs[0])
	}
	sum := 0.0
	for _, v := range doc.Outcomes {
		sum += v
	}
	if math.Abs(sum-1) > 1e-9 || doc.Outcomes["cancelled"] > 1e-3 {
		t.Errorf("outcomes %v: a project with adoption after go-live was not cancelled", doc.Outcomes)
	}
	if _, ok := doc.Outputs["npv"].Updated["prob_negative"]; !ok {
		t.Errorf("outputs lack npv's P(loss): %v", doc.Outputs)
	}
}

// TestTrackTextsBothLanguages: the terminal section, the report's section
// and the xlsx sheet in English and Russian.
func TestTrackTextsBothLanguages(t *testing.T) {
	run := trackRun(t)
	for _, c := range []struct {
		l     Lang
		want  []string
		sheet string
	}{
		{English, []string{"Actuals against the forecast", "What the first 9 months taught us", "inside the band", "Effective sample size"}, "Track"},
		{Russian, []string{"Фактические данные против прогноза", "Чему нас научили первые 9 мес.", "внутри полосы", "Эффективный размер выборки"}, "Факт"},
	} {
		var term, rep bytes.Buffer
		if err := WriteTrackTable(&term, run, c.l); err != nil {
			t.Fatal(err)
		}
		if err := WriteReport(&rep, run, c.l, nil); err != nil {
			t.Fatal(err)
		}
		page := html.UnescapeString(rep.String())
		for _, w := range c.want {
			if !strings.Contains(term.String(), w) || !strings.Contains(page, w) {
				t.Errorf("%s: %q missing from the terminal or the report", c.l, w)
			}
		}
		var x bytes.Buffer
		if err := WriteSummaryXLSX(&x, run, c.l); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&x)
		if err != nil {
			t.Fatal(err)
		}
		if v, err := f.GetCellValue(c.sheet, "A1"); err != nil || v != c.want[0] {
			t.Errorf("%s: sheet %s A1 = %q (%v)", c.l, c.sheet, v, err)
		}
		f.Close()
	}
	// The fan chart with the actuals, in Russian too.
	if _, err := RenderCharts(run, Russian, "png"); err != nil {
		t.Fatal(err)
	}
	assertTranslated(t)
}
