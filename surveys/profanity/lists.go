package profanity

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	goaway "github.com/TwiN/go-away"
)

var (
	//go:embed uk.txt
	ukText string
	//go:embed anywhere.txt
	anywhereText string
	//go:embed skip.txt
	skipText string
	//go:embed allow.txt
	allowText string
)

// minPrefixLen is the length from which a term also matches the start of a
// longer word: "bastardised", "masturbating". Shorter terms start too many
// innocent words ("cocktail", "analysis", "Dickens").
const minPrefixLen = 6

// endings are added to each term: plurals, verb forms, and the compounds
// insults are made of ("dickhead", "fuckface", "shitbag", "fuckwit").
var endings = []string{
	"s", "es", "ed", "er", "ers", "ing", "in", "y", "ie", "ies", "ier", "iest",
	"head", "heads", "hole", "holes", "face", "faces", "bag", "bags",
	"wit", "wits", "wad", "wads",
}

// afterE are the endings that drop a term's final "e" ("raping"); not
// "ier": "rapier" is a sword. afterDouble are those that double its final
// consonant ("shitty", "twatted").
var (
	afterE      = []string{"ing", "in", "ed", "er", "ers"}
	afterDouble = []string{"ing", "in", "ed", "er", "ers", "y", "ier", "iest"}
)

// lists is the compiled word list: maps from each written form to the
// term it comes from, so that Check reports the listed word.
type lists struct {
	exact            map[string]string // a term and the term with each ending
	skeleton         map[string]string // exact forms of terms with a doubled letter, every double made single: "piss" is "pis"
	longest          int               // the length of the longest exact form
	prefix           map[string]string // terms of minPrefixLen letters or more
	prefixLens       []int             // the distinct lengths of prefix's keys
	anywhere         []string          // terms held inside any word
	shortestAnywhere int               // the length of the shortest of them
	allow            map[string]bool   // words never held
	blank            []string          // allowed words and the base list's false positives, blanked before looking inside a word
	masked           map[int][]string  // exact's keys by length, the strongest first, for words written with a star ("f*ck")
}

// compiled is built once, when the package loads. The embedded files are
// part of the program, so a mistake in them stops it at once, and fails
// every test here.
var compiled = mustCompile()

func mustCompile() *lists {
	// Base words dropped as unreadable are reported by TestBaseListFits.
	l, _, err := compile(goaway.DefaultProfanities, goaway.DefaultFalseNegatives, goaway.DefaultFalsePositives)
	if err != nil {
		panic(err)
	}
	return l
}

// term is one listed word and how it matches.
type term struct {
	word      string
	exactOnly bool // "=wtf": the word alone, no endings, no prefix
	anywhere  bool
}

// compile builds the lists from the base list's words (profanities, and
// false negatives matched anywhere), its false positives, and the embedded
// files. Base words that are not plain lower-case letters are dropped and
// returned, so that an update to the base list cannot stop the program; the
// embedded files are ours and must be right.
func compile(base, baseAnywhere, baseAllowed []string) (*lists, []string, error) {
	skip, err := parseWords("skip.txt", skipText)
	if err != nil {
		return nil, nil, err
	}
	skipped := make(map[string]bool, len(skip))
	for _, w := range skip {
		skipped[w] = true
	}
	var terms []term
	var dropped []string
	addBase := func(words []string, anywhere bool) {
		for _, w := range words {
			switch {
			case !isPlainWord(w):
				dropped = append(dropped, w)
			case !skipped[w]:
				terms = append(terms, term{word: w, anywhere: anywhere})
			}
		}
	}
	addBase(base, false)
	addBase(baseAnywhere, true)

	uk, err := parseTerms("uk.txt", ukText)
	if err != nil {
		return nil, nil, err
	}
	anywhere, err := parseWords("anywhere.txt", anywhereText)
	if err != nil {
		return nil, nil, err
	}
	for _, w := range anywhere {
		uk = append(uk, term{word: w, anywhere: true})
	}
	for _, t := range uk {
		if skipped[t.word] {
			return nil, nil, fmt.Errorf("profanity lists: %q is both held and in skip.txt", t.word)
		}
	}
	terms = append(terms, uk...)

	allow, err := parseWords("allow.txt", allowText)
	if err != nil {
		return nil, nil, err
	}
	l := build(terms)
	l.allow = make(map[string]bool, len(allow)+len(skip))
	// A skipped word is never held, even where it looks like a held word
	// with an ending ("minger" is not "minge" + "r").
	for _, w := range skip {
		l.allow[w] = true
	}
	for _, w := range allow {
		if t, ok := l.exact[w]; ok && w == t {
			return nil, nil, fmt.Errorf("profanity lists: %q is both a listed term and in allow.txt", w)
		}
		l.allow[w] = true
		l.blank = append(l.blank, w)
	}
	for _, w := range baseAllowed {
		if isPlainWord(w) {
			l.blank = append(l.blank, w)
		}
	}
	return l, dropped, nil
}

// build makes the lookup tables from the terms.
func build(terms []term) *lists {
	l := &lists{
		exact:    map[string]string{},
		skeleton: map[string]string{},
		prefix:   map[string]string{},
	}
	add := func(form, t string) {
		if _, ok := l.exact[form]; !ok {
			l.exact[form] = t
		}
		if hasDoubled(t) {
			if _, ok := l.skeleton[collapseAll(form)]; !ok {
				l.skeleton[collapseAll(form)] = t
			}
		}
		l.longest = max(l.longest, len(form))
	}
	for _, t := range terms {
		if t.anywhere && !slices.Contains(l.anywhere, t.word) {
			l.anywhere = append(l.anywhere, t.word)
		}
		add(t.word, t.word)
		if t.exactOnly {
			continue
		}
		for _, e := range endings {
			add(t.word+e, t.word)
		}
		// "rape": "raping", "raped"; "whore": "whoring".
		if stem, ok := strings.CutSuffix(t.word, "e"); ok {
			for _, e := range afterE {
				add(stem+e, t.word)
			}
		}
		// "shit": "shitty", "shitting"; "twat": "twatted".
		if doublesLast(t.word) {
			for _, e := range afterDouble {
				add(t.word+t.word[len(t.word)-1:]+e, t.word)
			}
		}
		if len(t.word) >= minPrefixLen {
			if _, ok := l.prefix[t.word]; !ok {
				l.prefix[t.word] = t.word
			}
			if !slices.Contains(l.prefixLens, len(t.word)) {
				l.prefixLens = append(l.prefixLens, len(t.word))
			}
		}
	}
	slices.Sort(l.prefixLens)
	for _, t := range l.anywhere {
		if l.shortestAnywhere == 0 || len(t) < l.shortestAnywhere {
			l.shortestAnywhere = len(t)
		}
	}
	// A star may stand for more than one listed word ("f*ck": "fuck",
	// "feck"); report the strongest, then the first in alphabetical order,
	// so that the answer never depends on map order.
	strongest := func(form string) bool { return slices.Contains(l.anywhere, l.exact[form]) }
	l.masked = map[int][]string{}
	for form := range l.exact {
		l.masked[len(form)] = append(l.masked[len(form)], form)
	}
	for _, forms := range l.masked {
		slices.SortFunc(forms, func(a, b string) int {
			if sa, sb := strongest(a), strongest(b); sa != sb {
				if sa {
					return -1
				}
				return 1
			}
			return strings.Compare(a, b)
		})
	}
	return l
}

// doublesLast reports a word whose last letter is doubled before an ending
// that starts with a vowel: one consonant after one vowel ("shit",
// "twat", "shag").
func doublesLast(w string) bool {
	n := len(w)
	return n >= 2 && !isVowel(w[n-1]) && w[n-1] != 'w' && w[n-1] != 'x' && w[n-1] != 'y' &&
		isVowel(w[n-2]) && (n == 2 || !isVowel(w[n-3]))
}

func isVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

// parseTerms reads a file of terms: one a line, "=" before a term that
// matches alone.
func parseTerms(name, text string) ([]term, error) {
	words, err := parseLines(name, text, true)
	if err != nil {
		return nil, err
	}
	terms := make([]term, 0, len(words))
	for _, w := range words {
		word, exact := strings.CutPrefix(w, "=")
		terms = append(terms, term{word: word, exactOnly: exact})
	}
	return terms, nil
}

// parseWords reads a file of plain words, one a line.
func parseWords(name, text string) ([]string, error) {
	return parseLines(name, text, false)
}

// parseLines returns the words of a list file, skipping blank lines and
// comments. Every word must be lower-case ASCII letters (after an optional
// "=" when marks is set) and appear once.
func parseLines(name, text string, marks bool) ([]string, error) {
	var words []string
	seen := map[string]bool{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word := line
		if marks {
			word = strings.TrimPrefix(word, "=")
		}
		if !isPlainWord(word) {
			return nil, fmt.Errorf("profanity lists: %s line %d: %q is not one word of lower-case letters a-z", name, i+1, line)
		}
		if seen[word] {
			return nil, fmt.Errorf("profanity lists: %s line %d: %q is listed twice", name, i+1, word)
		}
		seen[word] = true
		words = append(words, line)
	}
	return words, nil
}

// isPlainWord reports a word of two or more lower-case ASCII letters: the
// form every word is compared in.
func isPlainWord(w string) bool {
	if len(w) < 2 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}
