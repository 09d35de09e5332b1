package staff

import (
	"context"
	"fmt"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// sessionNote is an activity of a MADE session linked to a question, as
// the Results page words it under the question: where it came from, what
// it asked, and its figures as text, each suppressed as in the board
// report. Ideas and answers are not quoted here, as no free text is.
type sessionNote struct {
	From     string // "MADE North: feeling safe, 23 Nov 2026"
	Asked    string // "Poll: do you feel safe at home?"
	TookPart string // "12 young people took part."
	Figures  []string
}

// sessionNotes puts under each question the activities of ended MADE
// sessions linked to it, the board report's first ReportLinkedPerItem.
// The sessions are those the board report would show today; a filter or
// version of the page does not apply to them, and the note says so.
func (p *Pages) sessionNotes(ctx context.Context, s *surveys.Survey, threshold int, groups []resultGroup, fewer string) error {
	if p.cfg.Reports == nil {
		return nil
	}
	linked, _, err := p.cfg.Reports.Linked(ctx, s, p.cfg.Now(), threshold)
	if err != nil || len(linked) == 0 {
		return err
	}
	byQuestion := surveys.ByQuestion(linked)
	for gi := range groups {
		for qi := range groups[gi].Questions {
			qv := &groups[gi].Questions[qi]
			list := byQuestion[strings.TrimPrefix(qv.ID, "q-")]
			for i := range list[:min(len(list), surveys.ReportLinkedPerItem)] {
				qv.Sessions = append(qv.Sessions, noteOf(&list[i], fewer))
			}
			qv.MoreSessions = max(len(list)-surveys.ReportLinkedPerItem, 0)
		}
	}
	return nil
}

// noteOf words a linked activity.
func noteOf(la *surveys.LinkedActivity, fewer string) sessionNote {
	a := &la.Activity
	n := sessionNote{From: la.Title + ", " + dayOf(la.Date), Asked: a.Kind.Name() + ": " + a.Prompt}
	if a.Answered == nil {
		n.TookPart = "Fewer than " + strings.TrimPrefix(fewer, "fewer than ") + " young people took part."
	} else {
		n.TookPart = fmt.Sprintf("%d young people took part.", *a.Answered)
	}
	switch a.Kind {
	case surveys.ActivityPoll:
		for _, q := range a.Charts {
			if q.Answered != nil {
				n.Figures = append(n.Figures, cellsText(q.Cells, fewer))
			}
		}
	case surveys.ActivityRating:
		for _, q := range a.Charts {
			if q.Answered == nil {
				n.Figures = append(n.Figures, fmt.Sprintf("“%s”: rated by %s young people.", q.Text, fewer))
				continue
			}
			n.Figures = append(n.Figures, fmt.Sprintf("“%s”, rated by %d: %s", q.Text, *q.Answered, cellsText(q.Cells, fewer)))
		}
	case surveys.ActivityDots:
		if a.Answered != nil {
			var parts []string
			for _, d := range a.Dots {
				if d.Count == nil {
					parts = append(parts, d.Label+": dots from "+fewer+" young people")
				} else {
					parts = append(parts, fmt.Sprintf("%s: %d dots", d.Label, *d.Count))
				}
			}
			n.Figures = append(n.Figures, strings.Join(parts, "; ")+".")
		}
	case surveys.ActivityIdeas, surveys.ActivityQuestion:
		n.Figures = append(n.Figures, "What young people wrote is in the session’s report and the comments.")
	case surveys.ActivityWords:
		var parts []string
		for _, w := range a.Words {
			parts = append(parts, fmt.Sprintf("“%s” by %d", w.Word, *w.People))
		}
		if len(parts) > 0 {
			n.Figures = append(n.Figures, "Words given most: "+strings.Join(parts, ", ")+".")
		}
	}
	return n
}

// cellsText words a chart's cells: "Yes 7 (58.3%), No 5 (41.7%)".
func cellsText(cells []surveys.ReportCell, fewer string) string {
	parts := make([]string, len(cells))
	for i, c := range cells {
		if c.Count == nil {
			parts[i] = c.Label + " " + fewer
			continue
		}
		parts[i] = fmt.Sprintf("%s %d (%s)", c.Label, *c.Count, tablePercent(*c.Percent))
	}
	return strings.Join(parts, ", ") + "."
}
