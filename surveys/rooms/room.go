package rooms

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heard-app/heard/surveys"
)

// Room is one running session on this instance.
type Room struct {
	hub  *Hub
	sess *surveys.LiveSession // as prepared: its activities no longer change once it has started

	// logMu is held while the room reads or appends to the log, so that
	// batches are applied one at a time, in the log's order. mu guards the
	// state: Apply takes it briefly, views share it.
	logMu     sync.Mutex
	mu        sync.RWMutex
	st        *surveys.RoomState
	sinceSnap int

	queue  chan *pending
	queued atomic.Int64 // events waiting in queue
	pokeC  chan struct{}

	subMu sync.Mutex
	subs  map[chan struct{}]struct{}

	used   atomic.Int64 // unix nanoseconds of the last use
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// errRestarting is returned by a room that has stopped.
var errRestarting = surveys.Errorf(surveys.EUNAVAILABLE, "Heard is restarting. Try again in a moment.")

// pending is events a request waits to see written.
type pending struct {
	events []surveys.LiveEvent
	out    []surveys.Applied
	err    error
	done   chan struct{}
}

func newRoom(h *Hub, s *surveys.LiveSession, st *surveys.RoomState) *Room {
	r := &Room{hub: h, sess: s, st: st, queue: make(chan *pending, MaxQueue), pokeC: make(chan struct{}, 1),
		subs: map[chan struct{}]struct{}{}}
	r.ctx, r.cancel = context.WithCancel(h.ctx)
	r.touch()
	return r
}

func (r *Room) start() {
	r.wg.Go(r.writeLoop)
	r.wg.Go(r.followLoop)
	r.wg.Go(r.presenceLoop)
}

// stop writes what is queued and stops the room's goroutines.
func (r *Room) stop() {
	r.cancel()
	r.wg.Wait()
}

func (r *Room) touch() { r.used.Store(r.hub.Now().UnixNano()) }

// idleSince says how long the room has gone unused; a room someone
// follows is in use.
func (r *Room) idleSince(now time.Time) time.Duration {
	if r.Followers() > 0 {
		return 0
	}
	return now.Sub(time.Unix(0, r.used.Load()))
}

// Session returns the session as prepared.
func (r *Room) Session() *surveys.LiveSession { return r.sess }

// Submit writes events to the log and returns, once they are stored and
// applied, what came of each. An event sent again comes back
// surveys.AppliedAgain. It fails with ErrBusy when too much is queued, and
// otherwise only when the log cannot be written: nothing is then known to
// be stored, and the sender sends again.
func (r *Room) Submit(ctx context.Context, events ...surveys.LiveEvent) ([]surveys.Applied, error) {
	r.touch()
	if len(events) == 0 {
		return nil, nil
	}
	if len(events) > MaxBatch {
		return nil, surveys.Errorf(surveys.EINVALID, "At most %d events at once.", MaxBatch)
	}
	// A stopped room's writer is gone: the select below could still put
	// the events in its queue, and the sender would wait for nothing.
	if r.ctx.Err() != nil {
		return nil, errRestarting
	}
	if r.queued.Add(int64(len(events))) > MaxQueue {
		r.queued.Add(-int64(len(events)))
		return nil, ErrBusy
	}
	p := &pending{events: events, done: make(chan struct{})}
	select {
	case r.queue <- p:
	case <-r.ctx.Done():
		r.queued.Add(-int64(len(events)))
		return nil, errRestarting
	}
	select {
	case <-p.done:
		return p.out, p.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// writeLoop writes queued events, a batch at a time.
func (r *Room) writeLoop() {
	for {
		select {
		case p := <-r.queue:
			r.write(r.gather(p))
		case <-r.ctx.Done():
			r.drain()
			return
		}
	}
}

// gather takes what else is queued, waiting Gather for more, up to
// MaxBatch events.
func (r *Room) gather(first *pending) []*pending {
	batch, n := []*pending{first}, len(first.events)
	timer := time.NewTimer(r.hub.Gather)
	defer timer.Stop()
	for n < MaxBatch {
		select {
		case p := <-r.queue:
			batch, n = append(batch, p), n+len(p.events)
		case <-timer.C:
			return batch
		}
	}
	return batch
}

// drain writes what was queued before the room stopped.
func (r *Room) drain() {
	for {
		select {
		case p := <-r.queue:
			r.write([]*pending{p})
		default:
			return
		}
	}
}

// write appends a batch at the next free position of the log, applying
// the batches of other instances it finds in the way, and tells each
// request what came of its events.
func (r *Room) write(batch []*pending) {
	var events []surveys.LiveEvent
	for _, p := range batch {
		events = append(events, p.events...)
	}
	out, err := r.append(events)
	for _, p := range batch {
		p.out, p.err = out[:len(p.events):len(p.events)], err
		out = out[len(p.events):]
		r.queued.Add(-int64(len(p.events)))
		close(p.done)
	}
}

func (r *Room) append(events []surveys.LiveEvent) ([]surveys.Applied, error) {
	r.logMu.Lock()
	defer r.logMu.Unlock()
	out := make([]surveys.Applied, len(events))
	var err error
	for attempt := 0; attempt < 50; attempt++ {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		pos := r.Seq() + 1
		err = r.hub.Log.AppendLive(ctx, r.sess.ID, pos, events)
		cancel()
		switch {
		case err == nil:
			r.apply(pos, events, out)
			r.snapshot()
			return out, nil
		case isConflict(err):
			if err = r.catchUpLocked(); err != nil {
				return out, err
			}
		default:
			// The write may or may not have been stored: the next attempt
			// finds out, as its position is then taken.
			r.hub.Logger.Warn("live session: append failed", "session", r.sess.ID, "attempt", attempt, "err", err)
			if attempt >= 3 {
				return out, fmt.Errorf("write to the session's log: %w", err)
			}
			time.Sleep(time.Duration(attempt+1) * 50 * time.Millisecond)
		}
	}
	return out, fmt.Errorf("write to the session's log: %w", err)
}

// apply applies a batch found at pos; out, when not nil, gets what came
// of each event.
func (r *Room) apply(pos int, events []surveys.LiveEvent, out []surveys.Applied) {
	r.mu.Lock()
	for i := range events {
		a := r.st.Apply(r.sess, &events[i])
		if out != nil {
			out[i] = a
		}
	}
	r.st.Seq = pos
	r.mu.Unlock()
	r.sinceSnap++
	r.broadcast()
}

// snapshot keeps the state every SnapshotEvery batches, and when the
// session has ended. It is called with logMu held, so no batch is applied
// while the snapshot is written.
func (r *Room) snapshot() {
	if r.sinceSnap < SnapshotEvery && !r.st.Ended {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.hub.Log.SaveRoom(ctx, r.st); err != nil {
		r.hub.Logger.Warn("live session: snapshot failed", "session", r.sess.ID, "err", err)
		return
	}
	r.sinceSnap = 0
}

// catchUp applies the batches other instances appended.
func (r *Room) catchUp(ctx context.Context) error {
	r.logMu.Lock()
	defer r.logMu.Unlock()
	return r.catchUpCtx(ctx)
}

func (r *Room) catchUpLocked() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return r.catchUpCtx(ctx)
}

func (r *Room) catchUpCtx(ctx context.Context) error {
	for {
		pos := r.Seq() + 1
		batch, err := r.hub.Log.ReadLive(ctx, r.sess.ID, pos)
		if surveys.ErrorCode(err) == surveys.ENOTFOUND {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read the session's log at %d: %w", pos, err)
		}
		r.apply(pos, batch, nil)
	}
}

// followLoop looks for other instances' batches: every PollEvery while
// someone follows the room, less often when no one does, and at once when
// the change stream pokes it.
func (r *Room) followLoop() {
	if r.hub.Exclusive {
		return
	}
	t := time.NewTicker(r.hub.PollEvery)
	defer t.Stop()
	quiet := 0
	for {
		if r.ended() {
			return // nothing changes an ended session: there is nothing to follow
		}
		select {
		case <-r.ctx.Done():
			return
		case <-r.pokeC:
		case <-t.C:
			if r.Followers() == 0 && quiet < 20 {
				quiet++
				continue
			}
		}
		quiet = 0
		if !r.logMu.TryLock() {
			continue // the writer holds the log; it catches up as it writes
		}
		if err := r.catchUpLocked(); err != nil {
			r.hub.Logger.Warn("live session: follow failed", "session", r.sess.ID, "err", err)
		}
		r.logMu.Unlock()
	}
}

func (r *Room) poke() {
	select {
	case r.pokeC <- struct{}{}:
	default:
	}
}

// ended reports whether the session has ended.
func (r *Room) ended() bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.st.Ended
}

// Seq is how many of the log's batches the room has applied: it grows
// with every change.
func (r *Room) Seq() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.st.Seq
}

// View calls f with the session and its state, which f must only read and
// must not keep.
func (r *Room) View(f func(s *surveys.LiveSession, st *surveys.RoomState)) {
	r.touch()
	r.mu.RLock()
	defer r.mu.RUnlock()
	f(r.sess, r.st)
}

// Subscribe returns a channel that receives when the state changes, and a
// function to stop. A follower that is slow misses nothing but the
// in-between states: the channel holds one signal.
func (r *Room) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	r.subMu.Lock()
	r.subs[ch] = struct{}{}
	r.subMu.Unlock()
	return ch, func() {
		r.subMu.Lock()
		delete(r.subs, ch)
		r.subMu.Unlock()
		r.touch()
	}
}

// Followers is how many phones and screens follow the room here.
func (r *Room) Followers() int {
	r.subMu.Lock()
	defer r.subMu.Unlock()
	return len(r.subs)
}

func (r *Room) broadcast() {
	r.subMu.Lock()
	defer r.subMu.Unlock()
	for ch := range r.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Wait returns once the room's Seq is past after, or when ctx ends, with
// the Seq then: long polling's wait.
func (r *Room) Wait(ctx context.Context, after int) int {
	ch, stop := r.Subscribe()
	defer stop()
	for {
		if seq := r.Seq(); seq > after {
			return seq
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return r.Seq()
		}
	}
}

// presenceLoop records how many follow the room here, so that the console
// can add up every instance's.
func (r *Room) presenceLoop() {
	t := time.NewTicker(presenceEvery)
	defer t.Stop()
	last := -1
	var lastAt time.Time
	for {
		select {
		case <-r.ctx.Done():
			if last > 0 {
				r.setPresence(0)
			}
			return
		case <-t.C:
		}
		n := r.Followers()
		now := r.hub.Now()
		if n == last && now.Sub(lastAt) < presenceFreshness/3 {
			continue
		}
		if n == 0 && last <= 0 {
			continue
		}
		if r.setPresence(n) {
			last, lastAt = n, now
		}
	}
}

func (r *Room) setPresence(n int) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.hub.Log.SetPresence(ctx, r.sess.ID, r.hub.Instance, n, r.hub.Now()); err != nil {
		r.hub.Logger.Warn("live session: presence failed", "session", r.sess.ID, "err", err)
		return false
	}
	return true
}

// Connected is how many phones and screens follow the session on every
// instance, as last recorded.
func (r *Room) Connected(ctx context.Context) (int, error) {
	return r.hub.Log.CountPresence(ctx, r.sess.ID, r.hub.Now().Add(-presenceFreshness))
}
