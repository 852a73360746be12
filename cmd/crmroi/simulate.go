package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crmroi/crmroi/internal/parallel"
	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
	"github.com/crmroi/crmroi/sim"
)

// simulate runs the simulation of one loaded scenario as the flags say, on
// workers workers, and returns it with its plan case, TEI row and tornado. It
// is the pipeline of run, shared with batch and sweep so that a scenario gives
// the same result whichever command simulates it.
func simulate(ctx context.Context, s *model.Scenario, f *simFlags, workers int, keepOutputs bool) (*out.Run, error) {
	cfg := simConfig(f, workers, keepOutputs)
	start := time.Now()
	m := model.Compile(s)
	det, err := model.Analyze(s, m)
	if err != nil {
		return nil, err
	}
	if formats := f.samplesFormats(); len(formats) > 0 {
		// Every iteration is streamed to the samples files as the engine
		// runs, so memory does not grow with the iteration count.
		total := cfg.Iterations
		if cfg.Tolerance > 0 {
			total = 0 // how many is known only at the end
		}
		stream, err := openSamples(f.samplesDir, s, m, formats, total, f.csvLayout())
		if err != nil {
			return nil, err
		}
		defer stream.Abort() // after Commit it does nothing
		cfg.Sink = stream.Write
		res, err := sim.RunModel(ctx, s, m, cfg)
		if err != nil {
			return nil, err
		}
		if _, err := stream.Commit(); err != nil {
			return nil, err
		}
		return &out.Run{Scenario: s, Result: res, Det: det, Elapsed: time.Since(start).Seconds(), Version: version}, nil
	}
	res, err := sim.RunModel(ctx, s, m, cfg)
	if err != nil {
		return nil, err
	}
	return &out.Run{Scenario: s, Result: res, Det: det, Elapsed: time.Since(start).Seconds(), Version: version}, nil
}

// simConfig is the engine's configuration for the flags.
func simConfig(f *simFlags, workers int, keepOutputs bool) sim.Config {
	return sim.Config{Iterations: f.iterations, Seed: f.seed, Workers: workers, Sampling: f.sampling,
		KeepOutputs: keepOutputs, Tolerance: f.tolerance, MaxIterations: f.maxIter,
		Progress: f.progress}
}

// openSamples creates, in dir (a staging folder: the command has checked
// that the files would replace no file crmroi did not write), the samples
// files of formats for the model m of s, for total iterations (0: not known
// in advance).
func openSamples(dir string, s *model.Scenario, m model.Model, formats []string, total int, csvLocale string) (*out.SamplesStream, error) {
	if dir == "" {
		return nil, fmt.Errorf("internal error: no folder for the samples")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	// The gate's own outputs are in summary.json's gate object, not here.
	layout := out.SamplesLayoutOf(s, out.SampleOutputs(m.Outputs()))
	layout.CSVLocale = csvLocale
	return out.NewSamplesStream(dir, formats, layout, total)
}

// samplesPaths are the samples files that a run with formats wrote into dir.
func samplesPaths(dir string, formats []string) []string {
	var paths []string
	for _, f := range formats {
		paths = append(paths, filepath.Join(dir, "samples."+f))
	}
	return paths
}

// shareWorkers splits workers among jobs simulations: how many run at once
// and with how many workers each. Every block of a simulation is seeded by
// (seed, block, name), so the split changes the speed, never the results.
func shareWorkers(workers, jobs int) (concurrent, each int) {
	concurrent = max(1, min(workers, jobs))
	return concurrent, max(1, workers/concurrent)
}

// checkMemoryAll refuses, before anything runs, simulations whose results
// would not fit in memory when concurrent of them run at once, plus extra
// bytes kept from each finished one.
func checkMemoryAll(scenarios []*model.Scenario, f *simFlags, each, concurrent int, keepOutputs bool, extra int64) error {
	var biggest, kept int64
	for _, s := range scenarios {
		biggest = max(biggest, sim.EstimateMemory(s, simConfig(f, each, keepOutputs)))
		kept += extra + sim.RetainedMemory(s) // every scenario is kept until all are written
	}
	need := biggest*int64(concurrent) + kept
	avail := availableMemory()
	if avail > 0 && need > avail*9/10 {
		return usagef("these runs would need about %s MB of memory, more than the %s MB available; use fewer iterations (-n)",
			out.Money(float64(need>>20)), out.Money(float64(avail>>20)))
	}
	return nil
}

// simulateAll simulates every scenario with the same seed and iterations
// (common random numbers), sharing the workers among simulations that run at
// once, and calls done, from the simulation's goroutine, as each finishes. The
// runs are returned in the order of scenarios; an error stops the rest.
func simulateAll(ctx context.Context, scenarios []*model.Scenario, f *simFlags, keepOutputs bool,
	done func(i int, run *out.Run) error) ([]*out.Run, error) {
	concurrent, each := shareWorkers(f.workers, len(scenarios))
	runs := make([]*out.Run, len(scenarios))
	var (
		mu       sync.Mutex
		cancels  = make([]context.CancelFunc, len(scenarios)) // of the simulations started
		finished = make([]atomic.Int64, len(scenarios))       // iterations done, per simulation
	)
	// The scenarios run on internal/parallel's workers: the error returned is
	// the first failing scenario's in the list. When one fails, those after
	// it that are running are stopped (their errors lose); those before it
	// run to their end.
	err := parallel.For(ctx, concurrent, len(scenarios), func(_, i int) error {
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		mu.Lock()
		cancels[i] = cancel
		mu.Unlock()
		fi := *f
		if f.sampleDirs != nil {
			fi.samplesDir = f.sampleDirs[i]
		}
		if f.progress != nil { // one bar for the whole batch
			fi.progress = func(d, _ int) {
				finished[i].Store(int64(d))
				sum := int64(0)
				for k := range finished {
					sum += finished[k].Load()
				}
				f.progress(int(sum), len(scenarios)*f.iterations)
			}
		}
		run, err := simulate(sctx, scenarios[i], &fi, each, keepOutputs)
		if err == nil && done != nil {
			err = done(i, run)
		}
		if err != nil {
			mu.Lock()
			for _, c := range cancels[i+1:] {
				if c != nil {
					c()
				}
			}
			mu.Unlock()
			return err
		}
		runs[i] = run
		return nil
	})
	if ctx.Err() != nil {
		return nil, sim.ErrInterrupted
	}
	if err != nil {
		return nil, err
	}
	return runs, nil
}
