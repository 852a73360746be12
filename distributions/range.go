package distributions

import "math"

// rangeDist is "A to B": the 90% interval from A to B, lognormal when A > 0
// and normal otherwise.
func rangeDist(A, B float64, str string) (Dist, *SyntaxError) {
	z := pctZ(95)
	var b base
	if A > 0 {
		la, lb := math.Log(A), math.Log(B)
		b = &lognormalBase{mu: (la + lb) / 2, sigma: (lb - la) / (2 * z)}
	} else {
		sd := (B - A) / (2 * z)
		if math.IsInf(sd, 0) {
			sd = B/(2*z) - A/(2*z)
		}
		b = &normalBase{mu: A/2 + B/2, sigma: sd}
	}
	d, _ := newCont(b, cutSpec{}, str, false, math.NaN())
	return d, nil
}

// pctZ is the standard normal quantile of XX percent.
func pctZ(xx int) float64 {
	if xx == 50 {
		return 0
	}
	if xx > 50 {
		return -nq(float64(100-xx) / 100)
	}
	return nq(float64(xx) / 100)
}

// NewRange returns "A to B": the distribution whose 5th and 95th
// percentiles are a and b (a < b), lognormal when a > 0 and normal
// otherwise. Its plan value is the mean.
func NewRange(a, b float64) (Dist, error) {
	if err := finiteErr("A to B", []string{"A", "B"}, a, b); err != nil {
		return nil, err
	}
	if !(a < b) {
		return nil, &ParamError{Family: "A to B", Param: "B", Msg: `"A to B" needs A < B`}
	}
	d, _ := rangeDist(a, b, formatNum(a)+" to "+formatNum(b))
	return checked("A to B", d)
}
