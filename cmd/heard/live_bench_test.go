package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	mathrand "math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/rooms"
)

// BenchmarkLiveSession runs a MADE session as a room would: 200 phones
// join by code, follow the session, post ideas to a board and like each
// other's for a minute, against one heard process and against two sharing
// one database (as behind a load balancer without sticky sessions, so a
// phone's instance is round robin and its retries go to the other one),
// while a projector follows the board on each instance. It reports how
// long an idea takes from the phone to the projector (the other
// instance's when there are two: the fan-out between instances), checks
// that every acknowledged idea and like is stored exactly once, and
// reports each server's peak memory.
//
// The database is an embedded server in this process, so its work and
// memory are not the servers'. The phones do not load their page again
// after each send, as the page's script does, unless
// HEARD_BENCH_LIVE_RELOAD=1: on a full board that page is large, and
// rendering it then takes most of the servers' time.
// HEARD_BENCH_LIVE_SECONDS shortens the minute while developing. Run it
// alone with
//
//	go test -run='^$' -bench=LiveSession -benchtime=1x ./cmd/heard/
func BenchmarkLiveSession(b *testing.B) {
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) { benchLive(b, n) })
	}
}

const (
	livePhones = 200
	// liveStep is how often a phone sends something, an idea and a like
	// in turn: 200 phones send about 100 a second, each phone about 15
	// ideas a minute (the most it may post is surveys.MaxLivePosts).
	liveStep = 2 * time.Second
	// liveRepeatPercent of sends are sent again with the same id to the
	// next instance, as a phone does that lost its signal: half while the
	// first is still in flight, half after its answer.
	liveRepeatPercent = 4
	// liveSettle is how long the projectors may take, after the phones
	// stop, to show the last ideas; one not shown by then is lost.
	liveSettle = 20 * time.Second
	liveBoard  = "board"
	// liveMarker starts each idea's number, which is how the projector's
	// stream is searched for it.
	liveMarker = "zq"
)

// livePhrases are what the ideas say after their number: plain words the
// profanity filter and the safeguarding detector let through, so that
// every idea goes straight to the screen.
var livePhrases = []string{
	"more trips out at weekends", "better wifi in the house", "help with homework after school",
	"the same social worker for longer", "a say in where I live", "pocket money on time",
	"driving lessons when we turn seventeen", "more clubs and sport in the holidays",
}

func liveWindow(b *testing.B) time.Duration {
	if s := os.Getenv("HEARD_BENCH_LIVE_SECONDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("HEARD_BENCH_LIVE_SECONDS=%q: want a whole number of seconds", s)
		}
		return time.Duration(n) * time.Second
	}
	return time.Minute
}

// liveBench is one run: the servers, the session, and what the phones
// and projectors saw.
type liveBench struct {
	b       *testing.B
	servers []*server
	session string // the session's id
	code    string // its join code
	key     string // the projector's key
	posts   *http.Client
	streams *http.Client
	proj    []*projector
	reload  bool // phones load their page again after each send

	marker atomic.Int64
	sends  atomic.Int64

	mu        sync.Mutex
	ideas     map[string]*benchIdea // every idea sent, by id
	visible   []*benchIdea          // acknowledged and shown: what phones like
	likes     map[likeKey]bool      // likes acknowledged
	triedLike map[likeKey]bool      // likes sent, answered or not
	statuses  map[int]int           // answers other than 200, by status
	failures  int                   // sends that never got an answer
	problems  []string              // the first few unexpected answers
	repeats   int
	held      int
	answered  []time.Duration // from sending to the answer, of each send answered 200
}

type benchIdea struct {
	id, text string
	marker   int
	by       string // the phone's participant key
	inst     int    // where it was first sent
	sent     time.Time
	acked    bool
}

type likeKey struct{ by, target string }

func benchLive(b *testing.B, instances int) {
	window := liveWindow(b)
	lb := &liveBench{b: b, ideas: map[string]*benchIdea{}, likes: map[likeKey]bool{}, triedLike: map[likeKey]bool{},
		statuses: map[int]int{}}
	lb.reload = os.Getenv("HEARD_BENCH_LIVE_RELOAD") == "1"
	lb.posts = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: livePhones},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	lb.streams = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: livePhones}}
	defer lb.posts.CloseIdleConnections()
	defer lb.streams.CloseIdleConnections()

	uri := startSharedDB(b)
	lb.startServers(uri, instances)
	lb.prepareSession()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var followers sync.WaitGroup
	for _, srv := range lb.servers {
		p := &projector{seen: map[int]time.Time{}}
		lb.proj = append(lb.proj, p)
		u := srv.URL + "/present/" + lb.code + "/stream?k=" + url.QueryEscape(lb.key)
		followers.Go(func() { p.follow(ctx, lb.streams, u) })
	}
	phones := lb.join(ctx, &followers)

	cpu0, machine0 := lb.cpu(), machineCPU()
	b.ResetTimer()
	start := time.Now()
	deadline := start.Add(window)
	var wg sync.WaitGroup
	for _, ph := range phones {
		wg.Go(func() { lb.runPhone(ctx, ph, start, deadline) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	lb.reportCPU(cpu0, lb.cpu(), machineCPU()-machine0, elapsed)

	lb.settle()
	peaks := lb.peakMemory()
	// The page a phone loads after a send, with the board as full as it
	// got.
	pageBytes, pageTime := lb.loadPage(ctx, phones[0], phones[0].inst)
	b.ReportMetric(float64(lb.stateSize(phones[0]))/1024, "phone-state-KB")
	cancel()
	followers.Wait()

	lb.report(start, elapsed, peaks, float64(pageBytes)/1024, ms(pageTime), phones)
	lb.stopServers()
	lb.check(uri, phones)
}

// startSharedDB starts the embedded database in this process, for the
// servers to share through MONGODB_URI, as instances share a deployment.
func startSharedDB(b *testing.B) string {
	dir := b.TempDir()
	emb, err := mongo.StartEmbedded(context.Background(), filepath.Join(dir, "ferretdb"), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = emb.Close() })
	return emb.URI()
}

const (
	liveFacilitator = "facilitator@council.example"
	livePassword    = "a long enough password"
)

// startServers makes the facilitator's account and starts the servers,
// each with its own (unused) data directory and port.
func (lb *liveBench) startServers(uri string, n int) {
	b := lb.b
	env := baseEnv(b.TempDir(), "MONGODB_URI="+uri)
	if out, code := runWithEnv(b, env, livePassword+"\n", "user", "add", "--email", liveFacilitator, "--role", "facilitator"); code != 0 {
		b.Fatalf("user add: %s", out)
	}
	for range n {
		lb.servers = append(lb.servers, startServer(b, b.TempDir(), "MONGODB_URI="+uri))
	}
}

// stopServers stops the servers as a deployment would, and says what
// they logged that was not information.
func (lb *liveBench) stopServers() {
	for i, srv := range lb.servers {
		if err := srv.stop(); err != nil {
			lb.b.Errorf("server %d: stop: %v", i+1, err)
		}
		counts := map[string]int{}
		for line := range strings.Lines(srv.logs.String()) {
			var rec struct {
				Level, Msg, Err string
			}
			// Alerts are off on purpose here: no mail server is set.
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Level != "INFO" && rec.Level != "DEBUG" &&
				!strings.HasPrefix(rec.Msg, "safeguarding alerts are off") {
				counts[rec.Level+" "+rec.Msg+": "+firstLine(rec.Err)]++
			}
		}
		for msg, n := range counts {
			lb.b.Logf("server %d logged %d× %s", i+1, n, msg)
		}
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

var presentLink = regexp.MustCompile(`/present/([A-Z0-9]+)\?k=([0-9a-f]+)`)

// prepareSession does what the facilitator does before the room arrives.
func (lb *liveBench) prepareSession() {
	lb.session, lb.code, lb.key = startLiveSession(lb.b, lb.servers[0].URL, liveFacilitator, livePassword)
}

// startLiveSession does what a facilitator does before the room arrives,
// through the workspace's forms: signs in, makes a session with an idea
// board, starts it, and opens and reveals the board. It returns the
// session's id, its join code and the projector's key.
func startLiveSession(tb testing.TB, base, email, password string) (id, code, key string) {
	cl := newClient(tb, base)
	cl.login(email, password)
	hc := &http.Client{Jar: cl.http.Jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values) string {
		tb.Helper()
		form.Set("_csrf", cl.csrf)
		res, err := hc.PostForm(cl.base+path, form)
		if err != nil {
			tb.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			tb.Fatalf("POST %s: %d %.500s", path, res.StatusCode, body)
		}
		return res.Header.Get("Location")
	}
	loc := post("/staff/sessions", url.Values{"title": {"MADE bench: what should change?"}, "date": {"2026-11-23"},
		"count": {"1"}, "a.0.id": {liveBoard}, "a.0.kind": {"ideas"}, "a.0.prompt": {"What should change?"}})
	id, ok := strings.CutPrefix(loc, "/staff/sessions/")
	if id, _, _ = strings.Cut(id, "/"); !ok || id == "" {
		tb.Fatalf("new session went to %q", loc)
	}
	console := "/staff/sessions/" + url.PathEscape(id)
	post(console+"/start", url.Values{})
	status, page := cl.must("GET", console, nil)
	m := presentLink.FindSubmatch(page)
	if status != 200 || m == nil {
		tb.Fatalf("console: %d, no projector link", status)
	}
	post(console+"/act", url.Values{"do": {"open"}, "activity": {liveBoard}})
	post(console+"/act", url.Values{"do": {"reveal"}, "activity": {liveBoard}})
	return id, string(m[1]), string(m[2])
}

// projector follows one instance's projector stream and notes when each
// idea's number first appears in it.
type projector struct {
	mu     sync.Mutex
	seen   map[int]time.Time
	events int
	bytes  int64
	gaps   []time.Time // when a stream ended and the projector waited to connect again
}

// follow reads the stream until ctx ends, connecting again after each
// stream ends, as a browser does after the retry time the stream gives.
func (p *projector) follow(ctx context.Context, hc *http.Client, u string) {
	for ctx.Err() == nil {
		retry := readStream(ctx, hc, u, p.take)
		p.mu.Lock()
		p.gaps = append(p.gaps, time.Now())
		p.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-time.After(retry):
		}
	}
}

// take scans one event's data for ideas' numbers. The numbers are plain
// ASCII, so the JSON need not be decoded.
func (p *projector) take(data []byte) {
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events++
	p.bytes += int64(len(data))
	for rest := data; ; {
		i := bytes.Index(rest, []byte(liveMarker))
		if i < 0 {
			return
		}
		rest = rest[i+len(liveMarker):]
		if len(rest) < 8 {
			return
		}
		n, err := strconv.Atoi(string(rest[:8]))
		if err != nil {
			continue
		}
		if _, ok := p.seen[n]; !ok {
			p.seen[n] = now
		}
	}
}

func (p *projector) when(marker int) (time.Time, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	t, ok := p.seen[marker]
	return t, ok
}

// readStream reads one server-sent event stream to its end, calling take
// with each event's data, and returns the retry time the stream asked for.
func readStream(ctx context.Context, hc *http.Client, u string, take func([]byte)) time.Duration {
	retry := time.Second
	res, err := getStream(ctx, hc, u, "")
	if err != nil {
		return retry
	}
	defer res.Body.Close()
	br := bufio.NewReaderSize(res.Body, 64<<10)
	var line, data []byte
	event := false
	for {
		line = line[:0]
		for {
			chunk, err := br.ReadSlice('\n')
			line = append(line, chunk...)
			if err == bufio.ErrBufferFull {
				continue
			}
			if err != nil {
				return retry
			}
			break
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		switch {
		case len(line) == 0 && event: // the blank line that ends an event
			take(data)
			data, event = data[:0], false
		case bytes.HasPrefix(line, []byte("data: ")):
			data, event = append(data, line[len("data: "):]...), true
		case bytes.HasPrefix(line, []byte("retry: ")):
			if ms, err := strconv.Atoi(string(line[len("retry: "):])); err == nil {
				retry = time.Duration(ms) * time.Millisecond
			}
		}
	}
}

// getStream opens an event stream; an answer other than 200 is an error.
func getStream(ctx context.Context, hc *http.Client, u, cookie string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	res, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != 200 {
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return nil, fmt.Errorf("stream %s: %d", u, res.StatusCode)
	}
	return res, nil
}

// benchPhone is a young person's phone: its cookie for the session, and
// what it has done.
type benchPhone struct {
	inst   int
	cookie string // heard_live=...
	key    string // the participant key its events carry
	rng    *mathrand.Rand
	posts  int
	liked  map[string]bool
	stream atomic.Int64 // bytes its stream was sent
}

// join brings the phones in, round robin over the instances: each opens
// the QR code's link, is sent to the session's page (and given its
// cookie), and follows the session's stream, as the page's script does.
func (lb *liveBench) join(ctx context.Context, followers *sync.WaitGroup) []*benchPhone {
	b := lb.b
	phones := make([]*benchPhone, livePhones)
	work := make(chan int)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for i := range work {
				phones[i] = lb.joinOne(i)
			}
		})
	}
	for i := range livePhones {
		work <- i
	}
	close(work)
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	for _, ph := range phones {
		followers.Go(func() { lb.followPhone(ctx, ph) })
	}
	return phones
}

// followPhone follows the session's stream as a phone's page does,
// counting what it is sent, and connects again a second after each
// stream ends (the retry time the stream gives).
func (lb *liveBench) followPhone(ctx context.Context, ph *benchPhone) {
	u := lb.servers[ph.inst].URL + "/live/" + lb.code + "/stream"
	for ctx.Err() == nil {
		if res, err := getStream(ctx, lb.streams, u, ph.cookie); err == nil {
			n, _ := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			ph.stream.Add(n)
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (lb *liveBench) joinOne(i int) *benchPhone {
	b := lb.b
	ph := &benchPhone{inst: i % len(lb.servers), rng: mathrand.New(mathrand.NewPCG(uint64(time.Now().UnixNano()), uint64(i))),
		liked: map[string]bool{}}
	base := lb.servers[ph.inst].URL
	res, err := lb.posts.Get(base + "/join?code=" + strings.ToLower(lb.code))
	if err != nil {
		b.Error(err)
		return ph
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/live/"+lb.code {
		b.Errorf("join: %d to %q", res.StatusCode, res.Header.Get("Location"))
		return ph
	}
	res, err = lb.posts.Get(base + "/live/" + lb.code)
	if err != nil {
		b.Error(err)
		return ph
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	for _, c := range res.Cookies() {
		if c.Name == "heard_live" {
			ph.cookie = c.Name + "=" + c.Value
			ph.key = surveys.ParticipantKey(lb.session, c.Value)
		}
	}
	if res.StatusCode != 200 || ph.cookie == "" {
		b.Errorf("live page: %d, cookie %q", res.StatusCode, ph.cookie)
	}
	return ph
}

// runPhone sends an idea and a like in turn, a step apart (each step a
// little longer or shorter, so that the phones do not keep in time),
// from a moment in the first step until the deadline.
func (lb *liveBench) runPhone(ctx context.Context, ph *benchPhone, start, deadline time.Time) {
	next := start.Add(time.Duration(ph.rng.Int64N(int64(liveStep))))
	for step := 0; ; step++ {
		time.Sleep(time.Until(next))
		if !time.Now().Before(deadline) || ctx.Err() != nil {
			return
		}
		if step%2 == 0 && ph.posts < surveys.MaxLivePosts {
			lb.postIdea(ctx, ph)
		} else {
			lb.like(ctx, ph)
		}
		next = next.Add(liveStep * time.Duration(75+ph.rng.IntN(51)) / 100)
	}
}

func newEventID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (lb *liveBench) postIdea(ctx context.Context, ph *benchPhone) {
	n := int(lb.marker.Add(1))
	idea := &benchIdea{id: newEventID(), marker: n, by: ph.key, inst: ph.inst,
		text: fmt.Sprintf("%s%08d %s", liveMarker, n, livePhrases[ph.rng.IntN(len(livePhrases))])}
	form := url.Values{"id": {idea.id}, "kind": {"post"}, "activity": {liveBoard}, "text": {idea.text}}
	ph.posts++
	lb.mu.Lock()
	lb.ideas[idea.id] = idea
	lb.mu.Unlock()
	idea.sent = time.Now()
	sent, ok := lb.sendRepeating(ctx, ph, form)
	if !ok {
		return
	}
	lb.mu.Lock()
	defer lb.mu.Unlock()
	idea.acked = true
	if sent == "ok" {
		lb.visible = append(lb.visible, idea)
	} else {
		lb.held++
	}
}

// like likes an idea the phone has not liked, from another phone, that
// was acknowledged: one the room sees.
func (lb *liveBench) like(ctx context.Context, ph *benchPhone) {
	var target string
	lb.mu.Lock()
	for range 10 {
		if len(lb.visible) == 0 {
			break
		}
		idea := lb.visible[ph.rng.IntN(len(lb.visible))]
		if idea.by != ph.key && !ph.liked[idea.id] {
			target = idea.id
			break
		}
	}
	if target != "" {
		lb.triedLike[likeKey{ph.key, target}] = true
	}
	lb.mu.Unlock()
	if target == "" {
		return
	}
	ph.liked[target] = true
	form := url.Values{"id": {newEventID()}, "kind": {"like"}, "activity": {liveBoard}, "target": {target}, "on": {"1"}}
	if _, ok := lb.sendRepeating(ctx, ph, form); ok {
		lb.mu.Lock()
		lb.likes[likeKey{ph.key, target}] = true
		lb.mu.Unlock()
	}
}

// sendRepeating sends a phone's form and, now and then, sends it again to
// the next instance: while the first is in flight, or after its answer.
// It says what the server answered ("ok", "held", "help") and whether
// either send was acknowledged.
func (lb *liveBench) sendRepeating(ctx context.Context, ph *benchPhone, form url.Values) (string, bool) {
	repeat := ph.rng.IntN(100) < liveRepeatPercent
	other := (ph.inst + 1) % len(lb.servers)
	if !repeat {
		return lb.send(ctx, ph, ph.inst, form)
	}
	lb.mu.Lock()
	lb.repeats++
	lb.mu.Unlock()
	if ph.rng.IntN(2) == 0 {
		var sent2 string
		var ok2 bool
		done := make(chan struct{})
		go func() {
			defer close(done)
			sent2, ok2 = lb.send(ctx, ph, other, form)
		}()
		sent, ok := lb.send(ctx, ph, ph.inst, form)
		<-done
		if !ok {
			sent, ok = sent2, ok2
		}
		return sent, ok
	}
	sent, ok := lb.send(ctx, ph, ph.inst, form)
	sent2, ok2 := lb.send(ctx, ph, other, form)
	if ok && ok2 && sent2 != sent {
		lb.problem(fmt.Sprintf("sent again, %q became %q", sent, sent2))
	}
	return sent, ok || ok2
}

// send posts a phone's form as its script does, asking for JSON, and
// sends it again while the server is busy or cannot be reached, as the
// script's outbox does.
func (lb *liveBench) send(ctx context.Context, ph *benchPhone, inst int, form url.Values) (string, bool) {
	body := form.Encode()
	for attempt := 0; attempt < 10 && ctx.Err() == nil; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Second)
		}
		lb.sends.Add(1)
		req, err := http.NewRequestWithContext(ctx, "POST", lb.servers[inst].URL+"/live/"+lb.code, strings.NewReader(body))
		if err != nil {
			lb.b.Error(err)
			return "", false
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Cookie", ph.cookie)
		t0 := time.Now()
		res, err := lb.posts.Do(req)
		if err != nil {
			lb.mu.Lock()
			lb.failures++
			lb.mu.Unlock()
			continue
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var answer struct{ Sent, Problem string }
		_ = json.Unmarshal(raw, &answer)
		if res.StatusCode == 200 {
			lb.mu.Lock()
			lb.answered = append(lb.answered, time.Since(t0))
			lb.mu.Unlock()
			if lb.reload {
				_, _ = lb.loadPage(ctx, ph, inst)
			}
			return answer.Sent, true
		}
		lb.mu.Lock()
		lb.statuses[res.StatusCode]++
		lb.mu.Unlock()
		if res.StatusCode != http.StatusServiceUnavailable && res.StatusCode < 500 {
			lb.problem(fmt.Sprintf("%s: %d %.200s", form.Get("kind"), res.StatusCode, raw))
			return "", false
		}
	}
	return "", false
}

// loadPage loads the phone's page as its script does after a send, to
// show the page as the server now has it, and says how large it was and
// how long it took.
func (lb *liveBench) loadPage(ctx context.Context, ph *benchPhone, inst int) (int64, time.Duration) {
	req, err := http.NewRequestWithContext(ctx, "GET", lb.servers[inst].URL+"/live/"+lb.code+"?sent=ok", nil)
	if err != nil {
		lb.b.Error(err)
		return 0, 0
	}
	req.Header.Set("Cookie", ph.cookie)
	start := time.Now()
	res, err := lb.posts.Do(req)
	if err != nil {
		lb.problem(fmt.Sprintf("page after a send: %v", err))
		return 0, 0
	}
	n, _ := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		lb.problem(fmt.Sprintf("page after a send: %d", res.StatusCode))
	}
	return n, time.Since(start)
}

func (lb *liveBench) problem(s string) {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	if len(lb.problems) < 10 {
		lb.problems = append(lb.problems, s)
	}
}

// shownIdeas are the ideas acknowledged as going straight to the screen.
func (lb *liveBench) shownIdeas() []*benchIdea {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	return append([]*benchIdea(nil), lb.visible...)
}

// settle waits until every projector shows every idea acknowledged, or
// liveSettle passes.
func (lb *liveBench) settle() {
	ideas := lb.shownIdeas()
	until := time.Now().Add(liveSettle)
	for time.Now().Before(until) {
		all := true
		for _, p := range lb.proj {
			for _, idea := range ideas {
				if _, ok := p.when(idea.marker); !ok {
					all = false
					break
				}
			}
		}
		if all {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// reportCPU reports the share of a core each server and this process
// used during the run, and what the rest of the machine used: the figures
// mean little on a machine busy with other work.
func (lb *liveBench) reportCPU(before, after []float64, machine float64, elapsed time.Duration) {
	ours := 0.0
	for i := range after {
		used := after[i] - before[i]
		ours += used
		name := fmt.Sprintf("srv%d-cpu-%%", i+1)
		if i == len(lb.servers) {
			name = "bench-cpu-%" // this process: the database, the phones and projectors
		}
		lb.b.ReportMetric(100*used/elapsed.Seconds(), name)
	}
	lb.b.ReportMetric(100*(machine-ours)/elapsed.Seconds(), "others-cpu-%")
}

// machineCPU is the CPU time the whole machine has used, in seconds: the
// first line of /proc/stat, less idle and waiting time.
func machineCPU() float64 {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(raw), "\n")
	f := strings.Fields(line)
	busy := 0.0
	for i, v := range f[1:] {
		n, _ := strconv.ParseFloat(v, 64)
		if i != 3 && i != 4 && i < 8 { // not idle, not iowait; guest time is counted in user already
			busy += n
		}
	}
	return busy / 100
}

// cpu is the CPU time used so far by each server, and by this process.
func (lb *liveBench) cpu() []float64 {
	var out []float64
	for _, srv := range lb.servers {
		out = append(out, cpuSeconds(srv.cmd.Process.Pid))
	}
	return append(out, cpuSeconds(os.Getpid()))
}

// cpuSeconds reads the CPU time a process has used, user and system.
func cpuSeconds(pid int) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command's name, which is in brackets and may
	// hold spaces: utime and stime are the 12th and 13th of them, in
	// clock ticks (100 a second on Linux).
	_, rest, _ := bytes.Cut(raw, []byte(") "))
	f := strings.Fields(string(rest))
	if len(f) < 13 {
		return 0
	}
	user, _ := strconv.ParseFloat(f[11], 64)
	sys, _ := strconv.ParseFloat(f[12], 64)
	return (user + sys) / 100
}

// peakMemory reads each server's peak resident memory (VmHWM), in MB.
func (lb *liveBench) peakMemory() []float64 {
	var out []float64
	for i, srv := range lb.servers {
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", srv.cmd.Process.Pid))
		if err != nil {
			lb.b.Logf("server %d: no memory figures: %v", i+1, err)
			out = append(out, 0)
			continue
		}
		var kb float64
		for line := range strings.Lines(string(raw)) {
			if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, _ = strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			}
		}
		out = append(out, kb/1024)
	}
	return out
}

// stateSize is the size of the state each phone's stream is sent at
// each change, at the end of the run.
func (lb *liveBench) stateSize(ph *benchPhone) int64 {
	res, err := lb.posts.Get(lb.servers[ph.inst].URL + "/live/" + lb.code + "/state?after=-1")
	if err != nil {
		lb.b.Error(err)
		return 0
	}
	defer res.Body.Close()
	n, _ := io.Copy(io.Discard, res.Body)
	return n
}

// report reports the figures of the run: latency from phone to
// projector, what was sent, the streams, and memory.
func (lb *liveBench) report(start time.Time, elapsed time.Duration, peaks []float64, pageKB, pageMS float64, phones []*benchPhone) {
	b := lb.b
	cross, local, unseen := lb.latencies()
	b.ReportMetric(ms(percentile(cross, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(cross, 95)), "p95-ms")
	b.ReportMetric(ms(percentile(cross, 99)), "p99-ms")
	b.ReportMetric(ms(percentile(cross, 100)), "max-ms")
	b.ReportMetric(float64(len(cross)), "ideas")
	if len(lb.servers) > 1 { // the projector on the instance the idea was sent to
		b.ReportMetric(ms(percentile(local, 50)), "same-p50-ms")
		b.ReportMetric(ms(percentile(local, 95)), "same-p95-ms")
	}
	lb.logOverTime()
	lb.mu.Lock()
	likes, repeats, held, failures, answered := len(lb.likes), lb.repeats, lb.held, lb.failures, lb.answered
	busy, others := 0, 0
	for status, n := range lb.statuses {
		if status == http.StatusServiceUnavailable {
			busy += n
		} else {
			others += n
		}
		b.Logf("answers %d: %d", status, n)
	}
	for _, p := range lb.problems {
		b.Logf("unexpected answer: %s", p)
	}
	lb.mu.Unlock()
	b.ReportMetric(ms(percentile(answered, 50)), "send-p50-ms")
	b.ReportMetric(ms(percentile(answered, 95)), "send-p95-ms")
	b.ReportMetric(float64(likes), "likes")
	b.ReportMetric(float64(repeats), "repeats")
	b.ReportMetric(float64(lb.sends.Load())/elapsed.Seconds(), "sends/s")
	b.ReportMetric(float64(busy), "busy-503")
	b.ReportMetric(float64(others+failures), "errors")
	b.ReportMetric(float64(unseen), "unseen")
	for i, mb := range peaks {
		b.ReportMetric(mb, fmt.Sprintf("srv%d-peak-MB", i+1))
	}
	var streamed int64
	for _, ph := range phones {
		streamed += ph.stream.Load()
	}
	b.ReportMetric(float64(streamed)/(1<<20)/elapsed.Seconds(), "phone-stream-MB/s")
	b.ReportMetric(pageKB, "phone-page-KB")
	b.ReportMetric(pageMS, "phone-page-ms")
	for i, p := range lb.proj {
		p.mu.Lock()
		var gaps []string
		for _, t := range p.gaps {
			if t.After(start) && t.Before(start.Add(elapsed)) {
				gaps = append(gaps, fmt.Sprintf("+%.1fs", t.Sub(start).Seconds()))
			}
		}
		b.Logf("projector %d: %d states, %.1f MB; its stream ended during the run at [%s]", i+1, p.events, float64(p.bytes)/(1<<20),
			strings.Join(gaps, ", "))
		p.mu.Unlock()
	}
	if held > 0 {
		b.Logf("%d ideas held for the facilitator", held)
	}
	if unseen > 0 {
		b.Errorf("%d acknowledged ideas never reached a projector within %v", unseen, liveSettle)
	}
	if others+failures > 0 {
		b.Errorf("%d sends refused or failed (503s aside), %d never answered", others, failures)
	}
}

// logOverTime logs the latency to the measuring projector by when the
// ideas were sent, ten seconds at a time, to show whether it grows as the
// board fills.
func (lb *liveBench) logOverTime() {
	ideas := lb.shownIdeas()
	if len(ideas) == 0 {
		return
	}
	first := ideas[0].sent
	for _, idea := range ideas {
		if idea.sent.Before(first) {
			first = idea.sent
		}
	}
	buckets := map[int][]time.Duration{}
	for _, idea := range ideas {
		p := lb.proj[(idea.inst+1)%len(lb.proj)]
		if t, ok := p.when(idea.marker); ok {
			k := int(idea.sent.Sub(first) / (10 * time.Second))
			buckets[k] = append(buckets[k], t.Sub(idea.sent))
		}
	}
	// One line: a benchmark's log shows only its first few lines.
	var parts []string
	for k := 0; k <= len(buckets); k++ {
		if d := buckets[k]; len(d) > 0 {
			parts = append(parts, fmt.Sprintf("%ds+ %.0f/%.0f/%.0f", k*10, ms(percentile(d, 50)), ms(percentile(d, 95)), ms(percentile(d, 100))))
		}
	}
	lb.b.Logf("latency p50/p95/max ms, by when the idea was sent: %s", strings.Join(parts, ", "))
}

// latencies are the times from sending each acknowledged idea until it
// showed on the projector that measures it (the other instance's when
// there are two), and on the instance it was sent to; unseen counts the
// ideas a projector never showed.
func (lb *liveBench) latencies() (cross, local []time.Duration, unseen int) {
	for _, idea := range lb.shownIdeas() {
		for i, p := range lb.proj {
			t, ok := p.when(idea.marker)
			if !ok {
				unseen++
				continue
			}
			switch {
			case i == (idea.inst+1)%len(lb.proj):
				cross = append(cross, t.Sub(idea.sent))
			case i == idea.inst:
				local = append(local, t.Sub(idea.sent))
			}
		}
	}
	return cross, local, unseen
}

// check reads the session's state as a new instance would, from the
// shared database, and checks that every acknowledged idea is there once,
// with its text and its phone, and that the likes are those acknowledged.
func (lb *liveBench) check(uri string, phones []*benchPhone) {
	b := lb.b
	ctx := context.Background()
	db, err := mongo.Open(ctx, mongo.Options{URI: uri, Name: "heard"})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = db.Close(ctx) }()
	hub := &rooms.Hub{Log: mongo.NewLiveLog(db), Sessions: mongo.NewLiveSessionStore(db), Instance: "bench",
		Logger: slog.New(slog.DiscardHandler)}
	hub.Start(ctx)
	defer hub.Stop()
	room, err := hub.Room(ctx, lb.session)
	if err != nil {
		b.Fatal(err)
	}
	var lost, doubled, strays, lostLikes, strayLikes, people, batches int
	lb.mu.Lock()
	defer lb.mu.Unlock()
	room.View(func(_ *surveys.LiveSession, st *surveys.RoomState) {
		people, batches = len(st.People), st.Seq
		posts := st.Act(liveBoard).Posts
		byID, byText := map[string][]*surveys.LivePost{}, map[string]int{}
		for _, p := range posts {
			byID[p.ID] = append(byID[p.ID], p)
			byText[p.Text]++
			idea := lb.ideas[p.ID]
			if idea == nil || idea.text != p.Text || idea.by != p.By {
				strays++ // an idea no phone sent, or not as sent
			}
			for who := range p.Likes {
				if !lb.triedLike[likeKey{who, p.ID}] {
					strayLikes++
				}
			}
		}
		for _, idea := range lb.ideas {
			if !idea.acked {
				continue
			}
			switch {
			case len(byID[idea.id]) == 0:
				lost++
			case len(byID[idea.id]) > 1 || byText[idea.text] > 1:
				doubled++
			}
		}
		for k := range lb.likes {
			if ps := byID[k.target]; len(ps) == 0 || !ps[0].Likes[k.by] {
				lostLikes++
			}
		}
	})
	b.ReportMetric(float64(lost+lostLikes), "lost") // ideas and likes
	b.ReportMetric(float64(doubled), "doubled")
	b.ReportMetric(float64(batches), "log-batches")
	if people != len(phones) {
		b.Errorf("%d people in the session, want %d", people, len(phones))
	}
	if lost+doubled+strays+lostLikes+strayLikes > 0 {
		b.Fatalf("stored state: %d ideas lost, %d doubled, %d not as sent; %d likes lost, %d never sent",
			lost, doubled, strays, lostLikes, strayLikes)
	}
}
