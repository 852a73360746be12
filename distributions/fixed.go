package distributions

import "math"

// fixed is a plain number.
type fixed struct{ v float64 }

func (f *fixed) Quantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	return f.v
}

func (f *fixed) CDF(x float64) float64 {
	if x < f.v {
		return 0
	}
	return 1
}

func (f *fixed) Mean() float64 { return f.v }

func (f *fixed) Plan() float64 { return f.v }

func (f *fixed) Support() (lo, hi float64) { return f.v, f.v }

func (f *fixed) Fixed() bool { return true }

func (f *fixed) String() string { return formatNum(f.v) }

// NewFixed returns the fixed number v (finite): every quantile, the mean
// and the plan value are v.
func NewFixed(v float64) (Dist, error) {
	if err := finiteErr("number", []string{"value"}, v); err != nil {
		return nil, err
	}
	return &fixed{v: v}, nil
}

// Prob is 1 at the number, 0 elsewhere.
func (f *fixed) Prob(x float64) float64 {
	if x == f.v {
		return 1
	}
	return 0
}

// LogProb is log Prob(x).
func (f *fixed) LogProb(x float64) float64 { return math.Log(f.Prob(x)) }
