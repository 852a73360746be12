package distributions

import (
	"math"
	"strconv"
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
	// Prob returns the density at x of a continuous distribution, and the
	// probability of the value x for a discrete one (bernoulli, discrete,
	// resampled data, a fixed number); 0 outside the support.
	Prob(x float64) float64
	// LogProb returns log Prob(x), accurate where Prob underflows (far in a
	// tail, or for a cut far in a tail); −Inf outside the support.
	LogProb(x float64) float64
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

// Continuous reports whether d is known to put no probability on any single
// value: the continuous families, cut or not (a cut renormalises, it does
// not pile the cut-off mass on the bound), and kernel-smoothed data. A
// fixed number, bernoulli, discrete and resampled data are not.
func Continuous(d Dist) bool {
	switch d.(type) {
	case *contDist, *kdeDist, *triangularDist, *uniformDist:
		return true
	}
	return false
}
