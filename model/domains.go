package model

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/crmroi/crmroi/distributions"
	"go.yaml.in/yaml/v3"
)

// Domains by probability (distributions.md, "Domains"): a distribution that
// puts probability outside its parameter's domain is cut at the domain's
// edge, as min=/max= would cut it, when that probability is at most
// MaxCutMass; the cut is a warning from WarnCutMass up and a note in
// summary.json below. More than MaxCutMass outside is an error whose
// suggestions are expressions the parameter accepts as they are.
const (
	// MaxCutMass is the most probability a distribution may put outside its
	// parameter's domain and still be cut silently into it (with a warning).
	MaxCutMass = 0.01
	// WarnCutMass is the least probability cut that is reported as a warning;
	// smaller cuts are only noted in summary.json.
	WarnCutMass = 1e-6
	// MaxSuggestedCut is the most probability outside the domain for which
	// an error suggests an explicit cut at the edge: beyond it the cut would
	// change the distribution beyond recognition.
	MaxSuggestedCut = 0.25
)

// domainMass returns the probability d puts below and above domain dom:
// P(X < Lo) (P(X ≤ Lo) where Lo is open) and P(X > Hi) (P(X ≥ Hi) where
// Hi is open), each accurate in relative terms where small.
func domainMass(d distributions.Dist, dom Domain) (below, above float64) {
	inf := math.Inf(1)
	if !math.IsInf(dom.Lo, -1) {
		lo := dom.Lo
		if dom.LoOpen {
			lo = math.Nextafter(lo, inf)
		}
		below = distributions.Outside(d, lo, inf)
	}
	if !math.IsInf(dom.Hi, 1) {
		hi := dom.Hi
		if dom.HiOpen {
			hi = math.Nextafter(hi, -inf)
		}
		above = distributions.Outside(d, -inf, hi)
	}
	return below, above
}

// outside reports whether the support of d reaches beyond domain dom on the
// low and on the high side (an open edge counts only where d has
// probability on it).
func outside(d distributions.Dist, dom Domain) (low, high bool) {
	lo, hi := d.Support()
	low = lo < dom.Lo || (lo == dom.Lo && dom.LoOpen && d.CDF(lo) > 0)
	high = hi > dom.Hi || (hi == dom.Hi && dom.HiOpen && d.CDF(math.Nextafter(hi, math.Inf(-1))) < 1)
	return
}

// cutTo cuts d to [lo, hi] (an infinite bound: no cut on that side),
// renormalised exactly as min=/max= cut it.
var cutTo = distributions.Truncate

// edges are the bounds a cut into dom uses on the sides where d reaches beyond it.
func edges(dom Domain, low, high bool) (lo, hi float64) {
	lo, hi = math.Inf(-1), math.Inf(1)
	if low {
		lo = dom.Lo
	}
	if high {
		hi = dom.Hi
	}
	return
}

// fmtShare writes a probability as a percentage with two significant digits:
// "0.13%", "14%", "0.00041%".
func fmtShare(p float64) string {
	v := 100 * p
	if v >= 10 {
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64) + "%"
	}
	return strconv.FormatFloat(roundSig(v, 2), 'f', -1, 64) + "%"
}

// cutPhrase says where d was cut and how much lay beyond, e.g.
// "cut at 1 (0.13% of its mass lay above)"; format writes the mass.
func cutPhrase(dom Domain, low, high bool, below, above float64, format func(float64) string) string {
	switch {
	case low && high:
		return "cut to " + dom.String() + " (" + format(below) + " of its mass lay below, " + format(above) + " above)"
	case low:
		return "cut at " + fmtNum(dom.Lo) + " (" + format(below) + " of its mass lay below)"
	}
	return "cut at " + fmtNum(dom.Hi) + " (" + format(above) + " of its mass lay above)"
}

// fmtTiny writes a probability too small for a percentage, e.g. "4.6e-16".
func fmtTiny(p float64) string {
	if p == 0 {
		return "no computable share"
	}
	return strconv.FormatFloat(p, 'g', 2, 64)
}

// inDomain fits d into the domain of p: it returns d itself when d lies in
// the domain, d cut at the domain's edge when at most MaxCutMass lies
// outside (recording a warning or a note), and false after reporting an
// error otherwise. text is the value as written.
func (l *loader) inDomain(e entry, p ParamInfo, d distributions.Dist, text string) (distributions.Dist, bool) {
	low, high := outside(d, p.Domain)
	if !low && !high {
		return d, true
	}
	below, above := domainMass(d, p.Domain)
	text = strings.TrimSpace(text)
	if below+above <= MaxCutMass {
		lo, hi := edges(p.Domain, low, high)
		c, err := cutTo(d, lo, hi)
		if err == nil {
			if below+above >= WarnCutMass {
				l.warns = append(l.warns, &Error{Pos: l.pos(e.val), Path: p.Path, Msg: text + " " + cutPhrase(p.Domain, low, high, below, above, fmtShare),
					Key: MsgCut, Args: []any{text, low, high, below, above}})
			} else {
				l.notes = append(l.notes, p.Path+": "+text+" "+cutPhrase(p.Domain, low, high, below, above, fmtTiny))
			}
			return c, true
		}
	}
	var where string
	switch {
	case below > 0 && above > 0:
		where = fmtShare(below) + " of its mass below " + fmtNum(p.Domain.Lo) + " and " + fmtShare(above) + " above " + fmtNum(p.Domain.Hi)
	case below > 0 || (low && !high):
		where = fmtShare(below) + " of its mass below " + fmtNum(p.Domain.Lo)
	default:
		where = fmtShare(above) + " of its mass above " + fmtNum(p.Domain.Hi)
	}
	msg := text + " puts " + where + ", outside " + p.Domain.String() + " (" + p.Unit + ")"
	var fixes []string
	altText, cutText := "", ""
	if alt, ok := l.percentReading(p, d); ok {
		fixes = append(fixes, alt.fixes...)
		msg += "; did you mean " + alt.text + "?"
		altText = alt.text
	}
	narrow := "narrow it so that at most " + fmtShare(MaxCutMass) + " lies outside"
	lo, hi := edges(p.Domain, low, high)
	if c, err := cutTo(d, lo, hi); err == nil && below+above <= MaxSuggestedCut && l.accepts(p, c.String()) {
		fixes = append(fixes, c.String())
		msg += "; to cut it at the edge, write " + c.String() + " (or " + narrow + ")"
		cutText = c.String()
	} else {
		msg += "; " + narrow
	}
	l.errs = append(l.errs, &Error{Pos: l.pos(e.val), Path: p.Path, Msg: msg, Fixes: fixes, Key: MsgOutsideDomain, Args: []any{text, below, above, altText, cutText}})
	return nil, false
}

// accepts reports whether expression text, written as the value of p, would
// be accepted: it parses, and at most MaxCutMass of it lies outside p's domain.
func (l *loader) accepts(p ParamInfo, text string) bool {
	d, err := distributions.Parse(text)
	if err != nil {
		return false
	}
	if p.NumberOnly && !d.Fixed() {
		return false
	}
	if d.Fixed() {
		v := d.Plan()
		return p.Domain.Contains(v) && (!p.Integer || v == math.Trunc(v))
	}
	low, high := outside(d, p.Domain)
	if !low && !high {
		return true
	}
	below, above := domainMass(d, p.Domain)
	if below+above > MaxCutMass {
		return false
	}
	lo, hi := edges(p.Domain, low, high)
	_, err = cutTo(d, lo, hi)
	return err == nil
}

// reading is a likely meaning of a value: how a message writes it, and the
// expressions that say it, each accepted as the parameter's value.
type reading struct {
	text  string
	fixes []string
}

// percentReading returns d read as percentages (divided by 100), written in
// percent and in decimals ("25% (0.25)", "5% to 25% (0.05 to 0.25)"), when
// it is accepted for p and lies in its plausible range: the likely meaning
// of a share written as a percentage. Only the forms the parser accepts are
// given.
func (l *loader) percentReading(p ParamInfo, d distributions.Dist) (reading, bool) {
	r, hasRange := plausibleRanges[p.Path]
	if v := d.Plan(); p.Domain.Contains(v) && (!hasRange || r.Contains(v)) {
		return reading{}, false // a likely value as it is
	}
	dec, ok := percentExpr(d, false)
	if !ok || !l.accepts(p, dec) {
		return reading{}, false
	}
	dd, err := distributions.Parse(dec)
	if err != nil {
		return reading{}, false
	}
	if hasRange && !r.Contains(dd.Plan()) {
		return reading{}, false
	}
	if pct, _ := percentExpr(d, true); l.accepts(p, pct) {
		return reading{pct + " (" + dec + ")", []string{pct, dec}}, true
	}
	return reading{dec, []string{dec}}, true
}

// percentExpr rewrites the canonical expression of d so that it means d
// divided by 100: every number that carries d's unit is written as a
// percentage of itself ("25" → "25%", "pert(10, 20, 30)" → "pert(10%, 20%,
// 30%)"), or, without asPercent, divided by 100 ("0.25"). It returns false for
// forms whose parameters are not all in the value's unit or scale-free
// (lognormal by mu and sigma, beta, bernoulli, empirical).
func percentExpr(d distributions.Dist, asPercent bool) (string, bool) {
	s := d.String()
	var b strings.Builder
	fam, name := "", ""
	pos := 0
	depth := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '(' || c == '[':
			depth++
			b.WriteByte(c)
			i++
		case c == ')' || c == ']':
			depth--
			b.WriteByte(c)
			i++
		case c == ',':
			if depth == 1 {
				pos++
				name = ""
			}
			if depth == 0 { // a cut after a range: ", min=…"
				pos, name = 0, ""
				fam = ""
			}
			b.WriteByte(c)
			i++
		case isLetter(c):
			j := i
			for j < len(s) && (isLetter(s[j]) || (s[j] >= '0' && s[j] <= '9')) {
				j++
			}
			word := strings.ToLower(s[i:j])
			switch {
			case j < len(s) && s[j] == '(':
				fam, pos = word, 0
			case j < len(s) && s[j] == '=':
				name = word
			case word == "to" || word == "inf":
			default:
				return "", false
			}
			b.WriteString(s[i:j])
			i = j
		case c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(s) && (s[j] == '.' || s[j] == 'e' || s[j] == 'E' || s[j] == '_' || (s[j] >= '0' && s[j] <= '9') ||
				((s[j] == '-' || s[j] == '+') && (s[j-1] == 'e' || s[j-1] == 'E'))) {
				j++
			}
			scale, ok := scaledArg(fam, name, pos)
			if !ok {
				return "", false
			}
			switch {
			case !scale:
				b.WriteString(s[i:j])
			case asPercent:
				b.WriteString(s[i:j] + "%")
			default:
				v, err := strconv.ParseFloat(strings.ReplaceAll(s[i:j], "_", ""), 64)
				if err != nil {
					return "", false
				}
				b.WriteString(fmtNum(v / 100))
			}
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }

// scaledArg says whether argument name (or positional number pos) of family
// fam is in the value's unit (scale), and false ok where the family cannot be
// rescaled by rewriting its numbers.
func scaledArg(fam, name string, pos int) (scale, ok bool) {
	if name == "min" || name == "max" {
		return true, true
	}
	switch fam {
	case "": // a number or "A to B"
		return true, true
	case "pert", "triangular", "uniform":
		return name != "lambda", true
	case "normal":
		return true, true
	case "lognormal":
		switch {
		case name == "mu" || name == "sigma":
			return false, false
		case name == "":
			return false, false
		}
		return true, true
	case "gamma", "weibull":
		if name == "scale" || (name == "" && pos == 1) {
			return true, true
		}
		return false, true
	case "discrete":
		if name == "values" {
			return true, true
		}
		return false, true
	}
	return false, false
}

// CheckValue checks expression text as the value of the CRM parameter at
// path (a built-in or finance parameter), as a scenario file in folder dir
// would read it: it returns the value (cut into the domain where the rule
// allows), the warnings the value brings, and the errors that refuse it.
func CheckValue(dir, path, text string) (distributions.Dist, ErrorList, error) {
	p, ok := InputParam(path)
	if !ok {
		return nil, nil, ErrorList{{Pos: Pos{File: "--param"}, Path: path, Msg: "not a parameter of the CRM model" + suggest(path, settable())}}
	}
	l := &loader{file: filepath.Join(dir, "scenario.yaml"), setPos: map[*yaml.Node]Set{}}
	val := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: text, Line: 1, Column: 1}
	l.setPos[val] = Set{Name: path, Value: text, N: 1}
	d, ok := l.dist(entry{key: val, val: val}, p)
	if !ok {
		return nil, l.warns, l.errs
	}
	return d, l.warns, nil
}

// CutToDomain cuts d at the edges of the domain of the CRM parameter at path
// where d reaches beyond it, as min=/max= would, and returns the cut
// distribution, the probability cut away and the cut written as a suffix
// (", min=…, max=…"; "" when d lies in the domain).
func CutToDomain(path string, d distributions.Dist) (distributions.Dist, float64, string, error) {
	p, ok := InputParam(path)
	if !ok {
		return nil, 0, "", fmt.Errorf("%s is not a parameter of the CRM model%s", path, suggest(path, settable()))
	}
	low, high := outside(d, p.Domain)
	if !low && !high {
		return d, 0, "", nil
	}
	below, above := domainMass(d, p.Domain)
	lo, hi := edges(p.Domain, low, high)
	c, err := cutTo(d, lo, hi)
	if err != nil {
		return nil, below + above, "", err
	}
	suffix := ""
	if low {
		suffix += ", min=" + fmtNum(lo)
	}
	if high {
		suffix += ", max=" + fmtNum(hi)
	}
	return c, below + above, suffix, nil
}
