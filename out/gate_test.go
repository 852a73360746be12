package out

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
	"github.com/xuri/excelize/v2"
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

// TestGateXLSX: summary.xlsx's gate table equals summary.json's gate
// object, figure for figure; a run without a gate has no such table.
func TestGateXLSX(t *testing.T) {
	s, err := model.Load("../examples/pilot_gate.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	run := simulatedRun(t, s, 5000)
	var js bytes.Buffer
	if err := WriteSummaryJSON(&js, run); err != nil {
		t.Fatal(err)
	}
	var sum map[string]any
	if err := json.Unmarshal(js.Bytes(), &sum); err != nil {
		t.Fatal(err)
	}
	g := sum["gate"].(map[string]any)
	for _, l := range Langs {
		var xb bytes.Buffer
		if err := WriteSummaryXLSX(&xb, run, l); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(xb.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		rows := sheetRows(t, f, SheetName(SheetSummary, l))
		h := findRow(rows, xlsxHead(l, "gate")[0], 0)
		if h < 0 {
			t.Fatalf("%s: no gate table", l)
		}
		key := func(k string) string { return xt(l, k) } // a row's name: the key, Russian words in Russian
		for _, k := range []string{"run_month", "threshold", "share_stopped", "npv_mean_with", "npv_mean_without", "prob_loss_with", "prob_loss_without"} {
			sameNumber(t, k, cellAt(rows[findRow(rows, key(k), h)], 1), g[k])
		}
		v := g["value"].(map[string]any)
		sameNumber(t, "value", cellAt(rows[findRow(rows, key("value"), h)], 1), v["mean"])
		sameNumber(t, "value_se", cellAt(rows[findRow(rows, key("value_se"), h)], 1), v["se"])
		if got := cellAt(rows[findRow(rows, key("stop_if"), h)], 1); got != g["stop_if"] {
			t.Errorf("stop_if %q", got)
		}
	}
	var xb bytes.Buffer
	if err := WriteSummaryXLSX(&xb, simulatedRun(t, model.Default(), 2000), English); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xb.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if findRow(sheetRows(t, f, SheetSummary), "gate", 0) >= 0 {
		t.Error("a run without a gate has a gate table")
	}
}
