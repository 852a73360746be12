package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestIRRFitStart: on the default scenario the fitted start is used, lies
// on average within a third of the plan case's IRR's distance from the
// root, and Eval's IRR from it is that of Brent's root to 1e-12.
func TestIRRFitStart(t *testing.T) {
	s := Default()
	m := NewCRM(s)
	if !m.fit.ok {
		t.Fatal("no fitted IRR start for the default scenario")
	}
	ws := m.NewWorkspace()
	rng := rand.New(rand.NewPCG(11, 12))
	var errFit, errPlan float64
	n := 0
	for range 3000 {
		x, r := randomDraws(s, rng)
		res := m.Eval(x, r, true, ws, nil)
		cf := ws.cf[:s.Horizon]
		fa, fb := npvAt(cf, irrLo), npvAt(cf, irrHi)
		if (fa > 0) == (fb > 0) {
			if !math.IsNaN(res.IRR) {
				t.Fatalf("IRR %v where the sum does not change sign", res.IRR)
			}
			continue
		}
		root := brent(cf, irrLo, irrHi, fa, fb)
		if want := math.Pow(1+root, 12) - 1; math.Abs(res.IRR-want) > 1e-12*math.Max(1, math.Abs(want)) {
			t.Fatalf("IRR %v, from Brent's monthly root %v", res.IRR, want)
		}
		sh := flowShape(cf)
		if sh.changes != 1 {
			continue
		}
		g := m.fit.predict(res.NPV, res.PVCosts, sh.sum, res.Payback, res.PeakFunding, math.NaN())
		if math.IsNaN(g) {
			t.Fatalf("no prediction for NPV %v, PV costs %v", res.NPV, res.PVCosts)
		}
		errFit += math.Abs(g - root)
		errPlan += math.Abs(m.irrGuess - root)
		n++
	}
	if n < 1500 {
		t.Fatalf("only %d iterations with one sign change", n)
	}
	if errFit > errPlan/3 {
		t.Errorf("mean distance from the root: fitted start %.4g, plan case's IRR %.4g", errFit/float64(n), errPlan/float64(n))
	}
}

// TestIRRFitFallback: a scenario whose iterations seldom have an IRR (most
// are cancelled) gets no fit, and starts from the plan case's IRR.
func TestIRRFitFallback(t *testing.T) {
	s := Default()
	s.Risks.Cancel = 0.99
	m := NewCRM(s)
	if m.fit.ok {
		t.Error("a fit from a pilot sample with almost no IRR")
	}
	if got := m.fit.predict(1, 2, 3, 4, 5, 0.25); got != 0.25 {
		t.Errorf("predict without a fit = %v, want the default", got)
	}
}

// TestInterpKnots: the pilot's values run through the knots, linearly in
// the probability between them.
func TestInterpKnots(t *testing.T) {
	var q [len(pilotKnots)]float64
	for i, p := range pilotKnots {
		q[i] = 10 * p
	}
	for _, u := range []float64{0, 0.1, 0.5, 0.77, 0.999} {
		want := 10 * (0.01 + 0.98*u)
		if got := interpKnots(&q, u); math.Abs(got-want) > 1e-12 {
			t.Errorf("interpKnots(%v) = %v, want %v", u, got, want)
		}
	}
}

// BenchmarkIRR is the IRR search of the default scenario's iterations whose
// flow changes sign once, from the fitted start and from the plan case's
// IRR.
func BenchmarkIRR(b *testing.B) {
	s := Default()
	m := NewCRM(s)
	ws := m.NewWorkspace()
	rng := rand.New(rand.NewPCG(1, 2))
	type flow struct {
		cf        []float64
		sh        shape
		fit, plan float64
	}
	var fs []flow
	for len(fs) < 1024 {
		x, r := randomDraws(s, rng)
		res := m.Eval(x, r, true, ws, nil)
		cf := append([]float64(nil), ws.cf[:s.Horizon]...)
		if sh := flowShape(cf); sh.changes == 1 && !math.IsNaN(res.IRR) {
			g := m.fit.predict(res.NPV, res.PVCosts, sh.sum, res.Payback, res.PeakFunding, m.irrGuess)
			fs = append(fs, flow{cf, sh, g, m.irrGuess})
		}
	}
	for _, start := range []string{"fit", "plan"} {
		b.Run(start, func(b *testing.B) {
			s := 0.0
			for i := 0; b.Loop(); i++ {
				f := &fs[i%len(fs)]
				g := f.fit
				if start == "plan" {
					g = f.plan
				}
				s += irrOfShape(f.cf, f.sh, g)
			}
			benchSink = s
		})
	}
}

// BenchmarkNewCRM is compiling the default scenario's model, its pilot
// sample and IRR fit included.
func BenchmarkNewCRM(b *testing.B) {
	s := Default()
	for b.Loop() {
		NewCRM(s)
	}
}

var benchSink float64
