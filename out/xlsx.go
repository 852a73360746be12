package out

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
	"github.com/xuri/excelize/v2"
)

// Sheets of summary.xlsx.
const (
	SheetSummary   = "Summary"
	SheetBands     = "Bands"
	SheetHistogram = "Histogram"
	SheetTornado   = "Tornado"
	SheetInputs    = "Inputs"
)

// Number formats of the workbooks: numbers are stored as numbers and shown
// with these formats, so that the analyst can compute with them.
const (
	fmtMoney   = "#,##0"
	fmtPercent = "0.0%"
	fmtMonths  = "0.0"
	fmtNumber  = "#,##0.####" // chosen per value: fmtWhole or fmtFraction (numberFormat)
	fmtInt     = "0"
	// fmtWhole and fmtFraction show a plain number: "#,##0.####" would show a
	// whole number with a trailing separator ("6."), so a whole value gets
	// no decimals and any other at least one.
	fmtWhole    = "#,##0"
	fmtFraction = "#,##0.0###"
)

// numberFormat is the format a cell of value v gets for the format f:
// fmtNumber becomes fmtWhole or fmtFraction.
func numberFormat(f string, v any) string {
	if f != fmtNumber {
		return f
	}
	if x, ok := v.(float64); ok && x != math.Trunc(x) {
		return fmtFraction
	}
	return fmtWhole
}

// xlsxRu translates the texts of the workbooks into Russian; sheet names and
// column keys stay as in the CSV files, so that formulas and scripts that
// refer to them work in either language.
var xlsxRu = map[string]string{
	"analyst's own": "свой параметр", "currency": "валюта", "label": "обозначение", "benefit": "выгода", "cost": "затрата",
	"Scenario":    "Сценарий",
	"File":        "Файл",
	"Iterations":  "Итерации",
	"Seed":        "Зерно генератора",
	"Sampling":    "Выборка",
	"Currency":    "Валюта",
	"Percentiles": "Процентили",
	"exact":       "точные",
	"from sketches (error within 4.9e-4 of the distance from the centre)": "по скетчам (ошибка не больше 4,9e-4 расстояния от центра)",
	"Statistics of every output":                                          "Статистики каждого показателя",
	"Plan case (every parameter at its plan value, no risk event)":        "План (каждый параметр в плановом значении, без рисков)",
	"TEI row (Forrester's fixed risk adjustment)":                         "Строка TEI (фиксированная поправка Forrester на риск)",
	"Outcome shares":                                         "Доли исходов",
	"Go/no-go gate":                                          "Контрольная точка",
	"Warnings":                                               "Предупреждения",
	"Cumulative cash flow by month":                          "Накопленный денежный поток по месяцам",
	"%s histogram (Freedman–Diaconis bins)":                  "Гистограмма %s (интервалы Фридмана–Диакониса)",
	"One at a time: each input at its P10 and P90":           "По одному: каждый параметр в P10 и P90",
	"The resolved scenario":                                  "Сценарий после подстановок",
	"Comparison of the scenarios (common random numbers)":    "Сравнение сценариев (общие случайные числа)",
	"Pairs: NPV of A minus NPV of B, iteration by iteration": "Пары: NPV A минус NPV B, итерация за итерацией",
	"NPV by scenario: P5, P50, P95 and plan":                 "NPV по сценариям: P5, P50, P95 и план",
	"Methodology: docs/methodology.md":                       "Методика: docs/methodology.ru.md",
	"ok":                                                     "успех", "cancelled": "отмена", "abandoned": "отказ",
	"correlation": "корреляция", "Spearman rho": "ρ Спирмена", "output": "показатель",
	"run_month": "месяц решения", "stop_if": "правило остановки", "threshold": "порог",
	"share_stopped": "доля остановленных", "value_se": "ошибка ценности", "npv_mean_with": "средний NPV с точкой",
	"npv_mean_without": "средний NPV без точки", "prob_loss_with": "P(убытка) с точкой",
	"prob_loss_without": "P(убытка) без точки",
	"evpi":              "EVPI", "input": "фактор", "risk_draw": "рисковое событие", "group": "группа", "value": "ценность", "month": "месяц",
}

// xlsxPath is the header of the Russian sheets' last column: the path or
// name each row's label stands for, as the CSV files and --set write it.
const xlsxPath = "путь"

// xlsxKeysRu are the column keys of the workbook's tables in Russian words
// (English keeps the keys of the CSV files).
var xlsxKeysRu = map[string]string{
	"metric": "показатель", "n": "итераций", "mean": "среднее", "sd": "стандартное отклонение",
	"se_mean": "ошибка среднего", "min": "минимум", "max": "максимум", "share_defined": "доля определённых",
	"output": "показатель", "plan": "план", "tei": "показатель", "value": "значение", "outcome": "исход",
	"share": "доля", "gate": "контрольная точка", "month": "месяц", "bin_from": "от", "bin_to": "до",
	"bin_mid": "середина", "count": "итераций", "prob_negative": "P(< 0)",
}

// xlsxHead is a table's header in l: the keys as they are in English,
// their Russian words (P5 for p5) in Russian.
func xlsxHead(l Lang, keys ...string) []string {
	if l != Russian {
		return keys
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = xlsxKeyRu(k)
	}
	return out
}

// xlsxKeyRu is a column key in Russian: its word, Pnn for a percentile pnn,
// else the key translated as a text.
func xlsxKeyRu(k string) string {
	if t, ok := xlsxKeysRu[k]; ok {
		return t
	}
	if len(k) > 1 && k[0] == 'p' && strings.Trim(k[1:], "0123456789") == "" {
		return "P" + k[1:]
	}
	return xt(Russian, k)
}

// statHeaderRu is a column of the statistics table in Russian: a
// probability's label from the output that has it (Окупаемость за 12 мес.),
// else xlsxKeyRu.
func statHeaderRu(t *SummaryTable, key string) string {
	if _, ok := xlsxKeysRu[key]; !ok {
		for _, row := range t.Rows {
			for _, th := range row.Info.Thresholds {
				if th.Key == key {
					return th.Label.In(string(Russian))
				}
			}
		}
	}
	return xlsxKeyRu(key)
}

func xt(l Lang, s string) string {
	if l == Russian {
		if t, ok := xlsxRu[s]; ok {
			return t
		}
	}
	return s
}

// book is a workbook being written, with its styles.
type book struct {
	f      *excelize.File
	styles map[string]int
	err    error
	lang   Lang
}

func newBook(l Lang) *book {
	return &book{f: excelize.NewFile(), styles: map[string]int{}, lang: l}
}

// sheetRu names the sheets in Russian.
var sheetRu = map[string]string{
	SheetSummary: "Сводка", SheetBands: "Полосы", SheetHistogram: "Гистограмма",
	SheetTornado: "Торнадо", SheetInputs: "Параметры", "Comparison": "Сравнение", "Pairs": "Пары",
}

// SheetName is the name of a sheet (SheetSummary, …) in a workbook written in l.
func SheetName(sheet string, l Lang) string {
	if n, ok := sheetRu[sheet]; ok && l == Russian {
		return n
	}
	return sheet
}

// sn is the name of a sheet in the book's language.
func (b *book) sn(sheet string) string { return SheetName(sheet, b.lang) }

// style returns the style of a number format ("" for none), bold for headers.
func (b *book) style(numFmt string, bold bool) int {
	key := fmt.Sprint(numFmt, bold)
	if id, ok := b.styles[key]; ok {
		return id
	}
	st := &excelize.Style{}
	if numFmt != "" {
		st.CustomNumFmt = &numFmt
	}
	if bold {
		st.Font = &excelize.Font{Bold: true}
	}
	id, err := b.f.NewStyle(st)
	if err != nil && b.err == nil {
		b.err = err
	}
	b.styles[key] = id
	return id
}

// cell writes v into (col, row), 1-based, with the number format numFmt. A
// float that is not finite (undefined, not reached) leaves the cell empty.
func (b *book) cell(sheet string, col, row int, v any, numFmt string) {
	if b.err != nil {
		return
	}
	if x, ok := v.(float64); ok && (math.IsNaN(x) || math.IsInf(x, 0)) {
		return
	}
	name, err := excelize.CoordinatesToCellName(col, row)
	if x, ok := v.(float64); ok && err == nil {
		// Every digit of the float64, so that the cell reads back exactly
		// (excelize would keep 15 significant digits).
		s := strconv.FormatFloat(x, 'f', -1, 64)
		prec := 0
		if i := strings.IndexByte(s, '.'); i >= 0 {
			prec = len(s) - i - 1
		}
		err = b.f.SetCellFloat(b.sn(sheet), name, x, prec, 64)
	} else if err == nil {
		err = b.f.SetCellValue(b.sn(sheet), name, v)
	}
	if err == nil && numFmt != "" {
		err = b.f.SetCellStyle(b.sn(sheet), name, name, b.style(numberFormat(numFmt, v), false))
	}
	if err != nil {
		b.err = err
	}
}

// header writes bold texts from (col, row) to the right.
func (b *book) header(sheet string, col, row int, texts ...string) {
	for i, t := range texts {
		b.cell(sheet, col+i, row, t, "")
	}
	if b.err != nil || len(texts) == 0 {
		return
	}
	first, _ := excelize.CoordinatesToCellName(col, row)
	last, _ := excelize.CoordinatesToCellName(col+len(texts)-1, row)
	if err := b.f.SetCellStyle(b.sn(sheet), first, last, b.style("", true)); err != nil {
		b.err = err
	}
}

func (b *book) sheet(name string) {
	if b.err != nil {
		return
	}
	if _, err := b.f.NewSheet(b.sn(name)); err != nil {
		b.err = err
	}
}

func (b *book) widths(sheet string, first, last string, w float64) {
	if b.err == nil {
		b.err = b.f.SetColWidth(b.sn(sheet), first, last, w)
	}
}

// chart adds a native chart at cell (write sets every sheet to print one
// page wide in landscape, so that the chart prints whole beside its data).
func (b *book) chart(sheet, cell string, c *excelize.Chart) {
	if b.err == nil {
		b.err = b.f.AddChart(b.sn(sheet), cell, c)
	}
}

// pageSetup sets a sheet to print in landscape, one page wide (as many
// pages tall as it needs): the 22-column Summary sheet printed over 6 pages.
func (b *book) pageSetup(sheet string) {
	one, tall, landscape, fit := 1, 0, "landscape", true
	if b.err == nil {
		b.err = b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &tall})
	}
	if b.err == nil {
		b.err = b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit})
	}
}

func (b *book) write(w io.Writer) error {
	for _, sh := range b.f.GetSheetList() {
		b.pageSetup(sh)
	}
	if b.err != nil {
		return b.err
	}
	if err := b.f.Write(w); err != nil {
		return err
	}
	return b.f.Close()
}

// ref is an absolute reference to a range of one column of sheet.
func ref(sheet string, col, row1, row2 int) string {
	c, _ := excelize.ColumnNumberToName(col)
	return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sheet, c, row1, c, row2)
}

// outputFormat is the number format of an output's values, by its unit.
func outputFormat(info model.OutputInfo) string {
	switch u := info.Unit; {
	case u == model.UnitMoney:
		return fmtMoney
	case u.Percent():
		return fmtPercent
	case u == model.UnitMonths:
		return fmtMonths
	}
	return fmtNumber
}

// primaryFormat is the number format of the run's primary output.
func primaryFormat(r *sim.Result) string {
	if len(r.Info) == 0 {
		return fmtMoney
	}
	return outputFormat(r.Info[0])
}

// inputFormat is the number format of a parameter's values, by its unit.
func inputFormat(path string) string {
	if p, ok := model.InputParam(path); ok {
		switch p.Unit {
		case "money", "money/month":
			return fmtMoney
		case "per year", "share", "share of revenue", "relative":
			return fmtPercent
		}
	}
	return fmtNumber
}

// WriteSummaryXLSX writes summary.xlsx: the sheets Summary (run, statistics of
// every output, plan case, TEI row, outcome shares, warnings), Bands (the
// cumulative cash flow's percentile bands by month, with a native line chart:
// the fan chart), Histogram (NPV's Freedman–Diaconis bins and counts, with a
// native column chart), Tornado and Inputs (every parameter of the resolved
// scenario: its expression, plan value, P10 and P90). Every figure is a number
// cell with a number format, equal to summary.json's. A formula model has no
// month axis: no Bands sheet.
func WriteSummaryXLSX(w io.Writer, run *Run, l Lang) error {
	b := newBook(l)
	if err := b.f.SetSheetName("Sheet1", b.sn(SheetSummary)); err != nil {
		return err
	}
	summarySheet(b, run, l)
	if !run.Scenario.IsFormula() {
		bandsSheet(b, run, l)
	}
	histogramSheet(b, run, l)
	tornadoSheet(b, run, l)
	inputsSheet(b, run, l)
	if v := voiOf(run); v != nil {
		voiSheet(b, v, l)
	}
	if run.Track != nil && len(run.Track.Months) > 0 {
		trackSheet(b, run, l)
	}
	return b.write(w)
}

func summarySheet(b *book, run *Run, l Lang) {
	const sh = SheetSummary
	r, s := run.Result, run.Scenario
	b.cell(sh, 1, 1, "crmroi — "+s.TitleIn(string(l)), "")
	if b.err == nil {
		b.err = b.f.SetCellStyle(b.sn(sh), "A1", "A1", b.style("", true))
	}
	row := 3
	pctMode := xt(l, "exact")
	if !r.Exact {
		pctMode = xt(l, "from sketches (error within 4.9e-4 of the distance from the centre)")
	}
	info := []struct {
		k string
		v any
		f string
	}{
		{"Scenario", s.TitleIn(string(l)), ""}, {"File", s.FileIn(string(l)), ""}, {"SHA-256", s.SHA256(), ""},
		{"Iterations", run.iterations(), fmtInt}, {"Seed", fmt.Sprint(run.seed()), ""},
		{"Sampling", l.Sampling(run.sampling()), ""}, {"Currency", s.Currency, ""}, {"Percentiles", pctMode, ""},
	}
	for _, in := range info {
		b.header(sh, 1, row, xt(l, in.k))
		b.cell(sh, 2, row, in.v, in.f)
		row++
	}
	b.cell(sh, 1, row, xt(l, "Methodology: docs/methodology.md"), "")
	row += 2

	b.header(sh, 1, row, xt(l, "Statistics of every output"))
	row++
	t := NewSummaryTable(run)
	cols := t.Columns()
	head := append([]string{"metric", "n"}, cols...)
	if l == Russian { // Russian headers, the output's label, its name in a last column
		for i, k := range head {
			head[i] = statHeaderRu(t, k)
		}
		head = append(head, xlsxPath)
	}
	b.header(sh, 1, row, head...)
	row++
	// output writes an output's name (its label, the name in column last, in Russian).
	output := func(row, last int, info model.OutputInfo) {
		if l != Russian {
			b.cell(sh, 1, row, info.Name, "")
			return
		}
		b.cell(sh, 1, row, info.Label.In(string(l)), "")
		b.cell(sh, last, row, info.Name, "")
	}
	for k, tr := range t.Rows {
		f := outputFormat(tr.Info)
		output(row, len(head), tr.Info)
		b.cell(sh, 2, row, tr.Stats.N, fmtInt)
		for i, c := range t.Wide(k, cols) {
			cf := f
			if c.Kind == CellProb {
				cf = fmtPercent
			}
			b.cell(sh, 3+i, row, c.Value, cf)
		}
		row++
	}
	row++

	b.header(sh, 1, row, xt(l, "Plan case (every parameter at its plan value, no risk event)"))
	row++
	b.header(sh, 1, row, xlsxHead(l, "output", "plan")...)
	row++
	for _, tr := range t.Rows {
		output(row, 3, tr.Info)
		b.cell(sh, 2, row, tr.Plan, outputFormat(tr.Info))
		row++
	}
	row++
	if !s.IsFormula() {
		b.header(sh, 1, row, xt(l, "TEI row (Forrester's fixed risk adjustment)"))
		row++
		b.header(sh, 1, row, xlsxHead(l, "tei", "value")...)
		row++
		for _, tr := range t.Rows {
			if tr.Info.TEI {
				output(row, 3, tr.Info)
				b.cell(sh, 2, row, tr.TEI, outputFormat(tr.Info))
				row++
			}
		}
		row++
		b.header(sh, 1, row, xt(l, "Outcome shares"))
		row++
		b.header(sh, 1, row, xlsxHead(l, "outcome", "share")...)
		row++
		for o := model.Outcome(0); o < model.NumOutcomes; o++ {
			b.cell(sh, 1, row, xt(l, o.String()), "")
			b.cell(sh, 2, row, r.Outcomes[o], fmtPercent)
			row++
		}
		row++
		if f := GateOf(run); f != nil { // summary.json's gate object, key for key
			b.header(sh, 1, row, xt(l, "Go/no-go gate"))
			row++
			b.header(sh, 1, row, xlsxHead(l, "gate", "value")...)
			row++
			threshold := any("")
			if f.Threshold == f.Threshold {
				threshold = f.Threshold
			}
			for _, c := range []struct {
				k   string
				v   any
				fmt string
			}{
				{"run_month", f.RunMonth, fmtInt}, {"stop_if", f.StopIf, ""}, {"threshold", threshold, ""},
				{"share_stopped", f.ShareStopped, fmtPercent}, {"value", f.Value, fmtMoney}, {"value_se", f.SE, fmtMoney},
				{"npv_mean_with", f.MeanWith, fmtMoney}, {"npv_mean_without", f.MeanWithout, fmtMoney},
				{"prob_loss_with", f.ProbLossWith, fmtPercent}, {"prob_loss_without", f.ProbLossWithout, fmtPercent},
			} {
				b.cell(sh, 1, row, xt(l, c.k), "")
				b.cell(sh, 2, row, c.v, c.fmt)
				row++
			}
			row++
		}
	}
	var warnings []string
	if s.IsFormula() {
		warnings = s.WarningsIn(string(l))
	} else {
		warnings = WarningsIn(run, l)
	}
	if len(warnings) > 0 {
		b.header(sh, 1, row, xt(l, "Warnings"))
		row++
		for _, wn := range warnings {
			b.cell(sh, 1, row, wn, "")
			row++
		}
	}
	b.widths(sh, "A", "A", 22)
	b.widths(sh, "B", "Z", 14)
}

func bandsSheet(b *book, run *Run, l Lang) {
	const sh = SheetBands
	b.sheet(sh)
	b.header(sh, 1, 1, xlsxHead(l, append([]string{"month", "mean"}, bandKeys...)...)...)
	bands := run.Result.Bands
	for i, bd := range bands {
		b.cell(sh, 1, i+2, bd.Month, fmtInt)
		b.cell(sh, 2, i+2, bd.Mean, fmtMoney)
		for j, p := range bd.Pct {
			b.cell(sh, 3+j, i+2, p, fmtMoney)
		}
	}
	// With a finance: section, the plan case's cumulative cash flow
	// (plan.cumulative) in column J, drawn as the plan line.
	cols := []int{3, 5, 6, 7, 9, 2}
	if plan := run.Det.PlanCumulative; run.Scenario.Finance != nil && len(plan) == len(bands) {
		b.header(sh, 10, 1, xlsxHead(l, "plan")...)
		for i, v := range plan {
			b.cell(sh, 10, i+2, v, fmtMoney)
		}
		cols = append(cols, 10)
		b.widths(sh, "J", "J", 14)
	}
	b.widths(sh, "A", "I", 14)
	if len(bands) == 0 {
		return
	}
	last := len(bands) + 1
	cats := ref(b.sn(sh), 1, 2, last)
	var series []excelize.ChartSeries
	// The fan: P5, P25, P50, P75, P95 and the mean, each a line the analyst can restyle.
	for _, c := range cols {
		key := "mean"
		switch {
		case c == 10:
			key = "plan"
		case c > 2:
			key = bandKeys[c-3]
		}
		series = append(series, excelize.ChartSeries{Name: fmt.Sprintf("'%s'!$%s$1", b.sn(sh), colName(c)),
			Categories: cats, Values: ref(b.sn(sh), c, 2, last), Marker: excelize.ChartMarker{Symbol: "none"},
			Line: excelize.LineOptions{Smooth: false, Width: map[string]float64{"mean": 2.25, "p50": 2, "plan": 2}[key]}})
	}
	cur := CurrencySign(run.Scenario.Currency)
	b.chart(sh, "K2", &excelize.Chart{
		Type:      excelize.Line,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: xt(l, "Cumulative cash flow by month")}}},
		XAxis:     excelize.ChartAxis{TickLabelPosition: excelize.ChartTickLabelLow, Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: xt(l, "month")}}}},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: fmtMoney}, Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: cur}}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 720, Height: 400},
	})
}

func colName(c int) string {
	n, _ := excelize.ColumnNumberToName(c)
	return n
}

// npvBins returns the histogram of the primary output's kept values with
// the bins of FDBins, as the npv_hist chart draws it.
func npvBins(run *Run) (start, width float64, counts []int) {
	r := run.Result
	if len(r.Values) == 0 || len(r.Values[0]) == 0 {
		return 0, 0, nil
	}
	v, st := r.Values[0], r.Metrics[0]
	start, width, k := FDBins(len(v), st.Pct[pctP75]-st.Pct[pctP25], st.Min, st.Max)
	counts = make([]int, k)
	for _, x := range v {
		i := int((x - start) / width)
		counts[min(max(i, 0), k-1)]++
	}
	return start, width, counts
}

func histogramSheet(b *book, run *Run, l Lang) {
	const sh = SheetHistogram
	b.sheet(sh)
	var primary model.OutputInfo
	if len(run.Result.Info) > 0 {
		primary = run.Result.Info[0]
	}
	name, f := primary.Name, primaryFormat(run.Result)
	axisName := name // the output's name; its label in Russian
	if l == Russian {
		axisName = primary.Label.In(string(l))
	}
	b.header(sh, 1, 1, xlsxHead(l, "bin_from", "bin_to", "bin_mid", "count", "share", "label")...)
	start, w, counts := npvBins(run)
	n := 0
	for _, c := range counts {
		n += c
	}
	step := max(1, (len(counts)+7)/8)
	for i, c := range counts {
		lo := start + float64(i)*w
		b.cell(sh, 1, i+2, lo, f)
		b.cell(sh, 2, i+2, lo+w, f)
		b.cell(sh, 3, i+2, lo+w/2, f)
		b.cell(sh, 4, i+2, c, fmtInt)
		b.cell(sh, 5, i+2, float64(c)/float64(n), fmtPercent)
		// A short text label of the bin's centre for the chart's axis, on
		// every step-th bin only, so that every spreadsheet shows them
		// readably (the numbers stay in the columns before it).
		label := ""
		if i%step == 0 {
			label = l.Compact(lo + w/2)
		}
		b.cell(sh, 6, i+2, label, "")
	}
	b.widths(sh, "A", "F", 14)
	if len(counts) == 0 {
		return
	}
	last := len(counts) + 1
	gap := uint(0)
	one := false

	title := fmt.Sprintf(xt(l, "%s histogram (Freedman–Diaconis bins)"), primary.Label.In(string(l)))
	if run.Scenario.IsFormula() {
		title = name
	}
	b.chart(sh, "H2", &excelize.Chart{
		Type: excelize.Col,
		Series: []excelize.ChartSeries{{Name: fmt.Sprintf("'%s'!$E$1", b.sn(sh)), Categories: ref(b.sn(sh), 6, 2, last),
			Values: ref(b.sn(sh), 5, 2, last)}},
		GapWidth:   &gap,
		VaryColors: &one,
		Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}},
		XAxis:      excelize.ChartAxis{Alignment: excelize.Alignment{TextRotation: 45}, TickLabelSkip: step, Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: axisName + ", " + CurrencySign(run.Scenario.Currency)}}}},
		YAxis:      excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: fmtPercent}},
		Legend:     excelize.ChartLegend{Position: "none"},
		Dimension:  excelize.ChartDimension{Width: 720, Height: 400},
	})
}

func tornadoSheet(b *book, run *Run, l Lang) {
	const sh = SheetTornado
	b.sheet(sh)
	if l == Russian { // the label, then the path in the last column
		b.header(sh, 1, 1, "фактор", "план", "значение на P10", "значение на P90", "NPV на P10", "NPV на P90", "размах", xlsxPath)
	} else {
		b.header(sh, 1, 1, "input", "plan", "low_value", "high_value", "npv_low", "npv_high", "swing")
	}
	primary := primaryFormat(run.Result)
	for i, t := range run.Det.Tornado {
		f := inputFormat(t.Input)
		b.cell(sh, 1, i+2, l.Label(t.Input), "")
		if l == Russian {
			b.cell(sh, 8, i+2, t.Input, "")
		}
		b.cell(sh, 2, i+2, t.Plan, f)
		b.cell(sh, 3, i+2, t.LowValue, f)
		b.cell(sh, 4, i+2, t.HighValue, f)
		b.cell(sh, 5, i+2, t.NPVLow, primary)
		b.cell(sh, 6, i+2, t.NPVHigh, primary)
		b.cell(sh, 7, i+2, t.Swing, primary)
	}
	b.widths(sh, "A", "A", 30)
	b.widths(sh, "B", "G", 15)
}

func inputsSheet(b *book, run *Run, l Lang) {
	const sh = SheetInputs
	b.sheet(sh)
	s := run.Scenario
	if l == Russian { // the label, then the path in the last column
		b.header(sh, 1, 1, "параметр", "единица", "выражение", "план", "P10", "P90", "смысл", xlsxPath)
	} else {
		b.header(sh, 1, 1, "parameter", "unit", "expression", "plan", "p10", "p90", "meaning")
	}
	// name writes a parameter's label in column 1 (its path in column 8 in Russian).
	name := func(row int, path string) {
		b.cell(sh, 1, row, l.Label(path), "")
		if l == Russian {
			b.cell(sh, 8, row, path, "")
		}
	}
	sign := unitSign(s.Currency, l)
	row := 2
	info := map[string]model.ParamInfo{}
	for _, p := range model.Builtin {
		info[p.Path] = p
	}
	for _, p := range model.FinanceParams {
		info[p.Path] = p.ParamInfo
	}
	if !s.IsFormula() {
		settings := map[string]float64{"horizon_months": float64(s.Horizon), "seats": s.Seats,
			"implementation_months": s.ImplementationMonths, "sales_lag_months": float64(s.SalesLag),
			"subscription_escalation": s.SubscriptionEscalation, "presale_seat_share": s.PresaleSeatShare}
		for _, st := range model.Settings {
			v := settings[st.Path]
			f := fmtNumber
			if st.Unit == "per year" || st.Unit == "share" {
				f = fmtPercent
			}
			name(row, st.Path)
			b.cell(sh, 2, row, st.UnitIn(string(l), sign), "")
			b.cell(sh, 3, row, strconv.FormatFloat(v, 'g', -1, 64), "")
			b.cell(sh, 4, row, v, f)
			b.cell(sh, 5, row, v, f)
			b.cell(sh, 6, row, v, f)
			b.cell(sh, 7, row, st.DocIn(string(l)), "")
			row++
		}
		b.cell(sh, 1, row, xt(l, "currency"), "")
		b.cell(sh, 2, row, xt(l, "label"), "")
		b.cell(sh, 3, row, s.Currency, "")
		row++
	}
	plan := s.PlanValues()
	for i, in := range s.Inputs {
		if in.Dist == nil {
			continue
		}
		f := inputFormat(in.Path)
		p := info[in.Path]
		unit, doc := p.UnitIn(string(l), sign), p.DocIn(string(l))
		if p.Path == "" {
			unit, doc = xt(l, "analyst's own"), ""
		}
		name(row, in.Path)
		b.cell(sh, 2, row, unit, "")
		b.cell(sh, 3, row, in.Dist.String(), "")
		b.cell(sh, 4, row, plan[i], f)
		b.cell(sh, 5, row, in.Dist.Quantile(0.1), f)
		b.cell(sh, 6, row, in.Dist.Quantile(0.9), f)
		b.cell(sh, 7, row, doc, "")
		row++
	}
	if !s.IsFormula() {
		for _, rk := range []struct {
			path string
			v    float64
		}{{"risks.cancel", s.Risks.Cancel}, {"risks.abandon", s.Risks.Abandon},
			{"tei.benefit_haircut", s.TEI.BenefitHaircut}, {"tei.cost_uplift", s.TEI.CostUplift}} {
			p, _ := model.Param(rk.path)
			name(row, rk.path)
			b.cell(sh, 2, row, p.UnitIn(string(l), sign), "")
			b.cell(sh, 3, row, strconv.FormatFloat(rk.v, 'g', -1, 64), "")
			for c := 4; c <= 6; c++ {
				b.cell(sh, c, row, rk.v, fmtPercent)
			}
			row++
		}
		for _, c := range s.Custom {
			if l == Russian {
				b.cell(sh, 1, row, "своя строка «"+c.Name+"»", "")
				b.cell(sh, 8, row, "custom."+c.Name, "")
			} else {
				b.cell(sh, 1, row, "custom: "+c.Name, "")
			}
			b.cell(sh, 2, row, xt(l, string(c.Kind))+", "+model.ParamInfo{Unit: "money/month"}.UnitIn(string(l), sign), "")
			if c.Expr != nil {
				b.cell(sh, 3, row, c.Expr.Text, "")
			}
			row++
		}
	} else {
		for _, o := range s.FormulaOutputs {
			b.cell(sh, 1, row, "outputs."+o.Name, "")
			b.cell(sh, 2, row, xt(l, "output"), "")
			if o.Expr != nil {
				b.cell(sh, 3, row, o.Expr.Text, "")
			}
			row++
		}
	}
	for _, c := range s.Correlations {
		b.cell(sh, 1, row, xt(l, "correlation"), "")
		b.cell(sh, 2, row, xt(l, "Spearman rho"), "")
		b.cell(sh, 3, row, c.A+" ~ "+c.B, "")
		b.cell(sh, 4, row, c.Rho, "0.00")
		row++
	}
	b.widths(sh, "A", "A", 30)
	b.widths(sh, "B", "B", 18)
	b.widths(sh, "C", "C", 34)
	b.widths(sh, "D", "F", 14)
	b.widths(sh, "G", "G", 60)
}

// WriteComparisonXLSX writes comparison.xlsx: a Comparison sheet with one
// row per scenario and the key statistics of comparison.csv (number cells
// with number formats), a native chart of each scenario's NPV P5, P50, P95
// and plan, and a Pairs sheet with pairwise.csv's figures.
func WriteComparisonXLSX(w io.Writer, c *Comparison, l Lang) error {
	b := newBook(l)
	const sh, ps = "Comparison", "Pairs"
	if err := b.f.SetSheetName("Sheet1", b.sn(sh)); err != nil {
		return err
	}
	b.header(sh, 1, 1, xt(l, "Comparison of the scenarios (common random numbers)"))
	head := append([]string{"slug", "name", "file", "iterations", "seed"}, keyHeader()...)
	b.header(sh, 1, 2, head...)
	for i, r := range c.Runs {
		row := i + 3
		b.cell(sh, 1, row, c.Slugs[i], "")
		b.cell(sh, 2, row, c.Labels[i], "")
		b.cell(sh, 3, row, r.Scenario.File, "")
		b.cell(sh, 4, row, r.iterations(), fmtInt)
		b.cell(sh, 5, row, fmt.Sprint(r.seed()), "")
		for j, k := range keyColumns {
			b.cell(sh, 6+j, row, k.value(r), keyFormat(k.name))
		}
	}
	b.widths(sh, "A", "C", 22)
	b.widths(sh, "D", colName(5+len(keyColumns)), 14)
	last := len(c.Runs) + 2
	col := func(name string) int {
		for j, k := range keyColumns {
			if k.name == name {
				return 6 + j
			}
		}
		return 0
	}
	var series []excelize.ChartSeries
	for _, k := range []string{"npv_p5", "npv_p50", "npv_p95", "plan_npv"} {
		series = append(series, excelize.ChartSeries{Name: fmt.Sprintf("'%s'!$%s$2", b.sn(sh), colName(col(k))),
			Categories: ref(b.sn(sh), 2, 3, last), Values: ref(b.sn(sh), col(k), 3, last)})
	}
	b.chart(sh, fmt.Sprintf("B%d", last+3), &excelize.Chart{
		Type:      excelize.Col,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: xt(l, "NPV by scenario: P5, P50, P95 and plan")}}},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: fmtMoney}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 720, Height: 400},
	})

	b.sheet(ps)
	b.header(ps, 1, 1, xt(l, "Pairs: NPV of A minus NPV of B, iteration by iteration"))
	b.header(ps, 1, 2, "a", "b", "prob_a_greater", "prob_tie", "prob_b_greater",
		"diff_mean", "diff_sd", "diff_se_mean", "diff_min", "diff_p5", "diff_p50", "diff_p95", "diff_max")
	for i, p := range c.Pairs {
		row := i + 3
		d := p.Diff
		b.cell(ps, 1, row, c.Slugs[p.A], "")
		b.cell(ps, 2, row, c.Slugs[p.B], "")
		for j, v := range []float64{p.ProbAGreater, p.ProbTie, p.ProbBGreater} {
			b.cell(ps, 3+j, row, v, fmtPercent)
		}
		for j, v := range []float64{d.Mean, d.SD, d.SE, d.Min, d.P5, d.P50, d.P95, d.Max} {
			b.cell(ps, 6+j, row, v, fmtMoney)
		}
	}
	b.widths(ps, "A", "B", 22)
	b.widths(ps, "C", "M", 14)
	return b.write(w)
}

// keyFormat is the number format of a comparison.csv column.
func keyFormat(name string) string {
	switch {
	case name == "prob_loss" || name == "roi_mean" || name == "roi_p50" || name == "irr_p50" ||
		name == "plan_roi" || name == "tei_roi" || len(name) > 8 && (name[:8] == "payback_" && name != "payback_p50" || name[:8] == "outcome_"):
		return fmtPercent
	case name == "payback_p50" || name == "plan_payback":
		return fmtMonths
	}
	return fmtMoney
}
