package mongo

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/heard-app/heard/surveys"
)

// SettingsStore keeps the one settings document.
type SettingsStore struct {
	db *DB
	// mu makes a save's check of the revision and its write one step in
	// this process, as for surveys: the embedded server does not apply
	// updates atomically.
	mu sync.Mutex
}

var _ surveys.SettingsStore = (*SettingsStore)(nil)

// NewSettingsStore returns a SettingsStore on db.
func NewSettingsStore(db *DB) *SettingsStore { return &SettingsStore{db: db} }

// settingsID is the _id of the settings document.
const settingsID = "settings"

// settingsDoc holds the settings as one JSON string (the schools list can
// be long, and the embedded server decodes nested fields slowly) and the
// logo as binary beside it.
type settingsDoc struct {
	ID       string    `bson:"_id"`
	Revision int       `bson:"revision"`
	Updated  time.Time `bson:"updated"`
	Settings string    `bson:"settings"`
	LogoType string    `bson:"logo_type,omitempty"`
	Logo     []byte    `bson:"logo,omitempty"`
}

// FindSettings reads the settings, or ENOTFOUND when none were saved.
func (ss *SettingsStore) FindSettings(ctx context.Context) (*surveys.Settings, error) {
	var d settingsDoc
	err := ss.db.col(colSettings).FindOne(ctx, bson.D{{Key: "_id", Value: settingsID}}).Decode(&d)
	if isNotFound(err) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "No settings have been saved.")
	} else if err != nil {
		return nil, fmt.Errorf("find settings: %w", err)
	}
	var s surveys.Settings
	if err := json.Unmarshal([]byte(d.Settings), &s); err != nil {
		return nil, fmt.Errorf("decode stored settings: %w", err)
	}
	s.Revision, s.Updated = d.Revision, d.Updated.UTC()
	if d.LogoType != "" {
		s.Logo = &surveys.Logo{ContentType: d.LogoType, Data: d.Logo}
	}
	return &s, nil
}

// SaveSettings stores the settings if they are still at revision.
func (ss *SettingsStore) SaveSettings(ctx context.Context, revision int, s *surveys.Settings) (*surveys.Settings, error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	js, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encode settings: %w", err)
	}
	d := settingsDoc{ID: settingsID, Revision: revision + 1, Updated: s.Updated.UTC(), Settings: string(js)}
	if s.Logo != nil {
		d.LogoType, d.Logo = s.Logo.ContentType, s.Logo.Data
	}
	conflict := surveys.Errorf(surveys.ECONFLICT, "Someone else saved the settings after you opened them, so your changes were not saved. Their settings are shown now.")
	if revision == 0 {
		_, err := ss.db.col(colSettings).InsertOne(ctx, d)
		if isDuplicate(err) {
			return nil, conflict
		} else if err != nil {
			return nil, fmt.Errorf("save settings: %w", err)
		}
	} else {
		res, err := ss.db.col(colSettings).ReplaceOne(ctx,
			bson.D{{Key: "_id", Value: settingsID}, {Key: "revision", Value: revision}}, d)
		if err != nil {
			return nil, fmt.Errorf("save settings: %w", err)
		}
		if res.MatchedCount == 0 {
			return nil, conflict
		}
	}
	return ss.FindSettings(ctx)
}
