package out

import (
	"bytes"
	"encoding/base64"
	"html"
	"image/png"
	"regexp"
	"strings"
	"testing"
)

// refRe finds every src= and href= value, quoted or not.
var refRe = regexp.MustCompile(`(?i)\b(src|href)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)

func TestReportSelfContained(t *testing.T) {
	for _, lang := range Langs {
		run := fixtureRun(t, "Внедрение CRM <b>&</b>")
		charts, err := RenderCharts(run, lang, "png")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteReport(&b, run, lang, charts); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		low := strings.ToLower(page)
		for _, bad := range []string{"http:", "https:", "@import", "url(", "<script", "<link", "<iframe"} {
			if strings.Contains(low, bad) {
				t.Errorf("%s: report contains %q", lang, bad)
			}
		}
		refs := refRe.FindAllStringSubmatch(page, -1)
		imgs := 0
		for _, m := range refs {
			v := html.UnescapeString(strings.Trim(m[2], `"'`))
			if !strings.HasPrefix(v, "data:image/png;base64,") {
				t.Errorf("%s: %s=%.60q points outside the file", lang, m[1], v)
				continue
			}
			data, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(v, "data:image/png;base64,"))
			if err != nil {
				t.Errorf("%s: bad base64: %v", lang, err)
				continue
			}
			if _, err := png.Decode(bytes.NewReader(data)); err != nil {
				t.Errorf("%s: embedded image does not decode: %v", lang, err)
			}
			imgs++
		}
		if imgs != len(ChartNames) {
			t.Errorf("%s: %d embedded images, want %d", lang, imgs, len(ChartNames))
		}
		for _, want := range []string{run.Scenario.SHA256(), "Внедрение CRM &lt;b&gt;&amp;&lt;/b&gt;", "pert(0.15, 0.25, 0.4)",
			"costs.overrun", "crmroi test", "@media print", "company.margin"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: report lacks %q", lang, want)
			}
		}
	}
}

func TestReportRussianNumbers(t *testing.T) {
	run := fixtureRun(t, "x")
	var b bytes.Buffer
	if err := WriteReport(&b, run, Russian, nil); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{`lang="ru"`, "28\u00a0600\u00a0000", "Ключевые показатели", "Для аудита"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestTableEnglishUnchangedRussian(t *testing.T) {
	run := fixtureRun(t, "Тест")
	var en, ru bytes.Buffer
	if err := WriteTable(&en, run, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"NPV, RUB", "P(loss)", "Outcomes:", "28,600,000", "Top drivers", "20,000 iterations"} {
		if !strings.Contains(en.String(), want) {
			t.Errorf("English table lacks %q:\n%s", want, en.String())
		}
	}
	if err := WriteTableLang(&ru, run, nil, Russian); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"NPV, RUB", "P(убытка)", "Исходы:", "28\u00a0600\u00a0000", "Главные факторы", "20\u00a0000 итераций", "Срок окупаемости, мес."} {
		if !strings.Contains(ru.String(), want) {
			t.Errorf("Russian table lacks %q:\n%s", want, ru.String())
		}
	}
}

// TestReportPrintBreaks: in print, no heading is left alone at the foot of a
// page ("Uncertain and fixed inputs" was, its table kept whole on the next):
// h2 and h3 avoid a break after them, and every table longer than a dozen
// rows may break between rows (class long, its head repeated), so that it
// starts under its heading. (Checked by printing to PDF with headless
// Chromium: the heading now heads its table on page 7 of 8.)
func TestReportPrintBreaks(t *testing.T) {
	run := fixtureRun(t, "print")
	var b bytes.Buffer
	if err := WriteReport(&b, run, English, nil); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	css := page[strings.Index(page, "@media print"):strings.Index(page, "</style>")]
	for _, rule := range []string{"h2 { break-after: avoid", "h3 { break-after: avoid", "table.long { break-inside: auto", "table.long tr { break-inside: avoid"} {
		if !strings.Contains(css, rule) {
			t.Errorf("the print style lacks %q", rule)
		}
	}
	tables := regexp.MustCompile(`(?s)<table([^>]*)>(.*?)</table>`).FindAllStringSubmatch(page, -1)
	long := 0
	for _, m := range tables {
		if rows := strings.Count(m[2], "<tr"); rows > 12 {
			long++
			if !strings.Contains(m[1], "long") {
				t.Errorf("a table of %d rows is kept whole in print: <table%s>", rows, m[1])
			}
		}
	}
	if long == 0 {
		t.Error("no long table to check")
	}
}
