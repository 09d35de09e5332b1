package mongo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/coder"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/mongo/mongotest"
	"github.com/heard-app/heard/surveys/redact"
)

// BenchmarkAreasPage works out the areas page of a term on the embedded
// database holding one year, and ten years, of a large borough's school
// councils: 60 schools in 3 areas, each meeting 9 times a year with 5
// items (540 meetings a year). The page reads the term and the one before,
// which the embedded server finds by a scan of every meeting.
func BenchmarkAreasPage(b *testing.B) {
	for _, years := range []int{1, 10} {
		b.Run(fmt.Sprintf("years=%d", years), func(b *testing.B) { benchAreas(b, years) })
	}
}

func benchAreas(b *testing.B, years int) {
	db := mongotest.Open(b)
	ctx := surveys.NewContextWithActor(context.Background(), "bench")
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	audit := &surveys.AuditLog{Store: mongo.NewAuditStore(db), Now: clock}
	themes := &surveys.Themes{Store: mongo.NewCodebookStore(db), Compile: coder.Compile, Default: coder.DefaultCodebook(), Audit: audit, Now: clock}
	if err := themes.Load(ctx); err != nil {
		b.Fatal(err)
	}
	settings := &surveys.SettingsService{Store: mongo.NewSettingsStore(db), Audit: audit, TTL: time.Minute, Now: clock,
		Defaults: surveys.Settings{Threshold: 5}}
	st, err := settings.Current(ctx)
	if err != nil {
		b.Fatal(err)
	}
	areas := []string{"North", "Central", "South"}
	for i := range 60 {
		st.Schools = append(st.Schools, surveys.School{Name: fmt.Sprintf("School %d", i), Area: areas[i%3], Phase: surveys.PhasePrimary})
	}
	if _, err := settings.Save(ctx, 0, st); err != nil {
		b.Fatal(err)
	}
	store := mongo.NewCouncilStore(db)
	said := []string{"More clubs at lunchtime", "The toilets need fixing", "We feel unsafe at the bus stop", "Healthier dinners", "More trees on the field"}
	var batch []*surveys.CouncilMeeting
	for year := 2027 - years; year <= 2026; year++ {
		for i := range 60 {
			for k := range 9 {
				day := time.Date(year, time.Month(1+k*4/3), 3+i%20, 0, 0, 0, 0, time.UTC)
				if day.After(now) {
					continue
				}
				m := &surveys.CouncilMeeting{ID: fmt.Sprintf("%d-%d-%d", year, i, k), School: fmt.Sprintf("school-%d", i), Area: areas[i%3],
					Day: day.Format(time.DateOnly), Pupils: 8 + k, YearGroups: []surveys.YearGroup{"5", "6"}, Revision: 1}
				for j := range 5 {
					m.Items = append(m.Items, surveys.CouncilItem{ID: fmt.Sprint(j + 1), Said: said[j], Themes: []string{"activities", "safety"}[j%2 : j%2+1],
						Support: 5 * j, Status: surveys.ItemStatuses[j], Note: "noted"})
				}
				batch = append(batch, m)
			}
		}
	}
	if _, err := store.CreateMeetings(ctx, batch); err != nil {
		b.Fatal(err)
	}
	councils := &surveys.Councils{Store: store, Themes: themes, Settings: settings, Audit: audit, Now: clock, Redactor: redact.ForSchools}
	b.ResetTimer()
	for b.Loop() {
		rep, err := councils.Areas(ctx, surveys.AreaQuery{})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Borough.Reported != 60 {
			b.Fatalf("%d schools reported, want 60", rep.Borough.Reported)
		}
	}
	b.ReportMetric(float64(len(batch)), "meetings")
}
