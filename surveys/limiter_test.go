package surveys_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
)

func TestFailureLimiter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	f := &surveys.FailureLimiter{Max: 3, Window: 10 * time.Minute, Now: func() time.Time { return now }}
	for i := range 3 {
		if _, blocked := f.Blocked("k"); blocked {
			t.Fatalf("blocked after %d failures, limit 3", i)
		}
		f.Fail("k")
	}
	if wait, blocked := f.Blocked("k"); !blocked || wait != 10*time.Minute {
		t.Fatalf("after 3 failures: blocked=%v wait=%v, want blocked for 10m", blocked, wait)
	}
	if _, blocked := f.Blocked("other"); blocked {
		t.Error("another key is blocked")
	}
	now = now.Add(10 * time.Minute)
	if _, blocked := f.Blocked("k"); blocked {
		t.Error("still blocked after the window")
	}
	f.Fail("k")
	f.Reset("k")
	if f.Len() != 0 {
		t.Errorf("%d keys after reset, want 0", f.Len())
	}
}

func TestFailureLimiterStaysBounded(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	f := &surveys.FailureLimiter{Max: 1, Window: time.Minute, Now: func() time.Time { return now }}
	f.Fail("key0")
	now = now.Add(time.Millisecond)
	for i := 1; i < surveys.MaxLimiterKeys; i++ {
		f.Fail(fmt.Sprint("key", i))
	}
	now = now.Add(time.Second)
	f.Fail("one more")
	if f.Len() > surveys.MaxLimiterKeys {
		t.Fatalf("%d keys, want at most %d", f.Len(), surveys.MaxLimiterKeys)
	}
	if _, blocked := f.Blocked("key0"); blocked {
		t.Error("the oldest key, key0, was kept when the limiter was full")
	}
	now = now.Add(2 * time.Minute)
	f.Fail("after expiry")
	if f.Len() != 1 {
		t.Errorf("%d keys after every window expired, want 1", f.Len())
	}
}
