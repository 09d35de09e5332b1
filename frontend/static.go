package frontend

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v3"
)

// Static files the layout links to.
const (
	cssFile  = "heard.css"
	iconFile = "heard.svg"
	// storeScript keeps answers on the device and sends queued ones; every
	// young person's page loads it. surveyScript is the one-question flow
	// of the form page, which imports the other three.
	storeScript  = "store.js"
	surveyScript = "survey.js"
)

// scriptFiles are the page's ES modules. Each imports the others by their
// hashed names, rewritten when they are loaded (see loadAssets), so that
// every module can be cached for a year.
var scriptFiles = []string{"conditions.js", "speech.js", storeScript, surveyScript}

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

// moduleImport matches a relative import of one module by another, such
// as from './conditions.js'.
var moduleImport = regexp.MustCompile(`from '\./([a-z]+\.js)'`)

// loadAssets reads every file under static/ and names it by its content:
// "heard.css" becomes "heard.3f2a9c1b04de.css". A module's imports of
// other modules are rewritten to their hashed names first, so that a
// module's hash changes when any module it imports does.
func (p *Pages) loadAssets() error {
	p.assets = map[string]asset{}
	p.urls = map[string]string{}
	entries, err := fs.ReadDir(files, "static")
	if err != nil {
		return fmt.Errorf("frontend: list static files: %w", err)
	}
	bodies := map[string][]byte{}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			return fmt.Errorf("frontend: static/%s is a folder; static files are kept flat", e.Name())
		}
		name := e.Name()
		if _, ok := contentTypes[path.Ext(name)]; !ok {
			return fmt.Errorf("frontend: static/%s: no content type for %q files", name, path.Ext(name))
		}
		if bodies[name], err = fs.ReadFile(files, "static/"+name); err != nil {
			return fmt.Errorf("frontend: read static/%s: %w", name, err)
		}
		names = append(names, name)
	}
	// Modules are hashed after the modules they import. The imports form
	// no cycle; a pass that hashes nothing means one does.
	for len(names) > 0 {
		var waiting []string
		for _, name := range names {
			body, ready := p.linkImports(bodies[name])
			if !ready {
				waiting = append(waiting, name)
				continue
			}
			ext := path.Ext(name)
			sum := sha256.Sum256(body)
			hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:hashLength] + ext
			p.assets[hashed] = asset{body: body, contentType: contentTypes[ext]}
			p.urls[name] = "/static/" + hashed
		}
		if len(waiting) == len(names) {
			return fmt.Errorf("frontend: static modules %v import each other in a cycle, or a module that is not there", waiting)
		}
		names = waiting
	}
	return nil
}

// linkImports rewrites a module's imports to the hashed names of the
// modules it imports; ready is false while one of them has no hash yet.
func (p *Pages) linkImports(body []byte) (linked []byte, ready bool) {
	ready = true
	linked = moduleImport.ReplaceAllFunc(body, func(m []byte) []byte {
		u, ok := p.urls[string(moduleImport.FindSubmatch(m)[1])]
		if !ok {
			ready = false
			return m
		}
		return []byte("from '" + u + "'")
	})
	return linked, ready
}

// Modules returns the hashed URLs of the page's scripts, for the service
// worker to keep and for tests.
func (p *Pages) Modules() []string {
	out := make([]string, 0, len(scriptFiles))
	for _, name := range scriptFiles {
		out = append(out, p.AssetURL(name))
	}
	return out
}

// serviceWorker returns sw.js with what it must keep for a survey to work
// offline: the stylesheet and the modules, by their hashed URLs. Its
// version is their hash, so that the browser installs a new worker
// whenever any of them changes.
func (p *Pages) serviceWorker() ([]byte, error) {
	src, err := fs.ReadFile(files, "sw.js")
	if err != nil {
		return nil, fmt.Errorf("frontend: read sw.js: %w", err)
	}
	assets := append([]string{p.AssetURL(cssFile)}, p.Modules()...)
	list, err := json.Marshal(assets)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(list)
	assetsLine, versionLine := []byte("const ASSETS = [];"), []byte("const VERSION = '';")
	if !bytes.Contains(src, assetsLine) || !bytes.Contains(src, versionLine) {
		return nil, fmt.Errorf("frontend: sw.js lacks the line %q or %q to fill in", assetsLine, versionLine)
	}
	out := bytes.Replace(src, assetsLine, []byte("const ASSETS = "+string(list)+";"), 1)
	return bytes.Replace(out, versionLine, []byte("const VERSION = '"+hex.EncodeToString(sum[:])[:hashLength]+"';"), 1), nil
}

// ServiceWorker serves GET /sw.js: from the root, so that its scope is
// the whole site, and revalidated on every load (no-cache), so that a new
// version reaches phones at once.
func (p *Pages) ServiceWorker(c fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, contentTypes[".js"])
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(p.sw)
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
