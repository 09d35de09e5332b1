package staff

import (
	"maps"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// encodeActionForm is what a browser sends for an action as the form
// shows it: the inverse of decodeActionForm.
func encodeActionForm(in actionInput) url.Values {
	a := in.action
	form := url.Values{"owner": {a.Owner}, "due": {a.Due}, "status": {string(a.Status)}, "reason": {a.Reason}}
	for lang, s := range a.Said {
		form.Set("said."+lang, s)
	}
	for lang, s := range a.Did {
		form.Set("did."+lang, s)
	}
	form["theme"], form["survey"], form["session"] = a.Themes, a.Surveys, a.Sessions
	for _, q := range a.Questions {
		form.Add("question", q.Survey+"/"+q.Question)
	}
	if a.Publish {
		form.Set("publish", "1")
	}
	if in.revisionOK {
		form.Set("revision", strconv.Itoa(in.revision))
	}
	return form
}

func TestDecodeActionForm(t *testing.T) {
	t.Parallel()
	form := url.Values{
		"_csrf":    {"token"},
		"revision": {"4"},
		"said.en":  {"Not enough to do."},
		"said.pl":  {"Nie ma co robić."},
		"did.en":   {"A youth club."},
		"owner":    {" Participation team "},
		"due":      {"2027-03-31"},
		"status":   {"done"},
		"reason":   {""},
		"theme":    {"activities", "transport"},
		"survey":   {"cared-for-2026"},
		"question": {"cared-for-2026/fun_things", "care-leavers-2026/lonely"},
		"session":  {"made-1"},
		"publish":  {"1"},
	}
	got := decodeActionForm(form)
	want := &surveys.Action{
		Said: surveys.Text{"en": "Not enough to do.", "pl": "Nie ma co robić."}, Did: surveys.Text{"en": "A youth club."},
		Owner: " Participation team ", Due: "2027-03-31", Status: surveys.ActionDone,
		Themes: []string{"activities", "transport"}, Surveys: []string{"cared-for-2026"},
		Questions: []surveys.ActionQuestion{{Survey: "cared-for-2026", Question: "fun_things"}, {Survey: "care-leavers-2026", Question: "lonely"}},
		Sessions:  []string{"made-1"}, Publish: true,
	}
	if !reflect.DeepEqual(got.action, want) || got.revision != 4 || !got.revisionOK {
		t.Errorf("decoded %+v (revision %d, %v)\nwant %+v", got.action, got.revision, got.revisionOK, want)
	}

	empty := decodeActionForm(url.Values{})
	if empty.action.Publish || empty.revisionOK || len(empty.action.Said) != 0 || empty.action.Status != "" {
		t.Errorf("an empty form: %+v", empty)
	}
	for _, r := range []string{"", "0", "-1", "x", "1.5", "99999999999999999999"} {
		if in := decodeActionForm(url.Values{"revision": {r}}); in.revisionOK {
			t.Errorf("revision %q accepted as %d", r, in.revision)
		}
	}
	if q := decodeActionForm(url.Values{"question": {"no-slash"}}).action.Questions; !slices.Equal(q, []surveys.ActionQuestion{{Survey: "no-slash"}}) {
		t.Errorf("a question without a slash: %+v", q)
	}
}

func TestActionIssues(t *testing.T) {
	t.Parallel()
	said, did := actionTexts("said", surveys.Text{"en": "x", "cy": "y"}), actionTexts("did", nil)
	beside, issues := actionIssues(map[string]string{
		"said":       "is missing; it needs at least English (\"en\")",
		"said.cy":    "is longer than 1000 characters",
		"did.pl":     "is longer than 1000 characters",
		"owner":      "is needed: name the team or role that does it",
		"themes[3]":  "\"b\" is not a theme",
		"themes[0]":  "\"a\" is not a theme",
		"sessions":   "has 21 sessions; the most is 20",
		"questions":  "has 31 questions; the most is 30",
		"weird path": "is odd",
	}, said, did)
	wantBeside := map[string]string{
		"said-en":   "Is missing; it needs at least English (\"en\").",
		"said-cy":   "Is longer than 1000 characters.",
		"did-pl":    "Is longer than 1000 characters.",
		"owner":     "Is needed: name the team or role that does it.",
		"themes":    "\"a\" is not a theme; \"b\" is not a theme.",
		"questions": "Has 31 questions; the most is 30.",
	}
	if !maps.Equal(beside, wantBeside) {
		t.Errorf("beside the fields:\n got %v\nwant %v", beside, wantBeside)
	}
	wantIssues := []adminIssue{
		{ID: "said-en", Text: "What young people said, in English: is missing; it needs at least English (\"en\")."},
		{ID: "said-cy", Text: "What young people said, in the language \"cy\": is longer than 1000 characters."},
		{ID: "did-pl", Text: "What was done, in Polish: is longer than 1000 characters."},
		{ID: "owner", Text: "Owner: is needed: name the team or role that does it."},
		{ID: "themes", Text: "Themes: \"a\" is not a theme; \"b\" is not a theme."},
		{ID: "questions", Text: "Questions: has 31 questions; the most is 30."},
		{ID: "", Text: "MADE sessions: has 21 sessions; the most is 20."},
		{ID: "", Text: "Is odd."},
	}
	if !slices.Equal(issues, wantIssues) {
		t.Errorf("summary:\n got %q\nwant %q", issues, wantIssues)
	}
	if said[0].Error == "" || said[3].Error == "" || did[1].Error == "" || said[1].Error != "" {
		t.Errorf("the boxes' errors: %+v %+v", said, did)
	}
}

// FuzzDecodeActionForm sends the decoder any form: it never fails or
// panics, what it decodes encodes back to itself, and the domain's checks
// take whatever it makes.
func FuzzDecodeActionForm(f *testing.F) {
	f.Add("said.en=Not+enough+to+do&did.en=Club&owner=Team&status=done&theme=activities&question=s%2Fq&publish=1&revision=2")
	f.Add("said.=x&said.en=&question=%2F&question=a%2Fb%2Fc&revision=-3&theme=&survey=x&survey=x")
	f.Add("said.zz-top=%00&status=not_possible&reason=%E2%80%AE&due=2027-02-30&revision=9223372036854775807")
	f.Add("")
	f.Fuzz(func(t *testing.T, body string) {
		form, _ := url.ParseQuery(body) // what parsed, as a server keeps
		in := decodeActionForm(form)
		if in.action == nil || (in.revisionOK && in.revision <= 0) {
			t.Fatalf("decoded %+v", in)
		}
		again := decodeActionForm(encodeActionForm(in))
		if !reflect.DeepEqual(normalizedForCompare(again.action), normalizedForCompare(in.action)) || again.revision != in.revision || again.revisionOK != in.revisionOK {
			t.Errorf("round trip:\n got %+v\nwant %+v", again.action, in.action)
		}
		a := in.action.Clone()
		a.Normalize()
		_ = a.Validate()
	})
}

// normalizedForCompare makes empty lists and texts nil, which a form
// cannot tell apart.
func normalizedForCompare(a *surveys.Action) *surveys.Action {
	c := a.Clone()
	if len(c.Said) == 0 {
		c.Said = nil
	}
	if len(c.Did) == 0 {
		c.Did = nil
	}
	for _, s := range []*[]string{&c.Themes, &c.Surveys, &c.Sessions} {
		if len(*s) == 0 {
			*s = nil
		}
	}
	if len(c.Questions) == 0 {
		c.Questions = nil
	}
	return c
}
