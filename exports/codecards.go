package exports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/jung-kurt/gofpdf"
)

// CodeCards are the printable cards of a batch of access codes.
type CodeCards struct {
	Council     string                   // e.g. "Knowsley Council"; may be empty
	SurveyTitle string                   // e.g. "Your life in care 2026"
	Codes       []string                 // canonical codes (surveys.NormalizeCode form), printed with surveys.FormatCode
	Link        func(code string) string // the address each card's QR code holds, e.g. "https://heard.example.gov.uk/s/cared-for-2026?code=7KM3PXQ9R"
	Address     string                   // the address printed in words for typing, e.g. "heard.example.gov.uk/s/cared-for-2026"
	Created     time.Time                // the PDF's creation date (fixed in tests, so output is deterministic)
}

// The words on every card.
const (
	cardCodeLabel = "Your code"
	cardSentence  = "Scan the code with your phone’s camera, or go to the address and type your code. " +
		"It’s anonymous: nobody will know which answers are yours."
)

// The layout of an A4 page of cards, in millimetres. Cards fill the page
// edge to edge, 2 across and 4 down, so that cutting along the dashed lines
// gives 8 cards of the same size; everything printed on a card keeps
// cardPad from its edges, which also keeps it inside what printers print.
const (
	pageW     = 210.0
	pageH     = 297.0
	cardCols  = 2
	cardRows  = 4
	cardsPage = cardCols * cardRows
	cardW     = pageW / cardCols // 105
	cardH     = pageH / cardRows // 74.25
	cardPad   = 6.0

	// Positions inside a card, from its top left corner.
	councilTop  = cardPad
	titleTop    = 10.0 // cardPad when there is no council
	titleBottom = 25.0
	middleTop   = 27.0 // the code, the address and the QR code
	qrSize      = 28.0 // the QR code with its quiet zone
	qrLeft      = cardW - cardPad - qrSize
	leftW       = qrLeft - 3 - cardPad // the column left of the QR code
	codeTop     = middleTop + 4.5
	addressTop  = codeTop + 10.5
	middleEnd   = middleTop + qrSize
	sentenceTop = middleEnd + 1.5
	contentW    = cardW - 2*cardPad
	contentEnd  = cardH - cardPad

	// Type sizes, in points.
	councilSize     = 8.0
	titleMaxSize    = 14.0
	titleMinSize    = 8.0
	labelSize       = 9.0
	codeSize        = 22.0
	addressMax      = 10.0
	addressMin      = 7.0
	sentenceMax     = 8.5
	sentenceMin     = 6.5
	lineSpacing     = 1.2 // line height, in type sizes
	ptToMM          = 25.4 / 72
	cutLineWidth    = 0.25 // mm
	cutLineGrey     = 150  // of 255
	cutDash, cutGap = 2.0, 1.5
)

// WriteCodeCards writes the cards as an A4 PDF: 8 cards a page (2 columns,
// 4 rows) with dashed cut lines.
//
// Cards that cannot be printed (no codes or too many, a code not in
// canonical form or there twice, no Link, no title or address) fail with
// an EINVALID *surveys.Error naming the fields, and nothing is written. A
// zero Created means the time of writing.
func WriteCodeCards(w io.Writer, c CodeCards) (err error) {
	// gofpdf panics on some input it cannot handle (characters outside the
	// Basic Multilingual Plane, which cleanText removes, for one); a bad
	// title must not take the server down.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("write code cards: gofpdf failed: %v", p)
		}
	}()
	if err := c.validate(); err != nil {
		return fmt.Errorf("write code cards: %w", err)
	}
	title := cleanText(c.SurveyTitle)
	council := cleanText(c.Council)
	address := cleanText(c.Address)

	pdf := gofpdf.NewCustom(&gofpdf.InitType{
		OrientationStr: "P",
		UnitStr:        "mm",
		Size:           gofpdf.SizeType{Wd: pageW, Ht: pageH},
	})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	author := council
	if author == "" {
		author = "Heard"
	}
	pdf.SetTitle("Access codes: "+title, true)
	pdf.SetSubject(fmt.Sprintf("%d access code cards for %s", len(c.Codes), title), true)
	pdf.SetAuthor(author, true)
	pdf.SetCreator("Heard", true)
	pdf.SetCatalogSort(true) // fonts in a fixed order, so the bytes are the same every time
	pdf.SetCreationDate(c.Created.UTC())
	pdf.SetModificationDate(c.Created.UTC())
	if err := addFonts(pdf); err != nil {
		return fmt.Errorf("write code cards: %w", err)
	}

	text := layoutCardText(pdf, council, title, address)
	for i, code := range c.Codes {
		slot := i % cardsPage
		if slot == 0 {
			pdf.AddPage()
			drawCutLines(pdf, min(cardsPage, len(c.Codes)-i))
		}
		x := float64(slot%cardCols) * cardW
		y := float64(slot/cardCols) * cardH
		link := c.Link(code)
		if strings.TrimSpace(link) == "" {
			return fmt.Errorf("write code cards: card %d: the link for its QR code is empty", i+1)
		}
		if err := drawQR(pdf, link, x+qrLeft, y+middleTop, qrSize); err != nil {
			return fmt.Errorf("write code cards: card %d: %w", i+1, err)
		}
		text.draw(pdf, x, y, surveys.FormatCode(code))
		if err := pdf.Error(); err != nil {
			return fmt.Errorf("write code cards: card %d: %w", i+1, err)
		}
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("write code cards: %w", err)
	}
	return nil
}

// validate checks the cards can be printed.
func (c *CodeCards) validate() error {
	errs := map[string]string{}
	switch {
	case len(c.Codes) == 0:
		errs["codes"] = "There are no codes to print."
	case len(c.Codes) > surveys.MaxCodesPerBatch:
		errs["codes"] = fmt.Sprintf("There are %d codes; at most %d can be printed at once.", len(c.Codes), surveys.MaxCodesPerBatch)
	default:
		seen := make(map[string]bool, len(c.Codes))
		for i, code := range c.Codes {
			if canonical, ok := surveys.NormalizeCode(code); !ok || canonical != code {
				errs["codes"] = fmt.Sprintf("Code number %d is not an access code.", i+1)
				break
			}
			if seen[code] {
				errs["codes"] = fmt.Sprintf("Code number %d is there twice.", i+1)
				break
			}
			seen[code] = true
		}
	}
	if c.Link == nil {
		errs["link"] = "There is no link for the QR codes."
	}
	if cleanText(c.SurveyTitle) == "" {
		errs["survey_title"] = "The survey has no title."
	}
	if cleanText(c.Address) == "" {
		errs["address"] = "There is no address to type the code at."
	}
	if len(errs) > 0 {
		return surveys.FieldsError("The access code cards cannot be printed.", errs)
	}
	return nil
}

// drawCutLines draws dashed lines between the first n cards of a page and
// below the last row, where it is not the page's edge.
func drawCutLines(pdf *gofpdf.Fpdf, n int) {
	rows := (n + cardCols - 1) / cardCols
	pdf.SetDrawColor(cutLineGrey, cutLineGrey, cutLineGrey)
	pdf.SetLineWidth(cutLineWidth)
	pdf.SetDashPattern([]float64{cutDash, cutGap}, 0)
	for col := 1; col < cardCols; col++ {
		pdf.Line(float64(col)*cardW, 0, float64(col)*cardW, float64(rows)*cardH)
	}
	for row := 1; row <= rows && row < cardRows; row++ {
		pdf.Line(0, float64(row)*cardH, pageW, float64(row)*cardH)
	}
	pdf.SetDashPattern(nil, 0)
}

// cardText is the words on a card, wrapped and sized once for all cards.
type cardText struct {
	council, title, label, code, address, sentence block
	titleTop                                       float64
}

// layoutCardText fits the words shared by every card into their places.
func layoutCardText(pdf *gofpdf.Fpdf, council, title, address string) *cardText {
	t := &cardText{titleTop: titleTop}
	if council != "" {
		t.council = block{family: familySans, size: councilSize, grey: 64, rtl: isRTL(council)}
		pdf.SetFont(t.council.family, t.council.style, t.council.size)
		t.council.lines = []string{shorten(t.council.measure(pdf), council, contentW)}
	} else {
		t.titleTop = cardPad
	}
	t.title = block{family: familySans, style: "B", rtl: isRTL(title)}
	t.title.fit(pdf, title, contentW, titleBottom-t.titleTop, titleMaxSize, titleMinSize)
	t.label = block{family: familySans, size: labelSize, grey: 64, lines: []string{cardCodeLabel}}
	t.code = block{family: familyMono, style: "B", size: codeSize}
	// Addresses break only after a slash, or where they must: a break
	// after a dot or a hyphen could be taken for part of the address.
	t.address = block{family: familySans, style: "B", breakAfter: "/?&"}
	t.address.fit(pdf, address, leftW, middleEnd-addressTop, addressMax, addressMin)
	t.sentence = block{family: familySans, grey: 38}
	t.sentence.fit(pdf, cardSentence, contentW, contentEnd-sentenceTop, sentenceMax, sentenceMin)
	return t
}

// draw draws the words on the card at (x, y) with its code.
func (t *cardText) draw(pdf *gofpdf.Fpdf, x, y float64, code string) {
	left := x + cardPad
	t.council.draw(pdf, left, y+councilTop, contentW)
	t.title.draw(pdf, left, y+t.titleTop, contentW)
	t.label.draw(pdf, left, y+middleTop, leftW)
	t.code.lines = []string{code}
	t.code.draw(pdf, left, y+codeTop, leftW)
	t.address.draw(pdf, left, y+addressTop, leftW)
	t.sentence.draw(pdf, left, y+sentenceTop, contentW)
}

// block is lines of text in one font.
type block struct {
	family, style string
	size          float64 // points
	grey          int     // 0 (black) to 255 (white)
	rtl           bool    // right-to-left as a whole: aligned right
	right         bool    // aligned right, though left-to-right (figures)
	breakAfter    string  // where lines may break besides spaces
	lines         []string
}

// measure returns how wide a line is when drawn, in the current font.
func (b *block) measure(pdf *gofpdf.Fpdf) func(string) float64 {
	return func(s string) float64 { return pdf.GetStringWidth(visual(s, b.rtl)) }
}

// fit finds the largest type size, from maxSize down to minSize in half
// points, at which text wrapped to width fits in height, and sets the
// block's size and lines. Text that does not fit even at minSize is cut
// short with an ellipsis.
func (b *block) fit(pdf *gofpdf.Fpdf, text string, width, height, maxSize, minSize float64) {
	for b.size = maxSize; ; b.size -= 0.5 {
		pdf.SetFont(b.family, b.style, b.size)
		b.lines = wrap(b.measure(pdf), text, width, b.breakAfter)
		if float64(len(b.lines))*lineHeight(b.size) <= height+0.001 {
			return
		}
		if b.size-0.5 < minSize {
			keep := max(1, int((height+0.001)/lineHeight(b.size)))
			b.lines = b.lines[:keep]
			b.lines[keep-1] = withEllipsis(b.measure(pdf), b.lines[keep-1], width)
			return
		}
	}
}

// draw draws the lines, the first one's top at top, aligned left, or right
// in a box of width when right-to-left.
func (b *block) draw(pdf *gofpdf.Fpdf, left, top, width float64) {
	if len(b.lines) == 0 {
		return
	}
	pdf.SetFont(b.family, b.style, b.size)
	pdf.SetTextColor(b.grey, b.grey, b.grey)
	h := lineHeight(b.size)
	em := b.size * ptToMM
	for i, line := range b.lines {
		line = visual(line, b.rtl)
		x := left
		if b.rtl || b.right {
			x = left + width - pdf.GetStringWidth(line)
		}
		// The baseline sits so that ascenders and descenders stay inside
		// the line: DejaVu's ascent is 0.93 of the type size and its
		// descent 0.24.
		baseline := top + float64(i)*h + (h-1.17*em)/2 + 0.93*em
		pdf.Text(x, baseline, line)
	}
}

func lineHeight(size float64) float64 {
	return size * ptToMM * lineSpacing
}
