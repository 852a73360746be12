package out

import (
	"math"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// probOf returns the probability of the threshold called key
// (model.Threshold.Key) of the first output of r that reports it, or NaN.
func probOf(r *sim.Result, key string) float64 {
	for k, o := range r.Info {
		if _, ok := o.Threshold(key); ok {
			return r.Prob(k, key)
		}
	}
	return math.NaN()
}

// lossProb is P(primary output < 0): P(loss) for the CRM model.
func lossProb(r *sim.Result) float64 { return r.Prob(0, model.ProbNegative) }
