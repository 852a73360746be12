package model

import (
	"errors"
	"strings"
	"testing"
)

// FuzzLoad: every input ends in a valid scenario or a user error (ErrorList
// with positions), never a panic or a hang.
func FuzzLoad(f *testing.F) {
	f.Add(string(DefaultYAML), "")
	f.Add("horizon_months: 12\ncompany: {revenue: 1}\n", "seats=3")
	f.Add("a: &a [1, *a]\n", "")
	f.Add("company:\n  revenue: pert(1, 2, 3)\n  <<: {x: 1}\n", "company.revenue=uniform(1, 2)")
	f.Add("correlations: [[costs.overrun, costs.one_off, 0.99], [costs.one_off, costs.support, 0.99]]\n", "")
	f.Add(strings.Replace(string(DefaultYAML), "0.6]", "0.6]\n  - [company.margin, company.churn, -0.9]", 1), "risks.cancel=0.5")
	f.Add("model: formula\ninputs: {x: uniform(0, 1)}\noutputs:\n  y: log(x) + z\n  z: 2 * x\n", "x=0.5")
	f.Add(string(DefaultYAML)+"inputs: {g: pert(0, 1, 2)}\ncustom:\n  - {name: a, kind: cost, monthly: g * 1e3 * (build or live)}\n", "g=3")
	f.Fuzz(func(t *testing.T, data, set string) {
		if len(data) > 1<<16 {
			return
		}
		var sets []Set
		if set != "" {
			s, err := ParseSet(set, 1)
			if err != nil {
				return
			}
			sets = append(sets, s)
		}
		s, err := Parse("fuzz.yaml", []byte(data), sets)
		if err != nil {
			var el ErrorList
			if !errors.As(err, &el) || len(el) == 0 {
				t.Fatalf("error is not an ErrorList: %T %v", err, err)
			}
			for _, e := range el {
				if e.Pos.File == "" || e.Msg == "" {
					t.Fatalf("error without a position or message: %+v", e)
				}
			}
			return
		}
		// A valid scenario must compile and evaluate its plan case (an
		// expression may be NaN there: that is an error, not a panic).
		_, _ = Analyze(s, Compile(s))
		if s.SHA256() == "" {
			t.Fatal("no hash")
		}
	})
}

func TestHostileFiles(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\ni: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
	deep := strings.Repeat("[", 5000) + strings.Repeat("]", 5000)
	for name, data := range map[string]string{"alias bomb": bomb, "deep nesting": "company: " + deep, "binary": "\x00\x01\x02"} {
		_, err := Parse(name, []byte(data), nil)
		var el ErrorList
		if !errors.As(err, &el) {
			t.Errorf("%s: %v", name, err)
		}
	}
	big := strings.Repeat("#", MaxFileSize+10)
	f := t.TempDir() + "/big.yaml"
	if err := writeFile(f, big); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(f, nil); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("big file: %v", err)
	}
}

// FuzzSet: any --set argument applied to the default scenario ends in a valid
// scenario or a user error positioned at the flag, never a panic.
func FuzzSet(f *testing.F) {
	for _, s := range []string{"benefits.capacity_gain=pert(0.1,0.2,0.3)", "seats=12", "costs.one_off=", "=5",
		"horizon_months=600", "risks.cancel=1", "company.margin=normal(0.2, 0.05, min=0, max=1)", "name=Тест", "x.y.z=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		if len(arg) > 4096 {
			return
		}
		set, err := ParseSet(arg, 1)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Pos.File != "--set" {
				t.Fatalf("ParseSet error %T %v", err, err)
			}
			return
		}
		s, err := Parse("default.yaml", DefaultYAML, []Set{set})
		if err != nil {
			var el ErrorList
			if !errors.As(err, &el) || len(el) == 0 {
				t.Fatalf("error is not an ErrorList: %T %v", err, err)
			}
			return
		}
		if _, err := Analyze(s, Compile(s)); err != nil {
			var nf *NonFiniteError
			if !errors.As(err, &nf) {
				t.Fatalf("plan case: %v", err)
			}
		}
	})
}
