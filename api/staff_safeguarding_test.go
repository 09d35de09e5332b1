package api_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// TestFlaggedAnswerReachesTheLead follows a worrying answer from the phone
// to the safeguarding lead: the reply asks the phone to show help, the
// flag is stored once with its context, it is first on the lead's home
// page and in the queue, reading it and deciding on it are audited, and a
// decision with mistakes is refused beside its fields.
func TestFlaggedAnswerReachesTheLead(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	path := "/api/v1/surveys/" + s.Slug + "/responses"
	lead := h.signIn(surveys.RoleSafeguardingLead)

	calm := h.do(request{method: "POST", path: path, json: submission(1, validAnswers())})
	if calm.status != 201 || !strings.Contains(string(calm.body), `"help":{"show":false}`) {
		t.Fatalf("a calm answer: %d %s, want 201 without help", calm.status, calm.body)
	}
	if res := h.svGet(&lead, "/staff"); !strings.Contains(string(res.body), "No flags to review.") {
		t.Errorf("the lead's home before any flag: %s", textBetween(string(res.body), "<main", "</main>"))
	}

	worrying := validAnswers()
	worrying["better"] = "he says if i tell anyone ill get moved"
	for try := range 2 { // the second is the phone retrying
		res := h.do(request{method: "POST", path: path, json: submission(2, worrying)})
		if res.status != 201 && res.status != 200 || !strings.Contains(string(res.body), `"help":{"show":true}`) {
			t.Fatalf("try %d of a worrying answer: %d %s, want help shown", try, res.status, res.body)
		}
		if strings.Contains(string(res.body), "flag") {
			t.Errorf("the young person is told about a flag: %s", res.body)
		}
	}
	flags, err := h.flags.FindFlags(t.Context(), surveys.FlagFilter{})
	if err != nil || len(flags) != 1 {
		t.Fatalf("%d flags (%v), want 1 for the answer sent twice", len(flags), err)
	}
	f := flags[0]
	if f.Text != worrying["better"] || f.Source.Survey != s.Slug || f.Source.Question != "better" || f.Source.Version != "11-18" ||
		f.AgeBand != "11-18" || f.Area != "North" || f.Day != "2026-11-23" || len(f.Evidence) == 0 || f.Reviewed() {
		t.Errorf("flag: %+v", f)
	}
	voices, err := h.voices.FindVoices(t.Context(), surveys.VoiceFilter{Survey: s.Slug})
	if err != nil || len(voices) != 4 { // better and talk_who, of each response
		t.Errorf("%d voices (%v), want 4", len(voices), err)
	}

	// Home: the flag first, without its words.
	home := string(h.svGet(&lead, "/staff").body)
	if !strings.Contains(home, "One comment needs your review.") || !strings.Contains(home, "/staff/safeguarding/"+f.ID) {
		t.Errorf("the lead's home does not list the flag: %s", textBetween(home, "<main", "</main>"))
	}
	if strings.Contains(home, "ill get moved") {
		t.Error("the home page shows the words")
	}
	if strings.Index(home, "flags-heading") > strings.Index(home, "activity-heading") {
		t.Error("the flags are not first on the lead's home page")
	}

	// The queue and the flag, each read audited.
	queue := h.svGet(&lead, "/staff/safeguarding")
	if queue.status != 200 || !isStaffPage(queue, "ill get moved") || !strings.Contains(string(queue.body), "To review (1)") {
		t.Fatalf("queue: %d %s", queue.status, textBetween(string(queue.body), "<main", "</main>"))
	}
	// An alert that could not be sent is shown, with why.
	if err := h.flags.SetAlert(t.Context(), f.ID, surveys.AlertState{Attempts: 2, LastError: "email: mail server refused a recipient"}); err != nil {
		t.Fatal(err)
	}
	if q := string(h.svGet(&lead, "/staff/safeguarding").body); !strings.Contains(q, "1 alert could not be sent yet") ||
		!strings.Contains(q, "mail server refused a recipient") {
		t.Errorf("the queue does not show the failed alert: %s", textBetween(q, "<main", "</main>"))
	}
	page := h.svGet(&lead, "/staff/safeguarding/"+f.ID)
	question := s.Versions[0].Question("better").Text.In("en")
	if page.status != 200 || !strings.Contains(string(page.body), question) || !strings.Contains(string(page.body), "ages 11-18, area North") {
		t.Fatalf("flag page: %d %s", page.status, textBetween(string(page.body), "<main", "</main>"))
	}
	if len(h.svAudit(surveys.AuditFlagList, "")) != 2 || len(h.svAudit(surveys.AuditFlagView, f.ID)) != 1 {
		t.Error("reading the queue and the flag is not audited")
	}

	// Decisions with mistakes change nothing.
	bad := []struct {
		name  string
		form  url.Values
		field string
	}{
		{"no outcome", url.Values{"note": {"x"}}, "flag-outcome-error"},
		{"an unknown outcome", url.Values{"outcome": {"ignored"}}, "flag-outcome-error"},
		{"passed on to nobody", url.Values{"outcome": {"passed_on"}}, "flag-service-error"},
		{"a note too long", url.Values{"outcome": {"no_concern"}, "note": {strings.Repeat("a", surveys.MaxFlagNoteLen+1)}}, "flag-note-error"},
	}
	for _, tt := range bad {
		res := h.svPost(&lead, "/staff/safeguarding/"+f.ID, tt.form, false)
		if res.status != 422 || !strings.Contains(string(res.body), `id="`+tt.field+`"`) {
			t.Errorf("%s: %d, want 422 with %s", tt.name, res.status, tt.field)
		}
	}
	if got, _ := h.flags.FindFlag(t.Context(), f.ID); got.Reviewed() {
		t.Fatal("a refused decision was recorded")
	}
	if res := h.svPost(&lead, "/staff/safeguarding/no-such-flag", url.Values{"outcome": {"no_concern"}}, false); res.status != 404 {
		t.Errorf("a decision on no flag: %d, want 404", res.status)
	}
	if res := h.svPost(&lead, "/staff/safeguarding/"+f.ID, url.Values{"outcome": {"no_concern"}}, true); res.status != 403 {
		t.Errorf("a decision without the CSRF token: %d, want 403", res.status)
	}

	// A good one.
	res := h.svPost(&lead, "/staff/safeguarding/"+f.ID, url.Values{"outcome": {"passed_on"}, "service": {"CAMHS"}, "note": {"Spoke to the team."}}, false)
	if res.status != 303 {
		t.Fatalf("decision: %d %s", res.status, textBetween(string(res.body), "<main", "</main>"))
	}
	got, err := h.flags.FindFlag(t.Context(), f.ID)
	if err != nil || !got.Reviewed() || got.Latest().Outcome != surveys.OutcomePassedOn || got.Latest().Service != "CAMHS" ||
		got.Latest().By != "safeguarding_lead@council.example" {
		t.Errorf("after the decision: %+v (%v)", got, err)
	}
	if e := h.svAudit(surveys.AuditFlagDecide, f.ID); len(e) != 1 || e[0].Detail != "passed_on" {
		t.Errorf("the decision's audit entries: %v", e)
	}
	if e := h.svAudit(surveys.AuditFlagDecide, f.ID); len(e) == 1 && strings.Contains(e[0].Detail, "Spoke") {
		t.Error("the audit log holds the note")
	}
	if home := string(h.svGet(&lead, "/staff").body); !strings.Contains(home, "No flags to review.") {
		t.Error("a reviewed flag is still on the home page")
	}
	if q := string(h.svGet(&lead, "/staff/safeguarding").body); !strings.Contains(q, "Reviewed (1)") || !strings.Contains(q, "Passed to a named service") {
		t.Errorf("the queue after the decision: %s", textBetween(q, "<main", "</main>"))
	}
}
