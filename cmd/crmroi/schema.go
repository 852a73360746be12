package main

import (
	"context"
	"io"

	"github.com/crmroi/crmroi/model"
	"github.com/spf13/pflag"
)

// schemaOptions are the options of schema: none.
type schemaOptions struct{}

// AddFlags adds schema's flags: none.
func (*schemaOptions) AddFlags(*pflag.FlagSet) {}

// runSchema prints the JSON Schema (draft 2020-12) of scenario files, for
// editors: VS Code's YAML extension completes and checks a scenario with
// "# yaml-language-server: $schema=crmroi.schema.json" as its first line.
func runSchema(_ context.Context, _ *schemaOptions, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return usagef("schema takes no arguments, got %q", args[0])
	}
	b, err := model.Schema()
	if err != nil {
		return err
	}
	_, err = stdout.Write(b)
	return err
}
