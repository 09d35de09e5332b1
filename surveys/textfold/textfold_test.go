package textfold

import (
	"testing"
	"unicode/utf8"
)

func TestWord(t *testing.T) {
	t.Parallel()
	more := Latin.With(map[string]string{"th": "þ", "ا": "أإآ"})
	tests := map[string]struct {
		table     Table
		limit     int
		raw, want string
	}{
		"lower case":                 {Latin, 0, "CHILDREN", "children"},
		"apostrophes dropped":        {Latin, 0, "Don’t", "dont"},
		"accents folded":             {Latin, 0, "Szkoła CAFÉ", "szkola cafe"},
		"one letter to two":          {Latin, 0, "Straße", "strasse"},
		"combining marks dropped":    {Latin, 0, "cafe\u0301", "cafe"},
		"Latin leaves thorn":         {Latin, 0, "þing", "þing"},
		"With adds to Latin":         {more, 0, "Þing café", "thing cafe"},
		"Arabic variants":            {more, 0, "أحمد", "احمد"},
		"zero table folds nothing":   {Table{}, 0, "Café", "café"},
		"at the limit":               {Latin, 3, "Dog", "dog"},
		"over the limit":             {Latin, 3, "dogs", ""},
		"dropped runes do not count": {Latin, 3, "d'o'g", "dog"},
		"folds count once":           {Latin, 3, "ßßß", "ssssss"},
		"empty":                      {Latin, 0, "", ""},
	}
	for name, tt := range tests {
		if got := tt.table.Word(tt.raw, IsApostrophe, tt.limit); got != tt.want {
			t.Errorf("%s: Word(%q, limit %d) = %q, want %q", name, tt.raw, tt.limit, got, tt.want)
		}
	}
	// What is dropped is the caller's choice; With leaves Latin alone.
	dropRuneError := func(r rune) bool { return IsApostrophe(r) || r == utf8.RuneError }
	if got := Latin.Word("a\ufffdb'c", dropRuneError, 0); got != "abc" {
		t.Errorf("Word dropping U+FFFD = %q, want %q", got, "abc")
	}
	if got := Latin.Word("þ", IsApostrophe, 0); got != "þ" {
		t.Errorf("Latin folds þ to %q after With", got)
	}
}

func TestWordEnd(t *testing.T) {
	t.Parallel()
	joiner := func(r rune) bool { return IsApostrophe(r) || r == '\u200c' }
	tests := []struct {
		text, word string // word: the text's first word as WordEnd finds it
		inside     func(rune) bool
	}{
		{"don't go", "don't", IsApostrophe},
		{"can’t", "can’t", IsApostrophe},
		{"mums' car", "mums", IsApostrophe},
		{"mums'", "mums", IsApostrophe},
		{"self-harm", "self", IsApostrophe},
		{"cafe\u0301 now", "cafe\u0301", IsApostrophe},
		{"bad\xffbyte", "bad", IsApostrophe},
		{"a\u200cb", "a", IsApostrophe},
		{"a\u200cb", "a\u200cb", joiner},
		{"2024 x", "2024", IsApostrophe},
		{"!!", "", IsApostrophe},
	}
	for _, tt := range tests {
		if got := tt.text[:WordEnd(tt.text, 0, tt.inside)]; got != tt.word {
			t.Errorf("WordEnd(%q) ends after %q, want %q", tt.text, got, tt.word)
		}
	}
	if got := WordEnd("i can't", 2, IsApostrophe); got != len("i can't") {
		t.Errorf("WordEnd from byte 2 = %d, want %d", got, len("i can't"))
	}
}

// TestElongated checks the two readings of letters held down: Collapse
// keeping two and keeping one. A word is elongated just when keeping two
// changes it.
func TestElongated(t *testing.T) {
	t.Parallel()
	tests := map[string][2]string{
		"gooood":   {"good", "god"},
		"soooo":    {"soo", "so"},
		"happpy":   {"happy", "hapy"},
		"SOOOO":    {"SOO", "SO"},
		"szkołłła": {"szkołła", "szkoła"},
		"so":       {"so", "so"},
		"good":     {"good", "good"},
		"2000":     {"2000", "2000"},
		"!!!":      {"!!!", "!!!"},
		"":         {"", ""},
	}
	for w, want := range tests {
		if got := Elongated(w); got != (want[0] != w) {
			t.Errorf("Elongated(%q) = %v", w, got)
		}
		if got := [2]string{Collapse(w, 2), Collapse(w, 1)}; got != want {
			t.Errorf("Collapse(%q, 2), Collapse(%q, 1) = %q, want %q", w, w, got, want)
		}
	}
}

func TestIsWordRune(t *testing.T) {
	t.Parallel()
	for _, r := range "aZ9éß\u0301\u064eا" {
		if !IsWordRune(r) {
			t.Errorf("IsWordRune(%q) = false", r)
		}
	}
	for _, r := range " -'’.!😀£\ufffd\u200c" {
		if IsWordRune(r) {
			t.Errorf("IsWordRune(%q) = true", r)
		}
	}
}
