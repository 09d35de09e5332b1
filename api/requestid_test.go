package api_test

import (
	"bufio"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/heard-app/heard/api"
)

// TestRequestIDs checks that every answer carries a request id, that the
// request's log line carries the same, and that an id from the client is
// used only when a trusted proxy sent it and it is a plain id.
func TestRequestIDs(t *testing.T) {
	t.Parallel()
	const proxyID = "5f0c0a3e9d2b4c1a8e7f6a5b4c3d2e1f"
	cases := []struct {
		name    string
		proxies []string
		sent    string
		wantID  string // "" for a new id of our own
	}{
		{"none sent", nil, "", ""},
		{"from a trusted proxy", []string{"0.0.0.0"}, proxyID, proxyID},
		{"from an untrusted sender", nil, proxyID, ""},
		{"a trusted proxy's id that is not an id", []string{"0.0.0.0"}, "name=Jamie Smith", ""},
	}
	ours := regexp.MustCompile(`^[0-9a-f]{16}$`)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, harnessOptions{proxies: tc.proxies})
			headers := map[string]string{}
			if tc.sent != "" {
				headers[api.RequestIDHeader] = tc.sent
			}
			res := h.do(request{method: "GET", path: "/api/v1/surveys/no-such-survey", headers: headers})
			id := res.headers.Get(api.RequestIDHeader)
			switch {
			case res.status != 404:
				t.Fatalf("status %d", res.status)
			case tc.wantID != "" && id != tc.wantID:
				t.Errorf("id %q, want the proxy's %q", id, tc.wantID)
			case tc.wantID == "" && !ours.MatchString(id):
				t.Errorf("id %q, want one of our own", id)
			}
			found := false
			sc := bufio.NewScanner(strings.NewReader(h.logs.String()))
			for sc.Scan() {
				var rec struct {
					Msg       string `json:"msg"`
					Route     string `json:"route"`
					RequestID string `json:"request_id"`
				}
				if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "request" && rec.Route == "/api/v1/surveys/:slug" {
					found = rec.RequestID == id
				}
			}
			if !found {
				t.Errorf("no request log line with id %q:\n%s", id, h.logs.String())
			}
		})
	}
}
