package api_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

func (h *harness) storedContacts() []*surveys.SealedContact {
	h.t.Helper()
	list, err := h.contacts.FindContacts(h.t.Context(), surveys.ContactFilter{})
	if err != nil {
		h.t.Fatal(err)
	}
	return list
}

// TestRequestContactAPI: a request to talk through the JSON API is stored
// sealed; mistakes are 422 with a problem per field and store nothing; a
// client may make 5 an hour.
func TestRequestContactAPI(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	closed := surveytestDefinition(t)
	closed.Slug = "closed-survey"
	if _, err := h.catalog.Create(t.Context(), closed); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/surveys/" + s.Slug + "/contact"
	good := map[string]any{"name": "Jamie Lee", "reach": "07700 900123", "message": "about my placement", "lang": "en"}

	res := h.do(request{method: "POST", path: path, json: good})
	if res.status != 201 || strings.TrimSpace(string(res.body)) != `{"status":"stored"}` {
		t.Fatalf("request: %d %s", res.status, res.body)
	}
	list := h.storedContacts()
	if len(list) != 1 || list[0].Survey != s.Slug || list[0].Day != "2026-11-23" || strings.Contains(string(list[0].Details), "Jamie") {
		t.Fatalf("stored %+v", list)
	}

	bad := []struct {
		name   string
		body   map[string]any
		status int
		field  string
		code   string
	}{
		{"no name", map[string]any{"reach": "07700 900123"}, 422, "name", surveys.ProblemRequired},
		{"no way to reach", map[string]any{"name": "Jamie", "reach": "  "}, 422, "reach", surveys.ProblemRequired},
		{"a name too long", map[string]any{"name": strings.Repeat("n", surveys.MaxContactNameLen+1), "reach": "x"}, 422, "name", surveys.ProblemTooLong},
		{"a way to reach too long", map[string]any{"name": "J", "reach": strings.Repeat("r", surveys.MaxContactReachLen+1)}, 422, "reach", surveys.ProblemTooLong},
		{"a message too long", map[string]any{"name": "J", "reach": "r", "message": strings.Repeat("m", surveys.MaxContactMessageLen+1)}, 422, "message", surveys.ProblemTooLong},
		{"a language too long", map[string]any{"name": "J", "reach": "r", "lang": strings.Repeat("e", 17)}, 422, "lang", ""},
		{"an unknown field", map[string]any{"name": "J", "reach": "r", "response_id": "x"}, 400, "", ""},
		{"a number for a name", map[string]any{"name": 7, "reach": "r"}, 422, "name", ""},
	}
	for _, tc := range bad {
		res := h.do(request{method: "POST", path: path, json: tc.body})
		if res.status != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, res.status, res.body, tc.status)
			continue
		}
		if tc.field == "" {
			continue
		}
		var e struct {
			Fields   map[string]string          `json:"fields"`
			Problems map[string]surveys.Problem `json:"problems"`
		}
		res.decode(t, &e)
		if e.Fields[tc.field] == "" || tc.code != "" && e.Problems[tc.field].Code != tc.code {
			t.Errorf("%s: %s, want %s for %s", tc.name, res.body, tc.code, tc.field)
		}
	}
	for _, tc := range []struct {
		name, path string
		status     int
	}{
		{"no such survey", "/api/v1/surveys/nothing/contact", 404},
		{"a draft", "/api/v1/surveys/closed-survey/contact", 409},
	} {
		if res := h.do(request{method: "POST", path: tc.path, json: good}); res.status != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, res.status, tc.status)
		}
	}
	if res := h.do(request{method: "POST", path: path, body: `{"name": "J"`, ctype: "application/json"}); res.status != 400 {
		t.Errorf("malformed JSON: %d", res.status)
	}
	if res := h.do(request{method: "POST", path: path, json: map[string]any{"name": "J", "reach": "r", "message": strings.Repeat("m", 20<<10)}}); res.status != 413 {
		t.Errorf("a body over 16 KiB: %d, want 413", res.status)
	}
	if n := len(h.storedContacts()); n != 1 {
		t.Fatalf("%d stored after refusals, want 1", n)
	}

	// Four more are taken (mistakes did not count), then the client waits.
	for i := range surveys.MaxContactsPerClient - 1 {
		if res := h.do(request{method: "POST", path: path, json: good}); res.status != 201 {
			t.Fatalf("request %d: %d %s", i+2, res.status, res.body)
		}
	}
	res = h.do(request{method: "POST", path: path, json: good})
	if res.status != 429 || res.headers.Get("Retry-After") != "3600" {
		t.Fatalf("request %d: %d (Retry-After %q), want 429", surveys.MaxContactsPerClient+1, res.status, res.headers.Get("Retry-After"))
	}
	if msg, _ := res.errorOf(t); !strings.Contains(msg, "Please wait 60 minutes") {
		t.Errorf("the refusal says %q", msg)
	}
	if n := len(h.storedContacts()); n != surveys.MaxContactsPerClient {
		t.Errorf("%d stored, want %d", n, surveys.MaxContactsPerClient)
	}
	// The logs never hold what a young person wrote.
	if logs := h.logs.String(); strings.Contains(logs, "Jamie") || strings.Contains(logs, "07700") {
		t.Errorf("the logs hold the request: %s", logs)
	}
}

// With requests to talk off (no HEARD_CONTACT_KEY_FILE), their addresses
// are not there and no page offers them.
func TestContactsOff(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{noContacts: true})
	s := h.addSurvey(surveys.StatusOpen)
	if res := h.do(request{method: "POST", path: "/api/v1/surveys/" + s.Slug + "/contact", json: map[string]any{"name": "J", "reach": "r"}}); res.status != 404 {
		t.Errorf("the API: %d, want 404", res.status)
	}
	form := url.Values{"name": {"J"}, "reach": {"r"}}.Encode()
	if res := h.do(request{method: "POST", path: "/s/" + s.Slug + "/contact", ctype: "application/x-www-form-urlencoded", body: form}); res.status != 404 {
		t.Errorf("the form: %d, want 404", res.status)
	}
	if res := h.do(request{method: "GET", path: "/s/" + s.Slug + "/contact"}); res.status != 404 {
		t.Errorf("the form's page: %d, want 404", res.status)
	}
	thanks := h.do(request{method: "GET", path: "/s/" + s.Slug + "/11-18/thanks"})
	if thanks.status != 200 || strings.Contains(string(thanks.body), "contact-title") || strings.Contains(string(thanks.body), "/contact") {
		t.Errorf("the thank-you page offers the form: %d", thanks.status)
	}
	if help := string(h.do(request{method: "GET", path: "/help"}).body); strings.Contains(help, "/contact") {
		t.Error("the help page links to the form")
	}
	lead := h.signIn(surveys.RoleSafeguardingLead)
	if res := h.svGet(&lead, "/staff/safeguarding/contacts"); res.status != 404 {
		t.Errorf("the lead's list: %d, want 404", res.status)
	}
	for _, page := range []string{"/staff/safeguarding", "/staff"} {
		if body := string(h.svGet(&lead, page).body); strings.Contains(body, "/staff/safeguarding/contacts") || strings.Contains(body, "contacts-waiting") {
			t.Errorf("%s links to requests to talk", page)
		}
	}
}

// TestContactReachesTheLead follows a request to talk made on the
// thank-you page without JavaScript to the safeguarding lead: counted on
// the lead's home page, linked from the queue, read and decided on, each
// audited without the words; nobody else can read it.
func TestContactReachesTheLead(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	lead := h.signIn(surveys.RoleSafeguardingLead)

	thanks := string(h.do(request{method: "GET", path: "/s/" + s.Slug + "/11-18/thanks"}).body)
	if !strings.Contains(thanks, `action="/s/`+s.Slug+`/contact"`) {
		t.Fatal("no form on the thank-you page")
	}
	if home := string(h.svGet(&lead, "/staff").body); !strings.Contains(home, "No requests to talk to review.") {
		t.Errorf("home before: %s", textBetween(home, "<main", "</main>"))
	}
	form := url.Values{"lang": {"en"}, "name": {"Jamie Lee"}, "reach": {"through my carer, after school"}, "message": {"I want to move school"}}
	res := h.do(request{method: "POST", path: "/s/" + s.Slug + "/contact", ctype: "application/x-www-form-urlencoded", body: form.Encode()})
	if res.status != 303 || res.headers.Get("Location") != "/s/"+s.Slug+"/contact?sent=1" {
		t.Fatalf("sent: %d to %q", res.status, res.headers.Get("Location"))
	}
	sent := h.do(request{method: "GET", path: res.headers.Get("Location")})
	if sent.status != 200 || !strings.Contains(string(sent.body), "Thank you for asking") {
		t.Errorf("the thanks: %d", sent.status)
	}
	list := h.storedContacts()
	if len(list) != 1 {
		t.Fatalf("%d stored", len(list))
	}
	id := list[0].ID

	// Nobody but the lead reads it, by any page.
	others := map[surveys.Role]staff{}
	for _, role := range []surveys.Role{surveys.RoleBoard, surveys.RoleAnalyst, surveys.RoleAdmin, surveys.RoleFacilitator, surveys.RoleSchoolLead} {
		other := h.signIn(role)
		others[role] = other
		for _, page := range []string{"/staff/safeguarding/contacts", "/staff/safeguarding/contacts/" + id} {
			if res := h.svGet(&other, page); res.status != 403 || strings.Contains(string(res.body), "Jamie") {
				t.Errorf("%s opens %s: %d", role, page, res.status)
			}
		}
		if res := h.svPost(&other, "/staff/safeguarding/contacts/"+id, url.Values{"outcome": {"no_concern"}}, false); res.status != 403 {
			t.Errorf("%s decides: %d", role, res.status)
		}
		if home := string(h.svGet(&other, "/staff").body); strings.Contains(home, "Jamie") || strings.Contains(home, "contacts-waiting") {
			t.Errorf("%s's home shows the request", role)
		}
	}
	if res := h.svGet(nil, "/staff/safeguarding/contacts/"+id); res.status != 303 {
		t.Errorf("signed out: %d, want 303 to sign in", res.status)
	}

	// The lead: counted at home (without the name), linked from the queue.
	home := string(h.svGet(&lead, "/staff").body)
	if !strings.Contains(home, "1 young person asked for someone to talk to them and waits for review.") || strings.Contains(home, "Jamie") {
		t.Errorf("the lead's home: %s", textBetween(home, "<main", "</main>"))
	}
	queue := string(h.svGet(&lead, "/staff/safeguarding").body)
	if !strings.Contains(queue, `<a href="/staff/safeguarding/contacts">Requests to talk</a>: 1 young person`) {
		t.Errorf("the queue does not link to the requests: %s", textBetween(queue, "<main", "</main>"))
	}
	page := h.svGet(&lead, "/staff/safeguarding/contacts")
	if page.status != 200 || !isStaffPage(page, "Jamie Lee") || !strings.Contains(string(page.body), "through my carer, after school") ||
		!strings.Contains(string(page.body), "To review (1)") {
		t.Fatalf("list: %d %s", page.status, textBetween(string(page.body), "<main", "</main>"))
	}
	page = h.svGet(&lead, "/staff/safeguarding/contacts/"+id)
	if page.status != 200 || !strings.Contains(string(page.body), "I want to move school") {
		t.Fatalf("request page: %d %s", page.status, textBetween(string(page.body), "<main", "</main>"))
	}
	if res := h.svGet(&lead, "/staff/safeguarding/contacts/nothing"); res.status != 404 {
		t.Errorf("no such request: %d", res.status)
	}

	// A decision with mistakes is refused beside its field; a good one is
	// recorded.
	res = h.svPost(&lead, "/staff/safeguarding/contacts/"+id, url.Values{"outcome": {"passed_on"}}, false)
	if res.status != 422 || !strings.Contains(string(res.body), `id="decision-service-error"`) {
		t.Errorf("passed on to nobody: %d", res.status)
	}
	if res := h.svPost(&lead, "/staff/safeguarding/contacts/"+id, url.Values{"outcome": {"no_concern"}}, true); res.status != 403 {
		t.Errorf("without the CSRF token: %d", res.status)
	}
	res = h.svPost(&lead, "/staff/safeguarding/contacts/"+id, url.Values{"outcome": {"passed_on"}, "service": {"Leaving care team"},
		"note": {"Jamie's carer called back"}}, false)
	if res.status != 303 {
		t.Fatalf("decision: %d %s", res.status, textBetween(string(res.body), "<main", "</main>"))
	}
	after := string(h.svGet(&lead, "/staff/safeguarding/contacts/"+id).body)
	if !strings.Contains(after, "Passed to a named service") || !strings.Contains(after, "Jamie&#39;s carer called back") {
		t.Errorf("after the decision: %s", textBetween(after, "<main", "</main>"))
	}
	if home := string(h.svGet(&lead, "/staff").body); !strings.Contains(home, "No requests to talk to review.") {
		t.Error("a reviewed request still waits on the home page")
	}

	// Audited: each reading and the decision, never the words.
	if n := len(h.svAudit(surveys.AuditContactList, "")); n != 1 {
		t.Errorf("%d list readings audited, want 1", n)
	}
	if n := len(h.svAudit(surveys.AuditContactView, id)); n != 2 { // before and after the decision
		t.Errorf("%d readings of the request audited, want 2", n)
	}
	if e := h.svAudit(surveys.AuditContactDecide, id); len(e) != 1 || e[0].Detail != "passed_on" || e[0].Actor != "safeguarding_lead@council.example" {
		t.Errorf("the decision's entries: %+v", e)
	}
	all, err := h.audit.Find(t.Context(), surveys.AuditFilter{Limit: surveys.MaxAuditPage})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		if strings.Contains(e.Detail+e.Target, "Jamie") || strings.Contains(e.Detail+e.Target, "carer") {
			t.Errorf("the audit log holds the words: %+v", e)
		}
	}
	admin := others[surveys.RoleAdmin]
	if log := string(h.svGet(&admin, "/staff/audit").body); !strings.Contains(log, "Recorded a decision on a request to talk") {
		t.Error("the audit page does not name the decision")
	}
}

// TestContactRequestSentTwice sends a request to talk twice with its key,
// as a phone retrying or a double tap on the form would: it is stored
// once. The same key with other words (a page served again from a cache)
// is another request, and is stored too; a key that is not a UUID is
// refused and stores nothing.
func TestContactRequestSentTwice(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	path := "/api/v1/surveys/" + s.Slug + "/contact"
	const key = "6f1c8a52-3d0e-4b7a-9c1f-2e5d7a9b0c13"
	first := map[string]any{"name": "Jamie", "reach": "07700 900123", "key": key}
	for try := range 2 {
		if res := h.do(request{method: "POST", path: path, json: first}); res.status != 201 {
			t.Fatalf("try %d: %d %s", try, res.status, res.body)
		}
	}
	if n := len(h.storedContacts()); n != 1 {
		t.Fatalf("%d stored after a retry, want 1", n)
	}
	other := map[string]any{"name": "Sam", "reach": "through my carer", "key": strings.ToUpper(key)}
	if res := h.do(request{method: "POST", path: path, json: other}); res.status != 201 {
		t.Fatalf("other words, same key: %d %s", res.status, res.body)
	}
	if n := len(h.storedContacts()); n != 2 {
		t.Fatalf("%d stored after other words with the same key, want 2", n)
	}
	res := h.do(request{method: "POST", path: path, json: map[string]any{"name": "J", "reach": "r", "key": "not-a-uuid"}})
	if res.status != 422 || !strings.Contains(string(res.body), `"key":"must be a UUID"`) {
		t.Errorf("a bad key: %d %s", res.status, res.body)
	}

	// The form without scripts: its key makes a second press store nothing.
	form := url.Values{"name": {"Alex"}, "reach": {"alex@example.org"}, "lang": {"en"}, "key": {"0b7e6a1d-5c2f-4e8a-b3d9-7f1a2c4e6b80"}}
	for try := range 2 {
		res := h.do(request{method: "POST", path: "/s/" + s.Slug + "/contact", body: form.Encode(), ctype: "application/x-www-form-urlencoded"})
		if res.status != 303 {
			t.Fatalf("form, try %d: %d %s", try, res.status, res.body)
		}
	}
	if n := len(h.storedContacts()); n != 3 {
		t.Errorf("%d stored after the form was sent twice, want 3", n)
	}
}
