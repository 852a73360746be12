package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// writeData writes a CSV file in a temporary folder and returns its path.
func writeData(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gammaCSV(n int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	b.WriteString("month,overrun\n")
	for i := 0; i < n; i++ {
		// gamma(3, 0.4) as a sum of 3 exponentials
		v := 0.4 * (r.ExpFloat64() + r.ExpFloat64() + r.ExpFloat64())
		fmt.Fprintf(&b, "%d,%.6g\n", i+1, v)
	}
	return b.String()
}

// TestFitCommand runs `crmroi fit` on gamma data: exit 0, the table ranks
// the families with the gamma first and prints its expression, and fit.json,
// fit.png and fit_qq.png are written.
func TestFitCommand(t *testing.T) {
	data := writeData(t, "history.csv", gammaCSV(400, 3))
	dir := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runMain(t, "fit", data, "--column", "overrun", "-o", dir, "--bootstrap", "30", "--families", "gamma,normal,uniform")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"n = 400", "Best by AIC: gamma", "gamma(", "empirical(file=" + data + ", column=overrun, fit=gamma)", "KS p"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, stdout)
		}
	}
	for _, f := range []string{"fit.json", "fit.png", "fit_qq.png"} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil || st.Size() < 1000 {
			t.Errorf("%s: %v", f, err)
		}
	}
	var js struct {
		BestAIC string `json:"best_aic"`
		Results []struct {
			Family string   `json:"family"`
			KSP    *float64 `json:"ks_p"`
		} `json:"results"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "fit.json"))
	if err := json.Unmarshal(b, &js); err != nil || js.BestAIC != "gamma" || len(js.Results) != 3 || js.Results[0].KSP == nil {
		t.Errorf("fit.json: %v %+v", err, js)
	}
	// --json prints the same object
	code, stdout, _ = runMain(t, "fit", data, "--column", "overrun", "-o", dir, "--bootstrap", "30", "--families", "gamma,normal,uniform", "--json", "--format", "none")
	if code != 0 || strings.TrimSpace(stdout) != strings.TrimSpace(string(b)) {
		t.Errorf("--json differs from fit.json (exit %d)", code)
	}
}

// TestFitCommandBadData checks exit 2 with file:line for NaN, text, one
// value and an empty column, and that nothing is written.
func TestFitCommandBadData(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"nan", "x,y\n1,2\n2,NaN\n3,4\n", ":3:3: column \"y\": \"NaN\" is not a number"},
		{"text", "x,y\n1,2\n2,3\n3,n/a\n", ":4:3: column \"y\": \"n/a\" is not a number"},
		{"one value", "x,y\n1,2\n", ":1: column \"y\" has 1 number"},
		{"empty column", "x,y\n1,\n2,\n", ":1: column \"y\" has 0 numbers"},
		{"equal", "x,y\n1,2\n2,2\n", "all 2 values are equal"},
	}
	for _, c := range cases {
		data := writeData(t, "d.csv", c.text)
		dir := filepath.Join(t.TempDir(), "out")
		code, _, stderr := runMain(t, "fit", data, "--column", "y", "-o", dir)
		if code != 2 || !strings.Contains(stderr, data) || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q, want 2 and %q", c.name, code, stderr, c.want)
		}
		if strings.Contains(stderr, "goroutine") {
			t.Errorf("%s: stack trace", c.name)
		}
		if _, err := os.Stat(dir); err == nil {
			t.Errorf("%s: output written", c.name)
		}
	}
	for _, args := range [][]string{
		{"fit"},
		{"fit", "a.csv", "b.csv"},
		{"fit", "a.csv", "--families", "cauchy"},
		{"fit", "a.csv", "--min", "abc"},
		{"fit", "a.csv", "--bootstrap", "-1"},
	} {
		if code, _, _ := runMain(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	code, _, stderr := runMain(t, "fit", filepath.Join(t.TempDir(), "missing.csv"), "--column", "y")
	if code != 2 || !strings.Contains(stderr, "missing.csv") {
		t.Errorf("missing file: exit %d, %q", code, stderr)
	}
}

// TestEmpiricalInputRun is the acceptance test of empirical inputs: a
// formula scenario whose input resamples a normal sample of 200 values
// reproduces the sample's mean and percentiles in a run of 40,000
// iterations within Monte Carlo error (4 standard errors). It also checks
// that the scenario's SHA-256 changes with the data.
func TestEmpiricalInputRun(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(11, 12))
	const n = 200
	sample := make([]float64, n)
	var b strings.Builder
	b.WriteString("id,value\n")
	for i := range sample {
		sample[i] = 50 + 10*r.NormFloat64()
		fmt.Fprintf(&b, "%d,%.17g\n", i, sample[i])
	}
	if err := os.WriteFile(filepath.Join(dir, "sample.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	scen := "name: empirical\nmodel: formula\ninputs:\n  x: empirical(file=sample.csv, column=value)\noutputs:\n  y: x\n"
	sf := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(sf, []byte(scen), 0o644); err != nil {
		t.Fatal(err)
	}
	const iters = 40000
	sc, err := model.Load(sf, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(context.Background(), sc, sim.Config{Iterations: iters, Seed: 5, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	st := res.Metrics[0]
	t.Logf("run: n=%d mean %v, pct %v", res.Iterations, st.Mean, st.Pct)
	sort.Float64s(sample)
	var mean, ss float64
	for _, v := range sample {
		mean += v / n
	}
	for _, v := range sample {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / n)
	if math.Abs(st.Mean-mean) > 4*sd/math.Sqrt(iters) {
		t.Errorf("mean %v, sample mean %v (MC se %v)", st.Mean, mean, sd/math.Sqrt(iters))
	}
	ecdf := func(x float64) float64 { return float64(sort.SearchFloat64s(sample, x+1e-9)) / n }
	for i, q := range sim.PctLevels {
		v := st.Pct[i]
		// the simulated percentile lies within the data's range, and the
		// sample's ECDF there is within MC error of q (give or take the
		// data step 1/n and the interpolation between two data values)
		if c := ecdf(v); math.Abs(c-q) > 4*math.Sqrt(q*(1-q)/iters)+1.0/n {
			t.Errorf("P%g = %v has sample ECDF %v", 100*q, v, c)
		}
		tq := sample[int(math.Ceil(q*n))-1] // the sample's type-1 percentile
		if math.Abs(v-tq) > (sample[n-1]-sample[0])/20 {
			t.Errorf("P%g = %v, sample percentile %v", 100*q, v, tq)
		}
	}
	if !strings.Contains(sc.Canonical(), "sha256=") {
		t.Errorf("the canonical scenario does not show the data's fingerprint:\n%s", sc.Canonical())
	}
	// the scenario's identity changes with the data
	sha1 := scenarioSHA(t, sf)
	if err := os.WriteFile(filepath.Join(dir, "sample.csv"), []byte(b.String()+"999,60\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if sha2 := scenarioSHA(t, sf); sha1 == sha2 {
		t.Error("the scenario SHA-256 did not change with the data")
	}
}

// scenarioSHA loads a scenario and returns its SHA-256.
func scenarioSHA(t *testing.T, file string) string {
	t.Helper()
	s, err := model.Load(file, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s.SHA256()
}
