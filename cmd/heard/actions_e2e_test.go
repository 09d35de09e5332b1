package main

import (
	"strings"
	"testing"
)

// TestDemoActionsLoadOnce starts Heard with demo data twice: the demo's
// "you said, we did" actions are added the first time, five of them
// published, and nothing is added the second.
func TestDemoActionsLoadOnce(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	for run := range 2 {
		srv := startServer(t, dataDir, "HEARD_DEMO=true")
		status, body := newClient(t, srv.URL).must("GET", "/you-said-we-did", nil)
		page := string(body)
		if n := strings.Count(page, `<li class="action action--`); status != 200 || n != 5 {
			t.Errorf("start %d: %d, %d actions shown, want 5", run+1, status, n)
		}
		if strings.Contains(page, "The path past the park") {
			t.Errorf("start %d: the unpublished demo action is shown", run+1)
		}
		for _, status := range []string{"action--planned", "action--in_progress", "action--done", "action--not_possible"} {
			if !strings.Contains(page, status) {
				t.Errorf("start %d: no demo action is %s", run+1, strings.TrimPrefix(status, "action--"))
			}
		}
		if err := srv.stop(); err != nil {
			t.Fatalf("SIGTERM: %v\n%s", err, srv.logs.String())
		}
	}
}
