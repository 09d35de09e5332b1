package staff

import (
	"context"
	"fmt"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// A safeguarding flag's page and a request to talk's share their parts
// about decisions: the summary of a refused decision's problems at the top,
// and at the end what leads did so far with the form to record what was
// done (the templates decision-errors and decisions, in the layout); a
// decision is recorded and refused alike too.

// decisionPlace is where decisions on one kind of item are recorded, and
// how its form differs from the other's.
type decisionPlace struct {
	ID          string // the prefix of the fields' ids, which the error summary links to
	Path        string // the list of items; an item's form is sent to Path/its id
	ServiceHint string
	NoteHint    string // said after the note's length, if anything
}

// decisionSent is a decision the domain refused: what the lead sent and a
// problem for each field. It is zero for a new form.
type decisionSent struct {
	Service string
	Note    string
	Errors  map[string]string
	Issues  []adminIssue
}

// decisionForm is what the decisions template shows.
type decisionForm struct {
	decisionPlace
	decisionSent
	Item      string // the item's id
	CSRF      string
	Decisions []surveys.FlagDecision
	Outcomes  []adminOption
	MaxNote   int
}

// view returns the decisions on an item and the form, keeping the
// outcome chosen in the form (or the address).
func (place decisionPlace) view(c fiber.Ctx, csrf, item string, done []surveys.FlagDecision, sent decisionSent) decisionForm {
	form := decisionForm{decisionPlace: place, decisionSent: sent, Item: item, CSRF: csrf, Decisions: done, MaxNote: surveys.MaxFlagNoteLen}
	chosen := c.FormValue("outcome")
	for _, o := range surveys.FlagOutcomes {
		form.Outcomes = append(form.Outcomes, adminOption{Value: string(o), Text: outcomeNames[o], Selected: string(o) == chosen})
	}
	return form
}

// decide records, with record, what a lead did about the item the address
// names, and goes back to the place's list. A decision the domain refuses
// for its fields goes to again, which shows the item with the problems.
func decide[T any](c fiber.Ctx, place decisionPlace, record func(context.Context, string, surveys.FlagDecisionInput) (T, error),
	again func(id string, sent decisionSent) error) error {
	id := c.Params("id")
	in := surveys.FlagDecisionInput{Outcome: surveys.FlagOutcome(c.FormValue("outcome")),
		Service: c.FormValue("service"), Note: c.FormValue("note")}
	_, err := record(c.Context(), id, in)
	if err == nil {
		return redirectDone(c, place.Path, "decided")
	}
	if surveys.ErrorCode(err) != surveys.EINVALID {
		return fmt.Errorf("record a decision on %s: %w", id, err)
	}
	return again(id, place.refused(in, err))
}

// decisionFields are the form's fields, in its order, as its problems
// name them.
var decisionFields = []struct{ name, text string }{
	{"outcome", "What was done"},
	{"service", "The service"},
	{"note", "The note"},
}

// refused puts the domain's problems with a decision beside its fields.
func (place decisionPlace) refused(in surveys.FlagDecisionInput, err error) decisionSent {
	sent := decisionSent{Service: in.Service, Note: in.Note, Errors: map[string]string{}}
	problems := surveys.ErrorFields(err)
	for _, f := range decisionFields {
		if msg, ok := problems[f.name]; ok {
			sent.Errors[f.name] = f.text + ": " + msg + "."
			sent.Issues = append(sent.Issues, adminIssue{ID: place.ID + "-" + f.name, Text: sent.Errors[f.name]})
		}
	}
	return sent
}
