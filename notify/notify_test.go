package notify_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/notify"
	"github.com/heard-app/heard/notify/smtptest"
	"github.com/heard-app/heard/surveys"
)

var alert = surveys.FlagAlert{Link: "https://heard.example/staff/safeguarding/abc123", Unreviewed: 2,
	At: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}

func TestNewMail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url     string
		wantErr string
	}{
		{"smtp://mail.council.gov.uk?from=heard@council.gov.uk", ""},
		{"smtps://user:secret@mail.council.gov.uk:465?from=Heard%20%3Cheard@council.gov.uk%3E", ""},
		{"smtp://mail.council.gov.uk", "needs ?from="},
		{"smtp://mail.council.gov.uk?from=not-an-address", "needs ?from="},
		{"http://mail.council.gov.uk?from=heard@council.gov.uk", "must start smtp:// or smtps://"},
		{"smtp://?from=heard@council.gov.uk", "has no host"},
		{"smtp://user:pa ss@%zz?from=x@y.z", "is not a URL"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			t.Parallel()
			_, err := notify.NewMail(tt.url)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("NewMail(%q) = %v, want %q", tt.url, err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "secret") || err != nil && strings.Contains(err.Error(), "pa ss") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

// TestMailReachesTheServer sends an alert to a real SMTP listener and
// reads it back: to each lead, with the link, and not a word of the comment.
func TestMailReachesTheServer(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t)
	m, err := notify.NewMail("smtp://" + srv.Addr + "?from=heard@council.example")
	if err != nil {
		t.Fatal(err)
	}
	to := []string{"lead1@council.example", "lead2@council.example"}
	if err := m.Send(context.Background(), to, alert); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].From != "heard@council.example" || strings.Join(got[0].To, ",") != strings.Join(to, ",") {
		t.Fatalf("messages: %+v", got)
	}
	for _, want := range []string{"Subject: New safeguarding flag in Heard", alert.Link, "2 waiting", "does not include what the young person wrote"} {
		if !strings.Contains(got[0].Data, want) {
			t.Errorf("the message lacks %q:\n%s", want, got[0].Data)
		}
	}

	// A request to talk says so, and nothing of who asked.
	contact := alert
	contact.Kind, contact.Link = surveys.AlertContact, "https://heard.example/staff/safeguarding/contacts/c0ffee"
	if err := m.Send(context.Background(), to, contact); err != nil {
		t.Fatal(err)
	}
	if got = srv.Messages(); len(got) != 2 {
		t.Fatalf("%d messages, want 2", len(got))
	}
	for _, want := range []string{"Subject: A young person asked for someone to talk to them", contact.Link, "2 requests waiting",
		"does not include their name or how to reach them"} {
		if !strings.Contains(got[1].Data, want) {
			t.Errorf("the request's message lacks %q:\n%s", want, got[1].Data)
		}
	}

	srv.Refuse(true)
	if err := m.Send(context.Background(), to, alert); err == nil || !strings.Contains(err.Error(), "refused a recipient") {
		t.Errorf("a refusing server: %v", err)
	}
	if err := m.Send(context.Background(), nil, alert); err == nil {
		t.Error("an alert with nobody to send it to succeeded")
	}
	down, _ := notify.NewMail("smtp://127.0.0.1:1?from=heard@council.example")
	if err := down.Send(context.Background(), to, alert); err == nil || !strings.Contains(err.Error(), "connect to the mail server") {
		t.Errorf("no server: %v", err)
	}
}

func TestWebhook(t *testing.T) {
	t.Parallel()
	var got []map[string]any
	status := http.StatusNoContent
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		if r.Header.Get("Content-Type") != "application/json" || json.Unmarshal(b, &m) != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		got = append(got, m)
		w.WriteHeader(status)
	}))
	t.Cleanup(hook.Close)
	w, err := notify.NewWebhook(hook.URL)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Send(context.Background(), nil, alert); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0]["event"] != "safeguarding.flag" || got[0]["link"] != alert.Link || got[0]["unreviewed"] != 2.0 {
		t.Errorf("webhook body: %v", got)
	}
	contact := alert
	contact.Kind = surveys.AlertContact
	if err := w.Send(context.Background(), nil, contact); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1]["event"] != "safeguarding.contact" || !strings.Contains(got[1]["text"].(string), "asked, in Heard, for someone to talk") {
		t.Errorf("webhook body of a request to talk: %v", got)
	}
	status = http.StatusInternalServerError
	if err := w.Send(context.Background(), nil, alert); err == nil || !strings.Contains(err.Error(), "500") {
		t.Errorf("a failing webhook: %v", err)
	}

	for _, bad := range []string{"http://example.org/hook", "ftp://example.org", "/hook", "not a url"} {
		if _, err := notify.NewWebhook(bad); err == nil {
			t.Errorf("NewWebhook(%q) accepted", bad)
		}
	}
	if _, err := notify.NewWebhook("https://example.org/hook"); err != nil {
		t.Errorf("an https webhook: %v", err)
	}
}
