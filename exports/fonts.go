package exports

import (
	_ "embed" // the fonts
	"fmt"

	"github.com/jung-kurt/gofpdf"
)

// The DejaVu fonts (see fonts/LICENSE-DejaVu.txt) cover Latin, Greek,
// Cyrillic, Arabic, Hebrew and many other scripts, so a title in any of the
// languages a council's young people write in prints as itself. gofpdf's
// core fonts would turn anything outside Latin-1 into question marks.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontSans []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontSansBold []byte
	//go:embed fonts/DejaVuSansMono-Bold.ttf
	fontMonoBold []byte
)

// Font families as registered with gofpdf.
const (
	familySans = "DejaVuSans"
	familyMono = "DejaVuSansMono"
)

// addFonts registers the embedded fonts with a document.
func addFonts(pdf *gofpdf.Fpdf) error {
	pdf.AddUTF8FontFromBytes(familySans, "", fontSans)
	pdf.AddUTF8FontFromBytes(familySans, "B", fontSansBold)
	pdf.AddUTF8FontFromBytes(familyMono, "B", fontMonoBold)
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("add fonts: %w", err)
	}
	return nil
}
