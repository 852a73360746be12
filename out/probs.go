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

// monthsOutput is the index of r's first output measured in months (the
// CRM model's payback), or −1.
func monthsOutput(r *sim.Result) int {
	for k, o := range r.Info {
		if o.Unit == model.UnitMonths {
			return k
		}
	}
	return -1
}

// monthsP50 is the median of r's output in months (payback), or NaN.
func monthsP50(r *sim.Result) float64 {
	if k := monthsOutput(r); k >= 0 {
		return r.Metrics[k].Pct[pctP50]
	}
	return math.NaN()
}
