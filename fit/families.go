package fit

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/crmroi/crmroi/distributions"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/optimize"
)

// Families are the candidate families in the order they are tried: the
// one list distributions.FitFamilies, which empirical(…, fit=) accepts too.
var Families = distributions.FitFamilies

// fitters are the estimators of the families, by name (a test checks that
// every family of Families has one, and no other).
var fitters = map[string]func(*sample) (*estimate, error){
	"normal":     fitNormal,
	"lognormal":  fitLognormal,
	"gamma":      fitGamma,
	"weibull":    fitWeibull,
	"beta":       fitBeta,
	"triangular": fitTriangular,
	"pert":       fitPert,
	"uniform":    fitUniform,
}

// sample is a sorted sample with the sums the fits need.
type sample struct {
	x            []float64 // sorted
	n            float64
	mean, sd     float64 // sd with divisor n (the normal MLE)
	pos          bool    // all values > 0
	logMean      float64 // mean of log x (when pos)
	logSD        float64 // sd of log x with divisor n
	share        bool    // all values in [0, 1]
	lo, hi       float64 // support of the bounded families
	nBounds      int     // how many of lo, hi were estimated from the data
	loSet, hiSet bool    // bounds given by the user
}

// bounds says how the bounded families get their support.
type bounds struct {
	min, max float64 // NaN when not given
}

func newSample(xs []float64, b bounds) (*sample, error) {
	x := append([]float64(nil), xs...)
	sort.Float64s(x)
	n := len(x)
	s := &sample{x: x, n: float64(n), pos: x[0] > 0, share: x[0] >= 0 && x[n-1] <= 1}
	for _, v := range x {
		s.mean += v
	}
	s.mean /= s.n
	var ss float64
	for _, v := range x {
		ss += (v - s.mean) * (v - s.mean)
	}
	s.sd = math.Sqrt(ss / s.n)
	if s.pos {
		for _, v := range x {
			s.logMean += math.Log(v)
		}
		s.logMean /= s.n
		var ls float64
		for _, v := range x {
			d := math.Log(v) - s.logMean
			ls += d * d
		}
		s.logSD = math.Sqrt(ls / s.n)
	}
	// Bounds of the bounded families: given, or the sample range widened by
	// range/(n−1) on each side (the unbiased estimate of a uniform's ends),
	// kept within [0, 1] for shares.
	pad := (x[n-1] - x[0]) / float64(n-1)
	s.loSet, s.hiSet = !math.IsNaN(b.min), !math.IsNaN(b.max)
	s.lo, s.hi = x[0]-pad, x[n-1]+pad
	if s.share {
		s.lo, s.hi = math.Max(s.lo, 0), math.Min(s.hi, 1)
	}
	if s.loSet {
		if x[0] < b.min {
			return nil, fmt.Errorf("the data go below --min %s (smallest value %s)", fmtG(b.min), fmtG(x[0]))
		}
		s.lo = b.min
	} else {
		s.nBounds++
	}
	if s.hiSet {
		if x[n-1] > b.max {
			return nil, fmt.Errorf("the data go above --max %s (largest value %s)", fmtG(b.max), fmtG(x[n-1]))
		}
		s.hi = b.max
	} else {
		s.nBounds++
	}
	if !(s.lo < s.hi) {
		return nil, fmt.Errorf("--min %s must be below --max %s", fmtG(s.lo), fmtG(s.hi))
	}
	return s, nil
}

func fmtG(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

// roundSig rounds v to 6 significant digits: the printed expression is
// exactly what the fit evaluates.
func roundSig(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return r
}

// roundOut rounds a lower (dir < 0) or upper (dir > 0) bound outward to 6
// significant digits so that the data stay inside.
func roundOut(v float64, dir int) float64 {
	r := roundSig(v)
	if dir < 0 && r > v || dir > 0 && r < v {
		if v == 0 {
			return 0
		}
		e := math.Floor(math.Log10(math.Abs(v))) - 5
		step := math.Pow(10, e)
		if dir < 0 {
			r = roundSig(r - step)
		} else {
			r = roundSig(r + step)
		}
	}
	return r
}

// estimate is a family fitted to a sample.
type estimate struct {
	params []float64 // natural parameters, rounded to 6 digits
	names  []string
	free   []bool             // which parameters were estimated (have a standard error)
	k      int                // parameters estimated, bounds included
	dist   distributions.Dist // the fitted distribution, built from params
	loglik func(params []float64) float64
	note   string
}

var errNotPositive = errors.New("needs every value > 0")

// fitFamily fits one family by maximum likelihood.
func fitFamily(name string, s *sample) (*estimate, error) {
	f, ok := fitters[name]
	if !ok {
		return nil, fmt.Errorf("unknown family %q", name)
	}
	return f(s)
}

// built is the fitted distribution, or the reason it cannot be used.
func built(d distributions.Dist, err error) (distributions.Dist, error) {
	if err != nil {
		return nil, fmt.Errorf("the fitted parameters are not usable: %v", err)
	}
	return d, nil
}

func fitNormal(s *sample) (*estimate, error) {
	if !(s.sd > 0) {
		return nil, errors.New("needs values that differ")
	}
	mu, sd := roundSig(s.mean), roundSig(s.sd)
	x := s.x
	d, err := built(distributions.NewNormal(mu, sd))
	if err != nil {
		return nil, err
	}
	return &estimate{
		params: []float64{mu, sd}, names: []string{"mean", "sd"}, free: []bool{true, true}, k: 2,
		dist: d,
		loglik: func(p []float64) float64 {
			if !(p[1] > 0) {
				return math.Inf(-1)
			}
			var ss float64
			for _, v := range x {
				z := (v - p[0]) / p[1]
				ss += z * z
			}
			n := float64(len(x))
			return -n*math.Log(p[1]) - n/2*math.Log(2*math.Pi) - ss/2
		},
	}, nil
}

func fitLognormal(s *sample) (*estimate, error) {
	if !s.pos {
		return nil, errNotPositive
	}
	if !(s.logSD > 0) {
		return nil, errors.New("needs values that differ")
	}
	mu, sg := roundSig(s.logMean), roundSig(s.logSD)
	x := s.x
	d, err := built(distributions.NewLognormal(mu, sg))
	if err != nil {
		return nil, err
	}
	return &estimate{
		params: []float64{mu, sg}, names: []string{"mu", "sigma"}, free: []bool{true, true}, k: 2,
		dist: d,
		loglik: func(p []float64) float64 {
			if !(p[1] > 0) {
				return math.Inf(-1)
			}
			var ll float64
			for _, v := range x {
				lv := math.Log(v)
				z := (lv - p[0]) / p[1]
				ll += -lv - z*z/2
			}
			n := float64(len(x))
			return ll - n*math.Log(p[1]) - n/2*math.Log(2*math.Pi)
		},
	}, nil
}

// gammaLL is the gamma log-likelihood from the sufficient statistics.
func gammaLL(n, mean, logMean, k, theta float64) float64 {
	if !(k > 0 && theta > 0) {
		return math.Inf(-1)
	}
	lg, _ := math.Lgamma(k)
	return n * ((k-1)*logMean - mean/theta - lg - k*math.Log(theta))
}

func fitGamma(s *sample) (*estimate, error) {
	if !s.pos {
		return nil, errNotPositive
	}
	// The MLE of the shape solves log k − ψ(k) = log(mean) − mean(log x),
	// whose left side decreases from +∞ to 0: bisection on log k.
	c := math.Log(s.mean) - s.logMean
	if !(c > 0) {
		return nil, errors.New("needs values that differ")
	}
	lo, hi := math.Log(1e-4), math.Log(1e9)
	for i := 0; i < 200 && hi-lo > 1e-13; i++ {
		m := (lo + hi) / 2
		k := math.Exp(m)
		if math.Log(k)-mathext.Digamma(k) > c {
			lo = m
		} else {
			hi = m
		}
	}
	k := math.Exp((lo + hi) / 2)
	if k < 0.05 || k > 1e7 {
		return nil, fmt.Errorf("shape %s is outside the range crmroi computes accurately (0.05 to 1e7)", fmtG(k))
	}
	k = roundSig(k)
	theta := roundSig(s.mean / k)
	n, mean, lm := s.n, s.mean, s.logMean
	d, err := built(distributions.NewGamma(k, theta))
	if err != nil {
		return nil, err
	}
	return &estimate{
		params: []float64{k, theta}, names: []string{"shape", "scale"}, free: []bool{true, true}, k: 2,
		dist:   d,
		loglik: func(p []float64) float64 { return gammaLL(n, mean, lm, p[0], p[1]) },
	}, nil
}

func weibullLL(x []float64, k, lam float64) float64 {
	if !(k > 0 && lam > 0) {
		return math.Inf(-1)
	}
	var ll float64
	for _, v := range x {
		z := v / lam
		ll += math.Log(k/lam) + (k-1)*math.Log(z) - math.Pow(z, k)
	}
	return ll
}

func fitWeibull(s *sample) (*estimate, error) {
	if !s.pos {
		return nil, errNotPositive
	}
	if !(s.logSD > 0) {
		return nil, errors.New("needs values that differ")
	}
	// Profile equation for the shape, increasing in k:
	// g(k) = Σ yᵏ ln y / Σ yᵏ − 1/k − mean(ln y) = 0, with y = x / max(x).
	x := s.x
	xmax := x[len(x)-1]
	ly := make([]float64, len(x))
	var mly float64
	for i, v := range x {
		ly[i] = math.Log(v / xmax)
		mly += ly[i]
	}
	mly /= s.n
	g := func(k float64) (float64, float64) {
		var s0, s1, s2 float64
		for _, l := range ly {
			w := math.Exp(k * l)
			s0 += w
			s1 += w * l
			s2 += w * l * l
		}
		r := s1 / s0
		return r - 1/k - mly, s2/s0 - r*r + 1/(k*k)
	}
	lo, hi := 1e-3, 1e5
	k := 1.2 / (s.logSD * math.Sqrt(6) / math.Pi) // moment estimate from the sd of log x
	if !(k > lo && k < hi) {
		k = 1
	}
	for i := 0; i < 200; i++ {
		v, d := g(k)
		if v > 0 {
			hi = k
		} else {
			lo = k
		}
		kn := k - v/d
		if !(kn > lo && kn < hi) || d <= 0 {
			kn = math.Sqrt(lo * hi)
		}
		if math.Abs(kn-k) <= 1e-12*k || hi/lo < 1+1e-13 {
			k = kn
			break
		}
		k = kn
	}
	if k < 0.05 || k > 1e4 {
		return nil, fmt.Errorf("shape %s is outside the range crmroi accepts (0.05 to 1e4)", fmtG(k))
	}
	var s0 float64
	for _, l := range ly {
		s0 += math.Exp(k * l)
	}
	lam := xmax * math.Pow(s0/s.n, 1/k)
	k, lam = roundSig(k), roundSig(lam)
	d, err := built(distributions.NewWeibull(k, lam))
	if err != nil {
		return nil, err
	}
	return &estimate{
		params: []float64{k, lam}, names: []string{"shape", "scale"}, free: []bool{true, true}, k: 2,
		dist:   d,
		loglik: func(p []float64) float64 { return weibullLL(x, p[0], p[1]) },
	}, nil
}

// unitLogs returns the means of log z and log(1 − z), z = (x − lo)/(hi − lo);
// ok is false when a value sits on a bound (a beta with a shape below 1
// would have infinite density there).
//
// The sums of logs are the logs of products, kept in range by taking the
// binary exponent out every 8 factors: one multiplication per value instead
// of a logarithm (the bounded fits call this for every trial of the bounds).
func unitLogs(x []float64, lo, hi float64) (s1, s2 float64, ok bool) {
	w := hi - lo
	p1, p2 := 1.0, 1.0
	e1, e2 := 0, 0
	for i, v := range x {
		z, y := (v-lo)/w, (hi-v)/w
		if !(z > 0 && y > 0) {
			return 0, 0, false
		}
		p1 *= z
		p2 *= y
		if i&7 == 7 {
			var e int
			p1, e = math.Frexp(p1)
			e1 += e
			p2, e = math.Frexp(p2)
			e2 += e
		}
	}
	n := float64(len(x))
	s1 = math.Log(p1) + float64(e1)*math.Ln2
	s2 = math.Log(p2) + float64(e2)*math.Ln2
	return s1 / n, s2 / n, true
}

// betaLL is the log-likelihood of Beta(a, b) on [lo, hi] per value.
func betaLL1(a, b, s1, s2, w float64) float64 {
	if !(a > 0 && b > 0) {
		return math.Inf(-1)
	}
	return (a-1)*s1 + (b-1)*s2 - mathext.Lbeta(a, b) - math.Log(w)
}

func (s *sample) boundNote() string {
	switch {
	case s.loSet && s.hiSet:
		return "bounds given"
	case s.loSet || s.hiSet:
		return "one bound given"
	}
	return "bounds estimated"
}

func fitBeta(s *sample) (*estimate, error) {
	lo, hi := s.lo, s.hi
	nb := s.nBounds
	note := s.boundNote()
	if s.share && !s.loSet && !s.hiSet {
		lo, hi, nb, note = 0, 1, 0, "shares: beta on [0, 1]"
	}
	lo, hi = roundOut(lo, -1), roundOut(hi, 1)
	s1, s2, ok := unitLogs(s.x, lo, hi)
	if !ok {
		return nil, fmt.Errorf("needs every value strictly inside [%s, %s]", fmtG(lo), fmtG(hi))
	}
	w := hi - lo
	// start from the method of moments
	m := (s.mean - lo) / w
	v := s.sd * s.sd / (w * w)
	c := m*(1-m)/v - 1
	a0, b0 := m*c, (1-m)*c
	if !(a0 > 0 && b0 > 0) {
		a0, b0 = 1, 1
	}
	prob := optimize.Problem{
		Func: func(p []float64) float64 { return -betaLL1(math.Exp(p[0]), math.Exp(p[1]), s1, s2, w) },
		Grad: func(grad, p []float64) {
			a, b := math.Exp(p[0]), math.Exp(p[1])
			dab := mathext.Digamma(a + b)
			grad[0] = -a * (s1 - mathext.Digamma(a) + dab)
			grad[1] = -b * (s2 - mathext.Digamma(b) + dab)
		},
	}
	res, err := optimize.Minimize(prob, []float64{math.Log(a0), math.Log(b0)},
		&optimize.Settings{GradientThreshold: 1e-10, MajorIterations: 500}, &optimize.BFGS{})
	if err != nil && res == nil {
		return nil, err
	}
	a, b := math.Exp(res.X[0]), math.Exp(res.X[1])
	if a < 0.05 || b < 0.05 || a > 1e5 || b > 1e5 || math.IsNaN(a+b) {
		return nil, fmt.Errorf("shapes %s, %s are outside the range crmroi computes accurately (0.05 to 1e5)", fmtG(a), fmtG(b))
	}
	a, b = roundSig(a), roundSig(b)
	d, err := built(distributions.NewBeta(a, b, lo, hi))
	if err != nil {
		return nil, err
	}
	n := s.n
	return &estimate{
		params: []float64{a, b, lo, hi}, names: []string{"alpha", "beta", "min", "max"},
		free: []bool{true, true, false, false}, k: 2 + nb, dist: d, note: note,
		loglik: func(p []float64) float64 { return n * betaLL1(p[0], p[1], s1, s2, w) },
	}, nil
}

// triLL is the triangular log-likelihood.
func triLL(x []float64, a, c, b float64) float64 {
	if !(a <= c && c <= b && a < b) {
		return math.Inf(-1)
	}
	var ll float64
	for _, v := range x {
		var d float64
		switch {
		case v < a || v > b:
			return math.Inf(-1)
		case v < c || v == c && c > a:
			d = 2 * (v - a) / ((b - a) * (c - a))
		default:
			d = 2 * (b - v) / ((b - a) * (b - c))
		}
		if !(d > 0) {
			return math.Inf(-1)
		}
		ll += math.Log(d)
	}
	return ll
}

// triMode returns the MLE of the triangular mode for bounds a, b and its
// log-likelihood. For known bounds the MLE of the mode is one of the order
// statistics (Oliver 1972): with prefix sums of log(x − a) and suffix sums
// of log(b − x), each candidate costs O(1).
func triMode(x []float64, a, b float64, la, lb []float64) (float64, float64) {
	n := len(x)
	for i, v := range x {
		la[i+1] = la[i] + math.Log(v-a)
	}
	lb[n] = 0
	for i := n - 1; i >= 0; i-- {
		lb[i] = lb[i+1] + math.Log(b-x[i])
	}
	best, bestLL := math.NaN(), math.Inf(-1)
	for j := 0; j < n; j++ {
		c := x[j]
		// x_0..x_j on the rising side (x_j = c has density 2/(b−a)),
		// x_{j+1}… on the falling side
		below, above := float64(j), float64(n-1-j)
		ll := la[j] + lb[j+1]
		if below > 0 {
			ll -= below * math.Log(c-a)
		}
		if above > 0 {
			ll -= above * math.Log(b-c)
		}
		if ll > bestLL {
			best, bestLL = c, ll
		}
	}
	return best, bestLL + float64(n)*math.Log(2/(b-a))
}

// fitBounds maximises the profile log-likelihood ll(a, b) over the bounds
// that were not given, a < x₁ and b > xₙ (within [0, 1] for shares), by
// Nelder–Mead on the logs of the gaps to the data, starting from the sample
// range widened by range/(n − 1).
func fitBounds(s *sample, ll func(a, b float64) float64) (a, b float64) {
	x := s.x
	x1, xn := x[0], x[len(x)-1]
	pad := (xn - x1) / float64(len(x)-1)
	var free []int // 0: lower, 1: upper
	if !s.loSet {
		free = append(free, 0)
	}
	if !s.hiSet {
		free = append(free, 1)
	}
	at := func(p []float64) (float64, float64) {
		a, b := s.lo, s.hi
		for i, f := range free {
			g := math.Exp(p[i])
			if f == 0 {
				a = x1 - g
				if s.share {
					a = math.Max(a, 0)
				}
			} else {
				b = xn + g
				if s.share {
					b = math.Min(b, 1)
				}
			}
		}
		return a, b
	}
	if len(free) == 0 {
		return s.lo, s.hi
	}
	init := make([]float64, len(free))
	for i := range init {
		init[i] = math.Log(pad)
	}
	prob := optimize.Problem{Func: func(p []float64) float64 {
		a, b := at(p)
		v := -ll(a, b)
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}}
	// The log-likelihood is a sum over n values: a change below 1e-7 in it
	// moves nothing that is printed.
	res, err := optimize.Minimize(prob, init, &optimize.Settings{
		FuncEvaluations: 400,
		Converger:       &optimize.FunctionConverge{Absolute: 1e-7, Iterations: 12},
	}, &optimize.NelderMead{SimplexSize: 0.5})
	if err != nil && res == nil || res == nil {
		return at(init)
	}
	if res.F > prob.Func(init) {
		return at(init)
	}
	return at(res.X)
}

func fitTriangular(s *sample) (*estimate, error) {
	x := s.x
	n := len(x)
	la, lb := make([]float64, n+1), make([]float64, n+1)
	a, b := fitBounds(s, func(a, b float64) float64 {
		if !(a < b) {
			return math.Inf(-1)
		}
		_, ll := triMode(x, a, b, la, lb)
		return ll
	})
	a, b = roundOut(a, -1), roundOut(b, 1)
	best, _ := triMode(x, a, b, la, lb)
	if math.IsNaN(best) {
		return nil, errors.New("found no mode")
	}
	c := math.Max(a, math.Min(b, roundSig(best)))
	d, err := built(distributions.NewTriangular(a, c, b))
	if err != nil {
		return nil, err
	}
	return &estimate{
		params: []float64{a, c, b}, names: []string{"min", "mode", "max"},
		free: []bool{false, false, false}, k: 1 + s.nBounds, note: s.boundNote(),
		dist:   d,
		loglik: func(p []float64) float64 { return triLL(x, p[0], p[1], p[2]) },
	}, nil
}

// pertMode returns the MLE of the pert mode for bounds a, b (λ = 4) and its
// log-likelihood. The log-likelihood is concave in the mode (α + β = 6 is
// fixed and log Beta is convex): a grid, then golden-section search.
func pertMode(s *sample, a, b float64) (float64, float64) {
	s1, s2, ok := unitLogs(s.x, a, b)
	if !ok {
		return math.NaN(), math.Inf(-1)
	}
	w := b - a
	n := s.n
	ll := func(m float64) float64 {
		al := 1 + 4*(m-a)/w
		be := 1 + 4*(b-m)/w
		return n * betaLL1(al, be, s1, s2, w)
	}
	const grid = 32
	bi := 0
	bv := math.Inf(-1)
	for i := 0; i <= grid; i++ {
		if v := ll(a + w*float64(i)/grid); v > bv {
			bi, bv = i, v
		}
	}
	l := a + w*float64(max(bi-1, 0))/grid
	h := a + w*float64(min(bi+1, grid))/grid
	gr := (math.Sqrt(5) - 1) / 2
	for it := 0; it < 200 && h-l > 1e-10*w; it++ {
		m1 := h - gr*(h-l)
		m2 := l + gr*(h-l)
		if ll(m1) < ll(m2) {
			l = m1
		} else {
			h = m2
		}
	}
	m := (l + h) / 2
	return m, ll(m)
}

func fitPert(s *sample) (*estimate, error) {
	a, b := fitBounds(s, func(a, b float64) float64 {
		_, ll := pertMode(s, a, b)
		return ll
	})
	a, b = roundOut(a, -1), roundOut(b, 1)
	m, _ := pertMode(s, a, b)
	if math.IsNaN(m) {
		return nil, fmt.Errorf("needs every value strictly inside [%s, %s]", fmtG(a), fmtG(b))
	}
	m = math.Max(a, math.Min(b, roundSig(m)))
	s1, s2, _ := unitLogs(s.x, a, b)
	w, n := b-a, s.n
	d, err := built(distributions.NewPERT(a, m, b, 4))
	if err != nil {
		return nil, err
	}
	return &estimate{
		params: []float64{a, m, b}, names: []string{"min", "mode", "max"},
		free: []bool{false, true, false}, k: 1 + s.nBounds, note: s.boundNote(),
		dist: d,
		loglik: func(p []float64) float64 {
			if !(p[1] >= a && p[1] <= b) {
				return math.Inf(-1)
			}
			return n * betaLL1(1+4*(p[1]-a)/w, 1+4*(b-p[1])/w, s1, s2, w)
		},
	}, nil
}

func fitUniform(s *sample) (*estimate, error) {
	a, b := roundOut(s.lo, -1), roundOut(s.hi, 1)
	n := s.n
	d, err := built(distributions.NewUniform(a, b))
	if err != nil {
		return nil, err
	}
	return &estimate{
		params: []float64{a, b}, names: []string{"min", "max"}, free: []bool{false, false},
		k: s.nBounds, note: s.boundNote(),
		dist:   d,
		loglik: func(p []float64) float64 { return -n * math.Log(p[1]-p[0]) },
	}, nil
}
