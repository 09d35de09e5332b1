package coder

import "unicode/utf8"

// fuzzyMinLen is the shortest word matched at edit distance one. Shorter
// words have too many neighbours ("mate", "math", "male") to guess safely.
const fuzzyMinLen = 5

// fuzzyIndex finds a known word within one edit (insert, delete, change or
// swap of neighbours) of a misspelt one. It is a symmetric-delete index:
// every known word is stored under itself and each one-letter deletion of
// it, built once, so a lookup costs one map probe per letter of the word
// instead of a scan of the lexicon.
type fuzzyIndex struct {
	deletes map[string][]string
	maxLen  int // runes in the longest word: nothing longer by two is near
}

func newFuzzyIndex(words []string) *fuzzyIndex {
	f := &fuzzyIndex{deletes: map[string][]string{}}
	for _, w := range words {
		n := utf8.RuneCountInString(w)
		if n < fuzzyMinLen {
			continue
		}
		f.maxLen = max(f.maxLen, n)
		f.add(w, w)
		for i, r := range w {
			f.add(w[:i]+w[i+utf8.RuneLen(r):], w)
		}
	}
	return f
}

func (f *fuzzyIndex) add(key, w string) {
	for _, have := range f.deletes[key] {
		if have == w {
			return
		}
	}
	f.deletes[key] = append(f.deletes[key], w)
}

// lookup returns the known word one edit from w. When several are, the
// alphabetically first wins, so the answer never depends on map order.
func (f *fuzzyIndex) lookup(w string) (string, bool) {
	if f == nil || !utf8.ValidString(w) {
		return "", false
	}
	if n := utf8.RuneCountInString(w); n < fuzzyMinLen || n > f.maxLen+1 {
		return "", false
	}
	best := ""
	try := func(key string) {
		for _, cand := range f.deletes[key] {
			if cand != w && (best == "" || cand < best) && withinOneEdit(w, cand) {
				best = cand
			}
		}
	}
	try(w)
	for i, r := range w {
		try(w[:i] + w[i+utf8.RuneLen(r):])
	}
	return best, best != ""
}

// withinOneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or swap of neighbouring letters.
func withinOneEdit(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	switch len(ra) - len(rb) {
	case 0:
		return sameLenOneEdit(ra, rb)
	case 1:
		i := 0
		for i < len(rb) && ra[i] == rb[i] {
			i++
		}
		return string(ra[i+1:]) == string(rb[i:])
	}
	return false
}

func sameLenOneEdit(a, b []rune) bool {
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if i == len(a) {
		return true
	}
	if string(a[i+1:]) == string(b[i+1:]) {
		return true
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && string(a[i+2:]) == string(b[i+2:])
}
