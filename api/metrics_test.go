package api_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/api"
	"github.com/heard-app/heard/metrics"
	"github.com/heard-app/heard/metrics/metricstest"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/rooms"
)

// testMetricsToken is the scraper's bearer token in these tests.
const testMetricsToken = "scrape-token-0123456789-abcdefghijklmnop"

// The harness's wiring of its metrics, when it has any: nil interfaces
// otherwise, never a nil *metrics.Metrics in one.
func (o harnessOptions) commitObserver() mongo.CommitObserver {
	if o.metrics == nil {
		return nil
	}
	return o.metrics
}

func (o harnessOptions) requestObserver() api.RequestObserver {
	if o.metrics == nil {
		return nil
	}
	return o.metrics
}

func (o harnessOptions) metricsHandler() http.Handler {
	if o.metrics == nil {
		return nil
	}
	return o.metrics.Handler()
}

func (o harnessOptions) watchLive(hub *rooms.Hub) {
	if o.metrics != nil {
		o.metrics.WatchLive(hub.Followers)
	}
}

// scrape reads /metrics with the token, as Prometheus would.
func (h *harness) scrape(t *testing.T) metricstest.Families {
	t.Helper()
	res := h.do(request{method: "GET", path: "/metrics", headers: map[string]string{"Authorization": "Bearer " + testMetricsToken}})
	if res.status != http.StatusOK {
		t.Fatalf("scrape: %d %s", res.status, res.body)
	}
	if ct := res.headers.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("scrape Content-Type %q", ct)
	}
	return metricstest.Parse(t, bytes.NewReader(res.body))
}

func TestMetricsNeedTheToken(t *testing.T) {
	t.Parallel()
	withToken := newHarness(t, harnessOptions{metrics: metrics.New(), metricsToken: testMetricsToken})
	withoutToken := newHarness(t, harnessOptions{metrics: metrics.New()}) // a listen address of their own
	off := newHarness(t)
	cases := []struct {
		name   string
		h      *harness
		auth   string
		status int
	}{
		{"no token", withToken, "", 401},
		{"wrong token", withToken, "Bearer " + strings.Repeat("x", len(testMetricsToken)), 401},
		{"token cut short", withToken, "Bearer " + testMetricsToken[:len(testMetricsToken)-1], 401},
		{"token with more", withToken, "Bearer " + testMetricsToken + "x", 401},
		{"token as a password", withToken, "Basic " + testMetricsToken, 401},
		{"token without its scheme", withToken, testMetricsToken, 401},
		{"bearer with no token", withToken, "Bearer ", 401},
		{"the token", withToken, "Bearer " + testMetricsToken, 200},
		{"the token, scheme in lower case", withToken, "bearer " + testMetricsToken, 200},
		{"no token configured", withoutToken, "Bearer " + testMetricsToken, 404},
		{"no token configured, none sent", withoutToken, "", 404},
		{"metrics off", off, "Bearer " + testMetricsToken, 404},
	}
	for _, tc := range cases {
		req := request{method: "GET", path: "/metrics"}
		if tc.auth != "" {
			req.headers = map[string]string{"Authorization": tc.auth}
		}
		res := tc.h.do(req)
		if res.status != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, res.status, tc.status)
			continue
		}
		switch tc.status {
		case 401:
			if got := res.headers.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
				t.Errorf("%s: WWW-Authenticate %q", tc.name, got)
			}
			if bytes.Contains(res.body, []byte("heard_")) {
				t.Errorf("%s: a refusal shows metrics", tc.name)
			}
		case 200:
			if !bytes.Contains(res.body, []byte("heard_http_requests_total")) {
				t.Errorf("%s: no metrics in %.200s", tc.name, res.body)
			}
		}
	}
}

// TestMetricsCountRealTraffic sends answers, pages, a live stream and
// requests for addresses with codes and names in them through the app,
// then checks that every family moved and that no label carries any of
// what was sent.
func TestMetricsCountRealTraffic(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{metrics: metrics.New(), metricsToken: testMetricsToken})
	s := h.addSurvey(surveys.StatusOpen)

	// What young people wrote, a name, and codes in paths: none may
	// appear in a label.
	const (
		words    = "Zebra crossing near Marigold Street"
		name     = "Philippa Quartermaine"
		joinCode = "QX7ZKW"
		reset    = "resettoken9f3b2c"
	)
	path := "/api/v1/surveys/" + s.Slug + "/responses"
	const answers = 5
	for i := range answers {
		a := validAnswers()
		a["better"], a["talk_who"] = words, name
		if res := h.do(request{method: "POST", path: path, json: submission(i+1, a)}); res.status != 201 {
			t.Fatalf("answer %d: %d %s", i, res.status, res.body)
		}
	}
	if res := h.do(request{method: "POST", path: "/api/v1/surveys/" + s.Slug + "/codes/check", json: map[string]string{"code": "TSTC-ODE9-XYZW"}}); res.status < 400 {
		t.Errorf("an unknown access code: %d", res.status)
	}
	for _, p := range []string{"/live/" + joinCode, "/staff/reset/" + reset, "/" + strings.ReplaceAll(name, " ", "-"), "/s/" + s.Slug + "/11-18"} {
		h.do(request{method: "GET", path: p})
	}

	// A phone following a running session, while it follows.
	fac := h.signIn(surveys.RoleFacilitator)
	live := h.liveFixture(false)
	h.form(&fac, "/staff/sessions/"+live.ID+"/start", nil)
	live, err := h.sessions.Find(context.Background(), live.ID)
	if err != nil {
		t.Fatal(err)
	}
	streamed := make(chan struct{})
	go func() {
		defer close(streamed)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		res, err := h.srv.App().Test(httptest.NewRequestWithContext(ctx, "GET", "/live/"+live.Code+"/stream", nil), fiberStreamConfig)
		if err == nil {
			_ = res.Body.Close()
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for h.hub.Followers() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	f := h.scrape(t)
	<-streamed

	cases := []struct {
		name    string
		labels  []string
		atLeast float64
	}{
		{"heard_http_requests_total", []string{"method", "POST", "route", "/api/v1/surveys/:slug/responses", "status", "201"}, answers},
		{"heard_http_requests_total", []string{"route", "/live/:code", "status", "404"}, 1},
		{"heard_http_requests_total", []string{"route", "/staff/reset/:token"}, 1},
		{"heard_http_requests_total", []string{"route", "/s/:slug/:version", "status", "200"}, 1},
		{"heard_http_requests_total", []string{"route", "unmatched", "status", "404"}, 1},
		{"heard_http_request_duration_seconds", []string{"route", "/api/v1/surveys/:slug/responses"}, answers},
		{"heard_responses_stored_total", nil, answers},
		{"heard_commit_batch_size", nil, 1},
		{"heard_tally_backlog_responses", nil, 0},
		{"heard_tally_lag_seconds", nil, 0},
		{"heard_live_connections", nil, 1},
		{"heard_safeguarding_alerts_pending", nil, 0},
		{"heard_safeguarding_alerts_failed_total", nil, 0},
	}
	for _, tc := range cases {
		got, ok := f.Value(tc.name, tc.labels...)
		if !ok || got < tc.atLeast {
			t.Errorf("%s%v = %v (found %v), want at least %v", tc.name, tc.labels, got, ok, tc.atLeast)
		}
	}
	if got, _ := f.Value("heard_responses_stored_total"); got != answers {
		t.Errorf("responses stored %v, want %d", got, answers)
	}
	metricstest.CheckLabels(t, f, words, name, joinCode, reset, "Marigold", "Philippa", "TSTC", "my carer")
}
