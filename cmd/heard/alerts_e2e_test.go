package main

import (
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/notify/smtptest"
)

// TestWorryAlertsTheLead runs heard serve with a mail server: a worrying
// answer gets help shown on the phone, and the safeguarding lead's email
// arrives at once (the alert loop is nudged; it does not wait for its
// next round), with the link and without the words. The logs hold no
// words either.
func TestWorryAlertsTheLead(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	if out, code := runHeard(t, dataDir, "a long enough password\n", "user", "add", "--email", "lead@council.example", "--role", "safeguarding_lead"); code != 0 {
		t.Fatalf("user add: exit %d\n%s", code, out)
	}
	importFixture(t, dataDir)
	mail := smtptest.Start(t)
	srv := startServer(t, dataDir, "HEARD_SMTP_URL=smtp://"+mail.Addr+"?from=heard@council.example", "HEARD_PUBLIC_URL=https://heard.example")

	young := newClient(t, srv.URL)
	a := answer(testUUID(7, 1), 5)
	const words = "i want to kill myself"
	a["answers"].(map[string]any)["better"] = words
	status, b := young.must("POST", "/api/v1/surveys/test-wellbeing/responses", a)
	if status != 201 || !strings.Contains(string(b), `"help":{"show":true}`) {
		t.Fatalf("a worrying answer: %d %s", status, b)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(mail.Messages()) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	msgs := mail.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d emails within 10 s, want 1\n%s", len(msgs), srv.logs.String())
	}
	if m := msgs[0]; strings.Join(m.To, ",") != "lead@council.example" || !strings.Contains(m.Data, "https://heard.example/staff/safeguarding/") || strings.Contains(m.Data, "kill") {
		t.Errorf("the email to %v:\n%s", m.To, m.Data)
	}
	if strings.Contains(srv.logs.String(), "kill") {
		t.Error("the logs hold the young person's words")
	}
}
