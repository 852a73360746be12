package out

import (
	"bytes"
	"encoding/json"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// statsRowRe finds a row of report.html's "All outputs" table: the output's
// name and its cells.
var statsRowRe = regexp.MustCompile(`<tr><td>[^<]*<small><code class="path">([a-z_0-9]+)</code></small></td>((?:<td class="n">[^<]*</td>)+)</tr>`)

var cellRe = regexp.MustCompile(`<td class="n">([^<]*)</td>`)

// readBack parses a figure as the report prints it in language l: grouped
// digits, a decimal point or comma, a typographic minus, a trailing % (a
// share). It returns the value, how many decimals were shown, and false for
// text that is not a number ("not reached", "—").
func readBack(s string, l Lang) (float64, int, bool) {
	s = strings.ReplaceAll(html.UnescapeString(s), nbsp, "")
	s = strings.ReplaceAll(s, minus, "-")
	scale := 1.0
	if strings.HasSuffix(s, "%") {
		s, scale = strings.TrimSuffix(s, "%"), 0.01
	}
	if l == Russian {
		s = strings.ReplaceAll(s, ",", ".")
	} else {
		s = strings.ReplaceAll(s, ",", "")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, 0, false
	}
	d := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		d = len(s) - i - 1
	}
	if scale != 1 {
		d += 2
	}
	return v * scale, d, true
}

// TestReportOutputsReadBack is issue 17 item 1: report.html showed Revenue
// uplift as 0 in every column of "All outputs" (en and ru) while
// summary.json had P50 0.130, because a share was printed as money. The
// general rule: every figure of that table, in both languages, reads back as
// summary.json's value, to within 1% and the half unit of its last digit.
func TestReportOutputsReadBack(t *testing.T) {
	run := simulatedRun(t, model.Default(), 20000)
	var js bytes.Buffer
	if err := WriteSummaryJSON(&js, run); err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Metrics map[string]map[string]*float64
	}
	if err := json.Unmarshal(js.Bytes(), &sum); err != nil {
		t.Fatal(err)
	}
	keys := []string{"mean", "sd", "p1", "p5", "p25", "p50", "p75", "p95", "p99"}
	for _, l := range Langs {
		var b bytes.Buffer
		if err := WriteReport(&b, run, l, nil); err != nil {
			t.Fatal(err)
		}
		var rows [][]string
		for _, row := range statsRowRe.FindAllStringSubmatch(b.String(), -1) {
			if sum.Metrics[row[1]] != nil {
				rows = append(rows, row)
			}
		}
		if len(rows) != len(model.Outputs) {
			t.Fatalf("%s: %d rows in All outputs, want %d", l, len(rows), len(model.Outputs))
		}
		checked := 0
		for _, row := range rows {
			name := row[1]
			cells := cellRe.FindAllStringSubmatch(row[2], -1)
			for i, key := range keys {
				want := sum.Metrics[name][key]
				if want == nil || math.Abs(*want) < 0.01 {
					continue // not reached, undefined, or too near 0 for a relative check
				}
				got, d, ok := readBack(cells[i][1], l)
				if !ok {
					if cells[i][1] != "" || key == "p50" {
						t.Errorf("%s: %s %s is %q, summary.json %v", l, name, key, cells[i][1], *want)
					}
					continue
				}
				tol := 0.01 * math.Abs(*want)
				if d > 0 {
					tol += 0.5 * math.Pow10(-d)
				}
				if math.Abs(got-*want) > tol {
					t.Errorf("%s: %s %s shows %q (%v), summary.json %v", l, name, key, cells[i][1], got, *want)
				}
				checked++
			}
		}
		if checked < 5*len(model.Outputs) {
			t.Errorf("%s: only %d figures checked", l, checked)
		}
	}
}
