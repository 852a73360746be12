package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
	"gonum.org/v1/gonum/stat"
)

// TestNumericError: an output that is not a finite number where it must be
// stops the run at the first such iteration, naming the expression
// responsible, its value and the iteration's inputs; the inputs reported are
// the iteration's values (those Result.Inputs would show).
func TestNumericError(t *testing.T) {
	s, err := model.Parse("f.yaml", []byte("model: formula\ninputs:\n  a: 2\n  x: uniform(-1, 1)\noutputs:\n  y: a * log(x + 0.9)\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Iterations: 3000, Seed: 3, Workers: 1}
	_, err = Run(context.Background(), s, cfg)
	var ne *NumericError
	if !errors.As(err, &ne) {
		t.Fatalf("Run: %v, want a NumericError", err)
	}
	if !strings.HasPrefix(ne.Output, "output y (f.yaml:") || ne.Value == ne.Value {
		t.Errorf("output %q, value %v: want output y's position and NaN", ne.Output, ne.Value)
	}
	cfg.KeepSamples = true
	res, err := RunModel(context.Background(), s, constModel{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	first := -1
	for i, x := range res.Inputs[0] {
		if x+0.9 < 0 {
			first = i
			break
		}
	}
	if ne.Iteration != first {
		t.Errorf("iteration %d, want %d, the first with x < −0.9", ne.Iteration, first)
	}
	if want := []string{"x=" + strconv.FormatFloat(res.Inputs[0][first], 'g', -1, 64)}; len(ne.Inputs) != 1 || ne.Inputs[0] != want[0] {
		t.Errorf("inputs %q, want %q", ne.Inputs, want)
	}
}

// constModel is a model with one output, always 0, and no month axis.
type constModel struct{}

func (constModel) Outputs() []model.OutputInfo   { return []model.OutputInfo{{Name: "zero"}} }
func (constModel) Horizon() int                  { return 0 }
func (constModel) NewEvaluator() model.Evaluator { return constModel{} }
func (constModel) Eval(_ []float64, _ model.RiskDraws, _ bool, out, _ []float64) model.Outcome {
	out[0] = 0
	return model.OK
}

// TestNumericErrorBlock: in the CRM model, whose evaluator evaluates a block
// at a time, a custom line that is not a finite number in some iterations
// stops the run at the first of them, naming the line, with 1, 2 or 8
// workers; the run without the line draws the same inputs (streams are per
// name).
func TestNumericErrorBlock(t *testing.T) {
	base := string(model.DefaultYAML)
	bad := strings.Replace(base, "risks:", "custom:\n  - {name: Fragile line, kind: benefit, monthly: \"log(company.growth - 0.07)\"}\nrisks:", 1)
	s, err := model.Parse("bad.yaml", []byte(bad), nil)
	if err != nil {
		t.Fatal(err)
	}
	var ne *NumericError
	cfg := Config{Iterations: 5000, Seed: 9}
	for _, workers := range []int{1, 2, 8} { // the same error whichever worker meets it
		cfg.Workers = workers
		_, err = Run(context.Background(), s, cfg)
		var e *NumericError
		if !errors.As(err, &e) {
			t.Fatalf("Run with %d workers: %v, want a NumericError", workers, err)
		}
		if ne != nil && e.Iteration != ne.Iteration {
			t.Errorf("%d workers: iteration %d, %d with one worker", workers, e.Iteration, ne.Iteration)
		}
		ne = e
	}
	if !strings.Contains(ne.Output, "Fragile line") {
		t.Errorf("output %q, want the custom line", ne.Output)
	}
	good, err := model.Parse("good.yaml", []byte(base), nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.KeepSamples = true
	res, err := Run(context.Background(), good, cfg)
	if err != nil {
		t.Fatal(err)
	}
	g := -1
	for k, name := range res.InputNames {
		if name == "company.growth" {
			g = k
		}
	}
	if g < 0 {
		t.Fatalf("no company.growth among %q", res.InputNames)
	}
	first := -1
	for i, v := range res.Inputs[g] {
		if v < 0.07 {
			first = i
			break
		}
	}
	if first < 0 || ne.Iteration != first {
		t.Errorf("iteration %d, want %d, the first with growth < 0.07", ne.Iteration, first)
	}
}

// TestHugeValuesStop: an output beyond MaxOutput, or a monthly value beyond
// MaxMonthly, stops the run with a NumericError that names it, its limit and
// the iteration (they overflowed the statistics silently: mean and sd null,
// empty bands); values below the limits give finite statistics.
func TestHugeValuesStop(t *testing.T) {
	run := func(src string, sets ...model.Set) (*Result, error) {
		s, err := model.Parse("f.yaml", []byte(src), sets)
		if err != nil {
			t.Fatal(err)
		}
		return Run(context.Background(), s, Config{Iterations: 3000, Seed: 1, Workers: 2})
	}
	formula := "model: formula\ninputs:\n  x: uniform(1, 2)\noutputs:\n  y: x * %s\n  z: x\n"
	for _, c := range []struct {
		scale string
		ok    bool
	}{{"1e200", false}, {"-1e150", false}, {"7e99", false}, {"1e99", true}, {"-1e99", true}} {
		r, err := run(fmt.Sprintf(formula, c.scale))
		var ne *NumericError
		if c.ok {
			if err != nil {
				t.Errorf("x * %s: %v", c.scale, err)
				continue
			}
			m := r.Metrics[0]
			if m.Mean-m.Mean != 0 || m.SD-m.SD != 0 || m.SD == 0 || m.Pct[4]-m.Pct[4] != 0 {
				t.Errorf("x * %s: statistics %+v", c.scale, m)
			}
			continue
		}
		if !errors.As(err, &ne) || ne.Output != "y" || ne.Limit != MaxOutput || !strings.Contains(err.Error(), "beyond ±1e+100") {
			t.Errorf("x * %s: error %v", c.scale, err)
		}
	}
	_, err := run(string(model.DefaultYAML), model.Set{Name: "company.growth", Value: "1000", N: 1},
		model.Set{Name: "horizon_months", Value: "120", N: 2}, model.Set{Name: "company.revenue", Value: "1e15", N: 3})
	var ne *NumericError
	if !errors.As(err, &ne) || ne.Limit != MaxMonthly || !strings.Contains(ne.Output, "month") {
		t.Errorf("monthly values beyond 1e36: error %v", err)
	}
}

// TestAchievedRankCorrelation: the rank correlation the copula achieves,
// computed at load from the marginals (model.AchievedRankCorrelation), is the
// one the run's samples show, within their sampling error: attenuated where
// an input has atoms (a bernoulli with a normal asked 0.5 reaches about
// 0.41), ρ itself for continuous inputs; the scenario warns of the first
// kind only, with the achieved value.
func TestAchievedRankCorrelation(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		rho   float64
		warns bool
	}{
		{"bernoulli(0.5)", "normal(0, 1)", 0.5, true},
		{"bernoulli(0.2)", "discrete(values=[1, 2, 3], weights=[0.5, 0.3, 0.2])", 0.7, true},
		{"discrete(values=[0, 5], weights=[0.9, 0.1])", "uniform(0, 1)", -0.6, true},
		{"normal(0, 1)", "lognormal(mu=0, sigma=1)", 0.5, false},
	} {
		src := fmt.Sprintf("model: formula\ninputs:\n  a: %s\n  b: %s\ncorrelations:\n  - [a, b, %v]\noutputs:\n  y: a + b\n", c.a, c.b, c.rho)
		s, err := model.Parse("f.yaml", []byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		want := model.AchievedRankCorrelation(s.Inputs[0].Dist, s.Inputs[1].Dist, c.rho)
		r, err := Run(context.Background(), s, Config{Iterations: 200_000, Seed: 9, Workers: 2, KeepSamples: true})
		if err != nil {
			t.Fatal(err)
		}
		got := stat.Correlation(Ranks(r.Inputs[0]), Ranks(r.Inputs[1]), nil)
		if math.Abs(got-want) > 0.01 { // the sample's standard error is about 0.002
			t.Errorf("%s ~ %s at %v: the samples show %.4f, the load computed %.4f", c.a, c.b, c.rho, got, want)
		}
		if !c.warns && math.Abs(want-c.rho) > 1e-3 {
			t.Errorf("continuous %s ~ %s: achieved %.4f, not %v", c.a, c.b, want, c.rho)
		}
		warned := false
		for _, w := range s.Flagged {
			warned = warned || strings.Contains(w.Msg, fmt.Sprintf("achieves %.3f", want))
		}
		if warned != c.warns {
			t.Errorf("%s ~ %s: warned %v, want %v (%v)", c.a, c.b, warned, c.warns, s.Flagged)
		}
	}
}
