package sim

import (
	"context"
	"math"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// threshModel has three outputs of one normal input x: y0 = x, y1 = x − 1
// (+Inf where x > 1.5: "not reached") and y2 = x·x, each with its own
// thresholds, so that the engine's counts can be checked against the values.
type threshModel struct{}

func (threshModel) Outputs() []model.OutputInfo {
	return []model.OutputInfo{
		{Name: "y0", Thresholds: []model.Threshold{{Key: "neg", Cmp: model.Below, At: 0}}},
		{Name: "y1", Unreachable: true, Thresholds: []model.Threshold{
			{Key: "le0", Cmp: model.AtMost, At: 0}, {Key: "below_half", Cmp: model.Below, At: -0.5},
			{Key: "never", Cmp: model.Above, At: math.MaxFloat64}}},
		{Name: "y2"},
		{Name: "y3", Thresholds: []model.Threshold{{Key: "big", Cmp: model.Above, At: 2}}},
	}
}
func (threshModel) Horizon() int                  { return 0 }
func (threshModel) NewEvaluator() model.Evaluator { return threshEval{} }

type threshEval struct{}

func (threshEval) Eval(x []float64, _ model.RiskDraws, _ bool, out, _ []float64) model.Outcome {
	out[0], out[1], out[2], out[3] = x[0], x[0]-1, x[0]*x[0], x[0]*x[0]
	if x[0] > 1.5 {
		out[1] = math.Inf(1)
	}
	return model.OK
}

// TestThresholdsCountEveryIteration checks that every output's thresholds are
// counted over all iterations, exactly, in exact and in sketch mode: above
// the kept values' limit too (issue 17 item 2: a formula model's second
// output counted only the kept values), and for outputs after the first.
func TestThresholdsCountEveryIteration(t *testing.T) {
	defer func(old int) { exactLimit = old }(exactLimit)
	exactLimit = 8 * BlockSize
	s := testScenario(t, "normal(0, 1)")
	m := threshModel{}
	infos := m.Outputs()
	for _, n := range []int{5000, 3*exactLimit + 77} {
		want := make([][]int64, len(infos))
		for k, o := range infos {
			want[k] = make([]int64, len(o.Thresholds))
		}
		sink := func(b *Block) error {
			for k, o := range infos {
				for j, th := range o.Thresholds {
					for _, v := range b.Outputs[k] {
						if th.Holds(v) {
							want[k][j]++
						}
					}
				}
			}
			return nil
		}
		res, err := RunModel(context.Background(), s, m, Config{Iterations: n, Seed: 3, Workers: 2, KeepOutputs: true, Sink: sink})
		if err != nil {
			t.Fatal(err)
		}
		if res.Exact != (n <= exactLimit) {
			t.Fatalf("n %d: exact %v", n, res.Exact)
		}
		for k, o := range infos {
			if len(res.Probs[k]) != len(o.Thresholds) {
				t.Fatalf("n %d: output %s has %d probabilities, want %d", n, o.Name, len(res.Probs[k]), len(o.Thresholds))
			}
			for j, th := range o.Thresholds {
				w := float64(want[k][j]) / float64(n)
				if got := res.Prob(k, th.Key); got != w || res.Probs[k][j] != w {
					t.Errorf("n %d: %s %s = %v, want %v", n, o.Name, th.Key, got, w)
				}
			}
		}
		if p := res.Prob(2, "neg"); !math.IsNaN(p) {
			t.Errorf("an output without that threshold has probability %v", p)
		}
		if res.Config.Iterations != n || res.Config.Seed != 3 || res.Config.Workers != 2 || res.Config.Sink != nil {
			t.Errorf("n %d: the result records config %+v", n, res.Config)
		}
	}
}
