package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/password"
)

// storage is an open database with Heard's stores on it.
type storage struct {
	db        *mongo.DB
	embedded  *mongo.Embedded
	lock      *dataLock
	exclusive bool // this process is the only one using the database

	surveys  *mongo.SurveyStore
	tallies  *mongo.TallyStore
	users    *mongo.UserStore
	sessions *mongo.SessionStore
	audit    *surveys.AuditLog
}

// openStorage connects to MONGODB_URI or, when it is unset, locks the data
// directory and starts the embedded database in it.
func openStorage(ctx context.Context, cfg *Config, log *slog.Logger) (*storage, error) {
	return openStorageObserved(ctx, cfg, log, nil)
}

// openStorageObserved is openStorage with every database command reported
// to commands (nil: to no one), for the metrics.
func openStorageObserved(ctx context.Context, cfg *Config, log *slog.Logger, commands mongo.CommandObserver) (*storage, error) {
	st := &storage{}
	uri := cfg.MongoURI
	if uri == "" {
		lock, err := lockDataDir(cfg.DataDir)
		if err != nil {
			return nil, err
		}
		st.lock, st.exclusive = lock, true
		st.embedded, err = mongo.StartEmbedded(ctx, filepath.Join(cfg.DataDir, "ferretdb"), log)
		if err != nil {
			st.close()
			return nil, err
		}
		uri = st.embedded.URI()
	}
	openCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	db, err := mongo.Open(openCtx, mongo.Options{URI: uri, Name: cfg.DB, Exclusive: st.exclusive, Commands: commands})
	if err != nil {
		st.close()
		if cfg.MongoURI != "" {
			return nil, fmt.Errorf("open database %q at %s: %w; check that MongoDB runs there, that MONGODB_URI's address, user and password are right, and that this machine may reach it", cfg.DB, hostsOf(cfg.MongoURI), err)
		}
		return nil, fmt.Errorf("open the embedded database in %s: %w", cfg.DataDir, err)
	}
	st.db = db
	st.surveys = mongo.NewSurveyStore(db)
	st.tallies = mongo.NewTallyStore(db)
	st.users = mongo.NewUserStore(db)
	st.sessions = mongo.NewSessionStore(db)
	st.audit = &surveys.AuditLog{Store: mongo.NewAuditStore(db), Now: time.Now}
	return st, nil
}

// accounts returns the staff account service on this storage.
func (st *storage) accounts(idle time.Duration) *surveys.Accounts {
	return &surveys.Accounts{Users: st.users, Sessions: st.sessions, Resets: mongo.NewResetStore(st.db),
		Passwords: password.Argon2id{}, Audit: st.audit, Now: time.Now, Idle: idle}
}

// settings returns the settings service, with the configured defaults
// for a database where an admin never saved any.
func (st *storage) settings(cfg *Config) *surveys.SettingsService {
	return &surveys.SettingsService{
		Store: mongo.NewSettingsStore(st.db),
		Defaults: surveys.Settings{CouncilName: cfg.CouncilName, HelpPhone: cfg.HelpPhone, HelpHours: cfg.HelpHours,
			Threshold: cfg.Threshold},
		Audit: st.audit, TTL: surveyCacheTTL, Now: time.Now,
	}
}

// actions returns the "you said, we did" plan on this storage; surveyStore
// and themes check what an action refers to when it is saved.
func (st *storage) actions(surveyStore surveys.SurveyStore, themes *surveys.Themes) *surveys.Actions {
	return &surveys.Actions{Store: mongo.NewActionStore(st.db), Audit: st.audit, Now: time.Now, Surveys: surveyStore, Themes: themes}
}

// liveSessions returns the preparation of MADE sessions on this storage;
// settings, surveyStore and themes check a session's group and links
// when it is saved.
func (st *storage) liveSessions(settings *surveys.SettingsService, surveyStore surveys.SurveyStore, themes *surveys.Themes) *surveys.LiveSessions {
	return &surveys.LiveSessions{Store: mongo.NewLiveSessionStore(st.db), Settings: settings, Themes: themes, Surveys: surveyStore,
		Audit: st.audit, Now: time.Now}
}

// settle finishes tally batches left by processes that stopped, for the
// commands that read or rewrite tallies without starting a server.
func (st *storage) settle(ctx context.Context) (int, error) {
	return mongo.Recover(ctx, st.db, mongo.NewInstanceID(time.Now()), time.Now())
}

// hostsOf returns the hosts of a MongoDB URI, for messages: never its user
// or password.
func hostsOf(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Host == "" {
		return "MONGODB_URI"
	}
	return u.Scheme + "://" + u.Host
}

func (st *storage) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if st.db != nil {
		_ = st.db.Close(ctx)
	}
	if st.embedded != nil {
		_ = st.embedded.Close()
	}
	st.lock.release()
}
