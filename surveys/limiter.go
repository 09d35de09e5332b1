package surveys

import (
	"sync"
	"time"
)

// MaxLimiterKeys bounds the memory a FailureLimiter may use; past it,
// expired windows are swept, and if none has expired the oldest is dropped.
const MaxLimiterKeys = 100_000

// FailureLimiter counts failures per key (an account, or a client's
// address) in fixed windows; once a key has Max failures, it is refused
// until its window ends. It keeps everything in memory: a client's address
// is never stored or logged. With several instances, each counts on its
// own.
type FailureLimiter struct {
	Max    int
	Window time.Duration
	Now    func() time.Time

	mu     sync.Mutex
	counts map[string]*failureWindow
}

type failureWindow struct {
	start time.Time
	n     int
}

// Blocked reports whether key has used up its failures, and for how long
// it stays blocked.
func (f *FailureLimiter) Blocked(key string) (time.Duration, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w, ok := f.counts[key]
	if !ok {
		return 0, false
	}
	left := f.Window - f.Now().Sub(w.start)
	if left <= 0 {
		delete(f.counts, key)
		return 0, false
	}
	return left, w.n >= f.Max
}

// Fail counts a failure against key.
func (f *FailureLimiter) Fail(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.counts == nil {
		f.counts = map[string]*failureWindow{}
	}
	now := f.Now()
	w, ok := f.counts[key]
	if !ok || now.Sub(w.start) >= f.Window {
		if len(f.counts) >= MaxLimiterKeys {
			f.sweep(now)
		}
		w = &failureWindow{start: now}
		f.counts[key] = w
	}
	w.n++
}

// Reset forgets key's failures.
func (f *FailureLimiter) Reset(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.counts, key)
}

// Len returns how many keys are remembered.
func (f *FailureLimiter) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.counts)
}

// sweep drops expired windows, or the oldest if none has expired.
func (f *FailureLimiter) sweep(now time.Time) {
	var oldestKey string
	var oldest time.Time
	for k, w := range f.counts {
		if now.Sub(w.start) >= f.Window {
			delete(f.counts, k)
			continue
		}
		if oldestKey == "" || w.start.Before(oldest) {
			oldestKey, oldest = k, w.start
		}
	}
	if len(f.counts) >= MaxLimiterKeys {
		delete(f.counts, oldestKey)
	}
}
