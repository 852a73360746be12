package out

import (
	"math"
	"strings"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// What the files say of a scenario's gate: section (model.md section 7).
// The normal outputs are those with the gate; the gate's own outputs
// (model.GateOutputs, Internal) give the figures below. Without the section
// none of this adds anything, so that every file stays as it was.

// GateFigures are a run's figures of its go/no-go gate.
type GateFigures struct {
	RunMonth  int
	StopIf    string
	Threshold float64 // NaN where the gate has none
	// ShareStopped is the share of all iterations the gate stopped.
	ShareStopped float64
	// MeanWith and MeanWithout are the mean npv with and without the gate,
	// on the same draws; Value = MeanWith − MeanWithout is the value of the
	// gate and SE the standard error of the mean of the paired differences.
	MeanWith, MeanWithout float64
	Value, SE             float64
	// ProbLossWith and ProbLossWithout are P(npv < 0) with and without it.
	ProbLossWith, ProbLossWithout float64
}

// GateOf returns the gate figures of a run, or nil for a run of a scenario
// without a gate: section.
func GateOf(run *Run) *GateFigures {
	g := run.Scenario.Gate
	if g == nil || run.Result == nil {
		return nil
	}
	r := run.Result
	without, value, stopped := outputIndex(r, model.OutputNPVWithoutGate), outputIndex(r, model.OutputGateValue), outputIndex(r, model.OutputStoppedAtGate)
	if without < 0 || value < 0 || stopped < 0 || len(r.Metrics) == 0 {
		return nil
	}
	f := &GateFigures{RunMonth: g.RunMonth, StopIf: g.StopIf.Text, Threshold: g.Threshold,
		ShareStopped: r.Prob(stopped, model.ShareStopped),
		MeanWith:     r.Metrics[0].Mean, MeanWithout: r.Metrics[without].Mean,
		SE:           r.Metrics[value].SE,
		ProbLossWith: r.Prob(0, model.ProbNegative), ProbLossWithout: r.Prob(without, model.ProbNegative)}
	f.Value = f.MeanWith - f.MeanWithout
	return f
}

// outputIndex is the index of the output called name in r, or −1.
func outputIndex(r *sim.Result, name string) int {
	for k, o := range r.Info {
		if o.Name == name {
			return k
		}
	}
	return -1
}

// gateObj is the gate object of summary.json (cli.md).
func gateObj(f *GateFigures) Obj {
	var threshold any
	if !math.IsNaN(f.Threshold) {
		threshold = Num(f.Threshold)
	}
	return Obj{{"run_month", f.RunMonth}, {"stop_if", f.StopIf}, {"threshold", threshold},
		{"share_stopped", Num(f.ShareStopped)},
		{"value", Obj{{"mean", Num(f.Value)}, {"se", Num(f.SE)}}},
		{"npv_mean_with", Num(f.MeanWith)}, {"npv_mean_without", Num(f.MeanWithout)},
		{"prob_loss_with", Num(f.ProbLossWith)}, {"prob_loss_without", Num(f.ProbLossWithout)}}
}

// withGate appends a run's gate object to o, where its scenario has a gate.
func withGate(o Obj, run *Run) Obj {
	if f := GateOf(run); f != nil {
		o = append(o, kv{"gate", gateObj(f)})
	}
	return o
}

// GateLines are the terminal table's and the report's lines on the gate, in
// language l; nil without a gate: section.
func GateLines(run *Run, l Lang) []string {
	f := GateOf(run)
	if f == nil {
		return nil
	}
	rule := f.StopIf
	if !math.IsNaN(f.Threshold) {
		rule += l.Tf(" (threshold %s)", l.plain(f.Threshold))
	}
	cur := run.Scenario.Currency
	return []string{
		l.Tf("Go/no-go gate at the end of run month %d: stop if %s. Stopped: %s of the iterations.", f.RunMonth, rule, l.Percent(f.ShareStopped)),
		l.Tf("Value of the gate: %s ± %s %s (mean NPV %s with the gate, %s without; ± one standard error of the paired difference). P(loss) %s with the gate, %s without.",
			l.Money(f.Value), l.Money(f.SE), cur, l.Money(f.MeanWith), l.Money(f.MeanWithout),
			l.Percent(f.ProbLossWith), l.Percent(f.ProbLossWithout)),
	}
}

// ruGateText are the Russian texts of the gate's lines.
var ruGateText = map[string]string{
	" (threshold %s)": " (порог %s)",
	"Go/no-go gate at the end of run month %d: stop if %s. Stopped: %s of the iterations.":                                                                        "Контрольная точка «продолжать или остановить» в конце %d-го месяца эксплуатации: остановить, если %s. Остановлено: %s итераций.",
	"Value of the gate: %s ± %s %s (mean NPV %s with the gate, %s without; ± one standard error of the paired difference). P(loss) %s with the gate, %s without.": "Ценность контрольной точки: %s ± %s %s (средний NPV %s с точкой, %s без неё; ± одна стандартная ошибка парной разности). P(убытка) %s с точкой, %s без неё.",
	"Go/no-go gate": "Контрольная точка",
	"Best gate setting: %s (value of the gate %s ± %s %s)": "Лучшая настройка контрольной точки: %s (её ценность %s ± %s %s)",
	"Gate value":               "Ценность точки",
	"Value of the gate ± 2 se": "Ценность точки ± 2 ст. ошибки",
	"Value of the gate, %s":    "Ценность точки, %s",
	"best %s":                  "лучшее: %s",
	"Stopped":                  "Остановлено",
}

func init() {
	for k, v := range ruGateText {
		if _, ok := ruText[k]; !ok {
			ruText[k] = v
		}
	}
}

// gateColumns are the columns sweep.csv adds for a scenario with a gate.
var gateColumns = []string{"gate_value", "gate_value_se", "share_stopped", "prob_loss_without_gate"}

// gateCells are a run's gateColumns as CSV cells.
func gateCells(r *Run) []string {
	f := GateOf(r)
	if f == nil {
		return []string{"", "", "", ""}
	}
	return []string{csvNum(f.Value), csvNum(f.SE), csvNum(f.ShareStopped), csvNum(f.ProbLossWithout)}
}

// hasGate reports whether the sweep's scenario has a gate.
func (s *Sweep) hasGate() bool { return s.Base.Gate != nil }

// BestGate returns the cell (index into Runs) with the highest value of
// the gate, or −1 when the sweep's scenario has no gate or no swept
// parameter is one of the gate's (gate.threshold, gate.run_month). Across
// values of the gate's own parameters the npv without the gate is the same
// draw for draw (common random numbers), so the best value of the gate is
// the best mean npv.
func (s *Sweep) BestGate() int {
	if !s.hasGate() {
		return -1
	}
	gated := false
	for _, a := range s.Axes {
		gated = gated || strings.HasPrefix(a.Param, "gate.")
	}
	if !gated {
		return -1
	}
	best, bv := -1, math.Inf(-1)
	for k, r := range s.Runs {
		if f := GateOf(r); f != nil && f.Value > bv {
			best, bv = k, f.Value
		}
	}
	return best
}

// bestGateObj is sweep.json's best_gate: the best cell's values and value
// of the gate, or null.
func (s *Sweep) bestGateObj() any {
	k := s.BestGate()
	if k < 0 {
		return nil
	}
	f := GateOf(s.Runs[k])
	return Obj{{"values", s.cellValues(k)}, {"value", Obj{{"mean", Num(f.Value)}, {"se", Num(f.SE)}}},
		{"share_stopped", Num(f.ShareStopped)}, {"prob_loss_with", Num(f.ProbLossWith)}}
}

// bestGateText is the terminal line on the best cell, or "".
func (s *Sweep) bestGateText(l Lang) string {
	k := s.BestGate()
	if k < 0 {
		return ""
	}
	var at []string
	for _, e := range s.cellValues(k) {
		at = append(at, e.K+" = "+e.V.(string))
	}
	f := GateOf(s.Runs[k])
	return l.Tf("Best gate setting: %s (value of the gate %s ± %s %s)", strings.Join(at, ", "),
		l.Money(f.Value), l.Money(f.SE), s.Base.Currency)
}
