package out

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// TestParquetSamplesFewOpenFiles: samples.parquet of 1,100 inputs is written
// with the open files limited to 64 more than are open, and reads back value
// for value, over several row groups (the page file is emptied and reused
// between them). The parquet writer's own file pool opened one file a column.
func TestParquetSamplesFewOpenFiles(t *testing.T) {
	defer func(n int) { parquetRowGroup = n }(parquetRowGroup)
	parquetRowGroup = 2 * sim.BlockSize
	const inputs, blocks = 1100, 5
	l := SamplesLayout{Outcome: false, Outputs: []string{"y"}}
	for i := range inputs {
		l.Inputs = append(l.Inputs, fmt.Sprintf("x%d", i))
	}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd to count open files")
	}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Skip(err)
	}
	limit := old
	limit.Cur = uint64(len(fds) + 64)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &limit); err != nil {
		t.Skip(err)
	}
	defer syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old)

	dir := t.TempDir()
	n := blocks * sim.BlockSize
	st, err := NewSamplesStream(dir, []string{"parquet"}, l, n)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Abort()
	value := func(col, it int) float64 { return float64(col)*1e6 + float64(it) + 0.5 }
	for k := range blocks {
		b := &sim.Block{Lo: k * sim.BlockSize, Inputs: make([][]float64, inputs), Outputs: make([][]float64, 1)}
		for c := range inputs + 1 {
			col := make([]float64, sim.BlockSize)
			for i := range col {
				col[i] = value(c, b.Lo+i)
			}
			if c < inputs {
				b.Inputs[c] = col
			} else {
				b.Outputs[0] = col
			}
		}
		b.Outcomes = make([]model.Outcome, sim.BlockSize)
		if err := st.Write(b); err != nil {
			t.Fatalf("block %d: %v", k, err)
		}
	}
	if _, err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old)
	rows := readParquet(t, filepath.Join(dir, "samples.parquet"))
	if len(rows) != n+1 || len(rows[0]) != inputs+2 {
		t.Fatalf("%d rows of %d columns, want %d of %d", len(rows), len(rows[0]), n+1, inputs+2)
	}
	for _, it := range []int{0, 1, sim.BlockSize, 2*sim.BlockSize + 7, n - 1} {
		r := rows[it+1]
		if r[0] != strconv.Itoa(it+1) {
			t.Errorf("row %d: iteration %s", it, r[0])
		}
		for _, c := range []int{0, 1, 555, inputs - 1, inputs} {
			if want := csvNum(value(c, it)); r[c+1] != want {
				t.Errorf("row %d column %d: %s, want %s", it, c, r[c+1], want)
			}
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left beside samples.parquet: %v", entries)
	}
}
