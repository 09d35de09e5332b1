package surveys

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// FlagAlert is what an alert says: that there is a new flag, where to read
// it, and how many wait. Never the words.
type FlagAlert struct {
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

// Alerts tells the safeguarding leads about each new flag, by every sender
// configured, and retries until every one has delivered.
type Alerts struct {
	Flags   FlagStore
	Users   UserStore
	Senders []AlertSender
	// Link makes the address of a flag's page.
	Link func(flagID string) string
	Now  func() time.Time

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

// Run sends the alerts that are due, once. It returns how many were sent
// and how many failed (each failure is recorded on its flag, to retry).
func (al *Alerts) Run(ctx context.Context) (sent, failed int, err error) {
	if len(al.Senders) == 0 {
		return 0, 0, nil
	}
	now := al.Now().UTC()
	due, err := al.Flags.FlagsToAlert(ctx, now)
	if err != nil {
		return 0, 0, fmt.Errorf("find flags to alert: %w", err)
	}
	if len(due) == 0 {
		return 0, 0, nil
	}
	to, err := al.leads(ctx)
	if err != nil {
		return 0, 0, err
	}
	waiting, err := al.Flags.CountUnreviewed(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("count flags: %w", err)
	}
	for _, f := range due {
		ok, err := al.Flags.ClaimAlert(ctx, f.ID, f.Alert.Attempts+1, now)
		if err != nil {
			return sent, failed, fmt.Errorf("claim alert: %w", err)
		}
		if !ok {
			continue // another instance is sending it
		}
		state := al.send(ctx, f, to, FlagAlert{Link: al.Link(f.ID), Unreviewed: waiting, At: now}, now)
		if err := al.Flags.SetAlert(ctx, f.ID, state); err != nil {
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
func (al *Alerts) send(ctx context.Context, f *Flag, to []string, a FlagAlert, now time.Time) AlertState {
	state := f.Alert
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
