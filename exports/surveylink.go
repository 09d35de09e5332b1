package exports

import (
	"net/url"
	"strings"
	"time"

	"github.com/heard-app/heard/surveys"
)

// SurveyLink is the address of a survey's welcome page at publicURL, where
// young people reach Heard, with a code when one is given: what a card's QR
// code holds.
func SurveyLink(publicURL, slug, code string) string {
	link := strings.TrimRight(publicURL, "/") + "/s/" + url.PathEscape(slug)
	if code != "" {
		link += "?code=" + url.QueryEscape(code)
	}
	return link
}

// SurveyCodeCards are the cards for codes of the survey s: each card's QR
// code holds the survey's address at publicURL with the card's code, and
// the address is printed without its scheme, for typing. The API, the staff
// pages and the command line all print cards this way.
func SurveyCodeCards(publicURL, council string, s *surveys.Survey, codes []string, created time.Time) CodeCards {
	address := SurveyLink(publicURL, s.Slug, "")
	return CodeCards{
		Council:     council,
		SurveyTitle: s.Title.In(surveys.DefaultLanguage),
		Codes:       codes,
		Link:        func(code string) string { return SurveyLink(publicURL, s.Slug, code) },
		Address:     strings.TrimPrefix(strings.TrimPrefix(address, "https://"), "http://"),
		Created:     created,
	}
}
