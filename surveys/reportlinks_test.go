package surveys_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
)

// The MADE sessions beside a board report: which sessions count, what of
// their results is shown, and where.

const linkSlug = "your-life-2026"

// linkQ links an activity to a question of the report's survey.
func linkQ(keys ...string) []surveys.ActionQuestion {
	out := make([]surveys.ActionQuestion, len(keys))
	for i, k := range keys {
		out[i] = surveys.ActionQuestion{Survey: linkSlug, Question: k}
	}
	return out
}

// linkedRoom is reportRoom with activities linked: the poll and the Lundy
// check to "safe", the rating to "trust" and a theme, the idea board and
// the word cloud to themes only, the poll nobody opened to "safe", the
// open question to another survey's question only, and the dot vote to a
// question the survey does not have.
func linkedRoom(t *testing.T) (*surveys.LiveSession, *surveys.RoomState) {
	t.Helper()
	s, st := reportRoom(t)
	links := map[string]struct {
		questions []surveys.ActionQuestion
		themes    []string
	}{
		"poll":  {questions: linkQ("safe")},
		"lundy": {questions: linkQ("safe")},
		"rate":  {questions: linkQ("trust"), themes: []string{"having_a_say"}},
		"ideas": {themes: []string{"having_a_say", "activities"}},
		"words": {themes: []string{"home_placement"}},
		"never": {questions: linkQ("safe")},
		"q":     {questions: []surveys.ActionQuestion{{Survey: "your-life-2025", Question: "safe"}}},
		"dots":  {questions: linkQ("no-such-question")},
	}
	for i := range s.Activities {
		a := &s.Activities[i]
		l := links[a.ID]
		a.Questions, a.Themes = l.questions, l.themes
	}
	return s, st
}

func TestLinkedSessionPeriod(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	closed := reportSurvey(linkSlug, 2026) // 1 March to 30 April 2026
	open := reportSurvey(linkSlug, 2026)
	open.Status, open.Closes = surveys.StatusOpen, time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)
	later := reportSurvey(linkSlug, 2027)
	later.Status = surveys.StatusDraft
	later.Opens, later.Closes = time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 4, 30, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		s    *surveys.Survey
		want surveys.Period
	}{
		// The year to the end of the survey, and since, to the report.
		{"closed", closed, surveys.Period{From: "2025-05-01", To: "2026-11-24"}},
		// Open, its period ends today: the year to today.
		{"open", open, surveys.Period{From: "2025-11-25", To: "2026-11-24"}},
		// Scheduled to close after the report: nothing after today.
		{"scheduled", later, surveys.Period{From: "2026-11-24", To: "2026-11-24"}},
	} {
		if got := surveys.LinkedSessionPeriod(tc.s, now); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestSessionCounts(t *testing.T) {
	t.Parallel()
	s := reportSurvey(linkSlug, 2026)
	p := surveys.Period{From: "2025-05-01", To: "2026-11-24"}
	session := func(status surveys.LiveStatus, date string, act surveys.Activity) *surveys.LiveSession {
		act.ID, act.Kind, act.Prompt, act.Options = "a", surveys.ActivityPoll, "Asked", []string{"A", "B"}
		return &surveys.LiveSession{ID: "x", Title: "T", Date: date, Status: status, Activities: []surveys.Activity{act}}
	}
	question := surveys.Activity{Questions: linkQ("safe")}
	theme := surveys.Activity{Themes: []string{"safety"}}
	for _, tc := range []struct {
		name string
		ls   *surveys.LiveSession
		want bool
	}{
		{"ended, linked to a question", session(surveys.LiveEnded, "2026-06-01", question), true},
		{"ended, linked to a theme", session(surveys.LiveEnded, "2026-06-01", theme), true},
		{"on the first day", session(surveys.LiveEnded, "2025-05-01", question), true},
		{"on the report's day", session(surveys.LiveEnded, "2026-11-24", question), true},
		{"a draft", session(surveys.LiveDraft, "2026-06-01", question), false},
		{"still running", session(surveys.LiveRunning, "2026-06-01", theme), false},
		{"the day before the year", session(surveys.LiveEnded, "2025-04-30", question), false},
		{"dated after the report", session(surveys.LiveEnded, "2026-11-25", question), false},
		{"linked to nothing", session(surveys.LiveEnded, "2026-06-01", surveys.Activity{}), false},
		{"linked to another survey", session(surveys.LiveEnded, "2026-06-01",
			surveys.Activity{Questions: []surveys.ActionQuestion{{Survey: "your-life-2025", Question: "safe"}}}), false},
		{"linked to a question the survey lacks", session(surveys.LiveEnded, "2026-06-01", surveys.Activity{Questions: linkQ("nope")}), false},
	} {
		if got := surveys.SessionCounts(tc.ls, s, p); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// byID indexes linked activities by their activity's id.
func byID(list []surveys.LinkedActivity) map[string]surveys.LinkedActivity {
	out := map[string]surveys.LinkedActivity{}
	for _, la := range list {
		out[la.Activity.ID] = la
	}
	return out
}

func TestLinkActivities(t *testing.T) {
	t.Parallel()
	s := reportSurvey(linkSlug, 2026)
	ls, st := linkedRoom(t)
	got := surveys.LinkActivities(s, ls, st, threshold)
	var ids []string
	for _, la := range got {
		ids = append(ids, la.Activity.ID)
	}
	// The poll nobody opened, the open question linked to another survey
	// and the dot vote linked to a question the survey lacks are left out.
	if want := []string{"poll", "rate", "ideas", "words", "lundy"}; !slices.Equal(ids, want) {
		t.Fatalf("linked %q, want %q", ids, want)
	}
	acts := byID(got)
	// The figures are the session report's, suppressed as there.
	rep := buildSessionReport(t, ls, st)
	for _, a := range rep.Activities {
		la, ok := acts[a.ID]
		if !ok || a.Kind == surveys.ActivityWords {
			continue
		}
		want, _ := json.Marshal(a)
		if g, _ := json.Marshal(la.Activity); string(g) != string(want) {
			t.Errorf("%s: %s, want the session report's %s", a.ID, g, want)
		}
	}
	if la := acts["poll"]; la.Session != "s1" || la.Title != ls.Title || la.Date != "2026-11-23" || la.Group != "MADE North" ||
		!slices.Equal(la.Questions, []string{"safe"}) || la.Themes != nil {
		t.Errorf("poll: %+v", la)
	}
	if la := acts["rate"]; !slices.Equal(la.Questions, []string{"trust"}) || !slices.Equal(la.Themes, []string{"having_a_say"}) {
		t.Errorf("rate's links: %v %v", la.Questions, la.Themes)
	}
	// Words: only those given by enough young people to be counted.
	if w := acts["words"].Activity.Words; len(w) != 1 || w[0].Word != "safe" || show(w[0].People) != "5" {
		t.Errorf("words %+v", w)
	}
	// Nothing the room never saw, in any form.
	raw, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "never-") {
		t.Errorf("a post the room never saw is linked:\n%s", raw)
	}

	// A session still running gives nothing: its figures are not final.
	running := surveys.NewRoomState(ls.ID)
	mustApply(t, ls, running, evJoin(person(0)), evStaff(surveys.EventOpen, "poll"), evVote("v", person(0), "poll", 0))
	if got := surveys.LinkActivities(s, ls, running, threshold); got != nil {
		t.Errorf("a running session is linked: %+v", got)
	}
	if got := surveys.LinkActivities(s, ls, nil, threshold); got != nil {
		t.Errorf("a session without a room is linked: %+v", got)
	}
}

// At most ReportLinkedQuotes ideas or answers of an activity, the most
// liked first, and a threshold below the least is taken as the default.
func TestLinkActivitiesQuotes(t *testing.T) {
	t.Parallel()
	s := reportSurvey(linkSlug, 2026)
	ls := reportSession()
	for i := range ls.Activities {
		if ls.Activities[i].ID == "q" {
			ls.Activities[i].Themes = []string{"having_a_say"}
		}
	}
	st := surveys.NewRoomState(ls.ID)
	evs := []surveys.LiveEvent{evStaff(surveys.EventOpen, "q")}
	for i := range surveys.ReportLinkedQuotes + 3 {
		evs = append(evs, evPost(fmt.Sprint("a", i), person(i), "q", fmt.Sprint("Answer ", i)))
	}
	evs = append(evs, evHeld("bad", person(20), "q", "never-flagged", surveys.HoldSafeguarding), evEnd())
	mustApply(t, ls, st, evs...)
	got := surveys.LinkActivities(s, ls, st, 1)
	if len(got) != 1 {
		t.Fatalf("%d linked, want the open question", len(got))
	}
	a := got[0].Activity
	if len(a.Quotes) != surveys.ReportLinkedQuotes || !a.MoreQuotes || a.Quotes[0].Text != "Answer 0" {
		t.Errorf("quotes %+v, more %v", a.Quotes, a.MoreQuotes)
	}
	// 7 answered (the flagged post's author too): shown at the default
	// threshold of 5, as 1 is too low.
	if show(a.Answered) != "7" {
		t.Errorf("answered %s", show(a.Answered))
	}
	if got := surveys.LinkActivities(s, ls, st, 8)[0].Activity; got.Answered != nil {
		t.Errorf("answered %s at a threshold of 8", show(got.Answered))
	}
}

// linked is a linked activity made by hand, for where a report puts it.
func linked(session, date, act string, questions []string, themes ...string) surveys.LinkedActivity {
	return surveys.LinkedActivity{Session: session, Title: "Session " + session, Date: date,
		Activity:  surveys.SessionActivity{ID: act, Number: 1, Kind: surveys.ActivityPoll, Prompt: "Asked", Run: true},
		Questions: questions, Themes: themes}
}

func placed(list []surveys.LinkedActivity) []string {
	var out []string
	for _, la := range list {
		out = append(out, la.Session+"/"+la.Activity.ID)
	}
	return out
}

func TestBoardReportPlacesLinkedActivities(t *testing.T) {
	t.Parallel()
	s := reportSurvey(linkSlug, 2026)
	themes := surveys.SummarizeThemes(reportCodebook(), nil, nil, 5)
	for i := range themes.Themes {
		if themes.Themes[i].Key == "social_workers" {
			themes.Themes[i].Total = intp(9) // the one theme listed
		}
	}
	rep := buildReport(t, surveys.BoardInputs{Survey: s, Themes: themes, Linked: []surveys.LinkedActivity{
		linked("a", "2026-01-10", "p", []string{"safe"}),
		linked("b", "2026-06-01", "p", []string{"safe"}),
		linked("c", "2026-03-01", "p", []string{"safe", "trust"}, "activities"),
		linked("d", "2026-09-30", "p", []string{"safe"}),
		linked("e", "2026-02-01", "t", nil, "activities", "social_workers"),
		linked("f", "2026-02-02", "t", nil, "retired_theme"),
	}})
	q := map[string]surveys.ReportQuestion{}
	for _, sec := range rep.Sections {
		for _, rq := range sec.Questions {
			q[rq.Key] = rq
		}
	}
	// The most recent first, ReportLinkedPerItem of them, and a count of
	// the rest.
	if got, want := placed(q["safe"].Sessions), []string{"d/p", "b/p", "c/p"}; !slices.Equal(got, want) || q["safe"].MoreSessions != 1 {
		t.Errorf("beside safe: %q and %d more, want %q and 1", got, q["safe"].MoreSessions, want)
	}
	if got := placed(q["trust"].Sessions); !slices.Equal(got, []string{"c/p"}) || q["trust"].MoreSessions != 0 {
		t.Errorf("beside trust: %q", got)
	}
	if len(q["clubs"].Sessions) != 0 {
		t.Errorf("beside clubs: %q", placed(q["clubs"].Sessions))
	}
	// Linked to a question, c is not repeated beside its theme; e is
	// beside each of its themes, the listed one first; a theme no longer
	// in the codebook is named by its key.
	var got []string
	for _, ts := range rep.ThemeSessions {
		got = append(got, fmt.Sprintf("%s (%s): %s", ts.Name, ts.Key, strings.Join(placed(ts.Activities), " ")))
	}
	want := []string{"Social workers (social_workers): e/t", "Things to do (activities): e/t", "retired_theme (retired_theme): f/t"}
	if !slices.Equal(got, want) {
		t.Errorf("beside the themes:\n%q\nwant\n%q", got, want)
	}
	if rep.SessionPeriod != (surveys.Period{From: "2025-05-01", To: "2026-11-23"}) {
		t.Errorf("session period %+v", rep.SessionPeriod)
	}

	// ByQuestion gives the same order, with no limit.
	by := surveys.ByQuestion(rep.Sections[0].Questions[0].Sessions)
	all := surveys.ByQuestion([]surveys.LinkedActivity{linked("a", "2026-01-10", "p", []string{"safe"}),
		linked("d", "2026-09-30", "p", []string{"safe", "trust"}), linked("b", "2026-06-01", "p", []string{"safe"})})
	if got := placed(all["safe"]); !slices.Equal(got, []string{"d/p", "b/p", "a/p"}) || len(by["safe"]) != 3 || len(all["trust"]) != 1 {
		t.Errorf("by question: %q", got)
	}

	// None linked: nothing beside anything.
	rep = buildReport(t, surveys.BoardInputs{Survey: s})
	if len(rep.ThemeSessions) != 0 || len(rep.Sections[0].Questions[0].Sessions) != 0 {
		t.Errorf("sessions without any linked: %+v", rep.ThemeSessions)
	}
}

// fixedTallies is a surveys.TallyStore that finds the same tallies for
// every survey; nothing else of it is used.
type fixedTallies struct {
	surveys.TallyStore
	tallies []*surveys.Tally
}

func (f fixedTallies) FindTallies(context.Context, *surveys.Survey) ([]*surveys.Tally, error) {
	return f.tallies, nil
}

// countedRooms are rooms that count which were opened.
type countedRooms struct {
	rooms  fixedRooms
	mu     sync.Mutex
	opened []string
}

func (c *countedRooms) OpenRoom(ctx context.Context, id string) (surveys.LiveRoom, error) {
	c.mu.Lock()
	c.opened = append(c.opened, id)
	c.mu.Unlock()
	return c.rooms.OpenRoom(ctx, id)
}

// The service reads the sessions that count, and only those, opening the
// room of each.
func TestReportsBoardReadsLinkedSessions(t *testing.T) {
	t.Parallel()
	s := reportSurvey(linkSlug, 2026)
	ls, st := linkedRoom(t)
	store := newMemLiveSessions()
	rooms := &countedRooms{rooms: fixedRooms{}}
	add := func(id, date string, status surveys.LiveStatus) {
		c := ls.Clone()
		c.ID, c.Date, c.Status = id, date, status
		if err := store.CreateLiveSession(t.Context(), c); err != nil {
			t.Fatal(err)
		}
		rooms.rooms[id] = fixedRoom{c, st}
	}
	add("s1", "2026-11-23", surveys.LiveEnded)
	add("older", "2026-02-01", surveys.LiveEnded)
	add("draft", "2026-11-23", surveys.LiveDraft)
	add("running", "2026-11-23", surveys.LiveRunning)
	add("too-old", "2025-04-30", surveys.LiveEnded)
	clk := newClock(reportDay)
	audit := &memAudit{}
	log := &surveys.AuditLog{Store: audit, Now: clk.Now}
	reports := func(sessions surveys.LiveSessionStore, r surveys.LiveRooms) *surveys.Reports {
		return &surveys.Reports{Surveys: newMemSurveys(s), Tallies: fixedTallies{},
			Settings: &surveys.SettingsService{Store: &memSettings{st: &surveys.Settings{CouncilName: "Knowsley Council", Threshold: 5}}, Audit: log, Now: clk.Now},
			Audit:    log, Now: clk.Now, Sessions: sessions, Rooms: r}
	}
	rep, err := reports(store, rooms).Board(t.Context(), surveys.BoardReportQuery{Survey: linkSlug})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(rooms.opened)
	if want := []string{"older", "s1"}; !slices.Equal(rooms.opened, want) {
		t.Errorf("rooms opened %q, want %q", rooms.opened, want)
	}
	safe := rep.Sections[0].Questions[0]
	if got, want := placed(safe.Sessions), []string{"s1/poll", "s1/lundy", "older/poll"}; safe.Key != "safe" || !slices.Equal(got, want) || safe.MoreSessions != 1 {
		t.Errorf("beside safe: %q and %d more, want %q and 1", got, safe.MoreSessions, want)
	}
	var themes []string
	for _, ts := range rep.ThemeSessions {
		themes = append(themes, ts.Key+": "+strings.Join(placed(ts.Activities), " "))
	}
	// Without a comments service no theme is listed: by name, then key.
	want := []string{"activities: s1/ideas older/ideas", "having_a_say: s1/ideas older/ideas", "home_placement: s1/words older/words"}
	if !slices.Equal(themes, want) {
		t.Errorf("themes %q, want %q", themes, want)
	}

	// Either missing, sessions are left out.
	for name, r := range map[string]*surveys.Reports{"no store": reports(nil, rooms), "no rooms": reports(store, nil)} {
		rep, err := r.Board(t.Context(), surveys.BoardReportQuery{Survey: linkSlug})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.ThemeSessions) != 0 || len(rep.Sections[0].Questions[0].Sessions) != 0 {
			t.Errorf("%s: sessions shown", name)
		}
	}
}

// The most recent ReportLinkedSessions sessions that count are read; the
// report says how many older ones were not.
func TestReportsBoardLimitsSessions(t *testing.T) {
	t.Parallel()
	s := reportSurvey(linkSlug, 2026)
	ls, st := linkedRoom(t)
	store := newMemLiveSessions()
	rooms := &countedRooms{rooms: fixedRooms{}}
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range surveys.ReportLinkedSessions + 2 {
		c := ls.Clone()
		c.ID, c.Date = fmt.Sprintf("s%03d", i), day.AddDate(0, 0, i).Format(time.DateOnly)
		if err := store.CreateLiveSession(t.Context(), c); err != nil {
			t.Fatal(err)
		}
		rooms.rooms[c.ID] = fixedRoom{c, st}
	}
	clk := newClock(reportDay)
	log := &surveys.AuditLog{Store: &memAudit{}, Now: clk.Now}
	r := &surveys.Reports{Surveys: newMemSurveys(s), Tallies: fixedTallies{},
		Settings: &surveys.SettingsService{Store: &memSettings{st: &surveys.Settings{Threshold: 5}}, Audit: log, Now: clk.Now},
		Audit:    log, Now: clk.Now, Sessions: store, Rooms: rooms}
	rep, err := r.Board(t.Context(), surveys.BoardReportQuery{Survey: linkSlug})
	if err != nil {
		t.Fatal(err)
	}
	if len(rooms.opened) != surveys.ReportLinkedSessions || slices.Contains(rooms.opened, "s000") || slices.Contains(rooms.opened, "s001") {
		t.Errorf("%d rooms opened, the oldest among them: %v", len(rooms.opened), slices.Contains(rooms.opened, "s000"))
	}
	if rep.SessionsLeftOut != 2 {
		t.Errorf("left out %d, want 2", rep.SessionsLeftOut)
	}
}
