package surveys

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// keyPattern is what slugs, version keys, question keys, choice keys and
// section keys look like: lower-case letters, digits, "_" and "-".
var keyPattern = regexp.MustCompile(`^[a-z0-9_-]+$`)

// reservedVersionKeys are the words the young person's pages put after a
// survey's slug (/s/{slug}/contact), which a version's address
// (/s/{slug}/{version}) would clash with.
var reservedVersionKeys = map[string]bool{"contact": true}

// fieldErrors collects one message per place in a definition.
type fieldErrors map[string]string

func (e fieldErrors) add(path, msg string) {
	if _, ok := e[path]; !ok {
		e[path] = msg
	}
}

// err returns nil when nothing was added, or an EINVALID error naming every
// place.
func (e fieldErrors) err(message string) error {
	if len(e) == 0 {
		return nil
	}
	return FieldsError(message, e)
}

// Validate checks everything about a definition that makes it a survey
// Heard can run and compare across years. The error names every place that
// is wrong, such as "versions[0].questions[3].choices".
func (d *Definition) Validate() error {
	errs := fieldErrors{}
	checkKey(d.Slug, "slug", errs)
	if d.Previous != "" {
		checkKey(d.Previous, "previous", errs)
		if d.Previous == d.Slug {
			errs.add("previous", "is this survey's own slug; it must name the edition this one follows")
		}
	}
	if d.Edition < MinEdition || d.Edition > MaxEdition {
		errs.add("edition", fmt.Sprintf("must be a year from %d to %d", MinEdition, MaxEdition))
	}
	switch d.Kind {
	case KindAnnual, KindSchoolCouncil, KindOther:
	case "":
		errs.add("kind", "is missing; use annual, school_council or other")
	default:
		errs.add("kind", fmt.Sprintf("%q is not a kind; use annual, school_council or other", d.Kind))
	}
	checkText(d.Title, "title", MaxTitleLength, true, errs)
	checkText(d.Description, "description", MaxWordingLength, false, errs)

	sections := map[string]bool{}
	if len(d.Sections) > MaxSections {
		errs.add("sections", fmt.Sprintf("has %d sections; the most is %d", len(d.Sections), MaxSections))
	}
	for i, s := range d.Sections {
		path := fmt.Sprintf("sections[%d]", i)
		checkKey(s.Key, path+".key", errs)
		if sections[s.Key] {
			errs.add(path+".key", fmt.Sprintf("%q is used by an earlier section", s.Key))
		}
		sections[s.Key] = true
		checkText(s.Title, path+".title", MaxTitleLength, true, errs)
	}

	switch {
	case len(d.Versions) == 0:
		errs.add("versions", "needs at least one version")
	case len(d.Versions) > MaxVersions:
		errs.add("versions", fmt.Sprintf("has %d versions; the most is %d", len(d.Versions), MaxVersions))
	}
	versionKeys := map[string]bool{}
	for i := range d.Versions {
		path := fmt.Sprintf("versions[%d]", i)
		v := &d.Versions[i]
		if versionKeys[v.Key] {
			errs.add(path+".key", fmt.Sprintf("%q is used by an earlier version", v.Key))
		}
		versionKeys[v.Key] = true
		if reservedVersionKeys[v.Key] {
			errs.add(path+".key", fmt.Sprintf("%q is a word Heard's pages use after a survey's address; choose another key", v.Key))
		}
		v.validate(path, sections, errs)
	}
	d.checkSharedKeys(errs)
	return errs.err("The survey definition has mistakes.")
}

func (v *Version) validate(path string, sections map[string]bool, errs fieldErrors) {
	checkKey(v.Key, path+".key", errs)
	checkText(v.Label, path+".label", MaxTitleLength, true, errs)
	for _, age := range []struct {
		name  string
		value *int
	}{{"age_min", v.AgeMin}, {"age_max", v.AgeMax}} {
		if age.value != nil && (*age.value < 0 || *age.value > 99) {
			errs.add(path+"."+age.name, "must be an age from 0 to 99")
		}
	}
	if v.AgeMin != nil && v.AgeMax != nil && *v.AgeMin > *v.AgeMax {
		errs.add(path+".age_max", "must not be below age_min")
	}
	switch {
	case len(v.Questions) == 0:
		errs.add(path+".questions", "needs at least one question")
	case len(v.Questions) > MaxQuestions:
		errs.add(path+".questions", fmt.Sprintf("has %d questions; the most is %d", len(v.Questions), MaxQuestions))
	}
	keys := map[string]bool{}
	breakdowns := 0
	for i := range v.Questions {
		q := &v.Questions[i]
		qpath := fmt.Sprintf("%s.questions[%d]", path, i)
		if keys[q.Key] {
			errs.add(qpath+".key", fmt.Sprintf("%q is used by an earlier question", q.Key))
		}
		keys[q.Key] = true
		if q.Breakdown {
			breakdowns++
		}
		q.validate(qpath, sections, errs)
		if q.ShowIf != nil {
			validateCondition(q.ShowIf, v, i, qpath+".show_if", errs)
		}
	}
	if breakdowns > MaxBreakdowns {
		errs.add(path+".questions", fmt.Sprintf("has %d breakdown questions; the most is %d", breakdowns, MaxBreakdowns))
	}
}

func (q *Question) validate(path string, sections map[string]bool, errs fieldErrors) {
	checkKey(q.Key, path+".key", errs)
	checkText(q.Text, path+".text", MaxWordingLength, true, errs)
	checkText(q.Help, path+".help", MaxWordingLength, false, errs)
	if q.Section != "" && !sections[q.Section] {
		errs.add(path+".section", fmt.Sprintf("%q is not one of the survey's sections", q.Section))
	}
	switch q.Type {
	case SingleChoice, MultiChoice, Scale, Rating, FreeText:
	case "":
		errs.add(path+".type", "is missing")
		return
	default:
		errs.add(path+".type", fmt.Sprintf("%q is not a question type; use single_choice, multi_choice, scale, rating or text", q.Type))
		return
	}
	if q.Breakdown && q.Type != SingleChoice && q.Type != Scale {
		errs.add(path+".breakdown", "only single_choice and scale questions can be breakdowns")
	}
	q.validateChoices(path, errs)
	q.validateRating(path, errs)
	q.validateText(path, errs)
}

func (q *Question) validateChoices(path string, errs fieldErrors) {
	if !q.HasChoices() {
		if len(q.Choices) > 0 {
			errs.add(path+".choices", fmt.Sprintf("must be left out for a %s question", q.Type))
		}
		if q.MaxChoices != 0 {
			errs.add(path+".max_choices", "belongs only to multi_choice questions")
		}
		return
	}
	switch {
	case len(q.Choices) < MinChoices:
		errs.add(path+".choices", fmt.Sprintf("needs at least %d choices", MinChoices))
	case len(q.Choices) > MaxChoices:
		errs.add(path+".choices", fmt.Sprintf("has %d choices; the most is %d", len(q.Choices), MaxChoices))
	}
	seen := map[string]bool{}
	for i, c := range q.Choices {
		cpath := fmt.Sprintf("%s.choices[%d]", path, i)
		checkKey(c.Key, cpath+".key", errs)
		if seen[c.Key] {
			errs.add(path+".choices", fmt.Sprintf("the key %q is used by more than one choice", c.Key))
		}
		seen[c.Key] = true
		checkText(c.Label, cpath+".label", MaxTitleLength, true, errs)
	}
	if q.MaxChoices != 0 {
		switch {
		case q.Type != MultiChoice:
			errs.add(path+".max_choices", "belongs only to multi_choice questions")
		case q.MaxChoices < 1 || q.MaxChoices > len(q.Choices):
			errs.add(path+".max_choices", fmt.Sprintf("must be from 1 to the number of choices (%d)", len(q.Choices)))
		}
	}
}

func (q *Question) validateRating(path string, errs fieldErrors) {
	if q.Type != Rating {
		if q.Min != nil || q.Max != nil {
			errs.add(path+".min", "min and max belong only to rating questions")
		}
		if len(q.MinLabel) > 0 || len(q.MaxLabel) > 0 {
			errs.add(path+".min_label", "min_label and max_label belong only to rating questions")
		}
		return
	}
	switch {
	case q.Min == nil || q.Max == nil:
		errs.add(path+".min", "a rating needs both min and max")
	case *q.Min < MinRatingValue || *q.Max > MaxRatingValue:
		errs.add(path+".min", fmt.Sprintf("a rating's range must lie within %d to %d", MinRatingValue, MaxRatingValue))
	case *q.Min >= *q.Max:
		errs.add(path+".max", "must be greater than min")
	}
	checkText(q.MinLabel, path+".min_label", MaxTitleLength, false, errs)
	checkText(q.MaxLabel, path+".max_label", MaxTitleLength, false, errs)
}

func (q *Question) validateText(path string, errs fieldErrors) {
	if q.Type != FreeText {
		if q.MaxLength != 0 {
			errs.add(path+".max_length", "belongs only to text questions")
		}
		return
	}
	if q.MaxLength < 0 || q.MaxLength > MaxTextLength {
		errs.add(path+".max_length", fmt.Sprintf("must be from 1 to %d characters", MaxTextLength))
	}
	if q.Breakdown {
		errs.add(path+".breakdown", "only single_choice and scale questions can be breakdowns")
	}
}

// checkSharedKeys requires a question key used in several versions to have
// the same type in each, so that results over all versions add up answers
// that mean the same thing.
func (d *Definition) checkSharedKeys(errs fieldErrors) {
	types := map[string]QuestionType{}
	for vi := range d.Versions {
		for qi, q := range d.Versions[vi].Questions {
			if q.Type == "" {
				continue
			}
			if t, ok := types[q.Key]; ok && t != q.Type {
				errs.add(fmt.Sprintf("versions[%d].questions[%d].type", vi, qi),
					fmt.Sprintf("%q is a %s question in an earlier version; a key keeps its type in every version", q.Key, t))
				continue
			}
			types[q.Key] = q.Type
		}
	}
}

func checkKey(key, path string, errs fieldErrors) {
	switch {
	case key == "":
		errs.add(path, "is missing")
	case len(key) > MaxKeyLength:
		errs.add(path, fmt.Sprintf("is longer than %d characters", MaxKeyLength))
	case !keyPattern.MatchString(key):
		errs.add(path, fmt.Sprintf("%q may use only lower-case letters, digits, \"_\" and \"-\"", key))
	}
}

// checkText requires English when the text is required or given at all,
// valid language codes, and no text longer than limit characters.
func checkText(t Text, path string, limit int, required bool, errs fieldErrors) {
	if len(t) == 0 {
		if required {
			errs.add(path, "is missing; it needs at least English (\"en\")")
		}
		return
	}
	if len(t) > MaxLanguages {
		errs.add(path, fmt.Sprintf("has %d languages; the most is %d", len(t), MaxLanguages))
		return
	}
	if strings.TrimSpace(t[DefaultLanguage]) == "" {
		errs.add(path+".en", "is missing; every text needs English")
	}
	langs := t.Languages()
	sort.Strings(langs)
	for _, lang := range langs {
		switch {
		case !ValidLanguage(lang):
			errs.add(path, fmt.Sprintf("%q is not a language code such as \"en\" or \"pl\"", lang))
		case utf8.RuneCountInString(t[lang]) > limit:
			errs.add(path+"."+lang, fmt.Sprintf("is longer than %d characters", limit))
		}
	}
}
