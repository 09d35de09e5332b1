package api_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// settingsForm is the settings form as an admin fills it in, with one
// school and two empty rows.
func settingsForm(revision int) url.Values {
	return url.Values{
		"revision":       {strconv.Itoa(revision)},
		"council_name":   {"Knowsley Council"},
		"help_phone":     {"0151 443 2600"},
		"help_hours":     {"Monday to Friday, 9am to 5pm"},
		"threshold":      {"6"},
		"areas":          {"North\r\nCentral\r\n\r\nSouth\r\n West \r\n"},
		"groups":         {"MADE 11-15\nMADE 16-25"},
		"school_rows":    {"3"},
		"school-0-name":  {"Halewood Primary"},
		"school-0-area":  {"South"},
		"school-0-phase": {"primary"},
		"school-1-name":  {""},
		"school-1-area":  {""},
		"school-1-phase": {""},
		"school-2-name":  {" Kirkby High "},
		"school-2-area":  {"North"},
		"school-2-phase": {"secondary"},
	}
}

// logoFile is a file sent in the settings form's logo field.
type logoFile struct {
	name string
	data []byte
}

// postSettings sends the settings form as a browser does, as
// multipart/form-data with the session's CSRF token.
func (h *harness) postSettings(who *staff, form url.Values, logo *logoFile) response {
	h.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	form.Set("_csrf", who.csrf)
	for k, vs := range form {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				h.t.Fatal(err)
			}
		}
	}
	if logo != nil {
		f, err := w.CreateFormFile("logo", logo.name)
		if err != nil {
			h.t.Fatal(err)
		}
		if _, err := f.Write(logo.data); err != nil {
			h.t.Fatal(err)
		}
	} else {
		// A browser sends an empty file part when no file is chosen.
		if _, err := w.CreateFormFile("logo", ""); err != nil {
			h.t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		h.t.Fatal(err)
	}
	return h.do(request{method: "POST", path: "/staff/settings", as: who, noCSRF: true, ctype: w.FormDataContentType(), body: buf.String()})
}

func (h *harness) currentSettings() *surveys.Settings {
	h.t.Helper()
	st, err := h.settings.Current(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return st
}

// pngLogo is a small PNG image.
func pngLogo(t *testing.T) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 16, 8))
	for x := range 16 {
		img.Set(x, x%8, color.NRGBA{R: 26, G: 86, B: 184, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSettingsRoutesAreForAdminsOnly(t *testing.T) {
	t.Parallel()
	form := settingsForm(0)
	form.Set("threshold", "9")
	checkAdminOnly(t, []adminRoute{
		{method: "GET", path: "/staff/settings"},
		{method: "POST", path: "/staff/settings", form: form},
	})
}

func TestSettingsSaveRoundTrip(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	page := h.adminGet(&admin, "/staff/settings")
	body := string(page.body)
	if page.status != 200 || !isStaffPage(page, "<h1>Settings</h1>") {
		t.Fatalf("settings page: %d %s", page.status, body)
	}
	for _, want := range []string{
		`enctype="multipart/form-data"`, `name="revision" value="0"`, `value="Test Council"`, `name="threshold" type="number" inputmode="numeric" min="3"`,
		">North\nCentral\nSouth</textarea>", `accept="image/png,image/svg+xml"`, "Never below 3", "beside Childline and 999",
		`name="school_rows" value="3"`, `id="school-2-name"`, "No logo yet.",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the settings page lacks %q", want)
		}
	}

	// The form is multipart: its CSRF token is checked there too.
	for _, token := range []string{"", "forged"} {
		forged := staff{cookie: admin.cookie, csrf: token}
		if res := h.postSettings(&forged, settingsForm(0), &logoFile{"crest.png", pngLogo(t)}); res.status != 403 || !isStaffPage(res, "security token") {
			t.Errorf("multipart form with CSRF token %q: %d, want the 403 page", token, res.status)
		}
	}
	if st := h.currentSettings(); st.Revision != 0 || st.Logo != nil {
		t.Fatal("a form without its token changed the settings")
	}

	res := h.postSettings(&admin, settingsForm(0), nil)
	if res.status != 303 || res.headers.Get("Location") != "/staff/settings?done=settings" {
		t.Fatalf("save: %d to %q %s", res.status, res.headers.Get("Location"), res.body)
	}
	st := h.currentSettings()
	want := surveys.Settings{CouncilName: "Knowsley Council", HelpPhone: "0151 443 2600", HelpHours: "Monday to Friday, 9am to 5pm", Threshold: 6,
		Areas: []string{"North", "Central", "South", "West"}, Groups: []string{"MADE 11-15", "MADE 16-25"},
		Schools: []surveys.School{{Key: "halewood-primary", Name: "Halewood Primary", Area: "South", Phase: surveys.PhasePrimary},
			{Key: "kirkby-high", Name: "Kirkby High", Area: "North", Phase: surveys.PhaseSecondary}}}
	if st.CouncilName != want.CouncilName || st.HelpPhone != want.HelpPhone || st.HelpHours != want.HelpHours || st.Threshold != want.Threshold ||
		strings.Join(st.Areas, "|") != strings.Join(want.Areas, "|") || strings.Join(st.Groups, "|") != strings.Join(want.Groups, "|") ||
		len(st.Schools) != 2 || st.Schools[0] != want.Schools[0] || st.Schools[1] != want.Schools[1] || st.Revision != 1 || st.Logo != nil {
		t.Errorf("saved %+v\nwant %+v", st, want)
	}
	if !h.auditHas(surveys.AuditSettingsUpdate, "admin@council.example", "settings") {
		t.Error("the save is not in the audit log")
	}

	page = h.adminGet(&admin, "/staff/settings?done=settings")
	body = string(page.body)
	for _, want := range []string{
		"The settings were saved.", `name="revision" value="1"`, `value="Knowsley Council"`, `value="0151 443 2600"`, `value="Monday to Friday, 9am to 5pm"`,
		`value="6"`, ">North\nCentral\nSouth\nWest</textarea>", ">MADE 11-15\nMADE 16-25</textarea>",
		`id="school-0-name" name="school-0-name" type="text" maxlength="200" value="Halewood Primary"`,
		`id="school-1-name" name="school-1-name" type="text" maxlength="200" value="Kirkby High"`,
		`id="school-4-name" name="school-4-name" type="text" maxlength="200" value=""`,
		`name="school_rows" value="5"`, "Last saved",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the saved settings page lacks %q", want)
		}
	}
	row0 := textBetween(body, `id="school-0-area"`, "</tr>")
	if !strings.Contains(row0, `<option value="South" selected>South</option>`) || !strings.Contains(row0, `<option value="primary" selected>Primary</option>`) ||
		strings.Contains(row0, "Area…") {
		t.Errorf("school row 0: %s", row0)
	}
	if row4 := textBetween(body, `id="school-4-area"`, "</tr>"); !strings.Contains(row4, `<option value="" selected>Area…</option>`) {
		t.Errorf("an empty row: %s", row4)
	}

	// Clearing a school's name removes it.
	form := settingsForm(1)
	form.Set("school-0-name", "")
	if res := h.postSettings(&admin, form, nil); res.status != 303 {
		t.Fatalf("remove a school: %d %s", res.status, res.body)
	}
	if st := h.currentSettings(); len(st.Schools) != 1 || st.Schools[0].Name != "Kirkby High" {
		t.Errorf("schools after clearing a name: %+v", st.Schools)
	}
}

// textBetween returns the text of s from the first from to the next to.
func textBetween(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	out, _, _ := strings.Cut(after, to)
	return out
}

func TestSettingsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	cases := []struct {
		name   string
		change func(url.Values)
		field  string // the id the summary links to and the message is beside
		want   string
	}{
		{"threshold 2", func(f url.Values) { f.Set("threshold", "2") }, "threshold",
			"Must be a whole number from 3 to 100: below 3, suppression no longer protects anyone."},
		{"threshold a word", func(f url.Values) { f.Set("threshold", "five") }, "threshold", "Must be a whole number from 3 to 100"},
		{"school in no area", func(f url.Values) { f.Set("school-2-area", "Atlantis") }, "school-2-area", "Choose one of the areas."},
		{"school with no phase", func(f url.Values) { f.Set("school-0-phase", "") }, "school-0-phase", "Choose a phase."},
		{"a school twice", func(f url.Values) { f.Set("school-2-name", "halewood primary") }, "school-2-name", "is listed twice."},
		{"an area twice", func(f url.Values) { f.Set("areas", "North\nSouth\nnorth") }, "areas", "Line 3: the area "},
		{"a phone of letters", func(f url.Values) { f.Set("help_phone", "call us") }, "help_phone", "Must be a phone number"},
		{"a very long name", func(f url.Values) { f.Set("council_name", strings.Repeat("K", 101)) }, "council_name", "Must be at most 100 characters."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			form := settingsForm(0)
			tc.change(form)
			res := h.postSettings(&admin, form, nil)
			body := string(res.body)
			if res.status != 422 || !isStaffPage(res, "The settings were not saved") {
				t.Fatalf("%d, want 422 with the form: %s", res.status, body)
			}
			if !strings.Contains(body, `<a href="#`+tc.field+`">`) {
				t.Errorf("the error summary does not link to #%s", tc.field)
			}
			beside := textBetween(body, `<p class="field-error" id="`+tc.field+`-error">`, "</p>")
			if !strings.Contains(beside, tc.want) {
				t.Errorf("beside %s: %q, want %q", tc.field, beside, tc.want)
			}
			if tag := textBetween(body, ` id="`+tc.field+`" `, ">"); !strings.Contains(tag, `aria-invalid="true"`) || !regexp.MustCompile(`aria-describedby="[^"]*\b`+tc.field+`-error"`).MatchString(tag) {
				t.Errorf("the field %s is not marked invalid: %s", tc.field, tag)
			}
			if st := h.currentSettings(); st.Revision != 0 {
				t.Errorf("a refused form was saved: revision %d", st.Revision)
			}
			if !strings.Contains(body, `value="Knowsley Council"`) && tc.name != "a very long name" {
				t.Error("the form as typed is not kept")
			}
		})
	}
	// The area a school has, though not one of the areas, is shown as chosen.
	form := settingsForm(0)
	form.Set("school-2-area", "Atlantis")
	body := string(h.postSettings(&admin, form, nil).body)
	if !strings.Contains(body, `<option value="Atlantis" selected>Atlantis (not one of the areas)</option>`) || !strings.Contains(body, `value="6"`) {
		t.Errorf("the refused school's area is not kept: %s", textBetween(body, `id="school-2-area"`, "</select>"))
	}
	form.Set("threshold", "2")
	form.Set("revision", "0")
	if body := string(h.postSettings(&admin, form, nil).body); !strings.Contains(body, `value="2"`) {
		t.Error("the threshold as typed is not kept")
	}
}

func TestSettingsLogo(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	logo := pngLogo(t)

	res := h.postSettings(&admin, settingsForm(0), &logoFile{"crest.png", logo})
	if res.status != 303 {
		t.Fatalf("save with a PNG: %d %s", res.status, res.body)
	}
	got := h.do(request{method: "GET", path: "/staff/logo"})
	if got.status != 200 || got.headers.Get("Content-Type") != "image/png" {
		t.Fatalf("logo: %d %q", got.status, got.headers.Get("Content-Type"))
	}
	if img, err := png.Decode(bytes.NewReader(got.body)); err != nil || img.Bounds().Dx() != 16 {
		t.Errorf("the served logo is not the PNG: %v", err)
	}
	page := h.adminGet(&admin, "/staff/settings")
	if !strings.Contains(string(page.body), `<img src="/staff/logo" alt="Current logo"`) || !strings.Contains(string(page.body), "Remove the logo") {
		t.Error("the settings page does not show the current logo with a way to remove it")
	}

	// No file keeps the logo.
	if res := h.postSettings(&admin, settingsForm(1), nil); res.status != 303 {
		t.Fatalf("save without a file: %d", res.status)
	}
	if st := h.currentSettings(); st.Logo == nil || st.Logo.ContentType != surveys.LogoPNG {
		t.Error("saving without a file dropped the logo")
	}

	// 300 KB is refused kindly, and changes nothing.
	big := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 300<<10)...)
	res = h.postSettings(&admin, settingsForm(2), &logoFile{"huge.png", big})
	if res.status != 422 || !strings.Contains(textBetween(string(res.body), `id="logo-error">`, "</p>"), "The logo is too large: it may be up to 256 KB.") {
		t.Errorf("a 300 KB logo: %d, want 422 with the message beside the logo: %s", res.status, textBetween(string(res.body), `id="error-summary"`, "</div>"))
	}
	if st := h.currentSettings(); st.Revision != 2 || !bytes.Equal(st.Logo.Data, got.body) {
		t.Error("a refused logo changed the settings")
	}
	// A good file with a mistake elsewhere: asked to choose it again.
	form := settingsForm(2)
	form.Set("threshold", "1")
	res = h.postSettings(&admin, form, &logoFile{"crest.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)})
	if res.status != 422 || !strings.Contains(string(res.body), "choose it again") {
		t.Errorf("a good logo beside a mistake: %d, want 422 asking to choose the file again", res.status)
	}

	// An SVG comes back cleaned.
	svg := `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)">` +
		`<script>alert(document.cookie)</script><rect width="10" height="10" fill="#1a56b8"/></svg>`
	if res := h.postSettings(&admin, settingsForm(2), &logoFile{"crest.svg", []byte(svg)}); res.status != 303 {
		t.Fatalf("save with an SVG: %d %s", res.status, res.body)
	}
	got = h.do(request{method: "GET", path: "/staff/logo"})
	if got.status != 200 || got.headers.Get("Content-Type") != "image/svg+xml" || !strings.Contains(string(got.body), "<rect") ||
		strings.Contains(string(got.body), "script") || strings.Contains(string(got.body), "alert") || strings.Contains(string(got.body), "onload") {
		t.Errorf("the SVG logo served: %d %q %s", got.status, got.headers.Get("Content-Type"), got.body)
	}

	// Remove the logo.
	form = settingsForm(3)
	form.Set("remove_logo", "1")
	if res := h.postSettings(&admin, form, nil); res.status != 303 {
		t.Fatalf("remove the logo: %d %s", res.status, res.body)
	}
	if res := h.do(request{method: "GET", path: "/staff/logo"}); res.status != 404 {
		t.Errorf("the logo after removing it: %d, want 404", res.status)
	}
	if !strings.Contains(string(h.adminGet(&admin, "/staff/settings").body), "No logo yet.") {
		t.Error("the settings page still shows a logo")
	}
}

// Two admins editing at once: the second save, made from settings that
// have changed since, is refused and shows what the first saved.
func TestSettingsConflict(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	if res := h.postSettings(&admin, settingsForm(0), nil); res.status != 303 {
		t.Fatalf("first save: %d", res.status)
	}
	form := settingsForm(0)
	form.Set("council_name", "Another Name")
	res := h.postSettings(&admin, form, nil)
	body := string(res.body)
	if res.status != 409 || !isStaffPage(res, "Someone else saved the settings") || !strings.Contains(body, `value="Knowsley Council"`) ||
		!strings.Contains(body, `name="revision" value="1"`) || strings.Contains(body, "Another Name") {
		t.Errorf("a stale save: %d, want 409 showing the saved settings: %s", res.status, body)
	}
	if st := h.currentSettings(); st.CouncilName != "Knowsley Council" || st.Revision != 1 {
		t.Errorf("after the conflict: %q at %d", st.CouncilName, st.Revision)
	}
}

// The threshold saved in the settings is the one results use.
func TestSavedThresholdChangesResults(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	s := h.addSurvey(surveys.StatusOpen)
	threshold := func() int {
		res := h.do(request{method: "GET", path: "/api/v1/surveys/" + s.Slug + "/results", as: &admin})
		if res.status != 200 {
			t.Fatalf("results: %d %s", res.status, res.body)
		}
		var r struct {
			Threshold int `json:"threshold"`
		}
		res.decode(t, &r)
		return r.Threshold
	}
	if got := threshold(); got != 5 {
		t.Fatalf("threshold before: %d, want the default 5", got)
	}
	form := settingsForm(0)
	form.Set("threshold", "7")
	if res := h.postSettings(&admin, form, nil); res.status != 303 {
		t.Fatalf("save: %d %s", res.status, res.body)
	}
	if got := threshold(); got != 7 {
		t.Errorf("threshold after saving 7: %d", got)
	}
}
