package out

// ruOnePageText are the Russian texts of summary.pdf.
var ruOnePageText = map[string]string{
	"within %s": "за %s",
	"In every simulated future the project pays back %s":                                                                       "Во всех смоделированных вариантах будущего проект окупается %s",
	"In no simulated future does the project pay back %s":                                                                      "Ни в одном смоделированном варианте будущего проект не окупается %s",
	"In %s of simulated futures the project pays back %s":                                                                      "В %s смоделированных вариантов будущего проект окупается %s",
	"; in %s it does not pay back within %s":                                                                                   "; в %s — не окупается за %s",
	"In 90%% of them NPV lies between %s and %s, with a median of %s against %s in the plan; the probability of a loss is %s.": "В 90 %% вариантов NPV лежит между %s и %s, медиана — %s при плане %s; вероятность убытка — %s.",
	"No input is uncertain: the plan's figures are the only ones.":                                                             "Неопределённых входов нет: цифры плана — единственные.",
	"The main risk is %s: if it happens, NPV is %s instead of %s.":                                                             "Главный риск — %s: если событие наступит, NPV составит %s вместо %s.",
	"The main risk is %s: between its P10 and P90 values NPV ranges from %s to %s.":                                            "Главный риск — %s: между его значениями P10 и P90 NPV меняется от %s до %s.",
	"before deciding":                   "до решения",
	"before choosing among the options": "до выбора между вариантами",
	"Perfect information about every input %s is worth up to %s (EVPI).":                       "Полная информация обо всех входах %s стоит до %s.",
	"Knowing %s %s is worth up to %s; perfect information about every input, up to %s (EVPI).": "Знание %s %s стоит до %s; полная информация обо всех входах — до %s.",
	"One-page summary · %s iterations · seed %d · horizon %s · money in %s":                    "Сводка на одной странице · итераций: %s · зерно: %d · горизонт: %s · суммы в %s",
	"probability of a loss, P(NPV\u00a0<\u00a00)":                                              "вероятность убытка, P(NPV\u00a0<\u00a00)",
	"pays back within %s": "окупается за %s",
	"What moves NPV · inputs at P10 and P90, risks off and on": "Что двигает NPV · входы в P10 и P90, риски без события и с ним",
	"the built-in default scenario":                            "встроенный сценарий по умолчанию",
	"scenario file %s":                                         "файл сценария %s",
	"details: report.html, summary.json":                       "подробности: report.html, summary.json",
	"Options compared: %s":                                     "Сравнение вариантов: %s",
	"One-page comparison · %d options · %s iterations each · seed %d · common random numbers · money in %s": "Сравнение на одной странице · вариантов: %d · итераций в каждом: %s · зерно: %d · общие случайные числа · суммы в %s",
	"Pays back within %s": "Окупается за %s",
	"Option":              "Вариант",
	"Plan NPV":            "NPV по плану",
	"Peak funding P95":    "Пиковое финансирование P95",
	"%s has the highest median NPV, %s (P5 %s, P95 %s, plan %s), with a probability of a loss of %s.": "Наибольшая медиана NPV — у %s: %s (P5 %s, P95 %s, план %s), вероятность убытка — %s.",
	"Iteration by iteration, on the same simulated futures, it beats %s in %s of them.":               "Итерация к итерации, на одних и тех же смоделированных вариантах будущего, он лучше %s в %s из них.",
	"The lowest probability of a loss: %s (%s); the earliest median payback: %s (%s).":                "Наименьшая вероятность убытка — у %s (%s); самая ранняя медиана окупаемости — у %s (%s).",
	"%s months": "%s мес.",
}

func init() {
	for k, v := range ruOnePageText {
		if _, ok := ruText[k]; !ok {
			ruText[k] = v
		}
	}
}
