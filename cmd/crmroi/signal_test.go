package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterruptedRun: SIGINT during a long run stops it within a second with
// exit code 130, leaves no temporary file and every earlier output as it was.
func TestInterruptedRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a long run")
	}
	dir := t.TempDir()
	if code, _, stderr := runMain(t, "run", "-n", "2000", "--format", "none", "-q", "-o", dir); code != 0 {
		t.Fatalf("earlier run: %s", stderr)
	}
	earlier, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	cmd := crmroiCmd("run", "-n", "200000000", "--max-iterations", "200000000", "--format", "none", "-q", "-o", dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	sent := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	took := time.Since(sent)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130; stderr %s", err, stderr.String())
	}
	if took > time.Second {
		t.Errorf("stopped %v after SIGINT, want within 1 s", took)
	}
	if strings.Contains(stderr.String(), "goroutine") {
		t.Errorf("stack trace: %s", stderr.String())
	}
	got, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if !bytes.Equal(got, earlier) {
		t.Error("an earlier output file was changed")
	}
	assertNoTemp(t, dir)
}

// TestKilledWhileWriting: SIGKILL while files are being written leaves no
// partial output file: each is complete or absent (only the staging folder,
// named with the process id, remains, and the next command that opens the
// folder removes it).
func TestKilledWhileWriting(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a long run")
	}
	for attempt := 0; attempt < 3; attempt++ {
		dir := t.TempDir()
		cmd := crmroiCmd("run", "-n", "400000", "--samples", "--format", "none", "-q", "-o", dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill as soon as the staging folder holds a file (the writing has begun).
		deadline := time.Now().Add(20 * time.Second)
		killed := false
		for time.Now().Before(deadline) && !killed {
			stages, _ := filepath.Glob(filepath.Join(dir, ".crmroi-stage-*", "*"))
			if len(stages) > 0 {
				cmd.Process.Signal(syscall.SIGKILL)
				killed = true
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
		cmd.Wait()
		if !killed {
			continue
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				continue
			}
			checkComplete(t, filepath.Join(dir, e.Name()))
		}
		if stale, _ := filepath.Glob(filepath.Join(dir, ".crmroi-stage-*")); len(stale) == 0 {
			t.Error("no staging folder left by the killed run: the test saw nothing")
		}
		// The next command into the folder removes what the killed one left.
		if code, _, stderr := runMain(t, "run", "-n", "1000", "--format", "none", "-q", "-o", dir); code != 0 {
			t.Fatalf("next run: %s", stderr)
		}
		assertNoTemp(t, dir)
		return
	}
	t.Skip("the run finished before a temporary file was seen three times")
}

// checkComplete fails if an output file is truncated.
func checkComplete(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	switch filepath.Ext(path) {
	case ".json":
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Errorf("%s is partial: %v", path, err)
		}
	case ".csv":
		if len(data) == 0 || data[len(data)-1] != '\n' {
			t.Errorf("%s does not end with a newline", path)
		}
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Errorf("%s is partial: %v", path, err)
		}
		if filepath.Base(path) == "samples.csv" && len(rows) != 400001 {
			t.Errorf("samples.csv has %d rows, want 400001", len(rows))
		}
	}
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") || strings.HasPrefix(e.Name(), ".crmroi-") &&
			e.Name() != ".crmroi-outputs" && e.Name() != ".crmroi-lock" {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}
