package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// runMain runs the command in-process and returns its exit code, stdout and stderr.
func runMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func defaultText() string { return string(model.DefaultYAML) }

// edit replaces the first occurrence of old in the default scenario.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	s := defaultText()
	if !strings.Contains(s, old) {
		t.Fatalf("default scenario has no %q", old)
	}
	return strings.Replace(s, old, new, 1)
}

// lineCol returns the 1-based line and column of the first occurrence of marker in text.
func lineCol(text, marker string) (int, int) {
	i := strings.Index(text, marker)
	if i < 0 {
		return 0, 0
	}
	line := 1 + strings.Count(text[:i], "\n")
	col := i - strings.LastIndex(text[:i], "\n")
	return line, col
}

type badCase struct {
	name  string
	text  string   // scenario file content
	at    string   // marker: the error must be on its line, at or after its column and within it
	path  string   // parameter path the message must name ("" if none)
	want  []string // substrings of the message
	extra []string // more flags
}

func badCases(t *testing.T) []badCase {
	removeLine := func(sub string) string {
		var kept []string
		for _, l := range strings.Split(defaultText(), "\n") {
			if !strings.Contains(l, sub) {
				kept = append(kept, l)
			}
		}
		return strings.Join(kept, "\n")
	}
	withoutSection := func(sec string) string {
		var kept []string
		skip := false
		for _, l := range strings.Split(defaultText(), "\n") {
			if strings.HasPrefix(l, sec+":") {
				skip = true
				continue
			}
			if skip && (strings.HasPrefix(l, "  ") || l == "") {
				continue
			}
			skip = false
			kept = append(kept, l)
		}
		return strings.Join(kept, "\n")
	}
	return []badCase{
		{name: "yaml syntax", text: edit(t, "  revenue: 50e6", "  revenue: [50e6"), want: []string{"YAML"}},
		{name: "unknown top key", text: edit(t, "horizon_months: 36", "horizon_month: 36"), at: "horizon_month:", path: "horizon_month", want: []string{"did you mean horizon_months"}},
		{name: "unknown section key", text: edit(t, "  margin:", "  margn:"), at: "margn", path: "company.margn", want: []string{"did you mean margin"}},
		{name: "missing parameter", text: removeLine("  churn: pert"), at: "company:", path: "company.churn", want: []string{"missing"}},
		{name: "missing section", text: withoutSection("adoption"), path: "adoption", want: []string{"missing section"}},
		{name: "unknown family", text: edit(t, "pert(0.15, 0.25, 0.40)", "prt(0.15, 0.25, 0.40)"), at: "prt(0.15, 0.25, 0.40)", path: "company.margin", want: []string{"prt", "pert"}},
		{name: "wrong arg count", text: edit(t, "pert(0.15, 0.25, 0.40)", "pert(0.15, 0.25)"), at: "pert(0.15, 0.25)", path: "company.margin", want: []string{"3"}},
		{name: "pert order", text: edit(t, "pert(2.0e6, 3.5e6, 7.0e6)", "pert(5e6, 3.5e6, 7e6)"), at: "pert(5e6, 3.5e6, 7e6)", path: "costs.one_off", want: []string{"mode", "pert(5e6, 3.5e6, 7e6)"}},
		{name: "uniform min>=max", text: edit(t, "pert(0, 50e3, 300e3)", "uniform(5, 1)"), at: "uniform(5, 1)", path: "benefits.other_savings", want: []string{"min"}},
		{name: "mode outside", text: edit(t, "pert(0.15, 0.25, 0.40)", "triangular(0.15, 0.5, 0.40)"), at: "triangular(0.15, 0.5, 0.40)", path: "company.margin", want: []string{"mode"}},
		{name: "sd not positive", text: edit(t, "pert(0, 50e3, 300e3)", "normal(50e3, -1)"), at: "normal(50e3, -1)", path: "benefits.other_savings", want: []string{"sd"}},
		{name: "sigma not positive", text: edit(t, "pert(0, 50e3, 300e3)", "lognormal(mu=1, sigma=0)"), at: "lognormal(mu=1, sigma=0)", path: "benefits.other_savings", want: []string{"sigma"}},
		{name: "probability above 1", text: edit(t, "cancel: 0.10", "cancel: 1.5"), at: "cancel: 1.5", path: "risks.cancel", want: []string{"[0, 1]"}},
		{name: "bernoulli p", text: edit(t, "pert(0, 50e3, 300e3)", "bernoulli(1.5)"), at: "bernoulli(1.5)", path: "benefits.other_savings", want: []string{"1.5"}},
		{name: "percentiles not increasing", text: edit(t, "pert(0, 50e3, 300e3)", "normal(p10=5e3, p90=1e3)"), at: "normal(p10=5e3, p90=1e3)", path: "benefits.other_savings", want: []string{"increas"}},
		{name: "lognormal percentile not positive", text: edit(t, "pert(0, 50e3, 300e3)", "lognormal(p10=-1, p90=5)"), at: "lognormal(p10=-1, p90=5)", path: "benefits.other_savings", want: []string{"lognormal"}},
		{name: "negative weight", text: edit(t, "pert(0, 50e3, 300e3)", "discrete(values=[1, 2], weights=[-1, 2])"), at: "discrete(values=[1, 2], weights=[-1, 2])", path: "benefits.other_savings", want: []string{"weight"}},
		{name: "weights sum to zero", text: edit(t, "pert(0, 50e3, 300e3)", "discrete(values=[1, 2], weights=[0, 0])"), at: "discrete(values=[1, 2], weights=[0, 0])", path: "benefits.other_savings", want: []string{"weight"}},
		{name: "nan", text: edit(t, "  revenue: 50e6", "  revenue: nan"), at: "revenue: nan", path: "company.revenue"},
		{name: "infinite", text: edit(t, "  revenue: 50e6", "  revenue: 1e999"), at: "revenue: 1e999", path: "company.revenue"},
		{name: "truncation without mass", text: edit(t, "pert(0, 50e3, 300e3)", "lognormal(mu=0, sigma=1, max=-1)"), at: "lognormal(mu=0, sigma=1, max=-1)", path: "benefits.other_savings", want: []string{"mass"}},
		{name: "trailing garbage", text: edit(t, "pert(0, 50e3, 300e3)", "pert(0, 50e3, 300e3) x"), at: "pert(0, 50e3, 300e3) x", path: "benefits.other_savings"},
		{name: "non PD correlations", text: edit(t, "  - [costs.overrun, costs.schedule_slip, 0.6]",
			"  - [costs.overrun, costs.schedule_slip, 0.9]\n  - [costs.overrun, costs.one_off, 0.9]\n  - [costs.one_off, costs.schedule_slip, -0.9]"),
			at: "  - [costs.overrun, costs.schedule_slip, 0.9]", path: "correlations", want: []string{"positive definite", "costs.one_off"}},
		{name: "correlated fixed number", text: edit(t, "[costs.overrun, costs.schedule_slip, 0.6]", "[company.revenue, costs.schedule_slip, 0.6]"), at: "company.revenue,", path: "correlations", want: []string{"fixed"}},
		{name: "correlated unknown", text: edit(t, "[costs.overrun, costs.schedule_slip, 0.6]", "[costs.overun, costs.schedule_slip, 0.6]"), at: "costs.overun", path: "correlations", want: []string{"did you mean costs.overrun"}},
		{name: "rho out of range", text: edit(t, "[costs.overrun, costs.schedule_slip, 0.6]", "[costs.overrun, costs.schedule_slip, 1.5]"), at: "1.5]", path: "correlations", want: []string{"(−1, 1)"}},
		{name: "horizon zero", text: edit(t, "horizon_months: 36", "horizon_months: 0"), at: "horizon_months: 0", path: "horizon_months", want: []string{"[1, 600]"}},
		{name: "horizon fraction", text: edit(t, "horizon_months: 36", "horizon_months: 36.5"), at: "horizon_months: 36.5", path: "horizon_months", want: []string{"whole"}},
		{name: "horizon huge", text: edit(t, "horizon_months: 36", "horizon_months: 100000"), at: "horizon_months: 100000", path: "horizon_months"},
		{name: "negative seats", text: edit(t, "seats: 30", "seats: -5"), at: "seats: -5", path: "seats"},
		{name: "distribution in number-only setting", text: edit(t, "seats: 30", "seats: pert(1, 2, 3)"), at: "pert(1, 2, 3)", path: "seats", want: []string{"plain number"}},
		{name: "share out of domain", text: edit(t, "pert(0.15, 0.25, 0.40)", "normal(0.25, 0.5)"), at: "normal(0.25, 0.5)", path: "company.margin", want: []string{"6.7% above 1, outside [-1, 1]", "to cut it at the edge, write normal(0.25, 0.5, min=-1, max=1)", "narrow it"}},
		{name: "ramp zero", text: edit(t, "pert(3, 6, 12)", "0"), at: "ramp_months: 0", path: "adoption.ramp_months"},
		{name: "duplicate key", text: edit(t, "  revenue: 50e6", "  revenue: 50e6\n  revenue: 60e6"), at: "  revenue: 60e6", path: "company.revenue", want: []string{"twice"}},
		{name: "value is a mapping", text: edit(t, "  revenue: 50e6", "  revenue:\n    mean: 5"), at: "mean: 5", path: "company.revenue"},
		{name: "not a mapping", text: "- 1\n- 2\n", at: "- 1", want: []string{"mapping"}},
		{name: "empty file", text: "", want: []string{"missing section"}},
		{name: "invalid utf-8", text: "name: \xff\xfe\n", want: []string{"UTF-8"}},
		{name: "unknown model", text: edit(t, "name: Default", "model: spreadsheet\nname: Default"), at: "spreadsheet", path: "model"},
		{name: "set unknown parameter", text: defaultText(), extra: []string{"--set", "benefits.capacity=0.2"}, path: "benefits.capacity", want: []string{"--set:1:1", "did you mean benefits.capacity_gain"}},
		{name: "set bad value", text: defaultText(), extra: []string{"--set", "costs.one_off=pert(3, 2, 1)"}, path: "costs.one_off", want: []string{"--set:1:"}},
		{name: "set not name=value", text: defaultText(), extra: []string{"--set", "costs.one_off"}, want: []string{"NAME=VALUE"}},
	}
}

// TestBadScenarios: every bad input is exit 2 with file:line:col and the
// parameter path, no stack trace, and no output written.
func TestBadScenarios(t *testing.T) {
	cases := badCases(t)
	if len(cases) < 30 {
		t.Fatalf("only %d bad cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "bad.yaml")
			if err := os.WriteFile(file, []byte(c.text), 0o644); err != nil {
				t.Fatal(err)
			}
			outDir := filepath.Join(dir, "out")
			args := append([]string{"run", file, "-n", "1000", "-q", "-o", outDir}, c.extra...)
			code, _, stderr := runMain(t, args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stderr: %s", code, stderr)
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Fatalf("stack trace in stderr: %s", stderr)
			}
			if _, err := os.Stat(outDir); !os.IsNotExist(err) {
				t.Errorf("output folder was created")
			}
			if c.path != "" && !strings.Contains(stderr, c.path+":") {
				t.Errorf("message does not name %s: %s", c.path, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("message lacks %q: %s", w, stderr)
				}
			}
			if c.at != "" {
				line, col := lineCol(c.text, c.at)
				re := regexp.MustCompile(regexp.QuoteMeta(file) + `:(\d+):(\d+): `)
				m := re.FindStringSubmatch(stderr)
				if m == nil {
					t.Fatalf("no %s:line:col in %q", file, stderr)
				}
				gl, _ := strconv.Atoi(m[1])
				gc, _ := strconv.Atoi(m[2])
				if gl != line || gc < col || gc > col+len(c.at) {
					t.Errorf("error at %d:%d, want line %d, column %d..%d: %s", gl, gc, line, col, col+len(c.at), stderr)
				}
			} else if len(c.extra) == 0 && !strings.Contains(stderr, file+":") {
				t.Errorf("message does not name the file: %s", stderr)
			}
			// validate reports the same problem with the same code.
			if len(c.extra) == 0 {
				if code, _, _ := runMain(t, "validate", file); code != 2 {
					t.Errorf("validate exit %d, want 2", code)
				}
			}
		})
	}
}

func TestBadPaths(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, file string }{
		{"missing file", filepath.Join(dir, "nope.yaml")},
		{"directory", dir},
	} {
		code, _, stderr := runMain(t, "run", c.file, "-q", "-o", filepath.Join(dir, "out"))
		if code != 2 || !strings.Contains(stderr, c.file) {
			t.Errorf("%s: exit %d, stderr %q", c.name, code, stderr)
		}
	}
	if code, _, _ := runMain(t, "run", "--iterations", "0"); code != 2 {
		t.Errorf("-n 0: exit %d, want 2", code)
	}
	if code, _, _ := runMain(t, "run", "--no-such-flag"); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
	if code, _, _ := runMain(t, "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
}

// TestValidateReportsEveryError: errors of several files, all reported.
func TestValidateReportsEveryError(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.yaml")
	b := filepath.Join(dir, "b.yaml")
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(a, []byte(edit(t, "seats: 30", "seats: -1")), 0o644)
	os.WriteFile(b, []byte(strings.Replace(edit(t, "  margin:", "  margn:"), "cancel: 0.10", "cancel: 2", 1)), 0o644)
	os.WriteFile(good, model.DefaultYAML, 0o644)
	code, stdout, stderr := runMain(t, "validate", a, b, good)
	if code != 2 {
		t.Fatalf("exit %d", code)
	}
	for _, w := range []string{a + ":", b + ":", "seats", "company.margn", "risks.cancel"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
	if !strings.Contains(stdout, good+": ok") {
		t.Errorf("stdout lacks the good file: %s", stdout)
	}
	if code, _, _ := runMain(t, "validate", good); code != 0 {
		t.Errorf("valid file: exit %d", code)
	}
}

func TestInit(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "s.yaml")
	if code, _, stderr := runMain(t, "init", file); code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	got, _ := os.ReadFile(file)
	if !bytes.Equal(got, model.DefaultYAML) {
		t.Fatal("init wrote something else than the default scenario")
	}
	os.WriteFile(file, []byte("mine"), 0o644)
	if code, _, _ := runMain(t, "init", file); code != 2 {
		t.Errorf("init over an existing file: exit %d, want 2", code)
	}
	if got, _ := os.ReadFile(file); string(got) != "mine" {
		t.Error("init overwrote a file without --force")
	}
	if code, _, _ := runMain(t, "init", file, "--force"); code != 0 {
		t.Error("init --force failed")
	}
	if code, _, _ := runMain(t, "validate", file); code != 0 {
		t.Error("the scenario init wrote is not valid")
	}
	code, stdout, _ := runMain(t, "init")
	if code != 0 || stdout != string(model.DefaultYAML) {
		t.Error("init without a file must print the default scenario")
	}
}

var elapsedRE = regexp.MustCompile(`"(elapsed_seconds|workers)": [0-9.e+-]+`)

// TestWorkersByteIdentical: summary.json (less elapsed_seconds and workers),
// bands.csv, tornado.csv and samples.csv are byte-identical for 1, 2 and 8 workers.
func TestWorkersByteIdentical(t *testing.T) {
	dir := t.TempDir()
	var ref map[string][]byte
	for _, w := range []string{"1", "2", "8"} {
		o := filepath.Join(dir, "w"+w)
		code, _, stderr := runMain(t, "run", "-n", "30000", "--seed", "9", "-w", w, "-q", "--samples", "--format", "none", "-o", o)
		if code != 0 {
			t.Fatalf("workers %s: exit %d: %s", w, code, stderr)
		}
		files := map[string][]byte{}
		for _, f := range []string{"summary.json", "summary.csv", "bands.csv", "tornado.csv", "samples.csv"} {
			b, err := os.ReadFile(filepath.Join(o, f))
			if err != nil {
				t.Fatal(err)
			}
			if f == "summary.json" {
				b = elapsedRE.ReplaceAll(b, nil)
			}
			files[f] = b
		}
		if ref == nil {
			ref = files
			continue
		}
		for f, b := range files {
			if !bytes.Equal(b, ref[f]) {
				t.Errorf("workers %s: %s differs from workers 1", w, f)
			}
		}
	}
}

func TestRunDefaultTableAndJSON(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runMain(t, "run", "-n", "5000", "--format", "none", "-o", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, w := range []string{"NPV, RUB", "P(loss)", "Outcomes:", "company.margin", "summary.json", "28,640,083"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("table lacks %q:\n%s", w, stdout)
		}
	}
	code, stdout, _ = runMain(t, "run", "-n", "5000", "--format", "none", "-o", dir, "--json")
	if code != 0 || !strings.HasPrefix(stdout, "{") || !strings.Contains(stdout, `"prob_negative"`) {
		t.Errorf("--json: exit %d, %q", code, stdout[:min(200, len(stdout))])
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}
