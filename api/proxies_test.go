package api_test

import (
	"strings"
	"testing"

	"github.com/heard-app/heard/api"
	"github.com/heard-app/heard/surveys"
)

// TestTrustedProxies checks that behind a trusted proxy each young person
// has a rate limit of their own, that an untrusted sender cannot pick its
// address with a header, and that cookies are Secure when the proxy says
// the request came over HTTPS.
func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		proxies []string
		// wantOther is the status of a wrong code from a second client
		// after the first was blocked: 422 when each has its own limit,
		// 429 when they share one.
		wantOther    int
		wantSecure   bool
		secureHeader string
	}{
		{"proxy trusted", []string{"0.0.0.0"}, 422, true, "https"},
		{"proxy trusted, plain HTTP", []string{"0.0.0.0"}, 422, false, "http"},
		{"no proxy trusted", nil, 429, false, "https"},
		{"another proxy trusted", []string{"10.1.1.1"}, 429, false, "https"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, harnessOptions{proxies: tc.proxies})
			s := h.codedSurvey()
			path := "/api/v1/surveys/" + s.Slug + "/codes/check"
			wrong := func(client string) int {
				return h.do(request{method: "POST", path: path, json: map[string]string{"code": "ABC-ABC-ABC"},
					headers: map[string]string{"X-Forwarded-For": client}}).status
			}
			for i := range 10 {
				if st := wrong("198.51.100.1"); st != 422 {
					t.Fatalf("wrong code %d: %d", i+1, st)
				}
			}
			if st := wrong("198.51.100.1"); st != 429 {
				t.Errorf("the 11th wrong code from one client: %d, want 429", st)
			}
			if st := wrong("198.51.100.2"); st != tc.wantOther {
				t.Errorf("a wrong code from another client: %d, want %d", st, tc.wantOther)
			}

			email := "proxy@council.example"
			if _, err := h.accounts.CreateUser(t.Context(), email, surveys.RoleAnalyst, testPassword); err != nil {
				t.Fatal(err)
			}
			res := h.do(request{method: "POST", path: "/api/v1/auth/login", json: map[string]string{"email": email, "password": testPassword},
				headers: map[string]string{"X-Forwarded-Proto": tc.secureHeader, "X-Forwarded-For": "198.51.100.3"}})
			c := res.cookie(api.SessionCookie)
			if res.status != 200 || c == nil {
				t.Fatalf("sign in: %d %s", res.status, res.body)
			}
			if c.Secure != tc.wantSecure {
				t.Errorf("session cookie Secure = %v, want %v", c.Secure, tc.wantSecure)
			}
			if strings.Contains(h.logs.String(), "198.51.100.") {
				t.Error("the log carries a client's address")
			}
		})
	}
}
