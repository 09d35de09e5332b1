package exports

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// WriteSessionReport writes the report of a MADE session as an A4 PDF, in
// the board report's document and parts: a cover, who took part, a
// section for each activity, the themes of what was said, and how it was
// done. It prints only what rep holds: every figure in rep is suppressed
// already (surveys.BuildSessionReport), and a nil one is "fewer than N".
func WriteSessionReport(w io.Writer, rep *surveys.SessionReport) error {
	council := cmpOr(cleanText(rep.Council), "The council")
	title := cleanText(rep.Title)
	meta := reportMeta{
		Title:   title + ": MADE session report",
		Subject: "What young people said and did at " + title + ", " + longDate(rep.Date),
		Author:  council,
		Footer:  council + " · MADE session · " + title,
		Created: rep.Generated,
	}
	return writeReport(w, "session report", meta, rep.Threshold, func(r *report) []func() {
		sw := sessionWriter{report: r, rep: rep}
		parts := []func(){sw.cover, sw.tookPart}
		for i := range rep.Activities {
			parts = append(parts, func() { sw.activity(&rep.Activities[i]) })
		}
		return append(parts, sw.themeSection, sw.method)
	})
}

// SessionReportPDF makes a session's report and writes it, and returns
// the PDF and the name to save it as: "made-session-2026-11-23-<id>.pdf",
// with only letters, digits and hyphens, safe in a header.
func SessionReportPDF(ctx context.Context, reports *surveys.SessionReports, id string) ([]byte, string, error) {
	rep, err := reports.Report(ctx, id)
	if err != nil {
		return nil, "", err
	}
	var pdf bytes.Buffer
	if err := WriteSessionReport(&pdf, rep); err != nil {
		return nil, "", err
	}
	return pdf.Bytes(), "made-session-" + fileSafe(rep.Date) + "-" + fileSafe(rep.Session) + ".pdf", nil
}

// fileSafe keeps the letters, digits and hyphens of s.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') {
			return r
		}
		return -1
	}, s)
}

// sessionWriter draws the sections of a session report.
type sessionWriter struct {
	*report
	rep *surveys.SessionReport
}

// cover is the first page: who, what, when, and the marking.
func (s *sessionWriter) cover() {
	rep := s.rep
	rows := [][]string{
		{"Date of the session", longDate(rep.Date)},
		{"Group", cmpOr(rep.Group, "Not given")},
	}
	if strings.TrimSpace(rep.Purpose) != "" {
		rows = append(rows, []string{"Purpose", rep.Purpose})
	}
	rows = append(rows,
		[]string{"Where it is", s.statusText()},
		[]string{"Date of this report", rep.Generated.UTC().Format("2 January 2006")},
		[]string{"Themes coded with", codebookName(rep.Codebook)},
		[]string{"Protective marking", markingText},
	)
	s.report.cover(coverPage{Logo: rep.Logo, Council: rep.Council, Kicker: "MADE: Making a Difference Everywhere", Title: rep.Title,
		Subtitle: "What young people said and did in a MADE session", About: rows, Privacy: privacyNote(rep.Council, rep.Threshold)})
}

func (s *sessionWriter) statusText() string {
	if s.rep.Status == surveys.LiveEnded {
		return "Ended: the results are final"
	}
	return "Still running when this report was made: the figures may change"
}

// tookPart is attendance, the phones that joined, the Lundy check, and the
// activities at a glance.
func (s *sessionWriter) tookPart() {
	rep := s.rep
	s.section("Who took part")
	a := rep.Attendance
	if !a.Recorded {
		s.text("Attendance was not recorded for this session.", style{size: 16, bold: true})
	} else {
		s.text(upperFirst(count(a.Total, s.fewer))+" young people came", style{size: 16, bold: true})
		s.subheading("Attendance by age", 14)
		rows := make([][]string, 0, len(a.Bands)+1)
		for _, b := range a.Bands {
			rows = append(rows, []string{ageBand(b.Band), count(b.Count, s.fewer)})
		}
		rows = append(rows, []string{"All", count(a.Total, s.fewer)})
		s.table([]column{{title: "Age", width: bodyW - 50}, {title: "Young people", width: 50, right: true}}, rows, styleBody)
		s.text("The facilitator counted who came, by age, as numbers only: Heard never records names. An age band with few young people is shown as “"+
			s.fewer+"”, and so is the next smallest when needed, so that no small number can be worked out from the total.", styleSmall)
	}
	s.text("Phones that joined the session: "+count(rep.Joined, s.fewer)+". Some young people share a phone, or take part on paper.", styleBody)
	if l := rep.Lundy; l != nil {
		s.lundyGlance(l)
	}
	s.subheading("The activities", 14)
	rows := make([][]string, 0, len(rep.Activities))
	for _, act := range rep.Activities {
		answered := count(act.Answered, s.fewer)
		if !act.Run {
			answered = "Not run"
		}
		rows = append(rows, []string{fmt.Sprint(act.Number), act.Prompt, act.Kind.Name(), answered})
	}
	s.table([]column{{title: "", width: 10}, {title: "Activity", width: bodyW - 10 - 34 - 34}, {title: "Kind", width: 34},
		{title: "Took part", width: 34, right: true}}, rows, styleBody)
}

// lundyGlance is the answer to the Lundy check, in large type.
func (s *sessionWriter) lundyGlance(l *surveys.SessionLundy) {
	s.subheading("Did you feel listened to today?", 14)
	switch {
	case l.Question.Answered == nil:
		s.text("Fewer than "+fmt.Sprint(s.rep.Threshold)+" young people answered, so no figures are shown.", styleBody)
	case l.ListenedPercent != nil:
		s.text(pct(*l.ListenedPercent)+" felt listened to", style{size: 16, bold: true})
		s.text(fmt.Sprintf("%s of the %s young people who answered chose one of the two happiest faces. The faces are in activity %d.",
			thousands(*l.Listened), thousands(*l.Question.Answered), l.Activity), styleBody)
	default:
		s.text(fmt.Sprintf("%s young people answered. Too few chose some of the faces for a share to be given; the faces are in activity %d.",
			thousands(*l.Question.Answered), l.Activity), styleBody)
	}
}

// upperFirst starts a sentence with a figure that may be "fewer than 5".
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// ageBand words an attendance band.
func ageBand(b string) string {
	if b == "not known" {
		return "Age not known"
	}
	return "Aged " + strings.Replace(b, "-", " to ", 1)
}

// activity is one activity's section: what it asked, and its results.
func (s *sessionWriter) activity(a *surveys.SessionActivity) {
	s.section(fmt.Sprintf("Activity %d: %s", a.Number, a.Prompt))
	s.text(s.kindLine(a), styleSmall)
	if a.Lundy {
		s.text("This is the Lundy check: a last question, on faces, to hear whether young people felt listened to.", styleSmall)
	}
	if !a.Run {
		s.text("This activity was not run in the session.", styleBody)
		return
	}
	if a.Answered == nil {
		s.text(fmt.Sprintf("Fewer than %d young people took part, so no figures are shown.", s.rep.Threshold), styleBody)
	} else {
		s.text(thousands(*a.Answered)+" young people took part.", styleBody)
	}
	switch a.Kind {
	case surveys.ActivityPoll:
		s.poll(a)
	case surveys.ActivityRating:
		for i := range a.Charts {
			s.question(&a.Charts[i])
		}
	case surveys.ActivityDots:
		if a.Answered != nil {
			s.dotBars(a.Dots)
		}
	case surveys.ActivityIdeas, surveys.ActivityQuestion:
		s.ideas(a)
	case surveys.ActivityWords:
		s.words(a)
	}
}

// kindLine says what kind of activity it was.
func (s *sessionWriter) kindLine(a *surveys.SessionActivity) string {
	switch {
	case a.Kind == surveys.ActivityPoll && a.Multiple:
		return "Poll: each could choose more than one answer."
	case a.Kind == surveys.ActivityPoll:
		return "Poll: each chose one answer."
	case a.Kind == surveys.ActivityRating:
		return "Emoji rating: each statement rated on five faces, from really unhappy to really happy."
	case a.Kind == surveys.ActivityIdeas:
		return "Idea board: young people posted ideas and liked each other’s."
	case a.Kind == surveys.ActivityDots:
		return "Dot vote: young people shared out their dots among what mattered most to them."
	case a.Kind == surveys.ActivityWords:
		return "Word cloud: a few words each."
	}
	return "Open question: a short answer each."
}

// poll draws a poll's options as bars.
func (s *sessionWriter) poll(a *surveys.SessionActivity) {
	if len(a.Charts) == 0 || a.Charts[0].Answered == nil {
		return
	}
	s.gap(2)
	s.choiceBars(&a.Charts[0])
	s.text("Percentages are of the young people who answered.", styleSmall)
}

// dotBars draws a dot vote: a bar for each option or idea, its length the
// dots on it against the most any got. A total from fewer young people
// than the threshold has no bar.
func (s *sessionWriter) dotBars(rows []surveys.SessionCount) {
	most := 0
	for _, c := range rows {
		if c.Count != nil {
			most = max(most, *c.Count)
		}
	}
	barX := marginX + labelW + 2
	barW := bodyW - labelW - 2 - figureW - 10
	s.gap(2)
	for _, c := range rows {
		b := s.lines(c.Label, styleBody, labelW)
		h := max(b.height(), 5.0) + 1.2
		s.room(h)
		b.draw(s.pdf, marginX, s.y, labelW)
		text, end := "dots from "+s.fewer+" young people", barX
		if c.Count != nil {
			w := 0.0
			if most > 0 {
				w = barW * float64(*c.Count) / float64(most)
			}
			s.pdf.SetFillColor(barGrey, barGrey, barGrey)
			if w > 0 {
				s.pdf.Rect(barX, s.y+0.5, w, 4, "F")
			}
			end = barX + w
			text = plural(*c.Count, "dot", "dots")
		}
		s.setStyle(styleBody)
		s.pdf.Text(end+1.5, s.y+3.7, text)
		s.y += h
	}
	s.y += 1
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// ideas quotes the ideas or answers the room saw.
func (s *sessionWriter) ideas(a *surveys.SessionActivity) {
	what := "ideas"
	if a.Kind == surveys.ActivityQuestion {
		what = "answers"
	}
	if len(a.Quotes) == 0 {
		s.text("No "+what+" were shown to the room.", styleBody)
		return
	}
	s.subheading("In their words", 16)
	for _, q := range a.Quotes {
		s.quote(q.Text, quoteSource(q, a.Kind))
	}
	if a.MoreQuotes {
		s.text(fmt.Sprintf("These are %d of the %s, those with the most likes first; the others are in Heard.", len(a.Quotes), what), styleSmall)
	}
}

// quoteSource says where a quote was posted and how many liked it.
func quoteSource(q surveys.SessionQuote, kind surveys.ActivityKind) string {
	var parts []string
	if q.Column != "" {
		parts = append(parts, q.Column)
	}
	if q.Likes != nil {
		parts = append(parts, plural(*q.Likes, "like", "likes"))
	}
	if len(parts) == 0 {
		if kind == surveys.ActivityQuestion {
			return "An answer"
		}
		return "An idea"
	}
	return strings.Join(parts, " · ")
}

// words lists a word cloud's words: those given by enough young people in
// a table, the rest after it without a count.
func (s *sessionWriter) words(a *surveys.SessionActivity) {
	var rows [][]string
	var others []string
	for _, w := range a.Words {
		if w.People == nil {
			others = append(others, w.Word)
			continue
		}
		rows = append(rows, []string{w.Word, thousands(*w.People)})
	}
	if len(rows) == 0 && len(others) == 0 {
		s.text("No words were shown to the room.", styleBody)
		return
	}
	if len(rows) > 0 {
		s.table([]column{{title: "Word", width: bodyW - 50}, {title: "Young people", width: 50, right: true}}, rows, styleBody)
	}
	if len(others) > 0 {
		s.text("Also said, each by "+s.fewer+" young people: "+strings.Join(others, ", ")+".", styleBody)
	}
}

// themeSection is the themes of the session's comments.
func (s *sessionWriter) themeSection() {
	rep := s.rep
	s.section("Themes of what young people said")
	if rep.Status != surveys.LiveEnded {
		s.text("The session was still running: its ideas and answers join the comments when it ends, so these themes may leave some out.", styleSmall)
	}
	t := rep.Themes
	if t.Voices == nil {
		s.text(fmt.Sprintf("Fewer than %d comments came from this session, so no themes are shown.", rep.Threshold), styleBody)
		return
	}
	s.text(thousands(*t.Voices)+" comments came from this session: its ideas and answers, and the notes from flip charts and post-its the facilitator typed in. "+
		"Heard coded each comment to the themes of the codebook; the facilitator and analysts check and correct the codes. A comment can touch more than one theme.", styleBody)
	if len(t.Rows) == 0 {
		s.text(fmt.Sprintf("No theme had %d comments or more, so none is listed.", rep.Threshold), styleBody)
		return
	}
	rows := make([][]string, 0, len(t.Rows))
	for _, row := range t.Rows {
		rows = append(rows, []string{row.Name, thousands(row.Voices), share(row.NegativePercent), share(row.PositivePercent)})
	}
	s.table([]column{{title: "Theme", width: bodyW - 84}, {title: "Comments", width: 28, right: true},
		{title: "Negative", width: 28, right: true}, {title: "Positive", width: 28, right: true}}, rows, styleBody)
	s.text(fmt.Sprintf("Themes with fewer than %d comments are not listed. Negative and positive are the shares of the theme’s comments with that feeling.", rep.Threshold), styleSmall)
}

// method says how the session's figures were made.
func (s *sessionWriter) method() {
	rep := s.rep
	s.section("How this was done")
	s.subheading("The session", 10)
	s.text("A participation worker ran the session with the group. Young people joined on their phones with a short code, with no account and nothing asked about who they are, "+
		"and answered each activity as it was opened. Each phone holds a token for this session only, so that each young person’s vote, likes and dots count once.", styleBody)
	s.subheading("What the room saw", 10)
	s.text("Only ideas, answers and words that were shown to the room appear here. Posts held back by the profanity filter or for the facilitator’s approval and never approved, posts the facilitator hid, "+
		"and duplicates merged into another are left out. A post the safeguarding detector flagged was never shown, went to the safeguarding lead, and never appears in a report.", styleBody)
	s.subheading("Small numbers", 10)
	s.text(fmt.Sprintf("Any figure from fewer than %d young people is shown as “%s”, in text, tables and charts. "+
		"Where a hidden figure could be worked out by subtracting the others from a total, another figure is hidden too. "+
		"In the bar charts of faces, the hatched part stands for the answers that are not shown.", rep.Threshold, s.fewer), styleBody)
	s.subheading("Themes", 10)
	s.text(codebookName(rep.Codebook)+". Heard codes each comment against the codebook’s themes and how it feels; people then check and correct the codes.", styleBody)
	s.subheading("What the numbers cannot tell", 10)
	s.text("A session is a conversation, and a small one: the figures say what this group said on the day, not what every young person thinks. "+
		"What was said aloud and not written down is not here.", styleBody)
}
