package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/api"
	"github.com/heard-app/heard/forwarded"
	"github.com/heard-app/heard/frontend"
	staffpages "github.com/heard-app/heard/frontend/staff"
	"github.com/heard-app/heard/logging"
	"github.com/heard-app/heard/metrics"
	"github.com/heard-app/heard/secret"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/coder"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/mongo/mongotest"
	"github.com/heard-app/heard/surveys/password"
	"github.com/heard-app/heard/surveys/profanity"
	"github.com/heard-app/heard/surveys/redact"
	"github.com/heard-app/heard/surveys/rooms"
	"github.com/heard-app/heard/surveys/surveytest"
	"github.com/heard-app/heard/surveys/templates"
)

func TestMain(m *testing.M) {
	code := mongotest.Main(m)
	reportOpenAPICoverage() // with HEARD_OPENAPI_COVERAGE=1: openapi_conform_test.go
	os.Exit(code)
}

// fiberTestConfig gives requests time: the race detector is slow.
var fiberTestConfig = fiber.TestConfig{Timeout: 30 * time.Second, FailOnTimeout: true}

// testPassword is every test account's password.
const testPassword = "correct horse battery"

// fastHashes keep argon2id cheap in tests, where the race detector slows
// it down many times.
var fastHashes = password.Argon2id{Params: password.Params{Memory: 1024, Time: 1, Threads: 1}}

// harness is a real app on a real database.
type harness struct {
	t        *testing.T
	srv      *api.Server
	db       *mongo.DB
	tallies  *mongo.TallyStore
	accounts *surveys.Accounts
	catalog  *surveys.Catalog
	logs     *syncBuffer
	now      time.Time
	audit    *surveys.AuditLog
	settings *surveys.SettingsService
	themes   *surveys.Themes
	flags    *mongo.FlagStore
	voices   *mongo.VoiceStore
	contacts *mongo.ContactStore // nil with noContacts
	actions  *surveys.Actions
	sessions *surveys.LiveSessions
	live     *surveys.Live
	hub      *rooms.Hub
	councils *surveys.Councils
}

type harnessOptions struct {
	ping   func(context.Context) error
	limits api.LoginLimits
	// noContacts turns requests to talk off, as without
	// HEARD_CONTACT_KEY_FILE.
	noContacts bool
	// proxies are the trusted reverse proxies (app.Test's requests come
	// from 0.0.0.0).
	proxies []string
	// metrics, when set, count what the app does and are served at
	// /metrics to whoever sends metricsToken (metrics_test.go).
	metrics      *metrics.Metrics
	metricsToken string
}

func newHarness(t *testing.T, opts ...harnessOptions) *harness {
	t.Helper()
	var o harnessOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	db := mongotest.Open(t)
	ctx := context.Background()
	responses, err := mongo.NewResponseStore(ctx, db, mongo.ResponseOptions{Observer: o.commitObserver()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = responses.Close(context.Background()) })
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	surveyStore := mongo.NewSurveyStore(db)
	cache := &surveys.SurveyCache{SurveyStore: surveyStore, TTL: time.Second, Now: clock}
	audit := &surveys.AuditLog{Store: mongo.NewAuditStore(db), Now: clock}
	themes := &surveys.Themes{Store: mongo.NewCodebookStore(db), Compile: coder.Compile, Default: coder.DefaultCodebook(), Audit: audit, Now: clock}
	if err := themes.Load(ctx); err != nil {
		t.Fatal(err)
	}
	flags := mongo.NewFlagStore(db)
	safeguarding := &surveys.Safeguarding{Flags: flags, Audit: audit, Now: clock}
	intake := &surveys.Intake{Surveys: cache, Responses: responses, Now: clock, Coder: themes}
	catalog := &surveys.Catalog{Store: cache, Audit: audit, Now: clock}
	accounts := &surveys.Accounts{Users: mongo.NewUserStore(db), Sessions: mongo.NewSessionStore(db), Resets: mongo.NewResetStore(db),
		Passwords: fastHashes, Audit: audit, Now: clock}
	settings := &surveys.SettingsService{Store: mongo.NewSettingsStore(db), Audit: audit, TTL: time.Second, Now: clock,
		Defaults: surveys.Settings{CouncilName: "Test Council", HelpPhone: "0151 000 0000", Threshold: 5}}
	logs := &syncBuffer{}
	log := logging.New(logging.JSON, logs, slog.LevelInfo)
	var contacts *surveys.Contacts
	var contactStore *mongo.ContactStore
	if !o.noContacts {
		contactStore = mongo.NewContactStore(db)
		box, err := secret.New(bytes.Repeat([]byte{5}, secret.KeySize))
		if err != nil {
			t.Fatal(err)
		}
		contacts = &surveys.Contacts{Store: contactStore, Surveys: cache, Sealer: box, Audit: audit, Now: clock}
	}
	contactLimit := surveys.DefaultContactLimiter(clock)
	actions := &surveys.Actions{Store: mongo.NewActionStore(db), Audit: audit, Now: clock, Surveys: cache, Themes: themes}
	sessions := &surveys.LiveSessions{Store: mongo.NewLiveSessionStore(db), Settings: settings, Themes: themes, Surveys: cache, Audit: audit, Now: clock}
	hub := &rooms.Hub{Log: mongo.NewLiveLog(db), Sessions: sessions.Store, Instance: "test", Logger: log, Now: clock}
	hub.Start(context.Background())
	o.watchLive(hub)
	t.Cleanup(hub.Stop)
	live := &surveys.Live{Sessions: sessions.Store, Rooms: hub, Themes: themes, Profanity: profanity.Filter{},
		Voices: mongo.NewVoiceStore(db), Audit: audit, Now: clock}
	sessionReports := &surveys.SessionReports{Sessions: sessions.Store, Rooms: hub, Voices: mongo.NewVoiceStore(db), Themes: themes,
		Settings: settings, Audit: audit, Now: clock}
	pages, err := frontend.New(frontend.Config{Intake: intake, Surveys: cache, Log: log, Settings: settings,
		Contacts: contacts, ContactLimit: contactLimit, Actions: actions, Live: live, Rooms: hub, PublicURL: "https://heard.example",
		Help: frontend.HelpLine{CouncilName: "Test Council", CouncilPhone: "0151 000 0000"}})
	if err != nil {
		t.Fatal(err)
	}
	ping := o.ping
	if ping == nil {
		ping = db.Ping
	}
	tallies := mongo.NewTallyStore(db).Following(responses)
	codes := &surveys.Codes{Store: mongo.NewCodeStore(db), Surveys: cache, Audit: audit, Now: clock}
	logins := api.NewLoginGuard(o.limits, clock)
	voices := &surveys.Voices{Store: mongo.NewVoiceStore(db), Themes: themes, Audit: audit, Now: clock}
	reports := &surveys.Reports{Surveys: cache, Tallies: tallies, Settings: settings, Voices: voices, Actions: actions, Audit: audit, Now: clock}
	reports.Sessions, reports.Rooms = sessions.Store, hub // MADE sessions beside the board report
	councils := &surveys.Councils{Store: mongo.NewCouncilStore(db), Voices: mongo.NewVoiceStore(db), Themes: themes, Settings: settings,
		Audit: audit, Now: clock, Catalog: catalog, Templates: templates.All, Redactor: redact.ForSchools}
	reports.Councils = councils
	workspace, err := staffpages.New(staffpages.Config{Contacts: contacts, Accounts: accounts, Catalog: catalog, Surveys: cache, Tallies: tallies, Codes: codes,
		Settings: settings, Audit: audit, Safeguarding: safeguarding, Themes: themes,
		Voices: voices, Reports: reports, Logins: logins, Assets: pages, Nonce: frontend.Nonce, Templates: templates.All,
		PublicURL: "https://heard.example", Preview: pages, Log: log, Now: clock, Actions: actions,
		Sessions: sessions, Live: live, Rooms: hub, SessionReports: sessionReports, Councils: councils})
	if err != nil {
		t.Fatal(err)
	}
	proxies, err := forwarded.New(o.proxies, false)
	if err != nil {
		t.Fatal(err)
	}
	srv := api.New(api.Config{Proxies: proxies, Actions: actions, Intake: intake, Catalog: catalog, Surveys: cache, Tallies: tallies, Codes: codes,
		Accounts: accounts, Pages: pages, Ping: ping, Settings: settings, Themes: themes, Voices: voices, Log: log, Now: clock, Logins: logins, Staff: workspace,
		Responses: responses, Audit: audit,
		Contacts: contacts, ContactLimit: contactLimit, Reports: reports,
		Requests: o.requestObserver(), Metrics: o.metricsHandler(), MetricsToken: o.metricsToken})
	return &harness{councils: councils, actions: actions, sessions: sessions, live: live, hub: hub, t: t, srv: srv, db: db, tallies: tallies, accounts: accounts, catalog: catalog, logs: logs, now: now,
		audit: audit, settings: settings, themes: themes, flags: flags, voices: mongo.NewVoiceStore(db), contacts: contactStore}
}

// addSurvey stores the fixture survey with the given status.
func (h *harness) addSurvey(status surveys.Status) *surveys.Survey {
	h.t.Helper()
	ctx := context.Background()
	s, err := h.catalog.Create(ctx, surveytest.Definition(h.t))
	if err != nil {
		h.t.Fatal(err)
	}
	switch status {
	case surveys.StatusOpen:
		s, err = h.catalog.SetStatus(ctx, s.Slug, surveys.StatusOpen)
	case surveys.StatusClosed:
		if _, err = h.catalog.SetStatus(ctx, s.Slug, surveys.StatusOpen); err == nil {
			s, err = h.catalog.SetStatus(ctx, s.Slug, surveys.StatusClosed)
		}
	}
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// staff is a signed-in member of staff.
type staff struct {
	cookie *http.Cookie
	csrf   string
}

// signIn creates an account with the role and signs it in.
func (h *harness) signIn(role surveys.Role) staff {
	h.t.Helper()
	email := string(role) + "@council.example"
	if _, err := h.accounts.CreateUser(context.Background(), email, role, testPassword); err != nil {
		h.t.Fatal(err)
	}
	res := h.do(request{method: "POST", path: "/api/v1/auth/login", json: map[string]string{"email": email, "password": testPassword}})
	if res.status != 200 {
		h.t.Fatalf("sign in as %s: %d %s", role, res.status, res.body)
	}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	res.decode(h.t, &me)
	return staff{cookie: res.cookie(api.SessionCookie), csrf: me.CSRF}
}

type request struct {
	method  string
	path    string
	json    any    // encoded as the body with Content-Type application/json
	body    string // a raw body, when json is nil
	ctype   string
	as      *staff // sends the session cookie and CSRF token
	noCSRF  bool   // leave the CSRF token out
	headers map[string]string
}

type response struct {
	status  int
	body    []byte
	headers http.Header
	cookies []*http.Cookie
}

func (h *harness) do(r request) response {
	h.t.Helper()
	var body io.Reader
	var sent []byte // for the check against the OpenAPI document
	ctype := r.ctype
	switch {
	case r.json != nil:
		b, err := json.Marshal(r.json)
		if err != nil {
			h.t.Fatal(err)
		}
		body, sent = bytes.NewReader(b), b
		if ctype == "" {
			ctype = "application/json"
		}
	case r.body != "":
		body, sent = strings.NewReader(r.body), []byte(r.body)
	}
	req := httptest.NewRequest(r.method, r.path, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if r.as != nil {
		req.AddCookie(r.as.cookie)
		if !r.noCSRF {
			req.Header.Set(api.CSRFHeader, r.as.csrf)
		}
	}
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	res, err := h.srv.App().Test(req, fiberTestConfig)
	if err != nil {
		h.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	out := response{status: res.StatusCode, body: b, headers: res.Header, cookies: res.Cookies()}
	h.conform(r, ctype, sent, out) // openapi_conform_test.go
	return out
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (r response) cookie(name string) *http.Cookie {
	for _, c := range r.cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// errorOf decodes an API error body.
func (r response) errorOf(t *testing.T) (string, map[string]string) {
	t.Helper()
	var e struct {
		Error  string            `json:"error"`
		Fields map[string]string `json:"fields"`
	}
	r.decode(t, &e)
	return e.Error, e.Fields
}

// countResponses returns how many responses the tallies count.
func (h *harness) countResponses(s *surveys.Survey) int {
	h.t.Helper()
	tallies, err := h.tallies.FindTallies(context.Background(), s)
	if err != nil {
		h.t.Fatal(err)
	}
	n := 0
	for _, t := range tallies {
		n += t.Slice(surveys.AllSlice).Responses
	}
	return n
}

// uuid returns a distinct UUID for n.
func uuid(n int) string { return fmt.Sprintf("9e0c1c52-7d6b-4a2e-9f1a-%012d", n) }

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func surveytestDefinition(t *testing.T) *surveys.Definition { return surveytest.Definition(t) }

func writeBytes(path string, b []byte) error { return os.WriteFile(path, b, 0o600) }
