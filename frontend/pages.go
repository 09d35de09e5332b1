// Package frontend renders the pages young people and staff see: HTML from
// embedded templates, made on the server, that works without JavaScript,
// with small hand-written CSS and JavaScript served from embedded files
// under content-hashed names. With JavaScript, the survey form becomes one
// question per screen that keeps answers on the device and sends them
// through the JSON API, even after the phone has been offline.
package frontend

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/frontend/layout"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/rooms"
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
	// Codes checks access codes, for surveys that need one. Without it,
	// such a survey cannot be started.
	Codes *surveys.Codes
	// CodeAttempts limits wrong access codes per client. Share the API's,
	// so that a guesser cannot try twice as many by using both; nil makes
	// one of the same size for the pages alone.
	CodeAttempts *surveys.FailureLimiter
	// Help is the help line; Settings, when set, gives the one an admin
	// saved in the workspace instead, read afresh every few seconds.
	Help     HelpLine
	Settings SettingsReader
	// Contacts takes young people's requests for someone to talk to them;
	// nil leaves the form out of every page. ContactLimit limits them per
	// client: share the API's, so that both count together; nil makes one
	// for the pages alone.
	Contacts     *surveys.Contacts
	ContactLimit *surveys.ContactLimiter
	// Actions gives the published "you said, we did" actions; without it
	// their page is not found.
	Actions *surveys.Actions
	// Live and Rooms run MADE sessions: phones join at /join, and the
	// projector follows at /present. Without both, those pages are not
	// found. JoinAttempts limits wrong join codes per client; nil makes
	// one.
	Live         *surveys.Live
	Rooms        *rooms.Hub
	JoinAttempts *surveys.FailureLimiter
	// PublicURL is where young people reach Heard, for the QR code of a
	// session's join link.
	PublicURL string
	Log       *slog.Logger
	// NewID makes the response id a form carries, so that submitting the
	// same form twice stores one response. Defaults to a random UUID.
	NewID func() string
}

// SettingsReader gives the settings in force (surveys.SettingsService).
type SettingsReader interface {
	Current(ctx context.Context) (*surveys.Settings, error)
}

//go:embed templates static i18n sw.js
var files embed.FS

// Embedded returns the embedded templates, static files, translations and
// service worker, under "templates/", "static/", "i18n/" and "sw.js", so
// that a test can check each is there.
func Embedded() fs.FS { return files }

// Pages renders the young person's pages. Make one with New.
type Pages struct {
	cfg     Config
	pages   *layout.Pages
	assets  map[string]asset  // by hashed name
	urls    map[string]string // hashed URL by plain name
	icon    template.URL      // the icon as a data: URL, which costs no request
	sw      serviceWorker     // sw.js as made for the help line in force
	locales map[string]*locale
	phones  phoneStates // the last state sent to each session's phones
}

// New parses every template, hashes every static file and reads every
// translation. It fails if anything embedded is missing or does not parse,
// so that a broken build never starts serving.
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
	if cfg.CodeAttempts == nil {
		cfg.CodeAttempts = &surveys.FailureLimiter{Max: 10, Window: 15 * time.Minute, Now: time.Now}
	}
	if cfg.ContactLimit == nil {
		cfg.ContactLimit = surveys.DefaultContactLimiter(time.Now)
	}
	if cfg.JoinAttempts == nil {
		cfg.JoinAttempts = &surveys.FailureLimiter{Max: 20, Window: 15 * time.Minute, Now: time.Now}
	}
	p := &Pages{cfg: cfg}
	if err := p.loadAssets(); err != nil {
		return nil, err
	}
	for _, name := range append([]string{cssFile, iconFile}, scriptFiles...) {
		if _, ok := p.urls[name]; !ok {
			return nil, fmt.Errorf("frontend: static file %q is not embedded", name)
		}
	}
	svg, err := fs.ReadFile(files, "static/"+iconFile)
	if err != nil {
		return nil, fmt.Errorf("frontend: read icon: %w", err)
	}
	p.icon = template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(svg))
	if p.locales, err = loadLocales(files); err != nil {
		return nil, err
	}
	if p.pages, err = layout.Parse("frontend", files, "templates/layout.html", "templates/*.html", nil); err != nil {
		return nil, err
	}
	// The worker carries the help page, so it is made last.
	if _, err = p.serviceWorkerFor(cfg.Help); err != nil {
		return nil, err
	}
	return p, nil
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
	L       *locale  // the page's language: {{.L.T "key"}} says things in it
	line    HelpLine // the help line in force for this request
	Title   string   // what the page is, first in <title>
	Error   bool     // the page shows errors: the title starts "Error: "
	Council string   // the council's name, or "Heard"
	From    string   // the council's name, or "your council"
	// OnForm is set on a page holding answers not yet sent: the header
	// names the council without linking away, "Get help now" opens in a
	// new tab, and the language switcher sends the form back to be shown
	// in the new language, so that none of them loses the answers.
	OnForm bool
	OnHelp bool // the help page itself: its link is marked current
	// OnPrivacy is the privacy notice itself: its footer link is marked
	// current.
	OnPrivacy bool
	// Keep marks a page worth keeping for use offline (data-keep on
	// <body>): the start page, help, and a survey's welcome page and form
	// as first shown. Not a page with an error, which the service worker
	// would have to fetch again to keep (and a wrong code would count
	// twice).
	Keep      bool
	Nonce     string
	CSS       string
	Icon      template.URL
	Script    string   // the page's module script, if any
	Preload   []string // the modules Script imports, fetched at once rather than one after another
	LangParam string   // the ?lang= links carry: the language chosen, when the browser would not choose it
	Languages []langChoice
}

// langChoice is one language in the switcher.
type langChoice struct {
	Lang    string
	Dir     string
	Name    string // in its own language: "Polski"
	Href    string // where the link goes (not on the form, whose switcher is buttons)
	Current bool
}

// FullTitle is the <title>: the page, then the site.
func (pg page) FullTitle() string {
	t := pg.L.T("site.title", "title", pg.Title)
	if pg.Title == "" {
		t = "Heard"
	}
	if pg.Error {
		t = pg.L.T("site.title_error", "title", t)
	}
	return t
}

// Link returns a path on this site that keeps the page's language.
func (pg page) Link(path string) string {
	if pg.LangParam == "" {
		return path
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "lang=" + url.QueryEscape(pg.LangParam)
}

// page makes what every page needs, in the language chosen (from ?lang=
// or the form's lang field), else the best for the browser's
// Accept-Language.
func (p *Pages) page(c fiber.Ctx, chosen string) page {
	preferred := negotiate(c.Get(fiber.HeaderAcceptLanguage))
	lang := supported(chosen)
	if lang == "" {
		lang = preferred
	}
	l := p.locales[lang]
	h := p.helpLine(c.Context())
	council := h.CouncilName
	if council == "" {
		council = "Heard"
	}
	pg := page{
		L:       l,
		line:    h,
		Council: council,
		From:    councilOrYours(h, l),
		Nonce:   Nonce(c),
		CSS:     p.AssetURL(cssFile),
		Icon:    p.icon,
		Script:  p.AssetURL(surveyScript),
		Preload: []string{p.AssetURL(conditionsScript)},
	}
	if lang != preferred {
		pg.LangParam = lang
	}
	for _, code := range languages {
		other := p.locales[code]
		pg.Languages = append(pg.Languages, langChoice{
			Lang: code, Dir: other.Dir, Name: other.T("lang.name"),
			Href: switchLink(c, code, preferred), Current: code == lang,
		})
	}
	return pg
}

// switchLink is the address of this page in another language, keeping the
// rest of its query (an access code, say).
func switchLink(c fiber.Ctx, lang, preferred string) string {
	q := url.Values{}
	for k, v := range c.Queries() {
		if k != "lang" {
			q.Set(k, v)
		}
	}
	if lang != preferred {
		q.Set("lang", lang)
	}
	if len(q) == 0 {
		return c.Path()
	}
	return c.Path() + "?" + q.Encode()
}

// render sends a page, made whole before anything is sent.
func (p *Pages) render(c fiber.Ctx, status int, name string, view any) error {
	return p.pages.Render(c, status, name, view)
}

// helpView is the help a young person is offered: Childline, the council
// and 999.
type helpView struct {
	L            *locale
	Council      string
	CouncilPhone string
	CouncilTel   template.URL
	CouncilHours string
}

func help(h HelpLine, l *locale) helpView {
	v := helpView{L: l, Council: h.CouncilName, CouncilPhone: h.CouncilPhone, CouncilHours: h.CouncilHours}
	if v.Council == "" {
		v.Council = l.T("help.your_council")
	}
	if h.CouncilPhone != "" {
		v.CouncilTel = telURL(h.CouncilPhone)
	}
	return v
}

// helpLine returns the help line in force: the saved settings', or the
// configured one when there are none or they cannot be read (a page that
// offers help must still show, and Childline and 999 never change).
func (p *Pages) helpLine(ctx context.Context) HelpLine {
	if p.cfg.Settings == nil {
		return p.cfg.Help
	}
	st, err := p.cfg.Settings.Current(ctx)
	if err != nil {
		if ctx.Err() == nil { // not a request its client gave up on
			p.cfg.Log.ErrorContext(ctx, "read settings for the help line", "err", err)
		}
		return p.cfg.Help
	}
	return HelpLine{CouncilName: st.CouncilName, CouncilPhone: st.HelpPhone, CouncilHours: st.HelpHours}
}

func councilOrYours(h HelpLine, l *locale) string {
	if h.CouncilName != "" {
		return h.CouncilName
	}
	return l.T("site.your_council")
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
