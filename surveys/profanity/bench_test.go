package profanity_test

import (
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys/profanity"
)

// Posts of the longest length a session accepts, 500 characters: ordinary
// words, the same with a swear word at the end, and a post written to be
// slow (letters spelt out one by one, leetspeak, stars and held-down
// letters, so that every way of reading a word is tried).
var benchPosts = map[string]string{
	"clean": pad("the youth club should open on saturdays and the bus to Kirkby costs too much, " +
		"I would like more trips and my social worker to ring back when she says she will. "),
	"held":    pad("the youth club should open on saturdays and the bus to Kirkby costs too much, ")[:495] + " shit",
	"evasive": pad("f u c k $h!t a$$ f*ck fuuuuuck sh-it ｆｕｃｋ c.u.n.t 5hi7 "),
}

func pad(s string) string {
	return string([]rune(strings.Repeat(s, 500/len([]rune(s))+1))[:500])
}

func BenchmarkCheck(b *testing.B) {
	for _, name := range []string{"clean", "held", "evasive"} {
		text := benchPosts[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				profanity.Check(text)
			}
		})
	}
}
