package mongo_test

import (
	"testing"
	"time"

	"github.com/heard-app/heard/notify"
	"github.com/heard-app/heard/notify/smtptest"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/mongo/mongotest"
)

// TestAlertBacklogCountsWhatWaits follows one flag's alert from raised to
// delivered: pending while no sender is configured, failing once a sender
// refuses, and gone once it is sent; the retry that is not yet due counts
// as pending too.
func TestAlertBacklogCountsWhatWaits(t *testing.T) {
	t.Parallel()
	db := mongotest.Open(t)
	ctx := testCtx(t)
	s := openSurvey(t, db)
	newStaff(db).add(t, "lead@council.gov.uk", surveys.RoleSafeguardingLead)
	srv := smtptest.Start(t)
	mail, err := notify.NewMail("smtp://" + srv.Addr + "?from=heard@council.gov.uk")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	alerts := &surveys.Alerts{Flags: mongo.NewFlagStore(db), Users: mongo.NewUserStore(db), Now: func() time.Time { return now },
		Link: func(id string) string { return "https://heard.example/staff/safeguarding/" + id }}
	check := func(when string, want surveys.AlertBacklog) {
		t.Helper()
		got, err := alerts.Backlog(ctx)
		if err != nil || got != want {
			t.Errorf("%s: backlog %+v (%v), want %+v", when, got, err, want)
		}
	}

	check("nothing flagged", surveys.AlertBacklog{})
	in := intakeWithCoder(t, db, s)
	if rec, err := in.Submit(ctx, s.Slug, textSubmission("00000000-0000-4000-8000-000000000071", `"i want to kill myself"`)); err != nil || !rec.ShowHelp {
		t.Fatalf("submit a worry: %v %v", rec, err)
	}
	check("flagged, no sender", surveys.AlertBacklog{Pending: 1})

	alerts.Senders = []surveys.AlertSender{mail}
	srv.Refuse(true)
	if _, failed, err := alerts.Run(ctx); err != nil || failed != 1 {
		t.Fatalf("run with the mail server refusing: failed %d, %v", failed, err)
	}
	check("refused, retry not yet due", surveys.AlertBacklog{Pending: 1, Failing: 1})

	srv.Refuse(false)
	now = now.Add(time.Hour)
	if sent, _, err := alerts.Run(ctx); err != nil || sent != 1 {
		t.Fatalf("run with the mail server back: sent %d, %v", sent, err)
	}
	check("sent", surveys.AlertBacklog{})
}
