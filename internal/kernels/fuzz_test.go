package kernels

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"
)

// floats decodes data as little-endian float64s, at most limit of them (a
// trailing partial one is dropped): every bit pattern, NaN payloads, ±0,
// ±Inf and subnormals included.
func floats(data []byte, limit int) []float64 {
	v := make([]float64, min(len(data)/8, limit))
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
	}
	return v
}

// FuzzDiscount: Discount (assembly on amd64) gives the same bits as
// DiscountGo — the flows, running sums and every field of the state — for
// any benefits and costs (the first and second halves of data's floats), any
// monthly factor and either starting sign.
func FuzzDiscount(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, disc float64, neg bool) {
		v := floats(data, 2*1200)
		n := len(v) / 2
		ben, cost := v[:n], v[n:2*n]
		init := DiscountState{DF: 1, MinCum: math.Inf(1)}
		if neg {
			init.Neg = 1
		}
		a, b := init, init
		cfA, cumA := make([]float64, n), make([]float64, n)
		cfB, cumB := make([]float64, n), make([]float64, n)
		Discount(ben, cost, cfA, cumA, disc, &a)
		DiscountGo(ben, cost, cfB, cumB, disc, &b)
		fa := []float64{a.DF, a.NPV, a.PVC, a.Cum, a.MinCum, a.Last, a.Big}
		fb := []float64{b.DF, b.NPV, b.PVC, b.Cum, b.MinCum, b.Last, b.Big}
		for i := range fa {
			if !sameBits(fa[i], fb[i]) {
				t.Fatalf("state field %d = %v, Go %v", i, fa[i], fb[i])
			}
		}
		if a.Changes != b.Changes || a.Neg != b.Neg {
			t.Fatalf("sign changes %d/%d, Go %d/%d", a.Changes, a.Neg, b.Changes, b.Neg)
		}
		for i := range cfA {
			if !sameBits(cfA[i], cfB[i]) || !sameBits(cumA[i], cumB[i]) {
				t.Fatalf("month %d: cf %v cum %v, Go %v %v", i+1, cfA[i], cumA[i], cfB[i], cumB[i])
			}
		}
	})
}

// FuzzHalley: Halley (assembly on amd64) gives the same bits as HalleyGo
// for any flow (data's floats), start, bracket and side.
func FuzzHalley(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, x, l, h float64, lowNeg bool) {
		cf := floats(data, 600)
		if a, b := Halley(cf, x, l, h, lowNeg), HalleyGo(cf, x, l, h, lowNeg); !sameBits(a, b) {
			t.Fatalf("Halley(%d months) from %v in [%v, %v], lowNeg %v = %v, Go %v", len(cf), x, l, h, lowNeg, a, b)
		}
	})
}

// FuzzTable: Table (assembly on amd64) writes the same bits and stops at
// the same p as TableGo, for any ps (data's floats), stride from 1 to 4 and
// grids of 64, 128 and 256 intervals per octave whose coefficients are
// drawn from seed.
func FuzzTable(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, seed uint64, bits, stride uint8) {
		g := NewGrid(6 + uint(bits%3))
		rng := rand.New(rand.NewPCG(seed, 1))
		coef := make([]float64, 8*Octaves<<(52-g.Shift))
		for i := range coef {
			coef[i] = (rng.Float64() - 0.5) * math.Ldexp(1, rng.IntN(80)-40)
		}
		src := floats(data, 4096)
		st := 1 + int(stride%4)
		a, b := make([]float64, len(src)*st), make([]float64, len(src)*st)
		ka, kb := Table(coef, a, st, src, &g), TableGo(coef, b, st, src, &g)
		if ka != kb {
			t.Fatalf("stops at %d, Go at %d", ka, kb)
		}
		for i := range a {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
				t.Fatalf("value %d (p %v) = %v, Go %v", i/st, src[i/st], a[i], b[i])
			}
		}
	})
}
