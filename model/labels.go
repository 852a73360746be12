package model

import "strings"

// Labels of everything a reader sees by path: parameters, outputs, the
// sensitivity analysis's groups and the risk events. Each comes from the one
// description of its subject (ParamInfo.Label, OutputInfo.Label, the tables
// below); Label falls back to the path for what the analyst named (custom
// inputs, lines, groups, formula outputs), whose own name is its label.

// riskLabels label the risk events: the tornado's risk rows (RiskCancel,
// RiskAbandon) and the random streams of the risk draws (RiskNames).
var riskLabels = map[string]Text{
	RiskCancel:            {"Cancellation", "Отмена проекта"},
	RiskAbandon:           {"Abandonment", "Отказ от системы"},
	"risk.outcome":        {"Risk outcome", "Исход проекта"},
	"risk.cancel_month":   {"Cancellation month", "Месяц отмены"},
	"risk.abandon_month":  {"Abandonment month", "Месяц отказа"},
	"risk.abandon_factor": {"Abandonment severity", "Глубина отказа"},
}

// groupLabels label the groups the sensitivity analysis makes on its own.
var groupLabels = map[string]Text{
	SettingsGroup: {"Settings", "Настройки"},
	"company":     {"Company", "Компания"},
	"benefits":    {"Benefits", "Выгоды"},
	"adoption":    {"Adoption", "Освоение системы"},
	"costs":       {"Costs", "Затраты"},
	"finance":     {"Finance", "Финансы"},
	CustomGroup:   {"Custom inputs", "Собственные параметры"},
	RiskGroup:     {"Risk events", "Рисковые события"},
	OtherGroup:    {"Other inputs", "Прочие параметры"},
}

// RiskLabels returns the labels of the risk events by name (RiskCancel,
// RiskAbandon and RiskNames), for tests and documentation.
func RiskLabels() map[string]Text {
	m := make(map[string]Text, len(riskLabels))
	for k, v := range riskLabels {
		m[k] = v
	}
	return m
}

// GroupLabels returns the labels of the groups made automatically, by name.
func GroupLabels() map[string]Text {
	m := make(map[string]Text, len(groupLabels))
	for k, v := range groupLabels {
		m[k] = v
	}
	return m
}

// AllParams lists every described parameter: the built-in inputs, the
// settings, the risks, tei, finance and gate parameters.
func AllParams() []ParamInfo {
	var ps []ParamInfo
	ps = append(ps, Builtin[:]...)
	for _, s := range Settings {
		ps = append(ps, s.ParamInfo)
	}
	ps = append(ps, riskParams...)
	for _, t := range teiParams {
		ps = append(ps, t.ParamInfo)
	}
	for _, f := range FinanceParams {
		ps = append(ps, f.ParamInfo)
	}
	return append(ps, gateParams...)
}

// Param returns the description of any described parameter by path.
func Param(path string) (ParamInfo, bool) {
	for _, p := range AllParams() {
		if p.Path == path {
			return p, true
		}
	}
	return ParamInfo{}, false
}

// LabelOf returns the label of a parameter, output, group or risk event by
// its path or name; false (and the name itself) for one the analyst named.
func LabelOf(name string) (Text, bool) {
	if p, ok := Param(name); ok {
		return p.Label, true
	}
	if t, ok := riskLabels[name]; ok {
		return t, true
	}
	if t, ok := groupLabels[name]; ok {
		return t, true
	}
	for _, o := range CRMOutputs() {
		if o.Name == name {
			return o.Label, true
		}
	}
	for _, o := range append([]OutputInfo{terminalValueOutput, npvBeforeTaxOutput}, gateOutputs...) {
		if o.Name == name {
			return o.Label, true
		}
	}
	return Text{name, name}, false
}

// Label is LabelOf(name) in lang ("en" or "ru"): the name itself for what
// the analyst named.
func Label(name, lang string) string {
	t, _ := LabelOf(name)
	return t.In(lang)
}

// DocIn is the parameter's meaning in lang.
func (p ParamInfo) DocIn(lang string) string {
	if lang == "ru" && p.DocRu != "" {
		return p.DocRu
	}
	return p.Doc
}

// unitRu translates the parameters' units; "money" stands for the currency.
var unitRu = map[string]string{
	"per year":         "в год",
	"share of revenue": "доля выручки",
	"share":            "доля",
	"relative":         "относительно",
	"money":            "money",
	"money/month":      "money/мес",
	"money/seat/month": "money/место/мес",
	"months":           "мес",
	"multiplier":       "множитель",
	"users":            "пользователей",
	"probability":      "вероятность",
	"number":           "число",
}

// ParamUnits lists every unit a parameter may have (for tests).
func ParamUnits() []string {
	var u []string
	for k := range unitRu {
		u = append(u, k)
	}
	return u
}

// UnitIn writes the parameter's unit in lang, "money" replaced by sign (the
// currency's sign, e.g. ₽) when sign is not empty: "money/month" → "₽/мес".
func (p ParamInfo) UnitIn(lang, sign string) string {
	u := p.Unit
	if lang == "ru" {
		if r, ok := unitRu[u]; ok {
			u = r
		}
	}
	if sign != "" && strings.HasPrefix(u, "money") {
		u = sign + strings.TrimPrefix(u, "money")
	}
	return u
}
