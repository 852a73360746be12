package out

import (
	"bytes"
	"html"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// TestReportLabelsRussian: in Russian the report names every built-in input
// and every driver by its label, with its path small under it, and gives its
// meaning and unit in Russian; in English the paths stay.
func TestReportLabelsRussian(t *testing.T) {
	run := fixtureRun(t, "x")
	var b bytes.Buffer
	if err := WriteReport(&b, run, Russian, nil); err != nil {
		t.Fatal(err)
	}
	page := html.UnescapeString(b.String())
	for _, in := range run.Scenario.Inputs {
		p, ok := model.InputParam(in.Path)
		if !ok {
			continue
		}
		want := p.Label.Ru + "<small><code class=\"path\">" + in.Path + "</code></small>"
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
		if !strings.Contains(page, p.DocRu) || strings.Contains(page, p.Doc) {
			t.Errorf("report: meaning of %s not in Russian (%q)", in.Path, p.DocRu)
		}
	}
	for _, tr := range run.Det.Tornado {
		if want := ">" + model.Label(tr.Input, "ru") + "<small>"; !strings.Contains(page, want) {
			t.Errorf("drivers lack %q", want)
		}
	}
	for _, bad := range []string{"money/month", "per year", "share of revenue"} {
		if strings.Contains(page, bad) {
			t.Errorf("Russian report shows unit %q", bad)
		}
	}
	if !strings.Contains(page, "₽/мес") {
		t.Errorf("Russian report lacks the unit ₽/мес")
	}
	b.Reset()
	if err := WriteReport(&b, run, English, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "<code class=\"path\">company.revenue</code>") || !strings.Contains(b.String(), "money/month") {
		t.Errorf("English report lost its paths or units")
	}
}
