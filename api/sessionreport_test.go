package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// A session's PDF report through real HTTP: a facilitator runs a session
// with phones, records attendance and ends it, and the report has the
// figures the room made, suppressed, and nothing the room never saw.

// reportText reads a PDF's text back with poppler, as a person would.
func reportText(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (Debian package poppler-utils): %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// ranSession is a session a facilitator has run through the console with
// eleven phones, and ended.
func (h *harness) ranSession(fac *staff) *surveys.LiveSession {
	h.t.Helper()
	t := h.t
	s := h.liveFixture(false)
	console := "/staff/sessions/" + s.ID
	if res := h.form(fac, console+"/start", nil); res.status != http.StatusSeeOther {
		t.Fatalf("start: %d %s", res.status, res.body)
	}
	s, err := h.sessions.Find(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	var phones []*phone
	for range 11 {
		phones = append(phones, h.join(s.Code))
	}
	send := func(p *phone, v url.Values) {
		t.Helper()
		if res := p.send(v); res.status != http.StatusSeeOther {
			t.Fatalf("send %v: %d %s", v, res.status, res.body)
		}
	}
	// The poll: 6 say yes and 5 no.
	h.form(fac, console+"/act", url.Values{"do": {"open"}, "activity": {"poll"}})
	for i, p := range phones {
		send(p, url.Values{"id": {fmt.Sprint("v", i)}, "kind": {"vote"}, "activity": {"poll"}, "choice": {strconv.Itoa(min(i/6, 1))}})
	}
	// The board: an idea 5 others like, a worry, and a sweary post.
	h.form(fac, console+"/act", url.Values{"do": {"open"}, "activity": {"board"}})
	for i, text := range []string{"More trips out at weekends", "my stepdad hits me when hes angry", "the wifi is shit"} {
		send(phones[i], url.Values{"id": {fmt.Sprint("p", i)}, "kind": {"post"}, "activity": {"board"}, "text": {text}})
	}
	for i := 1; i <= 5; i++ {
		send(phones[i], url.Values{"id": {fmt.Sprint("l", i)}, "kind": {"like"}, "activity": {"board"}, "target": {"p0"}, "on": {"1"}})
	}
	// Attendance: 12 aged 8 to 11 and 3 aged 12 to 15.
	res := h.form(fac, console+"/attendance", url.Values{"revision": {strconv.Itoa(s.Revision)}, "band.8-11": {"12"}, "band.12-15": {"3"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("attendance: %d %s", res.status, res.body)
	}
	if res := h.form(fac, console+"/end", nil); res.status != http.StatusSeeOther {
		t.Fatalf("end: %d %s", res.status, res.body)
	}
	if s, err = h.sessions.Find(context.Background(), s.ID); err != nil {
		t.Fatal(err)
	}
	return s
}

// addVoices stores n comments of a session on its day, coded to a theme
// by a person.
func (h *harness) addVoices(session, theme string, n int) {
	h.t.Helper()
	var voices []*surveys.Voice
	for i := range n {
		voices = append(voices, &surveys.Voice{ID: surveys.VoiceID(surveys.ChannelSession, session, theme, strconv.Itoa(i)),
			Channel: surveys.ChannelSession, Source: surveys.VoiceSource{Session: session, Activity: surveys.PaperActivity},
			Text: "a note from paper", Day: "2026-11-23",
			Review: &surveys.VoiceReview{Themes: []string{theme}, Sentiment: surveys.Neutral, By: "fay@council.example"}})
	}
	if err := h.voices.AddVoices(context.Background(), voices); err != nil {
		h.t.Fatal(err)
	}
}

func TestSessionReportThroughHTTP(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	fac := h.signIn(surveys.RoleFacilitator)

	// A draft has nothing to report, and its console offers no report.
	draft := h.liveFixture(false)
	if res := h.do(request{method: "GET", path: "/staff/sessions/" + draft.ID + "/report.pdf", as: &fac}); res.status != http.StatusConflict {
		t.Errorf("report of a draft: %d", res.status)
	}
	if body := string(h.do(request{method: "GET", path: "/staff/sessions/" + draft.ID, as: &fac}).body); strings.Contains(body, "report.pdf") {
		t.Error("a draft's console offers a report")
	}
	if res := h.do(request{method: "GET", path: "/staff/sessions/no-such-session/report.pdf", as: &fac}); res.status != http.StatusNotFound {
		t.Errorf("report of no session: %d", res.status)
	}

	s := h.ranSession(&fac)
	// Notes from paper about school, and comments of another session the
	// same day about getting about, which are not this session's.
	h.addVoices(s.ID, "education", 6)
	h.addVoices("another-session", "transport", 6)

	path := "/staff/sessions/" + s.ID + "/report.pdf"
	if body := string(h.do(request{method: "GET", path: "/staff/sessions/" + s.ID, as: &fac}).body); !strings.Contains(body, `href="`+path+`"`) {
		t.Error("the ended session's console has no link to its report")
	}
	res := h.do(request{method: "GET", path: path, as: &fac})
	if res.status != http.StatusOK || res.headers.Get("Content-Type") != "application/pdf" {
		t.Fatalf("report: %d %s", res.status, res.headers.Get("Content-Type"))
	}
	if want := `attachment; filename="made-session-2026-11-23-` + s.ID + `.pdf"`; res.headers.Get("Content-Disposition") != want {
		t.Errorf("Content-Disposition %q, want %q", res.headers.Get("Content-Disposition"), want)
	}
	text := reportText(t, res.body)
	for _, want := range []string{
		"MADE North: Charter check", "Test Council", "23 November 2026", "Ended: the results are final",
		// 12 and 3 came: the 3 hides the 12, and the total stands.
		"15 young people came", "Aged 8 to 11 fewer than 5", "Aged 12 to 15 fewer than 5", "All 15",
		"Phones that joined the session: 11.",
		"Activity 1: Is your home a good place?", "11 young people took part.", "Yes 6 (54%)", "No 5 (46%)",
		"Activity 2: What should change?", "“More trips out at weekends”", "5 likes",
		"Themes of what young people said", "8 comments came from this session", "School and learning 6",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report has no %q:\n%s", want, text)
		}
	}
	for _, never := range []string{"stepdad", "wifi", "Getting about"} {
		if strings.Contains(text, never) {
			t.Errorf("the report has %q", never)
		}
	}
	entries, err := h.audit.Find(t.Context(), surveys.AuditFilter{Action: surveys.AuditReportSession, Limit: surveys.MaxAuditPage})
	if err != nil || len(entries) != 1 || entries[0].Target != "session "+s.ID || entries[0].Actor != "facilitator@council.example" {
		t.Errorf("audit: %+v %v", entries, err)
	}
}

// Who may download a session's report: those who prepare and run
// sessions, and nobody else.
func TestSessionReportRoles(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	fac := h.signIn(surveys.RoleFacilitator)
	s := h.ranSession(&fac)
	path := "/staff/sessions/" + s.ID + "/report.pdf"
	for _, role := range surveys.Roles {
		as := fac
		if role != surveys.RoleFacilitator {
			as = h.signIn(role)
		}
		res := h.do(request{method: "GET", path: path, as: &as})
		allowed := role == surveys.RoleAdmin || role == surveys.RoleAnalyst || role == surveys.RoleFacilitator
		switch {
		case allowed && (res.status != http.StatusOK || res.headers.Get("Content-Type") != "application/pdf"):
			t.Errorf("%s: %d %s, want the PDF", role, res.status, res.headers.Get("Content-Type"))
		case !allowed && (res.status != http.StatusForbidden || strings.HasPrefix(string(res.body), "%PDF")):
			t.Errorf("%s: %d, want 403 and no PDF", role, res.status)
		}
	}
	if res := h.do(request{method: "GET", path: path}); res.status != http.StatusSeeOther || !strings.HasPrefix(res.headers.Get("Location"), "/staff/sign-in") {
		t.Errorf("not signed in: %d to %q", res.status, res.headers.Get("Location"))
	}
	entries, err := h.audit.Find(t.Context(), surveys.AuditFilter{Action: surveys.AuditReportSession, Limit: surveys.MaxAuditPage})
	if err != nil || len(entries) != 3 {
		t.Errorf("%d reports recorded, want 3 (admin, analyst, facilitator): %v", len(entries), err)
	}
}
