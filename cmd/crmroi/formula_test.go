package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// formulaFile writes text as name in a temporary folder and returns its path.
func formulaFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// formulaSummary is what the tests read of a formula model's summary.json.
type formulaSummary struct {
	Scenario struct{ Model string } `json:"scenario"`
	Metrics  map[string]struct {
		Mean, SD float64
		SE       float64 `json:"se_mean"`
		P50      float64 `json:"p50"`
		ProbNeg  float64 `json:"prob_negative"`
	} `json:"metrics"`
	Plan          map[string]float64 `json:"plan"`
	TornadoOutput string             `json:"tornado_output"`
	Tornado       []struct {
		Input      string
		Plan       float64
		LowValue   float64 `json:"low_value"`
		HighValue  float64 `json:"high_value"`
		OutputLow  float64 `json:"output_low"`
		OutputHigh float64 `json:"output_high"`
		Swing      float64
	} `json:"tornado"`
}

func runFormula(t *testing.T, file string, args ...string) (formulaSummary, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runMain(t, append([]string{"run", file, "-q", "-o", dir}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var s formulaSummary
	if err := json.Unmarshal([]byte(readText(t, filepath.Join(dir, "summary.json"))), &s); err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sinMoment is E[sin(x)^k] for x uniform on [−π, π]: 0 for odd k,
// (k−1)!!/k!! for even k.
func sinMoment(k int) float64 {
	if k%2 == 1 {
		return 0
	}
	m := 1.0
	for i := 1; i < k; i += 2 {
		m *= float64(i) / float64(i+1)
	}
	return m
}

// TestIshigamiFormula: the Ishigami function as a formula model gives mean 3.5
// and variance 13.845 within 4 standard errors at 1,000,000 iterations.
func TestIshigamiFormula(t *testing.T) {
	s, _ := runFormula(t, "../../examples/formula_ishigami.yaml", "-n", "1000000", "--format", "none")
	m := s.Metrics["y"]
	const a, b = 7.0, 0.1
	pi4 := math.Pow(math.Pi, 4)
	mean := a / 2
	variance := a*a/8 + b*pi4/5 + b*b*pi4*pi4/18 + 0.5
	// The standard error of the sample variance is √((μ4 − σ⁴)/n). With
	// U = sin x1 · (1 + b x3⁴) and W = a sin² x2 independent, E U = 0 and
	// μ4 = E U⁴ + 6 E U² E w² + E w⁴, w = W − a/2; E x3^(4j) = π^(4j)/(4j+1).
	c2 := 1 + 2*b*pi4/5 + b*b*pi4*pi4/9                                                                                // E (1 + b x⁴)²
	c4 := 1 + 4*b*pi4/5 + 6*b*b*pi4*pi4/9 + 4*b*b*b*math.Pow(math.Pi, 12)/13 + math.Pow(b, 4)*math.Pow(math.Pi, 16)/17 // E (1 + b x⁴)⁴
	eu2, eu4 := sinMoment(2)*c2, sinMoment(4)*c4
	// w = a (sin² − 1/2): E w² = a² (E sin⁴ − 1/4), E w⁴ = a⁴ E (sin² − 1/2)⁴.
	ew2 := a * a * (sinMoment(4) - 0.25)
	ew4 := math.Pow(a, 4) * (sinMoment(8) - 2*sinMoment(6) + 1.5*sinMoment(4) - 0.5*sinMoment(2) + 1.0/16)
	if math.Abs(eu2+ew2-variance) > 1e-9 {
		t.Fatalf("moments disagree: %v vs %v", eu2+ew2, variance)
	}
	mu4 := eu4 + 6*eu2*ew2 + ew4
	n := 1e6
	seVar := math.Sqrt((mu4 - variance*variance) / n)
	if d := math.Abs(m.Mean - mean); d > 4*m.SE {
		t.Errorf("mean %v, want %v ± 4·%v", m.Mean, mean, m.SE)
	}
	if d := math.Abs(m.SD*m.SD - variance); d > 4*seVar {
		t.Errorf("variance %v, want %v ± 4·%v", m.SD*m.SD, variance, seVar)
	}
	if math.Abs(variance-13.845) > 0.001 {
		t.Errorf("analytic variance %v", variance)
	}
	// Plan case: every x at its mean 0, so y = 0; the tornado of y names x1, x2 and x3.
	if s.Plan["y"] != 0 || s.TornadoOutput != "y" || len(s.Tornado) != 3 || s.Scenario.Model != "formula" {
		t.Errorf("plan %v, tornado %q %+v", s.Plan, s.TornadoOutput, s.Tornado)
	}
}

// TestLinearFormula: a linear model of independent inputs gives its analytic
// mean and variance, and its plan case and tornado exactly.
func TestLinearFormula(t *testing.T) {
	file := formulaFile(t, "linear.yaml", `name: Linear
model: formula
inputs:
  a: normal(1, 2)
  b: uniform(0, 6)
  c: normal(-3, 0.5)
outputs:
  y: 3 + 2*a - 0.5*b + 4*c
  y_half: y / 2
`)
	s, dir := runFormula(t, file, "-n", "400000", "--format", "none", "--samples")
	// Var: 2²·2² + 0.5²·6²/12 + 4²·0.5² = 16 + 0.75 + 4.
	mean, variance := 3+2*1-0.5*3+4*-3.0, 20.75
	// μ4 = Σ cᵢ⁴ μ4ᵢ + 6 Σ_{i<j} cᵢ² cⱼ² σᵢ² σⱼ²; normal μ4 = 3σ⁴, uniform (width w) μ4 = w⁴/80.
	v := []float64{16, 0.75, 4}
	m4 := []float64{3 * 16 * 16, math.Pow(0.5, 4) * math.Pow(6, 4) / 80, 3 * 4 * 4}
	mu4 := m4[0] + m4[1] + m4[2] + 6*(v[0]*v[1]+v[0]*v[2]+v[1]*v[2])
	n := 400000.0
	m := s.Metrics["y"]
	if math.Abs(m.Mean-mean) > 4*math.Sqrt(variance/n) {
		t.Errorf("mean %v, want %v", m.Mean, mean)
	}
	if math.Abs(m.SD*m.SD-variance) > 4*math.Sqrt((mu4-variance*variance)/n) {
		t.Errorf("variance %v, want %v", m.SD*m.SD, variance)
	}
	if h := s.Metrics["y_half"]; math.Abs(h.Mean-m.Mean/2) > 1e-9*math.Abs(m.Mean) {
		t.Errorf("y_half mean %v, y mean %v", h.Mean, m.Mean)
	}
	if s.Plan["y"] != mean || s.Plan["y_half"] != mean/2 {
		t.Errorf("plan %v", s.Plan)
	}
	if len(s.Tornado) != 3 || s.Tornado[0].Input != "a" || s.Tornado[1].Input != "c" || s.Tornado[2].Input != "b" {
		t.Fatalf("tornado %+v", s.Tornado)
	}
	for _, r := range s.Tornado {
		c := map[string]float64{"a": 2, "b": -0.5, "c": 4}[r.Input]
		if want := math.Abs(c * (r.HighValue - r.LowValue)); math.Abs(r.Swing-want) > 1e-9*want {
			t.Errorf("%s: swing %v, want %v", r.Input, r.Swing, want)
		}
	}
	head := strings.SplitN(readText(t, filepath.Join(dir, "samples.csv")), "\n", 2)[0]
	if head != "iteration,a,b,c,y,y_half" {
		t.Errorf("samples.csv header %q", head)
	}
	tornado := readText(t, filepath.Join(dir, "tornado.csv"))
	if !strings.HasPrefix(tornado, "input,plan,low_value,high_value,output_low,output_high,swing\na,") {
		t.Errorf("tornado.csv:\n%s", tornado)
	}
	if _, err := os.Stat(filepath.Join(dir, "bands.csv")); !os.IsNotExist(err) {
		t.Errorf("bands.csv written for a formula model: %v", err)
	}
}

// normalizedSummary is summary.json without what names the scenario and the
// time it took, which differ between two scenarios that compute the same.
func normalizedSummary(t *testing.T, dir string) string {
	t.Helper()
	s := readText(t, filepath.Join(dir, "summary.json"))
	s = regexp.MustCompile(`(?s)"scenario": \{.*?\}`).ReplaceAllString(s, `"scenario": {}`)
	return regexp.MustCompile(`"elapsed_seconds": [0-9.e-]+`).ReplaceAllString(s, `"elapsed_seconds": 0`)
}

// TestCustomLineSameSummary: other_savings × A written as a custom benefit,
// with benefits.other_savings set to 0, gives the same summary.json (apart
// from the scenario's name, hash and the time) as the built-in line, byte for
// byte, with the same seed; bands.csv and tornado.csv too.
func TestCustomLineSameSummary(t *testing.T) {
	old := "other_savings: pert(0, 50e3, 300e3)"
	builtin := formulaFile(t, "builtin.yaml", edit(t, old, "other_savings: 120e3"))
	custom := formulaFile(t, "custom.yaml", edit(t, old, "other_savings: 0")+
		"\ncustom:\n  - name: Other savings, as a line\n    kind: benefit\n    monthly: 120e3 * A\n")
	var dirs []string
	for _, f := range []string{builtin, custom} {
		dir := filepath.Join(t.TempDir(), "out")
		if code, _, stderr := runMain(t, "run", f, "-q", "-n", "30000", "--seed", "7", "--format", "none", "-o", dir); code != 0 {
			t.Fatalf("%s: exit %d: %s", f, code, stderr)
		}
		dirs = append(dirs, dir)
	}
	a, b := normalizedSummary(t, dirs[0]), normalizedSummary(t, dirs[1])
	if a != b {
		t.Errorf("summary.json differs:\n%s\n---\n%s", a, b)
	}
	for _, name := range []string{"bands.csv", "tornado.csv", "summary.csv"} {
		if readText(t, filepath.Join(dirs[0], name)) != readText(t, filepath.Join(dirs[1], name)) {
			t.Errorf("%s differs", name)
		}
	}
	if !strings.Contains(a, `"npv"`) || strings.Contains(a, "NaN") {
		t.Errorf("unexpected summary:\n%s", a)
	}
}

// TestBadExpressions: every bad expression, input or output is exit 2 with
// file:line:col and its path, and nothing is written.
func TestBadExpressions(t *testing.T) {
	crm := func(lines string) string { return edit(t, "\nrisks:", "\ncustom:\n"+lines+"risks:") }
	line := func(expr string) string { return crm("  - name: L\n    kind: benefit\n    monthly: " + expr + "\n") }
	formula := func(out string) string {
		return "model: formula\ninputs:\n  x: uniform(0, 1)\n  y: normal(0, 1)\noutputs:\n  z: " + out + "\n"
	}
	cases := []struct {
		name, text, at, path, want string
		off                        int // the error is off columns after at
	}{
		{"unknown variable", line("A * compny.margin"), "compny.margin", "custom[1] (L).monthly", "did you mean company.margin", 0},
		{"unknown short name", line("A * margin * 1e6"), "margin * 1e6", "custom[1] (L).monthly", "did you mean company.margin", 0},
		{"unknown function", line("A * sine(t)"), "sine(t)", "custom[1] (L).monthly", "unknown function sine (did you mean sin?)", 0},
		{"syntax error", line("A * (1 +"), "A * (1 +", "custom[1] (L).monthly", "syntax error", 7},
		{"two values", line("A 400e3"), "400e3", "custom[1] (L).monthly", "syntax error", 0},
		{"percent sign", line("A * 30 % 2"), "% 2", "custom[1] (L).monthly", "not an operator", 0},
		{"wrong argument count", line("clamp(A, 0)"), "clamp(A, 0)", "custom[1] (L).monthly", "clamp takes 3 arguments", 0},
		{"text", line("\"'abc' * A\""), "'abc'", "custom[1] (L).monthly", "not a number", 0},
		{"constant division by zero", line("A * (1 / 0)"), "/ 0)", "custom[1] (L).monthly", "+Inf whatever the inputs", 0},
		{"setting as variable", line("seats * A"), "seats * A", "custom[1] (L).monthly", "number-only setting", 0},
		{"bad kind", crm("  - name: L\n    kind: profit\n    monthly: A\n"), "profit", "custom[1] (L).kind", "benefit or cost", 0},
		{"input shadows built-in", edit(t, "\nrisks:", "\ninputs:\n  churn: 0.1\nrisks:"), "churn: 0.1", "inputs.churn", "shadows the built-in parameter company.churn", 0},
		{"input shadows variable", edit(t, "\nrisks:", "\ninputs:\n  live: 0.1\nrisks:"), "live: 0.1", "inputs.live", "variable of custom lines", 0},
		{"formula unknown variable", formula("x + w"), "w\n", "outputs.z", "unknown variable w", 0},
		{"formula cycle", formula("x + q\n  q: z * 2"), "x + q", "outputs.z", "cycle: z → q → z", 0},
		{"formula month variable", formula("x * t"), "t\n", "outputs.z", "custom lines of a CRM scenario", 0},
		{"formula syntax", formula("x +* y"), "* y", "outputs.z", "syntax error", 0},
		{"formula CRM section", formula("x") + "company:\n  revenue: 1\n", "company:", "company", "part of the CRM model", 0},
		{"formula log of zero", formula("x + log(0)"), "log(0)", "outputs.z", "-Inf whatever the inputs", 0},
	}
	if len(cases) < 15 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := formulaFile(t, "bad.yaml", c.text)
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runMain(t, "run", file, "-n", "100", "-q", "-o", out)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stderr: %s", code, stderr)
			}
			line, col := lineCol(c.text, c.at)
			col += c.off
			prefix := file + ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col) + ": " + c.path + ": "
			if !strings.Contains(stderr, prefix) || !strings.Contains(stderr, c.want) {
				t.Errorf("stderr %q, want %q…%q", stderr, prefix, c.want)
			}
			if strings.Contains(stderr, "goroutine") || stdout != "" {
				t.Errorf("stack trace or output: %q %q", stdout, stderr)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("the output folder was created")
			}
		})
	}
}

// TestNonFiniteStopsRun: an expression that is NaN or infinite in some
// iteration stops the run with exit 1, naming the line or output, the
// iteration and its inputs.
func TestNonFiniteStopsRun(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string
	}{
		{"formula output", "model: formula\ninputs:\n  x: normal(1, 0.5)\noutputs:\n  z: 2 * y\n  y: log(x)\n",
			[]string{"output y (", ":6:6)", "iteration ", "is NaN", "inputs: x=-"}},
		{"custom line", edit(t, "\nrisks:", "\ncustom:\n  - name: Probe\n    kind: benefit\n    monthly: sqrt(benefits.capacity_gain - 0.22) * A\nrisks:"),
			[]string{`custom benefit line "Probe"`, "in month ", "iteration ", "inputs: ", "benefits.capacity_gain=0.2"}},
		{"custom line in the plan case", edit(t, "\nrisks:", "\ncustom:\n  - name: Probe\n    kind: cost\n    monthly: 1 / (t - 3)\nrisks:"),
			[]string{"plan case", `custom cost line "Probe"`, "in month 3", "+Inf"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := formulaFile(t, "nan.yaml", c.text)
			code, _, stderr := runMain(t, "run", file, "-n", "20000", "-q", "--format", "none", "-o", filepath.Join(t.TempDir(), "out"))
			if code != 1 {
				t.Fatalf("exit %d, want 1: %s", code, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
		})
	}
}

// TestExamplesWithCustomLinesAndFormula: the examples run, with their files.
func TestExamplesWithCustomLinesAndFormula(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "custom")
	code, stdout, stderr := runMain(t, "run", "../../examples/custom_lines.yaml", "-n", "5000", "--format", "none", "--samples", "-o", dir)
	if code != 0 {
		t.Fatalf("custom_lines.yaml: exit %d: %s", code, stderr)
	}
	head := strings.SplitN(readText(t, filepath.Join(dir, "samples.csv")), "\n", 2)[0]
	if !strings.HasSuffix(strings.SplitN(head, ",npv,", 2)[0], ",assortment_gain,positions_cut") {
		t.Errorf("samples.csv header %q", head)
	}
	if !strings.Contains(readText(t, filepath.Join(dir, "tornado.csv")), "\nassortment_gain,") || !strings.Contains(stdout, "NPV") {
		t.Errorf("assortment_gain is not in the tornado, or no table")
	}
	dir = filepath.Join(t.TempDir(), "nps")
	code, stdout, stderr = runMain(t, "run", "../../examples/formula_nps.yaml", "-n", "5000", "-o", dir, "--lang", "ru")
	if code != 0 {
		t.Fatalf("formula_nps.yaml: exit %d: %s", code, stderr)
	}
	for _, f := range []string{"summary.json", "summary.csv", "tornado.csv", "profit_hist.png", "profit_cdf.png", "roi_hist.png", "roi_cdf.png", "tornado.png"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if !strings.Contains(stdout, "profit") || !strings.Contains(stdout, "Главные факторы") {
		t.Errorf("table:\n%s", stdout)
	}
	code, stdout, _ = runMain(t, "run", "../../examples/formula_nps.yaml", "-n", "2000", "--format", "none", "--json", "-o", filepath.Join(t.TempDir(), "j"))
	var s formulaSummary
	if code != 0 || json.Unmarshal([]byte(stdout), &s) != nil || s.TornadoOutput != "profit" || len(s.Metrics) != 3 {
		t.Errorf("--json: exit %d\n%s", code, stdout)
	}
}

// TestFormulaWorkersByteIdentical: a formula model's files do not depend on --workers.
func TestFormulaWorkersByteIdentical(t *testing.T) {
	var dirs []string
	for _, w := range []string{"1", "2"} {
		dir := filepath.Join(t.TempDir(), "out")
		code, _, stderr := runMain(t, "run", "../../examples/formula_nps.yaml", "-n", "30000", "-w", w, "--samples", "--format", "none", "-q", "-o", dir)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		dirs = append(dirs, dir)
	}
	strip := func(s string) string {
		return regexp.MustCompile(`"(elapsed_seconds|workers)": [0-9.e-]+`).ReplaceAllString(s, "")
	}
	if a, b := strip(readText(t, filepath.Join(dirs[0], "summary.json"))), strip(readText(t, filepath.Join(dirs[1], "summary.json"))); a != b {
		t.Errorf("summary.json differs with the number of workers")
	}
	for _, f := range []string{"summary.csv", "tornado.csv", "samples.csv"} {
		if readText(t, filepath.Join(dirs[0], f)) != readText(t, filepath.Join(dirs[1], f)) {
			t.Errorf("%s differs with the number of workers", f)
		}
	}
}
