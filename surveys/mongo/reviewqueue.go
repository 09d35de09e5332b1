package mongo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/heard-app/heard/surveys"
)

// What the safeguarding lead's two queues (flags, requests to talk) store
// and read the same way: a reviewed field kept beside the decisions, lists
// newest day first, and an alert state with its claims.

// reviewQueue is one of the two queues: D is its stored document, T the
// item its store returns.
type reviewQueue[D, T any] struct {
	col string
	// one and many name an item and items in messages: "flag", "flags".
	one, many string
	// claimPrefix goes before an id in the keys of alert claims, so that
	// a flag's and a request's claims cannot meet.
	claimPrefix string
	// item reads the item from its document; key gives the document's day
	// and id.
	item func(*D) T
	key  func(*D) (day, id string)
}

// notFound is the message of the queue's ENOTFOUND errors.
func (q reviewQueue[D, T]) notFound() string { return "There is no such " + q.one + "." }

// findOne returns the item with the id, or ENOTFOUND.
func (q reviewQueue[D, T]) findOne(ctx context.Context, db *DB, id string) (T, error) {
	var d D
	err := db.col(q.col).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	switch {
	case isNotFound(err):
		var zero T
		return zero, surveys.Errorf(surveys.ENOTFOUND, "%s", q.notFound())
	case err != nil:
		var zero T
		return zero, fmt.Errorf("read %s: %w", q.one, err)
	}
	return q.item(&d), nil
}

// list returns the items, only the unreviewed ones when unreviewed is set,
// newest day first, then by id; the first limit of them when limit > 0.
func (q reviewQueue[D, T]) list(ctx context.Context, db *DB, unreviewed bool, limit int) ([]T, error) {
	filter := bson.D{}
	if unreviewed {
		filter = append(filter, bson.E{Key: "reviewed", Value: false})
	}
	docs, err := q.find(ctx, db, filter)
	if err != nil {
		return nil, err
	}
	sortNewestDay(docs, q.key)
	if limit > 0 && len(docs) > limit {
		docs = docs[:limit]
	}
	return q.items(docs), nil
}

// toAlert returns the items whose alert is unsent and due at now, by id.
func (q reviewQueue[D, T]) toAlert(ctx context.Context, db *DB, now time.Time) ([]T, error) {
	docs, err := q.find(ctx, db, alertDue(now))
	if err != nil {
		return nil, err
	}
	sort.Slice(docs, func(i, j int) bool {
		_, a := q.key(docs[i])
		_, b := q.key(docs[j])
		return a < b
	})
	return q.items(docs), nil
}

func (q reviewQueue[D, T]) find(ctx context.Context, db *DB, filter bson.D) ([]*D, error) {
	cur, err := db.col(q.col).Find(ctx, filter)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", q.many, err)
	}
	var docs []*D
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read %s: %w", q.many, err)
	}
	return docs, nil
}

func (q reviewQueue[D, T]) items(docs []*D) []T {
	out := make([]T, len(docs))
	for i, d := range docs {
		out[i] = q.item(d)
	}
	return out
}

// countUnreviewed counts the documents no lead has reviewed.
func (q reviewQueue[D, T]) countUnreviewed(ctx context.Context, db *DB) (int, error) {
	n, err := db.col(q.col).CountDocuments(ctx, bson.D{{Key: "reviewed", Value: false}})
	if err != nil {
		return 0, fmt.Errorf("count unreviewed %s: %w", q.col, err)
	}
	return int(n), nil
}

// addDecision appends a decision to the document id and marks it reviewed;
// $push keeps two leads' decisions made at once, both. It returns the item
// as it now is, or ENOTFOUND when there is no such document.
func (q reviewQueue[D, T]) addDecision(ctx context.Context, db *DB, id string, decision any) (T, error) {
	res, err := db.col(q.col).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{
		{Key: "$push", Value: bson.D{{Key: "decisions", Value: decision}}},
		{Key: "$set", Value: bson.D{{Key: "reviewed", Value: true}}},
	})
	var zero T
	if err != nil {
		return zero, fmt.Errorf("record decision in %s: %w", q.col, err)
	}
	if res.MatchedCount == 0 {
		return zero, surveys.Errorf(surveys.ENOTFOUND, "%s", q.notFound())
	}
	return q.findOne(ctx, db, id)
}

// alertDue selects the documents whose alert is unsent and due at now.
func alertDue(now time.Time) bson.D {
	return bson.D{{Key: "alert.sent", Value: false}, {Key: "alert.next_try", Value: bson.D{{Key: "$lte", Value: now.UTC()}}}}
}

// claimAlert claims an attempt at the alert of document id (see
// DB.claimAlert), under the queue's claim prefix.
func (q reviewQueue[D, T]) claimAlert(ctx context.Context, db *DB, id string, attempt int, at time.Time) (bool, error) {
	return db.claimAlert(ctx, q.claimPrefix+id, attempt, at)
}

// claimAlert inserts a claim keyed by key (the flag's or request's), the
// attempt and the lease window the time falls in: an insert is the one
// write the embedded server makes atomic for two instances at once (a
// conditional update is not), so exactly one claim of each attempt
// succeeds in each window.
func (d *DB) claimAlert(ctx context.Context, key string, attempt int, at time.Time) (bool, error) {
	window := at.UTC().UnixNano() / int64(surveys.AlertLease)
	claim := bson.D{{Key: "_id", Value: fmt.Sprintf("%s:%d:%d", key, attempt, window)}, {Key: "at", Value: at.UTC()}}
	_, err := d.col(colAlertClaims).InsertOne(ctx, claim)
	switch {
	case isDuplicate(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("claim alert: %w", err)
	}
	return true, nil
}

// setAlert records how the alert of document id went, or fails with
// ENOTFOUND when there is no such document.
func (q reviewQueue[D, T]) setAlert(ctx context.Context, db *DB, id string, a surveys.AlertState) error {
	res, err := db.col(q.col).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "alert", Value: toAlertDoc(a)}}}})
	if err != nil {
		return fmt.Errorf("record alert: %w", err)
	}
	if res.MatchedCount == 0 {
		return surveys.Errorf(surveys.ENOTFOUND, "%s", q.notFound())
	}
	return nil
}
