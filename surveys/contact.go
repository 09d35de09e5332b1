package surveys

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// A young person may ask, at the end of a survey or from the help page,
// for someone to talk to them, and say who they are and how to reach them.
// It is the one thing in Heard that names a young person, so:
//
//   - it is kept apart from the answers: its own record, with no response
//     id, no answers and nothing of the survey but its slug, and the day;
//   - the name, how to reach them and their message are sealed (encrypted
//     with a key the database does not hold) before storage sees them, and
//     so are the leads' notes, which may repeat them;
//   - only safeguarding leads read it, and each reading is audited, without
//     the words.

// Limits of a request to talk, in characters.
const (
	MaxContactNameLen    = 80
	MaxContactReachLen   = 200
	MaxContactMessageLen = 1000
)

// Limits on how often one client may ask: enough for a young person who
// asks again to add something, few enough that nobody can flood the leads'
// queue from one place.
const (
	MaxContactsPerClient = 5
	ContactWindow        = time.Hour
)

// ContactRequest is a young person's request for someone to talk to them,
// as a safeguarding lead reads it.
type ContactRequest struct {
	ID      string // random, and derived from nothing
	Survey  string // the survey's slug: where the young person asked
	Day     string // "2006-01-02": the day, never the time
	Name    string
	Reach   string // how to reach them: a phone number, an email, "through my carer"
	Message string // what they want to talk about; may be empty
	Lang    string // the language of the pages they used
	// Decisions are what leads did, oldest first, with their notes.
	Decisions []FlagDecision
	Alert     AlertState
	// Unreadable says the sealed words do not open with the key in use
	// (the key was changed, or the record was tampered with): Name, Reach,
	// Message and the notes are empty.
	Unreadable bool
}

// Reviewed reports whether a lead has recorded a decision.
func (r *ContactRequest) Reviewed() bool { return len(r.Decisions) > 0 }

// Latest returns the latest decision, or nil.
func (r *ContactRequest) Latest() *FlagDecision {
	if len(r.Decisions) == 0 {
		return nil
	}
	return &r.Decisions[len(r.Decisions)-1]
}

// ContactInput is a request as the young person typed it.
type ContactInput struct {
	Name    string
	Reach   string
	Message string
	Lang    string
	// Key is a UUID the page or phone made for this one request, so that
	// sending it again (a double tap, a retry after a dropped connection)
	// stores it once. It is optional, and says nothing about anyone.
	Key string
}

// Sealer encrypts and decrypts values bound to associated data (the id of
// the record they belong to), so that a sealed value moved to another
// record does not open. Package secret implements it with AES-256-GCM.
type Sealer interface {
	Seal(plaintext, associated []byte) ([]byte, error)
	Open(sealed, associated []byte) ([]byte, error)
}

// SealedContact is a request to talk as it is stored: everything that
// could name a young person is inside Details and the decisions' notes.
type SealedContact struct {
	ID        string
	Survey    string
	Day       string
	Lang      string
	Details   []byte // the sealed name, reach and message
	Decisions []SealedDecision
	Alert     AlertState
}

// Reviewed reports whether a lead has recorded a decision.
func (c *SealedContact) Reviewed() bool { return len(c.Decisions) > 0 }

// SealedDecision is a lead's decision as it is stored, with the note
// sealed.
type SealedDecision struct {
	Outcome FlagOutcome
	Service string
	Note    []byte // sealed; nil when there is no note
	By      string
	At      time.Time
}

// ContactFilter selects requests to talk.
type ContactFilter struct {
	Unreviewed bool
}

// ContactStore keeps requests to talk. It never sees them unsealed.
type ContactStore interface {
	// CreateContact stores a new request.
	CreateContact(ctx context.Context, c *SealedContact) error
	// FindContact returns the request with the id, or ENOTFOUND.
	FindContact(ctx context.Context, id string) (*SealedContact, error)
	// FindContacts returns the requests matching f, newest day first.
	FindContacts(ctx context.Context, f ContactFilter) ([]*SealedContact, error)
	// CountUnreviewed counts the requests no lead has reviewed.
	CountUnreviewed(ctx context.Context) (int, error)
	// AddDecision appends a decision and returns the request as it now
	// is, or ENOTFOUND.
	AddDecision(ctx context.Context, id string, d SealedDecision) (*SealedContact, error)
	// ContactsToAlert returns the requests whose alert is unsent and due.
	ContactsToAlert(ctx context.Context, now time.Time) ([]*SealedContact, error)
	// ClaimAlert claims the next attempt at a request's alert, as
	// FlagStore.ClaimAlert does for flags.
	ClaimAlert(ctx context.Context, id string, attempt int, at time.Time) (bool, error)
	// SetAlert records how an alert went.
	SetAlert(ctx context.Context, id string, a AlertState) error
}

// Contacts takes young people's requests to talk and shows them to
// safeguarding leads: it seals before storing, opens only for a lead, and
// records every reading and decision in the audit log (never the words).
type Contacts struct {
	Store   ContactStore
	Surveys SurveyStore
	Sealer  Sealer
	Audit   *AuditLog
	Now     func() time.Time
	// NewID makes a request's id; nil makes 128 random bits. It must not
	// be derived from anything about the request or the young person. (A
	// request with a key takes its id from the key, a random UUID.)
	NewID func() string
	// Created is told of each new request, to alert the leads at once
	// (Alerts.Nudge); nil tells nobody, and the alert loop finds it later.
	Created func()
}

// contactDetails is what is sealed: the words that could name someone.
type contactDetails struct {
	Name    string `json:"name"`
	Reach   string `json:"reach"`
	Message string `json:"message,omitempty"`
}

// noteAD is the associated data of a decision's note, so that a sealed
// note cannot stand in for a request's details.
func noteAD(id string) []byte { return []byte(id + "/note") }

// Request checks and stores a young person's request to talk. The survey
// must exist and be open. Errors about what was typed carry a Problem for
// "name", "reach" or "message", for pages to say in the young person's
// language.
func (cs *Contacts) Request(ctx context.Context, slug string, in ContactInput) (*ContactRequest, error) {
	s, err := cs.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	if s.Status != StatusOpen {
		return nil, Errorf(ECONFLICT, "This survey is not open.")
	}
	lang := in.Lang
	if lang == "" {
		lang = DefaultLanguage
	}
	if !ValidLanguage(lang) {
		return nil, FieldsError("The language is not one Heard knows.", map[string]string{"lang": "must be a language code such as \"en\""})
	}
	d, err := in.details()
	if err != nil {
		return nil, err
	}
	if in.Key != "" {
		key, ok := NormalizeID(in.Key)
		if !ok {
			return nil, FieldsError("The request's key must be a UUID made by the page.", map[string]string{"key": "must be a UUID"})
		}
		in.Key = key
	}
	plain, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("encode request to talk: %w", err)
	}
	id, err := cs.store(ctx, s.Slug, lang, in.Key, plain)
	if err != nil {
		return nil, err
	}
	return &ContactRequest{ID: id, Survey: s.Slug, Day: cs.Now().UTC().Format(time.DateOnly), Lang: lang,
		Name: d.Name, Reach: d.Reach, Message: d.Message}, nil
}

// store seals and stores a request and returns its id. With a key, the id
// comes from the key, so that the same request sent again is found
// stored and not stored twice. A stored request with that id but other
// words (a page served again from a cache, with its key) is not this one:
// this one then gets a random id, so that no request is ever lost.
func (cs *Contacts) store(ctx context.Context, slug, lang, key string, plain []byte) (string, error) {
	id := cs.newID()
	if key != "" {
		id = contactKeyID(slug, key)
	}
	err := cs.create(ctx, id, slug, lang, plain)
	if ErrorCode(err) == ECONFLICT && key != "" {
		same, serr := cs.storedAs(ctx, id, slug, lang, plain)
		if serr != nil {
			return "", serr
		}
		if same {
			return id, nil
		}
		id = cs.newID()
		err = cs.create(ctx, id, slug, lang, plain)
	}
	if err != nil {
		return "", fmt.Errorf("store request to talk: %w", err)
	}
	if cs.Created != nil {
		cs.Created()
	}
	return id, nil
}

// create seals plain under id and stores the request.
func (cs *Contacts) create(ctx context.Context, id, slug, lang string, plain []byte) error {
	sealed, err := cs.Sealer.Seal(plain, []byte(id))
	if err != nil {
		return fmt.Errorf("seal request to talk: %w", err)
	}
	c := &SealedContact{ID: id, Survey: slug, Day: cs.Now().UTC().Format(time.DateOnly), Lang: lang, Details: sealed}
	return cs.Store.CreateContact(ctx, c)
}

// storedAs reports whether the request stored with id is this one.
func (cs *Contacts) storedAs(ctx context.Context, id, slug, lang string, plain []byte) (bool, error) {
	c, err := cs.Store.FindContact(ctx, id)
	if err != nil {
		return false, fmt.Errorf("read request to talk: %w", err)
	}
	stored, err := cs.Sealer.Open(c.Details, []byte(id))
	if err != nil {
		return false, fmt.Errorf("open request to talk: %w", err)
	}
	return c.Survey == slug && c.Lang == lang && bytes.Equal(stored, plain), nil
}

// contactKeyID is the id of the request a page or phone made key for.
func contactKeyID(slug, key string) string {
	h := sha256.Sum256([]byte("contact\x00" + slug + "\x00" + key))
	return hex.EncodeToString(h[:16])
}

// details checks and tidies what was typed: a name and a way to reach
// them are needed; white space is made single in the one-line fields;
// text that is not text (invalid UTF-8, control characters) is refused.
func (in ContactInput) details() (contactDetails, error) {
	d := contactDetails{
		Name:    strings.Join(strings.Fields(in.Name), " "),
		Reach:   strings.Join(strings.Fields(in.Reach), " "),
		Message: strings.TrimSpace(strings.ReplaceAll(in.Message, "\r\n", "\n")),
	}
	ps := problems{}
	for _, f := range []struct {
		key, value string
		limit      int
		required   bool
	}{
		{"name", d.Name, MaxContactNameLen, true},
		{"reach", d.Reach, MaxContactReachLen, true},
		{"message", d.Message, MaxContactMessageLen, false},
	} {
		n := utf8.RuneCountInString(f.value)
		switch {
		case !isText(f.value):
			ps.add(f.key, Problem{Code: ProblemText})
		case f.required && n == 0:
			ps.add(f.key, Problem{Code: ProblemRequired})
		case n > f.limit:
			ps.add(f.key, Problem{Code: ProblemTooLong, Limit: f.limit, Length: n})
		}
	}
	if len(ps) > 0 {
		return d, ProblemsError("Some of what you wrote needs another look.", ps)
	}
	return d, nil
}

// isText reports whether s is valid UTF-8 without control characters
// other than line breaks and tabs.
func isText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return false
		}
	}
	return true
}

func (cs *Contacts) newID() string {
	if cs.NewID != nil {
		return cs.NewID()
	}
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// requireLead refuses anyone but a safeguarding lead. The route table
// refuses them first; this keeps the rule where the words are opened, so
// that no other way in can forget it.
func requireLead(ctx context.Context) error {
	u := UserFromContext(ctx)
	switch {
	case u == nil:
		return Errorf(EUNAUTHORIZED, "Sign in to read requests to talk.")
	case u.Role != RoleSafeguardingLead:
		return Errorf(EFORBIDDEN, "Only safeguarding leads can read requests to talk.")
	}
	return nil
}

// List returns every request, opened, those no lead has reviewed first,
// each group newest first, and records that the list was read.
func (cs *Contacts) List(ctx context.Context) ([]*ContactRequest, error) {
	if err := requireLead(ctx); err != nil {
		return nil, err
	}
	sealed, err := cs.Store.FindContacts(ctx, ContactFilter{})
	if err != nil {
		return nil, fmt.Errorf("read requests to talk: %w", err)
	}
	var open, done []*ContactRequest
	for _, c := range sealed {
		r := cs.open(c)
		if r.Reviewed() {
			done = append(done, r)
		} else {
			open = append(open, r)
		}
	}
	if err := cs.Audit.Record(ctx, AuditContactList, "", fmt.Sprintf("%d requests, %d unreviewed", len(sealed), len(open))); err != nil {
		return nil, err
	}
	return append(open, done...), nil
}

// View returns one request, opened, and records that it was read.
func (cs *Contacts) View(ctx context.Context, id string) (*ContactRequest, error) {
	if err := requireLead(ctx); err != nil {
		return nil, err
	}
	c, err := cs.Store.FindContact(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := cs.Audit.Record(ctx, AuditContactView, id, ""); err != nil {
		return nil, err
	}
	return cs.open(c), nil
}

// CountUnreviewed counts the requests no lead has reviewed, opening none.
func (cs *Contacts) CountUnreviewed(ctx context.Context) (int, error) {
	if err := requireLead(ctx); err != nil {
		return 0, err
	}
	n, err := cs.Store.CountUnreviewed(ctx)
	if err != nil {
		return 0, fmt.Errorf("count requests to talk: %w", err)
	}
	return n, nil
}

// Decide records what a lead did about a request, as Safeguarding.Decide
// does for a flag. The note is sealed; the audit log holds the outcome.
func (cs *Contacts) Decide(ctx context.Context, id string, in FlagDecisionInput) (*ContactRequest, error) {
	if err := requireLead(ctx); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	c, err := cs.Store.FindContact(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(c.Decisions) >= MaxFlagDecisions {
		return nil, Errorf(ECONFLICT, "This request has %d decisions already, the most Heard keeps.", MaxFlagDecisions)
	}
	d := SealedDecision{Outcome: in.Outcome, Service: in.Service, By: UserFromContext(ctx).Email, At: cs.Now().UTC()}
	if in.Outcome != OutcomePassedOn {
		d.Service = ""
	}
	if in.Note != "" {
		if d.Note, err = cs.Sealer.Seal([]byte(in.Note), noteAD(id)); err != nil {
			return nil, fmt.Errorf("seal decision note: %w", err)
		}
	}
	if c, err = cs.Store.AddDecision(ctx, id, d); err != nil {
		return nil, fmt.Errorf("record a decision on a request to talk: %w", err)
	}
	if err := cs.Audit.Record(ctx, AuditContactDecide, id, string(in.Outcome)); err != nil {
		return nil, err
	}
	return cs.open(c), nil
}

// Find returns one request, opened, without recording a reading: for a
// page shown again beside a decision's mistakes, after View recorded it.
func (cs *Contacts) Find(ctx context.Context, id string) (*ContactRequest, error) {
	if err := requireLead(ctx); err != nil {
		return nil, err
	}
	c, err := cs.Store.FindContact(ctx, id)
	if err != nil {
		return nil, err
	}
	return cs.open(c), nil
}

// open unseals a stored request. One that does not open is returned
// marked Unreadable, rather than failing the lead's whole list.
func (cs *Contacts) open(c *SealedContact) *ContactRequest {
	r := &ContactRequest{ID: c.ID, Survey: c.Survey, Day: c.Day, Lang: c.Lang, Alert: c.Alert}
	var d contactDetails
	plain, err := cs.Sealer.Open(c.Details, []byte(c.ID))
	if err == nil {
		err = json.Unmarshal(plain, &d)
	}
	if err != nil {
		r.Unreadable = true
	} else {
		r.Name, r.Reach, r.Message = d.Name, d.Reach, d.Message
	}
	for _, sd := range c.Decisions {
		fd := FlagDecision{Outcome: sd.Outcome, Service: sd.Service, By: sd.By, At: sd.At}
		if len(sd.Note) > 0 {
			note, err := cs.Sealer.Open(sd.Note, noteAD(c.ID))
			if err != nil {
				r.Unreadable = true
			} else {
				fd.Note = string(note)
			}
		}
		r.Decisions = append(r.Decisions, fd)
	}
	return r
}

// ContactLimiter limits how many requests to talk one client may make in
// a window. It keeps, in memory only, a keyed hash of each client's
// address rather than the address: the hash's key is random and lives as
// long as the process, so nothing it holds can be matched to an address
// later, even from a copy of the memory.
type ContactLimiter struct {
	counts FailureLimiter
	key    [32]byte
}

// NewContactLimiter returns a limiter of n requests per client in each
// window.
func NewContactLimiter(n int, window time.Duration, now func() time.Time) *ContactLimiter {
	l := &ContactLimiter{counts: FailureLimiter{Max: n, Window: window, Now: now}}
	_, _ = rand.Read(l.key[:]) // crypto/rand.Read never fails
	return l
}

// DefaultContactLimiter allows MaxContactsPerClient in each ContactWindow.
func DefaultContactLimiter(now func() time.Time) *ContactLimiter {
	return NewContactLimiter(MaxContactsPerClient, ContactWindow, now)
}

func (l *ContactLimiter) client(addr string) string {
	m := hmac.New(sha256.New, l.key[:])
	m.Write([]byte(addr))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Blocked reports whether the client has made its requests for this
// window, and how long until it may make more.
func (l *ContactLimiter) Blocked(addr string) (time.Duration, bool) {
	return l.counts.Blocked(l.client(addr))
}

// Count counts a stored request against the client. Requests refused for
// their mistakes are not counted, so a young person correcting one is
// never stopped.
func (l *ContactLimiter) Count(addr string) { l.counts.Fail(l.client(addr)) }
