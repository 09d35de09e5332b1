package main

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

// importFixture writes the fixture survey to a file and imports it, open.
func importFixture(t *testing.T, dataDir string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "survey.json")
	if err := os.WriteFile(file, surveytest.JSON(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, code := runHeard(t, dataDir, "", "survey", "import", file, "--open")
	if code != 0 || !strings.Contains(out, "imported test-wellbeing (edition 2026, 2 versions), open") {
		t.Fatalf("survey import: exit %d\n%s", code, out)
	}
}

func answer(id string, happy int) map[string]any {
	return map[string]any{"id": id, "version": "11-18", "lang": "en",
		"answers": map[string]any{"area": "north", "feel_safe": "always", "talk_to": "yes", "happy": happy}}
}

func testUUID(run, n int) string { return fmt.Sprintf("00000000-%04x-4000-8000-%012d", run, n) }

// TestAnalystJourney walks the foundation from the command line to results:
// an analyst account and a survey made with the CLI, answers over the API
// and the plain HTML form, results with suppression, and the lock that
// keeps commands off a running server's database.
func TestAnalystJourney(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()

	out, code := runHeard(t, dataDir, "short\n", "user", "add", "--email", "analyst@council.example", "--role", "analyst")
	if code == 0 || !strings.Contains(out, "at least 12 characters") {
		t.Errorf("user add with a short password: exit %d\n%s", code, out)
	}
	out, code = runHeard(t, dataDir, "a long enough password\n", "user", "add", "--email", "Analyst@Council.example", "--role", "analyst")
	if code != 0 || !strings.Contains(out, "created analyst@council.example (analyst)") {
		t.Fatalf("user add: exit %d\n%s", code, out)
	}
	importFixture(t, dataDir)

	srv := startServer(t, dataDir)
	out, code = runHeard(t, dataDir, "", "survey", "list")
	if code != 1 || !strings.Contains(out, "in use by a running Heard process") {
		t.Errorf("survey list while the server runs: exit %d\n%s", code, out)
	}

	young := newClient(t, srv.URL)
	path := "/api/v1/surveys/test-wellbeing/responses"
	for i := range 6 {
		if status, b := young.must("POST", path, answer(testUUID(1, i), i)); status != 201 {
			t.Fatalf("answer %d: %d %s", i, status, b)
		}
	}
	if status, _ := young.must("POST", path, answer(testUUID(1, 0), 0)); status != 200 {
		t.Errorf("repeated answer: %d, want 200", status)
	}
	if status, _ := young.must("POST", path, answer(testUUID(1, 0), 9)); status != 409 {
		t.Errorf("same id, other answers: %d, want 409", status)
	}
	if status, b := young.must("POST", path, map[string]any{"id": testUUID(1, 99), "version": "11-18", "answers": map[string]any{"happy": 12}}); status != 422 {
		t.Errorf("invalid answer: %d %s, want 422", status, b)
	}

	// The plain HTML form, as a browser without JavaScript sends it.
	form := url.Values{"id": {testUUID(1, 50)}, "lang": {"en"}, "q.area": {"south"}, "q.feel_safe": {"never"},
		"q.why_unsafe": {"online", "out"}, "q.happy": {"3"}, "q.talk_to": {"no"}}
	res, err := http.PostForm(srv.URL+"/s/test-wellbeing/11-18", form)
	if err != nil {
		t.Fatal(err)
	}
	page := readAll(t, res)
	if res.StatusCode != 201 || !strings.Contains(page, "0800 1111") {
		t.Errorf("HTML form submission: %d\n%s", res.StatusCode, page)
	}

	analyst := newClient(t, srv.URL)
	analyst.login("analyst@council.example", "a long enough password")
	status, b := analyst.must("GET", "/api/v1/surveys/test-wellbeing/results?version=11-18", nil)
	if status != 200 {
		t.Fatalf("results: %d %s", status, b)
	}
	var results struct {
		Responses int `json:"responses"`
		Questions []struct {
			Key     string `json:"key"`
			Choices []struct {
				Key        string `json:"key"`
				Count      *int   `json:"count"`
				Suppressed bool   `json:"suppressed"`
			} `json:"choices"`
		} `json:"questions"`
	}
	if err := json.Unmarshal(b, &results); err != nil {
		t.Fatal(err)
	}
	if results.Responses != 7 {
		t.Errorf("results count %d responses, want 7", results.Responses)
	}
	for _, q := range results.Questions {
		if q.Key != "feel_safe" {
			continue
		}
		// always 6, sometimes 0, never 1: the small cells are suppressed,
		// and always with them, or never could be worked out as 7 - 6.
		for _, c := range q.Choices {
			if !c.Suppressed || c.Count != nil {
				t.Errorf("feel_safe %s: count %v suppressed %v, want suppressed", c.Key, c.Count, c.Suppressed)
			}
		}
	}
	if err := srv.stop(); err != nil {
		t.Errorf("SIGTERM: %v\n%s", err, srv.logs.String())
	}
	out, code = runHeard(t, dataDir, "", "survey", "list")
	if code != 0 || !regexp.MustCompile(`test-wellbeing\s+2026\s+open\s+8-11,11-18`).MatchString(out) {
		t.Errorf("survey list after the server stopped: exit %d\n%s", code, out)
	}
	out, code = runHeard(t, dataDir, "", "tally", "rebuild", "--survey", "test-wellbeing")
	if code != 0 || !strings.Contains(out, "test-wellbeing: 7 responses counted") {
		t.Errorf("tally rebuild: exit %d\n%s", code, out)
	}
	out, code = runHeard(t, dataDir, "", "tally", "verify")
	if code != 0 || !strings.Contains(out, "test-wellbeing: 7 responses, tallies match") {
		t.Errorf("tally verify after a rebuild: exit %d\n%s", code, out)
	}
	if strings.Contains(srv.logs.String(), "about my") {
		t.Errorf("server log carries answers")
	}
}

// TestKilledMidLoadLosesNothing sends answers from many clients, kills the
// server with SIGKILL while answers are in flight, restarts it, and checks
// that every acknowledged answer is stored exactly once and that the
// tallies equal a recount of the stored responses.
func TestKilledMidLoadLosesNothing(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	importFixture(t, dataDir)
	srv := startServer(t, dataDir)
	load := startAnswerLoad(t, srv.URL, 16)
	load.waitFor(t, 400)
	srv.kill()
	load.end()
	load.checkEveryAnswerOnce(t, dataDir)
}

// answerLoad sends answers from many clients at once until it is ended,
// noting each answer it tried and each the server acknowledged.
type answerLoad struct {
	attempted, acked sync.Map // id to the answer's "happy"; id to true
	ackCount         atomic.Int64
	stop             chan struct{}
	wg               sync.WaitGroup
}

func startAnswerLoad(t *testing.T, base string, clients int) *answerLoad {
	l := &answerLoad{stop: make(chan struct{})}
	for c := range clients {
		l.wg.Go(func() {
			cl := newClient(t, base)
			for n := 0; ; n++ {
				select {
				case <-l.stop:
					return
				default:
				}
				id := testUUID(c, n)
				l.attempted.Store(id, n%11)
				status, _, err := cl.call("POST", "/api/v1/surveys/test-wellbeing/responses", answer(id, n%11))
				if err != nil {
					return // the server is gone
				}
				if status == 201 || status == 200 {
					l.acked.Store(id, true)
					l.ackCount.Add(1)
				}
			}
		})
	}
	return l
}

// waitFor waits until n answers were acknowledged, or fails after a minute.
func (l *answerLoad) waitFor(t *testing.T, n int64) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for l.ackCount.Load() < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if l.ackCount.Load() < n {
		t.Fatalf("only %d answers acknowledged in a minute", l.ackCount.Load())
	}
}

// end stops the clients and waits for them.
func (l *answerLoad) end() {
	close(l.stop)
	l.wg.Wait()
}

// checkEveryAnswerOnce restarts the server on dataDir and sends every
// answer tried again: one acknowledged before must be found stored (200),
// and one that was not is stored now. Then the tallies must count each
// answer tried exactly once.
func (l *answerLoad) checkEveryAnswerOnce(t *testing.T, dataDir string) {
	t.Helper()
	srv := startServer(t, dataDir)
	cl := newClient(t, srv.URL)
	total, redone := 0, 0
	l.attempted.Range(func(key, value any) bool {
		id := key.(string)
		total++
		status, b := cl.must("POST", "/api/v1/surveys/test-wellbeing/responses", answer(id, value.(int)))
		_, wasAcked := l.acked.Load(id)
		switch {
		case status == 200:
		case status == 201 && !wasAcked:
			redone++ // in flight when the server went, never stored: stored now
		default:
			t.Errorf("%s (acknowledged before: %v): %d %s", id, wasAcked, status, b)
		}
		return true
	})
	t.Logf("%d acknowledged, %d attempted, %d in flight and not stored", l.ackCount.Load(), total, redone)
	if err := srv.stop(); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	out, code := runHeard(t, dataDir, "", "tally", "verify")
	m := regexp.MustCompile(`test-wellbeing: (\d+) responses, tallies match`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("tally verify: exit %d\n%s", code, out)
	}
	if n, _ := strconv.Atoi(m[1]); n != total {
		t.Errorf("%d responses stored, want every one of the %d attempted exactly once", n, total)
	}
}

func readAll(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}

// TestDemoLoadsOnce starts Heard with demo data twice: the shipped
// templates are opened with their synthetic answers the first time, and
// nothing is added the second.
func TestDemoLoadsOnce(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	for range 2 {
		srv := startServer(t, dataDir, "HEARD_DEMO=true")
		cl := newClient(t, srv.URL)
		status, body := cl.must("GET", "/api/v1/surveys", nil)
		for _, slug := range []string{"cared-for-2026", "care-leavers-2026", "school-council-2026"} {
			if status != 200 || !strings.Contains(string(body), `"slug":"`+slug+`"`) {
				t.Errorf("open surveys lack %s: %d %s", slug, status, body)
			}
		}
		if err := srv.stop(); err != nil {
			t.Fatalf("SIGTERM: %v\n%s", err, srv.logs.String())
		}
	}
	out, code := runHeard(t, dataDir, "", "tally", "verify")
	for _, want := range []string{
		"cared-for-2026: 180 responses, tallies match",
		"care-leavers-2026: 70 responses, tallies match",
		"school-council-2026: 50 responses, tallies match",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("tally verify lacks %q: exit %d\n%s", want, code, out)
		}
	}
}

// TestTallyVerifyFindsAndRebuildMends damages a survey's tallies, then
// checks that verify reports it and rebuild mends it.
func TestTallyVerifyFindsAndRebuildMends(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	importFixture(t, dataDir)
	srv := startServer(t, dataDir)
	cl := newClient(t, srv.URL)
	for i := range 3 {
		if status, b := cl.must("POST", "/api/v1/surveys/test-wellbeing/responses", answer(testUUID(7, i), i)); status != 201 {
			t.Fatalf("answer: %d %s", status, b)
		}
	}
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}

	// Damage: replace the tallies with empty ones.
	ctx := t.Context()
	st, err := openStorage(ctx, &Config{DataDir: dataDir, DB: "heard"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	s, err := st.surveys.FindSurvey(ctx, "test-wellbeing")
	if err == nil {
		err = st.tallies.ReplaceTallies(ctx, s, nil)
	}
	st.close()
	if err != nil {
		t.Fatal(err)
	}

	out, code := runHeard(t, dataDir, "", "tally", "verify")
	if code != 1 || !strings.Contains(out, "test-wellbeing: tallies count 0 responses, the stored responses are 3: DIFFERENT") {
		t.Errorf("verify of damaged tallies: exit %d\n%s", code, out)
	}
	if out, code := runHeard(t, dataDir, "", "tally", "rebuild"); code != 0 || !strings.Contains(out, "test-wellbeing: 3 responses counted") {
		t.Errorf("rebuild: exit %d\n%s", code, out)
	}
	if out, code := runHeard(t, dataDir, "", "tally", "verify"); code != 0 || !strings.Contains(out, "test-wellbeing: 3 responses, tallies match") {
		t.Errorf("verify after rebuild: exit %d\n%s", code, out)
	}
}

// TestCodesFromTheCommandLine makes a batch of codes with the command line,
// reads them back from the PDF, and answers a coded survey with them.
func TestCodesFromTheCommandLine(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	def := strings.Replace(string(surveytest.JSON()), `"kind": "annual",`, `"kind": "annual", "require_code": true,`, 1)
	file := filepath.Join(t.TempDir(), "survey.json")
	if err := os.WriteFile(file, []byte(def), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, code := runHeard(t, dataDir, "", "survey", "import", file, "--open"); code != 0 {
		t.Fatalf("import: %s", out)
	}
	cards := filepath.Join(t.TempDir(), "cards.pdf")
	out, code := runHeard(t, dataDir, "", "codes", "generate", "--survey", "test-wellbeing", "--count", "10", "--label", "team north", "--out", cards)
	if code != 0 || !strings.Contains(out, "10 codes for test-wellbeing") {
		t.Fatalf("codes generate: exit %d\n%s", code, out)
	}
	if out, code := runHeard(t, dataDir, "", "codes", "generate", "--survey", "test-wellbeing", "--count", "10", "--out", cards); code == 0 {
		t.Errorf("codes generate over an existing file: exit 0\n%s", out)
	}
	text, err := exec.Command("pdftotext", "-layout", cards, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (Debian package poppler-utils): %v", err)
	}
	codes := regexp.MustCompile(`\b[2-9A-Z]{3}-[2-9A-Z]{3}-[2-9A-Z]{3}\b`).FindAllString(string(text), -1)
	if len(codes) != 10 {
		t.Fatalf("found %d codes in the cards, want 10:\n%s", len(codes), text)
	}
	out, code = runHeard(t, dataDir, "", "codes", "list", "--survey", "test-wellbeing")
	if code != 0 || !regexp.MustCompile(`\s10\s+0\s+true\s+team north`).MatchString(out) {
		t.Errorf("codes list: exit %d\n%s", code, out)
	}

	srv := startServer(t, dataDir)
	cl := newClient(t, srv.URL)
	withCode := func(id, code string) map[string]any {
		a := answer(id, 3)
		a["code"] = code
		return a
	}
	if status, b := cl.must("POST", "/api/v1/surveys/test-wellbeing/responses", withCode(testUUID(9, 1), codes[0])); status != 201 {
		t.Fatalf("with a printed code: %d %s", status, b)
	}
	if status, b := cl.must("POST", "/api/v1/surveys/test-wellbeing/responses", withCode(testUUID(9, 2), codes[0])); status != 409 {
		t.Errorf("the same code again: %d %s, want 409", status, b)
	}
	// The welcome page, as a card's QR code opens it.
	canonical, _ := surveys.NormalizeCode(codes[1])
	status, page := cl.must("GET", "/s/test-wellbeing?code="+canonical, nil)
	if status != 200 || !strings.Contains(string(page), "code="+canonical) {
		t.Errorf("the welcome page with a fresh code: %d; its version links should carry the code", status)
	}
	if status, _ := cl.must("GET", "/s/test-wellbeing?code="+codes[0], nil); status == 200 || status >= 500 {
		t.Errorf("the welcome page with a used code: %d, want a refusal", status)
	}
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}
	out, _ = runHeard(t, dataDir, "", "codes", "list", "--survey", "test-wellbeing")
	if !regexp.MustCompile(`\s10\s+1\s+true\s+team north`).MatchString(out) {
		t.Errorf("codes list after one answer:\n%s", out)
	}
}
