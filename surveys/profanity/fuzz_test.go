package profanity_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys/profanity"
)

// FuzzCheck checks the promises Check makes on any input: no panic; the
// same answer every time; a held post has a reason and an unheld one none;
// terms sorted and each once; too long exactly when over MaxTextBytes; and
// a listed word added before, after or between copies of the text is held
// whatever the text around it.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"", "hello", "Scunthorpe", "f u c k", "F.U.C.K.", "sh-it", "$h!t", "a$$hole", "fuuuuck",
		"f*ck", "***", "*a*", "ｆｕｃｋ", "𝐟𝐮𝐜𝐤", "fuсk", "ѕһіт", "fu\u200bck", "fu\u0308ck",
		"\xff\xfe", "who're", "I was sad.this hit me", "4 5 5", "1|!", "€$@+", "x x x x x",
		"ﬀ ﬁ ﬂ", "\u0301\u0301", "Ǆ ǅ ǆ", "İSTANBUL", "ß", "\ufdfa", strings.Repeat("a ", 300),
		strings.Repeat("é", 500), "sniggering Scunthorpe-based",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r := profanity.Check(text)
		if again := profanity.Check(text); !reflect.DeepEqual(r, again) {
			t.Fatalf("Check(%q) gave %+v, then %+v", text, r, again)
		}
		if r.Hold != (r.TooLong || len(r.Terms) > 0) || r.Hold != (r.Reason() != "") {
			t.Fatalf("Check(%q) = %+v, reason %q: hold, terms and reason disagree", text, r, r.Reason())
		}
		if !slices.IsSorted(r.Terms) || len(slices.Compact(slices.Clone(r.Terms))) != len(r.Terms) {
			t.Fatalf("Check(%q): terms %q not sorted and distinct", text, r.Terms)
		}
		if r.TooLong != (len(text) > profanity.MaxTextBytes) {
			t.Fatalf("Check(%d bytes): too long %v", len(text), r.TooLong)
		}
		if 2*len(text)+16 > profanity.MaxTextBytes {
			return
		}
		for _, s := range []string{text + " fuck", "bellend " + text, text + "\nshit\n" + text} {
			if r := profanity.Check(s); !r.Hold || len(r.Terms) == 0 {
				t.Fatalf("Check(%q) = %+v: a listed word added to the text is not held", s, r)
			}
		}
	})
}
