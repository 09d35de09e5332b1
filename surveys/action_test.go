package surveys_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

// memActions is an in-memory surveys.ActionStore that counts its writes.
type memActions struct {
	mu      sync.Mutex
	actions map[string]*surveys.Action
	writes  int
}

func (m *memActions) CreateAction(_ context.Context, a *surveys.Action) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.actions[a.ID]; ok {
		return surveys.Errorf(surveys.ECONFLICT, "The id %q is taken.", a.ID)
	}
	m.actions[a.ID] = a.Clone()
	m.writes++
	return nil
}

func (m *memActions) FindAction(_ context.Context, id string) (*surveys.Action, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.actions[id]
	if !ok {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no action %q.", id)
	}
	return a.Clone(), nil
}

func (m *memActions) FindActions(context.Context) ([]*surveys.Action, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*surveys.Action
	for _, a := range m.actions {
		out = append(out, a.Clone())
	}
	return out, nil
}

func (m *memActions) UpdateAction(_ context.Context, id string, revision int, a *surveys.Action) (*surveys.Action, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, ok := m.actions[id]
	switch {
	case !ok:
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no action %q.", id)
	case cur.Revision != revision:
		return nil, surveys.Errorf(surveys.ECONFLICT, "Someone else changed it.")
	}
	next := a.Clone()
	next.Revision = revision + 1
	m.actions[id] = next
	m.writes++
	return next.Clone(), nil
}

// memCodebooks is an in-memory surveys.CodebookStore.
type memCodebooks struct {
	mu    sync.Mutex
	books []*surveys.Codebook
}

func (m *memCodebooks) LatestCodebook(context.Context) (*surveys.Codebook, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.books) == 0 {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "No codebook.")
	}
	return m.books[len(m.books)-1], nil
}

func (m *memCodebooks) CreateCodebook(_ context.Context, cb *surveys.Codebook) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.books = append(m.books, cb)
	return nil
}

// actionFixture is an Actions service on memory, with the fixture survey,
// a codebook of three themes and a clock that moves by hand.
type actionFixture struct {
	svc   *surveys.Actions
	store *memActions
	audit *memAudit
	clock *clock
	ids   int
}

var actionStart = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func newActionFixture(t *testing.T) *actionFixture {
	t.Helper()
	f := &actionFixture{store: &memActions{actions: map[string]*surveys.Action{}}, audit: &memAudit{}, clock: newClock(actionStart)}
	themes := &surveys.Themes{Store: &memCodebooks{}, Now: f.clock.Now,
		Compile: func(*surveys.Codebook) (surveys.Coder, error) {
			return surveys.CoderFunc(func(string, string) surveys.Coding { return surveys.Coding{} }), nil
		},
		Default: &surveys.Codebook{Themes: []surveys.Theme{{Key: "activities", Name: "Activities"}, {Key: "transport", Name: "Transport"},
			{Key: "social_workers", Name: "Social workers"}}}}
	if err := themes.Load(t.Context()); err != nil {
		t.Fatal(err)
	}
	survey := &surveys.Survey{Definition: *surveytest.Definition(t), Status: surveys.StatusOpen, Revision: 1}
	var mu sync.Mutex
	f.svc = &surveys.Actions{Store: f.store, Audit: &surveys.AuditLog{Store: f.audit, Now: f.clock.Now}, Now: f.clock.Now,
		Surveys: newMemSurveys(survey), Themes: themes,
		NewID: func() string {
			mu.Lock()
			defer mu.Unlock()
			f.ids++
			return fmt.Sprintf("a%03d", f.ids)
		}}
	return f
}

// validAction is an action that passes every check of the fixture.
func validAction() *surveys.Action {
	return &surveys.Action{
		Said:      surveys.Text{"en": "There is not enough to do at weekends.", "pl": "W weekendy nie ma co robić."},
		Did:       surveys.Text{"en": "A free Saturday youth club opened in Kirkby."},
		Owner:     "Participation team",
		Due:       "2027-03-31",
		Status:    surveys.ActionPlanned,
		Themes:    []string{"activities"},
		Surveys:   []string{surveytest.Slug},
		Questions: []surveys.ActionQuestion{{Survey: surveytest.Slug, Question: "happy"}},
		Publish:   true,
	}
}

// analystCtx is a context carrying an analyst, who writes the audit log.
func analystCtx(t *testing.T) context.Context {
	return surveys.NewContextWithUser(t.Context(), &surveys.User{Email: "ana@council.example", Role: surveys.RoleAnalyst})
}

func TestActionValidate(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return strings.Repeat("a", n) }
	keys := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("k%d", i)
		}
		return out
	}
	cases := []struct {
		name   string
		change func(a *surveys.Action)
		want   map[string]string // nil: valid
	}{
		{"valid", func(*surveys.Action) {}, nil},
		{"no due date", func(a *surveys.Action) { a.Due = "" }, nil},
		{"longest texts", func(a *surveys.Action) {
			a.Said["en"], a.Did["en"], a.Owner = long(surveys.MaxActionText), long(surveys.MaxActionText), long(surveys.MaxActionOwner)
		}, nil},
		{"not possible with a reason", func(a *surveys.Action) {
			a.Status, a.Reason = surveys.ActionNotPossible, long(surveys.MaxActionReason)
		}, nil},
		{"most themes, surveys, questions and sessions", func(a *surveys.Action) {
			a.Themes, a.Surveys, a.Sessions = keys(surveys.MaxActionThemes), keys(surveys.MaxActionSurveys), keys(surveys.MaxActionSessions)
			a.Questions = make([]surveys.ActionQuestion, surveys.MaxActionQuestions)
			for i := range a.Questions {
				a.Questions[i] = surveys.ActionQuestion{Survey: "k0", Question: fmt.Sprintf("q%d", i)}
			}
		}, nil},

		{"no said", func(a *surveys.Action) { a.Said = nil }, map[string]string{"said": "is missing; it needs at least English (\"en\")"}},
		{"said without English", func(a *surveys.Action) { delete(a.Said, "en") }, map[string]string{"said.en": "is missing; every text needs English"}},
		{"said too long", func(a *surveys.Action) { a.Said["pl"] = long(surveys.MaxActionText + 1) },
			map[string]string{"said.pl": "is longer than 1000 characters"}},
		{"did empty", func(a *surveys.Action) { a.Did = surveys.Text{"en": "  "} }, map[string]string{"did.en": "is missing; every text needs English"}},
		{"did in a made-up language", func(a *surveys.Action) { a.Did["Klingon!"] = "x" },
			map[string]string{"did": "\"Klingon!\" is not a language code such as \"en\" or \"pl\""}},
		{"no owner", func(a *surveys.Action) { a.Owner = "" }, map[string]string{"owner": "is needed: name the team or role that does it"}},
		{"owner too long", func(a *surveys.Action) { a.Owner = long(surveys.MaxActionOwner + 1) }, map[string]string{"owner": "must be at most 100 characters"}},
		{"owner an email", func(a *surveys.Action) { a.Owner = "jo.bloggs@council.gov.uk" },
			map[string]string{"owner": "must be a team or role, such as \"Participation team\", not an email address"}},
		{"owner two lines", func(a *surveys.Action) { a.Owner = "Participation\nteam" }, map[string]string{"owner": "must be one line"}},
		{"due not a date", func(a *surveys.Action) { a.Due = "31/03/2027" },
			map[string]string{"due": "must be a date written as year-month-day, such as 2027-03-31"}},
		{"due no such day", func(a *surveys.Action) { a.Due = "2027-02-30" },
			map[string]string{"due": "must be a date written as year-month-day, such as 2027-03-31"}},
		{"due too far", func(a *surveys.Action) { a.Due = "2101-01-01" }, map[string]string{"due": "must be a date from 2000 to 2100"}},
		{"due too early", func(a *surveys.Action) { a.Due = "1999-12-31" }, map[string]string{"due": "must be a date from 2000 to 2100"}},
		{"no status", func(a *surveys.Action) { a.Status = "" }, map[string]string{"status": "must be planned, in_progress, done or not_possible"}},
		{"unknown status", func(a *surveys.Action) { a.Status = "cancelled" }, map[string]string{"status": "must be planned, in_progress, done or not_possible"}},
		{"not possible without a reason", func(a *surveys.Action) { a.Status = surveys.ActionNotPossible },
			map[string]string{"reason": "is needed when the action is not possible: say why, so that young people know"}},
		{"a reason while done", func(a *surveys.Action) { a.Status, a.Reason = surveys.ActionDone, "no money" },
			map[string]string{"reason": "must be empty unless the action is not possible: clear it"}},
		{"reason too long", func(a *surveys.Action) {
			a.Status, a.Reason = surveys.ActionNotPossible, long(surveys.MaxActionReason+1)
		}, map[string]string{"reason": "must be at most 1000 characters"}},
		{"too many themes", func(a *surveys.Action) { a.Themes = keys(surveys.MaxActionThemes + 1) }, map[string]string{"themes": "has 11 themes; the most is 10"}},
		{"too many surveys", func(a *surveys.Action) { a.Surveys, a.Questions = keys(surveys.MaxActionSurveys+1), nil }, map[string]string{"surveys": "has 11 surveys; the most is 10"}},
		{"too many sessions", func(a *surveys.Action) { a.Sessions = keys(surveys.MaxActionSessions + 1) }, map[string]string{"sessions": "has 21 sessions; the most is 20"}},
		{"too many questions", func(a *surveys.Action) {
			a.Questions = make([]surveys.ActionQuestion, surveys.MaxActionQuestions+1)
			for i := range a.Questions {
				a.Questions[i] = surveys.ActionQuestion{Survey: "s", Question: fmt.Sprintf("q%d", i)}
			}
		}, map[string]string{"questions": "has 31 questions; the most is 30"}},
		{"a theme that is not a key", func(a *surveys.Action) { a.Themes = []string{"Having a say"} },
			map[string]string{"themes[0]": "\"Having a say\" may use only lower-case letters, digits, \"_\" and \"-\""}},
		{"a question without its key", func(a *surveys.Action) { a.Questions = []surveys.ActionQuestion{{Survey: surveytest.Slug}} },
			map[string]string{"questions[0].question": "is missing"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := validAction()
			tc.change(a)
			a.Normalize()
			err := a.Validate()
			if tc.want == nil {
				if err != nil {
					t.Fatalf("want valid, got %v %v", err, surveys.ErrorFields(err))
				}
				return
			}
			assertFields(t, err, tc.want)
		})
	}
}

func TestActionNormalize(t *testing.T) {
	t.Parallel()
	a := &surveys.Action{
		Said:      surveys.Text{"en": "  More trips  ", "pl": "   ", "ar": " رحلات "},
		Owner:     " Participation team ",
		Due:       " 2027-03-31 ",
		Reason:    "  ",
		Themes:    []string{" activities", "transport", "activities", ""},
		Surveys:   []string{"b-survey"},
		Questions: []surveys.ActionQuestion{{Survey: "a-survey", Question: "q1"}, {Survey: " a-survey", Question: "q1 "}, {Survey: "b-survey", Question: "q2"}},
		Sessions:  []string{"s1", "s1"},
	}
	a.Normalize()
	want := &surveys.Action{
		Said:      surveys.Text{"en": "More trips", "ar": "رحلات"},
		Owner:     "Participation team",
		Due:       "2027-03-31",
		Themes:    []string{"activities", "transport"},
		Surveys:   []string{"b-survey", "a-survey"},
		Questions: []surveys.ActionQuestion{{Survey: "a-survey", Question: "q1"}, {Survey: "b-survey", Question: "q2"}},
		Sessions:  []string{"s1"},
	}
	if !sameActionContent(a, want) {
		t.Errorf("normalized:\n got %+v\nwant %+v", a, want)
	}
}

// sameActionContent compares what two actions say.
func sameActionContent(a, b *surveys.Action) bool {
	return maps.Equal(a.Said, b.Said) && maps.Equal(a.Did, b.Did) && a.Owner == b.Owner && a.Due == b.Due && a.Status == b.Status &&
		a.Reason == b.Reason && a.Publish == b.Publish && slices.Equal(a.Themes, b.Themes) && slices.Equal(a.Surveys, b.Surveys) &&
		slices.Equal(a.Questions, b.Questions) && slices.Equal(a.Sessions, b.Sessions)
}

func TestActionsCreate(t *testing.T) {
	t.Parallel()
	f := newActionFixture(t)
	in := validAction()
	in.ID, in.Revision, in.History = "chosen-by-caller", 7, []surveys.ActionChange{{Status: surveys.ActionDone}}
	a, err := f.svc.Create(analystCtx(t), in)
	if err != nil {
		t.Fatalf("create: %v %v", err, surveys.ErrorFields(err))
	}
	if a.ID != "a001" || a.Revision != 1 || !a.Created.Equal(actionStart) || !a.Updated.Equal(actionStart) {
		t.Errorf("created %q revision %d at %v/%v; want a001, revision 1, at %v", a.ID, a.Revision, a.Created, a.Updated, actionStart)
	}
	wantHistory := []surveys.ActionChange{{At: actionStart, Status: surveys.ActionPlanned, By: "ana@council.example"}}
	if !slices.Equal(a.History, wantHistory) {
		t.Errorf("history %+v, want %+v", a.History, wantHistory)
	}
	stored, err := f.svc.Find(t.Context(), a.ID)
	if err != nil || !sameActionContent(stored, validAction()) || !slices.Equal(stored.History, wantHistory) {
		t.Errorf("stored %+v (%v), want what was created", stored, err)
	}
	entries := f.audit.of(surveys.AuditActionCreate)
	if len(entries) != 1 || entries[0].Target != "action a001" || entries[0].Detail != "status planned, published" || entries[0].Actor != "ana@council.example" {
		t.Errorf("audit entries %+v, want one for action a001", entries)
	}
	if in.ID != "chosen-by-caller" {
		t.Error("Create changed the caller's action")
	}
	for _, e := range entries {
		if strings.Contains(e.Detail, "weekends") {
			t.Errorf("the audit log carries the action's words: %q", e.Detail)
		}
	}
}

// Themes, surveys and questions are looked up; nothing is stored when one
// is unknown.
func TestActionsCreateChecksReferences(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		change func(a *surveys.Action)
		want   map[string]string
	}{
		{"unknown theme", func(a *surveys.Action) { a.Themes = []string{"activities", "space_travel"} },
			map[string]string{"themes[1]": "\"space_travel\" is not a theme of the codebook in use"}},
		{"unknown survey", func(a *surveys.Action) { a.Surveys = []string{"no-such-survey"}; a.Questions = nil },
			map[string]string{"surveys[0]": "there is no survey \"no-such-survey\""}},
		{"unknown question", func(a *surveys.Action) {
			a.Questions = append(a.Questions, surveys.ActionQuestion{Survey: surveytest.Slug, Question: "favourite_colour"})
		}, map[string]string{"questions[1]": "the survey \"test-wellbeing\" has no question \"favourite_colour\""}},
		{"a question of an unknown survey", func(a *surveys.Action) {
			a.Questions = []surveys.ActionQuestion{{Survey: "no-such-survey", Question: "happy"}}
		}, map[string]string{"surveys[1]": "there is no survey \"no-such-survey\""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newActionFixture(t)
			a := validAction()
			tc.change(a)
			_, err := f.svc.Create(analystCtx(t), a)
			assertFields(t, err, tc.want)
			if f.store.writes != 0 || len(f.audit.of(surveys.AuditActionCreate)) != 0 {
				t.Errorf("a refused action was stored (%d writes) or audited", f.store.writes)
			}
		})
	}

	// Every mistake is named at once: those of the action itself and
	// those of what it refers to.
	f := newActionFixture(t)
	a := validAction()
	a.Owner, a.Themes, a.Surveys = "", []string{"space_travel"}, []string{"Not A Slug", "no-such-survey"}
	_, err := f.svc.Create(analystCtx(t), a)
	assertFields(t, err, map[string]string{
		"owner":      "is needed: name the team or role that does it",
		"themes[0]":  "\"space_travel\" is not a theme of the codebook in use",
		"surveys[0]": "\"Not A Slug\" may use only lower-case letters, digits, \"_\" and \"-\"",
		"surveys[1]": "there is no survey \"no-such-survey\"",
	})

	// A question's survey is linked to the action even when not listed.
	f = newActionFixture(t)
	a = validAction()
	a.Surveys = nil
	got, err := f.svc.Create(analystCtx(t), a)
	if err != nil || !slices.Equal(got.Surveys, []string{surveytest.Slug}) {
		t.Errorf("a question's survey: %v %v, want it linked", got.Surveys, err)
	}
}

func TestActionsUpdate(t *testing.T) {
	t.Parallel()
	f := newActionFixture(t)
	ctx := analystCtx(t)
	a, err := f.svc.Create(ctx, validAction())
	if err != nil {
		t.Fatal(err)
	}

	// A change of status is dated in the history, by whoever made it.
	f.clock.Advance(48 * time.Hour)
	admin := surveys.NewContextWithUser(t.Context(), &surveys.User{Email: "zoe@council.example", Role: surveys.RoleAdmin})
	next := a.Clone()
	next.Status = surveys.ActionInProgress
	next.Due = ""
	got, err := f.svc.Update(admin, a.ID, 1, next)
	if err != nil {
		t.Fatalf("update: %v %v", err, surveys.ErrorFields(err))
	}
	day2 := actionStart.Add(48 * time.Hour)
	wantHistory := []surveys.ActionChange{
		{At: actionStart, Status: surveys.ActionPlanned, By: "ana@council.example"},
		{At: day2, Status: surveys.ActionInProgress, By: "zoe@council.example"},
	}
	if got.Revision != 2 || !got.Created.Equal(actionStart) || !got.Updated.Equal(day2) || !slices.Equal(got.History, wantHistory) || got.Due != "" {
		t.Errorf("after update: revision %d, created %v, updated %v, history %+v", got.Revision, got.Created, got.Updated, got.History)
	}
	entries := f.audit.of(surveys.AuditActionUpdate)
	if len(entries) != 1 || entries[0].Detail != "revision 1 to 2; changed: status planned to in_progress, due date" {
		t.Errorf("audit %+v", entries)
	}

	// Saving without a change stores and records nothing.
	writes := f.store.writes
	same, err := f.svc.Update(ctx, a.ID, 2, got.Clone())
	if err != nil || same.Revision != 2 || f.store.writes != writes || len(f.audit.of(surveys.AuditActionUpdate)) != 1 {
		t.Errorf("a save without change: revision %d, %d writes (was %d), %v", same.Revision, f.store.writes, writes, err)
	}

	// A save from an old revision is refused, and changes nothing.
	stale := got.Clone()
	stale.Status = surveys.ActionDone
	if _, err := f.svc.Update(ctx, a.ID, 1, stale); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("stale revision: %v, want ECONFLICT", err)
	}
	// So is a bad one, with the fields named, and an unknown id.
	bad := got.Clone()
	bad.Status = surveys.ActionNotPossible
	_, err = f.svc.Update(ctx, a.ID, 2, bad)
	assertFields(t, err, map[string]string{"reason": "is needed when the action is not possible: say why, so that young people know"})
	if _, err := f.svc.Update(ctx, "nope", 1, validAction()); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("unknown id: %v, want ENOTFOUND", err)
	}
	if now, _ := f.svc.Find(t.Context(), a.ID); now.Revision != 2 || now.Status != surveys.ActionInProgress {
		t.Errorf("refused saves changed the action: %+v", now)
	}

	// Unpublishing and a reason are named in the audit log.
	closed := got.Clone()
	closed.Status, closed.Reason, closed.Publish = surveys.ActionNotPossible, "The bus company would not change the route.", false
	if _, err := f.svc.Update(ctx, a.ID, 2, closed); err != nil {
		t.Fatal(err)
	}
	if e := f.audit.of(surveys.AuditActionUpdate); e[len(e)-1].Detail != "revision 2 to 3; changed: status in_progress to not_possible, unpublished, reason" {
		t.Errorf("audit detail %q", e[len(e)-1].Detail)
	}
}

// An action keeps its creation and its latest changes, MaxActionHistory in
// all.
func TestActionHistoryIsBounded(t *testing.T) {
	t.Parallel()
	f := newActionFixture(t)
	ctx := analystCtx(t)
	a, err := f.svc.Create(ctx, validAction())
	if err != nil {
		t.Fatal(err)
	}
	statuses := []surveys.ActionStatus{surveys.ActionInProgress, surveys.ActionPlanned}
	for i := range surveys.MaxActionHistory + 5 {
		f.clock.Advance(time.Minute)
		next := a.Clone()
		next.Status = statuses[i%2]
		if a, err = f.svc.Update(ctx, a.ID, a.Revision, next); err != nil {
			t.Fatal(err)
		}
	}
	h := a.History
	if len(h) != surveys.MaxActionHistory {
		t.Fatalf("history has %d changes, want %d", len(h), surveys.MaxActionHistory)
	}
	if !h[0].At.Equal(actionStart) || !h[len(h)-1].At.Equal(f.clock.Now()) {
		t.Errorf("history runs from %v to %v; want creation (%v) to the last change (%v)", h[0].At, h[len(h)-1].At, actionStart, f.clock.Now())
	}
	if !slices.IsSortedFunc(h, func(x, y surveys.ActionChange) int { return x.At.Compare(y.At) }) {
		t.Error("history is not oldest first")
	}
}

func TestActionsListOrderAndFilter(t *testing.T) {
	t.Parallel()
	f := newActionFixture(t)
	ctx := analystCtx(t)
	type spec struct {
		name    string
		status  surveys.ActionStatus
		due     string
		theme   string
		publish bool
	}
	// Made in this order, a minute apart; List must put them in another.
	specs := []spec{
		{"done-early", surveys.ActionDone, "2026-12-01", "activities", true},
		{"planned-undated", surveys.ActionPlanned, "", "transport", true},
		{"not-possible", surveys.ActionNotPossible, "2026-01-01", "transport", true},
		{"in-progress-late", surveys.ActionInProgress, "2027-06-30", "activities", false},
		{"planned-soon", surveys.ActionPlanned, "2027-01-15", "activities", true},
		{"planned-soon-2", surveys.ActionPlanned, "2027-01-15", "transport", true},
		{"done-undated", surveys.ActionDone, "", "activities", true},
	}
	names := map[string]string{}
	for _, s := range specs {
		f.clock.Advance(time.Minute)
		a := validAction()
		a.Status, a.Due, a.Themes, a.Publish, a.Owner = s.status, s.due, []string{s.theme}, s.publish, s.name
		if s.status == surveys.ActionNotPossible {
			a.Reason = "No money this year."
		}
		if s.theme == "transport" {
			a.Questions, a.Surveys = nil, nil
		}
		created, err := f.svc.Create(ctx, a)
		if err != nil {
			t.Fatalf("%s: %v %v", s.name, err, surveys.ErrorFields(err))
		}
		names[created.ID] = s.name
	}
	owners := func(list []*surveys.Action) []string {
		var out []string
		for _, a := range list {
			out = append(out, a.Owner)
		}
		return out
	}
	cases := []struct {
		filter surveys.ActionFilter
		want   []string
	}{
		{surveys.ActionFilter{}, []string{"planned-soon", "planned-soon-2", "in-progress-late", "planned-undated", "done-early", "done-undated", "not-possible"}},
		{surveys.ActionFilter{Published: true}, []string{"planned-soon", "planned-soon-2", "planned-undated", "done-early", "done-undated", "not-possible"}},
		{surveys.ActionFilter{Theme: "transport"}, []string{"planned-soon-2", "planned-undated", "not-possible"}},
		{surveys.ActionFilter{Survey: surveytest.Slug, Published: true}, []string{"planned-soon", "done-early", "done-undated"}},
		{surveys.ActionFilter{Survey: surveytest.Slug, Theme: "transport"}, nil},
	}
	for _, tc := range cases {
		for range 3 { // the same every time
			got, err := f.svc.List(t.Context(), tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(owners(got), tc.want) {
				t.Errorf("List(%+v) = %v, want %v", tc.filter, owners(got), tc.want)
			}
		}
	}
}

// Two actions alike in status, due date and creation time are ordered by
// id.
func TestSortActionsTiesByID(t *testing.T) {
	t.Parallel()
	at := actionStart
	list := []*surveys.Action{
		{ID: "b", Status: surveys.ActionDone, Created: at},
		{ID: "a", Status: surveys.ActionDone, Created: at},
		{ID: "c", Status: surveys.ActionInProgress, Created: at.Add(time.Hour)},
		{ID: "d", Status: surveys.ActionPlanned, Created: at},
	}
	surveys.SortActions(list)
	var ids []string
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	if want := []string{"d", "c", "a", "b"}; !slices.Equal(ids, want) {
		t.Errorf("order %v, want %v", ids, want)
	}
}

func TestMaxActions(t *testing.T) {
	t.Parallel()
	f := newActionFixture(t)
	for i := range surveys.MaxActions {
		a := validAction()
		a.ID = fmt.Sprintf("x%04d", i)
		a.Revision = 1
		if err := f.store.CreateAction(t.Context(), a); err != nil {
			t.Fatal(err)
		}
	}
	_, err := f.svc.Create(analystCtx(t), validAction())
	if surveys.ErrorCode(err) != surveys.ECONFLICT || !strings.Contains(surveys.ErrorMessage(err), "500") {
		t.Errorf("action %d: %v, want ECONFLICT naming the limit", surveys.MaxActions+1, err)
	}
}

func TestActionsCheckFilterAndFind(t *testing.T) {
	t.Parallel()
	f := newActionFixture(t)
	ctx := t.Context()
	if err := f.svc.CheckFilter(ctx, surveys.ActionFilter{Survey: surveytest.Slug, Theme: "transport", Published: true}); err != nil {
		t.Errorf("known survey and theme: %v", err)
	}
	if err := f.svc.CheckFilter(ctx, surveys.ActionFilter{}); err != nil {
		t.Errorf("no filter: %v", err)
	}
	assertFields(t, f.svc.CheckFilter(ctx, surveys.ActionFilter{Survey: "nope", Theme: "pets"}), map[string]string{
		"survey": "there is no survey \"nope\"",
		"theme":  "\"pets\" is not a theme of the codebook",
	})
	for _, id := range []string{"", "missing", strings.Repeat("x", surveys.MaxActionIDLength+1)} {
		if _, err := f.svc.Find(ctx, id); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("Find(%.10q): %v, want ENOTFOUND", id, err)
		}
	}
}

func TestActionStatuses(t *testing.T) {
	t.Parallel()
	for _, s := range surveys.ActionStatuses {
		if !s.Valid() {
			t.Errorf("%s is not valid", s)
		}
	}
	for _, s := range []surveys.ActionStatus{"", "Planned", "cancelled"} {
		if s.Valid() {
			t.Errorf("%q is valid", s)
		}
	}
	if !(&surveys.Action{Status: surveys.ActionDone}).Closed() || !(&surveys.Action{Status: surveys.ActionNotPossible}).Closed() ||
		(&surveys.Action{Status: surveys.ActionInProgress}).Closed() {
		t.Error("Closed is wrong")
	}
	for _, a := range []surveys.AuditAction{surveys.AuditActionCreate, surveys.AuditActionUpdate} {
		if !a.Valid() {
			t.Errorf("%s is not an audit action", a)
		}
	}
}
