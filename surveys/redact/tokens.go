package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is a word of the text, or a placeholder left by an earlier
// redaction. Rules look at tokens and their neighbours rather than at
// characters, so that "Will" and "will" can be told apart by context.
type token struct {
	start, end int    // byte offsets of the word in the text
	baseEnd    int    // end without a possessive "'s", so "Sarah's" -> "[name]'s"
	norm       string // normWord of the word
	base       string // normWord of text[start:baseEnd]
	mark       string // the kind of a placeholder such as "[name]"; "" for words
	upper      bool   // starts with a capital letter
	shout      bool   // two or more letters, all capitals: case says nothing
	digits     bool   // ASCII digits only
	letters    bool   // has at least one letter
	sentence   bool   // first word of the text or of a sentence
}

// word reports a real word (not a placeholder) that has letters.
func (t token) word() bool { return t.mark == "" && t.letters }

// capital reports a word written with a capital for a reason: not shouted.
func (t token) capital() bool { return t.upper && !t.shout }

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// tokenize splits text into words and placeholders. Anything else (spaces,
// punctuation, emoji, invalid UTF-8) separates words; ".", "!", "?" and
// line breaks also end a sentence.
func tokenize(text string) []token {
	toks := make([]token, 0, len(text)/5+1)
	boundary := true
	for i := 0; i < len(text); {
		if text[i] == '[' {
			if kind, n := placeholderAt(text, i); n > 0 {
				toks = append(toks, token{start: i, end: i + n, baseEnd: i + n, mark: kind})
				boundary = false
				i += n
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r != utf8.RuneError && isWordRune(r) {
			j := wordEnd(text, i)
			toks = append(toks, makeToken(text, i, j, boundary))
			boundary = false
			i = j
			continue
		}
		if r == '.' || r == '!' || r == '?' || r == '\n' {
			boundary = true
		}
		i += size
	}
	return toks
}

// wordEnd returns where the word starting at i ends: letters, digits and
// marks, with apostrophes kept only between letters ("don't", "Mary's").
func wordEnd(text string, i int) int {
	prevLetter := false
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r != utf8.RuneError && isWordRune(r):
			prevLetter = unicode.IsLetter(r)
		case isApostrophe(r) && prevLetter && letterAt(text, i+size):
			prevLetter = false
		default:
			return i
		}
		i += size
	}
	return i
}

func letterAt(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsLetter(r)
}

func makeToken(text string, start, end int, sentence bool) token {
	raw := text[start:end]
	t := token{start: start, end: end, baseEnd: end, sentence: sentence}
	t.norm = normWord(raw)
	t.baseEnd = start + possessiveBase(raw)
	t.base = t.norm
	if t.baseEnd != end {
		t.base = normWord(text[start:t.baseEnd])
	}
	first, _ := utf8.DecodeRuneInString(raw)
	t.upper = unicode.IsUpper(first) || unicode.IsTitle(first)
	letters, capitals, digits := 0, 0, 0
	for _, r := range raw {
		switch {
		case unicode.IsLetter(r):
			letters++
			if unicode.IsUpper(r) {
				capitals++
			}
		case '0' <= r && r <= '9':
			digits++
		}
	}
	t.letters = letters > 0
	t.shout = letters >= 2 && capitals == letters
	t.digits = digits == len(raw)
	return t
}

// possessiveBase returns the length of word without a final "'s".
func possessiveBase(word string) int {
	for _, a := range []string{"'s", "'S", "\u2019s", "\u2019S", "\u02bcs"} {
		if strings.HasSuffix(word, a) && len(word) > len(a) {
			return len(word) - len(a)
		}
	}
	return len(word)
}

// placeholderAt recognises a placeholder this package writes, so that
// redacting a redacted text finds nothing new: "[name]" is not a name.
func placeholderAt(text string, i int) (kind string, n int) {
	for k, p := range placeholders {
		if strings.HasPrefix(text[i:], p) {
			return k, len(p)
		}
	}
	return "", 0
}

// gapBetween returns the text between two tokens.
func gapBetween(text string, a, b token) string {
	if a.end > b.start {
		return ""
	}
	return text[a.end:b.start]
}

// spaced reports a gap of one or two spaces or tabs: the words belong to one
// phrase ("Sarah Jones", "L36 9YU").
func spaced(gap string) bool {
	if len(gap) == 0 || len(gap) > 2 {
		return false
	}
	return strings.Trim(gap, " \t") == ""
}
