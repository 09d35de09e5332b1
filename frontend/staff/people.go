package staff

import (
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// adminOption is one choice of a select on the admin pages.
type adminOption struct {
	Value    string
	Text     string
	Selected bool
}

// adminIssue is one line of an error summary: what is wrong, linking to the
// field or row where it can be put right.
type adminIssue struct {
	ID   string // the id of the field, without "#"
	Text string
}

// personRow is a member of staff as the people table shows them.
type personRow struct {
	N     int // numbers the row's ids
	User  *surveys.User
	Roles []adminOption
	Self  bool   // the signed-in admin: they cannot disable themselves
	Error string // why a change to this person was refused
	// Schools are offered to link a school lead to theirs.
	Schools []adminOption
}

type peopleView struct {
	page
	People []personRow
	// The "Add a person" form, kept as typed when it is refused.
	Email    string
	NewRoles []adminOption
	Errors   map[string]string // "email", "role" of the add form
	Issues   []adminIssue
	Heading  string // of the error summary
	Roles    []roleLine
}

type roleLine struct {
	Name string
	Does string
}

// roleDoes says in a line what each role lets a person do, for the people
// page.
var roleDoes = []struct {
	role surveys.Role
	does string
}{
	{surveys.RoleAdmin, "everything, including people, settings and the audit log"},
	{surveys.RoleAnalyst, "surveys, access codes, theme coding, results and reports"},
	{surveys.RoleFacilitator, "runs MADE live sessions"},
	{surveys.RoleSchoolLead, "records what a school council raised"},
	{surveys.RoleSafeguardingLead, "sees safeguarding flags and records what was done"},
	{surveys.RoleBoard, "reads results and reports, with small numbers hidden"},
}

// roleOptions offers every role, chosen marked.
func roleOptions(chosen surveys.Role) []adminOption {
	opts := make([]adminOption, 0, len(surveys.Roles))
	for _, r := range surveys.Roles {
		opts = append(opts, adminOption{Value: string(r), Text: roleNames[r], Selected: r == chosen})
	}
	return opts
}

// peopleView lists everyone; the caller adds any refusal.
func (p *Pages) peopleView(c fiber.Ctx) (peopleView, error) {
	v := peopleView{page: p.page(c, "People"), NewRoles: roleOptions(surveys.RoleAnalyst)}
	people, err := p.cfg.Accounts.People(c.Context())
	if err != nil {
		return v, err
	}
	st, err := p.cfg.Settings.Current(c.Context())
	if err != nil {
		return v, err
	}
	me := CurrentUser(c)
	for i, u := range people {
		row := personRow{N: i + 1, User: u, Roles: roleOptions(u.Role), Self: me != nil && me.Email == u.Email}
		if u.Role == surveys.RoleSchoolLead {
			row.Schools = []adminOption{{Value: "", Text: "Not linked to a school", Selected: u.School == ""}}
			for _, sc := range st.Schools {
				row.Schools = append(row.Schools, adminOption{Value: sc.Key, Text: sc.Name + " (" + sc.Area + ")", Selected: sc.Key == u.School})
			}
		}
		v.People = append(v.People, row)
	}
	for _, r := range roleDoes {
		v.Roles = append(v.Roles, roleLine{Name: roleNames[r.role], Does: r.does})
	}
	return v, nil
}

// People lists the staff accounts, with a form to add one.
func (p *Pages) People(c fiber.Ctx) error {
	v, err := p.peopleView(c)
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "people", v)
}

// AddPerson creates an account with a random password nobody knows, and
// shows a one-time link for the person to choose their own.
func (p *Pages) AddPerson(c fiber.Ctx) error {
	email, role := strings.TrimSpace(c.FormValue("email")), surveys.Role(c.FormValue("role"))
	u, err := p.cfg.Accounts.CreateUser(c.Context(), email, role, surveys.NewToken())
	if err != nil {
		return p.addRefused(c, err, email, role)
	}
	token, r, err := p.cfg.Accounts.StartReset(c.Context(), u.Email)
	if err != nil {
		return err
	}
	return p.showResetLink(c, u, token, r, true)
}

// addRefused shows the people page again with why the person was not
// added, beside the field, and the form as typed.
func (p *Pages) addRefused(c fiber.Ctx, refusal error, email string, role surveys.Role) error {
	status := http.StatusUnprocessableEntity
	fields := map[string]string{}
	switch surveys.ErrorCode(refusal) {
	case surveys.EINVALID:
		for k, msg := range surveys.ErrorFields(refusal) {
			switch k {
			case "email":
				fields["email"] = "The email address " + msg + "."
			case "role":
				fields["role"] = "Choose one of the roles."
			}
		}
		if len(fields) == 0 {
			fields["email"] = surveys.ErrorMessage(refusal)
		}
	case surveys.ECONFLICT:
		status = http.StatusConflict
		fields["email"] = surveys.ErrorMessage(refusal) + " Find them in the table above."
	default:
		return refusal
	}
	v, err := p.peopleView(c)
	if err != nil {
		return err
	}
	if len(email) > surveys.MaxEmailLength {
		email = ""
	}
	v.Email, v.NewRoles, v.Errors, v.Heading = email, roleOptions(role), fields, "The person was not added"
	for _, k := range []string{"email", "role"} {
		if msg, ok := fields[k]; ok {
			v.Issues = append(v.Issues, adminIssue{ID: "new-" + k, Text: msg})
		}
	}
	return p.render(c, status, "people", v)
}

// personChange is a change to one person, from a row of the people table.
type personChange func(c fiber.Ctx, email string) (*surveys.User, error)

// changePerson applies a change to the person named by the form's email
// field, going back to the people page after, or showing it again with why
// the change was refused beside the person's row.
func (p *Pages) changePerson(c fiber.Ctx, change personChange, done string) error {
	email := c.FormValue("email")
	u, err := change(c, email)
	switch surveys.ErrorCode(err) {
	case "":
	case surveys.EINVALID, surveys.ECONFLICT:
		return p.rowRefused(c, err, email)
	default:
		return err
	}
	if me := CurrentUser(c); me != nil && me.Email == u.Email && u.Role != surveys.RoleAdmin {
		return redirectDone(c, "/staff", done) // they can no longer open the people page
	}
	return redirectDone(c, "/staff/people", done)
}

// rowRefused shows the people page with a refusal beside a person's row
// and in the error summary.
func (p *Pages) rowRefused(c fiber.Ctx, refusal error, email string) error {
	status := http.StatusConflict
	msg := surveys.ErrorMessage(refusal)
	if surveys.ErrorCode(refusal) == surveys.EINVALID {
		status = http.StatusUnprocessableEntity
		if _, ok := surveys.ErrorFields(refusal)["role"]; ok {
			msg = "Choose one of the roles."
		}
	}
	v, err := p.peopleView(c)
	if err != nil {
		return err
	}
	v.Heading = "That change was not made"
	for i := range v.People {
		if row := &v.People[i]; row.User.Email == email {
			row.Error = msg
			v.Issues = append(v.Issues, adminIssue{ID: fmt.Sprintf("person-%d-error", row.N), Text: email + ": " + msg})
		}
	}
	if len(v.Issues) == 0 {
		v.Issues = append(v.Issues, adminIssue{ID: "people-heading", Text: msg})
	}
	return p.render(c, status, "people", v)
}

// ChangeRole gives a person another role.
func (p *Pages) ChangeRole(c fiber.Ctx) error {
	return p.changePerson(c, func(c fiber.Ctx, email string) (*surveys.User, error) {
		return p.cfg.Accounts.SetRole(c.Context(), email, surveys.Role(c.FormValue("role")))
	}, "role")
}

// LinkSchool links a school lead to the school whose records they keep.
func (p *Pages) LinkSchool(c fiber.Ctx) error {
	return p.changePerson(c, func(c fiber.Ctx, email string) (*surveys.User, error) {
		st, err := p.cfg.Settings.Current(c.Context())
		if err != nil {
			return nil, err
		}
		return p.cfg.Accounts.SetSchool(c.Context(), email, c.FormValue("school"), st.Schools)
	}, "school-linked")
}

// DisablePerson stops a person signing in, and ends their sessions.
func (p *Pages) DisablePerson(c fiber.Ctx) error {
	return p.changePerson(c, func(c fiber.Ctx, email string) (*surveys.User, error) {
		return p.cfg.Accounts.SetDisabled(c.Context(), email, true)
	}, "disabled")
}

// EnablePerson lets a disabled person sign in again.
func (p *Pages) EnablePerson(c fiber.Ctx) error {
	return p.changePerson(c, func(c fiber.Ctx, email string) (*surveys.User, error) {
		return p.cfg.Accounts.SetDisabled(c.Context(), email, false)
	}, "enabled")
}

// MakeResetLink makes a new one-time link for a person to choose a
// password, replacing any earlier one, and shows it once.
func (p *Pages) MakeResetLink(c fiber.Ctx) error {
	email := c.FormValue("email")
	u, err := p.cfg.Accounts.Users.FindUser(c.Context(), email)
	if err != nil {
		return err
	}
	if u.Disabled {
		return p.rowRefused(c, surveys.Errorf(surveys.ECONFLICT, "The account is disabled, so a reset link would not work. Enable it first."), u.Email)
	}
	token, r, err := p.cfg.Accounts.StartReset(c.Context(), u.Email)
	if err != nil {
		return err
	}
	return p.showResetLink(c, u, token, r, false)
}

type resetLinkView struct {
	page
	Person  *surveys.User
	Link    string
	Expires time.Time
	Added   bool
}

// showResetLink shows a reset link, once: it is in no address, no flash and
// no log, and the page is not stored by the browser (the workspace's
// headers say no-store).
func (p *Pages) showResetLink(c fiber.Ctx, u *surveys.User, token string, r *surveys.PasswordReset, added bool) error {
	title := "Reset link for " + u.Email
	if added {
		title = u.Email + " was added"
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	return p.render(c, http.StatusOK, "person-link", resetLinkView{page: p.page(c, title), Person: u,
		Link: c.BaseURL() + "/staff/reset/" + token, Expires: r.Expires, Added: added})
}

// fieldSentence makes a message fragment from the domain ("must be at most 100
// characters") a sentence.
func fieldSentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
