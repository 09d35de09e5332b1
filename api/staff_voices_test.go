package api_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// TestReviewComments walks the review page: comments with Heard's
// suggestions and evidence, filters, accepting one and setting themes on
// several, refusals that change nothing, how often people changed the
// machine's themes, and the audit of every read.
func TestReviewComments(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	texts := []string{"the buses r always late", "more trips out in the holidays", "im skint all the time", "my foster carers are boss"}
	h.submitComments(s, texts)
	analyst := h.signIn(surveys.RoleAnalyst)
	page := h.svGet(&analyst, "/staff/voices")
	body := string(page.body)
	if page.status != 200 || !isStaffPage(page, "<h1>Review comments</h1>") {
		t.Fatalf("%d %.300s", page.status, body)
	}
	for _, want := range append(texts, "Getting about", "from “buses”", "Comments (4)") {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := len(h.svAudit(surveys.AuditVoicesRead, "")); n != 1 {
		t.Errorf("%d reads audited, want 1", n)
	}
	filtered := string(h.svGet(&analyst, "/staff/voices?theme=transport&unreviewed=1&unreviewed=0").body)
	if !strings.Contains(filtered, "Comments (1)") || strings.Contains(filtered, "skint") {
		t.Errorf("filtered by theme: %s", textBetween(filtered, `id="comments-heading"`, "</h2>"))
	}

	voices, err := h.voices.FindVoices(t.Context(), surveys.VoiceFilter{Survey: s.Slug})
	if err != nil || len(voices) != 4 {
		t.Fatalf("%d voices (%v)", len(voices), err)
	}
	byText := map[string]*surveys.Voice{}
	for _, v := range voices {
		byText[v.Text] = v
	}
	bus, trips, skint := byText[texts[0]], byText[texts[1]], byText[texts[2]]

	// Refusals change nothing.
	refusals := []struct {
		name string
		form url.Values
		want string
	}{
		{"nothing ticked", url.Values{"action": {"set"}, "theme": {"money"}, "sentiment": {"negative"}}, "Tick at least one comment"},
		{"an unknown theme", url.Values{"action": {"set"}, "id": {trips.ID}, "theme": {"weather"}, "sentiment": {"neutral"}}, "is not a theme of the codebook"},
		{"four themes", url.Values{"action": {"set"}, "id": {trips.ID}, "theme": {"money", "housing", "digital", "transport"}, "sentiment": {"neutral"}}, "at most 3"},
		{"no feeling", url.Values{"action": {"set"}, "id": {trips.ID}, "theme": {"activities"}}, "Choose how the comments feel"},
		{"no action", url.Values{"id": {trips.ID}}, "Choose what to do"},
	}
	for _, tt := range refusals {
		res := h.svPost(&analyst, "/staff/voices/review", tt.form, false)
		if res.status != 422 || !strings.Contains(string(res.body), tt.want) {
			t.Errorf("%s: %d, want 422 saying %q: %s", tt.name, res.status, tt.want, textBetween(string(res.body), `id="error-summary"`, "</div>"))
		}
	}
	if res := h.svPost(&analyst, "/staff/voices/review", url.Values{"action": {"accept:" + bus.ID}}, true); res.status != 403 {
		t.Errorf("without the CSRF token: %d, want 403", res.status)
	}
	if reviewed, _ := h.voices.FindVoices(t.Context(), surveys.VoiceFilter{Reviewed: true}); len(reviewed) != 0 {
		t.Fatalf("refused reviews changed %d comments", len(reviewed))
	}

	// Accept one, as it is; set themes on two, back to the same filter.
	if res := h.svPost(&analyst, "/staff/voices/review?theme=transport", url.Values{"action": {"accept:" + bus.ID}}, false); res.status != 303 ||
		res.headers.Get("Location") != "/staff/voices?theme=transport&done=reviewed" {
		t.Fatalf("accept: %d %s", res.status, res.headers.Get("Location"))
	}
	res := h.svPost(&analyst, "/staff/voices/review", url.Values{"action": {"set"}, "id": {trips.ID, skint.ID}, "theme": {"activities", "money"}, "sentiment": {"mixed"}}, false)
	if res.status != 303 {
		t.Fatalf("set: %d %s", res.status, textBetween(string(res.body), `id="error-summary"`, "</div>"))
	}
	got, _ := h.voices.FindVoice(t.Context(), bus.ID)
	if got.Review == nil || !slices.Equal(got.Review.Themes, bus.Machine.ThemeKeys()) || got.Review.By != "analyst@council.example" {
		t.Errorf("accepted: %+v", got.Review)
	}
	for _, v := range []*surveys.Voice{trips, skint} {
		got, _ := h.voices.FindVoice(t.Context(), v.ID)
		if got.Review == nil || !slices.Equal(got.Themes(), []string{"activities", "money"}) || got.Sentiment() != surveys.Mixed {
			t.Errorf("set on %q: %+v", v.Text, got.Review)
		}
	}
	if n := len(h.svAudit(surveys.AuditVoicesReview, "")); n != 2 {
		t.Errorf("%d reviews audited, want 2", n)
	}

	// The agreement table: money was suggested for "skint" and kept, added
	// by a person for the trips.
	agreement := string(h.svGet(&analyst, "/staff/voices?unreviewed=0").body)
	row := textBetween(agreement, "<th scope=\"row\">Money</th>", "</tr>")
	if !strings.Contains(row, `<td class="num">1</td><td class="num">1</td><td class="num">1</td><td class="num">50%</td>`) {
		t.Errorf("money's row: %s", row)
	}
	if open := string(h.svGet(&analyst, "/staff/voices").body); !strings.Contains(open, "Comments (1)") {
		t.Errorf("unreviewed after the reviews: %s", textBetween(open, `id="comments-heading"`, "</h2>"))
	}
}
