package model

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a place in a scenario file (1-based line and column). A value given
// on the command line with --set has File "--set", Line the flag's number and
// Col the column in its NAME=VALUE text.
type Pos struct {
	File      string
	Line, Col int
}

// String formats the position as file:line:col.
func (p Pos) String() string {
	switch {
	case p.Line <= 0:
		return p.File
	case p.Col <= 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Code says what kind of mistake an Error is, for a program that acts on it:
// the message is for people, and its words may change.
type Code uint8

// The kinds of Error.
const (
	// Invalid is a value or a structure the specification does not allow
	// (the default).
	Invalid Code = iota
	// UnknownName is a name that is no parameter, setting, section, key of a
	// section or input: in the file, in --set or in correlations and groups.
	UnknownName
	// Syntax is a file that is not UTF-8 YAML text.
	Syntax
	// Unreadable is a scenario file that cannot be read.
	Unreadable
)

// Error is a user error in a scenario: where it is, which parameter, what is wrong.
type Error struct {
	Pos  Pos
	Path string // parameter path, e.g. "costs.one_off"; may be empty
	Msg  string
	Code Code // what kind of mistake it is
	// Fixes are the expressions the message suggests as the parameter's
	// value, each accepted by the parameter as it is written.
	Fixes []string
	// Key and Args say the message again for its translation (MsgKey):
	// which message it is and what it says; MsgNone where it has none.
	Key  MsgKey
	Args []any
}

// Error formats the error as "file:line:col: path: message".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String())
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every error found in one or more scenarios, in file order.
type ErrorList []*Error

// Error joins the errors, one per line.
func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap returns the individual errors.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// sortErrors puts the errors of scenario file in file order: those in the
// file by line and column, then those in other files (data files), then
// those of --set flags, keeping the order found among errors at one place.
func sortErrors(errs ErrorList, file string) {
	rank := func(p Pos) int {
		switch p.File {
		case file:
			return 0
		case "--set":
			return 2
		}
		return 1
	}
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i].Pos, errs[j].Pos
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line { // errors of the whole file (line 0) last
			return a.Line != 0 && (b.Line == 0 || a.Line < b.Line)
		}
		return a.Col < b.Col
	})
}

// suggest returns " (did you mean X?)" for the candidate closest to s, or "" when none is close.
func suggest(s string, candidates []string) string {
	if best := nearest(s, candidates); best != "" {
		return fmt.Sprintf(" (did you mean %s?)", best)
	}
	return ""
}

// nearest returns the candidate closest to s, or "" when none is close.
func nearest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		// A suffix match ("margin" for "company.margin") is a strong hint too.
		if strings.HasSuffix(c, "."+s) {
			d = 0
		}
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := len(s)/3 + 1
	if best == "" || bestD > limit {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	if len(a) > 256 || len(b) > 256 {
		return 1 << 20
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
