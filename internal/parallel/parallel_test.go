package parallel

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestForRunsEachJobOnce: every job runs once, on a goroutine index in range,
// and no two jobs run at once on the same index, for any number of workers.
func TestForRunsEachJobOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 100} {
		for _, workers := range []int{-1, 0, 1, 2, 3, 16, 200} {
			runs := make([]atomic.Int32, n)
			busy := make([]atomic.Bool, max(1, min(workers, n)))
			err := For(context.Background(), workers, n, func(w, j int) error {
				if w < 0 || w >= len(busy) {
					return fmt.Errorf("goroutine index %d of %d", w, len(busy))
				}
				if busy[w].Swap(true) {
					return fmt.Errorf("two jobs at once on goroutine %d", w)
				}
				runs[j].Add(1)
				time.Sleep(time.Duration(j%3) * 10 * time.Microsecond)
				busy[w].Store(false)
				return nil
			})
			if err != nil {
				t.Fatalf("n=%d workers=%d: %v", n, workers, err)
			}
			for j := range runs {
				if c := runs[j].Load(); c != 1 {
					t.Fatalf("n=%d workers=%d: job %d ran %d times", n, workers, j, c)
				}
			}
		}
	}
}

// TestForLowestErrorWins: whatever the number of goroutines and however long
// each job takes, the error returned is the lowest failing job's, and no job
// starts once a failure is known beyond those already handed out.
func TestForLowestErrorWins(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(80)
		workers := 1 + rng.IntN(9)
		fails := map[int]bool{}
		lowest := n
		for k := 0; k < 1+rng.IntN(4); k++ {
			j := rng.IntN(n)
			fails[j] = true
			lowest = min(lowest, j)
		}
		delays := make([]time.Duration, n)
		for j := range delays {
			delays[j] = time.Duration(rng.IntN(200)) * time.Microsecond
		}
		var failedOnce atomic.Bool
		var late atomic.Int32 // jobs started after one had failed
		err := For(context.Background(), workers, n, func(w, j int) error {
			if failedOnce.Load() {
				late.Add(1)
			}
			time.Sleep(delays[j])
			if fails[j] {
				failedOnce.Store(true)
				return fmt.Errorf("job %d", j)
			}
			return nil
		})
		if err == nil || err.Error() != fmt.Sprintf("job %d", lowest) {
			t.Fatalf("trial %d (n=%d, workers=%d, fails %v): %v, want job %d's error", trial, n, workers, fails, err, lowest)
		}
		// Only a goroutine that had taken its job as the failure came may start it.
		if l := late.Load(); l > int32(workers-1) {
			t.Fatalf("trial %d: %d jobs started after a failure, with %d workers", trial, l, workers)
		}
	}
}

// TestForInterrupted: a done context stops the jobs and its error wins over a
// job's.
func TestForInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var ran atomic.Int32
	err := For(ctx, 2, 1000, func(w, j int) error {
		if ran.Add(1) == 10 {
			cancel()
			return errors.New("a job's error")
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if r := ran.Load(); r > 12 {
		t.Errorf("%d jobs ran after the cancel", r)
	}
}

// TestRange: Range runs exactly the jobs [from, to).
func TestRange(t *testing.T) {
	var mu sync.Mutex
	seen := map[int]bool{}
	if err := Range(context.Background(), 3, 5, 12, func(_, j int) error {
		mu.Lock()
		seen[j] = true
		mu.Unlock()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for j := 0; j < 15; j++ {
		if seen[j] != (j >= 5 && j < 12) {
			t.Errorf("job %d: ran %v", j, seen[j])
		}
	}
}
