// Package backup reads and writes Heard's backup archives: the format
// alone, with no database, so that it can be checked (and fuzzed) on its
// own. Package mongo fills an archive from a database and loads one back.
//
// An archive is a gzip-compressed tar file. It holds one file per
// collection, collections/NAME.jsonl, with every document of the
// collection as canonical MongoDB Extended JSON, one a line, so that every
// BSON type (dates, binary, 64-bit integers, doubles) comes back exactly;
// and, last, manifest.json, which names each file with its document count,
// size and SHA-256. The manifest comes last because each file's checksum
// is known only once the file is written.
package backup

import (
	"errors"
	"regexp"
	"strings"
	"time"
)

// The archive's layout.
const (
	Format  = "heard-backup" // Manifest.Format of every Heard archive
	Version = 1              // the layout this code writes and reads

	manifestFile  = "manifest.json"
	collectionDir = "collections/"
	collectionExt = ".jsonl"
)

// Limits on what an archive may hold. An archive is outside input when it
// is restored, so everything read from it is bounded.
const (
	// MaxManifestBytes bounds manifest.json: a few hundred bytes per
	// collection.
	MaxManifestBytes = 1 << 20
	// MaxCollections bounds the collections of one archive. Heard has a
	// few dozen.
	MaxCollections = 1000
	// MaxLineBytes bounds one document's line. A document is at most 16 MiB
	// of BSON; canonical Extended JSON spells some values out at greater
	// length, so a line may be longer. The writer refuses a longer line, so
	// every archive it writes can be read.
	MaxLineBytes = 64 << 20
	// MaxDocumentBytes is the server's own limit on one document.
	MaxDocumentBytes = 16 << 20
	// maxTrailingBytes bounds what may follow the tar's end inside the
	// gzip stream: the tar writer pads its last record to 10 KiB.
	maxTrailingBytes = 64 << 10
	// BatchDocs and BatchBytes bound the batches Read hands over: a
	// restore inserts each batch at once, and the embedded database takes
	// one writer at a time and works best with modest batches.
	BatchDocs  = 500
	BatchBytes = 4 << 20
)

// ErrBadArchive is wrapped by every error about an archive that is not a
// sound Heard backup: damaged, cut short, changed, or something else.
var ErrBadArchive = errors.New("the archive is damaged or is not a Heard backup")

// Consistency says how a backup's collections agree with each other.
type Consistency string

const (
	// Exclusive: the backup's process was the only user of the database
	// (the embedded database behind the data directory's lock), so nothing
	// wrote while the backup ran.
	Exclusive Consistency = "exclusive"
	// Snapshot: every collection was read at one point in time, in a
	// snapshot session (a MongoDB 5.0+ replica set or sharded cluster).
	Snapshot Consistency = "snapshot"
	// Unguarded: the deployment offers no snapshot, and other processes
	// may have written while the collections were read one after another.
	Unguarded Consistency = "none"
)

// Describe says in words what the consistency means for the backup.
func (c Consistency) Describe() string {
	switch c {
	case Exclusive:
		return "consistent: the backup held the embedded database, so nothing else wrote while it ran"
	case Snapshot:
		return "consistent: every collection was read from one snapshot of the deployment"
	default:
		return "NOT guaranteed consistent: the deployment offers no snapshot reads (a standalone server, " +
			"MongoDB before 5.0, or the embedded database shared through `heard database`), so anything written " +
			"while the backup ran may be missing or only partly included; stop Heard's servers during a backup " +
			"to be sure of a consistent copy"
	}
}

// Manifest describes an archive.
type Manifest struct {
	Format      string       `json:"format"`   // Format
	Version     int          `json:"version"`  // Version
	Database    string       `json:"database"` // the name of the database backed up
	Created     time.Time    `json:"created"`  // when the backup started, UTC
	Consistency Consistency  `json:"consistency"`
	Collections []Collection `json:"collections"`
}

// Collection describes one collection's file in an archive.
type Collection struct {
	Name      string `json:"name"`
	File      string `json:"file"`
	Documents int64  `json:"documents"`
	Bytes     int64  `json:"bytes"`
	SHA256    string `json:"sha256"`
}

// Documents returns how many documents the archive holds in all.
func (m *Manifest) Documents() int64 {
	var n int64
	for _, c := range m.Collections {
		n += c.Documents
	}
	return n
}

// collectionName is what a collection of an archive may be called: the
// names Heard gives, and nothing that could be a path or a system
// collection.
var collectionName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}$`)

// ValidName reports whether a collection of this name can be archived.
func ValidName(name string) bool {
	return collectionName.MatchString(name) && !strings.HasPrefix(name, "system.") && !strings.Contains(name, "..")
}

// FileOf returns the file in an archive of the named collection.
func FileOf(name string) string { return collectionDir + name + collectionExt }
