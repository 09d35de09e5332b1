package surveys

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Councils keeps the records of school council meetings: a school lead
// records their school's, and each item becomes a voice of the
// school_council channel, so that it joins the theme summary.
type Councils struct {
	Store    CouncilStore
	Voices   VoiceStore
	Themes   *Themes
	Settings *SettingsService
	Audit    *AuditLog
	Now      func() time.Time
	// Catalog and Templates make a school's pupil survey from the school
	// council template.
	Catalog   *Catalog
	Templates func() ([]*Definition, error)
	// NewID makes a meeting's id; nil makes a random one.
	NewID func() string
	// Redactor makes, from the names of the borough's schools, a function
	// that takes them (and whatever else could name someone) out of an
	// item's words before the areas page shows them: package redact's,
	// given by main, since the domain imports only the standard library.
	// Without one, the areas page is refused.
	Redactor func(schools []string) (func(text string) string, error)

	// mu makes an update's or a delete's check of the revision, the change
	// to its voices and its write one step in this process, so that two
	// saves from one revision cannot both change the voices (and count an
	// item twice) before the store refuses the second.
	mu sync.Mutex
}

// CanKeepSchool reports whether u may read and keep the records of the
// school with the key: admins and analysts every school's, a school lead
// only their own, nobody else any.
func CanKeepSchool(u *User, school string) bool {
	if u == nil || school == "" {
		return false
	}
	switch u.Role {
	case RoleAdmin, RoleAnalyst:
		return true
	case RoleSchoolLead:
		return u.School == school
	}
	return false
}

// errOtherSchool is the one answer to a lead who asks for another school's
// records: not found, as if it were not there, so that it says nothing of
// that school (whether it exists, or has records).
var errOtherSchool = Errorf(ENOTFOUND, "You can see and keep only your own school's records.")

// School returns the school with the key and the settings it is in, when
// the signed-in person may keep its records.
func (c *Councils) School(ctx context.Context, key string) (*School, *Settings, error) {
	if !CanKeepSchool(UserFromContext(ctx), key) && !heardItself(ctx) {
		return nil, nil, errOtherSchool
	}
	st, err := c.Settings.Current(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("find school: %w", err)
	}
	sc := st.School(key)
	if sc == nil {
		return nil, nil, Errorf(ENOTFOUND, "There is no school %q in the settings.", key)
	}
	return sc, st, nil
}

// Meetings lists a school's meetings, newest first.
func (c *Councils) Meetings(ctx context.Context, school string) ([]*CouncilMeeting, error) {
	if _, _, err := c.School(ctx, school); err != nil {
		return nil, err
	}
	ms, err := c.Store.FindMeetings(ctx, CouncilFilter{School: school})
	if err != nil {
		return nil, fmt.Errorf("list meetings: %w", err)
	}
	return ms, nil
}

// Meeting returns a meeting of the school, if the signed-in person may
// see it. A meeting of another school is not found: its id says nothing.
func (c *Councils) Meeting(ctx context.Context, school, id string) (*CouncilMeeting, error) {
	if _, _, err := c.School(ctx, school); err != nil {
		return nil, err
	}
	m, err := c.Store.FindMeeting(ctx, id)
	if err != nil {
		return nil, err
	}
	if m.School != school {
		return nil, Errorf(ENOTFOUND, "There is no such meeting.")
	}
	return m, nil
}

// CouncilSaved is what a save did: the meeting as stored, and how many of
// its items were passed to the safeguarding lead.
type CouncilSaved struct {
	Meeting *CouncilMeeting
	Flagged int
}

// Record stores a new meeting of a school. The items' themes the lead did
// not choose are the coder's.
func (c *Councils) Record(ctx context.Context, school string, m *CouncilMeeting) (*CouncilSaved, error) {
	sc, _, err := c.School(ctx, school)
	if err != nil {
		return nil, err
	}
	now := c.Now().UTC()
	m.ID, m.School, m.Area, m.Revision, m.Created, m.Updated = c.newID(), sc.Key, sc.Area, 1, now, now
	code := c.newItemCoder()
	c.prepare(m, nil, code)
	if err := m.validate(c.Themes.Codebook(), c.today()); err != nil {
		return nil, err
	}
	voices := c.voicesOf(ctx, m, code)
	// Voices first: should the meeting's write fail, nothing points to
	// them, and a worrying item is with the safeguarding lead either way.
	if err := c.Voices.AddVoices(ctx, voices); err != nil {
		return nil, fmt.Errorf("record meeting: %w", err)
	}
	if _, err := c.Store.CreateMeetings(ctx, []*CouncilMeeting{m}); err != nil {
		// Take the voices out again: a retry makes a meeting with a new
		// id, whose voices would count the same items twice. Their flags
		// stay with the safeguarding lead.
		if undo := c.Voices.DeleteVoices(ctx, voiceIDs(voices)); undo != nil {
			err = errors.Join(err, undo)
		}
		return nil, fmt.Errorf("record meeting: %w", err)
	}
	if err := c.Audit.Record(ctx, AuditCouncilRecord, school, meetingDetail(m)); err != nil {
		return nil, err
	}
	return &CouncilSaved{Meeting: m, Flagged: countFlagged(voices)}, nil
}

// Update replaces a meeting's record with next, if it is still at
// revision, and brings its voices into line: an item whose words, day or
// area changed is a new voice, and one taken out is no longer counted.
func (c *Councils) Update(ctx context.Context, school, id string, revision int, next *CouncilMeeting) (*CouncilSaved, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old, err := c.Meeting(ctx, school, id)
	if err != nil {
		return nil, err
	}
	if old.Revision != revision {
		return nil, Errorf(ECONFLICT, "Someone else saved this meeting after you opened it. Open it again to see their changes.")
	}
	next.ID, next.School, next.Area, next.Created, next.Updated = old.ID, old.School, old.Area, old.Created, c.Now().UTC()
	code := c.newItemCoder()
	c.prepare(next, old, code)
	if err := next.validate(c.Themes.Codebook(), c.today()); err != nil {
		return nil, err
	}
	oldVoices, voices := c.voicesOf(ctx, old, code), c.voicesOf(ctx, next, code)
	if err := c.syncVoices(ctx, oldVoices, voices); err != nil {
		return nil, fmt.Errorf("update meeting: %w", err)
	}
	saved, err := c.Store.UpdateMeeting(ctx, revision, next)
	if err != nil {
		return nil, err
	}
	if err := c.Audit.Record(ctx, AuditCouncilUpdate, school, meetingDetail(saved)); err != nil {
		return nil, err
	}
	return &CouncilSaved{Meeting: saved, Flagged: countFlagged(newVoices(oldVoices, voices))}, nil
}

// Delete removes a meeting recorded by mistake, and its voices. Flags
// raised by its items stay with the safeguarding lead.
func (c *Councils) Delete(ctx context.Context, school, id string, revision int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, err := c.Meeting(ctx, school, id)
	if err != nil {
		return err
	}
	if m.Revision != revision {
		return Errorf(ECONFLICT, "Someone else saved this meeting after you opened it. Open it again before deleting it.")
	}
	// Voices first: should the meeting's delete fail, a retry finds the
	// meeting and finishes; the other way round, voices left behind would
	// be counted with no meeting to remove them by.
	if err := c.Voices.DeleteVoices(ctx, voiceIDs(c.voicesOf(ctx, m, c.newItemCoder()))); err != nil {
		return fmt.Errorf("delete meeting: %w", err)
	}
	if err := c.Store.DeleteMeeting(ctx, id, revision); err != nil {
		return err
	}
	return c.Audit.Record(ctx, AuditCouncilDelete, school, "meeting of "+m.Day)
}

// syncVoices stores the voices that are new, removes those that are gone,
// and sets the lead's themes on those kept.
func (c *Councils) syncVoices(ctx context.Context, old, next []*Voice) error {
	if err := c.Voices.AddVoices(ctx, newVoices(old, next)); err != nil {
		return err
	}
	keep := map[string]*Voice{}
	for _, v := range next {
		keep[v.ID] = v
	}
	var gone, reviewed []string
	reviews := map[string]VoiceReview{}
	for _, v := range old {
		nv, ok := keep[v.ID]
		switch {
		case !ok:
			gone = append(gone, v.ID)
		case nv.Review != nil && (v.Review == nil || !slices.Equal(v.Review.Themes, nv.Review.Themes)):
			reviewed = append(reviewed, v.ID)
			reviews[v.ID] = *nv.Review
		case nv.Review == nil && v.Review != nil:
			// The lead took their themes away, so the coder's are in force
			// again; a store cannot forget a review, so they become it.
			reviewed = append(reviewed, v.ID)
			reviews[v.ID] = VoiceReview{Themes: nv.Machine.ThemeKeys(), Sentiment: nv.Machine.Sentiment, By: actorOf(ctx), At: c.Now().UTC()}
		}
	}
	if len(reviewed) > 0 {
		if _, err := c.Voices.ReviewVoices(ctx, reviewed, reviews); err != nil {
			return err
		}
	}
	return c.Voices.DeleteVoices(ctx, gone)
}

// newVoices are the voices of next that old does not have.
func newVoices(old, next []*Voice) []*Voice {
	had := map[string]bool{}
	for _, v := range old {
		had[v.ID] = true
	}
	var out []*Voice
	for _, v := range next {
		if !had[v.ID] {
			out = append(out, v)
		}
	}
	return out
}

func voiceIDs(voices []*Voice) []string {
	ids := make([]string, len(voices))
	for i, v := range voices {
		ids[i] = v.ID
	}
	return ids
}

func countFlagged(voices []*Voice) int {
	n := 0
	for _, v := range voices {
		if v.Machine.Risk.Flag {
			n++
		}
	}
	return n
}

// prepare tidies what a person typed and codes each item: items keep their
// ids (new ones get the next free), year groups go youngest first, and an
// item's themes are the coder's unless the lead chose others. old is the
// meeting as stored before, or nil.
func (c *Councils) prepare(m *CouncilMeeting, old *CouncilMeeting, code itemCoder) {
	m.YearGroups = slices.DeleteFunc(m.YearGroups, func(y YearGroup) bool { return y == "" })
	slices.SortStableFunc(m.YearGroups, func(a, b YearGroup) int {
		return slices.Index(YearGroups, a) - slices.Index(YearGroups, b)
	})
	before := map[string]*CouncilItem{}
	if old != nil {
		for i := range old.Items {
			before[old.Items[i].ID] = &old.Items[i]
		}
	}
	used := map[string]bool{}
	for i := range m.Items {
		it := &m.Items[i]
		it.Said, it.Note = strings.TrimSpace(it.Said), strings.TrimSpace(it.Note)
		if it.Status == "" {
			it.Status = ItemNotYet
		}
		if before[it.ID] == nil || used[it.ID] {
			it.ID = ""
		}
		used[it.ID] = true
		it.Machine = code.code(it.Said).ThemeKeys()
		prev := before[it.ID]
		switch {
		case len(it.Themes) == 0:
			it.Themes, it.Checked = slices.Clone(it.Machine), false
		case prev != nil && !prev.Checked && sameThemes(it.Themes, prev.Themes):
			// The lead left Heard's suggestion as it was: it follows the
			// words, which may have changed.
			it.Themes, it.Checked = slices.Clone(it.Machine), false
		default:
			it.Checked = true
		}
	}
	for i := range m.Items {
		if m.Items[i].ID == "" {
			m.Items[i].ID = freeItemID(used)
		}
	}
}

// freeItemID returns the first of "1", "2"… not used, and marks it used.
func freeItemID(used map[string]bool) string {
	for n := 1; ; n++ {
		id := fmt.Sprint(n)
		if !used[id] {
			used[id] = true
			return id
		}
	}
}

func sameThemes(a, b []string) bool {
	return len(a) == len(b) && !slices.ContainsFunc(a, func(k string) bool { return !slices.Contains(b, k) })
}

// voicesOf makes the voices of a meeting's items. A voice's id comes from
// its words, day and area as well as the item, so that changing any of
// them makes a new voice (with a new digest and a new check for
// safeguarding) rather than leaving an old one behind.
func (c *Councils) voicesOf(ctx context.Context, m *CouncilMeeting, code itemCoder) []*Voice {
	voices := make([]*Voice, 0, len(m.Items))
	for _, it := range m.Items {
		coding := code.code(it.Said)
		v := &Voice{
			ID:      VoiceID(ChannelSchoolCouncil, m.ID, it.ID, it.Said, m.Day, m.Area),
			Channel: ChannelSchoolCouncil,
			Source:  VoiceSource{School: m.School, Meeting: m.ID, Activity: it.ID},
			Text:    it.Said, Lang: DefaultLanguage, Day: m.Day, Area: m.Area, Machine: coding,
		}
		if it.Checked {
			v.Review = &VoiceReview{Themes: slices.Clone(it.Themes), Sentiment: coding.Sentiment, By: actorOf(ctx), At: c.Now().UTC()}
		}
		voices = append(voices, v)
	}
	return voices
}

// itemCoder codes items' words with the codebook in force, each text
// once: a save codes its items to suggest their themes, and again to make
// their voices, the meeting as it was as well as as it is.
type itemCoder struct {
	themes *Themes
	done   map[string]Coding
}

func (c *Councils) newItemCoder() itemCoder {
	return itemCoder{themes: c.Themes, done: map[string]Coding{}}
}

func (ic itemCoder) code(text string) Coding {
	if coding, ok := ic.done[text]; ok {
		return coding
	}
	coding := ic.themes.Code(text, DefaultLanguage)
	ic.done[text] = coding
	return coding
}

func meetingDetail(m *CouncilMeeting) string {
	return fmt.Sprintf("meeting of %s: %d pupils, %d items", m.Day, m.Pupils, len(m.Items))
}

func (c *Councils) today() string {
	return c.Now().In(ukTime).Format(time.DateOnly)
}

func (c *Councils) newID() string {
	if c.NewID != nil {
		return c.NewID()
	}
	return randomID()
}

// CouncilImport is what an import did: the meetings in the file, how many
// of them were new (the others were imported before), their items, and
// how many items were passed to the safeguarding lead.
type CouncilImport struct {
	Meetings, New, Items, Flagged int
}

// Import stores a term's meetings of a school from a CSV file: every row
// is checked first, every mistake is reported with its row, and nothing
// is stored unless there are none. Importing the same file again stores
// nothing twice.
func (c *Councils) Import(ctx context.Context, school string, data []byte) (*CouncilImport, error) {
	sc, _, err := c.School(ctx, school)
	if err != nil {
		return nil, err
	}
	cb := c.Themes.Codebook()
	// Every mistake at once: the cells', then the meetings' own rules,
	// leaving out what a cell's mistake has said already at its row.
	var p ImportProblems
	meetings, rowsOf := parseCouncilCSV(data, cb, &p)
	stored, err := c.Store.FindMeetings(ctx, CouncilFilter{School: sc.Key})
	if err != nil {
		return nil, fmt.Errorf("import meetings: %w", err)
	}
	had, days := map[string]bool{}, map[string]bool{}
	for _, m := range stored {
		had[m.ID], days[m.Day] = true, true
	}
	now, today, code := c.Now().UTC(), c.today(), c.newItemCoder()
	for i, m := range meetings {
		m.School, m.Area, m.Revision, m.Created, m.Updated = sc.Key, sc.Area, 1, now, now
		m.ID = importedID(sc.Key, m)
		c.prepare(m, nil, code)
		if err := m.validate(cb, today); err != nil {
			for _, pr := range meetingProblems(err, rowsOf[i]) {
				if !p.has(pr.row, pr.column) {
					p.add(pr.row, pr.column, pr.msg)
				}
			}
		}
		// The same file again is the same meeting, and is skipped below;
		// another meeting on a day the school has one would count twice.
		if !had[m.ID] && days[m.Day] && !p.has(rowsOf[i][0], "date") {
			p.add(rowsOf[i][0], "date", "the school has a meeting on this day in Heard already, recorded there or imported from another file: "+
				"change that meeting in Heard, or take these rows out")
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	res := &CouncilImport{Meetings: len(meetings)}
	var fresh []*CouncilMeeting
	var voices []*Voice
	for _, m := range meetings {
		res.Items += len(m.Items)
		if !had[m.ID] {
			fresh = append(fresh, m)
			voices = append(voices, c.voicesOf(ctx, m, code)...)
		}
	}
	// As Record does: voices first, then the meetings that point to them.
	if err := c.Voices.AddVoices(ctx, voices); err != nil {
		return nil, fmt.Errorf("import meetings: %w", err)
	}
	if res.New, err = c.Store.CreateMeetings(ctx, fresh); err != nil {
		return nil, fmt.Errorf("import meetings: %w", err)
	}
	res.Flagged = countFlagged(voices)
	detail := fmt.Sprintf("%d meetings (%d new), %d items", res.Meetings, res.New, res.Items)
	if err := c.Audit.Record(ctx, AuditCouncilImport, school, detail); err != nil {
		return nil, err
	}
	return res, nil
}

// importColumnOf names the file's column for a field of a meeting.
var importColumnOf = map[string]string{"day": "date", "pupils": "pupils", "year_groups": "year_groups", "items": "said",
	"said": "said", "support": "supported_by", "status": "status", "note": "school_did", "themes": "themes"}

// meetingProblems turns a meeting's field errors into mistakes at rows:
// the meeting's own at its first row, an item's at the item's.
func meetingProblems(err error, rows []int) []rowProblem {
	var out []rowProblem
	for field, msg := range ErrorFields(err) {
		row := rows[0]
		if rest, ok := strings.CutPrefix(field, "items["); ok {
			j, name, _ := strings.Cut(rest, "].")
			if n, convErr := strconv.Atoi(j); convErr == nil && n+1 < len(rows) {
				row = rows[n+1]
			}
			field = name
		}
		out = append(out, rowProblem{row: row, column: importColumnOf[field], msg: msg})
	}
	slices.SortFunc(out, func(a, b rowProblem) int { return strings.Compare(a.column, b.column) })
	return out
}

// SchoolSurveySlug is the slug of a school's pupil survey of a year:
// "school-council-2026-halewood-primary". A slug that would be longer than
// MaxKeyLength is cut and ends with a hash of the school's key instead, so
// that two schools whose long keys begin alike do not share a survey.
func SchoolSurveySlug(year int, school string) string {
	slug := fmt.Sprintf("school-council-%d-%s", year, school)
	if len(slug) <= MaxKeyLength {
		return slug
	}
	sum := sha256.Sum256([]byte(school))
	tail := "-" + hex.EncodeToString(sum[:4])
	return strings.TrimRight(slug[:MaxKeyLength-len(tail)], "-") + tail
}

// SchoolSurvey returns the school's pupil survey of this year, or
// ENOTFOUND when the lead has not started one.
func (c *Councils) SchoolSurvey(ctx context.Context, school string) (*Survey, error) {
	if _, _, err := c.School(ctx, school); err != nil {
		return nil, err
	}
	s, err := c.Catalog.Store.FindSurvey(ctx, SchoolSurveySlug(c.Now().In(ukTime).Year(), school))
	if err != nil {
		return nil, err
	}
	if s.School != school {
		return nil, Errorf(ENOTFOUND, "The school has no pupil survey this year.")
	}
	return s, nil
}

// StartSurvey makes the school's pupil survey of this year from the
// newest school council template, and opens it. Its answers carry the
// school and its area; last year's, if there was one, is the edition it
// is compared with.
func (c *Councils) StartSurvey(ctx context.Context, school string) (*Survey, error) {
	sc, _, err := c.School(ctx, school)
	if err != nil {
		return nil, err
	}
	tpls, err := c.Templates()
	if err != nil {
		return nil, fmt.Errorf("start pupil survey: %w", err)
	}
	var tpl *Definition
	for _, d := range tpls {
		if d.Kind == KindSchoolCouncil && (tpl == nil || d.Edition > tpl.Edition) {
			tpl = d
		}
	}
	if tpl == nil {
		return nil, Errorf(ENOTFOUND, "Heard has no school council template.")
	}
	year := c.Now().In(ukTime).Year()
	d := tpl.copyDeep()
	d.Slug, d.Edition, d.Previous = SchoolSurveySlug(year, sc.Key), year, ""
	for lang, t := range d.Title {
		d.Title[lang] = strings.ReplaceAll(t, strconv.Itoa(tpl.Edition), strconv.Itoa(year)) + ": " + sc.Name
	}
	if _, err := c.Catalog.Store.FindSurvey(ctx, SchoolSurveySlug(year-1, sc.Key)); err == nil {
		d.Previous = SchoolSurveySlug(year-1, sc.Key)
	}
	s, err := c.Catalog.CreateFor(ctx, d, sc)
	if ErrorCode(err) == ECONFLICT {
		return nil, Errorf(ECONFLICT, "Your school's pupil survey for %d has been started already.", year)
	} else if err != nil {
		return nil, err
	}
	if err := c.Audit.Record(ctx, AuditSchoolSurvey, school, s.Slug); err != nil {
		return nil, err
	}
	return c.Catalog.SetStatus(ctx, s.Slug, StatusOpen)
}

// SetSurveyStatus opens or closes the school's pupil survey of this year.
func (c *Councils) SetSurveyStatus(ctx context.Context, school string, status Status) (*Survey, error) {
	s, err := c.SchoolSurvey(ctx, school)
	if err != nil {
		return nil, err
	}
	return c.Catalog.SetStatus(ctx, s.Slug, status)
}
