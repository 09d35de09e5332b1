package mongo_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/coder"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/surveytest"
)

// retentionWorld is a council's Heard on a real database, with a clock
// the test moves on.
type retentionWorld struct {
	db        *mongo.DB
	clock     *stepClock
	audit     *surveys.AuditLog
	surveys   *mongo.SurveyStore
	catalog   *surveys.Catalog
	settings  *surveys.SettingsService
	voices    *surveys.Voices
	reports   *surveys.Reports
	retention *surveys.Retention
}

// retentionPolicy is short enough for a test to pass each period in turn:
// requests to talk go first, then the survey's answers, then flags.
var retentionPolicy = surveys.RetentionPolicy{ResponseMonths: 24, ContactMonths: 6, SafeguardingMonths: 30}

func newRetentionWorld(t *testing.T, db *mongo.DB) *retentionWorld {
	t.Helper()
	w := &retentionWorld{db: db, clock: newStepClock(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)), surveys: mongo.NewSurveyStore(db)}
	w.audit = newAuditLog(db, w.clock)
	w.catalog = &surveys.Catalog{Store: w.surveys, Audit: w.audit, Now: w.clock.Now}
	w.settings = &surveys.SettingsService{Store: mongo.NewSettingsStore(db), Audit: w.audit, TTL: time.Nanosecond, Now: w.clock.Now,
		Defaults: surveys.Settings{CouncilName: "Test Council", Threshold: 3, Retention: retentionPolicy}}
	themes := &surveys.Themes{Store: mongo.NewCodebookStore(db), Compile: coder.Compile, Default: coder.DefaultCodebook(), Audit: w.audit, Now: w.clock.Now}
	if err := themes.Load(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	w.voices = &surveys.Voices{Store: mongo.NewVoiceStore(db), Themes: themes, Audit: w.audit, Now: w.clock.Now}
	w.reports = &surveys.Reports{Surveys: w.surveys, Tallies: mongo.NewTallyStore(db), Settings: w.settings, Voices: w.voices,
		Audit: w.audit, Now: w.clock.Now}
	w.retention = &surveys.Retention{Store: mongo.NewRetentionStore(db), Surveys: w.surveys, Settings: w.settings, Audit: w.audit, Now: w.clock.Now}
	return w
}

// at moves the clock to a moment.
func (w *retentionWorld) at(t time.Time) {
	w.clock.mu.Lock()
	w.clock.now = t
	w.clock.mu.Unlock()
}

// run runs retention, dry or not, and fails the test on an error.
func (w *retentionWorld) run(t *testing.T, dry bool) *surveys.RetentionReport {
	t.Helper()
	rep, err := w.retention.Run(surveys.NewContextWithActor(testCtx(t), surveys.ActorSchedule), dry)
	if err != nil {
		t.Fatalf("retention run (dry %v): %v", dry, err)
	}
	return rep
}

// counts lists a report's counts by kind, for comparing runs.
func counts(rep *surveys.RetentionReport) map[surveys.RetentionKind]int {
	m := map[surveys.RetentionKind]int{}
	for _, k := range surveys.RetentionKinds {
		m[k] = rep.Count(k)
	}
	return m
}

// figures is what the results, the theme summary and the board report
// show of a survey: what retention must leave as it was.
type figures struct {
	tallies []*surveys.Tally
	summary *surveys.ThemeSummary
	board   []any // the board report's figures, without when it was made
}

func (w *retentionWorld) figures(t *testing.T, slug string) figures {
	t.Helper()
	ctx := testCtx(t)
	s, err := w.surveys.FindSurvey(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	var f figures
	if f.tallies, err = mongo.NewTallyStore(w.db).FindTallies(ctx, s); err != nil {
		t.Fatal(err)
	}
	if f.summary, err = w.voices.Summary(ctx, surveys.SummaryQuery{From: "2026-01-01", To: "2026-12-31"}, 3); err != nil {
		t.Fatal(err)
	}
	rep, err := w.reports.Board(ctx, surveys.BoardReportQuery{Survey: slug})
	if err != nil {
		t.Fatal(err)
	}
	f.board = []any{rep.Period, rep.Threshold, rep.Taking, rep.GoingWell, rep.CouldBeBetter, rep.Sections, rep.Themes}
	return f
}

// sameFigures fails unless two sets of figures are equal.
func sameFigures(t *testing.T, when string, a, b figures) {
	t.Helper()
	if len(a.tallies) != len(b.tallies) {
		t.Fatalf("%s: %d tallies, before %d", when, len(b.tallies), len(a.tallies))
	}
	for i := range a.tallies {
		if !a.tallies[i].Equal(b.tallies[i]) {
			t.Errorf("%s: the tally of %s changed", when, a.tallies[i].Version)
		}
	}
	if !reflect.DeepEqual(a.summary, b.summary) {
		t.Errorf("%s: the theme summary changed:\nbefore %+v\nafter  %+v", when, a.summary, b.summary)
	}
	for i := range a.board {
		if !reflect.DeepEqual(a.board[i], b.board[i]) {
			t.Errorf("%s: the board report's figure %d changed:\nbefore %+v\nafter  %+v", when, i, a.board[i], b.board[i])
		}
	}
}

// retentionComments are the comments the test's young people write, two
// of each, with the quote an analyst approves of some.
var retentionComments = []struct{ text, quote string }{
	{"the buses r always late to Kirkby", "the buses are always late to [place]"},
	{"my foster carers Jan and Bob are boss", "my foster carers [names] are boss"},
	{"nobody listens to me at my reviews", ""},
	{"i want more clubs and football", ""},
	{"i want to kill myself", ""},
	{"my social worker keeps changing", ""},
}

// TestRetentionDeletesWhatIsDueAndKeepsTheFigures populates a survey with
// responses, comments (some quoted, some flagged), access codes and
// requests to talk, closes it and moves the clock on through each period:
// nothing goes before its time; a dry run counts exactly what the run then
// deletes; the results, the theme summary and the board report stay the
// same; each kind follows its own period, and open ones stay; the audit
// log counts each kind once per run, with no words; a second run deletes
// nothing more; and the survey cannot open again.
func TestRetentionDeletesWhatIsDueAndKeepsTheFigures(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		w := newRetentionWorld(t, db)
		s := openSurvey(t, db)
		rs := newStore(t, db)
		c, err := coder.Compile(coder.DefaultCodebook())
		if err != nil {
			t.Fatal(err)
		}
		intake := &surveys.Intake{Surveys: w.surveys, Responses: rs, Coder: c, Now: w.clock.Now}
		const n = 12
		for i := range n {
			sub := textSubmission(fmt.Sprintf("00000000-0000-4000-8000-%012d", 100+i), fmt.Sprintf("%q", retentionComments[i%len(retentionComments)].text))
			if _, err := intake.Submit(ctx, s.Slug, sub); err != nil {
				t.Fatal(err)
			}
		}
		// Two responses with no comment.
		for i := range 2 {
			sub := textSubmission(fmt.Sprintf("00000000-0000-4000-8000-%012d", 200+i), `""`)
			delete(sub.Answers, "better")
			if _, err := intake.Submit(ctx, s.Slug, sub); err != nil {
				t.Fatal(err)
			}
		}
		if err := rs.Close(ctx); err != nil { // every batch counted in the tallies
			t.Fatal(err)
		}
		vs := mongo.NewVoiceStore(db)
		all, err := vs.FindVoices(ctx, surveys.VoiceFilter{Survey: s.Slug})
		if err != nil || len(all) != n {
			t.Fatalf("%d voices (%v), want %d", len(all), err, n)
		}
		// An analyst approves a quote of one of each of the first two
		// comments, and leaves one pending on the third.
		approved := map[string]string{} // voice id: its quote
		pending := ""
		for _, v := range all {
			for _, rc := range retentionComments[:2] {
				if v.Text == rc.text && !containsValue(approved, rc.quote) {
					approved[v.ID] = rc.quote
					q := &surveys.Quote{Text: rc.quote, Status: surveys.QuoteApproved, By: "ana@council.gov.uk", At: w.clock.Now(),
						ApprovedBy: "ana@council.gov.uk", ApprovedAt: w.clock.Now()}
					if err := vs.SetQuote(ctx, v.ID, q); err != nil {
						t.Fatal(err)
					}
				}
			}
			if v.Text == retentionComments[2].text && pending == "" {
				pending = v.ID
				if err := vs.SetQuote(ctx, v.ID, &surveys.Quote{Text: v.Text, Status: surveys.QuotePending, Restored: 1, By: "ana@council.gov.uk"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Both worrying comments are flagged; a lead decides on one.
		flagStore := mongo.NewFlagStore(db)
		flags, err := flagStore.FindFlags(ctx, surveys.FlagFilter{})
		if err != nil || len(flags) != 2 {
			t.Fatalf("%d flags (%v), want 2", len(flags), err)
		}
		resolved, unresolved := flags[0].ID, flags[1].ID
		if _, err := flagStore.AddDecision(ctx, resolved, surveys.FlagDecision{Outcome: surveys.OutcomeReferred, Note: "Rang the social worker",
			By: "lead@council.gov.uk", At: w.clock.Now()}); err != nil {
			t.Fatal(err)
		}
		// Two requests to talk; a lead decides on one.
		contacts := newContacts(t, db, w.clock.Now)
		handled, err := contacts.Request(ctx, s.Slug, surveys.ContactInput{Name: "Sam", Reach: "07700 900123"})
		if err != nil {
			t.Fatal(err)
		}
		open, err := contacts.Request(ctx, s.Slug, surveys.ContactInput{Name: "Alex", Reach: "through my carer"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mongo.NewContactStore(db).AddDecision(ctx, handled.ID, surveys.SealedDecision{Outcome: surveys.OutcomeNoConcern,
			By: "lead@council.gov.uk", At: w.clock.Now()}); err != nil {
			t.Fatal(err)
		}
		// A batch of access codes, two of them spent.
		codeStore := mongo.NewCodeStore(db)
		batch := &surveys.CodeBatch{ID: "batch-1", Survey: s.Slug, Label: "Kirkby team", Count: 3, Created: w.clock.Now()}
		if err := codeStore.CreateCodeBatch(ctx, batch, []string{"hash-a", "hash-b", "hash-c"}, "secret"); err != nil {
			t.Fatal(err)
		}

		w.at(time.Date(2026, 12, 1, 17, 0, 0, 0, time.UTC))
		closed, err := w.catalog.SetStatus(ctx, s.Slug, surveys.StatusClosed)
		if err != nil {
			t.Fatal(err)
		}
		if !closed.ClosedAt.Equal(w.clock.Now()) {
			t.Fatalf("ClosedAt is %v, want %v", closed.ClosedAt, w.clock.Now())
		}
		before := w.figures(t, s.Slug)

		// Before any period has passed: nothing is due, and a run deletes
		// nothing and records nothing.
		w.at(time.Date(2027, 5, 22, 12, 0, 0, 0, time.UTC))
		if rep := w.run(t, true); rep.Total() != 0 || len(rep.Surveys) != 0 {
			t.Fatalf("dry run before any period: %v, surveys %+v", counts(rep), rep.Surveys)
		}
		if rep := w.run(t, false); rep.Total() != 0 {
			t.Fatalf("run before any period: %v", counts(rep))
		}
		if got := auditOf(t, w.audit, surveys.AuditRetentionRun, ""); len(got) != 0 {
			t.Fatalf("a run that deleted nothing recorded %d entries", len(got))
		}

		// Six months after the lead's decision: the handled request to
		// talk goes; the open one stays.
		w.at(time.Date(2027, 5, 24, 12, 0, 0, 0, time.UTC))
		dry := w.run(t, true)
		want := map[surveys.RetentionKind]int{surveys.RetainContacts: 1}
		assertCounts(t, "dry run at six months", dry, want)
		assertCounts(t, "run at six months", w.run(t, false), want)
		if _, err := mongo.NewContactStore(db).FindContact(ctx, handled.ID); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("the handled request to talk is still there (%v)", err)
		}
		if _, err := mongo.NewContactStore(db).FindContact(ctx, open.ID); err != nil {
			t.Errorf("the open request to talk went: %v", err)
		}

		// A day before the survey's period ends, its answers are all there.
		w.at(time.Date(2028, 11, 30, 12, 0, 0, 0, time.UTC))
		assertCounts(t, "dry run before the survey's period", w.run(t, true), map[surveys.RetentionKind]int{})

		// After it: a dry run counts, and changes nothing.
		w.at(time.Date(2028, 12, 2, 12, 0, 0, 0, time.UTC))
		dry = w.run(t, true)
		want = map[surveys.RetentionKind]int{surveys.RetainResponses: n + 2, surveys.RetainComments: n - len(approved),
			surveys.RetainQuotes: len(approved), surveys.RetainCodes: 3}
		assertCounts(t, "dry run after the survey's period", dry, want)
		if ids, _ := mongo.NewRetentionStore(db).ResponseIDs(ctx, s.Slug); len(ids) != n+2 {
			t.Fatalf("the dry run deleted responses: %d left", len(ids))
		}
		if got, _ := vs.FindVoices(ctx, surveys.VoiceFilter{Survey: s.Slug}); len(got) != n {
			t.Fatalf("the dry run deleted comments: %d left", len(got))
		}
		if len(dry.Surveys) != 1 || dry.Surveys[0].Slug != s.Slug || dry.Surveys[0].Months != 24 {
			t.Fatalf("dry run's surveys: %+v", dry.Surveys)
		}

		// The run deletes exactly what the dry run counted.
		assertCounts(t, "run after the survey's period", w.run(t, false), want)
		if ids, err := mongo.NewRetentionStore(db).ResponseIDs(ctx, s.Slug); err != nil || len(ids) != 0 {
			t.Errorf("%d responses left (%v)", len(ids), err)
		}
		left, err := vs.FindVoices(ctx, surveys.VoiceFilter{Survey: s.Slug})
		if err != nil {
			t.Fatal(err)
		}
		if len(left) != len(approved) {
			t.Errorf("%d comments left, want the %d with approved quotes", len(left), len(approved))
		}
		for _, v := range left {
			quote, ok := approved[v.ID]
			switch {
			case !ok:
				t.Errorf("comment %s without an approved quote was kept", v.ID)
			case v.Text != quote || v.Quote == nil || v.Quote.Text != quote:
				t.Errorf("comment %s holds %q (quote %+v), want only its quote %q", v.ID, v.Text, v.Quote, quote)
			case len(v.Machine.Risk.Evidence) > 0 || strings.Contains(fmt.Sprint(v.Machine.Themes), "Kirkby") || strings.Contains(fmt.Sprint(v.Machine.Themes), "Jan"):
				t.Errorf("comment %s keeps words of the raw text in its coding: %+v", v.ID, v.Machine)
			case len(v.Themes()) == 0:
				t.Errorf("comment %s lost its coding", v.ID)
			}
		}
		if _, err := vs.FindVoice(ctx, pending); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("the comment with a pending quote is still there (%v)", err)
		}
		if codes, batches, err := mongo.NewRetentionStore(db).CodeIDs(ctx, s.Slug); err != nil || len(codes)+len(batches) != 0 {
			t.Errorf("access codes left: %v, batches %v (%v)", codes, batches, err)
		}
		// Flags follow their own period: both are still there.
		if got, err := flagStore.FindFlags(ctx, surveys.FlagFilter{}); err != nil || len(got) != 2 {
			t.Errorf("%d flags after the survey's retention (%v), want 2", len(got), err)
		}
		sameFigures(t, "after the survey's retention", before, w.figures(t, s.Slug))

		entries := auditOf(t, w.audit, surveys.AuditRetentionRun, "")
		wantDetails := map[string]string{
			"contacts":     "1 deleted, decided on more than 6 months ago",
			"responses":    fmt.Sprintf("%d deleted: %s %d", n+2, s.Slug, n+2),
			"comments":     fmt.Sprintf("%d deleted: %s %d", n-len(approved), s.Slug, n-len(approved)),
			"quotes":       fmt.Sprintf("%d kept only as their approved quotes: %s %d", len(approved), s.Slug, len(approved)),
			"access_codes": fmt.Sprintf("3 deleted: %s 3", s.Slug),
		}
		if len(entries) != len(wantDetails) {
			t.Errorf("%d audit entries, want %d: %+v", len(entries), len(wantDetails), entries)
		}
		for _, e := range entries {
			if wantDetails[e.Target] != e.Detail {
				t.Errorf("audit entry for %q says %q, want %q", e.Target, e.Detail, wantDetails[e.Target])
			}
			if e.Actor != surveys.ActorSchedule {
				t.Errorf("audit entry for %q names %q", e.Target, e.Actor)
			}
		}

		// A second run finds nothing more.
		assertCounts(t, "a second run", w.run(t, false), map[surveys.RetentionKind]int{})
		sameFigures(t, "after a second run", before, w.figures(t, s.Slug))

		// A survey whose answers went cannot open again.
		if _, err := w.catalog.SetStatus(ctx, s.Slug, surveys.StatusOpen); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("opening a retained survey again: %v, want ECONFLICT", err)
		}

		// Thirty months after the lead's decision: the resolved flag goes;
		// the unresolved one stays, however old.
		w.at(time.Date(2029, 5, 24, 12, 0, 0, 0, time.UTC))
		want = map[surveys.RetentionKind]int{surveys.RetainFlags: 1}
		assertCounts(t, "dry run at thirty months", w.run(t, true), want)
		assertCounts(t, "run at thirty months", w.run(t, false), want)
		if _, err := flagStore.FindFlag(ctx, resolved); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("the resolved flag is still there (%v)", err)
		}
		if _, err := flagStore.FindFlag(ctx, unresolved); err != nil {
			t.Errorf("the unresolved flag went: %v", err)
		}
		w.at(time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC))
		assertCounts(t, "years later", w.run(t, false), map[surveys.RetentionKind]int{})
		if _, err := mongo.NewContactStore(db).FindContact(ctx, open.ID); err != nil {
			t.Errorf("the open request to talk went: %v", err)
		}
	})
}

func containsValue(m map[string]string, v string) bool {
	for _, x := range m {
		if x == v {
			return true
		}
	}
	return false
}

// assertCounts fails unless a report's counts are want's (missing kinds
// are 0).
func assertCounts(t *testing.T, when string, rep *surveys.RetentionReport, want map[surveys.RetentionKind]int) {
	t.Helper()
	for _, k := range surveys.RetentionKinds {
		if got := rep.Count(k); got != want[k] {
			t.Errorf("%s: %d %s, want %d", when, got, k, want[k])
		}
	}
}

// TestASurveysOwnRetentionOverridesTheCouncils closes three surveys on
// the same day, with the council's period, a shorter one and a longer
// one, and checks that each falls due on its own date; and that a survey
// closed before Heard recorded when counts from its closing time.
func TestASurveysOwnRetentionOverridesTheCouncils(t *testing.T) {
	t.Parallel()
	db := openEmbedded(t)
	ctx := testCtx(t)
	w := newRetentionWorld(t, db)
	for _, sv := range []struct {
		slug   string
		months int
	}{{"council-period", 0}, {"shorter", 3}, {"longer", 36}} {
		d := surveytest.Definition(t)
		d.Slug = sv.slug
		s, err := w.catalog.Create(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.catalog.SetSchedule(ctx, s.Slug, s.Revision, surveys.Schedule{RetentionMonths: sv.months}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.catalog.SetStatus(ctx, s.Slug, surveys.StatusOpen); err != nil {
			t.Fatal(err)
		}
		if _, err := w.catalog.SetStatus(ctx, s.Slug, surveys.StatusClosed); err != nil {
			t.Fatal(err)
		}
	}
	// A survey closed on its schedule before ClosedAt existed: only its
	// closing time says when.
	legacy := &surveys.Survey{Definition: *surveytest.Definition(t), Status: surveys.StatusClosed, Revision: 1,
		Created: w.clock.Now().AddDate(0, -2, 0), Updated: w.clock.Now().AddDate(0, 3, 0), Closes: w.clock.Now()}
	legacy.Slug = "legacy"
	if err := w.surveys.CreateSurvey(ctx, legacy); err != nil {
		t.Fatal(err)
	}
	start := w.clock.Now()
	for _, step := range []struct {
		months int
		due    []string
	}{
		{2, nil},
		{3, []string{"shorter"}},
		{23, nil},
		{24, []string{"council-period", "legacy"}},
		{35, nil},
		{36, []string{"longer"}},
	} {
		w.at(start.AddDate(0, step.months, 0))
		dry := w.run(t, true)
		var got []string
		for _, s := range dry.Surveys {
			got = append(got, s.Slug)
		}
		if !reflect.DeepEqual(got, step.due) {
			t.Errorf("after %d months a dry run lists %v, want %v", step.months, got, step.due)
		}
		run := w.run(t, false)
		if len(run.Surveys) != len(dry.Surveys) {
			t.Errorf("after %d months the run took %d surveys, the dry run %d", step.months, len(run.Surveys), len(dry.Surveys))
		}
		for _, slug := range step.due {
			s, err := w.surveys.FindSurvey(ctx, slug)
			if err != nil || !s.Retained.Equal(w.clock.Now()) {
				t.Errorf("%s is not marked retained (%v, %v)", slug, s, err)
			}
		}
	}
	s, err := w.surveys.FindSurvey(ctx, "legacy")
	if err != nil {
		t.Fatal(err)
	}
	if !s.ClosedAt.Equal(start) {
		t.Errorf("the legacy survey's ClosedAt is %v, want its closing time %v kept", s.ClosedAt, start)
	}
}

// TestSurveyRetentionMonthsAreChecked saves a survey's own period through
// the schedule: good values are kept, and a bad one is refused with a
// message and changes nothing.
func TestSurveyRetentionMonthsAreChecked(t *testing.T) {
	t.Parallel()
	db := openEmbedded(t)
	ctx := context.Background()
	w := newRetentionWorld(t, db)
	s, err := w.catalog.Create(ctx, surveytest.Definition(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		months int
		ok     bool
	}{
		{0, true}, {surveys.MinRetentionMonths, true}, {36, true}, {surveys.MaxRetentionMonths, true},
		{-1, false}, {surveys.MaxRetentionMonths + 1, false}, {1000, false},
	} {
		before, err := w.surveys.FindSurvey(ctx, s.Slug)
		if err != nil {
			t.Fatal(err)
		}
		after, err := w.catalog.SetSchedule(ctx, s.Slug, before.Revision, surveys.Schedule{Cohort: 10, RetentionMonths: tc.months})
		if tc.ok {
			if err != nil || after.RetentionMonths != tc.months {
				t.Errorf("%d months: %v, kept %v", tc.months, err, after)
			}
			continue
		}
		if msg := surveys.ErrorFields(err)["retention_months"]; !strings.Contains(msg, "from 1 to 120") {
			t.Errorf("%d months: %v, fields %v", tc.months, err, surveys.ErrorFields(err))
		}
		now, _ := w.surveys.FindSurvey(ctx, s.Slug)
		if now.Revision != before.Revision || now.RetentionMonths != before.RetentionMonths {
			t.Errorf("%d months changed the survey: %+v", tc.months, now)
		}
	}
}
