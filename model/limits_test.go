package model

import (
	"strings"
	"testing"
)

// TestParamLimits: every money parameter, the seats and the multipliers,
// relative effects and annual rates refuse a plan value or a distribution
// beyond their limit at load, naming the parameter and the limit, and take
// values at the limit.
func TestParamLimits(t *testing.T) {
	limited := 0
	for _, p := range append(Builtin[:], Settings[0].ParamInfo, Settings[1].ParamInfo) {
		lim := p.Limit()
		if lim > 1e300 {
			continue
		}
		limited++
		for _, c := range []struct {
			value string
			ok    bool
		}{
			{g(lim), true},
			{g(lim * 1.5), false},
			{"1e306", false},
			{"1e39", false},
			{"uniform(0, " + g(lim*4) + ")", false},
		} {
			if p.NumberOnly && strings.Contains(c.value, "(") {
				continue
			}
			_, err := Parse("s.yaml", DefaultYAML, []Set{{Name: p.Path, Value: c.value, N: 1}})
			limitErr := err != nil && strings.Contains(err.Error(), "beyond ±"+fmtNum(lim))
			if c.ok && limitErr || !c.ok && (!limitErr || !strings.Contains(err.Error(), p.Path)) {
				t.Errorf("%s = %s: %v", p.Path, c.value, err)
			}
		}
	}
	if limited < 12 {
		t.Errorf("only %d parameters have a limit", limited)
	}
	for path, lim := range map[string]float64{"costs.one_off": MaxMoney, "company.revenue": MaxMoney, "benefits.other_savings": MaxMoney,
		"costs.subscription": MaxMoney, "seats": MaxSeats, "costs.overrun": MaxFactor, "company.growth": MaxFactor} {
		if p, ok := paramByPath(path); !ok || p.Limit() != lim {
			t.Errorf("%s: limit %v, want %v", path, p.Limit(), lim)
		}
	}
}

// paramByPath finds a built-in parameter or setting.
func paramByPath(path string) (ParamInfo, bool) {
	for _, p := range Builtin {
		if p.Path == path {
			return p, true
		}
	}
	for _, s := range Settings {
		if s.Path == path {
			return s.ParamInfo, true
		}
	}
	return ParamInfo{}, false
}
