package mongo

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// UserStore keeps staff accounts, keyed by email.
type UserStore struct{ db *DB }

var _ surveys.UserStore = (*UserStore)(nil)

// NewUserStore returns a UserStore on db.
func NewUserStore(db *DB) *UserStore { return &UserStore{db: db} }

type userDoc struct {
	Email        string    `bson:"_id"`
	Role         string    `bson:"role"`
	PasswordHash string    `bson:"password_hash"`
	Disabled     bool      `bson:"disabled"`
	School       string    `bson:"school,omitempty"`
	Created      time.Time `bson:"created"`
	LastLogin    time.Time `bson:"last_login,omitempty"`
}

// FindUser reads an account by email.
func (us *UserStore) FindUser(ctx context.Context, email string) (*surveys.User, error) {
	var d userDoc
	err := us.db.col(colUsers).FindOne(ctx, bson.D{{Key: "_id", Value: email}}).Decode(&d)
	if isNotFound(err) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no account for that email.")
	} else if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return d.user(), nil
}

func (d *userDoc) user() *surveys.User {
	return &surveys.User{Email: d.Email, Role: surveys.Role(d.Role), PasswordHash: d.PasswordHash, Disabled: d.Disabled, School: d.School,
		Created: d.Created.UTC(), LastLogin: d.LastLogin.UTC()}
}

// FindUsers lists every account by email. Councils have tens of staff, so
// reading them all (a scan on the embedded server) is cheap.
func (us *UserStore) FindUsers(ctx context.Context) ([]*surveys.User, error) {
	cur, err := us.db.col(colUsers).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	var docs []userDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read users: %w", err)
	}
	out := make([]*surveys.User, len(docs))
	for i := range docs {
		out[i] = docs[i].user()
	}
	return out, nil
}

// UpdateUser changes the given fields of an account.
func (us *UserStore) UpdateUser(ctx context.Context, email string, upd surveys.UserUpdate) error {
	set := bson.D{}
	if upd.Role != nil {
		set = append(set, bson.E{Key: "role", Value: string(*upd.Role)})
	}
	if upd.Disabled != nil {
		set = append(set, bson.E{Key: "disabled", Value: *upd.Disabled})
	}
	if upd.School != nil {
		set = append(set, bson.E{Key: "school", Value: *upd.School})
	}
	if upd.PasswordHash != nil {
		set = append(set, bson.E{Key: "password_hash", Value: *upd.PasswordHash})
	}
	if len(set) == 0 {
		return nil
	}
	res, err := us.db.col(colUsers).UpdateOne(ctx, bson.D{{Key: "_id", Value: email}}, bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	if res.MatchedCount == 0 {
		return surveys.Errorf(surveys.ENOTFOUND, "There is no account for that email.")
	}
	return nil
}

// CreateUser inserts an account; its email must be new.
func (us *UserStore) CreateUser(ctx context.Context, u *surveys.User) error {
	d := userDoc{Email: u.Email, Role: string(u.Role), PasswordHash: u.PasswordHash, Disabled: u.Disabled, School: u.School, Created: u.Created}
	_, err := us.db.col(colUsers).InsertOne(ctx, d)
	if isDuplicate(err) {
		return surveys.Errorf(surveys.ECONFLICT, "There is already an account for %s.", u.Email)
	} else if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// RecordLogin sets the time of the last sign-in.
func (us *UserStore) RecordLogin(ctx context.Context, email string, at time.Time) error {
	_, err := us.db.col(colUsers).UpdateOne(ctx, bson.D{{Key: "_id", Value: email}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "last_login", Value: at.UTC()}}}})
	if err != nil {
		return fmt.Errorf("record login: %w", err)
	}
	return nil
}

// CountUsers returns how many accounts there are.
func (us *UserStore) CountUsers(ctx context.Context) (int64, error) {
	n, err := us.db.col(colUsers).CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// SessionStore keeps staff sessions, keyed by the hash of their token.
type SessionStore struct{ db *DB }

var _ surveys.SessionStore = (*SessionStore)(nil)

// NewSessionStore returns a SessionStore on db.
func NewSessionStore(db *DB) *SessionStore { return &SessionStore{db: db} }

type sessionDoc struct {
	TokenHash string    `bson:"_id"`
	Email     string    `bson:"email"`
	CSRFToken string    `bson:"csrf"`
	Created   time.Time `bson:"created"`
	Expires   time.Time `bson:"expires"`
}

// CreateSession inserts a session.
func (ss *SessionStore) CreateSession(ctx context.Context, s *surveys.Session) error {
	d := sessionDoc{TokenHash: s.TokenHash, Email: s.Email, CSRFToken: s.CSRFToken, Created: s.Created, Expires: s.Expires}
	if _, err := ss.db.col(colSessions).InsertOne(ctx, d); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// FindSession reads a session by token hash.
func (ss *SessionStore) FindSession(ctx context.Context, tokenHash string) (*surveys.Session, error) {
	var d sessionDoc
	err := ss.db.col(colSessions).FindOne(ctx, bson.D{{Key: "_id", Value: tokenHash}}).Decode(&d)
	if isNotFound(err) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no such session.")
	} else if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	return &surveys.Session{TokenHash: d.TokenHash, Email: d.Email, CSRFToken: d.CSRFToken, Created: d.Created.UTC(), Expires: d.Expires.UTC()}, nil
}

// TouchSession moves a session's expiry.
func (ss *SessionStore) TouchSession(ctx context.Context, tokenHash string, expires time.Time) error {
	_, err := ss.db.col(colSessions).UpdateOne(ctx, bson.D{{Key: "_id", Value: tokenHash}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "expires", Value: expires.UTC()}}}})
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteUserSessions removes every session of an account.
func (ss *SessionStore) DeleteUserSessions(ctx context.Context, email string) error {
	if _, err := ss.db.col(colSessions).DeleteMany(ctx, bson.D{{Key: "email", Value: email}}); err != nil {
		return fmt.Errorf("delete sessions of an account: %w", err)
	}
	return nil
}

// DeleteSession removes a session.
func (ss *SessionStore) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := ss.db.col(colSessions).DeleteOne(ctx, bson.D{{Key: "_id", Value: tokenHash}}); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// ResetStore keeps password reset links, keyed by the hash of their token.
type ResetStore struct{ db *DB }

var _ surveys.ResetStore = (*ResetStore)(nil)

// NewResetStore returns a ResetStore on db.
func NewResetStore(db *DB) *ResetStore { return &ResetStore{db: db} }

type resetDoc struct {
	TokenHash string    `bson:"_id"`
	Email     string    `bson:"email"`
	Created   time.Time `bson:"created"`
	Expires   time.Time `bson:"expires"`
}

// CreateReset inserts a reset link.
func (rs *ResetStore) CreateReset(ctx context.Context, r *surveys.PasswordReset) error {
	d := resetDoc{TokenHash: r.TokenHash, Email: r.Email, Created: r.Created, Expires: r.Expires}
	if _, err := rs.db.col(colResets).InsertOne(ctx, d); err != nil {
		return fmt.Errorf("create reset: %w", err)
	}
	return nil
}

// FindReset reads a reset link by token hash.
func (rs *ResetStore) FindReset(ctx context.Context, tokenHash string) (*surveys.PasswordReset, error) {
	var d resetDoc
	err := rs.db.col(colResets).FindOne(ctx, bson.D{{Key: "_id", Value: tokenHash}}).Decode(&d)
	if isNotFound(err) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "There is no such reset link.")
	} else if err != nil {
		return nil, fmt.Errorf("find reset: %w", err)
	}
	return &surveys.PasswordReset{TokenHash: d.TokenHash, Email: d.Email, Created: d.Created.UTC(), Expires: d.Expires.UTC()}, nil
}

// TakeReset removes one reset link; ENOTFOUND when it was already gone,
// so that only one of two uses at the same moment succeeds.
func (rs *ResetStore) TakeReset(ctx context.Context, tokenHash string) error {
	res, err := rs.db.col(colResets).DeleteOne(ctx, bson.D{{Key: "_id", Value: tokenHash}})
	if err != nil {
		return fmt.Errorf("take reset: %w", err)
	}
	if res.DeletedCount == 0 {
		return surveys.Errorf(surveys.ENOTFOUND, "There is no such reset link.")
	}
	return nil
}

// DeleteResets removes every reset link of an account.
func (rs *ResetStore) DeleteResets(ctx context.Context, email string) error {
	if _, err := rs.db.col(colResets).DeleteMany(ctx, bson.D{{Key: "email", Value: email}}); err != nil {
		return fmt.Errorf("delete resets: %w", err)
	}
	return nil
}
