package out

// ruCompareText are the Russian texts of batch and sweep (tables and charts).
var ruCompareText = map[string]string{
	// batch
	"crmroi batch — %d scenarios, %s iterations each, seed %d, common random numbers, %s s\n\n": "crmroi batch — сценариев: %d, по %s итераций, seed %d, общие случайные числа, %s с\n\n",
	"Scenario":      "Сценарий",
	"Folder":        "Папка",
	"Payback P50":   "Окупаемость P50",
	"(NPV in %s)\n": "(NPV в %s)\n",
	"\nPairs, iteration by iteration (A − B):\n": "\nПары, итерация к итерации (A − B):\n",
	"Mean A − B": "Среднее A − B",
	"Each scenario's own files: %s/<folder>/\n":                      "Файлы каждого сценария: %s/<папка>/\n",
	"%d scenarios · %s iterations · seed %d · common random numbers": "сценариев: %d · %s итераций · seed %d · общие случайные числа",
	"NPV by scenario · box P25–P75, whiskers P5–P95, P(loss) beside": "NPV по сценариям · ящик P25–P75, усы P5–P95, рядом P(убытка)",
	"▲ mean": "▲ среднее",
	"NPV S-curves · the further right, the better; dots: P(loss)": "S-кривые NPV · чем правее, тем лучше; точки — P(убытка)",
	"%s · P(loss) %s": "%s · P(убытка) %s",
	"Cumulative cash flow by scenario · median and P10–P90": "Накопленный денежный поток по сценариям · медиана и P10–P90",
	"%s · median breaks even in month %d":                   "%s · медиана окупается на %d-й месяц",
	"%s · median does not break even within %d months":      "%s · медиана не окупается за %d мес.",

	// sweep
	"%s over %d values, %s iterations each, seed %d, common random numbers, %s s\n\n": "%s, значений: %[2]d, по %[3]s итераций, seed %[4]d, общие случайные числа, %[5]s с\n\n",
	"P50 NPV, %s":                           "P50 NPV, %s",
	"\nBreak-even:\n":                       "\nТочка безубыточности:\n",
	"P50 NPV = 0: ":                         "P50 NPV = 0: ",
	"P50 NPV = 0":                           "P50 NPV = 0",
	"P50 NPV ≥ 0":                           "P50 NPV ≥ 0",
	"P50 NPV < 0":                           "P50 NPV < 0",
	"P(loss) = %s: ":                        "P(убытка) = %s: ",
	"P(loss) = %s":                          "P(убытка) = %s",
	"P(loss) ≥ %s":                          "P(убытка) ≥ %s",
	"P(loss) < %s":                          "P(убытка) < %s",
	"P(loss) ≤ %s":                          "P(убытка) ≤ %s",
	"not within range (%s for every value)": "не в пределах диапазона (%s при всех значениях)",
	"%s at %s ≈ %s (between %s and %s)":     "%s при %s ≈ %s (между %s и %s)",
	"%s between %s = %s and %s":             "%s между %s = %s и %s",
	"common random numbers":                 "общие случайные числа",
	"P50 NPV = 0 at %s":                     "P50 NPV = 0 при %s",
	"P(loss) = %s at %s":                    "P(убытка) = %s при %s",
	"accepted risk %s":                      "допустимый риск %s",
	"Accepted risk":                         "Допустимый риск",
	"NPV and P(loss) across %s":             "NPV и P(убытка) в зависимости от %s",
	"NPV and P(loss) across %s · P50 NPV = 0 at %s":     "NPV и P(убытка) в зависимости от %s · P50 NPV = 0 при %s",
	"P(loss) over %s × %s · cells: P(loss) and P50 NPV": "P(убытка) по %s × %s · в клетках: P(убытка) и P50 NPV",
}

// The texts are added to the translations; a text the shared table already
// translates keeps its translation there.
func init() {
	for k, v := range ruCompareText {
		if _, ok := ruText[k]; !ok {
			ruText[k] = v
		}
	}
}
