package out

// sensitivityRu are the Russian texts of the sensitivity table, charts and
// report section; init adds them to ruText where it has none.
var sensitivityRu = map[string]string{
	"95% interval":        "95% интервал",
	"Contribution":        "Вклад в дисперсию",
	"First order":         "Первого порядка",
	"Group":               "Группа",
	"Groups of inputs":    "Группы факторов",
	"Input":               "Фактор",
	"Inputs":              "Факторов",
	"Month":               "Месяц",
	"Total":               "Полный",
	"Swing":               "Размах",
	"Sensitivity":         "Чувствительность",
	"interactions":        "взаимодействия",
	"No uncertain inputs": "Нет неопределённых факторов",
	"No Sobol indices: the output does not vary":                                            "Индексов Соболя нет: результат не меняется",
	"No month-by-month shares: the model has no months or no groups":                        "Долей по месяцам нет: в модели нет месяцев или групп",
	"Percentile of the input":                                                               "Процентиль фактора",
	"Share of the variance of the cumulative cash flow":                                     "Доля дисперсии накопленного денежного потока",
	"Share of variance":                                                                     "Доля дисперсии",
	"Top drivers (value and rank by each method; sorted by total Sobol index):\n":           "Главные факторы (значение и место по каждому методу; по убыванию полного индекса Соболя):\n",
	"What drives the cumulative cash flow, month by month · share of its variance by group": "Что определяет накопленный денежный поток по месяцам · доля его дисперсии по группам",
	"\nGroups (Sobol indices of the inputs taken together):\n":                              "\nГруппы (индексы Соболя факторов вместе):\n",
	"\nNotes:\n": "\nПримечания:\n",
	"Spearman":   "ρ Спирмена",
	"Sobol S1":   "Соболь, 1-й порядок",
	"Sobol ST":   "Соболь, полный",
	"S1":         "1-й порядок",
	"ST":         "полный",
	"95% CI":     "95% ДИ",
	"95% CI ST":  "95% ДИ полного",
	"PRCC":       "частная ρ",
	"SRRC":       "ранговая регрессия",
	"Output %s · %s iterations for the rank measures · Sobol: N = %s (%s), %s model runs · seed %d · %s s\n\n": "Результат %s · %s итераций для ранговых мер · Соболь: N = %s (%s), прогонов модели: %s · зерно %d · %s с\n\n",
	"Sobol N = %s, %s model runs · seed %d":                                                          "Соболь N = %s, прогонов модели: %s · зерно %d",
	"Sobol indices of %s · share of its variance, alone (first order) and with interactions (total)": "Индексы Соболя для %s · доля дисперсии: сам по себе (первого порядка) и со взаимодействиями (полный)",
	"Spider · %s as each input moves through its percentiles, others at plan":                        "Паук · %s при движении каждого фактора по его процентилям, остальные по плану",
	"Which inputs drive %s, by several methods: rank correlations on the Monte Carlo sample (%s iterations) and Sobol indices from a Saltelli design (N = %s, %s model runs, %s base sample). Inputs sorted by total Sobol index.": "Какие факторы определяют %s, по нескольким методам: ранговые корреляции на выборке Монте-Карло (%s итераций) и индексы Соболя по схеме Сальтелли (N = %s, прогонов модели: %s, базовая выборка %s). Факторы по убыванию полного индекса Соболя.",
	"Each line is one input moved through its P10, P25, P50, P75 and P90 with every other input at plan and no risk event; the steeper the line, the more the output depends on that input.":                                       "Каждая линия — один фактор на его P10, P25, P50, P75 и P90, остальные по плану, без рисковых событий; чем круче линия, тем сильнее результат зависит от фактора.",
	"The share of the output's variance due to each input alone (first order) and with its interactions (total), with bootstrap 95% intervals; correlations are switched off.":                                                     "Доля дисперсии результата, которую даёт каждый фактор сам по себе (первого порядка) и со взаимодействиями (полный), с бутстрэп-интервалами 95%; корреляции отключены.",
	"For every month, the share of the variance of the cumulative cash flow that each group of inputs explains alone; grey on top is what only interactions explain.":                                                              "Для каждого месяца — доля дисперсии накопленного денежного потока, которую объясняет каждая группа факторов сама по себе; серое сверху — то, что объясняют только взаимодействия.",
}

func init() {
	for k, v := range sensitivityRu {
		if _, ok := ruText[k]; !ok {
			ruText[k] = v
		}
	}
}
