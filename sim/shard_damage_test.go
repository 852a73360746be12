package sim

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// sketchMode lowers the exact limit below smallParts' iterations, until
// the returned function restores it, when exact is false.
func sketchMode(exact bool) func() {
	old := exactLimit
	if !exact {
		exactLimit = 1000
	}
	return func() { exactLimit = old }
}

// smallScenario is the default scenario over 12 months.
func smallScenario(t testing.TB) (*model.Scenario, []model.Set) {
	sets := []model.Set{{Name: "horizon_months", Value: "12", N: 1}}
	s, err := model.Parse(model.DefaultFile, model.DefaultYAML, sets)
	if err != nil {
		t.Fatal(err)
	}
	return s, sets
}

// smallParts returns the two encoded parts of a small run of the default
// scenario, in exact mode or in sketch mode (under sketchMode).
func smallParts(t testing.TB) [][]byte {
	t.Helper()
	s, sets := smallScenario(t)
	var out [][]byte
	for i := 0; i < 2; i++ {
		cfg := Config{Iterations: 2100, Seed: 5, Workers: 1, KeepOutputs: true, Shard: i, Shards: 2}
		p, err := RunShard(context.Background(), s, cfg, "test", "rev", &model.Source{File: model.DefaultFile, Text: model.DefaultYAML}, sets)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WritePartial(&buf, p); err != nil {
			t.Fatal(err)
		}
		out = append(out, buf.Bytes())
	}
	return out
}

// mergeEncoded reads and merges encoded parts of smallScenario.
func mergeEncoded(t testing.TB, parts [][]byte) (*Result, error) {
	var ps []*Partial
	for _, b := range parts {
		p, err := ReadPartial(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	s, _ := smallScenario(t)
	return MergePartials(s, ps, 1)
}

// TestPartialBitFlips: any single flipped bit of a part, anywhere (header,
// content or checksum), is refused before it is decoded; so are truncated
// and extended parts.
func TestPartialBitFlips(t *testing.T) {
	for _, exact := range []bool{true, false} {
		defer sketchMode(exact)()
		parts := smallParts(t)
		if _, err := mergeEncoded(t, parts); err != nil {
			t.Fatalf("the intact parts: %v", err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		good := parts[1]
		for k := 0; k < 500; k++ {
			bad := bytes.Clone(good)
			bit := r.IntN(8 * len(bad))
			bad[bit/8] ^= 1 << (bit % 8)
			if _, err := ReadPartial(bytes.NewReader(bad)); err == nil {
				t.Fatalf("exact %v: bit %d flipped was accepted", exact, bit)
			}
		}
		for _, bad := range [][]byte{good[:len(good)-1], good[:partHeader], append(bytes.Clone(good), 0), nil} {
			if _, err := ReadPartial(bytes.NewReader(bad)); err == nil {
				t.Errorf("exact %v: a part of %d bytes (of %d) was accepted", exact, len(bad), len(good))
			}
		}
	}
}

// reencode decodes a part, changes it and encodes it again with a valid
// checksum, as a tampered or buggy writer would.
func reencode(t *testing.T, b []byte, change func(p *Partial)) []byte {
	t.Helper()
	p, err := ReadPartial(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	change(p)
	var buf bytes.Buffer
	if err := WritePartial(&buf, p); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPartialImpossibleFields: a part whose checksum is right but one of
// whose fields is impossible is refused with an error, never a panic or a
// different result.
func TestPartialImpossibleFields(t *testing.T) {
	// Variables, not constants: the huge values do not fit an int on 32-bit
	// targets, where make test vets this package too.
	tera, twoTo40 := int64(1e12), int64(1)<<40
	cases := map[string]func(p *Partial){
		"negative iterations":    func(p *Partial) { p.Iterations = -3000 },
		"10^12 iterations":       func(p *Partial) { p.Iterations = int(tera) },
		"zero shards":            func(p *Partial) { p.Shards = 0 },
		"shard beyond shards":    func(p *Partial) { p.Shard = 7 },
		"10^12 shards":           func(p *Partial) { p.Shards = int(tera) },
		"unknown sampling":       func(p *Partial) { p.Sampling = "quasi" },
		"no version":             func(p *Partial) { p.Tool = "" },
		"inner format version":   func(p *Partial) { p.Version = 1 },
		"blocks shifted":         func(p *Partial) { p.From, p.To = p.From+1, p.To+1 },
		"a block missing":        func(p *Partial) { p.Blocks = p.Blocks[1:] },
		"block size":             func(p *Partial) { p.Blocks[0].N = int(twoTo40) },
		"nil block metrics":      func(p *Partial) { p.Blocks[0].Metric = nil },
		"extra block metric":     func(p *Partial) { p.Blocks[0].Metric = append(p.Blocks[0].Metric, newMoments()) },
		"nil undefined":          func(p *Partial) { p.Blocks[0].Undefined = nil },
		"short month sums":       func(p *Partial) { p.Blocks[0].CumSum = p.Blocks[0].CumSum[1:] },
		"negative count":         func(p *Partial) { p.Blocks[0].Outcomes[0] = -1 },
		"outcomes do not add up": func(p *Partial) { p.Blocks[0].Outcomes[0]++ },
		"hits beyond block":      func(p *Partial) { p.Blocks[0].Hits[0] = 5000 },
		"a threshold missing":    func(p *Partial) { p.Blocks[0].Hits = p.Blocks[0].Hits[1:] },
		"negative hits":          func(p *Partial) { p.Blocks[0].Hits[1] = -1 },
		"moments beyond block":   func(p *Partial) { p.Blocks[0].Metric[0].N = 1 << 40 },
		"negative M2":            func(p *Partial) { p.Blocks[0].Metric[0].M2 = -1 },
		"scenario checksum":      func(p *Partial) { p.ScenarioSHA = strings.Repeat("0", 64) },
		"no scenario":            func(p *Partial) { p.Source.File = "" },
		"exact flag":             func(p *Partial) { p.Exact = !p.Exact },
		"negative seconds":       func(p *Partial) { p.Seconds = -1 },
		"extra value column":     func(p *Partial) { p.Values = append(p.Values, []float64{1}) },
		"long value column": func(p *Partial) {
			if len(p.Values) == 0 {
				p.Values = make([][]float64, len(p.Blocks[0].Metric))
			}
			p.Values[0] = append(p.Values[0], 1, 2, 3)
		},
	}
	// The sketches (the months' in either mode, the outputs' first in
	// sketch mode): damage one with at least two positive buckets.
	sk := func(p *Partial) *sparseSketch {
		for j := range p.Sketches {
			if len(p.Sketches[j].Pos) >= 2 {
				return &p.Sketches[j]
			}
		}
		t.Fatal("no sketch with two positive buckets")
		return nil
	}
	for name, change := range map[string]func(p *Partial){
		"bucket index 2^62":      func(p *Partial) { sk(p).Pos[0].I = 1 << 62 },
		"bucket index 2^22":      func(p *Partial) { b := sk(p).Pos; b[len(b)-1].I = 1 << 22 },
		"floor not a power of 2": func(p *Partial) { sk(p).Delta *= 3 },
		"buckets out of order":   func(p *Partial) { b := sk(p).Pos; b[0], b[1] = b[1], b[0] },
		"bucket count":           func(p *Partial) { sk(p).Pos[0].B.Count++ },
		"negative zero count":    func(p *Partial) { p.Sketches[1].Zero = -1 },
		"zero count":             func(p *Partial) { p.Sketches[1].Zero++ },
		"centre not finite":      func(p *Partial) { sk(p).Centre = math.Inf(1) },
		"atom counts":            func(p *Partial) { sk(p).AtomN = append(sk(p).AtomN, 1) },
		"bucket frac":            func(p *Partial) { b := &sk(p).Pos[0].B; b.Frac = uint64(b.Count)<<32 + 1 },
		"missing sketch":         func(p *Partial) { p.Sketches = p.Sketches[1:] },
		"extra sketch":           func(p *Partial) { p.Sketches = append(p.Sketches, sparseSketch{}) },
	} {
		cases[name] = change
	}
	exactOnly := map[string]func(p *Partial){
		"output sketches in exact mode": func(p *Partial) { p.Sketches = append(make([]sparseSketch, len(p.Blocks[0].Metric)), p.Sketches...) },
	}
	sketchOnly := map[string]func(p *Partial){
		"no output sketches": func(p *Partial) { p.Sketches = p.Sketches[len(p.Blocks[0].Metric):] },
	}
	for _, exact := range []bool{true, false} {
		restore := sketchMode(exact)
		parts := smallParts(t)
		more := exactOnly
		if !exact {
			more = sketchOnly
		}
		for name, change := range cases {
			more[name] = change
		}
		for name, change := range more {
			for i := range parts {
				bad := [][]byte{parts[0], parts[1]}
				bad[i] = reencode(t, parts[i], change)
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Errorf("exact %v, %s in part %d: panic %v", exact, name, i, r)
						}
					}()
					if _, err := mergeEncoded(t, bad); err == nil {
						t.Errorf("exact %v, %s in part %d: merged", exact, name, i)
					}
				}()
			}
		}
		restore()
	}
}

// FuzzReadPartial decodes arbitrary content wrapped as a part with a valid
// header and checksum (so that the decoder and the checks behind the
// checksum are reached), then merges it alone if it was accepted: neither
// may panic. The seeds are the contents of valid parts.
func FuzzReadPartial(f *testing.F) {
	for _, b := range smallParts(f) { // exact mode only: the fuzzer runs with the normal limit
		f.Add(b[partHeader : len(b)-sha256.Size])
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, payload []byte) {
		buf := make([]byte, partHeader, partHeader+len(payload)+sha256.Size)
		copy(buf, partMagic[:])
		binary.BigEndian.PutUint32(buf[8:], PartialVersion)
		binary.BigEndian.PutUint64(buf[12:], uint64(len(payload)))
		buf = append(buf, payload...)
		sum := sha256.Sum256(buf)
		p, err := ReadPartial(bytes.NewReader(append(buf, sum[:]...)))
		if err != nil {
			return
		}
		s, err := model.ParseSource(&p.Source, p.Sets)
		if err != nil {
			return
		}
		if p.Iterations > 100_000 { // a consistent part this large is no mutation's result; keep the fuzzer fast
			return
		}
		MergePartials(s, []*Partial{p}, 1)
	})
}
