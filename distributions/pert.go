package distributions

import "fmt"

// NewPERT returns pert(min, mode, max, lambda=λ): the modified PERT
// distribution min + (max − min)·Beta(1 + λ(mode − min)/(max − min),
// 1 + λ(max − mode)/(max − min)), with min < max, min ≤ mode ≤ max and
// 0 < λ ≤ 1e4 (λ = 4 is the classic PERT). Its plan value is the mode.
func NewPERT(min, mode, max, lambda float64) (Dist, error) {
	d, err := newPERT(min, mode, max, lambda)
	if err != nil {
		return nil, err
	}
	return checked("pert", d)
}

func newPERT(lo, mode, hi, lam float64) (*contDist, *ParamError) {
	if err := rangeErr("pert", lo, hi, "min", "max"); err != nil {
		return nil, err
	}
	if !(lo <= mode && mode <= hi) {
		return nil, &ParamError{"pert", "mode", "pert needs min ≤ mode ≤ max"}
	}
	if !(lam > 0) {
		return nil, &ParamError{"pert", "lambda", "pert needs lambda > 0"}
	}
	if lam > maxLambda {
		return nil, &ParamError{"pert", "lambda", "pert needs lambda at most " + formatNum(maxLambda) + " for accurate computation"}
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
	d, perr := newPERT(v[0], v[1], v[2], lam)
	if perr != nil {
		return nil, b.fail(perr)
	}
	return d, nil
}
