package frontend

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// homeView is the start page.
type homeView struct {
	page
	Surveys []link
}

// link is a place to go, with the words on the link.
type link struct {
	Href string
	Text string
}

// Home serves GET /: what Heard is, and the surveys open now.
func (p *Pages) Home(c fiber.Ctx) error {
	list, err := p.cfg.Surveys.FindSurveys(c.Context(), surveys.SurveyFilter{Status: surveys.StatusOpen})
	if err != nil {
		return fmt.Errorf("home page: %w", err)
	}
	v := homeView{page: p.page(c, "Have your say")}
	for _, s := range list {
		v.Surveys = append(v.Surveys, link{Href: "/s/" + s.Slug, Text: s.Title.In(lang)})
	}
	return p.render(c, fiber.StatusOK, "home", v)
}

// helpPageView is the help page.
type helpPageView struct {
	page
	Help helpView
}

// Help serves GET /help: who a young person can talk to, now.
func (p *Pages) Help(c fiber.Ctx) error {
	v := helpPageView{page: p.page(c, "Get help now"), Help: p.help()}
	v.OnHelp = true
	return p.render(c, fiber.StatusOK, "help", v)
}

// surveyView is a survey's welcome page.
type surveyView struct {
	page
	Description []string // paragraphs
	AskedBy     string   // who asks, in a sentence
	SkipAll     bool     // no version has a question that needs an answer
	Minutes     string
	Versions    []link
}

// Survey serves GET /s/:slug: what the survey is, who asks, and a link to
// each of its versions.
func (p *Pages) Survey(c fiber.Ctx) error {
	s, err := p.openSurvey(c)
	if s == nil {
		return err
	}
	v := surveyView{page: p.page(c, s.Title.In(lang)), SkipAll: true}
	v.Description = paragraphs(s.Description.In(lang))
	v.AskedBy = "This survey is from " + p.councilOrYours() + "."
	if s.Kind == surveys.KindSchoolCouncil {
		v.AskedBy = "This survey is from your school council."
	}
	lo, hi := 0, 0
	for i := range s.Versions {
		sv := &s.Versions[i]
		v.Versions = append(v.Versions, link{Href: "/s/" + s.Slug + "/" + sv.Key, Text: sv.Label.In(lang)})
		m := minutes(sv)
		if i == 0 || m < lo {
			lo = m
		}
		hi = max(hi, m)
		for _, q := range sv.Questions {
			if q.Required {
				v.SkipAll = false
			}
		}
	}
	v.Minutes = minutesWords(lo, hi)
	return p.render(c, fiber.StatusOK, "survey", v)
}

// Form serves GET /s/:slug/:version: the whole version as one form.
func (p *Pages) Form(c fiber.Ctx) error {
	s, err := p.openSurvey(c)
	if s == nil {
		return err
	}
	v := s.Version(c.Params("version"))
	if v == nil {
		return p.notFound(c)
	}
	return p.renderForm(c, fiber.StatusOK, newFormView(p.formPage(c, s, v), s, v, p.cfg.NewID(), nil, nil))
}

// Submit serves POST /s/:slug/:version: it checks and stores the answers
// exactly as the JSON API does, then thanks the young person, or shows the
// form again with their answers and what needs another look.
func (p *Pages) Submit(c fiber.Ctx) error {
	ctx := c.Context()
	slug, key := c.Params("slug"), c.Params("version")
	s, v, err := p.cfg.Intake.Version(ctx, slug, key)
	switch {
	case surveys.ErrorCode(err) == surveys.ENOTFOUND:
		return p.notFound(c)
	case err != nil:
		return fmt.Errorf("submit form: %w", err)
	}
	args := c.Request().PostArgs()
	id := string(args.Peek("id"))
	values := formValues(v, args.PeekMulti)
	receipt, err := p.cfg.Intake.Submit(ctx, slug, surveys.Submission{
		ID:      id,
		Version: v.Key,
		Lang:    string(args.Peek("lang")),
		Answers: rawAnswers(v, values),
	})
	switch surveys.ErrorCode(err) {
	case "":
		status := fiber.StatusCreated
		if !receipt.Created {
			status = fiber.StatusOK // the same answers again: a refresh or a second tap
		}
		return p.render(c, status, "thanks", thanksView{page: p.page(c, "Thank you"), SurveyTitle: s.Title.In(lang), Help: p.help()})
	case surveys.EINVALID:
		problems := surveys.ErrorFields(err)
		if _, ok := problems["id"]; ok {
			id = p.cfg.NewID()
		}
		fv := newFormView(p.formPage(c, s, v), s, v, id, values, problems)
		fv.Error = true
		return p.renderForm(c, fiber.StatusUnprocessableEntity, fv)
	case surveys.EUNAVAILABLE:
		// Nothing was stored, and the browser may not keep the answers if
		// the young person goes back: show them again, to send once more.
		fv := newFormView(p.formPage(c, s, v), s, v, id, values, nil)
		fv.Error = true
		fv.Unavailable = surveys.ErrorMessage(err)
		return p.renderForm(c, fiber.StatusServiceUnavailable, fv)
	case surveys.ENOTFOUND:
		return p.notFound(c)
	case surveys.ECONFLICT:
		return p.conflict(c, slug, v.Key)
	}
	return fmt.Errorf("submit form: %w", err)
}

// conflict explains why answers were refused although they were right:
// the survey closed (or was never opened) meanwhile, or this form's
// answers were sent already and different ones are sent now.
func (p *Pages) conflict(c fiber.Ctx, slug, version string) error {
	s, err := p.cfg.Surveys.FindSurvey(c.Context(), slug)
	switch {
	case surveys.ErrorCode(err) == surveys.ENOTFOUND:
		return p.notFound(c)
	case err != nil:
		return fmt.Errorf("submit form: %w", err)
	case s.Status == surveys.StatusDraft:
		return p.notFound(c)
	case s.Status == surveys.StatusClosed:
		return p.closed(c)
	}
	v := errorView{
		page:    p.page(c, "Your answers were sent already"),
		Heading: "Your answers were sent already",
		Message: "Answers from this form were sent before, and we kept them. We can't change them now, because we don't know which answers are yours.",
		Next:    link{Href: "/s/" + slug + "/" + version, Text: "Start the survey again with a new form"},
	}
	return p.render(c, fiber.StatusConflict, "error", v)
}

// thanksView is the page after answers are stored.
type thanksView struct {
	page
	SurveyTitle string
	Help        helpView
}

// errorView is a page that says something went wrong, kindly.
type errorView struct {
	page
	Heading string
	Message string
	Next    link // where to go from here
}

// ErrorPage renders a friendly page for a failure with the HTTP status and
// a message meant for people. The app's error handler calls it for every
// page route, including ones Headers did not run for.
func (p *Pages) ErrorPage(c fiber.Ctx, status int, message string) error {
	if Nonce(c) == "" {
		setPageHeaders(c)
	}
	c.Set(fiber.HeaderCacheControl, "no-store") // whatever the failed handler had set
	heading, fallback := errorWords(status)
	if message == "" {
		message = fallback
	}
	v := errorView{page: p.page(c, heading), Heading: heading, Message: message,
		Next: link{Href: "/", Text: "Go to the start page"}}
	return p.render(c, status, "error", v)
}

// errorWords returns the heading of an error page for a status, and what
// to say when there is no message.
func errorWords(status int) (heading, message string) {
	switch {
	case status == http.StatusNotFound:
		return "Page not found", "We couldn't find this page. The address may be wrong, or the page may have moved."
	case status == http.StatusConflict:
		return "This could not be done", "Something changed while you were on this page. Please try again."
	case status == http.StatusTooManyRequests:
		return "Too many tries", "Please wait a minute, then try again."
	case status == http.StatusRequestEntityTooLarge:
		return "That was too much to send", "Please make your answers shorter and try again."
	case status == http.StatusServiceUnavailable:
		return "Please try again soon", "Heard is busy just now. Please try again in a minute."
	case status >= 500:
		return "Sorry, something went wrong", "Something went wrong on our side. Please try again later."
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return "You can't see this page", "This page is for council staff."
	default:
		return "Sorry, that didn't work", "Please go back and try again."
	}
}

// openSurvey finds the survey of the request's :slug when it is open. For a
// draft or unknown survey it renders the not-found page, for a closed one
// the closed page, and returns a nil survey with what rendering returned.
func (p *Pages) openSurvey(c fiber.Ctx) (*surveys.Survey, error) {
	s, err := p.cfg.Surveys.FindSurvey(c.Context(), c.Params("slug"))
	switch {
	case surveys.ErrorCode(err) == surveys.ENOTFOUND:
		return nil, p.notFound(c)
	case err != nil:
		return nil, fmt.Errorf("find survey: %w", err)
	case s.Status == surveys.StatusClosed:
		return nil, p.closed(c)
	case s.Status != surveys.StatusOpen:
		return nil, p.notFound(c) // a draft is not there yet
	}
	return s, nil
}

func (p *Pages) notFound(c fiber.Ctx) error {
	return p.ErrorPage(c, fiber.StatusNotFound, "")
}

func (p *Pages) closed(c fiber.Ctx) error {
	v := errorView{
		page:    p.page(c, "This survey has closed"),
		Heading: "This survey has closed",
		Message: "Thank you for wanting to take part. This survey has closed, so it is not taking answers any more.",
		Next:    link{Href: "/", Text: "See the surveys you can answer now"},
	}
	return p.render(c, fiber.StatusConflict, "error", v)
}

func (p *Pages) formPage(c fiber.Ctx, s *surveys.Survey, v *surveys.Version) page {
	pg := p.page(c, v.Label.In(lang)+" – "+s.Title.In(lang))
	pg.OnForm = true
	return pg
}

func (p *Pages) renderForm(c fiber.Ctx, status int, fv formView) error {
	return p.render(c, status, "form", fv)
}

func (p *Pages) councilOrYours() string {
	if p.cfg.Help.CouncilName != "" {
		return p.cfg.Help.CouncilName
	}
	return "your council"
}

// paragraphs splits text at blank lines.
func paragraphs(text string) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			out = append(out, para)
		}
	}
	return out
}

// Seconds a young person takes, roughly, to answer a question of each kind.
const (
	secondsPerChoice = 15
	secondsPerText   = 60
)

// minutes is about how long a version takes, in whole minutes.
func minutes(v *surveys.Version) int {
	secs := 0
	for _, q := range v.Questions {
		if q.Type == surveys.FreeText {
			secs += secondsPerText
		} else {
			secs += secondsPerChoice
		}
	}
	return max(1, (secs+59)/60)
}

func minutesWords(lo, hi int) string {
	unit := "minutes"
	if hi == 1 {
		unit = "minute"
	}
	if lo == hi {
		return fmt.Sprintf("It takes about %d %s.", hi, unit)
	}
	return fmt.Sprintf("It takes about %d to %d %s.", lo, hi, unit)
}
