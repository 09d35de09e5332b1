package mongo_test

import (
	"errors"
	"testing"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/surveytest"
)

func TestReadResponses(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		s := openSurvey(t, db)
		other := *s
		other.Slug = "other-survey"
		if err := mongo.NewSurveyStore(db).CreateSurvey(ctx, &other); err != nil {
			t.Fatal(err)
		}
		rs := newStore(t, db)
		stored := map[string]*surveys.Response{}
		for i := range 25 {
			r := response(t, s, i)
			if _, err := rs.CreateResponse(ctx, s, r, ""); err != nil {
				t.Fatal(err)
			}
			stored[r.ID] = r
		}
		o := response(t, &other, 100)
		o.Survey = other.Slug
		if _, err := rs.CreateResponse(ctx, &other, o, ""); err != nil {
			t.Fatal(err)
		}

		for _, tc := range []struct {
			name  string
			size  int
			sizes []int
		}{
			{"batches of 10", 10, []int{10, 10, 5}},
			{"one batch", 25, []int{25}},
			{"the store's choice", 0, []int{25}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var sizes []int
				seen := map[string]bool{}
				err := rs.ReadResponses(ctx, s, tc.size, func(batch []*surveys.Response) error {
					sizes = append(sizes, len(batch))
					for _, r := range batch {
						want := stored[r.ID]
						if want == nil || seen[r.ID] {
							t.Errorf("response %s: not one of the survey's, or read twice", r.ID)
							continue
						}
						seen[r.ID] = true
						if !want.Same(r, s.Version(r.Version)) || r.Day != want.Day || r.Edition != s.Edition {
							t.Errorf("response %s read back as %+v, stored as %+v", r.ID, r, want)
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if len(seen) != len(stored) {
					t.Errorf("read %d responses, want %d", len(seen), len(stored))
				}
				if len(sizes) != len(tc.sizes) || sizes[0] != tc.sizes[0] {
					t.Errorf("batches of %v, want %v", sizes, tc.sizes)
				}
			})
		}

		stop := errors.New("enough")
		calls := 0
		err := rs.ReadResponses(ctx, s, 10, func([]*surveys.Response) error { calls++; return stop })
		if !errors.Is(err, stop) || calls != 1 {
			t.Errorf("each failing: %v after %d calls, want its error after 1", err, calls)
		}

		empty := *s
		empty.Slug = surveytest.Slug + "-empty"
		err = rs.ReadResponses(ctx, &empty, 10, func([]*surveys.Response) error { calls++; return nil })
		if err != nil || calls != 1 {
			t.Errorf("a survey with no responses: %v, each called %d more times", err, calls-1)
		}
	})
}
