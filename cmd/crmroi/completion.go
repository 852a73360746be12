package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/out"
	"github.com/spf13/pflag"
)

// shells are the shells completion writes scripts for.
var shells = []string{"bash", "zsh", "fish"}

// cmdFlags is one command and its flags, for the completion scripts.
type cmdFlags struct {
	name, summary string
	flags         []*pflag.Flag
}

// collectFlags returns every command with its flags, read from the flag set
// its options add (nothing is run): the scripts never drift from the commands.
func collectFlags() []cmdFlags {
	var all []cmdFlags
	for _, c := range commands() {
		cf := cmdFlags{name: c.name, summary: c.summary}
		fs, _ := c.flagSet(io.Discard)
		fs.VisitAll(func(f *pflag.Flag) {
			if !f.Hidden {
				cf.flags = append(cf.flags, f)
			}
		})
		all = append(all, cf)
	}
	return all
}

// flagValues are the values a flag may take, where they are a short list:
// --set completes the parameter names, followed by "=".
func flagValues(name string) []string {
	switch name {
	case "format":
		return []string{"png", "svg", "none"}
	case "sampling":
		return []string{"mc", "lhs", "sobol"}
	case "lang":
		var v []string
		for _, l := range out.Langs {
			v = append(v, string(l))
		}
		return v
	case "samples-format":
		return append(append([]string{}, out.SamplesFormats...), strings.Join(out.SamplesFormats, ","))
	case "set", "param":
		var v []string
		for _, p := range model.ParamPaths() {
			v = append(v, p+"=")
		}
		if name == "param" {
			v = model.ParamPaths()
		}
		return v
	}
	return nil
}

// takesValue reports whether a flag needs a value (every flag but booleans).
func takesValue(f *pflag.Flag) bool { return f.Value.Type() != "bool" }

// isDirFlag reports whether the flag names a folder.
func isDirFlag(name string) bool { return name == "out" }

// completionOptions are the options of completion: none.
type completionOptions struct{}

// AddFlags adds completion's flags: none.
func (*completionOptions) AddFlags(*pflag.FlagSet) {}

// runCompletion prints the completion script of the shell args names.
func runCompletion(_ context.Context, _ *completionOptions, args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return usagef("completion needs one shell: bash, zsh or fish (for example: source <(crmroi completion bash))")
	}
	cmds := collectFlags()
	var script string
	switch args[0] {
	case "bash":
		script = bashCompletion(cmds)
	case "zsh":
		script = zshCompletion(cmds)
	case "fish":
		script = fishCompletion(cmds)
	default:
		return usagef("completion knows bash, zsh and fish, got %q", args[0])
	}
	_, err := io.WriteString(stdout, script)
	return err
}

func bashCompletion(cmds []cmdFlags) string {
	var b strings.Builder
	b.WriteString(`# bash completion for crmroi; load it with: source <(crmroi completion bash)
_crmroi() {
    local cur prev
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    COMPREPLY=()
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=( $(compgen -W "`)
	var names []string
	for _, c := range cmds {
		names = append(names, c.name)
	}
	b.WriteString(strings.Join(names, " "))
	b.WriteString(`" -- "$cur") )
        return
    fi
    case "${COMP_WORDS[1]}" in
`)
	for _, c := range cmds {
		fmt.Fprintf(&b, "    %s)\n", c.name)
		if c.name == "completion" {
			fmt.Fprintf(&b, "        COMPREPLY=( $(compgen -W %q -- \"$cur\") )\n        ;;\n", strings.Join(shells, " "))
			continue
		}
		var opts, plain []string
		b.WriteString("        case \"$prev\" in\n")
		for _, f := range c.flags {
			opts = append(opts, "--"+f.Name)
			pat := "--" + f.Name
			if f.Shorthand != "" {
				opts = append(opts, "-"+f.Shorthand)
				pat += "|-" + f.Shorthand
			}
			if !takesValue(f) {
				continue
			}
			switch vals := flagValues(f.Name); {
			case isDirFlag(f.Name):
				fmt.Fprintf(&b, "            %s) COMPREPLY=( $(compgen -d -- \"$cur\") ); return ;;\n", pat)
			case len(vals) > 0 && strings.HasSuffix(vals[0], "="):
				fmt.Fprintf(&b, "            %s) compopt -o nospace 2>/dev/null; COMPREPLY=( $(compgen -W %q -- \"$cur\") ); return ;;\n", pat, strings.Join(vals, " "))
			case len(vals) > 0:
				fmt.Fprintf(&b, "            %s) COMPREPLY=( $(compgen -W %q -- \"$cur\") ); return ;;\n", pat, strings.Join(vals, " "))
			default:
				plain = append(plain, pat)
			}
		}
		if len(plain) > 0 {
			fmt.Fprintf(&b, "            %s) return ;;\n", strings.Join(plain, "|"))
		}
		b.WriteString("        esac\n")
		fmt.Fprintf(&b, "        if [[ \"$cur\" == -* ]]; then\n            COMPREPLY=( $(compgen -W %q -- \"$cur\") )\n", strings.Join(opts, " "))
		b.WriteString("        else\n            COMPREPLY=( $(compgen -f -- \"$cur\") )\n        fi\n        ;;\n")
	}
	b.WriteString("    esac\n}\ncomplete -o filenames -F _crmroi crmroi\n")
	return b.String()
}

// zshText makes a text safe inside a zsh _arguments description, whole:
// parentheses and semicolons are plain characters inside its brackets; what
// would end or split it (quotes, brackets, colons, backslashes, newlines) is
// replaced.
func zshText(s string) string {
	r := strings.NewReplacer("'", "’", "[", "(", "]", ")", ":", " -", "\\", "/", "`", "’", "$", "", "\n", " ")
	return strings.TrimSpace(r.Replace(s))
}

func zshCompletion(cmds []cmdFlags) string {
	var b strings.Builder
	b.WriteString("#compdef crmroi\n# zsh completion for crmroi; load it, after compinit, with:\n#   autoload -U compinit && compinit; source <(crmroi completion zsh)\n")
	b.WriteString("# or save it as _crmroi in a folder of $fpath.\n\n_crmroi() {\n    local -a commands\n    commands=(\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "        '%s:%s'\n", c.name, zshText(c.summary))
	}
	b.WriteString("    )\n    if (( CURRENT == 2 )); then\n        _describe 'command' commands\n        return\n    fi\n")
	b.WriteString("    local cmd=${words[2]}\n    shift words\n    (( CURRENT-- ))\n    case $cmd in\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "        %s)\n            _arguments -s \\\n", c.name)
		if c.name == "completion" {
			fmt.Fprintf(&b, "                '1:shell:(%s)'\n            ;;\n", strings.Join(shells, " "))
			continue
		}
		for _, f := range c.flags {
			desc := zshText(f.Usage)
			action := ""
			if takesValue(f) {
				switch vals := flagValues(f.Name); {
				case isDirFlag(f.Name):
					action = ":folder:_files -/"
				case len(vals) > 0 && strings.HasSuffix(vals[0], "="):
					action = ":parameter:_crmroi_params"
				case len(vals) > 0:
					action = ":" + f.Name + ":(" + strings.Join(vals, " ") + ")"
				default:
					action = ":" + f.Name + ": "
				}
			}
			rep := ""
			if f.Value.Type() == "stringArray" || f.Value.Type() == "stringSlice" {
				rep = "*"
			}
			if f.Shorthand != "" {
				fmt.Fprintf(&b, "                '(-%s --%s)'%s{-%s,--%s}'[%s]%s' \\\n", f.Shorthand, f.Name, rep, f.Shorthand, f.Name, desc, action)
			} else {
				fmt.Fprintf(&b, "                '%s--%s[%s]%s' \\\n", rep, f.Name, desc, action)
			}
		}
		b.WriteString("                '*:file:_files'\n            ;;\n")
	}
	b.WriteString("    esac\n}\n\n_crmroi_params() {\n    compadd -S '' -- \\\n")
	vals := flagValues("set")
	for i, v := range vals {
		sep := " \\"
		if i == len(vals)-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "        %s%s\n", v, sep)
	}
	b.WriteString("}\n\nif [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then\n    _crmroi \"$@\"\nelse\n    compdef _crmroi crmroi\nfi\n")
	return b.String()
}

// fishText quotes a text for fish.
func fishText(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}

func fishCompletion(cmds []cmdFlags) string {
	var b strings.Builder
	b.WriteString("# fish completion for crmroi; load it with: crmroi completion fish | source\n")
	b.WriteString("# or save it as ~/.config/fish/completions/crmroi.fish\n")
	var names []string
	for _, c := range cmds {
		names = append(names, c.name)
	}
	sort.Strings(names)
	fmt.Fprintf(&b, "complete -c crmroi -f\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "complete -c crmroi -n '__fish_use_subcommand' -a %s -d %s\n", c.name, fishText(c.summary))
	}
	for _, c := range cmds {
		cond := fmt.Sprintf("-n '__fish_seen_subcommand_from %s'", c.name)
		if c.name == "completion" {
			fmt.Fprintf(&b, "complete -c crmroi %s -a '%s'\n", cond, strings.Join(shells, " "))
			continue
		}
		fmt.Fprintf(&b, "complete -c crmroi %s -F\n", cond)
		for _, f := range c.flags {
			line := fmt.Sprintf("complete -c crmroi %s -l %s", cond, f.Name)
			if f.Shorthand != "" {
				line += " -s " + f.Shorthand
			}
			if takesValue(f) {
				switch vals := flagValues(f.Name); {
				case isDirFlag(f.Name):
					line += " -r -F"
				case len(vals) > 0:
					line += " -x -a " + fishText(strings.Join(vals, " "))
				default:
					line += " -x"
				}
			}
			b.WriteString(line + " -d " + fishText(f.Usage) + "\n")
		}
	}
	return b.String()
}
