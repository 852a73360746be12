package model

import (
	"math"
	"testing"
)

// TestOutputDescriptions checks that every output of both models describes
// itself completely and consistently: a unique name, a label in English and
// Russian, "not reached" text where +Inf is allowed, a reason where
// undefined iterations are counted in a warning, and thresholds with
// distinct keys.
func TestOutputDescriptions(t *testing.T) {
	f := NewFormula(mustParse(t, linearYAML))
	for _, set := range [][]OutputInfo{CRMOutputs(), f.Outputs()} {
		names := map[string]bool{}
		for _, o := range set {
			if o.Name == "" || names[o.Name] {
				t.Errorf("output %q: empty or repeated name", o.Name)
			}
			names[o.Name] = true
			if o.Label.En == "" || o.Label.In("ru") == "" {
				t.Errorf("%s: no label", o.Name)
			}
			if o.Unreachable != (o.NotReached.En != "") || o.Unreachable && o.NotReached.Ru == "" {
				t.Errorf("%s: unreachable %v with not-reached text %q", o.Name, o.Unreachable, o.NotReached)
			}
			if (o.Undefined != UndefinedSilent) && !o.Undefinable || (o.Undefined == UndefinedCount) != (o.UndefinedWhy != "") {
				t.Errorf("%s: undefined report %v, undefinable %v, reason %q", o.Name, o.Undefined, o.Undefinable, o.UndefinedWhy)
			}
			keys := map[string]bool{}
			for _, th := range o.Thresholds {
				if th.Key == "" || keys[th.Key] || th.Label.En == "" || th.Label.Ru == "" {
					t.Errorf("%s: threshold %+v", o.Name, th)
				}
				keys[th.Key] = true
			}
		}
	}
	if len(Outputs) != len(CRMOutputs()) {
		t.Fatalf("Outputs has %d names for %d descriptions", len(Outputs), len(CRMOutputs()))
	}
	var r Result
	if len(r.Values()) != len(Outputs) {
		t.Errorf("Result.Values has %d outputs, the descriptions %d", len(r.Values()), len(Outputs))
	}
}

// TestThresholdHolds checks the three comparisons, with NaN satisfying none
// and +Inf only "above".
func TestThresholdHolds(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		th   Threshold
		v    float64
		want bool
	}{
		{Threshold{Cmp: Below, At: 0}, -1e-300, true}, {Threshold{Cmp: Below, At: 0}, 0, false}, {Threshold{Cmp: Below, At: 0}, nan, false},
		{Threshold{Cmp: AtMost, At: 12}, 12, true}, {Threshold{Cmp: AtMost, At: 12}, 12.000001, false}, {Threshold{Cmp: AtMost, At: 12}, inf, false},
		{Threshold{Cmp: Above, At: math.MaxFloat64}, inf, true}, {Threshold{Cmp: Above, At: math.MaxFloat64}, math.MaxFloat64, false},
		{Threshold{Cmp: Above, At: math.MaxFloat64}, nan, false},
	}
	for _, c := range cases {
		if got := c.th.Holds(c.v); got != c.want {
			t.Errorf("%+v holds for %v: %v, want %v", c.th, c.v, got, c.want)
		}
	}
}
