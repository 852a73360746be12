package distributions_test

import (
	"errors"
	"fmt"

	"github.com/crmroi/crmroi/distributions"
)

func ExampleParse() {
	d, err := distributions.Parse("pert(0.15, 0.25, 0.40)")
	if err != nil {
		panic(err)
	}
	fmt.Println(d)
	fmt.Printf("plan %.4g, mean %.4g\n", d.Plan(), d.Mean())
	fmt.Printf("p10 %.4g, p50 %.4g, p90 %.4g\n", d.Quantile(0.1), d.Quantile(0.5), d.Quantile(0.9))

	r, _ := distributions.Parse("2e6 to 7e6")
	fmt.Printf("%s: plan %.4g, p5 %.4g, p95 %.4g\n", r, r.Plan(), r.Quantile(0.05), r.Quantile(0.95))

	_, err = distributions.Parse("pert(5e6, 3.5e6, 7e6)")
	var se *distributions.SyntaxError
	if errors.As(err, &se) {
		fmt.Printf("offset %d: %s\n", se.Offset, se.Msg)
	}
	// Output:
	// pert(0.15, 0.25, 0.4)
	// plan 0.25, mean 0.2583
	// p10 0.1972, p50 0.2564, p90 0.3225
	// 2000000 to 7000000: plan 4.023e+06, p5 2e+06, p95 7e+06
	// offset 10: pert needs min ≤ mode ≤ max, got pert(5e6, 3.5e6, 7e6)
}

func ExampleFast() {
	d, _ := distributions.Parse("gamma(2.5, 3)")
	q := distributions.Fast(d) // build once, then call in the hot loop
	fmt.Printf("%.6f %.6f\n", q.Quantile(0.5), d.Quantile(0.5))
	// Output:
	// 6.527190 6.527190
}

func ExampleNewPERT() {
	d, err := distributions.NewPERT(0.15, 0.25, 0.40, 4)
	if err != nil {
		panic(err)
	}
	fmt.Println(d)
	fmt.Printf("plan %.4g, density at the mode %.4g\n", d.Plan(), d.Prob(0.25))

	_, err = distributions.NewPERT(5e6, 3.5e6, 7e6, 4)
	var pe *distributions.ParamError
	if errors.As(err, &pe) {
		fmt.Printf("%s (parameter %s)\n", pe, pe.Param)
	}
	// Output:
	// pert(0.15, 0.25, 0.4)
	// plan 0.25, density at the mode 7.629
	// pert needs min ≤ mode ≤ max (parameter mode)
}

func ExampleTruncate() {
	d, _ := distributions.Parse("0.05 to 0.25")
	fmt.Printf("%.2g of the mass lies above 1\n", distributions.Outside(d, 0, 1))
	c, _ := distributions.Truncate(d, 0, 1)
	fmt.Println(c)
	// Output:
	// 3.8e-06 of the mass lies above 1
	// 0.05 to 0.25, max=1
}
