package surveys_test

import (
	"context"
	"encoding/base64"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
)

// memUsers is an in-memory surveys.UserStore for tests of the domain.
type memUsers struct {
	mu    sync.Mutex
	users map[string]surveys.User
}

func (m *memUsers) FindUser(_ context.Context, email string) (*surveys.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[email]
	if !ok {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "No such account.")
	}
	return &u, nil
}

func (m *memUsers) CreateUser(_ context.Context, u *surveys.User) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.users[u.Email]; ok {
		return surveys.Errorf(surveys.ECONFLICT, "That email already has an account.")
	}
	m.users[u.Email] = *u
	return nil
}

func (m *memUsers) RecordLogin(_ context.Context, email string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[email]
	if !ok {
		return surveys.Errorf(surveys.ENOTFOUND, "No such account.")
	}
	u.LastLogin = at
	m.users[email] = u
	return nil
}

func (m *memUsers) FindUsers(context.Context) ([]*surveys.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*surveys.User
	for _, u := range m.users {
		out = append(out, &u)
	}
	slices.SortFunc(out, func(a, b *surveys.User) int { return strings.Compare(a.Email, b.Email) })
	return out, nil
}

func (m *memUsers) UpdateUser(_ context.Context, email string, upd surveys.UserUpdate) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[email]
	if !ok {
		return surveys.Errorf(surveys.ENOTFOUND, "No such account.")
	}
	if upd.Role != nil {
		u.Role = *upd.Role
	}
	if upd.Disabled != nil {
		u.Disabled = *upd.Disabled
	}
	if upd.PasswordHash != nil {
		u.PasswordHash = *upd.PasswordHash
	}
	m.users[email] = u
	return nil
}

func (m *memUsers) get(email string) (surveys.User, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[email]
	return u, ok
}

func (m *memUsers) change(email string, f func(u *surveys.User)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.users[email]
	f(&u)
	m.users[email] = u
}

// memSessions is an in-memory surveys.SessionStore.
type memSessions struct {
	mu       sync.Mutex
	sessions map[string]surveys.Session
	touches  int
}

func (m *memSessions) CreateSession(_ context.Context, s *surveys.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions[s.TokenHash] = *s
	return nil
}

func (m *memSessions) FindSession(_ context.Context, tokenHash string) (*surveys.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[tokenHash]
	if !ok {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "No such session.")
	}
	return &s, nil
}

func (m *memSessions) TouchSession(_ context.Context, tokenHash string, expires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[tokenHash]
	if !ok {
		return surveys.Errorf(surveys.ENOTFOUND, "No such session.")
	}
	s.Expires = expires
	m.sessions[tokenHash] = s
	m.touches++
	return nil
}

func (m *memSessions) DeleteSession(_ context.Context, tokenHash string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, tokenHash)
	return nil
}

func (m *memSessions) DeleteUserSessions(_ context.Context, email string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, s := range m.sessions {
		if s.Email == email {
			delete(m.sessions, k)
		}
	}
	return nil
}

func (m *memSessions) snapshot() (map[string]surveys.Session, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.sessions), m.touches
}

// fakePasswords "hashes" a password as "hash:" and the password, and counts
// the checks.
type fakePasswords struct {
	mu       sync.Mutex
	verifies int
}

func (p *fakePasswords) Hash(password string) (string, error) { return "hash:" + password, nil }

func (p *fakePasswords) Verify(hash, password string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.verifies++
	return hash == "hash:"+password
}

func (p *fakePasswords) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.verifies
}

// loginStart is when tests of accounts begin: 9:00 in a zone an hour ahead
// of UTC, so that a time kept in UTC shows.
var loginStart = time.Date(2026, 3, 30, 9, 0, 0, 0, time.FixedZone("UTC+1", 3600))

const (
	staffEmail    = "analyst@council.gov.uk"
	staffPassword = "correct horse battery"
)

type accountsFixture struct {
	accounts  *surveys.Accounts
	users     *memUsers
	sessions  *memSessions
	passwords *fakePasswords
	clock     *clock
}

// newAccounts returns Accounts with one member of staff, staffEmail.
func newAccounts(t *testing.T) *accountsFixture {
	t.Helper()
	f := &accountsFixture{
		users:     &memUsers{users: map[string]surveys.User{}},
		sessions:  &memSessions{sessions: map[string]surveys.Session{}},
		passwords: &fakePasswords{},
		clock:     newClock(loginStart),
	}
	f.users.users[staffEmail] = surveys.User{Email: staffEmail, Role: surveys.RoleAnalyst, PasswordHash: "hash:" + staffPassword}
	f.accounts = &surveys.Accounts{Users: f.users, Sessions: f.sessions, Passwords: f.passwords, Now: f.clock.Now}
	return f
}

func (f *accountsFixture) login(t *testing.T) string {
	t.Helper()
	token, _, _, err := f.accounts.Login(context.Background(), staffEmail, staffPassword)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	return token
}

func TestNormalizeEmail(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 61) + "." + strings.Repeat("c", 60) + "." + strings.Repeat("d", 63) + ".uk"
	if len(long) != surveys.MaxEmailLength {
		t.Fatalf("long address has %d bytes", len(long))
	}
	valid := []struct{ in, want string }{
		{"name@council.gov.uk", "name@council.gov.uk"},
		{"  Name@Council.GOV.uk \n", "name@council.gov.uk"},
		{"first.last+heard@example.org", "first.last+heard@example.org"},
		{long, long},
	}
	for _, tt := range valid {
		got, err := surveys.NormalizeEmail(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	invalid := []struct{ in, message string }{
		{"", "must be an address such as name@council.gov.uk"},
		{"name", "must be an address such as name@council.gov.uk"},
		{"name@", "must be an address such as name@council.gov.uk"},
		{"@council.gov.uk", "must be an address such as name@council.gov.uk"},
		{"name@@council.gov.uk", "must be an address such as name@council.gov.uk"},
		{"Name <name@council.gov.uk>", "must be an address such as name@council.gov.uk"},
		{"a@council.gov.uk, b@council.gov.uk", "must be an address such as name@council.gov.uk"},
		{long + "k", "must be at most 254 characters"},
	}
	for _, tt := range invalid {
		got, err := surveys.NormalizeEmail(tt.in)
		if got != "" {
			t.Errorf("NormalizeEmail(%q) = %q with an error", tt.in, got)
		}
		assertFields(t, err, map[string]string{"email": tt.message})
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	const short, long = "must be at least 12 characters", "must be at most 1024 bytes"
	tests := []struct {
		name, password, want string // want is the field message, or "" when valid
	}{
		{"empty", "", short},
		{"11 characters", strings.Repeat("a", 11), short},
		{"12 characters", strings.Repeat("a", 12), ""},
		{"11 Polish characters, 22 bytes", strings.Repeat("ż", 11), short},
		{"12 Polish characters", strings.Repeat("ż", 12), ""},
		{"11 emoji, 44 bytes", strings.Repeat("🔒", 11), short},
		{"12 emoji", strings.Repeat("🔒", 12), ""},
		{"1024 bytes", strings.Repeat("a", surveys.MaxPasswordLength), ""},
		{"1025 bytes", strings.Repeat("a", surveys.MaxPasswordLength+1), long},
		{"512 Polish characters, 1024 bytes", strings.Repeat("ż", 512), ""},
		{"513 Polish characters, 1026 bytes", strings.Repeat("ż", 513), long},
	}
	for _, tt := range tests {
		err := surveys.CheckPassword(tt.password)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: CheckPassword = %v", tt.name, err)
			}
			continue
		}
		assertFields(t, err, map[string]string{"password": tt.want})
	}
}

func TestRoleValid(t *testing.T) {
	t.Parallel()
	want := []surveys.Role{"admin", "analyst", "facilitator", "school_lead", "safeguarding_lead", "board"}
	if len(surveys.Roles) != len(want) {
		t.Fatalf("Roles = %v; want %v", surveys.Roles, want)
	}
	for i, r := range want {
		if surveys.Roles[i] != r || !r.Valid() {
			t.Errorf("role %d: %q valid %t; want %q valid", i, surveys.Roles[i], r.Valid(), r)
		}
	}
	for _, r := range []surveys.Role{"", "Admin", "superuser", "admin "} {
		if r.Valid() {
			t.Errorf("Role(%q).Valid() = true", r)
		}
	}
}

func TestHashToken(t *testing.T) {
	t.Parallel()
	tests := []struct{ token, want string }{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	}
	for _, tt := range tests {
		if got := surveys.HashToken(tt.token); got != tt.want {
			t.Errorf("HashToken(%q) = %s; want %s", tt.token, got, tt.want)
		}
	}
	token := surveys.NewToken()
	first, second := surveys.HashToken(token), surveys.HashToken(strings.Clone(token))
	if first != second {
		t.Errorf("HashToken gives %s and %s for one token", first, second)
	}
	if first == surveys.HashToken(token+"x") {
		t.Error("HashToken gives one hash for two tokens")
	}
}

func TestNewToken(t *testing.T) {
	t.Parallel()
	shape := regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
	seen := map[string]bool{}
	for range 1000 {
		token := surveys.NewToken()
		if !shape.MatchString(token) {
			t.Fatalf("NewToken() = %q; want 43 URL-safe characters", token)
		}
		if b, err := base64.RawURLEncoding.DecodeString(token); err != nil || len(b) != 32 {
			t.Fatalf("NewToken() = %q decodes to %d bytes, %v; want 32", token, len(b), err)
		}
		if seen[token] {
			t.Fatalf("NewToken() gave %q twice", token)
		}
		seen[token] = true
	}
}

func TestCreateUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("created", func(t *testing.T) {
		t.Parallel()
		f := newAccounts(t)
		u, err := f.accounts.CreateUser(ctx, " Lead@School.sch.uk ", surveys.RoleSchoolLead, "a long enough password")
		if err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		want := surveys.User{Email: "lead@school.sch.uk", Role: surveys.RoleSchoolLead, PasswordHash: "hash:a long enough password", Created: loginStart.UTC()}
		if *u != want {
			t.Errorf("CreateUser = %+v; want %+v", *u, want)
		}
		if u.Created.Location() != time.UTC {
			t.Errorf("Created is in %v; want UTC", u.Created.Location())
		}
		if stored, ok := f.users.get("lead@school.sch.uk"); !ok || stored != want {
			t.Errorf("stored %+v, %t; want %+v", stored, ok, want)
		}
	})
	tests := []struct {
		name            string
		email, password string
		role            surveys.Role
		wantCode        string
		wantFields      map[string]string
	}{
		{"bad email", "lead", "a long enough password", surveys.RoleBoard, surveys.EINVALID,
			map[string]string{"email": "must be an address such as name@council.gov.uk"}},
		{"unknown role", "lead@school.sch.uk", "a long enough password", "superuser", surveys.EINVALID,
			map[string]string{"role": "must be one of admin, analyst, facilitator, school_lead, safeguarding_lead, board"}},
		{"short password", "lead@school.sch.uk", "too short", surveys.RoleBoard, surveys.EINVALID,
			map[string]string{"password": "must be at least 12 characters"}},
		{"long password", "lead@school.sch.uk", strings.Repeat("a", 1025), surveys.RoleBoard, surveys.EINVALID,
			map[string]string{"password": "must be at most 1024 bytes"}},
		{"email taken, in another case", "Analyst@Council.gov.uk", "a long enough password", surveys.RoleBoard, surveys.ECONFLICT, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newAccounts(t)
			u, err := f.accounts.CreateUser(ctx, tt.email, tt.role, tt.password)
			if u != nil {
				t.Errorf("CreateUser returned %+v with an error", u)
			}
			if code := surveys.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("code = %q (%v); want %q", code, err, tt.wantCode)
			}
			if got := surveys.ErrorFields(err); !maps.Equal(got, tt.wantFields) {
				t.Errorf("fields = %v; want %v", got, tt.wantFields)
			}
			if n := len(f.users.users); n != 1 {
				t.Errorf("%d accounts stored; want only the first", n)
			}
			if u, _ := f.users.get(staffEmail); u.PasswordHash != "hash:"+staffPassword || u.Role != surveys.RoleAnalyst {
				t.Errorf("the existing account changed: %+v", u)
			}
		})
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("signed in", func(t *testing.T) {
		t.Parallel()
		f := newAccounts(t)
		token, s, u, err := f.accounts.Login(ctx, "  Analyst@COUNCIL.gov.uk", staffPassword)
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		if len(token) != 43 {
			t.Errorf("token %q has %d characters; want 43", token, len(token))
		}
		now := loginStart.UTC()
		want := surveys.Session{TokenHash: surveys.HashToken(token), Email: staffEmail, CSRFToken: s.CSRFToken, Created: now, Expires: now.Add(8 * time.Hour)}
		if *s != want {
			t.Errorf("session = %+v; want %+v", *s, want)
		}
		if len(s.CSRFToken) != 43 || s.CSRFToken == token {
			t.Errorf("CSRF token %q; want a second token of 43 characters", s.CSRFToken)
		}
		if u.Email != staffEmail || u.Role != surveys.RoleAnalyst {
			t.Errorf("user = %+v", u)
		}
		sessions, _ := f.sessions.snapshot()
		if len(sessions) != 1 || sessions[want.TokenHash] != want {
			t.Errorf("stored sessions = %+v; want only %+v", sessions, want)
		}
		if _, ok := sessions[token]; ok {
			t.Error("the token itself is stored; only its hash may be")
		}
		if stored, _ := f.users.get(staffEmail); !stored.LastLogin.Equal(now) {
			t.Errorf("LastLogin = %v; want %v", stored.LastLogin, now)
		}
	})

	tests := []struct {
		name, email, password string
		disabled              bool
		wantVerifies          int
	}{
		{"wrong password", staffEmail, "wrong horse battery", false, 1},
		{"unknown email: a password is still checked, for the timing", "nobody@council.gov.uk", staffPassword, false, 1},
		{"disabled account with the right password", staffEmail, staffPassword, true, 1},
		{"not an email", "analyst", staffPassword, false, 0},
		{"password too long to hash", staffEmail, strings.Repeat("a", surveys.MaxPasswordLength+1), false, 0},
		{"empty password", staffEmail, "", false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newAccounts(t)
			if tt.disabled {
				f.users.change(staffEmail, func(u *surveys.User) { u.Disabled = true })
			}
			token, s, u, err := f.accounts.Login(ctx, tt.email, tt.password)
			if token != "" || s != nil || u != nil {
				t.Errorf("Login returned %q, %v, %v with an error", token, s, u)
			}
			// Every failure is the same failure, so that it tells nothing.
			if err == nil || err.Error() != "unauthorized: The email or password is not right." {
				t.Errorf("Login error = %v", err)
			}
			if code, msg := surveys.ErrorCode(err), surveys.ErrorMessage(err); code != surveys.EUNAUTHORIZED || msg != "The email or password is not right." {
				t.Errorf("Login error = %q, %q", code, msg)
			}
			if got := f.passwords.count(); got != tt.wantVerifies {
				t.Errorf("%d passwords checked; want %d", got, tt.wantVerifies)
			}
			if sessions, _ := f.sessions.snapshot(); len(sessions) != 0 {
				t.Errorf("a failed sign-in stored sessions: %v", sessions)
			}
			if stored, _ := f.users.get(staffEmail); !stored.LastLogin.IsZero() {
				t.Errorf("a failed sign-in recorded a login at %v", stored.LastLogin)
			}
		})
	}
}

func TestAuthenticateKeepsSessionsAliveByUse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAccounts(t)
	token := f.login(t)
	hash := surveys.HashToken(token)
	start := loginStart.UTC()
	steps := []struct {
		name        string
		advance     time.Duration
		wantErr     string // the message, or "" for signed in
		wantExpires time.Duration
		wantTouches int
	}{
		{"at once", 0, "", 8 * time.Hour, 0},
		{"just under SessionRefresh later: not moved", surveys.SessionRefresh - time.Second, "", 8 * time.Hour, 0},
		{"SessionRefresh later: moved", time.Second, "", surveys.SessionRefresh + 8*time.Hour, 1},
		{"a moment before it ends: moved", 8*time.Hour - time.Nanosecond, "", surveys.SessionRefresh + 16*time.Hour - time.Nanosecond, 2},
		{"SessionLifetime without use: ended", 8 * time.Hour, "Your session has ended. Please sign in again.", 0, 2},
		{"afterwards: gone", time.Second, "Please sign in.", 0, 2},
	}
	for _, step := range steps {
		f.clock.Advance(step.advance)
		s, u, err := f.accounts.Authenticate(ctx, token)
		sessions, touches := f.sessions.snapshot()
		if touches != step.wantTouches {
			t.Errorf("%s: %d touches; want %d", step.name, touches, step.wantTouches)
		}
		if step.wantErr != "" {
			if code, msg := surveys.ErrorCode(err), surveys.ErrorMessage(err); code != surveys.EUNAUTHORIZED || msg != step.wantErr {
				t.Errorf("%s: Authenticate error = %q, %q; want %q, %q", step.name, code, msg, surveys.EUNAUTHORIZED, step.wantErr)
			}
			if s != nil || u != nil {
				t.Errorf("%s: Authenticate returned a session with an error", step.name)
			}
			if _, ok := sessions[hash]; ok {
				t.Errorf("%s: the ended session is still stored", step.name)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: Authenticate: %v", step.name, err)
		}
		want := start.Add(step.wantExpires)
		if !s.Expires.Equal(want) || !sessions[hash].Expires.Equal(want) {
			t.Errorf("%s: expires %v, stored %v; want %v", step.name, s.Expires, sessions[hash].Expires, want)
		}
		if u.Email != staffEmail || s.Email != staffEmail {
			t.Errorf("%s: signed in as %q, %q", step.name, u.Email, s.Email)
		}
	}
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name    string
		prepare func(f *accountsFixture, token string) string // returns the token to present
		wantErr string
	}{
		{"signed in just before SessionLifetime", func(f *accountsFixture, token string) string {
			f.clock.Advance(surveys.SessionLifetime - time.Nanosecond)
			return token
		}, ""},
		{"ended at SessionLifetime", func(f *accountsFixture, token string) string {
			f.clock.Advance(surveys.SessionLifetime)
			return token
		}, "Your session has ended. Please sign in again."},
		{"unknown token", func(*accountsFixture, string) string { return surveys.NewToken() }, "Please sign in."},
		{"empty token", func(*accountsFixture, string) string { return "" }, "Please sign in."},
		{"token longer than 128", func(*accountsFixture, string) string { return strings.Repeat("a", 129) }, "Please sign in."},
		{"the token's hash instead of the token", func(_ *accountsFixture, token string) string { return surveys.HashToken(token) }, "Please sign in."},
		{"account disabled since", func(f *accountsFixture, token string) string {
			f.users.change(staffEmail, func(u *surveys.User) { u.Disabled = true })
			return token
		}, "Please sign in."},
		{"account gone since", func(f *accountsFixture, token string) string {
			f.users.mu.Lock()
			delete(f.users.users, staffEmail)
			f.users.mu.Unlock()
			return token
		}, "Please sign in."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newAccounts(t)
			token := f.login(t)
			s, u, err := f.accounts.Authenticate(ctx, tt.prepare(f, token))
			if tt.wantErr == "" {
				if err != nil || s == nil || u == nil {
					t.Fatalf("Authenticate = %v, %v, %v", s, u, err)
				}
				return
			}
			if code, msg := surveys.ErrorCode(err), surveys.ErrorMessage(err); code != surveys.EUNAUTHORIZED || msg != tt.wantErr {
				t.Errorf("Authenticate error = %q, %q; want %q, %q", code, msg, surveys.EUNAUTHORIZED, tt.wantErr)
			}
			if s != nil || u != nil {
				t.Error("Authenticate returned a session with an error")
			}
		})
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAccounts(t)
	token := f.login(t)
	other := f.login(t)
	if err := f.accounts.Logout(ctx, token); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	sessions, _ := f.sessions.snapshot()
	if _, ok := sessions[surveys.HashToken(token)]; ok || len(sessions) != 1 {
		t.Errorf("after Logout the sessions are %v; want only the other one", sessions)
	}
	if _, _, err := f.accounts.Authenticate(ctx, token); surveys.ErrorCode(err) != surveys.EUNAUTHORIZED {
		t.Errorf("Authenticate after Logout = %v; want %s", err, surveys.EUNAUTHORIZED)
	}
	if _, _, err := f.accounts.Authenticate(ctx, other); err != nil {
		t.Errorf("the other session ended too: %v", err)
	}
	if err := f.accounts.Logout(ctx, token); err != nil {
		t.Errorf("Logout twice = %v; want nil", err)
	}
	if err := f.accounts.Logout(ctx, ""); err != nil {
		t.Errorf("Logout(\"\") = %v; want nil", err)
	}
}
