package api_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/surveys"
)

// A batch of codes made on the codes page: listed with how many are spent
// (a count only), its cards downloaded once, then a clear page saying they
// cannot be downloaded again.
func TestCodeBatchesPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.codedSurvey()
	analyst := h.signIn(surveys.RoleAnalyst)
	page := "/staff/surveys/" + s.Slug + "/codes"

	res := h.svGet(&analyst, page)
	if res.status != 200 || !isStaffPage(res, "No codes have been made for this survey yet.") {
		t.Fatalf("empty page: %d %.500s", res.status, res.body)
	}
	if v := pageAttr(pageByID(pageParse(t, string(res.body)), "codes-count"), "value"); v != "100" {
		t.Errorf("count prefilled %q", v)
	}

	res = h.svPost(&analyst, page, url.Values{"count": {"3"}, "label": {"  North team, March "}}, false)
	if res.status != 303 || res.headers.Get("Location") != page+"?done=codes" {
		t.Fatalf("make: %d to %q %.500s", res.status, res.headers.Get("Location"), res.body)
	}
	if e := h.svAudit(surveys.AuditCodesCreate, s.Slug); len(e) != 1 || !strings.Contains(e[0].Detail, "3 codes") || e[0].Actor != "analyst@council.example" {
		t.Errorf("audit: %+v", e)
	}

	row := func() (cells []string, download string) {
		t.Helper()
		res := h.svGet(&analyst, page)
		doc := pageParse(t, string(res.body))
		tr := pageFind(doc, func(n *html.Node) bool { return n.Data == "tr" && strings.Contains(pageText(n), "North team, March") })
		if tr == nil {
			t.Fatalf("the batch is not listed: %s", pageText(doc))
		}
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				cells = append(cells, pageText(c))
			}
		}
		a := pageFind(tr, func(n *html.Node) bool { return n.Data == "a" })
		return cells, pageAttr(a, "href")
	}
	cells, download := row()
	if len(cells) != 5 || cells[0] != "North team, March" || cells[1] != "23 Nov 2026, 10:00" || cells[2] != "3" || cells[3] != "0" ||
		!strings.HasPrefix(cells[4], "Not printed yet. Download the cards") {
		t.Errorf("row: %q", cells)
	}
	if !strings.HasPrefix(download, page+"/") || !strings.HasSuffix(download, ".pdf") {
		t.Fatalf("download link %q", download)
	}
	if !strings.Contains(string(h.svGet(&analyst, page+"?done=codes").body), "Download the cards now") {
		t.Error("no flash after making codes")
	}

	pdf := h.svGet(&analyst, download)
	if pdf.status != 200 || pdf.headers.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(pdf.headers.Get("Content-Disposition"), `attachment; filename="codes-`+s.Slug+`-`) {
		t.Fatalf("cards: %d %v", pdf.status, pdf.headers)
	}
	codes := codesInPDF(t, pdf.body, 3)
	if e := h.svAudit(surveys.AuditCodesExport, s.Slug); len(e) != 1 || e[0].Actor != "analyst@council.example" {
		t.Errorf("audit: %+v", e)
	}

	again := h.svGet(&analyst, download)
	if again.status != 410 || !isStaffPage(again, "These cards cannot be downloaded again") || !strings.Contains(string(again.body), `href="`+page+`"`) {
		t.Errorf("second download: %d %.500s", again.status, again.body)
	}
	if n := len(h.svAudit(surveys.AuditCodesExport, s.Slug)); n != 1 {
		t.Errorf("%d card downloads in the audit log, want 1", n)
	}

	// A young person spends a code: the page counts it, and only counts.
	body := submission(1, validAnswers())
	body["code"] = codes[1]
	if res := h.do(request{method: "POST", path: "/api/v1/surveys/" + s.Slug + "/responses", json: body}); res.status != 201 {
		t.Fatalf("spend a code: %d %s", res.status, res.body)
	}
	// The code is spent once the response is written, just after.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if cells, download = row(); cells[3] == "1" || time.Now().After(deadline) {
			break
		}
	}
	if cells[3] != "1" || cells[4] != "Printed" || download != "" {
		t.Errorf("after printing and spending one: %q, link %q", cells, download)
	}
	listing := string(h.svGet(&analyst, page).body)
	for _, code := range codes {
		if strings.Contains(listing, code) || strings.Contains(listing, surveys.FormatCode(code)) {
			t.Error("the page shows a code")
		}
	}
}

func TestCodeBatchMistakes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.codedSurvey()
	admin := h.signIn(surveys.RoleAdmin)
	page := "/staff/surveys/" + s.Slug + "/codes"
	for _, tc := range []struct {
		name          string
		form          url.Values
		field, saying string
	}{
		{"none", url.Values{"count": {"0"}}, "codes-count", "must be from 1 to 2000"},
		{"too many", url.Values{"count": {"2001"}}, "codes-count", "must be from 1 to 2000"},
		{"not a number", url.Values{"count": {"some"}}, "codes-count", "must be a whole number from 1 to 2000"},
		{"empty", url.Values{"count": {""}}, "codes-count", "must be a whole number"},
		{"label too long", url.Values{"count": {"2"}, "label": {strings.Repeat("x", surveys.MaxBatchLabel+1)}}, "codes-label", "must be at most 100 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := h.svPost(&admin, page, tc.form, false)
			if res.status != 422 || !isStaffPage(res, "The codes were not made") {
				t.Fatalf("%d %.300s", res.status, res.body)
			}
			doc := pageParse(t, string(res.body))
			svFieldError(t, doc, tc.field, tc.saying)
			if got := pageAttr(pageByID(doc, "codes-count"), "value"); got != tc.form.Get("count") {
				t.Errorf("count shown as %q, want %q as typed", got, tc.form.Get("count"))
			}
		})
	}
	if res := h.svPost(&admin, page, url.Values{"count": {"2"}}, true); res.status != 403 {
		t.Errorf("without the CSRF token: %d", res.status)
	}
	if n := len(h.svAudit(surveys.AuditCodesCreate, s.Slug)); n != 0 {
		t.Errorf("%d batches made by refused forms", n)
	}
	if res := h.svGet(&admin, "/staff/surveys/no-such-survey/codes"); res.status != 404 {
		t.Errorf("codes of an unknown survey: %d", res.status)
	}
	if res := h.svPost(&admin, "/staff/surveys/no-such-survey/codes", url.Values{"count": {"2"}}, false); res.status != 404 {
		t.Errorf("codes for an unknown survey: %d", res.status)
	}
}

// Cards not downloaded within a day cannot be downloaded at all, and the
// page says so rather than offering a link that fails.
func TestCodeCardsExpire(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.codedSurvey()
	admin := h.signIn(surveys.RoleAdmin)
	page := "/staff/surveys/" + s.Slug + "/codes"
	// A batch made two days before the harness's now.
	old := &surveys.Codes{Store: h.svCodeStore(), Surveys: h.catalog.Store, Now: func() time.Time { return h.now.Add(-48 * time.Hour) }}
	b, _, err := old.Generate(t.Context(), s.Slug, 2, "last week")
	if err != nil {
		t.Fatal(err)
	}
	res := h.svGet(&admin, page)
	if !strings.Contains(pageText(pageParse(t, string(res.body))), "Not printed in time: make a new batch") || strings.Contains(string(res.body), b.ID+".pdf") {
		t.Errorf("an expired batch: %s", pageText(pageParse(t, string(res.body))))
	}
	if res := h.svGet(&admin, page+"/"+b.ID+".pdf"); res.status != 410 {
		t.Errorf("download after a day: %d", res.status)
	}
}
