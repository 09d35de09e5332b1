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

// Preparing MADE sessions: the list, and the editor of a draft. Running a
// session (its console at /staff/sessions/{id}) is built on top.

// activityKindAdd are the words of each kind's add button.
var activityKindAdd = map[surveys.ActivityKind]string{
	surveys.ActivityPoll:     "Add a poll",
	surveys.ActivityRating:   "Add an emoji rating",
	surveys.ActivityIdeas:    "Add an idea board",
	surveys.ActivityDots:     "Add a dot vote",
	surveys.ActivityWords:    "Add a word cloud",
	surveys.ActivityQuestion: "Add an open question",
}

// liveStatusNames and liveBadges say where a session is, in words and a
// badge of its own shape.
var (
	liveStatusNames = map[surveys.LiveStatus]string{surveys.LiveDraft: "Draft", surveys.LiveRunning: "Live", surveys.LiveEnded: "Ended"}
	liveBadges      = map[surveys.LiveStatus]string{surveys.LiveDraft: "badge-draft", surveys.LiveRunning: "badge-open", surveys.LiveEnded: "badge-disabled"}
)

var errSessionsOff = surveys.Errorf(surveys.ENOTFOUND, "There is no such page.")

// sessionRow is a session in the list.
type sessionRow struct {
	ID         string
	Title      string
	Date       string // as people read it
	Group      string
	Status     string
	Badge      string
	Activities int
	EditHref   string // for drafts only
	OpenHref   string // the console
}

type sessionListView struct {
	page
	Rows []sessionRow
	// Earlier are the sessions to copy, newest first.
	Earlier []adminOption
	Max     int
}

// SessionList shows every session, newest date first, with the ways to
// prepare a new one: blank, from the templates, or a copy of an earlier
// one.
func (p *Pages) SessionList(c fiber.Ctx) error {
	if p.cfg.Sessions == nil {
		return errSessionsOff
	}
	list, err := p.cfg.Sessions.List(c.Context())
	if err != nil {
		return err
	}
	v := sessionListView{page: p.page(c, "MADE sessions"), Max: surveys.MaxLiveSessions}
	for _, s := range list {
		v.Rows = append(v.Rows, sessionRowOf(s))
		v.Earlier = append(v.Earlier, adminOption{Value: s.ID, Text: s.Title + " (" + dayOf(s.Date) + ")"})
	}
	return p.render(c, http.StatusOK, "sessions", v)
}

// sessionRowOf is a session as the list and the home page show it.
func sessionRowOf(s *surveys.LiveSession) sessionRow {
	r := sessionRow{ID: s.ID, Title: s.Title, Date: dayOf(s.Date), Group: s.Group, Status: liveStatusNames[s.Status],
		Badge: liveBadges[s.Status], Activities: len(s.Activities), OpenHref: "/staff/sessions/" + url.PathEscape(s.ID)}
	if s.Status == surveys.LiveDraft {
		r.EditHref = r.OpenHref + "/edit"
	}
	return r
}

// activityView is one activity's fieldset in the editor. Ids of fields
// are "a3-prompt" and the like, names "a.3.prompt": both by the
// activity's place, which the domain's errors name too.
type activityView struct {
	Index        int // 0-based
	Number       int // as people count
	ID           string
	FieldID      string // "a3"
	Name         string // "a.3."
	Kind         string
	KindName     string
	Prompt       string
	Options      string // one a line
	Multiple     bool
	Statements   string
	Columns      string
	Dots         string
	FromIdeas    []adminOption
	Words        string
	Themes       []adminOption
	Questions    string
	LinksOpen    bool // the box of links starts open: some are set, or wrong
	First, Last  bool
	UpFragment   string
	DownFragment string
	Error        string            // about the activity as a whole
	Errors       map[string]string // by field: "prompt", "options"...
}

// addButton is one of the buttons that add an activity.
type addButton struct {
	Op   string
	Text string
}

type sessionFormView struct {
	page
	New         bool
	Action      string // where the form is sent
	ID          string
	Revision    int
	SessionName string
	Status      string
	Badge       string
	Title       string
	Date        string
	Groups      []adminOption
	Purpose     string
	Premoderate bool
	Activities  []activityView
	Adds        []addButton
	AddError    string // why an activity was not added, or too many
	Errors      map[string]string
	Issues      []adminIssue
	Heading     string
	Conflict    string
	Notice      string
	// Locked says why a session that has started or ended has no form.
	Locked  string
	Created time.Time
	Updated time.Time
	Limits  sessionLimits
}

// sessionLimits are the limits the editor's hints name.
type sessionLimits struct {
	Title, Purpose, Prompt, Activities, Options, Option, Statements, Columns, Dots, Words, Links int
}

var theSessionLimits = sessionLimits{Title: surveys.MaxSessionTitle, Purpose: surveys.MaxSessionPurpose, Prompt: surveys.MaxPrompt,
	Activities: surveys.MaxActivities, Options: surveys.MaxActivityOptions, Option: surveys.MaxOptionText, Statements: surveys.MaxStatements,
	Columns: surveys.MaxIdeaColumns, Dots: surveys.MaxDots, Words: surveys.MaxCloudWords, Links: surveys.MaxActivityLinks}

// NewSessionPage shows the editor of a new session: blank, or with the
// templates' activities ("?from=templates"). Nothing is stored until Save.
func (p *Pages) NewSessionPage(c fiber.Ctx) error {
	if p.cfg.Sessions == nil {
		return errSessionsOff
	}
	s := &surveys.LiveSession{Date: p.cfg.Now().In(london).Format(time.DateOnly), Status: surveys.LiveDraft}
	if c.Query("from") == "templates" {
		s.Activities = p.cfg.Sessions.Templates()
	}
	v, err := p.sessionForm(c, s, 0, true)
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "session-edit", v)
}

// CreateSession is the form of a new session: a copy of an earlier one
// ("start=copy", from the list), or the editor's, whose buttons change it
// unsaved and whose Save stores it.
func (p *Pages) CreateSession(c fiber.Ctx) error {
	if p.cfg.Sessions == nil {
		return errSessionsOff
	}
	form, err := postedValues(c)
	if err != nil {
		return err
	}
	if form.Get("start") == "copy" {
		s, err := p.cfg.Sessions.Copy(c.Context(), form.Get("from"))
		if err != nil {
			return err
		}
		return redirectDone(c, "/staff/sessions/"+url.PathEscape(s.ID)+"/edit", "session-copied")
	}
	in, err := decodeSessionForm(form)
	if err != nil {
		return err
	}
	if in.op != "" && in.op != opSave {
		return p.sessionOp(c, in, true)
	}
	s, err := p.cfg.Sessions.Create(c.Context(), in.session)
	if err == nil {
		return redirectDone(c, "/staff/sessions/"+url.PathEscape(s.ID)+"/edit", "session-created")
	}
	if surveys.ErrorCode(err) != surveys.EINVALID {
		return err
	}
	return p.sessionMistakes(c, in, true, err, "The session was not saved")
}

// SessionEditPage shows a draft's editor; a session that has started or
// ended says why it cannot change, and offers a copy.
func (p *Pages) SessionEditPage(c fiber.Ctx) error {
	if p.cfg.Sessions == nil {
		return errSessionsOff
	}
	s, err := p.cfg.Sessions.Find(c.Context(), c.Params("id"))
	if err != nil {
		return err
	}
	v, err := p.sessionForm(c, s, s.Revision, false)
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "session-edit", v)
}

// SaveSession is a draft's editor as sent: a button that changes the form
// shows it again, unsaved; Save stores it if nobody saved it since the
// revision the form carries.
func (p *Pages) SaveSession(c fiber.Ctx) error {
	if p.cfg.Sessions == nil {
		return errSessionsOff
	}
	ctx := c.Context()
	id := c.Params("id")
	current, err := p.cfg.Sessions.Find(ctx, id)
	if err != nil {
		return err
	}
	if locked := surveys.LockedReason(current); locked != nil {
		v, err := p.sessionForm(c, current, current.Revision, false)
		if err != nil {
			return err
		}
		return p.render(c, http.StatusConflict, "session-edit", v)
	}
	form, err := postedValues(c)
	if err != nil {
		return err
	}
	in, err := decodeSessionForm(form)
	if err != nil {
		return err
	}
	if !in.revisionOK {
		return surveys.Errorf(surveys.EINVALID, "The form is missing part of itself. Please reload the page and try again.")
	}
	in.session.ID, in.session.Status, in.session.Created, in.session.Updated = current.ID, current.Status, current.Created, current.Updated
	if in.op != "" && in.op != opSave {
		return p.sessionOp(c, in, false)
	}
	_, err = p.cfg.Sessions.Update(ctx, id, in.revision, in.session)
	switch surveys.ErrorCode(err) {
	case "":
		return redirectDone(c, "/staff/sessions/"+url.PathEscape(id)+"/edit", "session-saved")
	case surveys.ECONFLICT:
		return p.sessionConflict(c, id, err)
	case surveys.EINVALID:
		return p.sessionMistakes(c, in, false, err, "Your changes were not saved")
	}
	return err
}

// sessionConflict shows the session as someone else saved it (or as it
// is now it has started), saying why the save was refused.
func (p *Pages) sessionConflict(c fiber.Ctx, id string, cause error) error {
	theirs, err := p.cfg.Sessions.Find(c.Context(), id)
	if err != nil {
		return err
	}
	v, err := p.sessionForm(c, theirs, theirs.Revision, false)
	if err != nil {
		return err
	}
	if v.Locked == "" {
		v.Conflict = surveys.ErrorMessage(cause)
	}
	return p.render(c, http.StatusConflict, "session-edit", v)
}

// sessionOp applies a button other than Save and shows the form again.
func (p *Pages) sessionOp(c fiber.Ctx, in sessionInput, isNew bool) error {
	surveys.GiveActivityIDs(in.session.Activities)
	res, err := applySessionOp(in.session, in.op)
	if err != nil {
		return err
	}
	v, err := p.sessionForm(c, in.session, in.revision, isNew)
	if err != nil {
		return err
	}
	v.Notice, v.AddError = res.notice, res.problem
	if res.problem != "" {
		v.Heading = "The activity was not added"
		v.Issues = []adminIssue{{ID: "add-activity", Text: res.problem}}
		return p.render(c, http.StatusUnprocessableEntity, "session-edit", v)
	}
	return p.render(c, http.StatusOK, "session-edit", v)
}

// sessionMistakes shows the form as typed with each mistake beside its
// field and in the summary.
func (p *Pages) sessionMistakes(c fiber.Ctx, in sessionInput, isNew bool, cause error, heading string) error {
	v, err := p.sessionForm(c, in.session, in.revision, isNew)
	if err != nil {
		return err
	}
	v.Heading = heading
	v.Issues = placeSessionErrors(surveys.ErrorFields(cause), &v)
	if len(v.Issues) == 0 {
		v.Issues = []adminIssue{{Text: surveys.ErrorMessage(cause)}}
	}
	return p.render(c, http.StatusUnprocessableEntity, "session-edit", v)
}

// sessionForm lays out the editor of a session as given, at revision.
func (p *Pages) sessionForm(c fiber.Ctx, s *surveys.LiveSession, revision int, isNew bool) (sessionFormView, error) {
	title := "Prepare a session"
	if !isNew {
		title = "Change a session: " + clipWords(s.Title, 60)
	}
	v := sessionFormView{page: p.page(c, title), New: isNew, ID: s.ID, Revision: revision, SessionName: s.Title,
		Status: liveStatusNames[s.Status], Badge: liveBadges[s.Status], Title: s.Title, Date: s.Date, Purpose: s.Purpose,
		Premoderate: s.Premoderate, Created: s.Created, Updated: s.Updated, Limits: theSessionLimits, Errors: map[string]string{}}
	v.Action = "/staff/sessions"
	if !isNew {
		v.Action = "/staff/sessions/" + url.PathEscape(s.ID) + "/edit"
		if err := surveys.LockedReason(s); err != nil {
			v.Locked = surveys.ErrorMessage(err)
		}
	}
	st, err := p.cfg.Settings.Current(c.Context())
	if err != nil {
		return v, fmt.Errorf("read the MADE groups: %w", err)
	}
	v.Groups = groupOptions(st.Groups, s.Group)
	book := p.cfg.Themes.Codebook()
	for i, a := range s.Activities {
		v.Activities = append(v.Activities, activityViewOf(s, i, a, book))
	}
	for _, k := range surveys.ActivityKinds {
		v.Adds = append(v.Adds, addButton{Op: "add:" + string(k), Text: activityKindAdd[k]})
	}
	v.Adds = append(v.Adds, addButton{Op: "lundy", Text: "Add the Lundy check"})
	return v, nil
}

// groupOptions are the settings' MADE groups to choose from, with none
// first, and a group the settings no longer have kept and marked.
func groupOptions(groups []string, chosen string) []adminOption {
	out := []adminOption{{Value: "", Text: "No group", Selected: chosen == ""}}
	for _, g := range groups {
		out = append(out, adminOption{Value: g, Text: g, Selected: g == chosen})
	}
	if chosen != "" && !slices.Contains(groups, chosen) {
		out = append(out, adminOption{Value: chosen, Text: chosen + " (not in the settings now)", Selected: true})
	}
	return out
}

// activityViewOf lays out activity i of s.
func activityViewOf(s *surveys.LiveSession, i int, a surveys.Activity, book *surveys.Codebook) activityView {
	v := activityView{Index: i, Number: i + 1, ID: a.ID, FieldID: "a" + strconv.Itoa(i), Name: fmt.Sprintf("a.%d.", i),
		Kind: string(a.Kind), KindName: a.Kind.Name(), Prompt: a.Prompt, Options: strings.Join(a.Options, "\n"),
		Multiple: a.Multiple, Statements: strings.Join(a.Statements, "\n"), Columns: strings.Join(a.Columns, "\n"),
		Dots: numberText(a.Dots), Words: numberText(a.Words), Themes: themeOptions(book, a.Themes), Questions: questionLines(a.Questions),
		LinksOpen: len(a.Themes) > 0 || len(a.Questions) > 0, First: i == 0, Last: i == len(s.Activities)-1,
		UpFragment: fmt.Sprintf("a%d", i-1), DownFragment: fmt.Sprintf("a%d", i+1), Errors: map[string]string{}}
	if v.KindName == "" {
		v.KindName = "Unknown kind"
	}
	if a.Kind == surveys.ActivityDots {
		v.FromIdeas = ideaBoardOptions(s, i, a.FromIdeas)
	}
	return v
}

// ideaBoardOptions are the idea boards a dot vote may take its ideas
// from: every board of the session but those after it are marked, so that
// a facilitator sees to move one up rather than wonder where it went.
func ideaBoardOptions(s *surveys.LiveSession, at int, chosen string) []adminOption {
	out := []adminOption{{Value: "", Text: "None: share dots among the options below", Selected: chosen == ""}}
	found := chosen == ""
	for j, b := range s.Activities {
		if b.Kind != surveys.ActivityIdeas || b.ID == "" {
			continue
		}
		text := fmt.Sprintf("The ideas of activity %d: %s", j+1, clipWords(b.Prompt, 50))
		if j > at {
			text += " (comes later: move it above this one)"
		}
		out = append(out, adminOption{Value: b.ID, Text: text, Selected: b.ID == chosen})
		found = found || b.ID == chosen
	}
	if !found {
		out = append(out, adminOption{Value: chosen, Text: "An idea board that is no longer in the session", Selected: true})
	}
	return out
}

func numberText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// sessionFields are the session's own fields, in the order of the form,
// with the words the error summary uses.
var sessionFields = []struct{ key, label string }{
	{"title", "Title"}, {"date", "Date"}, {"group", "MADE group"}, {"purpose", "Purpose"},
}

// activityField is a field of an activity's fieldset.
type activityField struct{ key, label string }

// activityLineFields are the boxes of one item a line, whose items the
// domain names by number.
var activityLineFields = []string{"options", "statements", "columns", "questions"}

// activityFieldLabels name an activity's fields in the error summary, in
// the order of its fieldset.
var activityFieldLabels = []activityField{
	{"prompt", "question or instruction"},
	{"options", "options"},
	{"multiple", "several choices"},
	{"statements", "statements"},
	{"columns", "columns"},
	{"dots", "dots each"},
	{"from_ideas", "ideas to vote on"},
	{"words", "words each"},
	{"themes", "themes"},
	{"questions", "survey questions"},
}

// activityPath splits a domain path such as "activities.2.options.1" into
// the activity's index, its field and the line.
var activityPath = regexp.MustCompile(`^activities\.(\d+)(?:\.([a-z_]+)(?:\.(\d+))?)?$`)

// placeSessionErrors puts the domain's messages beside the fields they
// are about (in v) and returns the error summary's lines in the order of
// the form. A list's lines are named by number; the errors of one field
// are joined. A message about a field the form does not show for the
// activity's kind goes beside the activity as a whole.
func placeSessionErrors(fields map[string]string, v *sessionFormView) []adminIssue {
	var issues []adminIssue
	for _, f := range sessionFields {
		if msg, ok := fields[f.key]; ok {
			text := fieldSentence(msg)
			v.Errors[f.key] = text
			issues = append(issues, adminIssue{ID: f.key, Text: f.label + ": " + lowerFirstWord(text)})
		}
	}
	if msg, ok := fields["activities"]; ok {
		v.AddError = fieldSentence(msg)
		issues = append(issues, adminIssue{ID: "add-activity", Text: "Activities: " + lowerFirstWord(v.AddError)})
	}
	byActivity := map[int]map[string][]string{}
	placed := map[string]bool{"activities": true}
	for _, f := range sessionFields {
		placed[f.key] = true
	}
	for _, path := range slices.Sorted(maps.Keys(fields)) {
		m := activityPath.FindStringSubmatch(path)
		if m == nil {
			continue
		}
		i, err := strconv.Atoi(m[1])
		if err != nil || i >= len(v.Activities) {
			continue
		}
		placed[path] = true
		msg := fields[path]
		if n, err := strconv.Atoi(m[3]); err == nil && slices.Contains(activityLineFields, m[2]) {
			msg = fmt.Sprintf("line %d: %s", n+1, msg)
		}
		if byActivity[i] == nil {
			byActivity[i] = map[string][]string{}
		}
		byActivity[i][m[2]] = append(byActivity[i][m[2]], msg)
	}
	for i := range v.Activities {
		issues = append(issues, activityIssues(&v.Activities[i], byActivity[i])...)
	}
	for _, path := range slices.Sorted(maps.Keys(fields)) {
		if !placed[path] {
			issues = append(issues, adminIssue{Text: fieldSentence(fields[path])})
		}
	}
	return issues
}

// activityIssues puts one activity's messages beside its fields and says
// them in the summary, naming the activity by number and kind.
func activityIssues(a *activityView, msgs map[string][]string) []adminIssue {
	if len(msgs) == 0 {
		return nil
	}
	name := fmt.Sprintf("Activity %d (%s)", a.Number, strings.ToLower(a.KindName))
	shown := shownFields(surveys.ActivityKind(a.Kind))
	var whole []string
	var issues []adminIssue
	for _, f := range activityFieldLabels {
		list, ok := msgs[f.key]
		if !ok {
			continue
		}
		if !shown[f.key] {
			whole = append(whole, f.label+" "+strings.Join(list, "; "))
			continue
		}
		text := fieldSentence(explainActivityError(a, f.key, strings.Join(list, "; ")))
		a.Errors[f.key] = text
		if f.key == "themes" || f.key == "questions" {
			a.LinksOpen = true
		}
		issues = append(issues, adminIssue{ID: a.FieldID + "-" + f.key, Text: name + ", " + f.label + ": " + lowerFirstWord(text)})
	}
	for key, list := range msgs {
		if !slices.ContainsFunc(activityFieldLabels, func(f activityField) bool { return f.key == key }) {
			whole = append(whole, strings.Join(list, "; "))
		}
	}
	if len(whole) > 0 {
		slices.Sort(whole)
		a.Error = fieldSentence(strings.Join(whole, "; "))
		issues = append([]adminIssue{{ID: a.FieldID, Text: name + ": " + lowerFirstWord(a.Error)}}, issues...)
	}
	return issues
}

// shownFields are the fields the editor shows for a kind, besides the
// prompt and the links every activity has.
func shownFields(kind surveys.ActivityKind) map[string]bool {
	shown := map[string]bool{"prompt": true, "themes": true, "questions": true}
	switch kind {
	case surveys.ActivityPoll:
		shown["options"], shown["multiple"] = true, true
	case surveys.ActivityRating:
		shown["statements"] = true
	case surveys.ActivityIdeas:
		shown["columns"] = true
	case surveys.ActivityDots:
		shown["options"], shown["dots"], shown["from_ideas"] = true, true, true
	case surveys.ActivityWords:
		shown["words"] = true
	}
	return shown
}

// explainActivityError says a domain message in the editor's terms where
// the form makes it read oddly.
func explainActivityError(a *activityView, key, msg string) string {
	if a.Kind == string(surveys.ActivityDots) && key == "options" && strings.Contains(msg, "is not used by") {
		return "leave the options empty when the dots go to an idea board's ideas, or choose no idea board"
	}
	return msg
}
