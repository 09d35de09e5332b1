// Package layout parses pages that share one layout template and renders
// them whole. The young person's pages and the staff workspace both use
// it, each with its own embedded templates.
package layout

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v3"
)

// Pages holds one parsed template per page, each made of the shared layout
// (a template named "layout") and the page's own file, which must define
// "content".
type Pages struct {
	name  string // the set's name, for errors ("frontend", "staff")
	pages map[string]*template.Template
}

// Parse reads every file matching glob in fsys as a page, with layoutFile
// parsed under each. A page is named by its file name without the folder
// and the ".html". It fails when a file does not parse or defines no
// "content", so that a broken build never starts serving.
func Parse(name string, fsys fs.FS, layoutFile, glob string, funcs template.FuncMap) (*Pages, error) {
	base, err := template.New(path.Base(layoutFile)).Funcs(funcs).ParseFS(fsys, layoutFile)
	if err != nil {
		return nil, fmt.Errorf("%s: parse layout: %w", name, err)
	}
	files, err := fs.Glob(fsys, glob)
	if err != nil {
		return nil, fmt.Errorf("%s: list templates: %w", name, err)
	}
	p := &Pages{name: name, pages: make(map[string]*template.Template, len(files))}
	for _, file := range files {
		if file == layoutFile {
			continue
		}
		page := strings.TrimSuffix(path.Base(file), ".html")
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("%s: clone layout for %s: %w", name, page, err)
		}
		if _, err := t.ParseFS(fsys, file); err != nil {
			return nil, fmt.Errorf("%s: parse %s: %w", name, file, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("%s: %s defines no \"content\"", name, file)
		}
		p.pages[page] = t
	}
	return p, nil
}

// Names lists the pages, sorted.
func (p *Pages) Names() []string {
	names := make([]string, 0, len(p.pages))
	for n := range p.pages {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Execute writes a page, in its layout, to w.
func (p *Pages) Execute(w io.Writer, page string, view any) error {
	t, ok := p.pages[page]
	if !ok {
		return fmt.Errorf("%s: no page template %q", p.name, page)
	}
	if err := t.ExecuteTemplate(w, "layout", view); err != nil {
		return fmt.Errorf("%s: render %s page: %w", p.name, page, err)
	}
	return nil
}

// Render executes a page into a buffer first, so that a failing template
// sends nothing half-made, then sends it as HTML with the status.
func (p *Pages) Render(c fiber.Ctx, status int, page string, view any) error {
	var buf bytes.Buffer
	if err := p.Execute(&buf, page, view); err != nil {
		return err
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(buf.Bytes())
}

// ExecutePart writes one named template of a page, not in its layout: a
// part of the page that a script puts in place of the one it shows.
func (p *Pages) ExecutePart(w io.Writer, page, part string, view any) error {
	t, ok := p.pages[page]
	if !ok {
		return fmt.Errorf("%s: no page template %q", p.name, page)
	}
	if err := t.ExecuteTemplate(w, part, view); err != nil {
		return fmt.Errorf("%s: render %s of the %s page: %w", p.name, part, page, err)
	}
	return nil
}
