package mongo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/mongo/mongotest"
	"github.com/heard-app/heard/surveys/surveytest"
)

func TestMain(m *testing.M) { os.Exit(mongotest.Main(m)) }

// forEachTarget runs f against a fresh database on every deployment the
// tests have: the embedded server, and MongoDB when configured.
func forEachTarget(t *testing.T, f func(t *testing.T, db *mongo.DB)) {
	t.Helper()
	for _, target := range mongotest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			f(t, mongotest.OpenAt(t, target.URI))
		})
	}
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// openSurvey stores the fixture survey as open and returns it.
func openSurvey(t *testing.T, db *mongo.DB) *surveys.Survey {
	t.Helper()
	s := &surveys.Survey{Definition: *surveytest.Definition(t), Status: surveys.StatusOpen, Revision: 1,
		Created: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), Updated: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	if err := mongo.NewSurveyStore(db).CreateSurvey(testCtx(t), s); err != nil {
		t.Fatal(err)
	}
	return s
}

// newStore starts a mongo.ResponseStore that is closed when the test ends.
func newStore(t *testing.T, db *mongo.DB) *mongo.ResponseStore {
	t.Helper()
	rs, err := mongo.NewResponseStore(testCtx(t), db, mongo.ResponseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := rs.Close(context.Background()); err != nil {
			t.Errorf("close response store: %v", err)
		}
	})
	return rs
}

// response builds a valid response of the fixture survey; n varies it.
func response(t *testing.T, s *surveys.Survey, n int) *surveys.Response {
	t.Helper()
	version := []string{"8-11", "11-18"}[n%2]
	raw := map[string]json.RawMessage{
		"area":      json.RawMessage(fmt.Sprintf("%q", []string{"north", "central", "south"}[n%3])),
		"feel_safe": json.RawMessage(fmt.Sprintf("%q", []string{"always", "always", "sometimes", "never"}[n%4])),
		"happy":     json.RawMessage(fmt.Sprint(n % 11)),
	}
	if n%4 >= 2 {
		raw["why_unsafe"] = json.RawMessage(`["online","school"]`)
	}
	if version == "11-18" {
		raw["talk_to"] = json.RawMessage(`"no"`)
	}
	answers, err := s.Version(version).ParseAnswers(raw)
	if err != nil {
		t.Fatalf("fixture answers: %v", err)
	}
	return &surveys.Response{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", n), Survey: s.Slug, Edition: s.Edition,
		Version: version, Lang: "en", Day: "2026-11-23", Answers: answers}
}

// assertTalliesMatchRecount fails unless the stored tallies equal a fresh
// count of the stored responses.
func assertTalliesMatchRecount(t *testing.T, db *mongo.DB, rs *mongo.ResponseStore, s *surveys.Survey) []*surveys.Tally {
	t.Helper()
	ts := mongo.NewTallyStore(db)
	if rs != nil {
		ts = ts.Following(rs)
	}
	stored, err := ts.FindTallies(testCtx(t), s)
	if err != nil {
		t.Fatal(err)
	}
	counted, err := ts.CountTallies(testCtx(t), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != len(counted) {
		t.Fatalf("stored tallies for %d versions, recount has %d", len(stored), len(counted))
	}
	for i := range stored {
		if !stored[i].Equal(counted[i]) {
			t.Errorf("tally of %s differs from a recount: it counts %d responses, the recount %d", stored[i].Version,
				stored[i].Slice(surveys.AllSlice).Responses, counted[i].Slice(surveys.AllSlice).Responses)
		}
	}
	return stored
}

func openEmbedded(t *testing.T) *mongo.DB { return mongotest.Open(t) }
