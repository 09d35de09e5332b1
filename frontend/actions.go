package frontend

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// ukTime is where the council is: the day an action was done is the day
// in the UK.
var ukTime = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// option is one choice of a filter's list.
type option struct {
	Value    string
	Text     string
	Lang     string // set when Text is English in a page in another language
	Selected bool
}

// actionCard is one published action as young people see it.
type actionCard struct {
	ID          string
	Status      surveys.ActionStatus // picks the picture
	StatusWords string
	Said        localText
	DidLabel    string
	Did         localText
	Reason      localText // why it is not possible; staff write it in English
	WhoLabel    string
	Owner       localText // a team's name, in English
	When        string    // "By 31 March 2027", "Done on 3 December 2026", or ""
	Themes      []localText
}

// actionsView is the "you said, we did" page.
type actionsView struct {
	page
	Surveys  []option
	Themes   []option
	Cards    []actionCard
	Count    string
	Problems []string // what is wrong with the filter, in words
	Filtered bool     // a survey or theme was chosen
	Sessions []sessionCard
}

// YouSaidWeDid serves GET /you-said-we-did: the actions the council
// published, in the young person's language where it has them, each with
// a picture of its status, filtered by ?survey= and ?theme=. A filter
// Heard does not know (or a survey not yet open) is said so plainly, with
// a 404, and every action is shown instead. Nothing unpublished appears.
func (p *Pages) YouSaidWeDid(c fiber.Ctx) error {
	if p.cfg.Actions == nil {
		return fiber.ErrNotFound
	}
	ctx := c.Context()
	v := actionsView{page: p.page(c, c.Query("lang"))}
	l := v.L
	v.Title = l.T("actions.title")
	published, err := p.cfg.Actions.List(ctx, surveys.ActionFilter{Published: true})
	if err != nil {
		return fmt.Errorf("you said, we did: %w", err)
	}
	all, err := p.cfg.Surveys.FindSurveys(ctx, surveys.SurveyFilter{})
	if err != nil {
		return fmt.Errorf("you said, we did: %w", err)
	}
	shown := map[string]*surveys.Survey{} // drafts are not young people's to know of
	for _, s := range all {
		if s.Status != surveys.StatusDraft {
			shown[s.Slug] = s
		}
	}
	book := p.cfg.Actions.Themes.Codebook()
	f := surveys.ActionFilter{Survey: c.Query("survey"), Theme: c.Query("theme")}
	status := http.StatusOK
	if f.Survey != "" && shown[f.Survey] == nil {
		v.Problems = append(v.Problems, l.T("actions.unknown_survey"))
		f.Survey, status = "", http.StatusNotFound
	}
	if f.Theme != "" && book.Theme(f.Theme) == nil {
		v.Problems = append(v.Problems, l.T("actions.unknown_theme"))
		f.Theme, status = "", http.StatusNotFound
	}
	v.Error = len(v.Problems) > 0
	v.Filtered = f.Survey != "" || f.Theme != ""
	v.Surveys = surveyChoices(l, all, shown, published, f.Survey)
	v.Themes = themeChoices(l, book, published, f.Theme)
	for _, a := range published {
		if (f.Survey == "" || slices.Contains(a.Surveys, f.Survey)) && (f.Theme == "" || slices.Contains(a.Themes, f.Theme)) {
			v.Cards = append(v.Cards, actionCardOf(l, book, a))
		}
	}
	v.Count = l.T("actions.count", "n", len(v.Cards))
	if f.Survey == "" {
		if v.Sessions, err = p.sessionCards(ctx, l, f.Theme, p.threshold(c)); err != nil {
			return fmt.Errorf("you said, we did: %w", err)
		}
	}
	return p.render(c, status, "you-said-we-did", v)
}

// surveyChoices are the surveys young people may choose: those, not
// drafts, that published actions are linked to, newest edition first.
func surveyChoices(l *locale, all []*surveys.Survey, shown map[string]*surveys.Survey, published []*surveys.Action, chosen string) []option {
	used := map[string]bool{chosen: chosen != ""}
	for _, a := range published {
		for _, s := range a.Surveys {
			used[s] = true
		}
	}
	out := []option{{Value: "", Text: l.T("actions.all_surveys"), Selected: chosen == ""}}
	for _, s := range all {
		if used[s.Slug] && shown[s.Slug] != nil {
			t := l.Text(s.Title)
			out = append(out, option{Value: s.Slug, Text: t.Text, Lang: t.Lang, Selected: s.Slug == chosen})
		}
	}
	return out
}

// themeChoices are the themes published actions are about, in the
// codebook's order, and the chosen one.
func themeChoices(l *locale, book *surveys.Codebook, published []*surveys.Action, chosen string) []option {
	used := map[string]bool{chosen: chosen != ""}
	for _, a := range published {
		for _, t := range a.Themes {
			used[t] = true
		}
	}
	out := []option{{Value: "", Text: l.T("actions.all_themes"), Selected: chosen == ""}}
	for _, t := range book.Themes {
		if used[t.Key] {
			name := themeName(l, &t)
			out = append(out, option{Value: t.Key, Text: name.Text, Lang: name.Lang, Selected: t.Key == chosen})
		}
	}
	return out
}

// themeName names a theme in l's language. In English it is the
// codebook's name, which analysts may change; the pages translate the
// starting themes ("theme.transport"), and a theme a council added keeps
// its English name.
func themeName(l *locale, t *surveys.Theme) localText {
	if _, ok := l.messages["theme."+t.Key]; ok && l.Lang != surveys.DefaultLanguage {
		return localText{Text: l.T("theme." + t.Key)}
	}
	return l.Text(surveys.Text{surveys.DefaultLanguage: t.Name})
}

// actionCardOf lays out one action in l's language.
func actionCardOf(l *locale, book *surveys.Codebook, a *surveys.Action) actionCard {
	st := string(a.Status)
	card := actionCard{ID: a.ID, Status: a.Status, StatusWords: l.T("actions.status." + st),
		Said: l.Text(a.Said), DidLabel: l.T("actions.did." + st), Did: l.Text(a.Did), WhoLabel: l.T("actions.who." + st),
		Owner: l.Text(surveys.Text{surveys.DefaultLanguage: a.Owner})}
	if a.Reason != "" {
		card.Reason = l.Text(surveys.Text{surveys.DefaultLanguage: a.Reason})
	}
	switch {
	case a.Closed():
		if day := statusSince(a); day != "" {
			card.When = l.T("actions.since."+st, "date", l.Date(day))
		}
	case a.Due != "":
		card.When = l.T("actions.due", "date", l.Date(a.Due))
	}
	for _, key := range a.Themes {
		if t := book.Theme(key); t != nil {
			card.Themes = append(card.Themes, themeName(l, t))
		}
	}
	return card
}

// statusSince returns the day (in the UK) an action took the status it
// has: the first change of the last run of changes with that status.
func statusSince(a *surveys.Action) string {
	var since time.Time
	for i := len(a.History) - 1; i >= 0 && a.History[i].Status == a.Status; i-- {
		since = a.History[i].At
	}
	if since.IsZero() {
		return ""
	}
	return since.In(ukTime).Format(time.DateOnly)
}

// Date writes a day ("2027-03-31") as the language does: "31 March 2027",
// "31 marca 2027". Numbers are written plainly: a year is not a count.
func (l *locale) Date(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return l.T("date.format", "day", strconv.Itoa(t.Day()), "month", l.T(fmt.Sprintf("date.month_%d", int(t.Month()))),
		"year", strconv.Itoa(t.Year()))
}
