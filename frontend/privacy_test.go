package frontend_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/frontend"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
)

// privacyQuestions are the notice's headings, in order: the questions a
// young person asks.
var privacyQuestions = []string{
	"What do we keep?",
	"How long do we keep it?",
	"Who sees it?",
	"Can anyone find out it was me?",
	"What if I'm worried or want to ask something?",
}

// newPrivacyEnv is an env whose pages read the settings from the database,
// saved first as save says (nil: never saved, so the defaults are in
// force).
func newPrivacyEnv(t *testing.T, defaults surveys.Settings, save func(*surveys.Settings)) *env {
	t.Helper()
	return newEnvWith(t, frontend.HelpLine{}, func(e *env, cfg *frontend.Config) {
		ctx := surveys.NewContextWithUser(testCtx(t), &surveys.User{Email: "admin@council.example", Role: surveys.RoleAdmin})
		clock := func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }
		svc := &surveys.SettingsService{Store: mongo.NewSettingsStore(e.db), Defaults: defaults, TTL: time.Minute, Now: clock,
			Audit: &surveys.AuditLog{Store: mongo.NewAuditStore(e.db), Now: clock}}
		if save != nil {
			st, err := svc.Current(ctx)
			if err != nil {
				t.Fatal(err)
			}
			save(st)
			if _, err := svc.Save(ctx, st.Revision, st); err != nil {
				t.Fatalf("save settings: %v\n%v", err, surveys.ErrorFields(err))
			}
		}
		cfg.Settings = svc
	})
}

// headings returns the text of the page's h2 headings in <main>.
func headings(doc *html.Node) []string {
	var out []string
	for _, h := range all(byID(doc, "main"), byTag("h2")) {
		out = append(out, text(h))
	}
	return out
}

// With nothing configured but the council's name, the notice reads well in
// Heard's own words: the default periods and threshold, the council named,
// and the people on the help page to ask.
func TestPrivacyPageDefaults(t *testing.T) {
	t.Parallel()
	e := newPrivacyEnv(t, surveys.Settings{CouncilName: "Knowsley Council", Threshold: surveys.DefaultThreshold}, nil)
	r := e.get(t, "/privacy")
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200", r.status)
	}
	doc := parse(t, r)
	if got := text(first(doc, byTag("h1"))); got != "Your privacy" {
		t.Errorf("h1 %q", got)
	}
	if got := headings(doc); !slices.Equal(got, privacyQuestions) {
		t.Errorf("headings %q, want %q", got, privacyQuestions)
	}
	body := text(byID(doc, "main"))
	for _, want := range []string{
		"what Knowsley Council keeps",
		"usually for 2 years after the survey ends",   // DefaultResponseMonths
		"for 1 year after the safeguarding team",      // DefaultContactMonths
		"for 6 years after the safeguarding team",     // DefaultSafeguardingMonths
		"If fewer than 5 young people gave an answer", // the threshold
		"“fewer than 5”",
		"ask an adult you trust, like your carer, a teacher, your social worker or your personal adviser. They can ask Knowsley Council for you.",
		"An adult you trust can ask Knowsley Council to put you in touch with them.",
		"only keep these if you ask",
		"we tell a safeguarding lead straight away",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	help := first(byID(doc, "main"), func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == "/help" })
	if help == nil || text(help) != "get help now" {
		t.Error(`the page has no "get help now" link to /help`)
	}
	if byID(doc, "privacy-more") != nil {
		t.Error("a council that added nothing has a section of its words")
	}
	link := privacyLink(doc)
	if link == nil || attr(link, "aria-current") != "page" {
		t.Error(`on the privacy page, its footer link is not aria-current="page"`)
	}
	if strings.Contains(r.body, "style=") {
		t.Error("the page has an inline style, which the CSP forbids")
	}
}

// Without a settings service (a tool, a test) the page still shows, with
// the defaults and the configured council.
func TestPrivacyPageWithoutSettings(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	r := e.get(t, "/privacy")
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200", r.status)
	}
	body := text(byID(parse(t, r), "main"))
	for _, want := range []string{"Knowsley Council", "2 years", "fewer than 5"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// The council's words and periods, as an admin saved them, are what the
// page says, escaped; in another language they are marked as English.
func TestPrivacyPageConfigured(t *testing.T) {
	t.Parallel()
	e := newPrivacyEnv(t, surveys.Settings{CouncilName: "Knowsley Council", Threshold: 5}, func(st *surveys.Settings) {
		st.CouncilName = "Knowsley <b>Council</b>"
		st.Threshold = 7
		st.Retention = surveys.RetentionPolicy{ResponseMonths: 18, ContactMonths: 1, SafeguardingMonths: 84}
		st.Privacy = surveys.PrivacyWords{
			Contact: `Email privacy@knowsley.gov.uk or ask your social worker <script>alert("x")</script>`,
			DPO:     "Data Protection Officer, PO Box 21 & Co, dpo@knowsley.gov.uk",
			Extra:   "We also use <i>Heard</i> for school councils.\n\nAsk us anything.",
		}
	})
	r := e.get(t, "/privacy")
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200", r.status)
	}
	doc := parse(t, r)
	for _, bad := range []string{"<script>alert", "<i>Heard</i>", "<b>Council</b>"} {
		if strings.Contains(r.body, bad) {
			t.Errorf("the page has %q unescaped", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "PO Box 21 &amp; Co", "&lt;i&gt;Heard&lt;/i&gt;"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the page lacks %q, escaped", want)
		}
	}
	body := text(byID(doc, "main"))
	for _, want := range []string{
		"usually for 18 months after the survey ends",
		"for 1 month after the safeguarding team",
		"for 7 years after the safeguarding team",
		"If fewer than 7 young people gave an answer",
		`If you have a question about what we keep: Email privacy@knowsley.gov.uk or ask your social worker <script>alert("x")</script>`,
		"You can reach them here: Data Protection Officer, PO Box 21 & Co, dpo@knowsley.gov.uk",
		"Ask us anything.",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, notWant := range []string{"2 years", "fewer than 5", "ask an adult you trust", "put you in touch"} {
		if strings.Contains(body, notWant) {
			t.Errorf("the page still has the default %q", notWant)
		}
	}
	more := byID(doc, "privacy-more")
	if more == nil || len(all(more.Parent, byTag("p"))) != 2 {
		t.Error("the council's extra words are not two paragraphs under their own heading")
	}
	if got := headings(doc); !slices.Equal(got[:len(privacyQuestions)], privacyQuestions) {
		t.Errorf("headings %q", got)
	}

	// In Arabic, right to left: the fixed words translated, the council's
	// marked as English.
	r = e.get(t, "/privacy?lang=ar")
	doc = parse2(t, r, "ar")
	if got := text(first(doc, byTag("h1"))); got != "خصوصيتك" {
		t.Errorf("Arabic h1 %q", got)
	}
	marked := all(byID(doc, "main"), func(n *html.Node) bool { return attr(n, "lang") == "en" })
	if len(marked) != 4 { // the contact, the DPO and two paragraphs
		t.Errorf("%d elements marked as English, want 4", len(marked))
	}
	for _, want := range []string{"18 شهرًا", "7 سنوات", "شهر واحد"} {
		if !strings.Contains(text(byID(doc, "main")), want) {
			t.Errorf("the Arabic page lacks %q", want)
		}
	}
	if l := privacyLink(doc); l == nil || attr(l, "href") != "/privacy?lang=ar" {
		t.Error("the Arabic page's privacy link does not keep the language")
	}
}

// privacyLink is the footer's link to the privacy notice.
func privacyLink(doc *html.Node) *html.Node {
	footer := first(doc, byTag("footer"))
	if footer == nil {
		return nil
	}
	return first(footer, func(n *html.Node) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "/privacy") })
}

// parse2 parses a page in a language and runs the checks every page must
// pass.
func parse2(t *testing.T, r result, lang string) *html.Node {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200", r.status)
	}
	doc, err := html.Parse(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	checkPageIn(t, doc, lang)
	return doc
}
