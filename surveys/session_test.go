package surveys_test

import (
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// liveSession is a valid session with one activity of every kind.
func liveSession() *surveys.LiveSession {
	return &surveys.LiveSession{ID: "s1", Title: "Children's Charter check-in", Date: "2026-11-23", Group: "MADE North",
		Activities: append([]surveys.Activity{
			{ID: "poll", Kind: surveys.ActivityPoll, Prompt: "Where should we meet?", Options: []string{"Library", "Youth centre"}},
			{ID: "q", Kind: surveys.ActivityQuestion, Prompt: "What would make reviews better?"},
		}, surveys.SessionTemplates()...)}
}

func TestLiveSessionValidate(t *testing.T) {
	t.Parallel()
	groups := []string{"MADE North", "MADE South"}
	long := strings.Repeat("x", surveys.MaxPrompt+1)
	for _, tc := range []struct {
		name   string
		change func(s *surveys.LiveSession)
		want   map[string]string
	}{
		{"valid", func(*surveys.LiveSession) {}, nil},
		{"no title, bad date, unknown group", func(s *surveys.LiveSession) { s.Title, s.Date, s.Group = " ", "23/11/2026", "MADE East" },
			map[string]string{"title": "is required", "date": "must be a date such as 2026-11-23", "group": "must be one of the MADE groups in the settings"}},
		{"an activity of no kind", func(s *surveys.LiveSession) { s.Activities[0].Kind = "quiz" },
			map[string]string{"activities.0.kind": "must be poll, rating, ideas, dots, words or question"}},
		{"a poll of one option", func(s *surveys.LiveSession) { s.Activities[0].Options = []string{"Library"} },
			map[string]string{"activities.0.options": "needs at least 2"}},
		{"an option twice", func(s *surveys.LiveSession) { s.Activities[0].Options = []string{"Library", " library"} },
			map[string]string{"activities.0.options.1": "is there twice"}},
		{"a prompt too long", func(s *surveys.LiveSession) { s.Activities[1].Prompt = long },
			map[string]string{"activities.1.prompt": "must be at most 500 characters"}},
		{"a field of another kind", func(s *surveys.LiveSession) { s.Activities[1].Dots = 3 },
			map[string]string{"activities.1.dots": "is not used by a question activity; leave it out"}},
		{"dots from a later board", func(s *surveys.LiveSession) {
			s.Activities[3], s.Activities[4] = s.Activities[4], s.Activities[3] // the dot vote before its idea board
		}, map[string]string{"activities.3.from_ideas": "must be an idea board that comes before this activity"}},
		{"too many dots", func(s *surveys.LiveSession) { s.Activities[4].Dots = surveys.MaxDots + 1 },
			map[string]string{"activities.4.dots": "must be from 1 to 10"}},
		{"too many words", func(s *surveys.LiveSession) { s.Activities[5].Words = surveys.MaxCloudWords + 1 },
			map[string]string{"activities.5.words": "must be from 1 to 3"}},
		{"two activities with one id", func(s *surveys.LiveSession) { s.Activities[1].ID = "poll" },
			map[string]string{"activities.1": "needs an id of its own"}},
		{"too many activities", func(s *surveys.LiveSession) {
			for len(s.Activities) <= surveys.MaxActivities {
				a := s.Activities[0]
				a.ID = strings.Repeat("p", len(s.Activities))
				s.Activities = append(s.Activities, a)
			}
		}, map[string]string{"activities": "a session can have at most 30 activities"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := liveSession()
			tc.change(s)
			err := s.Validate(groups)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Validate: %v %v", err, surveys.ErrorFields(err))
				}
				return
			}
			assertFields(t, err, tc.want)
		})
	}
}

func TestJoinCodes(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 2000 {
		c := surveys.NewJoinCode()
		if len(c) != surveys.JoinCodeLength || strings.Trim(c, surveys.CodeAlphabet) != "" {
			t.Fatalf("join code %q is not %d characters of the alphabet", c, surveys.JoinCodeLength)
		}
		seen[c] = true
	}
	if len(seen) < 1990 {
		t.Errorf("only %d different codes in 2000", len(seen))
	}
	for _, tc := range []struct {
		typed, want string
		ok          bool
	}{
		{"K7M-3PX", "K7M3PX", true},
		{"k7m 3px", "K7M3PX", true},
		{"K7M3P", "", false},   // too short
		{"K7M3PXQ", "", false}, // too long
		{"K7M3P0", "", false},  // 0 is not in the alphabet
		{"K7M3P!", "", false},  // nor punctuation
	} {
		got, ok := surveys.NormalizeJoinCode(tc.typed)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("NormalizeJoinCode(%q) = %q, %v; want %q, %v", tc.typed, got, ok, tc.want, tc.ok)
		}
	}
}
