package api

import (
	"encoding/json"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// surveySummary is a survey in a list: enough to choose it.
type surveySummary struct {
	Slug     string         `json:"slug"`
	Edition  int            `json:"edition"`
	Kind     surveys.Kind   `json:"kind"`
	Title    surveys.Text   `json:"title"`
	Status   surveys.Status `json:"status"`
	Versions []versionInfo  `json:"versions"`
}

type versionInfo struct {
	Key   string       `json:"key"`
	Label surveys.Text `json:"label"`
}

func summarize(s *surveys.Survey) surveySummary {
	sum := surveySummary{Slug: s.Slug, Edition: s.Edition, Kind: s.Kind, Title: s.Title, Status: s.Status, Versions: []versionInfo{}}
	for _, v := range s.Versions {
		sum.Versions = append(sum.Versions, versionInfo{Key: v.Key, Label: v.Label})
	}
	return sum
}

// listOpenSurveys lists the surveys young people can answer now.
func (s *Server) listOpenSurveys(c fiber.Ctx) error {
	list, err := s.cfg.Surveys.FindSurveys(c.Context(), surveys.SurveyFilter{Status: surveys.StatusOpen})
	if err != nil {
		return err
	}
	out := make([]surveySummary, 0, len(list))
	for _, sv := range list {
		out = append(out, summarize(sv))
	}
	return c.JSON(fiber.Map{"surveys": out})
}

// getSurvey returns a survey's definition: an open one to anyone, and any
// survey to signed-in staff. To anyone else a draft or closed survey does
// not exist.
func (s *Server) getSurvey(c fiber.Ctx) error {
	sv, err := s.cfg.Surveys.FindSurvey(c.Context(), c.Params("slug"))
	if err != nil {
		return err
	}
	if sv.Status != surveys.StatusOpen {
		u, _, err := s.authenticate(c)
		if err != nil {
			return err
		}
		if u == nil {
			return surveys.Errorf(surveys.ENOTFOUND, "There is no open survey %q.", sv.Slug)
		}
	}
	return c.JSON(sv)
}

// createSurvey stores a new survey, as a draft, from a definition.
func (s *Server) createSurvey(c fiber.Ctx) error {
	body := c.Body()
	if !json.Valid(body) {
		return errBadJSON("")
	}
	def, err := surveys.ParseDefinition(body)
	if err != nil {
		return err
	}
	sv, err := s.cfg.Catalog.Create(c.Context(), def)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(sv)
}

type statusRequest struct {
	Status surveys.Status `json:"status" validate:"required,oneof=draft open closed"`
}

// setStatus opens or closes a survey.
func (s *Server) setStatus(c fiber.Ctx) error {
	var req statusRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	sv, err := s.cfg.Catalog.SetStatus(c.Context(), c.Params("slug"), req.Status)
	if err != nil {
		return err
	}
	return c.JSON(sv)
}
