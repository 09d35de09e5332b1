package mongo_test

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/surveytest"
)

// storedAction is an action with every field set, in three languages, as
// the service stores it (times to the millisecond).
func storedAction(id string) *surveys.Action {
	at := workspaceStart.Add(1500 * time.Millisecond)
	return &surveys.Action{
		ID:        id,
		Said:      surveys.Text{"en": "Young people said buses to contact are too long.", "pl": "Młodzi ludzie mówili, że autobusy jadą za długo.", "ar": "قال الشباب إن الحافلات طويلة جدًا."},
		Did:       surveys.Text{"en": "Taxis are booked for contact more than 45 minutes away."},
		Owner:     "Transport team",
		Due:       "2027-01-31",
		Status:    surveys.ActionInProgress,
		Themes:    []string{"transport", "family_friends"},
		Surveys:   []string{surveytest.Slug},
		Questions: []surveys.ActionQuestion{{Survey: surveytest.Slug, Question: "happy"}},
		Sessions:  []string{"made-2026-10"},
		Publish:   true,
		History: []surveys.ActionChange{
			{At: workspaceStart, Status: surveys.ActionPlanned, By: "ana@council.gov.uk"},
			{At: at, Status: surveys.ActionInProgress, By: "zoe@council.gov.uk"},
		},
		Revision: 2,
		Created:  workspaceStart,
		Updated:  at,
	}
}

func TestActionStoreRoundTrip(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := mongo.NewActionStore(db)
		ctx := testCtx(t)
		full := storedAction("b2")
		bare := &surveys.Action{ID: "a1", Said: surveys.Text{"en": "x"}, Did: surveys.Text{"en": "y"}, Owner: "Team",
			Status: surveys.ActionNotPossible, Reason: "No money.", Revision: 1, Created: workspaceStart, Updated: workspaceStart,
			History: []surveys.ActionChange{{At: workspaceStart, Status: surveys.ActionNotPossible, By: surveys.ActorCommandLine}}}
		for _, a := range []*surveys.Action{full, bare} {
			if err := st.CreateAction(ctx, a); err != nil {
				t.Fatalf("create %s: %v", a.ID, err)
			}
		}
		got, err := st.FindAction(ctx, "b2")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, full) {
			t.Errorf("read back:\n got %+v\nwant %+v", got, full)
		}
		all, err := st.FindActions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 || !reflect.DeepEqual(all[0], bare) || !reflect.DeepEqual(all[1], full) {
			t.Errorf("FindActions: %+v, want a1 (empty lists as nil) then b2", all)
		}
		if err := st.CreateAction(ctx, storedAction("b2")); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("a second action with the id: %v, want ECONFLICT", err)
		}
		if _, err := st.FindAction(ctx, "nope"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("unknown id: %v, want ENOTFOUND", err)
		}
	})
}

// An update names the revision it was made from: a stale one, or an
// unknown id, changes nothing; of several saves from one revision at once,
// exactly one is stored.
func TestActionStoreUpdateRevision(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := mongo.NewActionStore(db)
		ctx := testCtx(t)
		if err := st.CreateAction(ctx, storedAction("c3")); err != nil {
			t.Fatal(err)
		}
		next := storedAction("ignored")
		next.Status, next.Publish, next.Themes = surveys.ActionDone, false, nil
		got, err := st.UpdateAction(ctx, "c3", 2, next)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != "c3" || got.Revision != 3 || got.Status != surveys.ActionDone || got.Publish || got.Themes != nil {
			t.Errorf("updated: %+v", got)
		}
		if _, err := st.UpdateAction(ctx, "c3", 2, storedAction("c3")); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("stale revision: %v, want ECONFLICT", err)
		}
		if _, err := st.UpdateAction(ctx, "nope", 1, storedAction("nope")); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("unknown id: %v, want ENOTFOUND", err)
		}
		if now, _ := st.FindAction(ctx, "c3"); now.Revision != 3 || now.Status != surveys.ActionDone {
			t.Errorf("refused updates changed the action: %+v", now)
		}

		var wg sync.WaitGroup
		var mu sync.Mutex
		won, lost := 0, 0
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := storedAction("c3")
				a.Owner = fmt.Sprintf("Team %d", i)
				_, err := st.UpdateAction(ctx, "c3", 3, a)
				mu.Lock()
				defer mu.Unlock()
				switch surveys.ErrorCode(err) {
				case "":
					won++
				case surveys.ECONFLICT:
					lost++
				default:
					t.Errorf("update %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if won != 1 || lost != 7 {
			t.Errorf("8 saves from one revision: %d stored, %d refused; want 1 and 7", won, lost)
		}
		if now, _ := st.FindAction(ctx, "c3"); now.Revision != 4 {
			t.Errorf("revision %d after one more save, want 4", now.Revision)
		}
	})
}

// The service on the real stores: what it creates and changes reads back
// exactly, in List's order, and every change is in the audit log.
func TestActionsOnTheDatabase(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		clock := newStepClock(workspaceStart)
		themes := newThemes(db, clock)
		if err := themes.Load(testCtx(t)); err != nil {
			t.Fatal(err)
		}
		openSurvey(t, db)
		audit := newAuditLog(db, clock)
		svc := &surveys.Actions{Store: mongo.NewActionStore(db), Audit: audit, Now: clock.Now,
			Surveys: mongo.NewSurveyStore(db), Themes: themes}
		ctx := surveys.NewContextWithUser(testCtx(t), &surveys.User{Email: "ana@council.gov.uk", Role: surveys.RoleAnalyst})

		in := storedAction("")
		in.Status, in.Sessions = surveys.ActionPlanned, nil
		a, err := svc.Create(ctx, in)
		if err != nil {
			t.Fatalf("create: %v %v", err, surveys.ErrorFields(err))
		}
		clock.Advance(time.Hour)
		done := a.Clone()
		done.Status = surveys.ActionDone
		b, err := svc.Update(ctx, a.ID, a.Revision, done)
		if err != nil {
			t.Fatal(err)
		}
		list, err := svc.List(testCtx(t), surveys.ActionFilter{Survey: surveytest.Slug, Theme: "transport", Published: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || !reflect.DeepEqual(list[0], b) {
			t.Fatalf("List: %+v\nwant [%+v]", list, b)
		}
		if len(b.History) != 2 || b.History[1].Status != surveys.ActionDone || !b.History[1].At.Equal(workspaceStart.Add(time.Hour)) {
			t.Errorf("history %+v", b.History)
		}
		assertAudited(t, audit, auditWant{Actor: "ana@council.gov.uk", Role: surveys.RoleAnalyst, Action: surveys.AuditActionUpdate,
			Target: "action " + a.ID, Detail: "revision 1 to 2; changed: status planned to done"})
		assertAudited(t, audit, auditWant{Actor: "ana@council.gov.uk", Role: surveys.RoleAnalyst, Action: surveys.AuditActionCreate,
			Target: "action " + a.ID, Detail: "status planned, published"})
	})
}
