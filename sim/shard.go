package sim

import (
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/crmroi/crmroi/model"
)

// PartialVersion is the version of the partial-result format; merge refuses
// parts of another version.
const PartialVersion = 2

// Partial is the result of one shard of a run (--shard i/N): the summaries of
// its blocks and the values (exact mode) or sketches it gathered, with what
// identifies the run, so that merge can check the parts belong together.
type Partial struct {
	Version      int
	Tool         string // tool version
	ScenarioSHA  string
	Seed         uint64
	Iterations   int
	Sampling     string
	Shard        int
	Shards       int
	KeepOutputs  bool
	From, To     int // blocks
	Exact        bool
	Blocks       []blockSummary
	Values       [][]float64 // per output: iterations [From·B, …) of the kept prefix
	Cum          [][]float32 // per month (exact mode): iterations of blocks [From, To)
	Sketches     []sparseSketch
	ScenarioFile string // the scenario as the shard read it, to re-create the run
	ScenarioData []byte
	Sets         []model.Set
}

// sparseSketch is a Sketch as a list of its non-empty buckets.
type sparseSketch struct {
	Pos, Neg             []sparseBucket
	Zero, PosInf, NegInf int64
}

type sparseBucket struct {
	I uint64
	B bucket
}

func (b *Buckets) sparse() []sparseBucket {
	var out []sparseBucket
	b.visit(false, func(i uint64, k *bucket) bool {
		out = append(out, sparseBucket{i, *k})
		return true
	})
	return out
}

func (s *Sketch) sparse() sparseSketch {
	return sparseSketch{Pos: s.Pos.sparse(), Neg: s.Neg.sparse(), Zero: s.Zero, PosInf: s.PosInf, NegInf: s.NegInf}
}

func (s *Sketch) addSparse(o sparseSketch) {
	for _, b := range o.Pos {
		s.Pos.addCount(b.I, b.B.Count, b.B.Frac, b.B.Min, b.B.AtMin)
	}
	for _, b := range o.Neg {
		s.Neg.addCount(b.I, b.B.Count, b.B.Frac, b.B.Min, b.B.AtMin)
	}
	s.Zero += o.Zero
	s.PosInf += o.PosInf
	s.NegInf += o.NegInf
}

// RunShard simulates shard cfg.Shard of cfg.Shards (0-based) of the run of
// scenario s and returns its partial result; tool, file, data and sets
// identify the run and let merge re-create it.
func RunShard(ctx context.Context, s *model.Scenario, cfg Config, tool, file string, data []byte, sets []model.Set) (*Partial, error) {
	if cfg.Shards < 1 || cfg.Shard < 0 || cfg.Shard >= cfg.Shards {
		return nil, fmt.Errorf("shard %d of %d does not exist", cfg.Shard, cfg.Shards)
	}
	if cfg.Tolerance > 0 || cfg.KeepSamples {
		return nil, errors.New("a sharded run takes neither --tolerance nor --samples")
	}
	acc, err := simulate(ctx, s, model.Compile(s), cfg)
	if err != nil {
		return nil, err
	}
	part := &Partial{Version: PartialVersion, Tool: tool, ScenarioSHA: s.SHA256(), Seed: cfg.Seed, Iterations: cfg.Iterations,
		Sampling: samplingName(cfg.Sampling), Shard: cfg.Shard, Shards: cfg.Shards, KeepOutputs: cfg.KeepOutputs,
		From: acc.from, To: acc.to, Exact: acc.exact, Blocks: acc.blocks[acc.from:acc.to],
		ScenarioFile: file, ScenarioData: data, Sets: sets}
	lo, hi := acc.from*BlockSize, min(acc.to*BlockSize, acc.n)
	if acc.values != nil && lo < acc.keep {
		for _, col := range acc.values {
			part.Values = append(part.Values, col[lo:min(hi, acc.keep)])
		}
	}
	if acc.exact {
		for _, col := range acc.cum {
			part.Cum = append(part.Cum, col[lo:hi])
		}
	} else {
		for i := range acc.sketches {
			part.Sketches = append(part.Sketches, acc.sketches[i].sparse())
		}
	}
	return part, nil
}

// samplingName is the sampling's name as results report it.
func samplingName(s string) string {
	if s == "" {
		return "mc"
	}
	return s
}

// WritePartial writes a partial result.
func WritePartial(w io.Writer, p *Partial) error { return gob.NewEncoder(w).Encode(p) }

// ReadPartial reads a partial result written by WritePartial.
func ReadPartial(r io.Reader) (*Partial, error) {
	var p Partial
	if err := gob.NewDecoder(r).Decode(&p); err != nil {
		return nil, fmt.Errorf("not a crmroi partial result: %w", err)
	}
	if p.Version != PartialVersion {
		return nil, fmt.Errorf("partial result of format version %d; this crmroi reads version %d", p.Version, PartialVersion)
	}
	return &p, nil
}

// MergePartials joins the parts of one run into the result a single process
// gives, byte for byte. The parts must be complete (every shard once) and
// compatible (same tool version, scenario, seed, iterations, sampling).
func MergePartials(s *model.Scenario, parts []*Partial, workers int) (*Result, error) {
	if len(parts) == 0 {
		return nil, errors.New("no parts to merge")
	}
	sort.Slice(parts, func(a, b int) bool { return parts[a].Shard < parts[b].Shard })
	p0 := parts[0]
	for _, p := range parts {
		switch {
		case p.Tool != p0.Tool:
			return nil, fmt.Errorf("shard %d was written by crmroi %s, shard %d by %s", p.Shard, p.Tool, p0.Shard, p0.Tool)
		case p.ScenarioSHA != p0.ScenarioSHA:
			return nil, fmt.Errorf("shard %d simulated another scenario (sha256 %.12s…, not %.12s…)", p.Shard, p.ScenarioSHA, p0.ScenarioSHA)
		case p.Seed != p0.Seed || p.Iterations != p0.Iterations || p.Sampling != p0.Sampling || p.Shards != p0.Shards || p.KeepOutputs != p0.KeepOutputs:
			return nil, fmt.Errorf("shard %d (seed %d, %d iterations, %s, %d shards) does not match shard %d (seed %d, %d iterations, %s, %d shards)",
				p.Shard, p.Seed, p.Iterations, p.Sampling, p.Shards, p0.Shard, p0.Seed, p0.Iterations, p0.Sampling, p0.Shards)
		}
	}
	if s.SHA256() != p0.ScenarioSHA {
		return nil, errors.New("the scenario does not match the parts' sha256")
	}
	var missing []int
	seen := map[int]bool{}
	for _, p := range parts {
		if seen[p.Shard] {
			return nil, fmt.Errorf("shard %d is given twice", p.Shard)
		}
		seen[p.Shard] = true
	}
	for i := 0; i < p0.Shards; i++ {
		if !seen[i] {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("shards %v of %d are missing", missing, p0.Shards)
	}
	cfg := Config{Iterations: p0.Iterations, Seed: p0.Seed, Workers: workers, Sampling: p0.Sampling, KeepOutputs: p0.KeepOutputs}
	if cfg.Workers <= 0 {
		cfg.Workers = 1
	}
	pr := prepare(s)
	acc := newAccumulator(pr, cfg, p0.Iterations)
	acc.n, acc.from, acc.to = p0.Iterations, 0, blocksOf(p0.Iterations)
	for _, p := range parts {
		lo, hi := ShardBlocks(p.Iterations, p.Shard, p.Shards)
		if p.From != lo || p.To != hi || len(p.Blocks) != hi-lo || p.Exact != acc.exact {
			return nil, fmt.Errorf("shard %d is damaged (blocks %d..%d, want %d..%d)", p.Shard, p.From, p.To, lo, hi)
		}
		copy(acc.blocks[lo:hi], p.Blocks)
		first := lo * BlockSize
		for k, col := range p.Values {
			copy(acc.values[k][first:], col)
		}
		for t, col := range p.Cum {
			copy(acc.cum[t][first:], col)
		}
		for c, sk := range p.Sketches {
			acc.sketches[c].addSparse(sk)
		}
	}
	return acc.reduce(), nil
}
