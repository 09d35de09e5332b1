package mongo_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/mongo/mongotest"
	"github.com/heard-app/heard/surveys/redact"
	"github.com/heard-app/heard/surveys/templates"
)

// storedMeeting is a meeting with every field set, as the service stores
// it (times to the second).
func storedMeeting(id, school, day string) *surveys.CouncilMeeting {
	return &surveys.CouncilMeeting{ID: id, School: school, Area: "North", Day: day, Pupils: 14,
		YearGroups: []surveys.YearGroup{"R", "5", "13"},
		Items: []surveys.CouncilItem{
			{ID: "1", Said: "More clubs at lunchtime", Themes: []string{"activities", "education"}, Machine: []string{"activities"},
				Checked: true, Support: 40, Priority: true, Status: surveys.ItemPlanned, Note: "Art club after half term"},
			{ID: "2", Said: "The toilets need fixing", Support: 0, Status: surveys.ItemNotYet},
		},
		Revision: 2, Created: workspaceStart, Updated: workspaceStart.Add(time.Hour)}
}

func TestCouncilStoreRoundTrip(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := mongo.NewCouncilStore(db)
		ctx := testCtx(t)
		full := storedMeeting("m1", "kirkby-high", "2026-11-18")
		bare := &surveys.CouncilMeeting{ID: "m2", School: "kirkby-high", Day: "2026-11-19", Pupils: 1, Revision: 1,
			Created: workspaceStart, Updated: workspaceStart}
		n, err := st.CreateMeetings(ctx, []*surveys.CouncilMeeting{full, bare})
		if err != nil || n != 2 {
			t.Fatalf("create: %d (%v)", n, err)
		}
		got, err := st.FindMeeting(ctx, "m1")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, full) {
			t.Errorf("read back:\n got %+v\nwant %+v", got, full)
		}
		if got, _ := st.FindMeeting(ctx, "m2"); !reflect.DeepEqual(got, bare) {
			t.Errorf("a meeting with no items or year groups read back as %+v", got)
		}
		// Stored again (a retried import): left as it is, and not new.
		changed := storedMeeting("m1", "kirkby-high", "2026-11-18")
		changed.Pupils = 99
		third := storedMeeting("m3", "kirkby-high", "2026-11-20")
		if n, err := st.CreateMeetings(ctx, []*surveys.CouncilMeeting{changed, third}); err != nil || n != 1 {
			t.Errorf("create again: %d new (%v), want 1", n, err)
		}
		if got, _ := st.FindMeeting(ctx, "m1"); got.Pupils != 14 {
			t.Errorf("a meeting stored again was replaced: %d pupils", got.Pupils)
		}
		if n, err := st.CreateMeetings(ctx, nil); err != nil || n != 0 {
			t.Errorf("create nothing: %d (%v)", n, err)
		}
		if _, err := st.FindMeeting(ctx, "nope"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("unknown id: %v, want ENOTFOUND", err)
		}
	})
}

func TestCouncilStoreFindMeetings(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := mongo.NewCouncilStore(db)
		ctx := testCtx(t)
		ms := []*surveys.CouncilMeeting{
			storedMeeting("b", "kirkby-high", "2026-10-01"),
			storedMeeting("a", "kirkby-high", "2026-10-01"),
			storedMeeting("c", "kirkby-high", "2026-12-31"),
			storedMeeting("d", "halewood", "2026-09-01"),
			storedMeeting("e", "halewood", "2026-08-31"),
		}
		if _, err := st.CreateMeetings(ctx, ms); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			f    surveys.CouncilFilter
			want string
		}{
			{surveys.CouncilFilter{}, "c a b d e"},
			{surveys.CouncilFilter{School: "kirkby-high"}, "c a b"},
			{surveys.CouncilFilter{School: "halewood", From: "2026-09-01"}, "d"},
			{surveys.CouncilFilter{From: "2026-09-01", To: "2026-12-31"}, "c a b d"},
			{surveys.CouncilFilter{To: "2026-10-01"}, "a b d e"},
			{surveys.CouncilFilter{School: "nobody"}, ""},
		}
		for _, tt := range tests {
			got, err := st.FindMeetings(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, m := range got {
				ids = append(ids, m.ID)
				if !tt.f.Match(m) {
					t.Errorf("%+v: %s does not match", tt.f, m.ID)
				}
			}
			if strings.Join(ids, " ") != tt.want {
				t.Errorf("%+v: %v, want %s", tt.f, ids, tt.want)
			}
		}
	})
}

// An update or delete names the revision it was made from: a stale one,
// or an unknown id, changes nothing; of several saves from one revision at
// once, exactly one is stored.
func TestCouncilStoreRevisions(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := mongo.NewCouncilStore(db)
		ctx := testCtx(t)
		if _, err := st.CreateMeetings(ctx, []*surveys.CouncilMeeting{storedMeeting("m1", "kirkby-high", "2026-11-18")}); err != nil {
			t.Fatal(err)
		}
		next := storedMeeting("m1", "kirkby-high", "2026-11-11")
		next.Items = next.Items[:1]
		got, err := st.UpdateMeeting(ctx, 2, next)
		if err != nil {
			t.Fatal(err)
		}
		if got.Revision != 3 || got.Day != "2026-11-11" || len(got.Items) != 1 {
			t.Errorf("updated %+v", got)
		}
		if stored, _ := st.FindMeeting(ctx, "m1"); !reflect.DeepEqual(stored, got) {
			t.Errorf("stored %+v, returned %+v", stored, got)
		}
		if _, err := st.UpdateMeeting(ctx, 2, storedMeeting("m1", "kirkby-high", "2026-01-01")); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("stale revision: %v, want ECONFLICT", err)
		}
		if _, err := st.UpdateMeeting(ctx, 1, storedMeeting("nope", "kirkby-high", "2026-01-01")); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("unknown id: %v, want ENOTFOUND", err)
		}
		if err := st.DeleteMeeting(ctx, "m1", 2); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("delete from a stale revision: %v, want ECONFLICT", err)
		}
		if err := st.DeleteMeeting(ctx, "nope", 1); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("delete an unknown id: %v, want ENOTFOUND", err)
		}
		if stored, _ := st.FindMeeting(ctx, "m1"); stored.Revision != 3 || stored.Day != "2026-11-11" {
			t.Errorf("refused changes changed the meeting: %+v", stored)
		}

		var wg sync.WaitGroup
		var mu sync.Mutex
		won, lost := 0, 0
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m := storedMeeting("m1", "kirkby-high", "2026-11-11")
				m.Pupils = 100 + i
				_, err := st.UpdateMeeting(ctx, 3, m)
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
		if err := st.DeleteMeeting(ctx, "m1", 4); err != nil {
			t.Fatal(err)
		}
		if _, err := st.FindMeeting(ctx, "m1"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("after delete: %v", err)
		}
	})
}

// councilSchools are the schools of the councils tests: two areas of
// three schools and one of two.
var councilSchools = []surveys.School{
	{Key: "kirkby-high", Name: "Kirkby High School", Area: "North", Phase: surveys.PhaseSecondary},
	{Key: "st-marys", Name: "St Mary's Catholic Primary", Area: "North", Phase: surveys.PhasePrimary},
	{Key: "huyton-primary", Name: "Huyton Primary", Area: "Central", Phase: surveys.PhasePrimary},
	{Key: "page-moss", Name: "Page Moss Primary", Area: "Central", Phase: surveys.PhasePrimary},
	{Key: "halewood-academy", Name: "Halewood Academy", Area: "South", Phase: surveys.PhaseSecondary},
}

// councilsOnDB is the Councils service on real stores.
type councilsOnDB struct {
	*surveys.Councils
	voices *surveys.Voices
	store  *mongo.CouncilStore
	vs     *mongo.VoiceStore
	clock  *stepClock
}

func newCouncilsOnDB(t *testing.T, db *mongo.DB) *councilsOnDB {
	t.Helper()
	clock := newStepClock(workspaceStart)
	themes := newThemes(db, clock)
	if err := themes.Load(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	audit := themes.Audit
	settings := &surveys.SettingsService{Store: mongo.NewSettingsStore(db), Audit: audit, Now: clock.Now,
		Defaults: surveys.Settings{CouncilName: "Knowsley Council", Threshold: 5, Areas: []string{"North", "Central", "South"}, Schools: councilSchools}}
	f := &councilsOnDB{store: mongo.NewCouncilStore(db), vs: mongo.NewVoiceStore(db), clock: clock}
	f.voices = &surveys.Voices{Store: f.vs, Themes: themes, Audit: audit, Now: clock.Now}
	f.Councils = &surveys.Councils{Store: f.store, Voices: f.vs, Themes: themes, Settings: settings, Audit: audit, Now: clock.Now,
		Catalog: &surveys.Catalog{Store: mongo.NewSurveyStore(db), Audit: audit, Now: clock.Now}, Templates: templates.All,
		Redactor: redact.ForSchools}
	return f
}

// lead is a context of the school lead of a school.
func lead(t *testing.T, school string) context.Context {
	return as(t, &surveys.User{Email: "lead@" + school + ".sch.uk", Role: surveys.RoleSchoolLead, School: school})
}

// summaryOf counts the school council channel's comments of an area this
// autumn: the total and each theme's, "-" for none.
func (f *councilsOnDB) summaryOf(t *testing.T, area string) map[string]string {
	t.Helper()
	s, err := f.voices.Summary(testCtx(t), surveys.SummaryQuery{From: "2026-09-01", To: "2026-11-23",
		Channel: surveys.ChannelSchoolCouncil, Area: area}, 1)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	if s.Voices.Total != nil {
		out["total"] = fmt.Sprint(*s.Voices.Total)
	}
	for _, r := range s.Themes {
		if r.Total != nil && *r.Total > 0 {
			out[r.Key] = fmt.Sprint(*r.Total)
		}
	}
	return out
}

func (f *councilsOnDB) voicesOf(t *testing.T) []*surveys.Voice {
	t.Helper()
	vs, err := f.vs.FindVoices(testCtx(t), surveys.VoiceFilter{Channel: surveys.ChannelSchoolCouncil})
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

// TestCouncilsOnTheDatabase follows a meeting through the service on the
// real stores: its items are heard in the theme summary for its area; an
// edited item replaces its voice rather than counting twice; themes the
// lead chooses are in force; a deleted meeting's voices are gone, while a
// flag its items raised stays.
func TestCouncilsOnTheDatabase(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		f := newCouncilsOnDB(t, db)
		ctx := lead(t, "kirkby-high")
		m := &surveys.CouncilMeeting{Day: "2026-11-18", Pupils: 14, YearGroups: []surveys.YearGroup{"9", "7"},
			Items: []surveys.CouncilItem{
				{Said: "More clubs at lunchtime, especially football and art", Support: 40, Priority: true},
				{Said: "The buses are always late", Support: 25, Status: surveys.ItemInProgress, Note: "We wrote to Merseytravel"},
				{Said: "someone at home hits me", Support: 1},
			}}
		saved, err := f.Record(ctx, "kirkby-high", m)
		if err != nil {
			t.Fatal(err)
		}
		if saved.Flagged != 1 || saved.Meeting.Area != "North" {
			t.Errorf("recorded: flagged %d, area %q", saved.Flagged, saved.Meeting.Area)
		}
		id := saved.Meeting.ID
		stored, err := f.store.FindMeeting(testCtx(t), id)
		if err != nil || !reflect.DeepEqual(stored, saved.Meeting) {
			t.Errorf("stored:\n %+v (%v)\nrecorded:\n %+v", stored, err, saved.Meeting)
		}
		want := map[string]string{"total": "3", "activities": "1", "transport": "1", "safety": "1", "home_placement": "1"}
		if got := f.summaryOf(t, "North"); !reflect.DeepEqual(got, want) {
			t.Errorf("summary after recording: %v, want %v", got, want)
		}
		if got := f.summaryOf(t, "South"); len(got) != 0 {
			t.Errorf("another area's summary counts the meeting: %v", got)
		}
		for _, v := range f.voicesOf(t) {
			if v.Source.Meeting != id || v.Source.School != "kirkby-high" || v.Area != "North" || v.Day != "2026-11-18" {
				t.Errorf("voice as stored: %+v", v)
			}
		}

		// The lead rewords the bus item and chooses themes for the clubs.
		f.clock.Advance(time.Minute)
		next := saved.Meeting
		next.Items[1].Said = "More trips out"
		next.Items[0].Themes = []string{"education"}
		saved, err = f.Update(ctx, "kirkby-high", id, 1, next)
		if err != nil {
			t.Fatal(err)
		}
		if saved.Flagged != 0 || saved.Meeting.Revision != 2 {
			t.Errorf("updated: flagged %d, revision %d", saved.Flagged, saved.Meeting.Revision)
		}
		want = map[string]string{"total": "3", "activities": "1", "education": "1", "safety": "1", "home_placement": "1"}
		if got := f.summaryOf(t, "North"); !reflect.DeepEqual(got, want) {
			t.Errorf("summary after the update: %v, want %v", got, want)
		}
		if n := len(f.voicesOf(t)); n != 3 {
			t.Errorf("%d voices after the update, want 3", n)
		}

		// A save from the first revision is refused and changes nothing.
		stale := saved.Meeting
		stale.Items = stale.Items[:1]
		if _, err := f.Update(ctx, "kirkby-high", id, 1, stale); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("a stale update: %v, want ECONFLICT", err)
		}
		if err := f.Delete(ctx, "kirkby-high", id, 1); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("a stale delete: %v, want ECONFLICT", err)
		}
		if got := f.summaryOf(t, "North"); !reflect.DeepEqual(got, want) {
			t.Errorf("summary after refused saves: %v, want %v", got, want)
		}

		// Who may see and keep it.
		for who, ctx := range map[string]context.Context{
			"a lead of another school": lead(t, "halewood-academy"),
			"a board member":           as(t, &surveys.User{Email: "cllr@council.gov.uk", Role: surveys.RoleBoard}),
			"a facilitator":            as(t, &surveys.User{Email: "made@council.gov.uk", Role: surveys.RoleFacilitator}),
		} {
			if _, err := f.Meeting(ctx, "kirkby-high", id); surveys.ErrorCode(err) != surveys.ENOTFOUND {
				t.Errorf("%s reads the meeting: %v", who, err)
			}
			if _, err := f.Meetings(ctx, "kirkby-high"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
				t.Errorf("%s lists the meetings: %v", who, err)
			}
			if _, err := f.Update(ctx, "kirkby-high", id, 2, stale); surveys.ErrorCode(err) != surveys.ENOTFOUND {
				t.Errorf("%s updates the meeting: %v", who, err)
			}
			if err := f.Delete(ctx, "kirkby-high", id, 2); surveys.ErrorCode(err) != surveys.ENOTFOUND {
				t.Errorf("%s deletes the meeting: %v", who, err)
			}
			if _, err := f.Record(ctx, "kirkby-high", stale); surveys.ErrorCode(err) != surveys.ENOTFOUND {
				t.Errorf("%s records a meeting: %v", who, err)
			}
		}
		if _, err := f.Meeting(lead(t, "halewood-academy"), "halewood-academy", id); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("a lead reading another school's meeting through their own: %v", err)
		}
		for _, u := range []*surveys.User{analyst, {Email: "admin@council.gov.uk", Role: surveys.RoleAdmin}} {
			if ms, err := f.Meetings(as(t, u), "kirkby-high"); err != nil || len(ms) != 1 {
				t.Errorf("%s lists %d meetings (%v)", u.Role, len(ms), err)
			}
		}
		if ms, _ := f.store.FindMeetings(testCtx(t), surveys.CouncilFilter{}); len(ms) != 1 || ms[0].Revision != 2 {
			t.Errorf("refused calls changed the meetings: %+v", ms)
		}

		f.clock.Advance(time.Minute)
		if err := f.Delete(ctx, "kirkby-high", id, 2); err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.FindMeeting(testCtx(t), id); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("the deleted meeting: %v", err)
		}
		if got := f.summaryOf(t, "North"); len(got) != 0 {
			t.Errorf("summary after the delete: %v, want nothing", got)
		}
		if n := len(f.voicesOf(t)); n != 0 {
			t.Errorf("%d voices after the delete", n)
		}
		flags, err := mongo.NewFlagStore(db).FindFlags(testCtx(t), surveys.FlagFilter{})
		if err != nil || len(flags) != 1 || flags[0].Text != "someone at home hits me" || flags[0].Channel != surveys.ChannelSchoolCouncil {
			t.Errorf("flags after the delete: %+v (%v); want the one raised kept", flags, err)
		}
		assertAuditCount(t, f.Audit, surveys.AuditCouncilRecord, "kirkby-high", 1)
		assertAuditCount(t, f.Audit, surveys.AuditCouncilUpdate, "kirkby-high", 1)
		assertAudited(t, f.Audit, auditWant{Actor: "lead@kirkby-high.sch.uk", Role: surveys.RoleSchoolLead,
			Action: surveys.AuditCouncilDelete, Target: "kirkby-high", Detail: "meeting of 2026-11-18"})
	})
}

// TestCouncilImportOnTheDatabase imports a file full of mistakes (nothing
// stored), a good one (its meetings, items and voices stored), and the
// good one again (nothing stored twice).
func TestCouncilImportOnTheDatabase(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		f := newCouncilsOnDB(t, db)
		ctx := lead(t, "huyton-primary")
		count := func() (int, int) {
			t.Helper()
			ms, err := f.store.FindMeetings(testCtx(t), surveys.CouncilFilter{})
			if err != nil {
				t.Fatal(err)
			}
			vs, err := f.vs.FindVoices(testCtx(t), surveys.VoiceFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return len(ms), len(vs)
		}
		const header = "date,pupils,year_groups,said,supported_by,priority,status,school_did,themes\n"
		mistakes := header +
			"2026-10-14,12,Year 5,Good row,,,,,\n" +
			"2026-12-01,5,Year 5,In the future,,,,,\n" +
			"2026-10-15,,Year 14,Two mistakes,,perhaps,,,\n" +
			"2026-10-16,5,Y6,Cannot,,,not possible,,\n"
		_, err := f.Import(ctx, "huyton-primary", []byte(mistakes))
		want := []string{
			"Row 3, date: must not be after today.",
			"Row 4, year_groups: \"Year 14\" is not a year group; write Reception or Year 1 to Year 13, separated by semicolons.",
			"Row 4, priority: must be yes or no.",
			"Row 4, pupils: must give how many pupils took part, on the first row of each meeting.",
			"Row 5, school_did: must say why it is not possible.",
		}
		if got := surveys.ImportProblemList(err); surveys.ErrorCode(err) != surveys.EINVALID || !sameSet(got, want) {
			t.Errorf("mistakes:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
		if m, v := count(); m != 0 || v != 0 {
			t.Errorf("a file with mistakes stored %d meetings and %d voices", m, v)
		}

		good := header +
			"2026-10-14,12,Year 5; Year 6,More clubs at lunchtime,40,yes,planned,Art club after half term,Things to do\n" +
			"2026-10-14,,,The buses are always late,25,no,done,We wrote to the bus company,transport;money\n" +
			"04/11/2026,8,Reception,We want a bigger playground,9,,,,\n"
		res, err := f.Import(ctx, "huyton-primary", []byte("\ufeff"+good))
		if err != nil {
			t.Fatalf("%v\n%s", err, strings.Join(surveys.ImportProblemList(err), "\n"))
		}
		if *res != (surveys.CouncilImport{Meetings: 2, New: 2, Items: 3}) {
			t.Errorf("import: %+v", res)
		}
		if m, v := count(); m != 2 || v != 3 {
			t.Errorf("after the import: %d meetings, %d voices; want 2 and 3", m, v)
		}
		ms, _ := f.Meetings(ctx, "huyton-primary")
		if len(ms) != 2 || ms[0].Day != "2026-11-04" || ms[1].Day != "2026-10-14" || ms[1].Area != "Central" ||
			!slices.Equal(ms[1].Items[1].Themes, []string{"transport", "money"}) || !ms[1].Items[1].Checked {
			t.Errorf("imported meetings: %+v", ms)
		}
		wantSummary := map[string]string{"total": "3", "activities": "2", "transport": "1", "money": "1"}
		if got := f.summaryOf(t, "Central"); !reflect.DeepEqual(got, wantSummary) {
			t.Errorf("summary: %v, want %v", got, wantSummary)
		}

		f.clock.Advance(time.Minute)
		res, err = f.Import(ctx, "huyton-primary", []byte(good))
		if err != nil || res.New != 0 || res.Meetings != 2 {
			t.Errorf("importing again: %+v (%v)", res, err)
		}
		if m, v := count(); m != 2 || v != 3 {
			t.Errorf("after importing again: %d meetings, %d voices; want 2 and 3", m, v)
		}
		if got := f.summaryOf(t, "Central"); !reflect.DeepEqual(got, wantSummary) {
			t.Errorf("summary after importing again: %v, want %v", got, wantSummary)
		}
		assertAudited(t, f.Audit, auditWant{Actor: "lead@huyton-primary.sch.uk", Role: surveys.RoleSchoolLead,
			Action: surveys.AuditCouncilImport, Target: "huyton-primary", Detail: "2 meetings (0 new), 3 items"})
		if _, err := f.Import(lead(t, "page-moss"), "huyton-primary", []byte(good)); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("another school's lead importing: %v", err)
		}
	})
}

func sameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

// TestSchoolSurveyOnTheDatabase starts a school's pupil survey and answers
// it: the survey keeps its school and area, and its comments are the
// school council channel's, in the school's area.
func TestSchoolSurveyOnTheDatabase(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		f := newCouncilsOnDB(t, db)
		ctx := lead(t, "page-moss")
		s, err := f.StartSurvey(ctx, "page-moss")
		if err != nil {
			t.Fatal(err)
		}
		stored, err := mongo.NewSurveyStore(db).FindSurvey(testCtx(t), s.Slug)
		if err != nil || stored.School != "page-moss" || stored.Area != "Central" || stored.Status != surveys.StatusOpen {
			t.Fatalf("stored survey: %+v (%v)", stored, err)
		}
		in := intakeWithCoder(t, db, stored)
		sub := surveys.Submission{ID: "00000000-0000-4000-8000-000000000077", Version: "pupils", Lang: "en",
			Answers: rawAnswers(map[string]string{"idea_text": `"more football clubs"`, "year_group": `"years_5_6"`})}
		if _, err := in.Submit(testCtx(t), s.Slug, sub); err != nil {
			t.Fatal(err)
		}
		voices := f.voicesOf(t)
		if len(voices) != 1 || voices[0].Area != "Central" || voices[0].Source.School != "page-moss" || voices[0].Source.Survey != s.Slug {
			t.Fatalf("voices of the school's survey: %+v", voices)
		}
		if got := f.summaryOf(t, "Central"); !reflect.DeepEqual(got, map[string]string{"total": "1", "activities": "1"}) {
			t.Errorf("summary: %v", got)
		}
		if _, err := f.StartSurvey(ctx, "page-moss"); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("starting again: %v, want ECONFLICT", err)
		}
		if _, err := f.StartSurvey(lead(t, "huyton-primary"), "page-moss"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("another school's lead: %v", err)
		}
	})
}

// TestDeleteVoices removes voices: neither they nor their digests are
// found after, ids that are not voices are skipped, deleting twice is
// fine, the flags they raised stay, and the other voices of their day, in
// any of its digest documents, are untouched.
func TestDeleteVoices(t *testing.T) {
	t.Parallel()
	run := func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		mongo.SetDigestChunkSize(db, 2) // a day of several digest documents
		vs := mongo.NewVoiceStore(db)
		coding := surveys.Coding{Themes: []surveys.ThemeMatch{{Key: "activities", Score: 1}}, Sentiment: surveys.Neutral}
		worry := surveys.Coding{Themes: []surveys.ThemeMatch{{Key: "safety", Score: 1}}, Sentiment: surveys.Negative,
			Risk: surveys.Risk{Flag: true, Kinds: []surveys.RiskKind{surveys.RiskAbuse}, Evidence: []string{"hits me"}}}
		var voices []*surveys.Voice
		for i, text := range []string{"more clubs", "someone at home hits me", "more trips", "a bigger playground", "a water fountain"} {
			v := &surveys.Voice{ID: fmt.Sprintf("v%d", i), Channel: surveys.ChannelSchoolCouncil, Text: text, Lang: "en",
				Day: "2026-11-18", Area: "North", Machine: coding, Source: surveys.VoiceSource{School: "kirkby-high", Meeting: "m1", Activity: fmt.Sprint(i + 1)}}
			if i == 1 {
				v.Machine = worry
			}
			if i == 4 {
				v.Day = "2026-11-19"
			}
			voices = append(voices, v)
		}
		if err := vs.AddVoices(ctx, voices); err != nil {
			t.Fatal(err)
		}
		if got, _ := vs.FindVoice(ctx, "v0"); got == nil || got.Source != voices[0].Source {
			t.Errorf("a voice's source read back as %+v, want %+v", got.Source, voices[0].Source)
		}
		digestIDs := func() []string {
			t.Helper()
			all, err := vs.VoiceDigests(ctx, "2026-11-01", "2026-11-30")
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, d := range all {
				ids = append(ids, d.ID)
			}
			slices.Sort(ids)
			return ids
		}
		if got := digestIDs(); !slices.Equal(got, []string{"v0", "v1", "v2", "v3", "v4"}) {
			t.Fatalf("digests before: %v", got)
		}
		// v1 is in the day's first document, v2 in its second.
		if err := vs.DeleteVoices(ctx, []string{"v1", "v2", "not-a-voice"}); err != nil {
			t.Fatal(err)
		}
		if got := digestIDs(); !slices.Equal(got, []string{"v0", "v3", "v4"}) {
			t.Errorf("digests after deleting v1 and v2: %v", got)
		}
		for _, id := range []string{"v1", "v2"} {
			if _, err := vs.FindVoice(ctx, id); surveys.ErrorCode(err) != surveys.ENOTFOUND {
				t.Errorf("FindVoice(%s) after delete: %v, want ENOTFOUND", id, err)
			}
		}
		if all, _ := vs.FindVoices(ctx, surveys.VoiceFilter{}); len(all) != 3 {
			t.Errorf("%d voices left, want 3", len(all))
		}
		flags, err := mongo.NewFlagStore(db).FindFlags(ctx, surveys.FlagFilter{})
		if err != nil || len(flags) != 1 || flags[0].ID != "v1" {
			t.Errorf("flags after delete: %+v (%v), want v1's kept", flags, err)
		}
		if err := vs.DeleteVoices(ctx, []string{"v1", "v2"}); err != nil {
			t.Errorf("deleting again: %v", err)
		}
		if err := vs.DeleteVoices(ctx, nil); err != nil {
			t.Errorf("deleting nothing: %v", err)
		}
		// A restart forgets what this process knew of the documents: what
		// is stored says the same.
		mongo.ForgetDigestChunks(db)
		if got := digestIDs(); !slices.Equal(got, []string{"v0", "v3", "v4"}) {
			t.Errorf("digests read afresh: %v", got)
		}
		// A voice deleted can be stored again, with its digest.
		if err := vs.AddVoices(ctx, voices[2:3]); err != nil {
			t.Fatal(err)
		}
		if got := digestIDs(); !slices.Equal(got, []string{"v0", "v2", "v3", "v4"}) {
			t.Errorf("digests after storing v2 again: %v", got)
		}
		// Every voice of a day gone: its documents hold no digests.
		if err := vs.DeleteVoices(ctx, []string{"v0", "v2", "v3", "v4"}); err != nil {
			t.Fatal(err)
		}
		if got := digestIDs(); len(got) != 0 {
			t.Errorf("digests after deleting every voice: %v", got)
		}
	}
	forEachTarget(t, run)
	t.Run("shared", func(t *testing.T) { run(t, mongotest.OpenShared(t)) })
}

// TestSetSchool links school leads to schools: only a school lead, only a
// school of the settings, each change in the audit log.
func TestSetSchool(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := newStaff(db)
		st.add(t, "admin@council.gov.uk", surveys.RoleAdmin)
		st.add(t, "lead@kirkby.sch.uk", surveys.RoleSchoolLead)
		st.add(t, "ana@council.gov.uk", surveys.RoleAnalyst)
		ctx := as(t, &surveys.User{Email: "admin@council.gov.uk", Role: surveys.RoleAdmin})

		u, err := st.accounts.SetSchool(ctx, "lead@kirkby.sch.uk", "kirkby-high", councilSchools)
		if err != nil || u.School != "kirkby-high" {
			t.Fatalf("link: %+v (%v)", u, err)
		}
		if got := st.user(t, "lead@kirkby.sch.uk"); got.School != "kirkby-high" || got.Role != surveys.RoleSchoolLead {
			t.Errorf("stored: %+v", got)
		}
		assertAudited(t, st.log, auditWant{Actor: "admin@council.gov.uk", Role: surveys.RoleAdmin, Action: surveys.AuditUserSchool,
			Target: "lead@kirkby.sch.uk", Detail: "linked to Kirkby High School"})

		// The same school again changes nothing, and is not audited.
		if _, err := st.accounts.SetSchool(ctx, "lead@kirkby.sch.uk", "kirkby-high", councilSchools); err != nil {
			t.Fatal(err)
		}
		assertAuditCount(t, st.log, surveys.AuditUserSchool, "lead@kirkby.sch.uk", 1)

		refused := []struct {
			name, email, school, field string
		}{
			{"a school not in the settings", "lead@kirkby.sch.uk", "atlantis-primary", "school"},
			{"an analyst", "ana@council.gov.uk", "kirkby-high", "school"},
			{"an admin", "admin@council.gov.uk", "kirkby-high", "school"},
		}
		for _, tt := range refused {
			_, err := st.accounts.SetSchool(ctx, tt.email, tt.school, councilSchools)
			if surveys.ErrorCode(err) != surveys.EINVALID || surveys.ErrorFields(err)[tt.field] == "" {
				t.Errorf("%s: %v, want EINVALID on %s", tt.name, err, tt.field)
			}
		}
		if _, err := st.accounts.SetSchool(ctx, "nobody@council.gov.uk", "kirkby-high", councilSchools); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("an unknown account: %v, want ENOTFOUND", err)
		}
		if got := st.user(t, "lead@kirkby.sch.uk"); got.School != "kirkby-high" {
			t.Errorf("refused changes changed the lead's school: %q", got.School)
		}
		if got := st.user(t, "ana@council.gov.uk"); got.School != "" {
			t.Errorf("an analyst was linked: %q", got.School)
		}

		st.clock.Advance(time.Second)
		if u, err := st.accounts.SetSchool(ctx, "lead@kirkby.sch.uk", "", councilSchools); err != nil || u.School != "" {
			t.Fatalf("unlink: %+v (%v)", u, err)
		}
		if got := st.user(t, "lead@kirkby.sch.uk"); got.School != "" {
			t.Errorf("unlinked, stored: %q", got.School)
		}
		assertAudited(t, st.log, auditWant{Actor: "admin@council.gov.uk", Role: surveys.RoleAdmin, Action: surveys.AuditUserSchool,
			Target: "lead@kirkby.sch.uk", Detail: "linked to no school"})
	})
}
