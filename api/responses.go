package api

import (
	"encoding/json"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/forwarded"
	"github.com/heard-app/heard/surveys"
)

type responseRequest struct {
	ID      string                     `json:"id" validate:"required,uuid"`
	Version string                     `json:"version" validate:"required,max=64"`
	Lang    string                     `json:"lang" validate:"max=16"`
	Answers map[string]json.RawMessage `json:"answers" validate:"required"`
	Code    string                     `json:"code" validate:"max=64"` // the access code, when the survey needs one
}

type responseReceipt struct {
	ID     string   `json:"id"`
	Status string   `json:"status"` // "stored", or "already_stored" for a retry
	Help   helpHint `json:"help"`
}

// helpHint tells the device whether to show where to get help at once.
type helpHint struct {
	Show bool `json:"show"`
}

// submitResponse stores a young person's answers. 201 means they are
// durable; 200 means they were stored before (a retry), so a device can
// send again whenever it is unsure.
func (s *Server) submitResponse(c fiber.Ctx) error {
	var req responseRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	client := forwarded.ClientIP(c)
	if req.Code != "" {
		if err := s.codeGuard(client); err != nil {
			return err
		}
	}
	rec, err := s.cfg.Intake.Submit(c.Context(), c.Params("slug"), surveys.Submission{
		ID: req.ID, Version: req.Version, Lang: req.Lang, Answers: req.Answers, Code: req.Code,
	})
	s.countCodeFailure(client, err)
	if err != nil {
		return err
	}
	if !rec.Created {
		return c.JSON(responseReceipt{ID: rec.ID, Status: "already_stored", Help: helpHint{Show: rec.ShowHelp}})
	}
	return c.Status(fiber.StatusCreated).JSON(responseReceipt{ID: rec.ID, Status: "stored", Help: helpHint{Show: rec.ShowHelp}})
}
