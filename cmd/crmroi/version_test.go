package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/internal/buildinfo"
)

// TestWriteVersion: version, commit with its time and state when known, Go.
func TestWriteVersion(t *testing.T) {
	rev := "a5f3f2e1b2c3d4e5f60718293a4b5c6d7e8f9012"
	for _, c := range []struct {
		b    buildinfo.Info
		want string
	}{
		{buildinfo.Info{Version: "0.1.0-dev", Go: "go1.26.8"}, "crmroi 0.1.0-dev\ncommit unknown\ngo go1.26.8 "},
		{buildinfo.Info{Version: "0.1.0-dev", Revision: rev, Time: "2026-12-02T12:40:00Z", Modified: true, Go: "go1.26.8"},
			"crmroi 0.1.0-dev+a5f3f2e1b2c3.dirty\ncommit " + rev + " (2026-12-02T12:40:00Z, modified)\ngo go1.26.8 "},
		{buildinfo.Info{Version: "0.2.0", Revision: rev, Go: "go1.26.8"}, "crmroi 0.2.0+a5f3f2e1b2c3\ncommit " + rev + "\ngo go1.26.8 "},
	} {
		var buf bytes.Buffer
		writeVersion(&buf, c.b)
		if !strings.HasPrefix(buf.String(), c.want) {
			t.Errorf("%+v:\n%s\nwant a start of\n%s", c.b, buf.String(), c.want)
		}
	}
}

// TestBuildStamped builds crmroi with the Makefile's -ldflags and checks that
// `crmroi version` names the checkout's commit and that summary.json records
// the same version (so a renamed variable, which the linker would ignore
// silently, is caught).
func TestBuildStamped(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a Git checkout (%v): nothing to stamp", err)
	}
	rev := strings.TrimSpace(string(head))
	ldflags, err := exec.Command("make", "-s", "-C", "../..", "ldflags").Output()
	if err != nil {
		t.Fatalf("make ldflags: %v", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "crmroi")
	if out, err := exec.Command("go", "build", "-ldflags", strings.TrimSpace(string(ldflags)), "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(out), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "crmroi "+buildinfo.Base+"+"+rev[:12]) ||
		!strings.HasPrefix(lines[1], "commit "+rev+" (") {
		t.Fatalf("crmroi version:\n%s\nwant version %s+%s and commit %s", out, buildinfo.Base, rev[:12], rev)
	}
	if o, err := exec.Command(bin, "run", "-n", "2000", "-q", "--format", "none", "-o", filepath.Join(dir, "out")).CombinedOutput(); err != nil {
		t.Fatalf("crmroi run: %v\n%s", err, o)
	}
	data, err := os.ReadFile(filepath.Join(dir, "out", "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct{ Tool struct{ Version string } }
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimPrefix(lines[0], "crmroi "); sum.Tool.Version != want {
		t.Errorf("summary.json tool.version %q, want %q", sum.Tool.Version, want)
	}
}
