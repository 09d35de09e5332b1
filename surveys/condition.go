package surveys

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// Op is a comparison in a show_if rule.
type Op string

// Operators of show_if rules. Their meaning is exact, because the same rules
// run in the young person's browser; docs/survey-format.md states them and
// testdata/conditions.json holds cases both implementations must pass.
//
//   - answered: the question has an answer.
//   - not_answered: the question has no answer (skipped, or not shown).
//   - eq: the answer is the value; for multi_choice, the value is among the
//     chosen keys.
//   - neq: the question has an answer and eq is false.
//   - in: the answer is one of the values; for multi_choice, any chosen key
//     is one of the values.
//   - gte, lte: the rating is at least, or at most, the value.
//
// Every op but not_answered is false for a question with no answer.
const (
	OpEq          Op = "eq"
	OpNeq         Op = "neq"
	OpIn          Op = "in"
	OpAnswered    Op = "answered"
	OpNotAnswered Op = "not_answered"
	OpGte         Op = "gte"
	OpLte         Op = "lte"
)

// Condition decides whether a question is shown: all of its rules must hold
// (All), or at least one (Any). Exactly one of the two lists is given.
type Condition struct {
	All []Rule `json:"all,omitempty"`
	Any []Rule `json:"any,omitempty"`
}

// Rule compares the answer to an earlier question of the same version.
type Rule struct {
	Question string `json:"question"`
	Op       Op     `json:"op"`
	Value    Value  `json:"value,omitzero"`
}

// Value is the right-hand side of a rule: a choice key, a whole number, or a
// list of either. The zero Value means "no value" (for answered and
// not_answered).
type Value struct {
	Strings []string // choice keys
	Ints    []int    // ratings
	List    bool     // written as a JSON array
	Set     bool     // present at all
}

// IsZero reports whether v is absent, so that encoding/json leaves it out.
func (v Value) IsZero() bool { return !v.Set }

// MarshalJSON writes v back in the form it was read.
func (v Value) MarshalJSON() ([]byte, error) {
	var items []any
	for _, s := range v.Strings {
		items = append(items, s)
	}
	for _, n := range v.Ints {
		items = append(items, n)
	}
	if v.List {
		if items == nil {
			items = []any{}
		}
		return json.Marshal(items)
	}
	if len(items) != 1 {
		return []byte("null"), nil
	}
	return json.Marshal(items[0])
}

// UnmarshalJSON reads a string, a whole number, or an array of one kind of
// them.
func (v *Value) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		*v = Value{}
		return nil
	}
	*v = Value{Set: true}
	if len(data) > 0 && data[0] == '[' {
		v.List = true
		var raw []json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			return Errorf(EINVALID, "A rule's value list could not be read.")
		}
		for _, item := range raw {
			if err := v.addScalar(item); err != nil {
				return err
			}
		}
		if len(v.Strings) > 0 && len(v.Ints) > 0 {
			return Errorf(EINVALID, "A rule's value list mixes text and numbers.")
		}
		return nil
	}
	return v.addScalar(data)
}

func (v *Value) addScalar(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err == nil {
		v.Strings = append(v.Strings, s)
		return nil
	}
	n, ok := wholeNumber(data)
	if !ok {
		return Errorf(EINVALID, "A rule's value must be a choice key, a whole number, or a list of them.")
	}
	v.Ints = append(v.Ints, n)
	return nil
}

// wholeNumber reads a JSON number that is a whole number within int range.
func wholeNumber(data []byte) (int, bool) {
	// encoding/json decodes a quoted number such as "5" into a json.Number
	// too; a number in quotes is text, not a number.
	if len(data) == 0 || data[0] == '"' {
		return 0, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var num json.Number
	if err := dec.Decode(&num); err != nil {
		return 0, false
	}
	n, err := num.Int64()
	if err != nil || n != int64(int(n)) || n > 1<<31 || n < -(1<<31) {
		return 0, false
	}
	return int(n), true
}

// Holds reports whether c lets its question be shown, given the answers to
// the earlier questions of v that are themselves shown.
func (c *Condition) Holds(v *Version, answers map[string]Answer) bool {
	if c == nil {
		return true
	}
	if len(c.All) > 0 {
		for _, r := range c.All {
			if !r.holds(v, answers) {
				return false
			}
		}
		return true
	}
	for _, r := range c.Any {
		if r.holds(v, answers) {
			return true
		}
	}
	return false
}

func (r *Rule) holds(v *Version, answers map[string]Answer) bool {
	a, answered := answers[r.Question]
	switch r.Op {
	case OpAnswered:
		return answered
	case OpNotAnswered:
		return !answered
	}
	if !answered {
		return false
	}
	q := v.Question(r.Question)
	if q == nil {
		return false
	}
	switch r.Op {
	case OpEq:
		return r.matchesAny(q, a)
	case OpNeq:
		return !r.matchesAny(q, a)
	case OpIn:
		return r.matchesAny(q, a)
	case OpGte:
		return q.Type == Rating && len(r.Value.Ints) == 1 && a.Number >= r.Value.Ints[0]
	case OpLte:
		return q.Type == Rating && len(r.Value.Ints) == 1 && a.Number <= r.Value.Ints[0]
	}
	return false
}

// matchesAny reports whether the answer is, or for multi_choice includes,
// any of the rule's values.
func (r *Rule) matchesAny(q *Question, a Answer) bool {
	switch q.Type {
	case SingleChoice, Scale:
		return slices.Contains(r.Value.Strings, a.Choice)
	case MultiChoice:
		for _, k := range a.Choices {
			if slices.Contains(r.Value.Strings, k) {
				return true
			}
		}
		return false
	case Rating:
		return slices.Contains(r.Value.Ints, a.Number)
	}
	return false
}

// looksAt reports whether any rule of c refers to one of keys.
func (c *Condition) looksAt(keys map[string]bool) bool {
	if c == nil {
		return false
	}
	for _, rules := range [][]Rule{c.All, c.Any} {
		for _, r := range rules {
			if keys[r.Question] {
				return true
			}
		}
	}
	return false
}

// Visible returns, for each question of v in order, whether it is shown when
// the young person has given answers. A hidden question's answer is ignored
// by the conditions after it, as if it had not been given.
func (v *Version) Visible(answers map[string]Answer) []bool {
	shown := make([]bool, len(v.Questions))
	seen := make(map[string]Answer, len(answers))
	for i := range v.Questions {
		q := &v.Questions[i]
		shown[i] = q.ShowIf.Holds(v, seen)
		if a, ok := answers[q.Key]; ok && shown[i] {
			seen[q.Key] = a
		}
	}
	return shown
}

// validateCondition checks c against the questions before position index of
// v, adding a message for each problem to errs under path.
func validateCondition(c *Condition, v *Version, index int, path string, errs fieldErrors) {
	switch {
	case len(c.All) > 0 && len(c.Any) > 0:
		errs.add(path, "give either \"all\" or \"any\", not both")
		return
	case len(c.All) == 0 && len(c.Any) == 0:
		errs.add(path, "needs at least one rule in \"all\" or \"any\"")
		return
	}
	rules, list := c.All, "all"
	if len(c.Any) > 0 {
		rules, list = c.Any, "any"
	}
	if len(rules) > MaxRules {
		errs.add(path+"."+list, fmt.Sprintf("has %d rules; the most is %d", len(rules), MaxRules))
		return
	}
	for i := range rules {
		validateRule(&rules[i], v, index, fmt.Sprintf("%s.%s[%d]", path, list, i), errs)
	}
}

func validateRule(r *Rule, v *Version, index int, path string, errs fieldErrors) {
	pos := -1
	for i := range v.Questions {
		if v.Questions[i].Key == r.Question {
			pos = i
			break
		}
	}
	switch {
	case r.Question == "":
		errs.add(path+".question", "is missing")
		return
	case pos < 0:
		errs.add(path+".question", fmt.Sprintf("refers to %q, which is not a question of this version", r.Question))
		return
	case pos >= index:
		errs.add(path+".question", fmt.Sprintf("refers to %q, which does not come before this question", r.Question))
		return
	}
	q := &v.Questions[pos]
	switch r.Op {
	case OpAnswered, OpNotAnswered:
		if r.Value.Set {
			errs.add(path+".value", fmt.Sprintf("must be left out for %q", r.Op))
		}
	case OpEq, OpNeq, OpIn:
		validateRuleValue(r, q, path, errs)
	case OpGte, OpLte:
		if q.Type != Rating {
			errs.add(path+".op", fmt.Sprintf("%q works only on rating questions", r.Op))
			return
		}
		validateRuleValue(r, q, path, errs)
	case "":
		errs.add(path+".op", "is missing")
	default:
		errs.add(path+".op", fmt.Sprintf("%q is not an operator; use eq, neq, in, answered, not_answered, gte or lte", r.Op))
	}
}

// validateRuleValue checks that the value fits the question: choice keys it
// offers, or whole numbers in its range; one value, or for "in" a list.
func validateRuleValue(r *Rule, q *Question, path string, errs fieldErrors) {
	p := path + ".value"
	switch {
	case !r.Value.Set:
		errs.add(p, fmt.Sprintf("is needed for %q", r.Op))
		return
	case r.Op == OpIn && !r.Value.List:
		errs.add(p, "must be a list for \"in\"")
		return
	case r.Op != OpIn && r.Value.List:
		errs.add(p, fmt.Sprintf("must be a single value for %q", r.Op))
		return
	case len(r.Value.Strings)+len(r.Value.Ints) == 0:
		errs.add(p, "must not be empty")
		return
	}
	switch {
	case q.HasChoices():
		if len(r.Value.Ints) > 0 {
			errs.add(p, fmt.Sprintf("must be choice keys of %q", q.Key))
			return
		}
		for _, k := range r.Value.Strings {
			if q.Choice(k) == nil {
				errs.add(p, fmt.Sprintf("%q is not a choice of %q", k, q.Key))
				return
			}
		}
	case q.Type == Rating:
		lo, hi := q.RatingRange()
		if len(r.Value.Strings) > 0 {
			errs.add(p, fmt.Sprintf("must be whole numbers from %d to %d", lo, hi))
			return
		}
		for _, n := range r.Value.Ints {
			if n < lo || n > hi {
				errs.add(p, fmt.Sprintf("%d is outside %q's range of %d to %d", n, q.Key, lo, hi))
				return
			}
		}
	default:
		errs.add(path+".op", fmt.Sprintf("%q cannot be compared; only answered and not_answered work on text questions", q.Key))
	}
}
