package staff

import (
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/frontend/qrsvg"
	"github.com/heard-app/heard/surveys"
)

// School councils: a school lead's pages for their school (its meetings,
// the import of a term's records and its pupil survey), which admins and
// analysts open for any school.

var errCouncilsOff = surveys.Errorf(surveys.ENOTFOUND, "There is no such page.")

// phaseName is a school's phase as people say it.
func phaseName(ph surveys.Phase) string {
	if n, ok := phaseNames[ph]; ok {
		return n
	}
	return string(ph)
}

type schoolListRow struct {
	Href, Name, Area, Phase string
	Meetings                int
	Last                    string
	Lead                    bool // the signed-in lead's own school
}

type schoolListView struct {
	page
	Rows    []schoolListRow
	Year    string
	NoLink  bool // a school lead not linked to a school yet
	AnyRows bool
}

// SchoolList serves GET /staff/schools: every school with its meetings
// this school year for admins and analysts; a school lead goes straight
// to their school.
func (p *Pages) SchoolList(c fiber.Ctx) error {
	if p.cfg.Councils == nil {
		return errCouncilsOff
	}
	u := CurrentUser(c)
	if u.Role == surveys.RoleSchoolLead {
		if u.School == "" {
			v := schoolListView{page: p.page(c, "School councils"), NoLink: true}
			return p.render(c, http.StatusOK, "schools", v)
		}
		return c.Redirect().Status(fiber.StatusSeeOther).To("/staff/schools/" + url.PathEscape(u.School))
	}
	ctx := c.Context()
	st, err := p.cfg.Settings.Current(ctx)
	if err != nil {
		return err
	}
	year, _ := surveys.SchoolYearOf(p.cfg.Now().In(london))
	period := surveys.TermPeriod(year, "")
	meetings, err := p.cfg.Councils.Store.FindMeetings(ctx, surveys.CouncilFilter{From: period.From, To: period.To})
	if err != nil {
		return err
	}
	count, last := map[string]int{}, map[string]string{}
	for _, m := range meetings {
		count[m.School]++
		last[m.School] = max(last[m.School], m.Day)
	}
	v := schoolListView{page: p.page(c, "School councils"), Year: surveys.SchoolYearName(year)}
	for _, sc := range st.Schools {
		v.Rows = append(v.Rows, schoolListRow{Href: "/staff/schools/" + url.PathEscape(sc.Key), Name: sc.Name, Area: sc.Area,
			Phase: phaseName(sc.Phase), Meetings: count[sc.Key], Last: dayOf(last[sc.Key])})
	}
	slices.SortStableFunc(v.Rows, func(a, b schoolListRow) int {
		return cmpStrings(slices.Index(st.Areas, a.Area), slices.Index(st.Areas, b.Area), a.Name, b.Name)
	})
	v.AnyRows = len(v.Rows) > 0
	return p.render(c, http.StatusOK, "schools", v)
}

func cmpStrings(ai, bi int, a, b string) int {
	if ai != bi {
		return ai - bi
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

type meetingRow struct {
	Href, Day, Term string
	Pupils, Items   int
	ActedOn         int
}

type schoolSurveyView struct {
	Title     string
	Status    string
	Open      bool
	Link      string
	QR        template.HTML
	Responses string // suppressed
	Results   string
}

type schoolView struct {
	page
	School   *surveys.School
	Phase    string
	Base     string // /staff/schools/{key}
	Meetings []meetingRow
	Survey   *schoolSurveyView
	Year     int
	Analyst  bool // may go back to every school
}

// SchoolPage serves GET /staff/schools/{school}: its meetings, newest
// first, and its pupil survey.
func (p *Pages) SchoolPage(c fiber.Ctx) error {
	if p.cfg.Councils == nil {
		return errCouncilsOff
	}
	ctx := c.Context()
	sc, st, err := p.cfg.Councils.School(ctx, c.Params("school"))
	if err != nil {
		return err
	}
	meetings, err := p.cfg.Councils.Meetings(ctx, sc.Key)
	if err != nil {
		return err
	}
	base := "/staff/schools/" + url.PathEscape(sc.Key)
	v := schoolView{page: p.page(c, sc.Name), School: sc, Phase: phaseName(sc.Phase), Base: base,
		Year: p.cfg.Now().In(london).Year(), Analyst: CurrentUser(c).Role != surveys.RoleSchoolLead}
	for _, m := range meetings {
		day, _ := time.Parse(time.DateOnly, m.Day)
		year, term := surveys.SchoolYearOf(day)
		v.Meetings = append(v.Meetings, meetingRow{Href: base + "/meetings/" + url.PathEscape(m.ID), Day: dayOf(m.Day),
			Term: term.Name() + " " + surveys.SchoolYearName(year), Pupils: m.Pupils, Items: len(m.Items), ActedOn: m.ActedOn()})
	}
	s, err := p.cfg.Councils.SchoolSurvey(ctx, sc.Key)
	switch {
	case surveys.ErrorCode(err) == surveys.ENOTFOUND:
	case err != nil:
		return err
	default:
		if v.Survey, err = p.schoolSurveyView(c, s, st.Threshold); err != nil {
			return err
		}
	}
	return p.render(c, http.StatusOK, "school", v)
}

// schoolSurveyView describes a school's pupil survey: its link and QR
// code, and how many answered (suppressed, as anywhere else).
func (p *Pages) schoolSurveyView(c fiber.Ctx, s *surveys.Survey, threshold int) (*schoolSurveyView, error) {
	link := exports.SurveyLink(p.cfg.PublicURL, s.Slug, "")
	qr, err := qrsvg.SVG(link, "QR code for the pupil survey's link")
	if err != nil {
		return nil, err
	}
	n, err := p.responses(c.Context(), s)
	if err != nil {
		return nil, err
	}
	answered := "fewer than " + itoa(threshold)
	if n >= threshold {
		answered = itoa(n)
	}
	return &schoolSurveyView{Title: s.Title.In(surveys.DefaultLanguage), Status: statusNames[s.Status], Open: s.Status == surveys.StatusOpen,
		Link: link, QR: qr, Responses: answered, Results: "/staff/surveys/" + url.PathEscape(s.Slug) + "/results"}, nil
}

// StartSchoolSurvey serves POST /staff/schools/{school}/survey: this
// year's pupil survey, from the school council template, opened.
func (p *Pages) StartSchoolSurvey(c fiber.Ctx) error {
	if p.cfg.Councils == nil {
		return errCouncilsOff
	}
	key := c.Params("school")
	if _, err := p.cfg.Councils.StartSurvey(c.Context(), key); err != nil {
		return err
	}
	return redirectDone(c, "/staff/schools/"+url.PathEscape(key)+"#survey", "school-survey")
}

// SchoolSurveyStatus serves POST /staff/schools/{school}/survey/status:
// the lead opens or closes their pupil survey.
func (p *Pages) SchoolSurveyStatus(c fiber.Ctx) error {
	if p.cfg.Councils == nil {
		return errCouncilsOff
	}
	key := c.Params("school")
	status := surveys.Status(c.FormValue("status"))
	if status != surveys.StatusOpen && status != surveys.StatusClosed {
		return surveys.FieldsError("Choose whether to open or close the survey.", map[string]string{"status": "must be open or closed"})
	}
	if _, err := p.cfg.Councils.SetSurveyStatus(c.Context(), key, status); err != nil {
		return err
	}
	done := "opened"
	if status == surveys.StatusClosed {
		done = "closed"
	}
	return redirectDone(c, "/staff/schools/"+url.PathEscape(key)+"#survey", done)
}

// ImportTemplate serves GET /staff/schools/import-template.csv: the file
// to fill in, with its header and an example meeting.
func (p *Pages) ImportTemplate(c fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="school-council-meetings.csv"`)
	return c.Send(surveys.CouncilTemplate())
}

type importView struct {
	page
	School   *surveys.School
	Base     string
	Heading  string
	Problems []string
	Columns  []string
	MaxRows  int
	MaxItems int
}

// ImportPage serves GET /staff/schools/{school}/import.
func (p *Pages) ImportPage(c fiber.Ctx) error {
	return p.renderImport(c, http.StatusOK, nil)
}

func (p *Pages) renderImport(c fiber.Ctx, status int, failed error) error {
	if p.cfg.Councils == nil {
		return errCouncilsOff
	}
	sc, _, err := p.cfg.Councils.School(c.Context(), c.Params("school"))
	if err != nil {
		return err
	}
	v := importView{page: p.page(c, "Import meetings: "+sc.Name), School: sc, Base: "/staff/schools/" + url.PathEscape(sc.Key),
		Columns: surveys.CouncilColumns, MaxRows: surveys.MaxImportRows, MaxItems: surveys.MaxCouncilItems}
	if failed != nil {
		v.Heading = surveys.ErrorMessage(failed)
		v.Problems = surveys.ImportProblemList(failed)
	}
	return p.render(c, status, "school-import", v)
}

// Import serves POST /staff/schools/{school}/import: a CSV file of a
// term's meetings, stored only when every row is right.
func (p *Pages) Import(c fiber.Ctx) error {
	if p.cfg.Councils == nil {
		return errCouncilsOff
	}
	key := c.Params("school")
	fh, err := c.FormFile("file")
	if err != nil {
		return p.renderImport(c, http.StatusUnprocessableEntity,
			surveys.FieldsError("Choose the file to import.", map[string]string{"1": "No file was chosen: choose the CSV file saved from the spreadsheet."}))
	}
	if fh.Size > surveys.MaxImportBytes {
		return p.renderImport(c, http.StatusUnprocessableEntity,
			surveys.FieldsError("The file is too large.", map[string]string{"1": "The file is larger than one megabyte: import the term's meetings in parts."}))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data := make([]byte, fh.Size)
	if _, err := io.ReadFull(f, data); err != nil {
		return err
	}
	res, err := p.cfg.Councils.Import(c.Context(), key, data)
	if surveys.ErrorCode(err) == surveys.EINVALID {
		return p.renderImport(c, http.StatusUnprocessableEntity, err)
	} else if err != nil {
		return err
	}
	done := "imported"
	if res.New == 0 {
		done = "imported-none"
	}
	if res.Flagged > 0 {
		done = "imported-flagged"
	}
	return redirectDone(c, "/staff/schools/"+url.PathEscape(key), done)
}
