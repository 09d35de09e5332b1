package staff

import (
	"slices"
	"testing"

	"github.com/heard-app/heard/surveys"
)

func intp(n int) *int { return &n }

// Each kind of linked activity is worded with its suppressed figures, and
// no young person's words.
func TestNoteOf(t *testing.T) {
	t.Parallel()
	const fewer = "fewer than 5"
	faces := []surveys.ReportCell{{Label: "Sad"}, {Label: "Happy", Count: intp(6), Percent: ptrf(60)}}
	for _, tc := range []struct {
		name     string
		act      surveys.SessionActivity
		tookPart string
		figures  []string
	}{
		{"rating", surveys.SessionActivity{Kind: surveys.ActivityRating, Prompt: "Promises", Answered: intp(10),
			Charts: []surveys.ReportQuestion{{Text: "A say", Answered: intp(10), Cells: faces}, {Text: "A worker"}}},
			"10 young people took part.", []string{"“A say”, rated by 10: Sad fewer than 5, Happy 6 (60.0%).", "“A worker”: rated by fewer than 5 young people."}},
		{"dots", surveys.SessionActivity{Kind: surveys.ActivityDots, Prompt: "Spend", Answered: intp(6),
			Dots: []surveys.SessionCount{{Label: "Trips", Count: intp(12)}, {Label: "Food"}}},
			"6 young people took part.", []string{"Trips: 12 dots; Food: dots from fewer than 5 young people."}},
		{"dots from too few", surveys.SessionActivity{Kind: surveys.ActivityDots, Prompt: "Spend", Dots: []surveys.SessionCount{{Label: "Trips"}}},
			"Fewer than 5 young people took part.", nil},
		{"ideas", surveys.SessionActivity{Kind: surveys.ActivityIdeas, Prompt: "Ideas", Answered: intp(7),
			Quotes: []surveys.SessionQuote{{Text: "a young person's words"}}},
			"7 young people took part.", []string{"What young people wrote is in the session’s report and the comments."}},
		{"words", surveys.SessionActivity{Kind: surveys.ActivityWords, Prompt: "Words", Answered: intp(5),
			Words: []surveys.SessionWord{{Word: "safe", People: intp(5)}}},
			"5 young people took part.", []string{"Words given most: “safe” by 5."}},
	} {
		n := noteOf(&surveys.LinkedActivity{Title: "MADE North", Date: "2026-11-23", Activity: tc.act}, fewer)
		if n.From != "MADE North, 23 Nov 2026" || n.Asked != tc.act.Kind.Name()+": "+tc.act.Prompt || n.TookPart != tc.tookPart ||
			!slices.Equal(n.Figures, tc.figures) {
			t.Errorf("%s: %+v", tc.name, n)
		}
	}
}

func ptrf(f float64) *float64 { return &f }
