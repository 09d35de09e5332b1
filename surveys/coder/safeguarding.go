package coder

import (
	"cmp"
	_ "embed"
	"slices"
	"sync"

	"github.com/heard-app/heard/surveys"
)

//go:embed safeguarding.txt
var safeguardingTxt string

// kindIdiom marks patterns that only sound like harm.
const kindIdiom surveys.RiskKind = "idiom"

// safeguards are the parsed patterns: idioms, which mask what they cover,
// and the disclosures themselves.
type safeguards struct {
	idioms, risks *patternSet
}

var sharedSafeguards = sync.OnceValue(func() safeguards {
	all, err := parsePatterns(safeguardingTxt)
	if err != nil {
		panic(err) // embedded data, checked by the tests
	}
	return splitIdioms(all)
})

// splitIdioms separates idiom patterns from disclosure patterns.
func splitIdioms(all *patternSet) safeguards {
	sg := safeguards{idioms: newPatternSet(), risks: newPatternSet()}
	for _, p := range all.pats {
		if slices.Contains(p.kinds, kindIdiom) {
			sg.idioms.add(p)
		} else {
			sg.risks.add(p)
		}
	}
	return sg
}

// Detect runs the safeguarding detector alone. It reads the text for
// disclosures of harm (abuse, domestic abuse, self-harm, suicide,
// exploitation, going missing, feeling unsafe at home, neglect, substance
// use, serious bullying) and returns what it found, with the words that
// raised the flag quoted as written. It does not depend on any codebook,
// so an analyst's edit can never weaken it.
func Detect(text string) surveys.Risk {
	return detect(read(text))
}

func detect(r reading) surveys.Risk {
	text, toks := r.text, r.toks
	sg := sharedSafeguards()
	masked := make([]bool, len(toks))
	for _, h := range sg.idioms.find(toks, func(int, int) bool { return true }) {
		for i := h.start; i < h.end; i++ {
			masked[i] = true
		}
	}
	hits := sg.risks.find(toks, func(start, end int) bool {
		return !slices.Contains(masked[start:end], true) && !negatedBefore(toks, start)
	})
	hits = outermostHits(hits)
	if len(hits) == 0 {
		return surveys.Risk{}
	}
	risk := surveys.Risk{Flag: true}
	for _, h := range hits {
		for _, k := range sg.risks.pats[h.pat].kinds {
			if !slices.Contains(risk.Kinds, k) {
				risk.Kinds = append(risk.Kinds, k)
			}
		}
		ev := text[toks[h.start].start:toks[h.end-1].end]
		if !slices.Contains(risk.Evidence, ev) {
			risk.Evidence = append(risk.Evidence, ev)
		}
	}
	slices.Sort(risk.Kinds)
	return risk
}

// negators turn a disclosure round when they stand just before it, with
// at most a few filler words between: "nobody hits me", "no one hurts me
// here", "im not being bullied", "i dont want to die".
var negators = map[string]bool{
	"not": true, "no": true, "never": true, "nobody": true, "dont": true, "doesnt": true, "didnt": true,
	"isnt": true, "arent": true, "wasnt": true, "werent": true, "havent": true, "hasnt": true, "wont": true,
	"nie": true, "nu": true, "ddim": true, "لا": true, "не": true,
}

var fillers = map[string]bool{
	"i": true, "im": true, "am": true, "is": true, "are": true, "was": true, "were": true, "be": true,
	"been": true, "being": true, "ever": true, "really": true, "actually": true, "even": true, "one": true,
	"he": true, "she": true, "they": true, "anyone": true, "anybody": true, "do": true, "does": true,
	"feel": true, "think": true, "get": true, "got": true, "gets": true, "getting": true, "at": true,
	"all": true, "here": true, "there": true, "anymore": true, "thought": true, "thinking": true,
	"about": true, "of": true, "tried": true, "want": true, "wanted": true, "to": true, "need": true,
	"has": true, "have": true, "had": true, "did": true, "would": true, "will": true,
}

// negatedBefore reports a negator before start, within the clause, with
// only filler words between. "nobody knows i cut myself" stays a flag:
// "knows" is not filler, so "nobody" does not reach "cut".
func negatedBefore(toks []token, start int) bool {
	for j, n := start-1, 0; j >= 0 && n < 4; j, n = j-1, n+1 {
		if toks[j].clause != toks[start].clause || toks[j+1].pause {
			return false
		}
		if negators[toks[j].text] {
			return true
		}
		if !fillers[toks[j].text] {
			return false
		}
	}
	return false
}

// outermostHits drops hits that lie inside a longer hit, so "telling me
// to kill myself" reads as bullying, not also as suicide, and "dont feel
// safe at school" as bullying, not as unsafe at home. Hits come back in
// text order.
func outermostHits(hits []hit) []hit {
	slices.SortStableFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end), cmp.Compare(a.pat, b.pat))
	})
	keep := covered(len(hits), func(i int) (int, int) { return hits[i].start, hits[i].end })
	var out []hit
	for i, h := range hits {
		if keep[i] {
			out = append(out, h)
		}
	}
	return out
}
