package staff

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// The form of a school council meeting: its date, the pupils and year
// groups that took part, and its items, each with what pupils said, the
// support it had, whether it is a priority, what the school did and its
// themes. It works without JavaScript: blank items are offered at the end,
// "Add another item" shows one more without saving, and an item is taken
// out by ticking "Remove".

// blankItems is how many empty items a new meeting's form offers.
const blankItems = 3

type itemForm struct {
	N        int // the item's place in the form, for its fields' names
	ID       string
	Said     string
	Support  string
	Priority bool
	Status   string
	Note     string
	Remove   bool
	Checked  bool   // the lead chose the themes
	Machine  string // the coder's suggestion, named
	Themes   []option
	Errors   map[string]string
}

type meetingView struct {
	page
	School    *surveys.School
	Base      string
	Action    string
	New       bool
	Revision  int
	Day       string
	Pupils    string
	Years     []option
	Items     []itemForm
	Statuses  []option
	Errors    map[string]string
	Heading   string
	Issues    []adminIssue
	Conflict  string
	Today     string
	MaxItems  int
	MaxSaid   int
	MaxNote   int
	MaxPupils int
	Updated   time.Time
}

// NewMeetingPage serves GET /staff/schools/{school}/meetings/new.
func (p *Pages) NewMeetingPage(c fiber.Ctx) error {
	if p.cfg.Councils == nil {
		return errCouncilsOff
	}
	sc, _, err := p.cfg.Councils.School(c.Context(), c.Params("school"))
	if err != nil {
		return err
	}
	m := &surveys.CouncilMeeting{Day: p.cfg.Now().In(london).Format(time.DateOnly)}
	return p.render(c, http.StatusOK, "meeting-edit", p.meetingView(c, sc, m, true, blankItems))
}

// MeetingPage serves GET /staff/schools/{school}/meetings/{id}: the
// meeting's record, to change.
func (p *Pages) MeetingPage(c fiber.Ctx) error {
	if p.cfg.Councils == nil {
		return errCouncilsOff
	}
	ctx := c.Context()
	sc, _, err := p.cfg.Councils.School(ctx, c.Params("school"))
	if err != nil {
		return err
	}
	m, err := p.cfg.Councils.Meeting(ctx, sc.Key, c.Params("id"))
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "meeting-edit", p.meetingView(c, sc, m, false, 1))
}

// CreateMeeting serves POST /staff/schools/{school}/meetings.
func (p *Pages) CreateMeeting(c fiber.Ctx) error {
	return p.saveMeeting(c, true)
}

// SaveMeeting serves POST /staff/schools/{school}/meetings/{id}.
func (p *Pages) SaveMeeting(c fiber.Ctx) error {
	return p.saveMeeting(c, false)
}

func (p *Pages) saveMeeting(c fiber.Ctx, isNew bool) error {
	if p.cfg.Councils == nil {
		return errCouncilsOff
	}
	ctx := c.Context()
	sc, _, err := p.cfg.Councils.School(ctx, c.Params("school"))
	if err != nil {
		return err
	}
	m, blanks := decodeMeetingForm(c)
	revision, _ := strconv.Atoi(c.FormValue("revision"))
	if c.FormValue("add") != "" {
		// Another item, with nothing saved yet.
		v := p.meetingView(c, sc, m, isNew, blanks+1)
		v.Revision = revision
		return p.render(c, http.StatusOK, "meeting-edit", v)
	}
	var saved *surveys.CouncilSaved
	if isNew {
		saved, err = p.cfg.Councils.Record(ctx, sc.Key, m)
	} else {
		saved, err = p.cfg.Councils.Update(ctx, sc.Key, c.Params("id"), revision, m)
	}
	switch surveys.ErrorCode(err) {
	case "":
	case surveys.EINVALID:
		v := p.meetingView(c, sc, m, isNew, blanks)
		v.Revision = revision
		v.Heading = "The meeting was not saved"
		v.Errors, v.Issues = meetingIssues(surveys.ErrorFields(err), &v)
		return p.render(c, http.StatusUnprocessableEntity, "meeting-edit", v)
	case surveys.ECONFLICT:
		stored, ferr := p.cfg.Councils.Meeting(ctx, sc.Key, c.Params("id"))
		if ferr != nil {
			return ferr
		}
		v := p.meetingView(c, sc, stored, false, 1)
		v.Conflict = surveys.ErrorMessage(err)
		return p.render(c, http.StatusConflict, "meeting-edit", v)
	default:
		return err
	}
	done := "meeting-saved"
	if isNew {
		done = "meeting-recorded"
	}
	if saved.Flagged > 0 {
		done = "meeting-flagged"
	}
	return redirectDone(c, "/staff/schools/"+url.PathEscape(sc.Key)+"/meetings/"+url.PathEscape(saved.Meeting.ID), done)
}

// DeleteMeeting serves POST /staff/schools/{school}/meetings/{id}/delete.
func (p *Pages) DeleteMeeting(c fiber.Ctx) error {
	if p.cfg.Councils == nil {
		return errCouncilsOff
	}
	key := c.Params("school")
	revision, _ := strconv.Atoi(c.FormValue("revision"))
	if err := p.cfg.Councils.Delete(c.Context(), key, c.Params("id"), revision); err != nil {
		return err
	}
	return redirectDone(c, "/staff/schools/"+url.PathEscape(key), "meeting-deleted")
}

// decodeMeetingForm reads the form into a meeting; blanks counts the empty
// items offered.
func decodeMeetingForm(c fiber.Ctx) (m *surveys.CouncilMeeting, blanks int) {
	args := c.Request().PostArgs()
	m = &surveys.CouncilMeeting{Day: strings.TrimSpace(c.FormValue("day"))}
	pupils := strings.TrimSpace(c.FormValue("pupils"))
	if n, err := strconv.Atoi(pupils); err == nil {
		m.Pupils = n
	} else if pupils != "" {
		m.Pupils = -1 // not a number: the domain says what is wrong
	}
	for _, y := range args.PeekMulti("year") {
		m.YearGroups = append(m.YearGroups, surveys.YearGroup(y))
	}
	count, _ := strconv.Atoi(c.FormValue("items"))
	count = min(max(count, 0), surveys.MaxCouncilItems+blankItems+1)
	for n := range count {
		f := func(name string) string { return c.FormValue(fmt.Sprintf("item-%d-%s", n, name)) }
		it := surveys.CouncilItem{ID: f("id"), Said: f("said"), Priority: f("priority") != "", Status: surveys.ItemStatus(f("status")), Note: f("note")}
		if f("remove") != "" {
			continue
		}
		support := strings.TrimSpace(f("support"))
		if n, err := strconv.Atoi(support); err == nil {
			it.Support = n
		} else if support != "" {
			it.Support = -1
		}
		for _, t := range args.PeekMulti(fmt.Sprintf("item-%d-theme", n)) {
			it.Themes = append(it.Themes, string(t))
		}
		if it.ID == "" && strings.TrimSpace(it.Said) == "" && strings.TrimSpace(it.Note) == "" && support == "" {
			blanks++
			continue // an empty item the form offered
		}
		m.Items = append(m.Items, it)
	}
	return m, blanks
}

// meetingView fills the form from a meeting, with blank items after its
// own.
func (p *Pages) meetingView(c fiber.Ctx, sc *surveys.School, m *surveys.CouncilMeeting, isNew bool, blanks int) meetingView {
	base := "/staff/schools/" + url.PathEscape(sc.Key)
	title := "Record a meeting"
	action := base + "/meetings"
	if !isNew {
		title, action = "Meeting of "+dayOf(m.Day), base+"/meetings/"+url.PathEscape(m.ID)
	}
	v := meetingView{page: p.page(c, title+": "+sc.Name), School: sc, Base: base, Action: action, New: isNew, Revision: m.Revision,
		Day: m.Day, Errors: map[string]string{}, Today: p.cfg.Now().In(london).Format(time.DateOnly), Updated: m.Updated,
		MaxItems: surveys.MaxCouncilItems, MaxSaid: surveys.MaxItemSaid, MaxNote: surveys.MaxItemNote, MaxPupils: surveys.MaxCouncilPupils}
	if m.Pupils > 0 {
		v.Pupils = itoa(m.Pupils)
	}
	for _, y := range surveys.YearGroups {
		v.Years = append(v.Years, option{Value: string(y), Label: y.Name(), Selected: slices.Contains(m.YearGroups, y)})
	}
	book := p.cfg.Themes.Codebook()
	for i, it := range m.Items {
		v.Items = append(v.Items, p.itemForm(book, i, it))
	}
	for range blanks {
		v.Items = append(v.Items, p.itemForm(book, len(v.Items), surveys.CouncilItem{Status: surveys.ItemNotYet}))
	}
	for _, st := range surveys.ItemStatuses {
		v.Statuses = append(v.Statuses, option{Value: string(st), Label: st.Name()})
	}
	return v
}

func (p *Pages) itemForm(book *surveys.Codebook, n int, it surveys.CouncilItem) itemForm {
	f := itemForm{N: n, ID: it.ID, Said: it.Said, Priority: it.Priority, Status: string(it.Status), Note: it.Note,
		Checked: it.Checked, Machine: strings.Join(themeNames(book, it.Machine), ", "), Errors: map[string]string{}}
	if it.Support > 0 || it.ID != "" {
		f.Support = itoa(it.Support)
	}
	if it.Status == "" {
		f.Status = string(surveys.ItemNotYet)
	}
	for _, t := range book.Themes {
		f.Themes = append(f.Themes, option{Value: t.Key, Label: t.Name, Selected: slices.Contains(it.Themes, t.Key)})
	}
	return f
}

// meetingLabels name the meeting's fields in the error summary.
var meetingLabels = map[string]string{"day": "The date", "pupils": "Pupils who took part", "year_groups": "Year groups", "items": "The items",
	"said": "What pupils said", "support": "Pupils who supported it", "status": "What the school did", "note": "The school's note", "themes": "Themes"}

// meetingIssues puts the domain's field errors beside the form's fields:
// "items[2].said" goes to the said box of the third item, the form being
// drawn again from the meeting's items in order.
func meetingIssues(fields map[string]string, v *meetingView) (map[string]string, []adminIssue) {
	errs := map[string]string{}
	var issues []adminIssue
	for _, key := range []string{"day", "pupils", "year_groups", "items"} {
		if msg, ok := fields[key]; ok {
			errs[key] = meetingLabels[key] + " " + msg + "."
			issues = append(issues, adminIssue{ID: key, Text: errs[key]})
		}
	}
	for i := range v.Items {
		for _, name := range []string{"said", "support", "status", "note", "themes"} {
			msg, ok := fields[fmt.Sprintf("items[%d].%s", i, name)]
			if !ok {
				continue
			}
			text := fmt.Sprintf("Item %d: %s %s.", i+1, strings.ToLower(meetingLabels[name][:1])+meetingLabels[name][1:], msg)
			v.Items[i].Errors[name] = meetingLabels[name] + " " + msg + "."
			issues = append(issues, adminIssue{ID: fmt.Sprintf("item-%d-%s", i, name), Text: text})
		}
	}
	return errs, issues
}
