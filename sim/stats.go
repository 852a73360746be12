package sim

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
