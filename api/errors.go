package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// statusOf maps each error code of the domain to an HTTP status. It is the
// only place that does.
var statusOf = map[string]int{
	surveys.EINVALID:      http.StatusUnprocessableEntity,
	surveys.ENOTFOUND:     http.StatusNotFound,
	surveys.ECONFLICT:     http.StatusConflict,
	surveys.EUNAUTHORIZED: http.StatusUnauthorized,
	surveys.EFORBIDDEN:    http.StatusForbidden,
	surveys.ERATELIMIT:    http.StatusTooManyRequests,
	surveys.EUNAVAILABLE:  http.StatusServiceUnavailable,
	surveys.EINTERNAL:     http.StatusInternalServerError,
}

// errorBody is the JSON of every API error.
type errorBody struct {
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields,omitempty"`
	// Problems gives, for answers, a code per question that a page can
	// say in the young person's language.
	Problems map[string]surveys.Problem `json:"problems,omitempty"`
}

// handleError is the app's one error handler. Errors of the domain become
// their status and message; Fiber's own (no such route, body too large...)
// keep their status with a message of ours; anything else is a fault of
// ours, logged in full and shown as "Something went wrong". API routes get
// JSON, pages get a page.
func (s *Server) handleError(c fiber.Ctx, err error) error {
	status, body := s.describe(err)
	if status >= http.StatusInternalServerError && status != http.StatusServiceUnavailable {
		s.cfg.Log.ErrorContext(c.Context(), "request failed", "method", c.Method(), "route", routePattern(c), "err", err)
	}
	if status == http.StatusTooManyRequests {
		var le *limitError
		if errors.As(err, &le) {
			c.Set(fiber.HeaderRetryAfter, le.retryAfter())
		}
	}
	if isAPI(c) || s.cfg.Pages == nil {
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(status).JSON(body)
	}
	if s.cfg.Staff != nil && (c.Path() == "/staff" || strings.HasPrefix(c.Path(), "/staff/")) {
		if status == http.StatusRequestEntityTooLarge && c.Path() == "/staff/settings" {
			// The one staff form that takes a file: name what is too large.
			body.Error = fmt.Sprintf("A logo may be up to %d KB. Go back, choose a smaller file and save again.", surveys.MaxLogoBytes>>10)
		}
		return s.cfg.Staff.ErrorPage(c, status, body.Error)
	}
	return s.cfg.Pages.ErrorPage(c, status, body.Error)
}

func (s *Server) describe(err error) (int, errorBody) {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return fe.Code, errorBody{Error: fiberMessage(fe)}
	}
	code := surveys.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	return status, errorBody{Error: surveys.ErrorMessage(err), Fields: surveys.ErrorFields(err), Problems: surveys.ErrorProblems(err)}
}

// fiberMessage words Fiber's own errors for people; a message set with
// fiber.NewError elsewhere in this package is kept.
func fiberMessage(fe *fiber.Error) string {
	switch {
	case fe.Code == http.StatusNotFound && (strings.HasPrefix(fe.Message, "Cannot ") || fe.Message == http.StatusText(fe.Code)):
		return "There is nothing at this address."
	case fe.Code == http.StatusRequestEntityTooLarge:
		return fmt.Sprintf("What was sent is too large: Heard reads up to %d KB in one request.", MaxBodyBytes>>10)
	case fe.Code == http.StatusMethodNotAllowed:
		return "This address does not take that kind of request."
	case fe.Message == "" || fe.Message == http.StatusText(fe.Code):
		return http.StatusText(fe.Code) + "."
	}
	return fe.Message
}

// isAPI reports whether the request is for the JSON API (or a health check).
func isAPI(c fiber.Ctx) bool {
	p := c.Path()
	return strings.HasPrefix(p, "/api/") || p == "/healthz" || p == "/readyz"
}
