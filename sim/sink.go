package sim

import (
	"sync"

	"github.com/crmroi/crmroi/model"
)

// Block is one block's per-iteration data, as Config.Sink receives it.
type Block struct {
	Lo       int             // the index of its first iteration
	Inputs   [][]float64     // per uncertain input (see InputNames): its values
	Outputs  [][]float64     // per output: its values
	Outcomes []model.Outcome // per iteration
}

// InputNames are the uncertain inputs of s, in the order of Block.Inputs,
// Result.InputNames and samples.csv.
func InputNames(s *model.Scenario) []string {
	var names []string
	for _, j := range s.Uncertain() {
		names = append(names, s.Inputs[j].Path)
	}
	return names
}

// sinkStage hands finished blocks to Config.Sink in block order, whichever
// worker finished them; workers more than maxAhead blocks ahead of the next
// one to hand over wait, so memory stays bounded.
type sinkStage struct {
	sink     func(*Block) error
	mu       sync.Mutex
	cond     *sync.Cond
	next     int
	pending  map[int]*Block
	busy     bool
	err      error
	maxAhead int
	free     []*Block
}

func newSinkStage(sink func(*Block) error, first, workers int) *sinkStage {
	st := &sinkStage{sink: sink, next: first, pending: map[int]*Block{}, maxAhead: 4 * max(workers, 1)}
	st.cond = sync.NewCond(&st.mu)
	return st
}

// block returns a Block buffer to fill.
func (st *sinkStage) block(p *prepared) *Block {
	st.mu.Lock()
	defer st.mu.Unlock()
	if n := len(st.free); n > 0 {
		b := st.free[n-1]
		st.free = st.free[:n-1]
		return b
	}
	b := &Block{Inputs: make([][]float64, len(p.unc)), Outputs: make([][]float64, len(p.outs)), Outcomes: make([]model.Outcome, BlockSize)}
	for k := range b.Inputs {
		b.Inputs[k] = make([]float64, BlockSize)
	}
	for k := range b.Outputs {
		b.Outputs[k] = make([]float64, BlockSize)
	}
	return b
}

// put gives block index b to the stage and, if no other worker is doing it,
// hands over every block that is next in order. It returns the sink's error.
func (st *sinkStage) put(b int, blk *Block, stopped func() bool) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	for b-st.next >= st.maxAhead && st.err == nil && !stopped() {
		st.cond.Wait()
	}
	st.pending[b] = blk
	if st.busy {
		return st.err
	}
	st.busy = true
	for st.err == nil {
		nb, ok := st.pending[st.next]
		if !ok {
			break
		}
		delete(st.pending, st.next)
		st.mu.Unlock()
		err := st.sink(nb)
		st.mu.Lock()
		if err != nil {
			st.err = err
		}
		st.free = append(st.free, nb)
		st.next++
		st.cond.Broadcast()
	}
	st.busy = false
	return st.err
}

// wake releases waiting workers (after a failure elsewhere).
func (st *sinkStage) wake() {
	st.mu.Lock()
	st.cond.Broadcast()
	st.mu.Unlock()
}

// fillBlock copies the worker's block into blk.
func fillBlock(p *prepared, w *worker, blk *Block, lo, nb int) {
	blk.Lo = lo
	for k := range blk.Inputs {
		blk.Inputs[k] = blk.Inputs[k][:nb]
		p.inputValues(w, k, blk.Inputs[k])
	}
	for k := range blk.Outputs {
		blk.Outputs[k] = blk.Outputs[k][:nb]
		copy(blk.Outputs[k], w.outs[k][:nb])
	}
	blk.Outcomes = blk.Outcomes[:nb]
	copy(blk.Outcomes, w.outc[:nb])
}
