package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
	"github.com/spf13/pflag"
)

// Messages of the command line in English and Russian. A usage error made
// with usageMsg carries its key and arguments; exitCode words it in the
// reader's language from them (cliMessages), as model.Error.In words the
// scenario's errors. Other usage errors are printed in English.

// cliMsg names a message of the command line.
type cliMsg uint8

// The command-line messages that have a Russian text.
const (
	msgNone cliMsg = iota
	msgIterations
	msgWorkers
	msgSampling
	msgTolerance
	msgMaxIterations
	msgMaxBelow
	msgFormat
	msgOutEmpty
	msgSamplesFormat
	msgLang
)

// cliMessages are the formats of each message: English, Russian.
var cliMessages = map[cliMsg][2]string{
	msgIterations:    {"--iterations must be between 1 and %d, got %d", "--iterations: нужно число итераций от 1 до %d, получено %d"},
	msgWorkers:       {"--workers must be between 1 and 4096, got %d", "--workers: нужно от 1 до 4096 потоков, получено %d"},
	msgSampling:      {"--sampling must be mc, lhs or sobol, got %q", "--sampling: допустимы mc, lhs или sobol, получено %q"},
	msgTolerance:     {"--tolerance must be a share in (0, 1), got %v", "--tolerance: нужна доля в (0, 1), получено %v"},
	msgMaxIterations: {"--max-iterations must be between 1 and %d, got %d", "--max-iterations: нужно число от 1 до %d, получено %d"},
	msgMaxBelow:      {"--max-iterations (%d) is below --iterations (%d): a run with --tolerance starts with -n iterations", "--max-iterations (%d) меньше --iterations (%d): прогон с --tolerance начинается с -n итераций"},
	msgFormat:        {"--format must be png, svg or none, got %q", "--format: допустимы png, svg или none, получено %q"},
	msgOutEmpty:      {"--out must name a folder", "--out: укажите папку"},
	msgSamplesFormat: {"--samples-format must be csv, parquet or csv,parquet, got %q", "--samples-format: допустимы csv, parquet или csv,parquet, получено %q"},
	msgLang:          {"--lang must be en or ru, got %q", "--lang: допустимы en или ru, получено %q"},
}

// usageMsg is a usage error (exit 2) with message k and its arguments.
func usageMsg(k cliMsg, args ...any) error {
	return &usageError{msg: fmt.Sprintf(cliMessages[k][0], args...), key: k, args: args}
}

// in is the usage error's message in Russian if ru: from its key, or from
// the flag parser's typed error; the English message otherwise.
func (e *usageError) in(ru bool) string {
	if !ru {
		return e.msg
	}
	if f, ok := cliMessages[e.key]; ok {
		return fmt.Sprintf(f[1], e.args...)
	}
	if e.flagErr != nil {
		if m := flagErrorRu(e.flagErr); m != "" {
			return fmt.Sprintf("%s: %s (см. 'crmroi %s -h')", e.cmd, m, e.cmd)
		}
	}
	return e.msg
}

// flagErrorRu words an error of the flag parser in Russian, "" for one it
// does not know.
func flagErrorRu(err error) string {
	var (
		ne *pflag.NotExistError
		vr *pflag.ValueRequiredError
		iv *pflag.InvalidValueError
		is *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &ne):
		name := ne.GetSpecifiedName()
		if name == "" {
			return fmt.Sprintf("неизвестный флаг -%s", ne.GetSpecifiedShortnames())
		}
		return fmt.Sprintf("неизвестный флаг --%s", name)
	case errors.As(err, &vr):
		return fmt.Sprintf("флагу --%s нужно значение", vr.GetFlag().Name)
	case errors.As(err, &iv):
		return fmt.Sprintf("неверное значение %q флага --%s", iv.GetValue(), iv.GetFlag().Name)
	case errors.As(err, &is):
		return fmt.Sprintf("неверная запись флага %q", is.GetSpecifiedFlag())
	}
	return ""
}

// dirErrorRu words an unusable output folder in Russian.
func dirErrorRu(e *out.DirError) string {
	switch e.Kind {
	case out.DirIsFile:
		return fmt.Sprintf("нельзя записать результаты в %s: это файл, а не папка", e.Dir)
	case out.DirNoCreate:
		return fmt.Sprintf("не удаётся создать папку результатов %s: %s", e.Dir, osErrorRu(e.Err))
	}
	return fmt.Sprintf("нельзя писать в папку результатов %s: %s", e.Dir, osErrorRu(e.Err))
}

// osErrorRu is the cause of a failed file operation in Russian where it is
// a common one, else the system's words.
func osErrorRu(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "нет прав"
	case errors.Is(err, syscall.EROFS):
		return "файловая система только для чтения"
	case errors.Is(err, syscall.ENOSPC):
		return "нет места на диске"
	case errors.Is(err, fs.ErrNotExist):
		return "путь не существует"
	case errors.Is(err, syscall.ENOTDIR):
		return "часть пути — файл, а не папка"
	case err == nil:
		return ""
	}
	return err.Error()
}

// overwriteErrorRu words an OverwriteError in Russian.
func overwriteErrorRu(e *out.OverwriteError) string {
	them := "их"
	if len(e.Files) == 1 {
		them = "его"
	}
	return fmt.Sprintf("в папке %s уже есть %s, записанные не crmroi; выберите другую папку (-o) или добавьте --force, чтобы заменить %s",
		e.Dir, strings.Join(e.Files, ", "), them)
}

// russianMessages reports whether errors are to be printed in Russian: the
// --lang flag among args decides; without it, a Russian locale (LC_ALL,
// LC_MESSAGES, LANG: the first one set), as for help.
func russianMessages(args []string) bool {
	for i, a := range args {
		switch {
		case strings.HasPrefix(a, "--lang="):
			return strings.TrimPrefix(a, "--lang=") == "ru"
		case a == "--lang" && i+1 < len(args):
			return args[i+1] == "ru"
		}
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := os.Getenv(v); l != "" {
			return strings.HasPrefix(strings.ToLower(l), "ru")
		}
	}
	return false
}

// scenarioErrorIn is a scenario error in Russian if ru.
func scenarioErrorIn(e *model.Error, ru bool) string {
	if ru {
		return e.In("ru")
	}
	return e.Error()
}
