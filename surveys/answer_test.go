package surveys_test

import (
	"encoding/json"
	"maps"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

// What a young person is told beside a question, from answer.go.
const (
	msgUnknown    = "This question is not part of this survey."
	msgChooseOne  = "Please choose one of the answers."
	msgChooseSome = "Please choose from the answers given."
	msgNotShown   = "This question is only for people who gave a different answer earlier. Please clear this answer, or change your earlier one."
	msgRequired   = "Please answer this question."
	msgText       = "Please write your answer as text."
	msgHappy      = "Please choose a whole number from 0 to 10."
)

func TestParseAnswers(t *testing.T) {
	t.Parallel()
	d := surveytest.Definition(t)
	tooLong := func(n int) string {
		return "Please keep this to 200 characters or fewer. It is " + strconv.Itoa(n) + " characters now."
	}
	// jsonString quotes s as a device would send it.
	jsonString := func(s string) string {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name       string
		version    string // "11-18" when empty
		input      string
		want       map[string]surveys.Answer
		wantFields map[string]string
	}{
		// Valid answers of every type.
		{name: "every type answered",
			input: `{"area":"south","feel_safe":"never","why_unsafe":["online","home"],"happy":3,"talk_to":"yes","talk_who":"My social worker","better":"More trips out"}`,
			want: map[string]surveys.Answer{
				"area": {Choice: "south"}, "feel_safe": {Choice: "never"}, "why_unsafe": {Choices: []string{"home", "online"}},
				"happy": {Number: 3}, "talk_to": {Choice: "yes"}, "talk_who": {Text: "My social worker"}, "better": {Text: "More trips out"},
			}},
		{name: "only the required question", input: `{"talk_to":"no"}`,
			want: map[string]surveys.Answer{"talk_to": {Choice: "no"}}},
		{name: "nothing, where nothing is required", version: "8-11", input: `{}`,
			want: map[string]surveys.Answer{}},
		{name: "null, empty list and blank text are skipped",
			input: `{"area":null,"feel_safe":null,"why_unsafe":[],"happy":null,"talk_to":"no","talk_who":null,"better":"  \n\t "}`,
			want:  map[string]surveys.Answer{"talk_to": {Choice: "no"}}},
		{name: "an empty list for a hidden question is a skip", input: `{"feel_safe":"always","why_unsafe":[],"talk_to":"no"}`,
			want: map[string]surveys.Answer{"feel_safe": {Choice: "always"}, "talk_to": {Choice: "no"}}},
		{name: "rating at its lowest", input: `{"happy":0,"talk_to":"no"}`,
			want: map[string]surveys.Answer{"happy": {Number: 0}, "talk_to": {Choice: "no"}}},
		{name: "rating at its highest", input: `{"happy":10,"talk_to":"no"}`,
			want: map[string]surveys.Answer{"happy": {Number: 10}, "talk_to": {Choice: "no"}}},
		{name: "multi_choice in the question's order", version: "8-11", input: `{"feel_safe":"sometimes","why_unsafe":["out","school"]}`,
			want: map[string]surveys.Answer{"feel_safe": {Choice: "sometimes"}, "why_unsafe": {Choices: []string{"school", "out"}}}},
		{name: "multi_choice of one", version: "8-11", input: `{"feel_safe":"never","why_unsafe":["home"]}`,
			want: map[string]surveys.Answer{"feel_safe": {Choice: "never"}, "why_unsafe": {Choices: []string{"home"}}}},

		// Shapes that do not fit.
		{name: "single_choice key not offered", input: `{"area":"east","talk_to":"no"}`, wantFields: map[string]string{"area": msgChooseOne}},
		{name: "single_choice key in the wrong case", input: `{"area":"North","talk_to":"no"}`, wantFields: map[string]string{"area": msgChooseOne}},
		{name: "single_choice empty text", input: `{"area":"","talk_to":"no"}`, wantFields: map[string]string{"area": msgChooseOne}},
		{name: "single_choice number", input: `{"area":1,"talk_to":"no"}`, wantFields: map[string]string{"area": msgChooseOne}},
		{name: "single_choice list", input: `{"area":["north"],"talk_to":"no"}`, wantFields: map[string]string{"area": msgChooseOne}},
		{name: "single_choice object", input: `{"area":{"key":"north"},"talk_to":"no"}`, wantFields: map[string]string{"area": msgChooseOne}},
		{name: "single_choice true", input: `{"area":true,"talk_to":"no"}`, wantFields: map[string]string{"area": msgChooseOne}},
		{name: "scale key not offered", input: `{"feel_safe":"often","talk_to":"no"}`, wantFields: map[string]string{"feel_safe": msgChooseOne}},
		{name: "scale list", input: `{"feel_safe":["always"],"talk_to":"no"}`, wantFields: map[string]string{"feel_safe": msgChooseOne}},
		{name: "multi_choice text, not a list", input: `{"feel_safe":"never","why_unsafe":"school","talk_to":"no"}`, wantFields: map[string]string{"why_unsafe": msgChooseSome}},
		{name: "multi_choice numbers", input: `{"feel_safe":"never","why_unsafe":[1],"talk_to":"no"}`, wantFields: map[string]string{"why_unsafe": msgChooseSome}},
		{name: "multi_choice null item", input: `{"feel_safe":"never","why_unsafe":[null],"talk_to":"no"}`, wantFields: map[string]string{"why_unsafe": msgChooseSome}},
		{name: "multi_choice key not offered", input: `{"feel_safe":"never","why_unsafe":["school","pool"],"talk_to":"no"}`, wantFields: map[string]string{"why_unsafe": msgChooseSome}},
		{name: "multi_choice duplicate", input: `{"feel_safe":"never","why_unsafe":["school","school"],"talk_to":"no"}`, wantFields: map[string]string{"why_unsafe": msgChooseSome}},
		{name: "multi_choice over max_choices", input: `{"feel_safe":"never","why_unsafe":["school","home","online"],"talk_to":"no"}`,
			wantFields: map[string]string{"why_unsafe": "Please choose up to 2 answers."}},
		{name: "rating above max", input: `{"happy":11,"talk_to":"no"}`, wantFields: map[string]string{"happy": msgHappy}},
		{name: "rating below min", input: `{"happy":-1,"talk_to":"no"}`, wantFields: map[string]string{"happy": msgHappy}},
		{name: "rating not whole", input: `{"happy":1.5,"talk_to":"no"}`, wantFields: map[string]string{"happy": msgHappy}},
		{name: "rating with a decimal point", input: `{"happy":5.0,"talk_to":"no"}`, wantFields: map[string]string{"happy": msgHappy}},
		{name: "rating with an exponent", input: `{"happy":1e1,"talk_to":"no"}`, wantFields: map[string]string{"happy": msgHappy}},
		{name: "rating as text", input: `{"happy":"5","talk_to":"no"}`, wantFields: map[string]string{"happy": msgHappy}},
		{name: "rating as empty text", input: `{"happy":"","talk_to":"no"}`, wantFields: map[string]string{"happy": msgHappy}},
		{name: "rating as true", input: `{"happy":true,"talk_to":"no"}`, wantFields: map[string]string{"happy": msgHappy}},
		{name: "rating as list", input: `{"happy":[5],"talk_to":"no"}`, wantFields: map[string]string{"happy": msgHappy}},
		{name: "text as number", input: `{"better":5,"talk_to":"no"}`, wantFields: map[string]string{"better": msgText}},
		{name: "text as list", input: `{"better":["more trips"],"talk_to":"no"}`, wantFields: map[string]string{"better": msgText}},

		// Text: counted in characters after cleaning, never cut.
		{name: "200 Polish characters (400 bytes)", input: `{"better":` + jsonString(strings.Repeat("ż", 200)) + `,"talk_to":"no"}`,
			want: map[string]surveys.Answer{"better": {Text: strings.Repeat("ż", 200)}, "talk_to": {Choice: "no"}}},
		{name: "201 Polish characters", input: `{"better":` + jsonString(strings.Repeat("ż", 201)) + `,"talk_to":"no"}`,
			wantFields: map[string]string{"better": tooLong(201)}},
		{name: "200 emoji (800 bytes)", input: `{"better":` + jsonString(strings.Repeat("😀", 200)) + `,"talk_to":"no"}`,
			want: map[string]surveys.Answer{"better": {Text: strings.Repeat("😀", 200)}, "talk_to": {Choice: "no"}}},
		{name: "206 mixed characters", input: `{"better":` + jsonString(strings.Repeat("Cześć 👋 ", 25)+"więcej") + `,"talk_to":"no"}`,
			wantFields: map[string]string{"better": tooLong(25*8 + 6)}},
		{name: "escaped emoji counted once", input: `{"better":"` + strings.Repeat(`\ud83d\ude00`, 201) + `","talk_to":"no"}`,
			wantFields: map[string]string{"better": tooLong(201)}},
		{name: "control characters removed, line breaks and tabs kept",
			input: `{"better":"  Hello\u0000 there\u0007\u001b!\nSecond line\twith a tab\r\nThird\u007f line  ","talk_to":"no"}`,
			want:  map[string]surveys.Answer{"better": {Text: "Hello there!\nSecond line\twith a tab\r\nThird line"}, "talk_to": {Choice: "no"}}},
		{name: "removed control characters are not counted",
			input: `{"better":"` + strings.Repeat("a", 200) + `\u0000\u0001\u0085","talk_to":"no"}`,
			want:  map[string]surveys.Answer{"better": {Text: strings.Repeat("a", 200)}, "talk_to": {Choice: "no"}}},
		{name: "only control characters is a skip", input: `{"better":"\u0000\u0001","talk_to":"no"}`,
			want: map[string]surveys.Answer{"talk_to": {Choice: "no"}}},

		// Questions that are not there, required or hidden.
		{name: "unknown question", input: `{"colour":"red","talk_to":"no"}`, wantFields: map[string]string{"colour": msgUnknown}},
		{name: "question of another version", version: "8-11", input: `{"talk_to":"yes"}`, wantFields: map[string]string{"talk_to": msgUnknown}},
		{name: "unknown question with null", input: `{"colour":null,"talk_to":"no"}`, wantFields: map[string]string{"colour": msgUnknown}},
		{name: "required question missing", input: `{"area":"north"}`, wantFields: map[string]string{"talk_to": msgRequired}},
		{name: "required question null", input: `{"talk_to":null}`, wantFields: map[string]string{"talk_to": msgRequired}},
		{name: "nothing at all with a required question", input: `{}`, wantFields: map[string]string{"talk_to": msgRequired}},
		{name: "hidden question answered: condition's question skipped", input: `{"why_unsafe":["school"],"talk_to":"no"}`,
			wantFields: map[string]string{"why_unsafe": msgNotShown}},
		{name: "hidden question answered: condition false", input: `{"feel_safe":"always","why_unsafe":["school"],"talk_to":"no"}`,
			wantFields: map[string]string{"why_unsafe": msgNotShown}},
		{name: "hidden text answered", input: `{"talk_to":"no","talk_who":"My mum"}`,
			wantFields: map[string]string{"talk_who": msgNotShown}},
		{name: "hidden and required together", input: `{"talk_who":"My mum"}`,
			wantFields: map[string]string{"talk_who": msgNotShown, "talk_to": msgRequired}},
		{name: "every problem at once: wrong answers, a hidden question answered, a required one missing",
			input: `{"area":"east","happy":11,"better":5,"colour":"red","why_unsafe":["school"]}`,
			wantFields: map[string]string{"area": msgChooseOne, "happy": msgHappy, "better": msgText, "colour": msgUnknown,
				"why_unsafe": msgNotShown, "talk_to": msgRequired}},
		{name: "a question whose condition looks at a wrong answer is not judged yet",
			input:      `{"feel_safe":"often","why_unsafe":["school"],"talk_to":"yes"}`,
			wantFields: map[string]string{"feel_safe": msgChooseOne}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			version := tt.version
			if version == "" {
				version = "11-18"
			}
			got, err := d.Version(version).ParseAnswers(rawAnswers(t, tt.input))
			if tt.wantFields != nil {
				assertFields(t, err, tt.wantFields)
				if msg := surveys.ErrorMessage(err); msg != "Some answers need another look." {
					t.Errorf("message = %q", msg)
				}
				if got != nil {
					t.Errorf("answers = %v; want nil with an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseAnswers = %v; fields:\n%s", err, formatFields(surveys.ErrorFields(err)))
			}
			if got == nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("answers = %#v\nwant      %#v", got, tt.want)
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"  hi  ", "hi"},
		{"a\x00b", "ab"},
		{"\x00  x  \x07", "x"},
		{"one\ntwo", "one\ntwo"},
		{"one\r\ntwo", "one\r\ntwo"},
		{"a\tb", "a\tb"},
		{"\ttabbed\n", "tabbed"},
		{"del\x7f", "del"},
		{"c1\u0085\u009f", "c1"},
		{"\u00a0nbsp\u00a0", "nbsp"},
		{"zero\u200bwidth", "zero\u200bwidth"},
		{"Zażółć gęślą jaźń 😀", "Zażółć gęślą jaźń 😀"},
	}
	for _, tt := range tests {
		if got := surveys.CleanText(tt.in); got != tt.want {
			t.Errorf("CleanText(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestAnswerValue(t *testing.T) {
	t.Parallel()
	a := surveys.Answer{Choice: "yes", Choices: []string{"school", "home"}, Number: 7, Text: "Hello"}
	tests := []struct {
		typ  surveys.QuestionType
		want any
	}{
		{surveys.SingleChoice, "yes"},
		{surveys.Scale, "yes"},
		{surveys.MultiChoice, []string{"school", "home"}},
		{surveys.Rating, 7},
		{surveys.FreeText, "Hello"},
	}
	for _, tt := range tests {
		if got := a.Value(tt.typ); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Value(%s) = %#v; want %#v", tt.typ, got, tt.want)
		}
	}
	// The list is a copy: changing it leaves the answer alone.
	a.Value(surveys.MultiChoice).([]string)[0] = "changed"
	if a.Choices[0] != "school" {
		t.Errorf("changing Value's list changed the answer: %v", a.Choices)
	}
}

func TestAnswerEqual(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		typ  surveys.QuestionType
		a, b surveys.Answer
		want bool
	}{
		{"same choice", surveys.SingleChoice, surveys.Answer{Choice: "yes"}, surveys.Answer{Choice: "yes"}, true},
		{"other choice", surveys.SingleChoice, surveys.Answer{Choice: "yes"}, surveys.Answer{Choice: "no"}, false},
		{"choice ignores other fields", surveys.Scale, surveys.Answer{Choice: "yes", Number: 1}, surveys.Answer{Choice: "yes", Number: 2}, true},
		{"same choices", surveys.MultiChoice, surveys.Answer{Choices: []string{"a", "b"}}, surveys.Answer{Choices: []string{"a", "b"}}, true},
		{"choices in another order", surveys.MultiChoice, surveys.Answer{Choices: []string{"a", "b"}}, surveys.Answer{Choices: []string{"b", "a"}}, false},
		{"fewer choices", surveys.MultiChoice, surveys.Answer{Choices: []string{"a", "b"}}, surveys.Answer{Choices: []string{"a"}}, false},
		{"choices ignore choice", surveys.MultiChoice, surveys.Answer{Choice: "x", Choices: []string{"a"}}, surveys.Answer{Choices: []string{"a"}}, true},
		{"same number", surveys.Rating, surveys.Answer{Number: 0}, surveys.Answer{Number: 0}, true},
		{"other number", surveys.Rating, surveys.Answer{Number: 3}, surveys.Answer{Number: 4}, false},
		{"number ignores text", surveys.Rating, surveys.Answer{Number: 3, Text: "a"}, surveys.Answer{Number: 3, Text: "b"}, true},
		{"same text", surveys.FreeText, surveys.Answer{Text: "Hi"}, surveys.Answer{Text: "Hi"}, true},
		{"text is case-sensitive", surveys.FreeText, surveys.Answer{Text: "Hi"}, surveys.Answer{Text: "hi"}, false},
	}
	for _, tt := range tests {
		if got := tt.a.Equal(tt.b, tt.typ); got != tt.want {
			t.Errorf("%s: Equal = %t; want %t", tt.name, got, tt.want)
		}
		if got := tt.b.Equal(tt.a, tt.typ); got != tt.want {
			t.Errorf("%s (swapped): Equal = %t; want %t", tt.name, got, tt.want)
		}
	}
}

func TestResponseSame(t *testing.T) {
	t.Parallel()
	v := surveytest.Definition(t).Version("11-18")
	base := func() *surveys.Response {
		return &surveys.Response{
			ID: "3f1c2a9e-5b7d-4e21-9c3a-0d8e6f4b2a17", Survey: surveytest.Slug, Edition: 2026, Version: "11-18", Lang: "en", Day: "2026-03-01",
			Answers: map[string]surveys.Answer{
				"area": {Choice: "north"}, "feel_safe": {Choice: "never"}, "why_unsafe": {Choices: []string{"school", "home"}},
				"happy": {Number: 7}, "talk_to": {Choice: "yes"}, "talk_who": {Text: "My mum"},
			},
		}
	}
	tests := []struct {
		name   string
		change func(o *surveys.Response)
		want   bool
	}{
		{"identical", func(*surveys.Response) {}, true},
		{"another day: a retry the next morning", func(o *surveys.Response) { o.Day = "2026-03-02" }, true},
		{"another id", func(o *surveys.Response) { o.ID = "00000000-0000-0000-0000-000000000000" }, true},
		{"another survey", func(o *surveys.Response) { o.Survey = "other" }, false},
		{"another version", func(o *surveys.Response) { o.Version = "8-11" }, false},
		{"another language", func(o *surveys.Response) { o.Lang = "pl" }, false},
		{"another choice", func(o *surveys.Response) { o.Answers["area"] = surveys.Answer{Choice: "south"} }, false},
		{"another scale answer", func(o *surveys.Response) { o.Answers["feel_safe"] = surveys.Answer{Choice: "sometimes"} }, false},
		{"fewer choices", func(o *surveys.Response) { o.Answers["why_unsafe"] = surveys.Answer{Choices: []string{"school"}} }, false},
		{"another rating", func(o *surveys.Response) { o.Answers["happy"] = surveys.Answer{Number: 8} }, false},
		{"another text", func(o *surveys.Response) { o.Answers["talk_who"] = surveys.Answer{Text: "My dad"} }, false},
		{"an answer fewer", func(o *surveys.Response) { delete(o.Answers, "happy") }, false},
		{"an answer more", func(o *surveys.Response) { o.Answers["better"] = surveys.Answer{Text: "More"} }, false},
		{"as many answers, to other questions", func(o *surveys.Response) {
			delete(o.Answers, "talk_who")
			o.Answers["better"] = surveys.Answer{Text: "My mum"}
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, o := base(), base()
			tt.change(o)
			if got := r.Same(o, v); got != tt.want {
				t.Errorf("r.Same(o) = %t; want %t", got, tt.want)
			}
			if got := o.Same(r, v); got != tt.want {
				t.Errorf("o.Same(r) = %t; want %t", got, tt.want)
			}
		})
	}
	t.Run("answer to a question the version does not have", func(t *testing.T) {
		t.Parallel()
		r, o := base(), base()
		r.Answers["colour"] = surveys.Answer{Choice: "red"}
		o.Answers["colour"] = surveys.Answer{Choice: "red"}
		if r.Same(o, v) {
			t.Error("Same = true for answers to a question not in the version")
		}
	})
	t.Run("no answers", func(t *testing.T) {
		t.Parallel()
		r, o := base(), base()
		r.Answers, o.Answers = map[string]surveys.Answer{}, nil
		if !r.Same(o, v) {
			t.Error("Same = false for two responses without answers")
		}
	})
	// Answers parsed from the same submission twice are the same.
	t.Run("parsed twice", func(t *testing.T) {
		t.Parallel()
		raw := rawAnswers(t, `{"feel_safe":"never","why_unsafe":["home","school"],"talk_to":"no"}`)
		a1, err := v.ParseAnswers(raw)
		if err != nil {
			t.Fatal(err)
		}
		a2, err := v.ParseAnswers(maps.Clone(raw))
		if err != nil {
			t.Fatal(err)
		}
		r := &surveys.Response{Survey: "s", Version: "11-18", Lang: "en", Answers: a1}
		o := &surveys.Response{Survey: "s", Version: "11-18", Lang: "en", Answers: a2}
		if !r.Same(o, v) {
			t.Error("Same = false for the same submission parsed twice")
		}
	})
}

// A required question hidden by its show_if need not be answered; shown,
// it must be.
func TestParseAnswersRequiredButHidden(t *testing.T) {
	t.Parallel()
	d := validDefinition()
	question(d, 4).Required = true // words: shown if happy <= 2 or feel is no
	v := &d.Versions[0]
	tests := []struct {
		input      string
		want       map[string]surveys.Answer
		wantFields map[string]string
	}{
		{`{}`, map[string]surveys.Answer{}, nil},
		{`{"feel":"yes","happy":5}`, map[string]surveys.Answer{"feel": {Choice: "yes"}, "happy": {Number: 5}}, nil},
		{`{"feel":"no"}`, nil, map[string]string{"words": msgRequired}},
		{`{"happy":2,"words":"   "}`, nil, map[string]string{"words": msgRequired}},
		{`{"happy":1,"words":"Sad"}`, map[string]surveys.Answer{"happy": {Number: 1}, "words": {Text: "Sad"}}, nil},
	}
	for _, tt := range tests {
		got, err := v.ParseAnswers(rawAnswers(t, tt.input))
		if tt.wantFields != nil {
			assertFields(t, err, tt.wantFields)
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseAnswers(%s) = %v, %v; want %v", tt.input, got, err, tt.want)
		}
	}
}
