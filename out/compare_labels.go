package out

import (
	"strings"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The options' names in the comparison charts. Each option is called by its
// key (A, B, … as in report.html) and its name, never cut: a name is wrapped
// on the box chart's axis and written whole in the legends. Where some name
// would not fit (more lines than its row has room for, or a legend entry
// wider than a share of the chart), every option is called by its key alone
// and the chart's foot lists the keys with the whole names.
const (
	axisLabelFrac   = 0.29  // the widest line of a name on the box chart's axis, a share of the chart's width
	maxAxisLines    = 3     // at most this many lines of a name on the axis
	legendLabelFrac = 0.62  // a legend entry at most this share of the chart's width
	keyFontSize     = 8.5   // the foot's list of names
	tickFontSize    = 9     // as newPlot's tick labels
	plotShare       = 0.74  // about this share of the chart's height is the plot's data area
	keySep          = " · " // between a key and a name
	keyDash         = " — " // between a key and a name in the foot
	keyGap          = 2.5   // points between the foot's lines and the plot
)

// optionNames are the options' names as a comparison chart shows them.
type optionNames struct {
	Names  []string // per option: key and name (lines separated by "\n" on the axis), or the key alone
	Keyed  bool     // the names did not fit: Names are the keys, Foot lists them
	Foot   []string // the foot's lines: "A — name", wrapped
	Labels []string // the options' names, whole
}

// wrapName breaks a name into lines at most w wide in sty, at spaces (never
// cut, unlike the one-pager's wrapText); a word
// wider than w alone is broken between letters.
func wrapName(sty text.Style, s string, w vg.Length) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if sty.Width(try) <= w {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = ""
		for sty.Width(word) > w { // a word wider than a line: broken between letters
			r := []rune(word)
			k := 1
			for k < len(r) && sty.Width(string(r[:k+1])) <= w {
				k++
			}
			lines = append(lines, string(r[:k]))
			word = string(r[k:])
		}
		line = word
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// axisNames are the options' names for the axis of a box chart width
// wide, where each row has rowHeight of room: key and name wrapped, or the
// keys alone.
func axisNames(labels []string, width, rowHeight vg.Length) optionNames {
	sty := textStyle(tickFontSize, false, colText, draw.XRight, draw.YCenter)
	lineH := sty.Height("Hg")
	maxLines := min(maxAxisLines, max(1, int(rowHeight*0.85/lineH)))
	o := optionNames{Labels: labels}
	for i, name := range labels {
		lines := wrapName(sty, OptionKey(i)+keySep+name, width*axisLabelFrac)
		if len(lines) > maxLines {
			return keyedNames(labels, width)
		}
		o.Names = append(o.Names, strings.Join(lines, "\n"))
	}
	return o
}

// legendNames are the options' names for a legend of a chart width wide
// whose entries are "name" + suffix[i]: whole, or the keys alone.
func legendNames(labels []string, suffix []string, width vg.Length) optionNames {
	sty := textStyle(9, false, colText, draw.XLeft, draw.YBottom)
	o := optionNames{Labels: labels}
	for i, name := range labels {
		s := OptionKey(i) + keySep + name + suffix[i]
		if sty.Width(s) > width*legendLabelFrac {
			return keyedNames(labels, width)
		}
		o.Names = append(o.Names, OptionKey(i)+keySep+name)
	}
	return o
}

// keyedNames calls every option by its key, and lists the names in the
// foot of a chart width wide.
func keyedNames(labels []string, width vg.Length) optionNames {
	o := optionNames{Labels: labels, Keyed: true}
	sty := textStyle(keyFontSize, false, colMuted, draw.XLeft, draw.YTop)
	avail := width - vg.Points(20)
	// One flowing text, "A — name; B — name", a key kept with its dash
	// and the name's first word (non-breaking spaces).
	entries := make([]string, len(labels))
	for i, name := range labels {
		o.Names = append(o.Names, OptionKey(i))
		first, rest, _ := strings.Cut(strings.TrimSpace(name), " ")
		entries[i] = strings.TrimSpace(OptionKey(i) + nbsp + "—" + nbsp + first + " " + rest)
	}
	o.Foot = wrapName(sty, strings.Join(entries, "; "), avail)
	return o
}

// footHeight is the height the foot's lines take, with the gap above them.
func footHeight(lines []string) vg.Length {
	if len(lines) == 0 {
		return 0
	}
	sty := textStyle(keyFontSize, false, colMuted, draw.XLeft, draw.YTop)
	return vg.Length(len(lines))*(sty.Height("Hg")+vg.Points(1)) + vg.Points(keyGap*2)
}

// drawFoot draws the foot's lines at the bottom of dc, from left.
func drawFoot(dc draw.Canvas, lines []string, left, bottom vg.Length) {
	sty := textStyle(keyFontSize, false, colMuted, draw.XLeft, draw.YTop)
	h := sty.Height("Hg") + vg.Points(1)
	y := bottom + vg.Length(len(lines))*h
	for _, line := range lines {
		dc.FillText(sty, vg.Point{X: left, Y: y}, line)
		y -= h
	}
}
