// Package mongo stores Heard's data in MongoDB, or in the embedded
// MongoDB-compatible server (see Embedded) when no deployment is configured.
// It is the only package that imports the MongoDB driver.
//
// Every hot path reads and writes by _id (natural string keys: a response's
// UUID, a survey's slug, a session token's hash) or reads pre-aggregated
// tallies, because the embedded server answers only those without scanning.
// Queries that list things for staff have indexes for MongoDB and scan on
// the embedded server.
package mongo

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	mongodriver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"
)

// Collection names.
const (
	colSurveys   = "surveys"
	colResponses = "responses"
	colTallies   = "tallies"
	colJournal   = "tally_journal"
	colInstances = "instances"
	colUsers     = "users"
	colSessions  = "sessions"
	colMeta      = "meta"
	colCodes     = "access_codes"
	colBatches   = "code_batches"
	colResets    = "password_resets"
	colAudit     = "audit_log"
	colSettings  = "settings"
	colVoices    = "voices"
	colFlags     = "flags"
	colCodebooks = "codebooks"
	// colContacts holds young people's requests to talk, sealed, apart
	// from everything they answered.
	colContacts = "contact_requests"
	// colAlertClaims holds one small document per attempt to send a
	// safeguarding alert, so that two instances never both send it.
	colAlertClaims = "alert_claims"
	// colVoiceDays holds, per day, the digest of each voice heard that day
	// (digests.go).
	colVoiceDays = "voice_days"
)

// DB is a connection to one database of a deployment.
type DB struct {
	client *mongodriver.Client
	db     *mongodriver.Database
	// exclusive says this process is the only one using the database, as
	// with the embedded server behind the data directory's lock.
	exclusive bool
	// tallies caches tally documents when exclusive: every change to them
	// then goes through this process, so the cache is always right, and
	// neither adding to a tally nor reading results needs a database read.
	tallies tallyCache
	// digestMu makes this process's updates of voice digests take turns,
	// and guards chunks, what it knows of each day's digest documents
	// (digests.go).
	digestMu  sync.Mutex
	chunks    map[string]*dayChunks
	chunkSize int // digests in one document of a day
	// digestDocs caches digest documents this process wrote, when
	// exclusive; digestMu guards it.
	digestDocs map[string]*cachedDigests
}

// Options say where to connect.
type Options struct {
	URI  string // the deployment's connection string
	Name string // the database's name
	// Exclusive says no other process uses the database (the embedded
	// server, behind the data directory's lock). Recovery then need not
	// wait for other instances' heartbeats to go stale, and tally updates
	// need no revision check.
	Exclusive bool
	// Commands, when set, hears of every command the driver sends, for
	// the metrics.
	Commands CommandObserver
}

// CommandObserver hears of each database command once it is answered: its
// name (find, insert...), how long it took and whether it failed. Never
// what it carried or the error's words: those can quote answers. Its
// method is called on the driver's goroutines and must return at once.
type CommandObserver interface {
	ObserveCommand(name string, took time.Duration, failed bool)
}

// commandMonitor passes the driver's command events on to o, by name and
// duration only.
func commandMonitor(o CommandObserver) *event.CommandMonitor {
	return &event.CommandMonitor{
		Succeeded: func(_ context.Context, e *event.CommandSucceededEvent) {
			o.ObserveCommand(e.CommandName, e.Duration, false)
		},
		Failed: func(_ context.Context, e *event.CommandFailedEvent) {
			o.ObserveCommand(e.CommandName, e.Duration, true)
		},
	}
}

// Open connects to the deployment, checks that it answers, and makes sure
// the indexes exist.
func Open(ctx context.Context, o Options) (*DB, error) {
	opts := options.Client().ApplyURI(o.URI).
		SetAppName("heard").
		SetServerSelectionTimeout(10 * time.Second).
		SetReadPreference(readpref.Primary())
	if o.Commands != nil {
		opts.SetMonitor(commandMonitor(o.Commands))
	}
	client, err := mongodriver.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	// Everything Heard writes waits for a majority of the replica set and
	// for the journal, so that an acknowledged answer survives a failover
	// or a crash.
	journal := true
	wc := &writeconcern.WriteConcern{W: "majority", Journal: &journal}
	d := &DB{client: client, db: client.Database(o.Name, options.Database().SetWriteConcern(wc)), exclusive: o.Exclusive,
		tallies: tallyCache{docs: map[string]*tallyDoc{}}, chunks: map[string]*dayChunks{}, chunkSize: defaultChunkSize,
		digestDocs: map[string]*cachedDigests{}}
	if err := d.Ping(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	if err := d.ensureIndexes(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	return d, nil
}

// Name returns the database's name.
func (d *DB) Name() string { return d.db.Name() }

// Exclusive reports whether this process is the only one using the database.
func (d *DB) Exclusive() bool { return d.exclusive }

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.client.Ping(ctx, readpref.Primary()); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// Close disconnects.
func (d *DB) Close(ctx context.Context) error {
	if err := d.client.Disconnect(ctx); err != nil {
		return fmt.Errorf("disconnect from database: %w", err)
	}
	return nil
}

// Drop deletes the whole database. Tests use it to clean up.
func (d *DB) Drop(ctx context.Context) error {
	if err := d.db.Drop(ctx); err != nil {
		return fmt.Errorf("drop database: %w", err)
	}
	return nil
}

func (d *DB) col(name string) *mongodriver.Collection { return d.db.Collection(name) }

// ensureIndexes creates, idempotently, the indexes that browsing queries
// need on MongoDB. The embedded server accepts them but scans anyway; none
// is partial, TTL or text, which it does not support.
func (d *DB) ensureIndexes(ctx context.Context) error {
	indexes := map[string][]mongodriver.IndexModel{
		colSurveys:   {{Keys: bson.D{{Key: "status", Value: 1}, {Key: "edition", Value: -1}}}},
		colResponses: {{Keys: bson.D{{Key: "survey", Value: 1}, {Key: "version", Value: 1}}}},
		colSessions:  {{Keys: bson.D{{Key: "expires", Value: 1}}}, {Keys: bson.D{{Key: "email", Value: 1}}}},
		colResets:    {{Keys: bson.D{{Key: "email", Value: 1}}}},
		colAudit:     {{Keys: bson.D{{Key: "actor", Value: 1}, {Key: "_id", Value: -1}}}, {Keys: bson.D{{Key: "target", Value: 1}, {Key: "_id", Value: -1}}}},
		colUsers:     {{Keys: bson.D{{Key: "role", Value: 1}}}},
		colCodes:     {{Keys: bson.D{{Key: "survey", Value: 1}, {Key: "state", Value: 1}}}, {Keys: bson.D{{Key: "batch", Value: 1}}}},
		colBatches:   {{Keys: bson.D{{Key: "survey", Value: 1}, {Key: "created", Value: -1}}}},
		colVoices: {{Keys: bson.D{{Key: "source.survey", Value: 1}, {Key: "day", Value: -1}}},
			{Keys: bson.D{{Key: "themes", Value: 1}, {Key: "day", Value: -1}}}, {Keys: bson.D{{Key: "reviewed", Value: 1}}}},
		colFlags:    {{Keys: bson.D{{Key: "reviewed", Value: 1}}}, {Keys: bson.D{{Key: "alert.sent", Value: 1}, {Key: "alert.next_try", Value: 1}}}},
		colCouncils: {{Keys: bson.D{{Key: "school", Value: 1}, {Key: "day", Value: -1}}}, {Keys: bson.D{{Key: "day", Value: -1}}}},
		colContacts: {{Keys: bson.D{{Key: "reviewed", Value: 1}}}, {Keys: bson.D{{Key: "alert.sent", Value: 1}, {Key: "alert.next_try", Value: 1}}}},
	}
	// One index per call: the embedded server panics on a createIndexes of
	// several indexes that all exist already (FerretDB v1.24), and one at a
	// time is as idempotent on MongoDB.
	for _, col := range sortedKeys(indexes) {
		for _, m := range indexes[col] {
			if _, err := d.col(col).Indexes().CreateOne(ctx, m); err != nil {
				return fmt.Errorf("create index on %s: %w", col, err)
			}
		}
	}
	return nil
}

// isNotFound reports whether err is the driver's "no document".
func isNotFound(err error) bool { return errors.Is(err, mongodriver.ErrNoDocuments) }

// isDuplicate reports whether err is a duplicate key error. The embedded
// server reports it properly for inserts (but not for updates, which is why
// Heard relies on inserts for uniqueness).
func isDuplicate(err error) bool { return mongodriver.IsDuplicateKeyError(err) }

// Mark records that a one-off task (such as loading demo data) is done.
func (d *DB) Mark(ctx context.Context, key string) error {
	_, err := d.col(colMeta).UpdateOne(ctx, bson.D{{Key: "_id", Value: key}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "done", Value: true}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("mark %s: %w", key, err)
	}
	return nil
}

// Marked reports whether Mark was called for key.
func (d *DB) Marked(ctx context.Context, key string) (bool, error) {
	err := d.col(colMeta).FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Err()
	switch {
	case isNotFound(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("read mark %s: %w", key, err)
	}
	return true, nil
}
