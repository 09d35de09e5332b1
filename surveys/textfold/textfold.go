// Package textfold reads words as young people write them and brings the
// ways of writing one word to one form: capitals, accents, apostrophes and
// letters held down ("soooo"). The coder and the cluster read words with
// it, each choosing which runes it drops and which letters it folds.
//
// The package is pure: standard library only, no I/O.
package textfold

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsWordRune reports letters, digits and combining marks (Arabic vowel
// signs, decomposed accents): the stuff words are made of.
func IsWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc)
}

// IsApostrophe reports the marks people type for an apostrophe.
func IsApostrophe(r rune) bool {
	switch r {
	case '\'', '\u2019', '\u2018', '`', '\u00b4', '\u02bc':
		return true
	}
	return false
}

// WordEnd returns where the word starting at byte i of text ends. A rune
// inside reports (an apostrophe, say) belongs to the word only when a word
// rune follows it, so "don't" is one word and "mums'" ends before the
// quote.
func WordEnd(text string, i int, inside func(rune) bool) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if IsWordRune(r) {
			i += size
			continue
		}
		if inside(r) && i+size < len(text) {
			if next, _ := utf8.DecodeRuneInString(text[i+size:]); IsWordRune(next) {
				i += size
				continue
			}
		}
		break
	}
	return i
}

// Table maps letters to the plain form they are folded to. The zero Table
// folds nothing.
type Table struct{ folds map[rune]string }

// NewTable returns a table that folds every rune of each value of groups
// to its key: {"a": "àá"} folds "à" and "á" to "a".
func NewTable(groups map[string]string) Table {
	return Table{}.With(groups)
}

// With returns a copy of t that folds groups too (see NewTable); t is
// left as it was.
func (t Table) With(groups map[string]string) Table {
	m := make(map[rune]string, len(t.folds))
	for r, to := range t.folds {
		m[r] = to
	}
	for to, from := range groups {
		for _, r := range from {
			m[r] = to
		}
	}
	return Table{folds: m}
}

// Latin folds accented Latin letters to plain ones: young people type
// names, borrowed words and Polish or Romanian both ways ("café", "cafe";
// "szkoła", "szkola").
var Latin = NewTable(map[string]string{
	"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ďđð", "e": "èéêëēĕėęě", "g": "ĝğġģ",
	"h": "ĥħ", "i": "ìíîïĩīĭįı", "j": "ĵ", "k": "ķ", "l": "ĺļľŀł", "n": "ñńņňŉ",
	"o": "òóôõöøōŏő", "r": "ŕŗř", "s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűų",
	"w": "ŵ", "y": "ýÿŷ", "z": "źżž", "ss": "ß", "ae": "æ", "oe": "œ",
})

// Word lower-cases a written word, drops the runes drop reports and
// combining marks, and folds the letters t knows. It returns "" when more
// than limit runes are left once those are dropped (limit 0: any number).
func (t Table) Word(raw string, drop func(rune) bool, limit int) string {
	var b strings.Builder
	b.Grow(len(raw))
	n := 0
	for _, r := range raw {
		if drop(r) || unicode.In(r, unicode.Mn, unicode.Mc) {
			continue
		}
		if n++; limit > 0 && n > limit {
			return ""
		}
		r = unicode.ToLower(r)
		if f, ok := t.folds[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Elongated reports a letter written three times or more in a row
// ("soooo").
func Elongated(w string) bool {
	var a, b rune = -1, -2
	for _, r := range w {
		if r == a && r == b && unicode.IsLetter(r) {
			return true
		}
		a, b = b, r
	}
	return false
}

// Collapse keeps at most keep letters of any run of three or more:
// Collapse("gooood", 2) is "good", Collapse("gooood", 1) is "god".
func Collapse(w string, keep int) string {
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
