package exports

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// csvWriter writes CSV whose cells a spreadsheet will not run as formulas.
// Young people's words and survey labels reach these files, and a cell
// such as =HYPERLINK(...) would otherwise become a live formula on the
// computer of whoever opens the download (OWASP's "CSV injection").
type csvWriter struct {
	w   *csv.Writer
	row []string
}

func newCSVWriter(w io.Writer) *csvWriter {
	return &csvWriter{w: csv.NewWriter(w)}
}

// write writes one row, each cell made safe.
func (cw *csvWriter) write(cells ...string) error {
	cw.row = cw.row[:0]
	for _, c := range cells {
		cw.row = append(cw.row, safeCell(c))
	}
	if err := cw.w.Write(cw.row); err != nil {
		return fmt.Errorf("write CSV row: %w", err)
	}
	return nil
}

// flush sends what is buffered on to the writer underneath.
func (cw *csvWriter) flush() error {
	cw.w.Flush()
	if err := cw.w.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// safeCell puts an apostrophe before a cell that starts with a character
// spreadsheets read as the start of a formula (=, +, -, @) or that they
// strip before looking again (tab, carriage return). The apostrophe shows
// the text as it was typed; nothing Heard writes as a number is negative,
// so no number is changed.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// questionUse is a question key as it appears across a survey's versions:
// its definition where it first appears, with the choices of every
// version added, and the versions that ask it.
type questionUse struct {
	Question surveys.Question
	Asked    []askedIn // in the survey's order of versions
}

// askedIn is a version that asks a question, and how it asks it (wording
// and choices can differ by age band).
type askedIn struct {
	Version  string
	Question *surveys.Question
}

// surveyQuestions returns every question key of s once, in the order of
// first appearance across its versions, as the results list them.
func surveyQuestions(s *surveys.Survey) []*questionUse {
	var out []*questionUse
	index := map[string]*questionUse{}
	for vi := range s.Versions {
		v := &s.Versions[vi]
		for qi := range v.Questions {
			q := &v.Questions[qi]
			u := index[q.Key]
			if u == nil {
				u = &questionUse{Question: *q}
				u.Question.Choices = slices.Clone(q.Choices)
				index[q.Key] = u
				out = append(out, u)
			}
			for _, c := range q.Choices {
				if u.Question.Choice(c.Key) == nil {
					u.Question.Choices = append(u.Question.Choices, c)
				}
			}
			u.Asked = append(u.Asked, askedIn{Version: v.Key, Question: q})
		}
	}
	return out
}

// english returns a text's English wording.
func english(t surveys.Text) string { return t.In(surveys.DefaultLanguage) }
