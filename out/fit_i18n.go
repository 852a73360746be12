package out

// ruFitText are the Russian texts of `crmroi fit`'s charts and of the source
// notes of inputs read from data.
var ruFitText = map[string]string{
	"Source":                    "Источник",
	"Density":                   "Плотность",
	"Data":                      "Данные",
	"Fitted distributions · %s": "Подобранные распределения · %s",
	"Fitted quantile":           "Квантиль подобранного распределения",
	"Data quantile":             "Квантиль данных",
	"Q–Q plot · %s: points on the line fit well": "График Q–Q · %s: чем ближе точки к прямой, тем лучше",
}

// The texts are added to the translations; a text the shared table already
// translates keeps its translation there.
func init() {
	for k, v := range ruFitText {
		if _, ok := ruText[k]; !ok {
			ruText[k] = v
		}
	}
}
