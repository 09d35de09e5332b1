package mongo_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/mongo/mongotest"
)

// commitLog records what a ResponseStore tells its observer.
type commitLog struct {
	mu      sync.Mutex
	batches []int
	stored  int
	backlog []int // each TallyBacklog's count, in order
	since   []time.Time
}

func (c *commitLog) Batch(size int) { c.mu.Lock(); c.batches = append(c.batches, size); c.mu.Unlock() }
func (c *commitLog) Stored(n int)   { c.mu.Lock(); c.stored += n; c.mu.Unlock() }
func (c *commitLog) TallyBacklog(n int, since time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.backlog, c.since = append(c.backlog, n), append(c.since, since)
}

var _ mongo.CommitObserver = (*commitLog)(nil)

// TestCommitObserverHearsBatchesAndBacklog stores responses concurrently
// and a retry of one: every response is in a batch, only new ones count as
// stored, and once the tallies caught up the backlog reported is zero.
func TestCommitObserverHearsBatchesAndBacklog(t *testing.T) {
	t.Parallel()
	db := mongotest.Open(t)
	ctx := testCtx(t)
	s := openSurvey(t, db)
	obs := &commitLog{}
	rs, err := mongo.NewResponseStore(ctx, db, mongo.ResponseOptions{Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rs.Close(context.Background()) })

	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if _, err := rs.CreateResponse(ctx, s, response(t, s, i), ""); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if created, err := rs.CreateResponse(ctx, s, response(t, s, 3), ""); err != nil || created {
		t.Fatalf("retry: created=%v err=%v", created, err)
	}
	if err := rs.Sync(ctx); err != nil {
		t.Fatal(err)
	}

	obs.mu.Lock()
	defer obs.mu.Unlock()
	total := 0
	for _, b := range obs.batches {
		if b < 1 || b > mongo.DefaultCommitOptions.MaxBatch {
			t.Errorf("batch of %d", b)
		}
		total += b
	}
	if total != n+1 {
		t.Errorf("batches hold %d responses, want %d (the retry too)", total, n+1)
	}
	if obs.stored != n {
		t.Errorf("stored %d, want %d (not the retry)", obs.stored, n)
	}
	if len(obs.backlog) == 0 {
		t.Fatal("no backlog reported")
	}
	if last := len(obs.backlog) - 1; obs.backlog[last] != 0 || !obs.since[last].IsZero() {
		t.Errorf("after Sync the backlog is %d since %v, want 0", obs.backlog[last], obs.since[last])
	}
	grew := false
	for i, b := range obs.backlog {
		if b > 0 {
			grew = true
			if obs.since[i].IsZero() {
				t.Errorf("a backlog of %d with no time", b)
			}
		}
	}
	if !grew {
		t.Error("the backlog never counted a response waiting for the tallies")
	}
}

// commandLog records what the driver's command monitor passes on.
type commandLog struct {
	mu    sync.Mutex
	names map[string]int
	took  []time.Duration
}

func (c *commandLog) ObserveCommand(name string, took time.Duration, failed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.names[name]++
	c.took = append(c.took, took)
}

// TestCommandObserverHearsNamesOnly opens a database with an observer and
// stores a response: the observer hears the commands by name.
func TestCommandObserverHearsNamesOnly(t *testing.T) {
	t.Parallel()
	obs := &commandLog{names: map[string]int{}}
	ctx := testCtx(t)
	db, err := mongo.Open(ctx, mongo.Options{URI: mongotest.EmbeddedURI(t), Name: mongotest.NewName(), Commands: obs})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Drop(context.Background()); _ = db.Close(context.Background()) })
	s := openSurvey(t, db)
	rs, err := mongo.NewResponseStore(ctx, db, mongo.ResponseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rs.Close(context.Background()) })
	if _, err := rs.CreateResponse(ctx, s, response(t, s, 1), ""); err != nil {
		t.Fatal(err)
	}
	if err := rs.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	for _, name := range []string{"ping", "createIndexes", "insert", "find"} {
		if obs.names[name] == 0 {
			t.Errorf("no %q command heard; heard %v", name, obs.names)
		}
	}
	for _, d := range obs.took {
		if d < 0 {
			t.Errorf("a command took %v", d)
		}
	}
}
