package sim

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// sketchCases are samples of distributions that the former relative-error
// sketch answered badly (a small spread relative to the level, values below
// 2^−30), atoms, and others: each a function of a generator.
var sketchCases = []struct {
	name string
	draw func(r *rand.Rand) float64
	rank bool // unimodal, continuous: the rank error is small too
}{
	{"normal(100, 0.1)", func(r *rand.Rand) float64 { return 100 + 0.1*r.NormFloat64() }, true},
	{"normal(5e6, 2e4)", func(r *rand.Rand) float64 { return 5e6 + 2e4*r.NormFloat64() }, true},
	{"normal(0, 1e-9)", func(r *rand.Rand) float64 { return 1e-9 * r.NormFloat64() }, true},
	{"normal(1e-12, 1e-14)", func(r *rand.Rand) float64 { return 1e-12 + 1e-14*r.NormFloat64() }, true},
	{"normal(-3e9, 1)", func(r *rand.Rand) float64 { return -3e9 + r.NormFloat64() }, true},
	{"roi with cancellations (atom at -1)", func(r *rand.Rand) float64 {
		if r.Float64() < 0.3 {
			return -1
		}
		return math.Exp(0.5 * r.NormFloat64())
	}, false},
	{"atom at the median (0 w.p. 0.6)", func(r *rand.Rand) float64 {
		if r.Float64() < 0.6 {
			return 0
		}
		return 1e6 * r.ExpFloat64()
	}, false},
	{"atom inside a bucket (0.5 w.p. 0.2, else normal(0.5, 1))", func(r *rand.Rand) float64 {
		if r.Float64() < 0.2 {
			return 0.5
		}
		return 0.5 + r.NormFloat64()
	}, false},
	{"three values", func(r *rand.Rand) float64 { return []float64{-2.5, 1e-7, 3e8}[r.IntN(3)] }, false},
	{"lognormal(0, 3)", func(r *rand.Rand) float64 { return math.Exp(3 * r.NormFloat64()) }, false},
	{"uniform(1e15, 1e15+1)", func(r *rand.Rand) float64 { return 1e15 + r.Float64() }, true},
	{"bimodal far apart", func(r *rand.Rand) float64 {
		if r.IntN(2) == 0 {
			return -1e6 + r.NormFloat64()
		}
		return 1e6 + r.NormFloat64()
	}, false},
	{"subnormal", func(r *rand.Rand) float64 { return 1e-315 * r.Float64() }, false},
	{"cauchy", func(r *rand.Rand) float64 { return math.Tan(math.Pi * (r.Float64() - 0.5)) }, false},
	{"constant", func(r *rand.Rand) float64 { return 42.5 }, false},
}

// TestSketchBound: on every case, every percentile from the sketch is within
// the stated bound of the exact one: SketchError·max(|x − c|, δ) over the two
// order statistics it interpolates (c and δ from the first 1024 values, as in
// a run); atoms (of 0.2% or more) are reported exactly; and for normal and
// uniform distributions, its rank is within the 0.012 percentile points
// the bound implies for a normal (φ(z)·|z| ≤ 0.242 times 2^−11).
func TestSketchBound(t *testing.T) {
	for _, bits := range []int{sketchBits, bandBits} {
		t.Run(fmt.Sprint(bits, " bits"), func(t *testing.T) { testSketchBound(t, bits) })
	}
}

// testSketchBound is TestSketchBound for buckets of the given mantissa bits
// (the error bound and the rank tolerance 2^(11−bits) times those of 11 bits).
func testSketchBound(t *testing.T, bits int) {
	levels := []float64{0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.3, 0.5, 0.6, 0.61, 0.75, 0.9, 0.95, 0.99, 0.999, 1}
	errBound := math.Ldexp(1, -bits)
	for i, tc := range sketchCases {
		r := rand.New(rand.NewPCG(uint64(i), 7))
		x := make([]float64, 200_000)
		for j := range x {
			x[j] = tc.draw(r)
		}
		g := pilotOf(x[:BlockSize])
		g.Bits = bits
		sk := newSketch(g)
		sk.AddValues(x[:len(x)/2])
		for _, v := range x[len(x)/2:] {
			sk.Add(v)
		}
		sorted := append([]float64(nil), x...)
		sort.Float64s(sorted)
		n := len(sorted)
		got := sk.Quantiles(levels, sorted[0], sorted[n-1])
		want := Quantiles(x, levels)
		c, d := sk.Centre, sk.Delta
		for li, p := range levels {
			h := float64(n-1) * p
			k := int(h)
			a, b := sorted[k], sorted[min(k+1, n-1)]
			bound := errBound*max(math.Abs(a-c), math.Abs(b-c), d) + 4*0x1p-53*max(math.Abs(a), math.Abs(b))
			if e := math.Abs(got[li] - want[li]); !(e <= bound) {
				t.Errorf("%s P%v: sketch %v, exact %v: error %.3g above the bound %.3g (c %v, δ %v)", tc.name, p*100, got[li], want[li], e, bound, c, d)
			}
			lo := float64(sort.SearchFloat64s(sorted, got[li])) / float64(n-1)
			hi := float64(sort.Search(n, func(j int) bool { return sorted[j] > got[li] })-1) / float64(n-1)
			atom := sort.SearchFloat64s(sorted, math.Nextafter(a, math.Inf(1))) - sort.SearchFloat64s(sorted, a)
			if k+1 < n && a == b && atom > n/500 && got[li] != a { // an atom of 0.2% or more
				t.Errorf("%s P%v: the atom %v is reported as %v", tc.name, p*100, a, got[li])
			}
			if tol := 1.2e-4*errBound/SketchError + 2/float64(n); tc.rank && (p < lo-tol || p > hi+tol) {
				t.Errorf("%s P%v: sketch %v has rank [%.5f, %.5f]", tc.name, p*100, got[li], lo, hi)
			}
		}
	}
}

// TestSketchIssueCases: the cases of issue 17 item 3 through the engine, in
// sketch mode (the exact limit lowered): each percentile has the rank of the
// exact one's within the 0.012 points the bound implies for a normal.
func TestSketchIssueCases(t *testing.T) {
	defer func(old int) { exactLimit = old }(exactLimit)
	for _, d := range []string{"normal(100, 0.1)", "normal(5e6, 2e4)", "normal(0, 1e-9)", "normal(1e-12, 1e-14)"} {
		src := fmt.Sprintf("model: formula\ninputs:\n  x: %s\noutputs:\n  y: x\n  z: x * 2\n", d)
		s, err := model.Parse("f.yaml", []byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		cfg := Config{Iterations: 40_000, Seed: 3, Workers: 2, KeepOutputs: true}
		exactLimit = ExactLimit
		exact, err := Run(context.Background(), s, cfg)
		if err != nil {
			t.Fatal(err)
		}
		exactLimit = 4096
		sk, err := Run(context.Background(), s, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if sk.Exact {
			t.Fatal("not in sketch mode")
		}
		for k := range exact.Metrics {
			sorted := append([]float64(nil), exact.Values[k]...)
			sort.Float64s(sorted)
			n := float64(len(sorted) - 1)
			for i, p := range PctLevels {
				v := sk.Metrics[k].Pct[i]
				lo := float64(sort.SearchFloat64s(sorted, v)) / n
				hi := float64(sort.Search(len(sorted), func(j int) bool { return sorted[j] > v })-1) / n
				if tol := 1.2e-4 + 2/n; p < lo-tol || p > hi+tol {
					t.Errorf("%s %s P%v: sketch %v (rank [%.5f, %.5f]), exact %v", d, exact.Outputs[k], p*100, v, lo, hi, exact.Metrics[k].Pct[i])
				}
			}
		}
	}
}

// TestSketchMergeOrder: a sketch is the same whichever way its values are
// split and merged.
func TestSketchMergeOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 30_000)
	for i := range x {
		x[i] = 1e4 + r.NormFloat64()
		if i%7 == 0 {
			x[i] = -1
		}
	}
	g := pilotOf(x[:BlockSize])
	whole := newSketch(g)
	for _, v := range x {
		whole.Add(v)
	}
	for _, parts := range []int{2, 3, 17} {
		merged := newSketch(g)
		for p := parts - 1; p >= 0; p-- {
			part := newSketch(g)
			for _, v := range x[len(x)*p/parts : len(x)*(p+1)/parts] {
				part.Add(v)
			}
			merged.Merge(&part)
		}
		if !reflect.DeepEqual(whole.sparse(), merged.sparse()) {
			t.Errorf("%d parts merge into another sketch", parts)
		}
	}
	other := newSketch(grid{Centre: g.Centre + 1, Delta: g.Delta})
	if err := whole.addSparse(other.sparse()); err == nil {
		t.Error("a sketch of another centre was merged")
	}
}

// TestBandsWithinBound: every band percentile of a run (from the months'
// sketches) is within BandError·max(|x − c|, δ) of the exact percentile of
// the month's values (as float32, as the bands count them) over the two
// order statistics it interpolates, c and δ from block 0.
func TestBandsWithinBound(t *testing.T) {
	s := model.Default()
	const n, seed = 30_000, 4
	res, err := Run(context.Background(), s, Config{Iterations: n, Seed: seed, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	p := prepare(s)
	w := p.newWorker()
	st := &storage{cum: make([][]float64, p.h), outcome: make([]model.Outcome, n)}
	for m := range st.cum {
		st.cum[m] = make([]float64, n)
	}
	for b := 0; b*BlockSize < n; b++ {
		if err := p.runBlock(w, b, b*BlockSize, min(n, (b+1)*BlockSize), st, seed); err != nil {
			t.Fatal(err)
		}
	}
	for m, band := range res.Bands {
		col := make([]float64, n)
		for i, v := range st.cum[m] {
			col[i] = float64(float32(v))
		}
		g := pilotOf(col[:BlockSize])
		sorted := append([]float64(nil), col...)
		sort.Float64s(sorted)
		want := Quantiles(col, BandLevels)
		for i, p := range BandLevels {
			k := int(float64(n-1) * p)
			a, b := sorted[k], sorted[min(k+1, n-1)]
			bound := BandError*max(math.Abs(a-g.Centre), math.Abs(b-g.Centre), g.Delta) + 4*0x1p-53*max(math.Abs(a), math.Abs(b))
			if e := math.Abs(band.Pct[i] - want[i]); !(e <= bound) {
				t.Errorf("month %d P%v: band %v, exact %v: error %.3g above the bound %.3g", m+1, p*100, band.Pct[i], want[i], e, bound)
			}
		}
	}
}
