package out

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// VOIRun is a value-of-information analysis and what was asked for it.
type VOIRun struct {
	Scenarios []*model.Scenario // the options, in order (one: invest or not)
	VOI       *sim.VOI
	Currency  string
	Workers   int
	Elapsed   float64 // seconds
	Version   string
}

// VOIChartNames are the charts `crmroi voi` writes, without extension.
var VOIChartNames = []string{"voi"}

// MaxVOIRows is how many inputs the voi chart shows at most.
const MaxVOIRows = 20

// sortedByEVPPI returns the factors by EVPPI, largest first (ties in their order).
func sortedByEVPPI(in []sim.VOIFactor) []sim.VOIFactor {
	out := append([]sim.VOIFactor(nil), in...)
	sort.SliceStable(out, func(a, b int) bool { return out[a].Value > out[b].Value })
	return out
}

// VOIJSON is voi.json as an ordered object: values in money (the scenarios'
// currency). Nothing in it depends on the machine or the number of workers.
func VOIJSON(vr *VOIRun) Obj {
	v := vr.VOI
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
		{"currency", vr.Currency},
		{"iterations", v.Iterations},
		{"output", v.Output},
		{"options", options},
		{"best_option", v.Options[v.Best]},
		{"undefined_iterations", v.Dropped},
		{"seed", v.Seed},
		{"version", vr.Version},
	}
}

// WriteVOIJSON writes voi.json, indented.
func WriteVOIJSON(w io.Writer, vr *VOIRun) error { return writeIndented(w, VOIJSON(vr)) }

// WriteVOICSV writes voi.csv: the EVPI row, then one row per factor, then one
// per group (its members separated by spaces), values in money.
func WriteVOICSV(w io.Writer, vr *VOIRun) error {
	v := vr.VOI
	cw := newCSVWriter(w)
	if err := cw.Write([]string{"kind", "name", "members", "value", "lo", "hi", "se"}); err != nil {
		return err
	}
	if err := cw.Write([]string{"evpi", "evpi", "", csvNum(v.EVPI.Value), "", "", csvNum(v.EVPI.SE)}); err != nil {
		return err
	}
	for _, f := range v.Inputs {
		kind := "input"
		if f.Risk {
			kind = "risk_draw"
		}
		if err := cw.Write([]string{kind, f.Name, "", csvNum(f.Value), csvNum(f.Lo), csvNum(f.Hi), ""}); err != nil {
			return err
		}
	}
	for _, g := range v.Groups {
		if err := cw.Write([]string{"group", g.Name, strings.Join(g.Members, " "), csvNum(g.Value), csvNum(g.Lo), csvNum(g.Hi), ""}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// voiDecision says what is decided, for the table and the chart.
func voiDecision(vr *VOIRun, l Lang) string {
	v := vr.VOI
	if len(v.Options) == 2 {
		return l.Tf("Decision: invest or not (%s vs 0)", l.Label(v.Output))
	}
	names := make([]string, len(v.Options))
	for i, o := range v.Options {
		names[i] = optionName(o, l)
	}
	return l.Tf("Decision: the best of %s", strings.Join(names, ", "))
}

// optionName is an option's name for the reader: "do nothing" and the one
// scenario's "invest" translated.
func optionName(name string, l Lang) string {
	if name == sim.DoNothing || name == "invest" {
		return l.T(name)
	}
	return name
}

// WriteVOITable writes the terminal table: the EVPI, then the inputs and
// groups by EVPPI, in money, in words a CFO reads.
func WriteVOITable(w io.Writer, vr *VOIRun, files []string, l Lang) error {
	v := vr.VOI
	cur := CurrencySign(vr.Currency)
	money := func(x float64) string { return typoMinusIf(l, l.Money(x)) + " " + cur }
	var b strings.Builder
	titles := make([]string, len(vr.Scenarios))
	for i, s := range vr.Scenarios {
		titles[i] = s.TitleIn(string(l))
	}
	fmt.Fprintf(&b, "crmroi voi — %s\n", strings.Join(titles, " · "))
	fmt.Fprint(&b, l.Tf("%s · %s iterations · seed %d · %s s\n", voiDecision(vr, l), l.Number(float64(v.Iterations), 0), v.Seed, l.Number(vr.Elapsed, 2)))
	fmt.Fprint(&b, l.Tf("Without more information the best choice is %q (mean %s).\n\n", optionName(v.Options[v.Best], l), money(v.Means[v.Best])))
	fmt.Fprint(&b, l.Tf("Knowing everything before deciding (EVPI) is worth up to %s (± %s).\n", money(v.EVPI.Value), money(v.EVPI.SE)))
	rows := sortedByEVPPI(v.Inputs)
	if len(rows) > 0 && rows[0].Value > 0 {
		fmt.Fprint(&b, l.Tf("Knowing %s before deciding is worth up to %s.\n", l.Label(rows[0].Name), money(rows[0].Value)))
	}
	b.WriteString(l.T("\nValue of knowing each input before deciding (EVPPI, 95% interval):\n"))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tEVPPI\t95%%\t\n", l.T("Input"))
	for i, f := range rows {
		if i == TopSensitivity {
			break
		}
		fmt.Fprintf(tw, "%s\t%s\t[%s, %s]\t\n", l.Label(f.Name), money(f.Value), l.Money(f.Lo), l.Money(f.Hi))
	}
	tw.Flush()
	if len(v.Groups) > 0 {
		b.WriteString(l.T("\nGroups (their inputs learnt together):\n"))
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "%s\t%s\tEVPPI\t95%%\t\n", l.T("Group"), l.T("Inputs"))
		for _, g := range v.Groups {
			fmt.Fprintf(tw, "%s\t%d\t%s\t[%s, %s]\t\n", l.Label(g.Name), len(g.Members), money(g.Value), l.Money(g.Lo), l.Money(g.Hi))
		}
		tw.Flush()
	}
	var notes []string
	if v.Dropped > 0 {
		notes = append(notes, l.Tf("%d iterations where an option's %s is undefined were left out", v.Dropped, v.Output))
	}
	writeFooter(&b, l, "\nNotes:\n", notes, files)
	_, err := io.WriteString(w, b.String())
	return err
}

// VOIChart is voi: the inputs with the largest EVPPI (at most MaxVOIRows),
// with their intervals, and the EVPI as a dashed line.
func VOIChart(vr *VOIRun, l Lang) (*Chart, error) {
	v := vr.VOI
	cur := CurrencySign(vr.Currency)
	ch := &Chart{Name: "voi", Title: l.T("What is it worth to know an input before deciding? · EVPPI, largest first"),
		Subtitle: voiDecision(vr, l) + " · " + l.Tf("%s iterations · seed %d", l.Number(float64(v.Iterations), 0), v.Seed)}
	rows := sortedByEVPPI(v.Inputs)
	if len(rows) > MaxVOIRows {
		rows = rows[:MaxVOIRows]
	}
	if len(rows) == 0 || !(v.EVPI.Value > 0) {
		ch.Message = l.T("No value of information: the decision is the same whatever the inputs")
		return ch, nil
	}
	n := len(rows)
	p := newPlot()
	p.X.Label.Text = l.Tf("Value of knowing before deciding, %s", cur)
	p.X.Tick.Marker = moneyTicks(l, vr.Currency)
	names := make([]plot.Tick, n)
	hi := v.EVPI.Value
	for i, f := range rows {
		names[i] = plot.Tick{Value: float64(n - 1 - i), Label: l.Label(f.Name)}
		if !math.IsNaN(f.Hi) {
			hi = math.Max(hi, f.Hi)
		}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(names)
	p.Y.Tick.Length = 0
	p.Y.LineStyle.Width = 0
	p.Add(grid(true))
	p.Add(drawFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&c)
		half := (trY(0) - trY(1)) * 0.3
		if half < 0 {
			half = -half
		}
		whisker := solid(colText, 0.9)
		for i, f := range rows {
			y := trY(float64(n - 1 - i))
			c.FillPolygon(colBlue, c.ClipPolygonXY(rectPts(trX(0), y-half, trX(f.Value), y+half)))
			x0, x1 := trX(f.Lo), trX(f.Hi)
			c.StrokeLines(whisker, c.ClipLinesXY([]vg.Point{{X: x0, Y: y}, {X: x1, Y: y}})...)
			for _, x := range []vg.Length{x0, x1} {
				c.StrokeLines(whisker, c.ClipLinesXY([]vg.Point{{X: x, Y: y - half*0.6}, {X: x, Y: y + half*0.6}})...)
			}
		}
		zero := trX(0)
		c.StrokeLine2(solid(colAxis, 0.8), zero, c.Min.Y, zero, c.Max.Y)
		e := trX(v.EVPI.Value)
		dash := solid(colVermillion, 1.2)
		dash.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		c.StrokeLine2(dash, e, c.Min.Y, e, c.Max.Y)
	}))
	p.X.Min, p.X.Max = 0, hi*1.08
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.Y.Padding = 0
	ch.Plot = p
	evpiLine := solid(colVermillion, 1.2)
	evpiLine.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	ch.legend = []legendItem{
		{label: l.T("EVPPI"), fill: colBlue},
		{label: l.T("95% interval"), line: solid(colText, 0.9)},
		{label: l.Tf("EVPI (knowing everything): %s", l.MoneyCompact(v.EVPI.Value, vr.Currency)), line: evpiLine},
	}
	return ch, nil
}

// RenderVOICharts builds the voi chart and renders it in format ("png" or
// "svg") and as PNG for a report.
func RenderVOICharts(vr *VOIRun, lang Lang, format string) ([]RenderedChart, error) {
	return renderAll(VOIChartNames, func(string) (*Chart, error) { return VOIChart(vr, lang) }, format, true)
}

// voiRu are the Russian texts of the voi table and chart; init adds them to
// ruText where it has none.
var voiRu = map[string]string{
	"Decision: invest or not (%s vs 0)":                                         "Решение: инвестировать или нет (%s против 0)",
	"Decision: the best of %s":                                                  "Решение: лучший из вариантов %s",
	"%s · %s iterations · seed %d · %s s\n":                                     "%s · итераций: %s · зерно %d · %s с\n",
	"Without more information the best choice is %q (mean %s).\n\n":             "Без дополнительной информации лучший выбор — «%s» (среднее %s).\n\n",
	"Knowing everything before deciding (EVPI) is worth up to %s (± %s).\n":     "Знать всё до решения (EVPI) стоит до %s (± %s).\n",
	"Knowing %s before deciding is worth up to %s.\n":                           "Знать %s до решения стоит до %s.\n",
	"\nValue of knowing each input before deciding (EVPPI, 95% interval):\n":    "\nЦенность знания каждого фактора до решения (EVPPI, 95% интервал):\n",
	"\nGroups (their inputs learnt together):\n":                                "\nГруппы (их факторы узнаём вместе):\n",
	"%d iterations where an option's %s is undefined were left out":             "итерации, где %[2]s варианта не определён, исключены: %[1]d",
	"What is it worth to know an input before deciding? · EVPPI, largest first": "Сколько стоит знать фактор до решения? · EVPPI по убыванию",
	"%s iterations · seed %d":                                                   "итераций: %s · зерно %d",
	"No value of information: the decision is the same whatever the inputs":     "Информация ничего не стоит: решение одно и то же при любых факторах",
	"Value of knowing before deciding, %s":                                      "Ценность знания до решения, %s",
	"invest":                                                                    "инвестировать",
	"do nothing":                                                                "ничего не делать",
	"EVPPI":                                                                     "EVPPI",
	"EVPI (knowing everything): %s":                                             "EVPI (знать всё): %s",
}

func init() {
	for k, v := range voiRu {
		if _, ok := ruText[k]; !ok {
			ruText[k] = v
		}
	}
}
