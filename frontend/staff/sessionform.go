package staff

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// The session editor's form: how it is read, and what its buttons other
// than Save do to it. Every button sends the whole form, so that the page
// works without JavaScript: "Move up", "Add a poll" and the like change the
// session as typed and show it again, unsaved.

// Bounds of what the decoder reads. They are above every limit of a
// session, so that the domain names the limit beside its field, and below
// what would make a crafted form costly; a form beyond them is refused
// whole, as no editor page ever sends one.
const (
	// maxFormLines is the most lines of one list (options, statements,
	// columns, survey questions) and themes ticked in one activity.
	maxFormLines = 100
	// maxFormValue is the most bytes of one field: twenty statements of
	// the longest, with room to spare.
	maxFormValue = 16 << 10
)

// sessionInput is the session editor's form as sent.
type sessionInput struct {
	session    *surveys.LiveSession
	revision   int
	revisionOK bool
	op         string // the button pressed: "save", "up:3", "add:poll"...
}

// errFormTooBig is the answer to a form no editor page sends.
var errFormTooBig = surveys.Errorf(surveys.EINVALID,
	"The form holds more than the session editor ever sends (at most %d activities, %d lines in a list, %d characters in a box). Please reload the page and try again.",
	surveys.MaxActivities, maxFormLines, maxFormValue)

// decodeSessionForm reads the editor's form: the session's title, date,
// group, purpose and premoderation; "count" activities, each as "a.3.id",
// "a.3.kind", "a.3.prompt" and the fields of its kind (lists one item a
// line); its ticked themes ("a.3.theme") and survey questions, one
// "survey-slug/question-key" a line; the revision; and the button pressed
// ("op"). Fields of another kind than the activity's are not read. What is
// wrong in what was typed is the domain's to say; only a form beyond the
// decoder's bounds is refused.
func decodeSessionForm(form url.Values) (sessionInput, error) {
	for _, vals := range form {
		for _, v := range vals {
			if len(v) > maxFormValue {
				return sessionInput{}, errFormTooBig
			}
		}
	}
	s := &surveys.LiveSession{Title: form.Get("title"), Date: form.Get("date"), Group: form.Get("group"), Purpose: form.Get("purpose"),
		Premoderate: form.Get("premoderate") != ""}
	in := sessionInput{session: s, op: form.Get("op")}
	if r, err := strconv.Atoi(form.Get("revision")); err == nil && r > 0 {
		in.revision, in.revisionOK = r, true
	}
	count := 0
	if c := form.Get("count"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 || n > surveys.MaxActivities {
			return sessionInput{}, errFormTooBig
		}
		count = n
	}
	for i := range count {
		a, err := decodeActivity(form, fmt.Sprintf("a.%d.", i))
		if err != nil {
			return sessionInput{}, err
		}
		s.Activities = append(s.Activities, a)
	}
	return in, nil
}

// decodeActivity reads one activity's fields, named prefix+field.
func decodeActivity(form url.Values, prefix string) (surveys.Activity, error) {
	get := func(field string) string { return form.Get(prefix + field) }
	a := surveys.Activity{ID: strings.TrimSpace(get("id")), Kind: surveys.ActivityKind(get("kind")), Prompt: get("prompt"),
		Themes: form[prefix+"theme"]}
	if len(a.Themes) > maxFormLines {
		return a, errFormTooBig
	}
	lists := map[string]*[]string{}
	switch a.Kind {
	case surveys.ActivityPoll:
		lists["options"] = &a.Options
		a.Multiple = get("multiple") != ""
	case surveys.ActivityRating:
		lists["statements"] = &a.Statements
	case surveys.ActivityIdeas:
		lists["columns"] = &a.Columns
	case surveys.ActivityDots:
		lists["options"] = &a.Options
		a.Dots, a.FromIdeas = formNumber(get("dots")), strings.TrimSpace(get("from_ideas"))
	case surveys.ActivityWords:
		a.Words = formNumber(get("words"))
	}
	for field, dst := range lists {
		if *dst = formLines(get(field)); len(*dst) > maxFormLines {
			return a, errFormTooBig
		}
	}
	questions := formLines(get("questions"))
	if len(questions) > maxFormLines {
		return a, errFormTooBig
	}
	for _, line := range questions {
		slug, key, _ := strings.Cut(line, "/")
		// A line typed twice is kept once, as the domain keeps it, so that
		// its errors' line numbers are those shown.
		q := surveys.ActionQuestion{Survey: strings.TrimSpace(slug), Question: strings.TrimSpace(key)}
		if !slices.Contains(a.Questions, q) {
			a.Questions = append(a.Questions, q)
		}
	}
	return a, nil
}

// formLines splits a box of one item a line, trimmed, without empty lines.
func formLines(box string) []string {
	var out []string
	for line := range strings.Lines(box) {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// formNumber reads a whole number as typed; anything else is 0, which the
// domain names as out of range.
func formNumber(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < -1000 || n > 1000 {
		return 0
	}
	return n
}

// encodeSessionForm is what a browser sends for a session as the editor
// shows it: the inverse of decodeSessionForm.
func encodeSessionForm(in sessionInput) url.Values {
	s := in.session
	form := url.Values{"title": {s.Title}, "date": {s.Date}, "group": {s.Group}, "purpose": {s.Purpose},
		"count": {strconv.Itoa(len(s.Activities))}}
	if s.Premoderate {
		form.Set("premoderate", "1")
	}
	if in.revisionOK {
		form.Set("revision", strconv.Itoa(in.revision))
	}
	if in.op != "" {
		form.Set("op", in.op)
	}
	for i, a := range s.Activities {
		p := fmt.Sprintf("a.%d.", i)
		form.Set(p+"id", a.ID)
		form.Set(p+"kind", string(a.Kind))
		form.Set(p+"prompt", a.Prompt)
		form[p+"theme"] = a.Themes
		form.Set(p+"questions", questionLines(a.Questions))
		form.Set(p+"options", strings.Join(a.Options, "\n"))
		form.Set(p+"statements", strings.Join(a.Statements, "\n"))
		form.Set(p+"columns", strings.Join(a.Columns, "\n"))
		form.Set(p+"from_ideas", a.FromIdeas)
		if a.Multiple {
			form.Set(p+"multiple", "1")
		}
		if a.Dots != 0 {
			form.Set(p+"dots", strconv.Itoa(a.Dots))
		}
		if a.Words != 0 {
			form.Set(p+"words", strconv.Itoa(a.Words))
		}
	}
	return form
}

// questionLines writes survey questions one a line, as the editor's box
// shows them.
func questionLines(qs []surveys.ActionQuestion) string {
	lines := make([]string, len(qs))
	for i, q := range qs {
		// A slug alone is shown as typed; a line of nothing but "/" too,
		// so that it is not lost.
		lines[i] = q.Survey + "/" + q.Question
		if q.Question == "" && q.Survey != "" {
			lines[i] = q.Survey
		}
	}
	return strings.Join(lines, "\n")
}

// opSave is the Save button's op; a form sent without an op (Enter in a
// field of an old page) saves too.
const opSave = "save"

// opResult is what a button other than Save did: a message for the page,
// the activity to bring into view, or a mistake that stopped it.
type opResult struct {
	notice  string
	focus   int    // the index of the activity the change concerns, or -1
	problem string // why nothing changed, beside the add buttons
}

// applySessionOp does what a button other than Save asks, to the session
// as typed: moves an activity up or down, removes it, adds one of a kind
// (empty) or the Lundy check at the end. Adding past MaxActivities changes
// nothing and says why; an op no editor sends is refused.
func applySessionOp(s *surveys.LiveSession, op string) (opResult, error) {
	verb, arg, _ := strings.Cut(op, ":")
	acts := s.Activities
	switch verb {
	case "up", "down", "remove":
		i, err := strconv.Atoi(arg)
		if err != nil || i < 0 || i >= len(acts) {
			return opResult{}, errUnknownOp
		}
		return moveActivity(s, verb, i), nil
	case "add", "lundy":
		if len(acts) >= surveys.MaxActivities {
			return opResult{focus: -1, problem: fmt.Sprintf("A session can have at most %d activities: remove one before adding another.", surveys.MaxActivities)}, nil
		}
		a := surveys.LundyCheck("lundy")
		if s.Activity("lundy") != nil {
			a.ID = "" // given one below
		}
		if verb == "add" {
			kind := surveys.ActivityKind(arg)
			if !kind.Valid() {
				return opResult{}, errUnknownOp
			}
			a = newActivity(kind)
		}
		s.Activities = append(acts, a)
		surveys.GiveActivityIDs(s.Activities)
		n := len(s.Activities)
		return opResult{focus: n - 1, notice: fmt.Sprintf("Activity %d, %s, was added at the end. Nothing is saved until you choose Save.",
			n, strings.ToLower(a.Kind.Name()))}, nil
	}
	return opResult{}, errUnknownOp
}

var errUnknownOp = surveys.Errorf(surveys.EINVALID, "The form asked for a change the session editor does not make. Please reload the page and try again.")

// moveActivity moves activity i up or down one place, or removes it.
func moveActivity(s *surveys.LiveSession, verb string, i int) opResult {
	acts := s.Activities
	n := i + 1
	switch {
	case verb == "remove":
		s.Activities = slices.Delete(acts, i, i+1)
		return opResult{focus: min(i, len(s.Activities)-1), notice: fmt.Sprintf("Activity %d was removed. Nothing is saved until you choose Save.", n)}
	case verb == "up" && i > 0:
		acts[i-1], acts[i] = acts[i], acts[i-1]
		return opResult{focus: i - 1, notice: fmt.Sprintf("Activity %d moved up: it is activity %d now. Nothing is saved until you choose Save.", n, n-1)}
	case verb == "down" && i < len(acts)-1:
		acts[i], acts[i+1] = acts[i+1], acts[i]
		return opResult{focus: i + 1, notice: fmt.Sprintf("Activity %d moved down: it is activity %d now. Nothing is saved until you choose Save.", n, n+1)}
	}
	return opResult{focus: i, notice: fmt.Sprintf("Activity %d is already at the %s.", n, map[string]string{"up": "top", "down": "end"}[verb])}
}

// newActivity is an activity of a kind as the add buttons make it: empty,
// with the usual numbers.
func newActivity(kind surveys.ActivityKind) surveys.Activity {
	a := surveys.Activity{Kind: kind}
	switch kind {
	case surveys.ActivityDots:
		a.Dots = 3
	case surveys.ActivityWords:
		a.Words = 1
	}
	return a
}
