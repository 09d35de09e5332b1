package api_test

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/heard-app/heard/api"
)

// The OpenAPI document as the tests read it: parsed once, with its schemas
// compiled by a JSON Schema 2020-12 validator as they are first needed.

// specURL is the document's base URL for the validator: any URL will do,
// as every $ref in it is local.
const specURL = "https://heard.invalid/openapi.json"

// httpMethods are the operations a path item may have, in OpenAPI's words.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// openAPISpec is the parsed document.
type openAPISpec struct {
	doc   map[string]any
	paths []*specPath // most literal first, so that a request takes the most specific
	mu    sync.Mutex  // guards compiler and compiled
	// compiler holds the whole document, so that a schema anywhere in it
	// can be compiled by its JSON pointer.
	compiler *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema
}

// specPath is one documented path and the pattern requests match it by.
type specPath struct {
	template string // "/api/v1/surveys/{slug}"
	pattern  *regexp.Regexp
	literal  int // characters outside parameters
	item     map[string]any
}

var (
	specOnce   sync.Once
	loadedSpec *openAPISpec
	specErr    error
)

// loadSpec returns the document the app serves, parsed.
func loadSpec(t testing.TB) *openAPISpec {
	t.Helper()
	specOnce.Do(func() { loadedSpec, specErr = parseSpec(api.OpenAPI()) })
	if specErr != nil {
		t.Fatalf("the OpenAPI document: %v", specErr)
	}
	return loadedSpec
}

func parseSpec(raw []byte) (*openAPISpec, error) {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("not a JSON object")
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(specURL, doc); err != nil {
		return nil, fmt.Errorf("add the document to the validator: %w", err)
	}
	s := &openAPISpec{doc: doc, compiler: c, compiled: map[string]*jsonschema.Schema{}}
	paths, _ := doc["paths"].(map[string]any)
	for template, item := range paths {
		m, _ := item.(map[string]any)
		s.paths = append(s.paths, newSpecPath(template, m))
	}
	sort.Slice(s.paths, func(i, j int) bool {
		if s.paths[i].literal != s.paths[j].literal {
			return s.paths[i].literal > s.paths[j].literal
		}
		return s.paths[i].template < s.paths[j].template
	})
	return s, nil
}

var templateParam = regexp.MustCompile(`\{[^{}/]+\}`)

func newSpecPath(template string, item map[string]any) *specPath {
	var re strings.Builder
	re.WriteString("^")
	last := 0
	for _, loc := range templateParam.FindAllStringIndex(template, -1) {
		re.WriteString(regexp.QuoteMeta(template[last:loc[0]]))
		re.WriteString(`([^/]+?)`)
		last = loc[1]
	}
	re.WriteString(regexp.QuoteMeta(template[last:]))
	re.WriteString("$")
	literal := len(templateParam.ReplaceAllString(template, ""))
	return &specPath{template: template, pattern: regexp.MustCompile(re.String()), literal: literal, item: item}
}

// params returns the names of a template's path parameters, in order.
func (p *specPath) params() []string {
	var names []string
	for _, m := range templateParam.FindAllString(p.template, -1) {
		names = append(names, strings.Trim(m, "{}"))
	}
	return names
}

// operation is one documented operation, found for a request.
type operation struct {
	path   *specPath
	method string // lower case, as in the document
	op     map[string]any
	ptr    string // JSON pointer of the operation
	values map[string]string
}

// find returns the operation for a method and a request path (without its
// query), or nil, and whether any documented path matched at all.
func (s *openAPISpec) find(method, path string) (*operation, bool) {
	method = strings.ToLower(method)
	matched := false
	for _, p := range s.paths {
		m := p.pattern.FindStringSubmatch(path)
		if m == nil {
			continue
		}
		matched = true
		op, ok := p.item[method].(map[string]any)
		if !ok {
			continue
		}
		values := map[string]string{}
		for i, name := range p.params() {
			values[name] = m[i+1]
		}
		return &operation{path: p, method: method, op: op, values: values,
			ptr: "#/paths/" + pointerEscape(p.template) + "/" + method}, true
	}
	return nil, matched
}

// operations lists every documented operation as "METHOD /path/{param}".
func (s *openAPISpec) operations() map[string]*operation {
	out := map[string]*operation{}
	for _, p := range s.paths {
		for _, m := range httpMethods {
			if op, ok := p.item[m].(map[string]any); ok {
				out[strings.ToUpper(m)+" "+p.template] = &operation{path: p, method: m, op: op,
					ptr: "#/paths/" + pointerEscape(p.template) + "/" + m}
			}
		}
	}
	return out
}

// resolve follows a local $ref, if v is one, and returns the value and its
// JSON pointer.
func (s *openAPISpec) resolve(v any, ptr string) (any, string, error) {
	for range 10 {
		m, ok := v.(map[string]any)
		if !ok {
			return v, ptr, nil
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return v, ptr, nil
		}
		target, err := s.lookup(ref)
		if err != nil {
			return nil, "", err
		}
		v, ptr = target, ref
	}
	return nil, "", fmt.Errorf("%s: $ref goes round in a circle", ptr)
}

// lookup finds the value at a local reference, "#/a/b".
func (s *openAPISpec) lookup(ref string) (any, error) {
	if !strings.HasPrefix(ref, "#") {
		return nil, fmt.Errorf("$ref %q is not local to the document", ref)
	}
	var v any = s.doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#"), "/")[1:] {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		switch c := v.(type) {
		case map[string]any:
			next, ok := c[part]
			if !ok {
				return nil, fmt.Errorf("$ref %q: nothing at %q", ref, part)
			}
			v = next
		case []any:
			var i int
			if _, err := fmt.Sscan(part, &i); err != nil || i < 0 || i >= len(c) {
				return nil, fmt.Errorf("$ref %q: no item %q", ref, part)
			}
			v = c[i]
		default:
			return nil, fmt.Errorf("$ref %q: %q is inside a value", ref, part)
		}
	}
	return v, nil
}

// schema compiles the schema at a JSON pointer of the document, once.
func (s *openAPISpec) schema(ptr string) (*jsonschema.Schema, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sch, ok := s.compiled[ptr]; ok {
		return sch, nil
	}
	sch, err := s.compiler.Compile(specURL + ptr)
	if err != nil {
		return nil, fmt.Errorf("compile the schema at %s: %w", ptr, err)
	}
	s.compiled[ptr] = sch
	return sch, nil
}

// validate checks a JSON value (as jsonschema.UnmarshalJSON reads it)
// against the schema at ptr.
func (s *openAPISpec) validate(ptr string, v any) error {
	sch, err := s.schema(ptr)
	if err != nil {
		return err
	}
	return sch.Validate(v)
}

// pointerEscape escapes one JSON pointer token.
func pointerEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// fiberPath writes a documented path in Fiber's syntax, as the route
// table and auth_test.go's tables have it.
func fiberPath(template string) string {
	return templateParam.ReplaceAllStringFunc(template, func(m string) string { return ":" + strings.Trim(m, "{}") })
}
