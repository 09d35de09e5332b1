package coder

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/heard-app/heard/surveys"
)

//go:embed sentiment.txt
var sentimentTxt string

// sentimentLexicon scores how a voice feels. Feeling words and phrases are
// found with the same phraseIndex as themes (so stems, inflections and
// misspellings work the same), then weighed in order: an intensifier just
// before a word makes it stronger ("dead good"), a negator up to three
// words before turns it round, more weakly for bad words than for good
// ones ("not bad" is mildly good, "not happy" is bad).
type sentimentLexicon struct {
	index    *phraseIndex // payload: index into scores
	scores   []float64
	intens   map[string]float64
	negators map[string]bool
	contrast map[string]bool
	wishes   map[string]bool
}

var sharedSentiment = sync.OnceValue(func() *sentimentLexicon {
	sl, err := parseSentiment(sharedNormaliser(), sentimentTxt)
	if err != nil {
		panic(err) // embedded data, checked by the tests
	}
	return sl
})

func parseSentiment(n *normaliser, src string) (*sentimentLexicon, error) {
	sl := &sentimentLexicon{intens: map[string]float64{}, negators: map[string]bool{},
		contrast: map[string]bool{}, wishes: map[string]bool{}}
	var entries []entry
	for i, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		op, words, ok := strings.Cut(line, " ")
		words = strings.TrimSpace(words)
		if !ok || words == "" {
			return nil, fmt.Errorf("sentiment lexicon line %d: want an operator and words: %q", i+1, line)
		}
		word := strings.Join(n.words(words), " ")
		switch {
		case op == "!":
			sl.negators[word] = true
		case op == "^":
			sl.contrast[word] = true
		case op == "~":
			sl.wishes[word] = true
		case strings.HasPrefix(op, "x"):
			f, err := strconv.ParseFloat(op[1:], 64)
			if err != nil {
				return nil, fmt.Errorf("sentiment lexicon line %d: intensifier %q: %w", i+1, op, err)
			}
			sl.intens[word] = f
		default:
			f, err := strconv.ParseFloat(op, 64)
			if err != nil {
				return nil, fmt.Errorf("sentiment lexicon line %d: score %q: %w", i+1, op, err)
			}
			entries = append(entries, entry{text: words, payload: int32(len(sl.scores))})
			sl.scores = append(sl.scores, f)
		}
	}
	// Exact forms only: the list spells out the forms it means ("liked"
	// is a feeling, "like" mostly is not).
	sl.index = newPhraseIndex(n, entries, false)
	return sl, nil
}

// complaints are negators that make a voice negative even with no
// feeling word to turn round: "she never turns up", "cant get on the bus".
var complaints = map[string]bool{"never": true, "nobody": true, "cant": true, "cannot": true, "couldnt": true}

// judge returns the sentiment of toks. A voice that raised a safeguarding
// flag leans negative: what it tells is bad news whatever its words.
func (sl *sentimentLexicon) judge(r reading, flagged bool) surveys.Sentiment {
	toks := r.toks
	ms := sl.index.find(toks, r.english)
	inMatch := make([]bool, len(toks))
	for _, m := range ms {
		for i := m.start; i < m.end; i++ {
			inMatch[i] = true
		}
	}
	used := make([]bool, len(toks))
	var pos, neg float64
	for k, m := range ms {
		s := sl.scores[m.payload]
		if s == 0 || sl.isIntensifying(toks, ms, k) {
			continue
		}
		s *= sl.boost(toks, m.start)
		if sl.isWish(toks, m.start) {
			s *= wishFactor
		}
		if toks[m.start].caps {
			s *= 1.3
		}
		if j := sl.negatorBefore(toks, m.start, inMatch); j >= 0 {
			used[j] = true
			s = turn(s)
		}
		if notAnymore(toks, m.end) {
			s = turn(s)
		}
		if s > 0 {
			pos += s
		} else {
			neg -= s
		}
	}
	neg += sl.unattached(toks, inMatch, used)
	if flagged {
		neg++
	}
	return decide(pos, neg, sl.hasContrast(toks, inMatch))
}

// wishFactor damps a feeling that is only wished for: "a free gym pass
// would be sound" asks for something; it does not praise anything.
const wishFactor = 0.25

// isWish reports "would", "could" or "should" in the two words before i.
func (sl *sentimentLexicon) isWish(toks []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-2 && toks[j].clause == toks[i].clause; j-- {
		if sl.wishes[toks[j].text] {
			return true
		}
	}
	return false
}

// turn negates a score: "not happy" is nearly as bad as "happy" is good,
// but "not bad" is only a little good.
func turn(s float64) float64 {
	if s > 0 {
		return -0.75 * s
	}
	return -0.5 * s
}

// isIntensifying reports a single-word match that is an intensifier
// standing right before another feeling word: "dead" in "dead good".
func (sl *sentimentLexicon) isIntensifying(toks []token, ms []match, k int) bool {
	m := ms[k]
	if m.end-m.start != 1 || sl.intens[toks[m.start].text] == 0 || k+1 >= len(ms) {
		return false
	}
	next := ms[k+1]
	return next.start == m.end && sl.scores[next.payload] != 0
}

// boost multiplies the intensifiers in the two words before i.
func (sl *sentimentLexicon) boost(toks []token, i int) float64 {
	f := 1.0
	for j := i - 1; j >= 0 && j >= i-2; j-- {
		if toks[j].clause != toks[i].clause || toks[j+1].pause {
			break
		}
		x, ok := sl.intens[toks[j].text]
		if !ok {
			break
		}
		f *= x
	}
	return f
}

// negatorBefore returns the negator up to three words before i in the same
// clause, or -1. A comma or a contrast word ends its reach, and so does a
// determiner not itself negated: in "wont fix the damp" the "wont" belongs
// to "fix", while "not a good day" is still not good.
func (sl *sentimentLexicon) negatorBefore(toks []token, i int, inMatch []bool) int {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		if toks[j].clause != toks[i].clause || toks[j+1].pause || sl.contrast[toks[j].text] {
			return -1
		}
		if sl.negators[toks[j].text] && !inMatch[j] {
			return j
		}
		if determiners[toks[j].text] {
			if j > 0 && sl.negators[toks[j-1].text] && !inMatch[j-1] && !toks[j].pause {
				return j - 1
			}
			return -1
		}
	}
	return -1
}

var determiners = map[string]bool{
	"the": true, "a": true, "an": true, "my": true, "your": true, "his": true, "her": true, "our": true,
	"their": true, "this": true, "that": true, "these": true, "those": true,
}

// notAnymore reports "not anymore" soon after a feeling, in the same
// sentence: "i used to be scared but not anymore" is good news.
func notAnymore(toks []token, end int) bool {
	for j := end; j < len(toks) && j < end+5 && toks[j].clause == toks[end-1].clause; j++ {
		if toks[j].text == "anymore" && j > 0 && (toks[j-1].text == "not" || toks[j-1].text == "no") {
			return true
		}
	}
	return false
}

// unattached weighs complaint words that turned no feeling round.
func (sl *sentimentLexicon) unattached(toks []token, inMatch, used []bool) float64 {
	neg := 0.0
	for i, t := range toks {
		if used[i] || inMatch[i] {
			continue
		}
		next := i+1 < len(toks) && toks[i+1].clause == t.clause
		noOne := t.text == "no" && next && toks[i+1].text == "one"
		// "too" before a word that is no feeling of its own is a
		// complaint: "too fast", "too far", "too early"; "me too" is not.
		tooMuch := t.text == "too" && next && !inMatch[i+1] && !toks[i+1].emoji
		if complaints[t.text] || noOne || tooMuch {
			neg += 0.5
		}
	}
	return neg
}

func (sl *sentimentLexicon) hasContrast(toks []token, inMatch []bool) bool {
	for i, t := range toks {
		if sl.contrast[t.text] && !inMatch[i] && i > 0 {
			return true
		}
	}
	return false
}

// decide turns the weight of good and bad into a sentiment. Both count as
// mixed when the voice sets them against each other ("its ok but its
// awkward") and the weaker is not swamped, or when the weaker is at least
// half the stronger. A lone "ok" is too faint to be anything but neutral.
func decide(pos, neg float64, contrast bool) surveys.Sentiment {
	const floor = 0.3
	lo, hi := min(pos, neg), max(pos, neg)
	switch {
	case contrast && lo >= 0.2 && lo/hi >= 0.15:
		return surveys.Mixed
	case hi < floor:
		return surveys.Neutral
	case lo >= floor && lo/hi >= 0.5:
		return surveys.Mixed
	}
	if pos > neg {
		return surveys.Positive
	}
	return surveys.Negative
}
