package out

import (
	"math"
	"strconv"
	"strings"
)

// Money formats an amount rounded to whole units with thousands separators: 28,640,083.
func Money(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	if math.IsInf(v, 0) {
		return "∞"
	}
	return group(strconv.FormatFloat(math.Round(v), 'f', 0, 64), ",")
}

// Percent formats a share as a percentage with one decimal: 0.2304 → 23.0%.
func Percent(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
}

// Months formats a month count with one decimal, "not reached" for +Inf.
func Months(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case math.IsInf(v, 1):
		return "not reached"
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// group inserts sep between groups of three digits of the integer part of s.
func group(s, sep string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	if sign != "" && strings.Trim(b.String(), "0,.") == "" {
		sign = "" // no "-0"
	}
	return sign + b.String()
}
