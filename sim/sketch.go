package sim

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// sketchBits is the number of mantissa bits an output's sketch bucket keeps:
// a bucket spans at most 2^−11 of its values' distance to the sketch's
// centre (and at most 2^−11 of the floor δ near the centre). bandBits is the
// months' (the bands'): 2^−8, for eight times fewer buckets, which a block's
// values find in the cache.
const (
	sketchBits = 11
	bandBits   = 8
)

// BandError is SketchError for the bands' sketches: a band's percentile is
// within BandError · max(|q − c|, δ) of the exact one.
const BandError = 0x1p-8

// SketchError is the sketch's bound on a percentile's error, relative to the
// distance of the percentile from the sketch's centre c (or to the floor δ,
// whichever is larger): |q̂ − q| ≤ SketchError · max(|q − c|, δ). See Sketch.
const SketchError = 0x1p-11

// sketchFloorShift places the floor δ below the pilot's spread: δ is the
// power of two in (s/32, s/16] for the pilot's spread s.
const sketchFloorShift = 4

const (
	chunkBits = 8
	chunkLen  = 1 << chunkBits // buckets per allocated chunk
)

// Sketch is a mergeable quantile sketch with an error bound that holds for
// any distribution. It histograms the distances y = x − c of the values from
// a centre c: log-linear buckets (a binade of |y| split into 2^b equal
// buckets, b = Bits: 11 for the outputs, 8 for the bands) for |y| ≥ δ, and
// 2^b equal buckets of width δ·2^−b for |y| < δ, counted separately for
// either sign, with exact counts of the values equal to c and of the
// infinities. A percentile read from the sketch is within
// 2^−b·max(|q − c|, δ) (SketchError, BandError) of the percentile q of the
// values added (and usually much closer: a bucket reports its smallest value
// exactly, then the mean of its values), whatever their distribution; with c
// and δ taken from a pilot of the same distribution (pilotOf), that is a
// small fraction of its spread. The zero Sketch has c = 0 and no floor (a
// relative accuracy 2^−11 for any magnitude, down to the smallest
// subnormal).
//
// Merging adds integer counts (and takes minima), so a sketch never depends on
// the order of additions: any number of workers or shards gives the same
// sketch. Sketches merge only with sketches of the same c, δ and b. Memory
// grows with the number of buckets the values touch (4 KiB per 256), not
// with their number.
type Sketch struct {
	Centre   float64 // c
	Delta    float64 // δ: 0, or a power of two
	Bits     int     // the mantissa bits of a bucket: sketchBits, or bandBits
	binade   uint64  // 2^Bits: buckets per binade
	base     uint64  // the bucket bits of δ (log buckets are counted from it)
	scale    float64 // 2^Bits/δ: a linear bucket's index per unit of |y|
	Atoms    []atom  // at most maxAtoms, one per bucket
	Pos, Neg Buckets
	Zero     int64 // x = c
	PosInf   int64
	NegInf   int64
}

// maxAtoms is the most atoms a sketch counts apart.
const maxAtoms = 4

// atom is a value that a sketch counts exactly: the pilot holds it more than
// once. The values of its bucket farther from the centre than it are counted
// apart (Above), so that the atom's rank is exact too.
type atom struct {
	Value float64
	Neg   bool    // below the centre
	I     uint64  // its bucket
	D     float64 // its distance from the centre
	N     int64
	Above bucket
}

// grid is what sketches of one column share: centre, floor, bucket
// mantissa bits (0: sketchBits) and atoms.
type grid struct {
	Centre, Delta float64
	Bits          int
	Atoms         []float64
}

// bits is g's bucket mantissa bits.
func (g grid) bits() int {
	if g.Bits == 0 {
		return sketchBits
	}
	return g.Bits
}

// newSketch returns an empty sketch on grid g: centre c, floor δ (0, or a
// power of two between 2^−1000 and 2^1023) and atoms (none equal to c, at
// most one per bucket: a later one sharing a bucket is not counted apart).
func newSketch(g grid) Sketch {
	s := Sketch{Centre: g.Centre, Delta: g.Delta, Bits: g.bits()}
	s.binade = 1 << s.Bits
	if g.Delta > 0 {
		s.base = math.Float64bits(g.Delta) >> (52 - s.Bits)
		s.scale = float64(s.binade) / g.Delta
	}
next:
	for _, v := range g.Atoms {
		y := v - s.Centre
		if y == 0 || len(s.Atoms) == maxAtoms {
			continue
		}
		a := atom{Value: v, Neg: y < 0, D: min(math.Abs(y), math.MaxFloat64)}
		a.I, _ = s.index(a.D)
		for _, o := range s.Atoms {
			if o.Neg == a.Neg && o.I == a.I {
				continue next
			}
		}
		s.Atoms = append(s.Atoms, a)
	}
	return s
}

// grid returns s's grid.
func (s *Sketch) grid() grid {
	g := grid{Centre: s.Centre, Delta: s.Delta, Bits: s.Bits}
	for _, a := range s.Atoms {
		g.Atoms = append(g.Atoms, a.Value)
	}
	return g
}

// pilotOf returns the centre and floor of the sketches of a column from its
// pilot values (the first block's, which every process computes alike): c is
// the pilot's median (an order statistic, so one of its values), δ the power
// of two in (s/32, s/16] for its spread s: the interquartile range, or where
// that is 0 the P5–P95 range, the full range, or |c|; δ is at least 2^−1000
// (with no spread at all, the accuracy is relative to |x − c|). Values that
// are not finite are left out of the pilot.
//
// The atoms are the values the pilot holds more than once (the most frequent
// first, at most maxAtoms): an output with atoms, such as ROI = −1 where a
// project is cancelled, reports them exactly with their exact ranks.
func pilotOf(vals []float64) grid {
	c, delta, x := pilotScale(vals)
	g := grid{Centre: c, Delta: delta}
	type run struct {
		v float64
		n int
	}
	var runs []run
	for i := 0; i < len(x); {
		j := i + 1
		for j < len(x) && x[j] == x[i] {
			j++
		}
		if j-i > 1 && x[i] != c {
			runs = append(runs, run{x[i] + 0, j - i})
		}
		i = j
	}
	slices.SortStableFunc(runs, func(a, b run) int { return b.n - a.n })
	for _, r := range runs[:min(len(runs), maxAtoms)] {
		g.Atoms = append(g.Atoms, r.v)
	}
	return g
}

// pilotScale returns the centre and floor of pilotOf, and the pilot's finite
// values sorted.
func pilotScale(vals []float64) (c, delta float64, x []float64) {
	x = make([]float64, 0, len(vals))
	for _, v := range vals {
		if v-v == 0 {
			x = append(x, v)
		}
	}
	if len(x) == 0 {
		return 0, 0x1p-1000, x
	}
	slices.Sort(x)
	n := len(x)
	at := func(p float64) float64 { return x[int(p*float64(n-1)+0.5)] }
	c = x[(n-1)/2] + 0 // not −0, which gob does not keep
	s := 0.0
	for _, d := range []float64{at(0.75) - at(0.25), at(0.95) - at(0.05), x[n-1] - x[0], math.Abs(c)} {
		if d > 0 && d-d == 0 {
			s = d
			break
		}
	}
	if s == 0 {
		return c, 0x1p-1000, x
	}
	_, e := math.Frexp(s) // s ∈ [2^(e−1), 2^e)
	e = min(max(e-1-sketchFloorShift, -1000), 1023)
	return c, math.Ldexp(1, e), x
}

// Buckets are the buckets of one sign, allocated 256 at a time where values
// fall, found by arithmetic on their index (no map, no search).
type Buckets struct {
	chunks []*chunk // by bucket index / 256, grown on first use
}

// chunkOf returns the chunk holding bucket i, or nil (allocating it when alloc).
func (b *Buckets) chunkOf(i uint64, alloc bool) *chunk {
	j := i >> chunkBits
	if j >= uint64(len(b.chunks)) {
		if !alloc {
			return nil
		}
		b.chunks = append(b.chunks, make([]*chunk, int(j)+1-len(b.chunks))...)
	}
	c := b.chunks[j]
	if c == nil && alloc {
		c = new(chunk)
		b.chunks[j] = c
	}
	return c
}

// chunk holds 256 buckets. Per bucket: the count, and the sum of its values'
// positions inside the bucket in units of 2^−32 of its width (an integer, so
// sums do not depend on the order of additions); a bucket reports the mean
// of its values for each of its ranks. Both fields merge by addition: order
// does not matter. (Atoms are counted apart, exactly: Sketch.Atoms.)
type chunk [chunkLen]bucket

type bucket struct {
	Count int64
	Frac  uint64
}

// Buckets 0 … 2^11−1 are the linear ones below δ (none when δ = 0); bucket
// 2^11 + j is the j-th log-linear bucket from δ up (from 0 when δ = 0).

// index returns the bucket of distance a (≥ 0, finite) and a's position in
// it, in 2^−32 of its width.
func (s *Sketch) index(a float64) (i, frac uint64) {
	if a < s.Delta {
		u := a * s.scale
		i = uint64(u)
		if i >= s.binade { // by rounding
			i = s.binade - 1
		}
		return i, uint64((u - float64(i)) * 0x1p32)
	}
	bits := math.Float64bits(a)
	return bits>>(52-s.Bits) - s.base + s.binade, (bits >> (52 - s.Bits - 32)) & (1<<32 - 1)
}

// bounds are the distances where bucket i starts and ends.
func (s *Sketch) bounds(i uint64) (lo, hi float64) {
	if n := s.binade; i < n {
		return s.Delta * float64(i) / float64(n), s.Delta * float64(i+1) / float64(n)
	}
	j := i - s.binade + s.base
	return math.Float64frombits(j << (52 - s.Bits)), math.Float64frombits((j + 1) << (52 - s.Bits))
}

// addCount adds n values whose positions sum to frac to bucket i.
func (b *Buckets) addCount(i uint64, n int64, frac uint64) {
	k := &b.chunkOf(i, true)[i&(chunkLen-1)]
	k.Count += n
	k.Frac += frac
}

// value is the value a bucket k of one side (neg: the negative one)
// reports, its values' distances lying in [lo, hi]: their mean.
func (s *Sketch) value(k *bucket, neg bool, lo, hi float64) float64 {
	hi = min(hi, math.MaxFloat64)
	f := float64(k.Frac) / float64(k.Count) * 0x1p-32
	d := min(max(lo+f*(hi-lo), lo), hi)
	if neg {
		return s.Centre - d
	}
	return s.Centre + d
}

// possible reports whether k could be a bucket: a count within the run's, a
// sum of positions within the bucket's.
func possible(k bucket) bool {
	return k.Count >= 1 && k.Count <= maxPartIterations && k.Frac <= uint64(k.Count)<<32
}

// visit calls f for every non-empty bucket, in increasing distance (or
// decreasing with down), until f returns false.
func (b *Buckets) visit(down bool, f func(i uint64, k *bucket) bool) {
	for q := range b.chunks {
		if down {
			q = len(b.chunks) - 1 - q
		}
		c := b.chunks[q]
		if c == nil {
			continue
		}
		for j := range c {
			if down {
				j = chunkLen - 1 - j
			}
			if k := &c[j]; k.Count != 0 && !f(uint64(q)<<chunkBits|uint64(j), k) {
				return
			}
		}
	}
}

// each calls f for every non-empty bucket in increasing distance, until f returns false.
func (b *Buckets) each(f func(i uint64, n int64) bool) {
	b.visit(false, func(i uint64, k *bucket) bool { return f(i, k.Count) })
}

func (b *Buckets) merge(o *Buckets) {
	o.visit(false, func(i uint64, k *bucket) bool {
		b.addCount(i, k.Count, k.Frac)
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
	for j := range s.Atoms {
		if x == s.Atoms[j].Value {
			s.Atoms[j].N++
			return
		}
	}
	y := x - s.Centre
	switch {
	case y > 0:
		if x > math.MaxFloat64 {
			s.PosInf++
			return
		}
		y = min(y, math.MaxFloat64) // x − c may overflow
		i, f := s.index(y)
		if s.Atoms != nil && s.above(false, i, y, f) {
			return
		}
		s.Pos.addCount(i, 1, f)
	case y < 0:
		if x < -math.MaxFloat64 {
			s.NegInf++
			return
		}
		y = min(-y, math.MaxFloat64)
		i, f := s.index(y)
		if s.Atoms != nil && s.above(true, i, y, f) {
			return
		}
		s.Neg.addCount(i, 1, f)
	default: // x = c
		s.Zero++
	}
}

// AddValues counts the values xs (none NaN), as Add each would: for a
// block of values at once, with the bucket found by arithmetic, the side by
// the sign bit (no branch to mispredict on values either side of the centre)
// and no call per value. Values Add handles specially (the centre itself,
// infinities, distances that overflow, atoms, a bucket not yet allocated)
// take Add's path.
func (s *Sketch) AddValues(xs []float64) { addValues(s, xs) }

// addValues is AddValues for float64 values or float32 ones (the months').
func addValues[T float32 | float64](s *Sketch, xs []T) {
	if len(s.Atoms) > 0 {
		for _, x := range xs {
			s.Add(float64(x))
		}
		return
	}
	c, delta, scale, base, n := s.Centre, s.Delta, s.scale, s.base, s.binade
	shift := uint(52 - s.Bits)
	sides := [2]*Buckets{&s.Pos, &s.Neg}
	for _, xv := range xs {
		x := float64(xv)
		y := x - c
		a := math.Abs(y)
		if a == 0 || a-a != 0 {
			s.Add(x)
			continue
		}
		var i, f uint64
		if a < delta {
			u := a * scale
			i = uint64(int64(u))
			if i >= n { // by rounding
				i = n - 1
			}
			f = uint64(int64((u - float64(int64(i))) * 0x1p32))
		} else {
			bits := math.Float64bits(a)
			i, f = bits>>shift-base+n, (bits>>(shift-32))&(1<<32-1)
		}
		b := sides[math.Float64bits(y)>>63]
		if j := i >> chunkBits; j < uint64(len(b.chunks)) && b.chunks[j] != nil {
			k := &b.chunks[j][i&(chunkLen-1)]
			k.Count++
			k.Frac += f
			continue
		}
		b.addCount(i, 1, f)
	}
}

// above counts a value at distance d, position f, in bucket i of one side,
// when it is farther than an atom of that bucket.
func (s *Sketch) above(neg bool, i uint64, d float64, f uint64) bool {
	for j := range s.Atoms {
		if a := &s.Atoms[j]; a.I == i && a.Neg == neg && d > a.D {
			a.Above.Count++
			a.Above.Frac += f
			return true
		}
	}
	return false
}

// sameGrid reports whether g is s's grid.
func (s *Sketch) sameGrid(g grid) bool {
	if math.Float64bits(s.Centre) != math.Float64bits(g.Centre) || s.Delta != g.Delta || s.Bits != g.bits() || len(s.Atoms) != len(g.Atoms) {
		return false
	}
	for j, a := range s.Atoms {
		if math.Float64bits(a.Value) != math.Float64bits(g.Atoms[j]) {
			return false
		}
	}
	return true
}

// Merge adds the counts of o, which must have the same grid, to s.
func (s *Sketch) Merge(o *Sketch) {
	if !s.sameGrid(o.grid()) {
		panic(fmt.Sprintf("sim: merging sketches of grids %v and %v", s.grid(), o.grid()))
	}
	for j := range s.Atoms {
		a, b := &s.Atoms[j], &o.Atoms[j]
		a.N += b.N
		a.Above.Count += b.Above.Count
		a.Above.Frac += b.Above.Frac
	}
	s.Pos.merge(&o.Pos)
	s.Neg.merge(&o.Neg)
	s.Zero += o.Zero
	s.PosInf += o.PosInf
	s.NegInf += o.NegInf
}

// Count is the number of values added.
func (s *Sketch) Count() int64 {
	n := s.Zero + s.PosInf + s.NegInf + s.Pos.count() + s.Neg.count()
	for _, a := range s.Atoms {
		n += a.N + a.Above.Count
	}
	return n
}

// segment is a run of a sketch's values in increasing order: a bucket (its
// values by rank, all reported as one value), an atom, or the infinities.
type segment struct {
	n   int64
	v   float64 // the value of every rank in the run
	key uint64  // the bucket, for ordering
	sub int     // within a bucket, by distance: 0 the bucket, 1 an atom, 2 beyond it
}

// walk calls f with s's segments in increasing order of their values, until
// f returns false, without gathering them (a sketch of 10⁶ values has some
// 10⁵ buckets).
func (s *Sketch) walk(f func(g segment) bool) {
	if !f(segment{n: s.NegInf, v: math.Inf(-1)}) || !s.walkSide(&s.Neg, true, f) ||
		!f(segment{n: s.Zero, v: s.Centre}) || !s.walkSide(&s.Pos, false, f) {
		return
	}
	f(segment{n: s.PosInf, v: math.Inf(1)})
}

// walkSide calls f with the segments of one side in increasing order of
// their values (of distances for the positive side, decreasing ones for the
// negative), the atoms' among the buckets'; false when f stopped it.
func (s *Sketch) walkSide(b *Buckets, neg bool, f func(g segment) bool) bool {
	var extra []segment // the atoms of the side, and the values beyond them in their buckets
	for j := range s.Atoms {
		a := &s.Atoms[j]
		if a.Neg != neg {
			continue
		}
		extra = append(extra, segment{n: a.N, key: a.I, sub: 1, v: a.Value})
		if a.Above.Count > 0 {
			_, hi := s.bounds(a.I)
			extra = append(extra, segment{n: a.Above.Count, key: a.I, sub: 2, v: s.value(&a.Above, neg, a.D, hi)})
		}
	}
	slices.SortFunc(extra, func(x, y segment) int {
		if x.key != y.key {
			return cmp.Compare(x.key, y.key)
		}
		return x.sub - y.sub
	})
	if neg {
		slices.Reverse(extra)
	}
	e, ok := 0, true
	b.visit(neg, func(i uint64, k *bucket) bool {
		// Going up, a bucket comes before its atom; going down, after it.
		for e < len(extra) && (!neg && extra[e].key < i || neg && extra[e].key >= i) {
			if ok = f(extra[e]); !ok {
				return false
			}
			e++
		}
		lo, hi := s.bounds(i)
		ok = f(segment{n: k.Count, key: i, v: s.value(k, neg, lo, hi)})
		return ok
	})
	for ; ok && e < len(extra); e++ {
		ok = f(extra[e])
	}
	return ok
}

// orderStats returns the approximate k-th smallest value (0-based) for every
// k of ranks (+Inf beyond the values), in one walk.
func (s *Sketch) orderStats(ranks []int64) map[int64]float64 {
	ranks = slices.Clone(ranks)
	slices.Sort(ranks)
	res := make(map[int64]float64, len(ranks))
	var before int64 // values in the segments walked
	s.walk(func(g segment) bool {
		for len(ranks) > 0 && ranks[0] < before+g.n {
			res[ranks[0]] = g.v
			ranks = ranks[1:]
		}
		before += g.n
		return len(ranks) > 0
	})
	for _, k := range ranks {
		res[k] = math.Inf(1)
	}
	return res
}

// Quantiles returns the type-7 quantiles at ps from the sketch, within
// SketchError·max(|q − c|, δ) of those q of the values added; lo and hi (the
// exact extremes, known from the moments) clamp the result.
func (s *Sketch) Quantiles(ps []float64, lo, hi float64) []float64 {
	n := s.Count()
	var ranks []int64
	for _, p := range ps {
		k := int64(math.Floor(float64(n-1) * p))
		ranks = append(ranks, k, k+1)
	}
	stat := s.orderStats(ranks)
	out := make([]float64, len(ps))
	for i, p := range ps {
		if n == 0 {
			out[i] = math.NaN()
			continue
		}
		h := float64(n-1) * p
		k := int64(math.Floor(h))
		a := stat[k]
		switch { // the exact extremes
		case k == 0 && !math.IsInf(lo, 0):
			a = lo
		case k == n-1 && !math.IsInf(hi, 0):
			a = hi
		}
		q := a
		if f := h - float64(k); f > 0 && k+1 < n {
			switch b := stat[k+1]; {
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
