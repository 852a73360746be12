package distributions

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Limits on shape parameters beyond which the special functions (or the
// Fast tables) lose accuracy.
const (
	minShape     = 0.05
	maxBetaShape = 1e5
	maxGammaSh   = 1e7
	maxLambda    = 1e4
)

func checkShape(b *bound, name string, v, max float64) *SyntaxError {
	if !(v > 0) {
		return errAt(b.off(name), "%s needs %s > 0, got %s", b.c.fam, name, b.c.source())
	}
	if v < minShape || v > max {
		return errAt(b.off(name), "%s needs %s between %s and %s for accurate computation, got %s", b.c.fam, name, formatNum(minShape), formatNum(max), b.c.source())
	}
	return nil
}

// checkRange checks lo < hi with a finite width.
func checkRange(b *bound, lo, hi float64, loName, hiName string) *SyntaxError {
	if !(lo < hi) {
		return errAt(b.off(hiName), "%s needs %s < %s, got %s", b.c.fam, loName, hiName, b.c.source())
	}
	if math.IsInf(hi-lo, 0) {
		return errAt(b.off(hiName), "%s range from %s to %s is too wide to compute, got %s", b.c.fam, loName, hiName, b.c.source())
	}
	return nil
}

// truncation reads min= and max= for a family that takes them inside its
// call (normal, lognormal, gamma, weibull).
func truncation(b *bound) (cut cutSpec, err *SyntaxError) {
	cut.lo, err = b.num("min", math.Inf(-1))
	if err != nil {
		return
	}
	cut.hi, err = b.num("max", math.Inf(1))
	if err != nil {
		return
	}
	cut.hasLo, cut.hasHi = b.has("min"), b.has("max")
	if cut.hasLo && cut.hasHi && !(cut.lo < cut.hi) {
		err = errAt(b.off("max"), "%s needs min < max, got %s", b.c.fam, b.c.source())
	}
	return
}

// finishTrunc builds the (possibly truncated) distribution and reports a
// truncation range without probability mass. head is the expression without
// the cut.
func finishTrunc(b *bound, bs base, cut cutSpec, head string) (Dist, *SyntaxError) {
	d, ok := newCont(bs, cut, head, true, math.NaN())
	if !ok {
		off := b.off("max")
		var parts []string
		if b.has("min") {
			off = b.off("min")
			parts = append(parts, b.c.raw(b.by["min"]))
		}
		if b.has("max") {
			parts = append(parts, b.c.raw(b.by["max"]))
		}
		return nil, errAt(off, "truncation %s leaves no probability mass, got %s", strings.Join(parts, ", "), b.c.source())
	}
	return d, nil
}

// percentiles returns the two percentile arguments sorted by XX, checking
// that their values increase.
func (b *bound) percentiles() (x1, x2 int, v1, v2 float64, err *SyntaxError) {
	ps := append([]*arg{}, b.pcts...)
	if len(ps) != 2 {
		off := b.c.off
		if len(ps) > 2 {
			off = ps[2].nameOff
		}
		return 0, 0, 0, 0, errAt(off, "%s needs exactly two percentiles such as p5=… and p95=…, got %d", b.c.fam, len(ps))
	}
	for _, a := range ps {
		if a.isList {
			return 0, 0, 0, 0, errAt(a.off, "%s's %s must be a number, not a list", b.c.fam, a.name)
		}
	}
	sort.Slice(ps, func(i, j int) bool {
		xi, _, _ := pctNum(ps[i].name)
		xj, _, _ := pctNum(ps[j].name)
		return xi < xj
	})
	x1, _, _ = pctNum(ps[0].name)
	x2, _, _ = pctNum(ps[1].name)
	v1, v2 = ps[0].num, ps[1].num
	if !(v1 < v2) {
		return 0, 0, 0, 0, errAt(ps[1].off, "percentiles must increase: %s=%s is not below %s=%s",
			ps[0].name, b.c.p.s[ps[0].off:ps[0].end], ps[1].name, b.c.p.s[ps[1].off:ps[1].end])
	}
	return x1, x2, v1, v2, nil
}

func pctSuffix(x1, x2 int, v1, v2 float64) string {
	return fmt.Sprintf("p%d=%s, p%d=%s", x1, formatNum(v1), x2, formatNum(v2))
}

// buildShapeScale builds a (shape, scale) family with optional truncation
// (gamma, weibull): shape in (0, maxShape], scale > 0.
func buildShapeScale(c *call, family string, maxShape float64, newBase func(shape, scale float64) base) (Dist, *SyntaxError) {
	b, err := c.bind([]string{"shape", "scale"}, 2, []string{"min", "max"}, false)
	if err != nil {
		return nil, err
	}
	v, err := b.nums("shape", "scale")
	if err != nil {
		return nil, err
	}
	if err := checkShape(b, "shape", v[0], maxShape); err != nil {
		return nil, err
	}
	if !(v[1] > 0) {
		return nil, errAt(b.off("scale"), "%s needs scale > 0, got %s", family, c.source())
	}
	cut, err := truncation(b)
	if err != nil {
		return nil, err
	}
	str := fmt.Sprintf("%s(%s, %s)", family, formatNum(v[0]), formatNum(v[1]))
	return finishTrunc(b, newBase(v[0], v[1]), cut, str)
}
