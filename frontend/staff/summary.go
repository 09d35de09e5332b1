package staff

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/frontend/charts"
	"github.com/heard-app/heard/surveys"
)

// The summary page: what young people's comments were about, theme by
// theme, in every channel, for a period, with the change since the period
// before and a few approved quotes. Admins, analysts and the board read
// it; it shows counts and approved quotes only, never a comment itself.

type summaryView struct {
	page
	Fewer     string // "fewer than 5"
	Threshold int
	Errors    []summaryError
	Filter    summaryFilterView
	Shown     bool // the figures are there: no mistakes in the filters

	Period   string // "24 Nov 2025 to 23 Nov 2026"
	Before   string // the period before, likewise
	Codebook int
	Comments string // all comments: "120", or "fewer than 5"
	Columns  []string
	Rows     []summaryRow
	Chart    template.HTML
	Quoted   []summaryRow // the rows with quotes
}

type summaryError struct {
	Field   string // the id of the field
	Message string
}

type summaryFilterView struct {
	From, To                         string
	Channels, Surveys, Areas, Groups []adminOption
}

type summaryRow struct {
	Name       string
	Cells      []string // one per column
	Total      string
	Negative   string
	Positive   string
	Previous   string
	Change     string
	ChangeKind string // "up", "down", "same" or "none"
	Suppressed bool   // the theme's own total is hidden
	Quotes     []surveys.SummaryQuote
}

// SummaryPage shows the theme summary for the filters in the query.
func (p *Pages) SummaryPage(c fiber.Ctx) error {
	ctx := c.Context()
	st, err := p.cfg.Settings.Current(ctx)
	if err != nil {
		return err
	}
	q := surveys.SummaryQuery{From: c.Query("from"), To: c.Query("to"), Channel: surveys.Channel(c.Query("channel")),
		Survey: c.Query("survey"), Area: c.Query("area"), AgeBand: c.Query("age_band")}
	v := summaryView{page: p.page(c, "What young people told us"), Threshold: st.Threshold, Fewer: "fewer than " + itoa(st.Threshold)}
	sum, err := p.cfg.Voices.Summary(ctx, q, st.Threshold)
	status := http.StatusOK
	switch {
	case surveys.ErrorCode(err) == surveys.EINVALID:
		status = http.StatusUnprocessableEntity
		for _, field := range []string{"from", "to", "channel", "survey", "area", "age_band"} {
			if msg := surveys.ErrorFields(err)[field]; msg != "" {
				v.Errors = append(v.Errors, summaryError{Field: "sum-" + field, Message: summaryFieldNames[field] + " " + msg + "."})
			}
		}
	case err != nil:
		return err
	default:
		q = sum.Query
		v.Shown = true
		v.fill(sum)
	}
	if err := p.summaryFilter(ctx, &v.Filter, q, st.Areas); err != nil {
		return err
	}
	return p.render(c, status, "summary", v)
}

var summaryFieldNames = map[string]string{
	"from": "The start", "to": "The end", "channel": "The channel", "survey": "The survey", "area": "The area",
	"age_band": "The age group",
}

// fill turns the summary into the page's words.
func (v *summaryView) fill(sum *surveys.ThemeSummary) {
	count := func(n *int) string {
		if n == nil {
			return v.Fewer
		}
		return itoa(*n)
	}
	v.Period = periodWords(sum.Query.From, sum.Query.To)
	v.Before = periodWords(sum.Previous.From, sum.Previous.To)
	v.Codebook = sum.Codebook
	v.Comments = count(sum.Voices.Total)
	for _, ch := range sum.Channels {
		v.Columns = append(v.Columns, channelNames[ch])
	}
	var bars []charts.Bar
	for _, t := range sum.Themes {
		r := summaryRow{Name: t.Name, Total: count(t.Total), Previous: count(t.Previous), Suppressed: t.Total == nil,
			Negative: shareWords(t.NegativePercent, v.Fewer), Positive: shareWords(t.PositivePercent, v.Fewer), Quotes: t.Quotes}
		for _, ch := range sum.Channels {
			r.Cells = append(r.Cells, count(t.ByChannel[ch]))
		}
		r.Change, r.ChangeKind = countChange(t.Change)
		v.Rows = append(v.Rows, r)
		if len(t.Quotes) > 0 {
			v.Quoted = append(v.Quoted, r)
		}
		// The chart leaves out the themes it cannot show; the table has them.
		if t.SharePercent != nil {
			bars = append(bars, charts.Bar{Label: t.Name, Percent: t.SharePercent})
		}
	}
	if len(bars) > 0 {
		v.Chart = charts.HorizontalBars(charts.Chart{ID: "chart-themes", Title: "Share of comments about each theme", Bars: bars,
			Desc: "Bar chart of the share of all comments that were about each theme with enough comments to show; a comment can be about more than one. Every theme's numbers are in the table that follows."})
	}
}

// shareWords writes a share, or the suppression words.
func shareWords(p *float64, fewer string) string {
	if p == nil {
		return fewer
	}
	return formatPercent(p)
}

// countChange writes the change in a theme's comments since the period
// before: "up 12", "down 3", "no change", or "not shown" when either
// side is suppressed.
func countChange(n *int) (words, kind string) {
	switch {
	case n == nil:
		return "not shown", "none"
	case *n > 0:
		return fmt.Sprintf("up %d", *n), "up"
	case *n < 0:
		return fmt.Sprintf("down %d", -*n), "down"
	}
	return "no change", "same"
}

// periodWords writes a period as people read it.
func periodWords(from, to string) string {
	return dayOf(from) + " to " + dayOf(to)
}

// summaryFilter fills the filter form's fields and choices.
func (p *Pages) summaryFilter(ctx context.Context, fv *summaryFilterView, q surveys.SummaryQuery, areas []string) error {
	option := func(value, text, chosen string) adminOption {
		return adminOption{Value: value, Text: text, Selected: value == chosen}
	}
	fv.From, fv.To = q.From, q.To
	fv.Channels = []adminOption{option("", "All channels", string(q.Channel))}
	for _, ch := range surveys.Channels {
		fv.Channels = append(fv.Channels, option(string(ch), channelNames[ch], string(q.Channel)))
	}
	list, err := p.cfg.Surveys.FindSurveys(ctx, surveys.SurveyFilter{})
	if err != nil {
		return err
	}
	fv.Surveys = []adminOption{option("", "All surveys", q.Survey)}
	var bands []string
	for _, s := range list {
		fv.Surveys = append(fv.Surveys, option(s.Slug, surveyName(s), q.Survey))
		for i := range s.Versions {
			if b := surveys.AgeBandOf(&s.Versions[i]); b != "" && !slices.Contains(bands, b) {
				bands = append(bands, b)
			}
		}
	}
	fv.Areas = []adminOption{option("", "All areas", q.Area)}
	for _, a := range areas {
		fv.Areas = append(fv.Areas, option(a, a, q.Area))
	}
	slices.SortFunc(bands, func(a, b string) int { return cmp.Compare(leadingNumber(a), leadingNumber(b)) })
	fv.Groups = []adminOption{option("", "All ages", q.AgeBand)}
	for _, b := range bands {
		fv.Groups = append(fv.Groups, option(b, "Ages "+b, q.AgeBand))
	}
	return nil
}

// leadingNumber returns the number an age band starts with ("8-11": 8), so
// that bands sort by age; "up to 7" and the like come first.
func leadingNumber(band string) int {
	n := 0
	for _, r := range band {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
}
