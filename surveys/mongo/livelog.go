package mongo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	mongodriver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// The logs of running MADE sessions (surveys.LiveLog). Each batch of a
// session's log is a document of its own,
//
//	{_id: "<session>#00000042", s: "<session>", e: '[{"id":"…","k":"vote",…}]'}
//
// in a collection of the session's own, live_log_<hash of the session>:
// the embedded server reads even by _id by scanning a collection, so a
// session's reads cost what its own log holds, not every session's.
// so that appending at a position is an insert that fails when another
// instance took the position first (the unique _id is the one guarantee
// both the embedded server and MongoDB give without transactions), and
// reading the next position is a read by _id. The events are one JSON
// string, as tallies are, because the embedded server decodes nested
// fields slowly.
//
// A snapshot of each session's state is one document in live_rooms, and
// each instance's count of followers one document in live_presence.
const (
	colLiveLog      = "live_log_" // and a hash of the session
	colLiveRooms    = "live_rooms"
	colLivePresence = "live_presence"
)

// LiveLog is the MongoDB implementation of surveys.LiveLog.
type LiveLog struct {
	db *DB
}

var _ surveys.LiveLog = (*LiveLog)(nil)

// NewLiveLog returns the log store on db.
func NewLiveLog(db *DB) *LiveLog { return &LiveLog{db: db} }

type liveBatchDoc struct {
	ID      string `bson:"_id"`
	Session string `bson:"s"`
	Events  string `bson:"e"`
}

func liveBatchID(session string, pos int) string { return fmt.Sprintf("%s#%08d", session, pos) }

// logOf is the collection of a session's log. Its name is a hash, since a
// session's id may hold characters a collection's name may not.
func (l *LiveLog) logOf(session string) *mongodriver.Collection {
	h := sha256.Sum256([]byte(session))
	return l.db.col(colLiveLog + hex.EncodeToString(h[:10]))
}

// AppendLive inserts the batch at pos; a taken position is ECONFLICT.
func (l *LiveLog) AppendLive(ctx context.Context, session string, pos int, batch []surveys.LiveEvent) error {
	if pos < 1 {
		return fmt.Errorf("append to session %s: position %d", session, pos)
	}
	events, err := json.Marshal(batch)
	if err != nil {
		return fmt.Errorf("encode events: %w", err)
	}
	_, err = l.logOf(session).InsertOne(ctx, liveBatchDoc{ID: liveBatchID(session, pos), Session: session, Events: string(events)})
	switch {
	case isDuplicate(err):
		return surveys.Errorf(surveys.ECONFLICT, "Position %d of the session's log is taken.", pos)
	case err != nil:
		return fmt.Errorf("append to session %s at %d: %w", session, pos, err)
	}
	return nil
}

// ReadLive reads the batch at pos.
func (l *LiveLog) ReadLive(ctx context.Context, session string, pos int) ([]surveys.LiveEvent, error) {
	var d liveBatchDoc
	err := l.logOf(session).FindOne(ctx, bson.D{{Key: "_id", Value: liveBatchID(session, pos)}}).Decode(&d)
	switch {
	case isNotFound(err):
		return nil, surveys.Errorf(surveys.ENOTFOUND, "Nothing at position %d yet.", pos)
	case err != nil:
		return nil, fmt.Errorf("read session %s at %d: %w", session, pos, err)
	}
	var batch []surveys.LiveEvent
	if err := json.Unmarshal([]byte(d.Events), &batch); err != nil {
		return nil, fmt.Errorf("decode session %s at %d: %w", session, pos, err)
	}
	return batch, nil
}

type liveRoomDoc struct {
	ID    string `bson:"_id"`
	Seq   int    `bson:"seq"`
	State string `bson:"st"`
}

// SaveRoom replaces the session's snapshot. Two instances may save at
// once, and the older may land last; that costs the next reader a few
// more batches to read, never a wrong state, since a snapshot says which
// batch it is as of.
func (l *LiveLog) SaveRoom(ctx context.Context, st *surveys.RoomState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode session state: %w", err)
	}
	_, err = l.db.col(colLiveRooms).ReplaceOne(ctx, bson.D{{Key: "_id", Value: st.Session}},
		liveRoomDoc{ID: st.Session, Seq: st.Seq, State: string(b)}, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("save session %s state: %w", st.Session, err)
	}
	return nil
}

// FindRoom reads the session's snapshot.
func (l *LiveLog) FindRoom(ctx context.Context, session string) (*surveys.RoomState, error) {
	var d liveRoomDoc
	err := l.db.col(colLiveRooms).FindOne(ctx, bson.D{{Key: "_id", Value: session}}).Decode(&d)
	switch {
	case isNotFound(err):
		return nil, surveys.Errorf(surveys.ENOTFOUND, "No state is saved for session %s.", session)
	case err != nil:
		return nil, fmt.Errorf("find session %s state: %w", session, err)
	}
	st := surveys.NewRoomState(session)
	if err := json.Unmarshal([]byte(d.State), st); err != nil {
		return nil, fmt.Errorf("decode session %s state: %w", session, err)
	}
	st.Session = session
	if st.People == nil {
		st.People = map[string]bool{}
	}
	if st.Acts == nil {
		st.Acts = map[string]*surveys.ActivityState{}
	}
	return st, nil
}

type livePresenceDoc struct {
	ID      string    `bson:"_id"`
	Session string    `bson:"s"`
	N       int       `bson:"n"`
	At      time.Time `bson:"at"`
}

// SetPresence records one instance's count; a count of none removes the
// record, so that the collection holds only the sessions being followed.
func (l *LiveLog) SetPresence(ctx context.Context, session, instance string, n int, at time.Time) error {
	id := session + "|" + instance
	col := l.db.col(colLivePresence)
	if n == 0 {
		if _, err := col.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
			return fmt.Errorf("clear presence: %w", err)
		}
		return nil
	}
	_, err := col.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, livePresenceDoc{ID: id, Session: session, N: n, At: at.UTC()},
		options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("set presence: %w", err)
	}
	return nil
}

// CountPresence adds up the counts recorded since a time. The collection
// holds a document per followed session and instance, so the scan the
// embedded server makes of it is short.
func (l *LiveLog) CountPresence(ctx context.Context, session string, since time.Time) (int, error) {
	cur, err := l.db.col(colLivePresence).Find(ctx, bson.D{{Key: "s", Value: session}, {Key: "at", Value: bson.D{{Key: "$gte", Value: since.UTC()}}}})
	if err != nil {
		return 0, fmt.Errorf("count presence: %w", err)
	}
	var docs []livePresenceDoc
	if err := cur.All(ctx, &docs); err != nil {
		return 0, fmt.Errorf("read presence: %w", err)
	}
	n := 0
	for _, d := range docs {
		n += d.N
	}
	return n, nil
}

// Changes follows inserts into the logs with a change stream, on a
// deployment that has them (a replica set or Atlas). The embedded server
// and a standalone MongoDB have none: opening the stream fails, Changes
// returns nil, and the rooms poll. Should a stream fail later, the
// channel closes and the rooms go on polling.
func (l *LiveLog) Changes(ctx context.Context) <-chan string {
	pipeline := mongodriver.Pipeline{{{Key: "$match", Value: bson.D{
		{Key: "operationType", Value: "insert"},
		{Key: "ns.coll", Value: bson.D{{Key: "$regex", Value: "^" + colLiveLog}}},
	}}}}
	stream, err := l.db.db.Watch(ctx, pipeline)
	if err != nil {
		return nil
	}
	ch := make(chan string, 64)
	go func() {
		defer close(ch)
		defer func() { _ = stream.Close(context.Background()) }()
		for stream.Next(ctx) {
			var ev struct {
				Key struct {
					ID string `bson:"_id"`
				} `bson:"documentKey"`
			}
			if stream.Decode(&ev) != nil {
				continue
			}
			session, _, _ := strings.Cut(ev.Key.ID, "#")
			select {
			case ch <- session:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}
