package out

import (
	"bytes"
	"compress/zlib"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// pageRun simulates the default scenario with the overrides, its plan
// case and tornado analysed as run analyses them.
func pageRun(t *testing.T, n int, sets ...model.Set) *Run {
	t.Helper()
	run := simRun(t, n, sets...)
	det, err := model.Analyze(run.Scenario, model.Compile(run.Scenario))
	if err != nil {
		t.Fatal(err)
	}
	run.Det = det
	return run
}

// renderPage builds and renders run's page in l.
func renderPage(t *testing.T, run *Run, l Lang) (*onePage, []byte, *pdfCanvas) {
	t.Helper()
	p, err := runOnePage(run, l)
	if err != nil {
		t.Fatal(err)
	}
	data, c, err := p.render()
	if err != nil {
		t.Fatal(err)
	}
	return p, data, c
}

var (
	pageObjRE  = regexp.MustCompile(`/Type /Page\b[^s]`)
	mediaBoxRE = regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`)
)

// checkOneA4Landscape checks, from the bytes, that data is a PDF of one
// page whose MediaBox is A4 landscape (841.89 × 595.28 pt) and whose fonts
// are embedded.
func checkOneA4Landscape(t *testing.T, data []byte) {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.Contains(data, []byte("%%EOF")) {
		t.Fatal("not a PDF")
	}
	if n := len(pageObjRE.FindAll(data, -1)); n != 1 {
		t.Errorf("%d pages, want 1", n)
	}
	m := mediaBoxRE.FindAllSubmatch(data, -1)
	if len(m) == 0 {
		t.Fatal("no MediaBox")
	}
	for _, b := range m {
		if string(b[1]) != "841.89" || string(b[2]) != "595.28" {
			t.Errorf("MediaBox %s × %s, want A4 landscape 841.89 × 595.28", b[1], b[2])
		}
	}
	if fonts := bytes.Count(data, []byte("/FontFile2")); fonts != 2 {
		t.Errorf("%d embedded TrueType fonts, want 2 (regular and bold)", fonts)
	}
	if bytes.Contains(data, []byte("/BaseFont /Helvetica")) || bytes.Contains(data, []byte("/BaseFont /Arial")) {
		t.Error("a font that is not embedded is used")
	}
}

func TestSummaryPDFOnePageA4(t *testing.T) {
	run := pageRun(t, 4096)
	for _, l := range Langs {
		_, data, c := renderPage(t, run, l)
		checkOneA4Landscape(t, data)
		if len(c.texts) < 50 {
			t.Errorf("%s: only %d strings drawn", l, len(c.texts))
		}
		// Nothing drawn on the page itself reaches beyond it.
		for _, pt := range c.placed {
			if pt.x0 < -0.01 || pt.x1 > pageWidth+0.01 {
				t.Errorf("%s: %q lies at %.1f…%.1f pt, outside the page", l, pt.s, pt.x0, pt.x1)
			}
		}
	}
	assertTranslated(t)
}

// TestSummaryPDFDeterministic: the same run gives the same bytes, and
// another run other bytes (the file is not a constant).
func TestSummaryPDFDeterministic(t *testing.T) {
	run := pageRun(t, 4096)
	_, a, _ := renderPage(t, run, Russian)
	_, b, _ := renderPage(t, run, Russian)
	if !bytes.Equal(a, b) {
		t.Error("two renderings of the same run differ")
	}
	var buf bytes.Buffer
	if err := WriteSummaryPDF(&buf, run, Russian); err != nil || !bytes.Equal(buf.Bytes(), a) {
		t.Errorf("WriteSummaryPDF differs from the page's rendering (%v)", err)
	}
	_, c, _ := renderPage(t, pageRun(t, 4096, model.Set{Name: "company.margin", Value: "0.3"}), Russian)
	if bytes.Equal(a, c) {
		t.Error("runs of different scenarios give the same PDF")
	}
}

// TestSummaryPDFSentenceNumbers: the sentences' figures are the summary's,
// formatted as the page's table formats them.
func TestSummaryPDFSentenceNumbers(t *testing.T) {
	run := pageRun(t, 4096)
	tab := NewSummaryTable(run)
	npv := rowNamed(tab, "npv")
	cur := run.Scenario.Currency
	for _, l := range Langs {
		p, _, c := renderPage(t, run, l)
		if len(p.sentences) != 3 {
			t.Fatalf("%s: %d sentences, want 3", l, len(p.sentences))
		}
		s1, s2, s3 := p.sentences[0], p.sentences[1], p.sentences[2]
		for _, want := range []string{l.Percent(tab.Prob("prob_within_24")), l.Percent(tab.Prob("prob_not_reached")), l.monthsWord(24), l.horizonWord(36)} {
			if !strings.Contains(s1, want) {
				t.Errorf("%s: sentence 1 lacks %q: %s", l, want, s1)
			}
		}
		for _, want := range []string{l.MoneyCompact(npv.Stats.Pct[pctP5], cur), l.MoneyCompact(npv.Stats.Pct[pctP95], cur),
			l.MoneyCompact(npv.Stats.Pct[pctP50], cur), l.MoneyCompact(run.Det.Plan.NPV, cur), l.Percent(tab.Prob(model.ProbNegative))} {
			if !strings.Contains(s2, want) {
				t.Errorf("%s: sentence 2 lacks %q: %s", l, want, s2)
			}
		}
		top := run.Det.Tornado[0]
		lab, _ := model.LabelOf(top.Input)
		for _, want := range []string{lab.In(string(l)), l.MoneyCompact(top.NPVHigh, cur), l.MoneyCompact(top.NPVLow, cur)} {
			if !strings.Contains(s3, want) {
				t.Errorf("%s: sentence 3 lacks %q: %s", l, want, s3)
			}
		}
		// The card beside the table and the sentence give the same P(loss).
		if p.cards[0].value != l.Percent(tab.Prob(model.ProbNegative)) {
			t.Errorf("%s: card %q", l, p.cards[0].value)
		}
		drawn := strings.Join(c.texts, "\n")
		for _, s := range p.sentences {
			for _, w := range strings.Fields(s)[:3] {
				if !strings.Contains(drawn, w) {
					t.Errorf("%s: %q of a sentence is not drawn", l, w)
				}
			}
		}
	}
}

// TestPaybackSentenceEdges: a horizon under 24 months names 12; one under
// 12 the horizon; a certain or impossible payback reads as such.
func TestPaybackSentenceEdges(t *testing.T) {
	f := &pageFigures{cur: "RUB", horizon: 18, paybackMonths: 12, probPayback: 1}
	s := runSentences(f, English)[0]
	if s != "In every simulated future the project pays back within 12 months." {
		t.Error(s)
	}
	f = &pageFigures{cur: "RUB", horizon: 9, probPayback: 0, probNoPay: 1}
	if s := runSentences(f, Russian)[0]; s != "Ни в одном смоделированном варианте будущего проект не окупается за горизонт в 9\u00a0месяцев." {
		t.Error(s)
	}
	run := pageRun(t, 2048, model.Set{Name: "horizon_months", Value: "18"})
	fig, err := figuresOf(run)
	if err != nil {
		t.Fatal(err)
	}
	if fig.paybackMonths != 12 || fig.probPayback != NewSummaryTable(run).Prob("prob_within_12") {
		t.Errorf("horizon 18: payback within %d months, %v", fig.paybackMonths, fig.probPayback)
	}
}

func TestRuPlural(t *testing.T) {
	want := map[int]string{0: "месяцев", 1: "месяц", 2: "месяца", 4: "месяца", 5: "месяцев", 11: "месяцев", 12: "месяцев",
		14: "месяцев", 21: "месяц", 22: "месяца", 24: "месяца", 25: "месяцев", 36: "месяцев", 101: "месяц", 111: "месяцев", 112: "месяцев"}
	for n, w := range want {
		if got := ruPlural(n, "месяц", "месяца", "месяцев"); got != w {
			t.Errorf("%d: %s, want %s", n, got, w)
		}
	}
}

// latinRun is a run of Latin letters (a word of English, an abbreviation,
// a path's part).
var latinRun = regexp.MustCompile(`[A-Za-z]+`)

// allowedLatin are the Latin words a Russian page may show: the finance
// abbreviations a Russian reader uses (NPV, P5…), the tool's name and the
// names of its files.
var allowedLatin = map[string]bool{"NPV": true, "P": true, "crmroi": true, "SHA": true, "report": true, "html": true,
	"summary": true, "json": true, "dev": true}

// checkNoEnglish reports every Latin word of texts not allowed and not
// part of one of the names (what the analyst named, paths).
func checkNoEnglish(t *testing.T, texts []string, names ...string) {
	t.Helper()
	named := map[string]bool{}
	for _, n := range names {
		for _, w := range latinRun.FindAllString(n, -1) {
			named[w] = true
		}
	}
	for _, s := range texts {
		for _, w := range latinRun.FindAllString(s, -1) {
			// A name cut short ends in a part of one of its words.
			// A single capital is an option's key (A, B…, as the comparison
			// charts and batch's report.html call the options), not a word.
			optionKey := len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z'
			if !allowedLatin[w] && !named[w] && !optionKey && !(strings.Contains(s, w+"…") && namedPrefix(named, w)) {
				t.Errorf("English word %q in %q", w, s)
			}
		}
	}
}

// TestSummaryPDFRussianNoEnglish: with --lang ru every string drawn on the
// page (charts included) is Russian but for the allowed abbreviations, the
// scenario's name, its file and the version; a long Cyrillic name and a
// long custom input stay within the page.
func TestSummaryPDFRussianNoEnglish(t *testing.T) {
	run := pageRun(t, 4096)
	_, data, c := renderPage(t, run, Russian)
	s := run.Scenario
	checkNoEnglish(t, c.texts, s.Title(), s.File, run.Version, s.SHA256()[:16])
	// The text of the PDF itself, decompressed, has the same words: the
	// strings are written as glyph ids, so check the recorded ones reached
	// the page by their count of text-showing operators.
	shown := 0
	for _, st := range pdfStreams(t, data) {
		shown += bytes.Count(st, []byte(") Tj")) + bytes.Count(st, []byte("> Tj"))
	}
	if shown != len(c.texts) {
		t.Errorf("%d strings shown in the PDF, %d drawn", shown, len(c.texts))
	}

	long := strings.Repeat("Внедрение системы управления взаимоотношениями с клиентами ", 5)
	run = pageRun(t, 4096, model.Set{Name: "name", Value: long})
	_, _, c = renderPage(t, run, Russian)
	for _, pt := range c.placed {
		if pt.x0 < -0.01 || pt.x1 > pageWidth+0.01 {
			t.Errorf("%q lies at %.1f…%.1f pt, outside the page", pt.s, pt.x0, pt.x1)
		}
	}
	if !strings.Contains(strings.Join(c.texts, "\n"), "…") {
		t.Error("a name too long for the title is not cut")
	}
}

// namedPrefix reports whether w begins a word of named.
func namedPrefix(named map[string]bool, w string) bool {
	for n := range named {
		if strings.HasPrefix(n, w) {
			return true
		}
	}
	return false
}

// pdfStreams returns every stream of a PDF, inflated where it is deflated.
func pdfStreams(t *testing.T, data []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for {
		i := bytes.Index(data, []byte("stream\n"))
		if i < 0 {
			return out
		}
		data = data[i+len("stream\n"):]
		j := bytes.Index(data, []byte("\nendstream"))
		if j < 0 {
			return out
		}
		raw := data[:j]
		data = data[j:]
		r, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			out = append(out, raw)
			continue
		}
		b, err := io.ReadAll(r)
		if err == nil {
			out = append(out, b)
		}
	}
}

// TestSummaryPDFValueOfInformation: with a VOI the page says what knowing
// the input of largest EVPPI is worth, with its figure; without, nothing.
func TestSummaryPDFValueOfInformation(t *testing.T) {
	run := pageRun(t, 4096)
	p, _, _ := renderPage(t, run, English)
	if p.voi != "" {
		t.Errorf("a VOI line without a VOI: %s", p.voi)
	}
	run.VOI = &sim.VOI{EVPI: sim.EVPI{Value: 2.5e6}, Inputs: []sim.VOIFactor{{Name: "company.churn", EVPPI: sim.EVPPI{Value: 3e5}}, {Name: "company.margin", EVPPI: sim.EVPPI{Value: 1.2e6}}}}
	for _, l := range Langs {
		p, _, c := renderPage(t, run, l)
		for _, want := range []string{l.MoneyCompact(1.2e6, "RUB"), l.MoneyCompact(2.5e6, "RUB"), model.Label("company.margin", string(l))} {
			if !strings.Contains(p.voi, want) {
				t.Errorf("%s: the VOI line lacks %q: %s", l, want, p.voi)
			}
		}
		if !strings.Contains(strings.Join(c.texts, " "), strings.Fields(p.voi)[0]) {
			t.Errorf("%s: the VOI line is not drawn", l)
		}
		if l == Russian {
			checkNoEnglish(t, []string{p.voi})
		}
	}
	// run --sensitivity carries it in the sensitivity result.
	v := run.VOI
	run.VOI, run.Sensitivity = nil, &sim.Sensitivity{VOI: v}
	if p, _, _ := renderPage(t, run, English); !strings.Contains(p.voi, "1.20M") {
		t.Errorf("the sensitivity's VOI is not shown: %q", p.voi)
	}
	run.Sensitivity = nil
	run.VOI = &sim.VOI{EVPI: sim.EVPI{Value: 0}, Inputs: []sim.VOIFactor{{Name: "company.margin", EVPPI: sim.EVPPI{Value: 0}}}}
	if p, _, _ := renderPage(t, run, English); !strings.HasPrefix(p.voi, "Perfect information") {
		t.Errorf("no factor worth anything: %s", p.voi)
	}
}

// TestComparisonPDF: batch's page is one A4 landscape page with a row per
// option, P(A beats B) from the pairs, and Russian words only in Russian.
func TestComparisonPDF(t *testing.T) {
	a := pageRun(t, 4096)
	b := pageRun(t, 4096, model.Set{Name: "name", Value: "Вариант подешевле"}, model.Set{Name: "costs.one_off", Value: "1e6"})
	cmp, err := NewComparison([]*Run{a, b}, []string{"a", "b"}, [][]float64{a.Result.Values[0], b.Result.Values[0]})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range Langs {
		p, err := comparisonOnePage(cmp, l)
		if err != nil {
			t.Fatal(err)
		}
		data, c, err := p.render()
		if err != nil {
			t.Fatal(err)
		}
		checkOneA4Landscape(t, data)
		if len(p.rows) != 2 || len(p.sentences) != 3 {
			t.Fatalf("%s: %d rows, %d sentences", l, len(p.rows), len(p.sentences))
		}
		// The cheaper option leads; it beats the other in the pair's share.
		pr := cmp.Pairs[0]
		if want := l.Percent(pr.ProbBGreater); !strings.Contains(p.sentences[1], want) {
			t.Errorf("%s: sentence 2 lacks P(B > A) %s: %s", l, want, p.sentences[1])
		}
		if !strings.Contains(p.sentences[0], cmp.Labels[1]) {
			t.Errorf("%s: sentence 1 does not lead with %q: %s", l, cmp.Labels[1], p.sentences[0])
		}
		for _, pt := range c.placed {
			if pt.x0 < -0.01 || pt.x1 > pageWidth+0.01 {
				t.Errorf("%s: %q lies outside the page", l, pt.s)
			}
		}
		if l == Russian {
			checkNoEnglish(t, c.texts, cmp.Labels[0], cmp.Labels[1], cmp.Version)
		}
	}
	if math.IsNaN(beats(cmp, 1, 0)) || beats(cmp, 1, 0) != cmp.Pairs[0].ProbBGreater {
		t.Error("beats(1, 0) is not the pair's P(B > A)")
	}
	assertTranslated(t)
}
