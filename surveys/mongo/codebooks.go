package mongo

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/heard-app/heard/surveys"
)

// CodebookStore keeps every version of the codebook, one document each,
// keyed by the version number: an insert of a number someone else took
// fails, which is how two analysts saving at once are told apart.
type CodebookStore struct{ db *DB }

var _ surveys.CodebookStore = (*CodebookStore)(nil)

// NewCodebookStore returns a CodebookStore on db.
func NewCodebookStore(db *DB) *CodebookStore { return &CodebookStore{db: db} }

type themeDoc struct {
	Key         string              `bson:"key"`
	Name        string              `bson:"name"`
	Description string              `bson:"description,omitempty"`
	Words       map[string][]string `bson:"words,omitempty"`
	Examples    []string            `bson:"examples,omitempty"`
}

type codebookDoc struct {
	Version int        `bson:"_id"`
	Themes  []themeDoc `bson:"themes"`
	Updated time.Time  `bson:"updated"`
	By      string     `bson:"by"`
}

// LatestCodebook returns the newest version, or ENOTFOUND.
func (cs *CodebookStore) LatestCodebook(ctx context.Context) (*surveys.Codebook, error) {
	var d codebookDoc
	err := cs.db.col(colCodebooks).FindOne(ctx, bson.D{}, options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}})).Decode(&d)
	switch {
	case isNotFound(err):
		return nil, surveys.Errorf(surveys.ENOTFOUND, "No codebook has been saved yet.")
	case err != nil:
		return nil, fmt.Errorf("read codebook: %w", err)
	}
	cb := &surveys.Codebook{Version: d.Version, Updated: d.Updated, By: d.By}
	for _, t := range d.Themes {
		cb.Themes = append(cb.Themes, surveys.Theme{Key: t.Key, Name: t.Name, Description: t.Description, Words: t.Words, Examples: t.Examples})
	}
	return cb, nil
}

// CreateCodebook stores a new version, or fails with ECONFLICT when its
// number is taken.
func (cs *CodebookStore) CreateCodebook(ctx context.Context, cb *surveys.Codebook) error {
	d := codebookDoc{Version: cb.Version, Updated: cb.Updated, By: cb.By, Themes: []themeDoc{}}
	for _, t := range cb.Themes {
		d.Themes = append(d.Themes, themeDoc{Key: t.Key, Name: t.Name, Description: t.Description, Words: t.Words, Examples: t.Examples})
	}
	_, err := cs.db.col(colCodebooks).InsertOne(ctx, d)
	switch {
	case isDuplicate(err):
		return surveys.Errorf(surveys.ECONFLICT, "Codebook version %d exists already.", cb.Version)
	case err != nil:
		return fmt.Errorf("save codebook: %w", err)
	}
	return nil
}
