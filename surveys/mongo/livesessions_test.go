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

// storedLiveSession is a session with every field set, as one that has
// ended (times to the millisecond, as the service stores them).
func storedLiveSession(id string) *surveys.LiveSession {
	at := workspaceStart.Add(1500 * time.Millisecond)
	return &surveys.LiveSession{
		ID: id, Title: "MADE North — Charter check", Date: "2026-11-23", Group: "MADE North", Purpose: "Ask how well the Charter is kept.",
		Premoderate: true,
		Activities: append([]surveys.Activity{
			{ID: "poll-1", Kind: surveys.ActivityPoll, Prompt: "Where should we meet?", Options: []string{"Library", "Youth centre"}, Multiple: true,
				Themes: []string{"activities"}, Questions: []surveys.ActionQuestion{{Survey: surveytest.Slug, Question: "happy"}}},
			{ID: "q", Kind: surveys.ActivityQuestion, Prompt: "Anything else? \"Quotes\", <tags> & émoji 🙂"},
		}, surveys.SessionTemplates()...),
		Status: surveys.LiveEnded, Code: "ABC234", PresentKey: "present-secret",
		Attendance: map[string]int{"8-11": 4, "12-15": 7, "not known": 1},
		Published:  []string{"poll-1", "charter"},
		Revision:   5, Created: workspaceStart, Updated: at, Started: workspaceStart.Add(time.Hour), Ended: workspaceStart.Add(2 * time.Hour),
	}
}

func TestLiveSessionStoreRoundTrip(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := mongo.NewLiveSessionStore(db)
		ctx := testCtx(t)
		full := storedLiveSession("b2")
		// A draft as a facilitator starts one: no activities, nothing of
		// how it ran.
		bare := &surveys.LiveSession{ID: "a1", Title: "Draft", Date: "2026-12-01", Status: surveys.LiveDraft, Revision: 1,
			Created: workspaceStart, Updated: workspaceStart}
		older := &surveys.LiveSession{ID: "c3", Title: "Older", Date: "2026-10-01", Status: surveys.LiveDraft, Revision: 1,
			Created: workspaceStart, Updated: workspaceStart}
		same := &surveys.LiveSession{ID: "d4", Title: "Another draft", Date: "2026-12-01", Status: surveys.LiveDraft, Revision: 1,
			Created: workspaceStart, Updated: workspaceStart}
		for _, s := range []*surveys.LiveSession{full, bare, older, same} {
			if err := st.CreateLiveSession(ctx, s); err != nil {
				t.Fatalf("create %s: %v", s.ID, err)
			}
		}
		got, err := st.FindLiveSession(ctx, "b2")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, full) {
			t.Errorf("read back:\n got %+v\nwant %+v", got, full)
		}
		all, err := st.FindLiveSessions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []*surveys.LiveSession{same, bare, full, older} // newest date first, then by title
		if !reflect.DeepEqual(all, want) {
			for i, s := range all {
				t.Logf("%d: %+v", i, s)
			}
			t.Errorf("FindLiveSessions: not %v in that order", []string{"d4", "a1", "b2", "c3"})
		}
		if err := st.CreateLiveSession(ctx, storedLiveSession("b2")); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("a second session with the id: %v, want ECONFLICT", err)
		}
		if _, err := st.FindLiveSession(ctx, "nope"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("unknown id: %v, want ENOTFOUND", err)
		}
	})
}

// An update names the revision it was made from: a stale one, or an
// unknown id, changes nothing; of several saves from one revision at once,
// exactly one is stored.
func TestLiveSessionStoreUpdateRevision(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := mongo.NewLiveSessionStore(db)
		ctx := testCtx(t)
		if err := st.CreateLiveSession(ctx, storedLiveSession("s1")); err != nil {
			t.Fatal(err)
		}
		next := storedLiveSession("ignored")
		next.Title, next.Activities, next.Attendance, next.Started = "Renamed", nil, nil, time.Time{}
		got, err := st.UpdateLiveSession(ctx, "s1", 5, next)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != "s1" || got.Revision != 6 || got.Title != "Renamed" || got.Activities != nil || got.Attendance != nil || !got.Started.IsZero() {
			t.Errorf("updated: %+v", got)
		}
		if _, err := st.UpdateLiveSession(ctx, "s1", 5, storedLiveSession("s1")); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("stale revision: %v, want ECONFLICT", err)
		}
		if _, err := st.UpdateLiveSession(ctx, "nope", 1, storedLiveSession("nope")); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("unknown id: %v, want ENOTFOUND", err)
		}
		if now, _ := st.FindLiveSession(ctx, "s1"); now.Revision != 6 || now.Title != "Renamed" {
			t.Errorf("refused updates changed the session: %+v", now)
		}

		var wg sync.WaitGroup
		var mu sync.Mutex
		won, lost := 0, 0
		for i := range 8 {
			wg.Go(func() {
				s := storedLiveSession("s1")
				s.Title = fmt.Sprintf("Save %d", i)
				_, err := st.UpdateLiveSession(ctx, "s1", 6, s)
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
			})
		}
		wg.Wait()
		if won != 1 || lost != 7 {
			t.Errorf("8 saves from one revision: %d stored, %d refused; want 1 and 7", won, lost)
		}
		if now, _ := st.FindLiveSession(ctx, "s1"); now.Revision != 7 {
			t.Errorf("revision %d after one more save, want 7", now.Revision)
		}
	})
}

// A join code leads to its session, and is never given to a second one.
func TestJoinCodeStore(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := mongo.NewLiveSessionStore(db)
		ctx := testCtx(t)
		if err := st.ClaimJoinCode(ctx, "ABC234", "s1"); err != nil {
			t.Fatal(err)
		}
		if err := st.ClaimJoinCode(ctx, "ABC234", "s2"); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("a code given twice: %v, want ECONFLICT", err)
		}
		if err := st.ClaimJoinCode(ctx, "ABC234", "s1"); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("a code given again to its own session: %v, want ECONFLICT", err)
		}
		if id, err := st.FindJoinCode(ctx, "ABC234"); err != nil || id != "s1" {
			t.Errorf("FindJoinCode: %q %v, want s1", id, err)
		}
		if _, err := st.FindJoinCode(ctx, "ZZZ999"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("an unknown code: %v, want ENOTFOUND", err)
		}

		// Of several sessions claiming one code at once, exactly one has it.
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		for i := range 8 {
			wg.Go(func() {
				err := st.ClaimJoinCode(ctx, "RACE22", fmt.Sprintf("s%d", i))
				mu.Lock()
				defer mu.Unlock()
				switch surveys.ErrorCode(err) {
				case "":
					won++
				case surveys.ECONFLICT:
				default:
					t.Errorf("claim %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		if won != 1 {
			t.Errorf("8 claims of one code: %d won, want 1", won)
		}
	})
}

// The service on the real stores: what it creates, changes and copies
// reads back exactly, and every change is in the audit log.
func TestLiveSessionsOnTheDatabase(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		clock := newStepClock(workspaceStart)
		themes := newThemes(db, clock)
		if err := themes.Load(testCtx(t)); err != nil {
			t.Fatal(err)
		}
		openSurvey(t, db)
		audit := newAuditLog(db, clock)
		settings := &surveys.SettingsService{Store: mongo.NewSettingsStore(db), Audit: audit, Now: clock.Now,
			Defaults: surveys.Settings{CouncilName: "Test", Threshold: 5, Groups: []string{"MADE North"}}}
		svc := &surveys.LiveSessions{Store: mongo.NewLiveSessionStore(db), Settings: settings, Themes: themes,
			Surveys: mongo.NewSurveyStore(db), Audit: audit, Now: clock.Now}
		ctx := surveys.NewContextWithUser(testCtx(t), &surveys.User{Email: "fay@council.gov.uk", Role: surveys.RoleFacilitator})

		in := storedLiveSession("")
		s, err := svc.Create(ctx, in)
		if err != nil {
			t.Fatalf("create: %v %v", err, surveys.ErrorFields(err))
		}
		if s.Status != surveys.LiveDraft || s.Code != "" || s.Attendance != nil || len(s.ID) != 16 {
			t.Errorf("created %+v", s)
		}
		clock.Advance(time.Hour)
		moved := s.Clone()
		moved.Activities = append(moved.Activities[1:], moved.Activities[0])
		u, err := svc.Update(ctx, s.ID, s.Revision, moved)
		if err != nil {
			t.Fatalf("update: %v %v", err, surveys.ErrorFields(err))
		}
		if got, err := svc.Find(ctx, s.ID); err != nil || !reflect.DeepEqual(got, u) {
			t.Errorf("read back %+v (%v)\nwant %+v", got, err, u)
		}
		clock.Advance(time.Hour)
		c, err := svc.Copy(ctx, s.ID)
		if err != nil {
			t.Fatalf("copy: %v %v", err, surveys.ErrorFields(err))
		}
		list, err := svc.List(ctx) // one date: by title, the copy's " (copy)" last
		if err != nil || len(list) != 2 || !reflect.DeepEqual(list[0], u) || !reflect.DeepEqual(list[1], c) {
			t.Errorf("List: %+v (%v)", list, err)
		}
		assertAudited(t, audit, auditWant{Actor: "fay@council.gov.uk", Role: surveys.RoleFacilitator, Action: surveys.AuditSessionUpdate,
			Target: "session " + s.ID, Detail: "revision 1 to 2; changed: activities (7 to 7)"})
		assertAudited(t, audit, auditWant{Actor: "fay@council.gov.uk", Role: surveys.RoleFacilitator, Action: surveys.AuditSessionCopy,
			Target: "session " + c.ID, Detail: "copy of session " + s.ID + "; 2026-11-23, MADE North, 7 activities (question, rating, ideas, dots, words, rating, poll)"})
	})
}
