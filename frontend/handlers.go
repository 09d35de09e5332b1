package frontend

import (
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/forwarded"
	"github.com/heard-app/heard/surveys"
)

// link is a place to go, with the words on the link. Lang is set when the
// words are a survey's English, shown in a page in another language.
type link struct {
	Href string
	Text string
	Lang string
}

// homeView is the start page.
type homeView struct {
	page
	Surveys []link
}

// Home serves GET /: what Heard is, and the surveys open now.
func (p *Pages) Home(c fiber.Ctx) error {
	list, err := p.cfg.Surveys.FindSurveys(c.Context(), surveys.SurveyFilter{Status: surveys.StatusOpen})
	if err != nil {
		return fmt.Errorf("home page: %w", err)
	}
	v := homeView{page: p.page(c, c.Query("lang"))}
	v.Title = v.L.T("home.title")
	v.Keep = true
	for _, s := range list {
		title := v.L.Text(s.Title)
		v.Surveys = append(v.Surveys, link{Href: v.Link("/s/" + s.Slug), Text: title.Text, Lang: title.Lang})
	}
	return p.render(c, fiber.StatusOK, "home", v)
}

// helpPageView is the help page.
type helpPageView struct {
	page
	Help helpView
	// Contact are the links to ask for someone to talk (one per open
	// survey); none when requests to talk are off, and in the copy the
	// service worker keeps, which works without a connection.
	Contact []link
}

// Help serves GET /help: who a young person can talk to, now.
func (p *Pages) Help(c fiber.Ctx) error {
	v := helpPageView{page: p.page(c, c.Query("lang"))}
	v.Title = v.L.T("help.title")
	v.Help = help(v.line, v.L)
	var err error
	if v.Contact, err = p.contactLinks(c, v.page); err != nil {
		return err
	}
	v.OnHelp = true
	v.Keep = true
	return p.render(c, fiber.StatusOK, "help", v)
}

// surveyView is a survey's welcome page.
type surveyView struct {
	page
	SurveyTitle localText
	Description []localText // paragraphs
	AskedBy     string      // who asks, in a sentence
	SkipAll     bool        // no version has a question that needs an answer
	Minutes     string
	Versions    []link // what to press to start: one per age group
	Code        *codeView
}

// codeView is the access code part of a welcome page: a box to type the
// code in, or the code that works.
type codeView struct {
	Action string // the welcome page, which checks the code
	Typed  string // as typed, to correct
	Error  string // what is wrong with it, in words
	Works  string // the code, formatted, once it works
}

// Survey serves GET /s/:slug: what the survey is, who asks, and a big
// button for each of its versions. A survey that needs an access code asks
// for it first, and checks one given as ?code= (as a card's QR code does).
func (p *Pages) Survey(c fiber.Ctx) error {
	s, err := p.openSurvey(c)
	if s == nil {
		return err
	}
	pg := p.page(c, c.Query("lang"))
	if !s.RequireCode {
		v := p.welcome(pg, s, "")
		v.Keep = true
		return p.render(c, fiber.StatusOK, "survey", v)
	}
	if !c.Request().URI().QueryArgs().Has("code") {
		v := p.welcome(pg, s, "")
		v.Code = &codeView{Action: "/s/" + s.Slug}
		v.Keep = true
		return p.render(c, fiber.StatusOK, "survey", v)
	}
	r, err := p.checkCode(c, s.Slug, c.Query("code"))
	if err != nil {
		return err
	}
	return p.renderCode(c, pg, s, r)
}

// renderCode shows the welcome page after a code was checked: with the
// versions to start when it works, or with what is wrong with it.
func (p *Pages) renderCode(c fiber.Ctx, pg page, s *surveys.Survey, r codeResult) error {
	if r.Wait > 0 {
		return p.tooManyTries(c, pg, s, r)
	}
	v := p.welcome(pg, s, r.Code)
	v.Code = &codeView{Action: "/s/" + s.Slug, Typed: c.Query("code")}
	if r.Code != "" {
		v.Code.Works = surveys.FormatCode(r.Code)
		v.Keep = true
		return p.render(c, fiber.StatusOK, "survey", v)
	}
	v.Error = true
	v.Code.Error = problemWords(v.L, surveys.Problem{Code: r.Problem})
	status := fiber.StatusUnprocessableEntity
	if r.Problem == surveys.ProblemCodeUsed {
		status = fiber.StatusConflict
	}
	return p.render(c, status, "survey", v)
}

// tooManyTries tells a young person who typed too many wrong codes to
// wait, kindly, with a 429.
func (p *Pages) tooManyTries(c fiber.Ctx, pg page, s *surveys.Survey, r codeResult) error {
	minutes := int(math.Ceil(r.Wait.Minutes()))
	c.Set(fiber.HeaderRetryAfter, fmt.Sprint(int(math.Ceil(r.Wait.Seconds()))))
	v := errorView{page: pg, Heading: pg.L.T("code.blocked_title"),
		Message: pg.L.T("code.blocked", "n", minutes),
		Next:    link{Href: pg.Link("/s/" + s.Slug), Text: pg.L.T("code.try_again")}}
	v.Title, v.Error = v.Heading, true
	return p.render(c, fiber.StatusTooManyRequests, "error", v)
}

// welcome lays out a survey's welcome page. With code set (a code that
// works), the version buttons carry it to the form.
func (p *Pages) welcome(pg page, s *surveys.Survey, code string) surveyView {
	l := pg.L
	v := surveyView{page: pg, SurveyTitle: l.Text(s.Title), SkipAll: true}
	v.Title = v.SurveyTitle.Text
	for _, para := range paragraphs(s.Description[l.Lang]) {
		v.Description = append(v.Description, localText{Text: para})
	}
	if len(v.Description) == 0 && l.Lang != surveys.DefaultLanguage {
		for _, para := range paragraphs(s.Description.In(surveys.DefaultLanguage)) {
			v.Description = append(v.Description, localText{Text: para, Lang: surveys.DefaultLanguage})
		}
	}
	v.AskedBy = l.T("welcome.from", "council", pg.From)
	if s.Kind == surveys.KindSchoolCouncil {
		v.AskedBy = l.T("welcome.from_school")
	}
	lo, hi := 0, 0
	for i := range s.Versions {
		sv := &s.Versions[i]
		href := "/s/" + s.Slug + "/" + sv.Key
		if code != "" {
			href += "?code=" + code
		}
		words := versionWords(l, sv)
		v.Versions = append(v.Versions, link{Href: pg.Link(href), Text: words.Text, Lang: words.Lang})
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
	v.Minutes = l.T("welcome.minutes", "n", hi)
	if lo != hi {
		v.Minutes = l.T("welcome.minutes_range", "lo", lo, "n", hi)
	}
	return v
}

// versionWords is what a version's button says: the ages it is for, in
// the young person's words ("I am 4 to 7"), or else its label.
func versionWords(l *locale, v *surveys.Version) localText {
	switch {
	case v.AgeMin != nil && v.AgeMax != nil:
		return localText{Text: l.T("welcome.age_range", "min", *v.AgeMin, "max", *v.AgeMax, "n", *v.AgeMax)}
	case v.AgeMin != nil:
		return localText{Text: l.T("welcome.age_from", "n", *v.AgeMin)}
	case v.AgeMax != nil:
		return localText{Text: l.T("welcome.age_to", "n", *v.AgeMax)}
	}
	return l.Text(v.Label)
}

// Form serves GET /s/:slug/:version: the whole version as one form. A
// survey that needs an access code shows the form only with a code that
// works (?code=, as the welcome page's buttons carry it); without one it
// sends the young person to the welcome page to type it.
func (p *Pages) Form(c fiber.Ctx) error {
	s, err := p.openSurvey(c)
	if s == nil {
		return err
	}
	v := s.Version(c.Params("version"))
	if v == nil {
		return p.notFound(c)
	}
	pg := p.page(c, c.Query("lang"))
	code := ""
	if s.RequireCode {
		if !c.Request().URI().QueryArgs().Has("code") {
			return c.Redirect().Status(fiber.StatusSeeOther).To(pg.Link("/s/" + s.Slug))
		}
		r, err := p.checkCode(c, s.Slug, c.Query("code"))
		if err != nil {
			return err
		}
		if r.Code == "" {
			return p.renderCode(c, pg, s, r)
		}
		code = r.Code
	}
	fv := p.newFormView(pg, s, v, formState{ID: p.cfg.NewID(), Code: code})
	fv.Keep = true
	return p.render(c, fiber.StatusOK, "form", fv)
}

// Submit serves POST /s/:slug/:version: it checks and stores the answers
// exactly as the JSON API does, then thanks the young person, or shows the
// form again with their answers and what needs another look. A press of a
// language button (switch_lang) shows the form again in that language with
// every answer kept, and checks nothing.
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
	st := formState{
		ID:     string(args.Peek("id")),
		Code:   strings.TrimSpace(string(args.Peek("code"))),
		Values: formValues(v, args.PeekMulti),
	}
	if lang := supported(string(args.Peek("switch_lang"))); lang != "" {
		return p.render(c, fiber.StatusOK, "form", p.newFormView(p.page(c, lang), s, v, st))
	}
	pg := p.page(c, string(args.Peek("lang")))
	if s.RequireCode && st.Code != "" {
		if wait, blocked := p.cfg.CodeAttempts.Blocked(forwarded.ClientIP(c)); blocked {
			c.Set(fiber.HeaderRetryAfter, fmt.Sprint(int(math.Ceil(wait.Seconds()))))
			fv := p.newFormView(pg, s, v, st)
			fv.Error = true
			fv.Unavailable = pg.L.T("code.blocked", "n", int(math.Ceil(wait.Minutes())))
			return p.render(c, fiber.StatusTooManyRequests, "form", fv)
		}
	}
	receipt, err := p.cfg.Intake.Submit(ctx, slug, surveys.Submission{
		ID:      st.ID,
		Version: v.Key,
		Lang:    pg.L.Lang,
		Answers: rawAnswers(v, st.Values),
		Code:    st.Code,
	})
	st.Problems = surveys.ErrorProblems(err)
	if st.Problems["code"].Code == surveys.ProblemCodeUnknown {
		p.cfg.CodeAttempts.Fail(forwarded.ClientIP(c))
	}
	switch surveys.ErrorCode(err) {
	case "":
		status := fiber.StatusCreated
		if !receipt.Created {
			status = fiber.StatusOK // the same answers again: a refresh or a second tap
		}
		return p.render(c, status, "thanks", p.thanksView(pg, s, receipt.ShowHelp))
	case surveys.EINVALID:
		// A problem that is not about an answer (a spoilt id or language,
		// which only a changed page can send) has a field but no Problem.
		for field := range surveys.ErrorFields(err) {
			if _, ok := st.Problems[field]; !ok {
				st.Spoilt = true
			}
		}
		if _, ok := surveys.ErrorFields(err)["id"]; ok {
			st.ID = p.cfg.NewID()
		}
		fv := p.newFormView(pg, s, v, st)
		fv.Error = true
		return p.render(c, fiber.StatusUnprocessableEntity, "form", fv)
	case surveys.EUNAVAILABLE:
		// Nothing was stored, and the browser may not keep the answers if
		// the young person goes back: show them again, to send once more.
		fv := p.newFormView(pg, s, v, st)
		fv.Error = true
		fv.Unavailable = pg.L.T("form.unavailable")
		return p.render(c, fiber.StatusServiceUnavailable, "form", fv)
	case surveys.ENOTFOUND:
		return p.notFound(c)
	case surveys.ECONFLICT:
		if _, ok := st.Problems["code"]; ok {
			fv := p.newFormView(pg, s, v, st)
			fv.Error = true
			return p.render(c, fiber.StatusConflict, "form", fv)
		}
		return p.conflict(c, pg, slug, v.Key)
	}
	return fmt.Errorf("submit form: %w", err)
}

// conflict explains why answers were refused although they were right:
// the survey closed (or was never opened) meanwhile, or this form's
// answers were sent already and different ones are sent now.
func (p *Pages) conflict(c fiber.Ctx, pg page, slug, version string) error {
	s, err := p.cfg.Surveys.FindSurvey(c.Context(), slug)
	switch {
	case surveys.ErrorCode(err) == surveys.ENOTFOUND:
		return p.notFound(c)
	case err != nil:
		return fmt.Errorf("submit form: %w", err)
	case s.Status == surveys.StatusDraft:
		return p.notFound(c)
	case s.Status == surveys.StatusClosed:
		return p.closed(c, pg)
	}
	v := errorView{
		page:    pg,
		Heading: pg.L.T("sent_already.title"),
		Message: pg.L.T("sent_already.message"),
		Next:    link{Href: pg.Link("/s/" + slug + "/" + version), Text: pg.L.T("sent_already.again")},
	}
	v.Title = v.Heading
	return p.render(c, fiber.StatusConflict, "error", v)
}

// thanksView is the page after answers are stored.
type thanksView struct {
	page
	SurveyTitle localText
	Help        helpView
	// ShowHelp puts where to get help first, because an answer suggests
	// the young person may not be safe. The page never says so.
	ShowHelp bool
	// Contact is the form to ask for someone to talk, while the survey is
	// open and requests to talk are on. It carries nothing of the answers.
	Contact *contactForm
}

func (p *Pages) thanksView(pg page, s *surveys.Survey, showHelp bool) thanksView {
	v := thanksView{page: pg, SurveyTitle: pg.L.Text(s.Title), Help: help(pg.line, pg.L), ShowHelp: showHelp}
	if s.Status == surveys.StatusOpen {
		v.Contact = p.newContactForm(pg, s.Slug)
	}
	v.Title = pg.L.T("thanks.title")
	return v
}

// Thanks serves GET /s/:slug/:version/thanks, where the page's script goes
// once the answers are stored; ?help=1 when the API asked for help to be
// shown. A survey that closed since is thanked for too: the answers were
// stored before it closed.
func (p *Pages) Thanks(c fiber.Ctx) error {
	s, err := p.cfg.Surveys.FindSurvey(c.Context(), c.Params("slug"))
	switch {
	case surveys.ErrorCode(err) == surveys.ENOTFOUND:
		return p.notFound(c)
	case err != nil:
		return fmt.Errorf("thanks page: %w", err)
	case s.Status == surveys.StatusDraft || s.Version(c.Params("version")) == nil:
		return p.notFound(c)
	}
	pg := p.page(c, c.Query("lang"))
	return p.render(c, fiber.StatusOK, "thanks", p.thanksView(pg, s, c.Query("help") == "1"))
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
// page route, including ones Headers did not run for. The message is the
// domain's English: a page in another language says the words for the
// status instead.
func (p *Pages) ErrorPage(c fiber.Ctx, status int, message string) error {
	Nonce(c)                                    // the page's headers, if no route set them
	c.Set(fiber.HeaderCacheControl, "no-store") // whatever the failed handler had set
	pg := p.page(c, c.Query("lang"))
	heading, fallback := errorWords(pg.L, status)
	if message == "" || pg.L.Lang != surveys.DefaultLanguage {
		message = fallback
	}
	v := errorView{page: pg, Heading: heading, Message: message,
		Next: link{Href: pg.Link("/"), Text: pg.L.T("error.start_page")}}
	v.Title = heading
	return p.render(c, status, "error", v)
}

// errorWords returns the heading of an error page for a status, and what
// to say when there is no message.
func errorWords(l *locale, status int) (heading, message string) {
	var key string
	switch {
	case status == http.StatusNotFound:
		key = "not_found"
	case status == http.StatusConflict:
		key = "conflict"
	case status == http.StatusTooManyRequests:
		key = "too_many"
	case status == http.StatusRequestEntityTooLarge:
		key = "too_large"
	case status == http.StatusServiceUnavailable:
		key = "unavailable"
	case status >= 500:
		key = "internal"
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		key = "forbidden"
	default:
		key = "other"
	}
	return l.T("error." + key + ".title"), l.T("error." + key + ".message")
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
		return nil, p.closed(c, p.page(c, c.Query("lang")))
	case s.Status != surveys.StatusOpen:
		return nil, p.notFound(c) // a draft is not there yet
	}
	return s, nil
}

func (p *Pages) notFound(c fiber.Ctx) error {
	return p.ErrorPage(c, fiber.StatusNotFound, "")
}

func (p *Pages) closed(c fiber.Ctx, pg page) error {
	v := errorView{
		page:    pg,
		Heading: pg.L.T("closed.title"),
		Message: pg.L.T("closed.message"),
		Next:    link{Href: pg.Link("/"), Text: pg.L.T("closed.next")},
	}
	v.Title = v.Heading
	return p.render(c, fiber.StatusConflict, "error", v)
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
