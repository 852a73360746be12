package model

import (
	"math"

	"github.com/crmroi/crmroi/internal/kernels"
)

// Outcome is how an iteration's project ended.
type Outcome uint8

// The three outcomes of model.md section 2, "Risk events".
const (
	OK Outcome = iota
	Cancelled
	Abandoned
	// NumOutcomes is the number of outcomes.
	NumOutcomes
)

// String names the outcome as in summary.json.
func (o Outcome) String() string {
	switch o {
	case OK:
		return "ok"
	case Cancelled:
		return "cancelled"
	case Abandoned:
		return "abandoned"
	}
	return "unknown"
}

// RiskDraws are an iteration's four uniform numbers in (0, 1) for its risk events.
// Each comes from a stream of its own, so an iteration is a deterministic
// function of its uniform numbers.
type RiskDraws struct {
	Outcome       float64 // decides ok, cancelled or abandoned
	CancelMonth   float64 // tc, uniform on the integers 1..G
	AbandonMonth  float64 // ka, uniform on the integers 6..18
	AbandonFactor float64 // factor on the adoption ceiling, uniform(0.1, 0.4)
}

// RiskNames are the names of the risk draws' random streams, in the order of RiskDraws.
var RiskNames = [4]string{"risk.outcome", "risk.cancel_month", "risk.abandon_month", "risk.abandon_factor"}

// Result holds the outputs of one iteration (model.md section 3). ROI and IRR
// are NaN where undefined; Payback is +Inf where not reached.
type Result struct {
	NPV           float64
	ROI           float64
	PVBenefits    float64
	PVCosts       float64
	Payback       float64
	PeakFunding   float64
	RevenueUplift float64
	IRR           float64
	Outcome       Outcome
	// With a finance: section (model.md section 6): the present value of the
	// terminal value (0 without one) and the npv without profit tax.
	TerminalValue float64
	NPVBeforeTax  float64
	// With a gate: section (model.md section 7): the npv of the same draws
	// without the gate, NPV − NPVWithoutGate, and 1 where the gate stopped
	// the iteration (else 0).
	NPVWithoutGate float64
	GateValue      float64
	StoppedAtGate  float64
}

// Values returns the outputs in the order of Outputs.
func (r *Result) Values() [8]float64 {
	return [8]float64{r.NPV, r.ROI, r.PVBenefits, r.PVCosts, r.Payback, r.PeakFunding, r.RevenueUplift, r.IRR}
}

// CRM is the CRM business-case model of model.md compiled for one scenario.
// It holds only read-only data and is safe for concurrent use.
type CRM struct {
	h        int
	lag      int
	seats    float64
	impl     float64
	presale  float64
	esc      []float64 // subscription escalation e_t, index t−1
	cancel   float64
	abandon  float64
	scenario *Scenario
	// The monthly discount factor 1/(1+r_m) for a fixed discount rate.
	fixedRate, fixedDisc float64
	// irrGuess is where the IRR search starts without a fit (or where the
	// fit predicts nothing): the plan case's monthly IRR, else 5% a month.
	irrGuess float64
	// fit predicts each iteration's monthly IRR, a closer start (irrguess.go).
	fit irrFit
	// custom are the scenario's custom lines (nil without any).
	custom []compiledLine
	// fin is the finance: section (nil without one) and outputs the model's
	// outputs: crmOutputs, then those the section adds.
	fin     *Finance
	outputs []OutputInfo
	// gate is the gate: section (nil without one).
	gate *Gate
}

// NewCRM compiles the model of a validated scenario.
func NewCRM(s *Scenario) *CRM {
	m := &CRM{
		h:        s.Horizon,
		lag:      s.SalesLag,
		seats:    s.Seats,
		impl:     s.ImplementationMonths,
		presale:  s.PresaleSeatShare,
		cancel:   s.Risks.Cancel,
		abandon:  s.Risks.Abandon,
		scenario: s,
		fin:      s.Finance,
		outputs:  crmOutputs,
		gate:     s.Gate,
	}
	if s.Finance != nil {
		m.outputs = append(append([]OutputInfo(nil), crmOutputs...), financeOutputs(s)...)
	}
	if s.Gate != nil {
		m.outputs = append(append([]OutputInfo(nil), m.outputs...), gateOutputs...)
	}
	m.fixedRate = math.NaN()
	if d := s.Inputs[DiscountRate].Dist; d != nil && d.Fixed() {
		m.fixedRate = d.Plan()
		m.fixedDisc = math.Exp(-math.Log1p(m.fixedRate) / 12)
	}
	for _, l := range s.Custom {
		m.custom = append(m.custom, compiledLine{eval: l.Expr.eval, benefit: l.Kind == Benefit})
	}
	m.esc = make([]float64, s.Horizon)
	for t := 1; t <= s.Horizon; t++ {
		m.esc[t-1] = math.Pow(1+s.SubscriptionEscalation, float64((t-1)/12))
	}
	m.irrGuess = 0.05
	if plan := m.Eval(s.PlanValues(), RiskDraws{}, false, m.NewWorkspace(), nil); !math.IsNaN(plan.IRR) {
		if g := math.Pow(1+plan.IRR, 1.0/12) - 1; g > irrLo && g < irrHi {
			m.irrGuess = g
		}
	}
	m.fitIRRGuess()
	return m
}

// Horizon is the number of months H.
func (m *CRM) Horizon() int { return m.h }

// Workspace is the scratch memory of one evaluating goroutine.
type Workspace struct {
	// Per month: benefit B_t, cost C_t, cash flow CF_t, adoption A(k) (0
	// where no benefit counts), sales-lagged adoption S(k), the revenue
	// factor of the client index and dip, and Cum_t when the caller does not
	// ask for it.
	ben, cost, cf, ad, sl, base, cum []float64
	// With custom lines: the expression slots and the first non-finite value.
	vars  []float64
	fault fault
	// With a finance: section: per month K_t − Dep_t, what the tax base
	// adds back to B_t − C_t.
	adj []float64
	// With a gate: section: the slots of its stop_if, and the run month at
	// which the gate stops the iteration being evaluated (0: it does not).
	gvars []float64
	stop  int
	// ph is the phases of the last iteration filled (track reads R_t from it).
	ph phases
}

// NewWorkspace returns scratch memory for Eval; one per goroutine.
func (m *CRM) NewWorkspace() *Workspace {
	h := m.h
	buf := make([]float64, 7*h)
	ws := &Workspace{ben: buf[:h:h], cost: buf[h : 2*h : 2*h], cf: buf[2*h : 3*h : 3*h],
		ad: buf[3*h : 4*h : 4*h], sl: buf[4*h : 5*h : 5*h], base: buf[5*h : 6*h : 6*h], cum: buf[6*h:], fault: fault{line: -1}}
	if len(m.custom) > 0 {
		ws.vars = make([]float64, len(m.scenario.Inputs)+numMonthVars)
	}
	if m.fin != nil {
		ws.adj = make([]float64, h)
	}
	if m.gate != nil {
		ws.gvars = make([]float64, len(m.scenario.Inputs)+numGateVars)
	}
	return ws
}

// GoLive returns G, the number of build months, for a schedule slip.
func (m *CRM) GoLive(slip float64) int { return goLive(m.impl, slip) }

// GoLive returns G, the number of build months of the scenario's CRM model
// for a schedule slip, without compiling the model (NewCRM fits the IRR's
// start on a pilot sample, about a millisecond).
func (s *Scenario) GoLive(slip float64) int { return goLive(s.ImplementationMonths, slip) }

// goLive is max(1, ⌊impl × slip + 0.5⌋) (model.md), at most MaxInt32.
func goLive(impl, slip float64) int {
	g := math.Floor(impl*slip + 0.5)
	if !(g >= 1) { // also catches NaN
		return 1
	}
	if g > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(g)
}

// discount returns 1/(1+r_m) for an annual rate r.
func (m *CRM) discount(r float64) float64 {
	if r == m.fixedRate {
		return m.fixedDisc
	}
	return math.Exp(-math.Log1p(r) / 12)
}

// Outcome maps an iteration's risk draws to its outcome, cancellation month tc
// (1..G) and abandonment run month ka (6..18) and adoption factor.
func (m *CRM) outcome(r RiskDraws, g int) (o Outcome, tc, ka int, factor float64) {
	switch {
	case r.Outcome < m.cancel:
		tc = 1 + int(r.CancelMonth*float64(g))
		if tc > g {
			tc = g
		}
		return Cancelled, tc, 0, 1
	case r.Outcome < m.cancel+(1-m.cancel)*m.abandon:
		ka = 6 + int(r.AbandonMonth*13)
		if ka > 18 {
			ka = 18
		}
		return Abandoned, 0, ka, 0.1 + 0.3*r.AbandonFactor
	}
	return OK, 0, 0, 1
}

// Eval runs one iteration of model.md section 2 with parameter values x (indexed
// as Builtin) and risk draws r; withRisk false evaluates with no risk event
// (the plan case). When cum is not nil it receives Cum_t for t = 1..H.
// Eval does not allocate.
//
// The first pass fills B_t and C_t month by month, one loop per phase (build,
// run, after a cancellation or an abandonment), so that no loop tests the
// phase; the second adds the custom lines, the third discounts and sums.
func (m *CRM) Eval(x []float64, r RiskDraws, withRisk bool, ws *Workspace, cum []float64) Result {
	var res Result
	m.evalInto(&res, x, r, withRisk, ws, cum)
	return res
}

// evalInto is Eval into *res: evalGated with a gate, else evalFlows.
func (m *CRM) evalInto(res *Result, x []float64, r RiskDraws, withRisk bool, ws *Workspace, cum []float64) {
	if m.gate != nil {
		m.evalGated(res, x, r, withRisk, ws, cum)
		return
	}
	m.evalFlows(res, x, r, withRisk, ws, cum)
}

// evalFlows is evalInto without the gate (ws.stop, which only the gate
// sets, stops the project as its decision does).
func (m *CRM) evalFlows(res *Result, x []float64, r RiskDraws, withRisk bool, ws *Workspace, cum []float64) {
	if m.fin != nil {
		m.evalFinance(res, x, r, withRisk, ws, cum)
		return
	}
	ph := m.fill(x, r, withRisk, ws)
	H, outcome := m.h, ph.outcome
	ben, cost := ws.ben[:H], ws.cost[:H]

	// Cash flow, discounting, cumulative sums, payback.
	if cum == nil {
		cum = ws.cum
	}
	cf := ws.cf[:H]
	d := discountFlows(ben, cost, cf, cum[:H], m.discount(x[DiscountRate]))
	npv, pvc, payback := d.npv, d.pvc, d.payback
	if H > 0 && cf[0] >= 0 {
		payback = 0
	}
	*res = Result{
		NPV:         npv,
		PVBenefits:  d.pvb,
		PVCosts:     pvc,
		Payback:     payback,
		PeakFunding: math.Max(0, -d.minCum),
		IRR:         math.NaN(),
		ROI:         math.NaN(),
		Outcome:     outcome,
	}
	if pvc != 0 {
		res.ROI = npv / pvc
	}
	res.RevenueUplift = m.revenueUplift(x, ph)
	if len(m.custom) > 0 && ws.fault.line >= 0 {
		// A custom line was not a finite number: the iteration has no result,
		// and the engine asks the evaluator which line it was.
		res.NPV = math.NaN()
		return
	}
	guess := m.fit.predict(npv, pvc, d.shape.sum, res.Payback, res.PeakFunding, m.irrGuess)
	if x := irrOfShape(cf, d.shape, guess); !math.IsNaN(x) {
		y := 1 + x
		y3 := y * y * y
		y6 := y3 * y3
		res.IRR = y6*y6 - 1 // (1+x)^12 − 1, within 2e-15 relative of math.Pow's
	}
}

// phases is what the first pass of an iteration learns: its go-live G,
// outcome, cancellation month tc and abandonment run month ka, the
// 0-based month bounds of its phases and Σ (R_t − Rb_t) over the last 12 months.
type phases struct {
	g, tc, ka                int
	outcome                  Outcome
	buildEnd, runEnd, subEnd int
	upNum, grow              float64
}

// fill is the first pass of an iteration: B_t and C_t of every month into
// ws.ben and ws.cost, one loop per phase (build, run, after a cancellation
// or an abandonment) so that no loop tests the phase, then the custom lines.
// ws.stop > 0 makes the outcome an abandonment at run month ws.stop, with
// the drawn adoption factor (the gate's decision; evalGated checks that the
// iteration runs that long).
func (m *CRM) fill(x []float64, r RiskDraws, withRisk bool, ws *Workspace) phases {
	var (
		H        = m.h
		revenue  = x[Revenue]
		seatCost = m.seats * x[Subscription]
	)
	g := m.GoLive(x[ScheduleSlip])
	outcome, tc, ka, factor := OK, 0, 0, 1.0
	if withRisk {
		outcome, tc, ka, factor = m.outcome(r, g)
	}
	if ws.stop > 0 {
		outcome, ka = Abandoned, ws.stop
	}

	// The phases, as 0-based month bounds: build months [0, buildEnd), run
	// months [buildEnd, runEnd), then months with at most the subscription
	// (until subEnd) and after it nothing.
	buildEnd, runEnd, subEnd := min(g, H), H, H
	switch outcome {
	case Cancelled:
		buildEnd = min(tc, H)
		runEnd, subEnd = buildEnd, buildEnd
	case Abandoned:
		runEnd = min(H, g+ka)
		subEnd = min(H, g+12*((ka+11)/12))
	}
	ben, cost, ad, sl := ws.ben[:H], ws.cost[:H], ws.ad[:H], ws.sl[:H]
	// The monthly factors, side by side so that their latencies overlap:
	// (1+growth)^(1/12), the logistic curve's q (see adoption) and the
	// monthly churn 1 − (1−churn)^(1/12).
	grow := math.Exp(math.Log1p(x[Growth]) / 12)
	q := math.Exp(-2 * ln9 / x[RampMonths])
	churnM := -math.Expm1(math.Log1p(-x[Churn]) / 12)

	buildCost := x[OneOff] * x[Overrun] / float64(g)
	presaleCost := m.presale * seatCost
	for t := 0; t < buildEnd; t++ {
		ben[t], cost[t], ad[t], sl[t] = 0, buildCost+presaleCost*m.esc[t], 0, 0
	}
	lastYear := H - 12 // first month (0-based) of the last 12
	upNum := 0.0       // Σ (R_t − Rb_t) over the last 12 months
	if buildEnd < runEnd {
		m.adoption(x, ws, buildEnd, runEnd, factor, q, churnM)
		upNum = m.runFlows(x, ws, buildEnd, runEnd, lastYear, grow)
	}
	// After the run: the subscription to the end of its yearly term after an
	// abandonment, then nothing (also after a cancellation).
	for t := runEnd; t < H; t++ {
		c := 0.0
		if t < subEnd {
			c = seatCost * m.esc[t]
		}
		ben[t], cost[t], ad[t], sl[t] = 0, c, 0, 0
	}

	// The custom lines, where the scenario has any.
	if len(m.custom) > 0 {
		costEnd := H // first month (0-based) in which no cost runs
		switch outcome {
		case Cancelled:
			costEnd = min(H, tc)
		case Abandoned:
			costEnd = subEnd
		}
		m.customPass(x, ws, g, runEnd, costEnd, outcome == Cancelled, revenue, grow)
	}

	ws.ph = phases{g: g, tc: tc, ka: ka, outcome: outcome, buildEnd: buildEnd, runEnd: runEnd, subEnd: subEnd, upNum: upNum, grow: grow}
	return ws.ph
}

// revenueUplift is Σ (R_t − Rb_t) / Σ Rb_t over the last 12 months, or 0
// where the baseline is 0.
func (m *CRM) revenueUplift(x []float64, ph phases) float64 {
	// Σ Rb_t over the last 12 months, Rb_t advanced as the run loop does.
	H := m.h
	upDen, rb := 0.0, x[Revenue]*powInt(ph.grow, max(0, H-12))
	for range min(12, H) {
		upDen += rb
		rb *= ph.grow
	}
	if upDen == 0 {
		return 0
	}
	return ph.upNum / upDen
}

// adoption fills, for the run months [from, to) of an iteration, the
// adoption A(k) (ws.ad), the sales-lagged adoption S(k) = A(k − lag)
// (ws.sl) and the revenue factor of the client index and go-live dip,
// (repeat_share·n_k + 1 − repeat_share)·D_k (ws.base).
// It is a loop of its own so that its few running values stay in registers.
func (m *CRM) adoption(x []float64, ws *Workspace, from, to int, factor, q, churnM float64) {
	// Logistic adoption: s·T/2 = ln 9, so L(k) = 1/(1 + 9·q^k) with
	// q = e^(−s), and A(k) = adMax·(L(k) − 0.1)/0.9 = hi/(1 + 9·q^k) − lo.
	adMax := x[AdoptionMax] * factor
	hi, lo := adMax/0.9, adMax/9
	churnCut := x[ChurnReduction]
	repeat := x[RepeatShare]
	fresh := 1 - repeat
	dip := 1 - x[GoliveDip]
	ad, base := ws.ad[from:to], ws.base[from:to]
	base = base[:len(ad)]
	n, qk := 1.0, 1.0 // client index n_k, q^k
	for k := range ad {
		qk *= q
		a := hi/(1+9*qk) - lo
		ad[k] = a
		base[k] = repeat*n + fresh
		n = n*(1-churnM*(1-churnCut*a)) + churnM
	}
	for k := range min(2, len(base)) {
		base[k] *= dip
	}
	// S(k) = A(k − lag), 0 for k ≤ lag.
	sl := ws.sl[from:to]
	lag := min(m.lag, len(sl))
	clear(sl[:lag])
	copy(sl[lag:], ad)
}

// runFlows fills B_t and C_t for the run months [from, to) from the
// adoption pass's values and returns Σ (R_t − Rb_t) over the months from
// lastYear on.
func (m *CRM) runFlows(x []float64, ws *Workspace, from, to, lastYear int, grow float64) (upNum float64) {
	capSales := x[CapacityToSales]
	convUp := x[ConversionUplift]
	upSales := x[CapacityGain] * capSales
	saving := (1 - capSales) * x[CapacityGain] * x[SalesPayroll] * x[SavingsRealization] // per unit of adoption
	other := x[OtherSavings]
	gain := x[Margin] - x[BonusRate]
	seatCost := m.seats * x[Subscription]
	runCost := x[Support] + x[ITStaff]
	rb := x[Revenue] * powInt(grow, from) // Rb_t
	ad := ws.ad[from:to]
	sl, base, ben, cost, esc := ws.sl[from:to], ws.base[from:to], ws.ben[from:to], ws.cost[from:to], m.esc[from:to]
	sl, base, ben, cost, esc = sl[:len(ad)], base[:len(ad)], ben[:len(ad)], cost[:len(ad)], esc[:len(ad)]
	for k, a := range ad {
		s := sl[k]
		dr := rb * (base[k]*(1+convUp*s)*(1+upSales*s) - 1) // R_t − Rb_t
		ben[k] = dr*gain + saving*a + other*a
		cost[k] = seatCost*esc[k] + runCost
		if k+from >= lastYear {
			upNum += dr
		}
		rb *= grow
	}
	return upNum
}

// discounted is what discountFlows sums.
type discounted struct {
	npv, pvb, pvc float64
	minCum        float64 // min_t Cum_t
	payback       float64 // first crossing of Cum from below 0, interpolated; +Inf for none
	shape         shape   // of the cash flow, for the IRR
}

// discountFlows writes CF_t = B_t − C_t into cf and Cum_t into cum, and
// discounts the flows with the monthly factor disc = 1/(1+r_m). It also
// finds the flow's shape (as flowShape) on the way.
func discountFlows(ben, cost, cf, cum []float64, disc float64) discounted {
	n := len(ben)
	cost, cf, cum = cost[:n], cf[:n], cum[:n]
	st := kernels.DiscountState{DF: 1, MinCum: math.Inf(1)}
	first := 0.0 // the first non-zero flow
	for t, b := range ben {
		if f := b - cost[t]; f != 0 {
			first, st.Neg = f, math.Float64bits(f)>>63
			break
		}
	}
	kernels.Discount(ben, cost, cf, cum, disc, &st)
	// Payback: the first month t with Cum_{t−1} < 0 ≤ Cum_t (rarely far).
	payback, prev := math.Inf(1), 0.0
	if st.MinCum < 0 {
		for t, v := range cum {
			if prev < 0 && v >= 0 {
				payback = float64(t) + (-prev)/cf[t]
				break
			}
			prev = v
		}
	}
	return discounted{npv: st.NPV, pvb: st.NPV + st.PVC, pvc: st.PVC, minCum: st.MinCum, payback: payback,
		shape: shape{first: first, last: st.Last, big: st.Big, sum: st.Cum, changes: int(st.Changes)}}
}

// powInt returns x^n for n ≥ 0 by repeated squaring: a chain of about
// 2·log₂ n dependent multiplications instead of n.
func powInt(x float64, n int) float64 {
	r := 1.0
	for ; n > 0; n >>= 1 {
		if n&1 != 0 {
			r *= x
		}
		x *= x
	}
	return r
}

// ln9 is ln 9: the logistic adoption curve goes from L = 0.1 to 0.9 in T months.
var ln9 = math.Log(9)

func nanValue() float64 { return math.NaN() }
