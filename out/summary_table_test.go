package out

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// withExtraOutput adds to the fixture run an output that no encoder knows by
// name, described as a new output of the model would be: money, with a
// threshold of its own, in the TEI row, plan value 7.
func withExtraOutput(t *testing.T) *Run {
	run := fixtureRun(t, "extra")
	r := run.Result
	info := model.OutputInfo{Name: "extra_value", Label: model.Text{En: "Extra value", Ru: "Доп. стоимость"}, Unit: model.UnitMoney, TEI: true,
		Thresholds: []model.Threshold{{Key: "prob_above_1m", Cmp: model.Above, At: 1e6, Label: model.Text{En: "Extra above 1M", Ru: "Доп. выше 1 млн"}}}}
	vals := make([]float64, r.Iterations)
	for i := range vals {
		vals[i] = float64(i) * 100
	}
	r.Info = append(append([]model.OutputInfo(nil), r.Info...), info)
	r.Outputs = append(append([]string(nil), r.Outputs...), info.Name)
	r.Values = append(r.Values, vals)
	r.Metrics = append(r.Metrics, statsOf(vals))
	r.Undefined = append(r.Undefined, 0)
	setProbs(r)
	run.Det.PlanValues = append(run.Det.PlanValues, 7)
	run.Det.TEIValues = append(run.Det.TEIValues, 6)
	return run
}

// TestNewOutputReachesEveryFormat checks that an output described in the
// model reaches every summary format with nothing else to add: summary.json
// (metrics with its threshold, plan, tei), summary.csv (a row and a column
// for its threshold), report.html (All outputs, in its unit, and its
// probability) and the workbook.
func TestNewOutputReachesEveryFormat(t *testing.T) {
	run := withExtraOutput(t)
	r := run.Result
	k := len(r.Info) - 1
	var js bytes.Buffer
	if err := WriteSummaryJSON(&js, run); err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Metrics map[string]map[string]float64
		Plan    map[string]float64
		TEI     map[string]float64
	}
	if err := json.Unmarshal(js.Bytes(), &sum); err != nil {
		t.Fatal(err)
	}
	m := sum.Metrics["extra_value"]
	want := float64(r.Iterations-1-10000) / float64(r.Iterations) // values 0, 100, …: above 1e6 from i = 10001
	if m == nil || m["p50"] != r.Metrics[k].Pct[pctP50] || math.Abs(m["prob_above_1m"]-want) > 1e-15 || sum.Plan["extra_value"] != 7 || sum.TEI["extra_value"] != 6 {
		t.Errorf("summary.json: metrics %v, plan %v, tei %v", m, sum.Plan["extra_value"], sum.TEI["extra_value"])
	}
	var cb bytes.Buffer
	if err := WriteSummaryCSV(&cb, run); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&cb).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head, last := rows[0], rows[len(rows)-1]
	col := -1
	for i, h := range head {
		if h == "prob_above_1m" {
			col = i
		}
	}
	if last[0] != "extra_value" || col < 0 || last[col] != csvNum(m["prob_above_1m"]) || rows[1][col] != "" {
		t.Errorf("summary.csv: header %v, last row %v", head, last)
	}
	for _, l := range Langs {
		var b bytes.Buffer
		if err := WriteReport(&b, run, l, nil); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		label := map[Lang]string{English: "Extra value", Russian: "Доп. стоимость"}[l]
		p50 := typoMinus(l.Money(r.Metrics[k].Pct[pctP50]))
		if !strings.Contains(page, label+"<small><code class=\"path\">extra_value</code></small></td><td class=\"n\">") || !strings.Contains(page, ">"+p50+"<") {
			t.Errorf("%s: report lacks the output's row with P50 %s", l, p50)
		}
		if !strings.Contains(page, map[Lang]string{English: "Extra above 1M", Russian: "Доп. выше 1 млн"}[l]) {
			t.Errorf("%s: report lacks the output's probability", l)
		}
	}
	var xb bytes.Buffer
	if err := WriteSummaryXLSX(&xb, run, English); err != nil {
		t.Fatal(err)
	}
}

// TestSummaryTableColumns checks the wide form's columns: moments and
// percentiles, then each threshold key once in the order of the rows, then
// the share defined; the count of undefined iterations is summary.json's only.
func TestSummaryTableColumns(t *testing.T) {
	r := &sim.Result{Iterations: 10, Info: []model.OutputInfo{
		{Name: "a", Thresholds: []model.Threshold{{Key: "t1"}, {Key: "t2"}}},
		{Name: "b", Undefinable: true, Undefined: model.UndefinedCount, UndefinedWhy: "why", Thresholds: []model.Threshold{{Key: "t2"}, {Key: "t3"}}},
		{Name: "c", Undefinable: true, Undefined: model.ShareDefined, NoMoments: true},
	}}
	for range r.Info {
		r.Metrics = append(r.Metrics, sim.Stats{N: 8, Pct: make([]float64, len(pctKeys))})
	}
	r.Undefined = []int{0, 2, 2}
	r.Probs = [][]float64{{0.1, 0.2}, {0.3, 0.4}, nil}
	tab := NewSummaryTable(&Run{Result: r})
	got := strings.Join(tab.Columns(), ",")
	if want := "mean,sd,se_mean,min,max," + strings.Join(pctKeys, ",") + ",t1,t2,t3,share_defined"; got != want {
		t.Errorf("columns %s, want %s", got, want)
	}
	wide := tab.Wide(1, tab.Columns())
	n := len(wide)
	if wide[n-4].Value == wide[n-4].Value || wide[n-3].Value != 0.3 || wide[n-2].Value != 0.4 || wide[n-1].Value == wide[n-1].Value {
		t.Errorf("row b: %v", wide[n-4:])
	}
	if c := tab.Cells(2); c[0].Key != "min" || c[len(c)-1].Key != "share_defined" || c[len(c)-1].Value != 0.8 {
		t.Errorf("row c: %v", c)
	}
	if w := tab.Warnings(); len(w) != 1 || w[0] != "b is undefined (why) in 2 of 10 iterations; they are excluded from its statistics" {
		t.Errorf("warnings %q", w)
	}
	if p := tab.PlanObj(); len(p) != 3 || !math.IsNaN(float64(p[0].V.(Num))) {
		t.Errorf("plan %v", p)
	}
}
