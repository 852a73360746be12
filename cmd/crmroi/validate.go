package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
	"github.com/spf13/pflag"
)

// validateOptions are the options of validate.
type validateOptions struct {
	strict bool   // warnings are errors
	lang   string // language of the errors (main reads it from the arguments)
}

// AddFlags adds validate's flags to fs.
func (o *validateOptions) AddFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.strict, "strict", false, "treat warnings (implausible values, distributions cut at their domain) as errors: exit 2")
	fs.StringVar(&o.lang, "lang", "en", "language of the error messages: en or ru")
}

// runValidate loads each scenario file of args and reports every error found.
func runValidate(_ context.Context, opts *validateOptions, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("validate needs at least one scenario file")
	}
	if _, err := out.ParseLang(opts.lang); err != nil {
		return usageMsg(msgLang, opts.lang)
	}
	var all model.ErrorList
	for _, file := range args {
		s, err := model.Load(file, nil)
		var el model.ErrorList
		switch {
		case err == nil && opts.strict && len(s.StrictErrors()) > 0:
			all = append(all, s.StrictErrors()...)
		case err == nil:
			if s.IsFormula() {
				fmt.Fprintf(stdout, "%s: ok (formula model, %s, %s)\n", file, plural(len(s.Uncertain()), "uncertain input"), plural(len(s.FormulaOutputs), "output"))
				printWarnings(stdout, s)
				continue
			}
			gate := ""
			if g := s.Gate; g != nil { // say what the gate will do, as the file's reader sees it
				gate = fmt.Sprintf(", a gate at the end of run month %d: stop if %s", g.RunMonth, g.StopIf.Text)
			}
			fmt.Fprintf(stdout, "%s: ok (%d uncertain inputs, %d months%s)\n", file, len(s.Uncertain()), s.Horizon, gate)
			printWarnings(stdout, s)
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

// printWarnings writes the warnings of s, one a line: those about a value at
// its place (file:line:col: warning: path: message), the others at the file.
func printWarnings(w io.Writer, s *model.Scenario) {
	for _, e := range s.StrictErrors() {
		fmt.Fprintf(w, "%s: warning: ", e.Pos)
		if e.Path != "" {
			fmt.Fprintf(w, "%s: ", e.Path)
		}
		fmt.Fprintln(w, e.Msg)
	}
}

// plural writes "1 output", "3 outputs".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
