package api_test

import (
	"cmp"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

// Who may open each page and send each form of the staff workspace. A
// route under /staff that is not listed here fails the walk below, so that
// nobody adds a page without saying who may use it.
var (
	public   []surveys.Role // no sign-in needed
	everyone = surveys.Roles
	readers  = []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard}
	managers = []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst}
	admins   = []surveys.Role{surveys.RoleAdmin}
	leads    = []surveys.Role{surveys.RoleSafeguardingLead}
	// preparers prepare and run MADE sessions.
	preparers = []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleFacilitator}
	// keepers keep school councils' records (a lead only their school's).
	keepers = []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleSchoolLead}
	// schoolReaders read results, a lead only their pupil survey's.
	schoolReaders = []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard, surveys.RoleSchoolLead}
)

var staffRouteRoles = map[string][]surveys.Role{
	"GET /staff/sign-in":       public,
	"POST /staff/sign-in":      public,
	"GET /staff/reset/:token":  public,
	"POST /staff/reset/:token": public,
	"GET /staff/logo":          public,

	"GET /staff/":          everyone,
	"POST /staff/sign-out": everyone,

	"GET /staff/surveys":                 readers,
	"GET /staff/surveys/:slug/results":   schoolReaders,
	"GET /staff/surveys/:slug/board.pdf": readers,
	"GET /staff/summary":                 readers,
	"GET /staff/actions":                 readers,
	"GET /staff/actions/:id":             readers,
	"GET /staff/actions/new":             managers,
	"POST /staff/actions":                managers,
	"POST /staff/actions/:id":            managers,

	"GET /staff/sessions":           preparers,
	"POST /staff/sessions":          preparers,
	"GET /staff/sessions/new":       preparers,
	"GET /staff/sessions/:id/edit":  preparers,
	"POST /staff/sessions/:id/edit": preparers,

	"GET /staff/sessions/:id":             preparers,
	"GET /staff/sessions/:id/live":        preparers,
	"POST /staff/sessions/:id/start":      preparers,
	"POST /staff/sessions/:id/act":        preparers,
	"POST /staff/sessions/:id/end":        preparers,
	"POST /staff/sessions/:id/paper":      preparers,
	"POST /staff/sessions/:id/attendance": preparers,
	"POST /staff/sessions/:id/publish":    preparers,
	"GET /staff/sessions/:id/report.pdf":  preparers,

	"POST /staff/surveys":                       managers,
	"GET /staff/surveys/:slug":                  managers,
	"POST /staff/surveys/:slug/status":          managers,
	"POST /staff/surveys/:slug/schedule":        managers,
	"GET /staff/surveys/:slug/preview/:version": managers,
	"GET /staff/surveys/:slug/edit":             managers,
	"POST /staff/surveys/:slug/edit":            managers,
	"GET /staff/surveys/:slug/codes":            managers,
	"POST /staff/surveys/:slug/codes":           managers,
	"GET /staff/surveys/:slug/codes/:batch.pdf": managers,

	"GET /staff/voices":                     managers,
	"POST /staff/voices/review":             managers,
	"GET /staff/voices/:id/quote":           managers,
	"POST /staff/voices/:id/quote":          managers,
	"POST /staff/voices/:id/quote/approve":  managers,
	"POST /staff/voices/:id/quote/remove":   managers,
	"GET /staff/themes":                     managers,
	"POST /staff/themes":                    managers,
	"GET /staff/themes/emerging":            managers,
	"POST /staff/themes/emerging":           managers,
	"GET /staff/safeguarding":               leads,
	"GET /staff/safeguarding/:id":           leads,
	"GET /staff/safeguarding/contacts":      leads,
	"GET /staff/safeguarding/contacts/:id":  leads,
	"POST /staff/safeguarding/contacts/:id": leads,
	"POST /staff/safeguarding/:id":          leads,

	"GET /staff/schools":                              keepers,
	"GET /staff/schools/import-template.csv":          keepers,
	"GET /staff/schools/:school":                      keepers,
	"GET /staff/schools/:school/meetings/new":         keepers,
	"POST /staff/schools/:school/meetings":            keepers,
	"GET /staff/schools/:school/meetings/:id":         keepers,
	"POST /staff/schools/:school/meetings/:id":        keepers,
	"POST /staff/schools/:school/meetings/:id/delete": keepers,
	"GET /staff/schools/:school/import":               keepers,
	"POST /staff/schools/:school/import":              keepers,
	"POST /staff/schools/:school/survey":              keepers,
	"POST /staff/schools/:school/survey/status":       keepers,
	"GET /staff/areas":                                readers,
	"GET /staff/areas/report.pdf":                     readers,
	"POST /staff/people/school":                       admins,

	"GET /staff/people":          admins,
	"POST /staff/people":         admins,
	"POST /staff/people/role":    admins,
	"POST /staff/people/disable": admins,
	"POST /staff/people/enable":  admins,
	"POST /staff/people/reset":   admins,
	"GET /staff/settings":        admins,
	"POST /staff/settings":       admins,
	"GET /staff/audit":           admins,
}

// TestStaffRoutesByRole walks every route of the workspace as every role
// and as nobody: a role that may use it is let through (whatever the page
// then says), every other role gets the 403 page (HTML, not a redirect,
// not a crash), and someone not signed in is sent to the sign-in page.
// Forms are sent with the right CSRF token, so that only the role decides.
func TestStaffRoutesByRole(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusOpen)
	signedIn := map[surveys.Role]staff{}
	for _, r := range surveys.Roles {
		signedIn[r] = h.signIn(r)
	}
	params := strings.NewReplacer(":slug", surveytest.Slug, ":version", "11-18", ":batch", "no-such-batch", ":token", "not-a-token", ":id", "no-such-flag", ":school", "no-such-school")

	// Signing out ends the session each role walks with, so it goes last.
	routes := h.srv.App().GetRoutes(true)
	last := func(r fiber.Route) int {
		if r.Method+" "+r.Path == "POST /staff/sign-out" {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(routes, func(a, b fiber.Route) int { return cmp.Compare(last(a), last(b)) })
	seen := map[string]bool{}
	for _, rt := range routes {
		if (rt.Method != "GET" && rt.Method != "POST") || !strings.HasPrefix(rt.Path, "/staff") {
			continue
		}
		key := rt.Method + " " + rt.Path
		if seen[key] {
			continue
		}
		seen[key] = true
		roles, declared := staffRouteRoles[key]
		if !declared {
			t.Errorf("%s is not in staffRouteRoles: say who may use it", key)
			continue
		}
		path := params.Replace(rt.Path)
		t.Run(key, func(t *testing.T) {
			for _, role := range surveys.Roles {
				as := signedIn[role]
				res := h.do(staffRequest(rt.Method, path, &as))
				allowed := roles == nil || slices.Contains(roles, role)
				switch {
				case allowed && res.status == 403:
					t.Errorf("%s: refused (403), want let through", role)
				case allowed && strings.HasPrefix(res.headers.Get("Location"), "/staff/sign-in") && key != "POST /staff/sign-out":
					t.Errorf("%s: sent to sign in, want let through", role)
				case !allowed && res.status != 403:
					t.Errorf("%s: status %d, want 403", role, res.status)
				case !allowed && !isStaffPage(res, "You cannot open this page"):
					t.Errorf("%s: the 403 is not the workspace's page: %.200s", role, res.body)
				}
			}
			if roles == nil {
				return
			}
			res := h.do(staffRequest(rt.Method, path, nil))
			if res.status != 303 || !strings.HasPrefix(res.headers.Get("Location"), "/staff/sign-in") {
				t.Errorf("not signed in: status %d to %q, want 303 to the sign-in page", res.status, res.headers.Get("Location"))
			}
		})
	}
	for key := range staffRouteRoles {
		if !seen[key] {
			t.Errorf("staffRouteRoles lists %s, which is not a route", key)
		}
	}
}

// A signed-in form without its CSRF token, or marked by the browser as
// sent from another site, is refused for every role.
func TestStaffFormsNeedCSRF(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	for _, tc := range []struct {
		name    string
		token   string
		headers map[string]string
	}{
		{"no token", "", nil},
		{"wrong token", "forged", nil},
		{"from another site", admin.csrf, map[string]string{"Sec-Fetch-Site": "cross-site"}},
	} {
		req := request{method: "POST", path: "/staff/sign-out", as: &admin, noCSRF: true,
			ctype: "application/x-www-form-urlencoded", body: url.Values{"_csrf": {tc.token}}.Encode(), headers: tc.headers}
		res := h.do(req)
		if res.status != 403 || !isStaffPage(res, "") {
			t.Errorf("%s: status %d, want the 403 page", tc.name, res.status)
		}
	}
	// The session was not ended by any of them.
	if res := h.do(staffRequest("GET", "/staff", &admin)); res.status != 200 {
		t.Errorf("after refused sign-outs, home is %d, want 200", res.status)
	}
}

// staffRequest is a page request, or a form with the session's token.
func staffRequest(method, path string, as *staff) request {
	r := request{method: method, path: path, as: as, noCSRF: true}
	if method == "POST" {
		form := url.Values{}
		if as != nil {
			form.Set("_csrf", as.csrf)
		}
		r.ctype, r.body = "application/x-www-form-urlencoded", form.Encode()
	}
	return r
}

var staffTitle = regexp.MustCompile(`<title>[^<]*– Heard staff</title>`)

// isStaffPage reports whether the response is a workspace HTML page
// containing want.
func isStaffPage(res response, want string) bool {
	body := string(res.body)
	return strings.HasPrefix(res.headers.Get("Content-Type"), "text/html") && staffTitle.MatchString(body) && strings.Contains(body, want)
}
