package out

import (
	"strings"

	"github.com/crmroi/crmroi/model"
)

// What the files say of a scenario's finance: section (model.md section 6).
// Without the section none of this adds anything, so that every file stays
// as it was.

// FinanceLine is the report's line on what the figures include: which of
// profit tax, capitalisation, non-recoverable VAT and a terminal value, and
// that they are pre-tax without profit tax; "" without a finance: section.
func FinanceLine(s *model.Scenario, l Lang) string {
	if s.Finance == nil {
		return ""
	}
	tax, capitalisation, vat, terminal := model.FinanceIncludes(s)
	var in, out []string
	for _, p := range []struct {
		on   bool
		what string
	}{
		{tax, l.T("profit tax")}, {capitalisation, l.T("capitalisation of the one-off cost")},
		{vat, l.T("non-recoverable VAT")}, {terminal, l.T("a terminal value after the horizon")},
	} {
		if p.on {
			in = append(in, p.what)
		} else {
			out = append(out, p.what)
		}
	}
	line := l.T("Finance:") + " "
	if len(in) > 0 {
		line += l.Tf("the figures include %s", strings.Join(in, ", "))
		if len(out) > 0 {
			line += "; " + l.Tf("not %s", strings.Join(out, ", "))
		}
	} else {
		line += l.Tf("the figures include none of %s", strings.Join(out, ", "))
	}
	line += "."
	if tax {
		line += " " + l.T("A month's negative tax is a saving in that month: the company is assumed profitable as a whole.")
	} else {
		line += " " + l.T("profit_tax is 0: the figures are pre-tax.")
	}
	return line
}

// ruFinanceText are the Russian texts of the finance: section's lines.
var ruFinanceText = map[string]string{
	"profit tax":                         "налог на прибыль",
	"capitalisation of the one-off cost": "капитализация разовых затрат",
	"non-recoverable VAT":                "НДС, не принимаемый к вычету",
	"a terminal value after the horizon": "терминальная стоимость за горизонтом",
	"Finance:":                           "Финансы:",
	"the figures include %s":             "в цифрах учтены %s",
	"not %s":                             "не учтены %s",
	"the figures include none of %s":     "в цифрах не учтены %s",
	"A month's negative tax is a saving in that month: the company is assumed profitable as a whole.": "Отрицательный налог месяца — экономия в том же месяце: компания в целом считается прибыльной.",
	"profit_tax is 0: the figures are pre-tax.":                                                       "profit_tax равен 0: цифры — до налога на прибыль.",
	"Depreciation, months": "Амортизация, мес.",
}

func init() {
	for k, v := range ruFinanceText {
		if _, ok := ruText[k]; !ok {
			ruText[k] = v
		}
	}
}
