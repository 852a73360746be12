package model

import (
	"math"
	"testing"

	"github.com/crmroi/crmroi/internal/checks"
)

type checkTornado struct {
	Input     string  `json:"input"`
	Plan      float64 `json:"plan"`
	LowValue  float64 `json:"low_value"`
	HighValue float64 `json:"high_value"`
	NPVLow    float64 `json:"npv_low"`
	NPVHigh   float64 `json:"npv_high"`
	Swing     float64 `json:"swing"`
}

type defaultChecks struct {
	Plan    map[string]float64 `json:"plan"`
	TEI     map[string]float64 `json:"tei"`
	Tornado []checkTornado     `json:"tornado"`
}

func relClose(got, want, tol float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= tol*math.Max(math.Abs(want), 1e-300)
}

func TestDefaultPlanTEITornado(t *testing.T) {
	var want defaultChecks
	checks.LoadJSON(t, "default.json", &want)
	d := NewCRM(Default()).Deterministic()
	got := map[string]float64{}
	v := d.Plan.Values()
	for k, name := range Outputs {
		got[name] = v[k]
	}
	if len(want.Plan) == 0 {
		t.Fatal("default.json has no plan figures")
	}
	for name, w := range want.Plan {
		if !relClose(got[name], w, 1e-9) {
			t.Errorf("plan %s = %.15g, want %.15g (rel err %.2g)", name, got[name], w, math.Abs(got[name]-w)/math.Abs(w))
		}
	}
	if !relClose(d.TEI.NPV, want.TEI["npv"], 1e-9) || !relClose(d.TEI.ROI, want.TEI["roi"], 1e-9) {
		t.Errorf("tei = %+v, want %v", d.TEI, want.TEI)
	}
	var inputs []TornadoRow // the checks hold the inputs' rows
	for _, r := range d.Tornado {
		if !r.Risk {
			inputs = append(inputs, r)
		}
	}
	if len(inputs) != len(want.Tornado) {
		t.Fatalf("tornado has %d input rows, want %d", len(inputs), len(want.Tornado))
	}
	for i, w := range want.Tornado {
		g := inputs[i]
		if g.Input != w.Input {
			t.Errorf("tornado row %d is %s, want %s", i, g.Input, w.Input)
			continue
		}
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"plan", g.Plan, w.Plan}, {"low_value", g.LowValue, w.LowValue}, {"high_value", g.HighValue, w.HighValue},
			{"npv_low", g.NPVLow, w.NPVLow}, {"npv_high", g.NPVHigh, w.NPVHigh}, {"swing", g.Swing, w.Swing}} {
			if !relClose(c.got, c.want, 1e-6) {
				t.Errorf("tornado %s %s = %.12g, want %.12g", w.Input, c.name, c.got, c.want)
			}
		}
	}
}

// TestDimsMatchCompile: Dims gives the compiled model's number of outputs
// and horizon, for the CRM model and a formula model; Scenario.GoLive gives
// the compiled CRM's.
func TestDimsMatchCompile(t *testing.T) {
	formula, err := Parse("f.yaml", []byte("model: formula\ninputs:\n  a: uniform(1, 2)\noutputs:\n  y: a * 2\n  z: a + 1\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Scenario{Default(), formula} {
		m := Compile(s)
		if o, h := Dims(s); o != len(m.Outputs()) || h != m.Horizon() {
			t.Errorf("Dims = %d, %d; the compiled model has %d outputs, horizon %d", o, h, len(m.Outputs()), m.Horizon())
		}
	}
	s := Default()
	m := NewCRM(s)
	for _, slip := range []float64{0, 0.5, 1, 1.37, 2.25, 1e12, math.NaN()} {
		if a, b := s.GoLive(slip), m.GoLive(slip); a != b {
			t.Errorf("GoLive(%v) = %d, the model's %d", slip, a, b)
		}
	}
}

// TestTornadoRiskRows: the tornado has a row per risk event whose
// probability is above 0, named risk.cancel and risk.abandon (no input has
// such a name), the plan case against the event forced on, sorted among the
// inputs by swing: on the default scenario they are the largest drivers (the
// inputs' rows are the checks' unchanged). Without risks there are none.
func TestTornadoRiskRows(t *testing.T) {
	s := Default()
	m := NewCRM(s)
	d := m.Deterministic()
	plan := d.Plan.NPV
	ws := m.NewWorkspace()
	found := map[string]TornadoRow{}
	for i, r := range d.Tornado {
		if i > 0 && r.Swing > d.Tornado[i-1].Swing {
			t.Errorf("row %d (%s) is out of order", i, r.Input)
		}
		if !r.Risk {
			continue
		}
		found[r.Input] = r
		if r.NPVLow != plan || r.LowValue != 0 || r.HighValue != 1 || r.Swing != math.Abs(r.NPVHigh-plan) {
			t.Errorf("%s: %+v", r.Input, r)
		}
	}
	c, a := s.Risks.Cancel, s.Risks.Abandon
	for name, w := range map[string]struct {
		prob float64
		r    RiskDraws
		out  Outcome
	}{
		RiskCancel:  {c, RiskDraws{Outcome: c / 2, CancelMonth: 0.5, AbandonMonth: 0.5, AbandonFactor: 0.5}, Cancelled},
		RiskAbandon: {a, RiskDraws{Outcome: c + (1-c)*a/2, CancelMonth: 0.5, AbandonMonth: 0.5, AbandonFactor: 0.5}, Abandoned},
	} {
		row, ok := found[name]
		res := m.Eval(s.PlanValues(), w.r, true, ws, nil)
		if !ok || row.Plan != w.prob || res.Outcome != w.out || row.NPVHigh != res.NPV {
			t.Errorf("%s: row %+v, forced case %+v", name, row, res)
		}
		for _, in := range s.Inputs {
			if in.Path == name {
				t.Errorf("an input is called %s", name)
			}
		}
	}
	if top := d.Tornado[0]; !top.Risk {
		t.Errorf("the largest driver is %s, not a risk event", top.Input)
	}
	s.Risks.Cancel, s.Risks.Abandon = 0, 0
	for _, r := range NewCRM(s).Deterministic().Tornado {
		if r.Risk {
			t.Errorf("a risk row %s without risks", r.Input)
		}
	}
}
