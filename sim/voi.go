package sim

import (
	"math"
	"math/rand/v2"
	"slices"
)

// This file estimates the value of information from a Monte Carlo sample:
// EVPI from the iterations themselves and EVPPI by non-parametric regression
// of each option's payoff on the input(s) (Strong, Oakley & Brennan 2014).
// It knows nothing of the model: an option is a slice of payoffs, one per
// iteration, and an input a slice of values in the same iteration order. A
// "do nothing" option is a slice of zeros the caller adds.

// EVPI is the expected value of perfect information with its standard error.
type EVPI struct {
	Value, SE float64
}

// EVPPI is the expected value of partial perfect information of an input or
// a group of inputs, with an interval. Value, Lo and Hi are never negative:
// an estimate below zero (only an interval's end can be) is clipped to 0.
type EVPPI struct {
	Value, Lo, Hi float64
	// Dof is the smoother's number of basis functions (the largest of the
	// members' for a group): a sign of how far from linear the fit is.
	Dof int
}

// VOIConfig sets the EVPPI estimator. The zero value is usable.
type VOIConfig struct {
	// Bins is the number of equal-count bins of an input's ranks the
	// smoother works on (default 1000; at most n/10, at least 1).
	Bins int
	// Boot is the number of bootstrap replicates of a single input's
	// EVPPI (default 200).
	Boot int
	// Level is the interval's coverage (default 0.95).
	Level float64
	// Seed seeds the bootstrap.
	Seed uint64
	// Sweeps is the number of backfitting sweeps for a group (default 10).
	Sweeps int
}

func (c VOIConfig) withDefaults(n int) VOIConfig {
	if c.Bins <= 0 {
		c.Bins = 1000
	}
	c.Bins = max(1, min(c.Bins, n/10))
	if c.Boot <= 0 {
		c.Boot = 200
	}
	if c.Level <= 0 || c.Level >= 1 {
		c.Level = 0.95
	}
	if c.Sweeps <= 0 {
		c.Sweeps = 10
	}
	return c
}

// bestOption returns the index of the option with the largest mean payoff
// (the first among equals) and the means.
func bestOption(opts [][]float64) (int, []float64) {
	means := make([]float64, len(opts))
	best := 0
	for j, y := range opts {
		means[j] = kahanMean(y)
		if means[j] > means[best] {
			best = j
		}
	}
	return best, means
}

func kahanMean(y []float64) float64 {
	s, c := 0.0, 0.0
	for _, v := range y {
		t := s + v
		if math.Abs(s) >= math.Abs(v) {
			c += (s - t) + v
		} else {
			c += (v - t) + s
		}
		s = t
	}
	return (s + c) / float64(len(y))
}

// ComputeEVPI returns E[max_j Y_j] − max_j E[Y_j] over the iterations of the
// options opts[j][i] (all of the same length). Its standard error is that of
// the mean of D_i = max_j Y_ij − Y_ij* with j* the option of largest mean,
// whose mean is the EVPI (the choice of j* is taken as known).
func ComputeEVPI(opts [][]float64) EVPI {
	if len(opts) == 0 || len(opts[0]) == 0 {
		return EVPI{Value: math.NaN(), SE: math.NaN()}
	}
	n := len(opts[0])
	best, _ := bestOption(opts)
	d := make([]float64, n)
	for i := range d {
		m := opts[0][i]
		for _, y := range opts[1:] {
			m = max(m, y[i])
		}
		d[i] = m - opts[best][i]
	}
	mean := kahanMean(d)
	ss := 0.0
	for _, v := range d {
		ss += (v - mean) * (v - mean)
	}
	se := 0.0
	if n > 1 {
		se = math.Sqrt(ss / float64(n-1) / float64(n))
	}
	return EVPI{Value: max(mean, 0), SE: se}
}

// rankBins assigns each iteration to one of m bins of about equal count
// by the ranks of x (equal values share a bin) and returns the bin of every
// iteration, each bin's count and the mean rank of its members scaled to
// (0, 1). The bins' edges are the quantiles of a strided subsample of at most
// 64·m values (all of x when it is smaller), so that binning costs
// O(n log m) rather than a sort of x; a bin's count then differs from n/m by
// the subsample's quantile error, which the counts carried everywhere allow.
func rankBins(x []float64, m int) (bin []int32, count []float64, centre []float64) {
	n := len(x)
	step := max(1, n/(64*m))
	sub := make([]float64, 0, n/step+1)
	for i := 0; i < n; i += step {
		sub = append(sub, x[i])
	}
	slices.Sort(sub)
	edges := make([]float64, m-1) // bin b holds edges[b-1] < x ≤ edges[b]
	for b := range edges {
		edges[b] = sub[min(len(sub)-1, (b+1)*len(sub)/m)]
	}
	// A branch-free binary search over the edges padded with +Inf to
	// 2^d − 1 entries: bin = the number of edges below v.
	size := 1
	for size-1 < len(edges) {
		size <<= 1
	}
	padded := make([]float64, size)
	copy(padded, edges)
	for i := len(edges); i < size; i++ {
		padded[i] = math.Inf(1)
	}
	bin = make([]int32, n)
	count = make([]float64, m)
	for i, v := range x {
		b := 0
		for step := size >> 1; step > 0; step >>= 1 {
			if padded[b+step-1] < v {
				b += step
			}
		}
		bin[i] = int32(b)
		count[b]++
	}
	centre = make([]float64, m)
	below := 0.0
	for b, c := range count {
		centre[b] = (below + c/2) / float64(n)
		below += c
	}
	return bin, count, centre
}

// uniformBins is rankBins for a factor given by its uniform draws u in
// (0, 1): bin ⌊u·m⌋, the bins of equal probability.
func uniformBins(u []float32, m int) (bin []int32, count []float64, centre []float64) {
	n := len(u)
	bin = make([]int32, n)
	count = make([]float64, m)
	fm := float32(m)
	for i, v := range u {
		b := min(max(int32(v*fm), 0), int32(m-1))
		bin[i] = b
		count[b]++
	}
	centre = make([]float64, m)
	below := 0.0
	for b, c := range count {
		centre[b] = (below + c/2) / float64(n)
		below += c
	}
	return bin, count, centre
}

// bspline writes the K = nint+3 uniform cubic B-spline basis functions on
// [0, 1] at u: the first nonzero index and its four values.
func bspline(u float64, nint int) (int, [4]float64) {
	s := min(max(int(u*float64(nint)), 0), nint-1)
	t := u*float64(nint) - float64(s)
	t2, t3 := t*t, t*t*t
	return s, [4]float64{
		(1 - t) * (1 - t) * (1 - t) / 6,
		(3*t3 - 6*t2 + 4) / 6,
		(-3*t3 + 3*t2 + 3*t + 1) / 6,
		t3 / 6,
	}
}

// smoother is a weighted least-squares cubic regression spline on the bins'
// centres: ĝ(u_b) = B(u_b)β, β = (BᵀWB)⁻¹BᵀW m, W the bins' counts.
type smoother struct {
	nint   int
	first  []int
	basis  [][4]float64
	w      []float64
	chol   []float64 // K×K lower triangle of BᵀWB
	k      int
	rhs, β []float64
}

func newSmoother(centre, w []float64, nint int) *smoother {
	k := nint + 3
	s := &smoother{nint: nint, k: k, w: w, first: make([]int, len(centre)), basis: make([][4]float64, len(centre)),
		chol: make([]float64, k*k), rhs: make([]float64, k), β: make([]float64, k)}
	for b, u := range centre {
		s.first[b], s.basis[b] = bspline(u, nint)
		f, v := s.first[b], s.basis[b]
		for p := 0; p < 4; p++ {
			for q := 0; q < 4; q++ {
				s.chol[(f+p)*k+f+q] += w[b] * v[p] * v[q]
			}
		}
	}
	// A small ridge keeps a basis function without support solvable.
	tr := 0.0
	for p := 0; p < k; p++ {
		tr += s.chol[p*k+p]
	}
	for p := 0; p < k; p++ {
		s.chol[p*k+p] += 1e-10*tr/float64(k) + 1e-300
	}
	cholesky(s.chol, k)
	return s
}

// fit writes the smooth of the bin means m (weighted by the counts) at the
// bins' centres into g and returns the weighted residual sum of squares.
func (s *smoother) fit(m, g []float64) float64 {
	k := s.k
	clear(s.rhs)
	for b, v := range s.basis {
		if s.w[b] == 0 {
			continue
		}
		f := s.first[b]
		for p := 0; p < 4; p++ {
			s.rhs[f+p] += s.w[b] * v[p] * m[b]
		}
	}
	cholSolve(s.chol, k, s.rhs, s.β)
	rss := 0.0
	for b, v := range s.basis {
		f := s.first[b]
		g[b] = v[0]*s.β[f] + v[1]*s.β[f+1] + v[2]*s.β[f+2] + v[3]*s.β[f+3]
		if s.w[b] > 0 {
			rss += s.w[b] * (m[b] - g[b]) * (m[b] - g[b])
		}
	}
	return rss
}

// cholesky factors the symmetric positive definite k×k matrix a in place
// (lower triangle).
func cholesky(a []float64, k int) {
	for j := 0; j < k; j++ {
		d := a[j*k+j]
		for p := 0; p < j; p++ {
			d -= a[j*k+p] * a[j*k+p]
		}
		d = math.Sqrt(max(d, 1e-300))
		a[j*k+j] = d
		for i := j + 1; i < k; i++ {
			v := a[i*k+j]
			for p := 0; p < j; p++ {
				v -= a[i*k+p] * a[j*k+p]
			}
			a[i*k+j] = v / d
		}
	}
}

func cholSolve(l []float64, k int, b, x []float64) {
	for i := 0; i < k; i++ {
		v := b[i]
		for p := 0; p < i; p++ {
			v -= l[i*k+p] * x[p]
		}
		x[i] = v / l[i*k+i]
	}
	for i := k - 1; i >= 0; i-- {
		v := x[i]
		for p := i + 1; p < k; p++ {
			v -= l[p*k+i] * x[p]
		}
		x[i] = v / l[i*k+i]
	}
}

// splineInterior lists the candidate numbers of spline intervals; the number
// of basis functions is three more.
var splineInterior = []int{1, 2, 3, 4, 5, 7, 9, 13, 17, 21, 29}

// chooseSmoother fits every candidate spline to the bin means of every
// option and keeps the one of least generalised cross-validation score
// GCV = n·RSS/(n − K)², RSS the residual sum of squares over all iterations
// (within the bins, which no spline changes, plus between them).
func chooseSmoother(centre, w []float64, means [][]float64, within float64, n int) (*smoother, [][]float64) {
	var best *smoother
	var bestG [][]float64
	bestScore := math.Inf(1)
	for _, nint := range splineInterior {
		k := nint + 3
		if k > max(4, len(centre)/3) || k >= n {
			break
		}
		s := newSmoother(centre, w, nint)
		g := make([][]float64, len(means))
		rss := within
		for j, m := range means {
			g[j] = make([]float64, len(m))
			rss += s.fit(m, g[j])
		}
		df := float64(n) - float64(k)
		score := float64(n) * rss / (df * df)
		if score < bestScore {
			best, bestG, bestScore = s, g, score
		}
	}
	return best, bestG
}

// binStats returns, per option, the bins' means, and the within-bin sum of
// squares over all options.
func binStats(opts [][]float64, bin []int32, count []float64) (means [][]float64, within float64) {
	m := len(count)
	means = make([][]float64, len(opts))
	for j, y := range opts {
		s := make([]float64, m)
		for i, v := range y {
			s[bin[i]] += v
		}
		for b := range s {
			if count[b] > 0 {
				s[b] /= count[b]
			}
		}
		means[j] = s
		for i, v := range y {
			d := v - s[bin[i]]
			within += d * d
		}
	}
	return means, within
}

// evppiOfFit is Σ_b w_b max_j g_j(b) / n − max_j Σ_b w_b g_j(b) / n: the
// fitted options' means stand for the options' (a least-squares spline keeps
// them up to its tiny ridge), so the difference is never negative.
func evppiOfFit(g [][]float64, w []float64) float64 {
	e, n := 0.0, 0.0
	for b, wb := range w {
		if wb == 0 {
			continue
		}
		m := g[0][b]
		for _, gj := range g[1:] {
			m = max(m, gj[b])
		}
		e += wb * m
		n += wb
	}
	top := math.Inf(-1)
	for _, gj := range g {
		s := 0.0
		for b, wb := range w {
			s += wb * gj[b]
		}
		top = max(top, s)
	}
	return max(e-top, 0) / n
}

// ComputeEVPPI estimates E_x[max_j E[Y_j | x]] − max_j E[Y_j] for one input
// x and the options opts[j][i].
//
// Method: the iterations are put into cfg.Bins equal-count bins of the
// ranks of x; each option's bin means are smoothed by a weighted cubic
// regression spline on the ranks (uniform knots, the number of basis
// functions 4…32 chosen by generalised cross-validation); the EVPPI is the
// count-weighted mean over the bins of the largest fitted option less the
// largest overall mean. The spline keeps every option's mean, so the
// estimate is at least 0 by Jensen's inequality. Its bias is upward (noise in
// the fit raises a maximum) and of the order of σ·√(K/n); smoothing bias
// appears only where the best option changes within a fraction 1/K of the
// ranks.
//
// Interval: a parametric bootstrap on the bins, standing for resampling the
// iterations. Each replicate adds to every bin's vector of option means a
// normal draw with the bin's within-bin covariance over its count (the
// options are correlated: common random numbers), redraws every bin's count
// as resampling would (Poisson, normal approximation: the sample of the input
// varies too), refits the spline of the same size (with the bins' own counts as
// weights: the resampled counts weight the average over the input) and
// recomputes the EVPPI; the
// interval is the basic bootstrap interval [2θ̂ − q_hi, 2θ̂ − q_lo], which
// corrects the convexity bias to first order, clipped at 0. It costs
// O(Boot · Bins · options) after one O(n log n) ranking.
func ComputeEVPPI(x []float64, opts [][]float64, cfg VOIConfig) EVPPI {
	n := len(x)
	if n < 2 || len(opts) == 0 {
		return EVPPI{Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	}
	cfg = cfg.withDefaults(n)
	return evppiBinned(binInput(x, cfg.Bins), opts, cfg)
}

// binned is an input put into equal-count bins of its ranks (rankBins).
type binned struct {
	bin           []int32
	count, centre []float64
}

func binInput(x []float64, m int) binned {
	b, c, u := rankBins(x, m)
	return binned{b, c, u}
}

// evppiBinned is ComputeEVPPI on an input already binned (cfg with defaults).
func evppiBinned(in binned, opts [][]float64, cfg VOIConfig) EVPPI {
	bin, count, centre := in.bin, in.count, in.centre
	n := len(bin)
	means, within := binStats(opts, bin, count)
	sm, g := chooseSmoother(centre, count, means, within, n)
	est := evppiOfFit(g, count)
	res := EVPPI{Value: est, Lo: est, Hi: est, Dof: sm.k}
	if len(opts) < 2 && allConstant(means) {
		return res
	}
	// Within-bin covariance of the options, factored per bin.
	J, M := len(opts), len(count)
	cov := make([]float64, M*J*J)
	for i := 0; i < n; i++ {
		b := int(bin[i])
		c := cov[b*J*J : (b+1)*J*J]
		for p := 0; p < J; p++ {
			dp := opts[p][i] - means[p][b]
			for q := 0; q <= p; q++ {
				c[p*J+q] += dp * (opts[q][i] - means[q][b])
			}
		}
	}
	for b := 0; b < M; b++ {
		c := cov[b*J*J : (b+1)*J*J]
		if count[b] < 2 {
			clear(c)
			continue
		}
		for p := range c {
			c[p] /= count[b] * (count[b] - 1) // variance of the bin mean
		}
		cholesky(c, J)
		for p := 0; p < J; p++ { // a zero variance factors to ~1e-150: make it 0
			for q := 0; q <= p; q++ {
				if math.Abs(c[p*J+q]) < 1e-140 {
					c[p*J+q] = 0
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x766f69))
	pm := make([][]float64, J)
	pg := make([][]float64, J)
	for j := range pm {
		pm[j] = make([]float64, M)
		pg[j] = make([]float64, M)
	}
	z := make([]float64, J)
	wstar := make([]float64, M)
	reps := make([]float64, cfg.Boot)
	for r := range reps {
		for b := 0; b < M; b++ {
			c := cov[b*J*J : (b+1)*J*J]
			for p := range z {
				z[p] = rng.NormFloat64()
			}
			for p := 0; p < J; p++ {
				v := 0.0
				for q := 0; q <= p; q++ {
					v += c[p*J+q] * z[q]
				}
				pm[p][b] = means[p][b] + v
			}
			// The bin's count as resampling the iterations would make it
			// (Poisson, by its normal approximation).
			wstar[b] = max(count[b]+math.Sqrt(count[b])*rng.NormFloat64(), 0)
		}
		// The spline is refitted with the bins' own counts: the
		// resampled counts enter where they matter most, in the average of
		// the best fitted option over the input's distribution.
		for j := range pm {
			sm.fit(pm[j], pg[j])
		}
		reps[r] = evppiOfFit(pg, wstar)
	}
	slices.Sort(reps)
	a := (1 - cfg.Level) / 2
	qlo := quantileSorted(reps, a)
	qhi := quantileSorted(reps, 1-a)
	res.Lo = max(2*est-qhi, 0)
	res.Hi = max(2*est-qlo, 0)
	return res
}

func isConstant(y []float64) bool {
	for _, v := range y {
		if v != y[0] {
			return false
		}
	}
	return true
}

func allConstant(means [][]float64) bool {
	for _, m := range means {
		for _, v := range m {
			if v != m[0] {
				return false
			}
		}
	}
	return true
}

// quantileSorted is the linear-interpolation quantile of sorted x.
func quantileSorted(x []float64, p float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	h := p * float64(len(x)-1)
	lo := int(math.Floor(h))
	if lo >= len(x)-1 {
		return x[len(x)-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}

// ComputeEVPPIGroup estimates the EVPPI of a group of inputs xs[k][i]
// together. One input is ComputeEVPPI. For several, E[Y_j | x] is fitted by
// an additive model, Σ_k f_jk(rank of x_k), by backfitting (cfg.Sweeps
// sweeps) the same binned splines as ComputeEVPPI. The additive model misses
// interactions between the group's members: where they matter (a product of
// two members, a threshold on their sum with the others' help) the estimate
// is biased downward — a lower bound up to noise. The estimate is the mean
// of D_i = max_j ĝ_j(x_i) − ĝ_j*(x_i); its interval is the basic bootstrap
// interval θ̂ − q of the estimate's error, drawn by groupFitReplicates: the
// fit's (a parametric bootstrap of the members' splines) and the mean's.
func ComputeEVPPIGroup(xs [][]float64, opts [][]float64, cfg VOIConfig) EVPPI {
	if len(xs) == 1 {
		return ComputeEVPPI(xs[0], opts, cfg)
	}
	if len(xs) == 0 || len(opts) == 0 || len(xs[0]) < 2 {
		return EVPPI{Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	}
	cfg = cfg.withDefaults(len(xs[0]))
	ins := make([]binned, len(xs))
	for k, x := range xs {
		ins[k] = binInput(x, cfg.Bins)
	}
	return evppiGroupBinned(ins, opts, cfg)
}

// evppiGroupBinned is ComputeEVPPIGroup on inputs already binned (cfg with
// defaults). Backfitting stops early when a sweep moves no fitted bin value
// by more than 10⁻³ of the option's standard deviation.
func evppiGroupBinned(ins []binned, opts [][]float64, cfg VOIConfig) EVPPI {
	if len(ins) == 1 {
		return evppiBinned(ins[0], opts, cfg)
	}
	n := len(ins[0].bin)
	K := len(ins)
	bins := make([][]int32, K)
	counts := make([][]float64, K)
	centres := make([][]float64, K)
	for k, in := range ins {
		bins[k], counts[k], centres[k] = in.bin, in.count, in.centre
	}
	M := len(counts[0])
	fitted := make([][]float64, len(opts))
	splines := make([][]*smoother, len(opts)) // per option and member: its spline
	dof := 0
	r := make([]float64, n)
	sums := make([]float64, M)
	newf := make([]float64, M)
	for j, y := range opts {
		if isConstant(y) { // nothing to fit: "do nothing", for one
			fitted[j] = y
			continue
		}
		mean := kahanMean(y)
		ss := 0.0
		for i, v := range y {
			r[i] = v - mean
			ss += r[i] * r[i]
		}
		tol := 1e-3 * math.Sqrt(ss/float64(n))
		f := make([][]float64, K)
		for k := range f {
			f[k] = make([]float64, M)
		}
		sms := make([]*smoother, K)
		for sweep := 0; sweep < cfg.Sweeps; sweep++ {
			moved := 0.0
			for k := 0; k < K; k++ {
				clear(sums)
				bk, fk := bins[k], f[k]
				for i, b := range bk {
					sums[b] += r[i] + fk[b]
				}
				within := 0.0
				for b := range sums {
					if counts[k][b] > 0 {
						sums[b] /= counts[k][b]
					}
				}
				if sweep == 0 { // the spline's size is chosen once, on the first partial residuals
					for i, b := range bk {
						d := r[i] + fk[b] - sums[b]
						within += d * d
					}
					var g [][]float64
					sms[k], g = chooseSmoother(centres[k], counts[k], [][]float64{sums}, within, n)
					copy(newf, g[0])
					dof = max(dof, sms[k].k)
				} else {
					sms[k].fit(sums, newf)
				}
				c := 0.0
				for b, w := range counts[k] {
					c += w * newf[b]
				}
				c /= float64(n)
				for b := range newf {
					newf[b] -= c
				}
				for b := range newf {
					moved = max(moved, math.Abs(newf[b]-fk[b]))
				}
				for i, b := range bk {
					r[i] += fk[b] - newf[b]
				}
				copy(fk, newf)
			}
			if sweep > 0 && moved <= tol {
				break
			}
		}
		g := make([]float64, n)
		for i := range g {
			g[i] = y[i] - r[i]
		}
		fitted[j], splines[j] = g, sms
	}
	best, _ := bestOption(opts)
	d := make([]float64, n)
	for i := range d {
		m := fitted[0][i]
		for _, g := range fitted[1:] {
			m = max(m, g[i])
		}
		d[i] = m - fitted[best][i]
	}
	// The fitted options keep their means, so mean(d) is the EVPPI.
	mean := kahanMean(d)
	ss := 0.0
	for _, v := range d {
		ss += (v - mean) * (v - mean)
	}
	se := math.Sqrt(ss / float64(n-1) / float64(n))
	est := max(mean, 0)
	if dof == 0 { // every option constant: nothing fitted, nothing uncertain
		return EVPPI{Value: est, Lo: est, Hi: est}
	}
	reps := groupFitReplicates(ins, opts, fitted, splines, se, cfg)
	slices.Sort(reps)
	a := (1 - cfg.Level) / 2
	lo := mean - quantileSorted(reps, 1-a)
	hi := mean - quantileSorted(reps, a)
	return EVPPI{Value: est, Lo: max(lo, 0), Hi: max(hi, 0), Dof: dof}
}

// groupSubsample is the most iterations groupFitReplicates evaluates a
// replicate's fit on.
const groupSubsample = 20000

// groupFitReplicates returns cfg.Boot draws of the error of a group's EVPPI
// estimate: the fit's error plus the sampling error of the mean.
//
// The fit's error is a parametric bootstrap of the additive model's splines
// like ComputeEVPPI's: each member's fitted function is its spline S_k of
// the bin means of the partial residuals, so a replicate adds to those bin
// means a normal draw with the within-bin covariance of the final residuals
// over the bin's count (across options: common random numbers), and, S_k
// being linear, adds S_k of that draw (centred) to the member's function.
// The replicate's EVPPI, less the unperturbed one, is computed on a strided
// subsample of at most groupSubsample iterations (both on the same ones).
// The members' perturbations are drawn independently, which is exact for
// independent members and ignores their bins' small overlap. The members'
// functions are centred, so the error of the options' levels (the residuals'
// mean, covariance Σ_r/n) is drawn apart; the sampling error of the mean of D
// is added as a normal draw with its standard error se.
func groupFitReplicates(ins []binned, opts, fitted [][]float64, splines [][]*smoother, se float64, cfg VOIConfig) []float64 {
	n, K, M := len(ins[0].bin), len(ins), len(ins[0].count)
	var fit []int // the options fitted (not constant)
	for j, c := range splines {
		if c != nil {
			fit = append(fit, j)
		}
	}
	J := len(fit)
	// Per member and bin, the Cholesky factor of the covariance of the
	// options' residual bin means.
	chol := make([][]float64, K)
	for k, in := range ins {
		c := make([]float64, M*J*J)
		sum := make([]float64, M*J)
		for i, b := range in.bin {
			for p, j := range fit {
				sum[int(b)*J+p] += opts[j][i] - fitted[j][i]
			}
		}
		for b := 0; b < M; b++ {
			for p := 0; p < J; p++ {
				if in.count[b] > 0 {
					sum[b*J+p] /= in.count[b]
				}
			}
		}
		for i, b := range in.bin {
			cb := c[int(b)*J*J:]
			for p, jp := range fit {
				dp := opts[jp][i] - fitted[jp][i] - sum[int(b)*J+p]
				for q := 0; q <= p; q++ {
					jq := fit[q]
					cb[p*J+q] += dp * (opts[jq][i] - fitted[jq][i] - sum[int(b)*J+q])
				}
			}
		}
		for b := 0; b < M; b++ {
			cb := c[b*J*J : (b+1)*J*J]
			w := in.count[b]
			if w < 2 {
				clear(cb)
				continue
			}
			for p := range cb {
				cb[p] /= w * (w - 1)
			}
			cholesky(cb, J)
			for p := range cb {
				if math.Abs(cb[p]) < 1e-140 {
					cb[p] = 0
				}
			}
		}
		chol[k] = c
	}
	// The options' levels: the fit keeps each option's mean, whose error
	// (the mean of the residuals, covariance Σ_r/n) the members' centred
	// functions do not carry.
	level := make([]float64, J*J)
	for i := 0; i < n; i++ {
		for p, jp := range fit {
			dp := opts[jp][i] - fitted[jp][i]
			for q := 0; q <= p; q++ {
				jq := fit[q]
				level[p*J+q] += dp * (opts[jq][i] - fitted[jq][i])
			}
		}
	}
	for p := range level {
		level[p] /= float64(n) * float64(n-1)
	}
	cholesky(level, J)
	// The subsample and its unperturbed fitted options.
	step := max(1, n/groupSubsample)
	var sub []int
	for i := 0; i < n; i += step {
		sub = append(sub, i)
	}
	S := len(sub)
	base := make([][]float64, len(opts))
	for j := range opts {
		base[j] = make([]float64, S)
		for s, i := range sub {
			base[j][s] = fitted[j][i]
		}
	}
	subBins := make([][]int32, K)
	for k, in := range ins {
		subBins[k] = make([]int32, S)
		for s, i := range sub {
			subBins[k][s] = in.bin[i]
		}
	}
	evppiOf := func(g [][]float64) float64 {
		e, top := 0.0, math.Inf(-1)
		for s := 0; s < S; s++ {
			m := g[0][s]
			for _, gj := range g[1:] {
				m = max(m, gj[s])
			}
			e += m
		}
		for _, gj := range g {
			top = max(top, kahanMean(gj))
		}
		return e/float64(S) - top
	}
	theta0 := evppiOf(base)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x67726f7570))
	noise := make([][]float64, J) // per fitted option: one member's bin noise
	delta := make([][]float64, J) // its smooth
	for p := range noise {
		noise[p] = make([]float64, M)
		delta[p] = make([]float64, M)
	}
	g := make([][]float64, len(opts))
	for j := range g {
		g[j] = make([]float64, S)
	}
	z := make([]float64, J)
	reps := make([]float64, cfg.Boot)
	for r := range reps {
		for j := range g {
			copy(g[j], base[j])
		}
		for p := range z {
			z[p] = rng.NormFloat64()
		}
		for p, j := range fit {
			v := 0.0
			for q := 0; q <= p; q++ {
				v += level[p*J+q] * z[q]
			}
			for s := range g[j] {
				g[j][s] += v
			}
		}
		for k, in := range ins {
			c := chol[k]
			for b := 0; b < M; b++ {
				cb := c[b*J*J : (b+1)*J*J]
				for p := range z {
					z[p] = rng.NormFloat64()
				}
				for p := 0; p < J; p++ {
					v := 0.0
					for q := 0; q <= p; q++ {
						v += cb[p*J+q] * z[q]
					}
					noise[p][b] = v
				}
			}
			for p, j := range fit {
				splines[j][k].fit(noise[p], delta[p])
				cen := 0.0
				for b, w := range in.count {
					cen += w * delta[p][b]
				}
				cen /= float64(n)
				d, gj := delta[p], g[j]
				for s, b := range subBins[k] {
					gj[s] += d[b] - cen
				}
			}
		}
		reps[r] = evppiOf(g) - theta0 + se*rng.NormFloat64()
	}
	return reps
}
