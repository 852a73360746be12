package sim

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync/atomic"

	"github.com/crmroi/crmroi/internal/parallel"
	"github.com/crmroi/crmroi/model"
)

// MinVOIIterations is the fewest iterations the value of information is
// estimated from: the smoother needs bins of about ten iterations.
const MinVOIIterations = 100

// DoNothing is the name of the option of not investing (a payoff of 0),
// which every decision RunVOI analyses includes.
const DoNothing = "do nothing"

// VOIFactor is the EVPPI of one factor: an uncertain input or one of the
// risk events' draws (model.RiskNames).
type VOIFactor struct {
	Name string
	Risk bool
	EVPPI
}

// VOIGroup is the EVPPI of a group of factors learnt together.
type VOIGroup struct {
	Name    string
	Members []string
	EVPPI
}

// VOI is the value of information of a decision among options.
type VOI struct {
	Output     string // the payoff: the scenarios' primary output
	Info       model.OutputInfo
	Options    []string  // the options' names, DoNothing last
	Means      []float64 // each option's mean payoff
	Best       int       // the option of largest mean: the decision without more information
	EVPI       EVPI
	Inputs     []VOIFactor // in the first scenario's factor order, then the others' new ones
	Groups     []VOIGroup
	Iterations int // the iterations used: those where every option's payoff is defined
	Dropped    int // the iterations left out: some option's payoff undefined
	Seed       uint64
}

// RunVOI draws the Monte Carlo sample of every scenario exactly as Run does
// with cfg's seed (so under common random numbers: an input of the same name
// has the same draws in every scenario) and estimates the value of
// information of choosing among them and "do nothing" (payoff 0): the EVPI,
// the EVPPI of every factor (uncertain inputs and risk draws) and of every
// sensitivity group (model.SensitivityGroups of the first scenario, then the
// groups of the others not seen yet). The payoff is each scenario's primary
// output; names are the options' names. A factor's values are those of the
// first scenario that has it. Iterations where some payoff is undefined
// (NaN) are left out of every estimate.
func RunVOI(ctx context.Context, scenarios []*model.Scenario, names []string, cfg SensitivityConfig, vc VOIConfig) (*VOI, error) {
	if len(scenarios) == 0 || len(names) != len(scenarios) {
		return nil, fmt.Errorf("RunVOI needs one name per scenario")
	}
	if cfg.Iterations < 2 {
		return nil, fmt.Errorf("the value of information needs at least 2 iterations, got %d", cfg.Iterations)
	}
	total := cfg.Iterations * len(scenarios)
	var done atomic.Int64
	cfg.ran = func(runs int) {
		if cfg.Progress != nil {
			cfg.Progress(int(done.Add(int64(runs))), total)
		}
	}
	return voiOf(ctx, scenarios, names, cfg, vc)
}

// voiOf is RunVOI with cfg.ran counting the model runs.
func voiOf(ctx context.Context, scenarios []*model.Scenario, names []string, cfg SensitivityConfig, vc VOIConfig) (*VOI, error) {
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	res := &VOI{Options: append(append([]string(nil), names...), DoNothing), Seed: cfg.Seed}
	var opts [][]float64
	var factors []voiColumn
	index := map[string]int{}
	groupSeen := map[string]bool{}
	var groups []model.Group
	for si, s := range scenarios {
		d := newDesign(s, model.Compile(s))
		if si == 0 {
			res.Output, res.Info = d.p.outs[0].Name, d.p.outs[0]
		}
		cols, y, err := d.voiSample(ctx, cfg)
		if err != nil {
			return nil, err
		}
		opts = append(opts, y)
		for j, c := range cols {
			name := d.name(j)
			if _, ok := index[name]; ok {
				continue
			}
			index[name] = len(factors)
			factors = append(factors, c)
			res.Inputs = append(res.Inputs, VOIFactor{Name: name, Risk: j >= d.nunc})
		}
		for _, g := range d.groups {
			if !groupSeen[g.Name] {
				groupSeen[g.Name] = true
				groups = append(groups, g)
			}
		}
	}
	n := cfg.Iterations
	opts = append(opts, make([]float64, n))
	// Leave out the iterations where an option's payoff is undefined.
	keep := make([]bool, n)
	kept := 0
	for i := range keep {
		keep[i] = true
		for _, y := range opts {
			if math.IsNaN(y[i]) {
				keep[i] = false
			}
		}
		if keep[i] {
			kept++
		}
	}
	if kept < n {
		for j := range opts {
			opts[j] = compactKept(opts[j], keep, kept)
		}
		for j, c := range factors {
			if c.u != nil {
				factors[j].u = compactKept(c.u, keep, kept)
			} else {
				factors[j].x = compactKept(c.x, keep, kept)
			}
		}
	}
	res.Iterations, res.Dropped = kept, n-kept
	if kept < 2 {
		return nil, fmt.Errorf("the value of information needs at least 2 iterations where every option's %s is defined, got %d", res.Output, kept)
	}
	res.Best, res.Means = bestOption(opts)
	res.EVPI = ComputeEVPI(opts)
	// One job per factor and per group of more than one factor.
	type job struct {
		members []int
		dst     *EVPPI
	}
	var jobs []job
	for j := range res.Inputs {
		jobs = append(jobs, job{[]int{j}, &res.Inputs[j].EVPPI})
	}
	res.Groups = make([]VOIGroup, 0, len(groups))
	for _, g := range groups {
		var mem []int
		var names []string
		for _, m := range g.Members {
			if j, ok := index[m]; ok {
				mem = append(mem, j)
				names = append(names, m)
			}
		}
		if len(mem) > 0 {
			res.Groups = append(res.Groups, VOIGroup{Name: g.Name, Members: names})
		}
	}
	gi := 0
	for _, g := range groups {
		var mem []int
		for _, m := range g.Members {
			if j, ok := index[m]; ok {
				mem = append(mem, j)
			}
		}
		if len(mem) > 0 {
			jobs = append(jobs, job{mem, &res.Groups[gi].EVPPI})
			gi++
		}
	}
	// Each factor is ranked and binned once, for its own EVPPI and its groups'.
	bcfg := vc.withDefaults(kept)
	binnedF := make([]binned, len(factors))
	err := parallel.For(ctx, cfg.Workers, len(factors), func(_, j int) error {
		binnedF[j] = factors[j].bins(bcfg.Bins)
		return nil
	})
	if err == nil {
		err = parallel.For(ctx, cfg.Workers, len(jobs), func(_, k int) error {
			jb := jobs[k]
			ins := make([]binned, len(jb.members))
			key := uint64(0)
			for m, j := range jb.members {
				ins[m] = binnedF[j]
				key = key*31 + NameKey(res.Inputs[j].Name)
			}
			c := bcfg
			c.Seed = mix64(vc.Seed ^ cfg.Seed ^ key)
			*jb.dst = evppiGroupBinned(ins, opts, c)
			return nil
		})
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ErrInterrupted
		}
		return nil, err
	}
	return res, nil
}

// compactKept returns the values of x where keep is true (kept of them).
func compactKept[T any](x []T, keep []bool, kept int) []T {
	out := make([]T, 0, kept)
	for i, v := range x {
		if keep[i] {
			out = append(out, v)
		}
	}
	return out
}

// voiColumn is a factor's sample as the EVPPI needs it: only its ranks
// matter. A factor whose value is a nondecreasing function of its own
// uniform draw u, drawn independently of every other factor — an uncertain
// input outside every correlation group, a risk draw — is kept as u (float32:
// ⌊u·m⌋ is off only within 6·10⁻⁸ of a bin's edge), which bins without a
// search; then E[Y | u] = E[Y | x], even for a discrete x. An input of a
// correlation group is kept as its values x, ranked by rankBins: a discrete
// input's uniform would tell more about its correlated partners than its
// value does.
type voiColumn struct {
	u []float32
	x []float64
}

// bins puts the column's iterations into m bins (rankBins, uniformBins).
func (c voiColumn) bins(m int) binned {
	if c.u != nil {
		b, n, u := uniformBins(c.u, m)
		return binned{b, n, u}
	}
	return binInput(c.x, m)
}

// voiSample draws the Monte Carlo sample as Run does (same seed, blocks and
// streams, correlations applied) and returns each factor's column (uncertain
// inputs, then the risk draws if any) and the primary output, NaN where
// undefined. It keeps nothing else: no other output, no monthly cash flow.
func (d *design) voiSample(ctx context.Context, cfg SensitivityConfig) ([]voiColumn, []float64, error) {
	p, n := d.p, cfg.Iterations
	y := make([]float64, n)
	st := &storage{values: [][]float64{y}, outcome: make([]model.Outcome, n)}
	correlated := make([]bool, d.nunc)
	for _, g := range p.groups {
		for _, k := range g.members {
			correlated[k] = true
		}
	}
	cols := make([]voiColumn, d.k)
	for j := range cols {
		if j < d.nunc && correlated[j] {
			cols[j].x = make([]float64, n)
		} else {
			cols[j].u = make([]float32, n)
		}
	}
	blocks := (n + BlockSize - 1) / BlockSize
	err := forBlocks(ctx, cfg.Workers, blocks, p.newWorker, func(w *worker, b int) error {
		lo, hi := b*BlockSize, min((b+1)*BlockSize, n)
		defer cfg.ran(hi - lo)
		if err := p.runBlock(w, b, lo, hi, st, cfg.Seed); err != nil {
			return err
		}
		for j, c := range cols {
			if c.x != nil {
				p.inputValues(w, j, c.x[lo:hi])
				continue
			}
			src := w.u[j][:hi-lo] // the risk draws are the last four of u
			for i, v := range src {
				c.u[lo+i] = float32(v)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return cols, y, nil
}

// EstimateVOIMemory is about the memory RunVOI needs, in bytes, for
// iterations of scenarios on workers workers (0: every CPU): each scenario's
// sample as voiSample keeps it (a factor's column, at most 8 bytes — 4 for a
// uniform —, the primary output and the outcome), every factor's bins (4
// bytes), the "do nothing" payoff and, per worker fitting a group, its
// residuals, fitted options and differences (8 bytes each, per option).
// Factors shared by scenarios are counted in each: on the safe side.
func EstimateVOIMemory(scenarios []*model.Scenario, iterations, workers int) int64 {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	var per int64
	for _, s := range scenarios {
		factors := int64(len(s.Inputs) + len(model.RiskNames))
		per += 12*factors + 9
	}
	per += 8 + int64(workers)*8*int64(len(scenarios)+4)
	return per * int64(iterations)
}
