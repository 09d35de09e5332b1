package api

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/forwarded"
	"github.com/heard-app/heard/logging"
)

// logRequests logs each request with its method, route pattern, status and
// duration, and nothing else: never the path (it may carry a code), the
// query, the body, the address or any header. The metrics, when on, are
// told the same four things.
func (s *Server) logRequests(c fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	took := time.Since(start)
	status := c.Response().StatusCode()
	if err != nil {
		// The error handler runs after this returns; predict its status.
		status, _ = s.describe(err)
	}
	method, route := c.Method(), routePattern(c)
	s.cfg.Log.InfoContext(c.Context(), "request",
		"method", method,
		"route", route,
		"status", status,
		"duration_ms", float64(took.Microseconds())/1000)
	if s.cfg.Requests != nil {
		s.cfg.Requests.ObserveRequest(method, route, status, took)
	}
	return err
}

// RequestIDHeader carries a request's id, from a trusted proxy that made
// one or else made here, back to the client: someone reporting a problem
// can quote it, and it finds the request's lines in the log.
const RequestIDHeader = "X-Request-Id"

// requestID gives the request an id, puts it in the context for the logs,
// and sends it back.
func requestID(c fiber.Ctx) error {
	id := c.Get(RequestIDHeader)
	if !forwarded.ViaProxy(c) || !logging.ValidRequestID(id) {
		id = logging.NewRequestID()
	}
	c.SetContext(logging.WithRequestID(c.Context(), id))
	c.Set(RequestIDHeader, id)
	return c.Next()
}

// routePattern returns the pattern of the matched route, such as
// "/api/v1/surveys/:slug", or "unmatched".
func routePattern(c fiber.Ctx) string {
	if !c.Matched() {
		return "unmatched"
	}
	return c.Route().Path
}

// apiHeaders sets the headers every API answer carries.
func apiHeaders(c fiber.Ctx) error {
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// deadline gives each request's context a time limit.
func deadline(d time.Duration) fiber.Handler {
	return func(c fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.Context(), d)
		defer cancel()
		c.SetContext(ctx)
		return c.Next()
	}
}

// limitBody refuses a body over n bytes with 413.
func limitBody(n int) fiber.Handler {
	return func(c fiber.Ctx) error {
		if len(c.Body()) > n {
			return fiber.NewError(fiber.StatusRequestEntityTooLarge,
				fmt.Sprintf("The request is too large: it may take up to %d KiB.", n>>10))
		}
		return c.Next()
	}
}
