package sim

import (
	"context"
	"math"
	"runtime"
	"slices"
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
// ExactLimit iterations) it keeps every output value; otherwise it counts
// them in sketches. The monthly values (the bands) always go to sketches:
// they are chart data, and 36 kept columns were most of a run's memory.
// Block summaries are merged in block order, and sketches merge by adding
// counts, so the result depends neither on the workers nor on how the
// blocks were split into shards.
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
	// cum keeps every monthly value (as float32) for a weighted run
	// (Config.LogWeight), whose bands weigh each iteration: its other runs
	// count them in the months' sketches only.
	cum      [][]float32
	outcome  []model.Outcome
	inputs   [][]float64 // with KeepSamples
	corr     []float64   // with a proposal: each iteration's log-weight correction
	scores   [][]float64 // with Config.scores: per stream, each iteration's normal score
	mu       sync.Mutex
	workers  []*worker
	sketches []Sketch     // per output (sketch mode only), then per month, shared by the workers
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
	a.sketches = make([]Sketch, len(p.outs)+p.h)
	a.skMu = make([]sync.Mutex, len(a.sketches))
	if a.exact && cfg.LogWeight != "" {
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
	bs := blockSummary{N: nb, Metric: slices.Clone(w.moments), Undefined: slices.Clone(w.undefined), CumSum: slices.Clone(w.cumSum),
		Hits: make([]int64, p.nthr)}
	for k, col := range w.outs {
		col = col[:nb]
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
	a.sketchBlock(w, b, nb)
	for t, col := range a.cum {
		col = col[lo:hi]
		for i := range col {
			col[i] = float32(w.cum[i*p.h+t])
		}
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
// order, and reports whether every value is within ±MaxMonthly (the check
// rides on the sums' pass). It goes four months at a time, reading four
// adjacent values of each row.
func sumMonths(sums, cum []float64) bool {
	h := len(sums)
	if h == 0 {
		return true
	}
	t, big := 0, 0.0 // big: the largest |value|, NaN if any
	for ; t+4 <= h; t += 4 {
		var s0, s1, s2, s3 float64
		for i := t; i < len(cum); i += h {
			c := cum[i : i+4 : i+4]
			s0, s1, s2, s3 = s0+c[0], s1+c[1], s2+c[2], s3+c[3]
			m := max(math.Abs(c[0]), math.Abs(c[1]), math.Abs(c[2]), math.Abs(c[3]))
			if !(m <= big) && big == big { // NaN stays
				big = m
			}
		}
		sums[t], sums[t+1], sums[t+2], sums[t+3] = s0, s1, s2, s3
	}
	for ; t < h; t++ {
		s := 0.0
		for i := t; i < len(cum); i += h {
			s += cum[i]
			if m := math.Abs(cum[i]); !(m <= big) && big == big {
				big = m
			}
		}
		sums[t] = s
	}
	return big <= MaxMonthly
}

// pilot gives every sketch its centre and floor (pilotOf) from the values of
// block 0 (its first nb iterations), which every process of a run, whichever
// shards it computes, simulates alike: so all the run's sketches of a column
// share one grid and merge. In exact mode only the months have sketches. A
// monthly value counts as its float32 rounding (monthValues). A numeric
// error in the block is left for the run to report; the pilot skips values
// that are not finite.
func (a *accumulator) pilot(seed uint64, nb int) {
	p, w := a.p, a.worker(0)
	_ = p.simBlock(w, 0, 0, nb, seed)
	for c := a.firstSketch(); c < len(a.sketches); c++ {
		if c < len(p.outs) {
			a.sketches[c] = newSketch(pilotOf(w.outs[c][:nb]))
			continue
		}
		g := pilotOf(monthValues(make([]float64, nb), w.cum, p.h, c-len(p.outs)))
		g.Bits = bandBits
		a.sketches[c] = newSketch(g)
	}
}

// firstSketch is the first column counted in a sketch: the first output in
// sketch mode, the first month in exact mode.
func (a *accumulator) firstSketch() int {
	if a.exact {
		return len(a.p.outs)
	}
	return 0
}

// monthValues fills dst with month t's values of a block's cumulative cash
// flows (cum, row-major by iteration, h months a row), each rounded to
// float32: the bands have always counted them so (they were kept as float32,
// and the sketches' counts do not change with the run's size). It returns
// dst.
func monthValues(dst, cum []float64, h, t int) []float64 {
	for i := range dst {
		dst[i] = float64(float32(cum[i*h+t]))
	}
	return dst
}

// grow makes room for a run with a tolerance to go on to n iterations: it
// extends the kept values while n is at most ExactLimit, and past it turns
// the outputs to sketches, built from the values kept (the pilot from their
// first block), exactly those a plain run of as many iterations builds (the
// months' sketches count from the start).
func (a *accumulator) grow(n int) {
	p := a.p
	if a.exact && n > exactLimit {
		done, nb := a.n, min(BlockSize, a.n)
		each(len(p.outs), a.cfg.Workers, func(c int) {
			col := a.values[c][:done]
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

// flushBlocks is the number of blocks whose sketch values a worker holds
// before it adds them to the shared sketches. A sketch of 10⁶ values spans
// some 10⁵ buckets, hundreds of KB: adding a column's values of several
// blocks at once finds most of its buckets in the cache, where one block's
// values would mostly miss it (the buckets of the other columns, added in
// between, having pushed them out).
const flushBlocks = 8

// pending holds a worker's sketch values not yet added to the shared
// sketches: per sketched output (sketch mode) its defined values, per month
// its values as float32 (as the bands count them, see monthValues).
type pending struct {
	outs   [][]float64
	months [][]float32
	blocks int
}

// sketchBlock adds a block's values to the worker's pending values (the
// months', and in sketch mode the outputs'), and every flushBlocks blocks
// those to the shared sketches (flush).
func (a *accumulator) sketchBlock(w *worker, b, nb int) {
	p, h := a.p, a.p.h
	pd := w.pend
	if pd == nil {
		pd = &pending{months: make([][]float32, p.h)}
		for t := range pd.months {
			pd.months[t] = make([]float32, 0, flushBlocks*BlockSize)
		}
		w.pend = pd
	}
	if !a.exact && pd.outs == nil { // sketch mode, or a run with a tolerance past ExactLimit (grow)
		pd.outs = make([][]float64, len(p.outs))
		for k := range pd.outs {
			pd.outs[k] = make([]float64, 0, flushBlocks*BlockSize)
		}
	}
	for k := range pd.outs {
		for _, v := range w.outs[k][:nb] {
			if v == v {
				pd.outs[k] = append(pd.outs[k], v)
			}
		}
	}
	for t, col := range pd.months {
		col = col[:len(col)+nb]
		dst := col[len(col)-nb:]
		for i := range dst {
			dst[i] = float32(w.cum[i*h+t])
		}
		pd.months[t] = col
	}
	if pd.blocks++; pd.blocks == flushBlocks {
		a.flush(w, b)
	}
}

// flush adds a worker's pending values to the shared sketches, one column
// at a time under its lock; workers start at different columns (by block b)
// so that they seldom wait for each other. Counts add, so the order does not
// matter.
func (a *accumulator) flush(w *worker, b int) {
	pd := w.pend
	if pd == nil || pd.blocks == 0 {
		return
	}
	first := a.firstSketch()
	cols := len(a.sketches) - first
	for j := 0; j < cols; j++ {
		c := first + (j+b*7)%cols
		a.skMu[c].Lock()
		if c < len(a.p.outs) {
			addValues(&a.sketches[c], pd.outs[c])
			pd.outs[c] = pd.outs[c][:0]
		} else {
			t := c - len(a.p.outs)
			addValues(&a.sketches[c], pd.months[t])
			pd.months[t] = pd.months[t][:0]
		}
		a.skMu[c].Unlock()
	}
	pd.blocks = 0
}

// flushAll adds every worker's pending values to the shared sketches (at
// the end of runBlocks, before the sketches are read).
func (a *accumulator) flushAll() {
	for i, w := range a.workers {
		a.flush(w, i)
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
	if !a.exact || c >= len(a.p.outs) {
		return a.sketch(c).Quantiles(ps, lo, hi)
	}
	return definedQuantiles(a.values[c][:n], ps)
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
