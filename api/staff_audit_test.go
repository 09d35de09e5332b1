package api_test

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
)

func TestAuditRoutesAreForAdminsOnly(t *testing.T) {
	t.Parallel()
	checkAdminOnly(t, []adminRoute{{method: "GET", path: "/staff/audit"}})
}

// auditRows returns the rows of the audit table, as HTML.
func auditRows(t *testing.T, res response) []string {
	t.Helper()
	if res.status != 200 {
		t.Fatalf("audit page: %d %s", res.status, res.body)
	}
	body := textBetween(string(res.body), `<table class="table audit-table">`, "</table>")
	if body == "" {
		return nil
	}
	rows := strings.Split(textBetween(body, "<tbody>", "</tbody>"), "<tr>")
	return rows[1:]
}

var olderLink = regexp.MustCompile(`<a href="([^"]+)" rel="next">Older entries</a>`)

func TestAuditPageShowsAndFilters(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	h.signIn(surveys.RoleAnalyst)
	if res := h.adminPost(&admin, "/staff/people", url.Values{"email": {"new@council.example"}, "role": {"board"}}); res.status != 200 {
		t.Fatalf("add: %d", res.status)
	}
	if res := h.adminPost(&admin, "/staff/people/role", url.Values{"email": {"analyst@council.example"}, "role": {"facilitator"}}); res.status != 303 {
		t.Fatalf("role: %d", res.status)
	}
	if res := h.postSettings(&admin, settingsForm(0), nil); res.status != 303 {
		t.Fatalf("settings: %d", res.status)
	}

	rows := auditRows(t, h.adminGet(&admin, "/staff/audit"))
	// The harness adds the admin and the analyst before they sign in.
	if len(rows) != 8 {
		t.Fatalf("%d rows, want 8: two accounts made and signed in, the person, their link, the role and the settings: %s", len(rows), strings.Join(rows, "\n"))
	}
	// The harness's clock stands still, so the order is checked in
	// TestAuditPaging; here, that each action is there, said plainly.
	for _, want := range []string{"Changed the settings", "Changed a role", "Made a password reset link", "Added a person"} {
		found := false
		for _, r := range rows {
			found = found || strings.Contains(r, "<td>"+want+"</td>") && strings.Contains(r, `admin@council.example <span class="role">Admin</span>`)
		}
		if !found {
			t.Errorf("no row %q by the admin", want)
		}
	}
	for _, want := range []string{"23 Nov 2026, 10:00:00", "analyst@council.example", "Role: Analyst to Facilitator", "changed: council name"} {
		if !strings.Contains(strings.Join(rows, ""), want) {
			t.Errorf("the table lacks %q", want)
		}
	}

	cases := []struct {
		query string
		rows  int
		each  string
	}{
		{"action=person.role", 1, "Role: Analyst to Facilitator"},
		{"action=staff.sign_in", 2, "Signed in"},
		{"actor=Analyst@Council.example", 1, "analyst@council.example"},
		{"actor=admin%40council.example&action=person.create", 1, "new@council.example"},
		{"target=settings", 1, "Changed the settings"},
		{"from=2026-11-23&to=2026-11-23", len(rows), ""},
		{"from=23%2F11%2F2026", len(rows), ""},
		{"to=2026-11-23", len(rows), ""},
		{"from=2026-11-24", 0, ""},
		{"to=2026-11-22", 0, ""},
		{"actor=nobody%40council.example", 0, ""},
	}
	for _, tc := range cases {
		res := h.adminGet(&admin, "/staff/audit?"+tc.query)
		got := auditRows(t, res)
		if len(got) != tc.rows {
			t.Errorf("%s: %d rows, want %d", tc.query, len(got), tc.rows)
		}
		for _, r := range got {
			if !strings.Contains(r, tc.each) {
				t.Errorf("%s: row %s lacks %q", tc.query, r, tc.each)
			}
		}
		if tc.rows == 0 && !strings.Contains(string(res.body), "No entries match these filters.") {
			t.Errorf("%s: no entries, and the page does not say so", tc.query)
		}
	}
	// The filters are kept in the form.
	body := string(h.adminGet(&admin, "/staff/audit?action=person.role&actor=admin%40council.example&from=2026-11-01").body)
	for _, want := range []string{`<option value="person.role" selected>Changed a role</option>`, `value="admin@council.example"`, `value="2026-11-01"`, "Clear the filters"} {
		if !strings.Contains(body, want) {
			t.Errorf("the filter form lacks %s", want)
		}
	}

	for _, tc := range []struct{ query, field, want string }{
		{"from=2026%2F11%2F23", "audit-from", "Enter a date such as 23/11/2026."},
		{"to=31%2F02%2F2026", "audit-to", "Enter a date such as 23/11/2026."},
		{"from=2026-11-24&to=2026-11-23", "audit-to", "on or after the from date"},
		{"action=person.delete", "audit-action", "Choose one of the actions."},
	} {
		res := h.adminGet(&admin, "/staff/audit?"+tc.query)
		body := string(res.body)
		if res.status != 422 || !strings.Contains(body, `<a href="#`+tc.field+`">`) || !strings.Contains(textBetween(body, `id="`+tc.field+`-error">`, "</p>"), tc.want) {
			t.Errorf("%s: %d, want 422 with %q beside #%s", tc.query, res.status, tc.want, tc.field)
		}
	}
}

// The log is read 50 entries at a time, newest first, keeping the filters
// from page to page; dates are days in the UK.
func TestAuditPaging(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	// 62 edits, an hour apart, the last at the harness's now (10:00 on 23
	// November 2026, when the UK is on GMT).
	ctx := surveys.NewContextWithUser(context.Background(), &surveys.User{Email: "editor@council.example", Role: surveys.RoleAnalyst})
	for i := 61; i >= 0; i-- {
		at := h.now.Add(-time.Duration(i) * time.Hour)
		log := &surveys.AuditLog{Store: h.audit.Store, Now: func() time.Time { return at }}
		if err := log.Record(ctx, surveys.AuditSurveyEdit, "paging", fmt.Sprintf("edit number %d;", i)); err != nil {
			t.Fatal(err)
		}
	}
	first := h.adminGet(&admin, "/staff/audit?action=survey.edit")
	rows := auditRows(t, first)
	m := olderLink.FindStringSubmatch(string(first.body))
	if len(rows) != 50 || m == nil {
		t.Fatalf("first page: %d rows, older link %v; want 50 and a link", len(rows), m != nil)
	}
	next, err := url.Parse(html.UnescapeString(m[1]))
	if err != nil || next.Path != "/staff/audit" || next.Query().Get("action") != "survey.edit" || next.Query().Get("before") == "" {
		t.Fatalf("older link %q: want the same filter and before=", m[1])
	}
	second := h.adminGet(&admin, next.String())
	more := auditRows(t, second)
	if len(more) != 12 || olderLink.Match(second.body) || !strings.Contains(string(second.body), `<a href="/staff/audit?action=survey.edit">Newest entries</a>`) {
		t.Errorf("second page: %d rows, older link %v; want 12, none, and a link back", len(more), olderLink.Match(second.body))
	}
	for i, r := range append(rows, more...) {
		if d := textBetween(r, "edit number ", ";"); d != strconv.Itoa(i) {
			t.Errorf("row %d is edit %s, want edit %d: newest first", i, d, i)
		}
		if !strings.Contains(r, `editor@council.example <span class="role">Analyst</span>`) || !strings.Contains(r, "<td>Edited a survey</td>") {
			t.Errorf("row %s", r)
		}
	}
	if !strings.Contains(rows[0], `<time datetime="2026-11-23T10:00:00Z">23 Nov 2026, 10:00:00</time>`) {
		t.Errorf("the newest row's time: %s", rows[0])
	}

	// Days are whole days in the UK: the 22nd runs to midnight, so edits
	// 11 (23:00 on the 22nd) to 34 (00:00 on the 22nd) are that day.
	day := auditRows(t, h.adminGet(&admin, "/staff/audit?action=survey.edit&from=2026-11-22&to=2026-11-22"))
	if len(day) != 24 || !strings.Contains(day[0], "edit number 11;") || !strings.Contains(day[23], "edit number 34;") {
		t.Errorf("the 22nd: %d rows, want edits 11 to 34", len(day))
	}
	today := auditRows(t, h.adminGet(&admin, "/staff/audit?action=survey.edit&from=2026-11-23"))
	if len(today) != 11 {
		t.Errorf("from the 23rd: %d rows, want 11", len(today))
	}
}

// The log can be read, never changed, through the app.
func TestAuditLogCannotBeChanged(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	before := h.adminState()
	for _, method := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		res := h.do(adminRequest(adminRoute{method: method, path: "/staff/audit", form: url.Values{"before": {"9"}}}, &admin, true))
		if method != "POST" {
			res = h.do(request{method: method, path: "/staff/audit", as: &admin, noCSRF: true})
		}
		if res.status != 405 && res.status != 404 {
			t.Errorf("%s /staff/audit: %d, want 405 or 404", method, res.status)
		}
	}
	if after := h.adminState(); after != before {
		t.Errorf("the log changed: %+v then %+v", before, after)
	}
	body := string(h.adminGet(&admin, "/staff/audit").body)
	if strings.Contains(body, `method="post"`) && strings.Count(body, `method="post"`) != 1 { // the sign-out form only
		t.Error("the audit page has a form that sends changes")
	}
}
