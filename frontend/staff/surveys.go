package staff

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// The survey pages: the list (which board members read too), creating a
// survey from a shipped template or as the next edition of one, a survey's
// own page with opening and closing, its schedule and cohort, and previews
// of each version as a phone shows it.

// surveyIssue is one line of an error summary, linking to its field.
type surveyIssue struct {
	ID   string // the field's id, without "#"; empty for a problem with no field
	Text string
}

// surveyOption is one choice of a select.
type surveyOption struct {
	Value    string
	Text     string
	Selected bool
}

// surveyListRow is one survey in the list.
type surveyListRow struct {
	surveyRow
	Href     string // its page for those who manage surveys, its results for the board, or none
	Versions string // the versions' labels
}

// newSurveyForm is one of the two "Create a survey" forms, as typed.
type newSurveyForm struct {
	Choice  string            // the template, or the survey the new edition follows
	Slug    string            // empty: made from the template's or the survey's
	Edition string            // empty: the template's, or the year after the survey's
	Errors  map[string]string // by field: "choice", "slug", "edition"
	Options []surveyOption
}

type surveyListView struct {
	page
	Rows         []surveyListRow
	Manage       bool // may create, open and close surveys
	Threshold    int
	FromTemplate newSurveyForm
	NextEdition  newSurveyForm
	Issues       []surveyIssue // what is wrong with the form that was sent
}

// newSurveyLabels name the fields of the create forms in messages.
var newSurveyLabels = map[string]map[string]string{
	"template": {"choice": "Template", "slug": "Web address name", "edition": "Edition"},
	"edition":  {"choice": "Survey it follows", "slug": "Web address name", "edition": "Edition"},
}

// SurveyList shows every survey with its status, versions, responses and
// response rate. Admins and analysts open each survey's page from it and
// create surveys there; board members open each survey's results, and see
// small counts as "fewer than N".
func (p *Pages) SurveyList(c fiber.Ctx) error {
	v, err := p.surveyListView(c)
	if err != nil {
		return err
	}
	if v.Manage {
		v.FromTemplate.Edition = strconv.Itoa(p.cfg.Now().In(london).Year())
		// "Make next year's edition" on a survey's page comes here with the
		// survey chosen and its next edition filled in.
		if next := c.Query("next"); next != "" {
			prev, err := p.cfg.Surveys.FindSurvey(c.Context(), next)
			switch {
			case err == nil:
				edition := prev.Edition + 1
				v.NextEdition.Choice = prev.Slug
				v.NextEdition.Edition = strconv.Itoa(edition)
				v.NextEdition.Slug = surveys.SuggestEditionSlug(prev.Slug, prev.Edition, edition)
			case surveys.ErrorCode(err) != surveys.ENOTFOUND:
				return err
			}
		}
		if err := p.fillSurveyOptions(c, &v); err != nil {
			return err
		}
	}
	return p.render(c, http.StatusOK, "surveys", v)
}

// surveyListView lists the surveys, with their figures as the person's
// role may see them.
func (p *Pages) surveyListView(c fiber.Ctx) (surveyListView, error) {
	u := CurrentUser(c)
	v := surveyListView{page: p.page(c, "Surveys"), Manage: u.Role == surveys.RoleAdmin || u.Role == surveys.RoleAnalyst}
	ctx := c.Context()
	list, err := p.cfg.Surveys.FindSurveys(ctx, surveys.SurveyFilter{})
	if err != nil {
		return v, err
	}
	rows, err := p.surveyRows(ctx, u, list)
	if err != nil {
		return v, err
	}
	st, err := p.cfg.Settings.Current(ctx)
	if err != nil {
		return v, err
	}
	v.Threshold = st.Threshold
	for _, r := range rows {
		row := surveyListRow{surveyRow: r, Versions: versionLabels(r.Survey)}
		switch {
		case v.Manage:
			row.Href = "/staff/surveys/" + r.Survey.Slug
		case r.Survey.Status != surveys.StatusDraft:
			row.Href = "/staff/surveys/" + r.Survey.Slug + "/results"
		}
		v.Rows = append(v.Rows, row)
	}
	return v, nil
}

// fillSurveyOptions lists the templates and the surveys a new edition may
// follow, marking the ones chosen.
func (p *Pages) fillSurveyOptions(c fiber.Ctx, v *surveyListView) error {
	if p.cfg.Templates != nil {
		defs, err := p.cfg.Templates()
		if err != nil {
			return err
		}
		for _, d := range defs {
			v.FromTemplate.Options = append(v.FromTemplate.Options, surveyOption{
				Value: d.Slug, Text: d.Title.In(surveys.DefaultLanguage) + " (" + d.Slug + ")", Selected: d.Slug == v.FromTemplate.Choice,
			})
		}
	}
	for _, r := range v.Rows {
		s := r.Survey
		v.NextEdition.Options = append(v.NextEdition.Options, surveyOption{
			Value:    s.Slug,
			Text:     surveyName(s) + ", next: " + surveys.SuggestEditionSlug(s.Slug, s.Edition, s.Edition+1),
			Selected: s.Slug == v.NextEdition.Choice,
		})
	}
	return nil
}

// versionLabels lists a survey's versions by their English labels.
func versionLabels(s *surveys.Survey) string {
	labels := make([]string, 0, len(s.Versions))
	for _, v := range s.Versions {
		labels = append(labels, v.Label.In(surveys.DefaultLanguage))
	}
	return strings.Join(labels, ", ")
}

// CreateSurvey makes a draft from a shipped template (from=template) or as
// the next edition of a survey (from=edition), then shows its page. A form
// with mistakes comes back with each beside its field.
func (p *Pages) CreateSurvey(c fiber.Ctx) error {
	from := c.FormValue("from")
	form := newSurveyForm{Choice: c.FormValue("choice"), Slug: strings.TrimSpace(c.FormValue("slug")), Edition: strings.TrimSpace(c.FormValue("edition"))}
	var d *surveys.Definition
	var err error
	switch from {
	case "template":
		d, err = p.fromTemplate(form)
	case "edition":
		d, err = p.nextEdition(c, form)
	default:
		return surveys.FieldsError("Choose whether to start from a template or from an earlier survey.", map[string]string{"from": "must be template or edition"})
	}
	if err == nil {
		var s *surveys.Survey
		if s, err = p.cfg.Catalog.Create(c.Context(), d); err == nil {
			return redirectDone(c, "/staff/surveys/"+s.Slug, "created")
		}
		if surveys.ErrorCode(err) == surveys.ECONFLICT {
			err = surveys.FieldsError("The survey was not created.", map[string]string{"slug": "is used by another survey already: choose another"})
		}
	}
	if surveys.ErrorCode(err) != surveys.EINVALID {
		return err
	}
	form.Errors = map[string]string{}
	v, lerr := p.surveyListView(c)
	if lerr != nil {
		return lerr
	}
	prefix := map[string]string{"template": "tpl-", "edition": "next-"}[from]
	for field, msg := range surveys.ErrorFields(err) {
		switch field {
		case "previous":
			field = "choice"
		case "choice", "slug", "edition":
		default:
			// A template or survey that is not right in itself: say where,
			// at the top, since no field of this form can fix it.
			v.Issues = append(v.Issues, surveyIssue{Text: "In the survey, " + field + " " + msg + "."})
			continue
		}
		text := newSurveyLabels[from][field] + " " + msg + "."
		form.Errors[field] = text
		v.Issues = append(v.Issues, surveyIssue{ID: prefix + field, Text: text})
	}
	if len(v.Issues) == 0 {
		v.Issues = append(v.Issues, surveyIssue{Text: surveys.ErrorMessage(err)})
	}
	sortSurveyIssues(v.Issues)
	v.FromTemplate.Edition = strconv.Itoa(p.cfg.Now().In(london).Year())
	if from == "template" {
		v.FromTemplate = form
	} else {
		v.NextEdition = form
	}
	if err := p.fillSurveyOptions(c, &v); err != nil {
		return err
	}
	return p.render(c, http.StatusUnprocessableEntity, "surveys", v)
}

// sortSurveyIssues puts the summary in the order of the form's fields,
// then the rest as the domain gave them, sorted so that the page is the
// same each time.
func sortSurveyIssues(issues []surveyIssue) {
	order := func(id string) int {
		for i, suffix := range []string{"choice", "edition", "slug"} {
			if strings.HasSuffix(id, "-"+suffix) {
				return i
			}
		}
		return 3
	}
	slices.SortStableFunc(issues, func(a, b surveyIssue) int {
		return cmp.Or(cmp.Compare(order(a.ID), order(b.ID)), strings.Compare(a.Text, b.Text))
	})
}

// fromTemplate makes a definition from a shipped template, for the edition
// asked (the template's when empty) and the slug asked (the template's,
// with the edition's year, when empty).
func (p *Pages) fromTemplate(form newSurveyForm) (*surveys.Definition, error) {
	var d *surveys.Definition
	if p.cfg.Templates != nil && form.Choice != "" {
		defs, err := p.cfg.Templates()
		if err != nil {
			return nil, err
		}
		for _, t := range defs {
			if t.Slug == form.Choice {
				d = t
			}
		}
	}
	errs := map[string]string{}
	otherwise := 0
	if d == nil {
		errs["choice"] = "is not chosen: choose one of the templates"
	} else {
		otherwise = d.Edition
	}
	edition := p.editionField(form.Edition, otherwise, errs)
	if len(errs) > 0 {
		return nil, surveys.FieldsError("The survey was not created.", errs)
	}
	if form.Slug == "" {
		form.Slug = surveys.SuggestEditionSlug(d.Slug, d.Edition, edition)
	}
	d.Slug, d.Edition = form.Slug, edition
	return d, nil
}

// nextEdition makes the next edition of a survey: every version, question
// and choice copied with the same keys, so that the years compare.
func (p *Pages) nextEdition(c fiber.Ctx, form newSurveyForm) (*surveys.Definition, error) {
	prev, err := p.cfg.Surveys.FindSurvey(c.Context(), form.Choice)
	if err != nil && surveys.ErrorCode(err) != surveys.ENOTFOUND {
		return nil, err
	}
	errs := map[string]string{}
	otherwise := 0
	if prev == nil || form.Choice == "" {
		errs["choice"] = "is not chosen: choose one of the surveys"
	} else {
		otherwise = prev.Edition + 1
	}
	edition := p.editionField(form.Edition, otherwise, errs)
	if len(errs) > 0 {
		return nil, surveys.FieldsError("The new edition was not created.", errs)
	}
	if form.Slug == "" {
		form.Slug = surveys.SuggestEditionSlug(prev.Slug, prev.Edition, edition)
	}
	return surveys.NewEdition(&prev.Definition, form.Slug, edition)
}

// editionField reads an edition as typed, where empty stands for
// otherwise, adding to errs when it is not a year.
func (p *Pages) editionField(typed string, otherwise int, errs map[string]string) int {
	if typed == "" {
		return otherwise
	}
	n, err := strconv.Atoi(typed)
	if err != nil {
		errs["edition"] = "must be a year, such as " + strconv.Itoa(p.cfg.Now().In(london).Year()+1)
	}
	return n
}

// surveyVersionRow is one version on a survey's page.
type surveyVersionRow struct {
	Key       string
	Label     string
	Ages      string
	Questions int
}

// scheduleForm is the schedule form, as shown or as typed.
type scheduleForm struct {
	Revision int
	Opens    string // as a datetime-local input takes it, in London time
	Closes   string
	Cohort   string
	// Retention is the survey's own period in months; empty: the
	// council's.
	Retention string
	Errors    map[string]string // "opens", "closes", "cohort", "retention_months"
}

type surveyPageView struct {
	page
	Survey     *surveys.Survey
	Row        surveyRow
	Previous   *surveys.Survey // the edition it follows, when Heard has it
	PrevName   string          // its title, with its year when the title has none
	Versions   []surveyVersionRow
	Questions  int
	Schedule   scheduleForm
	Retention  surveyRetention // how long its answers are kept (retention.go)
	Issues     []surveyIssue
	Conflict   string // why a change was not made: someone else's came first
	CanPreview bool
}

// SurveyPage shows a survey to those who manage it: its status with the
// button to open or close it, its versions with previews, its schedule and
// cohort, and links to edit it, its results and its access codes.
func (p *Pages) SurveyPage(c fiber.Ctx) error {
	s, err := p.cfg.Surveys.FindSurvey(c.Context(), c.Params("slug"))
	if err != nil {
		return err
	}
	return p.renderSurveyPage(c, http.StatusOK, s, nil, "")
}

// renderSurveyPage shows s, with the schedule form as typed (nil: as
// saved) and, when a change was refused because of someone else's,
// conflict.
func (p *Pages) renderSurveyPage(c fiber.Ctx, status int, s *surveys.Survey, typed *scheduleForm, conflict string) error {
	ctx := c.Context()
	rows, err := p.surveyRows(ctx, CurrentUser(c), []*surveys.Survey{s})
	if err != nil {
		return err
	}
	v := surveyPageView{page: p.page(c, s.Title.In(surveys.DefaultLanguage)), Survey: s, Row: rows[0],
		Conflict: conflict, CanPreview: p.cfg.Preview != nil}
	if s.Previous != "" {
		prev, err := p.cfg.Surveys.FindSurvey(ctx, s.Previous)
		if err != nil && surveys.ErrorCode(err) != surveys.ENOTFOUND {
			return err
		}
		v.Previous = prev
		if prev != nil {
			v.PrevName = surveyName(prev)
		}
	}
	for _, ver := range s.Versions {
		row := surveyVersionRow{Key: ver.Key, Label: ver.Label.In(surveys.DefaultLanguage), Questions: len(ver.Questions)}
		switch {
		case ver.AgeMin != nil && ver.AgeMax != nil:
			row.Ages = strconv.Itoa(*ver.AgeMin) + " to " + strconv.Itoa(*ver.AgeMax)
		case ver.AgeMin != nil:
			row.Ages = strconv.Itoa(*ver.AgeMin) + " and over"
		case ver.AgeMax != nil:
			row.Ages = "up to " + strconv.Itoa(*ver.AgeMax)
		}
		v.Questions += row.Questions
		v.Versions = append(v.Versions, row)
	}
	if typed != nil {
		v.Schedule = *typed
		for _, field := range []string{"opens", "closes", "cohort", "retention_months"} {
			if msg, ok := typed.Errors[field]; ok {
				v.Issues = append(v.Issues, surveyIssue{ID: "schedule-" + field, Text: msg})
			}
		}
	} else {
		v.Schedule = scheduleForm{Revision: s.Revision, Opens: londonInput(s.Opens), Closes: londonInput(s.Closes)}
		if s.Cohort > 0 {
			v.Schedule.Cohort = strconv.Itoa(s.Cohort)
		}
		v.Schedule.Retention = monthsInput(s.RetentionMonths)
	}
	if v.Retention, err = p.surveyRetentionOf(ctx, s); err != nil {
		return err
	}
	return p.render(c, status, "survey", v)
}

// SurveyStatus opens or closes a survey. The first press shows what will
// happen, with a button to confirm (the form's confirm=yes) and a way back;
// only the confirmed form changes the survey. A form from a page older
// than the survey's last change changes nothing and shows the survey as it
// now is.
func (p *Pages) SurveyStatus(c fiber.Ctx) error {
	s, err := p.cfg.Surveys.FindSurvey(c.Context(), c.Params("slug"))
	if err != nil {
		return err
	}
	to := surveys.Status(c.FormValue("status"))
	if to != surveys.StatusOpen && to != surveys.StatusClosed {
		return surveys.FieldsError("A survey can be opened or closed here, nothing else.", map[string]string{"status": "must be open or closed"})
	}
	if rev, err := strconv.Atoi(c.FormValue("revision")); err != nil || rev != s.Revision {
		return p.renderSurveyPage(c, http.StatusConflict, s, nil,
			"Someone changed this survey after you opened the page, so it was not "+statusVerb(to)+". Here it is as it is now: look it over, then try again.")
	}
	if s.Status == to {
		return redirectDone(c, "/staff/surveys/"+s.Slug, statusVerb(to))
	}
	if c.FormValue("confirm") != "yes" {
		return p.confirmStatus(c, s, to)
	}
	if _, err := p.cfg.Catalog.SetStatus(c.Context(), s.Slug, to); surveys.ErrorCode(err) == surveys.ECONFLICT {
		return p.renderSurveyPage(c, http.StatusConflict, s, nil, surveys.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	return redirectDone(c, "/staff/surveys/"+s.Slug, statusVerb(to))
}

// statusVerb is what opening or closing did to a survey, in a word that
// is also the key of its flash message.
func statusVerb(to surveys.Status) string {
	if to == surveys.StatusClosed {
		return "closed"
	}
	return "opened"
}

type confirmStatusView struct {
	page
	Survey  *surveys.Survey
	To      surveys.Status
	Heading string
	Says    []string // what will happen, a sentence each
	Button  string
	Danger  bool
}

// confirmStatus asks to confirm opening or closing s, saying what happens.
func (p *Pages) confirmStatus(c fiber.Ctx, s *surveys.Survey, to surveys.Status) error {
	title := s.Title.In(surveys.DefaultLanguage)
	now := p.cfg.Now()
	v := confirmStatusView{Survey: s, To: to}
	switch {
	case to == surveys.StatusClosed:
		v.Heading, v.Button, v.Danger = "Close “"+title+"”?", "Close the survey", true
		v.Says = []string{"It will take no more answers; you can open it again later.",
			"Answers already given are kept, and its results stay as they are."}
		if r, err := p.surveyRetentionOf(c.Context(), s); err == nil {
			v.Says = append(v.Says, "Its responses and comments will be deleted "+monthsPhrase(r.Months)+
				" after it closes; its results and theme counts stay.")
		}
		if !s.Closes.IsZero() && s.Closes.After(now) {
			v.Says = append(v.Says, "It was due to close by itself on "+londonWhen(s.Closes)+"; closing it now does not wait.")
		}
		v.Says = append(v.Says, "A survey closed by hand stays closed: it will not open again by itself.")
	case s.Status == surveys.StatusClosed:
		v.Heading, v.Button = "Open “"+title+"” again?", "Open the survey again"
		v.Says = []string{"Young people will be able to answer it again at once, at " + p.surveyAddress(s) + "."}
		if !s.Closes.IsZero() && !s.Closes.After(now) {
			v.Says = append(v.Says, "Its closing time, "+londonWhen(s.Closes)+", has passed, so it would close again by itself within a minute. To keep it open, cancel and change or clear the closing time first.")
		}
	default:
		v.Heading, v.Button = "Open “"+title+"”?", "Open the survey"
		v.Says = []string{"Young people will be able to answer it at once, at " + p.surveyAddress(s) + "."}
		if !s.Opens.IsZero() && s.Opens.After(now) {
			v.Says = append(v.Says, "It was due to open by itself on "+londonWhen(s.Opens)+"; opening it now does not wait.")
		}
		v.Says = append(v.Says, "Once it has been open, only its wording can change, so that answers keep their meaning.")
		if s.RequireCode {
			v.Says = append(v.Says, "Each young person will need an access code.")
		}
	}
	v.page = p.page(c, strings.TrimSuffix(v.Heading, "?"))
	return p.render(c, http.StatusOK, "survey-confirm", v)
}

// surveyAddress is where young people answer s.
func (p *Pages) surveyAddress(s *surveys.Survey) string {
	return strings.TrimRight(p.cfg.PublicURL, "/") + "/s/" + s.Slug
}

// SurveySchedule sets when a survey opens and closes by itself, and its
// cohort. Mistakes come back beside their fields; a form from before
// someone else's change shows the survey as it now is, with why nothing
// was saved.
func (p *Pages) SurveySchedule(c fiber.Ctx) error {
	ctx := c.Context()
	s, err := p.cfg.Surveys.FindSurvey(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	form := scheduleForm{Opens: strings.TrimSpace(c.FormValue("opens")), Closes: strings.TrimSpace(c.FormValue("closes")),
		Cohort: strings.TrimSpace(c.FormValue("cohort")), Retention: strings.TrimSpace(c.FormValue("retention_months")),
		Errors: map[string]string{}}
	form.Revision, err = strconv.Atoi(c.FormValue("revision"))
	if err != nil {
		form.Revision = -1 // not a revision any survey has: a conflict
	}
	sc := surveys.Schedule{}
	if sc.Opens, err = parseLondonInput(form.Opens); err != nil {
		form.Errors["opens"] = "The opening time must be a date and time, such as 1 December 2026, 09:00."
	}
	if sc.Closes, err = parseLondonInput(form.Closes); err != nil {
		form.Errors["closes"] = "The closing time must be a date and time, such as 31 January 2027, 17:00."
	}
	if form.Cohort != "" {
		if sc.Cohort, err = strconv.Atoi(form.Cohort); err != nil {
			form.Errors["cohort"] = "The cohort size must be a whole number, such as 250, or empty."
		}
	}
	if sc.RetentionMonths = typedMonths(form.Retention); sc.RetentionMonths < 0 {
		form.Errors["retention_months"] = "The time to keep answers must be a whole number of months, such as 24, or empty for the council's period."
	}
	if len(form.Errors) > 0 {
		return p.renderSurveyPage(c, http.StatusUnprocessableEntity, s, &form, "")
	}
	_, err = p.cfg.Catalog.SetSchedule(ctx, s.Slug, form.Revision, sc)
	switch surveys.ErrorCode(err) {
	case "":
		return redirectDone(c, "/staff/surveys/"+s.Slug, "scheduled")
	case surveys.EINVALID:
		names := map[string]string{"opens": "The opening time", "closes": "The closing time", "cohort": "The cohort size",
			"retention_months": "The time to keep answers"}
		for field, msg := range surveys.ErrorFields(err) {
			if name, ok := names[field]; ok {
				form.Errors[field] = name + " " + msg + "."
			}
		}
		return p.renderSurveyPage(c, http.StatusUnprocessableEntity, s, &form, "")
	case surveys.ECONFLICT:
		conflict := surveys.ErrorMessage(err)
		if s, err = p.cfg.Surveys.FindSurvey(ctx, s.Slug); err != nil {
			return err
		}
		return p.renderSurveyPage(c, http.StatusConflict, s, nil, conflict)
	}
	return err
}

// Layouts of a datetime-local input's value; browsers send the first.
var londonInputLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"}

// parseLondonInput reads a datetime-local value as a time in London; empty
// is the zero time.
func parseLondonInput(typed string) (time.Time, error) {
	if typed == "" {
		return time.Time{}, nil
	}
	var err error
	for _, layout := range londonInputLayouts {
		var t time.Time
		if t, err = time.ParseInLocation(layout, typed, london); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}

// londonInput is t as a datetime-local input shows it, in London time.
func londonInput(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(london).Format("2006-01-02T15:04")
}

// londonWhen is t as people read it, in London time.
func londonWhen(t time.Time) string {
	return t.In(london).Format("2 Jan 2006 at 15:04")
}

// SurveyPreview shows a version of a survey as a young person's phone
// shows it, whatever the survey's status; nothing sent from it is stored.
func (p *Pages) SurveyPreview(c fiber.Ctx) error {
	if p.cfg.Preview == nil {
		return surveys.Errorf(surveys.ENOTFOUND, "Previews are not available here.")
	}
	s, err := p.cfg.Surveys.FindSurvey(c.Context(), c.Params("slug"))
	if err != nil {
		return err
	}
	return p.cfg.Preview.Preview(c, s, c.Params("version"), "/staff/surveys/"+s.Slug)
}
