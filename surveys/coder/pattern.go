package coder

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// A pattern is a small sequence over normalised words, written one
// element per space-separated field:
//
//	word        the word itself
//	stem*       any word starting with stem
//	a|b*|@cls   any of these; @cls names a word class defined in the file
//	?elem       the element may be missing
//	~N          up to N words of anything
//	#adult      a number from 18 to 99 (an age)
//	$           the end of the clause
//
// Patterns never cross a sentence (. ! ? ; : or a line break), because a
// disclosure and its object are said together.
type pattern struct {
	kinds []surveys.RiskKind
	elems []pelem
	src   string
}

type pelem struct {
	alts []palt
	opt  bool
	gap  int // > 0: skip 0..gap words
	end  bool
}

type palt struct {
	word  string
	stem  bool
	adult bool
}

// patternSet indexes patterns by their first element, so only the few
// patterns that can start at a word are tried there.
type patternSet struct {
	pats     []pattern
	first    map[string][]int
	stems    map[string][]int
	stemLens []int
	adults   []int // patterns that start with #adult
}

// parsePatterns reads lines "kind[,kind]: elements" and "@class = a|b|c".
// Kind "idiom" marks phrases that only sound like harm ("dying of
// laughter"); they mask the words they cover.
func parsePatterns(src string) (*patternSet, error) {
	ps := newPatternSet()
	classes := map[string][]string{}
	for n, line := range strings.Split(src, "\n") {
		if i := strings.Index(line, "#"); i >= 0 && !strings.HasPrefix(line[i:], "#adult") {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if name, alts, ok := strings.Cut(line, "="); ok && strings.HasPrefix(line, "@") {
			classes[strings.TrimSpace(name)] = strings.Split(strings.Join(strings.Fields(alts), ""), "|")
			continue
		}
		p, err := parsePattern(line, classes)
		if err != nil {
			return nil, fmt.Errorf("safeguarding patterns line %d: %w", n+1, err)
		}
		ps.add(p)
	}
	return ps, nil
}

func parsePattern(line string, classes map[string][]string) (pattern, error) {
	head, body, ok := strings.Cut(line, ":")
	if !ok {
		return pattern{}, fmt.Errorf("want \"kind: pattern\", got %q", line)
	}
	p := pattern{src: strings.TrimSpace(body)}
	for _, k := range strings.Split(head, ",") {
		p.kinds = append(p.kinds, surveys.RiskKind(strings.TrimSpace(k)))
	}
	for _, f := range strings.Fields(body) {
		e, err := parseElem(f, classes)
		if err != nil {
			return pattern{}, fmt.Errorf("%q: %w", p.src, err)
		}
		p.elems = append(p.elems, e)
	}
	if len(p.elems) == 0 || p.elems[0].opt || p.elems[0].gap > 0 || p.elems[0].end {
		return pattern{}, fmt.Errorf("%q must start with a word", p.src)
	}
	if last := p.elems[len(p.elems)-1]; last.gap > 0 {
		return pattern{}, fmt.Errorf("%q must not end with a gap", p.src)
	}
	return p, nil
}

func parseElem(f string, classes map[string][]string) (pelem, error) {
	var e pelem
	if strings.HasPrefix(f, "~") {
		n, err := strconv.Atoi(f[1:])
		if err != nil || n < 1 {
			return e, fmt.Errorf("gap %q: want ~N with N >= 1", f)
		}
		e.gap = n
		return e, nil
	}
	if f == "$" {
		e.end = true
		return e, nil
	}
	if strings.HasPrefix(f, "?") {
		e.opt, f = true, f[1:]
	}
	for _, a := range strings.Split(f, "|") {
		words := []string{a}
		if strings.HasPrefix(a, "@") {
			ws, ok := classes[a]
			if !ok {
				return e, fmt.Errorf("unknown class %s", a)
			}
			words = ws
		}
		for _, w := range words {
			switch {
			case w == "":
				return e, fmt.Errorf("empty alternative in %q", f)
			case w == "#adult":
				e.alts = append(e.alts, palt{adult: true})
			case strings.HasSuffix(w, "*"):
				e.alts = append(e.alts, palt{word: strings.TrimSuffix(w, "*"), stem: true})
			default:
				e.alts = append(e.alts, palt{word: w})
			}
		}
	}
	return e, nil
}

func newPatternSet() *patternSet {
	return &patternSet{first: map[string][]int{}, stems: map[string][]int{}}
}

func (ps *patternSet) add(p pattern) {
	id := len(ps.pats)
	ps.pats = append(ps.pats, p)
	for _, a := range p.elems[0].alts {
		switch {
		case a.adult:
			ps.adults = append(ps.adults, id)
		case a.stem:
			ps.stems[a.word] = append(ps.stems[a.word], id)
			if !slices.Contains(ps.stemLens, len(a.word)) {
				ps.stemLens = append(ps.stemLens, len(a.word))
				slices.Sort(ps.stemLens)
			}
		default:
			ps.first[a.word] = append(ps.first[a.word], id)
		}
	}
}

// hit is a pattern found in tokens [start, end).
type hit struct {
	pat        int
	start, end int
}

// find returns the hits of every pattern in toks that passes keep.
func (ps *patternSet) find(toks []token, keep func(start, end int) bool) []hit {
	var hits []hit
	var cands []int
	for i := range toks {
		cands = ps.candidates(cands[:0], &toks[i])
		for k, id := range cands {
			if slices.Contains(cands[:k], id) {
				continue
			}
			if end := ps.pats[id].matchAt(toks, 0, i, toks[i].clause); end > i && keep(i, end) {
				hits = append(hits, hit{pat: id, start: i, end: end})
			}
		}
	}
	return hits
}

// candidates lists patterns whose first element may match t.
func (ps *patternSet) candidates(dst []int, t *token) []int {
	for _, w := range uniq2(t.text, t.norm) {
		dst = append(dst, ps.first[w]...)
		for _, n := range ps.stemLens {
			if n <= len(w) {
				dst = append(dst, ps.stems[w[:n]]...)
			}
		}
	}
	if isNumber(t.text) {
		dst = append(dst, ps.adults...)
	}
	return dst
}

// matchAt matches elements from k at token i and returns the end of the
// match, or -1. Gaps and optional elements backtrack; patterns are short
// so the search is small.
func (p *pattern) matchAt(toks []token, k, i, clause int) int {
	if k == len(p.elems) {
		return i
	}
	e := &p.elems[k]
	switch {
	case e.gap > 0:
		for g := 0; g <= e.gap && i+g <= len(toks); g++ {
			if g > 0 && toks[i+g-1].clause != clause {
				break
			}
			if end := p.matchAt(toks, k+1, i+g, clause); end >= 0 {
				return end
			}
		}
		return -1
	case e.end:
		if i == len(toks) || toks[i].clause != clause {
			return p.matchAt(toks, k+1, i, clause)
		}
		return -1
	}
	if i < len(toks) && toks[i].clause == clause && e.matches(&toks[i]) {
		if end := p.matchAt(toks, k+1, i+1, clause); end >= 0 {
			return end
		}
	}
	if e.opt {
		return p.matchAt(toks, k+1, i, clause)
	}
	return -1
}

func (e *pelem) matches(t *token) bool {
	for _, a := range e.alts {
		switch {
		case a.adult:
			if n, err := strconv.Atoi(t.text); err == nil && n >= 18 && n <= 99 {
				return true
			}
		case a.stem:
			if strings.HasPrefix(t.text, a.word) || strings.HasPrefix(t.norm, a.word) {
				return true
			}
		case t.text == a.word || t.norm == a.word:
			return true
		}
	}
	return false
}
