package sim

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// TestSinkInOrder: the sink sees every iteration once, in order, with the
// same inputs, outputs and outcomes as KeepSamples, for any number of workers;
// an error from the sink stops the run.
func TestSinkInOrder(t *testing.T) {
	s := model.Default()
	cfg := Config{Iterations: 9000, Seed: 6, Workers: 2, KeepSamples: true}
	ref, err := Run(context.Background(), s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{1, 2, 8} {
		var outcomes []model.Outcome
		inputs := make([][]float64, len(ref.Inputs))
		values := make([][]float64, len(ref.Values))
		next := 0
		c := Config{Iterations: cfg.Iterations, Seed: cfg.Seed, Workers: w, Sink: func(b *Block) error {
			if b.Lo != next {
				t.Fatalf("block at %d, want %d", b.Lo, next)
			}
			next += len(b.Outcomes)
			outcomes = append(outcomes, b.Outcomes...)
			for k := range b.Inputs {
				inputs[k] = append(inputs[k], b.Inputs[k]...)
			}
			for k := range b.Outputs {
				values[k] = append(values[k], b.Outputs[k]...)
			}
			return nil
		}}
		if _, err := Run(context.Background(), s, c); err != nil {
			t.Fatal(err)
		}
		if next != cfg.Iterations || !reflect.DeepEqual(outcomes, ref.Outcome) || !reflect.DeepEqual(inputs, ref.Inputs) {
			t.Errorf("workers %d: the sink's data differ from KeepSamples'", w)
		}
		for k := range values {
			if !reflect.DeepEqual(bitsOfSlice(values[k]), bitsOfSlice(ref.Values[k])) {
				t.Errorf("workers %d: output %d differs", w, k)
			}
		}
	}
	if !reflect.DeepEqual(InputNames(s), ref.InputNames) {
		t.Error("InputNames differ from Result.InputNames")
	}
	boom := errors.New("disk full")
	c := Config{Iterations: 50_000, Seed: 1, Workers: 2, Sink: func(b *Block) error {
		if b.Lo > 10_000 {
			return boom
		}
		return nil
	}}
	if _, err := Run(context.Background(), s, c); !errors.Is(err, boom) {
		t.Errorf("sink error: got %v", err)
	}
}

func bitsOfSlice(x []float64) []uint64 {
	out := make([]uint64, len(x))
	for i, v := range x {
		out[i] = math.Float64bits(v)
	}
	return out
}
