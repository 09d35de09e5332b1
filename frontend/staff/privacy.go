package staff

import (
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// privacyForm is the settings form's part for the privacy notice young
// people read at /privacy: the council's own words, each optional, with
// their limits for the hints and the boxes.
type privacyForm struct {
	Contact    string
	DPO        string
	Extra      string
	MaxContact int
	MaxDPO     int
	MaxExtra   int
}

func privacyFormOf(w surveys.PrivacyWords) privacyForm {
	return privacyForm{Contact: w.Contact, DPO: w.DPO, Extra: w.Extra,
		MaxContact: surveys.MaxPrivacyContact, MaxDPO: surveys.MaxPrivacyDPO, MaxExtra: surveys.MaxPrivacyExtra}
}

// readPrivacyForm reads the privacy words as sent, trimmed, with the
// paragraphs' line breaks made plain "\n" (a browser sends "\r\n").
func readPrivacyForm(c fiber.Ctx) surveys.PrivacyWords {
	return surveys.PrivacyWords{
		Contact: strings.TrimSpace(c.FormValue("privacy.contact")),
		DPO:     strings.TrimSpace(c.FormValue("privacy.dpo")),
		Extra:   strings.TrimSpace(strings.ReplaceAll(c.FormValue("privacy.extra"), "\r\n", "\n")),
	}
}
