// Package out turns simulation results into what a person sees: the terminal
// table, summary.json, the CSV files, charts and the HTML report. Every file is
// written into a staging folder and the whole set swapped in when complete
// (see OutDir).
package out

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// tmpMark is in the name of every temporary file crmroi makes outside a
// staging folder: ".NAME.tmp-HOST-PID-RANDOM", so that one left by a killed
// process is recognised (its process is gone) and removed.
const tmpMark = ".tmp-"

// WriteFileAtomic writes a file through fill: to a temporary file in the same
// folder, flushed and synced, then renamed over path. On any error the
// temporary file is removed and path is left as it was.
func WriteFileAtomic(path string, fill func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+tmpMark+procTag()+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err = fill(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	syncDir(dir)
	return nil
}
