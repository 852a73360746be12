package sim

import "fmt"

// sampler fills a block's uniform numbers: one stream per uncertain input, then
// the four risk draws. Every design is a function of (seed, block, stream)
// only, so results never depend on the number of workers or shards.
type sampler interface {
	uniforms(p *prepared, w *worker, block, lo, nb int, seed uint64)
}

// Samplings are the names of the sampling designs, as --sampling takes them.
var Samplings = []string{"mc", "lhs", "sobol"}

func newSampler(name string, p *prepared, seed uint64) (sampler, error) {
	switch name {
	case "", "mc":
		return mcSampler{}, nil
	case "lhs":
		return lhsSampler{}, nil
	case "sobol":
		s, err := NewSobol(p.streams(), seed)
		if err != nil {
			return nil, fmt.Errorf("sobol sampling: %w", err)
		}
		return sobolSampler{s}, nil
	}
	return nil, fmt.Errorf("unknown sampling %q (known: mc, lhs, sobol)", name)
}

// mcSampler is plain Monte Carlo: each stream is its own SplitMix64 sequence,
// started from the stream's state (streamState).
type mcSampler struct{}

func (mcSampler) uniforms(p *prepared, w *worker, block, lo, nb int, seed uint64) {
	for k := range w.u {
		splitMix(w.u[k][:nb], streamState(seed, block, p.streamKey(k)))
	}
}

// lhsSampler is Latin hypercube sampling within each block: every stream puts
// exactly one point in each of the block's nb equal strata of (0, 1), in an
// order permuted by the stream's own generator. Stratifying per block keeps
// memory constant and the design independent of workers and shards.
type lhsSampler struct{}

func (lhsSampler) uniforms(p *prepared, w *worker, block, lo, nb int, seed uint64) {
	for k := range w.u {
		u := w.u[k][:nb]
		seedStream(&w.pcg, seed, block, p.streamKey(k))
		for i := range u {
			u[i] = float64(i)
		}
		for i := nb - 1; i > 0; i-- { // Fisher–Yates
			j := int(w.pcg.Uint64() % uint64(i+1))
			u[i], u[j] = u[j], u[i]
		}
		for i := range u {
			u[i] = (u[i] + uniform(w.pcg.Uint64())) / float64(nb)
		}
	}
}

// sobolSampler takes iteration i's uniforms from point i of a scrambled Sobol
// sequence with one dimension per stream (inputs in canonical order, then the
// risk draws).
type sobolSampler struct{ s *Sobol }

func (d sobolSampler) uniforms(p *prepared, w *worker, block, lo, nb int, seed uint64) {
	for i := 0; i < nb; i++ {
		d.s.Point(uint64(lo+i), w.dz)
		for k, v := range w.dz {
			w.u[k][i] = v
		}
	}
}
