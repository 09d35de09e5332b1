package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/mongo/backup"
)

type backupOptions struct {
	out   string
	force bool
}

func backupFlags(fs *flag.FlagSet) any {
	o := &backupOptions{}
	fs.StringVar(&o.out, "out", "", "the archive to write (.tar.gz)")
	fs.BoolVar(&o.force, "force", false, "replace the archive if it exists")
	return o
}

// runBackup writes an archive of the whole database. It writes a hidden
// file next to the archive and renames it only when everything is written,
// so a backup that fails leaves nothing that looks like an archive.
func runBackup(ctx context.Context, e *env, opts any) error {
	o := opts.(*backupOptions)
	if o.out == "" {
		return errors.New("backup needs --out FILE")
	}
	if len(e.args) > 0 {
		return fmt.Errorf("backup takes no arguments besides --out, got %q", e.args)
	}
	if !o.force {
		if _, err := os.Lstat(o.out); err == nil {
			return fmt.Errorf("%s exists already; choose another name, or add --force to replace it", o.out)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("backup --out: %w", err)
		}
	}
	return withStorage(ctx, e, func(st *storage) error {
		m, err := writeBackup(ctx, st.db, o.out, o.force)
		if err != nil {
			return err
		}
		printManifest(e.stdout, o.out, m)
		if m.Consistency == backup.Unguarded {
			e.log.Warn("the backup may be inconsistent: " + m.Consistency.Describe())
		}
		return nil
	})
}

// writeBackup writes the archive to a temporary file in out's directory,
// readable only by its owner, and moves it to out once it is complete and
// on disk.
func writeBackup(ctx context.Context, db *mongo.DB, out string, force bool) (*backup.Manifest, error) {
	dir := filepath.Dir(out)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(out)+".partial-*")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	m, err := mongo.Backup(ctx, db, tmp, mongo.BackupOptions{TempDir: dir})
	if err != nil {
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		return nil, fmt.Errorf("backup: write %s: %w", out, err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("backup: write %s: %w", out, err)
	}
	if err := publish(tmp.Name(), out, force); err != nil {
		return nil, err
	}
	done = true
	syncDir(dir)
	return m, nil
}

// publish gives the finished archive its name. Without force, a hard link
// fails if out appeared since it was checked, where a rename would replace
// it.
func publish(tmp, out string, force bool) error {
	if force {
		if err := os.Rename(tmp, out); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		return nil
	}
	if err := os.Link(tmp, out); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s exists already; choose another name, or add --force to replace it", out)
		}
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Remove(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// syncDir makes a rename in dir durable; a failure only weakens that.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// printManifest says what an archive holds.
func printManifest(w io.Writer, file string, m *backup.Manifest) {
	fmt.Fprintf(w, "%s: database %q, made %s\n", file, m.Database, m.Created.Format("2006-01-02 15:04:05 MST"))
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  collection\tdocuments")
	for _, c := range m.Collections {
		fmt.Fprintf(tw, "  %s\t%d\n", c.Name, c.Documents)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "%d collections, %d documents; the copy is %s\n", len(m.Collections), m.Documents(), m.Consistency.Describe())
}

type restoreOptions struct{ check bool }

func restoreFlags(fs *flag.FlagSet) any {
	o := &restoreOptions{}
	fs.BoolVar(&o.check, "check", false, "only check the archive (every checksum and count); open no database")
	return o
}

// runRestore loads an archive into an empty database, or with --check
// only verifies it.
func runRestore(ctx context.Context, e *env, opts any) error {
	o := opts.(*restoreOptions)
	if len(e.args) != 1 {
		return errors.New("restore needs one FILE, an archive that heard backup wrote")
	}
	file := e.args[0]
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	if o.check {
		m, err := backup.Verify(f)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		printManifest(e.stdout, file, m)
		fmt.Fprintln(e.stdout, "the archive is sound: every file matches its checksum and count")
		return nil
	}
	return withStorage(ctx, e, func(st *storage) error {
		m, err := mongo.Restore(ctx, st.db, f)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		printManifest(e.stdout, file, m)
		fmt.Fprintf(e.stdout, "restored into the database %q\n", st.db.Name())
		return nil
	})
}
