package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// TestStopUnderLoad stops the server with SIGTERM while 16 clients send
// answers and a projector follows a live session. The projector's stream
// must end with the reconnect hint, the process must exit cleanly within
// HEARD_SHUTDOWN_TIMEOUT, and every acknowledged answer must be stored
// exactly once, with tallies that count each.
func TestStopUnderLoad(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	importFixture(t, dataDir)
	if out, code := runHeard(t, dataDir, livePassword+"\n", "user", "add", "--email", liveFacilitator, "--role", "facilitator"); code != 0 {
		t.Fatalf("user add: %s", out)
	}
	const limit = 15 * time.Second
	srv := startServer(t, dataDir, "HEARD_SHUTDOWN_TIMEOUT="+limit.String())
	_, code, key := startLiveSession(t, srv.URL, liveFacilitator, livePassword)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := getStream(ctx, http.DefaultClient, srv.URL+"/present/"+code+"/stream?k="+key, "")
	if err != nil {
		t.Fatal(err)
	}
	streamed := make(chan string, 1)
	go func() {
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		streamed <- string(b)
	}()

	load := startAnswerLoad(t, srv.URL, 16)
	load.waitFor(t, 300)
	signalled := time.Now()
	if err := srv.stop(); err != nil {
		t.Fatalf("SIGTERM under load: %v\n%s", err, srv.logs.String())
	}
	took := time.Since(signalled)
	load.end()
	if took > limit {
		t.Errorf("stopping took %s, more than the limit of %s", took, limit)
	}
	if !loggedMessage(srv.logs.String(), "stopped") {
		t.Errorf("no \"stopped\" in the log:\n%s", srv.logs.String())
	}
	select {
	case text := <-streamed:
		if !strings.Contains(text, "event: state") || !strings.HasSuffix(text, "retry: 2000\nevent: reconnect\ndata: {}\n\n") {
			t.Errorf("the projector's stream did not end with the reconnect hint:\n%.2000s", text)
		}
	case <-time.After(10 * time.Second):
		t.Error("the projector's stream did not end when the server stopped")
	}
	t.Logf("stopped in %s under load", took.Round(time.Millisecond))
	load.checkEveryAnswerOnce(t, dataDir)
}

// loggedMessage reports whether a JSON log has a record with the message.
func loggedMessage(logs, msg string) bool {
	for line := range strings.Lines(logs) {
		var rec struct{ Msg string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == msg {
			return true
		}
	}
	return false
}

// TestWatchdogEndsAStopThatHangs checks the limit itself: a stop still
// running at HEARD_SHUTDOWN_TIMEOUT exits with status 1, and one that
// finished in time does not.
func TestWatchdogEndsAStopThatHangs(t *testing.T) {
	// Not parallel: it replaces exitNow.
	exited := make(chan int, 1)
	exitNow = func(code int) { exited <- code }
	t.Cleanup(func() { exitNow = os.Exit })
	log := slog.New(slog.DiscardHandler)

	var hung shutdown
	hung.begin(50*time.Millisecond, log)
	if d := time.Until(hung.by); d > 45*time.Millisecond {
		t.Errorf("work may run %s of a 50ms limit, want nine tenths", d)
	}
	select {
	case code := <-exited:
		if code != 1 {
			t.Errorf("exit status %d, want 1", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the watchdog did not end a stop past its limit")
	}

	var quick shutdown
	quick.begin(50*time.Millisecond, log)
	quick.done(log)
	select {
	case code := <-exited:
		t.Errorf("a stop that finished in time exited with %d", code)
	case <-time.After(200 * time.Millisecond):
	}
}
