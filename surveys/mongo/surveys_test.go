package mongo_test

import (
	"reflect"
	"testing"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/mongo/mongotest"
)

func TestSurveyStore(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		st := mongo.NewSurveyStore(db)
		s := openSurvey(t, db)

		got, err := st.FindSurvey(ctx, s.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Errorf("stored survey reads back differently:\n got %+v\nwant %+v", got, s)
		}

		if err := st.CreateSurvey(ctx, s); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("second create: got %v, want ECONFLICT", err)
		}
		if _, err := st.FindSurvey(ctx, "no-such-survey"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("find unknown: got %v, want ENOTFOUND", err)
		}

		closed := surveys.StatusClosed
		upd, err := st.UpdateSurvey(ctx, s.Slug, s.Revision, surveys.SurveyUpdate{Status: &closed})
		if err != nil {
			t.Fatal(err)
		}
		if upd.Status != surveys.StatusClosed || upd.Revision != s.Revision+1 {
			t.Errorf("after update: status %s revision %d, want closed and %d", upd.Status, upd.Revision, s.Revision+1)
		}
		if _, err := st.UpdateSurvey(ctx, s.Slug, s.Revision, surveys.SurveyUpdate{Status: &closed}); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("update at a stale revision: got %v, want ECONFLICT", err)
		}
		if _, err := st.UpdateSurvey(ctx, "no-such-survey", 1, surveys.SurveyUpdate{Status: &closed}); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("update unknown: got %v, want ENOTFOUND", err)
		}

		open, err := st.FindSurveys(ctx, surveys.SurveyFilter{Status: surveys.StatusOpen})
		if err != nil {
			t.Fatal(err)
		}
		if len(open) != 0 {
			t.Errorf("open surveys: got %d, want 0", len(open))
		}
		all, err := st.FindSurveys(ctx, surveys.SurveyFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 || all[0].Slug != s.Slug {
			t.Errorf("all surveys: got %d, want the fixture", len(all))
		}
	})
}

func TestOpeningAgainKeepsTheIndexes(t *testing.T) {
	t.Parallel()
	for _, target := range mongotest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			db := mongotest.OpenAt(t, target.URI)
			for range 2 {
				again, err := mongo.Open(testCtx(t), mongo.Options{URI: target.URI, Name: db.Name()})
				if err != nil {
					t.Fatalf("open the same database again: %v", err)
				}
				_ = again.Close(testCtx(t))
			}
		})
	}
}
