package exports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"github.com/heard-app/heard/surveys"
)

// A report is a flowing A4 document of sections: headings that are also
// bookmarks, wrapped paragraphs that may be in any script, tables and bar
// charts, with the protective marking at the top of every page and the
// page number at the bottom. The board report is one list of sections; a
// session or area report is another list of the same kinds of section.

// The layout of a report page, in millimetres and points.
const (
	marginX     = 18.0
	marginTop   = 20.0
	marginBot   = 18.0
	bodyW       = pageW - 2*marginX
	bodyBottom  = pageH - marginBot
	sizeTitle   = 24.0
	sizeH1      = 18.0
	sizeH2      = 12.5
	sizeBody    = 10.0
	sizeSmall   = 8.5
	greyText    = 0
	greySoft    = 70
	paraGap     = 2.0 // after a paragraph
	headingGap  = 3.0 // after a heading
	markingText = "OFFICIAL"
)

// reportMeta is a report's document information.
type reportMeta struct {
	Title, Subject, Author string
	Footer                 string // left of the page number, on every page
	Created                time.Time
}

// report is a document being written. y is the top of the next thing to
// draw on the current page.
type report struct {
	pdf   *gofpdf.Fpdf
	y     float64
	meta  reportMeta
	fewer string // how a suppressed figure reads: "fewer than 5"
}

// newReport starts a document with its fonts, metadata and page furniture.
func newReport(meta reportMeta) (*report, error) {
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: gofpdf.SizeType{Wd: pageW, Ht: pageH}})
	pdf.SetMargins(marginX, marginTop, marginX)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle(cleanText(meta.Title), true)
	pdf.SetSubject(cleanText(meta.Subject), true)
	pdf.SetAuthor(cleanText(meta.Author), true)
	pdf.SetCreator("Heard", true)
	pdf.SetKeywords("Official", true)
	pdf.SetCatalogSort(true) // fonts in a fixed order: the same bytes every time
	pdf.SetCreationDate(meta.Created.UTC())
	pdf.SetModificationDate(meta.Created.UTC())
	pdf.SetDisplayMode("fullwidth", "continuous")
	pdf.AliasNbPages("{nb}")
	if err := addFonts(pdf); err != nil {
		return nil, err
	}
	r := &report{pdf: pdf, meta: meta}
	pdf.SetHeaderFuncMode(r.header, false)
	pdf.SetFooterFunc(r.footer)
	return r, nil
}

// header prints the protective marking, centred, as UK government
// documents do.
func (r *report) header() {
	r.pdf.SetFont(familySans, "B", sizeSmall)
	r.pdf.SetTextColor(0, 0, 0)
	w := r.pdf.GetStringWidth(markingText)
	r.pdf.Text((pageW-w)/2, 10, markingText)
	r.y = marginTop
}

// footer prints the report's name and "Page n of N".
func (r *report) footer() {
	r.pdf.SetFont(familySans, "", sizeSmall-0.5)
	r.pdf.SetTextColor(greySoft, greySoft, greySoft)
	page := fmt.Sprintf("Page %d of {nb}", r.pdf.PageNo())
	// {nb} is replaced when the file is written; leave room for 3 digits.
	pw := r.pdf.GetStringWidth(fmt.Sprintf("Page %d of 000", r.pdf.PageNo()))
	left := shorten(r.pdf.GetStringWidth, cleanText(r.meta.Footer), bodyW-pw-6)
	r.pdf.Text(marginX, pageH-11, visual(left, isRTL(left)))
	r.pdf.Text(pageW-marginX-pw, pageH-11, page)
	r.pdf.Text((pageW-r.pdf.GetStringWidth(markingText))/2, pageH-6.5, markingText)
}

// newPage starts a page.
func (r *report) newPage() {
	r.pdf.AddPage()
	r.y = marginTop
}

// room makes sure h millimetres are left on the page, starting a new page
// if not. It reports whether it started one.
func (r *report) room(h float64) bool {
	if r.y+h <= bodyBottom {
		return false
	}
	r.newPage()
	return true
}

// gap moves down by h, unless at the top of a page.
func (r *report) gap(h float64) {
	if r.y > marginTop {
		r.y += h
	}
}

// style is how a run of text looks.
type style struct {
	size float64
	bold bool
	grey int
}

var (
	styleBody  = style{size: sizeBody}
	styleBold  = style{size: sizeBody, bold: true}
	styleSmall = style{size: sizeSmall, grey: greySoft}
	styleH2    = style{size: sizeH2, bold: true}
)

// setStyle sets the font and colour of s.
func (r *report) setStyle(s style) {
	weight := ""
	if s.bold {
		weight = "B"
	}
	r.pdf.SetFont(familySans, weight, s.size)
	r.pdf.SetTextColor(s.grey, s.grey, s.grey)
}

// lines wraps text to width in style s, for measuring before drawing.
func (r *report) lines(text string, s style, width float64) *block {
	text = cleanText(text)
	b := &block{family: familySans, size: s.size, grey: s.grey, rtl: isRTL(text)}
	if s.bold {
		b.style = "B"
	}
	r.setStyle(s)
	// Long words without spaces (addresses, say) break after slashes.
	b.lines = wrap(b.measure(r.pdf), text, width, "/")
	return b
}

// height is the height of a block's lines.
func (b *block) height() float64 { return float64(len(b.lines)) * lineHeight(b.size) }

// para draws a wrapped paragraph at left, breaking across pages as needed.
func (r *report) para(text string, s style, left, width float64) {
	b := r.lines(text, s, width)
	h := lineHeight(s.size)
	all := b.lines
	for len(all) > 0 {
		r.room(h)
		n := min(len(all), max(1, int((bodyBottom-r.y+0.001)/h)))
		b.lines = all[:n]
		b.draw(r.pdf, left, r.y, width)
		r.y += float64(n) * h
		all = all[n:]
	}
	r.y += paraGap
}

// text draws a paragraph the width of the page.
func (r *report) text(text string, s style) { r.para(text, s, marginX, bodyW) }

// section starts a numbered part of the report on a new page, with a
// heading and a bookmark.
func (r *report) section(title string) {
	r.newPage()
	r.pdf.Bookmark(cleanText(title), 0, -1)
	b := r.lines(title, style{size: sizeH1, bold: true}, bodyW)
	b.draw(r.pdf, marginX, r.y, bodyW)
	r.y += b.height() + 1
	r.pdf.SetDrawColor(0, 0, 0)
	r.pdf.SetLineWidth(0.6)
	r.pdf.Line(marginX, r.y, marginX+bodyW, r.y)
	r.y += headingGap + 1
}

// subheading draws a heading within a section, bookmarked under it, kept
// with at least keep millimetres of what follows.
func (r *report) subheading(title string, keep float64) {
	b := r.lines(title, styleH2, bodyW)
	r.gap(2)
	r.room(b.height() + keep)
	r.pdf.Bookmark(cleanText(title), 1, r.y)
	b.draw(r.pdf, marginX, r.y, bodyW)
	r.y += b.height() + 1.5
}

// finish writes the document.
func (r *report) finish(w io.Writer) error {
	if err := r.pdf.Error(); err != nil {
		return err
	}
	return r.pdf.Output(w)
}

// writeReport makes a report and writes it to w: sections gives the parts
// to draw, in order, and drawing stops at gofpdf's first error. A hidden
// figure is printed as "fewer than threshold". what names the report in
// errors ("board report").
func writeReport(w io.Writer, what string, meta reportMeta, threshold int, sections func(r *report) []func()) (err error) {
	// gofpdf panics on some input it cannot handle; a strange title must
	// cost an error, not the server.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("write %s: gofpdf failed: %v", what, p)
		}
	}()
	r, err := newReport(meta)
	if err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	r.fewer = fewerThan(threshold)
	for _, part := range sections(r) {
		part()
		if err := r.pdf.Error(); err != nil {
			return fmt.Errorf("write %s: %w", what, err)
		}
	}
	if err := r.finish(w); err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	return nil
}

// Figures as a report prints them.

// count prints a count, or "fewer than N" when it is suppressed.
func count(n *int, fewer string) string {
	if n == nil {
		return fewer
	}
	return thousands(*n)
}

// thousands writes n with commas between thousands: 12,345.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// pct prints a percentage to the nearest whole number, as boards read
// them; the appendix and data exports keep the decimal.
func pct(p float64) string { return fmt.Sprintf("%.0f%%", p) }

// pct1 prints a percentage with one decimal.
func pct1(p float64) string { return fmt.Sprintf("%.1f%%", p) }

// longDate prints "2026-04-01" as "1 April 2026".
func longDate(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("2 January 2006")
}

// fewerThan is how a suppressed figure reads.
func fewerThan(threshold int) string {
	if threshold <= 0 {
		threshold = surveys.DefaultThreshold
	}
	return fmt.Sprintf("fewer than %d", threshold)
}
