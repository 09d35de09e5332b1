package mongo_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/mongo/mongotest"
)

func TestCreateResponseCountsEachOnce(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		s := openSurvey(t, db)
		rs := newStore(t, db)

		const n = 60
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				created, err := rs.CreateResponse(ctx, s, response(t, s, i), "")
				if err == nil && !created {
					err = fmt.Errorf("response %d: created is false for a new response", i)
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		tallies := assertTalliesMatchRecount(t, db, rs, s)
		total := 0
		for _, tl := range tallies {
			total += tl.Slice(surveys.AllSlice).Responses
		}
		if total != n {
			t.Errorf("tallies count %d responses, want %d", total, n)
		}
		// Responses 0, 3, 6, ... answered area north: 20 of them, half in each version.
		north := 0
		for _, tl := range tallies {
			north += tl.Slice(surveys.SliceKey("area", "north")).Responses
		}
		if north != 20 {
			t.Errorf("area:north slice counts %d, want 20", north)
		}
	})
}

func TestCreateResponseRetryAndClash(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		s := openSurvey(t, db)
		rs := newStore(t, db)
		r := response(t, s, 7)

		created, err := rs.CreateResponse(ctx, s, r, "")
		if err != nil || !created {
			t.Fatalf("first: created=%v err=%v", created, err)
		}
		created, err = rs.CreateResponse(ctx, s, response(t, s, 7), "")
		if err != nil || created {
			t.Fatalf("retry: created=%v err=%v, want false and no error", created, err)
		}
		other := response(t, s, 9) // same version as 7, different answers
		other.ID = r.ID
		if _, err := rs.CreateResponse(ctx, s, other, ""); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Fatalf("same id, other answers: got %v, want ECONFLICT", err)
		}
		tallies := assertTalliesMatchRecount(t, db, rs, s)
		if len(tallies) != 1 || tallies[0].Slice(surveys.AllSlice).Responses != 1 {
			t.Errorf("want one response counted once, tallies %+v", tallies)
		}
	})
}

func TestCreateResponseConcurrentCopies(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		s := openSurvey(t, db)
		rs := newStore(t, db)
		const copies = 20
		var wg sync.WaitGroup
		var mu sync.Mutex
		createdCount := 0
		for range copies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				created, err := rs.CreateResponse(ctx, s, response(t, s, 4), "")
				if err != nil {
					t.Errorf("copy: %v", err)
				}
				mu.Lock()
				if created {
					createdCount++
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		if createdCount != 1 {
			t.Errorf("%d copies reported created, want exactly 1", createdCount)
		}
		tallies := assertTalliesMatchRecount(t, db, rs, s)
		if tallies[0].Slice(surveys.AllSlice).Responses != 1 {
			t.Errorf("counted %d, want 1", tallies[0].Slice(surveys.AllSlice).Responses)
		}
	})
}

func TestStoredResponseHoldsNothingIdentifying(t *testing.T) {
	t.Parallel()
	db := openEmbedded(t)
	ctx := testCtx(t)
	s := openSurvey(t, db)
	rs := newStore(t, db)
	r := response(t, s, 3)
	if _, err := rs.CreateResponse(ctx, s, r, ""); err != nil {
		t.Fatal(err)
	}
	doc, err := mongo.StoredResponse(ctx, db, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for k := range doc {
		fields = append(fields, k)
	}
	sort.Strings(fields)
	want := []string{"_id", "answers", "day", "edition", "lang", "survey", "version", "w"}
	if fmt.Sprint(fields) != fmt.Sprint(want) {
		t.Errorf("stored fields %v, want exactly %v", fields, want)
	}
	if doc["day"] != "2026-11-23" {
		t.Errorf("day = %v, want the date only", doc["day"])
	}
}

func TestRecoverSettlesUnfinishedBatches(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		at   mongo.CrashPoint
	}{
		{"journal written, nothing else", mongo.CrashPoint{}},
		{"responses stored, no tally", mongo.CrashPoint{Responses: true}},
		{"one version's tally updated", mongo.CrashPoint{Responses: true, TallyVersions: []string{"8-11"}}},
		{"every tally updated", mongo.CrashPoint{Responses: true, TallyVersions: []string{"8-11", "11-18"}}},
		{"finished", mongo.CrashPoint{Responses: true, TallyVersions: []string{"8-11", "11-18"}, JournalGone: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := openEmbedded(t)
			ctx := testCtx(t)
			s := openSurvey(t, db)
			// An earlier run stored response 0 and counted it.
			first := newStoreUnclosed(t, db)
			if _, err := first.CreateResponse(ctx, s, response(t, s, 0), ""); err != nil {
				t.Fatal(err)
			}
			if err := first.Close(ctx); err != nil {
				t.Fatal(err)
			}
			// A process that died mid-batch: responses 1-6, plus a retry of 0.
			dead := mongo.NewInstanceID(time.Now())
			batch := []*surveys.Response{response(t, s, 0)}
			for i := 1; i <= 6; i++ {
				batch = append(batch, response(t, s, i))
			}
			if err := mongo.RegisterInstance(ctx, db, dead, time.Now()); err != nil {
				t.Fatal(err)
			}
			if err := mongo.SimulateBatch(ctx, db, dead, 1, s, batch, tc.at); err != nil {
				t.Fatal(err)
			}
			// The next start settles it.
			self := mongo.NewInstanceID(time.Now())
			if _, err := mongo.Recover(ctx, db, self, time.Now()); err != nil {
				t.Fatal(err)
			}
			tallies := assertTalliesMatchRecount(t, db, nil, s)
			want := 1
			if tc.at.Responses {
				want = 7
			}
			total := 0
			for _, tl := range tallies {
				total += tl.Slice(surveys.AllSlice).Responses
			}
			if total != want {
				t.Errorf("counted %d responses, want %d", total, want)
			}
			if n, err := mongo.PendingBatches(ctx, db); err != nil || n != 0 {
				t.Errorf("journal has %d entries left (err %v), want 0", n, err)
			}
			for _, v := range []string{"8-11", "11-18"} {
				marks, err := mongo.AppliedMarks(ctx, db, s.Slug, v)
				if err != nil {
					continue // no tally for this version
				}
				if _, left := marks[dead]; left {
					t.Errorf("tally %s still carries the dead instance's mark", v)
				}
			}
		})
	}
}

func TestRecoverWaitsForLiveInstances(t *testing.T) {
	t.Parallel()
	db := mongotest.OpenShared(t)
	ctx := testCtx(t)
	s := openSurvey(t, db)
	now := time.Now()
	live, dead := mongo.NewInstanceID(now), mongo.NewInstanceID(now)
	if err := mongo.RegisterInstance(ctx, db, live, now.Add(-10*time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := mongo.RegisterInstance(ctx, db, dead, now.Add(-10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := mongo.SimulateBatch(ctx, db, live, 1, s, []*surveys.Response{response(t, s, 1)}, mongo.CrashPoint{Responses: true}); err != nil {
		t.Fatal(err)
	}
	if err := mongo.SimulateBatch(ctx, db, dead, 1, s, []*surveys.Response{response(t, s, 2)}, mongo.CrashPoint{Responses: true}); err != nil {
		t.Fatal(err)
	}
	settled, err := mongo.Recover(ctx, db, mongo.NewInstanceID(now), now)
	if err != nil {
		t.Fatal(err)
	}
	if settled != 1 {
		t.Errorf("settled %d entries, want only the dead instance's 1", settled)
	}
	if n, _ := mongo.PendingBatches(ctx, db); n != 1 {
		t.Errorf("journal has %d entries, want the live instance's 1", n)
	}
}

func TestCloseWritesEverythingQueued(t *testing.T) {
	t.Parallel()
	db := openEmbedded(t)
	ctx := testCtx(t)
	s := openSurvey(t, db)
	rs := newStoreUnclosed(t, db)
	const n = 40
	var wg sync.WaitGroup
	var mu sync.Mutex
	acked := 0
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if created, err := rs.CreateResponse(ctx, s, response(t, s, i), ""); err == nil && created {
				mu.Lock()
				acked++
				mu.Unlock()
			}
		}()
	}
	time.Sleep(5 * time.Millisecond)
	if err := rs.Close(ctx); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	tallies := assertTalliesMatchRecount(t, db, rs, s)
	total := 0
	for _, tl := range tallies {
		total += tl.Slice(surveys.AllSlice).Responses
	}
	if total != acked {
		t.Errorf("counted %d, acknowledged %d", total, acked)
	}
	if _, err := rs.CreateResponse(ctx, s, response(t, s, 99), ""); surveys.ErrorCode(err) != surveys.EUNAVAILABLE {
		t.Errorf("after close: got %v, want EUNAVAILABLE", err)
	}
}

func newStoreUnclosed(t *testing.T, db *mongo.DB) *mongo.ResponseStore {
	t.Helper()
	rs, err := mongo.NewResponseStore(context.Background(), db, mongo.ResponseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// TestUnclearInsertIsSettled loses the server's answer to an insert it has
// made, as a dropped connection would, while an earlier batch's counts are
// still waiting to be added. Both batches must end up counted exactly once.
func TestUnclearInsertIsSettled(t *testing.T) {
	t.Parallel()
	db := openEmbedded(t)
	ctx := testCtx(t)
	s := openSurvey(t, db)
	rs := newStore(t, db)
	second := make(chan error, 1)
	calls := 0
	mongo.WrapInsert(rs, func(ctx context.Context, docs []any, insert func(context.Context, []any) error) error {
		calls++
		if calls == 1 {
			// Queue the second response now, so the first batch's counts
			// are still pending when the second batch is written.
			go func() {
				_, err := rs.CreateResponse(context.Background(), s, response(t, s, 3), "") // the same version as 1
				second <- err
			}()
			for mongo.QueueLength(rs) == 0 {
				time.Sleep(time.Millisecond)
			}
			return insert(ctx, docs)
		}
		if err := insert(ctx, docs); err != nil {
			return err
		}
		return errors.New("connection reset by peer (simulated, after the server wrote the batch)")
	})
	if created, err := rs.CreateResponse(ctx, s, response(t, s, 1), ""); err != nil || !created {
		t.Fatalf("first response: created=%v err=%v", created, err)
	}
	if err := <-second; surveys.ErrorCode(err) != surveys.EUNAVAILABLE {
		t.Fatalf("second response, whose insert's outcome was lost: %v, want EUNAVAILABLE", err)
	}
	created, err := rs.CreateResponse(ctx, s, response(t, s, 3), "")
	if err != nil || created {
		t.Fatalf("the device's retry: created=%v err=%v, want already stored", created, err)
	}
	tallies := assertTalliesMatchRecount(t, db, rs, s)
	total := 0
	for _, tl := range tallies {
		total += tl.Slice(surveys.AllSlice).Responses
	}
	if total != 2 {
		t.Errorf("counted %d responses, want 2", total)
	}
}
