package surveys_test

import (
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
	"github.com/heard-app/heard/surveys/templates"
)

// The fixture's questions, by version:
//
//	versions[0] "8-11":  0 area, 1 feel_safe, 2 why_unsafe, 3 happy, 4 better
//	versions[1] "11-18": 0 area, 1 feel_safe, 2 why_unsafe, 3 happy, 4 talk_to,
//	                     5 talk_who, 6 better

// translatedFixture returns the fixture with every text also in Polish and
// Welsh, so that tests can change wording in several languages.
func translatedFixture(t *testing.T) *surveys.Definition {
	t.Helper()
	d := surveytest.Definition(t)
	eachText(d, func(tx surveys.Text) surveys.Text {
		if len(tx) == 0 {
			return tx
		}
		tx["pl"] = "PL: " + tx["en"]
		tx["cy"] = "CY: " + tx["en"]
		return tx
	})
	return d
}

// eachText replaces every Text in the value d points to with f of it, so
// that a Text field added later is covered without changing the test.
func eachText(d any, f func(surveys.Text) surveys.Text) {
	textType := reflect.TypeFor[surveys.Text]()
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		if v.Type() == textType {
			v.Set(reflect.ValueOf(f(v.Interface().(surveys.Text))))
			return
		}
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(d))
}

// vq returns question qi of version vi.
func vq(d *surveys.Definition, vi, qi int) *surveys.Question { return &d.Versions[vi].Questions[qi] }

// without returns s without its element i, in a new slice.
func without[T any](s []T, i int) []T { return slices.Delete(slices.Clone(s), i, i+1) }

func TestCheckWordingOnlyAcceptsWording(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		reword func(d *surveys.Definition)
	}{
		{"nothing changed", func(d *surveys.Definition) {}},
		{"title in English and Polish", func(d *surveys.Definition) {
			d.Title["en"], d.Title["pl"] = "How are you?", "Jak się masz?"
		}},
		{"description added", func(d *surveys.Definition) {
			d.Description = surveys.Text{"en": "Five minutes.", "pl": "Pięć minut."}
		}},
		{"section title in Welsh", func(d *surveys.Definition) { d.Sections[1].Title["cy"] = "Teimlo'n ddiogel" }},
		{"version label", func(d *surveys.Definition) { d.Versions[1].Label["en"] = "Young people aged 11 to 18" }},
		{"question text in three languages", func(d *surveys.Definition) {
			vq(d, 0, 1).Text = surveys.Text{"en": "Do you feel safe at home?", "pl": "Czy czujesz się bezpiecznie?", "cy": "Wyt ti'n teimlo'n ddiogel?"}
		}},
		{"help added", func(d *surveys.Definition) { vq(d, 1, 4).Help = surveys.Text{"en": "A carer, a teacher, anyone."} }},
		{"choice label", func(d *surveys.Definition) { vq(d, 0, 2).Choices[3].Label["en"] = "Out with friends" }},
		{"min_label and max_label", func(d *surveys.Definition) {
			vq(d, 0, 3).MinLabel["pl"] = "Wcale"
			vq(d, 1, 3).MaxLabel["en"] = "Really happy"
		}},
		{"translation added", func(d *surveys.Definition) {
			vq(d, 1, 6).Text["ar"] = "ما الذي سيجعل الأمور أفضل؟"
		}},
		{"translation removed", func(d *surveys.Definition) {
			delete(vq(d, 0, 0).Choices[1].Label, "pl")
			delete(d.Title, "cy")
		}},
		{"every text in every language", func(d *surveys.Definition) {
			eachText(d, func(tx surveys.Text) surveys.Text {
				out := surveys.Text{"ar": "!"}
				for lang, s := range tx {
					if lang != "cy" {
						out[lang] = s + " (reworded)"
					}
				}
				return out
			})
		}},
		{"show_if written again the same", func(d *surveys.Definition) {
			vq(d, 0, 2).ShowIf = &surveys.Condition{Any: []surveys.Rule{}, All: []surveys.Rule{
				{Question: "feel_safe", Op: surveys.OpIn, Value: surveys.Value{Strings: []string{"sometimes", "never"}, Ints: []int{}, List: true, Set: true}},
			}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			before, after := translatedFixture(t), translatedFixture(t)
			tt.reword(after)
			if err := surveys.CheckWordingOnly(before, after); err != nil {
				t.Errorf("CheckWordingOnly = %v %v; want nil", err, surveys.ErrorFields(err))
			}
		})
	}
}

func TestCheckWordingOnlyRefusesMeaning(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(d *surveys.Definition)
		want   map[string]string // field path -> a fragment of its message
	}{
		// The definition.
		{"slug", func(d *surveys.Definition) { d.Slug = "wellbeing-2026" },
			map[string]string{"slug": "was test-wellbeing; the slug cannot change"}},
		{"edition", func(d *surveys.Definition) { d.Edition = 2027 },
			map[string]string{"edition": "was 2026; the edition cannot change"}},
		{"kind", func(d *surveys.Definition) { d.Kind = surveys.KindOther },
			map[string]string{"kind": "was annual; the kind cannot change"}},
		{"require_code", func(d *surveys.Definition) { d.RequireCode = true },
			map[string]string{"require_code": "was false; whether a code is required cannot change"}},
		{"previous", func(d *surveys.Definition) { d.Previous = "test-wellbeing-2025" },
			map[string]string{"previous": "was not set; the edition it follows cannot change"}},

		// Sections.
		{"section added", func(d *surveys.Definition) {
			d.Sections = append(d.Sections, surveys.Section{Key: "school", Title: en("School")})
		}, map[string]string{"sections[3]": `"school" is a new section; sections cannot be added`}},
		{"section removed", func(d *surveys.Definition) { d.Sections = without(d.Sections, 2) },
			map[string]string{"sections": `section was removed ("words"); sections cannot be removed`}},
		{"section key", func(d *surveys.Definition) { d.Sections[0].Key = "about_you" },
			map[string]string{"sections[0].key": `was "about"; a section's key cannot change`}},
		{"sections reordered", func(d *surveys.Definition) { d.Sections[0], d.Sections[1] = d.Sections[1], d.Sections[0] },
			map[string]string{"sections": "the sections are in a different order"}},

		// Versions.
		{"version added", func(d *surveys.Definition) {
			v := d.Versions[0]
			v.Key, v.AgeMin, v.AgeMax = "4-7", intp(4), intp(7)
			d.Versions = append(d.Versions, v)
		}, map[string]string{"versions[2]": `"4-7" is a new version; versions cannot be added`}},
		{"version removed", func(d *surveys.Definition) { d.Versions = without(d.Versions, 0) },
			map[string]string{"versions": `version was removed ("8-11")`}},
		{"version key", func(d *surveys.Definition) { d.Versions[1].Key = "12-18" },
			map[string]string{"versions[1].key": `was "11-18"; a version's key cannot change`}},
		{"age_min", func(d *surveys.Definition) { d.Versions[0].AgeMin = intp(7) },
			map[string]string{"versions[0].age_min": "was 8; the youngest age cannot change"}},
		{"age_max removed", func(d *surveys.Definition) { d.Versions[1].AgeMax = nil },
			map[string]string{"versions[1].age_max": "was 18; the oldest age cannot change"}},

		// Questions.
		{"type", func(d *surveys.Definition) { vq(d, 1, 1).Type = surveys.SingleChoice },
			map[string]string{"versions[1].questions[1].type": "was scale; the type cannot change once the survey has been open"}},
		{"question key", func(d *surveys.Definition) { vq(d, 0, 4).Key = "make_better" },
			map[string]string{"versions[0].questions[4].key": `was "better"; a question's key cannot change`}},
		{"question added", func(d *surveys.Definition) {
			v := &d.Versions[0]
			v.Questions = slices.Insert(v.Questions, 2, surveys.Question{Key: "pets", Type: surveys.FreeText, Text: en("Pets?")})
		}, map[string]string{"versions[0].questions[2]": `"pets" is a new question; questions cannot be added`}},
		{"question removed", func(d *surveys.Definition) { d.Versions[1].Questions = without(d.Versions[1].Questions, 2) },
			map[string]string{"versions[1].questions": `question was removed ("why_unsafe"); questions cannot be removed`}},
		{"two questions removed", func(d *surveys.Definition) {
			d.Versions[1].Questions = without(without(d.Versions[1].Questions, 5), 4)
		}, map[string]string{"versions[1].questions": `questions were removed ("talk_to", "talk_who")`}},
		{"questions reordered", func(d *surveys.Definition) {
			qs := d.Versions[0].Questions
			qs[3], qs[4] = qs[4], qs[3]
		}, map[string]string{"versions[0].questions": "the questions are in a different order; their order cannot change once the survey has been open, because reports and show_if conditions follow it"}},
		{"question removed and others reordered", func(d *surveys.Definition) {
			qs := without(d.Versions[0].Questions, 2)
			qs[0], qs[1] = qs[1], qs[0]
			d.Versions[0].Questions = qs
		}, map[string]string{"versions[0].questions": `question was removed ("why_unsafe"); questions cannot be removed once the survey has been open; the questions are in a different order`}},
		{"section of a question", func(d *surveys.Definition) { vq(d, 0, 3).Section = "safety" },
			map[string]string{"versions[0].questions[3].section": "was about; the section cannot change"}},
		{"required", func(d *surveys.Definition) { vq(d, 1, 4).Required = false },
			map[string]string{"versions[1].questions[4].required": "was true; whether an answer is required cannot change"}},
		{"breakdown", func(d *surveys.Definition) { vq(d, 0, 0).Breakdown = false },
			map[string]string{"versions[0].questions[0].breakdown": "was true; whether it is a breakdown cannot change"}},
		{"max_choices", func(d *surveys.Definition) { vq(d, 0, 2).MaxChoices = 0 },
			map[string]string{"versions[0].questions[2].max_choices": "was 2; the most choices an answer may have cannot change"}},
		{"min", func(d *surveys.Definition) { vq(d, 1, 3).Min = intp(1) },
			map[string]string{"versions[1].questions[3].min": "was 0; the lowest rating cannot change"}},
		{"max", func(d *surveys.Definition) { vq(d, 1, 3).Max = intp(5) },
			map[string]string{"versions[1].questions[3].max": "was 10; the highest rating cannot change"}},
		{"max_length", func(d *surveys.Definition) { vq(d, 0, 4).MaxLength = 500 },
			map[string]string{"versions[0].questions[4].max_length": "was 200; the longest answer cannot change"}},
		{"max_length unset", func(d *surveys.Definition) { vq(d, 1, 5).MaxLength = 0 },
			map[string]string{"versions[1].questions[5].max_length": "was 200"}},
		{"show_if value", func(d *surveys.Definition) { vq(d, 0, 2).ShowIf.All[0].Value = strs("never") },
			map[string]string{"versions[0].questions[2].show_if": `was {"all":[{"question":"feel_safe","op":"in","value":["sometimes","never"]}]}; when the question is shown cannot change`}},
		{"show_if all becomes any", func(d *surveys.Definition) {
			c := vq(d, 0, 2).ShowIf
			c.Any, c.All = c.All, nil
		}, map[string]string{"versions[0].questions[2].show_if": `was {"all":`}},
		{"show_if removed", func(d *surveys.Definition) { vq(d, 1, 5).ShowIf = nil },
			map[string]string{"versions[1].questions[5].show_if": `was {"any":[{"question":"talk_to","op":"eq","value":"yes"}]}`}},
		{"show_if added", func(d *surveys.Definition) {
			vq(d, 0, 4).ShowIf = &surveys.Condition{All: []surveys.Rule{{Question: "happy", Op: surveys.OpLte, Value: num(3)}}}
		}, map[string]string{"versions[0].questions[4].show_if": "was not set; when the question is shown cannot change"}},

		// Choices.
		{"choice key", func(d *surveys.Definition) { vq(d, 0, 1).Choices[2].Key = "not_ever" },
			map[string]string{"versions[0].questions[1].choices[2].key": `was "never"; a choice's key cannot change`}},
		{"choice added", func(d *surveys.Definition) {
			vq(d, 0, 0).Choices = append(vq(d, 0, 0).Choices, surveys.Choice{Key: "outside", Label: en("Outside the borough")})
		}, map[string]string{"versions[0].questions[0].choices[3]": `"outside" is a new choice; choices cannot be added`}},
		{"choice removed", func(d *surveys.Definition) { vq(d, 0, 2).Choices = without(vq(d, 0, 2).Choices, 3) },
			map[string]string{"versions[0].questions[2].choices": `choice was removed ("out"); choices cannot be removed`}},
		{"choices reordered", func(d *surveys.Definition) {
			cs := vq(d, 1, 1).Choices
			cs[0], cs[2] = cs[2], cs[0]
		}, map[string]string{"versions[1].questions[1].choices": "the choices are in a different order; their order cannot change once the survey has been open, because reports and scales follow it"}},
		{"favourable", func(d *surveys.Definition) { vq(d, 0, 1).Choices[0].Favourable = false },
			map[string]string{"versions[0].questions[1].choices[0].favourable": "was true; whether the choice is favourable cannot change"}},

		// Several at once, wording among them.
		{"several changes", func(d *surveys.Definition) {
			d.Slug = "changed"
			d.Title["en"] = "New title"
			vq(d, 0, 1).Type = surveys.SingleChoice
			vq(d, 0, 1).Text["pl"] = "Nowy tekst"
			vq(d, 0, 0).Choices = append(vq(d, 0, 0).Choices, surveys.Choice{Key: "outside", Label: en("Outside")})
			d.Versions[1].Questions = without(d.Versions[1].Questions, 6)
			vq(d, 1, 4).Choices[1].Favourable = true
		}, map[string]string{
			"slug":                                           "was test-wellbeing",
			"versions[0].questions[1].type":                  "was scale",
			"versions[0].questions[0].choices[3]":            `"outside" is a new choice`,
			"versions[1].questions":                          `question was removed ("better")`,
			"versions[1].questions[4].choices[1].favourable": "was false",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			before, after := translatedFixture(t), translatedFixture(t)
			tt.change(after)
			err := surveys.CheckWordingOnly(before, after)
			if code := surveys.ErrorCode(err); code != surveys.EINVALID {
				t.Fatalf("error code = %q (%v); want %q", code, err, surveys.EINVALID)
			}
			got := surveys.ErrorFields(err)
			if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(tt.want))) {
				t.Fatalf("fields:\n%s\nwant places:\n%s", formatFields(got), formatFields(tt.want))
			}
			for path, fragment := range tt.want {
				if !strings.Contains(got[path], fragment) {
					t.Errorf("%s: %q does not contain %q", path, got[path], fragment)
				}
			}
		})
	}
}

func TestCheckWordingOnlyError(t *testing.T) {
	t.Parallel()
	before, after := surveytest.Definition(t), surveytest.Definition(t)
	vq(after, 1, 1).Type = surveys.SingleChoice
	err := surveys.CheckWordingOnly(before, after)
	if got, want := surveys.ErrorMessage(err), "A survey that has been open can change only its wording, so that answers already given keep their meaning."; got != want {
		t.Errorf("message = %q; want %q", got, want)
	}
	assertFields(t, err, map[string]string{
		"versions[1].questions[1].type": "was scale; the type cannot change once the survey has been open",
	})
}

// TestCheckWordingOnlyKnowsEveryField fails when a field is added to a
// definition's types, so that whoever adds it decides whether it is wording
// (a Text, which may change) or meaning (which CheckWordingOnly must
// compare, and NewEdition must copy).
func TestCheckWordingOnlyKnowsEveryField(t *testing.T) {
	t.Parallel()
	known := map[reflect.Type][]string{
		reflect.TypeFor[surveys.Definition](): {"Slug", "Edition", "Kind", "Title", "Description", "Sections", "RequireCode", "Previous", "Versions"},
		reflect.TypeFor[surveys.Section]():    {"Key", "Title"},
		reflect.TypeFor[surveys.Version]():    {"Key", "Label", "AgeMin", "AgeMax", "Questions"},
		reflect.TypeFor[surveys.Question](): {"Key", "Type", "Text", "Help", "Section", "Required", "Breakdown", "Choices",
			"MaxChoices", "Min", "Max", "MinLabel", "MaxLabel", "MaxLength", "ShowIf"},
		reflect.TypeFor[surveys.Choice]():    {"Key", "Label", "Favourable"},
		reflect.TypeFor[surveys.Condition](): {"All", "Any"},
		reflect.TypeFor[surveys.Rule]():      {"Question", "Op", "Value"},
		reflect.TypeFor[surveys.Value]():     {"Strings", "Ints", "List", "Set"},
	}
	for typ, want := range known {
		var got []string
		for f := range typ.Fields() {
			got = append(got, f.Name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s has fields %v; CheckWordingOnly and NewEdition know %v: decide whether each new field is wording or meaning, compare or copy it, and update this list",
				typ.Name(), got, want)
		}
	}
}

func TestValidatePrevious(t *testing.T) {
	t.Parallel()
	tests := []struct {
		previous string
		want     map[string]string
	}{
		{"", nil},
		{"test-wellbeing-2025", nil},
		{"Test 2025", map[string]string{"previous": `"Test 2025" may use only lower-case letters, digits, "_" and "-"`}},
		{strings.Repeat("a", surveys.MaxKeyLength+1), map[string]string{"previous": "is longer than 64 characters"}},
		{surveytest.Slug, map[string]string{"previous": "is this survey's own slug; it must name the edition this one follows"}},
	}
	for _, tt := range tests {
		t.Run(tt.previous, func(t *testing.T) {
			t.Parallel()
			d := surveytest.Definition(t)
			d.Previous = tt.previous
			err := d.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate = %v %v; want nil", err, surveys.ErrorFields(err))
				}
				return
			}
			assertFields(t, err, tt.want)
		})
	}
}

func TestNewEdition(t *testing.T) {
	t.Parallel()
	defs := map[string]*surveys.Definition{surveytest.Slug: surveytest.Definition(t)}
	all, err := templates.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range all {
		defs[d.Slug] = d
	}
	for slug, prev := range defs {
		t.Run(slug, func(t *testing.T) {
			t.Parallel()
			edition := prev.Edition + 1
			newSlug := surveys.SuggestEditionSlug(prev.Slug, prev.Edition, edition)
			next, err := surveys.NewEdition(prev, newSlug, edition)
			if err != nil {
				t.Fatalf("NewEdition: %v %v", err, surveys.ErrorFields(err))
			}
			if next.Slug != newSlug || next.Edition != edition || next.Previous != prev.Slug {
				t.Errorf("slug, edition, previous = %q, %d, %q; want %q, %d, %q",
					next.Slug, next.Edition, next.Previous, newSlug, edition, prev.Slug)
			}
			// Only the slug, the edition and previous differ: every key,
			// in order, and all wording are as they were.
			assertFields(t, surveys.CheckWordingOnly(prev, next), map[string]string{
				"slug":     "was " + prev.Slug + "; the slug cannot change once the survey has been open",
				"edition":  "was " + strconv.Itoa(prev.Edition) + "; the edition cannot change once the survey has been open",
				"previous": "was not set; the edition it follows cannot change once the survey has been open",
			})
			next.Slug, next.Edition, next.Previous = prev.Slug, prev.Edition, prev.Previous
			if !reflect.DeepEqual(next, prev) {
				t.Error("apart from slug, edition and previous, the new edition differs from the one it follows")
			}
		})
	}
}

func TestNewEditionSharesNothing(t *testing.T) {
	t.Parallel()
	prev := translatedFixture(t)
	vq(prev, 0, 0).Help = surveys.Text{"en": "Pick one."}
	next, err := surveys.NewEdition(prev, "test-wellbeing-2027", 2027)
	if err != nil {
		t.Fatalf("NewEdition: %v %v", err, surveys.ErrorFields(err))
	}
	assertNothingShared(t, reflect.ValueOf(prev), reflect.ValueOf(next), "definition")

	// Change everything that could be shared in the copy; prev must not see it.
	want := translatedFixture(t)
	vq(want, 0, 0).Help = surveys.Text{"en": "Pick one."}
	eachText(next, func(tx surveys.Text) surveys.Text {
		for lang := range tx {
			tx[lang] = "changed"
		}
		return tx
	})
	for vi := range next.Versions {
		v := &next.Versions[vi]
		*v.AgeMin, *v.AgeMax = 1, 2
		for qi := range v.Questions {
			qq := &v.Questions[qi]
			if qq.Min != nil {
				*qq.Min, *qq.Max = 5, 6
			}
			for ci := range qq.Choices {
				qq.Choices[ci].Key = "changed"
			}
			if qq.ShowIf != nil {
				for _, r := range slices.Concat(qq.ShowIf.All, qq.ShowIf.Any) {
					for i := range r.Value.Strings {
						r.Value.Strings[i] = "changed"
					}
				}
				qq.ShowIf.All = append(qq.ShowIf.All[:0], surveys.Rule{Question: "changed"})
			}
		}
	}
	next.Sections[0].Key = "changed"
	if !reflect.DeepEqual(prev, want) {
		t.Error("changing the new edition changed the edition it was made from")
	}
}

// assertNothingShared fails if a and b, values of the same type, hold the
// same slice array, map or pointer anywhere.
func assertNothingShared(t *testing.T, a, b reflect.Value, path string) {
	t.Helper()
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return
		}
		if a.Pointer() == b.Pointer() {
			t.Errorf("%s: both point to the same value", path)
		}
		assertNothingShared(t, a.Elem(), b.Elem(), path)
	case reflect.Map:
		if !a.IsNil() && !b.IsNil() && a.Pointer() == b.Pointer() {
			t.Errorf("%s: both hold the same map", path)
		}
	case reflect.Slice:
		if a.Cap() > 0 && b.Cap() > 0 && a.Pointer() == b.Pointer() {
			t.Errorf("%s: both hold the same array", path)
		}
		for i := range min(a.Len(), b.Len()) {
			assertNothingShared(t, a.Index(i), b.Index(i), path+"["+strconv.Itoa(i)+"]")
		}
	case reflect.Struct:
		for i := range a.NumField() {
			assertNothingShared(t, a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)
		}
	}
}

func TestNewEditionRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		slug    string
		edition int
		want    map[string]string
	}{
		{"same edition", "test-wellbeing-2027", 2026,
			map[string]string{"edition": "must be later than 2026, the edition it follows"}},
		{"earlier edition", "test-wellbeing-2025", 2025,
			map[string]string{"edition": "must be later than 2026, the edition it follows"}},
		{"same slug", surveytest.Slug, 2027,
			map[string]string{"slug": `must differ from "test-wellbeing", the slug of the edition it follows`}},
		{"same slug and edition", surveytest.Slug, 2026, map[string]string{
			"slug":    `must differ from "test-wellbeing", the slug of the edition it follows`,
			"edition": "must be later than 2026, the edition it follows",
		}},
		{"slug not a key", "Wellbeing 2027", 2027,
			map[string]string{"slug": `"Wellbeing 2027" may use only lower-case letters, digits, "_" and "-"`}},
		{"slug missing", "", 2027, map[string]string{"slug": "is missing"}},
		{"edition too late", "test-wellbeing-2101", 2101,
			map[string]string{"edition": "must be a year from 2000 to 2100"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			prev := surveytest.Definition(t)
			next, err := surveys.NewEdition(prev, tt.slug, tt.edition)
			if next != nil {
				t.Errorf("NewEdition returned a definition with its error")
			}
			assertFields(t, err, tt.want)
			if got := surveys.ErrorMessage(err); got != "The new edition has mistakes." {
				t.Errorf("message = %q", got)
			}
		})
	}
}

func TestSuggestEditionSlug(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", surveys.MaxKeyLength)
	tests := []struct {
		prev     string
		from, to int
		want     string
	}{
		{"cared-for-2025", 2025, 2026, "cared-for-2026"},
		{"cared-for-2026", 2026, 2030, "cared-for-2030"},
		{"cared_for_2025", 2025, 2026, "cared_for_2026"},
		{"2025-school-council", 2025, 2026, "2026-school-council"},
		{"survey-2025-wave-2", 2025, 2026, "survey-2026-wave-2"},
		{"pilot-2025-survey-2025", 2025, 2026, "pilot-2025-survey-2026"},
		{"test-wellbeing", 2026, 2027, "test-wellbeing-2027"},
		{"cared-for-2024", 2025, 2026, "cared-for-2024-2026"},
		{"survey-20250", 2025, 2026, "survey-20250-2026"},
		{"survey-12025", 2025, 2026, "survey-12025-2026"},
		{long, 2025, 2026, long[:surveys.MaxKeyLength-5] + "-2026"},
		{long[:59] + "-2025", 2025, 2026, long[:59] + "-2026"},
		{strings.Repeat("a", 58) + "-bbbbb", 2025, 2026, strings.Repeat("a", 58) + "-2026"},
		{"x-999", 999, 1000, "x-1000"},
		{long[:60] + "-999", 999, 1000, long[:59] + "-1000"},
	}
	key := regexp.MustCompile(`^[a-z0-9_-]+$`)
	for _, tt := range tests {
		t.Run(tt.prev, func(t *testing.T) {
			t.Parallel()
			got := surveys.SuggestEditionSlug(tt.prev, tt.from, tt.to)
			if got != tt.want {
				t.Errorf("SuggestEditionSlug(%q, %d, %d) = %q; want %q", tt.prev, tt.from, tt.to, got, tt.want)
			}
			if len(got) > surveys.MaxKeyLength || !key.MatchString(got) {
				t.Errorf("%q is not a valid key", got)
			}
		})
	}
}
