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
	"unicode"
	"unicode/utf8"
)

// Limits on "you said, we did" actions. Each is checked by Validate or the
// Actions service and named in the error a person sees.
const (
	MaxActions         = 500  // actions in all: a council's plan, not a ticket queue
	MaxActionText      = 1000 // characters of what was said, or of what was done, in one language
	MaxActionOwner     = 100  // characters of the owner, a team or role
	MaxActionReason    = 1000 // characters of why an action is not possible
	MaxActionThemes    = 10   // themes one action is linked to
	MaxActionSurveys   = 10   // surveys one action is linked to
	MaxActionQuestions = 30   // survey questions one action answers
	MaxActionSessions  = 20   // MADE sessions one action is linked to
	MaxActionHistory   = 100  // changes kept on one action; the audit log keeps every one
	MaxActionIDLength  = 64   // bytes of an id looked up; longer ones are not ours
	MinActionYear      = 2000 // the earliest year a due date may be in
	MaxActionYear      = 2100 // the latest
)

// ActionStatus is where an action is: planned, being done, done, or found
// not to be possible (with a reason).
type ActionStatus string

// Statuses of an action.
const (
	ActionPlanned     ActionStatus = "planned"
	ActionInProgress  ActionStatus = "in_progress"
	ActionDone        ActionStatus = "done"
	ActionNotPossible ActionStatus = "not_possible"
)

// ActionStatuses lists every status, in the order forms offer them.
var ActionStatuses = []ActionStatus{ActionPlanned, ActionInProgress, ActionDone, ActionNotPossible}

// Valid reports whether s is one of ActionStatuses.
func (s ActionStatus) Valid() bool { return slices.Contains(ActionStatuses, s) }

// Action is one line of the council's "you said, we did" plan: what young
// people said, what was done (or will be) about it, by whom and by when.
// It is written by staff: it never holds a young person's own words, only
// a summary of what many said.
type Action struct {
	ID   string
	Said Text // what young people said, a summary; English required
	Did  Text // what was done or will be done; English required
	// Owner is a team or role ("Participation team", "Head of the
	// Virtual School"), never a private person's name: the plan is
	// published.
	Owner     string
	Due       string // "2006-01-02", or "" for no date
	Status    ActionStatus
	Reason    string           // why it is not possible: required for ActionNotPossible, else empty
	Themes    []string         // theme keys of the codebook
	Surveys   []string         // survey slugs; every survey of Questions is among them
	Questions []ActionQuestion // the survey questions the action answers
	Sessions  []string         // MADE session ids, once sessions exist
	Publish   bool             // shown on the public "you said, we did" page
	// History has one entry per saved change, creation first, oldest
	// first; past MaxActionHistory the oldest changes after creation are
	// dropped.
	History  []ActionChange
	Revision int // goes up with each save, so that two people cannot overwrite each other
	Created  time.Time
	Updated  time.Time
}

// ActionQuestion names a question of a survey by its stable key.
type ActionQuestion struct {
	Survey   string
	Question string
}

// ActionChange is when an action was created or changed, by whom, and its
// status after the change.
type ActionChange struct {
	At     time.Time
	Status ActionStatus
	By     string // the member of staff's email, or an actor such as ActorCommandLine
}

// Closed reports whether nothing more will be done: done, or not possible.
func (a *Action) Closed() bool { return a.Status == ActionDone || a.Status == ActionNotPossible }

// Clone returns a deep copy of a, so that a caller's changes do not reach
// a store's or a cache's copy.
func (a *Action) Clone() *Action {
	c := *a
	c.Said, c.Did = maps.Clone(a.Said), maps.Clone(a.Did)
	c.Themes, c.Surveys, c.Sessions = slices.Clone(a.Themes), slices.Clone(a.Surveys), slices.Clone(a.Sessions)
	c.Questions, c.History = slices.Clone(a.Questions), slices.Clone(a.History)
	return &c
}

// Normalize tidies what a person typed, in place: spaces trimmed, empty
// translations dropped, repeated themes, surveys, questions and sessions
// kept once, and the survey of each question added to Surveys.
func (a *Action) Normalize() {
	a.Said, a.Did = trimText(a.Said), trimText(a.Did)
	a.Owner, a.Due, a.Reason = strings.TrimSpace(a.Owner), strings.TrimSpace(a.Due), strings.TrimSpace(a.Reason)
	a.Themes, a.Sessions = uniqueTrimmed(a.Themes), uniqueTrimmed(a.Sessions)
	var qs []ActionQuestion
	for _, q := range a.Questions {
		q = ActionQuestion{Survey: strings.TrimSpace(q.Survey), Question: strings.TrimSpace(q.Question)}
		if !slices.Contains(qs, q) {
			qs = append(qs, q)
		}
	}
	a.Questions = qs
	surveys := slices.Clone(a.Surveys)
	for _, q := range qs {
		surveys = append(surveys, q.Survey)
	}
	a.Surveys = uniqueTrimmed(surveys)
}

// trimText trims each language's words and drops empty translations; an
// empty English is kept, so that Validate names it.
func trimText(t Text) Text {
	if t == nil {
		return nil
	}
	out := Text{}
	for lang, s := range t {
		if s = strings.TrimSpace(s); s != "" || lang == DefaultLanguage {
			out[lang] = s
		}
	}
	return out
}

// uniqueTrimmed trims each item and keeps the first of each, in order,
// without empty ones.
func uniqueTrimmed(items []string) []string {
	var out []string
	for _, s := range items {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Validate checks what an action says on its own, naming each field that
// is wrong. Whether its themes, surveys and questions exist is checked by
// Actions, which can look them up.
func (a *Action) Validate() error {
	errs := fieldErrors{}
	checkText(a.Said, "said", MaxActionText, true, errs)
	checkText(a.Did, "did", MaxActionText, true, errs)
	if msg := checkOwner(a.Owner); msg != "" {
		errs.add("owner", msg)
	}
	if msg := checkDue(a.Due); msg != "" {
		errs.add("due", msg)
	}
	switch {
	case !a.Status.Valid():
		errs.add("status", "must be planned, in_progress, done or not_possible")
	case a.Status == ActionNotPossible && a.Reason == "":
		errs.add("reason", "is needed when the action is not possible: say why, so that young people know")
	case a.Status != ActionNotPossible && a.Reason != "":
		errs.add("reason", "must be empty unless the action is not possible: clear it")
	}
	if utf8.RuneCountInString(a.Reason) > MaxActionReason {
		errs.add("reason", fmt.Sprintf("must be at most %d characters", MaxActionReason))
	}
	checkKeys(a.Themes, "themes", "themes", MaxActionThemes, errs)
	checkKeys(a.Surveys, "surveys", "surveys", MaxActionSurveys, errs)
	checkKeys(a.Sessions, "sessions", "sessions", MaxActionSessions, errs)
	if len(a.Questions) > MaxActionQuestions {
		errs.add("questions", fmt.Sprintf("has %d questions; the most is %d", len(a.Questions), MaxActionQuestions))
	}
	for i, q := range a.Questions {
		path := fmt.Sprintf("questions[%d]", i)
		checkKey(q.Survey, path+".survey", errs)
		checkKey(q.Question, path+".question", errs)
	}
	return errs.err("Some parts of the action need changing before it can be saved.")
}

// checkOwner returns what is wrong with an action's owner, or "".
func checkOwner(owner string) string {
	switch {
	case owner == "":
		return "is needed: name the team or role that does it"
	case utf8.RuneCountInString(owner) > MaxActionOwner:
		return fmt.Sprintf("must be at most %d characters", MaxActionOwner)
	case strings.ContainsFunc(owner, unicode.IsControl):
		return "must be one line"
	case strings.Contains(owner, "@"):
		// The page is public: an email address names a person.
		return "must be a team or role, such as \"Participation team\", not an email address"
	}
	return ""
}

// checkDue returns what is wrong with a due date, or "".
func checkDue(due string) string {
	if due == "" {
		return ""
	}
	d, err := time.Parse(time.DateOnly, due)
	if err != nil {
		return "must be a date written as year-month-day, such as 2027-03-31"
	}
	if d.Year() < MinActionYear || d.Year() > MaxActionYear {
		return fmt.Sprintf("must be a date from %d to %d", MinActionYear, MaxActionYear)
	}
	return ""
}

// checkKeys checks a list of keys and its length.
func checkKeys(keys []string, path, what string, most int, errs fieldErrors) {
	if len(keys) > most {
		errs.add(path, fmt.Sprintf("has %d %s; the most is %d", len(keys), what, most))
	}
	for i, k := range keys {
		checkKey(k, fmt.Sprintf("%s[%d]", path, i), errs)
	}
}

// ActionFilter selects actions; a zero field matches all.
type ActionFilter struct {
	Survey    string // linked to this survey
	Theme     string // linked to this theme
	Published bool   // only those marked for the public page
}

// matches reports whether a passes the filter.
func (f ActionFilter) matches(a *Action) bool {
	return (f.Survey == "" || slices.Contains(a.Surveys, f.Survey)) &&
		(f.Theme == "" || slices.Contains(a.Themes, f.Theme)) &&
		(!f.Published || a.Publish)
}

// ActionStore keeps actions. The collection is small (MaxActions), so it
// is read whole.
type ActionStore interface {
	// CreateAction stores a new action; ECONFLICT when its id is taken.
	CreateAction(ctx context.Context, a *Action) error
	// FindAction returns the action with the id, or ENOTFOUND.
	FindAction(ctx context.Context, id string) (*Action, error)
	// FindActions returns every action, in no particular order.
	FindActions(ctx context.Context) ([]*Action, error)
	// UpdateAction replaces the action with the id by a if it is still at
	// revision, and returns it as stored, at revision+1. It fails with
	// ENOTFOUND when there is no such action and with ECONFLICT when
	// someone else saved it since that revision.
	UpdateAction(ctx context.Context, id string, revision int, a *Action) (*Action, error)
}

// Actions is the "you said, we did" plan: analysts and admins write it,
// the board reads it, and young people see what is published.
type Actions struct {
	Store ActionStore
	Audit *AuditLog
	Now   func() time.Time
	// Surveys and Themes are looked up to check an action's surveys,
	// questions and themes when it is saved, and a filter's.
	Surveys SurveyStore
	Themes  *Themes
	// NewID makes an action's id; nil makes 64 random bits in hex.
	NewID func() string
}

// List returns the actions that pass the filter: first those still to do
// (planned or in progress), then those done, then those not possible;
// within each, by due date (undated last), then by when they were
// created, then by id, so that the order is the same on every read.
func (as *Actions) List(ctx context.Context, f ActionFilter) ([]*Action, error) {
	all, err := as.Store.FindActions(ctx)
	if err != nil {
		return nil, fmt.Errorf("list actions: %w", err)
	}
	var out []*Action
	for _, a := range all {
		if f.matches(a) {
			out = append(out, a)
		}
	}
	SortActions(out)
	return out, nil
}

// SortActions puts actions in the order List returns them.
func SortActions(list []*Action) {
	slices.SortStableFunc(list, func(a, b *Action) int {
		return cmp.Or(
			cmp.Compare(actionRank(a.Status), actionRank(b.Status)),
			compareDue(a.Due, b.Due),
			a.Created.Compare(b.Created),
			cmp.Compare(a.ID, b.ID),
		)
	})
}

// actionRank orders the statuses: still to do, done, not possible.
func actionRank(s ActionStatus) int {
	switch s {
	case ActionPlanned, ActionInProgress:
		return 0
	case ActionDone:
		return 1
	}
	return 2
}

// compareDue orders due dates, earliest first, with no date last. Dates
// written as year-month-day sort as strings.
func compareDue(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	return strings.Compare(a, b)
}

// CheckFilter fails with EINVALID, naming the field, when a filter names
// a survey or theme Heard does not know.
func (as *Actions) CheckFilter(ctx context.Context, f ActionFilter) error {
	errs := fieldErrors{}
	if f.Survey != "" {
		switch _, err := as.Surveys.FindSurvey(ctx, f.Survey); {
		case ErrorCode(err) == ENOTFOUND:
			errs.add("survey", fmt.Sprintf("there is no survey %q", f.Survey))
		case err != nil:
			return fmt.Errorf("check the actions' filter: %w", err)
		}
	}
	if f.Theme != "" && as.Themes.Codebook().Theme(f.Theme) == nil {
		errs.add("theme", fmt.Sprintf("%q is not a theme of the codebook", f.Theme))
	}
	return errs.err("Heard does not know what to show you actions for.")
}

// Find returns the action with the id, or ENOTFOUND.
func (as *Actions) Find(ctx context.Context, id string) (*Action, error) {
	if id == "" || len(id) > MaxActionIDLength {
		return nil, errNoAction
	}
	a, err := as.Store.FindAction(ctx, id)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil, errNoAction
	case err != nil:
		return nil, fmt.Errorf("find action %q: %w", id, err)
	}
	return a, nil
}

var errNoAction = Errorf(ENOTFOUND, "There is no such action. It may have been typed wrongly in the address.")

// errActionConflict is the answer to a save made from an old revision.
var errActionConflict = Errorf(ECONFLICT, "Someone else saved this action after you opened it, so your changes were not saved. Their version is shown now; make your changes again.")

// Create checks and stores a new action, planned or otherwise, with its
// creation as the first entry of its history, and records it in the
// audit log. The id, history, revision and times of in are ignored.
func (as *Actions) Create(ctx context.Context, in *Action) (*Action, error) {
	a := in.Clone()
	if err := as.check(ctx, a); err != nil {
		return nil, err
	}
	all, err := as.Store.FindActions(ctx)
	if err != nil {
		return nil, fmt.Errorf("count actions: %w", err)
	}
	// Two instances creating the last ones at once may pass MaxActions by
	// one or two; the limit is there to keep pages and reports readable,
	// not exact.
	if len(all) >= MaxActions {
		return nil, Errorf(ECONFLICT, "Heard keeps at most %d actions. Mark some as done or not possible and publish fewer, or ask an admin.", MaxActions)
	}
	now := as.now()
	a.ID, a.Revision, a.Created, a.Updated = as.newID(), 1, now, now
	a.History = []ActionChange{{At: now, Status: a.Status, By: actorOf(ctx)}}
	if err := as.Store.CreateAction(ctx, a); err != nil {
		return nil, fmt.Errorf("create action: %w", err)
	}
	if err := as.Audit.Record(ctx, AuditActionCreate, "action "+a.ID, actionSummary(a)); err != nil {
		return nil, err
	}
	return a, nil
}

// Update replaces the action with the id by in, made from the revision the
// editor saw, adds the change to its history and records it in the audit
// log. A save that changes nothing stores nothing. Someone else's save in
// between is ECONFLICT, and nothing changes.
func (as *Actions) Update(ctx context.Context, id string, revision int, in *Action) (*Action, error) {
	current, err := as.Find(ctx, id)
	if err != nil {
		return nil, err
	}
	next := in.Clone()
	if err := as.check(ctx, next); err != nil {
		return nil, err
	}
	if current.Revision != revision {
		return nil, errActionConflict
	}
	if sameAction(current, next) {
		return current, nil
	}
	now := as.now()
	next.ID, next.Revision, next.Created, next.Updated = current.ID, current.Revision, current.Created, now
	next.History = keepHistory(append(slices.Clone(current.History), ActionChange{At: now, Status: next.Status, By: actorOf(ctx)}))
	saved, err := as.Store.UpdateAction(ctx, id, revision, next)
	switch {
	case ErrorCode(err) == ECONFLICT:
		return nil, errActionConflict
	case ErrorCode(err) == ENOTFOUND:
		return nil, errNoAction
	case err != nil:
		return nil, fmt.Errorf("update action %q: %w", id, err)
	}
	if err := as.Audit.Record(ctx, AuditActionUpdate, "action "+id, actionChanges(current, saved)); err != nil {
		return nil, err
	}
	return saved, nil
}

// check tidies and validates an action, then looks up its themes, surveys
// and questions, so that a person hears of every mistake at once. Lists
// longer than their limit are not looked up: the limit is the mistake.
func (as *Actions) check(ctx context.Context, a *Action) error {
	a.Normalize()
	errs := fieldErrors{}
	if err := a.Validate(); err != nil {
		maps.Copy(errs, ErrorFields(err))
	}
	book := as.Themes.Codebook()
	for i, key := range a.Themes {
		if book.Theme(key) == nil && len(a.Themes) <= MaxActionThemes {
			errs.add(fmt.Sprintf("themes[%d]", i), fmt.Sprintf("%q is not a theme of the codebook in use", key))
		}
	}
	found := map[string]*Survey{}
	for i, slug := range a.Surveys {
		if len(a.Surveys) > MaxActionSurveys {
			break
		}
		if checkKeyMsg(slug) != "" {
			continue
		}
		s, err := as.Surveys.FindSurvey(ctx, slug)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			errs.add(fmt.Sprintf("surveys[%d]", i), fmt.Sprintf("there is no survey %q", slug))
		case err != nil:
			return fmt.Errorf("check the action's surveys: %w", err)
		default:
			found[slug] = s
		}
	}
	for i, q := range a.Questions {
		if s := found[q.Survey]; s != nil && !hasQuestion(s, q.Question) {
			errs.add(fmt.Sprintf("questions[%d]", i), fmt.Sprintf("the survey %q has no question %q", q.Survey, q.Question))
		}
	}
	return errs.err("Some parts of the action need changing before it can be saved.")
}

// checkKeyMsg returns what is wrong with a key, or "".
func checkKeyMsg(key string) string {
	errs := fieldErrors{}
	checkKey(key, "key", errs)
	return errs["key"]
}

// hasQuestion reports whether any version of s asks the question.
func hasQuestion(s *Survey, key string) bool {
	for _, v := range s.Versions {
		for _, q := range v.Questions {
			if q.Key == key {
				return true
			}
		}
	}
	return false
}

// keepHistory drops the oldest changes after creation once there are more
// than MaxActionHistory, so that an action's document stays small.
func keepHistory(h []ActionChange) []ActionChange {
	if len(h) <= MaxActionHistory {
		return h
	}
	return append(h[:1:1], h[len(h)-MaxActionHistory+1:]...)
}

// sameAction reports whether two actions say the same, leaving out their
// id, history, revision and times.
func sameAction(a, b *Action) bool {
	return maps.Equal(a.Said, b.Said) && maps.Equal(a.Did, b.Did) && a.Owner == b.Owner && a.Due == b.Due &&
		a.Status == b.Status && a.Reason == b.Reason && a.Publish == b.Publish &&
		slices.Equal(a.Themes, b.Themes) && slices.Equal(a.Surveys, b.Surveys) &&
		slices.Equal(a.Questions, b.Questions) && slices.Equal(a.Sessions, b.Sessions)
}

// actionSummary says, for the audit log, the status and whether an action
// is published; never its words, which may retell what young people said.
func actionSummary(a *Action) string {
	pub := "not published"
	if a.Publish {
		pub = "published"
	}
	return fmt.Sprintf("status %s, %s", a.Status, pub)
}

// actionChanges names what changed between two versions of an action, for
// the audit log.
func actionChanges(a, b *Action) string {
	var changed []string
	add := func(differs bool, name string) {
		if differs {
			changed = append(changed, name)
		}
	}
	if a.Status != b.Status {
		changed = append(changed, fmt.Sprintf("status %s to %s", a.Status, b.Status))
	}
	add(!a.Publish && b.Publish, "published")
	add(a.Publish && !b.Publish, "unpublished")
	add(!maps.Equal(a.Said, b.Said), "what was said")
	add(!maps.Equal(a.Did, b.Did), "what was done")
	add(a.Owner != b.Owner, "owner")
	add(a.Due != b.Due, "due date")
	add(a.Reason != b.Reason, "reason")
	add(!slices.Equal(a.Themes, b.Themes), "themes")
	add(!slices.Equal(a.Surveys, b.Surveys) || !slices.Equal(a.Questions, b.Questions), "surveys and questions")
	add(!slices.Equal(a.Sessions, b.Sessions), "sessions")
	return fmt.Sprintf("revision %d to %d; changed: %s", a.Revision, b.Revision, strings.Join(changed, ", "))
}

// now is the time of a change, to the millisecond that storage keeps, so
// that an action reads back as it was returned.
func (as *Actions) now() time.Time { return as.Now().UTC().Truncate(time.Millisecond) }

func (as *Actions) newID() string {
	if as.NewID != nil {
		return as.NewID()
	}
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}
