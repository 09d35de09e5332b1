package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

func TestManageSurveys(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	analyst := h.signIn(surveys.RoleAnalyst)
	def := json.RawMessage(surveytest.JSON())

	res := h.do(request{method: "POST", path: "/api/v1/surveys", json: def, as: &analyst})
	if res.status != 201 || !strings.Contains(string(res.body), `"status":"draft"`) {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	if res := h.do(request{method: "POST", path: "/api/v1/surveys", json: def, as: &analyst}); res.status != 409 {
		t.Errorf("create again: %d, want 409", res.status)
	}
	slug := surveytest.Slug

	// A draft is invisible to the public but visible to staff.
	if res := h.do(request{method: "GET", path: "/api/v1/surveys/" + slug}); res.status != 404 {
		t.Errorf("public read of a draft: %d, want 404", res.status)
	}
	if res := h.do(request{method: "GET", path: "/api/v1/surveys/" + slug, as: &analyst}); res.status != 200 {
		t.Errorf("staff read of a draft: %d, want 200", res.status)
	}
	if res := h.do(request{method: "GET", path: "/api/v1/surveys"}); !strings.Contains(string(res.body), `"surveys":[]`) {
		t.Errorf("public list with only a draft: %s", res.body)
	}

	res = h.do(request{method: "POST", path: "/api/v1/surveys/" + slug + "/status", json: map[string]string{"status": "open"}, as: &analyst})
	if res.status != 200 || !strings.Contains(string(res.body), `"status":"open"`) || !strings.Contains(string(res.body), `"revision":2`) {
		t.Fatalf("open: %d %s", res.status, res.body)
	}
	res = h.do(request{method: "GET", path: "/api/v1/surveys/" + slug})
	var got surveys.Survey
	res.decode(t, &got)
	if res.status != 200 || got.Slug != slug || len(got.Versions) != 2 || got.Version("11-18").Question("talk_who").ShowIf == nil {
		t.Errorf("public read of an open survey: %d %s", res.status, res.body)
	}
	if res := h.do(request{method: "GET", path: "/api/v1/surveys"}); !strings.Contains(string(res.body), `"slug":"`+slug+`"`) {
		t.Errorf("public list: %s", res.body)
	}
	if res := h.do(request{method: "POST", path: "/api/v1/surveys/" + slug + "/status", json: map[string]string{"status": "draft"}, as: &analyst}); res.status != 409 {
		t.Errorf("open -> draft: %d, want 409", res.status)
	}
	if res := h.do(request{method: "POST", path: "/api/v1/surveys/" + slug + "/status", json: map[string]string{"status": "paused"}, as: &analyst}); res.status != 422 {
		t.Errorf("unknown status: %d, want 422", res.status)
	}
	if res := h.do(request{method: "POST", path: "/api/v1/surveys/no-such/status", json: map[string]string{"status": "open"}, as: &analyst}); res.status != 404 {
		t.Errorf("status of an unknown survey: %d, want 404", res.status)
	}
}

func TestCreateSurveyNamesEveryMistake(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	bad := strings.Replace(string(surveytest.JSON()), `"key": "feel_safe", "type": "scale"`, `"key": "feel_safe", "type": "stars"`, 1)
	bad = strings.Replace(bad, `"key": "talk_to"`, `"key": "Talk To"`, 1)
	res := h.do(request{method: "POST", path: "/api/v1/surveys", body: bad, ctype: "application/json", as: &admin})
	if res.status != 422 {
		t.Fatalf("invalid definition: %d %s", res.status, res.body)
	}
	_, fields := res.errorOf(t)
	for path, fragment := range map[string]string{
		"versions[0].questions[1].type": `"stars" is not a question type`,
		"versions[1].questions[4].key":  "lower-case",
	} {
		if !strings.Contains(fields[path], fragment) {
			t.Errorf("field %s = %q, want %q (all: %v)", path, fields[path], fragment, fields)
		}
	}
	if res := h.do(request{method: "POST", path: "/api/v1/surveys", body: `{"slug": `, ctype: "application/json", as: &admin}); res.status != 400 {
		t.Errorf("malformed definition: %d, want 400", res.status)
	}
	if res := h.do(request{method: "GET", path: "/api/v1/surveys/" + surveytest.Slug, as: &admin}); res.status != 404 {
		t.Errorf("a refused definition was stored: %d", res.status)
	}
}

func TestResults(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	path := "/api/v1/surveys/" + s.Slug + "/responses"
	// 12 responses to 11-18: 8 north, 4 south; feel_safe: 7 always,
	// 2 sometimes, 3 never.
	for i := range 12 {
		a := map[string]any{"area": "north", "feel_safe": "always", "talk_to": "yes", "happy": i % 11}
		if i >= 8 {
			a["area"] = "south"
		}
		switch {
		case i >= 9:
			a["feel_safe"] = "never"
		case i >= 7:
			a["feel_safe"] = "sometimes"
		}
		if res := h.do(request{method: "POST", path: path, json: submission(100+i, a)}); res.status != 201 {
			t.Fatalf("submit %d: %d %s", i, res.status, res.body)
		}
	}
	board := h.signIn(surveys.RoleBoard)
	get := func(query string) map[string]any {
		res := h.do(request{method: "GET", path: "/api/v1/surveys/" + s.Slug + "/results" + query, as: &board})
		if res.status != 200 {
			t.Fatalf("results%s: %d %s", query, res.status, res.body)
		}
		var out map[string]any
		res.decode(t, &out)
		return out
	}
	question := func(res map[string]any, key string) map[string]any {
		for _, q := range res["questions"].([]any) {
			if q.(map[string]any)["key"] == key {
				return q.(map[string]any)
			}
		}
		t.Fatalf("no question %s", key)
		return nil
	}

	all := get("?version=11-18")
	if all["responses"] != 12.0 || all["threshold"] != 5.0 {
		t.Errorf("responses %v threshold %v, want 12 and 5", all["responses"], all["threshold"])
	}
	safe := question(all, "feel_safe")
	// sometimes and never are hidden; together they are 5, so always stays.
	want := `[{"count":7,"key":"always","percent":58.3},{"count":null,"key":"sometimes","percent":null,"suppressed":true},{"count":null,"key":"never","percent":null,"suppressed":true}]`
	if got := mustJSON(t, safe["choices"]); got != want {
		t.Errorf("feel_safe choices\n got %s\nwant %s", got, want)
	}
	// area: north 8, south 4 (hidden), central 0 (hidden): south's slice is hidden.
	if res := get("?version=11-18&filter=area:south"); res["suppressed"] != true || res["responses"] != nil {
		t.Errorf("the south slice (4 people) is shown: %v", res)
	}
	// north (8) is shown, but then the 4 outside it could be worked out by
	// subtraction, so it is hidden too.
	if res := get("?filter=area:north"); res["suppressed"] != true {
		t.Errorf("the north slice is shown though the rest is 4 people: %v", res)
	}
	if res := h.do(request{method: "GET", path: "/api/v1/surveys/" + s.Slug + "/results?version=nope", as: &board}); res.status != 404 {
		t.Errorf("unknown version: %d, want 404", res.status)
	}
	if res := h.do(request{method: "GET", path: "/api/v1/surveys/" + s.Slug + "/results?filter=feel_safe", as: &board}); res.status != 422 {
		t.Errorf("malformed filter: %d, want 422", res.status)
	}
	if res := h.do(request{method: "GET", path: "/api/v1/surveys/" + s.Slug + "/results?filter=happy:3", as: &board}); res.status != 422 {
		t.Errorf("filter by a non-breakdown question: %d, want 422", res.status)
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if res := h.do(request{method: "GET", path: "/healthz"}); res.status != 200 {
		t.Errorf("healthz: %d", res.status)
	}
	if res := h.do(request{method: "GET", path: "/readyz"}); res.status != 200 {
		t.Errorf("readyz: %d", res.status)
	}
	down := newHarness(t, harnessOptions{ping: func(context.Context) error { return errors.New("connection refused") }})
	if res := down.do(request{method: "GET", path: "/readyz"}); res.status != 503 {
		t.Errorf("readyz with the database down: %d, want 503", res.status)
	}
	if res := down.do(request{method: "GET", path: "/healthz"}); res.status != 200 {
		t.Errorf("healthz with the database down: %d, want 200", res.status)
	}
}

func TestUnknownRoutes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	res := h.do(request{method: "GET", path: "/api/v1/nothing-here"})
	msg, _ := res.errorOf(t)
	if res.status != 404 || msg != "There is nothing at this address." {
		t.Errorf("unknown API route: %d %s", res.status, res.body)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
