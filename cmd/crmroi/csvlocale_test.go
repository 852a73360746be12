package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCSVLocaleRussian: with --csv-locale ru every CSV file a run and a
// sweep write (samples.csv included) parses back, ';'-separated after a
// byte-order mark, into the cells of the default run's file: the same texts
// and the same numbers, with decimal commas and no exponent.
func TestCSVLocaleRussian(t *testing.T) {
	for _, c := range []struct {
		args  []string
		files []string
	}{
		{[]string{"run", "-n", "2000", "--samples"}, []string{"summary.csv", "bands.csv", "tornado.csv", "samples.csv"}},
		{[]string{"sweep", "--param", "seats", "--values", "10,20", "-n", "1000"}, []string{"sweep.csv"}},
	} {
		machine, ru := t.TempDir(), t.TempDir()
		for _, run := range []struct {
			dir   string
			extra []string
		}{{machine, nil}, {ru, []string{"--csv-locale", "ru", "--lang", "ru"}}} {
			args := append(append(append([]string{}, c.args...), "-q", "--format", "none", "-o", run.dir), run.extra...)
			if code, _, stderr := runMain(t, args...); code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, stderr)
			}
		}
		for _, name := range c.files {
			want := readCSV(t, filepath.Join(machine, name), ',', false)
			got := readCSV(t, filepath.Join(ru, name), ';', true)
			if len(got) != len(want) || len(got) < 2 {
				t.Fatalf("%s: %d rows, want %d", name, len(got), len(want))
			}
			numbers := 0
			for i := range want {
				for j, w := range want[i] {
					g := got[i][j]
					wv, err := strconv.ParseFloat(w, 64)
					if err != nil || !strings.ContainsAny(w, ".eE") || strings.Contains(w, "Inf") || strings.Contains(w, "NaN") {
						if g != w {
							t.Errorf("%s row %d col %d: %q, want %q", name, i, j, g, w)
						}
						continue
					}
					numbers++
					gv, err := strconv.ParseFloat(strings.Replace(g, ",", ".", 1), 64)
					if strings.ContainsAny(g, ".eE") || err != nil || gv != wv {
						t.Errorf("%s row %d col %d: %q for %q", name, i, j, g, w)
					}
				}
			}
			if numbers == 0 {
				t.Errorf("%s: no fractional number to check", name)
			}
		}
	}
	if code, _, stderr := runMain(t, "run", "-n", "100", "--csv-locale", "fr", "-q", "-o", t.TempDir()); code != 2 || !strings.Contains(stderr, "--csv-locale") {
		t.Errorf("--csv-locale fr: exit %d, %s", code, stderr)
	}
}

func readCSV(t *testing.T, path string, comma rune, bom bool) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text, had := strings.CutPrefix(string(b), "\ufeff")
	if had != bom {
		t.Errorf("%s: byte-order mark %v, want %v", path, had, bom)
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = comma
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}
