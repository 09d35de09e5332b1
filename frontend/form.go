package frontend

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// fieldName is the form field of a question: "q." and its key. The key
// alphabet (a-z, 0-9, "_", "-") needs no escaping.
func fieldName(key string) string { return "q." + key }

// formValues reads the posted fields of each question of v with peekMulti
// (the raw post args' PeekMulti), keeping every value of a repeated field:
// a multi_choice sends one per tick. Names are taken literally from the raw
// body, so "q.feel_safe" is not mistaken for a nested field.
func formValues(v *surveys.Version, peekMulti func(name string) [][]byte) map[string][]string {
	values := make(map[string][]string, len(v.Questions))
	for _, q := range v.Questions {
		for _, b := range peekMulti(fieldName(q.Key)) {
			values[q.Key] = append(values[q.Key], string(b))
		}
	}
	return values
}

// rawAnswers turns form values into answers exactly as the JSON API
// receives them, so that the domain checks both the same way: a string for
// single_choice, scale and text; a list of strings for multi_choice; a
// number for a rating given as a whole number, else the string as typed
// (which the domain refuses with a message). Empty values are skipped.
func rawAnswers(v *surveys.Version, values map[string][]string) map[string]json.RawMessage {
	raw := make(map[string]json.RawMessage, len(values))
	for _, q := range v.Questions {
		var given []string
		for _, s := range values[q.Key] {
			if s != "" {
				given = append(given, s)
			}
		}
		if len(given) == 0 {
			continue
		}
		var value any
		switch q.Type {
		case surveys.MultiChoice:
			value = given
		case surveys.Rating:
			value = given[0]
			if n, err := strconv.Atoi(strings.TrimSpace(given[0])); err == nil && n >= math.MinInt32 && n <= math.MaxInt32 {
				value = n
			}
		case surveys.FreeText:
			// Browsers send a line break in a text box as CRLF; a script
			// sends the box's value, with LF. Count each break once.
			value = strings.ReplaceAll(given[0], "\r\n", "\n")
		default:
			value = given[0]
		}
		b, _ := json.Marshal(value) // strings, ints and lists of strings always marshal
		raw[q.Key] = b
	}
	return raw
}

// formView is the page of one survey version as one form.
type formView struct {
	page
	SurveyTitle  string
	VersionLabel string
	Action       string
	ID           string
	Lang         string
	Required     bool   // some question needs an answer
	Conditional  bool   // some question is only for some people
	Problem      string // what the error summary says first
	Summary      []summaryItem
	Unavailable  string // the answers could not be stored just now
	Questions    []questionView
}

// summaryItem is one line of the error summary, linking to its question.
type summaryItem struct {
	Href string
	Text string
}

// questionView is one question as a fieldset.
type questionView struct {
	Section     string // a section heading to show before the question
	ID          string // the fieldset's id; the others start with it
	Name        string
	Legend      string
	Required    bool
	Note        string // when the question applies, for a conditional one
	Help        string
	Hint        string // how to answer: how many to choose, what the ends mean
	Error       string
	Kind        string // "radio", "checkbox" or "text"
	Layout      string // "list", "scale" or "rating"
	Options     []optionView
	Text        string // a text answer as typed
	Rows        int
	DescribedBy string // ids of the note, help, hint and error
}

// optionView is one radio button or checkbox.
type optionView struct {
	ID      string
	Value   string
	Label   string
	Checked bool
	Face    string // the path of a scale face's mouth; "" for none
	Meaning string // what the lowest or highest rating means, for screen readers
	Skip    bool   // the "Skip this question" choice
}

// newFormView lays out v as a form, with the answers a young person gave
// and the message for each question that needs another look.
func newFormView(pg page, s *surveys.Survey, v *surveys.Version, id string, values map[string][]string, problems map[string]string) formView {
	fv := formView{
		page:         pg,
		SurveyTitle:  s.Title.In(lang),
		VersionLabel: v.Label.In(lang),
		Action:       "/s/" + s.Slug + "/" + v.Key,
		ID:           id,
		Lang:         lang,
	}
	headings := sectionHeadings(s, v)
	for i := range v.Questions {
		q := &v.Questions[i]
		qv := newQuestionView(v, q, values[q.Key], problems[q.Key])
		qv.Section = headings[i]
		fv.Required = fv.Required || q.Required
		fv.Conditional = fv.Conditional || q.ShowIf != nil
		if qv.Error != "" {
			fv.Summary = append(fv.Summary, summaryItem{Href: "#" + qv.ID, Text: withStop(qv.Legend) + " " + qv.Error})
		}
		fv.Questions = append(fv.Questions, qv)
	}
	// Problems not about a question (a spoilt id or language, which only
	// a changed page can send) are told without detail or link: the form
	// shown now carries good ones.
	switch {
	case len(fv.Summary) > 0:
		fv.Problem = "Some answers need another look. Your other answers are kept."
	case len(problems) > 0:
		fv.Problem = "Your answers have not been sent yet, but they are still here."
	}
	if len(problems) > len(fv.Summary) {
		fv.Summary = append(fv.Summary, summaryItem{Text: "Something went wrong with this form. Please check your answers and press \u201cSend my answers\u201d again."})
	}
	return fv
}

// sectionHeadings returns, for each question of v, the heading of the
// section it starts, or "". A version whose sections are not each in one
// run of questions gets no headings, rather than the same heading twice
// over questions that do not all belong to it.
func sectionHeadings(s *surveys.Survey, v *surveys.Version) []string {
	titles := map[string]string{}
	for _, sec := range s.Sections {
		titles[sec.Key] = sec.Title.In(lang)
	}
	headings := make([]string, len(v.Questions))
	seen := map[string]bool{}
	for i, q := range v.Questions {
		if i > 0 && q.Section == v.Questions[i-1].Section {
			continue
		}
		if q.Section == "" {
			continue
		}
		if seen[q.Section] {
			return make([]string, len(v.Questions))
		}
		seen[q.Section] = true
		headings[i] = titles[q.Section]
	}
	return headings
}

func newQuestionView(v *surveys.Version, q *surveys.Question, values []string, problem string) questionView {
	id := "q-" + q.Key
	qv := questionView{
		ID:       id,
		Name:     fieldName(q.Key),
		Legend:   strings.TrimSpace(q.Text.In(lang)),
		Required: q.Required,
		Note:     conditionNote(v, q.ShowIf),
		Help:     strings.TrimSpace(q.Help.In(lang)),
		Error:    problem,
		Kind:     "radio",
		Layout:   "list",
	}
	chosen := map[string]bool{}
	for _, s := range values {
		chosen[s] = true
	}
	switch q.Type {
	case surveys.SingleChoice, surveys.Scale, surveys.MultiChoice:
		faces := scaleFaces(q)
		for i, c := range q.Choices {
			o := optionView{ID: fmt.Sprintf("%s-%d", id, i), Value: c.Key, Label: c.Label.In(lang), Checked: chosen[c.Key]}
			if faces != nil {
				o.Face = faces[i]
			}
			qv.Options = append(qv.Options, o)
		}
		if q.Type == surveys.Scale {
			qv.Layout = "scale"
		}
		if q.Type == surveys.MultiChoice {
			qv.Kind = "checkbox"
			qv.Hint = "Choose as many as you like."
			if q.MaxChoices > 0 {
				qv.Hint = fmt.Sprintf("Choose up to %d.", q.MaxChoices)
			}
		}
	case surveys.Rating:
		lo, hi := q.RatingRange()
		qv.Layout = "rating"
		for n := lo; n <= hi; n++ {
			s := strconv.Itoa(n)
			o := optionView{ID: fmt.Sprintf("%s-%d", id, n), Value: s, Label: s, Checked: chosen[s]}
			switch n {
			case lo:
				o.Meaning = strings.TrimSpace(q.MinLabel.In(lang))
			case hi:
				o.Meaning = strings.TrimSpace(q.MaxLabel.In(lang))
			}
			qv.Options = append(qv.Options, o)
		}
		qv.Hint = ratingHint(q, lo, hi)
	case surveys.FreeText:
		qv.Kind = "text"
		qv.Rows = 5
		qv.Hint = "You can write up to " + thousands(q.TextLimit()) + " characters."
		if len(values) > 0 {
			qv.Text = values[0]
		}
	}
	// A question answered when it should not have been: offer a way to
	// clear a radio answer without JavaScript.
	if problem != "" && problem == surveys.MessageNotShown && qv.Kind == "radio" {
		qv.Options = append(qv.Options, optionView{ID: id + "-skip", Value: "", Label: "Skip this question", Skip: true})
	}
	var ids []string
	for _, part := range []struct{ text, suffix string }{{qv.Note, "-note"}, {qv.Help, "-help"}, {qv.Hint, "-hint"}, {qv.Error, "-error"}} {
		if part.text != "" {
			ids = append(ids, id+part.suffix)
		}
	}
	qv.DescribedBy = strings.Join(ids, " ")
	return qv
}

// ratingHint says what the numbers of a rating mean.
func ratingHint(q *surveys.Question, lo, hi int) string {
	hint := fmt.Sprintf("Choose a number from %d to %d.", lo, hi)
	minLabel, maxLabel := strings.TrimSpace(q.MinLabel.In(lang)), strings.TrimSpace(q.MaxLabel.In(lang))
	switch {
	case minLabel != "" && maxLabel != "":
		hint += fmt.Sprintf(" %d means %s and %d means %s.", lo, quote(minLabel), hi, quote(maxLabel))
	case minLabel != "":
		hint += fmt.Sprintf(" %d means %s.", lo, quote(minLabel))
	case maxLabel != "":
		hint += fmt.Sprintf(" %d means %s.", hi, quote(maxLabel))
	}
	return hint
}

// noFace are the choice keys of a scale that are not a point on it.
var noFace = map[string]bool{"rather_not_say": true, "not_sure": true, "dont_know": true, "not_needed": true}

// scaleFaces returns, for each choice of a scale question, the path of a
// face's mouth: from a smile for the first (best) choice to a frown for the
// last, and none for "I'd rather not say" and the like. The faces are
// decoration; the words are always shown.
func scaleFaces(q *surveys.Question) []string {
	if q.Type != surveys.Scale {
		return nil
	}
	var points []int
	for i, c := range q.Choices {
		if !noFace[c.Key] {
			points = append(points, i)
		}
	}
	faces := make([]string, len(q.Choices))
	for j, i := range points {
		curve := 0.0 // -1 a frown, 1 a smile
		if len(points) > 1 {
			curve = 1 - 2*float64(j)/float64(len(points)-1)
		}
		// The mouth runs from (8,16) to (16,16), bent through a control
		// point below it for a smile or above it for a frown.
		y := 16 - 1.5*math.Min(0, curve)
		ctrl := y + 5*curve
		faces[i] = fmt.Sprintf("M8 %.1f Q12 %.1f 16 %.1f", y, ctrl, y)
	}
	return faces
}

// thousands writes n with commas between thousands, as in "2,000".
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// withStop ends s with a colon unless it ends with a full stop, question
// mark, exclamation mark or colon already, so that a message can follow.
func withStop(s string) string {
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, ":") {
		return s
	}
	return s + ":"
}
