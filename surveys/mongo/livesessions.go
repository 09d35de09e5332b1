package mongo

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// Collections of MADE sessions. ("sessions" holds staff sign-ins.)
const (
	// colLiveSessions holds MADE sessions, one document each, by id.
	colLiveSessions = "live_sessions"
	// colJoinCodes holds one document per join code ever given, by the
	// code, naming its session: an insert of a code given before fails on
	// its _id, so no code is given twice, on any instance.
	colJoinCodes = "join_codes"
)

// LiveSessionStore keeps MADE sessions and their join codes. Sessions are
// few (surveys.MaxLiveSessions), so the list is read whole, with no index;
// a session and a code are read by _id.
type LiveSessionStore struct {
	db *DB
	// mu makes an update's check of the revision and its write one step
	// in this process, as for actions: the embedded server does not apply
	// updates atomically. On MongoDB the filter on the revision keeps two
	// instances from both saving over the same revision.
	mu sync.Mutex
}

var _ surveys.LiveSessionStore = (*LiveSessionStore)(nil)

// NewLiveSessionStore returns a LiveSessionStore on db.
func NewLiveSessionStore(db *DB) *LiveSessionStore { return &LiveSessionStore{db: db} }

// liveSessionDoc is how a session is stored: its plain fields as fields,
// and its activities as one JSON string, because the embedded server
// decodes nested fields one by one and thirty activities have hundreds.
type liveSessionDoc struct {
	ID          string           `bson:"_id"`
	Title       string           `bson:"title"`
	Date        string           `bson:"date"`
	Group       string           `bson:"group"`
	Purpose     string           `bson:"purpose"`
	Premoderate bool             `bson:"premoderate"`
	Status      string           `bson:"status"`
	Activities  string           `bson:"activities"`
	Code        string           `bson:"code"`
	PresentKey  string           `bson:"present_key"`
	Attendance  []attendanceBand `bson:"attendance"`
	Published   []string         `bson:"published"`
	Revision    int              `bson:"revision"`
	Created     time.Time        `bson:"created"`
	Updated     time.Time        `bson:"updated"`
	Started     time.Time        `bson:"started,omitempty"`
	Ended       time.Time        `bson:"ended,omitempty"`
}

// attendanceBand is one age band's count. Bands are stored as values, not
// as field names, so that no band's name can be taken for a path.
type attendanceBand struct {
	Band  string `bson:"band"`
	Count int    `bson:"count"`
}

// activityJSON is an activity as stored in the JSON string, with names of
// its own, so that renaming a Go field does not lose what was stored.
type activityJSON struct {
	ID         string         `json:"id"`
	Kind       string         `json:"kind"`
	Prompt     string         `json:"prompt"`
	Options    []string       `json:"options,omitempty"`
	Multiple   bool           `json:"multiple,omitempty"`
	Statements []string       `json:"statements,omitempty"`
	Columns    []string       `json:"columns,omitempty"`
	Dots       int            `json:"dots,omitempty"`
	FromIdeas  string         `json:"from_ideas,omitempty"`
	Words      int            `json:"words,omitempty"`
	Themes     []string       `json:"themes,omitempty"`
	Questions  []questionJSON `json:"questions,omitempty"`
}

type questionJSON struct {
	Survey   string `json:"survey"`
	Question string `json:"question"`
}

func toLiveSessionDoc(s *surveys.LiveSession) (*liveSessionDoc, error) {
	acts := make([]activityJSON, len(s.Activities))
	for i, a := range s.Activities {
		acts[i] = activityJSON{ID: a.ID, Kind: string(a.Kind), Prompt: a.Prompt, Options: a.Options, Multiple: a.Multiple,
			Statements: a.Statements, Columns: a.Columns, Dots: a.Dots, FromIdeas: a.FromIdeas, Words: a.Words, Themes: a.Themes}
		for _, q := range a.Questions {
			acts[i].Questions = append(acts[i].Questions, questionJSON(q))
		}
	}
	js, err := json.Marshal(acts)
	if err != nil {
		return nil, fmt.Errorf("encode the activities of session %q: %w", s.ID, err)
	}
	d := &liveSessionDoc{ID: s.ID, Title: s.Title, Date: s.Date, Group: s.Group, Purpose: s.Purpose, Premoderate: s.Premoderate,
		Status: string(s.Status), Activities: string(js), Code: s.Code, PresentKey: s.PresentKey, Attendance: []attendanceBand{},
		Published: nonNil(s.Published), Revision: s.Revision, Created: s.Created.UTC(), Updated: s.Updated.UTC(),
		Started: s.Started.UTC(), Ended: s.Ended.UTC()}
	for band, n := range s.Attendance {
		d.Attendance = append(d.Attendance, attendanceBand{Band: band, Count: n})
	}
	// In a fixed order, so that the same session is always the same
	// document.
	sort.Slice(d.Attendance, func(i, j int) bool { return d.Attendance[i].Band < d.Attendance[j].Band })
	return d, nil
}

func (d *liveSessionDoc) session() (*surveys.LiveSession, error) {
	var acts []activityJSON
	if err := json.Unmarshal([]byte(d.Activities), &acts); err != nil {
		return nil, fmt.Errorf("decode the stored activities of session %q: %w", d.ID, err)
	}
	s := &surveys.LiveSession{ID: d.ID, Title: d.Title, Date: d.Date, Group: d.Group, Purpose: d.Purpose, Premoderate: d.Premoderate,
		Status: surveys.LiveStatus(d.Status), Code: d.Code, PresentKey: d.PresentKey, Published: emptyNil(d.Published),
		Revision: d.Revision, Created: d.Created.UTC(), Updated: d.Updated.UTC()}
	if !d.Started.IsZero() {
		s.Started = d.Started.UTC()
	}
	if !d.Ended.IsZero() {
		s.Ended = d.Ended.UTC()
	}
	if len(d.Attendance) > 0 {
		s.Attendance = make(map[string]int, len(d.Attendance))
		for _, b := range d.Attendance {
			s.Attendance[b.Band] = b.Count
		}
	}
	if len(acts) > 0 {
		s.Activities = make([]surveys.Activity, len(acts))
	}
	for i, a := range acts {
		s.Activities[i] = surveys.Activity{ID: a.ID, Kind: surveys.ActivityKind(a.Kind), Prompt: a.Prompt, Options: a.Options,
			Multiple: a.Multiple, Statements: a.Statements, Columns: a.Columns, Dots: a.Dots, FromIdeas: a.FromIdeas, Words: a.Words,
			Themes: a.Themes}
		for _, q := range a.Questions {
			s.Activities[i].Questions = append(s.Activities[i].Questions, surveys.ActionQuestion(q))
		}
	}
	return s, nil
}

// CreateLiveSession inserts a session; its id must be new.
func (st *LiveSessionStore) CreateLiveSession(ctx context.Context, s *surveys.LiveSession) error {
	d, err := toLiveSessionDoc(s)
	if err != nil {
		return err
	}
	_, err = st.db.col(colLiveSessions).InsertOne(ctx, d)
	switch {
	case isDuplicate(err):
		return surveys.Errorf(surveys.ECONFLICT, "A session with the id %q exists already.", s.ID)
	case err != nil:
		return fmt.Errorf("insert session %q: %w", s.ID, err)
	}
	return nil
}

// FindLiveSession reads a session by id.
func (st *LiveSessionStore) FindLiveSession(ctx context.Context, id string) (*surveys.LiveSession, error) {
	var d liveSessionDoc
	err := st.db.col(colLiveSessions).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	switch {
	case isNotFound(err):
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no session %q.", id)
	case err != nil:
		return nil, fmt.Errorf("find session %q: %w", id, err)
	}
	return d.session()
}

// FindLiveSessions reads every session, newest date first, then by title
// (and id, so that the order is the same on every read).
func (st *LiveSessionStore) FindLiveSessions(ctx context.Context) ([]*surveys.LiveSession, error) {
	cur, err := st.db.col(colLiveSessions).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("find sessions: %w", err)
	}
	var docs []liveSessionDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read sessions: %w", err)
	}
	out := make([]*surveys.LiveSession, 0, len(docs))
	for i := range docs {
		s, err := docs[i].session()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	surveys.SortLiveSessions(out)
	return out, nil
}

// UpdateLiveSession replaces a session if it is still at revision, at the
// next revision, and returns it as stored.
func (st *LiveSessionStore) UpdateLiveSession(ctx context.Context, id string, revision int, s *surveys.LiveSession) (*surveys.LiveSession, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	d, err := toLiveSessionDoc(s)
	if err != nil {
		return nil, err
	}
	d.ID, d.Revision = id, revision+1
	res, err := st.db.col(colLiveSessions).ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "revision", Value: revision}}, d)
	if err != nil {
		return nil, fmt.Errorf("update session %q: %w", id, err)
	}
	if res.MatchedCount == 0 {
		if _, err := st.FindLiveSession(ctx, id); err != nil {
			return nil, err
		}
		return nil, surveys.Errorf(surveys.ECONFLICT, "Someone else changed this session just now. Please look at it again.")
	}
	return st.FindLiveSession(ctx, id)
}

// joinCodeDoc is a join code given to a session.
type joinCodeDoc struct {
	Code    string `bson:"_id"`
	Session string `bson:"session"`
}

// ClaimJoinCode records that code leads to the session, unless it was ever
// given before.
func (st *LiveSessionStore) ClaimJoinCode(ctx context.Context, code, sessionID string) error {
	_, err := st.db.col(colJoinCodes).InsertOne(ctx, joinCodeDoc{Code: code, Session: sessionID})
	switch {
	case isDuplicate(err):
		return surveys.Errorf(surveys.ECONFLICT, "The join code was given to another session.")
	case err != nil:
		return fmt.Errorf("claim a join code: %w", err)
	}
	return nil
}

// FindJoinCode returns the id of the session the code was given to.
func (st *LiveSessionStore) FindJoinCode(ctx context.Context, code string) (string, error) {
	var d joinCodeDoc
	err := st.db.col(colJoinCodes).FindOne(ctx, bson.D{{Key: "_id", Value: code}}).Decode(&d)
	switch {
	case isNotFound(err):
		return "", surveys.Errorf(surveys.ENOTFOUND, "No session has that join code.")
	case err != nil:
		return "", fmt.Errorf("find a join code: %w", err)
	}
	return d.Session, nil
}
