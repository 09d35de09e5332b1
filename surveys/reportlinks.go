package surveys

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// MADE sessions beside a board report. A facilitator links an activity to
// survey questions or to themes (Activity.Questions, Activity.Themes), so
// that what a room of young people said sits beside what the survey found.
// A board report on a survey shows, beside each of its questions, the
// activities linked to it, and, beside each theme of its themes section,
// the activities linked to that theme and to none of the survey's
// questions.
//
// Which sessions count: those that have ended (their results are final)
// and are dated from a year before the end of the survey's period up to
// the day the report is made (LinkedSessionPeriod). The year before the
// end is the year whose comments the themes section counts, so sessions
// that explored the same things as the survey count; the days since count
// too, so that sessions which followed up the survey's findings reach the
// board. Drafts and sessions still running never count.
//
// The results are the session report's (sessionreport.go), suppressed at
// the board's threshold, and no more of them: ideas and answers only those
// the room saw, at most ReportLinkedQuotes of them, and only the words
// enough young people gave.

// Limits of the MADE sessions a board report shows.
const (
	// ReportLinkedPerItem is how many linked activities a report shows
	// beside one question or one theme, the most recent first; the report
	// says how many more there are.
	ReportLinkedPerItem = 3
	// ReportLinkedQuotes is how many ideas or answers of one linked
	// activity a report quotes, the most liked first.
	ReportLinkedQuotes = 3
	// ReportLinkedWords is how many words of a linked word cloud a report
	// lists, those given by the most young people first.
	ReportLinkedWords = 8
	// ReportLinkedSessions is the most sessions whose results one report
	// reads: the most recent that count. Each is a room loaded from the
	// session's log, so the number is kept to what a report can read in a
	// few seconds; the report says how many were left out.
	ReportLinkedSessions = 100
)

// LinkedActivity is an activity of an ended MADE session linked to a
// survey's questions or to themes, with its results as a board report
// shows them.
type LinkedActivity struct {
	Session string // the session's id
	Title   string // the session's
	Date    string // the session's, "2006-01-02"
	Group   string // the MADE group, or ""
	// Activity is its results, suppressed as in the session report, with
	// at most ReportLinkedQuotes quotes (MoreQuotes says there were more)
	// and ReportLinkedWords words, each given by enough young people to
	// be counted.
	Activity SessionActivity
	// Questions are the keys of the survey's questions it is linked to;
	// Themes are the themes it is linked to.
	Questions []string
	Themes    []string
}

// ThemeSessions are the activities shown beside one theme of a board
// report: linked to the theme and to none of the survey's questions.
type ThemeSessions struct {
	Key        string
	Name       string
	Activities []LinkedActivity // the most recent first
	More       int              // linked activities left out, past ReportLinkedPerItem
}

// LinkedSessionPeriod is when the sessions a board report on s shows are
// dated: from a year before the end of the survey's period (the first day
// of the year the themes section counts) to the day of the report.
func LinkedSessionPeriod(s *Survey, now time.Time) Period {
	now = now.UTC()
	to, _ := time.Parse(time.DateOnly, surveyPeriod(s, now).To)
	p := Period{From: to.AddDate(0, 0, 1-ReportThemeDays).Format(time.DateOnly), To: now.Format(time.DateOnly)}
	if p.To < p.From {
		// A survey scheduled to close after the report: its year is still
		// to come, and nothing after today exists yet.
		p.From = p.To
	}
	return p
}

// SessionCounts reports whether a board report on s, showing sessions of
// the period p, shows any of ls's activities: ls has ended, is dated in
// p, and has an activity linked to one of s's questions or to a theme.
func SessionCounts(ls *LiveSession, s *Survey, p Period) bool {
	if ls.Status != LiveEnded || ls.Date < p.From || ls.Date > p.To {
		return false
	}
	for i := range ls.Activities {
		if linksTo(&ls.Activities[i], s) {
			return true
		}
	}
	return false
}

// linksTo reports whether an activity is linked to one of s's questions
// or to a theme.
func linksTo(a *Activity, s *Survey) bool {
	return len(a.Themes) > 0 || len(linkedQuestions(a, s)) > 0
}

// linkedQuestions returns the keys of s's questions an activity is linked
// to, each once, in the order of the links.
func linkedQuestions(a *Activity, s *Survey) []string {
	var out []string
	for _, q := range a.Questions {
		if q.Survey == s.Slug && hasQuestion(s, q.Question) && !slices.Contains(out, q.Question) {
			out = append(out, q.Question)
		}
	}
	return out
}

// LinkActivities works out, from an ended session's room, the results of
// its activities linked to s's questions or to themes, suppressed at
// threshold. Activities never opened are left out, having no results; so
// is everything of a session that has not ended, whose figures are not
// final.
func LinkActivities(s *Survey, ls *LiveSession, st *RoomState, threshold int) []LinkedActivity {
	if st == nil || !st.Ended {
		return nil
	}
	if threshold < MinThreshold {
		threshold = DefaultThreshold
	}
	var out []LinkedActivity
	for i := range ls.Activities {
		act := &ls.Activities[i]
		if !linksTo(act, s) {
			continue
		}
		res := sessionActivity(ls, st, i, threshold)
		if !res.Run {
			continue
		}
		if len(res.Quotes) > ReportLinkedQuotes {
			res.Quotes, res.MoreQuotes = res.Quotes[:ReportLinkedQuotes], true
		}
		res.Words = slices.DeleteFunc(res.Words, func(w SessionWord) bool { return w.People == nil })
		res.Words = res.Words[:min(len(res.Words), ReportLinkedWords)]
		out = append(out, LinkedActivity{Session: ls.ID, Title: ls.Title, Date: ls.Date, Group: ls.Group, Activity: res,
			Questions: linkedQuestions(act, s), Themes: slices.Clone(act.Themes)})
	}
	return out
}

// placeLinked puts the linked activities beside the report's questions,
// and those linked to none of them beside their themes: the themes the
// report lists first, in its order, then the others by name. names are
// the themes' names by key; a theme without one is named by its key.
func placeLinked(rep *BoardReport, linked []LinkedActivity, names map[string]string) {
	linked = slices.Clone(linked)
	sortLinked(linked)
	questions := map[string]*ReportQuestion{}
	for i := range rep.Sections {
		for j := range rep.Sections[i].Questions {
			q := &rep.Sections[i].Questions[j]
			questions[q.Key] = q
		}
	}
	themes := map[string]*ThemeSessions{}
	for _, la := range linked {
		placed := false
		for _, key := range la.Questions {
			if q := questions[key]; q != nil {
				placed = true
				if len(q.Sessions) < ReportLinkedPerItem {
					q.Sessions = append(q.Sessions, la)
				} else {
					q.MoreSessions++
				}
			}
		}
		if placed {
			continue
		}
		for _, key := range la.Themes {
			t := themes[key]
			if t == nil {
				t = &ThemeSessions{Key: key, Name: cmp.Or(names[key], key)}
				themes[key] = t
			}
			if len(t.Activities) < ReportLinkedPerItem {
				t.Activities = append(t.Activities, la)
			} else {
				t.More++
			}
		}
	}
	listed := map[string]int{}
	if rep.Themes != nil {
		for i, row := range rep.Themes.Themes {
			listed[row.Key] = i + 1
		}
	}
	for _, t := range themes {
		rep.ThemeSessions = append(rep.ThemeSessions, *t)
	}
	// Listed themes first, by their place in the list; then the others.
	rank := func(key string) int {
		if n, ok := listed[key]; ok {
			return n
		}
		return len(listed) + 1
	}
	slices.SortFunc(rep.ThemeSessions, func(a, b ThemeSessions) int {
		return cmp.Or(cmp.Compare(rank(a.Key), rank(b.Key)), strings.Compare(a.Name, b.Name), strings.Compare(a.Key, b.Key))
	})
}

// sortLinked puts linked activities the most recent session first, then
// by the session's title and id, then in the session's order.
func sortLinked(list []LinkedActivity) {
	slices.SortStableFunc(list, func(a, b LinkedActivity) int {
		return cmp.Or(strings.Compare(b.Date, a.Date), strings.Compare(a.Title, b.Title),
			strings.Compare(a.Session, b.Session), cmp.Compare(a.Activity.Number, b.Activity.Number))
	})
}

// themeNames returns the names of the themes of a summary, by key.
func themeNames(t *ThemeSummary) map[string]string {
	names := map[string]string{}
	if t != nil {
		for _, row := range t.Themes {
			names[row.Key] = row.Name
		}
	}
	return names
}

// Linked reads the ended sessions that count for a board report on s
// made now (SessionCounts, LinkedSessionPeriod), at most
// ReportLinkedSessions of them, the most recent, and works out the
// results of their linked activities at threshold (LinkActivities). It
// returns them, in no particular order, and how many sessions that count
// were not read. Without both a session store and rooms, it returns none.
func (r *Reports) Linked(ctx context.Context, s *Survey, now time.Time, threshold int) ([]LinkedActivity, int, error) {
	if r.Sessions == nil || r.Rooms == nil {
		return nil, 0, nil
	}
	all, err := r.Sessions.FindLiveSessions(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("linked sessions of %q: %w", s.Slug, err)
	}
	SortLiveSessions(all) // newest first, so that the limit leaves out the oldest
	p := LinkedSessionPeriod(s, now)
	var counted []*LiveSession
	for _, ls := range all {
		if SessionCounts(ls, s, p) {
			counted = append(counted, ls)
		}
	}
	leftOut := 0
	if n := len(counted) - ReportLinkedSessions; n > 0 {
		counted, leftOut = counted[:ReportLinkedSessions], n
	}
	var out []LinkedActivity
	for _, ls := range counted {
		room, err := r.Rooms.OpenRoom(ctx, ls.ID)
		if err != nil {
			return nil, 0, fmt.Errorf("linked sessions of %q: session %q: %w", s.Slug, ls.ID, err)
		}
		// Worked out while the room is held still; the state is not kept.
		room.View(func(_ *LiveSession, st *RoomState) {
			out = append(out, LinkActivities(s, ls, st, threshold)...)
		})
	}
	return out, leftOut, nil
}

// ByQuestion returns linked activities by the key of each question they
// are linked to, the most recent first, as a board report places them
// (with no limit).
func ByQuestion(linked []LinkedActivity) map[string][]LinkedActivity {
	linked = slices.Clone(linked)
	sortLinked(linked)
	out := map[string][]LinkedActivity{}
	for _, la := range linked {
		for _, key := range la.Questions {
			out[key] = append(out[key], la)
		}
	}
	return out
}
