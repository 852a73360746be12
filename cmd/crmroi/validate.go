package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/crmroi/crmroi/model"
)

func validateCmd(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlags("validate", "validate SCENARIO.yaml…", stderr)
	if err := parseFlags(fl, args); err != nil {
		return err
	}
	if fl.NArg() == 0 {
		return usagef("validate needs at least one scenario file")
	}
	var all model.ErrorList
	for _, file := range fl.Args() {
		s, err := model.Load(file, nil)
		var el model.ErrorList
		switch {
		case err == nil:
			if s.IsFormula() {
				fmt.Fprintf(stdout, "%s: ok (formula model, %s, %s)\n", file, plural(len(s.Uncertain()), "uncertain input"), plural(len(s.FormulaOutputs), "output"))
				continue
			}
			fmt.Fprintf(stdout, "%s: ok (%d uncertain inputs, %d months)\n", file, len(s.Uncertain()), s.Horizon)
			for _, w := range s.Warnings {
				fmt.Fprintf(stdout, "%s: warning: %s\n", file, w)
			}
		case errors.As(err, &el):
			all = append(all, el...)
		default:
			return err
		}
	}
	if len(all) > 0 {
		return all
	}
	return nil
}

// plural writes "1 output", "3 outputs".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
