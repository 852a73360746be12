package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The environment's locale would turn every message Russian (as it does
// help); the tests choose their language with --lang or t.Setenv.
func init() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		os.Unsetenv(v)
	}
}

// TestErrorsRussian: the common mistakes are reported in English, and in
// Russian with --lang ru or under a Russian locale, with the same place
// (file:line:col), parameter path and exit code.
func TestErrorsRussian(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	aFile := write("a-file", "x")
	taken := filepath.Join(dir, "taken")
	if err := os.MkdirAll(taken, 0o755); err != nil {
		t.Fatal(err)
	}
	write("taken/report.html", "mine")
	cases := []struct {
		name   string
		args   []string
		code   int
		en, ru []string // substrings of stderr
	}{
		{"unknown parameter", []string{"validate", write("p.yaml", edit(t, "  margin:", "  margn:"))}, 2,
			[]string{"p.yaml:30:3: company.margn: unknown parameter of company (did you mean margin?)"},
			[]string{"p.yaml:30:3: company.margn: в разделе company нет параметра «margn» (может быть, margin?)"}},
		{"unknown setting", []string{"validate", write("s.yaml", "horizn_months: 36\n"+defaultText())}, 2,
			[]string{"s.yaml:1:1: horizn_months: unknown setting or section (did you mean horizon_months?)"},
			[]string{"s.yaml:1:1: horizn_months: неизвестное имя «horizn_months»: это не настройка, не раздел и не параметр (может быть, horizon_months?)"}},
		{"value out of range", []string{"validate", write("r.yaml", edit(t, "churn: pert(0.15, 0.25, 0.40)", "churn: 25"))}, 2,
			[]string{"r.yaml:33:10: company.churn: must lie in [0, 1] (per year), got 25; did you mean 25% (0.25)?"},
			[]string{"r.yaml:33:10: company.churn: значение должно лежать в [0, 1] (в год), получено 25; может быть, имелось в виду 25% (0.25)?"}},
		{"distribution outside its domain", []string{"validate", write("d.yaml", edit(t, "max: pert(0.5, 0.8, 0.95)", "max: pert(0.5, 0.8, 1.5)"))}, 2,
			[]string{"d.yaml:45:8: adoption.max: pert(0.5, 0.8, 1.5) puts", "of its mass above 1, outside [0, 1]"},
			[]string{"d.yaml:45:8: adoption.max: pert(0.5, 0.8, 1.5): ", "вероятности", "выше границы допустимой области [0, 1]"}},
		{"bad distribution", []string{"validate", write("b.yaml", edit(t, "margin: pert(0.15, 0.25, 0.40)", "margin: pert(0.15, 0.25)"))}, 2,
			[]string{"b.yaml:30:11: company.margin: "},
			[]string{"b.yaml:30:11: company.margin: ошибка в выражении распределения: "}},
		{"YAML syntax", []string{"validate", write("y.yaml", "name: [unclosed\n")}, 2,
			[]string{"y.yaml:", "YAML syntax"},
			[]string{"y.yaml:", "ошибка синтаксиса YAML"}},
		{"missing file", []string{"run", filepath.Join(dir, "nowhere.yaml"), "-o", filepath.Join(dir, "o1")}, 2,
			[]string{"nowhere.yaml: ", "no such file"},
			[]string{"nowhere.yaml: файл не найден"}},
		{"bad flag value", []string{"run", "-n", "many", "-o", filepath.Join(dir, "o2")}, 2,
			[]string{`crmroi: run: invalid argument "many" for "-n, --iterations" flag`},
			[]string{`crmroi: run: неверное значение "many" флага --iterations (см. 'crmroi run -h')`}},
		{"unknown flag", []string{"run", "--iteratons", "5"}, 2,
			[]string{"crmroi: run: unknown flag: --iteratons"},
			[]string{"crmroi: run: неизвестный флаг --iteratons"}},
		{"bad sampling", []string{"run", "--sampling", "random", "-o", filepath.Join(dir, "o3")}, 2,
			[]string{`crmroi: --sampling must be mc, lhs or sobol, got "random"`},
			[]string{`crmroi: --sampling: допустимы mc, lhs или sobol, получено "random"`}},
		{"bad --set", []string{"run", "--set", "costs.one_off", "-o", filepath.Join(dir, "o4")}, 2,
			[]string{`--set:1:1: expected NAME=VALUE, got "costs.one_off"`},
			[]string{`--set:1:1: нужно ИМЯ=ЗНАЧЕНИЕ, получено "costs.one_off"`}},
		{"unknown --set", []string{"run", "--set", "costs.onoff=5", "-o", filepath.Join(dir, "o5")}, 2,
			[]string{"--set:1:1: costs.onoff: unknown parameter (did you mean costs.one_off?)"},
			[]string{"--set:1:1: costs.onoff: неизвестное имя «costs.onoff»: это не настройка, не раздел и не параметр (может быть, costs.one_off?)"}},
		{"output folder is a file", []string{"run", "-n", "100", "-q", "-o", aFile}, 1,
			[]string{"crmroi: cannot use " + aFile + " as the output folder: it is a file, not a folder"},
			[]string{"crmroi: нельзя записать результаты в " + aFile + ": это файл, а не папка"}},
		{"output folder holds other files", []string{"run", "-n", "100", "-q", "-o", taken}, 2,
			[]string{"crmroi: " + taken + " already holds report.html, not written by crmroi"},
			[]string{"crmroi: в папке " + taken + " уже есть report.html, записанные не crmroi"}},
	}
	for _, c := range cases {
		code, _, stderr := runMain(t, c.args...)
		if code != c.code {
			t.Errorf("%s: exit %d, want %d: %s", c.name, code, c.code, stderr)
		}
		for _, w := range c.en {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s in English: %q lacks %q", c.name, stderr, w)
			}
		}
		codeRu, _, stderrRu := runMain(t, append(append([]string{}, c.args...), "--lang", "ru")...)
		if codeRu != c.code {
			t.Errorf("%s --lang ru: exit %d, want %d: %s", c.name, codeRu, c.code, stderrRu)
		}
		for _, w := range c.ru {
			if !strings.Contains(stderrRu, w) {
				t.Errorf("%s in Russian: %q lacks %q", c.name, stderrRu, w)
			}
		}
	}
	// A Russian locale without --lang; --lang en wins over it.
	t.Setenv("LANG", "ru_RU.UTF-8")
	if _, _, stderr := runMain(t, "run", "--sampling", "random"); !strings.Contains(stderr, "допустимы mc, lhs или sobol") {
		t.Errorf("LANG=ru_RU: %q", stderr)
	}
	if _, _, stderr := runMain(t, "run", "--sampling", "random", "--lang", "en"); !strings.Contains(stderr, "must be mc, lhs or sobol") {
		t.Errorf("LANG=ru_RU --lang en: %q", stderr)
	}
}
