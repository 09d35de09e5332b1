package mongo_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/notify"
	"github.com/heard-app/heard/notify/smtptest"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
)

// TestAlertsReachTheLeads raises flags and runs the alerts as the server
// does: each new flag is emailed once to the enabled safeguarding leads,
// never with its words; a failure is recorded on the flag and retried
// later; and of two instances running at once, one sends.
func TestAlertsReachTheLeads(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		s := openSurvey(t, db)
		st := newStaff(db)
		st.add(t, "lead@council.gov.uk", surveys.RoleSafeguardingLead)
		gone := st.add(t, "gone@council.gov.uk", surveys.RoleSafeguardingLead)
		st.add(t, "analyst@council.gov.uk", surveys.RoleAnalyst)
		st.add(t, "admin@council.gov.uk", surveys.RoleAdmin)
		if _, err := st.accounts.SetDisabled(cliCtx(t), gone.Email, true); err != nil {
			t.Fatal(err)
		}
		srv := smtptest.Start(t)
		mail, err := notify.NewMail("smtp://" + srv.Addr + "?from=heard@council.gov.uk")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		alerts := func() *surveys.Alerts {
			return &surveys.Alerts{Flags: mongo.NewFlagStore(db), Users: mongo.NewUserStore(db), Senders: []surveys.AlertSender{mail},
				Link: func(id string) string { return "https://heard.example/staff/safeguarding/" + id }, Now: clock}
		}
		run := func(want, wantFailed int) {
			t.Helper()
			sent, failed, err := alerts().Run(ctx)
			if err != nil || sent != want || failed != wantFailed {
				t.Fatalf("run at %s: sent %d, failed %d (%v), want %d and %d", now.Format(time.TimeOnly), sent, failed, err, want, wantFailed)
			}
		}
		in := intakeWithCoder(t, db, s)
		worry := func(n int, text string) {
			t.Helper()
			id := "00000000-0000-4000-8000-00000000000" + string(rune('0'+n))
			if rec, err := in.Submit(ctx, s.Slug, textSubmission(id, `"`+text+`"`)); err != nil || !rec.ShowHelp {
				t.Fatalf("submit a worry: %v %v", rec, err)
			}
		}

		run(0, 0) // nothing flagged yet
		worry(1, "i want to kill myself")
		run(1, 0)
		msgs := srv.Messages()
		if len(msgs) != 1 || strings.Join(msgs[0].To, ",") != "lead@council.gov.uk" {
			t.Fatalf("messages %+v, want one to the enabled lead", msgs)
		}
		if strings.Contains(msgs[0].Data, "kill") || !strings.Contains(msgs[0].Data, "https://heard.example/staff/safeguarding/") {
			t.Errorf("the email:\n%s", msgs[0].Data)
		}
		run(0, 0) // sent once

		// The mail server refuses: recorded, retried after 30 s, then sent.
		srv.Refuse(true)
		worry(2, "my stepdad hits me")
		run(0, 1)
		flags, _ := mongo.NewFlagStore(db).FindFlags(ctx, surveys.FlagFilter{Unreviewed: true})
		var failing *surveys.Flag
		for _, f := range flags {
			if !f.Alert.Sent {
				failing = f
			}
		}
		if failing == nil || failing.Alert.Attempts != 1 || !strings.Contains(failing.Alert.LastError, "email: mail server refused a recipient") ||
			!failing.Alert.NextTry.Equal(now.Add(30*time.Second)) {
			t.Fatalf("the failed alert: %+v", failing)
		}
		srv.Refuse(false)
		now = now.Add(20 * time.Second)
		run(0, 0) // not yet due
		now = now.Add(10 * time.Second)
		// Two instances at once: one claims it.
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for range 2 {
			wg.Go(func() {
				sent, _, err := alerts().Run(ctx)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total += sent
				mu.Unlock()
			})
		}
		wg.Wait()
		if total != 1 || len(srv.Messages()) != 2 {
			t.Errorf("two instances sent %d alerts (%d messages), want 1 (2 in all)", total, len(srv.Messages()))
		}
		got, _ := mongo.NewFlagStore(db).FindFlag(ctx, failing.ID)
		if !got.Alert.Sent || got.Alert.Attempts != 2 || got.Alert.LastError != "" {
			t.Errorf("after the retry: %+v", got.Alert)
		}
	})
}
