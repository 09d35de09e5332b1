package staff

import (
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

func TestDecodeSessionForm(t *testing.T) {
	t.Parallel()
	form := url.Values{
		"_csrf": {"token"}, "revision": {"3"}, "op": {"up:1"}, "count": {"3"},
		"title": {"Charter check"}, "date": {"2026-12-01"}, "group": {"MADE North"}, "purpose": {"Why"}, "premoderate": {"1"},
		"a.0.id": {" poll-1 "}, "a.0.kind": {"poll"}, "a.0.prompt": {"Where?"}, "a.0.options": {"Library\r\n\r\n  Youth centre \n"},
		"a.0.multiple": {"1"}, "a.0.theme": {"activities", "having_a_say"},
		"a.0.questions": {"cared-for-2026/feel_safe\nno-slash\ncared-for-2026/feel_safe\n"},
		"a.0.dots":      {"4"}, // not a dot vote's: not read
		"a.1.id":        {"board"}, "a.1.kind": {"ideas"}, "a.1.prompt": {"Ideas"}, "a.1.columns": {"Good\nChange"},
		"a.2.kind": {"dots"}, "a.2.prompt": {"Vote"}, "a.2.dots": {"x"}, "a.2.from_ideas": {"board"}, "a.2.options": {""},
		"a.3.kind": {"poll"}, // past the count: not read
	}
	in, err := decodeSessionForm(form)
	if err != nil {
		t.Fatal(err)
	}
	want := &surveys.LiveSession{Title: "Charter check", Date: "2026-12-01", Group: "MADE North", Purpose: "Why", Premoderate: true,
		Activities: []surveys.Activity{
			{ID: "poll-1", Kind: surveys.ActivityPoll, Prompt: "Where?", Options: []string{"Library", "Youth centre"}, Multiple: true,
				Themes:    []string{"activities", "having_a_say"},
				Questions: []surveys.ActionQuestion{{Survey: "cared-for-2026", Question: "feel_safe"}, {Survey: "no-slash"}}},
			{ID: "board", Kind: surveys.ActivityIdeas, Prompt: "Ideas", Columns: []string{"Good", "Change"}},
			{Kind: surveys.ActivityDots, Prompt: "Vote", FromIdeas: "board"},
		}}
	if !reflect.DeepEqual(in.session, want) || in.revision != 3 || !in.revisionOK || in.op != "up:1" {
		t.Errorf("decoded %+v (revision %d %v, op %q)\nwant %+v", in.session, in.revision, in.revisionOK, in.op, want)
	}

	empty, err := decodeSessionForm(url.Values{})
	if err != nil || empty.session == nil || len(empty.session.Activities) != 0 || empty.revisionOK || empty.session.Premoderate {
		t.Errorf("an empty form: %+v %v", empty, err)
	}

	// Forms beyond the editor's bounds are refused whole.
	many := make([]string, maxFormLines+1)
	for i := range many {
		many[i] = "x"
	}
	for name, form := range map[string]url.Values{
		"too many activities": {"count": {"31"}},
		"a count that is not": {"count": {"lots"}},
		"a negative count":    {"count": {"-1"}},
		"a box too long":      {"title": {strings.Repeat("x", maxFormValue+1)}},
		"too many lines":      {"count": {"1"}, "a.0.kind": {"poll"}, "a.0.options": {strings.Join(many, "\n")}},
		"too many questions":  {"count": {"1"}, "a.0.kind": {"words"}, "a.0.questions": {strings.Join(many, "\n")}},
		"too many themes":     {"count": {"1"}, "a.0.kind": {"words"}, "a.0.theme": many},
	} {
		if _, err := decodeSessionForm(form); surveys.ErrorCode(err) != surveys.EINVALID {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
}

func TestApplySessionOp(t *testing.T) {
	t.Parallel()
	session := func() *surveys.LiveSession {
		return &surveys.LiveSession{Activities: []surveys.Activity{
			{ID: "a", Kind: surveys.ActivityPoll}, {ID: "b", Kind: surveys.ActivityIdeas}, {ID: "c", Kind: surveys.ActivityWords},
		}}
	}
	ids := func(s *surveys.LiveSession) string {
		var out []string
		for _, a := range s.Activities {
			out = append(out, a.ID)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		op, want string
		focus    int
	}{
		{"up:1", "b,a,c", 0},
		{"up:0", "a,b,c", 0},
		{"down:0", "b,a,c", 1},
		{"down:2", "a,b,c", 2},
		{"remove:1", "a,c", 1},
		{"remove:2", "a,b", 1},
		{"add:dots", "a,b,c,dots-1", 3},
		{"add:poll", "a,b,c,poll-1", 3},
		{"lundy", "a,b,c,lundy", 3},
	} {
		s := session()
		res, err := applySessionOp(s, tc.op)
		if err != nil || ids(s) != tc.want || res.focus != tc.focus || res.notice == "" {
			t.Errorf("%s: %s (focus %d, %q, %v), want %s (focus %d)", tc.op, ids(s), res.focus, res.notice, err, tc.want, tc.focus)
		}
	}
	s := session()
	if _, err := applySessionOp(s, "add:dots"); err != nil || s.Activities[3].Dots != 3 {
		t.Errorf("a new dot vote: %+v, want 3 dots", s.Activities[3])
	}
	if _, err := applySessionOp(s, "lundy"); err != nil || s.Activities[4].Statements[0] != "Did you feel listened to today?" {
		t.Errorf("the Lundy check: %+v", s.Activities[4])
	}
	if _, err := applySessionOp(s, "lundy"); err != nil || s.Activities[5].ID != "rating-1" {
		t.Errorf("a second Lundy check: %+v, want an id of its own", s.Activities[5])
	}
	for _, op := range []string{"", "up", "up:x", "up:3", "down:-1", "remove:99", "add:quiz", "add:", "explode"} {
		s := session()
		if _, err := applySessionOp(s, op); surveys.ErrorCode(err) != surveys.EINVALID || ids(s) != "a,b,c" {
			t.Errorf("op %q: %v, %s; want EINVALID and no change", op, err, ids(s))
		}
	}
	full := &surveys.LiveSession{}
	for range surveys.MaxActivities {
		full.Activities = append(full.Activities, surveys.Activity{Kind: surveys.ActivityQuestion})
	}
	surveys.GiveActivityIDs(full.Activities)
	if res, err := applySessionOp(full, "add:poll"); err != nil || res.problem == "" || len(full.Activities) != surveys.MaxActivities {
		t.Errorf("adding past the limit: %+v %v, %d activities", res, err, len(full.Activities))
	}
}

// The domain's field paths land beside the fields the editor shows, in
// the order of the form, with lines numbered from 1.
func TestPlaceSessionErrors(t *testing.T) {
	t.Parallel()
	s := &surveys.LiveSession{Activities: []surveys.Activity{
		{ID: "p", Kind: surveys.ActivityPoll}, {ID: "d", Kind: surveys.ActivityDots, FromIdeas: "x", Options: []string{"a"}},
	}}
	v := sessionFormView{Errors: map[string]string{}}
	for i, a := range s.Activities {
		v.Activities = append(v.Activities, activityViewOf(s, i, a, &surveys.Codebook{}))
	}
	issues := placeSessionErrors(map[string]string{
		"title":                    "is required",
		"activities":               "a session can have at most 30 activities",
		"activities.0.options.1":   "is there twice",
		"activities.0.options":     "needs at least 2",
		"activities.0.prompt":      "is required",
		"activities.0.columns":     "is not used by a poll activity; leave it out",
		"activities.1":             "needs an id of its own",
		"activities.1.options":     "is not used by a dots activity; leave it out",
		"activities.1.themes.0":    "\"x\" is not a theme of the codebook in use",
		"activities.1.questions.2": "there is no survey \"y\"",
		"activities.9.prompt":      "is required",
		"somewhere":                "is wrong",
	}, &v)
	var got []string
	for _, is := range issues {
		got = append(got, is.ID+"|"+is.Text)
	}
	want := []string{
		"title|Title: is required.",
		"add-activity|Activities: A session can have at most 30 activities.",
		"a0|Activity 1 (poll): columns is not used by a poll activity; leave it out.",
		"a0-prompt|Activity 1 (poll), question or instruction: is required.",
		"a0-options|Activity 1 (poll), options: needs at least 2; line 2: is there twice.",
		"a1|Activity 2 (dot vote): needs an id of its own.",
		"a1-options|Activity 2 (dot vote), options: leave the options empty when the dots go to an idea board's ideas, or choose no idea board.",
		"a1-themes|Activity 2 (dot vote), themes: \"x\" is not a theme of the codebook in use.",
		"a1-questions|Activity 2 (dot vote), survey questions: line 3: there is no survey \"y\".",
		"|Is required.",
		"|Is wrong.",
	}
	if !slices.Equal(got, want) {
		t.Errorf("issues:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if v.Errors["title"] != "Is required." || v.Activities[0].Errors["options"] != "Needs at least 2; line 2: is there twice." ||
		v.Activities[1].Error != "Needs an id of its own." || !v.Activities[1].LinksOpen || v.AddError == "" {
		t.Errorf("beside the fields: %+v %+v", v.Errors, v.Activities)
	}
}

// FuzzDecodeSessionForm sends the decoder any form: it never panics, and
// what it decodes is within its bounds and reads back the same from the
// form the editor would show, or it is refused.
func FuzzDecodeSessionForm(f *testing.F) {
	f.Add("title=Charter&date=2026-12-01&count=2&a.0.kind=poll&a.0.options=A%0AB&a.0.multiple=1&a.1.kind=dots&a.1.dots=3&a.1.from_ideas=b&op=up%3A1&revision=2")
	f.Add("count=1&a.0.kind=rating&a.0.statements=%0D%0A%0D%0A&a.0.theme=x&a.0.theme=x&a.0.questions=%2F%0Aa%2Fb%2Fc")
	f.Add("count=31&a.0.kind=words&a.0.words=99999999999999999999")
	f.Add("count=-1&op=remove%3A-1&revision=9223372036854775807")
	f.Add("count=1&a.0.kind=ideas&a.0.columns=%E2%80%AE%00&a.0.id=%20")
	f.Add("")
	f.Fuzz(func(t *testing.T, body string) {
		form, _ := url.ParseQuery(body) // what parsed, as a server keeps
		in, err := decodeSessionForm(form)
		if err != nil {
			if surveys.ErrorCode(err) != surveys.EINVALID {
				t.Fatalf("refused with %v, want EINVALID", err)
			}
			return
		}
		s := in.session
		if s == nil || len(s.Activities) > surveys.MaxActivities || (in.revisionOK && in.revision <= 0) {
			t.Fatalf("decoded %+v", in)
		}
		for _, a := range s.Activities {
			for _, list := range [][]string{a.Options, a.Statements, a.Columns, a.Themes} {
				if len(list) > maxFormLines {
					t.Fatalf("a list of %d items decoded", len(list))
				}
			}
			if len(a.Questions) > maxFormLines || len(a.Prompt) > maxFormValue || a.Dots < -1000 || a.Dots > 1000 || a.Words < -1000 || a.Words > 1000 {
				t.Fatalf("an activity beyond the bounds decoded: %+v", a)
			}
		}
		again, err := decodeSessionForm(encodeSessionForm(in))
		if err != nil || !reflect.DeepEqual(again.session, in.session) || again.revision != in.revision || again.op != in.op {
			t.Errorf("round trip (%v):\n got %+v\nwant %+v", err, again.session, in.session)
		}
		c := s.Clone()
		surveys.GiveActivityIDs(c.Activities)
		_ = c.Validate(nil)
		_, _ = applySessionOp(c, in.op)
	})
}
