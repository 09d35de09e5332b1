package profanity

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/heard-app/heard/surveys/textfold"
	"golang.org/x/text/unicode/norm"
)

// prepare cuts text to MaxTextBytes (at a rune boundary), makes it valid
// UTF-8 and folds compatibility forms: fullwidth "ｆｕｃｋ", mathematical
// "𝐟𝐮𝐜𝐤", circled letters and ligatures become plain letters. It reports
// whether the text was cut.
func prepare(text string) (string, bool) {
	cut := false
	if len(text) > MaxTextBytes {
		n := MaxTextBytes
		for n > 0 && !utf8.RuneStart(text[n]) {
			n--
		}
		text, cut = text[:n], true
	}
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			return norm.NFKC.String(strings.ToValidUTF8(text, " ")), cut
		}
	}
	return text, cut
}

// kind is what a rune is to the tokenizer.
type kind uint8

const (
	kindSpace  kind = iota // separates words
	kindPunct              // separates words, but "f.u.c.k" and "sh-it" are put back together
	kindLetter             // letters, digits and leetspeak symbols: part of a word
	kindDrop               // zero-width characters and combining marks: dropped inside a word
)

// asciiKinds is kindOf for ASCII, worked out once: most text is ASCII.
var asciiKinds = func() (k [utf8.RuneSelf]kind) {
	for r := range rune(utf8.RuneSelf) {
		k[r] = kindOfRune(r)
	}
	return k
}()

func kindOf(r rune) kind {
	if r < utf8.RuneSelf {
		return asciiKinds[r]
	}
	return kindOfRune(r)
}

func kindOfRune(r rune) kind {
	switch {
	case unicode.IsSpace(r), textfold.IsApostrophe(r):
		// An apostrophe ends a word as a space does: "who're" is not
		// "whore", and "Shi'ite" is not "shiite".
		return kindSpace
	case textfold.IsWordRune(r), isLeetSymbol(r), r == '*':
		return kindLetter
	case unicode.Is(unicode.Cf, r):
		return kindDrop
	}
	return kindPunct
}

// piece is one word as written, and whether whitespace stood before it.
type piece struct {
	raw        string
	afterSpace bool
}

// split cuts text into pieces at spaces and punctuation.
func split(text string, pieces []piece) []piece {
	start := -1
	sawSpace := true
	for i, r := range text {
		k := kindOf(r)
		switch {
		case k == kindLetter || k == kindDrop:
			if start < 0 {
				start = i
			}
			continue
		case start >= 0:
			pieces = append(pieces, piece{raw: text[start:i], afterSpace: sawSpace})
			start, sawSpace = -1, false
		}
		if k == kindSpace {
			sawSpace = true
		}
	}
	if start >= 0 {
		pieces = append(pieces, piece{raw: text[start:], afterSpace: sawSpace})
	}
	return pieces
}

// lookAlikes are the Cyrillic and Greek letters (in lower case) that look
// like Latin ones. fold reads them as Latin in a word that has Latin letters
// too, or is made of look-alikes only ("fuсk" with a Cyrillic с); a word in
// Russian or Greek keeps its letters.
var lookAlikes = map[rune]rune{
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'і': 'i', 'ї': 'i', 'ј': 'j',
	'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
	'у': 'y', 'х': 'x', 'ѕ': 's', 'һ': 'h', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w',
	'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'ν': 'v',
	'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x',
}

// isLeetSymbol reports the symbols read as letters inside a word.
func isLeetSymbol(r rune) bool {
	switch r {
	case '@', '$', '!', '|', '+', '€':
		return true
	}
	return false
}

// leet maps the digits and symbols people write for letters. '1', '!' and
// '|' are read as "i" here and as "l" in a second reading.
var leet = [128]byte{
	'4': 'a', '@': 'a', '3': 'e', '1': 'i', '!': 'i', '|': 'i',
	'0': 'o', '5': 's', '$': 's', '7': 't', '+': 't', '8': 'b', '9': 'g',
}

// fold lower-cases a piece, drops zero-width characters and combining
// marks, folds accents and look-alike letters, and turns "€" into
// "e". What is left is ASCII letters, digits, symbols and '*', plus any
// letters of other scripts, which match nothing.
func fold(raw string) string {
	if isPlainASCII(raw) {
		return raw // most words: nothing to fold, nothing to allocate
	}
	w := textfold.Latin.Word(raw, func(r rune) bool { return unicode.Is(unicode.Cf, r) }, 0)
	ascii, alike, other := false, false, false
	for _, r := range w {
		switch {
		case r < utf8.RuneSelf:
			ascii = ascii || ('a' <= r && r <= 'z')
		case lookAlikes[r] != 0:
			alike = true
		case r == '€':
		default:
			other = other || unicode.IsLetter(r)
		}
	}
	if !alike && !strings.ContainsRune(w, '€') {
		return w
	}
	return strings.Map(func(r rune) rune {
		if r == '€' {
			return 'e'
		}
		if to, ok := lookAlikes[r]; ok && (ascii || !other) {
			return to
		}
		return r
	}, w)
}

// readings returns the ways a folded piece may be read, as plain words to
// compare with the list, appended to out. A piece of digits alone is a
// number, not leetspeak, and has none.
func readings(folded string, out []string) []string {
	letters, symbols := false, false
	for i := 0; i < len(folded); i++ {
		c := folded[i]
		switch {
		case 'a' <= c && c <= 'z', c >= utf8.RuneSelf:
			letters = true
		case c == '*' || leet[c] != 0 && (c < '0' || c > '9'):
			symbols = true
		}
	}
	if !letters && !symbols {
		return out
	}
	if isPlainWord(folded) {
		// Most words are letters only: one reading, and "v" read as "u".
		return addVU(addSqueezed(out, folded), folded)
	}
	// The word with leading and trailing marks dropped ("fuck!" is "fuck"),
	// and the word with them read as letters ("a$$").
	core := trimMarks(folded)
	out = addLeet(out, core)
	if trimMarks(mapLeet(folded, 'i')) != trimMarks(mapLeet(core, 'i')) {
		out = addLeet(out, folded)
	}
	return out
}

// addLeet appends the leetspeak readings of w: with "1", "!" and "|" as
// "i", and as "l" when there are any; and then with "v" as "u" ("fvck").
func addLeet(out []string, w string) []string {
	first := trimMarks(mapLeet(w, 'i'))
	out = addSqueezed(out, first)
	if strings.ContainsAny(w, "1!|") {
		out = addSqueezed(out, trimMarks(mapLeet(w, 'l')))
	}
	return addVU(out, first)
}

// addVU appends w with "v" read as "u" ("fvck"), when it has a "v".
func addVU(out []string, w string) []string {
	if strings.IndexByte(w, 'v') < 0 {
		return out
	}
	return addSqueezed(out, strings.ReplaceAll(w, "v", "u"))
}

// isPlainASCII reports text of lower-case ASCII letters, digits and ASCII
// symbols only, which fold leaves as it is.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}

// addSqueezed appends w, and when a letter is held down three times or
// more ("fuuuuck", "piiiiss"), w with each such run made one letter and two.
func addSqueezed(out []string, w string) []string {
	if len(w) < 2 {
		return out
	}
	out = appendNew(out, w)
	if textfold.Elongated(w) {
		out = appendNew(out, textfold.Collapse(w, 1))
		out = appendNew(out, textfold.Collapse(w, 2))
	}
	return out
}

func appendNew(out []string, w string) []string {
	for _, o := range out {
		if o == w {
			return out
		}
	}
	return append(out, w)
}

// mapLeet reads digits and symbols as letters, with one as the reading of
// "1", "!" and "|".
func mapLeet(w string, one byte) string {
	if !strings.ContainsAny(w, "0123456789@$!|+") {
		return w
	}
	b := []byte(w)
	for i, c := range b {
		if c < utf8.RuneSelf && leet[c] != 0 {
			b[i] = leet[c]
			if c == '1' || c == '!' || c == '|' {
				b[i] = one
			}
		}
	}
	return string(b)
}

// trimMarks drops what is still not a letter at either end: digits with no
// reading ("fuck2"), and stars (markdown's "*word*").
func trimMarks(w string) string {
	return strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
}

// hasDoubled reports a letter written twice in a row.
func hasDoubled(w string) bool {
	for i := 1; i < len(w); i++ {
		if w[i] == w[i-1] {
			return true
		}
	}
	return false
}

// collapseAll writes every run of one letter as one letter: "fuuck" is
// "fuck", "shitty" is "shity".
func collapseAll(w string) string {
	if !hasDoubled(w) {
		return w
	}
	b := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		if i == 0 || w[i] != w[i-1] {
			b = append(b, w[i])
		}
	}
	return string(b)
}
