package api

import (
	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/surveys"
)

// boardReport sends the Corporate Parenting Board's PDF summary of a
// survey: ?survey= names it, and ?compare= the edition to compare it
// with (by default the one it follows).
func (s *Server) boardReport(c fiber.Ctx) error {
	q := surveys.BoardReportQuery{Survey: c.Query("survey"), Compare: c.Query("compare")}
	pdf, name, err := exports.BoardReportPDF(c.Context(), s.cfg.Reports, q)
	if err != nil {
		return err
	}
	return download(c, "application/pdf", name, pdf)
}
