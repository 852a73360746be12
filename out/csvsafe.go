package out

import (
	"encoding/csv"
	"io"
	"strconv"
)

// csvWriter is encoding/csv's writer for the CSV files crmroi writes: a
// text cell that a spreadsheet would take for a formula (see CSVCell: a
// scenario named "=HYPERLINK(…)") gets a leading apostrophe, as OWASP advises against CSV
// injection; numbers ("-3.5", "+1e6") are written as they are.
type csvWriter struct{ *csv.Writer }

// newCSVWriter is a csvWriter writing to w.
func newCSVWriter(w io.Writer) csvWriter { return csvWriter{csv.NewWriter(w)} }

// Write writes one row, every text cell neutralised (CSVCell).
func (c csvWriter) Write(row []string) error {
	safe := row
	for i, cell := range row {
		if s := CSVCell(cell); s != cell {
			if &safe[0] == &row[0] {
				safe = append([]string(nil), row...)
			}
			safe[i] = s
		}
	}
	return c.Writer.Write(safe)
}

// CSVCell is cell as a CSV file may hold it safely: a text that would start
// a formula in a spreadsheet (=, +, -, @, a tab or a carriage return first,
// or after leading spaces and control characters, which some spreadsheets
// skip) gets a leading apostrophe; a number, or any other text, is
// unchanged.
func CSVCell(cell string) string {
	i := 0
	for i < len(cell) && (cell[i] <= ' ' || cell[i] == 0x7f) && cell[i] != '\t' && cell[i] != '\r' {
		i++
	}
	if i == len(cell) {
		return cell
	}
	switch cell[i] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(cell, 64); err == nil {
			return cell
		}
		return "'" + cell
	}
	return cell
}
