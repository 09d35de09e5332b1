package staff

import (
	"fmt"
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
	Decision decisionForm
}

// contactDecisions is where leads record what was done about a request to
// talk.
var contactDecisions = decisionPlace{ID: "decision", Path: "/staff/safeguarding/contacts",
	ServiceHint: "Only when it was passed to a named service, such as CAMHS or the leaving care team.",
	NoteHint:    "Notes are encrypted like the request."}

// ContactPage shows one request with the decision form.
func (p *Pages) ContactPage(c fiber.Ctx) error {
	id := c.Params("id")
	r, err := p.cfg.Contacts.View(c.Context(), id)
	if err != nil {
		return fmt.Errorf("view request to talk %s: %w", id, err)
	}
	return p.renderContact(c, http.StatusOK, r, decisionSent{})
}

func (p *Pages) renderContact(c fiber.Ctx, status int, r *surveys.ContactRequest, sent decisionSent) error {
	v := contactView{page: p.page(c, "Request to talk"), contactRow: p.contactRow(c, r)}
	v.Decision = contactDecisions.view(c, v.CSRF, r.ID, r.Decisions, sent)
	return p.render(c, status, "contact", v)
}

// DecideContact records what a lead did about a request to talk.
func (p *Pages) DecideContact(c fiber.Ctx) error {
	return decide(c, contactDecisions, p.cfg.Contacts.Decide, func(id string, sent decisionSent) error {
		r, err := p.cfg.Contacts.Find(c.Context(), id)
		if err != nil {
			return fmt.Errorf("find request to talk %s: %w", id, err)
		}
		return p.renderContact(c, http.StatusUnprocessableEntity, r, sent)
	})
}

// contactsWaiting counts the requests no lead has reviewed, for the
// safeguarding pages; -1 when requests to talk are off.
func (p *Pages) contactsWaiting(c fiber.Ctx) (int, error) {
	if p.cfg.Contacts == nil {
		return -1, nil
	}
	return p.cfg.Contacts.CountUnreviewed(c.Context())
}
