package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/adaptor"
)

// RequestObserver hears of every request once it is answered, for
// monitoring. route is the pattern of the matched route (or "unmatched"),
// never the path, which can carry an access code.
type RequestObserver interface {
	ObserveRequest(method, route string, status int, took time.Duration)
}

// metricsRoute serves the metrics to a scraper that sends the token as a
// bearer token; anyone else gets 401.
func (s *Server) metricsRoute() fiber.Handler {
	serve := adaptor.HTTPHandler(s.cfg.Metrics)
	// Digests of equal length, compared in constant time, say nothing of
	// the token's length or of how much of it a guess got right.
	want := sha256.Sum256([]byte(s.cfg.MetricsToken))
	return func(c fiber.Ctx) error {
		token, ok := bearer(c.Get(fiber.HeaderAuthorization))
		got := sha256.Sum256([]byte(token))
		if !ok || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
			return fiber.NewError(http.StatusUnauthorized, "The metrics need the bearer token from HEARD_METRICS_TOKEN.")
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return serve(c)
	}
}

// bearer returns the token of an Authorization header of the Bearer
// scheme (whose name is case-insensitive).
func bearer(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
