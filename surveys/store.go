package surveys

import (
	"context"
	"time"
)

// The interfaces below are what Heard needs from storage. The MongoDB
// implementation lives in surveys/mongo; every method returns *Error values
// with ENOTFOUND or ECONFLICT where the text says so, and wraps anything else.

// SurveyStore keeps survey definitions and their status.
type SurveyStore interface {
	// FindSurvey returns the survey with the slug, or ENOTFOUND.
	FindSurvey(ctx context.Context, slug string) (*Survey, error)
	// FindSurveys lists surveys matching the filter, newest edition first.
	FindSurveys(ctx context.Context, filter SurveyFilter) ([]*Survey, error)
	// CreateSurvey stores a new survey, or fails with ECONFLICT when the slug
	// is taken.
	CreateSurvey(ctx context.Context, s *Survey) error
	// UpdateSurvey applies an update to the survey at the given revision and
	// returns the survey as it now is. It fails with ECONFLICT when someone
	// else changed the survey since that revision.
	UpdateSurvey(ctx context.Context, slug string, revision int, upd SurveyUpdate) (*Survey, error)
}

// SurveyFilter selects surveys; a zero field matches everything.
type SurveyFilter struct {
	Status Status
}

// SurveyUpdate holds the fields to change; nil leaves a field as it is.
type SurveyUpdate struct {
	Status     *Status
	Definition *Definition // the whole definition, replaced; its slug must not change
	Opens      *time.Time  // zero time: no longer scheduled
	Closes     *time.Time
	Cohort     *int
	// ClosedAt, RetentionMonths and Retained are retention's
	// (retention.go); a zero time removes ClosedAt or Retained.
	ClosedAt        *time.Time
	RetentionMonths *int
	Retained        *time.Time
	At              time.Time // when the change is made
}

// ResponseStore keeps responses and the tallies counted from them.
type ResponseStore interface {
	// CreateResponse stores r, a response to s, and counts it in the tallies.
	// It returns only when r is durable. created is false when a response
	// with the same id and the same answers was stored before (a retry); a
	// response with the same id and different answers fails with ECONFLICT.
	//
	// With codeHash set (see HashCode), the access code is spent in the
	// same step: an unknown code fails with EINVALID and a used one with
	// ECONFLICT (each with a Problem for "code"), and nothing is stored. A
	// retry of a stored response succeeds whatever code it carries, and
	// spends none.
	CreateResponse(ctx context.Context, s *Survey, r *Response, codeHash string) (created bool, err error)
}

// ResponseReader reads stored responses back, for the export of individual
// responses. It is apart from ResponseStore because taking answers never
// reads them back.
type ResponseReader interface {
	// ReadResponses calls each with s's stored responses, a batch of at
	// most size at a time (any size below 1 means the store's choice), in
	// no particular order, and returns the first error, each's included.
	// It holds one batch in memory at a time, so it suits a survey of any
	// size; responses stored while it reads may or may not be included.
	ReadResponses(ctx context.Context, s *Survey, size int, each func([]*Response) error) error
}

// TallyStore reads the pre-aggregated counts of a survey's responses, and
// recounts them from the stored responses when asked.
type TallyStore interface {
	// FindTallies returns the tally of each version of s that has
	// responses.
	FindTallies(ctx context.Context, s *Survey) ([]*Tally, error)
	// CountTallies counts s's stored responses afresh, without changing
	// anything.
	CountTallies(ctx context.Context, s *Survey) ([]*Tally, error)
	// ReplaceTallies replaces s's tallies by the given ones.
	ReplaceTallies(ctx context.Context, s *Survey, tallies []*Tally) error
}

// UserStore keeps staff accounts.
type UserStore interface {
	// FindUser returns the account with the email, or ENOTFOUND.
	FindUser(ctx context.Context, email string) (*User, error)
	// CreateUser stores a new account, or fails with ECONFLICT when the email
	// is taken.
	CreateUser(ctx context.Context, u *User) error
	// RecordLogin notes when the account last signed in.
	RecordLogin(ctx context.Context, email string, at time.Time) error
	// FindUsers lists every account, by email.
	FindUsers(ctx context.Context) ([]*User, error)
	// UpdateUser changes an account, or fails with ENOTFOUND.
	UpdateUser(ctx context.Context, email string, upd UserUpdate) error
}

// SessionStore keeps staff sessions, found by the hash of their token.
type SessionStore interface {
	// CreateSession stores a new session.
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the session with the token hash, or ENOTFOUND.
	FindSession(ctx context.Context, tokenHash string) (*Session, error)
	// TouchSession moves a session's expiry.
	TouchSession(ctx context.Context, tokenHash string, expires time.Time) error
	// DeleteSession removes a session; removing one that is gone is not an error.
	DeleteSession(ctx context.Context, tokenHash string) error
	// DeleteUserSessions ends every session of an account.
	DeleteUserSessions(ctx context.Context, email string) error
}
