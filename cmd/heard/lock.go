package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// dataLock is an exclusive lock on the data directory, so that only one
// process uses the embedded database's files at a time. The kernel releases
// it when the process ends, however it ends, so a crash never leaves a
// stale lock behind.
type dataLock struct{ f *os.File }

// lockDataDir takes the lock or says who holds it.
func lockDataDir(dir string) (*dataLock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, "heard.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("the embedded database in %s is in use by a running Heard process (heard serve, "+
				"or heard database); stop it first, or use the API or its MONGODB_URI while it runs, so that its files are not damaged", dir)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &dataLock{f: f}, nil
}

func (l *dataLock) release() {
	if l == nil {
		return
	}
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	_ = l.f.Close()
}
