package mongo

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// responseDoc is how a response is stored: the young person's answers and
// the day, nothing about them or their device. W is a random write token
// shared only with the tally journal entry that wrote the response, so that
// recovery can tell whether an unfinished batch wrote it or an earlier one
// did (a retry); it is unique to the response and links it to nothing.
type responseDoc struct {
	ID      string   `bson:"_id"`
	Survey  string   `bson:"survey"`
	Edition int      `bson:"edition"`
	Version string   `bson:"version"`
	Lang    string   `bson:"lang"`
	Day     string   `bson:"day"`
	Answers bson.Raw `bson:"answers"`
	W       string   `bson:"w"`
}

// toResponseDoc encodes r's answers in the order of v's questions, each as
// its plain value: a choice key, a list of choice keys, a number or text.
func toResponseDoc(v *surveys.Version, r *surveys.Response) (*responseDoc, error) {
	answers := bson.D{}
	for i := range v.Questions {
		q := &v.Questions[i]
		if a, ok := r.Answers[q.Key]; ok {
			answers = append(answers, bson.E{Key: q.Key, Value: a.Value(q.Type)})
		}
	}
	raw, err := bson.Marshal(answers)
	if err != nil {
		return nil, fmt.Errorf("encode answers: %w", err)
	}
	return &responseDoc{ID: r.ID, Survey: r.Survey, Edition: r.Edition, Version: r.Version, Lang: r.Lang, Day: r.Day, Answers: raw}, nil
}

// response decodes a stored response of survey s.
func (d *responseDoc) response(s *surveys.Survey) (*surveys.Response, *surveys.Version, error) {
	v := s.Version(d.Version)
	if v == nil {
		return nil, nil, fmt.Errorf("response %s: survey %q has no version %q", d.ID, s.Slug, d.Version)
	}
	r := &surveys.Response{ID: d.ID, Survey: d.Survey, Edition: d.Edition, Version: d.Version, Lang: d.Lang, Day: d.Day,
		Answers: map[string]surveys.Answer{}}
	elems, err := d.Answers.Elements()
	if err != nil {
		return nil, nil, fmt.Errorf("response %s: read answers: %w", d.ID, err)
	}
	for _, e := range elems {
		q := v.Question(e.Key())
		if q == nil {
			return nil, nil, fmt.Errorf("response %s: %q is not a question of %s/%s", d.ID, e.Key(), s.Slug, v.Key)
		}
		a, err := decodeAnswer(q, e.Value())
		if err != nil {
			return nil, nil, fmt.Errorf("response %s: answer to %q: %w", d.ID, q.Key, err)
		}
		r.Answers[q.Key] = a
	}
	return r, v, nil
}

func decodeAnswer(q *surveys.Question, v bson.RawValue) (surveys.Answer, error) {
	switch q.Type {
	case surveys.SingleChoice, surveys.Scale:
		s, ok := v.StringValueOK()
		if !ok {
			return surveys.Answer{}, fmt.Errorf("want a string, have %s", v.Type)
		}
		return surveys.Answer{Choice: s}, nil
	case surveys.MultiChoice:
		arr, ok := v.ArrayOK()
		if !ok {
			return surveys.Answer{}, fmt.Errorf("want an array, have %s", v.Type)
		}
		vals, err := arr.Values()
		if err != nil {
			return surveys.Answer{}, err
		}
		keys := make([]string, 0, len(vals))
		for _, item := range vals {
			s, ok := item.StringValueOK()
			if !ok {
				return surveys.Answer{}, fmt.Errorf("want strings, have %s", item.Type)
			}
			keys = append(keys, s)
		}
		return surveys.Answer{Choices: keys}, nil
	case surveys.Rating:
		n, ok := v.AsInt64OK()
		if !ok {
			return surveys.Answer{}, fmt.Errorf("want a number, have %s", v.Type)
		}
		return surveys.Answer{Number: int(n)}, nil
	default:
		s, ok := v.StringValueOK()
		if !ok {
			return surveys.Answer{}, fmt.Errorf("want a string, have %s", v.Type)
		}
		return surveys.Answer{Text: s}, nil
	}
}

var _ surveys.ResponseReader = (*ResponseStore)(nil)

// Batches of ReadResponses: how many responses it hands over at once when
// the caller leaves it to the store, and at most.
const (
	DefaultReadBatch = 1000
	MaxReadBatch     = 10_000
)

// ReadResponses reads s's responses in one pass: one find on the survey's
// slug, read through the cursor a batch at a time. It relies only on an
// equality filter and the cursor's batches (find and getMore), which the
// embedded server has; there it scans the whole collection once, and on
// MongoDB the index on survey and version serves it. It asks for no sort:
// the embedded server sorts by loading every matching document into
// memory first (about 400 MB for 100,000 responses), which is what reading
// in batches is for avoiding. Responses come in storage order, which
// follows the order they arrived in, so callers that pass them on must
// not keep it (see exports.WriteResponses).
func (s *ResponseStore) ReadResponses(ctx context.Context, sv *surveys.Survey, size int, each func([]*surveys.Response) error) error {
	if size < 1 {
		size = DefaultReadBatch
	}
	size = min(size, MaxReadBatch)
	cur, err := s.db.col(colResponses).Find(ctx, bson.D{{Key: "survey", Value: sv.Slug}},
		options.Find().SetBatchSize(int32(size)))
	if err != nil {
		return fmt.Errorf("read responses of %q: %w", sv.Slug, err)
	}
	defer func() { _ = cur.Close(context.WithoutCancel(ctx)) }()
	batch := make([]*surveys.Response, 0, size)
	for cur.Next(ctx) {
		var d responseDoc
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("read response of %q: %w", sv.Slug, err)
		}
		r, _, err := d.response(sv)
		if err != nil {
			return err
		}
		if batch = append(batch, r); len(batch) == size {
			if err := each(batch); err != nil {
				return err
			}
			batch = make([]*surveys.Response, 0, size)
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("read responses of %q: %w", sv.Slug, err)
	}
	if len(batch) > 0 {
		return each(batch)
	}
	return nil
}
