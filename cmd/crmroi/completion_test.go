package main

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
)

// TestCompletionScripts: each script names every command and every flag of
// each command (read from the commands' own flag sets) and the parameter
// names --set takes; the bash script is valid bash and completes.
func TestCompletionScripts(t *testing.T) {
	cmds := collectFlags(context.Background())
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
	for _, c := range collectFlags(context.Background()) {
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
