package api_test

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

// actionForm is the action form as an analyst fills it in.
func actionForm() url.Values {
	return url.Values{
		"said.en":  {"There is nothing to do at weekends."},
		"said.pl":  {"W weekendy nie ma co robić."},
		"said.ar":  {""},
		"did.en":   {"A free Saturday youth club opened in Kirkby."},
		"did.pl":   {""},
		"did.ar":   {""},
		"owner":    {"Participation team"},
		"due":      {"2027-03-31"},
		"status":   {"in_progress"},
		"reason":   {""},
		"theme":    {"activities", "transport"},
		"question": {surveytest.Slug + "/happy"},
		"publish":  {"1"},
	}
}

// storedActions reads every action, in the plan's order.
func (h *harness) storedActions() []*surveys.Action {
	h.t.Helper()
	list, err := h.actions.List(context.Background(), surveys.ActionFilter{})
	if err != nil {
		h.t.Fatal(err)
	}
	return list
}

// actionFieldError checks that a field (or a group's fieldset) shows its
// error beside it and in the error summary.
func actionFieldError(t *testing.T, doc *html.Node, id, want string) {
	t.Helper()
	field := pageByID(doc, id)
	msg := pageByID(doc, id+"-error")
	if field == nil || !strings.Contains(pageAttr(field, "aria-describedby"), id+"-error") {
		t.Errorf("field %s is not described by its error: %v", id, field)
	}
	if field != nil && field.Data != "fieldset" && pageAttr(field, "aria-invalid") != "true" {
		t.Errorf("field %s is not marked invalid", id)
	}
	if !strings.Contains(pageText(msg), want) {
		t.Errorf("field %s: message %q, want it to say %q", id, pageText(msg), want)
	}
	summary := pageByID(doc, "error-summary")
	if pageFind(summary, func(n *html.Node) bool { return n.Data == "a" && pageAttr(n, "href") == "#"+id }) == nil {
		t.Errorf("the error summary does not link to %s: %s", id, pageText(summary))
	}
}

func TestStaffActionCreateAndEdit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusOpen)
	analyst := h.signIn(surveys.RoleAnalyst)

	page := h.adminGet(&analyst, "/staff/actions/new")
	if page.status != 200 || !isStaffPage(page, "Add an action") {
		t.Fatalf("new action page: %d", page.status)
	}
	doc := pageParse(t, string(page.body))
	for _, id := range []string{"said-en", "said-pl", "said-ar", "did-en", "owner", "due", "status-planned", "reason", "theme-activities", "survey-" + surveytest.Slug, "publish"} {
		if pageByID(doc, id) == nil {
			t.Errorf("the form has no field %s", id)
		}
	}
	if n := pageByID(doc, "owner-hint"); !strings.Contains(pageText(n), "Never a person's name") {
		t.Errorf("the owner's hint %q does not say it is never a person's name", pageText(n))
	}
	if pageAttr(pageByID(doc, "status-planned"), "checked") == "" && !pageHas(pageByID(doc, "status-planned"), "checked") {
		t.Error("a new action is not planned by default")
	}

	res := h.adminPost(&analyst, "/staff/actions", actionForm())
	if res.status != 303 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	list := h.storedActions()
	if len(list) != 1 {
		t.Fatalf("%d actions stored, want 1", len(list))
	}
	a := list[0]
	if loc := res.headers.Get("Location"); loc != "/staff/actions/"+a.ID+"?done=action-added" {
		t.Errorf("sent to %q", loc)
	}
	if a.Said["pl"] != "W weekendy nie ma co robić." || a.Said["ar"] != "" || a.Status != surveys.ActionInProgress || a.Due != "2027-03-31" ||
		!slices.Equal(a.Themes, []string{"activities", "transport"}) || !slices.Equal(a.Surveys, []string{surveytest.Slug}) || !a.Publish {
		t.Errorf("stored %+v", a)
	}

	page = h.adminGet(&analyst, "/staff/actions/"+a.ID+"?done=action-added")
	if !isStaffPage(page, "The action was added.") || !isStaffPage(page, "History") || !isStaffPage(page, "analyst@council.example") {
		t.Errorf("the action's page after adding it: %d %s", page.status, page.body)
	}
	doc = pageParse(t, string(page.body))
	if pageAttr(pageFind(doc, func(n *html.Node) bool { return pageAttr(n, "name") == "revision" }), "value") != "1" {
		t.Error("the edit form does not carry revision 1")
	}
	if pageText(pageByID(doc, "said-pl")) != "W weekendy nie ma co robić." || !pageHas(pageByID(doc, "theme-transport"), "checked") ||
		!pageHas(pageByID(doc, "status-in_progress"), "checked") || !pageHas(pageByID(doc, "publish"), "checked") {
		t.Error("the edit form does not show the action as stored")
	}

	// An edit: done now, unpublished.
	form := actionForm()
	form.Set("revision", "1")
	form.Set("status", "done")
	form.Del("publish")
	res = h.adminPost(&analyst, "/staff/actions/"+a.ID, form)
	if res.status != 303 || res.headers.Get("Location") != "/staff/actions/"+a.ID+"?done=action-saved" {
		t.Fatalf("save: %d %s", res.status, res.headers.Get("Location"))
	}
	a = h.storedActions()[0]
	if a.Status != surveys.ActionDone || a.Publish || a.Revision != 2 || len(a.History) != 2 {
		t.Errorf("after the edit: %+v", a)
	}

	// The list shows it with its status and due date.
	page = h.adminGet(&analyst, "/staff/actions")
	row := pageFind(pageParse(t, string(page.body)), func(n *html.Node) bool { return n.Data == "tr" && strings.Contains(pageText(n), "nothing to do") })
	if text := pageText(row); !strings.Contains(text, "Done") || !strings.Contains(text, "31 Mar 2027") || !strings.Contains(text, "Participation team") {
		t.Errorf("the list's row: %q", text)
	}
	if !isStaffPage(page, `href="/staff/actions/new"`) {
		t.Error("an analyst is not offered to add an action")
	}

	// A save from revision 1 again is refused, showing what is stored.
	form.Set("status", "planned")
	res = h.adminPost(&analyst, "/staff/actions/"+a.ID, form)
	if res.status != 409 || !isStaffPage(res, "Someone else saved this action") {
		t.Errorf("a stale save: %d", res.status)
	}
	doc = pageParse(t, string(res.body))
	if !pageHas(pageByID(doc, "status-done"), "checked") ||
		pageAttr(pageFind(doc, func(n *html.Node) bool { return pageAttr(n, "name") == "revision" }), "value") != "2" {
		t.Error("after a conflict, the form does not show the stored action at revision 2")
	}
	if got := h.storedActions()[0]; got.Revision != 2 || got.Status != surveys.ActionDone {
		t.Errorf("a stale save changed the action: %+v", got)
	}
}

// A form with mistakes shows each beside its field and in the summary,
// keeps what was typed, and stores nothing.
func TestStaffActionFormErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusOpen)
	admin := h.signIn(surveys.RoleAdmin)

	form := actionForm()
	form.Set("said.en", "")
	form.Set("did.pl", strings.Repeat("ż", surveys.MaxActionText+1))
	form.Set("owner", "jo.bloggs@council.gov.uk")
	form.Set("status", "not_possible")
	form.Set("due", "2027-02-30")
	form.Add("theme", "space_travel")
	res := h.adminPost(&admin, "/staff/actions", form)
	if res.status != 422 || !isStaffPage(res, "The action was not saved") {
		t.Fatalf("bad form: %d", res.status)
	}
	doc := pageParse(t, string(res.body))
	actionFieldError(t, doc, "said-en", "every text needs English")
	actionFieldError(t, doc, "did-pl", "longer than 1000 characters")
	actionFieldError(t, doc, "owner", "not an email address")
	actionFieldError(t, doc, "reason", "needed when the action is not possible")
	actionFieldError(t, doc, "due", "year-month-day")
	actionFieldError(t, doc, "themes", "\"space_travel\" is not a theme")
	summary := pageText(pageByID(doc, "error-summary"))
	for _, want := range []string{"What young people said, in English:", "What was done, in Polish:", "Owner:", "Why it is not possible:"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary %q lacks %q", summary, want)
		}
	}
	if strings.Index(summary, "in English") > strings.Index(summary, "Owner") {
		t.Errorf("the summary is not in the order of the form: %q", summary)
	}
	if pageAttr(pageByID(doc, "owner"), "value") != "jo.bloggs@council.gov.uk" || pageText(pageByID(doc, "said-pl")) != "W weekendy nie ma co robić." ||
		!pageHas(pageByID(doc, "theme-space_travel"), "checked") {
		t.Error("the form does not keep what was typed")
	}
	if n := len(h.storedActions()); n != 0 {
		t.Errorf("%d actions stored from a bad form", n)
	}
	if res := h.adminPost(&admin, "/staff/actions/nope", form); res.status != 404 {
		t.Errorf("saving an unknown action: %d, want 404", res.status)
	}
}

// What the form does not show (other languages, MADE sessions) survives a
// save from it.
func TestStaffActionKeepsWhatTheFormDoesNotEdit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusOpen)
	analyst := h.signIn(surveys.RoleAnalyst)
	ctx := surveys.NewContextWithUser(context.Background(), &surveys.User{Email: "api@council.example", Role: surveys.RoleAnalyst})
	a, err := h.actions.Create(ctx, &surveys.Action{Said: surveys.Text{"en": "More trips.", "cy": "Mwy o dripiau."},
		Did: surveys.Text{"en": "Two trips a term."}, Owner: "Participation team", Status: surveys.ActionPlanned,
		Sessions: []string{"made-2026-10"}})
	if err != nil {
		t.Fatal(err)
	}
	page := h.adminGet(&analyst, "/staff/actions/"+a.ID)
	doc := pageParse(t, string(page.body))
	form := url.Values{"revision": {strconv.Itoa(a.Revision)}, "status": {"done"}}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name := pageAttr(n, "name")
			switch {
			case n.Data == "textarea":
				form.Set(name, pageText(n))
			case n.Data == "input" && pageAttr(n, "type") == "hidden" && name != "_csrf" && name != "revision":
				form.Add(name, pageAttr(n, "value"))
			case n.Data == "input" && (pageAttr(n, "type") == "text" || pageAttr(n, "type") == "date"):
				form.Set(name, pageAttr(n, "value"))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if form.Get("said.cy") != "Mwy o dripiau." {
		t.Fatalf("the form has no box for the Welsh it holds: %v", form)
	}
	if res := h.adminPost(&analyst, "/staff/actions/"+a.ID, form); res.status != 303 {
		t.Fatalf("save: %d %s", res.status, res.body)
	}
	got := h.storedActions()[0]
	if got.Said["cy"] != "Mwy o dripiau." || !slices.Equal(got.Sessions, []string{"made-2026-10"}) || got.Status != surveys.ActionDone {
		t.Errorf("after a save from the form: %+v", got)
	}
}

// The board reads the plan and each action, with its history, and is
// offered no form.
func TestStaffActionsForTheBoard(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusOpen)
	board := h.signIn(surveys.RoleBoard)
	ctx := surveys.NewContextWithUser(context.Background(), &surveys.User{Email: "ana@council.example", Role: surveys.RoleAnalyst})
	a, err := h.actions.Create(ctx, &surveys.Action{Said: surveys.Text{"en": "Buses to contact take too long."},
		Did: surveys.Text{"en": "We asked for a new route."}, Owner: "Transport team", Status: surveys.ActionNotPossible,
		Reason: "The bus company said no.", Themes: []string{"transport"}})
	if err != nil {
		t.Fatal(err)
	}
	list := h.adminGet(&board, "/staff/actions")
	if list.status != 200 || !isStaffPage(list, "Buses to contact take too long.") || isStaffPage(list, "/staff/actions/new") {
		t.Errorf("the board's list: %d", list.status)
	}
	page := h.adminGet(&board, "/staff/actions/"+a.ID)
	doc := pageParse(t, string(page.body))
	if page.status != 200 || pageFind(doc, func(n *html.Node) bool { return n.Data == "form" && pageAttr(n, "action") != "/staff/sign-out" }) != nil {
		t.Fatalf("the board's page of an action: %d, want it read only", page.status)
	}
	for _, want := range []string{"Not possible", "The bus company said no.", "Getting about", "ana@council.example", "Transport team"} {
		if !isStaffPage(page, want) {
			t.Errorf("the board's page lacks %q", want)
		}
	}
	if nav := pageFind(doc, func(n *html.Node) bool {
		return n.Data == "a" && pageAttr(n, "href") == "/staff/actions" && pageAttr(n, "aria-current") == "page"
	}); nav == nil {
		t.Error("the navigation does not mark \"You said, we did\" as the current section")
	}
}
