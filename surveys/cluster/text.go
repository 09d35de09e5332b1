package cluster

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
		case isWordRune(r):
			j := wordEnd(text, i)
			if w := normWord(text[i:j]); w != "" {
				rw := rawWord{w: w, soft: soft}
				if hasRun3(w) {
					rw.w, rw.alt = collapse(w, 2), collapse(w, 1)
				}
				out = append(out, rw)
			}
			soft = true
			i = j
			continue
		case r == '\n' || r == '\r':
			soft = false
		case unicode.IsSpace(r) || r == '-' || r == '\u2010' || isApostrophe(r):
		default:
			soft = false
		}
		i += size
	}
	return out
}

// isWordRune reports letters, digits and combining marks.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc)
}

// isApostrophe reports the marks people type for an apostrophe.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '\u2019', '\u2018', '`', '\u00b4', '\u02bc':
		return true
	}
	return false
}

// wordEnd returns where the word starting at byte i ends. An apostrophe
// belongs to the word only when a word rune follows it.
func wordEnd(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			i += size
			continue
		}
		if isApostrophe(r) && i+size < len(text) {
			if next, _ := utf8.DecodeRuneInString(text[i+size:]); isWordRune(next) {
				i += size
				continue
			}
		}
		break
	}
	return i
}

// normWord lower-cases a written word, drops a possessive "'s", drops
// apostrophes and combining marks and folds accented Latin letters, so
// that "Children's", "childrens" and "CHILDREN" meet. It returns "" for a
// word longer than maxWordRunes.
func normWord(raw string) string {
	if n := len(raw); n > 2 && (raw[n-1] == 's' || raw[n-1] == 'S') {
		if r, _ := utf8.DecodeLastRuneInString(raw[:n-1]); isApostrophe(r) {
			raw = raw[:n-1]
		}
	}
	var b strings.Builder
	b.Grow(len(raw))
	n := 0
	for _, r := range raw {
		if isApostrophe(r) || unicode.In(r, unicode.Mn, unicode.Mc) {
			continue
		}
		if n++; n > maxWordRunes {
			return ""
		}
		r = unicode.ToLower(r)
		if f, ok := folds[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// folds maps accented Latin letters to plain ones: young people type
// names and borrowed words both ways ("café", "cafe").
var folds = func() map[rune]string {
	groups := map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ďđð", "e": "èéêëēĕėęě", "g": "ĝğġģ",
		"h": "ĥħ", "i": "ìíîïĩīĭįı", "j": "ĵ", "k": "ķ", "l": "ĺļľŀł", "n": "ñńņňŉ",
		"o": "òóôõöøōŏő", "r": "ŕŗř", "s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűų",
		"w": "ŵ", "y": "ýÿŷ", "z": "źżž", "ss": "ß", "ae": "æ", "oe": "œ",
	}
	m := map[rune]string{}
	for to, from := range groups {
		for _, r := range from {
			m[r] = to
		}
	}
	return m
}()

// hasRun3 reports a letter written three times or more in a row.
func hasRun3(w string) bool {
	var a, b rune = -1, -2
	for _, r := range w {
		if r == a && r == b && unicode.IsLetter(r) {
			return true
		}
		a, b = b, r
	}
	return false
}

// collapse keeps at most keep letters of any run of three or more.
func collapse(w string, keep int) string {
	rs := []rune(w)
	out := rs[:0:0]
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && rs[j] == rs[i] {
			j++
		}
		n := j - i
		if n >= 3 && unicode.IsLetter(rs[i]) {
			n = keep
		}
		for range n {
			out = append(out, rs[i])
		}
		i = j
	}
	return string(out)
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
