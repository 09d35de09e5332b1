package staff

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// actionStatusNames are an action's statuses as staff say them.
var actionStatusNames = map[surveys.ActionStatus]string{
	surveys.ActionPlanned:     "Planned",
	surveys.ActionInProgress:  "In progress",
	surveys.ActionDone:        "Done",
	surveys.ActionNotPossible: "Not possible",
}

// actionBadges are the badge of each status: a shape of its own as well
// as a colour (the name is always written beside it).
var actionBadges = map[surveys.ActionStatus]string{
	surveys.ActionPlanned:     "badge-draft",
	surveys.ActionInProgress:  "badge-draft",
	surveys.ActionDone:        "badge-open",
	surveys.ActionNotPossible: "badge-disabled",
}

// actionLanguages are the languages the form offers for what was said and
// done: those of the young people's pages. Any other language an action
// has (given through the API) gets its own boxes too, so that a save from
// the form keeps it.
var actionLanguages = []struct{ code, name string }{{"en", "English"}, {"pl", "Polish"}, {"ar", "Arabic"}}

// actionRow is an action in the list.
type actionRow struct {
	Href    string
	Said    string
	Owner   string
	Status  string // as people say it
	Badge   string
	Due     string // as people read it, or ""
	Overdue bool   // still to do, and its date has passed
	Publish bool
	Themes  string
}

type actionListView struct {
	page
	Rows   []actionRow
	Manage bool // may add and change actions
	Max    int
}

// ActionList shows every action in the plan's order, with its status and
// due date.
func (p *Pages) ActionList(c fiber.Ctx) error {
	if p.cfg.Actions == nil {
		return errActionsOff
	}
	list, err := p.cfg.Actions.List(c.Context(), surveys.ActionFilter{})
	if err != nil {
		return err
	}
	book := p.cfg.Themes.Codebook()
	today := p.cfg.Now().In(london).Format(time.DateOnly)
	v := actionListView{page: p.page(c, "You said, we did"), Manage: p.mayEditActions(c), Max: surveys.MaxActions}
	for _, a := range list {
		v.Rows = append(v.Rows, actionRow{Href: "/staff/actions/" + url.PathEscape(a.ID), Said: a.Said.In(surveys.DefaultLanguage),
			Owner: a.Owner, Status: actionStatusNames[a.Status], Badge: actionBadges[a.Status], Due: dayOf(a.Due), Overdue: !a.Closed() && a.Due != "" && a.Due < today,
			Publish: a.Publish, Themes: strings.Join(themeNames(book, a.Themes), ", ")})
	}
	return p.render(c, http.StatusOK, "actions", v)
}

var errActionsOff = surveys.Errorf(surveys.ENOTFOUND, "There is no such page.")

// mayEditActions reports whether the signed-in person writes the plan
// (the board reads it).
func (p *Pages) mayEditActions(c fiber.Ctx) bool {
	u := CurrentUser(c)
	return u != nil && (u.Role == surveys.RoleAdmin || u.Role == surveys.RoleAnalyst)
}

// themeNames names theme keys by the codebook, keeping a key it lacks.
func themeNames(book *surveys.Codebook, keys []string) []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if t := book.Theme(k); t != nil {
			out = append(out, t.Name)
		} else {
			out = append(out, k)
		}
	}
	return out
}

// actionText is one language's box of what was said or done.
type actionText struct {
	ID    string // the field's id: said-en
	Name  string // the field's name: said.en
	Lang  string
	Label string // the language as people say it
	Value string
	Error string
}

// actionQuestionGroup is one survey's questions, to tick those an action
// answers.
type actionQuestionGroup struct {
	Slug      string
	Title     string
	Open      bool // some are ticked: the group starts open
	Questions []adminOption
}

// actionChangeRow is one line of an action's history.
type actionChangeRow struct {
	At     time.Time
	Status string // as people say it
	By     string
}

type actionFormView struct {
	page
	New      bool
	Manage   bool   // the edit form; else the read-only page
	Action   string // where the form is sent
	ID       string
	Revision int
	Said     []actionText
	Did      []actionText
	Owner    string
	Due      string
	Status   string // as people say it
	Badge    string
	Statuses []adminOption
	Reason   string
	Themes   []adminOption
	Surveys  []adminOption
	Groups   []actionQuestionGroup
	Sessions []string
	Publish  bool
	History  []actionChangeRow
	Created  time.Time
	Updated  time.Time
	MaxText  int
	MaxOwner int
	Errors   map[string]string // by field id
	Issues   []adminIssue
	Heading  string
	Conflict string
	// What the read-only page lists.
	ThemeNames    []string
	SurveyNames   []string
	QuestionNames []string
}

// NewActionPage shows an empty action form.
func (p *Pages) NewActionPage(c fiber.Ctx) error {
	if p.cfg.Actions == nil {
		return errActionsOff
	}
	v, err := p.actionForm(c, &surveys.Action{Status: surveys.ActionPlanned}, true)
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "actions-edit", v)
}

// ActionPage shows an action: its form to analysts and admins, and what it
// says, read only, to the board; with its history either way.
func (p *Pages) ActionPage(c fiber.Ctx) error {
	if p.cfg.Actions == nil {
		return errActionsOff
	}
	a, err := p.cfg.Actions.Find(c.Context(), c.Params("id"))
	if err != nil {
		return err
	}
	v, err := p.actionForm(c, a, false)
	if err != nil {
		return err
	}
	if !v.Manage {
		return p.render(c, http.StatusOK, "actions-view", v)
	}
	return p.render(c, http.StatusOK, "actions-edit", v)
}

// CreateAction checks and stores a new action from the form; anything
// wrong is shown beside its field, with the form as typed.
func (p *Pages) CreateAction(c fiber.Ctx) error {
	if p.cfg.Actions == nil {
		return errActionsOff
	}
	form, err := postedValues(c)
	if err != nil {
		return err
	}
	in := decodeActionForm(form)
	a, err := p.cfg.Actions.Create(c.Context(), in.action)
	if err == nil {
		return redirectDone(c, "/staff/actions/"+url.PathEscape(a.ID), "action-added")
	}
	if surveys.ErrorCode(err) != surveys.EINVALID {
		return err
	}
	v, verr := p.actionForm(c, in.action, true)
	if verr != nil {
		return verr
	}
	v.Heading = "The action was not saved"
	v.Errors, v.Issues = actionIssues(surveys.ErrorFields(err), v.Said, v.Did)
	return p.render(c, http.StatusUnprocessableEntity, "actions-edit", v)
}

// UpdateAction saves a changed action made from the revision the form
// carries. A save from a revision someone else has changed since is
// refused, showing theirs.
func (p *Pages) UpdateAction(c fiber.Ctx) error {
	if p.cfg.Actions == nil {
		return errActionsOff
	}
	ctx := c.Context()
	id := c.Params("id")
	current, err := p.cfg.Actions.Find(ctx, id)
	if err != nil {
		return err
	}
	form, err := postedValues(c)
	if err != nil {
		return err
	}
	in := decodeActionForm(form)
	if !in.revisionOK {
		return surveys.Errorf(surveys.EINVALID, "The form is missing part of itself. Please reload the page and try again.")
	}
	_, err = p.cfg.Actions.Update(ctx, id, in.revision, in.action)
	switch surveys.ErrorCode(err) {
	case "":
		return redirectDone(c, "/staff/actions/"+url.PathEscape(id), "action-saved")
	case surveys.ECONFLICT:
		theirs, err2 := p.cfg.Actions.Find(ctx, id)
		if err2 != nil {
			return err2
		}
		v, verr := p.actionForm(c, theirs, false)
		if verr != nil {
			return verr
		}
		v.Conflict = surveys.ErrorMessage(err)
		return p.render(c, http.StatusConflict, "actions-edit", v)
	case surveys.EINVALID:
	default:
		return err
	}
	shown := in.action.Clone()
	shown.ID, shown.History, shown.Created, shown.Updated = current.ID, current.History, current.Created, current.Updated
	v, verr := p.actionForm(c, shown, false)
	if verr != nil {
		return verr
	}
	v.Revision = in.revision
	v.Heading = "Your changes were not saved"
	v.Errors, v.Issues = actionIssues(surveys.ErrorFields(err), v.Said, v.Did)
	return p.render(c, http.StatusUnprocessableEntity, "actions-edit", v)
}

// actionForm lays out an action's page: its form, or (for the board) what
// it says.
func (p *Pages) actionForm(c fiber.Ctx, a *surveys.Action, isNew bool) (actionFormView, error) {
	title := "Add an action"
	if !isNew {
		title = "Action: " + clipWords(a.Said.In(surveys.DefaultLanguage), 60)
	}
	v := actionFormView{page: p.page(c, title), New: isNew, Manage: p.mayEditActions(c), ID: a.ID, Revision: a.Revision,
		Owner: a.Owner, Due: a.Due, Status: actionStatusNames[a.Status], Badge: actionBadges[a.Status], Reason: a.Reason, Sessions: a.Sessions, Publish: a.Publish,
		Created: a.Created, Updated: a.Updated, MaxText: surveys.MaxActionText, MaxOwner: surveys.MaxActionOwner}
	v.Action = "/staff/actions"
	if !isNew {
		v.Action = "/staff/actions/" + url.PathEscape(a.ID)
	}
	v.Said, v.Did = actionTexts("said", a.Said), actionTexts("did", a.Did)
	for _, s := range surveys.ActionStatuses {
		v.Statuses = append(v.Statuses, adminOption{Value: string(s), Text: actionStatusNames[s], Selected: s == a.Status})
	}
	for i := len(a.History) - 1; i >= 0; i-- { // newest first
		h := a.History[i]
		v.History = append(v.History, actionChangeRow{At: h.At, Status: actionStatusNames[h.Status], By: h.By})
	}
	book := p.cfg.Themes.Codebook()
	v.Themes = themeOptions(book, a.Themes)
	v.ThemeNames = themeNames(book, a.Themes)
	list, err := p.cfg.Surveys.FindSurveys(c.Context(), surveys.SurveyFilter{})
	if err != nil {
		return v, fmt.Errorf("list surveys for an action: %w", err)
	}
	v.Surveys, v.SurveyNames = surveyOptions(list, a.Surveys)
	v.Groups, v.QuestionNames = questionGroups(list, a.Questions)
	return v, nil
}

// actionTexts makes the boxes of a text: one per language of the pages,
// then one per other language the text has.
func actionTexts(field string, t surveys.Text) []actionText {
	var out []actionText
	add := func(lang, label string) {
		out = append(out, actionText{ID: field + "-" + lang, Name: field + "." + lang, Lang: lang, Label: label, Value: t[lang]})
	}
	for _, l := range actionLanguages {
		add(l.code, l.name)
	}
	for _, lang := range t.Languages() {
		if !slices.ContainsFunc(actionLanguages, func(l struct{ code, name string }) bool { return l.code == lang }) {
			add(lang, "the language "+strconv.Quote(lang))
		}
	}
	return out
}

// themeOptions are the codebook's themes to tick, with any theme of the
// action the codebook no longer has, ticked and marked.
func themeOptions(book *surveys.Codebook, chosen []string) []adminOption {
	var out []adminOption
	for _, t := range book.Themes {
		out = append(out, adminOption{Value: t.Key, Text: t.Name, Selected: slices.Contains(chosen, t.Key)})
	}
	for _, k := range chosen {
		if book.Theme(k) == nil {
			out = append(out, adminOption{Value: k, Text: k + " (not in the codebook now)", Selected: true})
		}
	}
	return out
}

// surveyOptions are the surveys to tick, and the names of those ticked.
func surveyOptions(list []*surveys.Survey, chosen []string) ([]adminOption, []string) {
	var out []adminOption
	var names []string
	known := map[string]bool{}
	for _, s := range list {
		known[s.Slug] = true
		sel := slices.Contains(chosen, s.Slug)
		out = append(out, adminOption{Value: s.Slug, Text: surveyName(s), Selected: sel})
		if sel {
			names = append(names, surveyName(s))
		}
	}
	for _, slug := range chosen {
		if !known[slug] {
			out = append(out, adminOption{Value: slug, Text: slug + " (no such survey)", Selected: true})
			names = append(names, slug)
		}
	}
	return out, names
}

// questionGroups lists each survey's questions (every version's, once, in
// order) to tick, and names those ticked.
func questionGroups(list []*surveys.Survey, chosen []surveys.ActionQuestion) ([]actionQuestionGroup, []string) {
	var groups []actionQuestionGroup
	var names []string
	seen := map[surveys.ActionQuestion]bool{}
	for _, s := range list {
		g := actionQuestionGroup{Slug: s.Slug, Title: surveyName(s)}
		for _, ver := range s.Versions {
			for _, q := range ver.Questions {
				key := surveys.ActionQuestion{Survey: s.Slug, Question: q.Key}
				if seen[key] {
					continue
				}
				seen[key] = true
				sel := slices.Contains(chosen, key)
				text := q.Text.In(surveys.DefaultLanguage)
				g.Questions = append(g.Questions, adminOption{Value: s.Slug + "/" + q.Key, Text: text, Selected: sel})
				if sel {
					g.Open = true
					names = append(names, surveyName(s)+": "+text)
				}
			}
		}
		groups = append(groups, g)
	}
	var gone []adminOption
	for _, q := range chosen {
		if !seen[q] {
			gone = append(gone, adminOption{Value: q.Survey + "/" + q.Question, Text: q.Survey + ": " + q.Question + " (no such question)", Selected: true})
			names = append(names, q.Survey+": "+q.Question)
		}
	}
	if len(gone) > 0 {
		groups = append(groups, actionQuestionGroup{Slug: "gone", Title: "Questions Heard no longer has", Open: true, Questions: gone})
	}
	return groups, names
}

// clipWords shortens s to about n characters, at a space.
func clipWords(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// actionInput is the action form as sent.
type actionInput struct {
	action     *surveys.Action
	revision   int
	revisionOK bool
}

// decodeActionForm reads the action form: a box per language of what was
// said and done ("said.en"), the owner, due date, status and reason,
// ticked themes, surveys and questions ("slug/key"), the sessions it
// carries unseen, and whether to publish. It reads any form without
// failing: what is wrong is the domain's to say.
func decodeActionForm(form url.Values) actionInput {
	a := &surveys.Action{
		Said:     formText(form, "said."),
		Did:      formText(form, "did."),
		Owner:    form.Get("owner"),
		Due:      form.Get("due"),
		Status:   surveys.ActionStatus(form.Get("status")),
		Reason:   form.Get("reason"),
		Themes:   form["theme"],
		Surveys:  form["survey"],
		Sessions: form["session"],
		Publish:  form.Get("publish") != "",
	}
	for _, q := range form["question"] {
		slug, key, _ := strings.Cut(q, "/")
		a.Questions = append(a.Questions, surveys.ActionQuestion{Survey: slug, Question: key})
	}
	in := actionInput{action: a}
	if r, err := strconv.Atoi(form.Get("revision")); err == nil && r > 0 {
		in.revision, in.revisionOK = r, true
	}
	return in
}

// formText gathers the fields named prefix+language into a text.
func formText(form url.Values, prefix string) surveys.Text {
	t := surveys.Text{}
	for name, vals := range form {
		if lang, ok := strings.CutPrefix(name, prefix); ok && len(vals) > 0 {
			t[lang] = vals[0]
		}
	}
	return t
}

// actionParts are the form's parts after its texts, in the order they
// appear, with the words the error summary uses and the id their errors go
// beside ("": none, the part is not shown).
var actionParts = []struct{ key, label, id string }{
	{"owner", "Owner", "owner"},
	{"due", "Due date", "due"},
	{"status", "Status", "status"},
	{"reason", "Why it is not possible", "reason"},
	{"themes", "Themes", "themes"},
	{"surveys", "Surveys", "surveys"},
	{"questions", "Questions", "questions"},
	{"sessions", "MADE sessions", ""},
}

// actionFieldPath splits a domain path such as "said.pl", "themes[2]" or
// "questions[0].survey" into its part and, for a text, its language.
var actionFieldPath = regexp.MustCompile(`^([a-z]+)(?:\.([a-z0-9-]+)|\[\d+\].*)?$`)

// issueSlot is one place of the form that errors are shown beside.
type issueSlot struct {
	id, label string
	msgs      []string
}

// actionIssues turns the domain's field paths into messages beside the
// form's fields (by id) and the error summary's lines, in the order of
// the form. A text's errors go beside its language's box; the errors of
// one list ("themes[0]", "themes[3]") are joined.
func actionIssues(fields map[string]string, said, did []actionText) (map[string]string, []adminIssue) {
	var slots []*issueSlot
	byKey := map[string]*issueSlot{}
	for _, t := range []struct {
		key, label string
		boxes      []actionText
	}{{"said", "What young people said", said}, {"did", "What was done", did}} {
		for i, b := range t.boxes {
			s := &issueSlot{id: b.ID, label: t.label + ", in " + b.Label}
			slots = append(slots, s)
			byKey[t.key+"."+b.Lang] = s
			if i == 0 {
				byKey[t.key] = s // the text as a whole: beside its first box, English
			}
		}
	}
	for _, p := range actionParts {
		s := &issueSlot{id: p.id, label: p.label}
		slots = append(slots, s)
		byKey[p.key] = s
	}
	other := &issueSlot{}
	slots = append(slots, other)
	for _, path := range slices.Sorted(maps.Keys(fields)) {
		s := other
		if m := actionFieldPath.FindStringSubmatch(path); m != nil {
			if found, ok := byKey[m[1]+"."+m[2]]; ok && m[2] != "" {
				s = found
			} else if found, ok := byKey[m[1]]; ok {
				s = found
			}
		}
		s.msgs = append(s.msgs, fields[path])
	}
	beside := map[string]string{}
	var issues []adminIssue
	for _, s := range slots {
		if len(s.msgs) == 0 {
			continue
		}
		text := fieldSentence(strings.Join(s.msgs, "; "))
		if s.id != "" {
			beside[s.id] = text
		}
		if s.label == "" {
			issues = append(issues, adminIssue{Text: text})
		} else {
			issues = append(issues, adminIssue{ID: s.id, Text: s.label + ": " + lowerFirstWord(text)})
		}
	}
	for _, boxes := range [][]actionText{said, did} {
		for i := range boxes {
			boxes[i].Error = beside[boxes[i].ID]
		}
	}
	return beside, issues
}
