package distributions

import (
	"math"
	"sync"
)

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
		return math.Exp(d.b.logpdf(x) - d.lnear - math.Log1p(-d.r))
	}
	return d.b.pdf(x) / d.mass
}

func (d *contDist) Mean() float64 { return d.mean }

func (d *contDist) Plan() float64 { return d.plan }

func (d *contDist) Support() (lo, hi float64) { return d.lo, d.hi }

func (d *contDist) Fixed() bool { return false }

func (d *contDist) String() string { return d.str }

// base is an untruncated continuous family. Each method is accurate in
// relative terms in the tail it is meant for: cdf and qlo for the lower tail,
// sf and qhi for the upper tail, so that truncation and table building keep
// full precision far out in either tail.
type base interface {
	cdf(x float64) float64     // P(X ≤ x)
	sf(x float64) float64      // P(X > x)
	pdf(x float64) float64     // density
	logpdf(x float64) float64  // log density
	dlogpdf(x float64) float64 // d/dx log pdf(x), for Halley steps
	qlo(t float64) float64     // x with cdf(x) = t
	qhi(s float64) float64     // x with sf(x) = s
	support() (lo, hi float64)
	mean() float64
	// truncMean is E[X | lo < X < hi]; only families that can be truncated
	// implement it meaningfully.
	truncMean(lo, hi float64) float64
}

// solveIncreasing finds x in (lo, hi) with r(x) = 0 for an increasing
// residual r whose derivative is d(x) > 0 and whose d'/d is dl(x). It starts
// at x0 and uses Halley steps safeguarded by a shrinking bracket. The bracket
// may be infinite on the right (hi = +Inf).
func solveIncreasing(r, d, dl func(float64) float64, x0, lo, hi float64) float64 {
	return solveTol(r, d, dl, x0, lo, hi, 0)
}

// solveTol is solveIncreasing that also stops, after taking it, at the first
// step no larger than tol.
func solveTol(r, d, dl func(float64) float64, x0, lo, hi, tol float64) float64 {
	x := x0
	if !(x > lo && x < hi) {
		x = bracketPoint(lo, hi, x)
	}
	for iter := 0; iter < 200; iter++ {
		v := r(x)
		if v == 0 || v != v {
			return x
		}
		if v > 0 {
			hi = x
		} else {
			lo = x
		}
		xn := math.NaN()
		f := d(x)
		if f > 0 && !math.IsInf(f, 0) {
			dn := -v / f
			den := 1 + 0.5*dn*dl(x)
			step := dn
			if den > 0.5 && den < 2 {
				step = dn / den
			}
			if math.Abs(step) <= tol || math.Abs(step) <= 2e-16*math.Abs(x) {
				if xs := x + step; xs >= lo && xs <= hi {
					return xs
				}
				return x
			}
			xn = x + step
		}
		if !(xn > lo && xn < hi) {
			xn = bracketPoint(lo, hi, x)
		}
		if xn == x {
			return x
		}
		x = xn
		if lo >= hi || math.Nextafter(lo, hi) == hi {
			return x
		}
	}
	return x
}

// bracketPoint picks a new trial point strictly inside (lo, hi), given the
// current (rejected) point x. It bisects geometrically when the bracket spans
// many orders of magnitude so that tiny roots are reached quickly.
func bracketPoint(lo, hi, x float64) float64 {
	switch {
	case math.IsInf(hi, 1):
		if x > 0 && !math.IsInf(x, 0) && x > lo {
			return 2*x + 1
		}
		if lo > 0 {
			return 2*lo + 1
		}
		return lo + 1
	case math.IsInf(lo, -1):
		if hi < 0 {
			return 2*hi - 1
		}
		return hi - 1
	}
	if lo >= 0 && hi > 0 && (lo == 0 || hi/lo > 1e3) {
		// geometric bisection
		l := lo
		if l == 0 {
			l = hi * 1e-30
			if l == 0 || hi/l > 1e300 {
				l = math.SmallestNonzeroFloat64 * 1e10
			}
		}
		g := math.Sqrt(l) * math.Sqrt(hi)
		if g > lo && g < hi {
			return g
		}
	}
	m := lo + (hi-lo)/2
	return m
}

// Prob is the density after the cut; 0 outside the support.
func (d *contDist) Prob(x float64) float64 {
	if !(x >= d.lo && x <= d.hi) {
		return 0
	}
	return d.pdf(x)
}

// LogProb is the log density after the cut, from the family's log density
// (so that it stays finite where the density underflows).
func (d *contDist) LogProb(x float64) float64 {
	if !(x >= d.lo && x <= d.hi) {
		return math.Inf(-1)
	}
	if d.tail != 0 {
		return d.b.logpdf(x) - d.lnear - math.Log1p(-d.r)
	}
	return d.b.logpdf(x) - math.Log(d.mass)
}
