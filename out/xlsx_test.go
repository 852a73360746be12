package out

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
	"github.com/xuri/excelize/v2"
)

// simulatedRun runs s for real, keeping the outputs (as --xlsx does).
func simulatedRun(t *testing.T, s *model.Scenario, n int) *Run {
	t.Helper()
	m := model.Compile(s)
	det, err := model.Analyze(s, m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.RunModel(context.Background(), s, m, sim.Config{Iterations: n, Seed: 3, Workers: 2, KeepOutputs: true})
	if err != nil {
		t.Fatal(err)
	}
	return &Run{Scenario: s, Result: res, Det: det, Version: "test"}
}

// sheetRows reads a sheet's raw cell values (numbers unformatted).
func sheetRows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	return rows
}

// findRow returns the index of the first row whose first cell is first, after from.
func findRow(rows [][]string, first string, from int) int {
	for i := from; i < len(rows); i++ {
		if len(rows[i]) > 0 && rows[i][0] == first {
			return i
		}
	}
	return -1
}

func cellAt(row []string, j int) string {
	if j < len(row) {
		return row[j]
	}
	return ""
}

// sameNumber compares a cell with a JSON value: null is an empty cell, a
// number the same float64.
func sameNumber(t *testing.T, what, cell string, want any) {
	t.Helper()
	if want == nil {
		if cell != "" {
			t.Errorf("%s: cell %q, summary.json null", what, cell)
		}
		return
	}
	w, ok := want.(float64)
	if !ok {
		t.Errorf("%s: summary.json has %v", what, want)
		return
	}
	got, err := strconv.ParseFloat(cell, 64)
	if err != nil || got != w {
		t.Errorf("%s: cell %q, summary.json %v", what, cell, w)
	}
}

// TestSummaryXLSX opens summary.xlsx with excelize: its statistics, plan
// case, TEI row, outcome shares and bands equal summary.json's (and
// bands.csv's) exactly, they are number cells with number formats, and the
// workbook holds a native line chart of the bands and a column chart of the
// NPV histogram whose counts add up to the iterations.
func TestSummaryXLSX(t *testing.T) {
	run := simulatedRun(t, model.Default(), 20000)
	var js bytes.Buffer
	if err := WriteSummaryJSON(&js, run); err != nil {
		t.Fatal(err)
	}
	var sum map[string]any
	if err := json.Unmarshal(js.Bytes(), &sum); err != nil {
		t.Fatal(err)
	}
	for _, lang := range Langs {
		var xb bytes.Buffer
		if err := WriteSummaryXLSX(&xb, run, lang); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(xb.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		wantSheets := map[Lang]string{English: "Summary,Bands,Histogram,Tornado,Inputs", Russian: "Сводка,Полосы,Гистограмма,Торнадо,Параметры"}[lang]
		if got := f.GetSheetList(); strings.Join(got, ",") != wantSheets {
			t.Errorf("sheets %v", got)
		}
		sn := func(sh string) string { return SheetName(sh, lang) }
		rows := sheetRows(t, f, sn(SheetSummary))
		tbl := NewSummaryTable(run)
		// In Russian the headers are words and a row is named by its
		// output's label, its name in the last column: back to the keys.
		back := map[string]string{}
		for _, k := range append([]string{"metric", "n"}, tbl.Columns()...) {
			back[statHeaderRu(tbl, k)] = k
		}
		h := findRow(rows, xlsxHead(lang, "metric")[0], 0)
		if h < 0 {
			t.Fatal("no statistics table in Summary")
		}
		head := append([]string{}, rows[h]...)
		if lang == Russian {
			if head[len(head)-1] != xlsxPath {
				t.Errorf("statistics head %v has no path column", head)
			}
			for j, w := range head {
				head[j] = back[w]
			}
			head[len(head)-1] = "path"
		}
		metrics := sum["metrics"].(map[string]any)
		for k, name := range model.Outputs {
			row := rows[h+1+k]
			if lang == Russian && cellAt(row, len(head)-1) == name && row[0] == model.Label(name, "ru") {
				row[0] = name
			}
			if row[0] != name {
				t.Fatalf("statistics row %d is %q, want %s", k, row[0], name)
			}
			m := metrics[name].(map[string]any)
			for j, key := range head {
				if key == "metric" || key == "n" || key == "path" {
					continue
				}
				want, ok := m[key]
				if !ok {
					if key == "prob_negative" || strings.HasPrefix(key, "prob_") || key == "share_defined" || (name == "payback_months" && (key == "mean" || key == "sd" || key == "se_mean")) {
						if c := cellAt(row, j); c != "" {
							t.Errorf("%s.%s: cell %q where summary.json has none", name, key, c)
						}
						continue
					}
					t.Errorf("%s: summary.json has no %s", name, key)
					continue
				}
				sameNumber(t, name+"."+key, cellAt(row, j), want)
			}
		}
		// Number cells with number formats: NPV's P50 and P(loss).
		for _, c := range []struct {
			col, fmtCode string
		}{{"L", fmtMoney}, {"Q", fmtPercent}} {
			cell := c.col + strconv.Itoa(h+2)
			typ, _ := f.GetCellType(sn(SheetSummary), cell)
			if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Errorf("%s is text, not a number", cell)
			}
			id, _ := f.GetCellStyle(sn(SheetSummary), cell)
			st, err := f.GetStyle(id)
			if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != c.fmtCode {
				t.Errorf("%s: number format %v, want %s", cell, st, c.fmtCode)
			}
		}
		plan := sum["plan"].(map[string]any)
		p := findRow(rows, xlsxHead(lang, "output")[0], h+1)
		for i, name := range model.Outputs {
			r := rows[p+1+i]
			if lang == Russian && cellAt(r, 2) == name {
				r[0] = name
			}
			if r[0] != name {
				t.Fatalf("plan row %d is %q, want %s", i, r[0], name)
			}
			sameNumber(t, "plan."+name, cellAt(r, 1), plan[name])
		}
		tei := sum["tei"].(map[string]any)
		ti := findRow(rows, xlsxHead(lang, "tei")[0], p+1)
		sameNumber(t, "tei.npv", cellAt(rows[ti+1], 1), tei["npv"])
		sameNumber(t, "tei.roi", cellAt(rows[ti+2], 1), tei["roi"])
		outc := sum["outcomes"].(map[string]any)
		oi := findRow(rows, xlsxHead(lang, "outcome")[0], ti)
		for i, o := range []string{"ok", "cancelled", "abandoned"} {
			sameNumber(t, "outcomes."+o, cellAt(rows[oi+1+i], 1), outc[o])
		}

		var bc bytes.Buffer
		if err := WriteBandsCSV(&bc, run); err != nil {
			t.Fatal(err)
		}
		want := strings.Split(strings.TrimSpace(bc.String()), "\n")
		bands := sheetRows(t, f, sn(SheetBands))
		if len(bands) != len(want) {
			t.Fatalf("Bands has %d rows, bands.csv %d", len(bands), len(want))
		}
		for i := range want {
			w := strings.Split(want[i], ",")
			if i == 0 {
				if got := strings.Join(bands[0], ","); got != strings.Join(xlsxHead(lang, strings.Split(want[0], ",")...), ",") {
					t.Errorf("Bands header %s, bands.csv %s", got, want[0])
				}
				continue
			}
			for j := range w {
				var wv any
				if x, err := strconv.ParseFloat(w[j], 64); err == nil {
					wv = x
				}
				sameNumber(t, "Bands "+strconv.Itoa(i)+":"+strconv.Itoa(j), cellAt(bands[i], j), wv)
			}
		}

		hist := sheetRows(t, f, sn(SheetHistogram))
		total := 0
		for _, r := range hist[1:] {
			c, err := strconv.Atoi(r[3])
			if err != nil {
				t.Fatalf("histogram count %q", r[3])
			}
			total += c
		}
		if total != run.Result.Iterations {
			t.Errorf("histogram counts add up to %d, want %d", total, run.Result.Iterations)
		}
		tor := sheetRows(t, f, sn(SheetTornado))
		if len(tor) != len(run.Det.Tornado)+1 || tor[1][0] != lang.Label(run.Det.Tornado[0].Input) ||
			(lang == Russian && (tor[1][0] == run.Det.Tornado[0].Input || cellAt(tor[1], 7) != run.Det.Tornado[0].Input)) {
			t.Errorf("Tornado sheet: %d rows, first %v", len(tor), tor[1])
		}
		sameNumber(t, "tornado swing", tor[1][6], run.Det.Tornado[0].Swing)
		in := sheetRows(t, f, sn(SheetInputs))
		for _, b := range model.Builtin {
			r := findRow(in, lang.Label(b.Path), 1)
			if lang == Russian && r >= 0 && (cellAt(in[r], 7) != b.Path || cellAt(in[r], 6) != b.DocRu || strings.Contains(in[r][1], "money")) {
				t.Errorf("Inputs %s in Russian: %v", b.Path, in[r])
			}
			if r < 0 {
				t.Errorf("Inputs has no %s", b.Path)
				continue
			}
			d := run.Scenario.Inputs[b.Index].Dist
			if in[r][2] != d.String() {
				t.Errorf("Inputs %s expression %q, want %q", b.Path, in[r][2], d.String())
			}
			sameNumber(t, b.Path+" plan", in[r][3], d.Plan())
			sameNumber(t, b.Path+" p10", in[r][4], d.Quantile(0.1))
			sameNumber(t, b.Path+" p90", in[r][5], d.Quantile(0.9))
		}
		checkCharts(t, xb.Bytes(), map[string]string{"lineChart": sn(SheetBands) + "!$B$2", "barChart": sn(SheetHistogram) + "!$E$2"})
		f.Close()
	}
}

// checkCharts opens the workbook as the zip it is and checks that a chart
// of each kind exists and draws from the range given.
func checkCharts(t *testing.T, data []byte, kinds map[string]string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var charts []string
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			rc, _ := zf.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			charts = append(charts, string(b))
		}
	}
	for kind, ref := range kinds {
		found := false
		for _, c := range charts {
			if strings.Contains(c, "<"+kind+">") && strings.Contains(strings.ReplaceAll(c, "&#39;", ""), ref) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s chart of %s among %d charts", kind, ref, len(charts))
		}
	}
}

// TestComparisonXLSX: comparison.xlsx holds comparison.csv's key figures as
// numbers and a native chart.
func TestComparisonXLSX(t *testing.T) {
	a := simulatedRun(t, model.Default(), 3000)
	s := model.Default()
	s.Name = "cheaper"
	s.Risks.Cancel = 0
	b := simulatedRun(t, s, 3000)
	c, err := NewComparison([]*Run{a, b}, []string{"default", "cheaper"}, [][]float64{a.Result.Values[0], b.Result.Values[0]})
	if err != nil {
		t.Fatal(err)
	}
	var xb bytes.Buffer
	if err := WriteComparisonXLSX(&xb, c, English); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xb.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows := sheetRows(t, f, "Comparison")
	head := rows[1]
	for i, r := range c.Runs {
		row := rows[2+i]
		for j, k := range keyColumns {
			want := k.value(r)
			cell := cellAt(row, 5+j)
			if math.IsNaN(want) || math.IsInf(want, 0) {
				if cell != "" {
					t.Errorf("%s %s: %q, want empty", c.Slugs[i], head[5+j], cell)
				}
				continue
			}
			sameNumber(t, c.Slugs[i]+" "+head[5+j], cell, want)
		}
	}
	pairs := sheetRows(t, f, "Pairs")
	sameNumber(t, "prob_a_greater", pairs[2][2], c.Pairs[0].ProbAGreater)
	sameNumber(t, "diff_mean", pairs[2][5], c.Pairs[0].Diff.Mean)
	checkCharts(t, xb.Bytes(), map[string]string{"barChart": "Comparison!$B$3"})
}

// TestFormulaXLSX: a formula model's workbook has no Bands sheet and its
// statistics are those of its own outputs.
func TestFormulaXLSX(t *testing.T) {
	for _, file := range []string{"../examples/formula_ishigami.yaml", "../examples/formula_nps.yaml"} {
		s, err := model.Load(file, nil)
		if err != nil {
			t.Fatal(err)
		}
		run := simulatedRun(t, s, 4000)
		var xb bytes.Buffer
		if err := WriteSummaryXLSX(&xb, run, English); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(xb.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(f.GetSheetList(), ","); got != "Summary,Histogram,Tornado,Inputs" {
			t.Errorf("sheets %s", got)
		}
		rows := sheetRows(t, f, SheetSummary)
		h := findRow(rows, "metric", 0)
		for k, name := range run.Result.Outputs {
			if rows[h+1+k][0] != name {
				t.Errorf("row %d: %q, want %s", k, rows[h+1+k][0], name)
			}
			sameNumber(t, name+" mean", rows[h+1+k][2], run.Result.Metrics[k].Mean)
		}
		// The columns its outputs have, no CRM ones, and P(< 0) of every output
		// (it was the first output's only).
		head := strings.Join(rows[h], ",")
		if !strings.HasSuffix(head, ",p99,prob_negative") {
			t.Errorf("statistics header %s", head)
		}
		last := len(rows[h]) - 1
		for k, name := range run.Result.Outputs {
			sameNumber(t, name+" prob_negative", cellAt(rows[h+1+k], last), run.Result.Prob(k, model.ProbNegative))
		}
	}
}

// TestXLSXPrintAndFormats: every sheet of summary.xlsx prints in landscape,
// fitted to one page wide (the Summary sheet printed over 6 pages); no cell
// has the format "#,##0.####", which shows a whole number as "6.": whole
// plain numbers get "#,##0", others at least one decimal.
func TestXLSXPrintAndFormats(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSummaryXLSX(&buf, simulatedRun(t, model.Default(), 2000), English); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	fracSeen := false
	for _, sh := range f.GetSheetList() {
		lay, err := f.GetPageLayout(sh)
		props, err2 := f.GetSheetProps(sh)
		if err != nil || err2 != nil || lay.Orientation == nil || *lay.Orientation != "landscape" || lay.FitToWidth == nil || *lay.FitToWidth != 1 ||
			lay.FitToHeight == nil || *lay.FitToHeight != 0 || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("sheet %s: page layout %+v, props fit %v", sh, lay, props.FitToPage)
		}
		rows := sheetRows(t, f, sh)
		for r, row := range rows {
			for c := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				id, _ := f.GetCellStyle(sh, cell)
				st, err := f.GetStyle(id)
				if err != nil || st.CustomNumFmt == nil {
					continue
				}
				switch *st.CustomNumFmt {
				case fmtNumber:
					t.Errorf("%s!%s (%s) has the format %s", sh, cell, row[c], fmtNumber)
				case fmtFraction:
					fracSeen = true
				}
			}
		}
	}
	if !fracSeen {
		t.Error("no fractional plain number")
	}
	for _, c := range []struct {
		v    any
		want string
	}{{6.0, fmtWhole}, {30.0, fmtWhole}, {1.3, fmtFraction}, {0.25, fmtFraction}, {6, fmtWhole}, {1.5, fmtMoney}} {
		f := fmtNumber
		if c.want == fmtMoney {
			f = fmtMoney
		}
		if got := numberFormat(f, c.v); got != c.want {
			t.Errorf("numberFormat(%s, %v) = %s, want %s", f, c.v, got, c.want)
		}
	}
}
