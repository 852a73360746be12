// Package sim is crmroi's Monte Carlo engine: it samples a scenario's inputs in
// fixed-size, independently seeded blocks on parallel workers, evaluates the
// model, and reduces the results (moments, percentiles, bands) in a fixed order,
// so that results never depend on the number of workers.
package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/crmroi/crmroi/distributions"
	"github.com/crmroi/crmroi/model"
	"gonum.org/v1/gonum/stat/distuv"
)

// BlockSize is the number of iterations in a block. Each block's random streams
// are seeded from (master seed, block index, stream name), so it is fixed for
// every run: changing it changes the draws.
const BlockSize = 1024

// Config says how to simulate.
type Config struct {
	Iterations  int
	Seed        uint64
	Workers     int    // ≤ 0 means the number of CPUs
	Sampling    string // "mc"
	KeepSamples bool   // keep every iteration's inputs and outputs (samples.csv)
	// KeepOutputs keeps every iteration's outputs (Result.Values) but not the
	// inputs: what charts need, at a fraction of KeepSamples' memory.
	KeepOutputs bool
	// Progress, when not nil, is called from worker goroutines with the
	// number of iterations finished so far.
	Progress func(done int)
}

// PaybackProbs are the payback probabilities of model.md section 5.
type PaybackProbs struct {
	Within12, Within24, Within36, NotReached float64
}

// Result is the reduced outcome of a simulation.
type Result struct {
	Iterations int
	// Outputs names the model's outputs (model.Outputs for the CRM model).
	Outputs []string
	// Metrics holds the statistics of each output, in the order of Outputs.
	Metrics []Stats
	// Undefined counts the iterations where an output is undefined (ROI with
	// no costs, IRR with no sign change), per output.
	Undefined []int
	ProbLoss  float64 // P(primary output < 0): P(npv < 0) for the CRM model
	Payback   PaybackProbs
	Outcomes  [model.NumOutcomes]float64 // shares of ok, cancelled, abandoned
	Bands     []Band                     // months 1..H

	// With Config.KeepSamples: the uncertain inputs' names and values and
	// every outcome, in iteration order.
	InputNames []string
	Inputs     [][]float64
	Outcome    []model.Outcome
	// With Config.KeepSamples or Config.KeepOutputs: every output's values,
	// per output of model.Outputs, in iteration order.
	Values [][]float64
}

// NumericError reports an iteration whose outputs are not finite numbers.
type NumericError struct {
	Iteration int // 0-based
	Output    string
	Value     float64
	Inputs    []string // "name=value" of the iteration's uncertain inputs
}

// Error names the output, the iteration and its inputs so it can be reproduced.
func (e *NumericError) Error() string {
	return fmt.Sprintf("iteration %d: %s is %v; inputs: %s", e.Iteration+1, e.Output, e.Value, strings.Join(e.Inputs, ", "))
}

// ErrInterrupted is returned when the context is cancelled during a run.
var ErrInterrupted = errors.New("interrupted")

// corrGroup is a group of correlated inputs with the Cholesky factor of their
// normal-score correlation matrix.
type corrGroup struct {
	members []int       // positions in prepared.unc
	chol    [][]float64 // lower triangle, row-major
}

// prepared is a scenario compiled for sampling.
type prepared struct {
	m        model.Model
	outs     []model.OutputInfo
	s        *model.Scenario
	h        int
	base     []float64                 // every input at plan; fixed inputs stay so
	unc      []int                     // uncertain inputs' indices in s.Inputs
	q        []distributions.Quantiler // fast quantile per uncertain input
	keys     []uint64                  // stream key per uncertain input
	riskKeys [4]uint64
	groups   []corrGroup
}

func prepare(s *model.Scenario) *prepared { return prepareModel(s, model.Compile(s)) }

// prepareModel compiles the sampling of s's inputs for model m (normally
// model.Compile(s); tests may pass a model of their own).
func prepareModel(s *model.Scenario, m model.Model) *prepared {
	p := &prepared{m: m, outs: m.Outputs(), s: s, h: m.Horizon(), base: s.PlanValues(), unc: s.Uncertain()}
	pos := map[int]int{}
	for k, i := range p.unc {
		pos[i] = k
		p.q = append(p.q, distributions.Fast(s.Inputs[i].Dist))
		p.keys = append(p.keys, NameKey(s.Inputs[i].Path))
	}
	for k, name := range model.RiskNames {
		p.riskKeys[k] = NameKey(name)
	}
	for _, g := range model.CorrelationGroups(s) {
		l, ok := model.NormalScoreCholesky(s, g)
		if !ok {
			panic("sim: correlation matrix not positive definite after validation")
		}
		cg := corrGroup{}
		for r, i := range g {
			cg.members = append(cg.members, pos[i])
			row := make([]float64, r+1)
			for c := 0; c <= r; c++ {
				row[c] = l.At(r, c)
			}
			cg.chol = append(cg.chol, row)
		}
		p.groups = append(p.groups, cg)
	}
	return p
}

// storage holds every iteration's results, written by block, in iteration order.
type storage struct {
	values  [][]float64 // per output
	cum     [][]float64 // per month: Cum_t of every iteration
	outcome []model.Outcome
	inputs  [][]float64 // per uncertain input, with KeepSamples
}

// EstimateMemory is the memory in bytes a run of s with cfg needs for its results.
func EstimateMemory(s *model.Scenario, cfg Config) int64 {
	per := int64(len(model.Outputs)*8 + s.Horizon*8 + 1)
	if cfg.KeepSamples {
		per += int64(len(s.Uncertain()) * 8)
	}
	workers := int64(max(cfg.Workers, runtime.NumCPU()))
	perWorker := int64(BlockSize) * int64(len(s.Inputs)+8+s.Horizon) * 8
	return per*int64(cfg.Iterations) + workers*perWorker + 16<<20
}

// Run simulates scenario s as cfg says.
func Run(ctx context.Context, s *model.Scenario, cfg Config) (*Result, error) {
	return RunModel(ctx, s, model.Compile(s), cfg)
}

// RunModel simulates model m, whose inputs are those of s, as cfg says.
func RunModel(ctx context.Context, s *model.Scenario, m model.Model, cfg Config) (*Result, error) {
	if cfg.Iterations < 1 {
		return nil, fmt.Errorf("iterations must be at least 1, got %d", cfg.Iterations)
	}
	if cfg.Sampling != "" && cfg.Sampling != "mc" {
		return nil, fmt.Errorf("sampling %q is not available in this version (only mc)", cfg.Sampling)
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	p := prepareModel(s, m)
	n := cfg.Iterations
	st := &storage{
		values:  make([][]float64, len(p.outs)),
		cum:     make([][]float64, p.h),
		outcome: make([]model.Outcome, n),
	}
	for k := range st.values {
		st.values[k] = make([]float64, n)
	}
	for t := range st.cum {
		st.cum[t] = make([]float64, n)
	}
	if cfg.KeepSamples {
		st.inputs = make([][]float64, len(p.unc))
		for k := range st.inputs {
			st.inputs[k] = make([]float64, n)
		}
	}

	blocks := (n + BlockSize - 1) / BlockSize
	var (
		next     atomic.Int64
		done     atomic.Int64
		failed   atomic.Bool
		errMu    sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	setErr := func(err error) {
		errMu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		errMu.Unlock()
		failed.Store(true)
	}
	for w := 0; w < min(workers, blocks); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := p.newWorker()
			for !failed.Load() {
				b := int(next.Add(1) - 1)
				if b >= blocks {
					return
				}
				if ctx.Err() != nil {
					setErr(ErrInterrupted)
					return
				}
				lo := b * BlockSize
				hi := min(lo+BlockSize, n)
				if err := p.runBlock(wk, b, lo, hi, st, cfg.Seed); err != nil {
					setErr(err)
					return
				}
				d := done.Add(int64(hi - lo))
				if cfg.Progress != nil {
					cfg.Progress(int(d))
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return p.reduce(st, n, workers, cfg.KeepOutputs || cfg.KeepSamples, cfg.KeepSamples), nil
}

// worker is the scratch memory of one goroutine.
type worker struct {
	pcg  rand.PCG
	u    [][]float64 // per uncertain input: uniforms, then values
	risk [4][]float64
	x    []float64
	z    []float64
	out  []float64 // one iteration's outputs
	ev   model.Evaluator
	cum  []float64 // BlockSize × H, row-major by iteration
}

func (p *prepared) newWorker() *worker {
	w := &worker{x: append([]float64(nil), p.base...), ev: p.m.NewEvaluator(), out: make([]float64, len(p.outs)), cum: make([]float64, BlockSize*p.h)}
	w.u = make([][]float64, len(p.unc))
	for k := range w.u {
		w.u[k] = make([]float64, BlockSize)
	}
	for k := range w.risk {
		w.risk[k] = make([]float64, BlockSize)
	}
	maxGroup := 0
	for _, g := range p.groups {
		maxGroup = max(maxGroup, len(g.members))
	}
	w.z = make([]float64, maxGroup)
	return w
}

// fill writes the block's uniform numbers of one named stream into dst.
func (w *worker) fill(dst []float64, seed uint64, block int, key uint64) {
	seedStream(&w.pcg, seed, block, key)
	for i := range dst {
		dst[i] = uniform(w.pcg.Uint64())
	}
}

// runBlock simulates iterations [lo, hi) of block b into st.
func (p *prepared) runBlock(w *worker, b, lo, hi int, st *storage, seed uint64) error {
	nb := hi - lo
	for k := range p.unc {
		w.fill(w.u[k][:nb], seed, b, p.keys[k])
	}
	for k := range w.risk {
		w.fill(w.risk[k][:nb], seed, b, p.riskKeys[k])
	}
	for _, g := range p.groups {
		correlate(w, g, nb)
	}
	for k := range p.unc {
		q, u := p.q[k], w.u[k][:nb]
		for i := range u {
			u[i] = q.Quantile(u[i])
		}
		if st.inputs != nil {
			copy(st.inputs[k][lo:hi], u)
		}
	}
	h := p.h
	for i := 0; i < nb; i++ {
		for k, j := range p.unc {
			w.x[j] = w.u[k][i]
		}
		r := model.RiskDraws{Outcome: w.risk[0][i], CancelMonth: w.risk[1][i], AbandonMonth: w.risk[2][i], AbandonFactor: w.risk[3][i]}
		o := w.ev.Eval(w.x, r, true, w.out, w.cum[i*h:(i+1)*h])
		it := lo + i
		if err := p.check(w.out, it, w.x); err != nil {
			return err
		}
		for k, v := range w.out {
			st.values[k][it] = v
		}
		st.outcome[it] = o
	}
	// Transpose the block's cumulative cash flows into month-major storage.
	for t := 0; t < h; t++ {
		col := st.cum[t][lo:hi]
		for i := range col {
			col[i] = w.cum[i*h+t]
		}
	}
	return nil
}

// correlate applies the Gaussian copula to one group's uniforms, in place.
func correlate(w *worker, g corrGroup, nb int) {
	z := w.z[:len(g.members)]
	for i := 0; i < nb; i++ {
		for a, k := range g.members {
			z[a] = distuv.UnitNormal.Quantile(w.u[k][i])
		}
		for a := len(g.members) - 1; a >= 0; a-- {
			row := g.chol[a]
			v := 0.0
			for c, l := range row {
				v += l * z[c]
			}
			w.u[g.members[a]][i] = clampOpen(distuv.UnitNormal.CDF(v))
		}
	}
}

// clampOpen keeps a probability strictly inside (0, 1).
func clampOpen(u float64) float64 {
	const eps = 0x1p-54
	return math.Min(math.Max(u, eps), 1-eps)
}

// check verifies that an iteration's outputs are numbers where they must be:
// NaN only where an output may be undefined, +Inf only where it may be "not
// reached"; anything else stops the run with the iteration's inputs.
func (p *prepared) check(out []float64, it int, x []float64) error {
	for k, v := range out {
		info := &p.outs[k]
		if v-v == 0 || math.IsNaN(v) && info.Undefinable || math.IsInf(v, 1) && info.Unreachable {
			continue
		}
		e := &NumericError{Iteration: it, Output: info.Name, Value: v}
		for _, j := range p.unc {
			e.Inputs = append(e.Inputs, fmt.Sprintf("%s=%v", p.s.Inputs[j].Path, x[j]))
		}
		return e
	}
	return nil
}

// reduce computes the statistics, in parallel over outputs and months; each
// column is reduced in iteration order by one goroutine, so the result does
// not depend on the number of workers. The stored columns are not modified.
func (p *prepared) reduce(st *storage, n, workers int, keepValues, keepSamples bool) *Result {
	names := make([]string, len(p.outs))
	for k, o := range p.outs {
		names[k] = o.Name
	}
	res := &Result{
		Iterations: n,
		Outputs:    names,
		Metrics:    make([]Stats, len(p.outs)),
		Undefined:  make([]int, len(p.outs)),
		Bands:      make([]Band, p.h),
	}
	fn := float64(n)
	// P(loss) of the primary output (NPV for the CRM model).
	loss := 0
	for _, v := range st.values[0] {
		if v < 0 {
			loss++
		}
	}
	res.ProbLoss = float64(loss) / fn
	for k, o := range p.outs {
		if o.Name != "payback_months" {
			continue
		}
		var w12, w24, w36, never int
		for _, v := range st.values[k] {
			switch {
			case math.IsInf(v, 1):
				never++
			case v <= 12:
				w12++
				w24++
				w36++
			case v <= 24:
				w24++
				w36++
			case v <= 36:
				w36++
			}
		}
		res.Payback = PaybackProbs{float64(w12) / fn, float64(w24) / fn, float64(w36) / fn, float64(never) / fn}
	}
	var counts [model.NumOutcomes]int
	for _, o := range st.outcome {
		counts[o]++
	}
	for k, c := range counts {
		res.Outcomes[k] = float64(c) / fn
	}
	for k, col := range st.values {
		for _, v := range col {
			if math.IsNaN(v) {
				res.Undefined[k]++
			}
		}
	}
	if keepValues {
		res.Values = st.values
	}
	if keepSamples {
		res.Inputs = st.inputs
		res.Outcome = st.outcome
		for _, j := range p.unc {
			res.InputNames = append(res.InputNames, p.s.Inputs[j].Path)
		}
	}
	jobs := len(st.values) + p.h
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(workers, jobs); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				j := int(next.Add(1) - 1)
				if j >= jobs {
					return
				}
				if j < len(st.values) {
					res.Metrics[j] = describe(st.values[j])
					continue
				}
				t := j - len(st.values)
				col := st.cum[t]
				res.Bands[t] = Band{Month: t + 1, Mean: mean(col), Pct: Quantiles(col, BandLevels)}
			}
		}()
	}
	wg.Wait()
	return res
}
