package api_test

import (
	"bytes"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Every request the API tests make through harness.do is checked against
// the OpenAPI document here: the answer's status must be documented for
// its operation, with its required headers and a body of the documented
// type and schema; and a request the API accepted (2xx) must itself be one
// the document describes, body and parameters. So the document cannot
// drift from what the handlers do without a test failing.

// conform checks one exchange with the API, and reports what does not
// match the document as an error of the harness's test.
func (h *harness) conform(r request, ctype string, sent []byte, res response) {
	h.t.Helper()
	u, err := url.Parse(r.path)
	if err != nil || !documentedPath(u.Path) {
		return
	}
	if v, ok := r.headers["Content-Type"]; ok {
		ctype = v
	}
	for _, problem := range checkExchange(loadSpec(h.t), r.method, u, ctype, sent, res) {
		h.t.Errorf("OpenAPI: %s %s answered %d: %s", r.method, u.Path, res.status, problem)
	}
}

// documentedPath reports whether the document must describe path: the
// JSON API and the health checks.
func documentedPath(path string) bool {
	return strings.HasPrefix(path, "/api/v1/") || path == "/healthz" || path == "/readyz"
}

// exercised counts the documented answers the tests have seen, by
// "METHOD /path status", for TestOpenAPIAnswersSeen's log.
var exercised sync.Map

// checkExchange returns what does not match the document in one exchange.
func checkExchange(spec *openAPISpec, method string, u *url.URL, ctype string, sent []byte, res response) []string {
	lookupMethod := method
	if method == http.MethodHead {
		lookupMethod = http.MethodGet // Fiber answers HEAD for every GET
	}
	op, pathKnown := spec.find(lookupMethod, u.Path)
	if op == nil {
		// No such operation: the router's own refusal, in the API's error
		// shape, is all that may come back.
		if res.status == http.StatusNotFound || (pathKnown && res.status == http.StatusMethodNotAllowed) {
			return checkJSON(spec, "#/components/schemas/Error", res.body)
		}
		return []string{"no operation in the document for this method and path"}
	}
	status := strconv.Itoa(res.status)
	responses, _ := op.op["responses"].(map[string]any)
	raw, ok := responses[status]
	if !ok {
		return []string{fmt.Sprintf("status %s is not documented for %s %s", status, strings.ToUpper(op.method), op.path.template)}
	}
	exercised.Store(strings.ToUpper(op.method)+" "+op.path.template+" "+status, true)
	doc, ptr, err := spec.resolve(raw, op.ptr+"/responses/"+status)
	if err != nil {
		return []string{err.Error()}
	}
	resp, _ := doc.(map[string]any)
	problems := checkHeaders(spec, resp, ptr, res.headers)
	if method != http.MethodHead {
		problems = append(problems, checkBody(spec, resp, ptr, res)...)
	}
	if res.status >= 200 && res.status < 300 {
		problems = append(problems, checkRequest(spec, op, u, ctype, sent)...)
	}
	return problems
}

// checkHeaders requires each header the document marks required, with a
// value its schema allows.
func checkHeaders(spec *openAPISpec, resp map[string]any, ptr string, got http.Header) []string {
	headers, _ := resp["headers"].(map[string]any)
	var problems []string
	for name, raw := range headers {
		h, hptr, err := spec.resolve(raw, ptr+"/headers/"+pointerEscape(name))
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		hm, _ := h.(map[string]any)
		value := got.Get(name)
		if value == "" {
			if hm["required"] == true {
				problems = append(problems, "no "+name+" header")
			}
			continue
		}
		if _, ok := hm["schema"]; ok {
			if err := spec.validate(hptr+"/schema", value); err != nil {
				problems = append(problems, fmt.Sprintf("header %s %q: %v", name, value, err))
			}
		}
	}
	return problems
}

// checkBody requires the body to be of a documented media type and, for
// JSON, to match its schema. A response documented without content has
// no body.
func checkBody(spec *openAPISpec, resp map[string]any, ptr string, res response) []string {
	content, _ := resp["content"].(map[string]any)
	if len(content) == 0 {
		if len(res.body) > 0 {
			return []string{fmt.Sprintf("a body, where the document has none: %.200s", res.body)}
		}
		return nil
	}
	media, _, err := mime.ParseMediaType(res.headers.Get("Content-Type"))
	if err != nil {
		return []string{fmt.Sprintf("Content-Type %q: %v", res.headers.Get("Content-Type"), err)}
	}
	if _, ok := content[media]; !ok {
		return []string{fmt.Sprintf("Content-Type %s is not documented (%s)", media, strings.Join(slices.Sorted(maps.Keys(content)), ", "))}
	}
	schemaPtr := ptr + "/content/" + pointerEscape(media) + "/schema"
	switch {
	case media == "application/json":
		return checkJSON(spec, schemaPtr, res.body)
	case media == "application/pdf" && !bytes.HasPrefix(res.body, []byte("%PDF-")):
		return []string{"the body is not a PDF"}
	}
	return nil
}

// checkJSON validates a JSON text against the schema at ptr.
func checkJSON(spec *openAPISpec, ptr string, body []byte) []string {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return []string{fmt.Sprintf("the body is not JSON: %v: %.200s", err, body)}
	}
	if err := spec.validate(ptr, v); err != nil {
		return []string{fmt.Sprintf("the body does not match %s: %v\nbody: %.2000s", ptr, err, body)}
	}
	return nil
}

// checkRequest requires a request the API accepted to be one the document
// describes: its path and query parameters, and its JSON body.
func checkRequest(spec *openAPISpec, op *operation, u *url.URL, ctype string, sent []byte) []string {
	params, problems := operationParams(spec, op)
	for name, value := range op.values {
		p, ok := params["path "+name]
		if !ok {
			problems = append(problems, "path parameter "+name+" is not documented")
			continue
		}
		if v, err := url.PathUnescape(value); err == nil {
			value = v
		}
		if err := spec.validate(p+"/schema", value); err != nil {
			problems = append(problems, fmt.Sprintf("path parameter %s %q: %v", name, value, err))
		}
	}
	for name, values := range u.Query() {
		p, ok := params["query "+name]
		if !ok {
			problems = append(problems, "query parameter "+name+" is not documented")
			continue
		}
		for _, value := range values {
			if err := spec.validate(p+"/schema", value); err != nil {
				problems = append(problems, fmt.Sprintf("query parameter %s %q: %v", name, value, err))
			}
		}
	}
	return append(problems, checkRequestBody(spec, op, ctype, sent)...)
}

// operationParams returns the JSON pointer of each parameter of an
// operation and of its path, by "in name".
func operationParams(spec *openAPISpec, op *operation) (map[string]string, []string) {
	out := map[string]string{}
	var problems []string
	pathPtr := "#/paths/" + pointerEscape(op.path.template)
	for _, at := range []struct {
		list []any
		ptr  string
	}{{listOf(op.path.item["parameters"]), pathPtr + "/parameters"}, {listOf(op.op["parameters"]), op.ptr + "/parameters"}} {
		for i, raw := range at.list {
			v, ptr, err := spec.resolve(raw, at.ptr+"/"+strconv.Itoa(i))
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			p, _ := v.(map[string]any)
			in, _ := p["in"].(string)
			name, _ := p["name"].(string)
			out[in+" "+name] = ptr
		}
	}
	return out, problems
}

// checkRequestBody validates a JSON body the API accepted against the
// documented request body.
func checkRequestBody(spec *openAPISpec, op *operation, ctype string, sent []byte) []string {
	raw, ok := op.op["requestBody"]
	if !ok {
		if len(sent) > 0 {
			return []string{"a body was accepted where the document has none"}
		}
		return nil
	}
	v, ptr, err := spec.resolve(raw, op.ptr+"/requestBody")
	if err != nil {
		return []string{err.Error()}
	}
	body, _ := v.(map[string]any)
	if len(sent) == 0 {
		if body["required"] == true {
			return []string{"accepted without the body the document requires"}
		}
		return nil
	}
	media, _, err := mime.ParseMediaType(ctype)
	if err != nil {
		return []string{fmt.Sprintf("accepted a body of Content-Type %q", ctype)}
	}
	content, _ := body["content"].(map[string]any)
	if _, ok := content[media]; !ok {
		return []string{fmt.Sprintf("accepted a body of Content-Type %s, which is not documented", media)}
	}
	if media != "application/json" {
		return nil
	}
	value, err := jsonschema.UnmarshalJSON(bytes.NewReader(sent))
	if err != nil {
		return []string{fmt.Sprintf("accepted a body that is not JSON: %.200s", sent)}
	}
	schemaPtr := ptr + "/content/" + pointerEscape(media) + "/schema"
	if err := spec.validate(schemaPtr, value); err != nil {
		return []string{fmt.Sprintf("accepted a request body that does not match %s: %v\nbody: %.2000s", schemaPtr, err, sent)}
	}
	return nil
}

func listOf(v any) []any {
	l, _ := v.([]any)
	return l
}

// reportOpenAPICoverage prints, when HEARD_OPENAPI_COVERAGE is set, the
// documented answers that no test has seen, so that a reader can tell
// which parts of the document the tests prove.
func reportOpenAPICoverage() {
	if os.Getenv("HEARD_OPENAPI_COVERAGE") == "" || loadedSpec == nil {
		return
	}
	var unseen []string
	seen := 0
	for key, op := range loadedSpec.operations() {
		responses, _ := op.op["responses"].(map[string]any)
		for status := range responses {
			if _, ok := exercised.Load(key + " " + status); ok {
				seen++
			} else {
				unseen = append(unseen, key+" "+status)
			}
		}
	}
	slices.Sort(unseen)
	fmt.Fprintf(os.Stderr, "OpenAPI coverage: the tests saw %d of %d documented answers; not seen:\n\t%s\n",
		seen, seen+len(unseen), strings.Join(unseen, "\n\t"))
}
