package out

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestLocaleCSVParsesBack: every cell of a machine CSV, written through
// the Russian layout (in pieces of every size, as a stream arrives), reads
// back from the ';'-separated file: texts unchanged, numbers with a decimal
// comma, no exponent, and the same float64 exactly.
func TestLocaleCSVParsesBack(t *testing.T) {
	rows := [][]string{
		{"metric", "mean", "p5", "note"},
		{"npv", csvNum(2.86e7), csvNum(-1234567.891), "a; b, \"quoted\"\nline"},
		{"tiny", csvNum(1e-05), csvNum(-3.5e-12), "=1+2"},
		{"huge", csvNum(1.7e21), csvNum(math.MaxFloat64), ""},
		{"whole", "18446744073709551615", csvNum(0), "1.5 text"},
		{"undefined", "", csvNum(0.1 + 0.2), "NaN"},
	}
	var machine bytes.Buffer
	cw := newCSVWriter(&machine)
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	cw.Flush()
	src := machine.Bytes()
	for _, piece := range []int{1, 3, 7, 64, len(src)} {
		var got bytes.Buffer
		w := NewLocaleCSV(&got, CSVRussian)
		for i := 0; i < len(src); i += piece {
			if _, err := w.Write(src[i:min(i+piece, len(src))]); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		text, ok := strings.CutPrefix(got.String(), "\ufeff")
		if !ok {
			t.Fatalf("piece %d: no byte-order mark", piece)
		}
		r := csv.NewReader(strings.NewReader(text))
		r.Comma = ';'
		back, err := r.ReadAll()
		if err != nil {
			t.Fatalf("piece %d: %v\n%s", piece, err, text)
		}
		if len(back) != len(rows) {
			t.Fatalf("piece %d: %d rows, want %d", piece, len(back), len(rows))
		}
		for i, row := range rows {
			want, _ := csv.NewReader(strings.NewReader(strings.Join(quoteAll(row), ","))).Read()
			for j, cell := range want {
				g := back[i][j]
				v, err := strconv.ParseFloat(cell, 64)
				if !isMachineNumber(cell) || err != nil || !strings.ContainsAny(cell, ".eE") {
					if g != CSVCell(cell) && g != cell {
						t.Errorf("piece %d: text %q came back %q", piece, cell, g)
					}
					continue
				}
				if strings.ContainsAny(g, "eE.") {
					t.Errorf("piece %d: %q written %q (exponent or point)", piece, cell, g)
				}
				gv, err := strconv.ParseFloat(strings.Replace(g, ",", ".", 1), 64)
				if err != nil || gv != v {
					t.Errorf("piece %d: %q written %q, reads %v", piece, cell, g, gv)
				}
			}
		}
	}
	// The machine layout is the writer itself: byte-identical.
	var same bytes.Buffer
	w := NewLocaleCSV(&same, CSVMachine)
	w.Write(src)
	w.Close()
	if !bytes.Equal(same.Bytes(), src) {
		t.Error("machine layout changed the file")
	}
}

func quoteAll(row []string) []string {
	q := make([]string, len(row))
	for i, c := range row {
		q[i] = strconv.Quote(c)
		q[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
	}
	return q
}
