package staff

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/forwarded"
	"github.com/heard-app/heard/surveys"
)

// signedIn is the session behind a request, kept in c.Locals by Require.
type signedIn struct {
	user    *surveys.User
	session *surveys.Session
}

type sessionKey struct{}

func currentSession(c fiber.Ctx) *signedIn {
	s, _ := c.Locals(sessionKey{}).(*signedIn)
	return s
}

// CurrentUser returns the signed-in member of staff, or nil.
func CurrentUser(c fiber.Ctx) *surveys.User {
	if s := currentSession(c); s != nil {
		return s.user
	}
	return nil
}

// Require lets a request through only for a signed-in member of staff with
// one of roles. Someone not signed in goes to the sign-in page, and comes
// back after; someone signed in with another role gets a 403 page (never a
// redirect, which could loop). A form sent to change something must carry
// the session's CSRF token and not come from another site.
func (p *Pages) Require(roles ...surveys.Role) fiber.Handler {
	return func(c fiber.Ctx) error {
		token := c.Cookies(SessionCookie)
		sess, u, err := p.cfg.Accounts.Authenticate(c.Context(), token)
		if surveys.ErrorCode(err) == surveys.EUNAUTHORIZED {
			if token != "" {
				clearCookie(c)
			}
			next := ""
			if c.Method() == fiber.MethodGet {
				next = c.OriginalURL()
			}
			return c.Redirect().Status(fiber.StatusSeeOther).To(signInURL(next, token != ""))
		} else if err != nil {
			return err
		}
		c.Locals(sessionKey{}, &signedIn{user: u, session: sess})
		c.SetContext(surveys.NewContextWithUser(c.Context(), u))
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
			if err := checkCSRF(c, sess); err != nil {
				return err
			}
		}
		if !roleIn(u.Role, roles) {
			return surveys.Errorf(surveys.EFORBIDDEN, "Your role (%s) does not allow this page. If you need it, ask an admin.", roleNames[u.Role])
		}
		return c.Next()
	}
}

// checkCSRF requires the session's token in the form, and refuses forms
// that a browser says came from another site.
func checkCSRF(c fiber.Ctx, sess *surveys.Session) error {
	if c.Get("Sec-Fetch-Site") == "cross-site" {
		return surveys.Errorf(surveys.EFORBIDDEN, "Forms sent from other sites are not accepted.")
	}
	token := c.FormValue(CSRFField)
	if token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(sess.CSRFToken)) != 1 {
		return surveys.Errorf(surveys.EFORBIDDEN, "This form is missing its security token, or it is from an earlier session. Please go back, reload the page and try again.")
	}
	return nil
}

// signInURL is the sign-in page, remembering where to go after.
func signInURL(next string, ended bool) string {
	q := url.Values{}
	if safeNext(next) {
		q.Set("next", next)
	}
	if ended {
		q.Set("ended", "1")
	}
	if len(q) == 0 {
		return "/staff/sign-in"
	}
	return "/staff/sign-in?" + q.Encode()
}

// safeNext allows only addresses inside the workspace, so that the sign-in
// page cannot be used to send someone to another site.
func safeNext(next string) bool {
	return strings.HasPrefix(next, "/staff") && !strings.HasPrefix(next, "//") && !strings.Contains(next, `\`) &&
		!strings.HasPrefix(next, "/staff/sign-in")
}

type signInView struct {
	page
	Email   string
	Next    string
	Error   string
	Notice  string
	NoAdmin bool
}

// SignInPage shows the sign-in form. When no admin exists yet, it says how
// to create one from the command line: there is no open registration.
func (p *Pages) SignInPage(c fiber.Ctx) error {
	v := signInView{page: p.page(c, "Sign in"), Next: c.Query("next")}
	if !safeNext(v.Next) {
		v.Next = ""
	}
	if c.Query("ended") != "" {
		v.Notice = "Your session ended, so you need to sign in again."
	}
	return p.renderSignIn(c, http.StatusOK, v)
}

func (p *Pages) renderSignIn(c fiber.Ctx, status int, v signInView) error {
	hasAdmin, err := p.cfg.Accounts.HasAdmin(c.Context())
	if err != nil {
		return err
	}
	v.NoAdmin = !hasAdmin
	return p.render(c, status, "sign-in", v)
}

// SignIn checks the form, with the same limits on failures as the API.
func (p *Pages) SignIn(c fiber.Ctx) error {
	if c.Get("Sec-Fetch-Site") == "cross-site" {
		return surveys.Errorf(surveys.EFORBIDDEN, "Forms sent from other sites are not accepted.")
	}
	email, password := strings.TrimSpace(c.FormValue("email")), c.FormValue("password")
	v := signInView{page: p.page(c, "Sign in"), Email: email, Next: c.FormValue("next")}
	if !safeNext(v.Next) {
		v.Next = ""
	}
	if len(email) > surveys.MaxEmailLength {
		v.Email = ""
	}
	account, _ := surveys.NormalizeEmail(email)
	if account == "" {
		account = email
	}
	if err := p.cfg.Logins.Check(account, forwarded.ClientIP(c)); err != nil {
		v.Error = surveys.ErrorMessage(err)
		return p.renderSignIn(c, http.StatusTooManyRequests, v)
	}
	token, sess, _, err := p.cfg.Accounts.Login(c.Context(), email, password)
	if surveys.ErrorCode(err) == surveys.EUNAUTHORIZED {
		p.cfg.Logins.Failed(account, forwarded.ClientIP(c))
		v.Error = surveys.ErrorMessage(err)
		return p.renderSignIn(c, http.StatusUnauthorized, v)
	} else if err != nil {
		return err
	}
	p.cfg.Logins.Succeeded(account)
	c.Cookie(&fiber.Cookie{
		Name: SessionCookie, Value: token, Path: "/", HTTPOnly: true, Secure: forwarded.Secure(c),
		SameSite: fiber.CookieSameSiteLaxMode, Expires: sess.Expires,
	})
	next := v.Next
	if next == "" {
		next = "/staff"
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To(next)
}

// SignOut ends the session.
func (p *Pages) SignOut(c fiber.Ctx) error {
	if err := p.cfg.Accounts.Logout(c.Context(), c.Cookies(SessionCookie)); err != nil {
		return err
	}
	clearCookie(c)
	return c.Redirect().Status(fiber.StatusSeeOther).To("/staff/sign-in?done=signed-out")
}

func clearCookie(c fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: "", Path: "/", HTTPOnly: true, Secure: forwarded.Secure(c),
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Unix(0, 0), MaxAge: -1})
}

type resetView struct {
	page
	Email string
	Error string
	Field string
}

// ResetPage shows the form a reset link opens, where a member of staff
// chooses a new password.
func (p *Pages) ResetPage(c fiber.Ctx) error {
	r, err := p.cfg.Accounts.CheckReset(c.Context(), c.Params("token"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer") // the address is the secret
	return p.render(c, http.StatusOK, "reset", resetView{page: p.page(c, "Choose a password"), Email: r.Email})
}

// Reset sets the new password. The form needs no CSRF token: the secret
// in the address is what proves the right to use it.
func (p *Pages) Reset(c fiber.Ctx) error {
	if c.Get("Sec-Fetch-Site") == "cross-site" {
		return surveys.Errorf(surveys.EFORBIDDEN, "Forms sent from other sites are not accepted.")
	}
	token := c.Params("token")
	r, err := p.cfg.Accounts.CheckReset(c.Context(), token)
	if err != nil {
		return err
	}
	password := c.FormValue("password")
	v := resetView{page: p.page(c, "Choose a password"), Email: r.Email}
	if password != c.FormValue("confirm") {
		v.Error, v.Field = "The two passwords are not the same. Please type them again.", "confirm"
		return p.render(c, http.StatusUnprocessableEntity, "reset", v)
	}
	if _, err := p.cfg.Accounts.ResetPassword(c.Context(), token, password); err != nil {
		if surveys.ErrorCode(err) != surveys.EINVALID {
			return err
		}
		v.Error, v.Field = surveys.ErrorMessage(err)+" Use at least 12 characters: a few words make a good one.", "password"
		return p.render(c, http.StatusUnprocessableEntity, "reset", v)
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To("/staff/sign-in?done=password")
}

// Logo serves the council's logo, cleaned when it was uploaded. An SVG is
// sent with a policy that forbids it everything, should a browser open it
// on its own rather than in an <img>.
func (p *Pages) Logo(c fiber.Ctx) error {
	st, err := p.cfg.Settings.Current(c.Context())
	if err != nil {
		return err
	}
	if st.Logo == nil {
		return surveys.Errorf(surveys.ENOTFOUND, "No logo has been set.")
	}
	c.Set(fiber.HeaderContentType, st.Logo.ContentType)
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	c.Set(fiber.HeaderCacheControl, "private, max-age=300")
	return c.Send(st.Logo.Data)
}
