// Command crmroi is a Monte Carlo risk simulator for the business case of a CRM
// implementation: it samples uncertain effects and costs, simulates the monthly
// cash flow on parallel workers and reports NPV, ROI, payback and peak-funding
// distributions, bands over time, the plan case, the TEI row and the tornado.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
	"github.com/crmroi/crmroi/sim"
	"github.com/spf13/pflag"
)

// Exit codes of cli.md.
const (
	exitOK          = 0
	exitFailure     = 1
	exitBadInput    = 2
	exitInterrupted = 130
)

// command is one subcommand, restic-style: an options struct holds its flags,
// the struct's AddFlags adds them to a flag set, and runX(ctx, opts, args, …)
// runs the command with the parsed options and the remaining arguments. Main
// parses the command line with the flag set; completion reads the same flag
// sets without running anything.
type command struct {
	name    string
	usage   string // the synopsis, after "crmroi "
	summary string
	// bind adds the command's flags to fs, bound to a new value of its
	// options, and returns the command run with them.
	bind func(fs *pflag.FlagSet) runFunc
}

// runFunc runs a command with the arguments left after its flags.
type runFunc func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// options is a command's options struct.
type options interface {
	// AddFlags adds the command's flags to fs, bound to the struct's fields
	// (which take the flags' defaults).
	AddFlags(fs *pflag.FlagSet)
}

// bind makes a command's bind from its options type O and its runX.
func bind[O any, P interface {
	*O
	options
}](run func(ctx context.Context, opts P, args []string, stdout, stderr io.Writer) error) func(*pflag.FlagSet) runFunc {
	return func(fs *pflag.FlagSet) runFunc {
		opts := P(new(O))
		opts.AddFlags(fs)
		return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			return run(ctx, opts, args, stdout, stderr)
		}
	}
}

// flagSet returns the command's flag set with its flags bound to a new value
// of its options, and the command run with them.
func (c command) flagSet(stderr io.Writer) (*pflag.FlagSet, runFunc) {
	fs := newFlags(c.name, c.usage, stderr)
	return fs, c.bind(fs)
}

// execute parses args with the command's flags and runs it.
func (c command) execute(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, run := c.flagSet(stderr)
	if russianHelp(args) { // the summary and headings in Russian; the flags' texts stay English
		fs.Usage = func() {
			fmt.Fprintf(stderr, "crmroi %s: %s\n\nИспользование: crmroi %s\n\nФлаги:\n%s", c.name, c.summaryIn(true), c.usage, fs.FlagUsages())
		}
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return run(ctx, fs.Args(), stdout, stderr)
}

func commands() []command {
	return []command{
		{name: "run", usage: "run [SCENARIO.yaml] [flags]", summary: "simulate one scenario (without a file: the built-in default scenario)", bind: bind(runRun)},
		{name: "validate", usage: "validate SCENARIO.yaml… [--strict]", summary: "check scenario files and report every error found", bind: bind(runValidate)},
		{name: "init", usage: "init [FILE] [--force] [--lang ru]", summary: "write the default scenario, with a comment on every parameter", bind: bind(runInit)},
		{name: "batch", usage: "batch SCENARIO.yaml… [flags]", summary: "simulate several scenarios with common random numbers and compare them", bind: bind(runBatch)},
		{name: "sweep", usage: "sweep [SCENARIO.yaml] --param NAME (--values v1,v2,… | --range lo:hi:n) [--param NAME2 …] [flags]", summary: "run one scenario across values of one parameter (or a grid of two)", bind: bind(runSweep)},
		{name: "sensitivity", usage: "sensitivity [SCENARIO.yaml] [flags]", summary: "tornado, spider, rank correlations, contribution to variance and Sobol indices", bind: bind(runSensitivity)},
		{name: "voi", usage: "voi [SCENARIO.yaml…] [flags]", summary: "value of information: what knowing each input before deciding is worth (EVPI, EVPPI)", bind: bind(runVOI)},
		{name: "track", usage: "track SCENARIO.yaml ACTUALS.csv|ACTUALS.xlsx [flags]", summary: "after go-live: the actual months against the forecast, and the forecast updated by them", bind: bind(runTrack)},
		{name: "merge", usage: "merge PART… [-o DIR] [flags]", summary: "combine the partial results of a run split with --shard", bind: bind(runMerge)},
		{name: "fit", usage: "fit DATA.csv|DATA.xlsx [--column NAME] [flags]", summary: "fit distributions to a column of historical data (CSV or .xlsx)", bind: bind(runFit)},
		{name: "schema", usage: "schema > crmroi.schema.json", summary: "print the JSON Schema of scenario files, for editors", bind: bind(runSchema)},
		{name: "completion", usage: "completion bash|zsh|fish", summary: "print the shell completion script: completion bash|zsh|fish", bind: bind(runCompletion)},
		{name: "version", usage: "version", summary: "print the version, Go version and commit", bind: bind(runVersion)},
	}
}

// usageError is a mistake in the command line: exit code 2. A message made
// with usageMsg has its key and arguments, a flag parser's error its cause
// and command, for the Russian wording (messages.go).
type usageError struct {
	msg     string
	key     cliMsg
	args    []any
	flagErr error
	cmd     string
}

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{msg: fmt.Sprintf(format, args...)} }

func main() {
	// The results of a run are a few large, long-lived slices and little
	// garbage: collecting at 25% growth instead of 100% bounds peak memory
	// at little cost.
	debug.SetGCPercent(25)
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		cancel() // every command stops at its next check of ctx, cleanly
		// The last resort: a command still busy after the grace period (a
		// read that blocks, a loop that does not check ctx) or a second
		// signal ends the process, as the default action of the signal would.
		select {
		case <-sigs:
		case <-time.After(signalGrace):
		}
		fmt.Fprintln(os.Stderr, "crmroi: interrupted")
		os.Exit(exitInterrupted)
	}()
	os.Exit(Main(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// signalGrace is how long after SIGINT or SIGTERM a command may take to stop
// by itself before the process ends regardless.
const signalGrace = 1500 * time.Millisecond

// Main runs crmroi with args and returns the exit code; every error is
// reported on stderr, one line each, and mapped to its exit code here only.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	// A panic is a bug of crmroi, never the user's mistake: every input is
	// checked before use. As a last resort it is reported on one line, without
	// a stack trace, and exit 1 (a failure, not bad input).
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "crmroi: internal error: %v (please report it with the command and files that caused it)\n", r)
			code = exitFailure
		}
	}()
	// Whatever is printed may quote user input: its control characters are
	// printed as escapes, never obeyed by the terminal.
	to, te := newTermWriter(stdout), newTermWriter(stderr)
	stdout, stderr = to, te
	defer to.Flush()
	defer te.Flush()
	if len(args) == 0 { // cli.md: the list of commands, exit 2
		printCommands(stderr, russianHelp(args))
		return exitBadInput
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printCommands(stdout, russianHelp(args))
		return exitOK
	}
	var names []string
	for _, c := range commands() {
		if c.name == args[0] {
			return exitCode(c.execute(ctx, args[1:], stdout, stderr), stderr, russianMessages(args))
		}
		names = append(names, c.name)
	}
	fmt.Fprintf(stderr, "crmroi: unknown command %q%s\n", args[0], suggestCommand(args[0], names))
	printCommands(stderr, russianHelp(args))
	return exitBadInput
}

// suggestCommand returns " (did you mean X?)" for the command closest to s
// in spelling, or one that s begins, or "" when none is close.
func suggestCommand(s string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		d := editDistance(strings.ToLower(s), n)
		if len(s) >= 3 && strings.HasPrefix(n, strings.ToLower(s)) {
			d = 0
		}
		if d < bestD && d <= len(n)/2 {
			best, bestD = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

// editDistance is the optimal string alignment distance between a and b, in
// bytes: insertions, deletions, substitutions and swaps of two neighbours.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// summaryRu are the commands' summaries in Russian, by name.
var summaryRu = map[string]string{
	"run":         "смоделировать один сценарий (без файла: встроенный сценарий по умолчанию)",
	"validate":    "проверить файлы сценариев и сообщить обо всех ошибках",
	"init":        "записать сценарий по умолчанию с комментарием к каждому параметру",
	"batch":       "смоделировать несколько сценариев на общих случайных числах и сравнить их",
	"sweep":       "прогнать сценарий по значениям одного параметра (или по сетке из двух)",
	"sensitivity": "торнадо, паук, ранговые корреляции, вклад в дисперсию и индексы Соболя",
	"voi":         "ценность информации: сколько стоит знать каждый вход до решения (EVPI, EVPPI)",
	"track":       "после запуска: фактические месяцы против прогноза и прогноз, обновлённый по ним",
	"merge":       "объединить частичные результаты прогона, разбитого через --shard",
	"fit":         "подобрать распределения к столбцу исторических данных (CSV или .xlsx)",
	"schema":      "вывести JSON Schema файлов сценариев для редакторов",
	"completion":  "вывести скрипт автодополнения: completion bash|zsh|fish",
	"version":     "вывести версию, версию Go и коммит",
}

// russianHelp reports whether help is to be printed in Russian: --lang ru
// among args, or a Russian locale in the environment (LC_ALL, LC_MESSAGES,
// LANG: the first one set, as POSIX orders them).
func russianHelp(args []string) bool {
	for i, a := range args {
		if a == "--lang=ru" || (a == "--lang" && i+1 < len(args) && args[i+1] == "ru") {
			return true
		}
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := os.Getenv(v); l != "" {
			return strings.HasPrefix(strings.ToLower(l), "ru")
		}
	}
	return false
}

// summaryIn is the command's summary, in Russian if ru.
func (c command) summaryIn(ru bool) string {
	if t, ok := summaryRu[c.name]; ok && ru {
		return t
	}
	return c.summary
}

func printCommands(w io.Writer, ru bool) {
	if ru {
		fmt.Fprintln(w, "crmroi — моделирование рисков бизнес-кейса внедрения CRM методом Монте-Карло")
		fmt.Fprintln(w, "\nИспользование: crmroi КОМАНДА [флаги] [аргументы]\n\nКоманды:")
		width := 0
		for _, c := range commands() {
			width = max(width, len(c.name))
		}
		for _, c := range commands() {
			fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summaryIn(true))
		}
		fmt.Fprintln(w, "\nФлаги команды: crmroi КОМАНДА -h.")
		return
	}
	fmt.Fprintln(w, "crmroi — Monte Carlo risk simulator for the business case of a CRM implementation")
	fmt.Fprintln(w, "\nUsage: crmroi COMMAND [flags] [arguments]\n\nCommands:")
	width := 0
	for _, c := range commands() {
		width = max(width, len(c.name))
	}
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'crmroi COMMAND -h' for the flags of a command.")
}

// exitCode reports err on stderr, in Russian if ru, and returns its exit code.
func exitCode(err error, stderr io.Writer, ru bool) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, pflag.ErrHelp) {
		return exitOK
	}
	var (
		ue *usageError
		el model.ErrorList
		me *model.Error
		oe *out.OverwriteError
		de *out.DirError
	)
	switch {
	case errors.Is(err, sim.ErrInterrupted) || errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "crmroi: interrupted")
		return exitInterrupted
	case errors.As(err, &el):
		for _, e := range el {
			fmt.Fprintln(stderr, scenarioErrorIn(e, ru))
		}
		return exitBadInput
	case errors.As(err, &me):
		fmt.Fprintln(stderr, scenarioErrorIn(me, ru))
		return exitBadInput
	case errors.As(err, &oe):
		if ru {
			fmt.Fprintln(stderr, "crmroi: "+overwriteErrorRu(oe))
		} else {
			fmt.Fprintln(stderr, "crmroi: "+oe.Error())
		}
		return exitBadInput
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "crmroi: "+ue.in(ru))
		return exitBadInput
	case ru && errors.As(err, &de):
		fmt.Fprintln(stderr, "crmroi: "+dirErrorRu(de))
		return exitFailure
	}
	fmt.Fprintln(stderr, "crmroi: "+err.Error())
	return exitFailure
}

// newFlags returns a flag set that reports its errors as usage errors.
func newFlags(name, usage string, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: crmroi %s\n\nFlags:\n%s", usage, fs.FlagUsages())
	}
	return fs
}

// parseFlags parses args, turning flag errors into usage errors.
func parseFlags(fs *pflag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, pflag.ErrHelp) {
		return err // pflag has printed the usage
	}
	if err != nil {
		return &usageError{msg: fmt.Sprintf("%s: %v (see 'crmroi %s -h')", fs.Name(), err, fs.Name()), flagErr: err, cmd: fs.Name()}
	}
	return nil
}
