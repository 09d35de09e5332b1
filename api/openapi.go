package api

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"strings"

	"github.com/gofiber/fiber/v3"
)

// openAPIDocument is the OpenAPI 3.1 description of the JSON API, written
// by hand. docs/openapi.json is a copy, for people reading the source; a
// test keeps the two the same, and others keep the document true to the
// route table and to what the handlers answer.
//
//go:embed openapi.json
var openAPIDocument []byte

// openAPIETag names the document's content, so that a client can keep a
// copy and ask whether it is still current.
var openAPIETag = func() string {
	sum := sha256.Sum256(openAPIDocument)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}()

// openAPICache lets clients and proxies keep the document briefly: it
// changes only with a new release.
const openAPICache = "public, max-age=300"

// OpenAPI returns the OpenAPI 3.1 description of the API.
func OpenAPI() []byte { return append([]byte(nil), openAPIDocument...) }

// openAPI serves the description, and 304 to a client whose copy is
// current.
func (s *Server) openAPI(c fiber.Ctx) error {
	c.Set(fiber.HeaderETag, openAPIETag)
	c.Set(fiber.HeaderCacheControl, openAPICache)
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), openAPIETag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(openAPIDocument)
}

// etagMatches reports whether an If-None-Match header names etag, weakly
// or not, or is "*".
func etagMatches(header, etag string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}
