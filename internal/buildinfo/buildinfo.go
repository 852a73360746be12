// Package buildinfo says which build of crmroi is running: its version and the
// VCS revision, commit time and state of the tree it was built from. `crmroi
// version` prints it, and the output files record it (summary.json's
// tool.version, the Parquet footer's created_by), so that a figure can be
// traced to the code that computed it and `merge` can refuse parts written by
// another build.
//
// The facts come from the build itself: the Go toolchain records the module's
// version and, when it builds inside a Git checkout, the revision, commit time
// and whether the tree was modified (runtime/debug.ReadBuildInfo). A build
// that cannot record them (go build -buildvcs=false, a build outside the
// checkout) may pass them with -ldflags; the Makefile does:
//
//	go build -ldflags "-X github.com/crmroi/crmroi/internal/buildinfo.revision=$(git rev-parse HEAD) …"
package buildinfo

import (
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

// Base is the version of the source: the release being prepared (CHANGELOG.md's
// Unreleased section), used unless the build names a released one.
const Base = "0.1.0-dev"

// Set with -ldflags "-X github.com/crmroi/crmroi/internal/buildinfo.NAME=VALUE";
// each, when set, overrides what the toolchain recorded.
var (
	version    string // a release version, such as 0.2.0
	revision   string // the full commit hash
	commitTime string // the commit time, RFC 3339
	modified   string // "true" if the tree had uncommitted changes
)

// Info describes one build.
type Info struct {
	Version  string // the release version, else Base
	Revision string // the full VCS revision; "" if unknown
	Time     string // the revision's commit time, RFC 3339; "" if unknown
	Modified bool   // built from a tree with uncommitted changes
	Go       string // the Go toolchain, such as go1.26.8
}

// Read returns the running binary's Info.
var Read = sync.OnceValue(func() Info {
	bi, _ := debug.ReadBuildInfo()
	return resolve(bi, ldflags{version, revision, commitTime, modified})
})

// ldflags are the values set by -ldflags -X ("" when not set).
type ldflags struct{ version, revision, time, modified string }

// pseudo matches the version the toolchain gives a module built from an
// untagged commit (v0.0.0-20261202124000-a5f3f2e1b2c3, maybe +dirty): no
// release, and the revision is recorded apart.
var pseudo = regexp.MustCompile(`\d{14}-[0-9a-f]{12}(\+dirty)?$`)

// resolve combines the toolchain's record bi (nil if none) with the values
// set by -ldflags, which win where set.
func resolve(bi *debug.BuildInfo, ld ldflags) Info {
	info := Info{Version: Base, Go: runtime.Version()}
	if bi != nil {
		if v := bi.Main.Version; v != "" && v != "(devel)" && !pseudo.MatchString(v) {
			info.Version = strings.TrimPrefix(v, "v")
		}
		if bi.GoVersion != "" {
			info.Go = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Revision = s.Value
			case "vcs.time":
				info.Time = s.Value
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
	}
	if ld.version != "" {
		info.Version = strings.TrimPrefix(ld.version, "v")
	}
	if ld.revision != "" {
		info.Revision = ld.revision
	}
	if ld.time != "" {
		info.Time = ld.time
	}
	if ld.modified != "" {
		info.Modified = ld.modified == "true"
	}
	return info
}

// String is the version as the output files record it: Version, then as
// semantic-version build metadata the first 12 digits of the revision and
// "dirty" for a modified tree — 0.1.0-dev+a5f3f2e1b2c3.dirty. Two builds
// from different commits differ; a build that knows no revision reads Version.
func (i Info) String() string {
	if i.Revision == "" {
		return i.Version
	}
	s := i.Version + "+" + i.Short()
	if i.Modified {
		s += ".dirty"
	}
	return s
}

// Short is the revision's first 12 digits ("" if unknown).
func (i Info) Short() string {
	if len(i.Revision) > 12 {
		return i.Revision[:12]
	}
	return i.Revision
}
