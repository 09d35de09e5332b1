package surveys

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// What a retention run does (docs/retention.md says it for people):
//
//   - A closed survey whose period after closing has passed loses its
//     stored responses, its access codes and the raw words of its
//     comments. A comment with an approved quote is kept as that quote
//     (the redacted words an analyst approved) with its coding; any other
//     comment is deleted. Tallies and the comments' digests stay, so the
//     results, the theme summary and the board report give the same
//     figures afterwards. The survey is then marked Retained: it cannot
//     open again, and later runs pass it by.
//   - A request to talk goes ContactMonths after a lead's last decision on
//     it; one nobody has decided on stays.
//   - A safeguarding flag goes SafeguardingMonths after a lead's last
//     decision on it; an unresolved one stays.
//
// Live sessions' posts and school council meetings' records are not
// touched: their words are also in the session's log and the meeting's
// record, which have no period yet (docs/retention.md).

// RetentionKind names a kind of record a retention run deletes or reduces.
type RetentionKind string

// Kinds of record, in the order reports give them.
const (
	RetainResponses RetentionKind = "responses"    // stored responses of a survey
	RetainComments  RetentionKind = "comments"     // comments deleted
	RetainQuotes    RetentionKind = "quotes"       // comments reduced to their approved quote
	RetainCodes     RetentionKind = "access_codes" // access codes and their batches
	RetainContacts  RetentionKind = "contacts"     // requests to talk
	RetainFlags     RetentionKind = "flags"        // safeguarding flags
)

// RetentionKinds lists the kinds in the order reports give them.
var RetentionKinds = []RetentionKind{RetainResponses, RetainComments, RetainQuotes, RetainCodes, RetainContacts, RetainFlags}

// retentionBatch bounds the ids one delete names, so that each write is
// short: on the embedded server a delete by a list of ids still reads the
// whole collection, and the committer waits for it.
const retentionBatch = 500

// RetentionRecord is a request to talk or a flag as retention sees it:
// its id and when a lead last decided on it.
type RetentionRecord struct {
	ID      string
	Decided time.Time
}

// RetentionStore is what retention needs of storage: lists of ids to
// delete, and deleting by id. Deleting exactly the ids listed makes a dry
// run count what a run deletes. Each Delete returns how many it deleted;
// ids already gone are skipped.
type RetentionStore interface {
	// ResponseIDs returns the ids of the survey's stored responses.
	ResponseIDs(ctx context.Context, survey string) ([]string, error)
	// SurveyVoices returns the comments of the survey's responses.
	SurveyVoices(ctx context.Context, survey string) ([]*Voice, error)
	// CodeIDs returns the hashes of the survey's access codes and the ids
	// of its batches of codes.
	CodeIDs(ctx context.Context, survey string) (codes, batches []string, err error)
	// DecidedContacts returns the requests to talk a lead has decided on.
	DecidedContacts(ctx context.Context) ([]RetentionRecord, error)
	// DecidedFlags returns the flags a lead has decided on.
	DecidedFlags(ctx context.Context) ([]RetentionRecord, error)

	DeleteResponses(ctx context.Context, ids []string) (int, error)
	// ForgetVoices deletes comments but keeps their digests, so that the
	// theme summary still counts them, and their flags, which follow
	// their own period.
	ForgetVoices(ctx context.Context, ids []string) (int, error)
	// ReduceVoices writes each voice's text and machine coding over the
	// stored voice with its id, keeping its digest.
	ReduceVoices(ctx context.Context, voices []*Voice) (int, error)
	// DeleteCodes deletes access codes by hash and code batches by id;
	// it returns how many codes it deleted.
	DeleteCodes(ctx context.Context, codes, batches []string) (int, error)
	DeleteContacts(ctx context.Context, ids []string) (int, error)
	DeleteFlags(ctx context.Context, ids []string) (int, error)
}

// Retention deletes what has been kept long enough: see the top of this
// file. Now is injected so that tests can move the clock on.
type Retention struct {
	Store    RetentionStore
	Surveys  SurveyStore
	Settings *SettingsService
	Audit    *AuditLog
	Now      func() time.Time
}

// SurveyRetention is what a run takes, or would take, from one survey.
type SurveyRetention struct {
	Slug      string
	Closed    time.Time // when it closed (Survey.ClosedSince)
	Months    int       // its period: its own, or the council's
	Due       time.Time // Closed plus Months
	Responses int
	Comments  int // comments deleted
	Quotes    int // comments reduced to their approved quote
	Codes     int // access codes
}

// RetentionReport says what a run deleted or, dry, would delete.
type RetentionReport struct {
	DryRun   bool
	At       time.Time
	Policy   RetentionPolicy // the council's periods in force
	Surveys  []SurveyRetention
	Contacts int
	Flags    int
}

// Count returns how many records of a kind the run took.
func (r *RetentionReport) Count(kind RetentionKind) int {
	n := 0
	switch kind {
	case RetainContacts:
		return r.Contacts
	case RetainFlags:
		return r.Flags
	}
	for _, s := range r.Surveys {
		n += s.count(kind)
	}
	return n
}

// Total returns how many records of every kind the run took.
func (r *RetentionReport) Total() int {
	n := 0
	for _, k := range RetentionKinds {
		n += r.Count(k)
	}
	return n
}

func (s *SurveyRetention) count(kind RetentionKind) int {
	switch kind {
	case RetainResponses:
		return s.Responses
	case RetainComments:
		return s.Comments
	case RetainQuotes:
		return s.Quotes
	case RetainCodes:
		return s.Codes
	}
	return 0
}

// ClosedSince returns when s closed, for retention to count from. A
// survey closed before Heard recorded the moment falls back to its
// closing time, or else its last change: both are at or after the real
// moment (an analyst may close a survey before its closing time, and a
// change after closing moves Updated on), so the answers are kept at
// least as long as the period says. Zero when s is not closed.
func (s *Survey) ClosedSince() time.Time {
	switch {
	case s.Status != StatusClosed:
		return time.Time{}
	case !s.ClosedAt.IsZero():
		return s.ClosedAt
	case !s.Closes.IsZero():
		return s.Closes
	}
	return s.Updated
}

// RetentionDue returns when s's answers are due to go under the council's
// policy p, and whether s is closed (an open or draft survey has no date).
func (s *Survey) RetentionDue(p RetentionPolicy) (time.Time, bool) {
	closed := s.ClosedSince()
	if closed.IsZero() {
		return time.Time{}, false
	}
	return closed.AddDate(0, s.retentionMonths(p), 0), true
}

// retentionMonths is s's own period, or else the council's.
func (s *Survey) retentionMonths(p RetentionPolicy) int {
	if s.RetentionMonths != 0 {
		return s.RetentionMonths
	}
	return p.Effective().ResponseMonths
}

// ReducedVoice returns what retention keeps of a comment with an
// approved quote: the quote's redacted words in place of the raw text,
// and its coding without the evidence (words picked out of the raw text).
// It reports false when v has no approved quote, or is reduced already.
func ReducedVoice(v *Voice) (*Voice, bool) {
	if v.Quote == nil || v.Quote.Status != QuoteApproved {
		return nil, false
	}
	r := *v
	r.Text = v.Quote.Text
	changed := r.Text != v.Text || len(v.Machine.Risk.Evidence) > 0
	r.Machine.Risk.Evidence = nil
	r.Machine.Themes = make([]ThemeMatch, len(v.Machine.Themes))
	for i, t := range v.Machine.Themes {
		changed = changed || len(t.Evidence) > 0
		t.Evidence = nil
		r.Machine.Themes[i] = t
	}
	return &r, changed
}

// Run works out what is due now and, unless dryRun, deletes it and
// records one audit entry for each kind it took anything of (with the
// counts, never any words). A dry run changes nothing and reports what a
// run would take. A run that fails part way still records what it took
// before it failed, and the next run finishes the rest.
func (rt *Retention) Run(ctx context.Context, dryRun bool) (*RetentionReport, error) {
	st, err := rt.Settings.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("retention: %w", err)
	}
	rep := &RetentionReport{DryRun: dryRun, At: rt.Now().UTC(), Policy: st.Retention.Effective()}
	err = rt.take(ctx, rep)
	if !dryRun {
		err = errors.Join(err, rt.record(ctx, rep))
	}
	return rep, err
}

// take deletes (or, dry, counts) what is due, adding it to rep as it goes.
func (rt *Retention) take(ctx context.Context, rep *RetentionReport) error {
	closed, err := rt.Surveys.FindSurveys(ctx, SurveyFilter{Status: StatusClosed})
	if err != nil {
		return fmt.Errorf("retention: %w", err)
	}
	for _, s := range closed {
		due, ok := s.RetentionDue(rep.Policy)
		if !ok || !s.Retained.IsZero() || rep.At.Before(due) {
			continue
		}
		sr, err := rt.survey(ctx, s, due, rep)
		rep.Surveys = append(rep.Surveys, sr)
		if err != nil {
			return err
		}
	}
	rep.Contacts, err = rt.records(ctx, rt.Store.DecidedContacts, rt.Store.DeleteContacts, rep, rep.Policy.ContactMonths)
	if err != nil {
		return fmt.Errorf("retention of requests to talk: %w", err)
	}
	rep.Flags, err = rt.records(ctx, rt.Store.DecidedFlags, rt.Store.DeleteFlags, rep, rep.Policy.SafeguardingMonths)
	if err != nil {
		return fmt.Errorf("retention of safeguarding flags: %w", err)
	}
	return nil
}

// survey takes what is due from one survey: comments first (the raw words
// matter most), then responses and codes, and marks the survey retained
// last, so that a run stopped part way is finished by the next.
func (rt *Retention) survey(ctx context.Context, s *Survey, due time.Time, rep *RetentionReport) (SurveyRetention, error) {
	sr := SurveyRetention{Slug: s.Slug, Closed: s.ClosedSince(), Months: s.retentionMonths(rep.Policy), Due: due}
	fail := func(what string, err error) (SurveyRetention, error) {
		return sr, fmt.Errorf("retention of %q: %s: %w", s.Slug, what, err)
	}
	voices, err := rt.Store.SurveyVoices(ctx, s.Slug)
	if err != nil {
		return fail("read comments", err)
	}
	var reduce []*Voice
	var forget []string
	for _, v := range voices {
		if r, changed := ReducedVoice(v); r != nil {
			if changed {
				reduce = append(reduce, r)
			}
			continue
		}
		forget = append(forget, v.ID)
	}
	responses, err := rt.Store.ResponseIDs(ctx, s.Slug)
	if err != nil {
		return fail("read responses", err)
	}
	codes, batches, err := rt.Store.CodeIDs(ctx, s.Slug)
	if err != nil {
		return fail("read access codes", err)
	}
	if rep.DryRun {
		sr.Quotes, sr.Comments, sr.Responses, sr.Codes = len(reduce), len(forget), len(responses), len(codes)
		return sr, nil
	}
	for _, b := range chunks(reduce) {
		n, err := rt.Store.ReduceVoices(ctx, b)
		sr.Quotes += n
		if err != nil {
			return fail("reduce comments to quotes", err)
		}
	}
	if sr.Comments, err = inBatches(ctx, forget, rt.Store.ForgetVoices); err != nil {
		return fail("delete comments", err)
	}
	if sr.Responses, err = inBatches(ctx, responses, rt.Store.DeleteResponses); err != nil {
		return fail("delete responses", err)
	}
	for i, b := range chunks(codes) {
		var bs []string
		if i == 0 {
			bs = batches // the few batches go with the first codes
		}
		n, err := rt.Store.DeleteCodes(ctx, b, bs)
		sr.Codes += n
		if err != nil {
			return fail("delete access codes", err)
		}
	}
	if len(codes) == 0 && len(batches) > 0 {
		if _, err := rt.Store.DeleteCodes(ctx, nil, batches); err != nil {
			return fail("delete access code batches", err)
		}
	}
	// ClosedAt is set to what retention counted from, so that a survey
	// closed before Heard recorded it keeps its period (and its board
	// report's) when this change moves Updated on.
	retained, closed := rep.At, sr.Closed
	_, err = rt.Surveys.UpdateSurvey(ctx, s.Slug, s.Revision, SurveyUpdate{Retained: &retained, ClosedAt: &closed, At: rep.At})
	if err != nil && ErrorCode(err) != ECONFLICT {
		// On ECONFLICT someone changed it meanwhile (opened it again,
		// say): it is left unmarked, and the next run looks again.
		return fail("mark as retained", err)
	}
	return sr, nil
}

// records takes the requests to talk or flags decided on at least months
// ago, and returns how many.
func (rt *Retention) records(ctx context.Context, list func(context.Context) ([]RetentionRecord, error),
	del func(context.Context, []string) (int, error), rep *RetentionReport, months int) (int, error) {
	all, err := list(ctx)
	if err != nil {
		return 0, err
	}
	var due []string
	for _, r := range all {
		if !rep.At.Before(r.Decided.AddDate(0, months, 0)) {
			due = append(due, r.ID)
		}
	}
	if rep.DryRun {
		return len(due), nil
	}
	return inBatches(ctx, due, del)
}

// chunks splits a list into batches of at most retentionBatch.
func chunks[T any](list []T) [][]T {
	var out [][]T
	for len(list) > 0 {
		n := min(len(list), retentionBatch)
		out = append(out, list[:n])
		list = list[n:]
	}
	return out
}

// inBatches deletes ids a batch at a time and returns how many went.
func inBatches(ctx context.Context, ids []string, del func(context.Context, []string) (int, error)) (int, error) {
	total := 0
	for _, b := range chunks(ids) {
		n, err := del(ctx, b)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// record writes one audit entry for each kind the run took anything of.
func (rt *Retention) record(ctx context.Context, rep *RetentionReport) error {
	p := rep.Policy
	for _, k := range RetentionKinds {
		n := rep.Count(k)
		if n == 0 {
			continue
		}
		var detail string
		switch k {
		case RetainContacts:
			detail = fmt.Sprintf("%d deleted, decided on more than %d months ago", n, p.ContactMonths)
		case RetainFlags:
			detail = fmt.Sprintf("%d deleted, decided on more than %d months ago", n, p.SafeguardingMonths)
		case RetainQuotes:
			detail = fmt.Sprintf("%d kept only as their approved quotes: %s", n, perSurvey(rep, k))
		default:
			detail = fmt.Sprintf("%d deleted: %s", n, perSurvey(rep, k))
		}
		if err := rt.Audit.Record(ctx, AuditRetentionRun, string(k), detail); err != nil {
			return err
		}
	}
	return nil
}

// perSurvey lists each survey's count of a kind, "cared-for-2024 120,
// leavers-2024 14", by slug.
func perSurvey(rep *RetentionReport, kind RetentionKind) string {
	list := slices.Clone(rep.Surveys)
	slices.SortFunc(list, func(a, b SurveyRetention) int { return strings.Compare(a.Slug, b.Slug) })
	var parts []string
	for _, s := range list {
		if n := s.count(kind); n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", s.Slug, n))
		}
	}
	return strings.Join(parts, ", ")
}
