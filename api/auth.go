package api

import (
	"crypto/subtle"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/forwarded"
	"github.com/heard-app/heard/frontend/staff"
	"github.com/heard-app/heard/surveys"
)

// SessionCookie is the name of the staff session cookie, the same as the
// staff workspace's.
const SessionCookie = staff.SessionCookie

// CSRFHeader carries the session's CSRF token on every change an API client
// makes; HTML forms send it as the field CSRFField.
const (
	CSRFHeader = "X-CSRF-Token"
	CSRFField  = "_csrf"
)

// Keys of c.Locals.
type localKey int

const (
	keyUser localKey = iota
	keySession
)

// currentUser returns the signed-in member of staff, or nil.
func currentUser(c fiber.Ctx) *surveys.User {
	u, _ := c.Locals(keyUser).(*surveys.User)
	return u
}

// authenticate reads the session cookie, if any, and remembers who is
// signed in. It fails only when the database does.
func (s *Server) authenticate(c fiber.Ctx) (*surveys.User, *surveys.Session, error) {
	token := c.Cookies(SessionCookie)
	if token == "" {
		return nil, nil, nil
	}
	sess, u, err := s.cfg.Accounts.Authenticate(c.Context(), token)
	if surveys.ErrorCode(err) == surveys.EUNAUTHORIZED {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, err
	}
	c.Locals(keyUser, u)
	c.Locals(keySession, sess)
	c.SetContext(surveys.NewContextWithUser(c.Context(), u))
	return u, sess, nil
}

// authorize lets a request through only for a signed-in member of staff
// with one of roles. A request that changes something must also carry the
// session's CSRF token, and must not come from another site.
func (s *Server) authorize(roles ...surveys.Role) fiber.Handler {
	allowed := map[surveys.Role]bool{}
	for _, r := range roles {
		allowed[r] = true
	}
	return func(c fiber.Ctx) error {
		u, sess, err := s.authenticate(c)
		if err != nil {
			return err
		}
		if u == nil {
			return surveys.Errorf(surveys.EUNAUTHORIZED, "Please sign in.")
		}
		if !safeMethod(c.Method()) {
			if err := checkCSRF(c, sess); err != nil {
				return err
			}
		}
		if !allowed[u.Role] {
			return surveys.Errorf(surveys.EFORBIDDEN, "Your role does not allow this.")
		}
		return c.Next()
	}
}

func safeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}

// checkCSRF requires the session's token in the header or form field, and
// refuses requests a browser marks as coming from another site.
func checkCSRF(c fiber.Ctx, sess *surveys.Session) error {
	if c.Get("Sec-Fetch-Site") == "cross-site" {
		return surveys.Errorf(surveys.EFORBIDDEN, "Requests from other sites are not allowed.")
	}
	token := c.Get(CSRFHeader)
	if token == "" {
		token = c.FormValue(CSRFField)
	}
	if token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(sess.CSRFToken)) != 1 {
		return surveys.Errorf(surveys.EFORBIDDEN, "This request is missing its security token. Please reload the page and try again.")
	}
	return nil
}

type loginRequest struct {
	Email    string `json:"email" validate:"required,max=254"`
	Password string `json:"password" validate:"required,max=1024"`
}

// meResponse describes the signed-in member of staff.
type meResponse struct {
	Email     string       `json:"email"`
	Role      surveys.Role `json:"role"`
	CSRFToken string       `json:"csrf_token"`
	Expires   time.Time    `json:"expires"`
}

// login checks an email and password and sets the session cookie. A
// request from another site is refused, so a page elsewhere cannot sign a
// browser in to someone else's account.
func (s *Server) login(c fiber.Ctx) error {
	if c.Get("Sec-Fetch-Site") == "cross-site" {
		return surveys.Errorf(surveys.EFORBIDDEN, "Requests from other sites are not allowed.")
	}
	var req loginRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	account, _ := surveys.NormalizeEmail(req.Email)
	if account == "" {
		account = req.Email
	}
	client := forwarded.ClientIP(c)
	if err := s.logins.Check(account, client); err != nil {
		return err
	}
	token, sess, u, err := s.cfg.Accounts.Login(c.Context(), req.Email, req.Password)
	if surveys.ErrorCode(err) == surveys.EUNAUTHORIZED {
		s.logins.Failed(account, client)
		return err
	} else if err != nil {
		return err
	}
	s.logins.Succeeded(account)
	c.Cookie(&fiber.Cookie{
		Name:     SessionCookie,
		Value:    token,
		Path:     "/",
		HTTPOnly: true,
		Secure:   forwarded.Secure(c),
		SameSite: fiber.CookieSameSiteLaxMode,
		Expires:  sess.Expires,
	})
	return c.JSON(meResponse{Email: u.Email, Role: u.Role, CSRFToken: sess.CSRFToken, Expires: sess.Expires})
}

// logout ends the session and clears the cookie.
func (s *Server) logout(c fiber.Ctx) error {
	if err := s.cfg.Accounts.Logout(c.Context(), c.Cookies(SessionCookie)); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: "", Path: "/", HTTPOnly: true, Secure: forwarded.Secure(c),
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Unix(0, 0), MaxAge: -1})
	return c.SendStatus(fiber.StatusNoContent)
}

// me tells who is signed in, with the CSRF token an API client needs.
func (s *Server) me(c fiber.Ctx) error {
	u := currentUser(c)
	sess, _ := c.Locals(keySession).(*surveys.Session)
	return c.JSON(meResponse{Email: u.Email, Role: u.Role, CSRFToken: sess.CSRFToken, Expires: sess.Expires})
}
