package main

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

func metric(v map[string]any, out, k string) float64 {
	m, ok := v["metrics"].(map[string]any)[out].(map[string]any)
	if !ok {
		return math.NaN()
	}
	x, _ := m[k].(float64)
	return x
}

func relNear(a, b, tol float64) bool { return a == b || math.Abs(a-b) <= tol*math.Abs(b) }

// TestFinanceTaxMonteCarlo: with profit_tax 0.25 (and nothing else of the
// finance: section) the Monte Carlo mean npv and its percentiles are 0.75 ×
// those without tax on the same seed, and the plan npv too, in several
// scenarios; with an uncertain tax, npv_before_tax is the untaxed npv.
func TestFinanceTaxMonteCarlo(t *testing.T) {
	for _, file := range []string{"", filepath.Join(examplesDir, "saas.yaml"), filepath.Join(examplesDir, "retail_b2c.yaml")} {
		common := []string{"-n", "3000", "--seed", "7", "-o", filepath.Join(t.TempDir(), "out"), "--force"}
		if file != "" {
			common = append(common, file)
		}
		pre := runSummary(t, common...)
		taxed := runSummary(t, append([]string{"--set", "finance.profit_tax=0.25"}, common...)...)
		for _, k := range []string{"mean", "p5", "p50", "p95"} {
			if a, b := metric(taxed, "npv", k), metric(pre, "npv", k); !relNear(a, 0.75*b, 1e-9) {
				t.Errorf("%s: npv %s %v, want 0.75 × %v", file, k, a, b)
			}
			if a, b := metric(taxed, "npv_before_tax", k), metric(pre, "npv", k); !relNear(a, b, 1e-9) {
				t.Errorf("%s: npv_before_tax %s %v, want %v", file, k, a, b)
			}
		}
		planT := taxed["plan"].(map[string]any)["npv"].(float64)
		planP := pre["plan"].(map[string]any)["npv"].(float64)
		if !relNear(planT, 0.75*planP, 1e-9) {
			t.Errorf("%s: plan npv %v, want 0.75 × %v", file, planT, planP)
		}
		unc := runSummary(t, append([]string{"--set", "finance.profit_tax=pert(0.2, 0.25, 0.3)"}, common...)...)
		if a, b := metric(unc, "npv_before_tax", "mean"), metric(pre, "npv", "mean"); !relNear(a, b, 1e-9) {
			t.Errorf("%s: uncertain tax: npv_before_tax mean %v, want %v", file, a, b)
		}
		found := false
		for _, row := range unc["tornado"].([]any) {
			found = found || row.(map[string]any)["input"] == "finance.profit_tax"
		}
		if !found {
			t.Errorf("%s: an uncertain profit_tax is not in the tornado", file)
		}
		for _, row := range taxed["tornado"].([]any) {
			if strings.HasPrefix(row.(map[string]any)["input"].(string), "finance.") {
				t.Errorf("%s: a fixed finance parameter is in the tornado", file)
			}
		}
	}
}

// TestFinanceSweepAndBatch: sweep and batch take every finance parameter;
// each sweep row is the run at its value.
func TestFinanceSweepAndBatch(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(examplesDir, "onprem_after_tax.yaml")
	common := []string{"-n", "2000", "--seed", "3"}
	runOut := []string{"-o", filepath.Join(dir, "runs"), "--force"}
	for _, p := range []struct{ param, values string }{
		{"finance.capitalized_share", "0,0.5,1"},
		{"finance.profit_tax", "0,0.2"},
		{"finance.nonrecoverable_vat", "0,0.2"},
		{"finance.depreciation_months", "12,60"},
		{"finance.terminal_growth", "0,0.05"},
	} {
		o := filepath.Join(dir, p.param)
		code, _, stderr := runMain(t, append([]string{"sweep", file, "--param", p.param, "--values", p.values, "--format", "none", "-q", "-o", o}, common...)...)
		if code != 0 {
			t.Fatalf("sweep %s: exit %d: %s", p.param, code, stderr)
		}
		rows := sweepRows(t, o)
		values := strings.Split(p.values, ",")
		if len(rows) != len(values) {
			t.Fatalf("sweep %s: %d rows", p.param, len(rows))
		}
		for i, v := range values {
			run := runSummary(t, append(append([]string{file, "--set", p.param + "=" + v}, runOut...), common...)...)
			if got := npvStat(run, "p50"); got != num(t, rows[i]["npv_p50"]) {
				t.Errorf("sweep %s=%s: P50 %v, run %v", p.param, v, rows[i]["npv_p50"], got)
			}
		}
		if rows[0]["npv_p50"] == rows[len(rows)-1]["npv_p50"] {
			t.Errorf("sweep %s: the value changes nothing", p.param)
		}
	}
	o := filepath.Join(dir, "batch")
	code, _, stderr := runMain(t, append([]string{"batch", filepath.Join(examplesDir, "saas.yaml"), filepath.Join(examplesDir, "onprem.yaml"),
		"--set", "finance.profit_tax=0.25", "--set", "finance.capitalized_share=0.5", "--format", "none", "-q", "-o", o}, common...)...)
	if code != 0 {
		t.Fatalf("batch: exit %d: %s", code, stderr)
	}
	if s := readFile(t, filepath.Join(o, "on-premise-crm-bought-licence", "summary.json")); !strings.Contains(s, `"npv_before_tax"`) || !strings.Contains(s, `"cumulative"`) {
		t.Error("batch --set finance.profit_tax did not reach the scenario's summary.json")
	}
}

// TestFinanceInputErrors: a terminal growth at or above the discount rate
// is a user error with its place; exit 2.
func TestFinanceInputErrors(t *testing.T) {
	code, _, stderr := runMain(t, "run", "--format", "none", "-n", "100", "--set", "finance.terminal_growth=0.25")
	if code != 2 || !strings.Contains(stderr, "--set:1:") || !strings.Contains(stderr, "finance.terminal_growth: must stay below discount_rate") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	code, _, stderr = runMain(t, "run", "--format", "none", "-n", "100", "--set", "finance.depreciation_months=0.5")
	if code != 2 || !strings.Contains(stderr, "finance.depreciation_months") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}
