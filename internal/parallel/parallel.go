// Package parallel runs numbered jobs on a bounded number of goroutines with
// one rule for errors, the engine's: the error returned is that of the
// lowest-numbered job that failed, whichever goroutine met it first, so that
// it does not depend on timing or on the number of goroutines.
//
// Jobs are handed out in increasing order. Once a job fails (or the context
// is done) no job is started; every job numbered below the failed one had been
// handed out before it and runs to its end, so the lowest failing job of the
// whole range always runs and its error is the one returned.
package parallel

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
)

// For runs job(w, j) for every j in [0, n) on min(workers, n) goroutines
// (at least one), w being the goroutine's index in [0, min(workers, n)), so
// that a job may use scratch memory of its goroutine's own. It returns nil
// when every job succeeded; else ctx's error if ctx is done (an interruption
// wins over a job's error; no job starts once it is done); else the error of
// the lowest j whose job failed.
func For(ctx context.Context, workers, n int, job func(w, j int) error) error {
	return Range(ctx, workers, 0, n, job)
}

// Range is For over the jobs [from, to).
func Range(ctx context.Context, workers, from, to int, job func(w, j int) error) error {
	var (
		next     atomic.Int64
		failed   atomic.Bool
		mu       sync.Mutex
		firstErr error
		errJob   = math.MaxInt // the job of firstErr; math.MinInt for ctx's
		wg       sync.WaitGroup
	)
	next.Store(int64(from))
	setErr := func(j int, err error) {
		mu.Lock()
		if j < errJob {
			firstErr, errJob = err, j
		}
		mu.Unlock()
		failed.Store(true)
	}
	for w := 0; w < max(1, min(workers, to-from)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				j := int(next.Add(1) - 1)
				if j >= to {
					return
				}
				if err := ctx.Err(); err != nil {
					setErr(math.MinInt, err)
					return
				}
				if err := job(w, j); err != nil {
					setErr(j, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil && ctx.Err() != nil {
		return ctx.Err() // an interruption wins, however the jobs ended
	}
	return firstErr
}
