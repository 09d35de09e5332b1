package coder

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
)

//go:embed english.txt
var englishTxt string

//go:embed slang.txt
var slangTxt string

// normaliser holds what every text needs before any lexicon reads it:
// text-speak, the words known to be real (so they are neither squeezed
// wrongly nor "corrected"), and a speller for the rest. It is built once,
// on first use, from the embedded lists and is read-only after that, so
// Coders share it freely across goroutines.
type normaliser struct {
	slang   map[string][]string
	known   map[string]bool
	english map[string]bool
	speller *fuzzyIndex
}

var sharedNormaliser = sync.OnceValue(buildNormaliser)

func buildNormaliser() *normaliser {
	n := &normaliser{slang: parseSlang(slangTxt), known: map[string]bool{}, english: map[string]bool{}}
	for _, w := range fields(englishTxt) {
		n.english[w] = true
		n.known[w] = true
	}
	for from, to := range n.slang {
		n.known[from] = true
		for _, w := range to {
			n.known[w] = true
		}
	}
	// Words of the other lexicons are real words too: the speller may
	// correct towards them ("lonley" -> "lonely") and must not correct
	// them away. Syntax characters of the lexicon files fall out here.
	for _, src := range []string{sentimentTxt, safeguardingTxt, codebookJSON} {
		for _, w := range strings.FieldsFunc(src, notWordByte) {
			if w = normWord(w); w != "" && !isNumber(w) {
				n.known[w] = true
			}
		}
	}
	targets := make([]string, 0, len(n.known))
	for w := range n.known {
		if _, isSlang := n.slang[w]; !isSlang {
			targets = append(targets, w)
		}
	}
	slices.Sort(targets)
	n.speller = newFuzzyIndex(targets)
	return n
}

// notWordByte splits lexicon files into candidate words: anything but
// letters, digits and apostrophes separates.
func notWordByte(r rune) bool {
	return !isWordRune(r) && !isJoiner(r)
}

// fields returns the words of a list file, skipping # comments.
func fields(src string) []string {
	var out []string
	for _, line := range strings.Split(src, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		out = append(out, strings.Fields(line)...)
	}
	return out
}

// parseSlang reads "from = to words" lines.
func parseSlang(src string) map[string][]string {
	m := map[string][]string{}
	for _, line := range strings.Split(src, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		from, to, ok := strings.Cut(line, "=")
		from, to = strings.TrimSpace(from), strings.TrimSpace(to)
		if !ok || from == "" || to == "" {
			continue
		}
		m[normWord(from)] = strings.Fields(to)
	}
	return m
}

// isKnown reports a word, or a base form of it, in the known lists.
func (n *normaliser) isKnown(w string) bool {
	var buf [4]string
	for _, f := range forms(buf[:0], w) {
		if n.known[f] {
			return true
		}
	}
	return false
}

// appendWord normalises one written word into one or more tokens: a
// text-speak word becomes the words it stands for, all quoting the same
// original span.
func (n *normaliser) appendWord(toks []token, raw string, start, clause int, pause bool) []token {
	w := normWord(raw)
	if w == "" {
		return toks
	}
	t := token{start: start, end: start + len(raw), clause: clause, pause: pause, caps: isCaps(raw)}
	w, t.alt = squeeze(w, n.isKnown)
	t.src = w
	if exp, ok := n.slang[w]; ok {
		for k, e := range exp {
			x := t
			x.norm, x.text = e, e
			if k > 0 {
				x.pause, x.alt, x.src = false, "", ""
			}
			toks = append(toks, x)
		}
		return toks
	}
	t.norm, t.text = w, w
	return append(toks, t)
}

// correct sets the text of each unknown word of five letters or more to
// the known word one edit away, if there is one ("lonley" -> "lonely",
// "sucide" -> "suicide"). The word as written stays in norm.
func (n *normaliser) correct(toks []token) {
	for i := range toks {
		t := &toks[i]
		if t.emoji || t.norm != t.text || isNumber(t.norm) || n.isKnown(t.norm) {
			continue
		}
		if fix, ok := n.speller.lookup(t.norm); ok {
			t.text = fix
		}
	}
}

// words returns the normalised words of a lexicon entry, with text-speak
// expanded the same way as in comments but no spelling correction.
func (n *normaliser) words(s string) []string {
	toks := tokenizeWith(n, s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.norm
	}
	return out
}

func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}
