package out

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"image/png"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

func sensitivityFixture(t *testing.T) *SensitivityRun {
	t.Helper()
	s := model.Default()
	r, err := sim.RunSensitivity(context.Background(), s, sim.SensitivityConfig{Iterations: 2000, Seed: 1, Base: 256, Resamples: 100})
	if err != nil {
		t.Fatal(err)
	}
	return &SensitivityRun{Scenario: s, Sens: r, Version: "test"}
}

// TestSensitivityOutputs checks the shape of sensitivity.json, the CSV files,
// the terminal table and the charts, in English and Russian (every text translated).
func TestSensitivityOutputs(t *testing.T) {
	sr := sensitivityFixture(t)
	var b bytes.Buffer
	if err := WriteSensitivityJSON(&b, sr); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"output", "base", "inputs", "groups", "over_time", "one_at_a_time", "correlated_inputs", "notes"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("sensitivity.json has no %q", k)
		}
	}
	in := doc["inputs"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "spearman", "prcc", "srrc", "variance_share", "sobol_first", "sobol_first_ci", "sobol_total", "sobol_total_ci"} {
		if _, ok := in[k]; !ok {
			t.Errorf("input has no %q", k)
		}
	}
	if !strings.Contains(b.String(), `"output": "npv",`) {
		t.Error("output is not npv")
	}
	b.Reset()
	if err := WriteSensitivityCSV(&b, sr); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil || len(rows) != 1+len(sr.Sens.Inputs)+len(sr.Sens.Groups) {
		t.Errorf("sensitivity.csv: %d rows, %v", len(rows), err)
	}
	b.Reset()
	if err := WriteSensitivityOverTimeCSV(&b, sr); err != nil {
		t.Fatal(err)
	}
	rows, err = csv.NewReader(&b).ReadAll()
	if err != nil || len(rows) != 37 || rows[0][len(rows[0])-1] != InteractionsLabel {
		t.Errorf("sensitivity_over_time.csv: %d rows, %v", len(rows), err)
	}
	for _, l := range Langs {
		b.Reset()
		if err := WriteSensitivityTable(&b, sr, []string{"/tmp/x/sensitivity.json"}, l); err != nil {
			t.Fatal(err)
		}
		// The inputs and groups by their labels in the reader's language
		// (paths in English).
		if !strings.Contains(b.String(), l.Label("risk.outcome")) || !strings.Contains(b.String(), l.Label(model.RiskGroup)) ||
			(l == Russian && (!strings.Contains(b.String(), "Исход проекта") || strings.Contains(b.String(), "risk.outcome") ||
				strings.Contains(b.String(), "benefits.conversion_uplift"))) {
			t.Errorf("%s table:\n%s", l, b.String())
		}
		charts, err := RenderSensitivityCharts(sr, l, "png")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range charts {
			if _, err := png.Decode(bytes.NewReader(c.Data)); err != nil {
				t.Errorf("%s: %v", c.File, err)
			}
		}
		if html := sensitivitySection(&Run{Scenario: sr.Scenario, Sensitivity: sr.Sens}, l); !strings.Contains(string(html), "<figure>") {
			t.Errorf("%s: report section without figures", l)
		}
	}
	assertTranslated(t)
}
