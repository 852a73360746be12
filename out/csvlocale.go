package out

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// CSV locales: how the CSV files a run writes are laid out. CSVMachine (the
// default) is RFC 4180 with ',' and numbers that read back exactly
// (strconv's shortest form, 1e-05 included); CSVRussian is what Excel in a
// Russian locale opens as columns: ';' between cells, decimal commas, no
// scientific notation, UTF-8 with a byte-order mark.
const (
	CSVMachine = ""
	CSVRussian = "ru"
)

// ParseCSVLocale reads --csv-locale: "" or "machine" (the default) or "ru".
func ParseCSVLocale(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "machine", "c", "en":
		return CSVMachine, nil
	case "ru":
		return CSVRussian, nil
	}
	return "", fmt.Errorf("must be machine or ru, got %q", s)
}

// localeCSV rewrites the machine CSV written to it into the Russian layout,
// record by record as complete lines arrive (a samples file may be large).
type localeCSV struct {
	w       io.Writer
	pending []byte
	started bool
	out     bytes.Buffer
}

// NewLocaleCSV returns a writer that takes machine CSV and writes it to w in
// locale (CSVRussian); for CSVMachine it returns w itself. Close flushes a
// last line without its newline.
func NewLocaleCSV(w io.Writer, locale string) io.WriteCloser {
	if locale != CSVRussian {
		return nopCloser{w}
	}
	return &localeCSV{w: w}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func (c *localeCSV) Write(p []byte) (int, error) {
	c.pending = append(c.pending, p...)
	// The longest prefix ending in a newline outside quotes.
	cut, quoted := -1, false
	for i, b := range c.pending {
		switch b {
		case '"':
			quoted = !quoted
		case '\n':
			if !quoted {
				cut = i
			}
		}
	}
	if cut >= 0 {
		if err := c.convert(c.pending[:cut+1]); err != nil {
			return 0, err
		}
		c.pending = append(c.pending[:0], c.pending[cut+1:]...)
	}
	return len(p), nil
}

// Close converts what is left.
func (c *localeCSV) Close() error {
	if len(c.pending) > 0 || !c.started {
		if err := c.convert(c.pending); err != nil {
			return err
		}
		c.pending = nil
	}
	return nil
}

func (c *localeCSV) convert(chunk []byte) error {
	c.out.Reset()
	if !c.started {
		c.out.WriteString("\ufeff") // Excel reads UTF-8 only after a byte-order mark
		c.started = true
	}
	r := csv.NewReader(bytes.NewReader(chunk))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	cw := csv.NewWriter(&c.out)
	cw.Comma = ';'
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		for i, f := range rec {
			rec[i] = LocaleNumber(f)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := c.w.Write(c.out.Bytes())
	return err
}

// LocaleNumber writes a machine CSV cell that is a number (digits, a point,
// an exponent) with a decimal comma and without scientific notation:
// "-1.5e-05" → "-0,000015"; any other cell is unchanged.
func LocaleNumber(f string) string {
	if !isMachineNumber(f) || !strings.ContainsAny(f, ".eE") {
		return f // text, or a whole number: as it is (a uint64 seed stays exact)
	}
	v, err := strconv.ParseFloat(f, 64)
	if err != nil {
		return f
	}
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

// isMachineNumber reports whether f is a number as csvNum writes one:
// [-]digits[.digits][e[±]digits], nothing else (no NaN, Inf, hex or spaces).
func isMachineNumber(f string) bool {
	i := 0
	if i < len(f) && (f[i] == '-' || f[i] == '+') {
		i++
	}
	digits := 0
	for i < len(f) && f[i] >= '0' && f[i] <= '9' {
		i++
		digits++
	}
	if i < len(f) && f[i] == '.' {
		i++
		for i < len(f) && f[i] >= '0' && f[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(f) && (f[i] == 'e' || f[i] == 'E') {
		i++
		if i < len(f) && (f[i] == '-' || f[i] == '+') {
			i++
		}
		exp := 0
		for i < len(f) && f[i] >= '0' && f[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(f)
}
