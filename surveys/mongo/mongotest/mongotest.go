// Package mongotest gives tests a real database: one embedded server per
// test binary, started on first use, and a fresh database for each test.
// When HEARD_TEST_MONGODB_URI is set, Targets also offers that deployment,
// so storage tests run against real MongoDB too.
package mongotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys/mongo"
)

var (
	mu       sync.Mutex
	server   *mongo.Embedded
	dataDir  string
	startErr error
)

// Main runs a package's tests and then stops the shared server. Call it
// from TestMain: os.Exit(mongotest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	mu.Lock()
	defer mu.Unlock()
	if server != nil {
		_ = server.Close()
		_ = os.RemoveAll(dataDir)
	}
	return code
}

// EmbeddedURI returns the URI of the shared embedded server, starting it.
func EmbeddedURI(t testing.TB) string {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if server == nil && startErr == nil {
		dataDir, startErr = os.MkdirTemp("", "heard-test-db-")
		if startErr == nil {
			server, startErr = mongo.StartEmbedded(context.Background(), dataDir, slog.New(slog.DiscardHandler))
		}
	}
	if startErr != nil {
		t.Fatalf("start embedded database: %v", startErr)
	}
	return server.URI()
}

// Target is a deployment storage tests run against.
type Target struct {
	Name string
	URI  string
}

// Targets returns the embedded server and, when HEARD_TEST_MONGODB_URI is
// set, that deployment.
func Targets(t testing.TB) []Target {
	t.Helper()
	targets := []Target{{Name: "embedded", URI: EmbeddedURI(t)}}
	if uri := os.Getenv("HEARD_TEST_MONGODB_URI"); uri != "" {
		targets = append(targets, Target{Name: "mongodb", URI: uri})
	}
	return targets
}

// Open returns a fresh database on the embedded server, dropped when the
// test ends. It is marked exclusive, as Heard's own use of the embedded
// server is: each test has its database to itself.
func Open(t testing.TB) *mongo.DB {
	t.Helper()
	return OpenAt(t, EmbeddedURI(t))
}

// OpenAt returns a fresh database on the deployment at uri, dropped when the
// test ends; exclusive only on the embedded server.
func OpenAt(t testing.TB, uri string) *mongo.DB {
	t.Helper()
	return open(t, uri, uri == EmbeddedURI(t))
}

// OpenShared returns a fresh database on the embedded server that is not
// marked exclusive, as if several instances of Heard shared it.
func OpenShared(t testing.TB) *mongo.DB {
	t.Helper()
	return open(t, EmbeddedURI(t), false)
}

func open(t testing.TB, uri string, exclusive bool) *mongo.DB {
	t.Helper()
	name := NewName()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := mongo.Open(ctx, mongo.Options{URI: uri, Name: name, Exclusive: exclusive})
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = db.Drop(ctx)
		_ = db.Close(ctx)
	})
	return db
}

// NewName returns a database name no other test uses.
func NewName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return fmt.Sprintf("test_%s", hex.EncodeToString(b))
}
