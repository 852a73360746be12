package distributions

// knownFamilies lists the families in the order used in messages.
var knownFamilies = []string{"pert", "triangular", "uniform", "normal", "lognormal", "beta", "gamma", "weibull", "bernoulli", "discrete", "empirical"}

// familyUsage is how each family is written, for messages.
var familyUsage = map[string]string{
	"pert":       "pert(min, mode, max)",
	"triangular": "triangular(min, mode, max)",
	"uniform":    "uniform(min, max)",
	"normal":     "normal(mean, sd)",
	"lognormal":  "lognormal(mu=…, sigma=…)",
	"beta":       "beta(alpha, beta)",
	"gamma":      "gamma(shape, scale)",
	"weibull":    "weibull(shape, scale)",
	"empirical":  "empirical(file=history.csv, column=churn)",
	"bernoulli":  "bernoulli(p)",
	"discrete":   "discrete(values=[…], weights=[…])",
}

func build(c *call) (Dist, *SyntaxError) {
	switch c.fam {
	case "pert":
		return buildPert(c)
	case "triangular":
		return buildTriangular(c)
	case "uniform":
		return buildUniform(c)
	case "normal":
		return buildNormal(c)
	case "lognormal":
		return buildLognormal(c)
	case "beta":
		return buildBeta(c)
	case "gamma":
		return buildGamma(c)
	case "weibull":
		return buildWeibull(c)
	case "bernoulli":
		return buildBernoulli(c)
	case "discrete":
		return buildDiscrete(c)
	}
	return nil, errAt(c.off, "unknown distribution %q", c.fam)
}
