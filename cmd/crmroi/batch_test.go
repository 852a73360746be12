package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// writeScenario writes text to name in dir and returns its path.
func writeScenario(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// volatileRE matches the summary lines that may differ between runs: elapsed time and workers.
var volatileRE = regexp.MustCompile(`(?m)^\s*"(elapsed_seconds|workers)": .*\n`)

func readStable(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return volatileRE.ReplaceAllString(string(b), "")
}

// comparisonJSON reads comparison.json into a generic value.
func comparisonJSON(t *testing.T, dir string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "comparison.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func pairs(t *testing.T, v map[string]any) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, p := range v["pairwise"].([]any) {
		out = append(out, p.(map[string]any))
	}
	return out
}

// TestBatchSummaryEqualsRun checks that every scenario of a batch has the
// summary, bands and tornado of `run` on it alone, byte for byte (apart from
// elapsed_seconds and workers), whatever the number of workers.
func TestBatchSummaryEqualsRun(t *testing.T) {
	dir := t.TempDir()
	a := writeScenario(t, dir, "a.yaml", defaultText())
	b := writeScenario(t, dir, "b.yaml", edit(t, "name: Default CRM business case", "name: Бизнес-кейс Б")+"\n")
	b = writeScenario(t, dir, "b.yaml", strings.Replace(readFile(t, b), "seats: 30 ", "seats: 45 ", 1))
	common := []string{"-n", "3000", "--seed", "11", "--format", "none", "-q"}
	for _, w := range []string{"1", "3"} {
		bo := filepath.Join(dir, "batch"+w)
		if code, _, stderr := runMain(t, append([]string{"batch", a, b, "-w", w, "-o", bo}, common...)...); code != 0 {
			t.Fatalf("batch: exit %d: %s", code, stderr)
		}
		for file, slug := range map[string]string{a: "default-crm-business-case", b: "biznes-keys-b"} {
			ro := filepath.Join(dir, "run-"+slug)
			if code, _, stderr := runMain(t, append([]string{"run", file, "-w", "2", "-o", ro}, common...)...); code != 0 {
				t.Fatalf("run: exit %d: %s", code, stderr)
			}
			for _, name := range []string{"summary.json", "summary.csv", "bands.csv", "tornado.csv"} {
				got := readStable(t, filepath.Join(bo, slug, name))
				want := readStable(t, filepath.Join(ro, name))
				if got != want {
					t.Errorf("workers %s: %s/%s differs from run's", w, slug, name)
				}
			}
		}
	}
	if readStable(t, filepath.Join(dir, "batch1", "comparison.json")) != readStable(t, filepath.Join(dir, "batch3", "comparison.json")) {
		t.Error("comparison.json depends on the number of workers")
	}
	if readFile(t, filepath.Join(dir, "batch1", "pairwise.csv")) != readFile(t, filepath.Join(dir, "batch3", "pairwise.csv")) {
		t.Error("pairwise.csv depends on the number of workers")
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBatchSelf compares a scenario with itself: never greater, a tie in
// every iteration and a difference of exactly 0.
func TestBatchSelf(t *testing.T) {
	dir := t.TempDir()
	a := writeScenario(t, dir, "a.yaml", defaultText())
	o := filepath.Join(dir, "out")
	if code, _, stderr := runMain(t, "batch", a, a, "-n", "2500", "--format", "none", "-q", "-o", o); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	v := comparisonJSON(t, o)
	ps := pairs(t, v)
	if len(ps) != 1 {
		t.Fatalf("%d pairs", len(ps))
	}
	p := ps[0]
	if p["a"] != "default-crm-business-case" || p["b"] != "default-crm-business-case-2" {
		t.Errorf("pair %v vs %v", p["a"], p["b"])
	}
	if p["prob_a_greater"].(float64) != 0 || p["prob_b_greater"].(float64) != 0 || p["prob_tie"].(float64) != 1 {
		t.Errorf("self comparison: %v", p)
	}
	d := p["difference_a_minus_b"].(map[string]any)
	for _, k := range []string{"mean", "sd", "min", "p5", "p50", "p95", "max"} {
		if d[k].(float64) != 0 {
			t.Errorf("difference %s = %v, want exactly 0", k, d[k])
		}
	}
}

// TestBatchHigherBenefitWins gives scenario A a strictly higher fixed benefit
// than B: without cancellation A wins in every iteration; with it, the
// cancelled iterations (no benefit in either) are exact ties and B never wins.
func TestBatchHigherBenefitWins(t *testing.T) {
	dir := t.TempDir()
	a := writeScenario(t, dir, "a.yaml", edit(t, "other_savings: pert(0, 50e3, 300e3)", "other_savings: 150e3"))
	b := writeScenario(t, dir, "b.yaml", edit(t, "other_savings: pert(0, 50e3, 300e3)", "other_savings: 100e3"))
	for _, cancel := range []string{"0", "0.1"} {
		o := filepath.Join(dir, "out"+cancel)
		if code, _, stderr := runMain(t, "batch", a, b, "-n", "4000", "--seed", "5", "--format", "none", "-q", "-o", o,
			"--set", "risks.cancel="+cancel); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		v := comparisonJSON(t, o)
		p := pairs(t, v)[0]
		pa, pt, pb := p["prob_a_greater"].(float64), p["prob_tie"].(float64), p["prob_b_greater"].(float64)
		cancelled := v["scenarios"].([]any)[0].(map[string]any)["outcomes"].(map[string]any)["cancelled"].(float64)
		if pb != 0 {
			t.Errorf("cancel %s: B wins in a share %v of iterations", cancel, pb)
		}
		if pt != cancelled || pa != 1-cancelled {
			t.Errorf("cancel %s: P(A>B) %v, ties %v, cancelled %v", cancel, pa, pt, cancelled)
		}
		if cancel == "0" && pa != 1 {
			t.Errorf("without cancellation A wins in %v of iterations, want all", pa)
		}
		if cancel == "0.1" && !(cancelled > 0.05) {
			t.Errorf("cancelled share %v: the test needs cancelled iterations", cancelled)
		}
		if min := p["difference_a_minus_b"].(map[string]any)["min"].(float64); min < 0 {
			t.Errorf("cancel %s: A − B has a minimum of %v", cancel, min)
		}
	}
}

// TestBatchFilesAndCharts checks the files of a batch with charts.
func TestBatchFilesAndCharts(t *testing.T) {
	dir := t.TempDir()
	a := writeScenario(t, dir, "a.yaml", defaultText())
	b := writeScenario(t, dir, "b.yaml", edit(t, "name: Default CRM business case", "name: \"\""))
	o := filepath.Join(dir, "out")
	code, stdout, stderr := runMain(t, "batch", a, b, "-n", "1500", "-o", o, "--lang", "ru")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"comparison.csv", "comparison.json", "pairwise.csv", "comparison_npv.png", "comparison_cdf.png",
		"comparison_fan.png", "default-crm-business-case/summary.json", "default-crm-business-case/report.html", "b/npv_hist.png"} {
		if st, err := os.Stat(filepath.Join(o, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	csv := strings.Split(strings.TrimSpace(readFile(t, filepath.Join(o, "comparison.csv"))), "\n")
	if len(csv) != 3 || !strings.HasPrefix(csv[0], "slug,name,file,sha256,iterations,seed,npv_mean") {
		t.Errorf("comparison.csv: %q", csv)
	}
	if !strings.Contains(stdout, "P(A > B)") || !strings.Contains(stdout, "Пары") {
		t.Errorf("table:\n%s", stdout)
	}
	// The pairs name the scenarios, not their folders.
	_, pairsTable, _ := strings.Cut(stdout, "Пары")
	if !strings.Contains(pairsTable, "Default CRM business case") || strings.Contains(pairsTable, "default-crm-business-case") {
		t.Errorf("pairs table:\n%s", pairsTable)
	}
	// report.html links to each option's own report, which exists.
	page := readFile(t, filepath.Join(o, "report.html"))
	links := regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(page, -1)
	seen := map[string]bool{}
	for _, m := range links {
		if _, err := os.Stat(filepath.Join(o, filepath.FromSlash(m[1]))); err != nil {
			t.Errorf("report.html links to %s: %v", m[1], err)
		}
		seen[m[1]] = true
	}
	for _, want := range []string{"default-crm-business-case/report.html", "b/report.html"} {
		if !seen[want] {
			t.Errorf("report.html has no link to %s (links: %v)", want, links)
		}
	}
	if !strings.Contains(stdout, "report.html") {
		t.Errorf("the table does not list report.html:\n%s", stdout)
	}
}

// TestBatchErrors checks that bad input stops a batch before anything is
// written, with every error reported.
func TestBatchErrors(t *testing.T) {
	dir := t.TempDir()
	good := writeScenario(t, dir, "good.yaml", defaultText())
	bad1 := writeScenario(t, dir, "bad1.yaml", edit(t, "seats: 30", "seats: -3"))
	bad2 := writeScenario(t, dir, "bad2.yaml", edit(t, "margin: pert(0.15, 0.25, 0.40)", "margn: 0.2"))
	usd := writeScenario(t, dir, "usd.yaml", edit(t, "currency: RUB", "currency: USD"))
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{good, bad1, bad2}, []string{"bad1.yaml:", "seats", "bad2.yaml:", "margn"}},
		{[]string{good, usd}, []string{"currency", "USD", "RUB"}},
		{[]string{}, []string{"one or more scenario files"}},
		{[]string{good, good, "--set", "company.marign=0.2"}, []string{"--set:1:1", "did you mean company.margin"}},
		{[]string{good, filepath.Join(examplesDir, "formula_nps.yaml")}, []string{"formula model"}},
		{[]string{good, good, "--tolerance", "0.01"}, []string{"--tolerance is not available in batch"}},
		{[]string{good, "--shard", "0/2"}, []string{"--shard is not available in batch"}},
	} {
		o := filepath.Join(dir, "out")
		code, _, stderr := runMain(t, append(append([]string{"batch"}, c.args...), "-n", "100", "-o", o)...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", c.args, code)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", c.args, w, stderr)
			}
		}
		if strings.Count(stderr, "did you mean") > 1 {
			t.Errorf("the same --set error reported more than once:\n%s", stderr)
		}
		if _, err := os.Stat(o); err == nil {
			t.Errorf("%v: the output folder was created", c.args)
		}
	}
}

func TestSlugs(t *testing.T) {
	for in, want := range map[string]string{
		"SaaS CRM, per-seat subscription": "saas-crm-per-seat-subscription",
		"Бизнес-кейс: щедрый вариант №2":  "biznes-keys-shchedryy-variant-2",
		"  --Ёлка & Co.  ":                "elka-co",
		"日本語":                             "",
		"":                                "",
		strings.Repeat("abcdefghij ", 10): "abcdefghij-abcdefghij-abcdefghij-abcdefghij",
		strings.Repeat("x", 70):           strings.Repeat("x", 48),
	} {
		if got := slugify(in); got != want {
			t.Errorf("slugify(%q) = %q, want %q", in, got, want)
		}
	}
	files := []string{"dir/a.yaml", "other/a.yaml", "x/Тест.yaml", "y/日本.yaml", "z/same.yaml"}
	names := []string{"", "", "", "", "A"}
	var scen []*model.Scenario
	for _, n := range names {
		scen = append(scen, &model.Scenario{Name: n})
	}
	got := batchSlugs(files, scen)
	want := []string{"a", "a-2", "test", "scenario", "a-3"}
	if !slices.Equal(got, want) {
		t.Errorf("batchSlugs = %q, want %q", got, want)
	}
}
