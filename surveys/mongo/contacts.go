package mongo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/heard-app/heard/surveys"
)

// ContactStore keeps young people's requests to talk, one document per
// request keyed by its random id, in their own collection. It is given
// them sealed: the name, the way to reach them, their message and the
// leads' notes are binary fields this package cannot read. Nothing in
// Heard deletes one.
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

func toContactDecisionDoc(d surveys.SealedDecision) contactDecisionDoc {
	return contactDecisionDoc{Outcome: string(d.Outcome), Service: d.Service, Note: d.Note, By: d.By, At: d.At}
}

func (d *contactDoc) contact() *surveys.SealedContact {
	c := &surveys.SealedContact{ID: d.ID, Survey: d.Survey, Day: d.Day, Lang: d.Lang, Details: d.Details,
		Alert: surveys.AlertState{Sent: d.Alert.Sent, Attempts: d.Alert.Attempts, LastError: d.Alert.LastError,
			NextTry: d.Alert.NextTry, SentAt: d.Alert.SentAt}}
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
	var d contactDoc
	err := cs.db.col(colContacts).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	switch {
	case isNotFound(err):
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no such request to talk.")
	case err != nil:
		return nil, fmt.Errorf("read request to talk: %w", err)
	}
	return d.contact(), nil
}

// FindContacts returns the requests matching f, newest day first, then by
// id (which is random, so within a day the order says nothing of when).
func (cs *ContactStore) FindContacts(ctx context.Context, f surveys.ContactFilter) ([]*surveys.SealedContact, error) {
	q := bson.D{}
	if f.Unreviewed {
		q = append(q, bson.E{Key: "reviewed", Value: false})
	}
	docs, err := cs.find(ctx, q)
	if err != nil {
		return nil, err
	}
	sortNewestDay(docs, func(d *contactDoc) (string, string) { return d.Day, d.ID })
	out := make([]*surveys.SealedContact, len(docs))
	for i, d := range docs {
		out[i] = d.contact()
	}
	return out, nil
}

func (cs *ContactStore) find(ctx context.Context, q bson.D) ([]*contactDoc, error) {
	cur, err := cs.db.col(colContacts).Find(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find requests to talk: %w", err)
	}
	var docs []*contactDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read requests to talk: %w", err)
	}
	return docs, nil
}

// CountUnreviewed counts the requests no lead has reviewed.
func (cs *ContactStore) CountUnreviewed(ctx context.Context) (int, error) {
	return cs.db.countUnreviewed(ctx, colContacts)
}

// AddDecision appends a decision and returns the request as it now is.
func (cs *ContactStore) AddDecision(ctx context.Context, id string, d surveys.SealedDecision) (*surveys.SealedContact, error) {
	if err := cs.db.pushDecision(ctx, colContacts, id, toContactDecisionDoc(d), "There is no such request to talk."); err != nil {
		return nil, err
	}
	return cs.FindContact(ctx, id)
}

// ContactsToAlert returns the requests whose alert is unsent and due at now.
func (cs *ContactStore) ContactsToAlert(ctx context.Context, now time.Time) ([]*surveys.SealedContact, error) {
	docs, err := cs.find(ctx, alertDue(now))
	if err != nil {
		return nil, err
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].ID < docs[j].ID })
	out := make([]*surveys.SealedContact, len(docs))
	for i, d := range docs {
		out[i] = d.contact()
	}
	return out, nil
}

// ClaimAlert claims an attempt at a request's alert (see DB.claimAlert),
// under keys that cannot be a flag's.
func (cs *ContactStore) ClaimAlert(ctx context.Context, id string, attempt int, at time.Time) (bool, error) {
	return cs.db.claimAlert(ctx, "contact:"+id, attempt, at)
}

// SetAlert records how an alert went.
func (cs *ContactStore) SetAlert(ctx context.Context, id string, a surveys.AlertState) error {
	return cs.db.setAlert(ctx, colContacts, id, a, "There is no such request to talk.")
}
