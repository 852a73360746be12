package sim

import (
	"math"
	"sort"
	"testing"
)

// TestSobolDirectionNumbers checks the embedded table against lines of Joe
// and Kuo's published file new-joe-kuo-6.21201 ("d s a m_i").
func TestSobolDirectionNumbers(t *testing.T) {
	published := []struct {
		d, s, a int
		m       []uint32
	}{
		{2, 1, 0, []uint32{1}},
		{3, 2, 1, []uint32{1, 3}},
		{4, 3, 1, []uint32{1, 3, 1}},
		{5, 3, 2, []uint32{1, 1, 1}},
		{6, 4, 1, []uint32{1, 1, 3, 3}},
		{7, 4, 4, []uint32{1, 3, 5, 13}},
		{8, 5, 2, []uint32{1, 1, 5, 5, 17}},
		{9, 5, 4, []uint32{1, 1, 5, 5, 5}},
		{10, 5, 7, []uint32{1, 1, 7, 11, 19}},
		{11, 5, 11, []uint32{1, 1, 5, 1, 1}},
		{12, 5, 13, []uint32{1, 1, 1, 3, 11}},
		{13, 5, 14, []uint32{1, 3, 5, 5, 31}},
		{14, 6, 1, []uint32{1, 3, 3, 9, 7, 49}},
		{15, 6, 13, []uint32{1, 1, 1, 15, 21, 21}},
		{16, 6, 16, []uint32{1, 3, 1, 13, 27, 49}},
		{20, 7, 1, []uint32{1, 3, 7, 11, 23, 15, 103}},
		{31, 7, 41, []uint32{1, 3, 5, 13, 23, 1, 55}},
	}
	for _, p := range published {
		v := directions(p.d - 1)
		for i, m := range p.m {
			if got := v[i] >> (31 - i); got != m {
				t.Errorf("dimension %d: m_%d = %d, published %d", p.d, i+1, got, m)
			}
		}
		// The recurrence of the primitive polynomial with coefficients a.
		k := 0
		for d := 2; d < p.d; d++ {
			k += bitsLen(joeKuo[k]) // the polynomial and its s = degree numbers
		}
		if poly := int(joeKuo[k]); poly != 1<<p.s+2*p.a+1 {
			t.Errorf("dimension %d: polynomial %d, published s=%d a=%d", p.d, poly, p.s, p.a)
		}
	}
}

func bitsLen(x uint16) int {
	n := 0
	for x != 0 {
		n++
		x >>= 1
	}
	return n
}

// TestSobolPoints checks unscrambled points (times 2^32) against an
// independent generator (SciPy's qmc.Sobol(scramble=False), which uses the
// same direction numbers and Gray-code order), in low and high dimensions.
func TestSobolPoints(t *testing.T) {
	want := map[int][]uint32{
		0:    {0, 2147483648, 3221225472, 1073741824, 1610612736, 3758096384, 2684354560, 536870912, 805306368, 2952790016, 4026531840, 1879048192, 1342177280, 3489660928, 2415919104, 268435456},
		1:    {0, 2147483648, 1073741824, 3221225472, 1610612736, 3758096384, 536870912, 2684354560, 1342177280, 3489660928, 268435456, 2415919104, 805306368, 2952790016, 1879048192, 4026531840},
		2:    {0, 2147483648, 1073741824, 3221225472, 2684354560, 536870912, 3758096384, 1610612736, 4026531840, 1879048192, 2952790016, 805306368, 1342177280, 3489660928, 268435456, 2415919104},
		3:    {0, 2147483648, 1073741824, 3221225472, 3758096384, 1610612736, 2684354560, 536870912, 1879048192, 4026531840, 805306368, 2952790016, 2415919104, 268435456, 3489660928, 1342177280},
		4:    {0, 2147483648, 3221225472, 1073741824, 1610612736, 3758096384, 2684354560, 536870912, 2415919104, 268435456, 1342177280, 3489660928, 4026531840, 1879048192, 805306368, 2952790016},
		5:    {0, 2147483648, 3221225472, 1073741824, 536870912, 2684354560, 3758096384, 1610612736, 1342177280, 3489660928, 2415919104, 268435456, 1879048192, 4026531840, 2952790016, 805306368},
		63:   {0, 2147483648, 3221225472, 1073741824, 536870912, 2684354560, 3758096384, 1610612736, 2952790016, 805306368, 1879048192, 4026531840, 2415919104, 268435456, 1342177280, 3489660928},
		127:  {0, 2147483648, 1073741824, 3221225472, 2684354560, 536870912, 3758096384, 1610612736, 268435456, 2415919104, 1342177280, 3489660928, 2952790016, 805306368, 4026531840, 1879048192},
		1023: {0, 2147483648, 3221225472, 1073741824, 3758096384, 1610612736, 536870912, 2684354560, 268435456, 2415919104, 3489660928, 1342177280, 4026531840, 1879048192, 805306368, 2952790016},
	}
	s, err := NewSobol(SobolMaxDim, 1)
	if err != nil {
		t.Fatal(err)
	}
	for j, w := range want {
		for i, x := range w {
			if got := s.raw(uint64(i), j); got != x {
				t.Errorf("dimension %d, point %d: %d, want %d", j+1, i, got, x)
			}
		}
	}
	if _, err := NewSobol(SobolMaxDim+1, 1); err == nil {
		t.Error("NewSobol accepted too many dimensions")
	}
}

// TestSobolScrambledNet checks that the scrambled points stay a net: in the
// first 2^m points every dimension has exactly one point in each interval
// [k/2^m, (k+1)/2^m), every pair of the first dimensions fills the 2^m cells
// of a 2^a × 2^b grid (a + b = m) exactly once where the unscrambled net does
// (t = 0 for the first two dimensions), values are inside (0, 1), the seed
// changes the points and equal seeds give equal points.
func TestSobolScrambledNet(t *testing.T) {
	const m = 10
	n := 1 << m
	s, _ := NewSobol(64, 7)
	s2, _ := NewSobol(64, 7)
	s3, _ := NewSobol(64, 8)
	pts := make([][]float64, n)
	diff := 0
	for i := range pts {
		pts[i] = make([]float64, 64)
		s.Point(uint64(i), pts[i])
		q := make([]float64, 64)
		s2.Point(uint64(i), q)
		r := make([]float64, 64)
		s3.Point(uint64(i), r)
		for j := range q {
			if q[j] != pts[i][j] {
				t.Fatalf("same seed, different point %d", i)
			}
			if r[j] != pts[i][j] {
				diff++
			}
			if !(pts[i][j] > 0 && pts[i][j] < 1) {
				t.Fatalf("point %d dimension %d = %v, not inside (0, 1)", i, j, pts[i][j])
			}
		}
	}
	if diff < n*64*9/10 {
		t.Errorf("another seed changed only %d of %d coordinates", diff, n*64)
	}
	for j := 0; j < 64; j++ {
		seen := make([]bool, n)
		for _, p := range pts {
			k := int(p[j] * float64(n))
			if seen[k] {
				t.Fatalf("dimension %d: two points in interval %d of %d", j+1, k, n)
			}
			seen[k] = true
		}
	}
	for a := 0; a <= m; a++ {
		seen := make([]bool, n)
		for _, p := range pts {
			k := int(p[0]*float64(int(1)<<a))<<(m-a) | int(p[1]*float64(int(1)<<(m-a)))
			if seen[k] {
				t.Fatalf("dimensions 1, 2: grid 2^%d × 2^%d has a cell with two points", a, m-a)
			}
			seen[k] = true
		}
	}
	// The scrambled coordinates are uniform: their mean is 1/2 up to the net's error.
	for j := 0; j < 64; j++ {
		col := make([]float64, n)
		for i, p := range pts {
			col[i] = p[j]
		}
		sort.Float64s(col)
		mean := 0.0
		for _, v := range col {
			mean += v
		}
		if mean /= float64(n); math.Abs(mean-0.5) > 1.0/float64(n) {
			t.Errorf("dimension %d: mean %v", j+1, mean)
		}
	}
}
