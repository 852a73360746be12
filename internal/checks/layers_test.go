package checks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// module is the project's module path.
const module = "github.com/crmroi/crmroi"

// layers is the direction data flows in: a package may import packages of its
// own layer and of layers to its left, never one to its right. The internal
// packages have no layer of their own: each sits at the highest layer of the
// project's packages it imports (internal/buildinfo, importing none, fits
// everywhere), so a package may import one only if that layer is not to its
// right. The project's own tools (scripts/…) are programs, like cmd.
var layers = []string{"distributions", "fit", "model", "sim", "out", "cmd"}

// leaves are the internal packages that import none of the module's
// packages, so that any layer may use them: internal/kernels, whose
// assembly reads only structs of its own package.
var leaves = map[string]bool{"internal/kernels": true}

// pkg is one package as `go list -json` describes it, its paths relative to
// the module.
type pkg struct {
	ImportPath                         string
	Imports, TestImports, XTestImports []string
}

// TestImportDirection: the packages `go list ./...` finds break no rule of
// importViolations.
func TestImportDirection(t *testing.T) {
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = Root(t)
	data, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]pkg{}
	dec := json.NewDecoder(bytes.NewReader(data))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs[own([]string{p.ImportPath})[0]] = pkg{p.ImportPath, own(p.Imports), own(p.TestImports), own(p.XTestImports)}
	}
	for _, want := range layers[:5] {
		if _, ok := pkgs[want]; !ok {
			t.Fatalf("go list found no package %s", want)
		}
	}
	for _, v := range importViolations(pkgs) {
		t.Error(v)
	}
}

// TestImportViolations: the rule on made-up packages — each kind of wrong
// import is found, and the right ones pass.
func TestImportViolations(t *testing.T) {
	p := func(imports, tests []string) pkg { return pkg{Imports: imports, TestImports: tests} }
	good := map[string]pkg{
		"distributions":      p(nil, []string{"internal/checks"}),
		"fit":                p([]string{"distributions"}, nil),
		"model":              p([]string{"fit", "distributions", "internal/kernels", "internal/parallel"}, []string{"internal/checks"}),
		"internal/kernels":   p(nil, nil),
		"sim":                p([]string{"model", "internal/parallel"}, nil),
		"internal/parallel":  p(nil, nil),
		"out":                p([]string{"sim", "internal/buildinfo"}, nil),
		"internal/buildinfo": p(nil, nil),
		"cmd/crmroi":         p([]string{"out", "sim", "internal/buildinfo"}, []string{"internal/checks"}),
		"scripts/e2echeck":   p([]string{"out"}, nil),
		"internal/checks":    p(nil, nil),
	}
	if v := importViolations(good); len(v) != 0 {
		t.Fatalf("violations in a good graph: %v", v)
	}
	for _, c := range []struct {
		name, pkg string
		p         pkg
		want      string
	}{
		{"sim imports out", "sim", p([]string{"model", "out"}, nil), "sim (sim) imports out (out)"},
		{"distributions imports model", "distributions", p([]string{"model"}, nil), "distributions (distributions) imports model (model)"},
		{"a test of model imports sim", "model", p(nil, []string{"sim"}), "model (model) (its tests) imports sim (sim)"},
		{"model imports an internal package of sim's layer", "internal/parallel", p([]string{"sim"}, nil), "model (model) imports internal/parallel (sim)"},
		{"a leaf imports a package of the module", "internal/kernels", p([]string{"distributions"}, nil), "internal/kernels imports distributions: it is a leaf"},
		{"a package with no layer", "report", p([]string{"out"}, nil), "report has no place"},
		{"internal/checks outside tests", "out", p([]string{"sim", "internal/checks"}, nil), "out imports internal/checks"},
	} {
		g := map[string]pkg{}
		for k, v := range good {
			g[k] = v
		}
		g[c.pkg] = c.p
		got := importViolations(g)
		if len(got) != 1 || !strings.Contains(got[0], c.want) {
			t.Errorf("%s: violations %q, want one containing %q", c.name, got, c.want)
		}
	}
}

// importViolations checks each import between the module's packages pkgs
// (keyed by path in the module) against layers — the tests' imports too: a
// test of sim that needs out belongs in out — and that internal/checks, the
// tests' helper, is imported by tests only, and that the leaves import no
// package of the module. It returns one message per broken
// rule, sorted.
func importViolations(pkgs map[string]pkg) []string {
	var bad []string
	rank := map[string]int{}
	var layerOf func(name string) int
	layerOf = func(name string) int {
		if r, ok := rank[name]; ok {
			return r
		}
		top := strings.SplitN(name, "/", 2)[0]
		switch top {
		case "internal":
			rank[name] = 0 // Go has no import cycles: a guard only
			r := 0
			for _, imp := range pkgs[name].Imports {
				r = max(r, layerOf(imp))
			}
			rank[name] = r
			return r
		case "scripts":
			top = "cmd"
		}
		for i, layer := range layers {
			if top == layer {
				rank[name] = i
				return i
			}
		}
		bad = append(bad, fmt.Sprintf("package %s has no place in the layers %v: add its folder to them (internal/checks/layers_test.go)", name, layers))
		rank[name] = len(layers) - 1
		return rank[name]
	}
	for name, p := range pkgs {
		from := layerOf(name)
		for _, imp := range p.Imports {
			if leaves[name] {
				bad = append(bad, fmt.Sprintf("%s imports %s: it is a leaf, importing no package of the module", name, imp))
			} else if imp == "internal/checks" {
				bad = append(bad, fmt.Sprintf("%s imports internal/checks, a helper of tests only", name))
			} else if to := layerOf(imp); to > from {
				bad = append(bad, fmt.Sprintf("%s (%s) imports %s (%s): data flows %s, no package imports one to its right",
					name, layers[from], imp, layers[to], strings.Join(layers, " → ")))
			}
		}
		for _, imp := range append(p.TestImports, p.XTestImports...) {
			if to := layerOf(imp); imp != name && to > from {
				bad = append(bad, fmt.Sprintf("%s (%s) (its tests) imports %s (%s): data flows %s, no package imports one to its right",
					name, layers[from], imp, layers[to], strings.Join(layers, " → ")))
			}
		}
	}
	sort.Strings(bad)
	return bad
}

// own keeps the imports of the module's packages, as paths in the module.
func own(imports []string) []string {
	var out []string
	for _, imp := range imports {
		if imp == module || strings.HasPrefix(imp, module+"/") {
			out = append(out, strings.TrimPrefix(strings.TrimPrefix(imp, module), "/"))
		}
	}
	return out
}
