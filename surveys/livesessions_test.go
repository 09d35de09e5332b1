package surveys_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

// memLiveSessions is an in-memory surveys.LiveSessionStore that counts its
// writes.
type memLiveSessions struct {
	mu       sync.Mutex
	sessions map[string]*surveys.LiveSession
	codes    map[string]string
	writes   int
}

func newMemLiveSessions() *memLiveSessions {
	return &memLiveSessions{sessions: map[string]*surveys.LiveSession{}, codes: map[string]string{}}
}

func (m *memLiveSessions) CreateLiveSession(_ context.Context, s *surveys.LiveSession) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sessions[s.ID]; ok {
		return surveys.Errorf(surveys.ECONFLICT, "The id %q is taken.", s.ID)
	}
	m.sessions[s.ID] = s.Clone()
	m.writes++
	return nil
}

func (m *memLiveSessions) FindLiveSession(_ context.Context, id string) (*surveys.LiveSession, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[id]
	if !ok {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no session %q.", id)
	}
	return s.Clone(), nil
}

func (m *memLiveSessions) FindLiveSessions(context.Context) ([]*surveys.LiveSession, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*surveys.LiveSession
	for _, s := range m.sessions {
		out = append(out, s.Clone())
	}
	return out, nil
}

func (m *memLiveSessions) UpdateLiveSession(_ context.Context, id string, revision int, s *surveys.LiveSession) (*surveys.LiveSession, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, ok := m.sessions[id]
	switch {
	case !ok:
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no session %q.", id)
	case cur.Revision != revision:
		return nil, surveys.Errorf(surveys.ECONFLICT, "Someone else changed it.")
	}
	next := s.Clone()
	next.ID, next.Revision = id, revision+1
	m.sessions[id] = next
	m.writes++
	return next.Clone(), nil
}

func (m *memLiveSessions) ClaimJoinCode(_ context.Context, code, sessionID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.codes[code]; ok {
		return surveys.Errorf(surveys.ECONFLICT, "The code is taken.")
	}
	m.codes[code] = sessionID
	return nil
}

func (m *memLiveSessions) FindJoinCode(_ context.Context, code string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.codes[code]
	if !ok {
		return "", surveys.Errorf(surveys.ENOTFOUND, "No such code.")
	}
	return id, nil
}

func (m *memLiveSessions) count() (sessions, writes int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sessions), m.writes
}

// memSettings is an in-memory surveys.SettingsStore.
type memSettings struct {
	mu sync.Mutex
	st *surveys.Settings
}

func (m *memSettings) FindSettings(context.Context) (*surveys.Settings, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.st == nil {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "No settings.")
	}
	c := *m.st
	return &c, nil
}

func (m *memSettings) SaveSettings(_ context.Context, revision int, s *surveys.Settings) (*surveys.Settings, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := *s
	c.Revision = revision + 1
	m.st = &c
	return &c, nil
}

// liveFixture is a LiveSessions service on memory, with two MADE groups
// in the settings, the fixture survey, a codebook of three themes and a
// clock that moves by hand.
type liveFixture struct {
	svc      *surveys.LiveSessions
	store    *memLiveSessions
	settings *surveys.SettingsService
	audit    *memAudit
	clock    *clock
}

// liveStart is a Monday morning in November, in UTC and UK time alike.
var liveStart = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func newLiveFixture(t *testing.T) *liveFixture {
	t.Helper()
	f := &liveFixture{store: newMemLiveSessions(), audit: &memAudit{}, clock: newClock(liveStart)}
	audit := &surveys.AuditLog{Store: f.audit, Now: f.clock.Now}
	themes := &surveys.Themes{Store: &memCodebooks{}, Now: f.clock.Now,
		Compile: func(*surveys.Codebook) (surveys.Coder, error) {
			return surveys.CoderFunc(func(string, string) surveys.Coding { return surveys.Coding{} }), nil
		},
		Default: &surveys.Codebook{Themes: []surveys.Theme{{Key: "activities", Name: "Activities"}, {Key: "having_a_say", Name: "Having a say"},
			{Key: "social_workers", Name: "Social workers"}}}}
	if err := themes.Load(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.settings = &surveys.SettingsService{Store: &memSettings{st: &surveys.Settings{CouncilName: "Test", Threshold: 5,
		Groups: []string{"MADE North", "MADE South"}, Revision: 1}}, Audit: audit, Now: f.clock.Now}
	survey := &surveys.Survey{Definition: *surveytest.Definition(t), Status: surveys.StatusOpen, Revision: 1}
	var mu sync.Mutex
	n := 0
	f.svc = &surveys.LiveSessions{Store: f.store, Settings: f.settings, Themes: themes, Surveys: newMemSurveys(survey),
		Audit: audit, Now: f.clock.Now, NewID: func() string {
			mu.Lock()
			defer mu.Unlock()
			n++
			return fmt.Sprintf("s%03d", n)
		}}
	return f
}

// facilitatorCtx is a context carrying a facilitator, who writes the
// audit log.
func facilitatorCtx(t *testing.T) context.Context {
	return surveys.NewContextWithUser(t.Context(), &surveys.User{Email: "fay@council.example", Role: surveys.RoleFacilitator})
}

// preparedSession is a session that passes every check of the fixture,
// with activities that have no ids yet, as a form sends new ones.
func preparedSession() *surveys.LiveSession {
	return &surveys.LiveSession{Title: " Charter check ", Date: "2026-12-01", Group: "MADE North", Purpose: "Ask about the Charter.",
		Premoderate: true, Activities: []surveys.Activity{
			{Kind: surveys.ActivityPoll, Prompt: "Where should we meet?", Options: []string{" Library ", "Youth centre"},
				Themes: []string{"activities", "activities"}, Questions: []surveys.ActionQuestion{{Survey: surveytest.Slug, Question: "happy"}}},
			{ID: "board", Kind: surveys.ActivityIdeas, Prompt: "What should change?", Columns: []string{"Good", "Change"}},
			{Kind: surveys.ActivityDots, Prompt: "Which matter most?", Dots: 3, FromIdeas: "board"},
			{Kind: surveys.ActivityPoll, Prompt: "Pizza or chips?", Options: []string{"Pizza", "Chips"}, Multiple: true},
		}}
}

func TestLiveSessionsCreate(t *testing.T) {
	t.Parallel()
	f := newLiveFixture(t)
	in := preparedSession()
	in.ID, in.Status, in.Code, in.Revision, in.Attendance = "chosen", surveys.LiveRunning, "ABCDEF", 9, map[string]int{"8-11": 3}
	s, err := f.svc.Create(facilitatorCtx(t), in)
	if err != nil {
		t.Fatalf("create: %v %v", err, surveys.ErrorFields(err))
	}
	if s.ID != "s001" || s.Status != surveys.LiveDraft || s.Revision != 1 || s.Code != "" || s.Attendance != nil ||
		!s.Created.Equal(liveStart) || !s.Updated.Equal(liveStart) {
		t.Errorf("created %+v; want s001, a draft at revision 1, with nothing of how it ran", s)
	}
	if s.Title != "Charter check" || s.Activities[0].Options[0] != "Library" || !slices.Equal(s.Activities[0].Themes, []string{"activities"}) {
		t.Errorf("what was typed is not tidied: %q %q %v", s.Title, s.Activities[0].Options[0], s.Activities[0].Themes)
	}
	var ids []string
	for _, a := range s.Activities {
		ids = append(ids, a.ID)
	}
	if want := []string{"poll-1", "board", "dots-1", "poll-2"}; !slices.Equal(ids, want) {
		t.Errorf("activity ids %v, want %v (given ids kept, new ones by kind)", ids, want)
	}
	stored, err := f.svc.Find(t.Context(), "s001")
	if err != nil || !reflect.DeepEqual(stored, s) {
		t.Errorf("stored %+v (%v), want what was returned %+v", stored, err, s)
	}
	if in.ID != "chosen" || in.Activities[0].ID != "" || in.Title != " Charter check " {
		t.Error("Create changed the caller's session")
	}
	entries := f.audit.of(surveys.AuditSessionCreate)
	if len(entries) != 1 || entries[0].Target != "session s001" || entries[0].Actor != "fay@council.example" ||
		entries[0].Detail != "2026-12-01, MADE North, 4 activities (poll, ideas, dots, poll)" {
		t.Errorf("audit entries %+v, want one for session s001", entries)
	}
	if strings.Contains(entries[0].Detail, "Library") || strings.Contains(entries[0].Detail, "Charter") {
		t.Errorf("the audit log carries what the session asks: %q", entries[0].Detail)
	}
}

// Every mistake is named at once, by its field, and nothing is stored.
func TestLiveSessionsCreateChecks(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		change func(s *surveys.LiveSession)
		want   map[string]string
	}{
		{"a group not in the settings", func(s *surveys.LiveSession) { s.Group = "MADE East" },
			map[string]string{"group": "must be one of the MADE groups in the settings"}},
		{"an unknown theme", func(s *surveys.LiveSession) { s.Activities[1].Themes = []string{"having_a_say", "space_travel"} },
			map[string]string{"activities.1.themes.1": "\"space_travel\" is not a theme of the codebook in use"}},
		{"survey questions that are not there", func(s *surveys.LiveSession) {
			s.Activities[3].Questions = []surveys.ActionQuestion{{Survey: "no-such-survey", Question: "happy"},
				{Survey: surveytest.Slug, Question: "favourite_colour"}, {Survey: surveytest.Slug, Question: ""}, {Survey: "Bad Slug", Question: "x"}}
		}, map[string]string{
			"activities.3.questions.0": "there is no survey \"no-such-survey\"",
			"activities.3.questions.1": "the survey \"test-wellbeing\" has no question \"favourite_colour\"",
			"activities.3.questions.2": "must be written as survey-slug/question-key, such as cared-for-2026/feel_safe",
			"activities.3.questions.3": "must be written as survey-slug/question-key, such as cared-for-2026/feel_safe",
		}},
		{"an id that is not a key", func(s *surveys.LiveSession) { s.Activities[0].ID = "Poll One" },
			map[string]string{"activities.0.id": "\"Poll One\" may use only lower-case letters, digits, \"_\" and \"-\""}},
		{"a prompt too long and no title", func(s *surveys.LiveSession) {
			s.Title, s.Activities[0].Prompt = "", strings.Repeat("é", surveys.MaxPrompt+1)
		}, map[string]string{"title": "is required", "activities.0.prompt": "must be at most 500 characters"}},
		{"too many links", func(s *surveys.LiveSession) {
			for i := range surveys.MaxActivityLinks + 1 {
				s.Activities[0].Themes = append(s.Activities[0].Themes, fmt.Sprintf("t%d", i))
				s.Activities[0].Questions = append(s.Activities[0].Questions, surveys.ActionQuestion{Survey: "none", Question: fmt.Sprint("q", i)})
			}
		}, map[string]string{"activities.0.themes": "can have at most 10", "activities.0.questions": "at most 10 questions"}},
		{"too many activities", func(s *surveys.LiveSession) {
			for len(s.Activities) <= surveys.MaxActivities {
				s.Activities = append(s.Activities, surveys.Activity{Kind: surveys.ActivityQuestion, Prompt: "Anything else?"})
			}
		}, map[string]string{"activities": "a session can have at most 30 activities"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newLiveFixture(t)
			s := preparedSession()
			tc.change(s)
			_, err := f.svc.Create(facilitatorCtx(t), s)
			assertFields(t, err, tc.want)
			if n, _ := f.store.count(); n != 0 || len(f.audit.of(surveys.AuditSessionCreate)) != 0 {
				t.Errorf("%d sessions stored from a session with mistakes", n)
			}
		})
	}
}

func TestLiveSessionsUpdate(t *testing.T) {
	t.Parallel()
	f := newLiveFixture(t)
	ctx := facilitatorCtx(t)
	s, err := f.svc.Create(ctx, preparedSession())
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)

	// Moved and changed: the ids stay with their activities; what is not
	// prepared (status, code) cannot be set this way.
	in := s.Clone()
	in.Title, in.Group, in.Premoderate = "Charter check, again", "MADE South", false
	in.Activities[0], in.Activities[3] = in.Activities[3], in.Activities[0]
	in.Activities = append(in.Activities, surveys.Activity{Kind: surveys.ActivityWords, Prompt: "One word", Words: 1})
	in.Status, in.Code = surveys.LiveEnded, "ZZZZZZ"
	saved, err := f.svc.Update(ctx, s.ID, 1, in)
	if err != nil {
		t.Fatalf("update: %v %v", err, surveys.ErrorFields(err))
	}
	if saved.Revision != 2 || saved.Status != surveys.LiveDraft || saved.Code != "" || saved.Title != "Charter check, again" ||
		!saved.Created.Equal(liveStart) || !saved.Updated.Equal(liveStart.Add(time.Hour)) {
		t.Errorf("saved %+v", saved)
	}
	var ids []string
	for _, a := range saved.Activities {
		ids = append(ids, a.ID)
	}
	if want := []string{"poll-2", "board", "dots-1", "poll-1", "words-1"}; !slices.Equal(ids, want) {
		t.Errorf("ids after a move and an addition: %v, want %v", ids, want)
	}
	entries := f.audit.of(surveys.AuditSessionUpdate)
	if len(entries) != 1 || entries[0].Detail != "revision 1 to 2; changed: title, group, premoderation true to false, activities (4 to 5)" {
		t.Errorf("audit entries %+v", entries)
	}

	// The same again stores nothing; a save from revision 1 is refused.
	_, writes := f.store.count()
	if again, err := f.svc.Update(ctx, s.ID, 2, saved); err != nil || again.Revision != 2 {
		t.Errorf("a save of nothing new: %v revision %d", err, again.Revision)
	}
	if _, w := f.store.count(); w != writes {
		t.Error("a save of nothing new was written")
	}
	stale := saved.Clone()
	stale.Title = "Mine"
	if _, err := f.svc.Update(ctx, s.ID, 1, stale); surveys.ErrorCode(err) != surveys.ECONFLICT || !strings.Contains(surveys.ErrorMessage(err), "Someone else saved") {
		t.Errorf("a stale save: %v, want ECONFLICT", err)
	}

	// Mistakes are named, and nothing changes.
	bad := saved.Clone()
	bad.Activities[2].FromIdeas = "poll-1"
	_, err = f.svc.Update(ctx, s.ID, 2, bad)
	assertFields(t, err, map[string]string{"activities.2.from_ideas": "must be an idea board that comes before this activity"})

	if _, err := f.svc.Update(ctx, "nope", 1, saved); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("an unknown session: %v", err)
	}
	if got, _ := f.svc.Find(t.Context(), s.ID); got.Revision != 2 || got.Title != "Charter check, again" {
		t.Errorf("after refused saves: %+v", got)
	}
}

// A session that has started or ended is never changed by preparing it.
func TestLiveSessionsUpdateRefusesRunSessions(t *testing.T) {
	t.Parallel()
	for _, status := range []surveys.LiveStatus{surveys.LiveRunning, surveys.LiveEnded} {
		t.Run(string(status), func(t *testing.T) {
			t.Parallel()
			f := newLiveFixture(t)
			ctx := facilitatorCtx(t)
			s, err := f.svc.Create(ctx, preparedSession())
			if err != nil {
				t.Fatal(err)
			}
			run := s.Clone()
			run.Status, run.Code = status, "ABCDEF"
			if _, err := f.store.UpdateLiveSession(ctx, s.ID, 1, run); err != nil {
				t.Fatal(err)
			}
			in := s.Clone()
			in.Title = "Changed while it ran"
			_, err = f.svc.Update(ctx, s.ID, 2, in)
			if surveys.ErrorCode(err) != surveys.ECONFLICT || !strings.Contains(surveys.ErrorMessage(err), "Copy it") {
				t.Errorf("update of a %s session: %v, want ECONFLICT saying to copy it", status, err)
			}
			if got, _ := f.svc.Find(ctx, s.ID); got.Title != "Charter check" || got.Revision != 2 {
				t.Errorf("the %s session changed: %+v", status, got)
			}
			if surveys.LockedReason(s) != nil {
				t.Error("a draft is locked")
			}
		})
	}
}

func TestLiveSessionsCopy(t *testing.T) {
	t.Parallel()
	f := newLiveFixture(t)
	ctx := facilitatorCtx(t)
	s, err := f.svc.Create(ctx, preparedSession())
	if err != nil {
		t.Fatal(err)
	}
	ended := s.Clone()
	ended.Status, ended.Code, ended.PresentKey, ended.Attendance, ended.Published = surveys.LiveEnded, "ABCDEF", "secret",
		map[string]int{"8-11": 4}, []string{"board"}
	ended.Started, ended.Ended = liveStart, liveStart.Add(time.Hour)
	if _, err := f.store.UpdateLiveSession(ctx, s.ID, 1, ended); err != nil {
		t.Fatal(err)
	}
	// Half past midnight in summer: in the UK it is already the 1st of July.
	f.clock.Advance(time.Date(2027, 6, 30, 23, 30, 0, 0, time.UTC).Sub(liveStart))
	c, err := f.svc.Copy(ctx, s.ID)
	if err != nil {
		t.Fatalf("copy: %v %v", err, surveys.ErrorFields(err))
	}
	want := &surveys.LiveSession{ID: "s002", Title: "Charter check (copy)", Date: "2027-07-01", Group: "MADE North", Purpose: s.Purpose,
		Premoderate: true, Activities: s.Activities, Status: surveys.LiveDraft, Revision: 1, Created: f.clock.Now(), Updated: f.clock.Now()}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("copy:\n got %+v\nwant %+v", c, want)
	}
	entries := f.audit.of(surveys.AuditSessionCopy)
	if len(entries) != 1 || entries[0].Target != "session s002" || !strings.HasPrefix(entries[0].Detail, "copy of session s001; ") {
		t.Errorf("audit entries %+v", entries)
	}

	// A group the settings dropped is left out; a long title still fits.
	long := s.Clone()
	long.Title = strings.Repeat("t", surveys.MaxSessionTitle)
	if _, err := f.svc.Update(ctx, "s002", 1, long); err != nil {
		t.Fatal(err)
	}
	st, _ := f.settings.Current(ctx)
	st.Groups = []string{"MADE South"}
	if _, err := f.settings.Save(ctx, st.Revision, st); err != nil {
		t.Fatal(err)
	}
	c, err = f.svc.Copy(ctx, "s002")
	if err != nil {
		t.Fatalf("copy: %v %v", err, surveys.ErrorFields(err))
	}
	if c.Group != "" || len([]rune(c.Title)) != surveys.MaxSessionTitle || !strings.HasSuffix(c.Title, " (copy)") {
		t.Errorf("copy of a session whose group is gone: group %q, title of %d characters", c.Group, len([]rune(c.Title)))
	}
	if _, err := f.svc.Copy(ctx, "nope"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("copy of an unknown session: %v", err)
	}
}

func TestLiveSessionsListAndFind(t *testing.T) {
	t.Parallel()
	f := newLiveFixture(t)
	ctx := facilitatorCtx(t)
	for _, tc := range []struct{ title, date string }{{"B", "2026-12-01"}, {"A", "2026-12-01"}, {"C", "2027-01-15"}, {"D", "2026-10-01"}} {
		s := preparedSession()
		s.Title, s.Date = tc.title, tc.date
		if _, err := f.svc.Create(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	list, err := f.svc.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, s := range list {
		titles = append(titles, s.Title)
	}
	if want := []string{"C", "A", "B", "D"}; !slices.Equal(titles, want) {
		t.Errorf("order %v, want %v (newest date first, then by title)", titles, want)
	}
	for _, id := range []string{"", "nope", strings.Repeat("x", surveys.MaxLiveSessionID+1)} {
		if _, err := f.svc.Find(ctx, id); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("Find(%q): %v, want ENOTFOUND", id, err)
		}
	}
	if got := f.svc.Templates(); len(got) != len(surveys.SessionTemplates()) || got[len(got)-1].Statements[0] != "Did you feel listened to today?" {
		t.Errorf("templates %+v", got)
	}
}

// Past MaxLiveSessions, neither a new session nor a copy is stored.
func TestMaxLiveSessions(t *testing.T) {
	t.Parallel()
	f := newLiveFixture(t)
	for i := range surveys.MaxLiveSessions {
		id := fmt.Sprintf("old%04d", i)
		f.store.sessions[id] = &surveys.LiveSession{ID: id, Title: "Old", Date: "2020-01-01", Status: surveys.LiveEnded}
	}
	ctx := facilitatorCtx(t)
	if _, err := f.svc.Create(ctx, preparedSession()); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("create past the limit: %v, want ECONFLICT", err)
	}
	if _, err := f.svc.Copy(ctx, "old0001"); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("copy past the limit: %v, want ECONFLICT", err)
	}
	if n, _ := f.store.count(); n != surveys.MaxLiveSessions {
		t.Errorf("%d sessions, want %d", n, surveys.MaxLiveSessions)
	}
}

func TestGiveActivityIDs(t *testing.T) {
	t.Parallel()
	acts := []surveys.Activity{{Kind: surveys.ActivityPoll}, {ID: "poll-1", Kind: surveys.ActivityPoll}, {Kind: "quiz"}, {Kind: surveys.ActivityPoll}, {ID: "x"}}
	surveys.GiveActivityIDs(acts)
	var ids []string
	for _, a := range acts {
		ids = append(ids, a.ID)
	}
	if want := []string{"poll-2", "poll-1", "activity-1", "poll-3", "x"}; !slices.Equal(ids, want) {
		t.Errorf("ids %v, want %v", ids, want)
	}
}

// Clone copies every list, so that changing the copy leaves the session
// alone.
func TestLiveSessionClone(t *testing.T) {
	t.Parallel()
	s := preparedSession()
	s.Attendance, s.Published = map[string]int{"8-11": 2}, []string{"a"}
	c := s.Clone()
	c.Activities[0].Options[0], c.Activities[0].Themes[0], c.Activities[0].Questions[0].Question = "x", "x", "x"
	c.Attendance["8-11"], c.Published[0] = 9, "x"
	if s.Activities[0].Options[0] != " Library " || s.Attendance["8-11"] != 2 || s.Published[0] != "a" ||
		s.Activities[0].Themes[0] != "activities" || s.Activities[0].Questions[0].Question != "happy" {
		t.Errorf("changing a clone changed the session: %+v", s)
	}
}
