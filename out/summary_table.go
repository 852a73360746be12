package out

import (
	"fmt"
	"math"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// SummaryTable is the statistics of a run, one row per output, built from
// the result and the outputs' descriptions (model.OutputInfo). It is the one
// table that the summaries encode: summary.json's metrics, plan and tei,
// summary.csv, summary.xlsx's Summary sheet, report.html's key figures,
// probabilities and "All outputs", and the terminal tables. No encoder knows
// an output by its name: each reads the description in its row.
type SummaryTable struct {
	Iterations int
	Rows       []SummaryRow
}

// SummaryRow is one output's row of the summary table.
type SummaryRow struct {
	Info      model.OutputInfo
	Stats     sim.Stats
	Probs     []float64 // per Info.Thresholds
	Undefined int       // iterations where the output is undefined
	Plan      float64   // in the plan case (NaN where unknown)
	TEI       float64   // in the TEI row (NaN where Info.TEI is false)
}

// Cell is one figure of a row, named as summary.json names it.
type Cell struct {
	Key   string
	Value float64
	Kind  CellKind
}

// CellKind says what a cell's number is, and so how it is formatted.
type CellKind int

// The kinds of cells.
const (
	CellValue CellKind = iota // a value of the output, in its unit
	CellProb                  // a share of iterations
	CellCount                 // a whole number of iterations
)

// undefinedKey is the key of the count of undefined iterations
// (model.UndefinedCount); summary.json's alone: elsewhere n tells it.
const undefinedKey = "undefined"

// shareDefinedKey is the key of the share of iterations where an output is
// defined (model.ShareDefined).
const shareDefinedKey = "share_defined"

// iterations is the number of iterations of the run.
func (run *Run) iterations() int { return run.Result.Iterations }

// seed is the run's master seed.
func (run *Run) seed() uint64 { return run.Result.Config.Seed }

// sampling is the run's sampling design (mc, lhs or sobol).
func (run *Run) sampling() string { return run.Result.Config.SamplingName() }

// workers is the number of workers the run had.
func (run *Run) workers() int { return run.Result.Config.Workers }

// NewSummaryTable builds the summary table of a run.
func NewSummaryTable(run *Run) *SummaryTable {
	r, d := run.Result, run.Det
	t := &SummaryTable{Iterations: r.Iterations}
	at := func(v []float64, k int) float64 {
		if k < len(v) {
			return v[k]
		}
		return math.NaN()
	}
	for k, info := range r.Info {
		if info.Internal { // a section's own summary reads it (the gate's)
			continue
		}
		row := SummaryRow{Info: info, Stats: r.Metrics[k], Undefined: r.Undefined[k], Plan: at(d.PlanValues, k), TEI: math.NaN()}
		if k < len(r.Probs) {
			row.Probs = r.Probs[k]
		}
		if info.TEI {
			row.TEI = at(d.TEIValues, k)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// ShareDefined is the share of the iterations where the row's output is defined.
func (t *SummaryTable) ShareDefined(row *SummaryRow) float64 {
	return float64(row.Stats.N) / float64(t.Iterations)
}

// Cells are the figures of row k as summary.json writes them, in order: the
// moments (unless Info.NoMoments), min, max, the percentiles, the
// thresholds' probabilities, and what Info.Undefined asks for.
func (t *SummaryTable) Cells(k int) []Cell {
	row := &t.Rows[k]
	s := row.Stats
	var c []Cell
	if !row.Info.NoMoments {
		c = append(c, Cell{"mean", s.Mean, CellValue}, Cell{"sd", s.SD, CellValue}, Cell{"se_mean", s.SE, CellValue})
	}
	c = append(c, Cell{"min", s.Min, CellValue}, Cell{"max", s.Max, CellValue})
	for i, key := range pctKeys {
		c = append(c, Cell{key, s.Pct[i], CellValue})
	}
	for j, th := range row.Info.Thresholds {
		c = append(c, Cell{th.Key, row.Probs[j], CellProb})
	}
	switch row.Info.Undefined {
	case model.UndefinedCount:
		c = append(c, Cell{undefinedKey, float64(row.Undefined), CellCount})
	case model.ShareDefined:
		c = append(c, Cell{shareDefinedKey, t.ShareDefined(row), CellProb})
	}
	return c
}

// Columns are the keys of the wide form of the table (summary.csv, the
// xlsx statistics): every key of Cells of any row, the moments and
// percentiles first, then the thresholds and the share defined in the order
// of the rows; the count of undefined iterations is left out (n tells it).
func (t *SummaryTable) Columns() []string {
	cols := append([]string{"mean", "sd", "se_mean", "min", "max"}, pctKeys...)
	seen := map[string]bool{}
	for _, c := range cols {
		seen[c] = true
	}
	for k := range t.Rows {
		for _, c := range t.Cells(k) {
			if !seen[c.Key] && c.Key != undefinedKey {
				seen[c.Key] = true
				cols = append(cols, c.Key)
			}
		}
	}
	return cols
}

// Wide returns row k's cells under the keys of cols, with Kind CellValue
// and NaN (an empty cell) where the row has none.
func (t *SummaryTable) Wide(k int, cols []string) []Cell {
	byKey := map[string]Cell{}
	for _, c := range t.Cells(k) {
		byKey[c.Key] = c
	}
	out := make([]Cell, len(cols))
	for i, key := range cols {
		c, ok := byKey[key]
		if !ok {
			c = Cell{Key: key, Value: math.NaN()}
		}
		out[i] = c
	}
	return out
}

// MetricsObj is summary.json's metrics: an object per output, keyed by name.
func (t *SummaryTable) MetricsObj() Obj {
	o := Obj{}
	for k, row := range t.Rows {
		m := Obj{}
		for _, c := range t.Cells(k) {
			if c.Kind == CellCount {
				m = append(m, kv{c.Key, int(c.Value)})
			} else {
				m = append(m, kv{c.Key, Num(c.Value)})
			}
		}
		o = append(o, kv{row.Info.Name, m})
	}
	return o
}

// PlanObj is summary.json's plan: every output in the plan case, the key
// outputs first.
func (t *SummaryTable) PlanObj() Obj {
	o := Obj{}
	for _, key := range []bool{true, false} {
		for _, row := range t.Rows {
			if row.Info.Key == key {
				o = append(o, kv{row.Info.Name, Num(row.Plan)})
			}
		}
	}
	return o
}

// TEIObj is summary.json's tei: the outputs that have a TEI value.
func (t *SummaryTable) TEIObj() Obj {
	o := Obj{}
	for _, row := range t.Rows {
		if row.Info.TEI {
			o = append(o, kv{row.Info.Name, Num(row.TEI)})
		}
	}
	return o
}

// Warnings are the run's warnings about the table: outputs undefined in
// some iterations, where their description asks for it.
func (t *SummaryTable) Warnings() []string {
	var w []string
	for _, row := range t.Rows {
		if row.Info.Undefined == model.UndefinedCount && row.Undefined > 0 {
			w = append(w, fmt.Sprintf("%s is undefined (%s) in %d of %d iterations; they are excluded from its statistics",
				row.Info.Name, row.Info.UndefinedWhy, row.Undefined, t.Iterations))
		}
	}
	return w
}

// Key returns the rows of the key outputs (model.OutputInfo.Key).
func (t *SummaryTable) Key() []*SummaryRow {
	var rows []*SummaryRow
	for i := range t.Rows {
		if t.Rows[i].Info.Key {
			rows = append(rows, &t.Rows[i])
		}
	}
	return rows
}

// Prob returns the probability of the threshold called key of the first
// row that has one, or NaN.
func (t *SummaryTable) Prob(key string) float64 {
	for _, row := range t.Rows {
		for j, th := range row.Info.Thresholds {
			if th.Key == key {
				return row.Probs[j]
			}
		}
	}
	return math.NaN()
}

// label is the row's label for a reader in language l, with the currency
// cur after a comma for money ("NPV, RUB").
func (row *SummaryRow) label(l Lang, cur string) string {
	s := row.Info.Label.In(string(l))
	if row.Info.Unit == model.UnitMoney && cur != "" {
		s += ", " + cur
	}
	return s
}

// value formats v, a value of the row's output, for the terminal in
// language l: money rounded and grouped, shares as percentages, months
// with one decimal (or "not reached").
func (row *SummaryRow) value(l Lang, v float64) string {
	switch u := row.Info.Unit; {
	case u == model.UnitMoney:
		return l.Money(v)
	case u.Percent():
		return l.Percent(v)
	case u == model.UnitMonths:
		return row.months(l, v)
	}
	return l.plain(v)
}

// months formats a number of months in language l, with the row's "not
// reached" text for +Inf.
func (row *SummaryRow) months(l Lang, v float64) string {
	if math.IsInf(v, 1) && row.Info.Unreachable {
		return row.Info.NotReached.In(string(l))
	}
	return l.Months(v)
}

// typeset formats v for the report: as value, with typographic minus signs.
func (row *SummaryRow) typeset(l Lang, v float64) string {
	if row.Info.Unit == model.UnitMonths {
		return row.months(l, v)
	}
	return typoMinus(row.value(l, v))
}

// compact formats v for a card of the report: money compactly with the
// currency (12.3M RUB), other units as value does.
func (row *SummaryRow) compact(l Lang, v float64, cur string) string {
	if row.Info.Unit == model.UnitMoney {
		return l.MoneyCompact(v, cur)
	}
	return row.value(l, v)
}
