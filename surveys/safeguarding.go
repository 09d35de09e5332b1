package surveys

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Limits on what a safeguarding lead records.
const (
	MaxFlagNoteLen    = 2000 // characters of a decision's note
	MaxFlagServiceLen = 120  // characters of the service a flag was passed to
	MaxFlagDecisions  = 50   // decisions on one flag
)

// FlagOutcome is what a safeguarding lead did about a flag.
type FlagOutcome string

// Outcomes.
const (
	OutcomeNoConcern FlagOutcome = "no_concern" // reviewed: no concern
	OutcomeReferred  FlagOutcome = "referred"   // referred to children's social care
	OutcomePassedOn  FlagOutcome = "passed_on"  // passed to a named service
)

// FlagOutcomes lists the outcomes in the order the form offers them.
var FlagOutcomes = []FlagOutcome{OutcomeNoConcern, OutcomeReferred, OutcomePassedOn}

// Valid reports whether o is an outcome Heard knows.
func (o FlagOutcome) Valid() bool {
	return o == OutcomeNoConcern || o == OutcomeReferred || o == OutcomePassedOn
}

// Flag is a voice the safeguarding detector raised for a safeguarding lead:
// the words, what the source knows of where they came from, and what was
// done. No one deletes a flag through the app; retention does, a set time
// after a lead decided on it (retention_run.go).
type Flag struct {
	ID        string // the voice's id: one flag per voice
	Channel   Channel
	Source    VoiceSource
	Text      string
	Lang      string
	Day       string
	AgeBand   string
	Area      string
	Kinds     []RiskKind
	Evidence  []string
	Decisions []FlagDecision // oldest first
	Alert     AlertState
}

// Reviewed reports whether a lead has recorded a decision.
func (f *Flag) Reviewed() bool { return len(f.Decisions) > 0 }

// Latest returns the latest decision, or nil.
func (f *Flag) Latest() *FlagDecision {
	if len(f.Decisions) == 0 {
		return nil
	}
	return &f.Decisions[len(f.Decisions)-1]
}

// FlagDecision is one thing a lead recorded about a flag.
type FlagDecision struct {
	Outcome FlagOutcome
	Service string // the service it was passed to, for OutcomePassedOn
	Note    string
	By      string
	At      time.Time
}

// AlertState is how telling the safeguarding leads about a new flag went.
type AlertState struct {
	Sent      bool
	Attempts  int
	LastError string    // the last failure, in words, for the queue page
	NextTry   time.Time // when to try again; zero: at once
	SentAt    time.Time
}

// FlagOf makes the flag for a voice the detector raised.
func FlagOf(v *Voice) *Flag {
	return &Flag{ID: v.ID, Channel: v.Channel, Source: v.Source, Text: v.Text, Lang: v.Lang, Day: v.Day,
		AgeBand: v.AgeBand, Area: v.Area, Kinds: v.Machine.Risk.Kinds, Evidence: v.Machine.Risk.Evidence}
}

// FlagFilter selects flags.
type FlagFilter struct {
	Unreviewed bool
	Limit      int // 0: no limit
}

// FlagStore keeps safeguarding flags. Flags raised by survey answers are
// stored with their responses by the ResponseStore.
type FlagStore interface {
	// FindFlag returns the flag with the id, or ENOTFOUND.
	FindFlag(ctx context.Context, id string) (*Flag, error)
	// FindFlags returns the flags matching f, newest day first.
	FindFlags(ctx context.Context, f FlagFilter) ([]*Flag, error)
	// CountUnreviewed counts the flags no lead has reviewed.
	CountUnreviewed(ctx context.Context) (int, error)
	// AddDecision appends a decision to the flag and returns the flag as
	// it now is, or ENOTFOUND.
	AddDecision(ctx context.Context, id string, d FlagDecision) (*Flag, error)
	// FlagsToAlert returns the flags whose alert is unsent and due at now.
	FlagsToAlert(ctx context.Context, now time.Time) ([]*Flag, error)
	// ClaimAlert claims the next attempt at a flag's alert and reports
	// whether this call did: of several instances, the one that claims an
	// attempt sends it. A claim lasts AlertLease from at; after that the
	// attempt may be claimed again (its claimer may have stopped).
	ClaimAlert(ctx context.Context, id string, attempt int, at time.Time) (bool, error)
	// SetAlert records how an alert went.
	SetAlert(ctx context.Context, id string, a AlertState) error
}

// Safeguarding is the safeguarding lead's queue: every view and decision
// goes in the audit log.
type Safeguarding struct {
	Flags FlagStore
	Audit *AuditLog
	Now   func() time.Time
}

// Queue lists the flags, unreviewed ones first, each group newest first.
func (sg *Safeguarding) Queue(ctx context.Context) ([]*Flag, error) {
	flags, err := sg.Flags.FindFlags(ctx, FlagFilter{})
	if err != nil {
		return nil, fmt.Errorf("read the safeguarding queue: %w", err)
	}
	var open, done []*Flag
	for _, f := range flags {
		if f.Reviewed() {
			done = append(done, f)
		} else {
			open = append(open, f)
		}
	}
	if err := sg.Audit.Record(ctx, AuditFlagList, "", fmt.Sprintf("%d flags, %d unreviewed", len(flags), len(open))); err != nil {
		return nil, err
	}
	return append(open, done...), nil
}

// View returns one flag, with its words, and records that it was read.
func (sg *Safeguarding) View(ctx context.Context, id string) (*Flag, error) {
	f, err := sg.Flags.FindFlag(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := sg.Audit.Record(ctx, AuditFlagView, id, ""); err != nil {
		return nil, err
	}
	return f, nil
}

// FlagDecisionInput is a decision as a lead typed it.
type FlagDecisionInput struct {
	Outcome FlagOutcome
	Service string
	Note    string
}

// check tidies a decision and checks it: flags and requests to talk take
// the same decisions.
func (in *FlagDecisionInput) check() error {
	in.Service, in.Note = strings.TrimSpace(in.Service), strings.TrimSpace(in.Note)
	errs := fieldErrors{}
	if !in.Outcome.Valid() {
		errs.add("outcome", "choose what was done")
	}
	if in.Outcome == OutcomePassedOn && in.Service == "" {
		errs.add("service", "say which service it was passed to")
	}
	checkLen(errs, "service", in.Service, MaxFlagServiceLen)
	checkLen(errs, "note", in.Note, MaxFlagNoteLen)
	return errs.err("The decision has mistakes.")
}

// Decide records what a lead did about a flag.
func (sg *Safeguarding) Decide(ctx context.Context, id string, in FlagDecisionInput) (*Flag, error) {
	u := UserFromContext(ctx)
	if u == nil {
		return nil, Errorf(EUNAUTHORIZED, "Sign in to record a decision.")
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	f, err := sg.Flags.FindFlag(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(f.Decisions) >= MaxFlagDecisions {
		return nil, Errorf(ECONFLICT, "This flag has %d decisions already, the most Heard keeps.", MaxFlagDecisions)
	}
	d := FlagDecision{Outcome: in.Outcome, Service: in.Service, Note: in.Note, By: u.Email, At: sg.Now().UTC()}
	if in.Outcome != OutcomePassedOn {
		d.Service = ""
	}
	if f, err = sg.Flags.AddDecision(ctx, id, d); err != nil {
		return nil, fmt.Errorf("record a decision: %w", err)
	}
	if err := sg.Audit.Record(ctx, AuditFlagDecide, id, string(in.Outcome)); err != nil {
		return nil, err
	}
	return f, nil
}
