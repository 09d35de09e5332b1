package mongo_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
)

// settingsDefaults are the configured settings of the settings tests.
var settingsDefaults = surveys.Settings{CouncilName: "Test Council", HelpPhone: "0151 000 0000",
	HelpHours: "Monday to Friday, 9am to 5pm", Threshold: 5}

// settingsTTL is how long the settings tests' services keep what they read.
const settingsTTL = time.Minute

// newSettings returns a SettingsService on db with settingsDefaults.
func newSettings(db *mongo.DB, clock *stepClock) *surveys.SettingsService {
	return &surveys.SettingsService{Store: mongo.NewSettingsStore(db), Defaults: settingsDefaults,
		Audit: newAuditLog(db, clock), TTL: settingsTTL, Now: clock.Now}
}

// borough returns valid settings with areas, schools and groups.
func borough() *surveys.Settings {
	return &surveys.Settings{
		CouncilName: "Wirral Council", HelpPhone: "+44 (0)151 606-2000", HelpHours: "Every day, 8am to 8pm", Threshold: 7,
		Areas: []string{"Birkenhead", "Wallasey", "West Wirral"},
		Schools: []surveys.School{
			{Key: "birkenhead-park-school", Name: "Birkenhead Park School", Area: "Birkenhead", Phase: surveys.PhaseSecondary},
			{Key: "oldershaw-academy", Name: "Oldershaw Academy", Area: "Wallasey", Phase: surveys.PhaseSecondary},
			{Key: "hoylake-holy-trinity", Name: "Hoylake Holy Trinity", Area: "West Wirral", Phase: surveys.PhasePrimary},
		},
		Groups: []string{"Children in Care Council", "Care Leavers Forum"},
	}
}

// settingsAdmin is the admin who changes settings.
var settingsAdmin = &surveys.User{Email: "zoe@council.gov.uk", Role: surveys.RoleAdmin}

// current reads the settings in force.
func current(t *testing.T, svc *surveys.SettingsService) *surveys.Settings {
	t.Helper()
	s, err := svc.Current(testCtx(t))
	if err != nil {
		t.Fatalf("read settings: %v", err)
	}
	return s
}

// sameSettings reports whether two settings say the same, leaving out when
// they were saved.
func sameSettings(a, b *surveys.Settings) bool {
	x, y := *a, *b
	x.Updated, y.Updated = time.Time{}, time.Time{}
	return reflect.DeepEqual(x, y)
}

func TestSettingsDefaults(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		svc := newSettings(db, newStepClock(workspaceStart))
		got := current(t, svc)
		want := settingsDefaults
		want.Areas = surveys.DefaultAreas
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("before any save:\n got %+v\nwant %+v", *got, want)
		}

		// Current gives a copy.
		got.Areas[0], got.Threshold = "Changed", 99
		if again := current(t, svc); again.Areas[0] != surveys.DefaultAreas[0] || again.Threshold != 5 {
			t.Errorf("changing what Current returned changed the settings: %+v", again)
		}
		if surveys.DefaultAreas[0] != "North" {
			t.Errorf("changing what Current returned changed DefaultAreas: %v", surveys.DefaultAreas)
		}

		// Configured areas replace the default ones.
		withAreas := newSettings(db, newStepClock(workspaceStart))
		withAreas.Defaults.Areas = []string{"Birkenhead", "Wallasey"}
		if got := current(t, withAreas); !reflect.DeepEqual(got.Areas, []string{"Birkenhead", "Wallasey"}) || got.Revision != 0 {
			t.Errorf("with configured areas: %+v", got)
		}
		if _, err := mongo.NewSettingsStore(db).FindSettings(testCtx(t)); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("reading the defaults stored something: %v", err)
		}
	})
}

func TestSettingsSave(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		clock := newStepClock(workspaceStart)
		svc := newSettings(db, clock)
		other := newSettings(db, clock) // another instance of Heard
		store := mongo.NewSettingsStore(db)
		ctx := as(t, settingsAdmin)
		current(t, other)

		clock.Advance(time.Second)
		first := borough()
		saved, err := svc.Save(ctx, 0, first)
		if err != nil {
			t.Fatal(err)
		}
		if saved.Revision != 1 || !saved.Updated.Equal(clock.Now()) {
			t.Errorf("first save: revision %d updated %v, want 1 at %v", saved.Revision, saved.Updated, clock.Now())
		}
		want := borough()
		want.Revision = 1
		if !sameSettings(saved, want) {
			t.Errorf("first save returned\n %+v\nwant %+v", saved, want)
		}
		if got := current(t, svc); !reflect.DeepEqual(got, saved) {
			t.Errorf("Current right after the save:\n got %+v\nwant %+v", got, saved)
		}
		if got, err := store.FindSettings(testCtx(t)); err != nil || !reflect.DeepEqual(got, saved) {
			t.Errorf("stored:\n got %+v, %v\nwant %+v", got, err, saved)
		}
		assertAudited(t, svc.Audit, auditWant{Actor: settingsAdmin.Email, Role: surveys.RoleAdmin, Action: surveys.AuditSettingsUpdate,
			Target: "settings", Detail: "changed: council name, help phone, help hours, suppression threshold 5 to 7, areas, schools, groups"})

		// Another instance sees the save once what it read has expired.
		if got := current(t, other); got.Revision != 0 {
			t.Errorf("another instance saw the save before its copy expired: revision %d", got.Revision)
		}
		clock.Advance(settingsTTL)
		if got := current(t, other); !reflect.DeepEqual(got, saved) {
			t.Errorf("another instance after the TTL:\n got %+v\nwant %+v", got, saved)
		}

		clock.Advance(time.Second)
		second := borough()
		second.Threshold, second.HelpHours = 10, ""
		saved2, err := svc.Save(ctx, 1, second)
		if err != nil {
			t.Fatal(err)
		}
		if saved2.Revision != 2 || saved2.Threshold != 10 || saved2.HelpHours != "" || !saved2.Updated.Equal(clock.Now()) {
			t.Errorf("second save: %+v", saved2)
		}
		if got := current(t, svc); !reflect.DeepEqual(got, saved2) {
			t.Errorf("Current right after the second save:\n got %+v\nwant %+v", got, saved2)
		}
		assertAudited(t, svc.Audit, auditWant{Actor: settingsAdmin.Email, Role: surveys.RoleAdmin, Action: surveys.AuditSettingsUpdate,
			Target: "settings", Detail: "changed: help hours, suppression threshold 7 to 10"})

		// Saves from a stale revision are refused and change nothing.
		for _, stale := range []int{0, 1, 3} {
			clock.Advance(time.Second)
			late := borough()
			late.CouncilName = fmt.Sprintf("Saved at revision %d", stale)
			_, err := other.Save(ctx, stale, late)
			if surveys.ErrorCode(err) != surveys.ECONFLICT {
				t.Errorf("save at revision %d: %v, want ECONFLICT", stale, err)
			}
			if got := current(t, svc); !reflect.DeepEqual(got, saved2) {
				t.Errorf("after a refused save at revision %d:\n got %+v\nwant %+v", stale, got, saved2)
			}
			if got, err := store.FindSettings(testCtx(t)); err != nil || !reflect.DeepEqual(got, saved2) {
				t.Errorf("stored after a refused save at revision %d: %+v, %v", stale, got, err)
			}
		}
		assertAuditCount(t, svc.Audit, surveys.AuditSettingsUpdate, "settings", 2)

		// A save that changes nothing says so.
		if _, err := svc.Save(ctx, 2, borough2(saved2)); err != nil {
			t.Fatal(err)
		}
		assertAudited(t, svc.Audit, auditWant{Actor: settingsAdmin.Email, Role: surveys.RoleAdmin, Action: surveys.AuditSettingsUpdate,
			Target: "settings", Detail: "saved with no changes"})
	})
}

// borough2 returns a copy of s as an admin would send it back unchanged.
func borough2(s *surveys.Settings) *surveys.Settings {
	c := *s
	c.Areas = append([]string(nil), s.Areas...)
	c.Schools = append([]surveys.School(nil), s.Schools...)
	c.Groups = append([]string(nil), s.Groups...)
	c.Revision, c.Updated = 0, time.Time{}
	return &c
}

func TestSettingsValidation(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		clock := newStepClock(workspaceStart)
		svc := newSettings(db, clock)
		ctx := as(t, settingsAdmin)
		saved, err := svc.Save(ctx, 0, borough())
		if err != nil {
			t.Fatal(err)
		}
		tooMany := make([]string, surveys.MaxAreas+1)
		for i := range tooMany {
			tooMany[i] = fmt.Sprintf("Area %d", i+1)
		}
		tests := []struct {
			name   string
			change func(s *surveys.Settings)
			field  string
		}{
			{"threshold below the least", func(s *surveys.Settings) { s.Threshold = 2 }, "threshold"},
			{"threshold above the most", func(s *surveys.Settings) { s.Threshold = 101 }, "threshold"},
			{"threshold unset", func(s *surveys.Settings) { s.Threshold = 0 }, "threshold"},
			{"school in an unknown area", func(s *surveys.Settings) { s.Schools[1].Area = "Liverpool" }, "schools[1].area"},
			{"school in a removed area", func(s *surveys.Settings) { s.Areas = s.Areas[1:] }, "schools[0].area"},
			{"school with an unknown phase", func(s *surveys.Settings) { s.Schools[2].Phase = "nursery" }, "schools[2].phase"},
			{"school listed twice", func(s *surveys.Settings) { s.Schools[2].Name = "OLDERSHAW academy" }, "schools[2].name"},
			{"area listed twice", func(s *surveys.Settings) { s.Areas = append(s.Areas, "wallasey") }, "areas[3]"},
			{"empty area", func(s *surveys.Settings) { s.Areas = append(s.Areas, "") }, "areas[3]"},
			{"empty group", func(s *surveys.Settings) { s.Groups[0] = "" }, "groups[0]"},
			{"blank group", func(s *surveys.Settings) { s.Groups[1] = "   " }, "groups[1]"},
			{"group listed twice", func(s *surveys.Settings) { s.Groups[1] = "children in care council" }, "groups[1]"},
			{"group name too long", func(s *surveys.Settings) { s.Groups[1] = strings.Repeat("g", surveys.MaxNameLength+1) }, "groups[1]"},
			{"too many areas", func(s *surveys.Settings) { s.Areas, s.Schools = tooMany, nil }, "areas"},
			{"phone with letters", func(s *surveys.Settings) { s.HelpPhone = "call 0151 606 2000" }, "help_phone"},
			{"phone too long", func(s *surveys.Settings) { s.HelpPhone = strings.Repeat("0", surveys.MaxPhoneLength+1) }, "help_phone"},
			{"council name too long", func(s *surveys.Settings) { s.CouncilName = strings.Repeat("c", surveys.MaxCouncilName+1) }, "council_name"},
			{"help hours too long", func(s *surveys.Settings) { s.HelpHours = strings.Repeat("h", surveys.MaxHoursLength+1) }, "help_hours"},
		}
		for _, tt := range tests {
			next := borough()
			tt.change(next)
			clock.Advance(time.Second)
			_, err := svc.Save(ctx, saved.Revision, next)
			if surveys.ErrorCode(err) != surveys.EINVALID {
				t.Errorf("%s: %v, want EINVALID", tt.name, err)
				continue
			}
			fields := surveys.ErrorFields(err)
			if fields[tt.field] == "" || len(fields) != 1 {
				t.Errorf("%s: fields %v, want one about %q", tt.name, fields, tt.field)
			}
			if got := current(t, svc); !reflect.DeepEqual(got, saved) {
				t.Errorf("%s: the refused save changed the settings to %+v", tt.name, got)
			}
		}
		assertAuditCount(t, svc.Audit, surveys.AuditSettingsUpdate, "settings", 1)

		// Several mistakes are all named.
		next := borough()
		next.Threshold, next.HelpPhone, next.Groups = 1, "none", []string{""}
		_, err = svc.Save(ctx, saved.Revision, next)
		fields := surveys.ErrorFields(err)
		for _, f := range []string{"threshold", "help_phone", "groups[0]"} {
			if fields[f] == "" {
				t.Errorf("three mistakes: fields %v, want one about %q", fields, f)
			}
		}
	})
}

// testPNG returns a small PNG with a few colours.
func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 6, 4))
	for x := range 6 {
		for y := range 4 {
			img.Set(x, y, color.NRGBA{R: uint8(40 * x), G: uint8(60 * y), B: 200, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSettingsLogo(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		clock := newStepClock(workspaceStart)
		svc := newSettings(db, clock)
		ctx := as(t, settingsAdmin)
		logo, err := surveys.CleanLogo(testPNG(t))
		if err != nil {
			t.Fatal(err)
		}
		next := borough()
		next.Logo = logo
		want := append([]byte(nil), logo.Data...)
		if _, err := svc.Save(ctx, 0, next); err != nil {
			t.Fatal(err)
		}
		assertAudited(t, svc.Audit, auditWant{Actor: settingsAdmin.Email, Role: surveys.RoleAdmin, Action: surveys.AuditSettingsUpdate,
			Target: "settings", Detail: "changed: council name, logo, help phone, help hours, suppression threshold 5 to 7, areas, schools, groups"})

		// A fresh service reads it from the database.
		got := current(t, newSettings(db, clock))
		if got.Logo == nil || got.Logo.ContentType != surveys.LogoPNG || !bytes.Equal(got.Logo.Data, want) {
			t.Fatalf("the logo reads back as %+v", got.Logo)
		}
		if _, err := png.Decode(bytes.NewReader(got.Logo.Data)); err != nil {
			t.Errorf("the stored logo is not a PNG: %v", err)
		}

		// Saving it again unchanged is no change; removing it is.
		same := borough()
		same.Logo = got.Logo
		clock.Advance(time.Second)
		if _, err := svc.Save(ctx, 1, same); err != nil {
			t.Fatal(err)
		}
		assertAudited(t, svc.Audit, auditWant{Actor: settingsAdmin.Email, Role: surveys.RoleAdmin, Action: surveys.AuditSettingsUpdate,
			Target: "settings", Detail: "saved with no changes"})
		clock.Advance(time.Second)
		if _, err := svc.Save(ctx, 2, borough()); err != nil {
			t.Fatal(err)
		}
		assertAudited(t, svc.Audit, auditWant{Actor: settingsAdmin.Email, Role: surveys.RoleAdmin, Action: surveys.AuditSettingsUpdate,
			Target: "settings", Detail: "changed: logo"})
		if got := current(t, newSettings(db, clock)); got.Logo != nil || got.Revision != 3 {
			t.Errorf("after removing the logo: revision %d, logo %+v", got.Revision, got.Logo)
		}
	})
}

// heldRead is the real settings store, except that the first read it
// answers is held between the database and its caller until release is
// closed, as a slow read is when a save overtakes it.
type heldRead struct {
	surveys.SettingsStore
	taken   atomic.Bool
	read    chan struct{} // closed once the held read has its answer
	release chan struct{}
}

func (h *heldRead) FindSettings(ctx context.Context) (*surveys.Settings, error) {
	s, err := h.SettingsStore.FindSettings(ctx)
	if h.taken.CompareAndSwap(false, true) {
		close(h.read)
		<-h.release
	}
	return s, err
}

// TestSettingsSaveIsNotUndoneByAReadInFlight: a page that read the settings
// just before an admin saved must not put the old settings back in the
// cache, or Current would give them for another TTL after the save.
func TestSettingsSaveIsNotUndoneByAReadInFlight(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		clock := newStepClock(workspaceStart)
		svc := newSettings(db, clock)
		ctx := as(t, settingsAdmin)
		if _, err := svc.Save(ctx, 0, borough()); err != nil {
			t.Fatal(err)
		}
		held := &heldRead{SettingsStore: svc.Store, read: make(chan struct{}), release: make(chan struct{})}
		svc.Store = held

		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := svc.Current(ctx); err != nil {
				t.Errorf("the read in flight: %v", err)
			}
		})
		<-held.read // the page has read revision 1
		next := borough()
		next.Threshold = 9
		_, err := svc.Save(ctx, 1, next)
		close(held.release)
		wg.Wait()
		if err != nil {
			t.Fatal(err)
		}
		if got := current(t, svc); got.Revision != 2 || got.Threshold != 9 {
			t.Errorf("right after the save, Current gives revision %d with threshold %d; want revision 2 with 9", got.Revision, got.Threshold)
		}
	})
}
