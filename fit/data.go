package fit

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// MaxDataFile is the largest data file ReadColumn reads.
const MaxDataFile = 100 << 20

// DataError is a problem with a data file, at a place in it: Line is the
// 1-based line of a CSV file (row of a worksheet), Col the 1-based column
// (byte column of the field in CSV, column number in a worksheet); either
// is 0 when unknown.
type DataError struct {
	File      string
	Line, Col int
	Msg       string
}

// Error formats the error as "file:line:col: message".
func (e *DataError) Error() string {
	switch {
	case e.Line <= 0:
		return e.File + ": " + e.Msg
	case e.Col <= 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Column is one column of numbers read from a data file.
type Column struct {
	// File is the path as given; Name is the column's header.
	File, Name string
	// Sheet is the worksheet read, for an .xlsx file.
	Sheet string
	// Values are the numbers in file order, blank cells left out.
	Values []float64
	// Lines are the line (row) numbers of Values, for messages.
	Lines []int
	// Blank is the number of blank cells skipped.
	Blank int
	// SHA256 is the hex SHA-256 of the file's bytes.
	SHA256 string
}

// ReadColumn reads the column named column (matched case-insensitively
// after trimming spaces; "" for a file with a single column) from a CSV
// file with a header row, or from the worksheet sheet ("" for the first) of
// an .xlsx file. Cells must be numbers: "0.25", "-3", "3.5e6", "3_500_000",
// "1,234,567" only when the CSV delimiter is ";", or a percentage "2.5%"
// (read as 0.025); blank cells are skipped. Errors are *DataError naming the
// line and column: a cell that is not a finite number, a missing column, a
// column with fewer than 2 numbers.
func ReadColumn(path, column, sheet string) (*Column, error) {
	return ReadColumnIn(path, column, sheet, "")
}

// ReadColumnIn is ReadColumn keeping the temporary files that reading a
// large .xlsx needs in tmpDir (see ParseColumnIn).
func ReadColumnIn(path, column, sheet, tmpDir string) (*Column, error) {
	data, err := ReadDataFile(path)
	if err != nil {
		return nil, err
	}
	return ParseColumnIn(path, data, column, sheet, tmpDir)
}

// ReadDataFile reads a data file whole, refusing what is not a regular file
// (a FIFO or device would block or never end) and files larger than
// MaxDataFile before reading them. Errors are *DataError.
func ReadDataFile(path string) ([]byte, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, &DataError{File: path, Msg: err.Error()}
	}
	return data, nil
}

// ParseColumn reads the column of ReadColumn from data, the bytes of the
// data file path (named in messages and telling CSV from .xlsx).
func ParseColumn(path string, data []byte, column, sheet string) (*Column, error) {
	return ParseColumnIn(path, data, column, sheet, "")
}

// ParseColumnIn is ParseColumn keeping the temporary files that reading a
// large .xlsx needs in tmpDir ("": the system's temporary folder), so that a
// caller can have them removed with a folder of its own.
func ParseColumnIn(path string, data []byte, column, sheet, tmpDir string) (*Column, error) {
	var err error
	sum := sha256.Sum256(data)
	c := &Column{File: path, SHA256: hex.EncodeToString(sum[:])}
	isXLSX := strings.EqualFold(filepath.Ext(path), ".xlsx") || bytes.HasPrefix(data, []byte("PK\x03\x04"))
	if isXLSX {
		err = readXLSX(c, data, column, sheet, tmpDir)
	} else {
		if sheet != "" {
			return nil, &DataError{File: path, Msg: "sheet= is for .xlsx files; this is a CSV file"}
		}
		err = readCSV(c, data, column)
	}
	if err != nil {
		return nil, err
	}
	if len(c.Values) < 2 {
		what := fmt.Sprintf("%d numbers", len(c.Values))
		if len(c.Values) == 1 {
			what = "1 number"
		}
		return nil, &DataError{File: path, Line: 1, Col: 0,
			Msg: fmt.Sprintf("column %q has %s; fitting and resampling need at least 2", c.Name, what)}
	}
	return c, nil
}

// readFile reads a data file: a regular file only (a FIFO or a device would
// block or never end), opened without blocking (opening a FIFO that has no
// writer blocks) and refused when larger than MaxDataFile before it is read.
func readFile(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, pe.Err
		}
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	switch {
	case st.IsDir():
		return nil, errors.New("is a directory, not a data file")
	case !st.Mode().IsRegular():
		return nil, errors.New("is not a regular file (a pipe, a device or a socket); a data file must be a regular file")
	case st.Size() > MaxDataFile:
		return nil, fmt.Errorf("larger than the limit of %d MB for a data file", MaxDataFile>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxDataFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxDataFile {
		return nil, fmt.Errorf("larger than the limit of %d MB for a data file", MaxDataFile>>20)
	}
	return data, nil
}

// pickColumn finds the column in a header row.
func pickColumn(file string, header []string, column string, line int) (int, *DataError) {
	names := make([]string, len(header))
	for i, h := range header {
		names[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	}
	if column == "" {
		if len(names) == 1 {
			return 0, nil
		}
		return 0, &DataError{File: file, Line: line, Col: 1,
			Msg: fmt.Sprintf("the file has %d columns (%s): name one with column=", len(names), quoteList(names))}
	}
	for i, n := range names {
		if n == column {
			return i, nil
		}
	}
	for i, n := range names {
		if strings.EqualFold(n, strings.TrimSpace(column)) {
			return i, nil
		}
	}
	return 0, &DataError{File: file, Line: line, Col: 1,
		Msg: fmt.Sprintf("no column %q in the header row; the columns are %s", column, quoteList(names))}
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(x)
	}
	if len(q) > 12 {
		q = append(q[:12], "…")
	}
	return strings.Join(q, ", ")
}

// sniffComma picks the CSV delimiter from the header line: ";" or tab when
// the line has one of them and no comma, else ",".
func sniffComma(data []byte) rune {
	line := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		line = data[:i]
	}
	if bytes.IndexByte(line, ',') < 0 {
		switch {
		case bytes.IndexByte(line, ';') >= 0:
			return ';'
		case bytes.IndexByte(line, '\t') >= 0:
			return '\t'
		}
	}
	return ','
}

func readCSV(c *Column, data []byte, column string) error {
	if !utf8.Valid(data) {
		return &DataError{File: c.File, Msg: "the file is not UTF-8 text (save it as CSV UTF-8)"}
	}
	comma := sniffComma(data)
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		return &DataError{File: c.File, Line: 1, Msg: "the file is empty: it needs a header row and at least 2 numbers"}
	}
	if err != nil {
		return csvError(c.File, err)
	}
	header = append([]string(nil), header...)
	idx, derr := pickColumn(c.File, header, column, 1)
	if derr != nil {
		return derr
	}
	c.Name = strings.TrimSpace(strings.TrimPrefix(header[idx], "\ufeff"))
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return csvError(c.File, err)
		}
		line, _ := r.FieldPos(0)
		if idx >= len(rec) {
			if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
				continue // an empty line
			}
			c.Blank++
			continue
		}
		_, col := r.FieldPos(idx)
		v, blank, msg := parseCell(rec[idx], comma != ',')
		if blank {
			c.Blank++
			continue
		}
		if msg != "" {
			return &DataError{File: c.File, Line: line, Col: col, Msg: fmt.Sprintf("column %q: %s", c.Name, msg)}
		}
		c.Values = append(c.Values, v)
		c.Lines = append(c.Lines, line)
	}
	return nil
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &DataError{File: file, Line: pe.Line, Col: pe.Column, Msg: "CSV syntax: " + pe.Err.Error()}
	}
	return &DataError{File: file, Msg: err.Error()}
}

// parseCell reads one cell; thousands says "," may separate thousands
// (files delimited by ";" or tab, where "," may also be the decimal mark
// when there is no "." — "0,25" is read as 0.25).
func parseCell(s string, thousands bool) (v float64, blank bool, msg string) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, true, ""
	}
	scale := 1.0
	if strings.HasSuffix(t, "%") {
		scale = 0.01
		t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	}
	if thousands && strings.Contains(t, ",") {
		if strings.Contains(t, ".") || strings.Count(t, ",") > 1 {
			t = strings.ReplaceAll(t, ",", "")
		} else {
			t = strings.Replace(t, ",", ".", 1)
		}
	}
	t = strings.ReplaceAll(t, "_", "")
	f, err := strconv.ParseFloat(t, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return 0, false, fmt.Sprintf("%q is not a number", s)
	case math.IsNaN(f):
		return 0, false, fmt.Sprintf("%q is not a number (NaN): every value must be a finite number", s)
	case math.IsInf(f, 0) || errors.Is(err, strconv.ErrRange) && f != 0:
		return 0, false, fmt.Sprintf("%q is not a finite number", s)
	}
	return f * scale, false, ""
}

// MaxUnzipped is the most bytes an .xlsx data file may expand to, the
// limit of a data file: a workbook of 254 KB can hold 104 MB of XML (a zip
// bomb), which took 72 s and 378 MB to read.
const MaxUnzipped = MaxDataFile

func readXLSX(c *Column, data []byte, column, sheet, tmpDir string) error {
	rows, sheet, err := xlsxRows(c.File, data, sheet, tmpDir)
	if err != nil {
		return err
	}
	c.Sheet = sheet
	hr := 0
	for hr < len(rows) && len(strings.Join(rows[hr], "")) == 0 {
		hr++
	}
	if hr >= len(rows) {
		return &DataError{File: c.File, Line: 1, Msg: fmt.Sprintf("worksheet %q is empty: it needs a header row and at least 2 numbers", sheet)}
	}
	idx, derr := pickColumn(c.File, rows[hr], column, hr+1)
	if derr != nil {
		derr.Msg = fmt.Sprintf("worksheet %q: %s", sheet, derr.Msg)
		return derr
	}
	c.Name = strings.TrimSpace(rows[hr][idx])
	for r := hr + 1; r < len(rows); r++ {
		if idx >= len(rows[r]) {
			continue
		}
		v, blank, msg := parseCell(rows[r][idx], false)
		if blank {
			c.Blank++
			continue
		}
		if msg != "" {
			cell, _ := excelize.CoordinatesToCellName(idx+1, r+1)
			return &DataError{File: c.File, Line: r + 1, Col: idx + 1,
				Msg: fmt.Sprintf("worksheet %q, cell %s, column %q: %s", sheet, cell, c.Name, msg)}
		}
		c.Values = append(c.Values, v)
		c.Lines = append(c.Lines, r+1)
	}
	return nil
}

// xlsxRows reads the raw cell texts of worksheet sheet ("" for the first)
// of the workbook data (file names it in messages), keeping temporary files
// in tmpDir, and returns them with the worksheet's name.
func xlsxRows(file string, data []byte, sheet, tmpDir string) ([][]string, string, error) {
	// The zip directory's sizes are checked before anything is expanded
	// (archive/zip refuses an entry that expands beyond its stated size).
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, "", &DataError{File: file, Msg: "cannot read the workbook: " + err.Error()}
	}
	var unzipped uint64
	for _, zf := range zr.File {
		unzipped += zf.UncompressedSize64
		if unzipped > MaxUnzipped || zf.UncompressedSize64 > MaxUnzipped {
			return nil, "", &DataError{File: file, Msg: fmt.Sprintf("the workbook expands to more than the limit of %d MB for a data file", MaxUnzipped>>20)}
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{TmpDir: tmpDir, UnzipSizeLimit: MaxUnzipped, UnzipXMLSizeLimit: MaxUnzipped})
	if err != nil {
		return nil, "", &DataError{File: file, Msg: "cannot read the workbook: " + err.Error()}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, "", &DataError{File: file, Msg: "the workbook has no worksheet"}
	}
	if sheet == "" {
		sheet = sheets[0]
	} else {
		found := false
		for _, s := range sheets {
			if strings.EqualFold(s, sheet) {
				sheet, found = s, true
				break
			}
		}
		if !found {
			return nil, "", &DataError{File: file, Msg: fmt.Sprintf("no worksheet %q; the worksheets are %s", sheet, quoteList(sheets))}
		}
	}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, "", &DataError{File: file, Msg: fmt.Sprintf("worksheet %q: %v", sheet, err)}
	}
	return rows, sheet, nil
}
