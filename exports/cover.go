package exports

import "github.com/heard-app/heard/surveys"

// coverPage is what the first page of a report says: the council and its
// logo, whom the report is for (kicker), its title and what it is about,
// the table "About this report", and a closing note on privacy.
type coverPage struct {
	Logo     *surveys.Logo
	Council  string
	Kicker   string
	Title    string
	Subtitle string
	About    [][]string
	Privacy  string
}

// cover draws a report's first page.
func (r *report) cover(c coverPage) {
	r.newPage()
	r.pdf.Bookmark("Cover", 0, -1)
	if h := r.logo(c.Logo, marginX, r.y, 60, 30); h > 0 {
		r.y += h + 10
	} else {
		r.y += 20
	}
	r.text(cmpOr(c.Council, "The council"), style{size: 14, bold: true})
	r.text(c.Kicker, style{size: 12, grey: greySoft})
	r.y += 6
	r.text(c.Title, style{size: sizeTitle, bold: true})
	r.text(c.Subtitle, style{size: 13})
	r.y += 8
	r.table([]column{{title: "About this report", width: 55}, {title: "", width: bodyW - 55}}, c.About, styleBody)
	r.y += 4
	r.text(c.Privacy, styleSmall)
}
