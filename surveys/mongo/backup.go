package mongo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	mongodriver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys/mongo/backup"
)

// ErrNotEmpty is wrapped by the error of a restore into a database that
// already holds documents.
var ErrNotEmpty = errors.New("the database is not empty")

// BackupOptions tune Backup.
type BackupOptions struct {
	// TempDir is where each collection is spooled before it goes into the
	// archive (backup.NewWriter); empty means os.TempDir().
	TempDir string
	// Now gives the manifest's creation time; nil means time.Now.
	Now func() time.Time
}

// Backup writes an archive (package backup) of every collection of d to
// w, and returns its manifest. It reads every collection from one
// snapshot when the deployment offers one; Manifest.Consistency says what
// it could promise. Collections are listed, not named here, so one added
// later is never left out.
func Backup(ctx context.Context, d *DB, w io.Writer, o BackupOptions) (*backup.Manifest, error) {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	m := &backup.Manifest{Database: d.Name(), Created: now()}
	var err error
	if m.Consistency, err = d.backupConsistency(ctx); err != nil {
		return nil, err
	}
	names, err := d.collectionNames(ctx)
	if err != nil {
		return nil, err
	}
	readCtx := ctx
	if m.Consistency == backup.Snapshot {
		sess, err := d.client.StartSession(options.Session().SetSnapshot(true))
		if err != nil {
			return nil, fmt.Errorf("back up: start a snapshot session: %w", err)
		}
		defer sess.EndSession(context.WithoutCancel(ctx))
		readCtx = mongodriver.NewSessionContext(ctx, sess)
	}
	aw, err := backup.NewWriter(w, m, o.TempDir)
	if err != nil {
		return nil, err
	}
	defer aw.Close()
	for _, name := range names {
		if err := aw.Collection(name, d.eachDocument(readCtx, name)); err != nil {
			return nil, err
		}
	}
	if err := aw.Finish(); err != nil {
		return nil, err
	}
	return m, nil
}

// eachDocument returns a function that gives add every document of a
// collection, in the order the server keeps them.
func (d *DB) eachDocument(ctx context.Context, name string) func(add func(bson.Raw) error) error {
	return func(add func(bson.Raw) error) error {
		cur, err := d.col(name).Find(ctx, bson.D{})
		if err != nil {
			return err
		}
		defer cur.Close(context.WithoutCancel(ctx))
		for cur.Next(ctx) {
			if err := add(cur.Current); err != nil {
				return err
			}
		}
		return cur.Err()
	}
}

// backupConsistency finds what a backup of d can promise. Snapshot reads
// need a replica set or sharded cluster of MongoDB 5.0 or later (wire
// version 13). The embedded server accepts a snapshot session but ignores
// it, and says it is neither, so it is never trusted with one.
func (d *DB) backupConsistency(ctx context.Context) (backup.Consistency, error) {
	if d.exclusive {
		return backup.Exclusive, nil
	}
	var hello struct {
		SetName        string `bson:"setName"`
		Msg            string `bson:"msg"`
		MaxWireVersion int32  `bson:"maxWireVersion"`
	}
	if err := d.db.RunCommand(ctx, bson.D{{Key: "hello", Value: 1}}).Decode(&hello); err != nil {
		return "", fmt.Errorf("back up: ask the deployment what it supports: %w", err)
	}
	const mongo50 = 13
	if (hello.SetName != "" || hello.Msg == "isdbgrid") && hello.MaxWireVersion >= mongo50 {
		return backup.Snapshot, nil
	}
	return backup.Unguarded, nil
}

// collectionNames lists the database's collections, sorted, leaving out
// the server's own.
func (d *DB) collectionNames(ctx context.Context) ([]string, error) {
	names, err := d.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("list collections: %w", err)
	}
	names = slices.DeleteFunc(names, func(n string) bool { return strings.HasPrefix(n, "system.") })
	slices.Sort(names)
	return names, nil
}

// Restore loads an archive into d, which must hold no documents. It reads
// the archive twice: first to check all of it (backup.Verify), changing
// nothing if anything is wrong; then to insert each collection's
// documents in bounded batches. Last it creates the indexes, as start-up
// does. Errors about the archive wrap backup.ErrBadArchive; a database
// with documents gives one wrapping ErrNotEmpty.
func Restore(ctx context.Context, d *DB, r io.ReadSeeker) (*backup.Manifest, error) {
	m, err := backup.Verify(r)
	if err != nil {
		return nil, err
	}
	full, err := d.nonEmptyCollections(ctx)
	if err != nil {
		return nil, err
	}
	if len(full) > 0 {
		return nil, fmt.Errorf("%w: %q already holds documents in %s; restore loads only into an empty database",
			ErrNotEmpty, d.Name(), strings.Join(full, ", "))
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("restore: rewind the archive: %w", err)
	}
	partly := func(err error) error {
		return fmt.Errorf("restore stopped part way, so the database %q now holds part of the archive; drop it before trying again: %w",
			d.Name(), err)
	}
	// Empty collections too, so the restored database lists the same.
	for _, c := range m.Collections {
		if err := d.db.CreateCollection(ctx, c.Name); err != nil && !isNamespaceExists(err) {
			return nil, partly(fmt.Errorf("create collection %s: %w", c.Name, err))
		}
	}
	again, err := backup.Read(r, func(name string, docs []bson.Raw) error {
		batch := make([]any, len(docs))
		for i := range docs {
			batch[i] = docs[i]
		}
		if _, err := d.col(name).InsertMany(ctx, batch); err != nil {
			return fmt.Errorf("insert into %s: %w", name, err)
		}
		return nil
	})
	if err != nil {
		return nil, partly(err)
	}
	// The file was checked before; a second reading that differs means it
	// changed in between.
	if !slices.Equal(m.Collections, again.Collections) {
		return nil, partly(fmt.Errorf("%w: the archive changed while it was restored", backup.ErrBadArchive))
	}
	d.forgetCaches()
	if err := d.ensureIndexes(ctx); err != nil {
		return nil, partly(err)
	}
	return m, nil
}

// isNamespaceExists reports whether err says the collection exists.
func isNamespaceExists(err error) bool {
	var ce mongodriver.CommandError
	return errors.As(err, &ce) && ce.Code == 48
}

// nonEmptyCollections names the collections of d that hold a document.
func (d *DB) nonEmptyCollections(ctx context.Context) ([]string, error) {
	names, err := d.collectionNames(ctx)
	if err != nil {
		return nil, err
	}
	var full []string
	for _, n := range names {
		err := d.col(n).FindOne(ctx, bson.D{}, options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err()
		switch {
		case err == nil:
			full = append(full, n)
		case !isNotFound(err):
			return nil, fmt.Errorf("look into %s: %w", n, err)
		}
	}
	return full, nil
}

// forgetCaches drops what this process remembers of tallies and voice
// digests, which a restore replaced underneath it.
func (d *DB) forgetCaches() {
	d.tallies.mu.Lock()
	d.tallies.docs = map[string]*tallyDoc{}
	d.tallies.mu.Unlock()
	d.digestMu.Lock()
	d.chunks = map[string]*dayChunks{}
	d.digestDocs = map[string]*cachedDigests{}
	d.digestMu.Unlock()
}
