package distributions

import "fmt"

func buildPert(c *call) (Dist, *SyntaxError) {
	b, err := c.bind([]string{"min", "mode", "max"}, 3, []string{"lambda"}, false)
	if err != nil {
		return nil, err
	}
	v, err := b.nums("min", "mode", "max")
	if err != nil {
		return nil, err
	}
	lam, err := b.num("lambda", 4)
	if err != nil {
		return nil, err
	}
	lo, mode, hi := v[0], v[1], v[2]
	if err := checkRange(b, lo, hi, "min", "max"); err != nil {
		return nil, err
	}
	if !(lo <= mode && mode <= hi) {
		return nil, errAt(b.off("mode"), "pert needs min ≤ mode ≤ max, got %s", c.source())
	}
	if !(lam > 0) {
		return nil, errAt(b.off("lambda"), "pert needs lambda > 0, got %s", c.source())
	}
	if lam > maxLambda {
		return nil, errAt(b.off("lambda"), "pert needs lambda at most %s for accurate computation, got %s", formatNum(maxLambda), c.source())
	}
	w := hi - lo
	alpha := 1 + lam*((mode-lo)/w)
	beta := 1 + lam*((hi-mode)/w)
	str := fmt.Sprintf("pert(%s, %s, %s", formatNum(lo), formatNum(mode), formatNum(hi))
	if lam != 4 {
		str += ", lambda=" + formatNum(lam)
	}
	str += ")"
	d, _ := newCont(newBetaBase(alpha, beta, lo, hi), cutSpec{}, str, false, mode)
	return d, nil
}
