package coder

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/heard-app/heard/surveys"
)

// codebookJSON is the starting codebook: the eighteen themes of the
// product brief with the words that suggest them. It is data, kept apart
// from code, so that it reads (and is reviewed) as a list of words.
//
//go:embed codebook.json
var codebookJSON string

// codebookFile is the shape of codebook.json.
type codebookFile struct {
	Version int             `json:"version"`
	Themes  []surveys.Theme `json:"themes"`
}

// DefaultCodebook returns the starting codebook (Version 1). Each call
// returns a fresh copy that the caller may edit.
func DefaultCodebook() *surveys.Codebook {
	cb, err := parseCodebook(codebookJSON)
	if err != nil {
		// The file is embedded and checked by the tests, so this is a
		// build mistake, not something a caller can recover from.
		panic(err)
	}
	return cb
}

func parseCodebook(src string) (*surveys.Codebook, error) {
	var f codebookFile
	if err := json.Unmarshal([]byte(src), &f); err != nil {
		return nil, fmt.Errorf("read default codebook: %w", err)
	}
	return &surveys.Codebook{Version: f.Version, Themes: f.Themes, By: "Heard"}, nil
}
