package out

import (
	"bytes"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// TestGateInTablesChartsAndReport: a sweep of gate.threshold draws the
// value of the gate in its chart and names the best threshold, a run's
// table and report say what the gate did, in both languages with every
// text translated; a sweep or run without a gate shows none of it.
func TestGateInTablesChartsAndReport(t *testing.T) {
	gate := []model.Set{{Name: "gate.run_month", Value: "5", N: 1}, {Name: "gate.stop_if", Value: "A < threshold", N: 2}}
	a := SweepAxis{Param: "gate.threshold", Values: []string{"0", "0.3", "0.5"}, X: []float64{0, 0.3, 0.5}, Numeric: true}
	base := simRun(t, 1500, append(gate, model.Set{Name: "gate.threshold", Value: "0", N: 3})...)
	sw := &Sweep{Base: base.Scenario, Axes: []SweepAxis{a}, Risk: 0.25, Version: "test"}
	for _, v := range a.Values {
		sw.Runs = append(sw.Runs, simRun(t, 1500, append(gate, model.Set{Name: "gate.threshold", Value: v, N: 3})...))
	}
	plain := testSweep(t, false)
	for _, l := range Langs {
		ch, err := SweepChart(sw, l)
		if err != nil {
			t.Fatal(err)
		}
		want := l.T("Value of the gate ± 2 se")
		found := false
		for _, it := range ch.legend {
			found = found || it.label == want
		}
		if !found {
			t.Errorf("%s: the gated sweep's chart has no value of the gate", l)
		}
		if _, err := ch.PNG(); err != nil {
			t.Fatal(err)
		}
		ch, err = SweepChart(plain, l)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range ch.legend {
			if it.label == want {
				t.Errorf("%s: a sweep without a gate has its panel", l)
			}
		}
		var b bytes.Buffer
		if err := WriteSweepTable(&b, sw, nil, l); err != nil {
			t.Fatal(err)
		}
		best := sw.Axes[0].Values[sw.BestGate()]
		if !strings.Contains(b.String(), "gate.threshold = "+best) || !strings.Contains(b.String(), l.T("Gate value")) {
			t.Errorf("%s: sweep table:\n%s", l, b.String())
		}
		b.Reset()
		if err := WriteTableLang(&b, sw.Runs[1], nil, l); err != nil {
			t.Fatal(err)
		}
		lines := GateLines(sw.Runs[1], l)
		if len(lines) != 2 || !strings.Contains(b.String(), lines[0]) || !strings.Contains(b.String(), lines[1]) {
			t.Errorf("%s: the table lacks the gate's lines %q", l, lines)
		}
		b.Reset()
		if err := WriteReport(&b, sw.Runs[1], l, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), l.T("Go/no-go gate")) {
			t.Errorf("%s: the report has no gate block", l)
		}
		b.Reset()
		if err := WriteReport(&b, plain.Runs[0], l, nil); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), l.T("Go/no-go gate")) || GateLines(plain.Runs[0], l) != nil {
			t.Errorf("%s: a run without a gate reports one", l)
		}
	}
	if f := GateOf(sw.Runs[0]); f.Value != 0 || f.ShareStopped != 0 {
		t.Errorf("threshold 0: %+v", f)
	}
	assertTranslated(t)
}
