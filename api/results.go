package api

import (
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// results returns a survey's figures from its tallies, with small numbers
// suppressed. ?version= picks one version; ?filter=question:choice keeps
// the responses that gave that answer to a breakdown question.
func (s *Server) results(c fiber.Ctx) error {
	sv, err := s.cfg.Surveys.FindSurvey(c.Context(), c.Params("slug"))
	if err != nil {
		return err
	}
	q := surveys.ResultsQuery{Version: c.Query("version")}
	if f := c.Query("filter"); f != "" {
		question, choice, ok := strings.Cut(f, ":")
		if !ok || question == "" || choice == "" {
			return surveys.FieldsError("The filter must look like question:choice, such as area:north.",
				map[string]string{"filter": "must be question:choice"})
		}
		q.Filter = &surveys.Filter{Question: question, Choice: choice}
	}
	tallies, err := s.cfg.Tallies.FindTallies(c.Context(), sv)
	if err != nil {
		return err
	}
	st, err := s.cfg.Settings.Current(c.Context())
	if err != nil {
		return err
	}
	res, err := surveys.ComputeResults(sv, tallies, q, st.Threshold)
	if err != nil {
		return err
	}
	return c.JSON(res)
}
