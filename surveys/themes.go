package surveys

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// CodebookStore keeps every version of the codebook.
type CodebookStore interface {
	// LatestCodebook returns the newest version, or ENOTFOUND when none was
	// ever saved.
	LatestCodebook(ctx context.Context) (*Codebook, error)
	// CreateCodebook stores a new version, or fails with ECONFLICT when a
	// codebook with its version number exists (someone else saved first).
	CreateCodebook(ctx context.Context, cb *Codebook) error
}

// Themes holds the codebook in force and codes voices with it. It is the
// Coder the intake uses: a saved change codes every later voice, and
// Refresh picks up what other instances saved.
type Themes struct {
	Store CodebookStore
	// Compile makes a Coder of a codebook (package coder's New).
	Compile func(*Codebook) (Coder, error)
	// Default is the codebook saved as version 1 on first start.
	Default *Codebook
	Audit   *AuditLog
	Now     func() time.Time

	mu    sync.RWMutex
	book  *Codebook
	coder Coder
}

// Load reads the newest codebook, saving Default as version 1 when there
// is none yet, and compiles it.
func (t *Themes) Load(ctx context.Context) error {
	cb, err := t.Store.LatestCodebook(ctx)
	if ErrorCode(err) == ENOTFOUND {
		first := *t.Default
		first.Version, first.Updated, first.By = 1, t.Now().UTC(), "heard (first start)"
		err = t.Store.CreateCodebook(ctx, &first)
		if ErrorCode(err) == ECONFLICT { // another instance saved it first
			return t.Load(ctx)
		}
		cb = &first
	}
	if err != nil {
		return fmt.Errorf("load the codebook: %w", err)
	}
	return t.use(cb)
}

// Refresh loads the newest codebook when it is newer than the one in use.
func (t *Themes) Refresh(ctx context.Context) error {
	cb, err := t.Store.LatestCodebook(ctx)
	if err != nil {
		return fmt.Errorf("refresh the codebook: %w", err)
	}
	if cb.Version <= t.Codebook().Version {
		return nil
	}
	return t.use(cb)
}

func (t *Themes) use(cb *Codebook) error {
	c, err := t.Compile(cb)
	if err != nil {
		return fmt.Errorf("compile codebook version %d: %w", cb.Version, err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.book == nil || cb.Version > t.book.Version {
		t.book, t.coder = cb, c
	}
	return nil
}

// Codebook returns the codebook in use. Callers must not change it.
func (t *Themes) Codebook() *Codebook {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.book
}

// Code codes text with the codebook in use.
func (t *Themes) Code(text, lang string) Coding {
	t.mu.RLock()
	c := t.coder
	t.mu.RUnlock()
	return c.Code(text, lang)
}

// Save stores an analyst's edited codebook as the next version after
// basedOn, the version they edited. It fails with ECONFLICT when someone
// saved another version since, and with EINVALID (a message per field)
// when the codebook has mistakes; either way nothing changes.
func (t *Themes) Save(ctx context.Context, cb *Codebook, basedOn int) (*Codebook, error) {
	if err := cb.Validate(); err != nil {
		return nil, err
	}
	if _, err := t.Compile(cb); err != nil {
		return nil, fmt.Errorf("compile the codebook: %w", err)
	}
	next := *cb
	next.Version, next.Updated, next.By = basedOn+1, t.Now().UTC(), actorOf(ctx)
	if err := t.Store.CreateCodebook(ctx, &next); err != nil {
		if ErrorCode(err) == ECONFLICT {
			return nil, Errorf(ECONFLICT, "Someone else saved the codebook while you were editing it. Your changes were not saved: open it again to see theirs.")
		}
		return nil, fmt.Errorf("save the codebook: %w", err)
	}
	if err := t.Audit.Record(ctx, AuditCodebookSave, fmt.Sprintf("version %d", next.Version), ""); err != nil {
		return nil, err
	}
	if err := t.use(&next); err != nil {
		return nil, err
	}
	return &next, nil
}

// actorOf names who is acting, for records that keep it, as the audit
// log does.
func actorOf(ctx context.Context) string {
	if u := UserFromContext(ctx); u != nil {
		return u.Email
	}
	if a, ok := ctx.Value(actorKey{}).(string); ok {
		return a
	}
	return ActorHeard
}
