package api

import (
	"fmt"
	"math"
	"time"

	"github.com/heard-app/heard/surveys"
)

// LoginLimits bound failed sign-ins. Each counts failures in a fixed window;
// once a key reaches its limit, every attempt for it is refused until the
// window ends, before any password is checked.
type LoginLimits struct {
	PerAccount int           // failed sign-ins for one email
	PerClient  int           // failed sign-ins from one client address
	Window     time.Duration // how long failures are remembered
}

// DefaultLoginLimits allow a person a few mistakes and an attacker very few
// guesses: 5 per account and 20 per client in 15 minutes.
var DefaultLoginLimits = LoginLimits{PerAccount: 5, PerClient: 20, Window: 15 * time.Minute}

// LoginGuard limits sign-ins per account and per client. One guard serves
// the API and the staff sign-in page, so that both count together.
type LoginGuard struct {
	accounts *surveys.FailureLimiter
	clients  *surveys.FailureLimiter
}

// NewLoginGuard returns a guard with the limits l (zero: the defaults).
func NewLoginGuard(l LoginLimits, now func() time.Time) *LoginGuard {
	if l.PerAccount == 0 || l.PerClient == 0 || l.Window == 0 {
		l = DefaultLoginLimits
	}
	return &LoginGuard{
		accounts: &surveys.FailureLimiter{Max: l.PerAccount, Window: l.Window, Now: now},
		clients:  &surveys.FailureLimiter{Max: l.PerClient, Window: l.Window, Now: now},
	}
}

// Check refuses when the account or the client has used up its failures.
func (g *LoginGuard) Check(account, client string) error {
	if wait, blocked := g.accounts.Blocked(account); blocked {
		return &limitError{wait: wait, what: "failed sign-ins"}
	}
	if wait, blocked := g.clients.Blocked(client); blocked {
		return &limitError{wait: wait, what: "failed sign-ins"}
	}
	return nil
}

// Failed counts a failed sign-in against both.
func (g *LoginGuard) Failed(account, client string) {
	g.accounts.Fail(account)
	g.clients.Fail(client)
}

// Succeeded forgets the account's failures.
func (g *LoginGuard) Succeeded(account string) { g.accounts.Reset(account) }

// limitError is a refusal for too many attempts.
type limitError struct {
	wait time.Duration
	what string // "failed sign-ins"
}

func (e *limitError) Error() string {
	return fmt.Sprintf("%s: too many %s; wait %s", surveys.ERATELIMIT, e.what, e.wait.Round(time.Second))
}

// Unwrap lets the error handler see the domain code.
func (e *limitError) Unwrap() error {
	return surveys.Errorf(surveys.ERATELIMIT, "Too many %s. Please wait %d minutes and try again.",
		e.what, int(math.Ceil(e.wait.Minutes())))
}

func (e *limitError) retryAfter() string { return fmt.Sprint(int(math.Ceil(e.wait.Seconds()))) }
