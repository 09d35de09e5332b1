// Package qrsvg draws a QR code as an inline SVG image for a web page: the
// projector shows the session's join link this way, so a room of phones can
// scan it from the screen.
//
// The image is one path of black modules on a white square, in units of
// one module, with the four-module quiet zone the QR standard asks for;
// the page's CSS gives it its size. shape-rendering="crispEdges" keeps
// modules from blurring into each other when scaled. Error correction is
// level M (15%), as on the printed cards: enough for glare on a projector
// screen. The QR encoding is github.com/boombuler/barcode's, which
// exports/qr.go uses for the cards.
package qrsvg

import (
	"errors"
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
)

const (
	// MaxContentBytes is the longest content SVG encodes. A join link is
	// about 40 bytes (a code of 29 by 29 modules); 256 bytes already makes
	// one of 65 by 65 (version 12), about as dense as a phone reads from the
	// back of a room.
	MaxContentBytes = 256
	// MaxTitleBytes is the longest title: a sentence a screen reader reads
	// out, not a paragraph.
	MaxTitleBytes = 200
	// QuietModules is the blank margin around the code, in modules.
	QuietModules = 4
)

// Errors SVG returns, for callers and tests to tell apart.
var (
	ErrNoContent = errors.New("qrsvg: no content to encode")
	ErrTooLong   = errors.New("qrsvg: content too long for a QR code on a page")
	ErrNoTitle   = errors.New("qrsvg: a QR code needs a title for screen readers")
	ErrTitleLong = errors.New("qrsvg: title too long")
)

// SVG returns an inline SVG image of a QR code of content, with title as
// its accessible name (role="img", aria-label and a <title> element, so
// screen readers announce it and a mouse shows it). Both are escaped.
// Content must be 1 to MaxContentBytes bytes, and title 1 to MaxTitleBytes.
func SVG(content, title string) (template.HTML, error) {
	switch {
	case content == "":
		return "", ErrNoContent
	case len(content) > MaxContentBytes:
		return "", fmt.Errorf("%w: %d bytes, at most %d", ErrTooLong, len(content), MaxContentBytes)
	case strings.TrimSpace(title) == "":
		return "", ErrNoTitle
	case len(title) > MaxTitleBytes:
		return "", fmt.Errorf("%w: %d bytes, at most %d", ErrTitleLong, len(title), MaxTitleBytes)
	}
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		// Not wrapped: the encoder's message quotes the content, and errors
		// end up in logs.
		return "", fmt.Errorf("qrsvg: encode %d bytes as a QR code: the encoder refused them", len(content))
	}
	n := code.Bounds().Dx()
	side := strconv.Itoa(n + 2*QuietModules)
	t := html.EscapeString(title)
	var b strings.Builder
	b.Grow(64*n + 256)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="` + t +
		`" viewBox="0 0 ` + side + ` ` + side + `" shape-rendering="crispEdges">`)
	b.WriteString(`<title>` + t + `</title>`)
	b.WriteString(`<rect width="` + side + `" height="` + side + `" fill="#fff"/>`)
	b.WriteString(`<path fill="#000" d="`)
	writeModules(&b, code, n)
	b.WriteString(`"/></svg>`)
	// Safe as HTML: every part is written here, and the title is escaped.
	return template.HTML(b.String()), nil
}

// writeModules writes the path data of the dark modules: one rectangle for
// each horizontal run of dark modules in a row, so the path stays a few
// kilobytes ("M4 4h7v1h-7z" is seven modules at the top left corner).
func writeModules(b *strings.Builder, code barcode.Barcode, n int) {
	bounds := code.Bounds()
	dark := func(col, row int) bool {
		r, g, bl, _ := code.At(bounds.Min.X+col, bounds.Min.Y+row).RGBA()
		return r+g+bl < 3*0x8000
	}
	for row := 0; row < n; row++ {
		for col := 0; col < n; {
			if !dark(col, row) {
				col++
				continue
			}
			end := col
			for end < n && dark(end, row) {
				end++
			}
			run := strconv.Itoa(end - col)
			b.WriteString("M" + strconv.Itoa(col+QuietModules) + " " + strconv.Itoa(row+QuietModules) +
				"h" + run + "v1h-" + run + "z")
			col = end
		}
	}
}
