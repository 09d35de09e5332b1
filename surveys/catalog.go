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
	Now   func() time.Time
}

// Create stores a new survey from a definition, as a draft.
func (c *Catalog) Create(ctx context.Context, d *Definition) (*Survey, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	now := c.Now().UTC()
	s := &Survey{Definition: *d, Status: StatusDraft, Revision: 1, Created: now, Updated: now}
	if err := c.Store.CreateSurvey(ctx, s); err != nil {
		return nil, fmt.Errorf("create survey %q: %w", d.Slug, err)
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
	s, err = c.Store.UpdateSurvey(ctx, slug, s.Revision, SurveyUpdate{Status: &status, At: c.Now().UTC()})
	if err != nil {
		return nil, fmt.Errorf("set status of %q: %w", slug, err)
	}
	return s, nil
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
