package out

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/crmroi/crmroi/fit"
	"gonum.org/v1/plot/vg"
)

// fitTextLinear is the definition fitText computes faster: drop one rune at
// a time until the rest and an ellipsis fit.
func fitTextLinear(s string, w vg.Length) string {
	sty := textStyle(9, false, colMuted, 0, 0)
	if sty.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && sty.Width(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// TestFitTextLongNames: fitText gives what shortening one rune at a time
// gives, and a name of 30 KB is drawn in a chart's title and subtitle (it
// took minutes; now well under a second). The 60 s limit only catches that
// hang again: it is no timing test, a loaded machine passes it.
func TestFitTextLongNames(t *testing.T) {
	loadFonts()
	sty := textStyle(9, false, colMuted, 0, 0)
	for _, s := range []string{"", "a", "Сценарий внедрения CRM — консервативный", strings.Repeat("W", 300), strings.Repeat("iW₽", 90)} {
		for _, w := range []vg.Length{0, 5, 40, 200, 1000} {
			if got, want := fitText(sty, s, w), fitTextLinear(s, w); got != want {
				t.Errorf("fitText(%.20q…, %v) = %q, want %q", s, w, got, want)
			}
		}
	}
	long := strings.Repeat("Долгое имя сценария ", 1500) // 30 KB
	ch := &Chart{Title: long, Subtitle: long, Message: long}
	start := time.Now()
	if _, err := ch.PNG(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 60*time.Second {
		t.Errorf("a chart with a 30 KB title took %v", d)
	}
}

// TestSubnormalDataCharts: data in [1e-320, 1e-310] (densities beyond
// float64's range) give the fit charts in well under a second, with a note
// instead of a plot that cannot be drawn; drawing them spun for minutes.
func TestSubnormalDataCharts(t *testing.T) {
	var v []float64
	for i := 0; i < 200; i++ {
		v = append(v, 1e-320+float64(i)*5e-313)
	}
	rep, err := fit.Fit([]float64{1, 2, 3.5, 4}, fit.Options{Families: []string{"normal"}, Min: math.NaN(), Max: math.NaN()})
	if err != nil {
		t.Fatal(err)
	}
	for _, chart := range []func(*fit.Report, FitData, Lang) (*Chart, error){FitHistogram, FitQQ} {
		ch, err := chart(rep, FitData{Values: v, Column: "v"}, English)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error)
		go func() {
			_, err := ch.PNG()
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("the %s chart of subnormal data is still drawing after 10 s", ch.Name)
		}
	}
}
