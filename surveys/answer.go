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

// MessageNotShown is the message beside an answer to a question that its
// show_if hides. Pages that cannot hide questions (the form without
// JavaScript) look for it to offer a way to clear the answer.
const MessageNotShown = "This question is only for people who gave a different answer earlier. Please clear this answer, or change your earlier one."

// Messages a young person sees beside a question they need to look at again.
const (
	msgUnknownQuestion = "This question is not part of this survey."
	msgChooseOne       = "Please choose one of the answers."
	msgChooseSome      = "Please choose from the answers given."
	msgRequired        = "Please answer this question."
	msgText            = "Please write your answer as text."
)

// ParseAnswers checks raw answers, keyed by question key, against v: every
// key must be a question of v; every value must have the question's shape
// and fit its choices, range or length; a required question that is shown
// must be answered, and a question that is not shown must not be. A missing
// key or null is a skipped question, as is an empty list or blank text.
//
// On failure the error is EINVALID with a message per question key, in
// words a young person understands; nothing is returned.
func (v *Version) ParseAnswers(raw map[string]json.RawMessage) (map[string]Answer, error) {
	errs := fieldErrors{}
	answers := make(map[string]Answer, len(raw))
	for key, value := range raw {
		q := v.Question(key)
		if q == nil {
			errs.add(key, msgUnknownQuestion)
			continue
		}
		a, given, msg := q.parseAnswer(value)
		switch {
		case msg != "":
			errs.add(key, msg)
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
			errs.add(q.Key, MessageNotShown)
		case !given && shown[i] && q.Required:
			errs.add(q.Key, msgRequired)
		}
	}
	if err := errs.err("Some answers need another look."); err != nil {
		return nil, err
	}
	return answers, nil
}

// parseAnswer reads one raw value. given is false for a skipped question;
// msg is set when the value is wrong.
func (q *Question) parseAnswer(raw json.RawMessage) (a Answer, given bool, msg string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return Answer{}, false, ""
	}
	switch q.Type {
	case SingleChoice, Scale:
		var key string
		if json.Unmarshal(raw, &key) != nil || q.Choice(key) == nil {
			return Answer{}, false, msgChooseOne
		}
		return Answer{Choice: key}, true, ""
	case MultiChoice:
		return q.parseChoices(raw)
	case Rating:
		lo, hi := q.RatingRange()
		n, ok := wholeNumber(raw)
		if !ok || n < lo || n > hi {
			return Answer{}, false, fmt.Sprintf("Please choose a whole number from %d to %d.", lo, hi)
		}
		return Answer{Number: n}, true, ""
	case FreeText:
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return Answer{}, false, msgText
		}
		s = CleanText(s)
		if s == "" {
			return Answer{}, false, ""
		}
		if n, limit := utf8.RuneCountInString(s), q.TextLimit(); n > limit {
			return Answer{}, false, fmt.Sprintf("Please keep this to %d characters or fewer. It is %d characters now.", limit, n)
		}
		return Answer{Text: s}, true, ""
	}
	return Answer{}, false, msgUnknownQuestion
}

func (q *Question) parseChoices(raw json.RawMessage) (Answer, bool, string) {
	var keys []string
	if json.Unmarshal(raw, &keys) != nil {
		return Answer{}, false, msgChooseSome
	}
	if len(keys) == 0 {
		return Answer{}, false, ""
	}
	chosen := map[string]bool{}
	for _, k := range keys {
		if q.Choice(k) == nil || chosen[k] {
			return Answer{}, false, msgChooseSome
		}
		chosen[k] = true
	}
	if q.MaxChoices > 0 && len(keys) > q.MaxChoices {
		return Answer{}, false, fmt.Sprintf("Please choose up to %d answers.", q.MaxChoices)
	}
	// Keep the question's order, so that the same choices always compare equal.
	ordered := make([]string, 0, len(keys))
	for _, c := range q.Choices {
		if chosen[c.Key] {
			ordered = append(ordered, c.Key)
		}
	}
	return Answer{Choices: ordered}, true, ""
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
