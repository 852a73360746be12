// Package checks gives the project's tests the reference figures of an
// independent implementation (testdata/checks/) and the specification
// (docs/spec/), both kept in the repository, so that a clone with nothing
// beside it passes `make test`.
//
// Both are copies of the shared folder that developers and CI may have beside
// the repository (../shared/checks and ../shared/spec); TestCopiesMatchShared
// keeps them byte-identical to it when it is there.
package checks

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Root returns the repository's root: the nearest folder at or above the
// working directory (a package's folder, under `go test`) holding go.mod.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod at or above the working directory")
		}
		dir = parent
	}
}

// File returns the path of testdata/checks/<name> in the repository.
func File(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(Root(t), "testdata", "checks", name)
}

// Spec returns the path of docs/spec/<name> in the repository.
func Spec(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(Root(t), "docs", "spec", name)
}

// LoadJSON decodes testdata/checks/<name> into v, failing the test (never
// skipping it) when the file is missing or malformed.
func LoadJSON(t testing.TB, name string, v any) {
	t.Helper()
	path := File(t, name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
