package out

import (
	"bytes"
	"html/template"
	"math"
	"strings"
)

// sensitivityTmpl is the sensitivity section of report.html.
var sensitivityTmpl = template.Must(template.New("sensitivity").Parse(`
<section>
<h2>{{.Title}}</h2>
<p class="note">{{.Intro}}</p>
<div class="scroll">
<table class="wide">
<thead><tr>{{range $i, $h := .Head}}<th{{if eq $i 0}} class="t"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr><td class="t">{{if .Path}}{{.Label}}<small><code class="path">{{.Path}}</code></small>{{else}}<code class="path">{{.Label}}</code>{{end}}{{if .Note}}<small>{{.Note}}</small>{{end}}</td>{{range .Cells}}<td class="n">{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
</div>
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
{{- range .Notes}}
<p class="note">{{.}}</p>
{{- end}}
{{- range .Figures}}
<figure>
<img {{.Src}} alt="{{.Alt}}" width="1600" height="1000">
<figcaption>{{.Title}}</figcaption>
</figure>
{{- end}}
</section>
`))

// sensitivityNotes tell how to read each sensitivity chart.
var sensitivityNotes = map[string]string{
	"spider":                "Each line is one input moved through its P10, P25, P50, P75 and P90 with every other input at plan and no risk event; the steeper the line, the more the output depends on that input.",
	"sobol":                 "The share of the output's variance due to each input alone (first order) and with its interactions (total), with bootstrap 95% intervals; correlations are switched off.",
	"sensitivity_over_time": "For every month, the share of the variance of the cumulative cash flow that each group of inputs explains alone; grey on top is what only interactions explain.",
}

// sensitivitySection renders the sensitivity section of the report, or
// nothing when the run has no sensitivity analysis.
func sensitivitySection(run *Run, l Lang) template.HTML {
	r := run.Sensitivity
	if r == nil {
		return ""
	}
	sr := &SensitivityRun{Scenario: run.Scenario, Sens: r, Version: run.Version}
	num := func(v float64) string {
		if math.IsNaN(v) {
			return "—"
		}
		return typoMinus(l.Number(v, 3))
	}
	interval := func(c [2]float64) string { return "[" + num(c[0]) + ", " + num(c[1]) + "]" }
	view := struct {
		Title, Intro, GroupsTitle string
		Head, GroupHead           []string
		Rows, Groups              []reportRow
		Notes                     []string
		Figures                   []reportFigure
	}{
		Title: l.T("Sensitivity"),
		Intro: l.Tf("Which inputs drive %s, by several methods: rank correlations on the Monte Carlo sample (%s iterations) and Sobol indices from a Saltelli design (N = %s, %s model runs, %s base sample). Inputs sorted by total Sobol index.",
			l.Label(r.Output), l.Number(float64(r.Iterations), 0), l.Number(float64(r.Base), 0), l.Number(float64(r.ModelRuns), 0), l.Sampling(r.Sampling)),
		GroupsTitle: l.T("Groups of inputs"),
		Head:        []string{l.T("Input"), l.T("Spearman"), l.T("PRCC"), l.T("SRRC"), l.T("Contribution"), l.T("Sobol S1"), l.T("95% CI"), l.T("Sobol ST"), l.T("95% CI")},
		GroupHead:   []string{l.T("Group"), l.T("S1"), l.T("95% CI"), l.T("ST"), l.T("95% CI")},
		Notes:       SensitivityNotes(r, l),
	}
	for _, in := range sortedBySobol(r.Inputs) {
		share := typoMinus(l.Percent(in.VarianceShare))
		if in.NotMonotone {
			share = "*" + share
		}
		view.Rows = append(view.Rows, reportRow{Label: l.Label(in.Name), Path: l.labelPath(in.Name), Note: l.Label(in.Group), Cells: []string{num(in.Spearman), num(in.PRCC), num(in.SRRC),
			share, num(in.SobolFirst), interval(in.SobolFirstCI), num(in.SobolTotal), interval(in.SobolTotalCI)}})
	}
	for _, g := range r.Groups {
		members := make([]string, len(g.Members))
		for i, m := range g.Members {
			members[i] = l.Label(m)
		}
		view.Groups = append(view.Groups, reportRow{Label: l.Label(g.Name), Note: strings.Join(members, ", "),
			Cells: []string{num(g.SobolFirst), interval(g.SobolFirstCI), num(g.SobolTotal), interval(g.SobolTotalCI)}})
	}
	for _, name := range []string{"spider", "sobol", "sensitivity_over_time"} {
		ch, err := BuildSensitivityChart(name, sr, l)
		if err != nil {
			continue
		}
		png, err := ch.PNG()
		if err != nil {
			continue
		}
		view.Figures = append(view.Figures, pngFigure(l.T(sensitivityNotes[name]), ch.Title, png))
	}
	var b bytes.Buffer
	if err := sensitivityTmpl.Execute(&b, view); err != nil {
		return template.HTML("<p class=\"note\">" + template.HTMLEscapeString(err.Error()) + "</p>")
	}
	return template.HTML(b.String())
}
