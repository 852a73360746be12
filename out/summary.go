package out

import (
	"fmt"
	"io"
	"math"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// Run is everything known about one simulated scenario: what was asked and
// what came out. How it was simulated (seed, sampling, workers) is the
// configuration the result records (Result.Config); its iterations are
// Result.Iterations.
type Run struct {
	Scenario *model.Scenario
	Result   *sim.Result
	Det      model.Deterministic
	Elapsed  float64 // seconds
	Version  string
	// Sensitivity, with run --sensitivity, adds a section to report.html.
	Sensitivity *sim.Sensitivity
	// VOI is the value of information, when it was computed for this run:
	// summary.pdf then says what knowing the input of largest EVPPI before
	// deciding is worth (and the EVPI). nil: the page has no such line.
	VOI *sim.VOI
	// Track, with crmroi track, holds the actuals against the forecast;
	// Result is then the forecast updated by them.
	Track *Track
}

// pctKeys are the JSON keys of sim.PctLevels.
var pctKeys = []string{"p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99"}

// bandKeys are the CSV columns of sim.BandLevels.
var bandKeys = []string{"p5", "p10", "p25", "p50", "p75", "p90", "p95"}

// Summary builds the summary.json document of cli.md for either model.
// The metrics, plan and tei come from the summary table; a formula model's
// document has no currency, outcomes or TEI row, names the scenario's model,
// and its tornado is of the primary output (tornado_output), whose rows name
// their values output_low and output_high.
func Summary(run *Run) Obj {
	r, s, t := run.Result, run.Scenario, NewSummaryTable(run)
	formula := s.IsFormula()
	low, high := "npv_low", "npv_high"
	if formula {
		low, high = "output_low", "output_high"
	}
	tornado := make([]Obj, 0, len(run.Det.Tornado))
	for _, tr := range run.Det.Tornado {
		tornado = append(tornado, Obj{{"input", tr.Input}, {"plan", Num(tr.Plan)}, {"low_value", Num(tr.LowValue)},
			{"high_value", Num(tr.HighValue)}, {low, Num(tr.NPVLow)}, {high, Num(tr.NPVHigh)}, {"swing", Num(tr.Swing)}})
	}
	scenario := Obj{{"name", s.Name}, {"file", s.File}, {"sha256", s.SHA256()}}
	var converged any = convergedObj(r.Converged)
	if formula {
		scenario = append(scenario, kv{"model", s.Model})
		converged = nil
	}
	doc := Obj{
		{"tool", Obj{{"name", "crmroi"}, {"version", run.Version}}},
		{"scenario", scenario},
		{"run", Obj{{"iterations", run.iterations()}, {"seed", run.seed()}, {"sampling", run.sampling()},
			{"workers", run.workers()}, {"elapsed_seconds", Num(math.Round(run.Elapsed*1000) / 1000)}, {"converged", converged}}},
	}
	if formula {
		primary := ""
		if len(t.Rows) > 0 {
			primary = t.Rows[0].Info.Name
		}
		return withNotes(append(doc, kv{"metrics", t.MetricsObj()}, kv{"plan", t.PlanObj()}, kv{"tornado_output", primary},
			kv{"tornado", tornado}, kv{"warnings", Warnings(run)}), s)
	}
	plan := t.PlanObj()
	if s.Finance != nil { // the plan case's cumulative cash flow (model.md section 6)
		plan = append(plan, kv{"cumulative", nums(run.Det.PlanCumulative)})
	}
	outcomes := Obj{}
	for o := model.Outcome(0); o < model.NumOutcomes; o++ {
		outcomes = append(outcomes, kv{o.String(), Num(r.Outcomes[o])})
	}
	doc = withGate(append(doc, kv{"currency", s.Currency}, kv{"metrics", t.MetricsObj()}, kv{"outcomes", outcomes}), run)
	doc = append(doc, kv{"plan", plan}, kv{"tei", t.TEIObj()}, kv{"tornado", tornado})
	if v := voiOf(run); v != nil { // run --sensitivity (extensions.md)
		doc = append(doc, kv{"voi", VOIObj(v)})
	}
	return withNotes(append(doc, kv{"warnings", Warnings(run)}), s)
}

// withNotes ends a summary.json document with the scenario's notes, where it
// has any (distributions cut at their domain with almost nothing outside).
func withNotes(doc Obj, s *model.Scenario) Obj {
	if len(s.Notes) > 0 {
		doc = append(doc, kv{"notes", append([]string{}, s.Notes...)})
	}
	return doc
}

// Warnings are the scenario's warnings and those of the run.
func Warnings(run *Run) []string {
	w := append([]string{}, run.Scenario.Warnings...)
	return append(w, NewSummaryTable(run).Warnings()...)
}

// WarningsIn are Warnings for a reader of l: in Russian, the scenario's
// warnings worded from their keys (model.Scenario.WarningsIn) and the
// table's in Russian.
func WarningsIn(run *Run, l Lang) []string {
	if l != Russian {
		return Warnings(run)
	}
	w := append([]string{}, run.Scenario.WarningsIn(string(l))...)
	t := NewSummaryTable(run)
	for _, row := range t.Rows {
		if row.Info.Undefined == model.UndefinedCount && row.Undefined > 0 {
			why := map[string]string{"no costs": "нет затрат"}[row.Info.UndefinedWhy]
			if why == "" {
				why = row.Info.UndefinedWhy
			}
			w = append(w, fmt.Sprintf("%s не определён (%s) в %d из %d итераций; они исключены из его статистик",
				row.Info.Label.In(string(l)), why, row.Undefined, t.Iterations))
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
