package api_test

import (
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// validAnswers answers the fixture's 11-18 version.
func validAnswers() map[string]any {
	return map[string]any{"area": "north", "feel_safe": "sometimes", "why_unsafe": []string{"online"},
		"happy": 7, "talk_to": "yes", "talk_who": "my carer", "better": "more trips out"}
}

func submission(id int, answers map[string]any) map[string]any {
	return map[string]any{"id": uuid(id), "version": "11-18", "lang": "en", "answers": answers}
}

func TestSubmitResponse(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	path := "/api/v1/surveys/" + s.Slug + "/responses"

	first := h.do(request{method: "POST", path: path, json: submission(1, validAnswers())})
	if first.status != 201 {
		t.Fatalf("first submission: %d %s", first.status, first.body)
	}
	if !strings.Contains(string(first.body), `"status":"stored"`) {
		t.Errorf("first submission body %s", first.body)
	}
	retry := h.do(request{method: "POST", path: path, json: submission(1, validAnswers())})
	if retry.status != 200 || !strings.Contains(string(retry.body), `"already_stored"`) {
		t.Errorf("retry: %d %s, want 200 already_stored", retry.status, retry.body)
	}
	other := validAnswers()
	other["happy"] = 2
	if res := h.do(request{method: "POST", path: path, json: submission(1, other)}); res.status != 409 {
		t.Errorf("same id, other answers: %d %s, want 409", res.status, res.body)
	}
	if n := h.countResponses(s); n != 1 {
		t.Errorf("counted %d responses, want 1", n)
	}
}

func TestSubmitResponseRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	draft, _ := h.catalog.Create(t.Context(), withSlug(t, "test-draft"))
	closed := withSlug(t, "test-closed")
	if _, err := h.catalog.Create(t.Context(), closed); err != nil {
		t.Fatal(err)
	}
	for _, st := range []surveys.Status{surveys.StatusOpen, surveys.StatusClosed} {
		if _, err := h.catalog.SetStatus(t.Context(), closed.Slug, st); err != nil {
			t.Fatal(err)
		}
	}
	path := "/api/v1/surveys/" + s.Slug + "/responses"
	hidden := validAnswers()
	hidden["talk_to"] = "no" // talk_who is then hidden, but answered
	tooLong := validAnswers()
	tooLong["better"] = strings.Repeat("é", 201)
	missing := validAnswers()
	delete(missing, "talk_to")
	delete(missing, "talk_who")

	cases := []struct {
		name       string
		req        request
		status     int
		wantFields map[string]string // a fragment of each field's message
	}{
		{"malformed JSON", request{method: "POST", path: path, body: `{"id": `, ctype: "application/json"}, 400, nil},
		{"not JSON", request{method: "POST", path: path, body: "id=1", ctype: "application/x-www-form-urlencoded"}, 415, nil},
		{"unknown field", request{method: "POST", path: path, body: `{"id":"` + uuid(2) + `","version":"11-18","answers":{},"ip":"x"}`, ctype: "application/json"}, 400, nil},
		{"body over 64 KiB", request{method: "POST", path: path, json: submission(3, map[string]any{"better": strings.Repeat("a", 70<<10)})}, 413, nil},
		{"unknown survey", request{method: "POST", path: "/api/v1/surveys/no-such/responses", json: submission(4, validAnswers())}, 404, nil},
		{"unknown version", request{method: "POST", path: path, json: map[string]any{"id": uuid(5), "version": "99-100", "answers": validAnswers()}}, 404, nil},
		{"draft survey", request{method: "POST", path: "/api/v1/surveys/" + draft.Slug + "/responses", json: submission(6, validAnswers())}, 409, nil},
		{"closed survey", request{method: "POST", path: "/api/v1/surveys/" + closed.Slug + "/responses", json: submission(7, validAnswers())}, 409, nil},
		{"id not a UUID", request{method: "POST", path: path, json: map[string]any{"id": "123", "version": "11-18", "answers": validAnswers()}}, 422,
			map[string]string{"id": "UUID"}},
		{"answers missing", request{method: "POST", path: path, json: map[string]any{"id": uuid(8), "version": "11-18"}}, 422,
			map[string]string{"answers": "required"}},
		{"unknown question", request{method: "POST", path: path, json: submission(9, map[string]any{"talk_to": "yes", "shoe_size": 5})}, 422,
			map[string]string{"shoe_size": "not part of this survey"}},
		{"unknown choice", request{method: "POST", path: path, json: submission(10, map[string]any{"talk_to": "maybe"})}, 422,
			map[string]string{"talk_to": "choose one"}},
		{"wrong shape", request{method: "POST", path: path, json: submission(11, map[string]any{"talk_to": "yes", "why_unsafe": "online"})}, 422,
			map[string]string{"why_unsafe": "choose from"}},
		{"rating out of range", request{method: "POST", path: path, json: submission(12, map[string]any{"talk_to": "yes", "happy": 11})}, 422,
			map[string]string{"happy": "from 0 to 10"}},
		{"text too long", request{method: "POST", path: path, json: submission(13, tooLong)}, 422,
			map[string]string{"better": "201 characters"}},
		{"required question missing", request{method: "POST", path: path, json: submission(14, missing)}, 422,
			map[string]string{"talk_to": "Please answer"}},
		{"hidden question answered", request{method: "POST", path: path, json: submission(15, hidden)}, 422,
			map[string]string{"talk_who": "only for people"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.do(tc.req)
			if res.status != tc.status {
				t.Fatalf("status %d %s, want %d", res.status, res.body, tc.status)
			}
			msg, fields := res.errorOf(t)
			if msg == "" {
				t.Errorf("no error message in %s", res.body)
			}
			for key, fragment := range tc.wantFields {
				if !strings.Contains(fields[key], fragment) {
					t.Errorf("field %q = %q, want it to mention %q (all fields %v)", key, fields[key], fragment, fields)
				}
			}
			if len(fields) != len(tc.wantFields) {
				t.Errorf("fields %v, want exactly %v", fields, tc.wantFields)
			}
		})
	}
	if n := h.countResponses(s); n != 0 {
		t.Errorf("refused submissions stored %d responses", n)
	}
}

func TestProblemsCarryCodesForTranslation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	a := validAnswers()
	a["better"] = strings.Repeat("x", 201)
	a["happy"] = 12
	res := h.do(request{method: "POST", path: "/api/v1/surveys/" + s.Slug + "/responses", json: submission(1, a)})
	if res.status != 422 {
		t.Fatalf("%d %s", res.status, res.body)
	}
	var body struct {
		Problems map[string]map[string]any `json:"problems"`
	}
	res.decode(t, &body)
	want := `{"better":{"code":"too_long","length":201,"limit":200},"happy":{"code":"whole_number","max":10,"min":0}}`
	if got := mustJSON(t, body.Problems); got != want {
		t.Errorf("problems\n got %s\nwant %s", got, want)
	}
}

func TestRequestLogCarriesNoAnswers(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	answers := validAnswers()
	answers["better"] = "a distinctive sentence about my foster home"
	res := h.do(request{method: "POST", path: "/api/v1/surveys/" + s.Slug + "/responses", json: submission(1, answers),
		headers: map[string]string{"User-Agent": "DistinctiveBrowser/1.0", "X-Forwarded-For": "203.0.113.9"}})
	if res.status != 201 {
		t.Fatalf("submit: %d %s", res.status, res.body)
	}
	logs := h.logs.String()
	for _, secret := range []string{"distinctive sentence", "DistinctiveBrowser", "203.0.113.9", "0.0.0.0", uuid(1), "my carer"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log carries %q:\n%s", secret, logs)
		}
	}
	if !strings.Contains(logs, `"route":"/api/v1/surveys/:slug/responses"`) || !strings.Contains(logs, `"status":201`) {
		t.Errorf("the log lacks the route pattern and status:\n%s", logs)
	}
}

// withSlug returns the fixture definition under another slug.
func withSlug(t *testing.T, slug string) *surveys.Definition {
	d := surveytestDefinition(t)
	d.Slug = slug
	return d
}
