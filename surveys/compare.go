package surveys

import (
	"math"
	"strconv"
)

// Comparison says, for each question and choice both editions share, how
// many percentage points the share moved from the previous edition.
//
// It compares what the two Results show and nothing more: a figure
// suppressed on either side (the whole results, the question or the cell)
// gives no movement, so a comparison can never reveal a small number. The
// two Results should be of the same version and filter.
type Comparison struct {
	Previous        string `json:"previous"` // slug of the previous edition
	PreviousEdition int    `json:"previous_edition"`
	// Questions holds the questions both editions ask, by key, with the
	// same type; text questions are left out, having no shares to compare.
	Questions map[string]QuestionChange `json:"questions"`
}

// QuestionChange is the movement of one question's figures.
type QuestionChange struct {
	// Choices is keyed by choice key for choice, scale and multi_choice
	// questions, and by rating value in decimal ("7") for the distribution
	// of a rating. Only keys both editions have are here.
	Choices map[string]Change `json:"choices"`
	// Median is the difference of a rating's medians, in rating points,
	// when both editions show one.
	Median *Change `json:"median,omitempty"`
}

// Change is the movement of one figure.
type Change struct {
	// Previous is the previous edition's figure (a percentage, or a median
	// for QuestionChange.Median); nil when suppressed there.
	Previous *float64 `json:"previous"`
	// Points is the current figure minus the previous one, rounded to one
	// decimal place; nil when either side is suppressed.
	Points *float64 `json:"points"`
}

// CompareResults compares cur with prev, the results of the previous
// edition. It returns nil when either is nil.
func CompareResults(cur, prev *Results) *Comparison {
	if cur == nil || prev == nil {
		return nil
	}
	c := &Comparison{Previous: prev.Survey, PreviousEdition: prev.Edition, Questions: map[string]QuestionChange{}}
	before := make(map[string]*QuestionResult, len(prev.Questions))
	for i := range prev.Questions {
		before[prev.Questions[i].Key] = &prev.Questions[i]
	}
	for i := range cur.Questions {
		q := &cur.Questions[i]
		p := before[q.Key]
		if p == nil || p.Type != q.Type {
			// A question whose type changed asks something else now.
			continue
		}
		nowShown := !cur.Suppressed && !q.Suppressed
		thenShown := !prev.Suppressed && !p.Suppressed
		switch q.Type {
		case SingleChoice, MultiChoice, Scale:
			c.Questions[q.Key] = QuestionChange{Choices: compareCells(q.Choices, p.Choices, choiceCellKey, nowShown, thenShown)}
		case Rating:
			qc := QuestionChange{Choices: compareCells(q.Distribution, p.Distribution, ratingCellKey, nowShown, thenShown)}
			if nowShown && thenShown && q.Median != nil && p.Median != nil {
				qc.Median = &Change{Previous: ptr(*p.Median), Points: ptr(roundPoints(*q.Median - *p.Median))}
			}
			c.Questions[q.Key] = qc
		}
	}
	return c
}

// compareCells compares the cells the two tables share, by key. nowShown
// and thenShown say whether the tables' results and question are shown.
func compareCells(now, then []CellResult, key func(*CellResult) (string, bool), nowShown, thenShown bool) map[string]Change {
	before := make(map[string]*CellResult, len(then))
	for i := range then {
		if k, ok := key(&then[i]); ok {
			before[k] = &then[i]
		}
	}
	out := map[string]Change{}
	for i := range now {
		k, ok := key(&now[i])
		if !ok {
			continue
		}
		p := before[k]
		if p == nil {
			continue
		}
		var ch Change
		cur, prev := cellPercent(&now[i], nowShown), cellPercent(p, thenShown)
		if prev != nil {
			ch.Previous = ptr(*prev)
		}
		if cur != nil && prev != nil {
			ch.Points = ptr(roundPoints(*cur - *prev))
		}
		out[k] = ch
	}
	return out
}

// cellPercent returns the cell's percentage, or nil when it is suppressed
// at any level.
func cellPercent(c *CellResult, shown bool) *float64 {
	if !shown || c.Suppressed {
		return nil
	}
	return c.Percent
}

func choiceCellKey(c *CellResult) (string, bool) { return c.Key, c.Key != "" }

func ratingCellKey(c *CellResult) (string, bool) {
	if c.Value == nil {
		return "", false
	}
	return strconv.Itoa(*c.Value), true
}

// roundPoints rounds a difference to one decimal place, so that 55.1 - 100
// is -44.9 and not -44.900000000000006. It never gives negative zero.
func roundPoints(d float64) float64 {
	r := math.Round(d*10) / 10
	if r == 0 {
		return 0
	}
	return r
}
