package api_test

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// TestSettingsRetentionFields saves the council's retention periods on the
// settings page: empty boxes keep the defaults, numbers within the limits
// are saved and shown back, and anything else is refused beside its box,
// as typed, saving nothing.
func TestSettingsRetentionFields(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.signIn(surveys.RoleAdmin)
	body := string(h.adminGet(&admin, "/staff/settings").body)
	for _, want := range []string{
		"How long things are kept", `name="retention.response_months"`, `name="retention.contact_months"`, `name="retention.safeguarding_months"`,
		`placeholder="24"`, `placeholder="12"`, `placeholder="72"`, "from 1 to 120",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the settings page lacks %q", want)
		}
	}

	// Empty boxes: the defaults, saved as unset.
	if res := h.postSettings(&admin, settingsForm(0), nil); res.status != 303 {
		t.Fatalf("save with empty periods: %d %s", res.status, res.body)
	}
	if st := h.currentSettings(); st.Retention != (surveys.RetentionPolicy{}) {
		t.Errorf("empty boxes saved %+v", st.Retention)
	}

	form := settingsForm(1)
	form.Set("retention.response_months", "36")
	form.Set("retention.contact_months", strconv.Itoa(surveys.MinRetentionMonths))
	form.Set("retention.safeguarding_months", strconv.Itoa(surveys.MaxRetentionMonths))
	if res := h.postSettings(&admin, form, nil); res.status != 303 {
		t.Fatalf("save: %d %s", res.status, res.body)
	}
	want := surveys.RetentionPolicy{ResponseMonths: 36, ContactMonths: surveys.MinRetentionMonths, SafeguardingMonths: surveys.MaxRetentionMonths}
	if st := h.currentSettings(); st.Retention != want {
		t.Errorf("saved %+v, want %+v", st.Retention, want)
	}
	body = string(h.adminGet(&admin, "/staff/settings").body)
	for _, f := range []struct{ id, value string }{
		{"retention.response_months", "36"}, {"retention.contact_months", "1"}, {"retention.safeguarding_months", "120"},
	} {
		if tag := textBetween(body, ` id="`+f.id+`" `, ">"); !strings.Contains(tag, `value="`+f.value+`"`) {
			t.Errorf("%s is shown as %s, want %s", f.id, tag, f.value)
		}
	}
	if !h.auditHas(surveys.AuditSettingsUpdate, "admin@council.example", "settings") {
		t.Error("the save is not in the audit log")
	}

	for _, tc := range []struct {
		name, field, typed string
	}{
		{"too long", "retention.response_months", strconv.Itoa(surveys.MaxRetentionMonths + 1)},
		{"negative", "retention.contact_months", "-3"},
		{"a word", "retention.safeguarding_months", "six years"},
		{"a fraction", "retention.response_months", "12.5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := settingsForm(2)
			form.Set(tc.field, tc.typed)
			res := h.postSettings(&admin, form, nil)
			body := string(res.body)
			if res.status != 422 || !isStaffPage(res, "The settings were not saved") {
				t.Fatalf("%d, want 422 with the form: %.300s", res.status, body)
			}
			if !strings.Contains(body, `<a href="#`+tc.field+`">`) {
				t.Errorf("the error summary does not link to #%s", tc.field)
			}
			beside := textBetween(body, `<p class="field-error" id="`+tc.field+`-error">`, "</p>")
			if !strings.Contains(beside, "Must be a whole number of months from 1 to 120") {
				t.Errorf("beside %s: %q", tc.field, beside)
			}
			tag := textBetween(body, ` id="`+tc.field+`" `, ">")
			if !strings.Contains(tag, `aria-invalid="true"`) || !regexp.MustCompile(`aria-describedby="[^"]*`+regexp.QuoteMeta(tc.field)+`-error"`).MatchString(tag) ||
				!strings.Contains(tag, `value="`+tc.typed+`"`) {
				t.Errorf("the field is not marked invalid with the value as typed: %s", tag)
			}
			if st := h.currentSettings(); st.Revision != 2 || st.Retention != want {
				t.Errorf("a refused form changed the settings: revision %d, %+v", st.Revision, st.Retention)
			}
		})
	}
}

// TestSurveyRetentionField sets a survey's own period beside its dates and
// cohort: the page says the council's period until then; a good number is
// saved and audited; a bad one is refused beside the field and changes
// nothing; and a survey whose answers retention deleted says so and offers
// no way to open it again.
func TestSurveyRetentionField(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusDraft)
	admin := h.signIn(surveys.RoleAdmin)
	path := "/staff/surveys/" + s.Slug + "/schedule"
	rev := func() string { return strconv.Itoa(h.svSurvey(s.Slug).Revision) }

	page := pageParse(t, string(h.svGet(&admin, "/staff/surveys/"+s.Slug).body))
	if in := pageByID(page, "schedule-retention_months"); pageAttr(in, "name") != "retention_months" || pageAttr(in, "value") != "" ||
		pageAttr(in, "min") != "1" || pageAttr(in, "max") != "120" {
		t.Errorf("the retention field: %v", in)
	}
	if text := pageText(page); !strings.Contains(text, "24 months after it closes (the council's period)") ||
		!strings.Contains(text, "leave empty for the council's period, 24 months") {
		t.Errorf("the page does not say the council's period: %s", text)
	}

	res := h.svPost(&admin, path, url.Values{"revision": {rev()}, "cohort": {"40"}, "retention_months": {"6"}}, false)
	if res.status != 303 {
		t.Fatalf("save: %d %.500s", res.status, res.body)
	}
	if got := h.svSurvey(s.Slug); got.RetentionMonths != 6 || got.Cohort != 40 {
		t.Errorf("saved %d months, cohort %d", got.RetentionMonths, got.Cohort)
	}
	if e := h.svAudit(surveys.AuditSurveySchedule, s.Slug); len(e) != 1 || !strings.Contains(e[0].Detail, "answers kept 6 months after closing") {
		t.Errorf("audit: %+v", e)
	}
	page = pageParse(t, string(h.svGet(&admin, "/staff/surveys/"+s.Slug).body))
	if pageAttr(pageByID(page, "schedule-retention_months"), "value") != "6" || !strings.Contains(pageText(page), "6 months after it closes") ||
		strings.Contains(pageText(page), "6 months after it closes (the council's period)") {
		t.Errorf("the page does not show the survey's own period: %s", pageText(page))
	}

	for _, tc := range []struct{ name, typed, saying string }{
		{"too long", "121", "must be a whole number of months from 1 to 120"},
		{"negative", "-1", "must be a whole number of months"},
		{"a word", "two years", "must be a whole number of months"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := rev()
			res := h.svPost(&admin, path, url.Values{"revision": {before}, "retention_months": {tc.typed}}, false)
			if res.status != 422 || !isStaffPage(res, "The dates and cohort were not saved") {
				t.Fatalf("%d %.300s", res.status, res.body)
			}
			doc := pageParse(t, string(res.body))
			svFieldError(t, doc, "schedule-retention_months", tc.saying)
			if got := pageAttr(pageByID(doc, "schedule-retention_months"), "value"); got != tc.typed {
				t.Errorf("shown as %q, want %q as typed", got, tc.typed)
			}
			if rev() != before || h.svSurvey(s.Slug).RetentionMonths != 6 {
				t.Error("a refused form changed the survey")
			}
		})
	}

	// Empty again: back to the council's period.
	if res := h.svPost(&admin, path, url.Values{"revision": {rev()}, "retention_months": {""}}, false); res.status != 303 {
		t.Fatalf("clear: %d", res.status)
	}
	if got := h.svSurvey(s.Slug).RetentionMonths; got != 0 {
		t.Errorf("cleared to %d months, want 0", got)
	}

	// Retention has deleted its answers: the page says so, and there is
	// no button to open it again.
	if _, err := h.catalog.SetStatus(t.Context(), s.Slug, surveys.StatusOpen); err != nil {
		t.Fatal(err)
	}
	closed, err := h.catalog.SetStatus(t.Context(), s.Slug, surveys.StatusClosed)
	if err != nil {
		t.Fatal(err)
	}
	retained := closed.ClosedAt.AddDate(2, 0, 0)
	if _, err := h.catalog.Store.UpdateSurvey(t.Context(), s.Slug, closed.Revision, surveys.SurveyUpdate{Retained: &retained}); err != nil {
		t.Fatal(err)
	}
	page = pageParse(t, string(h.svGet(&admin, "/staff/surveys/"+s.Slug).body))
	text := pageText(page)
	if !strings.Contains(text, "Its responses and comments were deleted on") || !strings.Contains(text, "cannot open again") {
		t.Errorf("the retained survey's page: %s", text)
	}
	if strings.Contains(text, "Open it again") {
		t.Error("a retained survey offers to open again")
	}
	res = h.svPost(&admin, "/staff/surveys/"+s.Slug+"/status", url.Values{"status": {"open"}, "revision": {rev()}, "confirm": {"yes"}}, false)
	if res.status != 409 || h.svSurvey(s.Slug).Status != surveys.StatusClosed {
		t.Errorf("opening a retained survey: %d, status %s", res.status, h.svSurvey(s.Slug).Status)
	}
}
