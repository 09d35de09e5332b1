package surveys

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Limits on settings.
const (
	MaxCouncilName = 100 // characters
	MaxPhoneLength = 40  // characters of a phone number as written
	MaxHoursLength = 100 // characters of "Monday to Friday, 9am to 5pm"
	MaxNameLength  = 100 // characters of an area, school or group name
	MaxAreas       = 30
	MaxSchools     = 500
	MaxGroups      = 50
)

// Phase is the stage of education a school serves.
type Phase string

// Phases of a school.
const (
	PhasePrimary     Phase = "primary"
	PhaseSecondary   Phase = "secondary"
	PhaseAllThrough  Phase = "all_through"
	PhaseSpecial     Phase = "special"
	PhaseAlternative Phase = "alternative" // pupil referral units and other alternative provision
)

// Phases lists every phase, in the order they are offered.
var Phases = []Phase{PhasePrimary, PhaseSecondary, PhaseAllThrough, PhaseSpecial, PhaseAlternative}

// School is a school whose council sends feedback. Key names it for good:
// records, accounts and surveys point to the key, so that renaming a
// school or moving it to another area keeps its history.
type School struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Area  string `json:"area"`
	Phase Phase  `json:"phase"`
}

// Settings are what an admin configures in the workspace: how Heard names
// the council, where young people get help, how small a number it hides,
// and the borough's areas, schools and MADE groups.
type Settings struct {
	CouncilName string   `json:"council_name"`
	HelpPhone   string   `json:"help_phone"`
	HelpHours   string   `json:"help_hours"`
	Threshold   int      `json:"threshold"`
	Areas       []string `json:"areas"`
	Schools     []School `json:"schools"`
	Groups      []string `json:"groups"`
	// Retention is how long young people's words are kept (retention.go).
	Retention RetentionPolicy `json:"retention"`
	// Privacy is the council's words on the privacy notice (privacy.go).
	Privacy PrivacyWords `json:"privacy"`
	// Logo is the council's logo, cleaned by CleanLogo; nil for none.
	Logo *Logo `json:"-"`
	// Revision goes up with each save, so that two admins cannot silently
	// overwrite each other; 0 means the settings were never saved.
	Revision int       `json:"revision"`
	Updated  time.Time `json:"updated"`
}

// DefaultAreas are the areas of the borough until an admin sets others.
var DefaultAreas = []string{"North", "Central", "South"}

// Validate checks every field and names each that is wrong.
func (s *Settings) Validate() error {
	errs := fieldErrors{}
	if msg := CheckCouncilName(s.CouncilName); msg != "" {
		errs.add("council_name", msg)
	}
	if msg := CheckPhone(s.HelpPhone); msg != "" {
		errs.add("help_phone", msg)
	}
	if utf8.RuneCountInString(s.HelpHours) > MaxHoursLength {
		errs.add("help_hours", fmt.Sprintf("must be at most %d characters", MaxHoursLength))
	}
	if s.Threshold < MinThreshold || s.Threshold > MaxThreshold {
		errs.add("threshold", fmt.Sprintf("must be a whole number from %d to %d: below %d, suppression no longer protects anyone", MinThreshold, MaxThreshold, MinThreshold))
	}
	s.Retention.validate(errs)
	s.Privacy.validate(errs)
	checkNames(s.Areas, "areas", "area", MaxAreas, errs)
	checkNames(s.Groups, "groups", "group", MaxGroups, errs)
	if len(s.Schools) > MaxSchools {
		errs.add("schools", fmt.Sprintf("has %d schools; the most is %d", len(s.Schools), MaxSchools))
	}
	seen, keys := map[string]bool{}, map[string]bool{}
	for i, sc := range s.Schools {
		path := fmt.Sprintf("schools[%d]", i)
		if msg := checkName(sc.Name); msg != "" {
			errs.add(path+".name", msg)
		} else if seen[strings.ToLower(sc.Name)] {
			errs.add(path+".name", fmt.Sprintf("%q is listed twice", sc.Name))
		}
		seen[strings.ToLower(sc.Name)] = true
		if !slices.Contains(s.Areas, sc.Area) {
			errs.add(path+".area", "must be one of the areas")
		}
		if !slices.Contains(Phases, sc.Phase) {
			errs.add(path+".phase", "must be primary, secondary, all-through, special or alternative")
		}
		switch {
		case !validSchoolKey(sc.Key):
			errs.add(path+".key", fmt.Sprintf("must be 1 to %d lower-case letters, digits and hyphens", maxSchoolKey))
		case keys[sc.Key]:
			errs.add(path+".key", fmt.Sprintf("%q is given to two schools", sc.Key))
		}
		keys[sc.Key] = true
	}
	return errs.err("Some settings need changing before they can be saved.")
}

// CheckCouncilName returns what is wrong with a council's name, or "".
func CheckCouncilName(name string) string {
	if utf8.RuneCountInString(name) > MaxCouncilName {
		return fmt.Sprintf("must be at most %d characters", MaxCouncilName)
	}
	return ""
}

// CheckPhone returns what is wrong with a phone number as written for
// people, or "". Empty is allowed: the line is then not shown.
func CheckPhone(phone string) string {
	if len(phone) > MaxPhoneLength || strings.ContainsFunc(phone, func(r rune) bool { return !strings.ContainsRune("0123456789 +()-", r) }) {
		return "must be a phone number of digits, spaces, +, ( ) and -"
	}
	return ""
}

func checkName(name string) string {
	switch n := utf8.RuneCountInString(strings.TrimSpace(name)); {
	case n == 0:
		return "must not be empty"
	case n > MaxNameLength:
		return fmt.Sprintf("must be at most %d characters", MaxNameLength)
	case name != strings.TrimSpace(name):
		return "must not start or end with a space"
	}
	return ""
}

// checkNames checks a list of unique names (areas, groups).
func checkNames(names []string, path, one string, most int, errs fieldErrors) {
	if len(names) > most {
		errs.add(path, fmt.Sprintf("has %d; the most is %d", len(names), most))
	}
	seen := map[string]bool{}
	for i, n := range names {
		at := fmt.Sprintf("%s[%d]", path, i)
		if msg := checkName(n); msg != "" {
			errs.add(at, msg)
		} else if seen[strings.ToLower(n)] {
			errs.add(at, fmt.Sprintf("the %s %q is listed twice", one, n))
		}
		seen[strings.ToLower(n)] = true
	}
}

// SettingsStore keeps the one settings document.
type SettingsStore interface {
	// FindSettings returns the saved settings, or ENOTFOUND when none were
	// ever saved.
	FindSettings(ctx context.Context) (*Settings, error)
	// SaveSettings stores s if the stored settings are still at revision
	// (0: none saved yet) and returns them at their new revision; ECONFLICT
	// when someone else saved first.
	SaveSettings(ctx context.Context, revision int, s *Settings) (*Settings, error)
}

// SettingsService reads the settings, with the configured defaults until
// an admin saves some, and keeps them for a short time because every page a
// young person opens shows the help line.
type SettingsService struct {
	Store    SettingsStore
	Defaults Settings // from configuration
	Audit    *AuditLog
	TTL      time.Duration
	Now      func() time.Time

	mu      sync.Mutex
	cached  *Settings
	expires time.Time
	// saves counts forgets, so that a read that began before a save does
	// not put the old settings back in the cache after it.
	saves int
}

// Current returns the settings in force. A copy is returned, so callers
// may change it.
func (s *SettingsService) Current(ctx context.Context) (*Settings, error) {
	now := s.Now()
	s.mu.Lock()
	if s.cached != nil && now.Before(s.expires) {
		c := s.cached.clone()
		s.mu.Unlock()
		return c, nil
	}
	saves := s.saves
	s.mu.Unlock()
	st, err := s.Store.FindSettings(ctx)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		st = s.Defaults.clone()
		if st.Areas == nil {
			st.Areas = slices.Clone(DefaultAreas)
		}
		st.Revision = 0
	case err != nil:
		return nil, fmt.Errorf("read settings: %w", err)
	}
	st.AssignSchoolKeys()
	s.mu.Lock()
	if s.saves == saves {
		s.cached, s.expires = st, now.Add(s.TTL)
	}
	s.mu.Unlock()
	return st.clone(), nil
}

// Save validates and stores new settings made from the revision the admin
// saw, and records what changed in the audit log.
func (s *SettingsService) Save(ctx context.Context, revision int, next *Settings) (*Settings, error) {
	next.AssignSchoolKeys()
	if err := next.Validate(); err != nil {
		return nil, err
	}
	before, err := s.Current(ctx)
	if err != nil {
		return nil, err
	}
	next.Updated = s.Now().UTC()
	saved, err := s.Store.SaveSettings(ctx, revision, next)
	s.forget()
	if err != nil {
		return nil, fmt.Errorf("save settings: %w", err)
	}
	if err := s.Audit.Record(ctx, AuditSettingsUpdate, "settings", settingsChanges(before, saved)); err != nil {
		return nil, err
	}
	return saved, nil
}

func (s *SettingsService) forget() {
	s.mu.Lock()
	s.cached = nil
	s.saves++
	s.mu.Unlock()
}

// settingsChanges names the settings that differ, for the audit log.
func settingsChanges(a, b *Settings) string {
	var changed []string
	add := func(differs bool, name string) {
		if differs {
			changed = append(changed, name)
		}
	}
	add(a.CouncilName != b.CouncilName, "council name")
	add(!a.Logo.equal(b.Logo), "logo")
	add(a.HelpPhone != b.HelpPhone, "help phone")
	add(a.HelpHours != b.HelpHours, "help hours")
	if a.Threshold != b.Threshold {
		changed = append(changed, fmt.Sprintf("suppression threshold %d to %d", a.Threshold, b.Threshold))
	}
	add(!slices.Equal(a.Areas, b.Areas), "areas")
	add(!slices.Equal(a.Schools, b.Schools), "schools")
	add(!slices.Equal(a.Groups, b.Groups), "groups")
	add(a.Privacy != b.Privacy, "privacy notice")
	add(a.Retention != b.Retention, "retention periods")
	if len(changed) == 0 {
		return "saved with no changes"
	}
	return "changed: " + strings.Join(changed, ", ")
}

func (s *Settings) clone() *Settings {
	c := *s
	if s.Logo != nil {
		c.Logo = &Logo{ContentType: s.Logo.ContentType, Data: slices.Clone(s.Logo.Data)}
	}
	c.Areas = slices.Clone(s.Areas)
	c.Schools = slices.Clone(s.Schools)
	c.Groups = slices.Clone(s.Groups)
	return &c
}

// equal reports whether two logos are the same (nil for none).
func (l *Logo) equal(o *Logo) bool {
	if l == nil || o == nil {
		return l == o
	}
	return l.ContentType == o.ContentType && string(l.Data) == string(o.Data)
}
