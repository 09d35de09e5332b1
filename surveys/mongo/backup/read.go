package backup

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// bad makes an error wrapping ErrBadArchive.
func bad(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadArchive, fmt.Sprintf(format, args...))
}

// found is what reading one collection's file found.
type found struct {
	documents int64
	bytes     int64
	sha256    string
}

// Verify reads a whole archive and checks it: a manifest of this format,
// last; a file for each collection it names and nothing else; each file of
// the size, checksum and document count the manifest gives; and every line
// a document with an _id. Every error wraps ErrBadArchive.
func Verify(r io.Reader) (*Manifest, error) {
	return Read(r, nil)
}

// Read reads and checks an archive as Verify does, and hands load each
// collection's documents, as they are read, in batches of at most
// BatchDocs documents and about BatchBytes. The manifest comes last, so a
// fault it reveals is found only after load has seen everything: check an
// archive with Verify before loading it. An error from load is returned
// as it is.
func Read(r io.Reader, load func(collection string, docs []bson.Raw) error) (*Manifest, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, bad("not gzip-compressed: %v", err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	files := map[string]found{}
	var m *Manifest
	for entries := 0; ; entries++ {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, bad("reading the tar: %v", err)
		}
		if entries >= MaxCollections+1 {
			return nil, bad("more than %d files", MaxCollections+1)
		}
		if hdr.Typeflag != tar.TypeReg {
			return nil, bad("%q is not a regular file", hdr.Name)
		}
		switch {
		case m != nil:
			return nil, bad("%q follows the manifest, which must be last", hdr.Name)
		case hdr.Name == manifestFile:
			if m, err = readManifest(tr); err != nil {
				return nil, err
			}
		case strings.HasPrefix(hdr.Name, collectionDir) && strings.HasSuffix(hdr.Name, collectionExt):
			name := strings.TrimSuffix(strings.TrimPrefix(hdr.Name, collectionDir), collectionExt)
			if !ValidName(name) {
				return nil, bad("%q is not a collection's file", hdr.Name)
			}
			if _, dup := files[name]; dup {
				return nil, bad("%q appears twice", hdr.Name)
			}
			f, err := readCollection(tr, name, load)
			if err != nil {
				return nil, err
			}
			files[name] = f
		default:
			return nil, bad("unexpected file %q", hdr.Name)
		}
	}
	if m == nil {
		return nil, bad("it has no %s", manifestFile)
	}
	// Reading to the end checks the gzip stream's own checksum and length.
	if n, err := io.Copy(io.Discard, io.LimitReader(gz, maxTrailingBytes+1)); err != nil {
		return nil, bad("the compressed stream: %v", err)
	} else if n > maxTrailingBytes {
		return nil, bad("more than %d bytes follow the end of the tar", maxTrailingBytes)
	}
	if err := m.check(files); err != nil {
		return nil, err
	}
	return m, nil
}

// readManifest reads and parses manifest.json, at most MaxManifestBytes.
func readManifest(r io.Reader) (*Manifest, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxManifestBytes+1))
	if err != nil {
		return nil, bad("reading %s: %v", manifestFile, err)
	}
	if len(data) > MaxManifestBytes {
		return nil, bad("%s is larger than %d bytes", manifestFile, MaxManifestBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	m := &Manifest{}
	if err := dec.Decode(m); err != nil {
		return nil, bad("%s: %v", manifestFile, err)
	}
	if m.Format != Format {
		return nil, bad("%s: format %q, want %q", manifestFile, m.Format, Format)
	}
	if m.Version != Version {
		return nil, bad("%s: version %d; this Heard reads version %d", manifestFile, m.Version, Version)
	}
	if len(m.Collections) > MaxCollections {
		return nil, bad("%s names %d collections, more than %d", manifestFile, len(m.Collections), MaxCollections)
	}
	return m, nil
}

// check compares the manifest with the files the archive holds.
func (m *Manifest) check(files map[string]found) error {
	listed := map[string]bool{}
	for _, c := range m.Collections {
		if !ValidName(c.Name) {
			return bad("%s names a collection %q", manifestFile, c.Name)
		}
		if listed[c.Name] {
			return bad("%s names %s twice", manifestFile, c.Name)
		}
		listed[c.Name] = true
		if c.File != FileOf(c.Name) {
			return bad("%s gives %s the file %q, want %q", manifestFile, c.Name, c.File, FileOf(c.Name))
		}
		f, ok := files[c.Name]
		switch {
		case !ok:
			return bad("%s is missing", c.File)
		case f.bytes != c.Bytes:
			return bad("%s is %d bytes, the manifest says %d", c.File, f.bytes, c.Bytes)
		case f.sha256 != c.SHA256:
			return bad("%s has SHA-256 %s, the manifest says %s", c.File, f.sha256, c.SHA256)
		case f.documents != c.Documents:
			return bad("%s holds %d documents, the manifest says %d", c.File, f.documents, c.Documents)
		}
	}
	for name := range files {
		if !listed[name] {
			return bad("%s is not in the manifest", FileOf(name))
		}
	}
	return nil
}

// readCollection reads one collection's file: every line one document
// with an _id, of bounded length. With load, it passes the documents on in
// bounded batches.
func readCollection(r io.Reader, name string, load func(string, []bson.Raw) error) (found, error) {
	file := FileOf(name)
	sum := sha256.New()
	counted := &countingReader{r: r}
	sc := bufio.NewScanner(io.TeeReader(counted, sum))
	sc.Buffer(make([]byte, 0, 64<<10), MaxLineBytes+1) // the line and its end
	sc.Split(splitLines)
	var f found
	var batch []bson.Raw
	batchBytes := 0
	flush := func() error {
		if load == nil || len(batch) == 0 {
			return nil
		}
		err := load(name, batch)
		batch, batchBytes = nil, 0
		return err
	}
	for sc.Scan() {
		f.documents++
		doc, err := parseLine(sc.Bytes())
		if err != nil {
			return f, bad("%s line %d: %v", file, f.documents, err)
		}
		if load == nil {
			continue
		}
		batch = append(batch, doc)
		batchBytes += len(doc)
		if len(batch) >= BatchDocs || batchBytes >= BatchBytes {
			if err := flush(); err != nil {
				return f, err
			}
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return f, bad("%s line %d is longer than %d bytes", file, f.documents+1, MaxLineBytes)
		}
		return f, bad("reading %s: %v", file, err)
	}
	if err := flush(); err != nil {
		return f, err
	}
	f.bytes = counted.n
	f.sha256 = hex.EncodeToString(sum.Sum(nil))
	return f, nil
}

// splitLines splits on '\n' only, and wants the last line ended too: a
// file cut short in the middle of a line is an error, not a short line.
func splitLines(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return 0, nil, errors.New("the last line has no end")
	}
	return 0, nil, nil
}

// parseLine reads one document of canonical Extended JSON.
func parseLine(line []byte) (bson.Raw, error) {
	var doc bson.Raw
	if err := bson.UnmarshalExtJSON(line, true, &doc); err != nil {
		return nil, fmt.Errorf("not a document of canonical Extended JSON: %v", err)
	}
	if len(doc) > MaxDocumentBytes {
		return nil, fmt.Errorf("the document is %d bytes, more than %d", len(doc), MaxDocumentBytes)
	}
	if _, err := doc.LookupErr("_id"); err != nil {
		return nil, errors.New("the document has no _id")
	}
	return doc, nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
