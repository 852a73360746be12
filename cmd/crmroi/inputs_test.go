package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/distributions"
	"github.com/crmroi/crmroi/model"
)

// TestNotationByteIdentical: the default scenario written with percentages
// and constant expressions gives byte-identical results (and scenario hash)
// to the same scenario written in decimals.
func TestNotationByteIdentical(t *testing.T) {
	dir := t.TempDir()
	plain := writeScenario(t, dir, "plain.yaml", defaultText())
	text := defaultText()
	for _, r := range [][2]string{
		{"revenue: 50e6", "revenue: 600e6 / 12"},
		{"sales_payroll: 3.0e6", "sales_payroll: 1.5 * 2e6"},
		{"capacity_gain: pert(0.20, 0.25, 0.30)", "capacity_gain: pert(20%, 25%, 30%)"},
		{"discount_rate: 0.20", "discount_rate: 20%"},
		{"max: pert(0.5, 0.8, 0.95)", "max: pert(50%, 80%, 95%)"},
		{"cancel: 0.10", "cancel: 10%"},
	} {
		if !strings.Contains(text, r[0]) {
			t.Fatalf("default scenario has no %q", r[0])
		}
		text = strings.Replace(text, r[0], r[1], 1)
	}
	notation := writeScenario(t, dir, "notation.yaml", text)
	var ref map[string][]byte
	for _, f := range []string{plain, notation} {
		o := filepath.Join(dir, "out-"+filepath.Base(f))
		code, _, stderr := runMain(t, "run", f, "-n", "3000", "--seed", "5", "-q", "--samples", "--format", "none", "-o", o)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", f, code, stderr)
		}
		files := map[string][]byte{}
		for _, name := range []string{"summary.json", "bands.csv", "tornado.csv", "samples.csv"} {
			b, err := os.ReadFile(filepath.Join(o, name))
			if err != nil {
				t.Fatal(err)
			}
			if name == "summary.json" {
				b = elapsedRE.ReplaceAll(b, nil)
				b = regexp.MustCompile(`"file": "[^"]*"`).ReplaceAll(b, nil)
			}
			files[name] = b
		}
		if ref == nil {
			ref = files
			continue
		}
		for name, b := range files {
			if !bytes.Equal(b, ref[name]) {
				t.Errorf("%s differs between 0.25 / 50e6 and 25%% / 600e6 / 12", name)
			}
		}
	}
}

// TestIssueScenarioRuns: the natural inputs of issue 19 run; the cut is a
// warning in the terminal, summary.json and report.html, the tiny cuts notes
// in summary.json.
func TestIssueScenarioRuns(t *testing.T) {
	dir := t.TempDir()
	text := defaultText()
	for _, r := range [][2]string{
		{"max: pert(0.5, 0.8, 0.95)", "max: 0.7 to 0.9"},
		{"margin: pert(0.15, 0.25, 0.40)", "margin: 0.18 to 0.24"},
		{"churn_reduction: pert(0, 0.09, 0.20)", "churn_reduction: 0.05 to 0.25"},
		{"growth: pert(0.05, 0.095, 0.15)", "growth: normal(0.10, 0.03)"},
		{"churn: pert(0.15, 0.25, 0.40)", "churn: lognormal(mu=-1.5756, sigma=0.196039)"},
	} {
		text = strings.Replace(text, r[0], r[1], 1)
	}
	f := writeScenario(t, dir, "ru.yaml", text)
	code, stdout, stderr := runMain(t, "validate", f)
	if code != 0 || !strings.Contains(stdout, "warning: adoption.max: 0.7 to 0.9 cut at 1 (0.12% of its mass lay above)") {
		t.Fatalf("validate: exit %d\n%s%s", code, stdout, stderr)
	}
	o := filepath.Join(dir, "out")
	code, stdout, stderr = runMain(t, "run", f, "-n", "2000", "-o", o)
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	want := "adoption.max: 0.7 to 0.9 cut at 1 (0.12% of its mass lay above)"
	if !strings.Contains(stdout, want) {
		t.Errorf("terminal lacks %q:\n%s", want, stdout)
	}
	var sum struct {
		Warnings []string `json:"warnings"`
		Notes    []string `json:"notes"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(o, "summary.json"))), &sum); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(sum.Warnings, "\n"), want) || !strings.Contains(strings.Join(sum.Warnings, "\n"), "benefits.churn_reduction: 0.05 to 0.25 cut at 1") {
		t.Errorf("summary.json warnings %q", sum.Warnings)
	}
	notes := strings.Join(sum.Notes, "\n")
	for _, n := range []string{"company.churn: lognormal(mu=-1.5756, sigma=0.196039) cut at 1", "company.growth: normal(0.10, 0.03) cut at -1", "company.margin: 0.18 to 0.24 cut at 1"} {
		if !strings.Contains(notes, n) {
			t.Errorf("summary.json notes lack %q: %q", n, sum.Notes)
		}
	}
	if html := readFile(t, filepath.Join(o, "report.html")); !strings.Contains(html, "0.7 to 0.9 cut at 1") {
		t.Error("report.html lacks the cut warning")
	}
	// --strict makes the cut warnings errors
	if code, _, stderr := runMain(t, "validate", "--strict", f); code != 2 || !strings.Contains(stderr, "adoption.max") {
		t.Errorf("validate --strict: exit %d: %s", code, stderr)
	}
}

// TestStrict: an implausible value warns on every command, and --strict
// makes it exit 2 before anything runs, with the place of the value.
func TestStrict(t *testing.T) {
	dir := t.TempDir()
	text := edit(t, "capacity_gain: pert(0.20, 0.25, 0.30)", "capacity_gain: 25")
	f := writeScenario(t, dir, "bad.yaml", text)
	line, col := lineCol(text, "capacity_gain: 25 ")
	col += len("capacity_gain: ")
	place := "bad.yaml:" + itoa(line) + ":" + itoa(col) + ": "
	msg := "benefits.capacity_gain: 25 means +2,500%; did you mean 25% (0.25)?"
	at := place + msg
	code, stdout, _ := runMain(t, "validate", f)
	if code != 0 || !strings.Contains(stdout, place+"warning: "+msg) {
		t.Errorf("validate: exit %d, want 0 and the warning %q:\n%s", code, at, stdout)
	}
	for _, args := range [][]string{
		{"validate", "--strict", f},
		{"run", "--strict", f, "-n", "1000", "-o", filepath.Join(dir, "r")},
		{"batch", "--strict", f, f, "-n", "1000", "-o", filepath.Join(dir, "b")},
		{"sweep", "--strict", f, "--param", "costs.support", "--values", "1e5,2e5", "-n", "1000", "-o", filepath.Join(dir, "s")},
		{"sensitivity", "--strict", f, "--base", "64", "-o", filepath.Join(dir, "x")},
	} {
		code, _, stderr := runMain(t, args...)
		if code != 2 || !strings.Contains(stderr, at) {
			t.Errorf("%s --strict: exit %d, want 2 and %q: %s", args[0], code, at, stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "r", "summary.json")); err == nil {
			t.Errorf("%s --strict wrote results", args[0])
		}
	}
	code, stdout, stderr := runMain(t, "run", f, "-n", "1000", "--format", "none", "-o", filepath.Join(dir, "ok"))
	if code != 0 || !strings.Contains(stdout, "benefits.capacity_gain: 25 means +2,500%") {
		t.Errorf("run without --strict: exit %d: %s%s", code, stdout, stderr)
	}
	// a swept value that is implausible is an error under --strict, named with its cell
	g := writeScenario(t, dir, "good.yaml", defaultText())
	code, _, stderr = runMain(t, "sweep", "--strict", g, "--param", "benefits.capacity_gain", "--values", "0.2,25", "-n", "1000", "-o", filepath.Join(dir, "s2"))
	if code != 2 || !strings.Contains(stderr, "--param: benefits.capacity_gain: 25 means +2,500%; did you mean 25% (0.25)? (with benefits.capacity_gain = 25)") {
		t.Errorf("sweep --strict over an implausible value: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runMain(t, "sweep", g, "--param", "benefits.capacity_gain", "--values", "0.2,25", "-n", "1000", "--format", "none", "-q", "-o", filepath.Join(dir, "s3")); code != 0 {
		t.Errorf("sweep without --strict: exit %d: %s", code, stderr)
	}
	if code, _, _ := runMain(t, "merge", "--strict", "x"); code != 2 {
		t.Errorf("merge --strict: exit %d, want 2 (no such flag)", code)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestCommandLineMessages: no command, a misspelt command, counts with exponents.
func TestCommandLineMessages(t *testing.T) {
	code, stdout, stderr := runMain(t)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "Commands:") {
		t.Errorf("no command: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for typo, want := range map[string]string{"rnu": "run", "valdate": "validate", "sensitivty": "sensitivity", "swep": "sweep", "inti": "init"} {
		code, _, stderr := runMain(t, typo)
		if code != 2 || !strings.Contains(stderr, "(did you mean "+want+"?)") {
			t.Errorf("%s: exit %d: %s", typo, code, stderr)
		}
	}
	if code, _, stderr := runMain(t, "xyzzy"); code != 2 || strings.Contains(stderr, "did you mean") {
		t.Errorf("xyzzy: exit %d: %s", code, stderr)
	}
	dir := t.TempDir()
	var ref string
	for _, n := range []string{"2000", "2e3", "2_000", "2.0e3"} {
		o := filepath.Join(dir, "n"+n)
		code, _, stderr := runMain(t, "run", "-n", n, "-q", "--format", "none", "-o", o)
		if code != 0 {
			t.Fatalf("-n %s: exit %d: %s", n, code, stderr)
		}
		s := readStable(t, filepath.Join(o, "summary.json"))
		if !strings.Contains(s, `"iterations": 2000`) {
			t.Errorf("-n %s: not 2000 iterations", n)
		}
		if ref != "" && s != ref {
			t.Errorf("-n %s differs from -n 2000", n)
		}
		ref = s
	}
	for _, n := range []string{"1.5", "1e3.5", "abc", "1e400"} {
		if code, _, _ := runMain(t, "run", "-n", n, "-q", "--format", "none", "-o", dir); code != 2 {
			t.Errorf("-n %s: exit %d, want 2", n, code)
		}
	}
}

// TestUnknownParameterAndQuoting: an unknown parameter a user plausibly
// meant points to the nearest parameter and to custom: lines, whose example
// validates when pasted; an unquoted conditional expression is told to be quoted.
func TestUnknownParameterAndQuoting(t *testing.T) {
	dir := t.TempDir()
	for _, value := range []string{"80e3", "pert(50e3, 80e3, 150e3)"} {
		text := edit(t, "  it_staff: pert(0, 50e3, 200e3)", "  it_staff: pert(0, 50e3, 200e3)\n  maintenance: "+value)
		f := writeScenario(t, dir, "m.yaml", text)
		code, _, stderr := runMain(t, "validate", f)
		line, _ := lineCol(text, "maintenance")
		if code != 2 || !strings.Contains(stderr, "m.yaml:"+itoa(line)+":3: costs.maintenance: unknown parameter of costs; the nearest is costs.support") {
			t.Fatalf("maintenance: exit %d: %s", code, stderr)
		}
		// paste the custom: (and inputs:) example instead of the line
		m := regexp.MustCompile(`e\.g\. (inputs: \{.*?\}) and (custom: \[.*\])|e\.g\. (custom: \[.*\])`).FindStringSubmatch(stderr)
		if m == nil {
			t.Fatalf("no example in %s", stderr)
		}
		fixed := strings.Replace(text, "\n  maintenance: "+value, "", 1) + "\n" + m[1] + "\n" + m[2] + m[3] + "\n"
		g := writeScenario(t, dir, "fixed.yaml", fixed)
		if code, stdout, stderr := runMain(t, "validate", g); code != 0 {
			t.Errorf("the example of %q does not validate: %s%s\n%s", stderr, stdout, stderr, fixed)
		}
	}
	if code, _, stderr := runMain(t, "run", "--set", "costs.maintenance=80e3", "-n", "10", "-o", dir); code != 2 ||
		!strings.Contains(stderr, "--set:1:1: costs.maintenance: unknown parameter of costs; the nearest is costs.support") || !strings.Contains(stderr, "custom: [{name: maintenance, kind: cost, monthly: 80e3}]") {
		t.Errorf("--set costs.maintenance: exit %d: %s", code, stderr)
	}
	text := defaultText() + "custom:\n  - name: bonus\n    kind: cost\n    monthly: t == 24 ? 2e6 : 0\n"
	f := writeScenario(t, dir, "q.yaml", text)
	code, _, stderr := runMain(t, "validate", f)
	if code != 2 || !strings.Contains(stderr, `quote the expression, as in monthly: "t == 24 ? 2e6 : 0"`) {
		t.Fatalf("unquoted expression: exit %d: %s", code, stderr)
	}
	g := writeScenario(t, dir, "q2.yaml", strings.Replace(text, "monthly: t == 24 ? 2e6 : 0", `monthly: "t == 24 ? 2e6 : 0"`, 1))
	if code, _, stderr := runMain(t, "validate", g); code != 0 {
		t.Errorf("quoted as advised: exit %d: %s", code, stderr)
	}
}

// TestValidateFileOrder: validate prints the errors of a file in the order of
// their lines.
func TestValidateFileOrder(t *testing.T) {
	text := edit(t, "  revenue: 50e6", "  revenue: -5")
	text = strings.Replace(text, "ramp_months: pert(3, 6, 12)", "ramp_months: -1", 1)
	text = strings.Replace(text, "horizon_months: 36", "horizon_months: 0", 1)
	text = strings.Replace(text, "cost_uplift: 0.10", "cost_uplift: -1", 1)
	f := writeScenario(t, t.TempDir(), "o.yaml", text)
	code, _, stderr := runMain(t, "validate", f)
	if code != 2 {
		t.Fatalf("exit %d", code)
	}
	var lines []int
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		m := regexp.MustCompile(`o\.yaml:(\d+):`).FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("no line in %q", l)
		}
		n, _ := strconv.Atoi(m[1])
		lines = append(lines, n)
	}
	if len(lines) < 4 {
		t.Fatalf("%d errors, want 4: %s", len(lines), stderr)
	}
	for i := 1; i < len(lines); i++ {
		if lines[i] < lines[i-1] {
			t.Errorf("errors not in file order: %v\n%s", lines, stderr)
		}
	}
}

// TestFitParamPastes: fit --param prints, for every family, an expression
// and an empirical(…) form that the scenario accepts for that parameter with
// no warning about it, whatever the parameter's domain; data outside the
// domain are refused, with the percent reading where it fits.
func TestFitParamPastes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 19))
	cases := []struct {
		param string
		draw  func() float64
	}{
		{"company.churn", func() float64 { return math.Exp(-1.5756 + 0.196039*r.NormFloat64()) }},
		{"adoption.max", func() float64 { return math.Min(0.999, 0.8+0.08*r.NormFloat64()) }},
		{"adoption.ramp_months", func() float64 { return math.Max(0.5, 6+2*r.NormFloat64()) }},
		{"company.growth", func() float64 { return 0.1 + 0.03*r.NormFloat64() }},
		{"costs.support", func() float64 { return math.Max(1, 100e3+40e3*r.NormFloat64()) }},
	}
	for _, c := range cases {
		dir := t.TempDir()
		var b strings.Builder
		b.WriteString("v\n")
		for range 80 {
			fmt.Fprintf(&b, "%.6g\n", c.draw())
		}
		data := writeScenario(t, dir, "history.csv", b.String())
		code, stdout, stderr := runMain(t, "fit", data, "--param", c.param, "--bootstrap", "0", "--format", "none", "-o", filepath.Join(dir, "fit"), "--json")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.param, code, stderr)
		}
		var js struct {
			Results []struct {
				Family string `json:"family"`
				Expr   string `json:"expression"`
			} `json:"results"`
			Best      string `json:"best_expression"`
			Empirical string `json:"best_empirical"`
		}
		if err := json.Unmarshal([]byte(stdout), &js); err != nil || len(js.Results) == 0 {
			t.Fatalf("%s: fit.json: %v\n%s", c.param, err, stdout)
		}
		exprs := []string{js.Best, js.Empirical}
		for _, res := range js.Results {
			exprs = append(exprs, res.Expr)
		}
		for _, e := range exprs {
			if e == "" {
				t.Fatalf("%s: empty expression in %s", c.param, stdout)
			}
			s, warns, err := model.CheckValue(dir, c.param, e)
			if err != nil || s == nil {
				t.Errorf("%s: %s refused: %v", c.param, e, err)
				continue
			}
			for _, w := range warns {
				if strings.Contains(w.Msg, " cut ") {
					t.Errorf("%s: %s still reaches beyond the domain: %v", c.param, e, w)
				}
			}
			// and in a scenario file beside the data
			_, name, _ := strings.Cut(c.param, ".")
			line := regexp.MustCompile(`(?m)^  ` + name + `: .*$`)
			if n := len(line.FindAllString(defaultText(), -1)); n != 1 {
				t.Fatalf("%s: %d lines in the default scenario", c.param, n)
			}
			f := writeScenario(t, dir, "s.yaml", line.ReplaceAllString(defaultText(), "  "+name+": '"+e+"'"))
			if code, _, stderr := runMain(t, "validate", "--strict", f); code != 0 {
				t.Errorf("%s: pasted %s: exit %d: %s", c.param, e, code, stderr)
			}
		}
	}
	// percentages for a share
	data := writeScenario(t, t.TempDir(), "pct.csv", "churn\n15\n22\n25\n31\n18\n")
	code, _, stderr := runMain(t, "fit", data, "--param", "company.churn", "--format", "none", "-o", t.TempDir())
	if code != 2 || !strings.Contains(stderr, "5 of the 5 values lie outside the domain of company.churn") || !strings.Contains(stderr, "Divide them by 100") {
		t.Errorf("percent data: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runMain(t, "fit", data, "--param", "company.chrun"); code != 2 || !strings.Contains(stderr, "did you mean company.churn?") {
		t.Errorf("misspelt --param: exit %d: %s", code, stderr)
	}
}

// stripComments removes the comments and the blank lines of a scenario text.
func stripComments(text string) []string {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if i := strings.Index(l, "#"); i >= 0 {
			l = l[:i]
		}
		if l = strings.TrimRight(l, " "); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// TestInitRussian: init --lang ru writes the template with Russian comments,
// the same settings and values line for line, and a scenario with the same
// hash; both templates say what "A to B" means.
func TestInitRussian(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ru.yaml")
	if code, _, stderr := runMain(t, "init", "--lang", "ru", file); code != 0 {
		t.Fatalf("init --lang ru: exit %d: %s", code, stderr)
	}
	ru := readFile(t, file)
	if !bytes.Equal([]byte(ru), model.DefaultYAMLRu) || !strings.Contains(ru, "# доля клиентов, уходящих за год") {
		t.Fatal("init --lang ru did not write the Russian template")
	}
	en, ruLines := stripComments(defaultText()), stripComments(ru)
	if strings.Join(en, "\n") != strings.Join(ruLines, "\n") {
		t.Errorf("the Russian template's settings differ from the English one's:\n%s\n---\n%s", strings.Join(ruLines, "\n"), strings.Join(en, "\n"))
	}
	a, err := model.Parse("en.yaml", model.DefaultYAML, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := model.Parse("ru.yaml", model.DefaultYAMLRu, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.SHA256() != b.SHA256() {
		t.Error("the two templates give different scenarios")
	}
	// Every commented line of the English template has a Russian counterpart.
	count := func(text string) int { return strings.Count(text, "#") }
	if count(ru) < count(defaultText()) {
		t.Errorf("the Russian template has %d comments, the English one %d", count(ru), count(defaultText()))
	}
	for _, c := range []struct{ text, want string }{
		{defaultText(), "its plan value is its mean, not the midpoint"},
		{ru, "его плановое значение — среднее, а не середина"},
	} {
		if !strings.Contains(c.text, c.want) || !strings.Contains(c.text, "5 to 25") {
			t.Errorf("a template does not say what A to B means (%q)", c.want)
		}
	}
	if d, err := distributions.Parse("5 to 25"); err != nil || math.Round(d.Plan()*10)/10 != 12.6 {
		t.Errorf("5 to 25: plan value %v, the templates say 12.6", d.Plan())
	}
	if code, _, _ := runMain(t, "init", "--lang", "de"); code != 2 {
		t.Errorf("init --lang de: exit %d, want 2", code)
	}
}

// TestSchemaNewNotation: the schema accepts what the loader accepts in the
// new notation (percentages, constant expressions, a cut after any form, in
// uncertain parameters and number-only settings alike), and still refuses a
// distribution in a number-only setting.
func TestSchemaNewNotation(t *testing.T) {
	sch := compileSchema(t)
	for _, r := range [][2]string{
		{"revenue: 50e6", "revenue: 600e6 / 12"},
		{"sales_payroll: 3.0e6", "sales_payroll: '1.5 * 2e6'"},
		{"capacity_gain: pert(0.20, 0.25, 0.30)", "capacity_gain: pert(20%, 25%, 30%)"},
		{"max: pert(0.5, 0.8, 0.95)", "max: 0.7 to 0.9, max=1"},
		{"margin: pert(0.15, 0.25, 0.40)", "margin: 18% to 24%"},
		{"golive_dip: pert(0, 0.01, 0.03)", "golive_dip: pert(0, 0.01, 0.04), max=3%"},
		{"discount_rate: 0.20", "discount_rate: 20%"},
		{"presale_seat_share: 0.3", "presale_seat_share: 30%"},
		{"seats: 30", "seats: 3 * 10"},
		{"cancel: 0.10", "cancel: 10%"},
		{"cost_uplift: 0.10", "cost_uplift: (5 + 5)%"},
	} {
		text := edit(t, r[0], r[1])
		if _, err := model.Parse("s.yaml", []byte(text), nil); err != nil {
			t.Errorf("%s: the loader refuses it: %v", r[1], err)
			continue
		}
		if err := sch.Validate(yamlInstance(t, []byte(text))); err != nil {
			t.Errorf("%s: the schema refuses it: %v", r[1], err)
		}
	}
	_, schema, _ := runMain(t, "schema")
	if !strings.Contains(schema, "the same team does more work. Unit: relative. Values in [-1, +inf) (plausible: [-0.5, 1]; outside, a warning)") {
		t.Error("the schema does not give capacity_gain's plausible range")
	}
	for _, bad := range []string{"seats: pert(1, 2, 3)", "seats: 1 to 3", "presale_seat_share: thirty"} {
		text := edit(t, strings.SplitN(bad, ":", 2)[0]+": ", bad+"\nx_"+strings.SplitN(bad, ":", 2)[0]+": ")
		text = strings.Replace(text, "\nx_", "\n#", 1)
		if err := sch.Validate(yamlInstance(t, []byte(text))); err == nil {
			t.Errorf("%s: the schema accepts it", bad)
		}
	}
}
