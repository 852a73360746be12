package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/out"
	"github.com/xuri/excelize/v2"
)

type voiJSON struct {
	EVPI  struct{ Value, SE float64 } `json:"evpi"`
	EVPPI []struct {
		Name          string
		Value, Lo, Hi float64
	} `json:"evppi"`
	Groups     []json.RawMessage `json:"groups"`
	Currency   string            `json:"currency"`
	Iterations int               `json:"iterations"`
	Options    []struct {
		Name string
		Mean float64
	} `json:"options"`
}

// normalLoss is E[max(0, Z)] for Z ~ N(m, s²).
func normalLoss(m, s float64) float64 {
	z := m / s
	return m*0.5*math.Erfc(-z/math.Sqrt2) + s*math.Exp(-z*z/2)/math.Sqrt(2*math.Pi)
}

func readVOI(t *testing.T, dir string) voiJSON {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "voi.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v voiJSON
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"evpi"`, `"evppi"`, `"groups"`, `"currency"`, `"iterations"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("voi.json has no %s", key)
		}
	}
	return v
}

func (v voiJSON) evppi(t *testing.T, name string) (value, lo, hi float64) {
	t.Helper()
	for _, e := range v.EVPPI {
		if e.Name == name {
			return e.Value, e.Lo, e.Hi
		}
	}
	t.Fatalf("voi.json has no EVPPI of %s", name)
	return
}

// One scenario, invest or not: y = −0.3 + x1 + x2 (σ 2 and 1), x3 in no
// payoff. The EVPI and EVPPI(x1) have closed forms; x3 is worth 0; the files
// are one set; the terminal line says it in money, in en and ru.
func TestVOICommandAnalytic(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(file, []byte("name: VOI test\nmodel: formula\ninputs:\n  x1: normal(0, 2)\n  x2: normal(0, 1)\n  x3: normal(5, 1)\noutputs:\n  y: -0.3 + x1 + x2 + 0 * x3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := filepath.Join(dir, "out")
	code, stdout, stderr := runMain(t, "voi", file, "-n", "100000", "-o", o, "--seed", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	v := readVOI(t, o)
	if v.Iterations != 100000 || len(v.Options) != 2 || v.Options[1].Name != "do nothing" {
		t.Errorf("iterations %d, options %+v", v.Iterations, v.Options)
	}
	wantEVPI := normalLoss(-0.3, math.Sqrt(5))
	if math.Abs(v.EVPI.Value-wantEVPI) > 4*v.EVPI.SE {
		t.Errorf("EVPI %g ± %g, want %g", v.EVPI.Value, v.EVPI.SE, wantEVPI)
	}
	want1 := normalLoss(-0.3, 2)
	if val, lo, hi := v.evppi(t, "x1"); want1 < lo || want1 > hi {
		t.Errorf("EVPPI(x1) %g [%g, %g], want %g", val, lo, hi, want1)
	}
	if val, lo, _ := v.evppi(t, "x3"); lo != 0 || val > 0.01*want1 {
		t.Errorf("EVPPI(x3) %g (lo %g), want ≈ 0", val, lo)
	}
	for _, f := range []string{"voi.csv", "voi.png"} {
		if _, err := os.Stat(filepath.Join(o, f)); err != nil {
			t.Error(err)
		}
	}
	if !strings.Contains(stdout, "Knowing x1 before deciding is worth up to") {
		t.Errorf("stdout:\n%s", stdout)
	}
	code, stdout, stderr = runMain(t, "voi", file, "-n", "1000", "-o", filepath.Join(dir, "ru"), "--lang", "ru", "--format", "none")
	if code != 0 || !strings.Contains(stdout, "Знать x1 до решения стоит до") {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
}

// Two options under common random numbers (x1 shared) and "do nothing"
// (never the best here: both means are 10 sd above 0): A = 10 + x1 + x2,
// B = 10.2 + 0.2·x1 + x3, so EVPPI(x1) = L(−0.2, 0.8) and EVPPI(x2) =
// L(−0.2, σ2), L the normal loss.
func TestVOICommandTwoOptions(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.yaml")
	b := filepath.Join(dir, "b.yaml")
	os.WriteFile(a, []byte("name: A\nmodel: formula\ninputs:\n  x1: normal(0, 1)\n  x2: normal(0, 0.7)\noutputs:\n  y: 10 + x1 + x2\n"), 0o644)
	os.WriteFile(b, []byte("name: B\nmodel: formula\ninputs:\n  x1: normal(0, 1)\n  x3: normal(0, 0.5)\noutputs:\n  y: 10.2 + 0.2 * x1 + x3\n"), 0o644)
	o := filepath.Join(dir, "out")
	code, _, stderr := runMain(t, "voi", a, b, "-n", "100000", "-o", o, "--format", "none", "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	v := readVOI(t, o)
	if len(v.Options) != 3 {
		t.Fatalf("options %+v", v.Options)
	}
	for _, c := range []struct {
		name string
		s    float64
	}{{"x1", 0.8}, {"x2", 0.7}, {"x3", 0.5}} {
		want := normalLoss(-0.2, c.s)
		if val, lo, hi := v.evppi(t, c.name); want < lo || want > hi {
			t.Errorf("EVPPI(%s) %g [%g, %g], want %g", c.name, val, lo, hi, want)
		}
	}
	wantEVPI := normalLoss(-0.2, math.Sqrt(0.64+0.49+0.25))
	if math.Abs(v.EVPI.Value-wantEVPI) > 4*v.EVPI.SE {
		t.Errorf("EVPI %g ± %g, want %g", v.EVPI.Value, v.EVPI.SE, wantEVPI)
	}
}

// Mistakes in the command line exit 2 with a message and write nothing.
func TestVOICommandRefuses(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"voi", "-n", "10"},
		{"voi", "--resamples", "5"},
		{"voi", "--shard", "0/2"},
		{"sensitivity", "--shard", "1/2", "--base", "64"},
		{"voi", "--tolerance", "1000"},
		{"voi", "--samples"},
		{"voi", filepath.Join(dir, "missing.yaml")},
	} {
		o := filepath.Join(dir, "out")
		code, _, stderr := runMain(t, append(args, "-o", o)...)
		if code != 2 || stderr == "" || strings.Contains(stderr, "goroutine") {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
		if slices.Contains(args, "--shard") && !strings.Contains(stderr, "EVPPI") {
			t.Errorf("%v: the refusal does not say why: %s", args, stderr)
		}
		if _, err := os.Stat(filepath.Join(o, "voi.json")); err == nil {
			t.Errorf("%v wrote voi.json", args)
		}
	}
}

// sensitivity and run --sensitivity carry the value of information of
// investing or not: sensitivity.json's and summary.json's "voi" objects hold
// voi.json's figures, bit for bit (the same sample, the same estimators), and
// the terminal, report.html, summary.xlsx and voi.png say it, in en and ru.
func TestSensitivityAndRunCarryVOI(t *testing.T) {
	dir := t.TempDir()
	common := []string{"-n", "2000", "--seed", "4"}
	if code, _, stderr := runMain(t, append([]string{"voi", "-o", filepath.Join(dir, "voi"), "--format", "none"}, common...)...); code != 0 {
		t.Fatalf("voi: exit %d: %s", code, stderr)
	}
	var want map[string]json.RawMessage
	readJSON(t, filepath.Join(dir, "voi", "voi.json"), &want)
	same := func(what string, got map[string]json.RawMessage) {
		t.Helper()
		for _, k := range []string{"evpi", "evppi", "groups", "iterations", "output", "options", "best_option", "undefined_iterations"} {
			if compactJSON(t, got[k]) != compactJSON(t, want[k]) {
				t.Errorf("%s: voi.%s = %s, voi.json has %s", what, k, got[k], want[k])
			}
		}
	}
	code, stdout, stderr := runMain(t, append([]string{"sensitivity", "--base", "64", "-o", filepath.Join(dir, "sens")}, common...)...)
	if code != 0 {
		t.Fatalf("sensitivity: exit %d: %s", code, stderr)
	}
	var sens struct{ VOI map[string]json.RawMessage }
	readJSON(t, filepath.Join(dir, "sens", "sensitivity.json"), &sens)
	same("sensitivity.json", sens.VOI)
	if !strings.Contains(stdout, "Knowing everything before deciding (EVPI) is worth up to") {
		t.Errorf("sensitivity's table says nothing of the value of information:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "sens", "voi.png")); err != nil {
		t.Error(err)
	}
	for _, lang := range []string{"en", "ru"} {
		o := filepath.Join(dir, "run-"+lang)
		code, stdout, stderr = runMain(t, append([]string{"run", "--sensitivity", "--xlsx", "--lang", lang, "-o", o}, common...)...)
		if code != 0 {
			t.Fatalf("run --sensitivity: exit %d: %s", code, stderr)
		}
		var sum struct{ VOI map[string]json.RawMessage }
		readJSON(t, filepath.Join(o, "summary.json"), &sum)
		same("summary.json", sum.VOI)
		report, err := os.ReadFile(filepath.Join(o, "report.html"))
		if err != nil {
			t.Fatal(err)
		}
		words := map[string][]string{
			"en": {"Value of information", "Knowing everything before deciding (EVPI) is worth up to"},
			"ru": {"Ценность информации", "Знать всё до решения (EVPI) стоит до"},
		}[lang]
		if !strings.Contains(string(report), "<h2>"+words[0]+"</h2>") || !strings.Contains(string(report), words[1]) {
			t.Errorf("%s: report.html has no value-of-information section", lang)
		}
		if !strings.Contains(stdout, words[1]) {
			t.Errorf("%s: the table says nothing of the value of information:\n%s", lang, stdout)
		}
		sheets := xlsxSheets(t, filepath.Join(o, "summary.xlsx"))
		if !slices.Contains(sheets, out.SheetName(out.SheetVOI, out.Lang(lang))) {
			t.Errorf("%s: summary.xlsx sheets %v", lang, sheets)
		}
	}
	// Without --sensitivity, summary.json has no voi object.
	o := filepath.Join(dir, "plain")
	if code, _, stderr := runMain(t, append([]string{"run", "-o", o, "--format", "none"}, common...)...); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	var plain map[string]json.RawMessage
	readJSON(t, filepath.Join(o, "summary.json"), &plain)
	if _, ok := plain["voi"]; ok {
		t.Error("summary.json of a run without --sensitivity has a voi object")
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func compactJSON(t *testing.T, m json.RawMessage) string {
	t.Helper()
	var b bytes.Buffer
	if len(m) == 0 {
		return ""
	}
	if err := json.Compact(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func xlsxSheets(t *testing.T, path string) []string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return f.GetSheetList()
}
