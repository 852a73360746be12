package model_test

import (
	"fmt"

	"github.com/crmroi/crmroi/model"
)

// The plan case, the TEI row and the biggest driver of the built-in scenario:
// the spreadsheet answer an analyst would give without simulation.
func ExampleAnalyze() {
	s := model.Default()
	d, err := model.Analyze(s, model.Compile(s))
	if err != nil {
		panic(err)
	}
	fmt.Printf("plan NPV %.0f, ROI %.2f, payback %.1f months\n", d.Plan.NPV, d.Plan.ROI, d.Plan.Payback)
	fmt.Printf("TEI NPV %.0f\n", d.TEI.NPV)
	fmt.Printf("top driver %s: %.0f to %.0f\n", d.Tornado[0].Input, d.Tornado[0].NPVLow, d.Tornado[0].NPVHigh)
	// Output:
	// plan NPV 28640083, ROI 3.32, payback 12.4 months
	// TEI NPV 22187838
	// top driver risk.abandon: 28640083 to -3469902
}

// A scenario is YAML; every error names the file, line, column and parameter.
func ExampleParse() {
	_, err := model.Parse("my.yaml", []byte("horizon_months: 0\n"), nil)
	for _, e := range err.(model.ErrorList) { // errors come in file order
		if e.Path == "horizon_months" {
			fmt.Println(e)
		}
	}
	// Output:
	// my.yaml:1:17: horizon_months: must lie in [1, 600] (months), got 0
}
