package out

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// Comparison is a batch of scenarios simulated with the same seed and
// iterations. Every input's and risk's random numbers depend only on (seed,
// block, name), so iteration i of every scenario sees the same draws for the
// inputs they share (common random numbers): differences between scenarios,
// iteration by iteration, are the options', not the noise.
type Comparison struct {
	Runs   []*Run
	Slugs  []string    // each run's folder name, unique
	Labels []string    // each run's name for a reader, unique
	NPV    [][]float64 // each run's NPV per iteration, in iteration order
	Pairs  []Pair      // every pair of runs A < B, in order
	// Workers is the number of workers the batch had; Elapsed its duration in seconds.
	Workers int
	Elapsed float64
	Version string
	// VOI is the value of information of choosing among the options, when
	// it was computed: batch's summary.pdf then shows it. nil: no such line.
	VOI *sim.VOI
}

// Pair compares the NPV of run A with run B iteration by iteration.
type Pair struct {
	A, B int // indices in Comparison.Runs
	// ProbAGreater is the share of iterations with NPV_A > NPV_B,
	// ProbBGreater with NPV_B > NPV_A and ProbTie with NPV_A = NPV_B.
	ProbAGreater, ProbTie, ProbBGreater float64
	// Diff describes NPV_A − NPV_B over the iterations.
	Diff DiffStats
}

// DiffStats describes an iteration-by-iteration difference.
type DiffStats struct {
	Mean, SD, SE float64 // SE is the standard error of the mean, SD/√n
	Min, Max     float64
	P5, P50, P95 float64
	AllZero      bool // every difference is exactly 0
}

// ComparePair compares two NPV columns of the same length iteration by iteration.
func ComparePair(a, b []float64) (Pair, error) {
	if len(a) != len(b) || len(a) == 0 {
		return Pair{}, fmt.Errorf("comparing %d iterations with %d: a comparison needs the same number of iterations", len(a), len(b))
	}
	n := len(a)
	d := make([]float64, n)
	var gt, lt int
	sum := 0.0
	for i := range a {
		d[i] = a[i] - b[i]
		switch {
		case a[i] > b[i]:
			gt++
		case a[i] < b[i]:
			lt++
		}
		sum += d[i]
	}
	fn := float64(n)
	p := Pair{ProbAGreater: float64(gt) / fn, ProbBGreater: float64(lt) / fn, ProbTie: float64(n-gt-lt) / fn}
	s := DiffStats{Mean: sum / fn, Min: math.Inf(1), Max: math.Inf(-1)}
	ss := 0.0
	for _, v := range d {
		ss += (v - s.Mean) * (v - s.Mean)
		s.Min = math.Min(s.Min, v)
		s.Max = math.Max(s.Max, v)
	}
	if n > 1 {
		s.SD = math.Sqrt(ss / (fn - 1))
		s.SE = s.SD / math.Sqrt(fn)
	}
	q := sim.Quantiles(d, []float64{0.05, 0.50, 0.95})
	s.P5, s.P50, s.P95 = q[0], q[1], q[2]
	s.AllZero = gt == 0 && lt == 0
	p.Diff = s
	return p, nil
}

// NewComparison builds the comparison of runs, whose NPV per iteration is
// npv[i], with folder names slugs, and computes every pair.
func NewComparison(runs []*Run, slugs []string, npv [][]float64) (*Comparison, error) {
	if len(runs) != len(slugs) || len(runs) != len(npv) {
		return nil, errors.New("comparison: runs, slugs and NPV columns differ in number")
	}
	c := &Comparison{Runs: runs, Slugs: slugs, NPV: npv, Labels: uniqueLabels(runs)}
	for a := range runs {
		for b := a + 1; b < len(runs); b++ {
			p, err := ComparePair(npv[a], npv[b])
			if err != nil {
				return nil, err
			}
			p.A, p.B = a, b
			c.Pairs = append(c.Pairs, p)
		}
	}
	return c, nil
}

// ScenarioLabel is the name a reader knows a run's scenario by: its name, or
// else its file name without folder and extension.
func ScenarioLabel(s *model.Scenario) string {
	if strings.TrimSpace(s.Name) != "" {
		return strings.TrimSpace(s.Name)
	}
	base := filepath.Base(s.File)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// uniqueLabels labels every run, adding " (2)", " (3)" to repeated names.
func uniqueLabels(runs []*Run) []string {
	seen := map[string]int{}
	out := make([]string, len(runs))
	for i, r := range runs {
		l := ScenarioLabel(r.Scenario)
		seen[l]++
		if k := seen[l]; k > 1 {
			l = fmt.Sprintf("%s (%d)", l, k)
		}
		out[i] = l
	}
	return out
}

// keyColumn is one statistic of a run in comparison.csv and sweep.csv.
type keyColumn struct {
	name  string
	value func(r *Run) float64
}

func metricPct(k, i int) func(r *Run) float64 {
	return func(r *Run) float64 { return r.Result.Metrics[k].Pct[i] }
}

// keyColumns are the key statistics of summary.json, flattened.
var keyColumns = []keyColumn{
	{"npv_mean", func(r *Run) float64 { return r.Result.Metrics[0].Mean }},
	{"npv_sd", func(r *Run) float64 { return r.Result.Metrics[0].SD }},
	{"npv_p5", metricPct(0, pctP5)},
	{"npv_p10", metricPct(0, 2)},
	{"npv_p25", metricPct(0, pctP25)},
	{"npv_p50", metricPct(0, pctP50)},
	{"npv_p75", metricPct(0, pctP75)},
	{"npv_p90", metricPct(0, 6)},
	{"npv_p95", metricPct(0, pctP95)},
	{"prob_loss", func(r *Run) float64 { return lossProb(r.Result) }},
	{"roi_mean", func(r *Run) float64 { return r.Result.Metrics[1].Mean }},
	{"roi_p50", metricPct(1, pctP50)},
	{"payback_p50", metricPct(4, pctP50)},
	{"payback_within_12", func(r *Run) float64 { return probOf(r.Result, "prob_within_12") }},
	{"payback_within_24", func(r *Run) float64 { return probOf(r.Result, "prob_within_24") }},
	{"payback_within_36", func(r *Run) float64 { return probOf(r.Result, "prob_within_36") }},
	{"payback_not_reached", func(r *Run) float64 { return probOf(r.Result, "prob_not_reached") }},
	{"peak_funding_p50", metricPct(5, pctP50)},
	{"peak_funding_p95", metricPct(5, pctP95)},
	{"irr_p50", metricPct(7, pctP50)},
	{"outcome_ok", func(r *Run) float64 { return r.Result.Outcomes[model.OK] }},
	{"outcome_cancelled", func(r *Run) float64 { return r.Result.Outcomes[model.Cancelled] }},
	{"outcome_abandoned", func(r *Run) float64 { return r.Result.Outcomes[model.Abandoned] }},
	{"plan_npv", func(r *Run) float64 { return r.Det.Plan.NPV }},
	{"plan_roi", func(r *Run) float64 { return r.Det.Plan.ROI }},
	{"plan_payback", func(r *Run) float64 { return r.Det.Plan.Payback }},
	{"plan_peak_funding", func(r *Run) float64 { return r.Det.Plan.PeakFunding }},
	{"tei_npv", func(r *Run) float64 { return r.Det.TEI.NPV }},
	{"tei_roi", func(r *Run) float64 { return r.Det.TEI.ROI }},
}

// keyHeader returns the names of keyColumns.
func keyHeader() []string {
	h := make([]string, len(keyColumns))
	for i, c := range keyColumns {
		h[i] = c.name
	}
	return h
}

// keyCells returns the run's keyColumns as CSV cells.
func keyCells(r *Run) []string {
	row := make([]string, len(keyColumns))
	for i, c := range keyColumns {
		row[i] = csvNum(c.value(r))
	}
	return row
}

// runStats is the part of summary.json that a comparison repeats per run:
// every output's statistics, the outcome shares, the plan case and the TEI row.
func runStats(r *Run) Obj {
	s := Summary(r)
	o := withGate(Obj{
		{"metrics", s.Get("metrics")},
		{"outcomes", s.Get("outcomes")},
	}, r)
	return append(o, kv{"plan", s.Get("plan")}, kv{"tei", s.Get("tei")})
}

// runInfo is the run block of a comparison or sweep: what every simulation shared.
func runInfo(iterations int, seed uint64, sampling string, workers int, elapsed float64) Obj {
	return Obj{{"iterations", iterations}, {"seed", seed}, {"sampling", sampling}, {"workers", workers},
		{"elapsed_seconds", Num(math.Round(elapsed*1000) / 1000)}, {"common_random_numbers", true}}
}

// diffObj writes a difference's statistics.
func diffObj(d DiffStats) Obj {
	return Obj{{"mean", Num(d.Mean)}, {"sd", Num(d.SD)}, {"se_mean", Num(d.SE)}, {"min", Num(d.Min)},
		{"p5", Num(d.P5)}, {"p50", Num(d.P50)}, {"p95", Num(d.P95)}, {"max", Num(d.Max)}}
}

// ComparisonWarnings are what a reader of the comparison should know: scenarios
// with different horizons, and each run's own warnings.
func ComparisonWarnings(c *Comparison) []string {
	w := []string{}
	for i, r := range c.Runs {
		if r.Scenario.Horizon != c.Runs[0].Scenario.Horizon {
			w = append(w, fmt.Sprintf("%s has a horizon of %d months and %s of %d: their NPVs cover different periods",
				c.Slugs[i], r.Scenario.Horizon, c.Slugs[0], c.Runs[0].Scenario.Horizon))
		}
	}
	for i, r := range c.Runs {
		for _, s := range Warnings(r) {
			w = append(w, c.Slugs[i]+": "+s)
		}
	}
	return w
}

// ComparisonJSON builds comparison.json: the shared run settings, one entry
// per scenario with the key statistics of its summary.json, and every pair
// compared iteration by iteration.
func ComparisonJSON(c *Comparison) Obj {
	scen := make([]Obj, len(c.Runs))
	for i, r := range c.Runs {
		s := r.Scenario
		o := Obj{{"slug", c.Slugs[i]}, {"label", c.Labels[i]}, {"name", s.Name}, {"file", s.File}, {"sha256", s.SHA256()},
			{"horizon_months", s.Horizon}}
		scen[i] = append(o, runStats(r)...)
	}
	pairs := make([]Obj, len(c.Pairs))
	for i, p := range c.Pairs {
		pairs[i] = Obj{{"a", c.Slugs[p.A]}, {"b", c.Slugs[p.B]},
			{"prob_a_greater", Num(p.ProbAGreater)}, {"prob_tie", Num(p.ProbTie)}, {"prob_b_greater", Num(p.ProbBGreater)},
			{"difference_a_minus_b", diffObj(p.Diff)}}
	}
	r0 := c.Runs[0]
	return Obj{
		{"tool", Obj{{"name", "crmroi"}, {"version", c.Version}}},
		{"run", runInfo(r0.iterations(), r0.seed(), r0.sampling(), c.Workers, c.Elapsed)},
		{"currency", r0.Scenario.Currency},
		{"scenarios", scen},
		{"pairwise", pairs},
		{"warnings", ComparisonWarnings(c)},
	}
}

// WriteComparisonJSON writes comparison.json.
func WriteComparisonJSON(w io.Writer, c *Comparison) error {
	return writeIndented(w, ComparisonJSON(c))
}

// WriteComparisonCSV writes comparison.csv: one row per scenario with its key
// statistics, plan case and TEI row; where a scenario has a gate, the
// gate's columns (empty for the scenarios without one).
func WriteComparisonCSV(w io.Writer, c *Comparison) error {
	cw := newCSVWriter(w)
	gated := false
	for _, r := range c.Runs {
		gated = gated || r.Scenario.Gate != nil
	}
	head := append([]string{"slug", "name", "file", "sha256", "iterations", "seed"}, keyHeader()...)
	if gated {
		head = append(head, gateColumns...)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for i, r := range c.Runs {
		row := []string{c.Slugs[i], r.Scenario.Name, r.Scenario.File, r.Scenario.SHA256(),
			strconv.Itoa(r.iterations()), strconv.FormatUint(r.seed(), 10)}
		row = append(row, keyCells(r)...)
		if gated {
			row = append(row, gateCells(r)...)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WritePairwiseCSV writes pairwise.csv: one row per pair of scenarios with
// P(NPV_A > NPV_B), ties, P(NPV_B > NPV_A) and the distribution of NPV_A − NPV_B.
func WritePairwiseCSV(w io.Writer, c *Comparison) error {
	cw := newCSVWriter(w)
	head := []string{"a", "b", "prob_a_greater", "prob_tie", "prob_b_greater",
		"diff_mean", "diff_sd", "diff_se_mean", "diff_min", "diff_p5", "diff_p50", "diff_p95", "diff_max"}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, p := range c.Pairs {
		d := p.Diff
		row := []string{c.Slugs[p.A], c.Slugs[p.B]}
		for _, v := range []float64{p.ProbAGreater, p.ProbTie, p.ProbBGreater, d.Mean, d.SD, d.SE, d.Min, d.P5, d.P50, d.P95, d.Max} {
			row = append(row, csvNum(v))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteComparisonTable writes the terminal summary of a batch in language l:
// one row per scenario (NPV P5/P50/P95 and mean, P(loss), payback P50, plan
// and TEI), then every pair, then where the files went.
func WriteComparisonTable(w io.Writer, c *Comparison, files []string, l Lang) error {
	var b strings.Builder
	r0 := c.Runs[0]
	cur := r0.Scenario.Currency
	fmt.Fprint(&b, l.Tf("crmroi batch — %d scenarios, %s iterations each, seed %d, common random numbers, %s s\n\n",
		len(c.Runs), l.Number(float64(r0.iterations()), 0), r0.seed(), l.Number(c.Elapsed, 2)))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\t%s\tP5\tP50\tP95\t%s\t%s\t%s\t%s\t%s\t\n", l.T("Scenario"), l.T("Folder"), l.T("Mean"),
		l.T("P(loss)"), l.T("Payback P50"), l.T("Plan"), l.T("TEI"))
	for i, r := range c.Runs {
		m := r.Result.Metrics[0]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", c.Labels[i], c.Slugs[i],
			l.Money(m.Pct[pctP5]), l.Money(m.Pct[pctP50]), l.Money(m.Pct[pctP95]), l.Money(m.Mean),
			l.Percent(lossProb(r.Result)), l.Months(monthsP50(r.Result)), l.Money(r.Det.Plan.NPV), l.Money(r.Det.TEI.NPV))
	}
	tw.Flush()
	fmt.Fprint(&b, l.Tf("(NPV in %s)\n", cur))
	if len(c.Pairs) > 0 {
		b.WriteString(l.T("\nPairs, iteration by iteration (A − B):\n"))
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "A\tB\tP(A > B)\tP(A = B)\tP(B > A)\t%s\tP5\tP50\tP95\t\n", l.T("Mean A − B"))
		for _, p := range c.Pairs {
			d := p.Diff
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", c.Labels[p.A], c.Labels[p.B],
				l.Percent(p.ProbAGreater), l.Percent(p.ProbTie), l.Percent(p.ProbBGreater),
				l.Money(d.Mean), l.Money(d.P5), l.Money(d.P50), l.Money(d.P95))
		}
		tw.Flush()
	}
	writeFooter(&b, l, "\nWarnings:\n", ComparisonWarnings(c), files)
	if len(files) > 0 {
		fmt.Fprint(&b, l.Tf("Each scenario's own files: %s/<folder>/\n", filepath.Dir(files[0])))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
