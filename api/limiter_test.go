package api

import (
	"testing"
	"time"
)

func TestLoginGuardWindows(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	g := NewLoginGuard(LoginLimits{PerAccount: 2, PerClient: 10, Window: 15 * time.Minute}, func() time.Time { return now })

	for range 2 {
		if err := g.Check("a@x", "client"); err != nil {
			t.Fatalf("refused before the limit: %v", err)
		}
		g.Failed("a@x", "client")
	}
	err := g.Check("a@x", "client")
	le, ok := err.(*limitError)
	if !ok || le.retryAfter() != "900" {
		t.Fatalf("at the limit: %v, want a refusal for 900 s", err)
	}
	now = now.Add(10 * time.Minute)
	if err := g.Check("a@x", "client"); err == nil || err.(*limitError).retryAfter() != "300" {
		t.Fatalf("10 minutes on: %v, want a refusal for 300 s", err)
	}
	now = now.Add(5 * time.Minute)
	if err := g.Check("a@x", "client"); err != nil {
		t.Fatalf("after the window: %v", err)
	}

	g.Failed("b@x", "client")
	g.Succeeded("b@x")
	g.Failed("b@x", "client")
	if err := g.Check("b@x", "client"); err != nil {
		t.Errorf("a success forgets the account's failures: %v", err)
	}
}
