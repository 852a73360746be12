package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/crmroi/crmroi/sim"
)

// refused runs args and checks that they end with exit 2, the message
// containing want, and no stack trace or internal error.
func refused(t *testing.T, want string, args ...string) string {
	t.Helper()
	code, _, stderr := runMain(t, args...)
	if code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("%v: exit %d, want 2 and %q: %s", args, code, want, stderr)
	}
	if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "internal error") {
		t.Errorf("%v: a crash: %s", args, stderr)
	}
	return stderr
}

// TestFormulaWithoutOutputs: a formula model whose outputs: mapping is empty
// is refused when loaded, at the mapping's line and column, by every command
// (it used to validate and then panic in run and sensitivity).
func TestFormulaWithoutOutputs(t *testing.T) {
	for _, outputs := range []string{"outputs: {}", "outputs: { }"} {
		file := formulaFile(t, "f.yaml", "name: x\nmodel: formula\ninputs:\n  a: normal(0, 1)\n"+outputs+"\n")
		at := fmt.Sprintf("%s:5:10: outputs:", file)
		o := filepath.Join(t.TempDir(), "o")
		refused(t, at, "validate", file)
		refused(t, at, "run", file, "-n", "100", "-q", "-o", o)
		refused(t, at, "sensitivity", file, "-n", "100", "-q", "-o", o)
		refused(t, at, "sweep", file, "--param", "a", "--values", "1,2", "-n", "100", "-q", "-o", o)
	}
}

// shardRun runs the shards of a run of file (through runMain) into dir and
// returns the parts' paths.
func shardRun(t *testing.T, dir string, n int, file string, args ...string) []string {
	t.Helper()
	var parts []string
	for i := 0; i < n; i++ {
		a := []string{"run", "-q", "-o", dir, "--shard", fmt.Sprintf("%d/%d", i, n)}
		if file != "" {
			a = append(a, file)
		}
		if code, _, stderr := runMain(t, append(a, args...)...); code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, code, stderr)
		}
		parts = append(parts, filepath.Join(dir, partName(i, n)))
	}
	return parts
}

// mergeSummary merges parts into a new folder and returns its summary.json.
func mergeSummary(t *testing.T, parts []string, args ...string) string {
	t.Helper()
	o := filepath.Join(t.TempDir(), "merged")
	code, _, stderr := runMain(t, append(append([]string{"merge", "-q", "--format", "none", "-o", o}, args...), parts...)...)
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	return readText(t, filepath.Join(o, "summary.json"))
}

// TestMergeOnlyItsFlags: merge takes only the flags that say where and how
// to write (the run's settings come from the parts): the others are unknown
// flags, exit 2, and are neither in its help nor in the completions.
func TestMergeOnlyItsFlags(t *testing.T) {
	parts := shardRun(t, t.TempDir(), 2, "", "-n", "3000", "--format", "none")
	o := filepath.Join(t.TempDir(), "o")
	for _, flag := range [][]string{{"--seed", "3"}, {"-n", "10"}, {"--iterations", "10"}, {"--sampling", "lhs"},
		{"--set", "seats=3"}, {"--shard", "0/2"}, {"--tolerance", "0.1"}, {"--max-iterations", "9"}, {"--samples"}, {"--samples-format", "csv"}} {
		refused(t, "unknown", append(append([]string{"merge", "-o", o}, flag...), parts...)...)
	}
	_, _, help := runMain(t, "merge", "-h")
	for _, f := range []string{"--seed", "--iterations", "--sampling", "--set", "--shard", "--tolerance", "--samples"} {
		if strings.Contains(help, f+" ") {
			t.Errorf("merge -h lists %s", f)
		}
	}
	for _, f := range []string{"--out", "--force", "--format", "--json", "--lang", "--workers", "--quiet"} {
		if !strings.Contains(help, f) {
			t.Errorf("merge -h does not list %s", f)
		}
	}
	_, bash, _ := runMain(t, "completion", "bash")
	block, _, _ := strings.Cut(bash[strings.Index(bash, "    merge)")+1:], "\n        ;;")
	if !strings.Contains(block, "--workers") || strings.Contains(block, "--seed") || strings.Contains(block, "--sampling") {
		t.Errorf("the bash completion of merge: %s", block)
	}
}

// TestPartsSelfContained: a part carries the scenario's text and its data
// files: shards of a scenario read from a pipe, and of a scenario with an
// empirical input whose folder is gone by the time of the merge, merge into
// the result of a single run.
func TestPartsSelfContained(t *testing.T) {
	dir := t.TempDir()
	text := edit(t, "horizon_months: 36", "horizon_months: 24")
	file := writeScenario(t, dir, "s.yaml", text)
	single := filepath.Join(dir, "single")
	if code, _, stderr := runMain(t, "run", file, "-n", "4000", "-q", "--format", "none", "-o", single); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := elapsedRE.ReplaceAllString(readText(t, filepath.Join(single, "summary.json")), "")
	partsDir := t.TempDir()
	for i := 0; i < 2; i++ {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		go func() { w.WriteString(text); w.Close() }()
		shardRun(t, partsDir, 1, fmt.Sprintf("/dev/fd/%d", r.Fd()), "-n", "4000", "--format", "none", "--shard", fmt.Sprintf("%d/2", i))
		r.Close()
	}
	parts := []string{filepath.Join(partsDir, partName(0, 2)), filepath.Join(partsDir, partName(1, 2))}
	if got := elapsedRE.ReplaceAllString(mergeSummary(t, parts), ""); !strings.Contains(got, `"mean"`) || !sameButFile(got, want) {
		t.Errorf("the parts of a piped scenario merge into another result:\n%s\nwant\n%s", got, want)
	}

	// An empirical input: the data travel in the part.
	data := t.TempDir()
	var csv strings.Builder
	csv.WriteString("v\n")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&csv, "%d\n", 10+i*i%17)
	}
	writeScenario(t, data, "d.csv", csv.String())
	emp := writeScenario(t, data, "e.yaml", "name: e\nmodel: formula\ninputs:\n  x: empirical(file=d.csv, column=v)\noutputs:\n  y: 2 * x\n")
	single = filepath.Join(t.TempDir(), "single")
	if code, _, stderr := runMain(t, "run", emp, "-n", "3000", "-q", "--format", "none", "-o", single); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want = elapsedRE.ReplaceAllString(readText(t, filepath.Join(single, "summary.json")), "")
	parts = shardRun(t, t.TempDir(), 3, emp, "-n", "3000", "--format", "none")
	if err := os.RemoveAll(data); err != nil {
		t.Fatal(err)
	}
	if got := elapsedRE.ReplaceAllString(mergeSummary(t, parts), ""); got != want {
		t.Errorf("the parts of an empirical scenario merge into another result:\n%s\nwant\n%s", got, want)
	}
}

// sameButFile compares two summaries whose scenario file names differ.
func sameButFile(a, b string) bool {
	strip := regexp.MustCompile(`"file": "[^"]*"`)
	return strip.ReplaceAllString(a, "") == strip.ReplaceAllString(b, "")
}

// TestMergeRefusesDamagedParts: a part with any one bit flipped, truncated,
// extended, of another build, or not a regular file is refused with exit 2
// and a message, never merged, and never a crash.
func TestMergeRefusesDamagedParts(t *testing.T) {
	dir := t.TempDir()
	parts := shardRun(t, dir, 2, "", "-n", "2500", "--format", "none", "--set", "horizon_months=12")
	good, err := os.ReadFile(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	o := filepath.Join(t.TempDir(), "o")
	bad := filepath.Join(dir, "bad.crmroi")
	r := rand.New(rand.NewPCG(3, 4))
	for k := 0; k < 150; k++ {
		b := bytes.Clone(good)
		bit := r.IntN(8 * len(b))
		b[bit/8] ^= 1 << (bit % 8)
		os.WriteFile(bad, b, 0o644)
		refused(t, "bad.crmroi: ", "merge", "-q", "-o", o, parts[0], bad)
	}
	for _, b := range [][]byte{good[:len(good)/2], append(bytes.Clone(good), '\n'), {}, []byte("name: x\n")} {
		os.WriteFile(bad, b, 0o644)
		refused(t, "bad.crmroi: ", "merge", "-q", "-o", o, parts[0], bad)
	}
	refused(t, "is a directory", "merge", "-q", "-o", o, parts[0], dir)
	fifo := filepath.Join(dir, "fifo.crmroi")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	refused(t, "is a pipe", "merge", "-q", "-o", o, parts[0], fifo)

	// Another build: merge refuses parts written by another version or revision.
	for _, v := range []*string{&version, &revision} {
		old := *v
		*v = "other-build"
		other := shardRun(t, t.TempDir(), 2, "", "-n", "2500", "--format", "none", "--set", "horizon_months=12")
		*v = old
		refused(t, "other-build", append([]string{"merge", "-q", "-o", o}, other...)...)
	}
	if _, err := os.Stat(o); !os.IsNotExist(err) {
		t.Error("a refused merge created its output folder")
	}
}

// TestMergedElapsed: a merged run reports the shards' summed compute time,
// not the merge's own (near 0).
func TestMergedElapsed(t *testing.T) {
	parts := shardRun(t, t.TempDir(), 3, "", "-n", "5000", "--format", "none")
	sum := 0.0
	for _, name := range parts {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		p, err := sim.ReadPartial(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		sum += p.Seconds
	}
	var s struct {
		Run struct {
			Elapsed float64 `json:"elapsed_seconds"`
		} `json:"run"`
	}
	if err := json.Unmarshal([]byte(mergeSummary(t, parts)), &s); err != nil {
		t.Fatal(err)
	}
	if sum <= 0 || math.Abs(s.Run.Elapsed-math.Round(sum*1000)/1000) > 1e-9 {
		t.Errorf("elapsed_seconds %v, the shards computed for %v s", s.Run.Elapsed, sum)
	}
}

// TestPipesAndDevices: a FIFO with no writer, a device or a directory given
// as a scenario, a data file or a part is refused at once with exit 2 (a
// FIFO used to block every command forever); a scenario from a pipe with a
// writer (bash's <(…)) is read.
func TestPipesAndDevices(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "f.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	dataFifo := filepath.Join(dir, "d.csv")
	if err := syscall.Mkfifo(dataFifo, 0o644); err != nil {
		t.Fatal(err)
	}
	emp := writeScenario(t, dir, "e.yaml", "name: e\nmodel: formula\ninputs:\n  x: empirical(file=d.csv)\noutputs:\n  y: x\n")
	o := filepath.Join(dir, "out")
	done := make(chan bool)
	go func() {
		defer close(done)
		for _, args := range [][]string{
			{"validate", fifo}, {"run", fifo}, {"sensitivity", fifo}, {"batch", fifo, fifo},
			{"sweep", fifo, "--param", "seats", "--values", "1,2"},
			{"validate", emp}, {"run", emp}, {"fit", dataFifo}, {"fit", "/dev/zero"}, {"fit", dir},
			{"validate", "/dev/null"}, {"merge", dataFifo},
		} {
			if args[0] != "validate" {
				args = append(args, "-q", "-o", o)
			}
			refused(t, "", args...)
		}
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("a command blocked on a FIFO")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() { w.WriteString(defaultText()); w.Close() }()
	if code, _, stderr := runMain(t, "validate", fmt.Sprintf("/dev/fd/%d", r.Fd())); code != 0 {
		t.Errorf("a scenario from a pipe: exit %d: %s", code, stderr)
	}
}

// TestSignalEndsBlockedRead: a command blocked reading a pipe whose writer
// never writes still ends within about a second of SIGTERM, with exit 130.
func TestSignalEndsBlockedRead(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "f.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := os.OpenFile(fifo, os.O_RDWR, 0) // a writer that never writes
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cmd := crmroiCmd("validate", fifo)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	sent := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130: %s", err, stderr.String())
	}
	if took := time.Since(sent); took > 2500*time.Millisecond {
		t.Errorf("ended %v after SIGTERM", took)
	}
}

// stopsSoon runs args in-process, cancels its context after delay and
// checks that it returns exit 130 within limit of the cancellation.
func stopsSoon(t *testing.T, delay, limit time.Duration, args ...string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	done := make(chan int)
	go func() { done <- Main(ctx, args, io.Discard, &stderr) }()
	select {
	case code := <-done:
		t.Fatalf("%v ended before it was interrupted (exit %d): %s", args, code, stderr.String())
	case <-time.After(delay):
	}
	cancel()
	sent := time.Now()
	select {
	case code := <-done:
		if code != 130 {
			t.Errorf("%v: exit %d, want 130: %s", args, code, stderr.String())
		}
		if took := time.Since(sent); took > limit {
			t.Errorf("%v ended %v after the interrupt", args, took)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("%v did not end within a minute of the interrupt", args)
	}
}

// TestInterruptLongCommands: an interrupt ends a long sensitivity analysis
// (in its rank measures too) and a fit on 10⁶ rows promptly, with exit 130,
// by the commands' own checks (in-process: no signal handler ends them).
func TestInterruptLongCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("long commands")
	}
	o := t.TempDir()
	for _, delay := range []time.Duration{500 * time.Millisecond, 2500 * time.Millisecond} {
		stopsSoon(t, delay, time.Second, "sensitivity", "-n", "1000000", "--base", "64", "--format", "none", "-q", "-o", o)
	}
	var b strings.Builder
	b.WriteString("v\n")
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 1_000_000; i++ {
		fmt.Fprintf(&b, "%.6g\n", 1+r.ExpFloat64())
	}
	data := writeScenario(t, t.TempDir(), "big.csv", b.String())
	for _, delay := range []time.Duration{300 * time.Millisecond, 1500 * time.Millisecond} {
		stopsSoon(t, delay, time.Second, "fit", data, "--format", "none", "-o", o)
	}
}

// TestSmallerRefusals: requests that used to be accepted and then done
// wrongly or silently dropped are exit 2 with a message, at file:line:col
// where they come from a file; init - writes to the standard output.
func TestSmallerRefusals(t *testing.T) {
	dir := t.TempDir()
	o := filepath.Join(dir, "o")
	refused(t, "--sensitivity", "run", "--sensitivity", "--format", "none", "-n", "500", "-q", "-o", o)
	refused(t, "--max-iterations (10) is below --iterations (1000)", "run", "--max-iterations", "10", "-n", "1000", "--tolerance", "0.1", "-q", "-o", o)
	refused(t, "the file name is empty", "init", "")
	code, stdout, stderr := runMain(t, "init", "-")
	if code != 0 || stdout != defaultText() {
		t.Errorf("init -: exit %d, %d bytes on stdout: %s", code, len(stdout), stderr)
	}
	if _, err := os.Stat("-"); !os.IsNotExist(err) {
		t.Error(`init - created a file named "-"`)
	}
	for _, bounds := range []string{"5, 1", "1e9, -1e9", "2 * 3, 5"} {
		f := formulaFile(t, "c.yaml", "name: c\nmodel: formula\ninputs:\n  a: uniform(0, 10)\noutputs:\n  y: clamp(a, "+bounds+")\n")
		refused(t, f+":6:6: outputs.y: clamp(x, lo, hi) needs lo ≤ hi", "validate", f)
	}
	if f := formulaFile(t, "c.yaml", "name: c\nmodel: formula\ninputs:\n  a: uniform(0, 10)\n  b: uniform(0, 1)\noutputs:\n  y: clamp(a, b, 1)\n"); true {
		if code, _, stderr := runMain(t, "validate", f); code != 0 {
			t.Errorf("clamp with a variable bound: exit %d: %s", code, stderr)
		}
	}
	two := writeScenario(t, dir, "two.yaml", defaultText()+"---\nname: another\n")
	line := strings.Count(defaultText(), "\n") + 2
	refused(t, fmt.Sprintf("%s:%d:1: a second YAML document", two, line), "validate", two)
	refused(t, "a second YAML document", "run", two, "-q", "-o", o)
	huge := writeScenario(t, dir, "huge.csv", "v\n1e308\n-1e308\n5e307\n")
	refused(t, "too wide to compute with", "fit", huge, "--format", "none", "-o", o)
	big := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(big, []byte("v\n1\n2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 101<<20); err != nil { // sparse: refused by its size, not read
		t.Fatal(err)
	}
	refused(t, "larger than the limit", "fit", big, "--format", "none", "-o", o)
}
