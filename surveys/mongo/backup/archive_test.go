package backup_test

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash/crc32"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/heard-app/heard/surveys/mongo/backup"
)

// docs makes raw documents.
func docs(t testing.TB, ds ...bson.D) []bson.Raw {
	t.Helper()
	out := make([]bson.Raw, len(ds))
	for i, d := range ds {
		b, err := bson.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out
}

// What the writer writes, the reader reads back the same, in bounded
// batches, and the writer leaves no spool file behind.
func TestWriteThenRead(t *testing.T) {
	t.Parallel()
	many := make([]bson.D, backup.BatchDocs*2+7)
	for i := range many {
		many[i] = bson.D{{Key: "_id", Value: int64(i)}, {Key: "at", Value: bson.NewDateTimeFromTime(time.UnixMilli(int64(i) * 1e9))}}
	}
	cols := map[string][]bson.Raw{
		"surveys": docs(t, bson.D{{Key: "_id", Value: "s"}, {Key: "n", Value: int32(1)}, {Key: "big", Value: int64(1) << 40},
			{Key: "b", Value: bson.Binary{Subtype: 4, Data: make([]byte, 16)}}, {Key: "f", Value: 2.0}}),
		"many":  docs(t, many...),
		"empty": nil,
	}
	names := []string{"empty", "many", "surveys"}
	var buf bytes.Buffer
	dir := t.TempDir()
	m := &backup.Manifest{Database: "heard", Created: time.Date(2027, 3, 1, 2, 30, 0, 0, time.FixedZone("BST", 3600)), Consistency: backup.Exclusive}
	aw, err := backup.NewWriter(&buf, m, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if err := aw.Collection(n, func(add func(bson.Raw) error) error {
			for _, d := range cols[n] {
				if err := add(d); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := aw.Finish(); err != nil {
		t.Fatal(err)
	}
	if err := aw.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("the writer left %d files in its temporary directory", len(left))
	}
	if m.Format != backup.Format || m.Version != backup.Version || m.Created.Location() != time.UTC || m.Documents() != int64(len(many)+1) {
		t.Errorf("manifest %+v", m)
	}
	got := map[string][]bson.Raw{}
	var batches []int
	read, err := backup.Read(bytes.NewReader(buf.Bytes()), func(col string, ds []bson.Raw) error {
		got[col] = append(got[col], ds...)
		batches = append(batches, len(ds))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(read, m) {
		t.Errorf("read manifest\n %+v\nwant %+v", read, m)
	}
	if want := []int{backup.BatchDocs, backup.BatchDocs, 7, 1}; !reflect.DeepEqual(batches, want) {
		t.Errorf("batches of %v, want %v", batches, want)
	}
	for _, n := range names {
		if len(got[n]) != len(cols[n]) {
			t.Fatalf("%s: read %d documents, wrote %d", n, len(got[n]), len(cols[n]))
		}
		for i := range cols[n] {
			if !bytes.Equal(got[n][i], cols[n][i]) {
				t.Errorf("%s %d: read %s, wrote %s", n, i, got[n][i], cols[n][i])
			}
		}
	}
}

// The writer refuses what the reader would refuse: a name that is not a
// collection's, more collections than MaxCollections.
func TestWriterRefusesWhatCannotBeRead(t *testing.T) {
	t.Parallel()
	aw, err := backup.NewWriter(&bytes.Buffer{}, &backup.Manifest{}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer aw.Close()
	none := func(func(bson.Raw) error) error { return nil }
	for _, name := range []string{"", "../x", "system.users", "a/b", strings.Repeat("x", 121)} {
		if err := aw.Collection(name, none); err == nil {
			t.Errorf("collection %q accepted", name)
		}
	}
	for i := range backup.MaxCollections {
		if err := aw.Collection("c"+strings.Repeat("x", i%100)+string(rune('a'+i%26)), none); err != nil {
			t.Fatalf("collection %d: %v", i, err)
		}
	}
	if err := aw.Collection("one_more", none); err == nil || !strings.Contains(err.Error(), "more than 1000 collections") {
		t.Errorf("collection %d: %v", backup.MaxCollections+1, err)
	}
}

// tryTar writes files, name then content, as a tar, if the names can be.
func tryTar(files ...string) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: files[i], Size: int64(len(files[i+1])), Mode: 0o600}); err != nil {
			return nil, err
		}
		if _, err := tw.Write([]byte(files[i+1])); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// manifestOf is a true manifest of collection files, name then content.
func manifestOf(t testing.TB, files ...string) string {
	t.Helper()
	m := backup.Manifest{Format: backup.Format, Version: backup.Version, Database: "heard", Consistency: backup.Exclusive}
	for i := 0; i+1 < len(files); i += 2 {
		sum := sha256.Sum256([]byte(files[i+1]))
		name := strings.TrimSuffix(strings.TrimPrefix(files[i], "collections/"), ".jsonl")
		m.Collections = append(m.Collections, backup.Collection{Name: name, File: files[i], Bytes: int64(len(files[i+1])),
			Documents: int64(strings.Count(files[i+1], "\n")), SHA256: hex.EncodeToString(sum[:])})
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// storedGzip wraps data in a gzip stream of stored (uncompressed) deflate
// blocks. The fuzz test uses it: a compressor allocates about a megabyte,
// which slows fuzzing a hundredfold.
func storedGzip(data []byte) []byte {
	whole := data
	out := []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff} // magic, deflate, no flags, no time, unknown OS
	for {
		n := min(len(data), 0xffff)
		final := byte(0)
		if n == len(data) {
			final = 1
		}
		out = append(out, final, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
		out = append(out, data[:n]...)
		data = data[n:]
		if final == 1 {
			break
		}
	}
	return binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(whole)), uint32(len(whole)))
}

// The fuzz test's gzip streams are sound, so that its sound seed passes.
func TestStoredGzip(t *testing.T) {
	t.Parallel()
	const a = "collections/a.jsonl"
	line := `{"_id":"a"}` + "\n"
	big := strings.Repeat(line, 9000) // more than one stored block
	for _, content := range []string{line, big} {
		tarData, err := tryTar(a, content, "manifest.json", manifestOf(t, a, content))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := backup.Verify(bytes.NewReader(storedGzip(tarData))); err != nil {
			t.Errorf("%d bytes: %v", len(content), err)
		}
	}
}

// FuzzVerify reads archives built from fuzzed parts: a manifest, a file
// name and its content, put in a tar in either order, gzip-compressed. (The
// tar and gzip readers are the standard library's, fuzzed there; small
// inputs let the fuzzer reach the manifest and line parsing here.) Read
// never panics, every refusal wraps ErrBadArchive, and what it accepts
// agrees with its manifest.
func FuzzVerify(f *testing.F) {
	const a = "collections/a.jsonl"
	line := `{"_id":"a","n":{"$numberLong":"3"},"at":{"$date":{"$numberLong":"1700000000000"}},"b":{"$binary":{"base64":"AAE=","subType":"00"}}}` + "\n"
	f.Add(manifestOf(f, a, line), a, line, false)
	f.Add(manifestOf(f, a, line), a, line+line, false)
	f.Add(manifestOf(f, a, line), a, line, true)
	f.Add(manifestOf(f), "collections/empty.jsonl", "", false)
	f.Add(`{"format":"heard-backup","version":1,"collections":[{"name":"a"}]}`, a, `{"_id":{"$oid":"000000000000000000000000"},"x":[1,{"y":null}]}`+"\n", false)
	f.Fuzz(func(t *testing.T, manifest, name, content string, manifestFirst bool) {
		files := []string{name, content, "manifest.json", manifest}
		if manifestFirst {
			files = []string{"manifest.json", manifest, name, content}
		}
		got := map[string]int64{}
		tarData, err := tryTar(files...)
		if err != nil {
			return // a name no tar can hold
		}
		gz := storedGzip(tarData)
		m, err := backup.Read(bytes.NewReader(gz), func(col string, ds []bson.Raw) error {
			if len(ds) == 0 || len(ds) > backup.BatchDocs {
				t.Fatalf("a batch of %d documents", len(ds))
			}
			got[col] += int64(len(ds))
			return nil
		})
		if err != nil {
			if !errors.Is(err, backup.ErrBadArchive) {
				t.Fatalf("an error that is not ErrBadArchive: %v", err)
			}
			return
		}
		if m.Format != backup.Format || m.Version != backup.Version || len(m.Collections) > backup.MaxCollections {
			t.Fatalf("accepted manifest %+v", m)
		}
		for _, c := range m.Collections {
			if c.File != backup.FileOf(c.Name) || !backup.ValidName(c.Name) || got[c.Name] != c.Documents {
				t.Fatalf("accepted collection %+v, read %d documents", c, got[c.Name])
			}
		}
	})
}
