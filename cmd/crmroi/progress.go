package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crmroi/crmroi/out"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressDelay is how long work runs before a progress bar appears.
const progressDelay = time.Second

// startProgress sets f.progress so that, when stderr is a terminal and the
// output is not quiet or JSON, work that lasts over a second shows a progress
// bar (iterations, rate, time left) on stderr. The returned stop ends it.
func (f *simFlags) startProgress(stderr io.Writer) (stop func()) {
	if t, ok := stderr.(interface{ Unwrap() io.Writer }); ok { // the terminal itself
		stderr = t.Unwrap()
	}
	file, ok := stderr.(*os.File)
	if f.quiet || f.json || !ok || !term.IsTerminal(int(file.Fd())) {
		return func() {}
	}
	var done, total atomic.Int64
	f.progress = func(d, t int) {
		done.Store(int64(d))
		total.Store(int64(t))
	}
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		start := time.Now()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		var bar *progressbar.ProgressBar
		for {
			select {
			case <-quit:
				if bar != nil {
					bar.Finish()
					bar.Clear()
				}
				return
			case <-tick.C:
				// The bar is made as soon as the total is known, so that its
				// rate and time left count from the start, and drawn after
				// progressDelay.
				if bar == nil && total.Load() > 0 {
					bar = progressbar.NewOptions64(total.Load(),
						progressbar.OptionSetWriter(file),
						progressbar.OptionSetDescription("simulating"),
						progressbar.OptionShowCount(),
						progressbar.OptionSetPredictTime(true),
						progressbar.OptionThrottle(100*time.Millisecond),
						progressbar.OptionClearOnFinish(),
						progressbar.OptionSetWidth(30))
				}
				if bar != nil && time.Since(start) >= progressDelay {
					if t := total.Load(); t != bar.GetMax64() {
						bar.ChangeMax64(t)
					}
					// The rate counts from the start of the work (the bar's own
					// would count from its first drawing).
					d := done.Load()
					bar.Describe(fmt.Sprintf("simulating %s it/s", out.English.Compact(float64(d)/time.Since(start).Seconds())))
					bar.Set64(d)
				}
			}
		}
	}()
	return func() {
		close(quit)
		wg.Wait()
		f.progress = nil
	}
}
