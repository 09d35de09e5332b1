package mongo

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// SurveyStore keeps surveys, one document each, keyed by slug.
type SurveyStore struct {
	db *DB
	// mu makes the read and write of an update one step within this
	// process: the embedded server does not apply updates atomically, and
	// with it there is only ever one process.
	mu sync.Mutex
}

var _ surveys.SurveyStore = (*SurveyStore)(nil)

// NewSurveyStore returns a SurveyStore on db.
func NewSurveyStore(db *DB) *SurveyStore { return &SurveyStore{db: db} }

// surveyDoc is how a survey is stored. The definition is kept as its JSON
// text, exactly the format a council writes: the embedded server decodes
// nested fields one by one, slowly, and a definition has thousands.
type surveyDoc struct {
	Slug       string    `bson:"_id"`
	Edition    int       `bson:"edition"`
	Status     string    `bson:"status"`
	Revision   int       `bson:"revision"`
	Created    time.Time `bson:"created"`
	Updated    time.Time `bson:"updated"`
	Definition string    `bson:"definition"`
	Opens      time.Time `bson:"opens,omitempty"`
	Closes     time.Time `bson:"closes,omitempty"`
	Cohort     int       `bson:"cohort,omitempty"`
	School     string    `bson:"school,omitempty"`
	Area       string    `bson:"area,omitempty"`
	// Retention's: when it last closed, its own period in months, and
	// when retention deleted its answers.
	ClosedAt        time.Time `bson:"closed_at,omitempty"`
	RetentionMonths int       `bson:"retention_months,omitempty"`
	Retained        time.Time `bson:"retained,omitempty"`
}

func toSurveyDoc(s *surveys.Survey) (*surveyDoc, error) {
	js, err := json.Marshal(&s.Definition)
	if err != nil {
		return nil, fmt.Errorf("encode definition: %w", err)
	}
	return &surveyDoc{Slug: s.Slug, Edition: s.Edition, Status: string(s.Status), Revision: s.Revision,
		Created: s.Created, Updated: s.Updated, Definition: string(js), Opens: s.Opens, Closes: s.Closes, Cohort: s.Cohort,
		School: s.School, Area: s.Area, ClosedAt: s.ClosedAt, RetentionMonths: s.RetentionMonths, Retained: s.Retained}, nil
}

func (d *surveyDoc) survey() (*surveys.Survey, error) {
	s := &surveys.Survey{Status: surveys.Status(d.Status), Revision: d.Revision, Created: d.Created.UTC(), Updated: d.Updated.UTC(),
		Cohort: d.Cohort, School: d.School, Area: d.Area, RetentionMonths: d.RetentionMonths}
	if !d.ClosedAt.IsZero() {
		s.ClosedAt = d.ClosedAt.UTC()
	}
	if !d.Retained.IsZero() {
		s.Retained = d.Retained.UTC()
	}
	if !d.Opens.IsZero() {
		s.Opens = d.Opens.UTC()
	}
	if !d.Closes.IsZero() {
		s.Closes = d.Closes.UTC()
	}
	if err := json.Unmarshal([]byte(d.Definition), &s.Definition); err != nil {
		return nil, fmt.Errorf("decode stored definition of %q: %w", d.Slug, err)
	}
	return s, nil
}

// FindSurvey reads a survey by slug.
func (st *SurveyStore) FindSurvey(ctx context.Context, slug string) (*surveys.Survey, error) {
	var d surveyDoc
	err := st.db.col(colSurveys).FindOne(ctx, bson.D{{Key: "_id", Value: slug}}).Decode(&d)
	if isNotFound(err) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no survey %q.", slug)
	} else if err != nil {
		return nil, fmt.Errorf("find survey %q: %w", slug, err)
	}
	return d.survey()
}

// FindSurveys lists surveys, newest edition first, then by slug.
func (st *SurveyStore) FindSurveys(ctx context.Context, f surveys.SurveyFilter) ([]*surveys.Survey, error) {
	filter := bson.D{}
	if f.Status != "" {
		filter = append(filter, bson.E{Key: "status", Value: string(f.Status)})
	}
	opts := options.Find().SetSort(bson.D{{Key: "edition", Value: -1}, {Key: "_id", Value: 1}})
	cur, err := st.db.col(colSurveys).Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("find surveys: %w", err)
	}
	var docs []surveyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read surveys: %w", err)
	}
	out := make([]*surveys.Survey, 0, len(docs))
	for i := range docs {
		s, err := docs[i].survey()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// CreateSurvey inserts a survey; its slug must be new.
func (st *SurveyStore) CreateSurvey(ctx context.Context, s *surveys.Survey) error {
	d, err := toSurveyDoc(s)
	if err != nil {
		return err
	}
	_, err = st.db.col(colSurveys).InsertOne(ctx, d)
	if isDuplicate(err) {
		return surveys.Errorf(surveys.ECONFLICT, "A survey with the slug %q already exists.", s.Slug)
	} else if err != nil {
		return fmt.Errorf("insert survey %q: %w", s.Slug, err)
	}
	return nil
}

// UpdateSurvey changes a survey if it is still at revision, and bumps the
// revision. The filter names the revision, so on MongoDB two instances
// cannot both apply an update based on the same revision.
func (st *SurveyStore) UpdateSurvey(ctx context.Context, slug string, revision int, upd surveys.SurveyUpdate) (*surveys.Survey, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	at := upd.At
	if at.IsZero() {
		at = time.Now()
	}
	set := bson.D{{Key: "updated", Value: at.UTC()}}
	unset := bson.D{}
	if upd.Status != nil {
		set = append(set, bson.E{Key: "status", Value: string(*upd.Status)})
	}
	if upd.Definition != nil {
		if upd.Definition.Slug != slug {
			return nil, fmt.Errorf("update survey %q: the definition's slug is %q", slug, upd.Definition.Slug)
		}
		js, err := json.Marshal(upd.Definition)
		if err != nil {
			return nil, fmt.Errorf("encode definition: %w", err)
		}
		set = append(set, bson.E{Key: "definition", Value: string(js)}, bson.E{Key: "edition", Value: upd.Definition.Edition})
	}
	for _, t := range []struct {
		key string
		at  *time.Time
	}{{"opens", upd.Opens}, {"closes", upd.Closes}, {"closed_at", upd.ClosedAt}, {"retained", upd.Retained}} {
		switch {
		case t.at == nil:
		case t.at.IsZero():
			unset = append(unset, bson.E{Key: t.key, Value: ""})
		default:
			set = append(set, bson.E{Key: t.key, Value: t.at.UTC()})
		}
	}
	if upd.Cohort != nil {
		set = append(set, bson.E{Key: "cohort", Value: *upd.Cohort})
	}
	if upd.RetentionMonths != nil {
		set = append(set, bson.E{Key: "retention_months", Value: *upd.RetentionMonths})
	}
	change := bson.D{{Key: "$set", Value: set}, {Key: "$inc", Value: bson.D{{Key: "revision", Value: 1}}}}
	if len(unset) > 0 {
		change = append(change, bson.E{Key: "$unset", Value: unset})
	}
	res, err := st.db.col(colSurveys).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: slug}, {Key: "revision", Value: revision}},
		change)
	if err != nil {
		return nil, fmt.Errorf("update survey %q: %w", slug, err)
	}
	if res.MatchedCount == 0 {
		if _, err := st.FindSurvey(ctx, slug); err != nil {
			return nil, err
		}
		return nil, surveys.Errorf(surveys.ECONFLICT, "Someone else changed this survey just now. Please look at it again.")
	}
	return st.FindSurvey(ctx, slug)
}
