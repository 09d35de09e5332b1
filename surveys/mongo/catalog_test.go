package mongo_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/surveytest"
)

// analyst is the member of staff who edits surveys in the catalog tests.
var analyst = &surveys.User{Email: "ben@council.gov.uk", Role: surveys.RoleAnalyst}

// catalog is a Catalog on a real database.
type catalog struct {
	*surveys.Catalog
	store *mongo.SurveyStore
	clock *stepClock
}

func newCatalog(db *mongo.DB) *catalog {
	clock := newStepClock(workspaceStart)
	store := mongo.NewSurveyStore(db)
	return &catalog{Catalog: &surveys.Catalog{Store: store, Audit: newAuditLog(db, clock), Now: clock.Now}, store: store, clock: clock}
}

// add stores the fixture survey under slug with the given status, as the
// analyst would, moving the clock on between steps.
func (c *catalog) add(t *testing.T, slug string, status surveys.Status) *surveys.Survey {
	t.Helper()
	ctx := as(t, analyst)
	d := surveytest.Definition(t)
	d.Slug = slug
	s, err := c.Create(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, next := range statusSteps(status) {
		c.clock.Advance(time.Second)
		if s, err = c.SetStatus(ctx, slug, next); err != nil {
			t.Fatal(err)
		}
	}
	c.clock.Advance(time.Minute)
	return s
}

// stored reads a survey as stored.
func (c *catalog) stored(t *testing.T, slug string) *surveys.Survey {
	t.Helper()
	s, err := c.store.FindSurvey(testCtx(t), slug)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// reworded returns d with wording changed everywhere wording may change.
func reworded(d *surveys.Definition) *surveys.Definition {
	d.Title["en"] = "How are things this year?"
	d.Title["cy"] = "Sut mae pethau?"
	d.Description = surveys.Text{"en": "A few questions about you."}
	d.Sections[0].Title["en"] = "All about you"
	d.Versions[0].Label["en"] = "Ages eight to eleven"
	q := &d.Versions[0].Questions[1]
	q.Text["en"] = "Do you feel safe at home?"
	q.Help = surveys.Text{"en": "Where you live now."}
	q.Choices[2].Label["en"] = "Not at all"
	d.Versions[1].Questions[3].MaxLabel["en"] = "Very, very happy"
	return d
}

func TestCatalogEditDraft(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		c := newCatalog(db)
		ctx := as(t, analyst)
		s := c.add(t, "draft-2026", surveys.StatusDraft)
		assertAudited(t, c.Audit, auditWant{Actor: analyst.Email, Role: surveys.RoleAnalyst, Action: surveys.AuditSurveyCreate,
			Target: s.Slug, Detail: "edition 2026"})

		// A draft may change in any way Validate allows.
		d := *surveytest.Definition(t)
		d.Slug, d.Edition = s.Slug, 2027
		d.Versions = d.Versions[1:]
		v := &d.Versions[0]
		v.Questions[0].Key, v.Questions[0].Type = "where", surveys.Scale
		v.Questions = slices.Delete(v.Questions, 5, 6) // talk_who
		v.Questions[2].Choices = v.Questions[2].Choices[:2]
		v.Questions[0], v.Questions[3] = v.Questions[3], v.Questions[0]
		got, err := c.Edit(ctx, s.Slug, s.Revision, &d)
		if err != nil {
			t.Fatalf("%v %v", err, surveys.ErrorFields(err))
		}
		if got.Revision != s.Revision+1 || !got.Updated.Equal(c.clock.Now()) || got.Status != surveys.StatusDraft {
			t.Errorf("after the edit: revision %d, updated %v, status %s", got.Revision, got.Updated, got.Status)
		}
		stored := c.stored(t, s.Slug)
		if !reflect.DeepEqual(stored.Definition, d) || !reflect.DeepEqual(stored, got) {
			t.Errorf("the edit reads back as\n %+v\nwant %+v", stored.Definition, d)
		}
		assertAudited(t, c.Audit, auditWant{Actor: analyst.Email, Role: surveys.RoleAnalyst, Action: surveys.AuditSurveyEdit,
			Target: s.Slug, Detail: "revision 1 to 2"})
		if list, err := c.store.FindSurveys(testCtx(t), surveys.SurveyFilter{}); err != nil || len(list) != 1 || list[0].Edition != 2027 {
			t.Errorf("the list after an edition change: %v", err)
		}

		// A save made from the revision before is refused.
		c.clock.Advance(time.Minute)
		late := surveytest.Definition(t)
		late.Slug = s.Slug
		_, err = c.Edit(ctx, s.Slug, s.Revision, late)
		if surveys.ErrorCode(err) != surveys.ECONFLICT || !strings.Contains(surveys.ErrorMessage(err), "Someone else saved this survey") {
			t.Errorf("an edit at a stale revision: %v, want ECONFLICT saying someone else saved", err)
		}
		if now := c.stored(t, s.Slug); !reflect.DeepEqual(now, stored) {
			t.Error("the refused edit changed the survey")
		}
		assertAuditCount(t, c.Audit, surveys.AuditSurveyEdit, s.Slug, 1)

		// So are a definition Validate refuses and a new slug.
		bad := surveytest.Definition(t)
		bad.Slug, bad.Versions = s.Slug, nil
		if _, err := c.Edit(ctx, s.Slug, got.Revision, bad); surveys.ErrorFields(err)["versions"] == "" {
			t.Errorf("a survey with no versions: %v, want EINVALID about versions", err)
		}
		moved := surveytest.Definition(t)
		moved.Slug = "renamed-2026"
		_, err = c.Edit(ctx, s.Slug, got.Revision, moved)
		if fields := surveys.ErrorFields(err); fields["slug"] == "" || len(fields) != 1 {
			t.Errorf("a new slug: %v (%v), want EINVALID about slug", err, fields)
		}
		if _, err := c.store.FindSurvey(testCtx(t), "renamed-2026"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("a survey under the new slug: %v", err)
		}
		if now := c.stored(t, s.Slug); !reflect.DeepEqual(now, stored) {
			t.Error("a refused edit changed the survey")
		}
		if _, err := c.Edit(ctx, "no-such-survey", 1, surveytest.Definition(t)); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("edit an unknown survey: %v, want ENOTFOUND", err)
		}
		assertAuditCount(t, c.Audit, surveys.AuditSurveyEdit, s.Slug, 1)
	})
}

func TestCatalogEditOnceOpen(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		c := newCatalog(db)
		ctx := as(t, analyst)
		for _, status := range []surveys.Status{surveys.StatusOpen, surveys.StatusClosed} {
			s := c.add(t, "wellbeing-"+string(status), status)
			assertAudited(t, c.Audit, auditWant{Actor: analyst.Email, Role: surveys.RoleAnalyst, Action: surveys.AuditSurveyStatus,
				Target: s.Slug, Detail: map[surveys.Status]string{surveys.StatusOpen: "draft to open", surveys.StatusClosed: "open to closed"}[status]})

			d := reworded(surveytest.Definition(t))
			d.Slug = s.Slug
			got, err := c.Edit(ctx, s.Slug, s.Revision, d)
			if err != nil {
				t.Fatalf("%s: a change of wording: %v", status, err)
			}
			if !reflect.DeepEqual(c.stored(t, s.Slug).Definition, *d) || got.Status != status {
				t.Errorf("%s: the new wording was not stored as given", status)
			}
			assertAudited(t, c.Audit, auditWant{Actor: analyst.Email, Role: surveys.RoleAnalyst, Action: surveys.AuditSurveyEdit,
				Target: s.Slug, Detail: fmt.Sprintf("revision %d to %d", s.Revision, got.Revision)})

			tests := []struct {
				name   string
				change func(d *surveys.Definition)
				field  string
			}{
				{"question key", func(d *surveys.Definition) { d.Versions[0].Questions[3].Key = "happiness" }, "versions[0].questions[3].key"},
				{"question type", func(d *surveys.Definition) { d.Versions[1].Questions[4].Type = surveys.Scale }, "versions[1].questions[4].type"},
				{"choice key", func(d *surveys.Definition) { d.Versions[0].Questions[0].Choices[2].Key = "south_west" }, "versions[0].questions[0].choices[2].key"},
				{"question removed", func(d *surveys.Definition) {
					d.Versions[0].Questions = d.Versions[0].Questions[:4]
				}, "versions[0].questions"},
				{"rating range", func(d *surveys.Definition) { five := 5; d.Versions[0].Questions[3].Max = &five }, "versions[0].questions[3].max"},
				{"edition", func(d *surveys.Definition) { d.Edition = 2027 }, "edition"},
				{"slug", func(d *surveys.Definition) { d.Slug = "renamed-2026" }, "slug"},
			}
			for _, tt := range tests {
				c.clock.Advance(time.Minute)
				before := c.stored(t, s.Slug)
				d := reworded(surveytest.Definition(t))
				d.Slug = s.Slug
				d.Title["en"] = "Changed again"
				tt.change(d)
				if err := d.Validate(); err != nil {
					t.Fatalf("%s, %s: the changed definition is not valid: %v", status, tt.name, surveys.ErrorFields(err))
				}
				_, err := c.Edit(ctx, s.Slug, before.Revision, d)
				if surveys.ErrorCode(err) != surveys.EINVALID {
					t.Errorf("%s, %s: %v, want EINVALID", status, tt.name, err)
					continue
				}
				if fields := surveys.ErrorFields(err); fields[tt.field] == "" || len(fields) != 1 {
					t.Errorf("%s, %s: fields %v, want one about %q", status, tt.name, fields, tt.field)
				}
				if now := c.stored(t, s.Slug); !reflect.DeepEqual(now, before) {
					t.Errorf("%s, %s: the refused edit changed the survey", status, tt.name)
				}
			}
			assertAuditCount(t, c.Audit, surveys.AuditSurveyEdit, s.Slug, 1)
		}
	})
}

func TestCatalogSchedule(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		c := newCatalog(db)
		ctx := as(t, analyst)
		s := c.add(t, "scheduled-2026", surveys.StatusDraft)
		now := c.clock.Now()
		limit := now.AddDate(surveys.MaxScheduleYears, 0, 0)

		refused := []struct {
			name   string
			sc     surveys.Schedule
			fields []string
		}{
			{"closes before opens", surveys.Schedule{Opens: now.Add(48 * time.Hour), Closes: now.Add(24 * time.Hour)}, []string{"closes"}},
			{"closes as it opens", surveys.Schedule{Opens: now.Add(time.Hour), Closes: now.Add(time.Hour)}, []string{"closes"}},
			{"negative cohort", surveys.Schedule{Cohort: -1}, []string{"cohort"}},
			{"cohort over the most", surveys.Schedule{Cohort: surveys.MaxCohort + 1}, []string{"cohort"}},
			{"opens too far ahead", surveys.Schedule{Opens: limit.Add(time.Second)}, []string{"opens"}},
			{"closes too far ahead", surveys.Schedule{Opens: now, Closes: limit.AddDate(0, 0, 1)}, []string{"closes"}},
			{"both too far ahead, and a bad cohort", surveys.Schedule{Opens: limit.AddDate(1, 0, 0), Closes: limit.AddDate(2, 0, 0), Cohort: -5},
				[]string{"opens", "closes", "cohort"}},
		}
		for _, tt := range refused {
			_, err := c.SetSchedule(ctx, s.Slug, s.Revision, tt.sc)
			fields := surveys.ErrorFields(err)
			if surveys.ErrorCode(err) != surveys.EINVALID || len(fields) != len(tt.fields) {
				t.Errorf("%s: %v %v, want EINVALID about %v", tt.name, err, fields, tt.fields)
				continue
			}
			for _, f := range tt.fields {
				if fields[f] == "" {
					t.Errorf("%s: fields %v, want one about %q", tt.name, fields, f)
				}
			}
		}
		if got := c.stored(t, s.Slug); !reflect.DeepEqual(got, s) {
			t.Errorf("refused schedules changed the survey:\n got %+v\nwant %+v", got, s)
		}
		assertAuditCount(t, c.Audit, surveys.AuditSurveySchedule, s.Slug, 0)

		// A schedule at the limits is stored, in UTC.
		london, err := time.LoadLocation("Europe/London")
		if err != nil {
			london = time.FixedZone("BST", 3600)
		}
		opens := time.Date(2027, 6, 1, 9, 30, 0, 0, london)
		sc := surveys.Schedule{Opens: opens, Closes: limit, Cohort: surveys.MaxCohort}
		got, err := c.SetSchedule(ctx, s.Slug, s.Revision, sc)
		if err != nil {
			t.Fatal(err)
		}
		if got.Revision != s.Revision+1 || !got.Opens.Equal(opens) || got.Opens.Location() != time.UTC ||
			!got.Closes.Equal(limit) || got.Cohort != surveys.MaxCohort || got.Status != surveys.StatusDraft {
			t.Errorf("scheduled: revision %d, opens %v, closes %v, cohort %d, status %s", got.Revision, got.Opens, got.Closes, got.Cohort, got.Status)
		}
		if stored := c.stored(t, s.Slug); !reflect.DeepEqual(stored, got) || !reflect.DeepEqual(stored.Definition, s.Definition) {
			t.Errorf("the schedule reads back as %+v, want %+v", stored, got)
		}
		assertAudited(t, c.Audit, auditWant{Actor: analyst.Email, Role: surveys.RoleAnalyst, Action: surveys.AuditSurveySchedule,
			Target: s.Slug, Detail: "opens 2027-06-01 08:30 UTC, closes 2031-11-23 10:01 UTC, cohort 1000000"})

		// A stale revision is refused.
		c.clock.Advance(time.Minute)
		_, err = c.SetSchedule(ctx, s.Slug, s.Revision, surveys.Schedule{Cohort: 5})
		if surveys.ErrorCode(err) != surveys.ECONFLICT || !strings.Contains(surveys.ErrorMessage(err), "Someone else saved") {
			t.Errorf("a schedule at a stale revision: %v, want ECONFLICT", err)
		}
		if _, err := c.SetSchedule(ctx, "no-such-survey", 1, surveys.Schedule{}); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("schedule an unknown survey: %v, want ENOTFOUND", err)
		}

		// Zero times unset the dates; one date may be kept alone.
		got, err = c.SetSchedule(ctx, s.Slug, got.Revision, surveys.Schedule{Closes: opens, Cohort: 80})
		if err != nil {
			t.Fatal(err)
		}
		if stored := c.stored(t, s.Slug); !stored.Opens.IsZero() || !stored.Closes.Equal(opens) || stored.Cohort != 80 || !reflect.DeepEqual(stored, got) {
			t.Errorf("with only a closing date: opens %v, closes %v, cohort %d", stored.Opens, stored.Closes, stored.Cohort)
		}
		assertAudited(t, c.Audit, auditWant{Actor: analyst.Email, Role: surveys.RoleAnalyst, Action: surveys.AuditSurveySchedule,
			Target: s.Slug, Detail: "opens by hand, closes 2027-06-01 08:30 UTC, cohort 80"})
		c.clock.Advance(time.Minute)
		got, err = c.SetSchedule(ctx, s.Slug, got.Revision, surveys.Schedule{})
		if err != nil {
			t.Fatal(err)
		}
		stored := c.stored(t, s.Slug)
		if !stored.Opens.IsZero() || !stored.Closes.IsZero() || stored.Cohort != 0 || !reflect.DeepEqual(stored, got) {
			t.Errorf("after unsetting: opens %v, closes %v, cohort %d", stored.Opens, stored.Closes, stored.Cohort)
		}
		if _, ok := stored.DaysLeft(c.clock.Now()); ok {
			t.Error("an unscheduled survey has days left")
		}
		assertAudited(t, c.Audit, auditWant{Actor: analyst.Email, Role: surveys.RoleAnalyst, Action: surveys.AuditSurveySchedule,
			Target: s.Slug, Detail: "opens by hand, closes by hand, cohort 0"})
	})
}

func TestApplySchedule(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		c := newCatalog(db)
		ctx := as(t, analyst)
		type plan struct {
			slug          string
			status        surveys.Status
			opens, closes time.Duration // from the time ApplySchedule runs; 0 for none
			want          surveys.Status
		}
		plans := []plan{
			{"draft-due", surveys.StatusDraft, -time.Hour, 0, surveys.StatusOpen},
			{"draft-due-now", surveys.StatusDraft, time.Nanosecond, 0, surveys.StatusOpen}, // opens at the instant it runs
			{"draft-due-closes-later", surveys.StatusDraft, -time.Hour, 24 * time.Hour, surveys.StatusOpen},
			{"draft-later", surveys.StatusDraft, time.Hour, 0, surveys.StatusDraft},
			{"draft-missed", surveys.StatusDraft, -48 * time.Hour, -time.Hour, surveys.StatusDraft},
			{"draft-unscheduled", surveys.StatusDraft, 0, 0, surveys.StatusDraft},
			{"open-past", surveys.StatusOpen, 0, -time.Hour, surveys.StatusClosed},
			{"open-past-both", surveys.StatusOpen, -48 * time.Hour, -time.Minute, surveys.StatusClosed},
			{"open-later", surveys.StatusOpen, 0, time.Hour, surveys.StatusOpen},
			{"open-unscheduled", surveys.StatusOpen, 0, 0, surveys.StatusOpen},
			{"closed-due", surveys.StatusClosed, -time.Hour, 24 * time.Hour, surveys.StatusClosed},
			{"closed-past", surveys.StatusClosed, -48 * time.Hour, -time.Hour, surveys.StatusClosed},
		}
		runAt := workspaceStart.Add(time.Duration(len(plans)+1) * time.Minute)
		at := func(d time.Duration) time.Time {
			switch d {
			case 0:
				return time.Time{}
			case time.Nanosecond:
				return runAt
			}
			return runAt.Add(d)
		}
		revisions := map[string]int{}
		for _, p := range plans {
			s := c.add(t, p.slug, p.status)
			if p.opens != 0 || p.closes != 0 {
				var err error
				if s, err = c.SetSchedule(ctx, p.slug, s.Revision, surveys.Schedule{Opens: at(p.opens), Closes: at(p.closes)}); err != nil {
					t.Fatalf("%s: %v", p.slug, err)
				}
			}
			revisions[p.slug] = s.Revision
		}
		if c.clock.Now().After(runAt) {
			t.Fatalf("setting up took the clock past %v", runAt)
		}
		c.clock.Advance(runAt.Sub(c.clock.Now()))

		changed, err := c.ApplySchedule(testCtx(t))
		if err != nil {
			t.Fatal(err)
		}
		var gotChanged, wantChanged []string
		for _, s := range changed {
			gotChanged = append(gotChanged, s.Slug+" "+string(s.Status))
		}
		for _, p := range plans {
			s := c.stored(t, p.slug)
			if s.Status != p.want {
				t.Errorf("%s: %s after applying the schedule, want %s", p.slug, s.Status, p.want)
			}
			if p.want == p.status {
				assertAuditCount(t, c.Audit, surveys.AuditSurveyStatus, p.slug, len(statusSteps(p.status)))
				if s.Revision != revisions[p.slug] {
					t.Errorf("%s: unchanged, but its revision moved from %d to %d", p.slug, revisions[p.slug], s.Revision)
				}
				continue
			}
			wantChanged = append(wantChanged, p.slug+" "+string(p.want))
			if s.Revision != revisions[p.slug]+1 || !s.Updated.Equal(runAt) {
				t.Errorf("%s: revision %d updated %v, want %d at %v", p.slug, s.Revision, s.Updated, revisions[p.slug]+1, runAt)
			}
			assertAudited(t, c.Audit, auditWant{Actor: surveys.ActorSchedule, Action: surveys.AuditSurveyStatus, Target: p.slug,
				Detail: string(p.status) + " to " + string(p.want) + " on schedule"})
		}
		slices.Sort(gotChanged)
		slices.Sort(wantChanged)
		if !reflect.DeepEqual(gotChanged, wantChanged) {
			t.Errorf("changed:\n got %v\nwant %v", gotChanged, wantChanged)
		}

		// Applied again at once, it changes nothing.
		c.clock.Advance(time.Second)
		if again, err := c.ApplySchedule(testCtx(t)); err != nil || len(again) != 0 {
			t.Errorf("applied again: %d changed, %v", len(again), err)
		}

		// Later, the survey that opened closes by itself, and the one
		// scheduled to open does.
		c.clock.Advance(25 * time.Hour)
		changed, err = c.ApplySchedule(testCtx(t))
		if err != nil {
			t.Fatal(err)
		}
		gotChanged = nil
		for _, s := range changed {
			gotChanged = append(gotChanged, s.Slug+" "+string(s.Status))
		}
		slices.Sort(gotChanged)
		if want := []string{"draft-due-closes-later closed", "draft-later open", "open-later closed"}; !reflect.DeepEqual(gotChanged, want) {
			t.Errorf("a day later, changed:\n got %v\nwant %v", gotChanged, want)
		}
		if s := c.stored(t, "closed-due"); s.Status != surveys.StatusClosed {
			t.Errorf("a survey closed by hand became %s", s.Status)
		}
	})
}

// statusSteps returns the status changes add makes to reach status.
func statusSteps(status surveys.Status) []surveys.Status {
	return map[surveys.Status][]surveys.Status{
		surveys.StatusOpen:   {surveys.StatusOpen},
		surveys.StatusClosed: {surveys.StatusOpen, surveys.StatusClosed},
	}[status]
}

func TestDaysLeft(t *testing.T) {
	t.Parallel()
	now := workspaceStart
	tests := []struct {
		name     string
		closes   time.Time
		want     int
		wantSome bool
	}{
		{"no closing date", time.Time{}, 0, false},
		{"one second left", now.Add(time.Second), 1, true},
		{"one hour left", now.Add(time.Hour), 1, true},
		{"a day less a nanosecond", now.Add(24*time.Hour - 1), 1, true},
		{"exactly one day", now.Add(24 * time.Hour), 1, true},
		{"a day and a nanosecond", now.Add(24*time.Hour + 1), 2, true},
		{"exactly two days", now.Add(48 * time.Hour), 2, true},
		{"two days and an hour", now.Add(49 * time.Hour), 3, true},
		{"closing now", now, 0, true},
		{"closed an hour ago", now.Add(-time.Hour), 0, true},
		{"closed a week ago", now.AddDate(0, 0, -7), 0, true},
		{"in another zone", now.Add(36 * time.Hour).In(time.FixedZone("UTC-10", -10*3600)), 2, true},
	}
	for _, tt := range tests {
		s := &surveys.Survey{Status: surveys.StatusOpen, Closes: tt.closes}
		got, ok := s.DaysLeft(now)
		if got != tt.want || ok != tt.wantSome {
			t.Errorf("%s: DaysLeft = %d, %v; want %d, %v", tt.name, got, ok, tt.want, tt.wantSome)
		}
	}
}
