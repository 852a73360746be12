package out

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"strings"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// The value-of-information section that `sensitivity` and `run
// --sensitivity` add to their outputs (issue 22): the same figures as
// `crmroi voi` of the scenario alone (invest or not), in summary.json's and
// sensitivity.json's "voi" object, the terminal, report.html and the
// workbook.

// SheetVOI is the workbook's value-of-information sheet.
const SheetVOI = "Value of information"

// TopVOI is how many inputs the terminal and report sentences name.
const TopVOI = 3

// voiOf is the value of information of a run with --sensitivity, or nil.
func voiOf(run *Run) *sim.VOI {
	if run.Sensitivity == nil {
		return nil
	}
	return run.Sensitivity.VOI
}

// VOIObj is the "voi" object of summary.json and sensitivity.json: voi.json's
// figures without what the document already says (currency, seed, version).
func VOIObj(v *sim.VOI) Obj {
	evppi := []Obj{}
	for _, f := range v.Inputs {
		evppi = append(evppi, Obj{{"name", f.Name}, {"risk_draw", f.Risk}, {"value", Num(f.Value)}, {"lo", Num(f.Lo)}, {"hi", Num(f.Hi)}, {"dof", f.Dof}})
	}
	groups := []Obj{}
	for _, g := range v.Groups {
		groups = append(groups, Obj{{"name", g.Name}, {"members", g.Members}, {"value", Num(g.Value)}, {"lo", Num(g.Lo)}, {"hi", Num(g.Hi)}})
	}
	options := []Obj{}
	for j, name := range v.Options {
		options = append(options, Obj{{"name", name}, {"mean", Num(v.Means[j])}})
	}
	return Obj{
		{"evpi", Obj{{"value", Num(v.EVPI.Value)}, {"se", Num(v.EVPI.SE)}}},
		{"evppi", evppi},
		{"groups", groups},
		{"iterations", v.Iterations},
		{"output", v.Output},
		{"options", options},
		{"best_option", v.Options[v.Best]},
		{"undefined_iterations", v.Dropped},
	}
}

// VOILines are the value of information in a CFO's words, one sentence a
// line: the decision without more information, what knowing everything is
// worth, and what knowing each of the TopVOI most valuable inputs is worth,
// money compact in currency ("Knowing Adoption: maximum before deciding is
// worth up to 1.2 M ₽").
func VOILines(v *sim.VOI, currency string, l Lang) []string {
	if v == nil {
		return nil
	}
	money := func(x float64) string { return typoMinusIf(l, l.MoneyCompact(x, currency)) }
	lines := []string{
		l.Tf("Without more information the best choice is %q (mean %s).", optionName(v.Options[v.Best], l), money(v.Means[v.Best])),
		l.Tf("Knowing everything before deciding (EVPI) is worth up to %s.", money(v.EVPI.Value)),
	}
	rows := sortedByEVPPI(v.Inputs)
	for i, f := range rows {
		if i == TopVOI || !(f.Value > 0) {
			break
		}
		lines = append(lines, l.Tf("Knowing %s before deciding is worth up to %s (95%%: %s to %s).", l.Label(f.Name), money(f.Value), money(f.Lo), money(f.Hi)))
	}
	if len(rows) > 0 && !(rows[0].Value > 0) {
		lines = append(lines, l.T("No input is worth learning before deciding: the decision is the same whatever its value."))
	}
	return lines
}

// voiTmpl is the value-of-information section of report.html.
var voiTmpl = template.Must(template.New("voi").Parse(`
<section>
<h2>{{.Title}}</h2>
<p class="note">{{.Intro}}</p>
{{- range .Lines}}
<p>{{.}}</p>
{{- end}}
<table>
<thead><tr>{{range $i, $h := .Head}}<th{{if eq $i 0}} class="t"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr><td class="t">{{.Label}}{{if .Path}}<small><code>{{.Path}}</code></small>{{end}}{{if .Note}}<small>{{.Note}}</small>{{end}}</td>{{range .Cells}}<td class="n">{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
{{- if .Groups}}
<h3>{{.GroupsTitle}}</h3>
<table>
<thead><tr>{{range $i, $h := .GroupHead}}<th{{if eq $i 0}} class="t"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Groups}}
<tr><td class="t">{{.Label}}<small>{{.Note}}</small></td>{{range .Cells}}<td class="n">{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- range .Figures}}
<figure>
<img {{.Src}} alt="{{.Alt}}" width="1600" height="1000">
<figcaption>{{.Title}}</figcaption>
</figure>
{{- end}}
</section>
`))

// voiSection renders the value-of-information section of the report, or
// nothing when the run has none.
func voiSection(run *Run, l Lang) template.HTML {
	v := voiOf(run)
	if v == nil {
		return ""
	}
	cur := run.Scenario.Currency
	money := func(x float64) string { return typoMinusIf(l, l.MoneyCompact(x, cur)) }
	view := struct {
		Title, Intro, GroupsTitle string
		Lines, Head, GroupHead    []string
		Rows, Groups              []reportRow
		Figures                   []reportFigure
	}{
		Title: l.T("Value of information"),
		Intro: l.Tf("What knowing an input exactly before deciding whether to invest would be worth (EVPPI), in money, from the %s iterations of the sensitivity analysis; the most any study, pilot or quote that measures it can be worth. Groups: their inputs learnt together. 95%% bootstrap intervals.",
			l.Number(float64(v.Iterations), 0)),
		GroupsTitle: l.T("Groups of inputs"),
		Lines:       VOILines(v, cur, l),
		Head:        []string{l.T("Input"), "EVPPI", "95%"},
		GroupHead:   []string{l.T("Group"), "EVPPI", "95%"},
	}
	for i, f := range sortedByEVPPI(v.Inputs) {
		if i == MaxVOIRows {
			break
		}
		view.Rows = append(view.Rows, reportRow{Label: l.Label(f.Name), Path: l.labelPath(f.Name),
			Cells: []string{money(f.Value), money(f.Lo) + " … " + money(f.Hi)}})
	}
	view.Rows = append(view.Rows, reportRow{Label: l.T("Everything (EVPI)"), Cells: []string{money(v.EVPI.Value), "± " + money(v.EVPI.SE)}})
	for _, g := range v.Groups {
		members := make([]string, len(g.Members))
		for i, m := range g.Members {
			members[i] = l.Label(m)
		}
		view.Groups = append(view.Groups, reportRow{Label: l.Label(g.Name), Note: strings.Join(members, ", "),
			Cells: []string{money(g.Value), money(g.Lo) + " … " + money(g.Hi)}})
	}
	if ch, err := VOIChart(voiRunOf(run.Scenario, v), l); err == nil {
		if png, err := ch.PNG(); err == nil {
			view.Figures = append(view.Figures, reportFigure{Title: l.T("EVPPI of each input (bars) with its 95% interval; the dashed line is the EVPI, what knowing everything is worth."), Alt: ch.Title,
				Src: template.HTMLAttr(`src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(png) + `"`)})
		}
	}
	var b bytes.Buffer
	if err := voiTmpl.Execute(&b, view); err != nil {
		return template.HTML("<p class=\"note\">" + template.HTMLEscapeString(err.Error()) + "</p>")
	}
	return template.HTML(b.String())
}

// voiRunOf is the VOIRun of a scenario's value of information, for its chart.
func voiRunOf(s *model.Scenario, v *sim.VOI) *VOIRun {
	return &VOIRun{Scenarios: []*model.Scenario{s}, VOI: v, Currency: s.Currency}
}

// voiSheet is the workbook's value-of-information sheet: the EVPI, then the
// inputs by EVPPI, then the groups, in money, with their intervals.
func voiSheet(b *book, v *sim.VOI, l Lang) {
	const sh = SheetVOI
	b.sheet(sh)
	if l == Russian {
		b.header(sh, 1, 1, "вид", "вход или группа", "значение", "95% от", "95% до", "ст. ошибка", "путь")
	} else {
		b.header(sh, 1, 1, "kind", "name", "value", "lo", "hi", "se")
	}
	b.cell(sh, 1, 2, xt(l, "evpi"), "")
	b.cell(sh, 2, 2, l.T("Everything (EVPI)"), "")
	b.cell(sh, 3, 2, v.EVPI.Value, fmtMoney)
	b.cell(sh, 6, 2, v.EVPI.SE, fmtMoney)
	row := 3
	for _, f := range sortedByEVPPI(v.Inputs) {
		kind := "input"
		if f.Risk {
			kind = "risk_draw"
		}
		b.cell(sh, 1, row, xt(l, kind), "")
		b.cell(sh, 2, row, l.Label(f.Name), "")
		b.cell(sh, 3, row, f.Value, fmtMoney)
		b.cell(sh, 4, row, f.Lo, fmtMoney)
		b.cell(sh, 5, row, f.Hi, fmtMoney)
		if l == Russian {
			b.cell(sh, 7, row, f.Name, "")
		}
		row++
	}
	for _, g := range v.Groups {
		b.cell(sh, 1, row, xt(l, "group"), "")
		b.cell(sh, 2, row, l.Label(g.Name), "")
		b.cell(sh, 3, row, g.Value, fmtMoney)
		b.cell(sh, 4, row, g.Lo, fmtMoney)
		b.cell(sh, 5, row, g.Hi, fmtMoney)
		if l == Russian {
			b.cell(sh, 7, row, g.Name, "")
		}
		row++
	}
	b.widths(sh, "A", "A", 12)
	b.widths(sh, "B", "B", 34)
	b.widths(sh, "C", "F", 15)
}

// voiReportRu are the Russian texts of the value-of-information section;
// init adds them to ruText where it has none.
var voiReportRu = map[string]string{
	"Without more information the best choice is %q (mean %s).":                                "Без дополнительной информации лучший выбор — «%s» (среднее %s).",
	"Knowing everything before deciding (EVPI) is worth up to %s.":                             "Знать всё до решения (EVPI) стоит до %s.",
	"Knowing %s before deciding is worth up to %s (95%%: %s to %s).":                           "Знать %s до решения стоит до %s (95%%: от %s до %s).",
	"No input is worth learning before deciding: the decision is the same whatever its value.": "Ни один вход не стоит уточнять до решения: решение одно и то же при любом его значении.",
	"Value of information": "Ценность информации",
	"What knowing an input exactly before deciding whether to invest would be worth (EVPPI), in money, from the %s iterations of the sensitivity analysis; the most any study, pilot or quote that measures it can be worth. Groups: their inputs learnt together. 95%% bootstrap intervals.": "Сколько стоило бы точно знать вход до решения, инвестировать ли (EVPPI), в деньгах, по %s итерациям анализа чувствительности: больше этого не может стоить никакое исследование, пилот или коммерческое предложение, которое его измеряет. Группы: их входы узнаём вместе. Интервалы — 95-процентные бутстреп-интервалы.",
	"Everything (EVPI)": "Всё (EVPI)",
	"EVPPI of each input (bars) with its 95% interval; the dashed line is the EVPI, what knowing everything is worth.": "EVPPI каждого входа (столбцы) с 95% интервалом; пунктир — EVPI, ценность знания всего.",
	"\nValue of information (invest or not):\n":                  "\nЦенность информации (инвестировать или нет):\n",
	"The value of information needs at least %d iterations (-n)": "Для ценности информации нужно не меньше %d итераций (-n)",
}

func init() {
	for k, v := range voiReportRu {
		if _, ok := ruText[k]; !ok {
			ruText[k] = v
		}
	}
	sheetRu[SheetVOI] = "Ценность информации"
}
