package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// TestCompletionScripts: each script names every command and every flag of
// each command (read from the commands' own flag sets) and the parameter
// names --set takes; the bash script is valid bash and completes.
func TestCompletionScripts(t *testing.T) {
	cmds := collectFlags()
	run := cmds[0]
	if run.name != "run" || len(run.flags) < 15 {
		t.Fatalf("collected %s with %d flags", run.name, len(run.flags))
	}
	for _, shell := range shells {
		code, script, stderr := runMain(t, "completion", shell)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", shell, code, stderr)
		}
		for _, c := range cmds {
			if !strings.Contains(script, c.name) {
				t.Errorf("%s: no command %s", shell, c.name)
			}
			for _, f := range c.flags {
				if !strings.Contains(script, "--"+f.Name) && !strings.Contains(script, "-l "+f.Name) {
					t.Errorf("%s: no flag --%s of %s", shell, f.Name, c.name)
				}
			}
		}
		for _, p := range model.ParamPaths() {
			if !strings.Contains(script, p+"=") {
				t.Errorf("%s: no parameter %s for --set", shell, p)
			}
		}
	}
	if code, _, _ := runMain(t, "completion", "tcsh"); code != exitBadInput {
		t.Errorf("completion tcsh: exit %d, want %d", code, exitBadInput)
	}
	_, script, _ := runMain(t, "completion", "bash")
	for _, c := range []struct{ words, want string }{
		{"crmroi ru", "run"},
		{"crmroi run --samples-f", "--samples-format"},
		{"crmroi run --format s", "svg"},
		{"crmroi batch --set benefits.capacity_g", "benefits.capacity_gain="},
		{"crmroi completion f", "fish"},
	} {
		cmd := exec.Command("bash", "-c", script+`
COMP_WORDS=(`+c.words+`); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _crmroi; echo "${COMPREPLY[@]}"`)
		got, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v: %s", err, got)
		}
		if !strings.Contains(" "+string(got)+" ", " "+c.want) {
			t.Errorf("%q completes to %q, want %s", c.words, strings.TrimSpace(string(got)), c.want)
		}
	}
}

// TestZshDescriptionsWhole: the zsh script describes each flag with its whole
// usage text, parentheses included (it was cut at the first "(" or ";").
func TestZshDescriptionsWhole(t *testing.T) {
	if got, want := zshText("sampling design: mc, lhs (Latin hypercube; per block) or sobol"), "sampling design - mc, lhs (Latin hypercube; per block) or sobol"; got != want {
		t.Errorf("zshText = %q, want %q", got, want)
	}
	_, script, _ := runMain(t, "completion", "zsh")
	if !strings.Contains(script, "compinit") {
		t.Error("the zsh script does not say that it needs compinit")
	}
	n := 0
	for _, c := range collectFlags() {
		for _, f := range c.flags {
			if strings.ContainsAny(f.Usage, "(;") {
				n++
			}
			if d := zshText(f.Usage); !strings.Contains(script, "["+d+"]") {
				t.Errorf("%s --%s: the script lacks the description %q", c.name, f.Name, d)
			}
		}
	}
	if n == 0 {
		t.Error("no usage text with a parenthesis or a semicolon to check")
	}
}

// TestCommandsFromOptions: every command is built from its options (bind),
// its -h lists exactly the flags completion reads from the same flag set,
// and an unknown flag is a usage error (exit 2) for each.
func TestCommandsFromOptions(t *testing.T) {
	cmds := collectFlags()
	if len(cmds) != len(commands()) {
		t.Fatalf("%d commands collected, %d in the table", len(cmds), len(commands()))
	}
	for i, c := range commands() {
		if c.bind == nil || c.usage == "" {
			t.Errorf("%s: no options (bind) or no usage", c.name)
			continue
		}
		code, _, help := runMain(t, c.name, "-h")
		if code != 0 || !strings.HasPrefix(help, "Usage: crmroi "+c.usage+"\n") {
			t.Errorf("%s -h: exit %d, %q", c.name, code, help)
		}
		listed := regexp.MustCompile(`(?m)^\s+(?:-\w, )?--([\w-]+)`).FindAllStringSubmatch(help, -1)
		var names []string
		for _, m := range listed {
			names = append(names, m[1])
		}
		var want []string
		for _, f := range cmds[i].flags {
			want = append(want, f.Name)
		}
		if strings.Join(names, " ") != strings.Join(want, " ") {
			t.Errorf("%s: -h lists %v, completion has %v", c.name, names, want)
		}
		if code, _, stderr := runMain(t, c.name, "--no-such-flag"); code != exitBadInput || !strings.Contains(stderr, "no-such-flag") {
			t.Errorf("%s --no-such-flag: exit %d, %q", c.name, code, stderr)
		}
	}
}
