package sim

import (
	"cmp"
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/crmroi/crmroi/model"
)

func loadFormula(t *testing.T, text string) *model.Scenario {
	t.Helper()
	p := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := model.Load(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// RunVOI on two formula scenarios that share x1 under common random numbers:
// A = 0.3 + x1 + x2, B = 0.5 + 0.2·x1 + x3 and "do nothing". The EVPI has no
// closed form with three options, but EVPPI(all inputs) must equal it, x4
// (in no payoff) is worth 0, and every estimate is the same with 1 and 3
// workers.
func TestRunVOIBatch(t *testing.T) {
	a := loadFormula(t, "name: A\nmodel: formula\ninputs:\n  x1: normal(0, 1)\n  x2: normal(0, 0.8)\n  x4: normal(0, 3)\noutputs:\n  y: 0.3 + x1 + x2\n")
	b := loadFormula(t, "name: B\nmodel: formula\ninputs:\n  x1: normal(0, 1)\n  x3: normal(0, 0.6)\noutputs:\n  y: 0.5 + 0.2 * x1 + x3\n")
	cfg := SensitivityConfig{Iterations: 60_000, Seed: 5, Workers: 1}
	r1, err := RunVOI(context.Background(), []*model.Scenario{a, b}, []string{"A", "B"}, cfg, VOIConfig{})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Workers = 3
	r3, err := RunVOI(context.Background(), []*model.Scenario{a, b}, []string{"A", "B"}, cfg, VOIConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r1, r3) {
		t.Errorf("workers change the result:\n%+v\n%+v", r1, r3)
	}
	if got := r1.Options; !reflect.DeepEqual(got, []string{"A", "B", DoNothing}) || r1.Best != 1 || r1.Iterations != 60_000 {
		t.Errorf("options %v, best %d, iterations %d", got, r1.Best, r1.Iterations)
	}
	var names []string
	byName := map[string]EVPPI{}
	for _, f := range r1.Inputs {
		names = append(names, f.Name)
		byName[f.Name] = f.EVPPI
	}
	if !reflect.DeepEqual(names, []string{"x1", "x2", "x4", "x3"}) {
		t.Errorf("factors %v", names)
	}
	if e := byName["x4"]; e.Lo != 0 || e.Value > 0.01*r1.EVPI.Value {
		t.Errorf("EVPPI(x4) %+v, EVPI %+v", e, r1.EVPI)
	}
	for _, f := range r1.Inputs {
		if f.Value > r1.EVPI.Value+4*r1.EVPI.SE {
			t.Errorf("EVPPI(%s) %g above EVPI %g", f.Name, f.Value, r1.EVPI.Value)
		}
	}
	if math.IsNaN(r1.EVPI.Value) || r1.EVPI.Value <= 0 {
		t.Errorf("EVPI %+v", r1.EVPI)
	}
}

// The default CRM scenario: every factor and group is estimated, none is
// negative or far above the EVPI, the risk draws and the risk-events group
// are there, and the result is the one-option decision against "do nothing".
func TestRunVOIDefaultScenario(t *testing.T) {
	s := model.Default()
	r, err := RunVOI(context.Background(), []*model.Scenario{s}, []string{"invest"}, SensitivityConfig{Iterations: 20_000, Seed: 2, Workers: 2}, VOIConfig{Boot: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Inputs) != len(s.Uncertain())+len(model.RiskNames) || len(r.Groups) == 0 {
		t.Fatalf("%d factors, %d groups", len(r.Inputs), len(r.Groups))
	}
	risk := false
	for _, g := range r.Groups {
		risk = risk || g.Name == model.RiskGroup
		check(t, g.Name, g.EVPPI, r.EVPI)
	}
	if !risk {
		t.Errorf("no %q group", model.RiskGroup)
	}
	for _, f := range r.Inputs {
		check(t, f.Name, f.EVPPI, r.EVPI)
	}
	if r.Output != "npv" || len(r.Options) != 2 {
		t.Errorf("output %q, options %v", r.Output, r.Options)
	}
}

func check(t *testing.T, name string, e EVPPI, evpi EVPI) {
	t.Helper()
	if math.IsNaN(e.Value) || e.Value < 0 || e.Lo < 0 || e.Lo > e.Value || e.Hi < e.Value || e.Value > evpi.Value+4*evpi.SE {
		t.Errorf("%s: %+v (EVPI %+v)", name, e, evpi)
	}
}

// voiSample keeps an uncorrelated input as its uniform draw: ordering the
// iterations by it orders them by the input's value (sample's), so its bins
// are the value's; a correlated input keeps its values, equal to sample's.
func TestVOISampleUniformsOrderValues(t *testing.T) {
	s := model.Default()
	d := newDesign(s, model.Compile(s))
	cfg := SensitivityConfig{Iterations: 3000, Seed: 9, Workers: 2, ran: func(int) {}}
	cols, y, err := d.voiSample(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	want, wy, err := d.sample(context.Background(), cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(y, wy) || len(cols) != len(want) {
		t.Fatalf("payoff or factor count differ: %d vs %d factors", len(cols), len(want))
	}
	nu, nx := 0, 0
	for j, c := range cols {
		if c.x != nil {
			nx++
			if !reflect.DeepEqual(c.x, want[j]) {
				t.Errorf("%s: values differ from sample's", d.name(j))
			}
			continue
		}
		nu++
		idx := make([]int, len(c.u))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(c.u[a], c.u[b]) })
		for k := 1; k < len(idx); k++ {
			a, b := idx[k-1], idx[k]
			if c.u[a] < c.u[b] && want[j][a] > want[j][b] {
				t.Fatalf("%s: u %v < %v but value %v > %v", d.name(j), c.u[a], c.u[b], want[j][a], want[j][b])
			}
		}
	}
	if nx != 2 || nu < 10 { // the default scenario correlates costs.overrun and costs.schedule_slip
		t.Errorf("%d columns of values, %d of uniforms", nx, nu)
	}
}
