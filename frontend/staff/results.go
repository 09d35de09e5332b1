package staff

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/frontend/charts"
	"github.com/heard-app/heard/surveys"
)

// resultsView is the Results page: the filter form, then every question's
// chart and table, with the change since the previous edition.
type resultsView struct {
	page
	Survey    *surveys.Survey
	Heading   string // the survey's title
	Edition   string // its edition, when the title does not say it
	Back      string // the breadcrumb: the survey's page, or the list for the board
	BackText  string
	Threshold int
	Fewer     string // "fewer than 5"
	// Empty is set when no one has answered yet; EmptyText says why.
	Empty     bool
	EmptyText string
	Errors    []resultsError

	Versions   []option
	Breakdowns []option
	Version    string // the chosen version label, or ""
	Group      string // the chosen "Question — Choice", or ""
	HasPrev    bool   // a previous edition exists: offer the comparison
	PrevName   string // "How are things? (2025)"
	Compare    bool   // the checkbox

	Responses  string // "120", or "fewer than 5"
	Suppressed bool   // the whole selection is too small to show
	Groups     []resultGroup
	// Comparing is set when the tables have a change column.
	Comparing   bool
	ChangeHead  string // "Change since 2025"
	CompareNote string // what the comparison is against, or why there is none

	// ExportResponses offers the download of individual responses, which
	// only admins and analysts may have.
	ExportResponses bool
	// Reader may download the board report and the results (a school
	// lead sees their pupil survey's results here, and nothing more).
	Reader bool
}

type resultsError struct {
	Field   string // the id of the select: "version" or "filter"
	Message string
}

type option struct {
	Value    string
	Label    string
	Selected bool
}

// resultGroup is a section of the survey and its questions.
type resultGroup struct {
	ID        string
	Title     string
	Questions []questionView
}

type questionView struct {
	ID         string
	Text       string
	Suppressed bool   // fewer than the threshold answered
	Answered   string // how many answered
	IsText     bool
	Multi      bool
	Chart      template.HTML
	Rows       []rowView
	Median     string // for a rating: "7 out of 10"
	MedianMove string // "up 1 point since 2025"
	// Comparing says whether this question has a change column; NotAsked
	// explains why it has none when the page compares.
	Comparing bool
	NotAsked  string
	// Sessions are the activities of MADE sessions linked to the question
	// (sessionNotes), and MoreSessions how many more the board report
	// counts.
	Sessions     []sessionNote
	MoreSessions int
}

type rowView struct {
	Label      string
	Count      string
	Percent    string
	Suppressed bool
	Change     string
	ChangeKind string // "up", "down", "same" or "none": a class, beside the words
}

// Results shows a survey's results to admins, analysts and board members:
// per version or all, for everyone or one group of a breakdown question,
// with every small number suppressed after filtering, and the change since
// the previous edition where both show a figure. Free text is never shown
// here, only how many wrote some.
func (p *Pages) Results(c fiber.Ctx) error {
	ctx := c.Context()
	s, err := p.cfg.Surveys.FindSurvey(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	st, err := p.cfg.Settings.Current(ctx)
	if err != nil {
		return err
	}
	tallies, err := p.cfg.Tallies.FindTallies(ctx, s)
	if err != nil {
		return err
	}
	v := resultsView{
		page:      p.page(c, "Results: "+surveyName(s)),
		Survey:    s,
		Heading:   s.Title.In(surveys.DefaultLanguage),
		Edition:   titleEdition(s),
		Back:      "/staff/surveys",
		BackText:  "Surveys",
		Threshold: st.Threshold,
		Fewer:     "fewer than " + itoa(st.Threshold),
		Reader:    true,
	}
	// A school lead sees only their own school's pupil survey.
	if u := CurrentUser(c); u != nil && u.Role == surveys.RoleSchoolLead {
		if s.School == "" || s.School != u.School {
			return surveys.Errorf(surveys.ENOTFOUND, "You can see only your own school's pupil survey.")
		}
		v.Back, v.BackText, v.Reader = "/staff/schools/"+url.PathEscape(s.School), "Your school", false
	}
	// The board reads results but cannot open a survey's own page.
	if u := CurrentUser(c); u != nil && (u.Role == surveys.RoleAdmin || u.Role == surveys.RoleAnalyst) {
		v.Back, v.BackText = v.Back+"/"+s.Slug, v.Heading
		v.ExportResponses = true
	}
	total := 0
	for _, t := range tallies {
		total += t.Slice(surveys.AllSlice).Responses
	}
	if total == 0 {
		v.Empty, v.EmptyText = true, emptyText(s.Status)
		return p.render(c, http.StatusOK, "results", v)
	}

	// The form always sends version, so its absence means the page was
	// opened from a link: then the comparison is on.
	q, errs := parseResultsQuery(s, c.Query("version"), c.Query("filter"))
	compare := !c.Request().URI().QueryArgs().Has("version") || c.Query("compare") != ""
	res, err := surveys.ComputeResults(s, tallies, q, st.Threshold)
	if err != nil && surveys.ErrorCode(err) == surveys.EINVALID {
		errs = append(errs, resultsError{Field: "filter", Message: surveys.ErrorMessage(err) + " Choose a group from the list."})
		q = surveys.ResultsQuery{}
		res, err = surveys.ComputeResults(s, tallies, q, st.Threshold)
	}
	if err != nil {
		return err
	}
	v.Errors = errs

	prev, note, err := p.previousEdition(ctx, s)
	if err != nil {
		return err
	}
	v.HasPrev, v.Compare = prev != nil, compare && prev != nil
	if prev != nil {
		v.PrevName = surveyName(prev)
	}
	var cmp *surveys.Comparison
	switch {
	case v.Compare && !res.Suppressed:
		cmp, note, err = p.compareWith(ctx, prev, res, q, st.Threshold)
		if err != nil {
			return err
		}
	case prev != nil:
		note = ""
	}
	v.CompareNote = note
	v.Comparing = cmp != nil
	if cmp != nil {
		v.ChangeHead = "Change since " + itoa(prev.Edition)
	}

	v.Versions, v.Version = versionOptions(s, q.Version)
	v.Breakdowns, v.Group = breakdownOptions(s, q.Filter)
	if res.Responses != nil {
		v.Responses = itoa(*res.Responses)
	} else {
		v.Responses = v.Fewer
	}
	v.Suppressed = res.Suppressed
	if !res.Suppressed {
		v.Groups = resultGroups(s, res, cmp, q.Version, v.Fewer, prevEdition(prev))
		if err := p.sessionNotes(ctx, s, st.Threshold, v.Groups, v.Fewer); err != nil {
			return err
		}
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return p.render(c, status, "results", v)
}

func prevEdition(prev *surveys.Survey) int {
	if prev == nil {
		return 0
	}
	return prev.Edition
}

// emptyText says kindly why there are no results yet.
func emptyText(st surveys.Status) string {
	switch st {
	case surveys.StatusDraft:
		return "This survey is still a draft, so no one has answered it yet. Its results will appear here once it is open and young people start to answer."
	case surveys.StatusOpen:
		return "The survey is open, but no one has answered it yet. Results will appear here as answers arrive."
	}
	return "No one answered this survey while it was open, so there are no results to show."
}

// parseResultsQuery reads ?version= and ?filter=question:choice as the
// JSON API does, and words what is wrong for the page's error summary.
func parseResultsQuery(s *surveys.Survey, version, filter string) (surveys.ResultsQuery, []resultsError) {
	var q surveys.ResultsQuery
	var errs []resultsError
	if version != "" {
		if s.Version(version) == nil {
			errs = append(errs, resultsError{Field: "version", Message: fmt.Sprintf("This survey has no version %q. Choose a version from the list.", version)})
		} else {
			q.Version = version
		}
	}
	if filter != "" {
		question, choice, ok := strings.Cut(filter, ":")
		if !ok || question == "" || choice == "" {
			errs = append(errs, resultsError{Field: "filter", Message: "The group must look like question:choice, such as area:north. Choose a group from the list."})
		} else {
			q.Filter = &surveys.Filter{Question: question, Choice: choice}
		}
	}
	if len(errs) > 0 {
		// Show the default results under the summary, rather than half of
		// what was asked for.
		return surveys.ResultsQuery{}, errs
	}
	return q, nil
}

// previousEdition finds the edition s follows. It returns nil and a note
// when there is none to compare with.
func (p *Pages) previousEdition(ctx context.Context, s *surveys.Survey) (*surveys.Survey, string, error) {
	if s.Previous == "" {
		return nil, "This is the first edition of this survey in Heard, so there is no earlier year to compare with.", nil
	}
	prev, err := p.cfg.Surveys.FindSurvey(ctx, s.Previous)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		return nil, fmt.Sprintf("The edition this one follows (%s) is no longer in Heard, so there is no earlier year to compare with.", s.Previous), nil
	} else if err != nil {
		return nil, "", err
	}
	return prev, "", nil
}

// compareWith computes the previous edition's results for the same
// version (or all its versions, when it had no such version) and the same
// group, from its own tallies, and compares. It returns nil and a reason
// when the group cannot be compared.
func (p *Pages) compareWith(ctx context.Context, prev *surveys.Survey, cur *surveys.Results, q surveys.ResultsQuery, threshold int) (*surveys.Comparison, string, error) {
	name := surveyName(prev)
	note := "Changes are in percentage points, compared with " + name + "."
	pq := surveys.ResultsQuery{Version: q.Version, Filter: q.Filter}
	if q.Version != "" && prev.Version(q.Version) == nil {
		pq.Version = ""
		note = fmt.Sprintf("Changes are in percentage points. %s had no version for this age group, so they are compared with all its versions.", name)
	}
	tallies, err := p.cfg.Tallies.FindTallies(ctx, prev)
	if err != nil {
		return nil, "", err
	}
	pres, err := surveys.ComputeResults(prev, tallies, pq, threshold)
	if surveys.ErrorCode(err) == surveys.EINVALID && q.Filter != nil {
		return nil, fmt.Sprintf("%s did not have this group, so these results are not compared with it.", name), nil
	} else if err != nil {
		return nil, "", err
	}
	if pres.Suppressed {
		note += " Too few people answered in " + itoa(prev.Edition) + " for this choice, so nothing is compared."
	}
	return surveys.CompareResults(cur, pres), note, nil
}

// versionOptions lists "All versions" and each version, with the chosen
// one selected; it returns the chosen version's label too.
func versionOptions(s *surveys.Survey, chosen string) ([]option, string) {
	opts := []option{{Value: "", Label: "All versions", Selected: chosen == ""}}
	label := ""
	for _, ver := range s.Versions {
		l := ver.Label.In(surveys.DefaultLanguage)
		if l == "" {
			l = ver.Key
		}
		opts = append(opts, option{Value: ver.Key, Label: l, Selected: ver.Key == chosen})
		if ver.Key == chosen {
			label = l
		}
	}
	return opts, label
}

// breakdownOptions lists "Everyone" and each choice of every breakdown
// question of any version, as "Question — Choice".
func breakdownOptions(s *surveys.Survey, chosen *surveys.Filter) ([]option, string) {
	opts := []option{{Value: "", Label: "Everyone", Selected: chosen == nil}}
	label := ""
	seen := map[string]bool{}
	for _, ver := range s.Versions {
		for _, q := range ver.Questions {
			if !q.Breakdown {
				continue
			}
			text := q.Text.In(surveys.DefaultLanguage)
			for _, ch := range q.Choices {
				value := surveys.SliceKey(q.Key, ch.Key)
				if seen[value] {
					continue
				}
				seen[value] = true
				o := option{Value: value, Label: text + " — " + ch.Label.In(surveys.DefaultLanguage)}
				o.Selected = chosen != nil && chosen.Question == q.Key && chosen.Choice == ch.Key
				if o.Selected {
					label = o.Label
				}
				opts = append(opts, o)
			}
		}
	}
	return opts, label
}

// resultGroups arranges the questions under the survey's sections, in the
// sections' order; questions in no known section come last.
func resultGroups(s *surveys.Survey, res *surveys.Results, cmp *surveys.Comparison, version, fewer string, prevEd int) []resultGroup {
	defs := questionDefs(s, version)
	var shown []*surveys.QuestionResult
	var sectionOf []string
	for i := range res.Questions {
		if def := defs[res.Questions[i].Key]; def != nil {
			shown = append(shown, &res.Questions[i])
			sectionOf = append(sectionOf, def.Section)
		}
	}
	var groups []resultGroup
	for _, g := range s.SectionGroups(sectionOf) {
		rg := resultGroup{ID: "section-" + g.Key, Title: g.Title}
		for _, i := range g.Items {
			rg.Questions = append(rg.Questions, questionResultView(defs[shown[i].Key], shown[i], cmp, fewer, prevEd))
		}
		groups = append(groups, rg)
	}
	return groups
}

// questionDefs returns the questions of the version, or of every version
// by first appearance, with the choices of later versions added, so that
// every choice of the results has a label.
func questionDefs(s *surveys.Survey, version string) map[string]*surveys.Question {
	defs := map[string]*surveys.Question{}
	for _, ver := range s.Versions {
		if version != "" && ver.Key != version {
			continue
		}
		for i := range ver.Questions {
			q := &ver.Questions[i]
			d := defs[q.Key]
			if d == nil {
				cp := *q
				cp.Choices = append([]surveys.Choice(nil), q.Choices...)
				defs[q.Key] = &cp
				continue
			}
			for _, ch := range q.Choices {
				if d.Choice(ch.Key) == nil {
					d.Choices = append(d.Choices, ch)
				}
			}
			if d.MinLabel == nil {
				d.MinLabel = q.MinLabel
			}
			if d.MaxLabel == nil {
				d.MaxLabel = q.MaxLabel
			}
		}
	}
	return defs
}

func questionResultView(def *surveys.Question, qr *surveys.QuestionResult, cmp *surveys.Comparison, fewer string, prevEd int) questionView {
	text := def.Text.In(surveys.DefaultLanguage)
	qv := questionView{ID: "q-" + qr.Key, Text: text, Suppressed: qr.Suppressed || qr.Answered == nil,
		IsText: qr.Type == surveys.FreeText, Multi: qr.Type == surveys.MultiChoice}
	if qv.Suppressed {
		qv.Answered = fewer
		return qv
	}
	qv.Answered = itoa(*qr.Answered)
	if qv.IsText {
		return qv
	}
	var change *surveys.QuestionChange
	if cmp != nil {
		if qc, ok := cmp.Questions[qr.Key]; ok {
			change, qv.Comparing = &qc, true
		} else {
			qv.NotAsked = "This question was not asked in the same way in " + itoa(prevEd) + ", so it is not compared."
		}
	}
	cells, key, label := qr.Choices, choiceKey, func(c *surveys.CellResult) string {
		if ch := def.Choice(c.Key); ch != nil {
			return ch.Label.In(surveys.DefaultLanguage)
		}
		return c.Key
	}
	if qr.Type == surveys.Rating {
		lo, hi := def.RatingRange()
		cells, key, label = qr.Distribution, ratingKey, func(c *surveys.CellResult) string {
			n := *c.Value
			l := itoa(n)
			switch {
			case n == lo && def.MinLabel.In(surveys.DefaultLanguage) != "":
				l += " – " + def.MinLabel.In(surveys.DefaultLanguage)
			case n == hi && def.MaxLabel.In(surveys.DefaultLanguage) != "":
				l += " – " + def.MaxLabel.In(surveys.DefaultLanguage)
			}
			return l
		}
		if qr.Median != nil {
			qv.Median = number(*qr.Median) + " out of " + itoa(hi)
			if change != nil && change.Median != nil && change.Median.Points != nil {
				qv.MedianMove = medianMove(*change.Median.Points, prevEd)
			}
		}
	}
	bars := make([]charts.Bar, 0, len(cells))
	for i := range cells {
		cell := &cells[i]
		k, _ := key(cell)
		row := rowView{Label: label(cell), Suppressed: cell.Suppressed || cell.Count == nil || cell.Percent == nil}
		bar := charts.Bar{Label: row.Label, Suppressed: row.Suppressed}
		if row.Suppressed {
			row.Count, row.Percent = fewer, fewer
		} else {
			row.Count, row.Percent = itoa(*cell.Count), tablePercent(*cell.Percent)
			bar.Percent = cell.Percent
		}
		if change != nil {
			ch, ok := change.Choices[k]
			row.Change, row.ChangeKind = changeWords(ch, ok, prevEd)
			if ok && ch.Points != nil && !row.Suppressed {
				bar.Change = ch.Points
			}
		}
		qv.Rows = append(qv.Rows, row)
		bars = append(bars, bar)
	}
	desc := fmt.Sprintf("Bar chart of the share of %s people who answered giving each answer; the numbers are in the table that follows.", qv.Answered)
	qv.Chart = charts.HorizontalBars(charts.Chart{ID: "chart-" + qr.Key, Title: text, Bars: bars, Suppressed: fewer, Desc: desc})
	return qv
}

func choiceKey(c *surveys.CellResult) (string, bool) { return c.Key, c.Key != "" }

func ratingKey(c *surveys.CellResult) (string, bool) {
	if c.Value == nil {
		return "", false
	}
	return strconv.Itoa(*c.Value), true
}

// changeWords says a change in percentage points in words: "+3.5 points",
// "−2 points", "no change", or "not compared" when either year's figure is
// hidden.
func changeWords(ch surveys.Change, ok bool, prevEd int) (string, string) {
	switch {
	case !ok:
		return "new answer, not in " + itoa(prevEd), "none"
	case ch.Points == nil:
		return "not compared", "none"
	case *ch.Points == 0:
		return "no change", "same"
	case *ch.Points > 0:
		return "+" + number(*ch.Points) + points(*ch.Points), "up"
	}
	return "−" + number(-*ch.Points) + points(*ch.Points), "down"
}

func points(v float64) string {
	if math.Abs(v) == 1 {
		return " point"
	}
	return " points"
}

// medianMove says how a rating's median moved since the previous edition.
func medianMove(d float64, prevEd int) string {
	since := " since " + itoa(prevEd)
	switch {
	case d == 0:
		return "the same as in " + itoa(prevEd)
	case d > 0:
		return "up " + number(d) + points(d) + since
	}
	return "down " + number(-d) + points(d) + since
}

// tablePercent writes a share in a results table, always with one
// decimal place so that a column's figures line up: "75.0%", "33.3%".
func tablePercent(p float64) string {
	r := math.Round(p*10) / 10
	if r == 0 {
		r = 0 // not -0
	}
	return strconv.FormatFloat(r, 'f', 1, 64) + "%"
}

// number writes v with at most one decimal place: 7, 7.5.
func number(v float64) string {
	r := math.Round(v*10) / 10
	if r == 0 {
		r = 0
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}
