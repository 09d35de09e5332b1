package surveys

import (
	"fmt"
	"slices"
	"strconv"
)

// ResultsQuery says which results to compute.
type ResultsQuery struct {
	Version string  // "" for all versions together
	Filter  *Filter // nil for every response
}

// Filter keeps the responses whose answer to a breakdown question is Choice.
type Filter struct {
	Question string `json:"question"`
	Choice   string `json:"choice"`
}

// Results are a survey's counts and percentages with every small number
// suppressed. A nil count or percentage is suppressed.
type Results struct {
	Survey     string           `json:"survey"`
	Edition    int              `json:"edition"`
	Version    string           `json:"version,omitempty"`
	Filter     *Filter          `json:"filter,omitempty"`
	Responses  *int             `json:"responses"`
	Suppressed bool             `json:"suppressed,omitempty"`
	Threshold  int              `json:"threshold"`
	Questions  []QuestionResult `json:"questions"`
}

// QuestionResult is one question's figures. Choices is set for choice and
// scale questions, Distribution and Median for ratings; text questions give
// only the number of answers.
type QuestionResult struct {
	Key          string       `json:"key"`
	Type         QuestionType `json:"type"`
	Answered     *int         `json:"answered"`
	Suppressed   bool         `json:"suppressed,omitempty"`
	Choices      []CellResult `json:"choices,omitempty"`
	Distribution []CellResult `json:"distribution,omitempty"`
	Median       *float64     `json:"median,omitempty"`
}

// CellResult is the count of one choice, or of one rating value.
type CellResult struct {
	Key        string   `json:"key,omitempty"`
	Value      *int     `json:"value,omitempty"`
	Count      *int     `json:"count"`
	Percent    *float64 `json:"percent"`
	Suppressed bool     `json:"suppressed,omitempty"`
}

// ComputeResults computes the results of s from its version tallies, with
// suppression at threshold. A version or breakdown slice that suppression
// hides in its parent table gives results with every figure suppressed, so
// that no one can work out a small group by subtracting the others from
// the whole.
func ComputeResults(s *Survey, tallies []*Tally, q ResultsQuery, threshold int) (*Results, error) {
	questions, err := s.resultQuestions(q)
	if err != nil {
		return nil, err
	}
	byVersion := map[string]*Tally{}
	all := NewTally(s.Slug, "")
	for _, t := range tallies {
		byVersion[t.Version] = t
		all.Merge(t)
	}
	res := &Results{Survey: s.Slug, Edition: s.Edition, Version: q.Version, Filter: q.Filter, Threshold: threshold}

	scope, visible := all, true
	if q.Version != "" {
		scope = byVersion[q.Version]
		if scope == nil {
			scope = NewTally(s.Slug, q.Version)
		}
		visible = s.versionShown(q.Version, byVersion, all, threshold)
	}
	slice := scope.Slice(AllSlice)
	if q.Filter != nil {
		visible = visible && sliceShown(questions, scope, *q.Filter, threshold)
		slice = scope.Slice(SliceKey(q.Filter.Question, q.Filter.Choice))
	}
	if !visible || slice.Responses < threshold {
		res.Suppressed = true
		for i := range questions {
			res.Questions = append(res.Questions, suppressedQuestion(&questions[i]))
		}
		return res, nil
	}
	res.Responses = ptr(slice.Responses)
	for i := range questions {
		res.Questions = append(res.Questions, questionResult(&questions[i], slice.Question(questions[i].Key), threshold))
	}
	return res, nil
}

// resultQuestions returns the questions the query covers: one version's, or
// the union of every version's in order of first appearance, with the
// choices and rating range of each key merged. It checks the query too.
func (s *Survey) resultQuestions(q ResultsQuery) ([]Question, error) {
	versions := s.Versions
	if q.Version != "" {
		v := s.Version(q.Version)
		if v == nil {
			return nil, Errorf(ENOTFOUND, "This survey has no version %q.", q.Version)
		}
		versions = []Version{*v}
	}
	var questions []Question
	index := map[string]int{}
	for _, v := range versions {
		for _, vq := range v.Questions {
			i, seen := index[vq.Key]
			if !seen {
				index[vq.Key] = len(questions)
				vq.Choices = slices.Clone(vq.Choices)
				questions = append(questions, vq)
				continue
			}
			mergeQuestion(&questions[i], &vq)
		}
	}
	if f := q.Filter; f != nil {
		i, ok := index[f.Question]
		if !ok || !questions[i].Breakdown {
			return nil, FieldsError("Results can be filtered only by a breakdown question.",
				map[string]string{"filter": fmt.Sprintf("%q is not a breakdown question of this survey", f.Question)})
		}
		if questions[i].Choice(f.Choice) == nil {
			return nil, FieldsError("The filter's answer is not one of the question's choices.",
				map[string]string{"filter": fmt.Sprintf("%q is not a choice of %q", f.Choice, f.Question)})
		}
	}
	return questions, nil
}

// mergeQuestion widens q with the choices, range and breakdown flag of the
// same key in another version.
func mergeQuestion(q, o *Question) {
	for _, c := range o.Choices {
		if q.Choice(c.Key) == nil {
			q.Choices = append(q.Choices, c)
		}
	}
	if q.Type == Rating {
		lo, hi := q.RatingRange()
		olo, ohi := o.RatingRange()
		q.Min, q.Max = ptr(min(lo, olo)), ptr(max(hi, ohi))
	}
	q.Breakdown = q.Breakdown || o.Breakdown
}

// versionShown reports whether a version's results may be shown: it must
// have at least threshold responses, and the responses of the versions
// hidden must be none or at least threshold, or else subtracting the shown
// versions from the whole would reveal them. (A version with no responses
// hides nothing, so it does not hide the others.)
func (s *Survey) versionShown(version string, byVersion map[string]*Tally, all *Tally, threshold int) bool {
	counts := make([]int, len(s.Versions))
	at := -1
	for i, v := range s.Versions {
		if t := byVersion[v.Key]; t != nil {
			counts[i] = t.Slice(AllSlice).Responses
		}
		if v.Key == version {
			at = i
		}
	}
	hidden := make([]bool, len(counts))
	for i, n := range counts {
		hidden[i] = n < threshold
	}
	widenRemainder(hidden, counts, all.Slice(AllSlice).Responses, threshold)
	return at >= 0 && !hidden[at]
}

// sliceShown reports whether the slice a filter selects may be shown. Its
// count must survive suppression in the breakdown question's own table, and
// then the responses outside every shown slice (hidden answers and people
// who skipped the question) must be none or at least threshold, or else
// subtracting the shown slices from the whole would reveal them.
func sliceShown(questions []Question, scope *Tally, f Filter, threshold int) bool {
	var bq *Question
	for i := range questions {
		if questions[i].Key == f.Question {
			bq = &questions[i]
		}
	}
	if bq == nil {
		return false
	}
	all := scope.Slice(AllSlice)
	counts := make([]int, len(bq.Choices))
	at := -1
	for i, c := range bq.Choices {
		counts[i] = scope.Slice(SliceKey(bq.Key, c.Key)).Responses
		if c.Key == f.Choice {
			at = i
		}
	}
	hidden := hideCells(counts, all.Question(bq.Key).Answered, threshold, true)
	widenRemainder(hidden, counts, all.Responses, threshold)
	return at >= 0 && !hidden[at]
}

func suppressedQuestion(q *Question) QuestionResult {
	r := QuestionResult{Key: q.Key, Type: q.Type, Suppressed: true}
	switch q.Type {
	case SingleChoice, MultiChoice, Scale:
		for _, c := range q.Choices {
			r.Choices = append(r.Choices, CellResult{Key: c.Key, Suppressed: true})
		}
	case Rating:
		lo, hi := q.RatingRange()
		for n := lo; n <= hi; n++ {
			r.Distribution = append(r.Distribution, CellResult{Value: ptr(n), Suppressed: true})
		}
	}
	return r
}

func questionResult(q *Question, t *QuestionTally, threshold int) QuestionResult {
	if t.Answered < threshold {
		return suppressedQuestion(q)
	}
	r := QuestionResult{Key: q.Key, Type: q.Type, Answered: ptr(t.Answered)}
	switch q.Type {
	case SingleChoice, MultiChoice, Scale:
		keys := make([]string, len(q.Choices))
		for i, c := range q.Choices {
			keys[i] = c.Key
		}
		r.Choices = cells(keys, t, threshold, q.Type != MultiChoice)
		for i := range r.Choices {
			r.Choices[i].Key = keys[i]
		}
	case Rating:
		lo, hi := q.RatingRange()
		var keys []string
		for n := lo; n <= hi; n++ {
			keys = append(keys, ratingKey(n))
		}
		r.Distribution = cells(keys, t, threshold, true)
		for i := range r.Distribution {
			r.Distribution[i].Value = ptr(lo + i)
		}
		r.Median = median(lo, hi, t)
	}
	return r
}

// cells returns the suppressed counts and percentages of the keys.
func cells(keys []string, t *QuestionTally, threshold int, sums bool) []CellResult {
	counts := make([]int, len(keys))
	for i, k := range keys {
		counts[i] = t.Counts[k]
	}
	hidden := hideCells(counts, t.Answered, threshold, sums)
	out := make([]CellResult, len(keys))
	for i, n := range counts {
		if hidden[i] {
			out[i] = CellResult{Suppressed: true}
			continue
		}
		out[i] = CellResult{Count: ptr(n), Percent: ptr(percent(n, t.Answered))}
	}
	return out
}

// median returns the median rating: the middle value, or the mean of the
// two middle values when the number of answers is even.
func median(lo, hi int, t *QuestionTally) *float64 {
	total := 0
	for n := lo; n <= hi; n++ {
		total += t.Counts[strconv.Itoa(n)]
	}
	if total == 0 {
		return nil
	}
	nth := func(k int) int { // the k-th smallest value, from 1
		seen := 0
		for n := lo; n <= hi; n++ {
			seen += t.Counts[strconv.Itoa(n)]
			if seen >= k {
				return n
			}
		}
		return hi
	}
	if total%2 == 1 {
		return ptr(float64(nth(total/2 + 1)))
	}
	return ptr(float64(nth(total/2)+nth(total/2+1)) / 2)
}

func ptr[T any](v T) *T { return &v }
