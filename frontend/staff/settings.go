package staff

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// emptySchoolRows are the blank rows the settings form offers for adding
// schools; saving offers as many again.
const emptySchoolRows = 3

// phaseNames are the phases of a school as people say them.
var phaseNames = map[surveys.Phase]string{
	surveys.PhasePrimary:     "Primary",
	surveys.PhaseSecondary:   "Secondary",
	surveys.PhaseAllThrough:  "All-through",
	surveys.PhaseSpecial:     "Special",
	surveys.PhaseAlternative: "Alternative provision",
}

// schoolRow is one row of the schools table on the settings form.
type schoolRow struct {
	N          int    // from 0, as in the field names
	Row        int    // from 1, as people count
	Key        string // kept through renames, so that records keep their school
	Name       string
	Areas      []adminOption
	Phases     []adminOption
	NameError  string
	AreaError  string
	PhaseError string
}

type settingsView struct {
	page
	Revision    int
	CouncilName string
	HelpPhone   string
	HelpHours   string
	Threshold   string
	Areas       string // one per line
	Groups      string
	Schools     []schoolRow
	SchoolRows  int
	Retention   retentionForm // how long things are kept (retention.go)
	Privacy     privacyForm   // the council's words on the privacy notice (privacy.go)
	RemoveLogo  bool
	MaxLogoKB   int
	Saved       time.Time // when the settings were last saved; zero if never
	Errors      map[string]string
	Issues      []adminIssue
	Heading     string
	Conflict    string // someone else saved first
}

// settingsForm fills the form from settings; the schools get their rows
// and blank ones after.
func (p *Pages) settingsForm(c fiber.Ctx, st *surveys.Settings) settingsView {
	v := settingsView{page: p.page(c, "Settings"), Revision: st.Revision, CouncilName: st.CouncilName,
		HelpPhone: st.HelpPhone, HelpHours: st.HelpHours, Threshold: strconv.Itoa(st.Threshold),
		Areas: strings.Join(st.Areas, "\n"), Groups: strings.Join(st.Groups, "\n"), MaxLogoKB: surveys.MaxLogoBytes >> 10}
	if st.Revision > 0 {
		v.Saved = st.Updated
	}
	v.Schools = schoolRows(st.Schools, st.Areas, emptySchoolRows)
	v.SchoolRows = len(v.Schools)
	v.Retention = retentionFormOf(st.Retention)
	v.Privacy = privacyFormOf(st.Privacy)
	return v
}

// schoolRows makes the table's rows: one per school and blank ones after.
// A school whose area is not (or no longer) one of the areas keeps it as a
// choice, marked, so that the form shows what is saved.
func schoolRows(schools []surveys.School, areas []string, blank int) []schoolRow {
	rows := make([]schoolRow, 0, len(schools)+blank)
	for i, sc := range append(slices.Clone(schools), make([]surveys.School, blank)...) {
		r := schoolRow{N: i, Row: i + 1, Key: sc.Key, Name: sc.Name}
		if sc.Area == "" {
			r.Areas = append(r.Areas, adminOption{Value: "", Text: "Area…", Selected: true})
		}
		for _, a := range areas {
			r.Areas = append(r.Areas, adminOption{Value: a, Text: a, Selected: a == sc.Area})
		}
		if sc.Area != "" && !slices.Contains(areas, sc.Area) {
			r.Areas = append(r.Areas, adminOption{Value: sc.Area, Text: sc.Area + " (not one of the areas)", Selected: true})
		}
		if sc.Phase == "" {
			r.Phases = append(r.Phases, adminOption{Value: "", Text: "Phase…", Selected: true})
		}
		for _, ph := range surveys.Phases {
			r.Phases = append(r.Phases, adminOption{Value: string(ph), Text: phaseNames[ph], Selected: ph == sc.Phase})
		}
		if sc.Phase != "" && !slices.Contains(surveys.Phases, sc.Phase) {
			r.Phases = append(r.Phases, adminOption{Value: string(sc.Phase), Text: string(sc.Phase) + " (not a phase)", Selected: true})
		}
		rows = append(rows, r)
	}
	return rows
}

// SettingsPage shows the settings form.
func (p *Pages) SettingsPage(c fiber.Ctx) error {
	st, err := p.cfg.Settings.Current(c.Context())
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "settings", p.settingsForm(c, st))
}

// SaveSettings checks and saves the settings form. A logo file replaces the
// logo; no file keeps it, unless "Remove the logo" is ticked. Anything
// wrong is shown beside its field, with the form as typed; a save made from
// settings someone else has changed since is refused, showing theirs.
func (p *Pages) SaveSettings(c fiber.Ctx) error {
	ctx := c.Context()
	current, err := p.cfg.Settings.Current(ctx)
	if err != nil {
		return err
	}
	revision, err := strconv.Atoi(c.FormValue("revision"))
	if err != nil || revision < 0 {
		return surveys.Errorf(surveys.EINVALID, "The form is missing part of itself. Please reload the page and try again.")
	}
	in := readSettingsForm(c)
	next := in.settings
	next.Logo = current.Logo
	remove := c.FormValue("remove_logo") != ""
	if remove {
		next.Logo = nil
	}
	fields := map[string]string{}
	sentLogo := false
	if fh, err := c.FormFile("logo"); err == nil && fh.Size > 0 {
		sentLogo = true
		logo, err := readLogo(fh)
		switch {
		case surveys.ErrorCode(err) == surveys.EINVALID:
			fields["logo"] = surveys.ErrorMessage(err)
		case err != nil:
			return err
		default:
			next.Logo = logo
		}
	}
	next.AssignSchoolKeys() // a school added on this form gets its key
	if err := next.Validate(); err != nil {
		if surveys.ErrorCode(err) != surveys.EINVALID {
			return err
		}
		for k, msg := range surveys.ErrorFields(err) {
			fields[k] = msg
		}
	}
	if len(fields) == 0 {
		_, err = p.cfg.Settings.Save(ctx, revision, next)
		switch surveys.ErrorCode(err) {
		case "":
			return redirectDone(c, "/staff/settings", "settings")
		case surveys.ECONFLICT:
			theirs, err2 := p.cfg.Settings.Current(ctx)
			if err2 != nil {
				return err2
			}
			v := p.settingsForm(c, theirs)
			v.Conflict = surveys.ErrorMessage(err)
			return p.render(c, http.StatusConflict, "settings", v)
		case surveys.EINVALID:
			for k, msg := range surveys.ErrorFields(err) {
				fields[k] = msg
			}
		default:
			return err
		}
	}
	v := p.settingsForm(c, next)
	v.Revision, v.Threshold, v.RemoveLogo = revision, in.threshold, remove
	v.HasLogo = current.Logo != nil                // nothing was saved
	v.Schools = schoolRows(in.rows, next.Areas, 0) // as typed, blank rows in place
	v.SchoolRows = len(v.Schools)
	v.Retention = in.retention // as typed: a word is shown back
	v.Heading = "The settings were not saved"
	v.Errors, v.Issues = settingsIssues(fields, v.Schools, in.rowOf)
	if sentLogo && fields["logo"] == "" {
		v.Issues = append(v.Issues, adminIssue{ID: "logo", Text: "Your logo file was fine, but it was not saved with the rest: choose it again before you save."})
		v.Errors["logo"] = "Choose the file again: nothing was saved."
	}
	return p.render(c, http.StatusUnprocessableEntity, "settings", v)
}

// settingsInput is the settings form as sent.
type settingsInput struct {
	settings  *surveys.Settings
	threshold string           // as typed, so that a word is shown back
	rows      []surveys.School // every row of the schools table, blank ones too
	rowOf     []int            // the row of each of settings.Schools
	retention retentionForm    // the retention periods as typed
}

// readSettingsForm reads the form's fields: lines of areas and groups
// without blank ones, and the schools whose rows have a name (clearing a
// name removes a school).
func readSettingsForm(c fiber.Ctx) settingsInput {
	in := settingsInput{threshold: strings.TrimSpace(c.FormValue("threshold"))}
	st := &surveys.Settings{
		CouncilName: strings.TrimSpace(c.FormValue("council_name")),
		HelpPhone:   strings.TrimSpace(c.FormValue("help_phone")),
		HelpHours:   strings.TrimSpace(c.FormValue("help_hours")),
		Areas:       textareaLines(c.FormValue("areas")),
		Groups:      textareaLines(c.FormValue("groups")),
	}
	st.Threshold, _ = strconv.Atoi(in.threshold) // not a number: 0, which Validate refuses
	st.Retention, in.retention = readRetentionForm(c)
	st.Privacy = readPrivacyForm(c)
	rows, _ := strconv.Atoi(c.FormValue("school_rows"))
	rows = min(max(rows, 0), surveys.MaxSchools+emptySchoolRows+1)
	for i := range rows {
		sc := surveys.School{Key: c.FormValue(fmt.Sprintf("school-%d-key", i)), Name: strings.TrimSpace(c.FormValue(fmt.Sprintf("school-%d-name", i))),
			Area:  c.FormValue(fmt.Sprintf("school-%d-area", i)),
			Phase: surveys.Phase(c.FormValue(fmt.Sprintf("school-%d-phase", i)))}
		in.rows = append(in.rows, sc)
		if sc.Name != "" {
			st.Schools = append(st.Schools, sc)
			in.rowOf = append(in.rowOf, i)
		}
	}
	in.settings = st
	return in
}

// textareaLines splits a textarea into its lines, trimmed, without blank ones.
func textareaLines(s string) []string {
	var out []string
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// readLogo reads an uploaded logo, a little past the limit so that a file
// too large is refused by CleanLogo with its message, and cleans it.
func readLogo(fh *multipart.FileHeader) (*surveys.Logo, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open uploaded logo: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, surveys.MaxLogoBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read uploaded logo: %w", err)
	}
	return surveys.CleanLogo(data)
}

// settingsFields are the form's fields in the order they appear, with the
// words the error summary uses for them.
var settingsFields = []struct{ key, label string }{
	{"council_name", "The council's name"},
	{"logo", "The logo"},
	{"help_phone", "The help line's number"},
	{"help_hours", "The help line's hours"},
	{"threshold", "The suppression threshold"},
	{"areas", "Areas"},
	{"groups", "MADE groups"},
	{"schools", "Schools"},
	{"retention.response_months", "How long to keep survey answers"},
	{"retention.contact_months", "How long to keep requests to talk"},
	{"retention.safeguarding_months", "How long to keep safeguarding flags"},
	{"privacy.contact", "How young people can ask about their information"},
	{"privacy.dpo", "How to reach the data protection officer"},
	{"privacy.extra", "More for the privacy notice"},
}

// listPath matches a path in a list of names, such as "areas[3]".
var listPath = regexp.MustCompile(`^(areas|groups)\[(\d+)\]$`)

// schoolPath matches a path in the schools, such as "schools[2].area".
var schoolPath = regexp.MustCompile(`^schools\[(\d+)\]\.(name|area|phase|key)$`)

// settingsIssues turns the domain's field paths into messages beside the
// form's fields (keyed by field id) and the error summary's lines, in the
// order of the form. A line of areas or groups is named by its number; a
// school by its row (rowOf gives the row of each school).
func settingsIssues(fields map[string]string, rows []schoolRow, rowOf []int) (map[string]string, []adminIssue) {
	beside := map[string]string{}
	listLines := map[string][]string{}
	var issues []adminIssue
	for path, msg := range fields {
		if m := listPath.FindStringSubmatch(path); m != nil {
			n, _ := strconv.Atoi(m[2])
			listLines[m[1]] = append(listLines[m[1]], fmt.Sprintf("line %d: %s", n+1, msg))
			continue
		}
		if m := schoolPath.FindStringSubmatch(path); m != nil {
			n, _ := strconv.Atoi(m[1])
			if n >= 0 && n < len(rowOf) && rowOf[n] < len(rows) {
				r := &rows[rowOf[n]]
				switch m[2] {
				case "name":
					r.NameError = fieldSentence(msg)
				case "area":
					r.AreaError = "Choose one of the areas."
				case "phase":
					r.PhaseError = "Choose a phase."
				default: // its key: only a changed page can get it wrong
					r.NameError = "The school's key " + msg + ". Open the settings page again."
				}
			} else {
				beside["schools"] = fieldSentence(msg)
			}
			continue
		}
		if path == "logo" {
			beside[path] = msg // CleanLogo's message is already a sentence
		} else {
			beside[path] = fieldSentence(msg)
		}
	}
	for k, l := range listLines {
		slices.SortFunc(l, func(a, b string) int { return settingsLineNumber(a) - settingsLineNumber(b) })
		beside[k] = fieldSentence(strings.Join(l, "; "))
	}
	for _, f := range settingsFields {
		switch msg, ok := beside[f.key]; {
		case !ok:
		case f.key == "logo":
			issues = append(issues, adminIssue{ID: f.key, Text: msg}) // it names the logo already
		default:
			issues = append(issues, adminIssue{ID: f.key, Text: f.label + ": " + lowerFirstWord(msg)})
		}
	}
	for _, r := range rows {
		for _, e := range []struct{ id, what, msg string }{
			{"name", "name", r.NameError}, {"area", "area", r.AreaError}, {"phase", "phase", r.PhaseError},
		} {
			if e.msg != "" {
				issues = append(issues, adminIssue{ID: fmt.Sprintf("school-%d-%s", r.N, e.id),
					Text: fmt.Sprintf("School in row %d (%s), %s: %s", r.N+1, schoolOrUnnamed(r.Name), e.what, lowerFirstWord(e.msg))})
			}
		}
	}
	return beside, issues
}

func settingsLineNumber(s string) int {
	var n int
	_, _ = fmt.Sscanf(s, "line %d:", &n)
	return n
}

func schoolOrUnnamed(name string) string {
	if name == "" {
		return "no name"
	}
	return name
}

// lowerFirstWord lowers a sentence's first letter when it is a plain word, for
// use after a colon.
func lowerFirstWord(s string) string {
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z' {
		return strings.ToLower(s[:1]) + s[1:]
	}
	return s
}
