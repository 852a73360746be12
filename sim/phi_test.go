package sim

import (
	"math"
	"testing"
)

// TestPhiTable: the table's Φ is within 1e-10 of min(Φ, 1 − Φ) of the exact
// value on a fine sweep across and beyond its range, and exact beyond it.
func TestPhiTable(t *testing.T) {
	c := phiTable()
	worst, at := 0.0, 0.0
	for k := -400000; k <= 400000; k++ {
		v := float64(k) * 1e-5 // −4 … 4, off the nodes mostly
		got, want := phi(c, v), phiExact(v)
		if math.Abs(v) >= phiMax {
			if got != want {
				t.Fatalf("Φ(%v) = %v beyond the table, want the exact %v", v, got, want)
			}
			continue
		}
		if err := math.Abs(got-want) / math.Min(want, 1-want); err > worst {
			worst, at = err, v
		}
	}
	if !(worst <= 1e-10) {
		t.Errorf("Φ table error %.3g of min(Φ, 1−Φ) at v = %v, want ≤ 1e-10", worst, at)
	}
	t.Logf("largest relative error %.3g at v = %v", worst, at)
	if !math.IsNaN(phi(c, math.NaN())) || phi(c, math.Inf(-1)) != 0 || phi(c, math.Inf(1)) != 1 {
		t.Error("Φ of NaN or ±Inf")
	}
}
