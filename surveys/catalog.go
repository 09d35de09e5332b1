package surveys

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// transitions lists the statuses a survey may move to from each status. A
// survey that has been open never goes back to draft, because answers were
// given to it as it was.
var transitions = map[Status][]Status{
	StatusDraft:  {StatusOpen},
	StatusOpen:   {StatusClosed},
	StatusClosed: {StatusOpen},
}

// Catalog manages the surveys a council runs.
type Catalog struct {
	Store SurveyStore
	Audit *AuditLog // nil records nothing (tests of other things)
	Now   func() time.Time
}

// Limits on a survey's schedule and cohort.
const (
	MaxCohort        = 1_000_000
	MaxScheduleYears = 5 // how far ahead a survey may be scheduled
)

// Create stores a new survey from a definition, as a draft.
func (c *Catalog) Create(ctx context.Context, d *Definition) (*Survey, error) {
	return c.CreateFor(ctx, d, nil)
}

// CreateFor stores a new survey from a definition, as a draft, for a
// school (a school council's pupil survey); nil is the borough's.
func (c *Catalog) CreateFor(ctx context.Context, d *Definition, school *School) (*Survey, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	now := c.Now().UTC()
	s := &Survey{Definition: *d, Status: StatusDraft, Revision: 1, Created: now, Updated: now}
	if school != nil {
		s.School, s.Area = school.Key, school.Area
	}
	if err := c.Store.CreateSurvey(ctx, s); err != nil {
		return nil, fmt.Errorf("create survey %q: %w", d.Slug, err)
	}
	detail := fmt.Sprintf("edition %d", d.Edition)
	if d.Previous != "" {
		detail += ", following " + d.Previous
	}
	if err := c.Audit.Record(ctx, AuditSurveyCreate, s.Slug, detail); err != nil {
		return nil, err
	}
	return s, nil
}

// SetStatus opens or closes a survey. Setting the status it already has
// changes nothing; a move the survey's life does not allow is ECONFLICT.
func (c *Catalog) SetStatus(ctx context.Context, slug string, status Status) (*Survey, error) {
	if _, known := transitions[status]; !known {
		return nil, FieldsError("The status is not one Heard knows.", map[string]string{"status": "must be draft, open or closed"})
	}
	s, err := c.Store.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	if s.Status == status {
		return s, nil
	}
	if !slices.Contains(transitions[s.Status], status) {
		return nil, Errorf(ECONFLICT, "A survey that is %s cannot become %s.", s.Status, status)
	}
	if !s.Retained.IsZero() {
		return nil, Errorf(ECONFLICT, "This survey's answers were deleted on %s, when the time to keep them ran out, so it cannot open again. Make a new edition instead.", s.Retained.Format("2 January 2006"))
	}
	from := s.Status
	s, err = c.Store.UpdateSurvey(ctx, slug, s.Revision, statusUpdate(status, c.Now().UTC()))
	if err != nil {
		return nil, fmt.Errorf("set status of %q: %w", slug, err)
	}
	if err := c.Audit.Record(ctx, AuditSurveyStatus, slug, fmt.Sprintf("%s to %s", from, status)); err != nil {
		return nil, err
	}
	return s, nil
}

// Edit replaces a survey's definition with d, made from the revision the
// editor saw. A draft may change in any way Validate allows; a survey that
// has been open may change only its wording (CheckWordingOnly), so that
// answers already given keep their meaning. Someone else's save in between
// is ECONFLICT, and the caller shows them the survey as it now is.
func (c *Catalog) Edit(ctx context.Context, slug string, revision int, d *Definition) (*Survey, error) {
	s, err := c.Store.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	if d.Slug != slug {
		return nil, FieldsError("The slug of a survey cannot change.", map[string]string{"slug": fmt.Sprintf("must stay %q", slug)})
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if s.Revision != revision {
		return nil, errEditConflict
	}
	if s.Status != StatusDraft {
		if err := CheckWordingOnly(&s.Definition, d); err != nil {
			return nil, err
		}
	}
	s, err = c.Store.UpdateSurvey(ctx, slug, revision, SurveyUpdate{Definition: d, At: c.Now().UTC()})
	if ErrorCode(err) == ECONFLICT {
		return nil, errEditConflict
	} else if err != nil {
		return nil, fmt.Errorf("edit survey %q: %w", slug, err)
	}
	if err := c.Audit.Record(ctx, AuditSurveyEdit, slug, fmt.Sprintf("revision %d to %d", revision, s.Revision)); err != nil {
		return nil, err
	}
	return s, nil
}

// errEditConflict is the answer to a save made from an old revision.
var errEditConflict = Errorf(ECONFLICT, "Someone else saved this survey after you opened it, so your changes were not saved. Their version is shown now; make your changes again.")

// Schedule is when a survey opens and closes by itself, and its cohort.
type Schedule struct {
	Opens  time.Time // zero: opened by hand
	Closes time.Time // zero: closed by hand
	Cohort int       // 0: unknown
	// RetentionMonths is how long after closing its answers are kept; 0:
	// the council's period.
	RetentionMonths int
}

// SetSchedule sets when a survey opens and closes by itself, and how many
// young people it is for.
func (c *Catalog) SetSchedule(ctx context.Context, slug string, revision int, sc Schedule) (*Survey, error) {
	now := c.Now().UTC()
	errs := fieldErrors{}
	if !sc.Opens.IsZero() && !sc.Closes.IsZero() && !sc.Opens.Before(sc.Closes) {
		errs.add("closes", "must be after the opening date")
	}
	limit := now.AddDate(MaxScheduleYears, 0, 0)
	if sc.Opens.After(limit) {
		errs.add("opens", fmt.Sprintf("must be within %d years", MaxScheduleYears))
	}
	if sc.Closes.After(limit) {
		errs.add("closes", fmt.Sprintf("must be within %d years", MaxScheduleYears))
	}
	if sc.Cohort < 0 || sc.Cohort > MaxCohort {
		errs.add("cohort", fmt.Sprintf("must be a whole number from 0 to %d", MaxCohort))
	}
	if msg := CheckRetentionMonths(sc.RetentionMonths); msg != "" {
		errs.add("retention_months", msg)
	}
	if err := errs.err("The dates, the cohort or the time to keep answers need changing."); err != nil {
		return nil, err
	}
	s, err := c.Store.UpdateSurvey(ctx, slug, revision,
		SurveyUpdate{Opens: &sc.Opens, Closes: &sc.Closes, Cohort: &sc.Cohort, RetentionMonths: &sc.RetentionMonths, At: now})
	if ErrorCode(err) == ECONFLICT {
		return nil, errEditConflict
	} else if err != nil {
		return nil, fmt.Errorf("schedule survey %q: %w", slug, err)
	}
	if err := c.Audit.Record(ctx, AuditSurveySchedule, slug, describeSchedule(sc)); err != nil {
		return nil, err
	}
	return s, nil
}

func describeSchedule(sc Schedule) string {
	when := func(t time.Time) string {
		if t.IsZero() {
			return "by hand"
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	}
	d := fmt.Sprintf("opens %s, closes %s, cohort %d", when(sc.Opens), when(sc.Closes), sc.Cohort)
	if sc.RetentionMonths != 0 {
		d += fmt.Sprintf(", answers kept %d months after closing", sc.RetentionMonths)
	}
	return d
}

// ApplySchedule opens the drafts whose opening time has come and closes
// the open surveys whose closing time has passed. It opens only drafts, so
// that a survey an analyst closed by hand stays closed. Several instances
// may run it at once: the revision check lets one of them make each
// change, and the others' ECONFLICT is expected and ignored.
func (c *Catalog) ApplySchedule(ctx context.Context) ([]*Survey, error) {
	now := c.Now().UTC()
	list, err := c.Store.FindSurveys(ctx, SurveyFilter{})
	if err != nil {
		return nil, fmt.Errorf("apply schedule: %w", err)
	}
	ctx = NewContextWithActor(ctx, ActorSchedule)
	var changed []*Survey
	for _, s := range list {
		to, due := scheduledStatus(s, now)
		if !due {
			continue
		}
		from := s.Status
		s, err := c.Store.UpdateSurvey(ctx, s.Slug, s.Revision, statusUpdate(to, now))
		if ErrorCode(err) == ECONFLICT {
			continue
		} else if err != nil {
			return changed, fmt.Errorf("apply schedule: %w", err)
		}
		if err := c.Audit.Record(ctx, AuditSurveyStatus, s.Slug, fmt.Sprintf("%s to %s on schedule", from, to)); err != nil {
			return changed, err
		}
		changed = append(changed, s)
	}
	return changed, nil
}

// statusUpdate moves a survey to status at a time, recording when it
// closed (retention counts from then) or, when it opens again, that it is
// no longer closed.
func statusUpdate(status Status, at time.Time) SurveyUpdate {
	closedAt := time.Time{}
	if status == StatusClosed {
		closedAt = at
	}
	return SurveyUpdate{Status: &status, ClosedAt: &closedAt, At: at}
}

// scheduledStatus returns the status the schedule says s should move to
// now, if any.
func scheduledStatus(s *Survey, now time.Time) (Status, bool) {
	closed := !s.Closes.IsZero() && !now.Before(s.Closes)
	switch {
	case s.Status == StatusOpen && closed:
		return StatusClosed, true
	case s.Status == StatusDraft && !s.Opens.IsZero() && !now.Before(s.Opens) && !closed:
		return StatusOpen, true
	}
	return "", false
}

// DaysLeft returns the whole days until an open survey closes by itself,
// counting part of a day as a day, and false when it has no closing date.
func (s *Survey) DaysLeft(now time.Time) (int, bool) {
	if s.Closes.IsZero() {
		return 0, false
	}
	left := s.Closes.Sub(now)
	if left <= 0 {
		return 0, true
	}
	return int((left + 24*time.Hour - 1) / (24 * time.Hour)), true
}

// SurveyCache keeps surveys read by slug for a short time, because every
// answer a young person sends needs its survey and a survey rarely changes.
// Changes made through the cache are seen at once; changes made by another
// instance of Heard are seen within TTL.
type SurveyCache struct {
	SurveyStore
	TTL time.Duration
	Now func() time.Time

	mu      sync.Mutex
	entries map[string]cachedSurvey
}

type cachedSurvey struct {
	survey  *Survey
	expires time.Time
}

// MaxCachedSurveys bounds the cache; past it, the cache starts afresh.
const MaxCachedSurveys = 1000

// FindSurvey returns the survey from the cache, or from the store.
func (c *SurveyCache) FindSurvey(ctx context.Context, slug string) (*Survey, error) {
	now := c.Now()
	c.mu.Lock()
	e, ok := c.entries[slug]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.survey, nil
	}
	s, err := c.SurveyStore.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= MaxCachedSurveys {
		c.entries = map[string]cachedSurvey{}
	}
	c.entries[slug] = cachedSurvey{survey: s, expires: now.Add(c.TTL)}
	c.mu.Unlock()
	return s, nil
}

// UpdateSurvey updates the store and forgets the cached copy.
func (c *SurveyCache) UpdateSurvey(ctx context.Context, slug string, revision int, upd SurveyUpdate) (*Survey, error) {
	c.forget(slug)
	s, err := c.SurveyStore.UpdateSurvey(ctx, slug, revision, upd)
	c.forget(slug)
	return s, err
}

func (c *SurveyCache) forget(slug string) {
	c.mu.Lock()
	delete(c.entries, slug)
	c.mu.Unlock()
}
