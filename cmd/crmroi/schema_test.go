package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// compileSchema compiles the output of 'crmroi schema' with a JSON Schema validator.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	code, stdout, stderr := runMain(t, "schema")
	if code != 0 {
		t.Fatalf("crmroi schema: exit %d: %s", code, stderr)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(stdout))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("crmroi.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("crmroi.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// yamlInstance reads a scenario's YAML as the JSON value an editor validates.
func yamlInstance(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

// TestSchemaValidatesExamples: 'crmroi schema' is a draft 2020-12 JSON
// Schema that accepts every example scenario (and the built-in default) and
// rejects unknown keys at the top level, in a section, in a custom line and
// in a formula model, and a plain-number setting written as a distribution.
func TestSchemaValidatesExamples(t *testing.T) {
	sch := compileSchema(t)
	files, err := filepath.Glob(filepath.Join(examplesDir, "*.yaml"))
	if err != nil || len(files) < 5 {
		t.Fatalf("examples: %v, %v", files, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(yamlInstance(t, data)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if err := sch.Validate(yamlInstance(t, model.DefaultYAML)); err != nil {
		t.Errorf("default scenario: %v", err)
	}
	bad := map[string]string{
		"unknown top-level key":                 edit(t, "horizon_months:", "horizon_monts: 36\nhorizon_months:"),
		"unknown key in benefits":               edit(t, "benefits:", "benefits:\n  capacity_gian: 0.2"),
		"missing parameter":                     edit(t, "  margin:", "  margin_x:"),
		"distribution in a number-only setting": edit(t, "seats:", "seats: pert(1, 2, 3)\nx_seats:"),
		"unknown risk":                          defaultText() + "\nrisks_extra: 1\n",
		"unknown key in a custom line":          defaultText() + "\ncustom:\n  - {name: a, kind: benefit, monthly: 1, color: red}\n",
		"CRM key in a formula model":            "model: formula\ninputs: {x: 1}\noutputs: {y: x}\nseats: 3\n",
		"bad kind of a custom line":             defaultText() + "\ncustom:\n  - {name: a, kind: gift, monthly: 1}\n",
	}
	for what, text := range bad {
		if err := sch.Validate(yamlInstance(t, []byte(text))); err == nil {
			t.Errorf("%s: accepted", what)
		}
	}
}

// TestSchemaDescribesEveryParameter: each parameter of model.md has its
// description, with its unit, in the schema.
func TestSchemaDescribesEveryParameter(t *testing.T) {
	_, stdout, _ := runMain(t, "schema")
	var doc map[string]any
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	crm := doc["else"].(map[string]any)["properties"].(map[string]any)
	for _, p := range model.Builtin {
		props := crm
		if p.Section != "" {
			props = crm[p.Section].(map[string]any)["properties"].(map[string]any)
		}
		e, ok := props[p.Name].(map[string]any)
		if !ok {
			t.Errorf("%s: not in the schema", p.Path)
			continue
		}
		desc, _ := e["description"].(string)
		if !strings.Contains(desc, p.Doc) || !strings.Contains(desc, "Unit: "+p.Unit) {
			t.Errorf("%s: description %q", p.Path, desc)
		}
	}
	for _, st := range model.Settings {
		if _, ok := crm[st.Path]; !ok {
			t.Errorf("%s: not in the schema", st.Path)
		}
	}
}
