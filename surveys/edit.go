package surveys

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// onceOpen ends every message about a change CheckWordingOnly refuses.
const onceOpen = "once the survey has been open"

// CheckWordingOnly returns nil when after differs from before only in
// wording: any Text (titles, descriptions, section titles, version labels,
// question text and help, choice labels, min_label and max_label), in any
// language, including adding or removing a translation. Everything else
// gives answers their meaning and must stay as it was: the slug, edition,
// kind, require_code and previous; the keys and order of sections,
// versions, questions and choices; and every other field of a version,
// question or choice. Otherwise the EINVALID error names each place that
// changed, with paths as Validate gives them, counted in after.
//
// before is the survey as it was opened. CheckWordingOnly does not
// validate after; call Validate as well.
func CheckWordingOnly(before, after *Definition) error {
	errs := fieldErrors{}
	keepMeaning(errs, "slug", "the slug", shownString(before.Slug), shownString(after.Slug))
	keepMeaning(errs, "edition", "the edition", strconv.Itoa(before.Edition), strconv.Itoa(after.Edition))
	keepMeaning(errs, "kind", "the kind", shownString(string(before.Kind)), shownString(string(after.Kind)))
	keepMeaning(errs, "require_code", "whether a code is required", strconv.FormatBool(before.RequireCode), strconv.FormatBool(after.RequireCode))
	keepMeaning(errs, "previous", "the edition it follows", shownString(before.Previous), shownString(after.Previous))
	sectionKey := func(s *Section) string { return s.Key }
	compareKeys(errs, "sections", sectionItems, keysOf(before.Sections, sectionKey), keysOf(after.Sections, sectionKey))
	compareVersions(errs, before.Versions, after.Versions)
	return errs.err("A survey that has been open can change only its wording, so that answers already given keep their meaning.")
}

func compareVersions(errs fieldErrors, before, after []Version) {
	key := func(v *Version) string { return v.Key }
	matched := compareKeys(errs, "versions", versionItems, keysOf(before, key), keysOf(after, key))
	for ai, bi := range matched {
		b, a := &before[bi], &after[ai]
		path := fmt.Sprintf("versions[%d]", ai)
		keepMeaning(errs, path+".age_min", "the youngest age", shownNumber(b.AgeMin), shownNumber(a.AgeMin))
		keepMeaning(errs, path+".age_max", "the oldest age", shownNumber(b.AgeMax), shownNumber(a.AgeMax))
		compareQuestions(errs, path, b.Questions, a.Questions)
	}
}

func compareQuestions(errs fieldErrors, path string, before, after []Question) {
	key := func(q *Question) string { return q.Key }
	matched := compareKeys(errs, path+".questions", questionItems, keysOf(before, key), keysOf(after, key))
	for ai, bi := range matched {
		compareQuestion(errs, fmt.Sprintf("%s.questions[%d]", path, ai), &before[bi], &after[ai])
	}
}

func compareQuestion(errs fieldErrors, path string, b, a *Question) {
	keepMeaning(errs, path+".type", "the type", shownString(string(b.Type)), shownString(string(a.Type)))
	keepMeaning(errs, path+".section", "the section", shownString(b.Section), shownString(a.Section))
	keepMeaning(errs, path+".required", "whether an answer is required", strconv.FormatBool(b.Required), strconv.FormatBool(a.Required))
	keepMeaning(errs, path+".breakdown", "whether it is a breakdown", strconv.FormatBool(b.Breakdown), strconv.FormatBool(a.Breakdown))
	keepMeaning(errs, path+".max_choices", "the most choices an answer may have", shownCount(b.MaxChoices), shownCount(a.MaxChoices))
	keepMeaning(errs, path+".min", "the lowest rating", shownNumber(b.Min), shownNumber(a.Min))
	keepMeaning(errs, path+".max", "the highest rating", shownNumber(b.Max), shownNumber(a.Max))
	keepMeaning(errs, path+".max_length", "the longest answer", shownCount(b.MaxLength), shownCount(a.MaxLength))
	if !equalConditions(b.ShowIf, a.ShowIf) {
		errs.add(path+".show_if", fmt.Sprintf("was %s; when the question is shown cannot change %s", shownCondition(b.ShowIf), onceOpen))
	}
	compareChoices(errs, path, b.Choices, a.Choices)
}

func compareChoices(errs fieldErrors, path string, before, after []Choice) {
	key := func(c *Choice) string { return c.Key }
	matched := compareKeys(errs, path+".choices", choiceItems, keysOf(before, key), keysOf(after, key))
	for ai, bi := range matched {
		keepMeaning(errs, fmt.Sprintf("%s.choices[%d].favourable", path, ai), "whether the choice is favourable",
			strconv.FormatBool(before[bi].Favourable), strconv.FormatBool(after[ai].Favourable))
	}
}

// keysOf returns the key of each element of xs, in order.
func keysOf[T any](xs []T, key func(*T) string) []string {
	out := make([]string, len(xs))
	for i := range xs {
		out[i] = key(&xs[i])
	}
	return out
}

// keyedItems names the things in a keyed list, for messages, and says why
// their order matters.
type keyedItems struct {
	one, many   string
	orderReason string
}

var (
	sectionItems  = keyedItems{"section", "sections", "reports follow it"}
	versionItems  = keyedItems{"version", "versions", "reports follow it"}
	questionItems = keyedItems{"question", "questions", "reports and show_if conditions follow it"}
	choiceItems   = keyedItems{"choice", "choices", "reports and scales follow it"}
)

// compareKeys adds a message for each key of a list at path that was
// renamed, added or removed, and one if the keys kept are in another
// order. It returns, for each index in after whose key was in before, the
// index it had there, so that the caller can compare the two.
func compareKeys(errs fieldErrors, path string, what keyedItems, before, after []string) map[int]int {
	was := make(map[string]int, len(before))
	for i, k := range before {
		if _, dup := was[k]; !dup {
			was[k] = i
		}
	}
	now := make(map[string]bool, len(after))
	for _, k := range after {
		now[k] = true
	}

	matched := map[int]int{}
	renamed := map[string]bool{}
	for i, k := range after {
		bi, ok := was[k]
		switch {
		case ok:
			matched[i] = bi
		case i < len(before) && !now[before[i]]:
			// A new key where a key that is gone used to be: the key
			// was changed, and earlier answers would lose their place.
			renamed[before[i]] = true
			errs.add(fmt.Sprintf("%s[%d].key", path, i),
				fmt.Sprintf("was %q; a %s's key cannot change %s", before[i], what.one, onceOpen))
		default:
			errs.add(fmt.Sprintf("%s[%d]", path, i),
				fmt.Sprintf("%q is a new %s; %s cannot be added %s", k, what.one, what.many, onceOpen))
		}
	}

	var removed []string
	for _, k := range before {
		if !now[k] && !renamed[k] {
			removed = append(removed, strconv.Quote(k))
		}
	}
	var problems []string
	if len(removed) > 0 {
		problems = append(problems, fmt.Sprintf("%s removed (%s); %s cannot be removed %s",
			pluralOf(len(removed), what.one+" was", what.many+" were"), strings.Join(removed, ", "), what.many, onceOpen))
	}
	if keysReordered(before, after, now, was) {
		problems = append(problems, fmt.Sprintf("the %s are in a different order; their order cannot change %s, because %s",
			what.many, onceOpen, what.orderReason))
	}
	if len(problems) > 0 {
		errs.add(path, strings.Join(problems, "; "))
	}
	return matched
}

// keysReordered reports whether the keys found in both lists come in a
// different order in after than in before.
func keysReordered(before, after []string, now map[string]bool, was map[string]int) bool {
	var kept, same []string
	for _, k := range before {
		if now[k] {
			kept = append(kept, k)
		}
	}
	for _, k := range after {
		if _, ok := was[k]; ok {
			same = append(same, k)
		}
	}
	return !slices.Equal(kept, same)
}

// keepMeaning adds a message at path when a field that carries meaning changed.
// was and now are its values as a person reads them.
func keepMeaning(errs fieldErrors, path, what, was, now string) {
	if was != now {
		errs.add(path, fmt.Sprintf("was %s; %s cannot change %s", was, what, onceOpen))
	}
}

func pluralOf(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// shownString shows a string field, or "not set" for the empty string.
func shownString(s string) string {
	if s == "" {
		return "not set"
	}
	return s
}

// shownCount shows a number for which 0 means unset (max_choices, max_length).
func shownCount(n int) string {
	if n == 0 {
		return "not set"
	}
	return strconv.Itoa(n)
}

// shownNumber shows an optional number.
func shownNumber(p *int) string {
	if p == nil {
		return "not set"
	}
	return strconv.Itoa(*p)
}

// shownCondition shows a show_if condition as it is written in a definition.
func shownCondition(c *Condition) string {
	if c == nil {
		return "not set"
	}
	js, err := json.Marshal(c)
	if err != nil {
		return "set"
	}
	return string(js)
}

// equalConditions reports whether a and b are the same condition, rule for
// rule. An empty list is the same as a missing one.
func equalConditions(a, b *Condition) bool {
	if a == nil || b == nil {
		return a == b
	}
	return slices.EqualFunc(a.All, b.All, equalRules) && slices.EqualFunc(a.Any, b.Any, equalRules)
}

func equalRules(a, b Rule) bool {
	return a.Question == b.Question && a.Op == b.Op &&
		a.Value.Set == b.Value.Set && a.Value.List == b.Value.List &&
		slices.Equal(a.Value.Strings, b.Value.Strings) && slices.Equal(a.Value.Ints, b.Value.Ints)
}

// NewEdition makes the next edition of a survey from prev (usually last
// year's): a copy of every section, version, question and choice, with the
// same keys so that the years compare, under a new slug and a later
// edition, with Previous naming prev. The copy shares nothing with prev,
// and is validated.
func NewEdition(prev *Definition, slug string, edition int) (*Definition, error) {
	errs := fieldErrors{}
	if edition <= prev.Edition {
		errs.add("edition", fmt.Sprintf("must be later than %d, the edition it follows", prev.Edition))
	}
	sameSlug := slug == prev.Slug
	if sameSlug {
		errs.add("slug", fmt.Sprintf("must differ from %q, the slug of the edition it follows", prev.Slug))
	}
	next := prev.copyDeep()
	next.Slug, next.Edition, next.Previous = slug, edition, prev.Slug
	if err := next.Validate(); err != nil {
		fields := ErrorFields(err)
		if len(fields) == 0 {
			return nil, err
		}
		for path, msg := range fields {
			// With the same slug, previous names the survey itself;
			// the message about the slug already says so.
			if sameSlug && path == "previous" {
				continue
			}
			errs.add(path, msg)
		}
	}
	if err := errs.err("The new edition has mistakes."); err != nil {
		return nil, err
	}
	return next, nil
}

// SuggestEditionSlug proposes the slug of a new edition: prevSlug with the
// year of the previous edition replaced by the new one ("cared-for-2025"
// becomes "cared-for-2026"), or with "-" and the new year added when
// prevSlug does not contain the old one. A slug that would be longer than
// MaxKeyLength is shortened before the year, so that it stays a valid key
// when prevSlug is one.
func SuggestEditionSlug(prevSlug string, prevEdition, edition int) string {
	year, old := strconv.Itoa(edition), strconv.Itoa(prevEdition)
	head, sep, tail := prevSlug, "-", ""
	if i := yearIndex(prevSlug, old); i >= 0 {
		head, sep, tail = prevSlug[:i], "", prevSlug[i+len(old):]
		if n := len(head); n > 0 && (head[n-1] == '-' || head[n-1] == '_') {
			head, sep = head[:n-1], head[n-1:]
		}
	}
	if over := len(head) + len(sep) + len(year) + len(tail) - MaxKeyLength; over > 0 {
		head = strings.TrimRight(head[:max(len(head)-over, 0)], "-_")
	}
	if head == "" {
		sep = ""
	}
	slug := head + sep + year + tail
	return slug[:min(len(slug), MaxKeyLength)]
}

// yearIndex returns the index of the last occurrence of year in s that is
// not part of a longer number, or -1.
func yearIndex(s, year string) int {
	isDigit := func(i int) bool { return i >= 0 && i < len(s) && s[i] >= '0' && s[i] <= '9' }
	for end := len(s); end > 0; {
		i := strings.LastIndex(s[:end], year)
		if i < 0 {
			return -1
		}
		if !isDigit(i-1) && !isDigit(i+len(year)) {
			return i
		}
		end = i + len(year) - 1
	}
	return -1
}

// copyDeep returns a copy of d that shares no slice, map or pointer with it.
func (d *Definition) copyDeep() *Definition {
	c := *d
	c.Title = maps.Clone(d.Title)
	c.Description = maps.Clone(d.Description)
	c.Sections = copyEach(d.Sections, func(s Section) Section {
		s.Title = maps.Clone(s.Title)
		return s
	})
	c.Versions = copyEach(d.Versions, func(v Version) Version {
		v.Label = maps.Clone(v.Label)
		v.AgeMin, v.AgeMax = copyInt(v.AgeMin), copyInt(v.AgeMax)
		v.Questions = copyEach(v.Questions, copyQuestion)
		return v
	})
	return &c
}

func copyQuestion(q Question) Question {
	q.Text = maps.Clone(q.Text)
	q.Help = maps.Clone(q.Help)
	q.MinLabel = maps.Clone(q.MinLabel)
	q.MaxLabel = maps.Clone(q.MaxLabel)
	q.Min, q.Max = copyInt(q.Min), copyInt(q.Max)
	q.Choices = copyEach(q.Choices, func(c Choice) Choice {
		c.Label = maps.Clone(c.Label)
		return c
	})
	if q.ShowIf != nil {
		copyRule := func(r Rule) Rule {
			r.Value.Strings = slices.Clone(r.Value.Strings)
			r.Value.Ints = slices.Clone(r.Value.Ints)
			return r
		}
		q.ShowIf = &Condition{All: copyEach(q.ShowIf.All, copyRule), Any: copyEach(q.ShowIf.Any, copyRule)}
	}
	return q
}

// copyEach returns a new slice holding f of each element of s; nil stays nil.
func copyEach[T any](s []T, f func(T) T) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	for i, x := range s {
		out[i] = f(x)
	}
	return out
}

func copyInt(p *int) *int {
	if p == nil {
		return nil
	}
	n := *p
	return &n
}
