package api

import (
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// MaxActionBytes bounds the body of an action: its two texts at their
// longest in every language Heard allows, in the widest UTF-8, escaped as
// JSON may escape them, with room for the rest.
const MaxActionBytes = 2*surveys.MaxActionText*surveys.MaxLanguages*6 + 32<<10

// actionJSON is an action as the API shows it. Lists are never null.
type actionJSON struct {
	ID        string               `json:"id"`
	Said      surveys.Text         `json:"said"`
	Did       surveys.Text         `json:"did"`
	Owner     string               `json:"owner"`
	Due       string               `json:"due"`
	Status    surveys.ActionStatus `json:"status"`
	Reason    string               `json:"reason"`
	Themes    []string             `json:"themes"`
	Surveys   []string             `json:"surveys"`
	Questions []actionQuestionJSON `json:"questions"`
	Sessions  []string             `json:"sessions"`
	Publish   bool                 `json:"publish"`
	History   []actionChangeJSON   `json:"history"`
	Revision  int                  `json:"revision"`
	Created   time.Time            `json:"created"`
	Updated   time.Time            `json:"updated"`
}

type actionQuestionJSON struct {
	Survey   string `json:"survey"`
	Question string `json:"question"`
}

type actionChangeJSON struct {
	At     time.Time            `json:"at"`
	Status surveys.ActionStatus `json:"status"`
	By     string               `json:"by"`
}

func toActionJSON(a *surveys.Action) actionJSON {
	out := actionJSON{ID: a.ID, Said: a.Said, Did: a.Did, Owner: a.Owner, Due: a.Due, Status: a.Status, Reason: a.Reason,
		Themes: strings0(a.Themes), Surveys: strings0(a.Surveys), Sessions: strings0(a.Sessions), Publish: a.Publish,
		Questions: []actionQuestionJSON{}, History: []actionChangeJSON{}, Revision: a.Revision, Created: a.Created, Updated: a.Updated}
	for _, q := range a.Questions {
		out.Questions = append(out.Questions, actionQuestionJSON(q))
	}
	for _, h := range a.History {
		out.History = append(out.History, actionChangeJSON(h))
	}
	return out
}

// strings0 returns s, or an empty list for nil, so that JSON shows [].
func strings0(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// actionBody is what a new action, or a change, says. Its tags check the
// shape; the domain checks the meaning and names each field that is wrong.
type actionBody struct {
	Said      surveys.Text         `json:"said" validate:"required"`
	Did       surveys.Text         `json:"did" validate:"required"`
	Owner     string               `json:"owner" validate:"required"`
	Due       string               `json:"due"`
	Status    surveys.ActionStatus `json:"status" validate:"required,oneof=planned in_progress done not_possible"`
	Reason    string               `json:"reason"`
	Themes    []string             `json:"themes"`
	Surveys   []string             `json:"surveys"`
	Questions []actionQuestionJSON `json:"questions"`
	Sessions  []string             `json:"sessions"`
	Publish   bool                 `json:"publish"`
}

// actionUpdate is a change, made from the revision the client read.
type actionUpdate struct {
	actionBody
	Revision int `json:"revision" validate:"required"`
}

func (b *actionBody) action() *surveys.Action {
	a := &surveys.Action{Said: b.Said, Did: b.Did, Owner: b.Owner, Due: b.Due, Status: b.Status, Reason: b.Reason,
		Themes: b.Themes, Surveys: b.Surveys, Sessions: b.Sessions, Publish: b.Publish}
	for _, q := range b.Questions {
		a.Questions = append(a.Questions, surveys.ActionQuestion(q))
	}
	return a
}

// actionFilter reads ?survey=&theme=&published=true and checks that Heard
// knows the survey and theme.
func (s *Server) actionFilter(c fiber.Ctx) (surveys.ActionFilter, error) {
	f := surveys.ActionFilter{Survey: c.Query("survey"), Theme: c.Query("theme")}
	switch c.Query("published") {
	case "", "false":
	case "true":
		f.Published = true
	default:
		return f, surveys.FieldsError("Some values are missing or wrong.", map[string]string{"published": "must be true or false"})
	}
	return f, s.cfg.Actions.CheckFilter(c.Context(), f)
}

// listActions returns the actions, in the plan's order, filtered.
func (s *Server) listActions(c fiber.Ctx) error {
	f, err := s.actionFilter(c)
	if err != nil {
		return err
	}
	list, err := s.cfg.Actions.List(c.Context(), f)
	if err != nil {
		return err
	}
	out := make([]actionJSON, 0, len(list))
	for _, a := range list {
		out = append(out, toActionJSON(a))
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"actions": out})
}

// getAction returns one action, with its history.
func (s *Server) getAction(c fiber.Ctx) error {
	a, err := s.cfg.Actions.Find(c.Context(), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(toActionJSON(a))
}

// createAction stores a new action.
func (s *Server) createAction(c fiber.Ctx) error {
	var body actionBody
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	a, err := s.cfg.Actions.Create(c.Context(), body.action())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toActionJSON(a))
}

// updateAction replaces an action, if nobody saved it since the revision
// the body names.
func (s *Server) updateAction(c fiber.Ctx) error {
	var body actionUpdate
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	a, err := s.cfg.Actions.Update(c.Context(), c.Params("id"), body.Revision, body.action())
	if err != nil {
		return err
	}
	return c.JSON(toActionJSON(a))
}
