package mongo

import (
	"context"
	"fmt"
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
// digest of a few dozen bytes in the document of its day,
//
//	{_id: "2026-11-23", v: {"<voice id>": "survey\x1fcared-for-2026\x1fNorth\x1f11-18\x1feducation,money\x1fnegative\x1f"}}
//
// and a summary reads one document per day by _id. Each voice's digest is
// set whole with $set on its own field, so writing it again is harmless:
// the committer writes the digests of a batch's voices after the voices,
// and a review or a quote rewrites the voice's digest from what it stored.
//
// The embedded server applies an update as a read and a write that are not
// atomic together, so two updates of one day's document at once could
// lose one; digestMu makes this process's updates take turns. (MongoDB
// applies each update atomically, so instances need no more than that.)

// digestSep separates the parts of an encoded digest; it cannot occur in
// them (encodeDigest takes it out).
const digestSep = "\x1f"

// digestReaders is how many days' documents a summary reads at once.
const digestReaders = 8

type dayDigestsDoc struct {
	ID      string            `bson:"_id"` // the day
	Digests map[string]string `bson:"v"`
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

// setDigests writes the digests of voices, one update per day.
func (d *DB) setDigests(ctx context.Context, voices []*surveys.Voice) error {
	byDay := map[string]bson.D{}
	for _, v := range voices {
		byDay[v.Day] = append(byDay[v.Day], bson.E{Key: "v." + v.ID, Value: encodeDigest(surveys.DigestOf(v))})
	}
	d.digestMu.Lock()
	defer d.digestMu.Unlock()
	for _, day := range sortedKeys(byDay) {
		_, err := d.col(colVoiceDays).UpdateOne(ctx, bson.D{{Key: "_id", Value: day}},
			bson.D{{Key: "$set", Value: byDay[day]}}, options.UpdateOne().SetUpsert(true))
		if err != nil {
			return fmt.Errorf("write voice digests of %s: %w", day, err)
		}
	}
	return nil
}

// updateVoice applies update to the voice with the id and rewrites its
// digest from what it then holds, as one turn of digestMu, so that this
// process never leaves an older digest behind a newer one. With a nil
// update it only rewrites the digest. It reports whether the voice exists.
func (d *DB) updateVoice(ctx context.Context, id string, update bson.D) (bool, error) {
	d.digestMu.Lock()
	defer d.digestMu.Unlock()
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
	v := doc.voice()
	_, err = d.col(colVoiceDays).UpdateOne(ctx, bson.D{{Key: "_id", Value: v.Day}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "v." + v.ID, Value: encodeDigest(surveys.DigestOf(v))}}}},
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

// dayDigests reads the digests of one day.
func (vs *VoiceStore) dayDigests(ctx context.Context, day string) ([]surveys.VoiceDigest, error) {
	var doc dayDigestsDoc
	err := vs.db.col(colVoiceDays).FindOne(ctx, bson.D{{Key: "_id", Value: day}}).Decode(&doc)
	switch {
	case isNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("read voice digests of %s: %w", day, err)
	}
	out := make([]surveys.VoiceDigest, 0, len(doc.Digests))
	for id, s := range doc.Digests {
		dg, err := decodeDigest(id, day, s)
		if err != nil {
			return nil, err
		}
		out = append(out, dg)
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
	if err := RebuildVoiceDigests(ctx, d); err != nil {
		return err
	}
	return d.Mark(ctx, digestsMark)
}

// RebuildVoiceDigests writes every voice's digest again from the voice.
func RebuildVoiceDigests(ctx context.Context, d *DB) error {
	cur, err := d.col(colVoices).Find(ctx, bson.D{}, options.Find().SetBatchSize(500))
	if err != nil {
		return fmt.Errorf("rebuild voice digests: %w", err)
	}
	defer func() { _ = cur.Close(ctx) }()
	var batch []*surveys.Voice
	flush := func() error {
		err := d.setDigests(ctx, batch)
		batch = batch[:0]
		return err
	}
	for cur.Next(ctx) {
		var doc voiceDoc
		if err := cur.Decode(&doc); err != nil {
			return fmt.Errorf("rebuild voice digests: %w", err)
		}
		if batch = append(batch, doc.voice()); len(batch) == 500 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("rebuild voice digests: %w", err)
	}
	return flush()
}
