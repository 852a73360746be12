package model

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/crmroi/crmroi/fit"
)

// This file is the model side of crmroi track (issue 23): the actuals of the
// months since the project started, and their likelihood under a
// measurement model, computed for each iteration of the CRM model as it is
// simulated (the iteration's monthly values are not kept).
//
// The measurement model: each observed value y of a month t and a column
// is the iteration's value v of that month and column plus an independent
// normal error with standard deviation sd = σ · max(|y|, floor), σ the
// column's relative sd (--noise, or the row's sd_COLUMN cell), floor a
// tenth of the largest magnitude the plan case gives the column over the
// horizon (at least 0.01 for the shares, 1 for money): an actual of 0 (or
// a cumulative cash flow crossing 0) is not taken as exact. An iteration's
// log-likelihood is Σ −½((v − y)/sd)² over the observations (the constant
// terms cancel in the weights).

// ActualColumn is a column of an actuals file besides month.
type ActualColumn int

// The columns of an actuals file.
const (
	ActualCashFlow ActualColumn = iota
	ActualCumulative
	ActualBenefit
	ActualCost
	ActualAdoption
	ActualRevenue
	ActualRevenueUplift
	numActualColumns
)

// ActualColumnInfo describes a column of an actuals file.
type ActualColumnInfo struct {
	Name  string // its header
	Label Text   // for a reader
	Unit  Unit   // UnitMoney or UnitShare
	Doc   string // what the iteration's value is
}

// ActualColumns describes the columns of an actuals file, in ActualColumn order.
var ActualColumns = [numActualColumns]ActualColumnInfo{
	{"cash_flow", Text{"cash flow", "денежный поток"}, UnitMoney, "CF_t = B_t − C_t of the month (after tax under a finance: section)"},
	{"cumulative_cash_flow", Text{"cumulative cash flow", "накопленный денежный поток"}, UnitMoney, "Cum_t, the cash flow of months 1..t"},
	{"benefit", Text{"benefit", "выгода"}, UnitMoney, "B_t of the month (custom lines included)"},
	{"cost", Text{"cost", "затраты"}, UnitMoney, "C_t of the month (custom lines included, with VAT under a finance: section)"},
	{"adoption", Text{"adoption", "внедрение"}, UnitShare, "A(k), the share of users working in the CRM (0 before go-live and after a stop)"},
	{"revenue", Text{"revenue", "выручка"}, UnitMoney, "R_t, the month's revenue (Rb_t in build months)"},
	{"revenue_uplift", Text{"revenue uplift", "прирост выручки"}, UnitShare, "R_t / Rb_t − 1, the month's revenue over its baseline"},
}

// ActualColumnNames are the names of ActualColumns.
func ActualColumnNames() []string {
	var n []string
	for _, c := range ActualColumns {
		n = append(n, c.Name)
	}
	return n
}

// Observation is one value of an actuals file.
type Observation struct {
	Month  int // t, 1-based from the project start
	Column ActualColumn
	Value  float64
	Noise  float64 // relative sd σ
	SD     float64 // absolute sd, σ·max(|Value|, floor): set by NewTrack
	Line   int     // where it was read
	Col    int
}

// Name is the observation's output name: track_COLUMN_MONTH.
func (o Observation) Name() string {
	return fmt.Sprintf("track_%s_%d", ActualColumns[o.Column].Name, o.Month)
}

// Actuals are the observations of an actuals file.
type Actuals struct {
	File, SHA256 string
	Obs          []Observation // by month, then column
}

// LastMonth is the last month observed, 0 without observations.
func (a *Actuals) LastMonth() int {
	m := 0
	for _, o := range a.Obs {
		m = max(m, o.Month)
	}
	return m
}

// Noise is the relative measurement sd of each column: Default, or the
// column's own in Column.
type Noise struct {
	Default float64
	Column  map[string]float64
}

// of is the noise of column c.
func (n Noise) of(c ActualColumn) float64 {
	if v, ok := n.Column[ActualColumns[c].Name]; ok {
		return v
	}
	return n.Default
}

// MaxNoise is the largest relative sd accepted.
const MaxNoise = 10.0

// ParseActuals reads the observations of an actuals table for a scenario of
// horizon months. The header must have month and any of ActualColumns, each
// optionally with sd_COLUMN (the relative sd of that row's value); blank
// cells are not observed. Errors are *fit.DataError at file:line:col.
func ParseActuals(t *fit.Table, horizon int, noise Noise) (*Actuals, error) {
	a := &Actuals{File: t.File, SHA256: t.SHA256}
	fail := func(line, col int, format string, args ...any) error {
		return &fit.DataError{File: t.File, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
	}
	monthAt, col, sdCol := -1, map[int]ActualColumn{}, map[ActualColumn]int{}
	names := ActualColumnNames()
	seen := map[string]bool{}
	for i, h := range t.Header {
		name := strings.ToLower(strings.TrimSpace(h))
		hc := 0
		if i < len(t.HeaderCols) {
			hc = t.HeaderCols[i]
		}
		if seen[name] {
			return nil, fail(t.HeaderLine, hc, "column %q appears twice in the header", h)
		}
		seen[name] = true
		switch k := slices.Index(names, strings.TrimPrefix(name, "sd_")); {
		case name == "month":
			monthAt = i
		case k >= 0 && strings.HasPrefix(name, "sd_"):
			sdCol[ActualColumn(k)] = i
		case k >= 0:
			col[i] = ActualColumn(k)
		case name == "":
			return nil, fail(t.HeaderLine, hc, "a column without a name in the header; the columns are month, %s and sd_COLUMN", strings.Join(names, ", "))
		default:
			return nil, fail(t.HeaderLine, hc, "unknown column %q%s; the columns are month, %s and sd_COLUMN (a row's relative sd)", h, suggest(name, append([]string{"month"}, names...)), strings.Join(names, ", "))
		}
	}
	if monthAt < 0 {
		return nil, fail(t.HeaderLine, 1, "no month column in the header: month is the month t from the project start (1 = the first month)")
	}
	for c, i := range sdCol {
		if !slices.Contains(mapsValues(col), c) {
			return nil, fail(t.HeaderLine, t.HeaderCols[i], "sd_%s without a %s column", ActualColumns[c].Name, ActualColumns[c].Name)
		}
	}
	months := map[int]int{} // month → line
	for _, r := range t.Rows {
		m := r.Cells[monthAt]
		observed := false
		for i := range col {
			if r.Cells[i] == r.Cells[i] {
				observed = true
			}
		}
		if m != m {
			if observed {
				return nil, fail(r.Line, r.Cols[monthAt], "the month is blank; every row with values needs its month")
			}
			continue
		}
		if m != math.Trunc(m) || m < 1 || m > float64(horizon) {
			return nil, fail(r.Line, r.Cols[monthAt], "month %v must be a whole number from 1 to the horizon, %d", m, horizon)
		}
		if prev, ok := months[int(m)]; ok {
			return nil, fail(r.Line, r.Cols[monthAt], "month %d appears again (first on line %d)", int(m), prev)
		}
		months[int(m)] = r.Line
		for i, c := range col {
			v := r.Cells[i]
			if v != v {
				continue
			}
			if c == ActualAdoption && (v < 0 || v > 1) {
				return nil, fail(r.Line, r.Cols[i], "adoption %v must be a share from 0 to 1 (write 0.42 or 42%%)", v)
			}
			o := Observation{Month: int(m), Column: c, Value: v, Noise: noise.of(c), Line: r.Line, Col: r.Cols[i]}
			if j, ok := sdCol[c]; ok {
				if sd := r.Cells[j]; sd == sd {
					if !(sd > 0 && sd <= MaxNoise) {
						return nil, fail(r.Line, r.Cols[j], "sd_%s %v must be a relative sd above 0 and at most %g (0.05 = 5%%)", ActualColumns[c].Name, sd, MaxNoise)
					}
					o.Noise = sd
				}
			}
			a.Obs = append(a.Obs, o)
		}
	}
	sort.SliceStable(a.Obs, func(i, j int) bool {
		if a.Obs[i].Month != a.Obs[j].Month {
			return a.Obs[i].Month < a.Obs[j].Month
		}
		return a.Obs[i].Column < a.Obs[j].Column
	})
	return a, nil
}

func mapsValues(m map[int]ActualColumn) []ActualColumn {
	var v []ActualColumn
	for _, c := range m {
		v = append(v, c)
	}
	return v
}

// LogWeightOutput is the name of the Internal output holding each
// iteration's log-likelihood of the actuals.
const LogWeightOutput = "track_log_likelihood"

// minLogLikelihood bounds an iteration's log-likelihood from below, so that
// it stays within the engine's MaxOutput; an iteration this far from the
// actuals has a weight of 0 either way.
const minLogLikelihood = -1e90

// Track is the CRM model of a scenario with the likelihood of actuals: the
// model's outputs, then LogWeightOutput, then one Internal output per
// observation (the iteration's value of that month and column, with the
// threshold "below the actual", whose share is the actual's percentile rank).
type Track struct {
	crm     *CRM
	obs     []Observation
	outputs []OutputInfo
	// Plan is the plan case's value of every column, per month.
	Plan [numActualColumns][]float64
	base int // the CRM model's outputs
}

// RankKey is the key of an observation output's threshold "below the actual".
const RankKey = "rank"

// NewTrack compiles the CRM model of s with the likelihood of the actuals a
// (whose observations get their absolute sd).
func NewTrack(s *Scenario, a *Actuals) (*Track, error) {
	if s.IsFormula() {
		return nil, fmt.Errorf("track needs the CRM model's months; a formula model has none")
	}
	crm := NewCRM(s)
	t := &Track{crm: crm, base: len(crm.outputs)}
	t.outputs = append(append([]OutputInfo(nil), crm.outputs...), OutputInfo{Name: LogWeightOutput,
		Label: Text{"Log-likelihood of the actuals", "Логарифм правдоподобия фактических данных"}, Unit: UnitNumber, Internal: true})
	// The plan case's monthly values, for the floors.
	ev := t.newEvaluator()
	out := make([]float64, len(crm.outputs))
	ev.evalCRM(s.PlanValues(), RiskDraws{}, false, out)
	for c := range t.Plan {
		t.Plan[c] = make([]float64, crm.h)
		for i := range t.Plan[c] {
			t.Plan[c][i] = ev.column(ActualColumn(c), i)
		}
	}
	for _, o := range a.Obs {
		floor := 1.0
		if ActualColumns[o.Column].Unit == UnitShare {
			floor = 0.01
		}
		for _, v := range t.Plan[o.Column] {
			floor = max(floor, 0.1*math.Abs(v))
		}
		o.SD = o.Noise * max(math.Abs(o.Value), floor)
		t.obs = append(t.obs, o)
		info := ActualColumns[o.Column]
		t.outputs = append(t.outputs, OutputInfo{Name: o.Name(), Unit: info.Unit, Internal: true,
			Label:      Text{fmt.Sprintf("%s, month %d", info.Label.En, o.Month), fmt.Sprintf("%s, месяц %d", info.Label.Ru, o.Month)},
			Thresholds: []Threshold{{Key: RankKey, Cmp: Below, At: o.Value, Label: Text{"Below the actual", "Ниже факта"}}}})
	}
	copy(a.Obs, t.obs)
	return t, nil
}

// Observations are the actuals with their absolute sd.
func (t *Track) Observations() []Observation { return t.obs }

// Outputs lists the CRM model's outputs, LogWeightOutput and one per observation.
func (t *Track) Outputs() []OutputInfo { return t.outputs }

// Horizon is the CRM model's.
func (t *Track) Horizon() int { return t.crm.h }

// NewEvaluator returns an evaluator of the model with the likelihood.
func (t *Track) NewEvaluator() Evaluator { return t.newEvaluator() }

func (t *Track) newEvaluator() *trackEvaluator {
	return &trackEvaluator{t: t, ws: t.crm.NewWorkspace(), cum: make([]float64, t.crm.h)}
}

type trackEvaluator struct {
	t   *Track
	ws  *Workspace
	res Result
	cum []float64 // Cum_t of the iteration
	x   []float64
}

// evalCRM evaluates the CRM model's iteration into out (its outputs) and
// the evaluator's buffers.
func (e *trackEvaluator) evalCRM(x []float64, r RiskDraws, withRisk bool, out []float64) Outcome {
	m := e.t.crm
	m.evalInto(&e.res, x, r, withRisk, e.ws, e.cum)
	e.x = x
	res := &e.res
	out[0], out[1], out[2], out[3] = res.NPV, res.ROI, res.PVBenefits, res.PVCosts
	out[4], out[5], out[6], out[7] = res.Payback, res.PeakFunding, res.RevenueUplift, res.IRR
	for k, o := range m.outputs[len(crmOutputs):] {
		out[len(crmOutputs)+k] = res.sectionValue(o.Name)
	}
	return res.Outcome
}

// column is the value of column c in month i (0-based) of the last
// iteration evaluated.
func (e *trackEvaluator) column(c ActualColumn, i int) float64 {
	ws := e.ws
	switch c {
	case ActualCashFlow:
		if i == 0 {
			return e.cum[0]
		}
		return e.cum[i] - e.cum[i-1]
	case ActualCumulative:
		return e.cum[i]
	case ActualBenefit:
		return ws.ben[i]
	case ActualCost:
		return ws.cost[i]
	case ActualAdoption:
		return ws.ad[i]
	}
	// R_t = Rb_t × (revenue factor) in run months, Rb_t otherwise.
	x, ph := e.x, ws.ph
	factor := 1.0
	if i >= ph.buildEnd && i < ph.runEnd {
		s := ws.sl[i]
		factor = ws.base[i] * (1 + x[ConversionUplift]*s) * (1 + x[CapacityGain]*x[CapacityToSales]*s)
	}
	if c == ActualRevenueUplift {
		return factor - 1
	}
	return x[Revenue] * powInt(ph.grow, i) * factor
}

// Eval implements Evaluator: the CRM model's outputs, the log-likelihood of
// the actuals and each observation's value in the iteration.
func (e *trackEvaluator) Eval(x []float64, r RiskDraws, withRisk bool, out, cum []float64) Outcome {
	t := e.t
	o := e.evalCRM(x, r, withRisk, out[:t.base])
	if cum != nil {
		copy(cum, e.cum)
	}
	ll := 0.0
	for j, ob := range t.obs {
		v := e.column(ob.Column, ob.Month-1)
		out[t.base+1+j] = v
		z := (v - ob.Value) / ob.SD
		ll -= 0.5 * z * z
	}
	if !(ll >= minLogLikelihood) { // also NaN: an iteration without a result
		ll = minLogLikelihood
	}
	out[t.base] = ll
	return o
}

// NonFinite implements NonFiniteReporter as the CRM model's evaluator does.
func (e *trackEvaluator) NonFinite() (string, float64) {
	return e.t.crm.describeFault(e.ws.fault), e.ws.fault.value
}
