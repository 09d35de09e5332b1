package frontend

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// Every message the "you said, we did" page asks for is translated: those
// named in actions.go, and those it makes from a status or a month.
func TestActionMessagesExist(t *testing.T) {
	t.Parallel()
	src, err := readSource("actions.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, m := range regexp.MustCompile(`\.T\("([a-z_.]+[a-z_])"`).FindAllStringSubmatch(src, -1) {
		keys[m[1]] = true
	}
	if len(keys) < 4 {
		t.Fatalf("found only %d keys in actions.go; the pattern no longer matches the code", len(keys))
	}
	for _, s := range surveys.ActionStatuses {
		keys["actions.status."+string(s)] = true
		keys["actions.did."+string(s)] = true
		keys["actions.who."+string(s)] = true
	}
	keys["actions.since.done"], keys["actions.since.not_possible"] = true, true
	for m := 1; m <= 12; m++ {
		keys["date.month_"+strconv.Itoa(m)] = true
	}
	for lang, l := range locales(t) {
		for k := range keys {
			if _, ok := l.messages[k]; !ok {
				t.Errorf("%s.json lacks %q", lang, k)
			}
		}
	}
}

func TestDate(t *testing.T) {
	t.Parallel()
	ls := locales(t)
	for _, tc := range []struct{ lang, day, want string }{
		{"en", "2027-03-31", "31 March 2027"},
		{"en", "2026-12-01", "1 December 2026"},
		{"pl", "2027-03-31", "31 marca 2027"},
		{"ar", "2027-03-31", "31 مارس 2027"},
		{"en", "not a day", "not a day"},
	} {
		if got := ls[tc.lang].Date(tc.day); got != tc.want {
			t.Errorf("%s Date(%q) = %q, want %q", tc.lang, tc.day, got, tc.want)
		}
	}
}
