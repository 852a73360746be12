package out

import (
	"errors"
	"fmt"
	"math"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// Charts of a formula model: for every output a histogram (NAME_hist) and an
// S-curve (NAME_cdf), then the tornado of the primary output (tornado). The
// histogram and the tornado are the CRM charts drawn for one output; the
// S-curve has its own builder, as the CRM one speaks of losses.

func init() {
	for en, ru := range formulaRuText {
		if _, ok := ruText[en]; !ok {
			ruText[en] = ru
		}
	}
}

// formulaRuText are the Russian texts of the formula-model output.
var formulaRuText = map[string]string{
	"%s distribution · P(%s < 0) = %s": "Распределение %s · P(%s < 0) = %s",
	"%s < 0":                           "%s < 0",
	"%s ≥ 0":                           "%s ≥ 0",
	"%s S-curve · P5 %s · P50 %s · P95 %s":                               "S-кривая %s · P5 %s · P50 %s · P95 %s",
	"Probability that %s ≤ x":                                            "Вероятность, что %s ≤ x",
	"What moves %s · each input from its P10 to its P90, others at plan": "Что влияет на %s · каждый фактор от P10 до P90, остальные по плану",
	"Output":           "Выход",
	"\nP(%s < 0) %s\n": "\nP(%s < 0) %s\n",
	"\nTop drivers of %s (input at its P10 → P90, others at plan):\n": "\nГлавные факторы %s (фактор от P10 до P90, остальные по плану):\n",
}

// FormulaChartNames are the charts of a formula model's run, without extension.
func FormulaChartNames(run *Run) []string {
	var names []string
	for _, o := range run.Result.Outputs {
		names = append(names, o+"_hist", o+"_cdf")
	}
	return append(names, "tornado")
}

// BuildFormulaChart builds the formula-model chart called name (one of FormulaChartNames).
func BuildFormulaChart(name string, run *Run, l Lang) (*Chart, error) {
	if name == "tornado" {
		return FormulaTornado(run, l)
	}
	for k, o := range run.Result.Outputs {
		switch name {
		case o + "_hist":
			return FormulaHistogram(run, k, l)
		case o + "_cdf":
			return FormulaCurve(run, k, l)
		}
	}
	return nil, fmt.Errorf("no chart called %q", name)
}

// outputRun is run reduced to output k of a formula model, in the shape the
// NPV charts read: its values, statistics, P(< 0) and plan value as NPV's,
// with no currency.
func outputRun(run *Run, k int) *Run {
	r := run.Result
	one := *r
	one.Outputs = []string{r.Outputs[k]}
	one.Metrics = []sim.Stats{r.Metrics[k]}
	if k < len(r.Values) {
		one.Values = [][]float64{r.Values[k]}
	} else {
		one.Values = nil
	}
	one.Info = []model.OutputInfo{r.Info[k]}
	one.Probs = [][]float64{r.Probs[k]}
	s := *run.Scenario
	s.Currency = ""
	c := *run
	c.Result, c.Scenario = &one, &s
	c.Det.Plan.NPV = math.NaN()
	if k < len(run.Det.PlanValues) {
		c.Det.Plan.NPV = run.Det.PlanValues[k]
	}
	return &c
}

// FormulaHistogram is NAME_hist: the histogram of output k, values below
// zero coloured apart, with P5, P50, P95 and the plan case marked.
func FormulaHistogram(run *Run, k int, l Lang) (*Chart, error) {
	or := outputRun(run, k)
	ch, err := NPVHistogram(or, l)
	if err != nil {
		return nil, err
	}
	name := run.Result.Outputs[k]
	ch.Name = name + "_hist"
	ch.Title = l.Tf("%s distribution · P(%s < 0) = %s", name, name, l.Percent(lossProb(or.Result)))
	ch.Plot.X.Label.Text = name
	ch.legend[0].label = l.Tf("%s < 0", name)
	ch.legend[1].label = l.Tf("%s ≥ 0", name)
	return ch, nil
}

// FormulaCurve is NAME_cdf: the S-curve (cumulative probability) of output k
// with P5, P50, P95 and the plan case marked.
func FormulaCurve(run *Run, k int, l Lang) (*Chart, error) {
	r := run.Result
	if k >= len(r.Values) {
		return nil, ErrNoValues
	}
	name := r.Outputs[k]
	const points = 1000
	levels := make([]float64, points+1)
	for i := range levels {
		levels[i] = float64(i) / points
	}
	q := sim.Quantiles(r.Values[k], levels)
	xy := make(plotter.XYs, len(q))
	for i, v := range q {
		xy[i] = plotter.XY{X: v, Y: levels[i]}
	}
	p, err := sCurvePlot(xy, name, "", l)
	if err != nil {
		return nil, err
	}
	plan := math.NaN()
	if k < len(run.Det.PlanValues) {
		plan = run.Det.PlanValues[k]
	}
	if !math.IsNaN(plan) {
		p.Add(markers([]marker{{x: plan, label: l.Tf("Plan %s", l.Compact(plan)), line: solid(colGreen, 1.4), color: darken(colGreen, 0.3)}}))
		p.X.Min = math.Min(p.X.Min, plan)
		p.X.Max = math.Max(p.X.Max, plan)
	}
	st := r.Metrics[k]
	p.Add(drawFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&c)
		curvePercentiles(c, trX, trY, st, l.Compact)
	}))
	p.Y.Min, p.Y.Max = 0, 1.0
	return &Chart{
		Name:     name + "_cdf",
		Title:    l.Tf("%s S-curve · P5 %s · P50 %s · P95 %s", name, l.Compact(st.Pct[pctP5]), l.Compact(st.Pct[pctP50]), l.Compact(st.Pct[pctP95])),
		Subtitle: subtitle(run, l),
		Plot:     p,
		legend: []legendItem{
			{label: l.Tf("Probability that %s ≤ x", name), line: solid(colBlue, 2)},
			{label: l.T("Plan case"), line: solid(colGreen, 1.4)},
		},
	}, nil
}

// FormulaTornado is tornado: the CRM tornado chart drawn for the primary output.
func FormulaTornado(run *Run, l Lang) (*Chart, error) {
	if len(run.Result.Outputs) == 0 {
		return nil, errors.New("the model has no output")
	}
	ch, err := TornadoChart(outputRun(run, 0), l)
	if err != nil {
		return nil, err
	}
	name := run.Result.Outputs[0]
	ch.Title = l.Tf("What moves %s · each input from its P10 to its P90, others at plan", name)
	if ch.Plot != nil {
		ch.Plot.X.Label.Text = name
	}
	return ch, nil
}

// RenderFormulaCharts builds every chart of FormulaChartNames and renders it
// in format ("png" or "svg"), concurrently, in the order of FormulaChartNames.
func RenderFormulaCharts(run *Run, lang Lang, format string) ([]RenderedChart, error) {
	return renderAll(FormulaChartNames(run), func(name string) (*Chart, error) { return BuildFormulaChart(name, run, lang) }, format, false)
}
