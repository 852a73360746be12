package model

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/distributions"
)

// scenarioWith writes a formula scenario with the given input lines and
// data files in a temporary folder and returns the scenario's path.
func scenarioWith(t *testing.T, inputs string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	text := "name: t\nmodel: formula\ninputs:\n" + inputs + "outputs:\n  y: a\n"
	sf := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(sf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return sf
}

func inputDist(t *testing.T, s *Scenario, path string) distributions.Dist {
	t.Helper()
	for _, in := range s.Inputs {
		if in.Path == path || strings.HasSuffix(in.Path, "."+path) {
			return in.Dist
		}
	}
	t.Fatalf("no input %s", path)
	return nil
}

func TestEmpiricalInputs(t *testing.T) {
	data := "month,churn,deal\n1,0.02,100\n2,0.03,150\n3,0.025,90\n4,0.04,300\n5,0.01,120\n6,0.035,200\n"
	sf := scenarioWith(t,
		"  a: empirical(file=data/h.csv, column=churn)\n"+
			"  b: empirical(file=data/h.csv, column=deal, smooth=kde, min=0)\n"+
			"  c: empirical(file=data/h.csv, column=deal, fit=gamma)\n",
		map[string]string{"data/h.csv": data})
	s, err := Load(sf, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := inputDist(t, s, "a")
	if lo, hi := a.Support(); lo != 0.01 || hi != 0.04 || a.Quantile(0.5) != 0.025 {
		t.Errorf("a: support %v %v, median %v", lo, hi, a.Quantile(0.5))
	}
	if !strings.HasPrefix(a.String(), "empirical(file=data/h.csv, column=churn, sha256=") {
		t.Errorf("a: %s", a)
	}
	if src := distributions.SourceOf(a); !strings.Contains(src, `data/h.csv, column "churn": n = 6`) || !strings.Contains(src, "resampled") {
		t.Errorf("a: source %q", src)
	}
	b := inputDist(t, s, "b")
	if lo, _ := b.Support(); lo != 0 {
		t.Errorf("b: not cut at 0: %v", lo)
	}
	if src := distributions.SourceOf(b); !strings.Contains(src, "kernel density, bandwidth") {
		t.Errorf("b: source %q", src)
	}
	c := inputDist(t, s, "c")
	if src := distributions.SourceOf(c); !strings.HasPrefix(src, "gamma(") || !strings.Contains(src, "fitted by maximum likelihood") || !strings.Contains(src, "AIC") {
		t.Errorf("c: source %q", src)
	}
	if !strings.Contains(c.String(), "fit=gamma") {
		t.Errorf("c: %s", c)
	}
	if !strings.Contains(s.Canonical(), "sha256=") {
		t.Errorf("canonical has no data fingerprint:\n%s", s.Canonical())
	}
}

// TestEmpiricalErrors checks that data errors name the data file's line and
// column after the scenario's position and the parameter path.
func TestEmpiricalErrors(t *testing.T) {
	cases := []struct {
		input, data string
		want        []string
	}{
		{"empirical(file=h.csv, column=x)", "x\n1\nabc\n", []string{`s.yaml:4:6: a: /`, `h.csv:3:1: column "x": "abc" is not a number`}},
		{"empirical(file=h.csv, column=x)", "x\n1\nnan\n", []string{`h.csv:3:1: column "x": "nan" is not a number (NaN)`}},
		{"empirical(file=h.csv, column=x)", "x\n1\n", []string{`h.csv:1: column "x" has 1 number`}},
		{"empirical(file=h.csv, column=y)", "x\n1\n2\n", []string{`h.csv:1:1: no column "y"`}},
		{"empirical(file=nope.csv, column=y)", "x\n1\n2\n", []string{`nope.csv: no such file`}},
		{"empirical(file=h.csv, column=x, smooth=kde)", "x\n1\n1\n", []string{`h.csv, column "x": a kernel density needs values that differ`}},
		{"empirical(file=h.csv, column=x, sha256=deadbeef)", "x\n1\n2\n", []string{`have changed: the scenario says sha256=deadbeef`}},
		{"empirical(file=h.csv, column=x, smoth=kde)", "x\n1\n2\n", []string{`s.yaml:4:38: a: empirical has no argument "smoth"`}},
	}
	for _, c := range cases {
		sf := scenarioWith(t, "  a: "+c.input+"\n", map[string]string{"h.csv": c.data})
		_, err := Load(sf, nil)
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s with %q: got %v, want %q", c.input, c.data, err, w)
			}
		}
	}
	// the built-in default scenario has no folder to read from
	if _, err := Parse(DefaultFile, []byte("name: t\nmodel: formula\ninputs:\n  a: empirical(file=h.csv)\noutputs:\n  y: a\n"), nil); err == nil ||
		!strings.Contains(err.Error(), "need a scenario file") {
		t.Errorf("default file: %v", err)
	}
}

// TestWithDataFiles: Scenario.With re-creates a scenario with other
// overrides from the Document it was loaded from, not from the file (changed
// since), and reads a data file an override names for the first time once,
// adding it to the Source's Data; one it already holds is not read again.
func TestWithDataFiles(t *testing.T) {
	sf := scenarioWith(t, "  a: empirical(file=h.csv, column=x)\n",
		map[string]string{"h.csv": "x\n1\n2\n3\n4\n", "g.csv": "x\n10\n20\n30\n"})
	s0, src, err := LoadSource(sf, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(sf)
	if err := os.WriteFile(sf, []byte("not: [a scenario"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "h.csv"), []byte("x\n100\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s1, err := s0.With()
	if err != nil {
		t.Fatalf("With after the files changed: %v", err)
	}
	if a0, a1 := inputDist(t, s0, "a"), inputDist(t, s1, "a"); a1.String() != a0.String() {
		t.Errorf("a = %s, want %s as loaded", a1, a0)
	}
	s2, err := s0.With(Set{Name: "a", Value: "empirical(file=g.csv, column=x)", N: 1})
	if err != nil {
		t.Fatalf("an override naming another data file: %v", err)
	}
	if lo, hi := inputDist(t, s2, "a").Support(); lo != 10 || hi != 30 {
		t.Errorf("a from g.csv: support %v..%v, want 10..30", lo, hi)
	}
	if _, ok := src.Data[filepath.Join(dir, "g.csv")]; !ok || len(src.Data) != 2 {
		t.Errorf("Data holds %d files, want h.csv and g.csv", len(src.Data))
	}
}
