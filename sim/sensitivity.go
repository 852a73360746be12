package sim

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/crmroi/crmroi/internal/parallel"
	"github.com/crmroi/crmroi/model"
)

// Defaults of the sensitivity analysis.
const (
	// DefaultBase is the default base sample size N of the Saltelli design.
	DefaultBase = 4096
	// DefaultResamples is the number of bootstrap resamples of the Sobol indices.
	DefaultResamples = 1000
	// designBlock is the number of base rows of the Saltelli design that one
	// worker evaluates at a time. With plain Monte Carlo base matrices, each
	// block's random numbers are seeded from (seed, block index), so it is fixed.
	designBlock = 256
)

// SpiderLevels are the percentiles each input goes through in the
// one-at-a-time analysis (the spider chart); P10 and P90 are the tornado's.
var SpiderLevels = []float64{0.10, 0.25, 0.50, 0.75, 0.90}

// SensitivityConfig says how to analyse a scenario's sensitivity.
type SensitivityConfig struct {
	// Iterations is the size of the plain Monte Carlo sample (the run's
	// sample, same seed) for the rank-based measures.
	Iterations int
	Seed       uint64
	Workers    int // ≤ 0 means the number of CPUs
	// Base is the base sample size N of the Saltelli design (a power of
	// two); the design costs N(k+2) model runs for k inputs, plus N per
	// group of more than one input.
	Base int
	// Sampling draws the Saltelli base matrices A and B: "sobol" (a
	// scrambled Sobol sequence in 2k dimensions, the default) or "mc".
	Sampling string
	// Resamples is the number of bootstrap resamples for the confidence
	// intervals; 0 means DefaultResamples.
	Resamples int
	// Progress, when not nil, is called from worker goroutines with the
	// model runs done so far (the Monte Carlo sample's, then the design's)
	// and the number planned.
	Progress func(done, total int)
	// VOI also estimates the value of information of investing or not
	// (Sensitivity.VOI), as RunVOI does for the scenario alone.
	VOI bool

	ran func(runs int) // counts model runs for Progress
}

// InputSensitivity is every measure of one input's influence on the primary
// output. An input is an uncertain input of the scenario or one of the risk
// events' random draws (model.RiskNames). NaN means not computable.
type InputSensitivity struct {
	Name  string
	Group string // its group, "" when there are none
	Risk  bool   // a risk draw
	// Rank-based measures on the Monte Carlo sample: Spearman rank
	// correlation, partial rank correlation (PRCC), standardised rank
	// regression coefficient (SRRC) and contribution to variance: the squared
	// rank correlation normalised so that the shares add up to 1, never
	// negative (the direction is Spearman's sign).
	Spearman, PRCC, SRRC, VarianceShare float64
	// NotMonotone is set where the output is not monotone in the input:
	// Sobol's total index gives it at least NotMonotoneMin of the variance
	// and more than four times its squared rank correlation, so that the
	// rank measures (and the contribution to variance) miss its effect.
	NotMonotone bool
	// Variance-based: Sobol first-order (Saltelli 2010) and total (Jansen)
	// indices, with bootstrap 95% percentile intervals.
	SobolFirst, SobolTotal     float64
	SobolFirstCI, SobolTotalCI [2]float64
}

// GroupSensitivity is the Sobol indices of a group of inputs taken together.
type GroupSensitivity struct {
	Name                       string
	Members                    []string
	SobolFirst, SobolTotal     float64
	SobolFirstCI, SobolTotalCI [2]float64
}

// MonthShares is, for one month, the share of the variance of the cumulative
// cash flow explained by each group alone (first-order Sobol index per group,
// in the order of Sensitivity.Groups).
type MonthShares struct {
	Month    int
	Variance float64   // variance of the cumulative cash flow that month
	Shares   []float64 // NaN where the variance is 0
}

// OneAtATime is one input moved through SpiderLevels with every other input
// at plan and no risk event (correlations ignored).
type OneAtATime struct {
	Input   string
	Plan    float64   // the input's plan value
	Values  []float64 // the input at SpiderLevels
	Outputs []float64 // the primary output with the input at each level
	Swing   float64   // |output at P90 − output at P10|
}

// Sensitivity is the result of a sensitivity analysis of the primary output.
type Sensitivity struct {
	Output     string           // the primary output (the model's first)
	Info       model.OutputInfo // its description
	Iterations int
	Seed       uint64
	Base       int
	Sampling   string
	Resamples  int
	ModelRuns  int     // runs of the Saltelli design
	Plan       float64 // the primary output in the plan case
	Mean       float64 // of the primary output over the design's A and B runs
	Variance   float64 // of the primary output over the design's A and B runs
	Inputs     []InputSensitivity
	Groups     []GroupSensitivity
	OverTime   []MonthShares
	OAT        []OneAtATime // largest swing first
	// Correlated names the correlated inputs: the Sobol indices are
	// computed with their correlations switched off.
	Correlated []string
	Notes      []string
	// VOI is the value of information of investing or not (with
	// SensitivityConfig.VOI), nil otherwise.
	VOI *VOI
	// NoteCodes say which remark each of Notes is, in order, so that a
	// reader's language can word it again from the result's fields.
	NoteCodes []NoteCode
}

// NoteCode is the kind of a remark of the sensitivity analysis.
type NoteCode uint8

// The remarks of a sensitivity analysis.
const (
	// NoteCorrelated: Sobol indices computed with the correlations of
	// Correlated switched off.
	NoteCorrelated NoteCode = iota
	// NoteSobolFallback: too many inputs for the Sobol sequence; the base
	// matrices were drawn by plain Monte Carlo.
	NoteSobolFallback
	// NoteNoInputs: the scenario has no uncertain input.
	NoteNoInputs
	// NoteNotMonotone: the inputs marked NotMonotone.
	NoteNotMonotone
	// NoteConstant: the output does not vary in the Sobol design.
	NoteConstant
)

// note adds a remark, in English, with its code.
func (res *Sensitivity) note(code NoteCode, text string) {
	res.Notes = append(res.Notes, text)
	res.NoteCodes = append(res.NoteCodes, code)
}

// RunSensitivity analyses scenario s as cfg says.
func RunSensitivity(ctx context.Context, s *model.Scenario, cfg SensitivityConfig) (*Sensitivity, error) {
	return SensitivityModel(ctx, s, model.Compile(s), cfg)
}

// IsPowerOfTwo reports whether n is a positive power of two.
func IsPowerOfTwo(n int) bool { return n > 0 && n&(n-1) == 0 }

// SensitivityModel analyses model m, whose inputs are those of s: the
// one-at-a-time analysis, the rank-based measures on a Monte Carlo sample of
// cfg.Iterations (the same sample `run` draws with that seed), and the Sobol
// indices of every input, of every group and of the groups month by month
// from a Saltelli design. The result does not depend on the number of workers.
func SensitivityModel(ctx context.Context, s *model.Scenario, m model.Model, cfg SensitivityConfig) (*Sensitivity, error) {
	if !IsPowerOfTwo(cfg.Base) || cfg.Base < 2 {
		return nil, fmt.Errorf("the base sample size must be a power of two of at least 2, got %d", cfg.Base)
	}
	if cfg.Iterations < 1 {
		return nil, fmt.Errorf("iterations must be at least 1, got %d", cfg.Iterations)
	}
	if cfg.Sampling == "" {
		cfg.Sampling = "sobol"
	}
	if cfg.Sampling != "sobol" && cfg.Sampling != "mc" {
		return nil, fmt.Errorf("the Sobol design samples with sobol or mc, not %q", cfg.Sampling)
	}
	if cfg.Resamples <= 0 {
		cfg.Resamples = DefaultResamples
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	d := newDesign(s, m)
	cfg.ran = func(int) {}
	if cfg.Progress != nil {
		total := cfg.Iterations + cfg.Base*(d.k+len(d.multi)+2)
		if cfg.VOI {
			total += cfg.Iterations
		}
		var done atomic.Int64
		cfg.ran = func(runs int) { cfg.Progress(int(done.Add(int64(runs))), total) }
	}
	res := &Sensitivity{Output: d.p.outs[0].Name, Info: d.p.outs[0], Iterations: cfg.Iterations, Seed: cfg.Seed, Base: cfg.Base,
		Sampling: cfg.Sampling, Resamples: cfg.Resamples}
	for j := 0; j < d.k; j++ {
		in := InputSensitivity{Name: d.name(j), Risk: j >= d.nunc}
		if g := d.groupOf[j]; g >= 0 {
			in.Group = d.groups[g].Name
		}
		res.Inputs = append(res.Inputs, in)
	}
	for _, g := range d.groups {
		res.Groups = append(res.Groups, GroupSensitivity{Name: g.Name, Members: g.Members})
	}
	if len(s.Correlations) > 0 {
		seen := map[string]bool{}
		for _, c := range s.Correlations {
			for _, n := range []string{c.A, c.B} {
				if !seen[n] {
					seen[n] = true
					res.Correlated = append(res.Correlated, n)
				}
			}
		}
		res.note(NoteCorrelated, "Sobol indices assume independent inputs: they were computed with the correlations of "+
			strings.Join(res.Correlated, ", ")+" switched off; the rank-based measures use the correlated sample")
	}
	if cfg.Sampling == "sobol" && 2*d.k > SobolMaxDim {
		cfg.Sampling = "mc"
		res.Sampling = "mc"
		res.note(NoteSobolFallback, fmt.Sprintf("%d inputs need %d Sobol dimensions, more than the %d available: the base matrices were drawn by plain Monte Carlo",
			d.k, 2*d.k, SobolMaxDim))
	}
	res.OAT, res.Plan = d.oneAtATime()
	if d.k == 0 {
		res.note(NoteNoInputs, "the scenario has no uncertain input")
		return res, nil
	}
	if err := d.rankMeasures(ctx, res, cfg); err != nil {
		return nil, err
	}
	if err := d.sobol(ctx, res, cfg); err != nil {
		return nil, err
	}
	flagNotMonotone(res)
	if cfg.VOI {
		v, err := voiOf(ctx, []*model.Scenario{s}, []string{"invest"}, cfg, VOIConfig{})
		if err != nil {
			return nil, err
		}
		res.VOI = v
	}
	return res, nil
}

// NotMonotoneMin is the smallest total Sobol index for which an input whose
// rank correlation misses it is called not monotone.
const NotMonotoneMin = 0.05

// flagNotMonotone sets NotMonotone where the rank measures and Sobol
// disagree (Sobol's total index at least NotMonotoneMin and above four times
// Spearman's ρ²) and says so in a note.
func flagNotMonotone(res *Sensitivity) {
	var names []string
	for j := range res.Inputs {
		in := &res.Inputs[j]
		if in.SobolTotal >= NotMonotoneMin && in.SobolTotal > 4*in.Spearman*in.Spearman {
			in.NotMonotone = true
			names = append(names, fmt.Sprintf("%s (Sobol ST %.2f, Spearman² %.2f)", in.Name, in.SobolTotal, in.Spearman*in.Spearman))
		}
	}
	if len(names) > 0 {
		res.note(NoteNotMonotone, res.Output+" is not monotone in "+strings.Join(names, ", ")+
			": the rank measures and the contribution to variance (marked *) miss their effect; read their Sobol indices")
	}
}

// design is a scenario prepared for the sensitivity analysis. Its factors
// are the uncertain inputs (0..nunc-1, in canonical order) and, when the
// scenario has risk events, the four risk draws.
type design struct {
	p       *prepared
	k, nunc int
	risk    bool
	groups  []model.Group
	members [][]int // factors per group
	groupOf []int   // group per factor, -1 for none
	multi   []int   // groups of more than one factor: they get runs of their own
	runOf   []int   // per group: its AB run (a factor's or, for a multi group, k + position in multi)
}

func newDesign(s *model.Scenario, m model.Model) *design {
	d := &design{p: prepareModel(s, m)}
	d.nunc = len(d.p.unc)
	d.risk = s.Risks.Cancel > 0 || s.Risks.Abandon > 0
	d.k = d.nunc
	if d.risk {
		d.k += len(model.RiskNames)
	}
	d.groupOf = make([]int, d.k)
	for j := range d.groupOf {
		d.groupOf[j] = -1
	}
	if d.nunc == 0 {
		return d
	}
	factor := map[string]int{}
	for j := 0; j < d.k; j++ {
		factor[d.name(j)] = j
	}
	for _, g := range model.SensitivityGroups(s, d.risk) {
		var mem []int
		for _, name := range g.Members {
			if j, ok := factor[name]; ok {
				mem = append(mem, j)
			}
		}
		if len(mem) == 0 {
			continue
		}
		gi := len(d.groups)
		d.groups = append(d.groups, g)
		d.members = append(d.members, mem)
		for _, j := range mem {
			d.groupOf[j] = gi
		}
		if len(mem) == 1 {
			d.runOf = append(d.runOf, mem[0])
		} else {
			d.runOf = append(d.runOf, d.k+len(d.multi))
			d.multi = append(d.multi, gi)
		}
	}
	return d
}

// name is the name of factor j.
func (d *design) name(j int) string {
	if j < d.nunc {
		return d.p.s.Inputs[d.p.unc[j]].Path
	}
	return model.RiskNames[j-d.nunc]
}

// oneAtATime moves each uncertain input through SpiderLevels (exact
// quantiles) with the others at plan and no risk event, and returns the rows
// by swing, largest first (ties in canonical order), and the plan output.
func (d *design) oneAtATime() ([]OneAtATime, float64) {
	p := d.p
	ev := p.m.NewEvaluator()
	out := make([]float64, len(p.outs))
	x := append([]float64(nil), p.base...)
	eval := func() float64 {
		ev.Eval(x, model.RiskDraws{}, false, out, nil)
		return out[0]
	}
	plan := eval()
	var rows []OneAtATime
	for _, i := range p.unc {
		dist := p.s.Inputs[i].Dist
		r := OneAtATime{Input: p.s.Inputs[i].Path, Plan: x[i]}
		for _, lv := range SpiderLevels {
			v := dist.Quantile(lv)
			x[i] = v
			r.Values = append(r.Values, v)
			r.Outputs = append(r.Outputs, eval())
		}
		x[i] = r.Plan
		r.Swing = math.Abs(r.Outputs[len(r.Outputs)-1] - r.Outputs[0])
		rows = append(rows, r)
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a].Swing > rows[b].Swing })
	return rows, plan
}

// forBlocks runs fn(state, block) for blocks 0..blocks-1 on workers
// goroutines, each with its own state from newState (internal/parallel): it
// returns the lowest failing block's error, or ErrInterrupted when ctx is done.
func forBlocks[W any](ctx context.Context, workers, blocks int, newState func() W, fn func(w W, b int) error) error {
	states := make([]W, max(1, min(workers, blocks)))
	made := make([]bool, len(states))
	err := parallel.For(ctx, workers, blocks, func(w, b int) error {
		if !made[w] {
			states[w], made[w] = newState(), true
		}
		return fn(states[w], b)
	})
	if err != nil && ctx.Err() != nil {
		return ErrInterrupted
	}
	return err
}

// saltelliWorker is the scratch memory of one goroutine of the design.
type saltelliWorker struct {
	ev         model.Evaluator
	x          []float64 // model input values
	rv         [4]float64
	out        []float64
	pt         []float64 // 2k uniforms of one base row: A then B
	xa, xb     []float64 // factor values of A and B
	cumA, cumB []float64
	cumG       [][]float64 // per group
	pcg        rand.PCG
	mc         []float64 // a block's uniforms with plain Monte Carlo sampling
}

// set gives factor j the value v.
func (d *design) set(w *saltelliWorker, j int, v float64) {
	if j < d.nunc {
		w.x[d.p.unc[j]] = v
	} else {
		w.rv[j-d.nunc] = v
	}
}

// value maps factor j's uniform u to its value.
func (d *design) value(j int, u float64) float64 {
	if j < d.nunc {
		return d.p.q[j].Quantile(u)
	}
	return u
}

func (d *design) eval(w *saltelliWorker, cum []float64) float64 {
	r := model.RiskDraws{Outcome: w.rv[0], CancelMonth: w.rv[1], AbandonMonth: w.rv[2], AbandonFactor: w.rv[3]}
	w.ev.Eval(w.x, r, d.risk, w.out, cum)
	return w.out[0]
}

// saltelliKey names the random stream of the plain Monte Carlo base matrices.
var saltelliKey = NameKey("sensitivity.saltelli")

// bootstrapKey names the random stream of the bootstrap resamples.
var bootstrapKey = NameKey("sensitivity.bootstrap")

// sobol evaluates the Saltelli design and computes the Sobol indices of the
// factors, of the groups and of the groups month by month.
func (d *design) sobol(ctx context.Context, res *Sensitivity, cfg SensitivityConfig) error {
	p, k, n := d.p, d.k, cfg.Base
	h := p.h
	if len(d.groups) == 0 {
		h = 0 // the shares over time are per group
	}
	nruns := k + len(d.multi) // AB runs per base row
	res.ModelRuns = n * (nruns + 2)
	fA := make([]float64, n)
	fB := make([]float64, n)
	fAB := make([][]float64, nruns)
	for r := range fAB {
		fAB[r] = make([]float64, n)
	}
	var sob *Sobol
	if cfg.Sampling == "sobol" {
		var err error
		if sob, err = NewSobol(2*k, cfg.Seed); err != nil {
			return err
		}
	}
	// The cumulative cash flow is centred on the plan case's, for accuracy.
	ref := make([]float64, h)
	if h > 0 {
		ev := p.m.NewEvaluator()
		ev.Eval(p.base, model.RiskDraws{}, false, make([]float64, len(p.outs)), ref)
	}
	ng := len(d.groups)
	width := 4 + ng // per month: ΣA, ΣA², ΣB, ΣB², then Σ B·(AB_g − A) per group
	blocks := (n + designBlock - 1) / designBlock
	partial := make([][]float64, blocks)
	// The run that gives each group's AB_g cumulative cash flow.
	cumOf := make([]int, nruns) // run → group whose cum it records, or -1
	for r := range cumOf {
		cumOf[r] = -1
	}
	for g, r := range d.runOf {
		cumOf[r] = g
	}
	newWorker := func() *saltelliWorker {
		w := &saltelliWorker{ev: p.m.NewEvaluator(), x: append([]float64(nil), p.base...), out: make([]float64, len(p.outs)),
			pt: make([]float64, 2*k), xa: make([]float64, k), xb: make([]float64, k)}
		if h > 0 {
			w.cumA, w.cumB = make([]float64, h), make([]float64, h)
			w.cumG = make([][]float64, ng)
			for g := range w.cumG {
				w.cumG[g] = make([]float64, h)
			}
		}
		if sob == nil {
			w.mc = make([]float64, 2*k*designBlock)
		}
		return w
	}
	err := forBlocks(ctx, cfg.Workers, blocks, newWorker, func(w *saltelliWorker, b int) error {
		lo, hi := b*designBlock, min((b+1)*designBlock, n)
		defer cfg.ran((hi - lo) * (nruns + 2))
		if sob == nil {
			seedStream(&w.pcg, cfg.Seed, b, saltelliKey)
			for i := range w.mc {
				w.mc[i] = uniform(w.pcg.Uint64())
			}
		}
		var acc []float64
		if h > 0 {
			acc = make([]float64, h*width)
		}
		for row := lo; row < hi; row++ {
			u := w.pt
			if sob != nil {
				sob.Point(uint64(row), u)
			} else {
				u = w.mc[(row-lo)*2*k : (row-lo+1)*2*k]
			}
			for j := 0; j < k; j++ {
				w.xa[j], w.xb[j] = d.value(j, u[j]), d.value(j, u[k+j])
				d.set(w, j, w.xb[j])
			}
			fB[row] = d.eval(w, w.cumB)
			for j := 0; j < k; j++ {
				d.set(w, j, w.xa[j])
			}
			fA[row] = d.eval(w, w.cumA)
			for r := 0; r < nruns; r++ {
				var cum []float64
				if g := cumOf[r]; g >= 0 && h > 0 {
					cum = w.cumG[g]
				}
				if r < k {
					d.set(w, r, w.xb[r])
					fAB[r][row] = d.eval(w, cum)
					d.set(w, r, w.xa[r])
					continue
				}
				g := d.multi[r-k]
				for _, j := range d.members[g] {
					d.set(w, j, w.xb[j])
				}
				fAB[r][row] = d.eval(w, cum)
				for _, j := range d.members[g] {
					d.set(w, j, w.xa[j])
				}
			}
			if err := d.checkRow(w, row, fA, fB, fAB); err != nil {
				return err
			}
			for t := 0; t < h; t++ {
				a, bb := w.cumA[t]-ref[t], w.cumB[t]-ref[t]
				c := acc[t*width : (t+1)*width]
				c[0] += a
				c[1] += a * a
				c[2] += bb
				c[3] += bb * bb
				for g := 0; g < ng; g++ {
					c[4+g] += bb * (w.cumG[g][t] - w.cumA[t])
				}
			}
		}
		partial[b] = acc
		return nil
	})
	if err != nil {
		return err
	}

	// Indices of the primary output, centred on the pooled mean of A and B.
	mu := 0.0
	for i := 0; i < n; i++ {
		mu += fA[i] + fB[i]
	}
	mu /= float64(2 * n)
	v := 0.0
	for i := 0; i < n; i++ {
		v += (fA[i]-mu)*(fA[i]-mu) + (fB[i]-mu)*(fB[i]-mu)
	}
	v /= float64(2 * n)
	res.Mean, res.Variance = mu, v
	// Per-row terms, row-major: A, B, A², B², then per AB run B·(AB − A) and (A − AB)²/2.
	wd := 4 + 2*nruns
	terms := make([]float64, n*wd)
	for i := 0; i < n; i++ {
		a, bb := fA[i]-mu, fB[i]-mu
		row := terms[i*wd : (i+1)*wd]
		row[0], row[1], row[2], row[3] = a, bb, a*a, bb*bb
		for r := 0; r < nruns; r++ {
			ab := fAB[r][i] - mu
			row[4+2*r] = bb * (ab - a)
			row[5+2*r] = (a - ab) * (a - ab) / 2
		}
	}
	first, total := indices(terms, n, wd, nruns, nil)
	ciFirst, ciTotal := d.bootstrap(ctx, terms, n, wd, nruns, cfg)
	if ctx.Err() != nil {
		return ErrInterrupted
	}
	if !(v > 0) {
		res.note(NoteConstant, fmt.Sprintf("%s does not vary in the Sobol design: its Sobol indices are undefined", res.Output))
	}
	for j := 0; j < k; j++ {
		in := &res.Inputs[j]
		in.SobolFirst, in.SobolTotal = first[j], total[j]
		in.SobolFirstCI, in.SobolTotalCI = ciFirst[j], ciTotal[j]
	}
	for g := range res.Groups {
		r := d.runOf[g]
		gs := &res.Groups[g]
		gs.SobolFirst, gs.SobolTotal = first[r], total[r]
		gs.SobolFirstCI, gs.SobolTotalCI = ciFirst[r], ciTotal[r]
	}

	// Shares over time: partial sums reduced in block order.
	if h > 0 {
		sum := make([]float64, h*width)
		for _, acc := range partial {
			for i, x := range acc {
				sum[i] += x
			}
		}
		fn := float64(n)
		for t := 0; t < h; t++ {
			c := sum[t*width : (t+1)*width]
			m := (c[0] + c[2]) / (2 * fn)
			vt := (c[1]+c[3])/(2*fn) - m*m
			ms := MonthShares{Month: t + 1, Variance: math.Max(vt, 0), Shares: make([]float64, ng)}
			// Below rounding of the sums, the month does not vary.
			scale := (c[1] + c[3]) / (2 * fn)
			for g := range ms.Shares {
				if vt > 1e-12*scale && vt > 0 {
					ms.Shares[g] = c[4+g] / fn / vt
				} else {
					ms.Shares[g] = math.NaN()
				}
			}
			if !(vt > 1e-12*scale && vt > 0) {
				ms.Variance = 0
			}
			res.OverTime = append(res.OverTime, ms)
		}
	}
	return nil
}

// checkRow stops the design at a base row where a run's primary output is not a number.
func (d *design) checkRow(w *saltelliWorker, row int, fA, fB []float64, fAB [][]float64) error {
	bad := math.NaN()
	found := false
	for _, v := range []float64{fA[row], fB[row]} {
		if v-v != 0 && !found {
			bad, found = v, true
		}
	}
	for r := range fAB {
		if v := fAB[r][row]; v-v != 0 && !found {
			bad, found = v, true
		}
	}
	if !found {
		return nil
	}
	e := &NumericError{Iteration: row, Output: d.p.outs[0].Name, Value: bad}
	for j := 0; j < d.k; j++ {
		e.Inputs = append(e.Inputs, fmt.Sprintf("%s=%v", d.name(j), w.xa[j]))
	}
	return fmt.Errorf("the Sobol design needs %s defined in every run; base row %d: %w", e.Output, row+1, e)
}

// indices computes the first-order (Saltelli 2010) and total (Jansen) indices
// of each AB run from the row terms, over the rows idx (every row when nil).
func indices(terms []float64, n, wd, nruns int, idx []uint32) (first, total []float64) {
	sums := make([]float64, wd)
	if idx == nil {
		for i := 0; i < n; i++ {
			row := terms[i*wd : (i+1)*wd]
			for c, x := range row {
				sums[c] += x
			}
		}
	} else {
		for _, i := range idx {
			row := terms[int(i)*wd : int(i+1)*wd]
			for c, x := range row {
				sums[c] += x
			}
		}
	}
	fn := float64(n)
	m := (sums[0] + sums[1]) / (2 * fn)
	v := (sums[2]+sums[3])/(2*fn) - m*m
	first, total = make([]float64, nruns), make([]float64, nruns)
	for r := 0; r < nruns; r++ {
		if v > 0 {
			first[r] = sums[4+2*r] / fn / v
			total[r] = sums[5+2*r] / fn / v
		} else {
			first[r], total[r] = math.NaN(), math.NaN()
		}
	}
	return first, total
}

// bootstrap returns the 95% percentile intervals of the indices of each AB
// run over cfg.Resamples resamples of the base rows; resample r draws its rows
// from its own stream, so the intervals do not depend on the workers.
func (d *design) bootstrap(ctx context.Context, terms []float64, n, wd, nruns int, cfg SensitivityConfig) (first, total [][2]float64) {
	R := cfg.Resamples
	bf := make([][]float64, nruns)
	bt := make([][]float64, nruns)
	for r := range bf {
		bf[r], bt[r] = make([]float64, R), make([]float64, R)
	}
	shift := 64 - uint(bits.TrailingZeros(uint(n)))
	const chunk = 16
	type state struct {
		pcg rand.PCG
		idx []uint32
	}
	_ = forBlocks(ctx, cfg.Workers, (R+chunk-1)/chunk, func() *state { return &state{idx: make([]uint32, n)} }, func(st *state, b int) error {
		for rs := b * chunk; rs < min((b+1)*chunk, R); rs++ {
			seedStream(&st.pcg, cfg.Seed, rs, bootstrapKey)
			for i := range st.idx {
				if shift == 64 {
					st.idx[i] = 0
				} else {
					st.idx[i] = uint32(st.pcg.Uint64() >> shift)
				}
			}
			f, t := indices(terms, n, wd, nruns, st.idx)
			for r := 0; r < nruns; r++ {
				bf[r][rs], bt[r][rs] = f[r], t[r]
			}
		}
		return nil
	})
	first, total = make([][2]float64, nruns), make([][2]float64, nruns)
	levels := []float64{0.025, 0.975}
	for r := 0; r < nruns; r++ {
		first[r] = interval(bf[r], levels)
		total[r] = interval(bt[r], levels)
	}
	return first, total
}

// interval returns the percentiles of x at the two levels, or NaN when x holds NaN.
func interval(x []float64, levels []float64) [2]float64 {
	for _, v := range x {
		if math.IsNaN(v) {
			return [2]float64{math.NaN(), math.NaN()}
		}
	}
	q := Quantiles(x, levels)
	return [2]float64{q[0], q[1]}
}

// EstimateSensitivityMemory is the memory in bytes a sensitivity analysis
// of s with cfg needs at its peak: the Monte Carlo sample of every input,
// output and month with the rank matrix and its centred copy (the rank
// measures), or the Saltelli design's outputs and per-row terms (the Sobol
// indices), whichever is larger, with the scenario's quantile tables.
func EstimateSensitivityMemory(s *model.Scenario, cfg SensitivityConfig) int64 {
	outs, h := model.Dims(s)
	n, base := int64(cfg.Iterations), int64(cfg.Base)
	unc := int64(len(s.Uncertain()))
	k := unc + int64(len(model.RiskNames)) // factors, at most
	groups := int64(len(model.SensitivityGroups(s, true)))
	nruns := k + groups // AB runs per base row
	workers := int64(max(cfg.Workers, runtime.NumCPU()))
	sample := n * (8*int64(outs) + 1 + 8*k)
	ranks := 2*n*(k+1)*8 + min(workers, k+1)*24*n
	sobol := base*8*(6+3*nruns) + (base/256+1)*int64(h)*(4+groups)*8 + workers*base*4 + nruns*int64(max(cfg.Resamples, DefaultResamples))*16
	need := max(sample+ranks, sobol)
	if cfg.VOI {
		need = max(need, EstimateVOIMemory([]*model.Scenario{s}, cfg.Iterations, cfg.Workers))
	}
	return need + RetainedMemory(s) + 64<<20
}
