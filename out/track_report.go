package out

import (
	"bytes"
	"html/template"

	"github.com/crmroi/crmroi/model"
)

// trackTmpl is the section of report.html that crmroi track adds: the
// actuals against the forecast made before them, the key figures before
// and after, and what the months taught about the inputs.
var trackTmpl = template.Must(template.New("track").Parse(`
<section>
<h2>{{.Title}}</h2>
<p class="note">{{.Intro}}</p>
<div class="scroll">
<table class="wide">
<thead><tr>{{range $i, $h := .Head}}<th{{if or (eq $i 1) (eq $i 7)}} class="t"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr><td class="n">{{.Label}}</td>{{range $i, $c := .Cells}}<td{{if or (eq $i 0) (eq $i 6)}} class="t"{{else}} class="n"{{end}}>{{$c}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
</div>
{{- range .Notes}}
<p class="note">{{.}}</p>
{{- end}}
<h3>{{.BeforeAfterTitle}}</h3>
<table>
<thead><tr>{{range $i, $h := .BAHead}}<th{{if eq $i 0}} class="t"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{- range .BeforeAfter}}
<tr><td class="t">{{.Label}}</td>{{range .Cells}}<td class="n">{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
<h3>{{.TaughtTitle}}</h3>
<p class="note">{{.TaughtIntro}}</p>
<table>
<thead><tr>{{range $i, $h := .InHead}}<th{{if eq $i 0}} class="t"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Inputs}}
<tr><td class="t">{{if .Path}}{{.Label}}<small><code>{{.Path}}</code></small>{{else}}<code>{{.Label}}</code>{{end}}</td>{{range .Cells}}<td class="n">{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
</section>
`))

// trackView is what trackTmpl shows.
type trackView struct {
	Title, Intro             string
	Head                     []string
	Rows                     []reportRow
	Notes                    []string
	BeforeAfterTitle         string
	BAHead                   []string
	BeforeAfter              []reportRow
	TaughtTitle, TaughtIntro string
	InHead                   []string
	Inputs                   []reportRow
}

// trackSection renders the track section of the report, or nothing
// without a track or actuals.
func trackSection(run *Run, l Lang) template.HTML {
	t := run.Track
	if t == nil || len(t.Months) == 0 {
		return ""
	}
	cur := run.Scenario.Currency
	v := trackView{
		Title: l.T("Actuals against the forecast"),
		Intro: l.T("Each actual against the forecast made before the actuals (the scenario alone): that month's P5, P50 and P95 and the actual's percentile rank among the simulated paths. The figures and charts of this report are the forecast updated by the actuals: every simulated path weighted by how well it reproduces them (methodology, section “Tracking”)."),
		Head:  []string{l.T("Month"), l.T("Column"), l.T("Actual"), "P5", "P50", "P95", l.T("Rank"), l.T("Reading")},
	}
	for _, m := range t.Months {
		v.Rows = append(v.Rows, reportRow{Label: l.Number(float64(m.Month), 0), Cells: []string{
			model.ActualColumns[m.Column].Label.In(string(l)), m.format(l, m.Value, cur), m.format(l, m.P5, cur), m.format(l, m.P50, cur),
			m.format(l, m.P95, cur), rankText(m.Rank), m.Verdict(l, cur)}})
	}
	u := t.Update
	v.Notes = append(v.Notes, l.Tf("Effective sample size %s of %s iterations; relative measurement sd %s unless the file gives its own.",
		l.Number(u.ESS, 0), l.Number(float64(u.Iterations), 0), l.Percent(t.Noise)))
	if u.Rounds > 0 {
		v.Notes = append(v.Notes, l.Tf("(drawn from a sampling distribution fitted to the actuals in %d rounds, the weights corrected for it)", u.Rounds))
	}
	if t.Extended() {
		v.Notes = append(v.Notes, l.Tf("(run past the %s iterations asked for, to reach an effective sample size of %s)", l.Number(float64(u.Asked), 0), l.Number(t.MinESS, 0)))
	}
	if u.ESS < t.MinESS {
		v.Notes = append(v.Notes, l.Tf("warning: the effective sample size is below %s at the cap of iterations: the updated figures are rough", l.Number(t.MinESS, 0)))
	}
	v.BeforeAfterTitle = l.T("Before and after the actuals")
	v.BAHead = []string{"", l.T("Before"), l.T("After")}
	prior, post := u.Prior, run.Result
	for k, info := range post.Info {
		if !info.Key {
			continue
		}
		row := &SummaryRow{Info: info}
		f := func(_ int, v float64) string { return row.typeset(l, v) }
		label := info.Label.In(string(l))
		v.BeforeAfter = append(v.BeforeAfter, reportRow{Label: label + " P50", Cells: []string{f(0, prior.Metrics[k].Pct[pctP50]), f(1, post.Metrics[k].Pct[pctP50])}},
			reportRow{Label: label + " P5–P95", Cells: []string{f(0, prior.Metrics[k].Pct[pctP5]) + " … " + f(0, prior.Metrics[k].Pct[pctP95]),
				f(1, post.Metrics[k].Pct[pctP5]) + " … " + f(1, post.Metrics[k].Pct[pctP95])}})
		for j, th := range info.Thresholds {
			v.BeforeAfter = append(v.BeforeAfter, reportRow{Label: th.Label.In(string(l)), Cells: []string{l.Percent(prior.Probs[k][j]), l.Percent(post.Probs[k][j])}})
		}
	}
	for o, name := range []string{"Project succeeds (ok)", "Cancelled before go-live", "Abandoned after go-live"} {
		v.BeforeAfter = append(v.BeforeAfter, reportRow{Label: l.T(name), Cells: []string{l.Percent(prior.Outcomes[o]), l.Percent(post.Outcomes[o])}})
	}
	v.TaughtTitle = l.Tf("What the first %d months taught us", t.LastMonth())
	v.TaughtIntro = l.T("Each uncertain input before the actuals (the scenario's distribution) and after them, most narrowed first: narrowed is how much of the P10–P90 range the actuals ruled out.")
	v.InHead = []string{l.T("Input"), l.T("prior mean"), l.T("P10–P90"), l.T("updated mean"), l.T("P10–P90"), l.T("narrowed")}
	for _, in := range t.Inputs {
		f := func(x float64) string { return formatInput(in.Name, x, l, cur) }
		row := reportRow{Label: in.Name, Cells: []string{f(in.Prior.Mean), f(in.Prior.P10) + " … " + f(in.Prior.P90),
			f(in.Updated.Mean), f(in.Updated.P10) + " … " + f(in.Updated.P90), l.Percent(in.Narrowed)}}
		if l == Russian {
			row.Label, row.Path = inputLabel(in.Name, l), in.Name
		}
		v.Inputs = append(v.Inputs, row)
	}
	var b bytes.Buffer
	if err := trackTmpl.Execute(&b, v); err != nil {
		return template.HTML("<p>" + template.HTMLEscapeString(err.Error()) + "</p>")
	}
	return template.HTML(b.String())
}

// SheetTrack is the name of summary.xlsx's sheet of the actuals (crmroi track).
const SheetTrack = "Track"

// trackSheet writes the Track sheet: each actual against the forecast
// before the actuals, then each input before and after.
func trackSheet(b *book, run *Run, l Lang) {
	const sh = SheetTrack
	t := run.Track
	b.sheet(sh)
	b.cell(sh, 1, 1, l.T("Actuals against the forecast"), "")
	b.header(sh, 1, 2, "month", "column", "actual", "sd", "p5", "p50", "p95", "rank", "plan", "verdict")
	for i, m := range t.Months {
		f := fmtMoney
		if model.ActualColumns[m.Column].Unit == model.UnitShare {
			f = fmtPercent
		}
		r := i + 3
		b.cell(sh, 1, r, float64(m.Month), fmtNumber)
		b.cell(sh, 2, r, model.ActualColumns[m.Column].Name, "")
		for c, v := range []float64{m.Value, m.SD, m.P5, m.P50, m.P95} {
			b.cell(sh, 3+c, r, v, f)
		}
		b.cell(sh, 8, r, m.Rank, fmtPercent)
		b.cell(sh, 9, r, m.Plan, f)
		b.cell(sh, 10, r, m.Verdict(l, run.Scenario.Currency), "")
	}
	r := len(t.Months) + 4
	b.cell(sh, 1, r, l.Tf("Effective sample size %s of %s iterations; relative measurement sd %s unless the file gives its own.",
		l.Number(t.Update.ESS, 0), l.Number(float64(t.Update.Iterations), 0), l.Percent(t.Noise)), "")
	r += 2
	b.cell(sh, 1, r, l.Tf("What the first %d months taught us", t.LastMonth()), "")
	b.header(sh, 1, r+1, "input", "prior_mean", "prior_p10", "prior_p90", "updated_mean", "updated_p10", "updated_p90", "narrowed")
	for i, in := range t.Inputs {
		f := inputFormat(in.Name)
		row := r + 2 + i
		b.cell(sh, 1, row, l.Label(in.Name), "")
		for c, v := range []float64{in.Prior.Mean, in.Prior.P10, in.Prior.P90, in.Updated.Mean, in.Updated.P10, in.Updated.P90} {
			b.cell(sh, 2+c, row, v, f)
		}
		b.cell(sh, 8, row, in.Narrowed, fmtPercent)
	}
	b.widths(sh, "A", "A", 30)
	b.widths(sh, "B", "I", 15)
	b.widths(sh, "J", "J", 70)
}

// ruTrackText are the Russian texts of crmroi track.
var ruTrackText = map[string]string{
	"inside the band": "внутри полосы",
	"below the band":  "ниже полосы",
	"above the band":  "выше полосы",
	"outside every simulated path (%s to %s)": "вне всех смоделированных траекторий (от %s до %s)",
	"on plan":    "по плану",
	"below plan": "ниже плана",
	"above plan": "выше плана",
	"month %d: %s at %s of the forecast — %s, %s":                                                            "месяц %d: %s на %s прогноза — %s, %s",
	"Actuals against the forecast (months 1–%d, %s)":                                                         "Фактические данные против прогноза (месяцы 1–%d, %s)",
	"Effective sample size %s of %s iterations":                                                              "Эффективный размер выборки %s из %s итераций",
	"(run past the %s iterations asked for, to reach an effective sample size of %s)":                        "(прогон продлён сверх запрошенных %s итераций, чтобы эффективный размер выборки достиг %s)",
	"warning: the effective sample size is below %s at the cap of iterations: the updated figures are rough": "предупреждение: эффективный размер выборки ниже %s при предельном числе итераций: обновлённые показатели грубые",
	"What the first %d months taught us":                                                                     "Чему нас научили первые %d мес.",
	"prior mean":                                                                                             "среднее до",
	"updated mean":                                                                                           "среднее после",
	"narrowed":                                                                                               "сужение",
	"P10–P90":                                                                                                "P10–P90",
	"Cumulative cash flow updated by the actuals of months 1–%d":                                             "Накопленный денежный поток, обновлённый по факту месяцев 1–%d",
	"Actuals":                      "Факт",
	"Before the actuals P5–P95":    "До факта P5–P95",
	"Actuals against the forecast": "Фактические данные против прогноза",
	"Each actual against the forecast made before the actuals (the scenario alone): that month's P5, P50 and P95 and the actual's percentile rank among the simulated paths. The figures and charts of this report are the forecast updated by the actuals: every simulated path weighted by how well it reproduces them (methodology, section “Tracking”).": "Каждое фактическое значение против прогноза, сделанного до факта (только по сценарию): P5, P50 и P95 этого месяца и процентильный ранг факта среди смоделированных траекторий. Показатели и графики этого отчёта — прогноз, обновлённый по факту: каждая смоделированная траектория взвешена по тому, насколько хорошо она воспроизводит факт (методика, раздел «Отслеживание»).",
	"Month":   "Месяц",
	"Column":  "Показатель",
	"Actual":  "Факт",
	"Rank":    "Ранг",
	"Reading": "Оценка",
	"Effective sample size %s of %s iterations; relative measurement sd %s unless the file gives its own.": "Эффективный размер выборки %s из %s итераций; относительное стандартное отклонение ошибки измерения %s, если файл не задаёт своё.",
	"Before and after the actuals": "До и после фактических данных",
	"Before":                       "До",
	"After":                        "После",
	"Each uncertain input before the actuals (the scenario's distribution) and after them, most narrowed first: narrowed is how much of the P10–P90 range the actuals ruled out.": "Каждый неопределённый вход до фактических данных (распределение сценария) и после них, начиная с самых суженных: сужение — какую часть диапазона P10–P90 исключил факт.",
	"Input": "Вход",
	"(drawn from a sampling distribution fitted to the actuals in %d rounds, the weights corrected for it)": "(выборка из распределения, подобранного к факту за %d раундов, с поправкой весов на него)",
}

func init() {
	for k, v := range ruTrackText {
		if _, ok := ruText[k]; !ok {
			ruText[k] = v
		}
	}
	sheetRu[SheetTrack] = "Факт"
}
