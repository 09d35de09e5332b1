package redact

import (
	"strings"
	"testing"
)

// TestDataFiles checks the embedded lists: they say where they come from,
// they are big enough to be useful, and they cover the communities a
// council's young people come from.
func TestDataFiles(t *testing.T) {
	t.Parallel()
	for name, file := range map[string]string{"names.txt": namesFile, "ambiguous.txt": ambiguousFile} {
		if !strings.HasPrefix(file, "# ") || !strings.Contains(file[:600], "general knowledge") {
			t.Errorf("%s does not open with a header saying where it comes from", name)
		}
	}
	if n := len(lex.names); n < 2500 {
		t.Errorf("names.txt has %d names; want a few thousand", n)
	}
	for _, name := range []string{
		"Sarah", "Jay", "Kez", "Mo", "Ste", // English and short forms
		"Siobhan", "Eilidh", "Dafydd", // Irish, Scottish, Welsh
		"Kasia", "Łukasz", "Lukasz", "Ionuț", "Ionut", // Polish, Romanian, accents or not
		"Mohammed", "Muhammad", "Fatima", "Aisha", // Arabic in Latin script
		"Gurpreet", "Priya", "Tasnim", // South Asian
		"Chidinma", "Kwame", "Tatenda", "Hodan", // African
		"Delroy", "Shanice", // Caribbean
		"Xiaoming", "Wei", "Minh", // Chinese, Vietnamese
	} {
		if _, ambiguous := lex.ambiguous[normWord(name)]; !lex.names[normWord(name)] && !ambiguous {
			t.Errorf("%q is not a known name", name)
		}
	}
	for _, word := range []string{"will", "may", "june", "rose", "mark", "bill", "grace", "hope", "joy",
		"faith", "sky", "summer", "amber", "dawn", "frank", "sunny", "ash", "jack", "bob", "pat"} {
		if _, ok := lex.ambiguous[word]; !ok {
			t.Errorf("%q is not in ambiguous.txt", word)
		}
	}
}

func TestParseLexiconRefusesBadData(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ names, ambiguous string }{
		"unknown flag":          {"Sarah", "will modal sometimes"},
		"name in both files":    {"Sarah Will", "will modal"},
		"hyphenated name":       {"Lily-Mae", ""},
		"punctuation as a name": {"Sarah --", ""},
	} {
		if _, err := parseLexicon(tc.names, tc.ambiguous); err == nil {
			t.Errorf("%s: parseLexicon accepted it", name)
		}
	}
}
