package rooms

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/mongo/mongotest"
)

// These tests run rooms on the real embedded database. Two hubs on two
// connections to one database stand for two instances of Heard behind a
// load balancer; timings in them are generous bounds that show a thing
// happens, not how fast (make bench measures that).

var testStart = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// runningSession is a started session with a poll and an idea board.
func runningSession(id string) *surveys.LiveSession {
	return &surveys.LiveSession{ID: id, Title: "MADE North", Date: "2026-11-23", Status: surveys.LiveRunning,
		Code: "ABC234", Revision: 2, Created: testStart, Updated: testStart, Started: testStart,
		Activities: []surveys.Activity{
			{ID: "poll", Kind: surveys.ActivityPoll, Prompt: "Where should we meet?", Options: []string{"Library", "Youth centre", "Online"}},
			{ID: "board", Kind: surveys.ActivityIdeas, Prompt: "What should change?"},
		}}
}

// sharedDBs opens n connections to one fresh database on the embedded
// server, none marked exclusive, as n instances sharing it would.
func sharedDBs(t *testing.T, n int) []*mongo.DB {
	t.Helper()
	uri, name := mongotest.EmbeddedURI(t), mongotest.NewName()
	dbs := make([]*mongo.DB, n)
	for i := range dbs {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		db, err := mongo.Open(ctx, mongo.Options{URI: uri, Name: name})
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		dbs[i] = db
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = dbs[0].Drop(ctx)
		for _, db := range dbs {
			_ = db.Close(ctx)
		}
	})
	return dbs
}

// createSession stores a session for the hubs to find.
func createSession(t *testing.T, db *mongo.DB, s *surveys.LiveSession) {
	t.Helper()
	if err := mongo.NewLiveSessionStore(db).CreateLiveSession(testCtx(t), s); err != nil {
		t.Fatal(err)
	}
}

// startHub starts a hub named instance on db, stopped when the test ends;
// lg, when not nil, stands in front of db's log.
func startHub(t *testing.T, db *mongo.DB, instance string, lg surveys.LiveLog) *Hub {
	t.Helper()
	if lg == nil {
		lg = mongo.NewLiveLog(db)
	}
	h := &Hub{Log: lg, Sessions: mongo.NewLiveSessionStore(db), Instance: instance,
		PollEvery: 20 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)}
	h.Start(context.Background())
	t.Cleanup(h.Stop)
	return h
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func openRoom(t *testing.T, h *Hub, session string) *Room {
	t.Helper()
	r, err := h.Room(testCtx(t), session)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func submit(t *testing.T, r *Room, events ...surveys.LiveEvent) []surveys.Applied {
	t.Helper()
	out, err := r.Submit(testCtx(t), events...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// stateJSON is the room's state as a snapshot would store it.
func stateJSON(t *testing.T, r *Room) string {
	t.Helper()
	var b []byte
	var err error
	r.View(func(_ *surveys.LiveSession, st *surveys.RoomState) { b, err = json.Marshal(st) })
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitSeq waits up to 10s for the room to apply the log up to seq.
func waitSeq(t *testing.T, r *Room, seq int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if got := r.Wait(ctx, seq-1); got < seq {
		t.Fatalf("room at %d after 10s, want %d", got, seq)
	}
}

// readLog reads a session's log from its first position to the first
// free one, and checks that none is taken past it.
func readLog(t *testing.T, lg surveys.LiveLog, session string) [][]surveys.LiveEvent {
	t.Helper()
	ctx := testCtx(t)
	var batches [][]surveys.LiveEvent
	for pos := 1; ; pos++ {
		b, err := lg.ReadLive(ctx, session, pos)
		if surveys.ErrorCode(err) == surveys.ENOTFOUND {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		batches = append(batches, b)
	}
	for pos := len(batches) + 2; pos < len(batches)+6; pos++ {
		if _, err := lg.ReadLive(ctx, session, pos); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("log has a gap: %d is free, %d is not (%v)", len(batches)+1, pos, err)
		}
	}
	return batches
}

func staff(id string, kind surveys.LiveEventKind, activity string) surveys.LiveEvent {
	return surveys.LiveEvent{ID: id, Kind: kind, Activity: activity}
}

func vote(id, by string, choice int) surveys.LiveEvent {
	return surveys.LiveEvent{ID: id, Kind: surveys.EventVote, By: by, Activity: "poll", Choices: []int{choice}}
}

func post(id, by, text string) surveys.LiveEvent {
	return surveys.LiveEvent{ID: id, Kind: surveys.EventPost, By: by, Activity: "board", Text: text}
}

// TestRoomNeedsStartedSession checks that only a started session has a
// room.
func TestRoomNeedsStartedSession(t *testing.T) {
	t.Parallel()
	db := mongotest.Open(t)
	draft := runningSession("draft")
	draft.Status, draft.Code = surveys.LiveDraft, ""
	createSession(t, db, draft)
	h := startHub(t, db, "a", nil)
	for _, id := range []string{"draft", "nope"} {
		if _, err := h.Room(testCtx(t), id); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("room of %s: %v, want ENOTFOUND", id, err)
		}
	}
}

// TestRoomSubmitAppliesOnce checks what Submit says of each event, and that an
// event sent again (a phone that lost its signal) counts once.
func TestRoomSubmitAppliesOnce(t *testing.T) {
	t.Parallel()
	db := mongotest.Open(t)
	createSession(t, db, runningSession("s1"))
	r := openRoom(t, startHub(t, db, "a", nil), "s1")

	steps := []struct {
		name   string
		events []surveys.LiveEvent
		want   []surveys.Applied
	}{
		{"a vote before the poll opens", []surveys.LiveEvent{vote("v0", "k1", 0)}, []surveys.Applied{surveys.AppliedClosed}},
		{"open the poll", []surveys.LiveEvent{staff("o1", surveys.EventOpen, "poll")}, []surveys.Applied{surveys.AppliedOK}},
		{"a vote", []surveys.LiveEvent{vote("v1", "k1", 1)}, []surveys.Applied{surveys.AppliedOK}},
		{"the vote sent again", []surveys.LiveEvent{vote("v1", "k1", 1)}, []surveys.Applied{surveys.AppliedAgain}},
		{"a change of mind, and another's vote", []surveys.LiveEvent{vote("v2", "k1", 2), vote("v3", "k2", 2)},
			[]surveys.Applied{surveys.AppliedOK, surveys.AppliedOK}},
		{"a vote that fits no option", []surveys.LiveEvent{vote("v4", "k3", 7)}, []surveys.Applied{surveys.AppliedInvalid}},
		{"open the board", []surveys.LiveEvent{staff("o2", surveys.EventOpen, "board")}, []surveys.Applied{surveys.AppliedOK}},
		{"a vote once the poll closed", []surveys.LiveEvent{vote("v5", "k3", 0)}, []surveys.Applied{surveys.AppliedClosed}},
		{"a post, and the same in one batch", []surveys.LiveEvent{post("p1", "k1", "more buses"), post("p1", "k1", "more buses")},
			[]surveys.Applied{surveys.AppliedOK, surveys.AppliedAgain}},
		{"the post sent again", []surveys.LiveEvent{post("p1", "k1", "more buses")}, []surveys.Applied{surveys.AppliedAgain}},
	}
	for i, step := range steps {
		got := submit(t, r, step.events...)
		if !slices.Equal(got, step.want) {
			t.Errorf("%s: %v, want %v", step.name, got, step.want)
		}
		if r.Seq() != i+1 {
			t.Errorf("%s: seq %d, want a batch per submit, %d", step.name, r.Seq(), i+1)
		}
	}
	r.View(func(_ *surveys.LiveSession, st *surveys.RoomState) {
		votes := st.Act("poll").Votes
		if len(votes) != 2 || !slices.Equal(votes["k1"], []int{2}) || !slices.Equal(votes["k2"], []int{2}) {
			t.Errorf("votes %v, want k1 and k2 on option 2, once each", votes)
		}
		if posts := st.Act("board").Posts; len(posts) != 1 || posts[0].ID != "p1" {
			t.Errorf("posts %+v, want p1 once", posts)
		}
	})

	if out, err := r.Submit(testCtx(t)); out != nil || err != nil {
		t.Errorf("no events: %v, %v", out, err)
	}
	tooMany := make([]surveys.LiveEvent, MaxBatch+1)
	for i := range tooMany {
		tooMany[i] = vote(fmt.Sprint("x", i), "k9", 0)
	}
	if _, err := r.Submit(testCtx(t), tooMany...); surveys.ErrorCode(err) != surveys.EINVALID {
		t.Errorf("%d events at once: %v, want EINVALID", len(tooMany), err)
	}
	if n := len(readLog(t, mongo.NewLiveLog(db), "s1")); n != len(steps) || r.Seq() != n {
		t.Errorf("%d batches in the log, seq %d, want %d", n, r.Seq(), len(steps))
	}
}

// TestTwoHubsConverge sends a room's worth of phones' votes, posts and
// likes to two instances at once, each phone sending some of its events
// again to the other instance as a phone that lost its signal does, and
// checks that both instances come to the same state, with every vote and
// post counted once, from a log without gaps.
func TestTwoHubsConverge(t *testing.T) {
	t.Parallel()
	dbs := sharedDBs(t, 2)
	createSession(t, dbs[0], runningSession("s1"))
	logs := []*countingLog{{LiveLog: mongo.NewLiveLog(dbs[0])}, {LiveLog: mongo.NewLiveLog(dbs[1])}}
	hubs := []*Hub{startHub(t, dbs[0], "a", logs[0]), startHub(t, dbs[1], "b", logs[1])}
	rs := []*Room{openRoom(t, hubs[0], "s1"), openRoom(t, hubs[1], "s1")}

	const people, changes, ideas = 200, 3, 2
	key := func(i int) string { return fmt.Sprintf("k%03d", i) }
	// send has each person's events sent by a goroutine of its own, all
	// at once, each event to one instance and, when again is set, to the
	// other after; each must come back as want (and AppliedAgain again).
	send := func(events func(i int) []surveys.LiveEvent, again bool, want surveys.Applied) {
		t.Helper()
		var wg sync.WaitGroup
		for i := range people {
			wg.Go(func() {
				for j, ev := range events(i) {
					here, there := rs[(i+j)%2], rs[(i+j+1)%2]
					out, err := here.Submit(context.Background(), ev)
					if err != nil || out[0] != want {
						t.Errorf("%s from %s: %v %v, want %s", ev.Kind, ev.By, out, err, want)
					}
					if !again {
						continue
					}
					if out, err = there.Submit(context.Background(), ev); err != nil || out[0] != surveys.AppliedAgain {
						t.Errorf("%s from %s sent again to the other instance: %v %v, want again", ev.Kind, ev.By, out, err)
					}
				}
			})
		}
		wg.Wait()
	}
	begun := time.Now()
	submit(t, rs[0], staff("open-poll", surveys.EventOpen, "poll"))
	send(func(i int) []surveys.LiveEvent {
		var evs []surveys.LiveEvent
		for v := range changes {
			evs = append(evs, vote(fmt.Sprintf("v%d-%d", i, v), key(i), (i+v)%3))
		}
		return evs
	}, true, surveys.AppliedOK)
	submit(t, rs[1], staff("open-board", surveys.EventOpen, "board"))
	send(func(i int) []surveys.LiveEvent {
		var evs []surveys.LiveEvent
		for j := range ideas {
			evs = append(evs, post(fmt.Sprintf("p%d-%d", i, j), key(i), fmt.Sprintf("idea %d of %d", j, i)))
		}
		return evs
	}, true, surveys.AppliedOK)
	send(func(i int) []surveys.LiveEvent { // each likes the next person's first idea
		return []surveys.LiveEvent{{ID: fmt.Sprint("l", i), Kind: surveys.EventLike, By: key(i), Activity: "board",
			Target: fmt.Sprintf("p%d-0", (i+1)%people), On: true}}
	}, false, surveys.AppliedOK)
	sent := time.Since(begun)

	batches := readLog(t, hubs[0].Log, "s1")
	for _, r := range rs {
		waitSeq(t, r, len(batches))
	}
	a, b := stateJSON(t, rs[0]), stateJSON(t, rs[1])
	if a != b {
		t.Fatalf("the instances differ:\n a %s\n b %s", a, b)
	}
	t.Logf("%d batches in the log (a wrote %d, b %d; %d positions found taken); sent in %v; states are %d bytes",
		len(batches), logs[0].appends.Load(), logs[1].appends.Load(), logs[0].conflicts.Load()+logs[1].conflicts.Load(), sent, len(a))
	if logs[0].appends.Load() == 0 || logs[1].appends.Load() == 0 || logs[0].appends.Load()+logs[1].appends.Load() != int64(len(batches)) {
		t.Errorf("a wrote %d batches and b %d, want both some, %d in all", logs[0].appends.Load(), logs[1].appends.Load(), len(batches))
	}

	rs[1].View(func(_ *surveys.LiveSession, st *surveys.RoomState) {
		votes := st.Act("poll").Votes
		counts := make([]int, 3)
		for i := range people {
			want := []int{(i + changes - 1) % 3}
			if !slices.Equal(votes[key(i)], want) {
				t.Errorf("%s's vote %v, want their last, %v", key(i), votes[key(i)], want)
			}
			counts[want[0]]++
		}
		if len(votes) != people {
			t.Errorf("%d votes, want %d", len(votes), people)
		}
		posts := st.Act("board").Posts
		if len(posts) != people*ideas {
			t.Errorf("%d posts, want %d", len(posts), people*ideas)
		}
		seen := map[string]bool{}
		for _, p := range posts {
			if seen[p.ID] {
				t.Errorf("post %s twice", p.ID)
			}
			seen[p.ID] = true
			wantLikes := 0
			if p.ID[len(p.ID)-2:] == "-0" {
				wantLikes = 1
			}
			if len(p.Likes) != wantLikes {
				t.Errorf("post %s has %d likes, want %d", p.ID, len(p.Likes), wantLikes)
			}
		}
		if len(st.People) != people {
			t.Errorf("%d people, want %d", len(st.People), people)
		}
	})

	// Every event is in the log; those sent again may be there twice.
	ids := map[string]int{}
	for _, b := range batches {
		for _, ev := range b {
			ids[ev.ID]++
		}
	}
	if want := 2 + people*changes + people*ideas + people; len(ids) != want {
		t.Errorf("%d events in the log, want %d", len(ids), want)
	}
}

// TestRoomConflictCatchesUp checks what an instance does when another took
// the position it meant to write: it applies the other's batch first and
// writes at the next position, so that its events are applied in the
// log's order.
func TestRoomConflictCatchesUp(t *testing.T) {
	t.Parallel()
	dbs := sharedDBs(t, 2)
	createSession(t, dbs[0], runningSession("s1"))
	ra := openRoom(t, startHub(t, dbs[0], "a", nil), "s1")
	lb := &countingLog{LiveLog: mongo.NewLiveLog(dbs[1])}
	hb := startHub(t, dbs[1], "b", lb)
	hb.PollEvery = time.Hour // b learns of a's batches only by finding their positions taken
	rb := openRoom(t, hb, "s1")

	submit(t, ra, staff("o1", surveys.EventOpen, "poll"))
	submit(t, ra, vote("v1", "k1", 0))
	if out := submit(t, rb, vote("v1", "k1", 0), vote("v2", "k2", 1)); !slices.Equal(out, []surveys.Applied{surveys.AppliedAgain, surveys.AppliedOK}) {
		t.Errorf("b's votes after a opened the poll: %v, want again and ok", out)
	}
	// b found position 1 taken, read 1 and 2, and wrote at 3.
	if n := lb.conflicts.Load(); n != 1 {
		t.Errorf("b found %d positions taken, want 1", n)
	}
	if rb.Seq() != 3 {
		t.Errorf("b at %d, want 3", rb.Seq())
	}
	waitSeq(t, ra, 3)
	if a, b := stateJSON(t, ra), stateJSON(t, rb); a != b {
		t.Errorf("the instances differ:\n a %s\n b %s", a, b)
	}
}

// TestRoomSubscriberOnOtherHub checks that a phone or projector following the
// room on one instance hears of what was sent to another.
func TestRoomSubscriberOnOtherHub(t *testing.T) {
	t.Parallel()
	dbs := sharedDBs(t, 2)
	createSession(t, dbs[0], runningSession("s1"))
	ra := openRoom(t, startHub(t, dbs[0], "a", nil), "s1")
	rb := openRoom(t, startHub(t, dbs[1], "b", nil), "s1")
	ch, stop := rb.Subscribe()
	defer stop()

	begun := time.Now()
	submit(t, ra, staff("o1", surveys.EventOpen, "poll"))
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatal("the subscriber on the other instance heard nothing within 5s")
	}
	t.Logf("heard on the other instance after %v", time.Since(begun))
	rb.View(func(_ *surveys.LiveSession, st *surveys.RoomState) {
		if st.Live != "poll" || st.Seq != 1 {
			t.Errorf("the other instance shows %q at %d, want the poll at 1", st.Live, st.Seq)
		}
	})
}

// TestRoomWait checks long polling's wait: it returns once the room moves
// past where the phone was, at once when it is past already, and when the
// request ends.
func TestRoomWait(t *testing.T) {
	t.Parallel()
	db := mongotest.Open(t)
	createSession(t, db, runningSession("s1"))
	r := openRoom(t, startHub(t, db, "a", nil), "s1")
	submit(t, r, staff("o1", surveys.EventOpen, "poll"))

	if got := r.Wait(context.Background(), 0); got != 1 {
		t.Errorf("wait past 0 at 1: %d", got)
	}

	done := make(chan int)
	go func() { done <- r.Wait(context.Background(), 1) }()
	select {
	case got := <-done:
		t.Fatalf("wait past 1 returned %d before anything changed", got)
	case <-time.After(50 * time.Millisecond):
	}
	submit(t, r, vote("v1", "k1", 0))
	select {
	case got := <-done:
		if got != 2 {
			t.Errorf("wait returned %d, want 2", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("wait did not return within 5s of a change")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if got := r.Wait(ctx, 2); got != 2 {
		t.Errorf("wait until the request ended: %d, want 2", got)
	}
	if n := r.Followers(); n != 0 {
		t.Errorf("%d followers left after the waits", n)
	}
}

// countingLog counts the reads of the log it stands in front of, and the
// appends, those that found their position taken apart.
type countingLog struct {
	surveys.LiveLog
	reads, appends, conflicts atomic.Int64
}

func (c *countingLog) AppendLive(ctx context.Context, session string, pos int, batch []surveys.LiveEvent) error {
	err := c.LiveLog.AppendLive(ctx, session, pos, batch)
	switch {
	case err == nil:
		c.appends.Add(1)
	case surveys.ErrorCode(err) == surveys.ECONFLICT:
		c.conflicts.Add(1)
	}
	return err
}

func (c *countingLog) ReadLive(ctx context.Context, session string, pos int) ([]surveys.LiveEvent, error) {
	c.reads.Add(1)
	return c.LiveLog.ReadLive(ctx, session, pos)
}

// TestLateHubStartsFromSnapshot checks that an instance that starts after
// the session did reads the latest snapshot and the batches after it, not
// the whole log, and comes to the same state; and that ending the session
// snapshots it.
func TestLateHubStartsFromSnapshot(t *testing.T) {
	t.Parallel()
	dbs := sharedDBs(t, 2)
	createSession(t, dbs[0], runningSession("s1"))
	ha := startHub(t, dbs[0], "a", nil)
	ha.Gather = time.Millisecond
	ra := openRoom(t, ha, "s1")
	submit(t, ra, staff("o1", surveys.EventOpen, "board"))
	for i := range SnapshotEvery + 4 {
		submit(t, ra, post(fmt.Sprint("p", i), fmt.Sprint("k", i), "an idea"))
	}
	lg := mongo.NewLiveLog(dbs[1])
	snap, err := lg.FindRoom(testCtx(t), "s1")
	if err != nil {
		t.Fatalf("no snapshot after %d batches: %v", ra.Seq(), err)
	}
	end := ra.Seq()
	if snap.Seq != SnapshotEvery || end != SnapshotEvery+5 {
		t.Fatalf("snapshot at %d, log at %d; want %d and %d", snap.Seq, end, SnapshotEvery, SnapshotEvery+5)
	}

	counting := &countingLog{LiveLog: lg}
	hc := startHub(t, dbs[1], "c", counting)
	rc := openRoom(t, hc, "s1")
	if n, want := counting.reads.Load(), int64(end-snap.Seq+1); n > want {
		t.Errorf("the late instance read %d positions, want %d after the snapshot and the first free one", n, want)
	}
	if a, c := stateJSON(t, ra), stateJSON(t, rc); a != c {
		t.Errorf("the late instance differs:\n a %s\n c %s", a, c)
	}

	submit(t, rc, surveys.LiveEvent{ID: "end", Kind: surveys.EventEnd})
	if snap, err = lg.FindRoom(testCtx(t), "s1"); err != nil || snap.Seq != end+1 || !snap.Ended {
		t.Errorf("snapshot after the end: %+v (%v), want it ended at %d", snap, err, end+1)
	}
}

// gatedLog holds appends at a gate until it opens, to keep a room's writer
// busy while a test fills its queue.
type gatedLog struct {
	surveys.LiveLog
	waiting chan struct{} // gets a signal when an append reaches the gate
	gate    chan struct{} // closed to let appends through
}

func newGatedLog(lg surveys.LiveLog) *gatedLog {
	return &gatedLog{LiveLog: lg, waiting: make(chan struct{}, 1), gate: make(chan struct{})}
}

func (g *gatedLog) AppendLive(ctx context.Context, session string, pos int, batch []surveys.LiveEvent) error {
	select {
	case g.waiting <- struct{}{}:
	default:
	}
	<-g.gate
	return g.LiveLog.AppendLive(ctx, session, pos, batch)
}

// holdWriter starts a submit that the gate holds in the writer, and
// returns its result once it is through.
func holdWriter(t *testing.T, r *Room, g *gatedLog) <-chan error {
	t.Helper()
	first := make(chan error, 1)
	go func() {
		_, err := r.Submit(context.Background(), staff("o1", surveys.EventOpen, "board"))
		first <- err
	}()
	select {
	case <-g.waiting:
	case <-time.After(5 * time.Second):
		t.Fatal("the writer did not reach the log")
	}
	return first
}

// waitQueued waits for n events to be queued in the room.
func waitQueued(t *testing.T, r *Room, n int64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for r.queued.Load() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d events queued, want %d", r.queued.Load(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestRoomBusy checks that a room with MaxQueue events waiting refuses more,
// and takes them again once the writer has caught up.
func TestRoomBusy(t *testing.T) {
	t.Parallel()
	db := mongotest.Open(t)
	createSession(t, db, runningSession("s1"))
	g := newGatedLog(mongo.NewLiveLog(db))
	r := openRoom(t, startHub(t, db, "a", g), "s1")
	first := holdWriter(t, r, g)

	var wg sync.WaitGroup
	left := MaxQueue - 1
	for n := 0; left > 0; n++ {
		size := min(left, MaxBatch)
		left -= size
		wg.Go(func() {
			evs := make([]surveys.LiveEvent, size)
			for i := range evs {
				evs[i] = post(fmt.Sprintf("p%d-%d", n, i), fmt.Sprintf("k%d-%d", n, i%10), "an idea")
			}
			if _, err := r.Submit(context.Background(), evs...); err != nil {
				t.Errorf("a submit while the queue filled: %v", err)
			}
		})
	}
	waitQueued(t, r, MaxQueue)
	if _, err := r.Submit(testCtx(t), post("late", "k", "one too many")); err != ErrBusy {
		t.Errorf("a submit to a full queue: %v, want ErrBusy", err)
	}
	close(g.gate)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if out := submit(t, r, post("late", "k", "one too many")); out[0] != surveys.AppliedOK {
		t.Errorf("once the queue emptied: %v", out)
	}
	waitQueued(t, r, 0)
}

// TestHubStopDrains checks that stopping a hub writes what phones sent
// before it stopped, and refuses what comes after.
func TestHubStopDrains(t *testing.T) {
	t.Parallel()
	db := mongotest.Open(t)
	createSession(t, db, runningSession("s1"))
	g := newGatedLog(mongo.NewLiveLog(db))
	h := startHub(t, db, "a", g)
	r := openRoom(t, h, "s1")
	first := holdWriter(t, r, g)

	const phones = 30
	results := make(chan error, phones)
	for i := range phones {
		go func() {
			out, err := r.Submit(context.Background(), post(fmt.Sprint("p", i), fmt.Sprint("k", i), "an idea"))
			if err == nil && out[0] != surveys.AppliedOK {
				err = fmt.Errorf("applied %s", out[0])
			}
			results <- err
		}()
	}
	waitQueued(t, r, phones+1)
	stopped := make(chan struct{})
	go func() { h.Stop(); close(stopped) }()
	for r.ctx.Err() == nil {
		time.Sleep(time.Millisecond)
	}
	close(g.gate)
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("Stop did not return within 10s")
	}
	if err := <-first; err != nil {
		t.Error(err)
	}
	for range phones {
		if err := <-results; err != nil {
			t.Errorf("a post queued before the stop: %v", err)
		}
	}
	posts := 0
	for _, b := range readLog(t, g.LiveLog, "s1") {
		posts += len(b)
	}
	if posts != phones+1 {
		t.Errorf("%d events in the log, want %d", posts, phones+1)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := r.Submit(ctx, post("after", "k", "too late")); surveys.ErrorCode(err) != surveys.EUNAVAILABLE {
		t.Errorf("a submit after the stop: %v, want EUNAVAILABLE", err)
	}
}

// TestRoomPresence checks that the phones and screens following a session are
// counted across instances, and that an instance that stops takes its
// count away.
func TestRoomPresence(t *testing.T) {
	t.Parallel()
	dbs := sharedDBs(t, 2)
	createSession(t, dbs[0], runningSession("s1"))
	hb := startHub(t, dbs[1], "b", nil)
	ra := openRoom(t, startHub(t, dbs[0], "a", nil), "s1")
	rb := openRoom(t, hb, "s1")
	for i := range 5 {
		r := []*Room{ra, rb}[min(i, 2)/2] // two on a, three on b
		_, stop := r.Subscribe()
		t.Cleanup(stop)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		na, errA := ra.Connected(testCtx(t))
		nb, errB := rb.Connected(testCtx(t))
		if errA != nil || errB != nil {
			t.Fatal(errA, errB)
		}
		if na == 5 && nb == 5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("connected %d on a and %d on b after 15s, want 5", na, nb)
		}
		time.Sleep(50 * time.Millisecond)
	}
	hb.Stop()
	if n, err := ra.Connected(testCtx(t)); err != nil || n != 2 {
		t.Errorf("connected once b stopped: %d (%v), want 2", n, err)
	}
}
