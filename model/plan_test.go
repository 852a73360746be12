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
	if len(d.Tornado) != len(want.Tornado) {
		t.Fatalf("tornado has %d rows, want %d", len(d.Tornado), len(want.Tornado))
	}
	for i, w := range want.Tornado {
		g := d.Tornado[i]
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
