package main

import (
	"strings"
	"testing"
)

// TestHelpRussian: every command has a Russian summary; the command list and
// a command's help are in Russian under a Russian locale or with --lang ru,
// in English otherwise.
func TestHelpRussian(t *testing.T) {
	for _, c := range commands() {
		if strings.TrimSpace(summaryRu[c.name]) == "" {
			t.Errorf("command %s has no Russian summary", c.name)
		}
	}
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "ru_RU.UTF-8")
	code, stdout, _ := runMain(t, "-h")
	if code != 0 || !strings.Contains(stdout, "Команды:") {
		t.Errorf("LANG=ru_RU.UTF-8 crmroi -h: exit %d\n%s", code, stdout)
	}
	for _, c := range commands() {
		if !strings.Contains(stdout, summaryRu[c.name]) {
			t.Errorf("command list lacks %s's Russian summary", c.name)
		}
	}
	_, _, stderr := runMain(t, "sweep", "-h")
	if !strings.Contains(stderr, summaryRu["sweep"]) || !strings.Contains(stderr, "Флаги:") {
		t.Errorf("sweep -h under a Russian locale:\n%s", stderr)
	}
	t.Setenv("LANG", "C.UTF-8")
	if _, stdout, _ := runMain(t, "-h"); !strings.Contains(stdout, "Commands:") {
		t.Errorf("LANG=C crmroi -h:\n%s", stdout)
	}
	if _, _, stderr := runMain(t, "run", "-h", "--lang", "ru"); !strings.Contains(stderr, summaryRu["run"]) {
		t.Errorf("run -h --lang ru:\n%s", stderr)
	}
	t.Setenv("LC_ALL", "en_US.UTF-8") // LC_ALL overrides LANG
	t.Setenv("LANG", "ru_RU.UTF-8")
	if _, stdout, _ := runMain(t, "-h"); !strings.Contains(stdout, "Commands:") {
		t.Errorf("LC_ALL=en_US LANG=ru_RU crmroi -h:\n%s", stdout)
	}
}
