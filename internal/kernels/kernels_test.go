package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// kernelValue draws a flow: mostly ordinary money amounts of either sign,
// sometimes ±0, ±Inf or NaN, so that the special cases of the comparisons
// (NaN never smaller, −0 = +0) are exercised too.
func kernelValue(rng *rand.Rand) float64 {
	switch rng.IntN(20) {
	case 0:
		return 0
	case 1:
		return math.Copysign(0, -1)
	case 2:
		return math.Inf(1 - 2*rng.IntN(2))
	case 3:
		return math.NaN()
	}
	return (rng.Float64() - 0.4) * math.Pow(10, float64(rng.IntN(9)))
}

// sameBits reports whether a and b have equal bits or are both NaN: which
// NaN an operation with two NaN operands keeps depends on the operand order
// the compiler chose, and is of no use.
func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}

// TestKernelsMatchGo: the kernels in use (assembly on amd64) give the same
// bits as their Go versions, on every length from 0 to 70 and random flows.
func TestKernelsMatchGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for n := 0; n <= 70; n++ {
		for rep := 0; rep < 200; rep++ {
			special := rep%4 == 0 // a quarter of the cases with special values
			ben, cost := make([]float64, n), make([]float64, n)
			for i := range ben {
				if special {
					ben[i], cost[i] = kernelValue(rng), kernelValue(rng)
				} else {
					ben[i], cost[i] = rng.Float64()*1e6, rng.Float64()*1e6
				}
			}
			disc := 0.9 + 0.1*rng.Float64()
			init := DiscountState{DF: 1, MinCum: math.Inf(1), Neg: uint64(rng.IntN(2))}
			a, b := init, init
			cfA, cumA := make([]float64, n), make([]float64, n)
			cfB, cumB := make([]float64, n), make([]float64, n)
			Discount(ben, cost, cfA, cumA, disc, &a)
			DiscountGo(ben, cost, cfB, cumB, disc, &b)
			fa := []float64{a.DF, a.NPV, a.PVC, a.Cum, a.MinCum, a.Last, a.Big}
			fb := []float64{b.DF, b.NPV, b.PVC, b.Cum, b.MinCum, b.Last, b.Big}
			for i := range fa {
				if !sameBits(fa[i], fb[i]) {
					t.Fatalf("n %d: Discount state field %d = %v, Go %v", n, i, fa[i], fb[i])
				}
			}
			if a.Changes != b.Changes || a.Neg != b.Neg {
				t.Fatalf("n %d: sign changes %d/%d, Go %d/%d", n, a.Changes, a.Neg, b.Changes, b.Neg)
			}
			for i := range cfA {
				if !sameBits(cfA[i], cfB[i]) || !sameBits(cumA[i], cumB[i]) {
					t.Fatalf("n %d: month %d: cf %v cum %v, Go %v %v", n, i, cfA[i], cumA[i], cfB[i], cumB[i])
				}
			}

			// Halley's iteration from a random start in a random bracket,
			// on flows with and without a root in it.
			l, h := -0.99+0.5*rng.Float64(), 0.1+10*rng.Float64()
			x := l + (h-l)*rng.Float64()
			if rep%10 == 1 {
				x = math.NaN()
			}
			lowNeg := rng.IntN(2) == 0
			if a, b := Halley(ben, x, l, h, lowNeg), HalleyGo(ben, x, l, h, lowNeg); !sameBits(a, b) {
				t.Fatalf("n %d: Halley from %v in [%v, %v] = %v, Go %v", n, x, l, h, a, b)
			}
			if n > 0 { // a flow with one sign change, negative first
				cf := make([]float64, n)
				for i := range cf {
					cf[i] = rng.Float64() * 1e6
				}
				k := rng.IntN(n)
				for i := range k + 1 {
					cf[i] = -cf[i]
				}
				if a, b := Halley(cf, x, l, h, true), HalleyGo(cf, x, l, h, true); !sameBits(a, b) {
					t.Fatalf("n %d: Halley from %v in [%v, %v] = %v, Go %v", n, x, l, h, a, b)
				}
			}
		}
	}
}

// TestNPVDerivs compares NPVDerivs (running sums over four lanes) with the
// sums written out, Σ cf_t v^t, −v·Σ t·cf_t v^t and v²·Σ t(t+1)·cf_t v^t,
// on every length from 1 to 70 and rates from −0.5 to 2.
func TestNPVDerivs(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for n := 1; n <= 70; n++ {
		cf := make([]float64, n)
		for i := range cf {
			cf[i] = (rng.Float64() - 0.3) * 1e6
		}
		for _, x := range []float64{-0.5, -0.01, 0, 0.03, 0.2, 2} {
			v := 1 / (1 + x)
			var f, d1, d2, scale0, scale1, scale2 float64
			for i, c := range cf {
				tt := float64(i + 1)
				a := c * math.Pow(v, tt)
				f += a
				d1 += tt * a
				d2 += tt * (tt + 1) * a
				scale0 += math.Abs(a)
				scale1 += tt * math.Abs(a)
				scale2 += tt * (tt + 1) * math.Abs(a)
			}
			d1, d2 = -v*d1, v*v*d2
			gf, g1, g2 := NPVDerivs(cf, x)
			// Rounding on the scale of the sums of absolute terms.
			if math.Abs(gf-f) > 1e-13*scale0 || math.Abs(g1-d1) > 1e-12*v*scale1 || math.Abs(g2-d2) > 1e-11*v*v*scale2 {
				t.Fatalf("n %d, x %v: NPVDerivs = %v, %v, %v; want %v, %v, %v", n, x, gf, g1, g2, f, d1, d2)
			}
		}
	}
}
