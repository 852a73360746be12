package out

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// SamplesFormats are the formats of the samples file, for --samples-format.
var SamplesFormats = []string{"csv", "parquet"}

// ParseSamplesFormats reads a --samples-format value: "csv", "parquet" or
// both, comma-separated ("csv,parquet"), returned in that order, each once.
func ParseSamplesFormats(v string) ([]string, error) {
	seen := map[string]bool{}
	for _, f := range strings.Split(v, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		switch f {
		case "csv", "parquet":
			seen[f] = true
		default:
			return nil, fmt.Errorf("unknown samples format %q (csv, parquet or csv,parquet)", f)
		}
	}
	var formats []string
	for _, f := range SamplesFormats {
		if seen[f] {
			formats = append(formats, f)
		}
	}
	return formats, nil
}

// SamplesLayout names the columns of a samples file: iteration, then outcome
// (the CRM model only: a formula model has no outcome), the uncertain inputs
// (sim.InputNames) and the model's outputs.
type SamplesLayout struct {
	Outcome bool
	Inputs  []string
	Outputs []string
	// CSVLocale is the layout of samples.csv (CSVMachine or CSVRussian).
	CSVLocale string
}

// Header is the CSV header row of the layout.
func (l SamplesLayout) Header() []string {
	head := []string{"iteration"}
	if l.Outcome {
		head = append(head, "outcome")
	}
	head = append(head, l.Inputs...)
	return append(head, l.Outputs...)
}

// blockWriter writes one samples file from the engine's blocks.
type blockWriter interface {
	block(b *sim.Block) error
	close() error // flushes what is buffered and ends the file
}

// pendingFile is a samples file being written to a temporary name.
type pendingFile struct {
	path, tmp string
	f         *os.File
	bw        *bufio.Writer
	w         blockWriter // nil once finished
}

// finish ends the file's content and lets its buffers go.
func (pf *pendingFile) finish() error {
	if pf.w == nil {
		return nil
	}
	err := pf.w.close()
	if err == nil {
		err = pf.bw.Flush()
	}
	pf.w, pf.bw = nil, nil
	return err
}

// SamplesStream writes samples.csv and/or samples.parquet while the engine
// runs, one block of iterations at a time (its Write is a sim.Config.Sink),
// so that memory does not grow with the number of iterations. Every file is
// written to a temporary name in its folder: Commit renames them into place,
// Abort removes them.
type SamplesStream struct {
	dir   string
	files []*pendingFile
	total int
	done  bool
	// outputs is the number of output columns: the model's outputs that
	// are not Internal, which come first in a block.
	outputs int
}

// NewSamplesStream creates the temporary samples files of formats (see
// ParseSamplesFormats) in dir, which must exist, for the layout l. total,
// when known (a run without --tolerance), is the number of iterations: the
// files are ended as soon as the last one arrives, so that their buffers are
// free before the engine computes its statistics; 0 means unknown.
func NewSamplesStream(dir string, formats []string, l SamplesLayout, total int) (*SamplesStream, error) {
	st := &SamplesStream{dir: dir, total: total, outputs: len(l.Outputs)}
	for _, format := range formats {
		name := "samples." + format
		f, err := os.CreateTemp(dir, "."+name+".tmp-*")
		if err != nil {
			st.Abort()
			return nil, err
		}
		pf := &pendingFile{path: filepath.Join(dir, name), tmp: f.Name(), f: f, bw: bufio.NewWriterSize(f, 256<<10)}
		st.files = append(st.files, pf)
		switch format {
		case "csv":
			pf.w, err = newCSVSamples(pf.bw, l)
		case "parquet":
			pf.w, err = newParquetSamples(pf.bw, l, dir, pagePattern(pf.tmp))
		default:
			err = fmt.Errorf("unknown samples format %q", format)
		}
		if err != nil {
			st.Abort()
			return nil, fmt.Errorf("%s: %w", pf.path, err)
		}
	}
	return st, nil
}

// Write appends a block of iterations to every file; it is a sim.Config.Sink.
func (st *SamplesStream) Write(b *sim.Block) error {
	last := st.total > 0 && b.Lo+len(b.Outcomes) >= st.total
	if len(b.Outputs) > st.outputs { // without the Internal outputs after them
		c := *b
		c.Outputs = b.Outputs[:st.outputs]
		b = &c
	}
	for _, pf := range st.files {
		if pf.w == nil {
			return fmt.Errorf("writing %s: iterations after the last one", pf.path)
		}
		if err := pf.w.block(b); err != nil {
			return fmt.Errorf("writing %s: %w", pf.path, err)
		}
		if last {
			if err := pf.finish(); err != nil {
				return fmt.Errorf("writing %s: %w", pf.path, err)
			}
		}
	}
	return nil
}

// Commit ends every file, syncs it and renames it into place, and returns
// their paths. On error every file not yet in place is removed.
func (st *SamplesStream) Commit() ([]string, error) {
	if st.done {
		return nil, errors.New("samples files already committed or aborted")
	}
	var paths []string
	for _, pf := range st.files {
		err := pf.finish()
		if err == nil {
			err = pf.f.Sync()
		}
		if err == nil {
			err = pf.f.Chmod(0o644)
		}
		if cerr := pf.f.Close(); err == nil {
			err = cerr
		}
		pf.f = nil
		if err == nil {
			err = os.Rename(pf.tmp, pf.path)
		}
		if err != nil {
			st.Abort()
			return paths, fmt.Errorf("writing %s: %w", pf.path, err)
		}
		pf.tmp = ""
		paths = append(paths, pf.path)
	}
	st.done = true
	return paths, nil
}

// Abort removes every temporary file; files already in place stay. It may be
// called more than once, and after Commit (then it does nothing).
func (st *SamplesStream) Abort() {
	for _, pf := range st.files {
		if pf.f != nil {
			pf.f.Close()
			pf.f = nil
		}
		if pf.tmp != "" {
			os.Remove(pf.tmp)
			// The parquet writer's page files, left by a run that failed.
			if pages, err := filepath.Glob(filepath.Join(st.dir, strings.ReplaceAll(pagePattern(pf.tmp), "*", "[0-9]*"))); err == nil {
				for _, p := range pages {
					os.Remove(p)
				}
			}
			pf.tmp = ""
		}
	}
	st.done = true
}

// pagePattern names the temporary page files of the samples file whose
// temporary name is tmp: unique to it, hidden, with os.CreateTemp's "*".
func pagePattern(tmp string) string {
	return filepath.Base(tmp) + ".pages-*"
}

// csvSamples writes samples.csv exactly as the in-memory reference writer of
// its tests does: the header through encoding/csv, then rows of
// numbers that never need quoting, formatted as csvNum does.
type csvSamples struct {
	w       io.Writer
	outcome bool
	buf     []byte
	end     io.Closer // the locale writer, if any
}

func newCSVSamples(w io.Writer, l SamplesLayout) (*csvSamples, error) {
	var head strings.Builder
	cw := newCSVWriter(&head)
	if err := cw.Write(l.Header()); err != nil {
		return nil, err
	}
	cw.Flush()
	if l.CSVLocale != CSVMachine {
		lw := NewLocaleCSV(w, l.CSVLocale)
		if _, err := io.WriteString(lw, head.String()); err != nil {
			return nil, err
		}
		return &csvSamples{w: lw, outcome: l.Outcome, end: lw}, nil
	}
	if _, err := io.WriteString(w, head.String()); err != nil {
		return nil, err
	}
	return &csvSamples{w: w, outcome: l.Outcome}, nil
}

func (c *csvSamples) block(b *sim.Block) error {
	buf := c.buf[:0]
	for i := range len(b.Outcomes) {
		buf = strconv.AppendInt(buf, int64(b.Lo+i+1), 10)
		if c.outcome {
			buf = append(buf, ',')
			buf = append(buf, b.Outcomes[i].String()...)
		}
		for _, col := range b.Inputs {
			buf = appendCSVNum(append(buf, ','), col[i])
		}
		for _, col := range b.Outputs {
			buf = appendCSVNum(append(buf, ','), col[i])
		}
		buf = append(buf, '\n')
	}
	c.buf = buf
	_, err := c.w.Write(buf)
	return err
}

func (c *csvSamples) close() error {
	if c.end != nil {
		return c.end.Close()
	}
	return nil
}

// appendCSVNum appends csvNum(v).
func appendCSVNum(buf []byte, v float64) []byte {
	if v != v || v > maxFloat || v < -maxFloat {
		return buf
	}
	return strconv.AppendFloat(buf, v, 'g', -1, 64)
}

// maxFloat is the largest finite float64: beyond it, ±Inf.
const maxFloat = 1.79769313486231570814527423731704356798070e+308

// SampleOutputs names the outputs of a model that the samples files have:
// every output but the Internal ones (the gate's), which come last.
func SampleOutputs(outputs []model.OutputInfo) []string {
	var names []string
	for _, o := range outputs {
		if !o.Internal {
			names = append(names, o.Name)
		}
	}
	return names
}

// SamplesLayoutOf is the samples layout of a simulated scenario whose model
// has the given outputs.
func SamplesLayoutOf(s *model.Scenario, outputs []string) SamplesLayout {
	return SamplesLayout{Outcome: !s.IsFormula(), Inputs: sim.InputNames(s), Outputs: outputs}
}
