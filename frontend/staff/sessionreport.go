package staff

import (
	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/exports"
)

// SessionReport downloads the PDF report of a MADE session that has
// started: its attendance, each activity's results, the themes of what was
// said, and the Lundy check. A draft has nothing to report.
func (p *Pages) SessionReport(c fiber.Ctx) error {
	if p.cfg.SessionReports == nil {
		return errSessionsOff
	}
	pdf, name, err := exports.SessionReportPDF(c.Context(), p.cfg.SessionReports, c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Send(pdf)
}
