package api

import (
	"fmt"
	"math"
	"sync"
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

// maxLimiterKeys bounds the memory the limiter may use; past it, expired
// entries are swept, and if none have expired the oldest window is dropped.
const maxLimiterKeys = 100_000

// loginGuard limits sign-ins per account and per client. It keeps its
// counts in memory only: a client's address is never stored or logged.
// With several instances, each counts on its own.
type loginGuard struct {
	accounts *failureCounter
	clients  *failureCounter
}

func newLoginGuard(l LoginLimits, now func() time.Time) *loginGuard {
	if l.PerAccount == 0 || l.PerClient == 0 || l.Window == 0 {
		l = DefaultLoginLimits
	}
	return &loginGuard{
		accounts: &failureCounter{max: l.PerAccount, window: l.Window, now: now, counts: map[string]*window{}},
		clients:  &failureCounter{max: l.PerClient, window: l.Window, now: now, counts: map[string]*window{}},
	}
}

// check refuses when the account or the client has used up its failures.
func (g *loginGuard) check(account, client string) error {
	if wait, blocked := g.accounts.blocked(account); blocked {
		return &limitError{wait: wait}
	}
	if wait, blocked := g.clients.blocked(client); blocked {
		return &limitError{wait: wait}
	}
	return nil
}

// failed counts a failed sign-in against both.
func (g *loginGuard) failed(account, client string) {
	g.accounts.add(account)
	g.clients.add(client)
}

// succeeded forgets the account's failures.
func (g *loginGuard) succeeded(account string) { g.accounts.reset(account) }

type window struct {
	start time.Time
	n     int
}

type failureCounter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	counts map[string]*window
}

func (f *failureCounter) blocked(key string) (time.Duration, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w, ok := f.counts[key]
	if !ok {
		return 0, false
	}
	left := f.window - f.now().Sub(w.start)
	if left <= 0 {
		delete(f.counts, key)
		return 0, false
	}
	return left, w.n >= f.max
}

func (f *failureCounter) add(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	w, ok := f.counts[key]
	if !ok || now.Sub(w.start) >= f.window {
		if len(f.counts) >= maxLimiterKeys {
			f.sweep(now)
		}
		w = &window{start: now}
		f.counts[key] = w
	}
	w.n++
}

func (f *failureCounter) reset(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.counts, key)
}

// sweep drops expired windows, or the oldest if none has expired.
func (f *failureCounter) sweep(now time.Time) {
	var oldestKey string
	var oldest time.Time
	for k, w := range f.counts {
		if now.Sub(w.start) >= f.window {
			delete(f.counts, k)
			continue
		}
		if oldestKey == "" || w.start.Before(oldest) {
			oldestKey, oldest = k, w.start
		}
	}
	if len(f.counts) >= maxLimiterKeys {
		delete(f.counts, oldestKey)
	}
}

// limitError is a refusal for too many attempts.
type limitError struct{ wait time.Duration }

func (e *limitError) Error() string {
	return fmt.Sprintf("%s: too many failed sign-ins; wait %s", surveys.ERATELIMIT, e.wait.Round(time.Second))
}

// Unwrap lets the error handler see the domain code.
func (e *limitError) Unwrap() error {
	return surveys.Errorf(surveys.ERATELIMIT, "Too many failed sign-ins. Please wait %d minutes and try again.",
		int(math.Ceil(e.wait.Minutes())))
}

func (e *limitError) retryAfter() string { return fmt.Sprint(int(math.Ceil(e.wait.Seconds()))) }
