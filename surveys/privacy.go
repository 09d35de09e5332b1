package surveys

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The privacy notice young people read (GET /privacy) is mostly Heard's own
// words, true to what Heard does. A council adds how to ask it a question,
// how to reach its data protection officer, and anything else its own
// notice must say. Each is optional: without them the page names the
// council and points to the people on the help page.

// Limits on the council's privacy words, in characters. Short enough to
// read on a phone; long enough for an email address, a phone number and a
// sentence about each.
const (
	MaxPrivacyContact = 300  // how to ask a question
	MaxPrivacyDPO     = 300  // how to reach the data protection officer
	MaxPrivacyExtra   = 1500 // an extra paragraph or two
)

// PrivacyWords are what a council adds to the privacy notice.
type PrivacyWords struct {
	// Contact says how a young person can ask a question about their
	// information, e.g. "Email privacy@council.gov.uk or ask your social
	// worker." One line.
	Contact string `json:"contact,omitempty"`
	// DPO says how to reach the council's data protection officer. One
	// line.
	DPO string `json:"dpo,omitempty"`
	// Extra is anything more the council wants young people to know;
	// paragraphs are split at blank lines.
	Extra string `json:"extra,omitempty"`
}

// validate adds what is wrong with each of the words to errs.
func (w PrivacyWords) validate(errs fieldErrors) {
	for _, f := range []struct {
		path, text string
		most       int
		lines      bool
	}{
		{"privacy.contact", w.Contact, MaxPrivacyContact, false},
		{"privacy.dpo", w.DPO, MaxPrivacyDPO, false},
		{"privacy.extra", w.Extra, MaxPrivacyExtra, true},
	} {
		if msg := checkPrivacyText(f.text, f.most, f.lines); msg != "" {
			errs.add(f.path, msg)
		}
	}
}

// checkPrivacyText returns what is wrong with some of a council's privacy
// words, or "". Empty is allowed: the page then uses its own words.
func checkPrivacyText(s string, most int, lines bool) string {
	if !utf8.ValidString(s) {
		return "must be plain text"
	}
	if n := utf8.RuneCountInString(s); n > most {
		return fmt.Sprintf("must be at most %d characters (it has %d)", most, n)
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			if !lines {
				return "must be one line"
			}
		case r == '\t':
		case unicode.IsControl(r):
			return "must be plain text, without control characters"
		}
	}
	if s != strings.TrimSpace(s) {
		return "must not start or end with a space"
	}
	return ""
}
