package api

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v3"
)

// healthz answers while the process runs.
func (s *Server) healthz(c fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers 200 only when the database answers a ping.
func (s *Server) readyz(c fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.Context(), 2*time.Second)
	defer cancel()
	if err := s.cfg.Ping(ctx); err != nil {
		s.cfg.Log.WarnContext(c.Context(), "readiness check failed", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "database unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ready"})
}
