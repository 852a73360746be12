// Package fit fits distribution families to a sample of historical data by
// maximum likelihood, ranks them by AIC and BIC, tests them with the
// Kolmogorov–Smirnov and Anderson–Darling statistics (p-values by
// parametric bootstrap) and gives each fit as a crmroi expression; it also
// reads a numeric column from a CSV or .xlsx file (ReadColumn).
//
// Every candidate is a distributions.Dist built by its family's constructor
// (distributions.NewNormal, …) from parameters rounded to 6 significant
// digits before the statistics are computed; its String is the printed
// expression, so what is printed is exactly what was tested.
//
// Estimators. normal and lognormal: closed-form MLE (sd with divisor n).
// gamma: the shape solves log k − ψ(k) = log(mean) − mean(log x), the scale
// is mean/k. weibull: Newton on the profile equation of the shape, safeguarded
// by bisection. beta: BFGS (gonum/optimize) on the log shapes with the exact
// gradient. pert: the mode by grid and golden-section search. triangular:
// the mode is the order statistic that maximises the likelihood (the MLE for
// known bounds). uniform: its bounds.
//
// Bounds of the bounded families (beta, triangular, pert, uniform): given
// with Options.Min/Max, or else the sample range widened by range/(n − 1) on
// each side (the unbiased estimate of a uniform's ends), kept within [0, 1]
// when every value lies in [0, 1] (shares); beta on shares uses [0, 1]
// itself. Estimated bounds count as parameters in AIC and BIC.
//
// Standard errors are from the observed information (the numerical Hessian
// of the log-likelihood at the estimate), for the parameters estimated by
// smooth maximisation; bounds and the triangular mode have none.
package fit

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"

	"github.com/crmroi/crmroi/distributions"
	"github.com/crmroi/crmroi/internal/parallel"
	"gonum.org/v1/gonum/mat"
)

// DefaultBootstrap is the number of parametric bootstrap resamples for the
// p-values of the goodness-of-fit statistics.
const DefaultBootstrap = 200

// MaxValues is the largest sample Fit accepts.
const MaxValues = 1_000_000

// Options controls Fit.
type Options struct {
	// Families to try, from Families; nil or empty tries them all.
	Families []string
	// Min and Max are known bounds of the data (NaN when unknown): the
	// support of the bounded families.
	Min, Max float64
	// Bootstrap is the number of parametric bootstrap resamples for the
	// p-values (0: no p-values).
	Bootstrap int
	// Seed seeds the resamples: the results depend only on the data, the
	// options and the seed, never on Workers.
	Seed uint64
	// Workers run resamples in parallel; 0 means GOMAXPROCS.
	Workers int
	// Context, when not nil, stops the fit between families and resamples
	// once it is done: Fit then returns its error.
	Context context.Context
}

// Param is one parameter of a fit; SE is its standard error, NaN when the
// parameter was not estimated by smooth maximisation (bounds, the
// triangular mode).
type Param struct {
	Name      string
	Value, SE float64
}

// Result is one family fitted to the data.
type Result struct {
	Family string
	// Expr is the crmroi expression of the fit, Dist.String(); Dist is the
	// fitted distribution (parsing Expr gives the same).
	Expr string
	Dist distributions.Dist
	// Params are the natural parameters of Expr.
	Params []Param
	// K is the number of parameters estimated from the data.
	K int
	// LogLik is the log-likelihood; AIC = 2K − 2 LogLik, BIC = K ln n − 2 LogLik.
	LogLik, AIC, BIC float64
	// DeltaAIC is AIC minus the smallest AIC; RankAIC and RankBIC are
	// 1-based ranks.
	DeltaAIC         float64
	RankAIC, RankBIC int
	// KS is the Kolmogorov–Smirnov statistic sup |F_n − F|, AD the
	// Anderson–Darling A²; KSP and ADP their parametric bootstrap p-values
	// (NaN without bootstrap).
	KS, KSP, AD, ADP float64
	// Resamples is the number of bootstrap resamples that could be refitted.
	Resamples int
	// Note says how the bounds were chosen, for bounded families.
	Note string
}

// Skipped is a family that could not be fitted, and why.
type Skipped struct {
	Family, Reason string
}

// Report is the outcome of Fit.
type Report struct {
	// N is the sample size; SD has divisor n − 1.
	N                  int
	Mean, SD, Min, Max float64
	// Results are the fitted families ranked by AIC; Skipped those that
	// could not be fitted.
	Results []Result
	Skipped []Skipped
	// Bootstrap and Seed are those of the options.
	Bootstrap int
	Seed      uint64
	// BoundMin and BoundMax are the bounds given (NaN when not).
	BoundMin, BoundMax float64
	// BestAIC and BestBIC point into Results.
	BestAIC, BestBIC *Result
	// Families are the families tried, in order.
	Families []string
	// Lo and Hi are the support of triangular, pert and uniform (before
	// rounding outward to 6 digits).
	Lo, Hi float64
}

// Fit fits the families of opt to values (at least 2 finite numbers that
// differ) and returns them ranked by AIC.
func Fit(values []float64, opt Options) (*Report, error) {
	n := len(values)
	if n < 2 {
		return nil, fmt.Errorf("fitting needs at least 2 values, got %d", n)
	}
	if n > MaxValues {
		return nil, fmt.Errorf("fitting takes at most %d values, got %d", MaxValues, n)
	}
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("value %d is %v: every value must be a finite number", i+1, v)
		}
	}
	fams := opt.Families
	if len(fams) == 0 {
		fams = Families
	}
	for _, f := range fams {
		if !contains(Families, f) {
			return nil, fmt.Errorf("unknown family %q; the families are %v", f, Families)
		}
	}
	lo, hi := values[0], values[0]
	for _, v := range values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if math.IsInf(hi-lo, 0) || math.IsInf(math.Abs(lo)+math.Abs(hi), 0) {
		return nil, fmt.Errorf("the values span %s to %s, too wide to compute with (their range exceeds float64's): rescale them, e.g. in millions", fmtG(lo), fmtG(hi))
	}
	if lo == hi {
		return nil, fmt.Errorf("all %d values are equal (%s): there is nothing to fit; use the number itself", n, fmtG(lo))
	}
	b := bounds{min: opt.Min, max: opt.Max}
	s, err := newSample(values, b)
	if err != nil {
		return nil, err
	}
	rep := &Report{N: n, Mean: s.mean, SD: s.sd * math.Sqrt(s.n/(s.n-1)), Min: s.x[0], Max: s.x[n-1],
		Bootstrap: opt.Bootstrap, Seed: opt.Seed, BoundMin: opt.Min, BoundMax: opt.Max, Families: fams, Lo: s.lo, Hi: s.hi}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx := opt.Context
	if ctx == nil {
		ctx = context.Background()
	}
	for _, f := range fams {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, err := fitOne(ctx, f, s, b, opt.Bootstrap, opt.Seed, workers)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err != nil {
			rep.Skipped = append(rep.Skipped, Skipped{f, err.Error()})
			continue
		}
		rep.Results = append(rep.Results, *r)
	}
	if len(rep.Results) == 0 {
		return rep, errors.New("no family could be fitted to the data")
	}
	rank(rep.Results)
	for i := range rep.Results {
		r := &rep.Results[i]
		if r.RankAIC == 1 {
			rep.BestAIC = r
		}
		if r.RankBIC == 1 {
			rep.BestBIC = r
		}
	}
	return rep, nil
}

// rank sorts by AIC (ties by family order) and sets ranks and ΔAIC.
func rank(rs []Result) {
	order := func(f string) int {
		for i, g := range Families {
			if g == f {
				return i
			}
		}
		return len(Families)
	}
	// sortBy sorts rs by a criterion, ties by family order.
	sortBy := func(crit func(*Result) float64) {
		sort.SliceStable(rs, func(i, j int) bool {
			if a, b := crit(&rs[i]), crit(&rs[j]); a != b {
				return a < b
			}
			return order(rs[i].Family) < order(rs[j].Family)
		})
	}
	sortBy(func(r *Result) float64 { return r.BIC })
	for i := range rs {
		rs[i].RankBIC = i + 1
	}
	sortBy(func(r *Result) float64 { return r.AIC })
	for i := range rs {
		rs[i].RankAIC = i + 1
		rs[i].DeltaAIC = rs[i].AIC - rs[0].AIC
	}
}

// fitOne fits family f, computes its statistics and bootstraps them.
func fitOne(ctx context.Context, f string, s *sample, b bounds, nboot int, seed uint64, workers int) (*Result, error) {
	est, err := fitFamily(f, s)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil { // checked between the steps, each O(n)
		return nil, err
	}
	d := est.dist
	ll := est.loglik(est.params)
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		return nil, fmt.Errorf("%s gives the data zero likelihood", d)
	}
	r := &Result{Family: f, Expr: d.String(), Dist: d, K: est.k, LogLik: ll, Note: est.note,
		KSP: math.NaN(), ADP: math.NaN()}
	r.AIC = 2*float64(est.k) - 2*ll
	r.BIC = float64(est.k)*math.Log(s.n) - 2*ll
	se := standardErrors(est, s)
	for i, name := range est.names {
		r.Params = append(r.Params, Param{Name: name, Value: est.params[i], SE: se[i]})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.KS, r.AD = gof(s.x, d)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if nboot > 0 {
		r.KSP, r.ADP, r.Resamples = bootstrap(ctx, f, d, len(s.x), b, r.KS, r.AD, nboot, seed, workers)
	}
	return r, nil
}

// standardErrors inverts the numerical Hessian of −log L over the free
// parameters.
func standardErrors(est *estimate, s *sample) []float64 {
	se := make([]float64, len(est.params))
	var idx []int
	for i, f := range est.free {
		se[i] = math.NaN()
		if f {
			idx = append(idx, i)
		}
	}
	m := len(idx)
	if m == 0 {
		return se
	}
	p := append([]float64(nil), est.params...)
	h := make([]float64, m)
	for a, i := range idx {
		h[a] = 1e-4 * math.Max(math.Abs(p[i]), s.sd)
		if est.names[i] == "mode" {
			h[a] = 1e-4 * (s.hi - s.lo)
		}
	}
	f := func(da, db int, sa, sb float64) float64 {
		q := append([]float64(nil), p...)
		if da >= 0 {
			q[idx[da]] += sa * h[da]
		}
		if db >= 0 {
			q[idx[db]] += sb * h[db]
		}
		return -est.loglik(q)
	}
	f0 := f(-1, -1, 0, 0)
	H := mat.NewSymDense(m, nil)
	for a := 0; a < m; a++ {
		H.SetSym(a, a, (f(a, -1, 1, 0)-2*f0+f(a, -1, -1, 0))/(h[a]*h[a]))
		for c := a + 1; c < m; c++ {
			v := (f(a, c, 1, 1) - f(a, c, 1, -1) - f(a, c, -1, 1) + f(a, c, -1, -1)) / (4 * h[a] * h[c])
			H.SetSym(a, c, v)
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(H) {
		return se
	}
	var inv mat.SymDense
	if err := chol.InverseTo(&inv); err != nil {
		return se
	}
	for a, i := range idx {
		if v := inv.At(a, a); v > 0 {
			se[i] = math.Sqrt(v)
		}
	}
	return se
}

// gof returns the Kolmogorov–Smirnov and Anderson–Darling statistics of the
// sorted sample x against d.
func gof(x []float64, d distributions.Dist) (ks, ad float64) {
	n := len(x)
	nf := float64(n)
	F := make([]float64, n)
	for i, v := range x {
		F[i] = d.CDF(v)
		if up := float64(i+1)/nf - F[i]; up > ks {
			ks = up
		}
		if lo := F[i] - float64(i)/nf; lo > ks {
			ks = lo
		}
	}
	// The logs of F and 1 − F come from the family's log CDF and log
	// survival function: 1 − F(x) computed as such loses every digit beyond
	// about 8 standard deviations. A value on the edge of the support (F = 0
	// or 1 exactly) counts as 1e-300.
	floor := math.Log(1e-300)
	var s float64
	for i := 0; i < n; i++ {
		lo := distributions.LogCDF(d, x[i])
		hi := distributions.LogSurvival(d, x[n-1-i])
		s += float64(2*i+1) * (math.Max(lo, floor) + math.Max(hi, floor))
	}
	ad = -nf - s/nf
	return ks, ad
}

// bootstrap draws nboot samples of size n from d, refits family f to each
// (with the same rule for the bounds) and returns the share of resamples
// whose statistics are at least those observed, as (1 + count)/(1 + valid).
func bootstrap(ctx context.Context, f string, d distributions.Dist, n int, b bounds, ks0, ad0 float64, nboot int, seed uint64, workers int) (ksp, adp float64, valid int) {
	h := fnv.New64a()
	h.Write([]byte(f))
	fam := h.Sum64()
	type stat struct {
		ks, ad float64
		ok     bool
	}
	out := make([]stat, nboot)
	q := distributions.Fast(d)
	// Given bounds are the support of the bounded families only: a fitted
	// normal, lognormal, gamma or weibull may put mass beyond them, and its
	// resamples must be refitted as they fall, not dropped (dropping them
	// all made p = (1 + 0)/(1 + 0) = 1).
	if !bounded[f] {
		b = bounds{min: math.NaN(), max: math.NaN()}
	}
	// One resample per job (internal/parallel); a resample that cannot be
	// refitted is no error, only not valid. Once ctx is done no resample
	// starts, and Fit drops the result.
	us := make([][]float64, max(1, min(workers, nboot))) // each goroutine's uniforms
	_ = parallel.For(ctx, workers, nboot, func(w, i int) error {
		if us[w] == nil {
			us[w] = make([]float64, n)
		}
		u := us[w]
		rng := rand.New(rand.NewPCG(seed, fam^uint64(i)*0x9e3779b97f4a7c15))
		for j := range u {
			u[j] = (float64(rng.Uint64()>>11) + 0.5) / (1 << 53)
		}
		sort.Float64s(u)
		if ctx.Err() != nil { // each step is O(n): a resample of 10⁶ values takes about a second
			return nil
		}
		xb := make([]float64, n)
		for j, p := range u {
			xb[j] = q.Quantile(p)
		}
		sb, err := newSample(xb, b)
		if err != nil || sb.x[0] == sb.x[n-1] || ctx.Err() != nil {
			return nil
		}
		est, err := fitFamily(f, sb)
		if err != nil || ctx.Err() != nil {
			return nil
		}
		k, a := gof(sb.x, est.dist)
		out[i] = stat{k, a, true}
		return nil
	})
	var cks, cad int
	for _, s := range out {
		if !s.ok {
			continue
		}
		valid++
		if s.ks >= ks0 {
			cks++
		}
		if s.ad >= ad0 {
			cad++
		}
	}
	if valid == 0 {
		return math.NaN(), math.NaN(), 0
	}
	return float64(1+cks) / float64(1+valid), float64(1+cad) / float64(1+valid), valid
}

// bounded are the families whose support is the bounds (given or
// estimated).
var bounded = map[string]bool{"beta": true, "triangular": true, "pert": true, "uniform": true}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
