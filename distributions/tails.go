package distributions

import "math"

// Cuts far in a tail. A cut such as normal(0, 1, min=38.5) keeps a mass
// (1e-324 here) that float64 cannot hold, or holds only in subnormal
// numbers with few digits left. Families that implement logTails compute
// such cuts in log space: the tail probabilities as logarithms, the
// quantile by inverting the log tail, and the cut mean from closed forms in
// logs. A cut is then refused only when its mass is truly 0 (an empty
// range, or a range beyond the support).

// logTinyTail is the tail probability below which a cut is computed in
// log space: far above the subnormal range, so that both ways agree where
// they meet.
const logTinyTail = 1e-200

// logTails is implemented by the bases whose tails can be computed in log
// space.
type logTails interface {
	logcdf(x float64) float64  // log P(X ≤ x)
	logsf(x float64) float64   // log P(X > x)
	qlogLo(lt float64) float64 // x with logcdf(x) = lt
	qlogHi(ls float64) float64 // x with logsf(x) = ls
	// tailMean is E[X | lo < X < hi] for a range far in the upper tail
	// (upper) or the lower tail.
	tailMean(lo, hi float64, upper bool) float64
}

// inTail finishes newCont for a range far in one tail of a base with log
// tails (blo, bhi: the base's support).
func (d *contDist) inTail(lt logTails, blo, bhi float64) (*contDist, bool) {
	upper := d.slo < logTinyTail && d.lo > blo
	var near, far float64
	if upper {
		near, far = lt.logsf(d.lo), math.Inf(-1)
		if d.hi < bhi {
			far = lt.logsf(d.hi)
		}
		d.tail = 1
	} else {
		near, far = lt.logcdf(d.hi), math.Inf(-1)
		if d.lo > blo {
			far = lt.logcdf(d.lo)
		}
		d.tail = -1
	}
	d.lnear, d.r, d.lt = near, math.Exp(far-near), lt
	if math.IsInf(near, -1) || math.IsNaN(near) || !(d.r < 1) {
		return nil, false
	}
	d.mass = math.Exp(near) * (1 - d.r) // may underflow: kept for reference only
	d.mean = math.Max(d.lo, math.Min(d.hi, lt.tailMean(d.lo, d.hi, upper)))
	d.plan = d.mean
	if !math.IsNaN(d.mode) {
		d.plan = math.Max(d.lo, math.Min(d.hi, d.mode))
	}
	return d, true
}

// tailQuantile is the quantile of a cut far in a tail: the x whose log tail
// probability is that of the nearer bound plus log(1 − p(1 − r)) (upper
// tail) or log(r + p(1 − r)) (lower tail).
func (d *contDist) tailQuantile(p float64) float64 {
	var x float64
	if d.tail > 0 {
		x = d.lt.qlogHi(d.lnear + math.Log1p(-p*(1-d.r)))
	} else {
		x = d.lt.qlogLo(d.lnear + math.Log(d.r+p*(1-d.r)))
	}
	return math.Max(d.lo, math.Min(d.hi, x))
}

// tailCDF is the CDF (sf false) or the survival function (sf true) of a cut
// far in a tail, each accurate where small.
func (d *contDist) tailCDF(x float64, sf bool) float64 {
	if x <= d.lo {
		if sf {
			return 1
		}
		return 0
	}
	if x >= d.hi {
		if sf {
			return 0
		}
		return 1
	}
	var e float64 // the tail probability at x relative to the nearer bound's
	if d.tail > 0 {
		e = math.Exp(d.lt.logsf(x) - d.lnear)
		if sf {
			return (e - d.r) / (1 - d.r)
		}
		return (1 - e) / (1 - d.r)
	}
	e = math.Exp(d.lt.logcdf(x) - d.lnear)
	if sf {
		return (1 - e) / (1 - d.r)
	}
	return (e - d.r) / (1 - d.r)
}

// LogCDF returns log P(X ≤ x), accurate in relative terms where the
// probability is small: from the family's log tail where it has one (normal,
// lognormal, weibull, and their cuts far in a tail), else from the lower
// tail's own CDF. −Inf below the support.
func LogCDF(d Dist, x float64) float64 {
	if w, ok := d.(*withSource); ok {
		d = w.Dist
	}
	if c, ok := d.(*contDist); ok {
		if x <= c.lo {
			return math.Inf(-1)
		}
		if x >= c.hi {
			return 0
		}
		if lt, ok := c.b.(logTails); ok && !c.trunc {
			return lt.logcdf(x)
		}
		if c.tail < 0 {
			return c.lnear + math.Log((math.Exp(c.lt.logcdf(x)-c.lnear)-c.r)/(1-c.r))
		}
		return math.Log(c.lowerCDF(x))
	}
	return math.Log(d.CDF(x))
}

// LogSurvival returns log P(X > x), accurate in relative terms where the
// probability is small (far in the upper tail, where 1 − CDF would lose
// every digit): from the family's log tail where it has one, else from the
// upper tail's own survival function. −Inf above the support.
func LogSurvival(d Dist, x float64) float64 {
	if w, ok := d.(*withSource); ok {
		d = w.Dist
	}
	if c, ok := d.(*contDist); ok {
		if x <= c.lo {
			return 0
		}
		if x >= c.hi {
			return math.Inf(-1)
		}
		if lt, ok := c.b.(logTails); ok && !c.trunc {
			return lt.logsf(x)
		}
		if c.tail > 0 {
			return c.lnear + math.Log((math.Exp(c.lt.logsf(x)-c.lnear)-c.r)/(1-c.r))
		}
		return math.Log(c.upperSF(x))
	}
	if t, ok := d.(*triangularDist); ok {
		return LogSurvival(t.asCont(), x)
	}
	return math.Log1p(-d.CDF(x))
}
