package mongo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
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
//	{_id: "2026-11-23", chunks: 1, n: 2,
//	 v: {"<voice id>": "survey\x1fcared-for-2026\x1fNorth\x1f11-18\x1feducation,money\x1fnegative\x1f", ...}}
//
// and a summary reads one document per day by _id. A day of more than
// defaultChunkSize voices goes on in "2026-11-23#1", "#2" and so on, and its first
// document says how many there are: the embedded server rewrites a whole
// document on every update, so a day's digests in one document would make
// each batch of a busy day slower than the last. The voice records which
// document its digest is in (digest_in), so that a review finds it.
//
// Each voice's digest is set whole with $set on its own field, so writing
// it again is harmless: the committer writes the digests of a batch's new
// voices after the voices, and a review, a quote or a retried response
// rewrites a voice's digest from what is stored.
//
// The embedded server applies an update as a read and a write that are not
// atomic together, so two updates of one document at once could lose one;
// digestMu makes this process's updates take turns, and it guards the
// process's count of each day's documents. (MongoDB applies each update
// atomically; instances that each fill a day's last document may take it
// a little past its size, which is harmless.)

// digestSep separates the parts of an encoded digest; it cannot occur in
// them (encodeDigest takes it out).
const digestSep = "\x1f"

// digestReaders is how many documents a summary reads at once.
const digestReaders = 8

// defaultChunkSize is how many digests a day's document takes before the
// next one is started: a few hundred kilobytes. (DB.chunkSize holds it, so
// that a test can make it small.)
const defaultChunkSize = 2000

type dayDigestsDoc struct {
	ID      string            `bson:"_id"`
	Chunks  int               `bson:"chunks,omitempty"` // in the day's first document: how many the day has
	N       int               `bson:"n"`                // digests in this document
	Digests map[string]string `bson:"v"`
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
	var first dayDigestsDoc
	err := d.col(colVoiceDays).FindOne(ctx, bson.D{{Key: "_id", Value: day}}).Decode(&first)
	switch {
	case isNotFound(err):
	case err != nil:
		return nil, fmt.Errorf("read voice digests of %s: %w", day, err)
	default:
		st.chunks, st.fill = max(first.Chunks, 1), first.N
		if st.chunks > 1 {
			var last dayDigestsDoc
			err := d.col(colVoiceDays).FindOne(ctx, bson.D{{Key: "_id", Value: chunkID(day, st.chunks-1)}}).Decode(&last)
			if err != nil && !isNotFound(err) {
				return nil, fmt.Errorf("read voice digests of %s: %w", day, err)
			}
			st.fill = last.N
		}
	}
	d.chunks[day] = st
	return st, nil
}

// writeDigests writes the digests of new voices into the documents
// placeDigests chose: first each day's count of documents, so that a
// reader finds every one, then one update per document. The caller holds
// digestMu.
func (d *DB) writeDigests(ctx context.Context, docs []*voiceDoc) error {
	byChunk := map[string]bson.D{}
	chunks := map[string]int{} // day: how many documents it now has
	for _, doc := range docs {
		byChunk[doc.DigestIn] = append(byChunk[doc.DigestIn], bson.E{Key: "v." + doc.ID, Value: encodeDigest(surveys.DigestOf(doc.voice()))})
		chunks[doc.Day] = max(chunks[doc.Day], chunkNumber(doc.DigestIn)+1)
	}
	for _, day := range sortedKeys(chunks) {
		_, err := d.col(colVoiceDays).UpdateOne(ctx, bson.D{{Key: "_id", Value: day}},
			bson.D{{Key: "$max", Value: bson.D{{Key: "chunks", Value: chunks[day]}}}}, options.UpdateOne().SetUpsert(true))
		if err != nil {
			return fmt.Errorf("write voice digests of %s: %w", day, err)
		}
	}
	for _, id := range sortedKeys(byChunk) {
		_, err := d.col(colVoiceDays).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{
			{Key: "$set", Value: byChunk[id]},
			{Key: "$inc", Value: bson.D{{Key: "n", Value: len(byChunk[id])}}},
		}, options.UpdateOne().SetUpsert(true))
		if err != nil {
			return fmt.Errorf("write voice digests of %s: %w", id, err)
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
	_, err = d.col(colVoiceDays).UpdateOne(ctx, bson.D{{Key: "_id", Value: doc.digestHome()}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "v." + doc.ID, Value: encodeDigest(surveys.DigestOf(doc.voice()))}}}},
		options.UpdateOne().SetUpsert(true))
	if err != nil {
		return true, fmt.Errorf("write voice digest: %w", err)
	}
	return true, nil
}

// VoiceDigests returns the digests of the voices heard from day from to
// day to, inclusive, reading each day's document by _id, a few at once.
func (vs *VoiceStore) VoiceDigests(ctx context.Context, from, to string) ([]surveys.VoiceDigest, error) {
	days, err := daysBetween(from, to)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([][]surveys.VoiceDigest, len(days))
	errs := make([]error, len(days))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(digestReaders, len(days)) {
		wg.Go(func() {
			for i := range next {
				results[i], errs[i] = vs.dayDigests(ctx, days[i])
				if errs[i] != nil {
					cancel()
				}
			}
		})
	}
	for i := range days {
		next <- i
	}
	close(next)
	wg.Wait()
	var out []surveys.VoiceDigest
	for i := range days {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, results[i]...)
	}
	return out, nil
}

// dayDigests reads the digests of one day, from each of its documents.
func (vs *VoiceStore) dayDigests(ctx context.Context, day string) ([]surveys.VoiceDigest, error) {
	var out []surveys.VoiceDigest
	for n, chunks := 0, 1; n < chunks; n++ {
		var doc dayDigestsDoc
		err := vs.db.col(colVoiceDays).FindOne(ctx, bson.D{{Key: "_id", Value: chunkID(day, n)}}).Decode(&doc)
		switch {
		case isNotFound(err):
			continue
		case err != nil:
			return nil, fmt.Errorf("read voice digests of %s: %w", day, err)
		}
		if n == 0 {
			chunks = max(doc.Chunks, 1)
		}
		for id, s := range doc.Digests {
			dg, err := decodeDigest(id, day, s)
			if err != nil {
				return nil, err
			}
			out = append(out, dg)
		}
	}
	return out, nil
}

// daysBetween lists the days from from to to, inclusive.
func daysBetween(from, to string) ([]string, error) {
	start, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return nil, fmt.Errorf("voice digests: %w", err)
	}
	end, err := time.Parse(time.DateOnly, to)
	if err != nil {
		return nil, fmt.Errorf("voice digests: %w", err)
	}
	if n := end.Sub(start).Hours() / 24; n > 2*surveys.MaxSummaryDays {
		return nil, fmt.Errorf("voice digests: %.0f days is too many to read", n)
	}
	var days []string
	for t := start; !t.After(end); t = t.AddDate(0, 0, 1) {
		days = append(days, t.Format(time.DateOnly))
	}
	return days, nil
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
	return nil
}
