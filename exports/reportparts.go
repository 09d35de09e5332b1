package exports

import (
	"bytes"
	"fmt"

	"github.com/jung-kurt/gofpdf"

	"github.com/heard-app/heard/surveys"
)

// The parts reports are made of: tables, bar charts, quotes and the logo.

// column is a table column: its heading, width and alignment.
type column struct {
	title string
	width float64
	right bool
}

// table draws rows under a heading row, wrapping each cell in its column
// and repeating the heading on each new page.
func (r *report) table(cols []column, rows [][]string, s style) {
	head := style{size: s.size, bold: true}
	headH := r.tableRow(cols, titles(cols), head, false)
	r.room(headH + lineHeight(s.size) + 2)
	r.tableRow(cols, titles(cols), head, true)
	r.rule(0.3)
	for _, row := range rows {
		h := r.tableRow(cols, row, s, false)
		if r.room(h + 1) {
			r.tableRow(cols, titles(cols), head, true)
			r.rule(0.3)
		}
		r.tableRow(cols, row, s, true)
		r.rule(0.1)
	}
	r.y += paraGap
}

func titles(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.title
	}
	return out
}

// tableRow measures a row and, if draw, draws it and moves down. It returns
// the row's height.
func (r *report) tableRow(cols []column, cells []string, s style, draw bool) float64 {
	const pad = 1.2
	h := 0.0
	blocks := make([]*block, len(cols))
	for i, c := range cols {
		if i >= len(cells) {
			break
		}
		blocks[i] = r.lines(cells[i], s, c.width-2*pad)
		h = max(h, blocks[i].height())
	}
	h += 2 * pad
	if !draw {
		return h
	}
	x := marginX
	for i, c := range cols {
		if b := blocks[i]; b != nil {
			b.right = c.right
			b.draw(r.pdf, x+pad, r.y+pad, c.width-2*pad)
		}
		x += c.width
	}
	r.y += h
	return h
}

// rule draws a line across the body at y.
func (r *report) rule(width float64) {
	r.pdf.SetDrawColor(120, 120, 120)
	r.pdf.SetLineWidth(width)
	r.pdf.Line(marginX, r.y, marginX+bodyW, r.y)
}

// Bar charts. Shades of grey, from dark to light, tell the parts of a
// stacked bar apart in greyscale print; each part's figure is printed in
// the legend beside its label, and inside the bar where it fits.

const (
	barH       = 7.0
	swatch     = 3.5
	labelW     = 64.0 // the label column of a bar chart
	figureW    = 30.0 // the figures after a bar
	barGrey    = 85
	hiddenGrey = 200
)

// shade returns the grey of part i of n.
func shade(i, n int) int {
	if n <= 1 {
		return barGrey
	}
	return 40 + i*(215-40)/(n-1)
}

// stackedBar draws a scale question as one bar split by its answers, and
// a legend with each answer's count and share. Suppressed answers are
// drawn together as one hatched part (their sum is the answered count
// minus the shown ones, which the legend gives anyway) and listed as
// "fewer than N".
func (r *report) stackedBar(q *surveys.ReportQuestion) {
	answered := float64(*q.Answered)
	legend := r.legendHeight(q)
	r.room(barH + 2 + legend)
	x := marginX
	n := len(q.Cells)
	for i, c := range q.Cells {
		if c.Count == nil || *c.Count == 0 {
			continue
		}
		w := bodyW * float64(*c.Count) / answered
		g := shade(i, n)
		r.pdf.SetFillColor(g, g, g)
		r.pdf.Rect(x, r.y, w, barH, "F")
		r.barLabel(x, w, pct(*c.Percent), g)
		x += w
	}
	if q.Hidden > 0 {
		r.hatch(x, r.y, bodyW*float64(q.Hidden)/answered, barH)
	}
	r.pdf.SetDrawColor(0, 0, 0)
	r.pdf.SetLineWidth(0.2)
	r.pdf.Rect(marginX, r.y, bodyW, barH, "D")
	r.y += barH + 2
	for i, c := range q.Cells {
		r.legendRow(c, shade(i, n))
	}
	r.y += 1
}

// barLabel prints a share inside a part of a bar when it fits, in white
// on dark greys and black on light ones.
func (r *report) barLabel(x, w float64, text string, grey int) {
	r.pdf.SetFont(familySans, "B", sizeSmall)
	tw := r.pdf.GetStringWidth(text)
	if tw+2 > w {
		return
	}
	if grey < 128 {
		r.pdf.SetTextColor(255, 255, 255)
	} else {
		r.pdf.SetTextColor(0, 0, 0)
	}
	r.pdf.Text(x+(w-tw)/2, r.y+barH/2+1.1, text)
}

// hatch draws a part of a bar that stands for hidden figures: white with
// diagonal lines, unlike any shade of grey.
func (r *report) hatch(x, y, w, h float64) {
	r.pdf.SetFillColor(255, 255, 255)
	r.pdf.Rect(x, y, w, h, "F")
	r.pdf.ClipRect(x, y, w, h, false)
	r.pdf.SetDrawColor(hiddenGrey-80, hiddenGrey-80, hiddenGrey-80)
	r.pdf.SetLineWidth(0.25)
	for lx := x - h; lx < x+w; lx += 1.6 {
		r.pdf.Line(lx, y+h, lx+h, y)
	}
	r.pdf.ClipEnd()
}

// legendHeight returns the height of a stacked bar's legend.
func (r *report) legendHeight(q *surveys.ReportQuestion) float64 {
	h := 0.0
	for _, c := range q.Cells {
		h += r.lines(c.Label, styleBody, bodyW-swatch-2-figureW-4).height() + 0.8
	}
	return h
}

// legendRow draws one answer of a stacked bar: its swatch, label and
// figures.
func (r *report) legendRow(c surveys.ReportCell, grey int) {
	b := r.lines(c.Label, styleBody, bodyW-swatch-2-figureW-4)
	if c.Count != nil {
		r.pdf.SetFillColor(grey, grey, grey)
		r.pdf.Rect(marginX, r.y+0.6, swatch, swatch, "F")
	} else {
		r.hatch(marginX, r.y+0.6, swatch, swatch)
	}
	r.pdf.SetDrawColor(0, 0, 0)
	r.pdf.SetLineWidth(0.15)
	r.pdf.Rect(marginX, r.y+0.6, swatch, swatch, "D")
	b.draw(r.pdf, marginX+swatch+2, r.y, bodyW-swatch-2-figureW-4)
	r.figure(c, marginX+bodyW-figureW, figureW)
	r.y += b.height() + 0.8
}

// figure prints a cell's count and share, right-aligned in a box.
func (r *report) figure(c surveys.ReportCell, x, w float64) {
	text := r.fewer
	if c.Count != nil {
		text = thousands(*c.Count) + " (" + pct(*c.Percent) + ")"
	}
	fb := r.lines(text, styleBody, w)
	fb.right = true
	fb.draw(r.pdf, x, r.y, w)
}

// choiceBars draws one bar per answer, its length the answer's share,
// with its count and share after it; a suppressed answer has no bar, only
// "fewer than N".
func (r *report) choiceBars(q *surveys.ReportQuestion) {
	barX := marginX + labelW + 2
	barW := bodyW - labelW - 2 - figureW
	for _, c := range q.Cells {
		b := r.lines(c.Label, styleBody, labelW)
		h := max(b.height(), 5.0) + 1.2
		r.room(h)
		b.draw(r.pdf, marginX, r.y, labelW)
		text := r.fewer
		end := barX
		if c.Count != nil {
			w := barW * *c.Percent / 100
			r.pdf.SetFillColor(barGrey, barGrey, barGrey)
			if w > 0 {
				r.pdf.Rect(barX, r.y+0.5, w, 4, "F")
			}
			end = barX + w
			text = thousands(*c.Count) + " (" + pct(*c.Percent) + ")"
		}
		r.setStyle(styleBody)
		r.pdf.Text(end+1.5, r.y+3.7, text)
		r.y += h
	}
	r.y += 1
}

// quote draws an approved, redacted quote, set in from a rule at its side.
func (r *report) quote(text, source string) {
	b := r.lines("“"+text+"”", styleBody, bodyW-8)
	src := r.lines(source, styleSmall, bodyW-8)
	if b.height()+src.height() < bodyBottom-marginTop {
		r.room(b.height() + src.height() + 2)
	}
	top, page := r.y, r.pdf.PageNo()
	r.para("“"+text+"”", styleBody, marginX+6, bodyW-8)
	r.y -= paraGap
	r.para(source, styleSmall, marginX+6, bodyW-8)
	if r.pdf.PageNo() != page {
		// A quote too long for one page gets its rule beside its last part.
		top = marginTop
	}
	r.pdf.SetDrawColor(110, 110, 110)
	r.pdf.SetLineWidth(0.8)
	r.pdf.Line(marginX+2, top, marginX+2, r.y-paraGap)
}

// logo draws the council's logo in a box, keeping its shape. Only PNG
// logos are drawn: gofpdf cannot draw SVG, so an SVG logo is left out.
func (r *report) logo(l *surveys.Logo, x, y, maxW, maxH float64) float64 {
	if l == nil || l.ContentType != surveys.LogoPNG {
		return 0
	}
	info := r.pdf.RegisterImageOptionsReader("logo", gofpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(l.Data))
	if err := r.pdf.Error(); err != nil || info == nil {
		// A logo gofpdf cannot read (an interlaced or 16-bit PNG, say)
		// must not cost the board its report.
		r.pdf.ClearError()
		return 0
	}
	w, h := info.Width(), info.Height()
	scale := min(maxW/w, maxH/h)
	r.pdf.ImageOptions("logo", x, y, w*scale, h*scale, false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	return h * scale
}

// percentPoints prints a change: "▲ up 4 points", "▼ down 2 points".
func percentPoints(p float64) string {
	switch {
	case p > 0:
		return fmt.Sprintf("▲ up %s", points(p))
	case p < 0:
		return fmt.Sprintf("▼ down %s", points(-p))
	}
	return "no change"
}

func points(p float64) string {
	s := fmt.Sprintf("%.1f", p)
	if s == "1.0" {
		return "1 point"
	}
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	return s + " points"
}
