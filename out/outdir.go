package out

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/crmroi/crmroi/sim"
)

// ManifestName is the file in an output folder that lists the files crmroi
// wrote there: crmroi replaces those freely and never replaces another file
// unless forced.
const ManifestName = ".crmroi-outputs"

// OverwriteError reports output files that exist but were not written by
// crmroi: a user error (choose another folder, or force).
type OverwriteError struct {
	Dir   string
	Files []string
}

// Error names the files and the way out.
func (e *OverwriteError) Error() string {
	return fmt.Sprintf("%s already holds %s, not written by crmroi; choose another folder with -o or pass --force to replace %s",
		e.Dir, strings.Join(e.Files, ", "), map[bool]string{true: "it", false: "them"}[len(e.Files) == 1])
}

// OutDir is an output folder. It refuses to replace files crmroi did not
// write there (unless forced), writes every file atomically, and records
// what it wrote in ManifestName.
type OutDir struct {
	dir   string
	force bool
	known map[string]bool
}

// NewOutDir reads the folder's manifest; it creates nothing yet.
func NewOutDir(dir string, force bool) *OutDir {
	d := &OutDir{dir: dir, force: force, known: map[string]bool{}}
	if f, err := os.Open(filepath.Join(dir, ManifestName)); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if name := strings.TrimSpace(sc.Text()); name != "" {
				d.known[name] = true
			}
		}
		f.Close()
	}
	return d
}

// Check returns an *OverwriteError if any of the named files (paths relative
// to the folder) exists and was not written by crmroi, unless forced.
func (d *OutDir) Check(names ...string) error {
	if d.force {
		return nil
	}
	var clash []string
	for _, n := range names {
		if d.known[filepath.ToSlash(n)] {
			continue
		}
		if _, err := os.Lstat(filepath.Join(d.dir, n)); err == nil {
			clash = append(clash, n)
		}
	}
	if len(clash) > 0 {
		sort.Strings(clash)
		return &OverwriteError{Dir: d.dir, Files: clash}
	}
	return nil
}

// Write checks name, creates the folder if missing, writes the file
// atomically (WriteFileAtomic) and records it in the manifest. It returns the
// file's path.
func (d *OutDir) Write(name string, fill func(w io.Writer) error) (string, error) {
	if err := d.Check(name); err != nil {
		return "", err
	}
	path := filepath.Join(d.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("cannot create the output folder %s: %w", filepath.Dir(path), err)
	}
	if err := WriteFileAtomic(path, fill); err != nil {
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	return path, d.remember(filepath.ToSlash(name))
}

// remember adds name to the manifest (rewritten atomically, merged with what
// other writers in this folder have recorded since).
func (d *OutDir) remember(name string) error {
	if d.known[name] {
		return nil
	}
	for n := range NewOutDir(d.dir, false).known {
		d.known[n] = true
	}
	d.known[name] = true
	names := make([]string, 0, len(d.known))
	for n := range d.known {
		names = append(names, n)
	}
	sort.Strings(names)
	err := WriteFileAtomic(filepath.Join(d.dir, ManifestName), func(w io.Writer) error {
		_, err := io.WriteString(w, strings.Join(names, "\n")+"\n")
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("writing %s: %w", filepath.Join(d.dir, ManifestName), err)
	}
	return nil
}

// File is one file to write into an OutDir: its name (a path relative to
// the folder) and what writes its content.
type File struct {
	Name  string
	Write func(w io.Writer) error
}

// ChartFiles are rendered charts as files, in sub (a sub-folder, or "").
func ChartFiles(sub string, charts []RenderedChart) []File {
	files := make([]File, len(charts))
	for i, c := range charts {
		data := c.Data
		files[i] = File{Name: filepath.Join(sub, c.File), Write: func(w io.Writer) error { _, err := w.Write(data); return err }}
	}
	return files
}

// WriteAll writes files in order. It first checks that none would replace a
// file crmroi did not write (then it writes nothing), and stops, returning
// sim.ErrInterrupted, when ctx is cancelled. It returns the paths written.
func (d *OutDir) WriteAll(ctx context.Context, files []File) ([]string, error) {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	if err := d.Check(names...); err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range files {
		if ctx.Err() != nil {
			return paths, sim.ErrInterrupted
		}
		p, err := d.Write(f.Name, f.Write)
		if err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// Mkdir creates the folder (and sub, when not "") if missing.
func (d *OutDir) Mkdir(sub string) error {
	dir := filepath.Join(d.dir, sub)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create the output folder %s: %w", dir, err)
	}
	return nil
}

// Adopt records files written into the folder by other means (the samples
// streamed during a run) as crmroi's.
func (d *OutDir) Adopt(names ...string) error {
	for _, n := range names {
		if err := d.remember(filepath.ToSlash(n)); err != nil {
			return err
		}
	}
	return nil
}

// Table is the file name written by write(w, v), e.g. Table("summary.csv", WriteSummaryCSV, run).
func Table[T any](name string, write func(io.Writer, T) error, v T) File {
	return File{Name: name, Write: func(w io.Writer) error { return write(w, v) }}
}
