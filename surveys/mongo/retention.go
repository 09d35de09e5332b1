package mongo

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// RetentionStore lists and deletes what retention says is due. Lists read
// only ids (one query each, which the embedded server answers with one
// pass over the collection); deletes name their ids, a bounded batch at a
// time (surveys.Retention makes the batches), so that each write is short
// and deletes only what was listed.
type RetentionStore struct{ db *DB }

var _ surveys.RetentionStore = (*RetentionStore)(nil)

// NewRetentionStore returns a RetentionStore on db.
func NewRetentionStore(db *DB) *RetentionStore { return &RetentionStore{db: db} }

// idsOf returns the _id of every document of the collection matching filter.
func (rs *RetentionStore) idsOf(ctx context.Context, col string, filter bson.D) ([]string, error) {
	cur, err := rs.db.col(col).Find(ctx, filter, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", col, err)
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read %s: %w", col, err)
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	return ids, nil
}

// deleteIDs deletes the documents of the collection with the ids.
func (rs *RetentionStore) deleteIDs(ctx context.Context, col string, ids []string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	res, err := rs.db.col(col).DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	if err != nil {
		return 0, fmt.Errorf("delete from %s: %w", col, err)
	}
	return int(res.DeletedCount), nil
}

// ResponseIDs returns the ids of the survey's stored responses.
func (rs *RetentionStore) ResponseIDs(ctx context.Context, survey string) ([]string, error) {
	return rs.idsOf(ctx, colResponses, bson.D{{Key: "survey", Value: survey}})
}

// SurveyVoices returns the comments of the survey's responses.
func (rs *RetentionStore) SurveyVoices(ctx context.Context, survey string) ([]*surveys.Voice, error) {
	if survey == "" {
		return nil, nil // "" would match every voice
	}
	return NewVoiceStore(rs.db).FindVoices(ctx, surveys.VoiceFilter{Survey: survey})
}

// CodeIDs returns the hashes of the survey's access codes and the ids of
// its batches.
func (rs *RetentionStore) CodeIDs(ctx context.Context, survey string) ([]string, []string, error) {
	bySurvey := bson.D{{Key: "survey", Value: survey}}
	codes, err := rs.idsOf(ctx, colCodes, bySurvey)
	if err != nil {
		return nil, nil, err
	}
	batches, err := rs.idsOf(ctx, colBatches, bySurvey)
	return codes, batches, err
}

// decided returns each reviewed document's id with its latest decision's
// time. Flags and requests to talk store their decisions alike.
func (rs *RetentionStore) decided(ctx context.Context, col string) ([]surveys.RetentionRecord, error) {
	cur, err := rs.db.col(col).Find(ctx, bson.D{{Key: "reviewed", Value: true}})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", col, err)
	}
	var docs []struct {
		ID        string `bson:"_id"`
		Decisions []struct {
			At time.Time `bson:"at"`
		} `bson:"decisions"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read %s: %w", col, err)
	}
	out := make([]surveys.RetentionRecord, 0, len(docs))
	for _, d := range docs {
		if len(d.Decisions) == 0 {
			continue
		}
		last := d.Decisions[0].At
		for _, dec := range d.Decisions[1:] {
			if dec.At.After(last) {
				last = dec.At
			}
		}
		out = append(out, surveys.RetentionRecord{ID: d.ID, Decided: last.UTC()})
	}
	return out, nil
}

// DecidedContacts returns the requests to talk a lead has decided on.
func (rs *RetentionStore) DecidedContacts(ctx context.Context) ([]surveys.RetentionRecord, error) {
	return rs.decided(ctx, colContacts)
}

// DecidedFlags returns the flags a lead has decided on.
func (rs *RetentionStore) DecidedFlags(ctx context.Context) ([]surveys.RetentionRecord, error) {
	return rs.decided(ctx, colFlags)
}

// DeleteResponses deletes responses by id.
func (rs *RetentionStore) DeleteResponses(ctx context.Context, ids []string) (int, error) {
	return rs.deleteIDs(ctx, colResponses, ids)
}

// ForgetVoices deletes voices by id and leaves their digests in
// voice_days, where the theme summary counts them, and their flags.
func (rs *RetentionStore) ForgetVoices(ctx context.Context, ids []string) (int, error) {
	return rs.deleteIDs(ctx, colVoices, ids)
}

// ReduceVoices writes each voice's text and machine coding over the
// stored one, one update by _id each, rewriting its digest from what is
// stored (unchanged: a digest holds no words) as a review does.
func (rs *RetentionStore) ReduceVoices(ctx context.Context, voices []*surveys.Voice) (int, error) {
	n := 0
	for _, v := range voices {
		found, err := rs.db.updateVoice(ctx, v.ID, bson.D{{Key: "$set", Value: bson.D{
			{Key: "text", Value: v.Text},
			{Key: "machine", Value: toCodingDoc(v.Machine)},
		}}})
		if err != nil {
			return n, fmt.Errorf("reduce voice to its quote: %w", err)
		}
		if found {
			n++
		}
	}
	return n, nil
}

// DeleteCodes deletes access codes by hash and batches by id, and returns
// how many codes it deleted.
func (rs *RetentionStore) DeleteCodes(ctx context.Context, codes, batches []string) (int, error) {
	n, err := rs.deleteIDs(ctx, colCodes, codes)
	if err != nil {
		return n, err
	}
	_, err = rs.deleteIDs(ctx, colBatches, batches)
	return n, err
}

// DeleteContacts deletes requests to talk by id.
func (rs *RetentionStore) DeleteContacts(ctx context.Context, ids []string) (int, error) {
	return rs.deleteIDs(ctx, colContacts, ids)
}

// DeleteFlags deletes safeguarding flags by id.
func (rs *RetentionStore) DeleteFlags(ctx context.Context, ids []string) (int, error) {
	return rs.deleteIDs(ctx, colFlags, ids)
}
