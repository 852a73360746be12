package main

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// termWriter is what crmroi prints through: every text it prints may hold
// user input (scenario and file names, values, error messages quoting them),
// and a terminal obeys control characters, so that a scenario named
// "\x1b]0;…\a\x1b[31m" would set the window's title and the colours. It
// writes control characters (C0 but tab and newline, DEL, C1), bidirectional
// overrides and bytes that are not UTF-8 as visible escapes (\x1b, \u202e,
// \xff). JSON printed through it stays the same JSON: its encoder escapes
// C0 already, and \u009b or \u202e are JSON's own escapes.
type termWriter struct {
	w     io.Writer
	carry []byte // the start of a character cut by the end of a Write
}

// newTermWriter wraps w (once).
func newTermWriter(w io.Writer) *termWriter {
	if t, ok := w.(*termWriter); ok {
		return t
	}
	return &termWriter{w: w}
}

// Unwrap is the writer underneath (the progress bar draws on the terminal
// itself).
func (t *termWriter) Unwrap() io.Writer { return t.w }

func (t *termWriter) Write(p []byte) (int, error) {
	data := append(t.carry, p...)
	t.carry = nil
	// A character cut at the end waits for its other bytes.
	for i := len(data) - 1; i >= 0 && i >= len(data)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(data[i]) {
			if !utf8.FullRune(data[i:]) {
				t.carry = append([]byte(nil), data[i:]...)
				data = data[:i]
			}
			break
		}
	}
	if _, err := t.w.Write(neutralise(data)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes a cut character left at the end (as escapes).
func (t *termWriter) Flush() error {
	if len(t.carry) == 0 {
		return nil
	}
	data := t.carry
	t.carry = nil
	_, err := t.w.Write(neutralise(data))
	return err
}

// neutralise is text with its control characters written as escapes.
func neutralise(text []byte) []byte {
	var out []byte
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRune(text[i:])
		var esc string
		switch {
		case r == utf8.RuneError && n <= 1:
			esc = fmt.Sprintf(`\x%02x`, text[i])
		case r == '\n' || r == '\t':
		case r < 0x20 || r == 0x7f:
			esc = fmt.Sprintf(`\x%02x`, r)
		case r >= 0x80 && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			esc = fmt.Sprintf(`\u%04x`, r)
		}
		if esc != "" && out == nil {
			out = append(make([]byte, 0, len(text)+16), text[:i]...)
		}
		switch {
		case esc != "":
			out = append(out, esc...)
		case out != nil:
			out = append(out, text[i:i+n]...)
		}
		i += n
	}
	if out == nil {
		return text
	}
	return out
}
