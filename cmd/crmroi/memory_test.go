package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeRoot writes files (path → content) under a temporary root.
func fakeRoot(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// TestMemoryLeftHonoursCgroups: the memory left is the least of
// MemAvailable and every cgroup level's limit less its usage, v2 and v1;
// "max" and v1's huge "no limit" leave MemAvailable.
func TestMemoryLeftHonoursCgroups(t *testing.T) {
	const gb = 1 << 30
	meminfo := "MemTotal: 67108864 kB\nMemAvailable: 33554432 kB\n" // 32 GiB available
	cases := []struct {
		name  string
		files map[string]string
		want  int64
	}{
		{"no cgroup", map[string]string{"proc/meminfo": meminfo}, 32 * gb},
		{"v2 unlimited", map[string]string{"proc/meminfo": meminfo, "proc/self/cgroup": "0::/job\n",
			"sys/fs/cgroup/job/memory.max": "max\n", "sys/fs/cgroup/job/memory.current": "1000\n"}, 32 * gb},
		{"v2 limited", map[string]string{"proc/meminfo": meminfo, "proc/self/cgroup": "0::/slurm/job_7\n",
			"sys/fs/cgroup/slurm/job_7/memory.max": "4294967296\n", "sys/fs/cgroup/slurm/job_7/memory.current": "1073741824\n"}, 3 * gb},
		{"v2 parent lower", map[string]string{"proc/meminfo": meminfo, "proc/self/cgroup": "0::/kubepods/pod1/c\n",
			"sys/fs/cgroup/kubepods/pod1/c/memory.max": "8589934592\n", "sys/fs/cgroup/kubepods/pod1/c/memory.current": "0\n",
			"sys/fs/cgroup/kubepods/pod1/memory.max": "2147483648\n", "sys/fs/cgroup/kubepods/pod1/memory.current": "1073741824\n"}, 1 * gb},
		{"v2 namespaced", map[string]string{"proc/meminfo": meminfo, "proc/self/cgroup": "0::/\n",
			"sys/fs/cgroup/memory.max": "536870912\n", "sys/fs/cgroup/memory.current": "0\n"}, gb / 2},
		{"v1 limited", map[string]string{"proc/meminfo": meminfo, "proc/self/cgroup": "5:cpu,cpuacct:/\n4:memory:/docker/abc\n",
			"sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": "2147483648\n", "sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes": "536870912\n"}, gb + gb/2},
		{"v1 unlimited", map[string]string{"proc/meminfo": meminfo, "proc/self/cgroup": "4:memory:/x\n",
			"sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n", "sys/fs/cgroup/memory/memory.usage_in_bytes": "5\n"}, 32 * gb},
	}
	for _, c := range cases {
		if got := memoryLeft(fakeRoot(t, c.files)); got != c.want {
			t.Errorf("%s: %d bytes left, want %d", c.name, got, c.want)
		}
	}
}

// pretendMemory makes the commands see bytes of memory left until the test ends.
func pretendMemory(t *testing.T, bytes int64) {
	old := availableMemory
	availableMemory = func() int64 { return bytes }
	t.Cleanup(func() { availableMemory = old })
}

// TestMemoryEstimatesEveryCommand: sweep counts what every cell keeps (its
// inputs' quantile tables, ~2.4 MB for the default scenario, whatever -n)
// and sensitivity its sample, rank matrices and Saltelli design: both are
// refused before they start when that does not fit (on a pretend machine).
func TestMemoryEstimatesEveryCommand(t *testing.T) {
	o := filepath.Join(t.TempDir(), "o")
	pretendMemory(t, 200<<20)
	refused(t, "would need about", "sweep", "--param", "seats", "--range", "10:200:100", "-n", "100", "--format", "none", "-q", "-o", o)
	pretendMemory(t, 8<<30)
	refused(t, "would need about", "sensitivity", "--base", "16777216", "-n", "1000", "--format", "none", "-q", "-o", o)
	if _, err := os.Stat(o); !os.IsNotExist(err) {
		t.Error("a refused command created its output folder")
	}
}

// TestAddressSpaceLimit: under `ulimit -v` a command is refused with its
// estimate (exit 2) or runs; it never dies of a fatal out-of-memory error.
// The limit is set 600 MB above this test binary's own address space at
// start (a Go binary reserves well over 1 GB of address space before main
// runs, more or less from run to run), so that what is tested is crmroi's
// estimate, not whether the runtime can start at all; the first command
// needs far more than 600 MB and must be refused.
func TestAddressSpaceLimit(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	base := vmSizeKB(t)
	limit := base + 600<<10
	for i, args := range []string{"sensitivity --base 16777216 -n 1000", "run -n 300000 --samples", "sensitivity -n 20000", "sweep --param seats --values 10,20,30 -n 20000"} {
		cmd := exec.Command("sh", "-c", fmt.Sprintf(`ulimit -v %d && exec "$0" `, limit)+args+` --format none -q -o "$1"`, os.Args[0], filepath.Join(t.TempDir(), "o"))
		cmd.Env = append(os.Environ(), "CRMROI_AS_MAIN=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		code := cmd.ProcessState.ExitCode()
		refusedWithEstimate := code == 2 && strings.Contains(stderr.String(), "would need about")
		if code != 0 && !refusedWithEstimate || strings.Contains(stderr.String(), "fatal error") {
			t.Errorf("%s under ulimit -v %d: %v, exit %d: %.300s", args, limit, err, code, stderr.String())
		}
		if i == 0 && !refusedWithEstimate {
			t.Errorf("%s under ulimit -v %d (600 MB above the start): not refused with its estimate (exit %d)", args, limit, code)
		}
	}
}

// vmSizeKB returns this process's address space in KiB (VmSize).
func vmSizeKB(t *testing.T) int {
	t.Helper()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmSize:" {
			kb, err := strconv.Atoi(f[1])
			if err != nil {
				t.Fatal(err)
			}
			return kb
		}
	}
	t.Skip("no VmSize in /proc/self/status")
	return 0
}

// TestXLSXZipBomb: an .xlsx data file that expands beyond the limit of a
// data file is refused from its zip directory, before anything is expanded.
func TestXLSXZipBomb(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	row := []byte(strings.Repeat(`<row><c t="n"><v>1</v></c></row>`, 1024))
	for written := 0; written <= 101<<20; written += len(row) {
		w.Write(row)
	}
	zw.Close()
	file := writeScenario(t, t.TempDir(), "bomb.xlsx", buf.String())
	start := time.Now()
	refused(t, "expands to more than", "fit", file, "--format", "none", "-o", filepath.Join(t.TempDir(), "o"))
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("refusing the zip bomb took %v", d)
	}
}
