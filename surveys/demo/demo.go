// Package demo makes up plausible, plainly synthetic answers to surveys, so
// that a demonstration or a development database has results to show. Every
// made-up comment starts with "[demo]", so that no one mistakes it for what
// a young person said.
package demo

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/heard-app/heard/surveys"
)

// How often optional questions are skipped, and text questions answered.
const (
	skipChance = 0.10
	textChance = 1.0 / 3
)

// Weights of choices: good news is the most common answer, as it is in real
// surveys, and "I'd rather not say" the least.
const (
	favourableWeight = 5.0
	firstOtherWeight = 2.0
	otherWeight      = 1.0
	reticentWeight   = 0.4
)

// reticent lists choice keys that mean "no answer really": picked rarely,
// and never beside another choice.
var reticent = []string{"rather_not_say", "not_sure", "none"}

// Made-up comments, by what the question asks.
var (
	goodComments = []string{
		"[demo] My carers are kind and they listen to me",
		"[demo] I like my school and my friends",
		"[demo] Going to football on Saturdays",
		"[demo] My social worker is nice and comes to see me",
		"[demo] I have my own room now",
		"[demo] Seeing my little brother every week",
		"[demo] The youth club on Tuesdays is good",
		"[demo] My PA helped me sort out my flat",
	}
	betterComments = []string{
		"[demo] More trips out in the holidays please",
		"[demo] Not changing social worker so much",
		"[demo] Seeing my nan more often",
		"[demo] Better wifi where I live",
		"[demo] Help with getting a bus pass",
		"[demo] More money for clothes",
		"[demo] Being asked before plans are made",
		"[demo] A quiet place to do my homework",
	}
	otherComments = []string{
		"[demo] No thanks",
		"[demo] Thank you for asking us",
		"[demo] I want to join the children in care council",
		"[demo] Can we have a party in the summer",
		"[demo] I like doing these surveys on my phone",
		"[demo] More clubs at the weekend please",
	}
)

// Answers makes up one young person's answers to v. It goes through the
// questions in order, answering only those shown given the answers so far,
// so the result always passes v.ParseAnswers. It skips about one optional
// question in ten, answers text questions about a third of the time, and
// leans towards favourable choices so that charts look like real ones.
func Answers(v *surveys.Version, rng *rand.Rand) map[string]json.RawMessage {
	given := map[string]surveys.Answer{}
	raw := map[string]json.RawMessage{}
	for i := range v.Questions {
		q := &v.Questions[i]
		if !q.ShowIf.Holds(v, given) {
			continue
		}
		if !q.Required {
			chance := 1 - skipChance
			if q.Type == surveys.FreeText {
				chance = textChance
			}
			if rng.Float64() >= chance {
				continue
			}
		}
		a, ok := answer(q, rng)
		if !ok {
			continue
		}
		data, err := json.Marshal(a.Value(q.Type))
		if err != nil {
			continue // cannot happen: answers are strings, lists and numbers
		}
		given[q.Key] = a
		raw[q.Key] = data
	}
	return raw
}

// answer makes up an answer to q; ok is false when q cannot be answered.
func answer(q *surveys.Question, rng *rand.Rand) (a surveys.Answer, ok bool) {
	switch q.Type {
	case surveys.SingleChoice, surveys.Scale:
		i := pick(q.Choices, nil, rng)
		if i < 0 {
			return a, false
		}
		return surveys.Answer{Choice: q.Choices[i].Key}, true
	case surveys.MultiChoice:
		return multi(q, rng)
	case surveys.Rating:
		lo, hi := q.RatingRange()
		if hi < lo {
			return a, false
		}
		// The larger of two draws leans towards the top of the range.
		n := max(lo+rng.IntN(hi-lo+1), lo+rng.IntN(hi-lo+1))
		return surveys.Answer{Number: n}, true
	case surveys.FreeText:
		s := comment(q, rng)
		if s == "" || utf8.RuneCountInString(s) > q.TextLimit() {
			return a, false
		}
		return surveys.Answer{Text: s}, true
	}
	return a, false
}

// multi picks one to three choices (fewer if max_choices says so), in the
// question's order. A reticent choice is always picked on its own.
func multi(q *surveys.Question, rng *rand.Rand) (surveys.Answer, bool) {
	limit := min(3, len(q.Choices))
	if q.MaxChoices > 0 {
		limit = min(limit, q.MaxChoices)
	}
	if limit < 1 {
		return surveys.Answer{}, false
	}
	want := 1 + rng.IntN(limit)
	chosen := make([]bool, len(q.Choices))
	for range want {
		i := pick(q.Choices, chosen, rng)
		if i < 0 {
			break
		}
		if isReticent(q.Choices[i].Key) {
			if slices.Contains(chosen, true) {
				continue
			}
			chosen[i] = true
			break
		}
		chosen[i] = true
	}
	var keys []string
	for i, c := range q.Choices {
		if chosen[i] {
			keys = append(keys, c.Key)
		}
	}
	if len(keys) == 0 {
		return surveys.Answer{}, false
	}
	return surveys.Answer{Choices: keys}, true
}

// pick returns the index of a choice not yet taken, at random by weight, or
// -1 when none is left.
func pick(choices []surveys.Choice, taken []bool, rng *rand.Rand) int {
	weights := make([]float64, len(choices))
	total := 0.0
	others := 0
	for i, c := range choices {
		var w float64
		switch {
		case isReticent(c.Key):
			w = reticentWeight
		case c.Favourable:
			w = favourableWeight
		case others == 0:
			w = firstOtherWeight
			others++
		default:
			w = otherWeight
		}
		if taken != nil && taken[i] {
			w = 0
		}
		weights[i] = w
		total += w
	}
	if total == 0 {
		return -1
	}
	r := rng.Float64() * total
	for i, w := range weights {
		if r < w {
			return i
		}
		r -= w
	}
	for i := len(weights) - 1; i >= 0; i-- {
		if weights[i] > 0 {
			return i
		}
	}
	return -1
}

func isReticent(key string) bool { return slices.Contains(reticent, key) }

// comment picks a made-up comment that suits what q asks, guessed from its
// key.
func comment(q *surveys.Question, rng *rand.Rand) string {
	list := otherComments
	switch key := q.Key; {
	case strings.Contains(key, "good"), strings.Contains(key, "best"):
		list = goodComments
	case strings.Contains(key, "better"), strings.Contains(key, "help"),
		strings.Contains(key, "idea"), strings.Contains(key, "change"):
		list = betterComments
	}
	return list[rng.IntN(len(list))]
}

// Submissions makes up n submissions to d, spread over its versions with
// more for the older age bands, each with an id in UUID form. The same d, n
// and seed always give the same submissions.
func Submissions(d *surveys.Definition, n int, seed uint64) []surveys.Submission {
	if n <= 0 || len(d.Versions) == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	weights := versionWeights(d.Versions)
	total := 0
	for _, w := range weights {
		total += w
	}
	subs := make([]surveys.Submission, 0, n)
	for range n {
		r := rng.IntN(total)
		vi := 0
		for r >= weights[vi] {
			r -= weights[vi]
			vi++
		}
		v := &d.Versions[vi]
		subs = append(subs, surveys.Submission{
			ID:      uuid(rng),
			Version: v.Key,
			Lang:    surveys.DefaultLanguage,
			Answers: Answers(v, rng),
		})
	}
	return subs
}

// versionWeights gives each version a weight by the rank of its lowest age:
// 1 for the youngest, 2 for the next, and so on. Versions without ages keep
// their place in the list.
func versionWeights(versions []surveys.Version) []int {
	order := make([]int, len(versions))
	for i := range order {
		order[i] = i
	}
	age := func(i int) int {
		if versions[i].AgeMin != nil {
			return *versions[i].AgeMin
		}
		return 0
	}
	slices.SortStableFunc(order, func(a, b int) int { return age(a) - age(b) })
	weights := make([]int, len(versions))
	for rank, i := range order {
		weights[i] = rank + 1
	}
	return weights
}

// uuid returns a random id in the form of a version 4 UUID.
func uuid(rng *rand.Rand) string {
	var b [16]byte
	hi, lo := rng.Uint64(), rng.Uint64()
	for i := range 8 {
		b[i] = byte(hi >> (56 - 8*i))
		b[8+i] = byte(lo >> (56 - 8*i))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
