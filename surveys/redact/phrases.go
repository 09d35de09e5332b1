package redact

import "strings"

// trie holds the council's phrases as sequences of normalised words, so
// that one walk from each word of a text finds the longest phrase starting
// there, however many phrases there are.
type trie struct{ root *trieNode }

type trieNode struct {
	next map[string]*trieNode
	kind string // set where a phrase ends
}

// maxVariants bounds the spellings stored for one phrase, which doubles
// with each possessive word.
const maxVariants = 8

func newTrie() *trie { return &trie{root: &trieNode{}} }

// add stores phrase under kind, unless it is already there under another.
// A possessive word is stored with and without its "s", so "St Mary's"
// also matches "st marys" and "St Mary".
func (t *trie) add(phrase, kind string) {
	nodes := []*trieNode{t.root}
	for _, tok := range tokenize(phrase) {
		if tok.mark != "" {
			continue
		}
		keys := []string{tok.norm}
		if tok.base != tok.norm && len(nodes) < maxVariants {
			keys = append(keys, tok.base)
		}
		var next []*trieNode
		for _, n := range nodes {
			for _, k := range keys {
				next = append(next, n.child(k))
			}
		}
		nodes = next
	}
	for _, n := range nodes {
		if n != t.root && n.kind == "" {
			n.kind = kind
		}
	}
}

func (n *trieNode) child(key string) *trieNode {
	if n.next == nil {
		n.next = map[string]*trieNode{}
	}
	c, ok := n.next[key]
	if !ok {
		c = &trieNode{}
		n.next[key] = c
	}
	return c
}

// find proposes the longest phrase starting at each word; with capitals,
// only phrases whose words are all capitalised in the text.
func (t *trie) find(text string, toks []token, capitals bool, c *candidates) {
	for i := range toks {
		if end, kind := t.longest(text, toks, i, capitals); end > 0 {
			c.add(kind, toks[i].start, end, rankList)
		}
	}
}

// longest walks the trie from toks[i]; words of a phrase may be separated
// by spaces, a hyphen or a full stop ("St. Mary's", "Stockbridge-Village").
func (t *trie) longest(text string, toks []token, i int, capitals bool) (end int, kind string) {
	n := t.root
	for j := i; j < len(toks); j++ {
		tok := toks[j]
		if tok.mark != "" || j > i && !phraseGap(gapBetween(text, toks[j-1], tok)) {
			break
		}
		if capitals && !tok.upper && !connectorWords[tok.norm] && tok.norm != "st" {
			break
		}
		next, e := n.next[tok.norm], tok.end
		if next == nil && tok.base != tok.norm {
			next, e = n.next[tok.base], tok.baseEnd
		}
		if next == nil {
			break
		}
		n = next
		if n.kind != "" {
			end, kind = e, n.kind
		}
		if e != tok.end {
			break // "Kirkby's": the phrase cannot go on after a possessive
		}
	}
	return end, kind
}

func phraseGap(gap string) bool {
	return len(gap) > 0 && len(gap) <= 3 && strings.Trim(gap, " \t-.") == ""
}

// shortSchoolName returns what people call a school in passing: its name
// without "The" and the generic words after it ("St Mary's Catholic
// Primary" -> "St Mary's"), or "" when nothing specific would be left.
func shortSchoolName(school string) string {
	toks := tokenize(school)
	first, last := 0, len(toks)-1
	if len(toks) > 0 && toks[0].norm == "the" {
		first = 1
	}
	for last >= first && (toks[last].mark != "" || genericSchoolWords[toks[last].norm]) {
		last--
	}
	named := false
	for _, t := range toks[first : last+1] {
		if !genericSchoolWords[t.norm] && !genericSchoolWords[t.base] {
			named = true
		}
	}
	if !named || first == 0 && last == len(toks)-1 {
		return ""
	}
	return school[toks[first].start:toks[last].end]
}
