package fit

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadColumnCSV(t *testing.T) {
	p := writeFile(t, "h.csv", "\ufeffmonth, Churn ,deal\n1,0.02,\"1,500\"\n2,2.5%,3e3\n\n3,,4_000\n4,0.031,5000\n")
	c, err := ReadColumn(p, "churn", "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Churn" || len(c.Values) != 3 || c.Values[1] != 0.025 || c.Blank != 1 || c.Lines[2] != 6 {
		t.Errorf("got %+v", c)
	}
	if len(c.SHA256) != 64 {
		t.Errorf("sha256 %q", c.SHA256)
	}
	// semicolons with decimal commas
	p = writeFile(t, "e.csv", "a;b\n1,5;2\n2,25;3\n")
	c, err = ReadColumn(p, "a", "")
	if err != nil || c.Values[0] != 1.5 || c.Values[1] != 2.25 {
		t.Errorf("semicolon CSV: %+v %v", c, err)
	}
	// a single column needs no name
	p = writeFile(t, "one.csv", "x\n1\n2\n")
	if c, err := ReadColumn(p, "", ""); err != nil || len(c.Values) != 2 {
		t.Errorf("single column: %v", err)
	}
}

// TestReadColumnErrors checks that bad data give a *DataError at the right
// line and column.
func TestReadColumnErrors(t *testing.T) {
	cases := []struct {
		name, text, column string
		line, col          int
		msg                string
	}{
		{"nan", "a,b\n1,2\n3,NaN\n", "b", 3, 3, "NaN"},
		{"text", "a,b\n1,2\n3,abc\n4,5\n", "b", 3, 3, `"abc" is not a number`},
		{"inf", "a\n1\n-Inf\n", "a", 3, 1, "not a finite number"},
		{"one value", "a,b\n1,2\n", "b", 1, 0, "has 1 number"},
		{"empty column", "a,b\n1,\n2,\n", "b", 1, 0, "has 0 numbers"},
		{"empty file", "", "b", 1, 0, "empty"},
		{"no column", "a,b\n1,2\n", "c", 1, 1, `no column "c"`},
		{"several columns", "a,b\n1,2\n", "", 1, 1, "name one with column="},
		{"csv syntax", "a,b\n1,\"2\n", "b", 2, 0, "CSV syntax"},
	}
	for _, c := range cases {
		p := writeFile(t, "d.csv", c.text)
		_, err := ReadColumn(p, c.column, "")
		var de *DataError
		if !errors.As(err, &de) {
			t.Errorf("%s: got %v, want a DataError", c.name, err)
			continue
		}
		if de.Line != c.line || c.col > 0 && de.Col != c.col || !strings.Contains(de.Msg, c.msg) || de.File != p {
			t.Errorf("%s: got %s (line %d col %d), want line %d col %d and %q", c.name, de, de.Line, de.Col, c.line, c.col, c.msg)
		}
		if !strings.HasPrefix(de.Error(), p+":") {
			t.Errorf("%s: %q does not start with the file", c.name, de.Error())
		}
	}
	if _, err := ReadColumn(filepath.Join(t.TempDir(), "missing.csv"), "a", ""); err == nil {
		t.Error("a missing file was read")
	}
}

func TestReadColumnXLSX(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "History")
	f.NewSheet("Other")
	rows := [][]any{{"month", "overrun"}, {1, 1.2}, {2, 1.35}, {3, nil}, {4, 0.98}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("History", cell, &r)
	}
	f.SetSheetRow("Other", "A1", &[]any{"overrun"})
	f.SetSheetRow("Other", "A2", &[]any{"n/a"})
	p := filepath.Join(t.TempDir(), "h.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	c, err := ReadColumn(p, "overrun", "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Sheet != "History" || len(c.Values) != 3 || c.Values[2] != 0.98 || c.Lines[2] != 5 {
		t.Errorf("got %+v", c)
	}
	_, err = ReadColumn(p, "overrun", "other")
	var de *DataError
	if !errors.As(err, &de) || de.Line != 2 || de.Col != 1 || !strings.Contains(de.Msg, "cell A2") {
		t.Errorf("bad cell: %v", err)
	}
	if _, err := ReadColumn(p, "overrun", "nope"); err == nil || !strings.Contains(err.Error(), `no worksheet "nope"`) {
		t.Errorf("missing sheet: %v", err)
	}
}

// FuzzParseColumn checks the CSV reader: no panic, and every value it
// returns is a finite number.
func FuzzParseColumn(f *testing.F) {
	for _, s := range []string{
		"month,churn\n1,0.02\n2,2.5%\n", "\ufeffa;b\n1,5;2\n2,25;3\n", "x\n1_000\n\"1,500\"\n3e3\n",
		"a,b\n1,\n,2\n", "churn\n0.1\nabc\n", "a,a\n1,2\n", "",
	} {
		f.Add([]byte(s), "")
		f.Add([]byte(s), "churn")
	}
	f.Fuzz(func(t *testing.T, data []byte, column string) {
		if len(data) > 4096 {
			return
		}
		c, err := ParseColumn("f.csv", data, column, "")
		if err != nil {
			return
		}
		for _, v := range c.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("value %v from %q", v, data)
			}
		}
	})
}
