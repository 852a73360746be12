package model

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
)

// SchemaDraft is the JSON Schema dialect of Schema.
const SchemaDraft = "https://json-schema.org/draft/2020-12/schema"

// NumberPattern is the pattern of a number written as text: a constant
// expression of numbers with exponents, underscores and percent signs
// ("25%", "600e6 / 12", "1.5 * 12e3"), which the loader evaluates.
const NumberPattern = `^\s*[-+(\s]*([0-9]|\.[0-9])[-+*/^()0-9_.eE%\s]*$`

// ValuePattern is the pattern of a value written as text: a number or a
// constant expression (NumberPattern), a distribution family with its
// arguments (pert(…), lognormal(p10=…, p90=…), empirical(…), …) possibly
// cut after it (", max=1"), or an interval "A to B" (possibly cut). The
// loader, not the schema, checks the family and its arguments.
const ValuePattern = `^\s*([-+(\s]*([0-9]|\.[0-9])[-+*/^()0-9_.eE%\s]*|[A-Za-z_][A-Za-z0-9_]*\s*\(.*\)(\s*,\s*[A-Za-z]+\s*=\s*[^,]+)*|\S.*\s+[tT][oO]\s+\S.*)\s*$`

// schemaObj is a JSON object whose keys keep the order they were added in,
// so that the schema reads like model.md.
type schemaObj []schemaKV

type schemaKV struct {
	k string
	v any
}

func (o schemaObj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(kv.k)
		b.Write(k)
		b.WriteByte(':')
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(kv.v); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // Encode's newline
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// describe is a parameter's description for an editor: its meaning, unit,
// domain and default.
func describe(p ParamInfo, def *float64) string {
	var b strings.Builder
	b.WriteString(p.Doc)
	b.WriteString(". Unit: " + p.Unit)
	if p.Domain != anyReal {
		b.WriteString(". Values in " + p.Domain.String())
	}
	if r, ok := PlausibleRange(p.Path); ok {
		b.WriteString(" (plausible: " + r.String() + "; outside, a warning)")
	}
	if def != nil {
		b.WriteString(". Default " + fmtNum(*def))
	}
	if p.NumberOnly {
		b.WriteString(". A plain number, not a distribution")
	} else {
		b.WriteString(". A number or a distribution, e.g. pert(min, mode, max)")
	}
	return b.String() + "."
}

// numberSchema is the schema of a plain number in the domain d.
func numberSchema(d Domain, integer bool) schemaObj {
	typ := "number"
	if integer {
		typ = "integer"
	}
	o := schemaObj{{"type", typ}}
	if !math.IsInf(d.Lo, -1) {
		key := "minimum"
		if d.LoOpen {
			key = "exclusiveMinimum"
		}
		o = append(o, schemaKV{key, d.Lo})
	}
	if !math.IsInf(d.Hi, 1) {
		key := "maximum"
		if d.HiOpen {
			key = "exclusiveMaximum"
		}
		o = append(o, schemaKV{key, d.Hi})
	}
	return o
}

// anyType is an anyOf of plain types: Ajv's default strict mode refuses a
// union type (type: [string, number]) other than with null.
func anyType(types ...string) []any {
	var out []any
	for _, t := range types {
		out = append(out, schemaObj{{"type", t}})
	}
	return out
}

// paramSchema is the schema of one parameter. Each branch of its anyOf
// carries the parameter's own title and description beside its type or
// $ref, so that an editor hovering the value shows the parameter's text, not
// the generic help of the distribution syntax.
func paramSchema(p ParamInfo, def *float64) schemaObj {
	desc := describe(p, def)
	own := func(o schemaObj) schemaObj {
		return append(o, schemaKV{"title", p.Path}, schemaKV{"description", desc})
	}
	if p.NumberOnly {
		o := schemaObj{{"title", p.Path}, {"description", desc},
			{"anyOf", []any{own(numberSchema(p.Domain, p.Integer)), own(schemaObj{{"$ref", "#/$defs/number"}})}}}
		if def != nil {
			o = append(o, schemaKV{"default", *def})
		}
		return o
	}
	return schemaObj{{"title", p.Path}, {"description", desc},
		{"anyOf", []any{own(numberSchema(p.Domain, false)), own(schemaObj{{"$ref", "#/$defs/expression"}})}}}
}

// sectionDocs describes each section of a CRM scenario (model.md section 1).
var sectionDocs = map[string]string{
	"company":  "The business without CRM. Every parameter must be given.",
	"benefits": "Effects at full adoption. Every parameter must be given.",
	"adoption": "How fast and how far the system is adopted. Every parameter must be given.",
	"costs":    "Total cost of ownership. Every parameter must be given.",
}

// Schema returns the JSON Schema (draft 2020-12) of scenario files, built
// from the parameter tables of this package (Builtin, Settings, the risks
// and tei settings) so that it never drifts from the loader: every key has a
// description with its unit, domain and default; unknown keys are refused
// (additionalProperties: false) in every section. A value that may be
// uncertain is a number or a text matching ValuePattern.
func Schema() ([]byte, error) {
	crm := schemaObj{}
	add := func(k string, v any) { crm = append(crm, schemaKV{k, v}) }
	add("name", schemaObj{{"type", "string"}, {"description", "The scenario's name, shown in every table, chart and report."}})
	add("description", schemaObj{{"type", "string"}, {"description", "Free text: what the scenario assumes."}})
	add("model", schemaObj{{"enum", []string{ModelCRM, ModelFormula}}, {"default", ModelCRM},
		{"description", "crm (the default): the CRM business-case model of model.md; formula: the analyst's own outputs over inputs."}})
	add("currency", schemaObj{{"type", "string"}, {"default", "RUB"}, {"description", "Currency label shown in every table and chart. Default RUB."}})
	add(Builtin[DiscountRate].Path, paramSchema(Builtin[DiscountRate], ptr(0.20)))
	for _, st := range Settings {
		add(st.Path, paramSchema(st.ParamInfo, ptr(st.Default)))
	}
	for _, sec := range sections {
		props := schemaObj{}
		var req []string
		for _, p := range Builtin {
			if p.Section == sec {
				props = append(props, schemaKV{p.Name, paramSchema(p, nil)})
				req = append(req, p.Name)
			}
		}
		add(sec, schemaObj{{"type", "object"}, {"description", sectionDocs[sec]}, {"properties", props},
			{"required", req}, {"additionalProperties", false}})
	}
	risks := schemaObj{}
	for _, p := range riskParams {
		risks = append(risks, schemaKV{p.Name, paramSchema(p, ptr(0.0))})
	}
	add("risks", schemaObj{{"type", []string{"object", "null"}},
		{"description", "Probabilities of the risk events. Absent: probability 0, and the run warns that no failure risk was modelled."},
		{"properties", risks}, {"additionalProperties", false}})
	add("correlations", schemaObj{{"$ref", "#/$defs/correlations"}})
	tei := schemaObj{}
	for _, p := range teiParams {
		tei = append(tei, schemaKV{p.Name, paramSchema(p.ParamInfo, ptr(p.Default))})
	}
	add("tei", schemaObj{{"type", []string{"object", "null"}},
		{"description", "Forrester's Total Economic Impact risk adjustment, shown only as a comparison row."},
		{"properties", tei}, {"additionalProperties", false}})
	add("inputs", schemaObj{{"$ref", "#/$defs/inputs"}})
	add("custom", schemaObj{{"type", []string{"array", "null"}},
		{"description", "The analyst's own monthly benefit and cost lines, over the inputs and the month variables " + strings.Join(MonthVars[:], ", ") + "."},
		{"items", schemaObj{{"type", "object"}, {"properties", schemaObj{
			{"name", schemaObj{{"type", "string"}, {"minLength", 1}, {"description", "The line's name, unique."}}},
			{"kind", schemaObj{{"enum", []string{string(Benefit), string(Cost)}}, {"description", "benefit (added to B_t) or cost (added to C_t)."}}},
			{"monthly", schemaObj{{"anyOf", anyType("number", "string")}, {"description", "The monthly amount, money/month: a number or an expression."}}},
		}}, {"required", customKeys}, {"additionalProperties", false}}}})
	add("groups", schemaObj{{"$ref", "#/$defs/groups"}})
	fin := schemaObj{}
	for _, p := range FinanceParams {
		var def *float64
		if !math.IsNaN(p.Default) { // terminal_growth has none: absent, no terminal value
			def = ptr(p.Default)
		}
		fin = append(fin, schemaKV{p.Name, paramSchema(p.ParamInfo, def)})
	}
	add("finance", schemaObj{{"type", []string{"object", "null"}},
		{"description", "Optional (model.md section 6): profit tax, capitalised costs and their depreciation, non-recoverable VAT, a terminal value. Absent: every figure is pre-tax, without VAT, and stops at the horizon."},
		{"properties", fin}, {"additionalProperties", false}})
	gate := schemaObj{
		{"run_month", paramSchema(gateParams[0], nil)},
		{"threshold", paramSchema(gateParams[1], nil)},
		{"stop_if", schemaObj{{"title", "gate.stop_if"}, {"anyOf", anyType("string", "boolean")},
			{"description", "Stop the project where this expression holds at the end of run month run_month: over every parameter and input by name and " + strings.Join(GateVars[:], ", ") + ", e.g. \"A < 0.3\"."}}},
	}
	add("gate", schemaObj{{"type", "object"},
		{"description", "Optional (model.md section 7): a go/no-go decision at the end of run month run_month; where stop_if holds the project is stopped as an abandonment. Absent: no gate."},
		{"properties", gate}, {"required", []string{"run_month", "stop_if"}}, {"additionalProperties", false}})
	checkKeys(crm, topKeys)

	formula := schemaObj{
		{"name", schemaObj{{"type", "string"}, {"description", "The model's name."}}},
		{"description", schemaObj{{"type", "string"}, {"description", "Free text."}}},
		{"model", schemaObj{{"const", ModelFormula}}},
		{"inputs", schemaObj{{"$ref", "#/$defs/inputs"}}},
		{"outputs", schemaObj{{"type", "object"},
			{"description", "Outputs as expressions over the inputs and other outputs; the first is the primary output."},
			{"propertyNames", schemaObj{{"pattern", inputNameRE.String()}, {"maxLength", MaxInputNameLen}}},
			{"additionalProperties", schemaObj{{"anyOf", anyType("string", "number")}}}, {"minProperties", 1}}},
		{"correlations", schemaObj{{"$ref", "#/$defs/correlations"}}},
		{"groups", schemaObj{{"$ref", "#/$defs/groups"}}},
	}
	checkKeys(formula, formulaKeys)

	doc := schemaObj{
		{"$schema", SchemaDraft},
		{"$id", "urn:crmroi:scenario:1"},
		{"title", "crmroi scenario"},
		{"description", "A scenario of crmroi: the CRM business-case model (model.md) or a formula model. Values that may be uncertain are numbers or distributions (distributions.md)."},
		{"type", "object"},
		{"if", schemaObj{{"properties", schemaObj{{"model", schemaObj{{"const", ModelFormula}}}}}, {"required", []string{"model"}}}},
		{"then", schemaObj{{"properties", formula}, {"required", []string{"model", "outputs"}}, {"additionalProperties", false}}},
		{"else", schemaObj{{"properties", crm}, {"required", sections}, {"additionalProperties", false}}},
		{"$defs", schemaObj{
			{"expression", schemaObj{{"type", "string"}, {"pattern", ValuePattern},
				{"description", "A distribution: pert(min, mode, max), triangular(min, mode, max), uniform(min, max), normal(mean, sd), lognormal(mu=, sigma=) or (mean=, sd=) or two percentiles (p10=, p90=), beta(alpha, beta), gamma(shape, scale), bernoulli(p), discrete(values=[…], weights=[…]), \"A to B\" (a 90% interval: lognormal, plan value its mean); min= and max= cut any form (\"0.7 to 0.9, max=1\"). Numbers may have exponents (3.5e6), underscores (3_500_000) and percent signs (25% is 0.25), and be constant expressions (600e6 / 12)."}}},
			{"number", schemaObj{{"type", "string"}, {"pattern", NumberPattern},
				{"description", "A number written as text: 25% (0.25), 3_500_000, or a constant expression such as 600e6 / 12, evaluated when the scenario is loaded."}}},
			{"inputs", schemaObj{{"type", []string{"object", "null"}},
				{"description", "The analyst's own uncertain inputs: name → number or distribution."},
				{"propertyNames", schemaObj{{"pattern", inputNameRE.String()}, {"maxLength", MaxInputNameLen}}},
				{"additionalProperties", schemaObj{{"anyOf", []any{schemaObj{{"type", "number"}}, schemaObj{{"$ref", "#/$defs/expression"}}}}}}}},
			{"correlations", schemaObj{{"type", []string{"array", "null"}},
				{"description", "Spearman rank correlations [name_a, name_b, rho], rho in (−1, 1), applied with a Gaussian copula."},
				{"items", schemaObj{{"type", "array"}, {"prefixItems", []any{
					schemaObj{{"type", "string"}}, schemaObj{{"type", "string"}},
					schemaObj{{"type", "number"}, {"exclusiveMinimum", -1}, {"exclusiveMaximum", 1}}}},
					{"items", false}, {"minItems", 3}}}}},
			{"groups", schemaObj{{"type", []string{"object", "null"}},
				{"description", "Groups of inputs for the sensitivity analysis: group name → list of inputs; an input in one group only."},
				{"additionalProperties", schemaObj{{"type", "array"}, {"items", schemaObj{{"type", "string"}}}, {"minItems", 1}}}}},
		}},
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func ptr(v float64) *float64 { return &v }

// checkKeys panics when the schema's properties differ from the loader's keys:
// a programming error that the schema test catches at once.
func checkKeys(props schemaObj, keys []string) {
	if len(props) != len(keys) {
		panic("model: the schema's keys differ from the loader's")
	}
	have := map[string]bool{}
	for _, kv := range props {
		have[kv.k] = true
	}
	for _, k := range keys {
		if !have[k] {
			panic("model: the schema has no key " + k)
		}
	}
}

// ParamPaths lists every path --set may name in a CRM scenario: name,
// currency, the number-only settings, the uncertain parameters in canonical
// order, the risks and the TEI settings (for shell completion).
func ParamPaths() []string {
	return settable()
}
