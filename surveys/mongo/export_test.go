package mongo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/heard-app/heard/surveys"
)

// CrashPoint says how far a simulated batch got before its process died.
type CrashPoint struct {
	Responses     bool     // the responses were inserted
	TallyVersions []string // the tally documents of these versions were updated
	JournalGone   bool     // the journal entry was deleted (the batch finished)
}

// SimulateBatch writes a batch of responses as instance would, stopping at
// the crash point. A response whose id is already stored is kept as it is
// (it was a retry), exactly as the committer does.
func SimulateBatch(ctx context.Context, d *DB, instance string, seq int64, s *surveys.Survey, rs []*surveys.Response, at CrashPoint) error {
	j := &journalDoc{ID: journalID(instance, seq), Instance: instance, Seq: seq, Owner: instance}
	var docs []any
	deltas := tallyDeltas{}
	for _, r := range rs {
		v := s.Version(r.Version)
		doc, err := toResponseDoc(v, r)
		if err != nil {
			return err
		}
		doc.W = newWriteToken()
		j.Responses = append(j.Responses, journalEntry{ID: r.ID, W: doc.W})
		docs = append(docs, doc)
	}
	if _, err := d.col(colJournal).InsertOne(ctx, j); err != nil {
		return err
	}
	if at.Responses {
		for i, doc := range docs {
			_, err := d.col(colResponses).InsertOne(ctx, doc)
			switch {
			case isDuplicate(err):
			case err != nil:
				return err
			default:
				deltas.add(s.Version(rs[i].Version), rs[i])
			}
		}
	}
	for id, delta := range deltas {
		if slices.Contains(at.TallyVersions, delta.Version) {
			if err := d.applyDelta(ctx, delta, instance, seq); err != nil {
				return err
			}
			_ = id
		}
	}
	if at.JournalGone {
		_, err := d.col(colJournal).DeleteOne(ctx, bson.D{{Key: "_id", Value: j.ID}})
		return err
	}
	return nil
}

// RegisterInstance writes an instance document last seen at seen.
func RegisterInstance(ctx context.Context, d *DB, id string, seen time.Time) error {
	_, err := d.col(colInstances).InsertOne(ctx, instanceDoc{ID: id, Seen: seen})
	return err
}

// AppliedMarks returns the applied map of a tally document.
func AppliedMarks(ctx context.Context, d *DB, survey, version string) (map[string]int64, error) {
	doc, err := d.findTallyDoc(ctx, tallyID(survey, version))
	if doc == nil {
		return nil, err
	}
	return doc.Applied, err
}

// StoredResponse reads a response document as stored, field by field.
func StoredResponse(ctx context.Context, d *DB, id string) (bson.M, error) {
	var m bson.M
	err := d.col(colResponses).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&m)
	return m, err
}

// WrapInsert makes rs write responses through f, which gets the real
// insert to call.
func WrapInsert(rs *ResponseStore, f func(ctx context.Context, docs []any, insert func(context.Context, []any) error) error) {
	real := rs.insert
	rs.insert = func(ctx context.Context, docs []any) error { return f(ctx, docs, real) }
}

// QueueLength returns how many responses wait for the committer.
func QueueLength(rs *ResponseStore) int { return len(rs.queue) }

// SimulateCodedBatch writes a batch of one response with an access code as
// instance would, reserving the code, and stops: with stored, after the
// response was written; without, before.
func SimulateCodedBatch(ctx context.Context, d *DB, instance string, seq int64, s *surveys.Survey, r *surveys.Response, codeHash string, stored bool) error {
	j := &journalDoc{ID: journalID(instance, seq), Instance: instance, Seq: seq, Owner: instance}
	doc, err := toResponseDoc(s.Version(r.Version), r)
	if err != nil {
		return err
	}
	doc.W = newWriteToken()
	j.Responses = []journalEntry{{ID: r.ID, W: doc.W, Code: codeHash}}
	if _, err := d.col(colJournal).InsertOne(ctx, j); err != nil {
		return err
	}
	if problem, err := d.reserveCode(ctx, s.Slug, codeHash, j.ID); err != nil || problem != "" {
		return fmt.Errorf("reserve: %q %v", problem, err)
	}
	if stored {
		_, err = d.col(colResponses).InsertOne(ctx, doc)
	}
	return err
}

// StoredCode reads a code document as stored, field by field.
func StoredCode(ctx context.Context, d *DB, hash string) (bson.M, error) {
	var m bson.M
	err := d.col(colCodes).FindOne(ctx, bson.D{{Key: "_id", Value: hash}}).Decode(&m)
	return m, err
}

// StoredBatch reads a batch document as stored, field by field.
func StoredBatch(ctx context.Context, d *DB, id string) (bson.M, error) {
	var m bson.M
	err := d.col(colBatches).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&m)
	return m, err
}

// ForgetVoiceDigests deletes every voice digest and the mark that they were
// built, as a database from before digests existed would be.
func ForgetVoiceDigests(ctx context.Context, d *DB) error {
	if err := d.col(colVoiceDays).Drop(ctx); err != nil {
		return fmt.Errorf("drop voice digests: %w", err)
	}
	_, err := d.col(colMeta).DeleteOne(ctx, bson.D{{Key: "_id", Value: digestsMark}})
	ForgetDigestChunks(d)
	return err
}

// SetDigestChunkSize sets how many digests a day's document takes.
func SetDigestChunkSize(d *DB, n int) {
	d.digestMu.Lock()
	defer d.digestMu.Unlock()
	d.chunkSize = n
}

// ForgetDigestChunks forgets what this process knows of each day's digest
// documents, as a restart would.
func ForgetDigestChunks(d *DB) {
	d.digestMu.Lock()
	defer d.digestMu.Unlock()
	clear(d.chunks)
	clear(d.digestDocs)
}

// DigestDocuments returns the ids of the voice_days documents.
func DigestDocuments(ctx context.Context, d *DB) ([]string, error) {
	cur, err := d.col(colVoiceDays).Find(ctx, bson.D{})
	if err != nil {
		return nil, err
	}
	var docs []dayDigestsDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	var ids []string
	for _, doc := range docs {
		entries, err := doc.entries()
		if err != nil {
			return nil, err
		}
		ids = append(ids, fmt.Sprintf("%s:%d", doc.ID, len(entries)))
	}
	slices.Sort(ids)
	return ids, nil
}
