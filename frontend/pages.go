// Package frontend renders the pages young people and staff see: HTML from
// embedded templates, made on the server, that works without JavaScript,
// with small hand-written CSS and JavaScript served from embedded files
// under content-hashed names.
package frontend

import (
	"bytes"
	"crypto/rand"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// HelpLine is where a young person can get help, shown on every page that
// asks them anything. The council's number comes from configuration.
type HelpLine struct {
	CouncilName  string // e.g. "Knowsley Council"
	CouncilPhone string // e.g. "0151 443 2600"; empty hides the line
	CouncilHours string // e.g. "Monday to Friday, 9am to 5pm"
}

// Config is what the pages need.
type Config struct {
	Intake  *surveys.Intake     // checks and stores answers
	Surveys surveys.SurveyStore // reads surveys (usually cached)
	Help    HelpLine
	Log     *slog.Logger
	// NewID makes the response id a form carries, so that submitting the
	// same form twice stores one response. Defaults to a random UUID.
	NewID func() string
}

// lang is the language pages are shown in. Translations come later; every
// survey text has English.
const lang = surveys.DefaultLanguage

//go:embed templates static
var files embed.FS

// Embedded returns the embedded templates and static files, under
// "templates/" and "static/", so that a test can check each is there.
func Embedded() fs.FS { return files }

// pageFiles are the templates that are whole pages, each rendered inside
// the layout.
var pageFiles = []string{"home", "help", "survey", "form", "thanks", "error"}

// Pages renders the young person's pages. Make one with New.
type Pages struct {
	cfg    Config
	pages  map[string]*template.Template
	assets map[string]asset  // by hashed name
	urls   map[string]string // hashed URL by plain name
}

// New parses every template and hashes every static file. It fails if
// anything embedded is missing or does not parse, so that a broken build
// never starts serving.
func New(cfg Config) (*Pages, error) {
	if cfg.Intake == nil || cfg.Surveys == nil {
		return nil, fmt.Errorf("frontend: Config needs Intake and Surveys")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.NewID == nil {
		cfg.NewID = NewUUID
	}
	p := &Pages{cfg: cfg}
	if err := p.loadAssets(); err != nil {
		return nil, err
	}
	for _, name := range []string{cssFile, iconFile} {
		if _, ok := p.urls[name]; !ok {
			return nil, fmt.Errorf("frontend: static file %q is not embedded", name)
		}
	}
	if err := p.parseTemplates(); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Pages) parseTemplates() error {
	base, err := template.New("layout.html").Funcs(template.FuncMap{
		"asset": p.AssetURL,
	}).ParseFS(files, "templates/layout.html")
	if err != nil {
		return fmt.Errorf("frontend: parse layout: %w", err)
	}
	p.pages = make(map[string]*template.Template, len(pageFiles))
	for _, name := range pageFiles {
		t, err := base.Clone()
		if err != nil {
			return fmt.Errorf("frontend: clone layout for %s: %w", name, err)
		}
		if _, err := t.ParseFS(files, "templates/"+name+".html"); err != nil {
			return fmt.Errorf("frontend: parse template %s: %w", name, err)
		}
		if t.Lookup("content") == nil {
			return fmt.Errorf("frontend: template %s defines no \"content\"", name)
		}
		p.pages[name] = t
	}
	return nil
}

// NewUUID returns a random version 4 UUID in lower case.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// page is what the layout needs; every page's view embeds it.
type page struct {
	Title   string // what the page is, first in <title>
	Error   bool   // the page shows errors: the title starts "Error: "
	Council string // the council's name, or "Heard"
	From    string // the council's name, or "your council"
	// OnForm is set on a page holding answers not yet sent: the header
	// names the council without linking away, and "Get help now" opens in
	// a new tab, so that neither can lose the answers.
	OnForm bool
	OnHelp bool // the help page itself: its link is marked current
	Nonce  string
	CSS    string
	Icon   string
	Script string // a module script's URL; none yet
}

// FullTitle is the <title>: the page, then the site.
func (pg page) FullTitle() string {
	t := pg.Title + " – Heard"
	if pg.Title == "" {
		t = "Heard"
	}
	if pg.Error {
		t = "Error: " + t
	}
	return t
}

func (p *Pages) page(c fiber.Ctx, title string) page {
	council := p.cfg.Help.CouncilName
	if council == "" {
		council = "Heard"
	}
	return page{
		Title:   title,
		Council: council,
		From:    p.councilOrYours(),
		Nonce:   Nonce(c),
		CSS:     p.AssetURL(cssFile),
		Icon:    p.AssetURL(iconFile),
	}
}

// render executes a page template into a buffer first, so that a failing
// template sends nothing half-made, then sends it with the status.
func (p *Pages) render(c fiber.Ctx, status int, name string, view any) error {
	t, ok := p.pages[name]
	if !ok {
		return fmt.Errorf("frontend: no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", view); err != nil {
		return fmt.Errorf("render %s page: %w", name, err)
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(buf.Bytes())
}

// helpView is the help a young person is offered: Childline, the council
// and 999.
type helpView struct {
	Council      string
	CouncilPhone string
	CouncilTel   template.URL
	CouncilHours string
}

func (p *Pages) help() helpView {
	h := p.cfg.Help
	v := helpView{Council: h.CouncilName, CouncilPhone: h.CouncilPhone, CouncilHours: h.CouncilHours}
	if v.Council == "" {
		v.Council = "Your council"
	}
	if h.CouncilPhone != "" {
		v.CouncilTel = telURL(h.CouncilPhone)
	}
	return v
}

// telURL makes a tel: link of a phone number written for people, keeping
// only digits and a leading "+".
func telURL(number string) template.URL {
	var b strings.Builder
	for i, r := range strings.TrimSpace(number) {
		if r >= '0' && r <= '9' || r == '+' && i == 0 {
			b.WriteRune(r)
		}
	}
	return template.URL("tel:" + b.String())
}
