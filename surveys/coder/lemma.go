package coder

import "strings"

// forms appends w and the words it may be an inflection of, most likely
// first: "buses" -> bus, "bullied" -> bully, "moving" -> move, "running" ->
// run, "carers" -> carer. It is a lookup lemmatiser, not a stemmer: the
// candidates are only useful when a lexicon knows them, so a wrong guess
// ("caring" -> "car") costs nothing unless it names a real entry, and
// "care" and "car" stay apart. Only plain ASCII words are inflected.
func forms(dst []string, w string) []string {
	dst = append(dst, w)
	n := len(w)
	if n < 4 || !isASCIIWord(w) {
		return dst
	}
	switch {
	case n >= 5 && (strings.HasSuffix(w, "ies") || strings.HasSuffix(w, "ied")):
		dst = append(dst, w[:n-3]+"y")
	case strings.HasSuffix(w, "ing") && n >= 6:
		dst = appendBase(dst, w[:n-3])
	case strings.HasSuffix(w, "ed") && n >= 5:
		dst = appendBase(dst, w[:n-2])
	case strings.HasSuffix(w, "es") && n >= 5 && esPlural(w[:n-2]):
		dst = append(dst, w[:n-2], w[:n-1])
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		dst = append(dst, w[:n-1])
	}
	return dst
}

// appendBase adds the stem left by -ing or -ed: undoubled ("stopp" ->
// stop), with a silent e when the stem ends consonant-vowel-consonant
// ("mov" -> move), or as it is ("listen", "call").
func appendBase(dst []string, base string) []string {
	n := len(base)
	if n < 3 {
		return dst // "thing", "being", "weed": not inflections
	}
	last := base[n-1]
	if base[n-2] == last && !isVowel(last) && !strings.ContainsRune("lsfz", rune(last)) {
		return append(dst, base[:n-1])
	}
	if cvc(base) {
		dst = append(dst, base+"e")
		if n > 3 {
			dst = append(dst, base)
		}
		return dst
	}
	return append(dst, base, base+"e")
}

// esPlural reports stems that take -es: bus-es, box-es, match-es, wish-es.
func esPlural(stem string) bool {
	return strings.HasSuffix(stem, "s") || strings.HasSuffix(stem, "x") || strings.HasSuffix(stem, "z") ||
		strings.HasSuffix(stem, "ch") || strings.HasSuffix(stem, "sh")
}

// cvc reports a stem ending consonant, vowel, consonant (not w, x or y).
func cvc(s string) bool {
	n := len(s)
	if n < 3 {
		return false
	}
	a, b, c := s[n-3], s[n-2], s[n-1]
	return !isVowel(a) && isVowel(b) && !isVowel(c) && !strings.ContainsRune("wxy", rune(c))
}

func isVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// plurals appends w and, when w looks like a plural, its singular: the
// forms a lexicon word is registered under. Only plurals, because a
// lexicon's "feeling" or "chaired" must not match every "feel" or "chair";
// a comment's "bullied" still finds a lexicon's "bully" through forms.
func plurals(dst []string, w string) []string {
	if !strings.HasSuffix(w, "s") {
		return append(dst, w)
	}
	return forms(dst, w)
}
