// Package templates holds the survey definitions Heard ships with: the
// annual survey of cared for children, the care leavers survey and a short
// school council survey. Each is a JSON definition file embedded in the
// binary, so that a council can start from them and copy them to make next
// year's edition.
package templates

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/heard-app/heard/surveys"
)

//go:embed files/*.json
var files embed.FS

const dir = "files"

// All parses and returns every template, sorted by slug. It fails if any
// file is not a valid definition or its slug differs from its file name.
func All() ([]*surveys.Definition, error) {
	entries, err := fs.ReadDir(files, dir)
	if err != nil {
		return nil, fmt.Errorf("list survey templates: %w", err)
	}
	var defs []*surveys.Definition
	for _, e := range entries {
		slug, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() {
			continue
		}
		d, err := Get(slug)
		if err != nil {
			return nil, err
		}
		defs = append(defs, d)
	}
	slices.SortFunc(defs, func(a, b *surveys.Definition) int { return strings.Compare(a.Slug, b.Slug) })
	return defs, nil
}

// Get parses the template with the given slug. Each call returns a fresh
// copy, which the caller may change. An unknown slug is ENOTFOUND.
func Get(slug string) (*surveys.Definition, error) {
	data, err := Raw(slug)
	if err != nil {
		return nil, err
	}
	d, err := surveys.ParseDefinition(data)
	if err != nil {
		return nil, fmt.Errorf("parse survey template %q: %w", slug, err)
	}
	if d.Slug != slug {
		return nil, fmt.Errorf("survey template %q: the file's slug is %q", slug, d.Slug)
	}
	return d, nil
}

// Raw returns the definition file of the template with the given slug, as
// it was written. An unknown slug is ENOTFOUND.
func Raw(slug string) ([]byte, error) {
	name := path.Join(dir, slug+".json")
	if slug == "" || strings.ContainsAny(slug, "/\\") || !fs.ValidPath(name) {
		return nil, notFound(slug)
	}
	data, err := fs.ReadFile(files, name)
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrInvalid):
		return nil, notFound(slug)
	case err != nil:
		return nil, fmt.Errorf("read survey template %q: %w", slug, err)
	}
	return data, nil
}

func notFound(slug string) error {
	return surveys.Errorf(surveys.ENOTFOUND, "There is no survey template called %q.", slug)
}
