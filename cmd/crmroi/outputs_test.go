package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crmroi/crmroi/model"
)

// visible is what a person sees in an output folder: every file outside
// crmroi's hidden bookkeeping (.crmroi-*), by path, with its content.
func visible(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if strings.HasPrefix(e.Name(), ".crmroi-") {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !e.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			b, _ := os.ReadFile(p)
			got[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return got
}

func names(m map[string]string) []string {
	var ns []string
	for k := range m {
		ns = append(ns, k)
	}
	sort.Strings(ns)
	return ns
}

func equalFiles(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestRunLeavesNoFilesOfAnEarlierRun: a run replaces the earlier run in its
// folder as a whole, so that no file of it that this run does not write
// again (summary.xlsx, samples.csv, charts, report.html) is left beside the
// new ones; a batch likewise drops the folders of scenarios it no longer has.
func TestRunLeavesNoFilesOfAnEarlierRun(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if code, _, stderr := runMain(t, "run", "-n", "2000", "--xlsx", "--samples", "-q", "-o", out); code != 0 {
		t.Fatal(stderr)
	}
	other := writeScenario(t, dir, "other.yaml", edit(t, "name: ", "name: Other "))
	if code, _, stderr := runMain(t, "run", other, "-n", "2000", "--format", "none", "-q", "-o", out); code != 0 {
		t.Fatal(stderr)
	}
	want := []string{"bands.csv", "summary.csv", "summary.json", "tornado.csv"}
	if got := names(visible(t, out)); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("after the second run the folder holds %v, want %v", got, want)
	}
	assertNoTemp(t, out)

	a := writeScenario(t, dir, "a.yaml", edit(t, "name: ", "name: Alpha "))
	b := writeScenario(t, dir, "b.yaml", edit(t, "name: ", "name: Beta "))
	c := writeScenario(t, dir, "c.yaml", edit(t, "name: ", "name: Gamma "))
	bo := filepath.Join(dir, "batch")
	for _, files := range [][]string{{a, b}, {a, c}} {
		args := append(append([]string{"batch"}, files...), "-n", "1000", "--format", "none", "-q", "-o", bo)
		if code, _, stderr := runMain(t, args...); code != 0 {
			t.Fatal(stderr)
		}
	}
	for _, n := range names(visible(t, bo)) {
		if strings.HasPrefix(n, "beta") {
			t.Errorf("the second batch left the first's %s", n)
		}
	}
	// A scenario's folder of a batch is crmroi's for a later run there.
	var slug string
	for _, n := range names(visible(t, bo)) {
		if strings.HasSuffix(n, "/summary.json") {
			slug = filepath.Dir(n)
		}
	}
	if code, _, stderr := runMain(t, "run", a, "-n", "1000", "--format", "none", "-q", "-o", filepath.Join(bo, slug)); code != 0 {
		t.Errorf("a run into a batch's scenario folder: %s", stderr)
	}
}

// runSet describes the files one configuration of run writes.
type runSet struct {
	args  []string
	files []string
	n     int
}

// wholeRun tells whether files are exactly one whole run of rs: its files,
// complete, and its iteration count in summary.json.
func wholeRun(files map[string]string, rs runSet) error {
	if got := names(files); strings.Join(got, " ") != strings.Join(rs.files, " ") {
		return fmt.Errorf("files %v, want %v", got, rs.files)
	}
	var s struct {
		Run struct{ Iterations int }
	}
	if err := json.Unmarshal([]byte(files["summary.json"]), &s); err != nil || s.Run.Iterations != rs.n {
		return fmt.Errorf("summary.json: %v, %d iterations, want %d", err, s.Run.Iterations, rs.n)
	}
	for name, text := range files {
		if strings.HasSuffix(name, ".csv") && !strings.HasSuffix(text, "\n") {
			return fmt.Errorf("%s is partial", name)
		}
	}
	if text, ok := files["samples.csv"]; ok && strings.Count(text, "\n") != rs.n+1 {
		return fmt.Errorf("samples.csv has %d lines, want %d", strings.Count(text, "\n"), rs.n+1)
	}
	return nil
}

// TestInterruptLeavesOneWholeRun interrupts runs with a real SIGINT at many
// moments, from the start of the simulation to the end of the writing, into
// a folder that holds an earlier run with other files: every time, the folder
// holds either the whole earlier run or the whole new one.
func TestInterruptLeavesOneWholeRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts many runs")
	}
	sets := []runSet{
		{[]string{"-n", "20000", "--samples", "--xlsx"}, []string{"bands.csv", "cashflow_fan.png", "npv_cdf.png", "npv_hist.png",
			"payback_hist.png", "report.html", "samples.csv", "summary.csv", "summary.json", "summary.pdf", "summary.xlsx", "tornado.csv", "tornado.png"}, 20000},
		{[]string{"-n", "30000", "--format", "svg"}, []string{"bands.csv", "cashflow_fan.svg", "npv_cdf.svg", "npv_hist.svg",
			"payback_hist.svg", "report.html", "summary.csv", "summary.json", "summary.pdf", "tornado.csv", "tornado.svg"}, 30000},
	}
	dir := t.TempDir()
	cur := 0
	if code, _, stderr := runMain(t, append([]string{"run", "-q", "-o", dir}, sets[cur].args...)...); code != 0 {
		t.Fatal(stderr)
	}
	outcomes := map[string]int{}
	for i, delay := range []time.Duration{10, 50, 100, 200, 300, 400, 500, 600, 700, 800, 1000, 1200, 1500, 2000, 2500, 3000, 4000} {
		before := visible(t, dir)
		next := 1 - cur
		cmd := crmroiCmd(append([]string{"run", "-q", "-w", "2", "-o", dir}, sets[next].args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay * time.Millisecond)
		cmd.Process.Signal(os.Interrupt)
		err := cmd.Wait()
		code := cmd.ProcessState.ExitCode()
		after := visible(t, dir)
		switch {
		case equalFiles(after, before):
			outcomes["earlier"]++
			if code == 0 {
				t.Errorf("%d ms: exit 0 but the earlier run is left", delay)
			}
		case wholeRun(after, sets[next]) == nil:
			outcomes["new"]++
			cur = next
		default:
			t.Errorf("%d ms (exit %v, %s): the folder holds a mix: %v", delay, err, stderr.String(), wholeRun(after, sets[next]))
		}
		if code != 0 && code != 130 && !(code == -1 && equalFiles(after, before)) { // -1: before Go took the signal
			t.Errorf("%d ms: exit %d: %s", delay, code, stderr.String())
		}
		assertNoTemp(t, dir)
		if i == 0 && wholeRun(visible(t, dir), sets[cur]) != nil {
			t.Fatal("the folder does not hold a whole run")
		}
	}
	t.Logf("outcomes: %v", outcomes)
	if outcomes["earlier"] == 0 {
		t.Error("no interrupt came in time to stop a run: the test saw nothing")
	}
}

// TestInterruptedBatchLeavesOneWholeBatch: the same for a batch, whose
// scenario folders and comparison files are one set.
func TestInterruptedBatchLeavesOneWholeBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("starts many runs")
	}
	dir := t.TempDir()
	a := writeScenario(t, dir, "a.yaml", edit(t, "name: ", "name: Alpha "))
	b := writeScenario(t, dir, "b.yaml", edit(t, "name: ", "name: Beta "))
	c := writeScenario(t, dir, "c.yaml", edit(t, "name: ", "name: Gamma "))
	out := filepath.Join(dir, "out")
	batches := [][]string{{a, b, "-n", "20000"}, {a, c, "-n", "30000", "--format", "none"}}
	cur := 0
	if code, _, stderr := runMain(t, append([]string{"batch", "-q", "-o", out}, batches[cur]...)...); code != 0 {
		t.Fatal(stderr)
	}
	whole := map[int]map[string]string{0: visible(t, out)}
	for _, delay := range []time.Duration{50, 200, 400, 700, 1000, 1500, 2500, 4000} {
		before := visible(t, out)
		next := 1 - cur
		cmd := crmroiCmd(append([]string{"batch", "-q", "-w", "2", "-o", out}, batches[next]...)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay * time.Millisecond)
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		after := visible(t, out)
		if equalFiles(after, before) {
			continue
		}
		// A new batch: its comparison and both scenario folders, all of this batch.
		var cmp struct{ Scenarios []struct{ Slug string } }
		if err := json.Unmarshal([]byte(after["comparison.json"]), &cmp); err != nil {
			t.Fatalf("%d ms: comparison.json: %v (files %v)", delay, err, names(after))
		}
		for _, n := range names(after) {
			slug, _, nested := strings.Cut(n, "/")
			if !nested {
				continue
			}
			found := false
			for _, s := range cmp.Scenarios {
				found = found || s.Slug == slug
			}
			if !found {
				t.Errorf("%d ms: %s is not of the batch that wrote comparison.json", delay, n)
			}
		}
		if ref, ok := whole[next]; ok && !equalFiles(names2(ref), names2(after)) {
			t.Errorf("%d ms: files %v, the whole batch has %v", delay, names(after), names(ref))
		}
		whole[next] = after
		cur = next
		assertNoTemp(t, out)
	}
}

// names2 keeps only the names of files (contents differ in elapsed time).
func names2(m map[string]string) map[string]string {
	r := map[string]string{}
	for k := range m {
		r[k] = ""
	}
	return r
}

// TestRefusedBeforeSimulating: a file that may not be replaced, in any
// folder a command would write (a batch's second scenario, a sweep's chart,
// a shard's part), and an output folder that cannot be written (a file, a
// read-only folder) are reported at once, before a simulation that would
// take minutes, and nothing is written.
func TestRefusedBeforeSimulating(t *testing.T) {
	dir := t.TempDir()
	a := writeScenario(t, dir, "a.yaml", edit(t, "name: ", "name: Alpha "))
	b := writeScenario(t, dir, "b.yaml", edit(t, "name: ", "name: Beta "))
	foreign := func(path string) {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte("the analyst's"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sb, err := model.Load(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	betaSlug := slugify(sb.Name)
	long := []string{"-n", "100000000", "--max-iterations", "100000000", "-q"}
	aFile := filepath.Join(dir, "a-file")
	foreign(aFile)
	cases := []struct {
		name string
		args []string
		code int
		want string
		prep func(out string)
	}{
		{"batch, second folder", append([]string{"batch", a, b, "--format", "none"}, "-n", "3000000", "-q"), 2, "not written by crmroi",
			func(out string) { foreign(filepath.Join(out, betaSlug, "tornado.csv")) }},
		{"sweep, chart", append([]string{"sweep", a, "--param", "company.margin", "--values", "0.2,0.3"}, long...), 2, "sweep.png",
			func(out string) { foreign(filepath.Join(out, "sweep.png")) }},
		{"shard, part", append([]string{"run", a, "--shard", "1/2", "--format", "none"}, long...), 2, "part-1-of-2.crmroi",
			func(out string) { foreign(filepath.Join(out, "part-1-of-2.crmroi")) }},
		{"run, -o a file", append([]string{"run", a, "--format", "none"}, long...), 1, "is a file", nil},
		{"sensitivity, foreign", []string{"sensitivity", a, "--base", "16384", "-q"}, 2, "spider.png",
			func(out string) { foreign(filepath.Join(out, "spider.png")) }},
	}
	for _, c := range cases {
		out := filepath.Join(t.TempDir(), "out")
		if c.prep != nil {
			c.prep(out)
		} else {
			out = aFile
		}
		before := visible(t, filepath.Dir(out))
		start := time.Now()
		code, stderr := runKilled(t, 10*time.Second, append(c.args, "-o", out)...)
		took := time.Since(start)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, %q; want %d and %q", c.name, code, stderr, c.code, c.want)
		}
		if took > 3*time.Second {
			t.Errorf("%s: refused after %v: it simulated first", c.name, took)
		}
		if after := visible(t, filepath.Dir(out)); !equalFiles(after, before) {
			t.Errorf("%s: the folder changed: %v", c.name, names(after))
		}
	}
	// A folder that cannot be written: read-only (a read-only tmpfs for
	// root, whom permissions do not stop).
	ro := t.TempDir()
	if os.Geteuid() == 0 {
		if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", ro).CombinedOutput(); err != nil {
			t.Logf("cannot mount a read-only tmpfs (%v %s): the read-only case is skipped", err, out)
			return
		}
		defer exec.Command("umount", ro).Run()
	} else {
		os.Chmod(ro, 0o555)
		defer os.Chmod(ro, 0o755)
	}
	start := time.Now()
	code, stderr := runKilled(t, 10*time.Second, append([]string{"run", a, "--format", "none", "-o", ro}, long...)...)
	if code != 1 || !strings.Contains(stderr, ro) || time.Since(start) > 3*time.Second {
		t.Errorf("read-only folder: exit %d after %v, %q", code, time.Since(start), stderr)
	}
}

// runKilled runs crmroi as a process, killed after limit (a command that
// simulates instead of refusing at once), and returns its exit code and
// stderr.
func runKilled(t *testing.T, limit time.Duration, args ...string) (int, string) {
	t.Helper()
	cmd := crmroiCmd(args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(limit, func() { cmd.Process.Kill() })
	defer timer.Stop()
	cmd.Wait()
	return cmd.ProcessState.ExitCode(), stderr.String()
}

// TestConcurrentWritersKeepTheRecord: 8 shards written at once by 8
// processes into one folder are all recorded as crmroi's, so that running
// them again (without --force) is never refused; so are run, sweep,
// sensitivity and fit writing into one folder at once.
func TestConcurrentWritersKeepTheRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("starts many processes")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data.csv")
	os.WriteFile(data, []byte("x\n1\n2\n3\n5\n8\n13\n21\n"), 0o644)
	parallel := func(round int, cmds [][]string) {
		var wg sync.WaitGroup
		for _, args := range cmds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if out, err := crmroiCmd(args...).CombinedOutput(); err != nil {
					t.Errorf("round %d, %v: %v\n%s", round, args, err, out)
				}
			}()
		}
		wg.Wait()
	}
	parts := filepath.Join(dir, "parts")
	var shards [][]string
	for i := range 8 {
		shards = append(shards, []string{"run", "-n", "8192", "--shard", fmt.Sprintf("%d/8", i), "-w", "1", "-q", "-o", parts})
	}
	mixed := filepath.Join(dir, "mixed")
	mix := [][]string{
		{"run", "-n", "2000", "-w", "1", "-q", "-o", mixed},
		{"sweep", "--param", "company.margin", "--values", "0.2,0.3", "-n", "1000", "-w", "1", "-q", "-o", mixed},
		{"fit", data, "--bootstrap", "0", "-w", "1", "-o", mixed},
		{"sensitivity", "--base", "64", "-n", "1000", "-w", "1", "-q", "-o", mixed},
	}
	for round := range 3 {
		parallel(round, append(shards, mix...))
		m, err := os.ReadFile(filepath.Join(parts, ".crmroi-outputs"))
		if err != nil {
			t.Fatal(err)
		}
		for i := range 8 {
			if !strings.Contains(string(m), fmt.Sprintf("part-%d-of-8.crmroi\n", i)) {
				t.Errorf("round %d: part %d not recorded:\n%s", round, i, m)
			}
		}
		m, _ = os.ReadFile(filepath.Join(mixed, ".crmroi-outputs"))
		for _, f := range []string{"summary.json", "sweep.json", "fit.json", "sensitivity.json", "report.html", "sweep.png", "fit_qq.png", "spider.png"} {
			if !strings.Contains(string(m), "\t"+f+"\n") {
				t.Errorf("round %d: %s not recorded:\n%s", round, f, m)
			}
		}
		assertNoTemp(t, parts)
		assertNoTemp(t, mixed)
	}
}

// TestStaleStagingRemoved: a staging folder left by a killed process (its
// process id gone, its lock free) is removed by the next command in the
// folder; a live one is not.
func TestStaleStagingRemoved(t *testing.T) {
	dir := t.TempDir()
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Skip(err)
	}
	host, _ := os.Hostname()
	tag := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, host)
	stale := filepath.Join(dir, fmt.Sprintf(".crmroi-stage-%s-%d-0123456789ab", tag, gone.Process.Pid))
	os.MkdirAll(stale, 0o755)
	os.WriteFile(filepath.Join(stale, "samples.csv"), bytes.Repeat([]byte("1,2,3\n"), 1000), 0o644)
	tmp := filepath.Join(dir, fmt.Sprintf(".summary.json.tmp-%s-%d-123", tag, gone.Process.Pid))
	os.WriteFile(tmp, []byte("{"), 0o644)
	other := filepath.Join(dir, ".crmroi-stage-otherhost-1-0123456789ab") // another host's, on a shared disk
	os.MkdirAll(other, 0o755)
	if code, _, stderr := runMain(t, "run", "-n", "1000", "--format", "none", "-q", "-o", dir); code != 0 {
		t.Fatal(stderr)
	}
	for _, p := range []string{stale, tmp} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s left", filepath.Base(p))
		}
	}
	if _, err := os.Stat(other); err != nil {
		t.Error("another host's staging folder was removed")
	}
}
