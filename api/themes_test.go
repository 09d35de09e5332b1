package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// TestCodeText tries the coder through the API: admins and analysts get
// the coding, every other role is refused, bad input gets a clear error,
// and nothing is stored either way.
func TestCodeText(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	people := map[surveys.Role]*staff{}
	for _, r := range surveys.Roles {
		s := h.signIn(r)
		people[r] = &s
	}
	const path = "/api/v1/themes/code"
	worry := map[string]string{"text": "he says if i tell anyone ill get moved", "lang": "en"}
	tests := []struct {
		name   string
		as     *staff
		json   any
		body   string
		status int
		want   string // in the body
	}{
		{"admin", people[surveys.RoleAdmin], worry, "", 200, `"flag":true`},
		{"analyst", people[surveys.RoleAnalyst], map[string]string{"text": "the buses r always late"}, "", 200, `"key":"transport"`},
		{"board", people[surveys.RoleBoard], worry, "", 403, ""},
		{"facilitator", people[surveys.RoleFacilitator], worry, "", 403, ""},
		{"school lead", people[surveys.RoleSchoolLead], worry, "", 403, ""},
		{"safeguarding lead", people[surveys.RoleSafeguardingLead], worry, "", 403, ""},
		{"nobody", nil, worry, "", 401, ""},
		{"not JSON", people[surveys.RoleAnalyst], nil, "{text:", 400, "not valid JSON"},
		{"unknown field", people[surveys.RoleAnalyst], map[string]string{"text": "x", "mood": "y"}, "", 400, "unknown field"},
		{"no text", people[surveys.RoleAnalyst], map[string]string{"lang": "en"}, "", 422, `"text":"is required"`},
		{"text at the limit", people[surveys.RoleAnalyst], map[string]string{"text": strings.Repeat("é", surveys.MaxCodeTextLen)}, "", 200, `"sentiment"`},
		{"text past the limit", people[surveys.RoleAnalyst], map[string]string{"text": strings.Repeat("é", surveys.MaxCodeTextLen+1)}, "", 422, `"text":"must be at most 4000 characters"`},
		{"bad language", people[surveys.RoleAnalyst], map[string]string{"text": "hello", "lang": "English!"}, "", 422, `"lang"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctype := ""
			if tt.body != "" {
				ctype = "application/json"
			}
			res := h.do(request{method: "POST", path: path, json: tt.json, body: tt.body, ctype: ctype, as: tt.as})
			if res.status != tt.status || !strings.Contains(string(res.body), tt.want) {
				t.Fatalf("%d %s, want %d containing %s", res.status, res.body, tt.status, tt.want)
			}
		})
	}

	// The shape of a coding, in full.
	res := h.do(request{method: "POST", path: path, json: worry, as: people[surveys.RoleAdmin]})
	var got struct {
		Themes []struct {
			Key      string   `json:"key"`
			Score    float64  `json:"score"`
			Evidence []string `json:"evidence"`
		} `json:"themes"`
		Sentiment    string `json:"sentiment"`
		Safeguarding struct {
			Flag     bool     `json:"flag"`
			Kinds    []string `json:"kinds"`
			Evidence []string `json:"evidence"`
		} `json:"safeguarding"`
		Codebook int `json:"codebook"`
	}
	if err := json.Unmarshal(res.body, &got); err != nil {
		t.Fatal(err)
	}
	if !got.Safeguarding.Flag || len(got.Safeguarding.Kinds) == 0 || len(got.Safeguarding.Evidence) == 0 ||
		got.Sentiment != "negative" || got.Codebook != 1 {
		t.Errorf("coding: %+v", got)
	}
	for _, th := range got.Themes {
		if th.Score <= 0 || th.Score > 1 || len(th.Evidence) == 0 {
			t.Errorf("theme %+v: want a score in (0,1] and evidence", th)
		}
	}
	if voices, err := h.voices.FindVoices(t.Context(), surveys.VoiceFilter{}); err != nil || len(voices) != 0 {
		t.Errorf("trying the coder stored %d voices (%v)", len(voices), err)
	}
	if flags, err := h.flags.FindFlags(t.Context(), surveys.FlagFilter{}); err != nil || len(flags) != 0 {
		t.Errorf("trying the coder raised %d flags (%v)", len(flags), err)
	}
}

// TestThemeSummary reads the theme summary through the API: counts by
// theme and channel with small ones suppressed, approved quotes only, the
// period and the one before, who may read it, and clear errors for bad
// filters.
func TestThemeSummary(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	texts := []string{"the buses r always late", "no bus to see me mum", "buses are rubbish", "the bus is too dear",
		"the trains are boss", "need a bus pass", "im skint", "skint all the time"}
	h.submitComments(s, texts)
	voices, err := h.voices.FindVoices(t.Context(), surveys.VoiceFilter{Theme: "transport"})
	if err != nil || len(voices) != 6 {
		t.Fatalf("%d voices about transport (%v), want 6", len(voices), err)
	}
	for i, status := range []surveys.QuoteStatus{surveys.QuoteApproved, surveys.QuotePending} {
		q := &surveys.Quote{Text: "quote " + string(status), Status: status, By: "analyst@council.example", At: h.now}
		if err := h.voices.SetQuote(t.Context(), voices[i].ID, q); err != nil {
			t.Fatal(err)
		}
	}

	type summaryJSON struct {
		Query     map[string]string `json:"query"`
		Previous  map[string]string `json:"previous"`
		Codebook  int               `json:"codebook"`
		Threshold int               `json:"threshold"`
		Channels  []string          `json:"channels"`
		Voices    struct {
			Total     *int            `json:"total"`
			ByChannel map[string]*int `json:"by_channel"`
			Previous  *int            `json:"previous"`
			Change    *int            `json:"change"`
		} `json:"voices"`
		Themes []struct {
			Key       string            `json:"key"`
			Name      string            `json:"name"`
			Total     *int              `json:"total"`
			ByChannel map[string]*int   `json:"by_channel"`
			Negative  *float64          `json:"negative_percent"`
			Positive  *float64          `json:"positive_percent"`
			Quotes    []json.RawMessage `json:"quotes"`
		} `json:"themes"`
	}
	board := h.signIn(surveys.RoleBoard)
	res := h.do(request{method: "GET", path: "/api/v1/themes/summary", as: &board})
	if res.status != 200 {
		t.Fatalf("%d %s", res.status, res.body)
	}
	var got summaryJSON
	if err := json.Unmarshal(res.body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Query["from"] != "2025-11-24" || got.Query["to"] != "2026-11-23" || got.Previous["to"] != "2025-11-23" ||
		got.Codebook != 1 || got.Threshold != 5 || strings.Join(got.Channels, ",") != "survey" {
		t.Errorf("summary head: %s", res.body)
	}
	if got.Voices.Total == nil || *got.Voices.Total != 8 || got.Voices.Previous != nil || got.Voices.Change != nil {
		t.Errorf("all comments: %+v", got.Voices)
	}
	rows := map[string]int{}
	for i, r := range got.Themes {
		rows[r.Key] = i
	}
	transport, money := got.Themes[rows["transport"]], got.Themes[rows["money"]]
	if rows["transport"] != 0 || transport.Name != "Getting about" || transport.Total == nil || *transport.Total != 6 ||
		transport.ByChannel["survey"] == nil || *transport.ByChannel["survey"] != 6 {
		t.Errorf("transport: %+v", transport)
	}
	if len(transport.Quotes) != 1 || !strings.Contains(string(transport.Quotes[0]), `"text":"quote approved"`) {
		t.Errorf("transport's quotes: %s; want only the approved one", transport.Quotes)
	}
	if money.Total != nil || money.ByChannel["survey"] != nil || money.Negative != nil || len(money.Quotes) != 0 {
		t.Errorf("money, from 2 comments, is not suppressed: %+v", money)
	}
	if strings.Contains(string(res.body), "skint") || strings.Contains(string(res.body), "buses r always") {
		t.Error("the summary carries comments' own words")
	}

	analyst := h.signIn(surveys.RoleAnalyst)
	for _, tc := range []struct {
		query  string
		status int
		want   string
	}{
		{"?from=2026-11-23&to=2026-11-23&channel=survey&survey=" + s.Slug + "&area=North&age_band=11-18", 200, `"voices":{"total":8`},
		{"?from=2026-11-24&to=2026-12-01", 200, `"voices":{"total":null`},
		{"?area=South", 200, `"voices":{"total":null`},
		{"?age_band=8-11", 200, `"voices":{"total":null`},
		{"?survey=another-survey", 200, `"voices":{"total":null`},
		{"?channel=session", 200, `"channels":[]`},
		{"?from=23/11/2026", 422, `"from":"must be a date such as 2026-04-01"`},
		{"?from=2026-11-23&to=2026-11-01", 422, `"to":"must not be before the start"`},
		{"?from=2016-01-01", 422, `"from":"the period can be at most 1826 days (five years)"`},
		{"?channel=tiktok", 422, `"channel"`},
		{"?survey=" + strings.Repeat("x", 201), 422, `"survey":"must be at most 200 characters"`},
	} {
		res := h.do(request{method: "GET", path: "/api/v1/themes/summary" + tc.query, as: &analyst})
		if res.status != tc.status || !strings.Contains(string(res.body), tc.want) {
			t.Errorf("%s: %d %s, want %d with %s", tc.query, res.status, res.body, tc.status, tc.want)
		}
	}
}

// submitComments sends a response to s for each text, as the answer to
// its "better" question.
func (h *harness) submitComments(s *surveys.Survey, texts []string) {
	h.t.Helper()
	for i, text := range texts {
		a := validAnswers()
		a["better"] = text
		delete(a, "talk_who")
		a["talk_to"] = "no"
		if res := h.do(request{method: "POST", path: "/api/v1/surveys/" + s.Slug + "/responses", json: submission(i+1, a)}); res.status != 201 {
			h.t.Fatalf("submit: %d %s", res.status, res.body)
		}
	}
}
