package out

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/internal/buildinfo"
	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
	"github.com/parquet-go/parquet-go"
)

// streamSamples runs s with the samples streamed into dir in formats and
// returns the result.
func streamSamples(t *testing.T, s *model.Scenario, dir string, formats []string, cfg sim.Config) *sim.Result {
	t.Helper()
	total := cfg.Iterations
	if cfg.Workers == 8 {
		total = 0 // the files are ended by Commit, not by the last block
	}
	m := model.Compile(s)
	st, err := NewSamplesStream(dir, formats, SamplesLayoutOf(s, SampleOutputs(m.Outputs())), total)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Abort()
	cfg.Sink = st.Write
	res, err := sim.RunModel(context.Background(), s, m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := st.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(formats) {
		t.Fatalf("committed %v for %v", paths, formats)
	}
	return res
}

// inMemorySamples is samples.csv as the in-memory writers produce it.
func inMemorySamples(t *testing.T, s *model.Scenario, cfg sim.Config) []byte {
	t.Helper()
	cfg.KeepSamples = true
	res, err := sim.RunModel(context.Background(), s, model.Compile(s), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	run := &Run{Scenario: s, Result: res}
	if err := referenceSamplesCSV(&buf, run, !s.IsFormula()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSamplesStreamCSVBytes: samples.csv streamed block by block is byte for
// byte the in-memory writer's, for the CRM model (with risk outcomes,
// undefined ROI/IRR and "not reached" payback as empty cells) and a formula
// model, and the same for 1, 2 and 8 workers. The iteration count is not a
// multiple of the block size, so the last block is partial.
func TestSamplesStreamCSVBytes(t *testing.T) {
	crm := model.Default()
	formula, err := model.Load("../examples/formula_nps.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*model.Scenario{crm, formula} {
		want := inMemorySamples(t, s, sim.Config{Iterations: 5000, Seed: 11, Workers: 2})
		if !bytes.Contains(want, []byte(",,")) && !s.IsFormula() {
			t.Error("the CRM samples have no empty cell: the test does not exercise undefined values")
		}
		for _, w := range []int{1, 2, 8} {
			dir := t.TempDir()
			streamSamples(t, s, dir, []string{"csv"}, sim.Config{Iterations: 5000, Seed: 11, Workers: w})
			got, err := os.ReadFile(filepath.Join(dir, "samples.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("formula %v, %d workers: streamed samples.csv differs from the in-memory writer's (%d vs %d bytes)",
					s.IsFormula(), w, len(got), len(want))
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		}
	}
}

// TestSamplesStreamAbort: a failed run leaves neither samples file nor
// temporary file (nor the parquet writer's page files).
func TestSamplesStreamAbort(t *testing.T) {
	dir := t.TempDir()
	st, err := NewSamplesStream(dir, []string{"csv", "parquet"}, SamplesLayoutOf(model.Default(), model.Outputs), 30000)
	if err != nil {
		t.Fatal(err)
	}
	cfg := sim.Config{Iterations: 30000, Seed: 1, Workers: 2, Sink: st.Write}
	ctx, cancel := context.WithCancel(context.Background())
	cfg.Progress = func(done, _ int) {
		if done > 20000 { // past a page of every column: page files exist
			cancel()
		}
	}
	if _, err := sim.Run(ctx, model.Default(), cfg); err == nil {
		t.Fatal("the cancelled run did not fail")
	}
	if pages, _ := filepath.Glob(filepath.Join(dir, "*.pages-*")); len(pages) == 0 {
		t.Error("no parquet page file before Abort: the test does not exercise their removal")
	}
	st.Abort()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left after Abort: %v", entries)
	}
}

// readParquet reads samples.parquet back as the rows of samples.csv: the
// header from the schema, every value formatted as csvNum does, null as an
// empty cell.
func readParquet(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, _ := f.Stat()
	pf, err := parquet.OpenFile(f, info.Size())
	if err != nil {
		t.Fatal(err)
	}
	var header []string
	for _, c := range pf.Schema().Fields() {
		header = append(header, c.Name())
	}
	rows := [][]string{header}
	for _, rg := range pf.RowGroups() {
		if rg.NumRows() > int64(parquetRowGroup) {
			t.Errorf("a row group of %d rows, more than %d", rg.NumRows(), parquetRowGroup)
		}
		rr := rg.Rows()
		buf := make([]parquet.Row, 100)
		for {
			n, err := rr.ReadRows(buf)
			for _, r := range buf[:n] {
				cells := make([]string, len(header))
				for _, v := range r {
					c := v.Column()
					switch {
					case v.IsNull():
						cells[c] = ""
					case v.Kind() == parquet.Int64:
						cells[c] = strconv.FormatInt(v.Int64(), 10)
					case v.Kind() == parquet.Double:
						if math.IsNaN(v.Double()) || math.IsInf(v.Double(), 0) {
							t.Fatalf("a non-finite double in column %s: it should be null", header[c])
						}
						cells[c] = csvNum(v.Double())
					case v.Kind() == parquet.ByteArray:
						cells[c] = string(v.ByteArray())
					default:
						t.Fatalf("column %s has kind %v", header[c], v.Kind())
					}
				}
				rows = append(rows, cells)
			}
			if err != nil {
				break
			}
		}
		rr.Close()
	}
	return rows
}

// TestSamplesParquetEqualsCSV: samples.parquet of a run reads back equal to
// samples.csv of the same run, cell for cell, with typed columns, in more
// than one row group; with a gate, neither has the gate's internal outputs.
func TestSamplesParquetEqualsCSV(t *testing.T) {
	defer func(n int) { parquetRowGroup = n }(parquetRowGroup)
	parquetRowGroup = 8 * 1024 // several row groups from a small run
	for _, file := range []string{"", "../examples/formula_ishigami.yaml", "../examples/pilot_gate.yaml"} {
		s := model.Default()
		if file != "" {
			var err error
			if s, err = model.Load(file, nil); err != nil {
				t.Fatal(err)
			}
		}
		dir := t.TempDir()
		n := 2*parquetRowGroup + 3000
		streamSamples(t, s, dir, []string{"csv", "parquet"}, sim.Config{Iterations: n, Seed: 5, Workers: 2})
		raw, err := os.ReadFile(filepath.Join(dir, "samples.csv"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		got := readParquet(t, filepath.Join(dir, "samples.parquet"))
		if strings.Contains(strings.Join(want[0], ","), "gate") {
			t.Errorf("%q: samples.csv has the gate's internal outputs: %v", file, want[0])
		}
		if len(got) != len(want) || len(got) != n+1 {
			t.Fatalf("%q: parquet has %d rows, csv %d, want %d", file, len(got), len(want), n+1)
		}
		for i := range want {
			if len(got[i]) != len(want[i]) {
				t.Fatalf("%q row %d: %d columns in parquet, %d in csv", file, i, len(got[i]), len(want[i]))
			}
			for j := range want[i] {
				if got[i][j] != want[i][j] {
					t.Fatalf("%q row %d column %s: parquet %q, csv %q", file, i, want[0][j], got[i][j], want[i][j])
				}
			}
		}
		// Typed columns: iteration INT64 required, inputs and outputs optional DOUBLE.
		f, _ := os.Open(filepath.Join(dir, "samples.parquet"))
		info, _ := f.Stat()
		pf, err := parquet.OpenFile(f, info.Size())
		if err != nil {
			t.Fatal(err)
		}
		fields := pf.Schema().Fields()
		if fields[0].Type().Kind() != parquet.Int64 || !fields[0].Required() {
			t.Errorf("iteration column: %v", fields[0])
		}
		last := fields[len(fields)-1]
		if last.Type().Kind() != parquet.Double || !last.Optional() {
			t.Errorf("last output column: %v", last)
		}
		if len(pf.RowGroups()) < 2 {
			t.Errorf("%d row groups, want at least 2", len(pf.RowGroups()))
		}
		if got, want := pf.Metadata().CreatedBy, "crmroi version "+buildinfo.Read().String(); got != want {
			t.Errorf("created_by %q, want %q", got, want)
		}
		f.Close()
	}
}

// TestParquetCreatedBy: the version of summary.json, then the full revision
// as other writers give their build, when the build knows it.
func TestParquetCreatedBy(t *testing.T) {
	rev := "a5f3f2e1b2c3d4e5f60718293a4b5c6d7e8f9012"
	for _, c := range []struct {
		b    buildinfo.Info
		want string
	}{
		{buildinfo.Info{Version: "0.1.0-dev"}, "crmroi version 0.1.0-dev"},
		{buildinfo.Info{Version: "0.1.0-dev", Revision: rev, Modified: true}, "crmroi version 0.1.0-dev+a5f3f2e1b2c3.dirty (build " + rev + ")"},
		{buildinfo.Info{Version: "0.2.0", Revision: rev}, "crmroi version 0.2.0+a5f3f2e1b2c3 (build " + rev + ")"},
	} {
		if got := parquetCreatedBy(c.b); got != c.want {
			t.Errorf("%+v: %q, want %q", c.b, got, c.want)
		}
	}
}

// TestParseSamplesFormats: csv, parquet, both in a fixed order; nothing else.
func TestParseSamplesFormats(t *testing.T) {
	for in, want := range map[string]string{"csv": "csv", "parquet": "parquet", "parquet,csv": "csv parquet", "CSV, parquet": "csv parquet"} {
		got, err := ParseSamplesFormats(in)
		if err != nil || joinSpace(got) != want {
			t.Errorf("%q: %v, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "xlsx", "csv,"} {
		if _, err := ParseSamplesFormats(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func joinSpace(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

// referenceSamplesCSV is what the streamed samples.csv must equal: every
// iteration kept in memory (sim.Config.KeepSamples) written in one go:
// iteration,[outcome,]<uncertain inputs>,<outputs>, iterations from 1; a
// formula model has no outcome column.
func referenceSamplesCSV(w io.Writer, run *Run, outcome bool) error {
	r := run.Result
	cw := csv.NewWriter(w)
	head := []string{"iteration"}
	if outcome {
		head = append(head, "outcome")
	}
	head = append(append(head, r.InputNames...), r.Outputs...)
	if err := cw.Write(head); err != nil {
		return err
	}
	row := make([]string, 0, len(head))
	for i := 0; i < r.Iterations; i++ {
		row = append(row[:0], strconv.Itoa(i+1))
		if outcome {
			row = append(row, r.Outcome[i].String())
		}
		for _, col := range r.Inputs {
			row = append(row, csvNum(col[i]))
		}
		for _, col := range r.Values {
			row = append(row, csvNum(col[i]))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
