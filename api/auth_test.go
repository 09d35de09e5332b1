package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/api"
	"github.com/heard-app/heard/metrics"
	"github.com/heard-app/heard/surveys"
)

func TestLoginSessionLogout(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if _, err := h.accounts.CreateUser(t.Context(), "Analyst@Council.example", surveys.RoleAnalyst, testPassword); err != nil {
		t.Fatal(err)
	}
	res := h.do(request{method: "POST", path: "/api/v1/auth/login", json: map[string]string{"email": "analyst@council.example", "password": testPassword}})
	if res.status != 200 {
		t.Fatalf("login: %d %s", res.status, res.body)
	}
	c := res.cookie(api.SessionCookie)
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/" || c.Value == "" {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure over plain HTTP", c)
	}
	if !c.Expires.Equal(h.now.Add(surveys.SessionLifetime).Truncate(time.Second)) {
		t.Errorf("cookie expires %v, want %v", c.Expires, h.now.Add(surveys.SessionLifetime))
	}
	var me struct {
		Email string `json:"email"`
		Role  string `json:"role"`
		CSRF  string `json:"csrf_token"`
	}
	res.decode(t, &me)
	who := staff{cookie: c, csrf: me.CSRF}

	res = h.do(request{method: "GET", path: "/api/v1/me", as: &who})
	if res.status != 200 || !strings.Contains(string(res.body), `"email":"analyst@council.example"`) || !strings.Contains(string(res.body), `"role":"analyst"`) {
		t.Errorf("me: %d %s", res.status, res.body)
	}
	if res := h.do(request{method: "POST", path: "/api/v1/auth/logout", as: &who, noCSRF: true}); res.status != 403 {
		t.Errorf("logout without the CSRF token: %d, want 403", res.status)
	}
	if res := h.do(request{method: "POST", path: "/api/v1/auth/logout", as: &who}); res.status != 204 {
		t.Errorf("logout: %d %s, want 204", res.status, res.body)
	}
	if res := h.do(request{method: "GET", path: "/api/v1/me", as: &who}); res.status != 401 {
		t.Errorf("me after logout: %d, want 401", res.status)
	}
}

func TestLoginFailuresLookAlike(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if _, err := h.accounts.CreateUser(t.Context(), "board@council.example", surveys.RoleBoard, testPassword); err != nil {
		t.Fatal(err)
	}
	wrongPassword := h.do(request{method: "POST", path: "/api/v1/auth/login", json: map[string]string{"email": "board@council.example", "password": "not the password"}})
	wrongEmail := h.do(request{method: "POST", path: "/api/v1/auth/login", json: map[string]string{"email": "nobody@council.example", "password": testPassword}})
	if wrongPassword.status != 401 || wrongEmail.status != 401 || string(wrongPassword.body) != string(wrongEmail.body) {
		t.Errorf("wrong password %d %s; wrong email %d %s: want the same 401", wrongPassword.status, wrongPassword.body, wrongEmail.status, wrongEmail.body)
	}
	if wrongPassword.cookie(api.SessionCookie) != nil {
		t.Error("a failed login set a session cookie")
	}
}

func TestLoginRateLimits(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{limits: api.LoginLimits{PerAccount: 3, PerClient: 5, Window: time.Hour}})
	for _, email := range []string{"a@council.example", "b@council.example"} {
		if _, err := h.accounts.CreateUser(t.Context(), email, surveys.RoleAnalyst, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	login := func(email, pw string) response {
		return h.do(request{method: "POST", path: "/api/v1/auth/login", json: map[string]string{"email": email, "password": pw}})
	}
	for i := range 3 {
		if res := login("a@council.example", "wrong password!"); res.status != 401 {
			t.Fatalf("failure %d: %d", i+1, res.status)
		}
	}
	res := login("a@council.example", testPassword)
	if res.status != 429 || res.headers.Get("Retry-After") == "" {
		t.Fatalf("right password after 3 failures: %d (Retry-After %q), want 429 with Retry-After", res.status, res.headers.Get("Retry-After"))
	}
	if res := login("b@council.example", "wrong password!"); res.status != 401 {
		t.Fatalf("another account is not limited by the first: %d", res.status)
	}
	if res := login("b@council.example", "wrong password!"); res.status != 401 {
		t.Fatalf("the client's 5th failure: %d, want 401", res.status)
	}
	if res := login("b@council.example", testPassword); res.status != 429 {
		t.Errorf("right password after the client's 5 failures (limit 5 per client): %d, want 429", res.status)
	}
}

func TestCrossSiteRequestsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusDraft)
	admin := h.signIn(surveys.RoleAdmin)
	path := "/api/v1/surveys/" + s.Slug + "/status"
	cases := []struct {
		name   string
		req    request
		status int
	}{
		{"no CSRF token", request{method: "POST", path: path, json: map[string]string{"status": "open"}, as: &admin, noCSRF: true}, 403},
		{"wrong CSRF token", request{method: "POST", path: path, json: map[string]string{"status": "open"}, as: &staff{cookie: admin.cookie, csrf: "forged"}}, 403},
		{"from another site", request{method: "POST", path: path, json: map[string]string{"status": "open"}, as: &admin,
			headers: map[string]string{"Sec-Fetch-Site": "cross-site"}}, 403},
		{"login from another site", request{method: "POST", path: "/api/v1/auth/login", json: map[string]string{"email": "admin@council.example", "password": testPassword},
			headers: map[string]string{"Sec-Fetch-Site": "cross-site"}}, 403},
	}
	for _, tc := range cases {
		if res := h.do(tc.req); res.status != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, res.status, res.body, tc.status)
		}
	}
	got, err := h.catalog.Store.FindSurvey(t.Context(), s.Slug)
	if err != nil || got.Status != surveys.StatusDraft {
		t.Errorf("a refused request changed the survey: %v %v", got.Status, err)
	}
}

// staffRoutes is every route that needs a signed-in member of staff, with
// the roles that may call it. The test fails when the app has a route under
// /api/v1 that is in neither this table nor publicRoutes.
var staffRoutes = map[string][]surveys.Role{
	"POST /api/v1/auth/logout":                   surveys.Roles,
	"GET /api/v1/me":                             surveys.Roles,
	"POST /api/v1/surveys":                       {surveys.RoleAdmin, surveys.RoleAnalyst},
	"POST /api/v1/surveys/:slug/status":          {surveys.RoleAdmin, surveys.RoleAnalyst},
	"GET /api/v1/surveys/:slug/results":          {surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard},
	"GET /api/v1/surveys/:slug/results.csv":      {surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard},
	"GET /api/v1/surveys/:slug/results.json":     {surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard},
	"GET /api/v1/surveys/:slug/responses.csv":    {surveys.RoleAdmin, surveys.RoleAnalyst},
	"GET /api/v1/surveys/:slug/dictionary.csv":   {surveys.RoleAdmin, surveys.RoleAnalyst},
	"POST /api/v1/surveys/:slug/codes":           {surveys.RoleAdmin, surveys.RoleAnalyst},
	"GET /api/v1/surveys/:slug/codes":            {surveys.RoleAdmin, surveys.RoleAnalyst},
	"GET /api/v1/surveys/:slug/codes/:batch.pdf": {surveys.RoleAdmin, surveys.RoleAnalyst},
	"POST /api/v1/themes/code":                   {surveys.RoleAdmin, surveys.RoleAnalyst},
	"GET /api/v1/themes/summary":                 {surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard},
	"GET /api/v1/actions":                        {surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard},
	"GET /api/v1/actions/:id":                    {surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard},
	"POST /api/v1/actions":                       {surveys.RoleAdmin, surveys.RoleAnalyst},
	"PUT /api/v1/actions/:id":                    {surveys.RoleAdmin, surveys.RoleAnalyst},
	"GET /api/v1/reports/board.pdf":              {surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard},
}

var publicRoutes = map[string]bool{
	"GET /api/v1/surveys":                    true,
	"GET /api/v1/surveys/:slug":              true,
	"POST /api/v1/surveys/:slug/responses":   true,
	"POST /api/v1/auth/login":                true,
	"POST /api/v1/surveys/:slug/codes/check": true,
	"POST /api/v1/surveys/:slug/contact":     true,
	"GET /api/v1/openapi.json":               true,
}

// tokenRoutes are the routes outside /api/v1 that a machine calls with a
// bearer token from configuration, not a member of staff: the token each
// takes in the tests. A staff session is no substitute.
var tokenRoutes = map[string]string{
	"GET /metrics": testMetricsToken,
}

func TestTokenRoutesTakeOnlyTheirToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{metrics: metrics.New(), metricsToken: testMetricsToken})
	admin := h.signIn(surveys.RoleAdmin)
	routes := map[string]bool{}
	for _, r := range h.srv.App().GetRoutes(true) {
		routes[r.Method+" "+r.Path] = true
	}
	for route, token := range tokenRoutes {
		if !routes[route] {
			t.Errorf("%s is not in the app", route)
			continue
		}
		method, path, _ := strings.Cut(route, " ")
		if res := h.do(request{method: method, path: path}); res.status != 401 {
			t.Errorf("%s without a token: %d, want 401", route, res.status)
		}
		if res := h.do(request{method: method, path: path, as: &admin}); res.status != 401 {
			t.Errorf("%s as a signed-in admin: %d, want 401", route, res.status)
		}
		if res := h.do(request{method: method, path: path, headers: map[string]string{"Authorization": "Bearer " + token}}); res.status != 200 {
			t.Errorf("%s with its token: %d, want 200", route, res.status)
		}
	}
}

func TestEveryRouteIsInTheRoleTable(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, r := range h.srv.App().GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/") || r.Method == "HEAD" {
			continue
		}
		key := r.Method + " " + r.Path
		if _, ok := staffRoutes[key]; !ok && !publicRoutes[key] {
			t.Errorf("route %s is in neither staffRoutes nor publicRoutes: say who may call it", key)
		}
	}
}

func TestEveryRoleAgainstEveryStaffRoute(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	signedIn := map[surveys.Role]staff{}
	for _, role := range surveys.Roles {
		signedIn[role] = h.signIn(role)
	}
	def := withSlug(t, "created-by-role-test")
	// A request for each route that passes authorization; what it then does
	// does not matter here, only whether it was let through.
	requests := map[string]func(n int) request{
		"POST /api/v1/auth/logout": func(int) request { return request{method: "POST", path: "/api/v1/auth/logout"} },
		"GET /api/v1/me":           func(int) request { return request{method: "GET", path: "/api/v1/me"} },
		"POST /api/v1/surveys":     func(int) request { return request{method: "POST", path: "/api/v1/surveys", json: def} },
		"POST /api/v1/surveys/:slug/status": func(int) request {
			return request{method: "POST", path: "/api/v1/surveys/" + s.Slug + "/status", json: map[string]string{"status": "open"}}
		},
		"GET /api/v1/surveys/:slug/results": func(int) request { return request{method: "GET", path: "/api/v1/surveys/" + s.Slug + "/results"} },
		"GET /api/v1/surveys/:slug/results.csv": func(int) request {
			return request{method: "GET", path: "/api/v1/surveys/" + s.Slug + "/results.csv"}
		},
		"GET /api/v1/surveys/:slug/results.json": func(int) request {
			return request{method: "GET", path: "/api/v1/surveys/" + s.Slug + "/results.json"}
		},
		"GET /api/v1/surveys/:slug/responses.csv": func(int) request {
			return request{method: "GET", path: "/api/v1/surveys/" + s.Slug + "/responses.csv?text=1"}
		},
		"GET /api/v1/surveys/:slug/dictionary.csv": func(int) request {
			return request{method: "GET", path: "/api/v1/surveys/" + s.Slug + "/dictionary.csv"}
		},
		"POST /api/v1/surveys/:slug/codes": func(int) request {
			return request{method: "POST", path: "/api/v1/surveys/" + s.Slug + "/codes", json: map[string]any{"count": 1}}
		},
		"GET /api/v1/surveys/:slug/codes": func(int) request { return request{method: "GET", path: "/api/v1/surveys/" + s.Slug + "/codes"} },
		"GET /api/v1/surveys/:slug/codes/:batch.pdf": func(int) request {
			return request{method: "GET", path: "/api/v1/surveys/" + s.Slug + "/codes/0123456789abcdef.pdf"}
		},
		"POST /api/v1/themes/code": func(int) request {
			return request{method: "POST", path: "/api/v1/themes/code", json: map[string]string{"text": "more trips out"}}
		},
		"GET /api/v1/themes/summary": func(int) request { return request{method: "GET", path: "/api/v1/themes/summary"} },
		"GET /api/v1/actions":        func(int) request { return request{method: "GET", path: "/api/v1/actions"} },
		"GET /api/v1/actions/:id":    func(int) request { return request{method: "GET", path: "/api/v1/actions/no-such-action"} },
		"POST /api/v1/actions": func(int) request {
			return request{method: "POST", path: "/api/v1/actions", json: actionBody("planned")}
		},
		"PUT /api/v1/actions/:id": func(int) request {
			return request{method: "PUT", path: "/api/v1/actions/no-such-action", json: withRevision(actionBody("done"), 1)}
		},
		"GET /api/v1/reports/board.pdf": func(int) request {
			return request{method: "GET", path: "/api/v1/reports/board.pdf?survey=" + s.Slug}
		},
	}
	for route, allowed := range staffRoutes {
		build, ok := requests[route]
		if !ok {
			t.Fatalf("no request for %s", route)
		}
		if res := h.do(build(0)); res.status != 401 {
			t.Errorf("%s signed out: %d, want 401", route, res.status)
		}
		for _, role := range surveys.Roles {
			if route == "POST /api/v1/auth/logout" {
				continue // checked below, as it ends the session
			}
			who := signedIn[role]
			req := build(0)
			req.as = &who
			res := h.do(req)
			want := contains(allowed, role)
			if got := res.status != 401 && res.status != 403; got != want {
				t.Errorf("%s as %s: %d %s, want allowed=%v", route, role, res.status, res.body, want)
			}
		}
	}
	for _, role := range surveys.Roles {
		who := signedIn[role]
		if res := h.do(request{method: "POST", path: "/api/v1/auth/logout", as: &who}); res.status != 204 {
			t.Errorf("logout as %s: %d", role, res.status)
		}
	}
}

func contains(roles []surveys.Role, r surveys.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}
