package api_test

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// themesForm is the codebook page's form as the page fills it, with the
// empty row for a new theme.
func themesForm(cb *surveys.Codebook) url.Values {
	f := url.Values{"version": {strconv.Itoa(cb.Version)}, "themes": {strconv.Itoa(len(cb.Themes) + 1)}}
	for i, t := range cb.Themes {
		p := "theme." + strconv.Itoa(i) + "."
		f.Set(p+"key", t.Key)
		f.Set(p+"name", t.Name)
		f.Set(p+"description", t.Description)
		f.Set(p+"words", strings.Join(t.Words["en"], "\n"))
	}
	f.Set("theme."+strconv.Itoa(len(cb.Themes))+".new", "1")
	return f
}

// TestEditThemes adds a theme on the codebook page: new comments are coded
// with it at once, and the codebook's version goes up; mistakes are shown
// beside their fields and a save from an old version is refused.
func TestEditThemes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	analyst := h.signIn(surveys.RoleAnalyst)
	page := h.svGet(&analyst, "/staff/themes")
	if page.status != 200 || !isStaffPage(page, "Getting about") || !strings.Contains(string(page.body), "version 2 of the codebook") {
		t.Fatalf("%d %s", page.status, textBetween(string(page.body), "<main", "</h1>"))
	}
	cb := h.themes.Codebook()
	n := strconv.Itoa(len(cb.Themes))

	bad := themesForm(cb)
	bad.Set("theme."+n+".key", "Food!")
	bad.Set("theme."+n+".name", "Food")
	bad.Set("theme.0.name", "")
	res := h.svPost(&analyst, "/staff/themes", bad, false)
	body := string(res.body)
	if res.status != 422 || !strings.Contains(body, `id="theme-0-name-error"`) || !strings.Contains(body, `id="theme-`+n+`-key-error"`) {
		t.Fatalf("mistakes: %d %s", res.status, textBetween(body, `id="error-summary"`, "</div>"))
	}
	if h.themes.Codebook().Version != 1 {
		t.Fatal("a codebook with mistakes was saved")
	}

	good := themesForm(cb)
	good.Set("theme."+n+".key", "food")
	good.Set("theme."+n+".name", "Food")
	good.Set("theme."+n+".words", "dinner*\nfood\npl: jedzenie")
	if res := h.svPost(&analyst, "/staff/themes", good, false); res.status != 303 {
		t.Fatalf("save: %d %s", res.status, textBetween(string(res.body), `id="error-summary"`, "</div>"))
	}
	now := h.themes.Codebook()
	if now.Version != 2 || now.Theme("food") == nil || !slices.Equal(now.Theme("food").Words["pl"], []string{"jedzenie"}) {
		t.Fatalf("after saving: version %d, food %+v", now.Version, now.Theme("food"))
	}
	if got := h.themes.Code("the dinners are rank", "en"); !slices.Contains(got.ThemeKeys(), "food") || got.Codebook != 2 {
		t.Errorf("new text codes as %v (codebook %d)", got.ThemeKeys(), got.Codebook)
	}
	if e := h.svAudit(surveys.AuditCodebookSave, "version 2"); len(e) != 1 || e[0].Actor != "analyst@council.example" {
		t.Errorf("audit: %v", e)
	}

	// The same form again was made from version 1: refused.
	res = h.svPost(&analyst, "/staff/themes", good, false)
	if res.status != 409 || !strings.Contains(string(res.body), "Someone else saved the codebook") {
		t.Errorf("a stale save: %d %s", res.status, textBetween(string(res.body), `id="error-summary"`, "</div>"))
	}
	if res := h.svPost(&analyst, "/staff/themes", url.Values{"themes": {"3"}}, false); res.status != 422 {
		t.Errorf("a form without its version: %d", res.status)
	}
}
