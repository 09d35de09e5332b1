package layout_test

import (
	"html/template"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/frontend/layout"
)

const layoutHTML = `{{define "layout"}}<main>{{template "content" .}}</main>{{end}}`

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		files   fstest.MapFS
		wantErr string
		pages   []string
	}{
		{"pages share the layout", fstest.MapFS{
			"t/layout.html": {Data: []byte(layoutHTML)},
			"t/home.html":   {Data: []byte(`{{define "content"}}home{{end}}`)},
			"t/error.html":  {Data: []byte(`{{define "content"}}error{{end}}`)},
		}, "", []string{"error", "home"}},
		{"a page without content", fstest.MapFS{
			"t/layout.html": {Data: []byte(layoutHTML)},
			"t/bare.html":   {Data: []byte(`just text`)},
		}, `t/bare.html defines no "content"`, nil},
		{"a page that does not parse", fstest.MapFS{
			"t/layout.html": {Data: []byte(layoutHTML)},
			"t/bad.html":    {Data: []byte(`{{define "content"}}{{.Broken}`)},
		}, "parse t/bad.html", nil},
		{"no layout", fstest.MapFS{
			"t/home.html": {Data: []byte(`{{define "content"}}home{{end}}`)},
		}, "parse layout", nil},
		{"an unknown function", fstest.MapFS{
			"t/layout.html": {Data: []byte(layoutHTML)},
			"t/home.html":   {Data: []byte(`{{define "content"}}{{shout "x"}}{{end}}`)},
		}, "parse t/home.html", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := layout.Parse("test", tt.files, "t/layout.html", "t/*.html", nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(p.Names(), ","); got != strings.Join(tt.pages, ",") {
				t.Errorf("pages = %s, want %s", got, strings.Join(tt.pages, ","))
			}
		})
	}
}

func TestRender(t *testing.T) {
	t.Parallel()
	files := fstest.MapFS{
		"t/layout.html": {Data: []byte(layoutHTML)},
		"t/hello.html":  {Data: []byte(`{{define "content"}}{{shout .Name}}{{end}}`)},
		"t/fails.html":  {Data: []byte(`{{define "content"}}before {{.Missing.Field}}{{end}}`)},
	}
	funcs := template.FuncMap{"shout": strings.ToUpper}
	p, err := layout.Parse("test", files, "t/layout.html", "t/*.html", funcs)
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New()
	app.Get("/:page", func(c fiber.Ctx) error {
		return p.Render(c, fiber.StatusTeapot, c.Params("page"), struct{ Name string }{"<ok>"})
	})
	tests := []struct {
		page       string
		wantStatus int
		wantBody   string
	}{
		{"hello", fiber.StatusTeapot, "<main>&lt;OK&gt;</main>"},
		// A template that fails halfway sends none of its half-made page.
		{"fails", fiber.StatusInternalServerError, "test: render fails page"},
		{"nowhere", fiber.StatusInternalServerError, `test: no page template "nowhere"`},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			t.Parallel()
			resp, err := app.Test(httptest.NewRequest("GET", "/"+tt.page, nil))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantStatus || !strings.Contains(string(body), tt.wantBody) {
				t.Errorf("GET /%s = %d %q, want %d containing %q", tt.page, resp.StatusCode, body, tt.wantStatus, tt.wantBody)
			}
			if strings.Contains(string(body), "before") {
				t.Errorf("a half-made page was sent: %q", body)
			}
			if tt.wantStatus == fiber.StatusTeapot && resp.Header.Get("Content-Type") != fiber.MIMETextHTMLCharsetUTF8 {
				t.Errorf("Content-Type = %q", resp.Header.Get("Content-Type"))
			}
		})
	}
}
