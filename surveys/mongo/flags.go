package mongo

import (
	"context"
	"time"

	"github.com/heard-app/heard/surveys"
)

// FlagStore keeps safeguarding flags, one document per flagged voice,
// keyed by the voice's id. Only retention deletes one (RetentionStore), a
// set time after a lead decided on it.
type FlagStore struct{ db *DB }

var _ surveys.FlagStore = (*FlagStore)(nil)

// NewFlagStore returns a FlagStore on db.
func NewFlagStore(db *DB) *FlagStore { return &FlagStore{db: db} }

type decisionDoc struct {
	Outcome string    `bson:"outcome"`
	Service string    `bson:"service,omitempty"`
	Note    string    `bson:"note,omitempty"`
	By      string    `bson:"by"`
	At      time.Time `bson:"at"`
}

type alertDoc struct {
	Sent      bool      `bson:"sent"`
	Attempts  int       `bson:"attempts"`
	LastError string    `bson:"last_error,omitempty"`
	NextTry   time.Time `bson:"next_try"`
	SentAt    time.Time `bson:"sent_at,omitempty"`
}

// flagDoc is a stored flag. Reviewed repeats "has a decision" so that the
// lead's home page counts unreviewed flags with one equality.
type flagDoc struct {
	ID        string        `bson:"_id"`
	Channel   string        `bson:"channel"`
	Source    sourceDoc     `bson:"source"`
	Text      string        `bson:"text"`
	Lang      string        `bson:"lang"`
	Day       string        `bson:"day"`
	AgeBand   string        `bson:"age_band,omitempty"`
	Area      string        `bson:"area,omitempty"`
	Kinds     []string      `bson:"kinds"`
	Evidence  []string      `bson:"evidence"`
	Decisions []decisionDoc `bson:"decisions"`
	Reviewed  bool          `bson:"reviewed"`
	Alert     alertDoc      `bson:"alert"`
}

func toFlagDoc(f *surveys.Flag) *flagDoc {
	d := &flagDoc{ID: f.ID, Channel: string(f.Channel), Source: toSourceDoc(f.Source), Text: f.Text, Lang: f.Lang,
		Day: f.Day, AgeBand: f.AgeBand, Area: f.Area, Kinds: []string{}, Evidence: f.Evidence,
		Decisions: []decisionDoc{}, Reviewed: f.Reviewed(), Alert: toAlertDoc(f.Alert)}
	if d.Evidence == nil {
		d.Evidence = []string{}
	}
	for _, k := range f.Kinds {
		d.Kinds = append(d.Kinds, string(k))
	}
	for _, dec := range f.Decisions {
		d.Decisions = append(d.Decisions, toDecisionDoc(dec))
	}
	return d
}

func toDecisionDoc(d surveys.FlagDecision) decisionDoc {
	return decisionDoc{Outcome: string(d.Outcome), Service: d.Service, Note: d.Note, By: d.By, At: d.At}
}

func toAlertDoc(a surveys.AlertState) alertDoc {
	return alertDoc{Sent: a.Sent, Attempts: a.Attempts, LastError: a.LastError, NextTry: a.NextTry, SentAt: a.SentAt}
}

func (a alertDoc) state() surveys.AlertState {
	return surveys.AlertState{Sent: a.Sent, Attempts: a.Attempts, LastError: a.LastError, NextTry: a.NextTry, SentAt: a.SentAt}
}

func (d *flagDoc) flag() *surveys.Flag {
	f := &surveys.Flag{ID: d.ID, Channel: surveys.Channel(d.Channel), Source: d.Source.source(), Text: d.Text,
		Lang: d.Lang, Day: d.Day, AgeBand: d.AgeBand, Area: d.Area, Evidence: d.Evidence, Alert: d.Alert.state()}
	for _, k := range d.Kinds {
		f.Kinds = append(f.Kinds, surveys.RiskKind(k))
	}
	for _, dec := range d.Decisions {
		f.Decisions = append(f.Decisions, surveys.FlagDecision{Outcome: surveys.FlagOutcome(dec.Outcome),
			Service: dec.Service, Note: dec.Note, By: dec.By, At: dec.At})
	}
	return f
}

// flagQueue reads and writes flags the way requests to talk are too.
var flagQueue = reviewQueue[flagDoc, *surveys.Flag]{col: colFlags, one: "flag", many: "flags",
	item: (*flagDoc).flag, key: func(d *flagDoc) (string, string) { return d.Day, d.ID }}

// FindFlag returns the flag with the id, or ENOTFOUND.
func (fs *FlagStore) FindFlag(ctx context.Context, id string) (*surveys.Flag, error) {
	return flagQueue.findOne(ctx, fs.db, id)
}

// FindFlags returns the flags matching f, newest day first, then by id.
func (fs *FlagStore) FindFlags(ctx context.Context, f surveys.FlagFilter) ([]*surveys.Flag, error) {
	return flagQueue.list(ctx, fs.db, f.Unreviewed, f.Limit)
}

// CountUnreviewed counts the flags no lead has reviewed.
func (fs *FlagStore) CountUnreviewed(ctx context.Context) (int, error) {
	return flagQueue.countUnreviewed(ctx, fs.db)
}

// AddDecision appends a decision and returns the flag as it now is.
func (fs *FlagStore) AddDecision(ctx context.Context, id string, d surveys.FlagDecision) (*surveys.Flag, error) {
	return flagQueue.addDecision(ctx, fs.db, id, toDecisionDoc(d))
}

// FlagsToAlert returns the flags whose alert is unsent and due at now.
func (fs *FlagStore) FlagsToAlert(ctx context.Context, now time.Time) ([]*surveys.Flag, error) {
	return flagQueue.toAlert(ctx, fs.db, now)
}

// ClaimAlert claims an attempt at a flag's alert (see DB.claimAlert).
func (fs *FlagStore) ClaimAlert(ctx context.Context, id string, attempt int, at time.Time) (bool, error) {
	return flagQueue.claimAlert(ctx, fs.db, id, attempt, at)
}

// SetAlert records how an alert went.
func (fs *FlagStore) SetAlert(ctx context.Context, id string, a surveys.AlertState) error {
	return flagQueue.setAlert(ctx, fs.db, id, a)
}
