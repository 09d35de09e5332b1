// Package charts draws accessible charts as inline SVG on the server, so
// that results pages need no JavaScript.
//
// A chart is a picture of figures that a table beside it gives in full: the
// SVG has role="img", a <title> and a <desc>, and says everything it shows
// in words as well as in shape (a suppressed figure has no bar, only words
// such as "fewer than 5" where its bar would be: never a colour alone, and
// never a shape that could be read as a size).
//
// Charts are styled by CSS classes and carry presentation attributes as
// defaults, so that they are legible without a stylesheet, in a light or a
// dark page: everything is drawn in currentColor unless a stylesheet says
// otherwise. They have no style attributes (the pages' Content Security
// Policy forbids inline styles) and no scripts. The classes are:
//
//	chart                   the <svg>
//	chart-row               the <g> of one bar: label, bar and value
//	chart-label             the label above a bar
//	chart-bar               a bar
//	chart-value             the figure at the end of a bar
//	chart-value--suppressed ... or the words in place of a suppressed bar
//	chart-change            the movement since the previous edition
//
// Coordinates across the chart are percentages of its width, so bars
// stretch with the container while text keeps its real size (a viewBox
// would shrink the text with the chart, to a few pixels on a small phone).
package charts

import (
	"encoding/xml"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Bar is one bar: a choice's share of the answers.
type Bar struct {
	Label      string
	Percent    *float64 // nil when suppressed
	Suppressed bool
	Change     *float64 // optional: percentage points since the previous edition
}

// Chart is one question's bars.
type Chart struct {
	ID    string // unique in the page, used for aria ids
	Title string // the question text
	Bars  []Bar
	// Suppressed is the words shown for a suppressed bar, e.g. "fewer
	// than 5" (the caller translates it and sets the threshold).
	Suppressed string
	// Desc summarises the chart for people who cannot see it; when empty,
	// an English default says how many bars there are and that the
	// numbers are in the table that follows.
	Desc string
}

// Sizes, in CSS pixels.
const (
	fontSize   = 14
	lineHeight = 18 // of a label's lines
	labelGap   = 4  // between a label and its bar
	barHeight  = 20
	rowGap     = 14 // between one bar and the next label
	valueGap   = 6  // between the end of a bar and its figure
	labelRunes = 36 // characters on a line of a label: about 290 px
	labelLines = 3  // lines of a label, the last cut short with "…"
	bottomPad  = 2  // below the last bar
)

// A bar of 100% is barSpan percent of the chart's width, which leaves room
// after the longest bar for its figure, and for the change when there is one
// (wide enough for "100.0% (+15.5)" on a 320 px wide screen).
const (
	barSpan       = 80.0
	barSpanChange = 62.0
)

// DefaultSuppressed is the words of a suppressed bar when the chart gives
// none: true whatever the threshold.
const DefaultSuppressed = "too few to show"

// HorizontalBars draws c as horizontal bars, one under another, each with
// its label on its own line above it and its figure at its end.
func HorizontalBars(c Chart) template.HTML {
	id := idOf(c.ID)
	suppressed := c.Suppressed
	if suppressed == "" {
		suppressed = DefaultSuppressed
	}
	desc := c.Desc
	if desc == "" {
		answers := "answers"
		if len(c.Bars) == 1 {
			answers = "answer"
		}
		desc = fmt.Sprintf("Bar chart of %d %s; the numbers are in the table that follows.", len(c.Bars), answers)
	}
	span := barSpan
	for _, b := range c.Bars {
		if _, ok := shownPercent(b); ok && b.Change != nil {
			span = barSpanChange
		}
	}

	var rows strings.Builder
	y := 0
	for _, b := range c.Bars {
		y = writeRow(&rows, b, y, span, suppressed)
	}
	height := max(y-rowGap, 0) + bottomPad

	var w strings.Builder
	fmt.Fprintf(&w, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="%s-title" aria-describedby="%[1]s-desc"`+
		` width="100%%" height="%d" overflow="visible" font-family="system-ui, sans-serif" font-size="%d" fill="currentColor">`, id, height, fontSize)
	fmt.Fprintf(&w, `<title id="%s-title">`, id)
	escape(&w, c.Title)
	fmt.Fprintf(&w, `</title><desc id="%s-desc">`, id)
	escape(&w, desc)
	w.WriteString(`</desc>`)
	w.WriteString(rows.String())
	w.WriteString(`</svg>`)
	return template.HTML(w.String()) // every text in it is escaped
}

// writeRow writes one bar's row from y down, and returns where the next
// row starts.
func writeRow(w *strings.Builder, b Bar, y int, span float64, suppressed string) int {
	w.WriteString(`<g class="chart-row">`)
	lines := wrap(b.Label, labelRunes, labelLines)
	w.WriteString(`<text class="chart-label">`)
	for i, line := range lines {
		fmt.Fprintf(w, `<tspan x="0" y="%d">`, y+(i+1)*lineHeight-4)
		escape(w, line)
		w.WriteString(`</tspan>`)
	}
	w.WriteString(`</text>`)
	top := y + len(lines)*lineHeight + labelGap
	baseline := top + barHeight/2 + fontSize*35/100

	if p, ok := shownPercent(b); ok {
		width := length(p * span / 100)
		fmt.Fprintf(w, `<rect class="chart-bar" x="0" y="%d" width="%s%%" height="%d"/>`, top, width, barHeight)
		fmt.Fprintf(w, `<text class="chart-value" x="%s%%" y="%d" dx="%d">%s%%`, width, baseline, valueGap, percent(p))
		if b.Change != nil {
			fmt.Fprintf(w, `<tspan class="chart-change"> (%s)</tspan>`, signed(*b.Change))
		}
		w.WriteString(`</text>`)
	} else {
		// No bar at all: an outline of any length would read as a size.
		// The words take the bar's place, at its start.
		fmt.Fprintf(w, `<text class="chart-value chart-value--suppressed" x="0" y="%d" font-style="italic">`, baseline)
		escape(w, suppressed)
		w.WriteString(`</text>`)
	}
	w.WriteString(`</g>`)
	return top + barHeight + rowGap
}

// shownPercent returns the bar's percentage between 0 and 100, and whether
// it may be shown: a bar marked suppressed never shows a number, even if
// one was left in it.
func shownPercent(b Bar) (float64, bool) {
	if b.Suppressed || b.Percent == nil {
		return 0, false
	}
	p := *b.Percent
	if math.IsNaN(p) {
		return 0, false
	}
	return min(max(p, 0), 100), true
}

// percent formats a share with one decimal place, always, so that the
// figures of a chart (and of the table beside it) line up: 42.0, 42.5.
func percent(v float64) string {
	r := math.Round(v*10) / 10
	if r == 0 {
		r = 0 // not -0
	}
	return strconv.FormatFloat(r, 'f', 1, 64)
}

// number formats v with at most one decimal place: 42, 42.5, 0, 100.
func number(v float64) string {
	r := math.Round(v*10) / 10
	if r == 0 {
		r = 0 // not -0
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// length formats a coordinate, a percentage of the chart's width, to two
// decimal places.
func length(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// signed formats a change in points with its sign: +3.5, -2, ±0.
func signed(v float64) string {
	s := number(v)
	switch {
	case s == "0":
		return "±0"
	case v > 0:
		return "+" + s
	}
	return s
}

// wrap breaks s into lines of at most n characters, at spaces where it
// can, and keeps at most maxLines, the last ending in "…" when some of s
// is left out. It always returns at least one line.
func wrap(s string, n, maxLines int) []string {
	var lines []string
	var line []rune
	flush := func() {
		lines = append(lines, string(line))
		line = line[:0]
	}
	for _, word := range strings.Fields(s) {
		rs := []rune(word)
		for len(rs) > 0 {
			switch {
			case len(line) == 0 && len(rs) <= n:
				line, rs = append(line, rs...), nil
			case len(line) > 0 && len(line)+1+len(rs) <= n:
				line, rs = append(append(line, ' '), rs...), nil
			case len(line) > 0:
				flush()
			default: // a word longer than a line
				line, rs = append(line, rs[:n]...), rs[n:]
				flush()
			}
		}
	}
	if len(line) > 0 || len(lines) == 0 {
		flush()
	}
	if len(lines) > maxLines {
		last := []rune(lines[maxLines-1])
		if len(last) >= n {
			last = last[:n-1]
		}
		lines = append(lines[:maxLines-1], strings.TrimRight(string(last), " ")+"…")
	}
	return lines
}

// idOf returns id with every character that may not be in an aria idref
// (a space, a quote...) replaced by "-"; "chart" when id is empty.
func idOf(id string) string {
	if id == "" {
		return "chart"
	}
	var b strings.Builder
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.', r == ':':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

// escape writes s as text safe in HTML and in XML: markup characters and
// quotes escaped, and what XML cannot hold (control characters, invalid
// UTF-8) replaced by U+FFFD.
func escape(w *strings.Builder, s string) {
	_ = xml.EscapeText(w, []byte(s)) // a strings.Builder never fails
}
