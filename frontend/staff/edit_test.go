package staff

import (
	"strings"
	"testing"
)

func TestTextRows(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want int
	}{
		{"", 2},
		{"Do you feel safe where you live?", 2},
		{strings.Repeat("x", 150), 3},
		{strings.Repeat("word ", 80), 7}, // 400 characters
		{"one\ntwo\nthree", 3},
		{strings.Repeat("é", 120), 2}, // characters, not bytes
		{strings.Repeat("long line ", 500), 12},
	}
	for _, tt := range tests {
		if got := textRows(tt.text); got != tt.want {
			t.Errorf("textRows(%.20q… %d characters) = %d; want %d", tt.text, len([]rune(tt.text)), got, tt.want)
		}
	}
}

func TestHeadingText(t *testing.T) {
	t.Parallel()
	tests := []struct{ text, want string }{
		{"Is there an adult you trust?", "Is there an adult you trust?"},
		{"  Two\nlines  ", "Two lines"},
		{"", ""},
		{"Thinking about the last month, how often have you felt that there was an adult you could talk to?",
			"Thinking about the last month, how often have you felt that…"},
		{strings.Repeat("x", 80), strings.Repeat("x", 60) + "…"},
	}
	for _, tt := range tests {
		if got := headingText(tt.text); got != tt.want {
			t.Errorf("headingText(%q) = %q; want %q", tt.text, got, tt.want)
		}
	}
}
