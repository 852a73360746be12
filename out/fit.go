package out

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/crmroi/crmroi/fit"
)

// FitData says where the fitted values came from.
type FitData struct {
	File, Sheet, Column string
	Blank               int    // blank cells skipped
	SHA256              string // of the data file
	Values              []float64
	// Cut is appended to the empirical(…, fit=…) form (", max=1") when the
	// values are for a parameter whose domain the fit reaches beyond.
	Cut string
}

// Empirical is the empirical(…) expression that reads the same data, with
// fit=family ("" for the data themselves).
func (d FitData) Empirical(family string) string {
	var b strings.Builder
	b.WriteString("empirical(file=" + quoteArg(d.File) + ", column=" + quoteArg(d.Column))
	if d.Sheet != "" {
		b.WriteString(", sheet=" + quoteArg(d.Sheet))
	}
	if family != "" {
		b.WriteString(", fit=" + family)
	}
	b.WriteString(")")
	if family != "" {
		b.WriteString(d.Cut)
	}
	return b.String()
}

func quoteArg(v string) string {
	if v != "" && !strings.ContainsAny(v, ",()=\"' \t") {
		return v
	}
	if !strings.Contains(v, `"`) {
		return `"` + v + `"`
	}
	return "'" + v + "'"
}

// fitP formats a p-value: "—" without bootstrap, "<0.005" below the
// resolution of the bootstrap.
func fitP(p float64, resamples int) string {
	switch {
	case math.IsNaN(p):
		return "—"
	case resamples > 0 && p <= 1/float64(resamples+1)+1e-12:
		return "<" + strconv.FormatFloat(1/float64(resamples+1)+0.0005, 'f', 3, 64)
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}

func fitG(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'g', 5, 64)
}

// WriteFitTable writes the fit report as a table: the data, one row per
// family ranked by AIC (with BIC rank, ΔAIC, KS and AD with their p-values),
// the parameters with standard errors, and the best expression to paste.
func WriteFitTable(w io.Writer, rep *fit.Report, d FitData, files []string) error {
	var b strings.Builder
	where := d.File
	if d.Sheet != "" {
		where += ", sheet " + strconv.Quote(d.Sheet)
	}
	fmt.Fprintf(&b, "crmroi fit — %s, column %s: n = %d", where, strconv.Quote(d.Column), rep.N)
	if d.Blank > 0 {
		fmt.Fprintf(&b, " (%d blank cells skipped)", d.Blank)
	}
	fmt.Fprintf(&b, ", mean %s, sd %s, min %s, max %s\n", fitG(rep.Mean), fitG(rep.SD), fitG(rep.Min), fitG(rep.Max))
	if rep.Bootstrap > 0 {
		fmt.Fprintf(&b, "p-values: parametric bootstrap, %d resamples refitted, seed %d\n\n", rep.Bootstrap, rep.Seed)
	} else {
		b.WriteString("p-values: none (--bootstrap 0)\n\n")
	}
	head := []string{"#", "family", "k", "log L", "AIC", "ΔAIC", "BIC", "BIC #", "KS", "KS p", "AD", "AD p", "expression"}
	rows := [][]string{head}
	for _, r := range rep.Results {
		rows = append(rows, []string{strconv.Itoa(r.RankAIC), r.Family, strconv.Itoa(r.K), fitG(r.LogLik),
			fitG(r.AIC), strconv.FormatFloat(r.DeltaAIC, 'f', 2, 64), fitG(r.BIC), strconv.Itoa(r.RankBIC),
			strconv.FormatFloat(r.KS, 'f', 4, 64), fitP(r.KSP, r.Resamples),
			strconv.FormatFloat(r.AD, 'f', 3, 64), fitP(r.ADP, r.Resamples), r.Expr})
	}
	writeAligned(&b, rows, map[int]bool{1: true, 12: true})
	for _, s := range rep.Skipped {
		fmt.Fprintf(&b, "  %s: not fitted: %s\n", s.Family, s.Reason)
	}
	b.WriteString("\nParameters (± standard error):\n")
	for _, r := range rep.Results {
		var ps []string
		for _, p := range r.Params {
			s := p.Name + " " + fitG(p.Value)
			if !math.IsNaN(p.SE) {
				s += " ± " + strconv.FormatFloat(p.SE, 'g', 2, 64)
			}
			ps = append(ps, s)
		}
		note := ""
		if r.Note != "" {
			note = " (" + r.Note + ")"
		}
		fmt.Fprintf(&b, "  %-10s %s%s\n", r.Family, strings.Join(ps, ", "), note)
	}
	best := rep.BestAIC
	fmt.Fprintf(&b, "\nBest by AIC: %s", best.Family)
	if rep.BestBIC != nil && rep.BestBIC.Family != best.Family {
		fmt.Fprintf(&b, " (by BIC: %s)", rep.BestBIC.Family)
	}
	if !math.IsNaN(best.KSP) && (best.KSP < 0.05 || best.ADP < 0.05) {
		b.WriteString(" — but the tests reject it at 5%: consider empirical(…) or smooth=kde")
	}
	b.WriteString(". Paste into the scenario:\n")
	fmt.Fprintf(&b, "  %s\n", best.Expr)
	fmt.Fprintf(&b, "or keep the link to the data (refitted when the file changes):\n  %s\n", d.Empirical(best.Family))
	if len(files) > 0 {
		fmt.Fprintf(&b, "\nFiles: %s\n", strings.Join(files, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeAligned writes rows as columns separated by two spaces; columns in
// left are left-aligned, the others right-aligned.
func writeAligned(b *strings.Builder, rows [][]string, left map[int]bool) {
	width := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		var line strings.Builder
		for i, c := range r {
			if i > 0 {
				line.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[i]-len([]rune(c)))
			if left[i] {
				if i == len(r)-1 {
					pad = ""
				}
				line.WriteString(c + pad)
			} else {
				line.WriteString(pad + c)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

// FitJSON is the fit report as an ordered JSON object (fit.json and --json).
func FitJSON(rep *fit.Report, d FitData) Obj {
	var results []Obj
	for _, r := range rep.Results {
		var ps []Obj
		for _, p := range r.Params {
			ps = append(ps, Obj{{"name", p.Name}, {"value", Num(p.Value)}, {"se", Num(p.SE)}})
		}
		results = append(results, Obj{
			{"family", r.Family}, {"expression", r.Expr}, {"rank_aic", r.RankAIC}, {"rank_bic", r.RankBIC},
			{"k", r.K}, {"loglik", Num(r.LogLik)}, {"aic", Num(r.AIC)}, {"bic", Num(r.BIC)}, {"delta_aic", Num(r.DeltaAIC)},
			{"ks", Num(r.KS)}, {"ks_p", Num(r.KSP)}, {"ad", Num(r.AD)}, {"ad_p", Num(r.ADP)},
			{"resamples", r.Resamples}, {"params", ps}, {"note", r.Note},
		})
	}
	var skipped []Obj
	for _, s := range rep.Skipped {
		skipped = append(skipped, Obj{{"family", s.Family}, {"reason", s.Reason}})
	}
	data := Obj{{"file", d.File}}
	if d.Sheet != "" {
		data = append(data, kv{"sheet", d.Sheet})
	}
	data = append(data, Obj{{"column", d.Column}, {"sha256", d.SHA256}, {"n", rep.N}, {"blank", d.Blank},
		{"mean", Num(rep.Mean)}, {"sd", Num(rep.SD)}, {"min", Num(rep.Min)}, {"max", Num(rep.Max)}}...)
	return Obj{
		{"data", data},
		{"bootstrap", rep.Bootstrap}, {"seed", rep.Seed},
		{"bounds", Obj{{"min", Num(rep.BoundMin)}, {"max", Num(rep.BoundMax)}}},
		{"best_aic", rep.BestAIC.Family}, {"best_bic", rep.BestBIC.Family},
		{"best_expression", rep.BestAIC.Expr}, {"best_empirical", d.Empirical(rep.BestAIC.Family)},
		{"results", results}, {"skipped", skipped},
	}
}
