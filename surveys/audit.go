package surveys

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"
)

// AuditAction names a kind of staff action the audit log records.
type AuditAction string

// The actions recorded. PRODUCT.md asks for every action that reads
// individual answers or free text, exports data, changes a survey, a
// setting or a person, or touches a safeguarding flag; signing in and out is
// recorded too, so that the log shows who was using Heard when.
const (
	AuditSignIn          AuditAction = "staff.sign_in"
	AuditSignOut         AuditAction = "staff.sign_out"
	AuditSurveyCreate    AuditAction = "survey.create"
	AuditSurveyEdit      AuditAction = "survey.edit"
	AuditSurveyStatus    AuditAction = "survey.status"
	AuditSurveySchedule  AuditAction = "survey.schedule"
	AuditCodesCreate     AuditAction = "codes.create"
	AuditCodesExport     AuditAction = "codes.export"
	AuditResponsesExport AuditAction = "responses.export" // individual responses downloaded; the detail says whether with text
	AuditUserCreate      AuditAction = "person.create"
	AuditUserRole        AuditAction = "person.role"
	AuditUserDisable     AuditAction = "person.disable"
	AuditUserEnable      AuditAction = "person.enable"
	AuditUserResetLink   AuditAction = "person.reset_link"
	AuditUserPasswordSet AuditAction = "person.password_set"
	AuditUserSchool      AuditAction = "person.school" // a school lead linked to a school
	AuditSettingsUpdate  AuditAction = "settings.update"
	AuditFlagList        AuditAction = "flag.list"
	AuditFlagView        AuditAction = "flag.view"
	AuditFlagDecide      AuditAction = "flag.decide"
	AuditCodebookSave    AuditAction = "codebook.save"
	AuditVoicesRead      AuditAction = "voices.read"
	AuditVoicesReview    AuditAction = "voices.review"
	AuditQuoteMark       AuditAction = "quote.mark"
	AuditQuoteApprove    AuditAction = "quote.approve"
	AuditQuoteRemove     AuditAction = "quote.remove"
	AuditContactList     AuditAction = "contact.list"
	AuditContactView     AuditAction = "contact.view"
	AuditContactDecide   AuditAction = "contact.decide"
	AuditReportBoard     AuditAction = "report.board" // a board report made
	AuditActionCreate    AuditAction = "action.create"
	AuditActionUpdate    AuditAction = "action.update"
	AuditSessionCreate   AuditAction = "session.create" // a MADE session prepared
	AuditSessionUpdate   AuditAction = "session.update"
	AuditSessionCopy     AuditAction = "session.copy"
	AuditSessionStart    AuditAction = "session.start"
	AuditSessionEnd      AuditAction = "session.end"
	AuditSessionPaper    AuditAction = "session.paper"      // notes from paper typed in
	AuditSessionCounts   AuditAction = "session.attendance" // attendance recorded
	AuditReportSession   AuditAction = "report.session"     // a MADE session's report made
	AuditCouncilRecord   AuditAction = "council.record"     // a school council meeting recorded
	AuditCouncilUpdate   AuditAction = "council.update"
	AuditCouncilDelete   AuditAction = "council.delete"
	AuditCouncilImport   AuditAction = "council.import" // a term's meetings imported from a file
	AuditSchoolSurvey    AuditAction = "council.survey" // a school's pupil survey started
	AuditReportArea      AuditAction = "report.area"    // an area report made
	// AuditRetentionRun is one kind of record deleted by a retention run,
	// with how many (of each survey); never any words.
	AuditRetentionRun AuditAction = "retention.run"
)

// AuditActions lists every action, in the order a filter offers them.
var AuditActions = []AuditAction{
	AuditSignIn, AuditSignOut,
	AuditSurveyCreate, AuditSurveyEdit, AuditSurveyStatus, AuditSurveySchedule,
	AuditCodesCreate, AuditCodesExport,
	AuditResponsesExport,
	AuditUserCreate, AuditUserRole, AuditUserDisable, AuditUserEnable, AuditUserResetLink, AuditUserPasswordSet, AuditUserSchool,
	AuditSettingsUpdate,
	AuditFlagList, AuditFlagView, AuditFlagDecide,
	AuditCodebookSave, AuditVoicesRead, AuditVoicesReview,
	AuditQuoteMark, AuditQuoteApprove, AuditQuoteRemove,
	AuditContactList, AuditContactView, AuditContactDecide,
	AuditReportBoard,
	AuditActionCreate, AuditActionUpdate,
	AuditSessionCreate, AuditSessionUpdate, AuditSessionCopy,
	AuditSessionStart, AuditSessionEnd, AuditSessionPaper, AuditSessionCounts,
	AuditReportSession,
	AuditCouncilRecord, AuditCouncilUpdate, AuditCouncilDelete, AuditCouncilImport, AuditSchoolSurvey,
	AuditReportArea,
	AuditRetentionRun,
}

// Valid reports whether a is one of AuditActions.
func (a AuditAction) Valid() bool { return slices.Contains(AuditActions, a) }

// Limits of the audit log.
const (
	MaxAuditDetail   = 500 // characters of an entry's detail
	MaxAuditPage     = 200 // entries read at once
	DefaultAuditPage = 50
)

// AuditEntry is one line of the audit log: who did what, to what, and when.
// It never holds an answer, a young person's words or a password: Detail
// says what changed in staff terms ("draft to open", "role analyst to
// admin").
type AuditEntry struct {
	ID     string // sorts in time order, so that the newest come first by ID
	At     time.Time
	Actor  string // the member of staff's email, or ActorCommandLine, ActorSchedule
	Role   Role   // the actor's role at the time; empty for Heard itself
	Action AuditAction
	Target string // what was acted on: a survey's slug, a person's email, "settings"
	Detail string
}

// Actors that are not a member of staff.
const (
	ActorCommandLine = "heard (command line)"
	ActorSchedule    = "heard (schedule)"
	ActorHeard       = "heard"
)

// AuditFilter selects entries, newest first; a zero field matches all.
type AuditFilter struct {
	Actor  string
	Action AuditAction
	Target string
	From   time.Time // at or after
	To     time.Time // before
	Before string    // entries with an ID below this one: the next page
	Limit  int       // at most MaxAuditPage; 0 means DefaultAuditPage
}

// AuditStore keeps the audit log. It can only add entries and read them:
// nothing in Heard changes or deletes one.
type AuditStore interface {
	AppendAudit(ctx context.Context, e *AuditEntry) error
	// FindAudit returns the entries matching f, newest first.
	FindAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
}

// actorKey is the context key of an actor that is not a member of staff.
type actorKey struct{}

// NewContextWithActor returns a context whose audit entries name actor
// (ActorCommandLine, ActorSchedule) when it carries no member of staff.
func NewContextWithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// heardItself reports whether ctx is Heard acting for itself (the command
// line, the schedule, the demo) rather than a request: it names an actor
// and carries no member of staff.
func heardItself(ctx context.Context) bool {
	_, ok := ctx.Value(actorKey{}).(string)
	return ok && UserFromContext(ctx) == nil
}

// AuditLog records staff actions.
type AuditLog struct {
	Store AuditStore
	Now   func() time.Time
}

// Record adds an entry for an action done on behalf of the context's
// member of staff (or actor). Callers record after the action succeeded,
// and fail the request when recording fails: an action that cannot be
// recorded is reported as an error rather than passed over in silence.
func (l *AuditLog) Record(ctx context.Context, action AuditAction, target, detail string) error {
	if l == nil {
		return nil
	}
	at := l.Now().UTC()
	e := &AuditEntry{ID: auditID(at), At: at, Action: action, Target: target, Detail: clip(detail, MaxAuditDetail)}
	if u := UserFromContext(ctx); u != nil {
		e.Actor, e.Role = u.Email, u.Role
	} else if a, ok := ctx.Value(actorKey{}).(string); ok {
		e.Actor = a
	} else {
		e.Actor = ActorHeard
	}
	if err := l.Store.AppendAudit(ctx, e); err != nil {
		return fmt.Errorf("record %s in the audit log: %w", action, err)
	}
	return nil
}

// Find reads entries, checking the filter first.
func (l *AuditLog) Find(ctx context.Context, f AuditFilter) ([]*AuditEntry, error) {
	switch {
	case f.Limit == 0:
		f.Limit = DefaultAuditPage
	case f.Limit < 0 || f.Limit > MaxAuditPage:
		return nil, FieldsError("Too many entries asked for at once.", map[string]string{"limit": fmt.Sprintf("must be from 1 to %d", MaxAuditPage)})
	}
	if f.Action != "" && !f.Action.Valid() {
		return nil, FieldsError("That is not an action the audit log records.", map[string]string{"action": "is not a known action"})
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return nil, FieldsError("The dates are the wrong way round.", map[string]string{"to": "must be after the from date"})
	}
	entries, err := l.Store.FindAudit(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("read the audit log: %w", err)
	}
	return entries, nil
}

// auditID makes an ID that sorts by time (nanoseconds since 1970, padded)
// with random digits after, so that two entries in the same nanosecond
// from two instances do not collide.
func auditID(at time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return fmt.Sprintf("%020d-%s", at.UnixNano(), hex.EncodeToString(b[:]))
}

// clip shortens s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
