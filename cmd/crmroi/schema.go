package main

import (
	"context"
	"io"

	"github.com/crmroi/crmroi/model"
)

// schemaCmd prints the JSON Schema (draft 2020-12) of scenario files, for
// editors: VS Code's YAML extension completes and checks a scenario with
// "# yaml-language-server: $schema=crmroi.schema.json" as its first line.
func schemaCmd(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("schema", "schema > crmroi.schema.json", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("schema takes no arguments, got %q", fs.Arg(0))
	}
	b, err := model.Schema()
	if err != nil {
		return err
	}
	_, err = stdout.Write(b)
	return err
}
