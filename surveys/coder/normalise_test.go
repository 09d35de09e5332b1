package coder

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/heard-app/heard/surveys"
)

func TestRead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text  string
		words []string // the text of each token
		spans []string // the original words of each token
	}{
		{"Don't", []string{"dont"}, []string{"Don't"}},
		{"don’t", []string{"dont"}, []string{"don’t"}},
		{"SOOOO happpy", []string{"so", "happy"}, []string{"SOOOO", "happpy"}},
		{"i lovvve it", []string{"i", "love", "it"}, []string{"i", "lovvve", "it"}},
		{"gooood", []string{"good"}, []string{"gooood"}},
		{"me sw", []string{"me", "social", "worker"}, []string{"me", "sw", "sw"}},
		{"idk", []string{"i", "dont", "know"}, []string{"idk", "idk", "idk"}},
		{"cos ur late", []string{"because", "your", "late"}, []string{"cos", "ur", "late"}},
		{"self-harm", []string{"self", "harm"}, []string{"self", "harm"}},
		{"£7 a week", []string{"£", "7", "a", "week"}, []string{"£", "7", "a", "week"}},
		{"love it ❤️👍🏽", []string{"love", "it", "❤", "👍"}, []string{"love", "it", "❤", "👍"}},
		{"ok :)", []string{"ok", "🙂"}, []string{"ok", ":)"}},
		{"szkoła", []string{"szkola"}, []string{"szkoła"}},
		{"lonley", []string{"lonely"}, []string{"lonley"}},
		{"bad\xffbyte", []string{"bad", "byte"}, []string{"bad", "byte"}},
		{"mums'", []string{"mums"}, []string{"mums"}},
	}
	for _, tc := range tests {
		r := read(tc.text)
		var words, spans []string
		for _, tok := range r.toks {
			words = append(words, tok.text)
			spans = append(spans, r.text[tok.start:tok.end])
		}
		if !slices.Equal(words, tc.words) || !slices.Equal(spans, tc.spans) {
			t.Errorf("read(%q) = %q from %q, want %q from %q", tc.text, words, spans, tc.words, tc.spans)
		}
	}
}

func TestReadClauses(t *testing.T) {
	t.Parallel()
	r := read("i like it. but... no!! really, yes")
	var clauses []int
	for _, tok := range r.toks {
		clauses = append(clauses, tok.clause)
	}
	if want := []int{0, 0, 0, 1, 2, 3, 3}; !slices.Equal(clauses, want) {
		t.Errorf("clauses = %v, want %v", clauses, want)
	}
}

func TestCapText(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", surveys.MaxCodeTextLen+10)
	if got := utf8.RuneCountInString(capText(long)); got != surveys.MaxCodeTextLen {
		t.Errorf("capText kept %d runes, want %d", got, surveys.MaxCodeTextLen)
	}
	if got := capText("short"); got != "short" {
		t.Errorf("capText(short) = %q", got)
	}
}

func TestForms(t *testing.T) {
	t.Parallel()
	tests := map[string][]string{
		"buses":    {"buses", "bus", "buse"},
		"parties":  {"parties", "party"},
		"bullied":  {"bullied", "bully"},
		"moving":   {"moving", "move"},
		"running":  {"running", "run"},
		"calling":  {"calling", "call", "calle"},
		"carers":   {"carers", "carer"},
		"listened": {"listened", "listene", "listen"},
		"thing":    {"thing"},
		"weed":     {"weed"},
		"class":    {"class"},
		"szkoła":   {"szkoła"},
	}
	for w, want := range tests {
		if got := forms(nil, w); !slices.Equal(got, want) {
			t.Errorf("forms(%q) = %q, want %q", w, got, want)
		}
	}
}

func TestFuzzyIndex(t *testing.T) {
	t.Parallel()
	f := newFuzzyIndex([]string{"friends", "teacher", "social", "lonely", "maths", "mates"})
	tests := map[string]string{
		"freinds":  "friends", // swap
		"frends":   "friends", // deletion
		"teecher":  "teacher", // change
		"sociall":  "social",  // insertion
		"lonley":   "lonely",
		"fiends":   "friends",
		"teachers": "teacher", // one edit (plurals are forms' job; this is harmless)
		"social":   "",        // itself is not a correction
		"mats":     "",        // too short to guess
	}
	for w, want := range tests {
		got, _ := f.lookup(w)
		if got != want {
			t.Errorf("lookup(%q) = %q, want %q", w, got, want)
		}
	}
	if _, ok := f.lookup(strings.Repeat("x", 5000)); ok {
		t.Errorf("a very long word matched")
	}
}

func TestDetectLanguage(t *testing.T) {
	t.Parallel()
	n := sharedNormaliser()
	tests := []struct {
		text, lang string
		sure       bool
	}{
		{"the buses are always late", "en", true},
		{"me mam n our kid", "en", true},
		{"Lubię moją szkołę", "pl", true},
		{"moja pracownica socjalna jest super", "pl", true},
		{"Îmi place școala", "ro", true},
		{"Dwi'n hapus iawn gyda fy ngofalwyr", "cy", true},
		{"أحب المدرسة", "ar", true},
		{"من حەز لە قوتابخانەکەم دەکەم", "ckb", true},
		{"Мне нравится школа", "ru", true},
		{"Мені подобається школа", "uk", true},
		{"je suis très content avec ma famille", "fr", true},
		{"waxaan jeclahay iskuulka iyo saaxiibadey", "so", true},
		{"👍", "", false},
		{"12", "", false},
	}
	for _, tc := range tests {
		r := read(tc.text)
		lang, sure := n.detectLanguage(r.text, r.toks)
		if lang != tc.lang || sure != tc.sure {
			t.Errorf("detectLanguage(%q) = %q, %v; want %q, %v", tc.text, lang, sure, tc.lang, tc.sure)
		}
	}
}
