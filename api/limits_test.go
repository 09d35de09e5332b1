package api_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/api"
	"github.com/heard-app/heard/surveys"
)

// listen serves the harness's app on a loopback port, as heard serve does,
// for what only a real connection shows: Fiber's test helper reports a
// body over the limit as its own error rather than the response sent.
func (h *harness) listen() string {
	h.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.t.Fatal(err)
	}
	app := h.srv.App()
	go func() { _ = app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true}) }()
	h.t.Cleanup(func() { _ = app.Shutdown() })
	return ln.Addr().String()
}

// TestBodyOverTheLimit announces more than MaxBodyBytes: the app reads
// none of it and says what is too large, as JSON to the API and as a page
// in the workspace, where the one form that takes a file names the logo's
// limit. The test sends the headers alone, as a client waiting to be
// refused would: a body the server will never read can make the
// connection reset before the reply is read, on loopback as anywhere.
func TestBodyOverTheLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	admin := h.signIn(surveys.RoleAdmin)
	before := h.currentSettings().Revision
	addr := h.listen()

	tests := []struct {
		name     string
		path     string
		ctype    string
		wantType string
		want     []string
	}{
		{"a response", "/api/v1/surveys/" + s.Slug + "/responses", "application/json", "application/json",
			[]string{"What was sent is too large: Heard reads up to 1088 KB in one request."}},
		{"a logo", "/staff/settings", "multipart/form-data; boundary=x", "text/html",
			[]string{"<h1>That was too large to take</h1>", "A logo may be up to 256 KB. Go back, choose a smaller file and save again."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: heard.test\r\nContent-Type: %s\r\nContent-Length: %d\r\nCookie: %s\r\n\r\n",
				tt.path, tt.ctype, api.MaxBodyBytes+1, admin.cookie.String())
			res, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.HasPrefix(res.Header.Get("Content-Type"), tt.wantType) {
				t.Fatalf("%d %s, want 413 %s", res.StatusCode, res.Header.Get("Content-Type"), tt.wantType)
			}
			if tt.wantType == "text/html" && !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("the page has no Content-Security-Policy: %q", res.Header.Get("Content-Security-Policy"))
			}
			for _, want := range tt.want {
				if !strings.Contains(string(body), want) {
					t.Errorf("the reply does not say %q:\n%.800s", want, body)
				}
			}
		})
	}
	if got := h.currentSettings().Revision; got != before {
		t.Errorf("settings revision %d after refused requests, want %d", got, before)
	}
	if n := h.countResponses(s); n != 0 {
		t.Errorf("%d responses stored, want none", n)
	}
}
