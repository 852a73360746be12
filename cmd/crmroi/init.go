package main

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
	"github.com/spf13/pflag"
)

// initOptions are the options of init.
type initOptions struct {
	force bool   // overwrite FILE
	lang  string // language of the comments: en or ru
}

// AddFlags adds init's flags to fs.
func (o *initOptions) AddFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.force, "force", false, "overwrite FILE if it exists")
	fs.StringVar(&o.lang, "lang", "en", "language of the comments: en or ru")
}

// runInit writes the default scenario to the file args names, or to stdout.
func runInit(_ context.Context, opts *initOptions, args []string, stdout, stderr io.Writer) error {
	text := model.DefaultYAML
	switch opts.lang {
	case "en":
	case "ru":
		text = model.DefaultYAMLRu
	default:
		return usagef("--lang must be en or ru, got %q", opts.lang)
	}
	switch len(args) {
	case 0:
		_, err := stdout.Write(text)
		return err
	case 1:
	default:
		return usagef("init takes at most one FILE, got %d", len(args))
	}
	file := args[0]
	switch file {
	case "-": // the usual name of the standard output
		_, err := stdout.Write(text)
		return err
	case "":
		return usagef("init: the file name is empty; give a name, or - (or none) for the standard output")
	}
	if st, err := os.Stat(file); err == nil {
		if st.IsDir() {
			return usagef("%s is a directory", file)
		}
		if !opts.force {
			return usagef("%s exists; use --force to overwrite it", file)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return out.WriteFileAtomic(file, func(w io.Writer) error {
		_, err := w.Write(text)
		return err
	})
}
