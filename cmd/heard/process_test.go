package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// heardBin is the heard binary the end-to-end tests and benchmarks run,
// built once by TestMain.
var heardBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "heard-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	heardBin = filepath.Join(dir, "heard")
	build := exec.Command("go", "build", "-o", heardBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build heard:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// baseEnv is the environment every process gets: no settings of the
// machine leak in, and the data directory is the test's.
func baseEnv(dataDir string, extra ...string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "HEARD_DATA_DIR=" + dataDir, "HEARD_LOG_FORMAT=json"}
	return append(env, extra...)
}

// runHeard runs a heard command to completion.
func runHeard(t testing.TB, dataDir, stdin string, args ...string) (string, int) {
	t.Helper()
	return runWithEnv(t, baseEnv(dataDir), stdin, args...)
}

// runHeardEnv runs heard with extra environment variables in a fresh data
// directory.
func runHeardEnv(t testing.TB, extra []string, args ...string) (string, int) {
	t.Helper()
	return runWithEnv(t, baseEnv(t.TempDir(), extra...), "", args...)
}

// runWithEnv runs heard with exactly the environment env and returns its
// output and exit code.
func runWithEnv(t testing.TB, env []string, stdin string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, heardBin, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run heard %v: %v", args, err)
	}
	return out.String(), 0
}

// server is a running heard serve process.
type server struct {
	t      testing.TB
	cmd    *exec.Cmd
	URL    string
	logs   *lockedBuffer
	exited chan error
}

// startServer starts heard serve on a free port and waits until it listens.
func startServer(t testing.TB, dataDir string, extraEnv ...string) *server {
	t.Helper()
	cmd := exec.Command(heardBin, "serve")
	cmd.Env = baseEnv(dataDir, append([]string{"HEARD_ADDR=127.0.0.1:0"}, extraEnv...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{t: t, cmd: cmd, logs: &lockedBuffer{}, exited: make(chan error, 1)}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			s.logs.WriteString(line + "\n")
			var rec struct {
				Msg string `json:"msg"`
				URL string `json:"url"`
			}
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "heard is listening" {
				urls <- rec.URL
			}
		}
	}()
	go func() { s.exited <- cmd.Wait() }()
	select {
	case s.URL = <-urls:
	case err := <-s.exited:
		t.Fatalf("heard serve exited before listening (%v):\n%s", err, s.logs.String())
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("heard serve did not start listening:\n%s", s.logs.String())
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-s.exited
		}
	})
	return s
}

// kill ends the server with SIGKILL, as a crash or a power cut would.
func (s *server) kill() {
	s.t.Helper()
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
}

// stop ends the server with SIGTERM and returns how it exited.
func (s *server) stop() error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.exited:
		return err
	case <-time.After(time.Minute):
		_ = s.cmd.Process.Kill()
		return fmt.Errorf("did not stop within a minute")
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) WriteString(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(s)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// client talks to a server over HTTP, keeping its cookies.
type client struct {
	t    testing.TB
	base string
	http *http.Client
	csrf string
}

func newClient(t testing.TB, base string) *client {
	return &client{t: t, base: base, http: &http.Client{Timeout: 30 * time.Second, Jar: newJar()}}
}

// call sends a request with an optional JSON body and returns the status
// and body.
func (c *client) call(method, path string, body any) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// must is call that fails the test on a transport error.
func (c *client) must(method, path string, body any) (int, []byte) {
	c.t.Helper()
	status, b, err := c.call(method, path, body)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return status, b
}

func (c *client) login(email, password string) {
	c.t.Helper()
	status, b := c.must("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password})
	if status != 200 {
		c.t.Fatalf("login: %d %s", status, b)
	}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	if err := json.Unmarshal(b, &me); err != nil {
		c.t.Fatal(err)
	}
	c.csrf = me.CSRF
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }
