package mongo_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/password"
)

// Passwords of the people tests.
const (
	peoplePassword = "correct horse battery"
	newPassword    = "a whole new staple"
)

// cheapHashes keep argon2id fast in tests, where the race detector slows it
// down many times.
var cheapHashes = password.Argon2id{Params: password.Params{Memory: 1024, Time: 1, Threads: 1}}

// staff is Accounts on a real database, with the stores it uses.
type staff struct {
	accounts *surveys.Accounts
	users    *mongo.UserStore
	sessions *mongo.SessionStore
	log      *surveys.AuditLog
	clock    *stepClock
}

func newStaff(db *mongo.DB) *staff {
	clock := newStepClock(workspaceStart)
	log := newAuditLog(db, clock)
	st := &staff{users: mongo.NewUserStore(db), sessions: mongo.NewSessionStore(db), log: log, clock: clock}
	st.accounts = &surveys.Accounts{Users: st.users, Sessions: st.sessions, Resets: mongo.NewResetStore(db),
		Passwords: cheapHashes, Audit: log, Now: clock.Now}
	return st
}

// cliCtx is the context of the command line, which creates the first admin.
func cliCtx(t *testing.T) context.Context {
	return surveys.NewContextWithActor(testCtx(t), surveys.ActorCommandLine)
}

// add creates an account with peoplePassword.
func (st *staff) add(t *testing.T, email string, role surveys.Role) *surveys.User {
	t.Helper()
	u, err := st.accounts.CreateUser(cliCtx(t), email, role, peoplePassword)
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

// as returns a context acting as u.
func as(t *testing.T, u *surveys.User) context.Context {
	return surveys.NewContextWithUser(testCtx(t), u)
}

// user reads an account as stored.
func (st *staff) user(t *testing.T, email string) *surveys.User {
	t.Helper()
	u, err := st.users.FindUser(testCtx(t), email)
	if err != nil {
		t.Fatalf("find %s: %v", email, err)
	}
	return u
}

// login signs in and returns the session's token.
func (st *staff) login(t *testing.T, email, pass string) string {
	t.Helper()
	token, _, _, err := st.accounts.Login(testCtx(t), email, pass)
	if err != nil {
		t.Fatalf("sign in as %s: %v", email, err)
	}
	return token
}

// assertSignedOut fails unless the token's session no longer works.
func (st *staff) assertSignedOut(t *testing.T, token, why string) {
	t.Helper()
	if _, _, err := st.accounts.Authenticate(testCtx(t), token); surveys.ErrorCode(err) != surveys.EUNAUTHORIZED {
		t.Errorf("%s: the session still works (%v)", why, err)
	}
	if _, err := st.sessions.FindSession(testCtx(t), surveys.HashToken(token)); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("%s: the session is still stored (%v)", why, err)
	}
}

// assertCannotLogin fails unless signing in with pass is refused.
func (st *staff) assertCannotLogin(t *testing.T, email, pass, why string) {
	t.Helper()
	if _, _, _, err := st.accounts.Login(testCtx(t), email, pass); surveys.ErrorCode(err) != surveys.EUNAUTHORIZED {
		t.Errorf("%s: sign-in gave %v, want EUNAUTHORIZED", why, err)
	}
}

func TestPeopleAndRoles(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := newStaff(db)
		zoe := st.add(t, "zoe@council.gov.uk", surveys.RoleAdmin)
		st.clock.Advance(time.Minute)
		st.add(t, "Amy@Council.gov.uk", surveys.RoleAnalyst)
		st.add(t, "max@council.gov.uk", surveys.RoleBoard)

		people, err := st.accounts.People(testCtx(t))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, u := range people {
			got = append(got, u.Email+" "+string(u.Role))
		}
		want := []string{"amy@council.gov.uk analyst", "max@council.gov.uk board", "zoe@council.gov.uk admin"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("people: got %v, want %v", got, want)
		}
		if p := people[2]; !p.Created.Equal(workspaceStart) || p.Disabled || p.PasswordHash == "" || !p.LastLogin.IsZero() {
			t.Errorf("zoe reads back as %+v", p)
		}
		assertAudited(t, st.log, auditWant{Actor: surveys.ActorCommandLine, Action: surveys.AuditUserCreate,
			Target: "amy@council.gov.uk", Detail: "role analyst"})

		u, err := st.accounts.SetRole(as(t, zoe), "amy@council.gov.uk", surveys.RoleSafeguardingLead)
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != surveys.RoleSafeguardingLead || st.user(t, "amy@council.gov.uk").Role != surveys.RoleSafeguardingLead {
			t.Errorf("after SetRole: returned %s, stored %s", u.Role, st.user(t, "amy@council.gov.uk").Role)
		}
		assertAudited(t, st.log, auditWant{Actor: zoe.Email, Role: surveys.RoleAdmin, Action: surveys.AuditUserRole,
			Target: "amy@council.gov.uk", Detail: "role analyst to safeguarding_lead"})

		// Setting the role someone has changes nothing and records nothing.
		if _, err := st.accounts.SetRole(as(t, zoe), "amy@council.gov.uk", surveys.RoleSafeguardingLead); err != nil {
			t.Fatal(err)
		}
		assertAuditCount(t, st.log, surveys.AuditUserRole, "amy@council.gov.uk", 1)

		if _, err := st.accounts.SetRole(as(t, zoe), "amy@council.gov.uk", "owner"); surveys.ErrorFields(err)["role"] == "" {
			t.Errorf("an unknown role: %v, want EINVALID about role", err)
		}
		if _, err := st.accounts.SetRole(as(t, zoe), "nobody@council.gov.uk", surveys.RoleBoard); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("the role of nobody: %v, want ENOTFOUND", err)
		}
		if _, err := st.accounts.SetDisabled(as(t, zoe), "nobody@council.gov.uk", true); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("disable nobody: %v, want ENOTFOUND", err)
		}
		if got := st.user(t, "amy@council.gov.uk").Role; got != surveys.RoleSafeguardingLead {
			t.Errorf("after refused changes amy is %s", got)
		}
		assertAuditCount(t, st.log, surveys.AuditUserRole, "amy@council.gov.uk", 1)
	})
}

func TestTheLastAdminStays(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := newStaff(db)
		zoe := st.add(t, "zoe@council.gov.uk", surveys.RoleAdmin)
		pat := st.add(t, "pat@council.gov.uk", surveys.RoleAnalyst)

		refused := func(why string, err error) {
			t.Helper()
			if surveys.ErrorCode(err) != surveys.ECONFLICT {
				t.Errorf("%s: %v, want ECONFLICT", why, err)
			}
		}
		for _, ctx := range []context.Context{as(t, zoe), as(t, pat), cliCtx(t)} {
			_, err := st.accounts.SetRole(ctx, zoe.Email, surveys.RoleAnalyst)
			refused("demote the only admin", err)
			_, err = st.accounts.SetDisabled(ctx, zoe.Email, true)
			refused("disable the only admin", err)
		}
		if u := st.user(t, zoe.Email); u.Role != surveys.RoleAdmin || u.Disabled {
			t.Fatalf("the only admin became %+v", u)
		}
		assertAuditCount(t, st.log, surveys.AuditUserRole, zoe.Email, 0)
		assertAuditCount(t, st.log, surveys.AuditUserDisable, zoe.Email, 0)

		// A second admin, disabled, does not count.
		if _, err := st.accounts.SetRole(as(t, zoe), pat.Email, surveys.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		if _, err := st.accounts.SetDisabled(as(t, zoe), pat.Email, true); err != nil {
			t.Fatalf("disable one of two admins: %v", err)
		}
		_, err := st.accounts.SetRole(as(t, zoe), zoe.Email, surveys.RoleAnalyst)
		refused("demote the only enabled admin", err)
		_, err = st.accounts.SetDisabled(cliCtx(t), zoe.Email, true)
		refused("disable the only enabled admin", err)

		// Enabled, it does.
		if _, err := st.accounts.SetDisabled(as(t, zoe), pat.Email, false); err != nil {
			t.Fatal(err)
		}
		if _, err := st.accounts.SetRole(as(t, zoe), zoe.Email, surveys.RoleAnalyst); err != nil {
			t.Fatalf("demote one of two admins: %v", err)
		}
		assertAudited(t, st.log, auditWant{Actor: zoe.Email, Role: surveys.RoleAdmin, Action: surveys.AuditUserRole,
			Target: zoe.Email, Detail: "role admin to analyst"})

		// Now pat is the only one.
		_, err = st.accounts.SetDisabled(as(t, zoe), pat.Email, true)
		refused("disable the new only admin", err)
		_, err = st.accounts.SetRole(as(t, zoe), pat.Email, surveys.RoleBoard)
		refused("demote the new only admin", err)
		if u := st.user(t, pat.Email); u.Role != surveys.RoleAdmin || u.Disabled {
			t.Errorf("the new only admin became %+v", u)
		}

		// A disabled admin may stop being one: that leaves the enabled
		// admins as they were.
		if _, err := st.accounts.SetRole(as(t, pat), zoe.Email, surveys.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		if _, err := st.accounts.SetDisabled(as(t, pat), zoe.Email, true); err != nil {
			t.Fatal(err)
		}
		if _, err := st.accounts.SetRole(as(t, pat), zoe.Email, surveys.RoleBoard); err != nil {
			t.Errorf("demote a disabled admin: %v", err)
		}
	})
}

func TestAdminsCannotDisableThemselves(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := newStaff(db)
		zoe := st.add(t, "zoe@council.gov.uk", surveys.RoleAdmin)
		amy := st.add(t, "amy@council.gov.uk", surveys.RoleAdmin)

		_, err := st.accounts.SetDisabled(as(t, zoe), zoe.Email, true)
		if surveys.ErrorCode(err) != surveys.ECONFLICT || !strings.Contains(surveys.ErrorMessage(err), "your own account") {
			t.Errorf("disable yourself: %v, want ECONFLICT about your own account", err)
		}
		if st.user(t, zoe.Email).Disabled {
			t.Error("zoe disabled herself")
		}
		assertAuditCount(t, st.log, surveys.AuditUserDisable, zoe.Email, 0)

		// Another admin may.
		if _, err := st.accounts.SetDisabled(as(t, amy), zoe.Email, true); err != nil {
			t.Fatal(err)
		}
		assertAudited(t, st.log, auditWant{Actor: amy.Email, Role: surveys.RoleAdmin, Action: surveys.AuditUserDisable, Target: zoe.Email})
	})
}

func TestDisablingEndsSessions(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := newStaff(db)
		zoe := st.add(t, "zoe@council.gov.uk", surveys.RoleAdmin)
		ben := st.add(t, "ben@council.gov.uk", surveys.RoleAnalyst)
		laptop := st.login(t, ben.Email, peoplePassword)
		phone := st.login(t, ben.Email, peoplePassword)
		admin := st.login(t, zoe.Email, peoplePassword)
		for _, token := range []string{laptop, phone} {
			if _, u, err := st.accounts.Authenticate(testCtx(t), token); err != nil || u.Email != ben.Email {
				t.Fatalf("before: %v", err)
			}
		}

		u, err := st.accounts.SetDisabled(as(t, zoe), ben.Email, true)
		if err != nil {
			t.Fatal(err)
		}
		if !u.Disabled || !st.user(t, ben.Email).Disabled {
			t.Error("SetDisabled did not disable")
		}
		st.assertSignedOut(t, laptop, "disabled, laptop")
		st.assertSignedOut(t, phone, "disabled, phone")
		st.assertCannotLogin(t, ben.Email, peoplePassword, "disabled")
		if _, _, err := st.accounts.Authenticate(testCtx(t), admin); err != nil {
			t.Errorf("the admin's own session ended: %v", err)
		}
		assertAudited(t, st.log, auditWant{Actor: zoe.Email, Role: surveys.RoleAdmin, Action: surveys.AuditUserDisable, Target: ben.Email})

		// Disabling again changes nothing and records nothing.
		if _, err := st.accounts.SetDisabled(as(t, zoe), ben.Email, true); err != nil {
			t.Fatal(err)
		}
		assertAuditCount(t, st.log, surveys.AuditUserDisable, ben.Email, 1)

		u, err = st.accounts.SetDisabled(as(t, zoe), ben.Email, false)
		if err != nil {
			t.Fatal(err)
		}
		if u.Disabled || st.user(t, ben.Email).Disabled {
			t.Error("SetDisabled did not enable")
		}
		assertAudited(t, st.log, auditWant{Actor: zoe.Email, Role: surveys.RoleAdmin, Action: surveys.AuditUserEnable, Target: ben.Email})
		st.assertSignedOut(t, laptop, "enabled again, an old session")
		token := st.login(t, ben.Email, peoplePassword)
		if _, _, err := st.accounts.Authenticate(testCtx(t), token); err != nil {
			t.Errorf("a new session after enabling: %v", err)
		}
	})
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := newStaff(db)
		zoe := st.add(t, "zoe@council.gov.uk", surveys.RoleAdmin)
		ben := st.add(t, "ben@council.gov.uk", surveys.RoleAnalyst)
		old := st.login(t, ben.Email, peoplePassword)

		token, r, err := st.accounts.StartReset(as(t, zoe), ben.Email)
		if err != nil {
			t.Fatal(err)
		}
		if token == "" || r.Email != ben.Email || !r.Created.Equal(workspaceStart) || !r.Expires.Equal(workspaceStart.Add(surveys.ResetLifetime)) {
			t.Errorf("reset %+v with token %q", r, token)
		}
		if r.TokenHash != surveys.HashToken(token) {
			t.Error("the reset does not keep the token's hash")
		}
		assertAudited(t, st.log, auditWant{Actor: zoe.Email, Role: surveys.RoleAdmin, Action: surveys.AuditUserResetLink,
			Target: ben.Email, Detail: "valid until 2026-11-24T10:00:00Z"})

		checked, err := st.accounts.CheckReset(testCtx(t), token)
		if err != nil || checked.Email != ben.Email {
			t.Fatalf("check the link: %+v, %v", checked, err)
		}

		// A password that is too short is refused, and the link still works.
		st.clock.Advance(time.Hour)
		_, err = st.accounts.ResetPassword(testCtx(t), token, "too short")
		if surveys.ErrorFields(err)["password"] == "" {
			t.Errorf("a short password: %v, want EINVALID about password", err)
		}
		if _, err := st.accounts.CheckReset(testCtx(t), token); err != nil {
			t.Errorf("the link after a refused password: %v", err)
		}
		if _, _, err := st.accounts.Authenticate(testCtx(t), old); err != nil {
			t.Errorf("a refused password ended the session: %v", err)
		}
		assertAuditCount(t, st.log, surveys.AuditUserPasswordSet, ben.Email, 0)

		u, err := st.accounts.ResetPassword(testCtx(t), token, newPassword)
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != ben.Email {
			t.Errorf("reset the password of %s", u.Email)
		}
		assertAudited(t, st.log, auditWant{Actor: ben.Email, Role: surveys.RoleAnalyst, Action: surveys.AuditUserPasswordSet,
			Target: ben.Email, Detail: "with a reset link"})
		st.assertSignedOut(t, old, "after a reset")
		st.assertCannotLogin(t, ben.Email, peoplePassword, "the old password")
		st.login(t, ben.Email, newPassword)

		// The link works once.
		if _, err := st.accounts.CheckReset(testCtx(t), token); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("check a spent link: %v, want ENOTFOUND", err)
		}
		if _, err := st.accounts.ResetPassword(testCtx(t), token, "yet another passphrase"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("use a spent link: %v, want ENOTFOUND", err)
		}
		st.login(t, ben.Email, newPassword)
		assertAuditCount(t, st.log, surveys.AuditUserPasswordSet, ben.Email, 1)
	})
}

func TestResetLinks(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := newStaff(db)
		zoe := st.add(t, "zoe@council.gov.uk", surveys.RoleAdmin)
		ben := st.add(t, "ben@council.gov.uk", surveys.RoleAnalyst)
		amy := st.add(t, "amy@council.gov.uk", surveys.RoleBoard)

		t.Run("a new link replaces the old", func(t *testing.T) {
			first, _, err := st.accounts.StartReset(as(t, zoe), ben.Email)
			if err != nil {
				t.Fatal(err)
			}
			other, _, err := st.accounts.StartReset(as(t, zoe), amy.Email)
			if err != nil {
				t.Fatal(err)
			}
			second, _, err := st.accounts.StartReset(as(t, zoe), ben.Email)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.accounts.CheckReset(testCtx(t), first); surveys.ErrorCode(err) != surveys.ENOTFOUND {
				t.Errorf("the first link: %v, want ENOTFOUND", err)
			}
			if _, err := st.accounts.ResetPassword(testCtx(t), first, newPassword); surveys.ErrorCode(err) != surveys.ENOTFOUND {
				t.Errorf("reset with the first link: %v, want ENOTFOUND", err)
			}
			if r, err := st.accounts.CheckReset(testCtx(t), second); err != nil || r.Email != ben.Email {
				t.Errorf("the second link: %v", err)
			}
			if r, err := st.accounts.CheckReset(testCtx(t), other); err != nil || r.Email != amy.Email {
				t.Errorf("another person's link: %v", err)
			}
			assertAuditCount(t, st.log, surveys.AuditUserResetLink, ben.Email, 2)
		})

		t.Run("a link expires", func(t *testing.T) {
			token, _, err := st.accounts.StartReset(as(t, zoe), ben.Email)
			if err != nil {
				t.Fatal(err)
			}
			st.clock.Advance(surveys.ResetLifetime - time.Second)
			if _, err := st.accounts.CheckReset(testCtx(t), token); err != nil {
				t.Errorf("a second before it expires: %v", err)
			}
			st.clock.Advance(time.Second)
			if _, err := st.accounts.CheckReset(testCtx(t), token); surveys.ErrorCode(err) != surveys.ENOTFOUND {
				t.Errorf("when it expires: %v, want ENOTFOUND", err)
			}
			if _, err := st.accounts.ResetPassword(testCtx(t), token, newPassword); surveys.ErrorCode(err) != surveys.ENOTFOUND {
				t.Errorf("reset with an expired link: %v, want ENOTFOUND", err)
			}
			st.login(t, ben.Email, peoplePassword)
		})

		t.Run("a disabled account cannot reset", func(t *testing.T) {
			token, _, err := st.accounts.StartReset(as(t, zoe), amy.Email)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.accounts.SetDisabled(as(t, zoe), amy.Email, true); err != nil {
				t.Fatal(err)
			}
			if _, err := st.accounts.ResetPassword(testCtx(t), token, newPassword); surveys.ErrorCode(err) != surveys.ENOTFOUND {
				t.Errorf("reset a disabled account: %v, want ENOTFOUND", err)
			}
			if _, err := st.accounts.SetDisabled(as(t, zoe), amy.Email, false); err != nil {
				t.Fatal(err)
			}
			st.assertCannotLogin(t, amy.Email, newPassword, "the password a disabled account tried to set")
		})

		t.Run("links that never were", func(t *testing.T) {
			for _, token := range []string{"", "not-a-token", strings.Repeat("a", 129), surveys.NewToken()} {
				if _, err := st.accounts.CheckReset(testCtx(t), token); surveys.ErrorCode(err) != surveys.ENOTFOUND {
					t.Errorf("check %q: %v, want ENOTFOUND", token, err)
				}
			}
			if _, _, err := st.accounts.StartReset(as(t, zoe), "nobody@council.gov.uk"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
				t.Errorf("a link for nobody: %v, want ENOTFOUND", err)
			}
		})
	})
}

// TestResetLinkWorksOnceAtATime sends one link several times at once, as a
// double click or someone racing the rightful owner would: only one new
// password may be set with it.
// TestAdminsDemotingEachOtherAtOnce races two admins who each demote or
// disable the other: whatever the order, one admin is left.
func TestAdminsDemotingEachOtherAtOnce(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := newStaff(db)
		changes := []struct {
			name string
			do   func(ctx context.Context, email string) error
		}{
			{"demote", func(ctx context.Context, email string) error {
				_, err := st.accounts.SetRole(ctx, email, surveys.RoleAnalyst)
				return err
			}},
			{"disable", func(ctx context.Context, email string) error {
				_, err := st.accounts.SetDisabled(ctx, email, true)
				return err
			}},
		}
		for round, first := range changes {
			for _, second := range changes {
				zoe := st.add(t, fmt.Sprintf("zoe%d%s@council.gov.uk", round, second.name), surveys.RoleAdmin)
				pat := st.add(t, fmt.Sprintf("pat%d%s@council.gov.uk", round, second.name), surveys.RoleAdmin)
				// Earlier rounds' admins step aside, so that these two are
				// the only ones.
				everyone, err := st.accounts.People(testCtx(t))
				if err != nil {
					t.Fatal(err)
				}
				for _, u := range everyone {
					if u.Email != zoe.Email && u.Email != pat.Email && u.Role == surveys.RoleAdmin && !u.Disabled {
						if _, err := st.accounts.SetDisabled(cliCtx(t), u.Email, true); err != nil {
							t.Fatal(err)
						}
					}
				}
				start := make(chan struct{})
				var wg sync.WaitGroup
				errs := make([]error, 2)
				wg.Go(func() { <-start; errs[0] = first.do(as(t, zoe), pat.Email) })
				wg.Go(func() { <-start; errs[1] = second.do(as(t, pat), zoe.Email) })
				close(start)
				wg.Wait()
				refused := 0
				for _, err := range errs {
					switch surveys.ErrorCode(err) {
					case surveys.ECONFLICT:
						refused++
					case "":
					default:
						t.Errorf("%s and %s: %v", first.name, second.name, err)
					}
				}
				admins := 0
				for _, email := range []string{zoe.Email, pat.Email} {
					if u := st.user(t, email); u.Role == surveys.RoleAdmin && !u.Disabled {
						admins++
					}
				}
				if admins != 1 || refused != 1 {
					t.Errorf("%s and %s at once: %d admins left and %d refused, want 1 and 1", first.name, second.name, admins, refused)
				}
			}
		}
	})
}

func TestResetLinkWorksOnceAtATime(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := newStaff(db)
		zoe := st.add(t, "zoe@council.gov.uk", surveys.RoleAdmin)
		ben := st.add(t, "ben@council.gov.uk", surveys.RoleAnalyst)
		token, _, err := st.accounts.StartReset(as(t, zoe), ben.Email)
		if err != nil {
			t.Fatal(err)
		}
		const tries = 4
		ctx := testCtx(t)
		errs := make([]error, tries)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range tries {
			wg.Go(func() {
				<-start
				_, errs[i] = st.accounts.ResetPassword(ctx, token, fmt.Sprintf("new password number %d", i))
			})
		}
		close(start)
		wg.Wait()
		var set []int
		for i, err := range errs {
			switch surveys.ErrorCode(err) {
			case "":
				set = append(set, i)
			case surveys.ENOTFOUND:
			default:
				t.Errorf("try %d: %v, want success or ENOTFOUND", i, err)
			}
		}
		if len(set) != 1 {
			t.Errorf("one link set a password %d times at once (tries %v), want once", len(set), set)
		}
		assertAuditCount(t, st.log, surveys.AuditUserPasswordSet, ben.Email, 1)
	})
}

func TestHasAdmin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		users []surveys.User
		want  bool
	}{
		{"nobody", nil, false},
		{"no admin", []surveys.User{{Email: "ben@council.gov.uk", Role: surveys.RoleAnalyst}}, false},
		{"only disabled admins", []surveys.User{
			{Email: "zoe@council.gov.uk", Role: surveys.RoleAdmin, Disabled: true},
			{Email: "amy@council.gov.uk", Role: surveys.RoleAdmin, Disabled: true},
			{Email: "ben@council.gov.uk", Role: surveys.RoleAnalyst},
		}, false},
		{"an enabled admin", []surveys.User{
			{Email: "zoe@council.gov.uk", Role: surveys.RoleAdmin, Disabled: true},
			{Email: "amy@council.gov.uk", Role: surveys.RoleAdmin},
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			forEachTarget(t, func(t *testing.T, db *mongo.DB) {
				st := newStaff(db)
				for _, u := range tt.users {
					u.PasswordHash, u.Created = "x", workspaceStart
					if err := st.users.CreateUser(testCtx(t), &u); err != nil {
						t.Fatal(err)
					}
				}
				got, err := st.accounts.HasAdmin(testCtx(t))
				if err != nil || got != tt.want {
					t.Errorf("HasAdmin = %v, %v; want %v", got, err, tt.want)
				}
			})
		})
	}
}

func TestSessionIdleTime(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := newStaff(db)
		st.accounts.Idle = 30 * time.Minute
		ben := st.add(t, "ben@council.gov.uk", surveys.RoleAnalyst)

		unused := st.login(t, ben.Email, peoplePassword)
		token, s, _, err := st.accounts.Login(testCtx(t), ben.Email, peoplePassword)
		if err != nil {
			t.Fatal(err)
		}
		if !s.Expires.Equal(workspaceStart.Add(30 * time.Minute)) {
			t.Errorf("a new session expires at %v, want 30 minutes on", s.Expires)
		}
		use := func(after time.Duration) {
			t.Helper()
			st.clock.Advance(after)
			s, _, err := st.accounts.Authenticate(testCtx(t), token)
			if err != nil {
				t.Fatalf("used %v later: %v", after, err)
			}
			if want := st.clock.Now().Add(30 * time.Minute); !s.Expires.Equal(want) {
				t.Errorf("used %v later: expires at %v, want %v", after, s.Expires, want)
			}
			stored, err := st.sessions.FindSession(testCtx(t), surveys.HashToken(token))
			if err != nil || !stored.Expires.Equal(s.Expires) {
				t.Errorf("stored session %+v, %v; want it to expire at %v", stored, err, s.Expires)
			}
		}
		use(10 * time.Minute)
		use(29 * time.Minute) // 39 minutes after signing in: past the first 30
		st.assertSignedOut(t, unused, "30 minutes without use")
		use(29 * time.Minute)
		st.clock.Advance(30 * time.Minute)
		st.assertSignedOut(t, token, "30 minutes after its last use")

		// The default is SessionLifetime.
		st.accounts.Idle = 0
		_, s, _, err = st.accounts.Login(testCtx(t), ben.Email, peoplePassword)
		if err != nil {
			t.Fatal(err)
		}
		if want := st.clock.Now().Add(surveys.SessionLifetime); !s.Expires.Equal(want) {
			t.Errorf("with no idle time set, a session expires at %v, want %v", s.Expires, want)
		}
	})
}

func TestSignInAndOutAreAudited(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		st := newStaff(db)
		ben := st.add(t, "ben@council.gov.uk", surveys.RoleAnalyst)
		token, _, u, err := st.accounts.Login(testCtx(t), "Ben@Council.gov.uk", peoplePassword)
		if err != nil {
			t.Fatal(err)
		}
		assertAudited(t, st.log, auditWant{Actor: ben.Email, Role: surveys.RoleAnalyst, Action: surveys.AuditSignIn, Target: ben.Email})
		if got := st.user(t, ben.Email).LastLogin; !got.Equal(workspaceStart) {
			t.Errorf("last sign-in %v, want %v", got, workspaceStart)
		}

		st.assertCannotLogin(t, ben.Email, "not the password at all", "a wrong password")
		assertAuditCount(t, st.log, surveys.AuditSignIn, ben.Email, 1)

		if err := st.accounts.Logout(as(t, u), token); err != nil {
			t.Fatal(err)
		}
		assertAudited(t, st.log, auditWant{Actor: ben.Email, Role: surveys.RoleAnalyst, Action: surveys.AuditSignOut, Target: ben.Email})
		st.assertSignedOut(t, token, "after signing out")

		// Signing out of a session that was not checked records nothing.
		other := st.login(t, ben.Email, peoplePassword)
		if err := st.accounts.Logout(testCtx(t), other); err != nil {
			t.Fatal(err)
		}
		assertAuditCount(t, st.log, surveys.AuditSignOut, ben.Email, 1)
	})
}
