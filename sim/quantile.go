package sim

import (
	"math"
	"slices"
)

// Quantiles returns the p-quantiles of x for each p in ps, by linear
// interpolation between order statistics (Hyndman–Fan type 7, the default of
// numpy, R and Excel's PERCENTILE.INC): h = (n−1)p,
// q = x₍⌊h⌋₎ + (h−⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎), with ±Inf sorting at the ends.
// x (float64, or float32 for the monthly bands) must not hold NaN and is
// not modified. It returns NaN for every p when x
// is empty.
//
// The order statistics are exact but found without sorting: one pass for the
// range, one that counts values into 2¹⁶ equal-width buckets, and one that
// gathers only the buckets that hold a wanted rank, which are then sorted.
func Quantiles[T float32 | float64](x []T, ps []float64) []float64 {
	return quantiles(x, len(x), ps)
}

// definedQuantiles is Quantiles of x's values that are not NaN, without
// copying them.
func definedQuantiles(x []float64, ps []float64) []float64 {
	n := 0
	for _, v := range x {
		if v == v {
			n++
		}
	}
	return quantiles(x, n, ps)
}

// quantiles is Quantiles of the n values of x that are not NaN.
func quantiles[T float32 | float64](x []T, n int, ps []float64) []float64 {
	out := make([]float64, len(ps))
	if n == 0 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	var ranks []int
	for _, p := range ps {
		h := float64(n-1) * p
		lo := int(math.Floor(h))
		ranks = append(ranks, lo)
		if lo+1 < n {
			ranks = append(ranks, lo+1)
		}
	}
	stat := orderStats(x, n, ranks)
	for i, p := range ps {
		h := float64(n-1) * p
		lo := int(math.Floor(h))
		f := h - float64(lo)
		a := stat[lo]
		if f == 0 || lo+1 >= n {
			out[i] = a
			continue
		}
		b := stat[lo+1]
		switch {
		case a == b:
			out[i] = a
		case math.IsInf(b, 1):
			out[i] = b
		case math.IsInf(a, -1):
			out[i] = a
		default:
			out[i] = a + f*(b-a)
		}
	}
	return out
}

const (
	bucketBits = 16
	numBuckets = 1 << bucketBits
	sortBelow  = 1 << 14 // smaller inputs are simply sorted
)

// orderStats returns the k-th smallest value (0-based) of the n values of x
// that are not NaN for every k in ranks.
func orderStats[T float32 | float64](x []T, n int, ranks []int) map[int]float64 {
	res := make(map[int]float64, len(ranks))
	if n < len(x) {
		return orderStatsInf(x, ranks, res)
	}
	if len(x) < sortBelow {
		s := slices.Clone(x)
		slices.Sort(s)
		for _, r := range ranks {
			res[r] = float64(s[r])
		}
		return res
	}
	// The range; the infinities are counted apart only if there are any.
	lo, hi := x[0], x[0]
	for _, v := range x {
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	if math.IsInf(float64(lo), 0) || math.IsInf(float64(hi), 0) {
		return orderStatsInf(x, ranks, res)
	}
	return orderStatsFinite(x, ranks, res, float64(lo), float64(hi), 0, len(x))
}

// orderStatsInf is orderStats for x with infinities or NaN: the infinities
// take the ranks at the ends, NaN none, and the finite values are selected
// among themselves.
func orderStatsInf[T float32 | float64](x []T, ranks []int, res map[int]float64) map[int]float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	negInf, posInf, nan := 0, 0, 0
	for _, xv := range x {
		v := float64(xv)
		switch {
		case v != v:
			nan++
		case math.IsInf(v, 1):
			posInf++
		case math.IsInf(v, -1):
			negInf++
		default:
			lo = min(lo, v)
			hi = max(hi, v)
		}
	}
	return orderStatsFinite(x, ranks, res, lo, hi, negInf, len(x)-negInf-posInf-nan)
}

// orderStatsFinite selects the ranks among the finite values of x, which lie
// in [lo, hi]; negInf values of x are −Inf and the rest beyond the finite
// ones +Inf or NaN. It puts the value of every rank in res.
func orderStatsFinite[T float32 | float64](x []T, ranks []int, res map[int]float64, lo, hi float64, negInf, finite int) map[int]float64 {
	inf := negInf > 0 || finite < len(x)
	var need []int // ranks among the finite values
	for _, r := range ranks {
		switch {
		case r < negInf:
			res[r] = math.Inf(-1)
		case r >= negInf+finite:
			res[r] = math.Inf(1)
		case lo == hi:
			res[r] = lo
		default:
			need = append(need, r-negInf)
		}
	}
	if len(need) == 0 {
		return res
	}
	scale := float64(numBuckets) / (hi - lo)
	if math.IsInf(scale, 0) || math.IsInf(hi-lo, 0) {
		// The range is too small or too large for equal-width buckets.
		s := make([]float64, 0, finite)
		for _, v := range x {
			if v-v == 0 {
				s = append(s, float64(v))
			}
		}
		slices.Sort(s)
		for _, r := range need {
			res[r+negInf] = s[r]
		}
		return res
	}
	bucket := func(v float64) int {
		return min(int((v-lo)*scale), numBuckets-1)
	}
	counts := make([]int32, numBuckets)
	if inf {
		for _, xv := range x {
			if v := float64(xv); v-v == 0 {
				counts[bucket(v)]++
			}
		}
	} else {
		for _, xv := range x {
			counts[bucket(float64(xv))]++
		}
	}
	// Which bucket holds each wanted rank, and the rank's place in it.
	// slot[b] is 1 + the index in gathered of bucket b's values, or 0: two
	// bytes a bucket keep the table small in the cache for the gathering pass.
	slot := make([]uint16, numBuckets)
	type want struct{ rank, bucket, within int }
	wants := make([]want, len(need))
	var gathered [][]float64
	slices.Sort(need)
	cum, b := 0, 0
	for i, r := range need {
		for cum+int(counts[b]) <= r {
			cum += int(counts[b])
			b++
		}
		wants[i] = want{r, b, r - cum}
		if slot[b] == 0 {
			slot[b] = uint16(len(gathered) + 1)
			gathered = append(gathered, make([]float64, 0, counts[b]))
		}
	}
	for _, xv := range x {
		v := float64(xv)
		if inf && v-v != 0 {
			continue
		}
		if s := slot[bucket(v)]; s != 0 {
			gathered[s-1] = append(gathered[s-1], v)
		}
	}
	for _, g := range gathered {
		slices.Sort(g)
	}
	for _, w := range wants {
		res[w.rank+negInf] = gathered[slot[w.bucket]-1][w.within]
	}
	return res
}
