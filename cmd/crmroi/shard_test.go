package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestMain lets the test binary act as crmroi itself when CRMROI_AS_MAIN is
// set, so that tests can run real separate processes (shards, signals).
func TestMain(m *testing.M) {
	if os.Getenv("CRMROI_AS_MAIN") == "1" {
		main() // the real entry point, with its signal handling; it exits
	}
	os.Exit(m.Run())
}

// crmroiCmd is a command running this test binary as crmroi.
func crmroiCmd(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "CRMROI_AS_MAIN=1")
	return cmd
}

// TestShardProcessesMerge: four shards run as separate processes, then merge,
// give the same summary.json (less elapsed_seconds and workers), bands.csv and
// tornado.csv as one process.
func TestShardProcessesMerge(t *testing.T) {
	dir := t.TempDir()
	common := []string{"-n", "25000", "--seed", "3", "--format", "none", "-q"}
	single := filepath.Join(dir, "single")
	if out, err := crmroiCmd(append([]string{"run", "-o", single}, common...)...).CombinedOutput(); err != nil {
		t.Fatalf("single run: %v\n%s", err, out)
	}
	parts := filepath.Join(dir, "parts")
	var procs []*exec.Cmd
	for i := 0; i < 4; i++ {
		c := crmroiCmd(append([]string{"run", "-o", parts, "--shard", fmt.Sprintf("%d/4", i), "-w", "1"}, common...)...)
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, c)
	}
	for i, c := range procs {
		if err := c.Wait(); err != nil {
			t.Fatalf("shard %d: %v", i, err)
		}
	}
	merged := filepath.Join(dir, "merged")
	args := []string{"merge", "-o", merged, "--format", "none", "-q"}
	for i := 3; i >= 0; i-- {
		args = append(args, filepath.Join(parts, partName(i, 4)))
	}
	if out, err := crmroiCmd(args...).CombinedOutput(); err != nil {
		t.Fatalf("merge: %v\n%s", err, out)
	}
	for _, f := range []string{"summary.json", "bands.csv", "tornado.csv", "summary.csv"} {
		a, _ := os.ReadFile(filepath.Join(single, f))
		b, _ := os.ReadFile(filepath.Join(merged, f))
		if f == "summary.json" {
			a, b = elapsedRE.ReplaceAll(a, nil), elapsedRE.ReplaceAll(b, nil)
		}
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s of the merged shards differs from the single run", f)
		}
	}
	// Incomplete or mismatched parts are refused (exit 2).
	code, _, stderr := runMain(t, "merge", "-o", filepath.Join(dir, "bad"), "-q", filepath.Join(parts, partName(0, 4)))
	if code != 2 || !bytes.Contains([]byte(stderr), []byte("missing")) {
		t.Errorf("merge of one part of four: exit %d, %s", code, stderr)
	}
	if code, _, _ := runMain(t, "run", "--shard", "4/4", "-q", "-o", dir); code != 2 {
		t.Errorf("--shard 4/4: exit %d, want 2", code)
	}
}
