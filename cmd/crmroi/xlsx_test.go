package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestRunStreamsSamplesAndXLSX: run --samples-format csv,parquet --xlsx
// writes samples.csv, samples.parquet and summary.xlsx, lists them, leaves no
// temporary file, and samples.csv is the same for 1, 2 and 8 workers; a
// formula model's samples.csv has no outcome column; batch --xlsx writes
// comparison.xlsx and each scenario's summary.xlsx; a bad --samples-format is
// a usage error.
func TestRunStreamsSamplesAndXLSX(t *testing.T) {
	var first []byte
	for _, w := range []string{"1", "2", "8"} {
		dir := t.TempDir()
		code, stdout, stderr := runMain(t, "run", "-n", "3000", "-w", w, "--format", "none", "-o", dir,
			"--samples-format", "csv,parquet", "--xlsx")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for _, f := range []string{"samples.csv", "samples.parquet", "summary.xlsx"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%s: %v", f, err)
			}
			if !bytes.Contains([]byte(stdout), []byte(f)) {
				t.Errorf("the table does not list %s", f)
			}
		}
		if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp*")); len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
		csv, err := os.ReadFile(filepath.Join(dir, "samples.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = csv
			if !bytes.HasPrefix(csv, []byte("iteration,outcome,discount_rate,")) && !bytes.HasPrefix(csv, []byte("iteration,outcome,company.")) {
				t.Errorf("samples.csv header: %.80s", csv)
			}
		} else if !bytes.Equal(csv, first) {
			t.Errorf("%s workers: samples.csv differs from 1 worker's", w)
		}
	}
	dir := t.TempDir()
	if code, _, stderr := runMain(t, "run", filepath.Join(examplesDir, "formula_nps.yaml"), "-n", "2000", "--format", "none", "-q", "-o", dir, "--samples", "--xlsx"); code != 0 {
		t.Fatalf("formula: exit %d: %s", code, stderr)
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "samples.csv"))
	if bytes.Contains(bytes.SplitN(csv, []byte("\n"), 2)[0], []byte("outcome")) || !bytes.HasPrefix(csv, []byte("iteration,")) {
		t.Errorf("formula samples.csv header: %.80s", csv)
	}
	if _, err := os.Stat(filepath.Join(dir, "summary.xlsx")); err != nil {
		t.Error(err)
	}
	dir = t.TempDir()
	if code, _, stderr := runMain(t, "batch", filepath.Join(examplesDir, "saas.yaml"), filepath.Join(examplesDir, "onprem.yaml"),
		"-n", "2000", "--format", "none", "-q", "-o", dir, "--xlsx", "--samples"); code != 0 {
		t.Fatalf("batch: exit %d: %s", code, stderr)
	}
	for _, f := range []string{"comparison.xlsx", "*/summary.xlsx", "*/samples.csv"} {
		if m, _ := filepath.Glob(filepath.Join(dir, f)); len(m) == 0 || (f != "comparison.xlsx" && len(m) != 2) {
			t.Errorf("batch: %s: %v", f, m)
		}
	}
	if code, _, _ := runMain(t, "run", "-n", "100", "-o", t.TempDir(), "--samples-format", "xml"); code != exitBadInput {
		t.Errorf("--samples-format xml: exit %d, want %d", code, exitBadInput)
	}
}
