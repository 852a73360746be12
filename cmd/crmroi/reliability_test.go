package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// refused runs args and checks that they end with exit 2, the message
// containing want, and no stack trace or internal error.
func refused(t *testing.T, want string, args ...string) string {
	t.Helper()
	code, _, stderr := runMain(t, args...)
	if code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("%v: exit %d, want 2 and %q: %s", args, code, want, stderr)
	}
	if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "internal error") {
		t.Errorf("%v: a crash: %s", args, stderr)
	}
	return stderr
}

// TestFormulaWithoutOutputs: a formula model whose outputs: mapping is empty
// is refused when loaded, at the mapping's line and column, by every command
// (it used to validate and then panic in run and sensitivity).
func TestFormulaWithoutOutputs(t *testing.T) {
	for _, outputs := range []string{"outputs: {}", "outputs: { }"} {
		file := formulaFile(t, "f.yaml", "name: x\nmodel: formula\ninputs:\n  a: normal(0, 1)\n"+outputs+"\n")
		at := fmt.Sprintf("%s:5:10: outputs:", file)
		o := filepath.Join(t.TempDir(), "o")
		refused(t, at, "validate", file)
		refused(t, at, "run", file, "-n", "100", "-q", "-o", o)
		refused(t, at, "sensitivity", file, "-n", "100", "-q", "-o", o)
		refused(t, at, "sweep", file, "--param", "a", "--values", "1,2", "-n", "100", "-q", "-o", o)
	}
}
