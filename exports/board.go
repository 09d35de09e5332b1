package exports

import (
	"fmt"
	"io"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// WriteBoardReport writes the Corporate Parenting Board's summary of a
// survey as an A4 PDF. It prints only what rep holds: every figure in rep
// is already suppressed (surveys.Reports.Board), and a nil one is printed
// as "fewer than N", so no small number can reach the page.
func WriteBoardReport(w io.Writer, rep *surveys.BoardReport) (err error) {
	// gofpdf panics on some input it cannot handle; a strange title must
	// cost an error, not the server.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("write board report: gofpdf failed: %v", p)
		}
	}()
	council := cmpOr(cleanText(rep.Council), "The council")
	// Cleaned first, so that a title ending in emoji has no space left
	// before the words that follow it.
	title := cleanText(rep.Title)
	r, err := newReport(reportMeta{
		Title:   title + ": summary for the Corporate Parenting Board",
		Subject: fmt.Sprintf("What young people said in %s, %s to %s", title, longDate(rep.Period.From), longDate(rep.Period.To)),
		Author:  council,
		Footer:  council + " · " + title,
		Created: rep.Generated,
	})
	if err != nil {
		return fmt.Errorf("write board report: %w", err)
	}
	b := boardWriter{report: r, rep: rep, fewer: fewerThan(rep.Threshold)}
	for _, part := range []func(){b.cover, b.glance, b.highlights, b.areas, b.themes, b.method, b.appendix} {
		part()
		if err := r.pdf.Error(); err != nil {
			return fmt.Errorf("write board report: %w", err)
		}
	}
	if err := r.finish(w); err != nil {
		return fmt.Errorf("write board report: %w", err)
	}
	return nil
}

// boardWriter draws the sections of a board report.
type boardWriter struct {
	*report
	rep   *surveys.BoardReport
	fewer string
}

func cmpOr(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}

// cover is the first page: who, what, when, and the marking.
func (b *boardWriter) cover() {
	rep := b.rep
	b.newPage()
	b.pdf.Bookmark("Cover", 0, -1)
	if h := b.logo(rep.Logo, marginX, b.y, 60, 30); h > 0 {
		b.y += h + 10
	} else {
		b.y += 20
	}
	b.text(cmpOr(rep.Council, "The council"), style{size: 14, bold: true})
	b.text("Corporate Parenting Board", style{size: 12, grey: greySoft})
	b.y += 6
	b.text(rep.Title, style{size: sizeTitle, bold: true})
	b.text("What children and young people told us, and what was done about it", style{size: 13})
	b.y += 8
	rows := [][]string{
		{"Survey period", longDate(rep.Period.From) + " to " + longDate(rep.Period.To)},
		{"Date of this report", rep.Generated.UTC().Format("2 January 2006")},
		{"Compared with", compareName(rep)},
		{"Themes coded with", codebookName(rep.Codebook)},
		{"Protective marking", markingText},
	}
	b.table([]column{{title: "About this report", width: 55}, {title: "", width: bodyW - 55}}, rows, styleBody)
	b.y += 4
	b.text("Every figure in this report comes from "+cmpOr(rep.Council, "the council")+
		"’s Heard service. Any number from fewer than "+fmt.Sprint(rep.Threshold)+
		" young people is not shown, so that no one can be picked out.", styleSmall)
}

func compareName(rep *surveys.BoardReport) string {
	if rep.Compared == nil {
		return "Nothing: " + strings.TrimSuffix(lowerFirst(rep.CompareNote), ".")
	}
	return fmt.Sprintf("%s (%d)", rep.Compared.Title.In(surveys.DefaultLanguage), rep.Compared.Edition)
}

func codebookName(v int) string {
	if v == 0 {
		return "No codebook (no comments were coded)"
	}
	return fmt.Sprintf("Heard codebook, version %d", v)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// glance is who took part.
func (b *boardWriter) glance() {
	rep, p := b.rep, b.rep.Taking
	b.section("At a glance")
	took := count(p.Responses, b.fewer)
	b.text(took+" young people took part", style{size: 16, bold: true})
	switch {
	case p.RatePercent != nil:
		b.text(fmt.Sprintf("That is %s of the %s young people the survey was for.", pct(*p.RatePercent), thousands(p.Cohort)), styleBody)
	case p.Cohort > 0:
		b.text(fmt.Sprintf("The survey was for %s young people; too few answered for a response rate to be given.", thousands(p.Cohort)), styleBody)
	default:
		b.text("How many young people the survey was for was not recorded, so there is no response rate.", styleBody)
	}
	b.text("The survey ran from "+longDate(rep.Period.From)+" to "+longDate(rep.Period.To)+".", styleBody)
	if len(p.Versions) > 1 {
		b.subheading("Who answered each version", 12)
		rows := make([][]string, 0, len(p.Versions))
		for _, v := range p.Versions {
			rows = append(rows, []string{v.Label, count(v.Responses, b.fewer)})
		}
		b.table([]column{{title: "Version", width: bodyW - 50}, {title: "Young people", width: 50, right: true}}, rows, styleBody)
		b.text("Each age group answered a version of the survey written for it. A version with few answers is shown as “"+
			b.fewer+"”, and so is the next smallest when needed, so that no small number can be worked out from the others.", styleSmall)
	}
}

// highlights is what is going well and what could be better.
func (b *boardWriter) highlights() {
	rep := b.rep
	b.section("What is going well and what could be better")
	b.text("These are the questions where the most, and the fewest, young people gave a good answer. "+
		"Which answers count as good is set in the survey’s definition. "+rep.CompareNote, styleBody)
	if len(rep.GoingWell) == 0 {
		b.text("There are not enough answers to questions with good and not so good answers to rank them.", styleBody)
		return
	}
	b.subheading("Going well", 14)
	for _, h := range rep.GoingWell {
		b.highlight(h)
	}
	if len(rep.CouldBeBetter) > 0 {
		b.subheading("Could be better", 14)
		for _, h := range rep.CouldBeBetter {
			b.highlight(h)
		}
	}
}

// highlight draws one question: its share large, then its words.
func (b *boardWriter) highlight(h surveys.Highlight) {
	const figW = 24.0
	textW := bodyW - figW
	q := b.lines(h.Text, styleBold, textW)
	said := "said " + orList(h.Favourable)
	change := b.changeText(h)
	sub := b.lines(said+". "+change, styleSmall, textW)
	b.room(q.height() + sub.height() + 3)
	b.setStyle(style{size: 16, bold: true})
	b.pdf.Text(marginX, b.y+5.5, pct(h.Percent))
	q.draw(b.pdf, marginX+figW, b.y, textW)
	sub.draw(b.pdf, marginX+figW, b.y+q.height(), textW)
	b.y += max(q.height()+sub.height(), 8) + 3
}

// changeText says how a highlight moved since the compared edition.
func (b *boardWriter) changeText(h surveys.Highlight) string {
	if b.rep.Compared == nil {
		return "No earlier edition to compare with"
	}
	year := fmt.Sprint(b.rep.Compared.Edition)
	if h.Change == nil {
		return "Change since " + year + ": " + h.ChangeNote
	}
	return percentPoints(*h.Change) + " since " + year
}

// orList joins labels as "Yes or Always".
func orList(labels []string) string {
	quoted := make([]string, len(labels))
	for i, l := range labels {
		quoted[i] = "“" + l + "”"
	}
	switch len(quoted) {
	case 0:
		return ""
	case 1:
		return quoted[0]
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// areas gives each section of the survey its own page of charts.
func (b *boardWriter) areas() {
	for i := range b.rep.Sections {
		sec := &b.rep.Sections[i]
		b.section(sec.Title)
		for j := range sec.Questions {
			b.question(&sec.Questions[j])
		}
	}
}

// question draws a question's text and chart.
func (b *boardWriter) question(q *surveys.ReportQuestion) {
	t := b.lines(q.Text, styleBold, bodyW)
	b.gap(2)
	b.room(t.height() + 14)
	t.draw(b.pdf, marginX, b.y, bodyW)
	b.y += t.height() + 0.5
	if q.Answered == nil {
		b.text("Answered by "+b.fewer+" young people, so no figures are shown.", styleSmall)
		return
	}
	switch q.Type {
	case surveys.FreeText:
		b.text(thousands(*q.Answered)+" young people wrote an answer. What they said is under “What young people told us in their own words”.", styleSmall)
		return
	case surveys.MultiChoice:
		b.text(thousands(*q.Answered)+" answered; each could choose more than one answer.", styleSmall)
	default:
		b.text(thousands(*q.Answered)+" answered.", styleSmall)
	}
	switch q.Type {
	case surveys.Scale:
		b.stackedBar(q, b.fewer)
	case surveys.Rating:
		b.choiceBars(q, b.fewer)
		if q.Median != nil {
			b.text("Middle answer (median): "+strings.TrimSuffix(fmt.Sprintf("%.1f", *q.Median), ".0"), styleSmall)
		}
	default:
		b.choiceBars(q, b.fewer)
	}
}

// themes is what young people said in their own words.
func (b *boardWriter) themes() {
	b.section("What young people told us in their own words")
	s := b.rep.Themes
	if s == nil || s.Voices.Total == nil {
		b.text("There were too few comments in the year to "+longDate(b.rep.Period.To)+" to report on.", styleBody)
		return
	}
	b.text(fmt.Sprintf("In the year from %s to %s, young people wrote or said %s comments in Heard’s surveys, MADE sessions and school councils. "+
		"Each comment was coded to themes by Heard, and the codes were checked by people. A comment can touch more than one theme. "+
		"The change is against the year before.", longDate(s.Query.From), longDate(s.Query.To), count(s.Voices.Total, b.fewer)), styleBody)
	rows := [][]string{}
	for _, t := range s.Themes {
		rows = append(rows, []string{t.Name, count(t.Total, b.fewer), changeCount(t.Change), share(t.NegativePercent), share(t.PositivePercent)})
	}
	b.table([]column{{title: "Theme", width: bodyW - 112}, {title: "Comments", width: 28, right: true},
		{title: "Change", width: 28, right: true}, {title: "Negative", width: 28, right: true}, {title: "Positive", width: 28, right: true}}, rows, styleBody)
	b.text("“Change” is the number of comments more or fewer than the year before; “not comparable” where either year had too few. "+
		"Negative and positive are the shares of the theme’s comments with that feeling.", styleSmall)
	for _, t := range s.Themes {
		if len(t.Quotes) == 0 {
			continue
		}
		b.subheading("In their words: "+t.Name, 16)
		for _, q := range t.Quotes {
			b.quote(q.Text, channelName(q.Channel))
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

// method says how the figures were made and what they cannot tell.
func (b *boardWriter) method() {
	rep := b.rep
	b.section("How this was done")
	b.subheading("Method", 10)
	b.text("Young people answered anonymously, on their phones or on paper typed in by staff. "+
		"Each age group had its own version of the survey, written for its age; questions that the versions share are counted together. "+
		"Percentages are of the young people who answered each question, not of everyone who took part.", styleBody)
	b.subheading("Anonymity", 10)
	b.text("Heard does not store names, contact details or device details with answers. Staff see only counts, and quotes that a person has checked and, where needed, edited to remove anything that could identify someone.", styleBody)
	b.subheading("Small numbers", 10)
	b.text(fmt.Sprintf("Any figure from fewer than %d young people is shown as “%s”, in text, tables and charts. "+
		"Where a hidden figure could be worked out by subtracting the others from a total, another figure is hidden too. "+
		"In the bar charts, the hatched part stands for the answers that are not shown.", rep.Threshold, b.fewer), styleBody)
	b.subheading("Themes", 10)
	b.text(codebookName(rep.Codebook)+". Heard codes each comment against the codebook’s themes and how it feels; people then check and correct the codes. "+
		"Only quotes a person has approved appear here.", styleBody)
	b.subheading("What the numbers cannot tell", 10)
	b.text("The young people who answered may not be like those who did not. Small changes from one year to the next may be chance, especially where few answered. "+
		"The figures say how many said something, not why: the comments, MADE sessions and conversations with young people say more.", styleBody)
}

// appendix lists every question with its full distribution.
func (b *boardWriter) appendix() {
	b.section("Appendix: every question")
	b.text("Every question, with how many chose each answer. Percentages are of those who answered the question.", styleSmall)
	for _, sec := range b.rep.Sections {
		b.subheading(sec.Title, 14)
		for i := range sec.Questions {
			b.appendixQuestion(&sec.Questions[i])
		}
	}
}

func (b *boardWriter) appendixQuestion(q *surveys.ReportQuestion) {
	t := b.lines(q.Text, style{size: sizeSmall + 0.5, bold: true}, bodyW)
	b.room(t.height() + 10)
	t.draw(b.pdf, marginX, b.y, bodyW)
	b.y += t.height() + 0.5
	if q.Answered == nil {
		b.text("Answered by "+b.fewer+".", styleSmall)
		return
	}
	if q.Type == surveys.FreeText || len(q.Cells) == 0 {
		b.text(thousands(*q.Answered)+" answered.", styleSmall)
		return
	}
	rows := make([][]string, 0, len(q.Cells)+1)
	for _, c := range q.Cells {
		n, p := b.fewer, ""
		if c.Count != nil {
			n, p = thousands(*c.Count), pct1(*c.Percent)
		}
		rows = append(rows, []string{c.Label, n, p})
	}
	rows = append(rows, []string{"Answered", thousands(*q.Answered), ""})
	small := style{size: sizeSmall}
	b.table([]column{{title: "Answer", width: bodyW - 60}, {title: "Number", width: 30, right: true}, {title: "Share", width: 30, right: true}}, rows, small)
}

// BoardReportName is the file name a board report is saved as:
// "board-report-cared-for-2026.pdf". Slugs are letters, digits and
// hyphens, safe in a header.
func BoardReportName(rep *surveys.BoardReport) string {
	return "board-report-" + rep.Survey.Slug + ".pdf"
}
