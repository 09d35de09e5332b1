package coder

import (
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// TestSafeguardingPatternsAreNormalised checks that every word of every
// pattern is in the form tokens take, so that no pattern is dead: a word
// with capitals, an apostrophe or a text-speak spelling could never match.
func TestSafeguardingPatternsAreNormalised(t *testing.T) {
	t.Parallel()
	n := sharedNormaliser()
	sg := sharedSafeguards()
	for _, set := range []*patternSet{sg.idioms, sg.risks} {
		for _, p := range set.pats {
			for _, k := range p.kinds {
				if k != kindIdiom && !slices.Contains(surveys.RiskKinds, k) {
					t.Errorf("%q: kind %q is not a surveys.RiskKind", p.src, k)
				}
			}
			for _, e := range p.elems {
				for _, a := range e.alts {
					if a.adult {
						continue
					}
					ws := n.words(a.word)
					if len(ws) != 1 || ws[0] != a.word {
						t.Errorf("%q: word %q normalises to %q", p.src, a.word, ws)
					}
				}
			}
		}
	}
	if len(sg.risks.pats) < 100 || len(sg.idioms.pats) == 0 {
		t.Errorf("%d patterns and %d idioms: the file was not read", len(sg.risks.pats), len(sg.idioms.pats))
	}
}

func TestSentimentLexiconIsUsable(t *testing.T) {
	t.Parallel()
	sl := sharedSentiment()
	for name, m := range map[string]map[string]bool{"negator": sl.negators, "contrast": sl.contrast, "wish": sl.wishes} {
		for w := range m {
			if strings.Contains(w, " ") {
				t.Errorf("%s %q is more than one word after normalising", name, w)
			}
		}
	}
	for w := range sl.intens {
		if strings.Contains(w, " ") {
			t.Errorf("intensifier %q is more than one word after normalising", w)
		}
	}
	if len(sl.scores) < 300 {
		t.Errorf("%d sentiment entries: the file was not read", len(sl.scores))
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	bad := []string{
		"abuse hits me",       // no colon
		"abuse: ?hits me",     // starts optional
		"abuse: hits ~2",      // ends with a gap
		"abuse: hits @nobody", // unknown class
		"abuse: ~x hits",      // bad gap
		"abuse: hits||me",     // empty alternative
	}
	for _, src := range bad {
		if _, err := parsePatterns(src); err == nil {
			t.Errorf("parsePatterns(%q) = nil error", src)
		}
	}
	for _, src := range []string{"+x good", "x? very", "lonely"} {
		if _, err := parseSentiment(sharedNormaliser(), src); err == nil {
			t.Errorf("parseSentiment(%q) = nil error", src)
		}
	}
}

func TestDetectOtherLanguages(t *testing.T) {
	t.Parallel()
	tests := map[string]surveys.RiskKind{
		"Chcę umrzeć":               surveys.RiskSuicide,
		"chce umrzec":               surveys.RiskSuicide,
		"zabiję się":                surveys.RiskSuicide,
		"tata mnie bije":            surveys.RiskAbuse,
		"on bije mnie":              surveys.RiskAbuse,
		"nie czuję się bezpiecznie": surveys.RiskUnsafeHome,
		"Vreau să mor":              surveys.RiskSuicide,
		"أريد أن أموت":              surveys.RiskSuicide,
		"لا أشعر بالأمان في البيت": surveys.RiskUnsafeHome,
		"Я хочу умереть":           surveys.RiskSuicide,
	}
	for text, want := range tests {
		got := Detect(text)
		if !got.Flag || !slices.Contains(got.Kinds, want) {
			t.Errorf("Detect(%q) = %v %v, want %s", text, got.Flag, got.Kinds, want)
		}
	}
	if got := Detect("czuję się bezpiecznie w domu"); got.Flag {
		t.Errorf("Detect(Polish 'I feel safe at home') flagged %v", got.Kinds)
	}
}
