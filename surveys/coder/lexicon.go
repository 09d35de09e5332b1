package coder

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// entry is one word or phrase of a lexicon as an analyst wrote it
// ("foster carer", "bully*", "our kid"), with what it stands for: a theme
// for the codebook, a score for the sentiment lexicon.
type entry struct {
	text    string
	payload int32
}

// phraseIndex finds the entries of a lexicon in a text. It is compiled
// once, so coding a voice costs a few map probes per word whatever the
// size of the lexicon, and it works for any words an analyst adds.
//
// Words are grouped in classes: a word and its inflections ("bus",
// "buses") are one class, so an entry matches either. An entry ending in
// "*" matches any word starting with it. A word of five letters or more
// that is not a real word is matched at one edit ("frends", "teecher").
type phraseIndex struct {
	vocab    map[string]int32   // word form -> class
	firsts   map[int32][]int32  // class of a phrase's first word -> phrases
	stems    map[string][]int32 // stem of a phrase's first word -> phrases
	stemLens []int              // byte lengths of first-word stems, ascending
	phrases  []phrase
	speller  *fuzzyIndex // over the words of the lexicon
	norm     *normaliser
	inflect  bool // match inflected forms of the words ("buses" for "bus")
}

// phrase is a compiled entry: a sequence of word classes and stems.
type phrase struct {
	elems   []elem
	payload int32
}

// elem is one word of a phrase: a class, or (class < 0) a stem.
type elem struct {
	class int32
	stem  string
}

// match is an entry found in a text: tokens [start, end).
type match struct {
	payload    int32
	start, end int
	fuzzy      bool // a word was matched by spelling correction
	stem       bool // a word was matched by a stem
}

func newPhraseIndex(n *normaliser, entries []entry, inflect bool) *phraseIndex {
	x := &phraseIndex{vocab: map[string]int32{}, firsts: map[int32][]int32{},
		stems: map[string][]int32{}, norm: n, inflect: inflect}
	var exact []string
	for _, e := range entries {
		p, words := x.compile(e)
		if len(p.elems) == 0 {
			continue
		}
		exact = append(exact, words...)
		id := int32(len(x.phrases))
		x.phrases = append(x.phrases, p)
		if first := p.elems[0]; first.class >= 0 {
			x.firsts[first.class] = append(x.firsts[first.class], id)
		} else {
			x.stems[first.stem] = append(x.stems[first.stem], id)
		}
	}
	for s := range x.stems {
		if !slices.Contains(x.stemLens, len(s)) {
			x.stemLens = append(x.stemLens, len(s))
		}
	}
	slices.Sort(x.stemLens)
	slices.Sort(exact)
	x.speller = newFuzzyIndex(slices.Compact(exact))
	return x
}

// compile turns an entry into a phrase. Words go through the same
// normalisation as comments, so "don't" and "sw" in a codebook mean what
// they mean in a comment. "*" may end any word of the entry.
func (x *phraseIndex) compile(e entry) (phrase, []string) {
	p := phrase{payload: e.payload}
	var exact []string
	for _, part := range strings.Fields(e.text) {
		stem := strings.HasSuffix(part, "*")
		ws := x.norm.words(strings.TrimRight(part, "*"))
		for k, w := range ws {
			if stem && k == len(ws)-1 {
				p.elems = append(p.elems, elem{class: -1, stem: w})
				continue
			}
			p.elems = append(p.elems, elem{class: x.classOf(w)})
			exact = append(exact, w)
		}
	}
	return p, exact
}

// classOf returns the class of a lexicon word, joining it to the class of
// a word that is its singular or plural, and registers its forms.
func (x *phraseIndex) classOf(w string) int32 {
	var buf [4]string
	fs := append(buf[:0], w)
	if x.inflect {
		fs = plurals(buf[:0], w)
	}
	id, found := int32(-1), false
	for _, f := range fs {
		if c, ok := x.vocab[f]; ok {
			id, found = c, true
			break
		}
	}
	if !found {
		id = int32(len(x.vocab))
	}
	for _, f := range fs {
		if _, ok := x.vocab[f]; !ok {
			x.vocab[f] = id
		}
	}
	return id
}

// resolve gives each token its word class (-1 for none) and whether the
// class was found by spelling correction (only when spell is set).
func (x *phraseIndex) resolve(toks []token, cls []int32, fuzzy []bool, spell bool) {
	for i := range toks {
		cls[i], fuzzy[i] = x.classOfToken(&toks[i], spell)
	}
}

func (x *phraseIndex) classOfToken(t *token, fuzzy bool) (int32, bool) {
	var buf [4]string
	for k, w := range [...]string{t.norm, t.alt, t.text} {
		if w == "" || (k == 2 && !fuzzy) {
			continue
		}
		fs := append(buf[:0], w)
		if x.inflect {
			fs = forms(buf[:0], w)
		}
		for _, f := range fs {
			if c, ok := x.vocab[f]; ok {
				return c, false
			}
		}
	}
	if !fuzzy || t.emoji || utf8.RuneCountInString(t.norm) < fuzzyMinLen || x.norm.isKnown(t.norm) {
		return -1, false
	}
	if fix, ok := x.speller.lookup(t.norm); ok {
		return x.vocab[fix], true
	}
	return -1, false
}

// find returns every entry found in toks, with entries inside a longer
// one dropped ("worker" inside "social worker", "credit" inside
// "universal credit"), in text order. spell turns on matching misspelt
// words; it is for English text only, where the lexicon's words are the
// likely intent ("Polsce" is Polish, not a misspelling of "police").
func (x *phraseIndex) find(toks []token, spell bool) []match {
	if len(toks) == 0 || len(x.phrases) == 0 {
		return nil
	}
	cls := make([]int32, len(toks))
	fuzzy := make([]bool, len(toks))
	x.resolve(toks, cls, fuzzy, spell)
	var ms []match
	for i := range toks {
		if cls[i] >= 0 {
			for _, id := range x.firsts[cls[i]] {
				ms = x.try(ms, id, toks, cls, fuzzy, i)
			}
		}
		for _, n := range x.stemLens {
			for _, w := range uniq2(toks[i].norm, toks[i].text) {
				if n <= len(w) {
					for _, id := range x.stems[w[:n]] {
						ms = x.try(ms, id, toks, cls, fuzzy, i)
					}
				}
			}
		}
	}
	return outermost(ms)
}

// uniq2 returns a and b, or only a when they are equal.
func uniq2(a, b string) []string {
	if a == b {
		return []string{a}
	}
	return []string{a, b}
}

// try records phrase id if it matches the tokens from i, within a clause.
func (x *phraseIndex) try(ms []match, id int32, toks []token, cls []int32, fuzzy []bool, i int) []match {
	p := &x.phrases[id]
	if i+len(p.elems) > len(toks) {
		return ms
	}
	m := match{payload: p.payload, start: i, end: i + len(p.elems)}
	for k, e := range p.elems {
		t := &toks[i+k]
		if t.clause != toks[i].clause {
			return ms
		}
		if e.class >= 0 {
			if cls[i+k] != e.class {
				return ms
			}
			m.fuzzy = m.fuzzy || fuzzy[i+k]
			continue
		}
		if !strings.HasPrefix(t.norm, e.stem) && !strings.HasPrefix(t.text, e.stem) {
			return ms
		}
		m.stem = true
	}
	return append(ms, m)
}

// outermost drops matches that lie inside a longer match and duplicates,
// and sorts the rest by position then payload, so results never depend on
// the order lexicon entries were found in.
func outermost(ms []match) []match {
	slices.SortFunc(ms, func(a, b match) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end),
			cmp.Compare(a.payload, b.payload), boolCmp(a.fuzzy, b.fuzzy), boolCmp(a.stem, b.stem))
	})
	out := make([]match, 0, len(ms))
	keep := covered(len(ms), func(i int) (int, int) { return ms[i].start, ms[i].end })
	for i, m := range ms {
		if i > 0 && m.start == ms[i-1].start && m.end == ms[i-1].end && m.payload == ms[i-1].payload {
			continue
		}
		if keep[i] {
			out = append(out, m)
		}
	}
	return out
}

// covered reports, for spans sorted by start then longest first, which
// are not inside a longer span. One sweep: a span is inside a longer one
// when an earlier-starting span reaches as far, or the first span with
// the same start reaches further.
func covered(n int, span func(int) (int, int)) []bool {
	keep := make([]bool, n)
	reach, groupStart, groupEnd := -1, -1, -1
	prevReach := -1
	for i := 0; i < n; i++ {
		start, end := span(i)
		if start != groupStart {
			prevReach = max(prevReach, reach)
			groupStart, groupEnd = start, end
		}
		keep[i] = prevReach < end && groupEnd <= end
		reach = max(reach, end)
	}
	return keep
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
