package sim

import "testing"

// TestSplitMix: plain Monte Carlo streams are SplitMix64 sequences (the
// reference generator's first outputs from state 0), and a draw does not
// depend on how many are drawn (a block's last, shorter run of iterations).
func TestSplitMix(t *testing.T) {
	got := make([]float64, 3)
	splitMix(got, 0)
	for i, want := range []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f} {
		if got[i] != uniform(want) {
			t.Errorf("draw %d = %v, want uniform(%#x) = %v", i, got[i], want, uniform(want))
		}
	}
	s := streamState(7, 3, NameKey("costs.overrun"))
	long, short := make([]float64, BlockSize), make([]float64, 100)
	splitMix(long, s)
	splitMix(short, s)
	for i, v := range short {
		if v != long[i] {
			t.Fatalf("draw %d of 100 = %v, of %d = %v", i, v, BlockSize, long[i])
		}
	}
}
