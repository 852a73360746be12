package distributions

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// discreteDist is discrete(values=[…], weights=[…]) and bernoulli(p).
// vals are sorted and distinct, cum[i] is the normalised cumulative weight
// up to and including vals[i], with cum[len-1] == 1.
type discreteDist struct {
	vals, cum []float64
	lo, hi    float64 // smallest and largest value with positive weight
	mean      float64
	head      string // the expression before any cut
	cut       cutSpec
	str       string
	guide     []int32 // guide[k]: first i with cum[i] ≥ k/len(guide)
}

func newDiscrete(values, weights []float64, str string) *discreteDist {
	type vw struct{ v, w float64 }
	pairs := make([]vw, len(values))
	var total float64
	for i := range values {
		pairs[i] = vw{values[i], weights[i]}
		total += weights[i]
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].v < pairs[j].v })
	d := &discreteDist{str: str, head: str, lo: math.Inf(1), hi: math.Inf(-1)}
	var acc, mean float64
	for _, p := range pairs {
		w := p.w / total
		acc += w
		mean += w * p.v
		if p.w > 0 {
			d.lo = math.Min(d.lo, p.v)
			d.hi = math.Max(d.hi, p.v)
		}
		if n := len(d.vals); n > 0 && d.vals[n-1] == p.v {
			d.cum[n-1] = acc
			continue
		}
		d.vals = append(d.vals, p.v)
		d.cum = append(d.cum, acc)
	}
	// Make the top of the cumulative weights exactly 1 (and every value with
	// nothing above it).
	for i := len(d.cum) - 1; i >= 0 && d.vals[i] >= d.hi; i-- {
		d.cum[i] = 1
	}
	d.mean = mean
	if d.lo == d.hi {
		d.mean = d.lo
	}
	n := len(d.vals)
	if n > 8 {
		d.guide = make([]int32, n)
		i := 0
		for k := range d.guide {
			u := float64(k) / float64(n)
			for d.cum[i] < u {
				i++
			}
			d.guide[k] = int32(i)
		}
	}
	return d
}

func (d *discreteDist) Quantile(p float64) float64 {
	if !(p > 0 && p < 1) {
		switch {
		case p == 0:
			return d.lo
		case p == 1:
			return d.hi
		}
		return math.NaN()
	}
	i := 0
	if d.guide != nil {
		k := int(p * float64(len(d.guide)))
		if k >= len(d.guide) {
			k = len(d.guide) - 1
		}
		i = int(d.guide[k])
	}
	for d.cum[i] < p {
		i++
	}
	return d.vals[i]
}

func (d *discreteDist) CDF(x float64) float64 {
	i := sort.SearchFloat64s(d.vals, x) // first i with vals[i] ≥ x
	if i < len(d.vals) && d.vals[i] == x {
		return d.cum[i]
	}
	if i == 0 {
		return 0
	}
	return d.cum[i-1]
}

func (d *discreteDist) Mean() float64 { return d.mean }

func (d *discreteDist) Plan() float64 { return d.mean }

func (d *discreteDist) Support() (lo, hi float64) { return d.lo, d.hi }

func (d *discreteDist) Fixed() bool { return false }

func (d *discreteDist) String() string { return d.str }

func buildBernoulli(c *call) (Dist, *SyntaxError) {
	b, err := c.bind([]string{"p"}, 1, nil, false)
	if err != nil {
		return nil, err
	}
	p, err := b.num("p", 0)
	if err != nil {
		return nil, err
	}
	d, perr := NewBernoulli(p)
	if perr != nil {
		return nil, b.fail(perr.(*ParamError))
	}
	return d, nil
}

func buildDiscrete(c *call) (Dist, *SyntaxError) {
	b, err := c.bind([]string{"values", "weights"}, 1, nil, false)
	if err != nil {
		return nil, err
	}
	va, err := b.list("values")
	if err != nil {
		return nil, err
	}
	wa, err := b.list("weights")
	if err != nil {
		return nil, err
	}
	if len(va.list) == 0 {
		return nil, errAt(va.off, "discrete needs at least one value, got %s", c.raw(va))
	}
	vals := va.list
	var weights []float64
	if wa == nil {
		weights = make([]float64, len(vals))
		for i := range weights {
			weights[i] = 1
		}
	} else {
		weights = wa.list
		if len(weights) != len(vals) {
			return nil, errAt(wa.off, "discrete needs as many weights as values, got %d values and %d weights", len(vals), len(weights))
		}
		total := 0.0
		for i, w := range weights {
			if w < 0 {
				return nil, errAt(wa.listOffs[i], "discrete weights must not be negative, got %s", c.p.s[wa.listOffs[i]:wa.listEnds[i]])
			}
			total += w
		}
		if total == 0 {
			return nil, errAt(wa.off, "discrete weights sum to 0; at least one must be positive, got %s", c.raw(wa))
		}
		if math.IsInf(total, 0) {
			return nil, errAt(wa.off, "discrete weights are too large to add up, got %s", c.raw(wa))
		}
	}
	var ws []float64
	if wa != nil {
		ws = weights
	}
	return newDiscrete(vals, weights, discreteExpr(vals, ws)), nil
}

// discreteExpr is the canonical expression of discrete(values=vals,
// weights=ws), without weights= when ws is nil.
func discreteExpr(vals, ws []float64) string {
	fmtList := func(xs []float64) string {
		parts := make([]string, len(xs))
		for i, x := range xs {
			parts[i] = formatNum(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	str := "discrete(values=" + fmtList(vals)
	if ws != nil {
		str += ", weights=" + fmtList(ws)
	}
	return str + ")"
}

// NewDiscrete returns discrete(values=…, weights=…): one of the values
// (finite, at most 10,000 of them), with probabilities the weights
// normalised to sum to 1 (weights ≥ 0, not all 0); nil weights are equal.
// Its plan value is the mean.
func NewDiscrete(values, weights []float64) (Dist, error) {
	if len(values) == 0 || len(values) > maxList {
		return nil, &ParamError{"discrete", "values", fmt.Sprintf("discrete needs 1 to %d values, got %d", maxList, len(values))}
	}
	if err := finiteErr("discrete", repeat("values", len(values)), values...); err != nil {
		return nil, err
	}
	ws := weights
	if ws == nil {
		ws = make([]float64, len(values))
		for i := range ws {
			ws[i] = 1
		}
	} else {
		if len(ws) != len(values) {
			return nil, &ParamError{"discrete", "weights", fmt.Sprintf("discrete needs as many weights as values, got %d values and %d weights", len(values), len(ws))}
		}
		total := 0.0
		for _, w := range ws {
			if !(w >= 0) || math.IsInf(w, 0) {
				return nil, &ParamError{"discrete", "weights", "discrete weights must be finite and not negative"}
			}
			total += w
		}
		if !(total > 0) || math.IsInf(total, 0) {
			return nil, &ParamError{"discrete", "weights", "discrete weights must sum to a positive finite number"}
		}
	}
	return checked("discrete", newDiscrete(values, ws, discreteExpr(values, weights)))
}

// NewBernoulli returns bernoulli(p): 1 with probability p (0 ≤ p ≤ 1), else
// 0. Its plan value is the mean p.
func NewBernoulli(p float64) (Dist, error) {
	if !(p >= 0 && p <= 1) {
		return nil, &ParamError{"bernoulli", "p", "bernoulli needs a probability 0 ≤ p ≤ 1"}
	}
	return newDiscrete([]float64{0, 1}, []float64{1 - p, p}, "bernoulli("+formatNum(p)+")"), nil
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// Prob is the probability of the value x.
func (d *discreteDist) Prob(x float64) float64 {
	i := sort.SearchFloat64s(d.vals, x)
	if i >= len(d.vals) || d.vals[i] != x {
		return 0
	}
	if i == 0 {
		return d.cum[0]
	}
	return d.cum[i] - d.cum[i-1]
}

// LogProb is log Prob(x).
func (d *discreteDist) LogProb(x float64) float64 { return math.Log(d.Prob(x)) }
