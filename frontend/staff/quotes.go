package staff

import (
	"context"
	"html/template"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/redact"
)

// The quote page: before a comment can be quoted in a report, Heard
// proposes a redacted version (names, numbers, emails, postcodes,
// addresses, and the council's schools); the analyst may edit it, but a
// quote that puts back something the redaction took out waits for a second
// analyst. Only approved quotes leave the review pages.

type quoteView struct {
	page
	Voice    *surveys.Voice
	Question string
	Marked   template.HTML // the comment with what the redaction takes out marked
	Kinds    []string      // what was taken out, in words
	Text     string        // the quote as proposed or typed
	Error    string
	Mine     bool // the quote waiting for approval is the viewer's own
}

var redactionNames = map[string]string{
	"name": "a name", "phone": "a phone number", "email": "an email address", "postcode": "a postcode",
	"address": "an address", "school": "a school", "place": "a place",
}

// redactor makes the redactor with the council's schools from the settings.
func (p *Pages) redactor(ctx context.Context) (*redact.Redactor, error) {
	st, err := p.cfg.Settings.Current(ctx)
	if err != nil {
		return nil, err
	}
	var schools []string
	for _, s := range st.Schools {
		schools = append(schools, s.Name)
	}
	return redact.New(redact.Places{Schools: schools})
}

// QuotePage shows a comment with the proposed redaction and its quote.
func (p *Pages) QuotePage(c fiber.Ctx) error {
	return p.renderQuote(c, http.StatusOK, "", "")
}

func (p *Pages) renderQuote(c fiber.Ctx, status int, typed, problem string) error {
	ctx := c.Context()
	voice, err := p.cfg.Voices.Store.FindVoice(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	r, err := p.redactor(ctx)
	if err != nil {
		return err
	}
	proposal, repl := r.Redact(voice.Text)
	v := quoteView{page: p.page(c, "Quote"), Voice: voice, Marked: markRedactions(voice.Text, repl), Text: proposal, Error: problem}
	seen := map[string]bool{}
	for _, x := range repl {
		if name := redactionNames[x.Kind]; name != "" && !seen[name] {
			v.Kinds, seen[name] = append(v.Kinds, name), true
		}
	}
	if voice.Quote != nil {
		v.Text = voice.Quote.Text
		v.Mine = voice.Quote.By == CurrentUser(c).Email
	}
	if typed != "" {
		v.Text = typed
	}
	v.Question = p.voiceRow(ctx, p.cfg.Themes.Codebook(), voice).Question
	return p.render(c, status, "quote", v)
}

// markRedactions writes text as HTML with each redacted part in <mark>.
func markRedactions(text string, repl []redact.Replacement) template.HTML {
	var b strings.Builder
	at := 0
	for _, x := range repl {
		if x.Start < at || x.End > len(text) {
			continue
		}
		b.WriteString(template.HTMLEscapeString(text[at:x.Start]))
		b.WriteString("<mark>" + template.HTMLEscapeString(text[x.Start:x.End]) + "</mark>")
		at = x.End
	}
	b.WriteString(template.HTMLEscapeString(text[at:]))
	return template.HTML(b.String()) // every piece of the text is escaped above
}

// MarkQuote saves the quote as typed.
func (p *Pages) MarkQuote(c fiber.Ctx) error {
	ctx, id := c.Context(), c.Params("id")
	voice, err := p.cfg.Voices.Store.FindVoice(ctx, id)
	if err != nil {
		return err
	}
	r, err := p.redactor(ctx)
	if err != nil {
		return err
	}
	_, repl := r.Redact(voice.Text)
	originals := make([]string, len(repl))
	for i, x := range repl {
		originals[i] = x.Original
	}
	typed := c.FormValue("quote")
	q, err := p.cfg.Voices.MarkQuote(ctx, id, typed, originals)
	if surveys.ErrorCode(err) == surveys.EINVALID {
		return p.renderQuote(c, http.StatusUnprocessableEntity, typed, "The quote "+surveys.ErrorFields(err)["quote"]+".")
	}
	if err != nil {
		return err
	}
	done := "quoted"
	if q.Status == surveys.QuotePending {
		done = "quote-pending"
	}
	return redirectDone(c, "/staff/voices/"+id+"/quote", done)
}

// ApproveQuote approves a quote as the second analyst.
func (p *Pages) ApproveQuote(c fiber.Ctx) error {
	id := c.Params("id")
	if _, err := p.cfg.Voices.ApproveQuote(c.Context(), id); err != nil {
		return err
	}
	return redirectDone(c, "/staff/voices/"+id+"/quote", "quoted")
}

// RemoveQuote takes a comment's quote away.
func (p *Pages) RemoveQuote(c fiber.Ctx) error {
	id := c.Params("id")
	if _, err := p.cfg.Voices.Store.FindVoice(c.Context(), id); err != nil {
		return err
	}
	if err := p.cfg.Voices.RemoveQuote(c.Context(), id); err != nil {
		return err
	}
	return redirectDone(c, "/staff/voices/"+id+"/quote", "unquoted")
}
