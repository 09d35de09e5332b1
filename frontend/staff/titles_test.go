package staff

import (
	"testing"

	"github.com/heard-app/heard/surveys"
)

func TestSurveyName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		title   surveys.Text
		edition int
		want    string
		edShown string
	}{
		{surveys.Text{"en": "Your life in care 2026"}, 2026, "Your life in care 2026", ""},
		{surveys.Text{"en": "How are things?"}, 2026, "How are things? (2026)", "2026"},
		{surveys.Text{"en": "Care leavers 2025–2026"}, 2026, "Care leavers 2025–2026", ""},
		// Another year in the title is not this edition's.
		{surveys.Text{"en": "Your life in care 2025"}, 2026, "Your life in care 2025 (2026)", "2026"},
		// The English title decides, whatever the translations say.
		{surveys.Text{"en": "Feeling safe", "cy": "Teimlo'n ddiogel 2026"}, 2026, "Feeling safe (2026)", "2026"},
		{surveys.Text{"en": "No edition"}, 0, "No edition", ""},
	}
	for _, tt := range tests {
		s := &surveys.Survey{Definition: surveys.Definition{Title: tt.title, Edition: tt.edition}}
		if got := surveyName(s); got != tt.want {
			t.Errorf("surveyName(%q, %d) = %q; want %q", tt.title["en"], tt.edition, got, tt.want)
		}
		if got := titleEdition(s); got != tt.edShown {
			t.Errorf("titleEdition(%q, %d) = %q; want %q", tt.title["en"], tt.edition, got, tt.edShown)
		}
	}
}
