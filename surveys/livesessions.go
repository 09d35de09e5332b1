package surveys

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Preparing MADE sessions: the service that creates, changes and copies
// them while they are drafts. Running them is built on top of it.

// Limits of preparing sessions, besides those of one session (session.go).
const (
	// MaxLiveSessions is the most sessions Heard keeps: years of a
	// council's MADE groups meeting every few weeks, and few enough that
	// the list is read whole.
	MaxLiveSessions = 2000
	// MaxLiveSessionID is the most bytes of a session's id looked up;
	// longer ones are not Heard's.
	MaxLiveSessionID = 64
	// copySuffix ends the title of a copied session.
	copySuffix = " (copy)"
)

// ukTime is where MADE groups meet, for "today" when a session is copied:
// a copy made at half past midnight in summer is dated that day, not the
// day before.
var ukTime = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// LiveSessions prepares MADE sessions: facilitators, analysts and admins
// create them, change them while they are drafts, and copy earlier ones.
type LiveSessions struct {
	Store    LiveSessionStore
	Settings *SettingsService // MADE groups to check a session's group
	Themes   *Themes          // to check activities' theme links against the codebook in force
	Surveys  SurveyStore      // to check activities' survey-question links (survey exists, question key exists in some version)
	Audit    *AuditLog
	Now      func() time.Time
	NewID    func() string // nil: random
}

var errNoLiveSession = Errorf(ENOTFOUND, "There is no such session. It may have been typed wrongly in the address.")

// errLiveSessionConflict is the answer to a save made from an old revision.
var errLiveSessionConflict = Errorf(ECONFLICT, "Someone else saved this session after you opened it, so your changes were not saved. Their version is shown now; make your changes again.")

// errLiveSessionsFull is the answer to a new session past MaxLiveSessions.
var errLiveSessionsFull = Errorf(ECONFLICT, "Heard keeps at most %d sessions, and has that many. Ask an admin.", MaxLiveSessions)

// List returns every session, newest date first, then by title and id, so
// that the order is the same on every read.
func (ls *LiveSessions) List(ctx context.Context) ([]*LiveSession, error) {
	list, err := ls.Store.FindLiveSessions(ctx)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	SortLiveSessions(list)
	return list, nil
}

// SortLiveSessions puts sessions in the order List returns them.
func SortLiveSessions(list []*LiveSession) {
	slices.SortStableFunc(list, func(a, b *LiveSession) int {
		return cmp.Or(strings.Compare(b.Date, a.Date), strings.Compare(a.Title, b.Title), strings.Compare(a.ID, b.ID))
	})
}

// Find returns the session with the id, or ENOTFOUND.
func (ls *LiveSessions) Find(ctx context.Context, id string) (*LiveSession, error) {
	if id == "" || len(id) > MaxLiveSessionID {
		return nil, errNoLiveSession
	}
	s, err := ls.Store.FindLiveSession(ctx, id)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil, errNoLiveSession
	case err != nil:
		return nil, fmt.Errorf("find session %q: %w", id, err)
	}
	return s, nil
}

// Templates are the activities MADE groups use often, to start a session
// from.
func (ls *LiveSessions) Templates() []Activity { return SessionTemplates() }

// Create checks and stores a new draft: its title, date, group, purpose,
// premoderation and activities; activities without an id are given one.
// Everything else of in (id, status, code, attendance, times) is ignored.
func (ls *LiveSessions) Create(ctx context.Context, in *LiveSession) (*LiveSession, error) {
	s := &LiveSession{Status: LiveDraft}
	copyPrepared(s, in)
	if err := ls.check(ctx, s); err != nil {
		return nil, err
	}
	if err := ls.store(ctx, s); err != nil {
		return nil, err
	}
	if err := ls.Audit.Record(ctx, AuditSessionCreate, "session "+s.ID, sessionSummary(s)); err != nil {
		return nil, err
	}
	return s, nil
}

// Update replaces what a draft says (its title, date, group, purpose,
// premoderation and activities) by in's, made from the revision the
// facilitator saw. A session that has started or ended is refused with
// ECONFLICT: its activities are what the room answered, and changing them
// would change what the answers mean. A save that changes nothing stores
// nothing; someone else's save in between is ECONFLICT, and nothing
// changes.
func (ls *LiveSessions) Update(ctx context.Context, id string, revision int, in *LiveSession) (*LiveSession, error) {
	current, err := ls.Find(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := LockedReason(current); err != nil {
		return nil, err
	}
	next := current.Clone()
	copyPrepared(next, in)
	if err := ls.check(ctx, next); err != nil {
		return nil, err
	}
	if current.Revision != revision {
		return nil, errLiveSessionConflict
	}
	if samePrepared(current, next) {
		return current, nil
	}
	next.Updated = ls.now()
	saved, err := ls.Store.UpdateLiveSession(ctx, id, revision, next)
	switch {
	case ErrorCode(err) == ECONFLICT:
		return nil, errLiveSessionConflict
	case ErrorCode(err) == ENOTFOUND:
		return nil, errNoLiveSession
	case err != nil:
		return nil, fmt.Errorf("update session %q: %w", id, err)
	}
	if err := ls.Audit.Record(ctx, AuditSessionUpdate, "session "+id, sessionChanges(current, saved)); err != nil {
		return nil, err
	}
	return saved, nil
}

// LockedReason says, as an ECONFLICT error, why a session can no longer
// be changed, or returns nil for a draft.
func LockedReason(s *LiveSession) error {
	switch s.Status {
	case LiveDraft:
		return nil
	case LiveEnded:
		return Errorf(ECONFLICT, "This session has ended, so what it asked can no longer change. Copy it to prepare another like it.")
	}
	return Errorf(ECONFLICT, "This session has started, so its activities can no longer change: young people are answering them. Copy it to prepare another like it.")
}

// Copy makes a new draft from an earlier session, dated today: its title
// followed by " (copy)", its purpose, group, premoderation and activities,
// and nothing of how it ran (no code, attendance or results). A group the
// settings no longer have is left out, so that the copy is valid; links to
// themes and questions are kept as they are, and checked when the copy is
// next saved.
func (ls *LiveSessions) Copy(ctx context.Context, id string) (*LiveSession, error) {
	from, err := ls.Find(ctx, id)
	if err != nil {
		return nil, err
	}
	st, err := ls.Settings.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("copy session %q: %w", id, err)
	}
	s := &LiveSession{Status: LiveDraft}
	copyPrepared(s, from)
	s.Title = clipTitle(s.Title, MaxSessionTitle-len([]rune(copySuffix))) + copySuffix
	s.Date = ls.Now().In(ukTime).Format(time.DateOnly)
	if !slices.Contains(st.Groups, s.Group) {
		s.Group = ""
	}
	normalizeSession(s)
	if err := s.Validate(st.Groups); err != nil {
		return nil, fmt.Errorf("copy session %q: %w", id, err)
	}
	if err := ls.store(ctx, s); err != nil {
		return nil, err
	}
	if err := ls.Audit.Record(ctx, AuditSessionCopy, "session "+s.ID, "copy of session "+from.ID+"; "+sessionSummary(s)); err != nil {
		return nil, err
	}
	return s, nil
}

// store gives a new draft its id, revision and times and stores it, within
// MaxLiveSessions.
func (ls *LiveSessions) store(ctx context.Context, s *LiveSession) error {
	all, err := ls.Store.FindLiveSessions(ctx)
	if err != nil {
		return fmt.Errorf("count sessions: %w", err)
	}
	// Two instances creating the last ones at once may pass the limit by
	// one or two; it keeps the list readable, it is not exact.
	if len(all) >= MaxLiveSessions {
		return errLiveSessionsFull
	}
	now := ls.now()
	s.ID, s.Revision, s.Created, s.Updated = ls.newID(), 1, now, now
	if err := ls.Store.CreateLiveSession(ctx, s); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// copyPrepared copies onto s what preparing a session may set, deeply.
func copyPrepared(s, from *LiveSession) {
	s.Title, s.Date, s.Group, s.Purpose, s.Premoderate = from.Title, from.Date, from.Group, from.Purpose, from.Premoderate
	s.Activities = cloneActivities(from.Activities)
}

// check tidies a session, gives ids to activities without one, validates
// it against the settings' groups, and looks up its links to themes and
// survey questions, so that a facilitator hears of every mistake at once.
func (ls *LiveSessions) check(ctx context.Context, s *LiveSession) error {
	normalizeSession(s)
	GiveActivityIDs(s.Activities)
	st, err := ls.Settings.Current(ctx)
	if err != nil {
		return fmt.Errorf("check the session: %w", err)
	}
	errs := fieldErrors{}
	if err := s.Validate(st.Groups); err != nil {
		maps.Copy(errs, ErrorFields(err))
	}
	if len(s.Activities) > MaxActivities {
		// The limit is the mistake; its activities are not looked up.
		return errs.err("The session has mistakes.")
	}
	for i := range s.Activities {
		if err := ls.checkLinks(ctx, &s.Activities[i], fmt.Sprintf("activities.%d", i), errs); err != nil {
			return err
		}
	}
	return errs.err("The session has mistakes.")
}

// checkLinks checks an activity's id and that its themes are in the
// codebook in force and its survey questions exist. Lists longer than
// their limit are not looked up: the limit is the mistake.
func (ls *LiveSessions) checkLinks(ctx context.Context, a *Activity, path string, errs fieldErrors) error {
	if a.ID != "" {
		checkKey(a.ID, path+".id", errs)
	}
	book := ls.Themes.Codebook()
	for i, key := range a.Themes {
		if len(a.Themes) <= MaxActivityLinks && len(key) <= MaxKeyLength && book.Theme(key) == nil {
			errs.add(fmt.Sprintf("%s.themes.%d", path, i), fmt.Sprintf("%q is not a theme of the codebook in use", key))
		}
	}
	if len(a.Questions) > MaxActivityLinks {
		return nil
	}
	found := map[string]*Survey{}
	for i, q := range a.Questions {
		qpath := fmt.Sprintf("%s.questions.%d", path, i)
		if checkKeyMsg(q.Survey) != "" || checkKeyMsg(q.Question) != "" {
			errs.add(qpath, "must be written as survey-slug/question-key, such as cared-for-2026/feel_safe")
			continue
		}
		s, ok := found[q.Survey]
		if !ok {
			var err error
			s, err = ls.Surveys.FindSurvey(ctx, q.Survey)
			switch {
			case ErrorCode(err) == ENOTFOUND:
				s = nil
			case err != nil:
				return fmt.Errorf("check the session's survey questions: %w", err)
			}
			found[q.Survey] = s
		}
		switch {
		case s == nil:
			errs.add(qpath, fmt.Sprintf("there is no survey %q", q.Survey))
		case !hasQuestion(s, q.Question):
			errs.add(qpath, fmt.Sprintf("the survey %q has no question %q", q.Survey, q.Question))
		}
	}
	return nil
}

// normalizeSession trims what a person typed, in place: the session's
// texts, each activity's prompt and list items, and its links, with
// repeated themes and questions kept once.
func normalizeSession(s *LiveSession) {
	s.Title, s.Date, s.Group, s.Purpose = strings.TrimSpace(s.Title), strings.TrimSpace(s.Date), strings.TrimSpace(s.Group), strings.TrimSpace(s.Purpose)
	for i := range s.Activities {
		a := &s.Activities[i]
		a.ID, a.Prompt, a.FromIdeas = strings.TrimSpace(a.ID), strings.TrimSpace(a.Prompt), strings.TrimSpace(a.FromIdeas)
		for _, list := range [][]string{a.Options, a.Statements, a.Columns} {
			for j := range list {
				list[j] = strings.TrimSpace(list[j])
			}
		}
		a.Themes = uniqueTrimmed(a.Themes)
		var qs []ActionQuestion
		for _, q := range a.Questions {
			q = ActionQuestion{Survey: strings.TrimSpace(q.Survey), Question: strings.TrimSpace(q.Question)}
			if !slices.Contains(qs, q) {
				qs = append(qs, q)
			}
		}
		a.Questions = qs
	}
}

// GiveActivityIDs gives each activity without an id one of its own in the
// list: its kind and the first number free, such as "poll-2". Ids that
// activities have are kept, so that moving them changes no id.
func GiveActivityIDs(acts []Activity) {
	taken := map[string]bool{}
	for _, a := range acts {
		taken[a.ID] = true
	}
	for i := range acts {
		if acts[i].ID != "" {
			continue
		}
		stem := string(acts[i].Kind)
		if !acts[i].Kind.Valid() {
			stem = "activity"
		}
		for n := 1; ; n++ {
			id := fmt.Sprintf("%s-%d", stem, n)
			if !taken[id] {
				acts[i].ID, taken[id] = id, true
				break
			}
		}
	}
}

// Clone returns a deep copy of s, so that a caller's changes do not reach
// a store's copy.
func (s *LiveSession) Clone() *LiveSession {
	c := *s
	c.Activities = cloneActivities(s.Activities)
	c.Attendance = maps.Clone(s.Attendance)
	c.Published = slices.Clone(s.Published)
	return &c
}

// cloneActivities copies activities and their lists.
func cloneActivities(acts []Activity) []Activity {
	if acts == nil {
		return nil
	}
	out := make([]Activity, len(acts))
	for i, a := range acts {
		a.Options, a.Statements, a.Columns = slices.Clone(a.Options), slices.Clone(a.Statements), slices.Clone(a.Columns)
		a.Themes, a.Questions = slices.Clone(a.Themes), slices.Clone(a.Questions)
		out[i] = a
	}
	return out
}

// equalActivity reports whether two activities are the same, list by list.
func equalActivity(a, b Activity) bool {
	return a.ID == b.ID && a.Kind == b.Kind && a.Prompt == b.Prompt && a.Multiple == b.Multiple && a.Dots == b.Dots &&
		a.FromIdeas == b.FromIdeas && a.Words == b.Words && slices.Equal(a.Options, b.Options) &&
		slices.Equal(a.Statements, b.Statements) && slices.Equal(a.Columns, b.Columns) &&
		slices.Equal(a.Themes, b.Themes) && slices.Equal(a.Questions, b.Questions)
}

// samePrepared reports whether two sessions say the same as prepared.
func samePrepared(a, b *LiveSession) bool {
	return a.Title == b.Title && a.Date == b.Date && a.Group == b.Group && a.Purpose == b.Purpose &&
		a.Premoderate == b.Premoderate && slices.EqualFunc(a.Activities, b.Activities, equalActivity)
}

// sessionSummary says, for the audit log, what a session is in staff
// terms: its date, group and activities, never what they ask.
func sessionSummary(s *LiveSession) string {
	group := s.Group
	if group == "" {
		group = "no group"
	}
	kinds := make([]string, len(s.Activities))
	for i, a := range s.Activities {
		kinds[i] = string(a.Kind)
	}
	return fmt.Sprintf("%s, %s, %d activities (%s)", s.Date, group, len(s.Activities), strings.Join(kinds, ", "))
}

// sessionChanges names what changed between two versions of a session,
// for the audit log.
func sessionChanges(a, b *LiveSession) string {
	var changed []string
	add := func(differs bool, name string) {
		if differs {
			changed = append(changed, name)
		}
	}
	add(a.Title != b.Title, "title")
	add(a.Date != b.Date, "date "+a.Date+" to "+b.Date)
	add(a.Group != b.Group, "group")
	add(a.Purpose != b.Purpose, "purpose")
	add(a.Premoderate != b.Premoderate, fmt.Sprintf("premoderation %t to %t", a.Premoderate, b.Premoderate))
	add(!slices.EqualFunc(a.Activities, b.Activities, equalActivity),
		fmt.Sprintf("activities (%d to %d)", len(a.Activities), len(b.Activities)))
	return fmt.Sprintf("revision %d to %d; changed: %s", a.Revision, b.Revision, strings.Join(changed, ", "))
}

// clipTitle shortens a title to n characters, so that " (copy)" fits.
func clipTitle(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n]))
}

// now is the time of a change, to the millisecond that storage keeps, so
// that a session reads back as it was returned.
func (ls *LiveSessions) now() time.Time { return ls.Now().UTC().Truncate(time.Millisecond) }

func (ls *LiveSessions) newID() string {
	if ls.NewID != nil {
		return ls.NewID()
	}
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}
