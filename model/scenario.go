package model

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/crmroi/crmroi/distributions"
)

// DefaultYAML is the built-in default scenario of model.md, with a comment on
// every parameter; `crmroi init` writes it and `crmroi run` uses it without a file.
//
//go:embed default.yaml
var DefaultYAML []byte

// DefaultYAMLRu is DefaultYAML with its comments in Russian (crmroi init
// --lang ru): the same settings and values, line for line.
//
//go:embed default.ru.yaml
var DefaultYAMLRu []byte

// DefaultFile is the name the built-in scenario is reported under.
const DefaultFile = "<default scenario>"

// Input is one uncertain value of a scenario: a built-in parameter or an
// extra input of the analyst's own (inputs:), whose Path is its bare name.
type Input struct {
	Path string
	Dist distributions.Dist
	Pos  Pos // where its value was written
}

// Correlation is a requested Spearman rank correlation between two inputs.
type Correlation struct {
	A, B string
	I, J int // indices in Scenario.Inputs
	Rho  float64
	Pos  Pos
}

// Scenario is a validated scenario: every value checked, ready to compile.
type Scenario struct {
	Name string
	File string
	// Model is ModelCRM (also when empty) or ModelFormula.
	Model string

	Horizon                int
	Seats                  float64
	ImplementationMonths   float64
	SalesLag               int
	SubscriptionEscalation float64
	PresaleSeatShare       float64
	Currency               string

	// Inputs are the uncertain values. In a CRM scenario the first NumBuiltin
	// are Builtin, in order, followed by the extra inputs in file order and,
	// with a finance: section, its parameters (FinanceParams order); in a
	// formula scenario there are only the extra inputs.
	Inputs []Input
	// Custom are the analyst's own benefit and cost lines of a CRM scenario.
	Custom []CustomLine
	// FormulaOutputs are the outputs of a formula scenario, the first primary.
	FormulaOutputs []FormulaOutput
	Risks          Risks
	Correlations   []Correlation
	TEI            TEI
	// Finance is the finance: section (model.md section 6), nil without one.
	Finance *Finance
	// Gate is the gate: section (model.md section 7), nil without one.
	Gate *Gate

	// Warnings are things the analyst should know that are not errors.
	Warnings []string
	// Flagged are the warnings about values of the file (a distribution cut
	// at its domain's edge, an implausible value), with their places, in
	// file order; each is also in Warnings. --strict makes them errors.
	Flagged ErrorList
	// Notes are remarks too small for a warning: distributions cut at their
	// domain's edge with less than WarnCutMass of their probability outside
	// (summary.json "notes").
	Notes []string
	// Groups are the scenario's groups: of inputs for the sensitivity analysis.
	Groups []Group

	doc  *Document // what the scenario was made from (Scenario.With)
	sets []Set     // the overrides it was made with
}

// Finance is a scenario's finance: section. Its uncertain parameters are
// inputs (Scenario.Inputs, after the extra inputs, with paths finance.NAME);
// it holds their indices.
type Finance struct {
	ProfitTax, CapitalizedShare, NonrecoverableVAT int
	// TerminalGrowth is −1 where terminal_growth is absent (no terminal value).
	TerminalGrowth int
	// DepreciationMonths is M, a number only.
	DepreciationMonths int
}

// Risks are the probabilities of the risk events.
type Risks struct {
	Cancel  float64
	Abandon float64
}

// TEI is Forrester's fixed risk adjustment, shown as a comparison row.
type TEI struct {
	BenefitHaircut float64
	CostUplift     float64
}

// Default returns the built-in default scenario.
func Default() *Scenario {
	s, err := Parse(DefaultFile, DefaultYAML, nil)
	if err != nil {
		panic("model: the built-in default scenario is invalid: " + err.Error())
	}
	return s
}

// attachWarnings puts the loader's warnings, in file order, before the
// scenario's other warnings, and its notes into s.Notes.
func (l *loader) attachWarnings(s *Scenario) {
	sortErrors(l.warns, l.file)
	s.Flagged = l.warns
	w := make([]string, 0, len(l.warns)+len(s.Warnings))
	for _, e := range l.warns {
		if e.Path != "" {
			w = append(w, e.Path+": "+e.Msg)
		} else {
			w = append(w, e.Msg)
		}
	}
	s.Warnings = append(w, s.Warnings...)
	s.Notes = l.notes
}

// StrictErrors returns every warning of s as an error, for --strict: the
// flagged ones at their places, the others at the file.
func (s *Scenario) StrictErrors() ErrorList {
	errs := append(ErrorList{}, s.Flagged...)
	for _, w := range s.Warnings[min(len(s.Flagged), len(s.Warnings)):] {
		errs = append(errs, &Error{Pos: Pos{File: s.File}, Msg: w})
	}
	for _, e := range errs {
		if e.Pos.File == "" {
			e.Pos.File = s.File
		}
	}
	return errs
}

// Title is how the scenario is named to a reader: its name, else its file.
func (s *Scenario) Title() string {
	if s.Name == "" {
		return s.File
	}
	return s.Name
}

// defaultTitle is the name of the built-in default scenario (the name line
// of default.yaml and default.ru.yaml) and its Russian title: crmroi's own
// words, so they are translated, where an analyst's name is shown as written.
var defaultTitle = Text{"Default CRM business case", "Типовой бизнес-кейс внедрения CRM"}

// defaultFileRu is DefaultFile as a Russian reader sees it.
const defaultFileRu = "<встроенный сценарий>"

// TitleIn is Title for a reader of language lang ("en" or "ru"): the
// built-in default scenario's name and file are translated; any other name
// is the analyst's and is shown as written.
func (s *Scenario) TitleIn(lang string) string {
	if s.Name == defaultTitle.En {
		return defaultTitle.In(lang)
	}
	if s.Name == "" {
		return s.FileIn(lang)
	}
	return s.Name
}

// FileIn is the scenario's file for a reader of language lang: the built-in
// scenario's placeholder is translated, a file's path is its path.
func (s *Scenario) FileIn(lang string) string {
	if s.File == DefaultFile && lang == "ru" {
		return defaultFileRu
	}
	return s.File
}

// Uncertain returns the indices of the inputs that are not fixed numbers, in canonical order.
func (s *Scenario) Uncertain() []int {
	var idx []int
	for i, in := range s.Inputs {
		if !in.Dist.Fixed() {
			idx = append(idx, i)
		}
	}
	return idx
}

// InputIndex returns the index of the input with that path, or -1.
func (s *Scenario) InputIndex(path string) int {
	for i, in := range s.Inputs {
		if in.Path == path {
			return i
		}
	}
	return -1
}

// PlanValues returns every input at its plan value (model.md section 4).
func (s *Scenario) PlanValues() []float64 {
	x := make([]float64, len(s.Inputs))
	for i, in := range s.Inputs {
		x[i] = in.Dist.Plan()
	}
	return x
}

// Canonical is the scenario as resolved (after --set), one setting per line in
// a fixed order and format; its SHA-256 identifies the run's input.
func (s *Scenario) Canonical() string {
	if s.IsFormula() {
		return s.canonicalFormula()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\n", strconv.Quote(s.Name))
	fmt.Fprintf(&b, "currency: %s\n", strconv.Quote(s.Currency))
	fmt.Fprintf(&b, "horizon_months: %d\n", s.Horizon)
	fmt.Fprintf(&b, "seats: %s\n", fmtNum(s.Seats))
	fmt.Fprintf(&b, "implementation_months: %s\n", fmtNum(s.ImplementationMonths))
	fmt.Fprintf(&b, "sales_lag_months: %d\n", s.SalesLag)
	fmt.Fprintf(&b, "subscription_escalation: %s\n", fmtNum(s.SubscriptionEscalation))
	fmt.Fprintf(&b, "presale_seat_share: %s\n", fmtNum(s.PresaleSeatShare))
	for _, in := range s.Inputs {
		fmt.Fprintf(&b, "%s: %s\n", in.Path, in.Dist.String())
	}
	for _, c := range s.Custom {
		fmt.Fprintf(&b, "custom: [%s, %s, %s]\n", strconv.Quote(c.Name), c.Kind, strconv.Quote(c.Expr.Text))
	}
	fmt.Fprintf(&b, "risks.cancel: %s\n", fmtNum(s.Risks.Cancel))
	fmt.Fprintf(&b, "risks.abandon: %s\n", fmtNum(s.Risks.Abandon))
	for _, c := range s.Correlations {
		fmt.Fprintf(&b, "correlation: [%s, %s, %s]\n", c.A, c.B, fmtNum(c.Rho))
	}
	fmt.Fprintf(&b, "tei.benefit_haircut: %s\n", fmtNum(s.TEI.BenefitHaircut))
	fmt.Fprintf(&b, "tei.cost_uplift: %s\n", fmtNum(s.TEI.CostUplift))
	if s.Finance != nil { // its uncertain parameters are among the inputs above
		fmt.Fprintf(&b, "finance.depreciation_months: %d\n", s.Finance.DepreciationMonths)
	}
	if g := s.Gate; g != nil {
		fmt.Fprintf(&b, "gate: [%d, %s, %s]\n", g.RunMonth, strconv.Quote(g.StopIf.Text), fmtNum(g.Threshold))
	}
	return b.String()
}

// SHA256 is the hex SHA-256 of Canonical.
func (s *Scenario) SHA256() string {
	h := sha256.Sum256([]byte(s.Canonical()))
	return hex.EncodeToString(h[:])
}

func fmtNum(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
