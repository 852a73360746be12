package model

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// The IRR search (halleyBracketed) needs three evaluations of the flow's
// present value and its derivatives on average when it starts from the plan
// case's IRR, two when it starts within about 0.005 of the root. What the
// month passes already found predicts the root that well: the monthly IRR of
// a scenario's iterations is close to a quadratic function of four ratios,
// the ROI, the undiscounted sum of the flows and the peak funding over the
// PV of costs, and 1/(1 + payback). irrFit fits that function by least
// squares to a pilot sample of the scenario when the model is compiled, and
// Eval starts each search from its prediction. The prediction only moves
// the start: the result is the same root, to about 1e-14.

// guessTerms is the number of terms of the quadratic: a constant, the four
// ratios, their squares and their six products.
const guessTerms = 15

// irrFit is the fitted prediction of the monthly IRR; ok is false when the
// pilot sample did not give a better start than the plan case's IRR.
type irrFit struct {
	coef [guessTerms]float64
	ok   bool
}

// guessTermsOf returns the quadratic's terms for an iteration with those
// results, sum being the undiscounted sum of its flows (Cum_H).
func guessTermsOf(npv, pvc, sum, payback, peak float64) [guessTerms]float64 {
	inv := 1 / pvc
	roi, r0, mc := npv*inv, sum*inv, peak*inv
	pb := 1 / (1 + payback) // 0 where not paid back
	return [guessTerms]float64{1, roi, r0, pb, mc,
		roi * roi, r0 * r0, pb * pb, mc * mc,
		roi * r0, roi * pb, roi * mc, r0 * pb, r0 * mc, pb * mc}
}

// predict returns the predicted monthly IRR, or def where there is no fit
// or no prediction (PV of costs 0, or a value that is not finite).
func (f *irrFit) predict(npv, pvc, sum, payback, peak, def float64) float64 {
	if !f.ok {
		return def
	}
	// guessTermsOf's terms written out, grouped by the first ratio, so
	// that the sums run side by side in registers.
	inv := 1 / pvc
	roi, r0, mc := npv*inv, sum*inv, peak*inv
	pb := 1 / (1 + payback)
	c := &f.coef
	g := (c[0] + roi*(c[1]+c[5]*roi+c[9]*r0+c[10]*pb+c[11]*mc)) +
		(r0*(c[2]+c[6]*r0+c[12]*pb+c[13]*mc) + (pb*(c[3]+c[7]*pb+c[14]*mc) + mc*(c[4]+c[8]*mc)))
	if g-g != 0 {
		return def
	}
	return g
}

// Pilot sample: its size and seed, and the probabilities at which each
// uncertain input's exact quantile is computed; the sample interpolates
// between them (exact quantiles cost a microsecond or two each).
const (
	pilotSize = 512
	pilotSeed = 0x9e3779b97f4a7c15
)

var pilotKnots = [...]float64{0.01, 0.05, 0.15, 0.3, 0.5, 0.7, 0.85, 0.95, 0.99}

// fitIRRGuess fits m.fit on a pilot sample of the scenario: inputs drawn
// from their distributions (independently, between their 1% and 99%
// quantiles), risk events as in a run. Iterations whose flow changes sign
// once (the ones Halley's iteration solves) are kept; the fit is used when
// at least 4 per term were and its mean error on them is below 0.8 of the
// plan case's IRR's.
func (m *CRM) fitIRRGuess() {
	s := m.scenario
	unc := s.Uncertain()
	knots := make([][len(pilotKnots)]float64, len(unc))
	for k, i := range unc {
		for j, p := range pilotKnots {
			knots[k][j] = s.Inputs[i].Dist.Quantile(p)
		}
	}
	rng := rand.New(rand.NewPCG(pilotSeed, uint64(len(unc))))
	ws := m.NewWorkspace()
	x := s.PlanValues()
	var (
		ata  = mat.NewSymDense(guessTerms, nil)
		atb  = mat.NewVecDense(guessTerms, nil)
		rows [][guessTerms]float64
		ys   []float64
	)
	for range pilotSize {
		for k, i := range unc {
			x[i] = interpKnots(&knots[k], rng.Float64())
		}
		r := RiskDraws{Outcome: rng.Float64(), CancelMonth: rng.Float64(), AbandonMonth: rng.Float64(), AbandonFactor: rng.Float64()}
		res := m.Eval(x, r, true, ws, nil)
		cf := ws.cf[:m.h]
		sh := flowShape(cf)
		if sh.changes != 1 || math.IsNaN(res.IRR) || res.PVCosts == 0 {
			continue
		}
		y := irrOfShape(cf, sh, m.irrGuess)
		t := guessTermsOf(res.NPV, res.PVCosts, sh.sum, res.Payback, res.PeakFunding)
		if !finiteAll(t[:]) || y-y != 0 {
			continue
		}
		rows, ys = append(rows, t), append(ys, y)
		for a := range guessTerms {
			atb.SetVec(a, atb.AtVec(a)+t[a]*y)
			for b := a; b < guessTerms; b++ {
				ata.SetSym(a, b, ata.At(a, b)+t[a]*t[b])
			}
		}
	}
	if len(rows) < 4*guessTerms {
		return
	}
	// A small ridge keeps the system solvable when terms coincide (a fixed
	// ratio, or one equal to another for every pilot iteration).
	tr := 0.0
	for a := range guessTerms {
		tr += ata.At(a, a)
	}
	for a := range guessTerms {
		ata.SetSym(a, a, ata.At(a, a)+1e-10*tr)
	}
	var ch mat.Cholesky
	if !ch.Factorize(ata) {
		return
	}
	var c mat.VecDense
	if err := ch.SolveVecTo(&c, atb); err != nil {
		return
	}
	fit := irrFit{ok: true}
	for a := range guessTerms {
		fit.coef[a] = c.AtVec(a)
	}
	if !finiteAll(fit.coef[:]) {
		return
	}
	errFit, errPlan := 0.0, 0.0
	for i, t := range rows {
		g := 0.0
		for a := range guessTerms {
			g += fit.coef[a] * t[a]
		}
		errFit += math.Abs(g - ys[i])
		errPlan += math.Abs(m.irrGuess - ys[i])
	}
	if errFit < 0.8*errPlan {
		m.fit = fit
	}
}

// interpKnots returns the pilot's value for u in [0, 1): at probability
// p = 0.01 + 0.98u, the quantile interpolated linearly between the knots.
func interpKnots(q *[len(pilotKnots)]float64, u float64) float64 {
	ps := &pilotKnots
	p := ps[0] + u*(ps[len(ps)-1]-ps[0])
	j := 0
	for j+2 < len(ps) && p >= ps[j+1] {
		j++
	}
	w := (p - ps[j]) / (ps[j+1] - ps[j])
	return q[j] + w*(q[j+1]-q[j])
}

// finiteAll reports whether every value is a finite number.
func finiteAll(v []float64) bool {
	for _, x := range v {
		if x-x != 0 {
			return false
		}
	}
	return true
}
