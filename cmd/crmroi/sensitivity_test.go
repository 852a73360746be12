package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sensJSON is the part of sensitivity.json the tests read.
type sensJSON struct {
	Output    string `json:"output"`
	Base      int    `json:"base"`
	ModelRuns int    `json:"model_runs"`
	Inputs    []struct {
		Name         string     `json:"name"`
		Spearman     *float64   `json:"spearman"`
		SobolFirst   float64    `json:"sobol_first"`
		SobolFirstCI [2]float64 `json:"sobol_first_ci"`
		SobolTotal   float64    `json:"sobol_total"`
		SobolTotalCI [2]float64 `json:"sobol_total_ci"`
	} `json:"inputs"`
	Groups []struct {
		Name    string   `json:"name"`
		Members []string `json:"members"`
	} `json:"groups"`
	OverTime []struct {
		Month  int                 `json:"month"`
		Shares map[string]*float64 `json:"shares"`
	} `json:"over_time"`
}

func readSens(t *testing.T, dir string) (sensJSON, []byte) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "sensitivity.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s sensJSON
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s, b
}

// TestSensitivityIshigamiCLI runs the formula model of examples/ with
// --base 16384 and checks the Sobol indices against the analytic ones.
func TestSensitivityIshigamiCLI(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runMain(t, "sensitivity", "../../examples/formula_ishigami.yaml", "--base", "16384", "-n", "5000", "-o", dir, "--format", "none")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Sobol ST") {
		t.Errorf("no table:\n%s", stdout)
	}
	s, _ := readSens(t, dir)
	first := []float64{0.3139, 0.4424, 0}
	total := []float64{0.5576, 0.4424, 0.2437}
	if s.Output != "y" || s.Base != 16384 || s.ModelRuns != 16384*5 || len(s.Inputs) != 3 {
		t.Fatalf("output %s base %d runs %d inputs %d", s.Output, s.Base, s.ModelRuns, len(s.Inputs))
	}
	for i, in := range s.Inputs {
		if math.Abs(in.SobolFirst-first[i]) > 0.02 || math.Abs(in.SobolTotal-total[i]) > 0.02 {
			t.Errorf("%s: S1 %v ST %v, want %v %v", in.Name, in.SobolFirst, in.SobolTotal, first[i], total[i])
		}
		if in.SobolTotalCI[1]-in.SobolTotalCI[0] > 0.05 || in.SobolFirstCI[1]-in.SobolFirstCI[0] > 0.05 {
			t.Errorf("%s: intervals %v %v wider than 0.05", in.Name, in.SobolFirstCI, in.SobolTotalCI)
		}
	}
}

// TestSensitivityWorkersByteIdentical checks that sensitivity.json does not
// depend on the number of workers, and writes every file of the command.
func TestSensitivityWorkersByteIdentical(t *testing.T) {
	var outs [][]byte
	for _, w := range []string{"1", "3"} {
		dir := t.TempDir()
		format := "none"
		if w == "1" {
			format = "png"
		}
		code, _, stderr := runMain(t, "sensitivity", "-n", "3000", "--base", "256", "--resamples", "200", "-w", w, "-o", dir, "-q", "--format", format)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		s, b := readSens(t, dir)
		outs = append(outs, b)
		if len(s.Inputs) == 0 || s.Inputs[0].Spearman == nil || len(s.OverTime) != 36 || len(s.Groups) != 5 {
			t.Fatalf("incomplete sensitivity.json: %d inputs, %d months, %d groups", len(s.Inputs), len(s.OverTime), len(s.Groups))
		}
		want := []string{"sensitivity.json", "sensitivity.csv", "sensitivity_over_time.csv"}
		if format == "png" {
			want = append(want, "tornado.png", "spider.png", "sobol.png", "sensitivity_over_time.png")
		}
		for _, f := range want {
			if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
				t.Errorf("%s: %v", f, err)
			}
		}
	}
	if string(outs[0]) != string(outs[1]) {
		t.Error("sensitivity.json differs between 1 and 3 workers")
	}
}

// TestSensitivityUsage checks the usage errors: exit 2, nothing written.
func TestSensitivityUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--base", "1000"},
		{"--base", "0"},
		{"--sobol-sampling", "lhs"},
		{"--resamples", "5"},
		{"a.yaml", "b.yaml"},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		code, _, stderr := runMain(t, append([]string{"sensitivity", "-o", dir}, args...)...)
		if code != 2 || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
		if _, err := os.Stat(dir); err == nil {
			t.Errorf("%v: wrote %s", args, dir)
		}
	}
}

// TestSensitivityGroupsErrors checks groups: in a scenario: an unknown input
// (with a suggestion) and an input in two groups are errors at their line and
// column; user groups replace the default ones.
func TestSensitivityGroupsErrors(t *testing.T) {
	dir := t.TempDir()
	bad := defaultText() + "groups:\n  Market: [company.growth, company.churn]\n  Costs: [costs.one_of, company.churn]\n"
	file := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(file, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runMain(t, "sensitivity", file, "-o", filepath.Join(dir, "out"))
	if code != 2 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	l, c := lineCol(bad, "costs.one_of")
	if !strings.Contains(stderr, file+":"+strconv.Itoa(l)+":"+strconv.Itoa(c)+": groups.Costs: unknown input \"costs.one_of\" (did you mean costs.one_off?)") {
		t.Errorf("stderr: %s", stderr)
	}
	if !strings.Contains(stderr, "company.churn is already in group \"Market\"") {
		t.Errorf("stderr: %s", stderr)
	}
	good := defaultText() + "groups:\n  Market: [company.growth, company.churn]\n  Money: [costs.one_off, costs.overrun]\n"
	if err := os.WriteFile(file, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, _, stderr = runMain(t, "sensitivity", file, "-o", out, "-n", "2000", "--base", "128", "--resamples", "100", "-q", "--format", "none")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	s, _ := readSens(t, out)
	var names []string
	for _, g := range s.Groups {
		names = append(names, g.Name)
	}
	if strings.Join(names, ",") != "Market,Money,other inputs,risk events" {
		t.Errorf("groups %v", names)
	}
}

// TestRunSensitivityReport checks that run --sensitivity adds the section to report.html.
func TestRunSensitivityReport(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runMain(t, "run", "--sensitivity", "-n", "2000", "-o", dir, "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h2>Sensitivity</h2>", "Sobol ST", "risk.outcome", "data:image/png;base64,"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("report.html has no %q", want)
		}
	}
	code, _, _ = runMain(t, "run", "-n", "2000", "-o", dir, "-q", "--format", "none")
	if code != 0 {
		t.Fatal("run without --sensitivity failed")
	}
}
