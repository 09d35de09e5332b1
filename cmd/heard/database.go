package main

import (
	"context"
	"errors"
	"fmt"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/heard-app/heard/surveys/mongo"
)

// runDatabase runs the embedded database alone, with its files in the data
// directory, until SIGINT or SIGTERM. Several `heard serve` processes on
// this machine can then share it through MONGODB_URI, as instances share a
// MongoDB deployment: the way to try more than one instance without
// installing MongoDB. It prints the URI on standard output once the
// database is ready, as one line a script can read.
func runDatabase(ctx context.Context, e *env, _ any) error {
	if len(e.args) > 0 {
		return fmt.Errorf("database takes no arguments, got %q", e.args)
	}
	if e.cfg.MongoURI != "" {
		return errors.New("heard database runs the embedded database; unset MONGODB_URI (or MONGODB_URI_FILE) to run it")
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	// The same lock as a server's: the files have one owner at a time.
	lock, err := lockDataDir(e.cfg.DataDir)
	if err != nil {
		return err
	}
	defer lock.release()
	db, err := mongo.StartEmbedded(ctx, filepath.Join(e.cfg.DataDir, "ferretdb"), e.log)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	if _, err := fmt.Fprintf(e.stdout, "MONGODB_URI=%s\n", db.URI()); err != nil {
		return fmt.Errorf("print the database's URI: %w", err)
	}
	e.log.Info("the embedded database is running; stop it with Ctrl-C", "dir", e.cfg.DataDir)
	<-ctx.Done()
	e.log.Info("stopping the embedded database")
	return nil
}
