package mongo

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// TallyStore reads and rebuilds tallies. A tally is one document per survey
// version, keyed "<slug>/<version>":
//
//	{_id: "cared-for-2026/11-18", survey, version, rev: 12,
//	 applied: {"<instance>": <last batch seq>},
//	 counts: '{"all":{"n":40,"q":{"feel_safe":{"n":38,"c":{"always":30}}}},"area:north":{...}}'}
//
// The counts are one JSON string rather than nested fields. The embedded
// server decodes a document field by field at a few microseconds each, so a
// tally of a few thousand nested counters took tens of milliseconds to read
// or update; as one string it takes about one. The price is that counts are
// updated by reading, adding and writing back (see applyDelta) instead of
// with $inc.
type TallyStore struct {
	db   *DB
	sync func(context.Context) error
}

var _ surveys.TallyStore = (*TallyStore)(nil)

// NewTallyStore returns a TallyStore on db.
func NewTallyStore(db *DB) *TallyStore { return &TallyStore{db: db} }

// Following returns a TallyStore whose reads first wait for rs to add to
// the tallies every answer it has acknowledged, so that an instance's
// results include its own answers at once. (Another instance's answers
// reach them within moments.)
func (ts *TallyStore) Following(rs *ResponseStore) *TallyStore {
	return &TallyStore{db: ts.db, sync: rs.Sync}
}

func tallyID(survey, version string) string { return survey + "/" + version }

type tallyDoc struct {
	ID      string           `bson:"_id"`
	Survey  string           `bson:"survey"`
	Version string           `bson:"version"`
	Rev     int64            `bson:"rev"`
	Applied map[string]int64 `bson:"applied"`
	Counts  string           `bson:"counts"`
}

// sliceJSON and countJSON are the shape of the counts string.
type sliceJSON struct {
	N int                  `json:"n"`
	Q map[string]countJSON `json:"q"`
}

type countJSON struct {
	N int            `json:"n"`
	C map[string]int `json:"c,omitempty"`
}

func (d *tallyDoc) tally() (*surveys.Tally, error) {
	t := surveys.NewTally(d.Survey, d.Version)
	if d.Counts == "" {
		return t, nil
	}
	var slices map[string]sliceJSON
	if err := json.Unmarshal([]byte(d.Counts), &slices); err != nil {
		return nil, fmt.Errorf("decode tally %s: %w", d.ID, err)
	}
	for key, s := range slices {
		st := &surveys.SliceTally{Responses: s.N, Questions: map[string]*surveys.QuestionTally{}}
		for qk, q := range s.Q {
			counts := q.C
			if counts == nil {
				counts = map[string]int{}
			}
			st.Questions[qk] = &surveys.QuestionTally{Answered: q.N, Counts: counts}
		}
		t.Slices[key] = st
	}
	return t, nil
}

// encodeCounts returns the counts string of t.
func encodeCounts(t *surveys.Tally) (string, error) {
	slices := make(map[string]sliceJSON, len(t.Slices))
	for key, s := range t.Slices {
		sj := sliceJSON{N: s.Responses, Q: make(map[string]countJSON, len(s.Questions))}
		for qk, q := range s.Questions {
			sj.Q[qk] = countJSON{N: q.Answered, C: q.Counts}
		}
		slices[key] = sj
	}
	b, err := json.Marshal(slices)
	if err != nil {
		return "", fmt.Errorf("encode tally: %w", err)
	}
	return string(b), nil
}

// findTallyDoc reads a tally document, or returns nil when there is none.
// The document returned must not be changed: it may be the cached one.
func (d *DB) findTallyDoc(ctx context.Context, id string) (*tallyDoc, error) {
	if doc, ok := d.tallies.get(id, d.exclusive); ok {
		return doc, nil
	}
	var doc tallyDoc
	err := d.col(colTallies).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc)
	if isNotFound(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("read tally %s: %w", id, err)
	}
	d.tallies.put(&doc, d.exclusive)
	return &doc, nil
}

// tallyCache holds tally documents by _id, for an exclusive DB only.
type tallyCache struct {
	mu   sync.Mutex
	docs map[string]*tallyDoc
}

func (c *tallyCache) get(id string, exclusive bool) (*tallyDoc, bool) {
	if !exclusive {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	doc, ok := c.docs[id]
	return doc, ok
}

func (c *tallyCache) put(doc *tallyDoc, exclusive bool) {
	if !exclusive {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.docs[doc.ID] = doc
}

// forget drops a document whose stored state is unknown after a failed write.
func (c *tallyCache) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.docs, id)
}

// FindTallies reads the tally of each version of s, by _id.
func (ts *TallyStore) FindTallies(ctx context.Context, s *surveys.Survey) ([]*surveys.Tally, error) {
	if ts.sync != nil {
		if err := ts.sync(ctx); err != nil {
			return nil, err
		}
	}
	var out []*surveys.Tally
	for _, v := range s.Versions {
		d, err := ts.db.findTallyDoc(ctx, tallyID(s.Slug, v.Key))
		if err != nil {
			return nil, err
		}
		if d == nil {
			continue
		}
		t, err := d.tally()
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// CountTallies recounts s's stored responses. It reads every response of
// the survey, so it is for repair and checking, not for serving results.
func (ts *TallyStore) CountTallies(ctx context.Context, s *surveys.Survey) ([]*surveys.Tally, error) {
	cur, err := ts.db.col(colResponses).Find(ctx, bson.D{{Key: "survey", Value: s.Slug}})
	if err != nil {
		return nil, fmt.Errorf("count responses of %q: %w", s.Slug, err)
	}
	defer cur.Close(ctx)
	byVersion := map[string]*surveys.Tally{}
	for cur.Next(ctx) {
		var d responseDoc
		if err := cur.Decode(&d); err != nil {
			return nil, fmt.Errorf("read response of %q: %w", s.Slug, err)
		}
		r, v, err := d.response(s)
		if err != nil {
			return nil, err
		}
		t := byVersion[v.Key]
		if t == nil {
			t = surveys.NewTally(s.Slug, v.Key)
			byVersion[v.Key] = t
		}
		t.Add(v, r)
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("count responses of %q: %w", s.Slug, err)
	}
	out := make([]*surveys.Tally, 0, len(byVersion))
	for _, v := range s.Versions {
		if t := byVersion[v.Key]; t != nil {
			out = append(out, t)
		}
	}
	return out, nil
}

// ReplaceTallies writes tallies in place of s's, for every version: a
// version missing from tallies gets an empty tally. It is not safe while
// answers to s are being stored, because it would overwrite their counts;
// with the embedded database the data directory's lock guarantees that.
func (ts *TallyStore) ReplaceTallies(ctx context.Context, s *surveys.Survey, tallies []*surveys.Tally) error {
	byVersion := map[string]*surveys.Tally{}
	for _, t := range tallies {
		byVersion[t.Version] = t
	}
	for _, v := range s.Versions {
		t := byVersion[v.Key]
		if t == nil {
			t = surveys.NewTally(s.Slug, v.Key)
		}
		id := tallyID(s.Slug, v.Key)
		old, err := ts.db.findTallyDoc(ctx, id)
		if err != nil {
			return err
		}
		counts, err := encodeCounts(t)
		if err != nil {
			return err
		}
		d := &tallyDoc{ID: id, Survey: s.Slug, Version: v.Key, Rev: 1, Applied: map[string]int64{}, Counts: counts}
		if old != nil {
			d.Rev = old.Rev + 1
		}
		_, err = ts.db.col(colTallies).ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, d, options.Replace().SetUpsert(true))
		if err != nil {
			ts.db.tallies.forget(id)
			return fmt.Errorf("replace tally %s: %w", id, err)
		}
		ts.db.tallies.put(d, ts.db.exclusive)
	}
	return nil
}
