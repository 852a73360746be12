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
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	total := cfg.Iterations * len(scenarios)
	var done atomic.Int64
	cfg.ran = func(runs int) {
		if cfg.Progress != nil {
			cfg.Progress(int(done.Add(int64(runs))), total)
		}
	}
	res := &VOI{Options: append(append([]string(nil), names...), DoNothing), Seed: cfg.Seed}
	var opts [][]float64
	var factors [][]float64
	index := map[string]int{}
	groupSeen := map[string]bool{}
	var groups []model.Group
	for si, s := range scenarios {
		d := newDesign(s, model.Compile(s))
		if si == 0 {
			res.Output, res.Info = d.p.outs[0].Name, d.p.outs[0]
		}
		cols, y, err := d.sample(ctx, cfg, false)
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
		compact := func(x []float64) []float64 {
			out := make([]float64, 0, kept)
			for i, v := range x {
				if keep[i] {
					out = append(out, v)
				}
			}
			return out
		}
		for j := range opts {
			opts[j] = compact(opts[j])
		}
		for j := range factors {
			factors[j] = compact(factors[j])
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
		binnedF[j] = binInput(factors[j], bcfg.Bins)
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

// EstimateVOIMemory is about the memory RunVOI needs, in bytes, for
// iterations of scenarios: each scenario's sample as the rank measures keep
// it (inputs, risk draws, outputs, the monthly cumulative cash flow), the
// options' payoffs and each estimator's bins (one per worker at a time,
// counted once per factor to stay on the safe side).
func EstimateVOIMemory(scenarios []*model.Scenario, iterations int) int64 {
	var per int64
	for _, s := range scenarios {
		m := model.Compile(s)
		per += int64(len(s.Inputs)+len(model.RiskNames)+len(m.Outputs())+m.Horizon()) + 1
	}
	// Ranks and bins of one factor at a time per worker: about 4 slices of n.
	per += 4 * int64(runtime.NumCPU())
	return per * int64(iterations) * 8
}
