package main

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestNeutralise: control characters, bidirectional overrides and bytes that
// are not UTF-8 are printed as escapes; text, tabs, newlines and every other
// character pass unchanged, also when a Write cuts a character in two.
func TestNeutralise(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain text, табл\tица\n", "plain text, табл\tица\n"},
		{"\x1b]0;title\a\x1b[31mred", `\x1b]0;title\x07\x1b[31mred`},
		{"a\rb\x7fc\x00", `a\x0db\x7fc\x00`},
		{"\u009b31m \u202eevil\u2069", `\u009b31m \u202eevil\u2069`},
		{"bad \xff\xfe byte", `bad \xff\xfe byte`},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		w := newTermWriter(&buf)
		// Byte by byte: every character is cut at every place.
		for i := range len(c.in) {
			w.Write([]byte{c.in[i]})
		}
		w.Flush()
		if buf.String() != c.want {
			t.Errorf("%q printed as %q, want %q", c.in, buf.String(), c.want)
		}
	}
}

// evilName is a scenario name that would retitle and recolour a terminal,
// reverse the text after it and start a formula in a spreadsheet.
const evilName = `"\e]0;pwned\a\e[31m=HYPERLINK(\"http://evil\",\"x\") \u202e \u009b"`

// checkPrinted fails if text holds a character a terminal would obey.
func checkPrinted(t *testing.T, what, text string) {
	t.Helper()
	for _, bad := range []string{"\x1b", "\a", "\u009b", "\u202e", "\r"} {
		if strings.Contains(text, bad) {
			t.Errorf("%s prints %q raw: %q", what, bad, text)
		}
	}
}

// checkCSVCells fails if a text cell of a CSV file under dir starts a
// formula (=, +, -, @, tab, carriage return): only numbers may.
func checkCSVCells(t *testing.T, dir string) int {
	t.Helper()
	files := 0
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || filepath.Ext(p) != ".csv" {
			return nil
		}
		files++
		data, _ := os.ReadFile(p)
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
		for _, row := range rows {
			for _, cell := range row {
				lead := strings.TrimLeftFunc(cell, func(r rune) bool { return r < ' ' && r != '\t' && r != '\r' || r == ' ' || r == 0x7f })
				if lead == "" || !strings.ContainsRune("=+-@\t\r", rune(lead[0])) {
					continue
				}
				if _, err := strconv.ParseFloat(cell, 64); err != nil {
					t.Errorf("%s: the cell %q starts a formula", filepath.Base(p), cell)
				}
			}
		}
		return nil
	})
	return files
}

// TestHostileNamesAreNeutralised: a scenario name with control characters
// and a formula reaches neither the terminal (tables, errors) nor a CSV
// cell as it is, in run, batch, sweep and sensitivity; numbers in the CSV
// files, negative ones too, are unchanged.
func TestHostileNamesAreNeutralised(t *testing.T) {
	dir := t.TempDir()
	named := func(name string) string {
		return regexp.MustCompile(`(?m)^name: .*$`).ReplaceAllLiteralString(defaultText(), "name: "+name)
	}
	evil := writeScenario(t, dir, "evil.yaml", named(evilName))
	formula := writeScenario(t, dir, "formula.yaml", named(`"=HYPERLINK(\"http://evil\",\"x\")"`))
	at := writeScenario(t, dir, "at.yaml", named(`"@SUM(1+1)\t-2+3"`))
	out := filepath.Join(dir, "out")
	for _, args := range [][]string{
		{"run", evil, "-n", "2000", "--format", "none", "-o", filepath.Join(out, "run")},
		{"batch", evil, at, formula, "-n", "2000", "--format", "none", "-o", filepath.Join(out, "batch")},
		{"sweep", evil, "--param", "company.margin", "--values", "0.2,0.3", "-n", "1000", "--format", "none", "-o", filepath.Join(out, "sweep")},
		{"sensitivity", evil, "--base", "64", "-n", "1000", "--format", "none", "-o", filepath.Join(out, "sens")},
	} {
		code, stdout, stderr := runMain(t, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", args[0], code, stderr)
		}
		if !strings.Contains(stdout, `\x1b]0;pwned\x07`) && args[0] != "sensitivity" {
			t.Errorf("%s: the name is not shown, escaped: %q", args[0], stdout)
		}
		checkPrinted(t, args[0], stdout+stderr)
	}
	if n := checkCSVCells(t, out); n < 8 {
		t.Errorf("only %d CSV files checked", n)
	}
	cmp, _ := os.ReadFile(filepath.Join(out, "batch", "comparison.csv"))
	if !strings.Contains(string(cmp), `,'@SUM(1+1)`) || !strings.Contains(string(cmp), `"'=HYPERLINK(`) {
		t.Errorf("comparison.csv: the formula is not neutralised:\n%s", cmp)
	}
	// Error messages quote file names and values as they are typed.
	code, _, stderr := runMain(t, "run", filepath.Join(dir, "no\x1b[31mfile\u202e.yaml"), "-o", out)
	if code != 2 || !strings.Contains(stderr, `\x1b[31m`) {
		t.Errorf("missing file: exit %d, %q", code, stderr)
	}
	checkPrinted(t, "an error message", stderr)
	_, _, stderr = runMain(t, "run", "--set", "company.margin=\x1b[2J0.2x", "-o", out)
	checkPrinted(t, "a --set error", stderr)
}
