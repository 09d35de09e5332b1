package api

import (
	"bytes"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/surveys"
)

// boardReport sends the Corporate Parenting Board's PDF summary of a
// survey: ?survey= names it, and ?compare= the edition to compare it
// with (by default the one it follows).
func (s *Server) boardReport(c fiber.Ctx) error {
	q := surveys.BoardReportQuery{Survey: c.Query("survey"), Compare: c.Query("compare")}
	rep, err := s.cfg.Reports.Board(c.Context(), q)
	if err != nil {
		return err
	}
	var pdf bytes.Buffer
	if err := exports.WriteBoardReport(&pdf, rep); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+exports.BoardReportName(rep)+`"`)
	return c.Send(pdf.Bytes())
}
