package sim

import "math/rand/v2"

// mix64 is the SplitMix64 finaliser: a bijective scramble of 64 bits.
func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
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

// seedStream seeds pcg for the stream of one named quantity in one block: the
// draws depend on (master seed, block index, name) only, never on the worker
// or on which other quantities exist (common random numbers).
func seedStream(pcg *rand.PCG, seed uint64, block int, nameKey uint64) {
	a := mix64(seed ^ mix64(uint64(block)+0x632be59bd9b4e019))
	b := mix64(a ^ nameKey)
	pcg.Seed(b, mix64(b^0xd1b54a32d192ed03))
}

// uniform turns 64 random bits into a number in the open interval (0, 1).
func uniform(x uint64) float64 {
	return (float64(x>>11) + 0.5) * 0x1p-53
}
