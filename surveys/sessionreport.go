package surveys

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The session report: what happened in one MADE session, as a PDF for the
// facilitator's records and for board papers. As with the board report
// (report.go), every figure is worked out and suppressed here, and a nil
// count or percentage is "fewer than N", so that the code that draws the
// report cannot print a number it was not given. Texts (ideas, answers,
// words) are only those the room could see: never a post held, hidden,
// merged into another or flagged by the safeguarding detector.

// SessionReportQuotes is how many ideas or answers the report quotes from
// one activity, the most liked first.
const SessionReportQuotes = 8

// faceLabels name the faces of a rating, saddest first, as the phones
// say them.
var faceLabels = [Faces]string{"Really unhappy", "Unhappy", "OK", "Happy", "Really happy"}

// SessionReport is the report of one MADE session.
type SessionReport struct {
	Council   string
	Logo      *Logo // nil for none
	Session   string
	Title     string
	Date      string // "2006-01-02"
	Group     string
	Purpose   string
	Status    LiveStatus // live: the figures may still change
	Generated time.Time
	Threshold int
	Codebook  int // the version of the codebook in force

	Attendance SessionAttendance
	// Joined is how many phones joined the session; nil when fewer than
	// the threshold.
	Joined     *int
	Activities []SessionActivity
	Themes     SessionThemes
	// Lundy is the result of the Lundy check, "Did you feel listened to
	// today?"; nil when the session did not ask it.
	Lundy *SessionLundy
}

// SessionAttendance is how many young people came, by age band, as the
// facilitator recorded it. The bands are a table that adds up to the
// total, suppressed so that no hidden band can be worked out from it.
type SessionAttendance struct {
	Recorded bool // false: the facilitator recorded no attendance
	Bands    []BandCount
	Total    *int
}

// BandCount is the young people of one age band; Count is nil when hidden.
type BandCount struct {
	Band  string
	Count *int
}

// SessionActivity is one activity and its results.
type SessionActivity struct {
	Number int // from 1, in the session's order
	ID     string
	Kind   ActivityKind
	Prompt string
	Run    bool // it was opened at some point
	Lundy  bool // it asks the Lundy check
	// Answered is how many young people took part in it; nil when fewer
	// than the threshold, and then nothing but its texts is shown.
	Answered *int
	Multiple bool // a poll of several choices
	// Charts are a poll's options, or each statement of a rating on
	// faces, as a survey question's figures are.
	Charts []ReportQuestion
	// Dots are the dots on each option or idea of a dot vote, the most
	// first; a count is nil when fewer young people than the threshold
	// put dots on it.
	Dots []SessionCount
	// Quotes are ideas or answers the room saw, the most liked first, at
	// most SessionReportQuotes; MoreQuotes says there were others.
	Quotes     []SessionQuote
	MoreQuotes bool
	// Words are a word cloud's words the room saw, those given by the
	// most young people first; People is nil for a word given by fewer
	// than the threshold.
	Words []SessionWord
}

// SessionCount is a labelled count; Count is nil when hidden.
type SessionCount struct {
	Label string
	Count *int
}

// SessionQuote is an idea or answer the room saw.
type SessionQuote struct {
	Text   string
	Column string // the idea board's column, or ""
	Likes  *int   // nil when none, or from fewer young people than the threshold
}

// SessionWord is a word of a word cloud.
type SessionWord struct {
	Word   string
	People *int
}

// SessionThemes are the themes of the session's comments: its ideas and
// answers, and the notes typed in from paper.
type SessionThemes struct {
	Voices *int           // every comment of the session; nil when fewer than the threshold
	Rows   []SessionTheme // the themes with a count to show, the most comments first
}

// SessionTheme is one theme's comments.
type SessionTheme struct {
	Key             string
	Name            string
	Voices          int
	NegativePercent *float64
	PositivePercent *float64
}

// SessionLundy is the answer to "Did you feel listened to today?".
type SessionLundy struct {
	Activity int // the number of the activity that asked it
	Question ReportQuestion
	// Listened is how many chose one of the two happiest faces, and
	// ListenedPercent their share; nil unless both faces' counts are
	// shown.
	Listened        *int
	ListenedPercent *float64
}

// lundyStatement is the statement of the Lundy check.
var lundyStatement = LundyCheck("").Statements[0]

// SessionReportInputs are what a session report is made from.
type SessionReportInputs struct {
	Session  *LiveSession
	Room     *RoomState // nil: nothing happened in the room
	Voices   []*Voice   // the session's comments
	Codebook *Codebook
	Settings *Settings // the council, its logo, and the threshold
	Now      time.Time
}

// BuildSessionReport works out a session's report from its inputs,
// suppressing every small number.
func BuildSessionReport(in SessionReportInputs) (*SessionReport, error) {
	s, st := in.Session, in.Settings
	if s == nil || st == nil || in.Codebook == nil {
		return nil, fmt.Errorf("session report: needs the session, the settings and the codebook")
	}
	threshold := st.Threshold
	if threshold < MinThreshold {
		threshold = DefaultThreshold
	}
	room := in.Room
	if room == nil {
		room = NewRoomState(s.ID)
	}
	rep := &SessionReport{Council: st.CouncilName, Logo: st.Logo, Session: s.ID, Title: s.Title, Date: s.Date,
		Group: s.Group, Purpose: s.Purpose, Status: s.Status, Generated: in.Now.UTC(), Threshold: threshold,
		Codebook: in.Codebook.Version}
	rep.Attendance = attendance(s.Attendance, threshold)
	if n, ok := room.Joined(threshold); ok {
		rep.Joined = ptr(n)
	}
	for i := range s.Activities {
		a := sessionActivity(s, room, i, threshold)
		rep.Activities = append(rep.Activities, a)
		if a.Lundy {
			rep.Lundy = lundy(&a)
		}
	}
	rep.Themes = sessionThemes(in.Codebook, in.Voices, threshold)
	return rep, nil
}

// attendance suppresses the bands as a table that adds up to the total:
// a band under the threshold is hidden, and then the smallest shown bands
// too until the hidden ones add up to none or at least the threshold, so
// that subtracting from the total gives nothing away.
func attendance(counts map[string]int, threshold int) SessionAttendance {
	a := SessionAttendance{Recorded: len(counts) > 0}
	if !a.Recorded {
		return a
	}
	n := make([]int, len(AttendanceBands))
	total := 0
	for i, band := range AttendanceBands {
		n[i] = counts[band]
		total += n[i]
	}
	hidden := make([]bool, len(n))
	for i := range n {
		hidden[i] = n[i] < threshold
	}
	widenRemainder(hidden, n, total, threshold)
	for i, band := range AttendanceBands {
		b := BandCount{Band: band}
		if !hidden[i] {
			b.Count = ptr(n[i])
		}
		a.Bands = append(a.Bands, b)
	}
	if total >= threshold {
		a.Total = ptr(total)
	}
	return a
}

// sessionActivity works out the ith activity's results.
func sessionActivity(s *LiveSession, room *RoomState, i, threshold int) SessionActivity {
	act := &s.Activities[i]
	res := room.Results(s, act.ID, threshold)
	state := room.Act(act.ID)
	a := SessionActivity{Number: i + 1, ID: act.ID, Kind: act.Kind, Prompt: act.Prompt, Run: state.Opened,
		Multiple: act.Multiple, Lundy: asksLundy(act)}
	if !res.Few {
		a.Answered = ptr(res.Answered)
	}
	switch act.Kind {
	case ActivityPoll:
		a.Charts = []ReportQuestion{pollChart(act, res)}
	case ActivityRating:
		for _, ls := range res.Statements {
			a.Charts = append(a.Charts, facesChart(ls))
		}
	case ActivityDots:
		for _, c := range res.Options {
			a.Dots = append(a.Dots, SessionCount{Label: c.Label, Count: shown(c)})
		}
	case ActivityIdeas, ActivityQuestion:
		a.Quotes, a.MoreQuotes = quotes(act, state, res.Ideas)
	case ActivityWords:
		a.Words = cloudWords(res.Words)
	}
	return a
}

// shown is a live count as a report prints it.
func shown(c LiveCount) *int {
	if c.Hidden {
		return nil
	}
	return ptr(c.N)
}

// asksLundy reports whether an activity is the Lundy check: a rating whose
// statement is "Did you feel listened to today?".
func asksLundy(act *Activity) bool {
	if act.Kind != ActivityRating {
		return false
	}
	return slices.ContainsFunc(act.Statements, isLundy)
}

func isLundy(statement string) bool {
	return strings.EqualFold(strings.TrimSpace(statement), lundyStatement)
}

// pollChart is a poll as a survey question: its options with their
// counts and shares of the young people who answered.
func pollChart(act *Activity, res *LiveResults) ReportQuestion {
	q := ReportQuestion{Key: act.ID, Text: act.Prompt, Type: SingleChoice}
	if act.Multiple {
		q.Type = MultiChoice
	}
	if res.Few {
		return q
	}
	q.Answered = ptr(res.Answered)
	q.Cells, q.Hidden = liveCells(res.Options, nil, res.Answered)
	return q
}

// facesChart is a statement rated on faces as a scale question.
func facesChart(ls LiveStatement) ReportQuestion {
	q := ReportQuestion{Text: ls.Text, Type: Scale}
	if ls.Few {
		return q
	}
	q.Answered = ptr(ls.Answered)
	q.Cells, q.Hidden = liveCells(ls.Faces, faceLabels[:], ls.Answered)
	for i := range q.Cells {
		q.Cells[i].Favourable = i >= Faces-2 // the two happiest faces
	}
	return q
}

// liveCells turns live counts into a report's cells, labelled by labels
// where given, with each shown count's share of answered, and the sum of
// the hidden ones (the answered minus the shown, which anyone can work
// out).
func liveCells(counts []LiveCount, labels []string, answered int) ([]ReportCell, int) {
	cells := make([]ReportCell, len(counts))
	hidden := answered
	for i, c := range counts {
		cells[i].Label = c.Label
		if labels != nil {
			cells[i].Label = labels[i]
		}
		if !c.Hidden {
			cells[i].Count = ptr(c.N)
			cells[i].Percent = ptr(percent(c.N, answered))
			hidden -= c.N
		}
	}
	return cells, max(hidden, 0)
}

// quotes picks the ideas or answers to quote: those the room saw, the
// most liked first (by the likes a report may show, so that the choice
// gives no hidden number away), then in the order they came.
func quotes(act *Activity, state *ActivityState, ideas []LiveIdea) ([]SessionQuote, bool) {
	var out []SessionQuote
	for _, idea := range ideas {
		// Ideas are the visible posts already; a second look at the post
		// itself keeps anything held, hidden, merged or flagged out of a
		// report even if that ever changed.
		p := state.Post(idea.ID)
		if p == nil || !p.Visible() || p.Hold == HoldSafeguarding {
			continue
		}
		q := SessionQuote{Text: strings.TrimSpace(idea.Text)}
		if idea.Column >= 0 && idea.Column < len(act.Columns) {
			q.Column = act.Columns[idea.Column]
		}
		if !idea.LikesHidden && idea.Likes > 0 {
			q.Likes = ptr(idea.Likes)
		}
		out = append(out, q)
	}
	likes := func(q SessionQuote) int {
		if q.Likes == nil {
			return 0
		}
		return *q.Likes
	}
	slices.SortStableFunc(out, func(a, b SessionQuote) int { return cmp.Compare(likes(b), likes(a)) })
	if len(out) > SessionReportQuotes {
		return out[:SessionReportQuotes], true
	}
	return out, false
}

// cloudWords lists a word cloud's words: those given by enough young
// people to count, the most first, then the others in the order they
// came.
func cloudWords(words []LiveWord) []SessionWord {
	out := make([]SessionWord, 0, len(words))
	for _, w := range words {
		sw := SessionWord{Word: w.Word}
		if !w.Hidden {
			sw.People = ptr(w.N)
		}
		out = append(out, sw)
	}
	people := func(w SessionWord) int {
		if w.People == nil {
			return 0
		}
		return *w.People
	}
	slices.SortStableFunc(out, func(a, b SessionWord) int { return cmp.Compare(people(b), people(a)) })
	return out
}

// lundy is the Lundy check's result, from the activity that asked it.
func lundy(a *SessionActivity) *SessionLundy {
	for _, q := range a.Charts {
		if !isLundy(q.Text) {
			continue
		}
		l := &SessionLundy{Activity: a.Number, Question: q}
		if q.Answered != nil && len(q.Cells) == Faces {
			happy, happiest := q.Cells[Faces-2].Count, q.Cells[Faces-1].Count
			if happy != nil && happiest != nil {
				l.Listened = ptr(*happy + *happiest)
				l.ListenedPercent = ptr(percent(*l.Listened, *q.Answered))
			}
		}
		return l
	}
	return nil
}

// sessionThemes counts the session's comments by theme, with the theme
// summary's suppression, and keeps the themes with a count to show.
func sessionThemes(cb *Codebook, voices []*Voice, threshold int) SessionThemes {
	digests := make([]VoiceDigest, len(voices))
	for i, v := range voices {
		digests[i] = DigestOf(v)
	}
	sum := SummarizeThemes(cb, digests, nil, threshold)
	t := SessionThemes{Voices: sum.Voices.Total}
	for _, row := range sum.Themes {
		if row.Total == nil || *row.Total == 0 {
			continue
		}
		t.Rows = append(t.Rows, SessionTheme{Key: row.Key, Name: row.Name, Voices: *row.Total,
			NegativePercent: row.NegativePercent, PositivePercent: row.PositivePercent})
	}
	return t
}

// SessionReports gathers what a session's report is made from.
type SessionReports struct {
	Sessions LiveSessionStore
	Rooms    LiveRooms
	Voices   VoiceStore
	Themes   *Themes
	Settings *SettingsService
	Audit    *AuditLog
	Now      func() time.Time
}

// Report makes the report of a session that has started, and records
// that it was made.
func (sr *SessionReports) Report(ctx context.Context, id string) (*SessionReport, error) {
	if id == "" || len(id) > MaxLiveSessionID {
		return nil, errNoLiveSession
	}
	s, err := sr.Sessions.FindLiveSession(ctx, id)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil, errNoLiveSession
	case err != nil:
		return nil, fmt.Errorf("session report %q: %w", id, err)
	case s.Status == LiveDraft:
		return nil, Errorf(ECONFLICT, "This session has not started, so there is nothing to report yet.")
	}
	settings, err := sr.Settings.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("session report %q: %w", id, err)
	}
	voices, err := sr.sessionVoices(ctx, s)
	if err != nil {
		return nil, err
	}
	room, err := sr.Rooms.OpenRoom(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("session report %q: %w", id, err)
	}
	in := SessionReportInputs{Session: s, Voices: voices, Codebook: sr.Themes.Codebook(), Settings: settings, Now: sr.Now()}
	var rep *SessionReport
	// Worked out while the room is held still: the state must not change
	// under the counting, and is not to be kept.
	room.View(func(_ *LiveSession, st *RoomState) {
		in.Room = st
		rep, err = BuildSessionReport(in)
	})
	if err != nil {
		return nil, err
	}
	if err := sr.Audit.Record(ctx, AuditReportSession, "session "+id, fmt.Sprintf("%d activities", len(s.Activities))); err != nil {
		return nil, fmt.Errorf("session report %q: %w", id, err)
	}
	return rep, nil
}

// sessionVoices returns the session's comments. The store cannot select
// by session, so the session channel's voices of the session's day are
// read, and the session's kept.
func (sr *SessionReports) sessionVoices(ctx context.Context, s *LiveSession) ([]*Voice, error) {
	all, err := sr.Voices.FindVoices(ctx, VoiceFilter{Channel: ChannelSession, From: s.Date, To: s.Date})
	if err != nil {
		return nil, fmt.Errorf("session report %q: %w", s.ID, err)
	}
	return slices.DeleteFunc(all, func(v *Voice) bool { return v.Source.Session != s.ID }), nil
}
