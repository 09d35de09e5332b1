package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/metrics/metricstest"
)

// TestMetricsOfARunningServer runs heard serve with metrics on both a
// listen address of their own and the main address behind a token, and a
// safeguarding webhook that fails. After answers (one worrying), pages
// and addresses with codes and names in them, every family is there and
// has moved, and no label carries anything that was sent.
func TestMetricsOfARunningServer(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	if out, code := runHeard(t, dataDir, "a long enough password\n", "user", "add", "--email", "lead@council.example", "--role", "safeguarding_lead"); code != 0 {
		t.Fatalf("user add: exit %d\n%s", code, out)
	}
	importFixture(t, dataDir)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
	}))
	t.Cleanup(hook.Close)
	const token = "e2e-scrape-token-0123456789abcdefghijkl"
	srv := startServer(t, dataDir, "HEARD_METRICS_TOKEN="+token, "HEARD_METRICS_ADDR=localhost:0",
		"HEARD_SAFEGUARDING_WEBHOOK="+hook.URL, "HEARD_PUBLIC_URL=https://heard.example")
	own := metricsURL(t, srv)

	const (
		words    = "Zebra crossing near Marigold Street"
		name     = "Philippa Quartermaine"
		worry    = "i want to kill myself"
		joinCode = "QX7ZKW"
	)
	young := newClient(t, srv.URL)
	path := "/api/v1/surveys/test-wellbeing/responses"
	for i := range 4 {
		a := answer(testUUID(9, i), i)
		a["answers"].(map[string]any)["better"] = words + " " + name
		if status, b := young.must("POST", path, a); status != 201 {
			t.Fatalf("answer %d: %d %s", i, status, b)
		}
	}
	a := answer(testUUID(9, 50), 3)
	a["answers"].(map[string]any)["better"] = worry
	if status, b := young.must("POST", path, a); status != 201 {
		t.Fatalf("a worrying answer: %d %s", status, b)
	}
	for _, p := range []string{"/live/" + joinCode, "/" + strings.ReplaceAll(name, " ", "-"), "/s/test-wellbeing"} {
		young.must("GET", p, nil)
	}

	// The alert fails at once (the loop is nudged); wait for the metrics
	// to say so.
	var f metricstest.Families
	deadline := time.Now().Add(15 * time.Second)
	for {
		f = scrapeURL(t, own, "")
		if v, _ := f.Value("heard_safeguarding_alerts_failed_total"); v >= 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	atLeast := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"heard_http_requests_total", []string{"method", "POST", "route", "/api/v1/surveys/:slug/responses", "status", "201"}, 5},
		{"heard_http_requests_total", []string{"route", "/live/:code", "status", "404"}, 1},
		{"heard_http_requests_total", []string{"route", "unmatched", "status", "404"}, 1},
		{"heard_http_request_duration_seconds", []string{"route", "/api/v1/surveys/:slug/responses"}, 5},
		{"heard_responses_stored_total", nil, 5},
		{"heard_commit_batch_size", nil, 1},
		{"heard_tally_backlog_responses", nil, 0},
		{"heard_tally_lag_seconds", nil, 0},
		{"heard_db_command_duration_seconds", []string{"command", "insert"}, 5},
		{"heard_db_command_duration_seconds", []string{"command", "find"}, 1},
		{"heard_live_connections", nil, 0},
		{"heard_safeguarding_alerts_failed_total", nil, 1},
		{"heard_safeguarding_alerts_sent_total", nil, 0},
		{"heard_safeguarding_alerts_pending", nil, 1},
		{"heard_safeguarding_alerts_failing", nil, 1},
		{"go_goroutines", nil, 1},
		{"process_resident_memory_bytes", nil, 1},
	}
	for _, tc := range atLeast {
		got, ok := f.Value(tc.name, tc.labels...)
		if !ok || got < tc.want {
			t.Errorf("%s%v = %v (found %v), want at least %v", tc.name, tc.labels, got, ok, tc.want)
		}
	}
	metricstest.CheckLabels(t, f, words, name, worry, joinCode, "Marigold", "Philippa", "kill", "lead@council.example")

	// The main address: the same metrics, with the token only.
	for _, auth := range []string{"", "Bearer wrong-" + token} {
		if status := scrapeStatus(t, srv.URL+"/metrics", auth); status != http.StatusUnauthorized {
			t.Errorf("main address with %q: %d, want 401", auth, status)
		}
	}
	main := scrapeURL(t, srv.URL+"/metrics", "Bearer "+token)
	if v, _ := main.Value("heard_responses_stored_total"); v != 5 {
		t.Errorf("responses stored, scraped on the main address: %v, want 5", v)
	}
	// Its own address serves the metrics and nothing else.
	if status := scrapeStatus(t, strings.TrimSuffix(own, "/metrics")+"/", ""); status != http.StatusNotFound {
		t.Errorf("the metrics address's root: %d, want 404", status)
	}
	if logs := srv.logs.String(); strings.Contains(logs, token) || strings.Contains(logs, "Marigold") {
		t.Error("the logs hold the token or the answers")
	}
	if err := srv.stop(); err != nil {
		t.Errorf("SIGTERM: %v\n%s", err, srv.logs.String())
	}
}

// metricsURL finds the metrics address in the server's log.
func metricsURL(t *testing.T, srv *server) string {
	t.Helper()
	for line := range strings.SplitSeq(srv.logs.String(), "\n") {
		var rec struct {
			Msg string `json:"msg"`
			URL string `json:"url"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "metrics are served" {
			return rec.URL
		}
	}
	t.Fatalf("no metrics address in the log:\n%s", srv.logs.String())
	return ""
}

func scrapeStatus(t *testing.T, url, auth string) int {
	t.Helper()
	res := get(t, url, auth)
	_ = res.Body.Close()
	return res.StatusCode
}

func scrapeURL(t *testing.T, url, auth string) metricstest.Families {
	t.Helper()
	res := get(t, url, auth)
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("scrape %s: %d", url, res.StatusCode)
	}
	return metricstest.Parse(t, res.Body)
}

func get(t *testing.T, url, auth string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return res
}
