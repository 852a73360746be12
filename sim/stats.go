package sim

import "math"

// PctLevels are the percentiles reported for every output (model.md section 5).
var PctLevels = []float64{0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99}

// BandLevels are the percentiles of the cumulative cash-flow bands.
var BandLevels = []float64{0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95}

// Stats summarises one output over the iterations where it is defined.
type Stats struct {
	N        int       // values counted (defined)
	Mean     float64   // over finite values
	SD       float64   // sample standard deviation over finite values
	SE       float64   // standard error of the mean, SD/√N
	Min, Max float64   // +Inf where some value is +Inf
	Pct      []float64 // at PctLevels; +Inf where the percentile falls among +Inf values
}

// Band is the distribution of the cumulative cash flow in one month.
type Band struct {
	Month int
	Mean  float64
	Pct   []float64 // at BandLevels
}

// describe computes Stats of x, skipping its NaN values (undefined: the caller
// counts them). x is not modified.
func describe(x []float64) Stats {
	n := 0
	for _, v := range x {
		if !math.IsNaN(v) {
			n++
		}
	}
	if n < len(x) {
		defined := make([]float64, 0, n)
		for _, v := range x {
			if !math.IsNaN(v) {
				defined = append(defined, v)
			}
		}
		x = defined
	}
	s := Stats{N: n, Min: math.Inf(1), Max: math.Inf(-1)}
	if n == 0 {
		s.Mean, s.SD, s.SE, s.Min, s.Max = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
		s.Pct = Quantiles(nil, PctLevels)
		return s
	}
	sum, finite := 0.0, 0
	for _, v := range x {
		if v < s.Min {
			s.Min = v
		}
		if v > s.Max {
			s.Max = v
		}
		if !math.IsInf(v, 0) {
			sum += v
			finite++
		}
	}
	s.Mean, s.SD, s.SE = math.NaN(), math.NaN(), math.NaN()
	if finite > 0 {
		s.Mean = sum / float64(finite)
		ss := 0.0
		for _, v := range x {
			if !math.IsInf(v, 0) {
				d := v - s.Mean
				ss += d * d
			}
		}
		if finite > 1 {
			s.SD = math.Sqrt(ss / float64(finite-1))
			s.SE = s.SD / math.Sqrt(float64(finite))
		} else {
			s.SD, s.SE = 0, 0
		}
	}
	s.Pct = Quantiles(x, PctLevels)
	return s
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}
