package mongo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// How tallies stay exact without transactions
//
// Each batch of responses is written in three steps: (1) a journal entry
// listing the batch's response ids, each with a fresh random write token;
// (2) the responses, each carrying its token; (3) one $inc per tally
// document touched, which also sets applied.<instance> to the batch's
// sequence number, in the same single-document write. Then the journal
// entry is deleted.
//
// A crash anywhere leaves a journal entry. Settling it reads each listed
// response by _id: only those carrying the entry's token were written by
// this batch (a retry of an earlier response was refused as a duplicate and
// keeps its old token). Their counts are added to each tally document whose
// applied.<instance> is below the batch's sequence number, and to no other.
// An instance applies its batches strictly in order and finishes one before
// the next, so that number says exactly which of its batches a document has.
//
// Instances announce themselves in the instances collection and refresh a
// heartbeat. An instance whose heartbeat is stale is dead: another fences
// it (deletes its instance document, so that it stops if it was merely
// paused) and settles its journal entries. With the embedded database only
// one process can open the data directory, so at start every other
// instance is dead.

// Timing of heartbeats and recovery.
const (
	heartbeatEvery = 15 * time.Second
	heartbeatStale = 60 * time.Second  // an instance with an older heartbeat stops writing
	deadAfter      = 120 * time.Second // an instance silent this long is recovered by others
	recoverEvery   = 30 * time.Second
)

type journalDoc struct {
	ID        string         `bson:"_id"`
	Instance  string         `bson:"instance"`
	Seq       int64          `bson:"seq"`
	Owner     string         `bson:"owner"`
	Responses []journalEntry `bson:"responses"`
}

type journalEntry struct {
	ID   string `bson:"id"`
	W    string `bson:"w"`
	Code string `bson:"code,omitempty"` // hash of the access code reserved for it
}

type instanceDoc struct {
	ID   string    `bson:"_id"`
	Seen time.Time `bson:"seen"`
}

// NewInstanceID returns an id for a process that writes tallies. It starts
// with the time in hex, so that pruning can tell instances started after it
// looked from older ones.
func NewInstanceID(now time.Time) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%016x-%s", now.UnixNano(), hex.EncodeToString(b))
}

// PendingBatches returns how many tally batches are unfinished: written
// but not yet fully counted, or left by a process that stopped.
func PendingBatches(ctx context.Context, d *DB) (int64, error) {
	n, err := d.col(colJournal).CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("count pending tally batches: %w", err)
	}
	return n, nil
}

func instanceStarted(id string) (int64, bool) {
	head, _, ok := strings.Cut(id, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(head, 16, 64)
	return int64(n), err == nil
}

func newWriteToken() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func journalID(instance string, seq int64) string { return fmt.Sprintf("%s:%012d", instance, seq) }

// tallyDeltas groups the counts of responses by tally document.
type tallyDeltas map[string]*surveys.Tally

func (td tallyDeltas) add(v *surveys.Version, r *surveys.Response) {
	id := tallyID(r.Survey, r.Version)
	t := td[id]
	if t == nil {
		t = surveys.NewTally(r.Survey, r.Version)
		td[id] = t
	}
	t.Add(v, r)
}

// maxTallyRetries bounds how often applyDelta rereads a tally that another
// instance changed under it.
const maxTallyRetries = 100

// applyDelta adds delta to its tally document and records the batch as
// applied, in one write, unless the document already has the batch: that
// is how a retry after an unclear failure, or the settling of a journal
// entry, stays exactly-once.
//
// The write names the revision it read, so on MongoDB an instance that
// lost a race rereads and tries again. On the embedded server only this
// process writes (the data directory's lock) and the committer is the one
// goroutine that writes tallies, so the revision is left out of the filter:
// the server would answer any filter but {_id} by scanning the collection.
func (d *DB) applyDelta(ctx context.Context, delta *surveys.Tally, instance string, seq int64) error {
	id := tallyID(delta.Survey, delta.Version)
	for range maxTallyRetries {
		doc, err := d.findTallyDoc(ctx, id)
		if err != nil {
			return err
		}
		if doc != nil && doc.Applied[instance] >= seq {
			return nil
		}
		merged := surveys.NewTally(delta.Survey, delta.Version)
		if doc != nil {
			if merged, err = doc.tally(); err != nil {
				return err
			}
		}
		merged.Merge(delta)
		counts, err := encodeCounts(merged)
		if err != nil {
			return err
		}
		if doc == nil {
			fresh := &tallyDoc{ID: id, Survey: delta.Survey, Version: delta.Version, Rev: 1,
				Applied: map[string]int64{instance: seq}, Counts: counts}
			_, err := d.col(colTallies).InsertOne(ctx, fresh)
			if isDuplicate(err) {
				continue // another instance created it first
			} else if err != nil {
				d.tallies.forget(id)
				return fmt.Errorf("create tally %s: %w", id, err)
			}
			d.tallies.put(fresh, d.exclusive)
			return nil
		}
		filter := bson.D{{Key: "_id", Value: id}}
		if !d.exclusive {
			filter = append(filter, bson.E{Key: "rev", Value: doc.Rev})
		}
		res, err := d.col(colTallies).UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: bson.D{
			{Key: "counts", Value: counts},
			{Key: "rev", Value: doc.Rev + 1},
			{Key: "applied." + instance, Value: seq},
		}}})
		if err != nil {
			d.tallies.forget(id)
			return fmt.Errorf("update tally %s: %w", id, err)
		}
		if res.MatchedCount == 1 {
			updated := *doc
			updated.Counts, updated.Rev = counts, doc.Rev+1
			updated.Applied = maps.Clone(doc.Applied)
			if updated.Applied == nil {
				updated.Applied = map[string]int64{}
			}
			updated.Applied[instance] = seq
			d.tallies.put(&updated, d.exclusive)
			return nil
		}
	}
	return fmt.Errorf("update tally %s: still changing under us after %d tries", id, maxTallyRetries)
}

// settle makes the tallies count exactly the responses journal entry j
// wrote, whatever part of its work was done before, then deletes it.
func (d *DB) settle(ctx context.Context, j *journalDoc, surveyCache map[string]*surveys.Survey) error {
	deltas := tallyDeltas{}
	for _, e := range j.Responses {
		var doc responseDoc
		err := d.col(colResponses).FindOne(ctx, bson.D{{Key: "_id", Value: e.ID}}).Decode(&doc)
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("settle %s: read response: %w", j.ID, err)
		}
		// Stored by this batch, or not at all: not stored, or stored by an
		// earlier batch (this one was a retry).
		stored := err == nil && doc.W == e.W
		if e.Code != "" {
			if err := d.settleCode(ctx, e.Code, j.ID, stored); err != nil {
				return fmt.Errorf("settle %s: %w", j.ID, err)
			}
		}
		if !stored {
			continue
		}
		s := surveyCache[doc.Survey]
		if s == nil {
			if s, err = NewSurveyStore(d).FindSurvey(ctx, doc.Survey); err != nil {
				return fmt.Errorf("settle %s: %w", j.ID, err)
			}
			surveyCache[doc.Survey] = s
		}
		r, v, err := doc.response(s)
		if err != nil {
			return fmt.Errorf("settle %s: %w", j.ID, err)
		}
		deltas.add(v, r)
	}
	for _, id := range sortedKeys(deltas) {
		if err := d.applyDelta(ctx, deltas[id], j.Instance, j.Seq); err != nil {
			return fmt.Errorf("settle %s: %w", j.ID, err)
		}
	}
	if _, err := d.col(colJournal).DeleteOne(ctx, bson.D{{Key: "_id", Value: j.ID}}); err != nil {
		return fmt.Errorf("settle %s: delete journal entry: %w", j.ID, err)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Recover settles the journal entries of dead instances and prunes their
// marks from the tallies. When d is exclusive (the embedded server, behind
// its lock), every instance but self is dead; otherwise an instance is dead
// when its heartbeat is older than deadAfter, or it has no instance
// document. It returns how many entries it settled.
func Recover(ctx context.Context, d *DB, self string, now time.Time) (int, error) {
	exclusive := d.exclusive
	alive, err := d.liveInstances(ctx, self, exclusive, now)
	if err != nil {
		return 0, err
	}
	cur, err := d.col(colJournal).Find(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("recover: list journal: %w", err)
	}
	var entries []journalDoc
	if err := cur.All(ctx, &entries); err != nil {
		return 0, fmt.Errorf("recover: read journal: %w", err)
	}
	sort.Slice(entries, func(i, k int) bool {
		if entries[i].Instance != entries[k].Instance {
			return entries[i].Instance < entries[k].Instance
		}
		return entries[i].Seq < entries[k].Seq
	})
	settled := 0
	surveyCache := map[string]*surveys.Survey{}
	for i := range entries {
		j := &entries[i]
		claimedByOther := j.Owner != j.Instance && j.Owner != self && alive[j.Owner]
		if alive[j.Instance] || claimedByOther {
			continue
		}
		if !exclusive {
			// Claim the entry, so that two instances never settle it at once.
			res, err := d.col(colJournal).UpdateOne(ctx, bson.D{{Key: "_id", Value: j.ID}, {Key: "owner", Value: j.Owner}},
				bson.D{{Key: "$set", Value: bson.D{{Key: "owner", Value: self}}}})
			if err != nil {
				return settled, fmt.Errorf("recover: claim %s: %w", j.ID, err)
			}
			if res.ModifiedCount == 0 && j.Owner != self {
				continue
			}
		}
		if err := d.settle(ctx, j, surveyCache); err != nil {
			return settled, fmt.Errorf("recover: %w", err)
		}
		settled++
	}
	if err := d.pruneApplied(ctx, alive, now); err != nil {
		return settled, err
	}
	return settled, nil
}

// liveInstances returns the instances that are alive, after fencing the
// dead ones by deleting their instance documents.
func (d *DB) liveInstances(ctx context.Context, self string, exclusive bool, now time.Time) (map[string]bool, error) {
	cur, err := d.col(colInstances).Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("recover: list instances: %w", err)
	}
	var docs []instanceDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("recover: read instances: %w", err)
	}
	alive := map[string]bool{self: true}
	for _, inst := range docs {
		if inst.ID == self {
			continue
		}
		if !exclusive && now.Sub(inst.Seen) < deadAfter {
			alive[inst.ID] = true
			continue
		}
		if _, err := d.col(colInstances).DeleteOne(ctx, bson.D{{Key: "_id", Value: inst.ID}}); err != nil {
			return nil, fmt.Errorf("recover: fence instance %s: %w", inst.ID, err)
		}
	}
	return alive, nil
}

// pruneApplied removes the marks of instances that are gone and have no
// journal entries left, so that tally documents do not grow with every
// restart. It skips instances started after it looked, which may be
// writing their first batch.
func (d *DB) pruneApplied(ctx context.Context, alive map[string]bool, now time.Time) error {
	pending := map[string]bool{}
	cur, err := d.col(colJournal).Find(ctx, bson.D{}, options.Find().SetProjection(bson.D{{Key: "instance", Value: 1}}))
	if err != nil {
		return fmt.Errorf("prune: list journal: %w", err)
	}
	var js []journalDoc
	if err := cur.All(ctx, &js); err != nil {
		return fmt.Errorf("prune: read journal: %w", err)
	}
	for _, j := range js {
		pending[j.Instance] = true
	}
	cur, err = d.col(colTallies).Find(ctx, bson.D{}, options.Find().SetProjection(bson.D{{Key: "applied", Value: 1}}))
	if err != nil {
		return fmt.Errorf("prune: list tallies: %w", err)
	}
	var docs []tallyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return fmt.Errorf("prune: read tallies: %w", err)
	}
	for _, t := range docs {
		unset := bson.D{}
		for inst := range t.Applied {
			started, ok := instanceStarted(inst)
			if alive[inst] || pending[inst] || (ok && started >= now.UnixNano()) {
				continue
			}
			unset = append(unset, bson.E{Key: "applied." + inst, Value: ""})
		}
		if len(unset) == 0 {
			continue
		}
		_, err := d.col(colTallies).UpdateOne(ctx, bson.D{{Key: "_id", Value: t.ID}}, bson.D{{Key: "$unset", Value: unset}})
		d.tallies.forget(t.ID)
		if err != nil {
			return fmt.Errorf("prune %s: %w", t.ID, err)
		}
	}
	return nil
}
