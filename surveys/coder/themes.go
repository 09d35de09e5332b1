package coder

import (
	"cmp"
	"math"
	"slices"

	"github.com/heard-app/heard/surveys"
)

// Theme scoring. Each word or phrase found adds weight to its theme: a
// phrase more than a word (it is less ambiguous), a stem or a corrected
// spelling a little less (it may be a different word), the same words
// said again only a little. The score is 1 - e^-weight: one plain word
// gives 0.63, a two-word phrase 0.78, two different words 0.86, and more
// evidence approaches 1 without reaching past it.
const (
	phraseBonus  = 0.5  // extra weight for each word of a phrase after the first
	stemFactor   = 0.9  // a match through a "*" stem
	fuzzyFactor  = 0.7  // a match through spelling correction
	repeatFactor = 0.25 // the same words again
	minWeight    = 0.6  // below this a theme is not coded
	riskWeight   = 1.2  // a theme implied by a safeguarding flag
)

// riskThemes are the themes a safeguarding disclosure is about, whatever
// words it uses: "he puts me in the dark room" names no safety word, but
// it is about safety. They are added only when the codebook has the key.
var riskThemes = map[surveys.RiskKind][]string{
	surveys.RiskAbuse:         {"safety"},
	surveys.RiskDomesticAbuse: {"safety"},
	surveys.RiskExploitation:  {"safety"},
	surveys.RiskBullying:      {"safety"},
	surveys.RiskMissing:       {"safety"},
	surveys.RiskUnsafeHome:    {"safety", "home_placement"},
	surveys.RiskNeglect:       {"home_placement"},
	surveys.RiskSubstance:     {"safety"},
	surveys.RiskSelfHarm:      {"mental_health"},
	surveys.RiskSuicide:       {"mental_health"},
}

func (c *Coder) themes(r reading, risk surveys.Risk) []surveys.ThemeMatch {
	text, toks := r.text, r.toks
	weights := make([]float64, len(c.keys))
	evidence := make([][]string, len(c.keys))
	c.addRiskThemes(risk, weights, evidence)
	for _, m := range c.index.find(toks, r.english) {
		w := 1 + phraseBonus*float64(m.end-m.start-1)
		if m.stem {
			w *= stemFactor
		}
		if m.fuzzy {
			w *= fuzzyFactor
		}
		ev := text[toks[m.start].start:toks[m.end-1].end]
		if slices.Contains(evidence[m.payload], ev) {
			w *= repeatFactor
		} else {
			evidence[m.payload] = append(evidence[m.payload], ev)
		}
		weights[m.payload] += w
	}
	var out []surveys.ThemeMatch
	for i, w := range weights {
		if w >= minWeight {
			out = append(out, surveys.ThemeMatch{Key: c.keys[i], Score: score(w), Evidence: evidence[i]})
		}
	}
	slices.SortFunc(out, func(a, b surveys.ThemeMatch) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Key, b.Key))
	})
	if len(out) > surveys.MaxCodedThemes {
		out = out[:surveys.MaxCodedThemes]
	}
	return out
}

// addRiskThemes weighs the themes of a safeguarding flag a little above
// one word, so that a disclosure's theme is never the one cut by the
// limit of three, with the flag's evidence.
func (c *Coder) addRiskThemes(risk surveys.Risk, weights []float64, evidence [][]string) {
	for _, k := range risk.Kinds {
		for _, key := range riskThemes[k] {
			i := slices.Index(c.keys, key)
			if i < 0 || weights[i] > 0 {
				continue
			}
			weights[i] = riskWeight
			evidence[i] = append(evidence[i], risk.Evidence...)
		}
	}
}

// score maps a weight to (0, 1], rounded to three places so that reports
// show stable numbers.
func score(w float64) float64 {
	s := math.Round((1-math.Exp(-w))*1000) / 1000
	return min(max(s, 0.001), 1)
}
