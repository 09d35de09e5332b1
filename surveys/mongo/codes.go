package mongo

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// CodeStore keeps access codes: one document per code, keyed by the code's
// hash (see surveys.HashCode), holding its survey, its batch and its state,
// nothing else; and one document per batch.
//
//	access_codes: {_id: <hash>, survey, batch, state: "free" | "reserved" | "spent", journal?}
//	code_batches: {_id: <batch id>, survey, label, count, created, printed, secret?}
//
// A code is reserved by the committer, under the journal entry of the
// batch of responses it unlocks, while that batch is written; then it is
// spent and the journal entry forgotten. So a spent code says nothing of
// when it was spent or for which response. docs/privacy.md explains.
type CodeStore struct{ db *DB }

var _ surveys.CodeStore = (*CodeStore)(nil)

// NewCodeStore returns a CodeStore on db.
func NewCodeStore(db *DB) *CodeStore { return &CodeStore{db: db} }

type codeDoc struct {
	Hash    string `bson:"_id"`
	Survey  string `bson:"survey"`
	Batch   string `bson:"batch"`
	State   string `bson:"state"`
	Journal string `bson:"journal,omitempty"`
}

type batchDoc struct {
	ID      string    `bson:"_id"`
	Survey  string    `bson:"survey"`
	Label   string    `bson:"label"`
	Count   int       `bson:"count"`
	Created time.Time `bson:"created"`
	Printed bool      `bson:"printed"`
	Secret  string    `bson:"secret,omitempty"`
}

func (d *batchDoc) batch() *surveys.CodeBatch {
	return &surveys.CodeBatch{ID: d.ID, Survey: d.Survey, Label: d.Label, Count: d.Count, Created: d.Created.UTC(), Printed: d.Printed}
}

// CreateCodeBatch inserts the codes, then the batch. If a code clashes
// with an existing one, the codes inserted are removed again.
func (cs *CodeStore) CreateCodeBatch(ctx context.Context, b *surveys.CodeBatch, hashes []string, secret string) error {
	docs := make([]any, len(hashes))
	for i, h := range hashes {
		docs[i] = codeDoc{Hash: h, Survey: b.Survey, Batch: b.ID, State: string(surveys.CodeFree)}
	}
	_, err := cs.db.col(colCodes).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err != nil {
		// Undo by batch, which only this call's codes have.
		_, _ = cs.db.col(colCodes).DeleteMany(context.WithoutCancel(ctx), bson.D{{Key: "batch", Value: b.ID}})
		if isDuplicate(err) {
			return surveys.Errorf(surveys.ECONFLICT, "A code of this batch already exists.")
		}
		return fmt.Errorf("insert codes: %w", err)
	}
	doc := batchDoc{ID: b.ID, Survey: b.Survey, Label: b.Label, Count: b.Count, Created: b.Created, Secret: secret}
	if _, err := cs.db.col(colBatches).InsertOne(ctx, doc); err != nil {
		return fmt.Errorf("insert code batch: %w", err)
	}
	return nil
}

// FindCodeBatches lists a survey's batches, newest first, counting the
// spent codes of each. That count reads every code of the survey: it is
// for staff pages, not for young people's requests.
func (cs *CodeStore) FindCodeBatches(ctx context.Context, survey string) ([]*surveys.CodeBatch, error) {
	cur, err := cs.db.col(colBatches).Find(ctx, bson.D{{Key: "survey", Value: survey}},
		options.Find().SetSort(bson.D{{Key: "created", Value: -1}}).SetProjection(bson.D{{Key: "secret", Value: 0}}))
	if err != nil {
		return nil, fmt.Errorf("find code batches: %w", err)
	}
	var docs []batchDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read code batches: %w", err)
	}
	spent, err := cs.spentByBatch(ctx, survey)
	if err != nil {
		return nil, err
	}
	out := make([]*surveys.CodeBatch, len(docs))
	for i := range docs {
		out[i] = docs[i].batch()
		out[i].Spent = spent[docs[i].ID]
	}
	return out, nil
}

func (cs *CodeStore) spentByBatch(ctx context.Context, survey string) (map[string]int, error) {
	cur, err := cs.db.col(colCodes).Find(ctx,
		bson.D{{Key: "survey", Value: survey}, {Key: "state", Value: string(surveys.CodeSpent)}},
		options.Find().SetProjection(bson.D{{Key: "batch", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("count spent codes: %w", err)
	}
	defer cur.Close(ctx)
	spent := map[string]int{}
	for cur.Next(ctx) {
		var d codeDoc
		if err := cur.Decode(&d); err != nil {
			return nil, fmt.Errorf("count spent codes: %w", err)
		}
		spent[d.Batch]++
	}
	return spent, cur.Err()
}

// TakeBatchSecret returns the secret of an unprinted batch and forgets it.
func (cs *CodeStore) TakeBatchSecret(ctx context.Context, survey, batch string, now time.Time) (*surveys.CodeBatch, string, error) {
	var d batchDoc
	err := cs.db.col(colBatches).FindOne(ctx, bson.D{{Key: "_id", Value: batch}}).Decode(&d)
	if isNotFound(err) || (err == nil && d.Survey != survey) {
		return nil, "", surveys.Errorf(surveys.ENOTFOUND, "There is no such batch of codes for this survey.")
	} else if err != nil {
		return nil, "", fmt.Errorf("find code batch: %w", err)
	}
	expired := now.Sub(d.Created) > surveys.BatchPrintWindow
	if d.Printed || d.Secret == "" || expired {
		if expired && d.Secret != "" {
			_ = cs.forgetSecret(ctx, batch)
		}
		return nil, "", surveys.Errorf(surveys.ECONFLICT,
			"These codes were printed already, or were not printed within a day, so Heard cannot print them again. If the cards are lost, make a new batch.")
	}
	if err := cs.forgetSecret(ctx, batch); err != nil {
		return nil, "", err
	}
	b := d.batch()
	b.Printed = true
	return b, d.Secret, nil
}

func (cs *CodeStore) forgetSecret(ctx context.Context, batch string) error {
	_, err := cs.db.col(colBatches).UpdateOne(ctx, bson.D{{Key: "_id", Value: batch}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "printed", Value: true}}}, {Key: "$unset", Value: bson.D{{Key: "secret", Value: ""}}}})
	if err != nil {
		return fmt.Errorf("forget batch secret: %w", err)
	}
	return nil
}

// CodeState reads a code's state by its hash.
func (cs *CodeStore) CodeState(ctx context.Context, survey, hash string) (surveys.CodeState, error) {
	d, err := cs.db.findCode(ctx, hash)
	if err != nil {
		return "", err
	}
	if d == nil || d.Survey != survey {
		return "", surveys.Errorf(surveys.ENOTFOUND, "There is no such code.")
	}
	return surveys.CodeState(d.State), nil
}

func (d *DB) findCode(ctx context.Context, hash string) (*codeDoc, error) {
	var doc codeDoc
	err := d.col(colCodes).FindOne(ctx, bson.D{{Key: "_id", Value: hash}}).Decode(&doc)
	if isNotFound(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("read code: %w", err)
	}
	return &doc, nil
}

// reserveCode moves a free code of the survey to reserved under journal
// entry j. It returns the problem when the code is unknown or not free.
// The filter names the state, so on MongoDB two instances cannot both
// reserve a code; on the embedded server the committer is the only writer
// of code states and the filter is by _id alone (see applyDelta for why).
func (d *DB) reserveCode(ctx context.Context, survey, hash, j string) (string, error) {
	doc, err := d.findCode(ctx, hash)
	if err != nil {
		return "", err
	}
	switch {
	case doc == nil || doc.Survey != survey:
		return surveys.ProblemCodeUnknown, nil
	case doc.State != string(surveys.CodeFree):
		return surveys.ProblemCodeUsed, nil
	}
	filter := bson.D{{Key: "_id", Value: hash}}
	if !d.exclusive {
		filter = append(filter, bson.E{Key: "state", Value: string(surveys.CodeFree)})
	}
	res, err := d.col(colCodes).UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: bson.D{
		{Key: "state", Value: string(surveys.CodeReserved)}, {Key: "journal", Value: j}}}})
	if err != nil {
		return "", fmt.Errorf("reserve code: %w", err)
	}
	if res.MatchedCount == 0 {
		return surveys.ProblemCodeUsed, nil // another instance took it first
	}
	return "", nil
}

// settleCode ends a reservation by journal entry j: spent when its response
// was stored, free again when not. A code not reserved by j is left alone,
// so settling twice changes nothing. On MongoDB the filter names j; on the
// embedded server, where it would scan every code, the code is read by _id
// and checked here instead (the committer being the one writer of codes).
func (d *DB) settleCode(ctx context.Context, hash, j string, stored bool) error {
	filter := bson.D{{Key: "_id", Value: hash}, {Key: "journal", Value: j}}
	if d.exclusive {
		doc, err := d.findCode(ctx, hash)
		if err != nil {
			return err
		}
		if doc == nil || doc.Journal != j {
			return nil
		}
		filter = bson.D{{Key: "_id", Value: hash}}
	}
	state := surveys.CodeFree
	if stored {
		state = surveys.CodeSpent
	}
	_, err := d.col(colCodes).UpdateOne(ctx, filter, bson.D{
		{Key: "$set", Value: bson.D{{Key: "state", Value: string(state)}}},
		{Key: "$unset", Value: bson.D{{Key: "journal", Value: ""}}}})
	if err != nil {
		return fmt.Errorf("settle code: %w", err)
	}
	return nil
}
