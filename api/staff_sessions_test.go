package api_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

// storedSessions reads every MADE session, newest date first.
func (h *harness) storedSessions() []*surveys.LiveSession {
	h.t.Helper()
	list, err := h.sessions.List(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return list
}

// sessionIDs are the ids of a session's activities, in order.
func sessionIDs(s *surveys.LiveSession) string {
	var ids []string
	for _, a := range s.Activities {
		ids = append(ids, a.ID)
	}
	return strings.Join(ids, ",")
}

// formIDs are the ids of the activities of the editor's form, in order.
func formIDs(form url.Values) string {
	n, _ := strconv.Atoi(form.Get("count"))
	ids := make([]string, n)
	for i := range n {
		ids[i] = form.Get(fmt.Sprintf("a.%d.id", i))
	}
	return strings.Join(ids, ",")
}

// sessionPress sends the editor's form to path with the button op
// pressed.
func (h *harness) sessionPress(who *staff, path string, form url.Values, op string) response {
	h.t.Helper()
	form = cloneValues(form)
	form.Set("op", op)
	return h.adminPost(who, path, form)
}

// sessionStep presses a button that shows the form again, unsaved, and
// returns the form as it now is.
func (h *harness) sessionStep(who *staff, path string, form url.Values, op string) url.Values {
	h.t.Helper()
	res := h.sessionPress(who, path, form, op)
	if res.status != 200 || !isStaffPage(res, "Nothing is saved until you choose Save") {
		h.t.Fatalf("%s: %d %.800s", op, res.status, res.body)
	}
	return editFormValues(h.t, res.body)
}

// setGroups saves MADE groups in the settings.
func (h *harness) setGroups(groups ...string) {
	h.t.Helper()
	ctx := surveys.NewContextWithUser(context.Background(), &surveys.User{Email: "admin@council.example", Role: surveys.RoleAdmin})
	st, err := h.settings.Current(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	st.Groups = groups
	if _, err := h.settings.Save(ctx, st.Revision, st); err != nil {
		h.t.Fatal(err)
	}
}

// A facilitator starts from the templates, saves, then moves, removes and
// adds activities with the form's buttons (nothing saved until Save), and
// saves again.
func TestStaffSessionFromTemplates(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusOpen)
	h.setGroups("MADE North", "MADE South")
	fac := h.signIn(surveys.RoleFacilitator)

	list := h.adminGet(&fac, "/staff/sessions")
	if list.status != 200 || !isStaffPage(list, "There are no sessions yet") || !isStaffPage(list, `href="/staff/sessions/new?from=templates"`) ||
		isStaffPage(list, `name="start" value="copy"`) {
		t.Fatalf("the empty list: %d %.500s", list.status, list.body)
	}
	page := h.adminGet(&fac, "/staff/sessions/new?from=templates")
	if page.status != 200 || !isStaffPage(page, "Prepare a session") {
		t.Fatalf("new from the templates: %d", page.status)
	}
	form := editFormValues(t, page.body)
	if got := formIDs(form); got != "charter,good-change,priorities,one-word,lundy" || form.Get("date") != "2026-11-23" {
		t.Fatalf("the templates' form: %s, dated %q", got, form.Get("date"))
	}
	if len(h.storedSessions()) != 0 {
		t.Fatal("opening the form stored a session")
	}
	form.Set("title", "Charter check")
	form.Set("date", "2026-12-01")
	form.Set("group", "MADE North")
	res := h.sessionPress(&fac, "/staff/sessions", form, "save")
	if res.status != 303 {
		t.Fatalf("create: %d %.800s", res.status, res.body)
	}
	stored := h.storedSessions()
	if len(stored) != 1 {
		t.Fatalf("%d sessions stored, want 1", len(stored))
	}
	s := stored[0]
	edit := "/staff/sessions/" + s.ID + "/edit"
	if loc := res.headers.Get("Location"); loc != edit+"?done=session-created" {
		t.Errorf("sent to %q", loc)
	}
	if s.Title != "Charter check" || s.Group != "MADE North" || s.Status != surveys.LiveDraft || s.Revision != 1 ||
		sessionIDs(s) != "charter,good-change,priorities,one-word,lundy" || s.Activities[2].FromIdeas != "good-change" {
		t.Errorf("stored %+v", s)
	}
	if !h.auditHas(surveys.AuditSessionCreate, "facilitator@council.example", "session "+s.ID) {
		t.Error("the creation is not in the audit log")
	}

	page = h.adminGet(&fac, edit+"?done=session-created")
	if page.status != 200 || !isStaffPage(page, "The session was saved as a draft.") || !isStaffPage(page, "Change a session") {
		t.Fatalf("the edit page: %d", page.status)
	}
	form = editFormValues(t, page.body)
	if form.Get("revision") != "1" || form.Get("a.0.statements") != strings.Join(s.Activities[0].Statements, "\n") {
		t.Fatalf("the edit form does not show the session as stored: %v", form)
	}

	// Each button changes the form only.
	steps := []struct{ op, want string }{
		{"down:0", "good-change,charter,priorities,one-word,lundy"},
		{"up:2", "good-change,priorities,charter,one-word,lundy"},
		{"remove:3", "good-change,priorities,charter,lundy"},
		{"add:poll", "good-change,priorities,charter,lundy,poll-1"},
		{"add:rating", "good-change,priorities,charter,lundy,poll-1,rating-1"},
		{"add:ideas", "good-change,priorities,charter,lundy,poll-1,rating-1,ideas-1"},
		{"add:dots", "good-change,priorities,charter,lundy,poll-1,rating-1,ideas-1,dots-1"},
		{"add:words", "good-change,priorities,charter,lundy,poll-1,rating-1,ideas-1,dots-1,words-1"},
		{"add:question", "good-change,priorities,charter,lundy,poll-1,rating-1,ideas-1,dots-1,words-1,question-1"},
		{"remove:3", "good-change,priorities,charter,poll-1,rating-1,ideas-1,dots-1,words-1,question-1"},
		{"lundy", "good-change,priorities,charter,poll-1,rating-1,ideas-1,dots-1,words-1,question-1,lundy"},
	}
	for _, st := range steps {
		form = h.sessionStep(&fac, edit, form, st.op)
		if got := formIDs(form); got != st.want {
			t.Fatalf("after %s: %s, want %s", st.op, got, st.want)
		}
	}
	if got := h.storedSessions()[0]; got.Revision != 1 || sessionIDs(got) != "charter,good-change,priorities,one-word,lundy" {
		t.Fatalf("the buttons saved the session: %+v", got)
	}
	if form.Get("a.6.dots") != "3" || form.Get("a.7.words") != "1" || form.Get("a.9.statements") != "Did you feel listened to today?" {
		t.Errorf("new activities' defaults: dots %q, words %q, Lundy %q", form.Get("a.6.dots"), form.Get("a.7.words"), form.Get("a.9.statements"))
	}
	// The new dot vote may take the ideas of either board before it, and
	// says the first board's place.
	doc := pageParse(t, string(h.sessionPress(&fac, edit, form, "up:0").body))
	if opt := pageFind(pageByID(doc, "a6-from_ideas"), func(n *html.Node) bool { return pageAttr(n, "value") == "ideas-1" }); opt == nil {
		t.Error("the dot vote cannot choose the idea board before it")
	}

	// The new activities are empty: Save names each mistake, and stores
	// nothing.
	res = h.sessionPress(&fac, edit, form, "save")
	if res.status != 422 || !isStaffPage(res, "Your changes were not saved") {
		t.Fatalf("save with empty activities: %d", res.status)
	}
	doc = pageParse(t, string(res.body))
	actionFieldError(t, doc, "a3-prompt", "Is required.")
	actionFieldError(t, doc, "a3-options", "Needs at least 2.")
	actionFieldError(t, doc, "a4-statements", "Needs at least 1.")
	actionFieldError(t, doc, "a6-options", "Needs at least 2.")
	if got := formIDs(editFormValues(t, res.body)); got != formIDs(form) {
		t.Errorf("the form after mistakes: %s, want as typed", got)
	}
	for i, fill := range map[int]map[string]string{
		3: {"prompt": "Where should we meet?", "options": "Library\nYouth centre", "multiple": "1"},
		4: {"prompt": "How do you feel about school?", "statements": "I like my school.\nI get help with homework."},
		5: {"prompt": "What would make contact better?", "columns": "What's good\nWhat should change"},
		6: {"prompt": "Which ideas matter most?", "from_ideas": "ideas-1", "dots": "5"},
		7: {"prompt": "A word for your home"},
		8: {"prompt": "Anything else?", "questions": surveytest.Slug + "/happy"},
	} {
		for k, v := range fill {
			form.Set(fmt.Sprintf("a.%d.%s", i, k), v)
		}
	}
	form.Add("a.3.theme", "activities")
	res = h.sessionPress(&fac, edit, form, "save")
	if res.status != 303 || res.headers.Get("Location") != edit+"?done=session-saved" {
		t.Fatalf("save: %d %.1500s", res.status, res.body)
	}
	got := h.storedSessions()[0]
	if got.Revision != 2 || sessionIDs(got) != formIDs(form) {
		t.Errorf("stored after save: revision %d, %s", got.Revision, sessionIDs(got))
	}
	if a := got.Activity("poll-1"); a == nil || !a.Multiple || !slices.Equal(a.Options, []string{"Library", "Youth centre"}) || !slices.Equal(a.Themes, []string{"activities"}) {
		t.Errorf("the poll: %+v", a)
	}
	if a := got.Activity("dots-1"); a == nil || a.Dots != 5 || a.FromIdeas != "ideas-1" || a.Options != nil {
		t.Errorf("the dot vote: %+v", a)
	}
	if a := got.Activity("question-1"); a == nil || !slices.Equal(a.Questions, []surveys.ActionQuestion{{Survey: surveytest.Slug, Question: "happy"}}) {
		t.Errorf("the open question: %+v", a)
	}
	if !h.auditHas(surveys.AuditSessionUpdate, "facilitator@council.example", "session "+s.ID) {
		t.Error("the save is not in the audit log")
	}

	// The list shows it; the facilitator's home page too.
	list = h.adminGet(&fac, "/staff/sessions")
	row := pageFind(pageParse(t, string(list.body)), func(n *html.Node) bool { return n.Data == "tr" && strings.Contains(pageText(n), "Charter check") })
	if text := pageText(row); !strings.Contains(text, "1 Dec 2026") || !strings.Contains(text, "MADE North") || !strings.Contains(text, "Draft") ||
		!strings.Contains(text, "10") {
		t.Errorf("the list's row: %q", text)
	}
	home := h.adminGet(&fac, "/staff")
	if !isStaffPage(home, "Your next MADE sessions") || !isStaffPage(home, `href="`+edit+`"`) {
		t.Errorf("the facilitator's home page does not list the session: %.2000s", home.body)
	}
}

// An analyst starts blank, and copies a session: the copy is a new draft
// dated today, without anything of how the first one ran.
func TestStaffSessionBlankAndCopy(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.setGroups("MADE North", "MADE South")
	analyst := h.signIn(surveys.RoleAnalyst)

	page := h.adminGet(&analyst, "/staff/sessions/new")
	if page.status != 200 {
		t.Fatalf("new: %d", page.status)
	}
	doc := pageParse(t, string(page.body))
	for _, id := range []string{"title", "date", "group", "purpose", "premoderate", "add-activity"} {
		if pageByID(doc, id) == nil {
			t.Errorf("the form has no %s", id)
		}
	}
	form := editFormValues(t, page.body)
	if form.Get("count") != "0" || form.Get("group") != "" {
		t.Errorf("a blank form: %v", form)
	}
	form = h.sessionStep(&analyst, "/staff/sessions", form, "add:poll")
	form.Set("title", "Where we meet")
	form.Set("group", "MADE South")
	form.Set("premoderate", "1")
	form.Set("a.0.prompt", "Where should we meet?")
	form.Set("a.0.options", "Library\nYouth centre")
	if n := len(h.storedSessions()); n != 0 {
		t.Fatalf("adding an activity stored %d sessions", n)
	}
	res := h.sessionPress(&analyst, "/staff/sessions", form, "save")
	if res.status != 303 {
		t.Fatalf("create: %d %.1000s", res.status, res.body)
	}
	first := h.storedSessions()[0]
	if first.Group != "MADE South" || !first.Premoderate || sessionIDs(first) != "poll-1" {
		t.Errorf("stored %+v", first)
	}

	// It ran: the copy has its activities, none of its results.
	ran := first.Clone()
	ran.Status, ran.Code, ran.Attendance, ran.Published = surveys.LiveEnded, "ABC234", map[string]int{"12-15": 6}, []string{"poll-1"}
	if _, err := h.sessions.Store.UpdateLiveSession(context.Background(), first.ID, 1, ran); err != nil {
		t.Fatal(err)
	}
	list := h.adminGet(&analyst, "/staff/sessions")
	if !isStaffPage(list, `<option value="`+first.ID+`">Where we meet (23 Nov 2026)</option>`) {
		t.Fatalf("the list offers no copy of the session: %.3000s", list.body)
	}
	res = h.adminPost(&analyst, "/staff/sessions", url.Values{"start": {"copy"}, "from": {first.ID}})
	if res.status != 303 {
		t.Fatalf("copy: %d %.500s", res.status, res.body)
	}
	var c *surveys.LiveSession
	for _, s := range h.storedSessions() {
		if s.ID != first.ID {
			c = s
		}
	}
	if c == nil || res.headers.Get("Location") != "/staff/sessions/"+c.ID+"/edit?done=session-copied" {
		t.Fatalf("copy: sent to %q", res.headers.Get("Location"))
	}
	if c.Title != "Where we meet (copy)" || c.Date != "2026-11-23" || c.Status != surveys.LiveDraft || c.Code != "" || c.Attendance != nil ||
		c.Published != nil || c.Group != "MADE South" || !c.Premoderate || sessionIDs(c) != "poll-1" {
		t.Errorf("the copy: %+v", c)
	}
	if !h.auditHas(surveys.AuditSessionCopy, "analyst@council.example", "session "+c.ID) {
		t.Error("the copy is not in the audit log")
	}
	if page := h.adminGet(&analyst, "/staff/sessions/"+c.ID+"/edit?done=session-copied"); !isStaffPage(page, "The copy was made as a new draft") {
		t.Errorf("the copy's page: %d", page.status)
	}
	if res := h.adminPost(&analyst, "/staff/sessions", url.Values{"start": {"copy"}, "from": {"no-such-session"}}); res.status != 404 {
		t.Errorf("a copy of an unknown session: %d, want 404", res.status)
	}
	if n := len(h.storedSessions()); n != 2 {
		t.Errorf("%d sessions, want 2", n)
	}
}

// A form with mistakes shows each beside its field and in the summary,
// keeps what was typed, and stores nothing.
func TestStaffSessionFormErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusOpen)
	h.setGroups("MADE North")
	admin := h.signIn(surveys.RoleAdmin)

	form := url.Values{
		"title": {""}, "date": {"2026-02-30"}, "group": {"MADE East"}, "purpose": {strings.Repeat("p", surveys.MaxSessionPurpose+1)},
		"count":  {"6"},
		"a.0.id": {"poll-1"}, "a.0.kind": {"poll"}, "a.0.prompt": {strings.Repeat("é", surveys.MaxPrompt+1)}, "a.0.options": {"Library\nlibrary"},
		"a.1.id": {"dots-1"}, "a.1.kind": {"dots"}, "a.1.prompt": {"Vote"}, "a.1.dots": {"11"}, "a.1.from_ideas": {"ideas-1"},
		"a.2.id": {"ideas-1"}, "a.2.kind": {"ideas"}, "a.2.prompt": {"Ideas"}, "a.2.columns": {"A\nB\nC\nD\nE"},
		"a.3.id": {"words-1"}, "a.3.kind": {"words"}, "a.3.prompt": {"Words"}, "a.3.words": {"9"}, "a.3.theme": {"space_travel"},
		"a.4.id": {"question-1"}, "a.4.kind": {"question"}, "a.4.prompt": {"Anything?"}, "a.4.questions": {"no-such-survey/happy\n" + surveytest.Slug + "/favourite_colour"},
		"a.5.id": {"rating-1"}, "a.5.kind": {"rating"}, "a.5.prompt": {"Rate"}, "a.5.statements": {strings.Repeat("s", surveys.MaxPrompt+1)},
	}
	res := h.sessionPress(&admin, "/staff/sessions", form, "save")
	if res.status != 422 || !isStaffPage(res, "The session was not saved") {
		t.Fatalf("bad form: %d %.500s", res.status, res.body)
	}
	doc := pageParse(t, string(res.body))
	for _, tc := range []struct{ id, want string }{
		{"title", "Is required."},
		{"date", "Must be a date such as 2026-11-23"},
		{"group", "Must be one of the MADE groups in the settings"},
		{"purpose", "Must be at most 1000 characters"},
		{"a0-prompt", "Must be at most 500 characters"},
		{"a0-options", "Line 2: is there twice"},
		{"a1-dots", "Must be from 1 to 10"},
		{"a1-from_ideas", "Must be an idea board that comes before this activity"},
		{"a2-columns", "Can have at most 4"},
		{"a3-words", "Must be from 1 to 3"},
		{"a3-themes", "\"space_travel\" is not a theme of the codebook in use"},
		{"a4-questions", "Line 1: there is no survey \"no-such-survey\"; line 2: the survey \"test-wellbeing\" has no question \"favourite_colour\""},
		{"a5-statements", "Line 1: must be at most 500 characters"},
	} {
		actionFieldError(t, doc, tc.id, tc.want)
	}
	summary := pageText(pageByID(doc, "error-summary"))
	if strings.Index(summary, "Title:") > strings.Index(summary, "Activity 1") || strings.Index(summary, "Activity 1") > strings.Index(summary, "Activity 2") {
		t.Errorf("the summary is not in the order of the form: %q", summary)
	}
	for _, want := range []string{"Activity 2 (dot vote), ideas to vote on:", "Activity 4 (word cloud), themes:"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary %q lacks %q", summary, want)
		}
	}
	if editFormValues(t, res.body).Get("a.0.options") != "Library\nlibrary" || !pageHas(pageByID(doc, "a3-theme-space_travel"), "checked") ||
		pageAttr(pageByID(doc, "a3-words"), "value") != "9" || !pageHas(pageByID(doc, "a3-themes").Parent, "open") {
		t.Error("the form does not keep what was typed, with the links open where they are wrong")
	}
	if n := len(h.storedSessions()); n != 0 {
		t.Errorf("%d sessions stored from a bad form", n)
	}

	// On a stored draft, the same: nothing changes.
	s, err := h.sessions.Create(context.Background(), &surveys.LiveSession{Title: "Fine", Date: "2026-12-01"})
	if err != nil {
		t.Fatal(err)
	}
	form.Set("revision", "1")
	res = h.sessionPress(&admin, "/staff/sessions/"+s.ID+"/edit", form, "save")
	if res.status != 422 || !isStaffPage(res, "Your changes were not saved") {
		t.Errorf("bad edit: %d", res.status)
	}
	if got, _ := h.sessions.Find(context.Background(), s.ID); got.Revision != 1 || got.Title != "Fine" || len(got.Activities) != 0 {
		t.Errorf("a bad edit changed the session: %+v", got)
	}
	if res := h.sessionPress(&admin, "/staff/sessions/nope/edit", form, "save"); res.status != 404 {
		t.Errorf("saving an unknown session: %d, want 404", res.status)
	}
	form.Del("revision")
	if res := h.sessionPress(&admin, "/staff/sessions/"+s.ID+"/edit", form, "save"); res.status != 422 {
		t.Errorf("a save without its revision: %d, want 422", res.status)
	}
}

// The limits hold however the form is sent, and a form beyond what the
// editor sends is refused whole.
func TestStaffSessionLimits(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	fac := h.signIn(surveys.RoleFacilitator)
	base := url.Values{"title": {"Limits"}, "date": {"2026-12-01"}}
	withActivities := func(n int) url.Values {
		form := cloneValues(base)
		form.Set("count", strconv.Itoa(n))
		for i := range n {
			form.Set(fmt.Sprintf("a.%d.id", i), fmt.Sprintf("q%d", i))
			form.Set(fmt.Sprintf("a.%d.kind", i), "question")
			form.Set(fmt.Sprintf("a.%d.prompt", i), "Anything else?")
		}
		return form
	}

	// Thirty is the most: a thirty-first cannot be added, and a crafted
	// form of thirty-one is refused.
	res := h.sessionPress(&fac, "/staff/sessions", withActivities(surveys.MaxActivities), "add:poll")
	if res.status != 422 || !isStaffPage(res, "A session can have at most 30 activities") {
		t.Errorf("adding a 31st: %d", res.status)
	}
	if got := editFormValues(t, res.body).Get("count"); got != "30" {
		t.Errorf("after adding past the limit the form has %s activities", got)
	}
	actionFieldError(t, pageParse(t, string(res.body)), "add-activity", "at most 30 activities")
	if res := h.sessionPress(&fac, "/staff/sessions", withActivities(surveys.MaxActivities), "save"); res.status != 303 {
		t.Errorf("thirty activities: %d, want saved", res.status)
	}
	if res := h.sessionPress(&fac, "/staff/sessions", withActivities(surveys.MaxActivities+1), "save"); res.status != 422 || !isStaffPage(res, "at most 30 activities") {
		t.Errorf("a crafted 31: %d %.300s", res.status, res.body)
	}

	for _, tc := range []struct {
		name, field, value, id, want string
	}{
		{"a prompt too long", "prompt", strings.Repeat("x", surveys.MaxPrompt+1), "a0-prompt", "Must be at most 500 characters"},
		{"too many options", "options", lines(surveys.MaxActivityOptions + 1), "a0-options", "Can have at most 12"},
		{"an option too long", "options", "a\n" + strings.Repeat("o", surveys.MaxOptionText+1), "a0-options", "Line 2: must be at most 120 characters"},
		{"too many survey questions", "questions", questionLinesOf(surveys.MaxActivityLinks + 1), "a0-questions", "At most 10 questions"},
	} {
		form := cloneValues(base)
		form.Set("count", "1")
		form.Set("a.0.kind", "poll")
		form.Set("a.0.prompt", "Where?")
		form.Set("a.0.options", "A\nB")
		form.Set("a.0."+tc.field, tc.value)
		res := h.sessionPress(&fac, "/staff/sessions", form, "save")
		if res.status != 422 {
			t.Errorf("%s: %d, want 422", tc.name, res.status)
			continue
		}
		actionFieldError(t, pageParse(t, string(res.body)), tc.id, tc.want)
	}
	form := cloneValues(base)
	form.Set("purpose", strings.Repeat("x", 20<<10))
	if res := h.sessionPress(&fac, "/staff/sessions", form, "save"); res.status != 422 || !isStaffPage(res, "more than the session editor ever sends") {
		t.Errorf("a box too long: %d", res.status)
	}
	if res := h.sessionPress(&fac, "/staff/sessions", withActivities(2), "explode:1"); res.status != 422 {
		t.Errorf("an op no editor sends: %d", res.status)
	}
	if n := len(h.storedSessions()); n != 1 {
		t.Errorf("%d sessions stored, want only the one of thirty activities", n)
	}
}

// lines is n distinct lines.
func lines(n int) string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("Option %d", i+1)
	}
	return strings.Join(out, "\n")
}

// questionLinesOf is n survey questions, one a line.
func questionLinesOf(n int) string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s/q%d", surveytest.Slug, i)
	}
	return strings.Join(out, "\n")
}

// A session that has started or ended cannot be changed from the editor:
// its page says why and offers a copy; a save is refused and changes
// nothing. A save from an old revision is refused too.
func TestStaffSessionLockedAndStale(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	fac := h.signIn(surveys.RoleFacilitator)
	ctx := context.Background()
	for _, tc := range []struct {
		status surveys.LiveStatus
		want   string
	}{{surveys.LiveRunning, "This session has started"}, {surveys.LiveEnded, "This session has ended"}} {
		s, err := h.sessions.Create(ctx, &surveys.LiveSession{Title: "Ran " + string(tc.status), Date: "2026-11-23",
			Activities: []surveys.Activity{{Kind: surveys.ActivityQuestion, Prompt: "Anything?"}}})
		if err != nil {
			t.Fatal(err)
		}
		page := h.adminGet(&fac, "/staff/sessions/"+s.ID+"/edit")
		form := editFormValues(t, page.body)
		run := s.Clone()
		run.Status = tc.status
		if _, err := h.sessions.Store.UpdateLiveSession(ctx, s.ID, 1, run); err != nil {
			t.Fatal(err)
		}
		page = h.adminGet(&fac, "/staff/sessions/"+s.ID+"/edit")
		doc := pageParse(t, string(page.body))
		if page.status != 200 || !isStaffPage(page, tc.want) || pageFind(doc, func(n *html.Node) bool {
			return n.Data == "form" && strings.Contains(pageAttr(n, "class"), "edit-form")
		}) != nil || !isStaffPage(page, "Copy it as a new draft") {
			t.Errorf("%s: the edit page %d offers a form, or does not say why not", tc.status, page.status)
		}
		form.Set("title", "Changed")
		res := h.sessionPress(&fac, "/staff/sessions/"+s.ID+"/edit", form, "save")
		if res.status != 409 || !isStaffPage(res, tc.want) {
			t.Errorf("%s: a save: %d, want 409 saying why", tc.status, res.status)
		}
		if res := h.sessionPress(&fac, "/staff/sessions/"+s.ID+"/edit", form, "add:poll"); res.status != 409 {
			t.Errorf("%s: a button: %d, want 409", tc.status, res.status)
		}
		if got, _ := h.sessions.Find(ctx, s.ID); got.Title != s.Title || got.Revision != 2 {
			t.Errorf("%s: the session changed: %+v", tc.status, got)
		}
	}

	s, err := h.sessions.Create(ctx, &surveys.LiveSession{Title: "Draft", Date: "2026-11-23"})
	if err != nil {
		t.Fatal(err)
	}
	form := editFormValues(t, h.adminGet(&fac, "/staff/sessions/"+s.ID+"/edit").body)
	theirs := s.Clone()
	theirs.Title = "Theirs"
	if _, err := h.sessions.Update(ctx, s.ID, 1, theirs); err != nil {
		t.Fatal(err)
	}
	form.Set("title", "Mine")
	res := h.sessionPress(&fac, "/staff/sessions/"+s.ID+"/edit", form, "save")
	if res.status != 409 || !isStaffPage(res, "Someone else saved this session") {
		t.Errorf("a stale save: %d", res.status)
	}
	if again := editFormValues(t, res.body); again.Get("title") != "Theirs" || again.Get("revision") != "2" {
		t.Errorf("after a conflict the form shows %q at revision %s, want theirs at 2", again.Get("title"), again.Get("revision"))
	}
}

// Only admins, analysts and facilitators prepare sessions: the others get
// the 403 page, and see no Sessions in the navigation.
func TestStaffSessionsByRole(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s, err := h.sessions.Create(context.Background(), &surveys.LiveSession{Title: "Draft", Date: "2026-11-23"})
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range surveys.Roles {
		who := h.signIn(role)
		allowed := slices.Contains([]surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleFacilitator}, role)
		for _, path := range []string{"/staff/sessions", "/staff/sessions/new", "/staff/sessions/" + s.ID + "/edit"} {
			res := h.adminGet(&who, path)
			if allowed && res.status != 200 || !allowed && (res.status != 403 || !isStaffPage(res, "You cannot open this page")) {
				t.Errorf("%s: GET %s: %d", role, path, res.status)
			}
		}
		res := h.adminPost(&who, "/staff/sessions", url.Values{"start": {"copy"}, "from": {s.ID}})
		if allowed && res.status != 303 || !allowed && res.status != 403 {
			t.Errorf("%s: a copy: %d", role, res.status)
		}
		menu := pageFind(pageParse(t, string(h.adminGet(&who, "/staff").body)), func(n *html.Node) bool { return n.Data == "nav" })
		nav := pageFind(menu, func(n *html.Node) bool { return n.Data == "a" && pageAttr(n, "href") == "/staff/sessions" })
		if (nav != nil) != allowed {
			t.Errorf("%s: Sessions in the navigation: %v", role, nav != nil)
		}
	}
	if n := len(h.storedSessions()); n != 4 {
		t.Errorf("%d sessions, want the first and three copies", n)
	}
	if res := h.adminGet(nil, "/staff/sessions"); res.status != 303 {
		t.Errorf("not signed in: %d, want 303 to sign in", res.status)
	}
}
