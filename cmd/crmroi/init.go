package main

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
)

func initCmd(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlags("init", "init [FILE] [--force]", stderr)
	force := fl.Bool("force", false, "overwrite FILE if it exists")
	if err := parseFlags(fl, args); err != nil {
		return err
	}
	switch fl.NArg() {
	case 0:
		_, err := stdout.Write(model.DefaultYAML)
		return err
	case 1:
	default:
		return usagef("init takes at most one FILE, got %d", fl.NArg())
	}
	file := fl.Arg(0)
	if st, err := os.Stat(file); err == nil {
		if st.IsDir() {
			return usagef("%s is a directory", file)
		}
		if !*force {
			return usagef("%s exists; use --force to overwrite it", file)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return out.WriteFileAtomic(file, func(w io.Writer) error {
		_, err := w.Write(model.DefaultYAML)
		return err
	})
}
