package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/heard-app/heard/api"
	"github.com/heard-app/heard/metrics"
	"github.com/heard-app/heard/metrics/metricstest"
	"github.com/heard-app/heard/surveys/mongo"
)

// Metrics is what each watched package asks of an observer.
var (
	_ api.RequestObserver   = (*metrics.Metrics)(nil)
	_ mongo.CommitObserver  = (*metrics.Metrics)(nil)
	_ mongo.CommandObserver = (*metrics.Metrics)(nil)
)

// scrape reads m's handler as Prometheus would.
func scrape(t *testing.T, m *metrics.Metrics) metricstest.Families {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: %d %s", rec.Code, rec.Body)
	}
	return metricstest.Parse(t, rec.Body)
}

func value(t *testing.T, f metricstest.Families, name string, labels ...string) float64 {
	t.Helper()
	v, ok := f.Value(name, labels...)
	if !ok {
		t.Fatalf("no %s%v in the scrape", name, labels)
	}
	return v
}

func TestFreshMetricsHaveEveryUnlabelledFamily(t *testing.T) {
	t.Parallel()
	f := scrape(t, metrics.New())
	for _, name := range []string{
		"heard_responses_stored_total", "heard_commit_batch_size", "heard_tally_backlog_responses", "heard_tally_lag_seconds",
		"heard_live_connections", "heard_safeguarding_alerts_sent_total", "heard_safeguarding_alerts_failed_total",
		"heard_safeguarding_alerts_pending", "heard_safeguarding_alerts_failing",
		"go_goroutines", "process_cpu_seconds_total",
	} {
		if v := value(t, f, name); v != 0 && name != "go_goroutines" && name != "process_cpu_seconds_total" {
			t.Errorf("%s starts at %v", name, v)
		}
	}
	metricstest.CheckLabels(t, f)
}

func TestObservationsMove(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.ObserveRequest("POST", "/api/v1/surveys/:slug/responses", 201, 3*time.Millisecond)
	m.ObserveRequest("POST", "/api/v1/surveys/:slug/responses", 201, 5*time.Millisecond)
	m.ObserveRequest("GET", "unmatched", 404, time.Millisecond)
	m.Batch(3)
	m.Batch(1)
	m.Stored(4)
	m.ObserveCommand("insert", 2*time.Millisecond, false)
	m.ObserveCommand("find", time.Millisecond, true)
	m.WatchLive(func() int { return 7 })
	m.AlertsRun(2, 1)
	m.AlertBacklog(3, 1)

	f := scrape(t, m)
	cases := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"heard_http_requests_total", []string{"method", "POST", "route", "/api/v1/surveys/:slug/responses", "status", "201"}, 2},
		{"heard_http_requests_total", []string{"route", "unmatched", "status", "404"}, 1},
		{"heard_http_request_duration_seconds", []string{"route", "/api/v1/surveys/:slug/responses"}, 2},
		{"heard_commit_batch_size", nil, 2},
		{"heard_responses_stored_total", nil, 4},
		{"heard_db_command_duration_seconds", []string{"command", "insert"}, 1},
		{"heard_db_command_duration_seconds", []string{"command", "find"}, 1},
		{"heard_db_command_errors_total", []string{"command", "find"}, 1},
		{"heard_live_connections", nil, 7},
		{"heard_safeguarding_alerts_sent_total", nil, 2},
		{"heard_safeguarding_alerts_failed_total", nil, 1},
		{"heard_safeguarding_alerts_pending", nil, 3},
		{"heard_safeguarding_alerts_failing", nil, 1},
	}
	for _, tc := range cases {
		if got := value(t, f, tc.name, tc.labels...); got != tc.want {
			t.Errorf("%s%v = %v, want %v", tc.name, tc.labels, got, tc.want)
		}
	}
	if _, ok := f.Value("heard_db_command_errors_total", "command", "insert"); ok {
		t.Error("a command that succeeded counted as an error")
	}
	metricstest.CheckLabels(t, f)
}

// TestLabelValuesComeFromFixedSets: a method, status or command name no
// one expects becomes "other", so that no client can make up label values.
func TestLabelValuesComeFromFixedSets(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.ObserveRequest("BREW /jane-doe", "unmatched", 418, time.Millisecond)
	m.ObserveRequest("GET", "unmatched", 1234, time.Millisecond)
	m.ObserveCommand("jane-doe@example.org", time.Millisecond, false)
	f := scrape(t, m)
	if got := value(t, f, "heard_http_requests_total", "method", "other", "status", "418"); got != 1 {
		t.Errorf("unknown method: %v", got)
	}
	if got := value(t, f, "heard_http_requests_total", "method", "GET", "status", "other"); got != 1 {
		t.Errorf("impossible status: %v", got)
	}
	if got := value(t, f, "heard_db_command_duration_seconds", "command", "other"); got != 1 {
		t.Errorf("unknown command: %v", got)
	}
	metricstest.CheckLabels(t, f, "brew", "jane", "1234")
}

// TestTallyLagGrowsWhileResponsesWait: the lag is how long the oldest
// uncounted response has waited, worked out at each scrape, and 0 once
// the tallies have caught up.
func TestTallyLagGrowsWhileResponsesWait(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.TallyBacklog(12, time.Now().Add(-3*time.Second))
	f := scrape(t, m)
	if got := value(t, f, "heard_tally_backlog_responses"); got != 12 {
		t.Errorf("backlog %v, want 12", got)
	}
	first := value(t, f, "heard_tally_lag_seconds")
	if first < 3 || first > 60 {
		t.Errorf("lag %v s, want about 3", first)
	}
	time.Sleep(20 * time.Millisecond)
	if later := value(t, scrape(t, m), "heard_tally_lag_seconds"); later <= first {
		t.Errorf("lag %v s after %v s: it should grow while responses wait", later, first)
	}
	m.TallyBacklog(0, time.Time{})
	f = scrape(t, m)
	if got := value(t, f, "heard_tally_backlog_responses"); got != 0 {
		t.Errorf("backlog after catching up %v", got)
	}
	if got := value(t, f, "heard_tally_lag_seconds"); got != 0 {
		t.Errorf("lag after catching up %v", got)
	}
}

// TestMetricsAreEachServersOwn: two servers in one process count apart.
func TestMetricsAreEachServersOwn(t *testing.T) {
	t.Parallel()
	a, b := metrics.New(), metrics.New()
	a.Stored(5)
	if got := value(t, scrape(t, b), "heard_responses_stored_total"); got != 0 {
		t.Errorf("b counts a's responses: %v", got)
	}
}
