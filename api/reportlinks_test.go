package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// MADE sessions beside the board report, through real HTTP: a session run
// with phones and ended; its activities linked to a survey question and
// to a theme reach the board report, and sessions not ended, not in the
// report's year or linked to nothing of it do not.

// linkedSession prepares a session with a poll linked to the survey's
// feel_safe question and an idea board linked to the theme "safety".
func (h *harness) linkedSession(title, date, slug string) *surveys.LiveSession {
	h.t.Helper()
	s, err := h.sessions.Create(context.Background(), &surveys.LiveSession{
		Title: title, Date: date,
		Activities: []surveys.Activity{
			{ID: "poll", Kind: surveys.ActivityPoll, Prompt: title + ": do you feel safe at home?", Options: []string{"Yes", "No"},
				Questions: []surveys.ActionQuestion{{Survey: slug, Question: "feel_safe"}}},
			{ID: "board", Kind: surveys.ActivityIdeas, Prompt: title + ": what would make you feel safer?", Themes: []string{"safety"}},
		},
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// runLinked starts a session, has phones vote yes and no and post ideas,
// and ends it unless told not to.
func (h *harness) runLinked(fac *staff, s *surveys.LiveSession, yes, no int, ideas []string, end bool) {
	h.t.Helper()
	console := "/staff/sessions/" + s.ID
	if res := h.form(fac, console+"/start", nil); res.status != http.StatusSeeOther {
		h.t.Fatalf("start: %d %s", res.status, res.body)
	}
	s, err := h.sessions.Find(context.Background(), s.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	act := func(do, activity string) {
		if res := h.form(fac, console+"/act", url.Values{"do": {do}, "activity": {activity}}); res.status != http.StatusSeeOther {
			h.t.Fatalf("%s %s: %d %s", do, activity, res.status, res.body)
		}
	}
	act("open", "poll")
	phones := make([]*phone, yes+no)
	for i := range phones {
		phones[i] = h.join(s.Code)
		choice := "0"
		if i >= yes {
			choice = "1"
		}
		if res := phones[i].send(url.Values{"id": {fmt.Sprint("v", i)}, "kind": {"vote"}, "activity": {"poll"}, "choice": {choice}}); res.status != http.StatusSeeOther {
			h.t.Fatalf("vote %d: %d %s", i, res.status, res.body)
		}
	}
	act("open", "board")
	for i, text := range ideas {
		if res := phones[i%len(phones)].send(url.Values{"id": {fmt.Sprint("i", i)}, "kind": {"post"}, "activity": {"board"}, "text": {text}}); res.status != http.StatusSeeOther {
			h.t.Fatalf("post %q: %d %s", text, res.status, res.body)
		}
	}
	if !end {
		return
	}
	if res := h.form(fac, console+"/end", nil); res.status != http.StatusSeeOther {
		h.t.Fatalf("end: %d %s", res.status, res.body)
	}
}

func TestBoardReportShowsLinkedSessions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	survey := h.addSurvey(surveys.StatusOpen)
	h.resultsSubmit(survey.Slug, 1, 20, twentyYoungPeople("more trips out"))
	fac := h.signIn(surveys.RoleFacilitator)

	// The session that counts: ended, dated today. 7 say yes and 5 no; a
	// worry is flagged and a rude idea held, and neither is ever shown.
	counted := h.linkedSession("MADE North: feeling safe", "2026-11-23", survey.Slug)
	h.runLinked(&fac, counted, 7, 5, []string{"Better lights on the way home", "my stepdad hits me when hes angry", "the wifi is shit"}, true)
	// Sessions that do not count: still running, a draft, ended before
	// the report's year.
	running := h.linkedSession("MADE South: still running", "2026-11-23", survey.Slug)
	h.runLinked(&fac, running, 6, 0, []string{"Running idea"}, false)
	h.linkedSession("MADE Central: a draft", "2026-11-23", survey.Slug)
	old := h.linkedSession("MADE North: last year", "2025-06-01", survey.Slug)
	h.runLinked(&fac, old, 6, 0, []string{"Old idea"}, true)

	board := h.signIn(surveys.RoleBoard)
	res := h.do(request{method: "GET", path: "/api/v1/reports/board.pdf?survey=" + survey.Slug, as: &board})
	if res.status != 200 {
		t.Fatalf("board report: %d %s", res.status, res.body)
	}
	text := pdfText(t, res.body)
	plain := strings.Join(strings.Fields(text), " ")
	// Beside the question: the session, the poll and its figures.
	for _, want := range []string{"From MADE sessions", "MADE North: feeling safe, 23 November 2026",
		"Poll: MADE North: feeling safe: do you feel safe at home?", "12 young people took part.", "7 (58%)", "5 (42%)",
		// Beside the theme: the idea the room saw.
		"From MADE sessions: Feeling safe", "Idea board: MADE North: feeling safe: what would make you feel safer?",
		"“Better lights on the way home”"} {
		if !strings.Contains(plain, want) {
			t.Errorf("no %q in the report", want)
		}
	}
	safe := text[strings.Index(text, "Do you feel safe where you live?"):]
	if i := strings.Index(safe, "From MADE sessions"); i < 0 || !strings.Contains(safe[:i+200], "MADE North: feeling safe") {
		t.Error("the poll is not beside the question it is linked to")
	}
	for _, never := range []string{"stepdad", "wifi", "still running", "Running idea", "a draft", "last year", "Old idea"} {
		if strings.Contains(plain, never) {
			t.Errorf("the report prints %q", never)
		}
	}

	// The Results page notes the poll under the question, as text, with
	// no young person's words.
	page := h.do(request{method: "GET", path: "/staff/surveys/" + survey.Slug + "/results", as: &board})
	if page.status != 200 {
		t.Fatalf("results page: %d", page.status)
	}
	body := string(page.body)
	safeAt := strings.Index(body, `id="q-feel_safe"`)
	if safeAt < 0 {
		t.Fatal("no feel_safe question on the results page")
	}
	question := body[safeAt:]
	question = question[:strings.Index(question[1:], `class="question"`)+1]
	for _, want := range []string{"From MADE sessions", "MADE North: feeling safe, 23 Nov 2026",
		"Poll: MADE North: feeling safe: do you feel safe at home?", "12 young people took part.", "Yes 7 (58.3%), No 5 (41.7%)."} {
		if !strings.Contains(question, want) {
			t.Errorf("no %q under the question on the results page", want)
		}
	}
	for _, never := range []string{"Better lights", "stepdad", "wifi", "still running", "last year"} {
		if strings.Contains(body, never) {
			t.Errorf("the results page shows %q", never)
		}
	}
}
