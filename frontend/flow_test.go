package frontend_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/frontend"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
	"github.com/heard-app/heard/surveys/templates"
)

// The welcome page says, in plain words, who asks, why, how long it takes,
// what anonymous means, that questions can be skipped and where help is,
// and offers each version as a big button by age.
func TestWelcomePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	defs, err := templates.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range defs {
		e.create(t, d, surveys.StatusOpen)
	}
	doc := parse(t, e.get(t, "/s/cared-for-2026"))
	main := text(byID(doc, "main"))
	for _, s := range []string{
		"This survey is from Knowsley Council.",
		"This is your chance to tell us what life is like for you.",
		"It's anonymous: we won't ask your name, and nobody can tell which answers are yours. Your answers are kept without your name, your phone number or where you are.",
		"You can skip any question you don't want to answer.",
		"It takes about",
		"If you are worried or don't feel safe, you can talk to someone now: Get help now",
		"Choose your age group",
	} {
		if !strings.Contains(main, s) {
			t.Errorf("the welcome page lacks %q", s)
		}
	}
	var buttons []string
	for _, a := range all(byID(doc, "main"), func(n *html.Node) bool { return attr(n, "class") == "big-link" }) {
		buttons = append(buttons, attr(a, "href")+" "+text(a))
	}
	want := []string{"/s/cared-for-2026/4-7 I am 4 to 7", "/s/cared-for-2026/8-11 I am 8 to 11", "/s/cared-for-2026/11-18 I am 11 to 18"}
	if !slices.Equal(buttons, want) {
		t.Errorf("buttons %q, want %q", buttons, want)
	}
	// A version without ages says its label.
	doc = parse(t, e.get(t, "/s/school-council-2026"))
	if got := versionLinks(doc); !slices.Equal(got, []string{"/s/school-council-2026/pupils"}) {
		t.Errorf("school council links %v", got)
	}
	if !strings.Contains(text(doc), "Pupils") || !strings.Contains(text(doc), "Ready to start?") {
		t.Error("a one-version survey without ages does not offer its label")
	}
	// In Polish and Arabic, the ages are said the languages' way.
	r := e.get(t, "/s/cared-for-2026?lang=pl")
	for _, s := range []string{"Mam od 4 do 7 lat", "Mam od 11 do 18 lat", "Wybierz swoją grupę wiekową"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("the Polish page lacks %q", s)
		}
	}
	r = e.get(t, "/s/care-leavers-2026?lang=ar")
	if !strings.Contains(r.body, "عمري من 16 إلى 25 سنة") {
		t.Error("the Arabic page does not say the ages")
	}
}

func TestThanksPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	path := "/s/" + surveytest.Slug + "/11-18/thanks"

	r := e.get(t, path)
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	doc := parse(t, r)
	if h1 := text(first(doc, byTag("h1"))); h1 != "Thank you. Your answers have been sent." {
		t.Errorf("h1 %q", h1)
	}
	page := text(doc)
	if !strings.Contains(page, "What happens next") || strings.Contains(page, "You can talk to someone now") {
		t.Error("without help=1, the page says what happens next, and help comes after it")
	}
	if byID(doc, "talk") != nil {
		t.Error("the help panel shows without help=1")
	}

	doc = parse(t, e.get(t, path+"?help=1"))
	talk := byID(doc, "talk")
	if talk == nil {
		t.Fatal("with help=1, no help panel")
	}
	page = text(doc)
	if strings.Index(page, "You can talk to someone now") > strings.Index(page, "What happens next") {
		t.Error("with help=1, help does not come first")
	}
	panel := text(talk.Parent)
	for _, s := range []string{"0800 1111", "999", "0151 443 2600", "Monday to Friday, 9am to 5pm"} {
		if !strings.Contains(panel, s) {
			t.Errorf("the help panel lacks %q", s)
		}
	}
	if regexp.MustCompile(`(?i)flag|concern|worrying answer|risk`).MatchString(page) {
		t.Error("the page talks about the answer being flagged")
	}

	for _, bad := range []string{"/s/" + surveytest.Slug + "/99/thanks", "/s/" + draftSlug + "/11-18/thanks", "/s/nothing/11-18/thanks"} {
		if r := e.get(t, bad); r.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", bad, r.status)
		}
	}
	// Answers stored just before a survey closed are thanked for.
	if r := e.get(t, "/s/"+closedSlug+"/11-18/thanks"); r.status != http.StatusOK {
		t.Errorf("closed survey's thanks: status %d", r.status)
	}
	if r := e.get(t, path+"?lang=ar&help=1"); !strings.Contains(r.body, "يمكنك التحدث إلى أحد الآن") {
		t.Error("the Arabic thank-you page has no help panel")
	}
}

// Without JavaScript too, the thank-you page shows help first when an
// answer suggests the young person may not be safe.
func TestSubmitShowsHelpWhenAsked(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	e.intake.Coder = testCoder
	path := "/s/" + surveytest.Slug + "/11-18"
	form := validAnswers(frontend.NewUUID())
	form.Set("q.better", "I want to kill myself")
	doc := parse(t, e.post(t, path, form))
	if byID(doc, "talk") == nil {
		t.Error("no help panel")
	}
	doc = parse(t, e.post(t, path, validAnswers(frontend.NewUUID())))
	if byID(doc, "talk") != nil {
		t.Error("a help panel without cause")
	}
}

func TestServiceWorker(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	r := e.get(t, "/sw.js")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	for name, want := range map[string]string{
		"Content-Type":           "text/javascript; charset=utf-8",
		"Cache-Control":          "no-cache",
		"X-Content-Type-Options": "nosniff",
	} {
		if got := r.header.Get(name); got != want {
			t.Errorf("%s %q, want %q", name, got, want)
		}
	}
	m := regexp.MustCompile(`const ASSETS = (\[.*\]);`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatal("sw.js lists no assets")
	}
	var assets []string
	if err := json.Unmarshal([]byte(m[1]), &assets); err != nil {
		t.Fatal(err)
	}
	// It keeps exactly what the form page loads.
	doc := parse(t, e.get(t, "/s/"+surveytest.Slug+"/11-18"))
	var loaded []string
	for _, n := range all(doc, func(n *html.Node) bool {
		return (n.Data == "link" && (attr(n, "rel") == "stylesheet" || attr(n, "rel") == "modulepreload")) || n.Data == "script"
	}) {
		loaded = append(loaded, attr(n, "href")+attr(n, "src"))
	}
	slices.Sort(assets)
	slices.Sort(loaded)
	if !slices.Equal(assets, loaded) {
		t.Errorf("sw.js keeps %v; the form loads %v", assets, loaded)
	}
	for _, a := range assets {
		if r := e.get(t, a); r.status != http.StatusOK {
			t.Errorf("%s: status %d", a, r.status)
		}
	}
	if !regexp.MustCompile(`const VERSION = '[0-9a-f]{12}';`).MatchString(r.body) {
		t.Error("sw.js has no version")
	}

	// It carries the help page in every language, so that the help page
	// works offline without being fetched when the worker is installed.
	m = regexp.MustCompile(`const HELP = (\{.*\});`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatal("sw.js carries no help page")
	}
	var help map[string]string
	if err := json.Unmarshal([]byte(m[1]), &help); err != nil {
		t.Fatal(err)
	}
	for lang, h1 := range map[string]string{"en": "Get help now", "pl": "Uzyskaj pomoc teraz", "ar": "المساعدة الآن"} {
		page, ok := help[lang]
		if !ok {
			t.Errorf("no help page in %s", lang)
			continue
		}
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		checkPageIn(t, doc, lang)
		if got := text(first(doc, byTag("h1"))); got != h1 {
			t.Errorf("%s: the offline help page's heading is %q, want %q", lang, got, h1)
		}
		for _, want := range []string{`href="tel:08001111"`, `href="tel:01514432600"`, "Knowsley Council", `href="tel:999"`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the offline help page lacks %s", lang, want)
			}
		}
		if len(all(doc, byTag("script"))) != 0 {
			t.Errorf("%s: the offline help page has a script", lang)
		}
		if attr(first(doc, func(n *html.Node) bool { return n.Data == "link" && attr(n, "rel") == "stylesheet" }), "href") != e.pages.AssetURL("heard.css") {
			t.Errorf("%s: the offline help page does not use the stylesheet the worker keeps", lang)
		}
	}
	if !strings.Contains(r.body, `const LANGUAGES = ["en","pl","ar"];`) {
		t.Error("sw.js does not list the languages, English first")
	}
}

// The pages a young person may need offline are marked for the service
// worker to keep (data-keep); a page with an error, or answers sent, is not.
func TestPagesWorthKeepingOffline(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	codes := codedSurvey(t, e, 1)
	form := "/s/" + surveytest.Slug + "/11-18"
	for path, want := range map[string]bool{
		"/":                                     true,
		"/help?lang=ar":                         true,
		"/s/" + surveytest.Slug:                 true,
		form:                                    true,
		form + "?lang=pl":                       true,
		"/s/" + codedSlug:                       true,
		"/s/" + codedSlug + "?code=" + codes[0]: true,
		"/s/" + codedSlug + "?code=WRONGCODE":   false,
		form + "/thanks":                        false,
		"/s/no-such-survey":                     false,
		"/s/" + closedSlug:                      false,
	} {
		doc, err := html.Parse(strings.NewReader(e.get(t, path).body))
		if err != nil {
			t.Fatal(err)
		}
		body := first(doc, byTag("body"))
		if got := hasAttr(body, "data-keep"); got != want {
			t.Errorf("%s: data-keep %v, want %v", path, got, want)
		}
	}
	// A form sent back with problems is not kept either.
	r := e.post(t, form, url.Values{"id": {frontend.NewUUID()}, "q.life_satisfaction": {"eleven"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.status)
	}
	if hasAttr(first(parse(t, r), byTag("body")), "data-keep") {
		t.Error("a form with errors is marked to keep")
	}
}

// The modules import one another by their hashed names, so that each can
// be cached for a year.
func TestModulesImportHashedNames(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	imports := regexp.MustCompile(`from '([^']+)'`)
	seen := 0
	for _, u := range e.pages.Modules() {
		body := e.get(t, u).body
		for _, m := range imports.FindAllStringSubmatch(body, -1) {
			seen++
			if !regexp.MustCompile(`^/static/[a-z]+\.[0-9a-f]{12}\.js$`).MatchString(m[1]) {
				t.Errorf("%s imports %q, not a hashed name", u, m[1])
			}
			if r := e.get(t, m[1]); r.status != http.StatusOK {
				t.Errorf("%s imports %s: status %d", u, m[1], r.status)
			}
		}
	}
	if seen < 1 {
		t.Errorf("%d imports found, want at least 1 (survey.js imports conditions.js)", seen)
	}
}

// What the page's script needs is on the form and its fieldsets, as data-*
// attributes; scripts come only from the server, with the page's nonce.
func TestFormDataForTheScript(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	r := e.get(t, "/s/"+surveytest.Slug+"/11-18?lang=pl")
	doc, err := html.Parse(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	form := byID(doc, "answers")
	for name, want := range map[string]string{
		"data-survey":  surveytest.Slug,
		"data-version": "11-18",
		"data-lang":    "pl",
		"data-api":     "/api/v1/surveys/" + surveytest.Slug + "/responses",
		"data-thanks":  "/s/" + surveytest.Slug + "/11-18/thanks?lang=pl",
		"data-code":    "",
	} {
		if got := attr(form, name); got != want {
			t.Errorf("%s=%q, want %q", name, got, want)
		}
	}
	var messages map[string]json.RawMessage
	if err := json.Unmarshal([]byte(attr(form, "data-i18n")), &messages); err != nil {
		t.Fatalf("data-i18n: %v", err)
	}
	if string(messages["js.next"]) != `"Dalej"` || len(messages["problem.too_long"]) < 10 {
		t.Errorf("data-i18n has js.next %s, problem.too_long %s", messages["js.next"], messages["problem.too_long"])
	}
	if hasAttr(form, "data-young") {
		t.Error("the 11-18 version is marked young")
	}

	v := surveytest.Definition(t).Version("11-18")
	for _, q := range v.Questions {
		fs := byID(doc, "q-"+q.Key)
		if attr(fs, "data-key") != q.Key || attr(fs, "data-type") != string(q.Type) {
			t.Errorf("%s: data-key %q data-type %q", q.Key, attr(fs, "data-key"), attr(fs, "data-type"))
		}
		if hasAttr(fs, "data-required") != q.Required {
			t.Errorf("%s: data-required %v", q.Key, hasAttr(fs, "data-required"))
		}
		if q.ShowIf == nil {
			if hasAttr(fs, "data-show-if") {
				t.Errorf("%s: data-show-if without show_if", q.Key)
			}
		} else {
			var c surveys.Condition
			if err := json.Unmarshal([]byte(attr(fs, "data-show-if")), &c); err != nil {
				t.Errorf("%s: data-show-if: %v", q.Key, err)
			}
			got, _ := json.Marshal(c)
			want, _ := json.Marshal(q.ShowIf)
			if string(got) != string(want) {
				t.Errorf("%s: data-show-if %s, want %s", q.Key, got, want)
			}
		}
		if q.Type == surveys.FreeText && attr(fs, "data-max-length") != "200" {
			t.Errorf("%s: data-max-length %q", q.Key, attr(fs, "data-max-length"))
		}
		if q.MaxChoices > 0 && attr(fs, "data-max-choices") != "2" {
			t.Errorf("%s: data-max-choices %q", q.Key, attr(fs, "data-max-choices"))
		}
	}

	nonce := regexp.MustCompile(`'nonce-([^']+)'`).FindStringSubmatch(r.header.Get("Content-Security-Policy"))[1]
	scripts := all(doc, byTag("script"))
	if len(scripts) != 1 {
		t.Fatalf("%d scripts, want 1", len(scripts))
	}
	s := scripts[0]
	if attr(s, "type") != "module" || attr(s, "nonce") != nonce || attr(s, "src") != e.pages.AssetURL("survey.js") || s.FirstChild != nil {
		t.Errorf("script type=%q nonce ok=%v src=%q, inline=%v", attr(s, "type"), attr(s, "nonce") == nonce, attr(s, "src"), s.FirstChild != nil)
	}
	// The form is not painted until the script has made it one question
	// per screen, so that it does not jump about.
	if attr(s, "blocking") != "render" {
		t.Errorf(`the form's script has blocking=%q, want "render"`, attr(s, "blocking"))
	}
	var preloads []string
	for _, l := range all(doc, func(n *html.Node) bool { return n.Data == "link" && attr(n, "rel") == "modulepreload" }) {
		preloads = append(preloads, attr(l, "href"))
	}
	if !slices.Equal(preloads, []string{e.pages.AssetURL("conditions.js")}) {
		t.Errorf("preloads %v, want conditions.js, which survey.js imports", preloads)
	}
	// Other pages load the same script, to send answers that were waiting
	// and to register the service worker: on a phone's first visit, the
	// form then needs no script of its own.
	doc = parse(t, e.get(t, "/"))
	scripts = all(doc, byTag("script"))
	if len(scripts) != 1 || attr(scripts[0], "src") != e.pages.AssetURL("survey.js") {
		t.Error("the start page does not load survey.js alone")
	} else if hasAttr(scripts[0], "blocking") {
		t.Error("the start page waits for its script to be painted; only the form need")
	}
}

// The young children's version offers first to read the questions aloud.
func TestYoungVersionIsMarked(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	defs, err := templates.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range defs {
		if d.Slug == "cared-for-2026" {
			e.create(t, d, surveys.StatusOpen)
		}
	}
	for version, young := range map[string]bool{"4-7": true, "8-11": false, "11-18": false} {
		doc := parse(t, e.get(t, "/s/cared-for-2026/"+version))
		if got := hasAttr(byID(doc, "answers"), "data-young"); got != young {
			t.Errorf("%s: data-young %v, want %v", version, got, young)
		}
	}
}
