package out

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// SensitivityRun is a sensitivity analysis and what was asked for it.
type SensitivityRun struct {
	Scenario *model.Scenario
	Sens     *sim.Sensitivity
	Workers  int
	Elapsed  float64 // seconds
	Version  string
}

// SensitivityChartNames are the charts `crmroi sensitivity` writes, without
// extension: "voi" is its value of information (sim.Sensitivity.VOI).
var SensitivityChartNames = []string{"tornado", "spider", "sobol", "sensitivity_over_time", "voi"}

// InteractionsLabel names, in the shares over time, the variance that no
// group explains alone: interactions between groups.
const InteractionsLabel = "interactions"

func ci(c [2]float64) []Num { return []Num{Num(c[0]), Num(c[1])} }

// interactions is 1 minus the sum of the first-order shares of a month, or NaN.
func interactions(shares []float64) float64 {
	s := 0.0
	for _, v := range shares {
		s += v
	}
	return 1 - s
}

// SensitivityJSON is sensitivity.json as an ordered object. It holds nothing
// that depends on the machine or the number of workers, so the same scenario
// and seed give the same bytes.
func SensitivityJSON(sr *SensitivityRun) Obj {
	r, s := sr.Sens, sr.Scenario
	var inputs []Obj
	for _, in := range r.Inputs {
		inputs = append(inputs, Obj{
			{"name", in.Name}, {"group", in.Group}, {"risk_draw", in.Risk},
			{"spearman", Num(in.Spearman)}, {"prcc", Num(in.PRCC)}, {"srrc", Num(in.SRRC)}, {"variance_share", Num(in.VarianceShare)}, {"not_monotone", in.NotMonotone},
			{"sobol_first", Num(in.SobolFirst)}, {"sobol_first_ci", ci(in.SobolFirstCI)},
			{"sobol_total", Num(in.SobolTotal)}, {"sobol_total_ci", ci(in.SobolTotalCI)},
		})
	}
	groups := []Obj{}
	for _, g := range r.Groups {
		groups = append(groups, Obj{
			{"name", g.Name}, {"members", g.Members},
			{"sobol_first", Num(g.SobolFirst)}, {"sobol_first_ci", ci(g.SobolFirstCI)},
			{"sobol_total", Num(g.SobolTotal)}, {"sobol_total_ci", ci(g.SobolTotalCI)},
		})
	}
	overTime := []Obj{}
	for _, m := range r.OverTime {
		shares := Obj{}
		for g, v := range m.Shares {
			shares = append(shares, kv{r.Groups[g].Name, Num(v)})
		}
		rest := math.NaN()
		if m.Variance > 0 {
			rest = interactions(m.Shares)
		}
		overTime = append(overTime, Obj{{"month", m.Month}, {"variance", Num(m.Variance)}, {"shares", shares}, {InteractionsLabel, Num(rest)}})
	}
	oat := []Obj{}
	for _, o := range r.OAT {
		oat = append(oat, Obj{{"input", o.Input}, {"plan", Num(o.Plan)}, {"values", nums(o.Values)}, {"outputs", nums(o.Outputs)}, {"swing", Num(o.Swing)}})
	}
	correlated := r.Correlated
	if correlated == nil {
		correlated = []string{}
	}
	notes := r.Notes
	if notes == nil {
		notes = []string{}
	}
	name := s.Name
	doc := Obj{
		{"tool", Obj{{"name", "crmroi"}, {"version", sr.Version}}},
		{"scenario", Obj{{"name", name}, {"file", s.File}, {"sha256", s.SHA256()}}},
		{"output", r.Output},
		{"iterations", r.Iterations},
		{"seed", r.Seed},
		{"base", r.Base},
		{"sobol_sampling", r.Sampling},
		{"bootstrap_resamples", r.Resamples},
		{"model_runs", r.ModelRuns},
		{"plan", Num(r.Plan)},
		{"mean", Num(r.Mean)},
		{"variance", Num(r.Variance)},
		{"inputs", inputs},
		{"groups", groups},
		{"over_time", overTime},
		{"spider_levels", nums(sim.SpiderLevels)},
		{"one_at_a_time", oat},
		{"correlated_inputs", correlated},
		{"notes", notes},
	}
	if r.VOI != nil { // the value of information of investing or not (extensions.md)
		doc = append(doc, kv{"voi", append(VOIObj(r.VOI), kv{"currency", s.Currency})})
	}
	return doc
}

func nums(x []float64) []Num {
	out := make([]Num, len(x))
	for i, v := range x {
		out[i] = Num(v)
	}
	return out
}

// WriteSensitivityJSON writes sensitivity.json, indented.
func WriteSensitivityJSON(w io.Writer, sr *SensitivityRun) error {
	return writeIndented(w, SensitivityJSON(sr))
}

// WriteSensitivityCSV writes sensitivity.csv: one row per input, then one
// per group (kind "group", without the rank measures).
func WriteSensitivityCSV(w io.Writer, sr *SensitivityRun) error {
	cw := newCSVWriter(w)
	head := []string{"kind", "name", "group", "spearman", "prcc", "srrc", "variance_share",
		"sobol_first", "sobol_first_lo", "sobol_first_hi", "sobol_total", "sobol_total_lo", "sobol_total_hi", "swing", "not_monotone"}
	if err := cw.Write(head); err != nil {
		return err
	}
	swing := map[string]float64{}
	for _, o := range sr.Sens.OAT {
		swing[o.Input] = o.Swing
	}
	for _, in := range sr.Sens.Inputs {
		kind := "input"
		sw := csvNum(swing[in.Name])
		if in.Risk {
			kind, sw = "risk_draw", ""
		}
		if err := cw.Write([]string{kind, in.Name, in.Group, csvNum(in.Spearman), csvNum(in.PRCC), csvNum(in.SRRC), csvNum(in.VarianceShare),
			csvNum(in.SobolFirst), csvNum(in.SobolFirstCI[0]), csvNum(in.SobolFirstCI[1]),
			csvNum(in.SobolTotal), csvNum(in.SobolTotalCI[0]), csvNum(in.SobolTotalCI[1]), sw, strconv.FormatBool(in.NotMonotone)}); err != nil {
			return err
		}
	}
	for _, g := range sr.Sens.Groups {
		if err := cw.Write([]string{"group", g.Name, strings.Join(g.Members, " "), "", "", "", "",
			csvNum(g.SobolFirst), csvNum(g.SobolFirstCI[0]), csvNum(g.SobolFirstCI[1]),
			csvNum(g.SobolTotal), csvNum(g.SobolTotalCI[0]), csvNum(g.SobolTotalCI[1]), "", ""}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteSensitivityOverTimeCSV writes sensitivity_over_time.csv: per month,
// the variance of the cumulative cash flow, each group's first-order share of
// it and the rest (interactions).
func WriteSensitivityOverTimeCSV(w io.Writer, sr *SensitivityRun) error {
	cw := newCSVWriter(w)
	head := []string{"month", "variance"}
	for _, g := range sr.Sens.Groups {
		head = append(head, g.Name)
	}
	if err := cw.Write(append(head, InteractionsLabel)); err != nil {
		return err
	}
	for _, m := range sr.Sens.OverTime {
		row := []string{fmt.Sprint(m.Month), csvNum(m.Variance)}
		for _, v := range m.Shares {
			row = append(row, csvNum(v))
		}
		rest := math.NaN()
		if m.Variance > 0 {
			rest = interactions(m.Shares)
		}
		if err := cw.Write(append(row, csvNum(rest))); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// TopSensitivity is how many inputs the terminal table shows.
const TopSensitivity = 10

// methodRanks returns, per input name, its rank (1 = strongest) by the
// absolute value of each measure; NaN values rank last.
func methodRanks(ins []sim.InputSensitivity, measure func(sim.InputSensitivity) float64) map[string]int {
	idx := make([]int, len(ins))
	for i := range idx {
		idx[i] = i
	}
	key := func(i int) float64 {
		v := math.Abs(measure(ins[i]))
		if math.IsNaN(v) {
			return math.Inf(-1)
		}
		return v
	}
	sort.SliceStable(idx, func(a, b int) bool { return key(idx[a]) > key(idx[b]) })
	r := map[string]int{}
	for pos, i := range idx {
		r[ins[i].Name] = pos + 1
	}
	return r
}

// sortedBySobol returns the inputs by total Sobol index, largest first.
func sortedBySobol(ins []sim.InputSensitivity) []sim.InputSensitivity {
	out := append([]sim.InputSensitivity(nil), ins...)
	sort.SliceStable(out, func(a, b int) bool {
		x, y := out[a].SobolTotal, out[b].SobolTotal
		if math.IsNaN(y) {
			return !math.IsNaN(x)
		}
		return x > y
	})
	return out
}

// WriteSensitivityTable writes the terminal summary of a sensitivity
// analysis in language l: the top drivers with every method's value and rank
// (so that agreement and disagreement show), the groups, the notes and the files.
func WriteSensitivityTable(w io.Writer, sr *SensitivityRun, files []string, l Lang) error {
	r, s := sr.Sens, sr.Scenario
	var b strings.Builder
	fmt.Fprintf(&b, "crmroi sensitivity — %s\n", s.TitleIn(string(l)))
	fmt.Fprint(&b, l.Tf("Output %s · %s iterations for the rank measures · Sobol: N = %s (%s), %s model runs · seed %d · %s s\n\n",
		l.Label(r.Output), l.Number(float64(r.Iterations), 0), l.Number(float64(r.Base), 0), l.Sampling(r.Sampling), l.Number(float64(r.ModelRuns), 0), r.Seed, l.Number(sr.Elapsed, 2)))
	swing := map[string]float64{}
	for _, o := range r.OAT {
		swing[o.Input] = o.Swing
	}
	swingRank := map[string]int{}
	for i, o := range r.OAT {
		swingRank[o.Input] = i + 1
	}
	measures := []func(sim.InputSensitivity) float64{
		func(in sim.InputSensitivity) float64 { return in.Spearman },
		func(in sim.InputSensitivity) float64 { return in.PRCC },
		func(in sim.InputSensitivity) float64 { return in.SRRC },
		func(in sim.InputSensitivity) float64 { return in.VarianceShare },
		func(in sim.InputSensitivity) float64 { return in.SobolFirst },
		func(in sim.InputSensitivity) float64 { return in.SobolTotal },
	}
	ranks := make([]map[string]int, len(measures))
	for i, m := range measures {
		ranks[i] = methodRanks(r.Inputs, m)
	}
	b.WriteString(l.T("Top drivers (value and rank by each method; sorted by total Sobol index):\n"))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", l.T("Input"), l.T("Swing"), l.T("Spearman"), l.T("PRCC"), l.T("SRRC"), l.T("Contribution"), l.T("Sobol S1"), l.T("Sobol ST"), l.T("95% CI ST"))
	num := func(v float64) string {
		if math.IsNaN(v) {
			return "—"
		}
		return typoMinusIf(l, l.Number(v, 3))
	}
	for i, in := range sortedBySobol(r.Inputs) {
		if i == TopSensitivity {
			break
		}
		sw := "—"
		if !in.Risk {
			v := typoMinusIf(l, l.Money(swing[in.Name]))
			if r.Info.Unit != model.UnitMoney {
				v = l.plain(swing[in.Name])
			}
			sw = fmt.Sprintf("%s (%d)", v, swingRank[in.Name])
		}
		cells := []string{l.Label(in.Name), sw}
		for k, m := range measures {
			v := m(in)
			if k == 3 {
				mark := ""
				if in.NotMonotone {
					mark = "*"
				}
				cells = append(cells, fmt.Sprintf("%s%s (%d)", mark, typoMinusIf(l, l.Percent(v)), ranks[k][in.Name]))
				continue
			}
			cells = append(cells, fmt.Sprintf("%s (%d)", num(v), ranks[k][in.Name]))
		}
		cells = append(cells, "["+num(in.SobolTotalCI[0])+", "+num(in.SobolTotalCI[1])+"]")
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	tw.Flush()
	if len(r.Groups) > 0 {
		b.WriteString(l.T("\nGroups (Sobol indices of the inputs taken together):\n"))
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", l.T("Group"), l.T("Inputs"), l.T("S1"), l.T("ST"), l.T("95% CI ST"))
		for _, g := range r.Groups {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t[%s, %s]\t\n", l.Label(g.Name), len(g.Members), num(g.SobolFirst), num(g.SobolTotal), num(g.SobolTotalCI[0]), num(g.SobolTotalCI[1]))
		}
		tw.Flush()
	}
	if r.VOI != nil {
		b.WriteString(l.T("\nValue of information (invest or not):\n"))
		for _, line := range VOILines(r.VOI, s.Currency, l) {
			b.WriteString("  " + line + "\n")
		}
	}
	writeFooter(&b, l, "\nNotes:\n", append(SensitivityNotes(r, l), s.WarningsIn(string(l))...), files)
	_, err := io.WriteString(w, b.String())
	return err
}

// typoMinusIf uses the typographic minus in Russian.
func typoMinusIf(l Lang, s string) string {
	if l == Russian {
		return typoMinus(s)
	}
	return s
}

// SensitivityNotes are the analysis's remarks in l: in English its Notes;
// in Russian each worded again from its code and the result's fields
// (inputs by their labels).
func SensitivityNotes(r *sim.Sensitivity, l Lang) []string {
	if l != Russian || len(r.NoteCodes) != len(r.Notes) {
		return append([]string{}, r.Notes...)
	}
	labels := func(names []string) string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = l.Label(n)
		}
		return strings.Join(out, ", ")
	}
	notes := make([]string, len(r.Notes))
	for i, c := range r.NoteCodes {
		switch c {
		case sim.NoteCorrelated:
			notes[i] = "Индексы Соболя предполагают независимые факторы: они посчитаны без корреляций (" + labels(r.Correlated) +
				"); ранговые меры посчитаны на коррелированной выборке"
		case sim.NoteSobolFallback:
			notes[i] = fmt.Sprintf("Факторам (%d) нужно %d измерений последовательности Соболя, больше доступных %d: базовые матрицы построены простым методом Монте-Карло",
				len(r.Inputs), 2*len(r.Inputs), sim.SobolMaxDim)
		case sim.NoteNoInputs:
			notes[i] = "в сценарии нет неопределённых параметров"
		case sim.NoteNotMonotone:
			var names []string
			for _, in := range r.Inputs {
				if in.NotMonotone {
					names = append(names, fmt.Sprintf("%s (полный индекс Соболя %s, квадрат ρ Спирмена %s)", l.Label(in.Name),
						l.Number(in.SobolTotal, 2), l.Number(in.Spearman*in.Spearman, 2)))
				}
			}
			notes[i] = l.Label(r.Output) + " немонотонно зависит от факторов: " + strings.Join(names, ", ") +
				"; ранговые меры и вклад в дисперсию (отмечены *) не видят их влияния, смотрите их индексы Соболя"
		case sim.NoteConstant:
			notes[i] = l.Label(r.Output) + " не меняется в схеме Соболя: индексы Соболя не определены"
		default:
			notes[i] = r.Notes[i]
		}
	}
	return notes
}
