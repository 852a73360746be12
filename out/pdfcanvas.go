package out

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"time"

	"codeberg.org/go-fonts/dejavu/dejavusans"
	"codeberg.org/go-fonts/dejavu/dejavusansbold"
	"codeberg.org/go-pdf/fpdf"
	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// pdfCanvas is a vg.Canvas that draws one page of a PDF with go-pdf/fpdf.
// It is gonum's vgpdf with two differences that summary.pdf needs: the
// chart font (DejaVu Sans, which has Cyrillic and ₽) is embedded as a
// UTF-8 TrueType font, subset to the glyphs used (vgpdf encodes text in
// code page 1252, which has neither), and the document is deterministic:
// fixed dates and sorted catalogues, so that the same run gives the same
// bytes. It also records every string drawn, for the tests.
type pdfCanvas struct {
	doc    *fpdf.Fpdf
	w, h   vg.Length
	stack  []pdfContext
	texts  []string     // every string drawn, in order
	placed []placedText // those drawn untransformed, with where they lie
}

// placedText is a string drawn on the page itself (not inside a rotated
// or moved frame), with the horizontal extent it covers, for the tests.
type placedText struct {
	s      string
	x0, x1 vg.Length
}

type pdfContext struct {
	fill, line color.Color
	width      vg.Length
}

// pdfFamily is the name the PDF gives the embedded chart font.
const pdfFamily = "DejaVuSans"

// pdfDate is the creation and modification date written into every PDF:
// a fixed one, so that a file depends on its content only.
var pdfDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// newPDFCanvas starts a PDF of one page of w × h, titled title.
func newPDFCanvas(w, h vg.Length, title, lang string) *pdfCanvas {
	doc := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: w.Points(), Ht: h.Points()}})
	doc.SetCatalogSort(true)
	doc.SetCreationDate(pdfDate)
	doc.SetModificationDate(pdfDate)
	doc.SetProducer("crmroi", true)
	doc.SetCreator("crmroi", true)
	doc.SetTitle(title, true)
	doc.SetLang(lang)
	doc.SetCompression(true)
	doc.SetMargins(0, 0, 0)
	doc.SetAutoPageBreak(false, 0)
	doc.AddUTF8FontFromBytes(pdfFamily, "", dejavusans.TTF)
	doc.AddUTF8FontFromBytes(pdfFamily, "B", dejavusansbold.TTF)
	c := &pdfCanvas{doc: doc, w: w, h: h, stack: make([]pdfContext, 1)}
	doc.AddPage()
	// fpdf's origin is the top left corner, y down; vg's the bottom left, y up.
	c.Push()
	c.Translate(vg.Point{X: 0, Y: h})
	c.Scale(1, -1)
	vg.Initialize(c)
	return c
}

func (c *pdfCanvas) ctx() *pdfContext { return &c.stack[len(c.stack)-1] }

// unit converts a length to the document's unit, points.
func (c *pdfCanvas) unit(l vg.Length) float64 { return l.Points() }

// SetLineWidth implements vg.Canvas.
func (c *pdfCanvas) SetLineWidth(w vg.Length) {
	c.ctx().width = w
	c.doc.SetLineWidth(c.unit(w))
}

// SetLineDash implements vg.Canvas.
func (c *pdfCanvas) SetLineDash(dashes []vg.Length, offs vg.Length) {
	ds := make([]float64, len(dashes))
	for i, d := range dashes {
		ds[i] = c.unit(d)
	}
	c.doc.SetDashPattern(ds, c.unit(offs))
}

// SetColor implements vg.Canvas.
func (c *pdfCanvas) SetColor(clr color.Color) {
	if clr == nil {
		clr = color.Black
	}
	c.ctx().line, c.ctx().fill = clr, clr
	r, g, b, a := clr.RGBA()
	ri, gi, bi := int(r>>8), int(g>>8), int(b>>8)
	if a > 0 && a < 0xffff { // un-premultiply
		ri, gi, bi = int(r*0xff/a), int(g*0xff/a), int(b*0xff/a)
	}
	c.doc.SetFillColor(ri, gi, bi)
	c.doc.SetDrawColor(ri, gi, bi)
	c.doc.SetTextColor(ri, gi, bi)
	c.doc.SetAlpha(float64(a)/math.MaxUint16, "Normal")
}

// Rotate implements vg.Canvas.
func (c *pdfCanvas) Rotate(r float64) { c.doc.TransformRotate(-r*180/math.Pi, 0, 0) }

// Translate implements vg.Canvas.
func (c *pdfCanvas) Translate(pt vg.Point) { c.doc.TransformTranslate(c.unit(pt.X), c.unit(pt.Y)) }

// Scale implements vg.Canvas.
func (c *pdfCanvas) Scale(x, y float64) { c.doc.TransformScale(x*100, y*100, 0, 0) }

// Push implements vg.Canvas.
func (c *pdfCanvas) Push() {
	c.stack = append(c.stack, *c.ctx())
	c.doc.TransformBegin()
}

// Pop implements vg.Canvas.
func (c *pdfCanvas) Pop() {
	c.doc.TransformEnd()
	c.stack = c.stack[:len(c.stack)-1]
}

// Stroke implements vg.Canvas.
func (c *pdfCanvas) Stroke(p vg.Path) {
	if c.ctx().width > 0 {
		c.path(p, "D")
	}
}

// Fill implements vg.Canvas.
func (c *pdfCanvas) Fill(p vg.Path) { c.path(p, "F") }

// FillString implements vg.Canvas: str with its baseline's left end at pt,
// in the embedded chart font (bold where the face is bold).
func (c *pdfCanvas) FillString(fnt font.Face, pt vg.Point, str string) {
	if fnt.Font.Size == 0 || str == "" {
		return
	}
	c.texts = append(c.texts, str)
	if len(c.stack) == 2 { // only the page's own flip is in force
		c.placed = append(c.placed, placedText{str, pt.X, pt.X + fnt.Width(str)})
	}
	style := ""
	if fnt.Font.Weight >= xfont.WeightBold {
		style = "B"
	}
	c.doc.SetFont(pdfFamily, style, c.unit(fnt.Font.Size))
	c.Push()
	defer c.Pop()
	c.Translate(pt)
	c.Scale(1, -1) // text upright: fpdf draws it y down
	c.doc.Text(0, 0, str)
}

// DrawImage implements vg.Canvas; no drawing of crmroi's has images.
func (c *pdfCanvas) DrawImage(vg.Rectangle, image.Image) {}

// Size implements vg.Canvas.
func (c *pdfCanvas) Size() (w, h vg.Length) { return c.w, c.h }

// path adds p to the page, stroked ("D") or filled ("F").
func (c *pdfCanvas) path(p vg.Path, style string) {
	var x0, y0 float64
	for _, comp := range p {
		switch comp.Type {
		case vg.MoveComp:
			x0, y0 = c.unit(comp.Pos.X), c.unit(comp.Pos.Y)
			c.doc.MoveTo(x0, y0)
		case vg.LineComp:
			c.doc.LineTo(c.unit(comp.Pos.X), c.unit(comp.Pos.Y))
		case vg.ArcComp:
			c.arc(comp, style)
		case vg.CurveComp:
			px, py := c.unit(comp.Pos.X), c.unit(comp.Pos.Y)
			switch len(comp.Control) {
			case 1:
				c.doc.CurveTo(c.unit(comp.Control[0].X), c.unit(comp.Control[0].Y), px, py)
			case 2:
				c.doc.CurveBezierCubicTo(c.unit(comp.Control[0].X), c.unit(comp.Control[0].Y),
					c.unit(comp.Control[1].X), c.unit(comp.Control[1].Y), px, py)
			}
		case vg.CloseComp:
			c.doc.LineTo(x0, y0)
			c.doc.ClosePath()
		}
	}
	c.doc.DrawPath(style)
}

// arc adds an arc of a path, as vgpdf does.
func (c *pdfCanvas) arc(comp vg.PathComp, style string) {
	x0 := comp.Pos.X + comp.Radius*vg.Length(math.Cos(comp.Start))
	y0 := comp.Pos.Y + comp.Radius*vg.Length(math.Sin(comp.Start))
	c.doc.LineTo(c.unit(x0), c.unit(y0))
	r := c.unit(comp.Radius)
	const deg = 180 / math.Pi
	beg := comp.Start * deg
	c.doc.Arc(c.unit(comp.Pos.X), c.unit(comp.Pos.Y), r, r, comp.Angle*deg, beg, beg+comp.Angle*deg, style)
	x1 := comp.Pos.X + comp.Radius*vg.Length(math.Cos(comp.Start+comp.Angle))
	y1 := comp.Pos.Y + comp.Radius*vg.Length(math.Sin(comp.Start+comp.Angle))
	c.doc.MoveTo(c.unit(x1), c.unit(y1))
}

// bytes closes the page and returns the document.
func (c *pdfCanvas) bytes() ([]byte, error) {
	c.Pop()
	var buf bytes.Buffer
	if err := c.doc.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
