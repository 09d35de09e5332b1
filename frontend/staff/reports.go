package staff

import (
	"bytes"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/surveys"
)

// BoardReport downloads the Corporate Parenting Board's PDF summary of a
// survey, compared with the edition it follows or, with ?compare=, with
// another.
func (p *Pages) BoardReport(c fiber.Ctx) error {
	rep, err := p.cfg.Reports.Board(c.Context(), surveys.BoardReportQuery{Survey: c.Params("slug"), Compare: c.Query("compare")})
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
