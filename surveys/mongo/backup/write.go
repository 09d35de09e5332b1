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
	"os"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Writer writes an archive: each collection in turn, then the manifest.
// A tar entry needs its size before its bytes, so each collection is
// first written to a spool file, then copied into the archive.
type Writer struct {
	m     *Manifest
	spool *os.File
	gz    *gzip.Writer
	tw    *tar.Writer
}

// NewWriter starts an archive on w. The manifest m gives the database,
// creation time and consistency; Collection adds to its collections. The
// spool file goes in tempDir (os.TempDir() when empty): best next to the
// archive, on storage as safe as the archive's, for it holds the same.
func NewWriter(w io.Writer, m *Manifest, tempDir string) (*Writer, error) {
	spool, err := os.CreateTemp(tempDir, ".heard-backup-spool-*")
	if err != nil {
		return nil, fmt.Errorf("back up: %w", err)
	}
	m.Format, m.Version, m.Created = Format, Version, m.Created.UTC()
	gz := gzip.NewWriter(w)
	return &Writer{m: m, spool: spool, gz: gz, tw: tar.NewWriter(gz)}, nil
}

// Collection adds the named collection. docs calls add with each document
// in turn; a document is copied before add returns.
func (w *Writer) Collection(name string, docs func(add func(bson.Raw) error) error) error {
	if !ValidName(name) {
		return fmt.Errorf("back up: the collection name %q cannot go into an archive", name)
	}
	if len(w.m.Collections) >= MaxCollections {
		return fmt.Errorf("back up: more than %d collections, more than an archive may hold", MaxCollections)
	}
	c, err := w.spoolCollection(name, docs)
	if err != nil {
		return err
	}
	if err := writeEntry(w.tw, c.File, c.Bytes, w.m.Created, w.spool); err != nil {
		return fmt.Errorf("back up %s: %w", name, err)
	}
	w.m.Collections = append(w.m.Collections, *c)
	return nil
}

// spoolCollection writes every document to the spool file, one line of
// canonical Extended JSON each, and describes what it wrote.
func (w *Writer) spoolCollection(name string, docs func(add func(bson.Raw) error) error) (*Collection, error) {
	if err := w.spool.Truncate(0); err != nil {
		return nil, fmt.Errorf("back up %s: %w", name, err)
	}
	if _, err := w.spool.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("back up %s: %w", name, err)
	}
	c := &Collection{Name: name, File: FileOf(name)}
	sum := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(w.spool, sum), 256<<10)
	err := docs(func(doc bson.Raw) error {
		line, err := bson.MarshalExtJSON(doc, true, false)
		if err != nil {
			return fmt.Errorf("document %d: %w", c.Documents+1, err)
		}
		if len(line) > MaxLineBytes {
			return fmt.Errorf("document %d is %d bytes as Extended JSON, more than an archive allows (%d)",
				c.Documents+1, len(line), MaxLineBytes)
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
		c.Documents++
		c.Bytes += int64(len(line))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("back up %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		return nil, fmt.Errorf("back up %s: %w", name, err)
	}
	if _, err := w.spool.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("back up %s: %w", name, err)
	}
	c.SHA256 = hex.EncodeToString(sum.Sum(nil))
	return c, nil
}

// Finish writes the manifest and ends the archive. It does not close the
// underlying writer.
func (w *Writer) Finish() error {
	data, err := json.MarshalIndent(w.m, "", "  ")
	if err != nil {
		return fmt.Errorf("back up: manifest: %w", err)
	}
	data = append(data, '\n')
	if len(data) > MaxManifestBytes {
		return fmt.Errorf("back up: the manifest is %d bytes, more than an archive allows (%d)", len(data), MaxManifestBytes)
	}
	if err := writeEntry(w.tw, manifestFile, int64(len(data)), w.m.Created, bytes.NewReader(data)); err != nil {
		return fmt.Errorf("back up: manifest: %w", err)
	}
	if err := w.tw.Close(); err != nil {
		return fmt.Errorf("back up: finish the archive: %w", err)
	}
	if err := w.gz.Close(); err != nil {
		return fmt.Errorf("back up: finish the archive: %w", err)
	}
	return nil
}

// Close removes the spool file; call it whether or not Finish was.
func (w *Writer) Close() error {
	return errors.Join(w.spool.Close(), os.Remove(w.spool.Name()))
}

// writeEntry adds a regular file of size bytes, read from r, to tw.
func writeEntry(tw *tar.Writer, name string, size int64, mod time.Time, r io.Reader) error {
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o600, ModTime: mod, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	n, err := io.Copy(tw, io.LimitReader(r, size))
	if err != nil {
		return err
	}
	if n != size {
		return fmt.Errorf("%s: wrote %d bytes of %d", name, n, size)
	}
	return nil
}
