package mongo_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/heard-app/heard/notify"
	"github.com/heard-app/heard/notify/smtptest"
	"github.com/heard-app/heard/secret"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
)

// newContacts returns the Contacts service on db, with a fixed key.
func newContacts(t *testing.T, db *mongo.DB, now func() time.Time) *surveys.Contacts {
	t.Helper()
	box, err := secret.New(bytes.Repeat([]byte{9}, secret.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return &surveys.Contacts{Store: mongo.NewContactStore(db), Surveys: mongo.NewSurveyStore(db), Sealer: box,
		Audit: &surveys.AuditLog{Store: mongo.NewAuditStore(db), Now: now}, Now: now}
}

// forms lists ways a name could be written into a document: as typed, in
// other cases, and in the encodings a careless store might use.
func forms(s string) [][]byte {
	var u16 []byte
	for _, r := range utf16.Encode([]rune(s)) {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	return [][]byte{[]byte(s), []byte(strings.ToLower(s)), []byte(strings.ToUpper(s)), u16,
		[]byte(base64.StdEncoding.EncodeToString([]byte(s))), []byte(hex.EncodeToString([]byte(s)))}
}

// TestContactDocumentNamesNobody reads a stored request to talk back with
// the driver: the name, the way to reach them, the message and the lead's
// note are in no field in any form, and the document holds nothing of the
// answers; it lists and takes decisions like a flag.
func TestContactDocumentNamesNobody(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		s := openSurvey(t, db)
		now := time.Date(2026, 11, 23, 16, 45, 12, 0, time.UTC)
		clock := func() time.Time { return now }
		cs := newContacts(t, db, clock)
		st := newStaff(db)
		lead := as(t, st.add(t, "lead@council.gov.uk", surveys.RoleSafeguardingLead))

		in := surveys.ContactInput{Name: "Kacper Nowak", Reach: "kacper.n@example.org or 07700 900456", Message: "Chcę porozmawiać o domu", Lang: "pl"}
		r, err := cs.Request(ctx, s.Slug, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cs.Decide(lead, r.ID, surveys.FlagDecisionInput{Outcome: surveys.OutcomeReferred, Note: "Rang Kacper Nowak back"}); err != nil {
			t.Fatal(err)
		}
		raw, err := mongo.StoredContact(ctx, db, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, words := range []string{"Kacper", "Nowak", "kacper.n@example.org", "07700 900456", "porozmawiać", "Rang"} {
			for _, f := range forms(words) {
				if bytes.Contains(raw, f) {
					t.Errorf("the stored document holds %q as %q", words, f)
				}
			}
		}
		elems, err := raw.Elements()
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, e := range elems {
			keys = append(keys, e.Key())
		}
		if got, want := strings.Join(keys, ","), "_id,survey,day,lang,sealed,decisions,reviewed,alert"; got != want {
			t.Errorf("fields %s, want %s", got, want)
		}
		if raw.Lookup("survey").StringValue() != s.Slug || raw.Lookup("day").StringValue() != "2026-11-23" || raw.Lookup("lang").StringValue() != "pl" {
			t.Errorf("document %s", raw)
		}
		if sub, _, ok := raw.Lookup("sealed").BinaryOK(); !ok || sub != 0 || len(raw.Lookup("sealed").Value) < secret.Overhead {
			t.Errorf("the sealed field is not binary: %s", raw.Lookup("sealed"))
		}

		// Read back, opened, for the lead.
		got, err := cs.View(lead, r.ID)
		if err != nil || got.Name != in.Name || got.Reach != in.Reach || got.Message != in.Message || got.Unreadable ||
			got.Latest().Note != "Rang Kacper Nowak back" || got.Latest().By != "lead@council.gov.uk" {
			t.Fatalf("read back: %+v, %v", got, err)
		}

		// The list: unreviewed first, newest day first.
		now = now.Add(-48 * time.Hour)
		older, err := cs.Request(ctx, s.Slug, surveys.ContactInput{Name: "Older", Reach: "through my carer"})
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(72 * time.Hour)
		newer, err := cs.Request(ctx, s.Slug, surveys.ContactInput{Name: "Newer", Reach: "at school"})
		if err != nil {
			t.Fatal(err)
		}
		list, err := cs.List(lead)
		if err != nil || len(list) != 3 || list[0].ID != newer.ID || list[1].ID != older.ID || list[2].ID != r.ID {
			t.Fatalf("list: %v, %v", list, err)
		}
		store := mongo.NewContactStore(db)
		if n, err := store.CountUnreviewed(ctx); n != 2 || err != nil {
			t.Errorf("unreviewed: %d, %v", n, err)
		}
		if open, err := store.FindContacts(ctx, surveys.ContactFilter{Unreviewed: true}); len(open) != 2 || err != nil {
			t.Errorf("unreviewed list: %d, %v", len(open), err)
		}
		if _, err := store.FindContact(ctx, "nothing"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("no such request: %v", err)
		}
		if _, err := store.AddDecision(ctx, "nothing", surveys.SealedDecision{Outcome: surveys.OutcomeNoConcern}); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("a decision on nothing: %v", err)
		}
		if err := store.SetAlert(ctx, "nothing", surveys.AlertState{}); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("an alert on nothing: %v", err)
		}
	})
}

// TestContactAlerts: a new request to talk is emailed to the leads like a
// flag, with its link and without the name, once, and retried on failure.
func TestContactAlerts(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		s := openSurvey(t, db)
		st := newStaff(db)
		st.add(t, "lead@council.gov.uk", surveys.RoleSafeguardingLead)
		st.add(t, "analyst@council.gov.uk", surveys.RoleAnalyst)
		srv := smtptest.Start(t)
		mail, err := notify.NewMail("smtp://" + srv.Addr + "?from=heard@council.gov.uk")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		alerts := &surveys.Alerts{Flags: mongo.NewFlagStore(db), Users: mongo.NewUserStore(db), Senders: []surveys.AlertSender{mail},
			Link:     func(id string) string { return "https://heard.example/staff/safeguarding/" + id },
			Contacts: mongo.NewContactStore(db), Now: clock,
			ContactLink: func(id string) string { return "https://heard.example/staff/safeguarding/contacts/" + id }}
		cs := newContacts(t, db, clock)
		nudged := 0
		cs.Created = func() { nudged++ }

		r, err := cs.Request(ctx, s.Slug, surveys.ContactInput{Name: "Jordan Smith", Reach: "07700 900789"})
		if err != nil || nudged != 1 {
			t.Fatalf("request: %v, nudged %d", err, nudged)
		}
		if sent, failed, err := alerts.Run(ctx); sent != 1 || failed != 0 || err != nil {
			t.Fatalf("run: sent %d, failed %d, %v", sent, failed, err)
		}
		msgs := srv.Messages()
		if len(msgs) != 1 || strings.Join(msgs[0].To, ",") != "lead@council.gov.uk" {
			t.Fatalf("messages %+v, want one to the lead", msgs)
		}
		if !strings.Contains(msgs[0].Data, "https://heard.example/staff/safeguarding/contacts/"+r.ID) ||
			!strings.Contains(msgs[0].Data, notify.ContactSubject) {
			t.Errorf("the email:\n%s", msgs[0].Data)
		}
		for _, words := range []string{"Jordan", "Smith", "07700"} {
			if strings.Contains(msgs[0].Data, words) {
				t.Errorf("the email names them (%q):\n%s", words, msgs[0].Data)
			}
		}
		if sent, _, _ := alerts.Run(ctx); sent != 0 {
			t.Error("sent twice")
		}

		// A failure is recorded on the request and retried.
		srv.Refuse(true)
		r2, err := cs.Request(ctx, s.Slug, surveys.ContactInput{Name: "Alex", Reach: "at school"})
		if err != nil {
			t.Fatal(err)
		}
		if _, failed, _ := alerts.Run(ctx); failed != 1 {
			t.Fatalf("failed %d, want 1", failed)
		}
		stored, _ := mongo.NewContactStore(db).FindContact(ctx, r2.ID)
		if stored.Alert.Sent || stored.Alert.Attempts != 1 || !strings.Contains(stored.Alert.LastError, "refused") {
			t.Errorf("the failed alert: %+v", stored.Alert)
		}
		srv.Refuse(false)
		now = now.Add(30 * time.Second)
		if sent, _, err := alerts.Run(ctx); sent != 1 || err != nil {
			t.Errorf("the retry: sent %d, %v", sent, err)
		}
	})
}
