package surveys_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

var schoolKeyPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// keysOf gives schools of the names (and keys, "name=key") their keys.
func keysOf(schools ...string) []string {
	st := &surveys.Settings{}
	for _, s := range schools {
		name, key, _ := strings.Cut(s, "=")
		st.Schools = append(st.Schools, surveys.School{Name: name, Key: key})
	}
	st.AssignSchoolKeys()
	out := make([]string, len(st.Schools))
	for i, sc := range st.Schools {
		out[i] = sc.Key
	}
	return out
}

func TestAssignSchoolKeys(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Saint Bartholomew ", 6) + "Primary"
	longKey := strings.TrimRight(strings.Repeat("saint-bartholomew-", 6)[:60], "-")
	tests := []struct {
		name    string
		schools []string
		want    []string
	}{
		{"from names", []string{"St Mary's C of E Primary", "Kirkby High School", "  Park  Brow -- Primary! "},
			[]string{"st-marys-c-of-e-primary", "kirkby-high-school", "park-brow-primary"}},
		{"apostrophes of either kind", []string{"St Mary’s", "St Anne's"}, []string{"st-marys", "st-annes"}},
		{"digits", []string{"Academy 360", "3-18 School"}, []string{"academy-360", "3-18-school"}},
		{"names that make the same key", []string{"Park Brow Primary", "Park-Brow Primary", "PARK BROW PRIMARY"},
			[]string{"park-brow-primary", "park-brow-primary-2", "park-brow-primary-3"}},
		{"no Latin letters", []string{"مدرسة النور", "学校", "!!!"}, []string{"school", "school-2", "school-3"}},
		{"keys kept", []string{"Kirkby High=kirkby", "Halewood Academy=halewood"}, []string{"kirkby", "halewood"}},
		{"a key kept is not given again, even to a school before it", []string{"Kirkby", "Kirkby High=kirkby", "Kirkby"},
			[]string{"kirkby-2", "kirkby", "kirkby-3"}},
		{"a long name is cut, leaving room for a number", []string{long, long + " Two"}, []string{longKey, longKey + "-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := keysOf(tt.schools...)
			if !slices.Equal(got, tt.want) {
				t.Errorf("keys %q, want %q", got, tt.want)
			}
			for _, k := range got {
				if !schoolKeyPattern.MatchString(k) || len(k) > 64 {
					t.Errorf("key %q is not a valid key", k)
				}
			}
		})
	}
	// Giving keys again changes nothing.
	st := &surveys.Settings{Schools: []surveys.School{{Name: "Kirkby"}, {Name: "Kirkby"}, {Name: "Huyton"}}}
	st.AssignSchoolKeys()
	first := slices.Clone(st.Schools)
	st.AssignSchoolKeys()
	if !slices.Equal(first, st.Schools) {
		t.Errorf("keys changed: %+v then %+v", first, st.Schools)
	}
}

// validSettings are settings that pass Validate, with the council
// tests' schools.
func validSettings() *surveys.Settings {
	st := councilSettings()
	st.HelpPhone, st.HelpHours = "0151 443 3000", "Monday to Friday, 9am to 5pm"
	return st
}

func TestSettingsValidateSchoolKeys(t *testing.T) {
	t.Parallel()
	if err := validSettings().Validate(); err != nil {
		t.Fatalf("valid settings: %v\n%s", err, formatFields(surveys.ErrorFields(err)))
	}
	bad := "must be 1 to 64 lower-case letters, digits and hyphens"
	for _, key := range []string{"", "Kirkby", "kirkby high", "-kirkby", "kirkby-", "kirkby--high", "kirkby_high", "kirkby/high",
		"école", strings.Repeat("a", 65)} {
		st := validSettings()
		st.Schools[1].Key = key
		assertFields(t, st.Validate(), map[string]string{"schools[1].key": bad})
	}
	st := validSettings()
	st.Schools[1].Key = strings.Repeat("a", 64)
	if err := st.Validate(); err != nil {
		t.Errorf("a key of 64 letters: %v", err)
	}
	st = validSettings()
	st.Schools[4].Key = st.Schools[1].Key
	assertFields(t, st.Validate(), map[string]string{"schools[4].key": `"st-marys" is given to two schools`})
}

func TestSettingsSchoolByKey(t *testing.T) {
	t.Parallel()
	st := councilSettings()
	if sc := st.School("page-moss"); sc == nil || sc.Name != "Page Moss Primary" || sc.Area != "Central" {
		t.Errorf("School(page-moss) = %+v", sc)
	}
	if sc := st.School("atlantis"); sc != nil {
		t.Errorf("School(atlantis) = %+v", sc)
	}
	if sc := st.School(""); sc != nil {
		t.Errorf("School(\"\") = %+v", sc)
	}
	if got := st.SchoolName("page-moss"); got != "Page Moss Primary" {
		t.Errorf("SchoolName = %q", got)
	}
	// A school no longer in the settings is named by its key.
	if got := st.SchoolName("old-school"); got != "old-school" {
		t.Errorf("SchoolName of a school taken out = %q", got)
	}
}

// TestSettingsKeepSchoolKeys: settings saved before schools had keys get
// them when read, the same on every read, and keep them when saved; a
// school renamed keeps its key.
func TestSettingsKeepSchoolKeys(t *testing.T) {
	t.Parallel()
	old := validSettings()
	for i := range old.Schools {
		old.Schools[i].Key = ""
	}
	old.Revision = 3
	f := newCouncils(t)
	svc := &surveys.SettingsService{Store: &memSettings{st: old}, Audit: f.c.Audit, Now: f.clock.Now}
	ctx := asUser(surveys.RoleAdmin, "")
	first, err := svc.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first.Schools[0].Key != "kirkby-high-school" || first.Schools[1].Key != "st-marys-catholic-primary" {
		t.Errorf("keys given when read: %q %q", first.Schools[0].Key, first.Schools[1].Key)
	}
	again, _ := svc.Current(ctx)
	if !slices.Equal(first.Schools, again.Schools) {
		t.Error("keys differ between reads")
	}
	next := first
	next.Schools[0].Name = "Kirkby High Academy"
	next.Schools = append(next.Schools, surveys.School{Name: "Knowsley Park Centre", Area: "North", Phase: surveys.PhaseAlternative})
	saved, err := svc.Save(ctx, 3, next)
	if err != nil {
		t.Fatalf("%v\n%s", err, formatFields(surveys.ErrorFields(err)))
	}
	if saved.Schools[0].Key != "kirkby-high-school" || saved.Schools[len(saved.Schools)-1].Key != "knowsley-park-centre" {
		t.Errorf("saved keys: %q %q", saved.Schools[0].Key, saved.Schools[len(saved.Schools)-1].Key)
	}
}
