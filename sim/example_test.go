package sim_test

import (
	"context"
	"fmt"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// A run is a function of the scenario, the seed and the iteration count:
// the same numbers come out for any number of workers.
func ExampleRun() {
	s := model.Default()
	for _, workers := range []int{1, 2} {
		r, err := sim.Run(context.Background(), s, sim.Config{Iterations: 20_000, Seed: 7, Workers: workers})
		if err != nil {
			panic(err)
		}
		fmt.Printf("workers %d: P(loss) %.4f, P50 NPV %.0f\n", workers, r.Prob(0, model.ProbNegative), r.Metrics[0].Pct[4])
	}
	// Output:
	// workers 1: P(loss) 0.2265, P50 NPV 22725491
	// workers 2: P(loss) 0.2265, P50 NPV 22725491
}
