package surveys

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// AlertKind says what an alert is about.
type AlertKind string

// Kinds of alert.
const (
	AlertFlag    AlertKind = "flag"    // a worrying answer was flagged
	AlertContact AlertKind = "contact" // a young person asked for someone to talk to them
)

// FlagAlert is what an alert says: that there is a new flag (or request to
// talk), where to read it, and how many wait. Never the words, nor a name.
type FlagAlert struct {
	Kind       AlertKind // AlertFlag when empty
	Link       string
	Unreviewed int
	At         time.Time
}

// AlertSender delivers alerts one way (email, a webhook).
type AlertSender interface {
	Name() string
	// Send delivers a to the addresses (which a webhook ignores).
	Send(ctx context.Context, to []string, a FlagAlert) error
}

// Alert retry timing: soon at first, then less often, never giving up.
const (
	alertFirstRetry = 30 * time.Second
	alertMaxRetry   = 15 * time.Minute
	// AlertLease is how long an instance has to send an alert it claimed
	// before another may try.
	AlertLease = 2 * time.Minute
)

// alertBackoff is the wait after the nth failed attempt.
func alertBackoff(n int) time.Duration {
	d := alertFirstRetry
	for i := 1; i < n && d < alertMaxRetry; i++ {
		d *= 2
	}
	return min(d, alertMaxRetry)
}

// Alerts tells the safeguarding leads about each new flag, and each new
// request to talk, by every sender configured, and retries until every one
// has delivered.
type Alerts struct {
	Flags   FlagStore
	Users   UserStore
	Senders []AlertSender
	// Link makes the address of a flag's page.
	Link func(flagID string) string
	// Contacts, when set, are the requests to talk to alert about too;
	// ContactLink makes the address of one's page.
	Contacts    ContactStore
	ContactLink func(id string) string
	Now         func() time.Time

	nudges chan struct{}
}

// NewAlerts returns Alerts ready to be nudged.
func NewAlerts(a Alerts) *Alerts {
	a.nudges = make(chan struct{}, 1)
	return &a
}

// Nudge asks the alert loop to run now (a flag has just been raised). It
// never blocks.
func (al *Alerts) Nudge() {
	select {
	case al.nudges <- struct{}{}:
	default:
	}
}

// Nudged delivers a value after each Nudge, for the alert loop to select on.
func (al *Alerts) Nudged() <-chan struct{} { return al.nudges }

// Run sends the alerts that are due, once: flags', then requests to
// talk. It returns how many were sent and how many failed (each failure is
// recorded on its flag or request, to retry).
func (al *Alerts) Run(ctx context.Context) (sent, failed int, err error) {
	if len(al.Senders) == 0 {
		return 0, 0, nil
	}
	sources := []alertSource{al.flagSource()}
	if al.Contacts != nil {
		sources = append(sources, al.contactSource())
	}
	now := al.Now().UTC()
	var to []string // the leads, read once there is something to send
	for _, src := range sources {
		s, f, err := al.runSource(ctx, src, now, &to)
		sent, failed = sent+s, failed+f
		if err != nil {
			return sent, failed, err
		}
	}
	return sent, failed, nil
}

// AlertBacklog is how many alerts are not yet delivered, due now or
// waiting to be retried, and how many of those have failed at least once.
type AlertBacklog struct {
	Pending, Failing int
}

// endOfTime is later than any alert's next try, so that the alerts due by
// then are every alert not yet delivered.
var endOfTime = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// Backlog counts the alerts not yet delivered, of flags and requests to
// talk, for monitoring. With no sender configured, every alert waits.
func (al *Alerts) Backlog(ctx context.Context) (AlertBacklog, error) {
	sources := []alertSource{al.flagSource()}
	if al.Contacts != nil {
		sources = append(sources, al.contactSource())
	}
	var b AlertBacklog
	for _, src := range sources {
		due, err := src.due(ctx, endOfTime)
		if err != nil {
			return AlertBacklog{}, fmt.Errorf("count %s to alert: %w", src.what, err)
		}
		for _, d := range due {
			b.Pending++
			if d.state.Attempts > 0 {
				b.Failing++
			}
		}
	}
	return b, nil
}

// alertSource is what Run needs of flags, or of requests to talk: which
// are due, how many wait, and claiming and recording each attempt.
type alertSource struct {
	kind  AlertKind
	what  string // "flags", for errors
	due   func(ctx context.Context, now time.Time) ([]alertDue, error)
	count func(ctx context.Context) (int, error)
	claim func(ctx context.Context, id string, attempt int, at time.Time) (bool, error)
	set   func(ctx context.Context, id string, a AlertState) error
	link  func(id string) string
}

// alertDue is one flag or request whose alert is due.
type alertDue struct {
	id    string
	state AlertState
}

func (al *Alerts) flagSource() alertSource {
	return alertSource{kind: AlertFlag, what: "flags",
		due: func(ctx context.Context, now time.Time) ([]alertDue, error) {
			flags, err := al.Flags.FlagsToAlert(ctx, now)
			due := make([]alertDue, len(flags))
			for i, f := range flags {
				due[i] = alertDue{id: f.ID, state: f.Alert}
			}
			return due, err
		},
		count: al.Flags.CountUnreviewed, claim: al.Flags.ClaimAlert, set: al.Flags.SetAlert, link: al.Link}
}

func (al *Alerts) contactSource() alertSource {
	return alertSource{kind: AlertContact, what: "requests to talk",
		due: func(ctx context.Context, now time.Time) ([]alertDue, error) {
			contacts, err := al.Contacts.ContactsToAlert(ctx, now)
			due := make([]alertDue, len(contacts))
			for i, c := range contacts {
				due[i] = alertDue{id: c.ID, state: c.Alert}
			}
			return due, err
		},
		count: al.Contacts.CountUnreviewed, claim: al.Contacts.ClaimAlert, set: al.Contacts.SetAlert, link: al.ContactLink}
}

// runSource sends the due alerts of one source.
func (al *Alerts) runSource(ctx context.Context, src alertSource, now time.Time, to *[]string) (sent, failed int, err error) {
	due, err := src.due(ctx, now)
	if err != nil {
		return 0, 0, fmt.Errorf("find %s to alert: %w", src.what, err)
	}
	if len(due) == 0 {
		return 0, 0, nil
	}
	if *to == nil {
		if *to, err = al.leads(ctx); err != nil {
			return 0, 0, err
		}
	}
	waiting, err := src.count(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("count %s: %w", src.what, err)
	}
	for _, d := range due {
		ok, err := src.claim(ctx, d.id, d.state.Attempts+1, now)
		if err != nil {
			return sent, failed, fmt.Errorf("claim alert: %w", err)
		}
		if !ok {
			continue // another instance is sending it
		}
		state := al.send(ctx, d.state, *to, FlagAlert{Kind: src.kind, Link: src.link(d.id), Unreviewed: waiting, At: now}, now)
		if err := src.set(ctx, d.id, state); err != nil {
			return sent, failed, fmt.Errorf("record alert: %w", err)
		}
		if state.Sent {
			sent++
		} else {
			failed++
		}
	}
	return sent, failed, nil
}

// send tries every sender and says how it went: sent when all delivered,
// else the reasons and when to try again (all senders, again: a lead told
// twice is better than a lead not told).
func (al *Alerts) send(ctx context.Context, state AlertState, to []string, a FlagAlert, now time.Time) AlertState {
	state.Attempts++
	var problems []string
	for _, s := range al.Senders {
		if err := s.Send(ctx, to, a); err != nil {
			problems = append(problems, s.Name()+": "+err.Error())
		}
	}
	if len(problems) == 0 {
		state.Sent, state.SentAt, state.LastError, state.NextTry = true, now, "", time.Time{}
		return state
	}
	state.LastError = clip(strings.Join(problems, "; "), 300)
	state.NextTry = now.Add(alertBackoff(state.Attempts))
	return state
}

// leads returns the email addresses of the enabled safeguarding leads.
func (al *Alerts) leads(ctx context.Context) ([]string, error) {
	users, err := al.Users.FindUsers(ctx)
	if err != nil {
		return nil, fmt.Errorf("find safeguarding leads: %w", err)
	}
	var to []string
	for _, u := range users {
		if u.Role == RoleSafeguardingLead && !u.Disabled {
			to = append(to, u.Email)
		}
	}
	return to, nil
}
