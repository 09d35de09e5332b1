package mongo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Embedded is a MongoDB-wire-compatible server running inside the Heard
// process: FerretDB v1 with its SQLite backend, listening on a loopback port
// only. It lets Heard run on a fresh machine with no database to install,
// while every query still goes through the official MongoDB driver, so there
// is one storage code path.
//
// What it supports shapes the rest of this package: it pushes down to SQLite
// only a filter that is exactly {_id: <string>} (every other read scans the
// collection), takes one writer at a time, applies an update as a read and
// a write that are not atomic together, and has no transactions, change
// streams, TTL, partial or text indexes.
type Embedded struct {
	uri    string
	cancel context.CancelFunc
	done   chan struct{}
}

// StartEmbedded starts the embedded server with its files in dir, which is
// created if needed. Its own logging goes to logger at error level only.
func StartEmbedded(ctx context.Context, dir string, logger *slog.Logger) (*Embedded, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("embedded database directory %q: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("create embedded database directory: %w", err)
	}
	if logger == nil {
		logger = slog.Default()
	}
	quiet := slog.New(levelFloor{Handler: logger.Handler(), floor: slog.LevelError})
	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:  "sqlite",
		// synchronous(full) makes SQLite sync its write-ahead log at every
		// commit, so an acknowledged answer survives a power cut, not only a
		// crash of the process.
		SQLiteURL: "file:" + filepath.ToSlash(abs) + "/?_pragma=synchronous(full)",
		Logger:    quiet,
	})
	if err != nil {
		return nil, fmt.Errorf("start embedded database: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	e := &Embedded{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(e.done)
		_ = f.Run(runCtx)
	}()
	// MongoDBURI waits for the listener, which Run opens.
	uriReady := make(chan string, 1)
	go func() { uriReady <- f.MongoDBURI() }()
	select {
	case e.uri = <-uriReady:
	case <-e.done:
		cancel()
		return nil, errors.New("start embedded database: the server stopped at once")
	case <-time.After(30 * time.Second):
		cancel()
		return nil, errors.New("start embedded database: the server did not start listening within 30s")
	}
	return e, nil
}

// URI returns the connection string of the embedded server.
func (e *Embedded) URI() string { return e.uri }

// Close stops the server and waits for it to close its files.
func (e *Embedded) Close() error {
	e.cancel()
	<-e.done
	return nil
}

// levelFloor drops records below a level, whatever the wrapped handler
// would accept.
type levelFloor struct {
	slog.Handler
	floor slog.Level
}

func (h levelFloor) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.floor && h.Handler.Enabled(ctx, l)
}

func (h levelFloor) WithAttrs(attrs []slog.Attr) slog.Handler {
	return levelFloor{Handler: h.Handler.WithAttrs(attrs), floor: h.floor}
}

func (h levelFloor) WithGroup(name string) slog.Handler {
	return levelFloor{Handler: h.Handler.WithGroup(name), floor: h.floor}
}
