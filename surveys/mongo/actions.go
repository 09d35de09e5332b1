package mongo

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// colActions holds the "you said, we did" actions, one document each.
const colActions = "actions"

// ActionStore keeps actions, one document each, keyed by id. There are at
// most surveys.MaxActions, so they are read whole, with no index.
type ActionStore struct {
	db *DB
	// mu makes an update's check of the revision and its write one step
	// in this process, as for surveys: the embedded server does not apply
	// updates atomically. On MongoDB the filter on the revision keeps two
	// instances from both saving over the same revision.
	mu sync.Mutex
}

var _ surveys.ActionStore = (*ActionStore)(nil)

// NewActionStore returns an ActionStore on db.
func NewActionStore(db *DB) *ActionStore { return &ActionStore{db: db} }

// actionDoc is how an action is stored: plain fields, arrays and small
// subdocuments, which both MongoDB and the embedded server decode and
// match alike. Lists are stored as arrays even when empty, so that a
// query by hand finds [] rather than null.
type actionDoc struct {
	ID        string            `bson:"_id"`
	Said      map[string]string `bson:"said"`
	Did       map[string]string `bson:"did"`
	Owner     string            `bson:"owner"`
	Due       string            `bson:"due"`
	Status    string            `bson:"status"`
	Reason    string            `bson:"reason"`
	Themes    []string          `bson:"themes"`
	Surveys   []string          `bson:"surveys"`
	Questions []actionQuestion  `bson:"questions"`
	Sessions  []string          `bson:"sessions"`
	Publish   bool              `bson:"publish"`
	History   []actionChange    `bson:"history"`
	Revision  int               `bson:"revision"`
	Created   time.Time         `bson:"created"`
	Updated   time.Time         `bson:"updated"`
}

type actionQuestion struct {
	Survey   string `bson:"survey"`
	Question string `bson:"question"`
}

type actionChange struct {
	At     time.Time `bson:"at"`
	Status string    `bson:"status"`
	By     string    `bson:"by"`
}

func toActionDoc(a *surveys.Action) *actionDoc {
	d := &actionDoc{ID: a.ID, Said: a.Said, Did: a.Did, Owner: a.Owner, Due: a.Due, Status: string(a.Status), Reason: a.Reason,
		Themes: nonNil(a.Themes), Surveys: nonNil(a.Surveys), Sessions: nonNil(a.Sessions), Publish: a.Publish,
		Questions: []actionQuestion{}, History: []actionChange{}, Revision: a.Revision, Created: a.Created.UTC(), Updated: a.Updated.UTC()}
	if d.Said == nil {
		d.Said = map[string]string{}
	}
	if d.Did == nil {
		d.Did = map[string]string{}
	}
	for _, q := range a.Questions {
		d.Questions = append(d.Questions, actionQuestion(q))
	}
	for _, h := range a.History {
		d.History = append(d.History, actionChange{At: h.At.UTC(), Status: string(h.Status), By: h.By})
	}
	return d
}

func (d *actionDoc) action() *surveys.Action {
	a := &surveys.Action{ID: d.ID, Said: d.Said, Did: d.Did, Owner: d.Owner, Due: d.Due, Status: surveys.ActionStatus(d.Status),
		Reason: d.Reason, Themes: emptyNil(d.Themes), Surveys: emptyNil(d.Surveys), Sessions: emptyNil(d.Sessions), Publish: d.Publish,
		Revision: d.Revision, Created: d.Created.UTC(), Updated: d.Updated.UTC()}
	for _, q := range d.Questions {
		a.Questions = append(a.Questions, surveys.ActionQuestion(q))
	}
	for _, h := range d.History {
		a.History = append(a.History, surveys.ActionChange{At: h.At.UTC(), Status: surveys.ActionStatus(h.Status), By: h.By})
	}
	return a
}

// nonNil returns s, or an empty slice for nil.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// emptyNil returns s, or nil when it is empty, as the domain writes "none".
func emptyNil(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// CreateAction inserts an action; its id must be new.
func (st *ActionStore) CreateAction(ctx context.Context, a *surveys.Action) error {
	_, err := st.db.col(colActions).InsertOne(ctx, toActionDoc(a))
	switch {
	case isDuplicate(err):
		return surveys.Errorf(surveys.ECONFLICT, "An action with the id %q exists already.", a.ID)
	case err != nil:
		return fmt.Errorf("insert action %q: %w", a.ID, err)
	}
	return nil
}

// FindAction reads an action by id.
func (st *ActionStore) FindAction(ctx context.Context, id string) (*surveys.Action, error) {
	var d actionDoc
	err := st.db.col(colActions).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	switch {
	case isNotFound(err):
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no action %q.", id)
	case err != nil:
		return nil, fmt.Errorf("find action %q: %w", id, err)
	}
	return d.action(), nil
}

// FindActions reads every action, by id.
func (st *ActionStore) FindActions(ctx context.Context) ([]*surveys.Action, error) {
	cur, err := st.db.col(colActions).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("find actions: %w", err)
	}
	var docs []actionDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read actions: %w", err)
	}
	out := make([]*surveys.Action, 0, len(docs))
	for i := range docs {
		out = append(out, docs[i].action())
	}
	return out, nil
}

// UpdateAction replaces an action if it is still at revision, at the next
// revision, and returns it as stored.
func (st *ActionStore) UpdateAction(ctx context.Context, id string, revision int, a *surveys.Action) (*surveys.Action, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	d := toActionDoc(a)
	d.ID, d.Revision = id, revision+1
	res, err := st.db.col(colActions).ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "revision", Value: revision}}, d)
	if err != nil {
		return nil, fmt.Errorf("update action %q: %w", id, err)
	}
	if res.MatchedCount == 0 {
		if _, err := st.FindAction(ctx, id); err != nil {
			return nil, err
		}
		return nil, surveys.Errorf(surveys.ECONFLICT, "Someone else changed this action just now. Please look at it again.")
	}
	return st.FindAction(ctx, id)
}
