package surveys

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// UserUpdate holds the fields of an account to change; nil leaves a field
// as it is.
type UserUpdate struct {
	Role         *Role
	Disabled     *bool
	PasswordHash *string
	School       *string
}

// PasswordReset is a one-time link an admin passes on to a member of staff
// who has forgotten their password. Like a session, only its token's hash
// is kept.
type PasswordReset struct {
	TokenHash string
	Email     string
	Created   time.Time
	Expires   time.Time
}

// ResetStore keeps password reset links.
type ResetStore interface {
	CreateReset(ctx context.Context, r *PasswordReset) error
	// FindReset returns the reset with the token hash, or ENOTFOUND.
	FindReset(ctx context.Context, tokenHash string) (*PasswordReset, error)
	// TakeReset removes the reset with the token hash and reports whether
	// this call removed it: of two uses of one link at the same moment,
	// exactly one takes it (the other gets ENOTFOUND).
	TakeReset(ctx context.Context, tokenHash string) error
	// DeleteResets removes every reset link of an account, so that a new
	// one replaces the old.
	DeleteResets(ctx context.Context, email string) error
}

// People lists the staff accounts, for admins.
func (a *Accounts) People(ctx context.Context) ([]*User, error) {
	users, err := a.Users.FindUsers(ctx)
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	return users, nil
}

// HasAdmin reports whether an enabled admin account exists; until one does,
// the sign-in page explains how to create one from the command line.
func (a *Accounts) HasAdmin(ctx context.Context) (bool, error) {
	users, err := a.Users.FindUsers(ctx)
	if err != nil {
		return false, fmt.Errorf("look for an admin: %w", err)
	}
	for _, u := range users {
		if u.Role == RoleAdmin && !u.Disabled {
			return true, nil
		}
	}
	return false, nil
}

// SetRole changes a member of staff's role. The last enabled admin cannot
// stop being one, or nobody could manage Heard.
func (a *Accounts) SetRole(ctx context.Context, email string, role Role) (*User, error) {
	if !role.Valid() {
		return nil, FieldsError("The role is not one Heard knows.", map[string]string{"role": "must be one of " + roleList()})
	}
	a.adminChange.Lock()
	defer a.adminChange.Unlock()
	u, err := a.Users.FindUser(ctx, email)
	if err != nil {
		return nil, err
	}
	if u.Role == role {
		return u, nil
	}
	if u.Role == RoleAdmin && !u.Disabled {
		if err := a.keepAnAdmin(ctx, email, "change the role of"); err != nil {
			return nil, err
		}
	}
	if err := a.Users.UpdateUser(ctx, email, UserUpdate{Role: &role}); err != nil {
		return nil, fmt.Errorf("set role: %w", err)
	}
	if err := a.Audit.Record(ctx, AuditUserRole, email, fmt.Sprintf("role %s to %s", u.Role, role)); err != nil {
		return nil, err
	}
	u.Role = role
	return u, nil
}

// SetSchool links a school lead's account to the school whose records they
// keep (a key of schools, the settings' list), or unlinks it with "". A
// lead sees only their school's records, and nothing until linked.
func (a *Accounts) SetSchool(ctx context.Context, email, school string, schools []School) (*User, error) {
	u, err := a.Users.FindUser(ctx, email)
	if err != nil {
		return nil, err
	}
	name := "no school"
	if school != "" {
		i := slices.IndexFunc(schools, func(s School) bool { return s.Key == school })
		if i < 0 {
			return nil, FieldsError("That school is not in the settings.", map[string]string{"school": "must be one of the schools in the settings"})
		}
		name = schools[i].Name
	}
	if u.Role != RoleSchoolLead && school != "" {
		return nil, FieldsError("Only a school lead can be linked to a school.", map[string]string{"school": "change the person's role to school lead first"})
	}
	if u.School == school {
		return u, nil
	}
	if err := a.Users.UpdateUser(ctx, email, UserUpdate{School: &school}); err != nil {
		return nil, fmt.Errorf("set school: %w", err)
	}
	if err := a.Audit.Record(ctx, AuditUserSchool, email, "linked to "+name); err != nil {
		return nil, err
	}
	u.School = school
	return u, nil
}

// SetDisabled disables or re-enables an account. A disabled account's
// sessions end at once (Authenticate refuses them), and it cannot sign in.
// Admins cannot disable themselves, nor the last enabled admin.
func (a *Accounts) SetDisabled(ctx context.Context, email string, disabled bool) (*User, error) {
	a.adminChange.Lock()
	defer a.adminChange.Unlock()
	u, err := a.Users.FindUser(ctx, email)
	if err != nil {
		return nil, err
	}
	if u.Disabled == disabled {
		return u, nil
	}
	if disabled {
		if me := UserFromContext(ctx); me != nil && me.Email == email {
			return nil, Errorf(ECONFLICT, "You cannot disable your own account. Ask another admin.")
		}
		if u.Role == RoleAdmin {
			if err := a.keepAnAdmin(ctx, email, "disable"); err != nil {
				return nil, err
			}
		}
	}
	if err := a.Users.UpdateUser(ctx, email, UserUpdate{Disabled: &disabled}); err != nil {
		return nil, fmt.Errorf("set disabled: %w", err)
	}
	if disabled {
		if err := a.Sessions.DeleteUserSessions(ctx, email); err != nil {
			return nil, fmt.Errorf("end the sessions of a disabled account: %w", err)
		}
	}
	action := AuditUserEnable
	if disabled {
		action = AuditUserDisable
	}
	if err := a.Audit.Record(ctx, action, email, ""); err != nil {
		return nil, err
	}
	u.Disabled = disabled
	return u, nil
}

// keepAnAdmin fails when email is the only enabled admin.
func (a *Accounts) keepAnAdmin(ctx context.Context, email, doing string) error {
	users, err := a.Users.FindUsers(ctx)
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	for _, u := range users {
		if u.Role == RoleAdmin && !u.Disabled && u.Email != email {
			return nil
		}
	}
	return Errorf(ECONFLICT, "You cannot %s the only admin: make someone else an admin first.", doing)
}

// StartReset makes a one-time password reset link for an account, valid for
// ResetLifetime, replacing any earlier link. It returns the token, which
// only the admin sees, to pass on.
func (a *Accounts) StartReset(ctx context.Context, email string) (string, *PasswordReset, error) {
	u, err := a.Users.FindUser(ctx, email)
	if err != nil {
		return "", nil, err
	}
	if err := a.Resets.DeleteResets(ctx, u.Email); err != nil {
		return "", nil, fmt.Errorf("start reset: %w", err)
	}
	now := a.Now().UTC()
	token := NewToken()
	r := &PasswordReset{TokenHash: HashToken(token), Email: u.Email, Created: now, Expires: now.Add(ResetLifetime)}
	if err := a.Resets.CreateReset(ctx, r); err != nil {
		return "", nil, fmt.Errorf("start reset: %w", err)
	}
	if err := a.Audit.Record(ctx, AuditUserResetLink, u.Email, "valid until "+r.Expires.Format(time.RFC3339)); err != nil {
		return "", nil, err
	}
	return token, r, nil
}

// errBadReset is the answer to any link that does not work, whatever the
// reason, so that it tells a guesser nothing.
var errBadReset = Errorf(ENOTFOUND, "This link does not work: it may have been used already, or be more than a day old. Ask an admin for a new one.")

// CheckReset returns the reset of a token while it still works.
func (a *Accounts) CheckReset(ctx context.Context, token string) (*PasswordReset, error) {
	if token == "" || len(token) > 128 {
		return nil, errBadReset
	}
	r, err := a.Resets.FindReset(ctx, HashToken(token))
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil, errBadReset
	case err != nil:
		return nil, fmt.Errorf("check reset: %w", err)
	case !a.Now().Before(r.Expires):
		return nil, errBadReset
	}
	return r, nil
}

// ResetPassword sets a new password with a reset link, spends the link and
// ends every session of the account, so that whoever knew the old password
// is signed out.
func (a *Accounts) ResetPassword(ctx context.Context, token, password string) (*User, error) {
	r, err := a.CheckReset(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := CheckPassword(password); err != nil {
		return nil, err
	}
	u, err := a.Users.FindUser(ctx, r.Email)
	if ErrorCode(err) == ENOTFOUND || (err == nil && u.Disabled) {
		return nil, errBadReset
	} else if err != nil {
		return nil, fmt.Errorf("reset password: %w", err)
	}
	// Spend the link before anything else, in one step, so that a link
	// sent twice at once sets one password.
	switch err := a.Resets.TakeReset(ctx, r.TokenHash); {
	case ErrorCode(err) == ENOTFOUND:
		return nil, errBadReset
	case err != nil:
		return nil, fmt.Errorf("reset password: %w", err)
	}
	hash, err := a.Passwords.Hash(password)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	if err := a.Resets.DeleteResets(ctx, u.Email); err != nil {
		return nil, fmt.Errorf("reset password: %w", err)
	}
	if err := a.Users.UpdateUser(ctx, u.Email, UserUpdate{PasswordHash: &hash}); err != nil {
		return nil, fmt.Errorf("reset password: %w", err)
	}
	if err := a.Sessions.DeleteUserSessions(ctx, u.Email); err != nil {
		return nil, fmt.Errorf("reset password: %w", err)
	}
	if err := a.Audit.Record(NewContextWithUser(ctx, u), AuditUserPasswordSet, u.Email, "with a reset link"); err != nil {
		return nil, err
	}
	return u, nil
}
