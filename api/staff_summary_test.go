package api_test

import (
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// TestSummaryPage reads the summary page as the board: themes with their
// counts, small ones as "fewer than 5", approved quotes and never a
// comment's own words; and mistakes in the filters shown beside them.
func TestSummaryPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	h.submitComments(s, []string{"the buses r always late", "no bus to see me mum", "buses are rubbish", "the bus is too dear",
		"need a bus pass", "im skint", "skint all the time"})
	voices, err := h.voices.FindVoices(t.Context(), surveys.VoiceFilter{Theme: "transport"})
	if err != nil || len(voices) != 5 {
		t.Fatalf("%d voices about transport (%v), want 5", len(voices), err)
	}
	quote := &surveys.Quote{Text: "the [place] bus is always late", Status: surveys.QuoteApproved, By: "analyst@council.example", At: h.now}
	if err := h.voices.SetQuote(t.Context(), voices[0].ID, quote); err != nil {
		t.Fatal(err)
	}

	board := h.signIn(surveys.RoleBoard)
	page := h.svGet(&board, "/staff/summary")
	body := string(page.body)
	if page.status != 200 || !isStaffPage(page, "<h1>What young people told us</h1>") {
		t.Fatalf("%d %.400s", page.status, body)
	}
	table := textBetween(body, "<tbody>", "</tbody>")
	for _, want := range []string{
		"<strong>7</strong> comments from 24 Nov 2025 to 23 Nov 2026",
		`<a href="/staff/summary" aria-current="page">Summary</a>`,
		"the [place] bus is always late",
		"codebook version 1",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	transport := textBetween(table, "<th scope=\"row\">Getting about</th>", "</tr>")
	money := textBetween(table, "<th scope=\"row\">Money</th>", "</tr>")
	if !strings.Contains(transport, `<td class="num">5</td>`) || !strings.Contains(transport, "not shown") {
		t.Errorf("transport's row: %s", transport)
	}
	if strings.Contains(money, `"num">2<`) || !strings.Contains(money, "fewer than 5") {
		t.Errorf("money, from 2 comments, is not suppressed: %s", money)
	}
	if strings.Contains(body, "skint") || strings.Contains(body, "buses r always") {
		t.Error("the summary page shows a comment's own words")
	}

	bad := h.svGet(&board, "/staff/summary?from=2026-12-01&to=2026-11-01&channel=fax")
	badBody := string(bad.body)
	if bad.status != 422 || !strings.Contains(badBody, `<a href="#sum-to">The end must not be before the start.</a>`) ||
		!strings.Contains(badBody, `<a href="#sum-channel">The channel must be survey, session or school_council.</a>`) ||
		!strings.Contains(badBody, `id="sum-to" name="to" type="date" value="2026-11-01" aria-invalid="true"`) ||
		strings.Contains(badBody, "<tbody>") {
		t.Errorf("%d %s", bad.status, textBetween(badBody, "<main", "</form>"))
	}
	empty := string(h.svGet(&board, "/staff/summary?from=2020-01-01&to=2020-12-31").body)
	if !strings.Contains(empty, "No comments in this period") {
		t.Errorf("an empty period: %s", textBetween(empty, "<main", "</main>"))
	}
}
