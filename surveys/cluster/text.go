package cluster

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/heard-app/heard/surveys/textfold"
)

// maxWordRunes is the longest word kept. Longer runs of letters are links,
// keyboard mashing or words run together: they never name a theme and
// would make unreadable phrases.
const maxWordRunes = 30

// rawWord is one written word, lower-cased and folded, before text-speak,
// stop words and stemming.
type rawWord struct {
	w string
	// alt is the other reading of an elongated word: "dogggg" is read
	// "dogg" (w) or "dog" (alt), and the set of voices decides which.
	alt string
	// soft is true when only spaces or hyphens stand between this word
	// and the one before, so the two may make a two-word phrase.
	soft bool
}

// word is one word that counts: not a stop word, with its stem (the form
// vectors use) and its surface (the form analysts read).
type word struct {
	surface, stem string
	// joined is true when the word before it in the text is also a word
	// that counts and nothing but spaces or hyphens stand between them.
	joined bool
}

// capText keeps the first MaxTextLen runes of text and makes it valid
// UTF-8: invalid bytes become spaces, so they separate words.
func capText(text string) string {
	n := 0
	for i := range text {
		if n == MaxTextLen {
			text = text[:i]
			break
		}
		n++
	}
	return strings.ToValidUTF8(text, " ")
}

// split reads the words of a text. Letters, digits and combining marks
// make words; an apostrophe inside a word is dropped ("don't" is "dont")
// and a possessive "'s" with it ("children's" is "children"). Spaces,
// hyphens and apostrophes ("dogs' beds") separate words softly
// ("skate-park" is "skate park"), as do invalid bytes; line breaks and
// any other mark, emoji or symbol separate them hard, so no phrase spans
// them.
func split(text string) []rawWord {
	text = capText(text)
	out := make([]rawWord, 0, len(text)/5+1)
	soft := false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case textfold.IsWordRune(r):
			j := textfold.WordEnd(text, i, textfold.IsApostrophe)
			if w := normWord(text[i:j]); w != "" {
				rw := rawWord{w: w, soft: soft}
				if textfold.Elongated(w) {
					rw.w, rw.alt = textfold.Collapse(w, 2), textfold.Collapse(w, 1)
				}
				out = append(out, rw)
			}
			soft = true
			i = j
			continue
		case r == '\n' || r == '\r':
			soft = false
		case unicode.IsSpace(r) || r == '-' || r == '\u2010' || textfold.IsApostrophe(r):
		default:
			soft = false
		}
		i += size
	}
	return out
}

// normWord lower-cases a written word, drops a possessive "'s", drops
// apostrophes and combining marks and folds accented Latin letters, so
// that "Children's", "childrens" and "CHILDREN" meet. It returns "" for a
// word longer than maxWordRunes.
func normWord(raw string) string {
	if n := len(raw); n > 2 && (raw[n-1] == 's' || raw[n-1] == 'S') {
		if r, _ := utf8.DecodeLastRuneInString(raw[:n-1]); textfold.IsApostrophe(r) {
			raw = raw[:n-1]
		}
	}
	return textfold.Latin.Word(raw, textfold.IsApostrophe, maxWordRunes)
}

// isNumber reports a word of digits only.
func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return w != ""
}

// isASCIIWord reports a word of the letters a to z only: the only words
// stemmed, since the stemmer knows English endings only.
func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return w != ""
}
