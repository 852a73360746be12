package out

import (
	"bytes"
	"encoding/base64"
	"html"
	"image/png"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// longNames are scenario names of the length an analyst gives options.
var longNames = []string{
	"Облачная CRM по подписке (SaaS) для отдела продаж",
	"CRM коробка (on-premise), собственные серверы и лицензия навсегда",
	"Консервативный вариант: поэтапное внедрение с пилотом",
	"Розничная сеть, CRM программы лояльности",
	"Пилот с контрольной точкой «идти / не идти»",
	"Базовый бизнес-кейс CRM по умолчанию для ООО «Ромашка»",
}

// testComparison simulates n options of the default scenario with
// different seats and subscriptions, named after longNames.
func testComparison(t *testing.T, n int) *Comparison {
	t.Helper()
	var runs []*Run
	var npv [][]float64
	var slugs []string
	for i := 0; i < n; i++ {
		r := simRun(t, 2000, model.Set{Name: "seats", Value: []string{"30", "45", "20", "60", "25", "35"}[i], N: 1},
			model.Set{Name: "costs.subscription", Value: []string{"1500", "0", "2500", "1200", "1800", "1000"}[i], N: 2})
		r.Scenario.Name = longNames[i]
		runs = append(runs, r)
		npv = append(npv, r.Result.Values[0])
		slugs = append(slugs, "option-"+OptionKey(i))
	}
	c, err := NewComparison(runs, slugs, npv)
	if err != nil {
		t.Fatal(err)
	}
	c.Version = "test"
	return c
}

// latinWord finds words in Latin letters, two or more.
var latinWord = regexp.MustCompile(`[A-Za-z][A-Za-z'-]*[A-Za-z]`)

// russianAllowed are the Latin words a Russian page may show: proper
// names and the abbreviations finance writes in Latin letters in Russian too.
var russianAllowed = map[string]bool{"crmroi": true, "NPV": true, "ROI": true, "IRR": true, "TEI": true,
	"SHA": true, "Forrester": true, "RUB": true, "CRM": true}

// visibleText is the text of a page a reader sees, without the style sheet,
// tags (so attributes and embedded images), code (paths and file names) and
// the given names (what the analyst wrote).
func visibleText(page string, names []string) string {
	for _, re := range []string{`(?s)<style>.*?</style>`, `(?s)<code>.*?</code>`, `(?s)<[^>]*>`} {
		page = regexp.MustCompile(re).ReplaceAllString(page, " ")
	}
	page = html.UnescapeString(page)
	for _, n := range names {
		page = strings.ReplaceAll(page, n, " ")
	}
	return page
}

// englishWords are the Latin words of text that russianAllowed does not allow.
func englishWords(text string) []string {
	var bad []string
	for _, w := range latinWord.FindAllString(text, -1) {
		if !russianAllowed[w] {
			bad = append(bad, w)
		}
	}
	return bad
}

func TestComparisonReport(t *testing.T) {
	c := testComparison(t, 3)
	for _, l := range Langs {
		charts, err := RenderComparisonCharts(c, l, "svg")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteComparisonReport(&b, c, l, charts); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		low := strings.ToLower(page)
		for _, bad := range []string{"http:", "https:", "@import", "url(", "<script", "<link", "<iframe"} {
			if strings.Contains(low, bad) {
				t.Errorf("%s: report contains %q", l, bad)
			}
		}
		// Every image is an embedded PNG; every link is an option's own report.
		links := map[string]int{}
		imgs := 0
		for _, m := range refRe.FindAllStringSubmatch(page, -1) {
			v := html.UnescapeString(strings.Trim(m[2], `"'`))
			if strings.EqualFold(m[1], "href") {
				links[v]++
				continue
			}
			data, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(v, "data:image/png;base64,"))
			if !strings.HasPrefix(v, "data:image/png;base64,") || err != nil {
				t.Errorf("%s: src=%.60q is not an embedded PNG", l, v)
				continue
			}
			if _, err := png.Decode(bytes.NewReader(data)); err != nil {
				t.Errorf("%s: embedded image does not decode: %v", l, err)
			}
			imgs++
		}
		if imgs != len(ComparisonChartNames) {
			t.Errorf("%s: %d images, want %d", l, imgs, len(ComparisonChartNames))
		}
		for _, slug := range c.Slugs {
			if links[slug+"/report.html"] == 0 {
				t.Errorf("%s: no link to %s/report.html", l, slug)
			}
			delete(links, slug+"/report.html")
		}
		if len(links) > 0 {
			t.Errorf("%s: links elsewhere: %v", l, links)
		}
		for _, want := range []string{l.T("Options side by side"), l.T("Which option is ahead, iteration by iteration"),
			l.T("Why the options can be compared iteration by iteration"), l.T("Charts"), l.T("The options"), l.T("Audit trail"),
			"@media print", c.Runs[0].Scenario.SHA256()} {
			if !strings.Contains(page, html.EscapeString(want)) {
				t.Errorf("%s: report lacks %q", l, want)
			}
		}
		for _, name := range c.Labels {
			if !strings.Contains(page, html.EscapeString(name)) {
				t.Errorf("%s: report lacks the name %q", l, name)
			}
		}
		// The figures are the summary's, formatted as the run report formats them.
		v := buildComparisonReport(c, l, nil)
		row := func(heading, label string) []batchCell {
			in := false
			for _, r := range v.Rows {
				if r.Heading {
					in = r.Label == heading
				} else if in && r.Label == label {
					return r.Cells
				}
			}
			t.Fatalf("%s: no row %s / %s", l, heading, label)
			return nil
		}
		npvHead := l.T("NPV") + ", " + c.Runs[0].Scenario.Currency
		p50, mean, loss := row(npvHead, "P50"), row(npvHead, l.T("Mean")), row(l.T("Probabilities"), l.T("P(loss)"))
		for i, r := range c.Runs {
			m := r.Result.Metrics[0]
			if want := typoMinus(l.Money(m.Pct[pctP50])); p50[i].Text != want {
				t.Errorf("%s: option %d P50 NPV %q, summary %q", l, i, p50[i].Text, want)
			}
			if want := typoMinus(l.Money(m.Mean)); mean[i].Text != want {
				t.Errorf("%s: option %d mean NPV %q, summary %q", l, i, mean[i].Text, want)
			}
			if want := l.Percent(lossProb(r.Result)); loss[i].Text != want {
				t.Errorf("%s: option %d P(loss) %q, summary %q", l, i, loss[i].Text, want)
			}
			for _, cell := range []batchCell{p50[i], loss[i]} {
				if !strings.Contains(page, html.EscapeString(cell.Text)) {
					t.Errorf("%s: page lacks %q", l, cell.Text)
				}
			}
		}
		if len(v.Pairs) != len(c.Pairs) {
			t.Fatalf("%s: %d pairs, want %d", l, len(v.Pairs), len(c.Pairs))
		}
		for k, p := range c.Pairs {
			if got, want := v.Pairs[k].Cells[0], l.Percent(p.ProbAGreater); got != want {
				t.Errorf("%s: pair %d P(A beats B) %q, want %q", l, k, got, want)
			}
			if !strings.Contains(page, html.EscapeString(v.Pairs[k].Sentence)) {
				t.Errorf("%s: page lacks %q", l, v.Pairs[k].Sentence)
			}
		}
		if l == Russian {
			if bad := englishWords(visibleText(page, c.Labels)); len(bad) > 0 {
				t.Errorf("ru: English words in the batch report: %q", bad)
			}
		}
	}
}

// TestEnglishWordsCheck checks the check of the Russian report: it finds an
// English word, and passes what is allowed.
func TestEnglishWordsCheck(t *testing.T) {
	text := visibleText(`<style>body{font:Arial}</style><p>NPV <b>выше</b> <code>option-a/report.html</code> Option Ромашка CRM</p>`, []string{"Ромашка"})
	if bad := englishWords(text); len(bad) != 1 || bad[0] != "Option" {
		t.Errorf("englishWords = %q, want [Option]", bad)
	}
}

func TestMarkBest(t *testing.T) {
	for _, tc := range []struct {
		vals   []float64
		higher bool
		want   int
	}{
		{[]float64{1, 3, 2}, true, 1},
		{[]float64{1, 3, 2}, false, 0},
		{[]float64{3, 3, 2}, true, -1}, // a tie
		{[]float64{4, math.Inf(1), 2, math.NaN()}, false, 2},
		{[]float64{5}, true, -1},
	} {
		cells := make([]batchCell, len(tc.vals))
		markBest(cells, tc.vals, tc.higher)
		got := -1
		for i, c := range cells {
			if c.Best {
				got = i
			}
		}
		if got != tc.want {
			t.Errorf("markBest(%v, %v) marks %d, want %d", tc.vals, tc.higher, got, tc.want)
		}
	}
}

func TestOptionKey(t *testing.T) {
	for i, want := range map[int]string{0: "A", 1: "B", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA"} {
		if got := OptionKey(i); got != want {
			t.Errorf("OptionKey(%d) = %q, want %q", i, got, want)
		}
	}
}
