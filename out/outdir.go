package out

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
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

// Dir is the folder's path.
func (d *OutDir) Dir() string { return d.dir }

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

// remember adds name to the manifest (rewritten atomically).
func (d *OutDir) remember(name string) error {
	if d.known[name] {
		return nil
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
