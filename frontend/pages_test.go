package frontend_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/frontend"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
	"github.com/heard-app/heard/surveys/templates"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// surveyLinks returns the hrefs of the links to surveys in a page's main
// content.
func surveyLinks(doc *html.Node) []string {
	var out []string
	for _, a := range all(byID(doc, "main"), byTag("a")) {
		if strings.HasPrefix(attr(a, "href"), "/s/") {
			out = append(out, attr(a, "href"))
		}
	}
	return out
}

func TestHomeListsOpenSurveysOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)

	r := e.get(t, "/")
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200", r.status)
	}
	doc := parse(t, r)
	if got, want := surveyLinks(doc), []string{"/s/" + surveytest.Slug}; !slices.Equal(got, want) {
		t.Errorf("survey links %v, want %v (the open survey only)", got, want)
	}
	if !strings.Contains(text(doc), "How are things? (test survey)") {
		t.Error("the open survey's title is not shown")
	}
	if !strings.Contains(text(doc), "Heard is a safe place to tell Knowsley Council") {
		t.Error("the page does not say what Heard is")
	}

	if _, err := e.catalog.SetStatus(testCtx(t), surveytest.Slug, surveys.StatusClosed); err != nil {
		t.Fatal(err)
	}
	doc = parse(t, e.get(t, "/"))
	if links := surveyLinks(doc); len(links) != 0 {
		t.Errorf("with no open survey, links %v, want none", links)
	}
	if !strings.Contains(text(doc), "There are no surveys open right now.") {
		t.Error("with no open survey, the page does not say so")
	}
}

func TestHelpPage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		help    frontend.HelpLine
		want    []string
		notWant []string
	}{
		{
			name: "with the council's number",
			help: testHelp,
			want: []string{`href="tel:08001111"`, "0800 1111", `href="tel:999"`, `href="tel:01514432600"`,
				"0151 443 2600", "Monday to Friday, 9am to 5pm", "Knowsley Council"},
		},
		{
			name:    "without the council's number",
			help:    frontend.HelpLine{CouncilName: "Knowsley Council"},
			want:    []string{`href="tel:08001111"`, "0800 1111", `href="tel:999"`},
			notWant: []string{"tel:0151", "Monday to Friday"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, tt.help)
			r := e.get(t, "/help")
			if r.status != http.StatusOK {
				t.Fatalf("status %d, want 200", r.status)
			}
			doc := parse(t, r)
			for _, s := range tt.want {
				if !strings.Contains(r.body, s) {
					t.Errorf("help page lacks %q", s)
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(r.body, s) {
					t.Errorf("help page has %q", s)
				}
			}
			link := first(first(doc, byTag("header")), func(n *html.Node) bool { return attr(n, "href") == "/help" })
			if attr(link, "aria-current") != "page" {
				t.Error(`on the help page, its header link is not aria-current="page"`)
			}
		})
	}
}

func TestSurveyPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	r := e.get(t, "/s/"+surveytest.Slug)
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200", r.status)
	}
	doc := parse(t, r)
	if h1 := text(first(doc, byTag("h1"))); h1 != "How are things? (test survey)" {
		t.Errorf("h1 %q, want the survey's title", h1)
	}
	var versions []string
	for _, a := range all(byID(doc, "main"), byTag("a")) {
		if strings.HasPrefix(attr(a, "href"), "/s/") {
			versions = append(versions, attr(a, "href")+" "+text(a))
		}
	}
	want := []string{"/s/test-wellbeing/8-11 I am 8 to 11", "/s/test-wellbeing/11-18 I am 11 to 18"}
	if !slices.Equal(versions, want) {
		t.Errorf("version links %q, want %q", versions, want)
	}
	page := text(doc)
	for _, s := range []string{
		"This survey is from Knowsley Council.",
		"It's anonymous",
		"You can skip any question you don't want to answer, unless it says it needs an answer.",
		"It takes about 2 to 4 minutes.",
		"Heard is how Knowsley Council listens to children and young people.",
	} {
		if !strings.Contains(page, s) {
			t.Errorf("survey page lacks %q", s)
		}
	}
}

// validAnswers are answers to the fixture's 11-18 version that the domain
// accepts.
func validAnswers(id string) url.Values {
	return url.Values{
		"id":           {id},
		"lang":         {"en"},
		"q.area":       {"north"},
		"q.feel_safe":  {"sometimes"},
		"q.why_unsafe": {"online", "school"},
		"q.happy":      {"7"},
		"q.talk_to":    {"yes"},
		"q.talk_who":   {"My foster carer"},
		"q.better":     {"More trips out"},
	}
}

func TestNotOpenOrUnknown(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	tests := []struct {
		method, path string
		status       int
		heading      string
	}{
		{"GET", "/s/" + draftSlug, 404, "Page not found"},
		{"GET", "/s/" + draftSlug + "/11-18", 404, "Page not found"},
		{"POST", "/s/" + draftSlug + "/11-18", 404, "Page not found"},
		{"GET", "/s/" + closedSlug, 409, "This survey has closed"},
		{"GET", "/s/" + closedSlug + "/11-18", 409, "This survey has closed"},
		{"POST", "/s/" + closedSlug + "/11-18", 409, "This survey has closed"},
		{"GET", "/s/no-such-survey", 404, "Page not found"},
		{"GET", "/s/no-such-survey/11-18", 404, "Page not found"},
		{"POST", "/s/no-such-survey/11-18", 404, "Page not found"},
		{"GET", "/s/" + surveytest.Slug + "/99-100", 404, "Page not found"},
		{"POST", "/s/" + surveytest.Slug + "/99-100", 404, "Page not found"},
		{"GET", "/no/such/page", 404, "Page not found"},
	}
	t.Run("requests", func(t *testing.T) {
		for _, tt := range tests {
			t.Run(tt.method+" "+tt.path, func(t *testing.T) {
				t.Parallel()
				var r result
				if tt.method == "POST" {
					r = e.post(t, tt.path, validAnswers(frontend.NewUUID()))
				} else {
					r = e.get(t, tt.path)
				}
				if r.status != tt.status {
					t.Fatalf("status %d, want %d", r.status, tt.status)
				}
				doc := parse(t, r)
				if h1 := text(first(doc, byTag("h1"))); h1 != tt.heading {
					t.Errorf("h1 %q, want %q", h1, tt.heading)
				}
				if r.header.Get("Content-Security-Policy") == "" {
					t.Error("the error page has no Content-Security-Policy")
				}
			})
		}
	})
	t.Run("nothing stored", func(t *testing.T) {
		for _, slug := range []string{draftSlug, closedSlug} {
			if n, _ := e.tallied(t, slug, "11-18"); n != 0 {
				t.Errorf("%s: %d responses stored, want 0", slug, n)
			}
		}
	})
}

func TestFormPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	path := "/s/" + surveytest.Slug + "/11-18"
	r := e.get(t, path)
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200", r.status)
	}
	doc := parse(t, r)

	forms := all(doc, byTag("form"))
	if len(forms) != 1 {
		t.Fatalf("%d forms, want 1", len(forms))
	}
	form := forms[0]
	if attr(form, "method") != "post" || attr(form, "action") != path {
		t.Errorf("form method %q action %q, want post to %s", attr(form, "method"), attr(form, "action"), path)
	}
	hidden := map[string]string{}
	for _, in := range all(form, func(n *html.Node) bool { return n.Data == "input" && attr(n, "type") == "hidden" }) {
		hidden[attr(in, "name")] = attr(in, "value")
	}
	if !uuidV4.MatchString(hidden["id"]) {
		t.Errorf("hidden id %q is not a lower-case v4 UUID", hidden["id"])
	}
	if hidden["lang"] != "en" {
		t.Errorf("hidden lang %q, want en", hidden["lang"])
	}
	again := parse(t, e.get(t, path))
	if id := attr(first(again, func(n *html.Node) bool { return attr(n, "name") == "id" }), "value"); id == hidden["id"] {
		t.Error("two forms carry the same id")
	}
	if strings.HasPrefix(text(first(doc, byTag("title"))), "Error:") {
		t.Error("a fresh form's title says Error")
	}
	if first(doc, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "error-summary") }) != nil {
		t.Error("a fresh form shows an error summary")
	}
	helpLink := first(first(doc, byTag("header")), func(n *html.Node) bool { return attr(n, "href") == "/help" })
	if attr(helpLink, "target") != "_blank" || !strings.Contains(attr(helpLink, "rel"), "noopener") ||
		!strings.Contains(text(helpLink), "opens in a new tab") {
		t.Errorf("on the form, the help link must open in a new tab and say so: %q target=%q rel=%q",
			text(helpLink), attr(helpLink, "target"), attr(helpLink, "rel"))
	}

	v := surveytest.Definition(t).Version("11-18")
	for _, q := range v.Questions {
		fs := byID(doc, "q-"+q.Key)
		if fs == nil || fs.Data != "fieldset" {
			t.Errorf("%s: no fieldset with id q-%s", q.Key, q.Key)
			continue
		}
		legend := first(fs, byTag("legend"))
		if legend == nil || !strings.HasPrefix(text(legend), q.Text["en"]) {
			t.Errorf("%s: legend %q, want the question", q.Key, text(legend))
		}
		if got := strings.Contains(text(legend), "(needs an answer)"); got != q.Required {
			t.Errorf("%s: legend %q says it needs an answer: %v, want %v", q.Key, text(legend), got, q.Required)
		}
		controls := all(fs, func(n *html.Node) bool { return n.Data == "input" || n.Data == "textarea" })
		wantType, wantCount := "radio", len(q.Choices)
		switch q.Type {
		case surveys.MultiChoice:
			wantType = "checkbox"
		case surveys.Rating:
			wantCount = 11
		case surveys.FreeText:
			wantType, wantCount = "textarea", 1
		}
		if len(controls) != wantCount {
			t.Errorf("%s: %d controls, want %d", q.Key, len(controls), wantCount)
		}
		for _, c := range controls {
			typ := attr(c, "type")
			if c.Data == "textarea" {
				typ = "textarea"
			}
			if attr(c, "name") != "q."+q.Key || typ != wantType {
				t.Errorf("%s: control name %q type %q, want q.%s %s", q.Key, attr(c, "name"), typ, q.Key, wantType)
			}
			if hasAttr(c, "maxlength") || hasAttr(c, "required") {
				t.Errorf("%s: control has maxlength or required; the server checks", q.Key)
			}
		}
	}

	notes := map[string]string{
		"why_unsafe": `Answer this if you answered "Sometimes" or "Never" to "Do you feel safe where you live?" Otherwise, skip it.`,
		"talk_who":   `Answer this if you answered "Yes" to "Is there an adult you can talk to when you are worried?" Otherwise, skip it.`,
	}
	for key, want := range notes {
		note := byID(doc, "q-"+key+"-note")
		if note == nil || text(note) != want {
			t.Errorf("%s: note %q, want %q", key, text(note), want)
		}
	}
	if byID(doc, "q-area-note") != nil {
		t.Error("a question without show_if has a condition note")
	}
	// A radio group is described on its fieldset, a text box on itself.
	if d := attr(byID(doc, "q-why_unsafe"), "aria-describedby"); d != "q-why_unsafe-note q-why_unsafe-hint" {
		t.Errorf("why_unsafe fieldset aria-describedby %q", d)
	}
	if d := attr(byID(doc, "q-talk_who-input"), "aria-describedby"); d != "q-talk_who-note q-talk_who-hint" {
		t.Errorf("talk_who textarea aria-describedby %q", d)
	}

	hints := map[string]string{
		"why_unsafe": "Choose up to 2.",
		"happy":      `Choose a number from 0 to 10. 0 means "Not at all" and 10 means "Very happy".`,
		"talk_who":   "You can write up to 200 characters.",
		"better":     "You can write up to 200 characters.",
	}
	for key, want := range hints {
		if got := text(byID(doc, "q-"+key+"-hint")); got != want {
			t.Errorf("%s: hint %q, want %q", key, got, want)
		}
	}

	for i, label := range []string{"Always", "Sometimes", "Never"} {
		l := first(doc, func(n *html.Node) bool {
			return n.Data == "label" && attr(n, "for") == "q-feel_safe-"+strconv.Itoa(i)
		})
		if l == nil || text(l) != label {
			t.Errorf("feel_safe choice %d: label %q, want %q", i, text(l), label)
			continue
		}
		svg := first(l, byTag("svg"))
		if svg == nil || attr(svg, "aria-hidden") != "true" {
			t.Errorf("feel_safe choice %d: no face, or one a screen reader reads", i)
		}
	}
}

// conditionsSurvey has a follow-up question for every operator of show_if.
const conditionsSurvey = `{
  "slug": "conditions", "edition": 2026, "kind": "other", "title": {"en": "Conditions"},
  "versions": [{"key": "all", "label": {"en": "Everyone"}, "questions": [
    {"key": "pick", "type": "single_choice", "text": {"en": "Pick one"},
     "choices": [{"key": "a", "label": {"en": "Apples"}}, {"key": "b", "label": {"en": "Bananas"}}, {"key": "c", "label": {"en": "Cherries"}}]},
    {"key": "many", "type": "multi_choice", "text": {"en": "Pick some"},
     "choices": [{"key": "x", "label": {"en": "Red"}}, {"key": "y", "label": {"en": "Green"}}, {"key": "z", "label": {"en": "Blue"}}]},
    {"key": "rate", "type": "rating", "min": 0, "max": 10, "text": {"en": "How much?"}},
    {"key": "words", "type": "text", "text": {"en": "Say something"}},
    {"key": "eq_single", "type": "single_choice", "text": {"en": "Follow-up"},
     "choices": [{"key": "yes", "label": {"en": "Yes"}}, {"key": "no", "label": {"en": "No"}}],
     "show_if": {"all": [{"question": "pick", "op": "eq", "value": "a"}]}},
    {"key": "eq_multi", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"all": [{"question": "many", "op": "eq", "value": "y"}]}},
    {"key": "eq_rating", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"all": [{"question": "rate", "op": "eq", "value": 3}]}},
    {"key": "neq_single", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"all": [{"question": "pick", "op": "neq", "value": "a"}]}},
    {"key": "neq_multi", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"all": [{"question": "many", "op": "neq", "value": "x"}]}},
    {"key": "neq_rating", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"all": [{"question": "rate", "op": "neq", "value": 5}]}},
    {"key": "in_single", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"all": [{"question": "pick", "op": "in", "value": ["b", "c"]}]}},
    {"key": "in_multi", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"all": [{"question": "many", "op": "in", "value": ["x", "y", "z"]}]}},
    {"key": "in_rating", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"all": [{"question": "rate", "op": "in", "value": [0, 1, 2]}]}},
    {"key": "in_one", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"any": [{"question": "pick", "op": "in", "value": ["c"]}]}},
    {"key": "answered", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"all": [{"question": "words", "op": "answered"}]}},
    {"key": "not_answered", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"all": [{"question": "words", "op": "not_answered"}]}},
    {"key": "answered_multi", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"all": [{"question": "many", "op": "answered"}]}},
    {"key": "not_answered_multi", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"all": [{"question": "many", "op": "not_answered"}]}},
    {"key": "long_text", "type": "text", "max_length": 10000, "text": {"en": "Say a lot"}},
    {"key": "gte", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"all": [{"question": "rate", "op": "gte", "value": 7}]}},
    {"key": "lte", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"all": [{"question": "rate", "op": "lte", "value": 2}]}},
    {"key": "all_two", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"all": [
      {"question": "pick", "op": "eq", "value": "a"}, {"question": "rate", "op": "gte", "value": 5}]}},
    {"key": "any_two", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"any": [
      {"question": "pick", "op": "neq", "value": "a"}, {"question": "pick", "op": "not_answered"}]}},
    {"key": "any_three", "type": "text", "text": {"en": "Follow-up"}, "show_if": {"any": [
      {"question": "pick", "op": "eq", "value": "a"}, {"question": "many", "op": "eq", "value": "z"}, {"question": "words", "op": "answered"}]}}
  ]}]
}`

func createConditionsSurvey(t *testing.T, e *env) {
	t.Helper()
	d, err := surveys.ParseDefinition([]byte(conditionsSurvey))
	if err != nil {
		t.Fatalf("conditions survey: %v", err)
	}
	e.create(t, d, surveys.StatusOpen)
}

func TestConditionNotes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	createConditionsSurvey(t, e)
	doc := parse(t, e.get(t, "/s/conditions/all"))
	const then = " Otherwise, skip it."
	tests := []struct {
		key, want string
	}{
		{"eq_single", `Answer this if you answered "Apples" to "Pick one".` + then},
		{"eq_multi", `Answer this if you chose "Green" for "Pick some".` + then},
		{"eq_rating", `Answer this if you answered 3 to "How much?"` + then},
		{"neq_single", `Answer this if you answered "Pick one" with something other than "Apples".` + then},
		{"neq_multi", `Answer this if you answered "Pick some" but did not choose "Red".` + then},
		{"neq_rating", `Answer this if you answered "How much?" with a number other than 5.` + then},
		{"in_single", `Answer this if you answered "Bananas" or "Cherries" to "Pick one".` + then},
		{"in_multi", `Answer this if you chose "Red", "Green" or "Blue" for "Pick some".` + then},
		{"in_rating", `Answer this if you answered 0, 1 or 2 to "How much?"` + then},
		{"in_one", `Answer this if you answered "Cherries" to "Pick one".` + then},
		{"answered", `Answer this if you answered "Say something".` + then},
		{"not_answered", `Answer this if you did not answer "Say something".` + then},
		{"answered_multi", `Answer this if you chose anything for "Pick some".` + then},
		{"not_answered_multi", `Answer this if you did not choose anything for "Pick some".` + then},
		{"gte", `Answer this if you answered 7 or more to "How much?"` + then},
		{"lte", `Answer this if you answered 2 or less to "How much?"` + then},
		{"all_two", `Answer this if you answered "Apples" to "Pick one" and you answered 5 or more to "How much?"` + then},
		{"any_two", `Answer this if you answered "Pick one" with something other than "Apples", or if you did not answer "Pick one".` + then},
		{"any_three", `Answer this if you answered "Apples" to "Pick one", or if you chose "Blue" for "Pick some", or if you answered "Say something".` + then},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if got := text(byID(doc, "q-"+tt.key+"-note")); got != tt.want {
				t.Errorf("note\n got %q\nwant %q", got, tt.want)
			}
		})
	}
	if got := text(byID(doc, "q-long_text-hint")); got != "You can write up to 10,000 characters." {
		t.Errorf("long text hint %q", got)
	}
}

func TestSubmitStoresOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	path := "/s/" + surveytest.Slug + "/11-18"
	id := frontend.NewUUID()

	for i, want := range []int{http.StatusCreated, http.StatusOK} {
		r := e.post(t, path, validAnswers(id))
		if r.status != want {
			t.Fatalf("post %d: status %d, want %d\n%s", i+1, r.status, want, r.body)
		}
		doc := parse(t, r)
		if h1 := text(first(doc, byTag("h1"))); h1 != "Thank you. Your answers have been sent." {
			t.Errorf("post %d: h1 %q", i+1, h1)
		}
		page := text(doc)
		for _, s := range []string{"What happens next", "Childline", "0800 1111", "0151 443 2600", "999"} {
			if !strings.Contains(page, s) {
				t.Errorf("post %d: thank-you page lacks %q", i+1, s)
			}
		}
	}

	n, tally := e.tallied(t, surveytest.Slug, "11-18")
	if n != 1 {
		t.Fatalf("%d responses counted, want 1", n)
	}
	all := tally.Slice(surveys.AllSlice)
	for _, c := range []struct {
		question, answer string
	}{{"area", "north"}, {"feel_safe", "sometimes"}, {"why_unsafe", "online"}, {"why_unsafe", "school"}, {"happy", "7"}, {"talk_to", "yes"}} {
		if got := all.Question(c.question).Counts[c.answer]; got != 1 {
			t.Errorf("%s=%s counted %d times, want 1", c.question, c.answer, got)
		}
	}
	if got := all.Question("talk_who").Answered; got != 1 {
		t.Errorf("talk_who answered %d times, want 1", got)
	}

	// The same form sent again with other answers is refused.
	other := validAnswers(id)
	other.Set("q.area", "south")
	r := e.post(t, path, other)
	if r.status != http.StatusConflict {
		t.Fatalf("other answers, same id: status %d, want 409", r.status)
	}
	if h1 := text(first(parse(t, r), byTag("h1"))); h1 != "Your answers were sent already" {
		t.Errorf("other answers, same id: h1 %q", h1)
	}
	if n, _ := e.tallied(t, surveytest.Slug, "11-18"); n != 1 {
		t.Errorf("after a clash, %d responses counted, want 1", n)
	}

	// A form with every question skipped is a response too, where nothing
	// is required.
	if r := e.post(t, "/s/"+surveytest.Slug+"/8-11", url.Values{"id": {frontend.NewUUID()}, "lang": {"en"}}); r.status != http.StatusCreated {
		t.Errorf("all skipped: status %d, want 201", r.status)
	}
}

func TestSubmitInvalid(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	path := "/s/" + surveytest.Slug + "/11-18"
	long := strings.Repeat("a", 201)

	tests := []struct {
		name   string
		change func(url.Values)
		errors map[string]string // question key: message
		kept   map[string][]string
	}{
		{
			name:   "required question missing",
			change: func(f url.Values) { f.Del("q.talk_to"); f.Del("q.talk_who") },
			errors: map[string]string{"talk_to": "Please answer this question."},
			kept:   map[string][]string{"area": {"north"}, "feel_safe": {"sometimes"}, "why_unsafe": {"school", "online"}, "happy": {"7"}, "better": {"More trips out"}},
		},
		{
			name:   "text too long",
			change: func(f url.Values) { f.Set("q.talk_who", long) },
			errors: map[string]string{"talk_who": "Please keep this to 200 characters or fewer. It is 201 characters now."},
			kept:   map[string][]string{"talk_who": {long}, "talk_to": {"yes"}},
		},
		{
			name:   "answer to a question that does not apply",
			change: func(f url.Values) { f.Set("q.talk_to", "no") },
			errors: map[string]string{"talk_who": "This question is only for people who gave a different answer earlier. Please clear this answer, or change your earlier one."},
			kept:   map[string][]string{"talk_who": {"My foster carer"}, "talk_to": {"no"}},
		},
		{
			name:   "too many ticks",
			change: func(f url.Values) { f["q.why_unsafe"] = []string{"school", "home", "online"} },
			errors: map[string]string{"why_unsafe": "Please choose up to 2 answers."},
			kept:   map[string][]string{"why_unsafe": {"school", "home", "online"}},
		},
		{
			name:   "rating that is not a whole number",
			change: func(f url.Values) { f.Set("q.happy", "7.5") },
			errors: map[string]string{"happy": "Please choose a whole number from 0 to 10."},
			kept:   map[string][]string{"area": {"north"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			id := frontend.NewUUID()
			form := validAnswers(id)
			tt.change(form)
			r := e.post(t, path, form)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.status)
			}
			doc := parse(t, r)
			if title := text(first(doc, byTag("title"))); !strings.HasPrefix(title, "Error: ") {
				t.Errorf("title %q does not start with Error:", title)
			}
			summary := first(doc, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "error-summary") })
			if summary == nil {
				t.Fatal("no error summary")
			}
			if h := first(summary, byTag("h2")); h == nil || text(h) != "There is a problem" {
				t.Error(`the error summary has no "There is a problem" heading`)
			}
			links := all(summary, byTag("a"))
			if len(links) != len(tt.errors) {
				t.Errorf("error summary has %d links, want %d", len(links), len(tt.errors))
			}
			for key, msg := range tt.errors {
				link := first(summary, func(n *html.Node) bool { return attr(n, "href") == "#q-"+key })
				if link == nil || !strings.Contains(text(link), msg) {
					t.Errorf("%s: no summary link to #q-%s saying %q", key, key, msg)
				}
				fs := byID(doc, "q-"+key)
				errP := byID(doc, "q-"+key+"-error")
				if errP == nil || !strings.Contains(text(errP), msg) {
					t.Errorf("%s: no message %q beside the question", key, msg)
				} else if !isInside(errP, fs) {
					t.Errorf("%s: the message is not inside the question's fieldset", key)
				}
				described := attr(fs, "aria-describedby")
				if ta := first(fs, byTag("textarea")); ta != nil {
					described = attr(ta, "aria-describedby")
				}
				if !slices.Contains(strings.Fields(described), "q-"+key+"-error") {
					t.Errorf("%s: the message is not in aria-describedby (%q)", key, described)
				}
				for _, c := range all(fs, func(n *html.Node) bool { return n.Data == "input" || n.Data == "textarea" }) {
					if attr(c, "aria-invalid") != "true" {
						t.Errorf("%s: control %q is not aria-invalid", key, attr(c, "id"))
					}
				}
			}
			if got := attr(first(doc, func(n *html.Node) bool { return attr(n, "name") == "id" }), "value"); got != id {
				t.Errorf("the form's id changed from %s to %s", id, got)
			}
			for key, want := range tt.kept {
				if got := keptValues(doc, "q."+key); !slices.Equal(got, want) {
					t.Errorf("%s: kept %q, want %q", key, got, want)
				}
			}
			if n, _ := e.tallied(t, surveytest.Slug, "11-18"); n != 0 {
				t.Errorf("%d responses stored, want 0", n)
			}
		})
	}
}

// keptValues returns what a re-shown form holds for a field: the values of
// checked boxes and buttons, or the text of a text box.
func keptValues(doc *html.Node, name string) []string {
	var out []string
	for _, n := range all(doc, func(n *html.Node) bool { return attr(n, "name") == name }) {
		switch {
		case n.Data == "textarea":
			var b strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				b.WriteString(c.Data)
			}
			out = append(out, b.String())
		case hasAttr(n, "checked"):
			out = append(out, attr(n, "value"))
		}
	}
	return out
}

func isInside(n, ancestor *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p == ancestor {
			return true
		}
	}
	return false
}

// A line break typed in a text box counts as one character, as it does
// when a script sends the answers, though browsers post it as CRLF.
func TestSubmitLineBreaksCountOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	form := validAnswers(frontend.NewUUID())
	form.Set("q.better", strings.Repeat("a", 100)+"\r\n"+strings.Repeat("b", 99))
	if r := e.post(t, "/s/"+surveytest.Slug+"/11-18", form); r.status != http.StatusCreated {
		t.Fatalf("200 characters with a line break: status %d, want 201", r.status)
	}
}

// When answers cannot be stored just now, the form comes back with them,
// to be sent again, rather than an error page that loses them.
func TestSubmitWhenStoreUnavailable(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	if err := e.responses.Close(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	id := frontend.NewUUID()
	r := e.post(t, "/s/"+surveytest.Slug+"/11-18", validAnswers(id))
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", r.status)
	}
	doc := parse(t, r)
	summary := first(doc, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "error-summary") })
	if summary == nil || !strings.Contains(text(summary), "Your answers have not been sent yet") {
		t.Errorf("summary %q, want it to say the answers were not sent", text(summary))
	}
	if got := attr(first(doc, func(n *html.Node) bool { return attr(n, "name") == "id" }), "value"); got != id {
		t.Errorf("the form's id changed from %s to %s", id, got)
	}
	for key, want := range map[string][]string{"talk_to": {"yes"}, "why_unsafe": {"school", "online"}, "talk_who": {"My foster carer"}} {
		if got := keptValues(doc, "q."+key); !slices.Equal(got, want) {
			t.Errorf("%s: kept %q, want %q", key, got, want)
		}
	}
}

func TestSubmitSpoiltID(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	form := validAnswers("not-a-uuid")
	r := e.post(t, "/s/"+surveytest.Slug+"/11-18", form)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.status)
	}
	doc := parse(t, r)
	summary := first(doc, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "error-summary") })
	if summary == nil || !strings.Contains(text(summary), "Something went wrong with this form.") {
		t.Errorf("error summary %q, want it to say the form went wrong", text(summary))
	}
	if strings.Contains(r.body, "UUID") {
		t.Error("the page shows the domain's technical message about the id")
	}
	if id := attr(first(doc, func(n *html.Node) bool { return attr(n, "name") == "id" }), "value"); !uuidV4.MatchString(id) {
		t.Errorf("the form shown again carries id %q, want a new UUID", id)
	}
	if got := keptValues(doc, "q.talk_who"); !slices.Equal(got, []string{"My foster carer"}) {
		t.Errorf("talk_who kept %q", got)
	}
}

func TestSkipOptionClearsARadioAnswer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	createConditionsSurvey(t, e)
	path := "/s/conditions/all"

	form := url.Values{"id": {frontend.NewUUID()}, "lang": {"en"}, "q.pick": {"b"}, "q.eq_single": {"yes"}}
	r := e.post(t, path, form)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.status)
	}
	doc := parse(t, r)
	skip := byID(doc, "q-eq_single-skip")
	if skip == nil || attr(skip, "type") != "radio" || attr(skip, "name") != "q.eq_single" || attr(skip, "value") != "" {
		t.Fatal(`no "Skip this question" radio with an empty value`)
	}
	label := first(doc, func(n *html.Node) bool { return n.Data == "label" && attr(n, "for") == "q-eq_single-skip" })
	if text(label) != "Skip this question" {
		t.Errorf("skip label %q", text(label))
	}
	if byID(doc, "q-pick-skip") != nil {
		t.Error("a question without the not-shown error offers to skip")
	}
	if got := keptValues(doc, "q.eq_single"); !slices.Equal(got, []string{"yes"}) {
		t.Errorf("eq_single kept %q, want yes", got)
	}

	form.Set("q.eq_single", "")
	if r := e.post(t, path, form); r.status != http.StatusCreated {
		t.Fatalf("with the skip chosen: status %d, want 201", r.status)
	}
}

func TestHeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	csp := regexp.MustCompile(`^default-src 'none'; script-src 'self' 'nonce-([A-Za-z0-9_-]{24})'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'$`)
	nonces := map[string]bool{}
	for _, path := range []string{"/", "/", "/help", "/s/" + surveytest.Slug, "/s/" + surveytest.Slug + "/8-11", "/no/such/page"} {
		r := e.get(t, path)
		m := csp.FindStringSubmatch(r.header.Get("Content-Security-Policy"))
		if m == nil {
			t.Errorf("%s: Content-Security-Policy %q", path, r.header.Get("Content-Security-Policy"))
			continue
		}
		if nonces[m[1]] {
			t.Errorf("%s: nonce %s used twice", path, m[1])
		}
		nonces[m[1]] = true
		for name, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "no-referrer",
			"Cache-Control":          "no-store",
		} {
			if got := r.header.Get(name); got != want {
				t.Errorf("%s: %s %q, want %q", path, name, got, want)
			}
		}
	}
}

// TestNoThirdPartyRequests checks that no page makes the browser ask
// another host for anything: every address in a page is on this site.
func TestNoThirdPartyRequests(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	form := "/s/" + surveytest.Slug + "/11-18"
	invalid := validAnswers(frontend.NewUUID())
	invalid.Del("q.talk_to")
	pages := map[string]result{
		"home":      e.get(t, "/"),
		"help":      e.get(t, "/help"),
		"survey":    e.get(t, "/s/"+surveytest.Slug),
		"form":      e.get(t, form),
		"invalid":   e.post(t, form, invalid),
		"thank you": e.post(t, form, validAnswers(frontend.NewUUID())),
		"closed":    e.get(t, "/s/"+closedSlug),
		"not found": e.get(t, "/no/such/page"),
	}
	css := e.get(t, e.pages.AssetURL("heard.css"))
	pages["stylesheet"] = css
	absolute := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9]`)
	for name, r := range pages {
		if m := absolute.FindString(r.body); m != "" {
			t.Errorf("%s: has an address on another host (%q...)", name, m)
		}
		if name == "stylesheet" {
			if strings.Contains(r.body, "url(") || strings.Contains(r.body, "@import") {
				t.Errorf("the stylesheet loads something")
			}
			continue
		}
		doc, err := html.Parse(strings.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range all(doc, func(n *html.Node) bool { return true }) {
			for _, a := range []string{"href", "src", "action", "srcset", "poster", "data"} {
				v := attr(n, a)
				// A data: URL (the icon) is made in the page: nothing is fetched.
				if v != "" && !strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "#") && !strings.HasPrefix(v, "tel:") && !strings.HasPrefix(v, "data:") {
					t.Errorf("%s: <%s %s=%q> is not an address on this site", name, n.Data, a, v)
				}
			}
		}
	}
}

func TestNewNeedsStores(t *testing.T) {
	t.Parallel()
	if _, err := frontend.New(frontend.Config{}); err == nil {
		t.Error("New without Intake and Surveys: no error")
	}
}

// TestShippedSurveysRender shows every survey Heard ships with, each
// version as a form, and checks the pages as it checks the fixture's.
func TestShippedSurveysRender(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	defs, err := templates.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range defs {
		e.create(t, d, surveys.StatusOpen)
		t.Run(d.Slug, func(t *testing.T) {
			parse(t, e.get(t, "/s/"+d.Slug))
			for _, v := range d.Versions {
				r := e.get(t, "/s/"+d.Slug+"/"+v.Key)
				if r.status != http.StatusOK {
					t.Fatalf("%s: status %d", v.Key, r.status)
				}
				doc := parse(t, r)
				if n := len(all(doc, byTag("fieldset"))); n != len(v.Questions) {
					t.Errorf("%s: %d fieldsets, want %d", v.Key, n, len(v.Questions))
				}
				for _, q := range v.Questions {
					if q.ShowIf != nil && byID(doc, "q-"+q.Key+"-note") == nil {
						t.Errorf("%s: %s has show_if but no note", v.Key, q.Key)
					}
				}
			}
		})
	}
}
