package staff

import (
	"fmt"
	"html/template"
	"strconv"
	"time"

	"github.com/heard-app/heard/surveys"
)

// The workspace shows times in the UK, where Heard's councils are.
var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// roleNames are the roles as people say them.
var roleNames = map[surveys.Role]string{
	surveys.RoleAdmin:            "Admin",
	surveys.RoleAnalyst:          "Analyst",
	surveys.RoleFacilitator:      "Facilitator",
	surveys.RoleSchoolLead:       "School lead",
	surveys.RoleSafeguardingLead: "Safeguarding lead",
	surveys.RoleBoard:            "Board member",
}

var statusNames = map[surveys.Status]string{
	surveys.StatusDraft:  "Draft",
	surveys.StatusOpen:   "Open",
	surveys.StatusClosed: "Closed",
}

var funcs = template.FuncMap{
	"role":   func(r surveys.Role) string { return roleNames[r] },
	"action": auditActionName,
	"status": func(s surveys.Status) string { return statusNames[s] },
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return t.In(london).Format("2 Jan 2006, 15:04")
	},
	"day": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(london).Format("2 Jan 2006")
	},
	"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"pct": formatPercent,
	"en":  func(t surveys.Text) string { return t.In(surveys.DefaultLanguage) },
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + many
	},
}

// formatPercent writes a share as people read it: "42%", or "42.5%" when
// it is not whole.
func formatPercent(p *float64) string {
	if p == nil {
		return ""
	}
	if *p == float64(int(*p)) {
		return fmt.Sprintf("%d%%", int(*p))
	}
	return fmt.Sprintf("%.1f%%", *p)
}

func itoa(n int) string { return strconv.Itoa(n) }
