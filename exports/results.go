package exports

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/heard-app/heard/surveys"
)

// AllVersions is the version column's value for the figures of every
// version together.
const AllVersions = "all"

// Measures: what a row of published results counts.
const (
	MeasureResponses = "responses" // responses to the version (or to all)
	MeasureAnswered  = "answered"  // people who answered the question
	MeasureChoice    = "choice"    // people who gave one choice
	MeasureValue     = "value"     // people who gave one rating value
)

// PublishedResults are a survey's aggregated results as open data: the
// figures of all versions together and of each version, with every small
// number suppressed, as rows.
type PublishedResults struct {
	Survey    string      `json:"survey"`
	Title     string      `json:"title"`
	Edition   int         `json:"edition"`
	Threshold int         `json:"threshold"`
	Generated string      `json:"generated"` // the day the file was made, "2006-01-02"
	Rows      []ResultRow `json:"rows"`
}

// ResultRow is one figure. A suppressed count or percentage is nil (an
// empty cell in CSV, null in JSON) with Suppressed set: the number itself
// is never written.
type ResultRow struct {
	Version      string   `json:"version"` // AllVersions or a version's key
	Section      string   `json:"section"`
	Question     string   `json:"question"`
	QuestionText string   `json:"question_text"`
	Type         string   `json:"type"`
	Measure      string   `json:"measure"`
	Choice       string   `json:"choice"` // a choice's key, or a rating value
	ChoiceText   string   `json:"choice_text"`
	Count        *int     `json:"count"`
	Percent      *float64 `json:"percent"` // of the people who answered the question
	Suppressed   bool     `json:"suppressed"`
}

// resultColumns are the CSV's columns, in order.
var resultColumns = []string{"survey", "edition", "version", "section", "question", "question_text", "type",
	"measure", "choice", "choice_text", "count", "percent", "suppressed"}

// PublishResults computes s's results for all versions together and for
// each version with surveys.ComputeResults, so that every rule of
// suppression there holds, and then hides what putting those tables side
// by side would give away (see protectAcrossVersions). now dates the file.
func PublishResults(s *surveys.Survey, tallies []*surveys.Tally, threshold int, now time.Time) (*PublishedResults, error) {
	all, err := surveys.ComputeResults(s, tallies, surveys.ResultsQuery{}, threshold)
	if err != nil {
		return nil, fmt.Errorf("results of %s: %w", s.Slug, err)
	}
	byVersion := make([]*surveys.Results, len(s.Versions))
	for i, v := range s.Versions {
		if byVersion[i], err = surveys.ComputeResults(s, tallies, surveys.ResultsQuery{Version: v.Key}, threshold); err != nil {
			return nil, fmt.Errorf("results of %s/%s: %w", s.Slug, v.Key, err)
		}
	}
	protectAcrossVersions(all, byVersion, answeredVersions(s, tallies), threshold)

	p := &PublishedResults{Survey: s.Slug, Title: english(s.Title), Edition: s.Edition, Threshold: threshold,
		Generated: now.UTC().Format(time.DateOnly)}
	defs := map[string]*surveys.Question{}
	for _, u := range surveyQuestions(s) {
		defs[u.Question.Key] = &u.Question
	}
	p.Rows = appendResultRows(p.Rows, AllVersions, all, defs)
	for i := range s.Versions {
		v := &s.Versions[i]
		vdefs := map[string]*surveys.Question{}
		for j := range v.Questions {
			vdefs[v.Questions[j].Key] = &v.Questions[j]
		}
		p.Rows = appendResultRows(p.Rows, v.Key, byVersion[i], vdefs)
	}
	return p, nil
}

// answeredVersions says which versions have any responses. A version no
// one answered hides nothing: the domain's own rules let the whole minus
// the other versions show it as none (surveys.versionShown), so its empty
// tables take no part in the checks across versions.
func answeredVersions(s *surveys.Survey, tallies []*surveys.Tally) []bool {
	out := make([]bool, len(s.Versions))
	for _, t := range tallies {
		for i, v := range s.Versions {
			if v.Key == t.Version && t.Slice(surveys.AllSlice).Responses > 0 {
				out[i] = true
			}
		}
	}
	return out
}

// appendResultRows adds the rows of one table of results: its responses,
// then each question's answered count and cells.
func appendResultRows(rows []ResultRow, version string, res *surveys.Results, defs map[string]*surveys.Question) []ResultRow {
	rows = append(rows, ResultRow{Version: version, Measure: MeasureResponses, Count: res.Responses, Suppressed: res.Responses == nil})
	for i := range res.Questions {
		qr := &res.Questions[i]
		def := defs[qr.Key]
		if def == nil {
			continue // cannot happen: results come from the same definitions
		}
		base := ResultRow{Version: version, Section: def.Section, Question: qr.Key, QuestionText: english(def.Text), Type: string(qr.Type)}
		answered := base
		answered.Measure, answered.Count, answered.Suppressed = MeasureAnswered, qr.Answered, qr.Answered == nil
		rows = append(rows, answered)
		for _, c := range qr.Choices {
			row := cellRow(base, c)
			row.Measure, row.Choice, row.ChoiceText = MeasureChoice, c.Key, c.Key
			if ch := def.Choice(c.Key); ch != nil {
				row.ChoiceText = english(ch.Label)
			}
			rows = append(rows, row)
		}
		for _, c := range qr.Distribution {
			row := cellRow(base, c)
			row.Measure, row.Choice, row.ChoiceText = MeasureValue, strconv.Itoa(*c.Value), ratingText(def, *c.Value)
			rows = append(rows, row)
		}
	}
	return rows
}

func cellRow(base ResultRow, c surveys.CellResult) ResultRow {
	base.Count, base.Percent = c.Count, c.Percent
	base.Suppressed = c.Suppressed || c.Count == nil || c.Percent == nil
	if base.Suppressed {
		base.Count, base.Percent = nil, nil
	}
	return base
}

// ratingText labels a rating value: the number, with what the ends mean.
func ratingText(q *surveys.Question, n int) string {
	lo, hi := q.RatingRange()
	text := strconv.Itoa(n)
	if l := english(q.MinLabel); n == lo && l != "" {
		text += " – " + l
	} else if l := english(q.MaxLabel); n == hi && l != "" {
		text += " – " + l
	}
	return text
}

// WriteResultsCSV writes the results as CSV, one figure a row, with a
// header row of stable column names.
func WriteResultsCSV(w io.Writer, p *PublishedResults) error {
	cw := newCSVWriter(w)
	if err := cw.write(resultColumns...); err != nil {
		return err
	}
	edition := strconv.Itoa(p.Edition)
	for _, r := range p.Rows {
		err := cw.write(p.Survey, edition, r.Version, r.Section, r.Question, r.QuestionText, r.Type,
			r.Measure, r.Choice, r.ChoiceText, countCell(r.Count), percentCell(r.Percent), strconv.FormatBool(r.Suppressed))
		if err != nil {
			return err
		}
	}
	return cw.flush()
}

// WriteResultsJSON writes the results as one JSON object: the survey, its
// edition, the threshold, the day it was made and the rows.
func WriteResultsJSON(w io.Writer, p *PublishedResults) error {
	out := *p
	if out.Rows == nil {
		out.Rows = []ResultRow{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&out); err != nil {
		return fmt.Errorf("write results JSON: %w", err)
	}
	return nil
}

func countCell(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// percentCell writes a percentage with one decimal place, as computed.
func percentCell(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', 1, 64)
}

// protectAcrossVersions hides more figures, in place, so that putting the
// tables of all versions and of each version side by side gives away no
// hidden figure.
//
// Each figure of all versions (the people who answered a question, or who
// gave one choice or value) is the sum of the same figure in every version
// that asks it, so the two make one more table: the versions' figures and
// their total. surveys.ComputeResults suppresses each table on its own
// (docs/suppression.md says what it leaves), so here, as rule 2 of
// surveys/suppress.go does within a table: while exactly one figure of
// such a table is hidden, or its total is shown and the hidden figures add
// up to more than none but fewer than threshold, the smallest figure still
// shown in a version is hidden too (for the people who answered, the
// version's whole question). Only when no version shows one is the total
// hidden. Hiding a figure in a table can give away another of that table,
// so rule 2 is applied to it again, and the whole goes round until nothing
// changes; figures are only ever hidden, so it ends.
//
// A version no one answered takes no part (its figures are known to be
// none), and nor does a version that does not ask the question or offer
// the choice.
func protectAcrossVersions(all *surveys.Results, versions []*surveys.Results, answered []bool, threshold int) {
	for changed := true; changed; {
		changed = false
		for i := range all.Questions {
			aq := &all.Questions[i]
			parts := questionParts(aq.Key, versions, answered)
			if len(parts) == 0 {
				continue
			}
			if protectAnswered(aq, parts, threshold) {
				changed = true
			}
			for j := range tableCells(aq) {
				if protectCell(aq, j, parts, threshold) {
					changed = true
				}
			}
		}
	}
}

// questionParts returns the results of the question key in each version
// that has responses and asks it.
func questionParts(key string, versions []*surveys.Results, answered []bool) []*surveys.QuestionResult {
	var parts []*surveys.QuestionResult
	for i, res := range versions {
		if !answered[i] {
			continue
		}
		for j := range res.Questions {
			if res.Questions[j].Key == key {
				parts = append(parts, &res.Questions[j])
			}
		}
	}
	return parts
}

// protectAnswered checks the people who answered aq across its parts, and
// hides one more figure if they give one away. It reports whether it did.
func protectAnswered(aq *surveys.QuestionResult, parts []*surveys.QuestionResult, threshold int) bool {
	var shown []*surveys.QuestionResult
	sum := 0
	for _, p := range parts {
		if p.Answered != nil {
			shown = append(shown, p)
			sum += *p.Answered
		}
	}
	hidden := len(parts) - len(shown)
	if aq.Answered == nil {
		hidden++
	}
	if !needsMore(hidden, aq.Answered, sum, threshold) {
		return false
	}
	if len(shown) == 0 {
		if aq.Answered == nil {
			return false // nothing shown at all: nothing to give away
		}
		hideQuestion(aq)
		return true
	}
	smallest := shown[0]
	for _, p := range shown[1:] {
		if *p.Answered < *smallest.Answered {
			smallest = p
		}
	}
	hideQuestion(smallest)
	return true
}

// protectCell checks cell j of aq across its parts, and hides one more
// figure (then applies rule 2 to that figure's own table) if they give
// one away. It reports whether it did.
func protectCell(aq *surveys.QuestionResult, j int, parts []*surveys.QuestionResult, threshold int) bool {
	total := &tableCells(aq)[j]
	key := cellKey(total)
	var shown []*surveys.CellResult
	var owners []*surveys.QuestionResult
	hidden, sum := 0, 0
	for _, p := range parts {
		cells := tableCells(p)
		for k := range cells {
			c := &cells[k]
			if cellKey(c) != key {
				continue
			}
			if c.Count == nil {
				hidden++
				continue
			}
			shown, owners = append(shown, c), append(owners, p)
			sum += *c.Count
		}
	}
	if total.Count == nil {
		hidden++
	}
	if !needsMore(hidden, total.Count, sum, threshold) {
		return false
	}
	if len(shown) == 0 {
		if total.Count == nil {
			return false // nothing shown at all: nothing to give away
		}
		hideCell(total)
		widenTable(aq, threshold)
		return true
	}
	at := 0
	for k := range shown {
		if *shown[k].Count < *shown[at].Count {
			at = k
		}
	}
	hideCell(shown[at])
	widenTable(owners[at], threshold)
	return true
}

// needsMore is rule 2 for a table of figures and their total: more must be
// hidden when exactly one of them is, or when the total is shown and the
// hidden figures add up to more than none but fewer than threshold.
func needsMore(hidden int, total *int, shownSum, threshold int) bool {
	if hidden == 1 {
		return true
	}
	if total == nil {
		return false
	}
	rest := *total - shownSum
	return rest > 0 && rest < threshold
}

// widenTable applies rule 2 of surveys/suppress.go to one question's own
// table again, after a cell of it was hidden: while exactly one cell is
// hidden, or (when the cells add up to the number who answered, as they
// do but for multi_choice) the hidden ones add up to more than none but
// fewer than threshold, the smallest cell still shown (the first of
// equals) is hidden too.
func widenTable(q *surveys.QuestionResult, threshold int) {
	if q.Answered == nil {
		return
	}
	cells := tableCells(q)
	sums := q.Type != surveys.MultiChoice
	for {
		hidden, shownSum, smallest := 0, 0, -1
		for i := range cells {
			c := &cells[i]
			if c.Count == nil {
				hidden++
				continue
			}
			shownSum += *c.Count
			if smallest < 0 || *c.Count < *cells[smallest].Count {
				smallest = i
			}
		}
		rest := *q.Answered - shownSum
		need := hidden == 1 || (sums && rest > 0 && rest < threshold)
		if !need || smallest < 0 {
			return
		}
		hideCell(&cells[smallest])
	}
}

// tableCells returns a question's cells: its choices, or a rating's values.
func tableCells(q *surveys.QuestionResult) []surveys.CellResult {
	if q.Type == surveys.Rating {
		return q.Distribution
	}
	return q.Choices
}

// cellKey names a cell the same way in every version: its choice's key,
// or its rating value.
func cellKey(c *surveys.CellResult) string {
	if c.Value != nil {
		return "=" + strconv.Itoa(*c.Value)
	}
	return c.Key
}

func hideCell(c *surveys.CellResult) {
	c.Count, c.Percent, c.Suppressed = nil, nil, true
}

// hideQuestion hides every figure of a question, as ComputeResults does
// for one answered by too few.
func hideQuestion(q *surveys.QuestionResult) {
	q.Answered, q.Suppressed, q.Median = nil, true, nil
	cells := tableCells(q)
	for i := range cells {
		hideCell(&cells[i])
	}
}
