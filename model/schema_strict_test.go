package model

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestSchemaStrict: the schema has no union type but with null (Ajv's
// default strict mode refuses type: [string, number]), and every parameter's
// branches, the $ref to the distribution syntax included, carry the
// parameter's own description, which an editor shows on hover.
func TestSchemaStrict(t *testing.T) {
	data, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	var root any
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	var walk func(v any, path string)
	refs := map[string]string{} // title → the description beside a $ref
	walk = func(v any, path string) {
		switch x := v.(type) {
		case map[string]any:
			if ts, ok := x["type"].([]any); ok {
				other := 0
				for _, ty := range ts {
					if ty != "null" {
						other++
					}
				}
				if other > 1 {
					t.Errorf("%s: union type %v", path, ts)
				}
			}
			if _, ok := x["$ref"]; ok {
				if title, ok := x["title"].(string); ok {
					refs[title], _ = x["description"].(string)
				}
			}
			for k, c := range x {
				walk(c, path+"/"+k)
			}
		case []any:
			for _, c := range x {
				walk(c, path+"/[]")
			}
		}
	}
	walk(root, "")
	for _, p := range Builtin {
		d, ok := refs[p.Path]
		if !ok || !strings.Contains(d, p.Doc) {
			t.Errorf("%s: the $ref branch's description is %q", p.Path, d)
		}
	}
	for _, s := range Settings {
		if d := refs[s.Path]; !strings.Contains(d, s.Doc) {
			t.Errorf("%s: the $ref branch's description is %q", s.Path, d)
		}
	}
}
