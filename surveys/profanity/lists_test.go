package profanity

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"

	goaway "github.com/TwiN/go-away"
)

// TestBaseListFits checks that every word of the base list is one this
// package can compare: a word it drops (with a space or a digit, say, after
// an update of go-away) would silently not be held.
func TestBaseListFits(t *testing.T) {
	t.Parallel()
	_, dropped, err := compile(goaway.DefaultProfanities, goaway.DefaultFalseNegatives, goaway.DefaultFalsePositives)
	if err != nil {
		t.Fatal(err)
	}
	if len(dropped) > 0 {
		t.Errorf("base list words dropped as not plain lower-case letters: %q; add them to uk.txt in a form that fits", dropped)
	}
}

// TestListFiles checks the embedded files against each other and against
// Check: every listed term is held, every skipped or allowed word is not.
func TestListFiles(t *testing.T) {
	t.Parallel()
	uk, err := parseTerms("uk.txt", ukText)
	if err != nil {
		t.Fatal(err)
	}
	anywhere, err := parseWords("anywhere.txt", anywhereText)
	if err != nil {
		t.Fatal(err)
	}
	held := slices.Clone(anywhere)
	for _, tm := range uk {
		held = append(held, tm.word)
	}
	skip, err := parseWords("skip.txt", skipText)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range goaway.DefaultProfanities {
		if !slices.Contains(skip, w) {
			held = append(held, w)
		}
	}
	for _, w := range held {
		if r := Check(w); !r.Hold || !slices.Contains(r.Terms, w) {
			t.Errorf("listed term %q: Check = %+v; want held for itself", w, r)
		}
	}
	allow, err := parseWords("allow.txt", allowText)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range append(skip, allow...) {
		if r := Check(w); r.Hold {
			t.Errorf("skipped or allowed word %q: Check = %+v; want not held", w, r)
		}
	}
}

// TestListMistakes checks that a mistake in an embedded file is an error,
// not a silently broken list.
func TestListMistakes(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, text string }{
		{"capital", "Fuck\n"},
		{"space", "son of a bitch\n"},
		{"digit", "sh1t\n"},
		{"one letter", "f\n"},
		{"twice", "twat\ntwat\n"},
		{"mark alone", "=\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := parseTerms("test.txt", tt.text); err == nil {
				t.Errorf("parseTerms(%q) = nil error; want one", tt.text)
			}
		})
	}
	if terms, err := parseTerms("test.txt", "# comment\n\n  twat  \n=wtf\n"); err != nil ||
		!slices.Equal(terms, []term{{word: "twat"}, {word: "wtf", exactOnly: true}}) {
		t.Errorf("parseTerms = %+v, %v; want twat and exact-only wtf", terms, err)
	}
}

// TestDictionary checks every word of Debian's British English word list
// (package wbritish): the words held must be exactly those in
// testdata/dictionary-held.txt, so that a change to the lists or the
// matching that holds a new innocent word, or stops holding a rude one,
// shows up here.
func TestDictionary(t *testing.T) {
	t.Parallel()
	const dict = "/usr/share/dict/british-english"
	f, err := os.Open(dict)
	if err != nil {
		t.Skipf("%v: install the Debian package wbritish to check the lists against a dictionary", err)
	}
	defer f.Close()
	wantText, err := os.ReadFile("testdata/dictionary-held.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for line := range strings.Lines(string(wantText)) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			want[line] = true
		}
	}
	got := map[string]bool{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		w := s.Text()
		if strings.ContainsRune(w, '\'') {
			continue // possessives: the same words again
		}
		if Check(w).Hold {
			got[w] = true
			if !want[w] {
				t.Errorf("%q is held but not in testdata/dictionary-held.txt: an innocent word to allow, or a rude one to add there", w)
			}
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	for w := range want {
		if !got[w] {
			t.Errorf("%q is in testdata/dictionary-held.txt but no longer held", w)
		}
	}
}
