package out

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/crmroi/crmroi/model"
)

// Lang is the language of what a person reads: the terminal table, the charts
// and the report. Numbers are formatted for it too.
type Lang string

// The languages crmroi speaks.
const (
	English Lang = "en"
	Russian Lang = "ru"
)

// Langs lists the languages ParseLang accepts, the default first.
var Langs = []Lang{English, Russian}

// ParseLang returns the language named by s ("en" or "ru").
func ParseLang(s string) (Lang, error) {
	for _, l := range Langs {
		if string(l) == s {
			return l, nil
		}
	}
	return "", fmt.Errorf("language must be en or ru, got %q", s)
}

// nbsp is the group separator of Russian numbers (a non-breaking space), also
// used between a number and its unit.
const nbsp = "\u00a0"

// minus is the typographic minus sign used in Russian numbers, charts and the report.
const minus = "\u2212"

// T translates an English text into the language; English returns it as is,
// and a text with no translation stays in English.
func (l Lang) T(s string) string {
	if l != Russian {
		return s
	}
	if t, ok := ruText[s]; ok {
		return t
	}
	missingText.Store(s, true)
	return s
}

// Tf translates format and formats args with it, like fmt.Sprintf.
func (l Lang) Tf(format string, args ...any) string {
	return fmt.Sprintf(l.T(format), args...)
}

// missingText records texts asked for in Russian that have no translation
// (a test checks it stays empty).
var missingText sync.Map

// Number formats v with dec decimals and grouped thousands: 1,234,567.8 in
// English, 1 234 567,8 in Russian (non-breaking space, typographic minus).
func (l Lang) Number(v float64, dec int) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return minus + "∞"
	}
	if l != Russian {
		return group(strconv.FormatFloat(v, 'f', dec, 64), ",")
	}
	s := group(strconv.FormatFloat(v, 'f', dec, 64), nbsp)
	s = strings.Replace(s, ".", ",", 1)
	return strings.Replace(s, "-", minus, 1)
}

// Money formats an amount rounded to whole units with grouped thousands.
func (l Lang) Money(v float64) string {
	if l != Russian {
		return Money(v)
	}
	return l.Number(math.Round(v), 0)
}

// Percent formats a share as a percentage with one decimal: 23.0% or 23,0 %.
func (l Lang) Percent(v float64) string {
	if l != Russian {
		return Percent(v)
	}
	if math.IsNaN(v) {
		return "—"
	}
	return l.Number(100*v, 1) + nbsp + "%"
}

// Months formats a month count with one decimal, "not reached" for +Inf.
func (l Lang) Months(v float64) string {
	if l != Russian {
		return Months(v)
	}
	if math.IsInf(v, 1) {
		return l.T("not reached")
	}
	return l.Number(v, 1)
}

// scale is a power of a thousand that a compact number is written in.
type scale struct {
	div    float64
	en, ru string
}

var scales = []scale{{1e12, "T", "трлн"}, {1e9, "B", "млрд"}, {1e6, "M", "млн"}, {1e3, "k", "тыс."}, {1, "", ""}}

// scaleFor returns the largest scale not above |v|.
func scaleFor(v float64) scale {
	a := math.Abs(v)
	for _, s := range scales {
		if a >= s.div {
			return s
		}
	}
	return scales[len(scales)-1]
}

// suffix is the scale's word in the language, with its leading space in Russian.
func (l Lang) suffix(s scale) string {
	if l == Russian {
		if s.ru == "" {
			return ""
		}
		return nbsp + s.ru
	}
	return s.en
}

// Compact formats v with about three significant digits and a thousands
// suffix: 28.6M, −3.15k, 0.25 in English; 28,6 млн in Russian.
func (l Lang) Compact(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return l.Number(v, 0)
	}
	s := scaleFor(v)
	x := v / s.div
	if math.Abs(x) >= 999.5 && s.div < 1e12 { // rounds up into the next scale
		s = scaleFor(v * 10)
		x = v / s.div
	}
	d := sigDecimals(x, 3)
	if r := math.Round(x*math.Pow10(d)) / math.Pow10(d); sigDecimals(r, 3) < d {
		d = sigDecimals(r, 3) // 0.9997 → 1.00, not 1.000
	}
	return typoMinus(l.Number(x, d)) + l.suffix(s)
}

// sigDecimals is how many decimals show n significant digits of x (at most 4).
func sigDecimals(x float64, n int) int {
	a := math.Abs(x)
	if a == 0 {
		return 0
	}
	d := n - 1 - int(math.Floor(math.Log10(a)))
	return min(max(d, 0), 4)
}

// typoMinus replaces a leading ASCII minus with the typographic one.
func typoMinus(s string) string {
	if strings.HasPrefix(s, "-") {
		return minus + s[1:]
	}
	return s
}

// currencySigns are the signs shown for currency codes.
var currencySigns = map[string]string{
	"RUB": "₽", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥",
	"INR": "₹", "KZT": "₸", "UAH": "₴", "TRY": "₺", "ILS": "₪", "KRW": "₩",
}

// prefixSigns are written before the number in English ($5M); others after it.
var prefixSigns = map[string]bool{"$": true, "€": true, "£": true, "¥": true, "₹": true}

// CurrencySign returns what charts and the report show for a currency code:
// its sign (RUB → ₽, USD → $, EUR → €) where the embedded font has it, the
// Russian abbreviation руб. for RUB where it does not, and otherwise the code itself.
func CurrencySign(code string) string {
	if mult, base := currencyScale(code); mult != 1 {
		return CurrencySign(base) // compact figures carry the scale: 60,7 млрд руб.
	}
	sign, ok := currencySigns[strings.ToUpper(code)]
	if !ok {
		return code
	}
	for _, r := range sign {
		if !HasGlyph(r) {
			if strings.EqualFold(code, "RUB") {
				return "руб."
			}
			return code
		}
	}
	return sign
}

// MoneyCompact formats an amount compactly with its currency sign: $28.6M,
// 28.6M ₽ in English, 28,6 млн ₽ in Russian.
func (l Lang) MoneyCompact(v float64, currency string) string {
	mult, _ := currencyScale(currency)
	sign := CurrencySign(currency)
	n := l.Compact(v * mult)
	if sign == "" {
		return n
	}
	if l != Russian && prefixSigns[sign] {
		if strings.HasPrefix(n, minus) {
			return minus + sign + strings.TrimPrefix(n, minus)
		}
		return sign + n
	}
	return n + nbsp + sign
}

// samplingRu are the sampling designs (--sampling) in Russian words.
var samplingRu = map[string]string{"mc": "Монте-Карло", "lhs": "латинский гиперкуб", "sobol": "последовательность Соболя"}

// Sampling names a sampling design (mc, lhs, sobol) for a reader of l: the
// flag's value in English, its name in Russian.
func (l Lang) Sampling(design string) string {
	if t, ok := samplingRu[design]; ok && l == Russian {
		return t
	}
	return design
}

// ruText are the Russian translations, keyed by the English text.
var ruText = map[string]string{
	// terminal table
	"%s iterations, seed %d, %s sampling, %d workers, %s s\n\n": "%s итераций, зерно %d, выборка: %s, потоков: %d, %s с\n\n",
	"Mean":             "Среднее",
	"Plan":             "План",
	"TEI":              "TEI",
	"NPV, %s":          "NPV, %s",
	"ROI":              "ROI",
	"Payback, months":  "Срок окупаемости, мес.",
	"Peak funding, %s": "Пиковая потребность в финансировании, %s",
	"\nP(loss) %s   payback within 12 / 24 / 36 months: %s / %s / %s   not reached: %s\n":                       "\nP(убытка) %s   окупаемость за 12 / 24 / 36 мес.: %s / %s / %s   не окупается: %s\n",
	"Outcomes: ok %s, cancelled %s, abandoned %s\n":                                                             "Исходы: успех %s, отмена %s, отказ %s\n",
	"\nTop drivers (NPV with the input at its P10 → P90, or the risk event off → forced on; others at plan):\n": "\nГлавные факторы (NPV при факторе на P10 → P90 или без рискового события → с ним; остальные по плану):\n",
	"  %s\t%s → %s\tswing %s\n": "  %s\t%s → %s\tразмах %s\n",
	"\nWarnings:\n":             "\nПредупреждения:\n",
	"\nFiles in %s: %s\n":       "\nФайлы в %s: %s\n",
	"not reached":               "не окупается",

	// charts
	"%s iterations · seed %d":         "%s итераций · зерно %d",
	"NPV distribution · P(loss) = %s": "Распределение NPV · P(убытка) = %s",
	"Share of iterations":             "Доля итераций",
	"Loss (NPV < 0)":                  "Убыток (NPV < 0)",
	"Gain (NPV ≥ 0)":                  "Прибыль (NPV ≥ 0)",
	"Percentiles":                     "Процентили",
	"Plan case":                       "План",
	"Plan %s":                         "План %s",
	"NPV S-curve · P(NPV < 0) = %s":   "Интегральная кривая NPV · P(NPV < 0) = %s",
	"Probability that NPV ≤ x":        "Вероятность, что NPV ≤ x",
	"P(loss) %s":                      "P(убытка) %s",
	"Cumulative probability":          "Накопленная вероятность",
	"Cumulative cash flow · median breaks even in month %d":              "Накопленный денежный поток · медиана окупается на %d-й месяц",
	"Cumulative cash flow · median does not break even within %d months": "Накопленный денежный поток · медиана не окупается за %d мес.",
	"Cumulative cash flow, %s":                                           "Накопленный денежный поток, %s",
	"Month":                                                              "Месяц",
	"Median":                                                             "Медиана",
	"median low %s, month %d":                                            "минимум медианы %s, мес. %d",
	"Mean (dashed)":                                                      "Среднее (пунктир)",
	"Go-live P5–P95":                                                     "Запуск P5–P95",
	"go-live, months %d–%d":                                              "запуск, мес. %d–%d",
	"go-live, month %d":                                                  "запуск, мес. %d",
	"Payback · P50 %s months · not reached within %d months: %s": "Окупаемость · P50 %s мес. · не окупается за %d мес.: %s",
	"Payback · not reached within %d months: %s":                 "Окупаемость · не окупается за %d мес.: %s",
	"Payback month":                   "Месяц окупаемости",
	"Reached":                         "Окупается",
	"Not reached within %d months":    "Не окупается за %d мес.",
	"not reached\nwithin %d":          "не окуп.\nза %d",
	"≤12 months %s · ≤24 %s":          "≤12 мес. %s · ≤24 %s",
	"≤12 months %s":                   "≤12 мес. %s",
	"≤12 months %s · ≤24 %s · ≤36 %s": "≤12 мес. %s · ≤24 %s · ≤36 %s",
	"What moves NPV · each input from its P10 to its P90, each risk off and on, others at plan": "Что двигает NPV · каждый фактор от P10 до P90, каждый риск без события и с ним, остальные по плану",
	"off":                 "нет",
	"on":                  "да",
	"Risk event on":       "Рисковое событие",
	"Input at P10":        "Фактор на P10",
	"Input at P90":        "Фактор на P90",
	"No uncertain inputs": "Нет неопределённых параметров",
	"P50 %s":              "P50 %s",

	// report
	"crmroi report":              "Отчёт crmroi",
	"Risk report":                "Отчёт о рисках",
	"Key figures":                "Ключевые показатели",
	"Metric":                     "Показатель",
	"All outputs":                "Все показатели",
	"Probabilities":              "Вероятности",
	"P(loss)":                    "P(убытка)",
	"Payback within 12 months":   "Окупаемость за 12 мес.",
	"Payback within 24 months":   "Окупаемость за 24 мес.",
	"Payback within 36 months":   "Окупаемость за 36 мес.",
	"Payback not reached":        "Не окупается",
	"Outcomes":                   "Исходы",
	"Project succeeds (ok)":      "Проект успешен",
	"Cancelled before go-live":   "Отменён до запуска",
	"Abandoned after go-live":    "Заброшен после запуска",
	"Charts":                     "Графики",
	"Top drivers":                "Главные факторы",
	"Input":                      "Фактор",
	"Plan value":                 "План",
	"P10 value":                  "Значение P10",
	"P90 value":                  "Значение P90",
	"NPV at P10":                 "NPV при P10",
	"NPV at P90":                 "NPV при P90",
	"Swing":                      "Размах",
	"Parameters as resolved":     "Параметры после подстановок",
	"Settings":                   "Настройки",
	"Uncertain and fixed inputs": "Параметры (распределения и числа)",
	"Distribution":               "Распределение",
	"Unit":                       "Единица",
	"Risks":                      "Риски",
	"Correlations (Spearman)":    "Корреляции (Спирмен)",
	"none":                       "нет",
	"Audit trail":                "Для аудита",
	"Scenario":                   "Сценарий",
	"Scenario file":              "Файл сценария",
	"Scenario SHA-256":           "Хеш SHA-256 сценария",
	"Iterations":                 "Итераций",
	"Seed":                       "Зерно генератора",
	"Sampling":                   "Выборка",
	"Workers":                    "Потоков",
	"Elapsed":                    "Время",
	"Tool version":               "Версия crmroi",
	"Warnings":                   "Предупреждения",
	"Currency":                   "Валюта",
	"%s s":                       "%s с",
	"Money in %s. P5, P50, P95: percentiles over the iterations; Plan: every input at its plan value, no risk event; TEI: Forrester's fixed risk adjustment of the plan.": "Деньги в %s. P5, P50, P95 — процентили по итерациям; План — все параметры по плановому значению, без рисковых событий; TEI — фиксированная поправка на риск по методике Forrester. NPV — чистая приведённая стоимость (ЧДД), ROI — рентабельность инвестиций, IRR — внутренняя норма доходности (ВНД).",
	"Value":                            "Значение",
	"Name":                             "Название",
	"Horizon, months":                  "Горизонт, мес.",
	"Seats":                            "Мест (лицензий)",
	"Implementation, months":           "Срок внедрения, мес.",
	"Sales lag, months":                "Лаг продаж, мес.",
	"Subscription escalation per year": "Индексация подписки в год",
	"Presale seat share":               "Доля мест во время внедрения",
	"Cancellation probability":         "Вероятность отмены",
	"Abandonment probability":          "Вероятность отказа",
	"TEI benefit haircut":              "TEI: снижение выгод",
	"TEI cost uplift":                  "TEI: надбавка к затратам",
	"NPV":                              "NPV",
	"PV of benefits":                   "Дисконтированные выгоды",
	"PV of costs":                      "Дисконтированные затраты",
	"Peak funding":                     "Пиковая потребность в финансировании",
	"Revenue uplift":                   "Прирост выручки",
	"IRR, annual":                      "IRR, годовая",
	"Each bar is the share of iterations whose NPV falls in its range; losses are orange. Dashed lines: P5, P50, P95; green: the plan case.":                                                                                                                                                  "Каждый столбец — доля итераций, в которых NPV попал в его интервал; убытки — оранжевым. Пунктир — P5, P50, P95; зелёная линия — план.",
	"For any NPV on the horizontal axis, the curve gives the probability of doing no better. Where it crosses zero is the probability of a loss.":                                                                                                                                             "Для каждого NPV на горизонтальной оси кривая показывает вероятность получить не больше. Точка пересечения с нулём — вероятность убытка.",
	"Cumulative cash flow month by month: half of the iterations lie in the darkest band, 90% in the lightest. Where the median crosses zero, the project has paid back; its lowest point is the funding it needs.":                                                                           "Накопленный денежный поток по месяцам: половина итераций — в самой тёмной полосе, 90 % — в самой светлой. Где медиана пересекает ноль, проект окупился; её нижняя точка — нужное финансирование.",
	"The month in which the cumulative cash flow turns positive; the separate bar is the share of iterations that do not pay back within the horizon.":                                                                                                                                        "Месяц, в котором накопленный денежный поток становится положительным; отдельный столбец — доля итераций, не окупившихся за горизонт.",
	"NPV with one input at its P10 or P90 and every other at plan, with no risk event, and with each risk event forced on (risk.cancel, risk.abandon: at the middle of its timing and severity); the largest swings first. Numbers at the bar ends are the input's values (a risk: off, on).": "NPV, когда один фактор на P10 или P90, а остальные по плану, без рисковых событий, и с каждым рисковым событием (отмена проекта, отказ от системы — в середине их сроков и глубины); сначала самые сильные. Числа у концов полос — значения фактора (у риска: нет, да).",
	"SD":                     "СКО",
	"Defined":                "Определено",
	"Generated by crmroi %s": "Создано crmroi %s",
}

// Label is the reader's name of a parameter, output, sensitivity group or
// risk event (by its path or name) in l: in Russian its label from its one
// description in model/ (model.Label); in English its path, as the files
// name it. What the analyst named (custom inputs, lines, groups) is its own
// name in both.
func (l Lang) Label(name string) string {
	if l != Russian {
		return name
	}
	return model.Label(name, string(l))
}

// labelPath is the path to show small under l.Label(name): the path where
// the label differs from it, "" otherwise.
func (l Lang) labelPath(name string) string {
	if l.Label(name) == name {
		return ""
	}
	return name
}

// unitSign is the sign that replaces "money" in a parameter's unit in l: the
// currency's sign in Russian ("₽/мес"); none in English, whose units stay
// as the spec writes them ("money/month").
func unitSign(cur string, l Lang) string {
	if l != Russian {
		return ""
	}
	return CurrencySign(cur)
}

// currencyScaleWords are the scale words a currency may carry (тыс. руб.,
// USD thousands, млн ₽, k EUR), lower case, with their multipliers.
var currencyScaleWords = map[string]float64{
	"тыс.": 1e3, "тыс": 1e3, "тысяч": 1e3, "тысячи": 1e3, "thousand": 1e3, "thousands": 1e3, "k": 1e3, "th.": 1e3, "'000": 1e3,
	"млн": 1e6, "млн.": 1e6, "миллионов": 1e6, "million": 1e6, "millions": 1e6, "mln": 1e6, "m": 1e6, "mm": 1e6,
	"млрд": 1e9, "млрд.": 1e9, "миллиардов": 1e9, "billion": 1e9, "billions": 1e9, "bn": 1e9,
}

// currencyScale splits a currency into the scale it carries and its base:
// "тыс. руб." → 1000, "руб."; "USD thousands" → 1000, "USD"; "kEUR" and
// "$k" → 1000, "EUR" and "$"; "RUB" → 1, "RUB". Amounts in a scaled
// currency are counts of that scale of the base: compact figures multiply
// into the base's scale (60 700 тыс. руб. → 60,7 млн руб., never "60,7 тыс.
// тыс. руб."). A scale word alone, or one that leaves no base, is a plain
// unit: 1, cur.
func currencyScale(cur string) (float64, string) {
	fields := strings.Fields(cur)
	mult := 1.0
	var base []string
	for _, f := range fields {
		if m, ok := currencyScaleWords[strings.ToLower(f)]; ok {
			mult *= m
			continue
		}
		base = append(base, f)
	}
	if len(base) == 1 && mult == 1 { // glued: kUSD, k₽, $k, MRUB, ₽M
		b := base[0]
		for _, p := range []struct {
			s string
			m float64
		}{{"k", 1e3}, {"K", 1e3}, {"M", 1e6}} {
			if rest := strings.TrimPrefix(b, p.s); rest != b && knownCurrency(rest) {
				return p.m, rest
			}
			if rest := strings.TrimSuffix(b, p.s); rest != b && knownCurrency(rest) {
				return p.m, rest
			}
		}
	}
	if len(base) == 0 || mult == 1 {
		return 1, cur
	}
	return mult, strings.Join(base, " ")
}

// knownCurrency reports whether s is a currency code or sign crmroi knows.
func knownCurrency(s string) bool {
	if _, ok := currencySigns[strings.ToUpper(s)]; ok {
		return true
	}
	for _, sign := range currencySigns {
		if s == sign {
			return true
		}
	}
	return false
}
