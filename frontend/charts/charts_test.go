package charts_test

import (
	"encoding/xml"
	"errors"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/frontend/charts"
)

func pct(v float64) *float64 { return &v }

// feelSafe is a chart of a scale question with one suppressed answer.
var feelSafe = charts.Chart{
	ID:    "q-feel_safe",
	Title: "Do you feel safe where you live?",
	Bars: []charts.Bar{
		{Label: "Always", Percent: pct(55.5), Change: pct(15.5)},
		{Label: "Sometimes", Percent: pct(20), Change: pct(-10)},
		{Label: "Never", Suppressed: true},
		{Label: "Not sure", Percent: pct(0)},
	},
	Suppressed: "fewer than 5",
}

// parse parses a chart as it stands in a page, and returns its <svg>.
func parse(t *testing.T, out string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader("<!DOCTYPE html><html><body>" + out + "</body></html>"))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	svgs := find(doc, func(n *html.Node) bool { return n.Data == "svg" })
	if len(svgs) != 1 {
		t.Fatalf("%d <svg> elements; want 1\n%s", len(svgs), out)
	}
	if svgs[0].Parent.Data != "body" || svgs[0].NextSibling != nil || svgs[0].PrevSibling != nil {
		t.Errorf("the chart is not one <svg> and nothing else:\n%s", out)
	}
	return svgs[0]
}

// find returns the elements under n (n included) that match, in document
// order.
func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	if n.Type == html.ElementNode && match(n) {
		out = append(out, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, find(c, match)...)
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

func byClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool { return hasClass(n, class) }
}

func byTag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag }
}

// text returns the text under n.
func text(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(text(c))
	}
	return b.String()
}

// number parses an attribute in pixels or percent.
func number(t *testing.T, n *html.Node, key string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.TrimSuffix(attr(n, key), "%"), 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.Data, key, attr(n, key), err)
	}
	return v
}

func TestHorizontalBarsAccessibleName(t *testing.T) {
	t.Parallel()
	svg := parse(t, string(charts.HorizontalBars(feelSafe)))
	if got := attr(svg, "role"); got != "img" {
		t.Errorf("role = %q; want img", got)
	}
	if !hasClass(svg, "chart") {
		t.Errorf("class = %q; want chart", attr(svg, "class"))
	}
	tests := []struct {
		aria, tag, want string
	}{
		{"aria-labelledby", "title", "Do you feel safe where you live?"},
		{"aria-describedby", "desc", "Bar chart of 4 answers; the numbers are in the table that follows."},
	}
	for _, tt := range tests {
		id := attr(svg, tt.aria)
		if id == "" || strings.ContainsAny(id, " \t") {
			t.Errorf("%s = %q; want one id", tt.aria, id)
			continue
		}
		targets := find(svg, func(n *html.Node) bool { return attr(n, "id") == id })
		if len(targets) != 1 {
			t.Errorf("%s points at %d elements; want 1", tt.aria, len(targets))
			continue
		}
		if targets[0].Data != tt.tag || targets[0].Parent != svg {
			t.Errorf("%s points at <%s> in <%s>; want <%s> in the <svg>", tt.aria, targets[0].Data, targets[0].Parent.Data, tt.tag)
		}
		if got := text(targets[0]); got != tt.want {
			t.Errorf("<%s> = %q; want %q", tt.tag, got, tt.want)
		}
		if !strings.HasPrefix(id, "q-feel_safe") {
			t.Errorf("%s = %q; want an id made from the chart's", tt.aria, id)
		}
	}
	// The <title> comes first, as SVG asks.
	if first := svg.FirstChild; first == nil || first.Data != "title" {
		t.Errorf("the first child of the <svg> is not its <title>")
	}

	// Two charts in a page have different ids; one bar is one answer.
	other := parse(t, string(charts.HorizontalBars(charts.Chart{ID: "q-happy", Title: "Happy?", Bars: []charts.Bar{{Label: "Yes", Percent: pct(100)}}})))
	if attr(other, "aria-labelledby") == attr(svg, "aria-labelledby") {
		t.Errorf("two charts share the id %q", attr(svg, "aria-labelledby"))
	}
	if got := text(find(other, byTag("desc"))[0]); got != "Bar chart of 1 answer; the numbers are in the table that follows." {
		t.Errorf("desc of one bar = %q", got)
	}

	// The caller's own description, such as a translation, replaces it.
	c := feelSafe
	c.Desc = "Siart bar o 4 ateb"
	if got := text(find(parse(t, string(charts.HorizontalBars(c))), byTag("desc"))[0]); got != c.Desc {
		t.Errorf("desc = %q; want %q", got, c.Desc)
	}
}

func TestHorizontalBarsRows(t *testing.T) {
	t.Parallel()
	svg := parse(t, string(charts.HorizontalBars(feelSafe)))
	rows := find(svg, byClass("chart-row"))
	if len(rows) != len(feelSafe.Bars) {
		t.Fatalf("%d rows; want %d", len(rows), len(feelSafe.Bars))
	}
	// A suppressed answer (the third) has no bar, only words.
	if bars := find(svg, byClass("chart-bar")); len(bars) != len(feelSafe.Bars)-1 {
		t.Errorf("%d bars; want %d", len(bars), len(feelSafe.Bars)-1)
	}
	wantValues := []string{"55.5% (+15.5)", "20.0% (-10)", "fewer than 5", "0.0%"}
	wantBars := []int{1, 1, 0, 1}
	bottom, barTop, barHeight := 0.0, 0.0, 0.0
	for i, row := range rows {
		labels, bars, values := find(row, byClass("chart-label")), find(row, byClass("chart-bar")), find(row, byClass("chart-value"))
		if len(labels) != 1 || len(bars) != wantBars[i] || len(values) != 1 {
			t.Fatalf("row %d has %d labels, %d bars and %d values; want 1, %d and 1", i, len(labels), len(bars), len(values), wantBars[i])
		}
		if got := text(labels[0]); got != feelSafe.Bars[i].Label {
			t.Errorf("row %d label = %q; want %q", i, got, feelSafe.Bars[i].Label)
		}
		if got := text(values[0]); got != wantValues[i] {
			t.Errorf("row %d value = %q; want %q", i, got, wantValues[i])
		}
		lines := find(labels[0], byTag("tspan"))
		if len(bars) == 1 {
			barTop, barHeight = number(t, bars[0], "y"), number(t, bars[0], "height")
		} else {
			// Where the bar would be, 8 px below the label's last
			// baseline: rows are the same height with or without one.
			barTop = number(t, lines[len(lines)-1], "y") + 8
		}
		// The label is above its bar, the bar below the row before: nothing
		// collides.
		for _, line := range lines {
			if y := number(t, line, "y"); y <= bottom || y > barTop {
				t.Errorf("row %d: label line at %g is not between the row above (%g) and its bar (%g)", i, y, bottom, barTop)
			}
		}
		if y := number(t, values[0], "y"); y <= barTop || y >= barTop+barHeight {
			t.Errorf("row %d: value at %g is not level with the bar (%g + %g)", i, y, barTop, barHeight)
		}
		bottom = barTop + barHeight
	}
	if h := number(t, svg, "height"); h < bottom {
		t.Errorf("height %g cuts off the last bar, which ends at %g", h, bottom)
	}
	if got := attr(svg, "width"); got != "100%" {
		t.Errorf("width = %q; want 100%%, to fill its container", got)
	}
}

func TestHorizontalBarsWidthsAreProportional(t *testing.T) {
	t.Parallel()
	percents := []float64{100, 55.5, 42, 20, 2.5, 0}
	for _, withChange := range []bool{false, true} {
		c := charts.Chart{ID: "w", Title: "Widths"}
		for _, p := range percents {
			b := charts.Bar{Label: "x", Percent: pct(p)}
			if withChange {
				b.Change = pct(1)
			}
			c.Bars = append(c.Bars, b)
		}
		bars := find(parse(t, string(charts.HorizontalBars(c))), byClass("chart-bar"))
		full := number(t, bars[0], "width")
		if full <= 50 || full > 90 {
			t.Errorf("change %t: a bar of 100%% is %g%% of the chart; want most of it, with room after it for the figure", withChange, full)
		}
		for i, bar := range bars {
			if !strings.HasSuffix(attr(bar, "width"), "%") {
				t.Errorf("width %q is not relative to the chart", attr(bar, "width"))
			}
			if got, want := number(t, bar, "width"), percents[i]*full/100; math.Abs(got-want) > 0.05 {
				t.Errorf("change %t: bar of %g%% is %g wide; want %g", withChange, percents[i], got, want)
			}
			if x := number(t, bar, "x"); x != 0 {
				t.Errorf("bar starts at %g; want 0", x)
			}
		}
	}
}

func TestHorizontalBarsSuppressed(t *testing.T) {
	t.Parallel()
	c := charts.Chart{ID: "s", Title: "Suppressed", Suppressed: "fewer than 5", Bars: []charts.Bar{
		{Label: "Never", Suppressed: true},
		{Label: "Marked suppressed, with a percentage left in", Percent: pct(3), Suppressed: true, Change: pct(1)},
		{Label: "No percentage", Percent: nil},
	}}
	svg := parse(t, string(charts.HorizontalBars(c)))
	digits := regexp.MustCompile(`[0-9]`)
	for i, row := range find(svg, byClass("chart-row")) {
		// No shape at all: an outline of any length reads as a size.
		if shapes := find(row, func(n *html.Node) bool { return n.Data == "rect" || n.Data == "line" || n.Data == "path" }); len(shapes) != 0 {
			t.Errorf("row %d: a suppressed answer is drawn as a <%s>; want only words", i, shapes[0].Data)
		}
		value := find(row, byClass("chart-value"))[0]
		if x := number(t, value, "x"); x != 0 {
			t.Errorf("row %d: the words start at %g; want 0, where the bar would start", i, x)
		}
		if !hasClass(value, "chart-value--suppressed") || text(value) != "fewer than 5" {
			t.Errorf("row %d: value %q (class %q); want the words", i, text(value), attr(value, "class"))
		}
		label := text(find(row, byClass("chart-label"))[0])
		if rest := strings.Replace(text(row), label, "", 1); digits.MatchString(strings.ReplaceAll(rest, "fewer than 5", "")) {
			t.Errorf("row %d shows a number: %q", i, rest)
		}
	}
	if got := find(svg, byClass("chart-change")); len(got) != 0 {
		t.Errorf("a suppressed bar shows a change: %q", text(got[0]))
	}

	// Without words from the caller, a suppressed bar still says so.
	c.Suppressed = ""
	svg = parse(t, string(charts.HorizontalBars(c)))
	if got := text(find(svg, byClass("chart-value"))[0]); got != charts.DefaultSuppressed {
		t.Errorf("value = %q; want %q", got, charts.DefaultSuppressed)
	}
}

func TestHorizontalBarsEscapes(t *testing.T) {
	t.Parallel()
	const nasty = `<script>alert(1)</script> & "quotes" 'single'`
	c := charts.Chart{ID: `x" onload="alert(1)`, Title: nasty, Desc: nasty, Suppressed: nasty, Bars: []charts.Bar{
		{Label: nasty, Percent: pct(42)},
		{Label: "b", Suppressed: true},
	}}
	out := string(charts.HorizontalBars(c))
	for _, bad := range []string{"<script", " onload=", `"quotes"`} {
		if strings.Contains(out, bad) {
			t.Errorf("the output holds %q unescaped:\n%s", bad, out)
		}
	}
	svg := parse(t, out)
	if got := find(svg, byTag("script")); len(got) != 0 {
		t.Errorf("%d <script> elements", len(got))
	}
	for _, n := range find(svg, func(*html.Node) bool { return true }) {
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s> has an event handler %s=%q", n.Data, a.Key, a.Val)
			}
		}
	}
	// Every text arrives whole, as text.
	for _, check := range []struct {
		what string
		n    *html.Node
	}{
		{"title", find(svg, byTag("title"))[0]},
		{"desc", find(svg, byTag("desc"))[0]},
		{"label", find(svg, byClass("chart-label"))[0]},
		{"suppressed words", find(svg, byClass("chart-value--suppressed"))[0]},
	} {
		got := text(check.n)
		if check.what == "label" { // wrapped on spaces and cut to its lines
			got = strings.TrimSuffix(strings.Join(strings.Fields(labelLines(check.n)), " "), "…")
		}
		if !strings.HasPrefix(nasty, got) || len(got) < 20 {
			t.Errorf("%s = %q; want %q", check.what, got, nasty)
		}
	}
	// The output is well-formed XML too, so a stricter consumer can read it.
	if err := wellFormed(out); err != nil {
		t.Errorf("not well-formed XML: %v\n%s", err, out)
	}
}

// labelLines returns a label's lines joined by spaces.
func labelLines(label *html.Node) string {
	var lines []string
	for _, line := range find(label, byTag("tspan")) {
		lines = append(lines, text(line))
	}
	return strings.Join(lines, " ")
}

func wellFormed(s string) error {
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestHorizontalBarsNoInlineStyleOrScript(t *testing.T) {
	t.Parallel()
	out := string(charts.HorizontalBars(feelSafe))
	for _, bad := range []string{" style=", "<style", "<script", "javascript:"} {
		if strings.Contains(strings.ToLower(out), bad) {
			t.Errorf("the output holds %q, which the pages' CSP forbids:\n%s", bad, out)
		}
	}
	svg := parse(t, out)
	for _, n := range find(svg, func(*html.Node) bool { return true }) {
		for _, a := range n.Attr {
			if a.Key == "style" {
				t.Errorf("<%s style=%q>", n.Data, a.Val)
			}
		}
	}
	// Legible without a stylesheet: drawn in the text colour by default.
	if attr(svg, "fill") != "currentColor" || attr(svg, "font-size") == "" {
		t.Errorf("<svg fill=%q font-size=%q>; want defaults in currentColor", attr(svg, "fill"), attr(svg, "font-size"))
	}
	if err := wellFormed(out); err != nil {
		t.Errorf("not well-formed XML: %v", err)
	}
}

func TestHorizontalBarsDeterministic(t *testing.T) {
	t.Parallel()
	first := charts.HorizontalBars(feelSafe)
	for range 20 {
		if again := charts.HorizontalBars(feelSafe); again != first {
			t.Fatalf("two calls differ:\n%s\n%s", first, again)
		}
	}
	// The whole output of a small chart, pinned.
	got := charts.HorizontalBars(charts.Chart{ID: "q1", Title: "Is there an adult you can talk to?", Suppressed: "fewer than 5", Bars: []charts.Bar{
		{Label: "Yes", Percent: pct(42.5)},
		{Label: "No", Suppressed: true},
	}})
	const want = `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="q1-title" aria-describedby="q1-desc" width="100%" height="100" overflow="visible" font-family="system-ui, sans-serif" font-size="14" fill="currentColor">` +
		`<title id="q1-title">Is there an adult you can talk to?</title>` +
		`<desc id="q1-desc">Bar chart of 2 answers; the numbers are in the table that follows.</desc>` +
		`<g class="chart-row"><text class="chart-label"><tspan x="0" y="14">Yes</tspan></text>` +
		`<rect class="chart-bar" x="0" y="22" width="34%" height="20"/>` +
		`<text class="chart-value" x="34%" y="36" dx="6">42.5%</text></g>` +
		`<g class="chart-row"><text class="chart-label"><tspan x="0" y="70">No</tspan></text>` +
		`<text class="chart-value chart-value--suppressed" x="0" y="92" font-style="italic">fewer than 5</text></g>` +
		`</svg>`
	if string(got) != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

func TestHorizontalBarsFigures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		percent float64
		change  *float64
		want    string
	}{
		// One decimal place always, as in the table beside the chart.
		{42, nil, "42.0%"},
		{42.5, nil, "42.5%"},
		{0, nil, "0.0%"},
		{-0.01, nil, "0.0%"},
		{100, nil, "100.0%"},
		{42.46, nil, "42.5%"},
		{33.333, nil, "33.3%"},
		{99.96, nil, "100.0%"},
		{120, nil, "100.0%"},
		{-3, nil, "0.0%"},
		{55.5, pct(15.5), "55.5% (+15.5)"},
		{30, pct(-10), "30.0% (-10)"},
		{30, pct(0), "30.0% (±0)"},
		{30, pct(-0.04), "30.0% (±0)"},
		{30, pct(2), "30.0% (+2)"},
	}
	for _, tt := range tests {
		svg := parse(t, string(charts.HorizontalBars(charts.Chart{ID: "f", Title: "Figures", Bars: []charts.Bar{{Label: "a", Percent: pct(tt.percent), Change: tt.change}}})))
		if got := text(find(svg, byClass("chart-value"))[0]); got != tt.want {
			t.Errorf("%g%% (change %v): %q; want %q", tt.percent, tt.change, got, tt.want)
		}
	}
}

func TestHorizontalBarsLongLabels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		label     string
		wantLines []string
	}{
		{"short", "Always", []string{"Always"}},
		{"empty", "", []string{""}},
		{"wrapped at spaces", "I feel safe at home and at school most of the time, but not online",
			[]string{"I feel safe at home and at school", "most of the time, but not online"}},
		{"extra spaces", "  lots   of\tspace\n", []string{"lots of space"}},
		{"a word longer than a line", strings.Repeat("x", 40),
			[]string{strings.Repeat("x", 36), "xxxx"}},
		{"cut short after three lines", strings.Repeat("word ", 40), []string{
			strings.TrimSpace(strings.Repeat("word ", 7)),
			strings.TrimSpace(strings.Repeat("word ", 7)),
			strings.TrimSpace(strings.Repeat("word ", 7)) + "…",
		}},
		{"not in bytes", strings.Repeat("é", 36), []string{strings.Repeat("é", 36)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svg := parse(t, string(charts.HorizontalBars(charts.Chart{ID: "l", Title: "Labels", Bars: []charts.Bar{
				{Label: tt.label, Percent: pct(50)},
				{Label: "next", Percent: pct(50)},
			}})))
			rows := find(svg, byClass("chart-row"))
			var got []string
			for _, line := range find(rows[0], byTag("tspan")) {
				got = append(got, text(line))
				if n := utf8.RuneCountInString(text(line)); n > 36 {
					t.Errorf("a line of %d characters", n)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.wantLines, "|") {
				t.Errorf("lines %q; want %q", got, tt.wantLines)
			}
			// The next row starts below this row's bar, however many lines.
			bar := find(rows[0], byClass("chart-bar"))[0]
			next := find(rows[1], byTag("tspan"))[0]
			if number(t, next, "y") <= number(t, bar, "y")+number(t, bar, "height") {
				t.Errorf("the next label (y %g) overlaps this bar (y %g)", number(t, next, "y"), number(t, bar, "y"))
			}
		})
	}
}
