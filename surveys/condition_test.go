package surveys_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// conditionCases is testdata/conditions.json: show_if cases that the Go and
// the JavaScript implementations must both pass.
type conditionCases struct {
	Description string          `json:"description"`
	Version     surveys.Version `json:"version"`
	Cases       []struct {
		Name    string                     `json:"name"`
		Answers map[string]json.RawMessage `json:"answers"`
		Visible map[string]bool            `json:"visible"`
	} `json:"cases"`
}

func loadConditionCases(t *testing.T) *conditionCases {
	t.Helper()
	data, err := os.ReadFile("../testdata/conditions.json")
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var cc conditionCases
	if err := dec.Decode(&cc); err != nil {
		t.Fatalf("decode conditions.json: %v", err)
	}
	return &cc
}

// answersOf turns answers as a device sends them into Answers by the types
// of v's questions, keeping answers to questions that end up hidden (which
// ParseAnswers would refuse). null, an empty list and blank text are skipped.
func answersOf(v *surveys.Version, raw map[string]json.RawMessage) (map[string]surveys.Answer, error) {
	answers := map[string]surveys.Answer{}
	for key, value := range raw {
		q := v.Question(key)
		if q == nil {
			return nil, fmt.Errorf("answer to %q, which is not a question", key)
		}
		if string(value) == "null" {
			continue
		}
		var a surveys.Answer
		var err error
		switch q.Type {
		case surveys.SingleChoice, surveys.Scale:
			err = json.Unmarshal(value, &a.Choice)
		case surveys.MultiChoice:
			err = json.Unmarshal(value, &a.Choices)
			if len(a.Choices) == 0 {
				continue
			}
		case surveys.Rating:
			err = json.Unmarshal(value, &a.Number)
		case surveys.FreeText:
			err = json.Unmarshal(value, &a.Text)
			if strings.TrimSpace(a.Text) == "" {
				continue
			}
		}
		if err != nil {
			return nil, fmt.Errorf("answer to %q: %v", key, err)
		}
		answers[key] = a
	}
	return answers, nil
}

func TestConditionCasesFile(t *testing.T) {
	t.Parallel()
	cc := loadConditionCases(t)
	v := &cc.Version

	// The version must be one Heard would accept.
	d := &surveys.Definition{Slug: "cases", Edition: 2026, Kind: surveys.KindOther, Title: en("Cases"), Versions: []surveys.Version{*v}}
	if err := d.Validate(); err != nil {
		t.Fatalf("the version of conditions.json is not valid: %v\n%s", err, formatFields(surveys.ErrorFields(err)))
	}

	// The file must go on covering every op and every question type.
	ops, types := map[surveys.Op]bool{}, map[surveys.QuestionType]bool{}
	anyUsed, allUsed := false, false
	for _, q := range v.Questions {
		types[q.Type] = true
		if q.ShowIf == nil {
			continue
		}
		anyUsed = anyUsed || len(q.ShowIf.Any) > 0
		allUsed = allUsed || len(q.ShowIf.All) > 0
		for _, r := range slices.Concat(q.ShowIf.All, q.ShowIf.Any) {
			ops[r.Op] = true
		}
	}
	for _, op := range []surveys.Op{surveys.OpEq, surveys.OpNeq, surveys.OpIn, surveys.OpAnswered, surveys.OpNotAnswered, surveys.OpGte, surveys.OpLte} {
		if !ops[op] {
			t.Errorf("no condition uses %q", op)
		}
	}
	for _, typ := range []surveys.QuestionType{surveys.SingleChoice, surveys.MultiChoice, surveys.Scale, surveys.Rating, surveys.FreeText} {
		if !types[typ] {
			t.Errorf("no question is %q", typ)
		}
	}
	if !anyUsed || !allUsed {
		t.Errorf("conditions use all: %t, any: %t; want both", allUsed, anyUsed)
	}
	if len(cc.Cases) < 30 {
		t.Errorf("%d cases; want at least 30", len(cc.Cases))
	}
	names := map[string]bool{}
	for _, c := range cc.Cases {
		if names[c.Name] {
			t.Errorf("two cases are called %q", c.Name)
		}
		names[c.Name] = true
		if len(c.Visible) != len(v.Questions) {
			t.Errorf("%s: visible has %d questions; want all %d", c.Name, len(c.Visible), len(v.Questions))
		}
		for key := range c.Visible {
			if v.Question(key) == nil {
				t.Errorf("%s: visible names %q, which is not a question", c.Name, key)
			}
		}
	}
}

func TestVisible(t *testing.T) {
	t.Parallel()
	cc := loadConditionCases(t)
	v := &cc.Version
	for _, c := range cc.Cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			answers, err := answersOf(v, c.Answers)
			if err != nil {
				t.Fatal(err)
			}
			shown := v.Visible(answers)
			if len(shown) != len(v.Questions) {
				t.Fatalf("Visible returned %d values for %d questions", len(shown), len(v.Questions))
			}
			for i, q := range v.Questions {
				if want, ok := c.Visible[q.Key]; !ok || shown[i] != want {
					t.Errorf("%s: shown = %t; want %t", q.Key, shown[i], want)
				}
			}
		})
	}
}

func TestVisibleDoesNotChangeAnswers(t *testing.T) {
	t.Parallel()
	cc := loadConditionCases(t)
	answers := map[string]surveys.Answer{"colour": {Choice: "red"}, "follow_up": {Choice: "yes"}}
	cc.Version.Visible(answers)
	want := map[string]surveys.Answer{"colour": {Choice: "red"}, "follow_up": {Choice: "yes"}}
	if !reflect.DeepEqual(answers, want) {
		t.Errorf("answers after Visible = %v; want %v", answers, want)
	}
}

func TestNilConditionHolds(t *testing.T) {
	t.Parallel()
	var c *surveys.Condition
	if !c.Holds(&surveys.Version{}, nil) {
		t.Error("a nil condition does not hold; a question without show_if must be shown")
	}
}

func TestValueJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		json string
		want surveys.Value
	}{
		{`"red"`, str("red")},
		{`""`, str("")},
		{`"5"`, str("5")},
		{`7`, num(7)},
		{`0`, num(0)},
		{`-3`, num(-3)},
		{`["sometimes","no"]`, strs("sometimes", "no")},
		{`["no"]`, strs("no")},
		{`[0,10]`, nums(0, 10)},
		{`[]`, surveys.Value{List: true, Set: true}},
		{`null`, surveys.Value{}},
	}
	for _, tt := range tests {
		t.Run(tt.json, func(t *testing.T) {
			t.Parallel()
			var v surveys.Value
			if err := json.Unmarshal([]byte(tt.json), &v); err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if !reflect.DeepEqual(v, tt.want) {
				t.Errorf("Unmarshal = %+v; want %+v", v, tt.want)
			}
			if v.IsZero() != (tt.json == "null") {
				t.Errorf("IsZero = %t", v.IsZero())
			}
			out, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if string(out) != tt.json {
				t.Errorf("Marshal = %s; want %s", out, tt.json)
			}
		})
	}
}

func TestValueJSONRefusesOtherValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		json, message string
	}{
		{`1.5`, "A rule's value must be a choice key, a whole number, or a list of them."},
		{`1e3`, "A rule's value must be a choice key, a whole number, or a list of them."},
		{`true`, "A rule's value must be a choice key, a whole number, or a list of them."},
		{`{"a":1}`, "A rule's value must be a choice key, a whole number, or a list of them."},
		{`[true]`, "A rule's value must be a choice key, a whole number, or a list of them."},
		{`[["a"]]`, "A rule's value must be a choice key, a whole number, or a list of them."},
		{`[1,"a"]`, "A rule's value list mixes text and numbers."},
		{`99999999999`, "A rule's value must be a choice key, a whole number, or a list of them."},
	}
	for _, tt := range tests {
		t.Run(tt.json, func(t *testing.T) {
			t.Parallel()
			var v surveys.Value
			err := json.Unmarshal([]byte(tt.json), &v)
			if code := surveys.ErrorCode(err); code != surveys.EINVALID {
				t.Fatalf("Unmarshal error = %v (code %q); want %q", err, code, surveys.EINVALID)
			}
			if msg := surveys.ErrorMessage(err); msg != tt.message {
				t.Errorf("message = %q; want %q", msg, tt.message)
			}
		})
	}
}

func TestRuleJSONRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []string{
		`{"question":"colour","op":"eq","value":"red"}`,
		`{"question":"colour","op":"in","value":["green","blue"]}`,
		`{"question":"colour","op":"in","value":["green"]}`,
		`{"question":"score","op":"gte","value":7}`,
		`{"question":"score","op":"in","value":[0,10]}`,
		`{"question":"score","op":"lte","value":-1}`,
		`{"question":"note","op":"answered"}`,
		`{"question":"hobbies","op":"in","value":[]}`,
	}
	for _, in := range tests {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			var r surveys.Rule
			if err := json.Unmarshal([]byte(in), &r); err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			out, err := json.Marshal(r)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if string(out) != in {
				t.Errorf("Marshal = %s; want %s", out, in)
			}
		})
	}
}

func TestRuleJSONNullValueIsLeftOut(t *testing.T) {
	t.Parallel()
	var r surveys.Rule
	if err := json.Unmarshal([]byte(`{"question":"note","op":"not_answered","value":null}`), &r); err != nil {
		t.Fatal(err)
	}
	want := surveys.Rule{Question: "note", Op: surveys.OpNotAnswered}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("Unmarshal = %+v; want %+v", r, want)
	}
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"question":"note","op":"not_answered"}`; string(out) != want {
		t.Errorf("Marshal = %s; want %s", out, want)
	}
}

func TestConditionJSONRoundTrip(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{"all":[{"question":"colour","op":"eq","value":"red"},{"question":"score","op":"gte","value":5}]}`,
		`{"any":[{"question":"mood","op":"neq","value":"good"},{"question":"mood","op":"not_answered"}]}`,
	} {
		var c surveys.Condition
		if err := json.Unmarshal([]byte(in), &c); err != nil {
			t.Fatalf("Unmarshal %s: %v", in, err)
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != in {
			t.Errorf("Marshal = %s; want %s", out, in)
		}
	}
}
