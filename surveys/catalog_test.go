package surveys_test

import (
	"context"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

// memSurveys is an in-memory surveys.SurveyStore that counts its reads
// and updates.
type memSurveys struct {
	mu      sync.Mutex
	surveys map[string]surveys.Survey
	finds   int
	updates int
}

func newMemSurveys(ss ...*surveys.Survey) *memSurveys {
	m := &memSurveys{surveys: map[string]surveys.Survey{}}
	for _, s := range ss {
		m.surveys[s.Slug] = *s
	}
	return m
}

func (m *memSurveys) FindSurvey(_ context.Context, slug string) (*surveys.Survey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.finds++
	s, ok := m.surveys[slug]
	if !ok {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no survey %q.", slug)
	}
	return &s, nil
}

func (m *memSurveys) FindSurveys(_ context.Context, filter surveys.SurveyFilter) ([]*surveys.Survey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*surveys.Survey
	for _, s := range m.surveys {
		if filter.Status == "" || s.Status == filter.Status {
			out = append(out, &s)
		}
	}
	slices.SortFunc(out, func(a, b *surveys.Survey) int { return b.Edition - a.Edition })
	return out, nil
}

func (m *memSurveys) CreateSurvey(_ context.Context, s *surveys.Survey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.surveys[s.Slug]; ok {
		return surveys.Errorf(surveys.ECONFLICT, "The slug %q is taken.", s.Slug)
	}
	m.surveys[s.Slug] = *s
	return nil
}

func (m *memSurveys) UpdateSurvey(_ context.Context, slug string, revision int, upd surveys.SurveyUpdate) (*surveys.Survey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.updates++
	s, ok := m.surveys[slug]
	switch {
	case !ok:
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no survey %q.", slug)
	case s.Revision != revision:
		return nil, surveys.Errorf(surveys.ECONFLICT, "Someone else changed the survey.")
	}
	if upd.Status != nil {
		s.Status = *upd.Status
	}
	s.Revision++
	m.surveys[slug] = s
	return &s, nil
}

func (m *memSurveys) counts() (finds, updates int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.finds, m.updates
}

func (m *memSurveys) get(slug string) surveys.Survey {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.surveys[slug]
}

// fixtureSurvey returns the fixture survey with a status, at revision 1.
func fixtureSurvey(t *testing.T, slug string, status surveys.Status) *surveys.Survey {
	t.Helper()
	d := surveytest.Definition(t)
	d.Slug = slug
	return &surveys.Survey{Definition: *d, Status: status, Revision: 1}
}

func TestCatalogCreate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("created as a draft", func(t *testing.T) {
		t.Parallel()
		store := newMemSurveys()
		c := &surveys.Catalog{Store: store, Now: newClock(loginStart).Now}
		d := surveytest.Definition(t)
		s, err := c.Create(ctx, d)
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		if s.Status != surveys.StatusDraft || s.Revision != 1 || !s.Created.Equal(loginStart) || s.Created != s.Updated {
			t.Errorf("created %s at revision %d, %v / %v", s.Status, s.Revision, s.Created, s.Updated)
		}
		if s.Created.Location() != time.UTC {
			t.Errorf("Created is in %v; want UTC", s.Created.Location())
		}
		if stored := store.get(surveytest.Slug); !deepEqualJSON(&stored, s) {
			t.Errorf("stored %+v; want %+v", stored, s)
		}
	})
	t.Run("invalid definition", func(t *testing.T) {
		t.Parallel()
		store := newMemSurveys()
		c := &surveys.Catalog{Store: store, Now: newClock(loginStart).Now}
		d := surveytest.Definition(t)
		d.Edition = 1999
		s, err := c.Create(ctx, d)
		if s != nil {
			t.Error("Create returned a survey with an error")
		}
		assertFields(t, err, map[string]string{"edition": "must be a year from 2000 to 2100"})
		if len(store.surveys) != 0 {
			t.Errorf("an invalid definition was stored")
		}
	})
	t.Run("slug taken", func(t *testing.T) {
		t.Parallel()
		existing := fixtureSurvey(t, surveytest.Slug, surveys.StatusOpen)
		store := newMemSurveys(existing)
		c := &surveys.Catalog{Store: store, Now: newClock(loginStart).Now}
		_, err := c.Create(ctx, surveytest.Definition(t))
		if code := surveys.ErrorCode(err); code != surveys.ECONFLICT {
			t.Errorf("code = %q (%v); want %q", code, err, surveys.ECONFLICT)
		}
		if stored := store.get(surveytest.Slug); stored.Status != surveys.StatusOpen {
			t.Errorf("the existing survey changed to %s", stored.Status)
		}
	})
}

func TestCatalogSetStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from, to     surveys.Status
		wantCode     string
		wantMessage  string
		wantStatus   surveys.Status // stored afterwards
		wantRevision int
		wantUpdates  int
	}{
		{surveys.StatusDraft, surveys.StatusOpen, "", "", surveys.StatusOpen, 2, 1},
		{surveys.StatusOpen, surveys.StatusClosed, "", "", surveys.StatusClosed, 2, 1},
		{surveys.StatusClosed, surveys.StatusOpen, "", "", surveys.StatusOpen, 2, 1},
		{surveys.StatusOpen, surveys.StatusOpen, "", "", surveys.StatusOpen, 1, 0},
		{surveys.StatusDraft, surveys.StatusDraft, "", "", surveys.StatusDraft, 1, 0},
		{surveys.StatusClosed, surveys.StatusClosed, "", "", surveys.StatusClosed, 1, 0},
		{surveys.StatusOpen, surveys.StatusDraft, surveys.ECONFLICT, "A survey that is open cannot become draft.", surveys.StatusOpen, 1, 0},
		{surveys.StatusClosed, surveys.StatusDraft, surveys.ECONFLICT, "A survey that is closed cannot become draft.", surveys.StatusClosed, 1, 0},
		{surveys.StatusDraft, surveys.StatusClosed, surveys.ECONFLICT, "A survey that is draft cannot become closed.", surveys.StatusDraft, 1, 0},
		{surveys.StatusOpen, "archived", surveys.EINVALID, "The status is not one Heard knows.", surveys.StatusOpen, 1, 0},
		{surveys.StatusOpen, "", surveys.EINVALID, "The status is not one Heard knows.", surveys.StatusOpen, 1, 0},
		{surveys.StatusOpen, "Open", surveys.EINVALID, "The status is not one Heard knows.", surveys.StatusOpen, 1, 0},
	}
	for _, tt := range tests {
		t.Run(string(tt.from)+" to "+string(tt.to), func(t *testing.T) {
			t.Parallel()
			store := newMemSurveys(fixtureSurvey(t, surveytest.Slug, tt.from))
			c := &surveys.Catalog{Store: store, Now: newClock(loginStart).Now}
			s, err := c.SetStatus(context.Background(), surveytest.Slug, tt.to)
			if code := surveys.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("code = %q (%v); want %q", code, err, tt.wantCode)
			}
			if tt.wantCode != "" {
				if msg := surveys.ErrorMessage(err); msg != tt.wantMessage {
					t.Errorf("message = %q; want %q", msg, tt.wantMessage)
				}
				if s != nil {
					t.Error("SetStatus returned a survey with an error")
				}
				if tt.wantCode == surveys.EINVALID {
					if got := surveys.ErrorFields(err); !maps.Equal(got, map[string]string{"status": "must be draft, open or closed"}) {
						t.Errorf("fields = %v", got)
					}
				}
			} else if s.Status != tt.wantStatus || s.Revision != tt.wantRevision {
				t.Errorf("SetStatus = %s at revision %d; want %s at %d", s.Status, s.Revision, tt.wantStatus, tt.wantRevision)
			}
			stored := store.get(surveytest.Slug)
			if stored.Status != tt.wantStatus || stored.Revision != tt.wantRevision {
				t.Errorf("stored %s at revision %d; want %s at %d", stored.Status, stored.Revision, tt.wantStatus, tt.wantRevision)
			}
			if _, updates := store.counts(); updates != tt.wantUpdates {
				t.Errorf("%d updates; want %d", updates, tt.wantUpdates)
			}
		})
	}
	t.Run("unknown survey", func(t *testing.T) {
		t.Parallel()
		c := &surveys.Catalog{Store: newMemSurveys(), Now: newClock(loginStart).Now}
		if _, err := c.SetStatus(context.Background(), "nope", surveys.StatusOpen); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("SetStatus of an unknown survey = %v; want %s", err, surveys.ENOTFOUND)
		}
	})
}

func TestSurveyCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	newCache := func(t *testing.T) (*surveys.SurveyCache, *memSurveys, *clock) {
		store := newMemSurveys(fixtureSurvey(t, "one", surveys.StatusOpen), fixtureSurvey(t, "two", surveys.StatusDraft))
		clk := newClock(loginStart)
		return &surveys.SurveyCache{SurveyStore: store, TTL: time.Minute, Now: clk.Now}, store, clk
	}
	find := func(t *testing.T, c *surveys.SurveyCache, slug string) *surveys.Survey {
		t.Helper()
		s, err := c.FindSurvey(ctx, slug)
		if err != nil {
			t.Fatalf("FindSurvey(%q): %v", slug, err)
		}
		return s
	}
	assertFinds := func(t *testing.T, store *memSurveys, want int) {
		t.Helper()
		if finds, _ := store.counts(); finds != want {
			t.Errorf("the store was read %d times; want %d", finds, want)
		}
	}

	t.Run("read once within TTL", func(t *testing.T) {
		t.Parallel()
		c, store, clk := newCache(t)
		first := find(t, c, "one")
		assertFinds(t, store, 1)
		clk.Advance(time.Minute - time.Nanosecond)
		if again := find(t, c, "one"); again != first {
			t.Error("a second read within TTL did not come from the cache")
		}
		assertFinds(t, store, 1)
		find(t, c, "two")
		assertFinds(t, store, 2)
	})
	t.Run("read again after TTL", func(t *testing.T) {
		t.Parallel()
		c, store, clk := newCache(t)
		find(t, c, "one")
		clk.Advance(time.Minute)
		find(t, c, "one")
		assertFinds(t, store, 2)
		find(t, c, "one")
		assertFinds(t, store, 2)
	})
	t.Run("UpdateSurvey forgets the survey", func(t *testing.T) {
		t.Parallel()
		c, store, _ := newCache(t)
		find(t, c, "one")
		find(t, c, "two")
		closed := surveys.StatusClosed
		updated, err := c.UpdateSurvey(ctx, "one", 1, surveys.SurveyUpdate{Status: &closed})
		if err != nil || updated.Status != surveys.StatusClosed {
			t.Fatalf("UpdateSurvey = %v, %v", updated, err)
		}
		if s := find(t, c, "one"); s.Status != surveys.StatusClosed || s.Revision != 2 {
			t.Errorf("after UpdateSurvey the cache gives %s at revision %d", s.Status, s.Revision)
		}
		assertFinds(t, store, 3)
		find(t, c, "two")
		assertFinds(t, store, 3)
	})
	t.Run("a failed update forgets the survey too", func(t *testing.T) {
		t.Parallel()
		c, store, _ := newCache(t)
		find(t, c, "one")
		closed := surveys.StatusClosed
		if _, err := c.UpdateSurvey(ctx, "one", 7, surveys.SurveyUpdate{Status: &closed}); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Fatalf("UpdateSurvey at a stale revision = %v; want %s", err, surveys.ECONFLICT)
		}
		find(t, c, "one")
		assertFinds(t, store, 2)
	})
	t.Run("not found is not kept", func(t *testing.T) {
		t.Parallel()
		c, store, _ := newCache(t)
		for range 2 {
			if _, err := c.FindSurvey(ctx, "nope"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
				t.Fatalf("FindSurvey(nope) = %v; want %s", err, surveys.ENOTFOUND)
			}
		}
		assertFinds(t, store, 2)
	})
	t.Run("used at once from many goroutines", func(t *testing.T) {
		t.Parallel()
		c, _, clk := newCache(t)
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				for j := range 50 {
					if _, err := c.FindSurvey(ctx, "one"); err != nil {
						t.Error(err)
						return
					}
					if i == 0 && j%10 == 0 {
						s, _ := c.FindSurvey(ctx, "one")
						status := surveys.StatusClosed
						if s.Status == status {
							status = surveys.StatusOpen
						}
						_, _ = c.UpdateSurvey(ctx, "one", s.Revision, surveys.SurveyUpdate{Status: &status})
						clk.Advance(time.Second)
					}
				}
			})
		}
		wg.Wait()
	})
}
