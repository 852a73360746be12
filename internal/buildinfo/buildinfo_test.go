package buildinfo

import (
	"runtime/debug"
	"testing"
)

func vcs(rev, tm, mod string) []debug.BuildSetting {
	return []debug.BuildSetting{{Key: "-trimpath", Value: "true"}, {Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: tm}, {Key: "vcs.modified", Value: mod}}
}

const rev = "a5f3f2e1b2c3d4e5f60718293a4b5c6d7e8f9012"

// TestResolve: the toolchain's record gives version, revision, time and state;
// a pseudo-version or (devel) is no release (Base stays); -ldflags values win
// over the record, each on its own.
func TestResolve(t *testing.T) {
	cases := []struct {
		name string
		bi   *debug.BuildInfo
		ld   ldflags
		want Info
		str  string
	}{
		{"no record", nil, ldflags{}, Info{Version: Base}, Base},
		{"go test", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/crmroi/crmroi", Version: "(devel)"}},
			ldflags{}, Info{Version: Base, Go: "go1.26.8"}, Base},
		{"go build in a clean checkout", &debug.BuildInfo{GoVersion: "go1.26.8",
			Main:     debug.Module{Version: "v0.0.0-20261202124000-a5f3f2e1b2c3"},
			Settings: vcs(rev, "2026-12-02T12:40:00Z", "false")},
			ldflags{}, Info{Version: Base, Revision: rev, Time: "2026-12-02T12:40:00Z", Go: "go1.26.8"}, Base + "+a5f3f2e1b2c3"},
		{"go build in a modified checkout", &debug.BuildInfo{GoVersion: "go1.26.8",
			Main:     debug.Module{Version: "v0.0.0-20261202124000-a5f3f2e1b2c3+dirty"},
			Settings: vcs(rev, "2026-12-02T12:40:00Z", "true")},
			ldflags{}, Info{Version: Base, Revision: rev, Time: "2026-12-02T12:40:00Z", Modified: true, Go: "go1.26.8"}, Base + "+a5f3f2e1b2c3.dirty"},
		{"go install of a release", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.2.0"}},
			ldflags{}, Info{Version: "0.2.0", Go: "go1.26.8"}, "0.2.0"},
		{"ldflags without a record", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			ldflags{revision: rev, time: "2026-12-02T12:40:00Z", modified: "true"},
			Info{Version: Base, Revision: rev, Time: "2026-12-02T12:40:00Z", Modified: true, Go: "go1.26.8"}, Base + "+a5f3f2e1b2c3.dirty"},
		{"ldflags over the record", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.2.0"},
			Settings: vcs(rev, "2026-12-02T12:40:00Z", "true")},
			ldflags{version: "v0.3.0", revision: "0123456789abcdef", modified: "false"},
			Info{Version: "0.3.0", Revision: "0123456789abcdef", Time: "2026-12-02T12:40:00Z", Go: "go1.26.8"}, "0.3.0+0123456789ab"},
		{"a short revision", nil, ldflags{revision: "abc123"}, Info{Version: Base, Revision: "abc123"}, Base + "+abc123"},
	}
	for _, c := range cases {
		got := resolve(c.bi, c.ld)
		if c.want.Go == "" {
			c.want.Go = got.Go // the running toolchain's, when nothing is recorded
		}
		if got != c.want {
			t.Errorf("%s: resolve = %+v, want %+v", c.name, got, c.want)
		}
		if s := got.String(); s != c.str {
			t.Errorf("%s: String = %q, want %q", c.name, s, c.str)
		}
	}
}

// TestRead: under go test, the binary records no VCS facts and no ldflags are
// set, so the version is the source's.
func TestRead(t *testing.T) {
	if got := Read(); got.Version != Base || got.Go == "" {
		t.Errorf("Read() = %+v", got)
	}
}
