package surveys

// AllSlice is the key of the slice of a tally that counts every response.
const AllSlice = "all"

// SliceKey names the slice of a tally that counts the responses whose answer
// to the breakdown question is the choice, such as "area:north".
func SliceKey(question, choice string) string { return question + ":" + choice }

// Tally is the pre-aggregated count of one survey version's responses: the
// whole (AllSlice) and, for every answer to each breakdown question, the
// responses that gave it. Results are computed from tallies alone, so
// reading them costs the same for a hundred responses or a million.
type Tally struct {
	Survey  string
	Version string
	Slices  map[string]*SliceTally
}

// SliceTally counts one group of responses.
type SliceTally struct {
	Responses int
	Questions map[string]*QuestionTally
}

// QuestionTally counts the answers to one question within a slice.
type QuestionTally struct {
	Answered int
	// Counts holds the number of times each choice was chosen or, for a
	// rating, each value was given (keyed by the value in decimal).
	Counts map[string]int
}

// NewTally returns an empty tally of a survey version.
func NewTally(survey, version string) *Tally {
	return &Tally{Survey: survey, Version: version, Slices: map[string]*SliceTally{}}
}

// Add counts r, a response to version v, in every slice it belongs to.
func (t *Tally) Add(v *Version, r *Response) {
	t.slice(AllSlice).add(v, r)
	for i := range v.Questions {
		q := &v.Questions[i]
		if !q.Breakdown {
			continue
		}
		if a, ok := r.Answers[q.Key]; ok {
			t.slice(SliceKey(q.Key, a.Choice)).add(v, r)
		}
	}
}

// Merge adds every count of o to t.
func (t *Tally) Merge(o *Tally) {
	for key, os := range o.Slices {
		s := t.slice(key)
		s.Responses += os.Responses
		for qk, oq := range os.Questions {
			q := s.question(qk)
			q.Answered += oq.Answered
			for ck, n := range oq.Counts {
				q.Counts[ck] += n
			}
		}
	}
}

// Slice returns the slice with the key, or an empty one.
func (t *Tally) Slice(key string) *SliceTally {
	if s, ok := t.Slices[key]; ok {
		return s
	}
	return &SliceTally{Questions: map[string]*QuestionTally{}}
}

func (t *Tally) slice(key string) *SliceTally {
	s, ok := t.Slices[key]
	if !ok {
		s = &SliceTally{Questions: map[string]*QuestionTally{}}
		t.Slices[key] = s
	}
	return s
}

// Question returns the counts of a question, or empty ones.
func (s *SliceTally) Question(key string) *QuestionTally {
	if q, ok := s.Questions[key]; ok {
		return q
	}
	return &QuestionTally{Counts: map[string]int{}}
}

func (s *SliceTally) question(key string) *QuestionTally {
	q, ok := s.Questions[key]
	if !ok {
		q = &QuestionTally{Counts: map[string]int{}}
		s.Questions[key] = q
	}
	return q
}

func (s *SliceTally) add(v *Version, r *Response) {
	s.Responses++
	for i := range v.Questions {
		q := &v.Questions[i]
		a, ok := r.Answers[q.Key]
		if !ok {
			continue
		}
		qt := s.question(q.Key)
		qt.Answered++
		switch q.Type {
		case SingleChoice, Scale:
			qt.Counts[a.Choice]++
		case MultiChoice:
			for _, k := range a.Choices {
				qt.Counts[k]++
			}
		case Rating:
			qt.Counts[ratingKey(a.Number)]++
		}
	}
}

// Equal reports whether two tallies hold the same counts. Zero counts and
// missing ones are the same.
func (t *Tally) Equal(o *Tally) bool {
	return t.covers(o) && o.covers(t)
}

func (t *Tally) covers(o *Tally) bool {
	for key, s := range t.Slices {
		os := o.Slice(key)
		if s.Responses != os.Responses {
			return false
		}
		for qk, q := range s.Questions {
			oq := os.Question(qk)
			if q.Answered != oq.Answered {
				return false
			}
			for ck, n := range q.Counts {
				if oq.Counts[ck] != n {
					return false
				}
			}
		}
	}
	return true
}
