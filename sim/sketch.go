package sim

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// sketchBits is the number of mantissa bits a sketch bucket keeps: a bucket
// spans at most 2^−11 of its values' distance to the sketch's centre (and at
// most 2^−11 of the floor δ near the centre).
const sketchBits = 11

// SketchError is the sketch's bound on a percentile's error, relative to the
// distance of the percentile from the sketch's centre c (or to the floor δ,
// whichever is larger): |q̂ − q| ≤ SketchError · max(|q − c|, δ). See Sketch.
const SketchError = 0x1p-11

// sketchFloorShift places the floor δ below the pilot's spread: δ is the
// power of two in (s/32, s/16] for the pilot's spread s.
const sketchFloorShift = 4

const (
	binadeLen  = 1 << sketchBits // buckets per binade
	numBinades = 1<<11 + 1       // the float64 exponents, after the floor's binade
	chunkBits  = 8
	chunkLen   = 1 << chunkBits       // buckets per allocated chunk
	perBinade  = binadeLen / chunkLen // chunks per binade
	fracShift  = 52 - sketchBits - 32 // the bits below a fraction's 32
)

// Sketch is a mergeable quantile sketch with an error bound that holds for
// any distribution. It histograms the distances y = x − c of the values from
// a centre c: log-linear buckets (a binade of |y| split into 2^11 equal
// buckets) for |y| ≥ δ, and 2^11 equal buckets of width δ·2^−11 for |y| < δ,
// counted separately for either sign, with exact counts of the values equal
// to c and of the infinities. A percentile read from the sketch is within
// SketchError·max(|q − c|, δ) of the percentile q of the values added (and
// usually much closer: a bucket reports its smallest value exactly, then the
// mean of its values), whatever their distribution; with c and δ taken from a
// pilot of the same distribution (pilotOf), that is a small fraction of its
// spread. The zero Sketch has c = 0 and no floor (a relative accuracy 2^−11
// for any magnitude, down to the smallest subnormal).
//
// Merging adds integer counts (and takes minima), so a sketch never depends on
// the order of additions: any number of workers or shards gives the same
// sketch. Sketches merge only with sketches of the same c and δ. Memory grows
// with the number of buckets the values touch (8 KiB per 256), not with their
// number.
type Sketch struct {
	Centre   float64 // c
	Delta    float64 // δ: 0, or a power of two
	base     uint64  // the bucket bits of δ (log buckets are counted from it)
	scale    float64 // 2^11/δ: a linear bucket's index per unit of |y|
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

// grid is what sketches of one column share: centre, floor and atoms.
type grid struct {
	Centre, Delta float64
	Atoms         []float64
}

// newSketch returns an empty sketch on grid g: centre c, floor δ (0, or a
// power of two between 2^−1000 and 2^1023) and atoms (none equal to c, at
// most one per bucket: a later one sharing a bucket is not counted apart).
func newSketch(g grid) Sketch {
	s := Sketch{Centre: g.Centre, Delta: g.Delta}
	if g.Delta > 0 {
		s.base = math.Float64bits(g.Delta) >> (52 - sketchBits)
		s.scale = binadeLen / g.Delta
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
	g := grid{Centre: s.Centre, Delta: s.Delta}
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
		if i >= binadeLen { // by rounding
			i = binadeLen - 1
		}
		return i, uint64((u - float64(i)) * 0x1p32)
	}
	bits := math.Float64bits(a)
	return bits>>(52-sketchBits) - s.base + binadeLen, (bits >> fracShift) & (1<<32 - 1)
}

// bounds are the distances where bucket i starts and ends.
func (s *Sketch) bounds(i uint64) (lo, hi float64) {
	if i < binadeLen {
		return s.Delta * float64(i) / binadeLen, s.Delta * float64(i+1) / binadeLen
	}
	j := i - binadeLen + s.base
	return math.Float64frombits(j << (52 - sketchBits)), math.Float64frombits((j + 1) << (52 - sketchBits))
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
	if math.Float64bits(s.Centre) != math.Float64bits(g.Centre) || s.Delta != g.Delta || len(s.Atoms) != len(g.Atoms) {
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
// values by rank), an atom, or the infinities.
type segment struct {
	n   int64
	at  func(r int64) float64 // the value of rank r (0-based, increasing) in the run
	key uint64                // the bucket, for ordering
	sub int                   // within a bucket, by distance: 0 the bucket, 1 an atom, 2 beyond it
}

// segments returns s's values as runs in increasing order.
func (s *Sketch) segments() []segment {
	var segs []segment
	side := func(b *Buckets, neg bool) []segment {
		var out []segment
		b.visit(false, func(i uint64, k *bucket) bool {
			lo, hi := s.bounds(i)
			v := s.value(k, neg, lo, hi)
			out = append(out, segment{n: k.Count, key: i, at: func(int64) float64 { return v }})
			return true
		})
		for j := range s.Atoms {
			a := &s.Atoms[j]
			if a.Neg != neg {
				continue
			}
			v := a.Value
			out = append(out, segment{n: a.N, key: a.I, sub: 1, at: func(int64) float64 { return v }})
			if a.Above.Count > 0 {
				_, hi := s.bounds(a.I)
				v := s.value(&a.Above, neg, a.D, hi)
				out = append(out, segment{n: a.Above.Count, key: a.I, sub: 2, at: func(int64) float64 { return v }})
			}
		}
		slices.SortFunc(out, func(x, y segment) int {
			if x.key != y.key {
				return cmp.Compare(x.key, y.key)
			}
			return x.sub - y.sub
		})
		return out
	}
	constant := func(n int64, v float64) segment { return segment{n: n, at: func(int64) float64 { return v }} }
	segs = append(segs, constant(s.NegInf, math.Inf(-1)))
	neg := side(&s.Neg, true)
	slices.Reverse(neg)
	segs = append(segs, neg...)
	segs = append(segs, constant(s.Zero, s.Centre))
	segs = append(segs, side(&s.Pos, false)...)
	segs = append(segs, constant(s.PosInf, math.Inf(1)))
	return segs
}

// orderStat returns the approximate k-th smallest value (0-based) from the
// sketch's segments.
func orderStat(segs []segment, k int64) float64 {
	for _, g := range segs {
		if k < g.n {
			return g.at(k)
		}
		k -= g.n
	}
	return math.Inf(1)
}

// Quantiles returns the type-7 quantiles at ps from the sketch, within
// SketchError·max(|q − c|, δ) of those q of the values added; lo and hi (the
// exact extremes, known from the moments) clamp the result.
func (s *Sketch) Quantiles(ps []float64, lo, hi float64) []float64 {
	n := s.Count()
	segs := s.segments()
	out := make([]float64, len(ps))
	for i, p := range ps {
		if n == 0 {
			out[i] = math.NaN()
			continue
		}
		h := float64(n-1) * p
		k := int64(math.Floor(h))
		a := orderStat(segs, k)
		switch { // the exact extremes
		case k == 0 && !math.IsInf(lo, 0):
			a = lo
		case k == n-1 && !math.IsInf(hi, 0):
			a = hi
		}
		q := a
		if f := h - float64(k); f > 0 && k+1 < n {
			switch b := orderStat(segs, k+1); {
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
