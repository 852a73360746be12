package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeText writes text into a file of dir and returns its path.
func writeText(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTrackWithoutValuesIsRun: an actuals file without a value gives run's
// files byte for byte (but the elapsed time and the workers).
func TestTrackWithoutValuesIsRun(t *testing.T) {
	dir := t.TempDir()
	empty := writeText(t, dir, "empty.csv", "month,cumulative_cash_flow,adoption\n1,,\n2,,\n")
	a, b := filepath.Join(dir, "run"), filepath.Join(dir, "track")
	if code, _, stderr := runMain(t, "run", "../../examples/default.yaml", "-n", "3000", "--seed", "7", "-q", "-o", a); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runMain(t, "track", "../../examples/default.yaml", empty, "-n", "3000", "--seed", "7", "-q", "-o", b, "-w", "1"); code != 0 {
		t.Fatalf("track: exit %d: %s", code, stderr)
	}
	for _, f := range []string{"summary.json", "summary.csv", "bands.csv", "tornado.csv", "npv_hist.png", "npv_cdf.png", "cashflow_fan.png", "payback_hist.png", "tornado.png"} {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "summary.json" {
			x, y = []byte(volatileRE.ReplaceAllString(string(x), "")), []byte(volatileRE.ReplaceAllString(string(y), ""))
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between run and track without actuals", f)
		}
	}
	var tj struct {
		ESS        float64
		Iterations int
		Months     []any
	}
	data, err := os.ReadFile(filepath.Join(b, "track.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &tj); err != nil {
		t.Fatal(err)
	}
	if tj.ESS != 3000 || tj.Iterations != 3000 || len(tj.Months) != 0 {
		t.Errorf("track.json without actuals: ess %v, iterations %d, %d months; want 3000, 3000, 0", tj.ESS, tj.Iterations, len(tj.Months))
	}
}

// TestTrackBadActuals: mistakes in the actuals file are exit 2 at
// file:line:col, and nothing is written.
func TestTrackBadActuals(t *testing.T) {
	cases := []struct {
		name, text, at string
		want           string
	}{
		{"not a number", "month,cost\n1,100\n2,abc\n", ":3:3:", "not a number"},
		{"unknown column", "month,costs\n1,100\n", ":1:7:", `unknown column "costs"`},
		{"no month", "cost\n100\n", ":1:1:", "no month column"},
		{"month beyond horizon", "month,cost\n1,100\n999,100\n", ":3:1:", "whole number from 1 to the horizon"},
		{"month twice", "month,cost\n1,100\n1,200\n", ":3:1:", "appears again"},
		{"fractional month", "month,cost\n1.5,100\n", ":2:1:", "whole number"},
		{"adoption above 1", "month,adoption\n7,1.4\n", ":2:3:", "share from 0 to 1"},
		{"bad sd", "month,cost,sd_cost\n1,100,-1\n", ":2:7:", "relative sd"},
		{"sd without its column", "month,sd_cost\n1,0.1\n", ":1:7:", "without a cost column"},
		{"blank month", "month,cost\n,100\n", ":2:1:", "month is blank"},
		{"russian locale", "month;cost\n1;12,5\n2;1 000\n", ":3:3:", "not a number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			p := writeText(t, dir, "act.csv", c.text)
			o := filepath.Join(dir, "out")
			code, _, stderr := runMain(t, "track", "../../examples/default.yaml", p, "-n", "100", "-q", "-o", o)
			if code != 2 {
				t.Fatalf("exit %d, want 2: %s", code, stderr)
			}
			if !strings.Contains(stderr, p+c.at) || !strings.Contains(stderr, c.want) {
				t.Errorf("message %q lacks %q and %q", stderr, p+c.at, c.want)
			}
			if _, err := os.Stat(o); err == nil {
				t.Errorf("the output folder was written")
			}
		})
	}
}

// TestTrackImpossibleActual: a cost no simulated path reaches is refused
// (exit 2), naming its month, column and the simulated range, not averaged
// away; nothing is written.
func TestTrackImpossibleActual(t *testing.T) {
	dir := t.TempDir()
	p := writeText(t, dir, "act.csv", "month,cost\n1,850000\n2,\n3,90000000\n")
	o := filepath.Join(dir, "out")
	code, _, stderr := runMain(t, "track", "../../examples/default.yaml", p, "-n", "2048", "--max-iterations", "4096", "-q", "-o", o)
	if code != 2 {
		t.Fatalf("exit %d, want 2: %s", code, stderr)
	}
	for _, want := range []string{"impossible", p + ":4:3:", "month 3, cost", "simulated paths"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("message %q lacks %q", stderr, want)
		}
	}
	if _, err := os.Stat(o); err == nil {
		t.Errorf("the output folder was written")
	}
}

// trackActuals are nine months of actuals of the default scenario, a little
// behind its plan.
const trackActuals = `month,cumulative_cash_flow,adoption
1,-850000,
2,-1720000,
3,-2600000,
4,-3500000,
5,-4400000,
6,-4800000,0.05
7,-5000000,0.15
8,-4900000,0.28
9,-4500000,0.40
`

// TestTrackDeterministic: track's files do not depend on the number of
// workers, extension included.
func TestTrackDeterministic(t *testing.T) {
	dir := t.TempDir()
	p := writeText(t, dir, "act.csv", trackActuals)
	var first map[string]string
	for _, w := range []string{"1", "2", "8"} {
		o := filepath.Join(dir, "w"+w)
		code, _, stderr := runMain(t, "track", "../../examples/default.yaml", p, "-n", "2048", "--noise", "0.2", "--min-ess", "1500", "--max-iterations", "8192", "-w", w, "-q", "--format", "none", "-o", o)
		if code != 0 {
			t.Fatalf("-w %s: exit %d: %s", w, code, stderr)
		}
		files := map[string]string{}
		for _, f := range []string{"summary.json", "bands.csv", "track.json"} {
			data, err := os.ReadFile(filepath.Join(o, f))
			if err != nil {
				t.Fatal(err)
			}
			files[f] = volatileRE.ReplaceAllString(string(data), "")
		}
		if first == nil {
			first = files
			var tj struct {
				ESS        float64
				Iterations int
				Extended   bool
			}
			if err := json.Unmarshal([]byte(files["track.json"]), &tj); err != nil {
				t.Fatal(err)
			}
			if !tj.Extended || tj.Iterations <= 2048 || tj.Iterations%1024 != 0 {
				t.Errorf("the run was not extended in whole blocks: %+v", tj)
			}
			t.Logf("ESS %.0f of %d iterations", tj.ESS, tj.Iterations)
			continue
		}
		for f, text := range files {
			if text != first[f] {
				t.Errorf("%s differs between -w 1 and -w %s", f, w)
			}
		}
	}
}
