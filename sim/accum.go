package sim

import (
	"context"
	"math"
	"runtime"
	"sync"

	"github.com/crmroi/crmroi/internal/parallel"
	"github.com/crmroi/crmroi/model"
)

// moments are the count, mean and sum of squared deviations of the finite
// values of a column, with the extremes of all its defined values.
type moments struct {
	N        int64
	Mean, M2 float64
	Min, Max float64
}

func newMoments() moments { return moments{Min: math.Inf(1), Max: math.Inf(-1)} }

// merge adds o to m (Chan, Golub and LeVeque's pairwise formula); merging in a
// fixed order gives a fixed result.
func (m *moments) merge(o moments) {
	m.Min = min(m.Min, o.Min)
	m.Max = max(m.Max, o.Max)
	if o.N == 0 {
		return
	}
	if m.N == 0 {
		m.N, m.Mean, m.M2 = o.N, o.Mean, o.M2
		return
	}
	n := m.N + o.N
	d := o.Mean - m.Mean
	m.Mean += d * float64(o.N) / float64(n)
	m.M2 += o.M2 + d*d*float64(m.N)*float64(o.N)/float64(n)
	m.N = n
}

// blockSummary is what one block contributes besides its kept values.
type blockSummary struct {
	N         int
	Metric    []moments // per output
	Undefined []int64   // per output: NaN values
	CumSum    []float64 // per month: Σ Cum_t
	// Hits counts, per threshold of every output (the outputs' Thresholds
	// one after the other), the iterations that satisfy it.
	Hits     []int64
	Outcomes [model.NumOutcomes]int64
}

// accumulator gathers the results of a run's blocks. In exact mode (at most
// ExactLimit iterations) it keeps every output and monthly value; otherwise
// per-worker sketches. Block summaries are merged in block order, and sketches
// merge by adding counts, so the result depends neither on the workers nor on
// how the blocks were split into shards.
type accumulator struct {
	p        *prepared
	cfg      Config
	exact    bool
	capacity int
	n        int // iterations of the run
	from, to int // the blocks done
	blocks   []blockSummary
	values   [][]float64 // per output: the first keep iterations
	keep     int
	cum      [][]float32 // per month (exact mode), rounded to float32: the bands' percentiles are within 6e-8 (relative) of exact, at half the memory
	outcome  []model.Outcome
	inputs   [][]float64 // with KeepSamples
	corr     []float64   // with a proposal: each iteration's log-weight correction
	scores   [][]float64 // with Config.scores: per stream, each iteration's normal score
	mu       sync.Mutex
	workers  []*worker
	sketches []Sketch     // sketch mode: per output, then per month, shared by the workers
	skMu     []sync.Mutex // guards sketches[c]
	conv     *Convergence
}

// newAccumulator returns the accumulator of a run of up to capacity
// iterations. A run with a tolerance (cfg.Iterations first)
// stays exact while its count is at most ExactLimit, growing its storage as it
// goes (grow), so that it equals a plain run of the iterations it ends with.
func newAccumulator(p *prepared, cfg Config, capacity int) *accumulator {
	a := accumulatorShape(p, cfg, capacity)
	a.blocks = make([]blockSummary, blocksOf(capacity))
	if a.keepsValues() {
		a.values = make([][]float64, len(p.outs))
		for k := range a.values {
			a.values[k] = make([]float64, a.keep)
		}
	}
	if !a.exact {
		a.sketches = make([]Sketch, len(p.outs)+p.h)
		a.skMu = make([]sync.Mutex, len(a.sketches))
	}
	if a.exact {
		a.cum = make([][]float32, p.h)
		for t := range a.cum {
			a.cum[t] = make([]float32, firstBatch(cfg, capacity))
		}
	}
	if cfg.prop != nil {
		a.corr = make([]float64, firstBatch(cfg, capacity))
	}
	if cfg.scores {
		a.scores = make([][]float64, p.streams())
		for k := range a.scores {
			a.scores[k] = make([]float64, firstBatch(cfg, capacity))
		}
	}
	if cfg.KeepSamples {
		first := firstBatch(cfg, capacity)
		a.outcome = make([]model.Outcome, first)
		a.inputs = make([][]float64, len(p.unc))
		for k := range a.inputs {
			a.inputs[k] = make([]float64, first)
		}
	}
	return a
}

// accumulatorShape is an accumulator's settings (exact mode, values kept)
// without its storage.
func accumulatorShape(p *prepared, cfg Config, capacity int) *accumulator {
	first := firstBatch(cfg, capacity)
	a := &accumulator{p: p, cfg: cfg, capacity: capacity, exact: first <= exactLimit}
	if a.keepsValues() {
		a.keep = min(capacity, exactLimit)
		if a.exact {
			a.keep = first
		}
	}
	return a
}

// firstBatch is the number of iterations an accumulator of the given
// capacity holds at first: all of them, but only the first batch for a run
// with a tolerance.
func firstBatch(cfg Config, capacity int) int {
	if cfg.Tolerance > 0 || cfg.MinESS > 0 {
		return min(cfg.Iterations, capacity)
	}
	return capacity
}

// keepsValues says whether the accumulator keeps the outputs' values.
func (a *accumulator) keepsValues() bool { return a.exact || a.cfg.KeepOutputs || a.cfg.KeepSamples }

// worker returns the accumulator's i-th worker, creating it on first use.
func (a *accumulator) worker(i int) *worker {
	a.mu.Lock()
	defer a.mu.Unlock()
	for len(a.workers) <= i {
		a.workers = append(a.workers, a.p.newWorker())
	}
	return a.workers[i]
}

// add records block b (iterations [lo, hi)) from the worker's buffers. Blocks
// write disjoint places, so workers call it concurrently.
func (a *accumulator) add(w *worker, b, lo, hi int) {
	p, nb := a.p, hi-lo
	bs := blockSummary{N: nb, Metric: make([]moments, len(p.outs)), Undefined: make([]int64, len(p.outs)), CumSum: make([]float64, p.h),
		Hits: make([]int64, p.nthr)}
	for k, col := range w.outs {
		col = col[:nb]
		bs.Metric[k], bs.Undefined[k] = columnMoments(col)
		for j, t := range p.outs[k].Thresholds {
			bs.Hits[p.thr[k]+j] = countHits(col, t)
		}
		if lo < a.keep {
			copy(a.values[k][lo:min(hi, a.keep)], col)
		}
	}
	for _, o := range w.outc[:nb] {
		bs.Outcomes[o]++
	}
	sumMonths(bs.CumSum, w.cum[:nb*p.h], a.cum, lo) // a.cum is nil in sketch mode
	if !a.exact {
		a.sketchBlock(w, b, nb)
	}
	if a.corr != nil {
		copy(a.corr[lo:hi], w.corr[:nb])
	}
	for k, col := range a.scores {
		copy(col[lo:hi], w.zs[k][:nb])
	}
	if a.inputs != nil {
		copy(a.outcome[lo:hi], w.outc[:nb])
		for k := range p.unc {
			p.inputValues(w, k, a.inputs[k][lo:hi])
		}
	}
	a.blocks[b] = bs
}

// countHits counts the values of col that satisfy threshold t. The loops add
// comparisons (compiled without branches, which random values would often
// mispredict).
func countHits(col []float64, t model.Threshold) int64 {
	n, at := int64(0), t.At
	switch t.Cmp {
	case model.Below:
		for _, v := range col {
			if v < at {
				n++
			}
		}
	case model.AtMost:
		for _, v := range col {
			if v <= at {
				n++
			}
		}
	default:
		for _, v := range col {
			if v > at {
				n++
			}
		}
	}
	return n
}

// columnMoments returns the moments of a block's column and its number of NaN
// values: the extremes of the other values, and the mean and the sum of
// squared deviations about it (a second pass) of the finite ones. Most
// columns have neither NaN nor infinities; their passes need no tests.
func columnMoments(col []float64) (moments, int64) {
	lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
	for _, v := range col {
		if v < lo { // false for NaN, like v > hi
			lo = v
		}
		if v > hi {
			hi = v
		}
		sum += v
	}
	fin, undefined := len(col), int64(0)
	if sum-sum != 0 { // a NaN, an infinity (or an overflow): sum the finite values
		sum, fin = 0, 0
		for _, v := range col {
			if v-v == 0 {
				sum += v
				fin++
			} else if v != v {
				undefined++
			}
		}
	}
	if fin == 0 {
		return moments{Min: lo, Max: hi}, undefined
	}
	mean, m2 := sum/float64(fin), 0.0
	if fin == len(col) {
		for _, v := range col {
			d := v - mean
			m2 += d * d
		}
	} else {
		for _, v := range col {
			if v-v == 0 {
				d := v - mean
				m2 += d * d
			}
		}
	}
	return moments{N: int64(fin), Mean: mean, M2: m2, Min: lo, Max: hi}, undefined
}

// sumMonths adds up the block's cumulative cash flows (cum, row-major by
// iteration, len(sums) months a row) into sums, month by month in iteration
// order, and copies month t's into dst[t][at:] as float32 unless dst is nil.
// It goes four months at a time, reading four adjacent values of each row.
func sumMonths(sums, cum []float64, dst [][]float32, at int) {
	h := len(sums)
	if h == 0 {
		return
	}
	nb := len(cum) / h
	t := 0
	for ; t+4 <= h; t += 4 {
		var s0, s1, s2, s3 float64
		if dst == nil {
			for i := t; i < len(cum); i += h {
				c := cum[i : i+4 : i+4]
				s0, s1, s2, s3 = s0+c[0], s1+c[1], s2+c[2], s3+c[3]
			}
		} else {
			d0, d1, d2, d3 := dst[t][at:at+nb], dst[t+1][at:at+nb], dst[t+2][at:at+nb], dst[t+3][at:at+nb]
			for i := range d0 {
				c := cum[i*h+t : i*h+t+4 : i*h+t+4]
				s0, s1, s2, s3 = s0+c[0], s1+c[1], s2+c[2], s3+c[3]
				d0[i], d1[i], d2[i], d3[i] = float32(c[0]), float32(c[1]), float32(c[2]), float32(c[3])
			}
		}
		sums[t], sums[t+1], sums[t+2], sums[t+3] = s0, s1, s2, s3
	}
	for ; t < h; t++ {
		s := 0.0
		for i := 0; i < nb; i++ {
			v := cum[i*h+t]
			s += v
			if dst != nil {
				dst[t][at+i] = float32(v)
			}
		}
		sums[t] = s
	}
}

// pilot gives every sketch its centre and floor (pilotOf) from the values of
// block 0 (its first nb iterations), which every process of a run, whichever
// shards it computes, simulates alike: so all the run's sketches of a column
// share one grid and merge. A monthly value counts as its float32 rounding,
// as exact mode keeps it. A numeric error in the block is left for the run
// to report; the pilot skips values that are not finite.
func (a *accumulator) pilot(seed uint64, nb int) {
	p, w := a.p, a.worker(0)
	_ = p.simBlock(w, 0, 0, nb, seed)
	cols := make([][]float64, len(a.sketches))
	for k := range p.outs {
		cols[k] = w.outs[k][:nb]
	}
	for t := 0; t < p.h; t++ {
		col := make([]float64, nb)
		for i := range col {
			col[i] = float64(float32(w.cum[i*p.h+t]))
		}
		cols[len(p.outs)+t] = col
	}
	for c, col := range cols {
		a.sketches[c] = newSketch(pilotOf(col))
	}
}

// grow makes room for a run with a tolerance to go on to n iterations: it
// extends the kept values while n is at most ExactLimit, and past it turns
// to sketches, built from the values kept (the pilot from their first block),
// exactly those a plain run of as many iterations builds.
func (a *accumulator) grow(n int) {
	p := a.p
	if a.exact && n > exactLimit {
		a.sketches = make([]Sketch, len(p.outs)+p.h)
		a.skMu = make([]sync.Mutex, len(a.sketches))
		done, nb := a.n, min(BlockSize, a.n)
		each(len(a.sketches), a.cfg.Workers, func(c int) {
			var col []float64
			if c < len(p.outs) {
				col = a.values[c][:done]
			} else {
				col = make([]float64, done)
				for i, v := range a.cum[c-len(p.outs)][:done] {
					col[i] = float64(v)
				}
			}
			sk := newSketch(pilotOf(col[:nb]))
			for _, v := range col {
				if v == v {
					sk.Add(v)
				}
			}
			a.sketches[c] = sk
		})
		a.exact, a.cum = false, nil
		if !a.cfg.KeepOutputs && !a.cfg.KeepSamples {
			a.values, a.keep = nil, 0
		}
	}
	if a.values != nil && min(n, exactLimit) > a.keep {
		a.keep = min(n, exactLimit)
		for k, col := range a.values {
			a.values[k] = append(col, make([]float64, a.keep-len(col))...)
		}
	}
	if a.exact {
		for t, col := range a.cum {
			if n > len(col) {
				a.cum[t] = append(col, make([]float32, n-len(col))...)
			}
		}
	}
	if a.corr != nil && n > len(a.corr) {
		a.corr = append(a.corr, make([]float64, n-len(a.corr))...)
	}
	for k, col := range a.scores {
		if n > len(col) {
			a.scores[k] = append(col, make([]float64, n-len(col))...)
		}
	}
	if a.inputs != nil && n > len(a.outcome) {
		a.outcome = append(a.outcome, make([]model.Outcome, n-len(a.outcome))...)
		for k, col := range a.inputs {
			a.inputs[k] = append(col, make([]float64, n-len(col))...)
		}
	}
}

// sketchBlock adds a block's values to the shared sketches, one column at a
// time under its lock; workers start at different columns (by block) so that
// they seldom wait for each other. Counts add, so the order does not matter.
// Monthly values count as their float32 rounding, as exact mode keeps them.
func (a *accumulator) sketchBlock(w *worker, b, nb int) {
	p, h := a.p, a.p.h
	cols := len(a.sketches)
	for j := 0; j < cols; j++ {
		c := (j + b*7) % cols
		a.skMu[c].Lock()
		sk := &a.sketches[c]
		if c < len(p.outs) {
			for _, v := range w.outs[c][:nb] {
				if v == v {
					sk.Add(v)
				}
			}
		} else {
			t := c - len(p.outs)
			for i := 0; i < nb; i++ {
				sk.Add(float64(float32(w.cum[i*h+t])))
			}
		}
		a.skMu[c].Unlock()
	}
}

// merged returns the summaries of blocks [from, to) merged in block order.
func (a *accumulator) merged(from, to int) blockSummary {
	p := a.p
	t := blockSummary{Metric: make([]moments, len(p.outs)), Undefined: make([]int64, len(p.outs)), CumSum: make([]float64, p.h),
		Hits: make([]int64, p.nthr)}
	for k := range t.Metric {
		t.Metric[k] = newMoments()
	}
	for b := from; b < to; b++ {
		bs := &a.blocks[b]
		t.N += bs.N
		for k := range t.Metric {
			t.Metric[k].merge(bs.Metric[k])
			t.Undefined[k] += bs.Undefined[k]
		}
		for m := range t.CumSum {
			t.CumSum[m] += bs.CumSum[m]
		}
		for i, c := range bs.Hits {
			t.Hits[i] += c
		}
		for i := range t.Outcomes {
			t.Outcomes[i] += bs.Outcomes[i]
		}
	}
	return t
}

// sketch is the sketch of column c (an output, or len(outputs)+month).
func (a *accumulator) sketch(c int) *Sketch { return &a.sketches[c] }

// quantiles of column c (an output, or len(outputs)+month) over the first n
// iterations; lo and hi (the exact extremes) clamp sketch estimates.
func (a *accumulator) quantiles(c, n int, ps []float64, lo, hi float64) []float64 {
	if !a.exact {
		return a.sketch(c).Quantiles(ps, lo, hi)
	}
	if c >= len(a.p.outs) {
		return Quantiles(a.cum[c-len(a.p.outs)][:n], ps)
	}
	return Quantiles(definedOnly(a.values[c][:n]), ps)
}

// definedOnly returns x without its NaN values (x itself when it has none).
func definedOnly(x []float64) []float64 {
	for i, v := range x {
		if v != v {
			out := append([]float64(nil), x[:i]...)
			for _, v := range x[i+1:] {
				if v == v {
					out = append(out, v)
				}
			}
			return out
		}
	}
	return x
}

// reduce computes the statistics of the run, in parallel over columns; each
// column is reduced by one goroutine, in a fixed order.
func (a *accumulator) reduce() *Result {
	p, n := a.p, a.n
	t := a.merged(0, blocksOf(n))
	names := make([]string, len(p.outs))
	for k, o := range p.outs {
		names[k] = o.Name
	}
	fn := float64(n)
	res := &Result{
		Iterations: n,
		Outputs:    names,
		Info:       p.outs,
		Metrics:    make([]Stats, len(p.outs)),
		Undefined:  make([]int, len(p.outs)),
		Probs:      make([][]float64, len(p.outs)),
		Bands:      make([]Band, p.h),
		Exact:      a.exact,
		Converged:  a.conv,
		Config:     a.cfg,
	}
	res.Config.Progress, res.Config.Sink = nil, nil
	for k, o := range p.outs {
		res.Probs[k] = make([]float64, len(o.Thresholds))
		for j := range o.Thresholds {
			res.Probs[k][j] = float64(t.Hits[p.thr[k]+j]) / fn
		}
	}
	for k, c := range t.Outcomes {
		res.Outcomes[k] = float64(c) / fn
	}
	for k := range p.outs {
		res.Undefined[k] = int(t.Undefined[k])
	}
	if a.values != nil && (a.cfg.KeepOutputs || a.cfg.KeepSamples) {
		res.Values = make([][]float64, len(a.values))
		for k := range a.values {
			res.Values[k] = a.values[k][:min(n, a.keep)]
		}
	}
	if a.cfg.KeepSamples {
		res.Outcome = a.outcome[:n]
		res.Inputs = make([][]float64, len(a.inputs))
		for k := range a.inputs {
			res.Inputs[k] = a.inputs[k][:n]
		}
		for _, j := range p.unc {
			res.InputNames = append(res.InputNames, p.s.Inputs[j].Path)
		}
	}
	each(len(p.outs)+p.h, a.cfg.Workers, func(j int) {
		if j >= len(p.outs) {
			mo := j - len(p.outs)
			res.Bands[mo] = Band{Month: mo + 1, Mean: t.CumSum[mo] / fn, Pct: a.quantiles(j, n, BandLevels, math.Inf(-1), math.Inf(1))}
			return
		}
		m := t.Metric[j]
		st := Stats{N: n - res.Undefined[j], Min: m.Min, Max: m.Max, Mean: math.NaN(), SD: math.NaN(), SE: math.NaN()}
		if m.N > 0 {
			st.Mean, st.SD, st.SE = m.Mean, 0, 0
			if m.N > 1 {
				st.SD = math.Sqrt(m.M2 / float64(m.N-1))
				st.SE = st.SD / math.Sqrt(float64(m.N))
			}
		}
		if st.N == 0 {
			st.Min, st.Max = math.NaN(), math.NaN()
			st.Pct = Quantiles[float64](nil, PctLevels)
		} else {
			st.Pct = a.quantiles(j, n, PctLevels, m.Min, m.Max)
		}
		res.Metrics[j] = st
	})
	return res
}

// each runs f(0..jobs−1), which cannot fail, on up to workers goroutines
// (workers ≤ 0: one per CPU).
func each(jobs, workers int, f func(int)) {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	_ = parallel.For(context.Background(), workers, jobs, func(_, j int) error { f(j); return nil })
}
