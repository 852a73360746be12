package sim

import (
	"math"

	"github.com/crmroi/crmroi/distributions"
)

// proposal is the sampling distribution of an adaptive weighted run: a
// Gaussian on the normal scores z = Φ⁻¹(u) of an iteration's independent
// uniforms (every uncertain input's and risk draw's stream, before the
// copula), mixed with the prior N(0, I): every every-th iteration (by its
// index in the run) is drawn from the prior, the others as z = μ + Lε from
// the design's own normal scores ε. Each iteration's log weight is then
// corrected by log φ(z) − log q(z), q the mixture's density (the balance
// heuristic of a deterministic mixture), so that the weighted results
// estimate what the prior weighted by the likelihood gives.
type proposal struct {
	mean   []float64
	chol   [][]float64 // lower triangle, row r of length r+1
	logDet float64     // Σ log L_rr
	every  int
}

// defensiveEvery places one iteration in every so many on the prior.
const defensiveEvery = 10

// apply draws the block's iterations [lo, lo+nb) from the proposal in
// place of the design's uniforms w.u, writing each one's correction into
// w.corr and, when kept, its scores into w.zs.
func (q *proposal) apply(w *worker, streams, lo, nb int) {
	tab := phiTable()
	d := streams
	if len(w.eps) < d {
		w.eps = make([][]float64, d)
		for k := range w.eps {
			w.eps[k] = make([]float64, BlockSize)
		}
		w.zrow, w.erow = make([]float64, d), make([]float64, d)
	}
	for k := 0; k < d; k++ {
		distributions.QuantileSlice(unitNormal(), w.eps[k][:nb], 1, w.u[k][:nb])
	}
	alpha := 1 / float64(q.every)
	la, lb := math.Log(alpha), math.Log1p(-alpha)
	z, e := w.zrow, w.erow
	for i := 0; i < nb; i++ {
		prior := (lo+i)%q.every == 0
		for k := 0; k < d; k++ {
			e[k] = w.eps[k][i]
		}
		if prior {
			copy(z, e)
			// ε' = L⁻¹(z − μ), for the Gaussian's density at z.
			for r := 0; r < d; r++ {
				s := z[r] - q.mean[r]
				row := q.chol[r]
				for c := 0; c < r; c++ {
					s -= row[c] * e[c]
				}
				e[r] = s / row[r]
			}
		} else {
			for r := 0; r < d; r++ {
				s := q.mean[r]
				row := q.chol[r]
				for c := 0; c <= r; c++ {
					s += row[c] * e[c]
				}
				z[r] = s
			}
		}
		lp, lg := 0.0, -q.logDet
		for k := 0; k < d; k++ {
			lp -= 0.5 * z[k] * z[k]
			lg -= 0.5 * e[k] * e[k]
		}
		// log q = log(α φ(z) + (1−α) N(z; μ, LLᵀ)), by log-sum-exp.
		a, b := la+lp, lb+lg
		m := max(a, b)
		w.corr[i] = lp - (m + math.Log(math.Exp(a-m)+math.Exp(b-m)))
		for k := 0; k < d; k++ {
			w.u[k][i] = clampOpen(phi(tab, z[k]))
			if w.zs != nil {
				w.zs[k][i] = z[k]
			}
		}
	}
}

// fitProposal returns the proposal fitted to the scores zs (per stream,
// per iteration) with weights ws: their weighted mean and covariance, the
// covariance widened by inflate and a ridge added for its Cholesky factor.
func fitProposal(zs [][]float64, ws weights, inflate float64) *proposal {
	d := len(zs)
	q := &proposal{mean: make([]float64, d), chol: make([][]float64, d), every: defensiveEvery}
	for k := range zs {
		s := 0.0
		for _, i := range ws.support {
			s += ws.w[i] * zs[k][i]
		}
		q.mean[k] = s / ws.sum
	}
	cov := make([][]float64, d)
	for r := range cov {
		cov[r] = make([]float64, r+1)
		for c := 0; c <= r; c++ {
			s := 0.0
			for _, i := range ws.support {
				s += ws.w[i] * (zs[r][i] - q.mean[r]) * (zs[c][i] - q.mean[c])
			}
			cov[r][c] = s / ws.sum * inflate
		}
		cov[r][r] += 1e-6
	}
	// Cholesky, lower.
	for r := 0; r < d; r++ {
		q.chol[r] = make([]float64, r+1)
		for c := 0; c <= r; c++ {
			s := cov[r][c]
			for k := 0; k < c; k++ {
				s -= q.chol[r][k] * q.chol[c][k]
			}
			if c == r {
				q.chol[r][r] = math.Sqrt(max(s, 1e-12))
				q.logDet += math.Log(q.chol[r][r])
			} else {
				q.chol[r][c] = s / q.chol[c][c]
			}
		}
	}
	return q
}
