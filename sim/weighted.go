package sim

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/crmroi/crmroi/model"
)

// Importance weighting (crmroi track): each iteration carries a log weight,
// an output of the model (Config.LogWeight), computed as the iteration is
// simulated. The weights w_i = exp(l_i − max l) (log-sum-exp: the largest
// is 1, none overflows), their sum W and the effective sample size
// ESS = W² / Σ w² are summed in iteration order, and every weighted
// statistic is reduced column by column in iteration (or value, then
// iteration) order: the result depends neither on the workers nor on how
// the blocks ran. A run extended for its ESS (Config.MinESS) adds whole
// blocks, each seeded by its index, so it equals a run of the iterations it
// ends with.

// Spread is a distribution's mean and its P10 and P90.
type Spread struct {
	Mean, P10, P90 float64
}

// InputUpdate is an uncertain input's distribution before and after the weighting.
type InputUpdate struct {
	Name           string // its path
	Prior, Updated Spread
}

// Update is a weighted run: the distributions before and after the weights.
type Update struct {
	// Prior is the unweighted run, with every output of the model (the
	// weighting's own too).
	Prior *Result
	// Posterior is the weighted run, without the weighting's outputs (the
	// log weight and those after it): its statistics, thresholds, outcome
	// shares and bands are weighted; its Values are a systematic resample
	// of the iterations by weight (for the charts), as many as the run's.
	Posterior *Result
	// ESS is the effective sample size (Σw)²/Σw²; Asked the iterations
	// asked for (Config.Iterations); Prior.Iterations those done.
	ESS   float64
	Asked int
	// Inputs are the uncertain inputs, in the order of the scenario's.
	Inputs []InputUpdate
	// Weights are the final sample's weights, the largest 1, and
	// WeightSum their sum; Iterations its iterations (Prior's, unless the
	// run adapted its sampling).
	Weights    []float64
	WeightSum  float64
	Iterations int
	// Rounds is the number of proposals an adaptive run fitted (0: the
	// iterations were drawn from the prior).
	Rounds int
	final  *accumulator
}

// Values are the final sample's values of output name, by iteration (nil
// when it has none); with Weights they give any weighted figure.
func (u *Update) Values(name string) []float64 {
	k := slices.IndexFunc(u.final.p.outs, func(o model.OutputInfo) bool { return o.Name == name })
	if k < 0 {
		return nil
	}
	return u.final.values[k][:u.final.n]
}

// RunWeighted simulates model m of s as cfg says, each iteration weighted
// by exp of its output cfg.LogWeight; with cfg.MinESS it continues in
// whole blocks until the weights' effective sample size reaches
// cfg.MinESS, or cfg.MaxIterations. Every value is kept, so the run must
// fit in exact mode: at most ExactLimit iterations.
//
// With adapt, when the prior's weights fall short of cfg.MinESS, the
// iterations are drawn from a proposal fitted to the weighted iterations
// (adaptive importance sampling, see adaptiveRun); Prior is then still the
// plain run of cfg.Iterations.
func RunWeighted(ctx context.Context, s *model.Scenario, m model.Model, cfg Config, adapt bool) (*Update, error) {
	j := slices.IndexFunc(m.Outputs(), func(o model.OutputInfo) bool { return o.Name == cfg.LogWeight })
	if j < 0 {
		return nil, fmt.Errorf("sim: the model has no output %q to weigh by", cfg.LogWeight)
	}
	if cfg.Shards > 1 || cfg.Tolerance > 0 || cfg.Sink != nil {
		return nil, fmt.Errorf("sim: a weighted run is not sharded, has no tolerance and no sink")
	}
	if n := max(cfg.Iterations, cfg.MaxIterations); n > exactLimit {
		return nil, fmt.Errorf("sim: a weighted run keeps every value: at most %d iterations, got %d", exactLimit, n)
	}
	if cfg.MinESS <= 0 {
		cfg.MaxIterations = cfg.Iterations
	}
	cfg.KeepSamples, cfg.KeepOutputs = true, true
	first := cfg
	if adapt {
		first.MinESS, first.MaxIterations, first.scores = 0, cfg.Iterations, true
	}
	acc, err := simulate(ctx, s, m, first)
	if err != nil {
		return nil, err
	}
	u := &Update{Prior: acc.reduce(), Asked: cfg.Iterations}
	prior := acc
	if adapt && cfg.MinESS > 0 && acc.weights(j, acc.n, 1).ess < cfg.MinESS {
		if acc, u.Rounds, err = adaptiveRun(ctx, s, m, cfg, acc, j); err != nil {
			return nil, err
		}
	}
	w := acc.weights(j, acc.n, 1)
	u.ESS, u.Weights, u.WeightSum, u.final = w.ess, w.w, w.sum, acc
	u.Posterior = acc.reduceWeighted(j, w)
	u.Inputs = inputUpdates(prior, acc, w)
	u.Iterations = acc.n
	return u, nil
}

// Adaptive importance sampling: the prior's weights are tempered, l·β with
// β from 0 to 1 in steps that keep half the iterations effective; at each
// step a Gaussian proposal on the normal scores (proposal) is fitted to
// the tempered weights of the last sample, widened by proposalInflate, and
// a new sample of cfg.Iterations drawn from it (a seed of its own per
// round). Once β is 1, the final run draws from the last proposal with the
// run's seed and extends to cfg.MinESS as a plain weighted run does.
const (
	proposalInflate = 1.0
	maxRounds       = 12
)

// temperTarget is the share of a round's iterations its tempered weights
// keep effective.
var temperTarget = 0.2

// adaptiveRun is the adaptive weighted run after the prior's sample acc.
func adaptiveRun(ctx context.Context, s *model.Scenario, m model.Model, cfg Config, acc *accumulator, j int) (*accumulator, int, error) {
	beta := 0.0
	var prop *proposal
	round := 1
	for ; round <= maxRounds; round++ {
		next := acc.nextBeta(j, beta)
		prop = fitProposal(acc.scores, acc.weights(j, acc.n, next), proposalInflate)
		beta = next
		if beta >= 1 && round > 1 {
			break
		}
		c := cfg
		c.MinESS, c.MaxIterations, c.prop, c.scores = 0, cfg.Iterations, prop, true
		c.Seed = cfg.Seed + uint64(round)*0x9e3779b97f4a7c15
		c.Progress = nil
		var err error
		if acc, err = simulate(ctx, s, m, c); err != nil {
			return nil, 0, err
		}
	}
	c := cfg
	c.prop = prop
	acc, err := simulate(ctx, s, m, c)
	return acc, min(round, maxRounds), err
}

// nextBeta is the temperature after beta for acc's sample: 1 when the
// full weights keep half the iterations effective, else the β in (beta, 1]
// whose weights do (bisection).
func (a *accumulator) nextBeta(j int, beta float64) float64 {
	target := float64(a.n) * temperTarget
	if a.weights(j, a.n, 1).ess >= target {
		return 1
	}
	lo, hi := beta, 1.0
	for range 40 {
		mid := (lo + hi) / 2
		if a.weights(j, a.n, mid).ess >= target {
			lo = mid
		} else {
			hi = mid
		}
	}
	return max(lo, beta+1e-6)
}

// weights are a run's normalised weights.
type weights struct {
	w       []float64 // per iteration, the largest 1
	sum     float64   // W = Σ w
	ess     float64   // W² / Σ w²
	support []int     // the iterations of positive weight, in order
}

// weights computes the weights of the first n iterations: the exponential
// of beta times output j (the log-likelihood) plus the proposal's
// correction.
func (a *accumulator) weights(j, n int, beta float64) weights {
	lw := make([]float64, n)
	for i, v := range a.values[j][:n] {
		lw[i] = beta * v
		if a.corr != nil {
			lw[i] += a.corr[i]
		}
	}
	mx := math.Inf(-1)
	for _, v := range lw {
		mx = max(mx, v)
	}
	ws := weights{w: make([]float64, n)}
	sq := 0.0
	for i, v := range lw {
		x := math.Exp(v - mx)
		ws.w[i] = x
		ws.sum += x
		sq += x * x
		if x > 0 {
			ws.support = append(ws.support, i)
		}
	}
	if sq > 0 {
		ws.ess = ws.sum * ws.sum / sq
	}
	return ws
}

// extendESS continues a weighted run in whole blocks until the effective
// sample size of its weights reaches cfg.MinESS or capacity: each batch
// aims at the iterations the ESS so far says are needed (ESS grows in
// proportion), at least half as many again as done.
func (p *prepared) extendESS(ctx context.Context, acc *accumulator, cfg Config, capacity int) error {
	j := slices.IndexFunc(p.outs, func(o model.OutputInfo) bool { return o.Name == cfg.LogWeight })
	if j < 0 {
		return fmt.Errorf("sim: the model has no output %q to weigh by", cfg.LogWeight)
	}
	n := acc.n
	for {
		ess := acc.weights(j, n, 1).ess
		if ess >= cfg.MinESS || n >= capacity {
			return nil
		}
		next := n + n/2
		if ess > 0 {
			next = max(next, int(min(float64(capacity), float64(n)*cfg.MinESS/ess*1.1)))
		} else {
			next = capacity
		}
		next = min(capacity, (next+BlockSize-1)/BlockSize*BlockSize)
		acc.grow(next)
		if err := p.runBlocks(ctx, acc, blocksOf(n), blocksOf(next), next, cfg); err != nil {
			return err
		}
		n = next
		acc.n, acc.to = n, blocksOf(n)
	}
}

// weightedQuantiles returns the weighted quantiles at ps of the values x
// with weights w (both over the same iterations, x without NaN): type 7
// generalised to weights. With the values sorted (ties by iteration),
// value k stands at S_k = Σ_{i<k} w_i, the last at W − w_last; the
// p-quantile interpolates linearly at T = p·(W − w_last). With equal
// weights this is exactly Quantiles' type 7 (S_k = k, T = (n−1)p).
func weightedQuantiles[T float32 | float64](x []T, w []float64, ps []float64) []float64 {
	out := make([]float64, len(ps))
	n := len(x)
	if n == 0 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(x[a], x[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	s := make([]float64, n) // S_k
	for k := 1; k < n; k++ {
		s[k] = s[k-1] + w[order[k-1]]
	}
	total := s[n-1] // W − w_last
	for i, p := range ps {
		t := p * total
		k, _ := slices.BinarySearch(s, t) // first S_k ≥ t
		if k == n || s[k] > t {
			k-- // the last S_k ≤ t
		}
		k = max(k, 0)
		for k+1 < n && s[k+1] <= t { // equal S (zero weights): the last
			k++
		}
		a := float64(x[order[k]])
		if k+1 >= n {
			out[i] = a
			continue
		}
		f := 0.0
		if wk := w[order[k]]; wk > 0 {
			f = (t - s[k]) / wk
		}
		b := float64(x[order[k+1]])
		switch {
		case f == 0 || a == b:
			out[i] = a
		case math.IsInf(b, 1):
			out[i] = b
		case math.IsInf(a, -1):
			out[i] = a
		default:
			out[i] = a + f*(b-a)
		}
	}
	return out
}

// weightedColumn gathers the iterations of positive weight of a column
// (get(i), NaN left out) and their weights.
func weightedColumn[T float32 | float64](ws weights, get func(i int) T) ([]T, []float64) {
	x := make([]T, 0, len(ws.support))
	w := make([]float64, 0, len(ws.support))
	for _, i := range ws.support {
		if v := get(i); v == v {
			x = append(x, v)
			w = append(w, ws.w[i])
		}
	}
	return x, w
}

// weightedMoments returns the weighted mean, sd (reliability weights:
// Σw(x−m)² / (V1 − V2/V1)) and effective count V1²/V2 of the finite values.
func weightedMoments[T float32 | float64](x []T, w []float64) (mean, sd, eff float64) {
	v1, v2, sum := 0.0, 0.0, 0.0
	for i, xv := range x {
		if v := float64(xv); v-v == 0 {
			v1 += w[i]
			v2 += w[i] * w[i]
			sum += w[i] * v
		}
	}
	if v1 == 0 {
		return math.NaN(), math.NaN(), 0
	}
	mean = sum / v1
	m2 := 0.0
	for i, xv := range x {
		if v := float64(xv); v-v == 0 {
			d := v - mean
			m2 += w[i] * d * d
		}
	}
	eff = v1 * v1 / v2
	if den := v1 - v2/v1; den > 0 && eff > 1+1e-12 {
		sd = math.Sqrt(m2 / den)
	}
	return mean, sd, eff
}

// reduceWeighted computes the weighted statistics of outputs 0..j−1, the
// bands and the outcome shares, with the weights ws.
func (a *accumulator) reduceWeighted(j int, ws weights) *Result {
	p, n := a.p, a.n
	res := &Result{
		Iterations: n,
		Info:       p.outs[:j],
		Metrics:    make([]Stats, j),
		Undefined:  make([]int, j),
		Probs:      make([][]float64, j),
		Bands:      make([]Band, p.h),
		Exact:      true,
		Config:     a.cfg,
	}
	res.Config.Progress, res.Config.Sink, res.Config.KeepSamples = nil, nil, false
	for _, o := range p.outs[:j] {
		res.Outputs = append(res.Outputs, o.Name)
	}
	for _, i := range ws.support {
		res.Outcomes[a.outcome[i]] += ws.w[i]
	}
	for k := range res.Outcomes {
		res.Outcomes[k] /= ws.sum
	}
	// Values: a systematic resample by weight, in iteration order.
	pick := make([]int, n)
	c, i := 0.0, 0
	for r := range pick {
		u := (float64(r) + 0.5) / float64(n) * ws.sum
		for i < n-1 && c+ws.w[i] <= u {
			c += ws.w[i]
			i++
		}
		pick[r] = i
	}
	res.Values = make([][]float64, j)
	each(j+p.h, a.cfg.Workers, func(c int) {
		if c >= j {
			t := c - j
			col := a.cum[t]
			x, w := weightedColumn(ws, func(i int) float32 { return col[i] })
			mean, _, _ := weightedMoments(x, w)
			res.Bands[t] = Band{Month: t + 1, Mean: mean, Pct: weightedQuantiles(x, w, BandLevels)}
			return
		}
		col := a.values[c][:n]
		info := p.outs[c]
		probs := make([]float64, len(info.Thresholds))
		undef := 0.0
		for _, i := range ws.support {
			v := col[i]
			if v != v {
				undef += ws.w[i]
				continue
			}
			for t, th := range info.Thresholds {
				if th.Holds(v) {
					probs[t] += ws.w[i]
				}
			}
		}
		for t := range probs {
			probs[t] /= ws.sum
		}
		res.Probs[c] = probs
		res.Undefined[c] = int(math.Round(undef / ws.sum * float64(n)))
		x, w := weightedColumn(ws, func(i int) float64 { return col[i] })
		st := Stats{N: n - res.Undefined[c], Min: math.NaN(), Max: math.NaN(), Mean: math.NaN(), SD: math.NaN(), SE: math.NaN()}
		if len(x) > 0 {
			st.Min, st.Max = slices.Min(x), slices.Max(x)
			mean, sd, eff := weightedMoments(x, w)
			if eff > 0 {
				st.Mean, st.SD, st.SE = mean, sd, sd/math.Sqrt(eff)
			}
		}
		st.Pct = weightedQuantiles(x, w, PctLevels)
		res.Metrics[c] = st
		vals := make([]float64, n)
		for r, i := range pick {
			vals[r] = col[i]
		}
		res.Values[c] = vals
	})
	return res
}

// inputUpdates are the uncertain inputs' distributions before (the plain
// run prior) and after the weights ws (of post's sample).
func inputUpdates(prior, post *accumulator, ws weights) []InputUpdate {
	p, n := prior.p, prior.n
	ups := make([]InputUpdate, len(p.unc))
	each(len(p.unc), prior.cfg.Workers, func(k int) {
		col := prior.inputs[k][:n]
		sum := 0.0
		for _, v := range col {
			sum += v
		}
		q := Quantiles(col, []float64{0.1, 0.9})
		pc := post.inputs[k][:post.n]
		x, w := weightedColumn(ws, func(i int) float64 { return pc[i] })
		mean, _, _ := weightedMoments(x, w)
		uq := weightedQuantiles(x, w, []float64{0.1, 0.9})
		ups[k] = InputUpdate{Name: p.s.Inputs[p.unc[k]].Path,
			Prior:   Spread{Mean: sum / float64(n), P10: q[0], P90: q[1]},
			Updated: Spread{Mean: mean, P10: uq[0], P90: uq[1]}}
	})
	return ups
}
