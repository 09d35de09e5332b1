package api

import (
	"bytes"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/forwarded"
	"github.com/heard-app/heard/surveys"
)

type codeBatchRequest struct {
	Count int    `json:"count" validate:"required"`
	Label string `json:"label" validate:"max=400"`
}

type codeBatchResponse struct {
	Batch *surveys.CodeBatch `json:"batch"`
	PDF   string             `json:"pdf"` // where to download the cards, once
}

// createCodes makes a batch of access codes for a survey. The codes are
// not stored; the cards are printed from the batch's secret, once.
func (s *Server) createCodes(c fiber.Ctx) error {
	var req codeBatchRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	slug := c.Params("slug")
	b, _, err := s.cfg.Codes.Generate(c.Context(), slug, req.Count, req.Label)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(codeBatchResponse{Batch: b, PDF: cardsPath(slug, b.ID)})
}

func cardsPath(slug, batch string) string {
	return "/api/v1/surveys/" + slug + "/codes/" + batch + ".pdf"
}

// listCodes lists a survey's batches with how many codes each has spent.
func (s *Server) listCodes(c fiber.Ctx) error {
	slug := c.Params("slug")
	if _, err := s.cfg.Surveys.FindSurvey(c.Context(), slug); err != nil {
		return err
	}
	batches, err := s.cfg.Codes.Store.FindCodeBatches(c.Context(), slug)
	if err != nil {
		return err
	}
	if batches == nil {
		batches = []*surveys.CodeBatch{}
	}
	return c.JSON(fiber.Map{"batches": batches})
}

// codeCards sends a batch's printable cards: once, because after that Heard
// no longer has what the codes are made from.
func (s *Server) codeCards(c fiber.Ctx) error {
	slug := c.Params("slug")
	sv, err := s.cfg.Surveys.FindSurvey(c.Context(), slug)
	if err != nil {
		return err
	}
	b, codes, err := s.cfg.Codes.Print(c.Context(), slug, c.Params("batch"))
	if err != nil {
		return err
	}
	var pdf bytes.Buffer
	err = exports.WriteCodeCards(&pdf, exports.SurveyCodeCards(s.cfg.PublicURL, s.cfg.CouncilName, sv, codes, s.cfg.Now().UTC()))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="codes-`+slug+`-`+b.ID+`.pdf"`)
	return c.Send(pdf.Bytes())
}

type codeCheckRequest struct {
	Code string `json:"code" validate:"max=64"`
}

// checkCode tells a young person, before the first question, whether their
// code works. Wrong codes count against the client, in memory only.
func (s *Server) checkCode(c fiber.Ctx) error {
	var req codeCheckRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	client := forwarded.ClientIP(c)
	if err := s.codeGuard(client); err != nil {
		return err
	}
	err := s.cfg.Codes.Check(c.Context(), c.Params("slug"), req.Code)
	s.countCodeFailure(client, err)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"status": "ok"})
}

// codeGuard refuses a client that has tried too many wrong codes.
func (s *Server) codeGuard(client string) error {
	if wait, blocked := s.cfg.CodeAttempts.Blocked(client); blocked {
		return &limitError{wait: wait, what: "codes that did not work"}
	}
	return nil
}

// countCodeFailure counts an unknown code against the client.
func (s *Server) countCodeFailure(client string, err error) {
	if surveys.ErrorProblems(err)["code"].Code == surveys.ProblemCodeUnknown {
		s.cfg.CodeAttempts.Fail(client)
	}
}
