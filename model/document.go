package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// A scenario is made in three jobs, each of its own:
//
//  1. reading: a file's text is read and decoded once into a Document (this
//     file): errors of the text itself (Unreadable, Syntax);
//  2. the scenario: Document.Scenario applies the --set overrides to a copy
//     of the Document's tree and validates every value (load.go and the
//     files of the sections), making a Scenario; Scenario.With makes another
//     from the same Document with more overrides, reading and decoding nothing;
//  3. the model: Compile builds the CRM or formula model from a Scenario
//     (compiled.go), never from text.

// MaxFileSize is the largest scenario file crmroi reads.
const MaxFileSize = 10 << 20

// Source is what a scenario was read from: its file's name and text and the
// data files its empirical inputs read, everything needed to re-create the
// scenario where the files are not (a part of a run merged on another
// machine, or read from a pipe that cannot be read twice).
type Source struct {
	File string // as given; DefaultFile for the built-in scenario
	Text []byte
	// Data are the bytes of the data files, by path as resolved against
	// File's folder.
	Data map[string][]byte
}

// Document is a scenario file as read and decoded: its Source and its YAML
// tree, every value with its line and column. Making scenarios from it
// (Scenario, Scenario.With) changes neither; it is safe for concurrent use.
type Document struct {
	src   *Source
	root  *yaml.Node // the top-level mapping
	lines []string   // the text's lines, for the places of errors in expressions
	// disk says whether a data file not in src.Data may be read from the
	// disk (and is then added to it); without it src.Data holds the only
	// data files (a part of a run merged elsewhere).
	disk bool
	mu   sync.Mutex // guards src.Data
}

// ReadDocument reads and decodes a scenario file; file "" means the built-in
// default. The errors of the text (it cannot be read, is no UTF-8 YAML, or
// is not a mapping) are returned as an ErrorList.
func ReadDocument(file string) (*Document, error) {
	src := &Source{File: file, Text: DefaultYAML, Data: map[string][]byte{}}
	if file == "" {
		src.File = DefaultFile
	} else {
		data, err := readLimited(file)
		if err != nil {
			return nil, ErrorList{{Pos: Pos{File: file}, Msg: err.Error(), Code: Unreadable, Key: MsgUnreadable, Args: []any{err}}}
		}
		src.Text = data
	}
	return decodeDocument(src, true)
}

// ParseDocument decodes a scenario's text, reported as read from file;
// its data files are read from the disk when a scenario needs them.
func ParseDocument(file string, data []byte) (*Document, error) {
	return decodeDocument(&Source{File: file, Text: data, Data: map[string][]byte{}}, true)
}

// Source returns what the document was read from; the data files are those
// read so far. The caller must not change it, nor read its Data while a
// scenario is being made from the document (Scenario adds data files to it).
func (d *Document) Source() *Source { return d.src }

// Load reads and validates a scenario file; file "" means the built-in default.
// Every error found is returned, as an ErrorList.
func Load(file string, sets []Set) (*Scenario, error) {
	d, err := ReadDocument(file)
	if err != nil {
		return nil, err
	}
	return d.Scenario(sets)
}

// Parse validates scenario data read from file (used in messages).
func Parse(file string, data []byte, sets []Set) (*Scenario, error) {
	d, err := ParseDocument(file, data)
	if err != nil {
		return nil, err
	}
	return d.Scenario(sets)
}

// LoadSource is Load that also returns the scenario's Source, each file
// read once.
func LoadSource(file string, sets []Set) (*Scenario, *Source, error) {
	d, err := ReadDocument(file)
	if err != nil {
		return nil, nil, err
	}
	s, err := d.Scenario(sets)
	if err != nil {
		return nil, nil, err
	}
	return s, d.src, nil
}

// ParseSource re-creates a scenario from its Source, reading data files only
// from src.Data, never from the disk.
func ParseSource(src *Source, sets []Set) (*Scenario, error) {
	c := *src
	if c.Data == nil {
		c.Data = map[string][]byte{}
	}
	d, err := decodeDocument(&c, false)
	if err != nil {
		return nil, err
	}
	return d.Scenario(sets)
}

// decodeDocument decodes src's text into a Document.
func decodeDocument(src *Source, disk bool) (*Document, error) {
	file, data := src.File, src.Text
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if !utf8.Valid(data) {
		line := 1 + strings.Count(string(data[:firstInvalidUTF8(data)]), "\n")
		return nil, ErrorList{{Pos: Pos{File: file, Line: line}, Msg: "the file is not valid UTF-8 text", Code: Syntax, Key: MsgNotUTF8}}
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) { // an empty file: no document
		doc, err = yaml.Node{}, nil
	}
	if err == nil {
		// A second document (after ---) would be silently ignored.
		var next yaml.Node
		switch e := dec.Decode(&next); {
		case errors.Is(e, io.EOF):
		case e != nil:
			err = e
		default:
			at := &next
			if len(next.Content) > 0 {
				at = next.Content[0]
			}
			return nil, ErrorList{{Pos: Pos{File: file, Line: at.Line, Col: at.Column}, Code: Syntax,
				Msg: "a second YAML document (after ---): a scenario file holds one scenario; put the others in files of their own"}}
		}
	}
	if err != nil {
		// The YAML library's syntax errors are text only: "yaml: line N: what".
		e := &Error{Pos: Pos{File: file, Line: 1}, Msg: "YAML syntax: " + err.Error(), Code: Syntax, Key: MsgYAML, Args: []any{err.Error(), false}}
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			if m[1] != "" {
				e.Pos.Line, _ = strconv.Atoi(m[1])
				e.Pos.Col = 1
			}
			e.Msg = "YAML syntax: " + m[2]
			e.Args = []any{m[2], false}
			if hint := quoteHint(lines, e.Pos.Line); hint != "" {
				e.Args[1] = true
				e.Msg += "; " + hint
			}
		}
		return nil, ErrorList{e}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			root = &yaml.Node{Kind: yaml.MappingNode, Line: 1, Column: 1}
		} else {
			root = root.Content[0]
		}
	}
	if root.Kind == 0 {
		root = &yaml.Node{Kind: yaml.MappingNode, Line: 1, Column: 1}
	}
	if root.Kind != yaml.MappingNode {
		return nil, ErrorList{{Pos: Pos{File: file, Line: root.Line, Col: root.Column},
			Msg: "a scenario must be a mapping of settings and sections (name:, company:, benefits:, …)"}}
	}
	return &Document{src: src, root: root, lines: lines, disk: disk}, nil
}

// cloneTree returns a copy of the YAML tree under n that shares no node with
// it, an alias pointing to the copy of its anchor (each node copied once, so
// an alias bomb costs no more than its text).
func cloneTree(n *yaml.Node) *yaml.Node {
	done := map[*yaml.Node]*yaml.Node{}
	var clone func(*yaml.Node) *yaml.Node
	clone = func(n *yaml.Node) *yaml.Node {
		if n == nil {
			return nil
		}
		if c, ok := done[n]; ok {
			return c
		}
		c := new(yaml.Node)
		*c = *n
		done[n] = c
		if n.Content != nil {
			c.Content = make([]*yaml.Node, len(n.Content))
			for i, k := range n.Content {
				c.Content[i] = clone(k)
			}
		}
		c.Alias = clone(n.Alias)
		return c
	}
	return clone(n)
}

// readLimited reads a scenario file: a regular file, or a pipe that has a
// writer (bash's <(…) gives one). It opens without blocking, since opening a
// FIFO that has no writer blocks forever, refuses devices and sockets, and a
// regular file larger than MaxFileSize before reading it.
func readLimited(file string) ([]byte, error) {
	f, err := os.OpenFile(file, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, userIOError(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, userIOError(err)
	}
	pipe := st.Mode()&os.ModeNamedPipe != 0
	switch {
	case st.IsDir():
		return nil, errors.New("is a directory, not a scenario file")
	case !st.Mode().IsRegular() && !pipe:
		return nil, errors.New("is not a regular file (a device or a socket), not a scenario file")
	case st.Size() > MaxFileSize:
		return nil, fmt.Errorf("larger than the limit of %d MB for a scenario file", MaxFileSize>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, userIOError(err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("larger than the limit of %d MB for a scenario file", MaxFileSize>>20)
	}
	if pipe && len(data) == 0 {
		return nil, errors.New("is a pipe with nothing written to it: a named pipe (FIFO) needs a writer")
	}
	return data, nil
}

func userIOError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// quoteHint returns advice to quote a value that YAML misreads, for a syntax
// error reported at line n (1-based): a value with ": " or " ?" in it (the
// conditional expression "t == 24 ? 2e6 : 0"), or one that starts with a
// character YAML reserves. It looks at line n and the line before.
func quoteHint(lines []string, n int) string {
	for _, i := range []int{n - 1, n - 2} {
		if i < 0 || i >= len(lines) {
			continue
		}
		line := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(lines[i]), "- "))
		key, val, ok := strings.Cut(line, ": ")
		val = strings.TrimSpace(val)
		if !ok || val == "" || strings.ContainsAny(key, " {[") {
			continue
		}
		if strings.Contains(val, ": ") || strings.Contains(val, " ?") || strings.ContainsAny(val[:1], "*&!|>%@`") {
			quoted := strconv.Quote(val)
			if !strings.ContainsAny(val, `"\`) {
				quoted = `"` + val + `"`
			} else if !strings.Contains(val, "'") {
				quoted = "'" + val + "'"
			}
			return fmt.Sprintf("quote the expression, as in %s: %s (line %d)", key, quoted, i+1)
		}
	}
	return ""
}
