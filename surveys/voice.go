package surveys

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Channel is where a voice was heard.
type Channel string

// Channels.
const (
	ChannelSurvey        Channel = "survey"
	ChannelSession       Channel = "session"
	ChannelSchoolCouncil Channel = "school_council"
)

// Channels lists every channel.
var Channels = []Channel{ChannelSurvey, ChannelSession, ChannelSchoolCouncil}

// Valid reports whether c is a channel Heard knows.
func (c Channel) Valid() bool {
	return c == ChannelSurvey || c == ChannelSession || c == ChannelSchoolCouncil
}

// VoiceSource says what a voice answered: a survey's question, or (later)
// a live session's activity or a school council's meeting.
type VoiceSource struct {
	Survey   string
	Edition  int
	Version  string
	Question string
	Session  string
	Activity string
	School   string
	Meeting  string // a school council meeting's id; Activity is then its item
}

// Voice is one piece of free text a young person wrote, with the machine's
// coding and, once a person has checked it, their review. It carries no
// more than the answer it came from: the day, and the age band and area
// where the source knows them.
type Voice struct {
	ID      string
	Channel Channel
	Source  VoiceSource
	Text    string
	Lang    string
	Day     string // "2006-01-02"
	AgeBand string // "8-11", or "" when the source does not know
	Area    string // an area of the borough, or ""
	Machine Coding
	Review  *VoiceReview // nil until a person has checked the coding
	Quote   *Quote       // nil unless an analyst made it a quote
}

// VoiceReview is a person's decision on a voice's themes and sentiment.
type VoiceReview struct {
	Themes    []string
	Sentiment Sentiment
	By        string
	At        time.Time
}

// Themes returns the theme keys in force: the reviewer's, or else the
// machine's.
func (v *Voice) Themes() []string {
	if v.Review != nil {
		return v.Review.Themes
	}
	return v.Machine.ThemeKeys()
}

// Sentiment returns the sentiment in force.
func (v *Voice) Sentiment() Sentiment {
	if v.Review != nil {
		return v.Review.Sentiment
	}
	return v.Machine.Sentiment
}

// VoiceID is the id of the voice of one answer. It is the same for a
// retried response, so that a voice is stored once, and it cannot be
// turned back into the response's id.
func VoiceID(channel Channel, parts ...string) string {
	h := sha256.Sum256([]byte(string(channel) + "\x00" + strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:16])
}

// AgeBandOf returns a version's age band as "8-11", "16+" or "" when the
// version gives no ages.
func AgeBandOf(v *Version) string {
	switch {
	case v.AgeMin != nil && v.AgeMax != nil:
		return strconv.Itoa(*v.AgeMin) + "-" + strconv.Itoa(*v.AgeMax)
	case v.AgeMin != nil:
		return strconv.Itoa(*v.AgeMin) + "+"
	case v.AgeMax != nil:
		return "up to " + strconv.Itoa(*v.AgeMax)
	}
	return ""
}

// AreaQuestion is the key of the breakdown question whose answer is the
// area of the borough a young person lives in, when a survey asks it.
const AreaQuestion = "area"

// VoicesOf codes every text answer of r, a response to version v of s, as
// a voice. The area is the English label of the answer to the survey's
// "area" breakdown question, when it has one and it was answered.
func VoicesOf(s *Survey, v *Version, r *Response, coder Coder) []*Voice {
	area := ""
	if q := v.Question(AreaQuestion); q != nil && q.Breakdown {
		if a, ok := r.Answers[q.Key]; ok {
			if c := q.Choice(a.Choice); c != nil {
				area = c.Label.In(DefaultLanguage)
			}
		}
	}
	channel, school := ChannelSurvey, ""
	if s.School != "" {
		// A school council's pupil survey: its comments are the school's,
		// in the school's area.
		channel, school, area = ChannelSchoolCouncil, s.School, s.Area
	}
	var voices []*Voice
	for i := range v.Questions {
		q := &v.Questions[i]
		a, ok := r.Answers[q.Key]
		if q.Type != FreeText || !ok || strings.TrimSpace(a.Text) == "" {
			continue
		}
		voices = append(voices, &Voice{
			ID:      VoiceID(ChannelSurvey, r.ID, q.Key),
			Channel: channel,
			Source:  VoiceSource{Survey: s.Slug, Edition: s.Edition, Version: v.Key, Question: q.Key, School: school},
			Text:    a.Text,
			Lang:    r.Lang,
			Day:     r.Day,
			AgeBand: AgeBandOf(v),
			Area:    area,
			Machine: coder.Code(a.Text, r.Lang),
		})
	}
	return voices
}

// Flagged reports whether any of the voices suggests its young person may
// not be safe.
func Flagged(voices []*Voice) bool {
	for _, v := range voices {
		if v.Machine.Risk.Flag {
			return true
		}
	}
	return false
}

// VoiceFilter selects voices; a zero field matches everything.
type VoiceFilter struct {
	Channel    Channel
	Survey     string
	Question   string
	Theme      string // in force: reviewed, or else the machine's
	Sentiment  Sentiment
	Unreviewed bool
	Reviewed   bool        // only voices a person has reviewed
	Quotes     QuoteStatus // only voices with a quote of this status
	From, To   string      // days, inclusive, "2006-01-02"
	Area       string
	AgeBand    string
	Limit      int    // 0: no limit
	After      string // the id to page on from
}

// VoiceStore keeps voices. A survey's voices are stored with its responses
// by the ResponseStore; the other channels add theirs here.
type VoiceStore interface {
	// FindVoice returns the voice with the id, or ENOTFOUND.
	FindVoice(ctx context.Context, id string) (*Voice, error)
	// AddVoices stores voices heard outside surveys, with the flags of
	// those the detector flagged, flags first. A voice stored already (the
	// same id) is left as it is, so that a retry stores each voice once.
	AddVoices(ctx context.Context, voices []*Voice) error
	// FindVoices returns the voices matching f, newest day first, then by
	// id.
	FindVoices(ctx context.Context, f VoiceFilter) ([]*Voice, error)
	// ReviewVoices sets the review of each voice with one of the ids, and
	// returns how many it found.
	ReviewVoices(ctx context.Context, ids []string, reviews map[string]VoiceReview) (int, error)
	// SetQuote sets (or, with nil, removes) a voice's quote, or fails with
	// ENOTFOUND.
	SetQuote(ctx context.Context, id string, q *Quote) error
	// EachVoiceDigest calls f with the digest of every voice heard from
	// day from to day to, inclusive, in no particular order, and stops at
	// f's first error. The digest is f's only while it runs: a summary
	// counts a year's comments without holding them all at once. The store
	// keeps each voice's digest up to date as the voice is stored,
	// reviewed or quoted.
	EachVoiceDigest(ctx context.Context, from, to string, f func(*VoiceDigest) error) error
	// DeleteVoices removes the voices with the ids, and their digests, so
	// that no summary counts them; ids that are not voices are skipped.
	// Their flags stay: a safeguarding record is the safeguarding lead's.
	DeleteVoices(ctx context.Context, ids []string) error
}

// Match reports whether v is selected by f (the stores' filter, in Go, for
// the tests and for stores that filter in memory).
func (f VoiceFilter) Match(v *Voice) bool {
	switch {
	case f.Channel != "" && v.Channel != f.Channel,
		f.Survey != "" && v.Source.Survey != f.Survey,
		f.Question != "" && v.Source.Question != f.Question,
		f.Sentiment != "" && v.Sentiment() != f.Sentiment,
		f.Unreviewed && v.Review != nil,
		f.Reviewed && v.Review == nil,
		f.Quotes != "" && (v.Quote == nil || v.Quote.Status != f.Quotes),
		f.From != "" && v.Day < f.From,
		f.To != "" && v.Day > f.To,
		f.Area != "" && v.Area != f.Area,
		f.AgeBand != "" && v.AgeBand != f.AgeBand:
		return false
	}
	if f.Theme != "" {
		for _, k := range v.Themes() {
			if k == f.Theme {
				return true
			}
		}
		return false
	}
	return true
}

// String names a voice's source for people: "cared-for-2026 / 11-18 /
// worries".
func (s VoiceSource) String() string {
	var parts []string
	for _, p := range []string{s.Survey, s.Version, s.Question, s.Session, s.School, s.Meeting, s.Activity} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " / ")
}

// checkReview checks a person's review of a voice against the codebook.
func checkReview(cb *Codebook, themes []string, s Sentiment) error {
	errs := fieldErrors{}
	if len(themes) > MaxCodedThemes {
		errs.add("themes", fmt.Sprintf("has %d themes; a voice has at most %d", len(themes), MaxCodedThemes))
	}
	seen := map[string]bool{}
	for _, k := range themes {
		if cb.Theme(k) == nil {
			errs.add("themes", fmt.Sprintf("%q is not a theme of the codebook", k))
		}
		if seen[k] {
			errs.add("themes", fmt.Sprintf("%q is given twice", k))
		}
		seen[k] = true
	}
	if !s.Valid() {
		errs.add("sentiment", "must be positive, negative, mixed or neutral")
	}
	return errs.err("The review has mistakes.")
}

// MaxReviewBatch is how many voices one review may change at once.
const MaxReviewBatch = 200

// Voices is the review of voices by a person: reading them (recorded in
// the audit log, as every read of young people's words is) and setting
// their themes and sentiment, one by one or many at once.
type Voices struct {
	Store  VoiceStore
	Themes *Themes
	Audit  *AuditLog
	Now    func() time.Time
}

// Find returns the voices matching f, and records the read.
func (vs *Voices) Find(ctx context.Context, f VoiceFilter) ([]*Voice, error) {
	voices, err := vs.Store.FindVoices(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("find voices: %w", err)
	}
	if err := vs.Audit.Record(ctx, AuditVoicesRead, f.Survey, fmt.Sprintf("%d comments", len(voices))); err != nil {
		return nil, err
	}
	return voices, nil
}

// Review sets the same themes and sentiment on each voice with one of the
// ids, keeping the machine's coding beside them. It checks the themes
// against the codebook in force and the number of voices, and changes
// nothing when either is wrong.
func (vs *Voices) Review(ctx context.Context, ids []string, themes []string, s Sentiment) (int, error) {
	errs := fieldErrors{}
	if len(ids) == 0 {
		errs.add("ids", "choose at least one comment")
	}
	if len(ids) > MaxReviewBatch {
		errs.add("ids", fmt.Sprintf("has %d comments; at most %d can be reviewed at once", len(ids), MaxReviewBatch))
	}
	if err := errs.err("The review has mistakes."); err != nil {
		return 0, err
	}
	if err := checkReview(vs.Themes.Codebook(), themes, s); err != nil {
		return 0, err
	}
	r := VoiceReview{Themes: append([]string{}, themes...), Sentiment: s, By: actorOf(ctx), At: vs.Now().UTC()}
	reviews := make(map[string]VoiceReview, len(ids))
	for _, id := range ids {
		reviews[id] = r
	}
	n, err := vs.Store.ReviewVoices(ctx, ids, reviews)
	if err != nil {
		return n, fmt.Errorf("review voices: %w", err)
	}
	if err := vs.Audit.Record(ctx, AuditVoicesReview, "", fmt.Sprintf("%d comments: %s, %s", n, strings.Join(themes, " "), s)); err != nil {
		return n, err
	}
	return n, nil
}

// Accept keeps the machine's coding of each voice as the person's review.
func (vs *Voices) Accept(ctx context.Context, ids []string) (int, error) {
	return vs.reviewEach(ctx, ids, "suggestions accepted", func(v *Voice) ([]string, Sentiment) {
		return v.Machine.ThemeKeys(), v.Machine.Sentiment
	})
}

// reviewEach reviews each voice with the themes and sentiment decide gives
// it, skipping ids that are not voices, and records one audit entry.
func (vs *Voices) reviewEach(ctx context.Context, ids []string, what string, decide func(*Voice) ([]string, Sentiment)) (int, error) {
	if len(ids) == 0 || len(ids) > MaxReviewBatch {
		return 0, FieldsError("The review has mistakes.", map[string]string{"ids": fmt.Sprintf("choose from 1 to %d comments", MaxReviewBatch)})
	}
	by, at := actorOf(ctx), vs.Now().UTC()
	reviews := make(map[string]VoiceReview, len(ids))
	for _, id := range ids {
		v, err := vs.Store.FindVoice(ctx, id)
		if ErrorCode(err) == ENOTFOUND {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("review voices: %w", err)
		}
		themes, s := decide(v)
		reviews[id] = VoiceReview{Themes: themes, Sentiment: s, By: by, At: at}
	}
	n, err := vs.Store.ReviewVoices(ctx, ids, reviews)
	if err != nil {
		return n, fmt.Errorf("review voices: %w", err)
	}
	if err := vs.Audit.Record(ctx, AuditVoicesReview, "", fmt.Sprintf("%d comments: %s", n, what)); err != nil {
		return n, err
	}
	return n, nil
}

// ThemeAgreement says how often people kept the machine's choice of a
// theme: of the reviewed voices, how many the machine gave it (Suggested),
// how many of those people kept (Kept), and how many people added it
// themselves (Added).
type ThemeAgreement struct {
	Key                    string
	Suggested, Kept, Added int
}

// Changed is the share of decisions on the theme where a person disagreed
// with the machine, from 0 to 1; -1 when there were none.
func (a ThemeAgreement) Changed() float64 {
	n := a.Suggested + a.Added
	if n == 0 {
		return -1
	}
	return float64(a.Suggested-a.Kept+a.Added) / float64(n)
}

// Agreement compares the machine's themes with people's for every reviewed
// voice, per theme, in the codebook's order.
func Agreement(cb *Codebook, voices []*Voice) []ThemeAgreement {
	byKey := map[string]*ThemeAgreement{}
	out := make([]ThemeAgreement, len(cb.Themes))
	for i, t := range cb.Themes {
		out[i].Key = t.Key
		byKey[t.Key] = &out[i]
	}
	for _, v := range voices {
		if v.Review == nil {
			continue
		}
		machine := v.Machine.ThemeKeys()
		for _, k := range machine {
			if a := byKey[k]; a != nil {
				a.Suggested++
				if contains(v.Review.Themes, k) {
					a.Kept++
				}
			}
		}
		for _, k := range v.Review.Themes {
			if a := byKey[k]; a != nil && !contains(machine, k) {
				a.Added++
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// FoldInto gives each voice the one theme a person chose for a group of
// them, keeping each voice's own sentiment (the machine's, or a person's).
func (vs *Voices) FoldInto(ctx context.Context, ids []string, theme string) (int, error) {
	if vs.Themes.Codebook().Theme(theme) == nil {
		return 0, FieldsError("The review has mistakes.", map[string]string{"themes": fmt.Sprintf("%q is not a theme of the codebook", theme)})
	}
	return vs.reviewEach(ctx, ids, "folded into "+theme, func(v *Voice) ([]string, Sentiment) {
		return []string{theme}, v.Sentiment()
	})
}
