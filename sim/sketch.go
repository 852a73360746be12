package sim

import "math"

// sketchBits is the number of mantissa bits a sketch bucket keeps: a bucket
// spans 2^−11 of its values' magnitude, so a quantile read from a sketch is
// within a relative 2^−11 ≈ 4.9e-4 of an order statistic of the sample (and
// usually much closer: a bucket reports the mean of its values).
const sketchBits = 11

// sketchTiny is the magnitude below which a value counts as zero in a sketch.
const sketchTiny = 0x1p-30

const (
	binadeLen  = 1 << sketchBits // buckets per binade
	numBinades = 1 << 11         // the float64 exponents
	chunkBits  = 8
	chunkLen   = 1 << chunkBits       // buckets per allocated chunk
	perBinade  = binadeLen / chunkLen // chunks per binade
)

// Sketch is a mergeable quantile sketch with bounded relative error: a
// log-linear histogram of the values (the bucket is the float's exponent and
// its top sketchBits mantissa bits), counted separately for negative and
// positive values, with exact counts of zeros and infinities. Merging adds
// integer counts, so a sketch never depends on the order of additions: any
// number of workers or shards gives the same sketch. Memory grows with the
// number of buckets the values touch (8 KiB per 256), not with their number.
type Sketch struct {
	Pos, Neg Buckets
	Zero     int64 // |x| < sketchTiny
	PosInf   int64
	NegInf   int64
}

// Buckets are the buckets of one sign, allocated 256 at a time where values fall.
type Buckets struct {
	binades []*[perBinade]*chunk // by binade, allocated on first use
}

// chunkOf returns the chunk holding bucket i, or nil (allocating it when alloc).
func (b *Buckets) chunkOf(i uint64, alloc bool) *chunk {
	if b.binades == nil {
		if !alloc {
			return nil
		}
		b.binades = make([]*[perBinade]*chunk, numBinades)
	}
	bin := b.binades[i>>sketchBits]
	if bin == nil {
		if !alloc {
			return nil
		}
		bin = new([perBinade]*chunk)
		b.binades[i>>sketchBits] = bin
	}
	c := bin[(i>>chunkBits)&(perBinade-1)]
	if c == nil && alloc {
		c = new(chunk)
		bin[(i>>chunkBits)&(perBinade-1)] = c
	}
	return c
}

// chunk holds one binade's buckets. Per bucket: the count; the sum of its
// values' positions inside the bucket in units of 2^−32 of its width (an
// integer, so sums do not depend on the order of additions); the smallest
// magnitude and how many values equal it. A bucket reports its smallest
// value exactly for as many ranks as it occurs (so an atom such as ROI = −1 of
// cancelled projects is reported exactly) and the mean of the others after.
// Every field merges by addition or minimum: order does not matter.
type chunk [chunkLen]bucket

type bucket struct {
	Count int64
	Frac  uint64
	Min   float64
	AtMin int64
}

// bucketBounds are the magnitudes where bucket i starts and ends.
func bucketBounds(i uint64) (lo, hi float64) {
	return math.Float64frombits(i << (52 - sketchBits)), math.Float64frombits((i + 1) << (52 - sketchBits))
}

// fracOf is the position of magnitude a inside its bucket, in 2^−32 of the
// bucket's width: the 32 mantissa bits after the bucket's own.
func fracOf(a float64) uint64 { return (math.Float64bits(a) >> (52 - sketchBits - 32)) & (1<<32 - 1) }

func (b *Buckets) add(a float64) {
	i := math.Float64bits(a) >> (52 - sketchBits)
	b.addCount(i, 1, fracOf(a), a, 1)
}

func (b *Buckets) addCount(i uint64, n int64, frac uint64, lowest float64, atLowest int64) {
	k := &b.chunkOf(i, true)[i&(chunkLen-1)]
	switch {
	case k.Count == 0 || lowest < k.Min:
		k.Min, k.AtMin = lowest, atLowest
	case lowest == k.Min:
		k.AtMin += atLowest
	}
	k.Count += n
	k.Frac += frac
}

// value is the magnitude reported for rank r (0-based, by increasing
// magnitude) among the n values of bucket i.
func (b *Buckets) value(i uint64, n, r int64) float64 {
	k := &b.chunkOf(i, false)[i&(chunkLen-1)]
	if r < k.AtMin || n == k.AtMin {
		return k.Min
	}
	lo, hi := bucketBounds(i)
	rest := k.Frac - uint64(k.AtMin)*fracOf(k.Min)
	f := float64(rest) / float64(n-k.AtMin) * 0x1p-32
	return max(lo+f*(hi-lo), k.Min)
}

// visit calls f for every non-empty bucket, in increasing magnitude (or
// decreasing with down), until f returns false.
func (b *Buckets) visit(down bool, f func(i uint64, k *bucket) bool) {
	for e := range b.binades {
		if down {
			e = len(b.binades) - 1 - e
		}
		bin := b.binades[e]
		if bin == nil {
			continue
		}
		for q := range bin {
			if down {
				q = perBinade - 1 - q
			}
			c := bin[q]
			if c == nil {
				continue
			}
			for j := range c {
				if down {
					j = chunkLen - 1 - j
				}
				if k := &c[j]; k.Count != 0 && !f(uint64(e)<<sketchBits|uint64(q)<<chunkBits|uint64(j), k) {
					return
				}
			}
		}
	}
}

// each calls f for every non-empty bucket in increasing magnitude, until f returns false.
func (b *Buckets) each(f func(i uint64, n int64) bool) {
	b.visit(false, func(i uint64, k *bucket) bool { return f(i, k.Count) })
}

// eachDown is each in decreasing magnitude.
func (b *Buckets) eachDown(f func(i uint64, n int64) bool) {
	b.visit(true, func(i uint64, k *bucket) bool { return f(i, k.Count) })
}

func (b *Buckets) merge(o *Buckets) {
	o.visit(false, func(i uint64, k *bucket) bool {
		b.addCount(i, k.Count, k.Frac, k.Min, k.AtMin)
		return true
	})
}

func (b *Buckets) count() int64 {
	var n int64
	b.each(func(_ uint64, c int64) bool { n += c; return true })
	return n
}

// Add counts one value; NaN must be filtered by the caller.
func (s *Sketch) Add(x float64) {
	switch {
	case x >= sketchTiny:
		if x > math.MaxFloat64 {
			s.PosInf++
			return
		}
		s.Pos.add(x)
	case x <= -sketchTiny:
		if x < -math.MaxFloat64 {
			s.NegInf++
			return
		}
		s.Neg.add(-x)
	default:
		s.Zero++
	}
}

// Merge adds the counts of o to s.
func (s *Sketch) Merge(o *Sketch) {
	s.Pos.merge(&o.Pos)
	s.Neg.merge(&o.Neg)
	s.Zero += o.Zero
	s.PosInf += o.PosInf
	s.NegInf += o.NegInf
}

// Count is the number of values added.
func (s *Sketch) Count() int64 {
	return s.Zero + s.PosInf + s.NegInf + s.Pos.count() + s.Neg.count()
}

// orderStat returns the approximate k-th smallest value (0-based).
func (s *Sketch) orderStat(k int64) float64 {
	if k < s.NegInf {
		return math.Inf(-1)
	}
	k -= s.NegInf
	v, found := 0.0, false
	s.Neg.eachDown(func(i uint64, n int64) bool {
		if k < n {
			v, found = -s.Neg.value(i, n, n-1-k), true
			return false
		}
		k -= n
		return true
	})
	if found {
		return v
	}
	if k < s.Zero {
		return 0
	}
	k -= s.Zero
	s.Pos.each(func(i uint64, n int64) bool {
		if k < n {
			v, found = s.Pos.value(i, n, k), true
			return false
		}
		k -= n
		return true
	})
	if found {
		return v
	}
	return math.Inf(1)
}

// Quantiles returns the type-7 quantiles at ps from the sketch, within the
// sketch's relative accuracy of those of the values added; lo and hi (the
// exact extremes, known from the moments) clamp the result.
func (s *Sketch) Quantiles(ps []float64, lo, hi float64) []float64 {
	n := s.Count()
	out := make([]float64, len(ps))
	for i, p := range ps {
		if n == 0 {
			out[i] = math.NaN()
			continue
		}
		h := float64(n-1) * p
		k := int64(math.Floor(h))
		a := s.orderStat(k)
		q := a
		if f := h - float64(k); f > 0 && k+1 < n {
			switch b := s.orderStat(k + 1); {
			case a == b:
			case math.IsInf(a, -1):
			case math.IsInf(b, 1):
				q = b
			default:
				q = a + f*(b-a)
			}
		}
		if !math.IsInf(q, 0) {
			q = min(max(q, lo), hi)
		}
		out[i] = q
	}
	return out
}
