package surveys_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/secret"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

// memContacts is an in-memory surveys.ContactStore.
type memContacts struct {
	mu       sync.Mutex
	contacts map[string]*surveys.SealedContact
}

func (m *memContacts) CreateContact(_ context.Context, c *surveys.SealedContact) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.contacts[c.ID]; ok {
		return surveys.Errorf(surveys.ECONFLICT, "taken")
	}
	cp := *c
	m.contacts[c.ID] = &cp
	return nil
}

func (m *memContacts) FindContact(_ context.Context, id string) (*surveys.SealedContact, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.contacts[id]
	if !ok {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no such request.")
	}
	cp := *c
	cp.Decisions = slices.Clone(c.Decisions)
	return &cp, nil
}

func (m *memContacts) FindContacts(_ context.Context, f surveys.ContactFilter) ([]*surveys.SealedContact, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*surveys.SealedContact
	for _, c := range m.contacts {
		if !f.Unreviewed || !c.Reviewed() {
			cp := *c
			out = append(out, &cp)
		}
	}
	slices.SortFunc(out, func(a, b *surveys.SealedContact) int {
		if a.Day != b.Day {
			return strings.Compare(b.Day, a.Day)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

func (m *memContacts) CountUnreviewed(ctx context.Context) (int, error) {
	open, err := m.FindContacts(ctx, surveys.ContactFilter{Unreviewed: true})
	return len(open), err
}

func (m *memContacts) AddDecision(ctx context.Context, id string, d surveys.SealedDecision) (*surveys.SealedContact, error) {
	m.mu.Lock()
	c, ok := m.contacts[id]
	if ok {
		c.Decisions = append(c.Decisions, d)
	}
	m.mu.Unlock()
	if !ok {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no such request.")
	}
	return m.FindContact(ctx, id)
}

func (m *memContacts) ContactsToAlert(context.Context, time.Time) ([]*surveys.SealedContact, error) {
	return nil, nil
}

func (m *memContacts) ClaimAlert(context.Context, string, int, time.Time) (bool, error) {
	return true, nil
}

func (m *memContacts) SetAlert(context.Context, string, surveys.AlertState) error { return nil }

func (m *memContacts) all() []*surveys.SealedContact {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*surveys.SealedContact
	for _, c := range m.contacts {
		out = append(out, c)
	}
	return out
}

// memAudit is an in-memory surveys.AuditStore.
type memAudit struct {
	mu      sync.Mutex
	entries []*surveys.AuditEntry
}

func (m *memAudit) AppendAudit(_ context.Context, e *surveys.AuditEntry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries = append(m.entries, e)
	return nil
}

func (m *memAudit) FindAudit(context.Context, surveys.AuditFilter) ([]*surveys.AuditEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.entries), nil
}

func (m *memAudit) of(action surveys.AuditAction) []*surveys.AuditEntry {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*surveys.AuditEntry
	for _, e := range m.entries {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

type contactsFixture struct {
	contacts *surveys.Contacts
	store    *memContacts
	audit    *memAudit
	clock    *clock
	created  int
}

func newContacts(t *testing.T) *contactsFixture {
	t.Helper()
	box, err := secret.New(bytes.Repeat([]byte{7}, secret.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	f := &contactsFixture{store: &memContacts{contacts: map[string]*surveys.SealedContact{}}, audit: &memAudit{},
		clock: newClock(time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC))}
	f.contacts = &surveys.Contacts{Store: f.store, Sealer: box, Now: f.clock.Now,
		Audit: &surveys.AuditLog{Store: f.audit, Now: f.clock.Now},
		Surveys: newMemSurveys(
			fixtureSurvey(t, surveytest.Slug, surveys.StatusOpen),
			fixtureSurvey(t, "draft-survey", surveys.StatusDraft),
			fixtureSurvey(t, "closed-survey", surveys.StatusClosed)),
		Created: func() { f.created++ }}
	return f
}

func asRole(r surveys.Role) context.Context {
	return surveys.NewContextWithUser(context.Background(), &surveys.User{Email: string(r) + "@council.example", Role: r})
}

var lead = asRole(surveys.RoleSafeguardingLead)

func TestContactRequestChecks(t *testing.T) {
	t.Parallel()
	ok := surveys.ContactInput{Name: "Jamie", Reach: "07700 900123"}
	with := func(change func(in *surveys.ContactInput)) surveys.ContactInput {
		in := ok
		change(&in)
		return in
	}
	good := []struct {
		name string
		in   surveys.ContactInput
		want surveys.ContactRequest // the fields that matter
	}{
		{"a name and a number", ok, surveys.ContactRequest{Name: "Jamie", Reach: "07700 900123", Lang: "en"}},
		{"spaces made single, ends trimmed", with(func(in *surveys.ContactInput) {
			in.Name, in.Reach = "  Jamie \n  Lee ", "\tthrough my\r\ncarer "
		}), surveys.ContactRequest{Name: "Jamie Lee", Reach: "through my carer", Lang: "en"}},
		{"a message, with its line breaks", with(func(in *surveys.ContactInput) { in.Message = " About home.\r\nAnd school. \n" }),
			surveys.ContactRequest{Name: "Jamie", Reach: "07700 900123", Message: "About home.\nAnd school.", Lang: "en"}},
		{"the longest name, counted in characters", with(func(in *surveys.ContactInput) { in.Name = strings.Repeat("é", surveys.MaxContactNameLen) }),
			surveys.ContactRequest{Name: strings.Repeat("é", surveys.MaxContactNameLen), Reach: "07700 900123", Lang: "en"}},
		{"the longest way to reach", with(func(in *surveys.ContactInput) { in.Reach = strings.Repeat("r", surveys.MaxContactReachLen) }),
			surveys.ContactRequest{Name: "Jamie", Reach: strings.Repeat("r", surveys.MaxContactReachLen), Lang: "en"}},
		{"the longest message", with(func(in *surveys.ContactInput) { in.Message = strings.Repeat("م", surveys.MaxContactMessageLen) }),
			surveys.ContactRequest{Name: "Jamie", Reach: "07700 900123", Message: strings.Repeat("م", surveys.MaxContactMessageLen), Lang: "en"}},
		{"in Polish", with(func(in *surveys.ContactInput) { in.Lang = "pl" }),
			surveys.ContactRequest{Name: "Jamie", Reach: "07700 900123", Lang: "pl"}},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newContacts(t)
			r, err := f.contacts.Request(context.Background(), surveytest.Slug, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if r.Name != tc.want.Name || r.Reach != tc.want.Reach || r.Message != tc.want.Message || r.Lang != tc.want.Lang ||
				r.Survey != surveytest.Slug || r.Day != "2026-11-23" || len(r.ID) != 32 {
				t.Errorf("request %+v, want %+v", r, tc.want)
			}
			got, err := f.contacts.View(lead, r.ID)
			if err != nil || got.Name != r.Name || got.Reach != r.Reach || got.Message != r.Message || got.Unreadable {
				t.Errorf("read back: %+v, %v", got, err)
			}
			if f.created != 1 {
				t.Errorf("Created told %d times, want 1", f.created)
			}
		})
	}

	type problem struct {
		field string
		code  string
		limit int
	}
	bad := []struct {
		name     string
		slug     string
		in       surveys.ContactInput
		code     string
		problems []problem
		field    string // a field without a problem (not typed by the young person)
	}{
		{"no name", surveytest.Slug, with(func(in *surveys.ContactInput) { in.Name = " \n " }), surveys.EINVALID,
			[]problem{{"name", surveys.ProblemRequired, 0}}, ""},
		{"no way to reach", surveytest.Slug, with(func(in *surveys.ContactInput) { in.Reach = "" }), surveys.EINVALID,
			[]problem{{"reach", surveys.ProblemRequired, 0}}, ""},
		{"nothing", surveytest.Slug, surveys.ContactInput{}, surveys.EINVALID,
			[]problem{{"name", surveys.ProblemRequired, 0}, {"reach", surveys.ProblemRequired, 0}}, ""},
		{"a name too long", surveytest.Slug, with(func(in *surveys.ContactInput) { in.Name = strings.Repeat("é", surveys.MaxContactNameLen+1) }),
			surveys.EINVALID, []problem{{"name", surveys.ProblemTooLong, surveys.MaxContactNameLen}}, ""},
		{"a way to reach too long", surveytest.Slug, with(func(in *surveys.ContactInput) { in.Reach = strings.Repeat("r", surveys.MaxContactReachLen+1) }),
			surveys.EINVALID, []problem{{"reach", surveys.ProblemTooLong, surveys.MaxContactReachLen}}, ""},
		{"a message too long", surveytest.Slug, with(func(in *surveys.ContactInput) { in.Message = strings.Repeat("m", surveys.MaxContactMessageLen+1) }),
			surveys.EINVALID, []problem{{"message", surveys.ProblemTooLong, surveys.MaxContactMessageLen}}, ""},
		{"not text", surveytest.Slug, with(func(in *surveys.ContactInput) { in.Name, in.Message = "Jam\xffie", "a\x00b" }),
			surveys.EINVALID, []problem{{"name", surveys.ProblemText, 0}, {"message", surveys.ProblemText, 0}}, ""},
		{"a language Heard does not know", surveytest.Slug, with(func(in *surveys.ContactInput) { in.Lang = "English" }),
			surveys.EINVALID, nil, "lang"},
		{"no such survey", "nothing", ok, surveys.ENOTFOUND, nil, ""},
		{"a draft", "draft-survey", ok, surveys.ECONFLICT, nil, ""},
		{"a closed survey", "closed-survey", ok, surveys.ECONFLICT, nil, ""},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newContacts(t)
			_, err := f.contacts.Request(context.Background(), tc.slug, tc.in)
			if code := surveys.ErrorCode(err); code != tc.code {
				t.Fatalf("error %v (%s), want %s", err, code, tc.code)
			}
			ps := surveys.ErrorProblems(err)
			if len(ps) != len(tc.problems) {
				t.Errorf("problems %v, want %v", ps, tc.problems)
			}
			for _, p := range tc.problems {
				if got := ps[p.field]; got.Code != p.code || got.Limit != p.limit || (p.limit > 0 && got.Length != p.limit+1) {
					t.Errorf("%s: %+v, want %s with limit %d", p.field, got, p.code, p.limit)
				}
			}
			if tc.field != "" && surveys.ErrorFields(err)[tc.field] == "" {
				t.Errorf("fields %v, want one for %s", surveys.ErrorFields(err), tc.field)
			}
			if n := len(f.store.all()); n != 0 || f.created != 0 {
				t.Errorf("%d stored, %d told, want none", n, f.created)
			}
		})
	}
}

// What is stored names nobody: the words are sealed with the request's id,
// so that they open only in their own record.
func TestContactRequestIsSealed(t *testing.T) {
	t.Parallel()
	f := newContacts(t)
	ctx := context.Background()
	a, err := f.contacts.Request(ctx, surveytest.Slug, surveys.ContactInput{Name: "Jamie Lee", Reach: "jamie@example.org", Message: "about my placement"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.contacts.Request(ctx, surveytest.Slug, surveys.ContactInput{Name: "Sam", Reach: "through my carer"})
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == b.ID {
		t.Fatal("two requests share an id")
	}
	stored, _ := f.store.FindContact(ctx, a.ID)
	for _, words := range []string{"Jamie", "jamie@example.org", "placement"} {
		if bytes.Contains(stored.Details, []byte(words)) {
			t.Errorf("the stored details hold %q", words)
		}
	}
	if stored.Survey != surveytest.Slug || stored.Day != "2026-11-23" || stored.Lang != "en" || stored.Reviewed() {
		t.Errorf("stored %+v", stored)
	}

	// Moving b's sealed words into a's record: neither opens as the other.
	other, _ := f.store.FindContact(ctx, b.ID)
	f.store.mu.Lock()
	f.store.contacts[a.ID].Details = other.Details
	f.store.mu.Unlock()
	moved, err := f.contacts.View(lead, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !moved.Unreadable || moved.Name != "" || moved.Reach != "" {
		t.Errorf("a moved seal opened: %+v", moved)
	}
	list, err := f.contacts.List(lead)
	if err != nil || len(list) != 2 {
		t.Fatalf("list with an unreadable request: %d, %v", len(list), err)
	}
}

// Only safeguarding leads read requests to talk, whichever way they come.
func TestContactRequestsOnlyForLeads(t *testing.T) {
	t.Parallel()
	f := newContacts(t)
	r, err := f.contacts.Request(context.Background(), surveytest.Slug, surveys.ContactInput{Name: "Jamie", Reach: "07700 900123"})
	if err != nil {
		t.Fatal(err)
	}
	decision := surveys.FlagDecisionInput{Outcome: surveys.OutcomeNoConcern}
	for _, role := range surveys.Roles {
		ctx := asRole(role)
		want := surveys.EFORBIDDEN
		if role == surveys.RoleSafeguardingLead {
			want = ""
		}
		_, errList := f.contacts.List(ctx)
		_, errView := f.contacts.View(ctx, r.ID)
		_, errFind := f.contacts.Find(ctx, r.ID)
		_, errCount := f.contacts.CountUnreviewed(ctx)
		_, errDecide := f.contacts.Decide(ctx, r.ID, decision)
		for name, err := range map[string]error{"list": errList, "view": errView, "find": errFind, "count": errCount, "decide": errDecide} {
			if code := surveys.ErrorCode(err); code != want {
				t.Errorf("%s: %s: %v, want %q", role, name, err, want)
			}
		}
	}
	nobody := context.Background()
	if _, err := f.contacts.List(nobody); surveys.ErrorCode(err) != surveys.EUNAUTHORIZED {
		t.Errorf("signed out: %v", err)
	}
	if _, err := f.contacts.View(nobody, r.ID); surveys.ErrorCode(err) != surveys.EUNAUTHORIZED {
		t.Errorf("signed out: %v", err)
	}
	// Only the lead's readings and decision were recorded.
	for _, action := range []surveys.AuditAction{surveys.AuditContactList, surveys.AuditContactView, surveys.AuditContactDecide} {
		entries := f.audit.of(action)
		if len(entries) != 1 || entries[0].Actor != "safeguarding_lead@council.example" {
			t.Errorf("%s: %d entries, want the lead's one", action, len(entries))
		}
	}
}

// The lead's list, readings and decisions: unreviewed first, newest
// first; notes sealed; the audit log holds what was done, never the words.
func TestContactRequestDecisions(t *testing.T) {
	t.Parallel()
	f := newContacts(t)
	ctx := context.Background()
	var ids []string
	for i, name := range []string{"Ash", "Bo", "Cy"} {
		if i > 0 {
			f.clock.Advance(24 * time.Hour)
		}
		r, err := f.contacts.Request(ctx, surveytest.Slug, surveys.ContactInput{Name: name, Reach: "07700 90012" + string(rune('0'+i))})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}

	bad := []struct {
		name  string
		in    surveys.FlagDecisionInput
		field string
	}{
		{"no outcome", surveys.FlagDecisionInput{}, "outcome"},
		{"passed on to nobody", surveys.FlagDecisionInput{Outcome: surveys.OutcomePassedOn, Service: " "}, "service"},
		{"a note too long", surveys.FlagDecisionInput{Outcome: surveys.OutcomeReferred, Note: strings.Repeat("n", surveys.MaxFlagNoteLen+1)}, "note"},
	}
	for _, tc := range bad {
		if _, err := f.contacts.Decide(lead, ids[2], tc.in); surveys.ErrorFields(err)[tc.field] == "" {
			t.Errorf("%s: %v, want a message for %s", tc.name, err, tc.field)
		}
	}
	if _, err := f.contacts.Decide(lead, "nothing", surveys.FlagDecisionInput{Outcome: surveys.OutcomeNoConcern}); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("a decision on nothing: %v", err)
	}

	got, err := f.contacts.Decide(lead, ids[2], surveys.FlagDecisionInput{Outcome: surveys.OutcomePassedOn, Service: "Leaving care team",
		Note: "Called Cy on 07700 900122, all well."})
	if err != nil {
		t.Fatal(err)
	}
	d := got.Latest()
	if !got.Reviewed() || d.Outcome != surveys.OutcomePassedOn || d.Service != "Leaving care team" ||
		d.Note != "Called Cy on 07700 900122, all well." || d.By != "safeguarding_lead@council.example" || got.Name != "Cy" {
		t.Errorf("after deciding: %+v, %+v", got, d)
	}
	stored, _ := f.store.FindContact(ctx, ids[2])
	if n := stored.Decisions[0].Note; len(n) == 0 || bytes.Contains(n, []byte("Cy")) {
		t.Errorf("the stored note is not sealed: %q", n)
	}
	// The service is kept only for "passed on".
	if got, _ := f.contacts.Decide(lead, ids[1], surveys.FlagDecisionInput{Outcome: surveys.OutcomeNoConcern, Service: "ignored"}); got.Latest().Service != "" {
		t.Errorf("a service kept for no concern: %+v", got.Latest())
	}

	list, err := f.contacts.List(lead)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range list {
		order = append(order, r.Name)
	}
	if want := []string{"Ash", "Cy", "Bo"}; !slices.Equal(order, want) {
		t.Errorf("list order %v, want %v (unreviewed first, then newest first)", order, want)
	}
	if n, err := f.contacts.CountUnreviewed(lead); n != 1 || err != nil {
		t.Errorf("unreviewed: %d, %v", n, err)
	}

	entries := f.audit.of(surveys.AuditContactDecide)
	if len(entries) != 2 || entries[0].Target != ids[2] || entries[0].Detail != "passed_on" {
		t.Errorf("decision entries: %+v", entries)
	}
	if l := f.audit.of(surveys.AuditContactList); len(l) != 1 || l[0].Detail != "3 requests, 1 unreviewed" {
		t.Errorf("list entries: %+v", l)
	}
	for _, e := range f.audit.entries {
		for _, words := range []string{"Cy", "07700", "Leaving care", "all well"} {
			if strings.Contains(e.Detail, words) || strings.Contains(e.Target, words) {
				t.Errorf("the audit log holds %q: %+v", words, e)
			}
		}
	}

	// A request keeps at most MaxFlagDecisions.
	for range surveys.MaxFlagDecisions - 1 {
		if _, err := f.contacts.Decide(lead, ids[1], surveys.FlagDecisionInput{Outcome: surveys.OutcomeNoConcern}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.contacts.Decide(lead, ids[1], surveys.FlagDecisionInput{Outcome: surveys.OutcomeNoConcern}); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("decision %d: %v, want a conflict", surveys.MaxFlagDecisions+1, err)
	}
}

func TestContactLimiter(t *testing.T) {
	t.Parallel()
	c := newClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	l := surveys.DefaultContactLimiter(c.Now)
	for i := range surveys.MaxContactsPerClient {
		if _, blocked := l.Blocked("192.0.2.1"); blocked {
			t.Fatalf("blocked before request %d", i+1)
		}
		l.Count("192.0.2.1")
	}
	wait, blocked := l.Blocked("192.0.2.1")
	if !blocked || wait != surveys.ContactWindow {
		t.Errorf("after %d requests: blocked %v for %s, want an hour", surveys.MaxContactsPerClient, blocked, wait)
	}
	if _, blocked := l.Blocked("192.0.2.2"); blocked {
		t.Error("another client is blocked")
	}
	c.Advance(surveys.ContactWindow)
	if _, blocked := l.Blocked("192.0.2.1"); blocked {
		t.Error("still blocked after the window")
	}
}
