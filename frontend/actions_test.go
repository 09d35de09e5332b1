package frontend_test

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/frontend"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/coder"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/surveytest"
)

// actionsEnv is an env whose pages show the actions of a, and the route
// of the "you said, we did" page.
func actionsEnv(t *testing.T) (*env, *surveys.Actions) {
	t.Helper()
	var actions *surveys.Actions
	e := newEnvWith(t, testHelp, func(e *env, cfg *frontend.Config) {
		now := func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }
		themes := &surveys.Themes{Store: mongo.NewCodebookStore(e.db), Compile: coder.Compile, Default: coder.DefaultCodebook(), Now: now}
		if err := themes.Load(testCtx(t)); err != nil {
			t.Fatal(err)
		}
		actions = &surveys.Actions{Store: mongo.NewActionStore(e.db), Now: now, Surveys: e.surveys, Themes: themes}
		cfg.Actions = actions
	})
	e.app.Get("/you-said-we-did", e.pages.Headers, e.pages.YouSaidWeDid)
	return e, actions
}

// addAction stores an action as an analyst would.
func addAction(t *testing.T, actions *surveys.Actions, a *surveys.Action) *surveys.Action {
	t.Helper()
	ctx := surveys.NewContextWithUser(testCtx(t), &surveys.User{Email: "ana@council.example", Role: surveys.RoleAnalyst})
	saved, err := actions.Create(ctx, a)
	if err != nil {
		t.Fatalf("add action: %v %v", err, surveys.ErrorFields(err))
	}
	return saved
}

// sampleActions stores one action of each status, published, and one that
// is not: the fixture survey is about activities and feeling safe; the
// closed survey is about transport.
func sampleActions(t *testing.T, actions *surveys.Actions) {
	t.Helper()
	addAction(t, actions, &surveys.Action{Said: surveys.Text{"en": "There is nothing to do at weekends.", "pl": "W weekendy nie ma co robić."},
		Did: surveys.Text{"en": "A Saturday youth club is opening."}, Owner: "Participation team", Due: "2027-03-31",
		Status: surveys.ActionPlanned, Themes: []string{"activities"}, Surveys: []string{surveytest.Slug}, Publish: true})
	addAction(t, actions, &surveys.Action{Said: surveys.Text{"en": "Buses to family time take too long."},
		Did: surveys.Text{"en": "We asked for a new bus route."}, Owner: "Transport team", Status: surveys.ActionNotPossible,
		Reason: "The bus company would not change the route.", Themes: []string{"transport"}, Surveys: []string{closedSlug}, Publish: true})
	addAction(t, actions, &surveys.Action{Said: surveys.Text{"en": "Some of you do not feel safe online."},
		Did: surveys.Text{"en": "Online safety sessions in every children's home."}, Owner: "Children's homes managers",
		Status: surveys.ActionDone, Themes: []string{"safety", "digital"}, Surveys: []string{surveytest.Slug}, Publish: true})
	addAction(t, actions, &surveys.Action{Said: surveys.Text{"en": "SECRET unpublished words."}, Did: surveys.Text{"en": "Not yet agreed."},
		Owner: "Someone", Status: surveys.ActionInProgress, Themes: []string{"activities"}, Surveys: []string{draftSlug}, Publish: false})
}

// cards returns the text of each action on the page, in order.
func cards(doc *html.Node) []string {
	var out []string
	for _, li := range all(doc, func(n *html.Node) bool { return n.Data == "li" && strings.Contains(attr(n, "class"), "action ") }) {
		out = append(out, text(li))
	}
	return out
}

func TestYouSaidWeDid(t *testing.T) {
	t.Parallel()
	e, actions := actionsEnv(t)
	sampleActions(t, actions)
	r := e.get(t, "/you-said-we-did")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	if strings.Contains(r.body, "SECRET") || strings.Contains(r.body, "A draft survey") {
		t.Error("the page shows an unpublished action, or a draft survey")
	}
	doc := parse(t, r)
	got := cards(doc)
	if len(got) != 3 {
		t.Fatalf("%d actions shown, want 3: %q", len(got), got)
	}
	for i, want := range [][]string{
		{"Planned", "You said: There is nothing to do at weekends.", "What we will do: A Saturday youth club is opening.", "Who will do it: Participation team", "To be done by 31 March 2027", "About: Things to do"},
		{"Done", "What we did: Online safety sessions", "Done on 23 November 2026", "About: Feeling safe, Phones and online"},
		{"Not possible", "What we looked into: We asked for a new bus route.", "Why we can't: The bus company would not change the route.", "Decided on 23 November 2026"},
	} {
		for _, w := range want {
			if !strings.Contains(got[i], w) {
				t.Errorf("action %d %q lacks %q", i+1, got[i], w)
			}
		}
	}
	// Each status has its own picture, hidden from screen readers, with
	// the status written beside it.
	pictures := all(doc, func(n *html.Node) bool {
		return n.Data == "svg" && strings.Contains(attr(n, "class"), "action__picture")
	})
	if len(pictures) != 3 {
		t.Fatalf("%d pictures, want 3", len(pictures))
	}
	shapes := map[string]bool{}
	for _, svg := range pictures {
		if attr(svg, "aria-hidden") != "true" || attr(svg, "focusable") != "false" {
			t.Error("a status picture is not hidden from screen readers")
		}
		var b strings.Builder
		if err := html.Render(&b, svg); err != nil {
			t.Fatal(err)
		}
		shapes[b.String()] = true
	}
	if len(shapes) != 3 {
		t.Error("two statuses have the same picture")
	}
	// The filter is a plain GET form.
	form := first(doc, byTag("form"))
	if attr(form, "method") != "get" || attr(form, "action") != "/you-said-we-did" ||
		byID(doc, "filter-survey") == nil || attr(byID(doc, "filter-survey"), "name") != "survey" || attr(byID(doc, "filter-theme"), "name") != "theme" {
		t.Error("the filter is not a GET form of survey and theme")
	}
	// It offers the surveys and themes published actions are about, and
	// never a draft.
	options := func(id string) []string {
		var out []string
		for _, o := range all(byID(doc, id), byTag("option")) {
			out = append(out, attr(o, "value"))
		}
		return out
	}
	if got, want := strings.Join(options("filter-survey"), " "), " "+closedSlug+" "+surveytest.Slug; got != want {
		t.Errorf("survey choices %q, want %q", got, want)
	}
	if got, want := strings.Join(options("filter-theme"), " "), " activities transport safety digital"; got != want {
		t.Errorf("theme choices %q, want %q", got, want)
	}
}

func TestYouSaidWeDidFilters(t *testing.T) {
	t.Parallel()
	e, actions := actionsEnv(t)
	sampleActions(t, actions)
	cases := []struct {
		query   string
		status  int
		want    []string // the start of what each card says
		message string
	}{
		{"?survey=" + surveytest.Slug, 200, []string{"Planned", "Done"}, ""},
		{"?survey=" + closedSlug, 200, []string{"Not possible"}, ""},
		{"?theme=activities", 200, []string{"Planned"}, ""},
		{"?theme=safety&survey=" + surveytest.Slug, 200, []string{"Done"}, ""},
		{"?theme=money", 200, nil, "Nothing matches what you chose."},
		{"?theme=transport&survey=" + surveytest.Slug, 200, nil, "Nothing matches what you chose."},
		{"?survey=no-such-survey", 404, []string{"Planned", "Done", "Not possible"}, "We don't know that survey."},
		{"?survey=" + draftSlug, 404, []string{"Planned", "Done", "Not possible"}, "We don't know that survey."},
		{"?theme=space_travel", 404, []string{"Planned", "Done", "Not possible"}, "We don't know that topic."},
		{"?theme=" + strings.Repeat("x", 2000), 404, []string{"Planned", "Done", "Not possible"}, "We don't know that topic."},
		{"?survey=%3Cscript%3E&theme=activities", 404, []string{"Planned"}, "We don't know that survey."},
	}
	for _, tc := range cases {
		r := e.get(t, "/you-said-we-did"+tc.query)
		if r.status != tc.status {
			t.Errorf("%.40s: status %d, want %d", tc.query, r.status, tc.status)
		}
		doc := parse(t, r)
		got := cards(doc)
		if len(got) != len(tc.want) {
			t.Errorf("%.40s: %d actions, want %d", tc.query, len(got), len(tc.want))
			continue
		}
		for i := range got {
			if !strings.HasPrefix(got[i], tc.want[i]) {
				t.Errorf("%.40s: action %d is %.40q, want %s", tc.query, i+1, got[i], tc.want[i])
			}
		}
		if !strings.Contains(text(byID(doc, "main")), tc.message) {
			t.Errorf("%.40s: the page does not say %q", tc.query, tc.message)
		}
		if tc.status == 404 {
			alert := first(doc, func(n *html.Node) bool { return attr(n, "role") == "alert" })
			if !strings.Contains(text(alert), tc.message) || !strings.HasPrefix(text(first(doc, byTag("title"))), "Error: ") {
				t.Errorf("%.40s: the problem is not in an alert, or the title does not start with Error", tc.query)
			}
		}
		if strings.Contains(r.body, "<script>") || strings.Contains(r.body, "SECRET") {
			t.Errorf("%.40s: the page shows what it must not", tc.query)
		}
	}
}

func TestYouSaidWeDidLanguages(t *testing.T) {
	t.Parallel()
	e, actions := actionsEnv(t)
	sampleActions(t, actions)

	r := e.get(t, "/you-said-we-did?lang=pl&survey="+surveytest.Slug)
	doc, err := html.Parse(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	checkPageIn(t, doc, "pl")
	got := cards(doc)
	if len(got) != 2 {
		t.Fatalf("%d actions, want 2", len(got))
	}
	for _, want := range []string{"Zaplanowane", "Powiedzieliście: W weekendy nie ma co robić.", "Do zrobienia do 31 marca 2027", "Temat: Co robić w wolnym czasie"} {
		if !strings.Contains(got[0], want) {
			t.Errorf("the Polish page's action %q lacks %q", got[0], want)
		}
	}
	// What has no Polish is shown in English, marked as English.
	did := first(doc, func(n *html.Node) bool { return n.Data == "span" && text(n) == "A Saturday youth club is opening." })
	if attr(did, "lang") != "en" {
		t.Error("English in the Polish page is not marked lang=\"en\"")
	}
	// The filter keeps the language.
	if lang := first(doc, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "lang" }); attr(lang, "value") != "pl" {
		t.Error("the filter form does not carry ?lang=pl")
	}

	r = e.get(t, "/you-said-we-did?lang=ar")
	doc, err = html.Parse(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	checkPageIn(t, doc, "ar")
	if got := cards(doc); len(got) != 3 || !strings.Contains(got[0], "مخطط له") || !strings.Contains(got[0], "31 مارس 2027") {
		t.Errorf("the Arabic page: %q", got)
	}
	r = e.getIn(t, "/you-said-we-did?theme=nope", "pl")
	if r.status != 404 || !strings.Contains(r.body, "Nie znamy tego tematu.") {
		t.Errorf("an unknown theme in Polish: %d", r.status)
	}
}

func TestYouSaidWeDidEmpty(t *testing.T) {
	t.Parallel()
	e, actions := actionsEnv(t)
	addAction(t, actions, &surveys.Action{Said: surveys.Text{"en": "Unpublished."}, Did: surveys.Text{"en": "x"}, Owner: "Team",
		Status: surveys.ActionDone})
	r := e.get(t, "/you-said-we-did")
	doc := parse(t, r)
	if r.status != 200 || len(cards(doc)) != 0 || !strings.Contains(text(byID(doc, "main")), "There is nothing here yet. When Knowsley Council has done something") {
		t.Errorf("with nothing published: %d %s", r.status, text(byID(doc, "main")))
	}
}

// Without actions configured, the page is not found.
func TestYouSaidWeDidOff(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	e.app.Get("/you-said-we-did", e.pages.Headers, e.pages.YouSaidWeDid)
	if r := e.get(t, "/you-said-we-did"); r.status != 404 {
		t.Errorf("status %d, want 404", r.status)
	}
}
