package exports

import (
	"bytes"
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
//
// Each document gets its own copy of the font bytes. gofpdf appends to
// slices it reads out of the font file when it builds the subset it
// embeds, and those appends can write into the array behind them; with one
// shared array, two PDFs made at once raced and could corrupt each other's
// fonts (the race detector caught it in CI). A copy is about 1.5 MB of
// short-lived memory per document, which is small beside what the subset
// work allocates anyway.
func addFonts(pdf *gofpdf.Fpdf) error {
	pdf.AddUTF8FontFromBytes(familySans, "", bytes.Clone(fontSans))
	pdf.AddUTF8FontFromBytes(familySans, "B", bytes.Clone(fontSansBold))
	pdf.AddUTF8FontFromBytes(familyMono, "B", bytes.Clone(fontMonoBold))
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("add fonts: %w", err)
	}
	return nil
}
