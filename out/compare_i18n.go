package out

// ruCompareText are the Russian texts of batch and sweep (tables and charts).
var ruCompareText = map[string]string{
	// batch
	"crmroi batch — %d scenarios, %s iterations each, seed %d, common random numbers, %s s\n\n": "crmroi batch — сценариев: %d, по %s итераций, зерно %d, общие случайные числа, %s с\n\n",
	"Scenario":      "Сценарий",
	"Folder":        "Папка",
	"Payback P50":   "Окупаемость P50",
	"(NPV in %s)\n": "(NPV в %s)\n",
	"\nPairs, iteration by iteration (A − B):\n": "\nПары, итерация к итерации (A − B):\n",
	"Mean A − B": "Среднее A − B",
	"Each scenario's own files: %s/<folder>/\n":                      "Файлы каждого сценария: %s/<папка>/\n",
	"%d scenarios · %s iterations · seed %d · common random numbers": "сценариев: %d · %s итераций · зерно генератора %d · общие случайные числа",
	"NPV by scenario · box P25–P75, whiskers P5–P95, P(loss) beside": "NPV по сценариям · ящик P25–P75, усы P5–P95, рядом P(убытка)",
	"▲ mean": "▲ Среднее",
	"NPV S-curves · the further right, the better; dots: P(loss)": "S-кривые NPV · чем правее, тем лучше; точки — P(убытка)",
	" · P(loss) %s": " · P(убытка) %s",
	"Cumulative cash flow by scenario · median and P10–P90": "Накопленный денежный поток по сценариям · медиана и P10–P90",
	" · median breaks even in month %d":                     " · медиана окупается на %d-й месяц",
	" · median does not break even within %d months":        " · медиана не окупается за %d мес.",

	// batch's report.html
	"Comparison of %d options":                                    "Сравнение вариантов: %d",
	"%s iterations each · random seed %d · common random numbers": "по %s итераций · зерно генератора %d · общие случайные числа",
	"Project succeeds":                                            "Проект успешен",
	"Money in %s. P5, P50, P95: percentiles over the iterations; Plan: every input at its plan value, no risk event; TEI: Forrester's fixed risk adjustment of the plan. In bold: the best option of a row.": "Деньги в %s. P5, P50, P95 — процентили по итерациям; План — все входы по плановому значению, без рисковых событий; TEI — фиксированная поправка на риск по методике Forrester. Жирным — лучший вариант в строке.",
	"P(A beats B)": "P(A лучше B)",
	"P(tie)":       "P(поровну)",
	"P(B beats A)": "P(B лучше A)",
	"Every option was simulated with the same random seed and the same iterations, and every input and risk draws its random numbers from a stream of its own (common random numbers). In iteration i, an input that two options share takes the same value in both: the difference between their NPVs in that iteration comes from the options, not from chance.": "Все варианты просчитаны с одним зерном генератора и одними итерациями, и каждый вход и риск берёт случайные числа из собственного потока (общие случайные числа). В итерации i общий для двух вариантов вход принимает в обоих одно и то же значение: разница их NPV в этой итерации — от самих вариантов, а не от случая.",
	"P(A beats B) is the share of iterations in which A's NPV is higher than B's. It is not the same as comparing the two options' P50s: an option can have the higher median and still lose in many iterations, or the lower median and win in most.":                                                                                                             "P(A лучше B) — доля итераций, в которых NPV варианта A выше, чем B. Это не то же, что сравнить их P50: вариант может иметь медиану выше и всё же проигрывать во многих итерациях, или медиану ниже и выигрывать в большинстве.",
	"Each option's NPV: the box holds the middle half of the iterations (P25–P75), the whiskers reach P5 and P95; the dark line is the median, the triangle the mean, green the plan case. P(loss) is the share of iterations with NPV below zero.":                                                                                                                "NPV каждого варианта: в ящике — средняя половина итераций (P25–P75), усы — от P5 до P95; тёмная линия — медиана, треугольник — среднее, зелёная линия — план. P(убытка) — доля итераций с NPV ниже нуля.",
	"Each option's S-curve: for any NPV on the horizontal axis, the probability of doing no better. A curve further right is better; where a curve crosses zero is the option's P(loss).":                                                                                                                                                                          "S-кривая каждого варианта: для каждого NPV на горизонтальной оси — вероятность получить не больше. Чем правее кривая, тем лучше; точка пересечения с нулём — P(убытка) варианта.",
	"Each option's cumulative cash flow month by month: the line is the median, the band holds 80% of the iterations (P10–P90). Where the median crosses zero, the option has paid back.":                                                                                                                                                                          "Накопленный денежный поток каждого варианта по месяцам: линия — медиана, в полосе — 80 % итераций (P10–P90). Где медиана пересекает ноль, вариант окупился.",
	"%s has a horizon of %d months and %s of %d: their NPVs cover different periods": "У %s горизонт %d мес., у %s — %d: их NPV охватывают разные периоды",
	"Random seed": "Зерно генератора",
	"%s and %s have the same NPV in every iteration.":    "У %s и %s одинаковый NPV в каждой итерации.",
	"%s beats %s in %s of iterations, by %s on average.": "%s лучше %s в %s итераций, в среднем на %s.",
	"Comparison of options":                              "Сравнение вариантов",
	"Option's own report":                                "Отчёт варианта",
	"Options side by side":                               "Варианты рядом",
	"Which option is ahead, iteration by iteration":      "Какой вариант впереди, итерация к итерации",
	"A − B: the difference of the NPVs in one iteration, its mean and percentiles over the iterations.": "A − B — разница NPV в одной итерации, её среднее и процентили по итерациям.",
	"Why the options can be compared iteration by iteration":                                            "Почему варианты можно сравнивать итерация к итерации",
	"The options": "Варианты",
	"Report":      "Отчёт",
	"warnings":    "предупреждений",

	// sweep
	"%s over %d values, %s iterations each, seed %d, common random numbers, %s s\n\n": "%s, значений: %[2]d, по %[3]s итераций, зерно %[4]d, общие случайные числа, %[5]s с\n\n",
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
