package out

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
)

// snapshot is what a person sees in an output folder: every file outside
// crmroi's hidden bookkeeping, by path, with its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(e.Name(), ".crmroi-") {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !e.IsDir() {
			b, _ := os.ReadFile(p)
			got[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return got
}

func sameSnapshot(a, b map[string]string) bool {
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

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// noLeftovers fails if a staging or trash folder, a journal or a temporary
// file is left in dir.
func noLeftovers(t *testing.T, dir, when string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, stagePrefix) || strings.HasPrefix(n, trashPrefix) || strings.HasPrefix(n, newPrefix) ||
			n == journalName || strings.Contains(n, tmpMark) {
			t.Errorf("%s: %s left in the folder", when, n)
		}
	}
}

// previousRun fills dir with a file of the analyst's, a file of another set
// ("fit") and a first run of the set "run" (a.csv, b.csv, sub/c.csv).
func previousRun(t *testing.T, dir string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, set := range []struct {
		name  string
		files []string
	}{{"fit", []string{"fit.json"}}, {"run", []string{"a.csv", "b.csv", "sub/c.csv"}}} {
		d := NewOutDir(dir, false, set.name)
		for _, f := range set.files {
			if _, err := d.Write(f, content("old "+f)); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
	}
}

func content(s string) func(w io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// newRun writes the second run of the set "run": b.csv again, two new files
// and a replaced file that fit had written; a.csv and sub/c.csv are not
// written again, so they must go.
func newRun(dir string) error {
	d := NewOutDir(dir, false, "run")
	defer d.Abort()
	for _, f := range []string{"b.csv", "d.csv", "sub2/e.csv", "fit.json"} {
		if _, err := d.Write(f, content("new "+f)); err != nil {
			return err
		}
	}
	return d.Commit()
}

// TestRunFilesAreOneSet: a run replaces the previous run of its set as a
// whole: its files, and none of the earlier run's that it did not write
// again; the analyst's files and other sets' files stay.
func TestRunFilesAreOneSet(t *testing.T) {
	dir := t.TempDir()
	previousRun(t, dir)
	if err := newRun(dir); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"notes.txt": "mine", "b.csv": "new b.csv", "d.csv": "new d.csv",
		"sub2/e.csv": "new sub2/e.csv", "fit.json": "new fit.json"}
	if got := snapshot(t, dir); !sameSnapshot(got, want) {
		t.Errorf("after the second run the folder holds %v, want %v", keys(got), keys(want))
	}
	if _, err := os.Stat(filepath.Join(dir, "sub")); err == nil {
		t.Error("the earlier run's emptied folder sub/ is left")
	}
	noLeftovers(t, dir, "after a run")
	m, _ := readManifest(dir)
	if m.sets["b.csv"] != "run" || m.sets["fit.json"] != "run" || len(m.sets) != 4 {
		t.Errorf("manifest %v", m.sets)
	}
}

// TestSetSwapUnderFaults fails, and separately kills, every step of writing
// and swapping a run's files into a folder that holds an earlier run: after
// the failure (or the recovery that the next command does), the folder holds
// the whole earlier run or the whole new one, never a mix, and nothing of the
// swap's bookkeeping.
func TestSetSwapUnderFaults(t *testing.T) {
	// The steps of one swap, counted on a clean run.
	var steps []string
	faultHook = func(step, name string) error { steps = append(steps, step+" "+filepath.Base(name)); return nil }
	ref := t.TempDir()
	previousRun(t, ref)
	before := snapshot(t, ref)
	steps = nil
	if err := newRun(ref); err != nil {
		t.Fatal(err)
	}
	faultHook = nil
	after := snapshot(t, ref)
	if len(steps) < 10 {
		t.Fatalf("only %d steps: %v", len(steps), steps)
	}
	faults := []struct {
		name string
		err  error
	}{{"failure", errors.New("injected failure")}, {"full disk", syscall.ENOSPC}, {"crash", errCrash}}
	for k := range steps {
		for _, f := range faults {
			dir := t.TempDir()
			previousRun(t, dir)
			n := 0
			faultHook = func(step, name string) error {
				n++
				if n == k+1 {
					return f.err
				}
				return nil
			}
			err := newRun(dir)
			faultHook = nil
			if err == nil && steps[k] != "finish "+journalName {
				t.Errorf("%s at step %d (%s): no error", f.name, k, steps[k])
			}
			if f.err == errCrash {
				// The next command in the folder finishes or undoes the swap.
				d := NewOutDir(dir, false, "other")
				if err := d.Open(); err != nil {
					t.Fatalf("recovery after a crash at %s: %v", steps[k], err)
				}
				d.Abort()
			}
			got := snapshot(t, dir)
			switch {
			case sameSnapshot(got, before):
				if strings.HasPrefix(steps[k], "finish") {
					t.Errorf("%s after the commit point (%s): the earlier run is back", f.name, steps[k])
				}
			case sameSnapshot(got, after):
				if !strings.HasPrefix(steps[k], "finish") {
					t.Errorf("%s at %s: the new run is in, though the swap failed", f.name, steps[k])
				}
			default:
				t.Errorf("%s at %s: the folder holds a mix %v", f.name, steps[k], keys(got))
			}
			noLeftovers(t, dir, f.name+" at "+steps[k])
			// And the folder works on: a later run goes through.
			if err := newRun(dir); err != nil {
				t.Errorf("%s at %s: a later run fails: %v", f.name, steps[k], err)
			} else if got := snapshot(t, dir); !sameSnapshot(got, after) {
				t.Errorf("%s at %s: a later run leaves %v", f.name, steps[k], keys(got))
			}
		}
	}
}

// TestInterruptedWriteLeavesPreviousSet: a cancelled context stops the
// writing; Abort leaves the earlier run as it was.
func TestInterruptedWriteLeavesPreviousSet(t *testing.T) {
	dir := t.TempDir()
	previousRun(t, dir)
	before := snapshot(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	d := NewOutDir(dir, false, "run")
	files := []File{{Name: "a.csv", Write: content("new")}, {Name: "x.csv", Write: func(w io.Writer) error {
		cancel()
		_, err := io.WriteString(w, "new")
		return err
	}}, {Name: "y.csv", Write: content("new")}}
	if _, err := d.WriteAll(ctx, files); err == nil {
		t.Fatal("no error after the interrupt")
	}
	d.Abort()
	if got := snapshot(t, dir); !sameSnapshot(got, before) {
		t.Errorf("interrupted: %v, want the earlier %v", keys(got), keys(before))
	}
	noLeftovers(t, dir, "interrupted")
}

// TestFullTmpfs writes a run into a small tmpfs that it does not fit into:
// the earlier run stays whole. Mounting needs root; the injected full disk of
// TestSetSwapUnderFaults runs everywhere.
func TestFullTmpfs(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root: the full disk is covered by TestSetSwapUnderFaults' injected ENOSPC")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	defer exec.Command("umount", dir).Run()
	previousRun(t, dir)
	before := snapshot(t, dir)
	big := strings.Repeat("x", 300<<10)
	for _, n := range []int{2, 3, 4, 8} { // 600 KB fits beside nothing else; 900 KB and more do not
		d := NewOutDir(dir, false, "run")
		var err error
		for i := 0; i < n && err == nil; i++ {
			_, err = d.Write(fmt.Sprintf("big%d.csv", i), content(big))
		}
		if err == nil {
			err = d.Commit()
		}
		d.Abort()
		got := snapshot(t, dir)
		if err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Errorf("%d files: %v, want no space left", n, err)
			}
			if !sameSnapshot(got, before) {
				t.Errorf("%d files, disk full: the folder holds %v, want the earlier %v", n, keys(got), keys(before))
			}
		} else {
			if len(got) != n+2 { // and notes.txt, fit.json
				t.Errorf("%d files written: the folder holds %v", n, keys(got))
			}
			before = got
		}
		noLeftovers(t, dir, fmt.Sprintf("%d files", n))
	}
}

// TestCheckDuringASwap: a Check that meets a swap half done (the new files
// in place, the manifest not yet written, as another process mid-commit or
// killed there leaves them) does not take those files for the analyst's.
func TestCheckDuringASwap(t *testing.T) {
	dir := t.TempDir()
	previousRun(t, dir)
	faultHook = func(step, name string) error {
		if step == "manifest" {
			return errCrash
		}
		return nil
	}
	err := newRun(dir)
	faultHook = nil
	if !errors.Is(err, errCrash) {
		t.Fatalf("no crash: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "d.csv")); err != nil {
		t.Fatal("the test needs the new files in place")
	}
	if err := NewOutDir(dir, false, "run").Check("b.csv", "d.csv", "sub2/e.csv"); err != nil {
		t.Errorf("Check during a swap: %v", err)
	}
}
