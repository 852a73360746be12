package out

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestCurrencyScale: a currency that carries a scale combines it with the
// compact figure's scale; a plain one (or a scale word alone) does not scale.
func TestCurrencyScale(t *testing.T) {
	for _, c := range []struct {
		cur  string
		mult float64
		base string
	}{
		{"RUB", 1, "RUB"}, {"₽", 1, "₽"}, {"руб.", 1, "руб."}, {"USD", 1, "USD"}, {"$", 1, "$"}, {"EUR", 1, "EUR"},
		{"тыс. руб.", 1e3, "руб."}, {"млн руб.", 1e6, "руб."}, {"млрд ₽", 1e9, "₽"}, {"тыс. ₽", 1e3, "₽"},
		{"USD thousands", 1e3, "USD"}, {"thousand USD", 1e3, "USD"}, {"k EUR", 1e3, "EUR"}, {"kUSD", 1e3, "USD"},
		{"$k", 1e3, "$"}, {"USD m", 1e6, "USD"}, {"EUR million", 1e6, "EUR"}, {"MRUB", 1e6, "RUB"},
		{"тыс.", 1, "тыс."}, {"Kopeks", 1, "Kopeks"}, {"", 1, ""},
	} {
		m, b := currencyScale(c.cur)
		if m != c.mult || b != c.base {
			t.Errorf("currencyScale(%q) = %g, %q; want %g, %q", c.cur, m, b, c.mult, c.base)
		}
	}
	// The general rule: no compact figure carries two scales, and it reads
	// back as the amount in the base currency.
	words := []string{"тыс.", "млн", "млрд", "трлн"}
	for _, cur := range []string{"тыс. руб.", "млн руб.", "USD thousands", "kEUR", "RUB", "руб."} {
		mult, base := currencyScale(cur)
		for _, v := range []float64{0.5, 7, 60_700, 1_234_567, -3.2e7, 9.99e8} {
			got := Russian.MoneyCompact(v, cur)
			n := 0
			for _, w := range words {
				n += strings.Count(got, w)
			}
			if strings.Contains(base, "руб") || base == "RUB" {
				n -= strings.Count(base, "тыс.")
			}
			if n > 1 {
				t.Errorf("%g %s → %q: two scales", v, cur, got)
			}
			if !strings.HasSuffix(got, CurrencySign(base)) {
				t.Errorf("%g %s → %q: not in %q", v, cur, got, CurrencySign(base))
			}
			if back := readCompact(t, strings.TrimSuffix(got, "\u00a0"+CurrencySign(base))); math.Abs(back-v*mult) > 0.006*math.Abs(v*mult)+0.006 {
				t.Errorf("%g %s → %q reads %g, want %g", v, cur, got, back, v*mult)
			}
		}
	}
	if got := Russian.MoneyCompact(60_700, "тыс. руб."); got != "60,7\u00a0млн\u00a0руб." {
		t.Errorf("60 700 тыс. руб. → %q", got)
	}
	if got := Russian.MoneyCompact(60.7e6, "тыс. руб."); got != "60,7\u00a0млрд\u00a0руб." {
		t.Errorf("60,7 млн тыс. руб. → %q", got)
	}
	// An axis picks its scale once, from the values in the base currency.
	var labels []string
	for _, x := range moneyTicks(Russian, "тыс. руб.").Ticks(0, 50_000) {
		if x.Label != "" {
			labels = append(labels, x.Label)
		}
	}
	for _, lb := range labels[1:] {
		if !strings.HasSuffix(lb, "млн") {
			t.Errorf("ticks %q of 0…50 000 тыс. руб. not in млн", labels)
		}
	}
	if CurrencySign("тыс. руб.") != "руб." || CurrencySign("тыс. RUB") != CurrencySign("RUB") {
		t.Errorf("axis label of a scaled currency: %q", CurrencySign("тыс. руб."))
	}
}

// readCompact reads a Russian compact number back: "60,7 млн" → 6.07e7.
func readCompact(t *testing.T, s string) float64 {
	t.Helper()
	mult := 1.0
	for w, m := range map[string]float64{"тыс.": 1e3, "млн": 1e6, "млрд": 1e9, "трлн": 1e12} {
		if strings.HasSuffix(s, "\u00a0"+w) {
			s, mult = strings.TrimSuffix(s, "\u00a0"+w), m
		}
	}
	s = strings.NewReplacer("\u00a0", "", "\u202f", "", ",", ".", "\u2212", "-").Replace(s)
	var v float64
	if _, err := fmtSscan(s, &v); err != nil {
		t.Fatalf("read %q: %v", s, err)
	}
	return v * mult
}

func fmtSscan(s string, v *float64) (int, error) { return fmt.Sscan(s, v) }
