package out

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"

	"github.com/crmroi/crmroi/model"
)

// csvNum formats a number so that it reads back exactly; undefined (NaN) and
// "not reached" (+Inf) are empty cells.
func csvNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// WriteSummaryCSV writes one row per output metric with the statistics of summary.json.
func WriteSummaryCSV(w io.Writer, run *Run) error {
	cw := csv.NewWriter(w)
	head := append([]string{"metric", "n", "mean", "sd", "se_mean", "min", "max"}, pctKeys...)
	head = append(head, "prob_negative", "prob_within_12", "prob_within_24", "prob_within_36", "prob_not_reached", "share_defined")
	if err := cw.Write(head); err != nil {
		return err
	}
	r := run.Result
	nan := math.NaN()
	for k, name := range r.Outputs { // model.Outputs, then those of a finance: section
		s := r.Metrics[k]
		row := []string{name, strconv.Itoa(s.N), csvNum(s.Mean), csvNum(s.SD), csvNum(s.SE), csvNum(s.Min), csvNum(s.Max)}
		if name == "payback_months" {
			row[2], row[3], row[4] = "", "", ""
		}
		for _, p := range s.Pct {
			row = append(row, csvNum(p))
		}
		extra := []float64{nan, nan, nan, nan, nan, nan}
		switch name {
		case "npv":
			extra[0] = lossProb(r)
		case model.OutputNPVBeforeTax:
			extra[0] = r.Prob(k, model.ProbNegative)
		case "payback_months":
			extra[1], extra[2], extra[3], extra[4] = probOf(r, "prob_within_12"), probOf(r, "prob_within_24"), probOf(r, "prob_within_36"), probOf(r, "prob_not_reached")
		case "irr_annual":
			extra[5] = float64(s.N) / float64(r.Iterations)
		}
		for _, v := range extra {
			row = append(row, csvNum(v))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteBandsCSV writes month,mean,p5,…,p95 of the cumulative cash flow.
func WriteBandsCSV(w io.Writer, run *Run) error {
	cw := csv.NewWriter(w)
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
	cw := csv.NewWriter(w)
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
