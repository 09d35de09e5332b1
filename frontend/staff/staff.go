// Package staff renders the staff workspace under /staff: server-rendered
// pages for admins, analysts, facilitators, school leads, safeguarding
// leads and board members, each showing only what the person's role may
// see. Every page works without JavaScript. The route table in package api
// says which roles may reach each handler; the handlers check again where
// what they show depends on the role.
package staff

import (
	"embed"
	"fmt"
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

// SessionCookie is the name of the staff session cookie, shared with the
// JSON API, so that signing in on either works for both.
const SessionCookie = "heard_session"

// CSRFField is the form field that carries the session's CSRF token.
const CSRFField = "_csrf"

// Assets gives the content-hashed URLs of static files and the request's
// CSP nonce; the frontend package provides both.
type Assets interface {
	AssetURL(name string) string
}

// Logins limits failed sign-ins per account and per client; the API shares
// the same limiter, so that both ways in count together.
type Logins interface {
	Check(account, client string) error
	Failed(account, client string)
	Succeeded(account string)
}

// Previewer renders a version of a survey exactly as a young person's
// phone shows it, for staff, with a banner saying that answers are not
// saved and a link back to back; nothing sent from it is stored.
type Previewer interface {
	Preview(c fiber.Ctx, s *surveys.Survey, version, back string) error
}

// Config is what the workspace needs.
type Config struct {
	Accounts *surveys.Accounts
	Catalog  *surveys.Catalog
	Surveys  surveys.SurveyStore
	Tallies  surveys.TallyStore
	Codes    *surveys.Codes
	Settings *surveys.SettingsService
	Audit    *surveys.AuditLog
	// Safeguarding is the safeguarding lead's queue of flags.
	Safeguarding *surveys.Safeguarding
	// Contacts are young people's requests to talk; nil when they are off
	// (no HEARD_CONTACT_KEY_FILE), which leaves their pages out.
	Contacts *surveys.Contacts
	// Themes is the codebook in force; Voices the review of comments.
	Themes *surveys.Themes
	Voices *surveys.Voices
	// Reports makes the board's PDF summaries.
	Reports *surveys.Reports
	// Actions is the "you said, we did" plan; without it, its pages are
	// not found.
	Actions *surveys.Actions
	Logins  Logins
	Assets  Assets
	Nonce   func(c fiber.Ctx) string
	// Templates are the survey templates Heard ships, offered when a
	// survey is created.
	Templates func() ([]*surveys.Definition, error)
	// PublicURL is where young people reach Heard (for code cards and
	// previews); CouncilName is the configured default name.
	PublicURL string
	// Preview shows a survey's version as a phone shows it, whatever its
	// status (package frontend's Pages); nil leaves previews out.
	Preview Previewer
	Log     *slog.Logger
	Now     func() time.Time

	// Sessions prepares MADE sessions; without it, their pages are not
	// found.
	Sessions *surveys.LiveSessions
	// Live and Rooms run sessions: the console. Without them it is not
	// found.
	Live  *surveys.Live
	Rooms *rooms.Hub
	// SessionReports makes a session's PDF report; without it, the
	// report is not found.
	SessionReports *surveys.SessionReports

	// Councils keeps school councils' meetings and adds them up by area;
	// without it, their pages are not found.
	Councils *surveys.Councils
}

//go:embed templates
var files embed.FS

// Pages renders the workspace. Make one with New.
type Pages struct {
	cfg   Config
	pages *layout.Pages
}

// New parses every template, failing if one does not parse, so that a
// broken build never starts serving.
func New(cfg Config) (*Pages, error) {
	if cfg.Accounts == nil || cfg.Catalog == nil || cfg.Surveys == nil || cfg.Settings == nil || cfg.Audit == nil ||
		cfg.Safeguarding == nil || cfg.Themes == nil || cfg.Voices == nil || cfg.Logins == nil || cfg.Assets == nil || cfg.Nonce == nil {
		return nil, fmt.Errorf("staff: Config needs Accounts, Catalog, Surveys, Settings, Audit, Safeguarding, Themes, Voices, Logins, Assets and Nonce")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	pages, err := layout.Parse("staff", files, "templates/layout.html", "templates/*.html", funcs)
	if err != nil {
		return nil, err
	}
	p := &Pages{cfg: cfg, pages: pages}
	return p, nil
}

// Embedded returns the embedded templates, so that a test can check each
// is there.
func Embedded() fs.FS { return files }

// page is what the layout needs; every view embeds it.
type page struct {
	Title   string
	User    *surveys.User
	CSRF    string
	Nonce   string
	CSS     string
	Council string
	HasLogo bool
	Nav     []navItem
	Flash   string // a short message after a change, such as "Survey opened."
	Path    string
	Script  string // the page's module script, if it has one
}

type navItem struct {
	Href    string
	Text    string
	Current bool
}

// nav lists the sections a role may open, in order.
var nav = []struct {
	href  string
	text  string
	roles []surveys.Role
}{
	{"/staff", "Home", surveys.Roles},
	{"/staff/surveys", "Surveys", []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard}},
	{"/staff/sessions", "Sessions", []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleFacilitator}},
	{"/staff/schools", "School councils", []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleSchoolLead}},
	{"/staff/areas", "Areas", []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard}},
	{"/staff/summary", "Summary", []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard}},
	{"/staff/actions", "You said, we did", []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard}},
	{"/staff/voices", "Comments", []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst}},
	{"/staff/themes", "Themes", []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst}},
	{"/staff/safeguarding", "Safeguarding", []surveys.Role{surveys.RoleSafeguardingLead}},
	{"/staff/people", "People", []surveys.Role{surveys.RoleAdmin}},
	{"/staff/settings", "Settings", []surveys.Role{surveys.RoleAdmin}},
	{"/staff/audit", "Audit log", []surveys.Role{surveys.RoleAdmin}},
}

// page fills the layout's view for a request.
func (p *Pages) page(c fiber.Ctx, title string) page {
	pg := page{Title: title, Nonce: p.cfg.Nonce(c), CSS: p.cfg.Assets.AssetURL("staff.css"), Path: c.Path()}
	if st, err := p.cfg.Settings.Current(c.Context()); err == nil {
		pg.Council, pg.HasLogo = st.CouncilName, st.Logo != nil
	}
	if s := currentSession(c); s != nil {
		pg.User, pg.CSRF = s.user, s.session.CSRFToken
		for _, n := range nav {
			if !roleIn(s.user.Role, n.roles) {
				continue
			}
			current := c.Path() == n.href || (n.href != "/staff" && strings.HasPrefix(c.Path(), n.href+"/"))
			pg.Nav = append(pg.Nav, navItem{Href: n.href, Text: n.text, Current: current})
		}
	}
	pg.Flash = flashText(c.Query("done"))
	return pg
}

// render sends a page, made whole before anything is sent.
func (p *Pages) render(c fiber.Ctx, status int, name string, view any) error {
	return p.pages.Render(c, status, name, view)
}

// redirectDone sends the browser to path after a change, with a word for
// the message to show there (Post/Redirect/Get, so that a reload does not
// repeat the change).
func redirectDone(c fiber.Ctx, path, done string) error {
	path, fragment, hasFragment := strings.Cut(path, "#")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	to := path + sep + "done=" + url.QueryEscape(done)
	if hasFragment {
		to += "#" + fragment
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To(to)
}

// flashes are the messages a redirect may ask for, by word, so that no
// text from the address is ever shown.
var flashes = map[string]string{
	"signed-out":    "You have signed out.",
	"created":       "The survey was created as a draft.",
	"saved":         "Your changes were saved.",
	"opened":        "The survey is open: young people can answer it now.",
	"closed":        "The survey is closed: it takes no more answers.",
	"scheduled":     "The dates and cohort were saved.",
	"codes":         "The codes were made. Download the cards now: they can be printed once.",
	"person-added":  "The person was added. Pass on their link so that they can set a password.",
	"role":          "The role was changed.",
	"disabled":      "The account was disabled and its sessions ended.",
	"enabled":       "The account was enabled again.",
	"settings":      "The settings were saved.",
	"password":      "Your password was set. Please sign in with it.",
	"decided":       "The decision was recorded.",
	"reviewed":      "Your review was saved.",
	"quoted":        "The quote is approved: it can appear in summaries and reports.",
	"quote-pending": "The quote was saved. It puts back words the redaction took out, so a second analyst must approve it.",
	"unquoted":      "The quote was removed.",
	"themes":        "The themes were saved as a new version. New comments are coded with it from now on.",
	"action-added":  "The action was added.",
	"action-saved":  "The action was saved.",

	"session-created": "The session was saved as a draft.",
	"session-saved":   "The session was saved.",
	"session-copied":  "The copy was made as a new draft, dated today. Change what you need, then save it.",

	"started":    "The session has started. Open the projector's view on the room's screen, then open the first activity.",
	"ended":      "The session has ended and is locked. Its ideas and answers are now with the comments, for their themes.",
	"paper":      "The notes were saved with the session's comments.",
	"attendance": "The attendance was saved.",
	"published":  "The choice of results for \"you said, we did\" was saved.",

	"meeting-recorded": "The meeting was recorded. Heard suggested themes for each item: check them below.",
	"meeting-saved":    "The meeting's record was saved.",
	"meeting-flagged":  "The meeting was saved. Something in it may mean a pupil is not safe, so it was passed to the safeguarding lead: follow your school's safeguarding procedure too.",
	"meeting-deleted":  "The meeting's record was deleted.",
	"imported":         "The file was imported: its meetings are below.",
	"imported-none":    "Every meeting in the file was imported before, so nothing new was stored.",
	"imported-flagged": "The file was imported. Something in it may mean a pupil is not safe, so it was passed to the safeguarding lead: follow your school's safeguarding procedure too.",
	"school-survey":    "The pupil survey is open. Share its link or QR code with pupils.",
	"school-linked":    "The school lead was linked to the school.",
}

func flashText(word string) string { return flashes[word] }

func roleIn(r surveys.Role, roles []surveys.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}
