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
	"sync"

	"github.com/gofiber/fiber/v3"
)

// Static files the layout links to.
const (
	cssFile  = "heard.css"
	iconFile = "heard.svg"
	// surveyScript is every young person's page's one script: it keeps
	// answers on the device, sends queued ones and registers the service
	// worker, and on the form page shows one question per screen. It
	// imports conditions.js, which is a module of its own because the
	// shared condition cases test it on its own.
	surveyScript     = "survey.js"
	conditionsScript = "conditions.js"
	// liveScript follows a MADE session on a phone, and presentScript on
	// the projector.
	liveScript    = "live.js"
	presentScript = "present.js"
	followScript  = "follow.js" // what both import: following a session's state
	// consoleScript keeps the facilitator's console up to date.
	consoleScript = "console.js"
)

// scriptFiles are the page's ES modules: survey.js, and what it imports by
// hashed name, rewritten when they are loaded (see loadAssets), so that
// every module can be cached for a year. They are few, because on a
// phone's first visit each is a request of its own.
var scriptFiles = []string{conditionsScript, surveyScript, followScript, liveScript, presentScript, consoleScript}

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

// surveyModules are the scripts a survey's pages load, which the service
// worker keeps so that a survey works offline. A live session's scripts
// are not kept: a session is live, and needs the network.
var surveyModules = []string{conditionsScript, surveyScript}

// Modules returns the hashed URLs of a survey's scripts, for the service
// worker to keep and for tests.
func (p *Pages) Modules() []string {
	out := make([]string, 0, len(surveyModules))
	for _, name := range surveyModules {
		out = append(out, p.AssetURL(name))
	}
	return out
}

// serviceWorker returns sw.js with what it must keep for a survey to work
// offline: the stylesheet and the modules, by their hashed URLs, and the
// help page in each language, made now, to show when there is no
// connection and no copy of it was kept (so that it need not be fetched
// when the worker is installed). Its version is the hash of all it was
// given, so that the browser installs a new worker whenever any of it
// changes.
func (p *Pages) makeServiceWorker(h HelpLine) ([]byte, error) {
	src, err := fs.ReadFile(files, "sw.js")
	if err != nil {
		return nil, fmt.Errorf("frontend: read sw.js: %w", err)
	}
	help, err := p.offlineHelp(h)
	if err != nil {
		return nil, err
	}
	fill := []struct {
		line  string
		value any
	}{
		{"const ASSETS = [];", append([]string{p.AssetURL(cssFile)}, p.Modules()...)},
		{"const HELP = {};", help},
		{"const LANGUAGES = [];", languages},
	}
	out := src
	sum := sha256.New()
	for _, f := range fill {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false) // it is script, not HTML: keep the pages' markup short
		if err := enc.Encode(f.value); err != nil {
			return nil, fmt.Errorf("frontend: fill in sw.js: %w", err)
		}
		value := bytes.TrimSpace(b.Bytes())
		if !bytes.Contains(out, []byte(f.line)) {
			return nil, fmt.Errorf("frontend: sw.js lacks the line %q to fill in", f.line)
		}
		name, _, _ := strings.Cut(f.line, " = ")
		out = bytes.Replace(out, []byte(f.line), []byte(name+" = "+string(value)+";"), 1)
		sum.Write(value)
	}
	versionLine := []byte("const VERSION = '';")
	if !bytes.Contains(out, versionLine) {
		return nil, fmt.Errorf("frontend: sw.js lacks the line %q to fill in", versionLine)
	}
	sum.Write(src)
	version := hex.EncodeToString(sum.Sum(nil))[:hashLength]
	return bytes.Replace(out, versionLine, []byte("const VERSION = '"+version+"';"), 1), nil
}

// offlineHelp renders the help page in each language, as the worker shows
// it with no connection: without a script (it has nothing to send), and
// with links that name their language, since the worker cannot tell which
// the browser would choose.
func (p *Pages) offlineHelp(h HelpLine) (map[string]string, error) {
	out := make(map[string]string, len(languages))
	for _, lang := range languages {
		l := p.locales[lang]
		pg := page{
			L: l, line: h, Council: h.CouncilName, From: councilOrYours(h, l),
			CSS: p.AssetURL(cssFile), Icon: p.icon, LangParam: lang, OnHelp: true,
		}
		if pg.Council == "" {
			pg.Council = "Heard"
		}
		for _, code := range languages {
			other := p.locales[code]
			pg.Languages = append(pg.Languages, langChoice{
				Lang: code, Dir: other.Dir, Name: other.T("lang.name"), Href: "/help?lang=" + code, Current: code == lang,
			})
		}
		v := helpPageView{page: pg, Help: help(h, l)}
		v.Title = l.T("help.title")
		var buf bytes.Buffer
		if err := p.pages.Execute(&buf, "help", v); err != nil {
			return nil, fmt.Errorf("frontend: render the offline help page: %w", err)
		}
		out[lang] = buf.String()
	}
	return out, nil
}

// ServiceWorker serves GET /sw.js: from the root, so that its scope is
// the whole site, and revalidated on every load (no-cache), so that a new
// version reaches phones at once.
func (p *Pages) ServiceWorker(c fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, contentTypes[".js"])
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	body, err := p.serviceWorkerFor(p.helpLine(c.Context()))
	if err != nil {
		return err
	}
	return c.Send(body)
}

// serviceWorker keeps the last sw.js made. It carries the help page, so a
// new help line saved in the workspace makes a new one, whose new version
// the phones then install.
type serviceWorker struct {
	mu   sync.Mutex
	line HelpLine
	body []byte
}

func (p *Pages) serviceWorkerFor(h HelpLine) ([]byte, error) {
	p.sw.mu.Lock()
	defer p.sw.mu.Unlock()
	if p.sw.body != nil && p.sw.line == h {
		return p.sw.body, nil
	}
	body, err := p.makeServiceWorker(h)
	if err != nil {
		return nil, err
	}
	p.sw.line, p.sw.body = h, body
	return body, nil
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
