package out

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"testing"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// TestFormulaProbNegativeEveryIteration is issue 17 item 2: above 2²⁰
// iterations only the first 1,048,576 values are kept, and prob_negative of
// every output but the first counted those and divided by all iterations
// (a: 0.500, b: 0.437 for two copies of one input). Every output's
// probability must count every iteration: equal outputs get equal ones, in
// summary.json and summary.csv, and equal to the primary output's.
func TestFormulaProbNegativeEveryIteration(t *testing.T) {
	if testing.Short() {
		t.Skip("a run of 1.2 million iterations")
	}
	s, err := model.Parse("f.yaml", []byte("model: formula\ninputs:\n  x: normal(0, 1)\noutputs: {a: x, b: x, c: -x}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	const n = sim.ExactLimit + 151_553
	res, err := sim.Run(context.Background(), s, sim.Config{Iterations: n, Seed: 5, KeepOutputs: true})
	if err != nil {
		t.Fatal(err)
	}
	run := &Run{Scenario: s, Result: res, Version: "test"}
	var buf bytes.Buffer
	if err := WriteSummaryJSON(&buf, run); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Metrics map[string]map[string]float64
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	a, b, c := doc.Metrics["a"]["prob_negative"], doc.Metrics["b"]["prob_negative"], doc.Metrics["c"]["prob_negative"]
	if a != b {
		t.Errorf("summary.json: prob_negative a %v, b %v: equal outputs, unequal probabilities", a, b)
	}
	// P(x < 0) + P(−x < 0) = 1 − P(x = 0), and x = 0 has probability 0.
	if d := a + c - 1; d < -1e-12 || d > 1e-12 {
		t.Errorf("summary.json: prob_negative a %v + c %v = %v, want 1", a, c, a+c)
	}
	buf.Reset()
	if err := WriteSummaryCSV(&buf, run); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	last := len(rows[0]) - 1
	if rows[0][last] != "prob_negative" || rows[1][last] != rows[2][last] {
		t.Errorf("summary.csv: %s a %s, b %s", rows[0][last], rows[1][last], rows[2][last])
	}
}
