package mongo_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/mongo/backup"
	"github.com/heard-app/heard/surveys/mongo/mongotest"
)

// backupTime is the creation time the tests' archives carry.
var backupTime = time.Date(2027, 3, 1, 2, 30, 0, 0, time.FixedZone("BST", 3600))

// typedDocs are documents with every BSON type Heard's data could hold,
// and some it does not, to show that none changes on the way through an
// archive. (Not NaN, infinities or Decimal128: the embedded server refuses
// them, and Heard never stores them.)
func typedDocs() []bson.D {
	oid := bson.NewObjectIDFromTimestamp(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
	return []bson.D{
		{{Key: "_id", Value: "text"}, {Key: "s", Value: "ünïcödé ✓ \"quoted\" <b>&</b>\n\ttab"}, {Key: "empty", Value: ""}},
		{{Key: "_id", Value: "numbers"}, {Key: "i32", Value: int32(-7)}, {Key: "i64", Value: int64(1) << 60}, {Key: "small64", Value: int64(3)},
			{Key: "f", Value: 0.1}, {Key: "whole", Value: 2.0}, {Key: "neg0", Value: math.Copysign(0, -1)}},
		{{Key: "_id", Value: "times"}, {Key: "at", Value: bson.NewDateTimeFromTime(time.Date(2026, 11, 23, 14, 5, 6, 789e6, time.UTC))},
			{Key: "old", Value: bson.NewDateTimeFromTime(time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC))}, {Key: "ts", Value: bson.Timestamp{T: 1700000000, I: 3}}},
		{{Key: "_id", Value: "binary"}, {Key: "b", Value: bson.Binary{Subtype: 0, Data: []byte{0, 1, 2, 254, 255}}},
			{Key: "uuid", Value: bson.Binary{Subtype: 4, Data: bytes.Repeat([]byte{0xab}, 16)}}, {Key: "png", Value: []byte("\x89PNG\r\n\x1a\n")}},
		{{Key: "_id", Value: "shapes"}, {Key: "nested", Value: bson.D{{Key: "z", Value: 1}, {Key: "a", Value: bson.A{"x", int64(2), bson.D{{Key: "deep", Value: true}}}}}},
			{Key: "emptyArr", Value: bson.A{}}, {Key: "emptyDoc", Value: bson.D{}}, {Key: "null", Value: nil}, {Key: "f", Value: false}},
		{{Key: "_id", Value: oid}, {Key: "kind", Value: "an ObjectID _id"}, {Key: "ref", Value: oid}},
		{{Key: "_id", Value: int64(42)}, {Key: "kind", Value: "a number _id"}},
		{{Key: "_id", Value: bson.D{{Key: "survey", Value: "s"}, {Key: "version", Value: "8-11"}}}, {Key: "kind", Value: "a document _id"}},
	}
}

// dump returns every document of every collection of db, by collection
// and the canonical Extended JSON of its _id.
func dump(t *testing.T, db *mongo.DB) map[string]map[string]bson.Raw {
	t.Helper()
	ctx := testCtx(t)
	names, err := mongo.RawCollection(db, "x").Database().ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]bson.Raw{}
	for _, n := range names {
		docs := map[string]bson.Raw{}
		cur, err := mongo.RawCollection(db, n).Find(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		for cur.Next(ctx) {
			id, err := bson.MarshalExtJSON(bson.D{{Key: "id", Value: cur.Current.Lookup("_id")}}, true, false)
			if err != nil {
				t.Fatal(err)
			}
			docs[string(id)] = bson.Raw(bytes.Clone(cur.Current))
		}
		if err := cur.Err(); err != nil {
			t.Fatal(err)
		}
		out[n] = docs
	}
	return out
}

// documentCount counts the documents of a dump.
func documentCount(d map[string]map[string]bson.Raw) int {
	n := 0
	for _, docs := range d {
		n += len(docs)
	}
	return n
}

// populate stores a survey with answers (and so responses, tallies,
// voices), an action, and raw documents of every type, including a
// collection of more documents than one restore batch, and an empty one.
func populate(t *testing.T, db *mongo.DB) *surveys.Survey {
	t.Helper()
	ctx := testCtx(t)
	s := openSurvey(t, db)
	rs := newStore(t, db)
	for i := range 30 {
		if _, err := rs.CreateResponse(ctx, s, response(t, s, i), ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := mongo.NewActionStore(db).CreateAction(ctx, storedAction("b2")); err != nil {
		t.Fatal(err)
	}
	for _, d := range typedDocs() {
		if _, err := mongo.RawCollection(db, "zz_types").InsertOne(ctx, d); err != nil {
			t.Fatalf("store %v: %v", d[0].Value, err)
		}
	}
	var docs []any
	for i := range 1234 {
		docs = append(docs, bson.D{{Key: "_id", Value: fmt.Sprintf("doc-%05d", i)}, {Key: "n", Value: int64(i)},
			{Key: "pad", Value: strings.Repeat("x", i%200)}})
	}
	if _, err := mongo.RawCollection(db, "zz_many").InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if err := mongo.RawCollection(db, "x").Database().CreateCollection(ctx, "zz_empty"); err != nil {
		t.Fatal(err)
	}
	return s
}

// backUp writes an archive of db.
func backUp(t *testing.T, db *mongo.DB) ([]byte, *backup.Manifest) {
	t.Helper()
	var buf bytes.Buffer
	m, err := mongo.Backup(testCtx(t), db, &buf, mongo.BackupOptions{TempDir: t.TempDir(), Now: func() time.Time { return backupTime }})
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	return buf.Bytes(), m
}

// A populated database, backed up and restored into a fresh one, comes
// back document for document, byte for byte, and its indexes exist.
func TestBackupRestoreRoundTrip(t *testing.T) {
	t.Parallel()
	for _, target := range mongotest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			src := mongotest.OpenAt(t, target.URI)
			s := populate(t, src)
			want := dump(t, src)
			archive, m := backUp(t, src)

			if m.Format != backup.Format || m.Version != backup.Version || m.Database != src.Name() ||
				!m.Created.Equal(backupTime) || m.Created.Location() != time.UTC {
				t.Errorf("manifest: %+v", m)
			}
			if wantC := map[bool]backup.Consistency{true: backup.Exclusive}[src.Exclusive()]; src.Exclusive() && m.Consistency != wantC {
				t.Errorf("consistency on the embedded database held by this process: %q, want %q", m.Consistency, wantC)
			}
			if m.Documents() != int64(documentCount(want)) || len(m.Collections) != len(want) {
				t.Errorf("the manifest counts %d documents in %d collections; the database holds %d in %d",
					m.Documents(), len(m.Collections), documentCount(want), len(want))
			}
			for _, c := range m.Collections {
				if c.Documents != int64(len(want[c.Name])) {
					t.Errorf("manifest: %s has %d documents, the database %d", c.Name, c.Documents, len(want[c.Name]))
				}
			}
			if got, err := backup.Verify(bytes.NewReader(archive)); err != nil || !reflect.DeepEqual(got, m) {
				t.Errorf("verify: %v\n got %+v\nwant %+v", err, got, m)
			}

			dst := mongotest.OpenAt(t, target.URI)
			restored, err := mongo.Restore(testCtx(t), dst, bytes.NewReader(archive))
			if err != nil {
				t.Fatalf("restore: %v", err)
			}
			if !reflect.DeepEqual(restored, m) {
				t.Errorf("restore's manifest differs from backup's")
			}
			got := dump(t, dst)
			if len(got) != len(want) {
				t.Errorf("restored %d collections, want %d", len(got), len(want))
			}
			for col, docs := range want {
				if len(got[col]) != len(docs) {
					t.Errorf("%s: restored %d documents, want %d", col, len(got[col]), len(docs))
				}
				for id, doc := range docs {
					if !bytes.Equal(got[col][id], doc) {
						t.Errorf("%s %s:\n got %s\nwant %s", col, id, got[col][id], doc)
					}
				}
			}
			// What the domain reads agrees.
			srcTallies, err := mongo.NewTallyStore(src).FindTallies(testCtx(t), s)
			if err != nil {
				t.Fatal(err)
			}
			dstTallies := assertTalliesMatchRecount(t, dst, nil, s)
			if len(dstTallies) != len(srcTallies) || dstTallies[0].Slice(surveys.AllSlice).Responses == 0 {
				t.Fatalf("restored tallies: %d, source %d", len(dstTallies), len(srcTallies))
			}
			for i := range srcTallies {
				if !srcTallies[i].Equal(dstTallies[i]) {
					t.Errorf("tally of %s differs after restore", srcTallies[i].Version)
				}
			}
			action, err := mongo.NewActionStore(dst).FindAction(testCtx(t), "b2")
			if err != nil || !reflect.DeepEqual(action, storedAction("b2")) {
				t.Errorf("restored action: %v %+v", err, action)
			}
			assertIndexes(t, dst, "responses", "survey_1_version_1")
		})
	}
}

// assertIndexes fails unless the collection has the named index.
func assertIndexes(t *testing.T, db *mongo.DB, col, name string) {
	t.Helper()
	specs, err := mongo.RawCollection(db, col).Indexes().ListSpecifications(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range specs {
		if s.Name == name {
			return
		}
	}
	t.Errorf("%s has no index %s after restore", col, name)
}

// On a deployment with no snapshot reads (here the embedded server shared
// by several processes, as `heard database` runs it), a backup still
// runs, and its manifest says plainly that it may not be consistent.
func TestBackupWithoutSnapshotSaysSo(t *testing.T) {
	t.Parallel()
	db := mongotest.OpenShared(t)
	openSurvey(t, db)
	archive, m := backUp(t, db)
	if m.Consistency != backup.Unguarded || !strings.Contains(m.Consistency.Describe(), "NOT guaranteed consistent") {
		t.Errorf("consistency %q: %s", m.Consistency, m.Consistency.Describe())
	}
	got, err := backup.Verify(bytes.NewReader(archive))
	if err != nil || got.Consistency != backup.Unguarded {
		t.Errorf("the archive's manifest: %v %+v", err, got)
	}
}

// A database that holds anything is refused, and named; nothing changes.
func TestRestoreRefusesANonEmptyDatabase(t *testing.T) {
	t.Parallel()
	src := mongotest.Open(t)
	openSurvey(t, src)
	archive, _ := backUp(t, src)

	dst := mongotest.Open(t)
	if err := mongo.NewActionStore(dst).CreateAction(testCtx(t), storedAction("mine")); err != nil {
		t.Fatal(err)
	}
	before := dump(t, dst)
	_, err := mongo.Restore(testCtx(t), dst, bytes.NewReader(archive))
	if !errors.Is(err, mongo.ErrNotEmpty) || !strings.Contains(err.Error(), "actions") {
		t.Errorf("restore into a database with an action: %v, want ErrNotEmpty naming actions", err)
	}
	if after := dump(t, dst); !reflect.DeepEqual(after, before) {
		t.Errorf("the refused restore changed the database: %d documents before, %d after", documentCount(before), documentCount(after))
	}
}

// entry is one file of an archive.
type entry struct {
	name string
	data []byte
}

// unpack reads the files of an archive.
func unpack(t testing.TB, archive []byte) []entry {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var out []entry
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, entry{hdr.Name, data})
	}
}

// tarOf writes files as a tar.
func tarOf(t testing.TB, files []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: f.name, Size: int64(len(f.data)), Mode: 0o600}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// gzipOf compresses data.
func gzipOf(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	if _, err := gz.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pack writes files as an archive.
func pack(t testing.TB, files []entry) []byte { return gzipOf(t, tarOf(t, files)) }

// withManifest returns files with the manifest replaced by a true one of
// the collection files, changed by edit, and last.
func withManifest(t testing.TB, files []entry, edit func(m *backup.Manifest)) []entry {
	t.Helper()
	m := &backup.Manifest{Format: backup.Format, Version: backup.Version, Database: "heard", Created: backupTime.UTC(),
		Consistency: backup.Exclusive}
	var out []entry
	for _, f := range files {
		if f.name == "manifest.json" {
			continue
		}
		out = append(out, f)
		sum := sha256.Sum256(f.data)
		name := strings.TrimSuffix(strings.TrimPrefix(f.name, "collections/"), ".jsonl")
		m.Collections = append(m.Collections, backup.Collection{Name: name, File: f.name,
			Documents: int64(bytes.Count(f.data, []byte("\n"))), Bytes: int64(len(f.data)), SHA256: hex.EncodeToString(sum[:])})
	}
	if edit != nil {
		edit(m)
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return append(out, entry{"manifest.json", data})
}

// replace returns files with the named one's data changed by f.
func replace(files []entry, name string, f func([]byte) []byte) []entry {
	out := make([]entry, len(files))
	for i, e := range files {
		out[i] = entry{e.name, bytes.Clone(e.data)}
		if e.name == name {
			out[i].data = f(out[i].data)
		}
	}
	return out
}

// without returns files without the named one.
func without(files []entry, name string) []entry {
	var out []entry
	for _, e := range files {
		if e.name != name {
			out = append(out, e)
		}
	}
	return out
}

// A damaged, cut or tampered archive is refused with an error that says
// what is wrong, before anything is written.
func TestRestoreRefusesADamagedArchive(t *testing.T) {
	t.Parallel()
	src := mongotest.Open(t)
	openSurvey(t, src)
	if err := mongo.NewActionStore(src).CreateAction(testCtx(t), storedAction("b2")); err != nil {
		t.Fatal(err)
	}
	good, _ := backUp(t, src)
	files := unpack(t, good)
	const actions = "collections/actions.jsonl"
	flip := func(b []byte) []byte { b[len(b)/2] ^= 0x01; return b }
	manyFiles := make([]entry, backup.MaxCollections+1)
	for i := range manyFiles {
		manyFiles[i] = entry{fmt.Sprintf("collections/c%04d.jsonl", i), nil}
	}
	tests := []struct {
		name    string
		archive func() []byte
		want    string
	}{
		{"a flipped byte in a collection's file", func() []byte { return pack(t, replace(files, actions, flip)) }, "actions.jsonl has SHA-256"},
		{"a wrong checksum in the manifest", func() []byte {
			return pack(t, withManifest(t, files, func(m *backup.Manifest) { m.Collections[0].SHA256 = strings.Repeat("0", 64) }))
		}, "the manifest says 0000"},
		{"a missing file", func() []byte { return pack(t, without(files, actions)) }, "collections/actions.jsonl is missing"},
		{"a file the manifest does not name", func() []byte {
			return pack(t, append(without(files, "manifest.json"), entry{"collections/extra.jsonl", []byte("{\"_id\":\"x\"}\n")}, files[len(files)-1]))
		}, "collections/extra.jsonl is not in the manifest"},
		{"a manifest lying about a count", func() []byte {
			return pack(t, withManifest(t, files, func(m *backup.Manifest) {
				for i := range m.Collections {
					if m.Collections[i].Name == "actions" {
						m.Collections[i].Documents++
					}
				}
			}))
		}, "actions.jsonl holds 1 documents, the manifest says 2"},
		{"a manifest lying about a size", func() []byte {
			return pack(t, withManifest(t, files, func(m *backup.Manifest) { m.Collections[0].Bytes++ }))
		}, "bytes, the manifest says"},
		{"a truncated gzip stream", func() []byte { return good[:len(good)*2/3] }, "unexpected EOF"},
		{"the gzip trailer cut off", func() []byte { return good[:len(good)-4] }, "unexpected EOF"},
		{"a flipped byte in the compressed stream", func() []byte { return flip(bytes.Clone(good)) }, ""},
		{"not gzip", func() []byte { return []byte("surveys,responses\n") }, "not gzip-compressed"},
		{"no manifest", func() []byte { return pack(t, without(files, "manifest.json")) }, "it has no manifest.json"},
		{"the manifest not last", func() []byte {
			return pack(t, append([]entry{files[len(files)-1]}, files[:len(files)-1]...))
		}, "follows the manifest"},
		{"another format", func() []byte {
			return pack(t, withManifest(t, files, func(m *backup.Manifest) { m.Format = "mongodump" }))
		}, `format "mongodump"`},
		{"a later version", func() []byte {
			return pack(t, withManifest(t, files, func(m *backup.Manifest) { m.Version = 2 }))
		}, "version 2; this Heard reads version 1"},
		{"a manifest giving another file name", func() []byte {
			return pack(t, withManifest(t, files, func(m *backup.Manifest) { m.Collections[0].File = "../../etc/passwd" }))
		}, "gives"},
		{"a path outside the archive", func() []byte {
			return pack(t, append([]entry{{"../collections/x.jsonl", []byte{}}}, files...))
		}, `unexpected file "../collections/x.jsonl"`},
		{"a system collection", func() []byte {
			return pack(t, withManifest(t, append(files, entry{"collections/system.users.jsonl", nil}), nil))
		}, "is not a collection's file"},
		{"a line that is not Extended JSON", func() []byte {
			return pack(t, withManifest(t, replace(files, actions, func([]byte) []byte { return []byte("{not json}\n") }), nil))
		}, "actions.jsonl line 1: not a document"},
		{"a relaxed Extended JSON number", func() []byte {
			return pack(t, withManifest(t, replace(files, actions, func([]byte) []byte { return []byte(`{"_id":"a","n":{"$numberLong":3}}` + "\n") }), nil))
		}, "actions.jsonl line 1: not a document"},
		{"a document without _id", func() []byte {
			return pack(t, withManifest(t, replace(files, actions, func([]byte) []byte { return []byte(`{"said":"x"}` + "\n") }), nil))
		}, "actions.jsonl line 1: the document has no _id"},
		{"an empty line", func() []byte {
			return pack(t, withManifest(t, replace(files, actions, func(b []byte) []byte { return append(b, '\n') }), nil))
		}, "actions.jsonl line 2: not a document"},
		{"a last line cut short", func() []byte {
			return pack(t, withManifest(t, replace(files, actions, func(b []byte) []byte { return b[:len(b)-1] }), nil))
		}, "the last line has no end"},
		{"a symbolic link", func() []byte {
			var buf bytes.Buffer
			tw := tar.NewWriter(&buf)
			_ = tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: "collections/x.jsonl", Linkname: "/etc/passwd"})
			_ = tw.Close()
			return gzipOf(t, buf.Bytes())
		}, "is not a regular file"},
		{"junk after the tar", func() []byte {
			return gzipOf(t, append(tarOf(t, files), bytes.Repeat([]byte{'j'}, 100<<10)...))
		}, "follow the end of the tar"},
		// The limits.
		{"a manifest over MaxManifestBytes", func() []byte {
			fs := withManifest(t, files, nil)
			fs[len(fs)-1].data = append(fs[len(fs)-1].data, bytes.Repeat([]byte{' '}, backup.MaxManifestBytes)...)
			return pack(t, fs)
		}, "manifest.json is larger than 1048576 bytes"},
		{"more files than MaxArchiveCollections allows", func() []byte { return pack(t, append(manyFiles, entry{"collections/more.jsonl", nil})) },
			"more than 1001 files"},
		{"a manifest naming more than MaxArchiveCollections", func() []byte {
			return pack(t, withManifest(t, manyFiles[:backup.MaxCollections], func(m *backup.Manifest) {
				m.Collections = append(m.Collections, backup.Collection{Name: "one_more"})
			}))
		}, "names 1001 collections, more than 1000"},
		{"a line over MaxLineBytes", func() []byte {
			long := append(bytes.Repeat([]byte{' '}, backup.MaxLineBytes+1), '\n')
			return pack(t, withManifest(t, replace(files, actions, func([]byte) []byte { return long }), nil))
		}, "actions.jsonl line 1 is longer than 67108864 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			archive := tt.archive()
			_, err := backup.Verify(bytes.NewReader(archive))
			if !errors.Is(err, backup.ErrBadArchive) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("verify: %v, want ErrBadArchive saying %q", err, tt.want)
			}
			dst := mongotest.Open(t)
			before := dump(t, dst)
			_, err = mongo.Restore(testCtx(t), dst, bytes.NewReader(archive))
			if !errors.Is(err, backup.ErrBadArchive) || strings.Contains(err.Error(), "part way") {
				t.Errorf("restore: %v, want ErrBadArchive before anything is written", err)
			}
			if after := dump(t, dst); documentCount(after) != 0 || len(after) != len(before) {
				t.Errorf("the refused restore wrote: %d documents in %d collections", documentCount(after), len(after))
			}
		})
	}
	// A sound archive rebuilt by these helpers passes, so each case above
	// fails for its own damage alone.
	if _, err := backup.Verify(bytes.NewReader(pack(t, withManifest(t, files, nil)))); err != nil {
		t.Errorf("a rebuilt sound archive: %v", err)
	}
}
