package mongo

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/heard-app/heard/surveys"
)

// What the safeguarding lead's two queues (flags, requests to talk) store
// the same way: a reviewed field kept beside the decisions, and an alert
// state with its claims.

// countUnreviewed counts the documents of col no lead has reviewed.
func (d *DB) countUnreviewed(ctx context.Context, col string) (int, error) {
	n, err := d.col(col).CountDocuments(ctx, bson.D{{Key: "reviewed", Value: false}})
	if err != nil {
		return 0, fmt.Errorf("count unreviewed %s: %w", col, err)
	}
	return int(n), nil
}

// pushDecision appends a decision to the document id of col and marks it
// reviewed; $push keeps two leads' decisions made at once, both. It fails
// with ENOTFOUND, saying notFound, when there is no such document.
func (d *DB) pushDecision(ctx context.Context, col, id string, decision any, notFound string) error {
	res, err := d.col(col).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{
		{Key: "$push", Value: bson.D{{Key: "decisions", Value: decision}}},
		{Key: "$set", Value: bson.D{{Key: "reviewed", Value: true}}},
	})
	if err != nil {
		return fmt.Errorf("record decision in %s: %w", col, err)
	}
	if res.MatchedCount == 0 {
		return surveys.Errorf(surveys.ENOTFOUND, "%s", notFound)
	}
	return nil
}

// alertDue selects the documents whose alert is unsent and due at now.
func alertDue(now time.Time) bson.D {
	return bson.D{{Key: "alert.sent", Value: false}, {Key: "alert.next_try", Value: bson.D{{Key: "$lte", Value: now.UTC()}}}}
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

// setAlert records how the alert of document id of col went.
func (d *DB) setAlert(ctx context.Context, col, id string, a surveys.AlertState, notFound string) error {
	res, err := d.col(col).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "alert", Value: toAlertDoc(a)}}}})
	if err != nil {
		return fmt.Errorf("record alert: %w", err)
	}
	if res.MatchedCount == 0 {
		return surveys.Errorf(surveys.ENOTFOUND, "%s", notFound)
	}
	return nil
}
