package distributions

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// MaxEmpirical is the largest number of values an empirical distribution
// holds.
const MaxEmpirical = 10_000_000

// Sourced is implemented by distributions that come from data: Source says
// where from, in a line for reports, e.g. "history.csv, column churn:
// n = 36, mean 0.021, sha256 1f0c…".
type Sourced interface {
	Source() string
}

// SourceOf returns d's Source, or "" when d does not come from data.
func SourceOf(d Dist) string {
	if s, ok := d.(Sourced); ok {
		return s.Source()
	}
	return ""
}

// withSource is a Dist annotated with its expression and its source.
type withSource struct {
	Dist
	expr, source string
	cut          cutSpec // a cut of the data input, written after expr
}

func (w *withSource) String() string {
	if w.expr != "" {
		return w.expr + w.cut.suffix()
	}
	return w.Dist.String()
}
func (w *withSource) Source() string { return w.source }

// WithSource returns d with String() expr (d's own when expr is "") and
// Source() source. Quantiles, CDF, mean and plan value are d's, and Fast of
// the result is Fast(d).
func WithSource(d Dist, expr, source string) Dist {
	if w, ok := d.(*withSource); ok {
		d = w.Dist
	}
	return &withSource{Dist: d, expr: expr, source: source}
}

// NewEmpirical returns the distribution of a sample: with smooth false the
// discrete distribution putting mass 1/n on each value (sampling it is the
// bootstrap; its quantile is the type-1 inverse of the empirical CDF, the
// smallest value v with #{x ≤ v}/n ≥ p); with smooth true a Gaussian kernel
// density with Silverman's bandwidth h = 0.9·min(sd, IQR/1.34)·n^(−1/5), cut
// to [lo, hi] (±Inf for no cut) and renormalised. The plan value is the mean:
// the sample mean (the cut kernel density's mean when cut). String returns
// expr. values must hold at least 2 finite numbers; a kernel density needs
// two different values.
func NewEmpirical(values []float64, smooth bool, lo, hi float64, expr string) (Dist, error) {
	n := len(values)
	if n < 2 {
		return nil, fmt.Errorf("an empirical distribution needs at least 2 values, got %d", n)
	}
	if n > MaxEmpirical {
		return nil, fmt.Errorf("an empirical distribution holds at most %d values, got %d", MaxEmpirical, n)
	}
	xs := append([]float64(nil), values...)
	for i, v := range xs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("value %d is %v: every value must be a finite number", i+1, v)
		}
	}
	sort.Float64s(xs)
	mean := 0.0
	for _, v := range xs {
		mean += v / float64(n)
	}
	if math.IsInf(mean, 0) || math.IsNaN(mean) {
		return nil, errors.New("the values are too large to add up")
	}
	mean = math.Max(xs[0], math.Min(xs[n-1], mean))
	if !smooth {
		return &empiricalDist{xs: xs, mean: mean, str: expr, head: expr}, nil
	}
	return newKDE(xs, mean, lo, hi, expr)
}

// ---------------------------------------------------------------- bootstrap

// empiricalDist is the discrete distribution of a sample (sorted xs).
type empiricalDist struct {
	xs   []float64
	mean float64
	head string // the expression before any cut
	cut  cutSpec
	str  string
}

func (e *empiricalDist) Quantile(p float64) float64 {
	n := len(e.xs)
	switch {
	case !(p >= 0 && p <= 1):
		return math.NaN()
	case p == 0:
		return e.xs[0]
	}
	k := int(math.Ceil(p * float64(n)))
	return e.xs[max(0, min(n-1, k-1))]
}

func (e *empiricalDist) CDF(x float64) float64 {
	if x != x {
		return math.NaN()
	}
	// number of values ≤ x
	k := sort.Search(len(e.xs), func(i int) bool { return e.xs[i] > x })
	return float64(k) / float64(len(e.xs))
}

func (e *empiricalDist) Mean() float64 { return e.mean }
func (e *empiricalDist) Plan() float64 { return e.mean }
func (e *empiricalDist) Support() (lo, hi float64) {
	return e.xs[0], e.xs[len(e.xs)-1]
}
func (e *empiricalDist) Fixed() bool    { return false }
func (e *empiricalDist) String() string { return e.str }

// Values returns the sorted sample (not to be modified).
func (e *empiricalDist) Values() []float64 { return e.xs }

// ---------------------------------------------------------------- kde

// kdeCut is how many bandwidths from a value its kernel is taken as 0 or 1:
// Φ(−kdeCut) is below 1e-19.
const kdeCut = 9.0

// kdeGrid is the number of intervals of the quantile table.
const kdeGrid = 4096

// kdeDist is a Gaussian kernel density of the sorted sample xs with
// bandwidth h, cut to [lo, hi].
type kdeDist struct {
	xs     []float64
	h      float64
	lo, hi float64 // support after the cut (±Inf when uncut)
	flo    float64 // mixture CDF at lo
	mass   float64 // mixture mass in [lo, hi]
	mean   float64
	smean  float64 // the sample mean
	head   string  // the expression before any cut
	cut    cutSpec
	str    string

	// The quantile table: grid points gx with cut CDF gp and density gd.
	gx, gp, gd []float64
}

// silverman is Silverman's rule-of-thumb bandwidth of a sorted sample.
func silverman(xs []float64, mean float64) float64 {
	n := float64(len(xs))
	var ss float64
	for _, v := range xs {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / (n - 1))
	iqr := quantile7(xs, 0.75) - quantile7(xs, 0.25)
	s := sd
	if iqr > 0 && iqr/1.34 < s {
		s = iqr / 1.34
	}
	return 0.9 * s * math.Pow(n, -0.2)
}

// quantile7 is the sample quantile of type 7 (linear interpolation).
func quantile7(xs []float64, p float64) float64 {
	h := p * float64(len(xs)-1)
	i := int(h)
	if i >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	return xs[i] + (h-float64(i))*(xs[i+1]-xs[i])
}

// Bandwidth returns the kernel bandwidth of a kernel-density Dist from
// NewEmpirical, and false for any other Dist.
func Bandwidth(d Dist) (float64, bool) {
	if w, ok := d.(*withSource); ok {
		d = w.Dist
	}
	k, ok := d.(*kdeDist)
	if !ok {
		return 0, false
	}
	return k.h, true
}

func newKDE(xs []float64, mean, lo, hi float64, expr string) (Dist, error) {
	h := silverman(xs, mean)
	if !(h > 0) || math.IsInf(h, 0) {
		return nil, errors.New("a kernel density needs values that differ")
	}
	k := &kdeDist{xs: xs, h: h, lo: lo, hi: hi, str: expr, head: expr, smean: mean}
	n := len(xs)
	k.flo, k.mass = 0, 1
	if !math.IsInf(lo, -1) || !math.IsInf(hi, 1) {
		fhi := 1.0
		if !math.IsInf(hi, 1) {
			fhi = k.rawCDF(hi)
		}
		if !math.IsInf(lo, -1) {
			k.flo = k.rawCDF(lo)
		}
		k.mass = fhi - k.flo
		if !(k.mass > 1e-12) {
			return nil, fmt.Errorf("the cut min=%s, max=%s leaves no probability mass of the kernel density (values from %s to %s)",
				formatNum(lo), formatNum(hi), formatNum(xs[0]), formatNum(xs[n-1]))
		}
		// truncated mean: Σ x_i (Φ(b_i) − Φ(a_i)) + h (φ(a_i) − φ(b_i))
		var s float64
		for _, x := range xs {
			a, b := (lo-x)/h, (hi-x)/h
			s += x*phiDiff(a, b) + h*(dnormInf(a)-dnormInf(b))
		}
		mean = s / float64(n) / k.mass
		mean = math.Max(k.lo, math.Min(k.hi, mean))
	}
	k.mean = mean
	// grid over the part of the support that carries the mass
	glo := math.Max(lo, xs[0]-kdeCut*h)
	ghi := math.Min(hi, xs[n-1]+kdeCut*h)
	k.gx = make([]float64, kdeGrid+1)
	k.gp = make([]float64, kdeGrid+1)
	k.gd = make([]float64, kdeGrid+1)
	for j := range k.gx {
		x := glo + (ghi-glo)*float64(j)/kdeGrid
		if j == kdeGrid {
			x = ghi
		}
		k.gx[j] = x
		k.gp[j] = k.CDF(x)
		k.gd[j] = k.pdf(x)
	}
	return k, nil
}

func dnormInf(z float64) float64 {
	if math.IsInf(z, 0) {
		return 0
	}
	return dnorm(z)
}

// window returns the index range of values within kdeCut bandwidths of x,
// and the number of values below it.
func (k *kdeDist) window(x float64) (i0, i1 int) {
	i0 = sort.SearchFloat64s(k.xs, x-kdeCut*k.h)
	i1 = sort.SearchFloat64s(k.xs, x+kdeCut*k.h)
	return
}

// rawCDF is the mixture CDF before the cut.
func (k *kdeDist) rawCDF(x float64) float64 {
	i0, i1 := k.window(x)
	var s float64 // values far below x contribute 1 each, far above 0
	for i := i0; i < i1; i++ {
		s += phi((x - k.xs[i]) / k.h)
	}
	return (float64(i0) + s) / float64(len(k.xs))
}

// pdf is the density after the cut.
func (k *kdeDist) pdf(x float64) float64 {
	if x < k.lo || x > k.hi {
		return 0
	}
	i0, i1 := k.window(x)
	var s float64
	for i := i0; i < i1; i++ {
		s += dnorm((x - k.xs[i]) / k.h)
	}
	return s / (float64(len(k.xs)) * k.h * k.mass)
}

// KDEDensity returns the density at x of a kernel-density Dist from
// NewEmpirical (smooth true), and false for any other Dist.
func KDEDensity(d Dist, x float64) (float64, bool) {
	if w, ok := d.(*withSource); ok {
		d = w.Dist
	}
	k, ok := d.(*kdeDist)
	if !ok {
		return 0, false
	}
	return k.pdf(x), true
}

func (k *kdeDist) CDF(x float64) float64 {
	switch {
	case x != x:
		return math.NaN()
	case x <= k.lo:
		return 0
	case x >= k.hi:
		return 1
	}
	return math.Max(0, math.Min(1, (k.rawCDF(x)-k.flo)/k.mass))
}

// tableQ interpolates the quantile table at p in (0, 1) by monotone cubic
// Hermite polynomials with slopes 1/pdf.
func (k *kdeDist) tableQ(p float64) float64 {
	gp := k.gp
	j := sort.SearchFloat64s(gp, p) // first j with gp[j] ≥ p
	if j == 0 {
		return k.gx[0]
	}
	if j > kdeGrid {
		return k.gx[kdeGrid]
	}
	p0, p1 := gp[j-1], gp[j]
	x0, x1 := k.gx[j-1], k.gx[j]
	dp := p1 - p0
	if !(dp > 0) {
		return x0
	}
	t := (p - p0) / dp
	delta := x1 - x0
	m0, m1 := dp/k.gd[j-1], dp/k.gd[j]
	a, b := m0/delta, m1/delta
	if !(a >= 0) || math.IsInf(a, 0) {
		a = 3
	}
	if !(b >= 0) || math.IsInf(b, 0) {
		b = 3
	}
	if r := a*a + b*b; r > 9 {
		tau := 3 / math.Sqrt(r)
		a, b = a*tau, b*tau
	}
	m0, m1 = a*delta, b*delta
	t2, t3 := t*t, t*t*t
	x := (2*t3-3*t2+1)*x0 + (t3-2*t2+t)*m0 + (-2*t3+3*t2)*x1 + (t3-t2)*m1
	return math.Max(x0, math.Min(x1, x))
}

func (k *kdeDist) Quantile(p float64) float64 {
	switch {
	case !(p >= 0 && p <= 1):
		return math.NaN()
	case p == 0:
		return k.lo
	case p == 1:
		return k.hi
	}
	x0 := k.tableQ(p)
	// Newton steps on the exact CDF, kept inside the table's bracket.
	j := sort.SearchFloat64s(k.gp, p)
	blo, bhi := k.gx[0], k.gx[kdeGrid]
	if j > 0 && j <= kdeGrid {
		blo, bhi = k.gx[j-1], k.gx[j]
	}
	if p < k.gp[0] || p > k.gp[kdeGrid] {
		return x0 // beyond kdeCut bandwidths: the kernel tails are below 1e-19
	}
	return solveIncreasing(
		func(x float64) float64 { return k.CDF(x) - p },
		k.pdf,
		func(x float64) float64 { return 0 },
		x0, math.Nextafter(blo, math.Inf(-1)), math.Nextafter(bhi, math.Inf(1)))
}

func (k *kdeDist) Mean() float64             { return k.mean }
func (k *kdeDist) Plan() float64             { return k.mean }
func (k *kdeDist) Support() (lo, hi float64) { return k.lo, k.hi }
func (k *kdeDist) Fixed() bool               { return false }
func (k *kdeDist) String() string            { return k.str }

// fastKDE is the table quantile of a kernel density, for sampling.
type fastKDE struct{ k *kdeDist }

func (f fastKDE) Quantile(p float64) float64 {
	if !(p > 0 && p < 1) {
		return f.k.Quantile(p)
	}
	return f.k.tableQ(p)
}

// fastOf returns the Fast quantiler of an empirical or annotated Dist, or nil.
func fastOf(d Dist) Quantiler {
	switch v := d.(type) {
	case *withSource:
		return Fast(v.Dist)
	case *empiricalDist:
		return v
	case *kdeDist:
		return fastKDE{v}
	}
	return nil
}

// Prob is the share of the data equal to x.
func (e *empiricalDist) Prob(x float64) float64 {
	i := sort.SearchFloat64s(e.xs, x)
	j := sort.Search(len(e.xs), func(k int) bool { return e.xs[k] > x })
	return float64(j-i) / float64(len(e.xs))
}

// LogProb is log Prob(x).
func (e *empiricalDist) LogProb(x float64) float64 { return math.Log(e.Prob(x)) }

// Prob is the kernel density (after the cut).
func (k *kdeDist) Prob(x float64) float64 { return k.pdf(x) }

// LogProb is log Prob(x).
func (k *kdeDist) LogProb(x float64) float64 { return math.Log(k.pdf(x)) }
