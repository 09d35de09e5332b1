package exports

import (
	"cmp"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// ResponseBatches reads a survey's responses a batch at a time, calling
// each with every batch, and returns the first error (each's too).
type ResponseBatches func(each func([]*surveys.Response) error) error

// TextCell says what the cell of a text answer holds: the answer as
// written, or its approved quote, or "" for nothing.
type TextCell func(r *surveys.Response, q *surveys.Question, a surveys.Answer) string

// responseColumns come before the questions' columns.
var responseColumns = []string{"response_id", "version", "language", "day"}

// MultiSeparator joins the keys of a multi_choice answer in one cell.
const MultiSeparator = ";"

// WriteResponses writes a survey's individual responses as CSV: one row
// per response (its id, version, language and day), then a column per
// question key, in the order of first appearance across the versions.
// text gives the cells of text questions; nil leaves those columns out.
//
// It writes each batch as it is read, so that a survey of any size needs
// the memory of one batch, and sorts the rows of a batch by response id
// (a random UUID the young person's device made): storage order follows
// the order in which answers arrived, which is finer than the day a
// response keeps, and must not be passed on.
func WriteResponses(w io.Writer, s *surveys.Survey, text TextCell, read ResponseBatches) error {
	var columns []*surveys.Question
	for _, u := range surveyQuestions(s) {
		if u.Question.Type != surveys.FreeText || text != nil {
			columns = append(columns, &u.Question)
		}
	}
	cw := newCSVWriter(w)
	header := slices.Clone(responseColumns)
	for _, q := range columns {
		header = append(header, q.Key)
	}
	if err := cw.write(header...); err != nil {
		return err
	}
	if err := cw.flush(); err != nil {
		return err
	}
	row := make([]string, len(header))
	return read(func(batch []*surveys.Response) error {
		slices.SortFunc(batch, func(a, b *surveys.Response) int { return cmp.Compare(a.ID, b.ID) })
		for _, r := range batch {
			responseRow(row, s.Version(r.Version), r, columns, text)
			if err := cw.write(row...); err != nil {
				return err
			}
		}
		return cw.flush()
	})
}

// responseRow fills row with r's cells; v is r's version (nil if the
// survey no longer has it, which leaves its answers out).
func responseRow(row []string, v *surveys.Version, r *surveys.Response, columns []*surveys.Question, text TextCell) {
	row[0], row[1], row[2], row[3] = r.ID, r.Version, r.Lang, r.Day
	for i, col := range columns {
		row[len(responseColumns)+i] = ""
		if v == nil {
			continue
		}
		q := v.Question(col.Key)
		a, ok := r.Answers[col.Key]
		if q == nil || !ok {
			continue
		}
		row[len(responseColumns)+i] = answerCell(q, a, r, text)
	}
}

// answerCell writes one answer: a choice's key, the keys of a
// multi_choice answer joined by MultiSeparator, a rating's number, or
// what text gives for a text answer.
func answerCell(q *surveys.Question, a surveys.Answer, r *surveys.Response, text TextCell) string {
	switch q.Type {
	case surveys.SingleChoice, surveys.Scale:
		return a.Choice
	case surveys.MultiChoice:
		return strings.Join(a.Choices, MultiSeparator)
	case surveys.Rating:
		return strconv.Itoa(a.Number)
	case surveys.FreeText:
		if text != nil {
			return text(r, q, a)
		}
	}
	return ""
}

// dictionaryColumns are the data dictionary's columns.
var dictionaryColumns = []string{"column", "choice", "type", "versions", "section", "text", "min", "max"}

// WriteDictionary writes the data dictionary of the responses export as
// CSV: a row for each column that is not a question, then, for each
// question key, a row for the question and one for each choice, with the
// versions that ask it that way. A question or choice worded differently
// in some versions has a row per wording.
func WriteDictionary(w io.Writer, s *surveys.Survey) error {
	cw := newCSVWriter(w)
	if err := cw.write(dictionaryColumns...); err != nil {
		return err
	}
	var all []string
	for _, v := range s.Versions {
		all = append(all, v.Key)
	}
	versions := strings.Join(all, MultiSeparator)
	fixed := [][]string{
		{"response_id", "", "response", versions, "", "The response's id: a random UUID made by the young person's device. It names no one.", "", ""},
		{"version", "", "response", versions, "", "The version of the survey answered, by age band.", "", ""},
	}
	for _, v := range s.Versions {
		fixed = append(fixed, []string{"version", v.Key, "response", v.Key, "", english(v.Label), "", ""})
	}
	fixed = append(fixed,
		[]string{"language", "", "response", versions, "", "The language the survey was answered in, as a code such as en.", "", ""},
		[]string{"day", "", "response", versions, "", "The day (UTC) the response arrived, as 2006-01-02. Heard keeps no more precise time.", "", ""})
	for _, row := range fixed {
		if err := cw.write(row...); err != nil {
			return err
		}
	}
	for _, u := range surveyQuestions(s) {
		if err := writeQuestionRows(cw, u); err != nil {
			return err
		}
	}
	return cw.flush()
}

// writeQuestionRows writes a question's rows of the dictionary.
func writeQuestionRows(cw *csvWriter, u *questionUse) error {
	for _, g := range groupVersions(u.Asked, questionWording) {
		q := g.first
		lo, hi := "", ""
		if q.Type == surveys.Rating {
			l, h := q.RatingRange()
			lo, hi = strconv.Itoa(l), strconv.Itoa(h)
		}
		if err := cw.write(q.Key, "", string(q.Type), g.versions, q.Section, english(q.Text), lo, hi); err != nil {
			return err
		}
	}
	for _, c := range u.Question.Choices {
		var offered []askedIn
		for _, a := range u.Asked {
			if a.Question.Choice(c.Key) != nil {
				offered = append(offered, a)
			}
		}
		label := func(q *surveys.Question) string { return english(q.Choice(c.Key).Label) }
		for _, g := range groupVersions(offered, label) {
			if err := cw.write(u.Question.Key, c.Key, string(g.first.Type), g.versions, g.first.Section, label(g.first), "", ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// questionWording is what makes two versions' forms of a question
// different rows of the dictionary.
func questionWording(q *surveys.Question) string {
	lo, hi := q.RatingRange()
	return strings.Join([]string{string(q.Type), q.Section, english(q.Text), strconv.Itoa(lo), strconv.Itoa(hi)}, "\x00")
}

// versionGroup is the versions that share one form of a question.
type versionGroup struct {
	first    *surveys.Question
	versions string // their keys, joined by MultiSeparator
}

// groupVersions groups the versions by what form gives, in the order the
// forms first appear.
func groupVersions(asked []askedIn, form func(*surveys.Question) string) []versionGroup {
	var groups []versionGroup
	var members [][]string
	at := map[string]int{}
	for _, a := range asked {
		k := form(a.Question)
		i, ok := at[k]
		if !ok {
			i = len(groups)
			at[k] = i
			groups = append(groups, versionGroup{first: a.Question})
			members = append(members, nil)
		}
		members[i] = append(members[i], a.Version)
	}
	for i := range groups {
		groups[i].versions = strings.Join(members[i], MultiSeparator)
	}
	return groups
}
