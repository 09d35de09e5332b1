package staff

import (
	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/surveys"
)

// BoardReport downloads the Corporate Parenting Board's PDF summary of a
// survey, compared with the edition it follows or, with ?compare=, with
// another.
func (p *Pages) BoardReport(c fiber.Ctx) error {
	q := surveys.BoardReportQuery{Survey: c.Params("slug"), Compare: c.Query("compare")}
	pdf, name, err := exports.BoardReportPDF(c.Context(), p.cfg.Reports, q)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Send(pdf)
}
