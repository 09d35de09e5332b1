package api_test

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

// structuralControl matches the controls only a draft's editor has.
var structuralControl = regexp.MustCompile(`name="versions\.\d+\.(new_key|new_type|questions\.\d+\.(key|type|section|required|breakdown|remove|min|max|max_length|max_choices|show_if\.\w+|choices\.\d+\.(key|remove|favourable)))"|value="(add-question|add-choice|up|down):`)

const editPath = "/staff/surveys/" + surveytest.Slug + "/edit"

// editOpen loads the editor as who and returns the page and the form as a
// browser would send it.
func (h *harness) editOpen(who *staff) (response, url.Values) {
	h.t.Helper()
	res := h.do(request{method: "GET", path: editPath, as: who, noCSRF: true})
	if res.status != 200 {
		h.t.Fatalf("GET %s: %d %.300s", editPath, res.status, res.body)
	}
	return res, editFormValues(h.t, res.body)
}

// editSend posts the editor's form with the button action pressed.
func (h *harness) editSend(who *staff, form url.Values, action string) response {
	h.t.Helper()
	form = cloneValues(form)
	form.Set("action", action)
	return h.do(request{method: "POST", path: editPath, as: who, noCSRF: true,
		ctype: "application/x-www-form-urlencoded", body: form.Encode()})
}

// editStep presses a button that shows the form again and returns the
// form as it now is.
func (h *harness) editStep(who *staff, form url.Values, action string) (response, url.Values) {
	h.t.Helper()
	res := h.editSend(who, form, action)
	if res.status != 200 {
		h.t.Fatalf("%s: %d %.500s", action, res.status, res.body)
	}
	return res, editFormValues(h.t, res.body)
}

func (h *harness) storedSurvey() *surveys.Survey {
	h.t.Helper()
	s, err := h.catalog.Store.FindSurvey(context.Background(), surveytest.Slug)
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// editFormValues serialises the editor's form as a browser does: inputs,
// ticked boxes and radios, textareas and selected options; no buttons.
func editFormValues(t *testing.T, body []byte) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	form := pageFind(doc, func(n *html.Node) bool {
		return n.Data == "form" && strings.Contains(pageAttr(n, "class"), "edit-form")
	})
	if form == nil {
		t.Fatalf("no editor form in %.500s", body)
	}
	values := url.Values{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name := pageAttr(n, "name")
			switch n.Data {
			case "input":
				switch pageAttr(n, "type") {
				case "checkbox", "radio":
					if pageHas(n, "checked") {
						values.Add(name, pageAttr(n, "value"))
					}
				case "submit", "button":
				default:
					values.Add(name, pageAttr(n, "value"))
				}
			case "textarea":
				values.Add(name, editText(n))
			case "select":
				var chosen, first *html.Node
				for o := n.FirstChild; o != nil; o = o.NextSibling {
					if o.Type == html.ElementNode && o.Data == "option" {
						if first == nil {
							first = o
						}
						if pageHas(o, "selected") {
							chosen = o
						}
					}
				}
				if chosen == nil {
					chosen = first
				}
				if chosen != nil {
					values.Add(name, pageAttr(chosen, "value"))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(form)
	return values
}

func editText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func editByID(t *testing.T, body []byte, id string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	return pageFind(doc, func(n *html.Node) bool { return pageAttr(n, "id") == id })
}

// checkFieldError checks that the input with id is marked invalid, that
// its error is beside it and says want, and that the error summary links
// to it.
func checkFieldError(t *testing.T, body []byte, id, want string) {
	t.Helper()
	input := editByID(t, body, id)
	if input == nil {
		t.Errorf("no field %s", id)
		return
	}
	if pageAttr(input, "aria-invalid") != "true" || !strings.Contains(pageAttr(input, "aria-describedby"), id+"-error") {
		t.Errorf("%s: aria-invalid %q, aria-describedby %q", id, pageAttr(input, "aria-invalid"), pageAttr(input, "aria-describedby"))
	}
	msg := editByID(t, body, id+"-error")
	if msg == nil || !strings.Contains(pageAttr(msg, "class"), "field-error") || !strings.Contains(editText(msg), want) {
		t.Errorf("%s: error beside it is %v, want one saying %q", id, msg != nil, want)
	}
	summary := editByID(t, body, "error-summary")
	if summary == nil || pageFind(summary, func(n *html.Node) bool { return n.Data == "a" && pageAttr(n, "href") == "#"+id }) == nil {
		t.Errorf("%s: the error summary does not link to it", id)
	}
}

func TestEditorRoles(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusDraft)
	for _, role := range surveys.Roles {
		who := h.signIn(role)
		allowed := role == surveys.RoleAdmin || role == surveys.RoleAnalyst
		get := h.do(request{method: "GET", path: editPath, as: &who, noCSRF: true})
		revision := strconv.Itoa(h.storedSurvey().Revision)
		form := url.Values{"_csrf": {who.csrf}, "revision": {revision}, "title.en": {"Changed by " + string(role)}}
		post := h.do(request{method: "POST", path: editPath, as: &who, noCSRF: true,
			ctype: "application/x-www-form-urlencoded", body: form.Encode()})
		if allowed {
			if get.status != 200 || !isStaffPage(get, "Save changes") {
				t.Errorf("%s: GET %d, want the editor", role, get.status)
			}
			if post.status != 303 {
				t.Errorf("%s: POST %d %.300s, want 303", role, post.status, post.body)
			}
			continue
		}
		for _, res := range []response{get, post} {
			if res.status != 403 || !isStaffPage(res, "You cannot open this page") {
				t.Errorf("%s: %d, want the 403 page", role, res.status)
			}
		}
	}
	if got := h.storedSurvey().Title.In("en"); got != "Changed by analyst" && got != "Changed by admin" {
		t.Errorf("title %q: a refused role changed the survey", got)
	}

	// Not signed in: to the sign-in page, coming back after.
	res := h.do(request{method: "GET", path: editPath})
	if res.status != 303 || res.headers.Get("Location") != "/staff/sign-in?next="+url.QueryEscape(editPath) {
		t.Errorf("anonymous GET: %d to %q", res.status, res.headers.Get("Location"))
	}
	res = h.do(request{method: "POST", path: editPath, ctype: "application/x-www-form-urlencoded", body: "title.en=x"})
	if res.status != 303 || !strings.HasPrefix(res.headers.Get("Location"), "/staff/sign-in") {
		t.Errorf("anonymous POST: %d to %q", res.status, res.headers.Get("Location"))
	}
}

func TestEditorNeedsCSRF(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusDraft)
	admin := h.signIn(surveys.RoleAdmin)
	_, form := h.editOpen(&admin)
	form.Set("title.en", "Forged")
	for name, token := range map[string]string{"no token": "", "wrong token": "forged"} {
		f := cloneValues(form)
		if token == "" {
			f.Del("_csrf")
		} else {
			f.Set("_csrf", token)
		}
		res := h.do(request{method: "POST", path: editPath, as: &admin, noCSRF: true,
			ctype: "application/x-www-form-urlencoded", body: f.Encode()})
		if res.status != 403 || !isStaffPage(res, "security token") {
			t.Errorf("%s: %d, want the 403 page", name, res.status)
		}
	}
	if s := h.storedSurvey(); s.Revision != 1 || s.Title.In("en") == "Forged" {
		t.Errorf("a refused form changed the survey: revision %d, title %q", s.Revision, s.Title.In("en"))
	}
}

// A draft can change in every way: wording in two languages, a new
// question, a choice removed, the order; the buttons show the form again
// without saving, keeping what was typed.
func TestEditorDraft(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusDraft)
	analyst := h.signIn(surveys.RoleAnalyst)
	page, form := h.editOpen(&analyst)
	body := string(page.body)
	for _, want := range []string{
		`name="versions.0.questions.0.choices.0.key"`, `name="versions.0.new_key"`, `value="add-question:0"`,
		`value="add-choice:0:0"`, `value="up:0:1"`, `href="/staff/surveys/test-wellbeing/preview/8-11"`,
		// A question's heading is its text, with its key and kind once.
		`Question 2: Do you feel safe where you live? <span class="muted">(feel_safe, scale)</span>`, `name="versions.0.questions.2.show_if.json"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the draft's editor lacks %s", want)
		}
	}
	if strings.Contains(body, "only its wording can change") {
		t.Error("a draft's editor says only wording can change")
	}

	// Type into the form, then add Polish: nothing is saved, and what
	// was typed is kept.
	form.Set("title.en", "How are things this year?")
	form.Set("add_lang", "pl")
	res, form := h.editStep(&analyst, form, "add-language")
	if !strings.Contains(string(res.body), `id="f-versions-0-questions-1-text-pl"`) || form.Get("title.en") != "How are things this year?" {
		t.Fatalf("after adding Polish: Polish inputs %v, title %q", strings.Contains(string(res.body), `f-versions-0-questions-1-text-pl"`), form.Get("title.en"))
	}
	if h.storedSurvey().Revision != 1 {
		t.Fatal("adding a language saved the survey")
	}
	form.Set("title.pl", "Jak leci w tym roku?")
	form.Set("versions.0.questions.1.text.pl", "Czy czujesz się bezpiecznie tam, gdzie mieszkasz?")
	form.Set("versions.0.questions.1.text.en", "Do you feel safe at home?")

	// Add a question at the end of 8-11.
	form.Set("versions.0.new_type", "text")
	form.Set("versions.0.new_key", "anything_else")
	res, form = h.editStep(&analyst, form, "add-question:0")
	// With no text yet, its heading has only its number, key and kind.
	if !strings.Contains(string(res.body), `Question 6 <span class="muted">(anything_else, free text)</span>`) {
		t.Fatalf("the new question is not shown: %.300s", res.body)
	}
	if form.Get("versions.0.questions.1.text.pl") == "" {
		t.Fatal("adding a question lost the Polish typed before")
	}
	form.Set("versions.0.questions.5.text.en", "Is there anything else you want to tell us?")

	// Remove "south" from area, and move happy above why_unsafe.
	form.Set("versions.0.questions.0.choices.2.remove", "on")
	res, form = h.editStep(&analyst, form, "up:0:3")
	if !strings.Contains(string(res.body), `Question 3: How happy were you yesterday? <span class="muted">(happy, rating)</span>`) {
		t.Fatalf("happy did not move up")
	}

	res = h.editSend(&analyst, form, "save")
	if res.status != 303 || res.headers.Get("Location") != "/staff/surveys/test-wellbeing?done=saved" {
		t.Fatalf("save: %d to %q: %.2000s", res.status, res.headers.Get("Location"), res.body)
	}
	s := h.storedSurvey()
	v := s.Versions[0]
	keys := make([]string, len(v.Questions))
	for i, q := range v.Questions {
		keys[i] = q.Key
	}
	if want := []string{"area", "feel_safe", "happy", "why_unsafe", "better", "anything_else"}; !slices.Equal(keys, want) {
		t.Errorf("questions %v, want %v", keys, want)
	}
	checks := []struct{ name, got, want string }{
		{"title.en", s.Title["en"], "How are things this year?"},
		{"title.pl", s.Title["pl"], "Jak leci w tym roku?"},
		{"feel_safe.en", v.Questions[1].Text["en"], "Do you feel safe at home?"},
		{"feel_safe.pl", v.Questions[1].Text["pl"], "Czy czujesz się bezpiecznie tam, gdzie mieszkasz?"},
		{"anything_else type", string(v.Questions[5].Type), "text"},
		{"anything_else text", v.Questions[5].Text["en"], "Is there anything else you want to tell us?"},
		{"area choices", strconv.Itoa(len(v.Questions[0].Choices)), "2"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	// What the form did not change is as it was.
	if !v.Questions[1].Choices[0].Favourable || v.Questions[3].MaxChoices != 2 || v.Questions[3].ShowIf == nil ||
		*v.AgeMin != 8 || !v.Questions[0].Breakdown || s.Versions[1].Questions[4].Required != true {
		t.Errorf("fields the form did not change were lost: %+v", v)
	}
	if lo, hi := v.Questions[2].RatingRange(); lo != 0 || hi != 10 || v.Questions[2].MinLabel["en"] != "Not at all" {
		t.Errorf("happy's range %d-%d, label %q", lo, hi, v.Questions[2].MinLabel["en"])
	}
	if s.Revision != 2 {
		t.Errorf("revision %d, want 2", s.Revision)
	}
	entries, err := h.audit.Find(context.Background(), surveys.AuditFilter{Action: surveys.AuditSurveyEdit})
	if err != nil || len(entries) != 1 || entries[0].Actor != "analyst@council.example" || entries[0].Target != surveytest.Slug {
		t.Errorf("audit: %v %+v", err, entries)
	}
}

// Mistakes are shown beside their fields, with a summary linking to each;
// nothing is saved and what was typed is kept.
func TestEditorShowsMistakesBesideFields(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusDraft)
	admin := h.signIn(surveys.RoleAdmin)
	_, form := h.editOpen(&admin)
	form.Set("versions.0.questions.0.choices.0.key", "north east")
	form.Set("versions.0.questions.1.text.en", "  ")
	form.Set("versions.0.questions.4.max_length", "lots")
	res := h.editSend(&admin, form, "save")
	if res.status != 422 {
		t.Fatalf("save with mistakes: %d, want 422", res.status)
	}
	checkFieldError(t, res.body, "f-versions-0-questions-0-choices-0-key", "may use only lower-case letters")
	checkFieldError(t, res.body, "f-versions-0-questions-1-text-en", "Is missing")
	checkFieldError(t, res.body, "f-versions-0-questions-4-max_length", "whole number")
	again := editFormValues(t, res.body)
	if again.Get("versions.0.questions.0.choices.0.key") != "north east" || again.Get("versions.0.questions.4.max_length") != "lots" {
		t.Errorf("typed values were not kept: %q %q", again.Get("versions.0.questions.0.choices.0.key"), again.Get("versions.0.questions.4.max_length"))
	}
	if s := h.storedSurvey(); s.Revision != 1 {
		t.Errorf("a refused save changed the survey (revision %d)", s.Revision)
	}

	// A condition written as JSON is checked by the domain too.
	_, form = h.editOpen(&admin)
	form.Set("versions.0.questions.2.show_if.json", `{"all": [{"question": "happy", "op": "eq", "value": "yes"}]}`)
	form.Set("versions.0.questions.2.show_if.mode", "json")
	res = h.editSend(&admin, form, "save")
	if res.status != 422 {
		t.Fatalf("bad condition: %d", res.status)
	}
	checkFieldError(t, res.body, "f-versions-0-questions-2-show_if-json", "does not come before this question")

	// A form the editor never makes is refused whole.
	_, form = h.editOpen(&admin)
	form.Set("versions.0.questions.999.text.en", "x")
	if res := h.editSend(&admin, form, "save"); res.status != 422 || !isStaffPage(res, "does not know") {
		t.Errorf("forged field: %d %.300s", res.status, res.body)
	}
}

// A survey that has been open changes only its wording; the page says why,
// and the domain refuses a forged change of a key.
func TestEditorOpenSurvey(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusOpen)
	admin := h.signIn(surveys.RoleAdmin)
	page, form := h.editOpen(&admin)
	body := string(page.body)
	if !strings.Contains(body, "This survey has been open, so only its wording can change. Changing questions or answers now would change what earlier answers mean. To change more, create next year&#39;s edition.") {
		t.Error("the open survey's editor does not say why only wording can change")
	}
	if m := structuralControl.FindString(body); m != "" {
		t.Errorf("the open survey's editor has %s", m)
	}
	for name := range form {
		if strings.HasSuffix(name, ".key") || strings.HasSuffix(name, ".type") || strings.HasSuffix(name, ".remove") {
			t.Errorf("the open survey's form sends %s", name)
		}
	}
	if !strings.Contains(body, "Shown only when feel_safe is one of sometimes, never.") {
		t.Error("the condition is not shown in words")
	}

	// Wording saves.
	form.Set("versions.1.questions.4.text.en", "Is there a grown-up you can talk to when you are worried?")
	form.Set("versions.1.questions.4.choices.1.label.en", "No, not really")
	res := h.editSend(&admin, form, "save")
	if res.status != 303 {
		t.Fatalf("wording change: %d %.1000s", res.status, res.body)
	}
	s := h.storedSurvey()
	if q := s.Versions[1].Questions[4]; q.Text["en"] != "Is there a grown-up you can talk to when you are worried?" || q.Choices[1].Label["en"] != "No, not really" || !q.Required {
		t.Errorf("stored %+v", q)
	}

	// A forged change of a choice's key is refused, with the reason.
	_, form = h.editOpen(&admin)
	form.Set("versions.0.questions.0.choices.0.key", "northern")
	res = h.editSend(&admin, form, "save")
	if res.status != 422 {
		t.Fatalf("key change: %d, want 422", res.status)
	}
	if !strings.Contains(string(res.body), "can change only its wording") || !strings.Contains(string(res.body), "cannot change once the survey has been open") {
		t.Errorf("the refusal does not explain: %.2000s", res.body)
	}
	if n := editByID(t, res.body, "f-versions-0-questions-0-choices-0-key-error"); n == nil {
		t.Error("the refusal is not beside the choice's key")
	}
	if got := h.storedSurvey(); got.Revision != s.Revision || got.Versions[0].Questions[0].Choices[0].Key != "north" {
		t.Errorf("the forged change was saved")
	}

	// So is a forged structural button.
	if res := h.editSend(&admin, form, "add-question:0"); res.status != 422 || !isStaffPage(res, "only its wording can change") {
		t.Errorf("forged add-question: %d", res.status)
	}
}

// Two people open the form at the same revision; the first saves; the
// second is told, sees the first person's version, and keeps what they
// typed.
func TestEditorConflict(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.addSurvey(surveys.StatusDraft)
	admin := h.signIn(surveys.RoleAdmin)
	analyst := h.signIn(surveys.RoleAnalyst)
	_, first := h.editOpen(&admin)
	_, second := h.editOpen(&analyst)

	first.Set("title.en", "The admin's title")
	if res := h.editSend(&admin, first, "save"); res.status != 303 {
		t.Fatalf("first save: %d %.500s", res.status, res.body)
	}

	second.Set("title.en", "The analyst's title")
	second.Set("versions.0.questions.1.text.en", "The analyst's question")
	res := h.editSend(&analyst, second, "save")
	if res.status != 409 {
		t.Fatalf("second save: %d, want 409", res.status)
	}
	body := string(res.body)
	if !strings.Contains(body, "Someone else saved this survey after you opened it") {
		t.Error("the conflict is not explained")
	}
	now := editFormValues(t, res.body)
	if now.Get("title.en") != "The admin's title" {
		t.Errorf("the form shows title %q, want the other person's", now.Get("title.en"))
	}
	if now.Get("revision") != "2" {
		t.Errorf("the form's revision is %q, want 2", now.Get("revision"))
	}
	for id, want := range map[string]string{
		"f-title-en-was":                       "The analyst's title",
		"f-versions-0-questions-1-text-en-was": "The analyst's question",
	} {
		n := editByID(t, res.body, id)
		if n == nil || !strings.Contains(editText(n), want) {
			t.Errorf("%s: the person's own text %q is not shown", id, want)
		}
	}
	if s := h.storedSurvey(); s.Title["en"] != "The admin's title" || s.Versions[0].Questions[1].Text["en"] != "Do you feel safe where you live?" {
		t.Errorf("stored title %q, question %q", s.Title["en"], s.Versions[0].Questions[1].Text["en"])
	}

	// Making the change again from the page shown saves it.
	now.Set("versions.0.questions.1.text.en", "The analyst's question")
	if res := h.editSend(&analyst, now, "save"); res.status != 303 {
		t.Fatalf("save after the conflict: %d %.500s", res.status, res.body)
	}
	if s := h.storedSurvey(); s.Title["en"] != "The admin's title" || s.Versions[0].Questions[1].Text["en"] != "The analyst's question" {
		t.Errorf("after both: title %q, question %q", s.Title["en"], s.Versions[0].Questions[1].Text["en"])
	}
}
