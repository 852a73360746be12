package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
)

// sweepRows reads sweep.csv as maps from column to cell.
func sweepRows(t *testing.T, dir string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "sweep.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		rows = append(rows, m)
	}
	return rows
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return v
}

// runSummary runs one scenario and returns its summary.json.
func runSummary(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, stdout, stderr := runMain(t, append([]string{"run", "--json", "--format", "none"}, args...)...)
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func npvStat(v map[string]any, k string) float64 {
	return v["metrics"].(map[string]any)["npv"].(map[string]any)[k].(float64)
}

// TestSweepCapacityGain sweeps benefits.capacity_gain over 0.1..0.4 (with a
// higher IT cost so that the project breaks even inside the range): P50 NPV
// rises with the value, each row is what `run` gives at that value, and a run
// at the interpolated break-even value has a P50 NPV close to zero.
func TestSweepCapacityGain(t *testing.T) {
	dir := t.TempDir()
	o := filepath.Join(dir, "out")
	common := []string{"-n", "4000", "--seed", "3", "-o", o, "--set", "costs.it_staff=700e3"}
	code, stdout, stderr := runMain(t, append([]string{"sweep", "--param", "benefits.capacity_gain", "--range", "0.1:0.4:7", "--format", "none"}, common...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := sweepRows(t, o)
	if len(rows) != 7 {
		t.Fatalf("%d rows", len(rows))
	}
	want := []string{"0.1", "0.15", "0.2", "0.25", "0.3", "0.35", "0.4"}
	var x, p50 []float64
	for i, r := range rows {
		if r["benefits.capacity_gain"] != want[i] {
			t.Errorf("row %d: value %q, want %s", i, r["benefits.capacity_gain"], want[i])
		}
		x = append(x, num(t, r["benefits.capacity_gain"]))
		p50 = append(p50, num(t, r["npv_p50"]))
		if i > 0 && !(p50[i] > p50[i-1]) {
			t.Errorf("P50 NPV does not rise: %v then %v", p50[i-1], p50[i])
		}
	}
	// Each row equals a direct run at its value (the same draws).
	for _, i := range []int{0, 6} {
		v := runSummary(t, append([]string{"--set", "benefits.capacity_gain=" + want[i]}, common...)...)
		if got := npvStat(v, "p50"); got != p50[i] {
			t.Errorf("value %s: sweep P50 %v, run P50 %v", want[i], p50[i], got)
		}
		if got := npvStat(v, "prob_negative"); strconv.FormatFloat(got, 'g', -1, 64) != rows[i]["prob_loss"] {
			t.Errorf("value %s: sweep P(loss) %s, run %v", want[i], rows[i]["prob_loss"], got)
		}
	}
	// The break-even value, interpolated between the values around the sign change.
	var js map[string]any
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(o, "sweep.json"))), &js); err != nil {
		t.Fatal(err)
	}
	be := js["break_even"].([]any)[0].(map[string]any)["npv_p50_zero"].(map[string]any)
	cs := be["crossings"].([]any)
	if len(cs) != 1 {
		t.Fatalf("%d crossings of zero: %v", len(cs), be)
	}
	c := cs[0].(map[string]any)
	xb := c["value"].(float64)
	k := 0
	for k+1 < len(p50) && !(p50[k] < 0 && p50[k+1] >= 0) {
		k++
	}
	if k+1 == len(p50) {
		t.Fatalf("no sign change in %v", p50)
	}
	wantX := x[k] - p50[k]*(x[k+1]-x[k])/(p50[k+1]-p50[k])
	if math.Abs(xb-wantX) > 1e-12 || c["from"] != want[k] || c["to"] != want[k+1] || c["direction"] != "up" {
		t.Errorf("break-even %v, want %v between %s and %s", c, wantX, want[k], want[k+1])
	}
	if !strings.Contains(stdout, "P50 NPV = 0 at benefits.capacity_gain ≈ ") {
		t.Errorf("table lacks the break-even:\n%s", stdout)
	}
	// A direct run at the break-even value: P50 NPV near zero, within a tenth
	// of the step of P50 over the interval (linear interpolation of a smooth curve).
	v := runSummary(t, append([]string{"--set", "benefits.capacity_gain=" + strconv.FormatFloat(xb, 'g', -1, 64)}, common...)...)
	step := p50[k+1] - p50[k]
	if got := npvStat(v, "p50"); math.Abs(got) > 0.1*step {
		t.Errorf("P50 NPV at the break-even value %v is %v; the step is %v", xb, got, step)
	}
	// P(loss) never reaches 20% here: reported as not within range.
	pl := js["break_even"].([]any)[0].(map[string]any)["prob_loss_at_risk"].(map[string]any)
	if len(pl["crossings"].([]any)) != 0 || pl["not_within_range"] != "above" {
		t.Errorf("P(loss) break-even: %v", pl)
	}
}

// TestSweepGrid sweeps two parameters: one row per cell and the heat map;
// the same files whatever the number of workers.
func TestSweepGrid(t *testing.T) {
	dir := t.TempDir()
	var outs []string
	for _, w := range []string{"1", "2"} {
		o := filepath.Join(dir, "out"+w)
		args := []string{"sweep", "--param", "benefits.capacity_gain", "--values", "0.1, 0.3,0.2", "--param", "costs.one_off",
			"--values", "2e6,pert(2e6, 3.5e6, 7e6)", "-n", "1500", "-w", w, "-o", o, "-q"}
		if w == "1" {
			args = append(args, "--format", "png")
		} else {
			args = append(args, "--format", "none")
		}
		if code, _, stderr := runMain(t, args...); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		outs = append(outs, o)
	}
	rows := sweepRows(t, outs[0])
	if len(rows) != 6 {
		t.Fatalf("%d rows, want 6", len(rows))
	}
	// Numbers are swept in increasing order, distributions as given.
	wantA := []string{"0.1", "0.1", "0.2", "0.2", "0.3", "0.3"}
	wantB := []string{"2e6", "pert(2e6, 3.5e6, 7e6)"}
	for i, r := range rows {
		if r["benefits.capacity_gain"] != wantA[i] || r["costs.one_off"] != wantB[i%2] {
			t.Errorf("row %d: %s, %s", i, r["benefits.capacity_gain"], r["costs.one_off"])
		}
	}
	if st, err := os.Stat(filepath.Join(outs[0], "sweep_map.png")); err != nil || st.Size() == 0 {
		t.Errorf("sweep_map.png: %v", err)
	}
	if readFile(t, filepath.Join(outs[0], "sweep.csv")) != readFile(t, filepath.Join(outs[1], "sweep.csv")) {
		t.Error("sweep.csv depends on the number of workers")
	}
	if readStable(t, filepath.Join(outs[0], "sweep.json")) != readStable(t, filepath.Join(outs[1], "sweep.json")) {
		t.Error("sweep.json depends on the number of workers")
	}
}

// TestSweepDistributionValues sweeps distribution expressions: the break-even
// can only be given as the pair of values around it.
func TestSweepDistributionValues(t *testing.T) {
	dir := t.TempDir()
	o := filepath.Join(dir, "out")
	code, stdout, stderr := runMain(t, "sweep", "--param", "benefits.capacity_gain",
		"--values", "pert(0.05,0.1,0.15),pert(0.3,0.35,0.4)", "-n", "1500", "-o", o, "--format", "png",
		"--set", "costs.it_staff=700e3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "P50 NPV = 0 between benefits.capacity_gain = pert(0.05,0.1,0.15) and pert(0.3,0.35,0.4)") {
		t.Errorf("table:\n%s", stdout)
	}
	if st, err := os.Stat(filepath.Join(o, "sweep.png")); err != nil || st.Size() == 0 {
		t.Errorf("sweep.png: %v", err)
	}
}

// TestSweepErrors checks that bad sweeps stop before anything runs, exit 2,
// with the error at the flag it came from.
func TestSweepErrors(t *testing.T) {
	dir := t.TempDir()
	for i, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--param", "benefits.capacity_gian", "--values", "0.1,0.2"}, []string{"--param:1:1", "did you mean benefits.capacity_gain"}},
		{[]string{"--param", "capacity_gain", "--values", "0.1,0.2"}, []string{"did you mean benefits.capacity_gain"}},
		{[]string{"--param", "benefits.capacity_gain", "--values", "0.1,-3,pert(1,2"}, []string{"--values:1:5: benefits.capacity_gain: must lie in", "--values:1:12: benefits.capacity_gain: missing \")\""}},
		{[]string{"--param", "benefits.capacity_gain", "--values", "0.1,,0.2"}, []string{"--values:1:5", "empty value"}},
		{[]string{"--param", "benefits.capacity_gain", "--values", "0.1,0.10"}, []string{"given twice"}},
		{[]string{"--param", "seats", "--range", "1:10:1"}, []string{"--range:1:1", "n must be"}},
		{[]string{"--param", "seats", "--range", "5:5:3"}, []string{"--range:1:1", "nothing to sweep"}},
		{[]string{"--param", "seats", "--range", "-10:10:3"}, []string{"--range:1", "seats", "value -10 of the range"}},
		{[]string{"--param", "seats", "--range", "1:2"}, []string{"lo:hi:n"}},
		{[]string{"--param", "seats"}, []string{"each --param needs one --values or --range"}},
		{[]string{"--values", "1,2"}, []string{"sweep needs --param"}},
		{[]string{"--param", "name", "--values", "a,b"}, []string{"--param:1:1", "not a number"}},
		{[]string{"--param", "seats", "--values", "1,2", "--risk", "1.5"}, []string{"--risk"}},
		{[]string{"--param", "seats", "--values", "1,2", "--param", "seats", "--values", "3,4"}, []string{"given twice"}},
		{[]string{"--param", "seats", "--values", "1,2", "--samples"}, []string{"--samples"}},
		{[]string{"--param", "seats", "--values", "1,2", "--set", "seats=x"}, []string{"--set:1"}},
		{[]string{"../../examples/formula_nps.yaml", "--param", "customers", "--values", "1,2"}, []string{"formula model"}},
	} {
		o := filepath.Join(dir, "out"+strconv.Itoa(i))
		code, _, stderr := runMain(t, append(append([]string{"sweep"}, c.args...), "-n", "100", "-o", o)...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", c.args, code, stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", c.args, w, stderr)
			}
		}
		if strings.Count(stderr, "did you mean") > 1 {
			t.Errorf("%v: reported more than once:\n%s", c.args, stderr)
		}
		if _, err := os.Stat(o); err == nil {
			t.Errorf("%v: the output folder was created", c.args)
		}
	}
}

// TestSweepReadsScenarioOnce: sweep reads its scenario file once and makes
// every value's and every cell's scenario from that text, so a scenario on a
// pipe (which cannot be read twice) sweeps exactly as the same file does.
func TestSweepReadsScenarioOnce(t *testing.T) {
	dir := t.TempDir()
	text := edit(t, "horizon_months: 36", "horizon_months: 24")
	file := writeScenario(t, dir, "s.yaml", text)
	args := []string{"--param", "benefits.capacity_gain", "--values", "0.1,0.2", "--param", "adoption.max",
		"--range", "0.6:0.9:2", "-n", "2000", "--format", "none", "-q"}
	fromFile := filepath.Join(dir, "file")
	if code, _, stderr := runMain(t, append([]string{"sweep", file, "-o", fromFile}, args...)...); code != 0 {
		t.Fatalf("sweep of the file: exit %d: %s", code, stderr)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() { w.WriteString(text); w.Close() }()
	fromPipe := filepath.Join(dir, "pipe")
	pipe := "/dev/fd/" + strconv.Itoa(int(r.Fd()))
	if code, _, stderr := runMain(t, append([]string{"sweep", pipe, "-o", fromPipe}, args...)...); code != 0 {
		t.Fatalf("sweep of a pipe: exit %d: %s", code, stderr)
	}
	want := elapsedRE.ReplaceAllString(readText(t, filepath.Join(fromFile, "sweep.json")), "")
	got := elapsedRE.ReplaceAllString(readText(t, filepath.Join(fromPipe, "sweep.json")), "")
	if got != strings.ReplaceAll(want, strconv.Quote(file), strconv.Quote(pipe)) {
		t.Errorf("the sweep of a pipe differs from the sweep of the file:\n%s\nwant\n%s", got, want)
	}
}

// TestSweepAppliesValuesToTheLoadedScenario: sweep makes every value's and
// every cell's scenario from the scenario it loaded, neither reading the file
// nor decoding its text again: with both destroyed after loading, the values
// are checked (errors at the flag) and the cells made, each the file's
// scenario with the user's --set and the cell's values.
func TestSweepAppliesValuesToTheLoadedScenario(t *testing.T) {
	file := writeScenario(t, t.TempDir(), "s.yaml", defaultText())
	sets := []model.Set{{Name: "seats", Value: "70", N: 1}}
	d, err := model.ReadDocument(file)
	if err != nil {
		t.Fatal(err)
	}
	base, err := d.Scenario(sets)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	copy(d.Source().Text, "not: [a scenario")

	_, errs := sweepAxis(base, 1, 0, "benefits.capacity_gain", axisSpec{flag: "--values", nth: 1, text: "0.1, -3"})
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "--values:1:6: benefits.capacity_gain: ") {
		t.Errorf("a value outside the domain: %v, want one error at --values:1:6", errs)
	}
	a0, errs := sweepAxis(base, 1, 0, "benefits.capacity_gain", axisSpec{flag: "--values", nth: 1, text: "0.3,0.1"})
	if errs != nil {
		t.Fatal(errs)
	}
	a1, errs := sweepAxis(base, 1, 1, "adoption.max", axisSpec{flag: "--range", nth: 1, text: "0.6:0.9:2"})
	if errs != nil {
		t.Fatal(errs)
	}
	cells, err := sweepScenarios(base, 1, []out.SweepAxis{a0, a1}, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range cells {
		got = append(got, s.Canonical())
	}
	var want []string
	for _, v0 := range []string{"0.1", "0.3"} { // numbers in increasing order
		for _, v1 := range []string{"0.6", "0.9"} {
			s, err := model.Parse(file, []byte(defaultText()), append(append([]model.Set(nil), sets...),
				model.Set{Name: "benefits.capacity_gain", Value: v0, N: 2}, model.Set{Name: "adoption.max", Value: v1, N: 3}))
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, s.Canonical())
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("the cells are not the file's scenario with their values:\n%v\nwant\n%v", got, want)
	}
}

var updateGolden = flag.Bool("update", false, "rewrite the golden sweep files in testdata/sweep")

// TestSweepGolden: a grid sweep (a distribution axis of an extra input, a
// --range axis, a --set, custom lines and correlations) writes sweep.csv
// byte for byte, and sweep.json but for its timing, workers and version,
// as the golden files made before sweep applied values to the loaded
// scenario (regenerate deliberately with -update).
func TestSweepGolden(t *testing.T) {
	o := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runMain(t, "sweep", "../../examples/custom_lines.yaml", "--set", "seats=70",
		"--param", "assortment_gain", "--values", "pert(0.1,0.3,0.5),pert(0.05,0.2,0.4)",
		"--param", "costs.support", "--range", "100000:300000:3",
		"-n", "2000", "--seed", "7", "--format", "none", "-q", "-o", o)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	versionRE := regexp.MustCompile(`"version": "[^"]*"`)
	for _, name := range []string{"sweep.csv", "sweep.json"} {
		got := readText(t, filepath.Join(o, name))
		if name == "sweep.json" {
			got = versionRE.ReplaceAllString(elapsedRE.ReplaceAllString(got, ""), `"version": ""`)
		}
		golden := filepath.Join("testdata", "sweep", name)
		if *updateGolden {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if want := readText(t, golden); got != want {
			t.Errorf("%s differs from %s:\n%s\nwant\n%s", name, golden, got, want)
		}
	}
}
