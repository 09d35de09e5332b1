package api_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/surveytest"
)

// svPost sends a workspace form with the session's CSRF token (none when
// noCSRF).
func (h *harness) svPost(as *staff, path string, form url.Values, noCSRF bool) response {
	h.t.Helper()
	body := url.Values{}
	for k, v := range form {
		body[k] = v
	}
	if as != nil && !noCSRF {
		body.Set("_csrf", as.csrf)
	}
	return h.do(request{method: "POST", path: path, as: as, noCSRF: true, ctype: "application/x-www-form-urlencoded", body: body.Encode()})
}

// svGet opens a workspace page.
func (h *harness) svGet(as *staff, path string) response {
	h.t.Helper()
	return h.do(request{method: "GET", path: path, as: as, noCSRF: true})
}

// svSurvey reads a survey from the store, past the cache.
func (h *harness) svSurvey(slug string) *surveys.Survey {
	h.t.Helper()
	s, err := h.catalog.Store.FindSurvey(context.Background(), slug)
	if err != nil {
		h.t.Fatalf("find %s: %v", slug, err)
	}
	return s
}

// svAudit returns the audit entries for an action on a target, newest first.
func (h *harness) svAudit(action surveys.AuditAction, target string) []*surveys.AuditEntry {
	h.t.Helper()
	entries, err := h.audit.Find(context.Background(), surveys.AuditFilter{Action: action, Target: target})
	if err != nil {
		h.t.Fatal(err)
	}
	return entries
}

// svFieldError checks that the field with the id is marked wrong, with
// want in its message beside it, and listed in the error summary.
func svFieldError(t *testing.T, doc *html.Node, id, want string) {
	t.Helper()
	input := pageByID(doc, id)
	msg := pageByID(doc, id+"-error")
	if input == nil || pageAttr(input, "aria-invalid") != "true" || !strings.Contains(pageAttr(input, "aria-describedby"), id+"-error") {
		t.Errorf("field %s is not marked wrong: %v", id, input)
	}
	if !strings.Contains(pageText(msg), want) || !strings.Contains(pageAttr(msg, "class"), "field-error") {
		t.Errorf("field %s: message %q, want it to say %q", id, pageText(msg), want)
	}
	summary := pageFind(doc, func(n *html.Node) bool { return strings.Contains(pageAttr(n, "class"), "error-summary") })
	if pageFind(summary, func(n *html.Node) bool { return n.Data == "a" && pageAttr(n, "href") == "#"+id }) == nil {
		t.Errorf("the error summary does not link to %s: %s", id, pageText(summary))
	}
}

// svRoute is one of the survey pages, with a request that would change
// something when let through, and what a let-through request returns.
type svRoute struct {
	method string
	path   string
	form   url.Values
	status int
	roles  []surveys.Role
}

// Every survey page and form, both ways: the roles allowed are let
// through; every other role gets the workspace's 403 page and changes
// nothing; nobody signed in is sent to sign in (coming back after, for a
// page); a form without the CSRF token changes nothing.
func TestSurveyPagesByRole(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusDraft)
	signedIn := map[surveys.Role]staff{}
	for _, r := range surveys.Roles {
		signedIn[r] = h.signIn(r)
	}
	base := "/staff/surveys/" + s.Slug
	manage := []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst}
	routes := []svRoute{
		{"GET", "/staff/surveys", nil, 200, []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard}},
		{"GET", base, nil, 200, manage},
		{"GET", base + "/preview/8-11", nil, 200, manage},
		{"GET", base + "/codes", nil, 200, manage},
		{"GET", base + "/codes/0123456789abcdef.pdf", nil, 404, manage},
		{"POST", "/staff/surveys", url.Values{"from": {"template"}, "choice": {"cared-for-2026"}, "edition": {"2026"}}, 303, manage},
		{"POST", base + "/status", url.Values{"status": {"open"}, "revision": {"1"}, "confirm": {"yes"}}, 303, manage},
		{"POST", base + "/schedule", url.Values{"revision": {"1"}, "cohort": {"40"}}, 303, manage},
		{"POST", base + "/codes", url.Values{"count": {"2"}}, 303, manage},
	}
	// changes sums up what a form could change: the surveys and their
	// revisions, the code batches and the audit log.
	changes := func() string {
		list, err := h.catalog.Store.FindSurveys(t.Context(), surveys.SurveyFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, s := range list {
			fmt.Fprintf(&b, "%s:%s:%d;", s.Slug, s.Status, s.Revision)
		}
		batches, err := h.svCodeStore().FindCodeBatches(t.Context(), s.Slug)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := h.audit.Find(t.Context(), surveys.AuditFilter{Limit: surveys.MaxAuditPage})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, " %d batches, %d audit entries", len(batches), len(entries))
		return b.String()
	}
	for _, rt := range routes {
		name := rt.method + " " + rt.path
		for _, role := range surveys.Roles {
			if slices.Contains(rt.roles, role) {
				continue
			}
			as := signedIn[role]
			before := changes()
			var res response
			if rt.method == "GET" {
				res = h.svGet(&as, rt.path)
			} else {
				res = h.svPost(&as, rt.path, rt.form, false)
			}
			if res.status != 403 || !isStaffPage(res, "You cannot open this page") {
				t.Errorf("%s as %s: %d, want the 403 page", name, role, res.status)
			}
			if after := changes(); after != before {
				t.Errorf("%s as %s changed something: %s, then %s", name, role, before, after)
			}
		}
		// Nobody signed in.
		var res response
		if rt.method == "GET" {
			res = h.svGet(nil, rt.path)
		} else {
			res = h.svPost(nil, rt.path, rt.form, false)
		}
		wantTo := "/staff/sign-in"
		if rt.method == "GET" {
			wantTo += "?next=" + url.QueryEscape(rt.path)
		}
		if res.status != 303 || res.headers.Get("Location") != wantTo {
			t.Errorf("%s signed out: %d to %q, want 303 to %q", name, res.status, res.headers.Get("Location"), wantTo)
		}
		if rt.method == "POST" {
			as := signedIn[surveys.RoleAdmin]
			before := changes()
			if res := h.svPost(&as, rt.path, rt.form, true); res.status != 403 || !isStaffPage(res, "security token") {
				t.Errorf("%s without the CSRF token: %d, want the 403 page", name, res.status)
			}
			if after := changes(); after != before {
				t.Errorf("%s without the CSRF token changed something: %s, then %s", name, before, after)
			}
		}
	}
	// The roles allowed, last, as their forms change the survey. The
	// schedule form carries the revision the survey has by then.
	for _, rt := range routes {
		for _, role := range rt.roles {
			as := signedIn[role]
			var res response
			if rt.method == "GET" {
				res = h.svGet(&as, rt.path)
			} else {
				form := url.Values{}
				for k, v := range rt.form {
					form[k] = v
				}
				if form.Has("revision") {
					form.Set("revision", strconv.Itoa(h.svSurvey(s.Slug).Revision))
				}
				if strings.HasSuffix(rt.path, "/status") && role == surveys.RoleAnalyst {
					form.Set("status", "closed")
				}
				if rt.path == "/staff/surveys" {
					form.Set("slug", "from-template-"+string(role))
				}
				res = h.svPost(&as, rt.path, form, false)
			}
			if res.status != rt.status {
				t.Errorf("%s %s as %s: %d, want %d: %.300s", rt.method, rt.path, role, res.status, rt.status, res.body)
			}
		}
	}
}

// The list shows every survey with its figures; admins and analysts open
// each survey's page and may create surveys, board members open results
// and see small counts as "fewer than 5".
func TestSurveyList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	if _, err := h.catalog.SetSchedule(t.Context(), s.Slug, h.svSurvey(s.Slug).Revision,
		surveys.Schedule{Closes: h.now.Add(36 * time.Hour), Cohort: 10}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if res := h.do(request{method: "POST", path: "/api/v1/surveys/" + s.Slug + "/responses", json: submission(i+1, validAnswers())}); res.status != 201 {
			t.Fatalf("submit: %d %s", res.status, res.body)
		}
	}
	draft := surveytest.Definition(t)
	draft.Slug, draft.Edition, draft.Title = "draft-survey", 2027, surveys.Text{"en": "Next year's survey"}
	if _, err := h.catalog.Create(t.Context(), draft); err != nil {
		t.Fatal(err)
	}

	cells := func(t *testing.T, doc *html.Node, slug string) []string {
		t.Helper()
		row := pageFind(doc, func(n *html.Node) bool {
			return n.Data == "tr" && strings.Contains(pageText(n), slug)
		})
		if row == nil {
			t.Fatalf("no row for %s", slug)
		}
		var out []string
		for c := row.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				out = append(out, pageText(c))
			}
		}
		return out
	}
	link := func(doc *html.Node, text string) string {
		return pageAttr(pageFind(doc, func(n *html.Node) bool { return n.Data == "a" && pageText(n) == text }), "href")
	}
	title := s.Title.In(surveys.DefaultLanguage)

	t.Run("analyst", func(t *testing.T) {
		analyst := h.signIn(surveys.RoleAnalyst)
		res := h.svGet(&analyst, "/staff/surveys")
		if res.status != 200 || !isStaffPage(res, "<h1>Surveys</h1>") {
			t.Fatalf("%d %.300s", res.status, res.body)
		}
		doc := pageParse(t, string(res.body))
		got := cells(t, doc, s.Slug)
		want := []string{title + " " + s.Slug, "2026", "Open", "Ages 8 to 11, Ages 11 to 18", "3", "30%", "2 days left (closes 24 Nov 2026, 22:00)"}
		if !slices.Equal(got, want) {
			t.Errorf("row:\n got %q\nwant %q", got, want)
		}
		if got := cells(t, doc, "draft-survey"); got[2] != "Draft" || got[4] != "0" || got[5] != "no cohort set" || got[6] != "No opening date" {
			t.Errorf("draft row: %q", got)
		}
		if href := link(doc, title); href != "/staff/surveys/"+s.Slug {
			t.Errorf("title links to %q", href)
		}
		if pageByID(doc, "create-heading") == nil || pageByID(doc, "tpl-choice") == nil || pageByID(doc, "next-choice") == nil {
			t.Error("no Create a survey section")
		}
		// The templates are offered, and the edition is this year.
		if pageFind(pageByID(doc, "tpl-choice"), func(n *html.Node) bool { return n.Data == "option" && pageAttr(n, "value") == "cared-for-2026" }) == nil {
			t.Error("the templates are not offered")
		}
		if v := pageAttr(pageByID(doc, "tpl-edition"), "value"); v != "2026" {
			t.Errorf("template edition prefilled %q, want 2026", v)
		}
	})
	t.Run("board", func(t *testing.T) {
		board := h.signIn(surveys.RoleBoard)
		res := h.svGet(&board, "/staff/surveys")
		if res.status != 200 {
			t.Fatalf("%d %.300s", res.status, res.body)
		}
		doc := pageParse(t, string(res.body))
		got := cells(t, doc, s.Slug)
		if got[4] != "fewer than 5" || got[5] != "not shown for small numbers" {
			t.Errorf("board row: %q", got)
		}
		if href := link(doc, title); href != "/staff/surveys/"+s.Slug+"/results" {
			t.Errorf("board's title links to %q, want the results", href)
		}
		if strings.Contains(string(res.body), "Create a survey") || pageFind(doc, func(n *html.Node) bool { return n.Data == "form" && pageAttr(n, "action") == "/staff/surveys" }) != nil {
			t.Error("the board sees the Create a survey forms")
		}
		if pageFind(doc, func(n *html.Node) bool {
			return n.Data == "a" && strings.HasPrefix(pageAttr(n, "href"), "/staff/surveys/draft-survey")
		}) != nil {
			t.Error("the board has a link for a draft, which has no results")
		}
	})
}

func TestCreateSurveyFromTemplate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	analyst := h.signIn(surveys.RoleAnalyst)
	create := func(form url.Values) response {
		form.Set("from", "template")
		return h.svPost(&analyst, "/staff/surveys", form, false)
	}

	res := create(url.Values{"choice": {"cared-for-2026"}, "edition": {"2027"}, "slug": {""}})
	if res.status != 303 || res.headers.Get("Location") != "/staff/surveys/cared-for-2027?done=created" {
		t.Fatalf("create: %d to %q %.300s", res.status, res.headers.Get("Location"), res.body)
	}
	s := h.svSurvey("cared-for-2027")
	if s.Status != surveys.StatusDraft || s.Edition != 2027 || s.Previous != "" {
		t.Errorf("created %s edition %d previous %q, want a draft of 2027", s.Status, s.Edition, s.Previous)
	}
	if e := h.svAudit(surveys.AuditSurveyCreate, "cared-for-2027"); len(e) != 1 || e[0].Actor != "analyst@council.example" {
		t.Errorf("audit: %+v", e)
	}
	page := h.svGet(&analyst, "/staff/surveys/cared-for-2027?done=created")
	if page.status != 200 || !strings.Contains(string(page.body), "The survey was created as a draft.") {
		t.Errorf("the new survey's page: %d, no flash", page.status)
	}
	list := h.svGet(&analyst, "/staff/surveys")
	if !strings.Contains(string(list.body), `href="/staff/surveys/cared-for-2027"`) {
		t.Error("the new survey is not listed")
	}

	// Mistakes come back beside their fields, as typed.
	cases := []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"no template", url.Values{"choice": {""}, "edition": {"2027"}}, "tpl-choice", "choose one of the templates"},
		{"unknown template", url.Values{"choice": {"nope"}, "edition": {"2027"}}, "tpl-choice", "choose one of the templates"},
		{"edition not a year", url.Values{"choice": {"cared-for-2026"}, "edition": {"next year"}}, "tpl-edition", "must be a year"},
		{"edition out of range", url.Values{"choice": {"cared-for-2026"}, "edition": {"1999"}, "slug": {"old-one"}}, "tpl-edition", "must be a year from 2000 to 2100"},
		{"slug taken", url.Values{"choice": {"cared-for-2026"}, "edition": {"2027"}}, "tpl-slug", "is used by another survey"},
		{"slug not a key", url.Values{"choice": {"cared-for-2026"}, "edition": {"2027"}, "slug": {"Cared For!"}}, "tpl-slug", "may use only lower-case letters"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := create(tc.form)
			if res.status != 422 || !isStaffPage(res, "The survey was not created") {
				t.Fatalf("%d %.300s", res.status, res.body)
			}
			doc := pageParse(t, string(res.body))
			svFieldError(t, doc, tc.field, tc.want)
			if got := pageAttr(pageByID(doc, "tpl-edition"), "value"); got != tc.form.Get("edition") {
				t.Errorf("edition shown as %q, want it as typed, %q", got, tc.form.Get("edition"))
			}
			if got := pageAttr(pageByID(doc, "tpl-slug"), "value"); got != tc.form.Get("slug") {
				t.Errorf("slug shown as %q, want it as typed, %q", got, tc.form.Get("slug"))
			}
		})
	}
	// Every mistake at once, and a form that is neither kind.
	res = create(url.Values{"choice": {""}, "edition": {"soon"}})
	doc := pageParse(t, string(res.body))
	svFieldError(t, doc, "tpl-choice", "choose one of the templates")
	svFieldError(t, doc, "tpl-edition", "must be a year, such as 2027")
	if res := h.svPost(&analyst, "/staff/surveys", url.Values{"from": {"somewhere"}}, false); res.status != 422 || !isStaffPage(res, "") {
		t.Errorf("from somewhere: %d", res.status)
	}
	if n := len(h.svAudit(surveys.AuditSurveyCreate, "")); n != 1 {
		t.Errorf("%d surveys created, want 1", n)
	}
}

func TestCreateNewEdition(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	prev := h.addSurvey(surveys.StatusClosed)
	admin := h.signIn(surveys.RoleAdmin)

	// "Make next year's edition" fills in the form.
	res := h.svGet(&admin, "/staff/surveys?next="+prev.Slug)
	doc := pageParse(t, string(res.body))
	chosen := pageFind(pageByID(doc, "next-choice"), func(n *html.Node) bool { return n.Data == "option" && pageHas(n, "selected") })
	if pageAttr(chosen, "value") != prev.Slug || pageAttr(pageByID(doc, "next-edition"), "value") != "2027" ||
		pageAttr(pageByID(doc, "next-slug"), "value") != "test-wellbeing-2027" {
		t.Errorf("prefilled: %q %q %q", pageAttr(chosen, "value"), pageAttr(pageByID(doc, "next-edition"), "value"), pageAttr(pageByID(doc, "next-slug"), "value"))
	}
	// The title has no year, so the option adds it, once.
	if got, want := pageText(chosen), "How are things? (test survey) (2026), next: test-wellbeing-2027"; got != want {
		t.Errorf("option %q, want %q", got, want)
	}

	// Mistakes first.
	res = h.svPost(&admin, "/staff/surveys", url.Values{"from": {"edition"}, "choice": {prev.Slug}, "edition": {"2026"}, "slug": {"again-2026"}}, false)
	if res.status != 422 {
		t.Fatalf("edition not later: %d", res.status)
	}
	svFieldError(t, pageParse(t, string(res.body)), "next-edition", "must be later than 2026")
	res = h.svPost(&admin, "/staff/surveys", url.Values{"from": {"edition"}, "choice": {"no-such-survey"}}, false)
	if res.status != 422 {
		t.Fatalf("unknown survey: %d", res.status)
	}
	svFieldError(t, pageParse(t, string(res.body)), "next-choice", "choose one of the surveys")
	res = h.svPost(&admin, "/staff/surveys", url.Values{"from": {"edition"}, "choice": {prev.Slug}, "edition": {"2027"}, "slug": {prev.Slug}}, false)
	if res.status != 422 {
		t.Fatalf("same slug: %d", res.status)
	}
	svFieldError(t, pageParse(t, string(res.body)), "next-slug", "must differ")

	// Empty edition and slug: the year after, and the suggested slug.
	res = h.svPost(&admin, "/staff/surveys", url.Values{"from": {"edition"}, "choice": {prev.Slug}, "edition": {""}, "slug": {""}}, false)
	if res.status != 303 || res.headers.Get("Location") != "/staff/surveys/test-wellbeing-2027?done=created" {
		t.Fatalf("create: %d to %q %.300s", res.status, res.headers.Get("Location"), res.body)
	}
	next := h.svSurvey("test-wellbeing-2027")
	if next.Edition != 2027 || next.Previous != prev.Slug || next.Status != surveys.StatusDraft {
		t.Errorf("new edition %d, previous %q, %s", next.Edition, next.Previous, next.Status)
	}
	keys := func(s *surveys.Survey) []string {
		var out []string
		for _, v := range s.Versions {
			for _, q := range v.Questions {
				out = append(out, v.Key+"/"+q.Key)
				for _, c := range q.Choices {
					out = append(out, v.Key+"/"+q.Key+"/"+c.Key)
				}
			}
		}
		return out
	}
	if !slices.Equal(keys(next), keys(prev)) || len(keys(prev)) == 0 {
		t.Errorf("keys changed:\n%q\n%q", keys(next), keys(prev))
	}
	if e := h.svAudit(surveys.AuditSurveyCreate, next.Slug); len(e) != 1 || !strings.Contains(e[0].Detail, "following "+prev.Slug) {
		t.Errorf("audit: %+v", e)
	}
	page := h.svGet(&admin, "/staff/surveys/"+next.Slug)
	if !strings.Contains(string(page.body), `following <a href="/staff/surveys/`+prev.Slug+`">`) {
		t.Errorf("the new edition's page does not link the previous one: %.2000s", page.body)
	}
	list := h.svGet(&admin, "/staff/surveys")
	if !strings.Contains(string(list.body), `href="/staff/surveys/test-wellbeing-2027"`) {
		t.Error("the new edition is not listed")
	}
}

func TestOpenAndCloseAfterConfirming(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusDraft)
	analyst := h.signIn(surveys.RoleAnalyst)
	path := "/staff/surveys/" + s.Slug + "/status"
	status := func() surveys.Status { return h.svSurvey(s.Slug).Status }
	rev := func() string { return strconv.Itoa(h.svSurvey(s.Slug).Revision) }

	page := pageParse(t, string(h.svGet(&analyst, "/staff/surveys/"+s.Slug).body))
	form := pageFind(page, func(n *html.Node) bool { return n.Data == "form" && pageAttr(n, "action") == path })
	if form == nil || !strings.Contains(pageText(form), "Open the survey") {
		t.Fatalf("no Open button: %s", pageText(form))
	}

	steps := []struct {
		to      string
		says    string
		button  string
		done    string
		want    surveys.Status
		history string
	}{
		{"open", "Young people will be able to answer it at once", "Open the survey", "opened", surveys.StatusOpen, "draft to open"},
		{"closed", "It will take no more answers; you can open it again later", "Close the survey", "closed", surveys.StatusClosed, "open to closed"},
		{"open", "Young people will be able to answer it again at once", "Open the survey again", "opened", surveys.StatusOpen, "closed to open"},
	}
	for _, st := range steps {
		before := status()
		res := h.svPost(&analyst, path, url.Values{"status": {st.to}, "revision": {rev()}}, false)
		if res.status != 200 || !isStaffPage(res, st.says) {
			t.Fatalf("%s without confirming: %d, want the confirmation page saying %q: %.2000s", st.to, res.status, st.says, res.body)
		}
		if status() != before {
			t.Fatalf("%s without confirming changed the status", st.to)
		}
		doc := pageParse(t, string(res.body))
		confirm := pageFind(doc, func(n *html.Node) bool { return n.Data == "form" && pageAttr(n, "action") == path })
		hidden := map[string]string{}
		for _, name := range []string{"_csrf", "status", "revision", "confirm"} {
			hidden[name] = pageAttr(pageFind(confirm, func(n *html.Node) bool { return n.Data == "input" && pageAttr(n, "name") == name }), "value")
		}
		if hidden["confirm"] != "yes" || hidden["status"] != st.to || hidden["revision"] != rev() || hidden["_csrf"] != analyst.csrf {
			t.Errorf("confirmation form: %v", hidden)
		}
		if b := pageFind(confirm, func(n *html.Node) bool { return n.Data == "button" }); pageText(b) != st.button {
			t.Errorf("button %q, want %q", pageText(b), st.button)
		}
		if pageFind(confirm, func(n *html.Node) bool {
			return n.Data == "a" && pageAttr(n, "href") == "/staff/surveys/"+s.Slug && pageText(n) == "Cancel"
		}) == nil {
			t.Error("no Cancel link back to the survey")
		}
		res = h.svPost(&analyst, path, url.Values{"status": {st.to}, "revision": {rev()}, "confirm": {"yes"}}, false)
		if res.status != 303 || res.headers.Get("Location") != "/staff/surveys/"+s.Slug+"?done="+st.done {
			t.Fatalf("%s confirmed: %d to %q", st.to, res.status, res.headers.Get("Location"))
		}
		if status() != st.want {
			t.Fatalf("status %s, want %s", status(), st.want)
		}
		// The harness's clock stands still, so entries are not in order.
		if !slices.ContainsFunc(h.svAudit(surveys.AuditSurveyStatus, s.Slug), func(e *surveys.AuditEntry) bool {
			return e.Detail == st.history && e.Actor == "analyst@council.example"
		}) {
			t.Errorf("no %q in the audit log", st.history)
		}
	}

	// A form from before someone else's change changes nothing.
	stale := strconv.Itoa(h.svSurvey(s.Slug).Revision - 1)
	res := h.svPost(&analyst, path, url.Values{"status": {"closed"}, "revision": {stale}, "confirm": {"yes"}}, false)
	if res.status != 409 || !isStaffPage(res, "Someone changed this survey after you opened the page") {
		t.Errorf("stale revision: %d %.500s", res.status, res.body)
	}
	if status() != surveys.StatusOpen {
		t.Error("a stale form changed the status")
	}
	// Nor does a move the survey's life does not allow, or a form without
	// the CSRF token.
	res = h.svPost(&analyst, path, url.Values{"status": {"draft"}, "revision": {rev()}, "confirm": {"yes"}}, false)
	if res.status != 422 || status() != surveys.StatusOpen {
		t.Errorf("back to draft: %d, status %s", res.status, status())
	}
	res = h.svPost(&analyst, path, url.Values{"status": {"closed"}, "revision": {rev()}, "confirm": {"yes"}}, true)
	if res.status != 403 || status() != surveys.StatusOpen {
		t.Errorf("without the CSRF token: %d, status %s", res.status, status())
	}
	if n := len(h.svAudit(surveys.AuditSurveyStatus, s.Slug)); n != 3 {
		t.Errorf("%d status changes in the audit log, want 3", n)
	}
}

func TestScheduleSurvey(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusDraft)
	admin := h.signIn(surveys.RoleAdmin)
	path := "/staff/surveys/" + s.Slug + "/schedule"
	rev := func() string { return strconv.Itoa(h.svSurvey(s.Slug).Revision) }

	page := pageParse(t, string(h.svGet(&admin, "/staff/surveys/"+s.Slug).body))
	for _, id := range []string{"schedule-opens", "schedule-closes"} {
		if in := pageByID(page, id); pageAttr(in, "type") != "datetime-local" || pageAttr(in, "value") != "" {
			t.Errorf("%s: %v", id, in)
		}
	}
	if !strings.Contains(pageText(page), "A draft opens by itself at the opening time; an open survey closes by itself at the closing time. A survey closed by hand stays closed.") {
		t.Error("the schedule's hint is missing")
	}

	// Times are London's: 1 June 2027 09:00 is 08:00 UTC (summer time),
	// 31 January 2028 17:00 is 17:00 UTC.
	res := h.svPost(&admin, path, url.Values{"revision": {rev()}, "opens": {"2027-06-01T09:00"}, "closes": {"2028-01-31T17:00"}, "cohort": {"250"}}, false)
	if res.status != 303 || res.headers.Get("Location") != "/staff/surveys/"+s.Slug+"?done=scheduled" {
		t.Fatalf("save: %d to %q %.500s", res.status, res.headers.Get("Location"), res.body)
	}
	got := h.svSurvey(s.Slug)
	if !got.Opens.Equal(time.Date(2027, 6, 1, 8, 0, 0, 0, time.UTC)) || !got.Closes.Equal(time.Date(2028, 1, 31, 17, 0, 0, 0, time.UTC)) || got.Cohort != 250 {
		t.Errorf("saved opens %v, closes %v, cohort %d", got.Opens, got.Closes, got.Cohort)
	}
	if e := h.svAudit(surveys.AuditSurveySchedule, s.Slug); len(e) != 1 || e[0].Actor != "admin@council.example" {
		t.Errorf("audit: %+v", e)
	}
	page = pageParse(t, string(h.svGet(&admin, "/staff/surveys/"+s.Slug+"?done=scheduled").body))
	if pageAttr(pageByID(page, "schedule-opens"), "value") != "2027-06-01T09:00" || pageAttr(pageByID(page, "schedule-closes"), "value") != "2028-01-31T17:00" ||
		pageAttr(pageByID(page, "schedule-cohort"), "value") != "250" {
		t.Errorf("the form does not show what was saved")
	}
	if !strings.Contains(pageText(page), "The dates and cohort were saved.") || !strings.Contains(pageText(page), "It opens by itself on 1 Jun 2027, 09:00") {
		t.Errorf("page: %s", pageText(page))
	}

	// Mistakes come back beside their fields, as typed, and change nothing.
	cases := []struct {
		name          string
		form          url.Values
		field, saying string
	}{
		{"closes before opens", url.Values{"opens": {"2027-06-01T09:00"}, "closes": {"2027-05-01T09:00"}}, "schedule-closes", "must be after the opening date"},
		{"too far ahead", url.Values{"opens": {"2040-06-01T09:00"}}, "schedule-opens", "must be within 5 years"},
		{"not a time", url.Values{"opens": {"next Tuesday"}}, "schedule-opens", "must be a date and time"},
		{"cohort not a number", url.Values{"cohort": {"lots"}}, "schedule-cohort", "must be a whole number"},
		{"cohort negative", url.Values{"cohort": {"-3"}}, "schedule-cohort", "must be a whole number from 0 to"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := rev()
			tc.form.Set("revision", before)
			res := h.svPost(&admin, path, tc.form, false)
			if res.status != 422 || !isStaffPage(res, "The dates and cohort were not saved") {
				t.Fatalf("%d %.300s", res.status, res.body)
			}
			doc := pageParse(t, string(res.body))
			svFieldError(t, doc, tc.field, tc.saying)
			for _, f := range []string{"opens", "closes", "cohort"} {
				if got := pageAttr(pageByID(doc, "schedule-"+f), "value"); got != tc.form.Get(f) {
					t.Errorf("%s shown as %q, want %q as typed", f, got, tc.form.Get(f))
				}
			}
			if rev() != before {
				t.Error("a refused form changed the survey")
			}
		})
	}

	// Someone else saved meanwhile: nothing is saved, and the page shows
	// the survey as it now is.
	stale := rev()
	if _, err := h.catalog.SetSchedule(t.Context(), s.Slug, h.svSurvey(s.Slug).Revision, surveys.Schedule{Cohort: 99}); err != nil {
		t.Fatal(err)
	}
	res = h.svPost(&admin, path, url.Values{"revision": {stale}, "cohort": {"12"}}, false)
	if res.status != 409 || !isStaffPage(res, "Someone else saved this survey") {
		t.Fatalf("stale: %d %.500s", res.status, res.body)
	}
	doc := pageParse(t, string(res.body))
	if pageAttr(pageByID(doc, "schedule-cohort"), "value") != "99" || pageAttr(pageByID(doc, "schedule-opens"), "value") != "" {
		t.Errorf("after a conflict the form shows cohort %q, opens %q; want the current 99 and none",
			pageAttr(pageByID(doc, "schedule-cohort"), "value"), pageAttr(pageByID(doc, "schedule-opens"), "value"))
	}
	if hidden := pageFind(doc, func(n *html.Node) bool {
		return n.Data == "input" && pageAttr(n, "name") == "revision" && pageAttr(n, "type") == "hidden"
	}); pageAttr(hidden, "value") != rev() {
		t.Errorf("after a conflict the form carries revision %q, want the current %s", pageAttr(hidden, "value"), rev())
	}
	if h.svSurvey(s.Slug).Cohort != 99 {
		t.Error("a stale form was saved")
	}

	// Empty fields: opened and closed by hand, no cohort.
	res = h.svPost(&admin, path, url.Values{"revision": {rev()}, "opens": {""}, "closes": {""}, "cohort": {""}}, false)
	if res.status != 303 {
		t.Fatalf("clear: %d", res.status)
	}
	if got := h.svSurvey(s.Slug); !got.Opens.IsZero() || !got.Closes.IsZero() || got.Cohort != 0 {
		t.Errorf("cleared: %v %v %d", got.Opens, got.Closes, got.Cohort)
	}
}

// A preview shows a draft's version as a phone shows it, with a banner;
// nothing sent from it is stored.
func TestPreviewDraft(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusDraft)
	analyst := h.signIn(surveys.RoleAnalyst)
	path := "/staff/surveys/" + s.Slug + "/preview/11-18"

	// Young people cannot see the draft.
	if res := h.do(request{method: "GET", path: "/s/" + s.Slug + "/11-18"}); res.status != 404 {
		t.Fatalf("the public form of a draft: %d", res.status)
	}
	page := pageParse(t, string(h.svGet(&analyst, "/staff/surveys/"+s.Slug).body))
	if pageFind(page, func(n *html.Node) bool { return n.Data == "a" && pageAttr(n, "href") == path }) == nil {
		t.Error("the survey page does not link the preview")
	}

	res := h.svGet(&analyst, path)
	if res.status != 200 {
		t.Fatalf("preview: %d %.500s", res.status, res.body)
	}
	body := string(res.body)
	doc := pageParse(t, string(res.body))
	for _, want := range []string{"Preview: answers are not saved.", "Do you feel safe where you live?", "Is there an adult you can talk to when you are worried?", "Ages 11 to 18"} {
		if !strings.Contains(pageText(doc), want) {
			t.Errorf("the preview does not say %q", want)
		}
	}
	if pageFind(doc, func(n *html.Node) bool { return n.Data == "a" && pageAttr(n, "href") == "/staff/surveys/"+s.Slug }) == nil {
		t.Error("no link back to the survey")
	}
	form := pageByID(doc, "answers")
	if pageAttr(form, "method") != "get" || pageAttr(form, "action") != path {
		t.Errorf("the form is sent %s to %q, want get to the preview", pageAttr(form, "method"), pageAttr(form, "action"))
	}
	if strings.Contains(body, "<script") || strings.Contains(body, "data-keep") {
		t.Error("the preview has a script or asks to be kept offline: it could send or keep answers")
	}
	if !strings.Contains(res.headers.Get("Content-Security-Policy"), "nonce-") || res.headers.Get("Cache-Control") != "no-store" {
		t.Errorf("headers: %v", res.headers)
	}

	// Pressing Send with an answer missing shows what a young person would
	// see; with every answer right, that they would be sent. Nothing is
	// stored either way.
	q := url.Values{"id": {uuid(1)}, "lang": {"en"}, "q.area": {"north"}, "q.feel_safe": {"always"}}
	res = h.svGet(&analyst, path+"?"+q.Encode())
	if res.status != 200 || !strings.Contains(string(res.body), "error-summary") || !strings.Contains(pageText(pageParse(t, string(res.body))), "Is there an adult you can talk to when you are worried?") {
		t.Errorf("a required answer missing: %d, want the error summary", res.status)
	}
	if !pageHas(pageFind(pageParse(t, string(res.body)), func(n *html.Node) bool { return n.Data == "input" && pageAttr(n, "value") == "north" }), "checked") {
		t.Error("the answers given are not kept")
	}
	q.Set("q.talk_to", "no")
	res = h.svGet(&analyst, path+"?"+q.Encode())
	if res.status != 200 || !strings.Contains(pageText(pageParse(t, string(res.body))), "on a phone, they would be sent now") || strings.Contains(string(res.body), "error-summary") {
		t.Errorf("right answers: %d %s", res.status, pageText(pageParse(t, string(res.body))))
	}
	// The language buttons show the preview in another language, answers
	// kept, and check nothing.
	res = h.svGet(&analyst, path+"?"+url.Values{"id": {uuid(1)}, "lang": {"en"}, "switch_lang": {"pl"}, "q.area": {"south"}}.Encode())
	doc = pageParse(t, string(res.body))
	if root := pageFind(doc, func(n *html.Node) bool { return n.Data == "html" }); res.status != 200 || pageAttr(root, "lang") != "pl" ||
		!strings.Contains(pageText(doc), "Preview: answers are not saved.") || strings.Contains(string(res.body), "error-summary") ||
		!pageHas(pageFind(doc, func(n *html.Node) bool { return n.Data == "input" && pageAttr(n, "value") == "south" }), "checked") {
		t.Errorf("switching language: %d, lang %q", res.status, pageAttr(pageFind(doc, func(n *html.Node) bool { return n.Data == "html" }), "lang"))
	}
	// Sent as a young person's form would be, to the preview's address or
	// the public one: refused, and nothing stored.
	post := h.svPost(&analyst, path, q, false)
	if post.status < 400 {
		t.Errorf("POST to the preview: %d", post.status)
	}
	if res := h.do(request{method: "POST", path: "/s/" + s.Slug + "/11-18", ctype: "application/x-www-form-urlencoded", body: q.Encode()}); res.status < 400 {
		t.Errorf("POST to the draft's public form: %d", res.status)
	}
	if n := h.countResponses(h.svSurvey(s.Slug)); n != 0 {
		t.Errorf("%d responses stored from a preview", n)
	}
	if got := h.svSurvey(s.Slug).Status; got != surveys.StatusDraft {
		t.Errorf("the preview changed the status to %s", got)
	}

	if res := h.svGet(&analyst, "/staff/surveys/"+s.Slug+"/preview/no-such-version"); res.status != 404 || !isStaffPage(res, "no version") {
		t.Errorf("unknown version: %d %.300s", res.status, res.body)
	}
	if res := h.svGet(&analyst, "/staff/surveys/no-such-survey/preview/11-18"); res.status != 404 || !isStaffPage(res, "Page not found") {
		t.Errorf("unknown survey: %d", res.status)
	}
}

// Previewing an open survey stores nothing either.
func TestPreviewOpenSurveyStoresNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	admin := h.signIn(surveys.RoleAdmin)
	q := url.Values{}
	for k, v := range validAnswers() {
		switch v := v.(type) {
		case []string:
			q["q."+k] = v
		default:
			q.Set("q."+k, fmt.Sprint(v))
		}
	}
	q.Set("id", uuid(7))
	res := h.svGet(&admin, "/staff/surveys/"+s.Slug+"/preview/11-18?"+q.Encode())
	if res.status != 200 || !strings.Contains(pageText(pageParse(t, string(res.body))), "on a phone, they would be sent now") {
		t.Fatalf("%d %s", res.status, pageText(pageParse(t, string(res.body))))
	}
	if n := h.countResponses(s); n != 0 {
		t.Errorf("%d responses stored from a preview of an open survey", n)
	}
}

// svCodeStore is the harness's code storage.
func (h *harness) svCodeStore() surveys.CodeStore { return mongo.NewCodeStore(h.db) }
