package sim

import (
	"bytes"
	"context"
	"reflect"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// TestShardsMergeEqualsSingleRun: four shards, each written and read back
// through the partial format, merge into exactly the single-process result,
// in exact mode and in sketch mode.
func TestShardsMergeEqualsSingleRun(t *testing.T) {
	s := model.Default()
	for _, limit := range []int{ExactLimit, 5000} {
		func() {
			defer func(old int) { exactLimit = old }(exactLimit)
			exactLimit = limit
			cfg := Config{Iterations: 20_000 + 5, Seed: 8, Workers: 2, Sampling: "lhs", KeepOutputs: true}
			single, err := Run(context.Background(), s, cfg)
			if err != nil {
				t.Fatal(err)
			}
			var parts []*Partial
			for i := 3; i >= 0; i-- { // any order
				c := cfg
				c.Shard, c.Shards, c.Workers = i, 4, 1+i%2
				p, err := RunShard(context.Background(), s, c, "test", "rev", &model.Source{File: model.DefaultFile, Text: model.DefaultYAML}, nil)
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				if err := WritePartial(&buf, p); err != nil {
					t.Fatal(err)
				}
				back, err := ReadPartial(&buf)
				if err != nil {
					t.Fatal(err)
				}
				parts = append(parts, back)
			}
			merged, err := MergePartials(s, parts, 2)
			if err != nil {
				t.Fatal(err)
			}
			if merged.Exact != (limit == ExactLimit) {
				t.Fatalf("exact = %v with limit %d", merged.Exact, limit)
			}
			if !reflect.DeepEqual(bitsOf(single), bitsOf(merged)) || !reflect.DeepEqual(single.Probs, merged.Probs) || single.Outcomes != merged.Outcomes {
				t.Errorf("limit %d: merged shards differ from the single run", limit)
			}
			if _, err := MergePartials(s, parts[:3], 2); err == nil {
				t.Error("an incomplete set of parts was merged")
			}
			other := *parts[0]
			other.Seed++
			if _, err := MergePartials(s, append([]*Partial{&other}, parts[1:]...), 2); err == nil {
				t.Error("parts of different seeds were merged")
			}
		}()
	}
}
