package exports

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// WriteBoardReport writes the Corporate Parenting Board's summary of a
// survey as an A4 PDF. It prints only what rep holds: every figure in rep
// is already suppressed (surveys.Reports.Board), and a nil one is printed
// as "fewer than N", so no small number can reach the page.
func WriteBoardReport(w io.Writer, rep *surveys.BoardReport) error {
	council := cmpOr(cleanText(rep.Council), "The council")
	// Cleaned first, so that a title ending in emoji has no space left
	// before the words that follow it.
	title := cleanText(rep.Title)
	meta := reportMeta{
		Title:   title + ": summary for the Corporate Parenting Board",
		Subject: fmt.Sprintf("What young people said in %s, %s to %s", title, longDate(rep.Period.From), longDate(rep.Period.To)),
		Author:  council,
		Footer:  council + " · " + title,
		Created: rep.Generated,
	}
	return writeReport(w, "board report", meta, rep.Threshold, func(r *report) []func() {
		b := boardWriter{report: r, rep: rep}
		return []func(){
			b.cover, b.glance, b.highlights,
			func() { r.questionPages(rep.Sections) },
			func() {
				r.themes(rep.Themes, "There were too few comments in the year to "+longDate(rep.Period.To)+" for any theme to be shown.", rep.ThemeSessions)
			},
			func() {
				if hasCouncils(rep.Areas) {
					r.areaSection(rep.Areas)
				}
			},
			func() { r.actions(rep.Actions, "this survey") },
			b.method,
			func() { r.appendix(rep.Sections) },
		}
	})
}

// boardWriter draws the sections of a board report.
type boardWriter struct {
	*report
	rep *surveys.BoardReport
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
	rows := [][]string{
		{"Survey period", longDate(rep.Period.From) + " to " + longDate(rep.Period.To)},
		{"Date of this report", rep.Generated.UTC().Format("2 January 2006")},
		{"Compared with", compareName(rep)},
		{"Themes coded with", codebookName(rep.Codebook)},
		{"Protective marking", markingText},
	}
	b.report.cover(coverPage{Logo: rep.Logo, Council: rep.Council, Kicker: "Corporate Parenting Board", Title: rep.Title,
		Subtitle: "What children and young people told us, and what was done about it", About: rows,
		Privacy: privacyNote(rep.Council, rep.Threshold)})
}

// privacyNote is the cover's closing note of a report on young people.
func privacyNote(council string, threshold int) string {
	return "Every figure in this report comes from " + cmpOr(council, "the council") +
		"’s Heard service. Any number from fewer than " + fmt.Sprint(threshold) +
		" young people is not shown, so that no one can be picked out."
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
	b.madeSessions()
	if hasCouncils(rep.Areas) {
		b.areaMethod()
	}
	b.subheading("What the numbers cannot tell", 10)
	b.text("The young people who answered may not be like those who did not. Small changes from one year to the next may be chance, especially where few answered. "+
		"The figures say how many said something, not why: the comments, MADE sessions and conversations with young people say more.", styleBody)
}

// BoardReportPDF makes a survey's board report and writes it, as the API,
// the workspace and the command line all do. It returns the PDF and the
// name to save it as, "board-report-cared-for-2026.pdf" (slugs are
// letters, digits and hyphens, safe in a header).
func BoardReportPDF(ctx context.Context, reports *surveys.Reports, q surveys.BoardReportQuery) ([]byte, string, error) {
	rep, err := reports.Board(ctx, q)
	if err != nil {
		return nil, "", err
	}
	var pdf bytes.Buffer
	if err := WriteBoardReport(&pdf, rep); err != nil {
		return nil, "", err
	}
	return pdf.Bytes(), "board-report-" + rep.Survey.Slug + ".pdf", nil
}
