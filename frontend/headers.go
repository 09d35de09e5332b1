package frontend

import (
	"crypto/rand"
	"encoding/base64"

	"github.com/gofiber/fiber/v3"
)

// nonceKey is the c.Locals key of the request's CSP nonce.
type nonceKey struct{}

// Headers is the middleware in front of every page: it makes the request's
// CSP nonce and sets the security headers. Pages may hold a young person's
// answers, so nothing is cached.
func (p *Pages) Headers(c fiber.Ctx) error {
	setPageHeaders(c)
	return c.Next()
}

// setPageHeaders makes a nonce for the request, keeps it in c.Locals for
// the templates, and sets the headers every page carries.
func setPageHeaders(c fiber.Ctx) string {
	var b [18]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	// URL-safe base64 (which CSP's nonce grammar allows) has no "/", so a
	// nonce can never read as "//host" in a page: TestNoThirdPartyRequests
	// failed now and then on one that did.
	nonce := base64.RawURLEncoding.EncodeToString(b[:])
	c.Locals(nonceKey{}, nonce)
	// The page's script may send answers to the API (connect-src) and run
	// the service worker from /sw.js (worker-src); nothing else loads.
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; script-src 'self' 'nonce-"+nonce+"'; "+
		"style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; "+
		"form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return nonce
}

// Nonce returns the request's CSP nonce, made by Headers. A page rendered
// where Headers did not run (an error page for a request no route took,
// or one refused before routing for its size) gets its nonce and headers
// here, so that every page carries them. A script tag needs the nonce:
// <script type="module" nonce="...">.
func Nonce(c fiber.Ctx) string {
	if n, ok := c.Locals(nonceKey{}).(string); ok {
		return n
	}
	return setPageHeaders(c)
}
