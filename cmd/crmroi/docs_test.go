package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/internal/checks"
	"github.com/crmroi/crmroi/model"
)

// specParams reads every parameter of spec/model.md's section 1: the names
// in the first column of its tables, with their section, and the paths
// named in its correlations and TEI list.
func specParams(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(checks.Spec(t, "model.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start, end := strings.Index(text, "## 1. Parameters"), strings.Index(text, "## 2.")
	if start < 0 || end < start {
		t.Fatal("model.md: no section 1")
	}
	row := regexp.MustCompile("^\\| `([a-z_]+)` \\|")
	heading := regexp.MustCompile(`^### ([a-z]+)\b`)
	var params []string
	section := ""
	for _, line := range strings.Split(text[start:end], "\n") {
		if m := heading.FindStringSubmatch(line); m != nil {
			section = m[1]
			if section == "settings" || section == "correlations" {
				section = ""
			}
			continue
		}
		if strings.HasPrefix(line, "### Settings") {
			section = ""
		}
		if m := row.FindStringSubmatch(line); m != nil {
			p := m[1]
			if section != "" {
				p = section + "." + p
			}
			params = append(params, p)
		}
	}
	for _, p := range regexp.MustCompile("`((?:tei|costs)\\.[a-z_]+)`").FindAllStringSubmatch(text[start:end], -1) {
		params = append(params, p[1])
	}
	if len(params) < 30 {
		t.Fatalf("model.md: only %d parameters found: %v", len(params), params)
	}
	return append(params, "correlations")
}

// TestMethodologyCoversEveryParameter: docs/methodology.md and its Russian
// version name every parameter of model.md (and of the model's own tables),
// and each chart's section, which report.html names, exists in both.
func TestMethodologyCoversEveryParameter(t *testing.T) {
	params := append(specParams(t), model.ParamPaths()...)
	for _, doc := range []string{"methodology.md", "methodology.ru.md"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "docs", doc))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		for _, p := range params {
			if p == "name" { // the scenario's name is no parameter of the model
				continue
			}
			if !strings.Contains(text, "`"+p+"`") {
				t.Errorf("%s does not name `%s`", doc, p)
			}
		}
		for chart, sec := range map[string]string{"npv_hist": "5.2", "npv_cdf": "5.3", "cashflow_fan": "5.4", "payback_hist": "5.5", "tornado": "5.6"} {
			if !regexp.MustCompile(`(?m)^### ` + regexp.QuoteMeta(sec) + ` .*` + "`" + chart + "`").MatchString(text) {
				t.Errorf("%s: no section %s on %s", doc, sec, chart)
			}
		}
	}
}
