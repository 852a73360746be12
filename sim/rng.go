package sim

import "math/rand/v2"

// golden is SplitMix64's increment: 2⁶⁴ divided by the golden ratio, odd.
const golden = 0x9e3779b97f4a7c15

// mix64 is the SplitMix64 output function: it adds golden and applies the
// finaliser, a bijective scramble of 64 bits.
func mix64(z uint64) uint64 {
	z += golden
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// NameKey hashes a stream name (FNV-1a, 64 bit).
func NameKey(name string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return h
}

// streamState is the 64-bit state of the stream of one named quantity in one
// block: a function of (master seed, block index, name) only, never of the
// worker or of which other quantities exist (common random numbers).
func streamState(seed uint64, block int, nameKey uint64) uint64 {
	a := mix64(seed ^ mix64(uint64(block)+0x632be59bd9b4e019))
	return mix64(a ^ nameKey)
}

// seedStream seeds pcg with the stream of one named quantity in one block
// (see streamState), for designs that draw an unknown number of values.
func seedStream(pcg *rand.PCG, seed uint64, block int, nameKey uint64) {
	s := streamState(seed, block, nameKey)
	pcg.Seed(s, mix64(s^0xd1b54a32d192ed03))
}

// splitMix fills dst with the uniforms of the SplitMix64 generator whose
// state starts at s: dst[i] = uniform(mix64(s + i·golden)), which is the
// generator's (i+1)-th output. Each draw depends only on s and i, so a
// block's stream costs one multiply-xorshift scramble per draw.
func splitMix(dst []float64, s uint64) {
	for i := range dst {
		dst[i] = uniform(mix64(s))
		s += golden
	}
}

// uniform turns 64 random bits into a number in the open interval (0, 1).
func uniform(x uint64) float64 {
	return (float64(x>>11) + 0.5) * 0x1p-53
}
