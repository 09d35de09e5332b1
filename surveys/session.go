package surveys

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// MADE sessions: a facilitator prepares a list of activities, runs them
// live with a room of young people on their phones and a projector, and
// the results join the themes and reports of the surveys. This file is
// the session as it is prepared: what it is, its activities and the
// checks on them. Running it comes on top.

// Limits on a session as prepared. Each is checked by Validate and named in
// the error a facilitator sees.
const (
	MaxSessionTitle    = 200  // characters of a title
	MaxSessionPurpose  = 1000 // characters of the purpose
	MaxActivities      = 30   // activities in one session
	MaxPrompt          = 500  // characters of an activity's prompt or a statement
	MaxActivityOptions = 12   // options of a poll or a dot vote
	MaxOptionText      = 120  // characters of an option or an idea board's column
	MaxStatements      = 20   // statements rated in one activity
	MaxIdeaColumns     = 4    // columns of an idea board
	MaxDots            = 10   // dots each young person shares out
	MaxCloudWords      = 3    // words each young person gives a word cloud
	MaxAnswerLength    = 500  // characters of an answer to an open question
	MaxActivityLinks   = 10   // themes, and survey questions, one activity is linked to
	JoinCodeLength     = 6    // characters of a join code
)

// ActivityKind is what young people do in an activity.
type ActivityKind string

// Kinds of activity.
const (
	ActivityPoll     ActivityKind = "poll"     // choose one option, or several
	ActivityRating   ActivityKind = "rating"   // rate each statement on faces
	ActivityIdeas    ActivityKind = "ideas"    // post short ideas, and like others'
	ActivityDots     ActivityKind = "dots"     // share dots among options or an earlier board's ideas
	ActivityWords    ActivityKind = "words"    // a few words each, for a word cloud
	ActivityQuestion ActivityKind = "question" // a short free-text answer
)

// ActivityKinds lists every kind, in the order a facilitator is offered them.
var ActivityKinds = []ActivityKind{ActivityPoll, ActivityRating, ActivityIdeas, ActivityDots, ActivityWords, ActivityQuestion}

// Valid reports whether k is one of ActivityKinds.
func (k ActivityKind) Valid() bool { return slices.Contains(ActivityKinds, k) }

// Name is the kind as facilitators say it: "Idea board".
func (k ActivityKind) Name() string { return activityKindNames[k] }

var activityKindNames = map[ActivityKind]string{
	ActivityPoll:     "Poll",
	ActivityRating:   "Emoji rating",
	ActivityIdeas:    "Idea board",
	ActivityDots:     "Dot vote",
	ActivityWords:    "Word cloud",
	ActivityQuestion: "Open question",
}

// Activity is one thing a session does. It is one flat struct: the fields
// that do not belong to its kind must be left empty.
type Activity struct {
	ID     string       // unique in the session; kept when activities move
	Kind   ActivityKind //
	Prompt string       // the question or instruction, as the room sees it

	Options  []string // poll, and dots among options
	Multiple bool     // poll: several options may be chosen

	Statements []string // rating: each rated on faces (a Children's Charter promise, say)

	Columns []string // ideas: optional columns such as "What's good" and "What should change"

	Dots      int    // dots: how many each young person shares out
	FromIdeas string // dots: the ID of an earlier idea board whose ideas are voted on, instead of Options

	Words int // words: how many each young person may give, 1 to MaxCloudWords

	// Themes and Questions link the activity's results to the codebook and
	// to survey questions, so that they sit beside the survey's in reports.
	Themes    []string
	Questions []ActionQuestion
}

// LiveStatus is where a session is in its life.
type LiveStatus string

// Statuses of a session.
const (
	LiveDraft   LiveStatus = "draft" // being prepared
	LiveRunning LiveStatus = "live"  // young people can join
	LiveEnded   LiveStatus = "ended" // locked; its results are final
)

// LiveSession is a MADE session as prepared. (Session is a member of
// staff's signed-in session.)
type LiveSession struct {
	ID      string
	Title   string
	Date    string // "2006-01-02"
	Group   string // one of the settings' MADE groups
	Purpose string
	// Premoderate holds every post for the facilitator's approval before
	// the projector shows it; otherwise posts go straight to the screen
	// unless a filter holds them.
	Premoderate bool
	Activities  []Activity
	Status      LiveStatus

	// Set when the session starts.
	Code       string // the join code the room types; kept after the end, so an old link says so
	PresentKey string // the secret in the projector's link

	// Attendance is how many young people came, by age band (one of
	// AttendanceBands): numbers only, never names.
	Attendance map[string]int
	// Published lists the activities whose results young people see on
	// "you said, we did" once the session has ended.
	Published []string

	Revision int
	Created  time.Time
	Updated  time.Time
	Started  time.Time // zero until it starts
	Ended    time.Time // zero until it ends
}

// AttendanceBands are the age bands attendance is counted in. MADE groups
// are 8 to 21; "not known" is for a young person who did not say.
var AttendanceBands = []string{"8-11", "12-15", "16-18", "19-21", "not known"}

// MaxAttendance is the most young people one band may count: more than any
// room holds, so that a slip of the keyboard is caught.
const MaxAttendance = 500

// LiveSessionStore keeps MADE sessions and their join codes.
type LiveSessionStore interface {
	// CreateLiveSession stores a new session; ECONFLICT when its id is
	// taken.
	CreateLiveSession(ctx context.Context, s *LiveSession) error
	// FindLiveSession returns the session with the id, or ENOTFOUND.
	FindLiveSession(ctx context.Context, id string) (*LiveSession, error)
	// FindLiveSessions returns every session, newest date first, then by
	// title.
	FindLiveSessions(ctx context.Context) ([]*LiveSession, error)
	// UpdateLiveSession replaces the session with the id by s if it is
	// still at revision, and returns it as stored, at revision+1; ENOTFOUND
	// when there is none, ECONFLICT when someone saved it since.
	UpdateLiveSession(ctx context.Context, id string, revision int, s *LiveSession) (*LiveSession, error)
	// ClaimJoinCode records that code leads to the session; ECONFLICT
	// when another session has it. A code is never given twice, so that
	// an old link cannot lead into a newer session.
	ClaimJoinCode(ctx context.Context, code, sessionID string) error
	// FindJoinCode returns the id of the session with the join code, or
	// ENOTFOUND.
	FindJoinCode(ctx context.Context, code string) (string, error)
}

// Activity returns the activity with the id, or nil.
func (s *LiveSession) Activity(id string) *Activity {
	for i := range s.Activities {
		if s.Activities[i].ID == id {
			return &s.Activities[i]
		}
	}
	return nil
}

// Validate checks a session as prepared, against the settings' MADE groups,
// and names each field that is wrong, as "activities.2.options" and the
// like for an activity's.
func (s *LiveSession) Validate(groups []string) error {
	errs := fieldErrors{}
	checkLength(errs, "title", s.Title, true, MaxSessionTitle)
	checkLength(errs, "purpose", s.Purpose, false, MaxSessionPurpose)
	if _, err := time.Parse(time.DateOnly, s.Date); err != nil {
		errs.add("date", "must be a date such as 2026-11-23")
	}
	if s.Group != "" && !slices.Contains(groups, s.Group) {
		errs.add("group", "must be one of the MADE groups in the settings")
	}
	if len(s.Activities) > MaxActivities {
		errs.add("activities", fmt.Sprintf("a session can have at most %d activities", MaxActivities))
	}
	seen := map[string]bool{}
	for i := range s.Activities {
		a := &s.Activities[i]
		path := fmt.Sprintf("activities.%d", i)
		if a.ID == "" || seen[a.ID] {
			errs.add(path, "needs an id of its own")
		}
		seen[a.ID] = true
		a.validate(path, s.Activities[:i], errs)
	}
	return errs.err("The session has mistakes.")
}

// validate checks one activity; earlier are the activities before it,
// which a dot vote may take its ideas from.
func (a *Activity) validate(path string, earlier []Activity, errs fieldErrors) {
	if !a.Kind.Valid() {
		errs.add(path+".kind", "must be poll, rating, ideas, dots, words or question")
		return
	}
	checkLength(errs, path+".prompt", a.Prompt, true, MaxPrompt)
	checkList(errs, path+".themes", a.Themes, 0, MaxActivityLinks, MaxKeyLength)
	if len(a.Questions) > MaxActivityLinks {
		errs.add(path+".questions", fmt.Sprintf("at most %d questions", MaxActivityLinks))
	}
	unused := map[string]bool{
		"options": len(a.Options) > 0, "multiple": a.Multiple, "statements": len(a.Statements) > 0,
		"columns": len(a.Columns) > 0, "dots": a.Dots != 0, "from_ideas": a.FromIdeas != "", "words": a.Words != 0,
	}
	use := func(field string) { delete(unused, field) }
	switch a.Kind {
	case ActivityPoll:
		use("options")
		use("multiple")
		checkList(errs, path+".options", a.Options, 2, MaxActivityOptions, MaxOptionText)
	case ActivityRating:
		use("statements")
		checkList(errs, path+".statements", a.Statements, 1, MaxStatements, MaxPrompt)
	case ActivityIdeas:
		use("columns")
		checkList(errs, path+".columns", a.Columns, 0, MaxIdeaColumns, MaxOptionText)
	case ActivityDots:
		use("dots")
		a.validateDots(path, earlier, errs, use)
	case ActivityWords:
		use("words")
		if a.Words < 1 || a.Words > MaxCloudWords {
			errs.add(path+".words", fmt.Sprintf("must be from 1 to %d", MaxCloudWords))
		}
	}
	for field, set := range unused {
		if set {
			errs.add(path+"."+field, fmt.Sprintf("is not used by a %s activity; leave it out", a.Kind))
		}
	}
}

// validateDots checks a dot vote: its dots, and either its own options or
// an earlier idea board, not both.
func (a *Activity) validateDots(path string, earlier []Activity, errs fieldErrors, use func(string)) {
	if a.Dots < 1 || a.Dots > MaxDots {
		errs.add(path+".dots", fmt.Sprintf("must be from 1 to %d", MaxDots))
	}
	if a.FromIdeas == "" {
		use("options")
		checkList(errs, path+".options", a.Options, 2, MaxActivityOptions, MaxOptionText)
		return
	}
	use("from_ideas")
	i := slices.IndexFunc(earlier, func(e Activity) bool { return e.ID == a.FromIdeas })
	if i < 0 || earlier[i].Kind != ActivityIdeas {
		errs.add(path+".from_ideas", "must be an idea board that comes before this activity")
	}
}

// checkLength checks that a text is there, if required, and its length
// in characters.
func checkLength(errs fieldErrors, field, text string, required bool, most int) {
	n := utf8.RuneCountInString(strings.TrimSpace(text))
	switch {
	case n == 0 && required:
		errs.add(field, "is required")
	case n > most:
		errs.add(field, fmt.Sprintf("must be at most %d characters", most))
	}
}

// checkList checks the number of items of a list, and each item's length.
func checkList(errs fieldErrors, field string, items []string, least, most, length int) {
	switch {
	case len(items) < least:
		errs.add(field, fmt.Sprintf("needs at least %d", least))
	case len(items) > most:
		errs.add(field, fmt.Sprintf("can have at most %d", most))
	}
	seen := map[string]bool{}
	for i, it := range items {
		key := strings.ToLower(strings.TrimSpace(it))
		switch {
		case key == "":
			errs.add(fmt.Sprintf("%s.%d", field, i), "is empty")
		case utf8.RuneCountInString(it) > length:
			errs.add(fmt.Sprintf("%s.%d", field, i), fmt.Sprintf("must be at most %d characters", length))
		case seen[key]:
			errs.add(fmt.Sprintf("%s.%d", field, i), "is there twice")
		}
		seen[key] = true
	}
}

// NewJoinCode makes a session's join code: JoinCodeLength characters of
// CodeAlphabet, which leaves out the characters easily confused, so that
// a room can read it off a projector and type it on a phone. About 7 x
// 10^8 codes: enough that live sessions at once do not meet, though the
// code is not a secret (the room sees it), only a way in.
func NewJoinCode() string {
	out := make([]byte, 0, JoinCodeLength)
	var buf [16]byte
	for len(out) < JoinCodeLength {
		_, _ = rand.Read(buf[:]) // never fails (crypto/rand)
		out = appendAlphabet(out, buf[:], JoinCodeLength)
	}
	return string(out)
}

// NormalizeJoinCode reads a join code as typed (any case, with spaces or
// dashes), and reports whether it is one.
func NormalizeJoinCode(typed string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(typed) {
		switch {
		case r == ' ' || r == '-':
		case strings.ContainsRune(CodeAlphabet, r) && b.Len() < JoinCodeLength:
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	return b.String(), b.Len() == JoinCodeLength
}

// LundyCheck is the activity that can close a session: did young people
// feel listened to? (The Lundy model's "influence" starts with being
// heard.)
func LundyCheck(id string) Activity {
	return Activity{ID: id, Kind: ActivityRating, Prompt: "Before you go",
		Statements: []string{"Did you feel listened to today?"}}
}

// SessionTemplates are activities MADE groups use often, to start from.
func SessionTemplates() []Activity {
	return []Activity{
		{ID: "charter", Kind: ActivityRating, Prompt: "How well do we keep our promises to you?", Statements: []string{
			"We will help you to have a say in decisions about your life.",
			"We will make sure you have a worker you can trust.",
			"We will help you to stay in touch with the people who matter to you.",
			"We will give you a safe and stable home.",
			"We will help you to do well at school or college.",
		}},
		{ID: "good-change", Kind: ActivityIdeas, Prompt: "Tell us about being in care", Columns: []string{"What's good", "What should change"}},
		{ID: "priorities", Kind: ActivityDots, Prompt: "Which ideas matter most? Share out your dots.", Dots: 3, FromIdeas: "good-change"},
		{ID: "one-word", Kind: ActivityWords, Prompt: "One word for how being in care feels", Words: 1},
		LundyCheck("lundy"),
	}
}
