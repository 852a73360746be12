package sim

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/crmroi/crmroi/model"
)

// PartialVersion is the version of the partial-result format; merge refuses
// parts of another version. Version 3 added the checksum, the build's
// revision, the compute time and the data files of empirical inputs; version
// 4 the sketches' grids (centre, floor, atoms); version 5 counts the months in
// sketches in exact mode too (no monthly values kept), with buckets of 2^−8
// (the grid's Bits).
const PartialVersion = 5

// Partial is the result of one shard of a run (--shard i/N): the summaries of
// its blocks and the values (exact mode) and sketches it gathered, with what
// identifies the run, so that merge can check the parts belong together, and
// the scenario's source, so that merge can re-create it anywhere.
type Partial struct {
	Version     int
	Tool        string // crmroi's version
	Revision    string // the revision crmroi was built from
	ScenarioSHA string
	Seed        uint64
	Iterations  int
	Sampling    string
	Shard       int
	Shards      int
	KeepOutputs bool
	From, To    int // blocks
	Exact       bool
	Seconds     float64 // the shard's compute time
	Blocks      []blockSummary
	Values      [][]float64 // per output: iterations [From·B, …) of the kept prefix
	// Sketches are the outputs' (sketch mode only), then the months'.
	Sketches []sparseSketch
	Source   model.Source // the scenario as the shard read it, with its data files
	Sets     []model.Set
}

// sparseSketch is a Sketch as its grid and the list of its non-empty buckets.
type sparseSketch struct {
	Centre, Delta        float64
	Bits                 int
	Atoms                []float64
	AtomN                []int64
	AtomAbove            []bucket
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
	g := s.grid()
	sp := sparseSketch{Centre: g.Centre, Delta: g.Delta, Bits: g.Bits, Atoms: g.Atoms, Pos: s.Pos.sparse(), Neg: s.Neg.sparse(), Zero: s.Zero, PosInf: s.PosInf, NegInf: s.NegInf}
	for _, a := range s.Atoms {
		sp.AtomN = append(sp.AtomN, a.N)
		sp.AtomAbove = append(sp.AtomAbove, a.Above)
	}
	return sp
}

func (o *sparseSketch) grid() grid {
	return grid{Centre: o.Centre, Delta: o.Delta, Bits: o.Bits, Atoms: o.Atoms}
}

// addSparse adds o's counts to s; the grids must agree.
func (s *Sketch) addSparse(o sparseSketch) error {
	if !s.sameGrid(o.grid()) || len(o.AtomN) != len(o.Atoms) || len(o.AtomAbove) != len(o.Atoms) {
		return fmt.Errorf("its sketches' grid (centre, floor, atoms %v) is not the run's (%v)", o.grid(), s.grid())
	}
	for j := range s.Atoms {
		a, b := &s.Atoms[j], o.AtomAbove[j]
		a.N += o.AtomN[j]
		a.Above.Count += b.Count
		a.Above.Frac += b.Frac
	}
	for _, b := range o.Pos {
		s.Pos.addCount(b.I, b.B.Count, b.B.Frac)
	}
	for _, b := range o.Neg {
		s.Neg.addCount(b.I, b.B.Count, b.B.Frac)
	}
	s.Zero += o.Zero
	s.PosInf += o.PosInf
	s.NegInf += o.NegInf
	return nil
}

// RunShard simulates shard cfg.Shard of cfg.Shards (0-based) of the run of
// scenario s and returns its partial result; tool and revision identify the
// build, src and sets the scenario, so that merge can re-create it.
func RunShard(ctx context.Context, s *model.Scenario, cfg Config, tool, revision string, src *model.Source, sets []model.Set) (*Partial, error) {
	if cfg.Shards < 1 || cfg.Shard < 0 || cfg.Shard >= cfg.Shards {
		return nil, fmt.Errorf("shard %d of %d does not exist", cfg.Shard, cfg.Shards)
	}
	if cfg.Tolerance > 0 || cfg.KeepSamples {
		return nil, errors.New("a sharded run takes neither --tolerance nor --samples")
	}
	start := time.Now()
	acc, err := simulate(ctx, s, model.Compile(s), cfg)
	if err != nil {
		return nil, err
	}
	part := &Partial{Version: PartialVersion, Tool: tool, Revision: revision, ScenarioSHA: s.SHA256(), Seed: cfg.Seed, Iterations: cfg.Iterations,
		Sampling: samplingName(cfg.Sampling), Shard: cfg.Shard, Shards: cfg.Shards, KeepOutputs: cfg.KeepOutputs,
		From: acc.from, To: acc.to, Exact: acc.exact, Blocks: acc.blocks[acc.from:acc.to],
		Source: *src, Sets: sets}
	lo, hi := acc.from*BlockSize, min(acc.to*BlockSize, acc.n)
	if acc.values != nil && lo < acc.keep {
		for _, col := range acc.values {
			part.Values = append(part.Values, col[lo:min(hi, acc.keep)])
		}
	}
	for i := acc.firstSketch(); i < len(acc.sketches); i++ {
		part.Sketches = append(part.Sketches, acc.sketches[i].sparse())
	}
	part.Seconds = time.Since(start).Seconds()
	return part, nil
}

// samplingName is the sampling's name as results report it.
func samplingName(s string) string {
	if s == "" {
		return "mc"
	}
	return s
}

// partMagic starts every partial result file.
var partMagic = [8]byte{'c', 'r', 'm', 'r', 'o', 'i', 'P', '\n'}

// partHeader is the magic, the format version (uint32) and the payload's
// length (uint64), big-endian; the payload (gob) follows, then the SHA-256 of
// header and payload.
const partHeader = 8 + 4 + 8

// WritePartial writes a partial result: a header, the encoded part and a
// SHA-256 checksum over both, which ReadPartial verifies before decoding.
func WritePartial(w io.Writer, p *Partial) error {
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(p); err != nil {
		return err
	}
	buf := make([]byte, partHeader, partHeader+payload.Len()+sha256.Size)
	copy(buf, partMagic[:])
	binary.BigEndian.PutUint32(buf[8:], PartialVersion)
	binary.BigEndian.PutUint64(buf[12:], uint64(payload.Len()))
	buf = append(buf, payload.Bytes()...)
	sum := sha256.Sum256(buf)
	buf = append(buf, sum[:]...)
	_, err := w.Write(buf)
	return err
}

// ReadPartial reads a partial result written by WritePartial, refusing it
// unless its checksum matches and every field is possible on its own: a
// number of iterations, shards and blocks that a run can have, the blocks and
// columns of its shard, a known sampling, sketch buckets that exist. What
// depends on the scenario (the number of outputs and months) MergePartials
// checks.
func ReadPartial(r io.Reader) (*Partial, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return decodePartial(data)
}

func decodePartial(data []byte) (*Partial, error) {
	if len(data) < partHeader+sha256.Size || !bytes.Equal(data[:8], partMagic[:]) {
		return nil, errors.New("not a crmroi partial result")
	}
	if v := binary.BigEndian.Uint32(data[8:]); v != PartialVersion {
		return nil, fmt.Errorf("partial result of format version %d; this crmroi reads version %d", v, PartialVersion)
	}
	body := data[:len(data)-sha256.Size]
	if n := binary.BigEndian.Uint64(data[12:]); n != uint64(len(body)-partHeader) {
		return nil, errors.New("the partial result is damaged: truncated or extended (its length does not match its header)")
	}
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], data[len(body):]) {
		return nil, errors.New("the partial result is damaged: its checksum does not match its content")
	}
	var p Partial
	if err := gob.NewDecoder(bytes.NewReader(body[partHeader:])).Decode(&p); err != nil {
		return nil, fmt.Errorf("the partial result is damaged: %w", err)
	}
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("the partial result is damaged: %w", err)
	}
	return &p, nil
}

// maxPartIterations is the most iterations a run may have (cli.md).
const maxPartIterations = 1_000_000_000

// check verifies the fields of a part that do not depend on its scenario.
func (p *Partial) check() error {
	switch {
	case p.Version != PartialVersion:
		return fmt.Errorf("format version %d inside, not %d", p.Version, PartialVersion)
	case p.Tool == "" || len(p.Tool) > 200 || len(p.Revision) > 200:
		return errors.New("no valid crmroi version")
	case len(p.ScenarioSHA) != 64 || strings.Trim(p.ScenarioSHA, "0123456789abcdef") != "":
		return errors.New("no valid scenario checksum")
	case p.Iterations < 1 || p.Iterations > maxPartIterations:
		return fmt.Errorf("%d iterations (a run has 1 to %d)", p.Iterations, maxPartIterations)
	case p.Sampling != "mc" && p.Sampling != "lhs" && p.Sampling != "sobol":
		return fmt.Errorf("unknown sampling %.40q", p.Sampling)
	case p.Shards < 1 || p.Shards > maxShards || p.Shard < 0 || p.Shard >= p.Shards:
		return fmt.Errorf("shard %d of %d (a run has 1 to %d shards)", p.Shard, p.Shards, maxShards)
	case !(p.Seconds >= 0 && p.Seconds <= 1e9):
		return fmt.Errorf("a compute time of %v s", p.Seconds)
	case p.Exact != (p.Iterations <= exactLimit):
		return errors.New("exact mode does not match the iterations")
	}
	lo, hi := ShardBlocks(p.Iterations, p.Shard, p.Shards)
	if p.From != lo || p.To != hi || len(p.Blocks) != hi-lo {
		return fmt.Errorf("blocks %d..%d (%d), want %d..%d", p.From, p.To, len(p.Blocks), lo, hi)
	}
	for i := range p.Blocks {
		b := lo + i
		if want := min(p.Iterations, (b+1)*BlockSize) - b*BlockSize; p.Blocks[i].N != want {
			return fmt.Errorf("block %d has %d iterations, not %d", b, p.Blocks[i].N, want)
		}
	}
	if p.Source.File == "" || len(p.Source.File) > 4096 || len(p.Source.Text) > model.MaxFileSize {
		return errors.New("no valid scenario")
	}
	return nil
}

// maxShards is the most shards a run may be split into (cli.md).
const maxShards = 100_000

// checkAgainst verifies the columns of part p against the run's accumulator
// (built for the part's scenario): the outputs and months of every block, the
// kept values and monthly values of its iterations, and its sketches.
func (p *Partial) checkAgainst(a *accumulator) error {
	outs, h := len(a.p.outs), a.p.h
	lo, hi := p.From*BlockSize, min(p.To*BlockSize, a.n)
	for i := range p.Blocks {
		if err := a.checkBlock(&p.Blocks[i]); err != nil {
			return fmt.Errorf("block %d: %w", p.From+i, err)
		}
	}
	wantValues, valueLen := 0, 0
	if a.keepsValues() && lo < a.keep {
		wantValues, valueLen = outs, min(hi, a.keep)-lo
	}
	if len(p.Values) != wantValues {
		return fmt.Errorf("%d value columns, not %d", len(p.Values), wantValues)
	}
	for _, col := range p.Values {
		if len(col) != valueLen {
			return fmt.Errorf("a value column of %d iterations, not %d", len(col), valueLen)
		}
	}
	first := a.firstSketch()
	if want := outs + h - first; len(p.Sketches) != want {
		return fmt.Errorf("%d sketches, not %d", len(p.Sketches), want)
	}
	for j := range p.Sketches {
		// Every defined value of an output, every monthly value, was counted.
		c, want := first+j, int64(0)
		for i := range p.Blocks {
			want += int64(p.Blocks[i].N)
			if c < outs {
				want -= p.Blocks[i].Undefined[c]
			}
		}
		bits := sketchBits
		if c >= outs {
			bits = bandBits
		}
		if p.Sketches[j].Bits != bits {
			return fmt.Errorf("sketch %d: buckets of %d bits, not %d", c, p.Sketches[j].Bits, bits)
		}
		if err := p.Sketches[j].check(want); err != nil {
			return fmt.Errorf("sketch %d: %w", c, err)
		}
	}
	return nil
}

// checkBlock verifies the counts of a block's summary.
func (a *accumulator) checkBlock(b *blockSummary) error {
	outs, n := len(a.p.outs), int64(b.N)
	if len(b.Metric) != outs || len(b.Undefined) != outs || len(b.CumSum) != a.p.h {
		return fmt.Errorf("%d outputs and %d months, not %d and %d", len(b.Metric), len(b.CumSum), outs, a.p.h)
	}
	for k, m := range b.Metric {
		if m.N < 0 || b.Undefined[k] < 0 || m.N+b.Undefined[k] > n || m.M2 < 0 || m.Min != m.Min || m.Max != m.Max {
			return fmt.Errorf("impossible moments of output %d", k)
		}
	}
	if len(b.Hits) != a.p.nthr {
		return fmt.Errorf("%d threshold counts, not %d", len(b.Hits), a.p.nthr)
	}
	for _, c := range b.Hits {
		if c < 0 || c > n {
			return errors.New("a threshold count beyond its iterations")
		}
	}
	var outcomes int64
	for _, c := range b.Outcomes {
		if c < 0 {
			return errors.New("a negative count")
		}
		outcomes += c
	}
	if outcomes != n {
		return errors.New("outcome counts that do not add up to its iterations")
	}
	return nil
}

// check verifies a decoded sketch: a grid a run can have (a finite centre,
// a floor that is a power of two in [2^−1000, 2^1023], atoms newSketch keeps),
// buckets that exist, in increasing order, each with possible counts,
// extremes and position sum; n values in all.
func (s *sparseSketch) check(n int64) error {
	g := s.grid()
	_, e := math.Frexp(g.Delta)
	if g.Centre-g.Centre != 0 || g.Bits != sketchBits && g.Bits != bandBits || g.Delta < 0x1p-1000 || g.Delta > 0x1p1023 || g.Delta != math.Ldexp(1, e-1) ||
		len(g.Atoms) > maxAtoms || len(s.AtomN) != len(g.Atoms) || len(s.AtomAbove) != len(g.Atoms) {
		return errors.New("an impossible grid")
	}
	sk := newSketch(g)
	if len(sk.Atoms) != len(g.Atoms) {
		return errors.New("an impossible grid")
	}
	total := s.Zero + s.PosInf + s.NegInf
	if s.Zero < 0 || s.PosInf < 0 || s.NegInf < 0 || total < 0 {
		return errors.New("a negative count")
	}
	add := func(c int64) error {
		total += c
		if c < 0 || total > maxPartIterations {
			return errors.New("more values than a run has")
		}
		return nil
	}
	top, _ := sk.index(math.MaxFloat64)
	for _, buckets := range [][]sparseBucket{s.Pos, s.Neg} {
		for j, b := range buckets {
			if b.I > top || j > 0 && b.I <= buckets[j-1].I {
				return fmt.Errorf("bucket %d does not exist or is out of order", b.I)
			}
			if !possible(b.B) {
				return fmt.Errorf("bucket %d is impossible", b.I)
			}
			if err := add(b.B.Count); err != nil {
				return err
			}
		}
	}
	for j, a := range sk.Atoms {
		if err := add(s.AtomN[j]); err != nil {
			return err
		}
		if k := s.AtomAbove[j]; k.Count != 0 || k.Frac != 0 {
			if !possible(k) {
				return fmt.Errorf("the bucket beyond atom %v is impossible", a.Value)
			}
			if err := add(k.Count); err != nil {
				return err
			}
		}
	}
	if total != n {
		return fmt.Errorf("%d values, not %d", total, n)
	}
	return nil
}

// MergePartials joins the parts of one run into the result a single process
// gives, byte for byte. The parts must be complete (every shard once) and
// compatible (same tool version, scenario, seed, iterations, sampling).
func MergePartials(s *model.Scenario, parts []*Partial, workers int) (*Result, error) {
	if len(parts) == 0 {
		return nil, errors.New("no parts to merge")
	}
	for _, p := range parts {
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("shard %d is damaged: %w", p.Shard, err)
		}
	}
	sort.Slice(parts, func(a, b int) bool { return parts[a].Shard < parts[b].Shard })
	p0 := parts[0]
	for _, p := range parts {
		switch {
		case p.Tool != p0.Tool || p.Revision != p0.Revision:
			return nil, fmt.Errorf("shard %d was written by crmroi %s (%s), shard %d by %s (%s)", p.Shard, p.Tool, p.Revision, p0.Shard, p0.Tool, p0.Revision)
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
	if len(missing) > 10 {
		return nil, fmt.Errorf("%d shards of %d are missing (%v…)", len(missing), p0.Shards, missing[:10])
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("shards %v of %d are missing", missing, p0.Shards)
	}
	cfg := Config{Iterations: p0.Iterations, Seed: p0.Seed, Workers: workers, Sampling: p0.Sampling, KeepOutputs: p0.KeepOutputs}
	if cfg.Workers <= 0 {
		cfg.Workers = 1
	}
	pr := prepare(s)
	shape := accumulatorShape(pr, cfg, p0.Iterations) // nothing allocated before the parts are checked
	shape.n = p0.Iterations
	for _, p := range parts {
		if err := p.checkAgainst(shape); err != nil {
			return nil, fmt.Errorf("shard %d does not fit its scenario: %w", p.Shard, err)
		}
	}
	acc := newAccumulator(pr, cfg, p0.Iterations)
	acc.n, acc.from, acc.to = p0.Iterations, 0, blocksOf(p0.Iterations)
	for _, p := range parts {
		lo, hi := p.From, p.To
		copy(acc.blocks[lo:hi], p.Blocks)
		first := lo * BlockSize
		for k, col := range p.Values {
			copy(acc.values[k][first:], col)
		}
		skFirst := acc.firstSketch()
		if len(p.Sketches) != len(acc.sketches)-skFirst {
			return nil, fmt.Errorf("shard %d is damaged (%d sketches, want %d)", p.Shard, len(p.Sketches), len(acc.sketches)-skFirst)
		}
		for j, sk := range p.Sketches {
			c := skFirst + j
			if p == parts[0] {
				acc.sketches[c] = newSketch(sk.grid())
			}
			if err := acc.sketches[c].addSparse(sk); err != nil {
				return nil, fmt.Errorf("shard %d is damaged: %w", p.Shard, err)
			}
		}
	}
	return acc.reduce(), nil
}
