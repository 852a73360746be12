package distributions

import (
	"errors"
	"math"
	"strings"
)

// Options are what ParseWith may use beyond the expression itself.
type Options struct {
	// Empirical resolves an empirical(…) expression: it reads the data the
	// reference names and returns the distribution (usually from
	// NewEmpirical, or a fitted family wrapped by WithSource). Its String
	// must be ref.Expr of the data's SHA-256. When nil, empirical inputs are
	// a *SyntaxError: they need a scenario file to be read relative to.
	Empirical func(ref EmpiricalRef) (Dist, error)

	err error // the error Empirical returned, passed through unchanged
}

// EmpiricalRef is a parsed empirical(file=…, column=…, …) expression.
type EmpiricalRef struct {
	// File is the data file as written (CSV, or .xlsx with Sheet); a
	// relative path is relative to the scenario file.
	File string
	// Column is the name of the column in the header row; "" means the
	// file's only column.
	Column string
	// Sheet is the worksheet of an .xlsx file ("" for the first one).
	Sheet string
	// Smooth is true for smooth=kde: a Gaussian kernel density instead of
	// resampling the values themselves.
	Smooth bool
	// Fit is a family name (normal, lognormal, gamma, weibull, beta,
	// triangular, pert, uniform) or "best": fit that family to the data by
	// maximum likelihood and use it; "" uses the data themselves.
	Fit string
	// Min and Max cut a kernel density to [Min, Max] (±Inf when absent).
	Min, Max float64
	// SHA256 is the sha256= argument as written (a hex prefix of the data's
	// SHA-256, checked against the data), "" when absent.
	SHA256 string
	// Off is the byte offset of the expression's file= value, for errors.
	Off int
}

// SHA256Len is the number of hex digits of the data's SHA-256 that an
// empirical input's canonical expression carries.
const SHA256Len = 16

// quoteArg writes a value bare when it can be read back bare, else quoted.
func quoteArg(v string) string {
	if v != "" && !strings.ContainsAny(v, ",()=\"' \t\n\r") {
		return v
	}
	if !strings.Contains(v, `"`) {
		return `"` + v + `"`
	}
	return "'" + v + "'"
}

// Expr is the canonical expression of the reference with the data's
// SHA-256 sha (hex; its first SHA256Len digits are kept), e.g.
// "empirical(file=history.csv, column=churn, sha256=1f0c…)". Parsing it back
// with the same data gives the same distribution; with other data, an error.
func (r EmpiricalRef) Expr(sha string) string {
	var b strings.Builder
	b.WriteString("empirical(file=" + quoteArg(r.File))
	if r.Column != "" {
		b.WriteString(", column=" + quoteArg(r.Column))
	}
	if r.Sheet != "" {
		b.WriteString(", sheet=" + quoteArg(r.Sheet))
	}
	if r.Smooth {
		b.WriteString(", smooth=kde")
	}
	if !math.IsInf(r.Min, -1) {
		b.WriteString(", min=" + formatNum(r.Min))
	}
	if !math.IsInf(r.Max, 1) {
		b.WriteString(", max=" + formatNum(r.Max))
	}
	if r.Fit != "" {
		b.WriteString(", fit=" + r.Fit)
	}
	if len(sha) > SHA256Len {
		sha = sha[:SHA256Len]
	}
	if sha != "" {
		b.WriteString(", sha256=" + sha)
	}
	b.WriteString(")")
	return b.String()
}

// ParseWith is Parse with opt: with opt.Empirical set, expressions may also
// be empirical(file=…, column=…[, sheet=…][, smooth=kde[, min=…, max=…]]
// [, fit=FAMILY|best][, sha256=HEX]). An error of opt.Empirical is returned
// unchanged; every other error is a *SyntaxError.
func ParseWith(s string, opt Options) (Dist, error) {
	d, err := parse(s, &opt)
	if opt.err != nil {
		return nil, opt.err
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// parseEmpirical parses "empirical(name=value, …)" after the family name
// t. Values are bare text up to the next "," or ")" (trimmed), or quoted
// with "…" or '…' (no escapes), so that file names need no quoting.
func (p *parser) parseEmpirical(t token) (Dist, *SyntaxError) {
	s := p.s
	i := t.end
	skip := func() {
		for i < len(s) && strings.IndexByte(" \t\r\n", s[i]) >= 0 {
			i++
		}
	}
	const usage = "empirical(file=history.csv, column=churn)"
	skip()
	if i >= len(s) || s[i] != '(' {
		return nil, errAt(min(i, len(s)), "empirical needs its arguments in parentheses, e.g. %s", usage)
	}
	lparen := i
	i++
	ref := EmpiricalRef{Min: math.Inf(-1), Max: math.Inf(1)}
	seen := map[string]int{}
	offs := map[string]int{}
	skip()
	if i < len(s) && s[i] == ')' {
		return nil, errAt(t.off, "empirical needs at least file=, e.g. %s", usage)
	}
	for {
		skip()
		nameOff := i
		for i < len(s) && isIdentChar(s[i]) {
			i++
		}
		name := strings.ToLower(s[nameOff:i])
		skip()
		if name == "" || i >= len(s) || s[i] != '=' {
			if i >= len(s) {
				return nil, errAt(lparen, `missing ")" to close "empirical("`)
			}
			return nil, errAt(nameOff, "empirical takes named arguments only, e.g. %s", usage)
		}
		i++
		skip()
		valOff := i
		var val string
		if i < len(s) && (s[i] == '"' || s[i] == '\'') {
			q := s[i]
			end := strings.IndexByte(s[i+1:], q)
			if end < 0 {
				return nil, errAt(i, "missing closing quote %c", q)
			}
			val = s[i+1 : i+1+end]
			i += end + 2
		} else {
			for i < len(s) && s[i] != ',' && s[i] != ')' {
				i++
			}
			val = strings.TrimSpace(s[valOff:i])
			if q := strings.IndexAny(val, `"'`); q >= 0 {
				// a quote inside a bare value could not be written back
				return nil, errAt(valOff+q, `a quote inside a value: write the whole value in quotes, "…" or '…'`)
			}
		}
		if val == "" {
			return nil, errAt(valOff, "missing value after %q", name+"=")
		}
		if _, dup := seen[name]; dup {
			return nil, errAt(nameOff, "empirical gets %q twice", name)
		}
		seen[name] = nameOff
		offs[name] = valOff
		switch name {
		case "file":
			ref.File = val
			ref.Off = valOff
		case "column":
			ref.Column = val
		case "sheet":
			ref.Sheet = val
		case "smooth":
			switch strings.ToLower(val) {
			case "kde":
				ref.Smooth = true
			case "none":
			default:
				return nil, errAt(valOff, "empirical's smooth must be kde (a kernel density) or none (resample the values), got %q", val)
			}
		case "fit":
			f := strings.ToLower(val)
			if f != "best" && !containsStr(FitFamilies, f) {
				return nil, errAt(valOff, "empirical's fit must be best or one of %s, got %q", strings.Join(FitFamilies, ", "), val)
			}
			ref.Fit = f
		case "min", "max":
			v, err := evalNum(val)
			if err != nil {
				return nil, errAt(valOff+err.Offset, "empirical's %s must be a finite number, got %q: %s", name, val, err.Msg)
			}
			if name == "min" {
				ref.Min = v
			} else {
				ref.Max = v
			}
		case "sha256":
			v := strings.ToLower(val)
			if len(v) < 8 || len(v) > 64 || strings.Trim(v, "0123456789abcdef") != "" {
				return nil, errAt(valOff, "empirical's sha256 must be 8 to 64 hex digits of the data's SHA-256, got %q", val)
			}
			ref.SHA256 = v
		default:
			return nil, errAt(nameOff, "empirical has no argument %q; its arguments are file, column, sheet, smooth, min, max, fit, sha256", name)
		}
		skip()
		if i >= len(s) {
			return nil, errAt(lparen, `missing ")" to close "empirical("`)
		}
		if s[i] == ')' {
			i++
			break
		}
		if s[i] != ',' {
			return nil, errAt(i, `expected "," or ")" after an argument, got %q`, string(s[i]))
		}
		i++
	}
	p.pos, p.peeked = i, nil
	tl, serr := p.parseTail("empirical(…)", "")
	if serr != nil {
		return nil, serr
	}
	if ref.File == "" {
		return nil, errAt(t.off, "empirical needs file=, e.g. %s", usage)
	}
	if (seen["min"] > 0 || seen["max"] > 0) && !ref.Smooth {
		off := offs["min"]
		if _, ok := seen["min"]; !ok {
			off = offs["max"]
		}
		return nil, errAt(off, "empirical's min= and max= cut a kernel density: they need smooth=kde (resampled values stay within the data)")
	}
	if ref.Fit != "" && (ref.Smooth || seen["min"] > 0 || seen["max"] > 0) {
		return nil, errAt(offs["fit"], "empirical's fit= uses the fitted family, not the data themselves: it cannot be combined with smooth=, min= or max=")
	}
	if ref.Min >= ref.Max {
		return nil, errAt(offs["max"], "empirical needs min < max, got min=%s, max=%s", formatNum(ref.Min), formatNum(ref.Max))
	}
	if p.opt == nil || p.opt.Empirical == nil {
		return nil, errAt(t.off, "empirical inputs need a scenario file: the data file is read relative to it")
	}
	d, err := p.opt.Empirical(ref)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			return nil, se
		}
		p.opt.err = err
		return nil, errAt(ref.Off, "%s", err.Error())
	}
	return tl.apply(d)
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
