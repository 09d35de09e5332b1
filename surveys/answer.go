package surveys

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Answer is a young person's answer to one question. Which field is used
// depends on the question's type; an unanswered question has no Answer.
type Answer struct {
	Choice  string   // single_choice and scale: the chosen key
	Choices []string // multi_choice: the chosen keys, in the question's order
	Number  int      // rating
	Text    string   // text
}

// Value returns the answer as the plain value it is written as in JSON: a
// choice key, a list of choice keys, a number or a string.
func (a Answer) Value(t QuestionType) any {
	switch t {
	case SingleChoice, Scale:
		return a.Choice
	case MultiChoice:
		return slices.Clone(a.Choices)
	case Rating:
		return a.Number
	default:
		return a.Text
	}
}

// Equal reports whether two answers to a question of type t are the same.
func (a Answer) Equal(b Answer, t QuestionType) bool {
	switch t {
	case SingleChoice, Scale:
		return a.Choice == b.Choice
	case MultiChoice:
		return slices.Equal(a.Choices, b.Choices)
	case Rating:
		return a.Number == b.Number
	default:
		return a.Text == b.Text
	}
}

// Problem codes: what can be wrong with one answer. Pages translate them
// (with the numbers a Problem carries); Problem.Message gives the English.
const (
	ProblemUnknownQuestion = "unknown_question"
	ProblemChooseOne       = "choose_one"   // not one of the choices
	ProblemChooseFrom      = "choose_from"  // a list with a key that is not a choice, or twice
	ProblemTooMany         = "too_many"     // more choices than Limit
	ProblemWholeNumber     = "whole_number" // not a whole number from Min to Max
	ProblemText            = "text"         // not text
	ProblemTooLong         = "too_long"     // Length characters, over Limit
	ProblemNotShown        = "not_shown"    // an answer to a question its show_if hides
	ProblemRequired        = "required"     // a required question, shown, not answered
	ProblemCodeMissing     = "code_missing" // the survey needs an access code
	ProblemCodeUnknown     = "code_unknown" // no such code for this survey
	ProblemCodeUsed        = "code_used"    // the code has been used
)

// Problem is what is wrong with one answer: a code, and the numbers its
// message needs.
type Problem struct {
	Code   string `json:"code"`
	Min    *int   `json:"min,omitempty"`
	Max    *int   `json:"max,omitempty"`
	Limit  int    `json:"limit,omitempty"`
	Length int    `json:"length,omitempty"`
}

// MessageNotShown is the English message for ProblemNotShown.
const MessageNotShown = "This question is only for people who gave a different answer earlier. Please clear this answer, or change your earlier one."

// Message says the problem in English, in words a young person understands.
func (p Problem) Message() string {
	switch p.Code {
	case ProblemUnknownQuestion:
		return "This question is not part of this survey."
	case ProblemChooseOne:
		return "Please choose one of the answers."
	case ProblemChooseFrom:
		return "Please choose from the answers given."
	case ProblemTooMany:
		return fmt.Sprintf("Please choose up to %d answers.", p.Limit)
	case ProblemWholeNumber:
		return fmt.Sprintf("Please choose a whole number from %d to %d.", deref(p.Min), deref(p.Max))
	case ProblemText:
		return "Please write your answer as text."
	case ProblemTooLong:
		return fmt.Sprintf("Please keep this to %d characters or fewer. It is %d characters now.", p.Limit, p.Length)
	case ProblemNotShown:
		return MessageNotShown
	case ProblemRequired:
		return "Please answer this question."
	case ProblemCodeMissing:
		return "Please type the code from your card."
	case ProblemCodeUnknown:
		return "We don't recognise that code. Please check it against your card and try again."
	case ProblemCodeUsed:
		return "That code has already been used. Each code works once. If you haven't answered yet, ask the person who gave you the card for a new one."
	}
	return "Please check this answer."
}

func deref(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

// problems collects one Problem per question key.
type problems map[string]Problem

func (ps problems) add(key string, p Problem) {
	if _, ok := ps[key]; !ok {
		ps[key] = p
	}
}

// err returns nil when there are no problems, or an EINVALID error with a
// message and a Problem per key.
func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return ProblemsError("Some answers need another look.", ps)
}

// ProblemsError returns an EINVALID error with a Problem, and its English
// message, for each key.
func ProblemsError(message string, ps map[string]Problem) *Error {
	e := &Error{Code: EINVALID, Message: message, Fields: map[string]string{}, Problems: map[string]Problem{}}
	for key, p := range ps {
		e.Fields[key] = p.Message()
		e.Problems[key] = p
	}
	return e
}

// ParseAnswers checks raw answers, keyed by question key, against v: every
// key must be a question of v; every value must have the question's shape
// and fit its choices, range or length; a required question that is shown
// must be answered, and a question that is not shown must not be. A missing
// key or null is a skipped question, as is an empty list or blank text.
//
// On failure the error is EINVALID with a Problem (and its English
// message) per question key; nothing is returned.
func (v *Version) ParseAnswers(raw map[string]json.RawMessage) (map[string]Answer, error) {
	errs := problems{}
	answers := make(map[string]Answer, len(raw))
	for key, value := range raw {
		q := v.Question(key)
		if q == nil {
			errs.add(key, Problem{Code: ProblemUnknownQuestion})
			continue
		}
		a, given, problem := q.parseAnswer(value)
		switch {
		case problem != nil:
			errs.add(key, *problem)
		case given:
			answers[key] = a
		}
	}
	// Which questions are shown follows from the answers that are right.
	// A question whose condition looks at a wrong answer (or at a question
	// that itself depends on one) cannot be judged until that is put right,
	// so it is left alone; every other question is checked now, so that a
	// young person sees every problem at once.
	shown := v.Visible(answers)
	uncertain := map[string]bool{}
	for key := range errs {
		uncertain[key] = true
	}
	for i := range v.Questions {
		q := &v.Questions[i]
		if q.ShowIf.looksAt(uncertain) {
			uncertain[q.Key] = true
		}
		if uncertain[q.Key] {
			continue
		}
		_, given := answers[q.Key]
		switch {
		case given && !shown[i]:
			errs.add(q.Key, Problem{Code: ProblemNotShown})
		case !given && shown[i] && q.Required:
			errs.add(q.Key, Problem{Code: ProblemRequired})
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return answers, nil
}

// parseAnswer reads one raw value. given is false for a skipped question;
// problem is set when the value is wrong.
func (q *Question) parseAnswer(raw json.RawMessage) (a Answer, given bool, problem *Problem) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return Answer{}, false, nil
	}
	switch q.Type {
	case SingleChoice, Scale:
		var key string
		if json.Unmarshal(raw, &key) != nil || q.Choice(key) == nil {
			return Answer{}, false, &Problem{Code: ProblemChooseOne}
		}
		return Answer{Choice: key}, true, nil
	case MultiChoice:
		return q.parseChoices(raw)
	case Rating:
		lo, hi := q.RatingRange()
		n, ok := wholeNumber(raw)
		if !ok || n < lo || n > hi {
			return Answer{}, false, &Problem{Code: ProblemWholeNumber, Min: &lo, Max: &hi}
		}
		return Answer{Number: n}, true, nil
	case FreeText:
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return Answer{}, false, &Problem{Code: ProblemText}
		}
		s = CleanText(s)
		if s == "" {
			return Answer{}, false, nil
		}
		if n, limit := utf8.RuneCountInString(s), q.TextLimit(); n > limit {
			return Answer{}, false, &Problem{Code: ProblemTooLong, Limit: limit, Length: n}
		}
		return Answer{Text: s}, true, nil
	}
	return Answer{}, false, &Problem{Code: ProblemUnknownQuestion}
}

func (q *Question) parseChoices(raw json.RawMessage) (Answer, bool, *Problem) {
	var keys []string
	if json.Unmarshal(raw, &keys) != nil {
		return Answer{}, false, &Problem{Code: ProblemChooseFrom}
	}
	if len(keys) == 0 {
		return Answer{}, false, nil
	}
	chosen := map[string]bool{}
	for _, k := range keys {
		if q.Choice(k) == nil || chosen[k] {
			return Answer{}, false, &Problem{Code: ProblemChooseFrom}
		}
		chosen[k] = true
	}
	if q.MaxChoices > 0 && len(keys) > q.MaxChoices {
		return Answer{}, false, &Problem{Code: ProblemTooMany, Limit: q.MaxChoices}
	}
	// Keep the question's order, so that the same choices always compare equal.
	ordered := make([]string, 0, len(keys))
	for _, c := range q.Choices {
		if chosen[c.Key] {
			ordered = append(ordered, c.Key)
		}
	}
	return Answer{Choices: ordered}, true, nil
}

// CleanText trims a free-text answer and removes control characters other
// than tabs and line breaks, which no one types on purpose and which some
// tools choke on. Nothing else is changed: text is never cut.
func CleanText(s string) string {
	if !strings.ContainsFunc(s, isStrayControl) {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	for _, r := range s {
		if !isStrayControl(r) {
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

func isStrayControl(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r'
}

// ratingKey is how a rating value is counted in a tally.
func ratingKey(n int) string { return strconv.Itoa(n) }
