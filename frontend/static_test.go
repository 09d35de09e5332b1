package frontend_test

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/frontend"
)

// embeddedFiles are the files the binary must carry.
var embeddedFiles = []string{
	"templates/layout.html",
	"templates/home.html",
	"templates/help.html",
	"templates/survey.html",
	"templates/form.html",
	"templates/thanks.html",
	"templates/error.html",
	"templates/contact.html",
	"static/heard.css",
	"static/heard.svg",
	"static/conditions.js",
	"static/survey.js",
	"i18n/en.json",
	"i18n/pl.json",
	"i18n/ar.json",
	"sw.js",
}

func TestEmbeddedFilesOpen(t *testing.T) {
	t.Parallel()
	files := frontend.Embedded()
	for _, name := range embeddedFiles {
		b, err := fs.ReadFile(files, name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(b) == 0 {
			t.Errorf("%s is empty", name)
		}
	}
	// Every file in the source folders is embedded too, so that nothing
	// added is silently left out of the binary.
	for _, dir := range []string{"templates", "static", "i18n"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			want, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			got, err := fs.ReadFile(files, filepath.ToSlash(path))
			if err != nil {
				t.Errorf("%s is in the source but not embedded: %v", path, err)
			} else if string(got) != string(want) {
				t.Errorf("%s: embedded content differs from the source", path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestStatic(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	tests := []struct {
		name        string
		contentType string
	}{
		{"heard.css", "text/css; charset=utf-8"},
		{"heard.svg", "image/svg+xml"},
		{"conditions.js", "text/javascript; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := e.pages.AssetURL(tt.name)
			ext := regexp.QuoteMeta(filepath.Ext(tt.name))
			base := regexp.QuoteMeta(tt.name[:len(tt.name)-len(filepath.Ext(tt.name))])
			if !regexp.MustCompile(`^/static/` + base + `\.[0-9a-f]{8,}` + ext + `$`).MatchString(u) {
				t.Fatalf("AssetURL(%q) = %q, want a content-hashed name", tt.name, u)
			}
			r := e.get(t, u)
			if r.status != http.StatusOK {
				t.Fatalf("GET %s: status %d", u, r.status)
			}
			if got := r.header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control %q", got)
			}
			if got := r.header.Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type %q, want %q", got, tt.contentType)
			}
			want, err := fs.ReadFile(frontend.Embedded(), "static/"+tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if r.body != string(want) {
				t.Error("served content differs from the embedded file")
			}
		})
	}
	for _, path := range []string{"/static/heard.css", "/static/heard.0000000000.css", "/static/nothing.js"} {
		if r := e.get(t, path); r.status != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, r.status)
		}
	}
	// Every page links to the stylesheet under its hashed name.
	doc := parse(t, e.get(t, "/"))
	link := first(doc, func(n *html.Node) bool { return n.Data == "link" && attr(n, "rel") == "stylesheet" })
	if link == nil || attr(link, "href") != e.pages.AssetURL("heard.css") {
		t.Errorf("the page's stylesheet is not %s", e.pages.AssetURL("heard.css"))
	}
}
