package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/heard-app/heard/api"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

// actionBody is a valid action of the fixture survey as a client sends
// it, with the status given.
func actionBody(status string) map[string]any {
	body := map[string]any{
		"said":      map[string]string{"en": "There is nothing to do at weekends.", "pl": "W weekendy nie ma co robić."},
		"did":       map[string]string{"en": "A free Saturday youth club opened."},
		"owner":     "Participation team",
		"due":       "2027-03-31",
		"status":    status,
		"themes":    []string{"activities"},
		"surveys":   []string{surveytest.Slug},
		"questions": []map[string]string{{"survey": surveytest.Slug, "question": "happy"}},
		"publish":   true,
	}
	if status == "not_possible" {
		body["reason"] = "The building is closed at weekends."
	}
	return body
}

// withRevision adds the revision a change is made from.
func withRevision(body map[string]any, revision int) map[string]any {
	body["revision"] = revision
	return body
}

// apiAction is an action as the API returns it.
type apiAction struct {
	ID        string            `json:"id"`
	Said      map[string]string `json:"said"`
	Did       map[string]string `json:"did"`
	Owner     string            `json:"owner"`
	Due       string            `json:"due"`
	Status    string            `json:"status"`
	Reason    string            `json:"reason"`
	Themes    []string          `json:"themes"`
	Surveys   []string          `json:"surveys"`
	Questions []struct {
		Survey   string `json:"survey"`
		Question string `json:"question"`
	} `json:"questions"`
	Sessions []string `json:"sessions"`
	Publish  bool     `json:"publish"`
	History  []struct {
		At     string `json:"at"`
		Status string `json:"status"`
		By     string `json:"by"`
	} `json:"history"`
	Revision int `json:"revision"`
}

// listActions reads the actions through the API as who.
func (h *harness) listActions(who *staff, query string) []apiAction {
	h.t.Helper()
	res := h.do(request{method: "GET", path: "/api/v1/actions" + query, as: who})
	if res.status != 200 {
		h.t.Fatalf("list actions: %d %s", res.status, res.body)
	}
	var out struct {
		Actions []apiAction `json:"actions"`
	}
	res.decode(h.t, &out)
	return out.Actions
}

// TestActionsAPI follows an action through the API: an analyst creates it,
// the board reads it, an admin changes it, and a change from an old
// revision is refused. The board can change nothing.
func TestActionsAPI(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusOpen)
	analyst, admin, board := h.signIn(surveys.RoleAnalyst), h.signIn(surveys.RoleAdmin), h.signIn(surveys.RoleBoard)

	res := h.do(request{method: "POST", path: "/api/v1/actions", json: actionBody("planned"), as: &analyst})
	if res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	for _, want := range []string{`"sessions":[]`, `"reason":""`, `"history":[{"at":"2026-11-23T10:00:00Z","status":"planned","by":"analyst@council.example"}]`} {
		if !strings.Contains(string(res.body), want) {
			t.Errorf("created action %s lacks %s", res.body, want)
		}
	}
	var created apiAction
	res.decode(t, &created)
	if created.ID == "" || created.Revision != 1 || created.Said["pl"] != "W weekendy nie ma co robić." || len(created.Questions) != 1 {
		t.Errorf("created %+v", created)
	}

	list := h.listActions(&board, "")
	if len(list) != 1 || list[0].ID != created.ID {
		t.Fatalf("the board's list: %+v", list)
	}
	res = h.do(request{method: "GET", path: "/api/v1/actions/" + created.ID, as: &board})
	if res.status != 200 || res.headers.Get("Cache-Control") != "no-store" {
		t.Errorf("the board reads one: %d %s", res.status, res.body)
	}

	change := withRevision(actionBody("done"), 1)
	change["publish"] = false
	res = h.do(request{method: "PUT", path: "/api/v1/actions/" + created.ID, json: change, as: &admin})
	if res.status != 200 {
		t.Fatalf("update: %d %s", res.status, res.body)
	}
	var updated apiAction
	res.decode(t, &updated)
	if updated.Revision != 2 || updated.Status != "done" || updated.Publish || len(updated.History) != 2 ||
		updated.History[1].By != "admin@council.example" || updated.History[1].Status != "done" {
		t.Errorf("updated %+v", updated)
	}

	stale := withRevision(actionBody("in_progress"), 1)
	res = h.do(request{method: "PUT", path: "/api/v1/actions/" + created.ID, json: stale, as: &analyst})
	if msg, _ := res.errorOf(t); res.status != 409 || !strings.Contains(msg, "Someone else saved this action") {
		t.Errorf("a change from revision 1 after revision 2: %d %s, want 409", res.status, res.body)
	}
	for _, req := range []request{
		{method: "POST", path: "/api/v1/actions", json: actionBody("planned"), as: &board},
		{method: "PUT", path: "/api/v1/actions/" + created.ID, json: withRevision(actionBody("planned"), 2), as: &board},
	} {
		if res := h.do(req); res.status != 403 {
			t.Errorf("board %s: %d, want 403", req.method, res.status)
		}
	}
	if res := h.do(request{method: "GET", path: "/api/v1/actions/nope", as: &board}); res.status != 404 {
		t.Errorf("unknown action: %d, want 404", res.status)
	}
	now := h.listActions(&board, "")
	if len(now) != 1 || now[0].Revision != 2 || now[0].Status != "done" {
		t.Errorf("after refused changes: %+v", now)
	}
	if !h.auditHas(surveys.AuditActionCreate, "analyst@council.example", "action "+created.ID) ||
		!h.auditHas(surveys.AuditActionUpdate, "admin@council.example", "action "+created.ID) {
		t.Error("the create and the change are not both in the audit log")
	}
}

// Bad input gets a clear 400 or 422 naming what is wrong, and changes
// nothing.
func TestActionsAPIBadInput(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusOpen)
	analyst := h.signIn(surveys.RoleAnalyst)
	res := h.do(request{method: "POST", path: "/api/v1/actions", json: actionBody("planned"), as: &analyst})
	if res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	var a apiAction
	res.decode(t, &a)

	with := func(change func(b map[string]any)) map[string]any {
		b := actionBody("planned")
		change(b)
		return b
	}
	post := func(body any) request {
		return request{method: "POST", path: "/api/v1/actions", json: body, as: &analyst}
	}
	cases := []struct {
		name   string
		req    request
		status int
		field  string // a field the error must name, with its message containing want
		want   string
	}{
		{"not JSON", request{method: "POST", path: "/api/v1/actions", body: `{"said":`, ctype: "application/json", as: &analyst}, 400, "", ""},
		{"not sent as JSON", request{method: "POST", path: "/api/v1/actions", body: `said=x`, ctype: "application/x-www-form-urlencoded", as: &analyst}, 415, "", ""},
		{"unknown field", post(with(func(b map[string]any) { b["colour"] = "red" })), 400, "", ""},
		{"two objects", request{method: "POST", path: "/api/v1/actions", body: `{} {}`, ctype: "application/json", as: &analyst}, 400, "", ""},
		{"wrong type", post(with(func(b map[string]any) { b["publish"] = "yes" })), 422, "publish", "wrong type"},
		{"no status", post(with(func(b map[string]any) { delete(b, "status") })), 422, "status", "is required"},
		{"unknown status", post(with(func(b map[string]any) { b["status"] = "cancelled" })), 422, "status", "must be one of"},
		{"no owner", post(with(func(b map[string]any) { b["owner"] = "" })), 422, "owner", "is required"},
		{"owner an email", post(with(func(b map[string]any) { b["owner"] = "jo@council.gov.uk" })), 422, "owner", "not an email address"},
		{"said without English", post(with(func(b map[string]any) { b["said"] = map[string]string{"pl": "Coś"} })), 422, "said.en", "needs English"},
		{"not possible, no reason", post(with(func(b map[string]any) { b["status"] = "not_possible" })), 422, "reason", "is needed"},
		{"bad due date", post(with(func(b map[string]any) { b["due"] = "next week" })), 422, "due", "year-month-day"},
		{"unknown theme", post(with(func(b map[string]any) { b["themes"] = []string{"space"} })), 422, "themes[0]", "not a theme"},
		{"unknown survey", post(with(func(b map[string]any) { b["surveys"] = []string{"nope"} })), 422, "surveys[0]", "no survey"},
		{"unknown question", post(with(func(b map[string]any) {
			b["questions"] = []map[string]string{{"survey": surveytest.Slug, "question": "nope"}}
		})), 422, "questions[0]", "no question"},
		{"too many themes", post(with(func(b map[string]any) {
			themes := make([]string, surveys.MaxActionThemes+1)
			for i := range themes {
				themes[i] = fmt.Sprintf("t%d", i)
			}
			b["themes"] = themes
		})), 422, "themes", "the most is 10"},
		{"said too long", post(with(func(b map[string]any) {
			b["said"] = map[string]string{"en": strings.Repeat("é", surveys.MaxActionText+1)}
		})), 422, "said.en", "longer than 1000 characters"},
		{"too large", post(with(func(b map[string]any) { b["did"] = map[string]string{"en": strings.Repeat("x", api.MaxActionBytes)} })), 413, "", ""},
		{"change without revision", request{method: "PUT", path: "/api/v1/actions/" + a.ID, json: actionBody("done"), as: &analyst}, 422, "revision", "is required"},
		{"change of an unknown action", request{method: "PUT", path: "/api/v1/actions/nope", json: withRevision(actionBody("done"), 1), as: &analyst}, 404, "", ""},
	}
	for _, tc := range cases {
		res := h.do(tc.req)
		if res.status != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, res.status, res.body, tc.status)
			continue
		}
		msg, fields := res.errorOf(t)
		if msg == "" || strings.Contains(msg, "json:") {
			t.Errorf("%s: message %q is not for people", tc.name, msg)
		}
		if tc.field != "" && !strings.Contains(fields[tc.field], tc.want) {
			t.Errorf("%s: fields %v, want %s: ...%s...", tc.name, fields, tc.field, tc.want)
		}
	}
	list := h.listActions(&analyst, "")
	if len(list) != 1 || list[0].Revision != 1 {
		t.Errorf("bad requests changed the actions: %+v", list)
	}
}

func TestActionsAPIFilter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusOpen)
	analyst := h.signIn(surveys.RoleAnalyst)
	for i, status := range []string{"done", "planned", "not_possible"} {
		b := actionBody(status)
		if i == 1 {
			b["themes"], b["publish"] = []string{"transport"}, false
		}
		if i == 2 {
			b["surveys"], b["questions"] = []string{}, []map[string]string{}
		}
		if res := h.do(request{method: "POST", path: "/api/v1/actions", json: b, as: &analyst}); res.status != 201 {
			t.Fatalf("create %s: %d %s", status, res.status, res.body)
		}
	}
	statuses := func(list []apiAction) string {
		var s []string
		for _, a := range list {
			s = append(s, a.Status)
		}
		return strings.Join(s, " ")
	}
	for query, want := range map[string]string{
		"":                           "planned done not_possible",
		"?published=true":            "done not_possible",
		"?published=false":           "planned done not_possible",
		"?theme=transport":           "planned",
		"?survey=" + surveytest.Slug: "planned done",
		"?survey=" + surveytest.Slug + "&theme=activities&published=true": "done",
	} {
		if got := statuses(h.listActions(&analyst, query)); got != want {
			t.Errorf("%q: %s, want %s", query, got, want)
		}
	}
	for query, field := range map[string]string{"?survey=nope": "survey", "?theme=nope": "theme", "?published=maybe": "published"} {
		res := h.do(request{method: "GET", path: "/api/v1/actions" + query, as: &analyst})
		if _, fields := res.errorOf(t); res.status != 422 || fields[field] == "" {
			t.Errorf("%q: %d %s, want 422 naming %s", query, res.status, res.body, field)
		}
	}
}

// The public page shows only published actions: checked here on the whole
// app, through the same routes as production.
func TestYouSaidWeDidRoute(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusOpen)
	ctx := surveys.NewContextWithUser(context.Background(), &surveys.User{Email: "a@council.example", Role: surveys.RoleAnalyst})
	for _, publish := range []bool{true, false} {
		a := &surveys.Action{Said: surveys.Text{"en": fmt.Sprintf("Said, published %v.", publish)}, Did: surveys.Text{"en": "Did."},
			Owner: "Team", Status: surveys.ActionPlanned, Publish: publish}
		if _, err := h.actions.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	res := h.do(request{method: "GET", path: "/you-said-we-did"})
	body := string(res.body)
	if res.status != 200 || !strings.Contains(body, "Said, published true.") || strings.Contains(body, "Said, published false.") {
		t.Errorf("public page: %d, want the published action only:\n%s", res.status, body)
	}
	if res.headers.Get("Content-Security-Policy") == "" {
		t.Error("the page has no Content-Security-Policy: it did not go through the pages' headers")
	}
	var js json.RawMessage
	if res := h.do(request{method: "GET", path: "/api/v1/actions"}); res.status != 401 || json.Unmarshal(res.body, &js) != nil {
		t.Errorf("the API's list without signing in: %d %s, want a 401 in JSON", res.status, res.body)
	}
}
