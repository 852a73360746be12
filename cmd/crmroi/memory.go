package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// availableMemory is the memory this process may still use, in bytes, or 0
// where unknown: the least of the machine's MemAvailable, what the cgroup's
// limit leaves (v2 memory.max, v1 memory.limit_in_bytes, at every level of
// the hierarchy: containers, Slurm, Kubernetes) and what `ulimit -v`
// (RLIMIT_AS) leaves of the address space. It is a variable so that tests
// can pretend a smaller machine.
var availableMemory = func() int64 {
	avail := memoryLeft("/")
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &rl); err == nil && rl.Cur != ^uint64(0) && rl.Cur < 1<<62 {
		used := statusKB("/proc/self/status", "VmSize:")
		avail = lowest(avail, max(int64(rl.Cur)-used, 1))
	}
	return avail
}

// memoryLeft reads, under root (/ but in tests), MemAvailable and the
// cgroup limits of this process less their usage; 0 where none is known.
func memoryLeft(root string) int64 {
	avail := statusKB(filepath.Join(root, "proc/meminfo"), "MemAvailable:")
	data, err := os.ReadFile(filepath.Join(root, "proc/self/cgroup"))
	if err != nil {
		return avail
	}
	for _, line := range strings.Split(string(data), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "": // cgroup v2
			avail = lowest(avail, cgroupLeft(filepath.Join(root, "sys/fs/cgroup"), parts[2], "memory.max", "memory.current"))
		case hasController(parts[1], "memory"): // cgroup v1
			avail = lowest(avail, cgroupLeft(filepath.Join(root, "sys/fs/cgroup/memory"), parts[2], "memory.limit_in_bytes", "memory.usage_in_bytes"))
		}
	}
	return avail
}

// cgroupLeft is the least, over the cgroup at path under mount and its
// ancestors, of its memory limit less its usage; 0 when none is limited.
// Inside a container the cgroup's own folder is often the mount itself.
func cgroupLeft(mount, path, limitFile, usageFile string) int64 {
	var left int64
	dir := filepath.Join(mount, filepath.Clean("/"+path))
	if _, err := os.Stat(dir); err != nil {
		dir = mount
	}
	for {
		if limit, ok := readBytes(filepath.Join(dir, limitFile)); ok && limit < 1<<60 {
			usage, _ := readBytes(filepath.Join(dir, usageFile))
			left = lowest(left, max(limit-usage, 1))
		}
		if dir == mount || len(dir) <= len(mount) {
			return left
		}
		dir = filepath.Dir(dir)
	}
}

// hasController says whether a v1 hierarchy's controller list names c.
func hasController(list, c string) bool {
	for _, x := range strings.Split(list, ",") {
		if x == c {
			return true
		}
	}
	return false
}

// readBytes reads a number of bytes from a cgroup file ("max": not limited).
func readBytes(path string) (int64, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	v, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	return v, err == nil
}

// statusKB reads "key value kB" from a /proc file, in bytes; 0 if absent.
func statusKB(path, key string) int64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, key); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				if kb, err := strconv.ParseInt(f[0], 10, 64); err == nil {
					return kb << 10
				}
			}
		}
	}
	return 0
}

// lowest is the smaller of two amounts where 0 means unknown.
func lowest(a, b int64) int64 {
	switch {
	case a <= 0:
		return max(b, 0)
	case b <= 0:
		return a
	}
	return min(a, b)
}
