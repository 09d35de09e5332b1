package api

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v3"
)

// logRequests logs each request with its method, route pattern, status and
// duration, and nothing else: never the path (it may carry a code), the
// query, the body, the address or any header.
func (s *Server) logRequests(c fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		// The error handler runs after this returns; predict its status.
		status, _ = s.describe(err)
	}
	s.cfg.Log.Info("request",
		"method", c.Method(),
		"route", routePattern(c),
		"status", status,
		"duration_ms", float64(time.Since(start).Microseconds())/1000)
	return err
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
