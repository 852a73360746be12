package sim

import (
	"context"
	"math"
)

// converge continues a run in batches of about half the iterations done until
// the 95% confidence half-widths of the primary output's mean, P5, P50 and P95
// are all below cfg.Tolerance × (P95 − P5), or capacity is reached. Batches are
// whole blocks, so the run equals a plain run of the iterations it ends with.
func (p *prepared) converge(ctx context.Context, acc *accumulator, cfg Config, capacity int) error {
	n := acc.n
	for {
		hw, spread := acc.halfWidth(n)
		rel := 0.0
		if spread > 0 {
			rel = hw / spread
		}
		if rel < cfg.Tolerance || n >= capacity {
			acc.conv = &Convergence{Converged: rel < cfg.Tolerance, Iterations: n, Tolerance: cfg.Tolerance, HalfWidth: rel}
			return nil
		}
		next := min(capacity, (n+n/2+BlockSize-1)/BlockSize*BlockSize)
		acc.grow(next)
		if err := p.runBlocks(ctx, acc, blocksOf(n), blocksOf(next), next, cfg); err != nil {
			return err
		}
		n = next
		acc.n, acc.to = n, blocksOf(n)
	}
}

// halfWidth returns the largest 95% confidence half-width of the primary
// output's mean, P5, P50 and P95 after n iterations, and P95 − P5. The
// percentiles' intervals are the order statistics at p ± 1.96·√(p(1−p)/n).
func (a *accumulator) halfWidth(n int) (hw, spread float64) {
	m := a.merged(0, blocksOf(n)).Metric[0]
	sd := math.Sqrt(m.M2 / float64(max(m.N-1, 1)))
	hw = 1.96 * sd / math.Sqrt(float64(max(m.N, 1)))
	var ps []float64
	for _, p := range []float64{0.05, 0.5, 0.95} {
		d := 1.96 * math.Sqrt(p*(1-p)/float64(n))
		ps = append(ps, max(p-d, 0), p, min(p+d, 1))
	}
	q := a.quantiles(0, n, ps, m.Min, m.Max)
	for i := 0; i < len(q); i += 3 {
		hw = max(hw, q[i+1]-q[i], q[i+2]-q[i+1])
	}
	return hw, q[7] - q[1]
}
