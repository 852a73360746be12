package out

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestOutDirProtectsForeignFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(d *OutDir, name, text string) error {
		_, err := d.Write(name, func(w io.Writer) error { _, err := io.WriteString(w, text); return err })
		if err != nil {
			return err
		}
		return d.Commit()
	}
	mine := filepath.Join(dir, "summary.csv")
	os.WriteFile(mine, []byte("the analyst's own file"), 0o644)
	d := NewOutDir(dir, false, "t")
	var oe *OverwriteError
	if err := d.Check("summary.csv", "bands.csv"); !errors.As(err, &oe) || len(oe.Files) != 1 {
		t.Fatalf("Check = %v", err)
	}
	if err := write(d, "summary.csv", "x"); !errors.As(err, &oe) {
		t.Fatalf("Write over a foreign file = %v", err)
	}
	if b, _ := os.ReadFile(mine); string(b) != "the analyst's own file" {
		t.Fatal("a foreign file was replaced")
	}
	if err := write(d, "bands.csv", "1"); err != nil {
		t.Fatal(err)
	}
	// A later run replaces what crmroi wrote.
	if err := write(NewOutDir(dir, false, "t"), "bands.csv", "2"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "bands.csv")); string(b) != "2" {
		t.Fatal("crmroi's own file was not replaced")
	}
	// Forced, the foreign file is replaced and then known.
	if err := write(NewOutDir(dir, true, "t"), "summary.csv", "forced"); err != nil {
		t.Fatal(err)
	}
	if err := NewOutDir(dir, false, "t").Check("summary.csv"); err != nil {
		t.Errorf("after --force the file is crmroi's: %v", err)
	}
}
