package distributions

// Adding a family: write its file as the others (normal.go is a model): its
// base (cdf, sf, pdf, logpdf, dlogpdf, qlo, qhi, support, mean, truncMean;
// logTails too if its tails underflow), its constructor NewX with a doc
// comment and its builder buildX, which binds the call's arguments and calls
// the constructor; then add one line to families below. If it can be fitted
// to data, add its name to FitFamilies and its estimator to fit's fitters
// (a test checks the two lists agree). Nothing else lists families.

// family is one family of expressions: its name, how it is written (for
// messages) and its builder, which maps the parsed call to its constructor.
type family struct {
	name, usage string
	build       func(c *call) (Dist, *SyntaxError) // nil: parsed on its own (empirical)
}

// families are the families of expressions in the order used in messages
// (set in init: the builders refer back to the list for their messages).
var families []family

func init() {
	families = []family{
		{"pert", "pert(min, mode, max)", buildPert},
		{"triangular", "triangular(min, mode, max)", buildTriangular},
		{"uniform", "uniform(min, max)", buildUniform},
		{"normal", "normal(mean, sd)", buildNormal},
		{"lognormal", "lognormal(mu=…, sigma=…)", buildLognormal},
		{"beta", "beta(alpha, beta)", buildBeta},
		{"gamma", "gamma(shape, scale)", buildGamma},
		{"weibull", "weibull(shape, scale)", buildWeibull},
		{"bernoulli", "bernoulli(p)", buildBernoulli},
		{"discrete", "discrete(values=[…], weights=[…])", buildDiscrete},
		{"empirical", "empirical(file=history.csv, column=churn)", nil},
	}
	for _, f := range families {
		knownFamilies = append(knownFamilies, f.name)
		familyUsage[f.name] = f.usage
	}
}

// FitFamilies are the families that can be fitted to data by maximum
// likelihood, in the order they are tried: those of `crmroi fit` (fit.Families
// is this list) and of empirical(…, fit=FAMILY) besides "best".
var FitFamilies = []string{"normal", "lognormal", "gamma", "weibull", "beta", "triangular", "pert", "uniform"}

// knownFamilies lists the families' names in the order used in messages.
var knownFamilies []string

// familyUsage is how each family is written, for messages.
var familyUsage = map[string]string{}

// build maps a parsed call to its family's constructor.
func build(c *call) (Dist, *SyntaxError) {
	for _, f := range families {
		if f.name == c.fam && f.build != nil {
			return f.build(c)
		}
	}
	return nil, errAt(c.off, "unknown distribution %q", c.fam)
}
