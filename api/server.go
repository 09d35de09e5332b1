// Package api is Heard's HTTP face: the Fiber app, its route table, the
// JSON API under /api/v1, authentication and authorization of staff, and
// the one error handler that turns every failure into JSON for the API or
// a page for the browser.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/compress"
	"github.com/gofiber/fiber/v3/middleware/recover"

	"github.com/heard-app/heard/forwarded"
	"github.com/heard-app/heard/frontend/staff"
	"github.com/heard-app/heard/surveys"
)

// Limits on requests.
const (
	// MaxBodyBytes is the largest request body the app reads at all: a
	// survey definition and a little room for whitespace.
	MaxBodyBytes = surveys.MaxDefinitionBytes + 64<<10
	// MaxImportBytes is the largest upload of a school council's meetings:
	// the file and the form around it.
	MaxImportBytes = surveys.MaxImportBytes + 32<<10
	// MaxResponseBytes is the largest body of a submitted response, from
	// the API or the HTML form.
	MaxResponseBytes = 64 << 10
	// MaxContactBytes is the largest body of a request to talk: its
	// longest words, in four-byte characters, form-encoded (three bytes
	// for each), with room to spare.
	MaxContactBytes = 16 << 10
	// MaxLiveBytes bounds what a phone sends to a live session: one post
	// of surveys.MaxAnswerLength characters, or dots, with room to spare.
	MaxLiveBytes = 8 << 10
	// RequestTimeout bounds the work of one request, so that a database
	// that stops answering gives a 503 rather than a request that hangs.
	RequestTimeout = 30 * time.Second
)

// Pages are the HTML pages, from the frontend package.
type Pages interface {
	Headers(c fiber.Ctx) error // security headers and the CSP nonce, before every page
	Home(c fiber.Ctx) error
	Help(c fiber.Ctx) error
	Privacy(c fiber.Ctx) error // the privacy notice for young people
	Survey(c fiber.Ctx) error
	Form(c fiber.Ctx) error
	Submit(c fiber.Ctx) error
	Thanks(c fiber.Ctx) error       // the thank-you page the phone's script goes to after sending
	ContactPage(c fiber.Ctx) error  // the form to ask for someone to talk, and the thanks for it
	Contact(c fiber.Ctx) error      // the form's request to talk
	YouSaidWeDid(c fiber.Ctx) error // the published "you said, we did" actions
	// A MADE session: phones join by code and follow it; the projector
	// follows it with the key in its link.
	JoinPage(c fiber.Ctx) error
	Join(c fiber.Ctx) error
	LivePage(c fiber.Ctx) error
	SendLive(c fiber.Ctx) error
	LiveStream(c fiber.Ctx) error
	LiveState(c fiber.Ctx) error
	PresentPage(c fiber.Ctx) error
	PresentStream(c fiber.Ctx) error
	PresentState(c fiber.Ctx) error
	ServiceWorker(c fiber.Ctx) error // /sw.js, at the root so that it can keep surveys working offline
	Static(c fiber.Ctx) error
	ErrorPage(c fiber.Ctx, status int, message string) error
}

// Config is what the app needs.
type Config struct {
	Intake   *surveys.Intake
	Catalog  *surveys.Catalog
	Surveys  surveys.SurveyStore // usually a SurveyCache over the store
	Tallies  surveys.TallyStore
	Accounts *surveys.Accounts
	Codes    *surveys.Codes
	Pages    Pages
	Ping     func(ctx context.Context) error // readiness: does the database answer?
	// Settings give the suppression threshold, among others.
	Settings *surveys.SettingsService
	// Themes codes free text with the codebook in force.
	Themes *surveys.Themes
	// Voices are the coded comments, for the theme summary.
	Voices *surveys.Voices
	// Responses reads stored responses back, for their export; Audit
	// records each export. Without both, responses cannot be exported.
	Responses surveys.ResponseReader
	Audit     *surveys.AuditLog
	// Reports makes the board's PDF summaries.
	Reports *surveys.Reports
	// Actions is the "you said, we did" plan.
	Actions *surveys.Actions
	Log     *slog.Logger
	Now     func() time.Time
	// Login limits; zero values take the defaults.
	LoginLimits LoginLimits
	// CodeAttempts limits wrong access codes per client; the HTML pages
	// share it. Nil takes DefaultCodeAttempts.
	CodeAttempts *surveys.FailureLimiter
	PublicURL    string // where young people reach Heard, for the links on code cards
	CouncilName  string
	// Staff is the staff workspace under /staff; nil leaves it out (tests
	// of the API alone).
	Staff *staff.Pages
	// Logins limits failed sign-ins; the staff pages share it. Nil makes
	// one from LoginLimits.
	Logins *LoginGuard
	// Contacts takes young people's requests to talk; nil leaves their
	// routes out (requests to talk are off). ContactLimit limits them per
	// client; the HTML pages share it. Nil takes DefaultContactLimiter.
	Contacts     *surveys.Contacts
	ContactLimit *surveys.ContactLimiter
	// Requests hears of every request, for the metrics; nil: no one.
	Requests RequestObserver
	// Metrics serves Prometheus metrics at /metrics to a scraper sending
	// MetricsToken as a bearer token. Without both, /metrics is not
	// served here (it may have a listen address of its own).
	Metrics      http.Handler
	MetricsToken string
	// Proxies are the trusted reverse proxies, whose X-Forwarded-For and
	// X-Forwarded-Proto are believed; nil trusts none.
	Proxies *forwarded.Proxies
}

// DefaultCodeAttempts allows a young person a few typing mistakes and a
// guesser nothing useful: 10 wrong codes per client in 15 minutes, against
// about 2^44 possible codes.
func DefaultCodeAttempts(now func() time.Time) *surveys.FailureLimiter {
	return &surveys.FailureLimiter{Max: 10, Window: 15 * time.Minute, Now: now}
}

// Server holds the app and its dependencies.
type Server struct {
	cfg      Config
	app      *fiber.App
	validate *validator.Validate
	logins   *LoginGuard
}

// New builds the app.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.CodeAttempts == nil {
		cfg.CodeAttempts = DefaultCodeAttempts(cfg.Now)
	}
	if cfg.Logins == nil {
		cfg.Logins = NewLoginGuard(cfg.LoginLimits, cfg.Now)
	}
	if cfg.ContactLimit == nil {
		cfg.ContactLimit = surveys.DefaultContactLimiter(cfg.Now)
	}
	s := &Server{cfg: cfg, validate: newValidator(), logins: cfg.Logins}
	s.app = fiber.New(fiber.Config{
		AppName:   "heard",
		BodyLimit: MaxBodyBytes,
		// Values taken from a request stay valid after the handler returns:
		// answers and slugs outlive it in the commit queue and caches.
		Immutable:    true,
		ErrorHandler: s.handleError,
		ReadTimeout:  30 * time.Second,
		WriteTimeout: 60 * time.Second,
		IdleTimeout:  120 * time.Second,
	})
	if cfg.Proxies == nil {
		s.cfg.Proxies, _ = forwarded.New(nil, false) // trusts nobody: cannot fail
	}
	s.app.Use(recover.New())
	s.app.Use(s.cfg.Proxies.Handler)
	s.app.Use(requestID)
	s.app.Use(s.logRequests)
	s.app.Use(deadline(RequestTimeout))
	s.app.Use(compress.New(compress.Config{Next: streamsBody}))
	s.routes()
	return s
}

// App returns the Fiber app, to listen or to test.
func (s *Server) App() *fiber.App { return s.app }

// routes is the whole route table. Who may call each route is declared once
// per group: public routes, any signed-in staff, and groups of roles.
func (s *Server) routes() {
	app, pages := s.app, s.cfg.Pages

	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	if s.cfg.Metrics != nil && s.cfg.MetricsToken != "" {
		app.Get("/metrics", s.metricsRoute())
	}

	v1 := app.Group("/api/v1", apiHeaders)
	public := s.group(v1)
	public.get("/openapi.json", s.openAPI) // the description of this API (openapi.go)
	public.get("/surveys", s.listOpenSurveys)
	public.get("/surveys/:slug", s.getSurvey) // staff also see drafts
	public.post("/surveys/:slug/responses", s.submitResponse, limitBody(MaxResponseBytes))
	public.post("/surveys/:slug/codes/check", s.checkCode, limitBody(MaxResponseBytes))
	if s.cfg.Contacts != nil {
		public.post("/surveys/:slug/contact", s.requestContact, limitBody(MaxContactBytes))
	}
	public.post("/auth/login", s.login)

	signedIn := s.group(v1, surveys.Roles...)
	signedIn.post("/auth/logout", s.logout)
	signedIn.get("/me", s.me)

	managers := s.group(v1, surveys.RoleAdmin, surveys.RoleAnalyst)
	managers.post("/surveys", s.createSurvey)
	managers.post("/surveys/:slug/status", s.setStatus)
	managers.post("/surveys/:slug/codes", s.createCodes)
	managers.get("/surveys/:slug/codes", s.listCodes)
	managers.get("/surveys/:slug/codes/:batch.pdf", s.codeCards)
	managers.post("/themes/code", s.codeText, limitBody(MaxCodeRequestBytes))

	readers := s.group(v1, surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard)
	readers.get("/surveys/:slug/results", s.results)
	// Downloads (exports.go): results, safe to publish, for every reader;
	// individual responses and their dictionary for managers, only where
	// each export can be recorded.
	readers.get("/surveys/:slug/results.csv", s.resultsCSV)
	readers.get("/surveys/:slug/results.json", s.resultsJSON)
	if s.cfg.Responses != nil && s.cfg.Audit != nil {
		managers.get("/surveys/:slug/responses.csv", s.responsesCSV)
		managers.get("/surveys/:slug/dictionary.csv", s.dictionaryCSV)
	}
	readers.get("/themes/summary", s.themeSummary)
	readers.get("/actions", s.listActions)
	readers.get("/actions/:id", s.getAction)
	managers.post("/actions", s.createAction, limitBody(MaxActionBytes))
	managers.put("/actions/:id", s.updateAction, limitBody(MaxActionBytes))
	readers.get("/reports/board.pdf", s.boardReport)

	// The staff workspace. Every page sends the security headers with a
	// CSP nonce; Require checks the session, the CSRF token of a form and
	// the role, in that order.
	if st := s.cfg.Staff; st != nil {
		ws := app.Group("/staff", pages.Headers)
		ws.Get("/sign-in", st.SignInPage)
		ws.Post("/sign-in", st.SignIn)
		ws.Get("/reset/:token", st.ResetPage)
		ws.Post("/reset/:token", st.Reset)
		ws.Get("/logo", st.Logo) // shown on the sign-in page too

		everyone := staffGroup{ws, st.Require(surveys.Roles...)}
		everyone.get("/", st.Home)
		everyone.post("/sign-out", st.SignOut)

		// Surveys: list, create, open and close, schedule, preview, codes.
		surveyReaders := staffGroup{ws, st.Require(surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard)}
		surveyReaders.get("/surveys", st.SurveyList)
		surveyManagers := staffGroup{ws, st.Require(surveys.RoleAdmin, surveys.RoleAnalyst)}
		surveyManagers.post("/surveys", st.CreateSurvey)
		surveyManagers.get("/surveys/:slug", st.SurveyPage)
		surveyManagers.post("/surveys/:slug/status", st.SurveyStatus)
		surveyManagers.post("/surveys/:slug/schedule", st.SurveySchedule)
		surveyManagers.get("/surveys/:slug/preview/:version", st.SurveyPreview)
		surveyManagers.get("/surveys/:slug/codes", st.CodesPage)
		surveyManagers.post("/surveys/:slug/codes", st.CreateCodes)
		surveyManagers.get("/surveys/:slug/codes/:batch.pdf", st.CodeCards)

		// Survey editor.
		surveyEditors := staffGroup{ws, st.Require(surveys.RoleAdmin, surveys.RoleAnalyst)}
		surveyEditors.get("/surveys/:slug/edit", st.EditPage)
		surveyEditors.post("/surveys/:slug/edit", st.Edit)

		// Results.
		resultReaders := staffGroup{ws, st.Require(surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard)}
		// A school lead reads their pupil survey's results (Results checks
		// that it is theirs).
		staffGroup{ws, st.Require(surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard, surveys.RoleSchoolLead)}.get("/surveys/:slug/results", st.Results)
		resultReaders.get("/surveys/:slug/board.pdf", st.BoardReport)
		resultReaders.get("/summary", st.SummaryPage)

		// You said, we did: the board reads, managers write. "new" comes
		// before :id, which would take it.
		actionReaders := staffGroup{ws, st.Require(surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard)}
		actionWriters := staffGroup{ws, st.Require(surveys.RoleAdmin, surveys.RoleAnalyst)}
		actionReaders.get("/actions", st.ActionList)
		actionWriters.get("/actions/new", st.NewActionPage)
		actionWriters.post("/actions", st.CreateAction)
		actionReaders.get("/actions/:id", st.ActionPage)
		actionWriters.post("/actions/:id", st.UpdateAction)

		// MADE sessions: prepare. "new" comes before :id, which would take
		// it; the session's own page is the running side's.
		sessionPreparers := staffGroup{ws, st.Require(surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleFacilitator)}
		sessionPreparers.get("/sessions", st.SessionList)
		sessionPreparers.post("/sessions", st.CreateSession)
		sessionPreparers.get("/sessions/new", st.NewSessionPage)
		sessionPreparers.get("/sessions/:id/edit", st.SessionEditPage)
		sessionPreparers.post("/sessions/:id/edit", st.SaveSession)
		// MADE sessions: run. The same people prepare and run them.
		sessionPreparers.get("/sessions/:id", st.SessionConsole)
		sessionPreparers.get("/sessions/:id/live", st.SessionLive)
		sessionPreparers.post("/sessions/:id/start", st.StartSession)
		sessionPreparers.post("/sessions/:id/act", st.SessionAct)
		sessionPreparers.post("/sessions/:id/end", st.EndSession)
		sessionPreparers.post("/sessions/:id/paper", st.SessionPaper)
		sessionPreparers.post("/sessions/:id/attendance", st.SessionAttendance)
		sessionPreparers.post("/sessions/:id/publish", st.SessionPublish)
		sessionPreparers.get("/sessions/:id/report.pdf", st.SessionReport)

		// School councils: a school lead keeps their own school's records
		// (the handlers check which school); admins and analysts any
		// school's. The template comes before :school, which would take it.
		schoolKeepers := staffGroup{ws, st.Require(surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleSchoolLead)}
		schoolKeepers.get("/schools", st.SchoolList)
		schoolKeepers.get("/schools/import-template.csv", st.ImportTemplate)
		schoolKeepers.get("/schools/:school", st.SchoolPage)
		schoolKeepers.get("/schools/:school/meetings/new", st.NewMeetingPage)
		schoolKeepers.post("/schools/:school/meetings", st.CreateMeeting)
		schoolKeepers.get("/schools/:school/meetings/:id", st.MeetingPage)
		schoolKeepers.post("/schools/:school/meetings/:id", st.SaveMeeting)
		schoolKeepers.post("/schools/:school/meetings/:id/delete", st.DeleteMeeting)
		schoolKeepers.get("/schools/:school/import", st.ImportPage)
		ws.Post("/schools/:school/import", limitBody(MaxImportBytes), schoolKeepers.guard, st.Import)
		schoolKeepers.post("/schools/:school/survey", st.StartSchoolSurvey)
		schoolKeepers.post("/schools/:school/survey/status", st.SchoolSurveyStatus)
		// Areas: school councils added up, for readers of results.
		areaReaders := staffGroup{ws, st.Require(surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard)}
		areaReaders.get("/areas", st.AreasPage)
		areaReaders.get("/areas/report.pdf", st.AreaReport)

		// Comments: review of the machine's themes.
		reviewers := staffGroup{ws, st.Require(surveys.RoleAdmin, surveys.RoleAnalyst)}
		reviewers.get("/voices", st.VoicesPage)
		reviewers.post("/voices/review", st.ReviewVoices)
		reviewers.get("/voices/:id/quote", st.QuotePage)
		reviewers.post("/voices/:id/quote", st.MarkQuote)
		reviewers.post("/voices/:id/quote/approve", st.ApproveQuote)
		reviewers.post("/voices/:id/quote/remove", st.RemoveQuote)
		reviewers.get("/themes", st.ThemesPage)
		reviewers.post("/themes", st.SaveThemes)
		reviewers.get("/themes/emerging", st.EmergingPage)
		reviewers.post("/themes/emerging", st.FoldGroup)

		// Safeguarding: the queue of flags, for safeguarding leads only.
		safeguarding := staffGroup{ws, st.Require(surveys.RoleSafeguardingLead)}
		safeguarding.get("/safeguarding", st.SafeguardingQueue)
		if st.ContactsOn() { // before /safeguarding/:id, which would take "contacts"
			safeguarding.get("/safeguarding/contacts", st.ContactList)
			safeguarding.get("/safeguarding/contacts/:id", st.ContactPage)
			safeguarding.post("/safeguarding/contacts/:id", st.DecideContact)
		}
		safeguarding.get("/safeguarding/:id", st.FlagPage)
		safeguarding.post("/safeguarding/:id", st.DecideFlag)

		// People, settings and the audit log.
		adminPages := staffGroup{ws, st.Require(surveys.RoleAdmin)}
		adminPages.get("/people", st.People)
		adminPages.post("/people", st.AddPerson)
		adminPages.post("/people/role", st.ChangeRole)
		adminPages.post("/people/school", st.LinkSchool)
		adminPages.post("/people/disable", st.DisablePerson)
		adminPages.post("/people/enable", st.EnablePerson)
		adminPages.post("/people/reset", st.MakeResetLink)
		adminPages.get("/settings", st.SettingsPage)
		adminPages.post("/settings", st.SaveSettings)
		adminPages.get("/audit", st.AuditPage)
	}

	app.Get("/static/:name", pages.Static)
	app.Get("/sw.js", pages.ServiceWorker)
	app.Get("/", pages.Headers, pages.Home)
	app.Get("/help", pages.Headers, pages.Help)
	app.Get("/privacy", pages.Headers, pages.Privacy)
	app.Get("/you-said-we-did", pages.Headers, pages.YouSaidWeDid)
	// MADE sessions. The streams send their own headers: an event stream
	// is not a page.
	app.Get("/join", pages.Headers, pages.JoinPage)
	app.Post("/join", pages.Headers, limitBody(MaxLiveBytes), pages.Join)
	app.Get("/live/:code", pages.Headers, pages.LivePage)
	app.Post("/live/:code", pages.Headers, limitBody(MaxLiveBytes), pages.SendLive)
	app.Get("/live/:code/stream", pages.LiveStream)
	app.Get("/live/:code/state", pages.LiveState)
	app.Get("/present/:code", pages.Headers, pages.PresentPage)
	app.Get("/present/:code/stream", pages.PresentStream)
	app.Get("/present/:code/state", pages.PresentState)
	app.Get("/s/:slug", pages.Headers, pages.Survey)
	if s.cfg.Contacts != nil { // before /s/:slug/:version; no version may be called "contact"
		app.Get("/s/:slug/contact", pages.Headers, pages.ContactPage)
		app.Post("/s/:slug/contact", pages.Headers, limitBody(MaxContactBytes), pages.Contact)
	}
	app.Get("/s/:slug/:version", pages.Headers, pages.Form)
	app.Get("/s/:slug/:version/thanks", pages.Headers, pages.Thanks)
	app.Post("/s/:slug/:version", pages.Headers, limitBody(MaxResponseBytes), pages.Submit)
}

// routeGroup registers routes that share who may call them. With roles,
// every route first requires a signed-in member of staff with one of them;
// without, the routes are public.
type routeGroup struct {
	router fiber.Router
	guard  []any
}

func (s *Server) group(r fiber.Router, roles ...surveys.Role) routeGroup {
	g := routeGroup{router: r}
	if len(roles) > 0 {
		g.guard = []any{s.authorize(roles...)}
	}
	return g
}

func (g routeGroup) get(path string, h fiber.Handler, mw ...fiber.Handler) {
	first, rest := g.chain(h, mw)
	g.router.Get(path, first, rest...)
}

func (g routeGroup) post(path string, h fiber.Handler, mw ...fiber.Handler) {
	first, rest := g.chain(h, mw)
	g.router.Post(path, first, rest...)
}

func (g routeGroup) put(path string, h fiber.Handler, mw ...fiber.Handler) {
	first, rest := g.chain(h, mw)
	g.router.Put(path, first, rest...)
}

// chain returns the guard, then the route's own middleware, then the
// handler, in the form Fiber's Add takes (a first handler and the rest).
func (g routeGroup) chain(h fiber.Handler, mw []fiber.Handler) (any, []any) {
	all := append([]any{}, g.guard...)
	for _, m := range mw {
		all = append(all, m)
	}
	all = append(all, h)
	return all[0], all[1:]
}

// staffGroup registers workspace pages that share who may open them.
type staffGroup struct {
	router fiber.Router
	guard  fiber.Handler
}

func (g staffGroup) get(path string, h fiber.Handler) { g.router.Get(path, g.guard, h) }

func (g staffGroup) post(path string, h fiber.Handler) { g.router.Post(path, g.guard, h) }
