package surveys

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Role is what a member of staff does, and so what Heard lets them see.
type Role string

// Roles of staff.
const (
	RoleAdmin            Role = "admin"             // runs Heard: people, settings, everything
	RoleAnalyst          Role = "analyst"           // surveys, coding, results and reports
	RoleFacilitator      Role = "facilitator"       // runs MADE live sessions
	RoleSchoolLead       Role = "school_lead"       // records one school council's feedback
	RoleSafeguardingLead Role = "safeguarding_lead" // sees and acts on safeguarding flags
	RoleBoard            Role = "board"             // reads results and reports only
)

// Roles lists every role, in the order they are shown.
var Roles = []Role{RoleAdmin, RoleAnalyst, RoleFacilitator, RoleSchoolLead, RoleSafeguardingLead, RoleBoard}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Limits on staff accounts and sessions.
const (
	MinPasswordLength = 12   // characters
	MaxPasswordLength = 1024 // bytes; longer is refused before hashing, so it costs nothing
	MaxEmailLength    = 254
	SessionLifetime   = 8 * time.Hour   // by default, a session ends after this long without use
	MinSessionIdle    = 5 * time.Minute // the shortest idle time a council may configure
	MaxSessionIdle    = 7 * 24 * time.Hour
	SessionRefresh    = 5 * time.Minute // how often use moves the expiry (saves a write per request)
	ResetLifetime     = 24 * time.Hour  // a password reset link works for this long, once
)

// User is a member of staff. Staff accounts are the only accounts in Heard:
// young people never have one.
type User struct {
	Email        string // lower case; the account's identity
	Role         Role
	PasswordHash string
	Disabled     bool
	// School is the key of the school a school lead keeps records for;
	// "" until an admin links them, and for every other role.
	School    string
	Created   time.Time
	LastLogin time.Time // zero until the first sign-in
}

// Session is a signed-in member of staff. The token itself is only in the
// browser's cookie; Heard keeps its hash, so a copy of the database cannot
// be used to sign in.
type Session struct {
	TokenHash string
	Email     string
	CSRFToken string // sent back with every change, so other sites cannot forge one
	Created   time.Time
	Expires   time.Time
}

// NormalizeEmail returns the address in lower case, or EINVALID.
func NormalizeEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if len(email) > MaxEmailLength {
		return "", FieldsError("The email address is too long.", map[string]string{"email": fmt.Sprintf("must be at most %d characters", MaxEmailLength)})
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || !strings.Contains(email, "@") {
		return "", FieldsError("The email address is not valid.", map[string]string{"email": "must be an address such as name@council.gov.uk"})
	}
	return email, nil
}

// CheckPassword enforces the password rules for a new password.
func CheckPassword(password string) error {
	switch {
	case len(password) > MaxPasswordLength:
		return FieldsError("The password is too long.", map[string]string{"password": fmt.Sprintf("must be at most %d bytes", MaxPasswordLength)})
	case utf8.RuneCountInString(password) < MinPasswordLength:
		return FieldsError("The password is too short.", map[string]string{"password": fmt.Sprintf("must be at least %d characters", MinPasswordLength)})
	}
	return nil
}

// Passwords hashes and checks passwords; surveys/password implements it
// with argon2id.
type Passwords interface {
	Hash(password string) (string, error)
	Verify(hash, password string) bool
}

// NewToken returns a random token of 32 bytes, URL-safe.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the hex SHA-256 of a token: what Heard stores in its
// place. Tokens are random, so a fast hash is enough.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Accounts signs staff in and out and creates their accounts.
type Accounts struct {
	Users     UserStore
	Sessions  SessionStore
	Resets    ResetStore
	Passwords Passwords
	Audit     *AuditLog
	Now       func() time.Time
	// Idle is how long a session lasts without use; 0 means
	// SessionLifetime.
	Idle time.Duration
	// dummyHash is verified against when the email is unknown, so that a
	// wrong email and a wrong password take the same time.
	dummyOnce sync.Once
	dummyHash string
	// adminChange makes "is there another admin?" and the change that
	// follows one step, so that two admins demoting each other at the
	// same moment cannot leave none. It holds within one process: the
	// stores have no multi-document transactions on the embedded database
	// (docs/storage.md says so for several instances).
	adminChange sync.Mutex
}

// CreateUser adds a member of staff with a new password.
func (a *Accounts) CreateUser(ctx context.Context, email string, role Role, password string) (*User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	if !role.Valid() {
		return nil, FieldsError("The role is not one Heard knows.", map[string]string{"role": "must be one of " + roleList()})
	}
	if err := CheckPassword(password); err != nil {
		return nil, err
	}
	hash, err := a.Passwords.Hash(password)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	u := &User{Email: email, Role: role, PasswordHash: hash, Created: a.Now().UTC()}
	if err := a.Users.CreateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("create user: %w", err)
	}
	if err := a.Audit.Record(ctx, AuditUserCreate, u.Email, "role "+string(role)); err != nil {
		return nil, err
	}
	return u, nil
}

func roleList() string {
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// errBadLogin is the one answer to every failed sign-in, so that it does not
// tell whether the email exists.
var errBadLogin = Errorf(EUNAUTHORIZED, "The email or password is not right.")

// Login checks an email and password and starts a session. It returns the
// token for the cookie; a wrong email, a wrong password and a disabled
// account all give the same EUNAUTHORIZED error.
func (a *Accounts) Login(ctx context.Context, email, password string) (token string, s *Session, u *User, err error) {
	if len(password) > MaxPasswordLength {
		return "", nil, nil, errBadLogin
	}
	email, err = NormalizeEmail(email)
	if err != nil {
		return "", nil, nil, errBadLogin
	}
	u, err = a.Users.FindUser(ctx, email)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		a.Passwords.Verify(a.dummy(), password)
		return "", nil, nil, errBadLogin
	case err != nil:
		return "", nil, nil, fmt.Errorf("login: %w", err)
	}
	if !a.Passwords.Verify(u.PasswordHash, password) || u.Disabled {
		return "", nil, nil, errBadLogin
	}
	now := a.Now().UTC()
	token = NewToken()
	s = &Session{TokenHash: HashToken(token), Email: u.Email, CSRFToken: NewToken(), Created: now, Expires: now.Add(a.idle())}
	if err := a.Sessions.CreateSession(ctx, s); err != nil {
		return "", nil, nil, fmt.Errorf("login: %w", err)
	}
	if err := a.Users.RecordLogin(ctx, u.Email, now); err != nil {
		return "", nil, nil, fmt.Errorf("login: %w", err)
	}
	if err := a.Audit.Record(NewContextWithUser(ctx, u), AuditSignIn, u.Email, ""); err != nil {
		return "", nil, nil, err
	}
	return token, s, u, nil
}

// idle returns how long a session lasts without use.
func (a *Accounts) idle() time.Duration {
	if a.Idle > 0 {
		return a.Idle
	}
	return SessionLifetime
}

func (a *Accounts) dummy() string {
	a.dummyOnce.Do(func() {
		a.dummyHash, _ = a.Passwords.Hash("not a real password, only for timing")
	})
	return a.dummyHash
}

// Authenticate returns the session and account of a token, moving the
// session's expiry forward. A missing, expired or unknown token, or a
// disabled account, fails with EUNAUTHORIZED.
func (a *Accounts) Authenticate(ctx context.Context, token string) (*Session, *User, error) {
	if token == "" || len(token) > 128 {
		return nil, nil, Errorf(EUNAUTHORIZED, "Please sign in.")
	}
	hash := HashToken(token)
	s, err := a.Sessions.FindSession(ctx, hash)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, Errorf(EUNAUTHORIZED, "Please sign in.")
	} else if err != nil {
		return nil, nil, fmt.Errorf("authenticate: %w", err)
	}
	now := a.Now().UTC()
	if !now.Before(s.Expires) {
		_ = a.Sessions.DeleteSession(ctx, hash)
		return nil, nil, Errorf(EUNAUTHORIZED, "Your session has ended. Please sign in again.")
	}
	u, err := a.Users.FindUser(ctx, s.Email)
	if ErrorCode(err) == ENOTFOUND || (err == nil && u.Disabled) {
		_ = a.Sessions.DeleteSession(ctx, hash)
		return nil, nil, Errorf(EUNAUTHORIZED, "Please sign in.")
	} else if err != nil {
		return nil, nil, fmt.Errorf("authenticate: %w", err)
	}
	if expires := now.Add(a.idle()); expires.Sub(s.Expires) >= min(SessionRefresh, a.idle()/4) {
		if err := a.Sessions.TouchSession(ctx, hash, expires); err != nil {
			return nil, nil, fmt.Errorf("authenticate: %w", err)
		}
		s.Expires = expires
	}
	return s, u, nil
}

// Logout ends the session of a token.
func (a *Accounts) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	if err := a.Sessions.DeleteSession(ctx, HashToken(token)); err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	if u := UserFromContext(ctx); u != nil {
		return a.Audit.Record(ctx, AuditSignOut, u.Email, "")
	}
	return nil
}
