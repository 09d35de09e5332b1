package frontend_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/frontend"
	"github.com/heard-app/heard/secret"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/surveytest"
)

// contactEnv is an env with requests to talk on, limited to limit per
// client.
func contactEnv(t *testing.T, limit int) (*env, *mongo.ContactStore) {
	t.Helper()
	var store *mongo.ContactStore
	e := newEnvWith(t, testHelp, func(e *env, cfg *frontend.Config) {
		box, err := secret.New(bytes.Repeat([]byte{3}, secret.KeySize))
		if err != nil {
			t.Fatal(err)
		}
		store = mongo.NewContactStore(e.db)
		cfg.Contacts = &surveys.Contacts{Store: store, Surveys: e.surveys, Sealer: box, Now: time.Now}
		cfg.ContactLimit = surveys.NewContactLimiter(limit, time.Hour, time.Now)
	})
	return e, store
}

// parseIn parses a page in a language, with every page's checks.
func parseIn(t *testing.T, r result, lang string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	checkPageIn(t, doc, lang)
	return doc
}

func storedContacts(t *testing.T, store *mongo.ContactStore) []*surveys.SealedContact {
	t.Helper()
	list, err := store.FindContacts(testCtx(t), surveys.ContactFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// The thank-you page offers the form, saying before anything is typed
// that it is not anonymous and who reads it; the help page links to it.
func TestContactFormOffered(t *testing.T) {
	t.Parallel()
	e, _ := contactEnv(t, 5)
	doc := parse(t, e.get(t, "/s/"+surveytest.Slug+"/11-18/thanks"))
	section := byID(doc, "contact-title")
	if section == nil {
		t.Fatal("no form to ask for someone to talk on the thank-you page")
	}
	panel := text(section.Parent)
	for _, want := range []string{"Would you like someone to talk to you?", "the only part of Heard that is not anonymous",
		"Only the safeguarding team at Knowsley Council", "kept apart from your answers"} {
		if !strings.Contains(panel, want) {
			t.Errorf("the form does not say %q: %s", want, panel)
		}
	}
	form := first(section.Parent, byTag("form"))
	if attr(form, "method") != "post" || attr(form, "action") != "/s/"+surveytest.Slug+"/contact" {
		t.Errorf("form posts %s to %s", attr(form, "method"), attr(form, "action"))
	}
	for _, id := range []string{"contact-name", "contact-reach", "contact-message"} {
		box := byID(doc, id)
		if box == nil || attr(box, "autocomplete") != "off" {
			t.Errorf("%s: missing, or remembered by the browser", id)
		}
		if label := first(doc, func(n *html.Node) bool { return n.Data == "label" && attr(n, "for") == id }); label == nil {
			t.Errorf("%s has no label", id)
		}
	}
	// Nothing of the answers, and no response id, goes with it: only a
	// key of its own, so that sending it twice stores it once.
	for _, n := range all(form, byTag("input")) {
		switch name := attr(n, "name"); name {
		case "lang", "name", "reach":
		case "key":
			if _, ok := surveys.NormalizeID(attr(n, "value")); !ok {
				t.Errorf("the form's key %q is not a UUID", attr(n, "value"))
			}
		default:
			t.Errorf("the form carries %q", name)
		}
	}

	// The Polish page asks in Polish, and carries the language.
	doc = parseIn(t, e.get(t, "/s/"+surveytest.Slug+"/11-18/thanks?lang=pl"), "pl")
	if h := text(byID(doc, "contact-title")); h != "Czy chcesz, żeby ktoś z Tobą porozmawiał?" {
		t.Errorf("Polish heading %q", h)
	}
	if lang := first(doc, func(n *html.Node) bool { return attr(n, "name") == "lang" }); attr(lang, "value") != "pl" {
		t.Error("the Polish form does not carry its language")
	}

	// A survey that has closed takes no requests: no form.
	if byID(parse(t, e.get(t, "/s/"+closedSlug+"/11-18/thanks")), "contact-title") != nil {
		t.Error("the thank-you page of a closed survey offers the form")
	}

	// The help page links to the form of the one open survey.
	help := parse(t, e.get(t, "/help"))
	link := first(help, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == "/s/"+surveytest.Slug+"/contact" })
	if link == nil || text(link) != "Ask for someone to talk to me" {
		t.Errorf("the help page's link: %v", link)
	}
	page := e.get(t, "/s/"+surveytest.Slug+"/contact")
	if page.status != http.StatusOK || byID(parse(t, page), "contact-name") == nil {
		t.Errorf("the form's own page: %d", page.status)
	}
}

// With requests to talk off, no page offers them and their address is not
// there.
func TestContactFormOff(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	if byID(parse(t, e.get(t, "/s/"+surveytest.Slug+"/11-18/thanks")), "contact-title") != nil {
		t.Error("the thank-you page offers the form")
	}
	if strings.Contains(e.get(t, "/help").body, "/contact") {
		t.Error("the help page links to the form")
	}
	if r := e.get(t, "/s/"+surveytest.Slug+"/contact"); r.status != http.StatusNotFound {
		t.Errorf("GET: %d, want 404", r.status)
	}
	if r := e.post(t, "/s/"+surveytest.Slug+"/contact", url.Values{"name": {"Jamie"}, "reach": {"07700 900123"}}); r.status != http.StatusNotFound {
		t.Errorf("POST: %d, want 404", r.status)
	}
}

func TestContactFormSent(t *testing.T) {
	t.Parallel()
	e, store := contactEnv(t, 2)
	path := "/s/" + surveytest.Slug + "/contact"

	r := e.post(t, path, url.Values{"lang": {"pl"}, "name": {"  Ola "}, "reach": {"przez opiekunkę"}, "message": {"O szkole"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != path+"?lang=pl&sent=1" {
		t.Fatalf("sent: %d to %q", r.status, r.header.Get("Location"))
	}
	list := storedContacts(t, store)
	if len(list) != 1 || list[0].Lang != "pl" || list[0].Survey != surveytest.Slug || bytes.Contains(list[0].Details, []byte("Ola")) {
		t.Fatalf("stored %+v", list)
	}
	doc := parseIn(t, e.get(t, path+"?lang=pl&sent=1"), "pl")
	if h := text(first(doc, byTag("h1"))); h != "Dziękujemy za prośbę" {
		t.Errorf("thanks heading %q", h)
	}
	if page := text(doc); strings.Contains(page, "Ola") || !strings.Contains(page, "0800 1111") {
		t.Error("the thanks names them, or offers no help line")
	}

	// Mistakes: shown beside what was typed, in the page's language, and
	// nothing stored or counted.
	long := strings.Repeat("x", surveys.MaxContactMessageLen+1)
	r = e.post(t, path, url.Values{"name": {" "}, "reach": {"07700 900123"}, "message": {long}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("mistakes: %d", r.status)
	}
	doc = parse(t, r)
	if !strings.Contains(text(byID(doc, "contact-name-error")), "Please tell us your name") {
		t.Errorf("name error: %q", text(byID(doc, "contact-name-error")))
	}
	if !strings.Contains(text(byID(doc, "contact-message-error")), "Please keep this to 1000 characters or fewer. It is 1001 characters now.") {
		t.Errorf("message error: %q", text(byID(doc, "contact-message-error")))
	}
	if attr(byID(doc, "contact-reach"), "value") != "07700 900123" || !strings.Contains(text(byID(doc, "contact-message")), long) {
		t.Error("what was typed is not kept")
	}
	if attr(byID(doc, "contact-name"), "aria-invalid") != "true" || byID(doc, "contact-reach-error") != nil {
		t.Error("the wrong fields are marked")
	}
	summary := first(doc, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "error-summary") })
	if summary == nil || first(summary, func(n *html.Node) bool { return attr(n, "href") == "#contact-name" }) == nil {
		t.Error("no error summary linking to the name")
	}
	if !strings.HasPrefix(text(first(doc, byTag("title"))), "Error: ") {
		t.Error("the title does not start Error:")
	}
	r = e.post(t, path+"?lang=ar", url.Values{"lang": {"ar"}, "name": {"سارة"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "يُرجى إخبارنا كيف يمكننا الوصول إليك.") {
		t.Errorf("Arabic mistakes: %d", r.status)
	}
	if n := len(storedContacts(t, store)); n != 1 {
		t.Fatalf("%d stored after mistakes, want 1", n)
	}

	// A closed or unknown survey takes none.
	if r := e.post(t, "/s/"+closedSlug+"/contact", url.Values{"name": {"A"}, "reach": {"b"}}); r.status != http.StatusConflict {
		t.Errorf("closed survey: %d, want 409", r.status)
	}
	if r := e.post(t, "/s/nothing/contact", url.Values{"name": {"A"}, "reach": {"b"}}); r.status != http.StatusNotFound {
		t.Errorf("no survey: %d, want 404", r.status)
	}

	// The limit: the second request is taken, the third waits, kindly,
	// with the help lines.
	if r := e.post(t, path, url.Values{"name": {"Ola"}, "reach": {"at school"}}); r.status != http.StatusSeeOther {
		t.Fatalf("second request: %d", r.status)
	}
	r = e.post(t, path, url.Values{"name": {"Ola"}, "reach": {"at school"}})
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Fatalf("third request: %d, Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	if !strings.Contains(r.body, "Please wait 60 minutes") || !strings.Contains(r.body, "0800 1111") {
		t.Errorf("the wait page: %s", r.body)
	}
	if n := len(storedContacts(t, store)); n != 2 {
		t.Errorf("%d stored, want 2", n)
	}
}
