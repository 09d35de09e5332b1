package api_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/surveys"
)

// resultsAnswer is one synthetic young person's answers to the fixture's
// 11-18 version (8-11 when talkTo is empty).
type resultsAnswer struct {
	area, feelSafe, talkTo, better string
	whyUnsafe                      []string
	happy                          int
}

func (a resultsAnswer) submission(id int) map[string]any {
	answers := map[string]any{"area": a.area, "feel_safe": a.feelSafe, "happy": a.happy}
	version := "8-11"
	if a.talkTo != "" {
		version = "11-18"
		answers["talk_to"] = a.talkTo
		if a.talkTo == "yes" {
			answers["talk_who"] = "my carer " + a.better
		}
	}
	if a.better != "" {
		answers["better"] = a.better
	}
	if a.whyUnsafe != nil {
		answers["why_unsafe"] = a.whyUnsafe
	}
	return map[string]any{"id": uuid(id), "version": version, "lang": "en", "answers": answers}
}

// resultsSubmit sends n responses made by answer through the public API,
// numbering their ids from first.
func (h *harness) resultsSubmit(slug string, first, n int, answer func(i int) resultsAnswer) {
	h.t.Helper()
	for i := range n {
		res := h.do(request{method: "POST", path: "/api/v1/surveys/" + slug + "/responses", json: answer(i).submission(first + i)})
		if res.status != 201 {
			h.t.Fatalf("submit response %d to %s: %d %s", i, slug, res.status, res.body)
		}
	}
}

// resultsPage opens the results page of slug with the query.
func (h *harness) resultsPage(who *staff, slug, query string) (response, string) {
	h.t.Helper()
	path := "/staff/surveys/" + slug + "/results"
	if query != "" {
		path += "?" + query
	}
	res := h.do(request{method: "GET", path: path, as: who})
	return res, string(res.body)
}

// twentyYoungPeople answer the 11-18 version: area north 10, central 8,
// south 2; feel_safe always 14, sometimes 6 (who feel less safe at home and
// online); talk_to yes 15, no 5; happy 7;
// everyone says what would make things better, the fourth in the words of
// secret when it is set.
func twentyYoungPeople(secret string) func(int) resultsAnswer {
	return func(i int) resultsAnswer {
		a := resultsAnswer{area: "north", feelSafe: "always", talkTo: "yes", happy: 7, better: "more trips out"}
		switch {
		case i >= 18:
			a.area = "south"
		case i >= 10:
			a.area = "central"
		}
		if i >= 14 {
			a.feelSafe, a.whyUnsafe = "sometimes", []string{"home", "online"}
		}
		if i >= 15 {
			a.talkTo = "no"
		}
		if i == 3 && secret != "" {
			a.better = secret
		}
		return a
	}
}

func TestResultsPageRoles(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	h.resultsSubmit(s.Slug, 1, 20, twentyYoungPeople("more trips out"))
	path := "/staff/surveys/" + s.Slug + "/results"
	for _, tc := range []struct {
		role   surveys.Role
		status int
	}{
		{surveys.RoleAdmin, 200},
		{surveys.RoleAnalyst, 200},
		{surveys.RoleBoard, 200},
		{surveys.RoleFacilitator, 403},
		{surveys.RoleSchoolLead, 404}, // it is not their school's pupil survey
		{surveys.RoleSafeguardingLead, 403},
	} {
		who := h.signIn(tc.role)
		res, body := h.resultsPage(&who, s.Slug, "")
		if res.status != tc.status {
			t.Errorf("%s: %d, want %d", tc.role, res.status, tc.status)
			continue
		}
		if !strings.HasPrefix(res.headers.Get("Content-Type"), "text/html") {
			t.Errorf("%s: Content-Type %q, want a page", tc.role, res.headers.Get("Content-Type"))
		}
		if tc.status == 404 {
			if strings.Contains(body, "people answered") {
				t.Errorf("%s: the 404 page shows results", tc.role)
			}
			continue
		}
		if tc.status == 403 {
			if !strings.Contains(body, "You cannot open this page") || strings.Contains(body, "people answered") {
				t.Errorf("%s: the 403 page is not the staff error page, or shows results:\n%s", tc.role, body)
			}
			continue
		}
		if !strings.Contains(body, "<h1>How are things? (test survey) <span class=\"muted\">2026</span></h1>") {
			t.Errorf("%s: no heading with the title and edition:\n%s", tc.role, body)
		}
		// The way back is the survey's page, which the board cannot
		// open: for them, the list of surveys.
		crumb := `<p class="breadcrumb"><a href="/staff/surveys/` + s.Slug + `">How are things? (test survey)</a></p>`
		if tc.role == surveys.RoleBoard {
			crumb = `<p class="breadcrumb"><a href="/staff/surveys">Surveys</a></p>`
		}
		if !strings.Contains(body, crumb) {
			t.Errorf("%s: no breadcrumb %s", tc.role, crumb)
		}
	}
	res := h.do(request{method: "GET", path: path})
	if want := "/staff/sign-in?next=" + url.QueryEscape(path); res.status != 303 || res.headers.Get("Location") != want {
		t.Errorf("anonymous: %d to %q, want 303 to %q", res.status, res.headers.Get("Location"), want)
	}
}

func TestResultsPageFigures(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	const secret = "Purple giraffes should run the council canteen"
	h.resultsSubmit(s.Slug, 1, 20, twentyYoungPeople(secret))
	analyst := h.signIn(surveys.RoleAnalyst)

	res, body := h.resultsPage(&analyst, s.Slug, "")
	if res.status != 200 {
		t.Fatalf("results: %d\n%s", res.status, body)
	}
	doc := pageParse(t, body)
	for _, want := range []string{
		"<strong>20</strong> responses",
		"any figure from fewer than 5 people is not shown, and some other figures are hidden too",
		"20 people wrote an answer. Their words are in the themes and comments pages",
		"15 people wrote an answer.", // talk_who, asked only of those with someone to talk to
		"People could choose more than one, so the percentages add up to more than 100.",
		"The middle answer (median) was <strong>7 out of 10</strong>.",
		"This is the first edition of this survey in Heard",
		`<option value="" selected>All versions</option>`,
		`<option value="area:north">Which part of the borough do you live in? — North</option>`,
		`<option value="" selected>Everyone</option>`,
		`<h2 id="section-safety">Feeling safe</h2>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(body, "Compare with") || strings.Contains(body, "Change since") || strings.Contains(body, "result-grid--stacked") {
		t.Error("the page offers a comparison, with no previous edition")
	}
	// Counts and percentages in the table, with a chart beside them.
	if got, want := resultsRows(doc, "talk_to"), [][]string{{"Yes", "15", "75.0%"}, {"No", "5", "25.0%"}}; !equalRows(got, want) {
		t.Errorf("talk_to rows %q, want %q", got, want)
	}
	svg := pageFind(pageByID(doc, "q-talk_to"), func(n *html.Node) bool { return n.Data == "svg" })
	if svg == nil || pageAttr(svg, "role") != "img" || pageAttr(svg, "aria-labelledby") == "" {
		t.Errorf("talk_to has no SVG chart with role=img and a label")
	}
	// A small group is "fewer than 5", never its number; so is the group
	// hidden with it so that it cannot be worked out by subtraction.
	area := resultsRows(doc, "area")
	if want := [][]string{{"North", "10", "50.0%"}, {"Central", "fewer than 5", "fewer than 5"}, {"South", "fewer than 5", "fewer than 5"}}; !equalRows(area, want) {
		t.Errorf("area rows %q, want %q", area, want)
	}
	if strings.Count(body, `<td class="num suppressed">fewer than 5</td>`) < 4 {
		t.Error("suppressed cells lack the suppressed class")
	}
	if got, want := resultsRows(doc, "why_unsafe"), [][]string{{"At school", "fewer than 5", "fewer than 5"}, {"At home", "6", "100.0%"}, {"Online", "6", "100.0%"}, {"Out and about", "fewer than 5", "fewer than 5"}}; !equalRows(got, want) {
		t.Errorf("why_unsafe rows %q, want %q", got, want)
	}
	if want := [][]string{{"Always", "14", "70.0%"}, {"Sometimes", "fewer than 5", "fewer than 5"}, {"Never", "fewer than 5", "fewer than 5"}}; !equalRows(resultsRows(doc, "feel_safe"), want) {
		t.Errorf("feel_safe rows %q, want %q", resultsRows(doc, "feel_safe"), want)
	}
	// Free text is counted, never shown, to every role that may open the page.
	for _, role := range []surveys.Role{surveys.RoleAdmin, surveys.RoleBoard} {
		who := h.signIn(role)
		for _, q := range []string{"", "version=11-18", "version=11-18&filter=area%3Anorth"} {
			res, body := h.resultsPage(&who, s.Slug, q)
			if res.status != 200 || strings.Contains(strings.ToLower(body), "purple giraffes") || !strings.Contains(body, "people wrote an answer") {
				t.Errorf("%s ?%s: %d; the page shows free text or no count of it", role, q, res.status)
			}
		}
	}
	if strings.Contains(strings.ToLower(body), "purple giraffes") {
		t.Error("the analyst's page shows free text")
	}

	t.Run("filter", func(t *testing.T) {
		_, body := h.resultsPage(&analyst, s.Slug, "version=&filter=area%3Anorth&compare=1")
		doc := pageParse(t, body)
		if !strings.Contains(body, "<strong>10</strong> responses") || !strings.Contains(body, `<option value="area:north" selected>`) {
			t.Errorf("north: no count of 10 or the group not kept selected:\n%s", body)
		}
		if got := resultsRows(doc, "area"); !equalRows(got, [][]string{{"North", "10", "100.0%"}, {"Central", "fewer than 5", "fewer than 5"}, {"South", "fewer than 5", "fewer than 5"}}) {
			t.Errorf("north: area rows %q", got)
		}
		// South has 2 people, and central is hidden with it so that south
		// cannot be worked out: both are too small to show at all.
		for _, choice := range []string{"south", "central"} {
			res, body := h.resultsPage(&analyst, s.Slug, "version=&filter=area%3A"+choice)
			if res.status != 200 || !strings.Contains(body, "These results are not shown") || strings.Contains(body, "<table") ||
				!strings.Contains(body, `Responses in this choice: <span class="suppressed">fewer than 5</span>`) {
				t.Errorf("%s: %d; want one message and no table:\n%s", choice, res.status, body)
			}
		}
	})

	t.Run("version", func(t *testing.T) {
		h.resultsSubmit(s.Slug, 100, 6, func(i int) resultsAnswer {
			return resultsAnswer{area: "south", feelSafe: "always", happy: 3}
		})
		_, body := h.resultsPage(&analyst, s.Slug, "version=8-11")
		if !strings.Contains(body, "<strong>6</strong> responses") || !strings.Contains(body, `<option value="8-11" selected>Ages 8 to 11</option>`) ||
			strings.Contains(body, "Is there an adult you can talk to") || !strings.Contains(body, "Ages 8 to 11, everyone") {
			t.Errorf("8-11: want 6 responses, the version kept and no 11-18 question:\n%s", body)
		}
		if got := resultsRows(pageParse(t, body), "feel_safe"); len(got) != 3 || got[0][1] != "6" || got[0][2] != "100.0%" {
			t.Errorf("8-11: feel_safe rows %q", got)
		}
		_, body = h.resultsPage(&analyst, s.Slug, "version=11-18")
		if !strings.Contains(body, "<strong>20</strong> responses") || !strings.Contains(body, "Is there an adult you can talk to") {
			t.Errorf("11-18: want 20 responses")
		}
		_, body = h.resultsPage(&analyst, s.Slug, "")
		if !strings.Contains(body, "<strong>26</strong> responses") {
			t.Errorf("all versions: want 26 responses")
		}
	})
}

func TestResultsPageComparesEditions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	last := surveytestDefinition(t)
	last.Slug, last.Edition = "test-wellbeing-2025", 2025
	if _, err := h.catalog.Create(ctx, last); err != nil {
		t.Fatal(err)
	}
	next, err := surveys.NewEdition(last, "test-wellbeing-2026", 2026)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.catalog.Create(ctx, next); err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{last.Slug, next.Slug} {
		if _, err := h.catalog.SetStatus(ctx, slug, surveys.StatusOpen); err != nil {
			t.Fatal(err)
		}
	}
	// Last year: 20 people, all always safe, half with an adult to talk to,
	// all happy at 5.
	h.resultsSubmit(last.Slug, 500, 20, func(i int) resultsAnswer {
		a := resultsAnswer{area: "north", feelSafe: "always", talkTo: "yes", happy: 5}
		if i%2 == 1 {
			a.talkTo = "no"
		}
		return a
	})
	h.resultsSubmit(next.Slug, 1, 20, twentyYoungPeople(""))
	board := h.signIn(surveys.RoleBoard)

	res, body := h.resultsPage(&board, next.Slug, "")
	if res.status != 200 {
		t.Fatalf("results: %d", res.status)
	}
	doc := pageParse(t, body)
	for _, want := range []string{
		`<input type="checkbox" name="compare" value="1" checked> Compare with How are things? (test survey) (2025)`,
		"Change since 2025",
		"compared with How are things? (test survey) (2025).",
		"The middle answer (median) was <strong>7 out of 10</strong>, up 2 points since 2025.",
		// With a change column, the table is under the chart, never beside it.
		`<div class="result-grid result-grid--stacked">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if got, want := resultsRows(doc, "talk_to"), [][]string{{"Yes", "15", "75.0%", "+25 points"}, {"No", "5", "25.0%", "−25 points"}}; !equalRows(got, want) {
		t.Errorf("talk_to rows %q, want %q", got, want)
	}
	// Always: 100% last year, 70% now. Sometimes is hidden now, never on
	// both sides: neither is compared.
	if got, want := resultsRows(doc, "feel_safe"), [][]string{
		{"Always", "14", "70.0%", "−30 points"},
		{"Sometimes", "fewer than 5", "fewer than 5", "not compared"},
		{"Never", "fewer than 5", "fewer than 5", "not compared"},
	}; !equalRows(got, want) {
		t.Errorf("feel_safe rows %q, want %q", got, want)
	}
	for class, words := range map[string]string{"up": "+25 points", "down": "−25 points"} {
		span := pageFind(pageByID(doc, "q-talk_to"), func(n *html.Node) bool { return n.Data == "span" && pageAttr(n, "class") == class })
		if span == nil || pageText(span) != words {
			t.Errorf("no %q beside the class %s", words, class)
		}
	}

	t.Run("unticked", func(t *testing.T) {
		_, body := h.resultsPage(&board, next.Slug, "version=&filter=")
		if strings.Contains(body, "Change since") || !strings.Contains(body, `<input type="checkbox" name="compare" value="1"> Compare with`) {
			t.Errorf("comparison shown with the box unticked")
		}
	})
	t.Run("group", func(t *testing.T) {
		// The same group of the same version last year. Everyone in the
		// north said yes now, so both cells of talk_to are hidden: nothing
		// to compare. All of them feel always safe, as last year.
		_, body := h.resultsPage(&board, next.Slug, "version=11-18&filter=area%3Anorth&compare=1")
		doc := pageParse(t, body)
		if got, want := resultsRows(doc, "talk_to"), [][]string{
			{"Yes", "fewer than 5", "fewer than 5", "not compared"},
			{"No", "fewer than 5", "fewer than 5", "not compared"},
		}; !equalRows(got, want) {
			t.Errorf("north: talk_to rows %q, want %q", got, want)
		}
		if got := resultsRows(doc, "feel_safe"); len(got) != 3 || strings.Join(got[0], "|") != "Always|10|100.0%|no change" {
			t.Errorf("north: feel_safe rows %q", got)
		}
	})
	t.Run("previous gone", func(t *testing.T) {
		d := surveytestDefinition(t)
		d.Slug, d.Previous = "test-orphan", "test-gone-2025"
		if _, err := h.catalog.Create(ctx, d); err != nil {
			t.Fatal(err)
		}
		if _, err := h.catalog.SetStatus(ctx, d.Slug, surveys.StatusOpen); err != nil {
			t.Fatal(err)
		}
		h.resultsSubmit(d.Slug, 900, 5, twentyYoungPeople(""))
		_, body := h.resultsPage(&board, d.Slug, "")
		if !strings.Contains(body, "is no longer in Heard") || strings.Contains(body, "Compare with") {
			t.Errorf("a missing previous edition is not explained")
		}
	})
}

func TestResultsPageEmptyAndBadQueries(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	draft := h.addSurvey(surveys.StatusDraft)
	admin := h.signIn(surveys.RoleAdmin)
	res, body := h.resultsPage(&admin, draft.Slug, "")
	if res.status != 200 || !strings.Contains(body, "No results yet") || !strings.Contains(body, "still a draft") || strings.Contains(body, "<table") {
		t.Errorf("draft: %d, want a kind empty state:\n%s", res.status, body)
	}
	if res, _ := h.resultsPage(&admin, "no-such-survey", ""); res.status != 404 {
		t.Errorf("unknown survey: %d, want 404", res.status)
	}

	open := withSlug(t, "test-open")
	if _, err := h.catalog.Create(t.Context(), open); err != nil {
		t.Fatal(err)
	}
	if _, err := h.catalog.SetStatus(t.Context(), open.Slug, surveys.StatusOpen); err != nil {
		t.Fatal(err)
	}
	h.resultsSubmit(open.Slug, 1, 20, twentyYoungPeople(""))
	for _, tc := range []struct{ query, field, message string }{
		{"filter=nonsense", "filter", "The group must look like question:choice"},
		{"filter=feel_safe%3Aalways", "filter", "Results can be filtered only by a breakdown question."},
		{"filter=area%3Awest", "filter", "not one of the question"},
		{"version=99-100", "version", "This survey has no version &#34;99-100&#34;."},
	} {
		res, body := h.resultsPage(&admin, open.Slug, tc.query)
		if res.status != 422 {
			t.Errorf("?%s: %d, want 422", tc.query, res.status)
		}
		if !strings.Contains(body, `<div class="error-summary" role="alert"`) || !strings.Contains(body, tc.message) ||
			!strings.Contains(body, `<a href="#`+tc.field+`">`) || !strings.Contains(body, `id="`+tc.field+`-error"`) ||
			!strings.Contains(body, `aria-describedby="`+tc.field+`-error"`) {
			t.Errorf("?%s: no error summary with %q linked to #%s:\n%s", tc.query, tc.message, tc.field, body)
		}
		if !strings.Contains(body, "<strong>20</strong> responses") || !strings.Contains(body, "<table") {
			t.Errorf("?%s: the default results are not shown under the error", tc.query)
		}
	}
}

// resultsRows returns the cells of each body row of a question's table.
func resultsRows(doc *html.Node, key string) [][]string {
	tbody := pageFind(pageByID(doc, "q-"+key), func(n *html.Node) bool { return n.Data == "tbody" })
	if tbody == nil {
		return nil
	}
	var rows [][]string
	for tr := tbody.FirstChild; tr != nil; tr = tr.NextSibling {
		if tr.Type != html.ElementNode {
			continue
		}
		var row []string
		for cell := tr.FirstChild; cell != nil; cell = cell.NextSibling {
			if cell.Type == html.ElementNode {
				row = append(row, pageText(cell))
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func equalRows(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if strings.Join(a[i], "|") != strings.Join(b[i], "|") {
			return false
		}
	}
	return true
}
