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
