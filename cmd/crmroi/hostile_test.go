package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExtremeValues: extreme but valid values give finite results (exit 0)
// or a clear error, quickly, never a crash.
func TestExtremeValues(t *testing.T) {
	cases := map[string][]string{
		"revenue 1e15":       {"company.revenue=1e15"},
		"lognormal sigma 5":  {"benefits.other_savings=lognormal(mu=10, sigma=5)"},
		"horizon 600":        {"horizon_months=600"},
		"growth -0.9":        {"company.growth=-0.9"},
		"discount rate 0":    {"discount_rate=0"},
		"discount rate 5":    {"discount_rate=5"},
		"churn 1":            {"company.churn=1"},
		"ramp tiny":          {"adoption.ramp_months=0.001"},
		"everything at once": {"company.revenue=1e15", "horizon_months=600", "company.growth=-0.9", "discount_rate=5", "benefits.other_savings=lognormal(mu=10, sigma=5)"},
	}
	for name, sets := range cases {
		t.Run(name, func(t *testing.T) {
			args := []string{"run", "-n", "3000", "--format", "none", "-q", "-o", t.TempDir(), "--json"}
			for _, s := range sets {
				args = append(args, "--set", s)
			}
			start := time.Now()
			code, stdout, stderr := runMain(t, args...)
			if code != 0 && code != 1 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if code == 1 && !strings.Contains(stderr, "iteration") {
				t.Errorf("exit 1 without naming the iteration: %s", stderr)
			}
			if code == 0 && (strings.Contains(stdout, "NaN") || strings.Contains(stdout, "Inf")) {
				t.Errorf("non-finite number in summary.json")
			}
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestHostileInputs: odd files and requests are clear errors (exit 2), quickly.
func TestHostileInputs(t *testing.T) {
	dir := t.TempDir()
	var many strings.Builder
	many.WriteString(strings.TrimRight(defaultText(), "\n") + "\ninputs:\n")
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&many, "  x%d: uniform(0, 1)\n", i)
	}
	manyFile := filepath.Join(dir, "many.yaml")
	os.WriteFile(manyFile, []byte(many.String()), 0o644)
	deep := filepath.Join(dir, "deep.yaml")
	os.WriteFile(deep, []byte("company: "+strings.Repeat("[", 10000)+strings.Repeat("]", 10000)+"\n"), 0o644)
	for name, args := range map[string][]string{
		"/dev/zero":           {"run", "/dev/zero"},
		"directory":           {"run", dir},
		"deep nesting":        {"run", deep},
		"huge iterations":     {"run", "-n", "2000000000"},
		"bad sampling":        {"run", "--sampling", "quasi"},
		"bad tolerance":       {"run", "--tolerance", "2"},
		"bad shard":           {"run", "--shard", "3/2"},
		"unknown command":     {"frobnicate"},
		"thousands of inputs": {"validate", manyFile},
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			if args[0] == "run" {
				args = append(args, "-o", filepath.Join(dir, "out"))
			}
			code, _, stderr := runMain(t, args...)
			want := 2
			if name == "thousands of inputs" {
				want = 0 // valid: 3,000 unused inputs (each with a warning)
			}
			if code != want {
				t.Errorf("exit %d, want %d: %s", code, want, stderr)
			}
			if strings.Contains(stderr, "goroutine") {
				t.Errorf("stack trace: %s", stderr)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Error("an output folder was created by a refused run")
	}
}

// TestWriteErrorIsExit1: an output folder that cannot be created is exit 1
// naming the path.
func TestWriteErrorIsExit1(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	os.WriteFile(file, []byte("x"), 0o644)
	out := filepath.Join(file, "sub")
	code, _, stderr := runMain(t, "run", "-n", "1000", "--format", "none", "-q", "-o", out)
	if code != 1 || !strings.Contains(stderr, out) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestImpossibleMemoryRefused: a run that would not fit is refused before it
// starts, with the estimate in the message (on a pretend 100 MB machine: a
// 10⁶-iteration run needs about 105 MB since the bands are sketched).
func TestImpossibleMemoryRefused(t *testing.T) {
	old := availableMemory
	availableMemory = func() int64 { return 100 << 20 }
	defer func() { availableMemory = old }()
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runMain(t, "run", "-n", "1000000", "--format", "none", "-q", "-o", out)
	if code != 2 || !strings.Contains(stderr, "would need about") || !strings.Contains(stderr, "MB") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("the refused run created its output folder")
	}
}

// TestForeignFilesProtected: a run never replaces a file in its output folder
// that crmroi did not write (exit 2, nothing written, before simulating),
// unless --force; files of an earlier run are replaced freely.
func TestForeignFilesProtected(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "bands.csv")
	os.WriteFile(mine, []byte("the analyst's own bands"), 0o644)
	code, _, stderr := runMain(t, "run", "-n", "2000", "--format", "none", "-q", "-o", dir)
	if code != 2 || !strings.Contains(stderr, "bands.csv") || !strings.Contains(stderr, "--force") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(mine); string(b) != "the analyst's own bands" {
		t.Fatal("the analyst's file was replaced")
	}
	if _, err := os.Stat(filepath.Join(dir, "summary.json")); !os.IsNotExist(err) {
		t.Error("a refused run wrote summary.json")
	}
	if code, _, stderr := runMain(t, "run", "-n", "2000", "--format", "none", "-q", "-o", dir, "--force"); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runMain(t, "run", "-n", "3000", "--format", "none", "-q", "-o", dir); code != 0 {
		t.Fatalf("a second run over crmroi's own files: exit %d: %s", code, stderr)
	}
	for _, cmd := range [][]string{
		{"sensitivity", "--base", "64", "-n", "500", "--format", "none", "-q", "-o", dir},
		{"sweep", "--param", "seats", "--values", "20,30", "-n", "500", "--format", "none", "-q", "-o", dir},
	} {
		foreign := map[string]string{"sensitivity": "sensitivity.csv", "sweep": "sweep.csv"}[cmd[0]]
		os.WriteFile(filepath.Join(dir, foreign), []byte("mine"), 0o644)
		if code, _, stderr := runMain(t, cmd...); code != 2 || !strings.Contains(stderr, foreign) {
			t.Errorf("%s over a foreign %s: exit %d: %s", cmd[0], foreign, code, stderr)
		}
	}
}
