package frontend_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v3"
	"golang.org/x/net/html"

	"github.com/heard-app/heard/frontend"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/coder"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/mongo/mongotest"
	"github.com/heard-app/heard/surveys/surveytest"
)

func TestMain(m *testing.M) { os.Exit(mongotest.Main(m)) }

// testCoder is the coder Heard ships, with its default codebook.
var testCoder = func() surveys.Coder {
	c, err := coder.Compile(coder.DefaultCodebook())
	if err != nil {
		panic(err)
	}
	return c
}()

// testHelp is the council's help line the tests configure.
var testHelp = frontend.HelpLine{
	CouncilName:  "Knowsley Council",
	CouncilPhone: "0151 443 2600",
	CouncilHours: "Monday to Friday, 9am to 5pm",
}

// Slugs of the surveys every env holds besides the open fixture.
const (
	draftSlug  = "draft-survey"
	closedSlug = "closed-survey"
)

// env is a fiber app with the pages on a fresh database holding the
// fixture survey (open), a draft and a closed survey.
type env struct {
	app       *fiber.App
	pages     *frontend.Pages
	responses *mongo.ResponseStore
	surveys   *mongo.SurveyStore
	tallies   *mongo.TallyStore
	catalog   *surveys.Catalog
	codes     *surveys.Codes
	attempts  *surveys.FailureLimiter
	intake    *surveys.Intake
	db        *mongo.DB
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newEnv(t *testing.T, help frontend.HelpLine) *env {
	t.Helper()
	return newEnvWith(t, help, nil)
}

// newEnvWith is newEnv with the pages' configuration changed by configure
// (which may be nil) before they are made.
func newEnvWith(t *testing.T, help frontend.HelpLine, configure func(e *env, cfg *frontend.Config)) *env {
	t.Helper()
	ctx := testCtx(t)
	db := mongotest.Open(t)
	rs, err := mongo.NewResponseStore(ctx, db, mongo.ResponseOptions{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := rs.Close(context.Background()); err != nil {
			t.Errorf("close response store: %v", err)
		}
	})
	e := &env{db: db, surveys: mongo.NewSurveyStore(db), tallies: mongo.NewTallyStore(db).Following(rs), responses: rs}
	e.catalog = &surveys.Catalog{Store: e.surveys, Now: func() time.Time { return time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC) }}
	e.intake = &surveys.Intake{Surveys: e.surveys, Responses: rs, Now: func() time.Time { return time.Date(2026, 11, 23, 15, 4, 5, 0, time.UTC) }}
	e.codes = &surveys.Codes{Store: mongo.NewCodeStore(db), Surveys: e.surveys, Now: time.Now}
	e.attempts = &surveys.FailureLimiter{Max: 3, Window: 15 * time.Minute, Now: time.Now}
	cfg := frontend.Config{
		Intake: e.intake, Surveys: e.surveys, Codes: e.codes, CodeAttempts: e.attempts,
		Help: help, Log: slog.New(slog.DiscardHandler),
	}
	if configure != nil {
		configure(e, &cfg)
	}
	e.pages, err = frontend.New(cfg)
	if err != nil {
		t.Fatal(err)
	}

	e.create(t, surveytest.Definition(t), surveys.StatusOpen)
	draft := surveytest.Definition(t)
	draft.Slug, draft.Title = draftSlug, surveys.Text{"en": "A draft survey"}
	e.create(t, draft, surveys.StatusDraft)
	closed := surveytest.Definition(t)
	closed.Slug, closed.Title = closedSlug, surveys.Text{"en": "Last year's survey"}
	e.create(t, closed, surveys.StatusClosed)

	p := e.pages
	e.app = fiber.New(fiber.Config{
		Immutable: true,
		ErrorHandler: func(c fiber.Ctx, err error) error {
			status := fiber.StatusInternalServerError
			var fe *fiber.Error
			if errors.As(err, &fe) {
				status = fe.Code
			}
			return p.ErrorPage(c, status, "")
		},
	})
	// The pages' routes as api.routes has them.
	e.app.Get("/static/:name", p.Static)
	e.app.Get("/sw.js", p.ServiceWorker)
	e.app.Get("/", p.Headers, p.Home)
	e.app.Get("/help", p.Headers, p.Help)
	e.app.Get("/privacy", p.Headers, p.Privacy)
	e.app.Get("/s/:slug", p.Headers, p.Survey)
	e.app.Get("/s/:slug/contact", p.Headers, p.ContactPage)
	e.app.Post("/s/:slug/contact", p.Headers, p.Contact)
	e.app.Get("/s/:slug/:version", p.Headers, p.Form)
	e.app.Get("/s/:slug/:version/thanks", p.Headers, p.Thanks)
	e.app.Post("/s/:slug/:version", p.Headers, p.Submit)
	return e
}

// create stores a definition and moves it to the status.
func (e *env) create(t *testing.T, d *surveys.Definition, status surveys.Status) *surveys.Survey {
	t.Helper()
	ctx := testCtx(t)
	s, err := e.catalog.Create(ctx, d)
	if err != nil {
		t.Fatalf("create %s: %v", d.Slug, err)
	}
	if status == surveys.StatusDraft {
		return s
	}
	if s, err = e.catalog.SetStatus(ctx, d.Slug, surveys.StatusOpen); err != nil {
		t.Fatalf("open %s: %v", d.Slug, err)
	}
	if status == surveys.StatusClosed {
		if s, err = e.catalog.SetStatus(ctx, d.Slug, surveys.StatusClosed); err != nil {
			t.Fatalf("close %s: %v", d.Slug, err)
		}
	}
	return s
}

// result is a response read in full.
type result struct {
	status int
	header http.Header
	body   string
}

func (e *env) do(t *testing.T, req *http.Request) result {
	t.Helper()
	resp, err := e.app.Test(req, fiber.TestConfig{Timeout: 60 * time.Second, FailOnTimeout: true})
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return result{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (e *env) get(t *testing.T, path string) result {
	t.Helper()
	return e.do(t, httptest.NewRequest(http.MethodGet, path, nil))
}

// getIn gets a page for a browser that prefers the languages of an
// Accept-Language header.
func (e *env) getIn(t *testing.T, path, acceptLanguage string) result {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Language", acceptLanguage)
	return e.do(t, req)
}

func (e *env) post(t *testing.T, path string, form url.Values) result {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(t, req)
}

// tallied returns how many responses to the fixture's version the stored
// tallies count, and the tally itself (nil when there is none).
func (e *env) tallied(t *testing.T, slug, version string) (int, *surveys.Tally) {
	t.Helper()
	ctx := testCtx(t)
	s, err := e.surveys.FindSurvey(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	tallies, err := e.tallies.FindTallies(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, tl := range tallies {
		if tl.Version == version {
			return tl.Slice(surveys.AllSlice).Responses, tl
		}
	}
	return 0, nil
}

// parse parses a page and runs the checks every page must pass.
func parse(t *testing.T, r result) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(r.body))
	if err != nil {
		t.Fatalf("parse page: %v", err)
	}
	checkPage(t, doc)
	return doc
}

// checkPage checks what every page needs to be usable by keyboard and
// screen reader: a language, a title, a skip link to the main content, one
// h1, the help link, ids that are unique and references that resolve, and
// a label for every control.
func checkPage(t *testing.T, doc *html.Node) {
	t.Helper()
	checkPageIn(t, doc, "en")
}

// checkPageIn is checkPage for a page in a language.
func checkPageIn(t *testing.T, doc *html.Node, lang string) {
	t.Helper()
	h := first(doc, byTag("html"))
	if h == nil || attr(h, "lang") != lang {
		t.Errorf(`page has no <html lang=%q>`, lang)
	}
	wantDir := "ltr"
	if lang == "ar" {
		wantDir = "rtl"
	}
	if h != nil && attr(h, "dir") != wantDir {
		t.Errorf(`page has <html dir=%q>, want %q`, attr(h, "dir"), wantDir)
	}
	if title := first(doc, byTag("title")); title == nil || strings.TrimSpace(text(title)) == "" {
		t.Error("page has no title")
	}
	if first(doc, func(n *html.Node) bool { return n.Data == "meta" && attr(n, "name") == "viewport" }) == nil {
		t.Error("page has no viewport meta")
	}
	if skip := first(doc, byTag("a")); skip == nil || attr(skip, "href") != "#main" {
		t.Error("the first link is not a skip link to #main")
	}
	if main := byID(doc, "main"); main == nil || main.Data != "main" {
		t.Error(`page has no <main id="main">`)
	}
	if n := len(all(doc, byTag("h1"))); n != 1 {
		t.Errorf("page has %d h1 headings, want 1", n)
	}
	header := first(doc, byTag("header"))
	if header == nil || first(header, func(n *html.Node) bool {
		return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "/help") && strings.Contains(attr(n, "class"), "help-link")
	}) == nil {
		t.Error(`the header has no "Get help now" link to /help`)
	}

	ids := map[string]bool{}
	for _, n := range all(doc, func(n *html.Node) bool { return attr(n, "id") != "" }) {
		id := attr(n, "id")
		if ids[id] {
			t.Errorf("id %q is used twice", id)
		}
		ids[id] = true
	}
	for _, n := range all(doc, func(n *html.Node) bool { return n.Type == html.ElementNode }) {
		for _, name := range []string{"aria-describedby", "aria-labelledby", "for"} {
			for _, ref := range strings.Fields(attr(n, name)) {
				if !ids[ref] {
					t.Errorf("<%s %s=%q> points at no element", n.Data, name, ref)
				}
			}
		}
	}
	labelled := map[string]bool{}
	for _, l := range all(doc, byTag("label")) {
		labelled[attr(l, "for")] = true
	}
	for _, n := range all(doc, func(n *html.Node) bool {
		// A submit input is labelled by its value.
		return (n.Data == "input" && attr(n, "type") != "hidden" && attr(n, "type") != "submit") || n.Data == "textarea" || n.Data == "select"
	}) {
		if !labelled[attr(n, "id")] && attr(n, "aria-labelledby") == "" {
			t.Errorf("<%s name=%q> has no label", n.Data, attr(n, "name"))
		}
	}
}

// Helpers to look into parsed HTML.

func byTag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == tag }
}

func all(root *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for n := range root.Descendants() {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
	}
	return out
}

func first(root *html.Node, match func(*html.Node) bool) *html.Node {
	for n := range root.Descendants() {
		if n.Type == html.ElementNode && match(n) {
			return n
		}
	}
	return nil
}

func byID(root *html.Node, id string) *html.Node {
	return first(root, func(n *html.Node) bool { return attr(n, "id") == id })
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, name string) bool {
	for _, a := range n.Attr {
		if a.Key == name {
			return true
		}
	}
	return false
}

// text returns the text inside n, with runs of white space made single.
func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
