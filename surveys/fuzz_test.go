package surveys_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

// FuzzParseDefinition checks that ParseDefinition never panics, that every
// failure is a person's mistake (EINVALID with a message), and that a
// definition it accepts is valid, and comes back the same when written out
// as JSON and read again.
//
// "The same" treats an empty list or text as one left out: encoding/json
// writes neither ("description": {} comes back without a description).
// Seeds beyond these are in testdata/fuzz/FuzzParseDefinition.
func FuzzParseDefinition(f *testing.F) {
	f.Add([]byte(minimalJSON))
	f.Add(surveytest.JSON())
	f.Add([]byte(`{"slug":"s","edition":2026,"kind":"annual","title":{"en":"T","pl":"Ankieta"},"description":{},"sections":[],` +
		`"versions":[{"key":"v","label":{"en":"V"},"age_min":0,"age_max":99,"questions":[` +
		`{"key":"a","type":"scale","text":{"en":"A?"},"breakdown":true,"choices":[{"key":"yes","label":{"en":"Yes"},"favourable":true},{"key":"no","label":{"en":"No"}}]},` +
		`{"key":"b","type":"rating","text":{"en":"B?"},"min":0,"max":100,"min_label":{"en":"Low"},"max_label":{}},` +
		`{"key":"c","type":"multi_choice","text":{"en":"C?"},"max_choices":1,"choices":[{"key":"x","label":{"en":"X"}},{"key":"y","label":{"en":"Y"}}],` +
		`"show_if":{"any":[{"question":"a","op":"in","value":["yes"]},{"question":"b","op":"gte","value":-0},{"question":"b","op":"in","value":[1,2]}],"all":[]}},` +
		`{"key":"d","type":"text","text":{"en":"D?"},"max_length":10000,"help":{"en":"\u0000\u2028<&>"},` +
		`"show_if":{"all":[{"question":"c","op":"eq","value":"x"},{"question":"a","op":"not_answered","value":null}]}}]}]}`))
	f.Add([]byte(`{"slug":"s","edition":2026,"kind":"other","title":{"en":"T"},"versions":[{"key":"v","label":{"en":"V"},"questions":[` +
		`{"key":"q","type":"text","text":{"en":"Q?"},"show_if":{"all":[{"question":"q","op":"answered"}]}}]}]}`))
	f.Add([]byte(`{"slug":"s","edition":"2026"}`))
	f.Add([]byte(`{"slug":"s"} {}`))
	f.Add([]byte(`[{"value":[1,"a"]}]`))
	f.Add([]byte(``))

	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := surveys.ParseDefinition(data)
		if err != nil {
			if d != nil {
				t.Fatal("ParseDefinition returned a definition with an error")
			}
			if code := surveys.ErrorCode(err); code != surveys.EINVALID {
				t.Fatalf("ParseDefinition error code = %q (%v); want %q", code, err, surveys.EINVALID)
			}
			if surveys.ErrorMessage(err) == "" {
				t.Fatal("ParseDefinition error has no message")
			}
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("ParseDefinition accepted a definition that Validate refuses: %v\n%s", err, formatFields(surveys.ErrorFields(err)))
		}
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		again, err := surveys.ParseDefinition(out)
		if err != nil {
			t.Fatalf("ParseDefinition of its own output %s: %v\n%s", out, err, formatFields(surveys.ErrorFields(err)))
		}
		if err := again.Validate(); err != nil {
			t.Fatalf("Validate after a round trip: %v", err)
		}
		if !deepEqualJSON(d, again) {
			t.Fatalf("round trip changed the definition:\n%#v\n%#v", d, again)
		}
	})
}

// FuzzParseAnswers checks ParseAnswers on the fixture's 11-18 version with
// any JSON object: it never panics; it fails only with EINVALID, naming a
// sent key or a required question; it returns answers only to shown
// questions; and answers it returns, written back with Answer.Value, parse
// to the same answers.
func FuzzParseAnswers(f *testing.F) {
	v := surveytest.Definition(f).Version("11-18")
	f.Add([]byte(`{"talk_to":"no"}`))
	f.Add([]byte(`{"area":"south","feel_safe":"never","why_unsafe":["online","home"],"happy":3,"talk_to":"yes","talk_who":"Nan","better":"Trips"}`))

	f.Fuzz(func(t *testing.T, data []byte) {
		var raw map[string]json.RawMessage
		if json.Unmarshal(data, &raw) != nil {
			t.Skip("not a JSON object")
		}
		answers, err := v.ParseAnswers(raw)
		if err != nil {
			if answers != nil {
				t.Fatal("ParseAnswers returned answers with an error")
			}
			if code := surveys.ErrorCode(err); code != surveys.EINVALID {
				t.Fatalf("error code = %q (%v); want %q", code, err, surveys.EINVALID)
			}
			fields := surveys.ErrorFields(err)
			if len(fields) == 0 {
				t.Fatal("ParseAnswers failed without naming a question")
			}
			for key, msg := range fields {
				_, sent := raw[key]
				q := v.Question(key)
				if msg == "" || (!sent && (q == nil || !q.Required)) {
					t.Fatalf("field %q: %q names neither a sent answer nor a required question", key, msg)
				}
			}
			return
		}
		if answers == nil {
			t.Fatal("ParseAnswers returned nil answers without an error")
		}
		shown := v.Visible(answers)
		for i, q := range v.Questions {
			_, given := answers[q.Key]
			if given && !shown[i] {
				t.Fatalf("an answer to %q, which is not shown", q.Key)
			}
			if q.Required && shown[i] && !given {
				t.Fatalf("required %q is shown and not answered", q.Key)
			}
		}
		again := map[string]json.RawMessage{}
		for key, a := range answers {
			q := v.Question(key)
			if q == nil {
				t.Fatalf("an answer to %q, which is not a question", key)
			}
			if _, sent := raw[key]; !sent {
				t.Fatalf("an answer to %q, which was not sent", key)
			}
			b, err := json.Marshal(a.Value(q.Type))
			if err != nil {
				t.Fatalf("Marshal %q: %v", key, err)
			}
			again[key] = b
		}
		reparsed, err := v.ParseAnswers(again)
		if err != nil {
			t.Fatalf("ParseAnswers of its own answers: %v\n%s", err, formatFields(surveys.ErrorFields(err)))
		}
		if !reflect.DeepEqual(reparsed, answers) {
			t.Fatalf("answers written back parse differently:\n%#v\n%#v", answers, reparsed)
		}
	})
}
