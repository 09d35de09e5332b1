package exports

import (
	"fmt"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// Sections any report may have: pages of questions' charts, the themes
// of comments, "you said, we did", and the appendix of every figure. Each
// takes its data, already suppressed, and starts its own page; the board
// report is a list of them with a few of its own, and a session or area
// report will be another list.

// questionPages gives each section of a survey its own page of charts.
func (r *report) questionPages(sections []surveys.ReportSection) {
	for i := range sections {
		sec := &sections[i]
		r.section(sec.Title)
		for j := range sec.Questions {
			r.question(&sec.Questions[j])
		}
	}
}

// question draws a question's text and chart, and the activities of MADE
// sessions linked to it.
func (r *report) question(q *surveys.ReportQuestion) {
	r.questionFigures(q)
	if len(q.Sessions) > 0 {
		r.linkedHeading()
		r.linkedActivities(q.Sessions, q.MoreSessions)
	}
}

// questionFigures draws a question's text and chart.
func (r *report) questionFigures(q *surveys.ReportQuestion) {
	t := r.lines(q.Text, styleBold, bodyW)
	r.gap(2)
	r.room(t.height() + 14)
	t.draw(r.pdf, marginX, r.y, bodyW)
	r.y += t.height() + 0.5
	if q.Answered == nil {
		r.text("Answered by "+r.fewer+" young people, so no figures are shown.", styleSmall)
		return
	}
	switch q.Type {
	case surveys.FreeText:
		r.text(thousands(*q.Answered)+" young people wrote an answer. What they said is under “What young people told us in their own words”.", styleSmall)
		return
	case surveys.MultiChoice:
		r.text(thousands(*q.Answered)+" answered; each could choose more than one answer.", styleSmall)
	default:
		r.text(thousands(*q.Answered)+" answered.", styleSmall)
	}
	switch q.Type {
	case surveys.Scale:
		r.stackedBar(q)
	case surveys.Rating:
		r.choiceBars(q)
		if q.Median != nil {
			r.text("Middle answer (median): "+strings.TrimSuffix(fmt.Sprintf("%.1f", *q.Median), ".0"), styleSmall)
		}
	default:
		r.choiceBars(q)
	}
}

// themes draws a theme summary: its themes ranked, with their trend, and
// their approved quotes, each theme with the activities of MADE sessions
// linked to it. empty is what to say when there were too few comments to
// show.
func (r *report) themes(s *surveys.ThemeSummary, empty string, linked []surveys.ThemeSessions) {
	r.section("What young people told us in their own words")
	if s == nil || s.Voices.Total == nil {
		r.text(empty, styleBody)
		for i := range linked {
			r.themeSessions(&linked[i])
		}
		return
	}
	r.text(fmt.Sprintf("In the year from %s to %s, young people wrote or said %s comments in Heard’s surveys, MADE sessions and school councils. "+
		"Each comment was coded to themes by Heard, and the codes were checked by people. A comment can touch more than one theme. "+
		"The change is against the year before.", longDate(s.Query.From), longDate(s.Query.To), count(s.Voices.Total, r.fewer)), styleBody)
	rows := [][]string{}
	for _, t := range s.Themes {
		rows = append(rows, []string{t.Name, count(t.Total, r.fewer), changeCount(t.Change), share(t.NegativePercent), share(t.PositivePercent)})
	}
	// "not comparable" fits the change column on one line.
	r.table([]column{{title: "Theme", width: bodyW - 110}, {title: "Comments", width: 26, right: true},
		{title: "Change", width: 32, right: true}, {title: "Negative", width: 26, right: true}, {title: "Positive", width: 26, right: true}}, rows, styleBody)
	r.text("“Change” is the number of comments more or fewer than the year before; “not comparable” where either year had too few. "+
		"Negative and positive are the shares of the theme’s comments with that feeling.", styleSmall)
	drawn := map[string]bool{}
	for _, t := range s.Themes {
		if len(t.Quotes) > 0 {
			r.subheading("In their words: "+t.Name, 16)
			for _, q := range t.Quotes {
				r.quote(q.Text, channelName(q.Channel))
			}
		}
		for i := range linked {
			if linked[i].Key == t.Key {
				r.themeSessions(&linked[i])
				drawn[t.Key] = true
			}
		}
	}
	// Themes with too few comments to be listed may still have sessions.
	for i := range linked {
		if !drawn[linked[i].Key] {
			r.themeSessions(&linked[i])
		}
	}
}

func changeCount(c *int) string {
	switch {
	case c == nil:
		return "not comparable"
	case *c > 0:
		return "▲ " + thousands(*c)
	case *c < 0:
		return "▼ " + thousands(-*c)
	}
	return "no change"
}

func share(p *float64) string {
	if p == nil {
		return "not shown"
	}
	return pct(*p)
}

func channelName(c surveys.Channel) string {
	switch c {
	case surveys.ChannelSurvey:
		return "From a survey"
	case surveys.ChannelSession:
		return "From a MADE session"
	case surveys.ChannelSchoolCouncil:
		return "From a school council"
	}
	return string(c)
}

// actions draws "you said, we did" actions as a table; what is the part
// of the sentences that says what they are about ("this survey").
func (r *report) actions(list []*surveys.Action, what string) {
	r.section("You said, we did")
	if len(list) == 0 {
		r.text("No actions are recorded yet for what young people said in "+what+".", styleBody)
		return
	}
	r.text("What the council is doing about what young people said in "+what+": who owns each action, when it is due, and where it has got to.", styleBody)
	rows := make([][]string, 0, len(list))
	for _, a := range list {
		rows = append(rows, []string{a.Said.In(surveys.DefaultLanguage), a.Did.In(surveys.DefaultLanguage), a.Owner, actionStatus(a)})
	}
	r.table([]column{{title: "You said", width: 52}, {title: "We did, or will do", width: 56}, {title: "Owner", width: 30},
		{title: "Where it is", width: bodyW - 138}}, rows, style{size: 9})
}

// actionStatus words an action's status with a mark that reads in
// greyscale, its due date or the date it changed, and the reason when it
// is not possible.
func actionStatus(a *surveys.Action) string {
	changed := ""
	if n := len(a.History); n > 0 {
		changed = a.History[n-1].At.UTC().Format("2 January 2006")
	}
	due := ""
	if a.Due != "" {
		due = ", due " + longDate(a.Due)
	}
	switch a.Status {
	case surveys.ActionPlanned:
		return "○ Planned" + due
	case surveys.ActionInProgress:
		return "◐ In progress" + due
	case surveys.ActionDone:
		return "✓ Done, " + changed
	case surveys.ActionNotPossible:
		return "✕ Not possible: " + a.Reason
	}
	return string(a.Status)
}

// appendix lists every question with its full distribution.
func (r *report) appendix(sections []surveys.ReportSection) {
	r.section("Appendix: every question")
	r.text("Every question, with how many chose each answer. Percentages are of those who answered the question.", styleSmall)
	for _, sec := range sections {
		r.subheading(sec.Title, 14)
		for i := range sec.Questions {
			r.appendixQuestion(&sec.Questions[i])
		}
	}
}

func (r *report) appendixQuestion(q *surveys.ReportQuestion) {
	t := r.lines(q.Text, style{size: sizeSmall + 0.5, bold: true}, bodyW)
	r.room(t.height() + 10)
	t.draw(r.pdf, marginX, r.y, bodyW)
	r.y += t.height() + 0.5
	if q.Answered == nil {
		r.text("Answered by "+r.fewer+".", styleSmall)
		return
	}
	if q.Type == surveys.FreeText || len(q.Cells) == 0 {
		r.text(thousands(*q.Answered)+" answered.", styleSmall)
		return
	}
	rows := make([][]string, 0, len(q.Cells)+1)
	for _, c := range q.Cells {
		n, p := r.fewer, ""
		if c.Count != nil {
			n, p = thousands(*c.Count), pct1(*c.Percent)
		}
		rows = append(rows, []string{c.Label, n, p})
	}
	rows = append(rows, []string{"Answered", thousands(*q.Answered), ""})
	small := style{size: sizeSmall}
	r.table([]column{{title: "Answer", width: bodyW - 60}, {title: "Number", width: 30, right: true}, {title: "Share", width: 30, right: true}}, rows, small)
}
