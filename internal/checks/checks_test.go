package checks

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// copies pairs each shared folder with its copy in the repository.
var copies = []struct{ shared, repo, pattern string }{
	{"spec", "docs/spec", "*.md"},
	{"checks", "testdata/checks", "*.json"},
}

// TestCopiesMatchShared: when ../shared is beside the repository, every file
// of shared/spec and shared/checks has a byte-identical copy in docs/spec and
// testdata/checks (files of the project's own there, such as
// docs/spec/README.md, are no copies and not compared). Without ../shared there
// is nothing to compare: the test says so and passes.
func TestCopiesMatchShared(t *testing.T) {
	root := Root(t)
	shared := filepath.Join(filepath.Dir(root), "shared")
	if st, err := os.Stat(shared); err != nil || !st.IsDir() {
		t.Logf("no %s beside the repository: the copies in docs/spec and testdata/checks are not compared", shared)
		return
	}
	for _, c := range copies {
		want := names(t, filepath.Join(shared, c.shared), c.pattern)
		if len(want) == 0 {
			t.Errorf("%s: no %s files", filepath.Join(shared, c.shared), c.pattern)
		}
		for _, name := range want {
			a, err := os.ReadFile(filepath.Join(shared, c.shared, name))
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(root, c.repo, name))
			if err != nil {
				t.Errorf("%s/%s: %v (copy %s into it)", c.repo, name, err, filepath.Join(shared, c.shared, name))
				continue
			}
			if !bytes.Equal(a, b) {
				t.Errorf("%s/%s differs from %s: the copy must stay byte-identical (cp %[3]s %[1]s/); "+
					"what crmroi adds to the specification goes in docs/spec/extensions.md",
					c.repo, name, filepath.Join(shared, c.shared, name))
			}
		}
	}
}

// TestLoadJSON reads a reference file through the repository's copy.
func TestLoadJSON(t *testing.T) {
	var v struct {
		Cases []map[string]any `json:"cases"`
	}
	LoadJSON(t, "distributions.json", &v)
	if len(v.Cases) == 0 {
		t.Fatal("distributions.json: no cases")
	}
}

// names lists the files of dir matching pattern, sorted.
func names(t *testing.T, dir, pattern string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range paths {
		out = append(out, filepath.Base(p))
	}
	sort.Strings(out)
	return out
}
