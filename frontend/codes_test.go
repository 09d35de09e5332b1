package frontend_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/frontend"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

const codedSlug = "coded"

// codedSurvey makes the fixture survey, needing an access code, and
// returns codes for it.
func codedSurvey(t *testing.T, e *env, n int) []string {
	t.Helper()
	d := surveytest.Definition(t)
	d.Slug, d.RequireCode = codedSlug, true
	e.create(t, d, surveys.StatusOpen)
	_, codes, err := e.codes.Generate(testCtx(t), codedSlug, n, "test")
	if err != nil {
		t.Fatal(err)
	}
	return codes
}

// versionLinks returns the links to the survey's versions on a page.
func versionLinks(doc *html.Node) []string {
	var out []string
	for _, a := range all(byID(doc, "main"), func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "big-link") }) {
		out = append(out, attr(a, "href"))
	}
	return out
}

func codeError(doc *html.Node) string {
	return strings.TrimSpace(strings.TrimPrefix(text(byID(doc, "code-error")), "Error:"))
}

func TestAccessCodeOnTheWelcomePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	codes := codedSurvey(t, e, 3)
	welcome := "/s/" + codedSlug

	t.Run("asked for first", func(t *testing.T) {
		doc := parse(t, e.get(t, welcome))
		if links := versionLinks(doc); len(links) != 0 {
			t.Errorf("before a code, the page offers %v", links)
		}
		form := first(doc, func(n *html.Node) bool { return n.Data == "form" && attr(n, "class") == "code-form" })
		if form == nil || attr(form, "method") != "get" || attr(form, "action") != welcome {
			t.Fatal("no GET form to type the code")
		}
		in := byID(doc, "code")
		for name, want := range map[string]string{"name": "code", "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "type": "text"} {
			if got := attr(in, name); got != want {
				t.Errorf("the code box has %s=%q, want %q", name, got, want)
			}
		}
		if hasAttr(in, "maxlength") || hasAttr(in, "pattern") {
			t.Error("the code box limits what can be typed; the server accepts any case, spaces and dashes")
		}
		if !strings.Contains(text(byID(doc, "code-hint")), "7KM-3PX-Q9R") {
			t.Error("the hint shows no example of a code")
		}
	})

	t.Run("a code that works, typed any way", func(t *testing.T) {
		typed := strings.ToLower(surveys.FormatCode(codes[0])) // "7km-3px-q9r"
		typed = strings.Replace(typed, "-", " ", 1)
		r := e.get(t, welcome+"?code="+url.QueryEscape(typed))
		if r.status != http.StatusOK {
			t.Fatalf("status %d", r.status)
		}
		doc := parse(t, r)
		want := []string{welcome + "/8-11?code=" + codes[0], welcome + "/11-18?code=" + codes[0]}
		if got := versionLinks(doc); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("version links %v, want %v (carrying the code)", got, want)
		}
		if !strings.Contains(text(doc), "Your code "+surveys.FormatCode(codes[0])+" works.") {
			t.Error("the page does not say the code works")
		}
	})

	t.Run("a code that is not one", func(t *testing.T) {
		r := e.get(t, welcome+"?code=AAAAAAAAA")
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", r.status)
		}
		doc := parse(t, r)
		if got := codeError(doc); got != "We don't recognise that code. Please check it against your card and try again." {
			t.Errorf("message %q", got)
		}
		if !strings.HasPrefix(text(first(doc, byTag("title"))), "Error:") {
			t.Error("the title does not start with Error:")
		}
		if attr(byID(doc, "code"), "value") != "AAAAAAAAA" || attr(byID(doc, "code"), "aria-invalid") != "true" {
			t.Error("the code typed is not kept to correct, or not marked invalid")
		}
		if len(versionLinks(doc)) != 0 {
			t.Error("a wrong code offers the versions")
		}
	})

	t.Run("no code typed", func(t *testing.T) {
		doc := parse(t, e.get(t, welcome+"?code=+"))
		if got := codeError(doc); got != "Please type the code from your card." {
			t.Errorf("message %q", got)
		}
	})

	t.Run("in Polish", func(t *testing.T) {
		r := e.get(t, welcome+"?code=AAAAAAAAA&lang=pl")
		doc, _ := html.Parse(strings.NewReader(r.body))
		if got := strings.TrimSpace(strings.TrimPrefix(text(byID(doc, "code-error")), "Błąd:")); got != "Nie rozpoznajemy tego kodu. Porównaj go z kodem na karcie i spróbuj ponownie." {
			t.Errorf("message %q", got)
		}
		if attr(first(doc, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "lang" }), "value") != "pl" {
			t.Error("the code form does not keep the language")
		}
	})
}

func TestAccessCodeCarriedToTheAnswers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	codes := codedSurvey(t, e, 2)
	form := "/s/" + codedSlug + "/11-18"

	// Without a code, the form sends the young person to type one.
	r := e.get(t, form+"?lang=pl")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/s/"+codedSlug+"?lang=pl" {
		t.Errorf("the form without a code: status %d to %q, want 303 to the welcome page", r.status, r.header.Get("Location"))
	}
	// With a wrong one, it says so, on the welcome page.
	if r := e.get(t, form+"?code=AAAAAAAAA"); r.status != http.StatusUnprocessableEntity || codeError(parse(t, r)) == "" {
		t.Errorf("the form with a wrong code: status %d", r.status)
	}

	r = e.get(t, form+"?code="+codes[0])
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	doc := parse(t, r)
	hidden := first(doc, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "code" })
	if hidden == nil || attr(hidden, "type") != "hidden" || attr(hidden, "value") != codes[0] {
		t.Fatal("the form carries no hidden code")
	}
	if got := attr(byID(doc, "answers"), "data-code"); got != codes[0] {
		t.Errorf("data-code %q, want the code for the script", got)
	}

	answers := validAnswers(frontend.NewUUID())
	answers.Set("code", strings.ToLower(codes[0]))
	if r := e.post(t, form, answers); r.status != http.StatusCreated {
		t.Fatalf("sending with the code: status %d\n%s", r.status, r.body)
	}
	// The same answers again (a refresh) are a retry, not a second use.
	if r := e.post(t, form, answers); r.status != http.StatusOK {
		t.Errorf("the same again: status %d, want 200", r.status)
	}

	// Now the code is used: on the welcome page...
	r = e.get(t, "/s/"+codedSlug+"?code="+codes[0])
	if r.status != http.StatusConflict {
		t.Errorf("a used code: status %d, want 409", r.status)
	}
	if got := codeError(parse(t, r)); !strings.HasPrefix(got, "That code has already been used.") {
		t.Errorf("a used code: %q", got)
	}
	// ...and when other answers are sent with it, kindly, keeping them,
	// with a box for a new code.
	other := validAnswers(frontend.NewUUID())
	other.Set("code", codes[0])
	r = e.post(t, form, other)
	if r.status != http.StatusConflict {
		t.Fatalf("other answers with a used code: status %d, want 409", r.status)
	}
	doc = parse(t, r)
	if got := codeError(doc); !strings.HasPrefix(got, "That code has already been used.") {
		t.Errorf("message beside the code %q", got)
	}
	summary := first(doc, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "error-summary") })
	if first(summary, func(n *html.Node) bool { return attr(n, "href") == "#code" }) == nil {
		t.Error("the error summary does not link to the code box")
	}
	if got := keptValues(doc, "q.talk_who"); len(got) != 1 || got[0] != "My foster carer" {
		t.Errorf("answers not kept: %q", got)
	}
	// A new code, typed in the box, sends them.
	other.Set("code", codes[1])
	if r := e.post(t, form, other); r.status != http.StatusCreated {
		t.Errorf("with a new code: status %d", r.status)
	}
	if n, _ := e.tallied(t, codedSlug, "11-18"); n != 2 {
		t.Errorf("%d responses stored, want 2", n)
	}

	// Without a code, nothing is stored and the code is asked for.
	none := validAnswers(frontend.NewUUID())
	r = e.post(t, form, none)
	if r.status != http.StatusUnprocessableEntity || codeError(parse(t, r)) != "Please type the code from your card." {
		t.Errorf("no code: status %d", r.status)
	}
}

// Wrong codes are counted against the client, with the limiter the API
// shares: once it has used them up, a kind page says to wait, even for a
// code that works.
func TestTooManyWrongCodes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	codes := codedSurvey(t, e, 1)
	welcome := "/s/" + codedSlug
	// No code typed, or a used one, is not a guess: it does not count.
	if r := e.get(t, welcome+"?code="); r.status != http.StatusUnprocessableEntity || e.attempts.Len() != 0 {
		t.Errorf("no code: status %d, %d clients counted", r.status, e.attempts.Len())
	}
	for i := 0; i < e.attempts.Max; i++ {
		if r := e.get(t, welcome+"?code=AAAAAAAA"+string(rune('A'+i))); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code %d: status %d", i+1, r.status)
		}
	}
	for _, path := range []string{welcome + "?code=" + codes[0], welcome + "/11-18?code=" + codes[0]} {
		r := e.get(t, path)
		if r.status != http.StatusTooManyRequests {
			t.Fatalf("%s after too many: status %d, want 429", path, r.status)
		}
		doc := parse(t, r)
		if h1 := text(first(doc, byTag("h1"))); h1 != "Too many tries" {
			t.Errorf("h1 %q", h1)
		}
		if !strings.Contains(text(doc), "Please wait 15 minutes, then try again.") {
			t.Errorf("the page does not say how long to wait: %q", text(byID(doc, "main")))
		}
		if r.header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
	}
	// Answers sent with a code meanwhile are kept on the page, to send later.
	answers := validAnswers(frontend.NewUUID())
	answers.Set("code", codes[0])
	r := e.post(t, welcome+"/11-18", answers)
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("sending while blocked: status %d, want 429", r.status)
	}
	if got := keptValues(parse(t, r), "q.better"); len(got) != 1 || got[0] != "More trips out" {
		t.Errorf("answers not kept: %q", got)
	}
}

// A wrong code sent with the answers counts too, as it does through the API.
func TestWrongCodeAtSubmissionCounts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testHelp)
	codedSurvey(t, e, 1)
	answers := validAnswers(frontend.NewUUID())
	answers.Set("code", "AAAAAAAAA")
	r := e.post(t, "/s/"+codedSlug+"/11-18", answers)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.status)
	}
	if got := codeError(parse(t, r)); got != "We don't recognise that code. Please check it against your card and try again." {
		t.Errorf("message %q", got)
	}
	if e.attempts.Len() != 1 {
		t.Errorf("%d clients counted, want 1", e.attempts.Len())
	}
}
