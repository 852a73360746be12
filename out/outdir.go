package out

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/crmroi/crmroi/sim"
)

// ManifestName is the file in an output folder that lists the files crmroi
// wrote there, each with the set it belongs to: crmroi replaces those freely
// and never replaces another file unless forced.
const ManifestName = ".crmroi-outputs"

// The other names crmroi keeps in an output folder, all hidden: the lock
// that serialises every change of the folder's files and of the manifest,
// the journal of a swap in progress, and the staging and trash folders of
// the runs (named with the host and process id, so that stale ones are
// recognised and removed).
const (
	lockName    = ".crmroi-lock"
	journalName = ".crmroi-journal"
	stagePrefix = ".crmroi-stage-"
	trashPrefix = ".crmroi-trash-"
	newPrefix   = ".crmroi-new-" // a staging or trash folder being made
)

// manifestHeader opens a manifest of sets; a manifest without it (one name a
// line) was written by an earlier version: its names belong to no set.
const manifestHeader = "# crmroi outputs 2: set<TAB>file"

// DirError is an output folder that cannot be used (exit 1): Dir is a
// file, or it cannot be created or written into (Err says why).
type DirError struct {
	Dir  string
	Kind DirProblem
	Err  error
}

// DirProblem is what is wrong with an output folder.
type DirProblem uint8

// The problems of an output folder.
const (
	DirIsFile   DirProblem = iota // a file, not a folder
	DirNoCreate                   // cannot be created
	DirNoWrite                    // cannot be written into
)

// Error says what is wrong, in English.
func (e *DirError) Error() string {
	switch e.Kind {
	case DirIsFile:
		return fmt.Sprintf("cannot use %s as the output folder: it is a file, not a folder", e.Dir)
	case DirNoCreate:
		return fmt.Sprintf("cannot create the output folder %s: %v", e.Dir, e.Err)
	}
	return fmt.Sprintf("cannot write into the output folder %s: %v", e.Dir, e.Err)
}

// Unwrap returns the cause.
func (e *DirError) Unwrap() error { return e.Err }

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

// OutDir is an output folder and the set of files one command writes there.
// The files are written into a staging folder inside it; Commit then swaps
// them in as one set: afterwards the folder holds every new file and none of
// the files the previous run of the same set wrote and this one did not;
// before Commit returns, a failure, an interrupt or a crash (recovered at the
// next start) leaves the previous set untouched. OutDir refuses to replace
// files crmroi did not write (unless forced) and records what it wrote in
// ManifestName, under a lock, so that several processes may write their sets
// into one folder at once.
type OutDir struct {
	dir   string
	force bool
	set   string
	known manifest // read when made: for Check

	stage     string   // the staging folder, once Open
	stageLock *os.File // held while the stage lives
	names     []string // files in the stage, slash-separated, in order
	have      map[string]bool
	mu        sync.Mutex // guards names and have: batch writes from several goroutines
	closed    bool
	csvLocale string // CSVMachine or CSVRussian: the layout of the .csv files written
	created   bool   // Open created the folder: Abort removes it if left empty
}

// NewOutDir is the folder dir for the files of set (a name such as "run",
// "sweep" or "batch": a later Commit of the same set replaces this one's
// files). It reads the folder's manifest and creates nothing yet.
func NewOutDir(dir string, force bool, set string) *OutDir {
	m, _ := readManifest(dir)
	return &OutDir{dir: dir, force: force, set: set, known: m, have: map[string]bool{}}
}

// SetCSVLocale sets the layout of the .csv files d writes from now on
// (CSVMachine, CSVRussian: see NewLocaleCSV).
func (d *OutDir) SetCSVLocale(locale string) { d.csvLocale = locale }

// Dir is the output folder.
func (d *OutDir) Dir() string { return d.dir }

// Check returns an *OverwriteError if any of the named files (paths relative
// to the folder) exists and was not written by crmroi, unless forced.
//
// A clash is confirmed under the folder's lock: another process may have
// recorded the files since, or be in the middle of a swap (its new files in
// place, its manifest not yet), or have died in one.
func (d *OutDir) Check(names ...string) error {
	err := d.check(d.known, names)
	if err == nil {
		return nil
	}
	lerr := withLock(d.dir, func() error {
		if err := recoverSwap(d.dir); err != nil {
			return err
		}
		m, err := readManifest(d.dir)
		if err == nil {
			d.known = m
		}
		return err
	})
	if lerr == nil {
		err = d.check(d.known, names)
	}
	return err
}

func (d *OutDir) check(m manifest, names []string) error {
	if d.force {
		return nil
	}
	var clash []string
	for _, n := range names {
		if d.isKnown(m, n) {
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

// isKnown tells whether crmroi wrote name: it is in m, or in the manifest
// of the folder above (a batch records its scenarios' files, in their
// folders, in its own), or, for a file in a sub-folder, in that folder's own
// manifest (as earlier versions of batch recorded each scenario's files).
func (d *OutDir) isKnown(m manifest, name string) bool {
	name = filepath.ToSlash(name)
	if _, ok := m.sets[name]; ok {
		return true
	}
	if up, _ := readManifest(filepath.Dir(filepath.Clean(d.dir))); len(up.sets) > 0 {
		if _, ok := up.sets[filepath.Base(filepath.Clean(d.dir))+"/"+name]; ok {
			return true
		}
	}
	if i := strings.LastIndexByte(name, '/'); i > 0 {
		sub, _ := readManifest(filepath.Join(d.dir, filepath.FromSlash(name[:i])))
		_, ok := sub.sets[name[i+1:]]
		return ok
	}
	return false
}

// Open makes the folder ready to take files: it creates the folder if
// missing, finishes or rolls back a swap that a killed process left half
// done, removes stale staging folders and temporary files of processes that
// are gone, and creates this set's staging folder (which proves that the
// folder can be written). Commands call it before they compute, so that an
// unusable folder is reported before any work. It is idempotent.
func (d *OutDir) Open() error {
	if d.stage != "" {
		return nil
	}
	if d.closed {
		return errors.New("output folder already committed or aborted")
	}
	fi, err := os.Stat(d.dir)
	if err == nil && !fi.IsDir() {
		return &DirError{Dir: d.dir, Kind: DirIsFile}
	}
	d.created = errors.Is(err, fs.ErrNotExist)
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return &DirError{Dir: d.dir, Kind: DirNoCreate, Err: err}
	}
	err = withLock(d.dir, func() error {
		if err := recoverSwap(d.dir); err != nil {
			return err
		}
		cleanStale(d.dir)
		stage, lock, err := makeLocked(d.dir, stagePrefix)
		d.stage, d.stageLock = stage, lock
		return err
	})
	if err != nil {
		return &DirError{Dir: d.dir, Kind: DirNoWrite, Err: err}
	}
	return nil
}

// Stage is the staging folder (after Open): files streamed during a run (the
// samples) are written there and then declared with Adopt; libraries that
// need a temporary folder get it too, so that nothing is left elsewhere.
func (d *OutDir) Stage() string { return d.stage }

// StagePath is where the file name (relative to the folder) is staged.
func (d *OutDir) StagePath(name string) string { return filepath.Join(d.stage, name) }

// Mkdir opens the folder (see Open) and creates sub in the stage.
func (d *OutDir) Mkdir(sub string) error {
	if err := d.Open(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(d.stage, sub), 0o755); err != nil {
		return fmt.Errorf("cannot create the output folder %s: %w", filepath.Join(d.dir, sub), err)
	}
	return nil
}

// Write checks name, writes the file into the stage (synced) and adds it to
// the set. It returns the path the file will have once committed.
func (d *OutDir) Write(name string, fill func(w io.Writer) error) (string, error) {
	if err := d.Check(name); err != nil {
		return "", err
	}
	if err := d.Open(); err != nil {
		return "", err
	}
	path := filepath.Join(d.dir, name)
	staged := d.StagePath(name)
	if err := os.MkdirAll(filepath.Dir(staged), 0o755); err != nil {
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	if strings.HasSuffix(name, ".csv") && d.csvLocale != CSVMachine {
		inner, locale := fill, d.csvLocale
		fill = func(w io.Writer) error {
			lw := NewLocaleCSV(w, locale)
			if err := inner(lw); err != nil {
				return err
			}
			return lw.Close()
		}
	}
	if err := writeStaged(staged, fill); err != nil {
		os.Remove(staged)
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	d.add(name)
	return path, nil
}

func (d *OutDir) add(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	name = filepath.ToSlash(filepath.Clean(name))
	if !d.have[name] {
		d.have[name] = true
		d.names = append(d.names, name)
	}
}

// Adopt adds files already written into the stage by other means (the
// samples streamed during a run) to the set.
func (d *OutDir) Adopt(names ...string) error {
	for _, n := range names {
		if _, err := os.Lstat(d.StagePath(n)); err != nil {
			return fmt.Errorf("writing %s: %w", filepath.Join(d.dir, n), err)
		}
		d.add(n)
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

// WriteAll writes files in order into the stage. It first checks that none
// would replace a file crmroi did not write (then it writes nothing), and
// stops, returning sim.ErrInterrupted, when ctx is cancelled. It returns the
// paths the files will have once committed.
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

// Abort removes the stage and everything written into it; the folder keeps
// the previous set. It does nothing after Commit or a first Abort.
func (d *OutDir) Abort() {
	if d.closed {
		return
	}
	d.closed = true
	if d.stage != "" {
		os.RemoveAll(d.stage)
		d.stageLock.Close()
	}
	if d.created { // a folder made for a run that wrote nothing goes too
		withLock(d.dir, func() error {
			entries, err := os.ReadDir(d.dir)
			if err == nil && len(entries) == 1 && entries[0].Name() == lockName {
				os.Remove(filepath.Join(d.dir, lockName))
				os.Remove(d.dir)
			}
			return nil
		})
	}
}

// Table is the file name written by write(w, v), e.g. Table("summary.csv", WriteSummaryCSV, run).
func Table[T any](name string, write func(io.Writer, T) error, v T) File {
	return File{Name: name, Write: func(w io.Writer) error { return write(w, v) }}
}

// manifest is the content of ManifestName: each file's set, and the id of
// the swap that wrote it last.
type manifest struct {
	sets map[string]string
	txn  string
}

// readManifest reads dir's manifest; a missing one is empty.
func readManifest(dir string) (manifest, error) {
	m := manifest{sets: map[string]string{}}
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			err = nil
		}
		return m, err
	}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if t, ok := strings.CutPrefix(line, "# txn "); ok {
			m.txn = strings.TrimSpace(t)
			continue
		}
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		set, name, ok := strings.Cut(line, "\t")
		if !ok { // an earlier version's line: a name of no set
			set, name = "", strings.TrimSpace(line)
		}
		m.sets[name] = set
	}
	return m, sc.Err()
}

// encode is the manifest's text, names sorted.
func (m manifest) encode() string {
	names := make([]string, 0, len(m.sets))
	for n := range m.sets {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(manifestHeader + "\n")
	if m.txn != "" {
		b.WriteString("# txn " + m.txn + "\n")
	}
	for _, n := range names {
		b.WriteString(m.sets[n] + "\t" + n + "\n")
	}
	return b.String()
}

// journal is what a swap in progress records before it moves any file, so
// that the next process to lock the folder can finish or undo it.
type journal struct {
	txn, stage, trash string   // stage and trash: names inside the folder
	names             []string // the new files, slash-separated
}

func (j journal) encode() string {
	return "txn " + j.txn + "\nstage " + j.stage + "\ntrash " + j.trash + "\n" + strings.Join(j.names, "\n") + "\n"
}

func readJournal(dir string) (journal, bool, error) {
	data, err := os.ReadFile(filepath.Join(dir, journalName))
	if errors.Is(err, fs.ErrNotExist) {
		return journal{}, false, nil
	}
	if err != nil {
		return journal{}, false, err
	}
	var j journal
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		switch {
		case i == 0:
			j.txn, _ = strings.CutPrefix(line, "txn ")
		case i == 1:
			j.stage, _ = strings.CutPrefix(line, "stage ")
		case i == 2:
			j.trash, _ = strings.CutPrefix(line, "trash ")
		case line != "":
			j.names = append(j.names, line)
		}
	}
	if !strings.HasPrefix(j.stage, stagePrefix) || !strings.HasPrefix(j.trash, trashPrefix) || strings.Contains(j.stage+j.trash, "/") {
		return journal{}, false, fmt.Errorf("%s is damaged; remove it and the %s* and %s* folders", journalName, stagePrefix, trashPrefix)
	}
	return j, true, nil
}

// Commit swaps the stage into the folder as one set and records it. Under
// the folder's lock it checks again that no file crmroi did not write would
// be replaced, writes a journal, moves the files of the previous set of the
// same name and those about to be replaced into a trash folder, moves the new
// files in, and replaces the manifest: that rename is the commit point. A
// failure before it moves everything back; after it, the trash is removed.
func (d *OutDir) Commit() error {
	if err := d.Open(); err != nil {
		return err
	}
	if d.closed {
		return errors.New("output folder already committed or aborted")
	}
	defer d.Abort()
	err := withLock(d.dir, func() error {
		if err := recoverSwap(d.dir); err != nil {
			return err
		}
		return d.swap()
	})
	if errors.Is(err, errCrash) {
		d.closed = true // a simulated death: leave everything as it is
		d.stageLock.Close()
	}
	return err
}

// swap is Commit's work, under the lock.
func (d *OutDir) swap() (err error) {
	m, err := readManifest(d.dir)
	if err != nil {
		return fmt.Errorf("reading %s: %w", filepath.Join(d.dir, ManifestName), err)
	}
	if err := d.check(m, d.names); err != nil {
		return err
	}
	isNew := map[string]bool{}
	for _, n := range d.names {
		isNew[n] = true
	}
	// The files to move away: the previous set's and those about to be replaced.
	var away []string
	for n, set := range m.sets {
		if set == d.set && d.set != "" && !isNew[n] {
			away = append(away, n)
		}
	}
	away = append(away, d.names...)
	sort.Strings(away)
	trash, trashLock, err := makeLocked(d.dir, trashPrefix)
	if err != nil {
		return err
	}
	defer trashLock.Close()
	j := journal{txn: newID(), stage: filepath.Base(d.stage), trash: filepath.Base(trash), names: d.names}
	if err := fault("journal", journalName); err != nil {
		os.RemoveAll(trash)
		return err
	}
	if err := writeSmall(filepath.Join(d.dir, journalName), j.encode()); err != nil {
		os.RemoveAll(trash)
		return err
	}
	undo := func(err error) error {
		if errors.Is(err, errCrash) {
			return err
		}
		if rerr := rollBack(d.dir, j); rerr != nil {
			return fmt.Errorf("%w (and undoing the swap failed: %v)", err, rerr)
		}
		return err
	}
	for _, n := range away {
		from := filepath.Join(d.dir, filepath.FromSlash(n))
		if _, err := os.Lstat(from); err != nil {
			continue // gone already (removed by hand)
		}
		to := filepath.Join(trash, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return undo(err)
		}
		if err := fault("away", n); err != nil {
			return undo(err)
		}
		if err := os.Rename(from, to); err != nil {
			return undo(fmt.Errorf("moving %s aside: %w", from, err))
		}
	}
	for _, n := range d.names {
		to := filepath.Join(d.dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return undo(fmt.Errorf("cannot create the output folder %s: %w", filepath.Dir(to), err))
		}
		if err := fault("in", n); err != nil {
			return undo(err)
		}
		if err := os.Rename(d.StagePath(n), to); err != nil {
			return undo(fmt.Errorf("writing %s: %w", to, err))
		}
	}
	for _, n := range away {
		delete(m.sets, n)
	}
	for _, n := range d.names {
		m.sets[n] = d.set
	}
	m.txn = j.txn
	if err := fault("manifest", ManifestName); err != nil {
		return undo(err)
	}
	if err := writeSmall(filepath.Join(d.dir, ManifestName), m.encode()); err != nil { // the commit point
		return undo(fmt.Errorf("writing %s: %w", filepath.Join(d.dir, ManifestName), err))
	}
	if err := fault("finish", journalName); errors.Is(err, errCrash) {
		return err
	}
	finish(d.dir, j)
	// Folders the previous set had and this one has not (a batch's
	// scenarios that are gone) are removed when empty.
	for _, n := range away {
		for p := filepath.Dir(filepath.FromSlash(n)); p != "." && !isNew[filepath.ToSlash(p)]; p = filepath.Dir(p) {
			if os.Remove(filepath.Join(d.dir, p)) != nil {
				break
			}
		}
	}
	return nil
}

// recoverSwap finishes or rolls back the swap a journal records (its process
// died: the caller holds the lock, which a live swap holds throughout).
func recoverSwap(dir string) error {
	j, ok, err := readJournal(dir)
	if err != nil || !ok {
		return err
	}
	m, err := readManifest(dir)
	if err != nil {
		return err
	}
	if m.txn == j.txn {
		finish(dir, j)
		return nil
	}
	return rollBack(dir, j)
}

// finish removes what a committed swap leaves: its trash, its stage and its
// journal.
func finish(dir string, j journal) {
	os.RemoveAll(filepath.Join(dir, j.trash))
	os.RemoveAll(filepath.Join(dir, j.stage))
	os.Remove(filepath.Join(dir, journalName))
	syncDir(dir)
}

// rollBack undoes an uncommitted swap: a new file no longer in the stage was
// moved in (every old one was moved away before), so it goes back to the
// stage; then every file in the trash goes back to its place.
func rollBack(dir string, j journal) error {
	stage, trash := filepath.Join(dir, j.stage), filepath.Join(dir, j.trash)
	var errs []error
	for _, n := range j.names {
		staged := filepath.Join(stage, filepath.FromSlash(n))
		if _, err := os.Lstat(staged); err == nil {
			continue
		}
		placed := filepath.Join(dir, filepath.FromSlash(n))
		if _, err := os.Lstat(placed); err != nil {
			continue
		}
		os.MkdirAll(filepath.Dir(staged), 0o755)
		if err := os.Rename(placed, staged); err != nil {
			errs = append(errs, err)
		}
	}
	filepath.WalkDir(trash, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(trash, p)
		to := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(to), 0o755)
		if err := os.Rename(p, to); err != nil {
			errs = append(errs, err)
		}
		return nil
	})
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	os.RemoveAll(trash)
	os.Remove(filepath.Join(dir, journalName))
	syncDir(dir)
	return nil
}

// cleanStale removes, from dir, the staging and trash folders and the
// temporary files of processes that are gone (the caller holds the lock, and
// no journal is pending, so that no trash folder is still needed).
func cleanStale(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(dir, name)
		switch {
		case strings.HasPrefix(name, trashPrefix):
			if !lockHeld(p) {
				os.RemoveAll(p)
			}
		case strings.HasPrefix(name, stagePrefix):
			// A staging folder of this host whose process is gone, or whose
			// lock nobody holds (its process id was reused).
			if pid, ours := owner(name); ours && (!processAlive(pid) || !lockHeld(p)) {
				os.RemoveAll(p)
			}
		case strings.HasPrefix(name, newPrefix), strings.HasPrefix(name, ".") && strings.Contains(name, tmpMark):
			if pid, ours := owner(name); ours && !processAlive(pid) {
				os.Remove(p)
			}
		}
	}
}

// errCrash, returned by the fault hook, makes a swap stop where it is, as if
// the process had been killed (tests only).
var errCrash = errors.New("simulated crash")

// faultHook, when set (tests only), is called before each step of writing a
// file into the stage ("write") and of a swap ("journal", "away", "in",
// "manifest", "finish"); an error it returns fails the step.
var faultHook func(step, name string) error

func fault(step, name string) error {
	if faultHook == nil {
		return nil
	}
	return faultHook(step, name)
}

// makeLocked creates a new folder named prefix+host+pid+random in dir,
// holding a lock on it (so that a live one is never taken for stale, even if
// its process id is reused); the folder gets its name only once locked.
func makeLocked(dir, prefix string) (string, *os.File, error) {
	id := procTag() + "-" + newID()
	tmp := filepath.Join(dir, newPrefix+id)
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return "", nil, err
	}
	f, err := os.Open(tmp)
	if err == nil {
		err = lockFile(f, false)
	}
	final := filepath.Join(dir, prefix+id)
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		if f != nil {
			f.Close()
		}
		os.RemoveAll(tmp)
		return "", nil, err
	}
	return final, f, nil
}

// newID is 12 random hex digits.
func newID() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// procTag names this process in temporary names: host and process id.
func procTag() string {
	h, _ := os.Hostname()
	h = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, h)
	if h == "" {
		h = "host"
	}
	return h + "-" + strconv.Itoa(os.Getpid())
}

// owner reads the process id in a temporary name (…-host-pid-random): ours
// is false for another host's name (on a shared file system) or one that
// does not read, which are never judged stale.
func owner(name string) (pid int, ours bool) {
	tag := procTag()
	host := tag[:strings.LastIndexByte(tag, '-')]
	i := strings.Index(name, "-"+host+"-")
	if i < 0 {
		return 0, false
	}
	rest := name[i+len(host)+2:]
	j := strings.IndexByte(rest, '-')
	if j < 0 {
		return 0, false
	}
	pid, err := strconv.Atoi(rest[:j])
	if err != nil || pid <= 0 {
		return 0, false
	}
	return pid, true
}

// writeStaged writes a file of the stage: fill through a buffer, flushed,
// synced and closed.
func writeStaged(path string, fill func(w io.Writer) error) error {
	if err := fault("write", path); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeSmall replaces path with text atomically (temporary name, sync, rename).
func writeSmall(path, text string) error {
	return WriteFileAtomic(path, func(w io.Writer) error {
		_, err := io.WriteString(w, text)
		return err
	})
}

// withLock runs fn holding the folder's lock (an exclusive flock on its lock
// file), so that swaps and manifest updates of several processes never mix.
//
// The lock file is removed only with an empty folder that a failed command
// had created (Abort); a process that was waiting on the removed file finds
// that it no longer is the folder's lock and takes the lock again.
func withLock(dir string, fn func() error) error {
	path := filepath.Join(dir, lockName)
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if errors.Is(err, fs.ErrNotExist) && os.MkdirAll(dir, 0o755) == nil {
			f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		}
		if err != nil {
			return err
		}
		if err := lockFile(f, true); err != nil {
			f.Close()
			return fmt.Errorf("locking %s: %w", path, err)
		}
		held, err1 := f.Stat()
		now, err2 := os.Stat(path)
		if err1 != nil || err2 != nil || !os.SameFile(held, now) {
			f.Close() // removed meanwhile: lock the folder's current one
			continue
		}
		err = fn()
		f.Close()
		return err
	}
}

// syncDir makes the renames in dir durable.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}
