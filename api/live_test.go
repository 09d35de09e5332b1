package api_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// A MADE session through real HTTP: the facilitator starts it from the
// console and opens activities, phones join by code and vote and post,
// and the projector shows only what it may.

// liveFixture prepares a session with a poll and an idea board.
func (h *harness) liveFixture(premoderate bool) *surveys.LiveSession {
	h.t.Helper()
	s, err := h.sessions.Create(context.Background(), &surveys.LiveSession{
		Title: "MADE North: Charter check", Date: "2026-11-23", Premoderate: premoderate,
		Activities: []surveys.Activity{
			{ID: "poll", Kind: surveys.ActivityPoll, Prompt: "Is your home a good place?", Options: []string{"Yes", "No"}},
			{ID: "board", Kind: surveys.ActivityIdeas, Prompt: "What should change?"},
		},
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// form posts a staff form and returns the response.
func (h *harness) form(as *staff, path string, v url.Values) response {
	h.t.Helper()
	if v == nil {
		v = url.Values{}
	}
	v.Set("_csrf", as.csrf)
	return h.do(request{method: "POST", path: path, body: v.Encode(), ctype: "application/x-www-form-urlencoded", as: as})
}

// phone is a young person's phone: its cookie for the session.
type phone struct {
	h      *harness
	code   string
	cookie *http.Cookie
}

func (h *harness) join(code string) *phone {
	h.t.Helper()
	res := h.do(request{method: "GET", path: "/join?code=" + strings.ToLower(code)})
	if res.status != http.StatusSeeOther || res.headers.Get("Location") != "/live/"+code {
		h.t.Fatalf("join: %d %s", res.status, res.headers.Get("Location"))
	}
	res = h.do(request{method: "GET", path: "/live/" + code})
	c := res.cookie("heard_live")
	if res.status != 200 || c == nil || !c.HttpOnly || c.Path != "/live/"+code {
		h.t.Fatalf("live page: %d, cookie %+v", res.status, c)
	}
	return &phone{h: h, code: code, cookie: c}
}

func (p *phone) send(v url.Values) response {
	p.h.t.Helper()
	return p.h.do(request{method: "POST", path: "/live/" + p.code, body: v.Encode(), ctype: "application/x-www-form-urlencoded",
		headers: map[string]string{"Cookie": p.cookie.Name + "=" + p.cookie.Value}})
}

func (p *phone) page(query ...string) string {
	p.h.t.Helper()
	res := p.h.do(request{method: "GET", path: "/live/" + p.code + strings.Join(query, ""), headers: map[string]string{"Cookie": p.cookie.Name + "=" + p.cookie.Value}})
	if res.status != 200 {
		p.h.t.Fatalf("live page: %d", res.status)
	}
	return string(res.body)
}

func TestLiveSessionThroughHTTP(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	fac := h.signIn(surveys.RoleFacilitator)
	s := h.liveFixture(false)
	console := "/staff/sessions/" + s.ID

	if res := h.form(&fac, console+"/start", nil); res.status != http.StatusSeeOther {
		t.Fatalf("start: %d %s", res.status, res.body)
	}
	s, err := h.sessions.Find(context.Background(), s.ID)
	if err != nil || s.Status != surveys.LiveRunning || len(s.Code) != surveys.JoinCodeLength || s.PresentKey == "" {
		t.Fatalf("started session: %+v, %v", s, err)
	}
	page := h.do(request{method: "GET", path: console, as: &fac})
	if page.status != 200 || !strings.Contains(string(page.body), "/present/"+s.Code+"?k="+s.PresentKey) {
		t.Fatalf("console: %d, no projector link", page.status)
	}

	// Before anything is open, a phone waits, and a vote is refused.
	p1 := h.join(s.Code)
	if !strings.Contains(p1.page(), "Waiting for the next activity") {
		t.Error("phone does not say it is waiting")
	}
	vote := url.Values{"id": {"v1"}, "kind": {"vote"}, "activity": {"poll"}, "choice": {"0"}}
	if res := p1.send(vote); res.status != http.StatusConflict {
		t.Errorf("vote before the poll opened: %d", res.status)
	}

	if res := h.form(&fac, console+"/act", url.Values{"do": {"open"}, "activity": {"poll"}}); res.status != http.StatusSeeOther {
		t.Fatalf("open: %d %s", res.status, res.body)
	}
	// Six phones vote; the first sends its vote twice (a retry).
	phones := []*phone{p1}
	for range 5 {
		phones = append(phones, h.join(s.Code))
	}
	for i, p := range phones {
		v := url.Values{"id": {"v" + string(rune('a'+i))}, "kind": {"vote"}, "activity": {"poll"}, "choice": {"0"}}
		if res := p.send(v); res.status != http.StatusSeeOther {
			t.Fatalf("vote %d: %d %s", i, res.status, res.body)
		}
	}
	if res := p1.send(url.Values{"id": {"va"}, "kind": {"vote"}, "activity": {"poll"}, "choice": {"0"}}); res.status != http.StatusSeeOther {
		t.Fatalf("vote again: %d", res.status)
	}
	room, err := h.hub.Room(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	room.View(func(_ *surveys.LiveSession, st *surveys.RoomState) {
		if n := len(st.Act("poll").Votes); n != 6 {
			t.Errorf("%d votes stored, want 6", n)
		}
	})

	present := "/present/" + s.Code + "?k=" + s.PresentKey
	body := string(h.do(request{method: "GET", path: present}).body)
	if !strings.Contains(body, "Results show here when") {
		t.Error("projector shows results before they were revealed")
	}
	h.form(&fac, console+"/act", url.Values{"do": {"reveal"}, "activity": {"poll"}})
	body = string(h.do(request{method: "GET", path: present}).body)
	// 6 to 0: the 0 is hidden, and so the 6 (or it could be worked out).
	if !strings.Contains(body, "fewer than 5") || strings.Contains(body, `present-bar__value">6<`) {
		t.Errorf("projector figures not suppressed:\n%s", body)
	}

	// The idea board: a worrying post never reaches the projector, and
	// reaches the safeguarding queue at once; a sweary one is held.
	h.form(&fac, console+"/act", url.Values{"do": {"open"}, "activity": {"board"}})
	h.form(&fac, console+"/act", url.Values{"do": {"reveal"}, "activity": {"board"}})
	posts := []struct{ id, text, want string }{
		{"i1", "More trips out at weekends", "sent=ok"},
		{"i2", "my stepdad hits me when hes angry", "sent=help"},
		{"i3", "the wifi is shit", "sent=held"},
	}
	for _, p := range posts {
		res := p1.send(url.Values{"id": {p.id}, "kind": {"post"}, "activity": {"board"}, "text": {p.text}})
		if res.status != http.StatusSeeOther || !strings.Contains(res.headers.Get("Location"), p.want) {
			t.Errorf("post %q: %d %s, want %s", p.text, res.status, res.headers.Get("Location"), p.want)
		}
	}
	body = string(h.do(request{method: "GET", path: present}).body)
	if !strings.Contains(body, "More trips out") || strings.Contains(body, "stepdad") || strings.Contains(body, "wifi") {
		t.Errorf("projector shows what it must not:\n%s", body)
	}
	flags, err := h.flags.FindFlags(context.Background(), surveys.FlagFilter{})
	if err != nil || len(flags) != 1 || flags[0].Channel != surveys.ChannelSession || flags[0].Source.Session != s.ID {
		t.Errorf("flags: %+v, %v", flags, err)
	}
	if !strings.Contains(p1.page("?sent=help"), "Childline") {
		t.Error("the phone that posted a worry is not shown where to get help")
	}
	console2 := string(h.do(request{method: "GET", path: console, as: &fac}).body)
	if !strings.Contains(console2, "This may be a worry") || !strings.Contains(console2, "profanity list") {
		t.Error("console does not show the held posts with their reasons")
	}

	// A phone following the session is sent the state when it changes.
	checkStream(t, h, "/live/"+s.Code+"/stream", `"live":"board"`)
	checkStream(t, h, "/present/"+s.Code+"/stream?k="+s.PresentKey, "More trips out")
	res := h.do(request{method: "GET", path: "/live/" + s.Code + "/state?after=0"})
	if res.status != 200 || !strings.Contains(string(res.body), `"live":"board"`) {
		t.Errorf("long poll: %d %s", res.status, res.body)
	}

	// Ending locks it: the idea (not the held ones) becomes a voice.
	if res := h.form(&fac, console+"/end", nil); res.status != http.StatusSeeOther {
		t.Fatalf("end: %d %s", res.status, res.body)
	}
	if res := p1.send(url.Values{"id": {"late"}, "kind": {"post"}, "activity": {"board"}, "text": {"too late"}}); res.status != http.StatusConflict {
		t.Errorf("post after the end: %d", res.status)
	}
	voices, err := h.voices.FindVoices(context.Background(), surveys.VoiceFilter{Channel: surveys.ChannelSession})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, v := range voices {
		texts = append(texts, v.Text)
	}
	if len(voices) != 2 || !strings.Contains(strings.Join(texts, "|"), "More trips out") {
		t.Errorf("voices after the end: %q", texts)
	}
	summary := string(h.do(request{method: "GET", path: console, as: &fac}).body)
	if !strings.Contains(summary, "Results") || !strings.Contains(summary, "Activity 1: Is your home a good place?") {
		t.Error("the ended session's console has no summary of results")
	}

	// Published results reach "you said, we did"; unpublished ones do not.
	public := string(h.do(request{method: "GET", path: "/you-said-we-did"}).body)
	if strings.Contains(public, "Is your home a good place?") {
		t.Error("unpublished results are on the public page")
	}
	s, _ = h.sessions.Find(context.Background(), s.ID)
	res = h.form(&fac, console+"/publish", url.Values{"publish": {"board"}, "revision": {itoa(s.Revision)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", res.status, res.body)
	}
	public = string(h.do(request{method: "GET", path: "/you-said-we-did"}).body)
	if !strings.Contains(public, "From MADE sessions") || !strings.Contains(public, "More trips out") ||
		strings.Contains(public, "stepdad") || strings.Contains(public, "wifi") || strings.Contains(public, "Is your home") {
		t.Errorf("public page after publishing:\n%s", public)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// checkStream reads a stream's first event and checks it says want.
func checkStream(t *testing.T, h *harness, path, want string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, "GET", path, nil)
	res, err := h.srv.App().Test(req, fiberStreamConfig)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "data: ") {
			if !strings.Contains(line, want) {
				t.Errorf("%s: first state %s lacks %s", path, line, want)
			}
			return
		}
	}
	t.Errorf("%s: no state sent: %v", path, sc.Err())
}

func TestLiveRoutesRefuseWithoutTheirKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.liveFixture(false)
	for _, path := range []string{"/live/" + "ABCDEF", "/present/ABCDEF?k=x", "/live/" + s.ID} {
		if res := h.do(request{method: "GET", path: path}); res.status != http.StatusNotFound {
			t.Errorf("%s: %d", path, res.status)
		}
	}
	// A draft has no code yet; once started, the projector needs the key.
	fac := h.signIn(surveys.RoleFacilitator)
	h.form(&fac, "/staff/sessions/"+s.ID+"/start", nil)
	s, _ = h.sessions.Find(context.Background(), s.ID)
	for _, key := range []string{"", "wrong", s.PresentKey[:10]} {
		if res := h.do(request{method: "GET", path: "/present/" + s.Code + "?k=" + key}); res.status != http.StatusNotFound {
			t.Errorf("projector with key %q: %d", key, res.status)
		}
		if res := h.do(request{method: "GET", path: "/present/" + s.Code + "/state?k=" + key}); res.status != http.StatusNotFound {
			t.Errorf("projector state with key %q: %d", key, res.status)
		}
	}
	if res := h.do(request{method: "GET", path: "/present/" + s.Code + "?k=" + s.PresentKey}); res.status != 200 {
		t.Errorf("projector with its key: %d", res.status)
	}
	if res := h.do(request{method: "POST", path: "/join", body: "code=zzzzzz", ctype: "application/x-www-form-urlencoded"}); res.status != http.StatusNotFound {
		t.Errorf("unknown code: %d", res.status)
	}
	if res := h.do(request{method: "POST", path: "/join", body: "code=12", ctype: "application/x-www-form-urlencoded"}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("short code: %d", res.status)
	}
}

// fiberStreamConfig reads a stream for a while, then stops: the stream
// itself would last for follow.Lifetime.
var fiberStreamConfig = fiber.TestConfig{Timeout: 2 * time.Second, FailOnTimeout: false}
