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

// formView is the page of one survey version as one form. With
// JavaScript, survey.js shows it one question at a time; what it needs is
// in data-* attributes of the form and of each question's fieldset.
type formView struct {
	page
	SurveyTitle  localText
	VersionLabel localText
	Action       string
	ID           string
	Lang         string
	Code         string // the access code that works, carried to the answers
	CodeBox      bool   // the survey needs a code: show a box for it, as it has a problem
	CodeError    string
	Required     bool   // some question needs an answer
	Conditional  bool   // some question is only for some people
	Problem      string // what the error summary says first
	Summary      []summaryItem
	Unavailable  string // the answers could not be stored just now
	Questions    []questionView
	Preview      *previewNote // set when staff preview the form: it is sent back to the preview with GET

	// For the script.
	Slug     string
	Version  string
	API      string // where the answers are sent as JSON
	ThanksTo string // where to go once they are stored
	Young    bool   // for young children: offer to read the questions aloud first
}

// summaryItem is one line of the error summary, linking to its question.
type summaryItem struct {
	Href     string
	Question localText // the question, when the problem is about one
	Message  string
}

// questionView is one question as a fieldset.
type questionView struct {
	L           *locale
	Section     localText // a section heading to show before the question
	ID          string    // the fieldset's id; the others start with it
	Key         string
	Type        surveys.QuestionType
	ShowIf      string // the show_if rules as JSON, for the script
	MaxChoices  int
	TextLimit   int
	Name        string
	Legend      localText
	Required    bool
	Note        string // when the question applies, for a conditional one
	Help        localText
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
	Label   localText
	Checked bool
	Face    string    // the path of a scale face's mouth; "" for none
	Meaning localText // what the lowest or highest rating means, for screen readers
	Skip    bool      // the "Skip this question" choice
}

// formState is what a young person has given so far: the form's response
// id, access code and answers, and what is wrong with them.
type formState struct {
	ID       string
	Code     string
	Values   map[string][]string
	Problems map[string]surveys.Problem // by question key, or "code"
	Spoilt   bool                       // something not about an answer went wrong
}

// newFormView lays out v as a form, with the answers a young person gave
// and the message for each question that needs another look.
func (p *Pages) newFormView(pg page, s *surveys.Survey, v *surveys.Version, st formState) formView {
	l := pg.L
	pg.OnForm = true
	pg.Title = l.T("form.title", "version", l.Text(v.Label).Text, "survey", l.Text(s.Title).Text)
	base := "/s/" + s.Slug + "/" + v.Key
	fv := formView{
		page:         pg,
		SurveyTitle:  l.Text(s.Title),
		VersionLabel: l.Text(v.Label),
		Action:       base,
		ID:           st.ID,
		Lang:         l.Lang,
		Code:         st.Code,
		Slug:         s.Slug,
		Version:      v.Key,
		API:          "/api/v1/surveys/" + s.Slug + "/responses",
		ThanksTo:     pg.Link(base + "/thanks"),
		Young:        v.AgeMax != nil && *v.AgeMax <= youngestAge,
	}
	headings := sectionHeadings(l, s, v)
	for i := range v.Questions {
		q := &v.Questions[i]
		problem := ""
		if pr, ok := st.Problems[q.Key]; ok {
			problem = problemWords(l, pr)
		}
		qv := newQuestionView(l, v, q, st.Values[q.Key], problem, st.Problems[q.Key].Code == surveys.ProblemNotShown)
		qv.Section = headings[i]
		fv.Required = fv.Required || q.Required
		fv.Conditional = fv.Conditional || q.ShowIf != nil
		if qv.Error != "" {
			question := localText{Text: withStop(qv.Legend.Text), Lang: qv.Legend.Lang}
			fv.Summary = append(fv.Summary, summaryItem{Href: "#" + qv.ID, Question: question, Message: qv.Error})
		}
		fv.Questions = append(fv.Questions, qv)
	}
	if pr, ok := st.Problems["code"]; ok && s.RequireCode {
		fv.CodeBox = true
		fv.CodeError = problemWords(l, pr)
		fv.Summary = append([]summaryItem{{Href: "#code", Message: fv.CodeError}}, fv.Summary...)
	}
	// Problems not about a question (a spoilt id or language, which only
	// a changed page can send) are told without detail or link: the form
	// shown now carries good ones.
	switch {
	case len(fv.Summary) > 0:
		fv.Problem = l.T("form.problem_some")
	case st.Spoilt || len(st.Problems) > 0:
		fv.Problem = l.T("form.problem_not_sent")
	}
	if st.Spoilt {
		fv.Summary = append(fv.Summary, summaryItem{Message: l.T("form.problem_spoilt")})
	}
	return fv
}

// youngestAge is the oldest age of a version for young children, which
// offers first to read its questions aloud.
const youngestAge = 7

// sectionHeadings returns, for each question of v, the heading of the
// section it starts, or none. A version whose sections are not each in one
// run of questions gets no headings, rather than the same heading twice
// over questions that do not all belong to it.
func sectionHeadings(l *locale, s *surveys.Survey, v *surveys.Version) []localText {
	titles := map[string]localText{}
	for _, sec := range s.Sections {
		titles[sec.Key] = l.Text(sec.Title)
	}
	headings := make([]localText, len(v.Questions))
	seen := map[string]bool{}
	for i, q := range v.Questions {
		if i > 0 && q.Section == v.Questions[i-1].Section {
			continue
		}
		if q.Section == "" {
			continue
		}
		if seen[q.Section] {
			return make([]localText, len(v.Questions))
		}
		seen[q.Section] = true
		headings[i] = titles[q.Section]
	}
	return headings
}

// newQuestionView lays out one question. notShown is set when its answer
// was refused because the question does not apply, which offers a way to
// clear a radio answer without JavaScript.
func newQuestionView(l *locale, v *surveys.Version, q *surveys.Question, values []string, problem string, notShown bool) questionView {
	id := "q-" + q.Key
	qv := questionView{
		L:          l,
		ID:         id,
		Key:        q.Key,
		Type:       q.Type,
		MaxChoices: q.MaxChoices,
		Name:       fieldName(q.Key),
		Legend:     l.Text(q.Text),
		Required:   q.Required,
		Note:       conditionNote(l, v, q.ShowIf),
		Help:       l.Text(q.Help),
		Error:      problem,
		Kind:       "radio",
		Layout:     "list",
	}
	if q.ShowIf != nil {
		b, _ := json.Marshal(q.ShowIf) // a Condition always marshals
		qv.ShowIf = string(b)
	}
	chosen := map[string]bool{}
	for _, s := range values {
		chosen[s] = true
	}
	switch q.Type {
	case surveys.SingleChoice, surveys.Scale, surveys.MultiChoice:
		faces := scaleFaces(q)
		for i, c := range q.Choices {
			o := optionView{ID: fmt.Sprintf("%s-%d", id, i), Value: c.Key, Label: l.Text(c.Label), Checked: chosen[c.Key]}
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
			qv.Hint = l.T("question.choose_any")
			if q.MaxChoices > 0 {
				qv.Hint = l.T("question.choose_up_to", "n", q.MaxChoices)
			}
		}
	case surveys.Rating:
		lo, hi := q.RatingRange()
		qv.Layout = "rating"
		for n := lo; n <= hi; n++ {
			s := strconv.Itoa(n)
			o := optionView{ID: fmt.Sprintf("%s-%d", id, n), Value: s, Label: localText{Text: s}, Checked: chosen[s]}
			switch n {
			case lo:
				o.Meaning = l.Text(q.MinLabel)
			case hi:
				o.Meaning = l.Text(q.MaxLabel)
			}
			qv.Options = append(qv.Options, o)
		}
		qv.Hint = ratingHint(l, q, lo, hi)
	case surveys.FreeText:
		qv.Kind = "text"
		qv.Rows = 5
		qv.TextLimit = q.TextLimit()
		qv.Hint = l.T("question.text_limit", "n", qv.TextLimit)
		if len(values) > 0 {
			qv.Text = values[0]
		}
	}
	if notShown && qv.Kind == "radio" {
		qv.Options = append(qv.Options, optionView{ID: id + "-skip", Value: "", Label: localText{Text: l.T("question.skip")}, Skip: true})
	}
	var ids []string
	for _, part := range []struct{ text, suffix string }{{qv.Note, "-note"}, {qv.Help.Text, "-help"}, {qv.Hint, "-hint"}, {qv.Error, "-error"}} {
		if part.text != "" {
			ids = append(ids, id+part.suffix)
		}
	}
	qv.DescribedBy = strings.Join(ids, " ")
	return qv
}

// ratingHint says what the numbers of a rating mean.
func ratingHint(l *locale, q *surveys.Question, lo, hi int) string {
	hint := l.T("question.rating", "min", lo, "max", hi)
	minLabel, maxLabel := l.Text(q.MinLabel).Text, l.Text(q.MaxLabel).Text
	switch {
	case minLabel != "" && maxLabel != "":
		hint += " " + l.T("question.rating_both", "min", lo, "min_label", l.Quote(minLabel), "max", hi, "max_label", l.Quote(maxLabel))
	case minLabel != "":
		hint += " " + l.T("question.rating_min", "min", lo, "min_label", l.Quote(minLabel))
	case maxLabel != "":
		hint += " " + l.T("question.rating_max", "max", hi, "max_label", l.Quote(maxLabel))
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
		faces[i] = mouth(j, len(points))
	}
	return faces
}

// mouth returns the path of the mouth of face j of n: a smile for the
// first, a frown for the last, and straight in between.
func mouth(j, n int) string {
	curve := 0.0 // -1 a frown, 1 a smile
	if n > 1 {
		curve = 1 - 2*float64(j)/float64(n-1)
	}
	// The mouth runs from (8,16) to (16,16), bent through a control
	// point below it for a smile or above it for a frown.
	y := 16 - 1.5*math.Min(0, curve)
	ctrl := y + 5*curve
	return fmt.Sprintf("M8 %.1f Q12 %.1f 16 %.1f", y, ctrl, y)
}

// withStop ends s with a colon unless it ends with a full stop, question
// mark (Latin or Arabic), exclamation mark or colon already, so that a
// message can follow.
func withStop(s string) string {
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "؟") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, ":") {
		return s
	}
	return s + ":"
}
