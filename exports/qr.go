package exports

import (
	"fmt"

	"github.com/boombuler/barcode/qr"
	"github.com/jung-kurt/gofpdf"
)

// QR codes on cards.
const (
	qrQuietModules = 4    // the blank margin the QR standard asks for, in modules
	qrMinModule    = 0.4  // mm: smaller modules are hard for an old phone's camera
	qrDarkOverlap  = 0.02 // mm each dark rectangle reaches into the next row, so renderers leave no hairline gaps
)

// drawQR draws a QR code of content as filled rectangles in the square at
// (x, y) with sides of size mm, quiet zone included: the code's modules sit
// inside a blank margin four modules wide. Error correction is level M
// (15%), enough for a card that gets creased or smudged in a pocket.
func drawQR(pdf *gofpdf.Fpdf, content string, x, y, size float64) error {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return fmt.Errorf("encode QR code: %w", err)
	}
	n := code.Bounds().Dx()
	module := size / float64(n+2*qrQuietModules)
	if module < qrMinModule {
		return fmt.Errorf("the link is too long for a QR code on a card (%d characters)", len(content))
	}
	dark := func(col, row int) bool {
		r, g, b, _ := code.At(col, row).RGBA()
		return r+g+b < 3*0x8000
	}
	pdf.SetFillColor(0, 0, 0)
	x0 := x + qrQuietModules*module
	y0 := y + qrQuietModules*module
	for row := 0; row < n; row++ {
		// One rectangle for each run of dark modules in the row.
		for col := 0; col < n; {
			if !dark(col, row) {
				col++
				continue
			}
			end := col
			for end < n && dark(end, row) {
				end++
			}
			h := module
			if row < n-1 {
				h += qrDarkOverlap
			}
			pdf.Rect(x0+float64(col)*module, y0+float64(row)*module, float64(end-col)*module, h, "F")
			col = end
		}
	}
	return nil
}
