package frontend

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/forwarded"
	"github.com/heard-app/heard/surveys"
)

// A young person may ask for someone to talk to them: on the thank-you
// page, and from the help page. It is a plain form that works without
// JavaScript, posted to /s/{slug}/contact, and the one place Heard asks
// for a name, so the form says so, and who will read it, before anything
// is typed. Its fields are not remembered by the browser (autocomplete
// off): a phone or tablet is often shared with a carer, who should not
// find a young person's request offered back to them.

// contactForm is the form, as the thank-you page and the contact page
// show it.
type contactForm struct {
	L       *locale
	Action  string // where the form is posted
	Lang    string // the page's language, which the request carries
	From    string // the council's name, or "your council"
	Name    string // as typed, to correct
	Reach   string
	Message string
	Errors  map[string]string // by field: what is wrong, in words
	// Key is made afresh for each form shown, so that sending the form
	// twice (a double tap, a reload) stores one request.
	Key string
	// The limits, for the boxes' maxlength and the hint.
	NameMax, ReachMax, MessageMax int
}

// newContactForm returns the form for a survey, or nil when requests to
// talk are off.
func (p *Pages) newContactForm(pg page, slug string) *contactForm {
	if p.cfg.Contacts == nil {
		return nil
	}
	return &contactForm{L: pg.L, Action: "/s/" + slug + "/contact", Lang: pg.L.Lang, From: pg.From, Key: newKey(),
		NameMax: surveys.MaxContactNameLen, ReachMax: surveys.MaxContactReachLen, MessageMax: surveys.MaxContactMessageLen}
}

// contactView is the page of the form alone (from the help page, or shown
// again with what needs another look), the page that thanks the young
// person once it is sent, or the page that asks them to wait.
type contactView struct {
	page
	Form    *contactForm
	Summary []summaryItem
	Sent    bool
	Blocked string // why to wait, and for how long
	Help    helpView
}

func (p *Pages) contactView(pg page, s *surveys.Survey) contactView {
	v := contactView{page: pg, Form: p.newContactForm(pg, s.Slug), Help: help(pg.line, pg.L)}
	v.Title = pg.L.T("contact.title")
	return v
}

// ContactPage serves GET /s/:slug/contact: the form alone, or, with
// ?sent=1 (where sending it leads), the thanks for it.
func (p *Pages) ContactPage(c fiber.Ctx) error {
	if p.cfg.Contacts == nil {
		return p.notFound(c)
	}
	s, err := p.openSurvey(c)
	if s == nil {
		return err
	}
	v := p.contactView(p.page(c, c.Query("lang")), s)
	if c.Query("sent") == "1" {
		v.Sent, v.Form = true, nil
		v.Title = v.L.T("contact.sent_title")
	}
	return p.render(c, fiber.StatusOK, "contact", v)
}

// Contact serves POST /s/:slug/contact: it stores the request and sends
// the young person to the page that thanks them (so that reloading it
// sends nothing again), or shows the form again with what they typed and
// what needs another look. A client that has asked MaxContactsPerClient
// times this hour is asked to wait, and shown who to call meanwhile.
func (p *Pages) Contact(c fiber.Ctx) error {
	if p.cfg.Contacts == nil {
		return p.notFound(c)
	}
	s, err := p.openSurvey(c)
	if s == nil {
		return err
	}
	args := c.Request().PostArgs()
	pg := p.page(c, string(args.Peek("lang")))
	in := surveys.ContactInput{Name: string(args.Peek("name")), Reach: string(args.Peek("reach")),
		Message: string(args.Peek("message")), Lang: pg.L.Lang, Key: string(args.Peek("key"))}
	client := forwarded.ClientIP(c)
	if wait, blocked := p.cfg.ContactLimit.Blocked(client); blocked {
		c.Set(fiber.HeaderRetryAfter, fmt.Sprint(int(math.Ceil(wait.Seconds()))))
		v := p.contactView(pg, s)
		v.Form, v.Error = nil, true
		v.Title = pg.L.T("contact.blocked_title")
		v.Blocked = pg.L.T("contact.blocked", "n", int(math.Ceil(wait.Minutes())))
		return p.render(c, fiber.StatusTooManyRequests, "contact", v)
	}
	_, err = p.cfg.Contacts.Request(c.Context(), s.Slug, in)
	switch surveys.ErrorCode(err) {
	case "":
		p.cfg.ContactLimit.Count(client)
		q := url.Values{"sent": {"1"}}
		if pg.LangParam != "" {
			q.Set("lang", pg.LangParam)
		}
		return c.Redirect().Status(fiber.StatusSeeOther).To("/s/" + s.Slug + "/contact?" + q.Encode())
	case surveys.EINVALID:
		v := p.contactView(pg, s)
		v.Error = true
		v.Form.Name, v.Form.Reach, v.Form.Message = in.Name, in.Reach, strings.ReplaceAll(in.Message, "\r\n", "\n")
		if _, ok := surveys.NormalizeID(in.Key); ok {
			v.Form.Key = in.Key // corrected and sent again, it is the same request
		}
		v.Form.Errors = contactErrors(pg.L, err)
		for _, field := range []string{"name", "reach", "message"} {
			if msg, ok := v.Form.Errors[field]; ok {
				v.Summary = append(v.Summary, summaryItem{Href: "#contact-" + field, Message: msg})
			}
		}
		if len(v.Summary) == 0 { // a spoilt language: only a changed page sends one
			v.Summary = append(v.Summary, summaryItem{Message: pg.L.T("form.problem_spoilt")})
		}
		return p.render(c, fiber.StatusUnprocessableEntity, "contact", v)
	case surveys.ECONFLICT:
		return p.closed(c, pg) // it closed since the page was shown
	case surveys.ENOTFOUND:
		return p.notFound(c)
	}
	return fmt.Errorf("ask for someone to talk: %w", err)
}

// contactErrors words the domain's problems with what was typed in the
// young person's language: a missing name or way to reach them in words of
// their own, others as any answer's problem.
func contactErrors(l *locale, err error) map[string]string {
	out := map[string]string{}
	for field, pr := range surveys.ErrorProblems(err) {
		switch {
		case pr.Code == surveys.ProblemRequired && field == "name":
			out[field] = l.T("contact.name_required")
		case pr.Code == surveys.ProblemRequired && field == "reach":
			out[field] = l.T("contact.reach_required")
		default:
			out[field] = problemWords(l, pr)
		}
	}
	return out
}

// contactLinks are the help page's ways to ask for someone to talk: one
// for each open survey, as a request belongs to one.
func (p *Pages) contactLinks(c fiber.Ctx, pg page) ([]link, error) {
	if p.cfg.Contacts == nil {
		return nil, nil
	}
	open, err := p.cfg.Surveys.FindSurveys(c.Context(), surveys.SurveyFilter{Status: surveys.StatusOpen})
	if err != nil {
		return nil, fmt.Errorf("help page: %w", err)
	}
	var links []link
	for _, s := range open {
		words := pg.L.Text(s.Title)
		if len(open) == 1 {
			words = localText{Text: pg.L.T("contact.ask")}
		}
		links = append(links, link{Href: pg.Link("/s/" + s.Slug + "/contact"), Text: words.Text, Lang: words.Lang})
	}
	return links, nil
}

// newKey returns a random UUID (version 4) for a form.
func newKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
