package mongo

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// colCouncils holds school council meetings, one document each.
const colCouncils = "council_meetings"

// CouncilStore keeps school council meetings, one document each with its
// items inside, keyed by id. A borough has tens of schools, each meeting
// a few times a term, so a year is a few hundred small documents: the
// areas page reads a period's on MongoDB by the index on day, and on the
// embedded server by one scan.
type CouncilStore struct {
	db *DB
	// mu makes an update's check of the revision and its write one step
	// in this process, as for actions.
	mu sync.Mutex
}

var _ surveys.CouncilStore = (*CouncilStore)(nil)

// NewCouncilStore returns a CouncilStore on db.
func NewCouncilStore(db *DB) *CouncilStore { return &CouncilStore{db: db} }

// meetingDoc is how a meeting is stored: the fields a query filters on
// (school, day) as plain fields, and the items as one JSON string. The
// embedded server decodes nested fields one by one, slowly: with the items
// as subdocuments, reading ten years of a borough's meetings for the
// areas page took a second or more; as a string, it is a few times faster
// (BenchmarkAreasPage).
type meetingDoc struct {
	ID         string    `bson:"_id"`
	School     string    `bson:"school"`
	Area       string    `bson:"area"`
	Day        string    `bson:"day"`
	Pupils     int       `bson:"pupils"`
	YearGroups string    `bson:"year_groups"` // "R,5,6"
	Items      string    `bson:"items"`       // JSON: []itemDoc
	Revision   int       `bson:"revision"`
	Created    time.Time `bson:"created"`
	Updated    time.Time `bson:"updated"`
}

type itemDoc struct {
	ID       string   `json:"id"`
	Said     string   `json:"said"`
	Themes   []string `json:"themes,omitempty"`
	Machine  []string `json:"machine,omitempty"`
	Checked  bool     `json:"checked,omitempty"`
	Support  int      `json:"support"`
	Priority bool     `json:"priority,omitempty"`
	Status   string   `json:"status"`
	Note     string   `json:"note,omitempty"`
}

func toMeetingDoc(m *surveys.CouncilMeeting) (*meetingDoc, error) {
	years := make([]string, len(m.YearGroups))
	for i, y := range m.YearGroups {
		years[i] = string(y)
	}
	items := make([]itemDoc, len(m.Items))
	for i, it := range m.Items {
		items[i] = itemDoc{ID: it.ID, Said: it.Said, Themes: it.Themes, Machine: it.Machine,
			Checked: it.Checked, Support: it.Support, Priority: it.Priority, Status: string(it.Status), Note: it.Note}
	}
	js, err := json.Marshal(items)
	if err != nil {
		return nil, fmt.Errorf("encode meeting %s: %w", m.ID, err)
	}
	return &meetingDoc{ID: m.ID, School: m.School, Area: m.Area, Day: m.Day, Pupils: m.Pupils, YearGroups: strings.Join(years, ","),
		Items: string(js), Revision: m.Revision, Created: m.Created.UTC(), Updated: m.Updated.UTC()}, nil
}

func (d *meetingDoc) meeting() (*surveys.CouncilMeeting, error) {
	m := &surveys.CouncilMeeting{ID: d.ID, School: d.School, Area: d.Area, Day: d.Day, Pupils: d.Pupils,
		Revision: d.Revision, Created: d.Created.UTC(), Updated: d.Updated.UTC()}
	if d.YearGroups != "" {
		for _, y := range strings.Split(d.YearGroups, ",") {
			m.YearGroups = append(m.YearGroups, surveys.YearGroup(y))
		}
	}
	var items []itemDoc
	if err := json.Unmarshal([]byte(d.Items), &items); err != nil {
		return nil, fmt.Errorf("decode meeting %s: %w", d.ID, err)
	}
	for _, it := range items {
		m.Items = append(m.Items, surveys.CouncilItem{ID: it.ID, Said: it.Said, Themes: it.Themes, Machine: it.Machine,
			Checked: it.Checked, Support: it.Support, Priority: it.Priority, Status: surveys.ItemStatus(it.Status), Note: it.Note})
	}
	return m, nil
}

// CreateMeetings inserts meetings, leaving any stored already.
func (st *CouncilStore) CreateMeetings(ctx context.Context, meetings []*surveys.CouncilMeeting) (int, error) {
	if len(meetings) == 0 {
		return 0, nil
	}
	docs := make([]any, len(meetings))
	for i, m := range meetings {
		d, err := toMeetingDoc(m)
		if err != nil {
			return 0, err
		}
		docs[i] = d
	}
	_, err := st.db.col(colCouncils).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	dups, failed, clear := classifyInsert(err)
	if !clear || len(failed) > 0 {
		return 0, fmt.Errorf("insert meetings: %w", err)
	}
	return len(meetings) - len(dups), nil
}

// FindMeeting reads a meeting by id.
func (st *CouncilStore) FindMeeting(ctx context.Context, id string) (*surveys.CouncilMeeting, error) {
	var d meetingDoc
	err := st.db.col(colCouncils).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	switch {
	case isNotFound(err):
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no such meeting.")
	case err != nil:
		return nil, fmt.Errorf("find meeting: %w", err)
	}
	return d.meeting()
}

// FindMeetings reads the meetings f selects, newest day first.
func (st *CouncilStore) FindMeetings(ctx context.Context, f surveys.CouncilFilter) ([]*surveys.CouncilMeeting, error) {
	filter := bson.D{}
	if f.School != "" {
		filter = append(filter, bson.E{Key: "school", Value: f.School})
	}
	days := bson.D{}
	if f.From != "" {
		days = append(days, bson.E{Key: "$gte", Value: f.From})
	}
	if f.To != "" {
		days = append(days, bson.E{Key: "$lte", Value: f.To})
	}
	if len(days) > 0 {
		filter = append(filter, bson.E{Key: "day", Value: days})
	}
	cur, err := st.db.col(colCouncils).Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "day", Value: -1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("find meetings: %w", err)
	}
	var docs []meetingDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read meetings: %w", err)
	}
	out := make([]*surveys.CouncilMeeting, len(docs))
	for i := range docs {
		if out[i], err = docs[i].meeting(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// UpdateMeeting replaces a meeting if it is still at revision.
func (st *CouncilStore) UpdateMeeting(ctx context.Context, revision int, m *surveys.CouncilMeeting) (*surveys.CouncilMeeting, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	d, err := toMeetingDoc(m)
	if err != nil {
		return nil, err
	}
	d.Revision = revision + 1
	res, err := st.db.col(colCouncils).ReplaceOne(ctx, bson.D{{Key: "_id", Value: m.ID}, {Key: "revision", Value: revision}}, d)
	if err != nil {
		return nil, fmt.Errorf("update meeting: %w", err)
	}
	if res.MatchedCount == 0 {
		if _, err := st.FindMeeting(ctx, m.ID); err != nil {
			return nil, err
		}
		return nil, surveys.Errorf(surveys.ECONFLICT, "Someone else saved this meeting just now. Open it again to see their changes.")
	}
	return d.meeting()
}

// DeleteMeeting removes a meeting if it is still at revision.
func (st *CouncilStore) DeleteMeeting(ctx context.Context, id string, revision int) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	res, err := st.db.col(colCouncils).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "revision", Value: revision}})
	if err != nil {
		return fmt.Errorf("delete meeting: %w", err)
	}
	if res.DeletedCount == 0 {
		if _, err := st.FindMeeting(ctx, id); err != nil {
			return err
		}
		return surveys.Errorf(surveys.ECONFLICT, "Someone else saved this meeting just now. Open it again before deleting it.")
	}
	return nil
}
