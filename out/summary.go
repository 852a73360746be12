package out

import (
	"fmt"
	"io"
	"math"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// Run is everything known about one simulated scenario: what was asked and what came out.
type Run struct {
	Scenario   *model.Scenario
	Result     *sim.Result
	Det        model.Deterministic
	Iterations int
	Seed       uint64
	Sampling   string
	Workers    int
	Elapsed    float64 // seconds
	Version    string
	// Sensitivity, with run --sensitivity, adds a section to report.html.
	Sensitivity *sim.Sensitivity
}

// pctKeys are the JSON keys of sim.PctLevels.
var pctKeys = []string{"p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99"}

// bandKeys are the CSV columns of sim.BandLevels.
var bandKeys = []string{"p5", "p10", "p25", "p50", "p75", "p90", "p95"}

// metricObj writes the statistics of output k of model.Outputs as summary.json says.
func metricObj(r *sim.Result, k int) Obj {
	s := r.Metrics[k]
	name := model.Outputs[k]
	var o Obj
	if name != "payback_months" {
		o = append(o, kv{"mean", Num(s.Mean)}, kv{"sd", Num(s.SD)}, kv{"se_mean", Num(s.SE)})
	}
	o = append(o, kv{"min", Num(s.Min)}, kv{"max", Num(s.Max)})
	for i, key := range pctKeys {
		o = append(o, kv{key, Num(s.Pct[i])})
	}
	switch name {
	case "npv":
		o = append(o, kv{"prob_negative", Num(lossProb(r))})
	case "roi":
		o = append(o, kv{"undefined", r.Undefined[k]})
	case "payback_months":
		o = append(o, kv{"prob_within_12", Num(probOf(r, "prob_within_12"))}, kv{"prob_within_24", Num(probOf(r, "prob_within_24"))},
			kv{"prob_within_36", Num(probOf(r, "prob_within_36"))}, kv{"prob_not_reached", Num(probOf(r, "prob_not_reached"))})
	case "irr_annual":
		o = append(o, kv{"share_defined", Num(float64(s.N) / float64(r.Iterations))})
	}
	return o
}

// planObj writes a deterministic result (the plan case) with the names of model.Outputs.
func planObj(p model.Result) Obj {
	v := p.Values()
	o := Obj{}
	for _, k := range []int{0, 1, 4, 5, 2, 3, 6, 7} { // npv, roi, payback, peak, pv_b, pv_c, uplift, irr
		o = append(o, kv{model.Outputs[k], Num(v[k])})
	}
	return o
}

// Summary builds the summary.json document of cli.md.
func Summary(run *Run) Obj {
	r, s := run.Result, run.Scenario
	metrics := Obj{}
	for k, name := range model.Outputs {
		metrics = append(metrics, kv{name, metricObj(r, k)})
	}
	plan := planObj(run.Det.Plan)
	if s.Finance != nil {
		metrics = append(metrics, financeMetrics(r)...)
		plan = financePlan(plan, run)
	}
	outcomes := Obj{}
	for o := model.Outcome(0); o < model.NumOutcomes; o++ {
		outcomes = append(outcomes, kv{o.String(), Num(r.Outcomes[o])})
	}
	tornado := make([]Obj, 0, len(run.Det.Tornado))
	for _, t := range run.Det.Tornado {
		tornado = append(tornado, Obj{{"input", t.Input}, {"plan", Num(t.Plan)}, {"low_value", Num(t.LowValue)},
			{"high_value", Num(t.HighValue)}, {"npv_low", Num(t.NPVLow)}, {"npv_high", Num(t.NPVHigh)}, {"swing", Num(t.Swing)}})
	}
	o := Obj{
		{"tool", Obj{{"name", "crmroi"}, {"version", run.Version}}},
		{"scenario", Obj{{"name", s.Name}, {"file", s.File}, {"sha256", s.SHA256()}}},
		{"run", Obj{{"iterations", run.Iterations}, {"seed", run.Seed}, {"sampling", run.Sampling},
			{"workers", run.Workers}, {"elapsed_seconds", Num(math.Round(run.Elapsed*1000) / 1000)}, {"converged", convergedObj(run.Result.Converged)}}},
		{"currency", s.Currency},
		{"metrics", metrics},
		{"outcomes", outcomes},
		{"plan", plan},
		{"tei", Obj{{"npv", Num(run.Det.TEI.NPV)}, {"roi", Num(run.Det.TEI.ROI)}}},
		{"tornado", tornado},
		{"warnings", Warnings(run)},
	}
	if len(s.Notes) > 0 { // distributions cut at their domain with almost nothing outside
		o = append(o, kv{"notes", append([]string{}, s.Notes...)})
	}
	return o
}

// Warnings are the scenario's warnings and those of the run.
func Warnings(run *Run) []string {
	w := append([]string{}, run.Scenario.Warnings...)
	r := run.Result
	for k, name := range model.Outputs {
		if name == "roi" && r.Undefined[k] > 0 {
			w = append(w, fmt.Sprintf("roi is undefined (no costs) in %d of %d iterations; they are excluded from its statistics", r.Undefined[k], r.Iterations))
		}
	}
	return w
}

// WriteSummaryJSON writes summary.json, indented, with a final newline.
func WriteSummaryJSON(w io.Writer, run *Run) error {
	return writeIndented(w, Summary(run))
}

// convergedObj is run.converged of summary.json: null without --tolerance;
// otherwise whether the tolerance was met, at how many iterations, and the
// largest 95% half-width relative to P95 − P5 (cli.md "Convergence").
func convergedObj(c *sim.Convergence) any {
	if c == nil {
		return nil
	}
	reason := "tolerance met"
	if !c.Converged {
		reason = "max-iterations reached"
	}
	return Obj{{"converged", c.Converged}, {"iterations", c.Iterations}, {"tolerance", Num(c.Tolerance)},
		{"relative_half_width", Num(c.HalfWidth)}, {"reason", reason}}
}
