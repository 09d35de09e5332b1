package mongo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// VoiceStore keeps voices: one document per voice, keyed by its id. A
// survey's voices are written by the ResponseStore in the batch that
// stores their responses; FindVoices filters in the database on MongoDB's
// indexes and scans on the embedded server.
type VoiceStore struct{ db *DB }

var _ surveys.VoiceStore = (*VoiceStore)(nil)

// NewVoiceStore returns a VoiceStore on db.
func NewVoiceStore(db *DB) *VoiceStore { return &VoiceStore{db: db} }

type themeMatchDoc struct {
	Key      string   `bson:"key"`
	Score    float64  `bson:"score"`
	Evidence []string `bson:"evidence,omitempty"`
}

type codingDoc struct {
	Themes       []themeMatchDoc `bson:"themes"`
	ThemeKeys    []string        `bson:"theme_keys"` // for filtering by theme
	Sentiment    string          `bson:"sentiment"`
	Flag         bool            `bson:"flag"`
	RiskKinds    []string        `bson:"risk_kinds,omitempty"`
	RiskEvidence []string        `bson:"risk_evidence,omitempty"`
	Unread       bool            `bson:"unread,omitempty"`
	Codebook     int             `bson:"codebook"`
}

type reviewDoc struct {
	Themes    []string  `bson:"themes"`
	Sentiment string    `bson:"sentiment"`
	By        string    `bson:"by"`
	At        time.Time `bson:"at"`
}

// voiceDoc is a stored voice. Themes and Sentiment repeat the codes in
// force (the review's, or else the machine's), so that a filter by theme
// or sentiment is one field each.
type voiceDoc struct {
	ID        string     `bson:"_id"`
	Channel   string     `bson:"channel"`
	Source    sourceDoc  `bson:"source"`
	Text      string     `bson:"text"`
	Lang      string     `bson:"lang"`
	Day       string     `bson:"day"`
	AgeBand   string     `bson:"age_band,omitempty"`
	Area      string     `bson:"area,omitempty"`
	Machine   codingDoc  `bson:"machine"`
	Review    *reviewDoc `bson:"review,omitempty"`
	Quote     *quoteDoc  `bson:"quote,omitempty"`
	Themes    []string   `bson:"themes"`
	Sentiment string     `bson:"sentiment"`
	Reviewed  bool       `bson:"reviewed"`
	// DigestIn is the _id of the voice_days document that holds the
	// voice's digest (digests.go).
	DigestIn string `bson:"digest_in,omitempty"`
}

type quoteDoc struct {
	Text       string    `bson:"text"`
	Status     string    `bson:"status"`
	Restored   int       `bson:"restored,omitempty"`
	By         string    `bson:"by"`
	At         time.Time `bson:"at"`
	ApprovedBy string    `bson:"approved_by,omitempty"`
	ApprovedAt time.Time `bson:"approved_at,omitempty"`
}

func toQuoteDoc(q *surveys.Quote) *quoteDoc {
	if q == nil {
		return nil
	}
	return &quoteDoc{Text: q.Text, Status: string(q.Status), Restored: q.Restored, By: q.By, At: q.At,
		ApprovedBy: q.ApprovedBy, ApprovedAt: q.ApprovedAt}
}

func (d *quoteDoc) quote() *surveys.Quote {
	if d == nil {
		return nil
	}
	return &surveys.Quote{Text: d.Text, Status: surveys.QuoteStatus(d.Status), Restored: d.Restored, By: d.By, At: d.At,
		ApprovedBy: d.ApprovedBy, ApprovedAt: d.ApprovedAt}
}

type sourceDoc struct {
	Survey   string `bson:"survey,omitempty"`
	Edition  int    `bson:"edition,omitempty"`
	Version  string `bson:"version,omitempty"`
	Question string `bson:"question,omitempty"`
	Session  string `bson:"session,omitempty"`
	Activity string `bson:"activity,omitempty"`
	School   string `bson:"school,omitempty"`
	Meeting  string `bson:"meeting,omitempty"`
}

func toCodingDoc(c surveys.Coding) codingDoc {
	d := codingDoc{ThemeKeys: c.ThemeKeys(), Sentiment: string(c.Sentiment), Flag: c.Risk.Flag,
		RiskEvidence: c.Risk.Evidence, Unread: c.Unread, Codebook: c.Codebook, Themes: []themeMatchDoc{}}
	for _, t := range c.Themes {
		d.Themes = append(d.Themes, themeMatchDoc{Key: t.Key, Score: t.Score, Evidence: t.Evidence})
	}
	for _, k := range c.Risk.Kinds {
		d.RiskKinds = append(d.RiskKinds, string(k))
	}
	return d
}

func (d codingDoc) coding() surveys.Coding {
	c := surveys.Coding{Sentiment: surveys.Sentiment(d.Sentiment), Unread: d.Unread, Codebook: d.Codebook,
		Risk: surveys.Risk{Flag: d.Flag, Evidence: d.RiskEvidence}}
	for _, t := range d.Themes {
		c.Themes = append(c.Themes, surveys.ThemeMatch{Key: t.Key, Score: t.Score, Evidence: t.Evidence})
	}
	for _, k := range d.RiskKinds {
		c.Risk.Kinds = append(c.Risk.Kinds, surveys.RiskKind(k))
	}
	return c
}

func toSourceDoc(s surveys.VoiceSource) sourceDoc {
	return sourceDoc{Survey: s.Survey, Edition: s.Edition, Version: s.Version, Question: s.Question,
		Session: s.Session, Activity: s.Activity, School: s.School, Meeting: s.Meeting}
}

func (d sourceDoc) source() surveys.VoiceSource {
	return surveys.VoiceSource{Survey: d.Survey, Edition: d.Edition, Version: d.Version, Question: d.Question,
		Session: d.Session, Activity: d.Activity, School: d.School, Meeting: d.Meeting}
}

func toVoiceDoc(v *surveys.Voice) *voiceDoc {
	d := &voiceDoc{ID: v.ID, Channel: string(v.Channel), Source: toSourceDoc(v.Source), Text: v.Text, Lang: v.Lang,
		Day: v.Day, AgeBand: v.AgeBand, Area: v.Area, Machine: toCodingDoc(v.Machine),
		Themes: v.Themes(), Sentiment: string(v.Sentiment()), Reviewed: v.Review != nil, Quote: toQuoteDoc(v.Quote)}
	if d.Themes == nil {
		d.Themes = []string{}
	}
	if r := v.Review; r != nil {
		d.Review = &reviewDoc{Themes: r.Themes, Sentiment: string(r.Sentiment), By: r.By, At: r.At}
	}
	return d
}

func (d *voiceDoc) voice() *surveys.Voice {
	v := &surveys.Voice{ID: d.ID, Channel: surveys.Channel(d.Channel), Source: d.Source.source(), Text: d.Text,
		Lang: d.Lang, Day: d.Day, AgeBand: d.AgeBand, Area: d.Area, Machine: d.Machine.coding(), Quote: d.Quote.quote()}
	if r := d.Review; r != nil {
		v.Review = &surveys.VoiceReview{Themes: r.Themes, Sentiment: surveys.Sentiment(r.Sentiment), By: r.By, At: r.At}
	}
	return v
}

// FindVoice returns the voice with the id, or ENOTFOUND.
func (vs *VoiceStore) FindVoice(ctx context.Context, id string) (*surveys.Voice, error) {
	var d voiceDoc
	err := vs.db.col(colVoices).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	switch {
	case isNotFound(err):
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no such comment.")
	case err != nil:
		return nil, fmt.Errorf("read voice: %w", err)
	}
	return d.voice(), nil
}

// FindVoices returns the voices matching f, newest day first, then by id.
func (vs *VoiceStore) FindVoices(ctx context.Context, f surveys.VoiceFilter) ([]*surveys.Voice, error) {
	q := bson.D{}
	eq := func(field, value string) {
		if value != "" {
			q = append(q, bson.E{Key: field, Value: value})
		}
	}
	eq("channel", string(f.Channel))
	eq("source.survey", f.Survey)
	eq("source.question", f.Question)
	eq("themes", f.Theme) // matches an element of the array
	eq("sentiment", string(f.Sentiment))
	eq("area", f.Area)
	eq("age_band", f.AgeBand)
	if f.Unreviewed {
		q = append(q, bson.E{Key: "reviewed", Value: false})
	}
	if f.Reviewed {
		q = append(q, bson.E{Key: "reviewed", Value: true})
	}
	eq("quote.status", string(f.Quotes))
	day := bson.D{}
	if f.From != "" {
		day = append(day, bson.E{Key: "$gte", Value: f.From})
	}
	if f.To != "" {
		day = append(day, bson.E{Key: "$lte", Value: f.To})
	}
	if len(day) > 0 {
		q = append(q, bson.E{Key: "day", Value: day})
	}
	cur, err := vs.db.col(colVoices).Find(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find voices: %w", err)
	}
	var docs []*voiceDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read voices: %w", err)
	}
	// Sorted here rather than by the database: the embedded server sorts
	// in memory either way, and the order must not depend on the server.
	sortNewestDay(docs, func(d *voiceDoc) (string, string) { return d.Day, d.ID })
	out := make([]*surveys.Voice, 0, len(docs))
	started := f.After == ""
	for _, d := range docs {
		if !started {
			started = d.ID == f.After
			continue
		}
		out = append(out, d.voice())
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out, nil
}

// sortNewestDay sorts documents by day, newest first, then by id, so that
// lists come in the same order from either server.
func sortNewestDay[T any](docs []T, key func(T) (day, id string)) {
	sort.Slice(docs, func(i, j int) bool {
		di, ii := key(docs[i])
		dj, ij := key(docs[j])
		if di != dj {
			return di > dj
		}
		return ii < ij
	})
}

// ReviewVoices sets each voice's review, one write per voice by _id.
func (vs *VoiceStore) ReviewVoices(ctx context.Context, ids []string, reviews map[string]surveys.VoiceReview) (int, error) {
	n := 0
	for _, id := range ids {
		r, ok := reviews[id]
		if !ok {
			continue
		}
		themes := r.Themes
		if themes == nil {
			themes = []string{}
		}
		found, err := vs.db.updateVoice(ctx, id, bson.D{{Key: "$set", Value: bson.D{
			{Key: "review", Value: reviewDoc{Themes: themes, Sentiment: string(r.Sentiment), By: r.By, At: r.At}},
			{Key: "themes", Value: themes},
			{Key: "sentiment", Value: string(r.Sentiment)},
			{Key: "reviewed", Value: true},
		}}})
		if err != nil {
			return n, fmt.Errorf("review voice: %w", err)
		}
		if found {
			n++
		}
	}
	return n, nil
}

// SetQuote sets or removes a voice's quote.
func (vs *VoiceStore) SetQuote(ctx context.Context, id string, q *surveys.Quote) error {
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "quote", Value: toQuoteDoc(q)}}}}
	if q == nil {
		update = bson.D{{Key: "$unset", Value: bson.D{{Key: "quote", Value: ""}}}}
	}
	found, err := vs.db.updateVoice(ctx, id, update)
	if err != nil {
		return fmt.Errorf("set quote: %w", err)
	}
	if !found {
		return surveys.Errorf(surveys.ENOTFOUND, "There is no such comment.")
	}
	return nil
}

// AddVoices stores voices of the other channels, as the committer stores
// a survey's.
func (vs *VoiceStore) AddVoices(ctx context.Context, voices []*surveys.Voice) error {
	return vs.db.insertVoices(ctx, voices)
}

// insertVoices writes voices, the flags of the flagged ones and their
// digests, ignoring voices stored already (their ids come from their
// responses', so a retry makes the same ones).
func (d *DB) insertVoices(ctx context.Context, voices []*surveys.Voice) error {
	if len(voices) == 0 {
		return nil
	}
	d.digestMu.Lock()
	defer d.digestMu.Unlock()
	var docs []*voiceDoc
	var flags []any
	for _, v := range voices {
		docs = append(docs, toVoiceDoc(v))
		if v.Machine.Risk.Flag {
			flags = append(flags, toFlagDoc(surveys.FlagOf(v)))
		}
	}
	if err := d.placeDigests(ctx, docs); err != nil {
		return err
	}
	// Flags first: should the voices' write fail, a retry writes both, and
	// a worry is never without its flag.
	if len(flags) > 0 {
		_, err := d.col(colFlags).InsertMany(ctx, flags, options.InsertMany().SetOrdered(false))
		if _, failed, clear := classifyInsert(err); !clear || len(failed) > 0 {
			return fmt.Errorf("insert flags: %w", err)
		}
	}
	all := make([]any, len(docs))
	for i, doc := range docs {
		all[i] = doc
	}
	_, err := d.col(colVoices).InsertMany(ctx, all, options.InsertMany().SetOrdered(false))
	stored, failed, clear := classifyInsert(err)
	if !clear || len(failed) > 0 {
		return fmt.Errorf("insert voices: %w", err)
	}
	// A voice stored before may have been reviewed or quoted since, so its
	// digest is rewritten from what is stored: that also heals a retry
	// whose first try stored the voices but not their digests.
	var fresh []*voiceDoc
	for i, doc := range docs {
		if !stored[i] {
			fresh = append(fresh, doc)
		} else if _, err := d.updateVoiceLocked(ctx, doc.ID, nil); err != nil {
			return err
		}
	}
	return d.writeDigests(ctx, fresh)
}
