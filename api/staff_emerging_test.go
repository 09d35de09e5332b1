package api_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// TestEmergingThemes groups comments that fit no theme and folds a group
// into a theme; the link to start a new theme carries the group's words.
func TestEmergingThemes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	texts := []string{"can we have a dog", "i want a dog please", "a dog would be so nice", "please let us get a dog",
		"why cant we have a dog"}
	for _, text := range texts {
		if keys := h.themes.Code(text, "en").ThemeKeys(); len(keys) != 0 {
			t.Fatalf("the fixture %q has themes %v", text, keys)
		}
	}
	h.submitComments(s, texts)
	analyst := h.signIn(surveys.RoleAnalyst)
	page := h.svGet(&analyst, "/staff/themes/emerging")
	body := string(page.body)
	if page.status != 200 || !isStaffPage(page, "<h1>Emerging themes</h1>") || !strings.Contains(body, "dog") ||
		!strings.Contains(body, "(5 comments)") || !strings.Contains(body, "/staff/themes?words=dog") {
		t.Fatalf("%d %s", page.status, textBetween(body, "<main", "</main>"))
	}
	if !strings.Contains(string(h.svGet(&analyst, "/staff/themes?words=dog%0Apets").body), "dog\npets</textarea>") {
		t.Error("the themes page does not start the new theme with the group's words")
	}
	voices, _ := h.voices.FindVoices(t.Context(), surveys.VoiceFilter{Question: "better"})
	form := url.Values{"theme": {"home_placement"}}
	for _, v := range voices {
		form.Add("id", v.ID)
	}
	if res := h.svPost(&analyst, "/staff/themes/emerging", url.Values{"theme": {"weather"}, "id": form["id"]}, false); res.status != 422 {
		t.Errorf("an unknown theme: %d", res.status)
	}
	if res := h.svPost(&analyst, "/staff/themes/emerging", form, false); res.status != 303 {
		t.Fatalf("fold: %d %s", res.status, textBetween(string(res.body), `id="error-summary"`, "</div>"))
	}
	for _, v := range voices {
		got, _ := h.voices.FindVoice(t.Context(), v.ID)
		if got.Review == nil || !slices.Equal(got.Themes(), []string{"home_placement"}) || got.Sentiment() != v.Machine.Sentiment {
			t.Errorf("folded %q: %+v", v.Text, got.Review)
		}
	}
	if strings.Contains(string(h.svGet(&analyst, "/staff/themes/emerging").body), "(5 comments)") {
		t.Error("the folded group is still offered")
	}
}
