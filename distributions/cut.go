package distributions

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Cutting (truncation). Every form can be cut to a range and renormalised:
// written after the form, "0.7 to 0.9, max=1", "pert(0.2, 0.5, 1.1), max=1",
// or inside the call for the unbounded families that always took min= and
// max= (normal, lognormal, gamma, weibull): "normal(0, 1, min=0)". Truncate
// does the same from Go, and Outside gives the probability a cut removes.

// cutSpec is a cut as written: min= and/or max=.
type cutSpec struct {
	lo, hi       float64
	hasLo, hasHi bool
}

// bounds returns the range of the cut, ±Inf where open.
func (c cutSpec) bounds() (lo, hi float64) {
	lo, hi = math.Inf(-1), math.Inf(1)
	if c.hasLo {
		lo = c.lo
	}
	if c.hasHi {
		hi = c.hi
	}
	return lo, hi
}

// none reports whether nothing is cut.
func (c cutSpec) none() bool { return !c.hasLo && !c.hasHi }

// suffix is the canonical ", min=…, max=…" of the cut.
func (c cutSpec) suffix() string {
	s := ""
	if c.hasLo {
		s += ", min=" + formatNum(c.lo)
	}
	if c.hasHi {
		s += ", max=" + formatNum(c.hi)
	}
	return s
}

// and is the cut to the intersection of c and o.
func (c cutSpec) and(o cutSpec) cutSpec {
	if o.hasLo && (!c.hasLo || o.lo > c.lo) {
		c.lo, c.hasLo = o.lo, true
	}
	if o.hasHi && (!c.hasHi || o.hi < c.hi) {
		c.hi, c.hasHi = o.hi, true
	}
	return c
}

// errNoMass is returned when a cut leaves no probability.
var errNoMass = errors.New("the cut leaves no probability mass")

// Truncate returns d cut to [lo, hi] and renormalised, exactly as writing
// min=lo, max=hi in its expression would cut it: the same quantiles, mean
// and plan value (the mode of pert and triangular clamped into the range,
// the mean of the cut distribution for the other families). lo may be −Inf
// and hi +Inf for a one-sided cut. The result's String is an expression
// that Parse (ParseWith for data inputs) turns back into the same
// distribution, e.g. "0.7 to 0.9, max=1" or "normal(0.1, 0.03, min=-1)";
// only the sides that narrow d's support are written. When [lo, hi] holds
// the whole support, d itself is returned. Atoms (bernoulli, discrete,
// resampled data, a fixed number) on lo or hi are kept. It is an error when
// [lo, hi] holds no probability or d is of a kind that cannot be cut.
// Outside gives the probability that the cut removes.
func Truncate(d Dist, lo, hi float64) (Dist, error) {
	if math.IsNaN(lo) || math.IsNaN(hi) || !(lo <= hi) {
		return nil, fmt.Errorf("cannot cut %s to [%s, %s]: the range is empty", d, formatNum(lo), formatNum(hi))
	}
	c, err := cutDist(d, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("cutting %s to [%s, %s]: %w", d, formatNum(lo), formatNum(hi), err)
	}
	return c, nil
}

// Outside returns the probability that d lies outside [lo, hi]:
// P(X < lo) + P(X > hi), with atoms on lo or hi counted inside. Small
// probabilities are accurate in relative terms (each tail is computed from
// its own side), down to the smallest float64.
func Outside(d Dist, lo, hi float64) float64 {
	switch v := d.(type) {
	case *withSource:
		return Outside(v.Dist, lo, hi)
	case *fixed:
		if v.v < lo || v.v > hi {
			return 1
		}
		return 0
	case *discreteDist:
		var below float64
		if i := sort.SearchFloat64s(v.vals, lo); i > 0 { // vals[i-1] < lo
			below = v.cum[i-1]
		}
		return math.Min(1, below+(1-v.CDF(hi)))
	case *empiricalDist:
		n := len(v.xs)
		below := sort.SearchFloat64s(v.xs, lo)                                // values < lo
		above := n - sort.Search(n, func(i int) bool { return v.xs[i] > hi }) // values > hi
		return float64(below+above) / float64(n)
	case *contDist:
		var out float64
		if lo > v.lo {
			out += math.Min(1, v.tailBelow(lo))
		}
		if hi < v.hi {
			out += math.Min(1, v.tailAbove(hi))
		}
		return math.Min(1, out)
	case *triangularDist:
		return Outside(v.asCont(), lo, hi)
	}
	out := 0.0
	if slo, _ := d.Support(); lo > slo {
		out += d.CDF(lo)
	}
	if _, shi := d.Support(); hi < shi {
		out += 1 - d.CDF(hi)
	}
	return math.Max(0, math.Min(1, out))
}

// cutDist is Truncate without the message.
func cutDist(d Dist, lo, hi float64) (Dist, error) {
	slo, shi := d.Support()
	c := cutSpec{lo: lo, hi: hi, hasLo: lo > slo, hasHi: hi < shi}
	if c.none() {
		return d, nil
	}
	if lo > shi || hi < slo {
		return nil, errNoMass
	}
	switch v := d.(type) {
	case *withSource:
		in, err := cutDist(v.Dist, lo, hi)
		if err != nil {
			return nil, err
		}
		return &withSource{Dist: in, expr: v.expr, source: v.source, cut: v.cut.and(c)}, nil
	case *fixed:
		return d, nil // the support is the number itself: inside the range
	case *uniformDist:
		nlo, nhi := math.Max(v.lo, lo), math.Min(v.hi, hi)
		if !(nlo < nhi) {
			return nil, errNoMass
		}
		u := &uniformDist{lo: nlo, hi: nhi, head: v.head, cut: v.cut.and(c)}
		u.str = u.head + u.cut.suffix()
		return u, nil
	case *triangularDist:
		return v.asCont().recut(c)
	case *contDist:
		return v.recut(c)
	case *discreteDist:
		return v.recut(c)
	case *empiricalDist:
		return v.recut(c)
	case *kdeDist:
		return v.recut(c)
	}
	return nil, fmt.Errorf("%s cannot be cut", d)
}

// recut is d cut further by c.
func (d *contDist) recut(c cutSpec) (Dist, error) {
	n, ok := newCont(d.b, d.cut.and(c), d.head, d.inner, d.mode)
	if !ok {
		return nil, errNoMass
	}
	return n, nil
}

// asCont is the triangular distribution as a contDist, to be cut.
func (t *triangularDist) asCont() *contDist {
	d, _ := newCont(&triBase{a: t.a, c: t.c, b: t.b, fc: t.fc}, cutSpec{}, t.str, false, t.c)
	return d
}

// recut is d cut by c: the values in the range keep their weights,
// renormalised.
func (d *discreteDist) recut(c cutSpec) (Dist, error) {
	lo, hi := c.bounds()
	var vals, ws []float64
	prev := 0.0
	for i, v := range d.vals {
		w := d.cum[i] - prev
		prev = d.cum[i]
		if v >= lo && v <= hi && w > 0 {
			vals = append(vals, v)
			ws = append(ws, w)
		}
	}
	if len(vals) == 0 {
		return nil, errNoMass
	}
	n := newDiscrete(vals, ws, d.head)
	n.cut = d.cut.and(c)
	n.str = n.head + n.cut.suffix()
	return n, nil
}

// recut is the resampled data within the range.
func (e *empiricalDist) recut(c cutSpec) (Dist, error) {
	lo, hi := c.bounds()
	i := sort.SearchFloat64s(e.xs, lo)
	j := sort.Search(len(e.xs), func(k int) bool { return e.xs[k] > hi })
	if i >= j {
		return nil, errNoMass
	}
	xs := e.xs[i:j:j]
	n := &empiricalDist{xs: xs, head: e.head, cut: e.cut.and(c), mean: sampleMean(xs)}
	n.str = n.head + n.cut.suffix()
	return n, nil
}

// recut is the kernel density cut further to the range.
func (k *kdeDist) recut(c cutSpec) (Dist, error) {
	lo, hi := c.bounds()
	d, err := newKDE(k.xs, k.smean, math.Max(k.lo, lo), math.Min(k.hi, hi), k.head)
	if err != nil {
		return nil, errNoMass
	}
	n := d.(*kdeDist)
	n.cut = k.cut.and(c)
	n.str = n.head + n.cut.suffix()
	return n, nil
}

// sampleMean is the mean of a sorted sample, kept within its range.
func sampleMean(xs []float64) float64 {
	n := len(xs)
	mean := 0.0
	for _, v := range xs {
		mean += v / float64(n)
	}
	return math.Max(xs[0], math.Min(xs[n-1], mean))
}

// tailBelow is P(X < x) for x in the support, accurate where small.
func (d *contDist) tailBelow(x float64) float64 {
	if x <= d.lo {
		return 0
	}
	if x >= d.hi {
		return 1
	}
	return math.Max(0, d.lowerCDF(x))
}

// tailAbove is P(X > x) for x in the support, accurate where small.
func (d *contDist) tailAbove(x float64) float64 {
	if x >= d.hi {
		return 0
	}
	if x <= d.lo {
		return 1
	}
	return math.Max(0, d.upperSF(x))
}
