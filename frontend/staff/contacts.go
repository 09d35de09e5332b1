package staff

import (
	"net/http"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// The requests to talk, for safeguarding leads only: young people who
// asked for someone to get in touch, with their name and how to reach
// them. The domain opens the sealed words only for a lead, and records
// each reading and decision in the audit log (never the words). The pages
// exist only while requests to talk are on (HEARD_CONTACT_KEY_FILE).

// ContactsOn reports whether requests to talk are on, so that the route
// table adds their pages.
func (p *Pages) ContactsOn() bool { return p.cfg.Contacts != nil }

type contactRow struct {
	Request *surveys.ContactRequest
	Where   string // the survey's title, where it is still there
}

type contactsView struct {
	page
	Open     []contactRow
	Done     []contactRow
	Failures int // alerts that could not be sent yet
}

func (p *Pages) contactRow(c fiber.Ctx, r *surveys.ContactRequest) contactRow {
	row := contactRow{Request: r, Where: "Survey " + r.Survey}
	if s, err := p.cfg.Surveys.FindSurvey(c.Context(), r.Survey); err == nil {
		row.Where = s.Title.In(surveys.DefaultLanguage) + " (" + s.Slug + ")"
	}
	return row
}

// ContactList lists every request to talk: those no lead has reviewed
// first, newest first.
func (p *Pages) ContactList(c fiber.Ctx) error {
	list, err := p.cfg.Contacts.List(c.Context())
	if err != nil {
		return err
	}
	v := contactsView{page: p.page(c, "Requests to talk")}
	for _, r := range list {
		if !r.Alert.Sent && r.Alert.Attempts > 0 {
			v.Failures++
		}
		if r.Reviewed() {
			v.Done = append(v.Done, p.contactRow(c, r))
		} else {
			v.Open = append(v.Open, p.contactRow(c, r))
		}
	}
	return p.render(c, http.StatusOK, "contacts", v)
}

type contactView struct {
	page
	contactRow
	Outcomes []adminOption
	Service  string
	Note     string
	Errors   map[string]string
	Issues   []adminIssue
	MaxNote  int
}

// ContactPage shows one request with the decision form.
func (p *Pages) ContactPage(c fiber.Ctx) error {
	r, err := p.cfg.Contacts.View(c.Context(), c.Params("id"))
	if err != nil {
		return err
	}
	return p.renderContact(c, http.StatusOK, r, contactView{})
}

func (p *Pages) renderContact(c fiber.Ctx, status int, r *surveys.ContactRequest, v contactView) error {
	v.page = p.page(c, "Request to talk")
	v.contactRow = p.contactRow(c, r)
	v.MaxNote = surveys.MaxFlagNoteLen
	chosen := c.FormValue("outcome")
	for _, o := range surveys.FlagOutcomes {
		v.Outcomes = append(v.Outcomes, adminOption{Value: string(o), Text: outcomeNames[o], Selected: string(o) == chosen})
	}
	return p.render(c, status, "contact", v)
}

// DecideContact records what a lead did about a request to talk.
func (p *Pages) DecideContact(c fiber.Ctx) error {
	id := c.Params("id")
	in := surveys.FlagDecisionInput{Outcome: surveys.FlagOutcome(c.FormValue("outcome")),
		Service: c.FormValue("service"), Note: c.FormValue("note")}
	_, err := p.cfg.Contacts.Decide(c.Context(), id, in)
	if err == nil {
		return redirectDone(c, "/staff/safeguarding/contacts", "decided")
	}
	if surveys.ErrorCode(err) != surveys.EINVALID {
		return err
	}
	r, ferr := p.cfg.Contacts.Find(c.Context(), id)
	if ferr != nil {
		return ferr
	}
	v := contactView{Service: in.Service, Note: in.Note, Errors: map[string]string{}}
	names := map[string]string{"outcome": "What was done", "service": "The service", "note": "The note"}
	for _, field := range []string{"outcome", "service", "note"} {
		if msg, ok := surveys.ErrorFields(err)[field]; ok {
			v.Errors[field] = names[field] + ": " + msg + "."
			v.Issues = append(v.Issues, adminIssue{ID: "decision-" + field, Text: v.Errors[field]})
		}
	}
	return p.renderContact(c, http.StatusUnprocessableEntity, r, v)
}

// contactsWaiting counts the requests no lead has reviewed, for the
// safeguarding pages; -1 when requests to talk are off.
func (p *Pages) contactsWaiting(c fiber.Ctx) (int, error) {
	if p.cfg.Contacts == nil {
		return -1, nil
	}
	return p.cfg.Contacts.CountUnreviewed(c.Context())
}
