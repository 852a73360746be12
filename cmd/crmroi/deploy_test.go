package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSlurmRecipe runs deploy/slurm-array.sh with a stand-in sbatch that
// records the jobs, then runs the jobs' scripts itself: a bad scenario is
// refused before anything is submitted; the merge job waits for the shards
// to end whatever their state (afterany, never DependencyNeverSatisfied),
// ends with a clear message when a shard wrote no part, and merges when all
// did.
func TestSlurmRecipe(t *testing.T) {
	if testing.Short() {
		t.Skip("runs shards")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	os.Mkdir(bin, 0o755)
	jobs := filepath.Join(dir, "jobs")
	// sbatch: one line of arguments per job, separated by NUL, and a job id.
	stub := "#!/bin/sh\nn=$(( $(ls '" + jobs + "' 2>/dev/null | wc -l) + 1 ))\nmkdir -p '" + jobs + "'\n" +
		"for a in \"$@\"; do printf '%s\\0' \"$a\"; done > '" + jobs + "'/$n\necho $((100 + n))\n"
	os.WriteFile(filepath.Join(bin, "sbatch"), []byte(stub), 0o755)
	script, _ := filepath.Abs("../../deploy/slurm-array.sh")
	recipe := func(args ...string) (string, error) {
		cmd := exec.Command("bash", append([]string{script}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "CRMROI="+os.Args[0], "CRMROI_AS_MAIN=1",
			"PARTS="+filepath.Join(dir, "parts"))
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	bad := writeScenario(t, dir, "bad.yaml", edit(t, "horizon_months: ", "horizon_months: -3 #"))
	if out, err := recipe(bad, "2", "4096"); err == nil || !strings.Contains(out, "horizon_months") {
		t.Errorf("a bad scenario: %v\n%s", err, out)
	}
	if _, err := os.Stat(jobs); err == nil {
		t.Fatal("a bad scenario was submitted")
	}
	good := writeScenario(t, dir, "good.yaml", defaultText())
	if out, err := recipe(good, "2", "4096"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	job := func(n string) (args []string, wrap string) {
		data, err := os.ReadFile(filepath.Join(jobs, n))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00") {
			if w, ok := strings.CutPrefix(a, "--wrap="); ok {
				wrap = w
			} else {
				args = append(args, a)
			}
		}
		return args, wrap
	}
	_, shard := job("1")
	margs, merge := job("2")
	if !slicesContain(margs, "--dependency=afterany:101") {
		t.Errorf("the merge job waits with %v, want afterany on the shards", margs)
	}
	run := func(wrap string, env ...string) (string, error) {
		cmd := exec.Command("sh", "-c", wrap)
		cmd.Dir = dir
		cmd.Env = append(append(os.Environ(), "CRMROI_AS_MAIN=1"), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	// Shard 1 fails (here: it never runs); the merge says so and merges nothing.
	if out, err := run(shard, "SLURM_ARRAY_TASK_ID=0"); err != nil {
		t.Fatalf("shard 0: %v\n%s", err, out)
	}
	out, err := run(merge)
	if err == nil || !regexp.MustCompile(`shards 1 of 2 .*wrote no part`).MatchString(out) {
		t.Errorf("merge with a shard missing: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "parts", "result")); err == nil {
		t.Error("merged without all the parts")
	}
	if out, err := run(shard, "SLURM_ARRAY_TASK_ID=1"); err != nil {
		t.Fatalf("shard 1: %v\n%s", err, out)
	}
	if out, err := run(merge); err != nil {
		t.Fatalf("merge: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "parts", "result", "summary.json")); err != nil {
		t.Error(err)
	}
}

func slicesContain(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// TestStaticBuild: make build links no C library (the cluster image has
// none), and the Kubernetes recipes say what the image needs.
func TestStaticBuild(t *testing.T) {
	out, err := exec.Command("make", "-C", "../..", "-n", "build").CombinedOutput()
	if err != nil {
		t.Skipf("make: %v %s", err, out)
	}
	if !strings.Contains(string(out), "CGO_ENABLED=0") {
		t.Errorf("make build does not build statically:\n%s", out)
	}
	for _, f := range []string{"../../deploy/Dockerfile", "../../deploy/k8s-indexed-job.yaml"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "CGO_ENABLED=0") || !strings.Contains(string(b), "/bin/sh") {
			t.Errorf("%s does not say how the binary is built and that the image needs /bin/sh", f)
		}
		if strings.Contains(string(b), "only needs the crmroi binary") {
			t.Errorf("%s still says the image only needs the binary", f)
		}
	}
}
