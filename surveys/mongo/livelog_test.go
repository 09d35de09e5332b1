package mongo_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
)

// everyLiveField is a batch whose events between them set every field of
// an event, texts with quotes, markup and emoji included, so that a round
// trip through the stored JSON loses nothing.
func everyLiveField() []surveys.LiveEvent {
	return []surveys.LiveEvent{
		{ID: "e1", Kind: surveys.EventVote, By: "k1", Activity: "poll", Choices: []int{0, 2}},
		{ID: "e2", Kind: surveys.EventPost, By: "k2", Activity: "board", Text: "more \"buses\" <b>please</b> & 🙂", Column: 1,
			Hold: surveys.HoldProfanity, Themes: []string{"transport", "activities"}},
		{ID: "e3", Kind: surveys.EventWords, By: "k3", Activity: "cloud", Words: []string{"safe", "héard"}},
		{ID: "e4", Kind: surveys.EventLike, By: "k1", Activity: "board", Target: "e2", On: true},
		{ID: "e5", Kind: surveys.EventDots, By: "k2", Activity: "dots", Dots: map[string]int{"0": 2, "e2": 1}},
		{ID: "e6", Kind: surveys.EventMerge, Activity: "board", Target: "e7", Into: "e2"},
		{ID: "e7", Kind: surveys.EventEnd},
	}
}

// TestLiveLogAppendAndRead checks the log's one guarantee: each position
// is taken once, by the first writer, and read back as written.
func TestLiveLogAppendAndRead(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		lg := mongo.NewLiveLog(db)
		first := everyLiveField()
		if err := lg.AppendLive(ctx, "s1", 1, first); err != nil {
			t.Fatal(err)
		}
		second := []surveys.LiveEvent{{ID: "j", Kind: surveys.EventJoin, By: "k9"}}
		if err := lg.AppendLive(ctx, "s1", 2, second); err != nil {
			t.Fatal(err)
		}
		// Another session's log is apart: its position 1 is free.
		other := []surveys.LiveEvent{{ID: "x", Kind: surveys.EventOpen, Activity: "poll"}}
		if err := lg.AppendLive(ctx, "s2", 1, other); err != nil {
			t.Fatal(err)
		}

		if err := lg.AppendLive(ctx, "s1", 2, other); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("append at a taken position: %v, want ECONFLICT", err)
		}
		for _, pos := range []int{0, -1} {
			if err := lg.AppendLive(ctx, "s1", pos, other); err == nil {
				t.Errorf("append at position %d: no error", pos)
			}
		}

		for _, tc := range []struct {
			session string
			pos     int
			want    []surveys.LiveEvent
		}{
			{"s1", 1, first},
			{"s1", 2, second}, // the conflicting append changed nothing
			{"s2", 1, other},
		} {
			got, err := lg.ReadLive(ctx, tc.session, tc.pos)
			if err != nil {
				t.Fatalf("read %s at %d: %v", tc.session, tc.pos, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("read %s at %d:\n got %+v\nwant %+v", tc.session, tc.pos, got, tc.want)
			}
		}
		for _, tc := range []struct {
			session string
			pos     int
		}{{"s1", 3}, {"s2", 2}, {"s3", 1}} {
			if _, err := lg.ReadLive(ctx, tc.session, tc.pos); surveys.ErrorCode(err) != surveys.ENOTFOUND {
				t.Errorf("read %s past the end at %d: %v, want ENOTFOUND", tc.session, tc.pos, err)
			}
		}
	})
}

// TestLiveLogRooms checks snapshots: the latest saved is found, whole,
// and a session never saved is ENOTFOUND.
func TestLiveLogRooms(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		lg := mongo.NewLiveLog(db)
		if _, err := lg.FindRoom(ctx, "s1"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Fatalf("no snapshot yet: %v, want ENOTFOUND", err)
		}
		empty := surveys.NewRoomState("s1")
		if err := lg.SaveRoom(ctx, empty); err != nil {
			t.Fatal(err)
		}
		got, err := lg.FindRoom(ctx, "s1")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, empty) {
			t.Errorf("empty state read back as %+v", got)
		}

		full := &surveys.RoomState{Session: "s1", Seq: 42, Live: "board", Ended: true,
			People: map[string]bool{"k1": true, "k2": true},
			Acts: map[string]*surveys.ActivityState{
				"poll": {Opened: true, Revealed: true, Votes: map[string][]int{"k1": {0, 2}}},
				"board": {Open: true, Opened: true, Posts: []*surveys.LivePost{
					{ID: "p1", By: "k1", Text: "more buses 🙂", Column: 1, Status: surveys.PostShown, Likes: map[string]bool{"k2": true},
						Themes: []string{"transport"}, Reviewed: true},
					{ID: "p2", By: "k2", Text: "held", Status: surveys.PostHeld, Hold: surveys.HoldSafeguarding, Into: "p1"},
				}},
				"dots": {Dots: map[string]map[string]int{"k1": {"p1": 3}}},
			}}
		if err := lg.SaveRoom(ctx, full); err != nil {
			t.Fatal(err)
		}
		if got, err = lg.FindRoom(ctx, "s1"); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, full) {
			t.Errorf("saved over the first snapshot; read back:\n got %+v\nwant %+v", got, full)
		}
		if _, err := lg.FindRoom(ctx, "s2"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("another session: %v, want ENOTFOUND", err)
		}
	})
}

// TestLiveLogPresence checks that the count adds up every instance's
// fresh record of one session, and that a count of none removes the
// instance's record.
func TestLiveLogPresence(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		lg := mongo.NewLiveLog(db)
		now := workspaceStart
		since := now.Add(-15 * time.Second)
		count := func(session string) int {
			t.Helper()
			n, err := lg.CountPresence(ctx, session, since)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count("s1"); n != 0 {
			t.Fatalf("no records: %d", n)
		}
		for _, rec := range []struct {
			session, instance string
			n                 int
			at                time.Time
		}{
			{"s1", "a", 7, now},
			{"s1", "b", 5, now.Add(-14 * time.Second)},
			{"s1", "c", 100, now.Add(-16 * time.Second)}, // stale: the instance stopped
			{"s2", "a", 30, now},                         // another session
			{"s1", "b", 4, now.Add(-time.Second)},        // b's newer count replaces its older
		} {
			if err := lg.SetPresence(ctx, rec.session, rec.instance, rec.n, rec.at); err != nil {
				t.Fatal(err)
			}
		}
		if n := count("s1"); n != 11 {
			t.Errorf("s1: %d followers, want 7 + 4", n)
		}
		if n := count("s2"); n != 30 {
			t.Errorf("s2: %d followers, want 30", n)
		}
		if err := lg.SetPresence(ctx, "s1", "a", 0, now); err != nil {
			t.Fatal(err)
		}
		if n := count("s1"); n != 4 {
			t.Errorf("after a's count of none: %d followers, want 4", n)
		}
		// Removing a record that is not there is no error.
		if err := lg.SetPresence(ctx, "s1", "a", 0, now); err != nil {
			t.Errorf("remove again: %v", err)
		}
	})
}

// TestLiveLogChanges checks that the embedded server, which has no change
// streams, gives no channel, so that rooms poll; where the deployment
// has them, an append names its session.
func TestLiveLogChanges(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		lg := mongo.NewLiveLog(db)
		ch := lg.Changes(ctx)
		if db.Exclusive() { // the embedded server
			if ch != nil {
				t.Fatal("the embedded server gave a change stream")
			}
			return
		}
		if ch == nil {
			t.Skip("this deployment has no change streams (not a replica set)")
		}
		if err := lg.AppendLive(ctx, "s1", 1, []surveys.LiveEvent{{ID: "j", Kind: surveys.EventJoin, By: "k"}}); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-ch:
			if got != "s1" {
				t.Errorf("change of session %q, want s1", got)
			}
		case <-time.After(10 * time.Second):
			t.Error("no change came within 10s of an append")
		}
	})
}
