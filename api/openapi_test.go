package api_test

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/heard-app/heard/api"
	"github.com/heard-app/heard/surveys"
)

// docsCopy is the copy of the document for people reading the source.
const docsCopy = "../docs/openapi.json"

func TestOpenAPICopyInDocsIsCurrent(t *testing.T) {
	t.Parallel()
	docs, err := os.ReadFile(docsCopy)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(docs, api.OpenAPI()) {
		t.Error("docs/openapi.json differs from api/openapi.json, which the app serves: after changing api/openapi.json, run\n\tcp api/openapi.json docs/openapi.json")
	}
}

func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const path = "/api/v1/openapi.json"
	first := h.do(request{method: "GET", path: path})
	etag := first.headers.Get("ETag")
	if first.status != 200 || !bytes.Equal(first.body, api.OpenAPI()) || etag == "" {
		t.Fatalf("GET %s signed out: %d, ETag %q, %d bytes; want 200 with the document and an ETag", path, first.status, etag, len(first.body))
	}
	if got := first.headers.Get("Content-Type"); !strings.HasPrefix(got, "application/json") {
		t.Errorf("Content-Type %q, want application/json", got)
	}
	if got := first.headers.Get("Cache-Control"); got != "public, max-age=300" {
		t.Errorf("Cache-Control %q, want public, max-age=300", got)
	}
	tests := []struct {
		name, ifNoneMatch string
		status            int
		body              bool
	}{
		{"no copy", "", 200, true},
		{"a current copy", etag, 304, false},
		{"a current copy, weakly", "W/" + etag, 304, false},
		{"one of several copies", `"old", ` + etag, 304, false},
		{"an old copy", `"0123456789abcdef"`, 200, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := map[string]string{}
			if tt.ifNoneMatch != "" {
				headers["If-None-Match"] = tt.ifNoneMatch
			}
			res := h.do(request{method: "GET", path: path, headers: headers})
			if res.status != tt.status || (len(res.body) > 0) != tt.body || res.headers.Get("ETag") != etag {
				t.Errorf("%d, %d bytes, ETag %q; want %d with body=%v and ETag %q", res.status, len(res.body), res.headers.Get("ETag"), tt.status, tt.body, etag)
			}
		})
	}
}

// TestOpenAPIDocumentIsSound checks the document's own structure: what a
// validator of OpenAPI would, for the parts Heard uses.
func TestOpenAPIDocumentIsSound(t *testing.T) {
	t.Parallel()
	spec := loadSpec(t)
	if spec.doc["openapi"] != "3.1.0" {
		t.Errorf("openapi is %v, want 3.1.0", spec.doc["openapi"])
	}
	info, _ := spec.doc["info"].(map[string]any)
	if info["title"] == nil || info["version"] == nil {
		t.Error("info needs a title and a version")
	}
	t.Run("every $ref resolves", func(t *testing.T) {
		walkRefs(spec.doc, "#", func(at, ref string) {
			if _, err := spec.lookup(ref); err != nil {
				t.Errorf("%s: %v", at, err)
			}
		})
	})
	t.Run("every schema compiles", func(t *testing.T) {
		schemas := components(spec, "schemas")
		for _, name := range slices.Sorted(maps.Keys(schemas)) {
			ptr := "#/components/schemas/" + name
			if _, err := spec.schema(ptr); err != nil {
				t.Error(err)
			}
			checkExamples(t, spec, ptr, schemas[name])
		}
	})
	t.Run("operations", func(t *testing.T) {
		checkOperations(t, spec)
	})
}

// components returns one kind of the document's components, by name.
func components(spec *openAPISpec, kind string) map[string]any {
	c, _ := spec.doc["components"].(map[string]any)
	m, _ := c[kind].(map[string]any)
	return m
}

// walkRefs calls f with every $ref in v and where it is.
func walkRefs(v any, at string, f func(at, ref string)) {
	switch c := v.(type) {
	case map[string]any:
		if ref, ok := c["$ref"].(string); ok {
			f(at, ref)
		}
		for k, x := range c {
			walkRefs(x, at+"/"+pointerEscape(k), f)
		}
	case []any:
		for i, x := range c {
			walkRefs(x, at+"/"+strconv.Itoa(i), f)
		}
	}
}

// checkExamples validates a schema's examples against it.
func checkExamples(t *testing.T, spec *openAPISpec, ptr string, schema any) {
	t.Helper()
	m, _ := schema.(map[string]any)
	for i, ex := range listOf(m["examples"]) {
		if err := spec.validate(ptr, ex); err != nil {
			t.Errorf("%s/examples/%d: %v", ptr, i, err)
		}
	}
}

var knownRoles = func() map[string]bool {
	out := map[string]bool{}
	for _, r := range surveys.Roles {
		out[string(r)] = true
	}
	return out
}()

func checkOperations(t *testing.T, spec *openAPISpec) {
	ids := map[string]string{}
	tags := map[string]bool{}
	for _, tag := range listOf(spec.doc["tags"]) {
		m, _ := tag.(map[string]any)
		tags[fmt.Sprint(m["name"])] = true
	}
	schemes := components(spec, "securitySchemes")
	ops := spec.operations()
	for _, key := range slices.Sorted(maps.Keys(ops)) {
		op := ops[key]
		id, _ := op.op["operationId"].(string)
		if id == "" {
			t.Errorf("%s has no operationId", key)
		} else if other, dup := ids[id]; dup {
			t.Errorf("%s and %s share the operationId %q", other, key, id)
		}
		ids[id] = key
		for _, tag := range listOf(op.op["tags"]) {
			if !tags[fmt.Sprint(tag)] {
				t.Errorf("%s: tag %v is not declared", key, tag)
			}
		}
		checkParameters(t, spec, key, op)
		checkSecurity(t, key, op, schemes)
		checkResponses(t, spec, key, op)
		if raw, ok := op.op["requestBody"]; ok {
			v, ptr, err := spec.resolve(raw, op.ptr+"/requestBody")
			if err != nil {
				t.Errorf("%s: %v", key, err)
				continue
			}
			checkContentSchemas(t, spec, key, ptr, v)
		}
	}
}

// checkParameters requires each {name} of the path to be a required path
// parameter, and each parameter's schema to compile.
func checkParameters(t *testing.T, spec *openAPISpec, key string, op *operation) {
	t.Helper()
	params, problems := operationParams(spec, op)
	for _, p := range problems {
		t.Errorf("%s: %s", key, p)
	}
	want := map[string]bool{}
	for _, name := range op.path.params() {
		want[name] = true
		ptr, ok := params["path "+name]
		if !ok {
			t.Errorf("%s: path parameter %s is not declared", key, name)
			continue
		}
		p, _ := spec.lookup(ptr)
		if pm, _ := p.(map[string]any); pm["required"] != true {
			t.Errorf("%s: path parameter %s must be required", key, name)
		}
	}
	for in, ptr := range params {
		if name, ok := strings.CutPrefix(in, "path "); ok && !want[name] {
			t.Errorf("%s: path parameter %s is not in the path", key, name)
		}
		if _, err := spec.schema(ptr + "/schema"); err != nil {
			t.Errorf("%s: %v", key, err)
		}
	}
}

// checkSecurity requires declared schemes, the roles of every operation
// that needs a session, and the CSRF token beside the session on changes.
func checkSecurity(t *testing.T, key string, op *operation, schemes map[string]any) {
	t.Helper()
	security, declared := op.op["security"]
	if !declared {
		t.Errorf("%s: say who may call it with security ([] for public)", key)
		return
	}
	needsSession := len(listOf(security)) > 0
	for _, req := range listOf(security) {
		m, _ := req.(map[string]any)
		if len(m) == 0 {
			needsSession = false // {} makes signing in optional
		}
		for name := range m {
			if _, ok := schemes[name]; !ok {
				t.Errorf("%s: security scheme %s is not declared", key, name)
			}
		}
		if _, session := m["session"]; session && op.method != "get" {
			if _, csrf := m["csrf"]; !csrf {
				t.Errorf("%s: a change with the session needs the csrf scheme too", key)
			}
		}
	}
	roles := listOf(op.op["x-roles"])
	if needsSession != (len(roles) > 0) {
		t.Errorf("%s: x-roles %v, but needs a session=%v", key, roles, needsSession)
	}
	for _, r := range roles {
		if !knownRoles[fmt.Sprint(r)] {
			t.Errorf("%s: x-roles names %v, which is not a role", key, r)
		}
	}
}

// checkResponses requires responses, each with a description, errors of
// the API in its Error shape, and every schema to compile.
func checkResponses(t *testing.T, spec *openAPISpec, key string, op *operation) {
	t.Helper()
	responses, _ := op.op["responses"].(map[string]any)
	if len(responses) == 0 {
		t.Errorf("%s has no responses", key)
	}
	for status, raw := range responses {
		code, err := strconv.Atoi(status)
		if err != nil || code < 100 || code > 599 {
			t.Errorf("%s: response %q is not a status", key, status)
		}
		v, ptr, err := spec.resolve(raw, op.ptr+"/responses/"+status)
		if err != nil {
			t.Errorf("%s %s: %v", key, status, err)
			continue
		}
		resp, _ := v.(map[string]any)
		if d, _ := resp["description"].(string); d == "" {
			t.Errorf("%s %s has no description", key, status)
		}
		checkContentSchemas(t, spec, key+" "+status, ptr, v)
		if code >= 400 && strings.HasPrefix(op.path.template, "/api/") {
			content, _ := resp["content"].(map[string]any)
			media, _ := content["application/json"].(map[string]any)
			schema, _ := media["schema"].(map[string]any)
			if schema["$ref"] != "#/components/schemas/Error" {
				t.Errorf("%s %s: an error of the API must have the Error schema", key, status)
			}
		}
	}
}

// checkContentSchemas compiles the schema of each media type of a request
// body or response, and checks its example.
func checkContentSchemas(t *testing.T, spec *openAPISpec, what, ptr string, v any) {
	t.Helper()
	m, _ := v.(map[string]any)
	content, _ := m["content"].(map[string]any)
	for media, raw := range content {
		mt, _ := raw.(map[string]any)
		schemaPtr := ptr + "/content/" + pointerEscape(media) + "/schema"
		if _, ok := mt["schema"]; !ok {
			t.Errorf("%s: %s has no schema", what, media)
			continue
		}
		if _, err := spec.schema(schemaPtr); err != nil {
			t.Errorf("%s: %v", what, err)
			continue
		}
		if ex, ok := mt["example"]; ok {
			if err := spec.validate(schemaPtr, ex); err != nil {
				t.Errorf("%s: the example of %s: %v", what, media, err)
			}
		}
	}
}

// TestOpenAPICoversEveryRoute compares the document with the route table,
// built with every optional part on, both ways.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	t.Parallel()
	h := newHarness(t) // requests to talk, exports of responses: all on
	spec := loadSpec(t)
	documented := map[string]bool{}
	for key := range spec.operations() {
		documented[key] = true
	}
	routed := map[string]bool{}
	for _, r := range h.srv.App().GetRoutes(true) {
		if !documentedPath(r.Path) || r.Method == http.MethodHead {
			continue // HEAD comes with every GET
		}
		key := r.Method + " " + openAPIPath(r.Path)
		routed[key] = true
		if !documented[key] {
			t.Errorf("%s %s is in the route table but not in api/openapi.json: describe it there (and copy it to docs/openapi.json)", r.Method, r.Path)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(documented)) {
		if !routed[key] {
			t.Errorf("%s is in api/openapi.json but not in the route table: remove it from the document", key)
		}
	}
}

var fiberParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// openAPIPath writes a Fiber route path in OpenAPI's syntax: :slug is
// {slug}.
func openAPIPath(path string) string { return fiberParam.ReplaceAllString(path, "{$1}") }

// TestOpenAPIRolesMatchTheRoleTables checks the document's x-roles
// against auth_test.go's staffRoutes and publicRoutes, which the role
// tests prove against the app.
func TestOpenAPIRolesMatchTheRoleTables(t *testing.T) {
	t.Parallel()
	spec := loadSpec(t)
	for key, op := range spec.operations() {
		method, path, _ := strings.Cut(key, " ")
		if !strings.HasPrefix(path, "/api/") {
			continue
		}
		route := method + " " + fiberPath(path)
		var roles []string
		for _, r := range listOf(op.op["x-roles"]) {
			roles = append(roles, fmt.Sprint(r))
		}
		sort.Strings(roles)
		want, staffOnly := staffRoutes[route]
		switch {
		case staffOnly:
			var names []string
			for _, r := range want {
				names = append(names, string(r))
			}
			sort.Strings(names)
			if !slices.Equal(roles, names) {
				t.Errorf("%s: x-roles %v, but auth_test.go's staffRoutes says %v", key, roles, names)
			}
		case publicRoutes[route]:
			if len(roles) > 0 {
				t.Errorf("%s: x-roles %v, but auth_test.go's publicRoutes says it is public", key, roles)
			}
		default:
			t.Errorf("%s is in neither staffRoutes nor publicRoutes of auth_test.go", route)
		}
	}
}

// TestOpenAPIValidatorRefusesWhatItShould makes sure the conformance check
// is not vacuous: answers that break the document are caught.
func TestOpenAPIValidatorRefusesWhatItShould(t *testing.T) {
	t.Parallel()
	spec := loadSpec(t)
	jsonHeaders := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name   string
		method string
		path   string
		res    response
		want   string
	}{
		{"an undocumented status", "GET", "/api/v1/surveys", response{status: 418, headers: jsonHeaders, body: []byte(`{"error":"x"}`)}, "not documented"},
		{"a body of the wrong shape", "GET", "/api/v1/surveys", response{status: 200, headers: jsonHeaders, body: []byte(`{"surveys":[{"slug":"Not A Key"}]}`)}, "does not match"},
		{"an error of the wrong shape", "GET", "/api/v1/me", response{status: 401, headers: jsonHeaders, body: []byte(`{"message":"x"}`)}, "does not match"},
		{"an undocumented content type", "GET", "/api/v1/surveys", response{status: 200, headers: http.Header{"Content-Type": {"text/plain"}}, body: []byte("x")}, "not documented"},
		{"a missing header", "POST", "/api/v1/auth/login", response{status: 429, headers: jsonHeaders, body: []byte(`{"error":"x"}`)}, "no Retry-After"},
		{"an undocumented path", "GET", "/api/v1/nothing-here", response{status: 200, headers: jsonHeaders, body: []byte(`{}`)}, "no operation"},
		{"a body where none is documented", "POST", "/api/v1/auth/logout", response{status: 204, headers: http.Header{"Set-Cookie": {"heard_session=; Max-Age=0"}}, body: []byte(`{}`)}, "a body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := mustURL(t, tt.path)
			problems := checkExchange(spec, tt.method, u, "", nil, tt.res)
			if !strings.Contains(strings.Join(problems, "\n"), tt.want) {
				t.Errorf("problems %q, want one saying %q", problems, tt.want)
			}
		})
	}
	t.Run("an accepted body the document refuses", func(t *testing.T) {
		res := response{status: 200, headers: jsonHeaders, body: []byte(`{"status":"ok"}`)}
		problems := checkExchange(spec, "POST", mustURL(t, "/api/v1/surveys/s/codes/check"), "application/json", []byte(`{"code":"x","extra":1}`), res)
		if !strings.Contains(strings.Join(problems, "\n"), "request body") {
			t.Errorf("problems %q, want one about the request body", problems)
		}
	})
	t.Run("formats are asserted", func(t *testing.T) {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(`{"email":"a","role":"admin","csrf_token":"t","expires":"yesterday"}`))
		if err != nil {
			t.Fatal(err)
		}
		if err := spec.validate("#/components/schemas/Me", v); err == nil {
			t.Error("an expiry that is not a date-time passed")
		}
	})
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestOpenAPIBodyErrors sends every operation that takes a JSON body what
// it refuses before reading it (malformed JSON, another content type, too
// much), so that each documented refusal is seen by the conformance check
// of harness.do, and an undocumented one fails.
func TestOpenAPIBodyErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	admin := h.signIn(surveys.RoleAdmin)
	// The bodies some routes limit below the app's own limit, which
	// Fiber's test helper cannot show (limits_test.go goes over a socket).
	limits := map[string]int{
		"POST /api/v1/surveys/{slug}/responses":   api.MaxResponseBytes,
		"POST /api/v1/surveys/{slug}/codes/check": api.MaxResponseBytes,
		"POST /api/v1/surveys/{slug}/contact":     api.MaxContactBytes,
		"POST /api/v1/themes/code":                api.MaxCodeRequestBytes,
		"POST /api/v1/actions":                    api.MaxActionBytes,
		"PUT /api/v1/actions/{id}":                api.MaxActionBytes,
	}
	spec := loadSpec(t)
	ops := spec.operations()
	for _, key := range slices.Sorted(maps.Keys(ops)) {
		op := ops[key]
		if _, ok := op.op["requestBody"]; !ok {
			continue
		}
		method, template, _ := strings.Cut(key, " ")
		path := strings.NewReplacer("{slug}", s.Slug, "{id}", "no-such-action").Replace(template)
		responses, _ := op.op["responses"].(map[string]any)
		t.Run(key, func(t *testing.T) {
			cases := []struct {
				name   string
				req    request
				status int
			}{
				{"malformed JSON", request{method: method, path: path, body: `{"a":`, ctype: "application/json", as: &admin}, 400},
				{"not JSON", request{method: method, path: path, body: `{}`, ctype: "text/plain", as: &admin}, 415},
			}
			if n, ok := limits[key]; ok {
				cases = append(cases, struct {
					name   string
					req    request
					status int
				}{"too large", request{method: method, path: path, body: `"` + strings.Repeat("x", n) + `"`, ctype: "application/json", as: &admin}, 413})
			}
			for _, c := range cases {
				_, documented := responses[strconv.Itoa(c.status)]
				res := h.do(c.req) // checked against the document by harness.do
				if documented && res.status != c.status {
					t.Errorf("%s: %d %s, want %d as documented", c.name, res.status, res.body, c.status)
				}
			}
		})
	}
}
