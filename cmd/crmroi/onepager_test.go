package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestSummaryPDFWorkersByteIdentical: run's summary.pdf is the same, byte
// for byte, for 1, 2 and 8 workers, in both languages; --format none
// writes none.
func TestSummaryPDFWorkersByteIdentical(t *testing.T) {
	dir := t.TempDir()
	for _, lang := range []string{"en", "ru"} {
		var ref []byte
		for _, w := range []string{"1", "2", "8"} {
			o := filepath.Join(dir, lang+w)
			code, _, stderr := runMain(t, "run", "-n", "20000", "--seed", "5", "-w", w, "-q", "--lang", lang, "-o", o)
			if code != 0 {
				t.Fatalf("workers %s: exit %d: %s", w, code, stderr)
			}
			b, err := os.ReadFile(filepath.Join(o, "summary.pdf"))
			if err != nil {
				t.Fatal(err)
			}
			if ref == nil {
				ref = b
				continue
			}
			if !bytes.Equal(b, ref) {
				t.Errorf("%s, workers %s: summary.pdf differs from workers 1", lang, w)
			}
		}
	}
	o := filepath.Join(dir, "none")
	if code, _, stderr := runMain(t, "run", "-n", "2000", "-q", "--format", "none", "-o", o); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(o, "summary.pdf")); !os.IsNotExist(err) {
		t.Errorf("--format none wrote summary.pdf (%v)", err)
	}
}

// TestBatchSummaryPDF: batch writes one summary.pdf comparing the options
// at the top of its folder and each scenario's own in its folder.
func TestBatchSummaryPDF(t *testing.T) {
	o := t.TempDir()
	code, stdout, stderr := runMain(t, "batch", "../../examples/saas.yaml", "../../examples/onprem.yaml", "-n", "3000", "--lang", "ru", "-o", o)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"summary.pdf", "saas-crm-per-seat-subscription/summary.pdf", "on-premise-crm-bought-licence/summary.pdf"} {
		b, err := os.ReadFile(filepath.Join(o, f))
		if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("%s: %v", f, err)
		}
	}
	if !bytes.Contains([]byte(stdout), []byte("summary.pdf")) {
		t.Errorf("the table does not list summary.pdf:\n%s", stdout)
	}
}
