package coder

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/textfold"
)

// token is one word, number or emoji of a text, in the form the lexicons
// use, with where it was written so that evidence can quote the original.
type token struct {
	src    string // the word as normalised before text-speak; "" after the first word of an expansion
	norm   string // lower case, folded, squeezed, slang expanded
	text   string // norm, or the known word a misspelt norm was corrected to
	alt    string // the other reading of an elongated word ("soo" for "so"), or ""
	start  int    // byte span of the word in the text as written
	end    int
	clause int  // sentences and clauses split at . ! ? ; : and line breaks
	pause  bool // a comma, bracket, dash or emoji stands just before the token
	emoji  bool
	caps   bool // written in capitals: shouting makes feeling stronger
}

// capText keeps the first surveys.MaxCodeTextLen runes of text: the coder
// reads no more, so a pasted essay costs the same as a long comment.
func capText(text string) string {
	n := 0
	for i := range text {
		if n == surveys.MaxCodeTextLen {
			return text[:i]
		}
		n++
	}
	return text
}

// reading is a text made ready for the lexicons: capped, split into
// tokens, its language guessed and, when it is English (or too short to
// tell), its misspellings corrected.
type reading struct {
	text    string
	toks    []token
	lang    string // the language the text shows, or "" when it is unclear
	english bool   // English or unclear: the lexicons may guess at misspellings
}

func read(text string) reading {
	n := sharedNormaliser()
	// Invalid UTF-8 bytes become spaces: they separate words, and the
	// evidence quoted back is always valid text.
	r := reading{text: strings.ToValidUTF8(capText(text), " ")}
	r.toks = tokenizeWith(n, r.text)
	lang, sure := n.detectLanguage(r.text, r.toks)
	if sure {
		r.lang = lang
	}
	r.english = !sure || lang == "en"
	if r.english {
		n.correct(r.toks)
	}
	return r
}

// tokenizer splits a text into tokens, keeping track of clauses and of
// pauses (commas, brackets, emoji) that end the reach of a negation.
type tokenizer struct {
	n      *normaliser
	text   string
	toks   []token
	clause int
	pause  bool
}

// tokenizeWith splits text into tokens. Invalid UTF-8 bytes are
// separators, so that any input is safe and every span quotes valid text.
func tokenizeWith(n *normaliser, text string) []token {
	z := &tokenizer{n: n, text: text, toks: make([]token, 0, len(text)/4+1)}
	for i := 0; i < len(text); {
		i = z.next(i)
	}
	return z.toks
}

// next reads what starts at byte i and returns where the rest starts.
func (z *tokenizer) next(i int) int {
	r, size := utf8.DecodeRuneInString(z.text[i:])
	switch {
	case r == utf8.RuneError && size <= 1:
		z.pause = true
		return i + 1
	case isWordRune(r):
		j := textfold.WordEnd(z.text, i, isJoiner)
		z.toks = z.n.appendWord(z.toks, z.text[i:j], i, z.clause, z.pause)
		z.pause = false
		return j
	case unicode.Is(unicode.Sc, r):
		// Currency symbols are words of their own: "£7" is about money.
		z.symbol(string(r), i, i+size, false)
		return i + size
	case isEmoji(r):
		z.symbol(string(r), i, i+size, true)
		return i + size
	}
	if face, n := emoticon(z.text[i:]); n > 0 {
		z.symbol(face, i, i+n, true)
		return i + n
	}
	z.punctuation(r)
	return i + size
}

// symbol adds a one-symbol token. An emoji ends a thought like a comma.
func (z *tokenizer) symbol(s string, start, end int, emoji bool) {
	z.toks = append(z.toks, token{norm: s, text: s, start: start, end: end,
		clause: z.clause, pause: z.pause, emoji: emoji})
	z.pause = emoji
}

// punctuation ends a clause (. ! ? ; : line break) or marks a pause. A run
// of marks ("!!!", "...") ends one clause only.
func (z *tokenizer) punctuation(r rune) {
	switch {
	case strings.ContainsRune(".!?;:\n\r", r):
		if len(z.toks) > 0 && z.toks[len(z.toks)-1].clause == z.clause {
			z.clause++
		}
		z.pause = false
	case strings.ContainsRune(",()[]-–—/&+\"", r):
		z.pause = true
	}
}

// isWordRune reports letters, digits and combining marks (Arabic vowel
// signs, decomposed accents): the stuff words are made of.
func isWordRune(r rune) bool { return textfold.IsWordRune(r) }

// isJoiner reports runes that may sit inside a word and are dropped:
// apostrophes ("don't" is "dont") and the zero-width joiners of Arabic script.
func isJoiner(r rune) bool {
	return textfold.IsApostrophe(r) || r == '\u200c' || r == '\u200d' || r == '\u0640'
}

// isEmoji reports pictographs and symbols; skin tones, variation selectors
// and keycaps are not emoji of their own and fall through as separators.
func isEmoji(r rune) bool {
	if r >= 0x1F3FB && r <= 0x1F3FF {
		return false
	}
	return (r >= 0x1F000 && r <= 0x1FAFF) || (r >= 0x2600 && r <= 0x27BF) ||
		r == 0x2B50 || r == 0x2B55 || unicode.Is(unicode.So, r)
}

// emoticons are typed faces; they read as the emoji they stand for.
var emoticons = []struct{ face, emoji string }{
	{":-)", "🙂"}, {":)", "🙂"}, {":-(", "🙁"}, {":(", "🙁"}, {":'(", "😢"},
	{":-D", "😃"}, {":D", "😃"}, {"<3", "❤"}, {"</3", "💔"},
}

func emoticon(s string) (string, int) {
	for _, e := range emoticons {
		if strings.HasPrefix(s, e.face) {
			return e.emoji, len(e.face)
		}
	}
	return "", 0
}

// normWord lower-cases a written word, drops joiners and combining marks
// and folds accented Latin letters and Arabic letter variants, so that
// "Don't", "dont", "szkoła" and "szkola" meet the lexicons in one form.
// Language detection reads the letters before folding.
func normWord(raw string) string {
	ascii := true
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c >= utf8.RuneSelf || c == '\'' || c == '`' || (c >= 'A' && c <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return raw
	}
	return folds.Word(raw, isDropped, 0)
}

// isDropped reports the runes normWord drops besides combining marks.
func isDropped(r rune) bool { return isJoiner(r) || r == utf8.RuneError }

// folds maps letters with accents to plain ones (young people often type
// Polish or Romanian without them) and Arabic letter variants to one form.
var folds = textfold.Latin.With(map[string]string{"th": "þ", "е": "ё", "ا": "أإآٱ", "ي": "ى", "ه": "ة"})

// isCaps reports a word written in capitals, two letters or more.
func isCaps(raw string) bool {
	upper := 0
	for _, r := range raw {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return upper >= 2
}

// squeeze shortens letters repeated three times or more ("soooo",
// "happpy", "lovvve"). Runs become two letters when that makes a known word
// ("gooood" is "good"), otherwise one ("soooo" is "so"); the other reading
// is kept in alt for codebook words the shared lexicons do not know.
func squeeze(w string, known func(string) bool) (text, alt string) {
	if !textfold.Elongated(w) {
		return w, ""
	}
	two, one := textfold.Collapse(w, 2), textfold.Collapse(w, 1)
	if known(two) {
		return two, one
	}
	return one, two
}
