package model

import (
	"math"

	"github.com/crmroi/crmroi/internal/kernels"
)

// IRR search interval for the monthly rate, model.md section 3.
const (
	irrLo = -0.99
	irrHi = 10.0
)

// npvAt returns Σ cf_t/(1+x)^t, t = 1..len(cf), by Horner's rule.
func npvAt(cf []float64, x float64) float64 {
	v := 1 / (1 + x)
	acc := 0.0
	for t := len(cf) - 1; t >= 0; t-- {
		acc = acc*v + cf[t]
	}
	return acc * v
}

// irrMonthly returns the monthly rate x in [−0.99, 10] with Σ cf_t/(1+x)^t = 0,
// or NaN where the sum does not change sign on the interval.
//
// Where the cash flow changes sign once, the root is unique (Descartes' rule
// of signs in v = 1/(1+x)) and a safeguarded Halley iteration finds it in a
// few steps. Otherwise it uses Brent's method on the whole interval (as
// scipy's brentq), so that where several roots lie in the interval it finds
// the same one as the usual implementations.
func irrMonthly(cf []float64, guess float64) float64 {
	return irrOfShape(cf, flowShape(cf), guess)
}

// irrOfShape is irrMonthly given the flow's shape.
// A flow without a non-zero amount has every rate as a root: its IRR is
// undefined too (model.md), not the interval's end.
func irrOfShape(cf []float64, sh shape, guess float64) float64 {
	if sh.big == 0 {
		return math.NaN()
	}
	a, b := irrLo, irrHi
	fa, fb := endSign(cf, a, sh), endSign(cf, b, sh)
	if math.IsNaN(fa) || math.IsNaN(fb) {
		return math.NaN()
	}
	if fa == 0 {
		return a
	}
	if fb == 0 {
		return b
	}
	if (fa > 0) == (fb > 0) {
		return math.NaN()
	}
	if sh.changes == 1 {
		return halleyBracketed(cf, a, b, fa, sh.sum, guess)
	}
	fa, fb = npvAt(cf, a), npvAt(cf, b) // Brent interpolates: it needs the values, not only their signs
	return brent(cf, a, b, fa, fb)
}

// shape is what irrMonthly learns of a cash flow in one pass: its first and
// last non-zero flows, the largest absolute flow, the number of sign changes
// (zeros ignored) and the sum (the NPV at a rate of 0).
type shape struct {
	first, last, big, sum float64
	changes               int
}

// flowShape returns the shape of cf (Eval finds it while discounting).
func flowShape(cf []float64) shape {
	var first, last, big, sum float64
	changes := 0
	for _, v := range cf {
		sum += v
		if v == 0 {
			continue
		}
		if first == 0 {
			first = v
		} else if (v > 0) != (last > 0) {
			changes++
		}
		last = v
		if a := math.Abs(v); a > big {
			big = a
		}
	}
	return shape{first: first, last: last, big: big, sum: sum, changes: changes}
}

// endSign returns npvAt(cf, x) at an end of the IRR interval, or a number of
// the same sign when one term provably dominates the sum: at x = −0.99
// (v = 100) the last non-zero flow dominates when it exceeds 1.0102/100 of
// the largest one (the others add at most 1/(1−1/100) of max|cf|·100^(n−1));
// at x = 10 (v = 1/11) the first does when it exceeds 1/10 of the largest
// (the rest add at most max|cf|·v²/(1−v) = max|cf|/110 against |cf₁|/11).
func endSign(cf []float64, x float64, sh shape) float64 {
	switch {
	case sh.big == 0:
		return 0
	case x == irrLo && math.Abs(sh.last)*100 > 1.0102*sh.big*1.000001:
		return sh.last
	case x == irrHi && math.Abs(sh.first)*10 > sh.big*1.000001:
		return sh.first
	}
	return npvAt(cf, x)
}

// halleyBracketed finds the root of npvAt(cf, ·) in [a, b] (f(a) and f(b) of
// opposite signs, one root inside; f0 = f(0) = Σ cf) from a guess: Halley
// steps (cubic convergence: two evaluations for a usual project from the
// predicted root, irrguess.go, three or four from the plan case's IRR),
// with bisection whenever a step leaves the bracket, which shrinks at every step.
//
// It stops when a step is below 1e-7 (relative), or earlier when two
// successive steps s₁, s₂ show cubic convergence under way and predict the
// error after the second, C·s₂³ with C ≈ s₂/s₁³, below 1e-14: an
// evaluation fewer for a third of the usual flows, with the same result to
// about 1e-14.
func halleyBracketed(cf []float64, a, b, fa, f0, guess float64) float64 {
	// The bracket [l, h] with a < b; lowNeg says whether f(l) < 0.
	l, h, lowNeg := a, b, fa < 0
	// The sum at x = 0 tells on which side of 0 the root is.
	switch {
	case f0 == 0:
		return 0
	case (f0 < 0) == lowNeg:
		l = 0
	default:
		h = 0
	}
	// Start from the guess (the predicted root, else the plan case's IRR)
	// when it lies in the bracket, else from a usual monthly IRR on the
	// bracket's side of 0.
	x := 0.05
	switch {
	case guess > l && guess < h:
		x = guess
	case h <= 0:
		x = -0.02
	}
	return kernels.Halley(cf, x, l, h, lowNeg)
}

// brent finds a root of npvAt(cf, ·) in [a, b], given f(a) and f(b) of opposite
// signs. It follows the classic Brent (1973) zero algorithm with xtol 1e-14 and
// rtol 4·eps, falling back to bisection whenever an interpolation step is not finite.
func brent(cf []float64, a, b, fa, fb float64) float64 {
	const (
		xtol    = 1e-14
		rtol    = 4 * 2.220446049250313e-16
		maxIter = 200
	)
	c, fc := a, fa
	d := b - a
	e := d
	for i := 0; i < maxIter; i++ {
		if (fb > 0) == (fc > 0) {
			c, fc = a, fa
			d = b - a
			e = d
		}
		if math.Abs(fc) < math.Abs(fb) {
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		tol := 2*rtol*math.Abs(b) + xtol/2
		m := (c - b) / 2
		if math.Abs(m) <= tol || fb == 0 {
			return b
		}
		if math.Abs(e) >= tol && math.Abs(fa) > math.Abs(fb) && !math.IsInf(fa, 0) {
			var p, q float64
			s := fb / fa
			if a == c {
				p = 2 * m * s
				q = 1 - s
			} else {
				qq := fa / fc
				r := fb / fc
				p = s * (2*m*qq*(qq-r) - (b-a)*(r-1))
				q = (qq - 1) * (r - 1) * (s - 1)
			}
			if p > 0 {
				q = -q
			} else {
				p = -p
			}
			if !math.IsNaN(p) && !math.IsNaN(q) && !math.IsInf(p, 0) && !math.IsInf(q, 0) &&
				2*p < math.Min(3*m*q-math.Abs(tol*q), math.Abs(e*q)) {
				e = d
				d = p / q
			} else {
				d = m
				e = d
			}
		} else {
			d = m
			e = d
		}
		a, fa = b, fb
		if math.Abs(d) > tol {
			b += d
		} else if m > 0 {
			b += tol
		} else {
			b -= tol
		}
		fb = npvAt(cf, b)
		if math.IsNaN(fb) {
			return math.NaN()
		}
	}
	return b
}
