package mongo

import (
	"context"
	"fmt"
	"sort"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// TallyStore reads and rebuilds tallies. A tally is one document per survey
// version, keyed "<slug>/<version>", holding every slice's counts:
//
//	{_id: "cared-for-2026/11-18", survey, version,
//	 s: {"all": {n: 40, q: {feel_safe: {n: 38, c: {always: 30, ...}}}},
//	     "area:north": {...}},
//	 applied: {"<instance>": <last batch seq>}}
//
// Keys in paths are safe: survey, question and choice keys are lower-case
// letters, digits, "_" and "-" (the domain validates them), slices add ":"
// and rating values are digits.
type TallyStore struct {
	db *DB
}

var _ surveys.TallyStore = (*TallyStore)(nil)

// NewTallyStore returns a TallyStore on db.
func NewTallyStore(db *DB) *TallyStore { return &TallyStore{db: db} }

func tallyID(survey, version string) string { return survey + "/" + version }

type tallyDoc struct {
	ID      string              `bson:"_id"`
	Survey  string              `bson:"survey"`
	Version string              `bson:"version"`
	Slices  map[string]sliceDoc `bson:"s"`
	Applied map[string]int64    `bson:"applied"`
}

type sliceDoc struct {
	N int                 `bson:"n"`
	Q map[string]countDoc `bson:"q"`
}

type countDoc struct {
	N int            `bson:"n"`
	C map[string]int `bson:"c"`
}

func (d *tallyDoc) tally() *surveys.Tally {
	t := surveys.NewTally(d.Survey, d.Version)
	for key, s := range d.Slices {
		st := &surveys.SliceTally{Responses: s.N, Questions: map[string]*surveys.QuestionTally{}}
		for qk, q := range s.Q {
			counts := make(map[string]int, len(q.C))
			for ck, n := range q.C {
				counts[ck] = n
			}
			st.Questions[qk] = &surveys.QuestionTally{Answered: q.N, Counts: counts}
		}
		t.Slices[key] = st
	}
	return t
}

func toTallyDoc(t *surveys.Tally) *tallyDoc {
	d := &tallyDoc{ID: tallyID(t.Survey, t.Version), Survey: t.Survey, Version: t.Version,
		Slices: map[string]sliceDoc{}, Applied: map[string]int64{}}
	for key, s := range t.Slices {
		sd := sliceDoc{N: s.Responses, Q: map[string]countDoc{}}
		for qk, q := range s.Questions {
			sd.Q[qk] = countDoc{N: q.Answered, C: q.Counts}
		}
		d.Slices[key] = sd
	}
	return d
}

// incPaths returns the $inc document that adds delta to a tally document,
// in a stable order.
func incPaths(delta *surveys.Tally) bson.D {
	var inc bson.D
	add := func(path string, n int) {
		if n != 0 {
			inc = append(inc, bson.E{Key: path, Value: n})
		}
	}
	for key, s := range delta.Slices {
		prefix := "s." + key
		add(prefix+".n", s.Responses)
		for qk, q := range s.Questions {
			qp := prefix + ".q." + qk
			add(qp+".n", q.Answered)
			for ck, n := range q.Counts {
				add(qp+".c."+ck, n)
			}
		}
	}
	sort.Slice(inc, func(i, j int) bool { return inc[i].Key < inc[j].Key })
	return inc
}

// FindTallies reads the tally of each version of s, by _id.
func (ts *TallyStore) FindTallies(ctx context.Context, s *surveys.Survey) ([]*surveys.Tally, error) {
	var out []*surveys.Tally
	for _, v := range s.Versions {
		var d tallyDoc
		err := ts.db.col(colTallies).FindOne(ctx, bson.D{{Key: "_id", Value: tallyID(s.Slug, v.Key)}}).Decode(&d)
		if isNotFound(err) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("find tally of %s/%s: %w", s.Slug, v.Key, err)
		}
		out = append(out, d.tally())
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
		d := toTallyDoc(t)
		_, err := ts.db.col(colTallies).ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, d, options.Replace().SetUpsert(true))
		if err != nil {
			return fmt.Errorf("replace tally %s: %w", d.ID, err)
		}
	}
	return nil
}
