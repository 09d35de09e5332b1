package exports

import (
	"fmt"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// MADE sessions beside a board report's questions and themes: for each
// linked activity, the session it came from, what it asked, how many took
// part, and its results drawn with the session report's parts, made
// compact. Every figure is suppressed already (surveys.LinkActivities),
// and every text is one the room saw.

// linkedHeading starts the block of MADE sessions under a question: a
// thin rule and a small heading, kept with the start of what follows.
func (r *report) linkedHeading() {
	b := r.lines("From MADE sessions", style{size: sizeBody - 0.5, bold: true}, bodyW)
	r.gap(1.5)
	r.room(b.height() + 18)
	r.pdf.SetDrawColor(150, 150, 150)
	r.pdf.SetLineWidth(0.2)
	r.pdf.Line(marginX, r.y, marginX+bodyW, r.y)
	r.y += 1.2
	b.draw(r.pdf, marginX, r.y, bodyW)
	r.y += b.height() + 0.8
}

// linkedActivities draws linked activities, and says how many more there
// are in Heard.
func (r *report) linkedActivities(list []surveys.LinkedActivity, more int) {
	for i := range list {
		r.linkedActivity(&list[i])
	}
	switch {
	case more == 1:
		r.text("1 more activity from MADE sessions is linked here; it is in its session’s report.", styleSmall)
	case more > 1:
		r.text(thousands(more)+" more activities from MADE sessions are linked here; they are in their sessions’ reports.", styleSmall)
	}
	r.gap(2)
}

// linkedActivity draws one activity: where it came from, what it asked,
// and its results.
func (r *report) linkedActivity(la *surveys.LinkedActivity) {
	a := &la.Activity
	from := r.lines(sessionLine(la), styleSmall, bodyW)
	asked := r.lines(a.Kind.Name()+": "+a.Prompt, style{size: sizeBody - 0.5, bold: true}, bodyW)
	r.gap(1)
	r.room(from.height() + asked.height() + 10)
	from.draw(r.pdf, marginX, r.y, bodyW)
	r.y += from.height()
	asked.draw(r.pdf, marginX, r.y, bodyW)
	r.y += asked.height() + 0.5
	texts := a.Kind == surveys.ActivityIdeas || a.Kind == surveys.ActivityQuestion
	switch {
	case a.Answered == nil && texts:
		r.text(upperFirst(r.fewer)+" young people took part.", styleSmall)
	case a.Answered == nil:
		r.text(upperFirst(r.fewer)+" young people took part, so no figures are shown.", styleSmall)
		return
	default:
		r.text(thousands(*a.Answered)+" young people took part.", styleSmall)
	}
	switch a.Kind {
	case surveys.ActivityPoll:
		if len(a.Charts) > 0 && a.Charts[0].Answered != nil {
			r.choiceBars(&a.Charts[0])
		}
	case surveys.ActivityRating:
		r.facesTable(a.Charts)
	case surveys.ActivityDots:
		// The session report's bars: the report is all they use.
		(&sessionWriter{report: r}).dotBars(a.Dots)
	case surveys.ActivityIdeas, surveys.ActivityQuestion:
		r.linkedQuotes(a)
	case surveys.ActivityWords:
		r.linkedWords(a)
	}
}

// sessionLine names the session: "MADE North: Charter check, 23 November
// 2026, MADE North group".
func sessionLine(la *surveys.LinkedActivity) string {
	parts := []string{la.Title, longDate(la.Date)}
	if g := strings.TrimSpace(la.Group); g != "" {
		parts = append(parts, g+" group")
	}
	return strings.Join(parts, ", ")
}

// facesTable draws a rating as a table: a row for each statement, with
// how many chose each face and their share. A statement rated by fewer
// than the threshold shows no faces.
func (r *report) facesTable(charts []surveys.ReportQuestion) {
	// The faces' names are on the cells of any statement with figures.
	var faces []surveys.ReportCell
	for _, q := range charts {
		if len(q.Cells) == surveys.Faces {
			faces = q.Cells
			break
		}
	}
	if faces == nil {
		r.text(fmt.Sprintf("Each statement was rated by %s young people, so no faces are shown.", r.fewer), styleSmall)
		return
	}
	// Wide enough for "fewer than 5" on one line at the table's size.
	const faceW, answeredW = 20.6, 20.6
	cols := []column{{title: "Statement", width: bodyW - float64(surveys.Faces)*faceW - answeredW}}
	for _, c := range faces {
		cols = append(cols, column{title: c.Label, width: faceW, right: true})
	}
	cols = append(cols, column{title: "Rated by", width: answeredW, right: true})
	rows := make([][]string, 0, len(charts))
	for _, q := range charts {
		row := []string{q.Text}
		for i := range surveys.Faces {
			cell := "not shown"
			if q.Answered != nil && len(q.Cells) == surveys.Faces {
				cell = r.fewer
				if c := q.Cells[i]; c.Count != nil {
					cell = thousands(*c.Count) + " (" + pct(*c.Percent) + ")"
				}
			}
			row = append(row, cell)
		}
		rows = append(rows, append(row, count(q.Answered, r.fewer)))
	}
	r.table(cols, rows, style{size: 8})
}

// linkedQuotes quotes the ideas or answers the room saw, the most liked
// first.
func (r *report) linkedQuotes(a *surveys.SessionActivity) {
	what := "ideas"
	if a.Kind == surveys.ActivityQuestion {
		what = "answers"
	}
	if len(a.Quotes) == 0 {
		r.text("No "+what+" were shown to the room.", styleSmall)
		return
	}
	for _, q := range a.Quotes {
		r.quote(q.Text, quoteSource(q, a.Kind))
	}
	if a.MoreQuotes {
		r.text(fmt.Sprintf("These are %d of the %s the room saw, those with the most likes first.", len(a.Quotes), what), styleSmall)
	}
}

// linkedWords lists the words of a word cloud enough young people gave.
func (r *report) linkedWords(a *surveys.SessionActivity) {
	if len(a.Words) == 0 {
		r.text("No word was given by enough young people to be shown.", styleSmall)
		return
	}
	said := make([]string, len(a.Words))
	for i, w := range a.Words {
		said[i] = fmt.Sprintf("“%s” (%s)", w.Word, count(w.People, r.fewer))
	}
	r.text("Words given most, with how many young people gave each: "+strings.Join(said, ", ")+".", styleBody)
}

// themeSessions draws the activities linked to a theme.
func (r *report) themeSessions(t *surveys.ThemeSessions) {
	r.subheading("From MADE sessions: "+t.Name, 18)
	r.linkedActivities(t.Activities, t.More)
}

// madeSessions says, in "How this was done", which MADE sessions are
// shown beside the questions and themes, when any are.
func (b *boardWriter) madeSessions() {
	rep := b.rep
	shown := len(rep.ThemeSessions) > 0 || rep.SessionsLeftOut > 0
	for _, sec := range rep.Sections {
		for _, q := range sec.Questions {
			shown = shown || len(q.Sessions) > 0
		}
	}
	if !shown {
		return
	}
	b.subheading("MADE sessions", 10)
	b.text(fmt.Sprintf("Facilitators link the activities of MADE sessions to survey questions and to themes. "+
		"Beside each question are the activities linked to it, and beside each theme those linked to the theme and to none of the questions, "+
		"at most %d in each place, the most recent first. They come from sessions that had ended, held from %s to %s: "+
		"the year up to the end of the survey’s period, and the days since, up to the date of this report. "+
		"Their figures are counted and hidden as in the session reports, and only ideas and answers that were shown to the room are quoted, at most %d from each activity.",
		surveys.ReportLinkedPerItem, longDate(rep.SessionPeriod.From), longDate(rep.SessionPeriod.To), surveys.ReportLinkedQuotes), styleBody)
	if n := rep.SessionsLeftOut; n > 0 {
		left := "1 older session was"
		if n > 1 {
			left = thousands(n) + " older sessions were"
		}
		b.text(fmt.Sprintf("Only the %d most recent of those sessions were read; %s left out.", surveys.ReportLinkedSessions, left), styleBody)
	}
}
