package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/crmroi/crmroi/internal/buildinfo"
	"github.com/spf13/pflag"
)

// version is the build's version as the output files record it (summary.json's
// tool.version, part files): the release, then the revision it was built from
// (internal/buildinfo).
var version = buildinfo.Read().String()

// versionOptions are the options of version: none.
type versionOptions struct{}

// AddFlags adds version's flags: none.
func (*versionOptions) AddFlags(*pflag.FlagSet) {}

// runVersion prints the build's version, commit and Go toolchain.
func runVersion(_ context.Context, _ *versionOptions, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return usagef("version takes no arguments, got %q", args[0])
	}
	writeVersion(stdout, buildinfo.Read())
	return nil
}

// writeVersion prints the build: version, commit (time, and whether the tree
// was modified), Go toolchain and platform.
func writeVersion(w io.Writer, b buildinfo.Info) {
	fmt.Fprintf(w, "crmroi %s\n", b)
	if b.Revision == "" {
		fmt.Fprintln(w, "commit unknown")
	} else {
		fmt.Fprintf(w, "commit %s", b.Revision)
		var notes []string
		if b.Time != "" {
			notes = append(notes, b.Time)
		}
		if b.Modified {
			notes = append(notes, "modified")
		}
		if len(notes) > 0 {
			fmt.Fprintf(w, " (%s)", strings.Join(notes, ", "))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "go %s %s/%s\n", b.Go, runtime.GOOS, runtime.GOARCH)
}
