package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The go/no-go gate (model.md section 7) through the command line.

var (
	shaRE  = regexp.MustCompile(`"sha256": "[0-9a-f]+"`)
	gateRE = regexp.MustCompile(`(?s)\n  "gate": \{.*?\n  \},`)
)

// runFiles runs crmroi run with args into a new folder and returns its files.
func runFiles(t *testing.T, dir string, args ...string) map[string][]byte {
	t.Helper()
	code, _, stderr := runMain(t, append([]string{"run", "-q", "--format", "none", "-o", dir}, args...)...)
	if code != 0 {
		t.Fatalf("run %v: exit %d: %s", args, code, stderr)
	}
	files := map[string][]byte{}
	for _, f := range []string{"summary.json", "summary.csv", "bands.csv", "tornado.csv", "samples.csv"} {
		if b, err := os.ReadFile(filepath.Join(dir, f)); err == nil {
			files[f] = b
		}
	}
	return files
}

// gateOf returns summary.json's gate object.
func gateOf(t *testing.T, summary []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(summary, &v); err != nil {
		t.Fatal(err)
	}
	g, ok := v["gate"].(map[string]any)
	if !ok {
		t.Fatalf("summary.json has no gate object")
	}
	return g
}

func gateNum(g map[string]any, keys ...string) float64 {
	var v any = g
	for _, k := range keys {
		v = v.(map[string]any)[k]
	}
	return v.(float64)
}

// TestGateFalseByteIdentical: a gate that never stops (stop_if "false", a
// constant, and "A > 2", never true) leaves every file as the run without
// it byte for byte: bands.csv, tornado.csv, samples.csv, summary.csv, and
// summary.json but for the gate object itself and the scenario's SHA-256
// (the scenario differs). The gate object says that nothing stopped and
// that the gate is worth exactly 0.
func TestGateFalseByteIdentical(t *testing.T) {
	dir := t.TempDir()
	common := []string{"-n", "5000", "--seed", "4", "--samples"}
	plain := runFiles(t, filepath.Join(dir, "plain"), common...)
	for i, rule := range []string{"false", "A > 2"} {
		gated := runFiles(t, filepath.Join(dir, "gated"+strconv.Itoa(i)), append([]string{"--set", "gate.run_month=3", "--set", "gate.stop_if=" + rule}, common...)...)
		for f, want := range plain {
			got := gated[f]
			if f == "summary.json" {
				g := gateOf(t, got)
				if gateNum(g, "share_stopped") != 0 || gateNum(g, "value", "mean") != 0 || gateNum(g, "value", "se") != 0 ||
					gateNum(g, "prob_loss_with") != gateNum(g, "prob_loss_without") {
					t.Errorf("%s: gate object %v", rule, g)
				}
				got = shaRE.ReplaceAll(elapsedRE.ReplaceAll(gateRE.ReplaceAll(got, nil), nil), nil)
				want = shaRE.ReplaceAll(elapsedRE.ReplaceAll(want, nil), nil)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("stop_if %s: %s differs from the run without a gate", rule, f)
			}
		}
	}
}

// outcomes returns summary.json's outcome shares and the iterations.
func outcomes(t *testing.T, summary []byte) (ok, cancelled, abandoned, n float64) {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(summary, &v); err != nil {
		t.Fatal(err)
	}
	o := v["outcomes"].(map[string]any)
	return o["ok"].(float64), o["cancelled"].(float64), o["abandoned"].(float64), v["run"].(map[string]any)["iterations"].(float64)
}

// TestGateTrueStopsAlive: stop_if "true" stops exactly the iterations alive
// at run month m. At m = 3, before any abandonment (ka ≥ 6) and within the
// horizon for every go-live, that is every iteration not cancelled: the
// share stopped is the run's ok + abandoned without the gate, count for
// count, and with the gate no iteration ends ok. At m = 12 the abandoned
// iterations with ka < 12 (6 of the 13 equally likely months) are not
// stopped: the share is ok + abandoned × 7/13 within sampling error.
func TestGateTrueStopsAlive(t *testing.T) {
	dir := t.TempDir()
	common := []string{"-n", "20000", "--seed", "8"}
	plain := runFiles(t, filepath.Join(dir, "plain"), common...)
	ok0, c0, a0, n := outcomes(t, plain["summary.json"])
	for _, m := range []string{"3", "12"} {
		files := runFiles(t, filepath.Join(dir, "m"+m), append([]string{"--set", "gate.run_month=" + m, "--set", "gate.stop_if=true"}, common...)...)
		g := gateOf(t, files["summary.json"])
		share := gateNum(g, "share_stopped")
		ok, c, a, _ := outcomes(t, files["summary.json"])
		if ok != 0 || c != c0 || math.Round(a*n) != math.Round(a0*n)+math.Round(ok0*n) {
			t.Errorf("m=%s: outcomes ok %v cancelled %v abandoned %v; without the gate %v %v %v", m, ok, c, a, ok0, c0, a0)
		}
		if m == "3" {
			if math.Round(share*n) != math.Round(ok0*n)+math.Round(a0*n) {
				t.Errorf("m=3: share stopped %v, want ok + abandoned = %v + %v", share, ok0, a0)
			}
			continue
		}
		want := ok0 + a0*7/13
		se := math.Sqrt(a0 * (7.0 / 13) * (6.0 / 13) / n)
		if math.Abs(share-want) > 4*se+1/n {
			t.Errorf("m=12: share stopped %v, want %v ± %v", share, want, 4*se)
		}
	}
}

// stripGate returns the text of a scenario file without its gate: section.
func stripGate(t *testing.T, text string) string {
	t.Helper()
	i := strings.Index(text, "\ngate:")
	if i < 0 {
		t.Fatal("no gate: section")
	}
	return text[:i+1]
}

// samplesNPV returns the npv column of samples.csv.
func samplesNPV(t *testing.T, data []byte) []float64 {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for j, h := range recs[0] {
		if h == "npv" {
			col = j
		}
	}
	var v []float64
	for _, r := range recs[1:] {
		x, err := strconv.ParseFloat(r[col], 64)
		if err != nil {
			t.Fatal(err)
		}
		v = append(v, x)
	}
	return v
}

// TestGateValueIsPairedDifference: on the example with a gate, the value of
// the gate is exactly mean npv (gated run) − mean npv (the same scenario
// without its gate: section, same seed), its npv without the gate and
// P(loss) without are that run's, bit for bit, and its standard error is
// that of the per-iteration differences of the two runs' samples; the
// example's gate is worth something, and pairing makes the error smaller
// than the npv's own.
func TestGateValueIsPairedDifference(t *testing.T) {
	dir := t.TempDir()
	text := readFile(t, filepath.Join(examplesDir, "pilot_gate.yaml"))
	gatedFile, plainFile := filepath.Join(dir, "gated.yaml"), filepath.Join(dir, "plain.yaml")
	if err := os.WriteFile(gatedFile, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(plainFile, []byte(stripGate(t, text)), 0o644); err != nil {
		t.Fatal(err)
	}
	common := []string{"-n", "12000", "--seed", "5", "--samples"}
	gated := runFiles(t, filepath.Join(dir, "g"), append(common, gatedFile)...)
	plain := runFiles(t, filepath.Join(dir, "p"), append(common, plainFile)...)
	var gs, ps map[string]any
	if err := json.Unmarshal(gated["summary.json"], &gs); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(plain["summary.json"], &ps); err != nil {
		t.Fatal(err)
	}
	g := gateOf(t, gated["summary.json"])
	with, without := metric(gs, "npv", "mean"), metric(ps, "npv", "mean")
	if v := gateNum(g, "value", "mean"); v != with-without {
		t.Errorf("value of the gate %v, want %v − %v = %v", v, with, without, with-without)
	}
	if gateNum(g, "npv_mean_without") != without || gateNum(g, "npv_mean_with") != with {
		t.Errorf("means in the gate object %v %v, runs %v %v", gateNum(g, "npv_mean_with"), gateNum(g, "npv_mean_without"), with, without)
	}
	if a, b := gateNum(g, "prob_loss_without"), metric(ps, "npv", "prob_negative"); a != b {
		t.Errorf("P(loss) without the gate %v, the run without it %v", a, b)
	}
	if a, b := gateNum(g, "prob_loss_with"), metric(gs, "npv", "prob_negative"); a != b {
		t.Errorf("P(loss) with the gate %v, the run's %v", a, b)
	}
	// The standard error of the paired differences, from the samples.
	a, b := samplesNPV(t, gated["samples.csv"]), samplesNPV(t, plain["samples.csv"])
	var mean, m2 float64
	for i := range a {
		d := a[i] - b[i]
		delta := d - mean
		mean += delta / float64(i+1)
		m2 += delta * (d - mean)
	}
	se := math.Sqrt(m2/float64(len(a)-1)) / math.Sqrt(float64(len(a)))
	got := gateNum(g, "value", "se")
	if math.Abs(got-se) > 1e-9*se {
		t.Errorf("se of the value %v, from the samples %v", got, se)
	}
	if v := gateNum(g, "value", "mean"); !(v > 4*got) || !(got < metric(gs, "npv", "se_mean")/3) {
		t.Errorf("the example's gate: value %v ± %v, npv se %v", v, got, metric(gs, "npv", "se_mean"))
	}
	if s := gateNum(g, "share_stopped"); !(s > 0.05 && s < 0.5) {
		t.Errorf("the example stops %v of its iterations", s)
	}
}

// TestGateWorkersAndShards: with a gate, summary.json (less elapsed and
// workers), bands.csv, tornado.csv and samples.csv are byte-identical for 1,
// 2 and 8 workers, and two shards merged give the single run's summary.json,
// gate object included.
func TestGateWorkersAndShards(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(examplesDir, "pilot_gate.yaml")
	var ref map[string][]byte
	for _, w := range []string{"1", "2", "8"} {
		files := runFiles(t, filepath.Join(dir, "w"+w), "-n", "9000", "--seed", "2", "--samples", "-w", w, file)
		gateOf(t, files["summary.json"])
		files["summary.json"] = elapsedRE.ReplaceAll(files["summary.json"], nil)
		if ref == nil {
			ref = files
			continue
		}
		for f, b := range files {
			if !bytes.Equal(b, ref[f]) {
				t.Errorf("workers %s: %s differs from workers 1", w, f)
			}
		}
	}
	parts := filepath.Join(dir, "parts")
	for i := range 2 {
		code, _, stderr := runMain(t, "run", "-q", "--format", "none", "-n", "9000", "--seed", "2", "-o", parts, "--shard", strconv.Itoa(i)+"/2", file)
		if code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, code, stderr)
		}
	}
	merged := filepath.Join(dir, "merged")
	code, _, stderr := runMain(t, "merge", "-q", "--format", "none", "-o", merged, filepath.Join(parts, partName(0, 2)), filepath.Join(parts, partName(1, 2)))
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	for _, f := range []string{"summary.json", "bands.csv", "tornado.csv"} {
		b, err := os.ReadFile(filepath.Join(merged, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "summary.json" {
			b = elapsedRE.ReplaceAll(b, nil)
		}
		if !bytes.Equal(b, ref[f]) {
			t.Errorf("merged shards: %s differs from the single run", f)
		}
	}
}

// TestGateSweepFindsBestThreshold: sweep --param gate.threshold reports, per
// value, the value of the gate and the share stopped that run --set gives,
// and names the value with the highest value of the gate; threshold 0 (A <
// 0 never holds) is worth exactly 0. gate.run_month sweeps too.
func TestGateSweepFindsBestThreshold(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(examplesDir, "pilot_gate.yaml")
	common := []string{"-n", "4000", "--seed", "6"}
	values := []string{"0", "0.1", "0.2", "0.3"}
	o := filepath.Join(dir, "sweep")
	code, stdout, stderr := runMain(t, append([]string{"sweep", file, "--param", "gate.threshold", "--values", strings.Join(values, ","), "--format", "none", "-o", o}, common...)...)
	if code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	rows := sweepRows(t, o)
	best, bestV := "", math.Inf(-1)
	for i, v := range values {
		run := runSummary(t, append([]string{file, "--set", "gate.threshold=" + v, "-o", filepath.Join(dir, "run"), "--force"}, common...)...)
		g := run["gate"].(map[string]any)
		if got, want := num(t, rows[i]["gate_value"]), gateNum(g, "value", "mean"); got != want {
			t.Errorf("threshold %s: sweep gate_value %v, run %v", v, got, want)
		}
		if got, want := num(t, rows[i]["share_stopped"]), gateNum(g, "share_stopped"); got != want {
			t.Errorf("threshold %s: sweep share_stopped %v, run %v", v, got, want)
		}
		if gv := gateNum(g, "value", "mean"); gv > bestV {
			best, bestV = v, gv
		}
	}
	if num(t, rows[0]["gate_value"]) != 0 || num(t, rows[0]["share_stopped"]) != 0 {
		t.Errorf("threshold 0: %v", rows[0])
	}
	var sw map[string]any
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(o, "sweep.json"))), &sw); err != nil {
		t.Fatal(err)
	}
	bg := sw["best_gate"].(map[string]any)
	if bg["values"].(map[string]any)["gate.threshold"] != best || best == "0" {
		t.Errorf("best_gate %v, want threshold %s", bg, best)
	}
	if !strings.Contains(stdout, "Best gate setting: gate.threshold = "+best) || !strings.Contains(stdout, "Gate value") {
		t.Errorf("the sweep's table does not name the best threshold %s:\n%s", best, stdout)
	}
	o = filepath.Join(dir, "months")
	code, _, stderr = runMain(t, append([]string{"sweep", file, "--param", "gate.run_month", "--values", "2,4,8", "--format", "png", "--lang", "ru", "-q", "-o", o}, common...)...)
	if code != 0 {
		t.Fatalf("sweep gate.run_month: exit %d: %s", code, stderr)
	}
	if info, err := os.Stat(filepath.Join(o, "sweep.png")); err != nil || info.Size() < 10000 {
		t.Errorf("sweep.png with the gate's panel: %v", err)
	}
	if rows := sweepRows(t, o); len(rows) != 3 || rows[0]["gate_value"] == rows[2]["gate_value"] {
		t.Errorf("sweep gate.run_month: %v", rows)
	}
	// Without a gate, sweep.csv has no gate columns.
	o = filepath.Join(dir, "nogate")
	if code, _, stderr := runMain(t, append([]string{"sweep", "--param", "adoption.max", "--values", "0.5,0.8", "--format", "none", "-q", "-o", o}, common...)...); code != 0 {
		t.Fatalf("sweep without a gate: exit %d: %s", code, stderr)
	}
	if strings.Contains(readFile(t, filepath.Join(o, "sweep.csv")), "gate_value") || strings.Contains(readFile(t, filepath.Join(o, "sweep.json")), "best_gate") {
		t.Error("a sweep without a gate has gate columns")
	}
}

// TestGateTableReportAndErrors: the terminal table and report.html say what
// the gate did, in English and Russian, validate what it will do; a gate
// that is wrong is an input error at its place (exit 2), also through --set.
func TestGateTableReportAndErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(examplesDir, "pilot_gate.yaml")
	for _, c := range []struct{ lang, table, report string }{
		{"en", "Go/no-go gate at the end of run month 4: stop if A < threshold (threshold 0.15). Stopped: ", "Value of the gate: "},
		{"ru", "Контрольная точка «продолжать или остановить» в конце 4-го месяца эксплуатации: остановить, если A < threshold (порог 0,15)", "Ценность контрольной точки: "},
	} {
		o := filepath.Join(dir, c.lang)
		code, stdout, stderr := runMain(t, "run", file, "-n", "3000", "--lang", c.lang, "-o", o)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.lang, code, stderr)
		}
		if !strings.Contains(stdout, c.table) || !strings.Contains(stdout, c.report) {
			t.Errorf("%s: the table does not describe the gate:\n%s", c.lang, stdout)
		}
		report := readFile(t, filepath.Join(o, "report.html"))
		if !strings.Contains(report, c.report) {
			t.Errorf("%s: report.html does not describe the gate", c.lang)
		}
	}
	code, stdout, _ := runMain(t, "validate", file)
	if code != 0 || !strings.Contains(stdout, "48 months, a gate at the end of run month 4: stop if A < threshold)") {
		t.Errorf("validate: exit %d: %s", code, stdout)
	}
	text := readFile(t, file)
	bad := strings.Replace(text, "stop_if: A < threshold", "stop_if: A < treshold", 1)
	badFile := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(badFile, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	line, col := lineCol(bad, "treshold")
	code, _, stderr := runMain(t, "run", badFile, "-n", "100", "--format", "none", "-q", "-o", filepath.Join(dir, "bad"))
	want := badFile + ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col) + ": gate.stop_if: unknown variable treshold (did you mean threshold?)"
	if code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d: %s\nwant %s", code, stderr, want)
	}
	code, _, stderr = runMain(t, "run", file, "-n", "100", "--format", "none", "-q", "-o", filepath.Join(dir, "bad"), "--set", "gate.run_month=0")
	if code != 2 || !strings.Contains(stderr, "--set:1:") || !strings.Contains(stderr, "gate.run_month") {
		t.Errorf("--set gate.run_month=0: exit %d: %s", code, stderr)
	}
	code, _, stderr = runMain(t, "sweep", file, "--param", "gate.threshold", "--values", "0.1,pert(0,0.1,0.2)", "-n", "100", "--format", "none", "-q", "-o", filepath.Join(dir, "bad"))
	if code != 2 || !strings.Contains(stderr, "gate.threshold: must be a plain number") {
		t.Errorf("sweep of a distributed threshold: exit %d: %s", code, stderr)
	}
}

// TestGateBatch: in a batch, a scenario with a gate has its gate object in
// comparison.json (as run gives it, on the same seed) and its gate columns
// in comparison.csv; one without has none (empty cells).
func TestGateBatch(t *testing.T) {
	dir := t.TempDir()
	gated := filepath.Join(examplesDir, "pilot_gate.yaml")
	common := []string{"-n", "3000", "--seed", "4"}
	o := filepath.Join(dir, "batch")
	code, _, stderr := runMain(t, append([]string{"batch", gated, filepath.Join(examplesDir, "saas.yaml"), "--format", "none", "-q", "-o", o}, common...)...)
	if code != 0 {
		t.Fatalf("batch: exit %d: %s", code, stderr)
	}
	var c map[string]any
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(o, "comparison.json"))), &c); err != nil {
		t.Fatal(err)
	}
	sc := c["scenarios"].([]any)
	g, ok := sc[0].(map[string]any)["gate"].(map[string]any)
	if !ok {
		t.Fatal("comparison.json: the gated scenario has no gate object")
	}
	if _, has := sc[1].(map[string]any)["gate"]; has {
		t.Error("comparison.json: a scenario without a gate has a gate object")
	}
	run := runSummary(t, append([]string{gated, "-o", filepath.Join(dir, "run")}, common...)...)
	if a, b := gateNum(g, "value", "mean"), gateNum(run["gate"].(map[string]any), "value", "mean"); a != b {
		t.Errorf("batch value of the gate %v, run %v", a, b)
	}
	recs, err := csv.NewReader(strings.NewReader(readFile(t, filepath.Join(o, "comparison.csv")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for j, h := range recs[0] {
		if h == "gate_value" {
			col = j
		}
	}
	if col < 0 || num(t, recs[1][col]) != gateNum(g, "value", "mean") || recs[2][col] != "" {
		t.Errorf("comparison.csv gate_value column %d: %v", col, recs)
	}
}
