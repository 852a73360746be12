package distributions

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// SyntaxError is a user error in an expression.
//
// Offset is the 0-based byte offset in the input where the problem is: the
// start of the offending token or argument, or 0 when the problem concerns
// the whole expression (for example a missing argument). It is always
// between 0 and len(input). Msg is a one-line sentence in the user's terms,
// quoting the offending text, e.g.
//
//	pert needs min ≤ mode ≤ max, got pert(5e6, 3.5e6, 7e6)
//
// Error returns Msg alone; callers that know where the expression came from
// add the file, line, column (column of the expression + Offset) and
// parameter path in front.
type SyntaxError struct {
	Offset int
	Msg    string
}

// Error returns the message, without position.
func (e *SyntaxError) Error() string { return e.Msg }

const (
	// maxInput is the longest expression Parse accepts.
	maxInput = 1 << 20
	// maxList is the most values a discrete list may hold.
	maxList = 10000
)

func errAt(off int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// arg is one argument of a call.
type arg struct {
	name     string // lower-case name, "" for positional
	nameOff  int
	off, end int // span of the value
	num      float64
	isList   bool
	list     []float64
	listOffs []int
	listEnds []int
	pos      int // index of the argument among all arguments
}

// call is a parsed family(arg, …).
type call struct {
	fam    string
	off    int // offset of the family name
	lparen int
	args   []*arg
	p      *parser
}

// raw is the argument as the user wrote it, e.g. "min=5e6" or "3.5e6".
func (c *call) raw(a *arg) string {
	v := c.p.s[a.off:a.end]
	if a.isList {
		v = strings.Join(strings.Fields(v), " ")
	}
	if a.name != "" {
		return a.name + "=" + v
	}
	return v
}

// source renders the call as the user wrote it, e.g. "pert(5e6, 3.5e6, 7e6)".
func (c *call) source() string {
	parts := make([]string, len(c.args))
	for i, a := range c.args {
		parts[i] = c.raw(a)
	}
	return c.fam + "(" + strings.Join(parts, ", ") + ")"
}

// parseValue parses a number (a constant expression) or a [list] after the
// argument name (if any).
func (p *parser) parseValue(c *call, a *arg) *SyntaxError {
	t, err := p.next()
	if err != nil {
		return err
	}
	a.off, a.end = t.off, t.end
	switch t.kind {
	case tNum, tLParen, tPlus, tMinus:
		e, err := p.parseNum(t)
		if err != nil {
			return err
		}
		a.num, a.end = e.v, e.end
		return nil
	case tLBrack:
		a.isList = true
		for {
			e, err := p.next()
			if err != nil {
				return err
			}
			switch e.kind {
			case tRBrack:
				if len(a.list) == 0 {
					a.end = e.end
					return nil
				}
				return errAt(e.off, `expected a number after "," in the list`)
			case tNum, tLParen, tPlus, tMinus:
			case tEOF:
				return errAt(t.off, `missing "]" to close the list`)
			case tIdent:
				if isNonFinite(p.text(e)) {
					return p.nonFinite(e)
				}
				return errAt(e.off, "expected a number in the list, got %s", p.describe(e))
			case tLBrack:
				return errAt(e.off, "lists cannot be nested")
			default:
				return errAt(e.off, "expected a number in the list, got %s", p.describe(e))
			}
			if len(a.list) >= maxList {
				return errAt(e.off, "a list can hold at most %d values", maxList)
			}
			v, err := p.parseNum(e)
			if err != nil {
				return err
			}
			a.list = append(a.list, v.v)
			a.listOffs = append(a.listOffs, v.off)
			a.listEnds = append(a.listEnds, v.end)
			sep, err := p.next()
			if err != nil {
				return err
			}
			switch sep.kind {
			case tComma:
				continue
			case tRBrack:
				a.end = sep.end
				return nil
			case tEOF:
				return errAt(t.off, `missing "]" to close the list`)
			default:
				return errAt(sep.off, `expected "," or "]" in the list, got %s`, p.describe(sep))
			}
		}
	case tIdent:
		if isNonFinite(p.text(t)) {
			return p.nonFinite(t)
		}
		if nt, _ := p.peek(); nt.kind == tLParen {
			return errAt(t.off, "distributions cannot be nested: %s(…) cannot be an argument", p.text(t))
		}
		return errAt(t.off, "expected a number, got %s", p.describe(t))
	case tEOF:
		return errAt(c.lparen, `missing ")" to close "%s("`, c.fam)
	case tComma, tRParen:
		if a.name != "" {
			return errAt(t.off, "missing value after %q", a.name+"=")
		}
		return errAt(t.off, "expected an argument before %s", p.describe(t))
	}
	return errAt(t.off, "expected a number, got %s", p.describe(t))
}

// parseCall parses the argument list after "family(".
func (p *parser) parseCall(c *call) *SyntaxError {
	t, err := p.peek()
	if err != nil {
		return err
	}
	if t.kind == tRParen {
		p.next()
		return nil
	}
	for {
		a := &arg{pos: len(c.args)}
		t, err := p.peek()
		if err != nil {
			return err
		}
		if t.kind == tIdent && !isNonFinite(p.text(t)) {
			p.next()
			eq, err := p.peek()
			if err != nil {
				return err
			}
			if eq.kind == tEq {
				p.next()
				a.name = strings.ToLower(p.text(t))
				a.nameOff = t.off
			} else {
				if eq.kind == tLParen {
					return errAt(t.off, "distributions cannot be nested: %s(…) cannot be an argument", p.text(t))
				}
				return errAt(t.off, `expected a number or name=value, got %s`, p.describe(t))
			}
		} else if t.kind == tEq {
			return errAt(t.off, `missing argument name before "="`)
		}
		if err := p.parseValue(c, a); err != nil {
			return err
		}
		if a.name == "" {
			a.nameOff = a.off
		}
		c.args = append(c.args, a)
		sep, err := p.next()
		if err != nil {
			return err
		}
		switch sep.kind {
		case tComma:
			continue
		case tRParen:
			return nil
		case tEOF:
			return errAt(c.lparen, `missing ")" to close "%s("`, c.fam)
		case tEq:
			return errAt(sep.off, `unexpected "=": only a name can come before "=", as in min=5`)
		default:
			return errAt(sep.off, `expected "," or ")" after an argument, got %s`, p.describe(sep))
		}
	}
}

// Parse parses one expression of distributions.md: a number ("0.25",
// "3.5e6", "3_500_000"), a family call such as "pert(0.2, 0.25, 0.3)" or a
// range "A to B". On error it returns a *SyntaxError.
//
// Family names, argument names and "to" are case-insensitive. Arguments are
// positional in the documented order or named (min=…); positional arguments
// come first. The families and their arguments are described in the package
// documentation.
func Parse(s string) (Dist, error) {
	d, err := parse(s, nil)
	if err != nil {
		return nil, err
	}
	return d, nil
}

func parse(s string, opt *Options) (Dist, *SyntaxError) {
	if len(s) > maxInput {
		return nil, errAt(0, "expression is too long (%d bytes; at most %d)", len(s), maxInput)
	}
	p := &parser{s: s, opt: opt}
	t, err := p.next()
	if err != nil {
		return nil, err
	}
	var d Dist
	switch t.kind {
	case tEOF:
		return nil, errAt(0, "empty expression: write a number such as 0.25 or a distribution such as pert(0.2, 0.25, 0.3)")
	case tNum, tLParen, tPlus, tMinus:
		d, err = p.parseNumberOrRange(t)
	case tIdent:
		d, err = p.parseFamily(t)
	case tRParen, tRBrack:
		return nil, errAt(t.off, "unbalanced %s: nothing to close", p.describe(t))
	default:
		return nil, errAt(t.off, "unexpected %s: expected a number or a distribution such as pert(0.2, 0.25, 0.3)", p.describe(t))
	}
	if err != nil {
		return nil, err
	}
	if err := sane(d, t.off); err != nil {
		return nil, err
	}
	return d, nil
}

// sane rejects parameter combinations whose values cannot be computed in
// floating point (overflow), so that nothing downstream sees Inf or NaN.
func sane(d Dist, off int) *SyntaxError {
	if d.Fixed() {
		return nil
	}
	vals := []float64{d.Mean(), d.Plan()}
	if lo, hi := d.Support(); math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		// bounded supports are checked to be finite when parsed
		vals = append(vals, d.Quantile(0.5), d.Quantile(0.001), d.Quantile(0.999))
	}
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errAt(off, "%s gives values too large to compute", d.String())
		}
	}
	if w := spread(d); w > 0 && w < MinSpread {
		return errAt(off, "%s: its values differ by less than %s (by %s), too little to compute: the squares of such differences leave float64's range; rescale the parameter or write a fixed number", d.String(), formatNum(MinSpread), strconv.FormatFloat(w, 'g', 3, 64))
	}
	return nil
}

// MinSpread is the smallest spread a distribution may have (its
// interquartile range, or the width of its support when that range is 0):
// below it, variances (squares of differences) and the tables of the fast
// quantile underflow; subnormal scales such as normal(0, 1e-310) are
// refused rather than sampled wrongly.
const MinSpread = 1e-100

// spread is the interquartile range of d, or the width of its support when
// that is 0.
func spread(d Dist) float64 {
	if w := d.Quantile(0.75) - d.Quantile(0.25); w > 0 {
		return w
	}
	lo, hi := d.Support()
	return hi - lo
}

// expectEnd checks that nothing follows a complete expression but a cut
// (", min=…, max=…"), and applies the cut to d. after describes what came
// before, raw is the number just read (for a hint such as "write 5e6"), or
// "".
func (p *parser) expectEnd(d Dist, after, raw string) (Dist, *SyntaxError) {
	tail, err := p.parseTail(after, raw)
	if err != nil {
		return nil, err
	}
	return tail.apply(d)
}

// tail is the cut written after a form, with the offsets and texts of its
// min= and max= values for messages.
type tail struct {
	cut   cutSpec
	offs  [2]int
	texts [2]string
}

// parseTail parses what follows a complete form: nothing, or a cut.
func (p *parser) parseTail(after, raw string) (*tail, *SyntaxError) {
	tl := &tail{}
	for {
		t, err := p.next()
		if err != nil {
			return nil, err
		}
		switch t.kind {
		case tEOF:
			return tl, nil
		case tComma:
			if err := p.parseCutArg(&tl.cut, &tl.offs, &tl.texts, after); err != nil {
				return nil, err
			}
			i := 1
			if !tl.cut.hasHi || tl.cut.hasLo && tl.offs[0] > tl.offs[1] {
				i = 0
			}
			after = strconv.Quote(p.s[:tl.offs[i]+len(tl.texts[i])-4])
			raw = ""
			continue
		case tRParen, tRBrack:
			return nil, errAt(t.off, "unbalanced %s after %s", p.describe(t), after)
		case tIdent:
			if h, ok := magnitudeHints[strings.ToLower(p.text(t))]; ok && raw != "" {
				return nil, errAt(t.off, "unexpected %s after %s: write %s%s instead", p.describe(t), after, raw, h)
			}
		}
		return nil, errAt(t.off, "unexpected %s after %s: an expression is one number, one distribution or one range \"A to B\", optionally cut with \", min=…, max=…\"", p.describe(t), after)
	}
}

// parseCutArg parses "min=…" or "max=…" after a comma that follows a
// complete form.
func (p *parser) parseCutArg(cut *cutSpec, offs *[2]int, texts *[2]string, after string) *SyntaxError {
	n, err := p.next()
	if err != nil {
		return err
	}
	name := ""
	if n.kind == tIdent {
		name = strings.ToLower(p.text(n))
	}
	if name != "min" && name != "max" {
		return errAt(n.off, "after %s a comma can only bring a cut, min=… and/or max…=, as in 0.7 to 0.9, max=1; got %s", after, p.describe(n))
	}
	eq, err := p.next()
	if err != nil {
		return err
	}
	if eq.kind != tEq {
		return errAt(eq.off, `expected "=" after %q, as in %s=1`, p.text(n), name)
	}
	v, err := p.next()
	if err != nil {
		return err
	}
	if !startsNum(v) {
		if v.kind == tIdent && isNonFinite(p.text(v)) {
			return p.nonFinite(v)
		}
		return errAt(v.off, "missing value after %q", name+"=")
	}
	e, err := p.parseNum(v)
	if err != nil {
		return err
	}
	i := 0
	if name == "max" {
		i = 1
	}
	if (i == 0 && cut.hasLo) || (i == 1 && cut.hasHi) {
		return errAt(n.off, "the cut gets %q twice", name)
	}
	offs[i], texts[i] = e.off, name+"="+p.s[e.off:e.end]
	if i == 0 {
		cut.lo, cut.hasLo = e.v, true
	} else {
		cut.hi, cut.hasHi = e.v, true
	}
	return nil
}

// apply cuts d as written after it.
func (tl *tail) apply(d Dist) (Dist, *SyntaxError) {
	cut, offs, texts := tl.cut, tl.offs, tl.texts
	if cut.none() {
		return d, nil
	}
	if cut.hasLo && cut.hasHi && !(cut.lo <= cut.hi) {
		return nil, errAt(offs[1], "a cut needs min ≤ max, got %s, %s", texts[0], texts[1])
	}
	lo, hi := cut.bounds()
	c, err := cutDist(d, lo, hi)
	if err != nil {
		off, what := offs[1], texts[1]
		if cut.hasLo {
			off, what = offs[0], texts[0]
			if cut.hasHi {
				what += ", " + texts[1]
			}
		}
		if errors.Is(err, errNoMass) {
			return nil, errAt(off, "the cut %s leaves no probability mass of %s", what, d)
		}
		return nil, errAt(off, "%s", err.Error())
	}
	return c, nil
}

func (p *parser) parseNumberOrRange(a token) (Dist, *SyntaxError) {
	ea, err := p.parseNum(a)
	if err != nil {
		return nil, err
	}
	ta := p.s[ea.off:ea.end]
	t, err := p.peek()
	if err != nil {
		return nil, err
	}
	if t.kind != tIdent || strings.ToLower(p.text(t)) != "to" {
		return p.expectEnd(&fixed{v: ea.v}, strconv.Quote(ta), ta)
	}
	p.next()
	b, err := p.next()
	if err != nil {
		return nil, err
	}
	if !startsNum(b) {
		if b.kind == tIdent && isNonFinite(p.text(b)) {
			return nil, p.nonFinite(b)
		}
		return nil, errAt(b.off, `expected a number after "to", as in 5 to 10, got %s`, p.describe(b))
	}
	eb, err := p.parseNum(b)
	if err != nil {
		return nil, err
	}
	tb := p.s[eb.off:eb.end]
	src := ta + " to " + tb
	A, B := ea.v, eb.v
	if !(A < B) {
		return nil, errAt(eb.off, `"A to B" needs A < B, got %s`, src)
	}
	if nt, _ := p.peek(); nt.kind == tIdent && strings.ToLower(p.text(nt)) == "to" {
		return nil, errAt(nt.off, "unexpected %s after %s: an expression is one number, one distribution or one range \"A to B\"", p.describe(nt), strconv.Quote(src))
	}
	str := formatNum(A) + " to " + formatNum(B)
	d, _ := rangeDist(A, B, str)
	return p.expectEnd(d, strconv.Quote(src), tb)
}

func (p *parser) parseFamily(t token) (Dist, *SyntaxError) {
	name := strings.ToLower(p.text(t))
	if isNonFinite(name) {
		return nil, p.nonFinite(t)
	}
	if name == "empirical" {
		return p.parseEmpirical(t)
	}
	known := false
	for _, f := range knownFamilies {
		if f == name {
			known = true
		}
	}
	nt, err := p.peek()
	if err != nil {
		return nil, err
	}
	if nt.kind != tLParen {
		switch {
		case known:
			return nil, errAt(nt.off, "%s needs its arguments in parentheses, e.g. %s", name, familyUsage[name])
		case name == "to":
			return nil, errAt(t.off, `"to" needs a number before it, as in 5 to 10`)
		}
		return nil, errAt(t.off, "expected a number or a distribution such as pert(0.2, 0.25, 0.3), got %s", p.describe(t))
	}
	if !known {
		return nil, errAt(t.off, `unknown distribution %q; known: %s (and "A to B")`, p.text(t), strings.Join(knownFamilies, ", "))
	}
	p.next()
	c := &call{fam: name, off: t.off, lparen: nt.off, p: p}
	if err := p.parseCall(c); err != nil {
		return nil, err
	}
	// Syntax errors after the call come before the call's own errors.
	tl, err := p.parseTail(name+"(…)", "")
	if err != nil {
		return nil, err
	}
	d, err := build(c)
	if err != nil {
		return nil, err
	}
	return tl.apply(d)
}

// bound holds the arguments of a call by name.
type bound struct {
	c    *call
	by   map[string]*arg
	pcts []*arg // pXX arguments, for normal and lognormal
}

func (b *bound) has(name string) bool { _, ok := b.by[name]; return ok }

// num returns the numeric value of a named argument, or def when absent.
func (b *bound) num(name string, def float64) (float64, *SyntaxError) {
	a, ok := b.by[name]
	if !ok {
		return def, nil
	}
	if a.isList {
		return 0, errAt(a.off, "%s's %s must be a number, not a list", b.c.fam, name)
	}
	return a.num, nil
}

// list returns the values of a list argument.
func (b *bound) list(name string) (*arg, *SyntaxError) {
	a, ok := b.by[name]
	if !ok {
		return nil, nil
	}
	if !a.isList {
		return nil, errAt(a.off, "%s's %s must be a list such as [1, 2, 3], got %s", b.c.fam, name, b.c.raw(a))
	}
	return a, nil
}

// pctNum parses "pXX" (XX from 1 to 99); ok is false if name is not of
// that shape.
func pctNum(name string) (xx int, ok bool, err string) {
	if len(name) < 2 || name[0] != 'p' {
		return 0, false, ""
	}
	for i := 1; i < len(name); i++ {
		if !isDigit(name[i]) {
			return 0, false, ""
		}
	}
	n, e := strconv.Atoi(name[1:])
	if e != nil || n < 1 || n > 99 {
		return 0, true, fmt.Sprintf("percentile %q must be between p1 and p99", name)
	}
	return n, true, ""
}

// bind assigns arguments to names. pos lists the positional names in order,
// of which the first nreq are required; opt lists names accepted only by
// name; pct says whether pXX names are accepted.
func (c *call) bind(pos []string, nreq int, opt []string, pct bool) (*bound, *SyntaxError) {
	b := &bound{c: c, by: map[string]*arg{}}
	seenNamed := false
	npos := 0
	allNames := append(append([]string{}, pos...), opt...)
	if pct {
		allNames = append(allNames, "pXX (percentiles, e.g. p10=…)")
	}
	pctSeen := map[int]*arg{}
	for _, a := range c.args {
		name := a.name
		if name == "" {
			if len(pos) == 0 {
				return nil, errAt(a.off, "%s takes named arguments only, e.g. %s", c.fam, familyUsage[c.fam])
			}
			if seenNamed {
				return nil, errAt(a.off, "positional argument %s after named ones: write it as name=value", c.raw(a))
			}
			if npos >= len(pos) {
				msg := fmt.Sprintf("%s takes %s, got %d", c.fam, countPhrase(pos, nreq), len(c.args))
				if len(opt) > 0 {
					msg += fmt.Sprintf("; give %s by name, e.g. %s=…", strings.Join(opt, " or "), opt[0])
				}
				return nil, errAt(a.off, "%s", msg)
			}
			name = pos[npos]
			npos++
		} else {
			seenNamed = true
			known := false
			for _, n := range pos {
				known = known || n == name
			}
			for _, n := range opt {
				known = known || n == name
			}
			if !known && pct {
				xx, isPct, msg := pctNum(name)
				if isPct {
					if msg != "" {
						return nil, errAt(a.nameOff, "%s", msg)
					}
					if prev, dup := pctSeen[xx]; dup {
						return nil, errAt(a.nameOff, "%s gives percentile %d twice (%s and %s)", c.fam, xx, prev.name, a.name)
					}
					pctSeen[xx] = a
					b.pcts = append(b.pcts, a)
					continue
				}
			}
			if !known {
				return nil, errAt(a.nameOff, "%s has no argument %q; its arguments are %s", c.fam, name, strings.Join(allNames, ", "))
			}
		}
		if prev, dup := b.by[name]; dup {
			if prev.name == "" && (name == "min" || name == "max") {
				return nil, errAt(a.nameOff, "%s already has %s as its own parameter (%s); %s cannot be truncated with min=/max= inside its parentheses: write the cut after it, as in %s, %s", c.fam, name, c.raw(prev), c.fam, familyUsage[c.fam], c.raw(a))
			}
			return nil, errAt(a.nameOff, "%s gets %q twice", c.fam, name)
		}
		b.by[name] = a
	}
	var missing []string
	for _, n := range pos[:nreq] {
		if !b.has(n) {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, errAt(c.off, "%s takes %s, got %d (missing %s)", c.fam, countPhrase(pos, nreq), len(c.args), strings.Join(missing, ", "))
	}
	return b, nil
}

// countPhrase renders "3 arguments (min, mode, max)".
func countPhrase(pos []string, nreq int) string {
	if nreq == 0 {
		nreq = len(pos)
	}
	word := "arguments"
	if nreq == 1 {
		word = "argument"
	}
	s := fmt.Sprintf("%d %s (%s)", nreq, word, strings.Join(pos[:nreq], ", "))
	if len(pos) > nreq {
		s += fmt.Sprintf(" and optionally %s", strings.Join(pos[nreq:], ", "))
	}
	return s
}

// nums fetches several numeric arguments at once.
func (b *bound) nums(names ...string) ([]float64, *SyntaxError) {
	out := make([]float64, len(names))
	for i, n := range names {
		v, err := b.num(n, math.NaN())
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// off returns the offset of a named argument's value, or of the call.
func (b *bound) off(name string) int {
	if a, ok := b.by[name]; ok {
		return a.off
	}
	return b.c.off
}
