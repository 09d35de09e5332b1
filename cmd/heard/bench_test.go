package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/demo"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/templates"
)

// The benchmarks run the real binary on the embedded database and talk to
// it over HTTP on loopback, as a young person's phone and an analyst's
// browser would. Run them with `make bench`; each reports its figures as
// benchmark metrics, so benchstat can take medians over -count runs.

const benchSurvey = "cared-for-2026"

// benchWindow is how long each submission benchmark sends answers.
const benchWindow = 10 * time.Second

func BenchmarkSubmit(b *testing.B) {
	for _, clients := range []int{1, 32} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			dataDir := b.TempDir()
			importTemplate(b, dataDir, benchSurvey)
			srv := startServer(b, dataDir)
			defer func() { _ = srv.stop() }()
			bodies := submissionBodies(b, 2000+clients*600)
			b.ResetTimer()
			lat, elapsed := hammer(b, srv.URL, clients, bodies, benchWindow)
			b.StopTimer()
			b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "resp/s")
			b.ReportMetric(ms(percentile(lat, 50)), "p50-ms")
			b.ReportMetric(ms(percentile(lat, 99)), "p99-ms")
		})
	}
}

// BenchmarkResults100k times the results query over 100,000 stored
// responses, for all versions and for one version filtered by a breakdown.
func BenchmarkResults100k(b *testing.B) {
	dataDir := loaded100k(b)
	srv := startServer(b, dataDir)
	defer func() { _ = srv.stop() }()
	cl := newClient(b, srv.URL)
	cl.login("bench@council.example", "a long enough password")
	for _, query := range []string{"", "?version=11-18&filter=where_live:foster_family"} {
		path := "/api/v1/surveys/" + benchSurvey + "/results" + query
		var lat []time.Duration
		for range 200 {
			start := time.Now()
			status, body := cl.must("GET", path, nil)
			lat = append(lat, time.Since(start))
			if status != 200 {
				b.Fatalf("results: %d %s", status, body)
			}
		}
		name := "all"
		if query != "" {
			name = "filtered"
		}
		b.ReportMetric(ms(percentile(lat, 50)), name+"-p50-ms")
		b.ReportMetric(ms(percentile(lat, 99)), name+"-p99-ms")
	}
	var res struct {
		Responses int `json:"responses"`
	}
	_, body := cl.must("GET", "/api/v1/surveys/"+benchSurvey+"/results", nil)
	if err := json.Unmarshal(body, &res); err != nil || res.Responses != 100_000 {
		b.Fatalf("results count %d responses (%v), want 100000", res.Responses, err)
	}
}

// BenchmarkThemeSummary100k times the theme summary of the last year over
// the comments of 100,000 stored responses (about 100,000 comments, all of
// one day, so also the worst case of a day's digest documents), for
// everything and for one area.
func BenchmarkThemeSummary100k(b *testing.B) {
	dataDir := loaded100k(b)
	srv := startServer(b, dataDir)
	defer func() { _ = srv.stop() }()
	cl := newClient(b, srv.URL)
	cl.login("bench@council.example", "a long enough password")
	for _, query := range []string{"", "?area=North&channel=survey"} {
		var lat []time.Duration
		var body []byte
		for range 20 {
			start := time.Now()
			var status int
			status, body = cl.must("GET", "/api/v1/themes/summary"+query, nil)
			lat = append(lat, time.Since(start))
			if status != 200 {
				b.Fatalf("summary: %d %s", status, body)
			}
		}
		var res struct {
			Voices struct {
				Total *int `json:"total"`
			} `json:"voices"`
		}
		if err := json.Unmarshal(body, &res); err != nil || res.Voices.Total == nil || *res.Voices.Total < 10_000 {
			b.Fatalf("summary %s counts %v comments (%v), want tens of thousands", query, res.Voices.Total, err)
		}
		name := "all"
		if query != "" {
			name = "area"
		}
		b.ReportMetric(ms(percentile(lat, 50)), name+"-p50-ms")
		b.ReportMetric(ms(percentile(lat, 99)), name+"-p99-ms")
		b.ReportMetric(float64(*res.Voices.Total), name+"-comments")
	}
}

var (
	loadOnce sync.Once
	loadDir  string
)

// loaded100k returns a data directory with 100,000 responses to the
// cared-for survey, stored once per benchmark process through the same
// group-commit path the server uses.
//
// HEARD_BENCH_DATA names a directory a previous run loaded (its path is
// logged), to profile without loading again.
func loaded100k(b *testing.B) string {
	loadOnce.Do(func() {
		if dir := os.Getenv("HEARD_BENCH_DATA"); dir != "" {
			loadDir = dir
			return
		}
		dir, err := os.MkdirTemp("", "heard-bench-100k-")
		if err != nil {
			b.Fatal(err)
		}
		loadDir = dir
		importTemplate(b, dir, benchSurvey)
		if out, code := runHeard(b, dir, "a long enough password\n", "user", "add", "--email", "bench@council.example", "--role", "analyst"); code != 0 {
			b.Fatalf("user add: %s", out)
		}
		start := time.Now()
		store100k(b, dir)
		b.Logf("stored 100,000 responses in %v in %s", time.Since(start).Round(time.Second), dir)
	})
	return loadDir
}

func store100k(b *testing.B, dir string) {
	ctx := context.Background()
	cfg := &Config{DataDir: dir, DB: "heard"}
	st, err := openStorage(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	defer st.close()
	responses, err := mongo.NewResponseStore(ctx, st.db, mongo.ResponseOptions{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = responses.Close(ctx) }()
	themes, err := loadThemes(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	// As serve does before taking answers: a new database has every digest.
	if err := mongo.EnsureVoiceDigests(ctx, st.db); err != nil {
		b.Fatal(err)
	}
	// Every text answer is coded, as in production.
	intake := &surveys.Intake{Surveys: st.surveys, Responses: responses, Now: time.Now, Coder: themes}
	def, err := templates.Get(benchSurvey)
	if err != nil {
		b.Fatal(err)
	}
	subs := demo.Submissions(def, 100_000, 42)
	work := make(chan surveys.Submission)
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for sub := range work {
				if _, err := intake.Submit(ctx, benchSurvey, sub); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	for _, sub := range subs {
		work <- sub
	}
	close(work)
	wg.Wait()
}

func importTemplate(b testing.TB, dataDir, slug string) {
	b.Helper()
	raw, err := templates.Raw(slug)
	if err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(dataDir, slug+".json")
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		b.Fatal(err)
	}
	if out, code := runHeard(b, dataDir, "", "survey", "import", file, "--open"); code != 0 {
		b.Fatalf("import: %s", out)
	}
}

// submissionBodies returns n JSON bodies of realistic, valid answers with
// ids no earlier run used.
func submissionBodies(b *testing.B, n int) [][]byte {
	def, err := templates.Get(benchSurvey)
	if err != nil {
		b.Fatal(err)
	}
	subs := demo.Submissions(def, n, uint64(time.Now().UnixNano()))
	bodies := make([][]byte, n)
	for i, s := range subs {
		bodies[i], err = json.Marshal(map[string]any{"id": s.ID, "version": s.Version, "lang": s.Lang, "answers": s.Answers})
		if err != nil {
			b.Fatal(err)
		}
	}
	return bodies
}

// hammer sends bodies from the given number of clients, each waiting for
// its answer before sending the next, for the window, and returns the
// latency of every acknowledged answer.
func hammer(b *testing.B, base string, clients int, bodies [][]byte, window time.Duration) ([]time.Duration, time.Duration) {
	transport := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	hc := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	defer transport.CloseIdleConnections()
	url := base + "/api/v1/surveys/" + benchSurvey + "/responses"
	var mu sync.Mutex
	var all []time.Duration
	var next int
	deadline := time.Now().Add(window)
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(deadline) {
				mu.Lock()
				if next >= len(bodies) {
					mu.Unlock()
					break
				}
				body := bodies[next]
				next++
				mu.Unlock()
				t0 := time.Now()
				res, err := hc.Post(url, "application/json", bytes.NewReader(body))
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 201 {
					b.Errorf("status %d", res.StatusCode)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all, time.Since(start)
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(float64(len(s)-1) * p / 100)
	return s[i]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// restored100k finds the responses' row of a restore's manifest.
var restored100k = regexp.MustCompile(`(?m)^\s*responses\s+100000$`)

// BenchmarkBackup100k backs up the database of 100,000 responses with
// heard backup, as an operator would, and restores the archive into an
// empty data directory with heard restore: the time each takes, process
// start included, and the archive's size.
func BenchmarkBackup100k(b *testing.B) {
	dir := loaded100k(b)
	for range b.N {
		archive := filepath.Join(b.TempDir(), "heard.tar.gz")
		start := time.Now()
		if out, code := runHeard(b, dir, "", "backup", "--out", archive); code != 0 {
			b.Fatalf("backup: exit %d\n%s", code, out)
		}
		backup := time.Since(start)
		info, err := os.Stat(archive)
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		if out, code := runHeard(b, b.TempDir(), "", "restore", archive); code != 0 || !restored100k.MatchString(out) {
			b.Fatalf("restore: exit %d\n%s", code, out)
		}
		restore := time.Since(start)
		b.ReportMetric(backup.Seconds(), "backup-s")
		b.ReportMetric(restore.Seconds(), "restore-s")
		b.ReportMetric(float64(info.Size())/1e6, "archive-MB")
	}
}
