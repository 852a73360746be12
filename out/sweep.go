package out

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/crmroi/crmroi/model"
)

// SweepAxis is one swept parameter and its values, in the order simulated.
type SweepAxis struct {
	Param  string
	Values []string // each value as an override, as --set would take it
	// X is each value as a number: the value itself when Numeric, else its
	// position 0, 1, 2… (the values are then distributions, in the order given).
	X       []float64
	Numeric bool
}

// Sweep is one scenario simulated across the values of one parameter, or
// across a grid of the values of two, with the same seed and iterations
// throughout (common random numbers).
type Sweep struct {
	Base *model.Scenario // the scenario with the user's --set, before the swept values
	Axes []SweepAxis     // one or two
	// Runs has one run per value (one axis) or per cell (two axes), the first
	// axis outer: Runs[i*len(Axes[1].Values)+j] is value i of the first axis
	// with value j of the second.
	Runs []*Run
	// Risk is the P(loss) an analyst accepts; the sweep reports where P(loss) crosses it.
	Risk    float64
	Workers int
	Elapsed float64 // seconds
	Version string
}

// SweepChartNames are the charts of a sweep of one parameter.
var SweepChartNames = []string{"sweep"}

// SweepGridChartNames are the charts of a sweep of two parameters.
var SweepGridChartNames = []string{"sweep_map"}

// ChartNames returns the names of the charts of this sweep.
func (s *Sweep) ChartNames() []string {
	if len(s.Axes) == 2 {
		return SweepGridChartNames
	}
	return SweepChartNames
}

// inner is the number of values of the second axis (1 for a sweep of one parameter).
func (s *Sweep) inner() int {
	if len(s.Axes) == 2 {
		return len(s.Axes[1].Values)
	}
	return 1
}

// Cell returns the run of value i of the first axis with value j of the second (0 when one axis).
func (s *Sweep) Cell(i, j int) *Run { return s.Runs[i*s.inner()+j] }

// check verifies that the sweep's runs fill its axes.
func (s *Sweep) check() error {
	if len(s.Axes) < 1 || len(s.Axes) > 2 {
		return fmt.Errorf("a sweep has one or two parameters, got %d", len(s.Axes))
	}
	n := 1
	for _, a := range s.Axes {
		if len(a.Values) == 0 || len(a.X) != len(a.Values) {
			return fmt.Errorf("sweep of %s: no values, or values and positions differ", a.Param)
		}
		n *= len(a.Values)
	}
	if len(s.Runs) != n {
		return fmt.Errorf("sweep: %d runs for %d cells", len(s.Runs), n)
	}
	return nil
}

// Crossing is where a curve over adjacent values of a swept parameter crosses
// a threshold.
type Crossing struct {
	From, To int // the adjacent values' positions
	// Value is the parameter's value at the crossing, by linear
	// interpolation between From and To; NaN when the values are distributions.
	Value float64
	// Rising is true when the curve goes from below the threshold to at or above it.
	Rising bool
}

// Crossings returns where y (over x, in order) crosses t: between adjacent
// points on opposite sides of t (a point exactly at t counts as above it), by
// linear interpolation; numeric false gives NaN values (the points are
// distributions, with no value between them).
func Crossings(x, y []float64, t float64, numeric bool) []Crossing {
	var out []Crossing
	for i := 0; i+1 < len(y); i++ {
		a, b := y[i] >= t, y[i+1] >= t
		if a == b || math.IsNaN(y[i]) || math.IsNaN(y[i+1]) {
			continue
		}
		c := Crossing{From: i, To: i + 1, Rising: b, Value: math.NaN()}
		if numeric {
			switch {
			case y[i] == t:
				c.Value = x[i]
			default:
				c.Value = x[i] + (t-y[i])/(y[i+1]-y[i])*(x[i+1]-x[i])
			}
		}
		out = append(out, c)
	}
	return out
}

// BreakEven is where, along the first swept parameter, P50 NPV crosses zero
// and P(loss) crosses the accepted risk; for a grid, at one value of the second.
type BreakEven struct {
	At   int // the value of the second parameter (−1 for a sweep of one parameter)
	NPV  []Crossing
	Loss []Crossing
	// NPVAbove and LossAbove say, when there is no crossing, on which side
	// every value lies: P50 NPV ≥ 0, P(loss) ≥ Risk.
	NPVAbove, LossAbove bool
}

// curve returns P50 NPV and P(loss) along the first axis at value j of the second.
func (s *Sweep) curve(j int) (p50, loss []float64) {
	for i := range s.Axes[0].Values {
		r := s.Cell(i, j)
		p50 = append(p50, r.Result.Metrics[0].Pct[pctP50])
		loss = append(loss, lossProb(r.Result))
	}
	return p50, loss
}

// BreakEvens returns the break-even values along the first parameter: one for
// a sweep of one parameter, one per value of the second for a grid.
func (s *Sweep) BreakEvens() []BreakEven {
	a := s.Axes[0]
	var out []BreakEven
	for j := range s.inner() {
		p50, loss := s.curve(j)
		b := BreakEven{At: j, NPV: Crossings(a.X, p50, 0, a.Numeric), Loss: Crossings(a.X, loss, s.Risk, a.Numeric),
			NPVAbove: p50[0] >= 0, LossAbove: loss[0] >= s.Risk}
		if len(s.Axes) == 1 {
			b.At = -1
		}
		out = append(out, b)
	}
	return out
}

// crossingText says where a curve crosses: "≈ 0.2312 (between 0.2 and 0.25)",
// "between pert(…) and pert(…)", or why it does not.
func (s *Sweep) crossingText(cs []Crossing, above bool, what, sideAbove, sideBelow string, l Lang) string {
	a := s.Axes[0]
	if len(cs) == 0 {
		side := sideBelow
		if above {
			side = sideAbove
		}
		return what + ": " + l.Tf("not within range (%s for every value)", side)
	}
	var parts []string
	for _, c := range cs {
		if a.Numeric {
			parts = append(parts, l.Tf("%s at %s ≈ %s (between %s and %s)", what, a.Param, l.plain(c.Value), a.Values[c.From], a.Values[c.To]))
		} else {
			parts = append(parts, l.Tf("%s between %s = %s and %s", what, a.Param, a.Values[c.From], a.Values[c.To]))
		}
	}
	return strings.Join(parts, "; ")
}

// BreakEvenTexts are the break-even lines of the terminal and report, in language l.
func (s *Sweep) BreakEvenTexts(l Lang) []string {
	var out []string
	risk := l.Percent(s.Risk)
	for _, b := range s.BreakEvens() {
		prefix := ""
		if b.At >= 0 {
			prefix = fmt.Sprintf("%s = %s: ", s.Axes[1].Param, s.Axes[1].Values[b.At])
		}
		out = append(out,
			prefix+s.crossingText(b.NPV, b.NPVAbove, l.T("P50 NPV = 0"), l.T("P50 NPV ≥ 0"), l.T("P50 NPV < 0"), l),
			prefix+s.crossingText(b.Loss, b.LossAbove, l.Tf("P(loss) = %s", risk),
				l.Tf("P(loss) ≥ %s", risk), l.Tf("P(loss) < %s", risk), l))
	}
	return out
}

// crossingObj writes one criterion of a break-even.
func (s *Sweep) crossingObj(cs []Crossing, threshold float64, above bool) Obj {
	a := s.Axes[0]
	list := make([]Obj, len(cs))
	for i, c := range cs {
		dir := "down"
		if c.Rising {
			dir = "up"
		}
		list[i] = Obj{{"value", Num(c.Value)}, {"from", a.Values[c.From]}, {"to", a.Values[c.To]}, {"direction", dir}}
	}
	o := Obj{{"threshold", Num(threshold)}, {"crossings", list}}
	if len(cs) == 0 {
		side := "below"
		if above {
			side = "above"
		}
		o = append(o, kv{"not_within_range", side})
	} else {
		o = append(o, kv{"not_within_range", nil})
	}
	return o
}

// cellValues writes the swept values of cell k as an object.
func (s *Sweep) cellValues(k int) Obj {
	i, j := k/s.inner(), k%s.inner()
	o := Obj{{s.Axes[0].Param, s.Axes[0].Values[i]}}
	if len(s.Axes) == 2 {
		o = append(o, kv{s.Axes[1].Param, s.Axes[1].Values[j]})
	}
	return o
}

// SweepJSON builds sweep.json: the base scenario, the shared run settings,
// the swept parameters and their values, each cell's key statistics, and the
// break-even values.
func SweepJSON(s *Sweep) (Obj, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	params := make([]Obj, len(s.Axes))
	for i, a := range s.Axes {
		params[i] = Obj{{"name", a.Param}, {"values", a.Values}, {"numeric", a.Numeric}}
	}
	cells := make([]Obj, len(s.Runs))
	for k, r := range s.Runs {
		cells[k] = append(Obj{{"values", s.cellValues(k)}, {"sha256", r.Scenario.SHA256()}}, runStats(r)...)
	}
	var be []Obj
	for _, b := range s.BreakEvens() {
		o := Obj{{"param", s.Axes[0].Param}}
		if b.At >= 0 {
			o = append(o, kv{"at", Obj{{s.Axes[1].Param, s.Axes[1].Values[b.At]}}})
		}
		o = append(o, kv{"npv_p50_zero", s.crossingObj(b.NPV, 0, b.NPVAbove)}, kv{"prob_loss_at_risk", s.crossingObj(b.Loss, s.Risk, b.LossAbove)})
		be = append(be, o)
	}
	r0 := s.Runs[0]
	doc := Obj{
		{"tool", Obj{{"name", "crmroi"}, {"version", s.Version}}},
		{"scenario", Obj{{"name", s.Base.Name}, {"file", s.Base.File}, {"sha256", s.Base.SHA256()}}},
		{"run", runInfo(r0.iterations(), r0.seed(), r0.sampling(), s.Workers, s.Elapsed)},
		{"currency", s.Base.Currency},
		{"risk", Num(s.Risk)},
		{"params", params},
		{"cells", cells},
		{"break_even", be},
	}
	if s.hasGate() {
		doc = append(doc, kv{"best_gate", s.bestGateObj()})
	}
	return append(doc, kv{"warnings", append([]string{}, s.Base.Warnings...)}), nil
}

// WriteSweepJSON writes sweep.json.
func WriteSweepJSON(w io.Writer, s *Sweep) error {
	o, err := SweepJSON(s)
	if err != nil {
		return err
	}
	return writeIndented(w, o)
}

// WriteSweepCSV writes sweep.csv: one row per value (or cell), the swept
// values first, then the key statistics of each run.
func WriteSweepCSV(w io.Writer, s *Sweep) error {
	if err := s.check(); err != nil {
		return err
	}
	cw := newCSVWriter(w)
	var head []string
	for _, a := range s.Axes {
		head = append(head, a.Param)
	}
	head = append(append(head, "sha256"), keyHeader()...)
	if s.hasGate() {
		head = append(head, gateColumns...)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for k, r := range s.Runs {
		var row []string
		for _, e := range s.cellValues(k) {
			row = append(row, e.V.(string))
		}
		row = append(append(row, r.Scenario.SHA256()), keyCells(r)...)
		if s.hasGate() {
			row = append(row, gateCells(r)...)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteSweepTable writes the terminal summary of a sweep in language l: NPV
// and P(loss) per value (for a grid, P50 NPV and P(loss) as tables of the
// two parameters), the break-even values and where the files went.
func WriteSweepTable(w io.Writer, s *Sweep, files []string, l Lang) error {
	if err := s.check(); err != nil {
		return err
	}
	var b strings.Builder
	r0 := s.Runs[0]
	params := s.Axes[0].Param
	if len(s.Axes) == 2 {
		params += " × " + s.Axes[1].Param
	}
	fmt.Fprintf(&b, "crmroi sweep — %s\n", scenarioLabelIn(s.Base, l))
	fmt.Fprint(&b, l.Tf("%s over %d values, %s iterations each, seed %d, common random numbers, %s s\n\n",
		params, len(s.Runs), l.Number(float64(r0.iterations()), 0), r0.seed(), l.Number(s.Elapsed, 2)))
	cur := s.Base.Currency
	if len(s.Axes) == 1 {
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		gateHead := ""
		if s.hasGate() {
			gateHead = l.T("Gate value") + "\t" + l.T("Stopped") + "\t"
		}
		fmt.Fprintf(tw, "%s\tP5\tP50\tP95\t%s\t%s\t%s\t%s\n", s.Axes[0].Param, l.T("Mean"), l.T("P(loss)"), l.T("Plan"), gateHead)
		for i, v := range s.Axes[0].Values {
			r := s.Runs[i]
			m := r.Result.Metrics[0]
			gate := ""
			if f := GateOf(r); f != nil {
				gate = l.Money(f.Value) + "\t" + l.Percent(f.ShareStopped) + "\t"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v, l.Money(m.Pct[pctP5]), l.Money(m.Pct[pctP50]), l.Money(m.Pct[pctP95]),
				l.Money(m.Mean), l.Percent(lossProb(r.Result)), l.Money(r.Det.Plan.NPV), gate)
		}
		tw.Flush()
		fmt.Fprint(&b, l.Tf("(NPV in %s)\n", cur))
	} else {
		for k, t := range []struct {
			title string
			cell  func(r *Run) string
		}{
			{l.Tf("P50 NPV, %s", cur), func(r *Run) string { return l.Compact(r.Result.Metrics[0].Pct[pctP50]) }},
			{l.T("P(loss)"), func(r *Run) string { return l.Percent(lossProb(r.Result)) }},
		} {
			if k > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "%s (%s ↓, %s →)\n", t.title, s.Axes[1].Param, s.Axes[0].Param)
			tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprint(tw, "\t")
			for _, v := range s.Axes[0].Values {
				fmt.Fprintf(tw, "%s\t", v)
			}
			fmt.Fprintln(tw)
			for j, v := range s.Axes[1].Values {
				fmt.Fprintf(tw, "%s\t", v)
				for i := range s.Axes[0].Values {
					fmt.Fprintf(tw, "%s\t", t.cell(s.Cell(i, j)))
				}
				fmt.Fprintln(tw)
			}
			tw.Flush()
		}
	}
	if t := s.bestGateText(l); t != "" {
		fmt.Fprintf(&b, "\n%s\n", t)
	}
	b.WriteString(l.T("\nBreak-even:\n"))
	for _, t := range s.BreakEvenTexts(l) {
		fmt.Fprintf(&b, "  %s\n", t)
	}
	writeFooter(&b, l, "\nWarnings:\n", s.Base.Warnings, files)
	_, err := io.WriteString(w, b.String())
	return err
}
