package mongo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	mongodriver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// CommitOptions tune group commit.
type CommitOptions struct {
	// MaxBatch is the most responses written in one batch.
	MaxBatch int
	// Linger is how long a batch waits for more responses after its first
	// one. Zero waits for none: under load, responses gather by themselves
	// while the previous batch is being written.
	Linger time.Duration
	// QueueSize is how many responses may wait for a batch; past it,
	// CreateResponse waits for room (or for its context).
	QueueSize int
	// OpTimeout bounds each database call the committer makes.
	OpTimeout time.Duration
}

// DefaultCommitOptions suit the embedded database, which writes about ten
// times faster in batches than one document at a time.
var DefaultCommitOptions = CommitOptions{MaxBatch: 500, Linger: 0, QueueSize: 4096, OpTimeout: 30 * time.Second}

// ResponseOptions configure a ResponseStore.
type ResponseOptions struct {
	Log    *slog.Logger
	Now    func() time.Time
	Commit CommitOptions
	// Observer, when set, hears what the committer does, for the metrics.
	Observer CommitObserver
}

// CommitObserver hears what the committer does: counts and times, never
// an answer. Its methods are called on the committer's goroutine and must
// return at once.
type CommitObserver interface {
	// Batch: a group commit of size responses (new, retried or refused).
	Batch(size int)
	// Stored: n responses were newly stored.
	Stored(n int)
	// TallyBacklog: responses stored but not yet added to the tallies,
	// and when the oldest of them was stored (zero when none waits).
	TallyBacklog(responses int, since time.Time)
}

// noObserver is the observer of a store no one watches.
type noObserver struct{}

func (noObserver) Batch(int)                   {}
func (noObserver) Stored(int)                  {}
func (noObserver) TallyBacklog(int, time.Time) {}

// ResponseStore stores responses by group commit: CreateResponse queues a
// response and waits while one goroutine, the committer, writes everything
// queued in two database calls (a journal entry, then the responses) and
// answers each caller once the responses are durable. It then adds the
// batch's counts to the tallies while the next batch gathers; under a
// steady stream of answers it adds several batches' counts at once, at
// least every maxFlushDelay. Sync waits for the tallies to catch up, so this
// instance's results include every answer it acknowledged. See journal.go
// for why the tallies stay exact after a crash.
type ResponseStore struct {
	db       *DB
	log      *slog.Logger
	now      func() time.Time
	opts     CommitOptions
	instance string
	observer CommitObserver

	mu     sync.RWMutex // held for reading while queueing, for writing to close
	closed bool
	queue  chan *pendingResponse

	stop      chan struct{} // closed by Close: drain the queue and finish
	abandon   chan struct{} // closed when Close runs out of time: stop retrying
	committed chan struct{} // closed when the committer has finished
	bgDone    chan struct{} // closed when the background loop has finished

	syncs chan chan struct{} // Sync's requests to flush

	// insert writes a batch of responses. Tests replace it to lose the
	// answer of a write the server has made, as a dropped connection would.
	insert func(ctx context.Context, docs []any) error

	// The committer's own state.
	seq          int64            // last batch number
	pending      tallyDeltas      // counts of batches written but not yet added to the tallies
	pendingIDs   []string         // their journal entries
	pendingSeq   int64            // the last of their batch numbers
	pendingCodes []codeSettlement // their access codes, to spend or free
	pendingSince time.Time        // when the oldest of them was written
	pendingCount int              // responses newly stored in them
	leftovers    []string         // journal entries whose deletion failed

	heartbeatAt atomic.Int64 // unix nanoseconds of the last good heartbeat
	fenced      atomic.Bool  // another instance declared this one dead
}

// maxFlushDelay bounds how long acknowledged answers may wait to be added
// to the tallies while answers keep arriving.
const maxFlushDelay = 100 * time.Millisecond

var _ surveys.ResponseStore = (*ResponseStore)(nil)

type pendingResponse struct {
	survey *surveys.Survey
	resp   *surveys.Response
	code   string // hash of the access code to spend, or ""
	doc    *responseDoc
	reply  chan outcome
}

// codeSettlement is the end of an access code's reservation.
type codeSettlement struct {
	hash, journal string
	stored        bool // spend it (its response was stored), or free it
}

type outcome struct {
	created bool
	err     error
}

// errUnavailable is what callers see when the store cannot take answers now.
var errUnavailable = surveys.Errorf(surveys.EUNAVAILABLE, "Heard cannot store answers just now. Please try again in a minute; nothing has been lost.")

// NewResponseStore registers this instance, settles what dead instances
// left unfinished, and starts the committer.
func NewResponseStore(ctx context.Context, db *DB, o ResponseOptions) (*ResponseStore, error) {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Commit.MaxBatch <= 0 {
		o.Commit = DefaultCommitOptions
	}
	if o.Observer == nil {
		o.Observer = noObserver{}
	}
	now := o.Now()
	s := &ResponseStore{
		db: db, log: o.Log, now: o.Now, opts: o.Commit, observer: o.Observer,
		instance:  NewInstanceID(now),
		queue:     make(chan *pendingResponse, o.Commit.QueueSize),
		stop:      make(chan struct{}),
		abandon:   make(chan struct{}),
		committed: make(chan struct{}),
		bgDone:    make(chan struct{}),
		syncs:     make(chan chan struct{}),
		pending:   tallyDeltas{},
	}
	s.insert = func(ctx context.Context, docs []any) error {
		_, err := db.col(colResponses).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		return err
	}
	if _, err := db.col(colInstances).InsertOne(ctx, instanceDoc{ID: s.instance, Seen: now.UTC()}); err != nil {
		return nil, fmt.Errorf("register instance: %w", err)
	}
	s.heartbeatAt.Store(now.UnixNano())
	n, err := Recover(ctx, db, s.instance, now)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		s.log.Info("settled unfinished tally batches", "batches", n)
	}
	go s.commitLoop()
	go s.background()
	return s, nil
}

// Instance returns this store's instance id.
func (s *ResponseStore) Instance() string { return s.instance }

// CreateResponse queues r and waits until it is durable and counted.
func (s *ResponseStore) CreateResponse(ctx context.Context, sv *surveys.Survey, r *surveys.Response, codeHash string) (bool, error) {
	v := sv.Version(r.Version)
	if v == nil {
		return false, surveys.Errorf(surveys.ENOTFOUND, "This survey has no version %q.", r.Version)
	}
	doc, err := toResponseDoc(v, r)
	if err != nil {
		return false, err
	}
	p := &pendingResponse{survey: sv, resp: r, code: codeHash, doc: doc, reply: make(chan outcome, 1)}
	if err := s.enqueue(ctx, p); err != nil {
		return false, err
	}
	select {
	case o := <-p.reply:
		return o.created, o.err
	case <-ctx.Done():
		// The response may yet be stored; a retry with the same id is safe.
		return false, errUnavailable
	}
}

func (s *ResponseStore) enqueue(ctx context.Context, p *pendingResponse) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errUnavailable
	}
	select {
	case s.queue <- p:
		return nil
	case <-ctx.Done():
		return errUnavailable
	}
}

// Close stops taking responses, writes every one already queued, and
// removes this instance's registration. If ctx ends first, what is left is
// settled by the next start (nothing acknowledged is lost).
func (s *ResponseStore) Close(ctx context.Context) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.stop)
	s.mu.Unlock()
	select {
	case <-s.committed:
	case <-ctx.Done():
		close(s.abandon)
		<-s.committed
	}
	<-s.bgDone
	if _, err := s.db.col(colInstances).DeleteOne(context.WithoutCancel(ctx), bson.D{{Key: "_id", Value: s.instance}}); err != nil {
		return fmt.Errorf("unregister instance: %w", err)
	}
	return nil
}

func (s *ResponseStore) commitLoop() {
	defer close(s.committed)
	for {
		var first *pendingResponse
		select {
		case first = <-s.queue:
		case done := <-s.syncs:
			s.flush()
			close(done)
			continue
		case <-s.stop:
			// Nothing can be queued any more: write what is there, then end.
			for {
				select {
				case p := <-s.queue:
					s.commit(s.gather(p))
				default:
					s.flush()
					return
				}
			}
		}
		s.commit(s.gather(first))
		if len(s.queue) == 0 || time.Since(s.pendingSince) >= maxFlushDelay {
			s.flush()
		}
	}
}

// Sync waits until the tallies count every response this store has
// acknowledged.
func (s *ResponseStore) Sync(ctx context.Context) error {
	done := make(chan struct{})
	select {
	case s.syncs <- done:
	case <-s.committed:
		return nil // closed: everything was flushed on the way out
	case <-ctx.Done():
		return fmt.Errorf("wait for tallies: %w", ctx.Err())
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for tallies: %w", ctx.Err())
	}
}

// gather collects a batch: first, everything already queued, and what
// arrives within Linger, up to MaxBatch.
func (s *ResponseStore) gather(first *pendingResponse) []*pendingResponse {
	batch := []*pendingResponse{first}
	var linger <-chan time.Time
	if s.opts.Linger > 0 {
		t := time.NewTimer(s.opts.Linger)
		defer t.Stop()
		linger = t.C
	}
	for len(batch) < s.opts.MaxBatch {
		select {
		case p := <-s.queue:
			batch = append(batch, p)
			continue
		default:
		}
		if linger == nil {
			break
		}
		select {
		case p := <-s.queue:
			batch = append(batch, p)
		case <-linger:
			linger = nil
		}
		if linger == nil {
			break
		}
	}
	return batch
}

// commit writes one batch and answers every caller in it.
func (s *ResponseStore) commit(batch []*pendingResponse) {
	s.observer.Batch(len(batch))
	primaries, copies := splitCopies(batch)
	outcomes := s.write(primaries)
	for i, p := range primaries {
		p.reply <- outcomes[i]
	}
	for _, c := range copies {
		c.p.reply <- copyOutcome(outcomes[c.of], primaries[c.of], c.p)
	}
}

type copyOf struct {
	p  *pendingResponse
	of int // index of the primary with the same id
}

// splitCopies separates responses whose id already appears earlier in the
// batch (a device retrying before its first try was answered).
func splitCopies(batch []*pendingResponse) ([]*pendingResponse, []copyOf) {
	index := map[string]int{}
	var primaries []*pendingResponse
	var copies []copyOf
	for _, p := range batch {
		if i, ok := index[p.resp.ID]; ok {
			copies = append(copies, copyOf{p: p, of: i})
			continue
		}
		index[p.resp.ID] = len(primaries)
		primaries = append(primaries, p)
	}
	return primaries, copies
}

func copyOutcome(o outcome, primary, c *pendingResponse) outcome {
	if o.err != nil {
		return o
	}
	if !sameResponse(primary, c) {
		return outcome{err: errClash}
	}
	return outcome{created: false}
}

var errClash = surveys.Errorf(surveys.ECONFLICT, "A different response with this id has already been stored.")

func sameResponse(a, b *pendingResponse) bool {
	v := a.survey.Version(a.resp.Version)
	return v != nil && a.resp.Survey == b.resp.Survey && a.resp.Same(b.resp, v)
}

// write stores primaries (all with distinct ids) and counts them.
func (s *ResponseStore) write(primaries []*pendingResponse) []outcome {
	outcomes := make([]outcome, len(primaries))
	fail := func(err error) []outcome {
		for i := range outcomes {
			outcomes[i] = outcome{err: err}
		}
		return outcomes
	}
	// Another instance recovers this one's work once its heartbeat is stale,
	// so it must not write past that. With the database to itself, there is
	// no other instance to fear.
	if !s.db.exclusive && (s.fenced.Load() || s.now().Sub(time.Unix(0, s.heartbeatAt.Load())) > heartbeatStale) {
		s.log.Error("refusing to write answers: this instance's heartbeat is stale or it was fenced")
		return fail(errUnavailable)
	}
	s.seq++
	j := &journalDoc{ID: journalID(s.instance, s.seq), Instance: s.instance, Seq: s.seq, Owner: s.instance}
	for _, p := range primaries {
		p.doc.W = newWriteToken()
		j.Responses = append(j.Responses, journalEntry{ID: p.doc.ID, W: p.doc.W, Code: p.code})
	}
	ctx, cancel := s.opCtx()
	_, err := s.db.col(colJournal).InsertOne(ctx, j)
	cancel()
	if err != nil {
		// Nothing of the batch is stored. The entry itself may have been
		// written, which is harmless: settling it finds no responses and no
		// codes reserved under it.
		s.log.Error("write tally journal", "err", err)
		s.leftovers = append(s.leftovers, j.ID)
		return fail(errUnavailable)
	}

	// Reserve the access codes; a response whose code is unknown or used is
	// not written (unless it is a retry of one stored already).
	var docs []any
	var written []int // index in primaries of each of docs
	for i, p := range primaries {
		if p.code != "" {
			if o, ok := s.reserve(p, j.ID); !ok {
				outcomes[i] = o
				continue
			}
		}
		docs = append(docs, p.doc)
		written = append(written, i)
	}
	if len(docs) == 0 {
		s.leftovers = append(s.leftovers, j.ID)
		return outcomes
	}

	ctx, cancel = s.opCtx()
	err = s.insert(ctx, docs)
	cancel()
	dups, failed, clear := classifyInsert(err)
	if !clear {
		// Some responses may be stored and some not. Count the earlier
		// batches, then settle this one (in that order, as the sequence
		// numbers require), and let the devices retry: a retry of a stored
		// response is answered as stored.
		s.log.Error("insert responses: outcome unknown; settling the batch", "err", err, "batch", len(docs))
		s.flush()
		s.retry(func(ctx context.Context) error { return s.db.settle(ctx, j, map[string]*surveys.Survey{}) })
		return fail(errUnavailable)
	}

	if len(s.pendingIDs) == 0 {
		s.pendingSince = time.Now()
	}
	s.pendingIDs = append(s.pendingIDs, j.ID)
	s.pendingSeq = j.Seq
	newly := 0 // responses stored for the first time
	for k, i := range written {
		p := primaries[i]
		stored := false
		switch {
		case failed[k] != 0:
			// Only the code: a write error's message can quote the document.
			s.log.Error("insert response failed", "code", failed[k])
			outcomes[i] = outcome{err: errUnavailable}
		case dups[k]:
			outcomes[i] = s.compareStored(p)
		default:
			stored = true
			outcomes[i] = outcome{created: true}
			s.pending.add(p.survey.Version(p.resp.Version), p.resp)
			newly++
		}
		if p.code != "" {
			s.pendingCodes = append(s.pendingCodes, codeSettlement{hash: p.code, journal: j.ID, stored: stored})
		}
	}
	if newly > 0 {
		s.pendingCount += newly
		s.observer.Stored(newly)
		s.observer.TallyBacklog(s.pendingCount, s.pendingSince)
	}
	s.writeVoices(primaries, written, failed, outcomes)
	return outcomes
}

// writeVoices stores the voices and flags of the batch's responses that
// are stored, new or retried, before any of them is acknowledged: an
// acknowledged answer's worry is always in the safeguarding queue. A
// retry writes its voices again (they keep their ids, and those already
// there are skipped), so that one whose voices failed is healed by the
// device's next try; until they are written, its caller is told to try
// again.
func (s *ResponseStore) writeVoices(primaries []*pendingResponse, written []int, failed map[int]int, outcomes []outcome) {
	var voices []*surveys.Voice
	var with []int // index in primaries of each response with voices
	for k, i := range written {
		// A failed write, or a retry that clashes with what is stored,
		// has no voices to keep.
		if failed[k] != 0 || outcomes[i].err != nil || len(primaries[i].resp.Voices) == 0 {
			continue
		}
		voices = append(voices, primaries[i].resp.Voices...)
		with = append(with, i)
	}
	if len(voices) == 0 {
		return
	}
	ctx, cancel := s.opCtx()
	err := s.db.insertVoices(ctx, voices)
	cancel()
	if err != nil {
		s.log.Error("write voices; their responses' devices will retry", "err", err, "voices", len(voices))
		for _, i := range with {
			outcomes[i] = outcome{err: errUnavailable}
		}
	}
}

// reserve reserves p's access code under journal entry j. When it cannot,
// it says what to answer: a retry of a response stored already succeeds
// (its code was spent when it was first stored); otherwise the code's
// problem.
func (s *ResponseStore) reserve(p *pendingResponse, j string) (outcome, bool) {
	ctx, cancel := s.opCtx()
	problem, err := s.db.reserveCode(ctx, p.resp.Survey, p.code, j)
	cancel()
	if err != nil {
		s.log.Error("reserve access code", "err", err)
		return outcome{err: errUnavailable}, false
	}
	if problem == "" {
		return outcome{}, true
	}
	found, o := s.lookupStored(p)
	if found {
		return o, false
	}
	code := surveys.ECONFLICT
	if problem == surveys.ProblemCodeUnknown {
		code = surveys.EINVALID
	}
	e := surveys.ProblemsError("", map[string]surveys.Problem{"code": {Code: problem}})
	e.Code, e.Message = code, e.Fields["code"]
	return outcome{err: e}, false
}

// flush adds the counts of every written batch to the tallies, marking
// each tally document with the last of those batches' sequence numbers (not
// a later one: a batch settled after them must still find its number above
// the mark), spends or frees the batches' reserved access codes, and then
// deletes their journal entries.
func (s *ResponseStore) flush() {
	if len(s.pendingIDs) == 0 {
		return
	}
	done := true
	for _, id := range sortedKeys(s.pending) {
		delta := s.pending[id]
		done = s.retry(func(ctx context.Context) error { return s.db.applyDelta(ctx, delta, s.instance, s.pendingSeq) }) && done
	}
	for _, c := range s.pendingCodes {
		done = s.retry(func(ctx context.Context) error { return s.db.settleCode(ctx, c.hash, c.journal, c.stored) }) && done
	}
	if done {
		s.leftovers = append(s.leftovers, s.pendingIDs...)
	} // else the entries stay, and the next start settles them
	s.pending, s.pendingIDs, s.pendingCodes, s.pendingCount = tallyDeltas{}, nil, nil, 0
	s.observer.TallyBacklog(0, time.Time{})
	s.retryLeftovers()
}

// classifyInsert reads InsertMany's error: which documents were duplicates,
// which failed otherwise (with their error codes), and whether the outcome
// of each is clear at all.
func classifyInsert(err error) (dups map[int]bool, failed map[int]int, clear bool) {
	dups, failed = map[int]bool{}, map[int]int{}
	if err == nil {
		return dups, failed, true
	}
	var bwe mongodriver.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil {
		return nil, nil, false
	}
	for _, we := range bwe.WriteErrors {
		if we.Code == 11000 {
			dups[we.Index] = true
		} else {
			failed[we.Index] = we.Code
		}
	}
	return dups, failed, true
}

// compareStored answers a response whose id was already stored: a retry
// when the answers are the same, a clash when they differ.
func (s *ResponseStore) compareStored(p *pendingResponse) outcome {
	found, o := s.lookupStored(p)
	if !found && o.err == nil {
		s.log.Error("a response reported as a duplicate is not there")
		return outcome{err: errUnavailable}
	}
	return o
}

// lookupStored reads the stored response with p's id. found is false when
// there is none (and then the outcome means nothing, unless it is an error).
func (s *ResponseStore) lookupStored(p *pendingResponse) (found bool, o outcome) {
	ctx, cancel := s.opCtx()
	defer cancel()
	var d responseDoc
	err := s.db.col(colResponses).FindOne(ctx, bson.D{{Key: "_id", Value: p.resp.ID}}).Decode(&d)
	switch {
	case isNotFound(err):
		return false, outcome{}
	case err != nil:
		s.log.Error("read stored response", "err", err)
		return false, outcome{err: errUnavailable}
	case d.Survey != p.resp.Survey:
		return true, outcome{err: errClash}
	}
	stored, v, err := d.response(p.survey)
	if err != nil {
		s.log.Error("decode stored response", "err", err)
		return true, outcome{err: errClash}
	}
	if !stored.Same(p.resp, v) {
		return true, outcome{err: errClash}
	}
	return true, outcome{created: false}
}

// retry runs op until it succeeds, backing off, unless Close gives up, and
// reports whether it succeeded. The committer must not move on past a tally
// update that failed: a later batch would mark the document with a higher
// sequence number and hide this one.
func (s *ResponseStore) retry(op func(ctx context.Context) error) bool {
	wait := 50 * time.Millisecond
	for {
		ctx, cancel := s.opCtx()
		err := op(ctx)
		cancel()
		if err == nil {
			return true
		}
		s.log.Error("tally update failed; retrying", "err", err, "wait", wait)
		select {
		case <-s.abandon:
			s.log.Error("giving up on a tally update at shutdown; the next start settles it")
			return false
		case <-time.After(wait):
		}
		wait = min(wait*2, 5*time.Second)
	}
}

// retryLeftovers deletes finished journal entries: one by _id, or several
// with one $in (which the embedded server answers by scanning the journal,
// a collection of a handful of entries).
func (s *ResponseStore) retryLeftovers() {
	if len(s.leftovers) == 0 {
		return
	}
	ctx, cancel := s.opCtx()
	defer cancel()
	filter := bson.D{{Key: "_id", Value: s.leftovers[0]}}
	if len(s.leftovers) > 1 {
		filter = bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: s.leftovers}}}}
	}
	if _, err := s.db.col(colJournal).DeleteMany(ctx, filter); err != nil {
		s.log.Error("delete finished journal entries; will retry", "err", err)
		return
	}
	s.leftovers = nil
}

func (s *ResponseStore) opCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), s.opts.OpTimeout)
}

// background keeps the heartbeat fresh and, when others may share the
// database, settles the work of instances that died.
func (s *ResponseStore) background() {
	defer close(s.bgDone)
	beat := time.NewTicker(heartbeatEvery)
	defer beat.Stop()
	recoverTick := time.NewTicker(recoverEvery)
	defer recoverTick.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-beat.C:
			s.heartbeat()
		case <-recoverTick.C:
			if s.db.exclusive {
				continue
			}
			ctx, cancel := s.opCtx()
			if n, err := Recover(ctx, s.db, s.instance, s.now()); err != nil {
				s.log.Error("recover tally batches of stopped instances", "err", err)
			} else if n > 0 {
				s.log.Info("settled tally batches of a stopped instance", "batches", n)
			}
			cancel()
		}
	}
}

func (s *ResponseStore) heartbeat() {
	ctx, cancel := s.opCtx()
	defer cancel()
	now := s.now()
	res, err := s.db.col(colInstances).UpdateOne(ctx, bson.D{{Key: "_id", Value: s.instance}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "seen", Value: now.UTC()}}}})
	switch {
	case err != nil:
		s.log.Error("heartbeat", "err", err)
	case res.MatchedCount == 0:
		s.fenced.Store(true)
		s.log.Error("another instance declared this one dead; it will store no more answers until restarted")
	default:
		s.heartbeatAt.Store(now.UnixNano())
	}
}
