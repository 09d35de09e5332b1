package staff

import (
	"strconv"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// surveyName is a survey's English title with its edition in brackets,
// "How are things? (2026)", or the title alone when it says the year
// already: "Your life in care 2026".
func surveyName(s *surveys.Survey) string {
	title := s.Title.In(surveys.DefaultLanguage)
	if ed := titleEdition(s); ed != "" {
		return title + " (" + ed + ")"
	}
	return title
}

// titleEdition is the survey's edition as a year to show after its title,
// or "" when the English title contains it already (or there is none).
func titleEdition(s *surveys.Survey) string {
	if s.Edition == 0 {
		return ""
	}
	ed := strconv.Itoa(s.Edition)
	if strings.Contains(s.Title.In(surveys.DefaultLanguage), ed) {
		return ""
	}
	return ed
}
