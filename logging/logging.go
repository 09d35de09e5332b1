// Package logging makes Heard's structured logs: JSON for a log collector
// in production, text for a person reading a terminal, and on every record
// made while serving a request that request's id, so that the lines of one
// request can be found together.
//
// What goes in a log is decided where it is written; the rule everywhere
// is that a log never carries an answer, a name, an address or a path
// (which may hold an access code).
package logging

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
)

// Formats of the log.
const (
	JSON = "json"
	Text = "text"
)

// New returns a logger writing records at level and above to w, as JSON
// or as text, with the request id of the context of each record made with
// one (InfoContext and the like).
func New(format string, w io.Writer, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	if format == Text {
		h = slog.NewTextHandler(w, opts)
	} else {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(requestIDHandler{h})
}

type ctxKey struct{}

// WithRequestID returns ctx carrying the request's id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// RequestID returns the id ctx carries, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// NewRequestID returns a random id of 16 hex digits: unique enough to tell
// apart a day's requests, and derived from nothing about the request.
func NewRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

// MaxRequestIDLength bounds an id taken from a proxy's X-Request-Id.
const MaxRequestIDLength = 64

// ValidRequestID reports whether id, from a proxy's X-Request-Id header,
// may be used as the request's id: 8 to 64 letters, digits, '-', '_' or
// '.', so that it can only ever be an id (nginx's $request_id is 32 hex
// digits) and never carry anything else into the logs.
func ValidRequestID(id string) bool {
	if len(id) < 8 || len(id) > MaxRequestIDLength {
		return false
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !ok {
			return false
		}
	}
	return true
}

// requestIDHandler adds the context's request id to each record.
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}
