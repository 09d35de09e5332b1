package api

import (
	"fmt"
	"testing"
	"time"
)

func TestLoginGuardWindows(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	g := newLoginGuard(LoginLimits{PerAccount: 2, PerClient: 10, Window: 15 * time.Minute}, func() time.Time { return now })

	for range 2 {
		if err := g.check("a@x", "client"); err != nil {
			t.Fatalf("refused before the limit: %v", err)
		}
		g.failed("a@x", "client")
	}
	err := g.check("a@x", "client")
	le, ok := err.(*limitError)
	if !ok || le.retryAfter() != "900" {
		t.Fatalf("at the limit: %v, want a refusal for 900 s", err)
	}
	now = now.Add(10 * time.Minute)
	if err := g.check("a@x", "client"); err == nil || err.(*limitError).retryAfter() != "300" {
		t.Fatalf("10 minutes on: %v, want a refusal for 300 s", err)
	}
	now = now.Add(5 * time.Minute)
	if err := g.check("a@x", "client"); err != nil {
		t.Fatalf("after the window: %v", err)
	}

	g.failed("b@x", "client")
	g.succeeded("b@x")
	g.failed("b@x", "client")
	if err := g.check("b@x", "client"); err != nil {
		t.Errorf("a success forgets the account's failures: %v", err)
	}
}

func TestLoginGuardStaysBounded(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	f := &failureCounter{max: 5, window: time.Minute, now: func() time.Time { return now }, counts: map[string]*window{}}
	f.add("key0")
	now = now.Add(time.Millisecond)
	for i := 1; i < maxLimiterKeys; i++ {
		f.add(fmt.Sprint("key", i))
	}
	now = now.Add(time.Second)
	f.add("one more")
	if len(f.counts) > maxLimiterKeys {
		t.Fatalf("%d keys, want at most %d", len(f.counts), maxLimiterKeys)
	}
	if _, ok := f.counts["key0"]; ok {
		t.Error("the oldest window was kept when the counter was full")
	}
	now = now.Add(2 * time.Minute)
	f.add("after expiry")
	if len(f.counts) != 1 {
		t.Errorf("%d keys after every window expired, want 1", len(f.counts))
	}
}
