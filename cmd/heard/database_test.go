package main

import (
	"bufio"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// database is a running `heard database` process.
type database struct {
	cmd    *exec.Cmd
	URI    string
	logs   *lockedBuffer
	exited chan error
}

// startDatabase starts `heard database` in dataDir and waits for the URI
// it prints.
func startDatabase(t *testing.T, dataDir string) *database {
	t.Helper()
	cmd := exec.Command(heardBin, "database")
	cmd.Env = baseEnv(dataDir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	d := &database{cmd: cmd, logs: &lockedBuffer{}, exited: make(chan error, 1)}
	cmd.Stderr = writerFunc(func(b []byte) { d.logs.WriteString(string(b)) })
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	uris := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if uri, ok := strings.CutPrefix(sc.Text(), "MONGODB_URI="); ok {
				uris <- uri
			}
		}
	}()
	go func() { d.exited <- cmd.Wait() }()
	select {
	case d.URI = <-uris:
	case err := <-d.exited:
		t.Fatalf("heard database exited before it was ready (%v):\n%s", err, d.logs.String())
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("heard database printed no URI within a minute:\n%s", d.logs.String())
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-d.exited
		}
	})
	return d
}

// stop sends sig and returns how the process exited.
func (d *database) stop(sig syscall.Signal) error {
	_ = d.cmd.Process.Signal(sig)
	select {
	case err := <-d.exited:
		return err
	case <-time.After(time.Minute):
		_ = d.cmd.Process.Kill()
		return <-d.exited
	}
}

type writerFunc func([]byte)

func (f writerFunc) Write(b []byte) (int, error) { f(b); return len(b), nil }

// TestDatabaseCommandIsSharedThroughItsURI runs `heard database` and uses
// it as servers share a deployment: commands and a server connect through
// the URI it prints, while the data directory stays locked; it stops
// cleanly on SIGINT and SIGTERM, and what was written is there when it
// starts again.
func TestDatabaseCommandIsSharedThroughItsURI(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := startDatabase(t, dir)
	if !strings.HasPrefix(db.URI, "mongodb://127.0.0.1:") {
		t.Fatalf("URI %q is not the embedded database's on the loopback address", db.URI)
	}

	// A command on its own data directory, with the URI, writes to it.
	shared := []string{"MONGODB_URI=" + db.URI}
	if out, code := runWithEnv(t, baseEnv(t.TempDir(), shared...), "a long enough password\n",
		"user", "add", "--email", "facilitator@council.example", "--role", "facilitator"); code != 0 {
		t.Fatalf("user add through the URI: exit %d\n%s", code, out)
	}
	// A server with the URI reads it: the account signs in.
	srv := startServer(t, t.TempDir(), shared...)
	cl := newClient(t, srv.URL)
	cl.login("facilitator@council.example", "a long enough password")
	if err := srv.stop(); err != nil {
		t.Fatalf("server: %v", err)
	}

	// The files have one owner: neither a second database nor a server
	// without the URI opens them.
	for _, args := range [][]string{{"database"}, {"survey", "list"}} {
		out, code := runHeard(t, dir, "", args...)
		if code == 0 || !strings.Contains(out, "in use by a running Heard process") {
			t.Errorf("heard %s on the database's directory: exit %d\n%s", strings.Join(args, " "), code, out)
		}
	}
	if out, code := runHeardEnv(t, shared, "database"); code == 0 || !strings.Contains(out, "unset MONGODB_URI") {
		t.Errorf("heard database with MONGODB_URI set: exit %d\n%s", code, out)
	}
	if out, code := runHeard(t, dir, "", "database", "extra"); code == 0 || !strings.Contains(out, "takes no arguments") {
		t.Errorf("heard database extra: exit %d\n%s", code, out)
	}

	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		if err := db.stop(sig); err != nil {
			t.Fatalf("heard database after %v: %v\n%s", sig, err, db.logs.String())
		}
		// Started again on the same files: the account is still there.
		db = startDatabase(t, dir)
		out, code := runWithEnv(t, baseEnv(t.TempDir(), "MONGODB_URI="+db.URI), "a long enough password\n",
			"user", "add", "--email", "facilitator@council.example", "--role", "facilitator")
		if code == 0 || !strings.Contains(strings.ToLower(out), "already") {
			t.Errorf("after %v, the account made before is gone: exit %d\n%s", sig, code, out)
		}
	}
}
