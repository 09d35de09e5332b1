package staff

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
	"github.com/heard-app/heard/surveys/templates"
)

// editFixture is the shared test survey with every kind of field the
// editor shows: help, a description, Polish, and a condition only JSON can
// say.
func editFixture(t testing.TB) *surveys.Definition {
	t.Helper()
	d := surveytest.Definition(t)
	d.Description = surveys.Text{"en": "A short survey.", "pl": "Krótka ankieta."}
	d.Title["pl"] = "Jak leci?"
	v := &d.Versions[1]
	v.Questions[1].Help = surveys.Text{"en": "At home, at school, anywhere.", "ar": "في المنزل"}
	v.Questions[1].Choices[0].Label["pl"] = "Zawsze"
	v.Questions[5].ShowIf = &surveys.Condition{Any: []surveys.Rule{
		{Question: "talk_to", Op: surveys.OpEq, Value: surveys.Value{Set: true, Strings: []string{"yes"}}},
		{Question: "happy", Op: surveys.OpGte, Value: surveys.Value{Set: true, Ints: []int{5}}},
	}}
	if err := d.Validate(); err != nil {
		t.Fatalf("fixture: %v %v", err, surveys.ErrorFields(err))
	}
	return d
}

func editSurvey(d *surveys.Definition, status surveys.Status) *surveys.Survey {
	return &surveys.Survey{Definition: *d, Status: status, Revision: 3}
}

// editViewValues sends the editor's form as a browser would, from the view
// the template renders: every input, ticked box and chosen option.
func editViewValues(v *editView) url.Values {
	form := url.Values{"revision": {"3"}, "action": {"save"}}
	for _, l := range v.Langs {
		form.Add("langs", l.Code)
	}
	seen := map[*editField]bool{}
	for _, f := range v.byPath {
		if seen[f] {
			continue
		}
		seen[f] = true
		switch f.Kind {
		case "text", "textarea", "number", "select":
			form.Set(f.Name, f.Value)
		case "checkbox":
			if f.Checked {
				form.Set(f.Name, "on")
			}
		}
	}
	for _, ver := range v.Versions {
		for _, q := range ver.Questions {
			form.Set(q.Prefix+".origin", q.Origin)
			if q.ShowIf != nil {
				form.Set(q.ShowIf.Name, q.ShowIf.Mode)
			}
			if q.Choices != nil {
				for _, c := range q.Choices.Items {
					form.Set(c.Prefix+".origin", c.Origin)
				}
			}
		}
	}
	return form
}

// editValues returns the form the editor shows for d.
func editValues(t testing.TB, d *surveys.Definition, status surveys.Status) url.Values {
	t.Helper()
	f, err := NewEditForm(d)
	if err != nil {
		t.Fatal(err)
	}
	return editViewValues(buildEditView(editSurvey(d, status), f, f.Langs))
}

func editParse(t *testing.T, d *surveys.Definition, form url.Values, structure bool) *EditForm {
	t.Helper()
	f, err := ParseEditForm(d, form, structure)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return f
}

func editJSON(t testing.TB, d *surveys.Definition) string {
	t.Helper()
	b, err := json.MarshalIndent(d, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The form of an unchanged survey reads back as the same survey, for a
// draft (every control) and an open survey (wording only).
func TestEditFormRoundTrip(t *testing.T) {
	for _, status := range []surveys.Status{surveys.StatusDraft, surveys.StatusOpen} {
		t.Run(string(status), func(t *testing.T) {
			d := editFixture(t)
			form := editValues(t, d, status)
			f := editParse(t, d, form, status == surveys.StatusDraft)
			if got, want := editJSON(t, f.Def), editJSON(t, d); got != want {
				t.Errorf("round trip changed the survey:\n%s\nwant\n%s", got, want)
			}
			if len(f.Problems()) != 0 {
				t.Errorf("problems: %v", f.Problems())
			}
			if want := []string{"en", "ar", "pl"}; !slices.Equal(f.Langs, want) {
				t.Errorf("languages %v, want %v", f.Langs, want)
			}
			// The parse shares nothing with the stored survey.
			f.Def.Versions[0].Questions[0].Text["en"] = "changed"
			f.Def.Versions[0].Questions[0].Choices[0].Label["en"] = "changed"
			if d.Versions[0].Questions[0].Text["en"] == "changed" || d.Versions[0].Questions[0].Choices[0].Label["en"] == "changed" {
				t.Error("the parsed form shares maps with the stored survey")
			}
		})
	}
}

// Each kind of field reads back into its place in the definition.
func TestParseEditFormFields(t *testing.T) {
	q := func(vi, qi int, rest string) string { return fmt.Sprintf("versions.%d.questions.%d.%s", vi, qi, rest) }
	cases := []struct {
		name  string
		set   map[string]string
		del   []string
		check func(*surveys.Definition) string
	}{
		{"texts in two languages, blank removes, CRLF", map[string]string{
			"title.en": "  New title ", "title.pl": "", "description.ar": "وصف",
			q(0, 1, "text.en"): "Line one\r\nline two", q(0, 1, "help.pl"): "Pomoc",
			"sections.1.title.en": "Safety", "versions.1.label.en": "Teenagers",
			q(0, 0, "choices.1.label.pl"): "Środek", q(0, 3, "min_label.en"): "Sad", q(0, 3, "max_label.cy"): "Hapus",
		}, nil, func(d *surveys.Definition) string {
			v := d.Versions[0]
			return fmt.Sprintf("%q %v %q %q %q %q %q %q %q %q", d.Title["en"], d.Title["pl"] == "", d.Description["ar"], v.Questions[1].Text["en"],
				v.Questions[1].Help["pl"], d.Sections[1].Title["en"], d.Versions[1].Label["en"], v.Questions[0].Choices[1].Label["pl"],
				v.Questions[3].MinLabel["en"], v.Questions[3].MaxLabel["cy"])
		}},
		{"keys, type, section, ticks", map[string]string{
			q(0, 0, "key"): " where ", q(0, 0, "choices.0.key"): "n", q(0, 0, "section"): "safety",
			q(0, 1, "required"): "on", q(0, 1, "choices.1.favourable"): "on",
		}, []string{q(0, 0, "breakdown"), q(0, 1, "choices.0.favourable")}, func(d *surveys.Definition) string {
			v := d.Versions[0]
			return fmt.Sprintf("%s %s %s %v %v %v %v", v.Questions[0].Key, v.Questions[0].Choices[0].Key, v.Questions[0].Section,
				v.Questions[0].Breakdown, v.Questions[1].Required, v.Questions[1].Choices[0].Favourable, v.Questions[1].Choices[1].Favourable)
		}},
		{"numbers", map[string]string{q(0, 3, "min"): "1", q(0, 3, "max"): " 5 ", q(0, 4, "max_length"): "", q(0, 2, "max_choices"): "3"}, nil,
			func(d *surveys.Definition) string {
				v := d.Versions[0]
				lo, hi := v.Questions[3].RatingRange()
				return fmt.Sprintf("%d %d %d %d", lo, hi, v.Questions[4].MaxLength, v.Questions[2].MaxChoices)
			}},
		{"a new type keeps only its own fields", map[string]string{q(0, 0, "type"): "text", q(0, 3, "type"): "scale", q(0, 4, "type"): "rating"}, nil,
			func(d *surveys.Definition) string {
				v := d.Versions[0]
				return fmt.Sprintf("%d %v %d %v %d %v %v", len(v.Questions[0].Choices), v.Questions[0].Breakdown, len(v.Questions[3].Choices),
					v.Questions[3].Min == nil && v.Questions[3].MinLabel == nil, v.Questions[4].MaxLength, v.Questions[4].Min == nil, v.Questions[3].Choices[0].Key == "")
			}},
		{"remove a question and a choice", map[string]string{q(0, 1, "remove"): "on", q(0, 0, "choices.1.remove"): "on"}, nil,
			func(d *surveys.Definition) string {
				v := d.Versions[0]
				var keys []string
				for _, x := range v.Questions {
					keys = append(keys, x.Key)
				}
				return fmt.Sprintf("%v %s,%s", keys, v.Questions[0].Choices[0].Key, v.Questions[0].Choices[1].Key)
			}},
		{"conditions: always, one rule, a rating's number, JSON", map[string]string{
			q(0, 2, "show_if.mode"): "none",
			q(0, 3, "show_if.mode"): "simple", q(0, 3, "show_if.question"): "feel_safe", q(0, 3, "show_if.op"): "in", q(0, 3, "show_if.value"): "sometimes, never,",
			q(0, 4, "show_if.mode"): "simple", q(0, 4, "show_if.question"): "happy", q(0, 4, "show_if.op"): "lte", q(0, 4, "show_if.value"): "4",
			q(1, 5, "show_if.mode"): "json", q(1, 5, "show_if.json"): `{"all": [{"question": "talk_to", "op": "answered"}]}`,
		}, nil, func(d *surveys.Definition) string {
			return fmt.Sprintf("%v %s %s %s", d.Versions[0].Questions[2].ShowIf == nil, conditionJSONLine(d.Versions[0].Questions[3].ShowIf),
				conditionJSONLine(d.Versions[0].Questions[4].ShowIf), conditionJSONLine(d.Versions[1].Questions[5].ShowIf))
		}},
		{"a one-rule \"any\" stays \"any\"", map[string]string{
			q(1, 5, "show_if.mode"): "simple", q(1, 5, "show_if.question"): "talk_to", q(1, 5, "show_if.op"): "neq", q(1, 5, "show_if.value"): "no",
		}, nil, func(d *surveys.Definition) string { return conditionJSONLine(d.Versions[1].Questions[5].ShowIf) }},
	}
	want := []string{
		`"New title" true "وصف" "Line one\nline two" "Pomoc" "Safety" "Teenagers" "Środek" "Sad" "Hapus"`,
		`where n safety false true false true`,
		`1 5 0 3`,
		`0 false 2 true 0 true true`,
		`[area why_unsafe happy better] north,south`,
		`true {"all":[{"question":"feel_safe","op":"in","value":["sometimes","never"]}]} {"all":[{"question":"happy","op":"lte","value":4}]} {"all":[{"question":"talk_to","op":"answered"}]}`,
		`{"any":[{"question":"talk_to","op":"neq","value":"no"}]}`,
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := surveytest.Definition(t)
			d.Versions[1].Questions[5].ShowIf = &surveys.Condition{Any: []surveys.Rule{{Question: "talk_to", Op: surveys.OpEq, Value: surveys.Value{Set: true, Strings: []string{"yes"}}}}}
			form := editValues(t, d, surveys.StatusDraft)
			for k, v := range tc.set {
				form.Set(k, v)
			}
			for _, k := range tc.del {
				form.Del(k)
			}
			f := editParse(t, d, form, true)
			if p := f.Problems(); len(p) > 0 {
				t.Fatalf("problems: %v", p)
			}
			if got := tc.check(f.Def); got != want[i] {
				t.Errorf("got  %s\nwant %s", got, want[i])
			}
		})
	}
}

func conditionJSONLine(c *surveys.Condition) string {
	if c == nil {
		return "none"
	}
	b, _ := json.Marshal(c)
	return string(b)
}

// Values that cannot be read are kept as typed, with a message at their
// path; the rest of the form is read.
func TestParseEditFormUnreadableValues(t *testing.T) {
	d := surveytest.Definition(t)
	form := editValues(t, d, surveys.StatusDraft)
	form.Set("versions.0.questions.3.min", "one")
	form.Set("versions.0.questions.4.max_length", "99999999999999")
	form.Set("versions.0.questions.2.show_if.mode", "json")
	form.Set("versions.0.questions.2.show_if.json", `{"all": [`)
	form.Set("versions.0.questions.1.show_if.mode", "simple")
	form.Set("versions.0.questions.1.show_if.question", "area")
	form.Set("versions.0.questions.1.show_if.op", "eq")
	form.Set("versions.0.questions.1.show_if.value", " ")
	form.Set("versions.1.questions.6.show_if.mode", "simple")
	form.Set("versions.1.questions.6.show_if.question", "happy")
	form.Set("versions.1.questions.6.show_if.op", "gte")
	form.Set("versions.1.questions.6.show_if.value", "five")
	form.Set("versions.1.questions.5.show_if.mode", "sometimes")
	form.Set("title.en", "Still read")
	f := editParse(t, d, form, true)
	got := f.Problems()
	for _, path := range []string{
		"versions.0.questions.3.min", "versions.0.questions.4.max_length", "versions.0.questions.2.show_if.json",
		"versions.0.questions.1.show_if.value", "versions.1.questions.6.show_if.value", "versions.1.questions.5.show_if",
	} {
		if got[path] == "" {
			t.Errorf("no problem at %s; problems %v", path, got)
		}
	}
	if len(got) != 6 {
		t.Errorf("%d problems, want 6: %v", len(got), got)
	}
	if f.Versions[0].Questions[3].Raw["min"] != "one" || f.Def.Title["en"] != "Still read" {
		t.Errorf("raw %q, title %q", f.Versions[0].Questions[3].Raw["min"], f.Def.Title["en"])
	}
	// The typed values come back in the form.
	again := editViewValues(buildEditView(editSurvey(d, surveys.StatusDraft), f, f.Langs))
	if again.Get("versions.0.questions.3.min") != "one" || again.Get("versions.0.questions.2.show_if.json") != `{"all": [` ||
		again.Get("versions.1.questions.6.show_if.value") != "five" {
		t.Errorf("typed values lost: %q %q %q", again.Get("versions.0.questions.3.min"), again.Get("versions.0.questions.2.show_if.json"),
			again.Get("versions.1.questions.6.show_if.value"))
	}
}

// Fields a form does not show come from the stored question each posted
// question names as its origin, wherever it now is.
func TestParseEditFormFollowsOrigins(t *testing.T) {
	d := surveytest.Definition(t)
	form := url.Values{
		// The open survey's form, with questions 4 and 5 of 11-18 swapped:
		// talk_to (required) is now at 5.
		"versions.1.questions.0.origin": {"0"}, "versions.1.questions.1.origin": {"1"}, "versions.1.questions.2.origin": {"2"},
		"versions.1.questions.3.origin": {"3"}, "versions.1.questions.4.origin": {"5"}, "versions.1.questions.5.origin": {"4"},
		"versions.1.questions.6.origin": {"6"}, "versions.1.questions.5.text.en": {"Is there an adult you trust?"},
		"versions.1.questions.5.choices.0.origin": {"1"}, "versions.1.questions.5.choices.1.origin": {"0"},
		"versions.1.questions.5.choices.1.label.en": {"Yes!"},
	}
	f := editParse(t, d, form, false)
	qs := f.Def.Versions[1].Questions
	if qs[5].Key != "talk_to" || !qs[5].Required || qs[5].Text["en"] != "Is there an adult you trust?" || qs[4].Key != "talk_who" || qs[4].ShowIf == nil {
		t.Errorf("questions did not follow their origins: %+v / %+v", qs[4], qs[5])
	}
	if c := qs[5].Choices; c[0].Key != "no" || c[1].Key != "yes" || !c[1].Favourable || c[1].Label["en"] != "Yes!" {
		t.Errorf("choices did not follow their origins: %+v", c)
	}
	if m := f.Versions[1].Questions[5]; m.Origin != 4 || !slices.Equal(m.Choices, []int{1, 0}) {
		t.Errorf("meta %+v", m)
	}
	// The domain sees the change of order, and refuses it for an open survey.
	if err := surveys.CheckWordingOnly(d, f.Def); err == nil {
		t.Error("CheckWordingOnly let a new order through")
	}
	// An origin used twice, or out of range, makes a new question.
	form = url.Values{"versions.0.questions.0.origin": {"0"}, "versions.0.questions.1.origin": {"0"}, "versions.0.questions.2.origin": {"77"}}
	f = editParse(t, d, form, true)
	if m := f.Versions[0].Questions; len(m) != 3 || m[0].Origin != 0 || m[1].Origin != -1 || m[2].Origin != -1 || f.Def.Versions[0].Questions[1].Key != "" {
		t.Errorf("origins %+v", m)
	}
}

func TestEditFormActions(t *testing.T) {
	d := surveytest.Definition(t)
	apply := func(t *testing.T, action string, set map[string]string) *EditForm {
		t.Helper()
		form := editValues(t, d, surveys.StatusDraft)
		form.Set("action", action)
		for k, v := range set {
			form.Set(k, v)
		}
		f := editParse(t, d, form, true)
		f.Apply()
		return f
	}
	t.Run("add a language", func(t *testing.T) {
		f := apply(t, "add-language", map[string]string{"add_lang": "ur"})
		if !slices.Equal(f.Langs, []string{"en", "ur"}) || len(f.Errors) != 0 {
			t.Errorf("langs %v, errors %v", f.Langs, f.Errors)
		}
		v := buildEditView(editSurvey(f.Def, surveys.StatusDraft), f, f.Langs)
		if in := v.byPath["versions.0.questions.1.text.ur"]; in == nil || in.Dir != "rtl" || in.Lang != "ur" {
			t.Errorf("the Urdu input: %+v", in)
		}
		for _, bad := range []string{"", "Polish!", "en"} {
			f := apply(t, "add-language", map[string]string{"add_lang": bad})
			if bad == "en" {
				if len(f.Langs) != 1 || len(f.Errors) != 0 {
					t.Errorf("adding English again: %v %v", f.Langs, f.Errors)
				}
			} else if f.Errors["add_lang"] == "" {
				t.Errorf("add_lang %q: no error", bad)
			}
		}
	})
	t.Run("add a choice", func(t *testing.T) {
		f := apply(t, "add-choice:1:4", nil)
		if c := f.Def.Versions[1].Questions[4].Choices; len(c) != 3 || c[2].Key != "" || !slices.Equal(f.Versions[1].Questions[4].Choices, []int{0, 1, -1}) {
			t.Errorf("choices %+v, meta %v", c, f.Versions[1].Questions[4].Choices)
		}
		f = apply(t, "add-choice:0:3", nil) // a rating
		if f.Problems()["versions.0.questions.3.choices"] == "" {
			t.Error("a choice was added to a rating")
		}
		f = apply(t, "add-choice:0:9", nil) // no such question: nothing
		if len(f.Problems()) != 0 || len(f.Def.Versions[0].Questions) != 5 {
			t.Errorf("a stale button did something: %v", f.Problems())
		}
	})
	t.Run("add a question", func(t *testing.T) {
		f := apply(t, "add-question:0", map[string]string{"versions.0.new_type": "multi_choice", "versions.0.new_key": " more "})
		qs := f.Def.Versions[0].Questions
		if len(qs) != 6 || qs[5].Key != "more" || qs[5].Type != surveys.MultiChoice || len(qs[5].Choices) != 2 || f.Versions[0].Questions[5].Origin != -1 {
			t.Errorf("new question %+v", qs[len(qs)-1])
		}
		if f.Versions[0].NewKey != "" {
			t.Error("the add controls were not cleared")
		}
		f = apply(t, "add-question:0", map[string]string{"versions.0.new_type": "essay", "versions.0.new_key": ""})
		if p := f.Problems(); p["versions.0.new_type"] == "" || p["versions.0.new_key"] == "" || len(f.Def.Versions[0].Questions) != 5 {
			t.Errorf("problems %v", p)
		}
	})
	t.Run("move", func(t *testing.T) {
		f := apply(t, "up:0:3", nil)
		if qs := f.Def.Versions[0].Questions; qs[2].Key != "happy" || qs[3].Key != "why_unsafe" || f.Versions[0].Questions[2].Origin != 3 {
			t.Errorf("after up: %s %s", qs[2].Key, qs[3].Key)
		}
		f = apply(t, "down:1:6", nil) // the last: nothing
		if f.Def.Versions[1].Questions[6].Key != "better" {
			t.Error("moved the last question down")
		}
		f = apply(t, "up:1:0", nil)
		if f.Def.Versions[1].Questions[0].Key != "area" {
			t.Error("moved the first question up")
		}
	})
	t.Run("structural", func(t *testing.T) {
		for action, want := range map[string]bool{"save": false, "add-language": false, "add-choice:0:0": true, "add-question:0": true, "up:0:1": true, "down:0:1": true} {
			a, err := parseEditAction(action)
			if err != nil || a.Structural() != want {
				t.Errorf("%s: %+v %v", action, a, err)
			}
		}
	})
}

// A form the editor never makes is refused whole, with a message; nothing
// in it can reach past the domain's limits.
func TestParseEditFormRefuses(t *testing.T) {
	d := surveytest.Definition(t)
	many := url.Values{}
	for i := range MaxEditFields + 1 {
		many.Add("x", strconv.Itoa(i))
	}
	cases := map[string]url.Values{
		"too many fields":               many,
		"unknown question field":        {"versions.0.questions.0.colour": {"red"}},
		"version beyond the survey":     {"versions.2.label.en": {"x"}},
		"question beyond MaxQuestions":  {fmt.Sprintf("versions.0.questions.%d.text.en", surveys.MaxQuestions): {"x"}},
		"choice beyond MaxChoices":      {fmt.Sprintf("versions.0.questions.0.choices.%d.key", surveys.MaxChoices): {"x"}},
		"leading zero":                  {"versions.00.label.en": {"x"}},
		"negative index":                {"versions.-1.label.en": {"x"}},
		"huge index":                    {"versions.0.questions.99999999999999999999.text.en": {"x"}},
		"not a language":                {"title.EN": {"x"}},
		"script as a language":          {"title.<script>": {"x"}},
		"section beyond the survey":     {"sections.3.title.en": {"x"}},
		"nested too deep":               {"versions.0.questions.0.text.en.more": {"x"}},
		"empty segment":                 {"versions..label.en": {"x"}},
		"a bad language column":         {"langs": {"xx-!"}},
		"too many language columns":     {"langs": editLanguageCodes(30)},
		"an unknown button":             {"action": {"explode"}},
		"a button beyond the limits":    {"action": {"up:0:999"}},
		"a button with too many parts":  {"action": {"add-question:0:1"}},
		"a language in a text too many": editManyLanguages(),
	}
	for name, form := range cases {
		t.Run(name, func(t *testing.T) {
			f, err := ParseEditForm(d, form, true)
			if err == nil || surveys.ErrorCode(err) != surveys.EINVALID || surveys.ErrorMessage(err) == "" {
				t.Errorf("accepted (%v): %v", f != nil, err)
			}
		})
	}
	// Names the editor does not own are left alone.
	f, err := ParseEditForm(d, url.Values{"_csrf": {"t"}, "something_else": {"x"}, "revision": {"1"}}, true)
	if err != nil || editJSON(t, f.Def) != editJSON(t, d) {
		t.Errorf("other names: %v", err)
	}
}

// editLanguageCodes returns n different valid language codes.
func editLanguageCodes(n int) []string {
	var codes []string
	for i := range n {
		codes = append(codes, fmt.Sprintf("x%c%c", 'a'+i/26, 'a'+i%26))
	}
	return codes
}

// editManyLanguages posts a text in more languages than a survey may have.
func editManyLanguages() url.Values {
	form := url.Values{}
	for i := range surveys.MaxLanguages + 1 {
		form.Set(fmt.Sprintf("versions.0.questions.%d.text.x%c%c", i%5, 'a'+i/26, 'a'+i%26), "x")
	}
	return form
}

// Each problem lands beside its field, or the nearest group holding it;
// the summary links to each, in the order of the page.
func TestEditViewAttachesProblems(t *testing.T) {
	d := surveytest.Definition(t)
	f, err := NewEditForm(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, status := range []surveys.Status{surveys.StatusDraft, surveys.StatusOpen} {
		v := buildEditView(editSurvey(d, status), f, f.Langs)
		problems := map[string]string{
			"slug":                                 `must stay "x"`,
			"title":                                "is missing; it needs at least English",
			"versions.0.questions.1.choices.0.key": "was \"always\"",
			"versions.0.questions.1.text.en":       "is missing",
			"versions.0.questions.2.show_if.all.0.value": `"maybe" is not a choice`,
			"versions.0.questions.1.breakdown":           "only single_choice",
			"versions.1.questions":                       "were removed",
			"versions.1.questions.4.choices.1.label.fr":  "is longer than 200 characters",
			"versions.0.questions.3.max":                 "must be greater than min",
		}
		v.attach(problems)
		want := map[string]string{
			"versions.0.questions.1.choices.0.key":       "f-versions-0-questions-1-choices-0-key",
			"versions.0.questions.1.text.en":             "f-versions-0-questions-1-text-en",
			"versions.0.questions.1.breakdown":           "f-versions-0-questions-1-breakdown",
			"versions.1.questions":                       "f-versions-1-questions",
			"title":                                      "f-title-en",
			"versions.1.questions.4.choices.1.label.fr":  "f-versions-1-questions-4-choices-1-label-en",
			"versions.0.questions.3.max":                 "f-versions-0-questions-3-max",
			"versions.0.questions.2.show_if.all.0.value": "f-versions-0-questions-2-show_if-value",
		}
		if status != surveys.StatusDraft {
			want["versions.0.questions.2.show_if.all.0.value"] = "f-versions-0-questions-2-show_if"
			want["versions.0.questions.3.max"] = "f-versions-0-questions-3-min"
			want["versions.0.questions.1.breakdown"] = "f-versions-0-questions-1"
		}
		var ids []string
		for _, is := range v.Issues {
			ids = append(ids, is.ID)
		}
		if len(v.Issues) != len(problems) || v.Issues[0].ID != "" || !strings.HasPrefix(v.Issues[0].Text, "slug: ") {
			t.Errorf("%s: issues %v", status, v.Issues)
		}
		for path, id := range want {
			if !slices.Contains(ids, id) {
				t.Errorf("%s: %s is not linked to %s (%v)", status, path, id, ids)
			}
			var f *editField
			for _, x := range v.byPath {
				if x.ID == id {
					f = x
				}
			}
			if f == nil || f.Error == "" {
				t.Errorf("%s: %s shows no error", status, id)
			}
		}
		if e := v.byPath["versions.0.questions.1.text.en"].Error; e != "Is missing." {
			t.Errorf("%s: beside the field: %q", status, e)
		}
		if !slices.IsSortedFunc(v.Issues, func(a, b editIssue) int { return a.order - b.order }) {
			t.Errorf("%s: the summary is not in page order", status)
		}
	}
}

// Every id on the page is unique, and every control has its label.
func TestEditViewIDsAreUnique(t *testing.T) {
	d := editFixture(t)
	for _, status := range []surveys.Status{surveys.StatusDraft, surveys.StatusClosed} {
		f, err := NewEditForm(d)
		if err != nil {
			t.Fatal(err)
		}
		v := buildEditView(editSurvey(d, status), f, f.Langs)
		ids := map[string]string{}
		seen := map[*editField]bool{}
		for _, x := range v.byPath {
			if seen[x] {
				continue
			}
			seen[x] = true
			if other, dup := ids[x.ID]; dup {
				t.Errorf("%s: id %s is used by %s and %s", status, x.ID, other, x.Name)
			}
			ids[x.ID] = x.Name
			if x.Label == "" || x.Where == "" {
				t.Errorf("%s: %s has no label", status, x.Name)
			}
		}
	}
}

// The largest survey Heard ships, in four languages, fits the form's limit
// with room to spare.
func TestEditFormFitsTheLimit(t *testing.T) {
	defs, err := templates.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range defs {
		f, err := NewEditForm(d)
		if err != nil {
			t.Fatal(err)
		}
		langs := []string{"en", "pl", "ar", "cy"}
		n := 0
		for _, vs := range editViewValues(buildEditView(editSurvey(d, surveys.StatusDraft), f, langs)) {
			n += len(vs)
		}
		if n > MaxEditFields/4 {
			t.Errorf("%s: %d fields in four languages, near the limit of %d", d.Slug, n, MaxEditFields)
		}
		t.Logf("%s: %d fields in four languages", d.Slug, n)
	}
}

func FuzzParseEditForm(f *testing.F) {
	d := editFixture(f)
	seed := editValues(f, d, surveys.StatusDraft)
	f.Add(seed.Encode(), true)
	f.Add(editValues(f, d, surveys.StatusOpen).Encode(), false)
	for _, s := range []string{
		"action=add-question:0&versions.0.new_type=scale&versions.0.new_key=x",
		"action=add-choice:1:4&versions.1.questions.4.origin=4",
		"action=up:1:5&versions.1.questions.5.origin=5&versions.1.questions.4.origin=4",
		"action=add-language&add_lang=ar",
		"versions.0.questions.3.show_if.mode=simple&versions.0.questions.3.show_if.question=happy&versions.0.questions.3.show_if.op=in&versions.0.questions.3.show_if.value=1,2",
		"versions.0.questions.3.show_if.mode=json&versions.0.questions.3.show_if.json=%7B%22any%22%3A%5B%5D%7D",
		"versions.0.questions.119.choices.29.label.en=x&versions.0.questions.119.type=scale",
		"versions.0.questions.0.type=rating&versions.0.questions.0.min=5&versions.0.questions.0.max=1",
		"title.en=&description.pl=%00&langs=ur&langs=ur",
	} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, body string, structure bool) {
		form, _ := url.ParseQuery(body)
		ef, err := ParseEditForm(d, form, structure)
		if err != nil {
			if surveys.ErrorCode(err) != surveys.EINVALID || surveys.ErrorMessage(err) == "" {
				t.Fatalf("error without a message: %v", err)
			}
			return
		}
		ef.Apply()
		if len(ef.Def.Versions) != len(d.Versions) || len(ef.Versions) != len(ef.Def.Versions) {
			t.Fatalf("versions %d, meta %d", len(ef.Def.Versions), len(ef.Versions))
		}
		if len(ef.Langs) > max(surveys.MaxLanguages, len(definitionLangs(d))) || ef.Langs[0] != "en" {
			t.Fatalf("languages %v", ef.Langs)
		}
		for vi, v := range ef.Def.Versions {
			if len(v.Questions) > surveys.MaxQuestions || len(ef.Versions[vi].Questions) != len(v.Questions) {
				t.Fatalf("version %d: %d questions, %d meta", vi, len(v.Questions), len(ef.Versions[vi].Questions))
			}
			for qi, q := range v.Questions {
				if len(q.Choices) > surveys.MaxChoices || len(ef.Versions[vi].Questions[qi].Choices) != len(q.Choices) {
					t.Fatalf("question %d.%d: %d choices, %d meta", vi, qi, len(q.Choices), len(ef.Versions[vi].Questions[qi].Choices))
				}
			}
		}
		if _, err := json.Marshal(ef.Def); err != nil {
			t.Fatal(err)
		}
		_ = ef.Def.Validate()
		v := buildEditView(editSurvey(d, surveys.StatusDraft), ef, ef.Langs)
		problems := ef.Problems()
		maps.Copy(problems, map[string]string{"versions.0.questions.0.choices.0.key": "x", "a.b.c": "y"})
		v.attach(problems)
		if !reflect.DeepEqual(len(v.Issues), len(problems)) {
			t.Fatalf("%d issues for %d problems", len(v.Issues), len(problems))
		}
	})
}
