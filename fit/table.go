package fit

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Table is a data file of several numeric columns under a header row, as
// ReadTable reads it: every cell a number or blank.
type Table struct {
	// File is the path as given; Sheet the worksheet read (.xlsx).
	File, Sheet string
	// Header holds the column names, trimmed (a BOM removed).
	Header []string
	// HeaderLine is the line (row) of the header, HeaderCols the column of
	// each of its names.
	HeaderLine int
	HeaderCols []int
	// Rows are the data rows in file order, empty lines left out.
	Rows []TableRow
	// SHA256 is the hex SHA-256 of the file's bytes.
	SHA256 string
}

// TableRow is one data row of a Table.
type TableRow struct {
	Line  int       // 1-based line (row) of the file
	Cells []float64 // one per header column; NaN where the cell is blank
	Cols  []int     // each cell's column, for messages (byte column in CSV, column number in a worksheet)
}

// ReadTable reads a data file with a header row and numeric columns: a CSV
// file (delimiter ',', ';' or tab, as ReadColumn; a Russian-locale file with
// ';' and decimal commas reads as such) or the worksheet sheet ("" for the
// first) of an .xlsx file. Cells are numbers as ReadColumn reads them, or
// blank (NaN). Errors are *DataError naming the line and column.
func ReadTable(path, sheet string) (*Table, error) {
	data, err := ReadDataFile(path)
	if err != nil {
		return nil, err
	}
	return ParseTable(path, data, sheet)
}

// ParseTable is ReadTable from data, the bytes of the file path (named in
// messages and telling CSV from .xlsx).
func ParseTable(path string, data []byte, sheet string) (*Table, error) {
	sum := sha256.Sum256(data)
	t := &Table{File: path, SHA256: hex.EncodeToString(sum[:])}
	if strings.EqualFold(filepath.Ext(path), ".xlsx") || bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		rows, name, err := xlsxRows(path, data, sheet, "")
		if err != nil {
			return nil, err
		}
		t.Sheet = name
		return t, t.fromRows(rows, name)
	}
	if sheet != "" {
		return nil, &DataError{File: path, Msg: "sheet= is for .xlsx files; this is a CSV file"}
	}
	return t, t.fromCSV(data)
}

func (t *Table) fromCSV(data []byte) error {
	if !utf8.Valid(data) {
		return &DataError{File: t.File, Msg: "the file is not UTF-8 text (save it as CSV UTF-8)"}
	}
	comma := sniffComma(data)
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return &DataError{File: t.File, Line: 1, Msg: "the file is empty: it needs a header row"}
	}
	if err != nil {
		return csvError(t.File, err)
	}
	t.HeaderLine = 1
	for i, h := range header {
		_, col := r.FieldPos(i)
		t.Header = append(t.Header, strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		t.HeaderCols = append(t.HeaderCols, col)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvError(t.File, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // an empty line
		}
		if len(rec) > len(t.Header) && strings.TrimSpace(strings.Join(rec[len(t.Header):], "")) != "" {
			_, col := r.FieldPos(len(t.Header))
			return &DataError{File: t.File, Line: line, Col: col,
				Msg: fmt.Sprintf("the row has %d cells, the header %d columns", len(rec), len(t.Header))}
		}
		row := TableRow{Line: line, Cells: make([]float64, len(t.Header)), Cols: make([]int, len(t.Header))}
		for i := range t.Header {
			row.Cells[i] = math.NaN()
			if i >= len(rec) {
				continue
			}
			_, row.Cols[i] = r.FieldPos(i)
			v, blank, msg := parseCell(rec[i], comma != ',')
			if msg != "" {
				return &DataError{File: t.File, Line: line, Col: row.Cols[i], Msg: fmt.Sprintf("column %q: %s", t.Header[i], msg)}
			}
			if !blank {
				row.Cells[i] = v
			}
		}
		t.Rows = append(t.Rows, row)
	}
}

func (t *Table) fromRows(rows [][]string, sheet string) error {
	hr := 0
	for hr < len(rows) && len(strings.Join(rows[hr], "")) == 0 {
		hr++
	}
	if hr >= len(rows) {
		return &DataError{File: t.File, Line: 1, Msg: fmt.Sprintf("worksheet %q is empty: it needs a header row", sheet)}
	}
	t.HeaderLine = hr + 1
	for i, h := range rows[hr] {
		t.Header = append(t.Header, strings.TrimSpace(h))
		t.HeaderCols = append(t.HeaderCols, i+1)
	}
	for r := hr + 1; r < len(rows); r++ {
		if len(strings.TrimSpace(strings.Join(rows[r], ""))) == 0 {
			continue
		}
		row := TableRow{Line: r + 1, Cells: make([]float64, len(t.Header)), Cols: make([]int, len(t.Header))}
		for i := range t.Header {
			row.Cells[i], row.Cols[i] = math.NaN(), i+1
			if i >= len(rows[r]) {
				continue
			}
			v, blank, msg := parseCell(rows[r][i], false)
			if msg != "" {
				cell, _ := excelize.CoordinatesToCellName(i+1, r+1)
				return &DataError{File: t.File, Line: r + 1, Col: i + 1,
					Msg: fmt.Sprintf("worksheet %q, cell %s, column %q: %s", sheet, cell, t.Header[i], msg)}
			}
			if !blank {
				row.Cells[i] = v
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return nil
}
