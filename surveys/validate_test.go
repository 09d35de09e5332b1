package surveys_test

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// validDefinition returns a fresh, valid definition with one version whose
// questions cover every type:
//
//	0 area   single_choice breakdown (north, south)
//	1 feel   scale (yes, sometimes, no), in section "home"
//	2 why    multi_choice (school, home, online), at most 2, shown if feel in [sometimes, no]
//	3 happy  rating 1-5
//	4 words  text, at most 500, shown if happy lte 2 or feel eq no
func validDefinition() *surveys.Definition {
	return &surveys.Definition{
		Slug:     "test-2026",
		Edition:  2026,
		Kind:     surveys.KindAnnual,
		Title:    en("A test survey"),
		Sections: []surveys.Section{{Key: "home", Title: en("Home")}},
		Versions: []surveys.Version{{
			Key:    "8-11",
			Label:  en("Ages 8 to 11"),
			AgeMin: intp(8),
			AgeMax: intp(11),
			Questions: []surveys.Question{
				{Key: "area", Type: surveys.SingleChoice, Text: en("Where do you live?"), Breakdown: true, Choices: choices("north", "south")},
				{Key: "feel", Type: surveys.Scale, Text: en("Do you feel safe?"), Section: "home", Choices: choices("yes", "sometimes", "no")},
				{Key: "why", Type: surveys.MultiChoice, Text: en("Where do you feel less safe?"), MaxChoices: 2,
					Choices: choices("school", "home", "online"),
					ShowIf:  &surveys.Condition{All: []surveys.Rule{{Question: "feel", Op: surveys.OpIn, Value: strs("sometimes", "no")}}}},
				{Key: "happy", Type: surveys.Rating, Text: en("How happy are you?"), Min: intp(1), Max: intp(5),
					MinLabel: en("Not at all"), MaxLabel: en("Very")},
				{Key: "words", Type: surveys.FreeText, Text: en("Tell us more"), MaxLength: 500,
					ShowIf: &surveys.Condition{Any: []surveys.Rule{
						{Question: "happy", Op: surveys.OpLte, Value: num(2)},
						{Question: "feel", Op: surveys.OpEq, Value: str("no")},
					}}},
			},
		}},
	}
}

// question returns question i of the first version.
func question(d *surveys.Definition, i int) *surveys.Question { return &d.Versions[0].Questions[i] }

// qpath is the field path of question i of the first version.
func qpath(i int) string { return fmt.Sprintf("versions[0].questions[%d]", i) }

func TestValidateAcceptsValidDefinitions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(d *surveys.Definition)
	}{
		{"base", func(*surveys.Definition) {}},
		{"minimal", func(d *surveys.Definition) {
			*d = surveys.Definition{
				Slug: "s", Edition: 2026, Kind: surveys.KindOther, Title: en("T"),
				Versions: []surveys.Version{{Key: "v", Label: en("V"), Questions: []surveys.Question{
					{Key: "q", Type: surveys.FreeText, Text: en("Q?")},
				}}},
			}
		}},
		{"every kind: school_council", func(d *surveys.Definition) { d.Kind = surveys.KindSchoolCouncil }},
		{"every kind: other", func(d *surveys.Definition) { d.Kind = surveys.KindOther }},
		{"first and last edition", func(d *surveys.Definition) { d.Edition = surveys.MinEdition }},
		{"last edition", func(d *surveys.Definition) { d.Edition = surveys.MaxEdition }},
		{"key of 64 characters", func(d *surveys.Definition) { question(d, 0).Key = strings.Repeat("a", surveys.MaxKeyLength) }},
		{"keys with digits, _ and -", func(d *surveys.Definition) { d.Slug = "cared-for_2026" }},
		{"title of 200 multibyte characters", func(d *surveys.Definition) { d.Title = en(strings.Repeat("ł", surveys.MaxTitleLength)) }},
		{"translations", func(d *surveys.Definition) {
			d.Title = surveys.Text{"en": "Survey", "pl": "Ankieta", "pt-br": "Pesquisa", "ar": "استبيان"}
		}},
		{"20 languages", func(d *surveys.Definition) { d.Title = manyLanguages(surveys.MaxLanguages) }},
		{"30 choices", func(d *surveys.Definition) { question(d, 0).Choices = numberedChoices(surveys.MaxChoices) }},
		{"120 questions", func(d *surveys.Definition) { addTextQuestions(d, surveys.MaxQuestions-5) }},
		{"6 breakdowns", func(d *surveys.Definition) { addBreakdowns(d, surveys.MaxBreakdowns-1) }},
		{"8 versions", func(d *surveys.Definition) { addVersions(d, surveys.MaxVersions-1) }},
		{"30 sections", func(d *surveys.Definition) { addSections(d, surveys.MaxSections-1) }},
		{"rating 0 to 100", func(d *surveys.Definition) { question(d, 3).Min, question(d, 3).Max = intp(0), intp(100) }},
		{"max_length 10000", func(d *surveys.Definition) { question(d, 4).MaxLength = surveys.MaxTextLength }},
		{"max_length left out", func(d *surveys.Definition) { question(d, 4).MaxLength = 0 }},
		{"max_choices equal to choices", func(d *surveys.Definition) { question(d, 2).MaxChoices = 3 }},
		{"scale breakdown", func(d *surveys.Definition) { question(d, 1).Breakdown = true }},
		{"10 rules", func(d *surveys.Definition) {
			question(d, 2).ShowIf = &surveys.Condition{All: answeredRules("feel", surveys.MaxRules)}
		}},
		{"same key and type in two versions", func(d *surveys.Definition) { addVersions(d, 1) }},
		{"every op", func(d *surveys.Definition) {
			d.Versions[0].Questions = append(d.Versions[0].Questions, surveys.Question{
				Key: "more", Type: surveys.FreeText, Text: en("More?"),
				ShowIf: &surveys.Condition{Any: []surveys.Rule{
					{Question: "area", Op: surveys.OpEq, Value: str("north")},
					{Question: "feel", Op: surveys.OpNeq, Value: str("yes")},
					{Question: "why", Op: surveys.OpIn, Value: strs("school")},
					{Question: "happy", Op: surveys.OpGte, Value: num(5)},
					{Question: "happy", Op: surveys.OpIn, Value: nums(1, 5)},
					{Question: "happy", Op: surveys.OpNeq, Value: num(1)},
					{Question: "words", Op: surveys.OpAnswered},
					{Question: "words", Op: surveys.OpNotAnswered},
				}},
			})
		}},
		{"ages 0 to 99", func(d *surveys.Definition) { d.Versions[0].AgeMin, d.Versions[0].AgeMax = intp(0), intp(99) }},
		{"no ages", func(d *surveys.Definition) { d.Versions[0].AgeMin, d.Versions[0].AgeMax = nil, nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := validDefinition()
			tt.mutate(d)
			if err := d.Validate(); err != nil {
				t.Fatalf("Validate() = %v; fields:\n%s", err, formatFields(surveys.ErrorFields(err)))
			}
		})
	}
}

func TestValidateRefusesBrokenDefinitions(t *testing.T) {
	t.Parallel()
	q0, q1, q2, q3, q4 := qpath(0), qpath(1), qpath(2), qpath(3), qpath(4)
	tests := []struct {
		name   string
		mutate func(d *surveys.Definition)
		want   map[string]string // field path -> a fragment of its message
	}{
		// The definition.
		{"missing slug", func(d *surveys.Definition) { d.Slug = "" },
			map[string]string{"slug": "is missing"}},
		{"upper-case slug", func(d *surveys.Definition) { d.Slug = "Test-2026" },
			map[string]string{"slug": `"Test-2026" may use only lower-case letters, digits, "_" and "-"`}},
		{"edition before 2000", func(d *surveys.Definition) { d.Edition = 1999 },
			map[string]string{"edition": "must be a year from 2000 to 2100"}},
		{"edition after 2100", func(d *surveys.Definition) { d.Edition = 2101 },
			map[string]string{"edition": "must be a year from 2000 to 2100"}},
		{"edition missing", func(d *surveys.Definition) { d.Edition = 0 },
			map[string]string{"edition": "must be a year from 2000 to 2100"}},
		{"kind missing", func(d *surveys.Definition) { d.Kind = "" },
			map[string]string{"kind": "is missing; use annual, school_council or other"}},
		{"kind unknown", func(d *surveys.Definition) { d.Kind = "weekly" },
			map[string]string{"kind": `"weekly" is not a kind; use annual, school_council or other`}},

		// Texts.
		{"title missing", func(d *surveys.Definition) { d.Title = nil },
			map[string]string{"title": `is missing; it needs at least English ("en")`}},
		{"title without English", func(d *surveys.Definition) { d.Title = surveys.Text{"pl": "Ankieta"} },
			map[string]string{"title.en": "is missing; every text needs English"}},
		{"title with blank English", func(d *surveys.Definition) { d.Title = en(" \t ") },
			map[string]string{"title.en": "is missing; every text needs English"}},
		{"question text without English", func(d *surveys.Definition) { question(d, 0).Text = surveys.Text{"pl": "Gdzie mieszkasz?"} },
			map[string]string{q0 + ".text.en": "is missing; every text needs English"}},
		{"choice label missing", func(d *surveys.Definition) { question(d, 0).Choices[1].Label = nil },
			map[string]string{q0 + ".choices[1].label": "is missing"}},
		{"version label missing", func(d *surveys.Definition) { d.Versions[0].Label = nil },
			map[string]string{"versions[0].label": "is missing"}},
		{"section title missing", func(d *surveys.Definition) { d.Sections[0].Title = nil },
			map[string]string{"sections[0].title": "is missing"}},
		{"help without English", func(d *surveys.Definition) { question(d, 0).Help = surveys.Text{"pl": "Pomoc"} },
			map[string]string{q0 + ".help.en": "is missing; every text needs English"}},
		{"upper-case language code", func(d *surveys.Definition) { d.Title = surveys.Text{"en": "Survey", "EN": "Survey"} },
			map[string]string{"title": `"EN" is not a language code such as "en" or "pl"`}},
		{"language name instead of code", func(d *surveys.Definition) { d.Title = surveys.Text{"en": "Survey", "polish": "Ankieta"} },
			map[string]string{"title": `"polish" is not a language code`}},
		{"language code with underscore", func(d *surveys.Definition) { question(d, 0).Text["pt_br"] = "Onde?" },
			map[string]string{q0 + ".text": `"pt_br" is not a language code`}},
		{"title over 200 characters", func(d *surveys.Definition) { d.Title = en(strings.Repeat("ł", surveys.MaxTitleLength+1)) },
			map[string]string{"title.en": "is longer than 200 characters"}},
		{"translation over 200 characters", func(d *surveys.Definition) {
			d.Title = surveys.Text{"en": "Survey", "pl": strings.Repeat("ż", surveys.MaxTitleLength+1)}
		}, map[string]string{"title.pl": "is longer than 200 characters"}},
		{"question text over 2000 characters", func(d *surveys.Definition) { question(d, 0).Text = en(strings.Repeat("a", surveys.MaxWordingLength+1)) },
			map[string]string{q0 + ".text.en": "is longer than 2000 characters"}},
		{"too many languages", func(d *surveys.Definition) { d.Title = manyLanguages(surveys.MaxLanguages + 1) },
			map[string]string{"title": "has 21 languages; the most is 20"}},

		// Sections.
		{"too many sections", func(d *surveys.Definition) { addSections(d, surveys.MaxSections) },
			map[string]string{"sections": "has 31 sections; the most is 30"}},
		{"duplicate section key", func(d *surveys.Definition) {
			d.Sections = append(d.Sections, surveys.Section{Key: "home", Title: en("Home again")})
		},
			map[string]string{"sections[1].key": `"home" is used by an earlier section`}},
		{"upper-case section key", func(d *surveys.Definition) { d.Sections[0].Key, question(d, 1).Section = "Home", "Home" },
			map[string]string{"sections[0].key": `"Home" may use only lower-case letters`}},
		{"unknown section", func(d *surveys.Definition) { question(d, 0).Section = "school" },
			map[string]string{q0 + ".section": `"school" is not one of the survey's sections`}},

		// Versions.
		{"no versions", func(d *surveys.Definition) { d.Versions = nil },
			map[string]string{"versions": "needs at least one version"}},
		{"too many versions", func(d *surveys.Definition) { addVersions(d, surveys.MaxVersions) },
			map[string]string{"versions": "has 9 versions; the most is 8"}},
		{"duplicate version key", func(d *surveys.Definition) {
			addVersions(d, 1)
			d.Versions[1].Key = "8-11"
		}, map[string]string{"versions[1].key": `"8-11" is used by an earlier version`}},
		{"version key a page's word", func(d *surveys.Definition) { d.Versions[0].Key = "contact" },
			map[string]string{"versions[0].key": `"contact" is a word Heard's pages use after a survey's address`}},
		{"version key with dot", func(d *surveys.Definition) { d.Versions[0].Key = "8.11" },
			map[string]string{"versions[0].key": `"8.11" may use only lower-case letters`}},
		{"negative age", func(d *surveys.Definition) { d.Versions[0].AgeMin = intp(-1) },
			map[string]string{"versions[0].age_min": "must be an age from 0 to 99"}},
		{"age over 99", func(d *surveys.Definition) { d.Versions[0].AgeMax = intp(100) },
			map[string]string{"versions[0].age_max": "must be an age from 0 to 99"}},
		{"age_min above age_max", func(d *surveys.Definition) { d.Versions[0].AgeMin = intp(12) },
			map[string]string{"versions[0].age_max": "must not be below age_min"}},
		{"no questions", func(d *surveys.Definition) { d.Versions[0].Questions = nil },
			map[string]string{"versions[0].questions": "needs at least one question"}},
		{"too many questions", func(d *surveys.Definition) { addTextQuestions(d, surveys.MaxQuestions-4) },
			map[string]string{"versions[0].questions": "has 121 questions; the most is 120"}},
		{"too many breakdowns", func(d *surveys.Definition) { addBreakdowns(d, surveys.MaxBreakdowns) },
			map[string]string{"versions[0].questions": "has 7 breakdown questions; the most is 6"}},
		{"shared key with another type", func(d *surveys.Definition) {
			d.Versions = append(d.Versions, surveys.Version{Key: "11-18", Label: en("Ages 11 to 18"), Questions: []surveys.Question{
				{Key: "area", Type: surveys.SingleChoice, Text: en("Where?"), Choices: choices("north", "south")},
				{Key: "happy", Type: surveys.FreeText, Text: en("Are you happy?")},
			}})
		}, map[string]string{"versions[1].questions[1].type": `"happy" is a rating question in an earlier version; a key keeps its type in every version`}},

		// Questions.
		{"duplicate question key", func(d *surveys.Definition) {
			d.Versions[0].Questions = append(d.Versions[0].Questions, *question(d, 0))
		}, map[string]string{qpath(5) + ".key": `"area" is used by an earlier question`}},
		{"upper-case question key", func(d *surveys.Definition) { question(d, 0).Key = "Area" },
			map[string]string{q0 + ".key": `"Area" may use only lower-case letters, digits, "_" and "-"`}},
		{"question key with space", func(d *surveys.Definition) { question(d, 0).Key = "my area" },
			map[string]string{q0 + ".key": `"my area" may use only lower-case letters`}},
		{"question key with dot", func(d *surveys.Definition) { question(d, 0).Key = "my.area" },
			map[string]string{q0 + ".key": `"my.area" may use only lower-case letters`}},
		{"question key of 65 characters", func(d *surveys.Definition) { question(d, 0).Key = strings.Repeat("a", surveys.MaxKeyLength+1) },
			map[string]string{q0 + ".key": "is longer than 64 characters"}},
		{"question key missing", func(d *surveys.Definition) { question(d, 0).Key = "" },
			map[string]string{q0 + ".key": "is missing"}},
		{"type missing", func(d *surveys.Definition) { question(d, 4).Type = "" },
			map[string]string{q4 + ".type": "is missing"}},
		{"unknown type", func(d *surveys.Definition) { question(d, 4).Type = "essay" },
			map[string]string{q4 + ".type": `"essay" is not a question type; use single_choice, multi_choice, scale, rating or text`}},

		// Choices.
		{"one choice", func(d *surveys.Definition) { question(d, 0).Choices = question(d, 0).Choices[:1] },
			map[string]string{q0 + ".choices": "needs at least 2 choices"}},
		{"no choices", func(d *surveys.Definition) { question(d, 0).Choices = nil },
			map[string]string{q0 + ".choices": "needs at least 2 choices"}},
		{"too many choices", func(d *surveys.Definition) { question(d, 0).Choices = numberedChoices(surveys.MaxChoices + 1) },
			map[string]string{q0 + ".choices": "has 31 choices; the most is 30"}},
		{"duplicate choice key", func(d *surveys.Definition) { question(d, 0).Choices[1].Key = "north" },
			map[string]string{q0 + ".choices": `the key "north" is used by more than one choice`}},
		{"choice key with dot", func(d *surveys.Definition) { question(d, 0).Choices[0].Key = "no.rth" },
			map[string]string{q0 + ".choices[0].key": `"no.rth" may use only lower-case letters`}},
		{"upper-case choice key", func(d *surveys.Definition) { question(d, 0).Choices[0].Key = "North" },
			map[string]string{q0 + ".choices[0].key": `"North" may use only lower-case letters`}},
		{"choices on a rating", func(d *surveys.Definition) { question(d, 3).Choices = choices("low", "high") },
			map[string]string{q3 + ".choices": "must be left out for a rating question"}},
		{"choices on a text", func(d *surveys.Definition) { question(d, 4).Choices = choices("low", "high") },
			map[string]string{q4 + ".choices": "must be left out for a text question"}},
		{"max_choices above the number of choices", func(d *surveys.Definition) { question(d, 2).MaxChoices = 4 },
			map[string]string{q2 + ".max_choices": "must be from 1 to the number of choices (3)"}},
		{"negative max_choices", func(d *surveys.Definition) { question(d, 2).MaxChoices = -1 },
			map[string]string{q2 + ".max_choices": "must be from 1 to the number of choices (3)"}},
		{"max_choices on single_choice", func(d *surveys.Definition) { question(d, 0).MaxChoices = 1 },
			map[string]string{q0 + ".max_choices": "belongs only to multi_choice questions"}},
		{"max_choices on rating", func(d *surveys.Definition) { question(d, 3).MaxChoices = 1 },
			map[string]string{q3 + ".max_choices": "belongs only to multi_choice questions"}},

		// Ratings.
		{"rating min equals max", func(d *surveys.Definition) { question(d, 3).Min, question(d, 3).Max = intp(2), intp(2) },
			map[string]string{q3 + ".max": "must be greater than min"}},
		{"rating min above max", func(d *surveys.Definition) {
			question(d, 3).Min, question(d, 3).Max = intp(5), intp(1)
			question(d, 4).ShowIf = nil
		}, map[string]string{q3 + ".max": "must be greater than min"}},
		{"rating min missing", func(d *surveys.Definition) { question(d, 3).Min = nil },
			map[string]string{q3 + ".min": "a rating needs both min and max"}},
		{"rating max missing", func(d *surveys.Definition) {
			question(d, 3).Max = nil
			question(d, 4).ShowIf = nil
		}, map[string]string{q3 + ".min": "a rating needs both min and max"}},
		{"rating min below 0", func(d *surveys.Definition) { question(d, 3).Min = intp(-1) },
			map[string]string{q3 + ".min": "a rating's range must lie within 0 to 100"}},
		{"rating max above 100", func(d *surveys.Definition) { question(d, 3).Max = intp(101) },
			map[string]string{q3 + ".min": "a rating's range must lie within 0 to 100"}},
		{"min on a scale", func(d *surveys.Definition) { question(d, 1).Min = intp(1) },
			map[string]string{q1 + ".min": "min and max belong only to rating questions"}},
		{"max_label on a text", func(d *surveys.Definition) { question(d, 4).MaxLabel = en("Lots") },
			map[string]string{q4 + ".min_label": "min_label and max_label belong only to rating questions"}},
		{"min_label without English", func(d *surveys.Definition) { question(d, 3).MinLabel = surveys.Text{"pl": "Wcale"} },
			map[string]string{q3 + ".min_label.en": "is missing; every text needs English"}},

		// Texts and breakdowns.
		{"max_length over 10000", func(d *surveys.Definition) { question(d, 4).MaxLength = surveys.MaxTextLength + 1 },
			map[string]string{q4 + ".max_length": "must be from 1 to 10000 characters"}},
		{"negative max_length", func(d *surveys.Definition) { question(d, 4).MaxLength = -1 },
			map[string]string{q4 + ".max_length": "must be from 1 to 10000 characters"}},
		{"max_length on a choice question", func(d *surveys.Definition) { question(d, 0).MaxLength = 10 },
			map[string]string{q0 + ".max_length": "belongs only to text questions"}},
		{"breakdown on multi_choice", func(d *surveys.Definition) { question(d, 2).Breakdown = true },
			map[string]string{q2 + ".breakdown": "only single_choice and scale questions can be breakdowns"}},
		{"breakdown on text", func(d *surveys.Definition) { question(d, 4).Breakdown = true },
			map[string]string{q4 + ".breakdown": "only single_choice and scale questions can be breakdowns"}},
		{"breakdown on rating", func(d *surveys.Definition) { question(d, 3).Breakdown = true },
			map[string]string{q3 + ".breakdown": "only single_choice and scale questions can be breakdowns"}},

		// Conditions.
		{"condition on an unknown question", func(d *surveys.Definition) { question(d, 2).ShowIf.All[0].Question = "nope" },
			map[string]string{q2 + ".show_if.all[0].question": `refers to "nope", which is not a question of this version`}},
		{"condition on a later question", func(d *surveys.Definition) {
			question(d, 1).ShowIf = &surveys.Condition{All: []surveys.Rule{{Question: "happy", Op: surveys.OpAnswered}}}
		}, map[string]string{q1 + ".show_if.all[0].question": `refers to "happy", which does not come before this question`}},
		{"condition on itself", func(d *surveys.Definition) {
			question(d, 2).ShowIf = &surveys.Condition{Any: []surveys.Rule{{Question: "why", Op: surveys.OpAnswered}}}
		}, map[string]string{q2 + ".show_if.any[0].question": `refers to "why", which does not come before this question`}},
		{"condition on a question of another version", func(d *surveys.Definition) {
			addVersions(d, 1)
			d.Versions[1].Questions = append(d.Versions[1].Questions, surveys.Question{Key: "only_here", Type: surveys.FreeText, Text: en("?")})
			question(d, 4).ShowIf.Any[0] = surveys.Rule{Question: "only_here", Op: surveys.OpAnswered}
		}, map[string]string{q4 + ".show_if.any[0].question": `refers to "only_here", which is not a question of this version`}},
		{"rule question missing", func(d *surveys.Definition) { question(d, 2).ShowIf.All[0].Question = "" },
			map[string]string{q2 + ".show_if.all[0].question": "is missing"}},
		{"gte on a choice question", func(d *surveys.Definition) {
			question(d, 2).ShowIf.All[0] = surveys.Rule{Question: "feel", Op: surveys.OpGte, Value: str("sometimes")}
		}, map[string]string{q2 + ".show_if.all[0].op": `"gte" works only on rating questions`}},
		{"lte on a multi_choice question", func(d *surveys.Definition) {
			question(d, 4).ShowIf.Any[1] = surveys.Rule{Question: "why", Op: surveys.OpLte, Value: num(1)}
		}, map[string]string{q4 + ".show_if.any[1].op": `"lte" works only on rating questions`}},
		{"eq on a text question", func(d *surveys.Definition) {
			addQuestionIf(d, surveys.Rule{Question: "words", Op: surveys.OpEq, Value: str("help")})
		},
			map[string]string{qpath(5) + ".show_if.all[0].op": `"words" cannot be compared; only answered and not_answered work on text questions`}},
		{"in on a text question", func(d *surveys.Definition) {
			addQuestionIf(d, surveys.Rule{Question: "words", Op: surveys.OpIn, Value: strs("help")})
		},
			map[string]string{qpath(5) + ".show_if.all[0].op": `"words" cannot be compared`}},
		{"value not a choice key", func(d *surveys.Definition) { question(d, 2).ShowIf.All[0].Value = strs("sometimes", "often") },
			map[string]string{q2 + ".show_if.all[0].value": `"often" is not a choice of "feel"`}},
		{"number for a choice question", func(d *surveys.Definition) { question(d, 4).ShowIf.Any[1].Value = num(3) },
			map[string]string{q4 + ".show_if.any[1].value": `must be choice keys of "feel"`}},
		{"text for a rating", func(d *surveys.Definition) { question(d, 4).ShowIf.Any[0].Value = str("low") },
			map[string]string{q4 + ".show_if.any[0].value": "must be whole numbers from 1 to 5"}},
		{"rating value out of range", func(d *surveys.Definition) { question(d, 4).ShowIf.Any[0].Value = num(6) },
			map[string]string{q4 + ".show_if.any[0].value": `6 is outside "happy"'s range of 1 to 5`}},
		{"rating list value out of range", func(d *surveys.Definition) {
			question(d, 4).ShowIf.Any[0] = surveys.Rule{Question: "happy", Op: surveys.OpIn, Value: nums(1, 0)}
		}, map[string]string{q4 + ".show_if.any[0].value": `0 is outside "happy"'s range of 1 to 5`}},
		{"in without a list", func(d *surveys.Definition) { question(d, 2).ShowIf.All[0].Value = str("sometimes") },
			map[string]string{q2 + ".show_if.all[0].value": `must be a list for "in"`}},
		{"eq with a list", func(d *surveys.Definition) { question(d, 4).ShowIf.Any[1].Value = strs("no") },
			map[string]string{q4 + ".show_if.any[1].value": `must be a single value for "eq"`}},
		{"gte with a list", func(d *surveys.Definition) {
			question(d, 4).ShowIf.Any[0] = surveys.Rule{Question: "happy", Op: surveys.OpGte, Value: nums(4)}
		}, map[string]string{q4 + ".show_if.any[0].value": `must be a single value for "gte"`}},
		{"eq without a value", func(d *surveys.Definition) { question(d, 4).ShowIf.Any[1].Value = surveys.Value{} },
			map[string]string{q4 + ".show_if.any[1].value": `is needed for "eq"`}},
		{"in with an empty list", func(d *surveys.Definition) { question(d, 2).ShowIf.All[0].Value = strs() },
			map[string]string{q2 + ".show_if.all[0].value": "must not be empty"}},
		{"value on answered", func(d *surveys.Definition) {
			question(d, 2).ShowIf.All[0] = surveys.Rule{Question: "feel", Op: surveys.OpAnswered, Value: str("yes")}
		}, map[string]string{q2 + ".show_if.all[0].value": `must be left out for "answered"`}},
		{"value on not_answered", func(d *surveys.Definition) {
			question(d, 2).ShowIf.All[0] = surveys.Rule{Question: "feel", Op: surveys.OpNotAnswered, Value: strs("yes")}
		}, map[string]string{q2 + ".show_if.all[0].value": `must be left out for "not_answered"`}},
		{"op missing", func(d *surveys.Definition) { question(d, 2).ShowIf.All[0].Op = "" },
			map[string]string{q2 + ".show_if.all[0].op": "is missing"}},
		{"op unknown", func(d *surveys.Definition) { question(d, 2).ShowIf.All[0].Op = "gt" },
			map[string]string{q2 + ".show_if.all[0].op": `"gt" is not an operator; use eq, neq, in, answered, not_answered, gte or lte`}},
		{"both all and any", func(d *surveys.Definition) {
			question(d, 2).ShowIf.Any = []surveys.Rule{{Question: "feel", Op: surveys.OpAnswered}}
		}, map[string]string{q2 + ".show_if": `give either "all" or "any", not both`}},
		{"empty condition", func(d *surveys.Definition) { question(d, 2).ShowIf = &surveys.Condition{} },
			map[string]string{q2 + ".show_if": `needs at least one rule in "all" or "any"`}},
		{"too many rules", func(d *surveys.Definition) {
			question(d, 4).ShowIf = &surveys.Condition{Any: answeredRules("feel", surveys.MaxRules+1)}
		}, map[string]string{q4 + ".show_if.any": "has 11 rules; the most is 10"}},
		{"second rule wrong", func(d *surveys.Definition) { question(d, 4).ShowIf.Any[1].Value = str("never") },
			map[string]string{q4 + ".show_if.any[1].value": `"never" is not a choice of "feel"`}},

		// Several at once: every place is named.
		{"several mistakes", func(d *surveys.Definition) {
			d.Slug = ""
			d.Kind = "weekly"
			question(d, 0).Choices = nil
			question(d, 3).Max = intp(101)
		}, map[string]string{
			"slug":          "is missing",
			"kind":          `"weekly" is not a kind`,
			q0 + ".choices": "needs at least 2 choices",
			q3 + ".min":     "a rating's range must lie within 0 to 100",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := validDefinition()
			tt.mutate(d)
			err := d.Validate()
			if err == nil {
				t.Fatal("Validate() = nil; want an error")
			}
			if code := surveys.ErrorCode(err); code != surveys.EINVALID {
				t.Fatalf("ErrorCode = %q; want %q", code, surveys.EINVALID)
			}
			if msg := surveys.ErrorMessage(err); msg != "The survey definition has mistakes." {
				t.Errorf("ErrorMessage = %q", msg)
			}
			got := surveys.ErrorFields(err)
			if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(tt.want))) {
				t.Fatalf("fields:\n%swant paths %v", formatFields(got), slices.Sorted(maps.Keys(tt.want)))
			}
			for path, fragment := range tt.want {
				if !strings.Contains(got[path], fragment) {
					t.Errorf("%s: %q; want it to contain %q", path, got[path], fragment)
				}
			}
		})
	}
}

const minimalJSON = `{"slug":"s","edition":2026,"kind":"other","title":{"en":"T"},` +
	`"versions":[{"key":"v","label":{"en":"V"},"questions":[{"key":"q","type":"text","text":{"en":"Q?"}}]}]}`

func TestParseDefinition(t *testing.T) {
	t.Parallel()
	d, err := surveys.ParseDefinition([]byte(minimalJSON))
	if err != nil {
		t.Fatalf("ParseDefinition(minimal) = %v", err)
	}
	want := &surveys.Definition{
		Slug: "s", Edition: 2026, Kind: surveys.KindOther, Title: en("T"),
		Versions: []surveys.Version{{Key: "v", Label: en("V"), Questions: []surveys.Question{
			{Key: "q", Type: surveys.FreeText, Text: en("Q?")},
		}}},
	}
	if !equalDefinitions(d, want) {
		t.Errorf("ParseDefinition(minimal) = %+v; want %+v", d, want)
	}
}

func TestParseDefinitionAcceptsPaddingUpToTheLimit(t *testing.T) {
	t.Parallel()
	data := []byte(minimalJSON + "\n")
	data = append(data, bytes.Repeat([]byte(" "), surveys.MaxDefinitionBytes-len(data))...)
	if _, err := surveys.ParseDefinition(data); err != nil {
		t.Errorf("ParseDefinition(%d bytes) = %v; want nil", len(data), err)
	}
}

func TestParseDefinitionRefusesBadInput(t *testing.T) {
	t.Parallel()
	// replace returns the minimal definition with one substring replaced.
	replace := func(old, new string) string {
		if !strings.Contains(minimalJSON, old) {
			panic("no " + old)
		}
		return strings.Replace(minimalJSON, old, new, 1)
	}
	tests := []struct {
		name       string
		input      string
		wantMsg    string
		wantFields map[string]string
	}{
		{"empty input", "", "The survey definition is empty or cut short.", nil},
		{"only spaces", "  \n ", "The survey definition is empty or cut short.", nil},
		{"cut short", minimalJSON[:40], "The survey definition is empty or cut short.", nil},
		{"unknown top-level field", replace(`"kind":"other"`, `"kind":"other","colour":"red"`),
			`The survey definition has a field Heard does not know: "colour".`, nil},
		{"misspelt field in a question", replace(`"type":"text"`, `"type":"text","requried":true`),
			`The survey definition has a field Heard does not know: "requried".`, nil},
		{"syntax error", `{"slug" "s"}`,
			`The survey definition is not valid JSON (at byte 9): invalid character '"' after object key.`, nil},
		{"trailing comma", replace(`"kind":"other"`, `"kind":"other",}`),
			"The survey definition is not valid JSON (at byte 43): invalid character '}' looking for beginning of object key string.", nil},
		{"edition as text", replace(`"edition":2026`, `"edition":"2026"`),
			"The survey definition has a value of the wrong kind.", map[string]string{"edition": "must be a whole number, not string"}},
		{"slug as number", replace(`"slug":"s"`, `"slug":5`),
			"The survey definition has a value of the wrong kind.", map[string]string{"slug": "must be text, not number"}},
		{"required as text", replace(`"type":"text"`, `"type":"text","required":"yes"`),
			"The survey definition has a value of the wrong kind.", map[string]string{"versions.questions.required": "must be true or false, not string"}},
		{"versions as object", replace(`"versions":[`, `"versions":{"x":[`) + "}",
			"The survey definition has a value of the wrong kind.", map[string]string{"versions": "must be a list, not object"}},
		{"title as text", replace(`"title":{"en":"T"}`, `"title":"T"`),
			"The survey definition has a value of the wrong kind.", map[string]string{"title": "must be an object, not string"}},
		{"an array", `[1, 2]`,
			"The survey definition has a value of the wrong kind.", map[string]string{"definition": "must be an object, not array"}},
		{"rule value of the wrong kind", replace(`"type":"text"`, `"type":"text","show_if":{"all":[{"question":"x","op":"eq","value":true}]}`),
			"A rule's value must be a choice key, a whole number, or a list of them.", nil},
		{"rule value mixing text and numbers", replace(`"type":"text"`, `"type":"text","show_if":{"all":[{"question":"x","op":"in","value":["a",1]}]}`),
			"A rule's value list mixes text and numbers.", nil},
		{"trailing object", minimalJSON + " {}",
			"The survey definition has more after its closing brace; it must be one JSON object.", nil},
		{"trailing garbage", minimalJSON + "x",
			"The survey definition has more after its closing brace; it must be one JSON object.", nil},
		{"larger than the limit", minimalJSON + strings.Repeat(" ", surveys.MaxDefinitionBytes+1-len(minimalJSON)),
			"The survey definition is 1048577 bytes; the most Heard accepts is 1048576.", nil},
		{"valid JSON, invalid definition", replace(`"edition":2026`, `"edition":1999`),
			"The survey definition has mistakes.", map[string]string{"edition": "must be a year from 2000 to 2100"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := surveys.ParseDefinition([]byte(tt.input))
			if d != nil {
				t.Errorf("ParseDefinition returned a definition with an error")
			}
			if code := surveys.ErrorCode(err); code != surveys.EINVALID {
				t.Fatalf("ErrorCode = %q (%v); want %q", code, err, surveys.EINVALID)
			}
			if msg := surveys.ErrorMessage(err); msg != tt.wantMsg {
				t.Errorf("message = %q\nwant      %q", msg, tt.wantMsg)
			}
			if got := surveys.ErrorFields(err); !maps.Equal(got, tt.wantFields) {
				t.Errorf("fields:\n%swant:\n%s", formatFields(got), formatFields(tt.wantFields))
			}
		})
	}
}

// equalDefinitions compares two definitions as JSON would: an empty list or
// text is the same as one left out.
func equalDefinitions(a, b *surveys.Definition) bool {
	return deepEqualJSON(a, b)
}

// manyLanguages returns a text in English and n-1 other languages.
func manyLanguages(n int) surveys.Text {
	t := surveys.Text{"en": "Survey"}
	for i := 0; len(t) < n; i++ {
		t[fmt.Sprintf("x%c", 'a'+i)] = "Survey"
	}
	return t
}

func numberedChoices(n int) []surveys.Choice {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("c%d", i)
	}
	return choices(keys...)
}

func answeredRules(question string, n int) []surveys.Rule {
	rules := make([]surveys.Rule, n)
	for i := range rules {
		rules[i] = surveys.Rule{Question: question, Op: surveys.OpAnswered}
	}
	return rules
}

func addTextQuestions(d *surveys.Definition, n int) {
	for i := range n {
		d.Versions[0].Questions = append(d.Versions[0].Questions,
			surveys.Question{Key: fmt.Sprintf("t%d", i), Type: surveys.FreeText, Text: en("Anything else?")})
	}
}

func addBreakdowns(d *surveys.Definition, n int) {
	for i := range n {
		d.Versions[0].Questions = append(d.Versions[0].Questions,
			surveys.Question{Key: fmt.Sprintf("b%d", i), Type: surveys.SingleChoice, Breakdown: true, Text: en("Which?"), Choices: choices("x", "y")})
	}
}

// addVersions adds n copies of the first version, keyed v0, v1...
func addVersions(d *surveys.Definition, n int) {
	for i := range n {
		v := d.Versions[0]
		v.Key = fmt.Sprintf("v%d", i)
		v.Questions = slices.Clone(v.Questions)
		for j := range v.Questions {
			if c := v.Questions[j].ShowIf; c != nil {
				v.Questions[j].ShowIf = &surveys.Condition{All: slices.Clone(c.All), Any: slices.Clone(c.Any)}
			}
		}
		d.Versions = append(d.Versions, v)
	}
}

func addSections(d *surveys.Definition, n int) {
	for i := range n {
		d.Sections = append(d.Sections, surveys.Section{Key: fmt.Sprintf("s%d", i), Title: en("Section")})
	}
}

// addQuestionIf adds a text question shown if the rule holds.
func addQuestionIf(d *surveys.Definition, r surveys.Rule) {
	d.Versions[0].Questions = append(d.Versions[0].Questions, surveys.Question{
		Key: "more", Type: surveys.FreeText, Text: en("Anything more?"),
		ShowIf: &surveys.Condition{All: []surveys.Rule{r}},
	})
}
