package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/surveys"
)

// footerPrivacyLink returns the link to the privacy notice in a page's
// footer, or nil.
func footerPrivacyLink(t *testing.T, body []byte) *html.Node {
	t.Helper()
	footer := pageFind(pageParse(t, string(body)), func(n *html.Node) bool { return n.Data == "footer" })
	return pageFind(footer, func(n *html.Node) bool {
		return n.Data == "a" && strings.HasPrefix(pageAttr(n, "href"), "/privacy")
	})
}

// Every page a young person can reach links to the privacy notice from its
// footer: rendered one by one through the app's own route table, each in
// the state a young person meets it. From the form the link opens in a new
// tab, so that leaving the page loses no answer.
func TestPrivacyLinkOnEveryYoungPersonsPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	base := "/s/" + s.Slug
	version := base + "/8-11"

	fac := h.signIn(surveys.RoleFacilitator)
	session := h.liveFixture(false)
	if res := h.form(&fac, "/staff/sessions/"+session.ID+"/start", nil); res.status != http.StatusSeeOther {
		t.Fatalf("start the session: %d %s", res.status, res.body)
	}
	session, err := h.sessions.Find(context.Background(), session.ID)
	if err != nil {
		t.Fatal(err)
	}
	phone := h.join(session.Code)

	type page struct {
		name, path string
		status     int
		newTab     bool
		body       func() []byte // a page that needs more than a GET
	}
	pages := []page{
		{name: "start", path: "/", status: 200},
		{name: "help", path: "/help", status: 200},
		{name: "privacy itself", path: "/privacy", status: 200},
		{name: "survey welcome", path: base, status: 200},
		{name: "survey form", path: version, status: 200, newTab: true},
		{name: "form sent back with a problem", status: 422, newTab: true, body: func() []byte {
			res := h.do(request{method: "POST", path: version, body: url.Values{"id": {"not a uuid"}}.Encode(), ctype: "application/x-www-form-urlencoded"})
			if res.status != 422 {
				t.Errorf("form sent back: %d", res.status)
			}
			return res.body
		}},
		{name: "thanks", path: version + "/thanks", status: 200},
		{name: "ask someone to talk", path: base + "/contact", status: 200},
		{name: "you said, we did", path: "/you-said-we-did", status: 200},
		{name: "join a session", path: "/join", status: 200},
		{name: "a session on a phone", status: 200, body: func() []byte { return []byte(phone.page()) }},
		{name: "the projector", path: "/present/" + session.Code + "?k=" + session.PresentKey, status: 200},
		{name: "a page not found", path: "/no/such/page", status: 404},
		{name: "a survey not found", path: "/s/no-such-survey", status: 404},
		{name: "in Polish", path: "/help?lang=pl", status: 200},
	}
	for _, p := range pages {
		var body []byte
		if p.body != nil {
			body = p.body()
		} else {
			res := h.do(request{method: "GET", path: p.path})
			if res.status != p.status {
				t.Errorf("%s: GET %s gave %d, want %d", p.name, p.path, res.status, p.status)
			}
			body = res.body
		}
		link := footerPrivacyLink(t, body)
		if link == nil {
			t.Errorf("%s: the footer has no link to /privacy", p.name)
			continue
		}
		if opens := pageAttr(link, "target") == "_blank"; opens != p.newTab {
			t.Errorf("%s: the privacy link opens in a new tab: %v, want %v", p.name, opens, p.newTab)
		}
		if p.newTab && !strings.Contains(pageText(link), "(opens in a new tab)") {
			t.Errorf("%s: the privacy link does not say it opens a new tab", p.name)
		}
		if strings.Contains(p.path, "lang=pl") && pageAttr(link, "href") != "/privacy?lang=pl" {
			t.Errorf("%s: the privacy link is %q, which loses the language", p.name, pageAttr(link, "href"))
		}
	}

	// A closed survey's page, too.
	if _, err := h.catalog.SetStatus(context.Background(), s.Slug, surveys.StatusClosed); err != nil {
		t.Fatal(err)
	}
	res := h.do(request{method: "GET", path: base})
	if res.status != http.StatusConflict || footerPrivacyLink(t, res.body) == nil {
		t.Errorf("closed survey: %d, privacy link %v", res.status, footerPrivacyLink(t, res.body) != nil)
	}
}

// The privacy notice is public, and what an admin saves on the settings
// page is what it says, escaped: the periods, the threshold and the
// council's words. Words that break a limit are refused beside their box,
// and nothing changes.
func TestPrivacyNoticeFromStaffSettings(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	res := h.do(request{method: "GET", path: "/privacy"})
	body := string(res.body)
	if res.status != 200 || !strings.Contains(body, "<h1>Your privacy</h1>") {
		t.Fatalf("privacy page before: %d", res.status)
	}
	for _, want := range []string{"Test Council", "usually for 2 years", "fewer than 5 young people", "ask an adult you trust"} {
		if !strings.Contains(body, want) {
			t.Errorf("the default notice lacks %q", want)
		}
	}

	admin := h.signIn(surveys.RoleAdmin)
	page := string(h.adminGet(&admin, "/staff/settings").body)
	for _, want := range []string{`<legend>The privacy notice</legend>`, `name="privacy.contact"`, `name="privacy.dpo"`, `name="privacy.extra"`, `href="/privacy"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the settings page lacks %q", want)
		}
	}

	form := settingsForm(0)
	form.Set("privacy.contact", " Email privacy@knowsley.gov.uk or ask your social worker <script>x</script> ")
	form.Set("privacy.dpo", "Jo Bloggs & team, dpo@knowsley.gov.uk")
	form.Set("privacy.extra", "First paragraph.\r\n\r\nSecond <b>paragraph</b>.")
	if res := h.postSettings(&admin, form, nil); res.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.status, res.body)
	}
	want := surveys.PrivacyWords{
		Contact: "Email privacy@knowsley.gov.uk or ask your social worker <script>x</script>",
		DPO:     "Jo Bloggs & team, dpo@knowsley.gov.uk",
		Extra:   "First paragraph.\n\nSecond <b>paragraph</b>.",
	}
	if got := h.currentSettings().Privacy; got != want {
		t.Fatalf("saved %+v\nwant %+v", got, want)
	}
	body = string(h.do(request{method: "GET", path: "/privacy"}).body)
	for _, want := range []string{"Knowsley Council", "fewer than 6 young people", "privacy@knowsley.gov.uk or ask your social worker &lt;script&gt;x&lt;/script&gt;",
		"Jo Bloggs &amp; team", "<p>First paragraph.</p>", "Second &lt;b&gt;paragraph&lt;/b&gt;."} {
		if !strings.Contains(body, want) {
			t.Errorf("the saved notice lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>x") || strings.Contains(body, "<b>paragraph") || strings.Contains(body, "ask an adult you trust") {
		t.Error("the notice has the council's words unescaped, or still the default words")
	}
	page = string(h.adminGet(&admin, "/staff/settings").body)
	if !strings.Contains(page, `value="Jo Bloggs &amp; team, dpo@knowsley.gov.uk"`) || !strings.Contains(page, ">First paragraph.\n\nSecond &lt;b&gt;paragraph&lt;/b&gt;.</textarea>") {
		t.Error("the settings page does not show the saved privacy words")
	}

	// Too long, and on two lines: refused, each beside its box, and the
	// saved words stay.
	bad := settingsForm(1)
	bad.Set("privacy.contact", "Email us\nor call")
	bad.Set("privacy.dpo", strings.Repeat("d", surveys.MaxPrivacyDPO+1))
	bad.Set("privacy.extra", strings.Repeat("e", surveys.MaxPrivacyExtra+1))
	res = h.postSettings(&admin, bad, nil)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad words: %d", res.status)
	}
	doc := pageParse(t, string(res.body))
	for id, msg := range map[string]string{
		"privacy.contact-error": "one line",
		"privacy.dpo-error":     "at most 300 characters",
		"privacy.extra-error":   "at most 1500 characters",
	} {
		if got := pageText(pageByID(doc, id)); !strings.Contains(got, msg) {
			t.Errorf("%s says %q, want %q", id, got, msg)
		}
	}
	if !strings.Contains(string(res.body), "How to reach the data protection officer: must be at most 300") {
		t.Error("the error summary does not name the data protection officer's box")
	}
	if got := h.currentSettings(); got.Privacy != want || got.Revision != 1 {
		t.Errorf("refused words changed the settings: %+v, revision %d", got.Privacy, got.Revision)
	}
}

// The notice reads well without JavaScript and in Arabic: right to left,
// its words translated.
func TestPrivacyNoticeInArabic(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	res := h.do(request{method: "GET", path: "/privacy?lang=ar"})
	doc := pageParse(t, string(res.body))
	root := pageFind(doc, func(n *html.Node) bool { return n.Data == "html" })
	if res.status != 200 || pageAttr(root, "lang") != "ar" || pageAttr(root, "dir") != "rtl" {
		t.Fatalf("Arabic privacy page: %d, lang %q dir %q", res.status, pageAttr(root, "lang"), pageAttr(root, "dir"))
	}
	if h1 := pageText(pageFind(doc, func(n *html.Node) bool { return n.Data == "h1" })); h1 != "خصوصيتك" {
		t.Errorf("h1 %q", h1)
	}
	if strings.Contains(string(res.body), "What do we keep?") {
		t.Error("the Arabic page has English headings")
	}
}
