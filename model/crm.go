package model

import "math"

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
	// irrGuess is where the IRR search starts: the plan case's monthly IRR
	// (iterations are usually near it), else 5% a month.
	irrGuess float64
	// custom are the scenario's custom lines (nil without any).
	custom []compiledLine
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
	return m
}

// Horizon is the number of months H.
func (m *CRM) Horizon() int { return m.h }

// Workspace is the scratch memory of one evaluating goroutine.
type Workspace struct {
	cf, rel, ad, cost []float64
	// With custom lines: sales-lagged adoption per month, the lines' monthly
	// benefits and costs, the expression slots and the first non-finite value.
	sl, cb, cc, vars []float64
	fault            fault
}

// NewWorkspace returns scratch memory for Eval; one per goroutine.
func (m *CRM) NewWorkspace() *Workspace {
	ws := &Workspace{cf: make([]float64, m.h), rel: make([]float64, m.h), ad: make([]float64, m.h), cost: make([]float64, m.h),
		fault: fault{line: -1}}
	if len(m.custom) > 0 {
		ws.sl, ws.cb, ws.cc = make([]float64, m.h), make([]float64, m.h), make([]float64, m.h)
		ws.vars = make([]float64, len(m.scenario.Inputs)+numMonthVars)
	}
	return ws
}

// GoLive returns G, the number of build months, for a schedule slip.
func (m *CRM) GoLive(slip float64) int {
	g := math.Floor(m.impl*slip + 0.5)
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
func (m *CRM) Eval(x []float64, r RiskDraws, withRisk bool, ws *Workspace, cum []float64) Result {
	var (
		H        = m.h
		revenue  = x[Revenue]
		payroll  = x[SalesPayroll]
		margin   = x[Margin]
		bonus    = x[BonusRate]
		repeat   = x[RepeatShare]
		convUp   = x[ConversionUplift]
		capGain  = x[CapacityGain]
		capSales = x[CapacityToSales]
		realize  = x[SavingsRealization]
		churnCut = x[ChurnReduction]
		other    = x[OtherSavings]
		dip      = x[GoliveDip]
		adMax    = x[AdoptionMax]
		ramp     = x[RampMonths]
		support  = x[Support]
		itStaff  = x[ITStaff]
		seatCost = m.seats * x[Subscription]
	)
	g := m.GoLive(x[ScheduleSlip])
	buildCost := x[OneOff] * x[Overrun] / float64(g)
	presaleCost := m.presale * seatCost

	outcome, tc, ka, factor := OK, 0, 0, 1.0
	if withRisk {
		outcome, tc, ka, factor = m.outcome(r, g)
	}
	adMax *= factor
	subEnd := 0 // last run month with subscription after abandonment
	if outcome == Abandoned {
		subEnd = 12 * ((ka + 11) / 12)
	}

	// Monthly factors, advanced by multiplication in the loops.
	disc := m.discount(x[DiscountRate])
	grow := math.Exp(math.Log1p(x[Growth]) / 12)      // (1+growth)^(1/12)
	churnM := -math.Expm1(math.Log1p(-x[Churn]) / 12) // 1 − (1−churn)^(1/12)
	// Logistic adoption: s·T/2 = ln 9, so L(k) = 1/(1 + 9·q^k) with q = e^(−s).
	q := math.Exp(-2 * math.Log(9) / ramp)
	upSales := capGain * capSales
	saving := (1 - capSales) * capGain * payroll * realize // per unit of adoption, besides other savings
	gain := margin - bonus

	// First pass: per month, the relative revenue uplift R_t/Rb_t − 1, the
	// adoption that scales the savings (0 where no benefit counts) and the cost.
	rel, ad, cost := ws.rel[:H], ws.ad[:H], ws.cost[:H]
	sls := ws.sl // nil without custom lines
	runEnd := H  // first month (0-based) in which no benefit counts
	if outcome == Abandoned {
		runEnd = min(H, g+ka)
	}
	t := 0
	buildEnd := min(g, H)
	if outcome == Cancelled {
		buildEnd = min(tc, H)
	}
	for ; t < buildEnd; t++ {
		rel[t], ad[t], cost[t] = 0, 0, buildCost+presaleCost*m.esc[t]
	}
	switch outcome {
	case Cancelled:
		for ; t < H; t++ { // stopped: nothing more is spent or earned
			rel[t], ad[t], cost[t] = 0, 0, 0
		}
	default:
		var (
			n  = 1.0 // client index
			qk = 1.0 // q^k
		)
		runCost := support + itStaff
		lag := m.lag
		for ; t < runEnd; t++ {
			k := t + 1 - g
			qk *= q
			a := adMax * (1/(1+9*qk) - 0.1) / 0.9
			sl := 0.0 // S(k) = A(k − lag), already computed lag months ago
			if k > lag {
				sl = ad[t-lag]
			}
			d := 1.0
			if k <= 2 {
				d = 1 - dip
			}
			rel[t] = (repeat*n+1-repeat)*(1+convUp*sl)*(1+upSales*sl)*d - 1
			ad[t] = a
			if sls != nil {
				sls[t] = sl
			}
			cost[t] = seatCost*m.esc[t] + runCost
			n = n*(1-churnM*(1-churnCut*a)) + churnM
		}
		for ; t < H; t++ { // abandoned: the subscription runs to the end of its yearly term
			rel[t], ad[t], cost[t] = 0, 0, 0
			if t+1-g <= subEnd {
				cost[t] = seatCost * m.esc[t]
			}
		}
	}

	// The custom lines, where the scenario has any.
	var cb, cc []float64
	if len(m.custom) > 0 {
		costEnd := H // first month (0-based) in which no cost runs
		switch outcome {
		case Cancelled:
			costEnd = min(H, tc)
		case Abandoned:
			costEnd = min(H, g+subEnd)
		}
		m.customPass(x, ws, g, runEnd, costEnd, outcome == Cancelled, revenue, grow)
		cb, cc = ws.cb[:H], ws.cc[:H]
	}

	// Second pass: cash flow, discounting, cumulative sums, payback.
	var (
		df       = 1.0 // (1+r_m)^−t
		rb       = revenue
		cumv     = 0.0
		minCum   = math.Inf(1)
		npv, pvb float64
		pvc      float64
		payback  = math.Inf(1)
		paid     bool
		upNum    float64
		upDen    float64
	)
	lastYear := H - 12
	cf := ws.cf[:H]
	for t := 0; t < H; t++ {
		df *= disc
		dr := rb * rel[t]
		b := dr*gain + saving*ad[t] + other*ad[t]
		c := cost[t]
		if cb != nil {
			b += cb[t]
			c += cc[t]
		}
		f := b - c
		cf[t] = f
		npv += f * df
		pvb += b * df
		pvc += c * df
		prev := cumv
		cumv += f
		if cum != nil {
			cum[t] = cumv
		}
		if cumv < minCum {
			minCum = cumv
		}
		if prev < 0 && cumv >= 0 && !paid {
			payback, paid = float64(t)+(-prev)/f, true
		}
		if t >= lastYear {
			upNum += dr
			upDen += rb
		}
		rb *= grow
	}
	if H > 0 && cf[0] >= 0 {
		payback = 0
	}
	res := Result{
		NPV:         npv,
		PVBenefits:  pvb,
		PVCosts:     pvc,
		Payback:     payback,
		PeakFunding: math.Max(0, -minCum),
		IRR:         math.NaN(),
		ROI:         math.NaN(),
		Outcome:     outcome,
	}
	if pvc != 0 {
		res.ROI = npv / pvc
	}
	if upDen != 0 {
		res.RevenueUplift = upNum / upDen
	}
	if cb != nil && ws.fault.line >= 0 {
		// A custom line was not a finite number: the iteration has no result,
		// and the engine asks the evaluator which line it was.
		res.NPV = math.NaN()
		return res
	}
	if x := irrMonthly(cf[:H], m.irrGuess); !math.IsNaN(x) {
		res.IRR = math.Pow(1+x, 12) - 1
	}
	return res
}

func nanValue() float64 { return math.NaN() }
