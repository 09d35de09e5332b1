package mongo

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	mongodriver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// Voice digests: what a theme summary counts, kept apart from the voices.
//
// A summary counts every voice of a year or more. Reading the voices
// themselves would decode every field of every comment, and on the
// embedded server filter the whole collection; so each voice also has a
// digest of a few dozen bytes in a document of its day,
//
//	{_id: "2026-11-23", rev: 7, chunks: 1,
//	 v: '{"<voice id>":"survey\x1fcared-for-2026\x1fNorth\x1f11-18\x1feducation,money\x1fnegative\x1f", ...}'}
//
// and a summary reads the documents of its period with one query on a
// range of _id. The digests are one
// JSON string, as tally counts are (tallies.go): the embedded server takes
// far longer to decode a document of thousands of fields (a 2,000-field
// document took over 100 ms) than one long string. A day of more than
// defaultChunkSize voices goes on in "2026-11-23#1", "#2" and so on, and
// its first document says how many there are, so that each write stays
// small on a busy day. The voice records which document holds its digest
// (digest_in), so that a review finds it.
//
// A write reads a document, sets the voices' digests in it, and writes it
// back naming the revision it read; one that lost a race reads again. On
// the embedded server only this process writes, under digestMu, so the
// revision is left out of the filter (which would otherwise scan the
// collection). Setting a digest again is harmless: the committer writes a
// batch's new digests after its voices, and a review, a quote or a retried
// response rewrites a voice's digest from what is stored. digestMu also
// guards this process's count of each day's documents.

// digestSep separates the parts of an encoded digest; it cannot occur in
// them (encodeDigest takes it out).
const digestSep = "\x1f"

// defaultChunkSize is how many digests a day's document takes before the
// next one is started: a few hundred kilobytes. (DB.chunkSize holds it, so
// that a test can make it small.)
const defaultChunkSize = 2000

type dayDigestsDoc struct {
	ID      string `bson:"_id"`
	Rev     int64  `bson:"rev"`
	Chunks  int    `bson:"chunks,omitempty"` // in the day's first document: how many the day has
	Digests string `bson:"v"`                // JSON: voice id to encoded digest
}

// entries decodes the document's digests.
func (doc *dayDigestsDoc) entries() (map[string]string, error) {
	m := map[string]string{}
	if doc == nil || doc.Digests == "" {
		return m, nil
	}
	if err := json.Unmarshal([]byte(doc.Digests), &m); err != nil {
		return nil, fmt.Errorf("decode voice digests of %s: %w", doc.ID, err)
	}
	return m, nil
}

// findDigestDoc reads a digest document by _id, or returns nil when there
// is none.
func (d *DB) findDigestDoc(ctx context.Context, id string) (*dayDigestsDoc, error) {
	var doc dayDigestsDoc
	err := d.col(colVoiceDays).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc)
	switch {
	case isNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("read voice digests of %s: %w", id, err)
	}
	return &doc, nil
}

// putDigests sets digests (voice id to encoded digest) in the document
// with the id, creating it if need be.
// The caller holds digestMu.
func (d *DB) putDigests(ctx context.Context, id string, digests map[string]string) error {
	return d.changeDigests(ctx, id, digests, nil)
}

// changeDigests sets digests in the document with the id, creating it if
// need be, and takes out those of the voices remove. The caller holds
// digestMu.
func (d *DB) changeDigests(ctx context.Context, id string, digests map[string]string, remove []string) error {
	for range maxTallyRetries {
		doc, all, err := d.digestDoc(ctx, id)
		if err != nil {
			return err
		}
		if doc == nil && len(digests) == 0 {
			return nil // nothing to take out of a document that is not there
		}
		maps.Copy(all, digests)
		for _, v := range remove {
			delete(all, v)
		}
		b, err := json.Marshal(all)
		if err != nil {
			return fmt.Errorf("encode voice digests of %s: %w", id, err)
		}
		if doc == nil {
			_, err := d.col(colVoiceDays).InsertOne(ctx, dayDigestsDoc{ID: id, Rev: 1, Digests: string(b)})
			if isDuplicate(err) {
				continue // another instance made it first
			} else if err != nil {
				return fmt.Errorf("write voice digests of %s: %w", id, err)
			}
			d.keepDigestDoc(id, 1, all)
			return nil
		}
		filter := bson.D{{Key: "_id", Value: id}}
		if !d.exclusive {
			filter = append(filter, bson.E{Key: "rev", Value: doc.Rev})
		}
		res, err := d.col(colVoiceDays).UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: bson.D{
			{Key: "v", Value: string(b)}, {Key: "rev", Value: doc.Rev + 1},
		}}})
		if err != nil {
			delete(d.digestDocs, id)
			return fmt.Errorf("write voice digests of %s: %w", id, err)
		}
		if res.MatchedCount == 1 {
			d.keepDigestDoc(id, doc.Rev+1, all)
			return nil
		}
	}
	return fmt.Errorf("write voice digests of %s: still changing under us after %d tries", id, maxTallyRetries)
}

// cachedDigests is a digest document this process wrote, decoded.
type cachedDigests struct {
	rev     int64
	entries map[string]string
}

// maxCachedDigestDocs bounds the digest documents kept decoded in memory:
// the few a busy day's batches write to, not every day's.
const maxCachedDigestDocs = 16

// digestDoc returns a digest document (nil when there is none) and its
// digests, for changing. With the database to itself, this process wrote
// the documents it has cached, so it reads them from memory: on the
// embedded server a read by _id costs a pass over the whole table, and
// the committer writes digests before it acknowledges a batch.
func (d *DB) digestDoc(ctx context.Context, id string) (*dayDigestsDoc, map[string]string, error) {
	if c, ok := d.digestDocs[id]; ok && d.exclusive {
		return &dayDigestsDoc{ID: id, Rev: c.rev}, maps.Clone(c.entries), nil
	}
	doc, err := d.findDigestDoc(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	all, err := doc.entries()
	return doc, all, err
}

// keepDigestDoc caches a document just written, when this process has the
// database to itself.
func (d *DB) keepDigestDoc(id string, rev int64, entries map[string]string) {
	if !d.exclusive {
		return
	}
	if len(d.digestDocs) >= maxCachedDigestDocs {
		clear(d.digestDocs)
	}
	d.digestDocs[id] = &cachedDigests{rev: rev, entries: entries}
}

// chunkID is the _id of a day's document number n (from 0).
func chunkID(day string, n int) string {
	if n == 0 {
		return day
	}
	return day + "#" + strconv.Itoa(n)
}

// dayChunks is what this process knows of a day's documents: how many
// there are, and how full the last one is.
type dayChunks struct {
	chunks, fill int
}

// encodeDigest returns d as stored in its day's document.
func encodeDigest(d surveys.VoiceDigest) string {
	clean := func(s string) string { return strings.ReplaceAll(s, digestSep, "") }
	quoted := ""
	if d.Quoted {
		quoted = "q"
	}
	return strings.Join([]string{clean(string(d.Channel)), clean(d.Survey), clean(d.Area), clean(d.AgeBand),
		clean(strings.Join(d.Themes, ",")), clean(string(d.Sentiment)), quoted}, digestSep)
}

// decodeDigest reads back an encoded digest of the voice id of day.
func decodeDigest(id, day, s string) (surveys.VoiceDigest, error) {
	parts := strings.Split(s, digestSep)
	if len(parts) != 7 {
		return surveys.VoiceDigest{}, fmt.Errorf("voice digest %s of %s has %d parts, not 7", id, day, len(parts))
	}
	d := surveys.VoiceDigest{ID: id, Day: day, Channel: surveys.Channel(parts[0]), Survey: parts[1], Area: parts[2],
		AgeBand: parts[3], Sentiment: surveys.Sentiment(parts[5]), Quoted: parts[6] == "q"}
	if parts[4] != "" {
		d.Themes = strings.Split(parts[4], ",")
	}
	return d, nil
}

// placeDigests chooses the document of each new voice's digest, filling
// its day's last document up to chunkSize, and records it in the voice.
// The caller holds digestMu.
func (d *DB) placeDigests(ctx context.Context, docs []*voiceDoc) error {
	for _, doc := range docs {
		st, err := d.dayChunks(ctx, doc.Day)
		if err != nil {
			return err
		}
		if st.fill >= d.chunkSize {
			st.chunks, st.fill = st.chunks+1, 0
		}
		st.fill++
		doc.DigestIn = chunkID(doc.Day, st.chunks-1)
	}
	return nil
}

// dayChunks returns what this process knows of a day's documents, reading
// it the first time. The caller holds digestMu.
func (d *DB) dayChunks(ctx context.Context, day string) (*dayChunks, error) {
	if st, ok := d.chunks[day]; ok {
		return st, nil
	}
	st := &dayChunks{chunks: 1}
	first, err := d.findDigestDoc(ctx, day)
	if err != nil {
		return nil, err
	}
	if first != nil {
		st.chunks = max(first.Chunks, 1)
		last := first
		if st.chunks > 1 {
			if last, err = d.findDigestDoc(ctx, chunkID(day, st.chunks-1)); err != nil {
				return nil, err
			}
		}
		entries, err := last.entries()
		if err != nil {
			return nil, err
		}
		st.fill = len(entries)
	}
	d.chunks[day] = st
	return st, nil
}

// writeDigests writes the digests of new voices into the documents
// placeDigests chose: first each day's count of documents, so that a
// reader finds every one, then one update per document. The caller holds
// digestMu.
func (d *DB) writeDigests(ctx context.Context, docs []*voiceDoc) error {
	byChunk := map[string]map[string]string{}
	chunks := map[string]int{} // day: how many documents it now has
	for _, doc := range docs {
		if byChunk[doc.DigestIn] == nil {
			byChunk[doc.DigestIn] = map[string]string{}
		}
		byChunk[doc.DigestIn][doc.ID] = encodeDigest(surveys.DigestOf(doc.voice()))
		chunks[doc.Day] = max(chunks[doc.Day], chunkNumber(doc.DigestIn)+1)
	}
	for _, day := range sortedKeys(chunks) {
		if chunks[day] == 1 {
			continue // the first document is written below
		}
		_, err := d.col(colVoiceDays).UpdateOne(ctx, bson.D{{Key: "_id", Value: day}},
			bson.D{{Key: "$max", Value: bson.D{{Key: "chunks", Value: chunks[day]}}},
				{Key: "$setOnInsert", Value: bson.D{{Key: "rev", Value: 0}, {Key: "v", Value: ""}}}}, options.UpdateOne().SetUpsert(true))
		if err != nil {
			return fmt.Errorf("write voice digests of %s: %w", day, err)
		}
	}
	for _, id := range sortedKeys(byChunk) {
		if err := d.putDigests(ctx, id, byChunk[id]); err != nil {
			return err
		}
	}
	return nil
}

// chunkNumber is the number of a day's document from its _id.
func chunkNumber(id string) int {
	_, n, ok := strings.Cut(id, "#")
	if !ok {
		return 0
	}
	i, _ := strconv.Atoi(n)
	return i
}

// digestHome is the document a stored voice's digest is in: the one it
// records, or its day's first for a voice from before digests had more.
func (doc *voiceDoc) digestHome() string {
	if doc.DigestIn != "" {
		return doc.DigestIn
	}
	return doc.Day
}

// updateVoice applies update to the voice with the id and rewrites its
// digest from what it then holds, as one turn of digestMu, so that this
// process never leaves an older digest behind a newer one. With a nil
// update it only rewrites the digest. It reports whether the voice exists.
func (d *DB) updateVoice(ctx context.Context, id string, update bson.D) (bool, error) {
	d.digestMu.Lock()
	defer d.digestMu.Unlock()
	return d.updateVoiceLocked(ctx, id, update)
}

// updateVoiceLocked is updateVoice for a caller that holds digestMu.
func (d *DB) updateVoiceLocked(ctx context.Context, id string, update bson.D) (bool, error) {
	var doc voiceDoc
	byID := bson.D{{Key: "_id", Value: id}}
	var res *mongodriver.SingleResult
	if update == nil {
		res = d.col(colVoices).FindOne(ctx, byID)
	} else {
		res = d.col(colVoices).FindOneAndUpdate(ctx, byID, update, options.FindOneAndUpdate().SetReturnDocument(options.After))
	}
	err := res.Decode(&doc)
	switch {
	case isNotFound(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("update voice: %w", err)
	}
	err = d.putDigests(ctx, doc.digestHome(), map[string]string{doc.ID: encodeDigest(surveys.DigestOf(doc.voice()))})
	return true, err
}

// EachVoiceDigest calls f with the digests of the voices heard from day
// from to day to, inclusive, read with one query on a range of _id. On the
// embedded server every query reads the whole collection (it has an index
// on _id, but its queries do not use it), so one query for the period
// costs what one query for a day would. The cursor takes a couple of
// documents at a time (each holds up to defaultChunkSize digests), so that
// neither server nor client holds the period's digests at once.
func (vs *VoiceStore) EachVoiceDigest(ctx context.Context, from, to string, f func(*surveys.VoiceDigest) error) error {
	start, end, err := dayRange(from, to)
	if err != nil {
		return err
	}
	cur, err := vs.db.col(colVoiceDays).Find(ctx, bson.D{{Key: "_id", Value: bson.D{
		{Key: "$gte", Value: start}, {Key: "$lt", Value: end},
	}}}, options.Find().SetBatchSize(digestBatch))
	if err != nil {
		return fmt.Errorf("read voice digests: %w", err)
	}
	defer func() { _ = cur.Close(ctx) }()
	for cur.Next(ctx) {
		var doc dayDigestsDoc
		if err := cur.Decode(&doc); err != nil {
			return fmt.Errorf("read voice digests: %w", err)
		}
		entries, err := doc.entries()
		if err != nil {
			return err
		}
		day, _, _ := strings.Cut(doc.ID, "#")
		for id, s := range entries {
			dg, err := decodeDigest(id, day, s)
			if err != nil {
				return err
			}
			if err := f(&dg); err != nil {
				return err
			}
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("read voice digests: %w", err)
	}
	return nil
}

// digestBatch is how many digest documents a cursor fetches at a time.
const digestBatch = 2

// VoiceDigests returns the digests EachVoiceDigest gives, all together.
func (vs *VoiceStore) VoiceDigests(ctx context.Context, from, to string) ([]surveys.VoiceDigest, error) {
	var out []surveys.VoiceDigest
	err := vs.EachVoiceDigest(ctx, from, to, func(d *surveys.VoiceDigest) error {
		out = append(out, *d)
		return nil
	})
	return out, err
}

// dayRange returns the _ids that bound the documents of the days from to
// to: the first day, and the day after the last (a day's further
// documents, "2026-11-23#1", sort between the two).
func dayRange(from, to string) (string, string, error) {
	start, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return "", "", fmt.Errorf("voice digests: %w", err)
	}
	end, err := time.Parse(time.DateOnly, to)
	if err != nil {
		return "", "", fmt.Errorf("voice digests: %w", err)
	}
	if end.Before(start) {
		return "", "", fmt.Errorf("voice digests: %s is before %s", to, from)
	}
	return from, end.AddDate(0, 0, 1).Format(time.DateOnly), nil
}

// digestsMark is the meta key set once every voice stored before digests
// existed has one.
const digestsMark = "voice_digests"

// EnsureVoiceDigests gives every stored voice its digest, once: a database
// from before digests existed is brought up to date the first time this
// version starts on it. It reads every voice, so it is not for hot paths.
func EnsureVoiceDigests(ctx context.Context, d *DB) error {
	done, err := d.Marked(ctx, digestsMark)
	if err != nil || done {
		return err
	}
	if err := rebuildVoiceDigests(ctx, d); err != nil {
		return err
	}
	return d.Mark(ctx, digestsMark)
}

// rebuildVoiceDigests writes every voice's digest from the voice, in the
// document the voice records (its day's first, for a voice from before
// digests), where there are none yet.
func rebuildVoiceDigests(ctx context.Context, d *DB) error {
	cur, err := d.col(colVoices).Find(ctx, bson.D{}, options.Find().SetBatchSize(500))
	if err != nil {
		return fmt.Errorf("rebuild voice digests: %w", err)
	}
	defer func() { _ = cur.Close(ctx) }()
	d.digestMu.Lock()
	defer d.digestMu.Unlock()
	var batch []*voiceDoc
	flush := func() error {
		for _, doc := range batch {
			doc.DigestIn = doc.digestHome()
		}
		err := d.writeDigests(ctx, batch)
		batch = batch[:0]
		return err
	}
	for cur.Next(ctx) {
		doc := &voiceDoc{}
		if err := cur.Decode(doc); err != nil {
			return fmt.Errorf("rebuild voice digests: %w", err)
		}
		if batch = append(batch, doc); len(batch) == 500 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("rebuild voice digests: %w", err)
	}
	if err := flush(); err != nil {
		return err
	}
	clear(d.chunks) // counts changed behind them: read them afresh
	clear(d.digestDocs)
	return nil
}

// DeleteVoices removes voices and their digests: first each digest, then
// the voice, so that a delete that fails part way leaves no digest
// counted without its voice, and a retry finishes it.
func (vs *VoiceStore) DeleteVoices(ctx context.Context, ids []string) error {
	d := vs.db
	d.digestMu.Lock()
	defer d.digestMu.Unlock()
	for _, id := range ids {
		var doc voiceDoc
		err := d.col(colVoices).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc)
		switch {
		case isNotFound(err):
			continue
		case err != nil:
			return fmt.Errorf("delete voice: %w", err)
		}
		if err := d.changeDigests(ctx, doc.digestHome(), nil, []string{id}); err != nil {
			return fmt.Errorf("delete voice: %w", err)
		}
		if _, err := d.col(colVoices).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
			return fmt.Errorf("delete voice: %w", err)
		}
	}
	return nil
}
