package frontend

import (
	"strconv"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// conditionNote says in plain words when a question with a show_if
// applies, for a young person whose browser cannot hide it, such as:
//
//	Answer this if you answered "Sometimes" or "Never" to "Do you feel
//	safe where you live?" Otherwise, skip it.
//
// It follows the exact meaning of each op (see surveys.Op): eq on a
// multi_choice means "chose", neq needs an answer, not_answered covers a
// question that was skipped or not shown. Each language words the rules
// its own way (the rule.* messages).
func conditionNote(l *locale, v *surveys.Version, c *surveys.Condition) string {
	if c == nil {
		return ""
	}
	rules, joiner := c.All, l.T("note.and")
	if len(c.Any) > 0 {
		rules, joiner = c.Any, l.T("note.or")
	}
	parts := make([]string, 0, len(rules))
	for i := range rules {
		if s := ruleWords(l, v, &rules[i]); s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return l.T("note.answer_if", "rules", endSentence(l, strings.Join(parts, joiner)))
}

// ruleWords says what one rule asks of the young person's earlier answer.
func ruleWords(l *locale, v *surveys.Version, r *surveys.Rule) string {
	q := v.Question(r.Question)
	if q == nil {
		return ""
	}
	question := l.Quote(l.Text(q.Text).Text)
	multi := q.Type == surveys.MultiChoice
	key := ""
	switch {
	case r.Op == surveys.OpAnswered && multi:
		key = "answered_multi"
	case r.Op == surveys.OpAnswered:
		key = "answered"
	case r.Op == surveys.OpNotAnswered && multi:
		key = "not_answered_multi"
	case r.Op == surveys.OpNotAnswered:
		key = "not_answered"
	case r.Op == surveys.OpGte:
		key = "gte"
	case r.Op == surveys.OpLte:
		key = "lte"
	case r.Op == surveys.OpNeq && multi:
		key = "neq_multi"
	case r.Op == surveys.OpNeq && q.Type == surveys.Rating:
		key = "neq_rating"
	case r.Op == surveys.OpNeq:
		key = "neq"
	case multi: // eq and in: the value is among the ticks
		key = "eq_multi"
	default: // eq and in
		key = "eq"
	}
	return l.T("rule."+key, "question", question, "values", l.Or(ruleValues(l, q, r.Value)))
}

// ruleValues returns a rule's values as a young person saw them: choice
// labels in quotes, or numbers.
func ruleValues(l *locale, q *surveys.Question, v surveys.Value) []string {
	out := make([]string, 0, len(v.Strings)+len(v.Ints))
	for _, k := range v.Strings {
		label := k
		if c := q.Choice(k); c != nil {
			label = l.Text(c.Label).Text
		}
		out = append(out, l.Quote(label))
	}
	for _, n := range v.Ints {
		out = append(out, strconv.Itoa(n))
	}
	return out
}

// endSentence adds a full stop unless s already ends with one, a question
// mark (Latin or Arabic) or an exclamation mark, inside a closing quotation
// mark or not.
func endSentence(l *locale, s string) string {
	t := strings.TrimSuffix(s, l.T("list.quote_close"))
	for _, stop := range []string{".", "?", "؟", "!"} {
		if strings.HasSuffix(t, stop) {
			return s
		}
	}
	return s + "."
}
