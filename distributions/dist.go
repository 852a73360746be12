package distributions

import (
	"math"
	"sort"
	"strconv"
	"sync"
)

// Dist is an uncertain value: a distribution or a fixed number.
//
// All methods are safe for concurrent use. Values are immutable once parsed.
type Dist interface {
	// Quantile returns the inverse CDF at p, accurate to about 1e-12
	// relative. p = 0 and p = 1 give the bounds of the support (which may be
	// ±Inf); p outside [0, 1] or NaN gives NaN. For discrete distributions it
	// is the smallest value v with CDF(v) ≥ p.
	Quantile(p float64) float64
	// CDF returns P(X ≤ x).
	CDF(x float64) float64
	// Mean returns the expected value (the truncated mean when truncated).
	Mean() float64
	// Plan returns the plan value used by the deterministic cases: the mode
	// for pert and triangular, the number itself for a fixed number and the
	// mean (truncated mean when truncated) for every other family.
	Plan() float64
	// Support returns the bounds of the support after truncation, ±Inf where
	// unbounded.
	Support() (lo, hi float64)
	// Fixed reports whether the value is a plain number.
	Fixed() bool
	// String returns the canonical expression, which Parse turns back into
	// an equal Dist, e.g. "pert(0.15, 0.25, 0.4)" or "3500000".
	String() string
}

// Quantiler is anything that maps a uniform number in [0, 1] to a value.
// Every Dist is a Quantiler; Fast returns a faster one for sampling.
type Quantiler interface {
	// Quantile returns the inverse CDF at p.
	Quantile(p float64) float64
}

// formatNum formats a number so that it parses back to exactly the same
// float64: integers below 1e15 in plain digits, everything else in the
// shortest 'g' form.
func formatNum(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		if v == 0 {
			if math.Signbit(v) {
				return "-0"
			}
			return "0"
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// ---------------------------------------------------------------- fixed

// fixed is a plain number.
type fixed struct{ v float64 }

func (f *fixed) Quantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	return f.v
}
func (f *fixed) CDF(x float64) float64 {
	if x < f.v {
		return 0
	}
	return 1
}
func (f *fixed) Mean() float64             { return f.v }
func (f *fixed) Plan() float64             { return f.v }
func (f *fixed) Support() (lo, hi float64) { return f.v, f.v }
func (f *fixed) Fixed() bool               { return true }
func (f *fixed) String() string            { return formatNum(f.v) }

// ---------------------------------------------------------------- uniform

// uniformDist is uniform(min, max).
type uniformDist struct {
	lo, hi float64
	head   string // the expression before any cut
	cut    cutSpec
	str    string
}

func (u *uniformDist) Quantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	if p > 0.5 {
		return u.hi - (1-p)*(u.hi-u.lo)
	}
	return u.lo + p*(u.hi-u.lo)
}
func (u *uniformDist) CDF(x float64) float64 {
	switch {
	case x <= u.lo:
		return 0
	case x >= u.hi:
		return 1
	}
	return (x - u.lo) / (u.hi - u.lo)
}
func (u *uniformDist) Mean() float64             { return u.lo + (u.hi-u.lo)/2 }
func (u *uniformDist) Plan() float64             { return u.Mean() }
func (u *uniformDist) Support() (lo, hi float64) { return u.lo, u.hi }
func (u *uniformDist) Fixed() bool               { return false }
func (u *uniformDist) String() string            { return u.str }

// ---------------------------------------------------------------- triangular

// triangularDist is triangular(min, mode, max).
type triangularDist struct {
	a, c, b float64 // min, mode, max
	fc      float64 // CDF at the mode
	str     string
}

func newTriangular(a, c, b float64, str string) *triangularDist {
	return &triangularDist{a: a, c: c, b: b, fc: (c - a) / (b - a), str: str}
}

func (t *triangularDist) Quantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	if p <= t.fc && t.fc > 0 {
		return math.Min(t.a+math.Sqrt(p*(t.b-t.a)*(t.c-t.a)), t.c)
	}
	return math.Max(t.b-math.Sqrt((1-p)*(t.b-t.a)*(t.b-t.c)), t.c)
}
func (t *triangularDist) CDF(x float64) float64 {
	switch {
	case x <= t.a:
		return 0
	case x >= t.b:
		return 1
	case x <= t.c:
		return (x - t.a) * (x - t.a) / ((t.b - t.a) * (t.c - t.a))
	}
	return 1 - (t.b-x)*(t.b-x)/((t.b-t.a)*(t.b-t.c))
}
func (t *triangularDist) Mean() float64 {
	if m := (t.a + t.b + t.c) / 3; !math.IsInf(m, 0) {
		return m
	}
	return t.a/3 + t.b/3 + t.c/3
}
func (t *triangularDist) Plan() float64             { return t.c }
func (t *triangularDist) Support() (lo, hi float64) { return t.a, t.b }
func (t *triangularDist) Fixed() bool               { return false }
func (t *triangularDist) String() string            { return t.str }

// ---------------------------------------------------------------- discrete

// discreteDist is discrete(values=[…], weights=[…]) and bernoulli(p).
// vals are sorted and distinct, cum[i] is the normalised cumulative weight
// up to and including vals[i], with cum[len-1] == 1.
type discreteDist struct {
	vals, cum []float64
	lo, hi    float64 // smallest and largest value with positive weight
	mean      float64
	head      string // the expression before any cut
	cut       cutSpec
	str       string
	guide     []int32 // guide[k]: first i with cum[i] ≥ k/len(guide)
}

func newDiscrete(values, weights []float64, str string) *discreteDist {
	type vw struct{ v, w float64 }
	pairs := make([]vw, len(values))
	var total float64
	for i := range values {
		pairs[i] = vw{values[i], weights[i]}
		total += weights[i]
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].v < pairs[j].v })
	d := &discreteDist{str: str, head: str, lo: math.Inf(1), hi: math.Inf(-1)}
	var acc, mean float64
	for _, p := range pairs {
		w := p.w / total
		acc += w
		mean += w * p.v
		if p.w > 0 {
			d.lo = math.Min(d.lo, p.v)
			d.hi = math.Max(d.hi, p.v)
		}
		if n := len(d.vals); n > 0 && d.vals[n-1] == p.v {
			d.cum[n-1] = acc
			continue
		}
		d.vals = append(d.vals, p.v)
		d.cum = append(d.cum, acc)
	}
	// Make the top of the cumulative weights exactly 1 (and every value with
	// nothing above it).
	for i := len(d.cum) - 1; i >= 0 && d.vals[i] >= d.hi; i-- {
		d.cum[i] = 1
	}
	d.mean = mean
	if d.lo == d.hi {
		d.mean = d.lo
	}
	n := len(d.vals)
	if n > 8 {
		d.guide = make([]int32, n)
		i := 0
		for k := range d.guide {
			u := float64(k) / float64(n)
			for d.cum[i] < u {
				i++
			}
			d.guide[k] = int32(i)
		}
	}
	return d
}

func (d *discreteDist) Quantile(p float64) float64 {
	if !(p > 0 && p < 1) {
		switch {
		case p == 0:
			return d.lo
		case p == 1:
			return d.hi
		}
		return math.NaN()
	}
	i := 0
	if d.guide != nil {
		k := int(p * float64(len(d.guide)))
		if k >= len(d.guide) {
			k = len(d.guide) - 1
		}
		i = int(d.guide[k])
	}
	for d.cum[i] < p {
		i++
	}
	return d.vals[i]
}

func (d *discreteDist) CDF(x float64) float64 {
	i := sort.SearchFloat64s(d.vals, x) // first i with vals[i] ≥ x
	if i < len(d.vals) && d.vals[i] == x {
		return d.cum[i]
	}
	if i == 0 {
		return 0
	}
	return d.cum[i-1]
}
func (d *discreteDist) Mean() float64             { return d.mean }
func (d *discreteDist) Plan() float64             { return d.mean }
func (d *discreteDist) Support() (lo, hi float64) { return d.lo, d.hi }
func (d *discreteDist) Fixed() bool               { return false }
func (d *discreteDist) String() string            { return d.str }

// ---------------------------------------------------------------- continuous

// contDist is a continuous family from base, possibly truncated to [lo, hi].
type contDist struct {
	b     base
	lo    float64 // support after truncation
	hi    float64
	trunc bool
	// base CDF and survival at lo and hi, and the mass in between
	flo, fhi, slo, shi, mass float64
	mean, plan               float64
	// head is the expression before any cut, cut the cut as written; inner
	// says whether the cut is written inside head's parentheses
	// (normal(0, 1, min=0)) rather than after it (0.7 to 0.9, max=1).
	head  string
	inner bool
	cut   cutSpec
	mode  float64 // the plan value of pert and triangular (clamped into a cut); NaN for the others
	str   string
	// A cut far in a tail (tails.go) is computed in log space: tail is +1
	// for a range in the upper tail, −1 in the lower tail (0 otherwise);
	// lnear is the log tail probability at the nearer bound and r the ratio
	// of the tail probability at the farther bound to it.
	tail     int
	lnear, r float64
	lt       logTails

	fastOnce sync.Once
	fast     Quantiler
}

// newCont builds a contDist of b cut by cut; ok is false when the cut
// holds no probability mass. mode is the plan value of families planned at
// their mode (NaN for those planned at their mean).
func newCont(b base, cut cutSpec, head string, inner bool, mode float64) (d *contDist, ok bool) {
	tlo, thi := cut.bounds()
	blo, bhi := b.support()
	str := head
	switch {
	case cut.none():
	case inner:
		str = head[:len(head)-1] + cut.suffix() + ")"
	default:
		str = head + cut.suffix()
	}
	d = &contDist{b: b, str: str, head: head, inner: inner, cut: cut, mode: mode, lo: math.Max(tlo, blo), hi: math.Min(thi, bhi)}
	d.trunc = d.lo > blo || d.hi < bhi
	if !d.trunc {
		d.flo, d.fhi, d.slo, d.shi, d.mass = 0, 1, 1, 0, 1
		d.mean = b.mean()
		d.plan = d.mean
		if !math.IsNaN(mode) {
			d.plan = mode
		}
		return d, true
	}
	if !(d.lo < d.hi) {
		return nil, false
	}
	d.flo, d.slo = b.cdf(d.lo), b.sf(d.lo)
	d.fhi, d.shi = b.cdf(d.hi), b.sf(d.hi)
	if lt, ok := b.(logTails); ok && (d.slo < logTinyTail && d.lo > blo || d.fhi < logTinyTail && d.hi < bhi) {
		return d.inTail(lt, blo, bhi)
	}
	switch {
	case d.flo >= 0.5:
		d.mass = d.slo - d.shi
	case d.fhi <= 0.5:
		d.mass = d.fhi - d.flo
	default:
		d.mass = (0.5 - d.flo) + (0.5 - d.shi)
	}
	if !(d.mass > 0) || math.IsInf(d.mass, 0) {
		return nil, false
	}
	d.mean = b.truncMean(d.lo, d.hi)
	// The truncated mean lies in the range; guard against rounding.
	d.mean = math.Max(d.lo, math.Min(d.hi, d.mean))
	d.plan = d.mean
	if !math.IsNaN(mode) {
		d.plan = math.Max(d.lo, math.Min(d.hi, mode))
	}
	return d, true
}

func (d *contDist) Quantile(p float64) float64 {
	if !(p > 0 && p < 1) {
		switch {
		case p == 0:
			return d.lo
		case p == 1:
			return d.hi
		}
		return math.NaN()
	}
	if d.tail != 0 {
		return d.tailQuantile(p)
	}
	if !d.trunc {
		if p <= 0.5 {
			return d.b.qlo(p)
		}
		return d.b.qhi(1 - p)
	}
	t := d.flo + p*d.mass
	s := d.shi + (1-p)*d.mass
	var x float64
	if t <= s {
		x = d.b.qlo(t)
	} else {
		x = d.b.qhi(s)
	}
	return math.Max(d.lo, math.Min(d.hi, x))
}

func (d *contDist) CDF(x float64) float64 {
	switch {
	case x <= d.lo:
		return 0
	case x >= d.hi:
		return 1
	case !(x == x):
		return math.NaN()
	}
	if !d.trunc {
		return d.b.cdf(x)
	}
	if d.tail != 0 {
		return math.Max(0, math.Min(1, d.tailCDF(x, false)))
	}
	var c float64
	if d.flo < 0.5 {
		c = (d.b.cdf(x) - d.flo) / d.mass
	} else {
		c = (d.slo - d.b.sf(x)) / d.mass
	}
	return math.Max(0, math.Min(1, c))
}

// lowerCDF is the CDF, accurate in relative terms where it is small.
func (d *contDist) lowerCDF(x float64) float64 {
	if !d.trunc {
		return d.b.cdf(x)
	}
	if d.tail != 0 {
		return d.tailCDF(x, false)
	}
	if d.flo < 0.5 {
		return (d.b.cdf(x) - d.flo) / d.mass
	}
	return (d.slo - d.b.sf(x)) / d.mass
}

// upperSF is 1 - CDF, accurate in relative terms where it is small.
func (d *contDist) upperSF(x float64) float64 {
	if !d.trunc {
		return d.b.sf(x)
	}
	if d.tail != 0 {
		return d.tailCDF(x, true)
	}
	if d.fhi > 0.5 {
		return (d.b.sf(x) - d.shi) / d.mass
	}
	return (d.fhi - d.b.cdf(x)) / d.mass
}

// pdf is the density after truncation.
func (d *contDist) pdf(x float64) float64 {
	if d.tail != 0 {
		if x < d.lo || x > d.hi {
			return 0
		}
		return math.Exp(d.lt.logpdf(x) - d.lnear - math.Log1p(-d.r))
	}
	return d.b.pdf(x) / d.mass
}

func (d *contDist) Mean() float64             { return d.mean }
func (d *contDist) Plan() float64             { return d.plan }
func (d *contDist) Support() (lo, hi float64) { return d.lo, d.hi }
func (d *contDist) Fixed() bool               { return false }
func (d *contDist) String() string            { return d.str }
