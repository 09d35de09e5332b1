package main

import (
	"strings"
	"testing"
)

// TestRetentionCommand runs "heard retention run": a dry run says so and
// deletes nothing, a run reports its counts, and with the embedded
// database both refuse while a server holds it (the server runs retention
// itself, daily).
func TestRetentionCommand(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"retention", "run", "--dry-run"}, []string{"dry run: nothing is deleted",
			"council periods: responses 24 months after a survey closes, requests to talk 12 months, safeguarding flags 72 months",
			"no survey is past its period", "would delete: 0 responses, 0 comments"}},
		{[]string{"retention", "run"}, []string{"no survey is past its period", "deleted: 0 responses, 0 comments, 0 comments reduced to their approved quotes, 0 access codes, 0 requests to talk, 0 safeguarding flags"}},
	} {
		out, code := runHeard(t, dataDir, "", tc.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", tc.args, code, out)
		}
		for _, want := range tc.want {
			if !strings.Contains(out, want) {
				t.Errorf("%v says\n%s\nwant %q", tc.args, out, want)
			}
		}
		if tc.args[len(tc.args)-1] != "--dry-run" && strings.Contains(out, "dry run") {
			t.Errorf("%v calls itself a dry run:\n%s", tc.args, out)
		}
	}
	if out, code := runHeard(t, dataDir, "", "retention", "run", "extra"); code == 0 || !strings.Contains(out, "takes no arguments") {
		t.Errorf("with an argument: exit %d\n%s", code, out)
	}

	srv := startServer(t, dataDir)
	out, code := runHeard(t, dataDir, "", "retention", "run", "--dry-run")
	if code == 0 || !strings.Contains(out, "in use by a running Heard process") {
		t.Errorf("while the server runs: exit %d\n%s", code, out)
	}
	if err := srv.stop(); err != nil {
		t.Fatalf("SIGTERM: %v\n%s", err, srv.logs.String())
	}
}
