package mongo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/heard-app/heard/surveys"
)

// FlagStore keeps safeguarding flags, one document per flagged voice,
// keyed by the voice's id. Nothing in Heard deletes one.
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

func (d *flagDoc) flag() *surveys.Flag {
	f := &surveys.Flag{ID: d.ID, Channel: surveys.Channel(d.Channel), Source: d.Source.source(), Text: d.Text,
		Lang: d.Lang, Day: d.Day, AgeBand: d.AgeBand, Area: d.Area, Evidence: d.Evidence,
		Alert: surveys.AlertState{Sent: d.Alert.Sent, Attempts: d.Alert.Attempts, LastError: d.Alert.LastError,
			NextTry: d.Alert.NextTry, SentAt: d.Alert.SentAt}}
	for _, k := range d.Kinds {
		f.Kinds = append(f.Kinds, surveys.RiskKind(k))
	}
	for _, dec := range d.Decisions {
		f.Decisions = append(f.Decisions, surveys.FlagDecision{Outcome: surveys.FlagOutcome(dec.Outcome),
			Service: dec.Service, Note: dec.Note, By: dec.By, At: dec.At})
	}
	return f
}

// FindFlag returns the flag with the id, or ENOTFOUND.
func (fs *FlagStore) FindFlag(ctx context.Context, id string) (*surveys.Flag, error) {
	var d flagDoc
	err := fs.db.col(colFlags).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	switch {
	case isNotFound(err):
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no such flag.")
	case err != nil:
		return nil, fmt.Errorf("read flag: %w", err)
	}
	return d.flag(), nil
}

// FindFlags returns the flags matching f, newest day first, then by id.
func (fs *FlagStore) FindFlags(ctx context.Context, f surveys.FlagFilter) ([]*surveys.Flag, error) {
	q := bson.D{}
	if f.Unreviewed {
		q = append(q, bson.E{Key: "reviewed", Value: false})
	}
	docs, err := fs.find(ctx, q)
	if err != nil {
		return nil, err
	}
	sortNewestDay(docs, func(d *flagDoc) (string, string) { return d.Day, d.ID })
	if f.Limit > 0 && len(docs) > f.Limit {
		docs = docs[:f.Limit]
	}
	out := make([]*surveys.Flag, len(docs))
	for i, d := range docs {
		out[i] = d.flag()
	}
	return out, nil
}

func (fs *FlagStore) find(ctx context.Context, q bson.D) ([]*flagDoc, error) {
	cur, err := fs.db.col(colFlags).Find(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find flags: %w", err)
	}
	var docs []*flagDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read flags: %w", err)
	}
	return docs, nil
}

// CountUnreviewed counts the flags no lead has reviewed.
func (fs *FlagStore) CountUnreviewed(ctx context.Context) (int, error) {
	return fs.db.countUnreviewed(ctx, colFlags)
}

// AddDecision appends a decision and returns the flag as it now is.
func (fs *FlagStore) AddDecision(ctx context.Context, id string, d surveys.FlagDecision) (*surveys.Flag, error) {
	if err := fs.db.pushDecision(ctx, colFlags, id, toDecisionDoc(d), "There is no such flag."); err != nil {
		return nil, err
	}
	return fs.FindFlag(ctx, id)
}

// FlagsToAlert returns the flags whose alert is unsent and due at now.
func (fs *FlagStore) FlagsToAlert(ctx context.Context, now time.Time) ([]*surveys.Flag, error) {
	docs, err := fs.find(ctx, alertDue(now))
	if err != nil {
		return nil, err
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].ID < docs[j].ID })
	out := make([]*surveys.Flag, len(docs))
	for i, d := range docs {
		out[i] = d.flag()
	}
	return out, nil
}

// ClaimAlert claims an attempt at a flag's alert (see DB.claimAlert).
func (fs *FlagStore) ClaimAlert(ctx context.Context, id string, attempt int, at time.Time) (bool, error) {
	return fs.db.claimAlert(ctx, id, attempt, at)
}

// SetAlert records how an alert went.
func (fs *FlagStore) SetAlert(ctx context.Context, id string, a surveys.AlertState) error {
	return fs.db.setAlert(ctx, colFlags, id, a, "There is no such flag.")
}
