package out

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
	"gonum.org/v1/plot/plotter"
)

// Track is what crmroi track adds to a run (issue 23): the actuals against
// the forecast before them, and what they taught about the inputs. The
// run's Result is the updated forecast.
type Track struct {
	Actuals *model.Actuals
	Update  *sim.Update
	// MinESS is the effective sample size asked for; Noise the default
	// relative sd of the measurement model.
	MinESS float64
	Noise  float64
	// Months are the actuals against the prior forecast, by month and column.
	Months []TrackMonth
	// Inputs are the uncertain inputs, most narrowed first.
	Inputs []TrackInput
}

// TrackMonth is one actual against the forecast made before the actuals:
// the month's P5, P50 and P95 of the prior forecast, the actual's
// percentile rank among the prior iterations (the share below it), the
// plan case's value and the simulated range.
type TrackMonth struct {
	model.Observation
	P5, P50, P95 float64
	Rank         float64
	Plan         float64
	Min, Max     float64
}

// Outside reports whether the actual lies outside every simulated path.
func (m TrackMonth) Outside() bool { return m.Value < m.Min || m.Value > m.Max }

// TrackInput is an input's distribution before and after the actuals.
type TrackInput struct {
	sim.InputUpdate
	// Narrowed is 1 − (updated P90 − P10)/(prior P90 − P10): how much the
	// actuals narrowed its 80% interval (0 where the prior has no spread).
	Narrowed float64
}

// NewTrack builds the track section of a run from the weighted run u, the
// actuals a (with their absolute sd) and the plan case's monthly values.
func NewTrack(a *model.Actuals, u *sim.Update, plan func(c model.ActualColumn, month int) float64, minESS, noise float64) *Track {
	t := &Track{Actuals: a, Update: u, MinESS: minESS, Noise: noise}
	prior := u.Prior
	for _, o := range a.Obs {
		k := slices.Index(prior.Outputs, o.Name())
		m := TrackMonth{Observation: o, P5: math.NaN(), P50: math.NaN(), P95: math.NaN(), Rank: math.NaN(), Min: math.NaN(), Max: math.NaN(),
			Plan: plan(o.Column, o.Month)}
		if k >= 0 {
			st := prior.Metrics[k]
			m.P5, m.P50, m.P95 = st.Pct[1], st.Pct[4], st.Pct[7]
			m.Min, m.Max = st.Min, st.Max
			m.Rank = prior.Prob(k, model.RankKey)
		}
		t.Months = append(t.Months, m)
	}
	for _, in := range u.Inputs {
		ti := TrackInput{InputUpdate: in}
		if w := in.Prior.P90 - in.Prior.P10; w > 0 {
			ti.Narrowed = 1 - (in.Updated.P90-in.Updated.P10)/w
		}
		t.Inputs = append(t.Inputs, ti)
	}
	slices.SortStableFunc(t.Inputs, func(x, y TrackInput) int {
		switch {
		case x.Narrowed > y.Narrowed:
			return -1
		case x.Narrowed < y.Narrowed:
			return 1
		}
		return strings.Compare(x.Name, y.Name)
	})
	return t
}

// cumulativePoints are the actual cumulative cash flows by month, for the
// fan chart: the cumulative_cash_flow column, and for the months before the
// first gap the running sum of cash_flow where that column is given
// instead. None without a track or actuals.
func (t *Track) cumulativePoints() plotter.XYs {
	if t == nil || len(t.Actuals.Obs) == 0 {
		return nil
	}
	var pts plotter.XYs
	cum := map[int]float64{}
	flow := map[int]float64{}
	for _, o := range t.Actuals.Obs {
		switch o.Column {
		case model.ActualCumulative:
			cum[o.Month] = o.Value
		case model.ActualCashFlow:
			flow[o.Month] = o.Value
		}
	}
	run := 0.0
	for m := 1; m <= t.LastMonth(); m++ {
		f, ok := flow[m]
		if !ok {
			break
		}
		run += f
		if _, given := cum[m]; !given {
			cum[m] = run
		}
	}
	for m := 1; m <= t.LastMonth(); m++ {
		if v, ok := cum[m]; ok {
			pts = append(pts, plotter.XY{X: float64(m), Y: v})
		}
	}
	return pts
}

// LastMonth is the last month with an actual.
func (t *Track) LastMonth() int { return t.Actuals.LastMonth() }

// Extended reports whether the run went past the iterations asked for.
func (t *Track) Extended() bool { return t.Update.Iterations > t.Update.Asked }

// Verdict is the line that reads an actual against the forecast: "month 9:
// cumulative cash flow at P18 of the forecast — below plan, inside the
// band".
func (m TrackMonth) Verdict(l Lang, cur string) string {
	info := model.ActualColumns[m.Column]
	name := info.Label.In(string(l))
	pos := l.T("inside the band")
	switch {
	case m.Outside():
		pos = l.Tf("outside every simulated path (%s to %s)", m.format(l, m.Min, cur), m.format(l, m.Max, cur))
	case m.Value < m.P5:
		pos = l.T("below the band")
	case m.Value > m.P95:
		pos = l.T("above the band")
	}
	plan := l.T("on plan")
	switch d := m.Value - m.Plan; {
	case d < -1e-9*math.Abs(m.Plan):
		plan = l.T("below plan")
	case d > 1e-9*math.Abs(m.Plan):
		plan = l.T("above plan")
	}
	return l.Tf("month %d: %s at %s of the forecast — %s, %s", m.Month, name, rankText(m.Rank), plan, pos)
}

// rankText is a percentile rank as P18 (P<1 and P>99 at the ends).
func rankText(r float64) string {
	switch {
	case r != r:
		return "—"
	case r < 0.005:
		return "P<1"
	case r > 0.995:
		return "P>99"
	}
	return fmt.Sprintf("P%d", int(math.Round(r*100)))
}

// format prints a value of the observation's column.
func (m TrackMonth) format(l Lang, v float64, cur string) string {
	if model.ActualColumns[m.Column].Unit == model.UnitShare {
		return l.Percent(v)
	}
	return l.MoneyCompact(v, cur)
}

// spread is a sim.Spread as JSON.
func spread(s sim.Spread) Obj {
	return Obj{{"mean", Num(s.Mean)}, {"p10", Num(s.P10)}, {"p90", Num(s.P90)}}
}

// TrackJSON is track.json: the effective sample size, the iterations, each
// actual against the prior forecast, each input before and after, and the
// outcome shares given the actuals.
func TrackJSON(run *Run) Obj {
	t := run.Track
	months := make([]Obj, 0, len(t.Months))
	for _, m := range t.Months {
		months = append(months, Obj{{"month", m.Month}, {"column", model.ActualColumns[m.Column].Name}, {"actual", Num(m.Value)},
			{"sd", Num(m.SD)}, {"p5", Num(m.P5)}, {"p50", Num(m.P50)}, {"p95", Num(m.P95)}, {"rank", Num(m.Rank)},
			{"plan", Num(m.Plan)}, {"min", Num(m.Min)}, {"max", Num(m.Max)}, {"outside", m.Outside()},
			{"verdict", m.Verdict(English, run.Scenario.Currency)}})
	}
	inputs := make([]Obj, 0, len(t.Inputs))
	for _, in := range t.Inputs {
		inputs = append(inputs, Obj{{"name", in.Name}, {"prior", spread(in.Prior)}, {"updated", spread(in.Updated)}, {"narrowed", Num(in.Narrowed)}})
	}
	r := run.Result
	outcomes := Obj{}
	for o := model.Outcome(0); o < model.NumOutcomes; o++ {
		outcomes = append(outcomes, kv{o.String(), Num(r.Outcomes[o])})
	}
	prior := t.Update.Prior
	priorOutcomes := Obj{}
	for o := model.Outcome(0); o < model.NumOutcomes; o++ {
		priorOutcomes = append(priorOutcomes, kv{o.String(), Num(prior.Outcomes[o])})
	}
	return Obj{
		{"tool", Obj{{"name", "crmroi"}, {"version", run.Version}}},
		{"actuals", Obj{{"file", t.Actuals.File}, {"sha256", t.Actuals.SHA256}, {"last_month", t.LastMonth()}, {"noise", Num(t.Noise)}}},
		{"ess", Num(t.Update.ESS)},
		{"min_ess", Num(t.MinESS)},
		{"iterations", t.Update.Iterations},
		{"iterations_asked", t.Update.Asked},
		{"extended", t.Extended()},
		{"proposal_rounds", t.Update.Rounds},
		{"months", months},
		{"inputs", inputs},
		{"outcomes", outcomes},
		{"prior_outcomes", priorOutcomes},
		{"outputs", trackOutputs(run)},
	}
}

// trackOutputs are the key outputs' P5, P50, P95 and mean before and after the actuals.
func trackOutputs(run *Run) Obj {
	prior, post := run.Track.Update.Prior, run.Result
	o := Obj{}
	for k, info := range post.Info {
		if info.Internal || !info.Key && info.Name != "irr_annual" {
			continue
		}
		row := func(st sim.Stats, r *sim.Result) Obj {
			ob := Obj{{"p5", Num(st.Pct[1])}, {"p50", Num(st.Pct[4])}, {"p95", Num(st.Pct[7])}, {"mean", Num(st.Mean)}}
			for j, th := range info.Thresholds {
				ob = append(ob, kv{th.Key, Num(r.Probs[k][j])})
			}
			return ob
		}
		o = append(o, kv{info.Name, Obj{{"prior", row(prior.Metrics[k], prior)}, {"updated", row(post.Metrics[k], post)}}})
	}
	return o
}

// WriteTrackJSON writes track.json.
func WriteTrackJSON(w io.Writer, run *Run) error { return writeIndented(w, TrackJSON(run)) }

// WriteTrackTable writes the terminal's track section: the effective
// sample size, a verdict per actual, and the inputs the actuals narrowed.
func WriteTrackTable(w io.Writer, run *Run, l Lang) error {
	t := run.Track
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s\n", l.Tf("Actuals against the forecast (months 1–%d, %s)", t.LastMonth(), t.Actuals.File))
	for _, m := range t.Months {
		b.WriteString("  " + m.Verdict(l, run.Scenario.Currency) + "\n")
	}
	fmt.Fprintf(&b, "%s\n", l.Tf("Effective sample size %s of %s iterations", l.Number(t.Update.ESS, 0), l.Number(float64(t.Update.Iterations), 0)))
	if t.Extended() {
		fmt.Fprintf(&b, "%s\n", l.Tf("(run past the %s iterations asked for, to reach an effective sample size of %s)", l.Number(float64(t.Update.Asked), 0), l.Number(t.MinESS, 0)))
	}
	if t.Update.Rounds > 0 {
		fmt.Fprintf(&b, "%s\n", l.Tf("(drawn from a sampling distribution fitted to the actuals in %d rounds, the weights corrected for it)", t.Update.Rounds))
	}
	if t.Update.ESS < t.MinESS {
		fmt.Fprintf(&b, "%s\n", l.Tf("warning: the effective sample size is below %s at the cap of iterations: the updated figures are rough", l.Number(t.MinESS, 0)))
	}
	fmt.Fprintf(&b, "\n%s\n", l.Tf("What the first %d months taught us", t.LastMonth()))
	width := 0
	for _, in := range t.Inputs {
		width = max(width, utf8.RuneCountInString(inputLabel(in.Name, l)))
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", strings.Repeat(" ", width), l.T("prior mean"), l.T("P10–P90"), l.T("updated mean"), l.T("P10–P90"), l.T("narrowed"))
	for i, in := range t.Inputs {
		if i == 12 {
			break
		}
		lb := inputLabel(in.Name, l)
		f := func(v float64) string { return formatInput(in.Name, v, l, run.Scenario.Currency) }
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", lb+strings.Repeat(" ", width-utf8.RuneCountInString(lb)),
			f(in.Prior.Mean), f(in.Prior.P10)+"–"+f(in.Prior.P90), f(in.Updated.Mean), f(in.Updated.P10)+"–"+f(in.Updated.P90), l.Percent(in.Narrowed))
	}
	tw.Flush()
	_, err := io.WriteString(w, b.String())
	return err
}

// inputLabel is an input's label in l (its path in English).
func inputLabel(path string, l Lang) string {
	if l == Russian {
		return model.Label(path, "ru")
	}
	return path
}

// formatInput prints an input's value: a percentage for shares, money
// compact for amounts, else a number with 3 significant digits.
func formatInput(path string, v float64, l Lang, cur string) string {
	switch inputFormat(path) {
	case fmtPercent:
		return l.Percent(v)
	case fmtMoney:
		return l.MoneyCompact(v, cur)
	}
	return l.Number(v, max(0, sigDecimals(v, 3)))
}
