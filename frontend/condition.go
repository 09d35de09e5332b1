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
// question that was skipped or not shown.
func conditionNote(v *surveys.Version, c *surveys.Condition) string {
	if c == nil {
		return ""
	}
	rules, joiner := c.All, " and "
	if len(c.Any) > 0 {
		rules, joiner = c.Any, ", or if "
	}
	parts := make([]string, 0, len(rules))
	for i := range rules {
		if s := ruleWords(v, &rules[i]); s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "Answer this if " + endSentence(strings.Join(parts, joiner)) + " Otherwise, skip it."
}

// ruleWords says what one rule asks of the young person's earlier answer.
func ruleWords(v *surveys.Version, r *surveys.Rule) string {
	q := v.Question(r.Question)
	if q == nil {
		return ""
	}
	question := quote(q.Text.In(lang))
	multi := q.Type == surveys.MultiChoice
	switch r.Op {
	case surveys.OpAnswered:
		if multi {
			return "you chose anything for " + question
		}
		return "you answered " + question
	case surveys.OpNotAnswered:
		if multi {
			return "you did not choose anything for " + question
		}
		return "you did not answer " + question
	case surveys.OpGte:
		return "you answered " + orList(ruleValues(q, r.Value)) + " or more to " + question
	case surveys.OpLte:
		return "you answered " + orList(ruleValues(q, r.Value)) + " or less to " + question
	}
	values := orList(ruleValues(q, r.Value))
	switch {
	case r.Op == surveys.OpNeq && multi:
		return "you answered " + question + " but did not choose " + values
	case r.Op == surveys.OpNeq && q.Type == surveys.Rating:
		return "you answered " + question + " with a number other than " + values
	case r.Op == surveys.OpNeq:
		return "you answered " + question + " with something other than " + values
	case multi: // eq and in: the value is among the ticks
		return "you chose " + values + " for " + question
	default: // eq and in
		return "you answered " + values + " to " + question
	}
}

// ruleValues returns a rule's values as a young person saw them: choice
// labels in quotes, or numbers.
func ruleValues(q *surveys.Question, v surveys.Value) []string {
	out := make([]string, 0, len(v.Strings)+len(v.Ints))
	for _, k := range v.Strings {
		label := k
		if c := q.Choice(k); c != nil {
			label = c.Label.In(lang)
		}
		out = append(out, quote(label))
	}
	for _, n := range v.Ints {
		out = append(out, strconv.Itoa(n))
	}
	return out
}

func quote(s string) string { return `"` + strings.TrimSpace(s) + `"` }

// orList joins items as people write them: "a", "a or b", "a, b or c".
func orList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// endSentence adds a full stop unless s already ends with one, a question
// mark or an exclamation mark, inside a closing quote or not.
func endSentence(s string) string {
	t := strings.TrimSuffix(s, `"`)
	if strings.HasSuffix(t, ".") || strings.HasSuffix(t, "?") || strings.HasSuffix(t, "!") {
		return s
	}
	return s + "."
}
