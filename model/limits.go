package model

import (
	"math"
	"strings"

	"github.com/crmroi/crmroi/distributions"
)

// Magnitude limits of the CRM model's parameters. Beyond them the monthly
// cash flows overflow float64 or the float32 copies the bands are computed
// from, and the statistics with them, so a scenario is refused at load; the
// engine stops a run whose values leave its own limits all the same
// (sim.MaxOutput, sim.MaxMonthly), naming the iteration.
const (
	// MaxMoney bounds the magnitude of every money amount (money,
	// money/month, money/seat/month): a thousand trillion, beyond any
	// company's accounts in any currency.
	MaxMoney = 1e15
	// MaxSeats bounds the number of paid seats.
	MaxSeats = 1e9
	// MaxFactor bounds multipliers, relative effects and annual rates.
	MaxFactor = 1e6
)

// Limit returns the largest magnitude parameter p may take, +Inf where it has
// no limit of its own (or its domain is narrower).
func (p ParamInfo) Limit() float64 {
	lim := math.Inf(1)
	switch {
	case strings.HasPrefix(p.Unit, "money"):
		lim = MaxMoney
	case p.Unit == "users":
		lim = MaxSeats
	case p.Unit == "multiplier" || p.Unit == "relative" || p.Unit == "per year":
		lim = MaxFactor
	}
	if p.Domain.Lo >= -lim && p.Domain.Hi <= lim {
		return math.Inf(1)
	}
	return lim
}

// withinLimit reports, as an error at e, a value of p whose plan value, or a
// finite end of whose support, passes p's limit. An unbounded tail (a
// lognormal's) is left to the engine, which stops a run whose values
// overflow.
func (l *loader) withinLimit(e entry, p ParamInfo, d distributions.Dist) bool {
	lim := p.Limit()
	if math.IsInf(lim, 1) {
		return true
	}
	v := d.Plan()
	if !d.Fixed() {
		lo, hi := d.Support()
		for _, end := range []float64{lo, hi} {
			if !math.IsInf(end, 0) && math.Abs(end) > math.Abs(v) {
				v = end
			}
		}
	}
	if math.Abs(v) <= lim {
		return true
	}
	what := fmtNum(v) + " is"
	if !d.Fixed() {
		what = d.String() + " reaches " + fmtNum(v) + ","
	}
	kind, hint := "a multiplier, relative effect or annual rate", ""
	switch {
	case strings.HasPrefix(p.Unit, "money"):
		kind, hint = "an amount of money", "; state the amounts in thousands or millions (and say so in currency:)"
	case p.Unit == "users":
		kind = "a number of seats"
	}
	l.errorf(e.val, p.Path, "%s beyond ±%s, the limit of %s (%s): the cash flows and their statistics would overflow%s", what, fmtNum(lim), kind, p.Unit, hint)
	return false
}
