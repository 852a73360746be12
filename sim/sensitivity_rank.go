package sim

import (
	"context"
	"math"
	"slices"

	"github.com/crmroi/crmroi/model"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// rankMeasures draws the Monte Carlo sample of cfg.Iterations exactly as Run
// does (same seed, same blocks and streams, correlations applied) and computes
// the rank-based measures of every factor on it: Spearman, PRCC, SRRC and the
// contribution to variance. Iterations where the primary output is undefined
// (NaN) are left out.
func (d *design) rankMeasures(ctx context.Context, res *Sensitivity, cfg SensitivityConfig) error {
	cols, y, err := d.sample(ctx, cfg, true)
	if err != nil {
		return err
	}
	rho, prcc, srrc, err := rankMeasures(ctx, cols, y, cfg.Workers)
	if err != nil {
		return err
	}
	sumSq := 0.0
	for _, r := range rho {
		if !math.IsNaN(r) {
			sumSq += r * r
		}
	}
	for j := range res.Inputs {
		in := &res.Inputs[j]
		in.Spearman, in.PRCC, in.SRRC = rho[j], prcc[j], srrc[j]
		in.VarianceShare = math.NaN()
		if sumSq > 0 && !math.IsNaN(rho[j]) {
			in.VarianceShare = rho[j] * rho[j] / sumSq
		}
	}
	return nil
}

// sample returns the factors' values (uncertain inputs, then the risk draws'
// uniforms) and the primary output of the Monte Carlo sample, in iteration
// order, without the iterations where the output is undefined if drop (with
// them, as NaN, otherwise).
func (d *design) sample(ctx context.Context, cfg SensitivityConfig, drop bool) (cols [][]float64, y []float64, err error) {
	p, n := d.p, cfg.Iterations
	st := &storage{values: make([][]float64, len(p.outs)), outcome: make([]model.Outcome, n),
		inputs: make([][]float64, len(p.unc))} // no monthly cash flow: the measures need none
	for k := range st.values {
		st.values[k] = make([]float64, n)
	}
	for k := range st.inputs {
		st.inputs[k] = make([]float64, n)
	}
	var risk [4][]float64
	if d.risk {
		for k := range risk {
			risk[k] = make([]float64, n)
		}
	}
	blocks := (n + BlockSize - 1) / BlockSize
	err = forBlocks(ctx, cfg.Workers, blocks, p.newWorker, func(w *worker, b int) error {
		lo, hi := b*BlockSize, min((b+1)*BlockSize, n)
		defer cfg.ran(hi - lo)
		if err := p.runBlock(w, b, lo, hi, st, cfg.Seed); err != nil {
			return err
		}
		if d.risk {
			for k := range risk {
				copy(risk[k][lo:hi], w.risk[k][:hi-lo])
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	cols = append(cols, st.inputs...)
	if d.risk {
		cols = append(cols, risk[:]...)
	}
	y = st.values[0]
	// Leave out the iterations where the primary output is undefined.
	keep := 0
	for _, v := range y {
		if !math.IsNaN(v) {
			keep++
		}
	}
	if keep < n && drop {
		for c := range cols {
			cols[c] = dropUndefined(cols[c], y)
		}
		y = dropUndefined(y, y)
	}
	return cols, y, nil
}

// dropUndefined returns the values of x where ref is not NaN.
func dropUndefined(x, ref []float64) []float64 {
	out := make([]float64, 0, len(x))
	for i, v := range x {
		if !math.IsNaN(ref[i]) {
			out = append(out, v)
		}
	}
	return out
}

// Ranks returns the ranks 1..n of x, ties sharing their average rank.
func Ranks(x []float64) []float64 {
	n := len(x)
	// Sorting (value, index) pairs is several times faster than sorting
	// indices through a closure (10⁶ values: ~0.1 s), which keeps an
	// interrupt prompt; ties share their rank, so their order is immaterial.
	type pair struct {
		v float64
		i int
	}
	ps := make([]pair, n)
	for i, v := range x {
		ps[i] = pair{v, i}
	}
	slices.SortFunc(ps, func(a, b pair) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return 0
	})
	r := make([]float64, n)
	for i := 0; i < n; {
		j := i + 1
		for j < n && ps[j].v == ps[i].v {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1..j
		for q := i; q < j; q++ {
			r[ps[q].i] = avg
		}
		i = j
	}
	return r
}

// RankMeasures returns, for each column of xs, the Spearman rank correlation
// with y, the partial rank correlation coefficient (PRCC: the correlation of
// the ranks of x_j and y after removing the linear effect of the other
// columns' ranks) and the standardised rank regression coefficient (SRRC: the
// coefficient of x_j's standardised ranks in the least-squares regression of
// y's standardised ranks on all of them). A value that cannot be computed
// (a constant column, collinear columns) is NaN. The ranks are computed on up
// to workers goroutines; the result does not depend on their number.
func RankMeasures(xs [][]float64, y []float64, workers int) (rho, prcc, srrc []float64) {
	rho, prcc, srrc, _ = rankMeasures(context.Background(), xs, y, workers)
	return rho, prcc, srrc
}

// rankMeasures is RankMeasures that stops, with ctx's error, soon after ctx
// is done: between columns while ranking, and without waiting for the
// correlation matrix (one call into gonum, about a second for 2·10⁶
// iterations of 20 inputs), whose result is then dropped.
func rankMeasures(ctx context.Context, xs [][]float64, y []float64, workers int) (rho, prcc, srrc []float64, err error) {
	k := len(xs)
	n := len(y)
	rho, prcc, srrc = nanSlice(k), nanSlice(k), nanSlice(k)
	if n < 3 || k == 0 {
		return rho, prcc, srrc, nil
	}
	// Ranks of every column and of y, in a row-major n × (k+1) matrix.
	data := make([]float64, n*(k+1))
	err = forBlocks(ctx, max(workers, 1), k+1, func() struct{} { return struct{}{} }, func(_ struct{}, c int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		col := y
		if c < k {
			col = xs[c]
		}
		r := Ranks(col)
		for i, v := range r {
			data[i*(k+1)+c] = v
		}
		return nil
	})
	if err == nil && ctx.Err() != nil {
		err = ErrInterrupted
	}
	if err != nil {
		return nil, nil, nil, err
	}
	corr := mat.NewSymDense(k+1, nil)
	done := make(chan struct{})
	go func() {
		stat.CorrelationMatrix(corr, mat.NewDense(n, k+1, data), nil)
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return nil, nil, nil, ErrInterrupted
	}
	rho, prcc, srrc = rankCoefficients(corr, k)
	return rho, prcc, srrc, nil
}

// rankCoefficients are Spearman's ρ, the PRCC and the SRRC of k factors from
// the correlation matrix of their ranks and the output's (last).
func rankCoefficients(corr *mat.SymDense, k int) (rho, prcc, srrc []float64) {
	rho, prcc, srrc = nanSlice(k), nanSlice(k), nanSlice(k)
	for j := 0; j < k; j++ {
		rho[j] = corr.At(j, k)
	}
	for j := 0; j < k; j++ {
		if math.IsNaN(rho[j]) {
			return rho, prcc, srrc // a constant column: the matrices are singular
		}
	}
	if math.IsNaN(corr.At(k, k)) {
		return rho, prcc, srrc
	}
	// PRCC from the inverse of the full correlation matrix.
	var ch mat.Cholesky
	if ch.Factorize(corr) {
		var inv mat.SymDense
		if err := ch.InverseTo(&inv); err == nil {
			for j := 0; j < k; j++ {
				prcc[j] = -inv.At(j, k) / math.Sqrt(inv.At(j, j)*inv.At(k, k))
			}
		}
	}
	// SRRC: solve Rxx β = rxy.
	rxx := mat.NewSymDense(k, nil)
	rxy := mat.NewVecDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			rxx.SetSym(a, b, corr.At(a, b))
		}
		rxy.SetVec(a, corr.At(a, k))
	}
	var cx mat.Cholesky
	if cx.Factorize(rxx) {
		var beta mat.VecDense
		if err := cx.SolveVecTo(&beta, rxy); err == nil {
			for j := 0; j < k; j++ {
				srrc[j] = beta.AtVec(j)
			}
		}
	}
	return rho, prcc, srrc
}

func nanSlice(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}
