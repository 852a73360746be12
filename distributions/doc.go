// Package distributions parses and evaluates the uncertain values of a
// scenario: a fixed number or a short distribution expression written the
// way an analyst says it (see spec/distributions.md).
//
// # Forms
//
//	expression                          meaning                              plan value
//	0.25, 50e6, -3, 3_500_000, .5, +2   a fixed number                       itself
//	pert(min, mode, max[, lambda=4])    modified PERT (below)                mode
//	triangular(min, mode, max)          triangular                           mode
//	uniform(min, max)                   uniform                              mean
//	normal(mean, sd)                    normal                               mean
//	normal(pXX=a, pYY=b)                normal through two percentiles       mean
//	lognormal(mu=…, sigma=…)            log of the value is normal           mean
//	lognormal(mean=…, sd=…)             mean and sd of the value itself      mean
//	lognormal(pXX=a, pYY=b)             lognormal through two percentiles    mean
//	beta(alpha, beta[, min=0, max=1])   beta, rescaled to [min, max]         mean
//	gamma(shape, scale)                 gamma                                mean
//	weibull(shape, scale)               Weibull: P(X ≤ x) = 1 − exp(−(x/scale)^shape)  mean
//	bernoulli(p)                        1 with probability p, else 0         mean
//	discrete(values=[…], weights=[…])   one of the values                    mean
//	A to B                              p5 = A and p95 = B: lognormal if     mean
//	                                    A > 0, else normal
//	empirical(file=…, column=…)         the data of a file (ParseWith only)  mean
//
// Every form can be cut with min= and/or max= written after it:
// "0.7 to 0.9, max=1", "pert(0.2, 0.5, 1.1), max=1" (truncation, below).
//
// # Numbers
//
// Wherever a number goes, a constant expression may be written: numbers
// (0.25, 3.5e6, 3_500_000, .5) with + - * / ^ and parentheses, and
// percentages (25% is 0.25): "600e6 / 12", "pert(20%, 25%, 30%)",
// "20% to 30%", "1.5 * 12e3". It is evaluated when parsed; ^ binds tightest
// and to the right, then a sign, then * and /, then + and − (−2^2 is −4).
// X% of a number written X is the decimal X/100 rounded once, so 12.5% and
// 0.125 are the same float64; of a parenthesised expression it is the value
// divided by 100. Division by zero and results beyond float64 are errors.
// The canonical String writes the values, not the expressions.
//
// # Inputs from data
//
// empirical(file=history.csv, column=churn) is the distribution of a column
// of historical data: resampled (the bootstrap: each value with probability
// 1/n, quantile the type-1 inverse of the empirical CDF), or with
// smooth=kde a Gaussian kernel density with Silverman's bandwidth (min= and
// max= cut it), or with fit=FAMILY|best the family fitted to the data by
// maximum likelihood. Parse has no access to files and rejects it; ParseWith
// resolves it through Options.Empirical (the scenario loader reads the file
// relative to the scenario). Its canonical form carries sha256= with the
// first 16 hex digits of the data file's SHA-256, so that the scenario's
// identity changes with the data; given in an expression, it is checked.
//
// The modified PERT is min + (max − min) × Beta(1 + λ(mode − min)/(max − min),
// 1 + λ(max − mode)/(max − min)) with λ = 4 unless lambda= is given
// (0 < λ ≤ 1e4). Its mean is (min + λ·mode + max)/(λ + 2).
//
// Arguments may be positional, in the order shown, or named with the names
// shown (pert(min=1, mode=2, max=3), normal(mean=10, sd=2),
// gamma(shape=2, scale=3), beta(alpha=2, beta=5), bernoulli(p=0.3)).
// Positional arguments come before named ones; unknown or repeated names are
// errors. lognormal takes named arguments only, so that mu/sigma can never
// be mistaken for mean/sd. Percentiles are written pXX with XX an integer
// from 1 to 99; exactly two are needed, in any order, and their values must
// increase with XX. discrete's weights are optional (equal weights) and are
// normalised to sum to 1; a list holds at most 10,000 values.
//
// Family names, argument names and "to" are case-insensitive. Shape
// parameters of beta (alpha, beta) must lie in [0.05, 1e5] and gamma's shape
// in [0.05, 1e7]: outside these ranges the incomplete beta and gamma
// functions lose accuracy.
//
// # Plan values
//
// Plan returns the value used by the deterministic plan case (model.md §4):
// the number itself, the mode of pert and triangular, and the mean of every
// other family — the truncated mean when truncated.
//
// # Truncation
//
// Every form is cut to a range and renormalised by ", min=…" and/or
// ", max=…" written after it: "0.7 to 0.9, max=1",
// "pert(0.2, 0.5, 1.1), max=1", "discrete(values=[1, 2, 3]), max=2",
// "empirical(file=h.csv, column=churn), min=0". normal, lognormal, gamma and
// weibull also take min= and max= inside their call, which is the same cut
// and their canonical form. A continuous distribution's quantile is then
// Q(F(min) + p·(F(max) − F(min))), computed in whichever tail keeps full
// precision. The parameters (mean and sd, percentiles, …) describe the
// distribution before it is cut. The plan value of a cut pert or triangular
// is its mode clamped into the range (the mode of the cut distribution), of
// every other family the mean of the cut distribution (closed forms). A
// discrete distribution keeps the values within [min, max] (both included)
// with their weights, renormalised. A range holding no probability is an
// error. Truncate and Outside do the same from Go.
//
// Inside the call of pert, triangular and uniform, min and max are the
// family's own parameters; giving them twice is rejected with the advice to
// write the cut after the call. For beta, min= and max= inside the call
// rescale the distribution from [0, 1] to [min, max] (as the spec says);
// written after it, they cut. bernoulli and discrete take no min=/max=
// inside their call.
//
// A cut far in a tail (tail probability below 1e-200, such as
// normal(0, 1, min=38.5), whose mass 1e-324 float64 cannot hold) is computed
// in log space for normal, lognormal, gamma and weibull: only a cut with no
// mass at all is refused. A distribution whose interquartile range (or
// width) is below MinSpread (1e-100) is refused: subnormal scales such as
// normal(0, 1e-310) cannot be sampled or summarised in float64.
//
// # From Go
//
// Each family has a constructor (NewPERT, NewTriangular, NewUniform,
// NewNormal, NewLognormal, NewBeta, NewGamma, NewWeibull, NewBernoulli,
// NewDiscrete, NewRange, NewFixed) returning the same Dist as its
// canonical expression, or a *ParamError naming the parameter at fault.
// Every Dist has Prob and LogProb (density, or probability of a value for
// discrete forms). Truncate and Outside cut a Dist and measure the cut;
// LogCDF and LogSurvival give its log tails. Each family lives in its own
// file; families.go lists them and says how to add one.
//
// # Errors
//
// Parse returns a *SyntaxError whose Offset is the byte offset of the
// offending token or argument and whose Msg is a one-line sentence quoting
// what was written, e.g. "pert needs min ≤ mode ≤ max, got
// pert(5e6, 3.5e6, 7e6)". A mode equal to min or max is allowed for pert and
// triangular (for pert it gives Beta(1, 1 + λ), a proper distribution).
//
// # Sampling
//
// Every Dist samples through its quantile function from a uniform u, so
// plain Monte Carlo, Latin hypercube, Sobol designs and copulas share one
// path. Dist.Quantile is exact (about 1e-12 relative or better) but costs
// microseconds for pert, beta and gamma. Fast(d) returns a Quantiler for the
// hot loop: closed forms where they exist, and for pert, beta, gamma and
// truncated gamma a precomputed monotone cubic Hermite table of the exact
// quantile with exact slopes 1/pdf, on a grid that refines geometrically
// into both tails; lookups are O(1), allocation-free and take about 10 ns,
// and agree with Quantile to better than 1e-9 of the distribution's scale.
package distributions
