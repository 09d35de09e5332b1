package surveys

import "context"

// userKey is the context key of the member of staff making a request.
type userKey struct{}

// NewContextWithUser returns a context that carries u, the member of staff
// on whose behalf the work is done. The API and the staff pages set it once
// a session is checked; the domain reads it to write the audit log, so that
// every way into Heard records who did what in the same place.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFromContext returns the member of staff the context carries, or nil
// (a young person, or the command line).
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}
