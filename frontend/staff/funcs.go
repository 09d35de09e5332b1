package staff

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
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

// roleHelp says, on the home page, what a role does in Heard and where
// its work is, for the roles whose pages are still few.
var roleHelp = map[surveys.Role]string{
	surveys.RoleFacilitator:      "As a facilitator you prepare and run MADE live sessions. Your next sessions are below; Sessions has them all.",
	surveys.RoleSchoolLead:       "As a school lead you will record your school council's meetings from here. Until then, your sign-ins are listed below.",
	surveys.RoleSafeguardingLead: "Comments that suggest a young person may be at risk come to you first. Each one waits here until you record what was done.",
}

var funcs = template.FuncMap{
	"role":      func(r surveys.Role) string { return roleNames[r] },
	"action":    auditActionName,
	"sentiment": func(s surveys.Sentiment) string { return sentimentNames[s] },
	"join":      strings.Join,
	"inc":       func(i int) int { return i + 1 },
	"dayOf":     dayOf,
	// results pairs a live activity's results with what a hidden figure
	// says, for the console's "console-results" block.
	"results": func(r *surveys.LiveResults, fewer string) any {
		return struct {
			R     *surveys.LiveResults
			Fewer string
		}{r, fewer}
	},

	"roleHelp": func(r surveys.Role) string { return roleHelp[r] },
	"outcome":  func(o surveys.FlagOutcome) string { return outcomeNames[o] },
	// day_of writes a stored day ("2026-11-23") as people read it.
	"day_of": dayOf,
	"dict":   dict,
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
	// count writes a suppressed count: the number, or "fewer than N".
	"count": func(n *int, fewer string) string {
		if n == nil {
			return fewer
		}
		return strconv.Itoa(*n)
	},
	"deref": func(n *int) int { return *n },
	// signed writes a change with its sign: "+3", "−2", "no change".
	"signed": func(n *int) string {
		switch {
		case *n > 0:
			return "+" + strconv.Itoa(*n)
		case *n < 0:
			return "−" + strconv.Itoa(-*n)
		}
		return "no change"
	},
	"lower": strings.ToLower,
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

// dayOf writes a stored day ("2026-11-23") as people read it.
func dayOf(day string) string {
	t, err := time.ParseInLocation(time.DateOnly, day, london)
	if err != nil {
		return day
	}
	return t.Format("2 Jan 2006")
}

// dict makes a map of its arguments, taken as key and value in turn, so
// that a template can pass several values to another.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: %d arguments, not pairs", len(kv))
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}
