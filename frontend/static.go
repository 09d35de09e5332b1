package frontend

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/gofiber/fiber/v3"
)

// Static files the layout links to.
const (
	cssFile  = "heard.css"
	iconFile = "heard.svg"
)

// hashLength is how many hex digits of a file's SHA-256 its URL carries.
const hashLength = 12

// contentTypes are the kinds of static file Heard serves. A file of any
// other kind makes New fail, so that nothing is served with a guessed type.
var contentTypes = map[string]string{
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
}

type asset struct {
	body        []byte
	contentType string
}

// loadAssets reads every file under static/ and names it by its content:
// "heard.css" becomes "heard.3f2a9c1b04de.css".
func (p *Pages) loadAssets() error {
	p.assets = map[string]asset{}
	p.urls = map[string]string{}
	entries, err := fs.ReadDir(files, "static")
	if err != nil {
		return fmt.Errorf("frontend: list static files: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			return fmt.Errorf("frontend: static/%s is a folder; static files are kept flat", e.Name())
		}
		name := e.Name()
		ext := path.Ext(name)
		ct, ok := contentTypes[ext]
		if !ok {
			return fmt.Errorf("frontend: static/%s: no content type for %q files", name, ext)
		}
		body, err := fs.ReadFile(files, "static/"+name)
		if err != nil {
			return fmt.Errorf("frontend: read static/%s: %w", name, err)
		}
		sum := sha256.Sum256(body)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:hashLength] + ext
		p.assets[hashed] = asset{body: body, contentType: ct}
		p.urls[name] = "/static/" + hashed
	}
	return nil
}

// AssetURL returns the URL of the static file with the plain name, such as
// "/static/heard.3f2a9c1b04de.css" for "heard.css". The URL changes whenever
// the content does, so browsers may keep each for a year. An unknown name
// gives a URL that is not found.
func (p *Pages) AssetURL(name string) string {
	if u, ok := p.urls[name]; ok {
		return u
	}
	return "/static/" + name
}

// Static serves GET /static/:name: an embedded file under its hashed name,
// cached for a year. Any other name is not found.
func (p *Pages) Static(c fiber.Ctx) error {
	a, ok := p.assets[c.Params("name")]
	if !ok {
		return fiber.NewError(fiber.StatusNotFound, "There is no file with this name.")
	}
	c.Set(fiber.HeaderContentType, a.contentType)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(a.body)
}
