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

// ParamError is the error of a constructor (NewPERT, NewNormal, …) given
// parameters outside its family's domain or beyond what float64 computes.
type ParamError struct {
	// Family is the family, e.g. "pert"; Param the parameter at fault
	// (e.g. "mode"), "" when the combination as a whole is.
	Family, Param string
	// Msg says what is wrong in the user's terms, e.g.
	// "pert needs min ≤ mode ≤ max".
	Msg string
}

// Error returns Msg.
func (e *ParamError) Error() string { return e.Msg }

// fail turns a constructor's error into a syntax error at the parameter's
// argument, quoting the call as written.
func (b *bound) fail(e *ParamError) *SyntaxError {
	return errAt(b.off(e.Param), "%s, got %s", e.Msg, b.c.source())
}

// checked returns d after the checks every parsed expression gets (values
// that overflow, spreads below MinSpread), for the constructors.
func checked(fam string, d Dist) (Dist, error) {
	if err := sane(d, 0); err != nil {
		return nil, &ParamError{Family: fam, Msg: err.Msg}
	}
	return d, nil
}

// shapeErr checks a shape parameter: > 0 and within [minShape, max].
func shapeErr(fam, name string, v, max float64) *ParamError {
	if !(v > 0) {
		return &ParamError{fam, name, fmt.Sprintf("%s needs %s > 0", fam, name)}
	}
	if v < minShape || v > max {
		return &ParamError{fam, name, fmt.Sprintf("%s needs %s between %s and %s for accurate computation", fam, name, formatNum(minShape), formatNum(max))}
	}
	return nil
}

// rangeErr checks lo < hi with a finite width.
func rangeErr(fam string, lo, hi float64, loName, hiName string) *ParamError {
	if !(lo < hi) {
		return &ParamError{fam, hiName, fmt.Sprintf("%s needs %s < %s", fam, loName, hiName)}
	}
	if math.IsInf(hi-lo, 0) {
		return &ParamError{fam, hiName, fmt.Sprintf("%s range from %s to %s is too wide to compute", fam, loName, hiName)}
	}
	return nil
}

// positiveErr checks a scale parameter: > 0 and finite.
func positiveErr(fam, name string, v float64) *ParamError {
	if !(v > 0) {
		return &ParamError{fam, name, fmt.Sprintf("%s needs %s > 0", fam, name)}
	}
	if math.IsInf(v, 0) {
		return &ParamError{fam, name, fmt.Sprintf("%s needs a finite %s", fam, name)}
	}
	return nil
}

// finiteErr checks that parameters are finite numbers.
func finiteErr(fam string, names []string, vs ...float64) *ParamError {
	for i, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return &ParamError{fam, names[i], fmt.Sprintf("%s needs a finite %s", fam, names[i])}
		}
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
// (gamma, weibull) through its constructor.
func buildShapeScale(c *call, newDist func(shape, scale float64) (*contDist, *ParamError)) (Dist, *SyntaxError) {
	b, err := c.bind([]string{"shape", "scale"}, 2, []string{"min", "max"}, false)
	if err != nil {
		return nil, err
	}
	v, err := b.nums("shape", "scale")
	if err != nil {
		return nil, err
	}
	d, perr := newDist(v[0], v[1])
	if perr != nil {
		return nil, b.fail(perr)
	}
	cut, err := truncation(b)
	if err != nil {
		return nil, err
	}
	return finishTrunc(b, d.b, cut, d.head)
}

// shapeScale is a (shape, scale) family's distribution: shape in
// [minShape, maxShape], scale > 0.
func shapeScale(fam string, k, scale, maxShape float64, newBase func(shape, scale float64) base) (*contDist, *ParamError) {
	if err := shapeErr(fam, "shape", k, maxShape); err != nil {
		return nil, err
	}
	if err := positiveErr(fam, "scale", scale); err != nil {
		return nil, err
	}
	str := fmt.Sprintf("%s(%s, %s)", fam, formatNum(k), formatNum(scale))
	d, _ := newCont(newBase(k, scale), cutSpec{}, str, true, math.NaN())
	return d, nil
}
