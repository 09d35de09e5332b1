package mongo_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
)

// workspaceStart is when the staff workspace tests begin: whole seconds,
// so that times survive the database's millisecond precision exactly.
var workspaceStart = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// stepClock is a clock a test moves by hand.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func newStepClock(at time.Time) *stepClock { return &stepClock{now: at} }

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// newAuditLog returns an audit log on db that reads the clock.
func newAuditLog(db *mongo.DB, clock *stepClock) *surveys.AuditLog {
	return &surveys.AuditLog{Store: mongo.NewAuditStore(db), Now: clock.Now}
}

// auditOf returns the entries of log for an action on a target, newest
// first.
func auditOf(t *testing.T, log *surveys.AuditLog, action surveys.AuditAction, target string) []*surveys.AuditEntry {
	t.Helper()
	entries, err := log.Find(testCtx(t), surveys.AuditFilter{Action: action, Target: target, Limit: surveys.MaxAuditPage})
	if err != nil {
		t.Fatalf("read the audit log: %v", err)
	}
	return entries
}

// auditWant is what an audit entry should say; At and ID are not checked.
type auditWant struct {
	Actor  string
	Role   surveys.Role
	Action surveys.AuditAction
	Target string
	Detail string
}

// assertAudited fails unless the newest entry for want's action and target
// says what want does. Entries recorded at the same instant come in no set
// order, so a test moves its clock between two actions it checks this way.
func assertAudited(t *testing.T, log *surveys.AuditLog, want auditWant) {
	t.Helper()
	entries := auditOf(t, log, want.Action, want.Target)
	if len(entries) == 0 {
		t.Errorf("no %s entry for %q in the audit log", want.Action, want.Target)
		return
	}
	e := entries[0]
	got := auditWant{Actor: e.Actor, Role: e.Role, Action: e.Action, Target: e.Target, Detail: e.Detail}
	if got != want {
		t.Errorf("audit entry:\n got %+v\nwant %+v", got, want)
	}
}

// assertAuditCount fails unless the log holds n entries for an action on a
// target.
func assertAuditCount(t *testing.T, log *surveys.AuditLog, action surveys.AuditAction, target string, n int) {
	t.Helper()
	if got := len(auditOf(t, log, action, target)); got != n {
		t.Errorf("%d %s entries for %q in the audit log, want %d", got, action, target, n)
	}
}

// auditIDs returns the IDs of entries, in order.
func auditIDs(entries []*surveys.AuditEntry) []string {
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	return ids
}

// fiveEntries appends five entries a minute apart, starting at
// workspaceStart, and returns them oldest first.
func fiveEntries(t *testing.T, store *mongo.AuditStore) []*surveys.AuditEntry {
	t.Helper()
	specs := []struct {
		actor  string
		role   surveys.Role
		action surveys.AuditAction
		target string
		detail string
	}{
		{"amy@council.gov.uk", surveys.RoleAdmin, surveys.AuditSignIn, "amy@council.gov.uk", ""},
		{"ben@council.gov.uk", surveys.RoleAnalyst, surveys.AuditSurveyEdit, "wellbeing-2026", "revision 1 to 2"},
		{"amy@council.gov.uk", surveys.RoleAdmin, surveys.AuditSurveyStatus, "wellbeing-2026", "draft to open"},
		{surveys.ActorSchedule, "", surveys.AuditSurveyStatus, "leavers-2026", "open to closed on schedule"},
		{"ben@council.gov.uk", surveys.RoleAnalyst, surveys.AuditSettingsUpdate, "settings", "changed: help phone"},
	}
	entries := make([]*surveys.AuditEntry, len(specs))
	for i, s := range specs {
		at := workspaceStart.Add(time.Duration(i) * time.Minute)
		entries[i] = &surveys.AuditEntry{ID: fmt.Sprintf("%020d-%08x", at.UnixNano(), 0xa0+i), At: at,
			Actor: s.actor, Role: s.role, Action: s.action, Target: s.target, Detail: s.detail}
		if err := store.AppendAudit(testCtx(t), entries[i]); err != nil {
			t.Fatal(err)
		}
	}
	return entries
}

func TestAuditStoreFindsNewestFirst(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		store := mongo.NewAuditStore(db)
		e := fiveEntries(t, store)
		log := &surveys.AuditLog{Store: store, Now: time.Now}

		all, err := log.Find(testCtx(t), surveys.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := []*surveys.AuditEntry{e[4], e[3], e[2], e[1], e[0]}
		if !reflect.DeepEqual(all, want) {
			t.Errorf("every entry, newest first: got IDs %v, want %v", auditIDs(all), auditIDs(want))
			for i := range min(len(all), len(want)) {
				if !reflect.DeepEqual(all[i], want[i]) {
					t.Errorf("entry %d reads back as %+v, want %+v", i, all[i], want[i])
				}
			}
		}

		at := func(minutes int) time.Time { return workspaceStart.Add(time.Duration(minutes) * time.Minute) }
		tests := []struct {
			name   string
			filter surveys.AuditFilter
			want   []*surveys.AuditEntry
		}{
			{"actor", surveys.AuditFilter{Actor: "amy@council.gov.uk"}, []*surveys.AuditEntry{e[2], e[0]}},
			{"actor that is Heard", surveys.AuditFilter{Actor: surveys.ActorSchedule}, []*surveys.AuditEntry{e[3]}},
			{"unknown actor", surveys.AuditFilter{Actor: "nobody@council.gov.uk"}, nil},
			{"action", surveys.AuditFilter{Action: surveys.AuditSurveyStatus}, []*surveys.AuditEntry{e[3], e[2]}},
			{"action never taken", surveys.AuditFilter{Action: surveys.AuditCodesExport}, nil},
			{"target", surveys.AuditFilter{Target: "wellbeing-2026"}, []*surveys.AuditEntry{e[2], e[1]}},
			{"actor and action", surveys.AuditFilter{Actor: "ben@council.gov.uk", Action: surveys.AuditSurveyEdit}, []*surveys.AuditEntry{e[1]}},
			{"action and target", surveys.AuditFilter{Action: surveys.AuditSurveyStatus, Target: "leavers-2026"}, []*surveys.AuditEntry{e[3]}},
			{"from, inclusive", surveys.AuditFilter{From: at(2)}, []*surveys.AuditEntry{e[4], e[3], e[2]}},
			{"from between entries", surveys.AuditFilter{From: at(2).Add(time.Nanosecond)}, []*surveys.AuditEntry{e[4], e[3]}},
			{"to, exclusive", surveys.AuditFilter{To: at(2)}, []*surveys.AuditEntry{e[1], e[0]}},
			{"from and to", surveys.AuditFilter{From: at(1), To: at(3)}, []*surveys.AuditEntry{e[2], e[1]}},
			{"from and to in another zone", surveys.AuditFilter{From: at(1).In(time.FixedZone("UTC+5", 5*3600)), To: at(3).In(time.FixedZone("UTC-3", -3*3600))},
				[]*surveys.AuditEntry{e[2], e[1]}},
			{"from after the last", surveys.AuditFilter{From: at(10)}, nil},
			{"to before the first", surveys.AuditFilter{To: at(-1)}, nil},
			{"limit", surveys.AuditFilter{Limit: 2}, []*surveys.AuditEntry{e[4], e[3]}},
			{"before", surveys.AuditFilter{Before: e[3].ID}, []*surveys.AuditEntry{e[2], e[1], e[0]}},
			{"before and actor", surveys.AuditFilter{Before: e[2].ID, Actor: "amy@council.gov.uk"}, []*surveys.AuditEntry{e[0]}},
			{"to below before", surveys.AuditFilter{To: at(2), Before: e[4].ID}, []*surveys.AuditEntry{e[1], e[0]}},
			{"before below to", surveys.AuditFilter{To: at(4), Before: e[2].ID}, []*surveys.AuditEntry{e[1], e[0]}},
			{"to above before, from", surveys.AuditFilter{From: at(1), To: at(10), Before: e[3].ID}, []*surveys.AuditEntry{e[2], e[1]}},
		}
		for _, tt := range tests {
			got, err := log.Find(testCtx(t), tt.filter)
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
				continue
			}
			if !reflect.DeepEqual(auditIDs(got), auditIDs(tt.want)) {
				t.Errorf("%s: got %v, want %v", tt.name, auditIDs(got), auditIDs(tt.want))
			}
		}
	})
}

func TestAuditPages(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		store := mongo.NewAuditStore(db)
		e := fiveEntries(t, store)
		log := &surveys.AuditLog{Store: store, Now: time.Now}

		var pages [][]string
		var seen []*surveys.AuditEntry
		f := surveys.AuditFilter{Limit: 2}
		for range 5 {
			page, err := log.Find(testCtx(t), f)
			if err != nil {
				t.Fatal(err)
			}
			pages = append(pages, auditIDs(page))
			if len(page) == 0 {
				break
			}
			seen = append(seen, page...)
			f.Before = page[len(page)-1].ID
		}
		want := [][]string{{e[4].ID, e[3].ID}, {e[2].ID, e[1].ID}, {e[0].ID}, {}}
		if !reflect.DeepEqual(pages, want) {
			t.Errorf("pages of 2:\n got %v\nwant %v", pages, want)
		}
		if len(seen) != len(e) {
			t.Errorf("paging saw %d entries, want %d", len(seen), len(e))
		}

		// Paging within a time range stops at the range's end.
		f = surveys.AuditFilter{To: workspaceStart.Add(4 * time.Minute), Limit: 2}
		pages = nil
		for range 5 {
			page, err := log.Find(testCtx(t), f)
			if err != nil {
				t.Fatal(err)
			}
			pages = append(pages, auditIDs(page))
			if len(page) == 0 {
				break
			}
			f.Before = page[len(page)-1].ID
		}
		want = [][]string{{e[3].ID, e[2].ID}, {e[1].ID, e[0].ID}, {}}
		if !reflect.DeepEqual(pages, want) {
			t.Errorf("pages of 2 before the fifth entry:\n got %v\nwant %v", pages, want)
		}
	})
}

func TestAuditLogRecord(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		clock := newStepClock(workspaceStart)
		log := newAuditLog(db, clock)
		amy := &surveys.User{Email: "amy@council.gov.uk", Role: surveys.RoleAdmin}
		base := context.Background()
		tests := []struct {
			name      string
			ctx       context.Context
			wantActor string
			wantRole  surveys.Role
		}{
			{"member of staff", surveys.NewContextWithUser(base, amy), amy.Email, surveys.RoleAdmin},
			{"command line", surveys.NewContextWithActor(base, surveys.ActorCommandLine), surveys.ActorCommandLine, ""},
			{"schedule", surveys.NewContextWithActor(base, surveys.ActorSchedule), surveys.ActorSchedule, ""},
			{"member of staff over an actor", surveys.NewContextWithUser(surveys.NewContextWithActor(base, surveys.ActorSchedule), amy), amy.Email, surveys.RoleAdmin},
			{"nobody", base, surveys.ActorHeard, ""},
			{"nil user", surveys.NewContextWithUser(base, nil), surveys.ActorHeard, ""},
		}
		for i, tt := range tests {
			clock.Advance(time.Second)
			target := fmt.Sprintf("target-%d", i)
			if err := log.Record(tt.ctx, surveys.AuditSurveyEdit, target, tt.name); err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			entries := auditOf(t, log, surveys.AuditSurveyEdit, target)
			if len(entries) != 1 {
				t.Fatalf("%s: %d entries, want 1", tt.name, len(entries))
			}
			got := entries[0]
			if got.Actor != tt.wantActor || got.Role != tt.wantRole || got.Detail != tt.name || !got.At.Equal(clock.Now()) {
				t.Errorf("%s: recorded %+v; want actor %q, role %q, at %v", tt.name, got, tt.wantActor, tt.wantRole, clock.Now())
			}
			if prefix := fmt.Sprintf("%020d-", clock.Now().UnixNano()); !strings.HasPrefix(got.ID, prefix) {
				t.Errorf("%s: ID %q does not start with the time, %q", tt.name, got.ID, prefix)
			}
		}

		// Two entries in the same nanosecond are both kept.
		ctx := surveys.NewContextWithUser(base, amy)
		for range 2 {
			if err := log.Record(ctx, surveys.AuditCodesExport, "same-instant", ""); err != nil {
				t.Fatal(err)
			}
		}
		if same := auditOf(t, log, surveys.AuditCodesExport, "same-instant"); len(same) != 2 || same[0].ID == same[1].ID {
			t.Errorf("two entries at one instant: got %v", auditIDs(same))
		}

		// A nil log records nothing and does not fail.
		var none *surveys.AuditLog
		if err := none.Record(ctx, surveys.AuditSignIn, amy.Email, ""); err != nil {
			t.Errorf("a nil log: %v", err)
		}
	})
}

func TestAuditDetailIsClipped(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		log := newAuditLog(db, newStepClock(workspaceStart))
		tests := []struct {
			name, detail, want string
		}{
			{"short", "draft to open", "draft to open"},
			{"at the limit", strings.Repeat("é", surveys.MaxAuditDetail), strings.Repeat("é", surveys.MaxAuditDetail)},
			{"one over", strings.Repeat("é", surveys.MaxAuditDetail+1), strings.Repeat("é", surveys.MaxAuditDetail-1) + "…"},
			{"far over", strings.Repeat("ab", 3*surveys.MaxAuditDetail), strings.Repeat("ab", surveys.MaxAuditDetail/2)[:surveys.MaxAuditDetail-1] + "…"},
		}
		for _, tt := range tests {
			if err := log.Record(context.Background(), surveys.AuditSettingsUpdate, tt.name, tt.detail); err != nil {
				t.Fatal(err)
			}
			entries := auditOf(t, log, surveys.AuditSettingsUpdate, tt.name)
			if len(entries) != 1 {
				t.Fatalf("%s: %d entries", tt.name, len(entries))
			}
			got := entries[0].Detail
			if n := utf8.RuneCountInString(got); n > surveys.MaxAuditDetail {
				t.Errorf("%s: detail of %d characters kept; the most is %d", tt.name, n, surveys.MaxAuditDetail)
			}
			if got != tt.want {
				t.Errorf("%s: detail %q…, want %q…", tt.name, firstRunes(got, 20), firstRunes(tt.want, 20))
			}
		}
	})
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

func TestAuditLogFindRefusesBadFilters(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		store := mongo.NewAuditStore(db)
		e := fiveEntries(t, store)
		log := &surveys.AuditLog{Store: store, Now: time.Now}
		tests := []struct {
			name   string
			filter surveys.AuditFilter
			field  string
		}{
			{"negative limit", surveys.AuditFilter{Limit: -1}, "limit"},
			{"limit over the most", surveys.AuditFilter{Limit: surveys.MaxAuditPage + 1}, "limit"},
			{"unknown action", surveys.AuditFilter{Action: "survey.delete"}, "action"},
			{"action in another case", surveys.AuditFilter{Action: "SURVEY.EDIT"}, "action"},
			{"from after to", surveys.AuditFilter{From: workspaceStart.Add(time.Hour), To: workspaceStart}, "to"},
			{"from equal to to", surveys.AuditFilter{From: workspaceStart, To: workspaceStart}, "to"},
		}
		for _, tt := range tests {
			got, err := log.Find(testCtx(t), tt.filter)
			if surveys.ErrorCode(err) != surveys.EINVALID {
				t.Errorf("%s: got %d entries and %v, want EINVALID", tt.name, len(got), err)
				continue
			}
			if fields := surveys.ErrorFields(err); len(fields) != 1 || fields[tt.field] == "" {
				t.Errorf("%s: fields %v, want one message about %q", tt.name, fields, tt.field)
			}
			if got != nil {
				t.Errorf("%s: entries returned with the error", tt.name)
			}
		}

		// The refusals changed nothing, and the largest page is allowed.
		all, err := log.Find(testCtx(t), surveys.AuditFilter{Limit: surveys.MaxAuditPage})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(all, []*surveys.AuditEntry{e[4], e[3], e[2], e[1], e[0]}) {
			t.Errorf("after refused reads the log holds %v", auditIDs(all))
		}
		for _, a := range surveys.AuditActions {
			if _, err := log.Find(testCtx(t), surveys.AuditFilter{Action: a}); err != nil {
				t.Errorf("filter by %s: %v", a, err)
			}
		}
	})
}

func TestCodesAreAudited(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		s := openSurvey(t, db)
		clock := newStepClock(workspaceStart)
		log := newAuditLog(db, clock)
		codes := &surveys.Codes{Store: mongo.NewCodeStore(db), Surveys: mongo.NewSurveyStore(db), Audit: log, Now: clock.Now}
		ben := &surveys.User{Email: "ben@council.gov.uk", Role: surveys.RoleAnalyst}
		ctx = surveys.NewContextWithUser(ctx, ben)

		b, _, err := codes.Generate(ctx, s.Slug, 12, "Year 9")
		if err != nil {
			t.Fatal(err)
		}
		assertAudited(t, log, auditWant{Actor: ben.Email, Role: surveys.RoleAnalyst, Action: surveys.AuditCodesCreate,
			Target: s.Slug, Detail: fmt.Sprintf("batch %s: 12 codes", b.ID)})
		assertAuditCount(t, log, surveys.AuditCodesExport, s.Slug, 0)

		if _, _, err := codes.Print(ctx, s.Slug, b.ID); err != nil {
			t.Fatal(err)
		}
		assertAudited(t, log, auditWant{Actor: ben.Email, Role: surveys.RoleAnalyst, Action: surveys.AuditCodesExport,
			Target: s.Slug, Detail: fmt.Sprintf("batch %s: 12 code cards printed", b.ID)})

		// A refused print or batch records nothing.
		if _, _, err := codes.Print(ctx, s.Slug, b.ID); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("a second print: %v, want ECONFLICT", err)
		}
		if _, _, err := codes.Generate(ctx, s.Slug, 0, ""); surveys.ErrorCode(err) != surveys.EINVALID {
			t.Errorf("a batch of none: %v, want EINVALID", err)
		}
		assertAuditCount(t, log, surveys.AuditCodesExport, s.Slug, 1)
		assertAuditCount(t, log, surveys.AuditCodesCreate, s.Slug, 1)
	})
}
