package mongo

import (
	"context"
	"fmt"
	"time"

	"github.com/heard-app/heard/surveys"
)

// ContactStore keeps young people's requests to talk, one document per
// request keyed by its random id, in their own collection. It is given
// them sealed: the name, the way to reach them, their message and the
// leads' notes are binary fields this package cannot read. Only retention
// deletes one (RetentionStore), a set time after a lead decided on it.
type ContactStore struct{ db *DB }

var _ surveys.ContactStore = (*ContactStore)(nil)

// NewContactStore returns a ContactStore on db.
func NewContactStore(db *DB) *ContactStore { return &ContactStore{db: db} }

type contactDecisionDoc struct {
	Outcome string    `bson:"outcome"`
	Service string    `bson:"service,omitempty"`
	Note    []byte    `bson:"note,omitempty"` // sealed
	By      string    `bson:"by"`
	At      time.Time `bson:"at"`
}

// contactDoc is a stored request to talk. Reviewed repeats "has a
// decision", as on flags, so that counting the unreviewed is one equality.
type contactDoc struct {
	ID        string               `bson:"_id"`
	Survey    string               `bson:"survey"`
	Day       string               `bson:"day"`
	Lang      string               `bson:"lang"`
	Details   []byte               `bson:"sealed"`
	Decisions []contactDecisionDoc `bson:"decisions"`
	Reviewed  bool                 `bson:"reviewed"`
	Alert     alertDoc             `bson:"alert"`
}

// contactQueue reads and writes requests to talk the way flags are too.
var contactQueue = reviewQueue[contactDoc, *surveys.SealedContact]{col: colContacts,
	one: "request to talk", many: "requests to talk", claimPrefix: "contact:",
	item: (*contactDoc).contact, key: func(d *contactDoc) (string, string) { return d.Day, d.ID }}

func toContactDecisionDoc(d surveys.SealedDecision) contactDecisionDoc {
	return contactDecisionDoc{Outcome: string(d.Outcome), Service: d.Service, Note: d.Note, By: d.By, At: d.At}
}

func (d *contactDoc) contact() *surveys.SealedContact {
	c := &surveys.SealedContact{ID: d.ID, Survey: d.Survey, Day: d.Day, Lang: d.Lang, Details: d.Details,
		Alert: d.Alert.state()}
	for _, dec := range d.Decisions {
		c.Decisions = append(c.Decisions, surveys.SealedDecision{Outcome: surveys.FlagOutcome(dec.Outcome),
			Service: dec.Service, Note: dec.Note, By: dec.By, At: dec.At})
	}
	return c
}

// CreateContact stores a new request, or fails with ECONFLICT when one with
// its id is stored already (a phone's retry of the same request).
func (cs *ContactStore) CreateContact(ctx context.Context, c *surveys.SealedContact) error {
	d := &contactDoc{ID: c.ID, Survey: c.Survey, Day: c.Day, Lang: c.Lang, Details: c.Details,
		Decisions: []contactDecisionDoc{}, Reviewed: c.Reviewed(), Alert: toAlertDoc(c.Alert)}
	for _, dec := range c.Decisions {
		d.Decisions = append(d.Decisions, toContactDecisionDoc(dec))
	}
	_, err := cs.db.col(colContacts).InsertOne(ctx, d)
	switch {
	case isDuplicate(err):
		return surveys.Errorf(surveys.ECONFLICT, "This request to talk is stored already.")
	case err != nil:
		return fmt.Errorf("insert request to talk: %w", err)
	}
	return nil
}

// FindContact returns the request with the id, or ENOTFOUND.
func (cs *ContactStore) FindContact(ctx context.Context, id string) (*surveys.SealedContact, error) {
	return contactQueue.findOne(ctx, cs.db, id)
}

// FindContacts returns the requests matching f, newest day first, then by
// id (which is random, so within a day the order says nothing of when).
func (cs *ContactStore) FindContacts(ctx context.Context, f surveys.ContactFilter) ([]*surveys.SealedContact, error) {
	return contactQueue.list(ctx, cs.db, f.Unreviewed, 0)
}

// CountUnreviewed counts the requests no lead has reviewed.
func (cs *ContactStore) CountUnreviewed(ctx context.Context) (int, error) {
	return contactQueue.countUnreviewed(ctx, cs.db)
}

// AddDecision appends a decision and returns the request as it now is.
func (cs *ContactStore) AddDecision(ctx context.Context, id string, d surveys.SealedDecision) (*surveys.SealedContact, error) {
	return contactQueue.addDecision(ctx, cs.db, id, toContactDecisionDoc(d))
}

// ContactsToAlert returns the requests whose alert is unsent and due at now.
func (cs *ContactStore) ContactsToAlert(ctx context.Context, now time.Time) ([]*surveys.SealedContact, error) {
	return contactQueue.toAlert(ctx, cs.db, now)
}

// ClaimAlert claims an attempt at a request's alert (see DB.claimAlert),
// under keys that cannot be a flag's.
func (cs *ContactStore) ClaimAlert(ctx context.Context, id string, attempt int, at time.Time) (bool, error) {
	return contactQueue.claimAlert(ctx, cs.db, id, attempt, at)
}

// SetAlert records how an alert went.
func (cs *ContactStore) SetAlert(ctx context.Context, id string, a surveys.AlertState) error {
	return contactQueue.setAlert(ctx, cs.db, id, a)
}
