// Package checks locates the shared specification checks (../shared/checks
// from the project root) for the project's tests.
package checks

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// SharedDir returns the shared/ folder beside the project root: $CRMROI_SHARED
// if set, else the first shared/checks found walking up from the working
// directory. A test that needs it fails (never skips) when it is missing.
func SharedDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("CRMROI_SHARED"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		cand := filepath.Join(dir, "shared")
		if st, err := os.Stat(filepath.Join(cand, "checks")); err == nil && st.IsDir() {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("cannot find shared/checks above the working directory; set CRMROI_SHARED")
		}
		dir = parent
	}
}

// LoadJSON decodes shared/checks/<name> into v.
func LoadJSON(t testing.TB, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(SharedDir(t), "checks", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}
