package surveys_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
)

// reportDay is when the session reports of these tests are made.
var reportDay = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// reportSession is roomSession with the Lundy check at the end and a poll
// nobody opened.
func reportSession() *surveys.LiveSession {
	s := roomSession()
	s.Group, s.Purpose, s.Status = "MADE North", "Ask about the Charter.", surveys.LiveEnded
	s.Activities = append(s.Activities,
		surveys.Activity{ID: "never", Kind: surveys.ActivityPoll, Prompt: "Never asked", Options: []string{"A", "B"}},
		surveys.LundyCheck("lundy"))
	return s
}

// reportCodebook is a codebook of three themes.
func reportCodebook() *surveys.Codebook {
	return &surveys.Codebook{Version: 4, Themes: []surveys.Theme{{Key: "activities", Name: "Things to do"},
		{Key: "having_a_say", Name: "Having a say"}, {Key: "social_workers", Name: "Social workers"}}}
}

// buildSessionReport builds the report of the session and state, with voices.
func buildSessionReport(t *testing.T, s *surveys.LiveSession, st *surveys.RoomState, voices ...*surveys.Voice) *surveys.SessionReport {
	t.Helper()
	rep, err := surveys.BuildSessionReport(surveys.SessionReportInputs{Session: s, Room: st, Voices: voices,
		Codebook: reportCodebook(), Settings: &surveys.Settings{CouncilName: "Knowsley Council", Threshold: threshold}, Now: reportDay})
	if err != nil {
		t.Fatalf("BuildSessionReport: %v", err)
	}
	return rep
}

func ints(n ...int) []*int {
	out := make([]*int, len(n))
	for i, v := range n {
		if v >= 0 {
			out[i] = intp(v)
		}
	}
	return out
}

func TestSessionReportAttendance(t *testing.T) {
	t.Parallel()
	const hidden = -1
	for _, tc := range []struct {
		name     string
		counts   map[string]int
		recorded bool
		bands    []*int // in the order of AttendanceBands
		total    *int
	}{
		{name: "not recorded"},
		{name: "every band shown but the empty ones", counts: map[string]int{"8-11": 12, "12-15": 9}, recorded: true,
			bands: ints(12, 9, hidden, hidden, hidden), total: intp(21)},
		{name: "a small band hides the next smallest", counts: map[string]int{"8-11": 12, "12-15": 9, "16-18": 2}, recorded: true,
			bands: ints(12, hidden, hidden, hidden, hidden), total: intp(23)},
		{name: "a small band and one other hide both", counts: map[string]int{"8-11": 12, "12-15": 3}, recorded: true,
			bands: ints(hidden, hidden, hidden, hidden, hidden), total: intp(15)},
		{name: "small bands that add up to the threshold", counts: map[string]int{"8-11": 2, "12-15": 2, "16-18": 2}, recorded: true,
			bands: ints(hidden, hidden, hidden, hidden, hidden), total: intp(6)},
		{name: "too few in all", counts: map[string]int{"8-11": 3, "not known": 1}, recorded: true,
			bands: ints(hidden, hidden, hidden, hidden, hidden)},
		{name: "large bands only", counts: map[string]int{"8-11": 5, "12-15": 6, "16-18": 7, "19-21": 8, "not known": 9}, recorded: true,
			bands: ints(5, 6, 7, 8, 9), total: intp(35)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := reportSession()
			s.Attendance = tc.counts
			a := buildSessionReport(t, s, nil).Attendance
			if a.Recorded != tc.recorded || !reflect.DeepEqual(a.Total, tc.total) {
				t.Errorf("recorded %v, total %v; want %v, %v", a.Recorded, show(a.Total), tc.recorded, show(tc.total))
			}
			var got []*int
			for i, b := range a.Bands {
				if b.Band != surveys.AttendanceBands[i] {
					t.Errorf("band %d is %q", i, b.Band)
				}
				got = append(got, b.Count)
			}
			if !reflect.DeepEqual(got, tc.bands) {
				t.Errorf("bands %v, want %v", showAll(got), showAll(tc.bands))
			}
		})
	}
}

func show(n *int) string {
	if n == nil {
		return "hidden"
	}
	return fmt.Sprint(*n)
}

func showAll(ns []*int) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = show(n)
	}
	return out
}

// Whatever the attendance, every band shown counts at least the
// threshold, and a total shown cannot give a hidden band away: the hidden
// bands add up to none or at least the threshold.
func TestSessionReportAttendanceCannotBeWorkedOut(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	for range 2000 {
		counts := map[string]int{}
		for _, band := range surveys.AttendanceBands {
			if rng.IntN(3) > 0 {
				counts[band] = rng.IntN(14)
			}
		}
		s := reportSession()
		s.Attendance = counts
		a := buildSessionReport(t, s, nil).Attendance
		total, rest := 0, 0
		for _, b := range a.Bands {
			n := counts[b.Band]
			total += n
			switch {
			case b.Count == nil:
				rest += n
			case *b.Count != n || n < threshold:
				t.Fatalf("%v: band %s shown as %d", counts, b.Band, *b.Count)
			}
		}
		if a.Total != nil && (*a.Total != total || total < threshold || (rest > 0 && rest < threshold)) {
			t.Fatalf("%v: total %d shown, with %d hidden", counts, *a.Total, rest)
		}
		if a.Total == nil && total >= threshold && len(counts) > 0 {
			t.Fatalf("%v: total %d hidden", counts, total)
		}
	}
}

// lundyRate is a young person's face for the Lundy check.
func lundyRate(by string, face int) surveys.LiveEvent {
	return surveys.LiveEvent{ID: "l-" + by, Kind: surveys.EventRate, By: by, Activity: "lundy", Choices: []int{face}}
}

// reportRoom is a session that ran: every kind of activity, with small
// numbers to hide and posts that must never be shown.
func reportRoom(t *testing.T) (*surveys.LiveSession, *surveys.RoomState) {
	t.Helper()
	s := reportSession()
	st := surveys.NewRoomState(s.ID)
	var evs []surveys.LiveEvent
	for i := range 16 {
		evs = append(evs, evJoin(person(i)))
	}
	// Poll of one choice: 7 and 6, both shown.
	evs = append(evs, evStaff(surveys.EventOpen, "poll"))
	for i := range 13 {
		evs = append(evs, evVote("v", person(i), "poll", min(i/7, 1)))
	}
	// Poll of several: Games 9, Food 2 (hidden), Trips 6; of 10.
	evs = append(evs, evStaff(surveys.EventOpen, "multi"))
	for i := range 10 {
		c := []int{}
		if i < 9 {
			c = append(c, 0)
		}
		if i < 2 {
			c = append(c, 1)
		}
		if i >= 4 {
			c = append(c, 2)
		}
		evs = append(evs, evVote("m", person(i), "multi", c...))
	}
	// Rating: the first statement by 12 (faces 5,5,5,5,5,5,4,4,4,4,4,1:
	// the lone 1 hides the smallest shown too); the second by 3.
	evs = append(evs, evStaff(surveys.EventOpen, "rate"))
	for i := range 12 {
		f := []int{5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 1}[i]
		second := 0
		if i < 3 {
			second = 3
		}
		evs = append(evs, evRate("r", person(i), f, second))
	}
	// Ideas: two shown, one of them liked by 6; every other kind of post
	// that is never to be shown.
	wifi := evPost("i2", person(1), "ideas", "Better wifi in the home")
	wifi.Column = 1 // about what should change
	evs = append(evs, evStaff(surveys.EventOpen, "ideas"),
		evPost("i1", person(0), "ideas", "More trips out at weekends"),
		wifi,
		evHeld("i3", person(2), "ideas", "never-waiting", surveys.HoldPremoderate),
		evHeld("i4", person(3), "ideas", "never-rude", surveys.HoldProfanity),
		evHeld("i5", person(4), "ideas", "never-flagged", surveys.HoldSafeguarding),
		evPost("i6", person(5), "ideas", "never-hidden"),
		evPost("i7", person(6), "ideas", "never-duplicate"),
		evModerate(surveys.EventHide, "ideas", "i6"), evMerge("ideas", "i7", "i1"))
	for i := 1; i <= 6; i++ {
		evs = append(evs, evLike(fmt.Sprintf("like%d", i), person(i), "i1", true))
	}
	evs = append(evs, evLike("like-w", person(0), "i2", true))
	// Dots among the ideas: 6 young people on the trips idea.
	evs = append(evs, evStaff(surveys.EventOpen, "pick"))
	for i := range 6 {
		evs = append(evs, evDots("d", person(i), "pick", map[string]int{"i1": 2}))
	}
	// Words: "safe" by 5, "home" by 1, and a held word.
	evs = append(evs, evStaff(surveys.EventOpen, "words"))
	for i := range 5 {
		evs = append(evs, evWords(fmt.Sprint("w", i), person(i), "safe"))
	}
	evs = append(evs, evWords("w5", person(5), "home"),
		surveys.LiveEvent{ID: "w6", Kind: surveys.EventWords, By: person(6), Activity: "words", Words: []string{"never-word"}, Hold: surveys.HoldProfanity})
	// The Lundy check: faces 3 by 5, 4 by 5, 5 by 6.
	evs = append(evs, evStaff(surveys.EventOpen, "lundy"))
	for i := range 16 {
		evs = append(evs, lundyRate(person(i), 3+min(i/5, 2)))
	}
	evs = append(evs, evEnd())
	mustApply(t, s, st, evs...)
	return s, st
}

func TestSessionReportResults(t *testing.T) {
	t.Parallel()
	s, st := reportRoom(t)
	rep := buildSessionReport(t, s, st)
	if rep.Title != s.Title || rep.Date != "2026-11-23" || rep.Group != "MADE North" || rep.Purpose != "Ask about the Charter." ||
		rep.Council != "Knowsley Council" || rep.Threshold != threshold || rep.Codebook != 4 || !rep.Generated.Equal(reportDay) ||
		rep.Status != surveys.LiveEnded {
		t.Errorf("report's facts: %+v", rep)
	}
	if rep.Joined == nil || *rep.Joined != 16 {
		t.Errorf("joined %s, want 16", show(rep.Joined))
	}
	if len(rep.Activities) != len(s.Activities) {
		t.Fatalf("%d activities, want %d", len(rep.Activities), len(s.Activities))
	}
	act := map[string]*surveys.SessionActivity{}
	for i := range rep.Activities {
		a := &rep.Activities[i]
		if a.Number != i+1 || a.ID != s.Activities[i].ID || a.Prompt != s.Activities[i].Prompt || a.Kind != s.Activities[i].Kind {
			t.Errorf("activity %d: %+v", i, a)
		}
		act[a.ID] = a
	}

	cells := func(q surveys.ReportQuestion) []string {
		var out []string
		for _, c := range q.Cells {
			if c.Count == nil {
				out = append(out, c.Label+" hidden")
				continue
			}
			out = append(out, fmt.Sprintf("%s %d %.1f%%", c.Label, *c.Count, *c.Percent))
		}
		return out
	}
	for _, tc := range []struct {
		id       string
		answered *int
		charts   [][]string
	}{
		{"poll", intp(13), [][]string{{"Library 7 53.8%", "Youth centre 6 46.2%"}}},
		// A lone hidden choice hides the smallest shown one too.
		{"multi", intp(10), [][]string{{"Games 9 90.0%", "Food hidden", "Trips hidden"}}},
		{"rate", intp(12), [][]string{
			{"Really unhappy hidden", "Unhappy hidden", "OK hidden", "Happy hidden", "Really happy 6 50.0%"},
			nil, // rated by 3
		}},
		{"lundy", intp(16), [][]string{{"Really unhappy hidden", "Unhappy hidden", "OK 5 31.3%", "Happy 5 31.3%", "Really happy 6 37.5%"}}},
		{"never", nil, [][]string{nil}},
	} {
		a := act[tc.id]
		if !reflect.DeepEqual(a.Answered, tc.answered) {
			t.Errorf("%s: answered %s, want %s", tc.id, show(a.Answered), show(tc.answered))
		}
		if len(a.Charts) != len(tc.charts) {
			t.Fatalf("%s: %d charts", tc.id, len(a.Charts))
		}
		for i, want := range tc.charts {
			if got := cells(a.Charts[i]); !slices.Equal(got, want) {
				t.Errorf("%s chart %d: %q, want %q", tc.id, i, got, want)
			}
		}
	}
	if q := act["rate"].Charts[1]; q.Answered != nil || q.Text != "You have a worker you can trust." {
		t.Errorf("a statement rated by 3 shows %s answered", show(q.Answered))
	}
	if q := act["rate"].Charts[0]; q.Hidden != 6 || q.Type != surveys.Scale || !q.Cells[4].Favourable || q.Cells[2].Favourable {
		t.Errorf("rating chart: hidden %d, type %s, cells %+v", q.Hidden, q.Type, q.Cells)
	}
	if a := act["never"]; a.Run || !act["poll"].Run {
		t.Error("an activity nobody opened is said to have run, or one that ran is not")
	}

	// The Lundy check: its faces, and the share of the two happiest.
	l := rep.Lundy
	if l == nil || l.Activity != 10 || !act["lundy"].Lundy || act["rate"].Lundy {
		t.Fatalf("Lundy check: %+v", l)
	}
	if l.Listened == nil || *l.Listened != 11 || l.ListenedPercent == nil || *l.ListenedPercent != 68.8 {
		t.Errorf("listened %s", show(l.Listened))
	}

	// Ideas: the two shown, the most liked first, likes from fewer than
	// the threshold left out.
	ideas := act["ideas"]
	want := []surveys.SessionQuote{{Text: "More trips out at weekends", Column: "What's good", Likes: intp(6)},
		{Text: "Better wifi in the home", Column: "What should change"}}
	if !reflect.DeepEqual(ideas.Quotes, want) || ideas.MoreQuotes {
		t.Errorf("quotes %+v, want %+v", ideas.Quotes, want)
	}
	words := act["words"].Words
	if len(words) != 2 || words[0].Word != "safe" || show(words[0].People) != "5" || words[1].Word != "home" || words[1].People != nil {
		t.Errorf("words %+v", words)
	}
}

// Only ideas, answers and words the room could see reach the report, and
// only SessionReportQuotes of them from one activity.
func TestSessionReportNothingUnmoderated(t *testing.T) {
	t.Parallel()
	s, st := reportRoom(t)
	raw, err := json.Marshal(buildSessionReport(t, s, st))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "never-") {
		t.Errorf("a post not to be shown is in the report:\n%s", raw)
	}
	for _, want := range []string{"More trips out at weekends", "Better wifi in the home", "safe", "home"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("%q, shown to the room, is not in the report", want)
		}
	}

	s = reportSession()
	st = surveys.NewRoomState(s.ID)
	evs := []surveys.LiveEvent{evStaff(surveys.EventOpen, "q")}
	for i := range surveys.SessionReportQuotes + 3 {
		evs = append(evs, evPost(fmt.Sprint("a", i), person(i), "q", fmt.Sprint("Answer ", i)))
	}
	mustApply(t, s, st, evs...)
	q := buildSessionReport(t, s, st).Activities[7]
	if q.ID != "q" || len(q.Quotes) != surveys.SessionReportQuotes || !q.MoreQuotes || q.Quotes[0].Text != "Answer 0" {
		t.Errorf("answers: %d quoted, more %v, first %+v", len(q.Quotes), q.MoreQuotes, q.Quotes)
	}
}

func TestSessionReportDots(t *testing.T) {
	t.Parallel()
	s := reportSession()
	st := surveys.NewRoomState(s.ID)
	evs := []surveys.LiveEvent{evStaff(surveys.EventOpen, "dots")}
	// Trips: 6 young people, 12 dots; Food: 2 young people; Laptops: none.
	for i := range 6 {
		d := map[string]int{"0": 2}
		if i < 2 {
			d = map[string]int{"0": 2, "1": 3}
		}
		evs = append(evs, evDots("d", person(i), "dots", d))
	}
	mustApply(t, s, st, evs...)
	dots := buildSessionReport(t, s, st).Activities[5]
	if dots.ID != "dots" || show(dots.Answered) != "6" {
		t.Fatalf("dot vote: %+v", dots)
	}
	got := []string{}
	for _, d := range dots.Dots {
		got = append(got, d.Label+" "+show(d.Count))
	}
	if want := []string{"Trips 12", "Food hidden", "Laptops hidden"}; !slices.Equal(got, want) {
		t.Errorf("dots %q, want %q", got, want)
	}
}

// sessionVoice is a comment of the session with the themes in force.
func sessionVoice(session string, n int, s surveys.Sentiment, themes ...string) *surveys.Voice {
	return &surveys.Voice{ID: fmt.Sprintf("%s-%d", session, n), Channel: surveys.ChannelSession, Day: "2026-11-23",
		Source: surveys.VoiceSource{Session: session, Activity: "ideas"}, Text: "words",
		Machine: surveys.Coding{Sentiment: s}, Review: &surveys.VoiceReview{Themes: themes, Sentiment: s}}
}

func TestSessionReportThemes(t *testing.T) {
	t.Parallel()
	var voices []*surveys.Voice
	for i := range 8 {
		voices = append(voices, sessionVoice("s1", i, surveys.Negative, "activities"))
	}
	for i := range 6 {
		voices = append(voices, sessionVoice("s1", 10+i, surveys.Positive, "having_a_say", "activities"))
	}
	for i := range 5 {
		voices = append(voices, sessionVoice("s1", 30+i, surveys.Neutral, "activities"))
	}
	voices = append(voices, sessionVoice("s1", 20, surveys.Neutral, "social_workers"), sessionVoice("s1", 21, surveys.Neutral))
	s := reportSession()
	th := buildSessionReport(t, s, nil, voices...).Themes
	if show(th.Voices) != "21" {
		t.Errorf("voices %s, want 21", show(th.Voices))
	}
	got := []string{}
	for _, r := range th.Rows {
		got = append(got, fmt.Sprintf("%s %d", r.Name, r.Voices))
	}
	if want := []string{"Things to do 19", "Having a say 6"}; !slices.Equal(got, want) {
		t.Errorf("themes %q, want %q", got, want)
	}
	if r := th.Rows[0]; r.NegativePercent == nil || *r.NegativePercent != 42.1 || r.PositivePercent == nil || *r.PositivePercent != 31.6 {
		t.Errorf("feelings of %s: %+v", r.Name, r)
	}
	if th := buildSessionReport(t, s, nil, voices[:4]...).Themes; th.Voices != nil || len(th.Rows) != 0 {
		t.Errorf("4 comments: %+v", th)
	}
}

func TestBuildSessionReportNeedsItsInputs(t *testing.T) {
	t.Parallel()
	full := surveys.SessionReportInputs{Session: reportSession(), Codebook: reportCodebook(), Settings: &surveys.Settings{Threshold: 5}}
	for name, in := range map[string]surveys.SessionReportInputs{
		"no session":  {Codebook: full.Codebook, Settings: full.Settings},
		"no codebook": {Session: full.Session, Settings: full.Settings},
		"no settings": {Session: full.Session, Codebook: full.Codebook},
	} {
		if _, err := surveys.BuildSessionReport(in); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// A threshold below the least Heard accepts is taken as the default.
	full.Settings.Threshold = 1
	rep, err := surveys.BuildSessionReport(full)
	if err != nil || rep.Threshold != surveys.DefaultThreshold {
		t.Errorf("threshold %d, %v", rep.Threshold, err)
	}
}

// fixedRoom is a surveys.LiveRoom of a state made by hand.
type fixedRoom struct {
	s  *surveys.LiveSession
	st *surveys.RoomState
}

func (r fixedRoom) Submit(context.Context, ...surveys.LiveEvent) ([]surveys.Applied, error) {
	return nil, fmt.Errorf("a report submits nothing")
}

func (r fixedRoom) View(f func(*surveys.LiveSession, *surveys.RoomState)) { f(r.s, r.st) }

type fixedRooms map[string]fixedRoom

func (r fixedRooms) OpenRoom(_ context.Context, id string) (surveys.LiveRoom, error) {
	room, ok := r[id]
	if !ok {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "The session has not started.")
	}
	return room, nil
}

// sessionVoices is a surveys.VoiceStore that finds voices, by the
// stores' filter in Go; nothing else of it is used.
type sessionVoices struct {
	surveys.VoiceStore
	voices  []*surveys.Voice
	filters []surveys.VoiceFilter
}

func (m *sessionVoices) FindVoices(_ context.Context, f surveys.VoiceFilter) ([]*surveys.Voice, error) {
	m.filters = append(m.filters, f)
	var out []*surveys.Voice
	for _, v := range m.voices {
		if f.Match(v) {
			out = append(out, v)
		}
	}
	return out, nil
}

func TestSessionReportsReport(t *testing.T) {
	t.Parallel()
	s, st := reportRoom(t)
	sessions := newMemLiveSessions()
	draft := reportSession()
	draft.ID, draft.Status = "draft", surveys.LiveDraft
	for _, x := range []*surveys.LiveSession{s, draft} {
		if err := sessions.CreateLiveSession(t.Context(), x); err != nil {
			t.Fatal(err)
		}
	}
	// Voices of the session, and of another session the same day.
	var voices []*surveys.Voice
	for i := range 6 {
		voices = append(voices, sessionVoice("s1", i, surveys.Positive, "having_a_say"), sessionVoice("other", i, surveys.Positive, "social_workers"))
	}
	store := &sessionVoices{voices: voices}
	audit := &memAudit{}
	clk := newClock(reportDay)
	themes := &surveys.Themes{Store: &memCodebooks{}, Now: clk.Now, Default: reportCodebook(),
		Compile: func(*surveys.Codebook) (surveys.Coder, error) {
			return surveys.CoderFunc(func(string, string) surveys.Coding { return surveys.Coding{} }), nil
		}}
	if err := themes.Load(t.Context()); err != nil {
		t.Fatal(err)
	}
	log := &surveys.AuditLog{Store: audit, Now: clk.Now}
	svc := &surveys.SessionReports{Sessions: sessions, Rooms: fixedRooms{"s1": {s, st}}, Voices: store, Themes: themes,
		Settings: &surveys.SettingsService{Store: &memSettings{st: &surveys.Settings{CouncilName: "Knowsley Council", Threshold: 5}}, Audit: log, Now: clk.Now},
		Audit:    log, Now: clk.Now}

	for id, code := range map[string]string{"": surveys.ENOTFOUND, "nope": surveys.ENOTFOUND,
		strings.Repeat("x", surveys.MaxLiveSessionID+1): surveys.ENOTFOUND, "draft": surveys.ECONFLICT} {
		if _, err := svc.Report(t.Context(), id); surveys.ErrorCode(err) != code {
			t.Errorf("report of %q: %v, want %s", id, err, code)
		}
	}
	if n := len(audit.of(surveys.AuditReportSession)); n != 0 {
		t.Errorf("%d reports recorded that were not made", n)
	}

	rep, err := svc.Report(t.Context(), "s1")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Council != "Knowsley Council" || rep.Title != s.Title || len(rep.Activities) != len(s.Activities) || rep.Lundy == nil {
		t.Errorf("report: %+v", rep)
	}
	if show(rep.Themes.Voices) != "6" || len(rep.Themes.Rows) != 1 || rep.Themes.Rows[0].Key != "having_a_say" {
		t.Errorf("themes count another session's comments: %+v", rep.Themes)
	}
	if f := store.filters[len(store.filters)-1]; f.Channel != surveys.ChannelSession || f.From != s.Date || f.To != s.Date {
		t.Errorf("voices found with %+v", f)
	}
	entries := audit.of(surveys.AuditReportSession)
	if len(entries) != 1 || entries[0].Target != "session s1" || entries[0].Detail != "10 activities" {
		t.Errorf("audit: %+v", entries)
	}
	if !surveys.AuditReportSession.Valid() {
		t.Error("report.session is not an audit action")
	}
}
