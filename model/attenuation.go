package model

import (
	"fmt"
	"math"

	"github.com/crmroi/crmroi/distributions"
)

// The grid of normal scores on which rankScores tabulates a marginal.
const (
	scoreLo   = -9.0
	scoreStep = 1.0 / 512
	scoreN    = 2*9*512 + 1
)

// rankScores tabulates g(z) = F̃(Q(Φ(z))) on the grid of normal scores, where
// F̃(x) = (P(X < x) + P(X ≤ x))/2 is the mid-rank of x (a tie's share split
// evenly): the population version of the ranks Spearman's correlation
// takes. For a continuous marginal g(z) = Φ(z); atoms make it a staircase.
func rankScores(d distributions.Dist) []float64 {
	g := make([]float64, scoreN)
	if distributions.Continuous(d) {
		// No atoms: the mid-rank of Q(Φ(z)) is Φ(z) itself, without the
		// 9,217 inverse CDFs (a beta's cost most of a small run's time).
		for i := range g {
			g[i] = 0.5 * math.Erfc(-(scoreLo+float64(i)*scoreStep)/math.Sqrt2)
		}
		return g
	}
	for i := range g {
		z := scoreLo + float64(i)*scoreStep
		x := d.Quantile(min(max(0.5*math.Erfc(-z/math.Sqrt2), 1e-300), 1-0x1p-53))
		g[i] = (d.CDF(math.Nextafter(x, math.Inf(-1))) + d.CDF(x)) / 2
	}
	return g
}

// hasAtoms reports whether a marginal's mid-rank scores g differ from Φ:
// it puts probability on single values, which rank correlation sees as ties.
func hasAtoms(g []float64) bool {
	for i, v := range g {
		z := scoreLo + float64(i)*scoreStep
		if math.Abs(v-0.5*math.Erfc(-z/math.Sqrt2)) > 1e-3 {
			return true
		}
	}
	return false
}

// AchievedRankCorrelation returns the Spearman rank correlation (of
// mid-ranks) that two inputs with distributions a and b reach when the
// Gaussian copula is given the rank correlation rho (normal-score
// correlation r = 2 sin(πρ/6)): ρ itself for continuous marginals, less in
// magnitude where atoms (bernoulli, discrete, repeated data values) tie.
// It integrates corr(g_a(Z_a), g_b(Z_b)) over the bivariate normal on a grid
// of step 1/512 (within 1e-3 of the sample value of a large run).
func AchievedRankCorrelation(a, b distributions.Dist, rho float64) float64 {
	return achieved(rankScores(a), rankScores(b), rho)
}

func achieved(ga, gb []float64, rho float64) float64 {
	r := 2 * math.Sin(math.Pi*rho/6)
	s := math.Sqrt(1 - r*r)
	at := func(g []float64, z float64) float64 {
		i := int(math.Round((z - scoreLo) / scoreStep))
		return g[min(max(i, 0), scoreN-1)]
	}
	// Weights of the standard normal on a coarser grid (every 8th point).
	const step = 8
	var zs, ws []float64
	sum := 0.0
	for i := 0; i < scoreN; i += step {
		z := scoreLo + float64(i)*scoreStep
		w := math.Exp(-z * z / 2)
		zs, ws = append(zs, z), append(ws, w)
		sum += w
	}
	for i := range ws {
		ws[i] /= sum
	}
	var ma, mb, va, vb, cab float64
	for i, z := range zs {
		x := at(ga, z)
		ma += ws[i] * x
		va += ws[i] * x * x
		y := at(gb, z)
		mb += ws[i] * y
		vb += ws[i] * y * y
		inner := 0.0 // E[g_b(r z + s W)]
		for k, w := range zs {
			inner += ws[k] * at(gb, r*z+s*w)
		}
		cab += ws[i] * x * inner
	}
	va -= ma * ma
	vb -= mb * mb
	if va <= 0 || vb <= 0 {
		return math.NaN()
	}
	return (cab - ma*mb) / math.Sqrt(va*vb)
}

// warnAttenuated warns, for each correlation of an input with atoms, that
// rank correlation with ties is attenuated, and gives the value the copula
// achieves for the two marginals.
func (l *loader) warnAttenuated(s *Scenario) {
	scores := map[int][]float64{}
	get := func(i int) []float64 {
		if g, ok := scores[i]; ok {
			return g
		}
		g := rankScores(s.Inputs[i].Dist)
		scores[i] = g
		return g
	}
	for _, c := range s.Correlations {
		ga, gb := get(c.I), get(c.J)
		if !hasAtoms(ga) && !hasAtoms(gb) {
			continue
		}
		got := achieved(ga, gb, c.Rho)
		if math.Abs(got-c.Rho) < 0.005 {
			continue
		}
		var which []string
		for _, i := range []int{c.I, c.J} {
			if hasAtoms(scores[i]) {
				which = append(which, s.Inputs[i].Path+" = "+s.Inputs[i].Dist.String())
			}
		}
		l.warnAt(c.Pos, "correlations", fmt.Sprintf("[%s, %s, %s]: rank correlation with values that repeat (%s) is attenuated by ties: the copula achieves %.3f, not %s",
			c.A, c.B, fmtNum(c.Rho), joinAnd(which), got, fmtNum(c.Rho)))
	}
}

// joinAnd joins texts with ", " and a final " and ".
func joinAnd(x []string) string {
	switch len(x) {
	case 0:
		return ""
	case 1:
		return x[0]
	}
	out := x[0]
	for _, v := range x[1 : len(x)-1] {
		out += ", " + v
	}
	return out + " and " + x[len(x)-1]
}
