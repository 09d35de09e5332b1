package mongo

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// AuditStore keeps the audit log: one document per entry, keyed by an ID
// that sorts by time. It has no method to change or delete an entry; the
// log is append-only through Heard (a database administrator can of course
// still touch the collection, which is why docs/privacy.md suggests
// shipping it to the council's own log store too).
type AuditStore struct{ db *DB }

var _ surveys.AuditStore = (*AuditStore)(nil)

// NewAuditStore returns an AuditStore on db.
func NewAuditStore(db *DB) *AuditStore { return &AuditStore{db: db} }

type auditDoc struct {
	ID     string    `bson:"_id"`
	At     time.Time `bson:"at"`
	Actor  string    `bson:"actor"`
	Role   string    `bson:"role,omitempty"`
	Action string    `bson:"action"`
	Target string    `bson:"target,omitempty"`
	Detail string    `bson:"detail,omitempty"`
}

// AppendAudit inserts an entry.
func (as *AuditStore) AppendAudit(ctx context.Context, e *surveys.AuditEntry) error {
	d := auditDoc{ID: e.ID, At: e.At, Actor: e.Actor, Role: string(e.Role), Action: string(e.Action), Target: e.Target, Detail: e.Detail}
	if _, err := as.db.col(colAudit).InsertOne(ctx, d); err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	return nil
}

// FindAudit reads entries newest first. The filter's fields are plain
// equality and range matches, which both MongoDB and the embedded server
// support (the embedded server scans the collection to answer them).
func (as *AuditStore) FindAudit(ctx context.Context, f surveys.AuditFilter) ([]*surveys.AuditEntry, error) {
	filter := bson.D{}
	if f.Actor != "" {
		filter = append(filter, bson.E{Key: "actor", Value: f.Actor})
	}
	if f.Action != "" {
		filter = append(filter, bson.E{Key: "action", Value: string(f.Action)})
	}
	if f.Target != "" {
		filter = append(filter, bson.E{Key: "target", Value: f.Target})
	}
	id := bson.D{}
	if !f.From.IsZero() {
		id = append(id, bson.E{Key: "$gte", Value: fmt.Sprintf("%020d", f.From.UnixNano())})
	}
	// IDs start with the time, so a range of times and the next page are
	// both ranges of IDs; the lower of the two upper bounds applies.
	upper := f.Before
	if !f.To.IsZero() {
		if to := fmt.Sprintf("%020d", f.To.UnixNano()); upper == "" || to < upper {
			upper = to
		}
	}
	if upper != "" {
		id = append(id, bson.E{Key: "$lt", Value: upper})
	}
	if len(id) > 0 {
		filter = append(filter, bson.E{Key: "_id", Value: id})
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(f.Limit))
	cur, err := as.db.col(colAudit).Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("find audit entries: %w", err)
	}
	var docs []auditDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read audit entries: %w", err)
	}
	out := make([]*surveys.AuditEntry, len(docs))
	for i, d := range docs {
		out[i] = &surveys.AuditEntry{ID: d.ID, At: d.At.UTC(), Actor: d.Actor, Role: surveys.Role(d.Role),
			Action: surveys.AuditAction(d.Action), Target: d.Target, Detail: d.Detail}
	}
	return out, nil
}
