package out

import (
	"sync"

	"codeberg.org/go-fonts/dejavu/dejavusans"
	"codeberg.org/go-fonts/dejavu/dejavusansbold"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
)

// Charts are drawn in DejaVu Sans, embedded in the binary: unlike gonum/plot's
// default Liberation fonts it has Cyrillic and the rouble sign ₽.
const chartTypeface font.Typeface = "DejaVu"

var (
	fontOnce    sync.Once
	fontCache   *font.Cache
	fontHandler text.Handler
	fontRegular *opentype.Font
)

// loadFonts parses the embedded fonts once.
func loadFonts() {
	fontOnce.Do(func() {
		reg, err := opentype.Parse(dejavusans.TTF)
		if err != nil {
			panic("out: embedded font: " + err.Error())
		}
		bold, err := opentype.Parse(dejavusansbold.TTF)
		if err != nil {
			panic("out: embedded font: " + err.Error())
		}
		fontRegular = reg
		fontCache = font.NewCache(font.Collection{
			{Font: font.Font{Typeface: chartTypeface}, Face: reg},
			{Font: font.Font{Typeface: chartTypeface, Weight: xfont.WeightBold}, Face: bold},
		})
		fontHandler = text.Plain{Fonts: fontCache}
	})
}

// chartFont returns the chart font at size points, bold or regular.
func chartFont(size float64, bold bool) font.Font {
	f := font.Font{Typeface: chartTypeface, Size: font.Points(size)}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return f
}

// HasGlyph reports whether the embedded chart font can draw r.
func HasGlyph(r rune) bool {
	loadFonts()
	var buf sfnt.Buffer
	i, err := fontRegular.GlyphIndex(&buf, r)
	return err == nil && i != 0
}
