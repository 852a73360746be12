package distributions

import (
	"math"
	"strconv"
	"strings"
)

// Constant expressions. Wherever a number goes, an expression may be
// written of numbers with + - * / ^, parentheses and percentages (25% is
// 0.25), e.g. "600e6 / 12" or "pert(20%, 25%, 30%)". It is evaluated when
// parsed, in float64 with the usual precedence (^ binds tightest and to the
// right, then a sign, then * and /, then + and -; -2^2 is -4). A percentage
// of a number as written is read as that decimal number divided by 100
// exactly (12.5% and 0.125 are the same float64); of a parenthesised
// expression it is the value divided by 100.

// num is the value of a constant expression and the span it was written in.
type num struct {
	v        float64
	off, end int
	lit      bool // a single number literal
}

// startsNum reports whether t can begin a constant expression.
func startsNum(t token) bool {
	switch t.kind {
	case tNum, tLParen, tPlus, tMinus:
		return true
	}
	return false
}

// parseNum parses a constant expression whose first token t has been read.
func (p *parser) parseNum(t token) (num, *SyntaxError) {
	return p.parseSum(t)
}

// operand reads the token after the operator op, which must begin an operand.
func (p *parser) operand(op token) (token, *SyntaxError) {
	t, err := p.next()
	if err != nil {
		return t, err
	}
	if startsNum(t) {
		return t, nil
	}
	if t.kind == tIdent {
		if isNonFinite(p.text(t)) {
			return t, p.nonFinite(t)
		}
		if nt, _ := p.peek(); nt.kind == tLParen {
			return t, errAt(t.off, "distributions cannot be nested: %s(…) cannot be part of a number", p.text(t))
		}
	}
	return t, errAt(t.off, "expected a number after %s, got %s", p.describe(op), p.describe(t))
}

// check rejects a result that is not a finite number.
func (p *parser) check(e num, op token, rhs float64) (num, *SyntaxError) {
	if math.IsNaN(e.v) || math.IsInf(e.v, 0) {
		if op.kind == tSlash && rhs == 0 {
			return e, errAt(op.off, "division by zero in %q", p.s[e.off:e.end])
		}
		return e, errAt(op.off, "%q is too large to compute", p.s[e.off:e.end])
	}
	return e, nil
}

func (p *parser) parseSum(t token) (num, *SyntaxError) {
	e, err := p.parseTerm(t)
	if err != nil {
		return e, err
	}
	for {
		op, err := p.peek()
		if err != nil {
			return e, err
		}
		if op.kind != tPlus && op.kind != tMinus {
			return e, nil
		}
		p.next()
		t2, err := p.operand(op)
		if err != nil {
			return e, err
		}
		r, err := p.parseTerm(t2)
		if err != nil {
			return e, err
		}
		if op.kind == tPlus {
			e.v += r.v
		} else {
			e.v -= r.v
		}
		e.end, e.lit = r.end, false
		if e, err = p.check(e, op, r.v); err != nil {
			return e, err
		}
	}
}

func (p *parser) parseTerm(t token) (num, *SyntaxError) {
	e, err := p.parseUnary(t)
	if err != nil {
		return e, err
	}
	for {
		op, err := p.peek()
		if err != nil {
			return e, err
		}
		if op.kind != tStar && op.kind != tSlash {
			return e, nil
		}
		p.next()
		t2, err := p.operand(op)
		if err != nil {
			return e, err
		}
		r, err := p.parseUnary(t2)
		if err != nil {
			return e, err
		}
		if op.kind == tStar {
			e.v *= r.v
		} else {
			e.v /= r.v
		}
		e.end, e.lit = r.end, false
		if e, err = p.check(e, op, r.v); err != nil {
			return e, err
		}
	}
}

func (p *parser) parseUnary(t token) (num, *SyntaxError) {
	if t.kind != tPlus && t.kind != tMinus {
		return p.parsePower(t)
	}
	t2, err := p.operand(t)
	if err != nil {
		return num{}, err
	}
	e, err := p.parseUnary(t2)
	if err != nil {
		return e, err
	}
	if t.kind == tMinus {
		e.v = -e.v
	}
	e.off, e.lit = t.off, false
	return e, nil
}

func (p *parser) parsePower(t token) (num, *SyntaxError) {
	e, err := p.parsePercent(t)
	if err != nil {
		return e, err
	}
	op, err := p.peek()
	if err != nil || op.kind != tCaret {
		return e, err
	}
	p.next()
	t2, err := p.operand(op)
	if err != nil {
		return e, err
	}
	r, err := p.parseUnary(t2) // right-associative: 2^3^2 is 2^9
	if err != nil {
		return e, err
	}
	e.v = math.Pow(e.v, r.v)
	e.end, e.lit = r.end, false
	return p.check(e, op, r.v)
}

func (p *parser) parsePercent(t token) (num, *SyntaxError) {
	e, err := p.parsePrimary(t)
	if err != nil {
		return e, err
	}
	pc, err := p.peek()
	if err != nil || pc.kind != tPercent {
		return e, err
	}
	p.next()
	if e.lit {
		e.v = percentOf(p.s[e.off:e.end])
	} else {
		e.v /= 100
	}
	e.end, e.lit = pc.end, false
	return e, nil
}

func (p *parser) parsePrimary(t token) (num, *SyntaxError) {
	switch t.kind {
	case tNum:
		return num{v: t.num, off: t.off, end: t.end, lit: true}, nil
	case tLParen:
		t2, err := p.operand(t)
		if err != nil {
			return num{}, err
		}
		e, err := p.parseSum(t2)
		if err != nil {
			return e, err
		}
		cl, err := p.next()
		if err != nil {
			return e, err
		}
		if cl.kind != tRParen {
			if cl.kind == tEOF {
				return e, errAt(t.off, `missing ")" to close "("`)
			}
			return e, errAt(cl.off, `expected ")" or an operator (+ - * / ^), got %s`, p.describe(cl))
		}
		e.off, e.end, e.lit = t.off, cl.end, false
		return e, nil
	}
	return num{}, errAt(t.off, "expected a number, got %s", p.describe(t))
}

// percentOf is the number written text (digits, fraction, exponent,
// underscores) divided by 100 exactly, rounded once: "12.5" gives the
// float64 nearest to 0.125, as "0.125" does.
func percentOf(text string) float64 {
	t := strings.ReplaceAll(text, "_", "")
	if i := strings.IndexAny(t, "eE"); i >= 0 {
		e, err := strconv.Atoi(t[i+1:])
		if err != nil || e < -1e6 || e > 1e6 {
			v, _ := strconv.ParseFloat(t, 64)
			return v / 100
		}
		t = t[:i] + "e" + strconv.Itoa(e-2)
	} else {
		t += "e-2"
	}
	v, _ := strconv.ParseFloat(t, 64)
	return v
}

// evalNum evaluates s as one constant expression (used for the values of
// empirical's min= and max=, which are read as text); the error's offset is
// within s.
func evalNum(s string) (float64, *SyntaxError) {
	p := &parser{s: s}
	t, err := p.next()
	if err != nil {
		return 0, err
	}
	if !startsNum(t) {
		if t.kind == tIdent && isNonFinite(p.text(t)) {
			return 0, p.nonFinite(t)
		}
		return 0, errAt(t.off, "expected a number, got %s", p.describe(t))
	}
	e, err := p.parseNum(t)
	if err != nil {
		return 0, err
	}
	end, err := p.next()
	if err != nil {
		return 0, err
	}
	if end.kind != tEOF {
		return 0, errAt(end.off, "unexpected %s after the number %q", p.describe(end), p.s[e.off:e.end])
	}
	return e.v, nil
}
