package frontend_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/frontend"
	"github.com/heard-app/heard/surveys/surveytest"
)

func TestLanguageOfThePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	tests := []struct {
		name, path, accept string
		lang, h1           string
	}{
		{"English by default", "/", "", "en", "Have your say"},
		{"Polish asked for", "/?lang=pl", "", "pl", "Powiedz, co myślisz"},
		{"Arabic asked for", "/help?lang=ar", "en-GB", "ar", "المساعدة الآن"},
		{"the browser prefers Polish", "/", "pl-PL,pl;q=0.9,en;q=0.8", "pl", "Powiedz, co myślisz"},
		{"the browser prefers Arabic to English", "/", "fr, ar;q=0.8, en;q=0.5", "ar", "رأيك يهمّنا"},
		{"a language the pages are not in", "/?lang=de", "pl", "pl", "Powiedz, co myślisz"},
		{"none the pages are in", "/", "de-DE, fr;q=0.8", "en", "Have your say"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := e.getIn(t, tt.path, tt.accept)
			if r.status != http.StatusOK {
				t.Fatalf("status %d", r.status)
			}
			doc, err := html.Parse(strings.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			checkPageIn(t, doc, tt.lang)
			if h1 := text(first(doc, byTag("h1"))); h1 != tt.h1 {
				t.Errorf("h1 %q, want %q", h1, tt.h1)
			}
		})
	}
}

// A language chosen on the page, when the browser would choose another,
// is kept by every link; the switcher names each language in its own words
// and keeps the rest of the address.
func TestLanguageLinks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	doc := parse(t, e.get(t, "/"))
	if got := attr(first(doc, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "help-link") }), "href"); got != "/help" {
		t.Errorf("in the browser's language, the help link is %q, want /help", got)
	}

	r := e.get(t, "/s/"+surveytest.Slug+"?lang=pl&code=abc")
	doc, err := html.Parse(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	checkPageIn(t, doc, "pl")
	for _, href := range []string{"/help?lang=pl", "/?lang=pl", "/s/" + surveytest.Slug + "/8-11?lang=pl"} {
		if first(doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == href }) == nil {
			t.Errorf("no link to %s", href)
		}
	}
	switcher := first(doc, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "languages") })
	if switcher == nil || attr(switcher, "role") != "group" || attr(switcher, "aria-label") != "Język" {
		t.Fatal(`no language switcher (role="group" aria-label="Język")`)
	}
	var got []string
	for _, n := range all(switcher, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "language") }) {
		got = append(got, attr(n, "lang")+" "+text(n)+" "+attr(n, "href")+" "+attr(n, "aria-current"))
	}
	want := []string{
		"en English /s/" + surveytest.Slug + "?code=abc ",
		"pl Polski  true",
		"ar العربية /s/" + surveytest.Slug + "?code=abc&lang=ar ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("switcher\n got %q\nwant %q", got, want)
	}
}

// Survey texts come in English where they have no translation, marked as
// English so that they are read out as English; the page's own words are
// in the page's language.
func TestSurveyTextFallsBackToEnglish(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	r := e.get(t, "/s/"+surveytest.Slug+"/8-11?lang=ar")
	doc, err := html.Parse(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	checkPageIn(t, doc, "ar")
	h1 := first(doc, byTag("h1"))
	if text(h1) != "How are things? (test survey)" || attr(h1, "lang") != "en" || attr(h1, "dir") != "ltr" {
		t.Errorf(`h1 %q lang=%q dir=%q, want the English title marked lang="en" dir="ltr"`, text(h1), attr(h1, "lang"), attr(h1, "dir"))
	}
	legend := first(byID(doc, "q-area"), byTag("legend"))
	span := first(legend, func(n *html.Node) bool { return attr(n, "class") == "question__text" })
	if attr(span, "lang") != "en" || text(span) != "Which part of the borough do you live in?" {
		t.Errorf("question text %q lang=%q", text(span), attr(span, "lang"))
	}
	if got := text(byID(doc, "q-why_unsafe-hint")); got != "يمكنك اختيار إجابتين على الأكثر." {
		t.Errorf("the hint is %q, want it in Arabic", got)
	}
	send := first(doc, func(n *html.Node) bool {
		return n.Data == "button" && attr(n, "type") == "submit" && attr(n, "name") == ""
	})
	if text(send) != "إرسال إجاباتي" {
		t.Errorf("send button %q", text(send))
	}

	// A translation, where there is one, is used and not marked.
	d := surveytest.Definition(t)
	d.Slug = "translated"
	d.Title["pl"] = "Jak leci? (ankieta testowa)"
	e.create(t, d, "open")
	r = e.get(t, "/s/translated?lang=pl")
	doc, _ = html.Parse(strings.NewReader(r.body))
	if h1 := first(doc, byTag("h1")); text(h1) != "Jak leci? (ankieta testowa)" || hasAttr(h1, "lang") {
		t.Errorf("translated h1 %q lang=%q", text(h1), attr(h1, "lang"))
	}
}

// Problems are said in the page's language, with their numbers, from the
// domain's codes.
func TestTranslatedProblems(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	path := "/s/" + surveytest.Slug + "/11-18"
	tests := []struct {
		lang   string
		change func(url.Values)
		key    string
		want   string
	}{
		{"pl", func(f url.Values) { f.Set("q.talk_who", strings.Repeat("ą", 201)) }, "talk_who",
			"Odpowiedź może mieć najwyżej 200 znaków. Liczba znaków teraz: 201."},
		{"pl", func(f url.Values) { f["q.why_unsafe"] = []string{"school", "home", "online"} }, "why_unsafe",
			"Możesz wybrać najwyżej 2 odpowiedzi."},
		{"ar", func(f url.Values) { f.Del("q.talk_to"); f.Del("q.talk_who") }, "talk_to", "يُرجى الإجابة عن هذا السؤال."},
		{"ar", func(f url.Values) { f.Set("q.happy", "11") }, "happy", "يُرجى اختيار رقم صحيح من 0 إلى 10."},
		{"ar", func(f url.Values) { f.Set("q.talk_to", "no") }, "talk_who",
			"هذا السؤال لمن أجاب إجابة مختلفة في سؤال سابق. يُرجى مسح هذه الإجابة، أو تغيير الإجابة السابقة."},
	}
	for _, tt := range tests {
		t.Run(tt.lang+" "+tt.key, func(t *testing.T) {
			t.Parallel()
			form := validAnswers(frontend.NewUUID())
			form.Set("lang", tt.lang)
			tt.change(form)
			r := e.post(t, path, form)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.status)
			}
			doc, err := html.Parse(strings.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			checkPageIn(t, doc, tt.lang)
			if got := strings.TrimSpace(strings.TrimPrefix(text(byID(doc, "q-"+tt.key+"-error")), map[string]string{"pl": "Błąd:", "ar": "خطأ:"}[tt.lang])); got != tt.want {
				t.Errorf("message\n got %q\nwant %q", got, tt.want)
			}
			if strings.Contains(r.body, "Please") {
				t.Error("the page has English words in it")
			}
		})
	}
	// The no-JS way to clear an answer that does not apply is offered in
	// every language (it used to look for the English message).
	form := validAnswers(frontend.NewUUID())
	form.Set("lang", "pl")
	form.Set("q.talk_to", "no")
	doc, _ := html.Parse(strings.NewReader(e.post(t, path, form).body))
	if skip := first(doc, func(n *html.Node) bool { return n.Data == "label" && attr(n, "for") == "q-talk_who-skip" }); skip != nil {
		t.Error("a text question offers a radio to skip")
	}
	createConditionsSurvey(t, e)
	form = url.Values{"id": {frontend.NewUUID()}, "lang": {"pl"}, "q.pick": {"b"}, "q.eq_single": {"yes"}}
	doc, _ = html.Parse(strings.NewReader(e.post(t, "/s/conditions/all", form).body))
	label := first(doc, func(n *html.Node) bool { return n.Data == "label" && attr(n, "for") == "q-eq_single-skip" })
	if text(label) != "Pomiń to pytanie" {
		t.Errorf("the Polish skip choice says %q", text(label))
	}
}

// Without JavaScript, the switcher on the form is a set of buttons that
// send the form back: it comes back in the new language with every answer,
// the response id and the code kept, nothing checked and nothing stored.
func TestLanguageSwitchKeepsAnswers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	path := "/s/" + surveytest.Slug + "/11-18"
	doc := parse(t, e.get(t, path))
	var buttons []string
	for _, b := range all(doc, func(n *html.Node) bool { return n.Data == "button" && attr(n, "name") == "switch_lang" }) {
		if attr(b, "form") != "answers" || attr(b, "type") != "submit" || !hasAttr(b, "formnovalidate") {
			t.Errorf("language button %q is not a submit button of the form", text(b))
		}
		buttons = append(buttons, attr(b, "value"))
	}
	if !slices.Equal(buttons, []string{"pl", "ar"}) {
		t.Errorf("language buttons %v, want pl and ar (English is the page's)", buttons)
	}
	// Enter in the form sends it, rather than changing the language: the
	// first submit button is a hidden "send".
	answers := byID(doc, "answers")
	firstSubmit := first(doc, func(n *html.Node) bool {
		return (n.Data == "button" || n.Data == "input") && attr(n, "type") == "submit" && (attr(n, "form") == "answers" || isInside(n, answers))
	})
	if firstSubmit == nil || firstSubmit.Data != "input" || !hasAttr(firstSubmit, "hidden") || attr(firstSubmit, "name") != "" {
		t.Error("the form's first submit button is not the hidden send button")
	}

	id := frontend.NewUUID()
	form := validAnswers(id)
	form.Set("q.talk_who", strings.Repeat("x", 250)) // too long, but not checked
	form.Del("q.talk_to")                            // required, but not checked
	form.Set("switch_lang", "ar")
	r := e.post(t, path, form)
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200", r.status)
	}
	doc, err := html.Parse(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	checkPageIn(t, doc, "ar")
	if first(doc, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "error-summary") }) != nil {
		t.Error("the form in a new language shows errors")
	}
	if got := attr(first(doc, func(n *html.Node) bool { return attr(n, "name") == "id" }), "value"); got != id {
		t.Errorf("id %q, want %q", got, id)
	}
	if got := attr(first(doc, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "lang" }), "value"); got != "ar" {
		t.Errorf("the form's lang is %q, want ar", got)
	}
	for key, want := range map[string][]string{
		"area": {"north"}, "feel_safe": {"sometimes"}, "why_unsafe": {"school", "online"}, "happy": {"7"},
		"talk_who": {strings.Repeat("x", 250)}, "better": {"More trips out"}, "talk_to": nil,
	} {
		if got := keptValues(doc, "q."+key); !slices.Equal(got, want) {
			t.Errorf("%s: kept %q, want %q", key, got, want)
		}
	}
	if n, _ := e.tallied(t, surveytest.Slug, "11-18"); n != 0 {
		t.Errorf("%d responses stored, want 0", n)
	}
	// Sent from the Arabic form, the answers are stored as Arabic.
	form = validAnswers(id)
	form.Set("lang", "ar")
	if r := e.post(t, path, form); r.status != http.StatusCreated || !strings.Contains(r.body, `lang="ar"`) {
		t.Errorf("sending from the Arabic form: status %d", r.status)
	}
}

// Arabic is right to left, and the stylesheet uses logical properties only,
// so that the layout mirrors.
func TestRightToLeft(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	for _, path := range []string{"/?lang=ar", "/help?lang=ar", "/s/" + surveytest.Slug + "?lang=ar", "/s/" + surveytest.Slug + "/8-11?lang=ar", "/no/such/page?lang=ar"} {
		doc, err := html.Parse(strings.NewReader(e.get(t, path).body))
		if err != nil {
			t.Fatal(err)
		}
		checkPageIn(t, doc, "ar")
	}
	css := e.get(t, e.pages.AssetURL("heard.css")).body
	for _, physical := range []string{"margin-left", "margin-right", "padding-left", "padding-right", "border-left", "border-right",
		"left:", "right:", "text-align: left", "text-align: right", "float: right"} {
		if strings.Contains(css, physical) {
			t.Errorf("the stylesheet uses %q; use a logical property, so that Arabic mirrors", physical)
		}
	}
}
