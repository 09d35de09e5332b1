package exports

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// School councils by area: a section the board report and the area report
// share, the area report itself, and how its figures were made. Like every
// report, it prints only what the AreaReport holds: surveys.Councils.Areas
// has suppressed every figure already, and hidden each area with too few
// schools, so a nil figure here is "fewer than N" and an area not shown
// has nothing to print but why.

// areaThemeAreas is how many areas' columns the themes table has beside
// the borough's: more would not fit across A4, so further areas go in
// another table below.
const areaThemeAreas = 4

// notShown fills the cells of an area whose figures are hidden: "fewer
// than N" would say something untrue about them.
const notShown = "not shown"

// areaSection draws school councils by area: each area's figures and the
// borough's, the themes raised, and the items with most support.
func (r *report) areaSection(rep *surveys.AreaReport) {
	fewer := fewerThan(rep.Threshold)
	r.section("School councils by area")
	r.text(fmt.Sprintf("Each school has a council of pupils, led by a member of staff, who records the council’s meetings in Heard: "+
		"how many pupils took part, what the council raised, how many pupils supported each item, and what the school did about it. "+
		"These are the meetings of %s, from %s to %s: %s of the %s schools listed held one.",
		thePeriod(rep.Name), longDate(rep.Period.From), longDate(rep.Period.To),
		thousands(rep.Borough.Reported), thousands(rep.Borough.Schools)), styleBody)
	r.areaFigures(rep, fewer)
	if !rep.Borough.Shown {
		return
	}
	r.areaThemes(rep, fewer)
	r.areaItems(rep, fewer)
}

// areaFigures is the table of each area's figures and the borough's, and
// why any area's are not shown.
func (r *report) areaFigures(rep *surveys.AreaReport, fewer string) {
	rows := make([][]string, 0, len(rep.Areas)+1)
	for i := range rep.Areas {
		rows = append(rows, areaRow(&rep.Areas[i], rep.Areas[i].Name, fewer))
	}
	rows = append(rows, areaRow(&rep.Borough, "Whole borough", fewer))
	r.table([]column{{title: "Area", width: 32}, {title: "Schools reported", width: 27, right: true},
		{title: "Pupils taking part", width: 27, right: true}, {title: "Items raised", width: 25, right: true},
		{title: "Priorities", width: 25, right: true}, {title: "Items acted on", width: bodyW - 136, right: true}}, rows, style{size: 9})
	for _, a := range rep.Areas {
		if !a.Shown && rep.Borough.Shown {
			r.text(a.Name+": "+a.Why, styleSmall)
		}
	}
	if !rep.Borough.Shown {
		r.text(rep.Borough.Why, styleBody)
		return
	}
	r.text(fmt.Sprintf("Pupils are counted at each meeting they took part in. Priorities are the items a council marked as what it most wants done; "+
		"items acted on are those the school is doing or has done, with their share of the items raised. "+
		"A figure under %d is shown as “%s”, and so is another where needed, so that it cannot be worked out from the borough’s total. "+
		"An area where fewer than %d schools reported shows no figures of its own: they are in the borough’s.",
		rep.Threshold, fewer, surveys.MinAreaSchools), styleSmall)
}

// areaRow is one area's row of the figures table; name is how the row is
// headed.
func areaRow(a *surveys.AreaFigures, name, fewer string) []string {
	row := []string{name, thousands(a.Reported) + " of " + thousands(a.Schools)}
	if !a.Shown {
		return append(row, notShown, notShown, notShown, notShown)
	}
	acted := count(a.ActedOn, fewer)
	if a.ActedOn != nil && a.ActedOnPercent != nil {
		acted += " (" + pct(*a.ActedOnPercent) + ")"
	}
	return append(row, count(a.Pupils, fewer), count(a.Items, fewer), count(a.Priorities, fewer), acted)
}

// areaThemes is the themes of the items raised, in the borough and in
// each area shown, with the change since the period before.
func (r *report) areaThemes(rep *surveys.AreaReport, fewer string) {
	r.subheading("Themes raised", 20)
	if len(rep.Themes) == 0 {
		r.text(fmt.Sprintf("No item raised in %s or %s was coded to a theme.", thePeriod(rep.Name), thePeriod(rep.PrevName)), styleBody)
		return
	}
	var rows []surveys.AreaThemeRow
	var others []string
	for _, t := range rep.Themes {
		if t.Borough.Count == nil {
			others = append(others, t.Name)
			continue
		}
		rows = append(rows, t)
	}
	if len(rows) == 0 {
		r.text(fmt.Sprintf("No theme was raised in %d items or more across the borough, so none is counted.", rep.Threshold), styleBody)
	} else {
		r.text(fmt.Sprintf("Heard coded each item raised to the themes of its codebook, and the school’s lead could correct them; an item can touch more than one theme. "+
			"Each figure is a number of items, with the change since %s in brackets.", thePeriod(rep.PrevName)), styleBody)
		shown := shownAreas(rep)
		for start := 0; start == 0 || start < len(shown); start += areaThemeAreas {
			r.themeTable(rows, shown[start:min(start+areaThemeAreas, len(shown))], rep.Areas, fewer)
		}
		note := "No change is given where either period had too few items for the figure to be shown."
		if len(shown) < len(rep.Areas) {
			note += " An area whose figures are not shown has no column: its items are in the borough’s."
		}
		r.text(note, styleSmall)
	}
	if len(others) > 0 {
		r.text(fmt.Sprintf("Also raised, each in %s items across the borough in %s or only in %s: %s.",
			fewer, thePeriod(rep.Name), thePeriod(rep.PrevName), strings.Join(others, ", ")), styleBody)
	}
}

// thePeriod names a period within a sentence: "the autumn term 2026/27".
func thePeriod(name string) string { return "the " + lowerFirst(name) }

// shownAreas are the indexes of the areas whose figures are shown.
func shownAreas(rep *surveys.AreaReport) []int {
	var out []int
	for i, a := range rep.Areas {
		if a.Shown {
			out = append(out, i)
		}
	}
	return out
}

// themeTable draws the themes with the borough's column and those of the
// areas at the indexes.
func (r *report) themeTable(rows []surveys.AreaThemeRow, at []int, areas []surveys.AreaFigures, fewer string) {
	const themeW = 46.0
	figW := (bodyW - themeW) / float64(1+len(at))
	cols := []column{{title: "Theme", width: themeW}, {title: "Borough", width: figW, right: true}}
	for _, i := range at {
		cols = append(cols, column{title: areas[i].Name, width: figW, right: true})
	}
	cells := make([][]string, 0, len(rows))
	for _, t := range rows {
		row := []string{t.Name, themeCount(t.Borough, fewer)}
		for _, i := range at {
			row = append(row, themeCount(t.ByArea[i], fewer))
		}
		cells = append(cells, row)
	}
	r.table(cols, cells, style{size: 9})
}

// themeCount prints a theme's count with its change: "12 (▲ 3)".
func themeCount(c surveys.AreaCount, fewer string) string {
	if c.Count == nil {
		return fewer
	}
	if c.Change == nil {
		return thousands(*c.Count)
	}
	return thousands(*c.Count) + " (" + changeCount(c.Change) + ")"
}

// areaItems is the items with most support across the borough and in
// each area shown.
func (r *report) areaItems(rep *surveys.AreaReport, fewer string) {
	r.subheading("Items with most support", 24)
	r.text(fmt.Sprintf("The items most pupils supported, at most %d for the borough and for each area shown, in the words the school recorded "+
		"with the names of schools, and anything else that could name someone, taken out. Support under %d is shown as “%s”.",
		surveys.AreaTopItems, rep.Threshold, fewer), styleBody)
	r.itemTable("Across the borough", rep.Borough.TopItems, fewer)
	for _, a := range rep.Areas {
		if a.Shown {
			r.itemTable(a.Name, a.TopItems, fewer)
		}
	}
}

// itemTable draws the items with most support under a label.
func (r *report) itemTable(label string, items []surveys.AreaItem, fewer string) {
	b := r.lines(label, styleBold, bodyW)
	r.gap(1)
	r.room(b.height() + 14)
	b.draw(r.pdf, marginX, r.y, bodyW)
	r.y += b.height() + 1
	if len(items) == 0 {
		r.text("No items were raised.", styleBody)
		return
	}
	rows := make([][]string, 0, len(items))
	for _, it := range items {
		priority := "No"
		if it.Priority {
			priority = "Yes"
		}
		rows = append(rows, []string{it.Text, strings.Join(it.Themes, ", "), count(it.Support, fewer), priority, it.Status.Name()})
	}
	r.table([]column{{title: "What pupils said", width: 66}, {title: "Themes", width: 34}, {title: "Pupils supporting", width: 24, right: true},
		{title: "Priority", width: 18}, {title: "What the school did", width: bodyW - 142}}, rows, style{size: 9})
}

// hasCouncils reports whether a board report has school councils to
// show: a council that lists no schools, and has no meetings, has none.
func hasCouncils(a *surveys.AreaReport) bool {
	return a != nil && (a.Borough.Schools > 0 || a.Borough.Reported > 0)
}

// areaMethod says how school councils' figures are made and hidden, in a
// report's "How this was done".
func (r *report) areaMethod() {
	r.subheading("School councils", 10)
	r.text("A member of staff at each school leads its council and records each meeting in Heard: the date, how many pupils took part and from which year groups, "+
		"as numbers and never names, and each item raised, with how many pupils supported it, whether it is a priority, and what the school did about it. "+
		"Heard codes each item to themes; the lead can correct them. No school is named in this report: the names of schools, and anything else that could name someone, are taken out of the items’ words.", styleBody)
	r.subheading("Three schools or more", 10)
	r.text(fmt.Sprintf("An area’s own figures are shown only when at least %d of its schools reported in the period; otherwise they count in the borough’s figures only, "+
		"so that no school can be picked out by elimination. Where hiding one area would let its figures be worked out by taking the other areas’ from the borough’s, "+
		"the smallest other area is hidden too. When fewer than %d schools in the whole borough reported, no figures are shown at all.",
		surveys.MinAreaSchools, surveys.MinAreaSchools), styleBody)
}

// WriteAreaReport writes school councils by area for a term or a school
// year as an A4 PDF: a cover, the figures, and how they were made.
func WriteAreaReport(w io.Writer, rep *surveys.AreaReport) error {
	council := cmpOr(cleanText(rep.Council), "The council")
	name := cleanText(rep.Name)
	meta := reportMeta{
		Title:   "School councils by area: " + name,
		Subject: fmt.Sprintf("What school councils raised in %s, %s to %s", thePeriod(name), longDate(rep.Period.From), longDate(rep.Period.To)),
		Author:  council,
		Footer:  council + " · School councils · " + name,
		Created: rep.Generated,
	}
	return writeReport(w, "area report", meta, rep.Threshold, func(r *report) []func() {
		a := areaWriter{report: r, rep: rep}
		return []func(){a.cover, func() { r.areaSection(rep) }, a.method}
	})
}

// AreaReportPDF makes the area report of q, recording it in the audit
// log, and writes it. It returns the PDF and the name to save it as:
// "school-councils-autumn-2026-27.pdf", or "school-councils-2026-27.pdf"
// for a whole year.
func AreaReportPDF(ctx context.Context, councils *surveys.Councils, q surveys.AreaQuery) ([]byte, string, error) {
	rep, err := councils.AreaReportOf(ctx, q)
	if err != nil {
		return nil, "", err
	}
	var pdf bytes.Buffer
	if err := WriteAreaReport(&pdf, rep); err != nil {
		return nil, "", err
	}
	return pdf.Bytes(), areaFileName(rep.Query), nil
}

// areaFileName names an area report's file; q is resolved (its Year set).
func areaFileName(q surveys.AreaQuery) string {
	name := "school-councils-"
	if q.Term != "" {
		name += fileSafe(string(q.Term)) + "-"
	}
	return name + fileSafe(strings.ReplaceAll(surveys.SchoolYearName(q.Year), "/", "-")) + ".pdf"
}

// areaWriter draws the parts of an area report of its own.
type areaWriter struct {
	*report
	rep *surveys.AreaReport
}

// cover is the first page: who, what, when, and the marking.
func (a *areaWriter) cover() {
	rep := a.rep
	rows := [][]string{
		{"Period", longDate(rep.Period.From) + " to " + longDate(rep.Period.To)},
		{"Compared with", rep.PrevName + ", " + longDate(rep.Previous.From) + " to " + longDate(rep.Previous.To)},
		{"Schools listed", fmt.Sprintf("%s in %s", plural(rep.Borough.Schools, "school", "schools"), plural(len(rep.Areas), "area", "areas"))},
		{"Date of this report", rep.Generated.UTC().Format("2 January 2006")},
		{"Protective marking", markingText},
	}
	a.report.cover(coverPage{Logo: rep.Logo, Council: rep.Council, Kicker: "School councils", Title: rep.Name,
		Subtitle: "What school councils raised, area by area, and what schools did about it", About: rows,
		Privacy: fmt.Sprintf("Every figure in this report comes from %s’s Heard service. Any number under %d is not shown, "+
			"and nor are the figures of an area where fewer than %d schools reported, so that no pupil and no school can be picked out.",
			cmpOr(rep.Council, "the council"), rep.Threshold, surveys.MinAreaSchools)})
}

// method says how the figures were made and what they cannot tell.
func (a *areaWriter) method() {
	rep := a.rep
	a.section("How this was done")
	a.areaMethod()
	a.subheading("Small numbers", 10)
	a.text(fmt.Sprintf("Any figure under %d is shown as “%s”: a count of pupils, of items, or of the pupils supporting an item. "+
		"Where a hidden figure could be worked out by taking the others from the borough’s total, another figure is hidden too.", rep.Threshold, a.fewer), styleBody)
	a.subheading("What the numbers cannot tell", 10)
	a.text("Councils meet when their schools choose, and record what they choose: an area with more meetings is not an area whose pupils care more. "+
		"Pupils who came to two meetings are counted twice. The figures say what councils raised, not what every pupil thinks.", styleBody)
}
