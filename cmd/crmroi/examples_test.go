package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// examplesDir is the examples folder, seen from this package's folder.
const examplesDir = "../../examples"

// TestExampleDefaultIsBuiltIn keeps examples/default.yaml the built-in default scenario.
func TestExampleDefaultIsBuiltIn(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(examplesDir, "default.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, model.DefaultYAML) {
		t.Error("examples/default.yaml differs from model/default.yaml: copy it again")
	}
}

// TestExamples validates every example and runs it with a few iterations.
func TestExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(examplesDir, "*.yaml"))
	if err != nil || len(files) < 5 {
		t.Fatalf("examples: %v, %v", files, err)
	}
	for _, f := range files {
		if code, stdout, stderr := runMain(t, "validate", f); code != 0 {
			t.Errorf("validate %s: exit %d: %s%s", f, code, stdout, stderr)
			continue
		}
		if code, _, stderr := runMain(t, "run", f, "-n", "2000", "--format", "none", "-q", "-o", t.TempDir()); code != 0 {
			t.Errorf("run %s: exit %d: %s", f, code, stderr)
		}
	}
}

// readmeRow is a row of the table in examples/README.md.
var readmeRow = regexp.MustCompile("(?m)^\\| (.*?) \\| (.*?) \\| `(crmroi [^`]*)` \\|$")

// TestExamplesREADME checks that the README has a row for every example and
// that every command in it runs (with a few iterations and no charts).
func TestExamplesREADME(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(examplesDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := readmeRow.FindAllStringSubmatch(string(b), -1)
	if len(rows) < 7 {
		t.Fatalf("%d rows in the README's table", len(rows))
	}
	listed := map[string]bool{}
	for _, r := range rows {
		listed[strings.Trim(r[1], "`")] = true
	}
	files, _ := filepath.Glob(filepath.Join(examplesDir, "*.yaml"))
	for _, f := range files {
		if !listed[filepath.Base(f)] {
			t.Errorf("%s has no row in examples/README.md", filepath.Base(f))
		}
	}
	for _, r := range rows {
		args := shellWords(t, r[3])[1:]
		for i, a := range args {
			if strings.HasPrefix(a, "examples/") {
				args[i] = filepath.Join(examplesDir, strings.TrimPrefix(a, "examples/"))
			}
		}
		args = append(args, "-n", "2000", "--format", "none", "-q", "-o", t.TempDir())
		if code, _, stderr := runMain(t, args...); code != 0 {
			t.Errorf("%s: exit %d: %s", r[3], code, stderr)
		}
	}
}

// shellWords splits a command line at spaces outside single quotes.
func shellWords(t *testing.T, s string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	quoted, inWord := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted, inWord = !quoted, true
		case r == ' ' && !quoted:
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
			}
			inWord = false
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("unbalanced quote in %q", s)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}
