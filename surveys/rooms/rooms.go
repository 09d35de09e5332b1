// Package rooms runs MADE sessions on one instance of Heard: for each
// running session, a Room holds its state in memory, writes what phones
// and the console send to the session's log in batches, follows the
// batches other instances write, and tells the phones and projectors
// connected here when something changed.
//
// The log (surveys.LiveLog) is the only thing instances share. A batch is
// appended at the next free position; a writer that finds its position
// taken reads the batch there, applies it, and tries the next one. Every
// instance applies the same batches in the same order, so all come to the
// same state without transactions or sticky sessions. Between instances,
// news travels by each room reading the next position every PollEvery
// (an _id read, the embedded server's fast path) and, on a deployment with
// change streams, as soon as the stream says so.
package rooms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/heard-app/heard/surveys"
)

// Defaults for a Hub's timings and sizes.
const (
	DefaultPollEvery  = 100 * time.Millisecond // how often a room looks for other instances' batches
	DefaultGather     = 5 * time.Millisecond   // how long a writer waits for more events to batch with the first
	DefaultIdle       = 10 * time.Minute       // a room no one has used for this long is put away
	MaxBatch          = 200                    // events in one batch
	MaxQueue          = 2000                   // events waiting to be written, per room; more are refused
	SnapshotEvery     = 50                     // batches between snapshots
	presenceEvery     = 3 * time.Second        // how often a room records who follows it
	presenceFreshness = 15 * time.Second       // a record older than this no longer counts
)

// ErrBusy is returned when a room's queue is full: the phone waits and
// sends again.
var ErrBusy = surveys.Errorf(surveys.EUNAVAILABLE, "Lots of people are answering at once. Try again in a moment.")

// Hub holds the rooms of this instance.
type Hub struct {
	Log      surveys.LiveLog
	Sessions surveys.LiveSessionStore
	Instance string // this instance's name in the presence records
	// Exclusive says no other instance writes the log (the embedded
	// database, locked to this process). Rooms then never look for other
	// instances' batches: on the embedded server every read scans the
	// whole log, and there would be nothing to find.
	Exclusive bool
	Logger    *slog.Logger
	Now       func() time.Time

	PollEvery time.Duration
	Gather    time.Duration
	Idle      time.Duration

	mu     sync.Mutex
	rooms  map[string]*Room
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Start sets the hub going: it follows the log's change stream, where
// there is one, and puts idle rooms away. Stop ends it.
func (h *Hub) Start(ctx context.Context) {
	if h.PollEvery <= 0 {
		h.PollEvery = DefaultPollEvery
	}
	if h.Gather <= 0 {
		h.Gather = DefaultGather
	}
	if h.Idle <= 0 {
		h.Idle = DefaultIdle
	}
	if h.Now == nil {
		h.Now = time.Now
	}
	if h.Logger == nil {
		h.Logger = slog.Default()
	}
	h.rooms = map[string]*Room{}
	h.ctx, h.cancel = context.WithCancel(ctx)
	if ch := h.Log.Changes(h.ctx); ch != nil {
		h.wg.Go(func() { h.followChanges(ch) })
	}
	h.wg.Go(h.sweep)
}

// Stop stops every room, after writing what is queued.
func (h *Hub) Stop() {
	h.mu.Lock()
	rooms := make([]*Room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	for _, r := range rooms {
		r.stop()
	}
	h.cancel()
	h.wg.Wait()
}

// Room returns the session's room, loading it from its latest snapshot
// and the log when this instance has none. ENOTFOUND when there is no
// such session, or it never started.
func (h *Hub) Room(ctx context.Context, session string) (*Room, error) {
	h.mu.Lock()
	r := h.rooms[session]
	h.mu.Unlock()
	if r != nil {
		r.touch()
		return r, nil
	}
	s, err := h.Sessions.FindLiveSession(ctx, session)
	if err != nil {
		return nil, err
	}
	if s.Status == surveys.LiveDraft {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "The session has not started.")
	}
	st, err := h.Log.FindRoom(ctx, session)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		st, err = surveys.NewRoomState(session), nil
	}
	if err != nil {
		return nil, fmt.Errorf("load session %s: %w", session, err)
	}
	// The log is read outside the hub's lock, so that an instance reading
	// a long log does not hold up every other session's requests; two
	// requests loading one room at once both read, and the first to finish
	// is kept.
	r = newRoom(h, s, st)
	if err := r.catchUp(ctx); err != nil {
		r.cancel()
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if kept := h.rooms[session]; kept != nil {
		r.cancel()
		return kept, nil
	}
	h.rooms[session] = r
	r.start()
	return r, nil
}

// followChanges pokes the rooms whose log the change stream says grew.
func (h *Hub) followChanges(ch <-chan string) {
	for id := range ch {
		h.mu.Lock()
		r := h.rooms[id]
		h.mu.Unlock()
		if r != nil {
			r.poke()
		}
	}
}

// sweep puts away rooms no one has used for Idle, so that a year of
// sessions does not stay in memory.
func (h *Hub) sweep() {
	t := time.NewTicker(h.Idle / 4)
	defer t.Stop()
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-t.C:
		}
		h.mu.Lock()
		var idle []*Room
		for id, r := range h.rooms {
			if r.idleSince(h.Now()) > h.Idle {
				idle = append(idle, r)
				delete(h.rooms, id)
			}
		}
		h.mu.Unlock()
		for _, r := range idle {
			r.stop()
		}
	}
}

// isConflict reports whether err says a log position was taken.
func isConflict(err error) bool {
	var e *surveys.Error
	return errors.As(err, &e) && e.Code == surveys.ECONFLICT
}

// The hub is the domain's rooms.
var _ surveys.LiveRooms = (*Hub)(nil)

// OpenRoom is Room for the domain, which knows rooms by surveys.LiveRoom.
func (h *Hub) OpenRoom(ctx context.Context, session string) (surveys.LiveRoom, error) {
	return h.Room(ctx, session)
}

// Followers is how many phones and projectors follow a session on this
// instance, in all its rooms: for the metrics.
func (h *Hub) Followers() int {
	h.mu.Lock()
	rooms := make([]*Room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	n := 0
	for _, r := range rooms {
		n += r.Followers()
	}
	return n
}
