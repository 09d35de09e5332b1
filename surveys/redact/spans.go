package redact

import (
	"slices"
	"strings"
)

// span is a stretch of text that a rule wants to replace.
type span struct {
	kind       string
	start, end int
	rank       int // breaks a tie between spans of equal extent; lower wins
}

// Ranks: the council's own lists are the most certain, then patterns with a
// fixed shape, then names found from context.
const (
	rankList = iota
	rankShape
	rankPattern
	rankContext
)

// candidates collects every rule's proposals; resolve picks among them.
type candidates []span

func (c *candidates) add(kind string, start, end, rank int) {
	if start < end {
		*c = append(*c, span{kind: kind, start: start, end: end, rank: rank})
	}
}

// resolve keeps the longest candidates that do not overlap, the earliest
// first among equals. Longest first means "Jay Halewood Academy" becomes
// "[name] [school]": the school wins over "Jay Halewood", and "Jay", which
// every rule also proposes on its own, fills the gap.
func resolve(text string, c candidates) []span {
	slices.SortStableFunc(c, func(a, b span) int {
		if d := (b.end - b.start) - (a.end - a.start); d != 0 {
			return d
		}
		if a.start != b.start {
			return a.start - b.start
		}
		return a.rank - b.rank
	})
	taken := make([]bool, len(text))
	var chosen []span
	for _, s := range c {
		if free(taken, s.start, s.end) {
			fill(taken, s.start, s.end)
			chosen = append(chosen, s)
		}
	}
	sortByStart(chosen)
	return chosen
}

func free(taken []bool, start, end int) bool {
	return !slices.Contains(taken[start:end], true)
}

func fill(taken []bool, start, end int) {
	for i := start; i < end; i++ {
		taken[i] = true
	}
}

func sortByStart(s []span) {
	slices.SortFunc(s, func(a, b span) int { return a.start - b.start })
}

// apply writes text with each span replaced by its placeholder; spans are
// in order and do not overlap.
func apply(text string, spans []span) string {
	var b strings.Builder
	b.Grow(len(text))
	at := 0
	for _, s := range spans {
		b.WriteString(text[at:s.start])
		b.WriteString(placeholders[s.kind])
		at = s.end
	}
	b.WriteString(text[at:])
	return b.String()
}
