package demo_test

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/demo"
	"github.com/heard-app/heard/surveys/templates"
)

func definitions(t *testing.T) []*surveys.Definition {
	t.Helper()
	defs, err := templates.All()
	if err != nil {
		t.Fatal(err)
	}
	return append(defs, conditional(t))
}

// conditional is a small survey whose questions are mostly hidden unless
// earlier answers show them, with a required question among them.
func conditional(t *testing.T) *surveys.Definition {
	t.Helper()
	d, err := surveys.ParseDefinition([]byte(`{
		"slug": "demo-test", "edition": 2026, "kind": "other", "title": {"en": "Test"},
		"versions": [{"key": "all", "label": {"en": "All"}, "questions": [
			{"key": "pets", "type": "multi_choice", "text": {"en": "Pets?"}, "max_choices": 2,
			 "choices": [{"key": "cat", "label": {"en": "Cat"}}, {"key": "dog", "label": {"en": "Dog"}},
			             {"key": "none", "label": {"en": "None"}}]},
			{"key": "dog_name", "type": "text", "text": {"en": "Dog's name?"}, "max_length": 40,
			 "show_if": {"all": [{"question": "pets", "op": "eq", "value": "dog"}]}},
			{"key": "mood", "type": "rating", "text": {"en": "Mood?"}, "min": 1, "max": 3, "required": true},
			{"key": "low", "type": "scale", "text": {"en": "Low?"},
			 "choices": [{"key": "yes", "label": {"en": "Yes"}, "favourable": true}, {"key": "no", "label": {"en": "No"}}],
			 "show_if": {"any": [{"question": "mood", "op": "lte", "value": 1}, {"question": "dog_name", "op": "answered"}]}},
			{"key": "skipped_pets", "type": "single_choice", "text": {"en": "Why?"},
			 "choices": [{"key": "a", "label": {"en": "A"}}, {"key": "b", "label": {"en": "B"}}],
			 "show_if": {"all": [{"question": "pets", "op": "not_answered"}]}},
			{"key": "not_low", "type": "single_choice", "text": {"en": "Why not?"},
			 "choices": [{"key": "a", "label": {"en": "A"}}, {"key": "b", "label": {"en": "B"}}],
			 "show_if": {"all": [{"question": "low", "op": "neq", "value": "yes"}]}}
		]}]}`))
	if err != nil {
		t.Fatalf("%v (%v)", err, surveys.ErrorFields(err))
	}
	return d
}

// TestAnswersParse checks, over thousands of seeds for every version of
// every template, that made-up answers always pass ParseAnswers.
func TestAnswersParse(t *testing.T) {
	t.Parallel()
	const seeds = 3000
	for _, d := range definitions(t) {
		for vi := range d.Versions {
			v := &d.Versions[vi]
			t.Run(d.Slug+"/"+v.Key, func(t *testing.T) {
				t.Parallel()
				answered := map[string]int{}
				for seed := range uint64(seeds) {
					rng := rand.New(rand.NewPCG(seed, 1))
					raw := demo.Answers(v, rng)
					answers, err := v.ParseAnswers(raw)
					if err != nil {
						t.Fatalf("seed %d: %v (%v)\n%s", seed, err, surveys.ErrorFields(err), show(raw))
					}
					if len(answers) != len(raw) {
						t.Fatalf("seed %d: %d raw answers became %d", seed, len(raw), len(answers))
					}
					for key, a := range answers {
						answered[key]++
						if q := v.Question(key); q.Type == surveys.FreeText && !strings.HasPrefix(a.Text, "[demo] ") {
							t.Fatalf("seed %d: comment %q does not start with [demo]", seed, a.Text)
						}
					}
				}
				// Every question, shown or hidden at first, is answered in
				// some run.
				for _, q := range v.Questions {
					if answered[q.Key] == 0 {
						t.Errorf("%s was never answered in %d runs", q.Key, seeds)
					}
				}
			})
		}
	}
}

func show(raw map[string]json.RawMessage) string {
	b, _ := json.MarshalIndent(raw, "", "  ")
	return string(b)
}

// TestAnswersShape checks the rates and skews that make demo results look
// like real ones.
func TestAnswersShape(t *testing.T) {
	t.Parallel()
	d, err := templates.Get("cared-for-2026")
	if err != nil {
		t.Fatal(err)
	}
	v := d.Version("11-18")
	rng := rand.New(rand.NewPCG(7, 7))
	const runs = 4000
	var shown, skipped, textShown, textAnswered, fav, scales, ratingSum, ratings int
	for range runs {
		raw := demo.Answers(v, rng)
		answers, err := v.ParseAnswers(raw)
		if err != nil {
			t.Fatal(err)
		}
		visible := v.Visible(answers)
		for i, q := range v.Questions {
			if !visible[i] {
				continue
			}
			a, ok := answers[q.Key]
			switch q.Type {
			case surveys.FreeText:
				textShown++
				if ok {
					textAnswered++
				}
				continue
			case surveys.Scale:
				if ok {
					scales++
					if q.Choice(a.Choice).Favourable {
						fav++
					}
				}
			case surveys.Rating:
				if ok {
					ratings++
					ratingSum += a.Number
				}
			case surveys.MultiChoice:
				if ok && q.MaxChoices > 0 && len(a.Choices) > q.MaxChoices {
					t.Fatalf("%s: %d choices, most is %d", q.Key, len(a.Choices), q.MaxChoices)
				}
			}
			shown++
			if !ok {
				skipped++
			}
		}
	}
	between := func(name string, got, lo, hi float64) {
		t.Helper()
		if got < lo || got > hi {
			t.Errorf("%s = %.3f, want %.2f to %.2f", name, got, lo, hi)
		}
	}
	between("share of shown optional questions skipped", float64(skipped)/float64(shown), 0.07, 0.13)
	between("share of shown text questions answered", float64(textAnswered)/float64(textShown), 0.28, 0.39)
	between("share of scale answers favourable", float64(fav)/float64(scales), 0.5, 0.85)
	between("mean life satisfaction", float64(ratingSum)/float64(ratings), 5.5, 8)
}

func TestSubmissions(t *testing.T) {
	t.Parallel()
	uuid4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for _, d := range definitions(t) {
		t.Run(d.Slug, func(t *testing.T) {
			t.Parallel()
			const n = 3000
			subs := demo.Submissions(d, n, 42)
			if len(subs) != n {
				t.Fatalf("%d submissions, want %d", len(subs), n)
			}
			ids := map[string]bool{}
			perVersion := map[string]int{}
			for _, s := range subs {
				if !uuid4.MatchString(s.ID) {
					t.Fatalf("id %q is not a lower-case version 4 UUID", s.ID)
				}
				if id, ok := surveys.NormalizeID(s.ID); !ok || id != s.ID {
					t.Fatalf("id %q is not accepted by NormalizeID", s.ID)
				}
				if ids[s.ID] {
					t.Fatalf("id %q is used twice", s.ID)
				}
				ids[s.ID] = true
				if s.Lang != "en" {
					t.Errorf("lang %q, want en", s.Lang)
				}
				v := d.Version(s.Version)
				if v == nil {
					t.Fatalf("no version %q", s.Version)
				}
				if _, err := v.ParseAnswers(s.Answers); err != nil {
					t.Fatalf("%s: %v (%v)", s.ID, err, surveys.ErrorFields(err))
				}
				perVersion[s.Version]++
			}
			for i := 1; i < len(d.Versions); i++ {
				younger, older := d.Versions[i-1].Key, d.Versions[i].Key
				if perVersion[older] <= perVersion[younger] {
					t.Errorf("%d submissions to %s but %d to older %s; want more to older", perVersion[younger], younger, perVersion[older], older)
				}
			}
			if !reflect.DeepEqual(subs, demo.Submissions(d, n, 42)) {
				t.Error("the same seed gave different submissions")
			}
			other := demo.Submissions(d, n, 43)
			if reflect.DeepEqual(subs, other) || subs[0].ID == other[0].ID {
				t.Error("different seeds gave the same submissions")
			}
		})
	}
}

func TestSubmissionsEmpty(t *testing.T) {
	t.Parallel()
	d, err := templates.Get("school-council-2026")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, -1} {
		if got := demo.Submissions(d, n, 1); len(got) != 0 {
			t.Errorf("Submissions(%d) gave %d", n, len(got))
		}
	}
	if got := demo.Submissions(&surveys.Definition{}, 5, 1); len(got) != 0 {
		t.Errorf("Submissions of no versions gave %d", len(got))
	}
}
