package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

func TestRequestIDOnRecords(t *testing.T) {
	t.Parallel()
	cases := []struct {
		format string
		check  func(t *testing.T, line string)
	}{
		{JSON, func(t *testing.T, line string) {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("not JSON: %q", line)
			}
			if rec["request_id"] != "0123456789abcdef" || rec["msg"] != "request" || rec["component"] != "api" {
				t.Errorf("record %v", rec)
			}
		}},
		{Text, func(t *testing.T, line string) {
			if !strings.Contains(line, "request_id=0123456789abcdef") || !strings.Contains(line, "msg=request") {
				t.Errorf("line %q", line)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.format, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			log := New(tc.format, &buf, slog.LevelInfo).With("component", "api")
			ctx := WithRequestID(context.Background(), "0123456789abcdef")
			log.InfoContext(ctx, "request")
			tc.check(t, strings.TrimSpace(buf.String()))

			buf.Reset()
			log.Info("no request")
			if strings.Contains(buf.String(), "request_id") {
				t.Errorf("a record outside a request has an id: %q", buf.String())
			}
			buf.Reset()
			log.Debug("below the level")
			if buf.Len() != 0 {
				t.Errorf("a debug record was written: %q", buf.String())
			}
		})
	}
}

func TestValidRequestID(t *testing.T) {
	t.Parallel()
	cases := map[string]bool{
		"0123456789abcdef0123456789abcdef":        true,
		"req-42_a.b":                              true,
		"short":                                   false,
		strings.Repeat("a", MaxRequestIDLength):   true,
		strings.Repeat("a", MaxRequestIDLength+1): false,
		"has space in it":                         false,
		"name=Jamie&x":                            false,
		"abcdefgh\nforged log line":               false,
		"":                                        false,
	}
	for id, want := range cases {
		if got := ValidRequestID(id); got != want {
			t.Errorf("ValidRequestID(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestNewRequestID(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		id := NewRequestID()
		if !ValidRequestID(id) || len(id) != 16 || seen[id] {
			t.Fatalf("id %q (seen before: %v)", id, seen[id])
		}
		seen[id] = true
	}
}
