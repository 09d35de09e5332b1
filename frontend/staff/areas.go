package staff

import (
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/surveys"
)

// The areas page: school councils added up per area and for the borough,
// for a term or a school year, every figure suppressed (surveys.Areas).

type areasView struct {
	page
	Report  *surveys.AreaReport
	Fewer   string
	Years   []option
	Terms   []option
	Query   string // the report's query, for the PDF's link
	Min     int
	Columns []string // the areas, for the themes table
}

// areaQuery reads ?year=&term= ; "all" is the whole year. With neither,
// it is this term.
func (p *Pages) areaQuery(c fiber.Ctx) surveys.AreaQuery {
	q := surveys.AreaQuery{}
	if c.Query("term") == "all" {
		q.Year, _ = surveys.SchoolYearOf(p.cfg.Now().In(london))
	}
	if y := c.Query("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			n = -1 // refused by Areas with its message
		}
		q.Year = n
	}
	if t := c.Query("term"); t != "" && t != "all" {
		q.Term = surveys.Term(t)
	}
	return q
}

// AreasPage serves GET /staff/areas.
func (p *Pages) AreasPage(c fiber.Ctx) error {
	if p.cfg.Councils == nil {
		return errCouncilsOff
	}
	q := p.areaQuery(c)
	rep, err := p.cfg.Councils.Areas(c.Context(), q)
	if err != nil {
		return err
	}
	v := areasView{page: p.page(c, "School councils by area"), Report: rep, Fewer: "fewer than " + itoa(rep.Threshold), Min: surveys.MinAreaSchools}
	now, _ := surveys.SchoolYearOf(p.cfg.Now().In(london))
	for y := now; y >= now-5; y-- {
		v.Years = append(v.Years, option{Value: itoa(y), Label: surveys.SchoolYearName(y), Selected: y == rep.Query.Year})
	}
	v.Terms = append(v.Terms, option{Value: "all", Label: "The whole year", Selected: rep.Query.Term == ""})
	for _, t := range surveys.Terms {
		v.Terms = append(v.Terms, option{Value: string(t), Label: t.Name() + " term", Selected: rep.Query.Term == t})
	}
	term := string(rep.Query.Term)
	if term == "" {
		term = "all"
	}
	v.Query = "?year=" + itoa(rep.Query.Year) + "&term=" + term
	for _, a := range rep.Areas {
		v.Columns = append(v.Columns, a.Name)
	}
	return p.render(c, http.StatusOK, "areas", v)
}

// AreaReport serves GET /staff/areas/report.pdf: the areas page as a PDF
// for the board's papers.
func (p *Pages) AreaReport(c fiber.Ctx) error {
	if p.cfg.Councils == nil {
		return errCouncilsOff
	}
	q := p.areaQuery(c)
	pdf, name, err := exports.AreaReportPDF(c.Context(), p.cfg.Councils, q)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(pdf)
}
