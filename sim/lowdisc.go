package sim

import (
	"fmt"
	"math/bits"
)

// Sobol is a scrambled Sobol low-discrepancy sequence in up to SobolMaxDim
// dimensions, with the direction numbers of Joe and Kuo (new-joe-kuo-6.21201),
// points in Gray-code order (the order of Joe and Kuo's and SciPy's
// generators), and randomised by nested uniform (Owen) scrambling in base 2,
// computed with Burley's hash-based permutation, seeded from a master seed.
// Points are computed by index, so any block of the sequence can be produced
// on its own; the first 2^m points of every dimension are a (t, m, s)-net
// before and after scrambling. A Sobol is read-only and safe for concurrent use.
type Sobol struct {
	dim   int
	v     [][32]uint32 // direction numbers per dimension, v[j][b] for bit b (b = 0 is the 1/2 bit)
	seeds []uint32     // scrambling seed per dimension
}

// directions computes the 32 direction numbers of dimension j (0-based).
func directions(j int) [32]uint32 {
	var v [32]uint32
	if j == 0 {
		for b := range v {
			v[b] = 1 << (31 - b)
		}
		return v
	}
	// Find dimension j's entry in the packed table.
	k := 0
	for d := 1; d < j; d++ {
		s := bits.Len16(joeKuo[k]) - 1
		k += 1 + s
	}
	poly := uint32(joeKuo[k])
	s := bits.Len32(poly) - 1
	a := (poly >> 1) & (1<<(s-1) - 1)
	for i := 0; i < s && i < 32; i++ {
		v[i] = uint32(joeKuo[k+1+i]) << (31 - i)
	}
	for i := s; i < 32; i++ {
		x := v[i-s] ^ v[i-s]>>s
		for q := 1; q < s; q++ {
			if (a>>(s-1-q))&1 == 1 {
				x ^= v[i-q]
			}
		}
		v[i] = x
	}
	return v
}

// NewSobol returns the scrambled Sobol sequence in dim dimensions; the
// scrambling of each dimension is seeded from seed.
func NewSobol(dim int, seed uint64) (*Sobol, error) {
	if dim < 1 || dim > SobolMaxDim {
		return nil, fmt.Errorf("a Sobol sequence has 1 to %d dimensions, not %d", SobolMaxDim, dim)
	}
	s := &Sobol{dim: dim, v: make([][32]uint32, dim), seeds: make([]uint32, dim)}
	for j := range s.v {
		s.v[j] = directions(j)
		s.seeds[j] = uint32(mix64(seed^mix64(uint64(j)+0x5bd1e9955bd1e995)) >> 32)
	}
	return s, nil
}

// Dim is the number of dimensions.
func (s *Sobol) Dim() int { return s.dim }

// raw returns the unscrambled 32-bit coordinate j of point i (Gray-code order).
func (s *Sobol) raw(i uint64, j int) uint32 {
	g := i ^ i>>1
	var x uint32
	v := &s.v[j]
	for b := 0; g != 0 && b < 32; b++ {
		if g&1 == 1 {
			x ^= v[b]
		}
		g >>= 1
	}
	return x
}

// owen scrambles the 32 bits of x: each bit is flipped by a hash of the bits
// above it, as nested uniform scrambling does (Burley, "Practical Hash-based
// Owen Scrambling", JCGT 9(4), 2020).
func owen(x, seed uint32) uint32 {
	x = bits.Reverse32(x)
	x ^= x * 0x3d20adea
	x += seed
	x *= (seed >> 16) | 1
	x ^= x * 0x05526c56
	x ^= x * 0x53a22864
	return bits.Reverse32(x)
}

// Point writes the scrambled point of index i (0-based) into dst[:Dim()],
// every coordinate strictly inside (0, 1). It needs fewer than 2^32 points.
func (s *Sobol) Point(i uint64, dst []float64) {
	g := i ^ i>>1
	for j := 0; j < s.dim; j++ {
		var x uint32
		v := &s.v[j]
		for b, gg := 0, g; gg != 0 && b < 32; b++ {
			if gg&1 == 1 {
				x ^= v[b]
			}
			gg >>= 1
		}
		dst[j] = (float64(owen(x, s.seeds[j])) + 0.5) * 0x1p-32
	}
}
