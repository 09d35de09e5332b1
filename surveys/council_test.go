package surveys_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/coder"
	"github.com/heard-app/heard/surveys/redact"
	"github.com/heard-app/heard/surveys/templates"
)

// memCouncils is an in-memory surveys.CouncilStore. fail, when set, is
// returned by the next write.
type memCouncils struct {
	mu       sync.Mutex
	meetings map[string]*surveys.CouncilMeeting
	fail     error
}

func newMemCouncils() *memCouncils {
	return &memCouncils{meetings: map[string]*surveys.CouncilMeeting{}}
}

func cloneMeeting(m *surveys.CouncilMeeting) *surveys.CouncilMeeting {
	c := *m
	c.YearGroups = slices.Clone(m.YearGroups)
	c.Items = slices.Clone(m.Items)
	for i := range c.Items {
		c.Items[i].Themes = slices.Clone(c.Items[i].Themes)
		c.Items[i].Machine = slices.Clone(c.Items[i].Machine)
	}
	return &c
}

func (s *memCouncils) takeFail() error {
	err := s.fail
	s.fail = nil
	return err
}

func (s *memCouncils) CreateMeetings(_ context.Context, meetings []*surveys.CouncilMeeting) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.takeFail(); err != nil {
		return 0, err
	}
	n := 0
	for _, m := range meetings {
		if _, ok := s.meetings[m.ID]; !ok {
			s.meetings[m.ID] = cloneMeeting(m)
			n++
		}
	}
	return n, nil
}

func (s *memCouncils) FindMeeting(_ context.Context, id string) (*surveys.CouncilMeeting, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.meetings[id]
	if !ok {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no such meeting.")
	}
	return cloneMeeting(m), nil
}

func (s *memCouncils) FindMeetings(_ context.Context, f surveys.CouncilFilter) ([]*surveys.CouncilMeeting, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*surveys.CouncilMeeting
	for _, m := range s.meetings {
		if f.Match(m) {
			out = append(out, cloneMeeting(m))
		}
	}
	slices.SortFunc(out, func(a, b *surveys.CouncilMeeting) int {
		if a.Day != b.Day {
			return strings.Compare(b.Day, a.Day)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

func (s *memCouncils) UpdateMeeting(_ context.Context, revision int, m *surveys.CouncilMeeting) (*surveys.CouncilMeeting, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.takeFail(); err != nil {
		return nil, err
	}
	cur, ok := s.meetings[m.ID]
	switch {
	case !ok:
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no such meeting.")
	case cur.Revision != revision:
		return nil, surveys.Errorf(surveys.ECONFLICT, "Someone else saved it.")
	}
	next := cloneMeeting(m)
	next.Revision = revision + 1
	s.meetings[m.ID] = next
	return cloneMeeting(next), nil
}

func (s *memCouncils) DeleteMeeting(_ context.Context, id string, revision int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.takeFail(); err != nil {
		return err
	}
	cur, ok := s.meetings[id]
	switch {
	case !ok:
		return surveys.Errorf(surveys.ENOTFOUND, "There is no such meeting.")
	case cur.Revision != revision:
		return surveys.Errorf(surveys.ECONFLICT, "Someone else saved it.")
	}
	delete(s.meetings, id)
	return nil
}

func (s *memCouncils) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.meetings)
}

// put stores meetings as they are, for tests that need no service.
func (s *memCouncils) put(ms ...*surveys.CouncilMeeting) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range ms {
		s.meetings[m.ID] = cloneMeeting(m)
	}
}

// memVoices is an in-memory surveys.VoiceStore that keeps the flags of
// the voices it is given, as the real store does.
type memVoices struct {
	mu     sync.Mutex
	voices map[string]*surveys.Voice
	flags  map[string]bool
}

func newMemVoices() *memVoices {
	return &memVoices{voices: map[string]*surveys.Voice{}, flags: map[string]bool{}}
}

func cloneVoice(v *surveys.Voice) *surveys.Voice {
	c := *v
	if v.Review != nil {
		r := *v.Review
		r.Themes = slices.Clone(r.Themes)
		c.Review = &r
	}
	return &c
}

func (s *memVoices) FindVoice(_ context.Context, id string) (*surveys.Voice, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.voices[id]
	if !ok {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no such comment.")
	}
	return cloneVoice(v), nil
}

func (s *memVoices) AddVoices(_ context.Context, voices []*surveys.Voice) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range voices {
		if v.Machine.Risk.Flag {
			s.flags[v.ID] = true
		}
		if _, ok := s.voices[v.ID]; !ok {
			s.voices[v.ID] = cloneVoice(v)
		}
	}
	return nil
}

func (s *memVoices) FindVoices(_ context.Context, f surveys.VoiceFilter) ([]*surveys.Voice, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*surveys.Voice
	for _, v := range s.voices {
		if f.Match(v) {
			out = append(out, cloneVoice(v))
		}
	}
	slices.SortFunc(out, func(a, b *surveys.Voice) int {
		if a.Day != b.Day {
			return strings.Compare(b.Day, a.Day)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

func (s *memVoices) ReviewVoices(_ context.Context, ids []string, reviews map[string]surveys.VoiceReview) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, id := range ids {
		if v, ok := s.voices[id]; ok {
			r := reviews[id]
			v.Review = &r
			n++
		}
	}
	return n, nil
}

func (s *memVoices) SetQuote(_ context.Context, id string, q *surveys.Quote) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.voices[id]
	if !ok {
		return surveys.Errorf(surveys.ENOTFOUND, "There is no such comment.")
	}
	v.Quote = q
	return nil
}

func (s *memVoices) EachVoiceDigest(_ context.Context, from, to string, f func(*surveys.VoiceDigest) error) error {
	s.mu.Lock()
	var digests []surveys.VoiceDigest
	for _, v := range s.voices {
		if v.Day >= from && v.Day <= to {
			digests = append(digests, surveys.DigestOf(v))
		}
	}
	s.mu.Unlock()
	for i := range digests {
		if err := f(&digests[i]); err != nil {
			return err
		}
	}
	return nil
}

func (s *memVoices) DeleteVoices(_ context.Context, ids []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		delete(s.voices, id)
	}
	return nil
}

func (s *memVoices) all() []*surveys.Voice {
	out, _ := s.FindVoices(context.Background(), surveys.VoiceFilter{})
	return out
}

// councilStart is "now" in the council tests: a Monday in the autumn term
// of 2026/27.
var councilStart = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// councilSettings are a borough of three areas, with schools in each.
func councilSettings() *surveys.Settings {
	return &surveys.Settings{CouncilName: "Knowsley Council", Threshold: 5, Areas: []string{"North", "Central", "South"},
		Schools: []surveys.School{
			{Key: "kirkby-high", Name: "Kirkby High School", Area: "North", Phase: surveys.PhaseSecondary},
			{Key: "st-marys", Name: "St Mary's Catholic Primary", Area: "North", Phase: surveys.PhasePrimary},
			{Key: "huyton-primary", Name: "Huyton Primary", Area: "Central", Phase: surveys.PhasePrimary},
			{Key: "page-moss", Name: "Page Moss Primary", Area: "Central", Phase: surveys.PhasePrimary},
			{Key: "park-brow", Name: "Park Brow Primary", Area: "Central", Phase: surveys.PhasePrimary},
			{Key: "halewood-academy", Name: "Halewood Academy", Area: "South", Phase: surveys.PhaseSecondary},
			{Key: "lord-derby", Name: "Lord Derby Academy", Area: "South", Phase: surveys.PhaseSecondary},
			{Key: "whiston-willis", Name: "Whiston Willis Primary", Area: "South", Phase: surveys.PhasePrimary},
			{Key: "prescot-primary", Name: "Prescot Primary", Area: "South", Phase: surveys.PhasePrimary},
		}}
}

// councilFixture is a Councils service on memory with the real coder and
// the default codebook, and a clock that moves by hand.
type councilFixture struct {
	c       *surveys.Councils
	store   *memCouncils
	voices  *memVoices
	surveys *memSurveys
	audit   *memAudit
	clock   *clock
}

func newCouncils(t *testing.T) *councilFixture {
	t.Helper()
	f := &councilFixture{store: newMemCouncils(), voices: newMemVoices(), surveys: newMemSurveys(), audit: &memAudit{},
		clock: newClock(councilStart)}
	log := &surveys.AuditLog{Store: f.audit, Now: f.clock.Now}
	themes := &surveys.Themes{Store: &memCodebooks{}, Compile: coder.Compile, Default: coder.DefaultCodebook(), Audit: log, Now: f.clock.Now}
	if err := themes.Load(t.Context()); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	ids := 0
	f.c = &surveys.Councils{Store: f.store, Voices: f.voices, Themes: themes, Audit: log, Now: f.clock.Now,
		Settings:  &surveys.SettingsService{Store: &memSettings{st: councilSettings()}, Audit: log, Now: f.clock.Now},
		Catalog:   &surveys.Catalog{Store: f.surveys, Audit: log, Now: f.clock.Now},
		Templates: templates.All,
		NewID: func() string {
			mu.Lock()
			defer mu.Unlock()
			ids++
			return fmt.Sprintf("m%03d", ids)
		},
		Redactor: redact.ForSchools,
	}
	return f
}

// asUser returns a context of a person with the role, linked to school when
// they are a school lead.
func asUser(role surveys.Role, school string) context.Context {
	return surveys.NewContextWithUser(context.Background(), &surveys.User{Email: string(role) + "@council.example", Role: role, School: school})
}

// leadOf is the context of the school lead of a school.
func leadOf(school string) context.Context { return asUser(surveys.RoleSchoolLead, school) }

// validMeeting is a meeting that passes every check.
func validMeeting() *surveys.CouncilMeeting {
	return &surveys.CouncilMeeting{Day: "2026-11-18", Pupils: 14, YearGroups: []surveys.YearGroup{"5", "6"},
		Items: []surveys.CouncilItem{
			{Said: "More clubs at lunchtime, especially football and art", Support: 40, Priority: true, Status: surveys.ItemPlanned,
				Note: "Art club starts after half term"},
			{Said: "The toilets need fixing", Support: 25, Status: surveys.ItemDone, Note: "Repaired in October"},
		}}
}

func TestParseYearGroup(t *testing.T) {
	t.Parallel()
	good := map[string]surveys.YearGroup{
		"R": "R", "r": "R", "Rec": "R", "Reception": "R", " reception ": "R", "Year R": "R", "YR": "R", "Yr R": "R",
		"1": "1", "5": "5", "13": "13", "Y5": "5", "y 5": "5", "Yr5": "5", "yr 10": "10", "Year 5": "5", "YEAR 13": "13", "year  7": "7",
	}
	for in, want := range good {
		if got, ok := surveys.ParseYearGroup(in); !ok || got != want {
			t.Errorf("ParseYearGroup(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "0", "14", "05", "-1", "Y", "Year", "year five", "5a", "nursery", "Y5 Y6", "+5", "1e1"} {
		if got, ok := surveys.ParseYearGroup(in); ok {
			t.Errorf("ParseYearGroup(%q) = %q; want it refused", in, got)
		}
	}
	if surveys.YearGroup("R").Name() != "Reception" || surveys.YearGroup("9").Name() != "Year 9" {
		t.Error("year group names")
	}
}

func TestParseItemStatus(t *testing.T) {
	t.Parallel()
	good := map[string]surveys.ItemStatus{
		"": surveys.ItemNotYet, "  ": surveys.ItemNotYet, "not_yet": surveys.ItemNotYet, "Not yet": surveys.ItemNotYet,
		"Not decided yet": surveys.ItemNotYet, "not yet decided": surveys.ItemNotYet,
		"planned": surveys.ItemPlanned, "Will do": surveys.ItemPlanned, "We will do this": surveys.ItemPlanned,
		"in_progress": surveys.ItemInProgress, "In progress": surveys.ItemInProgress, "in-progress": surveys.ItemInProgress, "Being done": surveys.ItemInProgress,
		"done": surveys.ItemDone, "DONE": surveys.ItemDone,
		"not_possible": surveys.ItemNotPossible, "Not possible": surveys.ItemNotPossible,
	}
	for in, want := range good {
		if got, ok := surveys.ParseItemStatus(in); !ok || got != want {
			t.Errorf("ParseItemStatus(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"maybe", "finished", "possible", "not"} {
		if got, ok := surveys.ParseItemStatus(in); ok {
			t.Errorf("ParseItemStatus(%q) = %q; want it refused", in, got)
		}
	}
	// Every status reads back from its own name and key.
	for _, st := range surveys.ItemStatuses {
		for _, s := range []string{string(st), st.Name()} {
			if got, ok := surveys.ParseItemStatus(s); !ok || got != st {
				t.Errorf("ParseItemStatus(%q) = %q, %v; want %q", s, got, ok, st)
			}
		}
	}
	acted := map[surveys.ItemStatus]bool{surveys.ItemInProgress: true, surveys.ItemDone: true}
	for _, st := range surveys.ItemStatuses {
		if st.ActedOn() != acted[st] {
			t.Errorf("%s.ActedOn() = %v", st, st.ActedOn())
		}
	}
}

// TestCouncilMeetingValidation records a meeting with each mistake in turn:
// each is refused with its field named, and nothing is stored.
func TestCouncilMeetingValidation(t *testing.T) {
	t.Parallel()
	items := func(n int) []surveys.CouncilItem {
		out := make([]surveys.CouncilItem, n)
		for i := range out {
			out[i] = surveys.CouncilItem{Said: fmt.Sprintf("Item %d", i+1)}
		}
		return out
	}
	tests := []struct {
		name   string
		change func(m *surveys.CouncilMeeting)
		want   map[string]string
	}{
		{"no date", func(m *surveys.CouncilMeeting) { m.Day = "" },
			map[string]string{"day": "must be a date such as 2026-11-23"}},
		{"a date that is not one", func(m *surveys.CouncilMeeting) { m.Day = "2026-02-30" },
			map[string]string{"day": "must be a date such as 2026-11-23"}},
		{"a UK date", func(m *surveys.CouncilMeeting) { m.Day = "18/11/2026" },
			map[string]string{"day": "must be a date such as 2026-11-23"}},
		{"tomorrow", func(m *surveys.CouncilMeeting) { m.Day = "2026-11-24" },
			map[string]string{"day": "must not be after today"}},
		{"next year", func(m *surveys.CouncilMeeting) { m.Day = "2027-01-05" },
			map[string]string{"day": "must not be after today"}},
		{"before 2000", func(m *surveys.CouncilMeeting) { m.Day = "1999-12-31" },
			map[string]string{"day": "must be in 2000 or later"}},
		{"no pupils", func(m *surveys.CouncilMeeting) { m.Pupils = 0 },
			map[string]string{"pupils": "must be a whole number from 1 to 2,000"}},
		{"negative pupils", func(m *surveys.CouncilMeeting) { m.Pupils = -3 },
			map[string]string{"pupils": "must be a whole number from 1 to 2,000"}},
		{"too many pupils", func(m *surveys.CouncilMeeting) { m.Pupils = surveys.MaxCouncilPupils + 1 },
			map[string]string{"pupils": "must be a whole number from 1 to 2,000"}},
		{"no year groups", func(m *surveys.CouncilMeeting) { m.YearGroups = nil },
			map[string]string{"year_groups": "choose at least one year group"}},
		{"only blank year groups", func(m *surveys.CouncilMeeting) { m.YearGroups = []surveys.YearGroup{""} },
			map[string]string{"year_groups": "choose at least one year group"}},
		{"year 14", func(m *surveys.CouncilMeeting) { m.YearGroups = []surveys.YearGroup{"5", "14"} },
			map[string]string{"year_groups": `"14" is not a year group; use Reception or Year 1 to Year 13`}},
		{"a year group twice", func(m *surveys.CouncilMeeting) { m.YearGroups = []surveys.YearGroup{"6", "5", "6"} },
			map[string]string{"year_groups": "Year 6 is given twice"}},
		{"too many items", func(m *surveys.CouncilMeeting) { m.Items = items(surveys.MaxCouncilItems + 1) },
			map[string]string{"items": "has 31 items; a meeting has at most 30"}},
		{"an item that says nothing", func(m *surveys.CouncilMeeting) { m.Items[1].Said = "  \n " },
			map[string]string{"items[1].said": "must say what pupils said"}},
		{"an item too long", func(m *surveys.CouncilMeeting) { m.Items[0].Said = strings.Repeat("é", surveys.MaxItemSaid+1) },
			map[string]string{"items[0].said": "must be at most 1,000 characters"}},
		{"negative support", func(m *surveys.CouncilMeeting) { m.Items[0].Support = -1 },
			map[string]string{"items[0].support": "must be a whole number from 0 to 5,000"}},
		{"too much support", func(m *surveys.CouncilMeeting) { m.Items[0].Support = surveys.MaxItemSupport + 1 },
			map[string]string{"items[0].support": "must be a whole number from 0 to 5,000"}},
		{"an unknown status", func(m *surveys.CouncilMeeting) { m.Items[1].Status = "forgotten" },
			map[string]string{"items[1].status": "must be not yet decided, will do, being done, done or not possible"}},
		{"a note too long", func(m *surveys.CouncilMeeting) { m.Items[1].Note = strings.Repeat("n", surveys.MaxItemNote+1) },
			map[string]string{"items[1].note": "must be at most 500 characters"}},
		{"not possible without saying why", func(m *surveys.CouncilMeeting) {
			m.Items[1].Status, m.Items[1].Note = surveys.ItemNotPossible, "   "
		}, map[string]string{"items[1].note": "must say why it is not possible"}},
		{"a theme not in the codebook", func(m *surveys.CouncilMeeting) { m.Items[0].Themes = []string{"activities", "weather"} },
			map[string]string{"items[0].themes": `"weather" is not a theme of the codebook`}},
		{"a theme twice", func(m *surveys.CouncilMeeting) { m.Items[0].Themes = []string{"activities", "activities"} },
			map[string]string{"items[0].themes": `"activities" is given twice`}},
		{"too many themes", func(m *surveys.CouncilMeeting) {
			m.Items[0].Themes = []string{"activities", "education", "safety", "transport"}
		}, map[string]string{"items[0].themes": "has 4 themes; choose at most 3"}},
		{"several mistakes at once", func(m *surveys.CouncilMeeting) {
			m.Day, m.Pupils = "2030-01-01", 0
			m.Items[0].Said, m.Items[1].Support = "", 9999
		}, map[string]string{"day": "must not be after today", "pupils": "must be a whole number from 1 to 2,000",
			"items[0].said": "must say what pupils said", "items[1].support": "must be a whole number from 0 to 5,000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newCouncils(t)
			m := validMeeting()
			tt.change(m)
			_, err := f.c.Record(leadOf("kirkby-high"), "kirkby-high", m)
			assertFields(t, err, tt.want)
			if n, v := f.store.count(), len(f.voices.all()); n != 0 || v != 0 {
				t.Errorf("a refused meeting stored %d meetings and %d voices", n, v)
			}
			if len(f.audit.of(surveys.AuditCouncilRecord)) != 0 {
				t.Error("a refused meeting was audited")
			}
		})
	}

	// Right at every limit is fine.
	f := newCouncils(t)
	m := validMeeting()
	m.Day, m.Pupils = "2026-11-23", surveys.MaxCouncilPupils
	m.YearGroups = slices.Clone(surveys.YearGroups)
	m.Items = items(surveys.MaxCouncilItems)
	m.Items[0].Said = strings.Repeat("é", surveys.MaxItemSaid)
	m.Items[0].Note = strings.Repeat("n", surveys.MaxItemNote)
	m.Items[0].Support = surveys.MaxItemSupport
	m.Items[0].Themes = []string{"activities", "education", "safety"}
	m.Items[1].Status, m.Items[1].Note = surveys.ItemNotPossible, "No money for it this year."
	if _, err := f.c.Record(leadOf("kirkby-high"), "kirkby-high", m); err != nil {
		t.Fatalf("a meeting at every limit: %v\n%s", err, formatFields(surveys.ErrorFields(err)))
	}
	// "Today" is the UK's day: at 23:30 UTC in summer it is tomorrow in
	// London already.
	f.clock.Advance(time.Date(2027, 6, 30, 23, 30, 0, 0, time.UTC).Sub(f.clock.Now()))
	m = validMeeting()
	m.Day = "2027-07-01"
	if _, err := f.c.Record(leadOf("kirkby-high"), "kirkby-high", m); err != nil {
		t.Errorf("a meeting of today in London: %v", err)
	}
}

// TestCouncilRecord checks what Record stores: the school's key and area,
// the first revision, tidied words, year groups youngest first, items
// numbered, the coder's themes, and one school_council voice per item.
func TestCouncilRecord(t *testing.T) {
	t.Parallel()
	f := newCouncils(t)
	m := validMeeting()
	m.YearGroups = []surveys.YearGroup{"6", "", "R", "5"}
	m.Items[0].Said = "  More clubs at lunchtime, especially football and art\n"
	m.Items[0].Note = " Art club starts after half term "
	m.Items[1].Status = ""
	m.Items = append(m.Items, surveys.CouncilItem{Said: "someone at home hits me", Support: 1})
	saved, err := f.c.Record(leadOf("st-marys"), "st-marys", m)
	if err != nil {
		t.Fatal(err)
	}
	got := saved.Meeting
	if got.ID != "m001" || got.School != "st-marys" || got.Area != "North" || got.Revision != 1 ||
		!got.Created.Equal(councilStart) || !got.Updated.Equal(councilStart) {
		t.Errorf("recorded %+v", got)
	}
	if !slices.Equal(got.YearGroups, []surveys.YearGroup{"R", "5", "6"}) {
		t.Errorf("year groups %v, want R 5 6", got.YearGroups)
	}
	it := got.Items[0]
	if it.ID != "1" || got.Items[1].ID != "2" || got.Items[2].ID != "3" {
		t.Errorf("item ids %s %s %s, want 1 2 3", it.ID, got.Items[1].ID, got.Items[2].ID)
	}
	if it.Said != "More clubs at lunchtime, especially football and art" || it.Note != "Art club starts after half term" {
		t.Errorf("words not trimmed: %q %q", it.Said, it.Note)
	}
	if got.Items[1].Status != surveys.ItemNotYet {
		t.Errorf("a blank status is %q, want not_yet", got.Items[1].Status)
	}
	if !slices.Equal(it.Themes, []string{"activities"}) || !slices.Equal(it.Machine, []string{"activities"}) || it.Checked {
		t.Errorf("item without themes: themes %v machine %v checked %v; want the coder's", it.Themes, it.Machine, it.Checked)
	}
	if saved.Flagged != 1 {
		t.Errorf("flagged %d items, want 1", saved.Flagged)
	}
	if stored, err := f.store.FindMeeting(t.Context(), got.ID); err != nil || stored.Pupils != 14 || len(stored.Items) != 3 {
		t.Errorf("stored %+v (%v)", stored, err)
	}
	voices := f.voices.all()
	if len(voices) != 3 {
		t.Fatalf("%d voices, want one per item", len(voices))
	}
	for _, v := range voices {
		if v.Channel != surveys.ChannelSchoolCouncil || v.Area != "North" || v.Day != "2026-11-18" ||
			v.Source.School != "st-marys" || v.Source.Meeting != got.ID || v.Review != nil || v.Lang != "en" {
			t.Errorf("voice %+v", v)
		}
	}
	if len(f.voices.flags) != 1 {
		t.Errorf("%d flags, want 1", len(f.voices.flags))
	}
	entries := f.audit.of(surveys.AuditCouncilRecord)
	if len(entries) != 1 || entries[0].Target != "st-marys" || entries[0].Detail != "meeting of 2026-11-18: 14 pupils, 3 items" ||
		entries[0].Actor != "school_lead@council.example" {
		t.Errorf("audit %+v", entries)
	}
	// A meeting that raised nothing is a record too.
	empty := validMeeting()
	empty.Items = nil
	if saved, err := f.c.Record(leadOf("st-marys"), "st-marys", empty); err != nil || len(saved.Meeting.Items) != 0 {
		t.Errorf("a meeting with no items: %v", err)
	}
}

// TestCouncilRecordUndoesVoices: when the meeting cannot be stored, its
// voices are taken out again (a retry makes a new meeting), and a flag
// raised stays with the safeguarding lead.
func TestCouncilRecordUndoesVoices(t *testing.T) {
	t.Parallel()
	f := newCouncils(t)
	m := validMeeting()
	m.Items = append(m.Items, surveys.CouncilItem{Said: "someone at home hits me"})
	broken := errors.New("disk full")
	f.store.fail = broken
	if _, err := f.c.Record(leadOf("st-marys"), "st-marys", m); !errors.Is(err, broken) {
		t.Fatalf("record with a failing store: %v", err)
	}
	if n, v := f.store.count(), len(f.voices.all()); n != 0 || v != 0 {
		t.Errorf("after a failed record: %d meetings, %d voices; want none", n, v)
	}
	if len(f.voices.flags) != 1 {
		t.Errorf("%d flags after a failed record, want the one raised", len(f.voices.flags))
	}
}

// TestCouncilThemeRules follows an item's themes through saves: the
// coder's when the lead gives none, the lead's when they choose, and an
// untouched suggestion that follows the words when they change.
func TestCouncilThemeRules(t *testing.T) {
	t.Parallel()
	f := newCouncils(t)
	ctx := leadOf("kirkby-high")
	m := validMeeting()
	m.Items[1].Themes = []string{"physical_health", "education"} // the lead's choice
	saved, err := f.c.Record(ctx, "kirkby-high", m)
	if err != nil {
		t.Fatal(err)
	}
	first := saved.Meeting
	if it := first.Items[1]; !it.Checked || !slices.Equal(it.Themes, []string{"physical_health", "education"}) {
		t.Errorf("chosen themes: %v checked %v", it.Themes, it.Checked)
	}
	if it := first.Items[0]; it.Checked || !slices.Equal(it.Themes, []string{"activities"}) {
		t.Errorf("suggested themes: %v checked %v", it.Themes, it.Checked)
	}

	// The form sends back what it showed: the suggestion for item 1, with
	// new words; the lead's choice for item 2, unchanged; and a new item.
	next := cloneMeeting(first)
	next.Items[0].Said = "The buses to school are always late"
	next.Items = append(next.Items, surveys.CouncilItem{Said: "More trips out"})
	saved, err = f.c.Update(ctx, "kirkby-high", first.ID, 1, next)
	if err != nil {
		t.Fatal(err)
	}
	second := saved.Meeting
	if second.Revision != 2 || second.ID != first.ID || !second.Created.Equal(first.Created) {
		t.Errorf("updated meeting %+v", second)
	}
	ids := []string{second.Items[0].ID, second.Items[1].ID, second.Items[2].ID}
	if !slices.Equal(ids, []string{"1", "2", "3"}) {
		t.Errorf("item ids after the update: %v, want 1 2 3", ids)
	}
	if it := second.Items[0]; it.Checked || !slices.Contains(it.Themes, "transport") || slices.Contains(it.Themes, "activities") {
		t.Errorf("an untouched suggestion with new words: themes %v checked %v; want the coder's for the new words", it.Themes, it.Checked)
	}
	if it := second.Items[1]; !it.Checked || !slices.Equal(it.Themes, []string{"physical_health", "education"}) {
		t.Errorf("the lead's themes after an update: %v checked %v", it.Themes, it.Checked)
	}

	// The lead changes the suggestion of item 1 to one of their own; the
	// item keeps it even when its words change again.
	third := cloneMeeting(second)
	third.Items[0].Themes = []string{"transport", "safety"}
	saved, err = f.c.Update(ctx, "kirkby-high", first.ID, 2, third)
	if err != nil {
		t.Fatal(err)
	}
	third = cloneMeeting(saved.Meeting)
	third.Items[0].Said = "More football clubs please"
	saved, err = f.c.Update(ctx, "kirkby-high", first.ID, 3, third)
	if err != nil {
		t.Fatal(err)
	}
	if it := saved.Meeting.Items[0]; !it.Checked || !slices.Equal(it.Themes, []string{"transport", "safety"}) ||
		!slices.Equal(it.Machine, []string{"activities"}) {
		t.Errorf("chosen themes with new words: %v machine %v checked %v; want the lead's kept", it.Themes, it.Machine, it.Checked)
	}

	// Giving no themes hands the item back to the coder.
	fourth := cloneMeeting(saved.Meeting)
	fourth.Items[1].Themes = nil
	saved, err = f.c.Update(ctx, "kirkby-high", first.ID, 4, fourth)
	if err != nil {
		t.Fatal(err)
	}
	if it := saved.Meeting.Items[1]; it.Checked || !slices.Equal(it.Themes, it.Machine) {
		t.Errorf("cleared themes: %v machine %v checked %v", it.Themes, it.Machine, it.Checked)
	}

	// Taking an item out and adding one: the others keep their ids, and
	// the new one gets the first free id; an id the meeting never had, or
	// one given twice, is a new item.
	fifth := cloneMeeting(saved.Meeting)
	fifth.Items = []surveys.CouncilItem{fifth.Items[2], {ID: "99", Said: "A water fountain"}, fifth.Items[0], {ID: "1", Said: "Again"}}
	saved, err = f.c.Update(ctx, "kirkby-high", first.ID, 5, fifth)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range saved.Meeting.Items {
		got = append(got, it.ID+":"+it.Said)
	}
	if want := []string{"3:More trips out", "2:A water fountain", "1:More football clubs please", "4:Again"}; !slices.Equal(got, want) {
		t.Errorf("items after taking one out: %q, want %q", got, want)
	}
}

// TestCouncilUpdateVoices checks the voices an update leaves: an edited
// item's voice is replaced, a chosen theme is a review of the voice that
// stays, themes cleared return it to the coder's, and a deleted meeting's
// voices are gone.
func TestCouncilUpdateVoices(t *testing.T) {
	t.Parallel()
	f := newCouncils(t)
	ctx := leadOf("kirkby-high")
	saved, err := f.c.Record(ctx, "kirkby-high", validMeeting())
	if err != nil {
		t.Fatal(err)
	}
	m := saved.Meeting
	before := f.voices.all()
	if len(before) != 2 {
		t.Fatalf("%d voices, want 2", len(before))
	}
	clubs := voiceSaying(t, f.voices, "More clubs at lunchtime, especially football and art")
	next := cloneMeeting(m)
	next.Items[1].Themes = []string{"physical_health"}
	saved, err = f.c.Update(ctx, "kirkby-high", m.ID, 1, next)
	if err != nil {
		t.Fatal(err)
	}
	after := f.voices.all()
	if len(after) != 2 || !sameVoiceIDs(before, after) {
		t.Fatalf("choosing a theme changed the voices: %d", len(after))
	}
	toilets := voiceSaying(t, f.voices, "The toilets need fixing")
	if toilets.Review == nil || !slices.Equal(toilets.Review.Themes, []string{"physical_health"}) || toilets.Review.By != "school_lead@council.example" {
		t.Errorf("the lead's themes are not the voice's review: %+v", toilets.Review)
	}

	next = cloneMeeting(saved.Meeting)
	next.Items[1].Themes = nil
	saved, err = f.c.Update(ctx, "kirkby-high", m.ID, 2, next)
	if err != nil {
		t.Fatal(err)
	}
	toilets = voiceSaying(t, f.voices, "The toilets need fixing")
	if got := toilets.Themes(); !slices.Equal(got, toilets.Machine.ThemeKeys()) {
		t.Errorf("themes cleared: the voice's themes are %v, want the coder's %v", got, toilets.Machine.ThemeKeys())
	}

	next = cloneMeeting(saved.Meeting)
	next.Items[0].Said = "Even more clubs at lunchtime"
	next.Items[1].Note = "Fixed again"
	if _, err := f.c.Update(ctx, "kirkby-high", m.ID, 3, next); err != nil {
		t.Fatal(err)
	}
	after = f.voices.all()
	if len(after) != 2 {
		t.Errorf("%d voices after editing an item's words, want 2 (the old one replaced)", len(after))
	}
	voiceSaying(t, f.voices, "Even more clubs at lunchtime")
	if _, err := f.voices.FindVoice(t.Context(), clubs.ID); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("the edited item's old voice: %v, want ENOTFOUND", err)
	}
	// A note is not a voice: changing it keeps the item's voice.
	if v := voiceSaying(t, f.voices, "The toilets need fixing"); v.ID != toilets.ID {
		t.Error("changing an item's note replaced its voice")
	}

	// Moving the meeting to another day makes new voices of every item.
	next.Day = "2026-11-11"
	saved, err = f.c.Update(ctx, "kirkby-high", m.ID, 4, next)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range f.voices.all() {
		if v.Day != "2026-11-11" {
			t.Errorf("a voice of the old day is left: %+v", v)
		}
	}
	if len(f.voices.all()) != 2 {
		t.Errorf("%d voices after moving the day", len(f.voices.all()))
	}

	if err := f.c.Delete(ctx, "kirkby-high", m.ID, saved.Meeting.Revision); err != nil {
		t.Fatal(err)
	}
	if n, v := f.store.count(), len(f.voices.all()); n != 0 || v != 0 {
		t.Errorf("after delete: %d meetings, %d voices", n, v)
	}
	if e := f.audit.of(surveys.AuditCouncilDelete); len(e) != 1 || e[0].Detail != "meeting of 2026-11-11" {
		t.Errorf("delete audit %+v", e)
	}
	if e := f.audit.of(surveys.AuditCouncilUpdate); len(e) != 4 {
		t.Errorf("%d update entries, want 4", len(e))
	}
}

func sameVoiceIDs(a, b []*surveys.Voice) bool {
	ids := func(vs []*surveys.Voice) []string {
		var out []string
		for _, v := range vs {
			out = append(out, v.ID)
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(ids(a), ids(b))
}

func voiceSaying(t *testing.T, vs *memVoices, text string) *surveys.Voice {
	t.Helper()
	for _, v := range vs.all() {
		if v.Text == text {
			return v
		}
	}
	t.Fatalf("no voice says %q", text)
	return nil
}

// TestCouncilRevisions: an update or delete from an old revision is
// refused and changes nothing; so is one for a meeting that is gone.
func TestCouncilRevisions(t *testing.T) {
	t.Parallel()
	f := newCouncils(t)
	ctx := leadOf("kirkby-high")
	saved, err := f.c.Record(ctx, "kirkby-high", validMeeting())
	if err != nil {
		t.Fatal(err)
	}
	id := saved.Meeting.ID
	if _, err := f.c.Update(ctx, "kirkby-high", id, 1, validMeeting()); err != nil {
		t.Fatal(err)
	}
	voices := f.voices.all()
	edit := validMeeting()
	edit.Items[0].Said = "Something else"
	if _, err := f.c.Update(ctx, "kirkby-high", id, 1, edit); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("an update from revision 1 of 2: %v, want ECONFLICT", err)
	}
	if err := f.c.Delete(ctx, "kirkby-high", id, 1); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("a delete from revision 1 of 2: %v, want ECONFLICT", err)
	}
	if !sameVoiceIDs(voices, f.voices.all()) || f.store.count() != 1 {
		t.Error("refused saves changed the voices or the meetings")
	}
	if _, err := f.c.Update(ctx, "kirkby-high", "nope", 1, validMeeting()); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("update of an unknown meeting: %v", err)
	}
	if err := f.c.Delete(ctx, "kirkby-high", "nope", 1); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("delete of an unknown meeting: %v", err)
	}
	// An update with mistakes changes nothing either.
	bad := validMeeting()
	bad.Pupils = 0
	if _, err := f.c.Update(ctx, "kirkby-high", id, 2, bad); surveys.ErrorCode(err) != surveys.EINVALID {
		t.Errorf("update with mistakes: %v", err)
	}
	if m, _ := f.store.FindMeeting(t.Context(), id); m.Revision != 2 || m.Pupils != 14 {
		t.Errorf("a refused update changed the meeting: %+v", m)
	}

	// Many saves from one revision at once: one wins, and the voices are
	// those of the winner only.
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := validMeeting()
			m.Items[0].Said = fmt.Sprintf("Edit number %d", i)
			_, err := f.c.Update(ctx, "kirkby-high", id, 2, m)
			mu.Lock()
			defer mu.Unlock()
			switch surveys.ErrorCode(err) {
			case "":
				won++
			case surveys.ECONFLICT:
			default:
				t.Errorf("update %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if won != 1 || len(f.voices.all()) != 2 {
		t.Errorf("8 saves from one revision: %d stored, %d voices; want 1 and 2", won, len(f.voices.all()))
	}
}

func TestCanKeepSchool(t *testing.T) {
	t.Parallel()
	lead := &surveys.User{Role: surveys.RoleSchoolLead, School: "kirkby-high"}
	tests := []struct {
		user   *surveys.User
		school string
		want   bool
	}{
		{nil, "kirkby-high", false},
		{&surveys.User{Role: surveys.RoleAdmin}, "kirkby-high", true},
		{&surveys.User{Role: surveys.RoleAnalyst}, "halewood-academy", true},
		{&surveys.User{Role: surveys.RoleAnalyst}, "", false},
		{lead, "kirkby-high", true},
		{lead, "halewood-academy", false},
		{lead, "", false},
		{&surveys.User{Role: surveys.RoleSchoolLead}, "", false},
		{&surveys.User{Role: surveys.RoleSchoolLead}, "kirkby-high", false},
		{&surveys.User{Role: surveys.RoleBoard}, "kirkby-high", false},
		{&surveys.User{Role: surveys.RoleFacilitator}, "kirkby-high", false},
		{&surveys.User{Role: surveys.RoleSafeguardingLead}, "kirkby-high", false},
		{&surveys.User{Role: surveys.RoleBoard, School: "kirkby-high"}, "kirkby-high", false},
	}
	for _, tt := range tests {
		if got := surveys.CanKeepSchool(tt.user, tt.school); got != tt.want {
			t.Errorf("CanKeepSchool(%+v, %q) = %v", tt.user, tt.school, got)
		}
	}
}

// otherSchool is the code of the answer to anyone who may not keep a
// school's records: not found, as if the school were not there, so that
// the answer says nothing of it.
const otherSchool = surveys.ENOTFOUND

// TestCouncilsRoleScope tries every service call as each role: a lead of
// one school is refused another's, and so are the roles that keep no
// school's records, whatever the school; admins and analysts keep any, and
// so does Heard itself (the command line, the demo).
func TestCouncilsRoleScope(t *testing.T) {
	t.Parallel()
	f := newCouncils(t)
	saved, err := f.c.Record(leadOf("halewood-academy"), "halewood-academy", validMeeting())
	if err != nil {
		t.Fatal(err)
	}
	id := saved.Meeting.ID
	csv := []byte("date,pupils,year_groups,said,supported_by,priority,status,school_did,themes\n2026-10-01,5,Year 7,Longer lunch,3,no,,,\n")
	calls := map[string]func(ctx context.Context) error{
		"School": func(ctx context.Context) error { _, _, err := f.c.School(ctx, "halewood-academy"); return err },
		"Meetings": func(ctx context.Context) error {
			_, err := f.c.Meetings(ctx, "halewood-academy")
			return err
		},
		"Meeting": func(ctx context.Context) error { _, err := f.c.Meeting(ctx, "halewood-academy", id); return err },
		"Record": func(ctx context.Context) error {
			_, err := f.c.Record(ctx, "halewood-academy", validMeeting())
			return err
		},
		"Update": func(ctx context.Context) error {
			_, err := f.c.Update(ctx, "halewood-academy", id, 99, validMeeting())
			return err
		},
		"Delete": func(ctx context.Context) error { return f.c.Delete(ctx, "halewood-academy", id, 99) },
		"Import": func(ctx context.Context) error { _, err := f.c.Import(ctx, "halewood-academy", csv); return err },
		"StartSurvey": func(ctx context.Context) error {
			_, err := f.c.StartSurvey(ctx, "halewood-academy")
			return err
		},
		"SchoolSurvey": func(ctx context.Context) error {
			_, err := f.c.SchoolSurvey(ctx, "halewood-academy")
			return err
		},
		"SetSurveyStatus": func(ctx context.Context) error {
			_, err := f.c.SetSurveyStatus(ctx, "halewood-academy", surveys.StatusClosed)
			return err
		},
	}
	forbidden := map[string]context.Context{
		"a lead of another school": leadOf("kirkby-high"),
		"a lead of no school":      leadOf(""),
		"a board member":           asUser(surveys.RoleBoard, ""),
		"a facilitator":            asUser(surveys.RoleFacilitator, ""),
		"a safeguarding lead":      asUser(surveys.RoleSafeguardingLead, ""),
		"nobody signed in":         context.Background(),
	}
	for who, ctx := range forbidden {
		for name, call := range calls {
			err := call(ctx)
			if surveys.ErrorCode(err) != otherSchool || surveys.ErrorMessage(err) != "You can see and keep only your own school's records." {
				t.Errorf("%s: %s gave %v, want %s", name, who, err, otherSchool)
			}
		}
	}
	if f.store.count() != 1 || len(f.voices.all()) != 2 {
		t.Errorf("forbidden calls changed something: %d meetings, %d voices", f.store.count(), len(f.voices.all()))
	}
	allowed := map[string]context.Context{
		"the school's lead": leadOf("halewood-academy"),
		"an analyst":        asUser(surveys.RoleAnalyst, ""),
		"an admin":          asUser(surveys.RoleAdmin, ""),
		"the command line":  surveys.NewContextWithActor(context.Background(), surveys.ActorCommandLine),
	}
	for who, ctx := range allowed {
		if ms, err := f.c.Meetings(ctx, "halewood-academy"); err != nil || len(ms) != 1 {
			t.Errorf("%s lists %d meetings (%v)", who, len(ms), err)
		}
		if m, err := f.c.Meeting(ctx, "halewood-academy", id); err != nil || m.ID != id {
			t.Errorf("%s reads the meeting: %v", who, err)
		}
	}
	// A named actor does not stand in for a member of staff who may not.
	boardAsCLI := surveys.NewContextWithActor(asUser(surveys.RoleBoard, ""), surveys.ActorCommandLine)
	if _, err := f.c.Meetings(boardAsCLI, "halewood-academy"); surveys.ErrorCode(err) != otherSchool {
		t.Errorf("a board member's request naming an actor: %v, want %s", err, otherSchool)
	}
	// A meeting's id through another school is not found, even for an
	// analyst, and a school not in the settings is not found.
	if _, err := f.c.Meeting(asUser(surveys.RoleAnalyst, ""), "kirkby-high", id); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("another school's meeting by id: %v, want ENOTFOUND", err)
	}
	if _, err := f.c.Meeting(leadOf("kirkby-high"), "kirkby-high", id); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("a lead reading another school's meeting through their own: %v, want ENOTFOUND", err)
	}
	if err := f.c.Delete(leadOf("kirkby-high"), "kirkby-high", id, 1); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("a lead deleting another school's meeting through their own: %v, want ENOTFOUND", err)
	}
	if _, err := f.c.Meetings(asUser(surveys.RoleAdmin, ""), "atlantis-primary"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("a school not in the settings: %v, want ENOTFOUND", err)
	}
	if _, err := f.c.Meetings(leadOf("atlantis-primary"), "atlantis-primary"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("a lead of a school taken out of the settings: %v, want ENOTFOUND", err)
	}
	// An analyst records for any school; the meeting is the school's.
	if saved, err := f.c.Record(asUser(surveys.RoleAnalyst, ""), "kirkby-high", validMeeting()); err != nil || saved.Meeting.School != "kirkby-high" {
		t.Errorf("an analyst recording for a school: %v", err)
	}
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

func TestSchoolSurveySlug(t *testing.T) {
	t.Parallel()
	if got := surveys.SchoolSurveySlug(2026, "halewood-academy"); got != "school-council-2026-halewood-academy" {
		t.Errorf("slug %q", got)
	}
	// The longest key that fits is kept whole.
	fits := strings.Repeat("a", surveys.MaxKeyLength-len("school-council-2026-"))
	if got := surveys.SchoolSurveySlug(2026, fits); got != "school-council-2026-"+fits {
		t.Errorf("slug of a key that just fits: %q", got)
	}
	// Long keys that begin alike still make different slugs, each a valid
	// key, the same every time.
	a := "the-blessed-sacrament-catholic-voluntary-aided-primary-school-a"
	b := "the-blessed-sacrament-catholic-voluntary-aided-primary-school-b"
	sa, sb := surveys.SchoolSurveySlug(2026, a), surveys.SchoolSurveySlug(2026, b)
	for _, s := range []string{sa, sb} {
		if len(s) > surveys.MaxKeyLength || !slugPattern.MatchString(s) || !strings.HasPrefix(s, "school-council-2026-the-blessed") {
			t.Errorf("slug %q (%d bytes) is not a valid key", s, len(s))
		}
	}
	if sa == sb {
		t.Errorf("two schools share the slug %q", sa)
	}
	if sa != surveys.SchoolSurveySlug(2026, a) || sa == surveys.SchoolSurveySlug(2027, a) {
		t.Error("slugs are not stable, or do not change with the year")
	}
	// A key with a hyphen where it is cut does not leave "--".
	for n := 40; n < 64; n++ {
		k := strings.Repeat("ab-", 30)[:n]
		k = strings.Trim(k, "-")
		if s := surveys.SchoolSurveySlug(2026, k); strings.Contains(s, "--") || len(s) > surveys.MaxKeyLength {
			t.Errorf("slug of %q: %q", k, s)
		}
	}
}

// TestStartSchoolSurvey starts a school's pupil survey from the template:
// open, carrying the school and its area, named for the school, following
// last year's when there was one; its comments are the school council
// channel's.
func TestStartSchoolSurvey(t *testing.T) {
	t.Parallel()
	f := newCouncils(t)
	ctx := leadOf("page-moss")
	if _, err := f.c.SchoolSurvey(ctx, "page-moss"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("before starting: %v, want ENOTFOUND", err)
	}
	s, err := f.c.StartSurvey(ctx, "page-moss")
	if err != nil {
		t.Fatal(err)
	}
	if s.Slug != "school-council-2026-page-moss" || s.Edition != 2026 || s.Status != surveys.StatusOpen ||
		s.School != "page-moss" || s.Area != "Central" || s.Kind != surveys.KindSchoolCouncil || s.Previous != "" {
		t.Errorf("started %s edition %d status %s school %q area %q kind %s previous %q", s.Slug, s.Edition, s.Status, s.School, s.Area, s.Kind, s.Previous)
	}
	if title := s.Title.In("en"); title != "Your school council 2026: Page Moss Primary" {
		t.Errorf("title %q", title)
	}
	if got, err := f.c.SchoolSurvey(ctx, "page-moss"); err != nil || got.Slug != s.Slug {
		t.Errorf("SchoolSurvey: %v", err)
	}
	if _, err := f.c.StartSurvey(ctx, "page-moss"); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("starting it twice: %v, want ECONFLICT", err)
	}
	if e := f.audit.of(surveys.AuditSchoolSurvey); len(e) != 1 || e[0].Target != "page-moss" || e[0].Detail != s.Slug {
		t.Errorf("audit %+v", e)
	}
	closed, err := f.c.SetSurveyStatus(ctx, "page-moss", surveys.StatusClosed)
	if err != nil || closed.Status != surveys.StatusClosed {
		t.Errorf("closing: %v", err)
	}
	// Another school's survey of the same year is its own.
	if _, err := f.c.SchoolSurvey(leadOf("park-brow"), "park-brow"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("another school's survey: %v, want ENOTFOUND", err)
	}

	// A year on, this year's follows last year's.
	f.clock.Advance(365 * 24 * time.Hour)
	next, err := f.c.StartSurvey(ctx, "page-moss")
	if err != nil {
		t.Fatal(err)
	}
	if next.Slug != "school-council-2027-page-moss" || next.Previous != s.Slug || next.Edition != 2027 ||
		next.Title.In("en") != "Your school council 2027: Page Moss Primary" {
		t.Errorf("next year's: %s previous %q title %q", next.Slug, next.Previous, next.Title.In("en"))
	}

	// Its comments are the school's, in its area, on the school council
	// channel.
	v := next.Version(next.Versions[0].Key)
	var text *surveys.Question
	for i := range v.Questions {
		if v.Questions[i].Type == surveys.FreeText {
			text = &v.Questions[i]
			break
		}
	}
	if text == nil {
		t.Fatal("the template has no text question")
	}
	r := &surveys.Response{ID: "00000000-0000-4000-8000-000000000001", Survey: next.Slug, Edition: next.Edition, Version: v.Key,
		Lang: "en", Day: "2027-11-23", Answers: map[string]surveys.Answer{text.Key: {Text: "more football clubs"}}}
	voices := surveys.VoicesOf(next, v, r, f.c.Themes)
	if len(voices) != 1 {
		t.Fatalf("%d voices", len(voices))
	}
	if got := voices[0]; got.Channel != surveys.ChannelSchoolCouncil || got.Area != "Central" || got.Source.School != "page-moss" ||
		got.Source.Survey != next.Slug || got.Day != "2027-11-23" {
		t.Errorf("voice of a school's survey: %+v", got)
	}
	// A borough survey's comments stay on the survey channel.
	borough := *next
	borough.School, borough.Area = "", ""
	if got := surveys.VoicesOf(&borough, v, r, f.c.Themes)[0]; got.Channel != surveys.ChannelSurvey || got.Source.School != "" || got.Area != "" {
		t.Errorf("voice of a borough survey: %+v", got)
	}

	// Without a school council template there is nothing to start.
	f.c.Templates = func() ([]*surveys.Definition, error) { return nil, nil }
	if _, err := f.c.StartSurvey(leadOf("park-brow"), "park-brow"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("no template: %v, want ENOTFOUND", err)
	}
}
