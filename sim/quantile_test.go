package sim

import (
	"math"
	"slices"
	"testing"
)

// TestQuantilesFiniteAndFloat32 checks the selection against a full sort
// where no value is infinite (the path that skips the infinity tests) and
// for float32 band columns, with ties, an atom and a narrow range.
func TestQuantilesFiniteAndFloat32(t *testing.T) {
	ps := []float64{0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1}
	type7 := func(s []float64, p float64) float64 {
		n := len(s)
		h := float64(n-1) * p
		lo := int(math.Floor(h))
		if lo+1 >= n || h == float64(lo) || s[lo+1] == s[lo] {
			return s[lo]
		}
		return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
	}
	for _, n := range []int{20000, 100003, 1 << 20} {
		for _, kind := range []string{"spread", "atom", "narrow"} {
			x := make([]float64, n)
			for i := range x {
				u := uniform(mix64(uint64(i*31 + n)))
				switch kind {
				case "spread":
					x[i] = -5e6 + 4e7*u*u
				case "atom":
					x[i] = -1
					if i%3 == 0 {
						x[i] = u
					}
				case "narrow":
					x[i] = 1e9 + float64(i%17)*1e-3
				}
			}
			s := slices.Clone(x)
			slices.Sort(s)
			got := Quantiles(x, ps)
			for i, p := range ps {
				if want := type7(s, p); got[i] != want {
					t.Errorf("float64 n=%d %s p=%v: got %v, want %v", n, kind, p, got[i], want)
				}
			}
			x32 := make([]float32, n)
			s32 := make([]float64, n)
			for i, v := range x {
				x32[i] = float32(v)
				s32[i] = float64(x32[i])
			}
			slices.Sort(s32)
			got = Quantiles(x32, ps)
			for i, p := range ps {
				if want := type7(s32, p); got[i] != want {
					t.Errorf("float32 n=%d %s p=%v: got %v, want %v", n, kind, p, got[i], want)
				}
			}
		}
	}
}

// definedOnly returns x without its NaN values.
func definedOnly(x []float64) []float64 {
	var out []float64
	for _, v := range x {
		if v == v {
			out = append(out, v)
		}
	}
	return out
}

// TestDefinedQuantiles: the percentiles of a column's defined values, found
// in place among its NaN, are those of a copy without them, bit for bit, with
// and without infinities, below and above the size that is simply sorted.
func TestDefinedQuantiles(t *testing.T) {
	for _, n := range []int{1, 100, sortBelow + 1000, 200_000} {
		for _, inf := range []bool{false, true} {
			x := make([]float64, n)
			for i := range x {
				u := uniform(mix64(uint64(i) + uint64(n)))
				switch {
				case i%7 == 3:
					x[i] = math.NaN()
				case inf && i%11 == 5:
					x[i] = math.Inf(1)
				case inf && i%13 == 6:
					x[i] = math.Inf(-1)
				default:
					x[i] = -3 + 10*u*u
				}
			}
			got, want := definedQuantiles(x, PctLevels), Quantiles(definedOnly(x), PctLevels)
			for i := range got {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
					t.Errorf("n %d, infinities %v, P%v: %v, want %v", n, inf, PctLevels[i]*100, got[i], want[i])
				}
			}
		}
	}
}
