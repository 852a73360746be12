package distributions

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The lexer of expressions: numbers, names, punctuation and operators.

type tokKind int

const (
	tEOF tokKind = iota
	tNum
	tIdent
	tLParen
	tRParen
	tLBrack
	tRBrack
	tComma
	tEq
	tPlus
	tMinus
	tStar
	tSlash
	tCaret
	tPercent
)

type token struct {
	kind     tokKind
	off, end int
	num      float64
}

type parser struct {
	s      string
	pos    int
	peeked *token
	opt    *Options // nil: no data sources (empirical inputs are an error)
}

func (p *parser) text(t token) string { return p.s[t.off:t.end] }

// describe renders a token for messages.
func (p *parser) describe(t token) string {
	if t.kind == tEOF {
		return "the end of the expression"
	}
	return strconv.Quote(p.text(t))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || isDigit(c) }

func (p *parser) peek() (token, *SyntaxError) {
	if p.peeked != nil {
		return *p.peeked, nil
	}
	t, err := p.lex()
	if err != nil {
		return t, err
	}
	p.peeked = &t
	return t, nil
}

func (p *parser) next() (token, *SyntaxError) {
	if p.peeked != nil {
		t := *p.peeked
		p.peeked = nil
		return t, nil
	}
	return p.lex()
}

func (p *parser) lex() (token, *SyntaxError) {
	s := p.s
	for p.pos < len(s) && (s[p.pos] == ' ' || s[p.pos] == '\t' || s[p.pos] == '\n' || s[p.pos] == '\r') {
		p.pos++
	}
	start := p.pos
	if start >= len(s) {
		return token{kind: tEOF, off: len(s), end: len(s)}, nil
	}
	c := s[start]
	single := func(k tokKind) (token, *SyntaxError) {
		p.pos++
		return token{kind: k, off: start, end: start + 1}, nil
	}
	switch {
	case c == '(':
		return single(tLParen)
	case c == ')':
		return single(tRParen)
	case c == '[':
		return single(tLBrack)
	case c == ']':
		return single(tRBrack)
	case c == ',':
		return single(tComma)
	case c == '=':
		return single(tEq)
	case c == '+':
		return single(tPlus)
	case c == '-':
		return single(tMinus)
	case c == '*':
		return single(tStar)
	case c == '/':
		return single(tSlash)
	case c == '^':
		return single(tCaret)
	case c == '%':
		return single(tPercent)
	case isDigit(c) || c == '.' && start+1 < len(s) && isDigit(s[start+1]):
		return p.lexNumber()
	case isIdentStart(c):
		for p.pos < len(s) && isIdentChar(s[p.pos]) {
			p.pos++
		}
		return token{kind: tIdent, off: start, end: p.pos}, nil
	}
	r, _ := utf8.DecodeRuneInString(s[start:])
	q := strconv.Quote(string(r))
	if r == utf8.RuneError {
		q = strconv.Quote(s[start : start+1])
	}
	switch r {
	case '\u2212', '\u2013', '\u2014':
		return token{}, errAt(start, `unexpected %s: write a minus sign as "-" and a range as "A to B", e.g. 5 to 10`, q)
	case '\u00d7', '\u00f7':
		return token{}, errAt(start, `unexpected %s: write multiplication as "*" and division as "/"`, q)
	case '"', '\'', '\u201c', '\u201d', '\u2018', '\u2019':
		return token{}, errAt(start, "unexpected quote %s: write the expression without quotes", q)
	}
	return token{}, errAt(start, "unexpected character %s", q)
}

// lexNumber scans an unsigned number: digits with optional underscores
// between them, optional fraction and exponent. A sign is an operator of
// the constant expression around it (expr.go).
func (p *parser) lexNumber() (token, *SyntaxError) {
	s := p.s
	start := p.pos
	i := start
	digits := func() {
		for i < len(s) && (isDigit(s[i]) || s[i] == '_') {
			i++
		}
	}
	digits()
	if i < len(s) && s[i] == '.' {
		i++
		digits()
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			i = j
			digits()
		}
	}
	bad := false
	for i < len(s) && (isIdentChar(s[i]) || s[i] == '.') {
		i++
		bad = true
	}
	p.pos = i
	text := s[start:i]
	if bad {
		return token{}, errAt(start, "%q is not a number; write numbers like 0.25, 3.5e6 or 3_500_000", text)
	}
	for k := 0; k < len(text); k++ {
		if text[k] == '_' && (k == 0 || k+1 >= len(text) || !isDigit(text[k-1]) || !isDigit(text[k+1])) {
			return token{}, errAt(start, "%q is not a valid number: an underscore must sit between two digits, as in 3_500_000", text)
		}
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		if math.IsInf(v, 0) {
			return token{}, errAt(start, "number %q is too large", text)
		}
		return token{}, errAt(start, "%q is not a number", text)
	}
	return token{kind: tNum, off: start, end: i, num: v}, nil
}

func isNonFinite(name string) bool {
	switch strings.ToLower(name) {
	case "nan", "inf", "infinity", "infty":
		return true
	}
	return false
}

func (p *parser) nonFinite(t token) *SyntaxError {
	return errAt(t.off, "%q is not a finite number: every number must be finite", p.text(t))
}

var magnitudeHints = map[string]string{
	"k": "e3", "thousand": "e3", "m": "e6", "mn": "e6", "mm": "e6", "million": "e6",
	"b": "e9", "bn": "e9", "billion": "e9",
}
