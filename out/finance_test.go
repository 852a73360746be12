package out

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// financeRun simulates the default scenario with the --set pairs.
func financeRun(t *testing.T, pairs ...string) *Run {
	t.Helper()
	var sets []model.Set
	for i, p := range pairs {
		st, err := model.ParseSet(p, i+1)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, st)
	}
	s, err := model.Load("", sets)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(context.Background(), s, sim.Config{Iterations: 2000, Seed: 5, Workers: 2, Sampling: "mc", KeepOutputs: true})
	if err != nil {
		t.Fatal(err)
	}
	det, err := model.Analyze(s, model.Compile(s))
	if err != nil {
		t.Fatal(err)
	}
	return &Run{Scenario: s, Result: res, Det: det, Version: "test"}
}

// TestFinanceFiles: with a finance: section summary.json, summary.csv, the
// report and the fan chart carry its outputs, plan.cumulative, the line on
// what the figures include and the plan line; without one, none of them.
func TestFinanceFiles(t *testing.T) {
	fin := financeRun(t, "finance.profit_tax=0.25", "finance.terminal_growth=0.02", "finance.capitalized_share=0.5")
	plain := financeRun(t)

	var doc struct {
		Metrics map[string]map[string]float64 `json:"metrics"`
		Plan    map[string]json.RawMessage    `json:"plan"`
	}
	var b bytes.Buffer
	if err := WriteSummaryJSON(&b, fin); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{model.OutputTerminalValue, model.OutputNPVBeforeTax} {
		m, ok := doc.Metrics[name]
		if !ok || m["p50"] == 0 || m["mean"] == 0 {
			t.Errorf("summary.json metrics.%s = %v", name, m)
		}
	}
	if p := doc.Metrics[model.OutputNPVBeforeTax]["prob_negative"]; !(p > 0 && p < doc.Metrics["npv"]["prob_negative"]+0.2) {
		t.Errorf("npv_before_tax prob_negative %v", p)
	}
	var cum []float64
	if err := json.Unmarshal(doc.Plan["cumulative"], &cum); err != nil || len(cum) != fin.Scenario.Horizon {
		t.Fatalf("plan.cumulative %s: %v", doc.Plan["cumulative"], err)
	}
	for i, v := range cum {
		if v != fin.Det.PlanCumulative[i] {
			t.Fatalf("plan.cumulative[%d] = %v, want %v", i, v, fin.Det.PlanCumulative[i])
		}
	}
	var npvBT float64
	if err := json.Unmarshal(doc.Plan[model.OutputNPVBeforeTax], &npvBT); err != nil || npvBT != fin.Det.Plan.NPVBeforeTax {
		t.Errorf("plan.npv_before_tax %v, want %v", npvBT, fin.Det.Plan.NPVBeforeTax)
	}

	b.Reset()
	if err := WriteSummaryJSON(&b, plain); err != nil {
		t.Fatal(err)
	}
	for _, absent := range []string{"cumulative", model.OutputTerminalValue, model.OutputNPVBeforeTax} {
		if strings.Contains(b.String(), `"`+absent+`"`) {
			t.Errorf("summary.json without finance has %q", absent)
		}
	}

	b.Reset()
	if err := WriteSummaryCSV(&b, fin); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := rows[len(rows)-2][0] + "," + rows[len(rows)-1][0]; got != "terminal_value,npv_before_tax" {
		t.Errorf("summary.csv's last rows are %s", got)
	}

	for _, c := range []struct {
		run  *Run
		lang Lang
		want string
	}{
		{fin, English, "Finance: the figures include profit tax, capitalisation of the one-off cost, a terminal value after the horizon; not non-recoverable VAT. A month&#39;s negative tax is a saving"},
		{fin, Russian, "Финансы: в цифрах учтены налог на прибыль"},
		{plain, English, ""},
	} {
		b.Reset()
		if err := WriteReport(&b, c.run, c.lang, nil); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		if c.want == "" && (strings.Contains(page, "Finance:") || strings.Contains(page, "NPV before tax")) {
			t.Errorf("report without finance has a finance line or output")
		}
		if c.want != "" && !strings.Contains(page, c.want) {
			t.Errorf("%s report lacks %q", c.lang, c.want)
		}
		if c.want != "" && c.lang == English && !strings.Contains(page, "Terminal value (PV)") {
			t.Error("report's statistics lack the terminal value")
		}
	}
	pre := financeRun(t, "finance.nonrecoverable_vat=0.2")
	if got := FinanceLine(pre.Scenario, English); !strings.Contains(got, "include non-recoverable VAT; not profit tax") || !strings.Contains(got, "pre-tax") {
		t.Errorf("finance line %q", got)
	}

	for _, c := range []struct {
		run  *Run
		plan bool
	}{{fin, true}, {plain, false}} {
		ch, err := CashFlowFan(c.run, English)
		if err != nil {
			t.Fatal(err)
		}
		has := false
		for _, it := range ch.legend {
			has = has || it.label == "Plan case"
		}
		if has != c.plan {
			t.Errorf("fan chart plan line: %v, want %v", has, c.plan)
		}
	}
}

// TestFinanceXLSXPlanColumn: with a finance: section the workbook's Bands
// sheet has the plan case's cumulative cash flow (column J, "plan");
// without one it has no such column.
func TestFinanceXLSXPlanColumn(t *testing.T) {
	for _, c := range []struct {
		run  *Run
		plan bool
	}{{financeRun(t, "finance.profit_tax=0.25"), true}, {financeRun(t), false}} {
		var xb bytes.Buffer
		if err := WriteSummaryXLSX(&xb, c.run, English); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(xb.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		rows := sheetRows(t, f, SheetBands)
		has := len(rows[0]) >= 10 && rows[0][9] == "plan"
		if has != c.plan {
			t.Fatalf("plan column %v, want %v: %v", has, c.plan, rows[0])
		}
		if !has {
			continue
		}
		for i, v := range c.run.Det.PlanCumulative {
			got, err := strconv.ParseFloat(rows[i+1][9], 64)
			if err != nil || math.Abs(got-v) > 1e-6*math.Max(1, math.Abs(v)) {
				t.Fatalf("plan month %d: %q, want %v", i+1, rows[i+1][9], v)
			}
		}
	}
}
