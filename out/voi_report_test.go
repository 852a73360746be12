package out

import (
	"strings"
	"testing"

	"github.com/crmroi/crmroi/model"
	"github.com/crmroi/crmroi/sim"
)

// The value-of-information section formats every text cleanly in both
// languages (no "%!" of a misused format) and heads the groups' table "Group".
func TestVOISectionTexts(t *testing.T) {
	s := model.Default()
	v := &sim.VOI{Output: "npv", Options: []string{"invest", sim.DoNothing}, Means: []float64{2e7, 0}, Iterations: 1000,
		EVPI:   sim.EVPI{Value: 9e5, SE: 1e4},
		Inputs: []sim.VOIFactor{{Name: "adoption.max", EVPPI: sim.EVPPI{Value: 1.2e6, Lo: 1e6, Hi: 1.4e6}}, {Name: "company.margin"}},
		Groups: []sim.VOIGroup{{Name: "adoption", Members: []string{"adoption.max", "adoption.ramp_months"}, EVPPI: sim.EVPPI{Value: 1.3e6, Lo: 1.1e6, Hi: 1.5e6}}}}
	run := &Run{Scenario: s, Sensitivity: &sim.Sensitivity{VOI: v}}
	for _, c := range []struct {
		l           Lang
		want, group string
	}{
		{English, "before deciding is worth up to 1.20M", "<th class=\"t\">Group</th>"},
		{Russian, "до решения стоит до 1,20", "<th class=\"t\">Группа</th>"},
	} {
		html := string(voiSection(run, c.l))
		if strings.Contains(html, "%!") || !strings.Contains(html, c.want) || !strings.Contains(html, c.group) {
			t.Errorf("%s: section:\n%s", c.l, html)
		}
	}
}
