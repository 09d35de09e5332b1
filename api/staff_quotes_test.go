package api_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// TestQuotes makes a comment a quote: Heard proposes a redaction, a quote
// that keeps it is approved by the analyst alone, one that puts a
// redacted name back waits for a second analyst, who must be someone else.
func TestQuotes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	a := validAnswers()
	a["better"] = "my sw Sarah never rings me back, call me on 07700 900123"
	if res := h.do(request{method: "POST", path: "/api/v1/surveys/" + s.Slug + "/responses", json: submission(1, a)}); res.status != 201 {
		t.Fatalf("submit: %d %s", res.status, res.body)
	}
	voices, _ := h.voices.FindVoices(t.Context(), surveys.VoiceFilter{Question: "better"})
	if len(voices) != 1 {
		t.Fatalf("%d voices", len(voices))
	}
	id := voices[0].ID
	analyst := h.signIn(surveys.RoleAnalyst)
	admin := h.signIn(surveys.RoleAdmin)
	path := "/staff/voices/" + id + "/quote"

	page := string(h.svGet(&analyst, path).body)
	for _, want := range []string{"<mark>Sarah</mark>", "<mark>07700 900123</mark>", "a name, a phone number",
		"my sw [name] never rings me back, call me on [phone]</textarea>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the quote page lacks %q", want)
		}
	}
	for _, tt := range []struct{ name, text string }{{"empty", "  "}, {"too long", strings.Repeat("a", surveys.MaxQuoteLen+1)}} {
		if res := h.svPost(&analyst, path, url.Values{"quote": {tt.text}}, false); res.status != 422 || !strings.Contains(string(res.body), `id="quote-text-error"`) {
			t.Errorf("%s quote: %d", tt.name, res.status)
		}
	}
	if res := h.svPost(&analyst, "/staff/voices/no-such-voice/quote", url.Values{"quote": {"x"}}, false); res.status != 404 {
		t.Errorf("a quote of no comment: %d", res.status)
	}

	// Redacted as proposed, tidied: approved at once.
	res := h.svPost(&analyst, path, url.Values{"quote": {"My social worker [name] never rings me back."}}, false)
	if res.status != 303 || !strings.Contains(res.headers.Get("Location"), "done=quoted") {
		t.Fatalf("save: %d %s", res.status, res.headers.Get("Location"))
	}
	got, _ := h.voices.FindVoice(t.Context(), id)
	if got.Quote == nil || got.Quote.Status != surveys.QuoteApproved || got.Quote.ApprovedBy != "analyst@council.example" {
		t.Fatalf("quote: %+v", got.Quote)
	}
	if approved, _ := h.voices.FindVoices(t.Context(), surveys.VoiceFilter{Quotes: surveys.QuoteApproved}); len(approved) != 1 {
		t.Errorf("approved quotes: %d", len(approved))
	}

	// Sarah put back: waits, the same analyst cannot approve it, another can.
	res = h.svPost(&analyst, path, url.Values{"quote": {"My social worker Sarah never rings me back."}}, false)
	if res.status != 303 || !strings.Contains(res.headers.Get("Location"), "done=quote-pending") {
		t.Fatalf("save with the name: %d %s", res.status, res.headers.Get("Location"))
	}
	if got, _ := h.voices.FindVoice(t.Context(), id); got.Quote.Status != surveys.QuotePending || got.Quote.Restored != 1 {
		t.Fatalf("quote with the name: %+v", got.Quote)
	}
	if approved, _ := h.voices.FindVoices(t.Context(), surveys.VoiceFilter{Quotes: surveys.QuoteApproved}); len(approved) != 0 {
		t.Error("a pending quote counts as approved")
	}
	if strings.Contains(string(h.svGet(&analyst, path).body), "Approve the quote") {
		t.Error("the analyst who made the quote is offered to approve it")
	}
	if res := h.svPost(&analyst, path+"/approve", nil, false); res.status != 409 {
		t.Errorf("approving one's own: %d, want 409", res.status)
	}
	if res := h.svPost(&admin, path+"/approve", nil, false); res.status != 303 {
		t.Fatalf("a second person approves: %d", res.status)
	}
	if got, _ := h.voices.FindVoice(t.Context(), id); got.Quote.Status != surveys.QuoteApproved || got.Quote.ApprovedBy != "admin@council.example" {
		t.Errorf("after approval: %+v", got.Quote)
	}
	if res := h.svPost(&admin, path+"/remove", nil, false); res.status != 303 {
		t.Fatalf("remove: %d", res.status)
	}
	if got, _ := h.voices.FindVoice(t.Context(), id); got.Quote != nil {
		t.Errorf("after removing: %+v", got.Quote)
	}
	for _, a := range []surveys.AuditAction{surveys.AuditQuoteMark, surveys.AuditQuoteApprove, surveys.AuditQuoteRemove} {
		if len(h.svAudit(a, id)) == 0 {
			t.Errorf("%s is not audited", a)
		}
	}
}
