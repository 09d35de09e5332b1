package profanity

import (
	"slices"
	"strings"

	"github.com/heard-app/heard/surveys/textfold"
)

// MaxTextBytes is the most of a text Check reads: 8 KiB, four times the
// longest post a session accepts (500 characters of up to four bytes). A
// longer text is held whatever it says, so that nothing long goes on the
// projector unread, and the work Check does stays bounded.
const MaxTextBytes = 8 << 10

// minSpelt is the fewest letters spelt out one by one ("f u c k") that are
// put back together as a word. Two would join too much ("I a" is "ia").
const minSpelt = 3

// Result says whether a post waits for a facilitator, and why.
type Result struct {
	// Hold is true when the post should not be shown before a facilitator
	// has read it.
	Hold bool
	// Terms are the listed words found, each once, in list form ("fuck"
	// for "F.U.C.K" or "fuuuking"), sorted. They are words from the list, not
	// the post, but they still tell what a young person wrote: show them to
	// the facilitator, never log them.
	Terms []string
	// TooLong is true when the text is longer than MaxTextBytes: held
	// whatever it says, and checked only as far as MaxTextBytes.
	TooLong bool
}

// Reason says why a post is held, for the facilitator's console; "" when
// it is not held.
func (r Result) Reason() string {
	var parts []string
	if r.TooLong {
		parts = append(parts, "too long to check in full")
	}
	if len(r.Terms) > 0 {
		parts = append(parts, "contains a word on the profanity list ("+strings.Join(r.Terms, ", ")+")")
	}
	return strings.Join(parts, "; ")
}

// Check reads a post and says whether it should be held for a facilitator.
// It is safe for concurrent use.
func Check(text string) Result {
	text, cut := prepare(text)
	c := checker{l: compiled}
	c.pieces = split(text, make([]piece, 0, len(text)/4+1))
	c.run()
	r := Result{Terms: c.found, TooLong: cut}
	r.Hold = cut || len(r.Terms) > 0
	slices.Sort(r.Terms)
	return r
}

// checker holds the work of one Check.
type checker struct {
	l      *lists
	pieces []piece
	folded []string // each piece folded
	found  []string
	buf    []string // readings of the word being checked
}

// run checks each piece, then the pieces put back together: runs of single
// letters ("f u c k") and words broken by punctuation alone ("sh-it").
func (c *checker) run() {
	c.folded = make([]string, len(c.pieces))
	for i, p := range c.pieces {
		c.folded[i] = fold(p.raw)
		c.word(c.folded[i], true)
	}
	c.joinSpelt()
	c.joinBroken()
}

// joinSpelt checks runs of minSpelt or more one-letter pieces as one word,
// and each stretch of such a run ("you are a t w a t": "twat" in "atwat").
func (c *checker) joinSpelt() {
	var b strings.Builder
	n := 0
	flush := func() {
		if n >= minSpelt {
			c.word(b.String(), true)
			c.stretches(b.String())
		}
		b.Reset()
		n = 0
	}
	for _, f := range c.folded {
		if !isSingle(f) {
			flush()
			continue
		}
		b.WriteString(f)
		n++
	}
	flush()
}

// stretches looks up every stretch of minSpelt letters or more of a spelt
// run, in each of its readings, among the listed forms. It reads no stretch
// longer than the longest form, so a long run costs time in proportion to
// its length.
func (c *checker) stretches(spelt string) {
	c.buf = readings(spelt, c.buf[:0])
	for _, w := range c.buf {
		for i := 0; i < len(w); i++ {
			for j := i + minSpelt; j <= len(w) && j-i <= c.l.longest; j++ {
				if t, ok := c.l.exact[w[i:j]]; ok && !c.l.allow[w[i:j]] {
					c.add(t)
				}
			}
		}
	}
}

// add records a listed term found.
func (c *checker) add(t string) {
	if !slices.Contains(c.found, t) {
		c.found = append(c.found, t)
	}
}

// isSingle reports a piece of one letter, digit or symbol.
func isSingle(f string) bool {
	n := 0
	for range f {
		if n++; n > 1 {
			return false
		}
	}
	return n == 1
}

// joinBroken checks pieces joined by punctuation with no space ("sh-it",
// "fu_ck") as one word. It does not look inside the joined word for the
// strongest terms: phones make "sad.this hit me" of a missing space, and
// "sadthishit" is not swearing.
func (c *checker) joinBroken() {
	var b strings.Builder
	n := 0
	flush := func() {
		if n >= 2 {
			c.word(b.String(), false)
		}
		b.Reset()
		n = 0
	}
	for i, p := range c.pieces {
		if p.afterSpace {
			flush()
		}
		b.WriteString(c.folded[i])
		n++
	}
	flush()
}

// word checks one folded word in each of its readings; inside says
// whether to look for the strongest terms inside it. A word that reads as an
// allowed word in any reading is never held.
func (c *checker) word(folded string, inside bool) {
	c.buf = readings(folded, c.buf[:0])
	for _, w := range c.buf {
		if c.l.allow[w] {
			return
		}
	}
	for _, w := range c.buf {
		if t, ok := c.l.match(w, inside); ok {
			c.add(t)
			return
		}
	}
}

// match returns the listed term a plain word matches, if any, looking
// inside it for the strongest terms when inside is set.
func (l *lists) match(w string, inside bool) (string, bool) {
	if t, ok := l.exact[w]; ok {
		return t, true
	}
	// A word held down ("piiiisssss") is stretched on purpose, so every
	// doubled letter may be one: compare it with the skeletons of terms
	// that have doubles. Ordinary doubled letters ("annals") are not.
	if textfold.Elongated(w) {
		if t, ok := l.skeleton[collapseAll(w)]; ok {
			return t, true
		}
	}
	for _, n := range l.prefixLens {
		if n >= len(w) {
			break
		}
		if t, ok := l.prefix[w[:n]]; ok {
			return t, true
		}
	}
	if inside {
		if t, ok := l.inside(w); ok {
			return t, true
		}
	}
	if strings.IndexByte(w, '*') > 0 {
		return l.matchMasked(w)
	}
	return "", false
}

// inside returns a term of the anywhere list that w contains, once the
// allowed words in it are blanked out ("Scunthorpe", "sniggering"). Doubled
// letters are read as one too ("fuuckwit").
func (l *lists) inside(w string) (string, bool) {
	if t, ok := l.contains(w); ok {
		return t, true
	}
	if hasDoubled(w) {
		return l.contains(collapseAll(w))
	}
	return "", false
}

func (l *lists) contains(w string) (string, bool) {
	if len(w) < l.shortestAnywhere {
		return "", false
	}
	for _, t := range l.anywhere {
		if strings.Contains(w, t) && strings.Contains(l.blanked(w), t) {
			return t, true
		}
	}
	return "", false
}

// blanked returns w with every allowed word and false positive in it
// replaced by '#', so that what is left cannot join across them.
func (l *lists) blanked(w string) string {
	for _, a := range l.blank {
		if strings.Contains(w, a) {
			w = strings.ReplaceAll(w, a, strings.Repeat("#", len(a)))
		}
	}
	return w
}

// matchMasked matches a word written with stars for letters ("f*ck",
// "b***h"): each star stands for one letter, and there may be at most one
// star more than letters, so "f***", "***" and "a*" match nothing.
func (l *lists) matchMasked(w string) (string, bool) {
	stars := strings.Count(w, "*")
	if len(w)-stars < 1 || len(w) < 3 || stars > len(w)-stars+1 {
		return "", false
	}
	for _, form := range l.masked[len(w)] {
		if fitsMask(w, form) {
			return l.exact[form], true
		}
	}
	return "", false
}

func fitsMask(mask, form string) bool {
	for i := 0; i < len(mask); i++ {
		if mask[i] != '*' && mask[i] != form[i] {
			return false
		}
	}
	return true
}
