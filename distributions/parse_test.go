package distributions

import (
	"errors"
	"strings"
	"testing"
)

// badExprs are expressions that must be rejected, with a substring of the
// message and the byte offset of the problem.
var badExprs = []struct {
	expr string
	msg  string
	off  int
}{
	{"", "empty expression", 0},
	{"   ", "empty expression", 0},
	{"prt(1,2,3)", `unknown distribution "prt"; known: pert, triangular, uniform, normal, lognormal, beta, gamma, weibull, bernoulli, discrete, empirical (and "A to B")`, 0},
	{"  weibul(1, 2)", `unknown distribution "weibul"`, 2},
	{"pert(1, 2)", "pert takes 3 arguments (min, mode, max), got 2", 0},
	{"pert(1, 2, 3, 4)", "pert takes 3 arguments (min, mode, max), got 4", 14},
	{"pert()", "pert takes 3 arguments (min, mode, max), got 0", 0},
	{"pert(5e6, 3.5e6, 7e6)", "pert needs min ≤ mode ≤ max, got pert(5e6, 3.5e6, 7e6)", 10},
	{"pert(3, 3, 3)", "pert needs min < max, got pert(3, 3, 3)", 11},
	{"pert(1, 2, 3, lambda=0)", "pert needs lambda > 0", 21},
	{"pert(1, 2, 3, lambda=1e5)", "pert needs lambda at most 10000", 21},
	{"pert(1, 2, 3, lamda=2)", `pert has no argument "lamda"; its arguments are min, mode, max, lambda`, 14},
	{"pert(1, 2, 3, min=0)", "cannot be truncated with min=/max= inside its parentheses: write the cut after it, as in pert(min, mode, max), min=0", 14},
	{"pert(min=1, min=2, mode=3, max=4)", `pert gets "min" twice`, 12},
	{"pert(1, 2, 3, lambda=2, 5)", "positional argument 5 after named ones", 24},
	{"pert(1, 2, 3, lambda=[1])", "pert's lambda must be a number, not a list", 21},
	{"pert(a, b, c)", `expected a number or name=value, got "a"`, 5},
	{"pert(1,,3)", `expected an argument before ","`, 7},
	{"pert(=1)", `missing argument name before "="`, 5},
	{"pert(1, 2, normal(1, 2))", "distributions cannot be nested", 11},
	{"pert(1, 2, 3", `missing ")" to close "pert("`, 4},
	{"pert(1, 2, 3))", `unbalanced ")"`, 13},
	{"pert(1 2 3)", `expected "," or ")" after an argument, got "2"`, 7},
	{"pert 1, 2, 3", "pert needs its arguments in parentheses, e.g. pert(min, mode, max)", 5},
	{"pert(1, 2, 3) x", `unexpected "x" after pert(…)`, 14},
	{"triangular(1, 5, 3)", "triangular needs min ≤ mode ≤ max, got triangular(1, 5, 3)", 14},
	{"uniform(3, 1)", "uniform needs min < max, got uniform(3, 1)", 11},
	{"uniform(-1e308, 1e308)", "too wide to compute", 16},
	{"uniform(0, 1, max=2)", "cannot be truncated", 14},
	{"normal(10, -2)", "normal needs sd > 0, got normal(10, -2)", 11},
	{"normal(10, 0)", "normal needs sd > 0", 11},
	{"normal(10)", "normal takes 2 arguments (mean, sd) or two percentiles", 0},
	{"normal(1, 2, 3)", "normal takes 2 arguments (mean, sd), got 3", 13},
	{"normal(p5=0.3, p95=0.1)", "percentiles must increase: p5=0.3 is not below p95=0.1", 19},
	{"normal(p5=0.3, p95=0.3)", "percentiles must increase", 19},
	{"normal(p0=1, p95=2)", `percentile "p0" must be between p1 and p99`, 7},
	{"normal(p100=1, p5=0)", `percentile "p100" must be between p1 and p99`, 7},
	{"normal(p5=1)", "normal needs exactly two percentiles such as p5=… and p95=…, got 1", 0},
	{"normal(p5=1, p95=2, p50=1.5)", "exactly two percentiles", 20},
	{"normal(p5=1, p05=2)", "gives percentile 5 twice", 13},
	{"normal(10, 2, p5=1, p95=3)", "either mean and sd or two percentiles, not both", 14},
	{"normal(mean=1, sd=2, mean=3)", `normal gets "mean" twice`, 21},
	{"normal(10, 2, p=5)", `normal has no argument "p"`, 14},
	{"normal(0, 1e-310)", "its values differ by less than 1e-100", 0},
	{"normal(1e-320, 1e-320)", "its values differ by less than 1e-100", 0},
	{"uniform(1e-300, 2e-300)", "its values differ by less than 1e-100", 0},
	{"discrete(values=[0, 1e-200])", "its values differ by less than 1e-100", 0},
	{"normal(0, 1, min=3, max=2)", "normal needs min < max, got normal(0, 1, min=3, max=2)", 24},
	{"normal(10, 2, min=1e999)", `number "1e999" is too large`, 18},
	{"lognormal(mu=1, sigma=0)", "lognormal needs sigma > 0, got lognormal(mu=1, sigma=0)", 22},
	{"lognormal(p10=-1, p90=5)", "lognormal percentiles must be positive, got p10=-1", 14},
	{"lognormal(p10=0, p90=5)", "lognormal percentiles must be positive, got p10=0", 14},
	{"lognormal(1, 2)", "lognormal takes named arguments only", 10},
	{"lognormal(mu=1, sd=2)", "not a mix", 0},
	{"lognormal(mean=-5, sd=1)", "lognormal needs mean > 0", 15},
	{"lognormal(mean=5, sd=0)", "lognormal needs sd > 0", 21},
	{"lognormal(mu=1)", "lognormal(mu=…) also needs sigma", 0},
	{"lognormal()", "lognormal needs its parameters", 0},
	{"lognormal(mu=1, sigma=1, max=-1)", "truncation max=-1 leaves no probability mass", 29},
	{"lognormal(mu=1000, sigma=1)", "gives values too large to compute", 0},
	{"beta(0, 2)", "beta needs alpha > 0, got beta(0, 2)", 5},
	{"beta(2, -1)", "beta needs beta > 0", 8},
	{"beta(0.001, 2)", "beta needs alpha between 0.05 and 100000", 5},
	{"beta(2, 5, min=1, max=1)", "beta needs min < max, got beta(2, 5, min=1, max=1)", 22},
	{"beta(2, 5, min=10)", "beta needs min < max (max is 1 unless given)", 15},
	{"gamma(2, -1)", "gamma needs scale > 0, got gamma(2, -1)", 9},
	{"gamma(0, 1)", "gamma needs shape > 0", 6},
	{"gamma(1e-9, 1)", "gamma needs shape between 0.05 and 10000000", 6},
	{"gamma(2, 1, max=0)", "truncation max=0 leaves no probability mass", 16},
	{"gamma(2, 1, min=5, min=6)", `gamma gets "min" twice`, 19},
	{"bernoulli(1.5)", "bernoulli needs a probability 0 ≤ p ≤ 1, got bernoulli(1.5)", 10},
	{"bernoulli(-0.1)", "bernoulli needs a probability 0 ≤ p ≤ 1", 10},
	{"bernoulli(0.5, min=0)", `bernoulli has no argument "min"`, 15},
	{"discrete(values=[1, 2], weights=[1])", "discrete needs as many weights as values, got 2 values and 1 weights", 32},
	{"discrete(values=[1, 2], weights=[1, -1])", "discrete weights must not be negative, got -1", 36},
	{"discrete(values=[1, 2], weights=[0, 0])", "discrete weights sum to 0", 32},
	{"discrete(values=[])", "discrete needs at least one value", 16},
	{"discrete(values=1)", "discrete's values must be a list such as [1, 2, 3], got values=1", 16},
	{"discrete(weights=[1])", "missing values", 0},
	{"discrete(values=[1, 2], min=0)", `discrete has no argument "min"`, 24},
	{"discrete(values=[1, 2], weights=[1, 2)", `expected "," or "]" in the list, got ")"`, 37},
	{"discrete(values=[1, 2", `missing "]" to close the list`, 16},
	{"discrete(values=[1,[2]])", "lists cannot be nested", 19},
	{"discrete(values=[1,])", `expected a number after "," in the list`, 19},
	{"7 to 2", `"A to B" needs A < B, got 7 to 2`, 5},
	{"3 to 3", `"A to B" needs A < B`, 5},
	{"1 to", `expected a number after "to"`, 4},
	{"to 5", `"to" needs a number before it`, 0},
	{"1 to 2 to 3", `unexpected "to" after "1 to 2"`, 7},
	{"1 to inf", `"inf" is not a finite number`, 5},
	{"nan", `"nan" is not a finite number`, 0},
	{"Inf", `"Inf" is not a finite number`, 0},
	{"pert(1, inf, 3)", `"inf" is not a finite number`, 8},
	{"1e999", `number "1e999" is too large`, 0},
	{"-1e999", `number "1e999" is too large`, 1},
	{"5 6", `unexpected "6" after "5"`, 2},
	{"5 million", `unexpected "million" after "5": write 5e6 instead`, 2},
	{"5k", `"5k" is not a number`, 0},
	{"1.2.3", `"1.2.3" is not a number`, 0},
	{"3__500", "an underscore must sit between two digits", 0},
	{"1_", "an underscore must sit between two digits", 0},
	{")", `unbalanced ")"`, 0},
	{"-", `expected a number after "-", got the end of the expression`, 1},
	{"5 -", `expected a number after "-"`, 3},
	{"5 * * 3", `expected a number after "*", got "*"`, 4},
	{"1 / 0", `division by zero in "1 / 0"`, 2},
	{"(1 - 1) / (2 - 2)", `division by zero`, 8},
	{"1e300 * 1e300", `"1e300 * 1e300" is too large to compute`, 6},
	{"10 ^ 400", `is too large to compute`, 3},
	{"(1 + 2", `missing ")" to close "("`, 0},
	{"(1 + 2 3)", `expected ")" or an operator`, 7},
	{"pert(1, 2 +, 3)", `expected a number after "+", got ","`, 11},
	{"pert(1%, 2 x, 3)", `expected "," or ")" after an argument, got "x"`, 11},
	{"5 + pert(1, 2, 3)", "distributions cannot be nested", 4},
	{"2 * inf", `"inf" is not a finite number`, 4},
	{"%", `unexpected "%"`, 0},
	{"5 × 3", `write multiplication as "*"`, 2},
	{"0.7 to 0.9, max=-1", "the cut max=-1 leaves no probability mass of 0.7 to 0.9", 16},
	{"0.7 to 0.9, min=0.9, max=0.8", "a cut needs min ≤ max, got min=0.9, max=0.8", 25},
	{"0.7 to 0.9, min=0.8, max=0.8", "the cut min=0.8, max=0.8 leaves no probability mass", 16},
	{"0.7 to 0.9, mode=1", "a comma can only bring a cut", 12},
	{"0.7 to 0.9, max", `expected "=" after "max"`, 15},
	{"0.7 to 0.9, max=", `missing value after "max="`, 16},
	{"0.7 to 0.9, max=1, max=2", `the cut gets "max" twice`, 19},
	{"pert(1, 2, 3), min=5", "the cut min=5 leaves no probability mass of pert(1, 2, 3)", 19},
	{"5, min=6", "the cut min=6 leaves no probability mass of 5", 7},
	{"discrete(values=[1, 2]), min=1.5, max=1.9", "leaves no probability mass", 29},
	{"lognormal(mu=0, sigma=1), max=-40", "the cut max=-40 leaves no probability mass", 30},
	{"pert(1, 2, 3), min=0 x", `unexpected "x" after "pert(1, 2, 3), min=0"`, 21},
	{"= 5", `unexpected "="`, 0},
	{"−5", `unexpected "−": write a minus sign as "-"`, 0},
	{"5–10", `unexpected "–"`, 1},
	{`"pert(1,2,3)"`, "write the expression without quotes", 0},
	{"pert(1, 2, 3)\xff", `unexpected character "\xff"`, 13},
	{"foo", `expected a number or a distribution such as pert(0.2, 0.25, 0.3), got "foo"`, 0},
}

func TestParseErrors(t *testing.T) {
	for _, c := range badExprs {
		d, err := Parse(c.expr)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want an error containing %q", c.expr, d, c.msg)
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q): error %T is not a *SyntaxError", c.expr, err)
			continue
		}
		if !strings.Contains(se.Msg, c.msg) {
			t.Errorf("Parse(%q): message %q does not contain %q", c.expr, se.Msg, c.msg)
		}
		if se.Offset != c.off {
			t.Errorf("Parse(%q): offset %d, want %d (message %q)", c.expr, se.Offset, c.off, se.Msg)
		}
		if se.Error() != se.Msg {
			t.Errorf("Parse(%q): Error() %q differs from Msg", c.expr, se.Error())
		}
		if strings.ContainsAny(se.Msg, "\n\r") {
			t.Errorf("Parse(%q): message spans lines: %q", c.expr, se.Msg)
		}
	}
}

func TestParseLimits(t *testing.T) {
	long := "discrete(values=[" + strings.Repeat("1, ", maxList) + "1])"
	if _, err := Parse(long); err == nil || !strings.Contains(err.Error(), "at most 10000 values") {
		t.Errorf("a list of %d values: err = %v", maxList+1, err)
	}
	ok := "discrete(values=[" + strings.Repeat("1, ", maxList-1) + "1])"
	if _, err := Parse(ok); err != nil {
		t.Errorf("a list of %d values: %v", maxList, err)
	}
	if _, err := Parse(strings.Repeat(" ", maxInput+1)); err == nil || err.(*SyntaxError).Offset != 0 {
		t.Errorf("over-long input: err = %v", err)
	}
}

// goodExprs all parse; they seed the fuzzer with the bad ones.
var goodExprs = []string{
	"0.25", "50e6", "-3", "3_500_000", ".5", "+2", "1E-3",
	"pert(0.15, 0.25, 0.40)", "pert(0, 50e3, 300e3)", "pert(1, 2, 10, lambda=2)", "pert(min=1, mode=2, max=3)",
	"triangular(1, 2, 4)", "uniform(-1, 3)", "uniform(min=0, max=1)",
	"normal(10, 2)", "normal(p5=0.1, p95=0.3)", "normal(10, 2, min=9, max=15)", "normal(mean=10, sd=2, max=12)",
	"lognormal(mu=1, sigma=0.5)", "lognormal(mean=100, sd=30)", "lognormal(p10=2e6, p90=6e6)", "lognormal(p10=2e6, p90=6e6, min=1e6)",
	"2e6 to 7e6", "-1 to 3", "0 to 1",
	"beta(2, 5)", "beta(2, 5, min=10, max=20)", "beta(alpha=0.5, beta=0.5)",
	"gamma(2, 3)", "gamma(shape=0.5, scale=1, max=3)", "bernoulli(0.3)", "bernoulli(p=1)",
	"discrete(values=[1, 2, 3], weights=[0.2, 0.5, 0.3])", "discrete(values=[7])",
	// extremes that must still compute
	"triangular(1e308, 1.5e308, 1.7e308)", "gamma(0.05, 1e300)", "normal(0, 1, min=37)", "normal(0, 1, max=-37)",
	"lognormal(mu=700, sigma=0.01)", "beta(0.05, 1e5)", "pert(0, 1e-300, 1, lambda=1e4)", "gamma(1e7, 1e-90, min=1e-83)",
	// cuts far in a tail (issue 17 item 4)
	"normal(0, 1, min=40)", "normal(0, 1, max=-1000)", "lognormal(mu=0, sigma=1, min=1e30)", "weibull(1, 1, min=710)", "gamma(2, 1, min=800)", "gamma(200, 1, max=1)",
	// percentages, constant expressions and cuts of every form
	"25%", "pert(20%, 25%, 30%)", "20% to 30%", "600e6 / 12", "1.5 * 12e3", "-(2 + 3) * 4", "2^10", "(1 + 1)%",
	"0.7 to 0.9, max=1", "0.05 to 0.25, min=0, max=1", "-1 to 3, min=0", "pert(0.2, 0.5, 1.1), max=1",
	"triangular(0, 1, 4), min=0.5, max=3", "uniform(0, 2), max=1", "beta(2, 5), max=0.5", "weibull(2, 3, max=4)",
	"normal(0, 1), min=0", "discrete(values=[1, 2, 3]), max=2", "bernoulli(0.3), max=0.5", "gamma(2, 3), min=1",
	"lognormal(mu=0, sigma=1), max=50%", "5, min=0",
}

func TestParseGood(t *testing.T) {
	for _, e := range goodExprs {
		if _, err := Parse(e); err != nil {
			t.Errorf("Parse(%q): %v", e, err)
		}
	}
}
