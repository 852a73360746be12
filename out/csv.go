package out

import (
	"io"
	"math"
	"strconv"
)

// csvNum formats a number so that it reads back exactly; undefined (NaN) and
// "not reached" (+Inf) are empty cells.
func csvNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// WriteSummaryCSV writes summary.csv, the summary table in wide form: one
// row per output with n and the columns of SummaryTable.Columns (empty where
// an output has no such figure). A formula model's rows name the output in
// an "output" column and give its plan value after n; the CRM model's name
// it in "metric".
func WriteSummaryCSV(w io.Writer, run *Run) error {
	cw := newCSVWriter(w)
	t := NewSummaryTable(run)
	formula := run.Scenario.IsFormula()
	cols := t.Columns()
	head := []string{"metric", "n"}
	if formula {
		head = []string{"output", "n", "plan"}
	}
	if err := cw.Write(append(head, cols...)); err != nil {
		return err
	}
	for k, row := range t.Rows {
		rec := []string{row.Info.Name, strconv.Itoa(row.Stats.N)}
		if formula {
			rec = append(rec, csvNum(row.Plan))
		}
		for _, c := range t.Wide(k, cols) {
			rec = append(rec, csvNum(c.Value))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteBandsCSV writes month,mean,p5,…,p95 of the cumulative cash flow.
func WriteBandsCSV(w io.Writer, run *Run) error {
	cw := newCSVWriter(w)
	if err := cw.Write(append([]string{"month", "mean"}, bandKeys...)); err != nil {
		return err
	}
	for _, b := range run.Result.Bands {
		row := []string{strconv.Itoa(b.Month), csvNum(b.Mean)}
		for _, p := range b.Pct {
			row = append(row, csvNum(p))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTornadoCSV writes the tornado, largest swing first.
func WriteTornadoCSV(w io.Writer, run *Run) error {
	return writeTornadoCSV(w, run, "npv_low", "npv_high")
}

// writeTornadoCSV writes the tornado with the given names of the output's low and high columns.
func writeTornadoCSV(w io.Writer, run *Run, low, high string) error {
	cw := newCSVWriter(w)
	if err := cw.Write([]string{"input", "plan", "low_value", "high_value", low, high, "swing"}); err != nil {
		return err
	}
	for _, t := range run.Det.Tornado {
		if err := cw.Write([]string{t.Input, csvNum(t.Plan), csvNum(t.LowValue), csvNum(t.HighValue),
			csvNum(t.NPVLow), csvNum(t.NPVHigh), csvNum(t.Swing)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
