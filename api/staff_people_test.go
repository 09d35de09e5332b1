package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/api"
	"github.com/heard-app/heard/surveys"
)

// adminRoute is a page or form of the admin-only pages, with a form that
// would change something if it were let through.
type adminRoute struct {
	method string
	path   string
	form   url.Values
}

// adminState is what an admin-only form could change: the accounts, the
// settings and the audit log.
type adminState struct {
	people   string
	revision int
	audit    int
}

func (h *harness) adminState() adminState {
	h.t.Helper()
	ctx := context.Background()
	people, err := h.accounts.People(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	var b strings.Builder
	for _, u := range people {
		fmt.Fprintf(&b, "%s %s %v %s;", u.Email, u.Role, u.Disabled, u.PasswordHash)
	}
	st, err := h.settings.Current(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	entries, err := h.audit.Find(ctx, surveys.AuditFilter{Limit: surveys.MaxAuditPage})
	if err != nil {
		h.t.Fatal(err)
	}
	return adminState{people: b.String(), revision: st.Revision, audit: len(entries)}
}

// checkAdminOnly checks routes both ways: an admin is let through; every
// other role gets the workspace's 403 page; nobody signed in is sent to
// sign in (coming back after, for a page); and a form without the CSRF
// token, or from a role that may not send it, changes nothing.
func checkAdminOnly(t *testing.T, routes []adminRoute) {
	t.Helper()
	h := newHarness(t)
	signedIn := map[surveys.Role]staff{}
	for _, r := range surveys.Roles {
		signedIn[r] = h.signIn(r)
	}
	if _, err := h.accounts.CreateUser(context.Background(), "gone@council.example", surveys.RoleAnalyst, testPassword); err != nil {
		t.Fatal(err)
	}
	admin := signedIn[surveys.RoleAdmin]
	if res := h.adminPost(&admin, "/staff/people/disable", url.Values{"email": {"gone@council.example"}}); res.status != 303 {
		t.Fatalf("disable gone@: %d", res.status)
	}
	before := h.adminState()
	for _, rt := range routes {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			for _, role := range surveys.Roles {
				if role == surveys.RoleAdmin {
					continue
				}
				as := signedIn[role]
				res := h.do(adminRequest(rt, &as, true))
				if res.status != 403 || !isStaffPage(res, "You cannot open this page") || !strings.Contains(string(res.body), "Your role") {
					t.Errorf("%s: %d %.300s, want the 403 page", role, res.status, res.body)
				}
			}
			res := h.do(adminRequest(rt, nil, false))
			want := "/staff/sign-in"
			if rt.method == "GET" {
				want += "?next=" + url.QueryEscape(rt.path)
			}
			if res.status != 303 || res.headers.Get("Location") != want {
				t.Errorf("not signed in: %d to %q, want 303 to %q", res.status, res.headers.Get("Location"), want)
			}
			if rt.method == "POST" {
				res := h.do(adminRequest(rt, &admin, false))
				if res.status != 403 || !isStaffPage(res, "security token") {
					t.Errorf("admin without the CSRF token: %d %.300s, want the 403 page", res.status, res.body)
				}
			}
		})
	}
	if after := h.adminState(); after != before {
		t.Errorf("refused requests changed something:\nbefore %+v\nafter  %+v", before, after)
	}
	for _, rt := range routes {
		if rt.method != "GET" {
			continue
		}
		if res := h.do(adminRequest(rt, &admin, true)); res.status != 200 || !isStaffPage(res, "") {
			t.Errorf("admin: GET %s: %d, want 200", rt.path, res.status)
		}
	}
}

// adminRequest is the route's request as who, with the CSRF token or not.
func adminRequest(rt adminRoute, who *staff, csrf bool) request {
	r := request{method: rt.method, path: rt.path, as: who, noCSRF: true}
	if rt.method == "POST" {
		form := url.Values{}
		for k, v := range rt.form {
			form[k] = v
		}
		if csrf && who != nil {
			form.Set("_csrf", who.csrf)
		}
		r.ctype, r.body = "application/x-www-form-urlencoded", form.Encode()
	}
	return r
}

// adminPost sends a workspace form with the session's CSRF token.
func (h *harness) adminPost(who *staff, path string, form url.Values) response {
	h.t.Helper()
	return h.do(adminRequest(adminRoute{method: "POST", path: path, form: form}, who, true))
}

func (h *harness) adminGet(who *staff, path string) response {
	h.t.Helper()
	return h.do(request{method: "GET", path: path, as: who, noCSRF: true})
}

// pageSignIn signs in through the sign-in page, as a browser would.
func (h *harness) pageSignIn(email, password string) (response, *staff) {
	h.t.Helper()
	res := h.do(request{method: "POST", path: "/staff/sign-in", ctype: "application/x-www-form-urlencoded",
		body: url.Values{"email": {email}, "password": {password}}.Encode()})
	c := res.cookie(api.SessionCookie)
	if c == nil || c.Value == "" {
		return res, nil
	}
	return res, &staff{cookie: c}
}

var resetLinkField = regexp.MustCompile(`id="reset-link"[^>]*>([^<]+)</textarea>`)

// resetLink finds the link on the page shown after adding a person or
// making a reset link, and returns its path.
func resetLink(t *testing.T, res response) string {
	t.Helper()
	m := resetLinkField.FindSubmatch(res.body)
	if m == nil {
		t.Fatalf("no reset link on the page: %d %s", res.status, res.body)
	}
	u, err := url.Parse(string(m[1]))
	if err != nil || u.Scheme != "http" || u.Host != "example.com" || !strings.HasPrefix(u.Path, "/staff/reset/") {
		t.Fatalf("reset link %q: want http://example.com/staff/reset/<token>, the address the admin used (%v)", m[1], err)
	}
	return u.Path
}

// personRow returns the HTML of a person's row on the people page.
func personRow(t *testing.T, body []byte, email string) string {
	t.Helper()
	for _, chunk := range strings.Split(string(body), `<tr id="person-`)[1:] {
		row, _, _ := strings.Cut(chunk, "</tr>")
		if strings.Contains(row, `name="email" value="`+email+`"`) {
			return row
		}
	}
	t.Fatalf("no row for %s on the people page", email)
	return ""
}

// auditHas reports whether the log has an entry of action about target by
// actor.
func (h *harness) auditHas(action surveys.AuditAction, actor, target string) bool {
	h.t.Helper()
	entries, err := h.audit.Find(context.Background(), surveys.AuditFilter{Action: action, Target: target, Limit: surveys.MaxAuditPage})
	if err != nil {
		h.t.Fatal(err)
	}
	return slices.ContainsFunc(entries, func(e *surveys.AuditEntry) bool { return e.Actor == actor })
}

func TestPeopleRoutesAreForAdminsOnly(t *testing.T) {
	t.Parallel()
	checkAdminOnly(t, []adminRoute{
		{method: "GET", path: "/staff/people"},
		{method: "POST", path: "/staff/people", form: url.Values{"email": {"new@council.example"}, "role": {"admin"}}},
		{method: "POST", path: "/staff/people/role", form: url.Values{"email": {"analyst@council.example"}, "role": {"admin"}}},
		{method: "POST", path: "/staff/people/disable", form: url.Values{"email": {"analyst@council.example"}}},
		{method: "POST", path: "/staff/people/enable", form: url.Values{"email": {"gone@council.example"}}},
		{method: "POST", path: "/staff/people/reset", form: url.Values{"email": {"analyst@council.example"}}},
	})
}

func TestPeoplePageListsEveryone(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	if _, err := h.accounts.CreateUser(context.Background(), "never@council.example", surveys.RoleBoard, testPassword); err != nil {
		t.Fatal(err)
	}
	res := h.adminGet(&admin, "/staff/people")
	if res.status != 200 || !isStaffPage(res, "<h1>People</h1>") {
		t.Fatalf("people page: %d %s", res.status, res.body)
	}
	me := personRow(t, res.body, "admin@council.example")
	for _, want := range []string{"(you)", "Admin", "Enabled", "23 Nov 2026, 10:00", `Reset link<span class="visually-hidden"> for admin@council.example</span>`} {
		if !strings.Contains(me, want) {
			t.Errorf("the admin's own row lacks %q: %s", want, me)
		}
	}
	// Admins do not change their own role or disable themselves by
	// accident: their row shows the role as words, with no form.
	for _, trap := range []string{"/staff/people/disable", "/staff/people/role", "<select"} {
		if strings.Contains(me, trap) {
			t.Errorf("the admin's own row offers %q: %s", trap, me)
		}
	}
	other := personRow(t, res.body, "never@council.example")
	for _, want := range []string{`<option value="board" selected>Board member</option>`, "<td>never</td>", "/staff/people/disable", `Added <time datetime="2026-11-23T10:00:00Z">23 Nov 2026</time>`} {
		if !strings.Contains(other, want) {
			t.Errorf("never@'s row lacks %q: %s", want, other)
		}
	}
	if res.headers.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", res.headers.Get("Cache-Control"))
	}
}

// An admin adds a person, who sets a password with the link shown once and
// signs in with it; the link then no longer works.
func TestAddPersonAndSetPasswordWithTheLink(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	res := h.adminPost(&admin, "/staff/people", url.Values{"email": {" New.Person@Council.example "}, "role": {"analyst"}})
	if res.status != 200 || res.headers.Get("Location") != "" {
		t.Fatalf("add: %d (Location %q), want the link page with 200", res.status, res.headers.Get("Location"))
	}
	body := string(res.body)
	for _, want := range []string{
		"new.person@council.example was added",
		"Copy this link and pass it on — it works once, for 24 hours; Heard does not show it again.",
		"Analyst",
		"24 Nov 2026, 10:00",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the link page lacks %q", want)
		}
	}
	if res.headers.Get("Cache-Control") != "no-store" || res.headers.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("Cache-Control %q, Referrer-Policy %q: the link must not be stored or leak", res.headers.Get("Cache-Control"), res.headers.Get("Referrer-Policy"))
	}
	link := resetLink(t, res)
	token := strings.TrimPrefix(link, "/staff/reset/")
	if strings.Contains(h.logs.String(), token) {
		t.Error("the token is in the logs")
	}
	if !h.auditHas(surveys.AuditUserCreate, "admin@council.example", "new.person@council.example") ||
		!h.auditHas(surveys.AuditUserResetLink, "admin@council.example", "new.person@council.example") {
		t.Error("adding the person and making the link are not both in the audit log")
	}
	if r, _ := h.pageSignIn("new.person@council.example", token); r.status != 401 {
		t.Errorf("signing in with the token as a password: %d, want 401", r.status)
	}
	people := h.adminGet(&admin, "/staff/people")
	if row := personRow(t, people.body, "new.person@council.example"); !strings.Contains(row, "<td>never</td>") || strings.Contains(string(people.body), token) {
		t.Errorf("the people page after adding: row %s; token shown again %v", row, strings.Contains(string(people.body), token))
	}

	if res := h.do(request{method: "GET", path: link}); res.status != 200 || !isStaffPage(res, "new.person@council.example") {
		t.Fatalf("GET the link: %d %s", res.status, res.body)
	}
	const chosen = "a kettle of fish and chips"
	res = h.do(request{method: "POST", path: link, ctype: "application/x-www-form-urlencoded",
		body: url.Values{"password": {chosen}, "confirm": {chosen}}.Encode()})
	if res.status != 303 || res.headers.Get("Location") != "/staff/sign-in?done=password" {
		t.Fatalf("set the password: %d to %q %s", res.status, res.headers.Get("Location"), res.body)
	}
	res, who := h.pageSignIn("new.person@council.example", chosen)
	if res.status != 303 || res.headers.Get("Location") != "/staff" || who == nil {
		t.Fatalf("sign in with the new password: %d to %q", res.status, res.headers.Get("Location"))
	}
	if res := h.adminGet(who, "/staff"); res.status != 200 || !isStaffPage(res, "new.person@council.example") {
		t.Errorf("home as the new person: %d", res.status)
	}
	if res := h.do(request{method: "GET", path: link}); res.status != 404 {
		t.Errorf("the link a second time: %d, want 404", res.status)
	}
	res = h.do(request{method: "POST", path: link, ctype: "application/x-www-form-urlencoded",
		body: url.Values{"password": {"another long password"}, "confirm": {"another long password"}}.Encode()})
	if res.status != 404 {
		t.Errorf("setting a password with the used link: %d, want 404", res.status)
	}
	people = h.adminGet(&admin, "/staff/people")
	if row := personRow(t, people.body, "new.person@council.example"); strings.Contains(row, "<td>never</td>") || !strings.Contains(row, "23 Nov 2026, 10:00") {
		t.Errorf("the last sign-in is not shown: %s", row)
	}
}

func TestAddPersonRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	cases := []struct {
		name   string
		form   url.Values
		status int
		field  string
		want   string
	}{
		{"not an email", url.Values{"email": {"not an address"}, "role": {"analyst"}}, 422, "new-email", "The email address must be an address such as name@council.gov.uk."},
		{"already there", url.Values{"email": {"Admin@council.example"}, "role": {"analyst"}}, 409, "new-email", "There is already an account for admin@council.example. Find them in the table above."},
		{"no such role", url.Values{"email": {"someone@council.example"}, "role": {"wizard"}}, 422, "new-role", "Choose one of the roles."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := h.adminState()
			res := h.adminPost(&admin, "/staff/people", tc.form)
			body := string(res.body)
			if res.status != tc.status || !isStaffPage(res, "The person was not added") {
				t.Fatalf("%d, want %d with the people page: %s", res.status, tc.status, body)
			}
			for _, want := range []string{
				`class="error-summary"`,
				`<a href="#` + tc.field + `">` + tc.want + `</a>`,
				`<p class="field-error" id="` + tc.field + `-error">` + tc.want + `</p>`,
				`aria-invalid="true" aria-describedby="` + tc.field + `-error"`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %s", want)
				}
			}
			if tc.name == "not an email" && !strings.Contains(body, `value="not an address"`) {
				t.Error("the email as typed is not kept")
			}
			if after := h.adminState(); after != before {
				t.Errorf("a refused person changed something: %+v then %+v", before, after)
			}
		})
	}
}

func TestChangeRole(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	h.signIn(surveys.RoleAnalyst)
	res := h.adminPost(&admin, "/staff/people/role", url.Values{"email": {"analyst@council.example"}, "role": {"board"}})
	if res.status != 303 || res.headers.Get("Location") != "/staff/people?done=role" {
		t.Fatalf("change role: %d to %q %s", res.status, res.headers.Get("Location"), res.body)
	}
	u, err := h.accounts.Users.FindUser(context.Background(), "analyst@council.example")
	if err != nil || u.Role != surveys.RoleBoard {
		t.Fatalf("role now %v (%v), want board", u.Role, err)
	}
	if !h.auditHas(surveys.AuditUserRole, "admin@council.example", "analyst@council.example") {
		t.Error("the role change is not in the audit log")
	}
	page := h.adminGet(&admin, "/staff/people?done=role")
	if !isStaffPage(page, "The role was changed.") || !strings.Contains(personRow(t, page.body, "analyst@council.example"), `<option value="board" selected>`) {
		t.Errorf("the people page after the change: %s", page.body)
	}
	res = h.adminPost(&admin, "/staff/people/role", url.Values{"email": {"analyst@council.example"}, "role": {"boss"}})
	if res.status != 422 || !strings.Contains(personRow(t, res.body, "analyst@council.example"), "Choose one of the roles.") {
		t.Errorf("an unknown role: %d, want 422 with the message beside the row", res.status)
	}
	if res := h.adminPost(&admin, "/staff/people/role", url.Values{"email": {"nobody@council.example"}, "role": {"board"}}); res.status != 404 || !isStaffPage(res, "") {
		t.Errorf("someone unknown: %d, want the 404 page", res.status)
	}
}

// Disabling someone ends their sessions at once and stops them signing
// in; enabling them lets them sign in again.
func TestDisableAndEnable(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	analyst := h.signIn(surveys.RoleAnalyst)
	if res := h.adminGet(&analyst, "/staff"); res.status != 200 {
		t.Fatalf("the analyst's home before: %d", res.status)
	}
	res := h.adminPost(&admin, "/staff/people/disable", url.Values{"email": {"analyst@council.example"}})
	if res.status != 303 || res.headers.Get("Location") != "/staff/people?done=disabled" {
		t.Fatalf("disable: %d to %q %s", res.status, res.headers.Get("Location"), res.body)
	}
	res = h.adminGet(&analyst, "/staff")
	if res.status != 303 || !strings.HasPrefix(res.headers.Get("Location"), "/staff/sign-in") {
		t.Errorf("the disabled analyst's session: %d to %q, want 303 to sign in", res.status, res.headers.Get("Location"))
	}
	if res, _ := h.pageSignIn("analyst@council.example", testPassword); res.status != 401 {
		t.Errorf("a disabled account signing in: %d, want 401", res.status)
	}
	page := h.adminGet(&admin, "/staff/people?done=disabled")
	row := personRow(t, page.body, "analyst@council.example")
	if !isStaffPage(page, "The account was disabled") || !strings.Contains(row, "Disabled") || !strings.Contains(row, "/staff/people/enable") || strings.Contains(row, "/staff/people/reset") {
		t.Errorf("the disabled row: %s", row)
	}
	if res := h.adminPost(&admin, "/staff/people/reset", url.Values{"email": {"analyst@council.example"}}); res.status != 409 ||
		!strings.Contains(personRow(t, res.body, "analyst@council.example"), "Enable it first") {
		t.Errorf("a reset link for a disabled account: %d, want 409 with the reason beside the row", res.status)
	}

	res = h.adminPost(&admin, "/staff/people/enable", url.Values{"email": {"analyst@council.example"}})
	if res.status != 303 || res.headers.Get("Location") != "/staff/people?done=enabled" {
		t.Fatalf("enable: %d to %q", res.status, res.headers.Get("Location"))
	}
	if res := h.adminGet(&analyst, "/staff"); res.status != 303 {
		t.Errorf("the session ended by disabling came back: %d", res.status)
	}
	res, who := h.pageSignIn("analyst@council.example", testPassword)
	if res.status != 303 || who == nil {
		t.Fatalf("signing in again after enabling: %d", res.status)
	}
	if res := h.adminGet(who, "/staff"); res.status != 200 {
		t.Errorf("home after signing in again: %d", res.status)
	}
	if !h.auditHas(surveys.AuditUserDisable, "admin@council.example", "analyst@council.example") ||
		!h.auditHas(surveys.AuditUserEnable, "admin@council.example", "analyst@council.example") {
		t.Error("disabling and enabling are not both in the audit log")
	}
}

// Heard always keeps an enabled admin, and an admin cannot lock
// themselves out.
func TestLastAdminAndSelfAreKept(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	ctx := context.Background()
	if _, err := h.accounts.CreateUser(ctx, "second@council.example", surveys.RoleAdmin, testPassword); err != nil {
		t.Fatal(err)
	}
	if res := h.adminPost(&admin, "/staff/people/disable", url.Values{"email": {"second@council.example"}}); res.status != 303 {
		t.Fatalf("disable the second admin: %d", res.status)
	}
	cases := []struct {
		name string
		path string
		form url.Values
		want string
	}{
		{"last admin becomes analyst", "/staff/people/role", url.Values{"email": {"admin@council.example"}, "role": {"analyst"}},
			"You cannot change the role of the only admin: make someone else an admin first."},
		{"disable yourself", "/staff/people/disable", url.Values{"email": {"admin@council.example"}},
			"You cannot disable your own account. Ask another admin."},
	}
	for _, tc := range cases {
		before := h.adminState()
		res := h.adminPost(&admin, tc.path, tc.form)
		if res.status != 409 || !isStaffPage(res, "That change was not made") {
			t.Errorf("%s: %d, want 409 with the people page", tc.name, res.status)
			continue
		}
		row := personRow(t, res.body, "admin@council.example")
		if !strings.Contains(row, `class="field-error"`) || !strings.Contains(row, tc.want) || !strings.Contains(string(res.body), `class="error-summary"`) {
			t.Errorf("%s: the reason is not beside the row and in the summary: %s", tc.name, row)
		}
		if after := h.adminState(); after != before {
			t.Errorf("%s: changed something", tc.name)
		}
	}
	// With another enabled admin, an admin may step down, and goes home:
	// the people page is no longer theirs.
	if res := h.adminPost(&admin, "/staff/people/enable", url.Values{"email": {"second@council.example"}}); res.status != 303 {
		t.Fatalf("enable the second admin: %d", res.status)
	}
	res := h.adminPost(&admin, "/staff/people/role", url.Values{"email": {"admin@council.example"}, "role": {"analyst"}})
	if res.status != 303 || res.headers.Get("Location") != "/staff?done=role" {
		t.Errorf("stepping down: %d to %q, want 303 to /staff", res.status, res.headers.Get("Location"))
	}
	if res := h.adminGet(&admin, "/staff/people"); res.status != 403 {
		t.Errorf("the people page after stepping down: %d, want 403", res.status)
	}
}

func TestMakeResetLink(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	h.signIn(surveys.RoleBoard)
	first := resetLink(t, h.adminPost(&admin, "/staff/people/reset", url.Values{"email": {"board@council.example"}}))
	res := h.adminPost(&admin, "/staff/people/reset", url.Values{"email": {"board@council.example"}})
	if res.status != 200 || !isStaffPage(res, "Reset link for board@council.example") ||
		!strings.Contains(string(res.body), "Heard does not show it again") {
		t.Fatalf("reset link page: %d %s", res.status, res.body)
	}
	second := resetLink(t, res)
	if first == second {
		t.Fatal("two reset links are the same")
	}
	if res, _ := h.pageSignIn("board@council.example", testPassword); res.status != 303 {
		t.Errorf("the old password before the link is used: %d, want it to still work", res.status)
	}
	if res := h.do(request{method: "GET", path: first}); res.status != 404 {
		t.Errorf("the first link after a second was made: %d, want 404", res.status)
	}
	if res := h.do(request{method: "GET", path: second}); res.status != 200 {
		t.Errorf("the second link: %d, want 200", res.status)
	}
	if !h.auditHas(surveys.AuditUserResetLink, "admin@council.example", "board@council.example") {
		t.Error("the reset link is not in the audit log")
	}
	if res := h.adminPost(&admin, "/staff/people/reset", url.Values{"email": {"nobody@council.example"}}); res.status != http.StatusNotFound {
		t.Errorf("a link for someone unknown: %d, want 404", res.status)
	}
}
