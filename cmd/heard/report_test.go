package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The board report of the demo data, from the command line: whole, under
// 1 MB, and with the demo's figures.
func TestReportBoardCommand(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	srv := startServer(t, dataDir, "HEARD_DEMO=true")
	if err := srv.stop(); err != nil {
		t.Fatalf("SIGTERM: %v\n%s", err, srv.logs.String())
	}
	out := filepath.Join(t.TempDir(), "report.pdf")
	msg, code := runHeard(t, dataDir, "", "report", "board", "--survey", "cared-for-2026", "--out", out)
	if code != 0 || !strings.Contains(msg, "wrote "+out) {
		t.Fatalf("report board: exit %d\n%s", code, msg)
	}
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() >= 1<<20 {
		t.Errorf("the demo's report is %d bytes, want under 1 MB", info.Size())
	}
	text, err := exec.Command("pdftotext", "-layout", out, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (Debian package poppler-utils): %v", err)
	}
	for _, want := range []string{"180 young people took part", "At a glance", "What is going well and what could be better",
		"What young people told us in their own words", "You said, we did", "How this was done", "Appendix: every question"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the demo's report has no %q", want)
		}
	}

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no out", []string{"--survey", "cared-for-2026"}, "needs --survey and --out"},
		{"no survey", []string{"--out", out}, "needs --survey and --out"},
		{"unknown survey", []string{"--survey", "no-such-survey", "--out", filepath.Join(t.TempDir(), "x.pdf")}, "no-such-survey"},
	} {
		msg, code := runHeard(t, dataDir, "", append([]string{"report", "board"}, tc.args...)...)
		if code == 0 || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: exit %d, want an error saying %q:\n%s", tc.name, code, tc.want, msg)
		}
	}
	if _, err := os.Stat(out + ".part"); !os.IsNotExist(err) {
		t.Errorf("a partial file is left behind: %v", err)
	}
}
