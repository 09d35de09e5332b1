package exports_test

import (
	"testing"
	"time"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/surveys"
)

func TestSurveyLink(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ public, slug, code, want string }{
		{"https://heard.example.gov.uk", "cared-for-2026", "", "https://heard.example.gov.uk/s/cared-for-2026"},
		{"https://heard.example.gov.uk/", "cared-for-2026", "7KM3PXQ9R", "https://heard.example.gov.uk/s/cared-for-2026?code=7KM3PXQ9R"},
		{"http://localhost:8080/heard/", "a_b", "", "http://localhost:8080/heard/s/a_b"},
	} {
		if got := exports.SurveyLink(tc.public, tc.slug, tc.code); got != tc.want {
			t.Errorf("SurveyLink(%q, %q, %q) = %q, want %q", tc.public, tc.slug, tc.code, got, tc.want)
		}
	}
}

func TestSurveyCodeCards(t *testing.T) {
	t.Parallel()
	s := &surveys.Survey{Definition: surveys.Definition{Slug: "cared-for-2026", Title: surveys.Text{"en": "Your life in care", "pl": "Twoje życie"}}}
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	c := exports.SurveyCodeCards("https://heard.example.gov.uk/", "Knowsley Council", s, []string{"7KM3PXQ9R"}, at)
	if c.Council != "Knowsley Council" || c.SurveyTitle != "Your life in care" || c.Address != "heard.example.gov.uk/s/cared-for-2026" ||
		!c.Created.Equal(at) || len(c.Codes) != 1 || c.Link("7KM3PXQ9R") != link("7KM3PXQ9R") {
		t.Errorf("cards: %+v, link %q", c, c.Link("7KM3PXQ9R"))
	}
}
